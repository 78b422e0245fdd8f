//! `DieselStore`: the storage ports of `koers-domain` on a pool of SQLite or PostgreSQL connections.
//! Every method runs on the calling (blocking) thread and answers once its writes are durable; on SQLite
//! the frequent writes (processing-log lines of reads, trajectory changes) are committed together by the
//! committer of `transactions`, each atomically in its own savepoint.

mod abonnementen;
mod bezorging;
mod gebeurtenissen;
mod health;
mod historie;
mod idempotentie;
mod inburgeraars;
mod partners;
mod trajecten;

use crate::connection::{self, AnyConnection, Backend, DatabaseUrl, Pool, PoolSettings};
use crate::error::{violated, Uniek};
use crate::events;
use crate::records;
use crate::transactions::{self, Committer, Tx, TxError, WriteLock};
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use koers_domain::events::Event;
use koers_domain::inburgeraar::{Inburgeraar, InburgeraarId};
use koers_domain::pagination::{Page, PageRequest};
use koers_domain::ports::StoreError;
use koers_domain::records::{RequestContext, Verwerkingsactiviteit};
use koers_domain::traject::Traject;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

/// Storage on one database, chosen by URL.
#[derive(Clone)]
pub struct DieselStore {
    pool: Pool,
    backend: Backend,
    pseudonym_key: SecretString,
    write_lock: WriteLock,
    schrijfwijze: Schrijfwijze,
}

/// How the frequent small writes (processing-log lines of reads, trajectory changes) reach the disk,
/// chosen once, at construction, for the backend.
#[derive(Clone)]
pub(crate) enum Schrijfwijze {
    /// SQLite, one writer at a time: the writes wait for the committer, which commits all writes
    /// waiting at that moment together, each in its own savepoint, with one `fsync`.
    Gegroepeerd(Arc<Committer>),
    /// PostgreSQL: one transaction per request; the server commits concurrent transactions together
    /// by itself.
    PerVerzoek,
}

impl DieselStore {
    /// A store on `url`. Connections open lazily; call [`DieselStore::migrate`] first.
    pub fn new(url: &DatabaseUrl, settings: PoolSettings, pseudonym_key: SecretString) -> Self {
        let pool = connection::pool(url, settings);
        let write_lock = WriteLock::default();
        let schrijfwijze = match url.backend() {
            Backend::Sqlite => Schrijfwijze::Gegroepeerd(Arc::new(Committer::start(
                pool.clone(),
                Arc::clone(&write_lock),
            ))),
            Backend::Postgresql => Schrijfwijze::PerVerzoek,
        };
        Self {
            schrijfwijze,
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
        let persons: Vec<crate::inburgeraars::InburgeraarRow> =
            people.iter().map(|(p, _)| p.into()).collect();
        let trajects: Vec<_> = people
            .iter()
            .filter(|(_, t)| *t != Traject::default())
            .map(|(p, t)| (p.id, t, p.gewijzigd_op))
            .collect();
        let trajects = crate::trajecten::rows(&trajects)?;
        self.transaction(|conn| {
            for chunk in persons.chunks(ROWS_PER_STATEMENT) {
                let insert = diesel::insert_into(crate::schema::inburgeraars::table).values(chunk);
                match conn {
                    AnyConnection::Postgresql(pg) => insert.execute(pg)?,
                    AnyConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
                };
            }
            crate::trajecten::insert_new(conn, &trajects)?;
            let mut gemeenten: Vec<_> = people.iter().map(|(p, _)| p.gemeente.clone()).collect();
            gemeenten.sort();
            gemeenten.dedup();
            let instellingen = crate::gemeenten::load(conn, &gemeenten)?;
            let pairs: Vec<_> = people.iter().map(|(p, t)| (p, t)).collect();
            crate::projectie::vervang(conn, &pairs, &instellingen)
        })
    }

    /// Up to `limit` events of the outbox after `volgnummer`, in sequence order.
    ///
    /// # Errors
    /// `Unavailable`, or `Internal` for a stored event that does not read back.
    pub fn events_after(&self, volgnummer: i64, limit: i64) -> Result<Vec<Event>, StoreError> {
        self.read(|conn| Ok(events::after(conn, volgnummer, limit)??))
    }

    /// How many people's worklist projection differs from what their stored data gives now: 0 when
    /// every change kept it up to date (a consistency check for tests and operations).
    ///
    /// # Errors
    /// `Unavailable`, or `Internal` for stored data that does not read back.
    pub fn projectie_afwijkingen(&self) -> Result<usize, StoreError> {
        self.read(crate::projectie::afwijkingen)
    }

    /// Reverts the last migration applied; returns its name.
    ///
    /// # Errors
    /// A message when the database cannot be opened or the down migration fails.
    pub fn revert_last(url: &DatabaseUrl) -> Result<String, String> {
        connection::revert_last(url)
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
        self.read_with_lines(|conn| {
            let (value, activiteit, subjects) = body(conn)?;
            let rows = records::verwerking_rows(conn, ctx, self.key(), activiteit, &subjects)?;
            Ok((value, rows))
        })
    }

    /// A read that makes its own processing-log lines; the answer leaves only once they are durable
    /// (as [`DieselStore::read_logged`]).
    pub(crate) fn read_with_lines<T>(
        &self,
        read: impl FnOnce(&mut AnyConnection) -> Tx<(T, Vec<records::VerwerkingRow>)>,
    ) -> Result<T, StoreError> {
        let Schrijfwijze::Gegroepeerd(committer) = &self.schrijfwijze else {
            return self.transaction(|conn| {
                let (value, rows) = read(conn)?;
                records::insert_verwerkingen(conn, &rows)?;
                Ok(value)
            });
        };
        let (value, rows) = self.read(read)?;
        if !rows.is_empty() {
            committer.commit(Box::new(move |conn| {
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
            if crate::inburgeraars::get_visible(conn, ctx, activiteit, id)??.is_none() {
                return Ok((None, Vec::new()));
            }
            let items = load(conn)?;
            Ok((Some(Page::from_overfetch(items, page.size, key)), vec![id]))
        })
    }
}
