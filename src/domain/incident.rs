//! An incident: what a reporter knows (the facts), the decisions taken on it and its state.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::FieldError;
use super::fields::{self, FACTS};
use super::ids::{ClientId, IncidentId, UserId};
use super::input::{self, Object};
use super::severity::{Severity, SeverityInput};
use super::vocabulary::{
    Channel, DataCategory, Encryption, IncidentKind, Nature, SpecialCategory, SubjectGroup, SubjectsGround,
};

/// The lifecycle states (`docs/ARCHITECTURE.md` §5), snake_case on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// A suspected leak, being triaged.
    Reported,
    /// Triage found no personal-data breach.
    Dismissed,
    /// A personal-data breach; the controller is informed; the 72-hour clock runs.
    Confirmed,
    /// The DPO decided the breach is unlikely to result in a risk (register only).
    NotNotifiable,
    /// The DPO notified the AP.
    ApNotified,
    /// The AP notification was withdrawn.
    ApWithdrawn,
    /// The register entry is complete.
    Closed,
}

impl State {
    /// Every state.
    pub const ALL: [State; 7] = [
        State::Reported,
        State::Dismissed,
        State::Confirmed,
        State::NotNotifiable,
        State::ApNotified,
        State::ApWithdrawn,
        State::Closed,
    ];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            State::Reported => "reported",
            State::Dismissed => "dismissed",
            State::Confirmed => "confirmed",
            State::NotNotifiable => "not_notifiable",
            State::ApNotified => "ap_notified",
            State::ApWithdrawn => "ap_withdrawn",
            State::Closed => "closed",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is known about the breach: the writable fields of `NewIncident` (`docs/API.md` §4).
/// Serialises with the wire names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Short title, 1–200 characters.
    pub title: String,
    /// What happened.
    pub summary: String,
    /// When it was noticed.
    pub discovered_at: DateTime<Utc>,
    /// How it was noticed (AP 4.3).
    pub discovery_method: Option<String>,
    /// (Possible) start (AP 4.1.1).
    pub occurred_from: Option<DateTime<Utc>>,
    /// (Possible) end (AP 4.1.2); absent = unknown or ongoing.
    pub occurred_until: Option<DateTime<Utc>>,
    /// Still going on.
    pub ongoing: bool,
    /// Cause (AP 5.2).
    pub incident_kind: Option<IncidentKind>,
    /// What happened to the data (AP 5.1).
    pub nature: Vec<Nature>,
    /// Categories of personal data (AP 6.1).
    pub data_categories: Vec<DataCategory>,
    /// Special categories (AP 6.2).
    pub special_categories: Vec<SpecialCategory>,
    /// Approximate number of records (AP 6.3.1).
    pub records_approx: Option<u64>,
    /// Groups of data subjects (AP 7.1).
    pub subject_groups: Vec<SubjectGroup>,
    /// Fewest people affected (AP 7.3).
    pub subjects_min: Option<u64>,
    /// Most people affected (AP 7.3).
    pub subjects_max: Option<u64>,
    /// Unintelligibility at the time (AP 8.1).
    pub encryption: Option<Encryption>,
    /// Likely consequences (AP 9, art. 33(3)(c)); the register's "effects".
    pub consequences: Option<String>,
    /// Measures taken (AP 10.2, art. 33(3)(d)); the register's "remedial action".
    pub measures_taken: Option<String>,
    /// Measures planned.
    pub measures_planned: Option<String>,
    /// Other member states with affected people (ISO 3166 alpha-2).
    pub cross_border_states: Vec<String>,
    /// Other organisations involved (AP 3.3).
    pub other_organisations: Option<String>,
    /// Supervisors under other reporting duties told of the breach, or that none were (AP 1.3).
    pub other_supervisors: Option<String>,
}

impl Facts {
    /// What a report must say (a title, a summary, when it was noticed), everything else unknown.
    pub fn new(title: impl Into<String>, summary: impl Into<String>, discovered_at: DateTime<Utc>) -> Facts {
        Facts {
            title: title.into(),
            summary: summary.into(),
            discovered_at,
            discovery_method: None,
            occurred_from: None,
            occurred_until: None,
            ongoing: false,
            incident_kind: None,
            nature: Vec::new(),
            data_categories: Vec::new(),
            special_categories: Vec::new(),
            records_approx: None,
            subject_groups: Vec::new(),
            subjects_min: None,
            subjects_max: None,
            encryption: None,
            consequences: None,
            measures_taken: None,
            measures_planned: None,
            cross_border_states: Vec::new(),
            other_organisations: None,
            other_supervisors: None,
        }
    }

    /// Parses and checks the facts of a JSON object, field by field as [`FACTS`] describes them.
    /// `discovered_at` defaults to `now`; no time may lie after `now`.
    pub fn parse(object: &Object, now: DateTime<Utc>) -> Result<Facts, FieldError> {
        let mut canonical = Object::new();
        for field in &FACTS {
            canonical.insert(field.name.to_string(), field.read(object, now)?);
        }
        // Every field was checked above; a failure here is a field of `Facts` missing from `FACTS`,
        // which the schema's completeness test catches.
        let facts: Facts = serde_json::from_value(serde_json::Value::Object(canonical))
            .map_err(|e| FieldError::new("facts", format!("do not match the field table: {e}")))?;
        facts.check_consistency()?;
        Ok(facts)
    }

    fn check_consistency(&self) -> Result<(), FieldError> {
        if let (Some(min), Some(max)) = (self.subjects_min, self.subjects_max)
            && min > max
        {
            return Err(FieldError::new("subjects_max", "must be at least subjects_min"));
        }
        if let (Some(from), Some(until)) = (self.occurred_from, self.occurred_until)
            && from > until
        {
            return Err(FieldError::new("occurred_until", "must not be before occurred_from"));
        }
        if self.ongoing && self.occurred_until.is_some() {
            return Err(FieldError::new("occurred_until", "must be absent while the breach is ongoing"));
        }
        Ok(())
    }

    /// The facts as a JSON object with the wire names.
    pub fn to_object(&self) -> Object {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => Object::new(),
        }
    }

    /// Applies a PATCH body: every present key replaces the field (null clears an optional one),
    /// then the whole is checked again. Returns the new facts and the names of the fields that
    /// changed.
    pub fn patched(
        &self,
        patch: &Object,
        now: DateTime<Utc>,
    ) -> Result<(Facts, Vec<&'static str>), FieldError> {
        let mut merged = self.to_object();
        for (key, value) in patch {
            if fields::fact_field(key).is_some() {
                merged.insert(key.clone(), value.clone());
            }
        }
        // Times already recorded stay valid even if `now` is behind them in a test clock.
        let next = Facts::parse(&merged, now.max(self.latest_time()))?;
        let before = self.to_object();
        let after = next.to_object();
        let changed = fields::names().filter(|k| before.get(*k) != after.get(*k)).collect();
        Ok((next, changed))
    }

    fn latest_time(&self) -> DateTime<Utc> {
        [Some(self.discovered_at), self.occurred_from, self.occurred_until]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.discovered_at)
    }

    /// The free-text fields ([`fields::free_text`]) with their values, empty when unknown: what the
    /// personal-data policy scans (`crate::app::personal_data`).
    pub fn text_fields(&self) -> Vec<(&'static str, String)> {
        let object = self.to_object();
        fields::free_text()
            .map(|name| (name, object.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_string()))
            .collect()
    }

    /// The people affected as AP question 7.3 asks: exact, or min–max; `None` when unknown.
    pub fn subjects_range(&self) -> (Option<u64>, Option<u64>) {
        (self.subjects_min, self.subjects_max)
    }
}

/// A report of a suspected leak, as the API receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    /// The client's slug.
    pub client: String,
    /// What is known.
    pub facts: Facts,
    /// The reporter confirms that personal data in the free text is intended.
    pub allow_personal_data: bool,
}

impl NewIncident {
    /// Parses a `NewIncident` JSON object.
    pub fn parse(object: &Object, now: DateTime<Utc>) -> Result<NewIncident, FieldError> {
        let known: Vec<&str> = fields::names().chain(["client", "allow_personal_data"]).collect();
        input::only_known(object, &known, "NewIncident")?;
        let client = match object.get("client") {
            Some(serde_json::Value::String(s)) => input::clean_text("client", s, 100, input::Lines::One)?
                .ok_or_else(|| FieldError::new("client", "is required"))?,
            None | Some(serde_json::Value::Null) => return Err(FieldError::new("client", "is required")),
            Some(_) => return Err(FieldError::new("client", "must be a client slug")),
        };
        Ok(NewIncident {
            client,
            facts: Facts::parse(object, now)?,
            allow_personal_data: input::boolean(object, "allow_personal_data")?.unwrap_or(false),
        })
    }
}

/// A PATCH of an incident's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct FactsPatch {
    /// The present keys.
    pub object: Object,
    /// The reporter confirms that personal data in the free text is intended.
    pub allow_personal_data: bool,
}

impl FactsPatch {
    /// Parses a PATCH body: only writable fields; `client` cannot change.
    pub fn parse(object: &Object) -> Result<FactsPatch, FieldError> {
        if object.contains_key("client") {
            return Err(FieldError::new(
                "client",
                "cannot be changed; report the incident for the right client",
            ));
        }
        let known: Vec<&str> = fields::names().chain(["allow_personal_data"]).collect();
        input::only_known(object, &known, "an incident patch")?;
        let allow_personal_data = input::boolean(object, "allow_personal_data")?.unwrap_or(false);
        let mut object = object.clone();
        object.remove("allow_personal_data");
        Ok(FactsPatch { object, allow_personal_data })
    }
}

/// The DPO's ENISA assessment (the `assess` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// The ENISA inputs.
    pub input: SeverityInput,
    /// Why these inputs.
    pub rationale: String,
    /// When assessed.
    pub assessed_at: DateTime<Utc>,
    /// Who assessed (e-mail).
    pub assessed_by: String,
}

/// The AP notification as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApNotification {
    /// When the initial notification was submitted.
    pub notified_at: DateTime<Utc>,
    /// The AP's reference.
    pub reference: String,
    /// Filed as preliminary (to be supplemented).
    pub preliminary: bool,
    /// Reasons for delay (AP 4.5) when late.
    pub delay_reason: Option<String>,
}

/// A supplement to an AP notification (art. 33(4)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplement {
    /// When the supplement was submitted to the AP (the event's `at`, default the moment it was
    /// recorded).
    pub at: DateTime<Utc>,
    /// What was added.
    pub note: String,
    /// The AP's reference, if it changed.
    pub ap_reference: Option<String>,
    /// This supplement completes a preliminary notification (art. 33(4): the last phase).
    /// Supplements recorded before the flag existed read as `false`.
    #[serde(default)]
    pub complete: bool,
}

/// The decision on informing data subjects (art. 34).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum SubjectsDecision {
    /// Not decided yet.
    #[default]
    Undecided,
    /// They were informed.
    Informed {
        /// When.
        informed_at: DateTime<Utc>,
        /// How.
        channel: Channel,
        /// How many people.
        count: u64,
    },
    /// Informing them is not required.
    NotRequired {
        /// On which ground.
        ground: SubjectsGround,
        /// Why.
        explanation: String,
    },
}

/// An incident: facts, decisions and state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    /// Identifier.
    pub id: IncidentId,
    /// The client (controller).
    pub client_id: ClientId,
    /// The client's slug.
    pub client_slug: String,
    /// Human reference, per client and year (`ACME-2026-0007`).
    pub reference: String,
    /// Lifecycle state.
    pub state: State,
    /// Optimistic-concurrency version, +1 per change.
    pub version: i64,
    /// What is known.
    pub facts: Facts,
    /// When reported.
    pub reported_at: DateTime<Utc>,
    /// Who reported.
    pub reported_by: UserId,
    /// The reporter's e-mail address.
    pub reported_by_email: String,
    /// GX became reasonably certain of a personal-data breach.
    pub processor_aware_at: Option<DateTime<Utc>>,
    /// The client (controller) was informed: the 72-hour clock starts.
    pub controller_aware_at: Option<DateTime<Utc>>,
    /// Why the awareness instants are what they are (confirm, correct_awareness).
    pub awareness_justification: Option<String>,
    /// The DPO confirmed receipt.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who acknowledged.
    pub acknowledged_by: Option<String>,
    /// The latest ENISA assessment.
    pub assessment: Option<Assessment>,
    /// Why it was dismissed.
    pub dismiss_reason: Option<String>,
    /// Why it is not notifiable.
    pub not_notifiable_justification: Option<String>,
    /// The AP notification.
    pub ap: Option<ApNotification>,
    /// Supplements since.
    pub supplements: Vec<Supplement>,
    /// The facts as last notified to the AP (for supplement drafts).
    pub notified_snapshot: Option<Facts>,
    /// When the notification was withdrawn.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Why.
    pub withdraw_reason: Option<String>,
    /// Art. 34 decision.
    pub subjects: SubjectsDecision,
    /// When closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Closing summary.
    pub close_summary: Option<String>,
    /// When the free text was purged after retention.
    pub purged_at: Option<DateTime<Utc>>,
}

impl Incident {
    /// A freshly reported incident of `client` (id and slug) by `reporter` (id and address):
    /// `reported`, version 1, no awareness and no decisions yet.
    pub fn reported(
        id: IncidentId,
        client: (&ClientId, &str),
        reference: impl Into<String>,
        facts: Facts,
        reported_at: DateTime<Utc>,
        reporter: (&UserId, &str),
    ) -> Incident {
        Incident {
            id,
            client_id: client.0.clone(),
            client_slug: client.1.to_string(),
            reference: reference.into(),
            state: State::Reported,
            version: 1,
            facts,
            reported_at,
            reported_by: reporter.0.clone(),
            reported_by_email: reporter.1.to_string(),
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
        }
    }

    /// The current severity, if assessed.
    pub fn severity(&self) -> Option<Severity> {
        self.assessment.as_ref().map(|a| super::severity::assess(&a.input))
    }

    /// Whether the breach was ever confirmed (its clock ever started).
    pub fn was_confirmed(&self) -> bool {
        self.controller_aware_at.is_some()
    }

    /// How long the processor knew before it informed the controller (art. 33(2)): the time from
    /// `processor_aware_at` to `controller_aware_at`, once both are known. The register records it
    /// and the AP draft explains it; zero or less means the controller was told at once.
    pub fn processor_delay(&self) -> Option<chrono::Duration> {
        Some(self.controller_aware_at? - self.processor_aware_at?)
    }

    /// Whether a preliminary AP notification still waits for its completing supplement (one
    /// marked `complete`, art. 33(4)): what the supplement reminder S1 holds on, and repeats for.
    pub fn preliminary_open(&self) -> bool {
        self.ap.as_ref().is_some_and(|ap| ap.preliminary && !self.supplements.iter().any(|s| s.complete))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-10-22T12:00:00Z".parse().unwrap()
    }

    fn obj(v: serde_json::Value) -> Object {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_minimal_report_takes_defaults() {
        let new = NewIncident::parse(
            &obj(json!({"client": "acme", "title": "Laptop stolen", "summary": "From a car"})),
            now(),
        )
        .unwrap();
        assert_eq!(new.client, "acme");
        assert_eq!(new.facts.discovered_at, now());
        assert!(!new.facts.ongoing);
        assert!(new.facts.nature.is_empty());
        assert!(!new.allow_personal_data);
    }

    #[test]
    fn errors_name_the_field() {
        let cases = [
            (json!({"title": "t", "summary": "s"}), "client"),
            (json!({"client": "acme", "summary": "s"}), "title"),
            (json!({"client": "acme", "title": "x".repeat(201), "summary": "s"}), "title"),
            (json!({"client": "acme", "title": "t", "summary": "s", "nature": ["teleported"]}), "nature"),
            (
                json!({"client": "acme", "title": "t", "summary": "s", "subjects_min": 10, "subjects_max": 5}),
                "subjects_max",
            ),
            (
                json!({"client": "acme", "title": "t", "summary": "s", "discovered_at": "2026-10-23T00:00:00Z"}),
                "discovered_at",
            ),
            (json!({"client": "acme", "title": "t", "summary": "s", "records_approx": -3}), "records_approx"),
            (
                json!({"client": "acme", "title": "t", "summary": "s", "cross_border_states": ["Holland"]}),
                "cross_border_states",
            ),
            (json!({"client": "acme", "title": "t", "summary": "s", "encryption": "rot13"}), "encryption"),
            (json!({"client": "acme", "title": "t", "summary": "s", "state": "closed"}), "state"),
            (
                json!({"client": "acme", "title": "t", "summary": "s", "ongoing": true, "occurred_until": "2026-10-01T00:00:00Z"}),
                "occurred_until",
            ),
        ];
        for (body, field) in cases {
            assert_eq!(NewIncident::parse(&obj(body.clone()), now()).unwrap_err().field, field, "{body}");
        }
    }

    #[test]
    fn patches_replace_clear_and_recheck() {
        let facts = NewIncident::parse(
            &obj(json!({"client": "acme", "title": "t", "summary": "s", "subjects_min": 1, "subjects_max": 5, "consequences": "c"})),
            now(),
        )
        .unwrap()
        .facts;
        let patch = FactsPatch::parse(&obj(json!({"subjects_max": 50, "consequences": null}))).unwrap();
        let (next, changed) = facts.patched(&patch.object, now()).unwrap();
        assert_eq!(next.subjects_max, Some(50));
        assert_eq!(next.consequences, None);
        assert_eq!(changed, ["subjects_max", "consequences"]);
        let bad = FactsPatch::parse(&obj(json!({"subjects_max": 0}))).unwrap();
        assert_eq!(facts.patched(&bad.object, now()).unwrap_err().field, "subjects_max");
        assert_eq!(FactsPatch::parse(&obj(json!({"client": "other"}))).unwrap_err().field, "client");
        let title_gone = FactsPatch::parse(&obj(json!({"title": null}))).unwrap();
        assert_eq!(facts.patched(&title_gone.object, now()).unwrap_err().field, "title");
    }

    #[test]
    fn states_round_trip() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), json!(s.as_str()));
        }
    }

    #[test]
    fn subjects_decision_serialises_with_its_tag() {
        assert_eq!(
            serde_json::to_value(SubjectsDecision::Undecided).unwrap(),
            json!({"decision": "undecided"})
        );
        let informed = SubjectsDecision::Informed { informed_at: now(), channel: Channel::Letter, count: 3 };
        assert_eq!(
            serde_json::to_value(informed).unwrap(),
            json!({"decision": "informed", "informed_at": "2026-10-22T12:00:00Z", "channel": "letter", "count": 3})
        );
    }
}
