//! The audit chains in the database (`docs/ARCHITECTURE.md` §8): one per client plus the system
//! chain, each with a head row in `audit_heads` whose lock serialises appends to that chain across
//! requests and replicas; every change appends in the same transaction as the change itself.

use std::collections::BTreeMap;

use diesel::prelude::*;

use chrono::{DateTime, Utc};

use super::backend::{AnyConnection, Backend};
use super::error::StorageError;
use super::fixed::WrittenOnceDsl;
use super::rows::AuditRow;
use super::schema::{audit_checkpoints, audit_events, audit_heads};
use super::{from_db, to_db};
use crate::domain::audit::{self, AuditEvent, BrokenChain, ChainHead, ChainedEvent, SYSTEM_CHAIN, Verifier};
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

    /// Takes over the events of another appender (a grouped write's, once it succeeded).
    pub(crate) fn absorb(&mut self, other: Appender) {
        self.events.extend(other.events);
    }
}

/// Events per INSERT statement: a dozen parameters each, well inside both engines' limits.
const EVENTS_PER_INSERT: usize = 200;

/// The heads of chains, by chain key.
pub type Heads = BTreeMap<String, Head>;

/// On SQLite, takes the database's write lock before anything is read: a no-op `UPDATE` of the
/// system chain's head row (always there). A transaction that only read first would fail to upgrade
/// its lock when another writer came between.
fn lock_sqlite_writer(conn: &mut AnyConnection) -> Result<(), StorageError> {
    if let AnyConnection::Sqlite(lite) = conn {
        diesel::sql_query("UPDATE audit_heads SET seq = seq WHERE chain = 'system'").execute(lite)?;
    }
    Ok(())
}

/// Locks the head rows of `chains` (sorted, so that two transactions touching the same chains
/// cannot deadlock) until the transaction ends, and reads them. A chain's row is made on its first
/// append (insert-if-missing). On PostgreSQL the lock is `SELECT … FOR NO KEY UPDATE` (a row lock,
/// no new row version); on SQLite the database's write lock, taken first, already serialises.
fn lock_heads<'c>(
    conn: &mut AnyConnection,
    chains: impl IntoIterator<Item = &'c str>,
) -> Result<Heads, StorageError> {
    // In diesel's DSL, not as SQL text: prepared once per connection instead of at every append.
    fn locked(conn: &mut AnyConnection, chain: &str) -> Result<Option<Head>, StorageError> {
        let head = audit_heads::table.find(chain).select((audit_heads::seq, audit_heads::hash));
        let row: Option<(i64, String)> = match conn {
            AnyConnection::Postgresql(pg) => head.for_no_key_update().get_result(pg).optional()?,
            AnyConnection::Sqlite(lite) => head.get_result(lite).optional()?,
        };
        Ok(row.map(|(seq, hash)| Head { seq, hash }))
    }
    let mut heads = Heads::new();
    let chains: std::collections::BTreeSet<&str> = chains.into_iter().collect();
    for chain in chains {
        // The row exists but for a chain's first append: lock first, insert only when missing (two
        // first appends at once: the second insert waits for the first, then does nothing).
        let head = match locked(conn, chain)? {
            Some(head) => head,
            None => {
                let fresh = (
                    audit_heads::chain.eq(chain),
                    audit_heads::seq.eq(0_i64),
                    audit_heads::hash.eq(audit::GENESIS),
                );
                on_backend!(&mut *conn, |c| diesel::insert_into(audit_heads::table)
                    .values(fresh)
                    .on_conflict_do_nothing()
                    .execute(c))?;
                locked(conn, chain)?.ok_or_else(|| {
                    StorageError::Corrupt(format!("the head row of audit chain {chain} is missing"))
                })?
            }
        };
        heads.insert(chain.to_string(), head);
    }
    Ok(heads)
}

/// The instant of each chain's last event (`None`: the chain is empty), by chain key: the floor of
/// the time of the chain's next event.
type Floors = BTreeMap<String, Option<DateTime<Utc>>>;

/// On PostgreSQL, when a transaction appends to several chains (a tick touches a hundred clients'),
/// locks their heads and reads their last events' instants in one statement instead of two round
/// trips per chain; the rows are locked in the order of their keys, as [`lock_heads`] does. `None`
/// when this does not apply (SQLite, where a statement is a function call; a single chain, whose
/// statements are prepared once per connection) or when a head row is missing (a chain's first
/// append) or changed while it was waited for: [`lock_heads`] then locks them one by one (the
/// rows this statement locked stay locked by this transaction, so that waits for nothing).
fn lock_heads_at_once(
    conn: &mut AnyConnection,
    chains: &std::collections::BTreeSet<&str>,
) -> Result<Option<(Heads, Floors)>, StorageError> {
    use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamp};
    #[derive(QueryableByName)]
    struct LockedHead {
        #[diesel(sql_type = Text)]
        chain: String,
        #[diesel(sql_type = BigInt)]
        seq: i64,
        #[diesel(sql_type = Text)]
        hash: String,
        #[diesel(sql_type = Nullable<Timestamp>)]
        at: Option<chrono::NaiveDateTime>,
    }
    let AnyConnection::Postgresql(pg) = conn else { return Ok(None) };
    if chains.len() < 2 {
        return Ok(None);
    }
    let keys: Vec<&str> = chains.iter().copied().collect();
    let rows: Vec<LockedHead> = diesel::sql_query(
        "SELECT h.chain, h.seq, h.hash, e.at FROM audit_heads h \
         LEFT JOIN audit_events e ON e.chain = h.chain AND e.seq = h.seq \
         WHERE h.chain = ANY($1) ORDER BY h.chain FOR NO KEY UPDATE OF h",
    )
    .bind::<Array<Text>, _>(&keys)
    .load(pg)?;
    // A head that moved while this statement waited for its lock may come back without its last
    // event (the join is checked again against the new head only): it is read again one by one.
    if rows.len() != keys.len() || rows.iter().any(|r| r.seq > 0 && r.at.is_none()) {
        return Ok(None);
    }
    let mut heads = Heads::new();
    let mut floors = Floors::new();
    for row in rows {
        floors.insert(row.chain.clone(), row.at.map(from_db));
        heads.insert(row.chain, Head { seq: row.seq, hash: row.hash });
    }
    Ok(Some((heads, floors)))
}

/// On PostgreSQL, moves several chains' heads from `locked` to `moved` in one statement, each only
/// if it is still where it was locked; `false` when this does not apply (see
/// [`lock_heads_at_once`]) and the caller moves them one by one.
fn move_heads_at_once(conn: &mut AnyConnection, locked: &Heads, moved: &Heads) -> Result<bool, StorageError> {
    use diesel::sql_types::{Array, BigInt, Text};
    let AnyConnection::Postgresql(pg) = conn else { return Ok(false) };
    if moved.len() < 2 {
        return Ok(false);
    }
    let chains: Vec<&str> = moved.keys().map(String::as_str).collect();
    let from: Vec<i64> = moved.keys().map(|chain| locked.get(chain).map_or(0, |h| h.seq)).collect();
    let to: Vec<i64> = moved.values().map(|h| h.seq).collect();
    let hashes: Vec<&str> = moved.values().map(|h| h.hash.as_str()).collect();
    let updated = diesel::sql_query(
        "UPDATE audit_heads h SET seq = v.to_seq, hash = v.hash \
         FROM unnest($1, $2, $3, $4) AS v(chain, from_seq, to_seq, hash) \
         WHERE h.chain = v.chain AND h.seq = v.from_seq",
    )
    .bind::<Array<Text>, _>(&chains)
    .bind::<Array<BigInt>, _>(&from)
    .bind::<Array<BigInt>, _>(&to)
    .bind::<Array<Text>, _>(&hashes)
    .execute(pg)?;
    if updated != chains.len() {
        return Err(StorageError::Corrupt(format!(
            "{} of {} audit chain heads moved while they were locked",
            chains.len() - updated,
            chains.len()
        )));
    }
    Ok(true)
}

/// On SQLite, the audited writers of one database in this process take turns here before they ask
/// for the database's write lock. SQLite makes a writer that finds the lock taken sleep and retry,
/// for up to 100 ms a time and longer after each miss, so under a burst the unlucky ones waited
/// most of a second behind writers that came later; a turn is handed on as soon as it is free.
/// Writers of other processes still meet SQLite's lock and its retries.
///
/// The scheduler's writers (firing alerts, marking deliveries) go first: while one waits, requests
/// wait behind it. When reports arrive faster than their alerts can be fired, the requests slow down
/// instead of the alerts falling further behind: the deadline alerts are the product's promise.
#[derive(Debug)]
pub(crate) struct WriterTurns {
    state: std::sync::Mutex<TurnState>,
    free: std::sync::Condvar,
    /// How long a writer waits for its turn before the request answers 503 (the database's connect
    /// timeout): a queue that does not move is an unavailable database, not a request that hangs.
    wait: std::time::Duration,
}

/// Whether the turn is taken, and how many of the scheduler's writers wait for it.
#[derive(Debug, Default)]
struct TurnState {
    taken: bool,
    urgent_waiting: usize,
}

impl WriterTurns {
    /// Turns of one database, waited for at most `wait`.
    pub(crate) fn new(wait: std::time::Duration) -> Self {
        Self { state: std::sync::Mutex::default(), free: std::sync::Condvar::new(), wait }
    }
}

thread_local! {
    /// The turns of the database whose connection this thread is using (set by `Database::run`).
    static WRITER_TURNS: std::cell::RefCell<Option<std::sync::Arc<WriterTurns>>> =
        const { std::cell::RefCell::new(None) };
    /// Whether this thread holds the turn: a write transaction inside another takes no new turn.
    static HOLDS_SQLITE_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Whether this thread writes for the scheduler, whose turns go first.
    static URGENT_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with `turns` as this thread's writer turns (none: writers meet SQLite's lock alone);
/// `urgent`: its writes are the scheduler's and go before the requests'.
pub(crate) fn with_writer_turns<T>(
    turns: Option<&std::sync::Arc<WriterTurns>>,
    urgent: bool,
    f: impl FnOnce() -> T,
) -> T {
    let previous = WRITER_TURNS.with(|current| current.replace(turns.cloned()));
    let was_urgent = URGENT_WRITER.replace(urgent);
    let result = f();
    WRITER_TURNS.with(|current| *current.borrow_mut() = previous);
    URGENT_WRITER.set(was_urgent);
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
        let urgent = URGENT_WRITER.get();
        {
            let mut state = turns.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if urgent {
                state.urgent_waiting += 1;
            }
            let (mut state, _) = turns
                .free
                .wait_timeout_while(state, turns.wait, |s| s.taken || (!urgent && s.urgent_waiting > 0))
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if urgent {
                state.urgent_waiting -= 1;
            }
            if state.taken || (!urgent && state.urgent_waiting > 0) {
                if urgent {
                    // The requests that waited behind it may go.
                    turns.free.notify_all();
                }
                return Err(StorageError::Unavailable(format!(
                    "the database is busy: no turn to write within {} ms",
                    turns.wait.as_millis()
                )));
            }
            state.taken = true;
        }
        HOLDS_SQLITE_WRITER.set(true);
        Ok(Some(Self { turns }))
    }
}

impl Drop for WriterTurn {
    fn drop(&mut self) {
        self.turns.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner).taken = false;
        HOLDS_SQLITE_WRITER.set(false);
        // Waiters wait for different things (the scheduler's for a free turn, the requests' also for
        // no scheduler waiting): each looks again.
        self.turns.free.notify_all();
    }
}

/// Runs `f` in a transaction; the audit events it appends are chained and stored in the same
/// transaction, so the change and its record commit together or not at all.
///
/// Each event goes on its own chain (`audit::chain_of`); appends to one chain are serialised by
/// its head row's lock, held until commit, and appends to different chains never wait for each
/// other on PostgreSQL. On SQLite the database's write lock is taken first (it is one lock for
/// all chains): taking it before any read avoids a failing lock upgrade. On PostgreSQL the head
/// rows are locked last, in chain order, so that only the chaining itself is serialised; commands
/// that read then write one row lock that row first (see `incidents`), the lifecycle's optimistic
/// version check backing them up.
pub fn write_tx<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection, &mut Appender) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StorageError> + From<diesel::result::Error>,
{
    in_tx(conn, f).map(|(result, _)| result)
}

/// [`write_tx`], also returning the heads of the chains the transaction appended to, as they stand
/// after its events (a register export carries its client's chain head).
pub fn write_tx_with_heads<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection, &mut Appender) -> Result<T, E>,
) -> Result<(T, Heads), E>
where
    E: From<StorageError> + From<diesel::result::Error>,
{
    in_tx(conn, f)
}

/// The work of [`write_tx`]: the result and the heads of the chains appended to.
fn in_tx<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection, &mut Appender) -> Result<T, E>,
) -> Result<(T, Heads), E>
where
    E: From<StorageError> + From<diesel::result::Error>,
{
    let _turn = match conn.backend() {
        Backend::Sqlite => WriterTurn::take()?,
        Backend::Postgres => None,
    };
    conn.transaction(|tx| {
        lock_sqlite_writer(tx)?;
        let mut appender = Appender::default();
        let result = f(tx, &mut appender)?;
        if appender.events.is_empty() {
            return Ok((result, Heads::new()));
        }
        let chains: std::collections::BTreeSet<&str> = appender.events.iter().map(audit::chain_of).collect();
        let (locked, floors) = match lock_heads_at_once(tx, &chains)? {
            Some((locked, floors)) => (locked, floors),
            None => (lock_heads(tx, chains)?, Floors::new()),
        };
        let heads = append_locked(tx, locked.clone(), floors, appender.events)?;
        if move_heads_at_once(tx, &locked, &heads)? {
            return Ok((result, heads));
        }
        // Written once per chain and transaction, not per event: on PostgreSQL every update of one
        // row inside a transaction lengthens the chain of versions the next update walks.
        for (chain, head) in &heads {
            let locked_seq = locked.get(chain).map_or(0, |h| h.seq);
            let update = MoveHead { chain, from_seq: locked_seq, to: head };
            let moved = on_backend!(&mut *tx, |c| update.execute(c)).map_err(StorageError::from)?;
            if moved != 1 {
                return Err(StorageError::Corrupt(format!(
                    "the head of audit chain {chain} moved while it was locked"
                ))
                .into());
            }
        }
        Ok((result, heads))
    })
}

/// `UPDATE audit_heads SET seq, hash WHERE chain AND seq = from_seq`, written out with a static query
/// id: diesel prepares every `UPDATE` it builds anew at each execution (its text could vary with the
/// changeset), and this one runs with every audited write.
struct MoveHead<'a> {
    chain: &'a str,
    from_seq: i64,
    to: &'a Head,
}

impl<DB: diesel::backend::Backend> diesel::query_builder::QueryFragment<DB> for MoveHead<'_>
where
    i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
    String: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
    str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Text};
        out.push_sql("UPDATE audit_heads SET seq = ");
        out.push_bind_param::<BigInt, _>(&self.to.seq)?;
        out.push_sql(", hash = ");
        out.push_bind_param::<Text, _>(&self.to.hash)?;
        out.push_sql(" WHERE chain = ");
        out.push_bind_param::<Text, _>(self.chain)?;
        out.push_sql(" AND seq = ");
        out.push_bind_param::<BigInt, _>(&self.from_seq)
    }
}

impl diesel::query_builder::QueryId for MoveHead<'_> {
    type QueryId = MoveHead<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<Conn> RunQueryDsl<Conn> for MoveHead<'_> {}

/// Chains `events` after the locked `heads` and inserts them; returns the new heads (the head rows
/// are left to the caller).
fn append_locked(
    conn: &mut AnyConnection,
    mut heads: Heads,
    mut floors: Floors,
    events: Vec<AuditEvent>,
) -> Result<Heads, StorageError> {
    // Along each chain time never runs backwards: a writer that read its clock before another one
    // that appended first, or a wall clock stepped back, takes the instant of the event before it.
    // `floors` holds the instants already read with the heads; the others are read here.
    let mut rows = Vec::with_capacity(events.len());
    for mut event in events {
        let chain = audit::chain_of(&event).to_string();
        let head = heads
            .get(&chain)
            .cloned()
            .ok_or_else(|| StorageError::Corrupt(format!("audit chain {chain} was not locked")))?;
        let floor = match floors.get(&chain) {
            Some(floor) => *floor,
            None => audit_events::table
                .find((chain.as_str(), head.seq))
                .select(audit_events::at)
                .get_result::<chrono::NaiveDateTime>(conn)
                .optional()?
                .map(from_db),
        };
        if let Some(floor) = floor {
            event.at = event.at.max(floor);
        }
        floors.insert(chain.clone(), Some(event.at));
        let chained = audit::chain(head.seq, &head.hash, event);
        rows.push(AuditRow::from_chained(&chained)?);
        heads.insert(chain, Head { seq: chained.seq, hash: chained.hash });
    }
    // Multi-row statements: a tick appends hundreds of events in one transaction. One event (a
    // request's) is a one-row insert, which diesel prepares once per connection; a list of rows is
    // prepared at each execution.
    if let [row] = rows.as_slice() {
        on_backend!(&mut *conn, |c| diesel::insert_into(audit_events::table).values(row).execute(c))?;
        return Ok(heads);
    }
    for chunk in rows.chunks(EVENTS_PER_INSERT) {
        on_backend!(&mut *conn, |c| diesel::insert_into(audit_events::table)
            .values(chunk.to_vec())
            .execute(c))?;
    }
    Ok(heads)
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
        None => query.written_once().load(conn)?,
        Some(n) => query.limit(i64::try_from(n).unwrap_or(i64::MAX)).written_once().load(conn)?,
    };
    Ok(rows.into_iter().map(AuditRow::into_chained).collect())
}

/// The current head of `chain` (unlocked); a chain without events has head 0 and the genesis hash.
pub fn head(conn: &mut AnyConnection, chain: &str) -> Result<Head, StorageError> {
    let found = audit_heads::table
        .find(chain)
        .select((audit_heads::seq, audit_heads::hash))
        .get_result::<(i64, String)>(conn)
        .optional()?;
    Ok(found
        .map_or_else(|| Head { seq: 0, hash: audit::GENESIS.to_string() }, |(seq, hash)| Head { seq, hash }))
}

/// The number of events over all chains.
pub fn count(conn: &mut AnyConnection) -> Result<i64, StorageError> {
    Ok(audit_events::table.count().get_result(conn)?)
}

/// The events of `chain` from the first up to `up_to`, in order: what a client's register export
/// carries so that its auditor can verify the chain offline.
pub fn chain_events(
    conn: &mut AnyConnection,
    chain: &str,
    up_to: i64,
) -> Result<Vec<ChainedEvent>, StorageError> {
    let mut out = Vec::new();
    let mut after = 0_i64;
    while after < up_to {
        let batch: Vec<AuditRow> = audit_events::table
            .filter(audit_events::chain.eq(chain))
            .filter(audit_events::seq.gt(after))
            .filter(audit_events::seq.le(up_to))
            .order(audit_events::seq.asc())
            .limit(VERIFY_BATCH)
            .select(AuditRow::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        out.extend(batch.into_iter().map(AuditRow::into_chained));
    }
    Ok(out)
}

/// The last event of each incident on the chains of `heads` (chain key → head, events after the
/// head ignored): its `(seq, hash)`, by incident id.
pub fn last_events_of_incidents(
    conn: &mut AnyConnection,
    heads: &BTreeMap<String, Head>,
) -> Result<std::collections::HashMap<String, (i64, String)>, StorageError> {
    let mut last = std::collections::HashMap::new();
    for (chain, head) in heads {
        let rows: Vec<(Option<String>, i64, String)> = audit_events::table
            .filter(audit_events::chain.eq(chain))
            .filter(audit_events::seq.le(head.seq))
            .filter(audit_events::incident_id.is_not_null())
            .order(audit_events::seq.asc())
            .select((audit_events::incident_id, audit_events::seq, audit_events::hash))
            .load(conn)?;
        for (incident, seq, hash) in rows {
            if let Some(incident) = incident {
                last.insert(incident, (seq, hash));
            }
        }
    }
    Ok(last)
}

/// Events read per query while verifying.
const VERIFY_BATCH: i64 = 5_000;

/// What a verification checked: the chains and their number of events, the system chain first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verified {
    /// Chain key and number of events.
    pub chains: Vec<(String, i64)>,
}

impl Verified {
    /// The events over all chains checked.
    pub fn events(&self) -> i64 {
        self.chains.iter().map(|(_, n)| n).sum()
    }
}

/// Recomputes every chain in batches, or with `only`, the system chain and that one chain:
/// `Ok(Ok(_))` when all verify. The system chain goes first, for its checkpoints: each client
/// chain must still reach the head its latest checkpoint recorded, with the same hash, so a
/// deleted tail (with its head row rewritten, or gone) is a break too.
///
/// Everything is read in one snapshot ([`read_snapshot`]): on a live database, heads read after the
/// events would have moved past the last event read, and a sound chain would be reported broken.
pub fn verify(
    conn: &mut AnyConnection,
    only: Option<&str>,
) -> Result<Result<Verified, BrokenChain>, StorageError> {
    read_snapshot(conn, |snapshot| verify_in(snapshot, only))
}

/// Runs `reads` in a read-only transaction that sees the database as of one instant on both
/// engines: a deferred transaction on SQLite (in WAL mode its first read fixes what it sees, and
/// writers go on), `REPEATABLE READ` on PostgreSQL, where each statement of the default `READ
/// COMMITTED` would see the writes committed before it. A long one keeps SQLite's WAL from being
/// copied back past its start, and PostgreSQL's vacuum from removing rows it might still read.
pub fn read_snapshot<T>(
    conn: &mut AnyConnection,
    reads: impl FnOnce(&mut AnyConnection) -> Result<T, StorageError>,
) -> Result<T, StorageError> {
    conn.transaction(|tx| {
        if tx.backend() == Backend::Postgres {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(tx)?;
        }
        reads(tx)
    })
}

/// [`verify`]'s work, inside its snapshot.
fn verify_in(
    conn: &mut AnyConnection,
    only: Option<&str>,
) -> Result<Result<Verified, BrokenChain>, StorageError> {
    let mut checkpoints: BTreeMap<String, ChainHead> = BTreeMap::new();
    let mut verified = Verified::default();
    let system = match verify_chain(conn, SYSTEM_CHAIN, None, |event| {
        checkpoints.extend(audit::checkpointed_heads(&event.event));
    })? {
        Ok(n) => n,
        Err(broken) => return Ok(Err(broken)),
    };
    verified.chains.push((SYSTEM_CHAIN.to_string(), system));
    let chains: std::collections::BTreeSet<String> = match only {
        Some(chain) => std::iter::once(chain.to_string()).collect(),
        None => {
            let mut all: std::collections::BTreeSet<String> =
                audit_heads::table.select(audit_heads::chain).load::<String>(conn)?.into_iter().collect();
            all.extend(audit_events::table.select(audit_events::chain).distinct().load::<String>(conn)?);
            all.extend(checkpoints.keys().cloned());
            all
        }
    };
    for chain in chains.into_iter().filter(|c| c != SYSTEM_CHAIN) {
        let checkpoint = checkpoints.get(&chain).cloned();
        match verify_chain(conn, &chain, checkpoint, |_| {})? {
            Ok(n) => verified.chains.push((chain, n)),
            Err(broken) => return Ok(Err(broken)),
        }
    }
    Ok(Ok(verified))
}

/// Recomputes one chain, showing each verified event to `seen`.
fn verify_chain(
    conn: &mut AnyConnection,
    chain: &str,
    checkpoint: Option<ChainHead>,
    mut seen: impl FnMut(&ChainedEvent),
) -> Result<Result<i64, BrokenChain>, StorageError> {
    let broken = |broken| BrokenChain { chain: chain.to_string(), broken };
    let mut verifier = Verifier::new(chain).with_checkpoint(checkpoint);
    let mut after = 0_i64;
    loop {
        let batch: Vec<AuditRow> = audit_events::table
            .filter(audit_events::chain.eq(chain))
            .filter(audit_events::seq.gt(after))
            .order(audit_events::seq.asc())
            .limit(VERIFY_BATCH)
            .select(AuditRow::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        for row in batch {
            let event = row.into_chained();
            if let Err(b) = verifier.feed(&event) {
                return Ok(Err(broken(b)));
            }
            seen(&event);
        }
    }
    let head = head(conn, chain)?;
    Ok(verifier.finish(head.seq, &head.hash).map_err(broken))
}

/// How often at most the system chain records the client chains' heads (`chain.checkpoint`). A
/// tail deleted after the last checkpoint goes unnoticed, so this bounds what can be lost without
/// a trace; a checkpoint per tick would fill the system chain.
pub const CHECKPOINT_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// Appends a checkpoint to the system chain when the last one is [`CHECKPOINT_EVERY`] old (or there
/// is none) and some client chain moved since: it records the head of each chain that moved.
/// Returns the number of chains recorded (0: no checkpoint).
pub fn checkpoint_if_due(conn: &mut AnyConnection, now: DateTime<Utc>) -> Result<usize, StorageError> {
    // Looked at first without a write transaction: on SQLite that would take the write lock every tick.
    if due_heads(conn, now)?.is_empty() {
        return Ok(0);
    }
    write_tx(conn, |tx, audit| {
        let moved = due_heads(tx, now)?;
        if moved.is_empty() {
            return Ok(0);
        }
        for (chain, head) in &moved {
            let row = (
                audit_checkpoints::chain.eq(chain),
                audit_checkpoints::seq.eq(head.seq),
                audit_checkpoints::hash.eq(&head.hash),
            );
            on_backend!(&mut *tx, |c| diesel::insert_into(audit_checkpoints::table)
                .values(row)
                .on_conflict(audit_checkpoints::chain)
                .do_update()
                .set((audit_checkpoints::seq.eq(head.seq), audit_checkpoints::hash.eq(&head.hash)))
                .execute(c))?;
        }
        audit.append(audit::checkpoint_event(&moved, now));
        Ok::<_, StorageError>(moved.len())
    })
}

/// The heads of the client chains that moved since the last checkpoint, when a checkpoint is due
/// at `now`; empty when not.
fn due_heads(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<BTreeMap<String, ChainHead>, StorageError> {
    // Time never runs backwards along a chain: the latest checkpoint has the greatest instant.
    let last: Option<chrono::NaiveDateTime> = audit_events::table
        .filter(audit_events::event_type.eq(audit::CHECKPOINT))
        .filter(audit_events::chain.eq(SYSTEM_CHAIN))
        .select(diesel::dsl::max(audit_events::at))
        .get_result(conn)?;
    if last.is_some_and(|at| now < from_db(at) + CHECKPOINT_EVERY) {
        return Ok(BTreeMap::new());
    }
    let heads: Vec<(String, i64, String)> = audit_heads::table
        .filter(audit_heads::chain.ne(SYSTEM_CHAIN))
        .select((audit_heads::chain, audit_heads::seq, audit_heads::hash))
        .load(conn)?;
    let recorded: BTreeMap<String, i64> = audit_checkpoints::table
        .select((audit_checkpoints::chain, audit_checkpoints::seq))
        .load(conn)?
        .into_iter()
        .collect();
    Ok(heads
        .into_iter()
        .filter(|(chain, seq, _)| *seq > 0 && recorded.get(chain) != Some(seq))
        .map(|(chain, seq, hash)| (chain, ChainHead { seq, hash }))
        .collect())
}

/// The tables of the single chain of the earlier versions, renamed by the migration `audit_chains`.
#[allow(missing_docs, reason = "diesel's table macro makes a type per column")]
mod v1_tables {
    diesel::table! {
        /// The single chain of the earlier versions, renamed by the migration `audit_chains`.
        audit_events_v1 (seq) {
            seq -> BigInt,
            at -> Timestamp,
            actor -> Text,
            client_id -> Nullable<Text>,
            incident_id -> Nullable<Text>,
            event_type -> Text,
            detail -> Text,
            prev_hash -> Text,
            hash -> Text,
        }
    }

    diesel::table! {
        /// Its head row.
        audit_head_v1 (id) {
            id -> Integer,
            seq -> BigInt,
            hash -> Text,
        }
    }

    diesel::table! {
        /// The same table before that migration (for tests that build such a database).
        #[sql_name = "audit_events"]
        previous_events (seq) {
            seq -> BigInt,
            at -> Timestamp,
            actor -> Text,
            client_id -> Nullable<Text>,
            incident_id -> Nullable<Text>,
            event_type -> Text,
            detail -> Text,
            prev_hash -> Text,
            hash -> Text,
        }
    }

    diesel::table! {
        /// Its head row before that migration.
        #[sql_name = "audit_head"]
        previous_head (id) {
            id -> Integer,
            seq -> BigInt,
            hash -> Text,
        }
    }
}

use v1_tables::{audit_events_v1, audit_head_v1, previous_events, previous_head};

/// Whether the old single chain still waits to be re-chained.
pub fn has_v1_chain(conn: &mut AnyConnection) -> Result<bool, StorageError> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let found: Found = match conn {
        AnyConnection::Postgresql(pg) => diesel::sql_query(
            "SELECT count(*) AS n FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'audit_events_v1'",
        )
        .get_result(pg)?,
        AnyConnection::Sqlite(lite) => {
            diesel::sql_query("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'audit_events_v1'")
                .get_result(lite)?
        }
    };
    Ok(found.n > 0)
}

/// What re-chaining the old single chain did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rechained {
    /// The old chain's head.
    pub old_head: Head,
    /// The chains made, with their heads (the system chain's includes the `audit.rechained` event).
    pub heads: Heads,
}

/// Re-chains the single chain of the earlier versions per client, in one transaction, after the
/// migration `audit_chains` kept it as `audit_events_v1`: verifies it first (a broken one is refused,
/// naming the event, and stays where it is), appends every event in `seq` order to its chain, records
/// the old head and the number of events on the system chain (`audit.rechained`, stamped with the
/// old chain's last instant: the migration has no clock, and nothing happened after that instant),
/// and drops the old tables. `None` when there was nothing to do.
pub fn rechain_v1(conn: &mut AnyConnection) -> Result<Option<Rechained>, StorageError> {
    if !has_v1_chain(conn)? {
        return Ok(None);
    }
    conn.transaction(|tx| {
        lock_sqlite_writer(tx)?;
        // Another process may have done it while this one waited for the lock.
        if !has_v1_chain(tx)? {
            return Ok(None);
        }
        let (old_seq, old_hash) =
            audit_head_v1::table.find(1).select((audit_head_v1::seq, audit_head_v1::hash)).get_result::<(i64, String)>(tx)?;
        let mut heads = lock_heads(tx, [SYSTEM_CHAIN])?;
        let mut old = audit::v1::Verifier::default();
        let mut last_at = None;
        let mut after = 0_i64;
        loop {
            type V1 = (i64, chrono::NaiveDateTime, String, Option<String>, Option<String>, String, String, String, String);
            let batch: Vec<V1> = audit_events_v1::table.filter(audit_events_v1::seq.gt(after)).order(audit_events_v1::seq.asc()).limit(VERIFY_BATCH).load(tx)?;
            let Some(last) = batch.last() else { break };
            after = last.0;
            let mut events = Vec::with_capacity(batch.len());
            for (seq, at, actor, client_id, incident_id, event_type, detail, prev_hash, hash) in batch {
                let detail = serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail));
                let event = AuditEvent { at: from_db(at), actor, client_id, incident_id, event_type, detail };
                old.feed(seq, &event, &prev_hash, &hash).map_err(|seq| StorageError::Corrupt(format!(
                    "the audit chain of the previous version is broken at event {seq}: it is not re-chained; \
                     restore the database from a backup, or keep running the previous version"
                )))?;
                last_at = Some(event.at);
                events.push(event);
            }
            for chain in events.iter().map(audit::chain_of) {
                if !heads.contains_key(chain) {
                    heads.extend(lock_heads(tx, [chain])?);
                }
            }
            heads = append_locked(tx, heads, Floors::new(), events)?;
        }
        if old.head() != (old_seq, old_hash.as_str()) {
            return Err(StorageError::Corrupt(format!(
                "the audit chain of the previous version is broken: its head names event {old_seq}, its last event is {}",
                old.head().0
            )));
        }
        if let Some(at) = last_at {
            let detail = serde_json::json!({ "old_head": { "seq": old_seq, "hash": old_hash }, "events": old_seq });
            let event = AuditEvent { at, actor: "system".into(), client_id: None, incident_id: None, event_type: audit::RECHAINED.into(), detail };
            heads = append_locked(tx, heads, Floors::new(), vec![event])?;
        }
        for (chain, head) in &heads {
            diesel::update(audit_heads::table.find(chain.as_str()))
                .set((audit_heads::seq.eq(head.seq), audit_heads::hash.eq(&head.hash)))
                .execute(tx)?;
        }
        diesel::sql_query("DROP TABLE audit_events_v1").execute(tx)?;
        diesel::sql_query("DROP TABLE audit_head_v1").execute(tx)?;
        Ok(Some(Rechained { old_head: Head { seq: old_seq, hash: old_hash }, heads }))
    })
}

/// Appends `events` as the versions before per-client chains did, to one global chain, on a
/// database at the migration before `audit_chains`: for the tests of the re-chaining, which build
/// such a database.
#[doc(hidden)]
pub fn append_v1_for_tests(conn: &mut AnyConnection, events: Vec<AuditEvent>) -> Result<Head, StorageError> {
    conn.transaction(|tx| {
        let (mut seq, mut hash) = previous_head::table
            .find(1)
            .select((previous_head::seq, previous_head::hash))
            .get_result::<(i64, String)>(tx)?;
        for event in events {
            seq += 1;
            let next = audit::v1::chain_hash(&hash, seq, &event);
            let row = (
                previous_events::seq.eq(seq),
                previous_events::at.eq(to_db(event.at)),
                previous_events::actor.eq(&event.actor),
                previous_events::client_id.eq(&event.client_id),
                previous_events::incident_id.eq(&event.incident_id),
                previous_events::event_type.eq(&event.event_type),
                previous_events::detail.eq(serde_json::to_string(&event.detail)?),
                previous_events::prev_hash.eq(&hash),
                previous_events::hash.eq(&next),
            );
            on_backend!(&mut *tx, |c| diesel::insert_into(previous_events::table).values(row).execute(c))?;
            hash = next;
        }
        diesel::update(previous_head::table.find(1))
            .set((previous_head::seq.eq(seq), previous_head::hash.eq(&hash)))
            .execute(tx)?;
        Ok(Head { seq, hash })
    })
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

    /// A thread that holds the writer turn (in a write transaction) until told to let go.
    fn hold_the_turn(
        db: &Database,
    ) -> (std::thread::JoinHandle<Result<(), StorageError>>, std::sync::mpsc::Sender<()>) {
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
        (holder, release.0)
    }

    /// The scheduler's writer goes before the requests' that wait for the turn, even one that began
    /// to wait earlier.
    #[test]
    fn the_schedulers_writer_takes_the_turn_before_a_request_that_waited_longer() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("art33.db"));
        let (db, _) = Database::open_url(&url, 4, Duration::from_secs(30), OnOpen::Migrate).unwrap();
        let turns = db.writer_turns.clone().unwrap();
        let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let writer = |db: Database, name: &'static str| {
            let order = order.clone();
            std::thread::spawn(move || {
                db.run_blocking(|conn| {
                    write_tx(conn, |_, _| {
                        order.lock().unwrap().push(name);
                        Ok::<_, StorageError>(())
                    })
                })
            })
        };
        let (holder, release) = hold_the_turn(&db);
        let request = writer(db.clone(), "request");
        let scheduler = writer(db.for_scheduler(), "scheduler");
        // Until the scheduler's writer is waiting (the request may or may not be yet: either way it
        // must let the scheduler go first).
        while turns.state.lock().unwrap().urgent_waiting == 0 {
            std::thread::yield_now();
        }
        release.send(()).unwrap();
        for thread in [holder, request, scheduler] {
            thread.join().unwrap().unwrap();
        }
        assert_eq!(*order.lock().unwrap(), ["scheduler", "request"]);
    }

    /// A writer that cannot get its turn within the wait is told the database is unavailable (503),
    /// instead of queueing for as long as the writer before it takes.
    #[test]
    fn a_writer_waits_for_its_turn_at_most_the_connect_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("art33.db"));
        let (db, _) = Database::open_url(&url, 2, Duration::from_millis(300), OnOpen::Migrate).unwrap();
        let (holder, release) = hold_the_turn(&db);
        let waited = std::time::Instant::now();
        let refused = db.run_blocking(|conn| write_tx(conn, |_, _| Ok::<_, StorageError>(())));
        assert!(matches!(refused, Err(StorageError::Unavailable(_))), "{refused:?}");
        assert!(waited.elapsed() < Duration::from_secs(10));
        release.send(()).unwrap();
        holder.join().unwrap().unwrap();
        db.run_blocking(|conn| write_tx(conn, |_, _| Ok::<_, StorageError>(()))).expect("the turn came back");
    }
}
