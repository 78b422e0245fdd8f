//! Query parameters: only known keys, each at most once, no text a backend cannot store; keyset
//! pagination with an opaque cursor and a `Link` header to the next page. A cursor is signed (HMAC)
//! over the position and what it was made for, the path and the filter, so it works only on the list
//! and with the filter it came from; any other cursor is a 400 naming `cursor`.

use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use koers_domain::pagination::{PageRequest, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use koers_domain::FieldErrors;
use sha2::Sha256;
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The key cursors are signed with. Derived from a configured secret, so that every node of one
/// deployment accepts the cursors of the others.
#[derive(Clone)]
pub struct CursorKey(Arc<[u8; 32]>);

impl CursorKey {
    /// The cursor key that belongs to `secret`, under a label of its own: it reveals nothing of the
    /// secret and serves nothing else.
    pub fn derive(secret: &[u8]) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(b"koers-cursor-v1");
        Self(Arc::new(mac.finalize().into_bytes().into()))
    }

    fn mac(&self, binding: &str, position: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.0.as_slice())
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(binding.as_bytes());
        mac.update(&[0]);
        mac.update(position.as_bytes());
        mac
    }

    /// The cursor of `position` on the list and filter of `binding`.
    fn sign(&self, binding: &str, position: &str) -> String {
        let tag = self.mac(binding, position).finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(position.as_bytes()),
            URL_SAFE_NO_PAD.encode(&tag[..TAG_BYTES])
        )
    }

    /// The position of a cursor made by [`CursorKey::sign`] for this binding, if it was.
    fn open(&self, binding: &str, cursor: &str) -> Option<String> {
        let (position, tag) = cursor.split_once('.')?;
        let position = String::from_utf8(URL_SAFE_NO_PAD.decode(position).ok()?).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        self.mac(binding, &position)
            .verify_truncated_left(&tag)
            .ok()
            .filter(|()| tag.len() == TAG_BYTES)?;
        Some(position)
    }
}

/// Bytes of the HMAC kept in a cursor (128 bits).
const TAG_BYTES: usize = 16;

/// The query parameters of one request, checked against the keys its operation knows.
pub struct QueryParams {
    values: BTreeMap<String, String>,
    /// What a cursor of this request is bound to: the path and every parameter but the page's own.
    binding: String,
    key: Option<CursorKey>,
    pub errors: FieldErrors,
}

impl QueryParams {
    /// Parses the query string; unknown and repeated keys are errors.
    ///
    /// # Errors
    /// `Invalid` when the query string cannot be decoded at all.
    pub fn parse(req: &HttpRequest, known: &[&str]) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(req.query_string()).map_err(|_| {
                ApiError::invalid(
                    "query",
                    "format",
                    "De query string kan niet worden gelezen.",
                )
            })?;
        let mut values = BTreeMap::new();
        let mut errors = FieldErrors::new();
        for (key, value) in pairs {
            if key.contains('\0') || value.contains('\0') {
                // PostgreSQL's text refuses U+0000; on both backends it is invalid input.
                errors.add(
                    key.replace('\0', "\\u0000"),
                    "tekens",
                    "Bevat een teken dat niet kan worden opgeslagen (U+0000).",
                );
            } else if !known.contains(&key.as_str()) {
                errors.add(
                    key,
                    "unknown",
                    format!("Onbekende parameter; bekend zijn: {}.", known.join(", ")),
                );
            } else {
                match values.entry(key) {
                    Entry::Vacant(slot) => {
                        slot.insert(value);
                    }
                    Entry::Occupied(slot) => errors.add(
                        slot.key().clone(),
                        "repeated",
                        "Deze parameter mag maar een keer voorkomen.",
                    ),
                }
            }
        }
        let filter = values
            .iter()
            .filter(|(k, _)| !PAGE_PARAMS.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>();
        let binding = format!(
            "{}?{}",
            req.path(),
            serde_urlencoded::to_string(filter).unwrap_or_default()
        );
        let key = req
            .app_data::<web::Data<AppState>>()
            .map(|state| state.cursors.clone());
        Ok(Self {
            values,
            binding,
            key,
            errors,
        })
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// Parses a parameter with a domain parser, recording its error.
    pub fn parse_with<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str, &str) -> Result<T, koers_domain::FieldError>,
    ) -> Option<T> {
        let value = self.values.get(key)?.clone();
        self.errors.take(parse(key, &value))
    }

    /// `pageSize` (1 to 100, default 20) and `cursor`.
    pub fn page(&mut self) -> PageRequest {
        let size = match self.get("pageSize") {
            None => DEFAULT_PAGE_SIZE,
            Some(text) => match text.parse::<u32>() {
                Ok(size) if (1..=MAX_PAGE_SIZE).contains(&size) => size,
                _ => {
                    self.errors.add(
                        "pageSize",
                        "range",
                        format!("Een geheel getal van 1 tot en met {MAX_PAGE_SIZE}."),
                    );
                    DEFAULT_PAGE_SIZE
                }
            },
        };
        let cursor = self.get("cursor").map(|cursor| {
            self.key
                .as_ref()
                .and_then(|key| key.open(&self.binding, cursor))
                .filter(|position| is_position(position))
                .ok_or(())
        });
        let after = match cursor {
            Some(Ok(key)) => Some(key),
            Some(Err(())) => {
                self.errors.add(
                    "cursor",
                    "format",
                    "Onbekende cursor, of een cursor van een andere lijst of filter; gebruik de cursor uit de Link-header van deze lijst.",
                );
                None
            }
            None => None,
        };
        PageRequest { size, after }
    }

    /// All errors found so far.
    ///
    /// # Errors
    /// `Invalid` when there is at least one.
    pub fn check(&mut self) -> Result<(), ApiError> {
        std::mem::take(&mut self.errors)
            .finish()
            .map_err(ApiError::Invalid)
    }

    /// A 200 answer for a page: the `Link` header when there is a next page, and its URL for the body.
    pub fn page_response(
        &self,
        req: &HttpRequest,
        next_after: Option<&str>,
    ) -> (HttpResponseBuilder, Option<String>) {
        let next = next_after.map(|key| self.next_link(req, key));
        let mut response = HttpResponse::Ok();
        if let Some(next) = &next {
            response.insert_header((header::LINK, format!("<{next}>; rel=\"next\"")));
        }
        (response, next)
    }

    /// The URL of the next page: this request with `cursor` replaced.
    pub fn next_link(&self, req: &HttpRequest, next_key: &str) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .values
            .iter()
            .filter(|(k, _)| k.as_str() != "cursor")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let cursor = self
            .key
            .as_ref()
            .map(|key| key.sign(&self.binding, next_key))
            .unwrap_or_default();
        pairs.push(("cursor", &cursor));
        let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
        format!("{}?{query}", req.path())
    }
}

/// Whether a signed position has the shape of one: a UUID or a place in a list (`volgorde`, an
/// integer); a worklist position (`date|kind|UUID`); or a place in a list shown by date
/// (`date|registration time|UUID or volgorde`).
fn is_position(key: &str) -> bool {
    let is_key = |part: &str| uuid::Uuid::parse_str(part).is_ok() || part.parse::<i64>().is_ok();
    let is_date = |part: &str| chrono::NaiveDate::parse_from_str(part, "%Y-%m-%d").is_ok();
    let parts: Vec<&str> = key.split('|').collect();
    match parts[..] {
        [id] => is_key(id),
        [datum, soort, id] if soort.len() == 2 => {
            is_date(datum)
                && soort.bytes().all(|b| b.is_ascii_digit())
                && uuid::Uuid::parse_str(id).is_ok()
        }
        [datum, tijd, id] => {
            is_date(datum)
                && chrono::NaiveDateTime::parse_from_str(tijd, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
                && is_key(id)
        }
        _ => false,
    }
}

/// The list parameters every paginated operation knows.
pub const PAGE_PARAMS: [&str; 2] = ["pageSize", "cursor"];

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0b8f3c2e-5a7d-4e21-9c1b-2f6a8d4e7c10";

    #[test]
    fn a_cursor_opens_only_under_its_key_and_binding() {
        let key = CursorKey::derive(b"secret");
        let binding = "/api/v1/inburgeraars?gemeente=0405";
        let cursor = key.sign(binding, ID);
        assert!(cursor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
        assert_eq!(key.open(binding, &cursor).as_deref(), Some(ID));
        assert_eq!(key.open("/api/v1/inburgeraars?", &cursor), None);
        assert_eq!(
            key.open("/api/v1/signaleringen?gemeente=0405", &cursor),
            None
        );
        assert_eq!(CursorKey::derive(b"other").open(binding, &cursor), None);
        // The same key is derived on every node.
        assert_eq!(
            CursorKey::derive(b"secret")
                .open(binding, &cursor)
                .as_deref(),
            Some(ID)
        );
    }

    #[test]
    fn tampered_short_or_unsigned_cursors_do_not_open() {
        let key = CursorKey::derive(b"secret");
        let binding = "/api/v1/inburgeraars?";
        let cursor = key.sign(binding, ID);
        let (position, tag) = cursor.split_once('.').unwrap();
        let mut tag = URL_SAFE_NO_PAD.decode(tag).unwrap();
        for forged in [
            URL_SAFE_NO_PAD.encode(ID),
            format!("{position}."),
            format!("{position}.{}", URL_SAFE_NO_PAD.encode(&tag[..8])),
            format!("{cursor}AA"),
            format!(".{}", URL_SAFE_NO_PAD.encode(&tag)),
        ] {
            assert_eq!(key.open(binding, &forged), None, "{forged}");
        }
        tag[TAG_BYTES - 1] ^= 0x80;
        let flipped = format!("{position}.{}", URL_SAFE_NO_PAD.encode(&tag));
        assert_eq!(key.open(binding, &flipped), None);
    }

    #[test]
    fn positions_are_ids_list_places_or_worklist_positions() {
        assert!(is_position(ID));
        assert!(is_position(&format!("2026-11-10|03|{ID}")));
        assert!(!is_position("2026-11-10|03|x"));
        assert!(!is_position(&format!("2026-13-10|03|{ID}")));
        assert!(!is_position(&format!("x|{ID}")));
        assert!(is_position("1048577"));
        assert!(is_position("-3"));
        assert!(!is_position("12a"));
        assert!(is_position(&format!(
            "2026-11-10|2026-11-10T09:15:00.123456|{ID}"
        )));
        assert!(is_position("2026-11-10|2026-11-10T09:15:00|7"));
        assert!(!is_position("2026-11-10|2026-11-10 09:15:00|7"));
        assert!(!is_position("2026-11-10|2026-11-10T09:15:00|x"));
        assert!(!is_position("2026-11-10|7"));
    }
}
