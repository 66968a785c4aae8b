//! Reporting a suspected leak: the reporter's facts become an incident in `reported`, numbered per
//! client and year, with its first alerts (P0, P1) planned and the report recorded, in one
//! transaction. A retry with the same idempotency key answers the first incident.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{CommandError, personal_data, record};
use crate::domain::authz::{self, Action, Target};
use crate::domain::error::FieldError;
use crate::domain::escalation::{self, EscalationPolicy};
use crate::domain::ids::IncidentId;
use crate::domain::incident::{Incident, NewIncident};
use crate::domain::reference;
use crate::domain::tenant::Principal;
use crate::storage::{AnyConnection, Database, audit_log, directory, incidents};

/// An `Idempotency-Key` with the digest of the request it came with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    /// The key as sent.
    pub key: String,
    /// SHA-256 of the request body.
    pub request_digest: String,
}

/// What the caller sent to report an incident.
#[derive(Debug, Clone)]
pub struct Report {
    /// The parsed report.
    pub new: NewIncident,
    /// Its idempotency key, if any.
    pub idempotency: Option<IdempotencyKey>,
    /// The most reports one reporter may make in a minute (`server.reports_per_minute`); 0: no
    /// limit (also for the operator's own tools: seed, CLI).
    pub per_minute: u32,
}

/// Reports an incident. Returns the incident and whether this was a replay of an earlier request
/// with the same idempotency key.
pub fn report(
    conn: &mut AnyConnection,
    principal: &Principal,
    report: &Report,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<(Incident, bool), CommandError> {
    check(report)?;
    audit_log::write_tx(conn, |tx, audit| reported(tx, audit, principal, report, now, policy))
}

/// What is refused before any transaction: free text that looks like personal data.
fn check(report: &Report) -> Result<(), CommandError> {
    personal_data::check(report.new.facts.text_fields(), report.new.allow_personal_data)
}

/// [`report`] as the server runs it: reports of one client that arrive together are committed
/// together (`storage::group_commit`), each still refused or accepted on its own.
pub async fn report_grouped(
    db: &Database,
    principal: Principal,
    report: Report,
    now: DateTime<Utc>,
    policy: EscalationPolicy,
) -> Result<(Incident, bool), CommandError> {
    check(&report)?;
    // Every report of a client locks that client's row, then its chain's head: the same rows in the
    // same order, which is what sharing a group asks.
    let key = format!("report:{}", report.new.client);
    db.write_grouped(&key, move |tx, audit| reported(tx, audit, &principal, &report, now, &policy)).await
}

/// The work of a report inside its write transaction.
fn reported(
    tx: &mut AnyConnection,
    audit: &mut audit_log::Appender,
    principal: &Principal,
    report: &Report,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<(Incident, bool), CommandError> {
    let new = &report.new;
    let unknown_client = || FieldError::new("client", format!("no client with slug \"{}\"", new.client));
    // Reports for one client queue on this lock: the next reference number and a replayed
    // idempotency key are read under it.
    let client =
        directory::client_by_slug_locked(tx, &new.client)?.filter(|c| c.active).ok_or_else(unknown_client)?;
    let me = principal.user_id.clone();
    let year = reference::year_of(now);
    let window = Duration::minutes(1);
    let limit = Some(report.per_minute).filter(|n| *n > 0);
    // Everything the decisions below read, in one statement.
    let read = incidents::before_report(
        tx,
        &client.id,
        year,
        &me,
        limit.map(|_| now - window),
        report.idempotency.as_ref().map(|idem| idem.key.as_str()),
    )?;
    if let Some(idem) = &report.idempotency
        && let Some(earlier) = replay(tx, idem, read.earlier)?
    {
        return Ok((earlier, true));
    }
    // A client the reporter may not report for is, to the reporter, a client that does not exist.
    authz::authorize(
        principal,
        Action::ReportIncident,
        Some(Target { client_id: &client.id, reported_by: &me, state: None }),
    )
    .map_err(|_| unknown_client())?;
    if let (Some(limit), Some((recent, Some(oldest)))) = (limit, read.reported_since)
        && recent >= i64::from(limit)
    {
        let wait = (oldest + window - now).num_seconds().max(1);
        return Err(CommandError::TooMany { retry_after_seconds: wait.unsigned_abs() });
    }

    let number = read.next_number;
    let incident = Incident::reported(
        IncidentId(crate::storage::new_id()),
        (&client.id, &client.slug),
        reference::format(&client.slug, year, number),
        new.facts.clone(),
        now,
        (&me, &principal.email),
    );
    let client_policy = policy.for_client(client.policy.as_ref());
    let planned = escalation::plan_on_report(&incident, &client_policy);
    let idempotency =
        report.idempotency.as_ref().map(|idem| (idem.key.as_str(), idem.request_digest.as_str()));
    incidents::insert_reported(tx, &incident, (year, number), &planned, idempotency, now)?;
    record(
        audit,
        principal,
        &incident,
        "report",
        json!({ "reference": incident.reference, "client": client.slug, "facts": incident.facts }),
        now,
    );
    Ok((incident, false))
}

/// The incident an earlier request with this key reported (`earlier`: its request digest and
/// incident, as read under the client's lock); refused when the key came with another request.
fn replay(
    conn: &mut AnyConnection,
    idem: &IdempotencyKey,
    earlier: Option<(String, String)>,
) -> Result<Option<Incident>, CommandError> {
    let Some((digest, incident_id)) = earlier else {
        return Ok(None);
    };
    if digest != idem.request_digest {
        return Err(FieldError::new("Idempotency-Key", "was already used for a different request").into());
    }
    Ok(incidents::load(conn, &IncidentId(incident_id))?)
}
