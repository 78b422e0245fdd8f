//! `POST /inburgeraars`

use super::dto::{etag, InburgeraarAanmaken, InburgeraarResource};
use crate::auth::Caller;
use crate::body::Body;
use crate::idempotency;
use crate::problem::ApiError;
use crate::query::QueryParams;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use koers_domain::inburgeraar::Inburgeraar;
use koers_domain::principal::Scope;
use koers_domain::records::{Antwoord, Verwerkingsactiviteit};

/// Een inburgeraar registreren
///
/// Vereiste scope: `inburgeraars:schrijven`. Registreert een inburgeraar in een gemeente waarvoor het
/// token optreedt. Een tweede inburgeraar met hetzelfde BSN of V-nummer geeft 409. Met een
/// `Idempotency-Key` levert een herhaald verzoek het eerste antwoord op, zonder dubbele registratie.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "registreerInburgeraar",
    request_body(content = InburgeraarAanmaken, content_type = "application/json"),
    responses(
        (status = 201, description = "De inburgeraar is geregistreerd.", body = InburgeraarResource,
            headers(
                ("Location" = String, description = "URL van de nieuwe inburgeraar."),
                ("ETag" = String, description = "Versie van de resource, voor `If-Match` (niet bij een herhaald antwoord)."),
            )),
    ),
)]
#[post("/inburgeraars")]
pub async fn create_inburgeraar(
    caller: Caller,
    req: HttpRequest,
    body: Body<InburgeraarAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::InburgeraarsSchrijven)?.clone();
    QueryParams::parse(&req, &[])?.check()?;
    let key = idempotency::key(&req, &body)?;
    let person = body.judged.finish(Inburgeraar::register(
        body.value.into(),
        &ctx.principal,
        ctx.now,
    ))?;
    let antwoord = Antwoord::created(
        format!("{}/{}", req.path(), person.id),
        serde_json::to_value(InburgeraarResource::from(&person)).map_err(|_| ApiError::Internal)?,
    );
    let tag = etag(person.versie);
    let about = (person.id, Verwerkingsactiviteit::InburgeraarRegistreren);
    let mut response = idempotency::create(
        &state,
        &ctx,
        key,
        Some(about),
        antwoord,
        move |store, ctx, record| store.create_inburgeraar(ctx, &person, record).map(Ok),
    )
    .await?;
    if !idempotency::is_replay(&response) {
        if let Ok(value) = header::HeaderValue::from_str(&tag) {
            response.headers_mut().insert(header::ETAG, value);
        }
    }
    Ok(response)
}
