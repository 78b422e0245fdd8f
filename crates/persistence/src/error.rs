//! Mapping diesel and pool failures onto the domain's `StoreError`, keeping each cause.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use koers_domain::ports::{Failure, StoreError};

/// The unique constraints Koers acts on, recognised by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uniek {
    Bsn,
    VNummer,
    IdempotentAntwoord,
    Traject,
}

/// Each constraint: its name (as PostgreSQL reports it) and the columns SQLite reports instead (it
/// names no constraint), as the migrations of both backends declare them.
const UNIEK: [(Uniek, &str, &str); 4] = [
    (Uniek::Bsn, "inburgeraars_bsn_uniek", "inburgeraars.bsn"),
    (
        Uniek::VNummer,
        "inburgeraars_v_nummer_uniek",
        "inburgeraars.v_nummer",
    ),
    (
        Uniek::IdempotentAntwoord,
        "idempotente_antwoorden_pk",
        "idempotente_antwoorden.client, idempotente_antwoorden.bevoegdheid, idempotente_antwoorden.sleutel",
    ),
    (Uniek::Traject, "trajecten_pkey", "trajecten.inburgeraar_id"),
];

/// Which of Koers's unique constraints an error violates, if it is a unique violation of one of them.
pub fn violated(error: &DieselError) -> Option<Uniek> {
    let DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) = error else {
        return None;
    };
    match info.constraint_name() {
        Some(name) => UNIEK
            .iter()
            .find(|(_, constraint, _)| *constraint == name)
            .map(|(uniek, _, _)| *uniek),
        None => {
            let columns = info.message().strip_prefix("UNIQUE constraint failed: ")?;
            UNIEK
                .iter()
                .find(|(_, _, failed)| *failed == columns)
                .map(|(uniek, _, _)| *uniek)
        }
    }
}

/// Maps a diesel error, keeping it as the cause.
pub fn map_diesel(error: DieselError) -> StoreError {
    if violated(&error) == Some(Uniek::IdempotentAntwoord) {
        return StoreError::IdempotencyKeyTaken;
    }
    let unavailable = match &error {
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        DieselError::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            is_unavailable(info.message())
        }
        _ => false,
    };
    if unavailable {
        StoreError::Unavailable(Failure::caused_by("database", error))
    } else {
        StoreError::internal_by("database", error)
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

pub fn map_pool(error: diesel::r2d2::PoolError) -> StoreError {
    StoreError::Unavailable(Failure::caused_by("connection pool", error))
}
