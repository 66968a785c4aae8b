//! Alert channels beyond e-mail (`docs/ARCHITECTURE.md` §7a): a client's webhook endpoints, or the
//! officers' team's (no client), and their rows in the outbox (`channel = 'webhook'`). A webhook row
//! names its channel by id (`to_addr`), never by URL, so that a removed channel is noticed at
//! delivery and the URL, a secret for Teams, Slack and Mattermost, is not copied around. Every
//! change and every delivery's fate is audited, on the client's chain (the team's on the system
//! chain): `channel.added`, `channel.removed`, `channel.tested`, `webhook.sent`, `webhook.failed`.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::audit_log;
use super::backend::AnyConnection;
use super::error::StorageError;
use super::fixed::FixedLimitDsl;
use super::outbox::{AttemptError, ClaimedMail, NewMail, channel};
use super::schema::{alert_channels, clients, incidents, outbox};
use super::{from_db, to_db};
use crate::domain::audit::AuditEvent;

/// A channel to add.
#[derive(Debug, Clone)]
pub struct NewChannel {
    /// The client, or `None` for the officers' team.
    pub client_id: Option<String>,
    /// `webhook`, `teams`, `slack` or `mattermost` (checked by the caller).
    pub kind: String,
    /// The endpoint (checked by the caller).
    pub url: String,
    /// The generic kind's signing secret (`whsec_…`).
    pub secret: Option<String>,
}

/// A channel as the lists show it. The URL is given whole: the caller masks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRecord {
    /// Identifier (`ch_…`).
    pub id: String,
    /// The client's id and slug, or `None` for the officers' team.
    pub client: Option<(String, String)>,
    /// Kind.
    pub kind: String,
    /// Endpoint.
    pub url: String,
    /// When added.
    pub created_at: DateTime<Utc>,
    /// By whom.
    pub created_by: String,
    /// The latest test message's status, HTTP status and error, if one was sent.
    pub last_test: Option<(String, Option<i32>, Option<String>)>,
}

/// An active channel as a tick routes alerts to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Identifier.
    pub id: String,
    /// The client whose alerts it receives; `None`: every client's (the officers' team).
    pub client_id: Option<String>,
    /// Kind.
    pub kind: String,
}

/// Where and how a delivery goes, read at delivery time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Identifier.
    pub id: String,
    /// The client, if any.
    pub client_id: Option<String>,
    /// Kind.
    pub kind: String,
    /// Endpoint (empty once removed).
    pub url: String,
    /// The signing secret of the generic kind.
    pub secret: Option<String>,
    /// Whether it still receives deliveries.
    pub active: bool,
}

fn event(
    actor: &str,
    client_id: Option<String>,
    incident_id: Option<String>,
    event_type: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> AuditEvent {
    AuditEvent { at: now, actor: actor.into(), client_id, incident_id, event_type: event_type.into(), detail }
}

/// Adds a channel, audited (`channel.added`: its id, kind and client; never its URL or secret).
pub fn insert(
    conn: &mut AnyConnection,
    actor: &str,
    new: &NewChannel,
    now: DateTime<Utc>,
) -> Result<String, StorageError> {
    let id = format!("ch_{}", uuid::Uuid::now_v7().simple());
    audit_log::write_tx(conn, |tx, audit| {
        diesel::insert_into(alert_channels::table)
            .values((
                alert_channels::id.eq(&id),
                alert_channels::client_id.eq(&new.client_id),
                alert_channels::kind.eq(&new.kind),
                alert_channels::url.eq(&new.url),
                alert_channels::secret.eq(&new.secret),
                alert_channels::active.eq(true),
                alert_channels::created_at.eq(to_db(now)),
                alert_channels::created_by.eq(actor),
            ))
            .execute(tx)?;
        let detail = json!({ "channel_id": id, "channel_kind": new.kind, "team": new.client_id.is_none() });
        audit.append(event(actor, new.client_id.clone(), None, "channel.added", detail, now));
        Ok(id.clone())
    })
}

/// Removes a channel: it stops receiving, and its URL and secret are forgotten (the row stays for
/// the outbox rows and the audit trail that name it). Audited (`channel.removed`). `false` when
/// there is no such active channel.
pub fn remove(
    conn: &mut AnyConnection,
    actor: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        let Some(target) = target(tx, id)?.filter(|t| t.active) else { return Ok(false) };
        diesel::update(alert_channels::table.find(id).filter(alert_channels::active.eq(true)))
            .set((
                alert_channels::active.eq(false),
                alert_channels::url.eq(""),
                alert_channels::secret.eq(None::<String>),
                alert_channels::removed_at.eq(Some(to_db(now))),
            ))
            .execute(tx)?;
        let detail =
            json!({ "channel_id": id, "channel_kind": target.kind, "team": target.client_id.is_none() });
        audit.append(event(actor, target.client_id, None, "channel.removed", detail, now));
        Ok(true)
    })
}

/// One channel, active or removed.
pub fn target(conn: &mut AnyConnection, id: &str) -> Result<Option<Target>, StorageError> {
    type Row = (String, Option<String>, String, String, Option<String>, bool);
    let row: Option<Row> = alert_channels::table
        .find(id)
        .select((
            alert_channels::id,
            alert_channels::client_id,
            alert_channels::kind,
            alert_channels::url,
            alert_channels::secret,
            alert_channels::active,
        ))
        .get_result(conn)
        .optional()?;
    Ok(row.map(|(id, client_id, kind, url, secret, active)| Target {
        id,
        client_id,
        kind,
        url,
        secret,
        active,
    }))
}

/// The active channels, for a tick's routing (read once per tick).
pub fn routes(conn: &mut AnyConnection) -> Result<Vec<Route>, StorageError> {
    let rows: Vec<(String, Option<String>, String)> = alert_channels::table
        .filter(alert_channels::active.eq(true))
        .order(alert_channels::id.asc())
        .select((alert_channels::id, alert_channels::client_id, alert_channels::kind))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, client_id, kind)| Route { id, client_id, kind }).collect())
}

/// The active channels, the team's first, then by client slug, each with its latest test message.
pub fn list(conn: &mut AnyConnection) -> Result<Vec<ChannelRecord>, StorageError> {
    type Row = (String, Option<String>, Option<String>, String, String, NaiveDateTime, String);
    let rows: Vec<Row> = alert_channels::table
        .left_join(clients::table)
        .filter(alert_channels::active.eq(true))
        .order((clients::slug.nullable().asc(), alert_channels::created_at.asc()))
        .select((
            alert_channels::id,
            alert_channels::client_id,
            clients::slug.nullable(),
            alert_channels::kind,
            alert_channels::url,
            alert_channels::created_at,
            alert_channels::created_by,
        ))
        .load(conn)?;
    let mut records = Vec::with_capacity(rows.len());
    for (id, client_id, slug, kind, url, created_at, created_by) in rows {
        let last_test: Option<(String, Option<i32>, Option<String>)> = outbox::table
            .filter(outbox::channel.eq(channel::WEBHOOK))
            .filter(outbox::to_addr.eq(&id))
            .filter(outbox::kind.eq(TEST_KIND))
            .order(outbox::created_at.desc())
            .select((outbox::status, outbox::last_code, outbox::last_error))
            .fixed_limit::<1>()
            .get_result(conn)
            .optional()?;
        records.push(ChannelRecord {
            id,
            client: client_id.zip(slug),
            kind,
            url,
            created_at: from_db(created_at),
            created_by,
            last_test,
        });
    }
    // SQLite and PostgreSQL order NULL differently: the team's channels first on both.
    records.sort_by_key(|r| r.client.is_some());
    Ok(records)
}

/// The outbox `kind` of a test message.
pub const TEST_KIND: &str = "test";

/// Queues channel deliveries (`channel = 'webhook'`), due at once, in the caller's transaction:
/// the outbox's own multi-row insert.
pub fn enqueue(conn: &mut AnyConnection, rows: &[NewMail], now: DateTime<Utc>) -> Result<(), StorageError> {
    super::outbox::enqueue_on(conn, channel::WEBHOOK, rows, now)
}

/// Queues a test message to a channel, audited (`channel.tested`).
pub fn enqueue_test(
    conn: &mut AnyConnection,
    actor: &str,
    target: &Target,
    row: &NewMail,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        enqueue(tx, std::slice::from_ref(row), now)?;
        let detail =
            json!({ "channel_id": target.id, "channel_kind": target.kind, "webhook_id": row.message_id });
        audit.append(event(actor, target.client_id.clone(), None, "channel.tested", detail, now));
        Ok(())
    })
}

/// The chain a delivery's event goes on: the incident's client, else the channel's.
fn client_of(
    conn: &mut AnyConnection,
    row: &ClaimedMail,
    target: Option<&Target>,
) -> Result<Option<String>, StorageError> {
    match &row.incident_id {
        Some(id) => Ok(incidents::table.find(id).select(incidents::client_id).get_result(conn).optional()?),
        None => Ok(target.and_then(|t| t.client_id.clone())),
    }
}

fn delivery_detail(row: &ClaimedMail, target: Option<&Target>, code: Option<u16>) -> serde_json::Value {
    json!({
        "channel_id": row.to,
        "channel_kind": target.map(|t| t.kind.clone()),
        "code": row.kind,
        "webhook_id": row.message_id,
        "attempts": row.attempts,
        "status_code": code,
    })
}

/// Marks a claimed delivery sent with the endpoint's HTTP status, audited (`webhook.sent`).
pub fn mark_sent(
    conn: &mut AnyConnection,
    row: &ClaimedMail,
    target: Option<&Target>,
    worker: &str,
    http_status: u16,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        let reply = format!("HTTP {http_status}");
        let kept = super::outbox::set_sent(tx, &row.id, worker, &reply, Some(i32::from(http_status)), now)?;
        if kept {
            let client = client_of(tx, row, target)?;
            let detail = delivery_detail(row, target, Some(http_status));
            audit.append(event("system", client, row.incident_id.clone(), "webhook.sent", detail, now));
        }
        Ok(kept)
    })
}

/// Gives up on a delivery (kept, shown and counted), audited (`webhook.failed`).
pub fn mark_failed(
    conn: &mut AnyConnection,
    row: &ClaimedMail,
    target: Option<&Target>,
    worker: &str,
    error: AttemptError<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        let kept = super::outbox::set_failed(tx, &row.id, worker, error)?;
        if kept {
            let client = client_of(tx, row, target)?;
            let mut detail = delivery_detail(row, target, error.code);
            detail["error"] = json!(error.message);
            audit.append(event("system", client, row.incident_id.clone(), "webhook.failed", detail, now));
        }
        Ok(kept)
    })
}
