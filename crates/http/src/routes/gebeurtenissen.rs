//! `GET /gebeurtenissen`: the change feed. What changed, in order, without content: a system that
//! follows it fetches what it needs with its own token, where its authorisation is checked again.

use crate::auth::Caller;
use crate::problem::ApiError;
use crate::query::{QueryParams, PAGE_PARAMS};
use crate::state::{run_blocking, AppState};
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use koers_domain::events::{Event, EventKind};
use koers_domain::gemeente::GemeenteCode;
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::ports::Gebeurtenisvraag;
use koers_domain::principal::Scope;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Een gebeurtenis: dat er iets veranderde, waar, en bij wie; nooit de inhoud, een BSN of een naam.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GebeurtenisDto {
    /// Identificatie; dezelfde als `id` van de afgeleverde CloudEvent en de header `webhook-id`.
    pub id: Uuid,
    /// Volgnummer in de uitvoer van Koers: oplopend in de volgorde waarin de wijzigingen vastlagen.
    #[schema(example = 1042)]
    pub volgnummer: i64,
    #[schema(value_type = crate::schemas::GebeurtenisSoort)]
    pub soort: EventKind,
    /// Wanneer de wijziging gedaan werd.
    pub tijdstip: DateTime<Utc>,
    /// URL (pad onder de API) van wat er veranderde.
    #[schema(example = "/api/v1/inburgeraars/0193c3b0-8a4e-7cc2-9f50-1f3f3c1a2b3c/pips")]
    pub url: String,
    /// De inburgeraar om wie het gaat, als het om een inburgeraar gaat.
    pub inburgeraar_id: Option<Uuid>,
    /// De gemeente van de inburgeraar (CBS-code), als het om een inburgeraar of gemeente gaat.
    #[schema(example = "0405", pattern = "^[0-9]{4}$")]
    pub gemeente: Option<String>,
}

impl From<&Event> for GebeurtenisDto {
    fn from(event: &Event) -> Self {
        Self {
            id: event.id,
            volgnummer: event.volgnummer,
            soort: event.kind,
            tijdstip: event.tijdstip.and_utc(),
            url: event.url.clone(),
            inburgeraar_id: event.inburgeraar_id.map(|id| id.0),
            gemeente: event.gemeente.as_ref().map(|g| g.as_str().to_owned()),
        }
    }
}

/// Een pagina van de gebeurtenissen.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GebeurtenisLijst {
    pub resultaten: Vec<GebeurtenisDto>,
    /// URL van de volgende pagina; ontbreekt als er (nu) niets meer volgt. Een pagina kan minder
    /// resultaten hebben dan gevraagd terwijl er meer volgen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volgende_pagina: Option<String>,
}

/// Gebeurtenissen volgen (wijzigingsfeed)
///
/// Vereiste scope: `abonnementen:beheren`, of de leesscope van wat de gebeurtenis aanwijst (bijvoorbeeld
/// `pip:lezen` voor een vastgestelde PIP). De gebeurtenissen die de aanroeper mag zien, in volgorde van
/// `volgnummer`: een gemeente die van haar gemeenten, een partner alleen die over inburgeraars waarvoor
/// haar toestemming nu de categorie van de gebeurtenis dekt. Dun: identificatie, soort, tijdstip, URL,
/// inburgeraar en gemeente. Wie de feed volgt, bewaart de `cursor` van de laatste pagina en vraagt
/// daarmee later verder; alleen gebeurtenissen waaronder niets meer kan bijkomen worden getoond.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "volgGebeurtenissen",
    params(
        ("soort" = Option<crate::schemas::GebeurtenisSoort>, Query, description = "Alleen deze soort gebeurtenis."),
        ("gemeente" = Option<String>, Query, description = "Alleen deze gemeente (CBS-code, vier cijfers).", pattern = "^[0-9]{4}$"),
        ("inburgeraarId" = Option<Uuid>, Query, description = "Alleen over deze inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de feed; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina van de gebeurtenissen.", body = GebeurtenisLijst,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/gebeurtenissen")]
pub async fn list_gebeurtenissen(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let principal = &caller.0.principal;
    let leest = EventKind::ALL
        .iter()
        .any(|kind| principal.has_scope(kind.leesscope()));
    let ctx = if leest {
        caller.0.clone()
    } else {
        caller.require(Scope::AbonnementenBeheren)?.clone()
    };
    let mut known = vec!["soort", "gemeente", "inburgeraarId"];
    known.extend(PAGE_PARAMS);
    let mut query = QueryParams::parse(&req, &known)?;
    let soort = query.parse_with("soort", EventKind::parse);
    let gemeente = query.parse_with("gemeente", GemeenteCode::parse);
    let inburgeraar = query.parse_with("inburgeraarId", |field, text| {
        Uuid::parse_str(text).map(InburgeraarId).map_err(|_| {
            koers_domain::FieldError::new(field, "format", "Een inburgeraarId is een UUID.")
        })
    });
    let page = query.page();
    query.check()?;
    let vraag = Gebeurtenisvraag {
        soort,
        gemeente,
        inburgeraar,
    };
    let found = run_blocking(&state, move |store| {
        store.gebeurtenissen(&ctx, &vraag, &page)
    })
    .await?;
    let (mut response, next) = query.page_response(&req, found.next_after.as_deref());
    Ok(response.json(GebeurtenisLijst {
        resultaten: found.items.iter().map(GebeurtenisDto::from).collect(),
        volgende_pagina: next,
    }))
}
