//! The audit chain in the database: a locked head row serialises appends across requests and
//! replicas; every change appends in the same transaction as the change itself.

use diesel::prelude::*;

use super::backend::AnyConnection;
use super::error::StorageError;
use super::rows::AuditRow;
use super::schema::{audit_events, audit_head};
use crate::domain::audit::{self, AuditEvent, ChainBreak, ChainedEvent, Verifier};

/// The chain head, locked for the rest of the transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The last sequence number.
    pub seq: i64,
    /// The last hash.
    pub hash: String,
}

/// Locks the head row. Must be the first statement of a write transaction: on SQLite it takes the
/// write lock before anything is read, on PostgreSQL it holds a row lock until commit, so every
/// audited change is serialised.
pub fn lock_head(conn: &mut AnyConnection) -> Result<Head, StorageError> {
    let locked =
        diesel::update(audit_head::table.find(1)).set(audit_head::seq.eq(audit_head::seq)).execute(conn)?;
    if locked != 1 {
        return Err(StorageError::Corrupt("the audit head row is missing".into()));
    }
    let (seq, hash) =
        audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).get_result(conn)?;
    Ok(Head { seq, hash })
}

/// Runs `f` in a transaction that first locks the audit head. Everything `f` writes, and the audit
/// events it appends, commit together or not at all.
pub fn write_tx<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection, &mut Head) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StorageError> + From<diesel::result::Error>,
{
    conn.transaction(|tx| {
        let mut head = lock_head(tx)?;
        let locked_at = head.seq;
        let result = f(tx, &mut head)?;
        // The head row is written once per transaction, not per event: on PostgreSQL each update
        // of one row inside a transaction lengthens the chain of versions the next update walks.
        if head.seq != locked_at {
            diesel::update(audit_head::table.find(1))
                .set((audit_head::seq.eq(head.seq), audit_head::hash.eq(&head.hash)))
                .execute(tx)
                .map_err(StorageError::from)?;
        }
        Ok(result)
    })
}

/// Appends an event after `head` (locked by [`write_tx`]) and moves the head; [`write_tx`] stores
/// the moved head before it commits.
pub fn append(
    conn: &mut AnyConnection,
    head: &mut Head,
    event: AuditEvent,
) -> Result<ChainedEvent, StorageError> {
    let chained = audit::chain(head.seq, &head.hash, event);
    diesel::insert_into(audit_events::table).values(AuditRow::from_chained(&chained)?).execute(conn)?;
    head.seq = chained.seq;
    head.hash = chained.hash.clone();
    Ok(chained)
}

/// The events of one incident, oldest first.
pub fn for_incident(conn: &mut AnyConnection, incident_id: &str) -> Result<Vec<ChainedEvent>, StorageError> {
    Ok(audit_events::table
        .filter(audit_events::incident_id.eq(incident_id))
        .order(audit_events::seq.asc())
        .select(AuditRow::as_select())
        .load(conn)?
        .into_iter()
        .map(AuditRow::into_chained)
        .collect())
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
