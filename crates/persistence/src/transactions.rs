//! Transactions, and the group commit that makes durable writes cheap.
//!
//! SQLite has one writer at a time. Writers that meet at its lock wait in SQLite's busy handler, which
//! sleeps in steps of milliseconds, and every commit pays its own `fsync`. So writes here take an
//! in-process write lock instead (waiting without sleeping), and the frequent, small writes (the
//! processing-log lines of a read, the change of a push) go through a [`Committer`]: one thread that
//! takes every write waiting at that moment, runs each in its own savepoint, commits them together with
//! one `fsync`, and only then answers each caller. A caller is answered after its write is durable, as
//! before, but a hundred callers share one `fsync`. PostgreSQL needs none of this: it runs concurrent
//! write transactions side by side and flushes their commits together by itself, so there each request
//! keeps its one transaction.

use crate::connection::{AnyConnection, Pool};
use crate::error::map_diesel;
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::result::Error as DieselError;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use koers_domain::ports::StoreError;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// The error of a transaction body: a diesel error, or a domain answer that must roll back.
pub struct TxError(pub StoreError);

impl From<DieselError> for TxError {
    fn from(error: DieselError) -> Self {
        TxError(map_diesel(error))
    }
}

impl From<StoreError> for TxError {
    fn from(error: StoreError) -> Self {
        TxError(error)
    }
}

pub type Tx<T> = Result<T, TxError>;

/// Serialises the writers of one SQLite database within this process.
pub type WriteLock = Arc<Mutex<()>>;

/// A write transaction on a pooled connection. On SQLite it holds the process's write lock and takes
/// the database's at `BEGIN`.
pub fn write<T>(
    pool: &Pool,
    lock: &WriteLock,
    body: impl FnOnce(&mut AnyConnection) -> Tx<T>,
) -> Result<T, StoreError> {
    let mut pooled = crate::connection::checkout(pool)?;
    let conn: &mut AnyConnection = &mut pooled;
    match conn {
        AnyConnection::Sqlite(_) => {
            // A poisoned lock only means another writer panicked; its transaction was rolled back.
            let _guard = lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            immediate_transaction(conn, body)
        }
        AnyConnection::Postgresql(_) => conn.transaction(body).map_err(|TxError(e)| e),
    }
}

/// A read-only transaction: one consistent snapshot, no write lock (SQLite's WAL lets readers run
/// beside the writer).
pub fn read<T>(
    pool: &Pool,
    body: impl FnOnce(&mut AnyConnection) -> Tx<T>,
) -> Result<T, StoreError> {
    let mut pooled = crate::connection::checkout(pool)?;
    let conn: &mut AnyConnection = &mut pooled;
    conn.transaction(body).map_err(|TxError(e)| e)
}

/// A SQLite transaction that takes the write lock at `BEGIN`. A deferred transaction that reads first
/// and then writes fails at once with "database is locked" when another writer (another process, such
/// as `koers seed`) came in between, without waiting for the busy timeout; `BEGIN IMMEDIATE` waits for
/// the lock instead. A panic rolls back before it unwinds, so a pooled connection never keeps an open
/// transaction.
fn immediate_transaction<T>(
    conn: &mut AnyConnection,
    body: impl FnOnce(&mut AnyConnection) -> Tx<T>,
) -> Result<T, StoreError> {
    // Through diesel's own transaction manager, so that nested transactions (diesel wraps SQLite batch
    // inserts in one, the committer gives each write its own) become savepoints.
    fn sqlite(conn: &mut AnyConnection) -> Result<&mut SqliteConnection, StoreError> {
        match conn {
            AnyConnection::Sqlite(inner) => Ok(inner),
            AnyConnection::Postgresql(_) => Err(StoreError::internal("not a SQLite connection")),
        }
    }
    AnsiTransactionManager::begin_transaction_sql(sqlite(conn)?, "BEGIN IMMEDIATE")
        .map_err(map_diesel)?;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(&mut *conn)));
    let rollback = |conn: &mut AnyConnection| {
        let rolled_back = sqlite(conn).and_then(|inner| {
            AnsiTransactionManager::rollback_transaction(inner).map_err(map_diesel)
        });
        if let Err(error) = rolled_back {
            tracing::error!(%error, "rollback failed");
        }
    };
    match outcome {
        Ok(Ok(value)) => match sqlite(conn)
            .and_then(|inner| AnsiTransactionManager::commit_transaction(inner).map_err(map_diesel))
        {
            Ok(()) => Ok(value),
            Err(error) => {
                rollback(conn);
                Err(error)
            }
        },
        Ok(Err(TxError(error))) => {
            rollback(conn);
            Err(error)
        }
        Err(panic) => {
            rollback(conn);
            std::panic::resume_unwind(panic)
        }
    }
}

/// One write for the committer: owns what it writes, so that it can run on the committer's thread.
pub type Job = Box<dyn FnOnce(&mut AnyConnection) -> Tx<()> + Send>;

type Reply = mpsc::SyncSender<Result<(), StoreError>>;

/// Most writes committed together; a larger queue waits for the next commit.
const MAX_BATCH: usize = 512;

/// The group committer of one database (see the module documentation). Dropping the last handle
/// commits what it still holds and waits for its thread to end, so a stopping server loses nothing.
pub struct Committer {
    jobs: Option<mpsc::Sender<(Job, Reply)>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// A write handed to the committer; [`Pending::wait`] returns once it is durable or refused.
pub struct Pending(Result<mpsc::Receiver<Result<(), StoreError>>, StoreError>);

impl Pending {
    /// # Errors
    /// The job's own error (it was rolled back alone), or the batch's when the commit failed.
    pub fn wait(self) -> Result<(), StoreError> {
        self.0?
            .recv()
            .map_err(|_| StoreError::internal("the committer stopped"))?
    }
}

impl Committer {
    /// Starts the committer's thread; it ends when the last handle to the committer is dropped.
    pub fn start(pool: Pool, lock: WriteLock) -> Self {
        let (jobs, queue) = mpsc::channel::<(Job, Reply)>();
        let spawned = std::thread::Builder::new()
            .name("koers-committer".to_owned())
            .spawn(move || run(&pool, &lock, &queue));
        let thread = match spawned {
            Ok(thread) => Some(thread),
            Err(error) => {
                // Every write is then answered as failed (the queue's receiver is gone), never lost
                // silently.
                tracing::error!(%error, "cannot start the committer thread");
                None
            }
        };
        Self {
            jobs: Some(jobs),
            thread,
        }
    }

    /// Hands a write over without waiting, so that one request can have several in one commit.
    pub fn submit(&self, job: Job) -> Pending {
        let (reply, answer) = mpsc::sync_channel(1);
        Pending(
            self.jobs
                .as_ref()
                .and_then(|jobs| jobs.send((job, reply)).ok())
                .map(|()| answer)
                .ok_or_else(|| StoreError::internal("the committer stopped")),
        )
    }

    /// Runs a write and returns once it is durable.
    ///
    /// # Errors
    /// As [`Pending::wait`].
    pub fn commit(&self, job: Job) -> Result<(), StoreError> {
        self.submit(job).wait()
    }
}

impl Drop for Committer {
    fn drop(&mut self) {
        // Closing the queue ends the thread once it has committed every write handed to it.
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("the committer thread panicked");
            }
        }
    }
}

fn run(pool: &Pool, lock: &WriteLock, queue: &mpsc::Receiver<(Job, Reply)>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let (jobs, replies): (Vec<Job>, Vec<Reply>) = batch.into_iter().unzip();
        #[allow(clippy::cast_precision_loss)] // a batch has at most MAX_BATCH writes
        metrics::histogram!("koers_sqlite_commit_batch_size").record(jobs.len() as f64);
        let started = std::time::Instant::now();
        let mut outcomes: Vec<Result<(), StoreError>> = Vec::with_capacity(jobs.len());
        let committed = write(pool, lock, |conn| {
            for job in jobs {
                // Each job in its own savepoint: one that fails is undone alone.
                let outcome = conn.transaction(|conn| {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(conn)))
                        .unwrap_or_else(|_| Err(TxError(StoreError::internal("a write panicked"))))
                });
                outcomes.push(outcome.map_err(|TxError(e)| e));
            }
            Ok(())
        });
        metrics::histogram!("koers_sqlite_commit_seconds").record(started.elapsed().as_secs_f64());
        match committed {
            Ok(()) => {
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    // A caller that gave up waiting has nothing to be told.
                    let _ = reply.send(outcome);
                }
            }
            Err(error) => {
                for reply in replies {
                    let _ = reply.send(Err(same(&error)));
                }
            }
        }
    }
}

/// The batch's error, for each of its callers, with its causes.
fn same(error: &StoreError) -> StoreError {
    error.clone()
}
