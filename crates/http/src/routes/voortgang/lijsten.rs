//! `GET /inburgeraars/{inburgeraarId}/inschrijvingen`, `.../gevolgde-uren` and `.../examenresultaten`:
//! every item of the lists of `GET …/voortgang`, one page at a time, in the same order.

use super::dto::{
    ExamenresultaatDto, ExamenresultaatLijst, GevolgdeUrenDto, GevolgdeUrenLijst, InschrijvingDto,
    InschrijvingLijst,
};
use crate::auth::Caller;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use koers_domain::principal::Scope;
use koers_domain::traject::Lijst;

/// Inschrijvingen van een inburgeraar
///
/// Vereiste scope: `pip:lezen`. Alle inschrijvingen zoals taalaanbieders ze aanleverden, in de volgorde
/// van aanleveren (die van `inschrijvingen` in de voortgang), per pagina; de volgende pagina staat in de
/// `Link`-header (`rel="next"`) en in `volgendePagina`.
#[utoipa::path(
    tag = "Voortgang",
    operation_id = "zoekInschrijvingen",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina inschrijvingen.", body = InschrijvingLijst,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}/inschrijvingen")]
pub async fn list_inschrijvingen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id, query, page) =
        crate::routes::person_page_call(&caller, Scope::PipLezen, &req, &path)?;
    let found =
        crate::routes::traject::pagina(&state, ctx, id, Lijst::Inschrijvingen, page, false).await?;
    let dagtekening = found
        .traject
        .actuele_pip()
        .and_then(|p| p.datum_dagtekening);
    let (mut response, next) = query.page_response(&req, found.volgende.as_deref());
    Ok(response.json(InschrijvingLijst {
        resultaten: found
            .traject
            .inschrijvingen
            .iter()
            .map(|i| InschrijvingDto::from_domain(i, dagtekening))
            .collect(),
        volgende_pagina: next,
    }))
}

/// Gevolgde uren van een inburgeraar
///
/// Vereiste scope: `pip:lezen`. Alle gevolgde uren (per organisatie en maand) zoals taalaanbieders ze
/// aanleverden, in de volgorde van aanleveren (die van `gevolgdeUren` in de voortgang), per pagina; de
/// volgende pagina staat in de `Link`-header (`rel="next"`) en in `volgendePagina`.
#[utoipa::path(
    tag = "Voortgang",
    operation_id = "zoekGevolgdeUren",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina gevolgde uren.", body = GevolgdeUrenLijst,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}/gevolgde-uren")]
pub async fn list_gevolgde_uren(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id, query, page) =
        crate::routes::person_page_call(&caller, Scope::PipLezen, &req, &path)?;
    let found =
        crate::routes::traject::pagina(&state, ctx, id, Lijst::GevolgdeUren, page, false).await?;
    let (mut response, next) = query.page_response(&req, found.volgende.as_deref());
    Ok(response.json(GevolgdeUrenLijst {
        resultaten: found
            .traject
            .gevolgde_uren
            .iter()
            .map(GevolgdeUrenDto::from)
            .collect(),
        volgende_pagina: next,
    }))
}

/// Examenresultaten van een inburgeraar
///
/// Vereiste scope: `pip:lezen`. Alle examenresultaten zoals taalaanbieders en DUO ze aanleverden, in de
/// volgorde van aanleveren (die van `examenresultaten` in de voortgang), per pagina; de volgende pagina
/// staat in de `Link`-header (`rel="next"`) en in `volgendePagina`.
#[utoipa::path(
    tag = "Voortgang",
    operation_id = "zoekExamenresultaten",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina examenresultaten.", body = ExamenresultaatLijst,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}/examenresultaten")]
pub async fn list_examenresultaten(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id, query, page) =
        crate::routes::person_page_call(&caller, Scope::PipLezen, &req, &path)?;
    let found =
        crate::routes::traject::pagina(&state, ctx, id, Lijst::Examenresultaten, page, false)
            .await?;
    let (mut response, next) = query.page_response(&req, found.volgende.as_deref());
    Ok(response.json(ExamenresultaatLijst {
        resultaten: found
            .traject
            .examenresultaten
            .iter()
            .map(|r| ExamenresultaatDto::from_domain(id.0, r))
            .collect(),
        volgende_pagina: next,
    }))
}
