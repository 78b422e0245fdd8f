//! `GET /inburgeraars/{inburgeraarId}`

use super::dto::{etag, InburgeraarResource};
use crate::auth::Caller;
use crate::problem::ApiError;
use crate::query::QueryParams;
use crate::routes::inburgeraar_id;
use crate::state::{run_blocking, AppState};
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use koers_domain::principal::Scope;

/// Een inburgeraar raadplegen
///
/// Vereiste scope: `inburgeraars:lezen`. Een inburgeraar buiten de gemeenten van het token bestaat voor
/// de aanroeper niet (404). Elke raadpleging komt in het verwerkingenlogboek van de persoon.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "raadpleegInburgeraar",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    responses(
        (status = 200, description = "De inburgeraar.", body = InburgeraarResource,
            headers(("ETag" = String, description = "Versie van de resource, voor `If-Match`."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}")]
pub async fn get_inburgeraar(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::InburgeraarsLezen)?.clone();
    let id = inburgeraar_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let person = run_blocking(&state, move |store| store.get_inburgeraar(&ctx, id))
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(person.versie)))
        .json(InburgeraarResource::from(&person)))
}
