//! `GET /signaleringen`: the worklist of klantmanagers, computed from the data on the day of the request.

use crate::auth::Caller;
use crate::problem::ApiError;
use crate::query::{QueryParams, PAGE_PARAMS};
use crate::state::{run_blocking, AppState};
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use koers_domain::gemeente::GemeenteCode;
use koers_domain::input::parse_date;
use koers_domain::principal::Scope;
use koers_domain::signalering::{SignaleringRegel, SignaleringSoort, SignaleringVraag};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Een signalering: iets waarop de klantmanager moet handelen.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignaleringDto {
    /// De inburgeraar om wie het gaat.
    pub inburgeraar_id: Uuid,
    /// Naam van de inburgeraar.
    #[schema(example = "Amina Yusuf")]
    pub naam: String,
    /// Gemeente van de inburgeraar (CBS-code).
    #[schema(example = "0363", pattern = "^[0-9]{4}$")]
    pub gemeente: String,
    #[schema(value_type = crate::schemas::SignaleringSoort)]
    pub soort: SignaleringSoort,
    /// De uiterste datum (bij een bereikte norm: de datum waarop die bereikt werd).
    #[schema(example = "2026-12-07")]
    pub datum: NaiveDate,
    /// De datum ligt voor vandaag.
    pub verstreken: bool,
    /// De regel waar de signalering uit volgt, met de bron.
    pub regel: String,
    /// Wat er aan de hand is.
    pub omschrijving: String,
}

impl From<&SignaleringRegel> for SignaleringDto {
    fn from(regel: &SignaleringRegel) -> Self {
        Self {
            inburgeraar_id: regel.inburgeraar.0,
            naam: regel.naam.clone(),
            gemeente: regel.gemeente.as_str().to_owned(),
            soort: regel.signalering.soort,
            datum: regel.signalering.datum,
            verstreken: regel.signalering.verstreken,
            regel: regel.signalering.regel.to_owned(),
            omschrijving: regel.signalering.omschrijving.clone(),
        }
    }
}

/// Een pagina van de werklijst.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignaleringLijst {
    pub resultaten: Vec<SignaleringDto>,
    /// URL van de volgende pagina; ontbreekt op de laatste.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volgende_pagina: Option<String>,
}

/// Signaleringen opvragen (werklijst)
///
/// Vereiste scope: `pip:lezen`. De signaleringen van de inburgeraars van de gemeenten van het token
/// waarvan de plicht loopt, berekend op de dag van de vraag: termijnen die naderen of verstreken zijn,
/// met de regel waar ze uit volgen. Een signalering verdwijnt zodra de oorzaak is opgelost (PIP
/// vastgesteld, termijn verlengd, gesprek gevoerd, ontzorgen beëindigd, uitslag gecorrigeerd). De
/// waarschuwingshorizons komen uit de gemeente-instellingen. Gesorteerd op datum, soort en inburgeraar.
#[utoipa::path(
    tag = "Ontzorging en voortgang",
    operation_id = "zoekSignaleringen",
    params(
        ("gemeente" = Option<String>, Query, description = "Alleen deze gemeente (CBS-code, vier cijfers).", pattern = "^[0-9]{4}$"),
        ("soort" = Option<String>, Query, description = "Alleen deze soort signalering."),
        ("datumVanaf" = Option<NaiveDate>, Query, description = "Alleen signaleringen met een datum op of na deze dag."),
        ("datumTot" = Option<NaiveDate>, Query, description = "Alleen signaleringen met een datum op of voor deze dag."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina van de werklijst.", body = SignaleringLijst,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/signaleringen")]
pub async fn list_signaleringen(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::PipLezen)?.clone();
    let mut known = vec!["gemeente", "soort", "datumVanaf", "datumTot"];
    known.extend(PAGE_PARAMS);
    let mut query = QueryParams::parse(&req, &known)?;
    let gemeente = query.parse_with("gemeente", GemeenteCode::parse);
    let soort = query.parse_with("soort", SignaleringSoort::parse);
    let datum_vanaf = query.parse_with("datumVanaf", parse_date);
    let datum_tot = query.parse_with("datumTot", parse_date);
    if let (Some(vanaf), Some(tot)) = (datum_vanaf, datum_tot) {
        if tot < vanaf {
            query.errors.add(
                "datumTot",
                "voorVanaf",
                "`datumTot` ligt voor `datumVanaf`.",
            );
        }
    }
    let page = query.page();
    query.check()?;
    // Only the caller's own gemeenten; another gemeente's worklist is simply empty.
    let gemeenten = ctx
        .principal
        .gemeenten
        .iter()
        .filter(|g| gemeente.as_ref().is_none_or(|wanted| wanted == *g))
        .cloned()
        .collect();
    let vraag = SignaleringVraag {
        gemeenten,
        soort,
        datum_vanaf,
        datum_tot,
    };
    let found = run_blocking(&state, move |store| {
        store.signaleringen(&ctx, &vraag, &page)
    })
    .await?;
    let (mut response, next) = query.page_response(&req, found.next_after.as_deref());
    Ok(response.json(SignaleringLijst {
        resultaten: found.items.iter().map(SignaleringDto::from).collect(),
        volgende_pagina: next,
    }))
}
