//! The imperative shell around the database: diesel over SQLite and PostgreSQL.
//!
//! Diesel is synchronous; [`Database::run`] moves every query onto tokio's blocking pool so that it
//! never runs on an actix worker thread. Storage types (text ids, JSON lists, naive UTC timestamps)
//! stay inside this module.

/// Runs `$body` with `$c` bound to the concrete connection (`PgConnection` or
/// `SqliteConnection`): for statements the multi-backend cannot express, such as multi-row INSERTs
/// (diesel batches them only on a concrete SQLite connection).
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::storage::AnyConnection::Postgresql($c) => $body,
            $crate::storage::AnyConnection::Sqlite($c) => $body,
        }
    };
}

pub mod ack;
pub mod alert_channels;
pub mod alerts;
pub mod audit_log;
pub mod backend;
pub mod calendar_feeds;
pub mod directory;
pub mod error;
pub mod fixed;
mod group_commit;
pub mod incidents;
pub mod instance_secrets;
pub mod instant;
pub mod login_attempts;
pub mod migrate;
pub mod outbox;
pub mod password_resets;
pub mod retention;
pub mod rows;
pub mod schema;
pub mod sessions;

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};

pub use backend::{AnyConnection, Backend, DatabaseUrl};
pub use error::StorageError;

use crate::config::DatabaseSettings;

/// The database: a pool of connections to one backend.
#[derive(Clone)]
pub struct Database {
    pool: backend::DbPool,
    backend: Backend,
    /// SQLite's checkpointer, stopped with the last clone.
    _checkpointer: Option<std::sync::Arc<backend::Checkpointer>>,
    /// SQLite: the turns its audited writers take in this process.
    writer_turns: Option<std::sync::Arc<audit_log::WriterTurns>>,
    /// The writes waiting for a group commit, by key (`group_commit`).
    groups: std::sync::Arc<group_commit::Groups>,
    /// Whether this handle writes for the scheduler: on SQLite its writes take their turn before the
    /// requests' ([`Database::for_scheduler`]).
    urgent: bool,
}

/// A pooled connection for work that was queued for a blocking thread at `queued`: the wait for
/// the thread counts against the pool's timeout. The HTTP workers have as many threads as the pool
/// has connections (`web::blocking_threads_per_worker`), so when the database is away a burst queues
/// for them, and each waiting a full timeout of its own after that queue would turn a 503 in
/// `database.connect_timeout_seconds` into one in many times that. Past the timeout an idle
/// connection is still taken; none is waited for.
pub(crate) fn checkout(
    pool: &backend::DbPool,
    queued: std::time::Instant,
) -> Result<backend::PooledConn, StorageError> {
    let left = pool.connection_timeout().saturating_sub(queued.elapsed());
    pool.get_timeout(left).map_err(StorageError::from)
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").field("backend", &self.backend).finish_non_exhaustive()
    }
}

/// Whether to apply pending migrations when opening the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnOpen {
    /// Apply them (`serve`, `migrate`, tests).
    Migrate,
    /// Refuse to work on an out-of-date schema (every other command).
    RequireCurrentSchema,
}

impl Database {
    /// Opens the database named by the settings: checks the URL, connects once, applies or checks
    /// migrations, then builds the pool.
    pub fn open(settings: &DatabaseSettings, on_open: OnOpen) -> Result<(Self, Vec<String>), StorageError> {
        let url = DatabaseUrl::parse(settings.url.expose())?;
        Self::open_url(
            &url,
            settings.pool_size,
            Duration::from_secs(settings.connect_timeout_seconds),
            on_open,
        )
    }

    /// Opens a parsed URL; see [`Database::open`].
    pub fn open_url(
        url: &DatabaseUrl,
        pool_size: u32,
        connect_timeout: Duration,
        on_open: OnOpen,
    ) -> Result<(Self, Vec<String>), StorageError> {
        let mut conn = url.establish()?;
        let applied = match on_open {
            OnOpen::Migrate => migrate::run_pending(&mut conn)?,
            OnOpen::RequireCurrentSchema => {
                if !migrate::is_up_to_date(&mut conn)? {
                    return Err(StorageError::Migration(
                        "the database schema is not up to date; run `art33 migrate` first".into(),
                    ));
                }
                Vec::new()
            }
        };
        drop(conn);
        let writer_turns = (url.backend() == Backend::Sqlite)
            .then(|| std::sync::Arc::new(audit_log::WriterTurns::new(connect_timeout)));
        let pool = backend::build_pool(url, pool_size, connect_timeout)?;
        let checkpointer = backend::Checkpointer::start(url)?.map(std::sync::Arc::new);
        Ok((
            Self {
                pool,
                backend: url.backend(),
                _checkpointer: checkpointer,
                writer_turns,
                groups: std::sync::Arc::default(),
                urgent: false,
            },
            applied,
        ))
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The same database for the scheduler: on SQLite, where writers take turns, its writes (firing
    /// alerts, marking deliveries) go before the requests' that wait, so that alerts keep their time
    /// when reports arrive faster than their alerts can be fired, and the requests slow down instead.
    pub fn for_scheduler(&self) -> Database {
        Database { urgent: true, ..self.clone() }
    }

    /// Runs `f` with a pooled connection on the blocking thread pool. The error is `f`'s own (a
    /// storage error, or a use case's `CommandError`), so that callers unwrap once.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        self.run_on(false, move |conn, _| f(conn)).await
    }

    /// [`Database::run`], with a second pooled connection on PostgreSQL when the pool has one free
    /// at once: the work may use it, never waits for it (the scheduler's tick runs two
    /// transactions at once with it). SQLite has one writer, so there is never a second one.
    pub async fn run_with_spare<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection, Option<&mut AnyConnection>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        self.run_on(self.backend == Backend::Postgres, f).await
    }

    async fn run_on<T, E, F>(&self, want_spare: bool, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection, Option<&mut AnyConnection>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let turns = self.writer_turns.clone();
        let urgent = self.urgent;
        let queued = std::time::Instant::now();
        tokio::task::spawn_blocking(move || {
            let mut conn = checkout(&pool, queued)?;
            let mut spare = if want_spare { pool.try_get() } else { None };
            audit_log::with_writer_turns(turns.as_ref(), urgent, || f(&mut conn, spare.as_deref_mut()))
        })
        .await
        .map_err(|e| E::from(StorageError::Corrupt(format!("storage task failed: {e}"))))?
    }

    /// Runs `f` with a pooled connection on the current thread (CLI commands, tests).
    pub fn run_blocking<T, E: From<StorageError>>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.pool.get().map_err(StorageError::from)?;
        audit_log::with_writer_turns(self.writer_turns.as_ref(), self.urgent, || f(&mut conn))
    }

    /// Answers when the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StorageError> {
        self.run(|conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("SELECT 1").map_err(StorageError::from)
        })
        .await
    }
}

/// Whether `key` can name a stored row. PostgreSQL's text cannot hold NUL and refuses a query that
/// binds one, where SQLite just finds nothing: lookups by a key sent unvalidated in a request body
/// (a client's slug, a login address) answer "none" for such a key on both engines instead of an
/// error. Keys in URLs never get here with a NUL (`web::refuse_nul_in_url`).
pub(crate) fn can_name_a_row(key: &str) -> bool {
    !key.contains('\0')
}

/// A UTC instant as stored: naive, microsecond precision.
pub(crate) fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    use chrono::SubsecRound;
    t.naive_utc().trunc_subsecs(6)
}

/// A stored instant back in UTC.
pub(crate) fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// A new identifier: a UUIDv7, time-ordered so that inserts land at the right edge of the primary
/// key's B-tree instead of dirtying a random page per row (74 random bits keep it unguessable).
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
