//! Clients, users and API tokens.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use serde_json::json;

use super::audit_log;
use super::backend::AnyConnection;
use super::error::StorageError;
use super::fixed::WrittenOnceDsl;
use super::rows::{ApiTokenRow, ClientRow, UserRow};
use super::schema::{api_tokens, clients, users};
use super::{from_db, new_id, to_db};
use crate::domain::audit::AuditEvent;
use crate::domain::directory::{self as dir, Client, ClientProfile, User};
use crate::domain::error::FieldError;
use crate::domain::ids::{ClientId, UserId};
use crate::domain::locale::Locale;
use crate::domain::tenant::{Principal, Role};

/// A validated new client.
#[derive(Debug, Clone)]
pub struct NewClient {
    /// Unique short name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// The DPO's address.
    pub dpo_email: String,
    /// The DPO's name.
    pub dpo_name: Option<String>,
    /// Escalation addresses.
    pub escalation_emails: Vec<String>,
    /// Mail language.
    pub locale: Locale,
}

impl NewClient {
    /// Checks and normalises what a person typed (CLI flags or the admin form); errors name the
    /// field by its flag name.
    pub fn validated(
        slug: &str,
        name: &str,
        dpo_email: &str,
        dpo_name: Option<&str>,
        escalation_emails: &[String],
        locale: Locale,
    ) -> Result<NewClient, FieldError> {
        let slug = slug.trim();
        dir::validate_slug(slug)?;
        Ok(NewClient {
            slug: slug.to_string(),
            name: dir::validate_name("name", name, 200)?,
            dpo_email: dir::normalize_email("dpo-email", dpo_email)?,
            dpo_name: dir::validate_optional_name("dpo-name", dpo_name, 200)?,
            escalation_emails: escalation_emails
                .iter()
                .filter(|e| !e.trim().is_empty())
                .map(|e| dir::normalize_email("escalation-email", e))
                .collect::<Result<_, _>>()?,
            locale,
        })
    }
}

/// Registers a client, recorded in the audit trail as done by `actor`. A taken slug is a
/// [`StorageError::Conflict`].
pub fn insert_client(
    conn: &mut AnyConnection,
    actor: &str,
    new: &NewClient,
    now: DateTime<Utc>,
) -> Result<Client, StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        let client = insert_client_row(tx, new, now)?;
        let detail = json!({ "slug": client.slug, "name": client.name, "locale": client.locale.as_str() });
        audit.append(directory_event(actor, Some(&client.id), "client.add", detail, now));
        Ok(client)
    })
}

/// Replaces the profile of the client `client_id`, recorded in the audit trail as done by `actor`
/// (`client.profile`, naming the fields that changed; no values, as the notifier and the contact
/// point are people). Answers the client as it is afterwards, or `None` for an unknown client.
pub fn set_client_profile(
    conn: &mut AnyConnection,
    actor: &str,
    client_id: &ClientId,
    profile: &ClientProfile,
    now: DateTime<Utc>,
) -> Result<Option<Client>, StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        let Some(before) = client_by_id(tx, client_id)? else { return Ok(None) };
        let (old, new) = (before.profile.to_json(), profile.to_json());
        let changed: Vec<&str> = ClientProfile::FIELDS
            .iter()
            .copied()
            .filter(|field| old.get(*field) != new.get(*field))
            .collect();
        let text = serde_json::to_string(&serde_json::Value::Object(new))?;
        diesel::update(clients::table.find(client_id.as_str()))
            .set(clients::profile.eq(Some(text)))
            .execute(tx)?;
        let detail = json!({ "slug": before.slug, "changed": changed });
        audit.append(directory_event(actor, Some(client_id), "client.profile", detail, now));
        client_by_id(tx, client_id)
    })
}

/// Changes a client's name, DPO, escalation addresses and mail language (its slug stays: it is
/// in every reference), recorded in the audit trail as done by `actor` (`client.change`, naming
/// the fields that changed; no addresses, as they name people). `new.slug` says which client.
/// Answers the client afterwards, or `None` for an unknown slug.
pub fn update_client(
    conn: &mut AnyConnection,
    actor: &str,
    new: &NewClient,
    now: DateTime<Utc>,
) -> Result<Option<Client>, StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        let Some(before) = client_by_slug(tx, &new.slug)? else { return Ok(None) };
        let changed: Vec<&str> = [
            ("name", before.name != new.name),
            ("dpo_email", before.dpo_email != new.dpo_email),
            ("dpo_name", before.dpo_name != new.dpo_name),
            ("escalation_emails", before.escalation_emails != new.escalation_emails),
            ("locale", before.locale != new.locale),
        ]
        .into_iter()
        .filter_map(|(field, differs)| differs.then_some(field))
        .collect();
        diesel::update(clients::table.find(before.id.as_str()))
            .set((
                clients::name.eq(&new.name),
                clients::dpo_email.eq(&new.dpo_email),
                clients::dpo_name.eq(&new.dpo_name),
                clients::escalation_emails.eq(serde_json::to_string(&new.escalation_emails)?),
                clients::locale.eq(new.locale.as_str()),
            ))
            .execute(tx)?;
        let detail = json!({ "slug": before.slug, "changed": changed });
        audit.append(directory_event(actor, Some(&before.id), "client.change", detail, now));
        client_by_id(tx, &before.id)
    })
}

/// An audit event of the directory (clients, users, tokens) done by `actor`.
pub(crate) fn directory_event(
    actor: &str,
    client: Option<&ClientId>,
    event_type: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> AuditEvent {
    AuditEvent {
        at: now,
        actor: actor.to_string(),
        client_id: client.map(|c| c.0.clone()),
        incident_id: None,
        event_type: event_type.to_string(),
        detail,
    }
}

fn insert_client_row(
    conn: &mut AnyConnection,
    new: &NewClient,
    now: DateTime<Utc>,
) -> Result<Client, StorageError> {
    let row = ClientRow {
        id: new_id(),
        slug: new.slug.clone(),
        name: new.name.clone(),
        dpo_email: new.dpo_email.clone(),
        dpo_name: new.dpo_name.clone(),
        escalation_emails: serde_json::to_string(&new.escalation_emails)?,
        locale: new.locale.as_str().to_string(),
        policy: None,
        active: true,
        created_at: to_db(now),
        profile: None,
    };
    if client_by_slug(conn, &new.slug)?.is_some() {
        return Err(StorageError::Conflict(format!("a client with slug \"{}\" already exists", new.slug)));
    }
    diesel::insert_into(clients::table).values(&row).execute(conn)?;
    row.try_into()
}

/// The client with this slug.
pub fn client_by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Client>, StorageError> {
    if !super::can_name_a_row(slug) {
        return Ok(None);
    }
    clients::table
        .filter(clients::slug.eq(slug))
        .select(ClientRow::as_select())
        .get_result(conn)
        .optional()?
        .map(Client::try_from)
        .transpose()
}

/// The client with this slug, its row locked until the transaction ends, in one statement
/// (PostgreSQL `FOR NO KEY UPDATE`, see `incidents::lock_incident`; on SQLite the write transaction holds
/// the database's lock already). Reports for one client queue on it.
pub fn client_by_slug_locked(tx: &mut AnyConnection, slug: &str) -> Result<Option<Client>, StorageError> {
    if !super::can_name_a_row(slug) {
        return Ok(None);
    }
    let query = clients::table.filter(clients::slug.eq(slug));
    let row: Option<ClientRow> = match tx {
        AnyConnection::Postgresql(pg) => {
            query.select(ClientRow::as_select()).for_no_key_update().get_result(pg).optional()?
        }
        AnyConnection::Sqlite(lite) => query.select(ClientRow::as_select()).get_result(lite).optional()?,
    };
    row.map(Client::try_from).transpose()
}

/// The client with this id.
pub fn client_by_id(conn: &mut AnyConnection, id: &ClientId) -> Result<Option<Client>, StorageError> {
    clients::table
        .find(id.as_str())
        .select(ClientRow::as_select())
        .written_once()
        .get_result(conn)
        .optional()?
        .map(Client::try_from)
        .transpose()
}

/// The clients with these ids, by id.
pub fn clients_by_ids(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Client>, StorageError> {
    clients::table
        .filter(clients::id.eq_any(ids))
        .select(ClientRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| Client::try_from(row).map(|client| (client.id.0.clone(), client)))
        .collect()
}

/// Every client, by slug.
pub fn list_clients(conn: &mut AnyConnection) -> Result<Vec<Client>, StorageError> {
    clients::table
        .order(clients::slug.asc())
        .select(ClientRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Client::try_from)
        .collect()
}

/// A validated new user.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Normalised e-mail address.
    pub email: String,
    /// Display name.
    pub name: Option<String>,
    /// Role.
    pub role: Role,
    /// Client binding.
    pub client_id: Option<ClientId>,
    /// argon2id PHC string, if the user has a password.
    pub password_hash: Option<String>,
}

impl NewUser {
    /// Checks what a person typed for a new user (the password is hashed by the caller); errors
    /// name the field by its flag name.
    pub fn validated(
        email: &str,
        role: Role,
        client_id: Option<ClientId>,
        name: Option<&str>,
        password_hash: Option<String>,
    ) -> Result<NewUser, FieldError> {
        let email = dir::normalize_email("email", email)?;
        dir::validate_user_client(role, client_id.is_some())?;
        let name = dir::validate_optional_name("name", name, 200)?;
        Ok(NewUser { email, name, role, client_id, password_hash })
    }
}

/// Creates a user, recorded in the audit trail as done by `actor`. A taken e-mail address is a
/// [`StorageError::Conflict`].
pub fn insert_user(
    conn: &mut AnyConnection,
    actor: &str,
    new: &NewUser,
    now: DateTime<Utc>,
) -> Result<User, StorageError> {
    audit_log::write_tx(conn, |tx, audit| insert_user_in(tx, audit, actor, new, now))
}

/// [`insert_user`] inside a write transaction the caller holds (`audit_log::write_tx`).
pub fn insert_user_in(
    tx: &mut AnyConnection,
    audit: &mut audit_log::Appender,
    actor: &str,
    new: &NewUser,
    now: DateTime<Utc>,
) -> Result<User, StorageError> {
    let user = insert_user_row(tx, new, now)?;
    let detail =
        json!({ "email": user.email, "role": user.role.as_str(), "password": new.password_hash.is_some() });
    audit.append(directory_event(actor, user.client_id.as_ref(), "user.add", detail, now));
    Ok(user)
}

fn insert_user_row(
    conn: &mut AnyConnection,
    new: &NewUser,
    now: DateTime<Utc>,
) -> Result<User, StorageError> {
    if user_by_email(conn, &new.email)?.is_some() {
        return Err(StorageError::Conflict(format!("a user with e-mail \"{}\" already exists", new.email)));
    }
    let row = UserRow {
        id: new_id(),
        email: new.email.clone(),
        name: new.name.clone(),
        role: new.role.as_str().to_string(),
        client_id: new.client_id.as_ref().map(|c| c.0.clone()),
        password_hash: new.password_hash.clone(),
        locale: None,
        active: true,
        created_at: to_db(now),
    };
    diesel::insert_into(users::table).values(&row).execute(conn)?;
    row.try_into()
}

/// What an admin may change of a user: the name, the role and client, and whether the user may log
/// in (a deactivated user's sessions and API tokens stop working at once).
#[derive(Debug, Clone)]
pub struct UserChange {
    /// Display name.
    pub name: Option<String>,
    /// Role.
    pub role: Role,
    /// Client binding.
    pub client_id: Option<ClientId>,
    /// Whether the user may log in.
    pub active: bool,
}

impl UserChange {
    /// Checks a change as [`NewUser::validated`] checks a new user.
    pub fn validated(
        role: Role,
        client_id: Option<ClientId>,
        name: Option<&str>,
        active: bool,
    ) -> Result<UserChange, FieldError> {
        dir::validate_user_client(role, client_id.is_some())?;
        let name = dir::validate_optional_name("name", name, 200)?;
        Ok(UserChange { name, role, client_id, active })
    }
}

/// Changes a user, recorded in the audit trail as done by `actor`: `user.change` naming the fields
/// that changed, and `user.deactivate` or `user.activate` when that changed. Answers the user
/// afterwards, or `None` for an unknown id.
pub fn update_user(
    conn: &mut AnyConnection,
    actor: &str,
    id: &UserId,
    change: &UserChange,
    now: DateTime<Utc>,
) -> Result<Option<User>, StorageError> {
    audit_log::write_tx(conn, |tx, audit| update_user_in(tx, audit, actor, id, change, now))
}

/// [`update_user`] inside a write transaction the caller holds (`audit_log::write_tx`).
pub fn update_user_in(
    tx: &mut AnyConnection,
    audit: &mut audit_log::Appender,
    actor: &str,
    id: &UserId,
    change: &UserChange,
    now: DateTime<Utc>,
) -> Result<Option<User>, StorageError> {
    {
        let Some(before) = user_by_id(tx, id)? else { return Ok(None) };
        let changed: Vec<&str> = [
            ("name", before.name != change.name),
            ("role", before.role != change.role),
            ("client", before.client_id != change.client_id),
        ]
        .into_iter()
        .filter_map(|(field, differs)| differs.then_some(field))
        .collect();
        diesel::update(users::table.find(id.as_str()))
            .set((
                users::name.eq(&change.name),
                users::role.eq(change.role.as_str()),
                users::client_id.eq(change.client_id.as_ref().map(|c| c.0.clone())),
                users::active.eq(change.active),
            ))
            .execute(tx)?;
        if !changed.is_empty() {
            let detail = json!({ "email": before.email, "role": change.role.as_str(), "changed": changed });
            audit.append(directory_event(actor, change.client_id.as_ref(), "user.change", detail, now));
        }
        if before.active != change.active {
            let kind = if change.active { "user.activate" } else { "user.deactivate" };
            audit.append(directory_event(
                actor,
                change.client_id.as_ref(),
                kind,
                json!({ "email": before.email }),
                now,
            ));
        }
        user_by_id(tx, id)
    }
}

/// The user with this (normalised) e-mail address.
pub fn user_by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<User>, StorageError> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?
        .map(User::try_from)
        .transpose()
}

/// The user with this id.
pub fn user_by_id(conn: &mut AnyConnection, id: &UserId) -> Result<Option<User>, StorageError> {
    users::table
        .find(id.as_str())
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?
        .map(User::try_from)
        .transpose()
}

/// A token to store: only its digest and a short visible prefix, never the secret.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    /// The owner.
    pub user_id: UserId,
    /// What the token is for.
    pub label: Option<String>,
    /// The first characters of the secret, to recognise it in lists.
    pub prefix: String,
    /// SHA-256 of the secret, hex.
    pub digest: String,
}

/// Stores an API token, recorded in the audit trail (its prefix, never the secret).
pub fn insert_token(
    conn: &mut AnyConnection,
    actor: &str,
    new: &NewApiToken,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        insert_token_row(tx, new, now)?;
        let detail = json!({ "user_id": new.user_id.0, "prefix": new.prefix, "label": new.label });
        audit.append(directory_event(actor, None, "token.create", detail, now));
        Ok(())
    })
}

fn insert_token_row(
    conn: &mut AnyConnection,
    new: &NewApiToken,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let row = ApiTokenRow {
        id: new_id(),
        user_id: new.user_id.0.clone(),
        label: new.label.clone(),
        prefix: new.prefix.clone(),
        digest: new.digest.clone(),
        created_at: to_db(now),
        last_used_at: None,
        revoked_at: None,
    };
    diesel::insert_into(api_tokens::table).values(&row).execute(conn)?;
    Ok(())
}

/// How stale `last_used_at` may get before a request refreshes it (saves a write per request).
const LAST_USED_GRANULARITY: Duration = Duration::minutes(1);

/// The principal holding the token with this digest, if the token is live and its user active.
/// Records the use.
pub fn principal_by_token_digest(
    conn: &mut AnyConnection,
    digest: &str,
    now: DateTime<Utc>,
) -> Result<Option<Principal>, StorageError> {
    let found = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::digest.eq(digest))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::active.eq(true))
        .select((api_tokens::id, api_tokens::last_used_at, UserRow::as_select()))
        .written_once()
        .get_result::<(String, Option<chrono::NaiveDateTime>, UserRow)>(conn)
        .optional()?;
    let Some((token_id, last_used, user_row)) = found else {
        return Ok(None);
    };
    let stale = last_used.is_none_or(|t| t < to_db(now - LAST_USED_GRANULARITY));
    if stale {
        diesel::update(api_tokens::table.find(&token_id))
            .set(api_tokens::last_used_at.eq(to_db(now)))
            .execute(conn)?;
    }
    let user = User::try_from(user_row)?;
    Ok(Some(Principal { user_id: user.id, email: user.email, role: user.role, client_id: user.client_id }))
}

/// The addresses of every active officer.
pub fn officer_emails(conn: &mut AnyConnection) -> Result<Vec<String>, StorageError> {
    Ok(users::table
        .filter(users::role.eq(Role::Officer.as_str()))
        .filter(users::active.eq(true))
        .order(users::email.asc())
        .select(users::email)
        .load(conn)?)
}

/// Every user, by e-mail address.
pub fn list_users(conn: &mut AnyConnection) -> Result<Vec<User>, StorageError> {
    users::table
        .order(users::email.asc())
        .select(UserRow::as_select())
        .load(conn)?
        .into_iter()
        .map(User::try_from)
        .collect()
}

/// An API token as lists show it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// Row id.
    pub id: String,
    /// The visible start of the secret.
    pub prefix: String,
    /// The owner's address.
    pub email: String,
    /// Label.
    pub label: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Every API token, newest first.
pub fn list_tokens(conn: &mut AnyConnection) -> Result<Vec<TokenInfo>, StorageError> {
    type Row =
        (String, String, String, Option<String>, NaiveDateTime, Option<NaiveDateTime>, Option<NaiveDateTime>);
    let rows: Vec<Row> = api_tokens::table
        .inner_join(users::table)
        .order(api_tokens::created_at.desc())
        .select((
            api_tokens::id,
            api_tokens::prefix,
            users::email,
            api_tokens::label,
            api_tokens::created_at,
            api_tokens::last_used_at,
            api_tokens::revoked_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, prefix, email, label, created_at, last_used_at, revoked_at)| TokenInfo {
            id,
            prefix,
            email,
            label,
            created_at: from_db(created_at),
            last_used_at: last_used_at.map(from_db),
            revoked_at: revoked_at.map(from_db),
        })
        .collect())
}

/// Revokes a token, recorded in the audit trail; false when unknown or already revoked.
pub fn revoke_token(
    conn: &mut AnyConnection,
    actor: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        let changed = diesel::update(api_tokens::table.find(id).filter(api_tokens::revoked_at.is_null()))
            .set(api_tokens::revoked_at.eq(to_db(now)))
            .execute(tx)?;
        if changed == 1 {
            audit.append(directory_event(actor, None, "token.revoke", json!({ "token_id": id }), now));
        }
        Ok(changed == 1)
    })
}
