//! `/inburgeraars/{inburgeraarId}/pips`: concept PIPs, their vaststelling, and deletion where DUO allows.

use super::dto::{PipAanmaken, PipDto, PipLijst, PipVaststelling};
use crate::auth::Caller;
use crate::body::Body;
use crate::idempotency;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use koers_domain::commando::Opdracht;
use koers_domain::input::Input;
use koers_domain::pip::{PipGegevens, PipId};
use koers_domain::principal::Scope;
use koers_domain::traject::Delen;

fn pip_id(raw: &str) -> Result<PipId, ApiError> {
    crate::routes::path_uuid("pipId", raw).map(PipId)
}

/// De PIP-versies van een inburgeraar
///
/// Vereiste scope: `pip:lezen`. Alle versies, concepten en vastgestelde, oudste eerst.
#[utoipa::path(
    tag = "Traject",
    operation_id = "zoekPips",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    responses((status = 200, description = "De PIP-versies.", body = PipLijst)),
)]
#[get("/inburgeraars/{inburgeraarId}/pips")]
pub async fn list_pips(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipLezen, &req, &path)?;
    let (_, traject) = super::load(&state, ctx, id, Delen::GEEN).await?;
    Ok(HttpResponse::Ok().json(PipLijst {
        resultaten: traject.pips.iter().map(PipDto::from).collect(),
    }))
}

/// Een PIP-versie raadplegen
///
/// Vereiste scope: `pip:lezen`.
#[utoipa::path(
    tag = "Traject",
    operation_id = "raadpleegPip",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pipId" = uuid::Uuid, Path, description = "Identificatie van de PIP-versie."),
    ),
    responses((status = 200, description = "De PIP-versie.", body = PipDto)),
)]
#[get("/inburgeraars/{inburgeraarId}/pips/{pipId}")]
pub async fn get_pip(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipLezen, &req, &path.0)?;
    let pip = pip_id(&path.1)?;
    let (_, traject) = super::load(&state, ctx, id, Delen::GEEN).await?;
    let found = traject
        .pips
        .iter()
        .find(|p| p.id == pip)
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(PipDto::from(found)))
}

/// Een PIP opstellen (concept)
///
/// Vereiste scope: `pip:vaststellen`. Legt een concept-PIP vast met leerroute, niveau en afspraken.
/// DUO's regels over route en niveau gelden al voor het concept: geen A2 in de onderwijsroute, geen B1
/// in de Z-route, geen A2 in de B1-route in de eerste PIP; standaard B1 voor B1-route en onderwijsroute;
/// `geschatteIntensiteitB1Route` alleen bij de B1-route van een asielstatushouder; geen MAP in de
/// onderwijsroute; `afgeschaaldeOnderdelen` (afschalen per taalonderdeel) alleen in de B1-route en niet
/// in de eerste PIP.
#[utoipa::path(
    tag = "Traject",
    operation_id = "stelPipOp",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    request_body(content = PipAanmaken, content_type = "application/json"),
    responses((status = 201, description = "Het concept-PIP.", body = PipDto,
        headers(("Location" = String, description = "URL van de PIP-versie.")))),
)]
#[post("/inburgeraars/{inburgeraarId}/pips")]
pub async fn create_pip(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<PipAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipVaststellen, &req, &path)?;
    let key = idempotency::key(&req, &body)?;
    let opdracht = Opdracht::NieuwePip(PipGegevens::from(body.value));
    super::post(
        &state,
        ctx,
        id,
        super::commando(opdracht, &body.judged),
        key,
    )
    .await
}

/// Een PIP vaststellen
///
/// Vereiste scope: `pip:vaststellen`. Zet de dagtekening en maakt het concept tot de actuele PIP. De
/// eerste vaststelling start de inburgeringstermijn (de dag na de dagtekening); een latere PIP
/// verschuift die niet. DUO's regels: dagtekening niet voor de start van de plicht, de vestiging, de
/// eerste of de actuele PIP, niet in de toekomst; wisselen van route alleen tot 18 maanden na de start
/// van de termijn (behalve onderwijsroute naar B1-route); afschalen naar A2 (geheel of per
/// taalonderdeel) pas na 600 lesuren.
#[utoipa::path(
    tag = "Traject",
    operation_id = "stelPipVast",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pipId" = uuid::Uuid, Path, description = "Identificatie van de PIP-versie."),
    ),
    request_body(content = PipVaststelling, content_type = "application/json"),
    responses((status = 200, description = "De vastgestelde PIP.", body = PipDto)),
)]
#[post("/inburgeraars/{inburgeraarId}/pips/{pipId}/vaststelling")]
pub async fn fix_pip(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: Body<PipVaststelling>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipVaststellen, &req, &path.0)?;
    let pip = pip_id(&path.1)?;
    let key = idempotency::key(&req, &body)?;
    let opdracht = Opdracht::StelPipVast {
        pip,
        dagtekening: Input::from(body.value.datum_dagtekening),
    };
    super::post(
        &state,
        ctx,
        id,
        super::commando(opdracht, &body.judged),
        key,
    )
    .await
}

/// Een PIP verwijderen
///
/// Vereiste scope: `pip:vaststellen`. Een concept kan altijd weg; een vastgestelde PIP alleen zolang de
/// termijn niet is gestart en er geen uren zijn geregistreerd (DUO's regel), anders 409.
#[utoipa::path(
    tag = "Traject",
    operation_id = "verwijderPip",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pipId" = uuid::Uuid, Path, description = "Identificatie van de PIP-versie."),
    ),
    responses((status = 204, description = "De PIP is verwijderd.")),
)]
#[delete("/inburgeraars/{inburgeraarId}/pips/{pipId}")]
pub async fn delete_pip(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipVaststellen, &req, &path.0)?;
    let pip = pip_id(&path.1)?;
    super::change(&state, ctx, id, Opdracht::VerwijderPip(pip).into()).await?;
    Ok(HttpResponse::NoContent().finish())
}
