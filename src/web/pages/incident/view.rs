//! The incident page: what it shows, and the page handler.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::app::{self, CommandError};
use crate::domain::authz::{self, Action, Target};
use crate::domain::deadline::{Clock, ClockState, Urgency};
use crate::domain::escalation::AlertCode;
use crate::domain::event::EventKind;
use crate::domain::ids::IncidentId;
use crate::domain::incident::{State, SubjectsDecision};
use crate::domain::lifecycle;
use crate::domain::local_time;
use crate::domain::next_action;
use crate::domain::tenant::Principal;
use crate::domain::texts;
use crate::domain::vocabulary::{Channel, CodeList, SubjectsGround};
use crate::storage::directory;
use crate::web::AppState;
use crate::web::pages::report::Choice;
use crate::web::pages::{Nav, PageError, PageSession, SessionCookie, Ui, render_with};

use super::forms::*;
use super::missing;

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

/// A timeline entry: one sentence in the page's language, the particulars behind a toggle.
pub struct TimelineRow {
    /// The Amsterdam wall-clock time, "09:12".
    pub clock: String,
    /// The instant, RFC 3339 (for `<time datetime>`).
    pub iso: String,
    /// The sentence: "Mail A1 (48 hours left) delivered to the DPO of Acme".
    pub sentence: String,
    /// The full time, the actor and the event's particulars in words (labelled values).
    pub detail: String,
    /// The Message-ID of a mail.
    pub message_id: Option<String>,
}

/// The timeline entries of one Amsterdam day, newest first.
pub struct TimelineDay {
    /// "do 22 okt 2026".
    pub date: String,
    /// The entries.
    pub rows: Vec<TimelineRow>,
}

/// A button of the next step: the event and its words.
pub struct StepButton {
    /// Event wire name (the form's anchor is `#event-<kind>`).
    pub kind: &'static str,
    /// Its words ("Confirm breach").
    pub label: &'static str,
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
    /// The state's wire name: the badge's CSS class.
    state_code: &'static str,
    /// "high (3.25)" and the band's code, when assessed.
    severity: Option<(String, &'static str)>,
    /// The one next step and the one beside it.
    primary: Option<StepButton>,
    secondary: Option<StepButton>,
    /// The draft AP notification belongs beside the next step.
    with_draft: bool,
    /// The checklist "Ready to notify the AP".
    checklist: Vec<super::CheckItem>,
    /// Its heading: "Ready to notify the AP", or after the notification what supplements need.
    checklist_title: &'static str,
    /// Every item of the checklist is done.
    checklist_done: bool,
    /// The forms of the next step (primary first), shown at once.
    next_forms: Vec<EventForm>,
    /// "More actions" is open: one of its forms came back with an error.
    more_open: bool,
    clock_running: bool,
    clock_not_started: bool,
    deadline_iso: String,
    deadline_local: String,
    deadline_utc: String,
    remaining: String,
    urgency: &'static str,
    urgency_key: &'static str,
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
    /// The error summary above the page (GOV.UK pattern): every refused field of the form sent, by
    /// its label, linked to its input.
    summary: Vec<crate::web::pages::forms::ErrorLink>,
    edit_open: bool,
    alerts: Vec<AlertRow>,
    timeline: Vec<TimelineDay>,
}

pub(super) async fn show(
    state: &AppState,
    session: PageSession,
    id: IncidentId,
    submitted: Submitted,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let principal: Principal = session.principal().clone();
    let loaded = state.db.run(move |conn| app::read::incident_page(conn, &principal, &id)).await?;
    render_page(state, session, loaded, submitted, status)
}

/// The page of an incident read with [`app::read::incident_page`].
fn render_page(
    state: &AppState,
    session: PageSession,
    loaded: app::read::IncidentPage,
    submitted: Submitted,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let app::read::IncidentPage { incident, client, alerts, timeline } = loaded;
    let principal: Principal = session.principal().clone();
    // Where the draft stands, not the draft itself: writing every answer took a tenth of the page.
    let standing = client.as_ref().map(|c| {
        let digest = crate::web::drafts::client_digest(c);
        state.standings.read(
            &state.settings,
            &incident,
            c,
            digest,
            session.ui.locale,
            state.clock.now(),
            |found| found.standing.clone(),
        )
    });
    let completeness = standing.as_ref().map(|s| s.completeness);
    let checklist = match (&standing, &client) {
        // Nothing is notified about a leak that was dismissed or a closed register entry.
        _ if matches!(incident.state, State::Dismissed | State::Closed) => Vec::new(),
        (Some(standing), Some(c)) => {
            let unanswered =
                missing::unanswered(&standing.unanswered, session.ui.locale, &incident.id.0, &c.slug);
            missing::checklist(&incident, &unanswered, &c.slug)
        }
        _ => Vec::new(),
    };
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
        prefill(kind, &mut fields, &incident);
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
    // The next step first, open; what is beside it after; every other form under "More actions".
    let next =
        next_action::primary_action(&incident).filter(|n| forms.iter().any(|f| f.kind == n.primary.as_str()));
    let mut next_forms = Vec::new();
    for kind in next.iter().flat_map(|n| std::iter::once(n.primary).chain(n.secondary)) {
        if let Some(at) = forms.iter().position(|f| f.kind == kind.as_str()) {
            let mut form = forms.remove(at);
            form.open |= next.is_some_and(|n| n.primary == kind);
            next_forms.push(form);
        }
    }
    // The checklist is for those who decide (not the reporter, who only adds details).
    let checklist = if forms.is_empty() && next_forms.is_empty() { Vec::new() } else { checklist };
    let button = |kind: EventKind| StepButton { kind: kind.as_str(), label: ui.t(step_key(kind)) };
    let primary = next.map(|n| button(n.primary));
    let secondary = next
        .and_then(|n| n.secondary)
        .filter(|k| next_forms.iter().any(|f| f.kind == k.as_str()))
        .map(button);
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

    let summary =
        error_summary(&ui, next_forms.iter().chain(forms.iter()), edit.as_deref(), edit_error.as_deref());
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

    let alerts_by_message: Vec<(String, AlertCode, DateTime<Utc>)> = alerts
        .iter()
        .flat_map(|(a, mails)| mails.iter().map(move |m| (m.message_id.clone(), a.code, a.due_at)))
        .collect();
    let alerts = alerts
        .into_iter()
        .map(|(a, mails)| AlertRow {
            code: {
                let named = alert_words(&ui, a.code, a.due_at, clock.deadline_at);
                if a.repeat_no > 0 { format!("{named} #{}", a.repeat_no) } else { named }
            },
            due: ui.time(a.due_at),
            status: ui.alert_status(&a.status).to_string(),
            deliveries: mails
                .iter()
                .map(|m| {
                    let to = ui.delivery_to(&m.channel, m.to.clone());
                    format!("{to} — {} ({}×)", ui.delivery_status(&m.status), m.attempts)
                })
                .collect(),
        })
        .collect();
    let client_name = client.as_ref().map_or(incident.client_slug.clone(), |c| c.name.clone());
    let words = TimelineWords {
        ui: &ui,
        client: client.as_ref(),
        client_name: &client_name,
        reporter: &incident.reported_by_email,
        deadline_at: clock.deadline_at,
        alerts: &alerts_by_message,
    };
    let mut days: Vec<TimelineDay> = Vec::new();
    for e in timeline.into_iter().rev() {
        let date = local_time::format_local_date(e.event.at, ui.locale);
        let row = words.row(&e.event);
        match days.last_mut() {
            Some(day) if day.date == date => day.rows.push(row),
            _ => days.push(TimelineDay { date, rows: vec![row] }),
        }
    }
    let timeline = days;
    let remaining = clock.remaining_seconds.unwrap_or(0);
    let urgency = Urgency::of_clock(&clock);
    let page = IncidentPage {
        server_now: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        id: incident.id.0.clone(),
        reference: incident.reference.clone(),
        title: f.title.clone(),
        client: client_name.clone(),
        state: ui.state(incident.state),
        state_code: incident.state.as_str(),
        severity: incident
            .severity()
            .map(|s| (format!("{} ({})", ui.band(s.band), s.score_text_in(ui.locale)), s.band.code())),
        primary,
        secondary,
        with_draft: next.is_some_and(|n| n.with_draft),
        checklist_title: if incident.ap.is_some() { "inc-check-title-notified" } else { "inc-check-title" },
        checklist_done: checklist.iter().all(|c| c.done),
        checklist,
        next_forms,
        more_open: forms.iter().any(|f| f.open),
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
        summary,
        alerts,
        timeline,
        ui,
        nav: Some(session.nav),
    };
    render_with(status, page)
}

/// The words of the next step's button for `kind` ("Confirm breach", "Record AP notification").
fn step_key(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Confirm => "inc-next-confirm",
        EventKind::Dismiss => "inc-next-dismiss",
        EventKind::Acknowledge => "inc-next-acknowledge",
        EventKind::Assess => "inc-next-assess",
        EventKind::DecideNotNotifiable => "inc-next-decide-not-notifiable",
        EventKind::NotifyAp => "inc-next-notify-ap",
        EventKind::Supplement => "inc-next-supplement",
        EventKind::Withdraw => "inc-next-withdraw",
        EventKind::InformSubjects => "inc-next-inform-subjects",
        EventKind::SubjectsNotRequired => "inc-next-subjects-not-required",
        EventKind::CorrectAwareness => "inc-next-correct-awareness",
        EventKind::Close => "inc-next-close",
        EventKind::Reopen => "inc-next-reopen",
    }
}

/// Fills an event form from what is known: GX's awareness on confirming is the moment the report
/// says the leak was noticed (`discovered_at`, Amsterdam time); a reassessment starts from the last
/// assessment; the number of people informed from an exact count of those affected.
fn prefill(kind: EventKind, fields: &mut [FormField], incident: &crate::domain::incident::Incident) {
    let mut set = |name: &str, value: String| {
        if let Some(f) = fields.iter_mut().find(|f| f.name == name) {
            f.value = value;
        }
    };
    match kind {
        EventKind::Confirm => {
            set("processor_aware_at", local_time::to_local_input(incident.facts.discovered_at));
        }
        EventKind::Assess => {
            if let Some(a) = &incident.assessment {
                let i = &a.input;
                let flag = |b: bool| if b { "true" } else { "false" }.to_string();
                set("dpc", i.dpc.to_string());
                set("ease_of_identification", i.ease_of_identification.code().to_string());
                set("confidentiality", i.confidentiality.to_string());
                set("integrity", i.integrity.to_string());
                set("availability", i.availability.to_string());
                set("malicious", flag(i.malicious));
                set("unintelligible", flag(i.unintelligible));
                set("vulnerable_subjects", flag(i.vulnerable_subjects));
                set("rationale", a.rationale.clone());
            }
        }
        EventKind::InformSubjects => {
            if let (Some(min), Some(max)) = incident.facts.subjects_range()
                && min == max
            {
                set("count", max.to_string());
            }
        }
        _ => {}
    }
}

/// An alert code with what it means: "A1 (48 hours left)" for a milestone before the deadline,
/// "A0 (breach confirmed)" for the others.
fn alert_words(
    ui: &Ui,
    code: AlertCode,
    due_at: DateTime<Utc>,
    deadline_at: Option<DateTime<Utc>>,
) -> String {
    let about = match code {
        AlertCode::A1 | AlertCode::A2 | AlertCode::A3 | AlertCode::A4 => {
            let hours = deadline_at.map(|d| ((d - due_at).num_minutes() as f64 / 60.0).round() as i64);
            if let Some(hours) = hours.filter(|h| *h > 0) {
                return ui.t_with(
                    "timeline-alert-hours-left",
                    &[("code", code.as_str()), ("hours", &hours.to_string())],
                );
            }
            "timeline-about-milestone"
        }
        AlertCode::P0 => "timeline-about-p0",
        AlertCode::P1 => "timeline-about-p1",
        AlertCode::A0 => "timeline-about-a0",
        AlertCode::U0 => "timeline-about-u0",
        AlertCode::C0 => "timeline-about-c0",
        AlertCode::A5 => "timeline-about-a5",
        AlertCode::S1 => "timeline-about-s1",
    };
    ui.t_with("timeline-alert-about", &[("code", code.as_str()), ("about", ui.t(about))])
}

/// What the timeline needs to put an audit event into words.
struct TimelineWords<'a> {
    ui: &'a Ui,
    client: Option<&'a crate::domain::directory::Client>,
    client_name: &'a str,
    reporter: &'a str,
    deadline_at: Option<DateTime<Utc>>,
    /// Each mail's Message-ID with its alert's code and due instant.
    alerts: &'a [(String, AlertCode, DateTime<Utc>)],
}

impl TimelineWords<'_> {
    /// A recipient in words: "the DPO of Acme", "a contact of Acme", "the reporter", else the
    /// address.
    fn recipient(&self, to: &str) -> String {
        let client = [("client", self.client_name)];
        match self.client {
            Some(c) if c.dpo_email.eq_ignore_ascii_case(to) => self.ui.t_with("timeline-to-dpo", &client),
            Some(c) if c.escalation_emails.iter().any(|e| e.eq_ignore_ascii_case(to)) => {
                self.ui.t_with("timeline-to-contact", &client)
            }
            _ if self.reporter.eq_ignore_ascii_case(to) => {
                self.ui.t_with("timeline-to-reporter", &[("address", to)])
            }
            _ => to.to_string(),
        }
    }

    /// The alert of an audit detail in words: by its code, or through the mail's Message-ID.
    fn alert(&self, detail: &Value) -> String {
        let due = detail["due_at"].as_str().and_then(|d| DateTime::parse_from_rfc3339(d).ok());
        let code = detail["code"].as_str().and_then(AlertCode::parse);
        if let (Some(code), Some(due)) = (code, due) {
            return alert_words(self.ui, code, due.with_timezone(&Utc), self.deadline_at);
        }
        let message_id = detail["message_id"].as_str().unwrap_or_default();
        match self.alerts.iter().find(|(id, _, _)| id == message_id) {
            Some((_, code, due)) => alert_words(self.ui, *code, *due, self.deadline_at),
            None => self.ui.mail_kind(detail["kind"].as_str().unwrap_or_default()).to_string(),
        }
    }

    /// One audit event as a line of the timeline.
    fn row(&self, event: &crate::domain::audit::AuditEvent) -> TimelineRow {
        let ui = self.ui;
        let detail = &event.detail;
        let actor = ui.actor(&event.actor);
        let what = ui.audit_event(&event.event_type);
        let text = |key: &str, args: &[(&str, &str)]| ui.t_with(key, args);
        let sentence = match event.event_type.as_str() {
            "report" => text("timeline-line-report", &[("actor", actor)]),
            "confirm" => {
                let deadline = detail["deadline_at"]
                    .as_str()
                    .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                    .map(|d| ui.time(d.with_timezone(&Utc)))
                    .unwrap_or_default();
                text("timeline-line-confirm", &[("actor", actor), ("deadline", &deadline)])
            }
            "assess" => {
                let severity =
                    serde_json::from_value::<crate::domain::severity::Severity>(detail["severity"].clone())
                        .map(|s| format!("{} ({})", ui.band(s.band), s.score_text_in(ui.locale)))
                        .unwrap_or_default();
                text("timeline-line-assess", &[("severity", &severity), ("actor", actor)])
            }
            "notify_ap" => text(
                "timeline-line-notify-ap",
                &[("reference", detail["ap_reference"].as_str().unwrap_or_default()), ("actor", actor)],
            ),
            "alert.sent" => {
                let count = detail["recipients"].as_array().map_or(0, Vec::len);
                text(
                    "timeline-line-alert-sent",
                    &[("alert", &self.alert(detail)), ("count", &count.to_string())],
                )
            }
            "alert.superseded" => text("timeline-line-alert-superseded", &[("alert", &self.alert(detail))]),
            "alert.suppressed" => text("timeline-line-alert-suppressed", &[("alert", &self.alert(detail))]),
            "mail.sent" | "mail.failed" => {
                let key = if event.event_type == "mail.sent" {
                    "timeline-line-mail-sent"
                } else {
                    "timeline-line-mail-failed"
                };
                let to = self.recipient(detail["to"].as_str().unwrap_or_default());
                text(key, &[("alert", &self.alert(detail)), ("to", &to)])
            }
            "webhook.sent" | "webhook.failed" => {
                let key = if event.event_type == "webhook.sent" {
                    "timeline-line-webhook-sent"
                } else {
                    "timeline-line-webhook-failed"
                };
                let code = detail["code"].as_str().unwrap_or_default();
                let kind = detail["channel_kind"].as_str().unwrap_or_default();
                text(key, &[("alert", code), ("kind", kind)])
            }
            _ if event.actor == "system" => what.to_string(),
            _ => text("timeline-line-by", &[("what", what), ("actor", actor)]),
        };
        let particulars = summarize(detail, ui);
        TimelineRow {
            clock: local_time::format_local_clock(event.at),
            iso: event.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            sentence,
            detail: [ui.time_offset(event.at), actor.to_string(), particulars]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            message_id: detail["message_id"].as_str().map(str::to_string),
        }
    }
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

/// `GET /incidents/{id}`. The session and everything the page shows are read in one trip to the
/// blocking pool.
pub async fn page(
    state: web::Data<AppState>,
    cookie: SessionCookie,
    path: web::Path<IncidentId>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let (session, loaded) = cookie
        .run(&state, move |conn, found| {
            let mut page = app::read::incident_page_without_client(conn, &found.session.principal, &id)?;
            // A DPO's incident is of the client the session has read already.
            page.client = match &found.client {
                Some(client) if client.id == page.incident.client_id => Some(client.clone()),
                _ => directory::client_by_id(conn, &page.incident.client_id)?,
            };
            Ok::<_, CommandError>(page)
        })
        .await?;
    render_page(&state, session, loaded, Submitted::default(), StatusCode::OK)
}

/// The error summary of a form that came back refused: each marked field by its label, linked to its
/// input (`KIND-NAME` in an event form, `edit-NAME` in the facts form), and an error not tied to a
/// field linked to its form.
fn error_summary<'a>(
    ui: &Ui,
    forms: impl Iterator<Item = &'a EventForm>,
    edit: Option<&[FormField]>,
    edit_error: Option<&str>,
) -> Vec<crate::web::pages::forms::ErrorLink> {
    use crate::web::pages::forms::ErrorLink;
    let marked = |prefix: &str, fields: &[FormField]| -> Vec<ErrorLink> {
        fields
            .iter()
            .filter_map(|f| {
                let e = f.error.as_deref().filter(|e| !e.is_empty())?;
                Some(ErrorLink { target: format!("{prefix}{}", f.name), text: ui.field_error(f.label, e) })
            })
            .collect()
    };
    let mut summary = Vec::new();
    for form in forms {
        summary.extend(marked(&format!("{}-", form.kind), &form.fields));
        if let Some(e) = &form.error {
            summary.push(ErrorLink { target: format!("event-{}", form.kind), text: e.clone() });
        }
    }
    if let Some(fields) = edit {
        summary.extend(marked("edit-", fields));
    }
    if let Some(e) = edit_error {
        summary.push(ErrorLink { target: "edit".into(), text: e.to_string() });
    }
    summary
}
