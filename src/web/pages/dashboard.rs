//! The dashboard: running clocks first, by deadline, with live countdowns and urgency in words;
//! untriaged reports with their age; mails being retried and failed mails, which officers may put
//! back in the queue. Officers see every client, grouped; a DPO only its own client; a reporter its
//! own reports.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};

use super::forms::Fields;
use super::{Nav, PageError, PageSession, Ui, render, see_other};
use crate::domain::authz::{self, Action};
use crate::domain::deadline::{Clock, ClockState, Urgency};
use crate::domain::incident::Incident;
use crate::domain::tenant::{Role, TenantScope};
use crate::storage::StorageError;
use crate::storage::incidents;
use crate::storage::{directory, outbox};
use crate::web::AppState;

/// A running clock.
pub struct ClockRow {
    /// Incident id.
    pub id: String,
    /// Reference.
    pub reference: String,
    /// Client name.
    pub client: String,
    /// Title.
    pub title: String,
    /// RFC 3339, for the live countdown.
    pub deadline_iso: String,
    /// Amsterdam time.
    pub deadline_local: String,
    /// Time left (or overdue) as rendered by the server.
    pub remaining: String,
    /// CSS class of the band.
    pub urgency: &'static str,
    /// Text key of the band.
    pub urgency_key: &'static str,
    /// RFC 3339 of the conservative deadline when it is earlier than the legal one (the live
    /// countdown's band says when it has passed), else empty.
    pub conservative_iso: String,
    /// Whether the DPO acknowledged.
    pub acknowledged: bool,
    /// How much of the AP draft is answered: "7 / 12".
    pub completeness: String,
}

/// A report or decided incident.
pub struct ReportRow {
    /// Incident id.
    pub id: String,
    /// Reference.
    pub reference: String,
    /// Client name.
    pub client: String,
    /// Title.
    pub title: String,
    /// State in words.
    pub state: &'static str,
    /// Age in words.
    pub age: String,
}

/// A mail that was not delivered.
pub struct FailedRow {
    /// Incident id.
    pub incident_id: String,
    /// Reference.
    pub reference: String,
    /// Recipient.
    pub to: String,
    /// Mail kind.
    pub kind: String,
    /// Last error.
    pub error: String,
}

/// A mail that failed at least once and will be tried again.
pub struct RetryingRow {
    /// Incident id.
    pub incident_id: String,
    /// Reference.
    pub reference: String,
    /// Recipient.
    pub to: String,
    /// Mail kind.
    pub kind: String,
    /// Attempts so far.
    pub attempts: i32,
    /// The last attempt's error.
    pub error: String,
    /// RFC 3339 of the next attempt.
    pub next_iso: String,
    /// The next attempt in Amsterdam time.
    pub next_local: String,
}

/// Counts per client (officers).
pub struct ClientGroup {
    /// Client name.
    pub name: String,
    /// Running clocks.
    pub running: usize,
    /// Overdue among them.
    pub overdue: usize,
    /// Untriaged reports.
    pub untriaged: usize,
}

#[derive(Template)]
#[template(path = "pages/dashboard.html")]
struct DashboardPage {
    ui: Ui,
    nav: Option<Nav>,
    server_now: String,
    reporter_view: bool,
    running: Vec<ClockRow>,
    untriaged: Vec<ReportRow>,
    others: Vec<ReportRow>,
    failed: Vec<FailedRow>,
    retrying: Vec<RetryingRow>,
    can_requeue: bool,
    requeued: Option<usize>,
    groups: Vec<ClientGroup>,
    more_running: usize,
    more_untriaged: usize,
}

/// Rows per dashboard section; the rest is counted (and reachable through the API and register).
const ROWS_PER_SECTION: u32 = 100;

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Rows of each mail section (failed, being retried).
const MAIL_ROWS: i64 = 20;

/// `?requeued=N` after failed mails were put back in the queue (anything else in the query string
/// is ignored, as before).
fn requeued_param(req: &HttpRequest) -> Option<usize> {
    req.query_string().split('&').find_map(|pair| pair.strip_prefix("requeued=")).and_then(|n| n.parse().ok())
}

/// `GET /`.
pub async fn page(
    state: web::Data<AppState>,
    session: PageSession,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let requeued = requeued_param(&req);
    let principal = session.principal().clone();
    let scope = principal.scope();
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let officer_view = matches!(principal.role, Role::Officer | Role::Admin);
    let (board, clients, failed, retrying) = state
        .db
        .run(move |conn| {
            let board = incidents::dashboard::<ROWS_PER_SECTION>(conn, &scope, now, &policy)?;
            // A DPO's page names one client: no need to read the whole directory.
            let clients = match &scope {
                TenantScope::Client(id) => directory::client_by_id(conn, id)?.into_iter().collect(),
                _ => directory::list_clients(conn)?,
            };
            let clients: BTreeMap<String, crate::domain::directory::Client> =
                clients.into_iter().map(|c| (c.id.0.clone(), c)).collect();
            let (failed, retrying) = match &scope {
                TenantScope::All | TenantScope::Client(_) => (
                    outbox::failed_in_scope(conn, &scope, MAIL_ROWS)?,
                    outbox::retrying_in_scope(conn, &scope, MAIL_ROWS)?,
                ),
                _ => (Vec::new(), Vec::new()),
            };
            Ok::<_, StorageError>((board, clients, failed, retrying))
        })
        .await?;
    let ui = session.ui;
    // The client's name, or its slug (or id) when the directory no longer has it.
    let name_of = |client_id: &str, fallback: &str| {
        clients.get(client_id).map_or_else(|| fallback.to_string(), |c| c.name.clone())
    };
    let completeness = |i: &Incident| match clients.get(&i.client_id.0) {
        Some(client) => {
            let c = crate::web::drafts::completeness(&state.settings, i, client, ui.locale, now);
            format!("{} / {}", c.answered, c.total)
        }
        None => String::new(),
    };
    let policy = &state.settings.escalation;
    let row = |incident: &incidents::Summary| ReportRow {
        id: incident.id.clone(),
        reference: incident.reference.clone(),
        client: name_of(&incident.client_id, &incident.client_slug),
        title: incident.title.clone(),
        state: incident.state().map_or("", |state| ui.state(state)),
        age: ui.duration((now - incident.reported_at()).num_seconds()),
    };
    let mut running = Vec::new();
    for incident in &board.running {
        let clock = Clock::of(incident, now, policy);
        if let (ClockState::Running, Some(deadline), Some(remaining)) =
            (clock.state, clock.deadline_at, clock.remaining_seconds)
        {
            running.push(ClockRow {
                id: incident.id.0.clone(),
                reference: incident.reference.clone(),
                client: name_of(&incident.client_id.0, &incident.client_slug),
                title: incident.facts.title.clone(),
                deadline_iso: rfc3339(deadline),
                deadline_local: ui.time(deadline),
                remaining: ui.duration(remaining),
                urgency: Urgency::of_clock(&clock).code(),
                urgency_key: urgency_key(Urgency::of_clock(&clock)),
                conservative_iso: clock
                    .processor_delay_warning
                    .then(|| clock.conservative_deadline_at.map(rfc3339))
                    .flatten()
                    .unwrap_or_default(),
                acknowledged: incident.acknowledged_at.is_some(),
                completeness: completeness(incident),
            });
        }
    }
    let untriaged: Vec<ReportRow> = board.untriaged.iter().map(row).collect();
    let others: Vec<ReportRow> = board.others.iter().map(row).collect();
    let groups = board
        .counts
        .iter()
        .map(|(client, running, overdue, untriaged)| ClientGroup {
            name: name_of(client, client),
            running: *running as usize,
            overdue: *overdue as usize,
            untriaged: *untriaged as usize,
        })
        .collect::<Vec<_>>();
    let running_total: i64 = board.counts.iter().map(|(_, r, _, _)| r).sum();
    let untriaged_total: i64 = board.counts.iter().map(|(_, _, _, u)| u).sum();
    let failed = failed
        .into_iter()
        .map(|(reference, incident_id, delivery)| FailedRow {
            incident_id,
            reference,
            to: delivery.to,
            kind: ui.mail_kind(&delivery.kind).to_string(),
            error: delivery.last_error.unwrap_or_default(),
        })
        .collect();
    let retrying = retrying
        .into_iter()
        .map(|(reference, incident_id, delivery)| RetryingRow {
            incident_id,
            reference,
            to: delivery.to,
            kind: ui.mail_kind(&delivery.kind).to_string(),
            attempts: delivery.attempts,
            error: delivery.last_error.unwrap_or_default(),
            next_iso: rfc3339(delivery.next_attempt_at),
            next_local: ui.time(delivery.next_attempt_at),
        })
        .collect();
    render(DashboardPage {
        ui,
        nav: Some(session.nav),
        server_now: rfc3339(now),
        reporter_view: principal.role == Role::Reporter,
        more_running: (running_total as usize).saturating_sub(running.len()),
        more_untriaged: (untriaged_total as usize).saturating_sub(untriaged.len()),
        running,
        untriaged,
        others,
        failed,
        retrying,
        can_requeue: authz::authorize(&principal, Action::RequeueMails, None).is_ok(),
        requeued,
        groups: if officer_view { groups } else { Vec::new() },
    })
}

/// `POST /mails/requeue`: every failed mail back in the queue, due now, each recorded in the audit
/// trail with the officer as actor; back to the dashboard, which says how many. Officers and admins
/// only.
pub async fn requeue(
    state: web::Data<AppState>,
    session: PageSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = Fields::new(form.into_inner());
    session.check_csrf(fields.get("csrf"))?;
    let principal = session.principal().clone();
    let now = state.clock.now();
    let requeued = state.db.run(move |conn| crate::app::requeue::by_user(conn, &principal, now)).await?;
    tracing::info!(requeued, "failed mails requeued from the dashboard");
    Ok(see_other(&format!("/?requeued={requeued}")))
}

/// The text key of an urgency band.
pub fn urgency_key(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Overdue => "urgency-overdue",
        Urgency::Within4h => "urgency-within-4h",
        Urgency::Within12h => "urgency-within-12h",
        Urgency::Within24h => "urgency-within-24h",
        Urgency::ConservativePassed => "urgency-conservative-passed",
        Urgency::MoreThan24h => "urgency-more-than-24h",
    }
}
