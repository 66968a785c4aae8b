//! The AP draft and the letter to data subjects as the web shows them, built once for the API and
//! the pages.

use chrono::{DateTime, Utc};

use crate::config::Settings;
use crate::domain::ap_report::{self, ApDraft, Completeness, DraftInput, SubjectLetter};
use crate::domain::directory::Client;
use crate::domain::incident::Incident;
use crate::domain::locale::Locale;

/// The input of a draft of `incident` in `locale` at `now`.
fn input<'a>(
    settings: &'a Settings,
    incident: &'a Incident,
    client: &'a Client,
    locale: Locale,
    now: DateTime<Utc>,
) -> DraftInput<'a> {
    DraftInput {
        incident,
        client,
        processor_name: &settings.organisation.name,
        now,
        policy: &settings.escalation,
        locale,
    }
}

/// The draft AP notification.
pub fn draft(
    settings: &Settings,
    incident: &Incident,
    client: &Client,
    locale: Locale,
    now: DateTime<Utc>,
) -> ApDraft {
    ap_report::build(&input(settings, incident, client, locale, now))
}

/// How many required answers the draft has, without writing it: equal to
/// `draft(…).completeness`.
pub fn completeness(
    settings: &Settings,
    incident: &Incident,
    client: &Client,
    locale: Locale,
    now: DateTime<Utc>,
) -> Completeness {
    ap_report::completeness(&input(settings, incident, client, locale, now))
}

/// The letter to data subjects, when the severity proposes informing them.
pub fn letter(
    settings: &Settings,
    incident: &Incident,
    client: &Client,
    locale: Locale,
    now: DateTime<Utc>,
) -> Option<SubjectLetter> {
    ap_report::subject_letter(&input(settings, incident, client, locale, now))
}

/// The draft's file name: `ACME-2026-0007-ap-draft.txt`.
pub fn file_name(reference: &str, extension: &str) -> String {
    let safe: String = reference.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    format!("{safe}-ap-draft.{extension}")
}

/// The draft as a PDF (the text rendering, monospaced, with the font embedded).
pub fn pdf(draft: &ApDraft) -> Vec<u8> {
    let title = format!("{} — {}", draft.reference, draft.kind_label);
    let footer = format!("{} · {}", draft.header, draft.generated_local);
    crate::pdf::text_document(&title, &footer, &ap_report::render_text(draft))
}
