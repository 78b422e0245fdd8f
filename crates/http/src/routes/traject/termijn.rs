//! `/inburgeraars/{inburgeraarId}/termijn` and `.../verlengingen`

use super::dto::{TermijnDto, VerlengingAanmaken, VerlengingDto, VerlengingLijst};
use crate::auth::Caller;
use crate::body::Body;
use crate::idempotency;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use koers_domain::commando::Opdracht;
use koers_domain::principal::Scope;
use koers_domain::traject::VerlengingGegevens;
use koers_domain::traject::{Delen, Lijst};

/// De inburgeringstermijn
///
/// Vereiste scope: `pip:lezen`. Berekend, nooit ingetypt: start de dag na de dagtekening van de eerste
/// PIP, einde start + 3 jaar + verlengingen, de PIP-termijn, de laatste datum om van route te wisselen,
/// en waarschuwingen (einde termijn nabij of verstreken, AOW-leeftijd, PIP te laat).
#[utoipa::path(
    tag = "Traject",
    operation_id = "raadpleegTermijn",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    responses((status = 200, description = "De termijn.", body = TermijnDto)),
)]
#[get("/inburgeraars/{inburgeraarId}/termijn")]
pub async fn get_termijn(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipLezen, &req, &path)?;
    let (person, traject) = super::load(&state, ctx, id, Delen::TERMIJN).await?;
    Ok(HttpResponse::Ok().json(TermijnDto::from(
        &traject.overzicht(&person, ctx.now.date()),
    )))
}

/// De verlengingen van de termijn
///
/// Vereiste scope: `pip:lezen`. Oudste eerst, per pagina; de volgende pagina staat in de `Link`-header
/// (`rel="next"`) en in `volgendePagina`.
#[utoipa::path(
    tag = "Traject",
    operation_id = "zoekVerlengingen",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina verlengingen.", body = VerlengingLijst,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}/verlengingen")]
pub async fn list_verlengingen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id, query, page) =
        crate::routes::person_page_call(&caller, Scope::PipLezen, &req, &path)?;
    let found = super::pagina(&state, ctx, id, Lijst::Verlengingen, page, false).await?;
    let (mut response, next) = query.page_response(&req, found.volgende.as_deref());
    Ok(response.json(VerlengingLijst {
        resultaten: found
            .traject
            .verlengingen
            .iter()
            .map(VerlengingDto::from)
            .collect(),
        volgende_pagina: next,
    }))
}

/// Een verlenging vastleggen
///
/// Vereiste scope: `pip:vaststellen`. Legt een verlenging vast die DUO besloot; het einde van de termijn
/// schuift mee en de status wordt `verlengd`. Alleen als er een termijn loopt.
#[utoipa::path(
    tag = "Traject",
    operation_id = "legVerlengingVast",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    request_body(content = VerlengingAanmaken, content_type = "application/json"),
    responses((status = 201, description = "De verlenging.", body = VerlengingDto)),
)]
#[post("/inburgeraars/{inburgeraarId}/verlengingen")]
pub async fn create_verlenging(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<VerlengingAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipVaststellen, &req, &path)?;
    let key = idempotency::key(&req, &body)?;
    let (input, judged) = (VerlengingGegevens::from(body.value), body.judged);
    super::post(
        &state,
        ctx,
        id,
        super::commando(Opdracht::Verleng(input), &judged),
        key,
    )
    .await
}
