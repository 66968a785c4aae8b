//! The materialised alert schedule (`docs/ARCHITECTURE.md` §6): rows planned in the transaction of
//! the event that causes them, fired exactly once by compare-and-set.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::backend::AnyConnection;
use super::error::StorageError;
use super::fixed::{FixedLimitDsl, WrittenOnceDsl};
use super::schema::alerts;
use super::{from_db, new_id, to_db};
use crate::domain::escalation::{AlertCode, PlanChange, PlannedAlert};
use crate::domain::ids::IncidentId;
use crate::domain::incident::Incident;

/// Status of an alert row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertStatus {
    /// Waiting for its instant.
    Planned,
    /// Mailed.
    Sent,
    /// A newer alert of the same incident was mailed instead.
    Superseded,
    /// It no longer applied when it fell due (or was cancelled).
    Suppressed,
}

impl AlertStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Planned => "planned",
            AlertStatus::Sent => "sent",
            AlertStatus::Superseded => "superseded",
            AlertStatus::Suppressed => "suppressed",
        }
    }
}

/// An alert as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRecord {
    /// Row id.
    pub id: String,
    /// The incident.
    pub incident_id: String,
    /// Which alert.
    pub code: AlertCode,
    /// Plan generation (a new one per confirm, reopen, notification).
    pub generation: i32,
    /// Reminder number (A5).
    pub repeat_no: i32,
    /// When due.
    pub due_at: DateTime<Utc>,
    /// `planned`, `sent`, `superseded` or `suppressed`.
    pub status: String,
    /// The addresses mailed (once fired).
    pub recipients: Vec<String>,
    /// When fired.
    pub fired_at: Option<DateTime<Utc>>,
}

impl AlertRecord {
    /// The planned alert this row holds.
    pub fn planned(&self) -> PlannedAlert {
        PlannedAlert { code: self.code, due_at: self.due_at, repeat_no: self.repeat_no }
    }
}

type Row = (String, String, String, i32, i32, NaiveDateTime, String, String, Option<NaiveDateTime>);

fn columns() -> (
    alerts::id,
    alerts::incident_id,
    alerts::code,
    alerts::generation,
    alerts::repeat_no,
    alerts::due_at,
    alerts::status,
    alerts::recipients,
    alerts::fired_at,
) {
    (
        alerts::id,
        alerts::incident_id,
        alerts::code,
        alerts::generation,
        alerts::repeat_no,
        alerts::due_at,
        alerts::status,
        alerts::recipients,
        alerts::fired_at,
    )
}

fn record(row: Row) -> Result<AlertRecord, StorageError> {
    let (id, incident_id, code, generation, repeat_no, due_at, status, recipients, fired_at) = row;
    Ok(AlertRecord {
        code: AlertCode::parse(&code)
            .ok_or_else(|| StorageError::Corrupt(format!("alert {id}: code {code:?}")))?,
        id,
        incident_id,
        generation,
        repeat_no,
        due_at: from_db(due_at),
        status,
        recipients: serde_json::from_str(&recipients)?,
        fired_at: fired_at.map(from_db),
    })
}

/// Plans `alerts` for `incident_id` in generation `generation`.
pub fn insert(
    conn: &mut AnyConnection,
    incident_id: &str,
    generation: i32,
    planned: &[PlannedAlert],
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let rows: Vec<_> = planned.iter().map(|alert| (incident_id.to_string(), generation, *alert)).collect();
    insert_many(conn, &rows, now)
}

/// Plans several incidents' alerts at once (the scheduler's follow-ups): `(incident_id,
/// generation, alert)`, in multi-row statements.
pub fn insert_many(
    conn: &mut AnyConnection,
    planned: &[(String, i32, PlannedAlert)],
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    for chunk in planned.chunks(ROWS_PER_INSERT) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(incident_id, generation, alert)| new_row(incident_id, *generation, alert, now))
            .collect();
        on_backend!(conn, |c| diesel::insert_into(alerts::table).values(rows).execute(c))?;
    }
    Ok(())
}

/// A planned alert as inserted: a tuple of columns and values, which diesel inserts on SQLite as
/// one multi-row statement (a derived `Insertable` struct goes row by row there, in a savepoint).
pub(crate) type NewAlertRow<'a> = (
    diesel::dsl::Eq<alerts::id, String>,
    diesel::dsl::Eq<alerts::incident_id, &'a str>,
    diesel::dsl::Eq<alerts::code, &'static str>,
    diesel::dsl::Eq<alerts::generation, i32>,
    diesel::dsl::Eq<alerts::repeat_no, i32>,
    diesel::dsl::Eq<alerts::due_at, NaiveDateTime>,
    diesel::dsl::Eq<alerts::status, &'static str>,
    diesel::dsl::Eq<alerts::audience, &'static str>,
    diesel::dsl::Eq<alerts::recipients, &'static str>,
    diesel::dsl::Eq<alerts::created_at, NaiveDateTime>,
);

/// The row of `alert`, planned at `now` for `incident_id` in `generation`.
pub(crate) fn new_row<'a>(
    incident_id: &'a str,
    generation: i32,
    alert: &PlannedAlert,
    now: DateTime<Utc>,
) -> NewAlertRow<'a> {
    (
        alerts::id.eq(new_id()),
        alerts::incident_id.eq(incident_id),
        alerts::code.eq(alert.code.as_str()),
        alerts::generation.eq(generation),
        alerts::repeat_no.eq(alert.repeat_no),
        alerts::due_at.eq(to_db(alert.due_at)),
        alerts::status.eq(AlertStatus::Planned.as_str()),
        alerts::audience.eq("[]"),
        alerts::recipients.eq("[]"),
        alerts::created_at.eq(to_db(now)),
    )
}

/// Rows per multi-row INSERT: ten parameters each, well inside both engines' limits.
const ROWS_PER_INSERT: usize = 500;

/// The next plan generation of an incident.
pub fn next_generation(conn: &mut AnyConnection, incident_id: &IncidentId) -> Result<i32, StorageError> {
    let incident_id = incident_id.as_str();
    let last: Option<i32> = alerts::table
        .filter(alerts::incident_id.eq(incident_id))
        .select(diesel::dsl::max(alerts::generation))
        .get_result(conn)?;
    Ok(last.map_or(0, |g| g + 1))
}

/// Plans a new generation of alerts.
pub fn plan(
    conn: &mut AnyConnection,
    incident_id: &IncidentId,
    planned: &[PlannedAlert],
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    if planned.is_empty() {
        return Ok(());
    }
    let generation = next_generation(conn, incident_id)?;
    insert(conn, incident_id.as_str(), generation, planned, now)
}

/// Applies an event's schedule change: suppresses what no longer holds for `incident` or is dropped,
/// moves what is rescheduled, plans what is new.
pub fn apply_change(
    conn: &mut AnyConnection,
    incident: &Incident,
    change: &PlanChange,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let planned = planned_for(conn, &incident.id.0)?;
    for alert in &planned {
        if !alert.code.holds(incident) || change.drop.contains(&alert.code) {
            set_status(conn, &alert.id, AlertStatus::Suppressed, None, &[])?;
        }
    }
    for moved in &change.reschedule {
        diesel::update(
            alerts::table
                .filter(alerts::incident_id.eq(&incident.id.0))
                .filter(alerts::code.eq(moved.code.as_str()))
                .filter(alerts::repeat_no.eq(0))
                .filter(alerts::status.eq(AlertStatus::Planned.as_str())),
        )
        .set(alerts::due_at.eq(to_db(moved.due_at)))
        .execute(conn)?;
    }
    plan(conn, &incident.id, &change.plan, now)
}

fn planned_for(conn: &mut AnyConnection, incident_id: &str) -> Result<Vec<AlertRecord>, StorageError> {
    alerts::table
        .filter(alerts::incident_id.eq(incident_id))
        .filter(alerts::status.eq(AlertStatus::Planned.as_str()))
        .select(columns())
        .load::<Row>(conn)?
        .into_iter()
        .map(record)
        .collect()
}

/// Moves an alert from `planned` to `status` (compare-and-set). False when it was no longer planned:
/// another tick, here or on another replica, got there first.
pub fn set_status(
    conn: &mut AnyConnection,
    id: &str,
    status: AlertStatus,
    fired_at: Option<DateTime<Utc>>,
    recipients: &[String],
) -> Result<bool, StorageError> {
    let changed =
        diesel::update(alerts::table.find(id).filter(alerts::status.eq(AlertStatus::Planned.as_str())))
            .set((
                alerts::status.eq(status.as_str()),
                alerts::fired_at.eq(fired_at.map(to_db)),
                alerts::recipients.eq(serde_json::to_string(recipients)?),
            ))
            .execute(conn)?;
    Ok(changed == 1)
}

/// Incidents with alerts due at `now`, oldest due first.
pub fn due_incidents(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<String>, StorageError> {
    let rows: Vec<(String, Option<NaiveDateTime>)> = alerts::table
        .filter(alerts::status.eq(AlertStatus::Planned.as_str()))
        .filter(alerts::due_at.le(to_db(now)))
        .group_by(alerts::incident_id)
        .select((alerts::incident_id, diesel::dsl::min(alerts::due_at)))
        .order(diesel::dsl::min(alerts::due_at).asc())
        .limit(limit)
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, _)| id).collect())
}

/// The planned alerts of these incidents due at `now`, by incident, then by due instant.
pub fn due_for_incidents(
    conn: &mut AnyConnection,
    incident_ids: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<AlertRecord>, StorageError> {
    alerts::table
        .filter(alerts::incident_id.eq_any(incident_ids))
        .filter(alerts::status.eq(AlertStatus::Planned.as_str()))
        .filter(alerts::due_at.le(to_db(now)))
        .order((alerts::incident_id.asc(), alerts::due_at.asc(), alerts::code.asc()))
        .select(columns())
        .load::<Row>(conn)?
        .into_iter()
        .map(record)
        .collect()
}

/// A move of one alert out of `planned`, for [`set_statuses`].
#[derive(Debug, Clone)]
pub struct StatusChange {
    /// The alert.
    pub id: String,
    /// Its new status.
    pub status: AlertStatus,
    /// When it fired (sent or superseded).
    pub fired_at: Option<DateTime<Utc>>,
    /// The addresses mailed.
    pub recipients: Vec<String>,
}

/// Changes per statement in [`set_statuses`]: four parameters each, well inside both engines'
/// limits.
const CHANGES_PER_STATEMENT: usize = 500;

/// [`set_status`] for many alerts, in one statement per 500: `UPDATE … FROM (VALUES …)` with the
/// `planned` condition, returning the ids it moved. An alert missing from the result was no longer
/// planned.
pub fn set_statuses(
    conn: &mut AnyConnection,
    changes: &[StatusChange],
) -> Result<std::collections::HashSet<String>, StorageError> {
    use diesel::sql_types::{Nullable, Text, Timestamp};
    #[derive(QueryableByName)]
    struct Moved {
        #[diesel(sql_type = Text)]
        id: String,
    }
    let mut moved = std::collections::HashSet::new();
    for chunk in changes.chunks(CHANGES_PER_STATEMENT) {
        let postgres = matches!(conn, AnyConnection::Postgresql(_));
        let rows: Vec<String> = (0..chunk.len())
            .map(|n| {
                if postgres {
                    format!("(${}, ${}, ${}, ${})", 4 * n + 1, 4 * n + 2, 4 * n + 3, 4 * n + 4)
                } else {
                    "(?, ?, ?, ?)".to_string()
                }
            })
            .collect();
        // VALUES columns are column1… on both engines (SQLite allows no column aliases there).
        let sql = format!(
            "UPDATE alerts SET status = v.column2, fired_at = v.column3, recipients = v.column4 \
             FROM (VALUES {}) AS v WHERE alerts.id = v.column1 AND alerts.status = 'planned' RETURNING id",
            rows.join(", ")
        );
        let mut values = Vec::with_capacity(chunk.len());
        for change in chunk {
            values.push((
                change.id.as_str(),
                change.status.as_str(),
                change.fired_at.map(to_db),
                serde_json::to_string(&change.recipients)?,
            ));
        }
        macro_rules! run {
            ($conn:expr, $backend:ty) => {{
                let mut query = diesel::sql_query(sql.as_str()).into_boxed::<$backend>();
                for (id, status, fired_at, recipients) in &values {
                    query = query
                        .bind::<Text, _>(*id)
                        .bind::<Text, _>(*status)
                        .bind::<Nullable<Timestamp>, _>(*fired_at)
                        .bind::<Text, _>(recipients.as_str());
                }
                query.load::<Moved>($conn)?
            }};
        }
        let returned = match conn {
            AnyConnection::Postgresql(pg) => run!(pg, diesel::pg::Pg),
            AnyConnection::Sqlite(lite) => run!(lite, diesel::sqlite::Sqlite),
        };
        moved.extend(returned.into_iter().map(|m| m.id));
    }
    Ok(moved)
}

/// Every alert of an incident, by due instant.
pub fn for_incident(
    conn: &mut AnyConnection,
    incident_id: &IncidentId,
) -> Result<Vec<AlertRecord>, StorageError> {
    let incident_id = incident_id.as_str();
    alerts::table
        .filter(alerts::incident_id.eq(incident_id))
        .order((alerts::due_at.asc(), alerts::code.asc(), alerts::generation.asc()))
        .select(columns())
        .written_once()
        .load::<Row>(conn)?
        .into_iter()
        .map(record)
        .collect()
}

/// When the latest A0 of an incident was sent.
pub fn a0_sent_at(
    conn: &mut AnyConnection,
    incident_id: &str,
) -> Result<Option<DateTime<Utc>>, StorageError> {
    let at: Option<NaiveDateTime> = alerts::table
        .filter(alerts::incident_id.eq(incident_id))
        .filter(alerts::code.eq(AlertCode::A0.as_str()))
        .filter(alerts::status.eq(AlertStatus::Sent.as_str()))
        .select(diesel::dsl::max(alerts::fired_at))
        .get_result(conn)?;
    Ok(at.map(from_db))
}

/// Whether a planned alert has been waiting since before `threshold`: due before it, and planned
/// before it (an alert planned already due, such as the A0 of a backdated confirmation, waits only
/// from its planning). At most one row is read, off `alerts_status_due_idx (status, due_at)`.
pub fn waiting_since_before(
    conn: &mut AnyConnection,
    threshold: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let at = to_db(threshold);
    let found: Option<String> = alerts::table
        .filter(alerts::status.eq(AlertStatus::Planned.as_str()))
        .filter(alerts::due_at.lt(at))
        .filter(alerts::created_at.lt(at))
        .select(alerts::id)
        .fixed_limit::<1>()
        .get_result(conn)
        .optional()?;
    Ok(found.is_some())
}
