//! Exporting the breach register (art. 33(5)): every incident in the caller's scope, with the
//! audit chain head after the export was recorded in the audit trail itself.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::CommandError;
use crate::domain::audit::AuditEvent;
use crate::domain::error::FieldError;
use crate::domain::escalation::EscalationPolicy;
use crate::domain::incident::Incident;
use crate::domain::tenant::TenantScope;
use crate::storage::audit_log::{self, Head};
use crate::storage::{AnyConnection, directory, incidents};

/// What an export holds.
#[derive(Debug)]
pub struct Export {
    /// The incidents, by reference.
    pub incidents: Vec<Incident>,
    /// The chain head after the export was recorded.
    pub head: Head,
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
    let (incidents, head) = audit_log::write_tx_with_head(conn, |tx, audit| {
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
        Ok::<_, CommandError>(items)
    })?;
    Ok(Export { incidents, head })
}
