//! `POST /inburgeraars`

use super::dto::{etag, read_input, InburgeraarAanmaken, InburgeraarResource};
use crate::auth::Caller;
use crate::body::{combine, JsonBody};
use crate::idempotency::{self, Created, Idempotency};
use crate::problem::ApiError;
use crate::query::QueryParams;
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
use koers_domain::inburgeraar::Inburgeraar;
use koers_domain::principal::Scope;
use serde_json::Value;

/// Een inburgeraar registreren
///
/// Vereiste scope: `inburgeraars:schrijven`. Registreert een inburgeraar in een gemeente waarvoor het
/// token optreedt. Een tweede inburgeraar met hetzelfde BSN of V-nummer geeft 409. Met een
/// `Idempotency-Key` levert een herhaald verzoek het eerste antwoord op, zonder dubbele registratie.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "registreerInburgeraar",
    request_body(content = InburgeraarAanmaken, content_type = "application/json"),
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "Unieke sleutel per verzoek (bijvoorbeeld een UUID); een herhaling met dezelfde sleutel en body geeft het eerste antwoord terug, met een andere body 409."),
    ),
    responses(
        (status = 201, description = "De inburgeraar is geregistreerd.", body = InburgeraarResource,
            headers(
                ("Location" = String, description = "URL van de nieuwe inburgeraar."),
                ("ETag" = String, description = "Versie van de resource, voor `If-Match`."),
            )),
    ),
)]
#[post("/inburgeraars")]
pub async fn create_inburgeraar(
    caller: Caller,
    req: HttpRequest,
    body: JsonBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::InburgeraarsSchrijven)?.clone();
    QueryParams::parse(&req, &[])?.check()?;
    let idempotency = Idempotency::from_request(&req, &Value::Object(body.object.clone()))?;
    let (input, reader_errors) = read_input(body.object);
    let person = combine(
        reader_errors,
        Inburgeraar::register(input, &ctx.principal, ctx.now),
    )?;
    let created = Created {
        location: format!("{}/{}", req.path(), person.id),
        body: serde_json::to_string(&InburgeraarResource::from(&person))
            .map_err(|_| ApiError::Internal)?,
        etag: Some(etag(person.versie)),
    };
    let client = ctx.principal.client.clone();
    let now = ctx.now;
    idempotency::create(
        &state,
        &client,
        now,
        idempotency,
        created,
        move |store, record| store.create_inburgeraar(&ctx, &person, record),
    )
    .await
}
