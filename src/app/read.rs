//! Reading an incident and what hangs off it, for a caller who may: another tenant's incident is
//! [`CommandError::NotFound`], never a hint that it exists.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::page::{Page, PageRequest};
use super::{CommandError, target};
use crate::domain::audit::ChainedEvent;
use crate::domain::authz::{self, Action};
use crate::domain::directory::Client;
use crate::domain::escalation::EscalationPolicy;
use crate::domain::ids::IncidentId;
use crate::domain::incident::Incident;
use crate::domain::tenant::Principal;
use crate::storage::alerts::{self, AlertRecord};
use crate::storage::incidents::{ListFilter, ListPosition};
use crate::storage::outbox::{self, Delivery};
use crate::storage::{AnyConnection, audit_log, directory, incidents};

/// The incident `id` if `principal` may read it.
pub fn get(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &IncidentId,
) -> Result<Incident, CommandError> {
    let incident = incidents::load(conn, id)?.ok_or(CommandError::NotFound)?;
    authz::authorize(principal, Action::ReadIncident, Some(target(&incident)))?;
    Ok(incident)
}

/// A page of the incidents `principal` may see, in the list order of
/// [`incidents::ListPosition`].
pub fn list(
    conn: &mut AnyConnection,
    principal: &Principal,
    filter: &ListFilter,
    request: &PageRequest<ListPosition>,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Page<Incident>, CommandError> {
    let scope = principal.scope();
    let fetched =
        incidents::list_after(conn, &scope, filter, request.after.as_ref(), request.limit + 1, now, policy)?;
    let page = request.page(fetched, |listed| listed.position.clone());
    Ok(Page { items: page.items.into_iter().map(|l| l.incident).collect(), next_cursor: page.next_cursor })
}

/// The incident `id` with its client, if `principal` may read it.
pub fn with_client(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &IncidentId,
) -> Result<(Incident, Client), CommandError> {
    let incident = get(conn, principal, id)?;
    let client = directory::client_by_id(conn, &incident.client_id)?.ok_or(CommandError::NotFound)?;
    Ok((incident, client))
}

/// The audit events of an incident the principal may read, oldest first. Each `alert.sent` event
/// carries the delivery state of its mails now (`deliveries`), which the chain does not cover.
pub fn timeline(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &IncidentId,
) -> Result<Vec<ChainedEvent>, CommandError> {
    let incident = get(conn, principal, id)?;
    let events = audit_log::for_incident(conn, &incident.id, None, None)?;
    with_deliveries(conn, &incident, events)
}

/// What the incident page shows of an incident `principal` may read, the incident row and its
/// mails read once: the incident, its client, the alert schedule with each alert's mails (as
/// [`alerts()`]) and the timeline (as [`timeline`]).
pub fn incident_page(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &IncidentId,
) -> Result<IncidentPage, CommandError> {
    let mut page = incident_page_without_client(conn, principal, id)?;
    page.client = directory::client_by_id(conn, &page.incident.client_id)?;
    Ok(page)
}

/// [`incident_page`] with `client` left `None`, for a caller who has the client at hand.
pub fn incident_page_without_client(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &IncidentId,
) -> Result<IncidentPage, CommandError> {
    let incident = get(conn, principal, id)?;
    let client = None;
    let schedule = alerts::for_incident(conn, &incident.id)?;
    let events = audit_log::for_incident(conn, &incident.id, None, None)?;
    let mails = if schedule.is_empty() && !has_sent_alerts(&events) {
        Vec::new()
    } else {
        outbox::for_incident(conn, &incident.id)?
    };
    let timeline = attach_deliveries(events, &mails);
    let alerts = by_alert(schedule, mails);
    Ok(IncidentPage { incident, client, alerts, timeline })
}

/// See [`incident_page`].
#[derive(Debug)]
pub struct IncidentPage {
    /// The incident.
    pub incident: Incident,
    /// Its client (`None` when the directory no longer has it).
    pub client: Option<Client>,
    /// The alert schedule, each alert with its mails.
    pub alerts: Vec<(AlertRecord, Vec<Delivery>)>,
    /// The audit events, oldest first, with the deliveries of each `alert.sent`.
    pub timeline: Vec<ChainedEvent>,
}

fn has_sent_alerts(events: &[ChainedEvent]) -> bool {
    events.iter().any(|e| e.event.event_type == "alert.sent")
}

/// A page of [`timeline`]; the position of an event is its place in the chain (`seq`).
pub fn timeline_page(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &IncidentId,
    request: &PageRequest<i64>,
) -> Result<Page<ChainedEvent>, CommandError> {
    let incident = get(conn, principal, id)?;
    let events = audit_log::for_incident(conn, &incident.id, request.after, Some(request.limit + 1))?;
    let page = request.page(events, |event| event.seq);
    Ok(Page { items: with_deliveries(conn, &incident, page.items)?, next_cursor: page.next_cursor })
}

fn with_deliveries(
    conn: &mut AnyConnection,
    incident: &Incident,
    events: Vec<ChainedEvent>,
) -> Result<Vec<ChainedEvent>, CommandError> {
    if !has_sent_alerts(&events) {
        return Ok(events);
    }
    let mails = outbox::for_incident(conn, &incident.id)?;
    Ok(attach_deliveries(events, &mails))
}

/// Each `alert.sent` event with the delivery state of its mails now (`deliveries`).
fn attach_deliveries(mut events: Vec<ChainedEvent>, mails: &[Delivery]) -> Vec<ChainedEvent> {
    for event in &mut events {
        if event.event.event_type != "alert.sent" {
            continue;
        }
        let alert_id = event.event.detail.get("alert_id").and_then(|v| v.as_str()).map(str::to_string);
        if let (Some(alert_id), serde_json::Value::Object(detail)) = (alert_id, &mut event.event.detail) {
            let deliveries: Vec<serde_json::Value> = mails
                .iter()
                .filter(|m| m.alert_id.as_deref() == Some(alert_id.as_str()))
                .map(|m| {
                    json!({"to": m.to, "kind": m.kind, "status": m.status, "attempts": m.attempts,
                           "message_id": m.message_id, "sent_at": m.sent_at})
                })
                .collect();
            detail.insert("deliveries".into(), serde_json::Value::Array(deliveries));
        }
    }
    events
}

/// The alert schedule of an incident the principal may read, with each alert's mails.
pub fn alerts(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &IncidentId,
) -> Result<Vec<(AlertRecord, Vec<Delivery>)>, CommandError> {
    let incident = get(conn, principal, id)?;
    let schedule = alerts::for_incident(conn, &incident.id)?;
    let mails = outbox::for_incident(conn, &incident.id)?;
    Ok(by_alert(schedule, mails))
}

/// Each alert of `schedule` with its own mails.
fn by_alert(schedule: Vec<AlertRecord>, mut mails: Vec<Delivery>) -> Vec<(AlertRecord, Vec<Delivery>)> {
    schedule
        .into_iter()
        .map(|alert| {
            let (own, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut mails)
                .into_iter()
                .partition(|m| m.alert_id.as_deref() == Some(alert.id.as_str()));
            mails = rest;
            (alert, own)
        })
        .collect()
}
