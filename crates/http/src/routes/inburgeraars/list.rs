//! `GET /inburgeraars`

use super::dto::{InburgeraarLijst, InburgeraarResource};
use crate::auth::Caller;
use crate::problem::ApiError;
use crate::query::{QueryParams, PAGE_PARAMS};
use crate::state::{run_blocking, AppState};
use actix_web::{get, web, HttpRequest, HttpResponse};
use koers_domain::gemeente::GemeenteCode;
use koers_domain::inburgeraar::{Doelgroep, InburgeraarFilter, InburgeraarStatus};
use koers_domain::principal::Scope;

/// Inburgeraars opvragen
///
/// Vereiste scope: `inburgeraars:lezen`. Geeft de inburgeraars van de gemeenten van het token, in vaste
/// volgorde, per pagina (keyset: de kosten van een pagina groeien niet met de tabel). De volgende
/// pagina staat in de `Link`-header (`rel="next"`) en in `volgendePagina`.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "zoekInburgeraars",
    params(
        ("gemeente" = Option<String>, Query, description = "Alleen deze gemeente (CBS-code, vier cijfers).", pattern = "^[0-9]{4}$"),
        ("doelgroep" = Option<String>, Query, description = "Alleen deze doelgroep (DUO `GedetailleerdeDoelgroep`)."),
        ("status" = Option<String>, Query, description = "Alleen inburgeraars in deze fase."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina inburgeraars.", body = InburgeraarLijst,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars")]
pub async fn list_inburgeraars(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::InburgeraarsLezen)?.clone();
    let mut known = vec!["gemeente", "doelgroep", "status"];
    known.extend(PAGE_PARAMS);
    let mut query = QueryParams::parse(&req, &known)?;
    let filter = InburgeraarFilter {
        gemeente: query.parse_with("gemeente", GemeenteCode::parse),
        doelgroep: query.parse_with("doelgroep", Doelgroep::parse),
        status: query.parse_with("status", InburgeraarStatus::parse),
    };
    let page = query.page();
    query.check()?;
    let found = run_blocking(&state, move |store| {
        store.list_inburgeraars(&ctx, &filter, &page)
    })
    .await?;
    let (mut response, next) = query.page_response(&req, found.next_after.as_deref());
    Ok(response.json(InburgeraarLijst {
        resultaten: found.items.iter().map(InburgeraarResource::from).collect(),
        volgende_pagina: next,
    }))
}
