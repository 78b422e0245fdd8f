//! `/inburgeraars/{inburgeraarId}/statuswijzigingen`: the status, what may happen from it, its history,
//! and the changes DUO or the gemeente decide outside the other resources.

use super::dto::{StatusOverzicht, StatuswijzigingAanmaken, StatuswijzigingDto};
use crate::auth::Caller;
use crate::body::Body;
use crate::idempotency;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use koers_domain::commando::Opdracht;
use koers_domain::inburgeraar::InburgeraarStatus;
use koers_domain::input;
use koers_domain::principal::Scope;
use koers_domain::status::{self, Gebeurtenis, RedenBeeindiging};
use koers_domain::traject::{Lijst, Traject};

/// The status, what may happen from it (which the document decides), and the status history of
/// `traject` (a page of it, or all of it).
pub(crate) fn overzicht(
    status: InburgeraarStatus,
    traject: &Traject,
    volgende_pagina: Option<String>,
) -> StatusOverzicht {
    StatusOverzicht {
        status,
        toegestane_gebeurtenissen: status::toegestaan(status, traject.fase()).to_vec(),
        resultaten: traject
            .statushistorie
            .iter()
            .map(StatuswijzigingDto::from)
            .collect(),
        volgende_pagina,
    }
}

/// Status en statusgeschiedenis
///
/// Vereiste scope: `pip:lezen`. De huidige status, de gebeurtenissen die vanuit daar mogelijk zijn, en
/// de eerdere statuswijzigingen, oudste eerst, per pagina. De volgende pagina staat in de
/// `Link`-header (`rel="next"`) en in `volgendePagina`.
#[utoipa::path(
    tag = "Traject",
    operation_id = "raadpleegStatuswijzigingen",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Status en een pagina van de geschiedenis.", body = StatusOverzicht,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}/statuswijzigingen")]
pub async fn list_statuswijzigingen(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id, query, page) =
        crate::routes::person_page_call(&caller, Scope::PipLezen, &req, &path)?;
    let found = super::pagina(&state, ctx, id, Lijst::Statushistorie, page, false).await?;
    let (mut response, next) = query.page_response(&req, found.volgende.as_deref());
    Ok(response.json(overzicht(found.person.status, &found.traject, next)))
}

/// The events a client may send here, as a named value list of the contract.
pub struct DirecteGebeurtenis;

impl utoipa::PartialSchema for DirecteGebeurtenis {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::schemas::values(
            DIRECT.iter().map(|g| g.as_str()).collect(),
            "Gebeurtenis die DUO of de gemeente besluit; de andere volgen uit intake, PIP, onderdelen en besluiten.",
        )
    }
}

impl utoipa::ToSchema for DirecteGebeurtenis {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("DirecteGebeurtenis")
    }
}

/// The events a client may send here; the others follow from the intake, PIPs, onderdelen and besluiten.
const DIRECT: [Gebeurtenis; 7] = [
    Gebeurtenis::Voldaan,
    Gebeurtenis::Beeindigd,
    Gebeurtenis::TermijnOverschreden,
    Gebeurtenis::TijdelijkVrijgesteld,
    Gebeurtenis::Hervat,
    Gebeurtenis::Verhuisd,
    Gebeurtenis::DoelgroepGewijzigd,
];

/// Een statuswijziging vastleggen
///
/// Vereiste scope: `pip:vaststellen`. Voor wat DUO of de gemeente besluit buiten de andere resources:
/// `voldaan` (diploma, DUO SS106), `beeindigd` (met DUO's `RedenGeenInburgeringsplicht`),
/// `termijnOverschreden`, `tijdelijkVrijgesteld`, `hervat`, `verhuisd`, `doelgroepGewijzigd`. Een
/// overgang die vanuit de huidige status niet kan, geeft 409 met de mogelijke gebeurtenissen.
#[utoipa::path(
    tag = "Traject",
    operation_id = "legStatuswijzigingVast",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    request_body(content = StatuswijzigingAanmaken, content_type = "application/json"),
    responses((status = 201, description = "De nieuwe status en de geschiedenis.", body = StatusOverzicht)),
)]
#[post("/inburgeraars/{inburgeraarId}/statuswijzigingen")]
pub async fn create_statuswijziging(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<StatuswijzigingAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipVaststellen, &req, &path)?;
    let key = idempotency::key(&req, &body)?;
    let today = ctx.now.date();
    let value = body.value;
    let mut errors = koers_domain::FieldErrors::new();
    let gebeurtenis = input::required(
        &mut errors,
        "gebeurtenis",
        value.gebeurtenis.into(),
        |_, g| Ok(g),
    );
    let datum = input::required(&mut errors, "datum", value.datum.into(), |f, v| {
        input::past_date(f, v, today)
    });
    let reden = input::optional(&mut errors, "reden", value.reden.into(), |f, v| {
        input::parse_text(f, &v, 1, 500)
    });
    if gebeurtenis == Some(Gebeurtenis::Beeindigd) {
        match &reden {
            Some(Some(text)) => {
                errors.take(RedenBeeindiging::parse("reden", text));
            }
            Some(None) => errors.add(
                "reden",
                "required",
                "Geef DUO's RedenGeenInburgeringsplicht.",
            ),
            None => {}
        }
    }
    let (gebeurtenis, datum, reden) = body.judged.finish(match (gebeurtenis, datum, reden) {
        (Some(gebeurtenis), Some(datum), Some(reden)) if errors.is_empty() => {
            Ok((gebeurtenis, datum, reden))
        }
        _ => Err(errors),
    })?;
    let opdracht = Opdracht::Status {
        gebeurtenis,
        datum,
        reden,
    };
    super::post(&state, ctx, id, opdracht.into(), key).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_events_exclude_the_derived_ones() {
        assert!(!DIRECT.contains(&Gebeurtenis::PipVastgesteld));
        assert!(!DIRECT.contains(&Gebeurtenis::BredeIntakeGestart));
    }
}
