//! Browser sessions, kept server-side: the cookie holds a random secret, the table only its
//! digest, so a logout (or an admin) ends a session for good.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::backend::AnyConnection;
use super::error::StorageError;
use super::fixed::WrittenOnceDsl;
use super::rows::{ClientRow, UserRow};
use super::schema::{clients, sessions, users};
use super::{from_db, to_db};
use crate::crypto;
use crate::domain::directory::{Client, User};
use crate::domain::ids::UserId;
use crate::domain::locale::Locale;
use crate::domain::tenant::Principal;

/// How long a session lives without use.
pub const IDLE: Duration = Duration::hours(12);
/// How long a session lives at most.
pub const ABSOLUTE: Duration = Duration::days(7);

/// A new session: the cookie value (shown once) and its CSRF token.
#[derive(Clone)]
pub struct NewSession {
    /// The cookie value.
    pub secret: String,
    /// The token every form of this session carries.
    pub csrf: String,
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who.
    pub principal: Principal,
    /// The user's language choice.
    pub locale: Option<Locale>,
    /// The session's CSRF token.
    pub csrf: String,
    /// The digest identifying the session row.
    pub digest: String,
}

/// Starts a session for `user_id`.
pub fn create(
    conn: &mut AnyConnection,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<NewSession, StorageError> {
    let secret = crypto::random_token(32);
    let csrf = crypto::random_token(32);
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_digest.eq(crypto::sha256_hex(&secret)),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(&csrf),
            sessions::created_at.eq(to_db(now)),
            sessions::last_seen_at.eq(to_db(now)),
            sessions::expires_at.eq(to_db(now + ABSOLUTE)),
        ))
        .execute(conn)?;
    Ok(NewSession { secret, csrf })
}

/// The session whose cookie value is `secret`, if live, with its user's client (when the user
/// belongs to one); refreshes its idle timer (at most once a minute) and removes it when expired.
/// The client comes in the same statement: every page needs it (its language), and each statement
/// is a round trip.
pub fn lookup(
    conn: &mut AnyConnection,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Session, Option<Client>)>, StorageError> {
    let digest = crypto::sha256_hex(secret);
    type Found = (String, NaiveDateTime, NaiveDateTime, UserRow, Option<ClientRow>);
    let found: Option<Found> = sessions::table
        .inner_join(users::table.left_join(clients::table))
        .filter(sessions::id_digest.eq(&digest))
        .select((
            sessions::csrf_token,
            sessions::last_seen_at,
            sessions::expires_at,
            UserRow::as_select(),
            Option::<ClientRow>::as_select(),
        ))
        .written_once()
        .get_result(conn)
        .optional()?;
    let Some((csrf, last_seen, expires, user, client)) = found else { return Ok(None) };
    let last_seen = from_db(last_seen);
    if !user.active || now >= from_db(expires) || now - last_seen >= IDLE {
        delete(conn, &digest)?;
        return Ok(None);
    }
    if now - last_seen >= Duration::minutes(1) {
        diesel::update(sessions::table.find(&digest))
            .set(sessions::last_seen_at.eq(to_db(now)))
            .execute(conn)?;
    }
    let user = User::try_from(user)?;
    let client = client.map(Client::try_from).transpose()?;
    let session = Session {
        principal: Principal {
            user_id: user.id,
            email: user.email,
            role: user.role,
            client_id: user.client_id,
        },
        locale: user.locale,
        csrf,
        digest,
    };
    Ok(Some((session, client)))
}

/// Ends the session with this digest.
pub fn delete(conn: &mut AnyConnection, digest: &str) -> Result<(), StorageError> {
    diesel::delete(sessions::table.find(digest)).execute(conn)?;
    Ok(())
}

/// Ends the session whose cookie value is `secret`.
pub fn delete_by_secret(conn: &mut AnyConnection, secret: &str) -> Result<(), StorageError> {
    delete(conn, &crypto::sha256_hex(secret))
}

/// The user and password hash for a login attempt, if the address is known and active.
pub fn credentials(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<(User, Option<String>)>, StorageError> {
    if !super::can_name_a_row(email) {
        return Ok(None);
    }
    let row: Option<UserRow> = users::table
        .filter(users::email.eq(email))
        .filter(users::active.eq(true))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?;
    row.map(|r| {
        let hash = r.password_hash.clone();
        User::try_from(r).map(|u| (u, hash))
    })
    .transpose()
}

/// Remembers a user's language choice.
pub fn set_locale(conn: &mut AnyConnection, user_id: &UserId, locale: Locale) -> Result<(), StorageError> {
    let user_id = user_id.as_str();
    diesel::update(users::table.find(user_id)).set(users::locale.eq(locale.as_str())).execute(conn)?;
    Ok(())
}
