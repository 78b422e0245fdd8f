//! `/inburgeraars/{inburgeraarId}/voortgangsgesprekken`: the conversations in which the klantmanager
//! follows progress, and when the next one is due.

use crate::auth::Caller;
use crate::body::{properties_of, Body, RequestBody};
use crate::idempotency;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use koers_domain::commando::Opdracht;
use koers_domain::gesprekken::{Deelnemer, Voortgangsgesprek, VoortgangsgesprekGegevens};
use koers_domain::principal::Scope;
use koers_domain::traject::Lijst;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Een voortgangsgesprek.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoortgangsgesprekDto {
    /// Identificatie van het gesprek.
    #[schema(read_only)]
    pub id: Uuid,
    /// Datum van het gesprek; niet in de toekomst.
    #[schema(example = "2026-05-31")]
    pub datum: NaiveDate,
    /// Wie deelnamen (klantmanager, taalaanbieder, de inburgeraar, tolk), elk eenmaal.
    #[schema(schema_with = crate::schemas::set_of::<crate::schemas::Deelnemer>)]
    pub deelnemers: Vec<Deelnemer>,
    /// Uitkomst van het gesprek.
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = r"\S",
        example = "Loopt op schema; lezen gaat goed, spreken vraagt extra oefening."
    )]
    pub uitkomst: String,
    /// Gemaakte afspraken.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub afspraken: Option<String>,
    /// Een al geplande datum voor het volgende gesprek (na `datum`); zonder deze datum geldt de cadans
    /// van de gemeente.
    pub datum_volgend_gepland: Option<NaiveDate>,
}

impl From<&Voortgangsgesprek> for VoortgangsgesprekDto {
    fn from(g: &Voortgangsgesprek) -> Self {
        Self {
            id: g.id,
            datum: g.datum,
            deelnemers: g.deelnemers.clone(),
            uitkomst: g.uitkomst.clone(),
            afspraken: g.afspraken.clone(),
            datum_volgend_gepland: g.datum_volgend_gepland,
        }
    }
}

/// Een gevoerd voortgangsgesprek.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"datum": "2026-05-31", "deelnemers": ["KLANTMANAGER", "TAALAANBIEDER", "INBURGERAAR"], "uitkomst": "Loopt op schema.", "afspraken": "Extra spreekoefening."}))]
pub struct VoortgangsgesprekAanmaken {
    /// Datum van het gesprek; niet in de toekomst.
    #[schema(required = true, nullable = false)]
    pub datum: Option<NaiveDate>,
    /// Wie deelnamen, elk eenmaal.
    #[schema(schema_with = crate::schemas::set_of::<crate::schemas::Deelnemer>, required = true)]
    pub deelnemers: Option<Vec<Deelnemer>>,
    /// Uitkomst van het gesprek.
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 4000,
        pattern = r"\S"
    )]
    pub uitkomst: Option<String>,
    /// Gemaakte afspraken.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub afspraken: Option<String>,
    /// Een al geplande datum voor het volgende gesprek, na `datum`.
    pub datum_volgend_gepland: Option<NaiveDate>,
}

impl RequestBody for VoortgangsgesprekAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<VoortgangsgesprekDto>()
    }
}

impl From<VoortgangsgesprekAanmaken> for VoortgangsgesprekGegevens {
    fn from(body: VoortgangsgesprekAanmaken) -> Self {
        Self {
            datum: body.datum.into(),
            deelnemers: body.deelnemers.into(),
            uitkomst: body.uitkomst.into(),
            afspraken: body.afspraken.into(),
            datum_volgend_gepland: body.datum_volgend_gepland.into(),
        }
    }
}

/// Een pagina van de voortgangsgesprekken van een inburgeraar, en het volgende gesprek.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoortgangsgesprekLijst {
    /// De gesprekken op deze pagina, oudste eerst (op datum, dan op moment van vastleggen).
    pub resultaten: Vec<VoortgangsgesprekDto>,
    /// URL van de volgende pagina, of `null`.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
    /// Wanneer het volgende gesprek uiterlijk moet plaatsvinden: de geplande datum van het laatste
    /// gesprek, anders het laatste gesprek plus de cadans, anders de dagtekening van de PIP plus de
    /// cadans; `null` zonder gesprek en zonder PIP.
    pub volgend_gesprek: Option<NaiveDate>,
    /// De cadans van de gemeente van de inburgeraar, in maanden (gemeente-instellingen).
    #[schema(example = 3)]
    pub cadans_maanden: u32,
}

/// Voortgangsgesprekken opvragen
///
/// Vereiste scope: `pip:lezen`. Oudste eerst, per pagina; de volgende pagina staat in de `Link`-header
/// (`rel="next"`) en in `volgendePagina`. Met de datum waarop het volgende gesprek uiterlijk moet
/// plaatsvinden, volgens de cadans van de gemeente (standaard elke drie maanden), op elke pagina.
#[utoipa::path(
    tag = "Ontzorging en voortgang",
    operation_id = "zoekVoortgangsgesprekken",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina gesprekken, en het volgende.", body = VoortgangsgesprekLijst,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}/voortgangsgesprekken")]
pub async fn list_gesprekken(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id, query, page) =
        crate::routes::person_page_call(&caller, Scope::PipLezen, &req, &path)?;
    let instellingen = super::instellingen_van(&state, ctx).await?;
    // The page in the order shown (date, then registration); the next conversation from the last one
    // of all and the document's PIP, whatever the page.
    let found = super::pagina(&state, ctx, id, Lijst::Voortgangsgesprekken, page, true).await?;
    let settings = instellingen
        .get(&found.person.gemeente)
        .cloned()
        .unwrap_or_default();
    let mut laatste = found.traject.clone();
    laatste.voortgangsgesprekken = found.laatste.voortgangsgesprekken;
    let (mut response, next) = query.page_response(&req, found.volgende.as_deref());
    Ok(response.json(VoortgangsgesprekLijst {
        resultaten: found
            .traject
            .voortgangsgesprekken
            .iter()
            .map(VoortgangsgesprekDto::from)
            .collect(),
        volgende_pagina: next,
        volgend_gesprek: laatste.volgend_gesprek(&settings),
        cadans_maanden: settings.gesprek_cadans_maanden,
    }))
}

/// Een voortgangsgesprek vastleggen
///
/// Vereiste scope: `pip:vaststellen`. Het volgende gesprek schuift mee.
#[utoipa::path(
    tag = "Ontzorging en voortgang",
    operation_id = "legVoortgangsgesprekVast",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    request_body(content = VoortgangsgesprekAanmaken, content_type = "application/json"),
    responses((status = 201, description = "Het gesprek.", body = VoortgangsgesprekDto)),
)]
#[post("/inburgeraars/{inburgeraarId}/voortgangsgesprekken")]
pub async fn create_gesprek(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<VoortgangsgesprekAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipVaststellen, &req, &path)?;
    let key = idempotency::key(&req, &body)?;
    let opdracht = Opdracht::Gesprek(VoortgangsgesprekGegevens::from(body.value));
    super::post(
        &state,
        ctx,
        id,
        super::commando(opdracht, &body.judged),
        key,
    )
    .await
}
