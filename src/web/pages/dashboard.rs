//! The dashboard: running clocks first, by urgency, as rows of an on-call tool ("Due in 2 h 59 m ·
//! Sat 06:58", "1 h overdue", the band in words, a severity chip, the next action, "AP draft 22 of
//! 25 answered"), with live countdowns in the same words; untriaged reports with their age and
//! next action; mails being retried and failed mails, which officers may put back in the queue.
//! Officers see every client, grouped; a DPO only its own client; a reporter its own reports.
//! `?client=SLUG&urgency=BAND|none` filters (bookmarkable); empty sections are left out, and an
//! empty dashboard says what to do next (for an administrator: a client, its DPO, a test leak).

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};

use super::forms::Fields;
use super::next_action;
use super::session::SessionCookie;
use super::{Nav, PageError, PageSession, Ui, render, see_other};
use crate::domain::authz::{self, Action};
use crate::domain::deadline::{Clock, ClockState, Urgency};
use crate::domain::local_time;
use crate::domain::tenant::{Role, TenantScope};
use crate::storage::StorageError;
use crate::storage::incidents;
use crate::storage::{directory, outbox};
use crate::web::AppState;
use crate::web::drafts::{MemoKey, RowStanding};

/// A running clock, as a row of an on-call tool: "Due in 2 h 59 m · Sat 06:58", the band, the
/// severity, the next action and how much of the AP draft is answered.
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
    /// Amsterdam time in full (the time element's title).
    pub deadline_local: String,
    /// The day and time of the deadline: "Sat 06:58".
    pub deadline_short: String,
    /// Time left in words ("Due in 2 h 59 m") or how late ("1 h overdue").
    pub left: String,
    /// CSS class of the band.
    pub urgency: &'static str,
    /// Text key of the band.
    pub urgency_key: &'static str,
    /// RFC 3339 of the conservative deadline when it is earlier than the legal one (the live
    /// countdown's band says when it has passed), else empty.
    pub conservative_iso: String,
    /// Whether the DPO acknowledged.
    pub acknowledged: bool,
    /// The severity chip: band in words and score, and the band's CSS class; `None` before an
    /// assessment.
    pub severity: Option<(String, &'static str)>,
    /// Text key of the next action.
    pub next: Option<&'static str>,
    /// How much of the AP draft is answered: "AP draft 22 of 25 answered".
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
    /// Age in words ("3 h ago").
    pub age: String,
    /// Text key of the next action.
    pub next: Option<&'static str>,
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

/// An option of a filter's select.
pub struct Choice {
    /// The query value ("" for any).
    pub value: String,
    /// The label.
    pub label: String,
    /// Whether it is the current one.
    pub selected: bool,
}

/// A step of the empty dashboard's path for a new administrator.
pub struct Step {
    /// Text key of the step.
    pub key: &'static str,
    /// Where it is done.
    pub href: &'static str,
    /// Whether it is done already.
    pub done: bool,
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
    /// The live countdown's sentences, `{left}` standing for the time.
    due_in_template: String,
    overdue_template: String,
    /// Filters (not for reporters); the client filter for officers only.
    show_filters: bool,
    client_choices: Vec<Choice>,
    urgency_choices: Vec<Choice>,
    filtered: bool,
    /// Nothing in scope at all: the empty state, with `steps` for an administrator.
    empty: bool,
    steps: Vec<Step>,
    role: Role,
}

/// Rows per dashboard section; the rest is counted (and reachable through the API and register).
const ROWS_PER_SECTION: u32 = 100;

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Rows of each mail section (failed, being retried).
const MAIL_ROWS: u32 = 20;

/// The dashboard's query: `?client=SLUG&urgency=BAND` (bookmarkable filters, empty = all) and
/// `?requeued=N` after failed mails were put back in the queue. The first value of each counts;
/// anything else in the query string, and a query string that cannot be read, is ignored.
#[derive(Debug, Default)]
pub struct DashboardQuery {
    client: Option<String>,
    urgency: Option<String>,
    requeued: Option<String>,
}

impl DashboardQuery {
    fn of(req: &HttpRequest) -> DashboardQuery {
        let pairs = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
            .map(web::Query::into_inner)
            .unwrap_or_default();
        let first = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        DashboardQuery { client: first("client"), urgency: first("urgency"), requeued: first("requeued") }
    }
}

/// The urgency filter: one band of a running clock, or the incidents without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrgencyFilter {
    /// Running clocks in this band.
    Band(Urgency),
    /// No running clock: reports awaiting triage and decided incidents.
    NoClock,
}

/// The value of `?urgency=` for incidents without a running clock.
const NO_CLOCK: &str = "none";

impl UrgencyFilter {
    /// From the query value: a band's wire name (`overdue`, `within_4h`, …) or `none`.
    pub fn parse(value: &str) -> Option<UrgencyFilter> {
        if value == NO_CLOCK {
            return Some(UrgencyFilter::NoClock);
        }
        Urgency::ALL.into_iter().find(|u| u.code() == value).map(UrgencyFilter::Band)
    }

    /// Whether a running clock in `band` passes.
    fn shows_clock(self, band: Urgency) -> bool {
        self == UrgencyFilter::Band(band)
    }
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// `GET /`. The session and everything the page shows are read in one trip to the blocking pool.
pub async fn page(
    state: web::Data<AppState>,
    cookie: SessionCookie,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let query = DashboardQuery::of(&req);
    let client_filter = non_empty(&query.client).map(str::to_string);
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let filter_slug = client_filter.clone();
    let (session, (board, clients, failed, retrying, has_dpo, scope)) = cookie
        .run(&state, move |conn, found| {
            let principal = &found.session.principal;
            let full_scope = principal.scope();
            // A DPO's page names one client, the one the session has read already.
            let clients = match &full_scope {
                TenantScope::Client(id) => match &found.client {
                    Some(client) if client.id == *id => vec![client.clone()],
                    _ => directory::client_by_id(conn, id)?.into_iter().collect(),
                },
                _ => directory::list_clients(conn)?,
            };
            // The client filter narrows the scope (never widens it); an unknown slug shows nothing.
            let scope = match &filter_slug {
                None => full_scope.clone(),
                Some(slug) => match clients.iter().find(|c| c.slug == *slug) {
                    Some(client) => full_scope.within_client(&client.id),
                    None => TenantScope::Nothing,
                },
            };
            let board = incidents::dashboard::<ROWS_PER_SECTION>(conn, &scope, now, &policy)?;
            let clients: BTreeMap<String, crate::domain::directory::Client> =
                clients.into_iter().map(|c| (c.id.0.clone(), c)).collect();
            let outbox::Undelivered { failed, retrying } =
                outbox::undelivered_in_scope::<MAIL_ROWS>(conn, &scope)?;
            // The newcomer path asks whether a DPO exists only on an empty dashboard.
            let nothing = board.running.is_empty() && board.untriaged.is_empty() && board.others.is_empty();
            let has_dpo = if principal.role == Role::Admin && nothing {
                directory::list_users(conn)?.iter().any(|u| u.role == Role::Dpo)
            } else {
                true
            };
            Ok::<_, StorageError>((board, clients, failed, retrying, has_dpo, scope))
        })
        .await?;
    // Checked after the session, as before: a request without one goes to the login page first.
    let requeued = non_empty(&query.requeued).and_then(|n| n.parse().ok());
    let urgency_filter = match non_empty(&query.urgency) {
        None => None,
        Some(value) => Some(UrgencyFilter::parse(value).ok_or(PageError::BadRequest)?),
    };
    let principal = session.principal().clone();
    let officer_view = matches!(principal.role, Role::Officer | Role::Admin);
    let reporter_view = principal.role == Role::Reporter;
    let wants_steps = principal.role == Role::Admin;
    let ui = session.ui;
    // The client's name, or its slug (or id) when the directory no longer has it.
    let name_of = |client_id: &str, fallback: &str| {
        clients.get(client_id).map_or_else(|| fallback.to_string(), |c| c.name.clone())
    };
    // Each client's digest once per page, for the remembered standings.
    let mut digests: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    let mut digest_of = |client_id: &str| {
        let (id, client) = clients.get_key_value(client_id)?;
        Some(*digests.entry(id.as_str()).or_insert_with(|| crate::web::drafts::client_digest(client)))
    };
    // What each running clock's row shows beyond its columns, as remembered for its incident's
    // version; the rows with nothing remembered are read whole, in one more statement, and their
    // standings remembered for the next view.
    let mut rows: Vec<Option<RowStanding>> = board
        .running
        .iter()
        .map(|summary| {
            let digest = digest_of(&summary.client_id)?;
            let key = MemoKey::of_row(&state.settings, summary, digest, ui.locale, now)?;
            state.standings.remembered_row(&key)
        })
        .collect();
    let missing: Vec<String> = board
        .running
        .iter()
        .zip(&rows)
        .filter(|(summary, row)| row.is_none() && clients.contains_key(&summary.client_id))
        .map(|(summary, _)| summary.id.clone())
        .collect();
    if !missing.is_empty() {
        let whole = state.db.run(move |conn| incidents::load_in_scope(conn, &scope, &missing)).await?;
        for (summary, row) in board.running.iter().zip(rows.iter_mut()) {
            if let (None, Some(incident), Some(client), Some(digest)) =
                (&row, whole.get(&summary.id), clients.get(&summary.client_id), digest_of(&summary.client_id))
            {
                *row = Some(state.standings.read(
                    &state.settings,
                    incident,
                    client,
                    digest,
                    ui.locale,
                    now,
                    |found| found.row.clone(),
                ));
            }
        }
    }
    let policy = &state.settings.escalation;
    let row = |incident: &incidents::Summary| ReportRow {
        id: incident.id.clone(),
        reference: incident.reference.clone(),
        client: name_of(&incident.client_id, &incident.client_slug),
        title: incident.title.clone(),
        state: incident.state().map_or("", |state| ui.state(state)),
        age: age_in_words(&ui, (now - incident.reported_at()).num_seconds()),
        next: incident.state().and_then(next_action::of_state),
    };
    let mut running = Vec::new();
    for (summary, standing) in board.running.iter().zip(rows) {
        let Some(facts) = summary.facts() else { continue };
        let clock = Clock::at(facts, now, policy);
        if let (ClockState::Running, Some(deadline), Some(remaining)) =
            (clock.state, clock.deadline_at, clock.remaining_seconds)
        {
            let band = Urgency::of_clock(&clock);
            if urgency_filter.is_some_and(|f| !f.shows_clock(band)) {
                continue;
            }
            let severity = standing
                .as_ref()
                .and_then(|s| s.severity.as_ref())
                .map(|s| (format!("{} {}", ui.band(s.band), s.score_text_in(ui.locale)), s.band.code()));
            let completeness = standing.as_ref().map_or_else(String::new, |s| {
                ui.t_with(
                    "dash-ap-draft",
                    &[
                        ("answered", &s.completeness.answered.to_string()),
                        ("total", &s.completeness.total.to_string()),
                    ],
                )
            });
            running.push((
                band,
                ClockRow {
                    id: summary.id.clone(),
                    reference: summary.reference.clone(),
                    client: name_of(&summary.client_id, &summary.client_slug),
                    title: summary.title.clone(),
                    deadline_iso: rfc3339(deadline),
                    deadline_local: ui.time(deadline),
                    deadline_short: local_time::format_day_time(deadline, now, ui.locale),
                    left: time_left(&ui, remaining),
                    urgency: band.code(),
                    urgency_key: urgency_key(band),
                    conservative_iso: clock
                        .processor_delay_warning
                        .then(|| clock.conservative_deadline_at.map(rfc3339))
                        .flatten()
                        .unwrap_or_default(),
                    acknowledged: summary.acknowledged_at.is_some(),
                    severity,
                    next: standing.as_ref().and_then(|s| s.next),
                    completeness,
                },
            ));
        }
    }
    // By urgency, then by deadline (the order they came in): the band of a passed conservative
    // deadline comes before the calm ones.
    running.sort_by_key(|(band, _)| *band);
    let running: Vec<ClockRow> = running.into_iter().map(|(_, row)| row).collect();
    let show_unclocked = urgency_filter.is_none_or(|f| f == UrgencyFilter::NoClock);
    let untriaged: Vec<ReportRow> =
        if show_unclocked { board.untriaged.iter().map(row).collect() } else { Vec::new() };
    let others: Vec<ReportRow> =
        if show_unclocked { board.others.iter().map(row).collect() } else { Vec::new() };
    let running = if urgency_filter == Some(UrgencyFilter::NoClock) { Vec::new() } else { running };
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
    let failed: Vec<FailedRow> = failed
        .into_iter()
        .map(|(reference, incident_id, delivery)| FailedRow {
            incident_id,
            reference,
            to: ui.delivery_to(&delivery.channel, delivery.to),
            kind: ui.mail_kind(&delivery.kind).to_string(),
            error: delivery.last_error.unwrap_or_default(),
        })
        .collect();
    let retrying: Vec<RetryingRow> = retrying
        .into_iter()
        .map(|(reference, incident_id, delivery)| RetryingRow {
            incident_id,
            reference,
            to: ui.delivery_to(&delivery.channel, delivery.to),
            kind: ui.mail_kind(&delivery.kind).to_string(),
            attempts: delivery.attempts,
            error: delivery.last_error.unwrap_or_default(),
            next_iso: rfc3339(delivery.next_attempt_at),
            next_local: ui.time(delivery.next_attempt_at),
        })
        .collect();
    let filtered = urgency_filter.is_some() || client_filter.is_some();
    let empty = !filtered
        && board.running.is_empty()
        && board.untriaged.is_empty()
        && board.others.is_empty()
        && failed.is_empty()
        && retrying.is_empty();
    let steps = if empty && wants_steps {
        vec![
            Step { key: "dash-step-client", href: "/admin#clients", done: !clients.is_empty() },
            Step { key: "dash-step-dpo", href: "/admin#users", done: has_dpo },
            Step { key: "dash-step-report", href: "/report", done: false },
        ]
    } else {
        Vec::new()
    };
    let mut client_choices = vec![Choice {
        value: String::new(),
        label: ui.t("dash-filter-any").to_string(),
        selected: client_filter.is_none(),
    }];
    let mut by_name: Vec<&crate::domain::directory::Client> = clients.values().collect();
    by_name.sort_by(|a, b| a.name.cmp(&b.name));
    client_choices.extend(by_name.into_iter().map(|c| Choice {
        value: c.slug.clone(),
        label: c.name.clone(),
        selected: client_filter.as_deref() == Some(c.slug.as_str()),
    }));
    let current_urgency = non_empty(&query.urgency).unwrap_or_default();
    let mut urgency_choices = vec![Choice {
        value: String::new(),
        label: ui.t("dash-filter-any").to_string(),
        selected: current_urgency.is_empty(),
    }];
    urgency_choices.extend(Urgency::ALL.into_iter().map(|u| Choice {
        value: u.code().to_string(),
        label: ui.t(urgency_key(u)).to_string(),
        selected: current_urgency == u.code(),
    }));
    urgency_choices.push(Choice {
        value: NO_CLOCK.to_string(),
        label: ui.t("dash-filter-no-clock").to_string(),
        selected: current_urgency == NO_CLOCK,
    });
    render(DashboardPage {
        ui,
        nav: Some(session.nav),
        server_now: rfc3339(now),
        reporter_view,
        more_running: if urgency_filter.is_some() {
            0
        } else {
            (running_total as usize).saturating_sub(running.len())
        },
        more_untriaged: if show_unclocked {
            (untriaged_total as usize).saturating_sub(untriaged.len())
        } else {
            0
        },
        running,
        untriaged,
        others,
        failed,
        retrying,
        can_requeue: authz::authorize(&principal, Action::RequeueMails, None).is_ok(),
        requeued,
        groups: if officer_view { groups } else { Vec::new() },
        due_in_template: ui.t_with("dash-due-in", &[("left", "{left}")]),
        overdue_template: ui.t_with("dash-overdue-by", &[("left", "{left}")]),
        show_filters: !reporter_view && !empty,
        client_choices: if officer_view { client_choices } else { Vec::new() },
        urgency_choices,
        filtered,
        empty,
        steps,
        role: principal.role,
    })
}

/// "3 h ago", or "just now" under a minute.
fn age_in_words(ui: &Ui, seconds: i64) -> String {
    if seconds < 60 {
        return ui.t("dash-just-now").to_string();
    }
    ui.t_with("dash-ago", &[("age", &local_time::format_duration_compact(seconds, ui.locale))])
}

/// "Due in 2 h 59 m" or "1 h overdue": the time left in words, as the live countdown writes it too.
fn time_left(ui: &Ui, remaining: i64) -> String {
    let left = local_time::format_duration_compact(remaining, ui.locale);
    if remaining < 0 {
        ui.t_with("dash-overdue-by", &[("left", &left)])
    } else {
        ui.t_with("dash-due-in", &[("left", &left)])
    }
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
