//! Exporting the breach register (art. 33(5)): every incident in the caller's scope, with the
//! audit chain head after the export was recorded in the audit trail itself.
//!
//! A client's export (one client asked for, or a DPO's scope) is recorded on that client's chain
//! and carries the chain itself up to its head, free text as digests, so that the client's own
//! auditor can verify it offline (`art33 audit verify --export FILE`) without seeing any other
//! client's events. An export of every client is recorded on the system chain and carries each
//! client chain's head, but no events.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde_json::json;

use super::CommandError;
use crate::domain::audit::{self, AuditEvent, ChainedEvent, SYSTEM_CHAIN};
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
    /// The slugs of their clients, by client id.
    pub client_slugs: HashMap<String, String>,
    /// The chain the export was recorded on: the client's, or the system chain for every client.
    pub chain: String,
    /// That chain's head after the export was recorded.
    pub head: Head,
    /// The head of each client chain of the incidents (the client's own chain head for a client's
    /// export), by client id.
    pub client_heads: BTreeMap<String, Head>,
    /// The last audit event of each incident: its chain's `(seq, hash)`, by incident id.
    pub last_events: HashMap<String, (i64, String)>,
    /// A client's export: its chain from the first event up to the head, for offline verification.
    pub events: Option<Vec<ChainedEvent>>,
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

    /// The head of the chain an incident's events are on (its client's).
    pub fn head_of(&self, incident: &Incident) -> Head {
        self.client_heads
            .get(&incident.client_id.0)
            .cloned()
            .unwrap_or_else(|| Head { seq: 0, hash: audit::GENESIS.to_string() })
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
    let ((incidents, client_names, client_slugs, event), heads) =
        audit_log::write_tx_with_heads(conn, |tx, audit| {
            let client_id = match (client, scope) {
                (Some(slug), _) => Some(
                    directory::client_by_slug(tx, slug)?
                        .ok_or_else(|| FieldError::new("client", format!("no client with slug \"{slug}\"")))?
                        .id
                        .0,
                ),
                // A DPO's register is its client's: recorded on, and carrying, that chain.
                (None, TenantScope::Client(own)) => Some(own.0.clone()),
                (None, _) => None,
            };
            let filter = incidents::ListFilter { client: client.map(str::to_string), ..Default::default() };
            let mut items = incidents::list(tx, scope, &filter, now, policy)?;
            items.sort_by(|a, b| {
                a.reported_at.cmp(&b.reported_at).then_with(|| a.reference.cmp(&b.reference))
            });
            let event = AuditEvent {
                at: now,
                actor: actor.to_string(),
                client_id,
                incident_id: None,
                event_type: "register.export".into(),
                detail: json!({ "format": format, "client": client, "entries": items.len() }),
            };
            audit.append(event.clone());
            let mut ids: Vec<String> = items.iter().map(|i| i.client_id.0.clone()).collect();
            ids.sort();
            ids.dedup();
            let clients = directory::clients_by_ids(tx, &ids)?;
            let names: HashMap<String, String> =
                clients.iter().map(|(id, c)| (id.clone(), c.name.clone())).collect();
            let slugs: HashMap<String, String> = clients.into_iter().map(|(id, c)| (id, c.slug)).collect();
            Ok::<_, CommandError>((items, names, slugs, event))
        })?;
    let chain = audit::chain_of(&event).to_string();
    let head = heads.get(&chain).cloned().ok_or_else(|| {
        CommandError::from(crate::storage::StorageError::Corrupt(
            "the export's chain head was not read".into(),
        ))
    })?;
    // Read after the commit, each chain up to a head it had then: chains only grow, so what is read
    // is the chain as it stood.
    let mut client_heads = BTreeMap::new();
    for client_id in client_slugs.keys() {
        let head = if *client_id == chain { head.clone() } else { audit_log::head(conn, client_id)? };
        client_heads.insert(client_id.clone(), head);
    }
    let last_events = audit_log::last_events_of_incidents(conn, &client_heads)?;
    let events = match chain.as_str() {
        SYSTEM_CHAIN => None,
        client_chain => Some(audit_log::chain_events(conn, client_chain, head.seq)?),
    };
    Ok(Export { incidents, client_names, client_slugs, chain, head, client_heads, last_events, events })
}
