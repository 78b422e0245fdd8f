//! `POST /inburgeraars/_zoek`

use super::dto::{InburgeraarLijst, InburgeraarResource, InburgeraarZoekvraag};
use crate::auth::Caller;
use crate::body::Body;
use crate::problem::ApiError;
use crate::query::QueryParams;
use crate::state::{run_blocking, AppState};
use actix_web::{post, web, HttpRequest, HttpResponse};
use koers_domain::inburgeraar::Zoekvraag;
use koers_domain::principal::Scope;

/// Een inburgeraar zoeken op BSN of V-nummer
///
/// Vereiste scope: `inburgeraars:lezen`. Persoonsnummers staan nooit in een URL: zoek daarom met een
/// POST. Het antwoord is een lijst met nul of een inburgeraar binnen de gemeenten van het token.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "zoekInburgeraarOpIdentificatie",
    request_body(content = InburgeraarZoekvraag, content_type = "application/json"),
    responses(
        (status = 200, description = "De gevonden inburgeraar, of een lege lijst.", body = InburgeraarLijst),
    ),
)]
#[post("/inburgeraars/_zoek")]
pub async fn search_inburgeraars(
    caller: Caller,
    req: HttpRequest,
    body: Body<InburgeraarZoekvraag>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::InburgeraarsLezen)?.clone();
    QueryParams::parse(&req, &[])?.check()?;
    let vraag = body.judged.finish(Zoekvraag::parse(
        body.value.bsn.into(),
        body.value.v_nummer.into(),
    ))?;
    let found = run_blocking(&state, move |store| store.find_inburgeraar(&ctx, &vraag)).await?;
    Ok(HttpResponse::Ok().json(InburgeraarLijst {
        resultaten: found.iter().map(InburgeraarResource::from).collect(),
        volgende_pagina: None,
    }))
}
