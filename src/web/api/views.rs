//! The JSON shapes of the API (`docs/API.md`), built from domain values. Field names here are the
//! contract: renaming one breaks integrations.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::audit::ChainedEvent;
use crate::domain::deadline::{Clock, ClockState};
use crate::domain::escalation::EscalationPolicy;
use crate::domain::incident::{Incident, SubjectsDecision};
use crate::domain::lifecycle;
use crate::domain::vocabulary::CodeList;

fn codes<T: CodeList>(values: &[T]) -> Vec<&'static str> {
    values.iter().map(|v| v.code()).collect()
}

/// The ENISA severity of an incident.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeverityView {
    /// SE × 4 (SE = DPC × EI + CB).
    pub score_quarters: u8,
    /// `low`, `medium`, `high` or `very_high` (after overrides).
    pub band: &'static str,
    /// Whether notifying the AP is proposed (the DPO decides).
    pub proposed_ap: bool,
    /// Whether informing data subjects is proposed.
    pub proposed_subjects: bool,
    /// The override rules that applied: `unintelligible_data`, `vulnerable_subjects_floor`.
    pub overrides: Vec<&'static str>,
}

/// The art. 34 decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectsView {
    /// `undecided`, `informed` or `not_required`.
    pub decision: &'static str,
    /// When informed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub informed_at: Option<DateTime<Utc>>,
    /// How (`letter`, `email`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<&'static str>,
    /// How many people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Why not (`no_high_risk`, `art34_3a`, `art34_3b`, `art34_3c_public`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ground: Option<&'static str>,
    /// Explanation of the ground.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

/// A supplement to the AP notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupplementView {
    /// When.
    pub at: DateTime<Utc>,
    /// What was added.
    pub note: String,
    /// New AP reference, if any.
    pub ap_reference: Option<String>,
    /// This supplement completed a preliminary notification.
    pub complete: bool,
}

/// An incident (`docs/API.md` §5). All times are RFC 3339 in UTC.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentView {
    /// UUID.
    pub id: String,
    /// Per client and year, e.g. `ACME-2026-0007`.
    pub reference: String,
    /// The client's slug.
    pub client: String,
    /// Lifecycle state.
    pub state: &'static str,
    /// Short title.
    pub title: String,
    /// What happened.
    pub summary: String,
    /// When noticed.
    pub discovered_at: DateTime<Utc>,
    /// How noticed.
    pub discovery_method: Option<String>,
    /// (Possible) start.
    pub occurred_from: Option<DateTime<Utc>>,
    /// (Possible) end.
    pub occurred_until: Option<DateTime<Utc>>,
    /// Still going on.
    pub ongoing: bool,
    /// Cause code.
    pub incident_kind: Option<&'static str>,
    /// What happened to the data (codes).
    pub nature: Vec<&'static str>,
    /// Data categories (codes).
    pub data_categories: Vec<&'static str>,
    /// Special categories (codes).
    pub special_categories: Vec<&'static str>,
    /// Approximate number of records.
    pub records_approx: Option<u64>,
    /// Groups of data subjects (codes).
    pub subject_groups: Vec<&'static str>,
    /// Fewest people affected.
    pub subjects_min: Option<u64>,
    /// Most people affected.
    pub subjects_max: Option<u64>,
    /// Unintelligibility code.
    pub encryption: Option<&'static str>,
    /// Likely consequences.
    pub consequences: Option<String>,
    /// Measures taken.
    pub measures_taken: Option<String>,
    /// Measures planned.
    pub measures_planned: Option<String>,
    /// Other member states (ISO 3166 alpha-2).
    pub cross_border_states: Vec<String>,
    /// Other organisations involved.
    pub other_organisations: Option<String>,
    /// Supervisors under other reporting duties told of the breach (AP 1.3).
    pub other_supervisors: Option<String>,
    /// When reported.
    pub reported_at: DateTime<Utc>,
    /// The reporter's e-mail address.
    pub reported_by: String,
    /// GX's awareness.
    pub processor_aware_at: Option<DateTime<Utc>>,
    /// The client's awareness: the clock starts.
    pub controller_aware_at: Option<DateTime<Utc>>,
    /// `controller_aware_at + 72 h`.
    pub deadline_at: Option<DateTime<Utc>>,
    /// `processor_aware_at + 72 h`.
    pub conservative_deadline_at: Option<DateTime<Utc>>,
    /// Seconds left while the clock runs (negative when overdue); null otherwise.
    pub remaining_seconds: Option<i64>,
    /// The clock runs and the deadline has passed.
    pub overdue: bool,
    /// `not_started`, `running` or `stopped`.
    pub clock: &'static str,
    /// When the DPO acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// ENISA severity, if assessed.
    pub severity: Option<SeverityView>,
    /// When the AP was notified.
    pub ap_notified_at: Option<DateTime<Utc>>,
    /// The AP's reference.
    pub ap_reference: Option<String>,
    /// Notified as preliminary.
    pub preliminary: Option<bool>,
    /// Whether the notification met the deadline.
    pub on_time: Option<bool>,
    /// Reasons for delay (AP 4.5).
    pub delay_reason: Option<String>,
    /// The art. 34 decision.
    pub subjects: SubjectsView,
    /// When withdrawn.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// When closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Why dismissed.
    pub dismiss_reason: Option<String>,
    /// Why not notifiable.
    pub not_notifiable_justification: Option<String>,
    /// Why withdrawn.
    pub withdraw_reason: Option<String>,
    /// Closing summary.
    pub close_summary: Option<String>,
    /// Supplements to the AP notification.
    pub supplements: Vec<SupplementView>,
    /// The events the lifecycle allows now.
    pub allowed_events: Vec<&'static str>,
    /// +1 per change.
    pub version: i64,
}

impl IncidentView {
    /// The view of `incident` at `now`.
    pub fn new(incident: &Incident, now: DateTime<Utc>, policy: &EscalationPolicy) -> Self {
        let clock = Clock::of(incident, now, policy);
        let f = &incident.facts;
        let severity = incident.severity().map(|s| SeverityView {
            score_quarters: s.score_quarters,
            band: s.band.code(),
            proposed_ap: s.proposed_ap,
            proposed_subjects: s.proposed_subjects,
            overrides: s
                .overrides
                .iter()
                .map(|o| match o {
                    crate::domain::severity::Override::UnintelligibleData => "unintelligible_data",
                    crate::domain::severity::Override::VulnerableSubjectsFloor => "vulnerable_subjects_floor",
                })
                .collect(),
        });
        let subjects = match &incident.subjects {
            SubjectsDecision::Undecided => SubjectsView {
                decision: "undecided",
                informed_at: None,
                channel: None,
                count: None,
                ground: None,
                explanation: None,
            },
            SubjectsDecision::Informed { informed_at, channel, count } => SubjectsView {
                decision: "informed",
                informed_at: Some(*informed_at),
                channel: Some(channel.code()),
                count: Some(*count),
                ground: None,
                explanation: None,
            },
            SubjectsDecision::NotRequired { ground, explanation } => SubjectsView {
                decision: "not_required",
                informed_at: None,
                channel: None,
                count: None,
                ground: Some(ground.code()),
                explanation: Some(explanation.clone()),
            },
        };
        IncidentView {
            id: incident.id.0.clone(),
            reference: incident.reference.clone(),
            client: incident.client_slug.clone(),
            state: incident.state.as_str(),
            title: f.title.clone(),
            summary: f.summary.clone(),
            discovered_at: f.discovered_at,
            discovery_method: f.discovery_method.clone(),
            occurred_from: f.occurred_from,
            occurred_until: f.occurred_until,
            ongoing: f.ongoing,
            incident_kind: f.incident_kind.map(|k| k.code()),
            nature: codes(&f.nature),
            data_categories: codes(&f.data_categories),
            special_categories: codes(&f.special_categories),
            records_approx: f.records_approx,
            subject_groups: codes(&f.subject_groups),
            subjects_min: f.subjects_min,
            subjects_max: f.subjects_max,
            encryption: f.encryption.map(|e| e.code()),
            consequences: f.consequences.clone(),
            measures_taken: f.measures_taken.clone(),
            measures_planned: f.measures_planned.clone(),
            cross_border_states: f.cross_border_states.clone(),
            other_organisations: f.other_organisations.clone(),
            other_supervisors: f.other_supervisors.clone(),
            reported_at: incident.reported_at,
            reported_by: incident.reported_by_email.clone(),
            processor_aware_at: incident.processor_aware_at,
            controller_aware_at: incident.controller_aware_at,
            deadline_at: clock.deadline_at,
            conservative_deadline_at: clock.conservative_deadline_at,
            remaining_seconds: clock.remaining_seconds,
            overdue: clock.overdue,
            clock: match clock.state {
                ClockState::NotStarted => "not_started",
                ClockState::Running => "running",
                ClockState::Stopped => "stopped",
            },
            acknowledged_at: incident.acknowledged_at,
            severity,
            ap_notified_at: incident.ap.as_ref().map(|ap| ap.notified_at),
            ap_reference: incident.ap.as_ref().map(|ap| ap.reference.clone()),
            preliminary: incident.ap.as_ref().map(|ap| ap.preliminary),
            on_time: clock.on_time,
            delay_reason: incident.ap.as_ref().and_then(|ap| ap.delay_reason.clone()),
            subjects,
            withdrawn_at: incident.withdrawn_at,
            closed_at: incident.closed_at,
            dismiss_reason: incident.dismiss_reason.clone(),
            not_notifiable_justification: incident.not_notifiable_justification.clone(),
            withdraw_reason: incident.withdraw_reason.clone(),
            close_summary: incident.close_summary.clone(),
            supplements: incident
                .supplements
                .iter()
                .map(|s| SupplementView {
                    at: s.at,
                    note: s.note.clone(),
                    ap_reference: s.ap_reference.clone(),
                    complete: s.complete,
                })
                .collect(),
            allowed_events: lifecycle::allowed_events(incident).into_iter().map(|k| k.as_str()).collect(),
            version: incident.version,
        }
    }
}

/// `{"items": [Incident…]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentList {
    /// Running clocks first by deadline, then the rest by last change, newest first.
    pub items: Vec<IncidentView>,
    /// The cursor of the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// One entry of an incident's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineItem {
    /// Position in the audit chain of the incident's client.
    pub seq: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (e-mail address, `system` or `cli`).
    pub actor: String,
    /// What (`report`, `patch`, an event name, …).
    #[serde(rename = "type")]
    pub event_type: String,
    /// The particulars.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<ChainedEvent> for TimelineItem {
    fn from(e: ChainedEvent) -> Self {
        TimelineItem {
            seq: e.seq,
            at: e.event.at,
            actor: e.event.actor,
            event_type: e.event.event_type,
            detail: e.event.detail,
        }
    }
}

/// `{"items": [TimelineItem…]}`, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Timeline {
    /// The events, oldest first.
    pub items: Vec<TimelineItem>,
    /// The cursor of the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// The error body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// `bad_request`, `unauthenticated`, `forbidden`, `not_found`, `invalid_transition`, `too_large`,
    /// `invalid`, `personal_data_detected`, `too_many_requests`, `unavailable`, …
    pub error: String,
    /// One sentence for people.
    pub message: String,
    /// The offending field, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// One delivery of an alert: a mail, or a post to an alert channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// `mail`, or `webhook` (a post to an alert channel: `to` is the channel's id, `message_id` the
    /// `webhook-id`, `kind` the alert code).
    pub channel: String,
    /// Recipient (a mail's address, or a channel's id).
    pub to: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i32,
    /// Stable Message-ID.
    pub message_id: String,
    /// When the mail server accepted it.
    pub sent_at: Option<DateTime<Utc>>,
    /// Mail kind (`A0`, `P0-receipt`, …).
    pub kind: String,
    /// The last error, if any.
    pub last_error: Option<String>,
}

impl From<&crate::storage::outbox::Delivery> for DeliveryView {
    fn from(d: &crate::storage::outbox::Delivery) -> Self {
        DeliveryView {
            channel: d.channel.clone(),
            to: d.to.clone(),
            status: d.status.clone(),
            attempts: d.attempts,
            message_id: d.message_id.clone(),
            sent_at: d.sent_at,
            kind: d.kind.clone(),
            last_error: d.last_error.clone(),
        }
    }
}

/// One alert of an incident's schedule.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    /// `P0`, `P1`, `A0`, `U0`, `A1`–`A5`, `S1`.
    pub code: String,
    /// When it falls due.
    pub due_at: DateTime<Utc>,
    /// `planned`, `sent`, `superseded` or `suppressed`.
    pub status: String,
    /// When it fired.
    pub fired_at: Option<DateTime<Utc>>,
    /// The addresses mailed.
    pub recipients: Vec<String>,
    /// Reminder number (A5 repeats).
    pub repeat_no: i32,
    /// Each mail and its delivery state.
    pub deliveries: Vec<DeliveryView>,
}

/// `{"items": [Alert…]}` by `due_at`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertList {
    /// The alerts.
    pub items: Vec<AlertView>,
}
