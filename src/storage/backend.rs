//! One connection type over both backends, chosen by the URL scheme, and the pool around it.

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};

use super::error::StorageError;

mod multi {
    #![expect(missing_docs, reason = "the derive generates public helper items without documentation")]
    use diesel::{PgConnection, SqliteConnection};

    /// A connection to either backend. Queries written once against it run on both.
    #[derive(diesel::MultiConnection)]
    pub enum AnyConnection {
        /// PostgreSQL, the production engine.
        Postgresql(PgConnection),
        /// SQLite (bundled), the embedded default.
        Sqlite(SqliteConnection),
    }
}

pub use multi::{AnyConnection, MultiBackend, MultiRawValue};

impl AnyConnection {
    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            AnyConnection::Postgresql(_) => Backend::Postgres,
            AnyConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// The two supported engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

impl Backend {
    /// A short name for logs and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        }
    }
}

/// A parsed `database.url`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH`: a file, created if missing.
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`, passed to libpq as is.
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    // The PostgreSQL URL may hold a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "Sqlite({path:?})"),
            DatabaseUrl::Postgres(_) => f.write_str("Postgres([redacted])"),
        }
    }
}

impl DatabaseUrl {
    /// Parses a URL, refusing any scheme but `sqlite`, `postgres` and `postgresql`.
    pub fn parse(url: &str) -> Result<Self, StorageError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_string()));
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(StorageError::Unavailable("database.url \"sqlite://\" names no file".into()));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        let scheme = match url.split_once("://") {
            Some((scheme, _)) => scheme.to_string(),
            None => url.split(':').next().unwrap_or(url).to_string(),
        };
        Err(StorageError::UnsupportedScheme(scheme))
    }

    /// Which backend the URL selects.
    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// Opens one connection. Dispatches on the scheme itself: the derive's own `establish` tries
    /// each backend in turn and hides the real cause of a failure.
    pub fn establish(&self) -> Result<AnyConnection, StorageError> {
        match self {
            DatabaseUrl::Postgres(url) => Ok(AnyConnection::Postgresql(PgConnection::establish(url)?)),
            DatabaseUrl::Sqlite(path) => {
                create_owner_only(path);
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // Per connection: wait for locks instead of failing, enforce foreign keys, and a
                // page cache of 1 MiB instead of 2: the operating system caches the file anyway,
                // and eight connections' caches were a quarter of the server's memory. WAL is
                // persistent in the file and set once before the pool exists. Copying the WAL back
                // into the file is the checkpointer's job ([`Checkpointer`]); a committing
                // connection does it only when the WAL has grown past what the checkpointer lets
                // it grow to, i.e. when the checkpointer has fallen behind.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                     PRAGMA cache_size = -1024; PRAGMA wal_autocheckpoint = {WAL_PAGES_BEFORE_WRITERS_CHECKPOINT};"
                ))
                .map_err(|e| StorageError::Unavailable(format!("cannot configure SQLite: {e}")))?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }
}

/// Creates a missing SQLite file as 0600 before SQLite opens it: SQLite gives the `-wal` and `-shm`
/// files the database file's mode, so none of the three is readable by others, whatever the
/// umask (`main.rs` also sets 077). An existing file keeps its mode; a failure here is left for
/// SQLite to report.
fn create_owner_only(path: &std::path::Path) {
    if path.as_os_str() == ":memory:" || path.exists() {
        return;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let _ = options.open(path);
}

/// r2d2 manager that uses [`DatabaseUrl::establish`].
///
/// Connections are validated on error, not on every checkout: a `SELECT 1` per checkout was a
/// round trip per request on PostgreSQL. Each connection carries an `ErrorWatch`; a statement
/// that fails for any reason that could mean a lost connection moves the pool's error count on.
/// At checkout, a connection validated before the latest such error answers `SELECT 1` first and
/// is replaced when it cannot; one validated since goes straight to work. So after an outage every
/// idle connection is checked once, including those no failing request touched, and a database
/// that comes back is used again at once. A database that goes away while nothing fails (an idle
/// server) costs the first request after it one error (503), which moves the count on.
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
    errors: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// Watches a connection's statements for errors that may mean the connection is lost (see
/// [`Manager`]).
struct ErrorWatch {
    /// The pool's count of such errors.
    errors: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The count when this connection last answered (when it was made, or last validated).
    validated_at: u64,
    /// How many times it was validated (`SELECT 1`).
    pings: u64,
}

impl diesel::connection::Instrumentation for ErrorWatch {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        if let diesel::connection::InstrumentationEvent::FinishQuery { error: Some(error), .. } = event
            && may_mean_a_lost_connection(error)
        {
            self.errors.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        }
    }
}

/// Whether a statement's error may come from a connection that no longer works. The errors a
/// working connection gives (no row, a broken constraint, a serialization failure, bad input) do
/// not; anything else does, to be safe: validating costs one `SELECT 1` per idle connection.
fn may_mean_a_lost_connection(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind as Kind, Error};
    !matches!(
        error,
        Error::NotFound
            | Error::DeserializationError(_)
            | Error::SerializationError(_)
            | Error::QueryBuilderError(_)
            | Error::RollbackTransaction
            | Error::DatabaseError(
                Kind::UniqueViolation
                    | Kind::ForeignKeyViolation
                    | Kind::NotNullViolation
                    | Kind::CheckViolation
                    | Kind::RestrictViolation
                    | Kind::ExclusionViolation
                    | Kind::SerializationFailure
                    | Kind::ReadOnlyTransaction,
                _
            )
    )
}

impl Manager {
    fn new(url: DatabaseUrl) -> Self {
        Manager { url, errors: std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0)) }
    }

    /// The pool's error count now.
    fn errors_now(&self) -> u64 {
        self.errors.load(std::sync::atomic::Ordering::Acquire)
    }
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, r2d2::Error> {
        let validated_at = self.errors_now();
        let mut conn = self.url.establish().map_err(|e| match e {
            StorageError::Unavailable(m) => {
                r2d2::Error::ConnectionError(diesel::ConnectionError::BadConnection(m))
            }
            other => r2d2::Error::ConnectionError(diesel::ConnectionError::BadConnection(other.to_string())),
        })?;
        conn.set_instrumentation(ErrorWatch { errors: self.errors.clone(), validated_at, pings: 0 });
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), r2d2::Error> {
        let now = self.errors_now();
        // A connection without the watch (none is made so) is validated every time.
        if let Some(watch) = conn.instrumentation().downcast_ref::<ErrorWatch>()
            && watch.validated_at == now
        {
            return Ok(());
        }
        if let Some(watch) = conn.instrumentation().downcast_mut::<ErrorWatch>() {
            watch.pings += 1;
        }
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)?;
        if let Some(watch) = conn.instrumentation().downcast_mut::<ErrorWatch>() {
            watch.validated_at = now;
        }
        Ok(())
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        // A connection left inside a transaction, or whose transaction state is unknown, is
        // not given to the next request.
        std::thread::panicking() || diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

/// A pooled connection.
pub type PooledConn = PooledConnection<Manager>;

/// The connection pool.
pub type DbPool = Pool<Manager>;

/// Builds the pool. Opens one connection first, so that a wrong URL or a database that is down
/// fails at once with its real cause instead of after the pool's timeout; for SQLite that first
/// connection also switches the file to WAL mode.
pub fn build_pool(url: &DatabaseUrl, size: u32, connect_timeout: Duration) -> Result<DbPool, StorageError> {
    let mut first = url.establish()?;
    if let AnyConnection::Sqlite(conn) = &mut first {
        ensure_wal(conn, connect_timeout.max(Duration::from_secs(30)))?;
    }
    drop(first);
    Pool::builder()
        .max_size(size)
        .min_idle(Some(0))
        .connection_timeout(connect_timeout)
        // Checked at checkout only after an error (see `Manager::is_valid`).
        .test_on_check_out(true)
        .error_handler(Box::new(r2d2::NopErrorHandler))
        .build(Manager::new(url.clone()))
        .map_err(StorageError::from)
}

/// WAL pages (4 KiB each) after which a committing connection checkpoints by itself, as SQLite
/// does by default after 1,000. The checkpointer keeps the WAL well below this; the fallback bounds
/// the WAL should it stall.
pub const WAL_PAGES_BEFORE_WRITERS_CHECKPOINT: u32 = 10_000;

/// How often the checkpointer copies the WAL back into the database file.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(250);

/// Copies a SQLite database's WAL back into its file, on a thread and connection of its own, every
/// [`CHECKPOINT_INTERVAL`]. Left to SQLite, the connection whose commit takes the WAL past 1,000
/// pages does it, with two `fsync`s, before its request or tick goes on: two fifths of a tick of
/// 1,000 alerts, and the tail of the write latencies. A passive checkpoint waits for no lock and
/// blocks no reader or writer. The thread stops when this value is dropped, i.e. with the last
/// clone of the database.
pub struct Checkpointer {
    stop: std::sync::Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Checkpointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checkpointer").finish_non_exhaustive()
    }
}

impl Checkpointer {
    /// Starts checkpointing the SQLite database at `url`; `None` for PostgreSQL, which has its own.
    pub fn start(url: &DatabaseUrl) -> Result<Option<Self>, StorageError> {
        if url.backend() != Backend::Sqlite {
            return Ok(None);
        }
        let url = url.clone();
        let stop = std::sync::Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || checkpoint_until_stopped(&url, &stopped))
            .map_err(|e| StorageError::Unavailable(format!("cannot start the SQLite checkpointer: {e}")))?;
        Ok(Some(Self { stop, thread: Some(thread) }))
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let (lock, wake) = &*self.stop;
        *lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[derive(diesel::QueryableByName)]
struct CheckpointResult {
    /// 1 when the checkpoint could not finish (readers or a writer were in the way); the next goes on.
    #[diesel(sql_type = diesel::sql_types::Integer)]
    #[expect(dead_code, reason = "read by diesel; the checkpoint's outcome is the next one's business")]
    busy: i32,
}

fn checkpoint_until_stopped(url: &DatabaseUrl, stop: &(std::sync::Mutex<bool>, std::sync::Condvar)) {
    let mut conn: Option<SqliteConnection> = None;
    // Said once per kind of failure, not four times a second (a read-only or full disk).
    let mut last_error: Option<String> = None;
    loop {
        {
            let (lock, wake) = stop;
            let stopped = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let (stopped, _) = wake
                .wait_timeout_while(stopped, CHECKPOINT_INTERVAL, |stopped| !*stopped)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if *stopped {
                return;
            }
        }
        match checkpoint(url, &mut conn) {
            Err(e) if last_error.as_deref() != Some(e.as_str()) => {
                tracing::warn!(error = %crate::telemetry::escaped(&e), "SQLite checkpoint failed; the WAL grows until it succeeds");
                last_error = Some(e);
            }
            Err(_) => {}
            Ok(()) => {
                if last_error.take().is_some() {
                    tracing::info!("SQLite checkpoints succeed again");
                }
            }
        }
    }
}

/// One passive checkpoint, on `conn`, opened first if need be.
fn checkpoint(url: &DatabaseUrl, conn: &mut Option<SqliteConnection>) -> Result<(), String> {
    use diesel::RunQueryDsl;
    let lite = match conn {
        Some(lite) => lite,
        None => match url.establish().map_err(|e| e.to_string())? {
            AnyConnection::Sqlite(lite) => conn.insert(lite),
            AnyConnection::Postgresql(_) => return Ok(()),
        },
    };
    diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)")
        .get_result::<CheckpointResult>(lite)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[derive(diesel::QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = diesel::sql_types::Text)]
    journal_mode: String,
}

/// Switches a SQLite file to WAL mode (persistent in the file). Changing the journal mode needs
/// the file to itself and SQLite does not wait for that, so retry while other processes hold it.
pub fn ensure_wal(conn: &mut SqliteConnection, patience: Duration) -> Result<(), StorageError> {
    use diesel::RunQueryDsl;
    let started = std::time::Instant::now();
    loop {
        let mode = diesel::sql_query("PRAGMA journal_mode = WAL").get_result::<JournalMode>(conn);
        match mode {
            Ok(m) if m.journal_mode.eq_ignore_ascii_case("wal") => return Ok(()),
            Ok(m) => {
                return Err(StorageError::Unavailable(format!(
                    "SQLite refused WAL mode (journal mode is {})",
                    m.journal_mode
                )));
            }
            Err(e) if started.elapsed() < patience && e.to_string().contains("locked") => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => return Err(StorageError::Unavailable(format!("cannot switch SQLite to WAL: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_select_the_backend() {
        assert_eq!(DatabaseUrl::parse("sqlite://art33.db").unwrap(), DatabaseUrl::Sqlite("art33.db".into()));
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/a.db").unwrap(),
            DatabaseUrl::Sqlite("/var/lib/a.db".into())
        );
        assert_eq!(DatabaseUrl::parse("postgres://u@h/d").unwrap().backend(), Backend::Postgres);
        assert_eq!(DatabaseUrl::parse("postgresql://u@h/d").unwrap().backend(), Backend::Postgres);
    }

    #[test]
    fn other_schemes_are_named_in_the_error() {
        let err = DatabaseUrl::parse("mysql://x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unsupported database URL scheme \"mysql\" in database.url; use sqlite://PATH or postgres://USER@HOST/DB"
        );
        assert!(DatabaseUrl::parse("art33.db").unwrap_err().to_string().contains("\"art33.db\""));
    }

    /// The checkpointer copies committed pages into the database file while the database is open;
    /// left to the writers, 2 MiB of WAL would stay there until the last connection closes.
    #[test]
    fn the_checkpointer_copies_the_wal_into_the_file_while_writers_go_on() {
        use crate::storage::{Database, OnOpen};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("art33.db");
        let url = DatabaseUrl::Sqlite(path.clone());
        let (db, _) = Database::open_url(&url, 2, Duration::from_secs(5), OnOpen::Migrate).unwrap();
        db.run_blocking(|conn| {
            conn.batch_execute(
                "CREATE TABLE filler (body BLOB NOT NULL); \
                 WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 500) \
                 INSERT INTO filler SELECT randomblob(4000) FROM n;",
            )?;
            Ok::<_, crate::storage::StorageError>(())
        })
        .unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while std::fs::metadata(&path).unwrap().len() < 500 * 4000 {
            assert!(std::time::Instant::now() < deadline, "the WAL was not checkpointed");
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(db);
    }

    /// A checkout runs no `SELECT 1` while nothing fails; after a statement fails, the next
    /// checkout of each connection validates it once.
    #[test]
    fn connections_are_validated_after_an_error_only() {
        use crate::storage::{Database, OnOpen, StorageError};
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("art33.db"));
        let (db, _) = Database::open_url(&url, 2, Duration::from_secs(5), OnOpen::Migrate).unwrap();
        let pings = |db: &Database| {
            db.run_blocking(|conn| {
                let watch =
                    conn.instrumentation().downcast_ref::<ErrorWatch>().expect("every connection is watched");
                Ok::<_, StorageError>(watch.pings)
            })
            .unwrap()
        };
        for _ in 0..5 {
            db.run_blocking(|conn| {
                conn.batch_execute("SELECT 1 FROM incidents LIMIT 1").map_err(StorageError::from)
            })
            .unwrap();
        }
        assert_eq!(pings(&db), 0, "no validation while nothing failed");
        let failed = db.run_blocking(|conn| {
            conn.batch_execute("SELECT * FROM no_such_table").map_err(StorageError::from)
        });
        assert!(failed.is_err());
        assert_eq!(pings(&db), 1, "validated once after the error");
        assert_eq!(pings(&db), 1, "and not again");
        // A unique violation is an answer of a working connection: no validation.
        db.run_blocking(|conn| {
            conn.batch_execute("CREATE TABLE once (k INTEGER PRIMARY KEY); INSERT INTO once VALUES (1);")
                .map_err(StorageError::from)
        })
        .unwrap();
        let dup = db.run_blocking(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query("INSERT INTO once VALUES (1)").execute(conn).map_err(StorageError::from)
        });
        assert!(matches!(dup, Err(StorageError::Conflict(_))), "{dup:?}");
        assert_eq!(pings(&db), 1);
    }

    #[test]
    fn postgres_urls_are_not_printed() {
        let url = DatabaseUrl::parse("postgres://u:hunter2@h/d").unwrap();
        assert!(!format!("{url:?}").contains("hunter2"));
    }
}
