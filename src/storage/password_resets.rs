//! One-time password-reset links (table `password_resets`): only the digest of a link's secret is
//! kept. A link works once and until it expires; issuing a new link for a user deletes the user's
//! unused ones, so only the latest mail works. The use cases are in `app::password_reset`.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::backend::AnyConnection;
use super::error::StorageError;
use super::schema::{password_resets, sessions, users};
use super::{from_db, to_db};
use crate::domain::ids::UserId;

/// A stored link, found by its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReset {
    /// Whose password the link sets.
    pub user_id: UserId,
    /// Until when it works.
    pub expires_at: DateTime<Utc>,
    /// When it was used, if it was.
    pub used_at: Option<DateTime<Utc>>,
}

/// Stores a new link for `user_id`, deleting the user's links not used yet.
pub fn replace(
    conn: &mut AnyConnection,
    user_id: &UserId,
    digest: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StorageError> {
    diesel::delete(
        password_resets::table
            .filter(password_resets::user_id.eq(user_id.as_str()))
            .filter(password_resets::used_at.is_null()),
    )
    .execute(conn)?;
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::token_digest.eq(digest),
            password_resets::user_id.eq(user_id.as_str()),
            password_resets::created_at.eq(to_db(now)),
            password_resets::expires_at.eq(to_db(expires_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The link with this digest, if any.
pub fn find(conn: &mut AnyConnection, digest: &str) -> Result<Option<StoredReset>, StorageError> {
    let found: Option<(String, NaiveDateTime, Option<NaiveDateTime>)> = password_resets::table
        .find(digest)
        .select((password_resets::user_id, password_resets::expires_at, password_resets::used_at))
        .get_result(conn)
        .optional()?;
    Ok(found.map(|(user_id, expires_at, used_at)| StoredReset {
        user_id: UserId(user_id),
        expires_at: from_db(expires_at),
        used_at: used_at.map(from_db),
    }))
}

/// Marks the link used, if it is still unused and unexpired at `now`; whether it was. The one
/// conditional update makes two concurrent uses of one link end with exactly one winner.
pub fn consume(conn: &mut AnyConnection, digest: &str, now: DateTime<Utc>) -> Result<bool, StorageError> {
    let moved = diesel::update(
        password_resets::table
            .find(digest)
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(to_db(now))),
    )
    .set(password_resets::used_at.eq(Some(to_db(now))))
    .execute(conn)?;
    Ok(moved == 1)
}

/// Forgets the links that expired before `expired_before`, used or not (housekeeping); how many.
pub fn prune(conn: &mut AnyConnection, expired_before: DateTime<Utc>) -> Result<usize, StorageError> {
    Ok(diesel::delete(password_resets::table.filter(password_resets::expires_at.lt(to_db(expired_before))))
        .execute(conn)?)
}

/// Sets the user's password hash and ends every session of the user: whoever held the old password
/// is logged out everywhere.
pub fn set_password(conn: &mut AnyConnection, user_id: &UserId, hash: &str) -> Result<(), StorageError> {
    diesel::update(users::table.find(user_id.as_str()))
        .set(users::password_hash.eq(Some(hash)))
        .execute(conn)?;
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id.as_str()))).execute(conn)?;
    Ok(())
}
