//! Failed logins, per bucket (an account digest or a client address), for rate limits that hold
//! across replicas.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::backend::AnyConnection;
use super::error::StorageError;
use super::schema::login_attempts;
use super::{new_id, to_db};

/// Records a failed login in `bucket`.
pub fn record(conn: &mut AnyConnection, bucket: &str, now: DateTime<Utc>) -> Result<(), StorageError> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::id.eq(new_id()),
            login_attempts::bucket.eq(bucket),
            login_attempts::at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Failed logins in `bucket` since `since`.
pub fn count(conn: &mut AnyConnection, bucket: &str, since: DateTime<Utc>) -> Result<i64, StorageError> {
    Ok(login_attempts::table
        .filter(login_attempts::bucket.eq(bucket))
        .filter(login_attempts::at.ge(to_db(since)))
        .count()
        .get_result(conn)?)
}

/// Forgets the failures of `bucket` (after a successful login).
pub fn clear(conn: &mut AnyConnection, bucket: &str) -> Result<(), StorageError> {
    diesel::delete(login_attempts::table.filter(login_attempts::bucket.eq(bucket))).execute(conn)?;
    Ok(())
}

/// Forgets failures older than `before` (housekeeping).
pub fn prune(conn: &mut AnyConnection, before: DateTime<Utc>) -> Result<usize, StorageError> {
    Ok(diesel::delete(login_attempts::table.filter(login_attempts::at.lt(to_db(before)))).execute(conn)?)
}
