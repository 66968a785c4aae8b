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
use crate::storage::{AnyConnection, alerts, audit_log, directory, incidents};

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
    let new = &report.new;
    personal_data::check(new.facts.text_fields(), new.allow_personal_data)?;
    let unknown_client = || FieldError::new("client", format!("no client with slug \"{}\"", new.client));
    audit_log::write_tx(conn, |tx, audit| {
        let client =
            directory::client_by_slug(tx, &new.client)?.filter(|c| c.active).ok_or_else(unknown_client)?;
        // Reports for one client queue here: the next reference number and a replayed
        // idempotency key are read under this lock.
        incidents::lock_client(tx, &client.id)?;
        if let Some(idem) = &report.idempotency
            && let Some(earlier) = replay(tx, principal, idem)?
        {
            return Ok((earlier, true));
        }
        let me = principal.user_id.clone();
        // A client the reporter may not report for is, to the reporter, a client that does not exist.
        authz::authorize(
            principal,
            Action::ReportIncident,
            Some(Target { client_id: &client.id, reported_by: &me, state: None }),
        )
        .map_err(|_| unknown_client())?;
        if let Some(limit) = Some(report.per_minute).filter(|n| *n > 0) {
            let window = Duration::minutes(1);
            let recent = incidents::reported_since(tx, &me, now - window, limit as usize)?;
            if let Some(oldest) = recent.first().filter(|_| recent.len() >= limit as usize) {
                let wait = (*oldest + window - now).num_seconds().max(1);
                return Err(CommandError::TooMany { retry_after_seconds: wait.unsigned_abs() });
            }
        }

        let year = reference::year_of(now);
        let number = incidents::next_number(tx, &client.id, year)?;
        let incident = Incident::reported(
            IncidentId(crate::storage::new_id()),
            (&client.id, &client.slug),
            reference::format(&client.slug, year, number),
            new.facts.clone(),
            now,
            (&me, &principal.email),
        );
        incidents::insert(tx, &incident, year, number, now)?;
        let client_policy = policy.for_client(client.policy.as_ref());
        alerts::plan(tx, &incident.id, &escalation::plan_on_report(&incident, &client_policy), now)?;
        record(
            audit,
            principal,
            &incident,
            "report",
            json!({ "reference": incident.reference, "client": client.slug, "facts": incident.facts }),
            now,
        );
        if let Some(idem) = &report.idempotency {
            incidents::remember_idempotent_request(
                tx,
                &principal.user_id.0,
                &idem.key,
                &idem.request_digest,
                &incident.id.0,
                now,
            )?;
        }
        Ok((incident, false))
    })
}

/// The incident an earlier request with this key reported; refused when the key came with another
/// request.
fn replay(
    conn: &mut AnyConnection,
    principal: &Principal,
    idem: &IdempotencyKey,
) -> Result<Option<Incident>, CommandError> {
    let Some((digest, incident_id)) = incidents::idempotent_request(conn, &principal.user_id, &idem.key)?
    else {
        return Ok(None);
    };
    if digest != idem.request_digest {
        return Err(FieldError::new("Idempotency-Key", "was already used for a different request").into());
    }
    Ok(incidents::load(conn, &IncidentId(incident_id))?)
}
