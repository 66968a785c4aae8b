//! Exporting the breach register (art. 33(5)): every incident in the caller's scope, with the
//! audit chain head after the export was recorded in the audit trail itself.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::CommandError;
use crate::domain::audit::AuditEvent;
use crate::domain::error::FieldError;
use crate::domain::escalation::EscalationPolicy;
use crate::domain::incident::Incident;
use crate::domain::register::RegisterEntry;
use crate::domain::tenant::TenantScope;
use crate::storage::audit_log::{self, Head};
use crate::storage::{AnyConnection, directory, incidents};

/// What an export holds.
#[derive(Debug)]
pub struct Export {
    /// The incidents, by reference.
    pub incidents: Vec<Incident>,
    /// The names of their clients, by client id.
    pub client_names: HashMap<String, String>,
    /// The chain head after the export was recorded.
    pub head: Head,
}

impl Export {
    /// The register entries, each with its client's name.
    pub fn entries(&self, now: DateTime<Utc>, policy: &EscalationPolicy) -> Vec<RegisterEntry> {
        self.incidents
            .iter()
            .map(|i| {
                RegisterEntry::of(i, self.client_names.get(&i.client_id.0).map(String::as_str), now, policy)
            })
            .collect()
    }
}

/// Collects the register for `scope` (and one client, if given) and records the export.
pub fn export(
    conn: &mut AnyConnection,
    actor: &str,
    scope: &TenantScope,
    client: Option<&str>,
    format: &str,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Export, CommandError> {
    let ((incidents, client_names), head) = audit_log::write_tx_with_head(conn, |tx, audit| {
        let client_id = match client {
            Some(slug) => Some(
                directory::client_by_slug(tx, slug)?
                    .ok_or_else(|| FieldError::new("client", format!("no client with slug \"{slug}\"")))?
                    .id,
            ),
            None => None,
        };
        let filter = incidents::ListFilter { client: client.map(str::to_string), ..Default::default() };
        let mut items = incidents::list(tx, scope, &filter, now, policy)?;
        items.sort_by(|a, b| a.reported_at.cmp(&b.reported_at).then_with(|| a.reference.cmp(&b.reference)));
        audit.append(AuditEvent {
            at: now,
            actor: actor.to_string(),
            client_id: client_id.map(|c| c.0),
            incident_id: None,
            event_type: "register.export".into(),
            detail: json!({ "format": format, "client": client, "entries": items.len() }),
        });
        let mut ids: Vec<String> = items.iter().map(|i| i.client_id.0.clone()).collect();
        ids.sort();
        ids.dedup();
        let names = directory::clients_by_ids(tx, &ids)?.into_iter().map(|(id, c)| (id, c.name)).collect();
        Ok::<_, CommandError>((items, names))
    })?;
    Ok(Export { incidents, client_names, head })
}
