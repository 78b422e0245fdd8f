//! Mapping diesel and pool failures onto the domain's `StoreError`.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use koers_domain::ports::StoreError;

/// Maps a diesel error. Unique violations are named by the constraint they hit.
pub fn map_diesel(error: DieselError) -> StoreError {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            let text = format!(
                "{} {}",
                info.constraint_name().unwrap_or_default(),
                info.message()
            );
            if text.contains("idempotent") {
                StoreError::IdempotencyKeyTaken
            } else {
                StoreError::Internal(format!("unique violation: {text}"))
            }
        }
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
            StoreError::Unavailable(info.message().to_owned())
        }
        DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)
            if is_unavailable(info.message()) =>
        {
            StoreError::Unavailable(info.message().to_owned())
        }
        other => StoreError::Internal(other.to_string()),
    }
}

/// Messages of a database that went away or is locked for longer than the busy timeout.
fn is_unavailable(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "database is locked",
        "server closed the connection",
        "terminating connection",
        "connection refused",
        "no connection to the server",
        "could not receive data",
    ]
    .iter()
    .any(|needle| message.contains(needle))
}

/// Which identifier a unique violation is about, if it is one of the inburgeraar's.
pub fn unique_field(error: &DieselError) -> Option<&'static str> {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            let text = format!(
                "{} {}",
                info.constraint_name().unwrap_or_default(),
                info.message()
            );
            if text.contains("v_nummer") {
                Some("vNummer")
            } else if text.contains("bsn") {
                Some("bsn")
            } else {
                None
            }
        }
        _ => None,
    }
}

pub fn map_pool(error: diesel::r2d2::PoolError) -> StoreError {
    StoreError::Unavailable(error.to_string())
}
