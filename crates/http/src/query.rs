//! Query parameters: only known keys, each at most once; keyset pagination with an opaque cursor and a
//! `Link` header to the next page.

use crate::problem::ApiError;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use koers_domain::pagination::{PageRequest, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use koers_domain::FieldErrors;
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

/// The query parameters of one request, checked against the keys its operation knows.
pub struct QueryParams {
    values: BTreeMap<String, String>,
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
            if !known.contains(&key.as_str()) {
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
        Ok(Self { values, errors })
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
        let cursor = self
            .get("cursor")
            .map(|cursor| decode_cursor(cursor).ok_or(()));
        let after = match cursor {
            Some(Ok(key)) => Some(key),
            Some(Err(())) => {
                self.errors.add(
                    "cursor",
                    "format",
                    "Onbekende cursor; gebruik de cursor uit de Link-header.",
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
        let cursor = encode_cursor(next_key);
        pairs.push(("cursor", &cursor));
        let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
        format!("{}?{query}", req.path())
    }
}

/// The opaque form of a keyset position.
pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

fn decode_cursor(cursor: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let key = String::from_utf8(bytes).ok()?;
    // Keys are UUIDs, or a worklist position (`date|kind|UUID`); anything else was not made by us.
    let mut parts = key.rsplitn(3, '|');
    let id_ok = parts
        .next()
        .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok());
    let rest_ok = match (parts.next(), parts.next()) {
        (None, None) => true,
        (Some(soort), Some(datum)) => {
            soort.len() == 2
                && soort.bytes().all(|b| b.is_ascii_digit())
                && chrono::NaiveDate::parse_from_str(datum, "%Y-%m-%d").is_ok()
        }
        _ => false,
    };
    (id_ok && rest_ok).then_some(key)
}

/// The list parameters every paginated operation knows.
pub const PAGE_PARAMS: [&str; 2] = ["pageSize", "cursor"];
