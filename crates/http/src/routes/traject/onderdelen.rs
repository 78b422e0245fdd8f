//! `/inburgeraars/{inburgeraarId}/onderdelen/{onderdeel}` for map, pvt, knm and z-route

use super::dto::{OnderdeelDto, OnderdeelWijzigen};
use crate::auth::Caller;
use crate::body::Body;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{get, put, web, HttpRequest, HttpResponse};
use koers_domain::commando::Opdracht;
use koers_domain::principal::Scope;
use koers_domain::traject::Delen;
use koers_domain::traject::{OnderdeelGegevens, OnderdeelSoort, Traject};

fn soort(raw: &str) -> Result<OnderdeelSoort, ApiError> {
    // An unknown onderdeel is a path that does not exist.
    OnderdeelSoort::from_text(raw).ok_or(ApiError::NotFound)
}

fn dto(traject: &Traject, soort: OnderdeelSoort, asiel: bool) -> OnderdeelDto {
    let onderdeel = match soort {
        OnderdeelSoort::Map => traject.map.as_ref(),
        OnderdeelSoort::Pvt => traject.pvt.as_ref(),
        OnderdeelSoort::Knm => traject.knm.as_ref(),
        OnderdeelSoort::ZRoute => traject.z_route.as_ref(),
    };
    OnderdeelDto::from_domain(soort, onderdeel, asiel)
}

/// Een onderdeel raadplegen
///
/// Vereiste scope: `pip:lezen`. MAP, PVT, KNM of Z-route, met status en (Z-route) de voortgang naar 800
/// lesuren en, voor asielstatushouders, 800 participatie-uren.
#[utoipa::path(
    tag = "Traject",
    operation_id = "raadpleegOnderdeel",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("onderdeel" = String, Path, description = "`map`, `pvt`, `knm` of `z-route`."),
    ),
    responses((status = 200, description = "Het onderdeel.", body = OnderdeelDto)),
)]
#[get("/inburgeraars/{inburgeraarId}/onderdelen/{onderdeel}")]
pub async fn get_onderdeel(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipLezen, &req, &path.0)?;
    let soort = soort(&path.1)?;
    let (person, traject) = super::load(&state, ctx, id, Delen::UREN).await?;
    Ok(HttpResponse::Ok().json(dto(
        &traject,
        soort,
        person.doelgroep.is_asielstatushouder(),
    )))
}

/// Een onderdeel registreren
///
/// Vereiste scope: `pip:vaststellen`. Vervangt de registratie (wat ontbreekt, wordt ingetrokken), met
/// DUO's regels: een actuele PIP is nodig; de datum ligt niet voor de start van de termijn, niet in de
/// toekomst en niet na de afronding van de Z-route; `verwijtbaar` alleen bij MAP en PVT en alleen rond
/// overschrijding van de termijn; geen MAP in de onderwijsroute; uren alleen bij de Z-route. Zijn in de
/// Z-route de uren gehaald en Z-route, PVT en MAP afgerond, dan is de plicht `voldaan`.
#[utoipa::path(
    tag = "Traject",
    operation_id = "registreerOnderdeel",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("onderdeel" = String, Path, description = "`map`, `pvt`, `knm` of `z-route`."),
    ),
    request_body(content = OnderdeelWijzigen, content_type = "application/json"),
    responses((status = 200, description = "Het onderdeel.", body = OnderdeelDto)),
)]
#[put("/inburgeraars/{inburgeraarId}/onderdelen/{onderdeel}")]
pub async fn put_onderdeel(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: Body<OnderdeelWijzigen>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipVaststellen, &req, &path.0)?;
    let soort = soort(&path.1)?;
    let (input, judged) = (OnderdeelGegevens::from(body.value), body.judged);
    let opdracht = Opdracht::Onderdeel {
        soort,
        gegevens: input,
    };
    let (person, traject) =
        super::change(&state, ctx, id, super::commando(opdracht, &judged)).await?;
    Ok(HttpResponse::Ok().json(dto(
        &traject,
        soort,
        person.doelgroep.is_asielstatushouder(),
    )))
}
