//! Request bodies judged by the contract itself: each body type's schema, as the served document
//! publishes it, is compiled once (JSON Schema 2020-12, formats asserted) and every error it finds is
//! turned into an `invalidParams` entry with the field's name, a stable code and a Dutch reason.

use crate::openapi;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use jsonschema::{Draft, ValidationError, Validator};
use koers_domain::FieldErrors;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

/// The compiled schemas of the published contract's request bodies, by component name.
pub struct Schemas {
    validators: HashMap<String, Validator>,
}

// The schemas do not depend on where the server is reached.
static SCHEMAS: LazyLock<Schemas> =
    LazyLock::new(|| Schemas::compile(&openapi::published(&crate::openapi_document(), "")));

/// Compiles the schemas now (at start-up) rather than on the first request.
pub fn prepare() {
    LazyLock::force(&SCHEMAS);
}

/// The compiled schemas.
pub fn schemas() -> &'static Schemas {
    &SCHEMAS
}

impl Schemas {
    /// Compiles the schema of every request body of the published `document` (the others judge
    /// nothing).
    fn compile(document: &Value) -> Self {
        let components = document.get("components").cloned().unwrap_or_default();
        let mut validators = HashMap::new();
        for name in openapi::request_bodies(document) {
            // The component as the root's `$ref`, with the components beside it, so that every
            // reference inside resolves against the document as published.
            let root = json!({
                "$ref": format!("#/components/schemas/{name}"),
                "components": &components,
            });
            match jsonschema::options()
                .with_draft(Draft::Draft202012)
                .should_validate_formats(true)
                .with_format("date", is_input_date)
                .build(&root)
            {
                Ok(validator) => {
                    validators.insert(name, validator);
                }
                Err(error) => {
                    tracing::error!(schema = %name, %error, "component schema does not compile");
                }
            }
        }
        Self { validators }
    }

    /// Judges `instance` by the component `name`: every error, and the top-level properties they are
    /// in (left out before the body is read into its type, so that its other fields still are).
    /// `server_set` names the properties only Koers sets; it is asked for only when the body holds a
    /// property its schema does not know.
    pub fn check(
        &self,
        name: &str,
        instance: &Value,
        server_set: impl Fn() -> Vec<String>,
    ) -> Judgement {
        let mut judgement = Judgement::default();
        let Some(validator) = self.validators.get(name) else {
            tracing::error!(schema = %name, "no compiled schema for a request body");
            judgement
                .errors
                .add("body", "schema", "De body kan niet worden beoordeeld.");
            return judgement;
        };
        let errors: Vec<ValidationError<'_>> = validator.iter_errors(instance).collect();
        let unknown = errors.iter().any(|e| {
            matches!(
                e.kind(),
                ValidationErrorKind::AdditionalProperties { .. }
                    | ValidationErrorKind::UnevaluatedProperties { .. }
            )
        });
        let server_set = if unknown { server_set() } else { Vec::new() };
        for error in &errors {
            judgement.add(error, &server_set);
        }
        // One reason per field: the first rule it breaks (an empty name breaks both `minLength` and
        // `pattern`).
        let mut seen = BTreeSet::new();
        judgement.errors.0.retain(|e| seen.insert(e.name.clone()));
        judgement
    }
}

/// What the schema found wrong with a body.
#[derive(Debug, Default)]
pub struct Judgement {
    pub errors: FieldErrors,
    /// Top-level properties that hold an error.
    pub broken: BTreeSet<String>,
}

impl Judgement {
    fn add(&mut self, error: &ValidationError<'_>, server_set: &[String]) {
        let segments: Vec<LocationSegment<'_>> = error.instance_path().segments().collect();
        if let Some(LocationSegment::Property(first)) = segments.first() {
            self.broken.insert(first.to_string());
        }
        let path = name_of(&segments);
        match error.kind() {
            ValidationErrorKind::Required { property } => {
                let property = property.as_str().unwrap_or_default();
                self.errors
                    .add(join(&path, property), "required", "Dit veld is verplicht.");
            }
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                for property in unexpected {
                    if path.is_empty() {
                        self.broken.insert(property.clone());
                    }
                    let name = join(&path, &property.replace('\0', "\\u0000"));
                    if path.is_empty() && server_set.contains(property) {
                        self.errors.add(
                            name,
                            "readOnly",
                            "Dit veld wordt door Koers bepaald en kan niet worden meegestuurd.",
                        );
                    } else {
                        self.errors.add(name, "unknown", "Onbekend veld.");
                    }
                }
            }
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                // Of the alternatives, report the one that came closest: a nullable reference
                // (`oneOf: [null, $ref]`) reports what is wrong against the reference.
                let closest = context
                    .iter()
                    .filter(|branch| !branch.is_empty())
                    .min_by_key(|branch| {
                        let only_type = branch
                            .iter()
                            .all(|e| matches!(e.kind(), ValidationErrorKind::Type { .. }));
                        (only_type, branch.len())
                    });
                match closest {
                    Some(branch) => {
                        for inner in branch {
                            self.add(inner, server_set);
                        }
                    }
                    None => self.errors.add(
                        or_body(path),
                        "oneOf",
                        "Voldoet aan geen van de toegestane vormen.",
                    ),
                }
            }
            ValidationErrorKind::OneOfMultipleValid { .. } => self.errors.add(
                or_body(path),
                "oneOf",
                "Voldoet aan meer dan een van de vormen, waar er precies een mag.",
            ),
            ValidationErrorKind::UniqueItems => {
                // Name the first value that repeats an earlier one.
                let items = error.instance().as_array().cloned().unwrap_or_default();
                let repeat = (0..items.len()).find(|&i| items[..i].contains(&items[i]));
                let name = match repeat {
                    Some(index) => format!("{path}[{index}]"),
                    None => or_body(path),
                };
                self.errors.add(
                    name,
                    "uniqueItems",
                    "Elke waarde mag maar een keer voorkomen.",
                );
            }
            kind => {
                let (code, reason) = describe(kind);
                self.errors.add(or_body(path), code, reason);
            }
        }
    }
}

/// `format: date` as the server reads it: an RFC 3339 full-date in the years a client may send
/// ([`openapi::INPUT_YEARS`], which the contract states with every date of a request).
fn is_input_date(text: &str) -> bool {
    use chrono::Datelike;
    koers_domain::input::parse_date("", text)
        .is_ok_and(|date| openapi::INPUT_YEARS.contains(&date.year()))
}

/// The name of a place in a body as `invalidParams` names it: `a.b[0].c`.
fn name_of(segments: &[LocationSegment<'_>]) -> String {
    let mut name = String::new();
    for segment in segments {
        match segment {
            LocationSegment::Property(property) => {
                if !name.is_empty() {
                    name.push('.');
                }
                name.push_str(&property.replace('\0', "\\u0000"));
            }
            LocationSegment::Index(index) => {
                name.push_str(&format!("[{index}]"));
            }
        }
    }
    name
}

fn join(parent: &str, property: &str) -> String {
    if parent.is_empty() {
        property.to_owned()
    } else {
        format!("{parent}.{property}")
    }
}

fn or_body(path: String) -> String {
    if path.is_empty() {
        "body".to_owned()
    } else {
        path
    }
}

fn type_name(kind: &TypeKind) -> String {
    let one = |t: jsonschema::JsonType| match t.to_string().as_str() {
        "string" => "een tekst (string)".to_owned(),
        "integer" => "een geheel getal".to_owned(),
        "number" => "een getal".to_owned(),
        "boolean" => "true of false".to_owned(),
        "array" => "een lijst (array)".to_owned(),
        "object" => "een object".to_owned(),
        "null" => "null".to_owned(),
        other => other.to_owned(),
    };
    match kind {
        TypeKind::Single(t) => one(*t),
        TypeKind::Multiple(types) => types.iter().map(one).collect::<Vec<_>>().join(" of "),
    }
}

/// The code and Dutch reason of a keyword that failed.
fn describe(kind: &ValidationErrorKind) -> (&'static str, String) {
    match kind {
        ValidationErrorKind::Type { kind } => ("type", format!("Verwacht {}.", type_name(kind))),
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> = options
                .as_array()
                .map(|values| {
                    values
                        .iter()
                        .filter(|v| !v.is_null())
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (
                "enum",
                format!("Toegestane waarden: {}.", allowed.join(", ")),
            )
        }
        ValidationErrorKind::Constant { expected_value } => (
            "const",
            format!("De enige toegestane waarde is {expected_value}."),
        ),
        ValidationErrorKind::MinLength { limit } => {
            ("minLength", format!("Minimaal {limit} teken(s) nodig."))
        }
        ValidationErrorKind::MaxLength { limit } => {
            ("maxLength", format!("Maximaal {limit} tekens toegestaan."))
        }
        // The codes these rules had before the contract judged them: `date`, `minLength`, `format`
        // and `range`.
        ValidationErrorKind::Pattern { pattern } if pattern == openapi::STORABLE => {
            ("tekens", crate::body::UNSTORABLE.to_owned())
        }
        ValidationErrorKind::Pattern { pattern } if pattern == openapi::VISIBLE => (
            "minLength",
            "Minimaal één zichtbaar teken nodig.".to_owned(),
        ),
        ValidationErrorKind::Pattern { pattern } => (
            "format",
            format!("Voldoet niet aan het vereiste formaat (patroon {pattern})."),
        ),
        ValidationErrorKind::Format { format } => match format.as_str() {
            "date" => (
                "date",
                "Geen geldige datum van 1900 tot en met 2099; gebruik het formaat JJJJ-MM-DD."
                    .to_owned(),
            ),
            "date-time" => (
                "dateTime",
                "Geen geldig tijdstip; gebruik RFC 3339 (bijvoorbeeld 2026-11-23T10:15:00Z)."
                    .to_owned(),
            ),
            "uuid" => ("uuid", "Geen geldige UUID.".to_owned()),
            "uri" => ("uri", "Geen geldige absolute URI.".to_owned()),
            "email" => ("email", "Geen geldig e-mailadres.".to_owned()),
            _ => ("format", format!("Voldoet niet aan het formaat {format}.")),
        },
        ValidationErrorKind::Minimum { limit } => ("range", format!("Minimaal {limit}.")),
        ValidationErrorKind::Maximum { limit } => ("range", format!("Maximaal {limit}.")),
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            ("range", format!("Groter dan {limit}."))
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            ("range", format!("Kleiner dan {limit}."))
        }
        ValidationErrorKind::MultipleOf { .. } => {
            ("multipleOf", "Geen toegestaan veelvoud.".to_owned())
        }
        ValidationErrorKind::MinItems { limit } => {
            ("minItems", format!("Minimaal {limit} waarde(n) nodig."))
        }
        ValidationErrorKind::MaxItems { limit } => {
            ("maxItems", format!("Hoogstens {limit} waarden."))
        }
        ValidationErrorKind::UniqueItems => (
            "uniqueItems",
            "Elke waarde mag maar een keer voorkomen.".to_owned(),
        ),
        ValidationErrorKind::MinProperties { limit } => {
            ("minProperties", format!("Minimaal {limit} veld(en) nodig."))
        }
        ValidationErrorKind::MaxProperties { limit } => {
            ("maxProperties", format!("Hoogstens {limit} velden."))
        }
        ValidationErrorKind::Not { .. } | ValidationErrorKind::FalseSchema => {
            ("not", "Deze waarde is hier niet toegestaan.".to_owned())
        }
        _ => ("schema", "Voldoet niet aan het schema.".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_visible_pattern_is_the_complement_of_the_trimmed_space() {
        let schema = json!({"pattern": crate::openapi::VISIBLE});
        let validator = jsonschema::validator_for(&schema).unwrap();
        assert!(!validator.is_valid(&json!("a\u{0}")), "no NUL in text");
        for c in (1u32..0x3100)
            .chain([0xFEFF, 0x200B, 0x2060])
            .filter_map(char::from_u32)
        {
            assert_eq!(
                validator.is_valid(&json!(c.to_string())),
                !koers_domain::input::is_space(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn dates_are_full_dates_from_1900_to_2099() {
        for date in ["1900-01-01", "2024-02-29", "2099-12-31"] {
            assert!(is_input_date(date), "{date}");
        }
        for date in [
            "1899-12-31",
            "2100-01-01",
            "2023-02-29",
            "9999-12-31",
            "2024-2-9",
            "+2024-02-01",
        ] {
            assert!(!is_input_date(date), "{date}");
        }
    }

    #[test]
    fn names_follow_the_readers() {
        let segments = vec![
            LocationSegment::Property("posten".into()),
            LocationSegment::Index(2),
            LocationSegment::Property("bedrag".into()),
        ];
        assert_eq!(name_of(&segments), "posten[2].bedrag");
        assert_eq!(name_of(&[]), "");
    }
}
