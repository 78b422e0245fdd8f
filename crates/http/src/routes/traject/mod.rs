//! The trajectory of an inburgeraar: brede intake, PIPs, termijn and verlengingen, onderdelen,
//! ontheffingen and vrijstellingen, status changes, financieel ontzorgen, voortgangsgesprekken and the
//! participatieladder. Every operation reads or changes the one
//! trajectory aggregate of the person through the store, in one transaction.

pub mod besluiten;
pub mod brede_intake;
pub mod dto;
pub mod gesprekken;
pub mod onderdelen;
pub mod ontzorging;
pub mod participatieladder;
pub mod pips;
pub mod statuswijzigingen;
pub mod termijn;
pub mod weergave;

use crate::idempotency;
use crate::problem::ApiError;
use crate::state::{run_blocking, AppState};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::HttpResponse;
use koers_domain::commando::{Opdracht, TrajectCommando};
use koers_domain::gemeente::GemeenteCode;
use koers_domain::inburgeraar::{Inburgeraar, InburgeraarId};
use koers_domain::instellingen::GemeenteInstellingen;
use koers_domain::pagination::PageRequest;
use koers_domain::ports::{Lijstpagina, Lijstvraag, TrajectOutcome};
use koers_domain::records::{Antwoord, IdempotencyKey, RequestContext};
use koers_domain::traject::{Delen, Lijst, Traject};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa_actix_web::scope::Scope;

/// Registers the operations of the trajectory.
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
        .service(brede_intake::get_brede_intake)
        .service(brede_intake::put_brede_intake)
        .service(pips::list_pips)
        .service(pips::create_pip)
        .service(pips::get_pip)
        .service(pips::delete_pip)
        .service(pips::fix_pip)
        .service(termijn::get_termijn)
        .service(termijn::list_verlengingen)
        .service(termijn::create_verlenging)
        .service(onderdelen::get_onderdeel)
        .service(onderdelen::put_onderdeel)
        .service(besluiten::list_ontheffingen)
        .service(besluiten::create_ontheffing)
        .service(besluiten::list_vrijstellingen)
        .service(besluiten::create_vrijstelling)
        .service(statuswijzigingen::list_statuswijzigingen)
        .service(statuswijzigingen::create_statuswijziging)
        .service(ontzorging::get_ontzorging)
        .service(ontzorging::put_ontzorging)
        .service(gesprekken::list_gesprekken)
        .service(gesprekken::create_gesprek)
        .service(participatieladder::list_metingen)
        .service(participatieladder::create_meting)
}

/// Reads the trajectory of a visible person with the lists of `delen`; 404 when the person is not
/// visible.
///
/// # Errors
/// 404, or the store's error.
pub async fn load(
    state: &AppState,
    ctx: &RequestContext,
    id: InburgeraarId,
    delen: Delen,
) -> Result<(Inburgeraar, Traject), ApiError> {
    let ctx = ctx.clone();
    run_blocking(state, move |store| store.get_traject(&ctx, id, delen))
        .await?
        .ok_or(ApiError::NotFound)
}

/// A bounded read of the lists of a visible person's trajectory (one page of one list, or the last
/// items of some); 404 when the person is not visible.
///
/// # Errors
/// 404, or the store's error.
pub async fn lijst(
    state: &AppState,
    ctx: &RequestContext,
    id: InburgeraarId,
    vraag: Lijstvraag,
) -> Result<Lijstpagina, ApiError> {
    let ctx = ctx.clone();
    run_blocking(state, move |store| store.traject_lijst(&ctx, id, &vraag))
        .await?
        .ok_or(ApiError::NotFound)
}

/// One page of one list of a visible person's trajectory, with the item before it and the list's last
/// item when `rand`; 404 when the person is not visible.
///
/// # Errors
/// 404, or the store's error.
pub async fn pagina(
    state: &AppState,
    ctx: &RequestContext,
    id: InburgeraarId,
    lijst: Lijst,
    page: PageRequest,
    rand: bool,
) -> Result<Lijstpagina, ApiError> {
    self::lijst(state, ctx, id, Lijstvraag::Pagina { lijst, page, rand }).await
}

/// Applies a command to the trajectory of a visible person, on the blocking pool, with its answer
/// stored under `key` when there is one.
///
/// # Errors
/// 404 for an invisible person or missing sub-resource; the refusal as 400/403/409; the store's error.
pub async fn apply(
    state: &AppState,
    ctx: &RequestContext,
    id: InburgeraarId,
    commando: TrajectCommando,
    key: Option<IdempotencyKey>,
) -> Result<(Inburgeraar, Traject, Antwoord), ApiError> {
    let ctx = ctx.clone();
    let outcome = run_blocking(state, move |store| {
        store.update_traject(&ctx, id, &commando, key.as_ref(), &weergave::Antwoorden)
    })
    .await?;
    match outcome {
        TrajectOutcome::NotFound => Err(ApiError::NotFound),
        TrajectOutcome::Refused(refusal) => Err(ApiError::from(refusal)),
        TrajectOutcome::Updated(updated) => Ok(*updated),
    }
}

/// Changes the trajectory of a visible person (a `PUT` or `DELETE`): the person and the trajectory
/// after the change, from which the operation answers.
///
/// # Errors
/// As [`apply`].
pub async fn change(
    state: &AppState,
    ctx: &RequestContext,
    id: InburgeraarId,
    commando: TrajectCommando,
) -> Result<(Inburgeraar, Traject), ApiError> {
    let (person, traject, _) = apply(state, ctx, id, commando, None).await?;
    Ok((person, traject))
}

/// Performs a changing `POST` on the trajectory of a visible person under the request's
/// `Idempotency-Key`: the command's answer, which a retry gets again.
///
/// # Errors
/// As [`apply`], or 409 for a key reused with another request.
pub async fn post(
    state: &AppState,
    ctx: &RequestContext,
    id: InburgeraarId,
    commando: TrajectCommando,
    key: Option<IdempotencyKey>,
) -> Result<HttpResponse, ApiError> {
    idempotency::perform(state, ctx, key, |key| async move {
        let (_, _, antwoord) = apply(state, ctx, id, commando, key).await?;
        Ok(antwoord)
    })
    .await
}

/// A command whose input the request's schema judged first (`judged`): the domain joins those errors
/// with its own.
pub fn commando(opdracht: Opdracht, judged: &crate::body::Judged) -> TrajectCommando {
    TrajectCommando {
        opdracht,
        invoerfouten: judged.errors().clone(),
    }
}

/// A value as JSON for an answer. The answers' types are plain data that always serialise.
pub fn json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// The settings of the caller's gemeenten, for rules that depend on the person's gemeente.
pub async fn instellingen_van(
    state: &AppState,
    ctx: &RequestContext,
) -> Result<BTreeMap<GemeenteCode, GemeenteInstellingen>, ApiError> {
    let gemeenten: Vec<GemeenteCode> = ctx.principal.gemeenten.iter().cloned().collect();
    run_blocking(state, move |store| store.instellingen(&gemeenten)).await
}
