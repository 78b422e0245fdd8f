//! `/inburgeraars/{inburgeraarId}/participatieladder-metingen`: measurements on the six rungs of the
//! participatieladder, with the movement between them.

use crate::auth::Caller;
use crate::body::{properties_of, Body, RequestBody};
use crate::idempotency;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use koers_domain::commando::Opdracht;
use koers_domain::participatieladder::{historie, Beweging, Meting, MetingGegevens};
use koers_domain::principal::Scope;
use koers_domain::traject::{Lijst, Traject};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Een meting op de participatieladder.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetingDto {
    /// Identificatie van de meting.
    #[schema(read_only)]
    pub id: Uuid,
    /// Datum van de meting; niet in de toekomst.
    #[schema(example = "2026-06-01")]
    pub datum: NaiveDate,
    /// Trede: 1 geïsoleerd, 2 sociale contacten buiten de deur, 3 deelname georganiseerde activiteiten,
    /// 4 onbetaald werk, 5 betaald werk met ondersteuning, 6 betaald werk zonder ondersteuning.
    #[schema(minimum = 1, maximum = 6, example = 3)]
    pub trede: u8,
    /// Naam van de trede.
    #[schema(read_only, example = "deelname georganiseerde activiteiten")]
    pub trede_naam: String,
    /// Toelichting.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub toelichting: Option<String>,
    #[schema(read_only, value_type = crate::schemas::Beweging)]
    pub beweging: Beweging,
}

fn dto(meting: &Meting, beweging: Beweging) -> MetingDto {
    MetingDto {
        id: meting.id,
        datum: meting.datum,
        trede: meting.trede.get(),
        trede_naam: meting.trede.naam().to_owned(),
        toelichting: meting.toelichting.clone(),
        beweging,
    }
}

/// Een nieuwe meting op de participatieladder.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"datum": "2026-06-01", "trede": 3, "toelichting": "Volgt de taalcursus en doet mee aan een buurtproject."}))]
pub struct MetingAanmaken {
    /// Datum van de meting; niet in de toekomst.
    #[schema(required = true, nullable = false)]
    pub datum: Option<NaiveDate>,
    /// Trede van 1 (geïsoleerd) tot en met 6 (betaald werk zonder ondersteuning).
    #[schema(required = true, nullable = false, minimum = 1, maximum = 6)]
    pub trede: Option<i64>,
    /// Toelichting.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub toelichting: Option<String>,
}

impl RequestBody for MetingAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<MetingDto>()
    }
}

impl From<MetingAanmaken> for MetingGegevens {
    fn from(body: MetingAanmaken) -> Self {
        Self {
            datum: body.datum.into(),
            trede: body.trede.into(),
            toelichting: body.toelichting.into(),
        }
    }
}

/// Een pagina van de metingen op de participatieladder.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetingLijst {
    /// De metingen op deze pagina, oudste eerst, elk met de beweging ten opzichte van de vorige (ook
    /// als die op de vorige pagina staat).
    pub resultaten: Vec<MetingDto>,
    /// URL van de volgende pagina, of `null`.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
    /// De trede van de laatste meting; `null` zonder metingen.
    #[schema(minimum = 1, maximum = 6)]
    pub huidige_trede: Option<u8>,
}

/// Metingen op de participatieladder opvragen
///
/// Vereiste scope: `pip:lezen`. De geschiedenis laat zien of de inburgeraar stijgt of daalt. Oudste
/// eerst, per pagina; de volgende pagina staat in de `Link`-header (`rel="next"`) en in
/// `volgendePagina`. De huidige trede staat op elke pagina.
#[utoipa::path(
    tag = "Ontzorging en voortgang",
    operation_id = "zoekParticipatieladderMetingen",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina metingen.", body = MetingLijst,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}/participatieladder-metingen")]
pub async fn list_metingen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id, query, page) =
        crate::routes::person_page_call(&caller, Scope::PipLezen, &req, &path)?;
    let found = super::pagina(&state, ctx, id, Lijst::Participatieladder, page, true).await?;
    // The movement of the page's first measurement is against the one before the page.
    let voor = found.voor.participatieladder;
    let mut metingen = voor.clone();
    metingen.extend(found.traject.participatieladder);
    let metingen = historie(&metingen);
    let (mut response, next) = query.page_response(&req, found.volgende.as_deref());
    Ok(response.json(MetingLijst {
        resultaten: metingen[voor.len()..]
            .iter()
            .map(|(m, b)| dto(m, *b))
            .collect(),
        volgende_pagina: next,
        huidige_trede: found
            .laatste
            .participatieladder
            .last()
            .map(|m| m.trede.get()),
    }))
}

/// Een meting op de participatieladder vastleggen
///
/// Vereiste scope: `pip:vaststellen`.
#[utoipa::path(
    tag = "Ontzorging en voortgang",
    operation_id = "legParticipatieladderMetingVast",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    request_body(content = MetingAanmaken, content_type = "application/json"),
    responses((status = 201, description = "De meting, met de beweging ten opzichte van de vorige.", body = MetingDto)),
)]
#[post("/inburgeraars/{inburgeraarId}/participatieladder-metingen")]
pub async fn create_meting(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<MetingAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipVaststellen, &req, &path)?;
    let key = idempotency::key(&req, &body)?;
    let opdracht = Opdracht::Meting(MetingGegevens::from(body.value));
    super::post(
        &state,
        ctx,
        id,
        super::commando(opdracht, &body.judged),
        key,
    )
    .await
}

/// The answer for a new measurement: with its movement against the one before it.
pub(crate) fn antwoord(traject: &Traject, meting: &Meting) -> MetingDto {
    let beweging = historie(&traject.participatieladder)
        .into_iter()
        .find(|(m, _)| m.id == meting.id)
        .map_or(Beweging::Eerste, |(_, b)| b);
    dto(meting, beweging)
}
