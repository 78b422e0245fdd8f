//! Request bodies: read with a size limit, JSON media types only, an object at the top without
//! repeated keys, then judged by the schema the contract publishes for the body's type and read into
//! that type ([`Body`]), with every invalid field reported at once.

use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{self, BytesMut};
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use koers_domain::FieldErrors;
use serde_json::{Map, Value};

/// A JSON object body as sent, before it is judged.
struct JsonBody {
    object: Map<String, Value>,
}

fn is_json_media_type(req: &HttpRequest) -> bool {
    let Some(value) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

async fn read_limited(
    req: HttpRequest,
    mut payload: Payload,
    limit: usize,
) -> Result<JsonBody, ApiError> {
    // A body in another media type is 415; no body at all is the 400 of a missing body below.
    let has_body = req.headers().contains_key(header::CONTENT_TYPE)
        || req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0")
        || req.headers().contains_key(header::TRANSFER_ENCODING);
    if has_body && !is_json_media_type(&req) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(ApiError::PayloadTooLarge(limit));
    }
    let mut buffer = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| {
            ApiError::invalid("body", "unreadable", "De body kon niet worden gelezen.")
        })?;
        if buffer.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(limit));
        }
        buffer.extend_from_slice(&chunk);
    }
    let object = strict_json(&buffer)?;
    Ok(JsonBody { object })
}

/// Why a text holding U+0000 is refused.
pub const UNSTORABLE: &str = "Bevat een teken dat niet kan worden opgeslagen (U+0000).";

/// The integer a JSON number stands for, if it has no fraction and fits in an `i64`.
fn integral(n: &serde_json::Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    })
}

/// Parses a body strictly, in one pass over it: an object at the top; a key twice in one object is
/// invalid input (RFC 8259 leaves its meaning open, and a reader that keeps the last would see another
/// body than one that keeps the first); a string or key holding U+0000 is invalid input too, since
/// PostgreSQL's text refuses it (SQLite would keep it), so neither backend accepts it. Each is named as
/// `invalidParams` names fields (`a.b`, `a[0]`), a NUL in a key shown escaped (`a\u0000`) so that the
/// answer never carries one; what a NUL key holds is not looked at.
fn strict_json(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    use serde::de::DeserializeSeed;
    let found = std::cell::RefCell::new(Found::default());
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = StrictValue {
        at: &At::Root,
        found: &found,
        quiet: false,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    let value = parsed.map_err(|e| {
        ApiError::invalid(
            "body",
            "json",
            format!(
                "De body is geen geldige JSON (regel {}, kolom {}).",
                e.line(),
                e.column()
            ),
        )
    })?;
    let found = found.into_inner();
    let named = |names: Vec<String>, code: &'static str, reason: &str| {
        let mut errors = FieldErrors::new();
        for name in names {
            errors.add(name, code, reason);
        }
        ApiError::Invalid(errors)
    };
    if !found.repeated.is_empty() {
        return Err(named(
            found.repeated,
            "duplicateKey",
            "Dit veld staat meer dan een keer in het object.",
        ));
    }
    // Another top-level value is wrong as a whole, whatever it holds (a NUL in it has no field name).
    let Value::Object(object) = value else {
        return Err(ApiError::invalid(
            "body",
            "type",
            "De body moet een JSON-object zijn.",
        ));
    };
    if !found.unstorable.is_empty() {
        return Err(named(found.unstorable, "tekens", UNSTORABLE));
    }
    Ok(object)
}

/// What the strict reading found wrong, by name.
#[derive(Default)]
struct Found {
    repeated: Vec<String>,
    unstorable: Vec<String>,
}

/// Where a value sits in the body; its name is only written out for an error.
enum At<'p> {
    Root,
    Key(&'p At<'p>, &'p str),
    Index(&'p At<'p>, usize),
}

impl At<'_> {
    fn name(&self) -> String {
        match self {
            At::Root => String::new(),
            At::Key(parent, key) => {
                let key = key.replace('\0', "\\u0000");
                match parent.name() {
                    parent if parent.is_empty() => key,
                    parent => format!("{parent}.{key}"),
                }
            }
            At::Index(parent, index) => format!("{}[{index}]", parent.name()),
        }
    }
}

/// A JSON value read at its place in the body, noting what [`Found`] collects; `quiet` inside a key
/// that holds a NUL (already named itself).
struct StrictValue<'a> {
    at: &'a At<'a>,
    found: &'a std::cell::RefCell<Found>,
    quiet: bool,
}

impl StrictValue<'_> {
    fn text(&self, text: &str) {
        if !self.quiet && text.contains('\0') {
            self.found.borrow_mut().unstorable.push(self.at.name());
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        self.text(v);
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        self.text(&v);
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let at = At::Index(self.at, items.len());
            let item = seq.next_element_seed(StrictValue {
                at: &at,
                found: self.found,
                quiet: self.quiet,
            })?;
            match item {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = At::Key(self.at, &key);
            let nul = key.contains('\0');
            if nul && !self.quiet {
                self.found.borrow_mut().unstorable.push(at.name());
            }
            let value = map.next_value_seed(StrictValue {
                at: &at,
                found: self.found,
                quiet: self.quiet || nul,
            })?;
            if object.contains_key(&key) {
                self.found.borrow_mut().repeated.push(at.name());
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A request body type: one declaration that is its schema in the contract (utoipa), what the body is
/// read into (serde) and, through the published schema, what judges it.
pub trait RequestBody: serde::de::DeserializeOwned + utoipa::ToSchema + 'static {
    /// Properties of what the body creates or changes that only Koers sets: sending one is named
    /// `readOnly` rather than `unknown`.
    fn server_set() -> Vec<String> {
        Vec::new()
    }
}

/// The property names of a resource's schema (for [`RequestBody::server_set`]).
pub fn properties_of<R: utoipa::PartialSchema>() -> Vec<String> {
    serde_json::to_value(R::schema())
        .ok()
        .and_then(|schema| {
            schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|properties| properties.keys().cloned().collect())
        })
        .unwrap_or_default()
}

/// A body judged by its published schema and read into `T`. What the schema found wrong is kept in
/// `judged` (the fields it names are left out of `value`), so that the domain's rules still judge
/// the rest and [`Judged::finish`] reports both in one answer.
pub struct Body<T> {
    pub value: T,
    /// The body as sent (for the idempotency fingerprint).
    pub json: Map<String, Value>,
    pub judged: Judged,
}

/// What the schema found wrong with a body.
#[derive(Debug, Clone)]
pub struct Judged(FieldErrors);

impl Judged {
    /// The schema's errors and the domain's together; a domain error about a field the schema
    /// already named (or about a part of it) is left out, so that each field is reported once.
    ///
    /// # Errors
    /// Every field error from both.
    pub fn merge<U>(&self, domain: Result<U, FieldErrors>) -> Result<U, FieldErrors> {
        self.0.samen(domain)
    }

    /// What the schema found wrong, for a command that the domain judges further.
    pub fn errors(&self) -> &FieldErrors {
        &self.0
    }

    /// [`Judged::merge`] as the answer.
    ///
    /// # Errors
    /// `Invalid` with every field error from both.
    pub fn finish<U>(&self, domain: Result<U, FieldErrors>) -> Result<U, ApiError> {
        self.merge(domain).map_err(ApiError::Invalid)
    }
}

impl<T> Body<T> {
    /// The value when the schema found nothing wrong (for bodies without rules of the domain).
    ///
    /// # Errors
    /// `Invalid` with the schema's errors.
    pub fn valid(self) -> Result<T, ApiError> {
        self.judged.finish(Ok(self.value))
    }
}

/// Numbers JSON Schema counts as integers (`5.0`) read as integers, as the schema judged them.
fn integral_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(i) = integral(n) {
                *value = Value::from(i);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(object) => object.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// Judges a JSON object by the published schema of `T` and reads it into `T`, leaving out the
/// properties the schema found wrong (reported in the [`Judged`]).
///
/// # Errors
/// The schema's errors when what is left does not read into `T` (a required field was wrong).
pub fn judge<T: RequestBody>(object: &Map<String, Value>) -> Result<(T, Judged), FieldErrors> {
    let mut readable = Value::Object(object.clone());
    let judgement = crate::validation::schemas().check(&T::name(), &readable, T::server_set);
    if let Value::Object(fields) = &mut readable {
        fields.retain(|key, _| !judgement.broken.contains(key));
    }
    integral_numbers(&mut readable);
    match serde_json::from_value::<T>(readable) {
        Ok(value) => Ok((value, Judged(judgement.errors))),
        Err(error) if judgement.errors.is_empty() => {
            // The schema passed what the type cannot hold: the declaration disagrees with itself.
            tracing::error!(body = %T::name(), %error, "a body valid by its schema does not read into its type");
            let mut errors = FieldErrors::new();
            errors.add("body", "schema", "De body kan niet worden gelezen.");
            Err(errors)
        }
        Err(_) => Err(judgement.errors),
    }
}

async fn read_body<T: RequestBody>(
    req: HttpRequest,
    payload: Payload,
    limit: usize,
) -> Result<Body<T>, ApiError> {
    let JsonBody { object } = read_limited(req, payload, limit).await?;
    let (value, judged) = judge::<T>(&object).map_err(ApiError::Invalid)?;
    Ok(Body {
        value,
        json: object,
        judged,
    })
}

impl<T: RequestBody> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Body<T>, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(64 * 1024, |state| state.max_body_bytes);
        let req = req.clone();
        let payload = payload.take();
        Box::pin(read_body::<T>(req, payload, limit))
    }
}

/// A body as it was sent, for the idempotency fingerprint.
pub trait Sent {
    fn sent(&self) -> &Map<String, Value>;
}

impl<T> Sent for Body<T> {
    fn sent(&self) -> &Map<String, Value> {
        &self.json
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(body: &str) -> Vec<(String, &'static str)> {
        match strict_json(body.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(ApiError::Invalid(errors)) => {
                errors.0.into_iter().map(|e| (e.name, e.code)).collect()
            }
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn repeated_keys_are_named_where_they_repeat() {
        assert_eq!(
            names(r#"{"a": 1, "b": [{"c": 1, "c": 2}], "a": 3}"#),
            [
                ("b[0].c".to_owned(), "duplicateKey"),
                ("a".to_owned(), "duplicateKey")
            ]
        );
        assert!(names(r#"{"a": {"c": 1}, "b": {"c": 2}}"#).is_empty());
    }

    #[test]
    fn nul_is_named_in_values_and_keys_but_not_inside_a_nul_key() {
        assert_eq!(
            names(r#"{"a": "x\u0000", "b": ["ok", "\u0000"], "c\u0000": {"d": "\u0000"}}"#),
            [
                ("a".to_owned(), "tekens"),
                ("b[1]".to_owned(), "tekens"),
                ("c\\u0000".to_owned(), "tekens")
            ]
        );
    }

    #[test]
    fn the_top_is_an_object() {
        assert_eq!(names(r#""\u0000""#), [("body".to_owned(), "type")]);
        assert_eq!(names("[1]"), [("body".to_owned(), "type")]);
        assert_eq!(names("{} x"), [("body".to_owned(), "json")]);
    }
}
