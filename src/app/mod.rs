//! The application layer: one use case per file. A use case owns the rules of one command
//! (who may do it, the personal-data policy, idempotency, what to plan and record) and runs it as
//! one transaction: it asks the pure [`crate::domain`] for every decision and [`crate::storage`]
//! for the rows. The web pages, the JSON API, the CLI and the seed only parse, call a use case and
//! render its answer, so that a rule written here holds on every path.
//!
//! Use cases take a connection (`&mut AnyConnection`): callers run them through
//! [`crate::storage::Database::run`], whose error type is the use case's [`CommandError`].

pub mod acknowledge;
pub mod apply_event;
pub mod calendar;
pub mod channels;
pub mod error;
pub mod export;
pub mod fire;
pub mod login;
pub mod page;
pub mod password_reset;
pub mod patch;
pub mod personal_data;
pub mod profile;
pub mod read;
pub mod report;
pub mod requeue;
pub mod sso;

use chrono::{DateTime, Utc};

use crate::domain::audit::AuditEvent;
use crate::domain::authz::Target;
use crate::domain::incident::Incident;
use crate::domain::tenant::Principal;
use crate::storage::audit_log::Appender;
pub use error::CommandError;

/// What authorisation knows of an incident.
pub(crate) fn target(incident: &Incident) -> Target<'_> {
    Target { client_id: &incident.client_id, reported_by: &incident.reported_by, state: Some(incident.state) }
}

/// Records what `principal` did to `incident` in the audit trail of the transaction.
pub(crate) fn record(
    audit: &mut Appender,
    principal: &Principal,
    incident: &Incident,
    event_type: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) {
    audit.append(AuditEvent {
        at: now,
        actor: principal.email.clone(),
        client_id: Some(incident.client_id.0.clone()),
        incident_id: Some(incident.id.0.clone()),
        event_type: event_type.to_string(),
        detail,
    })
}
