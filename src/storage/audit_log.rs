//! The audit chain in the database: a locked head row serialises appends across requests and
//! replicas; every change appends in the same transaction as the change itself.

use diesel::prelude::*;

use chrono::{DateTime, Utc};

use super::backend::{AnyConnection, Backend};
use super::error::StorageError;
use super::from_db;
use super::rows::AuditRow;
use super::schema::{audit_events, audit_head};
use crate::domain::audit::{self, AuditEvent, ChainBreak, ChainedEvent, Verifier};
use crate::domain::ids::IncidentId;

/// The chain head: the last sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The last sequence number.
    pub seq: i64,
    /// The last hash.
    pub hash: String,
}

/// The audit events a write transaction appends. They are chained and stored by [`write_tx`] just
/// before it commits, so that the head row is locked for as short a time as possible.
#[derive(Debug, Default)]
pub struct Appender {
    events: Vec<AuditEvent>,
}

impl Appender {
    /// Appends `event`; it commits with the transaction's other changes or not at all.
    pub fn append(&mut self, event: AuditEvent) {
        self.events.push(event);
    }
}

/// Events per INSERT statement: a dozen parameters each, well inside both engines' limits.
const EVENTS_PER_INSERT: usize = 200;

/// Locks the head row until the transaction ends and reads it, in one statement: on PostgreSQL
/// `SELECT … FOR NO KEY UPDATE` (a row lock, no new row version); on SQLite a no-op `UPDATE … RETURNING`,
/// which takes the database's write lock.
fn lock_head(conn: &mut AnyConnection) -> Result<Head, StorageError> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        seq: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        hash: String,
    }
    let locked: Vec<Locked> = match conn {
        AnyConnection::Postgresql(pg) => {
            diesel::sql_query("SELECT seq, hash FROM audit_head WHERE id = 1 FOR NO KEY UPDATE").load(pg)?
        }
        AnyConnection::Sqlite(lite) => {
            diesel::sql_query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
                .load(lite)?
        }
    };
    let Some(Locked { seq, hash }) = locked.into_iter().next() else {
        return Err(StorageError::Corrupt("the audit head row is missing".into()));
    };
    Ok(Head { seq, hash })
}

/// On SQLite, the audited writers of one database in this process take turns here before they ask
/// for the database's write lock. SQLite makes a writer that finds the lock taken sleep and retry,
/// for up to 100 ms a time and longer after each miss, so under a burst the unlucky ones waited
/// most of a second behind writers that came later; a turn is handed on as soon as it is free.
/// Writers of other processes still meet SQLite's lock and its retries.
#[derive(Debug)]
pub(crate) struct WriterTurns {
    taken: std::sync::Mutex<bool>,
    free: std::sync::Condvar,
    /// How long a writer waits for its turn before the request answers 503 (the database's connect
    /// timeout): a queue that does not move is an unavailable database, not a request that hangs.
    wait: std::time::Duration,
}

impl WriterTurns {
    /// Turns of one database, waited for at most `wait`.
    pub(crate) fn new(wait: std::time::Duration) -> Self {
        Self { taken: std::sync::Mutex::new(false), free: std::sync::Condvar::new(), wait }
    }
}

thread_local! {
    /// The turns of the database whose connection this thread is using (set by `Database::run`).
    static WRITER_TURNS: std::cell::RefCell<Option<std::sync::Arc<WriterTurns>>> =
        const { std::cell::RefCell::new(None) };
    /// Whether this thread holds the turn: a write transaction inside another takes no new turn.
    static HOLDS_SQLITE_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with `turns` as this thread's writer turns (none: writers meet SQLite's lock alone).
pub(crate) fn with_writer_turns<T>(turns: Option<&std::sync::Arc<WriterTurns>>, f: impl FnOnce() -> T) -> T {
    let previous = WRITER_TURNS.with(|current| current.replace(turns.cloned()));
    let result = f();
    WRITER_TURNS.with(|current| *current.borrow_mut() = previous);
    result
}

/// This thread's turn, given back on drop.
struct WriterTurn {
    turns: std::sync::Arc<WriterTurns>,
}

impl WriterTurn {
    /// Waits for the turn; `None` when this thread has it already or the database has no turns;
    /// unavailable when the turn did not come within the wait.
    fn take() -> Result<Option<Self>, StorageError> {
        if HOLDS_SQLITE_WRITER.get() {
            return Ok(None);
        }
        let Some(turns) = WRITER_TURNS.with(|current| current.borrow().clone()) else { return Ok(None) };
        {
            let taken = turns.taken.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let (mut taken, _) = turns
                .free
                .wait_timeout_while(taken, turns.wait, |taken| *taken)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if *taken {
                return Err(StorageError::Unavailable(format!(
                    "the database is busy: no turn to write within {} ms",
                    turns.wait.as_millis()
                )));
            }
            *taken = true;
        }
        HOLDS_SQLITE_WRITER.set(true);
        Ok(Some(Self { turns }))
    }
}

impl Drop for WriterTurn {
    fn drop(&mut self) {
        *self.turns.taken.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = false;
        HOLDS_SQLITE_WRITER.set(false);
        self.turns.free.notify_one();
    }
}

/// Runs `f` in a transaction; the audit events it appends are chained and stored in the same
/// transaction, so the change and its record commit together or not at all.
///
/// Appends are serialised by the head row's lock, held until commit. On SQLite the lock is taken
/// first: it is the database's write lock, and taking it before any read avoids a failing lock
/// upgrade. On PostgreSQL it is taken last, so that only the chaining itself is serialised across
/// requests and replicas; commands that read then write one row lock that row first (see
/// `incidents`), the lifecycle's optimistic version check backing them up.
pub fn write_tx<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection, &mut Appender) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StorageError> + From<diesel::result::Error>,
{
    in_tx(conn, f, false).map(|(result, _)| result)
}

/// [`write_tx`], also returning the chain head as it stands after the transaction's events.
pub fn write_tx_with_head<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection, &mut Appender) -> Result<T, E>,
) -> Result<(T, Head), E>
where
    E: From<StorageError> + From<diesel::result::Error>,
{
    let (result, head) = in_tx(conn, f, true)?;
    let head = head.ok_or_else(|| StorageError::Corrupt("the audit head was not read".into()))?;
    Ok((result, head))
}

/// The work of [`write_tx`]. The head comes back when it was locked (SQLite, or events written) or
/// `want_head` asks for it to be read.
fn in_tx<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection, &mut Appender) -> Result<T, E>,
    want_head: bool,
) -> Result<(T, Option<Head>), E>
where
    E: From<StorageError> + From<diesel::result::Error>,
{
    let _turn = match conn.backend() {
        Backend::Sqlite => WriterTurn::take()?,
        Backend::Postgres => None,
    };
    conn.transaction(|tx| {
        let early = match tx.backend() {
            Backend::Sqlite => Some(lock_head(tx)?),
            Backend::Postgres => None,
        };
        let mut appender = Appender::default();
        let result = f(tx, &mut appender)?;
        if appender.events.is_empty() {
            let head = match early {
                None if want_head => Some(head(tx)?),
                early => early,
            };
            return Ok((result, head));
        }
        let mut head = match early {
            Some(head) => head,
            None => lock_head(tx)?,
        };
        let locked_seq = head.seq;
        // Along the chain time never runs backwards: a writer that read its clock before another
        // one that appended first, or a wall clock stepped back, takes the instant of the event
        // before it.
        let mut floor: Option<DateTime<Utc>> = audit_events::table
            .find(head.seq)
            .select(audit_events::at)
            .get_result::<chrono::NaiveDateTime>(tx)
            .optional()
            .map_err(StorageError::from)?
            .map(from_db);
        let mut rows = Vec::with_capacity(appender.events.len());
        for mut event in appender.events {
            if let Some(floor) = floor {
                event.at = event.at.max(floor);
            }
            floor = Some(event.at);
            let chained = audit::chain(head.seq, &head.hash, event);
            rows.push(AuditRow::from_chained(&chained)?);
            head = Head { seq: chained.seq, hash: chained.hash };
        }
        // Multi-row statements: a tick appends hundreds of events in one transaction.
        for chunk in rows.chunks(EVENTS_PER_INSERT) {
            on_backend!(&mut *tx, |c| diesel::insert_into(audit_events::table)
                .values(chunk.to_vec())
                .execute(c))
            .map_err(StorageError::from)?;
        }
        // Written once per transaction, not per event: on PostgreSQL every update of one row
        // inside a transaction lengthens the chain of versions the next update walks.
        let moved = diesel::update(audit_head::table.find(1).filter(audit_head::seq.eq(locked_seq)))
            .set((audit_head::seq.eq(head.seq), audit_head::hash.eq(&head.hash)))
            .execute(tx)
            .map_err(StorageError::from)?;
        if moved != 1 {
            return Err(StorageError::Corrupt("the audit head moved while it was locked".into()).into());
        }
        Ok((result, Some(head)))
    })
}

/// The events of one incident, oldest first: those after `after_seq`, at most `at_most` of them.
pub fn for_incident(
    conn: &mut AnyConnection,
    incident_id: &IncidentId,
    after_seq: Option<i64>,
    at_most: Option<usize>,
) -> Result<Vec<ChainedEvent>, StorageError> {
    let query = audit_events::table
        .filter(audit_events::incident_id.eq(incident_id.as_str()))
        .filter(audit_events::seq.gt(after_seq.unwrap_or(i64::MIN)))
        .order(audit_events::seq.asc())
        .select(AuditRow::as_select());
    // Not boxed: the whole timeline (the incident page) is then prepared once per connection.
    let rows: Vec<AuditRow> = match at_most {
        None => query.load(conn)?,
        Some(n) => query.limit(i64::try_from(n).unwrap_or(i64::MAX)).load(conn)?,
    };
    Ok(rows.into_iter().map(AuditRow::into_chained).collect())
}

/// The current head (unlocked).
pub fn head(conn: &mut AnyConnection) -> Result<Head, StorageError> {
    let (seq, hash) =
        audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).get_result(conn)?;
    Ok(Head { seq, hash })
}

/// Events read per query while verifying.
const VERIFY_BATCH: i64 = 5_000;

/// Recomputes the whole chain in batches; `Ok(Ok(n))` when all `n` events verify.
pub fn verify(conn: &mut AnyConnection) -> Result<Result<i64, ChainBreak>, StorageError> {
    let mut verifier = Verifier::default();
    let mut after = 0_i64;
    loop {
        let batch: Vec<AuditRow> = audit_events::table
            .filter(audit_events::seq.gt(after))
            .order(audit_events::seq.asc())
            .limit(VERIFY_BATCH)
            .select(AuditRow::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        for row in batch {
            if let Err(broken) = verifier.feed(&row.into_chained()) {
                return Ok(Err(broken));
            }
        }
    }
    let head = head(conn)?;
    Ok(verifier.finish(head.seq, &head.hash))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::storage::{Database, DatabaseUrl, OnOpen};

    /// A write transaction run inside another on the same thread (a savepoint) takes no second turn
    /// at the process's SQLite writer lock: it would wait for itself forever.
    #[test]
    fn a_write_transaction_inside_another_does_not_wait_for_itself() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("art33.db"));
        let (db, _) = Database::open_url(&url, 2, Duration::from_secs(5), OnOpen::Migrate).unwrap();
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let outcome =
                db.run_blocking(|conn| write_tx(conn, |tx, _| write_tx(tx, |_, _| Ok::<_, StorageError>(7))));
            done.send((outcome, HOLDS_SQLITE_WRITER.get())).unwrap();
        });
        let (outcome, still_held) = finished
            .recv_timeout(Duration::from_secs(30))
            .expect("the inner transaction waited for the outer");
        assert_eq!(outcome.unwrap(), 7);
        assert!(!still_held, "the turn is given back");
    }

    /// A writer that cannot get its turn within the wait is told the database is unavailable (503),
    /// instead of queueing for as long as the writer before it takes.
    #[test]
    fn a_writer_waits_for_its_turn_at_most_the_connect_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("art33.db"));
        let (db, _) = Database::open_url(&url, 2, Duration::from_millis(300), OnOpen::Migrate).unwrap();
        let (started, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
        let holder = {
            let db = db.clone();
            let (started, release) = (started.0, release.1);
            std::thread::spawn(move || {
                db.run_blocking(|conn| {
                    write_tx(conn, |_, _| {
                        started.send(()).unwrap();
                        release.recv().unwrap();
                        Ok::<_, StorageError>(())
                    })
                })
            })
        };
        started.1.recv().unwrap();
        let waited = std::time::Instant::now();
        let refused = db.run_blocking(|conn| write_tx(conn, |_, _| Ok::<_, StorageError>(())));
        assert!(matches!(refused, Err(StorageError::Unavailable(_))), "{refused:?}");
        assert!(waited.elapsed() < Duration::from_secs(10));
        release.0.send(()).unwrap();
        holder.join().unwrap().unwrap();
        db.run_blocking(|conn| write_tx(conn, |_, _| Ok::<_, StorageError>(()))).expect("the turn came back");
    }
}
