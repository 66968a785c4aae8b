//! The draft AP notification (DESIGN.md §6, `domain/ap-form.md`). For now: which of the AP form's
//! core questions the incident cannot answer yet, so that mails and pages can say what is missing.

use super::directory::Locale;
use super::incident::Incident;

/// A question of the AP form that the incident does not answer yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingAnswer {
    /// The AP question number, e.g. "5.1".
    pub number: &'static str,
    /// Dutch label.
    pub nl: &'static str,
    /// English label.
    pub en: &'static str,
}

impl MissingAnswer {
    /// "5.1 Aard van de inbreuk" in `locale`.
    pub fn label(&self, locale: Locale) -> String {
        let text = match locale {
            Locale::Nl => self.nl,
            Locale::En => self.en,
        };
        format!("{} {text}", self.number)
    }
}

const fn q(number: &'static str, nl: &'static str, en: &'static str) -> MissingAnswer {
    MissingAnswer { number, nl, en }
}

/// The core questions (art. 33(3)) still unanswered, in form order. Reasons for delay (4.5) count
/// as missing once the notification would be late (`late`).
pub fn missing_answers(incident: &Incident, late: bool) -> Vec<MissingAnswer> {
    let f = &incident.facts;
    let mut missing = Vec::new();
    if f.occurred_from.is_none() {
        missing.push(q(
            "4.1.1",
            "(Mogelijke) startdatum van de inbreuk",
            "(Possible) start date of the breach",
        ));
    }
    if f.discovery_method.is_none() {
        missing.push(q("4.3", "Hoe is de inbreuk ontdekt", "How the breach was discovered"));
    }
    if late && incident.ap.as_ref().and_then(|ap| ap.delay_reason.as_ref()).is_none() {
        missing.push(q(
            "4.5",
            "Reden van de vertraging (later dan 72 uur)",
            "Reasons for the delay (after 72 hours)",
        ));
    }
    if f.nature.is_empty() {
        missing.push(q("5.1", "Aard van de inbreuk", "Nature of the breach"));
    }
    if f.incident_kind.is_none() {
        missing.push(q("5.2", "Aard van het incident", "Nature of the incident"));
    }
    if f.data_categories.is_empty() && f.special_categories.is_empty() {
        missing.push(q("6.1", "Welke persoonsgegevens", "Which personal data"));
    }
    if f.records_approx.is_none() {
        missing.push(q("6.3.1", "Aantal getroffen gegevensrecords", "Number of records affected"));
    }
    if f.subject_groups.is_empty() {
        missing.push(q("7.1", "Groepen betrokkenen", "Groups of data subjects"));
    }
    if f.subjects_min.is_none() || f.subjects_max.is_none() {
        missing.push(q(
            "7.3",
            "Aantal betrokkenen (minimum en maximum)",
            "Number of people (minimum and maximum)",
        ));
    }
    if f.encryption.is_none() {
        missing.push(q("8.1", "Versleuteld of onbegrijpelijk gemaakt", "Encrypted or unintelligible"));
    }
    if f.consequences.is_none() {
        missing.push(q("9.2", "Gevolgen voor de betrokkenen", "Consequences for the data subjects"));
    }
    if incident.assessment.is_none() {
        missing.push(q("9.3", "Inschatting van de ernst", "Estimate of the severity"));
    }
    if f.measures_taken.is_none() {
        missing.push(q("10.2", "Getroffen maatregelen", "Measures taken"));
    }
    missing
}
