//! `Idempotency-Key` on POST: the same key with the same request returns the first answer; with another
//! request it is a 409. The first answer is stored in the transaction of the write it answers, so a
//! crash can never keep one without the other.

use crate::problem::ApiError;
use crate::state::{run_blocking, run_blocking_store, AppState};
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use koers_domain::ports::{Store, StoreError};
use koers_domain::records::{request_fingerprint, IdempotencyRecord};
use serde_json::Value;

pub const HEADER: &str = "Idempotency-Key";
const MAX_KEY_LENGTH: usize = 255;

/// The idempotency key of a request and the fingerprint of what it asks.
#[derive(Debug, Clone)]
pub struct Idempotency {
    key: String,
    fingerprint: String,
}

impl Idempotency {
    /// Reads the header, if any. The fingerprint covers method, path and the body as parsed JSON, so
    /// a retry that only reorders properties or changes white space is still the same request.
    ///
    /// # Errors
    /// `Invalid` for an empty, over-long or non-printable key.
    pub fn from_request(req: &HttpRequest, body: &Value) -> Result<Option<Self>, ApiError> {
        let Some(value) = req.headers().get(HEADER) else {
            return Ok(None);
        };
        let key = value
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LENGTH && k.bytes().all(|b| (0x21..0x7f).contains(&b)))
            .ok_or_else(|| {
                ApiError::invalid(
                    HEADER,
                    "format",
                    format!("Een Idempotency-Key is 1 tot {MAX_KEY_LENGTH} zichtbare ASCII-tekens, bijvoorbeeld een UUID."),
                )
            })?;
        let canonical = body.to_string();
        Ok(Some(Self {
            key: key.to_owned(),
            fingerprint: request_fingerprint(&[
                req.method().as_str().as_bytes(),
                req.path().as_bytes(),
                canonical.as_bytes(),
            ]),
        }))
    }

    /// The record to store with a write, answering `status` at `location`; the body is the write's.
    pub fn record(
        &self,
        client: &str,
        status: StatusCode,
        location: Option<String>,
        now: NaiveDateTime,
    ) -> IdempotencyRecord {
        IdempotencyRecord {
            client: client.to_owned(),
            key: self.key.clone(),
            request_hash: self.fingerprint.clone(),
            status: status.as_u16(),
            location,
            body: String::new(),
            created: now,
        }
    }

    /// The stored first answer for this key, or a 409 when the key was used for another request.
    pub async fn stored_answer(
        &self,
        state: &AppState,
        client: &str,
    ) -> Result<Option<HttpResponse>, ApiError> {
        let (client, key) = (client.to_owned(), self.key.clone());
        let record =
            run_blocking(state, move |store| store.find_idempotency(&client, &key)).await?;
        match record {
            None => Ok(None),
            Some(record) if record.request_hash == self.fingerprint => Ok(Some(replay(&record))),
            Some(_) => Err(ApiError::Conflict {
                kind: "idempotency-key-hergebruikt",
                detail: "Deze Idempotency-Key is al gebruikt voor een ander verzoek.".to_owned(),
            }),
        }
    }
}

fn replay(record: &IdempotencyRecord) -> HttpResponse {
    let mut builder =
        HttpResponse::build(StatusCode::from_u16(record.status).unwrap_or(StatusCode::OK));
    builder.content_type("application/json");
    builder.insert_header(("Idempotent-Replayed", "true"));
    if let Some(location) = &record.location {
        builder.insert_header((header::LOCATION, location.as_str()));
    }
    builder.body(record.body.clone())
}

/// A `201 Created` answer to a POST, written once per idempotency key.
pub struct Created {
    pub location: String,
    pub body: String,
    pub etag: Option<String>,
}

impl Created {
    fn response(&self) -> HttpResponse {
        let mut builder = HttpResponse::Created();
        builder.content_type("application/json");
        builder.insert_header((header::LOCATION, self.location.as_str()));
        if let Some(etag) = &self.etag {
            builder.insert_header((header::ETAG, etag.as_str()));
        }
        builder.body(self.body.clone())
    }
}

/// Performs a create under an optional idempotency key: replays a stored answer, refuses a reused key,
/// or runs `write` with the record to store alongside the new state.
///
/// # Errors
/// What `write` fails with, or a 409 for a key reused with another request.
pub async fn create<F>(
    state: &AppState,
    client: &str,
    now: NaiveDateTime,
    idempotency: Option<Idempotency>,
    created: Created,
    write: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&dyn Store, Option<&IdempotencyRecord>) -> Result<(), StoreError> + Send + 'static,
{
    let Some(idempotency) = idempotency else {
        run_blocking(state, move |store| write(store, None)).await?;
        return Ok(created.response());
    };
    if let Some(answer) = idempotency.stored_answer(state, client).await? {
        return Ok(answer);
    }
    let record = IdempotencyRecord {
        client: client.to_owned(),
        key: idempotency.key.clone(),
        request_hash: idempotency.fingerprint.clone(),
        status: StatusCode::CREATED.as_u16(),
        location: Some(created.location.clone()),
        body: created.body.clone(),
        created: now,
    };
    match run_blocking_store(state, move |store| write(store, Some(&record))).await {
        Ok(()) => Ok(created.response()),
        // A concurrent request with the same key won the race: answer as it did.
        Err(StoreError::IdempotencyKeyTaken) => idempotency
            .stored_answer(state, client)
            .await?
            .ok_or(ApiError::Internal),
        Err(other) => Err(ApiError::from(other)),
    }
}
