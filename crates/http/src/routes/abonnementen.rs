//! `/abonnementen`: webhooks on the events of Koers, each its client's own (scope
//! `abonnementen:beheren`).

use crate::auth::Caller;
use crate::body::{properties_of, Body, RequestBody};
use crate::idempotency;
use crate::problem::ApiError;
use crate::query::{QueryParams, PAGE_PARAMS};
use crate::state::{run_blocking, AppState};
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use koers_domain::abonnement::{Abonnement, AbonnementGegevens, AbonnementStatus};
use koers_domain::events::{abonnement_url, EventKind};
use koers_domain::ports::Aflevering;
use koers_domain::principal::Scope;
use koers_domain::records::Antwoord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Een abonnement aanmaken.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"callbackUrl": "https://zaaksysteem.example.nl/koers/webhook", "soorten": ["pip.vastgesteld", "examenresultaat.aangeleverd"], "gemeenten": ["0405"]}))]
pub struct AbonnementAanmaken {
    /// Waar de gebeurtenissen heen gaan: https (bij ontwikkeling ook http naar localhost). Niet naar
    /// een adres op de machine zelf, in een privé- of link-local-netwerk of van metadata; dat wordt bij
    /// elke aflevering opnieuw gecontroleerd, doorverwijzingen worden niet gevolgd.
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 2000,
        pattern = "^https?://"
    )]
    pub callback_url: Option<String>,
    /// Alleen deze soorten; weglaten of leeg voor alle.
    #[schema(value_type = Option<Vec<crate::schemas::GebeurtenisSoort>>, max_items = 50)]
    pub soorten: Option<Vec<String>>,
    /// Alleen deze gemeenten (CBS-codes), binnen die van het token; weglaten of leeg voor alle.
    #[schema(value_type = Option<Vec<crate::schemas::Gemeentecode>>, max_items = 400)]
    pub gemeenten: Option<Vec<String>>,
}

impl RequestBody for AbonnementAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<AbonnementDto>()
    }
}

/// Een abonnement pauzeren of hervatten.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"status": "actief"}))]
pub struct AbonnementWijzigen {
    /// `opgeschort` pauzeert de aflevering; `actief` hervat die waar ze stopte, met nieuwe pogingen.
    #[schema(value_type = crate::schemas::AbonnementStatus)]
    pub status: AbonnementStatus,
}

impl RequestBody for AbonnementWijzigen {
    fn server_set() -> Vec<String> {
        properties_of::<AbonnementDto>()
    }
}

/// Een abonnement op gebeurtenissen.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AbonnementDto {
    pub id: Uuid,
    pub callback_url: String,
    /// De gevraagde soorten; leeg voor alle.
    #[schema(value_type = Vec<crate::schemas::GebeurtenisSoort>)]
    pub soorten: Vec<EventKind>,
    /// De gevraagde gemeenten; leeg voor alle van het token.
    #[schema(value_type = Vec<crate::schemas::Gemeentecode>)]
    pub gemeenten: Vec<String>,
    #[schema(value_type = crate::schemas::AbonnementStatus)]
    pub status: AbonnementStatus,
    /// Het volgnummer van de laatst afgeleverde (of overgeslagen) gebeurtenis.
    pub positie: i64,
    /// Mislukte pogingen op rij sinds de laatste aflevering.
    pub pogingen: u32,
    /// Wanneer de volgende poging komt, na een mislukte.
    pub volgende_poging: Option<DateTime<Utc>>,
    /// De laatste fout bij afleveren.
    pub laatste_fout: Option<String>,
    pub aangemaakt_op: DateTime<Utc>,
    pub gewijzigd_op: DateTime<Utc>,
}

impl From<&Abonnement> for AbonnementDto {
    fn from(a: &Abonnement) -> Self {
        Self {
            id: a.id,
            callback_url: a.callback_url.clone(),
            soorten: a.soorten.iter().copied().collect(),
            gemeenten: a.gemeenten.iter().map(|g| g.as_str().to_owned()).collect(),
            status: a.status,
            positie: a.positie,
            pogingen: a.pogingen,
            volgende_poging: a.volgende_poging.map(|t| t.and_utc()),
            laatste_fout: a.laatste_fout.clone(),
            aangemaakt_op: a.aangemaakt_op.and_utc(),
            gewijzigd_op: a.gewijzigd_op.and_utc(),
        }
    }
}

/// Een nieuw abonnement, met het geheim waarmee de afleveringen worden ondertekend.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NieuwAbonnement {
    #[serde(flatten)]
    pub abonnement: AbonnementDto,
    /// Het geheim (Standard Webhooks, `whsec_` en base64) waarmee elke aflevering wordt ondertekend
    /// (`webhook-signature`). Alleen nu te zien: bewaar het.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub geheim: String,
}

/// Een pagina abonnementen.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AbonnementLijst {
    pub resultaten: Vec<AbonnementDto>,
    /// URL van de volgende pagina; ontbreekt op de laatste.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volgende_pagina: Option<String>,
}

fn abonnement_id(raw: &str) -> Result<Uuid, ApiError> {
    crate::routes::path_uuid("abonnementId", raw)
}

/// Een abonnement aanmaken
///
/// Vereiste scope: `abonnementen:beheren`. Vanaf nu krijgt de callback-URL elke gebeurtenis van de
/// gevraagde soorten en gemeenten die het token mag zien, als CloudEvent (NL GOV-profiel), ondertekend
/// volgens Standard Webhooks. Of het token een gebeurtenis mag zien, wordt bij elke aflevering opnieuw
/// bepaald: na intrekking van een toestemming komt er over die persoon niets meer. Het antwoord bevat
/// eenmalig het geheim.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "maakAbonnement",
    request_body(content = AbonnementAanmaken, content_type = "application/json"),
    responses((status = 201, description = "Het abonnement, met het geheim.", body = NieuwAbonnement,
        headers(("Location" = String, description = "URL van het abonnement.")))),
)]
#[post("/abonnementen")]
pub async fn create_abonnement(
    caller: Caller,
    req: HttpRequest,
    body: Body<AbonnementAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::AbonnementenBeheren)?.clone();
    QueryParams::parse(&req, &[])?.check()?;
    let key = idempotency::key(&req, &body)?;
    let gegevens = AbonnementGegevens {
        callback_url: body.value.callback_url.into(),
        soorten: body.value.soorten.into(),
        gemeenten: body.value.gemeenten.into(),
    };
    let positie = run_blocking(&state, |store| store.laatste_volgnummer()).await?;
    let abonnement = body.judged.finish(Abonnement::nieuw(
        gegevens,
        &ctx.principal,
        state.omgeving,
        positie,
        ctx.now,
    ))?;
    let geheim = crate::aflevering::nieuw_geheim();
    let antwoord = Antwoord::created(
        abonnement_url(abonnement.id),
        serde_json::to_value(NieuwAbonnement {
            abonnement: AbonnementDto::from(&abonnement),
            geheim: geheim.clone(),
        })
        .map_err(|_| ApiError::Internal)?,
    );
    idempotency::create(
        &state,
        &ctx,
        key,
        None,
        antwoord,
        move |store, ctx, record| {
            store
                .create_abonnement(ctx, &abonnement, &geheim, record)
                .map(Ok)
        },
    )
    .await
}

/// Abonnementen opvragen
///
/// Vereiste scope: `abonnementen:beheren`. De abonnementen van de client van het token, met dezelfde gemeenten of organisatie, per pagina.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "zoekAbonnementen",
    params(
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses((status = 200, description = "Een pagina abonnementen.", body = AbonnementLijst,
        headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is.")))),
)]
#[get("/abonnementen")]
pub async fn list_abonnementen(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::AbonnementenBeheren)?.clone();
    let mut query = QueryParams::parse(&req, &PAGE_PARAMS)?;
    let page = query.page();
    query.check()?;
    let found = run_blocking(&state, move |store| store.list_abonnementen(&ctx, &page)).await?;
    let (mut response, next) = query.page_response(&req, found.next_after.as_deref());
    Ok(response.json(AbonnementLijst {
        resultaten: found.items.iter().map(AbonnementDto::from).collect(),
        volgende_pagina: next,
    }))
}

/// Een abonnement raadplegen
///
/// Vereiste scope: `abonnementen:beheren`. Met de stand van de aflevering: positie, mislukte pogingen,
/// de volgende poging en de laatste fout.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "raadpleegAbonnement",
    params(("abonnementId" = uuid::Uuid, Path, description = "Identificatie van het abonnement.")),
    responses((status = 200, description = "Het abonnement.", body = AbonnementDto)),
)]
#[get("/abonnementen/{abonnementId}")]
pub async fn get_abonnement(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::AbonnementenBeheren)?.clone();
    let id = abonnement_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let found = run_blocking(&state, move |store| store.get_abonnement(&ctx, id))
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(AbonnementDto::from(&found)))
}

/// Een abonnement pauzeren of hervatten
///
/// Vereiste scope: `abonnementen:beheren`. `opgeschort` pauzeert; `actief` hervat de aflevering waar
/// die stopte (ook na een opschorting om mislukte afleveringen), met nieuwe pogingen.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "wijzigAbonnement",
    params(("abonnementId" = uuid::Uuid, Path, description = "Identificatie van het abonnement.")),
    request_body(content = AbonnementWijzigen, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "Het abonnement.", body = AbonnementDto)),
)]
#[patch("/abonnementen/{abonnementId}")]
pub async fn update_abonnement(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<AbonnementWijzigen>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::AbonnementenBeheren)?.clone();
    let id = abonnement_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let status = body.valid()?.status;
    let found = run_blocking(&state, move |store| {
        store.zet_abonnement_status(&ctx, id, status)
    })
    .await?
    .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(AbonnementDto::from(&found)))
}

/// Een abonnement opzeggen
///
/// Vereiste scope: `abonnementen:beheren`. Er wordt niets meer afgeleverd; het afleverlog vervalt.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "zegAbonnementOp",
    params(("abonnementId" = uuid::Uuid, Path, description = "Identificatie van het abonnement.")),
    responses((status = 204, description = "Het abonnement is opgezegd.")),
)]
#[delete("/abonnementen/{abonnementId}")]
pub async fn delete_abonnement(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::AbonnementenBeheren)?.clone();
    let id = abonnement_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let deleted = run_blocking(&state, move |store| store.verwijder_abonnement(&ctx, id)).await?;
    if deleted {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound)
    }
}

/// Eén poging om een gebeurtenis af te leveren.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AfleveringDto {
    pub id: Uuid,
    /// Het volgnummer van de gebeurtenis.
    pub volgnummer: i64,
    /// De gebeurtenis (ook `id` van de CloudEvent en `webhook-id`).
    pub gebeurtenis_id: Uuid,
    pub tijdstip: DateTime<Utc>,
    /// De HTTP-status van de ontvanger, als die antwoordde.
    pub statuscode: Option<u16>,
    /// Waarom het mislukte, anders dan door de status (geen verbinding, time-out, adres geweigerd,
    /// doorverwijzing).
    pub fout: Option<String>,
    /// Hoe lang de poging duurde, in milliseconden.
    pub duur_ms: u32,
    /// Of de ontvanger de gebeurtenis aannam (een 2xx-status).
    pub geslaagd: bool,
}

impl From<&Aflevering> for AfleveringDto {
    fn from(a: &Aflevering) -> Self {
        Self {
            id: a.id,
            volgnummer: a.volgnummer,
            gebeurtenis_id: a.gebeurtenis_id,
            tijdstip: a.tijdstip.and_utc(),
            statuscode: a.statuscode,
            fout: a.fout.clone(),
            duur_ms: a.duur_ms,
            geslaagd: a.geslaagd,
        }
    }
}

/// Een pagina afleveringen.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AfleveringLijst {
    pub resultaten: Vec<AfleveringDto>,
    /// URL van de volgende pagina; ontbreekt op de laatste.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volgende_pagina: Option<String>,
}

/// Afleveringen van een abonnement
///
/// Vereiste scope: `abonnementen:beheren`. Elke poging om een gebeurtenis af te leveren, nieuwste
/// eerst: status, fout, tijdstip en duur.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "zoekAfleveringen",
    params(
        ("abonnementId" = uuid::Uuid, Path, description = "Identificatie van het abonnement."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses((status = 200, description = "Een pagina afleveringen.", body = AfleveringLijst,
        headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is.")))),
)]
#[get("/abonnementen/{abonnementId}/afleveringen")]
pub async fn list_afleveringen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::AbonnementenBeheren)?.clone();
    let id = abonnement_id(&path)?;
    let mut query = QueryParams::parse(&req, &PAGE_PARAMS)?;
    let page = query.page();
    query.check()?;
    let found = run_blocking(&state, move |store| store.afleveringen(&ctx, id, &page))
        .await?
        .ok_or(ApiError::NotFound)?;
    let (mut response, next) = query.page_response(&req, found.next_after.as_deref());
    Ok(response.json(AfleveringLijst {
        resultaten: found.items.iter().map(AfleveringDto::from).collect(),
        volgende_pagina: next,
    }))
}

/// Opnieuw afleveren vanaf een volgnummer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"vanafVolgnummer": 1042}))]
pub struct Herhaling {
    /// Het volgnummer van de eerste gebeurtenis die opnieuw moet komen; niet na de huidige positie + 1.
    #[schema(minimum = 1)]
    pub vanaf_volgnummer: i64,
}

impl RequestBody for Herhaling {
    fn server_set() -> Vec<String> {
        properties_of::<AbonnementDto>()
    }
}

/// Opnieuw afleveren
///
/// Vereiste scope: `abonnementen:beheren`. Zet de positie terug tot vlak voor `vanafVolgnummer`: de
/// gebeurtenissen vanaf daar die het abonnement wil en mag zien, komen opnieuw, in volgorde (met
/// dezelfde `webhook-id`, zodat een ontvanger herhalingen herkent). Vooruit zetten kan niet.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "herhaalAfleveringen",
    params(("abonnementId" = uuid::Uuid, Path, description = "Identificatie van het abonnement.")),
    request_body(content = Herhaling, content_type = "application/json"),
    responses((status = 200, description = "Het abonnement met zijn nieuwe positie.", body = AbonnementDto)),
)]
#[post("/abonnementen/{abonnementId}/herhaling")]
pub async fn herhaal_afleveringen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<Herhaling>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::AbonnementenBeheren)?.clone();
    let id = abonnement_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let key = idempotency::key(&req, &body)?;
    let vanaf = body.valid()?.vanaf_volgnummer;
    idempotency::perform(&state, &ctx, key, |key| async {
        let stored = ctx.clone();
        let found = run_blocking(&state, move |store| {
            store.herhaal_vanaf(&stored, id, vanaf, key.as_ref(), &|abonnement| {
                Antwoord::ok(
                    serde_json::to_value(AbonnementDto::from(abonnement)).unwrap_or_default(),
                )
            })
        })
        .await?
        .ok_or(ApiError::NotFound)?;
        found.map_err(|positie| {
            ApiError::invalid(
                "vanafVolgnummer",
                "naPositie",
                format!(
                    "Niet na de positie + 1 ({}): vooruit zetten kan niet.",
                    positie + 1
                ),
            )
        })
    })
    .await
}

/// Een nieuw geheim voor een abonnement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"overgangUren": 24}))]
pub struct GeheimVernieuwing {
    /// Hoeveel uur het vorige geheim nog geldt (1 tot en met 168, standaard 24): zolang dragen
    /// afleveringen beide handtekeningen.
    #[schema(minimum = 1, maximum = 168)]
    pub overgang_uren: Option<u32>,
}

impl RequestBody for GeheimVernieuwing {
    fn server_set() -> Vec<String> {
        properties_of::<AbonnementDto>()
    }
}

/// Het geheim van een abonnement vernieuwen
///
/// Vereiste scope: `abonnementen:beheren`. Een nieuw geheim, eenmalig in het antwoord. Het vorige
/// blijft `overgangUren` geldig: zolang draagt `webhook-signature` beide handtekeningen, het nieuwe
/// geheim eerst, zodat de ontvanger kan overstappen zonder iets te missen.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "vernieuwGeheim",
    params(("abonnementId" = uuid::Uuid, Path, description = "Identificatie van het abonnement.")),
    request_body(content = GeheimVernieuwing, content_type = "application/json"),
    responses((status = 200, description = "Het abonnement, met het nieuwe geheim.", body = NieuwAbonnement)),
)]
#[post("/abonnementen/{abonnementId}/geheim-vernieuwing")]
pub async fn vernieuw_geheim(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<GeheimVernieuwing>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::AbonnementenBeheren)?.clone();
    let id = abonnement_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let key = idempotency::key(&req, &body)?;
    // The contract bounds it (1-168): the schema refuses anything else.
    let uren = body.valid()?.overgang_uren.unwrap_or(24);
    let tot = ctx.now + chrono::TimeDelta::hours(i64::from(uren));
    idempotency::perform(&state, &ctx, key, |key| async {
        let (stored, geheim) = (ctx.clone(), crate::aflevering::nieuw_geheim());
        run_blocking(&state, move |store| {
            store.vernieuw_geheim(&stored, id, &geheim, tot, key.as_ref(), &|abonnement| {
                Antwoord::ok(
                    serde_json::to_value(NieuwAbonnement {
                        abonnement: AbonnementDto::from(abonnement),
                        geheim: geheim.clone(),
                    })
                    .unwrap_or_default(),
                )
            })
        })
        .await?
        .ok_or(ApiError::NotFound)
    })
    .await
}
