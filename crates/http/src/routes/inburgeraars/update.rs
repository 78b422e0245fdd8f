//! `PATCH /inburgeraars/{inburgeraarId}`

use super::dto::{etag, read_input, InburgeraarResource, InburgeraarWijzigen};
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::problem::ApiError;
use crate::query::QueryParams;
use crate::routes::inburgeraar_id;
use crate::state::{run_blocking, AppState};
use actix_web::http::header;
use actix_web::{patch, web, HttpRequest, HttpResponse};
use koers_domain::ports::{Refusal, UpdateOutcome};
use koers_domain::principal::Scope;

/// The versions an `If-Match` header accepts: `None` for `*` or no header, else the listed versions.
///
/// # Errors
/// `Invalid` when the header is not a list of our strong ETags.
fn if_match(req: &HttpRequest) -> Result<Option<Vec<i64>>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let invalid = || {
        ApiError::invalid(
            "If-Match",
            "format",
            "Gebruik de ETag uit een eerdere GET, bijvoorbeeld \"3\".",
        )
    };
    let text = value.to_str().map_err(|_| invalid())?.trim();
    if text == "*" {
        return Ok(None);
    }
    text.split(',')
        .map(|tag| {
            tag.trim()
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .and_then(|t| t.parse::<i64>().ok())
                .ok_or_else(invalid)
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
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
    body: JsonBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::InburgeraarsSchrijven)?.clone();
    let id = inburgeraar_id(&path)?;
    QueryParams::parse(&req, &[])?.check()?;
    let expected = if_match(&req)?;
    let (input, reader_errors) = read_input(body.object);
    let outcome = run_blocking(&state, move |store| {
        store.update_inburgeraar(&ctx, id, &mut |current| {
            if expected
                .as_ref()
                .is_some_and(|tags| !tags.contains(&current.versie))
            {
                return Err(Refusal::VersionMismatch);
            }
            let mut errors = reader_errors.clone();
            match current.apply_patch(input.clone(), &ctx.principal, ctx.now) {
                Ok(updated) if errors.is_empty() => Ok(updated),
                Ok(_) => Err(Refusal::Invalid(errors)),
                Err(domain) => {
                    errors.0.extend(domain.0);
                    Err(Refusal::Invalid(errors))
                }
            }
        })
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
