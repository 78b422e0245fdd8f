//! `GET` and `PUT /inburgeraars/{inburgeraarId}/brede-intake`

use super::dto::BredeIntakeDto;
use crate::auth::Caller;
use crate::body::Body;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{get, put, web, HttpRequest, HttpResponse};
use koers_domain::commando::Opdracht;
use koers_domain::principal::Scope;
use koers_domain::traject::BredeIntakeGegevens;
use koers_domain::traject::Delen;

/// De brede intake raadplegen
///
/// Vereiste scope: `intake:lezen`. Gezondheidsgegevens staan er alleen in met de scope `gezondheid:lezen`.
#[utoipa::path(
    tag = "Traject",
    operation_id = "raadpleegBredeIntake",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    responses((status = 200, description = "De brede intake.", body = BredeIntakeDto)),
)]
#[get("/inburgeraars/{inburgeraarId}/brede-intake")]
pub async fn get_brede_intake(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::IntakeLezen, &req, &path)?;
    let (_, traject) = super::load(&state, ctx, id, Delen::GEEN).await?;
    let intake = traject.brede_intake.as_ref().ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(BredeIntakeDto::from_domain(
        intake,
        mag_gezondheid(&ctx.principal),
    )))
}

/// Health data is for the gemeente's own callers with `gezondheid:lezen`; it never reaches a partner
/// through the intake (a partner's article 9 basis covers only what it is sent for that purpose).
fn mag_gezondheid(principal: &koers_domain::principal::Principal) -> bool {
    principal.has_scope(Scope::GezondheidLezen) && principal.organisatie.is_none()
}

/// De brede intake vastleggen
///
/// Vereiste scope: `intake:schrijven`. Vervangt de hele brede intake. De eerste brede intake brengt een
/// aangemelde inburgeraar in de fase `bredeIntake`. Het veld `gezondheid` vraagt ook `gezondheid:lezen`
/// (403 zonder); zonder die scope blijft een eerder vastgelegde waarde ongewijzigd.
#[utoipa::path(
    tag = "Traject",
    operation_id = "legBredeIntakeVast",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    request_body(content = BredeIntakeDto, content_type = "application/json"),
    responses((status = 200, description = "De vastgelegde brede intake.", body = BredeIntakeDto)),
)]
#[put("/inburgeraars/{inburgeraarId}/brede-intake")]
pub async fn put_brede_intake(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<BredeIntakeDto>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::IntakeSchrijven, &req, &path)?;
    let (input, judged) = (BredeIntakeGegevens::from(body.value), body.judged);
    let met_gezondheid = mag_gezondheid(&ctx.principal);
    let opdracht = Opdracht::BredeIntake {
        gegevens: input,
        met_gezondheid,
    };
    let (_, traject) = super::change(&state, ctx, id, super::commando(opdracht, &judged)).await?;
    let intake = traject.brede_intake.as_ref().ok_or(ApiError::Internal)?;
    Ok(HttpResponse::Ok().json(BredeIntakeDto::from_domain(intake, met_gezondheid)))
}
