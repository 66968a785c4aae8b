//! The draft AP notification as data (`docs/REGULATION.md` §8): the [`ApDraft`] with its chapters and
//! [`Answer`]s, where each answer's value comes from ([`Provenance`]: recorded, derived or missing),
//! the kind of draft ([`DraftKind`]) that follows the AP notification on record, how many required
//! answers it has ([`Completeness`]), and what a draft is built from ([`DraftInput`]). How the answers
//! are found is in `fill.rs` and `follow_up.rs`; how the draft is put together in `assemble.rs`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::form::QuestionKey;
use crate::domain::directory::Client;
use crate::domain::escalation::EscalationPolicy;
use crate::domain::incident::{Incident, State};
use crate::domain::locale::Locale;
use crate::domain::texts;

/// The key of the draft's header: it is a draft and is filed only through the AP's own form (in
/// English the Dutch marker comes with its translation).
pub const HEADER: &str = "ap-draft-header";

/// Where an answer's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Recorded on the incident (the register).
    Recorded,
    /// Derived from other data (client record, severity, clock, the processor's role): the DPO must
    /// confirm it.
    Derived,
    /// Not known (or, for 7.3 with an open end, incomplete).
    Missing,
}

impl Provenance {
    /// Whether a value with this provenance counts as an answer (recorded or derived).
    pub fn is_answer(self) -> bool {
        self != Provenance::Missing
    }
}

/// What the draft is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftKind {
    /// The first notification (or a breach not notified: the register's draft).
    Initial,
    /// A supplement to a notification on record (art. 33(4)).
    Supplement,
    /// The withdrawal of a notification on record.
    Withdrawal,
}

impl DraftKind {
    /// "Eerste melding" / "Initial notification", and so on.
    pub fn label(self, locale: Locale) -> &'static str {
        let key = match self {
            DraftKind::Initial => "ap-draft-kind-initial",
            DraftKind::Supplement => "ap-draft-kind-supplement",
            DraftKind::Withdrawal => "ap-draft-kind-withdrawal",
        };
        texts::text(locale, key)
    }

    /// The kind of draft from the notification on record.
    pub(super) fn of(incident: &Incident) -> DraftKind {
        match (&incident.ap, incident.withdrawn_at) {
            (Some(_), Some(_)) if matches!(incident.state, State::ApWithdrawn | State::Closed) => {
                DraftKind::Withdrawal
            }
            // Re-opened after a withdrawal: a new notification.
            (Some(_), Some(_)) | (None, _) => DraftKind::Initial,
            (Some(_), None) => DraftKind::Supplement,
        }
    }
}

/// The answer to one question of the AP form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The question's key (see [`Question::key`](super::Question::key)).
    pub key: QuestionKey,
    /// The AP's question number ("4.5"); empty for the closing remarks.
    pub number: &'static str,
    /// The question in the draft's locale.
    pub question: String,
    /// The question in Dutch, as on the AP form.
    pub question_nl: &'static str,
    /// The answer, ready to paste; `None` when missing. An incomplete answer (7.3 with an open end)
    /// has a value and provenance `missing`.
    pub value: Option<String>,
    /// Where the value comes from.
    pub provenance: Provenance,
    /// Whether art33 must supply this answer for the draft to be complete (the art. 33(3) core and
    /// everything art33 records; 4.5 only once late). Questions art33 never records and questions
    /// that do not apply are not required.
    pub required: bool,
    /// art33 never records this: answer it in the AP form itself.
    pub on_form_only: bool,
    /// Explanation for the DPO (not for the AP form).
    pub note: Option<String>,
}

impl Answer {
    /// "4.5 Indien later dan 72 uur gemeld: waarom?" in the draft's locale.
    pub fn label(&self) -> String {
        super::form::numbered(self.number, &self.question)
    }

    /// Whether the answer counts as given (recorded or derived).
    pub fn is_answered(&self) -> bool {
        self.provenance.is_answer()
    }
}

/// A chapter of the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chapter {
    /// The chapter number; empty for the closing remarks.
    pub number: &'static str,
    /// The title in the draft's locale.
    pub title: String,
    /// The title in Dutch.
    pub title_nl: &'static str,
    /// The answers, in form order.
    pub answers: Vec<Answer>,
}

/// How complete the draft is: of every question the AP form asks for this incident, how many art33
/// must answer ([`total`](Completeness::total), the percentage's base) and has answered, and how many
/// only the AP form itself can take (attachments, notifications to other supervisors), which the
/// DPO types in there. Questions that do not apply to the incident (4.5 while on time, the
/// follow-ups of 10.1 that another answer rules out) and optional ones are not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Completeness {
    /// Required answers that are recorded or derived.
    pub answered: usize,
    /// Required answers: the questions art33 must answer.
    pub total: usize,
    /// `answered * 100 / total`, rounded down (100 when nothing is required).
    pub percent: u8,
    /// Every question the AP form asks for this incident: `total` plus `on_form_only`.
    pub asked: usize,
    /// The questions only the AP form can take: to be typed into the form itself.
    pub on_form_only: usize,
}

impl Completeness {
    /// Counts the answers given as `(required, on_form_only, provenance)`: what
    /// [`ApDraft::completeness`] and [`completeness`](super::completeness) both report.
    pub(super) fn count(answers: impl IntoIterator<Item = (bool, bool, Provenance)>) -> Completeness {
        let (mut answered, mut total, mut on_form_only) = (0, 0, 0);
        for (required, form_only, provenance) in answers {
            if required {
                total += 1;
                answered += usize::from(provenance.is_answer());
            } else if form_only {
                on_form_only += 1;
            }
        }
        let percent = (answered * 100).checked_div(total).map_or(100, |p| u8::try_from(p).unwrap_or(100));
        Completeness { answered, total, percent, asked: total + on_form_only, on_form_only }
    }

    /// Whether art33 has every answer it must give: what is left is only what the AP form itself
    /// takes.
    pub fn is_complete(&self) -> bool {
        self.answered == self.total
    }
}

/// One answer that differs from the last notified version (supplement drafts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The AP's question number.
    pub number: &'static str,
    /// The question in the draft's locale.
    pub question: String,
    /// The value as last notified.
    pub before: Option<String>,
    /// The value now.
    pub after: Option<String>,
}

/// The AP notification on record, for supplement and withdrawal drafts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviousNotification {
    /// The AP's reference.
    pub ap_reference: String,
    /// When the initial notification was submitted.
    pub notified_at: DateTime<Utc>,
    /// The same in Amsterdam time and UTC.
    pub notified_local: String,
    /// Filed as preliminary.
    pub preliminary: bool,
    /// Supplements since.
    pub supplements: usize,
    /// When the last notified version was filed: the last supplement, else the notification.
    pub last_version_at: DateTime<Utc>,
    /// The same in Amsterdam time and UTC.
    pub last_version_local: String,
    /// When the notification was withdrawn.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// The same in Amsterdam time and UTC.
    pub withdrawn_local: Option<String>,
}

/// The draft AP notification. Serialises (serde) as the JSON of `GET …/ap-report`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApDraft {
    /// The text [`HEADER`] in the draft's language.
    pub header: String,
    /// The incident's reference (`ACME-2026-0007`).
    pub reference: String,
    /// The controller's name.
    pub controller: String,
    /// Initial, supplement or withdrawal.
    pub kind: DraftKind,
    /// The kind in the draft's locale.
    pub kind_label: String,
    /// Whether an AP notification is required as decided so far: `false` when the breach was
    /// decided not notifiable, dismissed, or the notification withdrawn.
    pub required: bool,
    /// Why (not) required, or the proposal that the DPO still has to decide on.
    pub required_note: Option<String>,
    /// The draft's language.
    pub locale: Locale,
    /// When the draft was made.
    pub generated_at: DateTime<Utc>,
    /// The same in Amsterdam time and UTC.
    pub generated_local: String,
    /// The legal deadline (controller awareness + 72 h), once confirmed.
    pub deadline_at: Option<DateTime<Utc>>,
    /// The same in Amsterdam time (with offset) and UTC.
    pub deadline_local: Option<String>,
    /// The notification was (or, not yet made, would now be) after the deadline: 4.5 is required.
    pub late: bool,
    /// How late, in words, when late.
    pub late_by: Option<String>,
    /// How many required answers are given.
    pub completeness: Completeness,
    /// The required answers still missing, as "4.5 …" labels: 4.5 first, then form order.
    pub missing: Vec<String>,
    /// The required answers that are derived, which the DPO must confirm, in form order.
    pub to_confirm: Vec<String>,
    /// The questions only the AP form can take (art33 never records them), in form order.
    pub fill_in_on_form: Vec<String>,
    /// The notification on record (supplement and withdrawal drafts, or a re-opened breach).
    pub previous: Option<PreviousNotification>,
    /// Supplement drafts: the answers that differ from the last notified version, in form order.
    pub changes: Vec<Change>,
    /// Withdrawal drafts: why the notification was withdrawn.
    pub withdrawal_reason: Option<String>,
    /// Every question of the form, by chapter, in form order.
    pub chapters: Vec<Chapter>,
}

impl ApDraft {
    /// Every answer, in form order.
    pub fn answers(&self) -> impl Iterator<Item = &Answer> {
        self.chapters.iter().flat_map(|c| c.answers.iter())
    }

    /// The answer to the question `key`.
    pub fn answer(&self, key: QuestionKey) -> Option<&Answer> {
        self.answers().find(|a| a.key == key)
    }

    /// The required questions without an answer, in form order (as
    /// [`standing`](super::standing) finds them without writing the draft).
    pub fn unanswered(&self) -> Vec<QuestionKey> {
        self.answers().filter(|a| a.required && !a.is_answered()).map(|a| a.key).collect()
    }
}

/// What a draft is built from.
#[derive(Debug, Clone, Copy)]
pub struct DraftInput<'a> {
    /// The incident.
    pub incident: &'a Incident,
    /// Its client: the controller, with its profile ([`Client::profile`]), which answers chapter 3,
    /// says which authority leads (2.1.1, 2.2.1) and in which languages data subjects are written to.
    pub client: &'a Client,
    /// The processor's name for 3.3 ("GX Software").
    pub processor_name: &'a str,
    /// The instant the draft is made.
    pub now: DateTime<Utc>,
    /// The escalation policy (its notification window).
    pub policy: &'a EscalationPolicy,
    /// The draft's language.
    pub locale: Locale,
}
