//! `Idempotency-Key` on every POST that changes something: the same key with the same request returns
//! the first answer; with another request it is a 409. The first answer is stored in the transaction
//! of the write it answers, so a crash can never keep one without the other. It belongs to the client
//! and the authority it acted with (its gemeenten or organisatie), and a replay is only given to a
//! caller that may still see the person the answer is about; anyone else is answered as if the request
//! carried no key. The contract declares the header on every such POST (`openapi::finalize`).

use crate::body::Sent;
use crate::problem::ApiError;
use crate::state::{run_blocking, AppState};
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::ports::{Replay, Store, StoreError};
use koers_domain::records::{
    request_fingerprint, Antwoord, IdempotencyKey, IdempotencyRecord, RequestContext,
    Verwerkingsactiviteit,
};
use std::future::Future;

pub const HEADER: &str = "Idempotency-Key";
/// Marks an answer that repeats a stored one.
pub const REPLAYED: &str = "idempotent-replayed";
const MAX_KEY_LENGTH: usize = 255;

/// Reads the header, if any. The fingerprint covers method, path and the body as parsed JSON, so a
/// retry that only reorders properties or changes white space is still the same request.
///
/// # Errors
/// `Invalid` for an empty, over-long or non-printable key.
pub fn key(req: &HttpRequest, body: &impl Sent) -> Result<Option<IdempotencyKey>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| {
            !k.is_empty()
                && k.len() <= MAX_KEY_LENGTH
                && k.bytes().all(|b| (0x21..0x7f).contains(&b))
        })
        .ok_or_else(|| {
            ApiError::invalid(
                HEADER,
                "format",
                format!(
                    "Een Idempotency-Key is 1 tot {MAX_KEY_LENGTH} zichtbare ASCII-tekens, bijvoorbeeld een UUID."
                ),
            )
        })?;
    Ok(Some(IdempotencyKey {
        key: key.to_owned(),
        fingerprint: fingerprint(req, body.sent()),
    }))
}

/// The fingerprint of a request: method, path and body.
pub fn fingerprint(req: &HttpRequest, body: &impl serde::Serialize) -> String {
    request_fingerprint(&[
        req.method().as_str().as_bytes(),
        req.path().as_bytes(),
        serde_json::to_string(body).unwrap_or_default().as_bytes(),
    ])
}

/// The HTTP answer for what a change answered.
pub fn respond(antwoord: &Antwoord) -> HttpResponse {
    let mut builder = HttpResponse::build(
        StatusCode::from_u16(antwoord.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    );
    if let Some(location) = &antwoord.location {
        builder.insert_header((header::LOCATION, location.as_str()));
    }
    builder.json(&antwoord.body)
}

/// Whether `response` repeats a stored answer.
pub fn is_replay(response: &HttpResponse) -> bool {
    response.headers().contains_key(REPLAYED)
}

/// What the store holds for a key, as this caller may know it.
enum Lookup {
    /// The stored first answer, to repeat.
    Replay(HttpResponse),
    /// Nothing stored: the write goes ahead and stores its answer under the key.
    Fresh(IdempotencyKey),
    /// Stored, but about a person the caller may no longer see: answered as without the key.
    Hidden,
}

async fn lookup(
    state: &AppState,
    ctx: &RequestContext,
    key: IdempotencyKey,
) -> Result<Lookup, ApiError> {
    let (ctx, text) = (ctx.clone(), key.key.clone());
    let found = run_blocking(state, move |store| store.find_idempotency(&ctx, &text)).await?;
    match found {
        Replay::Absent => Ok(Lookup::Fresh(key)),
        Replay::Hidden => Ok(Lookup::Hidden),
        Replay::Stored(record) if record.request_hash == key.fingerprint => {
            let mut response = respond(&record.antwoord);
            response.headers_mut().insert(
                header::HeaderName::from_static(REPLAYED),
                header::HeaderValue::from_static("true"),
            );
            Ok(Lookup::Replay(response))
        }
        Replay::Stored(_) => Err(reused()),
    }
}

/// Performs a changing request under an optional idempotency key: repeats the stored first answer,
/// refuses a key reused for another request, or runs `write` with the key to store its answer under
/// (`None` when there is none, or when the stored answer is hidden from this caller).
///
/// # Errors
/// What `write` fails with, or a 409 for a key reused with another request.
pub async fn perform<F, Fut>(
    state: &AppState,
    ctx: &RequestContext,
    key: Option<IdempotencyKey>,
    write: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(Option<IdempotencyKey>) -> Fut,
    Fut: Future<Output = Result<Antwoord, ApiError>>,
{
    let key = match key {
        None => None,
        Some(key) => match lookup(state, ctx, key).await? {
            Lookup::Replay(response) => return Ok(response),
            Lookup::Fresh(key) => Some(key),
            Lookup::Hidden => None,
        },
    };
    let retry = key.clone();
    match (write(key).await, retry) {
        (Ok(antwoord), _) => Ok(respond(&antwoord)),
        // A concurrent request with the same key won the race: answer as it did.
        (
            Err(
                error @ ApiError::Conflict {
                    kind: KEY_TAKEN, ..
                },
            ),
            Some(key),
        ) => match lookup(state, ctx, key).await? {
            Lookup::Replay(response) => Ok(response),
            Lookup::Fresh(_) | Lookup::Hidden => Err(error),
        },
        (Err(error), _) => Err(error),
    }
}

/// Performs a create whose answer is known before the write: `write` stores the new thing together
/// with the record of the key, if any, which names the person the answer is about and the activity
/// (`None` for what is no one's personal data).
///
/// # Errors
/// As [`perform`]; the write's own refusal.
pub async fn create<W>(
    state: &AppState,
    ctx: &RequestContext,
    key: Option<IdempotencyKey>,
    about: Option<(InburgeraarId, Verwerkingsactiviteit)>,
    antwoord: Antwoord,
    write: W,
) -> Result<HttpResponse, ApiError>
where
    W: FnOnce(
            &dyn Store,
            &RequestContext,
            Option<&IdempotencyRecord>,
        ) -> Result<Result<(), ApiError>, StoreError>
        + Send
        + 'static,
{
    perform(state, ctx, key, |key| async move {
        let record = key.map(|key| {
            IdempotencyRecord::new(
                ctx,
                &key,
                about.map(|(subject, _)| subject),
                about.map(|(_, activiteit)| activiteit),
                antwoord.clone(),
            )
        });
        let stored = ctx.clone();
        run_blocking(state, move |store| write(store, &stored, record.as_ref())).await??;
        Ok(antwoord)
    })
    .await
}

/// The answer to a key used before for another request.
pub fn reused() -> ApiError {
    ApiError::Conflict {
        kind: "idempotency-key-hergebruikt",
        detail: "Deze Idempotency-Key is al gebruikt voor een ander verzoek.".to_owned(),
    }
}

/// The conflict kind of a key stored by a concurrent request (see `problem`).
pub const KEY_TAKEN: &str = "idempotency-key-in-gebruik";
