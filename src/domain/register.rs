//! The art. 33(5) breach register: one entry per incident with the facts, the effects, the remedial
//! action, every decision with its reasons, and the audit chain head, so that an auditor can check
//! the export offline (`docs/REGULATION.md` §5).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::deadline::Clock;
use super::escalation::EscalationPolicy;
use super::incident::{Incident, State, SubjectsDecision};
use super::local_time;
use super::locale::Locale;
use super::vocabulary::{self, CodeList};

/// GX's role towards the client's data.
pub const GX_ROLE: &str = "processor";

/// One register entry. Times are RFC 3339 UTC; lists are `;`-separated codes in CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterEntry {
    /// Human reference.
    pub reference: String,
    /// Incident UUID.
    pub incident_id: String,
    /// Client slug (the controller).
    pub client: String,
    /// GX's role: processor.
    pub gx_role: &'static str,
    /// Lifecycle state.
    pub state: &'static str,
    /// When reported.
    pub reported_at: DateTime<Utc>,
    /// When noticed.
    pub discovered_at: DateTime<Utc>,
    /// How noticed.
    pub discovery_method: Option<String>,
    /// GX's awareness.
    pub processor_aware_at: Option<DateTime<Utc>>,
    /// The controller's awareness.
    pub controller_aware_at: Option<DateTime<Utc>>,
    /// Why those instants.
    pub awareness_justification: Option<String>,
    /// Legal deadline.
    pub deadline_at: Option<DateTime<Utc>>,
    /// Deadline in Amsterdam time, for people.
    pub deadline_local: Option<String>,
    /// Conservative deadline (processor awareness + 72 h).
    pub conservative_deadline_at: Option<DateTime<Utc>>,
    /// Breach start.
    pub occurred_from: Option<DateTime<Utc>>,
    /// Breach end.
    pub occurred_until: Option<DateTime<Utc>>,
    /// Still ongoing.
    pub ongoing: bool,
    /// Breach types (confidentiality, integrity, availability).
    pub breach_types: Vec<&'static str>,
    /// Nature codes.
    pub nature: Vec<&'static str>,
    /// Cause code.
    pub incident_kind: Option<&'static str>,
    /// The facts: title.
    pub title: String,
    /// The facts: narrative.
    pub facts: String,
    /// Data categories.
    pub data_categories: Vec<&'static str>,
    /// Special categories.
    pub special_categories: Vec<&'static str>,
    /// Approximate number of records.
    pub records_approx: Option<u64>,
    /// Data-subject groups.
    pub subject_groups: Vec<&'static str>,
    /// Fewest people affected.
    pub subjects_min: Option<u64>,
    /// Most people affected.
    pub subjects_max: Option<u64>,
    /// Encryption state.
    pub encryption: Option<&'static str>,
    /// Effects (likely consequences).
    pub effects: Option<String>,
    /// Remedial action taken.
    pub remedial_action: Option<String>,
    /// Measures planned.
    pub measures_planned: Option<String>,
    /// Cross-border states.
    pub cross_border_states: Vec<String>,
    /// Other organisations involved.
    pub other_organisations: Option<String>,
    /// ENISA score (SE × 4).
    pub severity_quarters: Option<u8>,
    /// ENISA band.
    pub severity_band: Option<&'static str>,
    /// Why those ENISA inputs.
    pub severity_rationale: Option<String>,
    /// Art. 33 decision: `pending`, `no_breach`, `not_notifiable`, `notified`, `withdrawn`.
    pub art33_decision: &'static str,
    /// Its justification.
    pub art33_justification: Option<String>,
    /// When the AP was notified.
    pub ap_notified_at: Option<DateTime<Utc>>,
    /// The AP's reference.
    pub ap_reference: Option<String>,
    /// Preliminary notification.
    pub preliminary: Option<bool>,
    /// On time.
    pub on_time: Option<bool>,
    /// Late by (seconds), when late.
    pub late_by_seconds: Option<i64>,
    /// Reasons for delay.
    pub delay_reason: Option<String>,
    /// Number of supplements.
    pub supplements: usize,
    /// When withdrawn.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Why withdrawn.
    pub withdraw_reason: Option<String>,
    /// Art. 34 decision: `undecided`, `informed`, `not_required`.
    pub art34_decision: &'static str,
    /// When subjects were informed.
    pub subjects_informed_at: Option<DateTime<Utc>>,
    /// How.
    pub subjects_channel: Option<&'static str>,
    /// How many.
    pub subjects_informed_count: Option<u64>,
    /// Ground for not informing.
    pub subjects_ground: Option<&'static str>,
    /// Explanation.
    pub subjects_explanation: Option<String>,
    /// When the DPO acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// When closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Closing summary.
    pub close_summary: Option<String>,
    /// When the free text was purged after retention.
    pub purged_at: Option<DateTime<Utc>>,
}

fn codes<T: CodeList>(values: &[T]) -> Vec<&'static str> {
    values.iter().map(|v| v.code()).collect()
}

impl RegisterEntry {
    /// The entry of `incident`.
    pub fn of(incident: &Incident, now: DateTime<Utc>, policy: &EscalationPolicy) -> RegisterEntry {
        let clock = Clock::of(incident, now, policy);
        let severity = incident.severity();
        let f = &incident.facts;
        let (art33_decision, art33_justification) = match incident.state {
            State::Reported | State::Confirmed => ("pending", None),
            State::Dismissed => ("no_breach", incident.dismiss_reason.clone()),
            State::NotNotifiable => ("not_notifiable", incident.not_notifiable_justification.clone()),
            State::ApNotified => ("notified", None),
            State::ApWithdrawn => ("withdrawn", incident.withdraw_reason.clone()),
            State::Closed => {
                match (&incident.ap, incident.withdrawn_at, &incident.not_notifiable_justification) {
                    (Some(_), Some(_), _) => ("withdrawn", incident.withdraw_reason.clone()),
                    (Some(_), None, _) => ("notified", None),
                    (None, _, Some(j)) => ("not_notifiable", Some(j.clone())),
                    (None, _, None) => ("no_breach", incident.dismiss_reason.clone()),
                }
            }
        };
        let late_by_seconds = match (&incident.ap, clock.deadline_at) {
            (Some(ap), Some(d)) if ap.notified_at > d => Some((ap.notified_at - d).num_seconds()),
            _ => None,
        };
        let (
            art34_decision,
            subjects_informed_at,
            subjects_channel,
            subjects_informed_count,
            subjects_ground,
            subjects_explanation,
        ) = match &incident.subjects {
            SubjectsDecision::Undecided => ("undecided", None, None, None, None, None),
            SubjectsDecision::Informed { informed_at, channel, count } => {
                ("informed", Some(*informed_at), Some(channel.code()), Some(*count), None, None)
            }
            SubjectsDecision::NotRequired { ground, explanation } => {
                ("not_required", None, None, None, Some(ground.code()), Some(explanation.clone()))
            }
        };
        RegisterEntry {
            reference: incident.reference.clone(),
            incident_id: incident.id.0.clone(),
            client: incident.client_slug.clone(),
            gx_role: GX_ROLE,
            state: incident.state.as_str(),
            reported_at: incident.reported_at,
            discovered_at: f.discovered_at,
            discovery_method: f.discovery_method.clone(),
            processor_aware_at: incident.processor_aware_at,
            controller_aware_at: incident.controller_aware_at,
            awareness_justification: incident.awareness_justification.clone(),
            deadline_at: clock.deadline_at,
            deadline_local: clock.deadline_at.map(|d| local_time::format_local_with_offset(d, Locale::Nl)),
            conservative_deadline_at: clock.conservative_deadline_at,
            occurred_from: f.occurred_from,
            occurred_until: f.occurred_until,
            ongoing: f.ongoing,
            breach_types: vocabulary::breach_types(&f.nature).into_iter().map(|t| t.code()).collect(),
            nature: codes(&f.nature),
            incident_kind: f.incident_kind.map(|k| k.code()),
            title: f.title.clone(),
            facts: f.summary.clone(),
            data_categories: codes(&f.data_categories),
            special_categories: codes(&f.special_categories),
            records_approx: f.records_approx,
            subject_groups: codes(&f.subject_groups),
            subjects_min: f.subjects_min,
            subjects_max: f.subjects_max,
            encryption: f.encryption.map(|e| e.code()),
            effects: f.consequences.clone(),
            remedial_action: f.measures_taken.clone(),
            measures_planned: f.measures_planned.clone(),
            cross_border_states: f.cross_border_states.clone(),
            other_organisations: f.other_organisations.clone(),
            severity_quarters: severity.as_ref().map(|s| s.score_quarters),
            severity_band: severity.as_ref().map(|s| s.band.code()),
            severity_rationale: incident.assessment.as_ref().map(|a| a.rationale.clone()),
            art33_decision,
            art33_justification,
            ap_notified_at: incident.ap.as_ref().map(|ap| ap.notified_at),
            ap_reference: incident.ap.as_ref().map(|ap| ap.reference.clone()),
            preliminary: incident.ap.as_ref().map(|ap| ap.preliminary),
            on_time: clock.on_time,
            late_by_seconds,
            delay_reason: incident.ap.as_ref().and_then(|ap| ap.delay_reason.clone()),
            supplements: incident.supplements.len(),
            withdrawn_at: incident.withdrawn_at,
            withdraw_reason: incident.withdraw_reason.clone(),
            art34_decision,
            subjects_informed_at,
            subjects_channel,
            subjects_informed_count,
            subjects_ground,
            subjects_explanation,
            acknowledged_at: incident.acknowledged_at,
            closed_at: incident.closed_at,
            close_summary: incident.close_summary.clone(),
            purged_at: incident.purged_at,
        }
    }

    /// The entry as CSV cells, in the order of [`RegisterEntry::CSV_HEADER`].
    pub fn csv_record(&self) -> Vec<String> {
        let t = |v: &Option<DateTime<Utc>>| {
            v.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)).unwrap_or_default()
        };
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let n = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        let b = |v: Option<bool>| v.map(|b| b.to_string()).unwrap_or_default();
        let list = |v: &[&str]| v.join(";");
        vec![
            self.reference.clone(),
            self.incident_id.clone(),
            self.client.clone(),
            self.gx_role.to_string(),
            self.state.to_string(),
            t(&Some(self.reported_at)),
            t(&Some(self.discovered_at)),
            s(&self.discovery_method),
            t(&self.processor_aware_at),
            t(&self.controller_aware_at),
            s(&self.awareness_justification),
            t(&self.deadline_at),
            s(&self.deadline_local),
            t(&self.conservative_deadline_at),
            t(&self.occurred_from),
            t(&self.occurred_until),
            self.ongoing.to_string(),
            list(&self.breach_types),
            list(&self.nature),
            self.incident_kind.unwrap_or_default().to_string(),
            self.title.clone(),
            self.facts.clone(),
            list(&self.data_categories),
            list(&self.special_categories),
            n(self.records_approx),
            list(&self.subject_groups),
            n(self.subjects_min),
            n(self.subjects_max),
            self.encryption.unwrap_or_default().to_string(),
            s(&self.effects),
            s(&self.remedial_action),
            s(&self.measures_planned),
            self.cross_border_states.join(";"),
            s(&self.other_organisations),
            self.severity_quarters.map(|q| q.to_string()).unwrap_or_default(),
            self.severity_band.unwrap_or_default().to_string(),
            s(&self.severity_rationale),
            self.art33_decision.to_string(),
            s(&self.art33_justification),
            t(&self.ap_notified_at),
            s(&self.ap_reference),
            b(self.preliminary),
            b(self.on_time),
            self.late_by_seconds.map(|n| n.to_string()).unwrap_or_default(),
            s(&self.delay_reason),
            self.supplements.to_string(),
            t(&self.withdrawn_at),
            s(&self.withdraw_reason),
            self.art34_decision.to_string(),
            t(&self.subjects_informed_at),
            self.subjects_channel.unwrap_or_default().to_string(),
            n(self.subjects_informed_count),
            self.subjects_ground.unwrap_or_default().to_string(),
            s(&self.subjects_explanation),
            t(&self.acknowledged_at),
            t(&self.closed_at),
            s(&self.close_summary),
            t(&self.purged_at),
        ]
    }

    /// The CSV column names (the JSON field names).
    pub const CSV_HEADER: [&'static str; 58] = [
        "reference",
        "incident_id",
        "client",
        "gx_role",
        "state",
        "reported_at",
        "discovered_at",
        "discovery_method",
        "processor_aware_at",
        "controller_aware_at",
        "awareness_justification",
        "deadline_at",
        "deadline_local",
        "conservative_deadline_at",
        "occurred_from",
        "occurred_until",
        "ongoing",
        "breach_types",
        "nature",
        "incident_kind",
        "title",
        "facts",
        "data_categories",
        "special_categories",
        "records_approx",
        "subject_groups",
        "subjects_min",
        "subjects_max",
        "encryption",
        "effects",
        "remedial_action",
        "measures_planned",
        "cross_border_states",
        "other_organisations",
        "severity_quarters",
        "severity_band",
        "severity_rationale",
        "art33_decision",
        "art33_justification",
        "ap_notified_at",
        "ap_reference",
        "preliminary",
        "on_time",
        "late_by_seconds",
        "delay_reason",
        "supplements",
        "withdrawn_at",
        "withdraw_reason",
        "art34_decision",
        "subjects_informed_at",
        "subjects_channel",
        "subjects_informed_count",
        "subjects_ground",
        "subjects_explanation",
        "acknowledged_at",
        "closed_at",
        "close_summary",
        "purged_at",
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_header_matches_the_json_fields() {
        let json_fields: Vec<String> = {
            // Serialise a default-ish entry and read back its field names in order.
            let entry = sample();
            match serde_json::to_value(&entry).unwrap() {
                serde_json::Value::Object(map) => map.keys().cloned().collect(),
                _ => unreachable!(),
            }
        };
        let mut header: Vec<String> = RegisterEntry::CSV_HEADER.iter().map(|s| s.to_string()).collect();
        header.sort();
        let mut fields = json_fields;
        fields.sort();
        assert_eq!(header, fields);
        assert_eq!(sample().csv_record().len(), RegisterEntry::CSV_HEADER.len());
    }

    fn sample() -> RegisterEntry {
        use crate::domain::incident::Facts;
        let now: DateTime<Utc> = "2026-10-22T12:00:00Z".parse().unwrap();
        let incident = Incident::reported(
            "i".into(),
            (&"c".into(), "acme"),
            "ACME-2026-0001",
            Facts::new("t", "s", now),
            now,
            (&"u".into(), "u@x.example"),
        );
        RegisterEntry::of(&incident, now, &EscalationPolicy::default())
    }
}
