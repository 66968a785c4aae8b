//! Incidents in the database: scoped queries, the dashboard's reads, and the rows the use cases of
//! `crate::app` write (an incident, its reference number, its idempotency keys, its locks). The
//! decisions (who may, what changes, what to plan) are the use cases'.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use serde::{Deserialize, Serialize};

use super::alerts;
use super::backend::AnyConnection;
use super::error::StorageError;
use super::fixed::{self, FixedLimitDsl, WrittenOnceDsl};
use super::rows::IncidentRow;
use super::schema::{alerts as alerts_table, clients, idempotency_keys, incidents, users};
use super::to_db;
use crate::domain::deadline::{Clock, ClockFacts, ClockState};
use crate::domain::escalation::{EscalationPolicy, PlannedAlert};
use crate::domain::ids::{ClientId, IncidentId, UserId};
use crate::domain::incident::{Incident, State};
use crate::domain::tenant::TenantScope;

type Joined = (IncidentRow, String, String);

/// Loads one incident by id, whatever its tenant (callers check the scope).
pub fn load(conn: &mut AnyConnection, id: &IncidentId) -> Result<Option<Incident>, StorageError> {
    let id = id.as_str();
    let found: Option<Joined> = incidents::table
        .inner_join(clients::table)
        .inner_join(users::table)
        .filter(incidents::id.eq(id))
        .select((IncidentRow::as_select(), clients::slug, users::email))
        .written_once()
        .get_result(conn)
        .optional()?;
    found.map(|(row, slug, email)| row.into_incident(slug, email)).transpose()
}

/// Loads the incidents with these ids (whatever their tenant: the scheduler's view), by id.
pub fn load_many(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Incident>, StorageError> {
    let found: Vec<Joined> = incidents::table
        .inner_join(clients::table)
        .inner_join(users::table)
        .filter(incidents::id.eq_any(ids))
        .select((IncidentRow::as_select(), clients::slug, users::email))
        .load(conn)?;
    decode(found)?.into_iter().map(|incident| Ok((incident.id.0.clone(), incident))).collect()
}

/// Filters of the incident list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only this state.
    pub state: Option<State>,
    /// Only this client (slug).
    pub client: Option<String>,
    /// Only incidents whose deadline has passed while the clock runs.
    pub overdue: bool,
}

/// The incidents inside `scope`: running clocks first by deadline, then the rest, newest first.
pub fn list(
    conn: &mut AnyConnection,
    scope: &TenantScope,
    filter: &ListFilter,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Vec<Incident>, StorageError> {
    let Some(mut query) = filtered(scope, filter) else { return Ok(Vec::new()) };
    if filter.overdue {
        query = query.filter(incidents::state.eq(State::Confirmed.as_str()));
    }
    let rows: Vec<Joined> = query.order(incidents::reported_at.desc()).load(conn)?;
    let mut items = decode(rows)?;
    if filter.overdue {
        items.retain(|i| Clock::of(i, now, policy).overdue);
    }
    sort_for_display(&mut items, now, policy);
    Ok(items)
}

/// Where an incident stands in the API's list order: running clocks first by deadline, then the
/// rest by last change, newest first; ties by id. A page's cursor is the position of its last item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "p", deny_unknown_fields)]
pub enum ListPosition {
    /// A running clock: its deadline (microseconds since the epoch).
    #[serde(rename = "r")]
    Running {
        /// The deadline.
        d: i64,
        /// The incident's id.
        id: String,
    },
    /// Any other incident: its last change (microseconds since the epoch), newest first.
    #[serde(rename = "o")]
    Other {
        /// The last change.
        c: i64,
        /// The incident's id.
        id: String,
    },
}

/// An incident of the list with its position.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The incident.
    pub incident: Incident,
    /// Its position in the list order.
    pub position: ListPosition,
}

/// Up to `fetch` incidents inside `scope` that come after `after` in the list order
/// ([`ListPosition`]). The running clocks (few: the open breaches) are ordered here; the rest is
/// read page by page in the order of `incidents_by_last_change_idx`.
pub fn list_after(
    conn: &mut AnyConnection,
    scope: &TenantScope,
    filter: &ListFilter,
    after: Option<&ListPosition>,
    fetch: usize,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Vec<Listed>, StorageError> {
    let mut items = Vec::new();
    if !matches!(after, Some(ListPosition::Other { .. })) {
        let Some(query) = filtered(scope, filter) else { return Ok(items) };
        let rows: Vec<Joined> = query
            .filter(incidents::state.eq(State::Confirmed.as_str()))
            .filter(incidents::controller_aware_at.is_not_null())
            .load(conn)?;
        let mut running = Vec::with_capacity(rows.len());
        for incident in decode(rows)? {
            let clock = Clock::of(&incident, now, policy);
            if let (ClockState::Running, Some(deadline)) = (clock.state, clock.deadline_at)
                && (!filter.overdue || clock.overdue)
            {
                let position =
                    ListPosition::Running { d: deadline.timestamp_micros(), id: incident.id.0.clone() };
                running.push(Listed { incident, position });
            }
        }
        running.sort_by(|a, b| a.position.cmp(&b.position));
        items.extend(running.into_iter().filter(|l| after.is_none_or(|a| &l.position > a)).take(fetch));
    }
    if filter.overdue || items.len() >= fetch {
        return Ok(items);
    }
    let Some(mut query) = filtered(scope, filter) else { return Ok(items) };
    query = query
        .filter(incidents::state.ne(State::Confirmed.as_str()).or(incidents::controller_aware_at.is_null()));
    if let Some(ListPosition::Other { c, id }) = after {
        // Nothing comes after an instant no incident can have changed at.
        let Some(changed) = DateTime::from_timestamp_micros(*c) else { return Ok(items) };
        let changed = to_db(changed);
        query = query.filter(
            incidents::updated_at
                .lt(changed)
                .or(incidents::updated_at.eq(changed).and(incidents::id.gt(id.clone()))),
        );
    }
    let rows: Vec<Joined> = query
        .order((incidents::updated_at.desc(), incidents::id.asc()))
        .limit(i64::try_from(fetch - items.len()).unwrap_or(i64::MAX))
        .load(conn)?;
    for (row, slug, email) in rows {
        let changed = row.updated_at.and_utc().timestamp_micros();
        let incident = row.into_incident(slug, email)?;
        let position = ListPosition::Other { c: changed, id: incident.id.0.clone() };
        items.push(Listed { incident, position });
    }
    Ok(items)
}

/// [`scoped`] with the state and client filters.
fn filtered(scope: &TenantScope, filter: &ListFilter) -> Option<Boxed> {
    let mut query = scoped(scope)?;
    if let Some(state) = filter.state {
        query = query.filter(incidents::state.eq(state.as_str()));
    }
    if let Some(slug) = &filter.client {
        query = query.filter(clients::slug.eq(slug.clone()));
    }
    Some(query)
}

type Boxed = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<
        diesel::dsl::InnerJoin<diesel::dsl::InnerJoin<incidents::table, clients::table>, users::table>,
        (diesel::dsl::AsSelect<IncidentRow, super::backend::MultiBackend>, clients::slug, users::email),
    >,
    super::backend::MultiBackend,
>;

/// The incidents (with client slug and reporter address) inside `scope`; `None` for an empty scope.
fn scoped(scope: &TenantScope) -> Option<Boxed> {
    let query = incidents::table
        .inner_join(clients::table)
        .inner_join(users::table)
        .select((IncidentRow::as_select(), clients::slug, users::email))
        .into_boxed();
    Some(match scope {
        TenantScope::All => query,
        TenantScope::Client(client) => query.filter(incidents::client_id.eq(client.0.clone())),
        TenantScope::ReportedBy(user) => query.filter(incidents::reported_by.eq(user.0.clone())),
        TenantScope::Nothing => return None,
    })
}

fn decode(rows: Vec<Joined>) -> Result<Vec<Incident>, StorageError> {
    rows.into_iter().map(|(row, slug, email)| row.into_incident(slug, email)).collect()
}

/// An incident as a dashboard list shows it: no facts beyond the title, no clocks.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Summary {
    /// Incident id.
    pub id: String,
    /// Reference (`ACME-2026-0007`).
    pub reference: String,
    /// The client's id.
    pub client_id: String,
    /// The client's slug.
    pub client_slug: String,
    /// Title.
    pub title: String,
    /// State, as stored.
    pub state: String,
    /// When it was reported.
    #[diesel(deserialize_as = super::instant::DbInstant)]
    pub reported_at: chrono::NaiveDateTime,
}

impl Summary {
    /// The state; `None` for a value this build does not know.
    pub fn state(&self) -> Option<State> {
        State::parse(&self.state)
    }

    /// When it was reported, in UTC.
    pub fn reported_at(&self) -> DateTime<Utc> {
        super::from_db(self.reported_at)
    }
}

/// A running clock as a dashboard lists it: the columns its row shows, its clock's facts, and what
/// the remembered standing of its incident is keyed by (id, version, client slug, reporter). The
/// rest of the incident (its facts, the assessment) is read only when nothing is remembered for
/// this version (`crate::web::drafts::StandingMemo`): decoding whole incidents on every view was
/// most of what PostgreSQL sent for the DPO's dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ClockSummary {
    /// Incident id.
    pub id: String,
    /// Reference (`ACME-2026-0007`).
    pub reference: String,
    /// The client's id.
    pub client_id: String,
    /// The client's slug.
    pub client_slug: String,
    /// The reporter's address.
    pub reported_by_email: String,
    /// Title.
    pub title: String,
    /// State, as stored.
    pub state: String,
    /// The incident's version (moved by every write).
    pub version: i64,
    /// The processor's awareness.
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub processor_aware_at: Option<chrono::NaiveDateTime>,
    /// The controller's awareness.
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub controller_aware_at: Option<chrono::NaiveDateTime>,
    /// When the DPO acknowledged it.
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub acknowledged_at: Option<chrono::NaiveDateTime>,
    /// When the AP was notified.
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub ap_notified_at: Option<chrono::NaiveDateTime>,
    /// The AP's reference: a notification is recorded only with one (as a whole incident reads it).
    pub ap_reference: Option<String>,
}

impl ClockSummary {
    /// Its clock's facts, as [`Clock::of`] reads them from the whole incident; `None` for a state
    /// this build does not know.
    pub fn facts(&self) -> Option<ClockFacts> {
        Some(ClockFacts {
            state: State::parse(&self.state)?,
            processor_aware_at: self.processor_aware_at.map(super::from_db),
            controller_aware_at: self.controller_aware_at.map(super::from_db),
            ap_notified_at: self.ap_notified_at.filter(|_| self.ap_reference.is_some()).map(super::from_db),
        })
    }
}

/// What the dashboard shows: a bounded number of rows per section, and counts for the rest.
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    /// Running clocks, earliest deadline first (at most the limit).
    pub running: Vec<ClockSummary>,
    /// Reports awaiting triage, oldest first (at most the limit).
    pub untriaged: Vec<Summary>,
    /// Decided or closed incidents, most recently changed first (at most the limit).
    pub others: Vec<Summary>,
    /// Per client id: (running, overdue, untriaged) in the whole scope.
    pub counts: Vec<(String, i64, i64, i64)>,
}

/// Running clocks.
struct Running;
impl fixed::Texts for Running {
    const TEXTS: &'static [&'static str] = &[State::Confirmed.as_str()];
}

/// Reports awaiting triage.
struct Untriaged;
impl fixed::Texts for Untriaged {
    const TEXTS: &'static [&'static str] = &[State::Reported.as_str()];
}

/// What the dashboard counts (running or untriaged); its last list shows the rest.
struct Open;
impl fixed::Texts for Open {
    const TEXTS: &'static [&'static str] = &[State::Reported.as_str(), State::Confirmed.as_str()];
}

/// `$run` with `$q` bound to the incidents `$query` narrowed to `$scope`, or `$nothing` for an empty
/// scope. Spelled out per scope so that each query has a type of its own: narrowed at run time it
/// would be boxed, and then its SQL would be built again to look it up in the statement cache.
macro_rules! per_scope {
    ($scope:expr, $query:expr, |$q:ident| $run:expr, $nothing:expr) => {
        match $scope {
            TenantScope::All => {
                let $q = $query;
                $run
            }
            TenantScope::Client(client) => {
                let $q = $query.filter(incidents::client_id.eq(client.0.as_str()));
                $run
            }
            TenantScope::ReportedBy(user) => {
                let $q = $query.filter(incidents::reported_by.eq(user.0.as_str()));
                $run
            }
            TenantScope::Nothing => $nothing,
        }
    };
}

/// The dashboard of `scope` at `now`: `LIMIT` rows per section, counted in full. Every statement
/// has its states and limit in its SQL text (see [`fixed`]).
pub fn dashboard<const LIMIT: u32>(
    conn: &mut AnyConnection,
    scope: &TenantScope,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Dashboard, StorageError> {
    if *scope == TenantScope::Nothing {
        return Ok(Dashboard::default());
    }
    // The deadline follows the controller's awareness, so its order is the deadline order (sorted
    // again below, for a window that changes by law).
    let mut running: Vec<ClockSummary> = per_scope!(
        scope,
        incidents::table
            .inner_join(clients::table)
            .inner_join(users::table)
            .select((
                incidents::id,
                incidents::reference,
                incidents::client_id,
                clients::slug,
                users::email,
                incidents::title,
                incidents::state,
                incidents::version,
                incidents::processor_aware_at,
                incidents::controller_aware_at,
                incidents::acknowledged_at,
                incidents::ap_notified_at,
                incidents::ap_reference,
            ))
            .filter(fixed::one_of::<Running, _>(incidents::state)),
        |q| q.order(incidents::controller_aware_at.asc()).fixed_limit::<LIMIT>().written_once().load(conn)?,
        Vec::new()
    );
    running.sort_by_cached_key(|summary| {
        summary
            .facts()
            .and_then(|facts| Clock::at(facts, now, policy).deadline_at)
            .map(|d| d.timestamp_micros())
    });
    // The lists need a few columns only: decoding whole incidents was most of the page's time.
    let summaries = || {
        incidents::table.inner_join(clients::table).select((
            (
                incidents::id,
                incidents::reference,
                incidents::client_id,
                clients::slug,
                incidents::title,
                incidents::state,
                incidents::reported_at,
            ),
            incidents::updated_at,
        ))
    };
    // Both lists in one statement (each a round trip on PostgreSQL), split by state: untriaged
    // means reported, and the other list holds no open state. Each part is sorted again, because
    // SQL does not promise the order of a union.
    let lists: Vec<(Summary, super::instant::DbInstant)> = per_scope!(
        scope,
        summaries(),
        |q| fixed::union_all(
            q.filter(fixed::one_of::<Untriaged, _>(incidents::state))
                .order(incidents::reported_at.asc())
                .fixed_limit::<LIMIT>(),
            q.filter(fixed::none_of::<Open, _>(incidents::state))
                .order(incidents::updated_at.desc())
                .fixed_limit::<LIMIT>(),
        )
        .written_once()
        .load(conn)?,
        Vec::new()
    );
    let (mut untriaged, mut others): (Vec<_>, Vec<_>) =
        lists.into_iter().partition(|(summary, _)| summary.state == State::Reported.as_str());
    untriaged.sort_by_key(|(summary, _)| summary.reported_at);
    others.sort_by_key(|(_, updated_at)| std::cmp::Reverse(updated_at.0));
    let untriaged: Vec<Summary> = untriaged.into_iter().map(|(summary, _)| summary).collect();
    let others: Vec<Summary> = others.into_iter().map(|(summary, _)| summary).collect();
    // Counted with the current window; a window change by date of awareness shows on the rows.
    let aware_before = to_db(now - chrono::Duration::hours(i64::from(policy.window_hours)));
    // One statement for the counts by state and the overdue clocks: each is a round trip, which on
    // PostgreSQL costs more than the counting. Only a running clock can be overdue (the `overdue`
    // column of other states is not read).
    let counted: Vec<(String, String, i64, i64)> = per_scope!(
        scope,
        incidents::table.filter(fixed::one_of::<Open, _>(incidents::state)),
        |q| q
            .group_by((incidents::state, incidents::client_id))
            .select((
                incidents::client_id,
                incidents::state,
                diesel::dsl::count_star(),
                // A constant, not a column: the index of (state, awareness, client) then holds
                // all the statement reads (an index-only scan on PostgreSQL, not the table's rows).
                diesel::dsl::count(diesel::dsl::case_when(
                    incidents::controller_aware_at.lt(aware_before),
                    1.into_sql::<diesel::sql_types::Integer>(),
                )),
            ))
            .written_once()
            .load(conn)?,
        Vec::new()
    );
    let mut counts: std::collections::BTreeMap<String, (i64, i64, i64)> = std::collections::BTreeMap::new();
    for (client, state, n, overdue) in counted {
        let entry = counts.entry(client).or_default();
        if state == State::Confirmed.as_str() {
            entry.0 += n;
            entry.1 += overdue;
        } else {
            entry.2 += n;
        }
    }
    Ok(Dashboard {
        running,
        untriaged,
        others,
        counts: counts.into_iter().map(|(c, (r, o, u))| (c, r, o, u)).collect(),
    })
}

/// Loads the incidents with these ids that lie in `scope`, by id: the whole incidents behind a
/// dashboard's rows, when their standing is not remembered.
pub fn load_in_scope(
    conn: &mut AnyConnection,
    scope: &TenantScope,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Incident>, StorageError> {
    let found: Vec<Joined> = per_scope!(
        scope,
        incidents::table
            .inner_join(clients::table)
            .inner_join(users::table)
            .select((IncidentRow::as_select(), clients::slug, users::email))
            .filter(incidents::id.eq_any(ids)),
        |q| q.load(conn)?,
        Vec::new()
    );
    decode(found)?.into_iter().map(|incident| Ok((incident.id.0.clone(), incident))).collect()
}

/// Running clocks first, earliest deadline first; then everything else, newest report first.
pub fn sort_for_display(items: &mut [Incident], now: DateTime<Utc>, policy: &EscalationPolicy) {
    items.sort_by_cached_key(|i| {
        let clock = Clock::of(i, now, policy);
        match (clock.state, clock.deadline_at) {
            (ClockState::Running, Some(deadline)) => (0, deadline.timestamp_micros(), 0),
            _ => (1, 0, -i.reported_at.timestamp_micros()),
        }
    });
}

/// What reporting an incident reads once the client's row is locked (see [`before_report`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeforeReport {
    /// The next reference number of the client in the year.
    pub next_number: i32,
    /// With a rate limit: how many incidents the reporter reported since the window's start, and
    /// when the oldest of them was.
    pub reported_since: Option<(i64, Option<DateTime<Utc>>)>,
    /// With an idempotency key: the request digest and incident of the reporter's earlier request
    /// with that key, if any.
    pub earlier: Option<(String, String)>,
}

/// Reads in one statement what a report decides on, each value a subquery: the client's next
/// reference number in `year`, with `since` the reporter's reports since then (the report rate
/// limit; `incidents_reported_by_idx`), with `idem_key` the reporter's earlier request with that
/// key. Call with the client's row locked (`directory::client_by_slug_locked`): on PostgreSQL a statement that starts
/// after the lock is granted sees every report committed before it.
pub fn before_report(
    tx: &mut AnyConnection,
    client_id: &ClientId,
    year: i32,
    reporter: &UserId,
    since: Option<DateTime<Utc>>,
    idem_key: Option<&str>,
) -> Result<BeforeReport, StorageError> {
    use diesel::dsl::{count_star, max, min};
    use fixed::scalar;
    let last = scalar(
        incidents::table
            .filter(incidents::client_id.eq(client_id.as_str()))
            .filter(incidents::ref_year.eq(year))
            .select(max(incidents::ref_number)),
    );
    let mine = || incidents::table.filter(incidents::reported_by.eq(reporter.as_str()));
    let key = idem_key.unwrap_or_default();
    let keyed = || {
        idempotency_keys::table
            .filter(idempotency_keys::user_id.eq(reporter.as_str()))
            .filter(idempotency_keys::idem_key.eq(key))
    };
    type Since = (Option<i64>, Option<chrono::NaiveDateTime>);
    type Earlier = (Option<String>, Option<String>);
    let (last, recent, earlier): (Option<i32>, Option<Since>, Option<Earlier>) =
        match (since.map(to_db), idem_key.is_some()) {
            (None, false) => (diesel::select(last).get_result(tx)?, None, None),
            (Some(since), false) => {
                let (last, n, oldest) = diesel::select((
                    last,
                    scalar(mine().filter(incidents::reported_at.ge(since)).select(count_star())),
                    scalar(
                        mine().filter(incidents::reported_at.ge(since)).select(min(incidents::reported_at)),
                    ),
                ))
                .get_result(tx)?;
                (last, Some((n, oldest)), None)
            }
            (None, true) => {
                let (last, digest, incident) = diesel::select((
                    last,
                    scalar(keyed().select(idempotency_keys::request_digest)),
                    scalar(keyed().select(idempotency_keys::incident_id)),
                ))
                .get_result(tx)?;
                (last, None, Some((digest, incident)))
            }
            (Some(since), true) => {
                let (last, n, oldest, digest, incident) = diesel::select((
                    last,
                    scalar(mine().filter(incidents::reported_at.ge(since)).select(count_star())),
                    scalar(
                        mine().filter(incidents::reported_at.ge(since)).select(min(incidents::reported_at)),
                    ),
                    scalar(keyed().select(idempotency_keys::request_digest)),
                    scalar(keyed().select(idempotency_keys::incident_id)),
                ))
                .get_result(tx)?;
                (last, Some((n, oldest)), Some((digest, incident)))
            }
        };
    Ok(BeforeReport {
        next_number: last.unwrap_or(0) + 1,
        reported_since: recent.map(|(n, oldest)| (n.unwrap_or(0), oldest.map(|t| t.and_utc()))),
        earlier: earlier.and_then(|(digest, incident)| digest.zip(incident)),
    })
}

/// Stores a new incident with its reference number and its first alerts (generation 0: it has
/// none yet) and, with an idempotency key, `(key, request digest)`, the request that reported it.
/// On PostgreSQL in one statement, one round trip instead of up to three: the alerts' insert is the
/// statement and the others are its `WITH` clauses (foreign keys are checked at the statement's
/// end, when the incident is there). On SQLite, which has no round trips and no inserts in `WITH`,
/// one statement each.
pub fn insert_reported(
    tx: &mut AnyConnection,
    incident: &Incident,
    (year, number): (i32, i32),
    planned: &[PlannedAlert],
    idempotency: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let row = IncidentRow::from_incident(incident, year, number, now)?;
    let alert_rows: Vec<_> =
        planned.iter().map(|alert| alerts::new_row(incident.id.as_str(), 0, alert, now)).collect();
    let user_id = incident.reported_by.as_str();
    let created_at = to_db(now);
    let request = idempotency.map(|(key, digest)| {
        (
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::idem_key.eq(key),
            idempotency_keys::request_digest.eq(digest),
            idempotency_keys::incident_id.eq(incident.id.as_str()),
            idempotency_keys::created_at.eq(created_at),
        )
    });
    match tx {
        AnyConnection::Postgresql(pg) => {
            let mut inserts: Vec<Box<dyn QueryFragment<Pg> + '_>> =
                vec![Box::new(diesel::insert_into(incidents::table).values(&row))];
            if let Some(request) = &request {
                inserts.push(Box::new(diesel::insert_into(idempotency_keys::table).values(*request)));
            }
            // A report plans two alerts (P0, P1): as an array of two, the statement has a static
            // shape and is prepared once per connection; a list of any length would be planned
            // again at every report.
            match <[_; 2]>::try_from(alert_rows) {
                Ok(two) => inserts.push(Box::new(diesel::insert_into(alerts_table::table).values(two))),
                Err(rows) if rows.is_empty() => {}
                Err(rows) => inserts.push(Box::new(diesel::insert_into(alerts_table::table).values(rows))),
            }
            Inserts(inserts).execute(pg)?;
        }
        AnyConnection::Sqlite(lite) => {
            diesel::insert_into(incidents::table).values(&row).execute(lite)?;
            if !alert_rows.is_empty() {
                diesel::insert_into(alerts_table::table).values(alert_rows).execute(lite)?;
            }
            if let Some(request) = request {
                diesel::insert_into(idempotency_keys::table).values(request).execute(lite)?;
            }
        }
    }
    Ok(())
}

/// PostgreSQL inserts run as one statement: the last is the statement, the others its `WITH`
/// clauses (`WITH w0 AS (INSERT …), w1 AS (INSERT …) INSERT …`), their parameters numbered in turn.
struct Inserts<'a>(Vec<Box<dyn QueryFragment<Pg> + 'a>>);

impl QueryFragment<Pg> for Inserts<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let Some((last, before)) = self.0.split_last() else {
            return Err(diesel::result::Error::QueryBuilderError("no insert to run".into()));
        };
        for (i, insert) in before.iter().enumerate() {
            out.push_sql(if i == 0 { "WITH " } else { ", " });
            out.push_sql(&format!("w{i} AS ("));
            insert.walk_ast(out.reborrow())?;
            out.push_sql(") ");
        }
        last.walk_ast(out.reborrow())
    }
}

impl QueryId for Inserts<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Conn> RunQueryDsl<Conn> for Inserts<'_> {}

/// Locks an incident's row until the transaction ends, so that commands reading and then writing
/// one incident queue instead of failing the version check. Only PostgreSQL needs it: there the
/// audit head is locked last (see [`super::audit_log::write_tx`]); on SQLite the whole write transaction
/// is serialised already. The lock is `FOR NO KEY UPDATE` (a row lock, no new row version, and no
/// conflict with the key-share locks of foreign-key checks: a transaction holding an incident's row
/// would otherwise deadlock with one that holds the audit head and inserts an alert of it), written
/// with diesel's DSL so that it is prepared once per connection.
pub fn lock_incident(tx: &mut AnyConnection, id: &IncidentId) -> Result<(), StorageError> {
    if let AnyConnection::Postgresql(pg) = tx {
        incidents::table
            .find(id.as_str())
            .select(incidents::id)
            .for_no_key_update()
            .get_result::<String>(pg)
            .optional()?;
    }
    Ok(())
}

/// Locks the rows of these incidents until the transaction ends, in id order (so that two
/// transactions locking overlapping sets cannot deadlock), in one statement; PostgreSQL only, as
/// [`lock_incident`].
pub(crate) fn lock_incidents(tx: &mut AnyConnection, ids: &[String]) -> Result<(), StorageError> {
    if let AnyConnection::Postgresql(pg) = tx {
        diesel::sql_query("SELECT 1 FROM incidents WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
            .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(ids)
            .execute(pg)?;
    }
    Ok(())
}

/// Writes `next` over `before`, refusing if someone else changed it meanwhile.
pub fn save(
    conn: &mut AnyConnection,
    before: &Incident,
    next: &Incident,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let (year, number): (i32, i32) = incidents::table
        .find(&before.id.0)
        .select((incidents::ref_year, incidents::ref_number))
        .get_result(conn)?;
    let row = IncidentRow::from_incident(next, year, number, now)?;
    let updated =
        diesel::update(incidents::table.find(&before.id.0).filter(incidents::version.eq(before.version)))
            .set(&row)
            .execute(conn)?;
    if updated != 1 {
        return Err(StorageError::Conflict("the incident changed meanwhile".into()));
    }
    Ok(())
}

/// The undecided incidents (reported, confirmed: their clocks run) by state, each state with a
/// count, zero included. Counted through the `(state, …)` indexes; decided incidents, which only
/// grow, are never read.
pub fn count_open_by_state(conn: &mut AnyConnection) -> Result<Vec<(&'static str, i64)>, StorageError> {
    let counts: Vec<(String, i64)> = incidents::table
        .filter(fixed::one_of::<Open, _>(incidents::state))
        .group_by(incidents::state)
        .select((incidents::state, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(<Open as fixed::Texts>::TEXTS
        .iter()
        .map(|&state| (state, counts.iter().find(|(s, _)| s.as_str() == state).map_or(0, |(_, n)| *n)))
        .collect())
}
