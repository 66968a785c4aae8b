//! The DPO's one-click acknowledgement from a mail: the link is checked and used up in the same
//! transaction as the `acknowledge` event, and must still match the incident's client and that
//! client's DPO.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::CommandError;
use super::apply_event::commit;
use crate::domain::escalation::EscalationPolicy;
use crate::domain::incident::Incident;
use crate::domain::lifecycle;
use crate::domain::tenant::{Principal, Role};
use crate::storage::ack::{self, AckRefusal};
use crate::storage::{AnyConnection, audit_log, directory, incidents};

/// What became of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckOutcome {
    /// Recorded now.
    Recorded,
    /// The link is not (or no longer) valid.
    Refused(AckRefusal),
}

/// Records `acknowledge` for the DPO the link `token` (signed with `key`) was sent to.
pub fn acknowledge_by_link(
    conn: &mut AnyConnection,
    key: &[u8],
    token: &str,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<(AckOutcome, Option<Incident>), CommandError> {
    audit_log::write_tx(conn, |tx, audit| {
        let grant = match ack::check(tx, key, token, now)? {
            Ok(grant) => grant,
            Err(refusal) => return Ok((AckOutcome::Refused(refusal), None)),
        };
        incidents::lock_incident(tx, &grant.incident_id)?;
        let incident = incidents::load(tx, &grant.incident_id)?.ok_or(CommandError::NotFound)?;
        let client = directory::client_by_id(tx, &incident.client_id)?.ok_or(CommandError::NotFound)?;
        let bound =
            incident.client_id == grant.client_id && client.dpo_email.eq_ignore_ascii_case(&grant.dpo_email);
        if !bound || !ack::consume(tx, &grant.id, now)? {
            return Ok((AckOutcome::Refused(AckRefusal::Invalid), None));
        }
        let dpo = Principal {
            user_id: crate::domain::ids::UserId::from(format!("ack:{}", grant.id)),
            email: grant.dpo_email.clone(),
            role: Role::Dpo,
            client_id: Some(incident.client_id.clone()),
        };
        let mut transition =
            lifecycle::apply(&incident, &lifecycle::Event::Acknowledge, &dpo.email, now, policy)?;
        if let serde_json::Value::Object(detail) = &mut transition.detail {
            detail.insert("via".into(), json!("link"));
        }
        let next = commit(tx, audit, &dpo, &incident, transition, now, policy)?;
        Ok((AckOutcome::Recorded, Some(next)))
    })
}
