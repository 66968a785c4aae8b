//! The AP draft and the letter to data subjects as the web shows them, built once for the API and
//! the pages.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Settings;
use crate::domain::ap_report::{self, ApDraft, Completeness, DraftInput, Standing, SubjectLetter};
use crate::domain::deadline::Clock;
use crate::domain::directory::Client;
use crate::domain::incident::Incident;
use crate::domain::locale::Locale;
use crate::domain::severity::Severity;
use crate::storage::incidents::ClockSummary;

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

/// Where the draft stands, without writing it: its completeness (equal to `draft(…).completeness`)
/// and its required questions unanswered (equal to `draft(…).unanswered()`).
pub fn standing(
    settings: &Settings,
    incident: &Incident,
    client: &Client,
    locale: Locale,
    now: DateTime<Utc>,
) -> Standing {
    ap_report::standing(&input(settings, incident, client, locale, now))
}

/// Where drafts stand ([`standing`]), remembered per incident version, so that a dashboard does not
/// build every running clock's draft answers on every view, nor the incident page its checklist.
///
/// What a standing holds (which answers are required, and which are given) depends on the
/// incident, its client (the profile answers chapter 3), the language, the settings, and on `now`
/// only through whether the notification is late (`Clock::late`: 4.5 becomes required). The key
/// holds each of them: the incident's id and version (every write of an incident moves its
/// version) with the client slug and reporter address its row is read with, a digest of the whole
/// client record, the language and the lateness; the settings are this process's, and the memo
/// lives as long as they do ([`AppState`](crate::web::AppState)). A changed profile or a deadline
/// that passes is a new key, computed afresh.
///
/// A dashboard's running clocks are read without their facts ([`ClockSummary`]): each entry also
/// holds what such a row shows that only the whole incident tells ([`RowStanding`]), and the page
/// reads the whole incidents of the rows whose key is not remembered.
#[derive(Debug, Default)]
pub struct StandingMemo {
    entries: std::sync::Mutex<std::collections::HashMap<MemoKey, Remembered>>,
}

/// An entry: the standing, and what a dashboard row shows beside it.
#[derive(Debug)]
pub struct Remembered {
    /// Where the draft stands.
    pub standing: Standing,
    /// What a dashboard row shows.
    pub row: RowStanding,
}

/// What a dashboard row of a running clock shows that only the whole incident tells: where its
/// draft stands, its severity, and its next step (a text key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowStanding {
    /// The draft's completeness.
    pub completeness: Completeness,
    /// The assessed severity, if assessed.
    pub severity: Option<Severity>,
    /// The next step's text key ([`crate::web::pages::next_action::next_action`]).
    pub next: Option<&'static str>,
}

/// Which entry of the memo an incident's standing is: see [`StandingMemo`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MemoKey {
    /// A digest of the incident's id and of what its row is read with (client slug, reporter).
    incident: u64,
    version: i64,
    client: u64,
    locale: Locale,
    late: bool,
}

/// Entries kept at most; past that the memo starts over (the open incidents of a large install
/// fit many times over).
const MEMO_ENTRIES: usize = 20_000;

/// A digest of everything recorded about a client, for [`StandingMemo::read`]: computed once per
/// client and page.
pub fn client_digest(client: &Client) -> u64 {
    use std::hash::{Hash, Hasher};
    // Every field, hashed as it is: formatting the client first took 2–4 % of the officers'
    // dashboard.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    client.hash(&mut hasher);
    hasher.finish()
}

fn incident_digest(id: &str, client_slug: &str, reported_by_email: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (id, client_slug, reported_by_email).hash(&mut hasher);
    hasher.finish()
}

impl MemoKey {
    /// The key of `incident` in `locale` at `now`; `digest` is [`client_digest`] of its client.
    pub fn of(
        settings: &Settings,
        incident: &Incident,
        digest: u64,
        locale: Locale,
        now: DateTime<Utc>,
    ) -> Self {
        MemoKey {
            incident: incident_digest(&incident.id.0, &incident.client_slug, &incident.reported_by_email),
            version: incident.version,
            client: digest,
            locale,
            late: Clock::of(incident, now, &settings.escalation).late,
        }
    }

    /// The key of the incident of a dashboard row, the same as [`MemoKey::of`] its whole incident;
    /// `None` for a state this build does not know.
    pub fn of_row(
        settings: &Settings,
        row: &ClockSummary,
        digest: u64,
        locale: Locale,
        now: DateTime<Utc>,
    ) -> Option<Self> {
        Some(MemoKey {
            incident: incident_digest(&row.id, &row.client_slug, &row.reported_by_email),
            version: row.version,
            client: digest,
            locale,
            late: Clock::at(row.facts()?, now, &settings.escalation).late,
        })
    }
}

impl StandingMemo {
    /// `read` of `incident`'s entry at `now` (where its draft stands, [`standing`], and what its
    /// dashboard row shows, [`RowStanding`]), made and remembered if there is none; `digest` is
    /// [`client_digest`] of `client`.
    #[allow(clippy::too_many_arguments)] // the key's parts, and what is read of the entry
    pub fn read<R>(
        &self,
        settings: &Settings,
        incident: &Incident,
        client: &Client,
        digest: u64,
        locale: Locale,
        now: DateTime<Utc>,
        read: impl FnOnce(&Remembered) -> R,
    ) -> R {
        let key = MemoKey::of(settings, incident, digest, locale, now);
        if let Some(found) = self.lock().get(&key) {
            return read(found);
        }
        let computed = remembered(settings, incident, client, locale, now);
        let answer = read(&computed);
        self.remember(key, computed);
        answer
    }

    /// What is remembered of a dashboard row under `key`, if anything.
    pub fn remembered_row(&self, key: &MemoKey) -> Option<RowStanding> {
        self.lock().get(key).map(|found| found.row.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<MemoKey, Remembered>> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn remember(&self, key: MemoKey, computed: Remembered) {
        let mut entries = self.lock();
        if entries.len() >= MEMO_ENTRIES {
            entries.clear();
        }
        entries.insert(key, computed);
    }
}

/// The entry of `incident`: its standing and its row's facts.
fn remembered(
    settings: &Settings,
    incident: &Incident,
    client: &Client,
    locale: Locale,
    now: DateTime<Utc>,
) -> Remembered {
    let standing = standing(settings, incident, client, locale, now);
    let row = RowStanding {
        completeness: standing.completeness,
        severity: incident.severity(),
        next: crate::web::pages::next_action::next_action(incident),
    };
    Remembered { standing, row }
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
