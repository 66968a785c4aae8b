//! Editing an incident's facts: allowed to whom the authorisation table says, while the incident is
//! not closed; only changed fields are recorded, and changed free text passes the personal-data
//! policy first.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{CommandError, personal_data, record, target};
use crate::domain::authz::{self, Action};
use crate::domain::ids::IncidentId;
use crate::domain::incident::{FactsPatch, Incident};
use crate::domain::input::Object;
use crate::domain::lifecycle;
use crate::domain::tenant::Principal;
use crate::storage::{AnyConnection, audit_log, incidents};

/// Edits the facts of incident `id`.
pub fn patch(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &IncidentId,
    patch: &FactsPatch,
    now: DateTime<Utc>,
) -> Result<Incident, CommandError> {
    audit_log::write_tx(conn, |tx, audit| {
        incidents::lock_incident(tx, id)?;
        let incident = incidents::load(tx, id)?.ok_or(CommandError::NotFound)?;
        authz::authorize(principal, Action::EditIncident, Some(target(&incident)))?;
        lifecycle::check_editable(&incident)?;
        let (facts, changed) = incident.facts.patched(&patch.object, now)?;
        if changed.is_empty() {
            return Ok(incident);
        }
        let changed_text = facts.text_fields().into_iter().filter(|(field, _)| changed.contains(field));
        personal_data::check(changed_text, patch.allow_personal_data)?;
        let mut next = incident.clone();
        next.facts = facts;
        next.version += 1;
        incidents::save(tx, &incident, &next, now)?;
        let after = next.facts.to_object();
        let detail: Object =
            changed.iter().map(|k| (k.to_string(), after.get(*k).cloned().unwrap_or_default())).collect();
        record(audit, principal, &next, "patch", json!({ "changed": detail }), now);
        Ok(next)
    })
}
