//! Shared state of the app: storage, token verification and the OpenAPI document.

use crate::auth::AuthConfig;
use crate::problem::ApiError;
use koers_domain::ports::{Failure, Store, StoreError};
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub auth: AuthConfig,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The rate limits per remote address and per client.
    pub limits: Arc<crate::ratelimit::RateLimits>,
    /// The key list cursors are signed with.
    pub cursors: crate::query::CursorKey,
    /// Where clients reach the API (scheme, host and port, no path): the server of the published
    /// contract (`KOERS_PUBLIC_URL`).
    pub public_url: String,
    /// Production (callbacks https to public addresses only) or development (also http to localhost).
    pub omgeving: koers_domain::abonnement::Omgeving,
}

/// Runs storage work on the blocking pool, never on an actix worker, inside the caller's span.
///
/// # Errors
/// The store's error; `Unavailable` when the blocking pool is gone.
pub async fn run_blocking_store<T, F>(state: &AppState, work: F) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
{
    let store = Arc::clone(&state.store);
    let span = tracing::Span::current();
    actix_web::web::block(move || span.in_scope(|| work(store.as_ref())))
        .await
        .map_err(|e| StoreError::Unavailable(Failure::caused_by("blocking pool closed", e)))?
}

/// [`run_blocking_store`] with the store's error mapped to its answer.
///
/// # Errors
/// The answer for the store's error.
pub async fn run_blocking<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
{
    run_blocking_store(state, work)
        .await
        .map_err(ApiError::from)
}
