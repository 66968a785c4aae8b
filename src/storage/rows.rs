//! Row structs: the database's shape of the domain's types. Conversions live here so that
//! storage types never leak out of `storage`. Fields mirror the columns of `schema.rs`.
#![allow(missing_docs)]

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::error::StorageError;
use super::schema::{api_tokens, clients, users};
use crate::domain::directory::{Client, Locale, User};
use crate::domain::ids::{ClientId, UserId};
use crate::domain::tenant::Role;

/// A row of `clients`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clients)]
pub struct ClientRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub dpo_email: String,
    pub dpo_name: Option<String>,
    pub escalation_emails: String,
    pub locale: String,
    pub policy: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

impl TryFrom<ClientRow> for Client {
    type Error = StorageError;

    fn try_from(row: ClientRow) -> Result<Self, StorageError> {
        Ok(Client {
            id: ClientId(row.id),
            slug: row.slug,
            name: row.name,
            dpo_email: row.dpo_email,
            dpo_name: row.dpo_name,
            escalation_emails: serde_json::from_str(&row.escalation_emails)?,
            locale: Locale::parse(&row.locale)
                .ok_or_else(|| StorageError::Corrupt(format!("client locale {:?}", row.locale)))?,
            active: row.active,
        })
    }
}

/// A row of `users`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: Option<String>,
    pub role: String,
    pub client_id: Option<String>,
    pub password_hash: Option<String>,
    pub locale: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

impl TryFrom<UserRow> for User {
    type Error = StorageError;

    fn try_from(row: UserRow) -> Result<Self, StorageError> {
        Ok(User {
            id: UserId(row.id),
            email: row.email,
            name: row.name,
            role: Role::parse(&row.role)
                .ok_or_else(|| StorageError::Corrupt(format!("user role {:?}", row.role)))?,
            client_id: row.client_id.map(ClientId),
            locale: row.locale.as_deref().and_then(Locale::parse),
            active: row.active,
        })
    }
}

/// A row of `api_tokens`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct ApiTokenRow {
    pub id: String,
    pub user_id: String,
    pub label: Option<String>,
    pub prefix: String,
    pub digest: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}
