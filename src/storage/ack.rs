//! Acknowledgement links: single use, bound to one incident and the client's DPO, expiring after
//! seven days. The link carries the row id and an HMAC of it under `server.secret_key`.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::backend::AnyConnection;
use super::error::StorageError;
use super::schema::ack_tokens;
use super::{from_db, new_id, to_db};
use crate::crypto;
use crate::domain::ids::{ClientId, IncidentId};

/// How long a link stays valid.
pub const VALIDITY: Duration = Duration::days(7);

fn signed_part(id: &str, incident_id: &str, dpo_email: &str) -> String {
    format!("ack|{id}|{incident_id}|{dpo_email}")
}

/// A link token made but not yet stored: [`store`] it in the transaction that sends it.
#[derive(Debug, Clone)]
pub struct PendingToken {
    id: String,
    incident_id: String,
    client_id: String,
    dpo_email: String,
    created_at: NaiveDateTime,
}

/// Makes a link token for the DPO `dpo_email` of `client_id` on `incident_id`: the row to store and
/// the token for the link.
pub fn prepare(
    key: &[u8],
    incident_id: &str,
    client_id: &str,
    dpo_email: &str,
    now: DateTime<Utc>,
) -> (PendingToken, String) {
    let id = new_id();
    let signature = crypto::sign(key, signed_part(&id, incident_id, dpo_email).as_bytes());
    let token = format!("{id}.{signature}");
    let pending = PendingToken {
        id,
        incident_id: incident_id.to_string(),
        client_id: client_id.to_string(),
        dpo_email: dpo_email.to_string(),
        created_at: to_db(now),
    };
    (pending, token)
}

/// Stores prepared tokens, in multi-row statements.
pub fn store(conn: &mut AnyConnection, tokens: &[PendingToken]) -> Result<(), StorageError> {
    for chunk in tokens.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|t| {
                (
                    ack_tokens::id.eq(&t.id),
                    ack_tokens::incident_id.eq(&t.incident_id),
                    ack_tokens::client_id.eq(&t.client_id),
                    ack_tokens::dpo_email.eq(&t.dpo_email),
                    ack_tokens::expires_at.eq(t.created_at + VALIDITY),
                    ack_tokens::created_at.eq(t.created_at),
                )
            })
            .collect();
        on_backend!(conn, |c| diesel::insert_into(ack_tokens::table).values(rows).execute(c))?;
    }
    Ok(())
}

/// A token that checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckGrant {
    /// Token row id.
    pub id: String,
    /// The incident it acknowledges.
    pub incident_id: IncidentId,
    /// The client.
    pub client_id: ClientId,
    /// The DPO it was sent to.
    pub dpo_email: String,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
}

/// Why a token does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckRefusal {
    /// Malformed, unknown or not signed by us.
    Invalid,
    /// Past its seven days.
    Expired,
    /// Already used.
    Used,
}

/// A token row whose signature checks out: (id, incident, client, DPO, expiry, used at).
type SignedRow = (String, String, String, String, NaiveDateTime, Option<NaiveDateTime>);

/// The row of `token` if it is ours: known and signed with `key` for its incident and DPO.
fn signed_row(conn: &mut AnyConnection, key: &[u8], token: &str) -> Result<Option<SignedRow>, StorageError> {
    let Some((id, signature)) = token.split_once('.') else { return Ok(None) };
    if id.len() > 64 {
        return Ok(None);
    }
    let row: Option<(String, String, String, NaiveDateTime, Option<NaiveDateTime>)> = ack_tokens::table
        .find(id)
        .select((
            ack_tokens::incident_id,
            ack_tokens::client_id,
            ack_tokens::dpo_email,
            ack_tokens::expires_at,
            ack_tokens::used_at,
        ))
        .get_result(conn)
        .optional()?;
    let Some((incident_id, client_id, dpo_email, expires_at, used_at)) = row else { return Ok(None) };
    if !crypto::verify(key, signed_part(id, &incident_id, &dpo_email).as_bytes(), signature) {
        return Ok(None);
    }
    Ok(Some((id.to_string(), incident_id, client_id, dpo_email, expires_at, used_at)))
}

/// Checks a token without using it.
pub fn check(
    conn: &mut AnyConnection,
    key: &[u8],
    token: &str,
    now: DateTime<Utc>,
) -> Result<Result<AckGrant, AckRefusal>, StorageError> {
    let Some((id, incident_id, client_id, dpo_email, expires_at, used_at)) = signed_row(conn, key, token)?
    else {
        return Ok(Err(AckRefusal::Invalid));
    };
    if used_at.is_some() {
        return Ok(Err(AckRefusal::Used));
    }
    let expires_at = from_db(expires_at);
    if now >= expires_at {
        return Ok(Err(AckRefusal::Expired));
    }
    Ok(Ok(AckGrant {
        id,
        incident_id: IncidentId(incident_id),
        client_id: ClientId(client_id),
        dpo_email,
        expires_at,
    }))
}

/// The incident of a token we signed, and when it was used, whether or not the token still
/// works: a used or expired link's page speaks its client's language and says when receipt was
/// acknowledged. `None` for a token that is not ours.
pub fn signed_incident(
    conn: &mut AnyConnection,
    key: &[u8],
    token: &str,
) -> Result<Option<SignedToken>, StorageError> {
    Ok(signed_row(conn, key, token)?.map(|(_, incident, _, _, _, used_at)| SignedToken {
        incident_id: IncidentId(incident),
        used_at: used_at.map(from_db),
    }))
}

/// A token we signed, whether or not it still works ([`signed_incident`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedToken {
    /// The incident it acknowledges.
    pub incident_id: IncidentId,
    /// When it was used, if it was.
    pub used_at: Option<DateTime<Utc>>,
}

/// Marks a token used (compare-and-set: false when it was used meanwhile).
pub fn consume(conn: &mut AnyConnection, id: &str, now: DateTime<Utc>) -> Result<bool, StorageError> {
    let changed = diesel::update(ack_tokens::table.find(id).filter(ack_tokens::used_at.is_null()))
        .set(ack_tokens::used_at.eq(to_db(now)))
        .execute(conn)?;
    Ok(changed == 1)
}
