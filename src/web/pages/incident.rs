//! One incident: the facts, both clocks and the conservative-deadline warning, the timeline (events
//! and mails with delivery state), the alert schedule, and forms for exactly the events that the
//! lifecycle allows now, with errors named at the field.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::forms::{self, Fields, Shape};
use super::report::Choice;
use super::{Nav, PageError, PageSession, Ui, render, render_with, see_other};
use crate::app::{self, CommandError};
use crate::domain::authz::{self, Action, Target};
use crate::domain::deadline::{Clock, ClockState, Urgency};
use crate::domain::error::FieldError;
use crate::domain::incident::{Facts, FactsPatch, Incident, SubjectsDecision};
use crate::domain::lifecycle::{self, EventKind, LifecycleError};
use crate::domain::local_time;
use crate::domain::severity::Ease;
use crate::domain::tenant::Principal;
use crate::domain::vocabulary::{
    Channel, CodeList, DataCategory, Encryption, IncidentKind, Nature, SpecialCategory, SubjectGroup,
    SubjectsGround,
};
use crate::storage::directory;
use crate::web::AppState;

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

fn yes_no(ui: &Ui) -> Vec<Choice> {
    vec![
        Choice { value: String::new(), label: ui.t("choice.choose").into(), selected: false },
        Choice { value: "true".into(), label: ui.t("choice.yes").into(), selected: false },
        Choice { value: "false".into(), label: ui.t("choice.no").into(), selected: false },
    ]
}

fn code_options<T: CodeList>(ui: &Ui, with_empty: bool) -> Vec<Choice> {
    let mut out = Vec::new();
    if with_empty {
        out.push(Choice { value: String::new(), label: ui.t("choice.choose").into(), selected: false });
    }
    out.extend(T::all().iter().map(|c| Choice {
        value: c.code().into(),
        label: ui.code(*c).into(),
        selected: false,
    }));
    out
}

fn numbered(ui: &Ui, values: &[(u8, &str, &str)]) -> Vec<Choice> {
    let mut out = vec![Choice { value: String::new(), label: ui.t("choice.choose").into(), selected: false }];
    out.extend(values.iter().map(|(v, nl, en)| Choice {
        value: v.to_string(),
        label: format!("{v} — {}", if ui.nl { nl } else { en }),
        selected: false,
    }));
    out
}

fn field(name: &'static str, input: &'static str, required: bool, options: Vec<Choice>) -> FormField {
    FormField {
        name,
        label: label_key(name),
        input,
        required,
        options,
        value: String::new(),
        error: None,
        fold: false,
    }
}

fn label_key(name: &str) -> &'static str {
    super::i18n::TEXTS
        .iter()
        .find(|(k, _, _)| k.strip_prefix("field.") == Some(name))
        .map_or("field.type", |(k, _, _)| k)
}

/// The inputs of an event and how each maps onto the event's JSON.
fn event_fields(kind: EventKind, ui: &Ui) -> Vec<(FormField, Shape)> {
    let text = |n: &'static str, required: bool| (field(n, "textarea", required, vec![]), Shape::Text);
    let time = |n: &'static str| (field(n, "datetime", false, vec![]), Shape::LocalTime);
    let level = |n: &'static str| {
        (
            field(
                n,
                "select",
                true,
                numbered(
                    ui,
                    &[
                        (0, "geen of hersteld", "none or recovered"),
                        (1, "beperkt", "limited"),
                        (2, "volledig of onbekend aantal", "full or unknown number"),
                    ],
                ),
            ),
            Shape::Number,
        )
    };
    let flag = |n: &'static str| (field(n, "select", true, yes_no(ui)), Shape::Choice);
    let mut fields = match kind {
        EventKind::Confirm => {
            vec![time("processor_aware_at"), time("controller_aware_at"), text("justification", false)]
        }
        EventKind::Dismiss | EventKind::Withdraw | EventKind::Reopen => vec![text("reason", true)],
        EventKind::Acknowledge => vec![],
        EventKind::Assess => vec![
            (
                field(
                    "dpc",
                    "select",
                    true,
                    numbered(
                        ui,
                        &[
                            (1, "eenvoudig (naam, contact)", "simple (name, contact)"),
                            (2, "gedrag (locatie, voorkeuren)", "behavioural (location, preferences)"),
                            (3, "financieel", "financial"),
                            (4, "gevoelig (gezondheid, strafrecht…)", "sensitive (health, criminal…)"),
                        ],
                    ),
                ),
                Shape::Number,
            ),
            (
                field("ease_of_identification", "select", true, {
                    let mut o = vec![Choice {
                        value: String::new(),
                        label: ui.t("choice.choose").into(),
                        selected: false,
                    }];
                    for (e, nl, en) in [
                        (Ease::Negligible, "verwaarloosbaar", "negligible"),
                        (Ease::Limited, "beperkt", "limited"),
                        (Ease::Significant, "aanzienlijk", "significant"),
                        (Ease::Maximum, "maximaal (direct herleidbaar)", "maximum (directly identifying)"),
                    ] {
                        o.push(Choice {
                            value: e.code().into(),
                            label: (if ui.nl { nl } else { en }).into(),
                            selected: false,
                        });
                    }
                    o
                }),
                Shape::Text,
            ),
            level("confidentiality"),
            level("integrity"),
            level("availability"),
            flag("malicious"),
            flag("unintelligible"),
            flag("vulnerable_subjects"),
            text("rationale", true),
        ],
        EventKind::DecideNotNotifiable => vec![text("justification", true)],
        EventKind::NotifyAp => vec![
            time("notified_at"),
            (field("ap_reference", "text", true, vec![]), Shape::Text),
            flag("preliminary"),
            text("delay_reason", false),
        ],
        EventKind::Supplement => {
            vec![text("note", true), (field("ap_reference", "text", false, vec![]), Shape::Text)]
        }
        EventKind::InformSubjects => vec![
            time("informed_at"),
            (field("channel", "select", true, code_options::<Channel>(ui, true)), Shape::Text),
            (field("count", "number", true, vec![]), Shape::Number),
        ],
        EventKind::SubjectsNotRequired => vec![
            (field("ground", "select", true, code_options::<SubjectsGround>(ui, true)), Shape::Text),
            text("explanation", true),
        ],
        EventKind::CorrectAwareness => vec![
            time("processor_aware_at"),
            time("controller_aware_at"),
            text("justification", true),
            text("delay_reason", false),
        ],
        EventKind::Close => vec![text("summary", true)],
    };
    // Free text is checked for personal data; the form lets the user send it on purpose.
    if fields.iter().any(|(f, _)| f.input == "textarea") {
        fields.push((field("allow_personal_data", "checkbox", false, vec![]), Shape::Flag));
    }
    fields
}

/// The form error for free text that looks like personal data: the first field, what was found,
/// and how to send it anyway.
fn personal_data_error(ui: &Ui, found: &[(String, crate::domain::pii::PiiKind)]) -> (String, String) {
    let field = found.first().map_or_else(String::new, |(f, _)| f.clone());
    let kinds: Vec<&str> = found
        .iter()
        .filter(|(f, _)| *f == field)
        .map(|(_, kind)| if ui.nl { kind.label_nl() } else { kind.label_en() })
        .collect();
    let message = if ui.nl {
        format!(
            "lijkt persoonsgegevens te bevatten ({}); haal ze weg, of vink aan dat u ze bewust meestuurt",
            kinds.join(", ")
        )
    } else {
        format!(
            "looks like it contains personal data ({}); remove it, or tick that you send it on purpose",
            kinds.join(", ")
        )
    };
    (field, message)
}

/// The facts form: every writable field of `NewIncident`.
fn fact_fields(ui: &Ui, facts: &Facts) -> Vec<FormField> {
    let obj = facts.to_object();
    let text_of = |name: &str| match obj.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let local = |t: Option<DateTime<Utc>>| t.map(local_time::to_local_input).unwrap_or_default();
    let selected = |name: &str| -> Vec<String> {
        match obj.get(name) {
            Some(Value::Array(items)) => {
                items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
            }
            Some(Value::String(s)) => vec![s.clone()],
            _ => vec![],
        }
    };
    let with_selected = |mut options: Vec<Choice>, name: &str| {
        let chosen = selected(name);
        for o in &mut options {
            o.selected = chosen.contains(&o.value);
        }
        options
    };
    let mut fields = vec![
        field("title", "text", true, vec![]),
        field("summary", "textarea", true, vec![]),
        field("discovered_at", "datetime", true, vec![]),
        field("discovery_method", "textarea", false, vec![]),
        field("occurred_from", "datetime", false, vec![]),
        field("occurred_until", "datetime", false, vec![]),
        field("ongoing", "checkbox", false, vec![]),
        field(
            "incident_kind",
            "select",
            false,
            with_selected(code_options::<IncidentKind>(ui, true), "incident_kind"),
        ),
        field("nature", "checks", false, with_selected(code_options::<Nature>(ui, false), "nature")),
        field(
            "data_categories",
            "checks",
            false,
            with_selected(code_options::<DataCategory>(ui, false), "data_categories"),
        ),
        field(
            "special_categories",
            "checks",
            false,
            with_selected(code_options::<SpecialCategory>(ui, false), "special_categories"),
        ),
        field("records_approx", "number", false, vec![]),
        field(
            "subject_groups",
            "checks",
            false,
            with_selected(code_options::<SubjectGroup>(ui, false), "subject_groups"),
        ),
        field("subjects_min", "number", false, vec![]),
        field("subjects_max", "number", false, vec![]),
        field(
            "encryption",
            "select",
            false,
            with_selected(code_options::<Encryption>(ui, true), "encryption"),
        ),
        field("consequences", "textarea", false, vec![]),
        field("measures_taken", "textarea", false, vec![]),
        field("measures_planned", "textarea", false, vec![]),
        field("cross_border_states", "text", false, vec![]),
        field("other_organisations", "textarea", false, vec![]),
        field("allow_personal_data", "checkbox", false, vec![]),
    ];
    for f in &mut fields {
        f.value = match f.name {
            "discovered_at" => local(Some(facts.discovered_at)),
            "occurred_from" => local(facts.occurred_from),
            "occurred_until" => local(facts.occurred_until),
            "ongoing" => {
                if facts.ongoing {
                    "on".into()
                } else {
                    String::new()
                }
            }
            "cross_border_states" => facts.cross_border_states.join(", "),
            name => text_of(name),
        };
    }
    fields
}

/// The PATCH object of a submitted facts form: every field present; empty clears it.
fn edit_object(fields: &Fields) -> Result<Map<String, Value>, FieldError> {
    let mut object = Map::new();
    for name in [
        "title",
        "summary",
        "discovery_method",
        "consequences",
        "measures_taken",
        "measures_planned",
        "other_organisations",
        "incident_kind",
        "encryption",
    ] {
        object.insert(name.into(), fields.text(name).map_or(Value::Null, Value::String));
    }
    for name in ["records_approx", "subjects_min", "subjects_max"] {
        let value = forms::to_object(fields, &[(name, Shape::Number)])?.remove(name).unwrap_or(Value::Null);
        object.insert(name.into(), value);
    }
    for name in ["discovered_at", "occurred_from", "occurred_until"] {
        match forms::to_object(fields, &[(name, Shape::LocalTime)])?.remove(name) {
            Some(v) => {
                object.insert(name.into(), v);
            }
            None if name != "discovered_at" => {
                object.insert(name.into(), Value::Null);
            }
            None => {}
        }
    }
    for name in ["nature", "data_categories", "special_categories", "subject_groups"] {
        object.insert(name.into(), Value::Array(fields.all(name).into_iter().map(Value::String).collect()));
    }
    object.insert("ongoing".into(), Value::Bool(fields.checked("ongoing")));
    let states: Vec<Value> = fields
        .text("cross_border_states")
        .unwrap_or_default()
        .split([',', ' ', ';'])
        .filter(|s| !s.is_empty())
        .map(|s| Value::String(s.to_string()))
        .collect();
    object.insert("cross_border_states".into(), Value::Array(states));
    if fields.checked("allow_personal_data") {
        object.insert("allow_personal_data".into(), Value::Bool(true));
    }
    Ok(object)
}

/// A submitted form that came back, with what went wrong.
struct FormError {
    fields: Fields,
    message: String,
    field: Option<String>,
}

/// What went wrong in a submitted form, to show in place.
#[derive(Default)]
struct Submitted {
    /// An event form (its kind) and its error.
    event: Option<(String, FormError)>,
    /// The facts form's error.
    edit: Option<FormError>,
}

fn mark(fields: &mut [FormField], submitted: &Fields, error_field: &str, message: &str) -> bool {
    let mut placed = false;
    for f in fields.iter_mut() {
        if let Some(v) = submitted.get(f.name) {
            f.value = v.to_string();
        }
        if matches!(f.input, "checks" | "select") {
            let chosen = submitted.all(f.name);
            for o in &mut f.options {
                o.selected = chosen.contains(&o.value);
            }
        }
        if f.input == "checkbox" {
            f.value = if submitted.checked(f.name) { "on".into() } else { String::new() };
        }
        if f.name == error_field || error_field.strip_suffix("_fold") == Some(f.name) {
            f.error = Some(message.to_string());
            f.fold = error_field.ends_with("_fold");
            placed = true;
        }
    }
    placed
}

async fn show(
    state: &AppState,
    session: PageSession,
    id: String,
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
        Fact { label: "inc.summary", value: f.summary.clone() },
        Fact { label: "inc.reported", value: ui.time_offset(incident.reported_at) },
        Fact { label: "inc.reported_by", value: incident.reported_by_email.clone() },
        Fact { label: "inc.discovered", value: ui.time_offset(f.discovered_at) },
        Fact {
            label: "field.incident_kind",
            value: f.incident_kind.map_or("—".into(), |k| ui.code(k).into()),
        },
        Fact { label: "field.nature", value: labels(f.nature.iter().map(|n| ui.code(*n)).collect()) },
        Fact {
            label: "field.data_categories",
            value: labels(f.data_categories.iter().map(|n| ui.code(*n)).collect()),
        },
        Fact {
            label: "field.special_categories",
            value: labels(f.special_categories.iter().map(|n| ui.code(*n)).collect()),
        },
        Fact {
            label: "field.subject_groups",
            value: labels(f.subject_groups.iter().map(|n| ui.code(*n)).collect()),
        },
        Fact {
            label: "field.subjects_min",
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
            label: "field.records_approx", value: f.records_approx.map_or("—".into(), |v| v.to_string())
        },
        Fact { label: "field.encryption", value: f.encryption.map_or("—".into(), |e| ui.code(e).into()) },
        Fact { label: "field.consequences", value: f.consequences.clone().unwrap_or_else(|| "—".into()) },
        Fact {
            label: "field.measures_taken", value: f.measures_taken.clone().unwrap_or_else(|| "—".into())
        },
    ];
    let yes = |b: bool| ui.t(if b { "inc.yes" } else { "inc.no" });
    let mut decisions = vec![Fact {
        label: "inc.severity",
        value: match incident.severity() {
            Some(s) => format!(
                "{} ({}) — {} {}; {} {}",
                s.band.code().replace('_', " "),
                s.score_text(),
                ui.t("inc.proposal_ap"),
                yes(s.proposed_ap),
                ui.t("inc.proposal_subjects"),
                yes(s.proposed_subjects)
            ),
            None => ui.t("inc.not_assessed").into(),
        },
    }];
    decisions.push(Fact {
        label: "inc.ap",
        value: match (&incident.ap, clock.on_time) {
            (Some(ap), on_time) => format!(
                "{} — {} — {}{}",
                ui.time_offset(ap.notified_at),
                ap.reference,
                ui.t(if on_time == Some(false) { "inc.late" } else { "inc.on_time" }),
                ap.delay_reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
            ),
            (None, _) => ui.t("inc.ap_none").into(),
        },
    });
    decisions.push(Fact {
        label: "inc.subjects",
        value: match &incident.subjects {
            SubjectsDecision::Undecided => "—".into(),
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
            label: "inc.ap_draft",
            value: format!("{} {} / {} ({}%)", ui.t("ap.completeness"), c.answered, c.total, c.percent),
        });
    }
    for (label, value) in [
        ("field.reason", incident.dismiss_reason.clone()),
        ("field.justification", incident.not_notifiable_justification.clone()),
        ("field.reason", incident.withdraw_reason.clone()),
        ("field.summary", incident.close_summary.clone()),
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
            status: a.status,
            deliveries: mails.iter().map(|m| format!("{} — {} ({}×)", m.to, m.status, m.attempts)).collect(),
        })
        .collect();
    let timeline = timeline
        .into_iter()
        .rev()
        .map(|e| TimelineRow {
            at: ui.time(e.event.at),
            actor: e.event.actor.clone(),
            what: EventKind::parse(&e.event.event_type)
                .map_or_else(|| e.event.event_type.clone(), |k| ui.event(k).to_string()),
            detail: summarize(&e.event.detail, &ui),
        })
        .collect();
    let remaining = clock.remaining_seconds.unwrap_or(0);
    let urgency = Urgency::of(remaining);
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
        urgency_key: super::dashboard::urgency_key(urgency),
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

/// A short text of an audit detail: its scalar values, free text shortened.
fn summarize(detail: &Value, ui: &Ui) -> String {
    let Value::Object(map) = detail else { return String::new() };
    let mut parts = Vec::new();
    if let (Some(from), Some(to)) =
        (map.get("from").and_then(Value::as_str), map.get("to").and_then(Value::as_str))
        && from != to
    {
        parts.push(format!("{from} → {to}"));
    }
    for (key, value) in map {
        if matches!(key.as_str(), "from" | "to" | "alert_id" | "facts" | "input" | "severity" | "previous") {
            continue;
        }
        let text = match value {
            Value::String(s) => {
                if let Ok(t) = DateTime::parse_from_rfc3339(s) {
                    ui.time(t.with_timezone(&Utc))
                } else if s.chars().count() > 120 {
                    format!("{}…", s.chars().take(120).collect::<String>())
                } else {
                    s.clone()
                }
            }
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Array(items) if key == "deliveries" => items
                .iter()
                .map(|d| format!("{} {}", d["to"].as_str().unwrap_or(""), d["status"].as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "),
            Value::Object(changed) if key == "changed" => {
                changed.keys().cloned().collect::<Vec<_>>().join(", ")
            }
            _ => continue,
        };
        if !text.is_empty() {
            parts.push(format!("{key}: {text}"));
        }
    }
    parts.join(" · ")
}

/// `GET /incidents/{id}`.
pub async fn page(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    show(&state, session, path.into_inner(), Submitted::default(), StatusCode::OK).await
}

/// `POST /incidents/{id}/events`: one event from its form.
pub async fn event(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let fields = Fields::new(form.into_inner());
    session.check_csrf(fields.get("csrf"))?;
    let kind_name = fields.text("type").unwrap_or_default();
    let Some(kind) = EventKind::parse(&kind_name) else { return Err(PageError::BadRequest) };
    let spec: Vec<(&'static str, Shape)> =
        event_fields(kind, &session.ui).into_iter().map(|(f, s)| (f.name, s)).collect();
    let body = match forms::to_object(&fields, &spec) {
        Ok(mut body) => {
            body.insert("type".into(), Value::String(kind_name.clone()));
            body
        }
        Err(e) => {
            let failed = FormError { fields, message: e.message, field: Some(e.field) };
            let submitted = Submitted { event: Some((kind_name, failed)), ..Default::default() };
            return show(&state, session, id, submitted, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let principal = session.principal().clone();
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let target = id.clone();
    let outcome = state
        .db
        .run(move |conn| app::apply_event::apply_event(conn, &principal, &target, &body, now, &policy))
        .await;
    match outcome {
        Ok(_) => Ok(see_other(&format!("/incidents/{id}"))),
        Err(CommandError::Lifecycle(LifecycleError::Invalid(e)) | CommandError::Invalid(e)) => {
            let failed = FormError { fields, message: e.message, field: Some(e.field) };
            let submitted = Submitted { event: Some((kind_name, failed)), ..Default::default() };
            show(&state, session, id, submitted, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(CommandError::Lifecycle(e @ LifecycleError::NotAllowed { .. })) => {
            let failed = FormError { fields, message: e.to_string(), field: None };
            let submitted = Submitted { event: Some((kind_name, failed)), ..Default::default() };
            show(&state, session, id, submitted, StatusCode::CONFLICT).await
        }
        Err(CommandError::PersonalData(found)) => {
            let (field, message) = personal_data_error(&session.ui, &found);
            let failed = FormError { fields, message, field: Some(field) };
            let submitted = Submitted { event: Some((kind_name, failed)), ..Default::default() };
            show(&state, session, id, submitted, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /incidents/{id}/edit`: the facts form.
pub async fn edit(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let fields = Fields::new(form.into_inner());
    session.check_csrf(fields.get("csrf"))?;
    let patch = match edit_object(&fields).and_then(|o| FactsPatch::parse(&o)) {
        Ok(p) => p,
        Err(e) => {
            let submitted = Submitted {
                edit: Some(FormError { fields, message: e.message, field: Some(e.field) }),
                ..Default::default()
            };
            return show(&state, session, id, submitted, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let principal = session.principal().clone();
    let now = state.clock.now();
    let target = id.clone();
    let outcome = state.db.run(move |conn| app::patch::patch(conn, &principal, &target, &patch, now)).await;
    match outcome {
        Ok(_) => Ok(see_other(&format!("/incidents/{id}"))),
        Err(CommandError::Lifecycle(LifecycleError::Invalid(e)) | CommandError::Invalid(e)) => {
            let submitted = Submitted {
                edit: Some(FormError { fields, message: e.message, field: Some(e.field) }),
                ..Default::default()
            };
            show(&state, session, id, submitted, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(CommandError::Lifecycle(e @ LifecycleError::NotAllowed { .. })) => {
            let submitted = Submitted {
                edit: Some(FormError { fields, message: e.to_string(), field: None }),
                ..Default::default()
            };
            show(&state, session, id, submitted, StatusCode::CONFLICT).await
        }
        Err(CommandError::PersonalData(found)) => {
            let (field, message) = personal_data_error(&session.ui, &found);
            let submitted = Submitted {
                edit: Some(FormError { fields, message, field: Some(field) }),
                ..Default::default()
            };
            show(&state, session, id, submitted, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "pages/ap_report.html")]
struct ApReportPage {
    ui: Ui,
    nav: Option<Nav>,
    id: String,
    draft: crate::domain::ap_report::ApDraft,
    letter: Option<crate::domain::ap_report::SubjectLetter>,
}

impl ApReportPage {
    fn provenance_key(&self, provenance: &crate::domain::ap_report::Provenance) -> &'static str {
        match provenance {
            crate::domain::ap_report::Provenance::Recorded => "ap.recorded",
            crate::domain::ap_report::Provenance::Derived => "ap.derived",
            crate::domain::ap_report::Provenance::Missing => "ap.missing",
        }
    }
}

async fn load_for_draft(
    state: &AppState,
    session: &PageSession,
    id: String,
) -> Result<(Incident, crate::domain::directory::Client), PageError> {
    let principal = session.principal().clone();
    Ok(state.db.run(move |conn| app::read::with_client(conn, &principal, &id)).await?)
}

/// `GET /incidents/{id}/ap-report`: the draft with a copy button per answer and a print layout.
pub async fn ap_report(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (incident, client) = load_for_draft(&state, &session, path.into_inner()).await?;
    let now = state.clock.now();
    let locale = session.ui.locale;
    let draft = crate::web::drafts::draft(&state.settings, &incident, &client, locale, now);
    let letter = crate::web::drafts::letter(&state.settings, &incident, &client, locale, now);
    render(ApReportPage { ui: session.ui, nav: Some(session.nav), id: incident.id.0, draft, letter })
}

/// `GET /incidents/{id}/ap-report.txt`: the draft as text, to paste into the AP's form.
pub async fn ap_report_text(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (incident, client) = load_for_draft(&state, &session, path.into_inner()).await?;
    let draft =
        crate::web::drafts::draft(&state.settings, &incident, &client, session.ui.locale, state.clock.now());
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", crate::web::drafts::file_name(&draft.reference, "txt")),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(crate::domain::ap_report::render_text(&draft)))
}

/// `GET /incidents/{id}/ap-report.pdf`.
pub async fn ap_report_pdf(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (incident, client) = load_for_draft(&state, &session, path.into_inner()).await?;
    let draft =
        crate::web::drafts::draft(&state.settings, &incident, &client, session.ui.locale, state.clock.now());
    let file = crate::web::drafts::file_name(&draft.reference, "pdf");
    let bytes = web::block(move || crate::web::drafts::pdf(&draft)).await.map_err(|_| PageError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}
