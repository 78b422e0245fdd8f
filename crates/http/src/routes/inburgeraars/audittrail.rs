//! `GET /inburgeraars/{inburgeraarId}/audittrail`

use crate::auth::Caller;
use crate::problem::ApiError;
use crate::query::{QueryParams, PAGE_PARAMS};
use crate::routes::inburgeraar_id;
use crate::state::{run_blocking, AppState};
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use koers_domain::principal::Scope;
use koers_domain::records::AuditEntry;
use serde::Serialize;
use utoipa::ToSchema;

/// Any JSON value: the trail keeps each resource in its own shape.
/// A resource as it was or became: a JSON object of that resource's fields (see `resource`).
fn resource_value() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Object, Type::Null]))
        .description(Some(
            "De velden van de resource (`resource`) zoals Koers die vastlegt, als JSON-object; bij een \
             bulkaanlevering een object met `resultaten`, de lijst van wat werd opgeslagen.",
        ))
        .into()
}

/// A stored audit value as the trail shows it: always an object (what a bulk delivery stored is a
/// list, shown under `resultaten`).
fn as_object(value: Option<serde_json::Value>) -> Option<serde_json::Value> {
    value.map(|value| match value {
        serde_json::Value::Array(items) => serde_json::json!({ "resultaten": items }),
        other => other,
    })
}

/// Een wijziging in de audittrail: wie wat wanneer veranderde, met de waarden ervoor en erna.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditRegel {
    /// Identificatie van de regel.
    pub id: String,
    /// Soort wijziging.
    #[schema(example = "gewijzigd")]
    pub actie: String,
    /// Soort resource die werd gewijzigd.
    #[schema(example = "inburgeraar")]
    pub resource: String,
    /// Identificatie van de gewijzigde resource.
    pub resource_id: String,
    /// De clientapplicatie (`sub` van het token).
    pub client: String,
    /// De gebruiker achter de client, als het token die noemt.
    pub gebruiker: Option<String>,
    /// De resource voor de wijziging (`null` bij aanmaken).
    #[schema(schema_with = resource_value)]
    pub oude_waarde: Option<serde_json::Value>,
    /// De resource na de wijziging, of wat werd aangeleverd (`null` bij verwijderen).
    #[schema(schema_with = resource_value)]
    pub nieuwe_waarde: Option<serde_json::Value>,
    /// Moment van de wijziging (UTC).
    pub tijdstip: DateTime<Utc>,
    /// Identificatie van het verzoek (`X-Request-Id`).
    pub request_id: String,
}

impl From<AuditEntry> for AuditRegel {
    fn from(entry: AuditEntry) -> Self {
        Self {
            id: entry.id,
            actie: entry.actie.as_str().to_owned(),
            resource: entry.resource,
            resource_id: entry.resource_id,
            client: entry.client,
            gebruiker: entry.gebruiker,
            oude_waarde: as_object(entry.oude_waarde),
            nieuwe_waarde: as_object(entry.nieuwe_waarde),
            tijdstip: entry.tijdstip.and_utc(),
            request_id: entry.request_id,
        }
    }
}

/// Een pagina van de audittrail, nieuwste eerst.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditTrail {
    /// De wijzigingen op deze pagina.
    pub resultaten: Vec<AuditRegel>,
    /// URL van de volgende pagina, of `null`.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
}

/// De audittrail van een inburgeraar
///
/// Vereiste scope: `audit:lezen`. Elke wijziging aan de gegevens van de persoon, nieuwste eerst, met
/// client, gebruiker, oude en nieuwe waarden, tijdstip en request-id.
#[utoipa::path(
    tag = "Verantwoording",
    operation_id = "raadpleegAudittrail",
    params(
        ("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar."),
        ("pageSize" = Option<u32>, Query, description = "Aantal resultaten per pagina (1 tot en met 100, standaard 20).", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Positie in de lijst; neem de waarde over uit de `Link`-header."),
    ),
    responses(
        (status = 200, description = "Een pagina van de audittrail.", body = AuditTrail,
            headers(("Link" = String, description = "`<url>; rel=\"next\"` als er een volgende pagina is."))),
    ),
)]
#[get("/inburgeraars/{inburgeraarId}/audittrail")]
pub async fn get_audittrail(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::AuditLezen)?.clone();
    let id = inburgeraar_id(&path)?;
    let mut query = QueryParams::parse(&req, &PAGE_PARAMS)?;
    let page = query.page();
    query.check()?;
    let found = run_blocking(&state, move |store| store.audit_trail(&ctx, id, &page))
        .await?
        .ok_or(ApiError::NotFound)?;
    let (mut response, next) = query.page_response(&req, found.next_after.as_deref());
    Ok(response.json(AuditTrail {
        resultaten: found.items.into_iter().map(AuditRegel::from).collect(),
        volgende_pagina: next,
    }))
}
