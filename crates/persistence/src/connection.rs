//! Connections: the backend follows from the URL scheme, a pool hands out connections, migrations are
//! embedded per backend.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// One connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// The storage backends Koers runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgresql,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgresql => "postgresql",
        }
    }
}

/// A database URL: `sqlite://path/to/file.db` (relative or, with a third slash, absolute) or
/// `postgres://user@host:port/db`. `Debug` and `Display` hide a password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    raw: String,
    backend: Backend,
}

impl DatabaseUrl {
    /// Parses a database URL by its scheme.
    ///
    /// # Errors
    /// A message naming the accepted schemes when the scheme is unknown or the SQLite path empty.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let backend = if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Backend::Postgresql
        } else if let Some(path) = raw.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// URL without a file path".to_owned());
            }
            Backend::Sqlite
        } else {
            return Err(format!(
                "unsupported database URL {:?}: use sqlite://PATH or postgres://USER@HOST/DB",
                redact(raw)
            ));
        };
        Ok(Self {
            raw: raw.to_owned(),
            backend,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// For SQLite, the file path.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        self.raw.strip_prefix("sqlite://").map(PathBuf::from)
    }

    pub fn expose(&self) -> &str {
        &self.raw
    }
}

fn redact(raw: &str) -> String {
    match (raw.find("://"), raw.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &raw[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &raw[..scheme_end + 3],
                    &credentials[..colon],
                    &raw[at..]
                ),
                None => raw.to_owned(),
            }
        }
        _ => raw.to_owned(),
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.raw))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.raw))
    }
}

/// Pool sizes and timeouts.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    pub max_size: u32,
    /// How long a request waits for a free connection before it is answered 503.
    pub connection_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 8,
            connection_timeout: Duration::from_secs(5),
        }
    }
}

/// Opens connections for the pool, dispatching on the backend so that a failure says what is wrong
/// (the derived `establish` would try both backends and hide the cause).
#[derive(Debug, Clone)]
pub struct Manager {
    url: DatabaseUrl,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Connection(#[from] diesel::ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

impl Manager {
    fn open(&self) -> Result<AnyConnection, ConnectError> {
        match self.url.backend() {
            Backend::Postgresql => Ok(AnyConnection::Postgresql(PgConnection::establish(
                self.url.expose(),
            )?)),
            Backend::Sqlite => {
                let path = self.url.sqlite_path().unwrap_or_default();
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // busy_timeout first, so that the other pragmas wait instead of failing on a lock.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                )?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<AnyConnection, ConnectError> {
        self.open()
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), ConnectError> {
        diesel::sql_query("SELECT 1").execute(conn)?;
        Ok(())
    }

    fn has_broken(&self, _conn: &mut AnyConnection) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<Manager>;

/// A connection from the pool; the wait and the pool's use go to the metrics.
///
/// # Errors
/// `Unavailable` when no connection could be had in time.
pub fn checkout(
    pool: &Pool,
) -> Result<r2d2::PooledConnection<Manager>, koers_domain::ports::StoreError> {
    static CHECKOUTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let started = std::time::Instant::now();
    let conn = pool.get();
    metrics::histogram!("koers_db_pool_wait_seconds").record(started.elapsed().as_secs_f64());
    // The pool's state takes the pool's lock: sampled, not read on every checkout.
    if CHECKOUTS
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        .is_multiple_of(64)
    {
        let state = pool.state();
        metrics::gauge!("koers_db_pool_connections", "toestand" => "in_gebruik")
            .set(f64::from(state.connections - state.idle_connections));
        metrics::gauge!("koers_db_pool_connections", "toestand" => "vrij")
            .set(f64::from(state.idle_connections));
    }
    conn.map_err(|error| {
        metrics::counter!("koers_db_pool_timeouts_total").increment(1);
        crate::error::map_pool(error)
    })
}

/// Applies the embedded migrations of the URL's backend; for SQLite also creates the parent folder and
/// switches the file to WAL once (the mode persists in the file).
///
/// # Errors
/// A message when the database cannot be opened or a migration fails.
pub fn migrate(url: &DatabaseUrl) -> Result<Vec<String>, String> {
    if let Some(path) = url.sqlite_path() {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
    }
    let manager = Manager { url: url.clone() };
    let mut conn = manager
        .open()
        .map_err(|e| format!("cannot connect to {url}: {e}"))?;
    if let AnyConnection::Sqlite(sqlite) = &mut conn {
        sqlite
            .batch_execute("PRAGMA journal_mode = WAL;")
            .map_err(|e| format!("cannot switch {url} to WAL: {e}"))?;
    }
    let applied = match &mut conn {
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        AnyConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| format!("migration failed on {url}: {e}"))?;
    let applied: Vec<String> = applied.iter().map(ToString::to_string).collect();
    // The worklist's projection of the people already stored follows from rules in Rust: it is
    // filled once its table exists.
    if applied
        .iter()
        .any(|m| m.contains("signaleringsdatums") || m == "20261205000009")
    {
        conn.transaction(|c| crate::projectie::herbereken_alle(c, None))
            .map_err(|e| format!("filling the worklist's projection on {url}: {}", e.0))?;
    }
    Ok(applied)
}

/// How many migrations the database on `conn` applied, and which embedded ones it has not.
///
/// # Errors
/// The database's error.
pub fn migrations(conn: &mut AnyConnection) -> Result<koers_domain::ports::Migraties, String> {
    fn status<C: MigrationHarness<B>, B: diesel::backend::Backend>(
        conn: &mut C,
        source: EmbeddedMigrations,
    ) -> diesel::migration::Result<koers_domain::ports::Migraties> {
        let applied = conn.applied_migrations()?.len();
        let pending = conn
            .pending_migrations(source)?
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        Ok(koers_domain::ports::Migraties { applied, pending })
    }
    match conn {
        AnyConnection::Sqlite(c) => status(c, SQLITE_MIGRATIONS),
        AnyConnection::Postgresql(c) => status(c, POSTGRES_MIGRATIONS),
    }
    .map_err(|e| e.to_string())
}

/// Writes a consistent copy of a live SQLite database to `out` (`VACUUM INTO`: one read transaction,
/// so writers go on meanwhile and the copy is the database as of one moment). `out` must not exist.
/// PostgreSQL is backed up with its own tools (`pg_dump`, see the README).
///
/// # Errors
/// A message when the URL is not SQLite's, `out` exists, or the copy fails.
pub fn backup(url: &DatabaseUrl, out: &std::path::Path) -> Result<(), String> {
    if url.backend() != Backend::Sqlite {
        return Err(format!(
            "{url} is PostgreSQL: back it up with pg_dump (see the README), not koers backup"
        ));
    }
    if out.exists() {
        return Err(format!(
            "{} exists already; choose a new file",
            out.display()
        ));
    }
    let target = out
        .to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", out.display()))?;
    let mut conn = Manager { url: url.clone() }
        .open()
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(target)
        .execute(&mut conn)
        .map_err(|e| format!("backup of {url} to {} failed: {e}", out.display()))?;
    Ok(())
}

/// Reverts every migration (used by the up-down-up check of the test suite).
///
/// # Errors
/// A message when a down migration fails.
pub fn revert_all(url: &DatabaseUrl) -> Result<(), String> {
    let manager = Manager { url: url.clone() };
    let mut conn = manager.open().map_err(|e| e.to_string())?;
    match &mut conn {
        AnyConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        AnyConnection::Postgresql(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    }
    .map_err(|e| e.to_string())
}

/// Reverts the last migration applied; returns its name.
///
/// # Errors
/// A message when the database cannot be opened or the down migration fails.
pub fn revert_last(url: &DatabaseUrl) -> Result<String, String> {
    let manager = Manager { url: url.clone() };
    let mut conn = manager.open().map_err(|e| e.to_string())?;
    match &mut conn {
        AnyConnection::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS),
        AnyConnection::Postgresql(c) => c.revert_last_migration(POSTGRES_MIGRATIONS),
    }
    .map(|version| version.to_string())
    .map_err(|e| e.to_string())
}

/// Builds a pool without opening connections yet, so that a database that is down at start-up is
/// reported per request (503) rather than refusing to start.
pub fn pool(url: &DatabaseUrl, settings: PoolSettings) -> Pool {
    r2d2::Pool::builder()
        .max_size(settings.max_size)
        .min_idle(Some(0))
        .connection_timeout(settings.connection_timeout)
        .test_on_check_out(false)
        .build_unchecked(Manager { url: url.clone() })
}

/// A fresh in-memory SQLite database with every migration applied, for the crate's unit tests.
#[cfg(test)]
pub(crate) fn sqlite_in_memory() -> AnyConnection {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    conn.batch_execute("PRAGMA foreign_keys = ON;").unwrap();
    conn.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();
    AnyConnection::Sqlite(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend_and_hide_passwords() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/koers.db")
                .unwrap()
                .backend(),
            Backend::Sqlite
        );
        let pg = DatabaseUrl::parse("postgres://koers:geheim@db:5432/koers").unwrap();
        assert_eq!(pg.backend(), Backend::Postgresql);
        assert_eq!(pg.to_string(), "postgres://koers:***@db:5432/koers");
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }
}
