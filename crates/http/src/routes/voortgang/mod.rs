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
use crate::state::{run_blocking, AppState};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::HttpResponse;
use koers_domain::events::Wijziging;
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::ports::{Gewijzigd, Store, StoreError, TrajectAanvraag, TrajectOutcome};
use koers_domain::records::{Antwoord, IdempotencyKey, RequestContext, Verwerkingsactiviteit};
use koers_domain::traject::{Selectie, Traject, Weigering};
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

/// What a push decided: the answer, and what it replaced (for a state that a resend replaces).
pub type Gepusht = (Antwoord, Option<serde_json::Value>);

/// What is pushed: the processing it is, what changes (its event), and what of the trajectory the
/// push looks at (the earlier items it may replace or flag).
#[derive(Debug, Clone)]
pub struct Aanlevering {
    pub activiteit: Verwerkingsactiviteit,
    pub wijziging: Wijziging,
    pub selectie: Selectie,
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
    aanlevering: &Aanlevering,
    key: Option<&IdempotencyKey>,
    change: &mut dyn FnMut(&mut Traject) -> Result<Gepusht, Weigering>,
) -> Result<Push, StoreError> {
    let aanvraag = TrajectAanvraag {
        activiteit: aanlevering.activiteit,
        wijziging: &aanlevering.wijziging,
        selectie: aanlevering.selectie,
        idempotency: key,
    };
    let outcome = store.update_traject(ctx, person, aanvraag, &mut |p, traject| {
        let (antwoord, vervangen) = change(traject).map_err(Some)?;
        Ok(Gewijzigd {
            status: p.status,
            antwoord,
            vervangen,
        })
    })?;
    Ok(match outcome {
        TrajectOutcome::NotFound => Push::NotFound,
        TrajectOutcome::Refused(refusal) => Push::Refused(refusal),
        TrajectOutcome::Updated(updated) => Push::Stored(updated.2.antwoord),
    })
}

/// Performs one push under the request's `Idempotency-Key` and answers it.
///
/// # Errors
/// 404 for a person the caller may not push for; the refusal; the store's error; 409 for a key reused
/// with another request.
pub async fn push_one<F>(
    state: &AppState,
    ctx: &RequestContext,
    person: InburgeraarId,
    aanlevering: Aanlevering,
    key: Option<IdempotencyKey>,
    change: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnMut(&mut Traject) -> Result<Gepusht, Weigering> + Send + 'static,
{
    idempotency::perform(state, ctx, key, |key| async move {
        let (ctx, mut change) = (ctx.clone(), change);
        let outcome = run_blocking(state, move |store| {
            push(store, &ctx, person, &aanlevering, key.as_ref(), &mut change)
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

/// The answer to a push that may replace an earlier one: 201 for a new item, 200 for one that replaced
/// (and so updated) an existing one; with the replaced item for the audit trail.
pub fn created_or_replaced<T: serde::Serialize>(nieuw: &T, vervangen: Option<&T>) -> Gepusht {
    let body = crate::routes::traject::json(nieuw);
    match vervangen {
        None => (Antwoord::created_here(body), None),
        Some(oud) => (Antwoord::ok(body), Some(crate::routes::traject::json(oud))),
    }
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
