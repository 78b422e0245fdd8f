//! `GET` and `PUT /gemeenten/{gemeentecode}/instellingen`: the local policy the rules read.

use crate::auth::Caller;
use crate::body::{Body, RequestBody};
use crate::problem::ApiError;
use crate::query::QueryParams;
use crate::state::{run_blocking, AppState};
use actix_web::{get, put, web, HttpRequest, HttpResponse};
use koers_domain::gemeente::GemeenteCode;
use koers_domain::instellingen::{GemeenteInstellingen, GemeenteInstellingenWijziging};
use koers_domain::principal::Scope;
use koers_domain::records::RequestContext;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// De instellingen van een gemeente: lokaal beleid dat de regels lezen.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GemeenteInstellingenDto {
    /// Om de hoeveel maanden een voortgangsgesprek plaatsvindt (standaard 3).
    #[schema(minimum = 1, maximum = 12, example = 3)]
    pub gesprek_cadans_maanden: u32,
    /// Minimale duur van het financieel ontzorgen in maanden (standaard 6, de wettelijke ondergrens;
    /// meer als de gemeente langer ontzorgt).
    #[schema(minimum = 6, maximum = 36, example = 6)]
    pub ontzorgen_maanden: u32,
    /// Dagen voor de PIP-termijn waarop de werklijst waarschuwt (standaard 14).
    #[schema(minimum = 0, maximum = 365, example = 14)]
    pub horizon_pip_dagen: u32,
    /// Maanden voor het einde van de inburgeringstermijn waarop de werklijst waarschuwt (standaard 2).
    #[schema(minimum = 0, maximum = 24, example = 2)]
    pub horizon_termijn_maanden: u32,
    /// Dagen voor de laatste datum voor een routewissel waarop de werklijst waarschuwt (standaard 60).
    #[schema(minimum = 0, maximum = 365, example = 60)]
    pub horizon_schakeldatum_dagen: u32,
    /// Maanden voor de AOW-leeftijd waarop de werklijst waarschuwt (standaard 6).
    #[schema(minimum = 0, maximum = 24, example = 6)]
    pub horizon_aow_maanden: u32,
    /// Dagen voor een voortgangsgesprek waarop de werklijst waarschuwt (standaard 14).
    #[schema(minimum = 0, maximum = 365, example = 14)]
    pub horizon_gesprek_dagen: u32,
}

/// Nieuwe instellingen van een gemeente; een veld dat ontbreekt krijgt de standaardwaarde.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"gesprekCadansMaanden": 2, "ontzorgenMaanden": 12}))]
pub struct GemeenteInstellingenVastleggen {
    /// Om de hoeveel maanden een voortgangsgesprek plaatsvindt (standaard 3).
    #[schema(minimum = 1, maximum = 12)]
    pub gesprek_cadans_maanden: Option<i64>,
    /// Minimale duur van het financieel ontzorgen in maanden (standaard 6).
    #[schema(minimum = 6, maximum = 36)]
    pub ontzorgen_maanden: Option<i64>,
    /// Waarschuwingshorizon voor de PIP-termijn in dagen (standaard 14).
    #[schema(minimum = 0, maximum = 365)]
    pub horizon_pip_dagen: Option<i64>,
    /// Waarschuwingshorizon voor het einde van de termijn in maanden (standaard 2).
    #[schema(minimum = 0, maximum = 24)]
    pub horizon_termijn_maanden: Option<i64>,
    /// Waarschuwingshorizon voor de laatste datum van een routewissel in dagen (standaard 60).
    #[schema(minimum = 0, maximum = 365)]
    pub horizon_schakeldatum_dagen: Option<i64>,
    /// Waarschuwingshorizon voor de AOW-leeftijd in maanden (standaard 6).
    #[schema(minimum = 0, maximum = 24)]
    pub horizon_aow_maanden: Option<i64>,
    /// Waarschuwingshorizon voor een voortgangsgesprek in dagen (standaard 14).
    #[schema(minimum = 0, maximum = 365)]
    pub horizon_gesprek_dagen: Option<i64>,
}

impl RequestBody for GemeenteInstellingenVastleggen {}

impl From<GemeenteInstellingenVastleggen> for GemeenteInstellingenWijziging {
    fn from(body: GemeenteInstellingenVastleggen) -> Self {
        Self {
            gesprek_cadans_maanden: body.gesprek_cadans_maanden.into(),
            ontzorgen_maanden: body.ontzorgen_maanden.into(),
            horizon_pip_dagen: body.horizon_pip_dagen.into(),
            horizon_termijn_maanden: body.horizon_termijn_maanden.into(),
            horizon_schakeldatum_dagen: body.horizon_schakeldatum_dagen.into(),
            horizon_aow_maanden: body.horizon_aow_maanden.into(),
            horizon_gesprek_dagen: body.horizon_gesprek_dagen.into(),
        }
    }
}

impl From<&GemeenteInstellingen> for GemeenteInstellingenDto {
    fn from(i: &GemeenteInstellingen) -> Self {
        Self {
            gesprek_cadans_maanden: i.gesprek_cadans_maanden,
            ontzorgen_maanden: i.ontzorgen_maanden,
            horizon_pip_dagen: i.horizon_pip_dagen,
            horizon_termijn_maanden: i.horizon_termijn_maanden,
            horizon_schakeldatum_dagen: i.horizon_schakeldatum_dagen,
            horizon_aow_maanden: i.horizon_aow_maanden,
            horizon_gesprek_dagen: i.horizon_gesprek_dagen,
        }
    }
}

/// The gemeente of the path, if the caller acts for it (otherwise 404, as if it did not exist).
fn gemeente(
    caller: &Caller,
    req: &HttpRequest,
    raw: &str,
) -> Result<(RequestContext, GemeenteCode), ApiError> {
    let ctx = caller.require(Scope::Beheer)?.clone();
    QueryParams::parse(req, &[])?.check()?;
    let code = GemeenteCode::parse("gemeentecode", raw)
        .map_err(|e| ApiError::invalid(&e.name, e.code, e.reason))?;
    if !ctx.principal.gemeenten.contains(&code) {
        return Err(ApiError::NotFound);
    }
    Ok((ctx, code))
}

/// De instellingen van een gemeente raadplegen
///
/// Vereiste scope: `beheer`, voor een gemeente van het token. Zonder vastgelegde instellingen gelden
/// de standaardwaarden.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "raadpleegGemeenteInstellingen",
    params(("gemeentecode" = String, Path, description = "CBS-code van de gemeente (vier cijfers).", pattern = "^[0-9]{4}$")),
    responses((status = 200, description = "De instellingen.", body = GemeenteInstellingenDto)),
)]
#[get("/gemeenten/{gemeentecode}/instellingen")]
pub async fn get_instellingen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, code) = gemeente(&caller, &req, &path)?;
    let wanted = code.clone();
    let instellingen = run_blocking(&state, move |store| store.instellingen(&[wanted])).await?;
    let found = instellingen.get(&code).cloned().unwrap_or_default();
    Ok(HttpResponse::Ok().json(GemeenteInstellingenDto::from(&found)))
}

/// De instellingen van een gemeente vastleggen
///
/// Vereiste scope: `beheer`, voor een gemeente van het token. Vervangt alle instellingen; een veld dat
/// ontbreekt krijgt de standaardwaarde. De regels lezen ze bij de volgende vraag: de cadans van
/// voortgangsgesprekken, de minimale duur van ontzorgen (voor ontzorgen dat daarna wordt vastgelegd) en
/// de horizons van de werklijst.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "legGemeenteInstellingenVast",
    params(("gemeentecode" = String, Path, description = "CBS-code van de gemeente (vier cijfers).", pattern = "^[0-9]{4}$")),
    request_body(content = GemeenteInstellingenVastleggen, content_type = "application/json"),
    responses((status = 200, description = "De vastgelegde instellingen.", body = GemeenteInstellingenDto)),
)]
#[put("/gemeenten/{gemeentecode}/instellingen")]
pub async fn put_instellingen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<GemeenteInstellingenVastleggen>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, code) = gemeente(&caller, &req, &path)?;
    let instellingen = body
        .judged
        .finish(GemeenteInstellingen::default().wijzig(body.value.into()))?;
    let stored = instellingen.clone();
    run_blocking(&state, move |store| {
        store.zet_instellingen(&ctx, &code, &stored)
    })
    .await?;
    Ok(HttpResponse::Ok().json(GemeenteInstellingenDto::from(&instellingen)))
}
