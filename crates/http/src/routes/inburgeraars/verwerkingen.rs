//! `GET /inburgeraars/{inburgeraarId}/verwerkingen`

use crate::auth::Caller;
use crate::problem::ApiError;
use crate::query::{QueryParams, PAGE_PARAMS};
use crate::routes::inburgeraar_id;
use crate::state::{run_blocking, AppState};
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use koers_domain::principal::Scope;
use koers_domain::records::Verwerking;
use serde::Serialize;
use utoipa::ToSchema;

/// Een regel uit het verwerkingenlogboek (velden naar de standaard Logboek Dataverwerkingen).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerwerkingRegel {
    /// Identificatie van de regel.
    pub id: String,
    /// W3C trace-id van het verzoek (uit `traceparent`, of door Koers gemaakt).
    #[schema(pattern = "^[0-9a-f]{32}$")]
    pub trace_id: String,
    /// Span-id van de verwerking.
    #[schema(pattern = "^[0-9a-f]{16}$")]
    pub span_id: String,
    /// Identificatie van de verwerkingsactiviteit.
    #[schema(example = "inburgeraar-raadplegen")]
    pub verwerkingsactiviteit_id: String,
    /// Naam van de verwerkingsactiviteit.
    #[schema(example = "Inburgeraar raadplegen")]
    pub verwerkingsactiviteit: String,
    /// Gepseudonimiseerde identificatie van de betrokkene.
    pub betrokkene: String,
    /// Uitkomst van de verwerking.
    #[schema(example = "OK")]
    pub status: String,
    /// De clientapplicatie die verwerkte.
    pub client: String,
    /// De gebruiker achter de client, als bekend.
    pub gebruiker: Option<String>,
    /// De organisatie (partner) namens wie werd verwerkt, als het een partner was.
    pub organisatie: Option<String>,
    /// De toestemming waarop een partner zich beriep, als het een partner was.
    pub toestemming_id: Option<String>,
    /// Begin van de verwerking (UTC).
    pub tijdstip_start: DateTime<Utc>,
    /// Einde van de verwerking (UTC).
    pub tijdstip_einde: DateTime<Utc>,
}

impl From<Verwerking> for VerwerkingRegel {
    fn from(line: Verwerking) -> Self {
        Self {
            id: line.id,
            trace_id: line.trace_id,
            span_id: line.span_id,
            verwerkingsactiviteit_id: line.activiteit_id,
            verwerkingsactiviteit: line.activiteit_naam,
            betrokkene: line.betrokkene,
            status: line.status.as_str().to_owned(),
            client: line.client,
            gebruiker: line.gebruiker,
            organisatie: line.organisatie,
            toestemming_id: line.toestemming_id,
            tijdstip_start: line.start_tijd.and_utc(),
            tijdstip_einde: line.eind_tijd.and_utc(),
        }
    }
}

/// Een pagina uit het verwerkingenlogboek, nieuwste eerst.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verwerkingen {
    /// De verwerkingen op deze pagina.
    pub resultaten: Vec<VerwerkingRegel>,
    /// URL van de volgende pagina, of `null`.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
}

/// Het verwerkingenlogboek van een inburgeraar
///
/// Vereiste scope: `audit:lezen`. Elke raadpleging en wijziging van de gegevens van de persoon, nieuwste
/// eerst: wie verwerkte wat, wanneer, in welke activiteit, en bij een partner namens welke organisatie
/// en op welke toestemming (AVG art. 15).
#[utoipa::path(
    tag = "Verantwoording",
    operation_id = "raadpleegVerwerkingen",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina uit het verwerkingenlogboek.", body = Verwerkingen,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}/verwerkingen")]
pub async fn list_verwerkingen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::AuditLezen)?.clone();
    let id = inburgeraar_id(&path)?;
    let mut query = QueryParams::parse(&req, &PAGE_PARAMS)?;
    let page = query.page();
    query.check()?;
    let found = run_blocking(&state, move |store| store.verwerkingen(&ctx, id, &page))
        .await?
        .ok_or(ApiError::NotFound)?;
    let (mut response, next) = query.page_response(&req, found.next_after.as_deref());
    Ok(response.json(Verwerkingen {
        resultaten: found.items.into_iter().map(VerwerkingRegel::from).collect(),
        volgende_pagina: next,
    }))
}
