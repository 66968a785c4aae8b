//! The art. 33(5) breach register: one entry per incident with the facts, the effects, the remedial
//! action, every decision with its reasons, and the audit chain head, so that an auditor can check
//! the export offline (`docs/REGULATION.md` §5).

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use super::deadline::Clock;
use super::escalation::EscalationPolicy;
use super::incident::{Incident, State, SubjectsDecision};
use super::local_time;
use super::locale::Locale;
use super::reference;
use super::vocabulary::{self, CodeList};

/// GX's role towards the client's data.
pub const GX_ROLE: &str = "processor";

/// A duration in hours, kept in hundredths of an hour so that the entry stays exact (`Eq`): JSON
/// writes it as a number (`49.5`), CSV as text (`49.5`, `48`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hours {
    /// Hundredths of an hour, rounded to the nearest.
    pub hundredths: i64,
}

impl Hours {
    /// The hours of a duration, rounded to the nearest hundredth (36 s).
    pub fn of(duration: chrono::Duration) -> Hours {
        let seconds = duration.num_seconds();
        Hours { hundredths: (seconds * 100 + seconds.signum() * 1800) / 3600 }
    }
}

impl std::fmt::Display for Hours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.hundredths < 0 { "-" } else { "" };
        let (whole, part) = (self.hundredths.abs() / 100, self.hundredths.abs() % 100);
        match part {
            0 => write!(f, "{sign}{whole}"),
            p if p % 10 == 0 => write!(f, "{sign}{whole}.{}", p / 10),
            p => write!(f, "{sign}{whole}.{p:02}"),
        }
    }
}

impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[allow(clippy::cast_precision_loss, reason = "hundredths of hours are far below 2^52")]
        serializer.serialize_f64(self.hundredths as f64 / 100.0)
    }
}

/// One supplement to the AP notification as the register lists it (art. 33(4): "without undue
/// further delay" is shown by these dates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupplementEntry {
    /// When it was submitted to the AP.
    pub at: DateTime<Utc>,
    /// The AP's reference, if it changed with this supplement.
    pub ap_reference: Option<String>,
    /// What was added.
    pub note: String,
    /// It completed a preliminary notification.
    pub complete: bool,
}

impl SupplementEntry {
    /// One CSV list item: `AT | REFERENCE | NOTE` with ` | complete` when it completed the
    /// notification (the items are `;`-joined in the `supplement_history` cell).
    pub fn csv_item(&self) -> String {
        let mut item = format!(
            "{} | {} | {}",
            self.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            self.ap_reference.as_deref().unwrap_or(""),
            self.note
        );
        if self.complete {
            item.push_str(" | complete");
        }
        item
    }
}

/// One register entry. Times are RFC 3339 UTC; lists are `;`-separated codes in CSV. Columns are
/// only ever added at the end, never renamed: auditors' scripts read them.
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
    /// The client's name (the controller), when the directory has it.
    pub client_name: Option<String>,
    /// Each supplement to the AP notification, oldest first.
    pub supplement_history: Vec<SupplementEntry>,
    /// When a preliminary notification was completed (its first supplement marked `complete`).
    pub preliminary_completed_at: Option<DateTime<Utc>>,
    /// Hours from GX's awareness to the controller's (art. 33(2): the processor informs the
    /// controller without undue delay); null while either is unknown.
    pub processor_delay_hours: Option<Hours>,
    /// When the latest ENISA assessment was made.
    pub assessed_at: Option<DateTime<Utc>>,
    /// ENISA input: data processing context, 1–4.
    pub dpc: Option<u8>,
    /// ENISA input: ease of identification (`negligible`, `limited`, `significant`, `maximum`).
    pub ease_of_identification: Option<&'static str>,
    /// ENISA input: loss of confidentiality in quarters (0, 1, 2).
    pub confidentiality: Option<u8>,
    /// ENISA input: loss of integrity in quarters (0, 1, 2).
    pub integrity: Option<u8>,
    /// ENISA input: loss of availability in quarters (0, 1, 2).
    pub availability: Option<u8>,
    /// ENISA input: malicious intent.
    pub malicious: Option<bool>,
    /// ENISA input: the data were unintelligible.
    pub unintelligible: Option<bool>,
    /// ENISA input: vulnerable subjects.
    pub vulnerable_subjects: Option<bool>,
    /// The rules that adjusted the proposals (`unintelligible_data`, `vulnerable_subjects_floor`).
    pub severity_overrides: Vec<&'static str>,
    /// The assessment proposed notifying the AP.
    pub proposed_ap: Option<bool>,
    /// The assessment proposed informing the data subjects.
    pub proposed_subjects: Option<bool>,
    /// The art. 33 decision (notified or not notifiable) differs from the proposal; null while
    /// there is no proposal or no decision.
    pub ap_decision_overrides_proposal: Option<bool>,
    /// Why, when it does and a reason was recorded (the not-notifiable justification).
    pub ap_override_reason: Option<String>,
    /// The art. 34 decision (informed or not required) differs from the proposal; null while
    /// there is no proposal or no decision.
    pub subjects_decision_overrides_proposal: Option<bool>,
    /// Why, when it does and a reason was recorded (the explanation of not informing).
    pub subjects_override_reason: Option<String>,
}

fn codes<T: CodeList>(values: &[T]) -> Vec<&'static str> {
    values.iter().map(|v| v.code()).collect()
}

/// The register page's filters (`GET /register?client=&year=&notified=&late=`); `None` lets every
/// entry through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterFilter {
    /// Only this client (slug).
    pub client: Option<String>,
    /// Only incidents reported in this year (Amsterdam time: the year of the reference).
    pub year: Option<i32>,
    /// Only incidents notified to the AP (`true`) or never notified (`false`).
    pub notified: Option<bool>,
    /// Only late incidents (`true`: see [`RegisterEntry::late`]) or only the others (`false`).
    pub late: Option<bool>,
}

impl RegisterFilter {
    /// Whether `entry` passes every filter that is set.
    pub fn matches(&self, entry: &RegisterEntry, now: DateTime<Utc>) -> bool {
        self.client.as_ref().is_none_or(|c| *c == entry.client)
            && self.year.is_none_or(|y| reference::year_of(entry.reported_at) == y)
            && self.notified.is_none_or(|n| entry.ap_notified_at.is_some() == n)
            && self.late.is_none_or(|l| entry.late(now) == l)
    }
}

/// Whether a decision differs from the proposal, and the recorded reason when it does: `None`
/// while either is missing.
fn override_of(
    proposed: Option<bool>,
    decided: Option<bool>,
    reason: Option<&String>,
) -> (Option<bool>, Option<String>) {
    match (proposed, decided) {
        (Some(p), Some(d)) => (Some(p != d), if p != d { reason.cloned() } else { None }),
        _ => (None, None),
    }
}

impl RegisterEntry {
    /// The entry of `incident`; `client_name` is the client's name when the caller has it.
    pub fn of(
        incident: &Incident,
        client_name: Option<&str>,
        now: DateTime<Utc>,
        policy: &EscalationPolicy,
    ) -> RegisterEntry {
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
        let input = incident.assessment.as_ref().map(|a| &a.input);
        let notified = match art33_decision {
            "notified" | "withdrawn" => Some(true),
            "not_notifiable" => Some(false),
            _ => None,
        };
        let (ap_decision_overrides_proposal, ap_override_reason) = override_of(
            severity.as_ref().map(|s| s.proposed_ap),
            notified,
            incident.not_notifiable_justification.as_ref(),
        );
        let (subjects_decided, subjects_reason) = match &incident.subjects {
            SubjectsDecision::Undecided => (None, None),
            SubjectsDecision::Informed { .. } => (Some(true), None),
            SubjectsDecision::NotRequired { explanation, .. } => (Some(false), Some(explanation)),
        };
        let (subjects_decision_overrides_proposal, subjects_override_reason) =
            override_of(severity.as_ref().map(|s| s.proposed_subjects), subjects_decided, subjects_reason);
        let processor_delay_hours = incident.processor_delay().map(Hours::of);
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
            client_name: client_name.map(str::to_string),
            supplement_history: incident
                .supplements
                .iter()
                .map(|s| SupplementEntry {
                    at: s.at,
                    ap_reference: s.ap_reference.clone(),
                    note: s.note.clone(),
                    complete: s.complete,
                })
                .collect(),
            preliminary_completed_at: incident.supplements.iter().find(|s| s.complete).map(|s| s.at),
            processor_delay_hours,
            assessed_at: incident.assessment.as_ref().map(|a| a.assessed_at),
            dpc: input.map(|i| i.dpc),
            ease_of_identification: input.map(|i| i.ease_of_identification.code()),
            confidentiality: input.map(|i| i.confidentiality),
            integrity: input.map(|i| i.integrity),
            availability: input.map(|i| i.availability),
            malicious: input.map(|i| i.malicious),
            unintelligible: input.map(|i| i.unintelligible),
            vulnerable_subjects: input.map(|i| i.vulnerable_subjects),
            severity_overrides: severity
                .as_ref()
                .map(|s| s.overrides.iter().map(|o| o.code()).collect())
                .unwrap_or_default(),
            proposed_ap: severity.as_ref().map(|s| s.proposed_ap),
            proposed_subjects: severity.as_ref().map(|s| s.proposed_subjects),
            ap_decision_overrides_proposal,
            ap_override_reason,
            subjects_decision_overrides_proposal,
            subjects_override_reason,
        }
    }

    /// Late: the AP was notified after the deadline, or the deadline passed with the decision still
    /// pending.
    pub fn late(&self, now: DateTime<Utc>) -> bool {
        self.on_time == Some(false)
            || (self.art33_decision == "pending" && self.deadline_at.is_some_and(|d| now > d))
    }

    /// The entry as CSV cells, in the order of [`RegisterEntry::CSV_HEADER`].
    pub fn csv_record(&self) -> Vec<String> {
        let t = |v: &Option<DateTime<Utc>>| {
            v.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)).unwrap_or_default()
        };
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let n = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        let b = |v: Option<bool>| v.map(|b| b.to_string()).unwrap_or_default();
        let q = |v: Option<u8>| v.map(|n| n.to_string()).unwrap_or_default();
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
            s(&self.client_name),
            self.supplement_history.iter().map(SupplementEntry::csv_item).collect::<Vec<_>>().join(";"),
            t(&self.preliminary_completed_at),
            self.processor_delay_hours.map(|h| h.to_string()).unwrap_or_default(),
            t(&self.assessed_at),
            q(self.dpc),
            self.ease_of_identification.unwrap_or_default().to_string(),
            q(self.confidentiality),
            q(self.integrity),
            q(self.availability),
            b(self.malicious),
            b(self.unintelligible),
            b(self.vulnerable_subjects),
            list(&self.severity_overrides),
            b(self.proposed_ap),
            b(self.proposed_subjects),
            b(self.ap_decision_overrides_proposal),
            s(&self.ap_override_reason),
            b(self.subjects_decision_overrides_proposal),
            s(&self.subjects_override_reason),
        ]
    }

    /// The CSV column names (the JSON field names).
    pub const CSV_HEADER: [&'static str; 78] = [
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
        "client_name",
        "supplement_history",
        "preliminary_completed_at",
        "processor_delay_hours",
        "assessed_at",
        "dpc",
        "ease_of_identification",
        "confidentiality",
        "integrity",
        "availability",
        "malicious",
        "unintelligible",
        "vulnerable_subjects",
        "severity_overrides",
        "proposed_ap",
        "proposed_subjects",
        "ap_decision_overrides_proposal",
        "ap_override_reason",
        "subjects_decision_overrides_proposal",
        "subjects_override_reason",
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

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// Applies `events` (each with the instant it is recorded at) to a report of 15 June 2026.
    fn history(events: &[(&str, serde_json::Value)]) -> Incident {
        use crate::domain::incident::Facts;
        let mut incident = Incident::reported(
            "i".into(),
            (&"c".into(), "acme"),
            "ACME-2026-0001",
            Facts::new("Export mailed to the wrong address", "s", t("2026-06-15T08:00:00Z")),
            t("2026-06-15T08:00:00Z"),
            (&"u".into(), "u@x.example"),
        );
        for (at, body) in events {
            let serde_json::Value::Object(body) = body else { panic!("{body}") };
            incident =
                crate::domain::lifecycle::handle(&incident, body, "dpo@acme.example", t(at), &policy())
                    .unwrap_or_else(|e| panic!("{body:?}: {e}"))
                    .incident;
        }
        incident
    }

    fn policy() -> EscalationPolicy {
        EscalationPolicy { window_hours: 72, ..EscalationPolicy::default() }
    }

    fn assess() -> serde_json::Value {
        // 2 × 0.75 + 0.50 = 2.00: medium, notify the AP, do not inform the subjects.
        serde_json::json!({"type": "assess", "dpc": 2, "ease_of_identification": "significant",
            "confidentiality": 2, "integrity": 0, "availability": 0, "malicious": false,
            "unintelligible": false, "vulnerable_subjects": false, "rationale": "r"})
    }

    fn confirm() -> serde_json::Value {
        // GX knew two days and 90 minutes before it told the client.
        serde_json::json!({"type": "confirm", "processor_aware_at": "2026-06-13T08:00:00Z",
            "controller_aware_at": "2026-06-15T09:30:00Z"})
    }

    #[test]
    fn a_phased_notification_lists_each_supplement_with_the_enisa_inputs_and_the_processor_delay() {
        use serde_json::json;
        let incident = history(&[
            ("2026-06-15T09:30:00Z", confirm()),
            ("2026-06-15T12:00:00Z", assess()),
            (
                "2026-06-16T10:00:00Z",
                json!({"type": "notify_ap", "ap_reference": "AP-9", "preliminary": true}),
            ),
            (
                "2026-06-22T08:00:00Z",
                json!({"type": "supplement", "at": "2026-06-20T10:00:00Z", "note": "scope; 250 people",
                    "ap_reference": "AP-9-1"}),
            ),
            (
                "2026-06-25T16:00:00Z",
                json!({"type": "supplement", "note": "final figures", "complete": true}),
            ),
        ]);
        let now = t("2026-07-01T00:00:00Z");
        let entry = RegisterEntry::of(&incident, Some("Acme B.V."), now, &policy());
        assert_eq!(entry.client_name.as_deref(), Some("Acme B.V."));
        assert_eq!(entry.supplements, 2, "the count column stays");
        assert_eq!(
            entry.supplement_history,
            [
                SupplementEntry {
                    at: t("2026-06-20T10:00:00Z"),
                    ap_reference: Some("AP-9-1".into()),
                    note: "scope; 250 people".into(),
                    complete: false,
                },
                SupplementEntry {
                    at: t("2026-06-25T16:00:00Z"),
                    ap_reference: None,
                    note: "final figures".into(),
                    complete: true,
                },
            ]
        );
        assert_eq!(entry.preliminary_completed_at, Some(t("2026-06-25T16:00:00Z")));
        assert_eq!(entry.processor_delay_hours, Some(Hours { hundredths: 4950 }));
        assert_eq!(
            (
                entry.dpc,
                entry.ease_of_identification,
                entry.confidentiality,
                entry.integrity,
                entry.availability
            ),
            (Some(2), Some("significant"), Some(2), Some(0), Some(0))
        );
        assert_eq!(
            (entry.malicious, entry.unintelligible, entry.vulnerable_subjects),
            (Some(false), Some(false), Some(false))
        );
        assert_eq!((entry.severity_quarters, entry.severity_band), (Some(8), Some("medium")));
        assert_eq!((entry.proposed_ap, entry.proposed_subjects), (Some(true), Some(false)));
        assert_eq!(entry.ap_decision_overrides_proposal, Some(false), "notified as proposed");
        assert_eq!(entry.subjects_decision_overrides_proposal, None, "no subjects decision yet");

        let json = serde_json::to_value(&entry).unwrap();
        assert_eq!(json["processor_delay_hours"], json!(49.5));
        assert_eq!(json["supplement_history"][0]["at"], "2026-06-20T10:00:00Z");
        assert_eq!(json["supplement_history"][1]["complete"], true);
        assert_eq!(json["supplements"], 2);

        let record = entry.csv_record();
        let cell = |name: &str| &record[RegisterEntry::CSV_HEADER.iter().position(|h| *h == name).unwrap()];
        assert_eq!(
            cell("supplement_history"),
            "2026-06-20T10:00:00Z | AP-9-1 | scope; 250 people;2026-06-25T16:00:00Z |  | final figures | complete"
        );
        assert_eq!(cell("processor_delay_hours"), "49.5");
        assert_eq!(cell("ease_of_identification"), "significant");
        assert_eq!(cell("client"), "acme", "the slug column stays");
        assert_eq!(cell("client_name"), "Acme B.V.");
    }

    #[test]
    fn a_decision_against_the_proposal_is_an_override_with_its_reason() {
        use serde_json::json;
        let not_notified = history(&[
            ("2026-06-15T09:30:00Z", confirm()),
            ("2026-06-15T12:00:00Z", assess()),
            (
                "2026-06-15T13:00:00Z",
                json!({"type": "decide_not_notifiable", "justification": "recipient is a sister company under NDA"}),
            ),
            (
                "2026-06-15T13:05:00Z",
                json!({"type": "subjects_not_required", "ground": "no_high_risk", "explanation": "medium"}),
            ),
        ]);
        let now = t("2026-06-16T00:00:00Z");
        let entry = RegisterEntry::of(&not_notified, None, now, &policy());
        assert_eq!(entry.art33_decision, "not_notifiable");
        assert_eq!(entry.ap_decision_overrides_proposal, Some(true));
        assert_eq!(entry.ap_override_reason.as_deref(), Some("recipient is a sister company under NDA"));
        assert_eq!(entry.subjects_decision_overrides_proposal, Some(false), "not informing was proposed");
        assert_eq!(entry.subjects_override_reason, None);
        assert_eq!(entry.client_name, None);

        let unassessed = history(&[("2026-06-15T09:30:00Z", json!({"type": "confirm"}))]);
        let entry = RegisterEntry::of(&unassessed, None, now, &policy());
        assert_eq!((entry.dpc, entry.proposed_ap, entry.ap_decision_overrides_proposal), (None, None, None));
        assert_eq!(entry.processor_delay_hours, Some(Hours { hundredths: 0 }), "told at once");
        let reported = history(&[]);
        assert_eq!(RegisterEntry::of(&reported, None, now, &policy()).processor_delay_hours, None);
    }

    #[test]
    fn hours_are_exact_to_the_hundredth() {
        let h = |s: i64| Hours::of(chrono::Duration::seconds(s)).to_string();
        assert_eq!(h(0), "0");
        assert_eq!(h(48 * 3600), "48");
        assert_eq!(h(90 * 60), "1.5");
        assert_eq!(h(20 * 60), "0.33");
        assert_eq!(h(3600 + 18), "1.01", "half a hundredth rounds up");
        assert_eq!(h(-90 * 60), "-1.5");
    }

    #[test]
    fn the_filters_select_by_client_year_notification_and_lateness() {
        use serde_json::json;
        let on_time = history(&[
            ("2026-06-15T09:30:00Z", confirm()),
            (
                "2026-06-16T10:00:00Z",
                json!({"type": "notify_ap", "ap_reference": "AP-9", "preliminary": false}),
            ),
        ]);
        let late = history(&[
            ("2026-06-15T09:30:00Z", confirm()),
            (
                "2026-06-19T10:00:00Z",
                json!({"type": "notify_ap", "ap_reference": "AP-10", "preliminary": false, "delay_reason": "scope"}),
            ),
        ]);
        let running = history(&[("2026-06-15T09:30:00Z", confirm())]);
        let now = t("2027-01-02T00:00:00Z");
        let entry = |i: &Incident| RegisterEntry::of(i, None, now, &policy());
        let (on_time, late, overdue) = (entry(&on_time), entry(&late), entry(&running));
        let all = [&on_time, &late, &overdue];
        let pick = |filter: RegisterFilter| -> Vec<usize> {
            all.iter().enumerate().filter(|(_, e)| filter.matches(e, now)).map(|(n, _)| n).collect()
        };
        assert_eq!(pick(RegisterFilter::default()), [0, 1, 2]);
        assert_eq!(pick(RegisterFilter { notified: Some(true), ..Default::default() }), [0, 1]);
        assert_eq!(pick(RegisterFilter { notified: Some(false), ..Default::default() }), [2]);
        assert_eq!(
            pick(RegisterFilter { late: Some(true), ..Default::default() }),
            [1, 2],
            "late or overdue"
        );
        assert_eq!(pick(RegisterFilter { late: Some(false), ..Default::default() }), [0]);
        assert_eq!(pick(RegisterFilter { year: Some(2026), ..Default::default() }), [0, 1, 2]);
        assert_eq!(pick(RegisterFilter { year: Some(2027), ..Default::default() }), Vec::<usize>::new());
        assert_eq!(
            pick(RegisterFilter { client: Some("beta".into()), ..Default::default() }),
            Vec::<usize>::new()
        );
        assert_eq!(
            pick(RegisterFilter {
                client: Some("acme".into()),
                late: Some(true),
                notified: Some(true),
                year: Some(2026)
            }),
            [1]
        );
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
        RegisterEntry::of(&incident, Some("Acme B.V."), now, &EscalationPolicy::default())
    }
}
