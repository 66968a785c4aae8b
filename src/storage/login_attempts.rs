//! Login attempts, per bucket (an (account, address) pair, an account digest, a client address),
//! for rate limits that hold across requests, workers and replicas. An attempt is recorded before
//! its password is verified and removed again when it succeeds, so every recorded row is a failed
//! or still running guess (`app::login`). Also notices: a row that says the account holder was
//! told of a lock.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::backend::AnyConnection;
use super::error::StorageError;
use super::schema::login_attempts;
use super::{from_db, new_id, to_db};
use crate::domain::login_limits::Failures;

/// The advisory lock key of login reservations on PostgreSQL (any constant; "art33" in ASCII).
const LOGIN_LOCK_KEY: i64 = 0x61_7274_3333;

/// Serialises the login checks until the transaction ends, so that counting and recording an
/// attempt is one step whatever the concurrency: on PostgreSQL a transaction-scoped advisory lock;
/// on SQLite the caller's write transaction (`audit_log::write_tx` takes the write lock first)
/// already holds the database's write lock.
pub fn lock(conn: &mut AnyConnection) -> Result<(), StorageError> {
    if let AnyConnection::Postgresql(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(LOGIN_LOCK_KEY)
            .execute(pg)?;
    }
    Ok(())
}

/// Records an attempt (or a notice) in `bucket`; its row id.
pub fn record(conn: &mut AnyConnection, bucket: &str, now: DateTime<Utc>) -> Result<String, StorageError> {
    let id = new_id();
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::id.eq(&id),
            login_attempts::bucket.eq(bucket),
            login_attempts::at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The attempts in `bucket` since `since`: how many, the oldest, the latest.
pub fn failures(
    conn: &mut AnyConnection,
    bucket: &str,
    since: DateTime<Utc>,
) -> Result<Failures, StorageError> {
    let times: Vec<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::bucket.eq(bucket))
        .filter(login_attempts::at.ge(to_db(since)))
        .select(login_attempts::at)
        .load(conn)?;
    Ok(Failures {
        count: i64::try_from(times.len()).unwrap_or(i64::MAX),
        oldest: times.iter().min().copied().map(from_db),
        latest: times.iter().max().copied().map(from_db),
    })
}

/// Attempts in `bucket` since `since`.
pub fn count(conn: &mut AnyConnection, bucket: &str, since: DateTime<Utc>) -> Result<i64, StorageError> {
    Ok(login_attempts::table
        .filter(login_attempts::bucket.eq(bucket))
        .filter(login_attempts::at.ge(to_db(since)))
        .count()
        .get_result(conn)?)
}

/// Removes the attempts with these row ids (a login that succeeded).
pub fn forget(conn: &mut AnyConnection, ids: &[String]) -> Result<(), StorageError> {
    diesel::delete(login_attempts::table.filter(login_attempts::id.eq_any(ids))).execute(conn)?;
    Ok(())
}

/// Forgets the attempts of `bucket` (after a successful login).
pub fn clear(conn: &mut AnyConnection, bucket: &str) -> Result<(), StorageError> {
    diesel::delete(login_attempts::table.filter(login_attempts::bucket.eq(bucket))).execute(conn)?;
    Ok(())
}

/// Forgets attempts older than `before` (housekeeping).
pub fn prune(conn: &mut AnyConnection, before: DateTime<Utc>) -> Result<usize, StorageError> {
    Ok(diesel::delete(login_attempts::table.filter(login_attempts::at.lt(to_db(before)))).execute(conn)?)
}
