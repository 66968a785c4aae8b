//! The retention purge (`docs/ARCHITECTURE.md` §8): free text of incidents closed longer ago than
//! `retention.closed_years` is removed, from the incident, its audit details and its mails. The
//! audit chain hashes free text by its digest, so the chain still verifies afterwards.

use chrono::{DateTime, Months, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::audit_log;
use super::backend::AnyConnection;
use super::error::StorageError;
use super::schema::{audit_events, incidents, outbox};
use super::to_db;
use crate::domain::audit::{self, AuditEvent};

/// What replaces purged text in required fields.
pub const PURGED: &str = "[purged]";

/// Incidents purged per call (the rest follow at the next call).
const BATCH: i64 = 100;

/// Purges the incidents closed before `now − years`; returns how many.
pub fn purge(conn: &mut AnyConnection, now: DateTime<Utc>, years: u32) -> Result<usize, StorageError> {
    let Some(cutoff) = now.checked_sub_months(Months::new(years.saturating_mul(12))) else { return Ok(0) };
    let due: Vec<(String, String, Option<NaiveDateTime>)> = incidents::table
        .filter(incidents::closed_at.lt(to_db(cutoff)))
        .filter(incidents::purged_at.is_null())
        .select((incidents::id, incidents::client_id, incidents::closed_at))
        .order(incidents::closed_at.asc())
        .limit(BATCH)
        .load(conn)?;
    for (id, client_id, closed_at) in &due {
        audit_log::write_tx(conn, |tx, audit| {
            let none = None::<String>;
            diesel::update(incidents::table.find(id).filter(incidents::purged_at.is_null()))
                .set((
                    incidents::title.eq(PURGED),
                    incidents::summary.eq(PURGED),
                    incidents::discovery_method.eq(&none),
                    incidents::consequences.eq(&none),
                    incidents::measures_taken.eq(&none),
                    incidents::measures_planned.eq(&none),
                    incidents::other_organisations.eq(&none),
                    incidents::other_supervisors.eq(&none),
                    incidents::awareness_justification.eq(&none),
                    incidents::dismiss_reason.eq(&none),
                    incidents::not_notifiable_justification.eq(&none),
                    incidents::delay_reason.eq(&none),
                    incidents::withdraw_reason.eq(&none),
                    incidents::subjects_explanation.eq(&none),
                    incidents::close_summary.eq(&none),
                    incidents::assessment.eq(&none),
                    incidents::notified_snapshot.eq(&none),
                    incidents::supplements.eq("[]"),
                    incidents::purged_at.eq(to_db(now)),
                    incidents::version.eq(incidents::version + 1),
                    incidents::updated_at.eq(to_db(now)),
                ))
                .execute(tx)?;
            let details: Vec<(String, i64, String)> = audit_events::table
                .filter(audit_events::incident_id.eq(id))
                .select((audit_events::chain, audit_events::seq, audit_events::detail))
                .load(tx)?;
            for (chain, seq, detail) in details {
                let value: serde_json::Value = serde_json::from_str(&detail)?;
                let digested = audit::digest_free_text(&value);
                if digested != value {
                    diesel::update(audit_events::table.find((chain, seq)))
                        .set(audit_events::detail.eq(serde_json::to_string(&digested)?))
                        .execute(tx)?;
                }
            }
            diesel::update(outbox::table.filter(outbox::incident_id.eq(id)))
                .set((outbox::body_text.eq(PURGED), outbox::body_html.eq(None::<String>)))
                .execute(tx)?;
            audit.append(AuditEvent {
                at: now,
                actor: "system".into(),
                client_id: Some(client_id.clone()),
                incident_id: Some(id.clone()),
                event_type: "retention.purge".into(),
                detail: json!({ "closed_at": closed_at.map(|t| t.and_utc()), "retention_years": years }),
            });
            Ok::<_, StorageError>(())
        })?;
    }
    Ok(due.len())
}
