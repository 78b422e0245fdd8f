//! The resources of the API, one module per resource and one file per operation.

pub mod docs;
pub mod health;
pub mod inburgeraars;
pub mod traject;

use crate::problem::ApiError;
use koers_domain::inburgeraar::InburgeraarId;
use uuid::Uuid;

/// Parses the `inburgeraarId` path segment.
///
/// # Errors
/// `Invalid` naming the parameter when it is not a UUID.
pub fn inburgeraar_id(raw: &str) -> Result<InburgeraarId, ApiError> {
    Uuid::parse_str(raw)
        .map(InburgeraarId)
        .map_err(|_| ApiError::invalid("inburgeraarId", "format", "Een inburgeraarId is een UUID."))
}
