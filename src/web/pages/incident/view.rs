//! The incident page: what it shows, and the page handler.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::app::{self, CommandError};
use crate::domain::authz::{self, Action, Target};
use crate::domain::deadline::{Clock, ClockState, Urgency};
use crate::domain::ids::IncidentId;
use crate::domain::incident::{State, SubjectsDecision};
use crate::domain::lifecycle;
use crate::domain::local_time;
use crate::domain::tenant::Principal;
use crate::domain::texts;
use crate::domain::vocabulary::{Channel, CodeList, SubjectsGround};
use crate::storage::directory;
use crate::web::AppState;
use crate::web::pages::report::Choice;
use crate::web::pages::{Nav, PageError, PageSession, Ui, render_with};

use super::forms::*;

/// One input of a form.
pub struct FormField {
    /// Input name.
    pub name: &'static str,
    /// Label text key.
    pub label: &'static str,
    /// `text`, `textarea`, `datetime`, `select`, `number`, `checkbox`, `checks`.
    pub input: &'static str,
    /// Whether required.
    pub required: bool,
    /// Options of selects and checkbox groups.
    pub options: Vec<Choice>,
    /// Current value.
    pub value: String,
    /// The error at this field.
    pub error: Option<String>,
    /// Whether the autumn-fold choice must be shown.
    pub fold: bool,
}

/// A form for one event.
pub struct EventForm {
    /// Event wire name.
    pub kind: &'static str,
    /// Button text.
    pub title: &'static str,
    /// Inputs.
    pub fields: Vec<FormField>,
    /// Opened (it has errors).
    pub open: bool,
    /// An error not tied to one field.
    pub error: Option<String>,
}

/// A line of the facts list.
pub struct Fact {
    /// Label.
    pub label: &'static str,
    /// Value.
    pub value: String,
}

/// A timeline entry.
pub struct TimelineRow {
    /// When, Amsterdam time.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub what: String,
    /// Particulars.
    pub detail: String,
}

/// An alert row.
pub struct AlertRow {
    /// Code.
    pub code: String,
    /// Due, Amsterdam time.
    pub due: String,
    /// Status.
    pub status: String,
    /// Recipients with delivery state.
    pub deliveries: Vec<String>,
}

#[derive(Template)]
#[template(path = "pages/incident.html")]
struct IncidentPage {
    ui: Ui,
    nav: Option<Nav>,
    server_now: String,
    id: String,
    reference: String,
    title: String,
    client: String,
    state: &'static str,
    clock_running: bool,
    clock_not_started: bool,
    deadline_iso: String,
    deadline_local: String,
    deadline_utc: String,
    remaining: String,
    urgency: &'static str,
    urgency_key: &'static str,
    overdue: bool,
    processor_aware: String,
    controller_aware: String,
    conservative: Option<String>,
    /// The conservative deadline has passed: the notice speaks in the past tense.
    conservative_passed: bool,
    /// RFC 3339 of that conservative deadline, for the live band.
    conservative_iso: Option<String>,
    /// "The 96-hour clock has not started": the incident's own window, not "72".
    not_started: String,
    acknowledged: Option<String>,
    facts: Vec<Fact>,
    decisions: Vec<Fact>,
    forms: Vec<EventForm>,
    edit: Option<Vec<FormField>>,
    edit_error: Option<String>,
    edit_open: bool,
    alerts: Vec<AlertRow>,
    timeline: Vec<TimelineRow>,
}

pub(super) async fn show(
    state: &AppState,
    session: PageSession,
    id: IncidentId,
    submitted: Submitted,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let principal: Principal = session.principal().clone();
    let loaded = state
        .db
        .run(move |conn| {
            let incident = app::read::get(conn, &principal, &id)?;
            let client = directory::client_by_id(conn, &incident.client_id)?;
            let alerts = app::read::alerts(conn, &principal, &id)?;
            let timeline = app::read::timeline(conn, &principal, &id)?;
            Ok::<_, CommandError>((incident, client, alerts, timeline, principal))
        })
        .await?;
    let (incident, client, alerts, timeline, principal) = loaded;
    let completeness = client.as_ref().map(|c| {
        crate::web::drafts::draft(&state.settings, &incident, c, session.ui.locale, state.clock.now())
            .completeness
    });
    let ui = session.ui;
    let now = state.clock.now();
    let policy = &state.settings.escalation;
    let clock = Clock::of(&incident, now, policy);
    let target = Target {
        client_id: &incident.client_id,
        reported_by: &incident.reported_by,
        state: Some(incident.state),
    };

    let mut forms = Vec::new();
    for kind in lifecycle::allowed_events(&incident) {
        if authz::authorize(&principal, Action::ApplyEvent(kind), Some(target)).is_err() {
            continue;
        }
        let mut fields: Vec<FormField> = event_fields(kind, &ui).into_iter().map(|(f, _)| f).collect();
        let mut open = false;
        let mut error = None;
        if let Some((k, failed)) = &submitted.event
            && k == kind.as_str()
        {
            open = true;
            let placed = failed
                .field
                .as_deref()
                .is_some_and(|f| mark(&mut fields, &failed.fields, f, &failed.message));
            if !placed {
                mark(&mut fields, &failed.fields, "", "");
                error = Some(failed.message.clone());
            }
        }
        forms.push(EventForm { kind: kind.as_str(), title: ui.event(kind), fields, open, error });
    }
    let may_edit = authz::authorize(&principal, Action::EditIncident, Some(target)).is_ok()
        && lifecycle::check_editable(&incident).is_ok();
    let mut edit_error = None;
    let edit = may_edit.then(|| {
        let mut fields = fact_fields(&ui, &incident.facts);
        if let Some(failed) = &submitted.edit {
            let placed = failed
                .field
                .as_deref()
                .is_some_and(|f| mark(&mut fields, &failed.fields, f, &failed.message));
            if !placed {
                mark(&mut fields, &failed.fields, "", "");
                edit_error = Some(failed.message.clone());
            }
        }
        fields
    });

    let f = &incident.facts;
    let labels =
        |items: Vec<&'static str>| if items.is_empty() { "—".to_string() } else { items.join(", ") };
    let facts = vec![
        Fact { label: "inc-summary", value: f.summary.clone() },
        Fact { label: "inc-reported", value: ui.time_offset(incident.reported_at) },
        Fact { label: "inc-reported-by", value: incident.reported_by_email.clone() },
        Fact { label: "inc-discovered", value: ui.time_offset(f.discovered_at) },
        Fact {
            label: "field-incident-kind",
            value: f.incident_kind.map_or("—".into(), |k| ui.code(k).into()),
        },
        Fact { label: "field-nature", value: labels(f.nature.iter().map(|n| ui.code(*n)).collect()) },
        Fact {
            label: "field-data-categories",
            value: labels(f.data_categories.iter().map(|n| ui.code(*n)).collect()),
        },
        Fact {
            label: "field-special-categories",
            value: labels(f.special_categories.iter().map(|n| ui.code(*n)).collect()),
        },
        Fact {
            label: "field-subject-groups",
            value: labels(f.subject_groups.iter().map(|n| ui.code(*n)).collect()),
        },
        Fact {
            label: "field-subjects-min",
            value: match (f.subjects_min, f.subjects_max) {
                (Some(a), Some(b)) if a == b => a.to_string(),
                (a, b) => format!(
                    "{} – {}",
                    a.map_or("?".into(), |v| v.to_string()),
                    b.map_or("?".into(), |v| v.to_string())
                ),
            },
        },
        Fact {
            label: "field-records-approx", value: f.records_approx.map_or("—".into(), |v| v.to_string())
        },
        Fact { label: "field-encryption", value: f.encryption.map_or("—".into(), |e| ui.code(e).into()) },
        Fact { label: "field-consequences", value: f.consequences.clone().unwrap_or_else(|| "—".into()) },
        Fact {
            label: "field-measures-taken", value: f.measures_taken.clone().unwrap_or_else(|| "—".into())
        },
    ];
    let yes = |b: bool| ui.t(if b { "inc-yes" } else { "inc-no" });
    let mut decisions = vec![Fact {
        label: "inc-severity",
        value: match incident.severity() {
            Some(s) => format!(
                "{} ({}) — {} {}; {} {}",
                ui.band(s.band),
                s.score_text_in(ui.locale),
                ui.t("inc-proposal-ap"),
                yes(s.proposed_ap),
                ui.t("inc-proposal-subjects"),
                yes(s.proposed_subjects)
            ),
            None => ui.t("inc-not-assessed").into(),
        },
    }];
    decisions.push(Fact {
        label: "inc-ap",
        value: match (&incident.ap, clock.on_time) {
            (Some(ap), on_time) => format!(
                "{} — {} — {}{}",
                ui.time_offset(ap.notified_at),
                ap.reference,
                ui.t(if on_time == Some(false) { "inc-late" } else { "inc-on-time" }),
                ap.delay_reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
            ),
            (None, _) => ui.t("inc-ap-none").into(),
        },
    });
    decisions.push(Fact {
        label: "inc-subjects",
        value: match &incident.subjects {
            SubjectsDecision::Undecided => ui.t("inc-subjects-undecided").into(),
            SubjectsDecision::Informed { informed_at, channel, count } => {
                format!("{} — {} — {count}", ui.time(*informed_at), ui.code(*channel))
            }
            SubjectsDecision::NotRequired { ground, explanation } => {
                format!("{} — {explanation}", ui.code(*ground))
            }
        },
    });
    if let Some(c) = completeness {
        decisions.push(Fact {
            label: "inc-ap-draft",
            value: format!("{} {} / {} ({}%)", ui.t("ap-completeness"), c.answered, c.total, c.percent),
        });
    }
    for (label, value) in [
        ("field-reason", incident.dismiss_reason.clone()),
        ("field-justification", incident.not_notifiable_justification.clone()),
        ("field-reason", incident.withdraw_reason.clone()),
        ("field-summary", incident.close_summary.clone()),
    ] {
        if let Some(value) = value {
            decisions.push(Fact { label, value });
        }
    }

    let alerts = alerts
        .into_iter()
        .map(|(a, mails)| AlertRow {
            code: if a.repeat_no > 0 { format!("{} #{}", a.code, a.repeat_no) } else { a.code.to_string() },
            due: ui.time(a.due_at),
            status: ui.alert_status(&a.status).to_string(),
            deliveries: mails
                .iter()
                .map(|m| format!("{} — {} ({}×)", m.to, ui.delivery_status(&m.status), m.attempts))
                .collect(),
        })
        .collect();
    let timeline = timeline
        .into_iter()
        .rev()
        .map(|e| TimelineRow {
            at: ui.time(e.event.at),
            actor: ui.actor(&e.event.actor).to_string(),
            what: ui.audit_event(&e.event.event_type).to_string(),
            detail: summarize(&e.event.detail, &ui),
        })
        .collect();
    let remaining = clock.remaining_seconds.unwrap_or(0);
    let urgency = Urgency::of_clock(&clock);
    let page = IncidentPage {
        server_now: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        id: incident.id.0.clone(),
        reference: incident.reference.clone(),
        title: f.title.clone(),
        client: client.map_or(incident.client_slug.clone(), |c| c.name),
        state: ui.state(incident.state),
        clock_running: clock.state == ClockState::Running,
        clock_not_started: clock.state == ClockState::NotStarted,
        deadline_iso: clock
            .deadline_at
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default(),
        deadline_local: clock.deadline_at.map(|d| ui.time_offset(d)).unwrap_or_default(),
        deadline_utc: clock.deadline_at.map(local_time::format_utc).unwrap_or_default(),
        remaining: ui.duration(remaining),
        urgency: urgency.code(),
        urgency_key: crate::web::pages::dashboard::urgency_key(urgency),
        overdue: clock.overdue,
        processor_aware: incident.processor_aware_at.map(|t| ui.time_offset(t)).unwrap_or_else(|| "—".into()),
        controller_aware: incident
            .controller_aware_at
            .map(|t| ui.time_offset(t))
            .unwrap_or_else(|| "—".into()),
        conservative: if clock.processor_delay_warning {
            clock
                .conservative_deadline_at
                .map(|d| format!("{} ({})", ui.time_offset(d), local_time::format_utc(d)))
        } else {
            None
        },
        conservative_passed: clock.conservative_passed,
        conservative_iso: clock
            .conservative_deadline_at
            .filter(|_| clock.processor_delay_warning)
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        not_started: ui.t_with("inc-clock-not-started", &[("hours", &clock.window_hours.to_string())]),
        acknowledged: incident
            .acknowledged_at
            .map(|t| format!("{} — {}", ui.time(t), incident.acknowledged_by.clone().unwrap_or_default())),
        facts,
        decisions,
        forms,
        edit_open: edit_error.is_some() || edit.as_ref().is_some_and(|f| f.iter().any(|f| f.error.is_some())),
        edit,
        edit_error,
        alerts,
        timeline,
        ui,
        nav: Some(session.nav),
    };
    render_with(status, page)
}

/// A short text of an audit detail in the page's language: its scalar values under their labels,
/// states, codes, statuses, yes/no and durations in words, free text shortened.
pub(super) fn summarize(detail: &Value, ui: &Ui) -> String {
    let Value::Object(map) = detail else { return String::new() };
    let mut parts = Vec::new();
    if let (Some(from), Some(to)) =
        (map.get("from").and_then(Value::as_str), map.get("to").and_then(Value::as_str))
        && from != to
    {
        let state =
            |code: &str| State::parse(code).map_or_else(|| code.to_string(), |s| ui.state(s).to_string());
        parts.push(format!("{} → {}", state(from), state(to)));
    }
    for (key, value) in map {
        if matches!(
            key.as_str(),
            "from"
                | "to"
                | "alert_id"
                | "facts"
                | "input"
                | "severity"
                | "previous"
                | "message_id"
                | "reply"
                | "lag_seconds"
                | "repeat_no"
        ) {
            continue;
        }
        let text = match value {
            Value::String(s) => {
                if let Ok(t) = DateTime::parse_from_rfc3339(s) {
                    ui.time(t.with_timezone(&Utc))
                } else if let Some(word) = code_word(key, s, ui) {
                    word
                } else if s.chars().count() > 120 {
                    format!("{}…", s.chars().take(120).collect::<String>())
                } else {
                    s.clone()
                }
            }
            Value::Number(n) if key.ends_with("_seconds") => {
                n.as_i64().map_or_else(|| n.to_string(), |seconds| ui.duration(seconds))
            }
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => ui.t(if *b { "timeline-yes" } else { "timeline-no" }).to_string(),
            Value::Array(items) if key == "deliveries" => items
                .iter()
                .map(|d| {
                    let status = d["status"].as_str().unwrap_or("");
                    format!("{} {}", d["to"].as_str().unwrap_or(""), ui.delivery_status(status))
                })
                .collect::<Vec<_>>()
                .join(", "),
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "),
            Value::Object(changed) if key == "changed" => {
                changed.keys().map(|k| detail_label(k, ui)).collect::<Vec<_>>().join(", ")
            }
            _ => continue,
        };
        if !text.is_empty() {
            parts.push(format!("{}: {text}", detail_label(key, ui)));
        }
    }
    parts.join(" · ")
}

/// The label of a key of an audit detail: a timeline word (`timeline-field-…`), else the fact's or
/// event field's label (`field-…`), else the key itself.
fn detail_label<'k>(key: &'k str, ui: &Ui) -> &'k str {
    let hyphens = key.replace('_', "-");
    texts::lookup(ui.locale, &format!("timeline-field-{hyphens}"))
        .or_else(|| texts::lookup(ui.locale, &format!("field-{hyphens}")))
        .unwrap_or(key)
}

/// A coded value of an audit detail in words: a channel, a ground, a kind of mail, a status, how
/// an acknowledgement came in; `None` for anything else (free text, references, addresses).
fn code_word(key: &str, code: &str, ui: &Ui) -> Option<String> {
    let word = match key {
        "channel" => Channel::parse(code).map(|c| ui.code(c)),
        "ground" => SubjectsGround::parse(code).map(|g| ui.code(g)),
        "kind" => Some(ui.mail_kind(code)),
        "status" => Some(ui.delivery_status(code)),
        "via" => texts::lookup(ui.locale, &format!("timeline-via-{code}")),
        _ => None,
    };
    word.map(str::to_string)
}

/// `GET /incidents/{id}`.
pub async fn page(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<IncidentId>,
) -> Result<HttpResponse, PageError> {
    show(&state, session, path.into_inner(), Submitted::default(), StatusCode::OK).await
}
