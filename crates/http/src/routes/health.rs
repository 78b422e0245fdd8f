//! `GET /health`

use crate::problem::ApiError;
use crate::state::{run_blocking, AppState};
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// De gezondheid van Koers en zijn database.
#[derive(Debug, Serialize, ToSchema)]
pub struct Gezondheid {
    /// `UP` als Koers verzoeken kan afhandelen.
    #[schema(example = "UP")]
    pub status: String,
    /// De database.
    pub database: DatabaseGezondheid,
}

/// De gezondheid van de database.
#[derive(Debug, Serialize, ToSchema)]
pub struct DatabaseGezondheid {
    /// `UP` als een verbinding beschikbaar is en antwoordt.
    #[schema(example = "UP")]
    pub status: String,
    /// `sqlite` of `postgresql`.
    #[schema(example = "sqlite")]
    pub backend: String,
}

/// Gezondheid
///
/// Zonder authenticatie. 200 als Koers en zijn database werken; 503 (problem+json) als de database
/// niet bereikbaar is of de verbindingspool uitgeput.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "raadpleegGezondheid",
    security(()),
    responses(
        (status = 200, description = "Koers en de database werken.", body = Gezondheid),
    ),
)]
#[get("/health")]
pub async fn get_health(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let backend = run_blocking(&state, |store| store.check().map(|()| store.backend())).await?;
    Ok(HttpResponse::Ok().json(Gezondheid {
        status: "UP".to_owned(),
        database: DatabaseGezondheid {
            status: "UP".to_owned(),
            backend: backend.to_owned(),
        },
    }))
}
