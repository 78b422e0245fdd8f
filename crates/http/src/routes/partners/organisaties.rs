//! `/organisaties`: partners, managed with scope `beheer`.

use super::dto::{OrganisatieAanmaken, OrganisatieDto, OrganisatieLijst, OrganisatieWijzigen};
use crate::auth::Caller;
use crate::body::Body;
use crate::idempotency;
use crate::problem::ApiError;
use crate::query::{QueryParams, PAGE_PARAMS};
use crate::state::{run_blocking, AppState};
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use koers_domain::partner::Organisatie;
use koers_domain::principal::Scope;
use koers_domain::records::Antwoord;
use uuid::Uuid;

fn organisatie_id(raw: &str) -> Result<Uuid, ApiError> {
    crate::routes::path_uuid("organisatieId", raw)
}

/// Een organisatie registreren
///
/// Vereiste scope: `beheer`. Een taalaanbieder (met Blik op Werk keurmerk) of een maatschappelijke
/// partner. Een token met de claim `organisatie` handelt alleen namens een actieve organisatie.
#[utoipa::path(
    tag = "Partners",
    operation_id = "registreerOrganisatie",
    request_body(content = OrganisatieAanmaken, content_type = "application/json"),
    responses((status = 201, description = "De organisatie.", body = OrganisatieDto,
        headers(("Location" = String, description = "URL van de organisatie.")))),
)]
#[post("/organisaties")]
pub async fn create_organisatie(
    caller: Caller,
    req: HttpRequest,
    body: Body<OrganisatieAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::Beheer)?.clone();
    QueryParams::parse(&req, &[])?.check()?;
    let key = idempotency::key(&req, &body)?;
    let organisatie = body
        .judged
        .finish(Organisatie::registreer(body.value.into(), ctx.now))?;
    let antwoord = Antwoord::created(
        format!("{}/{}", req.path(), organisatie.id),
        serde_json::to_value(OrganisatieDto::from(&organisatie)).map_err(|_| ApiError::Internal)?,
    );
    // An organisatie is no one's personal data: the answer is the caller's to see again.
    idempotency::create(
        &state,
        &ctx,
        key,
        None,
        antwoord,
        move |store, ctx, record| store.create_organisatie(ctx, &organisatie, record).map(Ok),
    )
    .await
}

/// Organisaties opvragen
///
/// Vereiste scope: `beheer`. Per pagina, in vaste volgorde.
#[utoipa::path(
    tag = "Partners",
    operation_id = "zoekOrganisaties",
    params(
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses((status = 200, description = "Een pagina organisaties.", body = OrganisatieLijst,
        headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is.")))),
)]
#[get("/organisaties")]
pub async fn list_organisaties(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Scope::Beheer)?;
    let mut query = QueryParams::parse(&req, &PAGE_PARAMS)?;
    let page = query.page();
    query.check()?;
    let found = run_blocking(&state, move |store| store.list_organisaties(&page)).await?;
    let (mut response, next) = query.page_response(&req, found.next_after.as_deref());
    Ok(response.json(OrganisatieLijst {
        resultaten: found.items.iter().map(OrganisatieDto::from).collect(),
        volgende_pagina: next,
    }))
}

/// Een organisatie raadplegen
///
/// Vereiste scope: `beheer`.
#[utoipa::path(
    tag = "Partners",
    operation_id = "raadpleegOrganisatie",
    params(("organisatieId" = uuid::Uuid, Path, description = "Identificatie van de organisatie.")),
    responses((status = 200, description = "De organisatie.", body = OrganisatieDto)),
)]
#[get("/organisaties/{organisatieId}")]
pub async fn get_organisatie(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Scope::Beheer)?;
    let id = organisatie_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let found = run_blocking(&state, move |store| store.get_organisatie(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(OrganisatieDto::from(&found)))
}

/// Een organisatie (de)activeren
///
/// Vereiste scope: `beheer`. Een inactieve organisatie ziet met haar tokens vanaf het volgende verzoek
/// niemand meer, welke toestemmingen er ook zijn.
#[utoipa::path(
    tag = "Partners",
    operation_id = "wijzigOrganisatie",
    params(("organisatieId" = uuid::Uuid, Path, description = "Identificatie van de organisatie.")),
    request_body(content = OrganisatieWijzigen, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "De organisatie.", body = OrganisatieDto)),
)]
#[patch("/organisaties/{organisatieId}")]
pub async fn update_organisatie(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<OrganisatieWijzigen>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::Beheer)?.clone();
    let id = organisatie_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let actief = body.valid()?.actief;
    let found = run_blocking(&state, move |store| {
        store.set_organisatie_actief(&ctx, id, actief)
    })
    .await?
    .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(OrganisatieDto::from(&found)))
}
