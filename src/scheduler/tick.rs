//! One tick: fire the alerts that are due, exactly once, with their mails and audit events in the
//! same transaction (DESIGN.md §4).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::config::Settings;
use crate::domain::audit::AuditEvent;
use crate::domain::directory::Client;
use crate::domain::escalation::{self, AlertCode, Audience, EscalationPolicy, Firing};
use crate::domain::incident::Incident;
use crate::notify::messages::{self, IncidentMail, MailContext, MailKind};
use crate::storage::alerts::{self, AlertRecord, AlertStatus};
use crate::storage::audit_log::{self, Appender};
use crate::storage::outbox::{self, NewMail};
use crate::storage::{AnyConnection, StorageError, ack, directory, incidents};

/// Incidents handled per transaction.
const INCIDENTS_PER_TRANSACTION: usize = 50;
/// Incidents looked at per tick; the rest wait for the next tick.
const INCIDENTS_PER_TICK: i64 = 5_000;

/// What a tick did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TickReport {
    /// Alerts mailed.
    pub sent: usize,
    /// Alerts superseded by a newer one.
    pub superseded: usize,
    /// Alerts that no longer applied.
    pub suppressed: usize,
    /// Mails queued.
    pub mails: usize,
}

/// Fires every alert due at `now`. Safe to run on any number of replicas at once: each alert moves
/// out of `planned` by compare-and-set, with its incident locked.
pub fn tick(
    conn: &mut AnyConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<TickReport, StorageError> {
    let due = alerts::due_incidents(conn, now, INCIDENTS_PER_TICK)?;
    let mut report = TickReport::default();
    for chunk in due.chunks(INCIDENTS_PER_TRANSACTION) {
        // Incident rows are locked in one global order, so that two replicas' ticks cannot
        // deadlock.
        let mut chunk = chunk.to_vec();
        chunk.sort();
        audit_log::write_tx(conn, |tx, audit| {
            let mut lookups = Lookups::default();
            for incident_id in &chunk {
                fire_incident(tx, audit, &mut lookups, settings, incident_id, now, &mut report)?;
            }
            Ok::<_, StorageError>(())
        })?;
    }
    Ok(report)
}

/// Clients and officers, read once per transaction rather than once per alert.
#[derive(Default)]
struct Lookups {
    clients: std::collections::HashMap<String, Client>,
    officers: Option<Vec<String>>,
}

impl Lookups {
    fn client(&mut self, tx: &mut AnyConnection, incident: &Incident) -> Result<Client, StorageError> {
        if let Some(client) = self.clients.get(&incident.client_id.0) {
            return Ok(client.clone());
        }
        let client = directory::client_by_id(tx, &incident.client_id)?.ok_or(StorageError::NotFound)?;
        self.clients.insert(client.id.0.clone(), client.clone());
        Ok(client)
    }

    fn officers(&mut self, tx: &mut AnyConnection) -> Result<&[String], StorageError> {
        if self.officers.is_none() {
            self.officers = Some(directory::officer_emails(tx)?);
        }
        Ok(self.officers.as_deref().unwrap_or_default())
    }
}

#[allow(clippy::too_many_arguments)]
fn fire_incident(
    tx: &mut AnyConnection,
    audit: &mut Appender,
    lookups: &mut Lookups,
    settings: &Settings,
    incident_id: &str,
    now: DateTime<Utc>,
    report: &mut TickReport,
) -> Result<(), StorageError> {
    // Read again under the lock: another replica may have fired them meanwhile, or a command
    // changed the incident.
    incidents::lock_incident(tx, incident_id)?;
    let due = alerts::due_for_incident(tx, incident_id, now)?;
    if due.is_empty() {
        return Ok(());
    }
    let incident = incidents::load(tx, incident_id)?.ok_or(StorageError::NotFound)?;
    let client = lookups.client(tx, &incident)?;
    let policy = settings.escalation.for_client(client.policy.as_ref());
    let planned: Vec<_> = due.iter().map(AlertRecord::planned).collect();
    let firings = escalation::decide_firing(&planned, &incident);
    for (alert, firing) in due.iter().zip(firings) {
        match firing {
            Firing::Send => {
                let recipients = resolve(tx, lookups, alert.code, &incident, &client, &policy)?;
                if !alerts::set_status(tx, &alert.id, AlertStatus::Sent, Some(now), &recipients)? {
                    continue;
                }
                report.sent += 1;
                report.mails +=
                    queue_mails(tx, settings, &policy, &incident, &client, alert, &recipients, now)?;
                let detail = json!({
                    "alert_id": alert.id,
                    "code": alert.code.as_str(),
                    "repeat_no": alert.repeat_no,
                    "due_at": alert.due_at,
                    "recipients": recipients,
                    "lag_seconds": (now - alert.due_at).num_seconds(),
                });
                record(audit, &incident, "alert.sent", detail, now);
                if let Some(next) = escalation::follow_up(&alert.planned(), now, &incident, &policy) {
                    alerts::insert(tx, incident_id, alert.generation, &[next], now)?;
                }
            }
            Firing::Supersede => {
                if alerts::set_status(tx, &alert.id, AlertStatus::Superseded, Some(now), &[])? {
                    report.superseded += 1;
                    let detail = json!({ "code": alert.code.as_str(), "due_at": alert.due_at });
                    record(audit, &incident, "alert.superseded", detail, now);
                }
            }
            Firing::Suppress => {
                if alerts::set_status(tx, &alert.id, AlertStatus::Suppressed, None, &[])? {
                    report.suppressed += 1;
                    let detail = json!({ "code": alert.code.as_str(), "due_at": alert.due_at });
                    record(audit, &incident, "alert.suppressed", detail, now);
                }
            }
        }
    }
    Ok(())
}

fn record(
    audit: &mut Appender,
    incident: &Incident,
    event_type: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) {
    audit.append(AuditEvent {
        at: now,
        actor: "system".into(),
        client_id: Some(incident.client_id.0.clone()),
        incident_id: Some(incident.id.0.clone()),
        event_type: event_type.into(),
        detail,
    });
}

/// The addresses of an alert's audiences, each once, in a stable order.
fn resolve(
    tx: &mut AnyConnection,
    lookups: &mut Lookups,
    code: AlertCode,
    incident: &Incident,
    client: &Client,
    policy: &EscalationPolicy,
) -> Result<Vec<String>, StorageError> {
    let mut addresses = BTreeSet::new();
    let mut ordered = Vec::new();
    let mut add = |address: &str| {
        let address = address.trim().to_ascii_lowercase();
        if !address.is_empty() && addresses.insert(address.clone()) {
            ordered.push(address);
        }
    };
    for audience in code.audience(policy) {
        match audience {
            Audience::Dpo => add(&client.dpo_email),
            Audience::ClientContacts => client.escalation_emails.iter().for_each(|a| add(a)),
            Audience::Officers => lookups.officers(tx)?.iter().for_each(|a| add(a)),
            Audience::Management => policy.management_emails.iter().for_each(|a| add(a)),
            Audience::Reporter => add(&incident.reported_by_email),
        }
    }
    Ok(ordered)
}

#[allow(clippy::too_many_arguments)]
fn queue_mails(
    tx: &mut AnyConnection,
    settings: &Settings,
    policy: &EscalationPolicy,
    incident: &Incident,
    client: &Client,
    alert: &AlertRecord,
    recipients: &[String],
    now: DateTime<Utc>,
) -> Result<usize, StorageError> {
    let kind = MailKind::of_alert(alert.code);
    let a0_sent_at = if alert.code == AlertCode::U0 { alerts::a0_sent_at(tx, &incident.id.0)? } else { None };
    let dpo = client.dpo_email.to_ascii_lowercase();
    let mut queued = 0;
    for to in recipients {
        let for_dpo = *to == dpo;
        let ack_url = if for_dpo && alert.code != AlertCode::P0 && incident.acknowledged_at.is_none() {
            let token =
                ack::issue(tx, settings.server.secret_key.expose(), &incident.id.0, &client.id.0, &dpo, now)?;
            Some(format!("{}/ack/{token}", settings.server.base_url))
        } else {
            None
        };
        let mail = IncidentMail {
            incident,
            client,
            code: alert.code,
            now,
            policy,
            base_url: &settings.server.base_url,
            ack_url: ack_url.as_deref(),
            for_dpo,
            a0_sent_at,
        };
        queued += queue(
            tx,
            settings,
            kind,
            &MailContext::for_incident(&mail),
            client,
            incident,
            Some(&alert.id),
            to,
            now,
        )?;
    }
    if alert.code == AlertCode::P0 {
        let reporter = incident.reported_by_email.to_ascii_lowercase();
        if !recipients.contains(&reporter) {
            let mail = IncidentMail {
                incident,
                client,
                code: alert.code,
                now,
                policy,
                base_url: &settings.server.base_url,
                ack_url: None,
                for_dpo: false,
                a0_sent_at: None,
            };
            let context = MailContext::for_incident(&mail);
            queued += queue(
                tx,
                settings,
                MailKind::P0Receipt,
                &context,
                client,
                incident,
                Some(&alert.id),
                &reporter,
                now,
            )?;
        }
    }
    Ok(queued)
}

#[allow(clippy::too_many_arguments)]
fn queue(
    tx: &mut AnyConnection,
    settings: &Settings,
    kind: MailKind,
    context: &MailContext,
    client: &Client,
    incident: &Incident,
    alert_id: Option<&str>,
    to: &str,
    now: DateTime<Utc>,
) -> Result<usize, StorageError> {
    let rendered =
        messages::render(kind, context).map_err(|e| StorageError::Corrupt(format!("mail template: {e}")))?;
    outbox::enqueue(
        tx,
        &NewMail {
            incident_id: Some(incident.id.0.clone()),
            client_id: Some(client.id.0.clone()),
            alert_id: alert_id.map(str::to_string),
            kind: kind.as_str().to_string(),
            locale: client.locale.as_str().to_string(),
            to: to.to_string(),
            subject: rendered.subject,
            body_text: rendered.text,
            body_html: Some(rendered.html),
            message_id: crate::notify::message_id(&settings.mail.from),
        },
        now,
    )?;
    Ok(1)
}
