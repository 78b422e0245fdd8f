//! `/toestemmingen`: the recorded basis for sharing a person's data with a partner, with withdrawal.

use super::dto::{Intrekking, ToestemmingAanmaken, ToestemmingDto, ToestemmingLijst};
use crate::auth::Caller;
use crate::body::Body;
use crate::idempotency;
use crate::problem::ApiError;
use crate::query::QueryParams;
use crate::state::{run_blocking, AppState};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use koers_domain::partner::Toestemming;
use koers_domain::principal::Scope;
use koers_domain::records::{Antwoord, Verwerkingsactiviteit};
use uuid::Uuid;

fn toestemming_id(raw: &str) -> Result<Uuid, ApiError> {
    crate::routes::path_uuid("toestemmingId", raw)
}

/// Een toestemming vastleggen
///
/// Vereiste scope: `toestemmingen:beheren`, voor een persoon in de gemeenten van het token. Legt vast
/// op welke grondslag (AVG art. 6, of art. 9 voor gezondheid) een organisatie welke gegevens voor welke
/// doelen mag ontvangen of aanleveren, hoe lang, en met welk bewijs. Vanaf het volgende verzoek ziet de
/// organisatie de persoon binnen die grenzen; daarbuiten bestaat de persoon voor haar niet.
#[utoipa::path(
    tag = "Partners",
    operation_id = "legToestemmingVast",
    request_body(content = ToestemmingAanmaken, content_type = "application/json"),
    responses((status = 201, description = "De toestemming.", body = ToestemmingDto,
        headers(("Location" = String, description = "URL van de toestemming.")))),
)]
#[post("/toestemmingen")]
pub async fn create_toestemming(
    caller: Caller,
    req: HttpRequest,
    body: Body<ToestemmingAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::ToestemmingenBeheren)?.clone();
    QueryParams::parse(&req, &[])?.check()?;
    let key = idempotency::key(&req, &body)?;
    let door = ctx
        .principal
        .gebruiker
        .clone()
        .unwrap_or_else(|| ctx.principal.client.clone());
    let toestemming =
        body.judged
            .finish(Toestemming::vastleggen(body.value.into(), &door, ctx.now))?;
    let antwoord = Antwoord::created(
        format!("{}/{}", req.path(), toestemming.id),
        serde_json::to_value(ToestemmingDto::from_domain(&toestemming, ctx.now.date()))
            .map_err(|_| ApiError::Internal)?,
    );
    let about = (
        toestemming.inburgeraar_id,
        Verwerkingsactiviteit::ToestemmingVastleggen,
    );
    idempotency::create(
        &state,
        &ctx,
        key,
        Some(about),
        antwoord,
        move |store, ctx, record| {
            Ok(store
                .create_toestemming(ctx, &toestemming, record)?
                .map_err(ApiError::from))
        },
    )
    .await
}

/// Een toestemming raadplegen
///
/// Vereiste scope: `toestemmingen:beheren`. Met de volledige, onveranderlijke geschiedenis.
#[utoipa::path(
    tag = "Partners",
    operation_id = "raadpleegToestemming",
    params(("toestemmingId" = uuid::Uuid, Path, description = "Identificatie van de toestemming.")),
    responses((status = 200, description = "De toestemming.", body = ToestemmingDto)),
)]
#[get("/toestemmingen/{toestemmingId}")]
pub async fn get_toestemming(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::ToestemmingenBeheren)?.clone();
    let id = toestemming_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let today = ctx.now.date();
    let found = run_blocking(&state, move |store| store.get_toestemming(&ctx, id))
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(ToestemmingDto::from_domain(&found, today)))
}

/// Een toestemming intrekken
///
/// Vereiste scope: `toestemmingen:beheren`. Net zo eenvoudig als geven: voegt de gebeurtenis
/// INGETROKKEN toe (de geschiedenis blijft staan) en geldt vanaf het volgende verzoek van de partner.
#[utoipa::path(
    tag = "Partners",
    operation_id = "trekToestemmingIn",
    params(("toestemmingId" = uuid::Uuid, Path, description = "Identificatie van de toestemming.")),
    request_body(content = Intrekking, content_type = "application/json"),
    responses((status = 200, description = "De ingetrokken toestemming.", body = ToestemmingDto)),
)]
#[post("/toestemmingen/{toestemmingId}/intrekking")]
pub async fn withdraw_toestemming(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<Intrekking>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::ToestemmingenBeheren)?.clone();
    let id = toestemming_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let key = idempotency::key(&req, &body)?;
    let toelichting = body.valid()?.toelichting.map(|text| text.trim().to_owned());
    let today = ctx.now.date();
    idempotency::perform(&state, &ctx, key, |key| async {
        let stored = ctx.clone();
        run_blocking(&state, move |store| {
            store.trek_toestemming_in(&stored, id, toelichting, key.as_ref(), &|withdrawn| {
                Antwoord::ok(
                    serde_json::to_value(ToestemmingDto::from_domain(withdrawn, today))
                        .unwrap_or_default(),
                )
            })
        })
        .await?
        .ok_or(ApiError::NotFound)?
        .map_err(ApiError::from)
    })
    .await
}

/// De toestemmingen van een inburgeraar
///
/// Vereiste scope: `toestemmingen:beheren`. Alle toestemmingen en weigeringen, oudste eerst.
#[utoipa::path(
    tag = "Partners",
    operation_id = "zoekToestemmingenVanInburgeraar",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    responses((status = 200, description = "De toestemmingen.", body = ToestemmingLijst)),
)]
#[get("/inburgeraars/{inburgeraarId}/toestemmingen")]
pub async fn list_toestemmingen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::ToestemmingenBeheren, &req, &path)?;
    let ctx = ctx.clone();
    let today = ctx.now.date();
    let found = run_blocking(&state, move |store| store.list_toestemmingen(&ctx, id))
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(ToestemmingLijst {
        resultaten: found
            .iter()
            .map(|t| ToestemmingDto::from_domain(t, today))
            .collect(),
    }))
}
