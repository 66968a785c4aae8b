//! The AP draft and the letter to data subjects as the web shows them, built once for the API and
//! the pages.

use chrono::{DateTime, Utc};
use serde::Serialize;

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

/// The letters to data subjects, when the severity proposes informing them: one per language of
/// the client's data subjects, the client's own language first.
pub fn letters(
    settings: &Settings,
    incident: &Incident,
    client: &Client,
    now: DateTime<Utc>,
) -> Vec<SubjectLetter> {
    let locales = ap_report::letter_locales(&client.profile.subject_locales());
    ap_report::subject_letters(&input(settings, incident, client, client.locale, now), &locales)
}

/// The JSON of `GET /api/v1/incidents/{id}/ap-report`: the draft's fields, and the letters to data
/// subjects (`subject_letters`, empty when none is proposed).
#[derive(Debug, Serialize)]
pub struct DraftDocument {
    /// The draft AP notification.
    #[serde(flatten)]
    pub draft: ApDraft,
    /// The letters to data subjects, one per language (see [`letters`]).
    pub subject_letters: Vec<SubjectLetter>,
}

/// The draft with its letters, as the API's JSON, text and PDF give it.
pub fn document(
    settings: &Settings,
    incident: &Incident,
    client: &Client,
    locale: Locale,
    now: DateTime<Utc>,
) -> DraftDocument {
    DraftDocument {
        draft: draft(settings, incident, client, locale, now),
        subject_letters: letters(settings, incident, client, now),
    }
}

/// The draft's file name: `ACME-2026-0007-ap-draft.txt`.
pub fn file_name(reference: &str, extension: &str) -> String {
    let safe: String = reference.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    format!("{safe}-ap-draft.{extension}")
}

/// The draft and its letters as text ([`ap_report::render_document`]).
pub fn text(document: &DraftDocument) -> String {
    ap_report::render_document(&document.draft, &document.subject_letters)
}

/// The draft and its letters as a PDF (the text rendering, monospaced, with the font embedded).
pub fn pdf(document: &DraftDocument) -> Vec<u8> {
    let draft = &document.draft;
    let title = format!("{} — {}", draft.reference, draft.kind_label);
    let footer = format!("{} · {}", draft.header, draft.generated_local);
    crate::pdf::text_document(&title, &footer, &text(document))
}
