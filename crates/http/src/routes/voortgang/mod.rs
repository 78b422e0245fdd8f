//! What partners push: `/inschrijvingen`, `/gevolgde-uren`, `/examenresultaten` (and `_bulk`), scope
//! `voortgang:aanleveren`. A partner pushes only for people its active toestemming covers (category
//! VOORTGANG or EXAMENRESULTATEN); anyone else does not exist for it.

pub mod dto;
pub mod examenresultaten;
pub mod inschrijvingen;

use crate::problem::ApiError;
use crate::state::{run_blocking_store, AppState};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::ports::{Store, StoreError, TrajectOutcome};
use koers_domain::records::{IdempotencyRecord, RequestContext, Verwerkingsactiviteit};
use koers_domain::traject::{Traject, Weigering};
use koers_domain::FieldErrors;
use utoipa_actix_web::scope::Scope;
use uuid::Uuid;

/// Registers the push operations.
pub fn register<T>(scope: Scope<T>) -> Scope<T>
where
    T: ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
{
    scope
        .service(inschrijvingen::create_inschrijving)
        .service(inschrijvingen::create_gevolgde_uren)
        .service(inschrijvingen::get_voortgang)
        .service(examenresultaten::create_examenresultaat)
        .service(examenresultaten::bulk_examenresultaten)
}

/// The organisatie a push is for: a partner's own; a gemeente may name one.
pub fn organisatie(ctx: &RequestContext, gegeven: Option<Uuid>) -> Option<Uuid> {
    match &ctx.principal.organisatie {
        Some(own) => Uuid::parse_str(own).ok(),
        None => gegeven,
    }
}

/// The outcome of one push.
pub enum Push {
    Stored(serde_json::Value),
    NotFound,
    Refused(Weigering),
}

/// Pushes into the trajectory of one person, on the calling (blocking) thread.
///
/// # Errors
/// The store's error.
pub fn push(
    store: &dyn Store,
    ctx: &RequestContext,
    person: InburgeraarId,
    activiteit: Verwerkingsactiviteit,
    resource: &str,
    idempotency: Option<&IdempotencyRecord>,
    change: &mut dyn FnMut(&mut Traject) -> Result<serde_json::Value, Weigering>,
) -> Result<Push, StoreError> {
    let outcome = store.update_traject(
        ctx,
        person,
        activiteit,
        resource,
        idempotency,
        &mut |p, traject| change(traject).map(|value| (p.status, value)).map_err(Some),
    )?;
    Ok(match outcome {
        TrajectOutcome::NotFound => Push::NotFound,
        TrajectOutcome::Refused(refusal) => Push::Refused(refusal),
        TrajectOutcome::Updated(updated) => Push::Stored(updated.2),
    })
}

/// Runs one push on the blocking pool and maps its outcome to an answer.
///
/// # Errors
/// 404 for a person the caller may not push for; the refusal; the store's error.
pub async fn push_one<F>(
    state: &AppState,
    ctx: RequestContext,
    person: InburgeraarId,
    activiteit: Verwerkingsactiviteit,
    resource: &'static str,
    idempotency: Option<IdempotencyRecord>,
    mut change: F,
) -> Result<serde_json::Value, ApiError>
where
    F: FnMut(&mut Traject) -> Result<serde_json::Value, Weigering> + Send + 'static,
{
    let outcome = run_blocking_store(state, move |store| {
        push(
            store,
            &ctx,
            person,
            activiteit,
            resource,
            idempotency.as_ref(),
            &mut change,
        )
    })
    .await;
    match outcome {
        Ok(Push::Stored(value)) => Ok(value),
        Ok(Push::NotFound) => Err(ApiError::NotFound),
        Ok(Push::Refused(refusal)) => Err(ApiError::from(refusal)),
        Err(error) => Err(ApiError::from(error)),
    }
}

/// Parses the `inburgeraarId` of a push body.
pub fn person_id(
    errors: &mut FieldErrors,
    input: koers_domain::input::Input<String>,
) -> Option<InburgeraarId> {
    koers_domain::input::required(errors, "inburgeraarId", input, |f, v| {
        Uuid::parse_str(&v)
            .map(InburgeraarId)
            .map_err(|_| koers_domain::FieldError::new(f, "format", "Een UUID."))
    })
}
