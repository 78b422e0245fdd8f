//! `PATCH /inburgeraars/{inburgeraarId}`

use super::dto::{etag, InburgeraarResource, InburgeraarWijzigen};
use crate::auth::Caller;
use crate::body::Body;
use crate::problem::ApiError;
use crate::query::QueryParams;
use crate::routes::inburgeraar_id;
use crate::state::{run_blocking, AppState};
use actix_web::http::header;
use actix_web::{patch, web, HttpRequest, HttpResponse};
use koers_domain::commando::InburgeraarCommando;
use koers_domain::inburgeraar::InburgeraarGegevens;
use koers_domain::ports::{Refusal, UpdateOutcome};
use koers_domain::principal::Scope;

/// The versions an `If-Match` header accepts (RFC 9110, 13.1.1): `None` for `*` or no header, else
/// those of the strong tags it lists that are an `ETag` this API gives (compared as strings, so `"03"`
/// is not version 3). A weak tag never matches a strong comparison, and neither does anything that is
/// no entity tag: such a header is a 412.
///
/// # Errors
/// `Invalid` for a header outside the contract's bounds (longer than its text limit, or not visible
/// ASCII): that is invalid input, not a precondition.
fn if_match(req: &HttpRequest) -> Result<Option<Vec<i64>>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .ok()
        .filter(|text| text.len() <= crate::openapi::MAX_TEXT)
        .ok_or_else(|| {
            ApiError::invalid(
                "If-Match",
                "format",
                format!(
                    "Hoogstens {} zichtbare ASCII-tekens: de ETag uit een eerdere GET.",
                    crate::openapi::MAX_TEXT
                ),
            )
        })?
        .trim();
    if text == "*" {
        return Ok(None);
    }
    Ok(Some(
        text.split(',')
            .map(str::trim)
            .filter_map(|tag| {
                let versie = tag.strip_prefix('"')?.strip_suffix('"')?.parse().ok()?;
                (etag(versie) == tag).then_some(versie)
            })
            .collect(),
    ))
}

/// Een inburgeraar wijzigen
///
/// Vereiste scope: `inburgeraars:schrijven`. JSON Merge Patch: alleen de meegestuurde velden wijzigen,
/// `null` maakt een optioneel veld leeg. Stuur `If-Match` met de `ETag` van de laatste GET mee; is de
/// inburgeraar intussen gewijzigd, dan volgt 412 en blijft alles ongewijzigd.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "wijzigInburgeraar",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("If-Match" = Option<String>, Header, description = "De `ETag` van de versie waarop de wijziging is gebaseerd."),
    ),
    request_body(content = InburgeraarWijzigen, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "De gewijzigde inburgeraar.", body = InburgeraarResource,
            headers(("ETag" = String, description = "De nieuwe versie."))),
    ),
)]
#[patch("/inburgeraars/{inburgeraarId}")]
pub async fn update_inburgeraar(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<InburgeraarWijzigen>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::InburgeraarsSchrijven)?.clone();
    let id = inburgeraar_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let expected = if_match(&req)?;
    let commando = InburgeraarCommando {
        gegevens: InburgeraarGegevens::from(body.value),
        invoerfouten: body.judged.errors().clone(),
        verwachte_versies: expected,
    };
    let outcome = run_blocking(&state, move |store| {
        store.update_inburgeraar(&ctx, id, &commando)
    })
    .await?;
    match outcome {
        UpdateOutcome::NotFound => Err(ApiError::NotFound),
        UpdateOutcome::Refused(Refusal::VersionMismatch) => Err(ApiError::PreconditionFailed),
        UpdateOutcome::Refused(Refusal::Invalid(errors)) => Err(ApiError::Invalid(errors)),
        UpdateOutcome::Updated(person) => Ok(HttpResponse::Ok()
            .insert_header((header::ETAG, etag(person.versie)))
            .json(InburgeraarResource::from(&person))),
    }
}
