//! `/inburgeraars/{inburgeraarId}/ontheffingen` and `.../vrijstellingen`: DUO's decisions mirrored.

use super::dto::{BesluitAanmaken, BesluitDto, BesluitLijst, OntheffingAanmaken};
use crate::auth::Caller;
use crate::body::{Body, RequestBody};
use crate::idempotency;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use koers_domain::commando::Opdracht;
use koers_domain::principal::Scope;
use koers_domain::traject::BesluitGegevens;
use koers_domain::traject::Lijst;

async fn list(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
    ontheffing: bool,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id, query, page) =
        crate::routes::person_page_call(&caller, Scope::PipLezen, &req, &path)?;
    let lijst = if ontheffing {
        Lijst::Ontheffingen
    } else {
        Lijst::Vrijstellingen
    };
    let found = super::pagina(&state, ctx, id, lijst, page, false).await?;
    let besluiten = if ontheffing {
        &found.traject.ontheffingen
    } else {
        &found.traject.vrijstellingen
    };
    let (mut response, next) = query.page_response(&req, found.volgende.as_deref());
    Ok(response.json(BesluitLijst {
        resultaten: besluiten.iter().map(BesluitDto::from).collect(),
        volgende_pagina: next,
    }))
}

async fn create<T: RequestBody + Into<BesluitGegevens>>(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<T>,
    state: web::Data<AppState>,
    ontheffing: bool,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipVaststellen, &req, &path)?;
    let key = idempotency::key(&req, &body)?;
    let (input, judged): (BesluitGegevens, _) = (body.value.into(), body.judged);
    let opdracht = Opdracht::Besluit {
        ontheffing,
        gegevens: input,
    };
    super::post(&state, ctx, id, super::commando(opdracht, &judged), key).await
}

/// Ontheffingen van een inburgeraar
///
/// Vereiste scope: `pip:lezen`. Oudste eerst, per pagina; de volgende pagina staat in de `Link`-header
/// (`rel="next"`) en in `volgendePagina`.
#[utoipa::path(
    tag = "Traject",
    operation_id = "zoekOntheffingen",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina ontheffingen.", body = BesluitLijst,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}/ontheffingen")]
pub async fn list_ontheffingen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    list(caller, req, path, state, true).await
}

/// Een ontheffing vastleggen
///
/// Vereiste scope: `pip:vaststellen`. DUO's codes MED (medisch) en BIO (bijzondere individuele
/// omstandigheden), `GEHEEL` of `GEDEELTELIJK` (met examenonderdelen). Een gehele ontheffing maakt de
/// status `ontheven`: de plicht en de termijn eindigen.
#[utoipa::path(
    tag = "Traject",
    operation_id = "legOntheffingVast",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    request_body(content = OntheffingAanmaken, content_type = "application/json"),
    responses((status = 201, description = "De ontheffing.", body = BesluitDto)),
)]
#[post("/inburgeraars/{inburgeraarId}/ontheffingen")]
pub async fn create_ontheffing(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<OntheffingAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    create(caller, req, path, body, state, true).await
}

/// Vrijstellingen van een inburgeraar
///
/// Vereiste scope: `pip:lezen`. Oudste eerst, per pagina; de volgende pagina staat in de `Link`-header
/// (`rel="next"`) en in `volgendePagina`.
#[utoipa::path(
    tag = "Traject",
    operation_id = "zoekVrijstellingen",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina vrijstellingen.", body = BesluitLijst,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}/vrijstellingen")]
pub async fn list_vrijstellingen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    list(caller, req, path, state, false).await
}

/// Een vrijstelling vastleggen
///
/// Vereiste scope: `pip:vaststellen`. DUO's codes: AVI, DIP, DOC, INB (geheel: status `vrijgesteld`),
/// GED (gedeeltelijk, per examenonderdeel), INS en OPL (tijdelijk, met einddatum: status
/// `tijdelijkVrijgesteld`).
#[utoipa::path(
    tag = "Traject",
    operation_id = "legVrijstellingVast",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    request_body(content = BesluitAanmaken, content_type = "application/json"),
    responses((status = 201, description = "De vrijstelling.", body = BesluitDto)),
)]
#[post("/inburgeraars/{inburgeraarId}/vrijstellingen")]
pub async fn create_vrijstelling(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<BesluitAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    create(caller, req, path, body, state, false).await
}
