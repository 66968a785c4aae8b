//! Applying a lifecycle event: the caller must see the incident and may apply this event; the table
//! must allow it now (409); its fields must be valid (422) and its free text pass the
//! personal-data policy (422); then the incident changes, its alerts are re-planned and the event
//! is recorded, in one transaction.

use chrono::{DateTime, Utc};

use super::{CommandError, personal_data, record, target};
use crate::domain::authz::{self, Action};
use crate::domain::escalation::{self, EscalationPolicy};
use crate::domain::ids::IncidentId;
use crate::domain::incident::Incident;
use crate::domain::input::{self, Object};
use crate::domain::lifecycle::{self, Event, Transition};
use crate::domain::tenant::Principal;
use crate::storage::audit_log::{self, Appender};
use crate::storage::{AnyConnection, alerts, directory, incidents};

/// Applies an event body (`{"type": …, …}`) to incident `id`.
pub fn apply_event(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &IncidentId,
    body: &Object,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Incident, CommandError> {
    audit_log::write_tx(conn, |tx, audit| {
        incidents::lock_incident(tx, id)?;
        let incident = incidents::load(tx, id)?.ok_or(CommandError::NotFound)?;
        authz::authorize(principal, Action::ReadIncident, Some(target(&incident)))?;
        let kind = lifecycle::kind_of(body)?;
        authz::authorize(principal, Action::ApplyEvent(kind), Some(target(&incident)))?;
        lifecycle::check_allowed(&incident, kind)?;
        let event = Event::parse(kind, body, now)?;
        let allowed = input::boolean(body, "allow_personal_data")?.unwrap_or(false);
        personal_data::check(event.free_text(), allowed)?;
        let transition = lifecycle::apply(&incident, &event, &principal.email, now, policy)?;
        commit(tx, audit, principal, &incident, transition, now, policy)
    })
}

/// Writes an accepted transition: the incident, its re-planned alerts, and the audit event.
pub(crate) fn commit(
    tx: &mut AnyConnection,
    audit: &mut Appender,
    principal: &Principal,
    before: &Incident,
    transition: Transition,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Incident, CommandError> {
    incidents::save(tx, before, &transition.incident, now)?;
    let client = directory::client_by_id(tx, &before.client_id)?;
    let policy = policy.for_client(client.as_ref().and_then(|c| c.policy.as_ref()));
    let change = escalation::plan_on_event(before, &transition.incident, transition.kind, now, &policy);
    alerts::apply_change(tx, &transition.incident, &change, now)?;
    record(audit, principal, &transition.incident, transition.kind.as_str(), transition.detail, now);
    Ok(transition.incident)
}
