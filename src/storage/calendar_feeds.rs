//! Personal deadline-calendar feeds (table `calendar_feeds`): a user has at most one live feed,
//! reached by a secret URL of which only the digest is kept. Making a new feed revokes the old one;
//! both steps are in the audit trail (never the secret).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::audit_log;
use super::backend::AnyConnection;
use super::directory::directory_event;
use super::error::StorageError;
use super::rows::UserRow;
use super::schema::{calendar_feeds, users};
use super::{from_db, to_db};
use crate::domain::directory::User;
use crate::domain::ids::UserId;
use crate::domain::locale::Locale;
use crate::domain::tenant::Principal;

/// Revokes the user's live feed, if any, and stores a new one with the secret's `digest`.
pub fn replace(
    conn: &mut AnyConnection,
    user: &User,
    digest: &str,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        let revoked = revoke_live(tx, &user.id, now)?;
        diesel::insert_into(calendar_feeds::table)
            .values((
                calendar_feeds::token_digest.eq(digest),
                calendar_feeds::user_id.eq(user.id.as_str()),
                calendar_feeds::created_at.eq(to_db(now)),
            ))
            .execute(tx)?;
        let detail = json!({ "email": user.email, "replaced": revoked > 0 });
        audit.append(directory_event(&user.email, user.client_id.as_ref(), "calendar.create", detail, now));
        Ok(())
    })
}

/// Revokes the user's live feed; whether there was one.
pub fn revoke(conn: &mut AnyConnection, user: &User, now: DateTime<Utc>) -> Result<bool, StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        let revoked = revoke_live(tx, &user.id, now)?;
        if revoked > 0 {
            let detail = json!({ "email": user.email });
            audit.append(directory_event(
                &user.email,
                user.client_id.as_ref(),
                "calendar.revoke",
                detail,
                now,
            ));
        }
        Ok(revoked > 0)
    })
}

fn revoke_live(
    conn: &mut AnyConnection,
    user_id: &UserId,
    now: DateTime<Utc>,
) -> Result<usize, StorageError> {
    Ok(diesel::update(
        calendar_feeds::table
            .filter(calendar_feeds::user_id.eq(user_id.as_str()))
            .filter(calendar_feeds::revoked_at.is_null()),
    )
    .set(calendar_feeds::revoked_at.eq(Some(to_db(now))))
    .execute(conn)?)
}

/// When the user's live feed was made, if the user has one.
pub fn live_since(conn: &mut AnyConnection, user_id: &UserId) -> Result<Option<DateTime<Utc>>, StorageError> {
    let created: Option<NaiveDateTime> = calendar_feeds::table
        .filter(calendar_feeds::user_id.eq(user_id.as_str()))
        .filter(calendar_feeds::revoked_at.is_null())
        .select(calendar_feeds::created_at)
        .get_result(conn)
        .optional()?;
    Ok(created.map(from_db))
}

/// The principal whose live feed has this digest, with the user's language choice, if the user is
/// active.
pub fn principal_by_digest(
    conn: &mut AnyConnection,
    digest: &str,
) -> Result<Option<(Principal, Option<Locale>)>, StorageError> {
    let found: Option<UserRow> = calendar_feeds::table
        .inner_join(users::table)
        .filter(calendar_feeds::token_digest.eq(digest))
        .filter(calendar_feeds::revoked_at.is_null())
        .filter(users::active.eq(true))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?;
    let Some(row) = found else { return Ok(None) };
    let user = User::try_from(row)?;
    let locale = user.locale;
    Ok(Some((
        Principal { user_id: user.id, email: user.email, role: user.role, client_id: user.client_id },
        locale,
    )))
}
