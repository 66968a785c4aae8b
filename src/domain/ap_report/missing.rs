//! What the draft still lacks, in short: [`standing`], the count of required answers given (the
//! dashboard shows it for every running clock) and the required questions unanswered (the incident
//! page's checklist), and [`missing_answers`], the core questions of art. 33(3) still unanswered,
//! with short labels for the alert mails (`docs/ARCHITECTURE.md` §7).

use super::context::Ctx;
use super::draft::{Completeness, DraftInput};
use super::fill::fill;
use super::form::{FORM, QuestionKey};
use crate::domain::incident::Incident;
use crate::domain::locale::Locale;
use crate::domain::texts;

/// Where the draft of `input.incident` at `input.now` stands, without writing it: how many
/// required answers it has, and which required questions are still unanswered. The same as the
/// draft's `completeness` and [`ApDraft::unanswered`](super::ApDraft::unanswered) (the dashboards
/// show the count for every running clock, the incident page its checklist).
pub fn standing(input: &DraftInput<'_>) -> Standing {
    let ctx = Ctx::new(input, false);
    let facts = &input.incident.facts;
    let mut unanswered = Vec::new();
    let completeness = Completeness::count(FORM.iter().flat_map(|spec| spec.questions).map(|question| {
        let fill = fill(&ctx, facts, question.key);
        if fill.required && !fill.provenance.is_answer() {
            unanswered.push(question.key);
        }
        (fill.required, fill.on_form_only, fill.provenance)
    }));
    Standing { completeness, unanswered }
}

/// See [`standing`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The count of required answers given.
    pub completeness: Completeness,
    /// The required questions without an answer, in form order: keys only, a byte each, for the
    /// memo that keeps a standing per incident version.
    pub unanswered: Vec<QuestionKey>,
}

/// A question of the AP form that the incident does not answer yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingAnswer {
    /// The question.
    pub key: QuestionKey,
    /// The AP question number, e.g. "5.1".
    pub number: &'static str,
}

impl MissingAnswer {
    /// "5.1 Aard van de inbreuk" in `locale`: the number and the text `ap-missing-q-<key>`.
    pub fn label(&self, locale: Locale) -> String {
        let words: Vec<&str> =
            self.key.as_str().split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
        let key = format!("ap-missing-q-{}", words.join("-").to_ascii_lowercase());
        format!("{} {}", self.number, texts::text(locale, &key))
    }
}

const fn short(key: QuestionKey) -> MissingAnswer {
    MissingAnswer { key, number: key.number() }
}

/// The core questions (art. 33(3)) still unanswered, in form order, with short labels for mails.
/// Reasons for delay (4.5) count as missing only when the notification is late (`late`: always
/// [`Clock::late`](crate::domain::deadline::Clock::late), never the clock when a text is written). The full
/// draft ([`build`](super::build)) lists these among its missing answers too, except 10.2 when only
/// planned measures are recorded (art. 33(3)(d) accepts measures "proposed").
pub fn missing_answers(incident: &Incident, late: bool) -> Vec<MissingAnswer> {
    use QuestionKey as K;
    let f = &incident.facts;
    let mut missing = Vec::new();
    if f.occurred_from.is_none() {
        missing.push(short(K::Q4_1_1));
    }
    if f.discovery_method.is_none() {
        missing.push(short(K::Q4_3));
    }
    if late && incident.ap.as_ref().and_then(|ap| ap.delay_reason.as_ref()).is_none() {
        missing.push(short(K::Q4_5));
    }
    if f.nature.is_empty() {
        missing.push(short(K::Q5_1));
    }
    if f.incident_kind.is_none() {
        missing.push(short(K::Q5_2));
    }
    if f.data_categories.is_empty() && f.special_categories.is_empty() {
        missing.push(short(K::Q6_1));
    }
    if f.records_approx.is_none() {
        missing.push(short(K::Q6_3_1));
    }
    if f.subject_groups.is_empty() {
        missing.push(short(K::Q7_1));
    }
    if f.subjects_min.is_none() || f.subjects_max.is_none() {
        missing.push(short(K::Q7_3));
    }
    if f.encryption.is_none() {
        missing.push(short(K::Q8_1));
    }
    if f.consequences.is_none() {
        missing.push(short(K::Q9_2));
    }
    if incident.assessment.is_none() {
        missing.push(short(K::Q9_3));
    }
    if f.measures_taken.is_none() {
        missing.push(short(K::Q10_2));
    }
    missing
}
