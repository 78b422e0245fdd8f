//! The resources of the API, one module per resource and one file per operation.

pub mod abonnementen;
pub mod docs;
pub mod gebeurtenissen;
pub mod health;
pub mod inburgeraars;
pub mod instellingen;
pub mod partners;
pub mod signaleringen;
pub mod traject;
pub mod voortgang;

use crate::auth::Caller;
use crate::problem::ApiError;
use crate::query::QueryParams;
use actix_web::HttpRequest;
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::principal::Scope;
use koers_domain::records::RequestContext;
use uuid::Uuid;

/// Parses the `inburgeraarId` path segment.
///
/// # Errors
/// `Invalid` naming the parameter when it is not a UUID.
pub fn inburgeraar_id(raw: &str) -> Result<InburgeraarId, ApiError> {
    // `/inburgeraars/_zoek` is an operation of its own, not an id: other methods there are 405.
    if raw == "_zoek" {
        return Err(ApiError::MethodNotAllowed("POST".to_owned()));
    }
    path_uuid("inburgeraarId", raw).map(InburgeraarId)
}

/// Parses a path segment that identifies a resource.
///
/// # Errors
/// `Invalid` naming the parameter when it is not a UUID.
pub fn path_uuid(name: &'static str, raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw)
        .map_err(|_| ApiError::invalid(name, "format", format!("Een {name} is een UUID.")))
}

/// The common start of an operation on one person without query parameters: the scope, the
/// `inburgeraarId`, and no unknown query parameters.
///
/// # Errors
/// 403 without the scope, 400 for a malformed id or any query parameter.
pub fn person_call<'a>(
    caller: &'a Caller,
    scope: Scope,
    req: &HttpRequest,
    raw_id: &str,
) -> Result<(&'a RequestContext, InburgeraarId), ApiError> {
    let ctx = caller.require(scope)?;
    let id = inburgeraar_id(raw_id)?;
    QueryParams::parse(req, &[])?.check()?;
    Ok((ctx, id))
}

/// The common start of a paged list of one person's history: the scope, the `inburgeraarId`, and
/// `pageSize` and `cursor` as the only query parameters (checked before the person is looked up, so a
/// refusal tells nothing about the person).
///
/// # Errors
/// 403 without the scope, 400 for a malformed id, a bad page size or cursor, or another parameter.
pub fn person_page_call<'a>(
    caller: &'a Caller,
    scope: Scope,
    req: &HttpRequest,
    raw_id: &str,
) -> Result<
    (
        &'a RequestContext,
        InburgeraarId,
        QueryParams,
        koers_domain::pagination::PageRequest,
    ),
    ApiError,
> {
    let ctx = caller.require(scope)?;
    let id = inburgeraar_id(raw_id)?;
    let mut query = QueryParams::parse(req, &crate::query::PAGE_PARAMS)?;
    let page = query.page();
    query.check()?;
    Ok((ctx, id, query, page))
}
