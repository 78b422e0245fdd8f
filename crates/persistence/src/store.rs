//! `DieselStore`: the storage ports of `koers-domain` on a pool of SQLite or PostgreSQL connections.
//! Every method runs on the calling (blocking) thread and answers once its writes are durable; on SQLite
//! the frequent writes (processing-log lines of reads, trajectory changes) are committed together by the
//! committer of `transactions`, each atomically in its own savepoint.

use crate::connection::{self, AnyConnection, Backend, DatabaseUrl, Pool, PoolSettings};
use crate::error::{map_diesel, violated, Uniek};
use crate::events::{self, NewEventRow};
use crate::inburgeraars;
use crate::partners::{self, OrganisatieRow, ToestemmingRow};
use crate::records::{self, AuditRow, Change, VerwerkingRow};
use crate::schema::{audit_entries, verwerkingen};
use crate::schema::{organisaties, toestemmingen};
use crate::trajecten;
use crate::transactions::{self, Committer, Tx, TxError, WriteLock};
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use koers_domain::events::{
    organisatie_url, person_url, toestemming_url, Event, EventKind, Wijziging,
};
use koers_domain::inburgeraar::{Inburgeraar, InburgeraarFilter, InburgeraarId, Zoekvraag};
use koers_domain::pagination::{Page, PageRequest};
use koers_domain::partner::{Organisatie, OrganisatieSoort, Toestemming};
use koers_domain::ports::{
    Gewijzigd, HealthCheck, IdempotencyStore, InburgeraarStore, PartnerStore, Refusal,
    RegisterStats, Replay, StoreError, TrajectChange, TrajectOutcome, TrajectStore, UpdateOutcome,
};
use koers_domain::records::{
    pseudonymise, Antwoord, AuditActie, AuditEntry, IdempotencyKey, IdempotencyRecord,
    RequestContext, Verwerking, Verwerkingsactiviteit,
};
use koers_domain::traject::Traject;
use koers_domain::traject::Weigering;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use uuid::Uuid;

/// Storage on one database, chosen by URL.
#[derive(Clone)]
pub struct DieselStore {
    pool: Pool,
    backend: Backend,
    pseudonym_key: SecretString,
    write_lock: WriteLock,
    committer: Arc<Committer>,
}

impl DieselStore {
    /// A store on `url`. Connections open lazily; call [`DieselStore::migrate`] first.
    pub fn new(url: &DatabaseUrl, settings: PoolSettings, pseudonym_key: SecretString) -> Self {
        let pool = connection::pool(url, settings);
        let write_lock = WriteLock::default();
        Self {
            committer: Arc::new(Committer::start(pool.clone(), Arc::clone(&write_lock))),
            pool,
            backend: url.backend(),
            pseudonym_key,
            write_lock,
        }
    }

    /// Stores many people with their trajectories at once (synthetic data for benchmarks): one
    /// transaction, multi-row inserts, and no audit entries or processing-log lines, since synthetic
    /// people are no one's personal data.
    ///
    /// # Errors
    /// `Unavailable`, or `Internal` for a row that does not fit.
    pub fn bulk_load(&self, people: &[(Inburgeraar, Traject)]) -> Result<(), StoreError> {
        // PostgreSQL takes at most 65,535 bind parameters per statement: 14 columns x 2,000 rows fits.
        const ROWS_PER_STATEMENT: usize = 2_000;
        let persons: Vec<inburgeraars::InburgeraarRow> =
            people.iter().map(|(p, _)| p.into()).collect();
        let trajects = people
            .iter()
            .filter(|(_, t)| *t != Traject::default())
            .map(|(p, t)| trajecten::row(p.id, t, p.gewijzigd_op))
            .collect::<Result<Vec<_>, _>>()
            .map_err(map_diesel)?;
        self.transaction(|conn| {
            for chunk in persons.chunks(ROWS_PER_STATEMENT) {
                let insert = diesel::insert_into(crate::schema::inburgeraars::table).values(chunk);
                match conn {
                    AnyConnection::Postgresql(pg) => insert.execute(pg)?,
                    AnyConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
                };
            }
            for chunk in trajects.chunks(ROWS_PER_STATEMENT) {
                let insert = diesel::insert_into(crate::schema::trajecten::table).values(chunk);
                match conn {
                    AnyConnection::Postgresql(pg) => insert.execute(pg)?,
                    AnyConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
                };
            }
            Ok(())
        })
    }

    /// Up to `limit` events of the outbox after `volgnummer`, in sequence order.
    ///
    /// # Errors
    /// `Unavailable`, or `Internal` for a stored event that does not read back.
    pub fn events_after(&self, volgnummer: i64, limit: i64) -> Result<Vec<Event>, StoreError> {
        self.read(|conn| Ok(events::after(conn, volgnummer, limit)??))
    }

    /// Applies pending migrations; returns the names of those applied.
    ///
    /// # Errors
    /// A message when the database cannot be opened or a migration fails.
    pub fn migrate(url: &DatabaseUrl) -> Result<Vec<String>, String> {
        connection::migrate(url)
    }

    /// Reverts all migrations.
    ///
    /// # Errors
    /// A message when a down migration fails.
    pub fn revert_all(url: &DatabaseUrl) -> Result<(), String> {
        connection::revert_all(url)
    }

    /// The key of the processing log's pseudonyms.
    fn key(&self) -> &str {
        self.pseudonym_key.expose_secret()
    }

    pub(crate) fn transaction<T>(
        &self,
        body: impl FnOnce(&mut AnyConnection) -> Tx<T>,
    ) -> Result<T, StoreError> {
        transactions::write(&self.pool, &self.write_lock, body)
    }

    pub(crate) fn read<T>(
        &self,
        body: impl FnOnce(&mut AnyConnection) -> Tx<T>,
    ) -> Result<T, StoreError> {
        transactions::read(&self.pool, body)
    }

    /// Reads and stores the read's processing-log lines; the answer leaves only once they are
    /// durable. On SQLite the lines go through the committer, after a read that takes no write lock;
    /// on PostgreSQL, which commits concurrent transactions together by itself, read and lines are one
    /// transaction.
    pub(crate) fn read_logged<T>(
        &self,
        ctx: &RequestContext,
        activiteit: Verwerkingsactiviteit,
        body: impl FnOnce(&mut AnyConnection) -> Tx<(T, Vec<InburgeraarId>)>,
    ) -> Result<T, StoreError> {
        self.read_logged_as(ctx, |conn| {
            let (value, subjects) = body(conn)?;
            Ok((value, activiteit, subjects))
        })
    }

    /// [`DieselStore::read_logged`] for a read whose activity is known only from what it read.
    fn read_logged_as<T>(
        &self,
        ctx: &RequestContext,
        body: impl FnOnce(&mut AnyConnection) -> Tx<(T, Verwerkingsactiviteit, Vec<InburgeraarId>)>,
    ) -> Result<T, StoreError> {
        let read = |conn: &mut AnyConnection| {
            let (value, activiteit, subjects) = body(conn)?;
            let rows = records::verwerking_rows(conn, ctx, self.key(), activiteit, &subjects)?;
            Ok((value, rows))
        };
        if self.backend == Backend::Postgresql {
            return self.transaction(|conn| {
                let (value, rows) = read(conn)?;
                records::insert_verwerkingen(conn, &rows)?;
                Ok(value)
            });
        }
        let (value, rows) = self.read(read)?;
        if !rows.is_empty() {
            self.committer.commit(Box::new(move |conn| {
                records::insert_verwerkingen(conn, &rows)?;
                Ok(())
            }))?;
        }
        Ok(value)
    }

    fn log(
        &self,
        conn: &mut AnyConnection,
        ctx: &RequestContext,
        activiteit: Verwerkingsactiviteit,
        subjects: &[InburgeraarId],
    ) -> Tx<()> {
        records::log_verwerkingen(conn, ctx, self.key(), activiteit, subjects)?;
        Ok(())
    }

    /// Maps a unique violation on an inburgeraar's identifiers to the matching conflict.
    fn identifier_conflict(person: &Inburgeraar) -> impl Fn(DieselError) -> TxError + '_ {
        move |error| match (violated(&error), &person.bsn, &person.v_nummer) {
            (Some(Uniek::Bsn), Some(bsn), _) => TxError(StoreError::DuplicateBsn(bsn.clone())),
            (Some(Uniek::VNummer), _, Some(v)) => TxError(StoreError::DuplicateVNummer(v.clone())),
            _ => TxError::from(error),
        }
    }
}

/// A resource as the audit trail keeps it. A value that does not serialise is a bug, answered as a
/// failure with its cause, never left out of the trail.
fn audit_value<T: serde::Serialize>(value: &T) -> Result<Option<serde_json::Value>, StoreError> {
    serde_json::to_value(value)
        .map(Some)
        .map_err(|e| StoreError::internal_by("audit value", e))
}

impl InburgeraarStore for DieselStore {
    fn create_inburgeraar(
        &self,
        ctx: &RequestContext,
        person: &Inburgeraar,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        self.transaction(|conn| {
            inburgeraars::insert(conn, person).map_err(Self::identifier_conflict(person))?;
            records::audit(
                conn,
                ctx,
                Change {
                    inburgeraar_id: person.id,
                    resource: "inburgeraar",
                    resource_id: person.id.to_string(),
                    actie: AuditActie::Aangemaakt,
                    oude_waarde: None,
                    nieuwe_waarde: audit_value(person)?,
                },
            )?;
            events::record(
                conn,
                &Event::about(
                    ctx,
                    &Wijziging::of(EventKind::InburgeraarGeregistreerd),
                    person.id,
                    &person.gemeente,
                ),
            )?;
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::InburgeraarRegistreren,
                &[person.id],
            )?;
            if let Some(record) = idempotency {
                records::remember_answer(conn, record)?;
            }
            Ok(())
        })
    }

    fn get_inburgeraar(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
    ) -> Result<Option<Inburgeraar>, StoreError> {
        let activiteit = Verwerkingsactiviteit::InburgeraarRaadplegen;
        if self.backend == Backend::Postgresql && ctx.principal.organisatie.is_none() {
            // The read and its processing-log line in one statement: one round trip, not four.
            let lines = records::rows_for(ctx, self.key(), activiteit, &[id], &Default::default());
            let mut conn = connection::checkout(&self.pool)?;
            if let (AnyConnection::Postgresql(pg), [line]) = (&mut *conn, lines.as_slice()) {
                let found =
                    inburgeraars::get_logged_for_gemeente(pg, ctx, id, line).map_err(map_diesel)?;
                if found.is_some() {
                    metrics::counter!("koers_verwerkingen_written_total").increment(1);
                }
                return found
                    .map(inburgeraars::InburgeraarRow::into_domain)
                    .transpose();
            }
        }
        self.read_logged(ctx, activiteit, |conn| {
            let person = inburgeraars::get_visible(conn, ctx, activiteit, id)??;
            let subjects = person.iter().map(|p| p.id).collect();
            Ok((person, subjects))
        })
    }

    fn list_inburgeraars(
        &self,
        ctx: &RequestContext,
        filter: &InburgeraarFilter,
        page: &PageRequest,
    ) -> Result<Page<Inburgeraar>, StoreError> {
        self.read_logged(ctx, Verwerkingsactiviteit::InburgeraarsOpvragen, |conn| {
            let found = inburgeraars::list_visible(conn, ctx, filter, page)??;
            let ids = found.items.iter().map(|p| p.id).collect();
            Ok((found, ids))
        })
    }

    fn find_inburgeraar(
        &self,
        ctx: &RequestContext,
        vraag: &Zoekvraag,
    ) -> Result<Option<Inburgeraar>, StoreError> {
        self.read_logged(ctx, Verwerkingsactiviteit::InburgeraarZoeken, |conn| {
            let person = inburgeraars::find_visible(conn, ctx, vraag)??;
            let subjects = person.iter().map(|p| p.id).collect();
            Ok((person, subjects))
        })
    }

    fn update_inburgeraar(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        change: &mut dyn FnMut(&Inburgeraar) -> Result<Inburgeraar, Refusal>,
    ) -> Result<UpdateOutcome, StoreError> {
        self.transaction(|conn| {
            let Some(before) = inburgeraars::get_visible(
                conn,
                ctx,
                Verwerkingsactiviteit::InburgeraarWijzigen,
                id,
            )??
            else {
                return Ok(UpdateOutcome::NotFound);
            };
            let updated = match change(&before) {
                Ok(updated) => updated,
                Err(refusal) => return Ok(UpdateOutcome::Refused(refusal)),
            };
            if updated == before {
                // Nothing changed: no write, no audit entry, the same version; the processing is logged.
                self.log(conn, ctx, Verwerkingsactiviteit::InburgeraarWijzigen, &[id])?;
                return Ok(UpdateOutcome::Updated(before));
            }
            let applied = inburgeraars::update(conn, &before, &updated)
                .map_err(Self::identifier_conflict(&updated))?;
            if !applied {
                return Err(TxError(StoreError::StaleVersion));
            }
            records::audit(
                conn,
                ctx,
                Change {
                    inburgeraar_id: updated.id,
                    resource: "inburgeraar",
                    resource_id: updated.id.to_string(),
                    actie: AuditActie::Gewijzigd,
                    oude_waarde: audit_value(&before)?,
                    nieuwe_waarde: audit_value(&updated)?,
                },
            )?;
            events::record(
                conn,
                &Event::about(
                    ctx,
                    &Wijziging::of(EventKind::InburgeraarGewijzigd),
                    updated.id,
                    &updated.gemeente,
                ),
            )?;
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::InburgeraarWijzigen,
                &[updated.id],
            )?;
            Ok(UpdateOutcome::Updated(updated))
        })
    }

    fn audit_trail(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        page: &PageRequest,
    ) -> Result<Option<Page<AuditEntry>>, StoreError> {
        let activiteit = Verwerkingsactiviteit::AudittrailRaadplegen;
        self.person_page(
            ctx,
            activiteit,
            id,
            page,
            |e: &AuditEntry| e.id.clone(),
            |conn| {
                let mut query = audit_entries::table
                    .filter(audit_entries::inburgeraar_id.eq(id.to_string()))
                    .into_boxed();
                if let Some(before) = &page.after {
                    query = query.filter(audit_entries::id.lt(before.clone()));
                }
                let rows = query
                    .order(audit_entries::id.desc())
                    .limit(i64::from(page.size) + 1)
                    .select(AuditRow::as_select())
                    .load(conn)?;
                Ok(rows
                    .into_iter()
                    .map(AuditRow::into_domain)
                    .collect::<Result<Vec<_>, _>>()?)
            },
        )
    }

    fn verwerkingen(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        page: &PageRequest,
    ) -> Result<Option<Page<Verwerking>>, StoreError> {
        let activiteit = Verwerkingsactiviteit::VerwerkingenRaadplegen;
        self.person_page(
            ctx,
            activiteit,
            id,
            page,
            |v: &Verwerking| v.id.clone(),
            |conn| {
                let mut query = verwerkingen::table
                    .filter(verwerkingen::betrokkene.eq(pseudonymise(self.key(), id)))
                    .into_boxed();
                if let Some(before) = &page.after {
                    query = query.filter(verwerkingen::id.lt(before.clone()));
                }
                let rows = query
                    .order(verwerkingen::id.desc())
                    .limit(i64::from(page.size) + 1)
                    .select(VerwerkingRow::as_select())
                    .load(conn)?;
                Ok(rows.into_iter().map(VerwerkingRow::into_domain).collect())
            },
        )
    }
}

impl DieselStore {
    /// A page of what is recorded about one visible person (`None` when the person is not visible),
    /// newest first; the read itself is logged after it, so a page shows the reads before this one.
    fn person_page<T>(
        &self,
        ctx: &RequestContext,
        activiteit: Verwerkingsactiviteit,
        id: InburgeraarId,
        page: &PageRequest,
        key: impl Fn(&T) -> String,
        load: impl FnOnce(&mut AnyConnection) -> Tx<Vec<T>>,
    ) -> Result<Option<Page<T>>, StoreError> {
        self.read_logged(ctx, activiteit, |conn| {
            if inburgeraars::get_visible(conn, ctx, activiteit, id)??.is_none() {
                return Ok((None, Vec::new()));
            }
            let items = load(conn)?;
            Ok((Some(Page::from_overfetch(items, page.size, key)), vec![id]))
        })
    }
}

impl TrajectStore for DieselStore {
    fn get_traject(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
    ) -> Result<Option<(Inburgeraar, Traject)>, StoreError> {
        let activiteit = Verwerkingsactiviteit::TrajectRaadplegen;
        self.read_logged(ctx, activiteit, |conn| {
            let Some(person) = inburgeraars::get_visible(conn, ctx, activiteit, id)?? else {
                return Ok((None, Vec::new()));
            };
            let (traject, _) = trajecten::load(conn, id)??;
            Ok((Some((person, traject)), vec![id]))
        })
    }

    fn update_traject(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        activiteit: Verwerkingsactiviteit,
        wijziging: &Wijziging,
        idempotency: Option<&IdempotencyKey>,
        change: &mut TrajectChange<'_>,
    ) -> Result<TrajectOutcome<Gewijzigd>, StoreError> {
        // On SQLite a change is grouped with other writes (see `transactions`). Two changes to one
        // person at once (two providers pushing, say) meet at the version check; the later one is
        // applied again to the new state, and after a few lost races inside one write transaction,
        // where on SQLite nothing can overtake it. On PostgreSQL changes to one person queue on the
        // person's row lock (`plan_traject`), so none is answered as stale for another's sake.
        let mut change_once = |conn: &mut AnyConnection| {
            self.plan_traject(conn, ctx, id, activiteit, wijziging, idempotency, change)
        };
        // PostgreSQL runs concurrent write transactions side by side and commits them together by
        // itself: there a change is one transaction at once.
        let grouped = match self.backend {
            Backend::Sqlite => GROUPED_ATTEMPTS,
            Backend::Postgresql => 0,
        };
        for _ in 0..grouped {
            let planned = match self.read(&mut change_once)? {
                Err(outcome) => return Ok(outcome),
                Ok(planned) => planned,
            };
            let (writes, outcome) = planned.split();
            match self
                .committer
                .commit(Box::new(move |conn| writes.apply(conn)))
            {
                Err(StoreError::StaleVersion) => {}
                other => return other.map(|()| outcome),
            }
        }
        let mut attempt = 0;
        loop {
            let applied = self.transaction(|conn| match change_once(conn)? {
                Err(outcome) => Ok(outcome),
                Ok(planned) => {
                    let (writes, outcome) = planned.split();
                    writes.apply(conn)?;
                    Ok(outcome)
                }
            });
            match applied {
                Err(StoreError::StaleVersion) if attempt < 5 => attempt += 1,
                other => return other,
            }
        }
    }
}

/// How often a trajectory change is applied to a fresh snapshot and grouped with other writes before it
/// is applied inside a write transaction of its own.
const GROUPED_ATTEMPTS: usize = 3;

/// The writes of one trajectory change, owned, so that the committer can run them.
struct TrajectWrites {
    id: InburgeraarId,
    versie: i64,
    traject: Traject,
    now: chrono::NaiveDateTime,
    person_before: Inburgeraar,
    person_after: Inburgeraar,
    audit: AuditRow,
    events: Vec<NewEventRow>,
    verwerkingen: Vec<VerwerkingRow>,
    idempotency: Option<IdempotencyRecord>,
}

/// A change applied to a snapshot: the writes and the answer once they are stored.
struct PlannedTraject {
    writes: TrajectWrites,
    gewijzigd: Gewijzigd,
}

impl PlannedTraject {
    fn split(self) -> (TrajectWrites, TrajectOutcome<Gewijzigd>) {
        let outcome = TrajectOutcome::Updated(Box::new((
            self.writes.person_after.clone(),
            self.writes.traject.clone(),
            self.gewijzigd,
        )));
        (self.writes, outcome)
    }
}

impl TrajectWrites {
    /// Stores the change if the trajectory (and, when the status moves, the person) is still at the
    /// version the change was applied to.
    fn apply(&self, conn: &mut AnyConnection) -> Tx<()> {
        if !trajecten::save(conn, self.id, self.versie, &self.traject, self.now)? {
            return Err(TxError(StoreError::StaleVersion));
        }
        if self.person_after.versie != self.person_before.versie
            && !inburgeraars::update(conn, &self.person_before, &self.person_after)?
        {
            return Err(TxError(StoreError::StaleVersion));
        }
        records::insert_audit(conn, &self.audit)?;
        events::insert(conn, &self.events)?;
        records::insert_verwerkingen(conn, &self.verwerkingen)?;
        if let Some(record) = &self.idempotency {
            records::remember_answer(conn, record)?;
        }
        Ok(())
    }
}

impl DieselStore {
    /// Applies the change to the stored trajectory as read on `conn`; the outcome when nothing is
    /// to be written.
    #[allow(clippy::too_many_arguments)]
    fn plan_traject(
        &self,
        conn: &mut AnyConnection,
        ctx: &RequestContext,
        id: InburgeraarId,
        activiteit: Verwerkingsactiviteit,
        wijziging: &Wijziging,
        idempotency: Option<&IdempotencyKey>,
        change: &mut TrajectChange<'_>,
    ) -> Tx<Result<PlannedTraject, TrajectOutcome<Gewijzigd>>> {
        let Some((person, basis)) =
            inburgeraars::get_visible_with_basis(conn, ctx, activiteit, id)??
        else {
            return Ok(Err(TrajectOutcome::NotFound));
        };
        // Changes to one person queue behind each other rather than race (on PostgreSQL; SQLite has
        // one writer at a time): a push that sends no `If-Match` never depends on what another push did
        // a moment before. The lock is taken only once the person is known to be visible, so that
        // waiting on it tells no one else anything; a person changed in between is read again.
        if inburgeraars::lock(conn, id)?.is_some_and(|versie| versie != person.versie) {
            return Err(TxError(StoreError::StaleVersion));
        }
        let (before, versie) = trajecten::load(conn, id)??;
        let mut after = before.clone();
        let gewijzigd = match change(&person, &mut after) {
            Ok(result) => result,
            Err(None) => return Ok(Err(TrajectOutcome::NotFound)),
            Err(Some(refusal)) => return Ok(Err(TrajectOutcome::Refused(refusal))),
        };
        let verwerkingen = records::rows_for(ctx, self.key(), activiteit, &[id], &basis);
        let mut person_after = person.clone();
        if gewijzigd.status != person.status {
            person_after.status = gewijzigd.status;
            person_after.versie += 1;
            person_after.gewijzigd_op = ctx.now;
        }
        let (actie, oude_waarde, nieuwe_waarde) = if matches!(
            activiteit,
            Verwerkingsactiviteit::VoortgangAanleveren
                | Verwerkingsactiviteit::ExamenresultaatAanleveren
        ) {
            // A partner's push adds to the trajectory, or replaces what it pushed before for the same
            // month or enrolment: the trail records what was added (and replaced), not the whole
            // trajectory before and after.
            let nieuw = Some(gewijzigd.antwoord.body.clone());
            match &gewijzigd.vervangen {
                Some(oud) => (AuditActie::Gewijzigd, Some(oud.clone()), nieuw),
                None => (AuditActie::Aangemaakt, None, nieuw),
            }
        } else {
            (
                AuditActie::Gewijzigd,
                // Health data never enters the audit trail: `audit:lezen` is not `gezondheid:lezen`.
                audit_value(&before.zonder_gezondheid())?,
                audit_value(&after.zonder_gezondheid())?,
            )
        };
        let audit = records::audit_row(
            ctx,
            Change {
                inburgeraar_id: id,
                resource: wijziging.kind.resource(),
                resource_id: id.to_string(),
                actie,
                oude_waarde,
                nieuwe_waarde,
            },
        );
        // The change's own event, at the URL of what it made when it answers with one (a new PIP
        // version); and when it moved the person's status, that too.
        let mut eigen = wijziging.clone();
        if eigen.url.is_none() {
            eigen.url = gewijzigd.antwoord.location.clone();
        }
        let mut events = vec![NewEventRow::from(&Event::about(
            ctx,
            &eigen,
            id,
            &person.gemeente,
        ))];
        if person_after.status != person.status && wijziging.kind != EventKind::StatusGewijzigd {
            events.push(NewEventRow::from(&Event::new(
                ctx,
                EventKind::StatusGewijzigd,
                person_url(EventKind::StatusGewijzigd, id),
                Some(id),
                Some(person.gemeente.clone()),
            )));
        }
        Ok(Ok(PlannedTraject {
            writes: TrajectWrites {
                id,
                versie,
                traject: after,
                now: ctx.now,
                person_before: person,
                person_after,
                audit,
                events,
                verwerkingen,
                // The answer is the change's, known only now.
                idempotency: idempotency.map(|key| {
                    IdempotencyRecord::new(
                        ctx,
                        key,
                        Some(id),
                        Some(activiteit),
                        gewijzigd.antwoord.clone(),
                    )
                }),
            },
            gewijzigd,
        }))
    }
}

impl PartnerStore for DieselStore {
    fn create_organisatie(
        &self,
        ctx: &RequestContext,
        organisatie: &Organisatie,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        self.transaction(|conn| {
            diesel::insert_into(organisaties::table)
                .values(OrganisatieRow::from_domain(organisatie)?)
                .execute(conn)?;
            let url = organisatie_url(organisatie.id);
            let event = Event::new(ctx, EventKind::OrganisatieGeregistreerd, url, None, None);
            events::record(conn, &event)?;
            if let Some(record) = idempotency {
                records::remember_answer(conn, record)?;
            }
            Ok(())
        })
    }

    fn get_organisatie(&self, id: Uuid) -> Result<Option<Organisatie>, StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        organisaties::table
            .filter(organisaties::id.eq(id.to_string()))
            .select(OrganisatieRow::as_select())
            .first(&mut conn)
            .optional()
            .map_err(map_diesel)?
            .map(OrganisatieRow::into_domain)
            .transpose()
    }

    fn list_organisaties(&self, page: &PageRequest) -> Result<Page<Organisatie>, StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        let mut query = organisaties::table.into_boxed();
        if let Some(after) = &page.after {
            query = query.filter(organisaties::id.gt(after.clone()));
        }
        let rows = query
            .order(organisaties::id.asc())
            .limit(i64::from(page.size) + 1)
            .select(OrganisatieRow::as_select())
            .load(&mut conn)
            .map_err(map_diesel)?;
        let items = rows
            .into_iter()
            .map(OrganisatieRow::into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(items, page.size, |o| o.id.to_string()))
    }

    fn set_organisatie_actief(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        actief: bool,
    ) -> Result<Option<Organisatie>, StoreError> {
        self.transaction(|conn| {
            let Some(row) = organisaties::table
                .filter(organisaties::id.eq(id.to_string()))
                .select(OrganisatieRow::as_select())
                .first(conn)
                .optional()?
            else {
                return Ok(None);
            };
            let mut organisatie = row.into_domain()?;
            organisatie.actief = actief;
            organisatie.gewijzigd_op = ctx.now;
            diesel::update(organisaties::table.filter(organisaties::id.eq(id.to_string())))
                .set(OrganisatieRow::from_domain(&organisatie)?)
                .execute(conn)?;
            let url = organisatie_url(id);
            events::record(
                conn,
                &Event::new(ctx, EventKind::OrganisatieGewijzigd, url, None, None),
            )?;
            Ok(Some(organisatie))
        })
    }

    fn create_toestemming(
        &self,
        ctx: &RequestContext,
        toestemming: &Toestemming,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<Result<(), Weigering>, StoreError> {
        self.transaction(|conn| {
            let person = inburgeraars::get_visible(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingVastleggen,
                toestemming.inburgeraar_id,
            )??;
            let mut errors = koers_domain::FieldErrors::new();
            if person.is_none() {
                errors.add(
                    "inburgeraarId",
                    "onbekend",
                    "Geen inburgeraar met deze id in uw gemeenten.",
                );
            }
            match partners::organisatie_soort(conn, toestemming.organisatie_id)?
                .as_deref()
                .and_then(OrganisatieSoort::from_text)
            {
                None => errors.add(
                    "organisatieId",
                    "onbekend",
                    "Geen geregistreerde organisatie met deze id.",
                ),
                Some(soort)
                    if !toestemming
                        .doelen
                        .iter()
                        .any(|d| soort.doelen().contains(d)) =>
                {
                    let passend: Vec<&str> = soort.doelen().iter().map(|d| d.as_str()).collect();
                    errors.add(
                        "doelen",
                        "doelPastNiet",
                        format!(
                            "Deze organisatie verwerkt alleen voor: {}.",
                            passend.join(", ")
                        ),
                    );
                }
                Some(_) => {}
            }
            let Some(person) = person.filter(|_| errors.is_empty()) else {
                return Ok(Err(Weigering::Ongeldig(errors)));
            };
            partners::insert_toestemming(conn, toestemming, ctx.now)?;
            let url = toestemming_url(toestemming.id);
            let kind = EventKind::ToestemmingVastgelegd;
            let event = Event::at_person(ctx, kind, url, person.id, &person.gemeente);
            events::record(conn, &event)?;
            records::audit(
                conn,
                ctx,
                Change {
                    inburgeraar_id: toestemming.inburgeraar_id,
                    resource: "toestemming",
                    resource_id: toestemming.id.to_string(),
                    actie: AuditActie::Aangemaakt,
                    oude_waarde: None,
                    nieuwe_waarde: audit_value(toestemming)?,
                },
            )?;
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingVastleggen,
                &[toestemming.inburgeraar_id],
            )?;
            if let Some(record) = idempotency {
                records::remember_answer(conn, record)?;
            }
            Ok(Ok(()))
        })
    }

    fn list_toestemmingen(
        &self,
        ctx: &RequestContext,
        inburgeraar: InburgeraarId,
    ) -> Result<Option<Vec<Toestemming>>, StoreError> {
        self.transaction(|conn| {
            if inburgeraars::get_visible(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingRaadplegen,
                inburgeraar,
            )??
            .is_none()
            {
                return Ok(None);
            }
            let rows = toestemmingen::table
                .filter(toestemmingen::inburgeraar_id.eq(inburgeraar.to_string()))
                .order(toestemmingen::id.asc())
                .select(ToestemmingRow::as_select())
                .load(conn)?;
            let list = rows
                .into_iter()
                .map(ToestemmingRow::into_domain)
                .collect::<Result<Vec<_>, _>>()?;
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingRaadplegen,
                &[inburgeraar],
            )?;
            Ok(Some(list))
        })
    }

    fn get_toestemming(
        &self,
        ctx: &RequestContext,
        id: Uuid,
    ) -> Result<Option<Toestemming>, StoreError> {
        self.transaction(|conn| {
            let row = partners::visible_toestemmingen(&ctx.principal)
                .filter(toestemmingen::id.eq(id.to_string()))
                .select(ToestemmingRow::as_select())
                .first(conn)
                .optional()?;
            let Some(toestemming) = row.map(ToestemmingRow::into_domain).transpose()? else {
                return Ok(None);
            };
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingRaadplegen,
                &[toestemming.inburgeraar_id],
            )?;
            Ok(Some(toestemming))
        })
    }

    fn trek_toestemming_in(
        &self,
        ctx: &RequestContext,
        id: Uuid,
        toelichting: Option<String>,
        idempotency: Option<&IdempotencyKey>,
        antwoord: &(dyn Fn(&Toestemming) -> Antwoord + Sync),
    ) -> Result<Option<Result<Antwoord, Weigering>>, StoreError> {
        self.transaction(|conn| {
            let row = partners::visible_toestemmingen(&ctx.principal)
                .filter(toestemmingen::id.eq(id.to_string()))
                .select(ToestemmingRow::as_select())
                .first(conn)
                .optional()?;
            let Some(before) = row.map(ToestemmingRow::into_domain).transpose()? else {
                return Ok(None);
            };
            let mut after = before.clone();
            let door = ctx
                .principal
                .gebruiker
                .clone()
                .unwrap_or_else(|| ctx.principal.client.clone());
            if let Err(reason) = after.trek_in(&door, toelichting.clone(), ctx.now) {
                return Ok(Some(Err(Weigering::Conflict(reason.to_owned()))));
            }
            partners::update_toestemming(conn, &after, ctx.now)?;
            let gemeente = inburgeraars::gemeente_of(conn, after.inburgeraar_id)?;
            let (url, kind) = (toestemming_url(after.id), EventKind::ToestemmingIngetrokken);
            let event = Event::at_person(ctx, kind, url, after.inburgeraar_id, &gemeente);
            events::record(conn, &event)?;
            records::audit(
                conn,
                ctx,
                Change {
                    inburgeraar_id: after.inburgeraar_id,
                    resource: "toestemming",
                    resource_id: after.id.to_string(),
                    actie: AuditActie::Gewijzigd,
                    oude_waarde: audit_value(&before)?,
                    nieuwe_waarde: audit_value(&after)?,
                },
            )?;
            self.log(
                conn,
                ctx,
                Verwerkingsactiviteit::ToestemmingIntrekken,
                &[after.inburgeraar_id],
            )?;
            let antwoord = antwoord(&after);
            if let Some(key) = idempotency {
                records::remember_answer(
                    conn,
                    &IdempotencyRecord::new(
                        ctx,
                        key,
                        Some(after.inburgeraar_id),
                        Some(Verwerkingsactiviteit::ToestemmingIntrekken),
                        antwoord.clone(),
                    ),
                )?;
            }
            Ok(Some(Ok(antwoord)))
        })
    }
}

impl IdempotencyStore for DieselStore {
    fn find_idempotency(&self, ctx: &RequestContext, key: &str) -> Result<Replay, StoreError> {
        // A replay discloses the stored answer again: it is logged for the person it is about, as the
        // activity the first request was.
        self.read_logged_as(ctx, |conn| {
            let replay = records::find_answer(conn, ctx, key)??;
            let logged = match &replay {
                Replay::Stored(IdempotencyRecord {
                    subject: Some(subject),
                    activiteit: Some(activiteit),
                    ..
                }) => (*activiteit, vec![*subject]),
                _ => (Verwerkingsactiviteit::InburgeraarRaadplegen, Vec::new()),
            };
            Ok((replay, logged.0, logged.1))
        })
    }

    fn claim_idempotency(&self, record: &IdempotencyRecord) -> Result<(), StoreError> {
        self.transaction(|conn| Ok(records::remember_answer(conn, record)?))
    }
}

impl RegisterStats for DieselStore {
    fn has_inburgeraars(&self) -> Result<bool, StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        crate::schema::inburgeraars::table
            .select(crate::schema::inburgeraars::id)
            .first::<String>(&mut conn)
            .optional()
            .map(|first| first.is_some())
            .map_err(map_diesel)
    }
}

impl HealthCheck for DieselStore {
    fn check(&self) -> Result<(), StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        diesel::sql_query("SELECT 1")
            .execute(&mut conn)
            .map(|_| ())
            .map_err(map_diesel)
    }

    fn migrations(&self) -> Result<koers_domain::ports::Migraties, StoreError> {
        let mut conn = crate::connection::checkout(&self.pool)?;
        connection::migrations(&mut conn)
            .map_err(|m| StoreError::Unavailable(koers_domain::ports::Failure::new(m)))
    }

    fn backend(&self) -> &'static str {
        self.backend.as_str()
    }
}
