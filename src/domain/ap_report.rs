//! The draft AP notification (the form and how it is filled: `docs/REGULATION.md` §8) and the draft
//! letter to data subjects (art. 34(2) GDPR).
//!
//! [`build`] answers every question of the AP's *meldformulier datalekken* (2022 numbering, in form
//! order) from the incident. Each [`Answer`] says where its value comes from ([`Provenance`]):
//! `recorded` on the incident, `derived` from other data (the DPO must confirm it) or `missing`. The
//! draft starts with what is missing, then what must be confirmed, then what only the AP form can
//! take, and carries the header [`HEADER`]: art33 never files anything with the AP.
//!
//! Rules (the law behind them: `docs/REGULATION.md` §3–§6):
//! * 4.5 (reasons for delay) is required and listed first among the missing answers once the
//!   deadline has passed: the recorded notification was late, or, while the breach is confirmed and
//!   not yet notified, `now` is after the deadline.
//! * 3.1.1a–e, 3.1.2, 3.2.1 come from the client's profile (recorded) and are required: missing
//!   while the profile lacks them; 3.2.2 is the profile's contact point, else the DPO (derived).
//! * 2.1.1 counts the states other than the lead authority's; 2.2.1 follows the one-stop-shop
//!   (art. 56 GDPR), and flags a controller outside the EEA for a check (EDPB Guidelines 9/2022 §73).
//! * When the processor knew before the controller, 5.3 (and 4.5 when late) carries a sentence
//!   stating both instants and the hours between them.
//! * 3.3 names the processor (GX) as *verwerker*.
//! * 7.3 is a single number when minimum and maximum agree, "min – max" otherwise; an open end
//!   ("10 – ?") is shown but counts as missing.
//! * 9.3 is the AP level of the ENISA band ([`Band::ap_level`](super::severity::Band::ap_level)), derived.
//! * The kind of draft ([`DraftKind`]) follows the AP notification on record: an initial
//!   notification, a supplement (with what changed since the last notified version) or a
//!   withdrawal (with its reason). A breach decided not notifiable or dismissed still gets a draft,
//!   for the register, marked not required.
//!
//! [`subject_letter`] drafts the communication to data subjects when the severity proposes informing
//! them. [`missing_answers`] is the short list the alert mails use.
//!
//! Where each part lives (`src/domain/ap_report/`):
//! * `form.rs`: the AP form as a table ([`FORM`]): chapters, questions, numbers and the typed key of
//!   every question ([`QuestionKey`]); their Dutch and English labels are texts.
//! * `draft.rs`: the draft as data: [`ApDraft`], its chapters and [`Answer`]s with their
//!   [`Provenance`], the kind of draft, [`Completeness`], and what a draft is built from
//!   ([`DraftInput`]).
//! * `context.rs`: what every answer depends on besides the facts (the clock, the kind of draft,
//!   whether the notification is late) and the shape of an answer before its labels are attached.
//! * `fill.rs`: the filling logic: one `match` arm per question of the form, exhaustive over
//!   [`QuestionKey`], with the answers of chapters 1 to 9.
//! * `follow_up.rs`: the answers of chapter 10 (the art. 34 decision) and the closing remarks.
//! * `assemble.rs`: the draft assembled ([`build`]): the lists at its head, whether a notification is
//!   required, what changed since the last notified version.
//! * `missing.rs`: what the draft still lacks: [`standing`] (the dashboards' completeness, the
//!   incident page's checklist) and [`missing_answers`] (the mails).
//! * `text.rs`: the draft as plain text to copy into the AP form ([`render_text`]).
//! * `letter.rs`: the letter to data subjects ([`subject_letter`]).
//!
//! Every text of the draft and the letter is an `ap-…` key of `locales/*/art33.ftl`
//! ([`texts`]). This file holds the few words every part shares: the text of a key,
//! an instant in Amsterdam time and UTC, a grouped number.
//!
//! Pure: no IO; `now` is a parameter.

mod assemble;
mod context;
mod draft;
mod fill;
mod follow_up;
mod form;
mod letter;
mod missing;
mod text;

use chrono::{DateTime, Utc};

use super::local_time;
use super::locale::Locale;
use super::texts;

pub use assemble::build;
pub use draft::{
    Answer, ApDraft, Change, Chapter, Completeness, DraftInput, DraftKind, HEADER, PreviousNotification,
    Provenance,
};
pub use form::{ChapterSpec, FORM, Question, QuestionKey};
pub use letter::{SubjectLetter, letter_locales, subject_letter, subject_letters};
pub use missing::{MissingAnswer, Standing, missing_answers, standing};
pub use text::{render_document, render_letters_text, render_text};

/// The text `key` in `locale` (the `ap-…` keys of `locales/*/art33.ftl`).
fn tr(locale: Locale, key: &'static str) -> &'static str {
    texts::text(locale, key)
}

/// The text `key` in `locale` with its variables filled from `args`.
fn tr_with(locale: Locale, key: &'static str, args: &[(&str, &str)]) -> String {
    texts::text_with(locale, key, args)
}

/// "do 18 jun 2026 09:00 CEST (UTC+02:00) = 2026-06-18 07:00 UTC".
fn when(t: DateTime<Utc>, locale: Locale) -> String {
    format!("{} = {}", local_time::format_local_with_offset(t, locale), local_time::format_utc(t))
}

/// 48000 → "48.000" (nl) or "48,000" (en).
fn grouped(value: u64, locale: Locale) -> String {
    let digits = value.to_string();
    let separator = tr(locale, "ap-draft-thousands-separator");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
