//! The breach register (art. 33(5)) in the UI: every incident in the caller's scope with its facts,
//! effects, remedial action and decisions, and downloads as CSV and JSON with the audit chain head.
//! Every download is recorded in the audit trail.
//!
//! The page speaks the reader's language: dates in Amsterdam time, severity, decisions and
//! proposals translated, the client's name. It filters by client, year, notified or not and late
//! (`?client=&year=&notified=&late=`, a GET form); a DPO sees only its own client.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::report::Choice;
use super::{Nav, PageError, PageSession, Ui, render};
use crate::app::export as register;
use crate::domain::authz::{self, Action};
use crate::domain::reference;
use crate::domain::register::{Hours, RegisterEntry, RegisterFilter};
use crate::domain::severity::{Band, Ease, quarters_text_in};
use crate::domain::tenant::TenantScope;
use crate::storage::StorageError;
use crate::storage::directory;
use crate::storage::incidents::{self, ListFilter};
use crate::web::{AppState, Disposition, file_response};

/// One entry as the page shows it: every value already in the reader's language.
struct Row {
    incident_id: String,
    reference: String,
    client: String,
    title: String,
    effects: Option<String>,
    remedial: Option<String>,
    reported: String,
    processor_aware: Option<String>,
    controller_aware: Option<String>,
    processor_delay: Option<String>,
    deadline: Option<String>,
    severity: Option<String>,
    enisa_inputs: Option<String>,
    proposals: Option<String>,
    decision: &'static str,
    late: bool,
    justification: Option<String>,
    ap_override: Option<String>,
    notification: Option<String>,
    supplements: Vec<String>,
    withdrawal: Option<String>,
    subjects: &'static str,
    subjects_override: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/register.html")]
struct RegisterPage {
    ui: Ui,
    nav: Option<Nav>,
    rows: Vec<Row>,
    /// Incidents in scope before filtering (to tell "none yet" from "none match").
    total: usize,
    clients: Vec<Choice>,
    years: Vec<Choice>,
    notified: Vec<Choice>,
    late: Vec<Choice>,
}

/// The page's query: every filter optional, an empty value is no filter.
#[derive(Debug, Default, Deserialize)]
pub struct RegisterQuery {
    client: Option<String>,
    year: Option<String>,
    notified: Option<String>,
    late: Option<String>,
}

impl RegisterQuery {
    /// The filter; a value that is not one the form offers is a bad request.
    fn filter(&self) -> Result<RegisterFilter, PageError> {
        let set =
            |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let flag = |v: &Option<String>| match set(v).as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(PageError::BadRequest),
        };
        Ok(RegisterFilter {
            client: set(&self.client),
            year: set(&self.year).map(|y| y.parse().map_err(|_| PageError::BadRequest)).transpose()?,
            notified: flag(&self.notified)?,
            late: flag(&self.late)?,
        })
    }
}

fn require_register(session: &PageSession) -> Result<(), PageError> {
    authz::authorize(session.principal(), Action::ExportRegister, None)
        .map_err(|e| PageError::Forbidden(e.to_string()))
}

fn yes_no(ui: &Ui, value: bool) -> &'static str {
    ui.t(if value { "inc-yes" } else { "inc-no" })
}

fn ease_label(ui: &Ui, code: &str) -> &'static str {
    match Ease::parse(code) {
        Some(Ease::Negligible) => ui.t("choice-ease-negligible"),
        Some(Ease::Limited) => ui.t("choice-ease-limited"),
        Some(Ease::Significant) => ui.t("choice-ease-significant"),
        Some(Ease::Maximum) | None => ui.t("choice-ease-maximum"),
    }
}

fn decision_key(code: &str) -> &'static str {
    match code {
        "no_breach" => "register-art33-no-breach",
        "not_notifiable" => "register-art33-not-notifiable",
        "notified" => "register-art33-notified",
        "withdrawn" => "register-art33-withdrawn",
        _ => "register-art33-pending",
    }
}

fn subjects_key(code: &str) -> &'static str {
    match code {
        "informed" => "register-art34-informed",
        "not_required" => "register-art34-not-required",
        _ => "register-art34-undecided",
    }
}

fn hours(ui: &Ui, h: Hours) -> String {
    ui.t_with("register-hours", &[("hours", &ui.locale.decimal(&h.to_string()))])
}

fn row(ui: &Ui, e: &RegisterEntry, now: chrono::DateTime<chrono::Utc>) -> Row {
    let band = e.severity_band.and_then(|code| Band::ALL.into_iter().find(|b| b.code() == code));
    let severity = match (band, e.severity_quarters) {
        (Some(band), Some(q)) => {
            Some(format!("{} ({})", band.label(ui.locale), quarters_text_in(q, ui.locale)))
        }
        _ => None,
    };
    let enisa_inputs = match (e.dpc, e.ease_of_identification) {
        (Some(dpc), Some(ease)) => Some(ui.t_with(
            "register-enisa-inputs",
            &[
                ("dpc", &dpc.to_string()),
                ("ease", ease_label(ui, ease)),
                ("c", &e.confidentiality.unwrap_or_default().to_string()),
                ("i", &e.integrity.unwrap_or_default().to_string()),
                ("a", &e.availability.unwrap_or_default().to_string()),
                ("malicious", yes_no(ui, e.malicious.unwrap_or_default())),
                ("unintelligible", yes_no(ui, e.unintelligible.unwrap_or_default())),
                ("vulnerable", yes_no(ui, e.vulnerable_subjects.unwrap_or_default())),
            ],
        )),
        _ => None,
    };
    let proposals = match (e.proposed_ap, e.proposed_subjects) {
        (Some(ap), Some(subjects)) => Some(format!(
            "{} {}; {} {}",
            ui.t("inc-proposal-ap"),
            yes_no(ui, ap),
            ui.t("inc-proposal-subjects"),
            yes_no(ui, subjects)
        )),
        _ => None,
    };
    let overridden = |overrides: Option<bool>, reason: &Option<String>| match overrides {
        Some(true) => Some(match reason {
            Some(r) => format!("{}: {r}", ui.t("register-override")),
            None => ui.t("register-override").to_string(),
        }),
        _ => None,
    };
    let supplements = e
        .supplement_history
        .iter()
        .map(|s| {
            let mut text = ui.time(s.at);
            if let Some(r) = &s.ap_reference {
                text.push_str(&format!(" — {r}"));
            }
            text.push_str(&format!(" — {}", s.note));
            if s.complete {
                text.push_str(&format!(" ({})", ui.t("register-supplement-complete")));
            }
            text
        })
        .collect();
    Row {
        incident_id: e.incident_id.clone(),
        reference: e.reference.clone(),
        client: e.client_name.clone().unwrap_or_else(|| e.client.clone()),
        title: e.title.clone(),
        effects: e.effects.clone(),
        remedial: e.remedial_action.clone(),
        reported: ui.time(e.reported_at),
        processor_aware: e.processor_aware_at.map(|t| ui.time(t)),
        controller_aware: e.controller_aware_at.map(|t| ui.time(t)),
        processor_delay: e.processor_delay_hours.map(|h| hours(ui, h)),
        deadline: e.deadline_at.map(|t| ui.time(t)),
        severity,
        enisa_inputs,
        proposals,
        decision: ui.t(decision_key(e.art33_decision)),
        late: e.late(now),
        justification: e.art33_justification.clone(),
        ap_override: overridden(e.ap_decision_overrides_proposal, &e.ap_override_reason),
        notification: e.ap_notified_at.map(|t| {
            let reference = e.ap_reference.as_deref().unwrap_or("—");
            let mut text = format!("{} — {reference}", ui.time(t));
            if let Some(reason) = &e.delay_reason {
                text.push_str(&format!(" ({reason})"));
            }
            text
        }),
        supplements,
        withdrawal: e
            .withdrawn_at
            .map(|t| format!("{} — {}", ui.time(t), e.withdraw_reason.as_deref().unwrap_or("—"))),
        subjects: ui.t(subjects_key(e.art34_decision)),
        subjects_override: overridden(e.subjects_decision_overrides_proposal, &e.subjects_override_reason),
    }
}

/// The choices of a filter: "any" first, then `options`, the current one selected.
fn choices(ui: &Ui, current: Option<String>, options: Vec<(String, String)>) -> Vec<Choice> {
    let current = current.unwrap_or_default();
    let mut out = vec![Choice {
        value: String::new(),
        label: ui.t("register-filter-any").into(),
        selected: current.is_empty(),
    }];
    out.extend(options.into_iter().map(|(value, label)| Choice { selected: value == current, value, label }));
    out
}

/// `GET /register`.
pub async fn page(
    state: web::Data<AppState>,
    session: PageSession,
    query: web::Query<RegisterQuery>,
) -> Result<HttpResponse, PageError> {
    require_register(&session)?;
    let filter = query.filter()?;
    let scope = session.principal().scope();
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let (mut items, clients) = state
        .db
        .run(move |conn| {
            let items = incidents::list(conn, &scope, &ListFilter::default(), now, &policy)?;
            // A DPO's register names one client: no need to read the whole directory.
            let clients = match &scope {
                TenantScope::Client(id) => directory::client_by_id(conn, id)?.into_iter().collect(),
                _ => directory::list_clients(conn)?,
            };
            Ok::<_, StorageError>((items, clients))
        })
        .await?;
    items.sort_by_key(|i| std::cmp::Reverse(i.reported_at));
    let names: BTreeMap<&str, &str> = clients.iter().map(|c| (c.id.0.as_str(), c.name.as_str())).collect();
    let policy = &state.settings.escalation;
    let entries: Vec<RegisterEntry> = items
        .iter()
        .map(|i| RegisterEntry::of(i, names.get(i.client_id.0.as_str()).copied(), now, policy))
        .collect();
    let ui = session.ui;
    let mut years: BTreeSet<i32> = entries.iter().map(|e| reference::year_of(e.reported_at)).collect();
    years.extend(filter.year);
    let rows = entries.iter().filter(|e| filter.matches(e, now)).map(|e| row(&ui, e, now)).collect();
    let flag = |v: Option<bool>| v.map(|b| b.to_string());
    let yes_no_options = || {
        vec![
            ("true".to_string(), ui.t("inc-yes").to_string()),
            ("false".to_string(), ui.t("inc-no").to_string()),
        ]
    };
    render(RegisterPage {
        ui,
        nav: Some(session.nav),
        total: entries.len(),
        rows,
        clients: choices(
            &ui,
            filter.client.clone(),
            clients.iter().map(|c| (c.slug.clone(), c.name.clone())).collect(),
        ),
        years: choices(
            &ui,
            filter.year.map(|y| y.to_string()),
            years.into_iter().rev().map(|y| (y.to_string(), y.to_string())).collect(),
        ),
        notified: choices(&ui, flag(filter.notified), yes_no_options()),
        late: choices(&ui, flag(filter.late), yes_no_options()),
    })
}

async fn download(
    state: &AppState,
    session: PageSession,
    format: &'static str,
) -> Result<HttpResponse, PageError> {
    require_register(&session)?;
    let principal = session.principal().clone();
    let scope = principal.scope();
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let export = state
        .db
        .run(move |conn| register::export(conn, &principal.email, &scope, None, format, now, &policy))
        .await?;
    let entries = export.entries(now, &state.settings.escalation);
    let (bytes, content_type) = match format {
        "json" => (
            crate::export::register_json(&export, &entries, None, now).map_err(|_| PageError::Internal)?,
            "application/json",
        ),
        _ => (
            crate::export::register_csv(&export, &entries).map_err(|_| PageError::Internal)?,
            "text/csv; charset=utf-8",
        ),
    };
    let file = format!("art33-register-{}.{format}", now.format("%Y%m%d-%H%M"));
    Ok(file_response(content_type, Disposition::Attachment, &file, bytes))
}

/// `GET /register.csv`.
pub async fn csv(state: web::Data<AppState>, session: PageSession) -> Result<HttpResponse, PageError> {
    download(&state, session, "csv").await
}

/// `GET /register.json`.
pub async fn json(state: web::Data<AppState>, session: PageSession) -> Result<HttpResponse, PageError> {
    download(&state, session, "json").await
}
