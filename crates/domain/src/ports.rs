//! The ports through which the HTTP layer reaches storage. `koers-persistence` implements them.
//! Every method is synchronous: callers run them on a blocking pool, never on an async worker.

use crate::bsn::Bsn;
use crate::error::FieldErrors;
use crate::inburgeraar::{Inburgeraar, InburgeraarFilter, InburgeraarId, Zoekvraag};
use crate::pagination::{Page, PageRequest};
use crate::records::{AuditEntry, IdempotencyRecord, RequestContext, Verwerking};

/// Why storage could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or the pool has no connection free in time.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Another inburgeraar already has this BSN.
    #[error("BSN already registered")]
    DuplicateBsn(Bsn),
    /// Another inburgeraar already has this V-nummer.
    #[error("V-nummer already registered")]
    DuplicateVNummer(String),
    /// The resource changed since the version the caller based its change on.
    #[error("stale version")]
    StaleVersion,
    /// The idempotency key was stored by a concurrent request between look-up and write.
    #[error("idempotency key already used")]
    IdempotencyKeyTaken,
    /// Anything else: a bug or a broken database. Answered as 500 and logged.
    #[error("storage failure: {0}")]
    Internal(String),
}

/// Why a change was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The input is invalid.
    Invalid(FieldErrors),
    /// The caller based its change on another version (`If-Match`).
    VersionMismatch,
}

/// The result of a change to one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// The resource does not exist for this caller.
    NotFound,
    Refused(Refusal),
    Updated(Inburgeraar),
}

/// Storage of inburgeraars with their audit trail and processing log.
///
/// Visibility is part of every query: a person outside the caller's gemeenten is never returned.
/// Every method that reads or writes a person's data stores its processing-log lines in the same
/// transaction, so a call returns only after its lines are durable.
pub trait InburgeraarStore: Send + Sync {
    /// Stores a new inburgeraar, its audit entry, its processing-log line and, if given, the
    /// idempotency record, in one transaction.
    ///
    /// # Errors
    /// `DuplicateBsn`/`DuplicateVNummer` on a taken identifier, `IdempotencyKeyTaken` on a race.
    fn create_inburgeraar(
        &self,
        ctx: &RequestContext,
        person: &Inburgeraar,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;

    /// One inburgeraar, if visible to the caller. Logs a read when found.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn get_inburgeraar(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
    ) -> Result<Option<Inburgeraar>, StoreError>;

    /// A page of visible inburgeraars; logs a read for every person on the page.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn list_inburgeraars(
        &self,
        ctx: &RequestContext,
        filter: &InburgeraarFilter,
        page: &PageRequest,
    ) -> Result<Page<Inburgeraar>, StoreError>;

    /// The visible inburgeraar with this identifier, if any. Logs a read when found.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn find_inburgeraar(
        &self,
        ctx: &RequestContext,
        vraag: &Zoekvraag,
    ) -> Result<Option<Inburgeraar>, StoreError>;

    /// Changes a visible inburgeraar in one transaction: loads it, lets `change` decide the new state
    /// (or refuse), stores it guarded by its version, with audit entry and processing-log line.
    ///
    /// # Errors
    /// `StaleVersion` when another change came in between; duplicates as for create.
    fn update_inburgeraar(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        change: &mut dyn FnMut(&Inburgeraar) -> Result<Inburgeraar, Refusal>,
    ) -> Result<UpdateOutcome, StoreError>;

    /// The audit trail of a visible person, newest first; `None` when the person is not visible.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn audit_trail(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        page: &PageRequest,
    ) -> Result<Option<Page<AuditEntry>>, StoreError>;

    /// The processing log of a visible person, newest first; `None` when the person is not visible.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn verwerkingen(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        page: &PageRequest,
    ) -> Result<Option<Page<Verwerking>>, StoreError>;
}

/// Whether the register holds anyone at all (for `koers seed --demo`); reads no person's data.
pub trait RegisterStats: Send + Sync {
    /// `true` when at least one inburgeraar is stored.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn has_inburgeraars(&self) -> Result<bool, StoreError>;
}

/// Idempotency records of POST requests, kept per client.
pub trait IdempotencyStore: Send + Sync {
    /// The record stored under this client and key, if any.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn find_idempotency(
        &self,
        client: &str,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError>;
}

/// Liveness of the storage.
pub trait HealthCheck: Send + Sync {
    /// Checks that a connection can be had and answers a trivial query.
    ///
    /// # Errors
    /// `Unavailable` when not.
    fn check(&self) -> Result<(), StoreError>;

    /// `sqlite` or `postgresql`.
    fn backend(&self) -> &'static str;
}

/// Everything the HTTP layer needs from storage.
pub trait Store: InburgeraarStore + IdempotencyStore + HealthCheck + RegisterStats {}

impl<T: InburgeraarStore + IdempotencyStore + HealthCheck + RegisterStats> Store for T {}
