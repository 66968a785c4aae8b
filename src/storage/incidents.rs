//! Incidents: scoped queries and the commands that change them. Each command is one transaction
//! (DESIGN.md §9 rule 1): the audit head is locked first, the domain decides, then the incident row
//! and its audit event are written together.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::alerts;
use super::audit_log::{self, Appender};
use super::backend::AnyConnection;
use super::directory;
use super::error::{CommandError, StorageError};
use super::fixed::{self, FixedLimitDsl};
use super::rows::IncidentRow;
use super::schema::{clients, idempotency_keys, incidents, users};
use super::{new_id, to_db};
use crate::domain::audit::{AuditEvent, ChainedEvent};
use crate::domain::authz::{self, Action, Target};
use crate::domain::deadline::{Clock, ClockState};
use crate::domain::directory::FieldError;
use crate::domain::escalation::{self, EscalationPolicy};
use crate::domain::ids::IncidentId;
use crate::domain::incident::{FactsPatch, Incident, NewIncident, State, SubjectsDecision};
use crate::domain::input::Object;
use crate::domain::lifecycle::{self, Transition};
use crate::domain::reference;
use crate::domain::tenant::{Principal, TenantScope};

type Joined = (IncidentRow, String, String);

/// Loads one incident by id, whatever its tenant (callers check the scope).
pub fn load(conn: &mut AnyConnection, id: &str) -> Result<Option<Incident>, StorageError> {
    let found: Option<Joined> = incidents::table
        .inner_join(clients::table)
        .inner_join(users::table)
        .filter(incidents::id.eq(id))
        .select((IncidentRow::as_select(), clients::slug, users::email))
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

fn target(incident: &Incident) -> Target<'_> {
    Target { client_id: &incident.client_id, reported_by: &incident.reported_by, state: Some(incident.state) }
}

/// The incident `id` if `principal` may read it; another tenant's incident is [`CommandError::NotFound`].
pub fn get(conn: &mut AnyConnection, principal: &Principal, id: &str) -> Result<Incident, CommandError> {
    let incident = load(conn, id)?.ok_or(CommandError::NotFound)?;
    authz::authorize(principal, Action::ReadIncident, Some(target(&incident)))?;
    Ok(incident)
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
    let Some(mut query) = scoped(scope) else { return Ok(Vec::new()) };
    if let Some(state) = filter.state {
        query = query.filter(incidents::state.eq(state.as_str()));
    }
    if filter.overdue {
        query = query.filter(incidents::state.eq(State::Confirmed.as_str()));
    }
    if let Some(slug) = &filter.client {
        query = query.filter(clients::slug.eq(slug.clone()));
    }
    let rows: Vec<Joined> = query.order(incidents::reported_at.desc()).load(conn)?;
    let mut items = decode(rows)?;
    if filter.overdue {
        items.retain(|i| Clock::of(i, now, policy).overdue);
    }
    sort_for_display(&mut items, now, policy);
    Ok(items)
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

/// What the dashboard shows: a bounded number of rows per section, and counts for the rest.
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    /// Running clocks, earliest deadline first (at most the limit).
    pub running: Vec<Incident>,
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
    // The deadline follows the controller's awareness, so its order is the deadline order.
    let running: Vec<Joined> = per_scope!(
        scope,
        incidents::table
            .inner_join(clients::table)
            .inner_join(users::table)
            .select((IncidentRow::as_select(), clients::slug, users::email))
            .filter(fixed::one_of::<Running, _>(incidents::state)),
        |q| q.order(incidents::controller_aware_at.asc()).fixed_limit::<LIMIT>().load(conn)?,
        Vec::new()
    );
    let mut running = decode(running)?;
    sort_for_display(&mut running, now, policy);
    // The lists need a few columns only: decoding whole incidents was most of the page's time.
    let summaries = || {
        incidents::table.inner_join(clients::table).select((
            incidents::id,
            incidents::reference,
            incidents::client_id,
            clients::slug,
            incidents::title,
            incidents::state,
            incidents::reported_at,
        ))
    };
    let untriaged: Vec<Summary> = per_scope!(
        scope,
        summaries().filter(fixed::one_of::<Untriaged, _>(incidents::state)),
        |q| q.order(incidents::reported_at.asc()).fixed_limit::<LIMIT>().load(conn)?,
        Vec::new()
    );
    let others: Vec<Summary> = per_scope!(
        scope,
        summaries().filter(fixed::none_of::<Open, _>(incidents::state)),
        |q| q.order(incidents::updated_at.desc()).fixed_limit::<LIMIT>().load(conn)?,
        Vec::new()
    );
    let by_state: Vec<(String, String, i64)> = per_scope!(
        scope,
        incidents::table.filter(fixed::one_of::<Open, _>(incidents::state)),
        // Grouped in the order of the (state, client_id) index: PostgreSQL then aggregates as it
        // reads instead of hashing.
        |q| q
            .group_by((incidents::state, incidents::client_id))
            .select((incidents::client_id, incidents::state, diesel::dsl::count_star()))
            .load(conn)?,
        Vec::new()
    );
    // Counted with the current window; a window change by date of awareness shows on the rows.
    let aware_before = to_db(now - chrono::Duration::hours(i64::from(policy.window_hours)));
    let overdue: Vec<(String, i64)> = per_scope!(
        scope,
        incidents::table
            .filter(fixed::one_of::<Running, _>(incidents::state))
            .filter(incidents::controller_aware_at.lt(aware_before)),
        |q| q
            .group_by(incidents::client_id)
            .select((incidents::client_id, diesel::dsl::count_star()))
            .load(conn)?,
        Vec::new()
    );
    let mut counts: std::collections::BTreeMap<String, (i64, i64, i64)> = std::collections::BTreeMap::new();
    for (client, state, n) in by_state {
        let entry = counts.entry(client).or_default();
        if state == State::Confirmed.as_str() {
            entry.0 += n;
        } else {
            entry.2 += n;
        }
    }
    for (client, n) in overdue {
        counts.entry(client).or_default().1 += n;
    }
    Ok(Dashboard {
        running,
        untriaged,
        others,
        counts: counts.into_iter().map(|(c, (r, o, u))| (c, r, o, u)).collect(),
    })
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

/// An `Idempotency-Key` with the digest of the request it came with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    /// The key as sent.
    pub key: String,
    /// SHA-256 of the request body.
    pub request_digest: String,
}

/// What the caller sent to report an incident.
#[derive(Debug, Clone)]
pub struct Report {
    /// The parsed report.
    pub new: NewIncident,
    /// Its idempotency key, if any.
    pub idempotency: Option<IdempotencyKey>,
}

/// Reports an incident. Returns the incident and whether this was a replay of an earlier request
/// with the same idempotency key.
pub fn report(
    conn: &mut AnyConnection,
    principal: &Principal,
    report: &Report,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<(Incident, bool), CommandError> {
    audit_log::write_tx(conn, |tx, audit| {
        let new = &report.new;
        let client = directory::client_by_slug(tx, &new.client)?
            .filter(|c| c.active)
            .ok_or_else(|| FieldError::new("client", format!("no client with slug \"{}\"", new.client)))?;
        // Reports for one client queue here: the next reference number and a replayed
        // idempotency key are read under this lock.
        lock_client(tx, &client.id.0)?;
        if let Some(idem) = &report.idempotency
            && let Some(earlier) = replay(tx, principal, idem)?
        {
            return Ok((earlier, true));
        }
        let me = principal.user_id.clone();
        authz::authorize(
            principal,
            Action::ReportIncident,
            Some(Target { client_id: &client.id, reported_by: &me, state: None }),
        )
        .map_err(|_| FieldError::new("client", format!("no client with slug \"{}\"", new.client)))?;

        let year = reference::year_of(now);
        let last: Option<i32> = incidents::table
            .filter(incidents::client_id.eq(client.id.0.clone()))
            .filter(incidents::ref_year.eq(year))
            .select(diesel::dsl::max(incidents::ref_number))
            .get_result(tx)?;
        let number = last.unwrap_or(0) + 1;
        let incident = Incident {
            id: IncidentId(new_id()),
            client_id: client.id.clone(),
            client_slug: client.slug.clone(),
            reference: reference::format(&client.slug, year, number),
            state: State::Reported,
            version: 1,
            facts: new.facts.clone(),
            reported_at: now,
            reported_by: me,
            reported_by_email: principal.email.clone(),
            processor_aware_at: None,
            controller_aware_at: None,
            awareness_justification: None,
            acknowledged_at: None,
            acknowledged_by: None,
            assessment: None,
            dismiss_reason: None,
            not_notifiable_justification: None,
            ap: None,
            supplements: Vec::new(),
            notified_snapshot: None,
            withdrawn_at: None,
            withdraw_reason: None,
            subjects: SubjectsDecision::Undecided,
            closed_at: None,
            close_summary: None,
            purged_at: None,
        };
        diesel::insert_into(incidents::table)
            .values(IncidentRow::from_incident(&incident, year, number, now)?)
            .execute(tx)?;
        let client_policy = policy.for_client(client.policy.as_ref());
        alerts::plan(tx, &incident.id.0, &escalation::plan_on_report(&incident, &client_policy), now)?;
        record(
            audit,
            principal,
            &incident,
            "report",
            json!({ "reference": incident.reference, "client": client.slug, "facts": incident.facts }),
            now,
        );
        if let Some(idem) = &report.idempotency {
            diesel::insert_into(idempotency_keys::table)
                .values((
                    idempotency_keys::user_id.eq(principal.user_id.0.clone()),
                    idempotency_keys::idem_key.eq(idem.key.clone()),
                    idempotency_keys::request_digest.eq(idem.request_digest.clone()),
                    idempotency_keys::incident_id.eq(incident.id.0.clone()),
                    idempotency_keys::created_at.eq(to_db(now)),
                ))
                .execute(tx)?;
        }
        Ok((incident, false))
    })
}

fn replay(
    conn: &mut AnyConnection,
    principal: &Principal,
    idem: &IdempotencyKey,
) -> Result<Option<Incident>, CommandError> {
    let earlier: Option<(String, String)> = idempotency_keys::table
        .filter(idempotency_keys::user_id.eq(principal.user_id.0.clone()))
        .filter(idempotency_keys::idem_key.eq(idem.key.clone()))
        .select((idempotency_keys::request_digest, idempotency_keys::incident_id))
        .get_result(conn)
        .optional()?;
    let Some((digest, incident_id)) = earlier else { return Ok(None) };
    if digest != idem.request_digest {
        return Err(FieldError::new("Idempotency-Key", "was already used for a different request").into());
    }
    Ok(load(conn, &incident_id)?)
}

/// Edits an incident's facts.
pub fn patch(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &str,
    patch: &FactsPatch,
    now: DateTime<Utc>,
) -> Result<Incident, CommandError> {
    audit_log::write_tx(conn, |tx, audit| {
        lock_incident(tx, id)?;
        let incident = load(tx, id)?.ok_or(CommandError::NotFound)?;
        authz::authorize(principal, Action::EditIncident, Some(target(&incident)))?;
        lifecycle::check_editable(&incident)?;
        let (facts, changed) = incident.facts.patched(&patch.object, now)?;
        if changed.is_empty() {
            return Ok(incident);
        }
        let mut next = incident.clone();
        next.facts = facts;
        next.version += 1;
        save(tx, &incident, &next, now)?;
        let after = next.facts.to_object();
        let detail: Object =
            changed.iter().map(|k| (k.to_string(), after.get(*k).cloned().unwrap_or_default())).collect();
        record(audit, principal, &next, "patch", json!({ "changed": detail }), now);
        Ok(next)
    })
}

/// Applies a lifecycle event body (`{"type": …, …}`).
pub fn apply_event(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &str,
    body: &Object,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Incident, CommandError> {
    audit_log::write_tx(conn, |tx, audit| {
        lock_incident(tx, id)?;
        let incident = load(tx, id)?.ok_or(CommandError::NotFound)?;
        authz::authorize(principal, Action::ReadIncident, Some(target(&incident)))?;
        let kind = lifecycle::kind_of(body)?;
        authz::authorize(principal, Action::ApplyEvent(kind), Some(target(&incident)))?;
        let transition = lifecycle::handle(&incident, body, &principal.email, now, policy)?;
        commit_transition(tx, audit, principal, &incident, transition, now, policy)
    })
}

/// Why an acknowledgement link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckOutcome {
    /// Recorded now.
    Recorded,
    /// The link is not (or no longer) valid.
    Refused(super::ack::AckRefusal),
}

/// Records `acknowledge` for the DPO a link was sent to: the link is used up in the same
/// transaction, and must still match the incident's client and that client's DPO.
pub fn acknowledge_by_link(
    conn: &mut AnyConnection,
    key: &[u8],
    token: &str,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<(AckOutcome, Option<Incident>), CommandError> {
    use super::ack;
    audit_log::write_tx(conn, |tx, audit| {
        let grant = match ack::check(tx, key, token, now)? {
            Ok(grant) => grant,
            Err(refusal) => return Ok((AckOutcome::Refused(refusal), None)),
        };
        lock_incident(tx, &grant.incident_id)?;
        let incident = load(tx, &grant.incident_id)?.ok_or(CommandError::NotFound)?;
        let client = directory::client_by_id(tx, &incident.client_id)?.ok_or(CommandError::NotFound)?;
        let bound = incident.client_id.0 == grant.client_id
            && client.dpo_email.eq_ignore_ascii_case(&grant.dpo_email);
        if !bound || !ack::consume(tx, &grant.id, now)? {
            return Ok((AckOutcome::Refused(ack::AckRefusal::Invalid), None));
        }
        let dpo = Principal {
            user_id: crate::domain::ids::UserId::from(format!("ack:{}", grant.id)),
            email: grant.dpo_email.clone(),
            role: crate::domain::tenant::Role::Dpo,
            client_id: Some(incident.client_id.clone()),
        };
        let mut transition =
            lifecycle::apply(&incident, &lifecycle::Event::Acknowledge, &dpo.email, now, policy)?;
        if let serde_json::Value::Object(detail) = &mut transition.detail {
            detail.insert("via".into(), json!("link"));
        }
        let next = commit_transition(tx, audit, &dpo, &incident, transition, now, policy)?;
        Ok((AckOutcome::Recorded, Some(next)))
    })
}

/// Locks an incident's row until the transaction ends, so that commands reading and then writing
/// one incident queue instead of failing the version check. Only PostgreSQL needs it: there the
/// audit head is locked last (see [`audit_log::write_tx`]); on SQLite the whole write transaction
/// is serialised already.
pub(crate) fn lock_incident(tx: &mut AnyConnection, id: &str) -> Result<(), StorageError> {
    super::lock_row(tx, "incidents", id)
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

/// Locks a client's row until the transaction ends (PostgreSQL only, as [`lock_incident`]).
fn lock_client(tx: &mut AnyConnection, id: &str) -> Result<(), StorageError> {
    super::lock_row(tx, "clients", id)
}

fn commit_transition(
    tx: &mut AnyConnection,
    audit: &mut Appender,
    principal: &Principal,
    before: &Incident,
    transition: Transition,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Incident, CommandError> {
    save(tx, before, &transition.incident, now)?;
    let client = directory::client_by_id(tx, &before.client_id)?;
    let policy = policy.for_client(client.as_ref().and_then(|c| c.policy.as_ref()));
    let change = escalation::plan_on_event(before, &transition.incident, transition.kind, now, &policy);
    alerts::apply_change(tx, &transition.incident, &change, now)?;
    record(audit, principal, &transition.incident, transition.kind.as_str(), transition.detail, now);
    Ok(transition.incident)
}

/// Writes `next` over `before`, refusing if someone else changed it meanwhile.
fn save(
    conn: &mut AnyConnection,
    before: &Incident,
    next: &Incident,
    now: DateTime<Utc>,
) -> Result<(), CommandError> {
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
        return Err(StorageError::Conflict("the incident changed meanwhile".into()).into());
    }
    Ok(())
}

fn record(
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

/// The audit events of an incident the principal may read, oldest first. Each `alert.sent` event
/// carries the delivery state of its mails now (`deliveries`), which the chain does not cover.
pub fn timeline(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &str,
) -> Result<Vec<ChainedEvent>, CommandError> {
    let incident = get(conn, principal, id)?;
    let mut events = audit_log::for_incident(conn, &incident.id.0)?;
    let mails = super::outbox::for_incident(conn, &incident.id.0)?;
    for event in &mut events {
        if event.event.event_type != "alert.sent" {
            continue;
        }
        let alert_id = event.event.detail.get("alert_id").and_then(|v| v.as_str()).map(str::to_string);
        if let (Some(alert_id), serde_json::Value::Object(detail)) = (alert_id, &mut event.event.detail) {
            let deliveries: Vec<serde_json::Value> = mails
                .iter()
                .filter(|m| m.alert_id.as_deref() == Some(alert_id.as_str()))
                .map(|m| {
                    json!({"to": m.to, "kind": m.kind, "status": m.status, "attempts": m.attempts,
                           "message_id": m.message_id, "sent_at": m.sent_at})
                })
                .collect();
            detail.insert("deliveries".into(), serde_json::Value::Array(deliveries));
        }
    }
    Ok(events)
}

/// The alert schedule of an incident the principal may read, with each alert's mails.
pub fn alerts(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &str,
) -> Result<Vec<(alerts::AlertRecord, Vec<super::outbox::Delivery>)>, CommandError> {
    let incident = get(conn, principal, id)?;
    let schedule = alerts::for_incident(conn, &incident.id.0)?;
    let mut mails = super::outbox::for_incident(conn, &incident.id.0)?;
    Ok(schedule
        .into_iter()
        .map(|alert| {
            let (own, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut mails)
                .into_iter()
                .partition(|m| m.alert_id.as_deref() == Some(alert.id.as_str()));
            mails = rest;
            (alert, own)
        })
        .collect())
}

/// Incidents per state, for metrics.
pub fn count_by_state(conn: &mut AnyConnection) -> Result<Vec<(String, i64)>, StorageError> {
    Ok(incidents::table
        .group_by(incidents::state)
        .select((incidents::state, diesel::dsl::count_star()))
        .order(incidents::state.asc())
        .load(conn)?)
}

/// The incident `id` with its client, if `principal` may read it.
pub fn with_client(
    conn: &mut AnyConnection,
    principal: &Principal,
    id: &str,
) -> Result<(Incident, crate::domain::directory::Client), CommandError> {
    let incident = get(conn, principal, id)?;
    let client = directory::client_by_id(conn, &incident.client_id)?.ok_or(CommandError::NotFound)?;
    Ok((incident, client))
}
