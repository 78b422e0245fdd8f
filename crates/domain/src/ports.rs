//! The ports through which the HTTP layer reaches storage. `koers-persistence` implements them.
//! Every method is synchronous: callers run them on a blocking pool, never on an async worker.

use crate::abonnement::{Abonnement, AbonnementStatus};
use crate::bsn::Bsn;
use crate::commando::{InburgeraarCommando, TrajectCommando, Weergave};
use crate::error::FieldErrors;
use crate::events::{Event, EventKind};
use crate::gemeente::GemeenteCode;
use crate::inburgeraar::{Inburgeraar, InburgeraarFilter, InburgeraarId, Zoekvraag};
use crate::instellingen::GemeenteInstellingen;
use crate::pagination::{Page, PageRequest};
use crate::partner::{Organisatie, Toestemming};
use crate::records::{
    Antwoord, AuditEntry, IdempotencyKey, IdempotencyRecord, RequestContext, Verwerking,
};
use crate::signalering::{SignaleringRegel, SignaleringVraag};
use crate::traject::{Delen, Lijst, Traject, Weigering};
use std::collections::BTreeMap;
use uuid::Uuid;

/// What went wrong below the domain: what was being done, and the error that caused it (with its
/// own causes), so that the log shows the whole chain rather than one flattened string.
#[derive(Debug, Clone)]
pub struct Failure {
    context: String,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Failure {
    /// A failure without an underlying error (a broken invariant).
    pub fn new(context: impl Into<String>) -> Self {
        Self {
            context: context.into(),
            source: None,
        }
    }

    /// A failure caused by `source`.
    pub fn caused_by(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            context: context.into(),
            source: Some(std::sync::Arc::new(source)),
        }
    }

    /// The failure and every cause under it: `context: cause: cause of the cause`.
    pub fn chain(&self) -> String {
        let mut text = self.context.clone();
        let mut cause = std::error::Error::source(self);
        while let Some(error) = cause {
            text.push_str(": ");
            text.push_str(&error.to_string());
            cause = error.source();
        }
        text
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.context)
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|error| error as &(dyn std::error::Error + 'static))
    }
}

/// Why storage could not do what was asked.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or the pool has no connection free in time.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] Failure),
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
    /// Anything else: a bug or a broken database. Answered as 500 and logged with its causes.
    #[error("storage failure: {0}")]
    Internal(#[source] Failure),
}

impl StoreError {
    /// An internal failure without an underlying error.
    pub fn internal(context: impl Into<String>) -> Self {
        StoreError::Internal(Failure::new(context))
    }

    /// An internal failure caused by `source`.
    pub fn internal_by(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        StoreError::Internal(Failure::caused_by(context, source))
    }
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

    /// Changes a visible inburgeraar in one transaction: loads it, lets the domain apply `commando`
    /// (or refuse it), stores the result guarded by its version, with what the domain records (audit
    /// entry, event) and the processing-log line.
    ///
    /// # Errors
    /// `StaleVersion` when another change came in between; duplicates as for create.
    fn update_inburgeraar(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        commando: &InburgeraarCommando,
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

/// The result of a change to a trajectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrajectOutcome<T> {
    /// The person does not exist for this caller (or the command's sub-resource does not).
    NotFound,
    Refused(Weigering),
    /// The person (with its possibly new status), the new trajectory and the answer.
    Updated(Box<(Inburgeraar, Traject, T)>),
}

/// Storage of trajectories, one aggregate per person, changed in one transaction with the person's
/// status, an audit entry and a processing-log line.
pub trait TrajectStore: Send + Sync {
    /// The visible person and its trajectory (empty when nothing was recorded yet), with the lists of
    /// `delen` (the others left empty). Logs a read.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn get_traject(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        delen: Delen,
    ) -> Result<Option<(Inburgeraar, Traject)>, StoreError>;

    /// Applies `commando` to the trajectory of a person visible in the command's processing, loaded as
    /// the command asks: the domain decides the new state, the answer (worded by `weergave`), the audit
    /// entry and the events, or refuses. Those, the processing-log line and, under an idempotency key,
    /// the answer are stored in one transaction; only what changed is written (a push adds or replaces
    /// one row).
    ///
    /// # Errors
    /// `StaleVersion` when another change came in between; `IdempotencyKeyTaken` on a race.
    fn update_traject(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        commando: &TrajectCommando,
        idempotency: Option<&IdempotencyKey>,
        weergave: &dyn Weergave,
    ) -> Result<TrajectOutcome<Antwoord>, StoreError>;

    /// The visible person and its trajectory's document with a bounded part of its lists (`vraag`): one
    /// page of one list, or the last items of some. Logs a read, as `get_traject` does; `None` when the
    /// person is not visible.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn traject_lijst(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        vraag: &Lijstvraag,
    ) -> Result<Option<Lijstpagina>, StoreError>;
}

/// What of the lists of a trajectory a bounded read shows. Every list is read in the order it is shown:
/// the order it grew in (`volgorde`), but the voortgangsgesprekken by date and registration (then the
/// order they came in) and the participatieladder's measurements by date, registration and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lijstvraag {
    /// One page of one list: at most `page.size` items after the position `page.after` (from the start
    /// without one). With `rand`, also the item just before the page and the last item of the list, for
    /// what a list shows besides its items (the movement since the measurement before, the next
    /// conversation).
    Pagina {
        lijst: Lijst,
        page: PageRequest,
        rand: bool,
    },
    /// The last `n` items of each of `lijsten`, in the order shown.
    Laatste { lijsten: Delen, n: u32 },
}

/// What a bounded read of a trajectory's lists found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lijstpagina {
    pub person: Inburgeraar,
    /// The document, and in each list read only the items asked, in the order shown.
    pub traject: Traject,
    /// For a page: the position after its last item, when more items follow.
    pub volgende: Option<String>,
    /// For the last items: the lists of which earlier items were left out.
    pub afgekapt: Delen,
    /// For a page with `rand`: in the list read, the item just before the page (none on the first).
    pub voor: Traject,
    /// For a page with `rand`: in the list read, its last item (none in an empty list).
    pub laatste: Traject,
    /// When the gevolgde uren are read: the lesson hours (DUO `ParticipatieAlsTaalles`) of all of them,
    /// however many were read.
    pub lesuren: u32,
}

/// Storage of partner organisaties and the toestemmingen that let them see people. Toestemmingen are
/// managed by the gemeente of the person: a caller sees those of people in its gemeenten.
pub trait PartnerStore: Send + Sync {
    /// Stores a new organisatie and, if given, the idempotency record, in one transaction.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`; `IdempotencyKeyTaken` on a race.
    fn create_organisatie(
        &self,
        ctx: &RequestContext,
        organisatie: &Organisatie,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;

    /// One organisatie.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn get_organisatie(&self, id: Uuid) -> Result<Option<Organisatie>, StoreError>;

    /// A page of organisaties in registration order.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn list_organisaties(&self, page: &PageRequest) -> Result<Page<Organisatie>, StoreError>;

    /// Activates or deactivates an organisatie; its tokens act only while it is active.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn set_organisatie_actief(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        actief: bool,
    ) -> Result<Option<Organisatie>, StoreError>;

    /// Stores a toestemming for a person visible to the caller and an existing organisatie, with its
    /// audit entry, processing-log line and, if given, the idempotency record.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`; an unknown person or organisatie is a refusal.
    fn create_toestemming(
        &self,
        ctx: &RequestContext,
        toestemming: &Toestemming,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<Result<(), Weigering>, StoreError>;

    /// The toestemmingen of a visible person, oldest first; `None` when the person is not visible.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn list_toestemmingen(
        &self,
        ctx: &RequestContext,
        inburgeraar: InburgeraarId,
    ) -> Result<Option<Vec<Toestemming>>, StoreError>;

    /// One toestemming of a visible person.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn get_toestemming(
        &self,
        ctx: &RequestContext,
        id: Uuid,
    ) -> Result<Option<Toestemming>, StoreError>;

    /// Withdraws a toestemming: an event is appended and it stops counting at once. `antwoord` is the
    /// answer for the withdrawn toestemming, stored under the idempotency key if one is given.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`; a toestemming no longer in force is a refusal.
    fn trek_toestemming_in(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        toelichting: Option<String>,
        idempotency: Option<&IdempotencyKey>,
        antwoord: &(dyn Fn(&Toestemming) -> Antwoord + Sync),
    ) -> Result<Option<Result<Antwoord, Weigering>>, StoreError>;
}

/// Settings per gemeente, and the worklist computed over its people.
pub trait GemeenteStore: Send + Sync {
    /// The settings of each of `gemeenten`; the defaults for a gemeente that stored none.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn instellingen(
        &self,
        gemeenten: &[GemeenteCode],
    ) -> Result<BTreeMap<GemeenteCode, GemeenteInstellingen>, StoreError>;

    /// Replaces the settings of a gemeente.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn zet_instellingen(
        &self,
        ctx: &RequestContext,
        gemeente: &GemeenteCode,
        instellingen: &GemeenteInstellingen,
    ) -> Result<(), StoreError>;

    /// A page of the worklist on the day of `ctx`, over the people of the asked gemeenten that the
    /// caller sees, ordered by due date, kind and person. Logs a read for each person on the page.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn signaleringen(
        &self,
        ctx: &RequestContext,
        vraag: &SignaleringVraag,
        page: &PageRequest,
    ) -> Result<Page<SignaleringRegel>, StoreError>;
}

/// What of the change feed a caller asks for, besides what it may see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gebeurtenisvraag {
    pub soort: Option<EventKind>,
    pub gemeente: Option<GemeenteCode>,
    pub inburgeraar: Option<InburgeraarId>,
}

/// The outbox as others read it.
pub trait GebeurtenisStore: Send + Sync {
    /// A page of the events the caller may see ([`crate::abonnement::zichtbaar`]), in sequence order,
    /// after the position `page.after`; only events below which nothing can still be committed. A page
    /// may hold fewer than `page.size` events while more follow (events the caller may not see are
    /// passed over). Logs a read for each person on the page.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn gebeurtenissen(
        &self,
        ctx: &RequestContext,
        vraag: &Gebeurtenisvraag,
        page: &PageRequest,
    ) -> Result<Page<Event>, StoreError>;

    /// Removes the events from before `voor` (how long events are kept is a setting); how many.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn ruim_gebeurtenissen_op(&self, voor: chrono::NaiveDateTime) -> Result<usize, StoreError>;

    /// The number of the newest event in the outbox (0 when it is empty): where a new abonnement starts.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn laatste_volgnummer(&self) -> Result<i64, StoreError>;
}

/// Abonnementen on events. Each is its client's own: another client's abonnement is as unknown as none.
pub trait AbonnementStore: Send + Sync {
    /// Stores a new abonnement with its signing secret (`whsec_…`), its event and, if given, the
    /// idempotency record, in one transaction.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`; `IdempotencyKeyTaken` on a race.
    fn create_abonnement(
        &self,
        ctx: &RequestContext,
        abonnement: &Abonnement,
        geheim: &str,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;

    /// A page of the caller's client's abonnementen, oldest first.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn list_abonnementen(
        &self,
        ctx: &RequestContext,
        page: &PageRequest,
    ) -> Result<Page<Abonnement>, StoreError>;

    /// One abonnement of the caller's client.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn get_abonnement(
        &self,
        ctx: &RequestContext,
        id: Uuid,
    ) -> Result<Option<Abonnement>, StoreError>;

    /// Pauses or resumes an abonnement of the caller's client, with its event. Resuming starts the
    /// retries afresh; delivery goes on where it stopped.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn zet_abonnement_status(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        status: AbonnementStatus,
    ) -> Result<Option<Abonnement>, StoreError>;

    /// Delivers an abonnement of the caller's client again from event `vanaf` on (its position moves
    /// back to just before it; it never moves forward: `Err` with the position then), with its event.
    /// `antwoord` is the answer for the abonnement after it, stored under the idempotency key if one
    /// is given, in the same transaction.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`; `IdempotencyKeyTaken` on a race.
    fn herhaal_vanaf(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        vanaf: i64,
        idempotency: Option<&IdempotencyKey>,
        antwoord: &(dyn Fn(&Abonnement) -> Antwoord + Sync),
    ) -> Result<Option<Result<Antwoord, i64>>, StoreError>;

    /// Gives an abonnement of the caller's client a new signing secret (`geheim`); the secrets valid
    /// until now stay valid until `overgang_tot`, so that deliveries carry both signatures meanwhile.
    /// With its event; `antwoord` is the answer, stored under the idempotency key if one is given.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`; `IdempotencyKeyTaken` on a race.
    fn vernieuw_geheim(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        geheim: &str,
        overgang_tot: chrono::NaiveDateTime,
        idempotency: Option<&IdempotencyKey>,
        antwoord: &(dyn Fn(&Abonnement) -> Antwoord + Sync),
    ) -> Result<Option<Antwoord>, StoreError>;

    /// Deletes an abonnement of the caller's client and its delivery log, with its event, and forgets
    /// the answer to its creation (a retry under that key makes a new one); `false` when there is none.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn verwijder_abonnement(&self, ctx: &RequestContext, id: Uuid) -> Result<bool, StoreError>;
}

/// An abonnement claimed for delivery by one node, with what is due.
#[derive(Debug, Clone, PartialEq)]
pub struct Bezorging {
    pub abonnement: Abonnement,
    /// The signing secrets still valid, newest first.
    pub geheimen: Vec<String>,
    /// The events after its position, in order, each with whether it goes out: the abonnement wants
    /// it and its authority may see it now. Those that do not are passed over.
    pub events: Vec<Uitgaand>,
}

/// An event due for an abonnement.
#[derive(Debug, Clone, PartialEq)]
pub struct Uitgaand {
    pub event: Event,
    /// Whether it goes out (else it is passed over).
    pub gaat: bool,
    /// For a partner's abonnement: the toestemming it relies on for the event's person.
    pub toestemming: Option<String>,
}

/// One attempt to deliver an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aflevering {
    pub id: Uuid,
    pub abonnement_id: Uuid,
    pub volgnummer: i64,
    pub gebeurtenis_id: Uuid,
    pub tijdstip: chrono::NaiveDateTime,
    pub statuscode: Option<u16>,
    pub fout: Option<String>,
    pub duur_ms: u32,
    pub geslaagd: bool,
}

/// What became of a claimed abonnement's delivery.
#[derive(Debug, Clone, PartialEq)]
pub enum Bezorgd {
    /// Everything up to `positie` is done (delivered or passed over); the claim ends.
    Tot { positie: i64 },
    /// The attempt failed: everything before it is done (`positie`); the next attempt is at
    /// `volgende_poging`, or none: the abonnement is opgeschort.
    Mislukt {
        positie: i64,
        volgende_poging: Option<chrono::NaiveDateTime>,
        fout: String,
    },
}

/// The delivery of events to abonnementen, shared by every node through the database: each
/// abonnement is delivered by one node at a time, in order.
pub trait BezorgStore: Send + Sync {
    /// Claims an active abonnement with events due (none claimed by another node until `tot`), for
    /// `node`, with at most `batch` of its events.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn claim_bezorging(
        &self,
        node: &str,
        now: chrono::NaiveDateTime,
        tot: chrono::NaiveDateTime,
        batch: usize,
    ) -> Result<Option<Bezorging>, StoreError>;

    /// Records one attempt and, when it succeeded, moves the abonnement's position to its event; both
    /// only as long as `node` holds the claim, which then lasts until `tot`. An attempt the receiver
    /// answered, about a person, is a processing of that person's data: it leaves a processing-log
    /// line of the abonnement's authority (`door`), naming the toestemming a partner relied on.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn vastleggen_aflevering(
        &self,
        node: &str,
        aflevering: &Aflevering,
        tot: chrono::NaiveDateTime,
        door: &crate::principal::Principal,
        uitgaand: &Uitgaand,
    ) -> Result<(), StoreError>;

    /// Ends `node`'s claim on an abonnement with what became of it.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn einde_bezorging(
        &self,
        node: &str,
        abonnement: Uuid,
        bezorgd: &Bezorgd,
        now: chrono::NaiveDateTime,
    ) -> Result<(), StoreError>;

    /// The delivery log of an abonnement of the caller's, newest first; `None` when it has none such.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn afleveringen(
        &self,
        ctx: &RequestContext,
        abonnement: Uuid,
        page: &PageRequest,
    ) -> Result<Option<Page<Aflevering>>, StoreError>;
}

/// What a retry finds under its idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// Nothing was stored under this key for this caller.
    Absent,
    /// An answer was stored, but it is about a person the caller may no longer see: the request is
    /// answered as if it carried no key.
    Hidden,
    Stored(IdempotencyRecord),
}

/// Idempotency records of POST requests, kept per client and the authority it acted with.
pub trait IdempotencyStore: Send + Sync {
    /// The record the caller of `ctx` (its client and authority) stored under `key`, if the caller may
    /// still see the person the answer is about.
    ///
    /// # Errors
    /// `Unavailable` or `Internal`.
    fn find_idempotency(&self, ctx: &RequestContext, key: &str) -> Result<Replay, StoreError>;

    /// Stores a record on its own, to claim a key for a request whose parts keep their own answers
    /// (a bulk call).
    ///
    /// # Errors
    /// `IdempotencyKeyTaken` when the key is stored already.
    fn claim_idempotency(&self, record: &IdempotencyRecord) -> Result<(), StoreError>;
}

/// The migrations of a database: how many it applied, and which of this build's it has not (by name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migraties {
    pub applied: usize,
    pub pending: Vec<String>,
}

/// Readiness of the storage.
pub trait HealthCheck: Send + Sync {
    /// Checks that a connection can be had and answers a trivial query.
    ///
    /// # Errors
    /// `Unavailable` when not.
    fn check(&self) -> Result<(), StoreError>;

    /// How far the database is with the migrations this build embeds.
    ///
    /// # Errors
    /// `Unavailable` when the database cannot be reached.
    fn migrations(&self) -> Result<Migraties, StoreError>;

    /// `sqlite` or `postgresql`.
    fn backend(&self) -> &'static str;
}

/// Everything the HTTP layer needs from storage.
pub trait Store:
    InburgeraarStore
    + TrajectStore
    + PartnerStore
    + GemeenteStore
    + GebeurtenisStore
    + AbonnementStore
    + BezorgStore
    + IdempotencyStore
    + HealthCheck
    + RegisterStats
{
}

impl<T> Store for T where
    T: InburgeraarStore
        + TrajectStore
        + PartnerStore
        + GemeenteStore
        + GebeurtenisStore
        + AbonnementStore
        + BezorgStore
        + IdempotencyStore
        + HealthCheck
        + RegisterStats
{
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("disk full")]
    struct Disk;

    #[derive(Debug, thiserror::Error)]
    #[error("write failed")]
    struct Write(#[source] Disk);

    #[test]
    fn a_failure_keeps_its_whole_chain() {
        let failure = Failure::caused_by("audit value", Write(Disk));
        assert_eq!(failure.to_string(), "audit value");
        assert_eq!(failure.chain(), "audit value: write failed: disk full");
        let error = StoreError::Internal(failure);
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("audit value"));
        assert_eq!(Failure::new("broken").chain(), "broken");
    }
}
