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

use crate::idempotency;
use crate::problem::ApiError;
use crate::state::{run_blocking, AppState};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::HttpResponse;
use koers_domain::events::Wijziging;
use koers_domain::gemeente::GemeenteCode;
use koers_domain::inburgeraar::{Inburgeraar, InburgeraarId, InburgeraarStatus};
use koers_domain::instellingen::GemeenteInstellingen;
use koers_domain::pagination::PageRequest;
use koers_domain::ports::{Gewijzigd, Lijstpagina, Lijstvraag, TrajectAanvraag, TrajectOutcome};
use koers_domain::records::{Antwoord, IdempotencyKey, RequestContext, Verwerkingsactiviteit};
use koers_domain::traject::{Delen, Lijst, Selectie, Traject, Weigering};
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

/// Applies a change to the trajectory of a person visible in `activiteit`, on the blocking pool, with
/// its answer stored under `key` when there is one. A change of the gemeente loads the whole
/// trajectory: its rules may look at any part.
///
/// # Errors
/// 404 for an invisible person or missing sub-resource; the refusal as 400/403/409; the store's error.
pub async fn apply<F>(
    state: &AppState,
    ctx: &RequestContext,
    id: InburgeraarId,
    activiteit: Verwerkingsactiviteit,
    wijziging: Wijziging,
    key: Option<IdempotencyKey>,
    mut change: F,
) -> Result<(Inburgeraar, Traject, Gewijzigd), ApiError>
where
    F: FnMut(&Inburgeraar, &mut Traject) -> Result<Gewijzigd, Option<Weigering>> + Send + 'static,
{
    let ctx = ctx.clone();
    let outcome = run_blocking(state, move |store| {
        let aanvraag = TrajectAanvraag {
            activiteit,
            wijziging: &wijziging,
            selectie: Selectie::Lijsten(Delen::ALLES),
            idempotency: key.as_ref(),
        };
        store.update_traject(&ctx, id, aanvraag, &mut change)
    })
    .await?;
    match outcome {
        TrajectOutcome::NotFound => Err(ApiError::NotFound),
        TrajectOutcome::Refused(refusal) => Err(ApiError::from(refusal)),
        TrajectOutcome::Updated(updated) => Ok(*updated),
    }
}

/// Changes the trajectory of a visible person (a `PUT` or `DELETE`) and returns what `change`
/// produced.
///
/// # Errors
/// As [`apply`].
pub async fn change<T, F>(
    state: &AppState,
    ctx: &RequestContext,
    id: InburgeraarId,
    wijziging: Wijziging,
    mut change: F,
) -> Result<(Inburgeraar, Traject, serde_json::Value), ApiError>
where
    T: Serialize,
    F: FnMut(&Inburgeraar, &mut Traject) -> Result<(InburgeraarStatus, T), Option<Weigering>>
        + Send
        + 'static,
{
    let activiteit = Verwerkingsactiviteit::TrajectWijzigen;
    let (person, traject, gewijzigd) = apply(
        state,
        ctx,
        id,
        activiteit,
        wijziging,
        None,
        move |person, traject| {
            let (status, value) = change(person, traject)?;
            Ok(Gewijzigd::new(status, Antwoord::ok(json(&value))))
        },
    )
    .await?;
    Ok((person, traject, gewijzigd.antwoord.body))
}

/// Performs a changing `POST` on the trajectory of a visible person under the request's
/// `Idempotency-Key`: `change` decides the new status and the answer, which a retry gets again.
///
/// # Errors
/// As [`apply`], or 409 for a key reused with another request.
pub async fn post<F>(
    state: &AppState,
    ctx: &RequestContext,
    id: InburgeraarId,
    wijziging: Wijziging,
    key: Option<IdempotencyKey>,
    change: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnMut(
            &Inburgeraar,
            &mut Traject,
        ) -> Result<(InburgeraarStatus, Antwoord), Option<Weigering>>
        + Send
        + 'static,
{
    let activiteit = Verwerkingsactiviteit::TrajectWijzigen;
    idempotency::perform(state, ctx, key, |key| async move {
        let mut change = change;
        let (_, _, gewijzigd) = apply(state, ctx, id, activiteit, wijziging, key, move |p, t| {
            let (status, antwoord) = change(p, t)?;
            Ok(Gewijzigd::new(status, antwoord))
        })
        .await?;
        Ok(gewijzigd.antwoord)
    })
    .await
}

/// Adds one item to the trajectory (a conversation, a measurement) in a `POST`: `add` applies the
/// domain's rule, given the person's status, and answers with the item; the schema's errors and the
/// rule's are answered together.
///
/// # Errors
/// As [`post`].
pub async fn add<F>(
    state: &AppState,
    ctx: &RequestContext,
    id: InburgeraarId,
    wijziging: Wijziging,
    key: Option<IdempotencyKey>,
    judged: crate::body::Judged,
    add: F,
) -> Result<HttpResponse, ApiError>
where
    F: Fn(&mut Traject, InburgeraarStatus) -> Result<Antwoord, Weigering> + Send + 'static,
{
    post(state, ctx, id, wijziging, key, move |person, traject| {
        let antwoord = with_body_errors(&judged, add(traject, person.status))?;
        Ok((person.status, antwoord))
    })
    .await
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

/// Joins what the body's schema found with the domain's verdict, so every invalid field is named at
/// once; a change the domain accepted is still refused when the schema found errors.
///
/// # Errors
/// The refusal, with the schema's errors first.
pub fn with_body_errors<T>(
    judged: &crate::body::Judged,
    result: Result<T, Weigering>,
) -> Result<T, Option<Weigering>> {
    match result {
        Ok(value) => judged
            .merge(Ok(value))
            .map_err(|errors| Some(Weigering::Ongeldig(errors))),
        Err(Weigering::Ongeldig(errors)) => Err(Some(Weigering::Ongeldig(judged.with(errors)))),
        Err(other) => Err(Some(other)),
    }
}
