//! The transactional outbox (`docs/ARCHITECTURE.md` §7): a mail is a row written in the same
//! transaction as its cause; delivery claims rows with a lease (a conditional UPDATE, so no
//! transaction is open during SMTP) and marks them sent, retries them later, or marks them failed.
//! Rows are never deleted; an officer (or the CLI) puts failed ones back in the queue, audited
//! ([`requeue_failed`]).

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::audit_log;
use super::backend::AnyConnection;
use super::error::StorageError;
use super::fixed::{self, FixedLimitDsl, WrittenOnceDsl};
use super::schema::outbox;
use super::{from_db, new_id, to_db};
use crate::domain::audit::AuditEvent;
use crate::domain::ids::IncidentId;

/// Status of an outbox row.
pub mod status {
    /// Waiting to be sent (or to be retried).
    pub const PENDING: &str = "pending";
    /// Accepted by the mail server (or written to a file).
    pub const SENT: &str = "sent";
    /// Given up after the last attempt or a permanent refusal.
    pub const FAILED: &str = "failed";
}

/// Which loop delivers a row (`outbox.channel`): the mail loop, or the webhook loop
/// (`notify::webhook`, `docs/ARCHITECTURE.md` §7a). Each claims only its own rows.
pub mod channel {
    /// A mail (the default of every row queued before channels existed).
    pub const MAIL: &str = "mail";
    /// A post to an alert channel (`storage::alert_channels`).
    pub const WEBHOOK: &str = "webhook";
}

/// A mail to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    /// The incident it is about.
    pub incident_id: Option<String>,
    /// The client the incident belongs to (for the audit trail).
    pub client_id: Option<String>,
    /// The alert that caused it.
    pub alert_id: Option<String>,
    /// Mail kind (`A0`, `P0-receipt`, …).
    pub kind: String,
    /// `nl` or `en`.
    pub locale: String,
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// text/plain body.
    pub body_text: String,
    /// text/html body.
    pub body_html: Option<String>,
    /// Stable Message-ID (`<…@…>`), the same for every attempt.
    pub message_id: String,
}

/// Queues several mails, due at once: on PostgreSQL one statement of a dozen array parameters
/// (`unnest`), on SQLite multi-row inserts.
pub fn enqueue_many(
    conn: &mut AnyConnection,
    mails: &[NewMail],
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    enqueue_on(conn, channel::MAIL, mails, now)
}

/// [`enqueue_many`] for the rows of one [`channel`] (posts to alert channels carry the channel's
/// id in `to`).
pub fn enqueue_on(
    conn: &mut AnyConnection,
    channel: &str,
    mails: &[NewMail],
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    // Fifteen parameters a row: 200 rows stay well inside SQLite's limit.
    const ROWS_PER_INSERT: usize = 200;
    if mails.is_empty() {
        return Ok(());
    }
    let at = to_db(now);
    let lite = match conn {
        AnyConnection::Postgresql(pg) => return enqueue_unnest(pg, channel, mails, at),
        AnyConnection::Sqlite(lite) => lite,
    };
    for chunk in mails.chunks(ROWS_PER_INSERT) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|mail| {
                (
                    outbox::id.eq(new_id()),
                    outbox::incident_id.eq(&mail.incident_id),
                    outbox::alert_id.eq(&mail.alert_id),
                    outbox::kind.eq(&mail.kind),
                    outbox::locale.eq(&mail.locale),
                    outbox::to_addr.eq(&mail.to),
                    outbox::subject.eq(&mail.subject),
                    outbox::body_text.eq(&mail.body_text),
                    outbox::body_html.eq(&mail.body_html),
                    outbox::message_id.eq(&mail.message_id),
                    outbox::status.eq(status::PENDING),
                    outbox::attempts.eq(0),
                    outbox::next_attempt_at.eq(at),
                    outbox::created_at.eq(at),
                    outbox::channel.eq(channel),
                )
            })
            .collect();
        diesel::insert_into(outbox::table).values(rows).execute(lite)?;
    }
    Ok(())
}

/// The PostgreSQL form of [`enqueue_many`]: one column array per parameter. A multi-row `VALUES` of
/// a tick's 800 mails has 11,000 parameters, parsed and planned again at every call; this statement
/// has a dozen.
fn enqueue_unnest(
    conn: &mut diesel::PgConnection,
    channel: &str,
    mails: &[NewMail],
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    use diesel::sql_types::{Array, Nullable, Text, Timestamp};
    let column =
        |field: fn(&NewMail) -> Option<&str>| -> Vec<Option<&str>> { mails.iter().map(field).collect() };
    let ids: Vec<String> = mails.iter().map(|_| new_id()).collect();
    diesel::sql_query(
        "INSERT INTO outbox (id, incident_id, alert_id, kind, locale, to_addr, subject, body_text, body_html, \
         message_id, status, attempts, next_attempt_at, created_at, channel) \
         SELECT m.*, $11, 0, $12, $12, $13 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) AS m",
    )
    .bind::<Array<Text>, _>(&ids)
    .bind::<Array<Nullable<Text>>, _>(column(|m| m.incident_id.as_deref()))
    .bind::<Array<Nullable<Text>>, _>(column(|m| m.alert_id.as_deref()))
    .bind::<Array<Nullable<Text>>, _>(column(|m| Some(&m.kind)))
    .bind::<Array<Nullable<Text>>, _>(column(|m| Some(&m.locale)))
    .bind::<Array<Nullable<Text>>, _>(column(|m| Some(&m.to)))
    .bind::<Array<Nullable<Text>>, _>(column(|m| Some(&m.subject)))
    .bind::<Array<Nullable<Text>>, _>(column(|m| Some(&m.body_text)))
    .bind::<Array<Nullable<Text>>, _>(column(|m| m.body_html.as_deref()))
    .bind::<Array<Nullable<Text>>, _>(column(|m| Some(&m.message_id)))
    .bind::<Text, _>(status::PENDING)
    .bind::<Timestamp, _>(at)
    .bind::<Text, _>(channel)
    .execute(conn)?;
    Ok(())
}

/// A claimed mail, leased to one worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedMail {
    /// Row id.
    pub id: String,
    /// The incident, if any.
    pub incident_id: Option<String>,
    /// Kind.
    pub kind: String,
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// text/plain.
    pub body_text: String,
    /// text/html.
    pub body_html: Option<String>,
    /// Stable Message-ID.
    pub message_id: String,
    /// Attempts including this one.
    pub attempts: i32,
    /// The relay's reply code to the attempt before this one, if it failed with a reply.
    pub last_code: Option<i32>,
}

type ClaimRow =
    (String, Option<String>, String, String, String, String, Option<String>, String, i32, Option<i32>);

/// Claims up to `limit` due mails for `worker` until `now + lease` (the lease starts at the claim),
/// none of `held` (the rows the worker has in hand: a forward step of the wall clock may have ended
/// their lease, and the worker must not send them twice). Rows whose lease expired (a worker died
/// mid-send) are claimed again; their Message-ID makes a resend recognisable.
pub fn claim(
    conn: &mut AnyConnection,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
    held: &[String],
) -> Result<Vec<ClaimedMail>, StorageError> {
    claim_channel(conn, channel::MAIL, worker, now, lease, limit, held)
}

/// [`claim`] for the rows of one [`channel`].
pub fn claim_channel(
    conn: &mut AnyConnection,
    channel: &str,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
    held: &[String],
) -> Result<Vec<ClaimedMail>, StorageError> {
    let now_db = to_db(now);
    let lite = match conn {
        AnyConnection::Postgresql(pg) => {
            return claim_skip_locked(pg, channel, worker, now_db, to_db(now + lease), limit, held);
        }
        AnyConnection::Sqlite(lite) => lite,
    };
    let claimable = outbox::channel
        .eq(channel)
        .and(outbox::status.eq(status::PENDING))
        .and(outbox::next_attempt_at.le(now_db))
        .and(outbox::lease_until.is_null().or(outbox::lease_until.lt(now_db)));
    // A few more candidates than wanted: another worker may take some between the read and the update.
    let candidates: Vec<String> = outbox::table
        .filter(claimable)
        .filter(outbox::id.ne_all(held))
        .order(outbox::next_attempt_at.asc())
        .limit(limit * 2 + 8)
        .select(outbox::id)
        .load(lite)?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let until = to_db(now + lease);
    // Row by row, by primary key: the condition is checked again as each row is updated, so two
    // workers never hold the same row (the second finds the lease taken and skips it). One
    // statement with `id IN (…)` let SQLite's planner pick the status index instead and read
    // every pending row, bodies included, for each batch.
    let mut leased = Vec::with_capacity(candidates.len());
    for id in candidates {
        if leased.len() as i64 >= limit {
            break;
        }
        let took = diesel::update(outbox::table.find(&id).filter(claimable))
            .set((
                outbox::lease_owner.eq(worker),
                outbox::lease_until.eq(until),
                outbox::attempts.eq(outbox::attempts + 1),
            ))
            .execute(lite)?;
        if took == 1 {
            leased.push(id);
        }
    }
    if leased.is_empty() {
        return Ok(Vec::new());
    }
    // By primary key only: with `status` in the condition or an `ORDER BY next_attempt_at`, SQLite's
    // planner (without statistics) walks the status index instead, reading every pending row and
    // its bodies for each batch. The lease just taken says the rows are still pending and ours.
    let mut rows: Vec<ClaimRow> = outbox::table
        .filter(outbox::id.eq_any(&leased))
        .filter(outbox::lease_owner.eq(worker))
        .filter(outbox::lease_until.eq(until))
        .select((
            outbox::id,
            outbox::incident_id,
            outbox::kind,
            outbox::to_addr,
            outbox::subject,
            outbox::body_text,
            outbox::body_html,
            outbox::message_id,
            outbox::attempts,
            outbox::last_code,
        ))
        .load(lite)?;
    // In the order they were claimed: the earliest due first.
    rows.sort_by_key(|row| leased.iter().position(|id| *id == row.0));
    Ok(rows
        .into_iter()
        .map(|(id, incident_id, kind, to, subject, body_text, body_html, message_id, attempts, last_code)| {
            ClaimedMail {
                id,
                incident_id,
                kind,
                to,
                subject,
                body_text,
                body_html,
                message_id,
                attempts,
                last_code,
            }
        })
        .collect())
}

/// The PostgreSQL form of [`claim`]: one statement. `FOR UPDATE SKIP LOCKED` lets concurrent
/// workers (replicas) take disjoint rows without waiting for each other; the lease condition is part
/// of the inner query, so a row leased by a live worker is never taken.
fn claim_skip_locked(
    conn: &mut diesel::PgConnection,
    channel: &str,
    worker: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
    held: &[String],
) -> Result<Vec<ClaimedMail>, StorageError> {
    use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text, Timestamp};
    #[derive(QueryableByName)]
    struct Claimed {
        #[diesel(sql_type = Text)]
        id: String,
        #[diesel(sql_type = Nullable<Text>)]
        incident_id: Option<String>,
        #[diesel(sql_type = Text)]
        kind: String,
        #[diesel(sql_type = Text)]
        to_addr: String,
        #[diesel(sql_type = Text)]
        subject: String,
        #[diesel(sql_type = Text)]
        body_text: String,
        #[diesel(sql_type = Nullable<Text>)]
        body_html: Option<String>,
        #[diesel(sql_type = Text)]
        message_id: String,
        #[diesel(sql_type = Integer)]
        attempts: i32,
        #[diesel(sql_type = Nullable<Integer>)]
        last_code: Option<i32>,
        #[diesel(sql_type = Timestamp)]
        next_attempt_at: NaiveDateTime,
    }
    let mut rows: Vec<Claimed> = diesel::sql_query(
        "UPDATE outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE status = $3 AND next_attempt_at <= $4 \
         AND (lease_until IS NULL OR lease_until < $4) AND id <> ALL($6) AND channel = $7 \
         ORDER BY next_attempt_at LIMIT $5 FOR UPDATE SKIP LOCKED) \
         RETURNING id, incident_id, kind, to_addr, subject, body_text, body_html, message_id, attempts, last_code, next_attempt_at",
    )
    .bind::<Text, _>(worker)
    .bind::<Timestamp, _>(until)
    .bind::<Text, _>(status::PENDING)
    .bind::<Timestamp, _>(now)
    .bind::<BigInt, _>(limit)
    .bind::<Array<Text>, _>(held)
    .bind::<Text, _>(channel)
    .load(conn)?;
    rows.sort_by_key(|row| row.next_attempt_at);
    Ok(rows
        .into_iter()
        .map(|row| ClaimedMail {
            id: row.id,
            incident_id: row.incident_id,
            kind: row.kind,
            to: row.to_addr,
            subject: row.subject,
            body_text: row.body_text,
            body_html: row.body_html,
            message_id: row.message_id,
            attempts: row.attempts,
            last_code: row.last_code,
        })
        .collect())
}

fn leased(
    id: &str,
    worker: &str,
) -> diesel::dsl::Filter<
    diesel::dsl::Filter<outbox::table, diesel::dsl::Eq<outbox::id, String>>,
    diesel::dsl::Eq<outbox::lease_owner, String>,
> {
    outbox::table.filter(outbox::id.eq(id.to_string())).filter(outbox::lease_owner.eq(worker.to_string()))
}

/// Marks a leased row sent with `reply` (and the reply code a channel keeps), if it is still
/// `worker`'s: whether it was. One statement for mail and for posts to alert channels.
pub(super) fn set_sent(
    conn: &mut AnyConnection,
    id: &str,
    worker: &str,
    reply: &str,
    code: Option<i32>,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let changed = diesel::update(leased(id, worker))
        .set((
            outbox::status.eq(status::SENT),
            outbox::sent_at.eq(to_db(now)),
            outbox::server_reply.eq(reply),
            outbox::last_error.eq(None::<String>),
            outbox::last_code.eq(code),
            outbox::lease_owner.eq(None::<String>),
            outbox::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Gives a leased row up (`failed`, with the error), if it is still `worker`'s: whether it was.
pub(super) fn set_failed(
    conn: &mut AnyConnection,
    id: &str,
    worker: &str,
    error: AttemptError<'_>,
) -> Result<bool, StorageError> {
    let changed = diesel::update(leased(id, worker))
        .set((
            outbox::status.eq(status::FAILED),
            outbox::last_error.eq(error.message),
            outbox::last_code.eq(error.code.map(i32::from)),
            outbox::lease_owner.eq(None::<String>),
            outbox::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// The audit event of a mail's fate, naming the incident's client; it shows on the incident's timeline.
fn mail_event(
    actor: &str,
    incident_id: Option<String>,
    client_id: Option<String>,
    event_type: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> AuditEvent {
    AuditEvent { at: now, actor: actor.into(), client_id, incident_id, event_type: event_type.into(), detail }
}

fn client_of(conn: &mut AnyConnection, incident_id: &Option<String>) -> Result<Option<String>, StorageError> {
    use super::schema::incidents;
    match incident_id {
        Some(id) => Ok(incidents::table.find(id).select(incidents::client_id).get_result(conn).optional()?),
        None => Ok(None),
    }
}

/// Marks several claimed mails sent in one transaction (one commit, one append to each chain
/// involved), each with its server's reply, and records `mail.sent` for each. Returns, in order,
/// whether each row was still leased to `worker` (a row whose lease another worker took is left to
/// that worker and gets no event).
pub fn mark_sent_many(
    conn: &mut AnyConnection,
    sent: &[(ClaimedMail, String)],
    worker: &str,
    now: DateTime<Utc>,
) -> Result<Vec<bool>, StorageError> {
    use super::schema::incidents;
    if sent.is_empty() {
        return Ok(Vec::new());
    }
    audit_log::write_tx(conn, |tx, audit| {
        let mut kept = Vec::with_capacity(sent.len());
        for (mail, reply) in sent {
            kept.push(set_sent(tx, &mail.id, worker, reply, None, now)?);
        }
        // The clients of the incidents, in one statement, for the events' chains.
        let incident_ids: Vec<&str> =
            sent.iter().filter_map(|(mail, _)| mail.incident_id.as_deref()).collect();
        let clients: std::collections::HashMap<String, String> = if incident_ids.is_empty() {
            std::collections::HashMap::new()
        } else {
            incidents::table
                .filter(incidents::id.eq_any(&incident_ids))
                .select((incidents::id, incidents::client_id))
                .load::<(String, String)>(tx)?
                .into_iter()
                .collect()
        };
        for ((mail, reply), _) in sent.iter().zip(&kept).filter(|(_, kept)| **kept) {
            let client = mail.incident_id.as_ref().and_then(|id| clients.get(id).cloned());
            let detail = json!({ "kind": mail.kind, "to": mail.to, "message_id": mail.message_id, "attempts": mail.attempts, "reply": reply });
            audit.append(mail_event("system", mail.incident_id.clone(), client, "mail.sent", detail, now));
        }
        Ok(kept)
    })
}

/// What went wrong with an attempt: the message, and the relay's reply code if it replied.
#[derive(Debug, Clone, Copy)]
pub struct AttemptError<'a> {
    /// What happened (no credentials).
    pub message: &'a str,
    /// The reply code (`451`, `550`).
    pub code: Option<u16>,
}

/// Schedules another attempt at `next_attempt_at`.
pub fn mark_retry(
    conn: &mut AnyConnection,
    mail: &ClaimedMail,
    worker: &str,
    error: AttemptError<'_>,
    next_attempt_at: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let changed = diesel::update(leased(&mail.id, worker))
        .set((
            outbox::last_error.eq(error.message),
            outbox::last_code.eq(error.code.map(i32::from)),
            outbox::next_attempt_at.eq(to_db(next_attempt_at)),
            outbox::lease_owner.eq(None::<String>),
            outbox::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Gives up on a mail (kept, shown and counted), and records it in the audit trail.
pub fn mark_failed(
    conn: &mut AnyConnection,
    mail: &ClaimedMail,
    worker: &str,
    error: AttemptError<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        let kept = set_failed(tx, &mail.id, worker, error)?;
        if kept {
            let client = client_of(tx, &mail.incident_id)?;
            let detail = json!({ "kind": mail.kind, "to": mail.to, "message_id": mail.message_id, "attempts": mail.attempts, "error": error.message });
            audit.append(mail_event("system", mail.incident_id.clone(), client, "mail.failed", detail, now));
        }
        Ok(kept)
    })
}

/// A delivery as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The alert it belongs to.
    pub alert_id: Option<String>,
    /// Mail kind.
    pub kind: String,
    /// Recipient.
    pub to: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i32,
    /// Stable Message-ID.
    pub message_id: String,
    /// When accepted.
    pub sent_at: Option<DateTime<Utc>>,
    /// The last error, if any.
    pub last_error: Option<String>,
    /// When queued.
    pub created_at: DateTime<Utc>,
    /// When a pending mail is tried (again); for a sent or failed one, when it last was due.
    pub next_attempt_at: DateTime<Utc>,
    /// `mail`, or `webhook` (then `to` is the channel's id and `message_id` the `webhook-id`).
    pub channel: String,
}

type DeliveryRow = (
    Option<String>,
    String,
    String,
    String,
    i32,
    String,
    Option<NaiveDateTime>,
    Option<String>,
    NaiveDateTime,
    NaiveDateTime,
    String,
);

fn delivery(
    (
        alert_id,
        kind,
        to,
        status,
        attempts,
        message_id,
        sent_at,
        last_error,
        created_at,
        next_attempt_at,
        channel,
    ): DeliveryRow,
) -> Delivery {
    Delivery {
        alert_id,
        kind,
        to,
        status,
        attempts,
        message_id,
        sent_at: sent_at.map(from_db),
        last_error,
        created_at: from_db(created_at),
        next_attempt_at: from_db(next_attempt_at),
        channel,
    }
}

fn delivery_columns() -> (
    outbox::alert_id,
    outbox::kind,
    outbox::to_addr,
    outbox::status,
    outbox::attempts,
    outbox::message_id,
    outbox::sent_at,
    outbox::last_error,
    outbox::created_at,
    outbox::next_attempt_at,
    outbox::channel,
) {
    (
        outbox::alert_id,
        outbox::kind,
        outbox::to_addr,
        outbox::status,
        outbox::attempts,
        outbox::message_id,
        outbox::sent_at,
        outbox::last_error,
        outbox::created_at,
        outbox::next_attempt_at,
        outbox::channel,
    )
}

/// Every mail about an incident, oldest first.
pub fn for_incident(
    conn: &mut AnyConnection,
    incident_id: &IncidentId,
) -> Result<Vec<Delivery>, StorageError> {
    let incident_id = incident_id.as_str();
    Ok(outbox::table
        .filter(outbox::incident_id.eq(incident_id))
        .order((outbox::created_at.asc(), outbox::to_addr.asc()))
        .select(delivery_columns())
        .written_once()
        .load::<DeliveryRow>(conn)?
        .into_iter()
        .map(delivery)
        .collect())
}

/// `status = 'failed'` as a literal, not a bound value: it matches the partial index of failed rows
/// (`outbox_failed_idx`), whatever the planner's statistics say about the status column.
fn is_failed() -> fixed::Condition<Failed> {
    fixed::condition()
}

/// See [`is_failed`].
struct Failed;
impl fixed::Sql for Failed {
    const SQL: &'static str = "outbox.status = 'failed'";
}

/// Failed mails, newest first (for the dashboard).
pub fn failed(conn: &mut AnyConnection, limit: i64) -> Result<Vec<Delivery>, StorageError> {
    Ok(outbox::table
        .filter(is_failed())
        .order(outbox::created_at.desc())
        .limit(limit)
        .select(delivery_columns())
        .load::<DeliveryRow>(conn)?
        .into_iter()
        .map(delivery)
        .collect())
}

/// `status = 'pending' AND last_error IS NOT NULL` as literals: pending mails that failed before,
/// matching the partial index of those rows (`outbox_retrying_idx`), so that a burst of fresh
/// pending mails (bodies and all) is never read to find them. A requeued mail not yet attempted
/// again (no attempts, its old error kept) is not being retried.
fn is_retrying() -> fixed::Condition<Retrying> {
    fixed::condition()
}

/// See [`is_retrying`].
struct Retrying;
impl fixed::Sql for Retrying {
    const SQL: &'static str =
        "outbox.status = 'pending' AND outbox.last_error IS NOT NULL AND outbox.attempts > 0";
}

/// The mails about incidents inside one scope that did not go out, as the dashboard lists them.
#[derive(Debug, Default)]
pub struct Undelivered {
    /// Failed mails, newest first, with the incident's reference and id.
    pub failed: Vec<(String, String, Delivery)>,
    /// Mails being retried (pending, after at least one failed attempt), newest first, with the
    /// incident's reference and id.
    pub retrying: Vec<(String, String, Delivery)>,
}

/// Mails about incidents inside `scope` that failed, and those being retried: at most `LIMIT` of
/// each, newest first. Empty for a reporter's scope. One statement for both lists (each statement
/// is a round trip), spelled out per scope, not boxed, so that it has a static query id and is
/// prepared once per connection.
pub fn undelivered_in_scope<const LIMIT: u32>(
    conn: &mut AnyConnection,
    scope: &crate::domain::tenant::TenantScope,
) -> Result<Undelivered, StorageError> {
    use super::schema::incidents;
    use crate::domain::tenant::TenantScope;
    let query = || {
        outbox::table
            .inner_join(incidents::table.on(outbox::incident_id.eq(incidents::id.nullable())))
            .select((incidents::reference, incidents::id, delivery_columns()))
            .order(outbox::created_at.desc())
    };
    let rows: Vec<(String, String, DeliveryRow)> = match scope {
        TenantScope::All => fixed::union_all(
            query().filter(is_failed()).fixed_limit::<LIMIT>(),
            query().filter(is_retrying()).fixed_limit::<LIMIT>(),
        )
        .written_once()
        .load(conn)?,
        TenantScope::Client(client) => {
            let client = incidents::client_id.eq(client.0.as_str());
            fixed::union_all(
                query().filter(is_failed()).filter(client).fixed_limit::<LIMIT>(),
                query().filter(is_retrying()).filter(client).fixed_limit::<LIMIT>(),
            )
            .written_once()
            .load(conn)?
        }
        TenantScope::ReportedBy(_) | TenantScope::Nothing => Vec::new(),
    };
    // A row is failed or pending, never both; the union's order is not promised, so each list is
    // sorted again (stable: ties keep the statement's order).
    let (mut failed, mut retrying): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|(reference, id, row)| (reference, id, delivery(row)))
        .partition(|(_, _, mail)| mail.status == status::FAILED);
    failed.sort_by_key(|(_, _, mail)| std::cmp::Reverse(mail.created_at));
    retrying.sort_by_key(|(_, _, mail)| std::cmp::Reverse(mail.created_at));
    Ok(Undelivered { failed, retrying })
}

/// A failed mail as [`requeue_failed`] reads it: id, incident, its client, kind, recipient,
/// Message-ID, attempts.
type FailedRow = (String, Option<String>, Option<String>, String, String, String, i32, String);

/// Puts every failed mail inside `scope` back in the queue, due at `now`: `pending`, no attempts,
/// no lease, the same Message-ID (a resend is recognisable as the same message) and the last error
/// kept (the history says why it failed). One `mail.requeued` audit event per mail, by `actor`, in
/// the same transaction. `TenantScope::All` takes mails without an incident too; a client's scope
/// only its incidents' mails; a reporter's scope none. Answers how many mails were requeued.
///
/// Authorisation (only officers and admins) is the caller's; the scope is this function's.
pub fn requeue_failed(
    conn: &mut AnyConnection,
    scope: &crate::domain::tenant::TenantScope,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<usize, StorageError> {
    use super::schema::incidents;
    use crate::domain::tenant::TenantScope;
    let client = match scope {
        TenantScope::All => None,
        TenantScope::Client(client) => Some(client.0.clone()),
        TenantScope::ReportedBy(_) | TenantScope::Nothing => return Ok(0),
    };
    audit_log::write_tx(conn, |tx, audit| {
        let mut query = outbox::table
            .left_join(incidents::table.on(outbox::incident_id.eq(incidents::id.nullable())))
            .filter(is_failed())
            .select((
                outbox::id,
                outbox::incident_id,
                incidents::client_id.nullable(),
                outbox::kind,
                outbox::to_addr,
                outbox::message_id,
                outbox::attempts,
                outbox::channel,
            ))
            // By id: two requeues at once lock the rows in the same order.
            .order(outbox::id.asc())
            .into_boxed();
        if let Some(client) = client {
            query = query.filter(incidents::client_id.nullable().eq(client));
        }
        let failed: Vec<FailedRow> = query.load(tx)?;
        let due = to_db(now);
        let mut requeued = 0;
        for (id, incident_id, client_id, kind, to, message_id, attempts, row_channel) in failed {
            // Only if still failed: a requeue that ran first has taken it (and recorded it).
            let changed = diesel::update(outbox::table.find(&id).filter(is_failed()))
                .set((
                    outbox::status.eq(status::PENDING),
                    outbox::attempts.eq(0),
                    // A fresh start: its next refusal is tried again before it counts as final.
                    outbox::last_code.eq(None::<i32>),
                    outbox::next_attempt_at.eq(due),
                    outbox::lease_owner.eq(None::<String>),
                    outbox::lease_until.eq(None::<NaiveDateTime>),
                ))
                .execute(tx)?;
            if changed == 1 {
                let detail =
                    json!({ "kind": kind, "to": to, "message_id": message_id, "attempts": attempts });
                // A channel's post is requeued under its own name (`docs/ARCHITECTURE.md` §7a).
                let event_type =
                    if row_channel == channel::WEBHOOK { "webhook.requeued" } else { "mail.requeued" };
                audit.append(mail_event(actor, incident_id, client_id, event_type, detail, now));
                requeued += 1;
            }
        }
        Ok(requeued)
    })
}

/// `status = 'pending'` as a literal: the rows still in the queue's hands, found through
/// `outbox_status_next_idx (status, next_attempt_at)` whatever the statistics say.
fn is_pending() -> fixed::Condition<Pending> {
    fixed::condition()
}

/// See [`is_pending`].
struct Pending;
impl fixed::Sql for Pending {
    const SQL: &'static str = "outbox.status = 'pending'";
}

/// The outbox backlog of one [`channel`], for metrics: bounded figures only, each read through an
/// index (never the sent rows, which only grow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Backlog {
    /// Rows waiting, retries included (`outbox_channel_due_idx`).
    pub pending: i64,
    /// Of those, rows whose last attempt failed (`outbox_retrying_idx`).
    pub retrying: i64,
    /// Rows given up (`outbox_failed_idx`).
    pub failed: i64,
    /// The earliest `next_attempt_at` of a pending row that is already due.
    pub oldest_due: Option<DateTime<Utc>>,
}

/// Counts the backlog of the outbox's rows of `channel` ([`channel::MAIL`] or
/// [`channel::WEBHOOK`]).
pub fn backlog(conn: &mut AnyConnection, channel: &str, now: DateTime<Utc>) -> Result<Backlog, StorageError> {
    let of_channel = || outbox::channel.eq(channel.to_string());
    let pending: i64 = outbox::table.filter(of_channel()).filter(is_pending()).count().get_result(conn)?;
    let retrying: i64 = outbox::table.filter(of_channel()).filter(is_retrying()).count().get_result(conn)?;
    let failed: i64 = outbox::table.filter(of_channel()).filter(is_failed()).count().get_result(conn)?;
    Ok(Backlog { pending, retrying, failed, oldest_due: oldest_due(conn, channel, now)? })
}

/// The earliest `next_attempt_at` of a pending row of `channel` already due at `now`: one row read
/// off `outbox_channel_due_idx` (`ORDER BY next_attempt_at LIMIT 1`).
pub fn oldest_due(
    conn: &mut AnyConnection,
    channel: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StorageError> {
    let oldest: Option<NaiveDateTime> = outbox::table
        .filter(outbox::channel.eq(channel.to_string()))
        .filter(is_pending())
        .filter(outbox::next_attempt_at.le(to_db(now)))
        .order(outbox::next_attempt_at.asc())
        .select(outbox::next_attempt_at)
        .fixed_limit::<1>()
        .get_result(conn)
        .optional()?;
    Ok(oldest.map(from_db))
}
