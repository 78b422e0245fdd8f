//! What partners push: `/inschrijvingen`, `/gevolgde-uren`, `/examenresultaten` (and `_bulk`), scope
//! `voortgang:aanleveren`. A partner pushes only for people its active toestemming covers (category
//! VOORTGANG or EXAMENRESULTATEN); anyone else does not exist for it. What was pushed is read back
//! (scope `pip:lezen`) in `…/voortgang`, bounded, and page by page in the person's `…/inschrijvingen`,
//! `…/gevolgde-uren` and `…/examenresultaten`.

pub mod dto;
pub mod examenresultaten;
pub mod inschrijvingen;
pub mod lijsten;

use crate::body::Judged;
use crate::idempotency;
use crate::problem::ApiError;
use crate::routes::traject::weergave::Antwoorden;
use crate::state::{run_blocking, AppState};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::HttpResponse;
use koers_domain::commando::{Opdracht, TrajectCommando};
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::ports::{Store, StoreError, TrajectOutcome};
use koers_domain::records::{Antwoord, IdempotencyKey, RequestContext};
use koers_domain::traject::Weigering;
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
        .service(lijsten::list_inschrijvingen)
        .service(lijsten::list_gevolgde_uren)
        .service(lijsten::list_examenresultaten)
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
    Stored(Antwoord),
    NotFound,
    Refused(Weigering),
}

/// Pushes into the trajectory of one person, on the calling (blocking) thread, with its answer stored
/// under `key` when there is one.
///
/// # Errors
/// The store's error.
pub fn push(
    store: &dyn Store,
    ctx: &RequestContext,
    person: InburgeraarId,
    commando: &TrajectCommando,
    key: Option<&IdempotencyKey>,
) -> Result<Push, StoreError> {
    let outcome = store.update_traject(ctx, person, commando, key, &Antwoorden)?;
    Ok(match outcome {
        TrajectOutcome::NotFound => Push::NotFound,
        TrajectOutcome::Refused(refusal) => Push::Refused(refusal),
        TrajectOutcome::Updated(updated) => Push::Stored(updated.2),
    })
}

/// Performs one push under the request's `Idempotency-Key` and answers it.
///
/// # Errors
/// 404 for a person the caller may not push for; the refusal; the store's error; 409 for a key reused
/// with another request.
pub async fn push_one(
    state: &AppState,
    ctx: &RequestContext,
    person: InburgeraarId,
    opdracht: Opdracht,
    key: Option<IdempotencyKey>,
) -> Result<HttpResponse, ApiError> {
    idempotency::perform(state, ctx, key, |key| async move {
        let ctx = ctx.clone();
        let commando = TrajectCommando::from(opdracht);
        let outcome = run_blocking(state, move |store| {
            push(store, &ctx, person, &commando, key.as_ref())
        })
        .await?;
        match outcome {
            Push::Stored(antwoord) => Ok(antwoord),
            Push::NotFound => Err(ApiError::NotFound),
            Push::Refused(refusal) => Err(ApiError::from(refusal)),
        }
    })
    .await
}

/// The person a push is about and what the domain made of it, or every invalid field of the push
/// (the schema's and the domain's) at once.
///
/// # Errors
/// `Invalid` naming every invalid field.
pub fn pushed<T>(
    judged: &Judged,
    person: Option<Uuid>,
    built: Result<T, FieldErrors>,
) -> Result<(InburgeraarId, T), FieldErrors> {
    let value = judged.merge(built)?;
    // The schema requires the person: without one the merge above has already answered.
    let person = person.ok_or_else(|| {
        FieldErrors::from(koers_domain::FieldError::new(
            "inburgeraarId",
            "required",
            "Dit veld is verplicht.",
        ))
    })?;
    Ok((InburgeraarId(person), value))
}
