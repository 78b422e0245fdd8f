//! `GET /health` (liveness: the process answers) and `GET /health/gereed` (readiness: the database
//! answers and has every migration of this build), for orchestrators and load balancers.

use crate::problem::ApiError;
use crate::state::{run_blocking_store, AppState};
use actix_web::{get, web, HttpResponse};
use koers_domain::ports::Migraties;
use serde::Serialize;
use utoipa::ToSchema;

/// Of Koers leeft.
#[derive(Debug, Serialize, ToSchema)]
pub struct Gezondheid {
    /// `UP` als het proces verzoeken beantwoordt.
    #[schema(example = "UP")]
    pub status: String,
}

/// Of Koers gereed is om verzoeken af te handelen.
#[derive(Debug, Serialize, ToSchema)]
pub struct Gereedheid {
    /// `UP` als alle onderdelen werken.
    #[schema(example = "UP")]
    pub status: String,
    /// De database.
    pub database: DatabaseGezondheid,
}

/// De gezondheid van de database.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseGezondheid {
    /// `UP` als een verbinding beschikbaar is, antwoordt en alle migraties zijn toegepast.
    #[schema(example = "UP")]
    pub status: String,
    /// `sqlite` of `postgresql`.
    #[schema(example = "sqlite")]
    pub backend: String,
    /// Het aantal migraties van deze versie dat de database heeft toegepast.
    #[schema(example = 6, minimum = 0, maximum = 10000)]
    pub migraties_toegepast: usize,
}

/// Leeft Koers
///
/// Zonder authenticatie en zonder de database: 200 zolang het proces verzoeken beantwoordt (liveness).
/// Of Koers ook verzoeken kan afhandelen, zegt `/health/gereed`.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "raadpleegGezondheid",
    security(()),
    responses((status = 200, description = "Het proces beantwoordt verzoeken.", body = Gezondheid)),
)]
#[get("/health")]
pub async fn get_health() -> HttpResponse {
    HttpResponse::Ok().json(Gezondheid {
        status: "UP".to_owned(),
    })
}

/// Is Koers gereed
///
/// Zonder authenticatie (readiness): 200 als de database bereikbaar is en alle migraties van deze
/// versie heeft; anders 503 (problem+json) met in `detail` welk onderdeel niet werkt.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "raadpleegGereedheid",
    security(()),
    responses((status = 200, description = "Koers en de database zijn gereed.", body = Gereedheid)),
)]
#[get("/health/gereed")]
pub async fn get_readiness(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let checked = run_blocking_store(&state, |store| {
        store.check()?;
        Ok((store.backend(), store.migrations()?))
    })
    .await;
    let (backend, Migraties { applied, pending }) = match checked {
        Ok(found) => found,
        Err(error) => {
            tracing::warn!(%error, "not ready: database");
            return Err(ApiError::NotReady(
                "De database is niet bereikbaar of de verbindingspool is uitgeput.".to_owned(),
            ));
        }
    };
    if !pending.is_empty() {
        return Err(ApiError::NotReady(format!(
            "De database mist {} migratie(s) van deze versie: {}. Voer `koers migrate` uit.",
            pending.len(),
            pending.join(", ")
        )));
    }
    Ok(HttpResponse::Ok().json(Gereedheid {
        status: "UP".to_owned(),
        database: DatabaseGezondheid {
            status: "UP".to_owned(),
            backend: backend.to_owned(),
            migraties_toegepast: applied,
        },
    }))
}
