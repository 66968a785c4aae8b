//! The draft AP notification (the form and how it is filled: `docs/REGULATION.md` §8) and the draft
//! letter to data subjects (art. 34(2) GDPR).
//!
//! [`build`] answers every question of the AP's *meldformulier datalekken* (2022 numbering, in form
//! order) from the incident. Each [`Answer`] says where its value comes from ([`Provenance`]):
//! `recorded` on the incident, `derived` from other data (the DPO must confirm it) or `missing`. The
//! draft starts with what is missing, then what must be confirmed, then what only the AP form can
//! take, and carries the header [`HEADER_NL`]: art33 never files anything with the AP.
//!
//! Rules (the law behind them: `docs/REGULATION.md` §3–§6):
//! * 4.5 (reasons for delay) is required and listed first among the missing answers once the
//!   deadline has passed: the recorded notification was late, or, while the breach is confirmed and
//!   not yet notified, `now` is after the deadline.
//! * 3.3 names the processor (GX) as *verwerker*.
//! * 7.3 is a single number when minimum and maximum agree, "min – max" otherwise; an open end
//!   ("10 – ?") is shown but counts as missing.
//! * 9.3 is the AP level of the ENISA band ([`Band::ap_level_nl`]), derived.
//! * The kind of draft ([`DraftKind`]) follows the AP notification on record: an initial
//!   notification, a supplement (with what changed since the last notified version) or a
//!   withdrawal (with its reason). A breach decided not notifiable or dismissed still gets a draft,
//!   for the register, marked not required.
//!
//! [`subject_letter`] drafts the communication to data subjects when the severity proposes informing
//! them. [`missing_answers`] is the short list the alert mails use.
//!
//! Pure: no IO; `now` is a parameter.

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use super::deadline::Clock;
use super::directory::Client;
use super::escalation::EscalationPolicy;
use super::incident::{ApNotification, Facts, Incident, State, SubjectsDecision};
use super::local_time;
use super::locale::Locale;
use super::severity::{Band, Override, Severity};
use super::vocabulary::{
    self, BreachType, Channel, CodeList, DataCategory, IncidentKind, Nature, SubjectGroup, SubjectsGround,
};

/// The draft's header in Dutch: it is a draft and is filed only through the AP's own form.
pub const HEADER_NL: &str = "CONCEPT — niet ingediend bij de AP. Indienen uitsluitend via https://datalekken.autoriteitpersoonsgegevens.nl";

/// The draft's header in the `en` locale: the Dutch marker with its English translation.
pub const HEADER_EN: &str = "CONCEPT — niet ingediend bij de AP (DRAFT — not submitted to the AP). Submit only via https://datalekken.autoriteitpersoonsgegevens.nl";

// ---------------------------------------------------------------------------------------------
// The form as data
// ---------------------------------------------------------------------------------------------

/// One question of the AP form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// Stable, unique key: the number, except for the two "10.1.x" questions
    /// (`10.1.x-why-not`, `10.1.x-public`) and the closing remarks (`other`).
    pub key: &'static str,
    /// The AP's number as shown ("4.5", "3.1.1a", "10.1.x"); empty for the closing remarks.
    pub number: &'static str,
    /// Dutch label (`docs/REGULATION.md` §8 and §10 say where the wording comes from).
    pub nl: &'static str,
    /// English label.
    pub en: &'static str,
}

/// One chapter of the AP form with its questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChapterSpec {
    /// The chapter number ("4"); empty for the closing remarks.
    pub number: &'static str,
    /// Dutch title.
    pub nl: &'static str,
    /// English title.
    pub en: &'static str,
    /// The questions, in form order.
    pub questions: &'static [Question],
}

const fn q(key: &'static str, number: &'static str, nl: &'static str, en: &'static str) -> Question {
    Question { key, number, nl, en }
}

/// The AP form of August 2022 as art33 fills it in (`docs/REGULATION.md` §8), in form order. Question 4.4 is
/// left out (its content is unknown; OpenVWR skips it too), and so is the Wbp-era "8.x".
pub const FORM: &[ChapterSpec] = &[
    ChapterSpec {
        number: "1",
        nl: "Introductie",
        en: "Introduction",
        questions: &[
            q(
                "1.1",
                "1.1",
                "Wat voor soort melding wilt u doen?",
                "What kind of notification do you want to make?",
            ),
            q(
                "1.2",
                "1.2",
                "Op grond van welke wettelijke bepaling doet u deze melding?",
                "Under which legal provision do you make this notification?",
            ),
            q(
                "1.3",
                "1.3",
                "Heeft u de inbreuk gemeld bij toezichthouders op andere meldplichten?",
                "Have you notified the breach to supervisors under other notification duties?",
            ),
        ],
    },
    ChapterSpec {
        number: "2",
        nl: "Internationale aspecten",
        en: "International aspects",
        questions: &[
            q(
                "2.1.1",
                "2.1.1",
                "Heeft de inbreuk gevolgen voor personen in meerdere landen?",
                "Does the breach affect people in several countries?",
            ),
            q(
                "2.2.1",
                "2.2.1",
                "Heeft uw organisatie de inbreuk gemeld bij andere privacytoezichthouders?",
                "Has your organisation notified the breach to other data-protection authorities?",
            ),
        ],
    },
    ChapterSpec {
        number: "3",
        nl: "De verwerkingsverantwoordelijke",
        en: "The controller",
        questions: &[
            q(
                "3.1.1a",
                "3.1.1a",
                "Naam van het bedrijf of de organisatie",
                "Name of the company or organisation",
            ),
            q("3.1.1b", "3.1.1b", "Verwerkingsverantwoordelijke(n)", "Controller(s)"),
            q("3.1.1c", "3.1.1c", "Adres, postcode en plaats", "Address, postcode and town"),
            q(
                "3.1.1d",
                "3.1.1d",
                "Registratienummer van de FG",
                "Registration number of the DPO (at the AP)",
            ),
            q("3.1.1e", "3.1.1e", "KvK-nummer", "Chamber of Commerce (KvK) number"),
            q(
                "3.1.2",
                "3.1.2",
                "In welke sector is de organisatie actief?",
                "In which sector is the organisation active?",
            ),
            q(
                "3.2.1",
                "3.2.1",
                "Wie meldt de inbreuk? (naam, functie, e-mailadres, telefoonnummer)",
                "Who is notifying the breach? (name, position, e-mail address, telephone number)",
            ),
            q(
                "3.2.2",
                "3.2.2",
                "Contactpersoon voor de AP, indien afwijkend van de melder",
                "Contact person for the AP, if different from the notifier",
            ),
            q(
                "3.3",
                "3.3",
                "Waren er andere organisaties betrokken bij de inbreuk?",
                "Were other organisations involved in the breach?",
            ),
        ],
    },
    ChapterSpec {
        number: "4",
        nl: "Tijdlijn",
        en: "Timeline",
        questions: &[
            q(
                "4.1.1",
                "4.1.1",
                "(Mogelijke) startdatum van de inbreuk",
                "(Possible) start date of the breach",
            ),
            q("4.1.2", "4.1.2", "(Mogelijke) einddatum van de inbreuk", "(Possible) end date of the breach"),
            q("4.2", "4.2", "Wanneer is het incident ontdekt?", "When was the incident discovered?"),
            q(
                "4.3",
                "4.3",
                "Geef (kort) aan hoe u de inbreuk heeft ontdekt",
                "Describe (briefly) how you discovered the breach",
            ),
            q(
                "4.5",
                "4.5",
                "Indien later dan 72 uur gemeld: waarom?",
                "If notified later than 72 hours: why?",
            ),
        ],
    },
    ChapterSpec {
        number: "5",
        nl: "Gegevens over de inbreuk",
        en: "About the breach",
        questions: &[
            q(
                "5.1",
                "5.1",
                "Aard van de inbreuk (vertrouwelijkheid, integriteit, beschikbaarheid)",
                "Nature of the breach (confidentiality, integrity, availability)",
            ),
            q("5.2", "5.2", "Aard van het incident", "Nature of the incident"),
            q("5.3", "5.3", "Beschrijving van het incident", "Description of the incident"),
            q("5.4", "5.4", "Ondersteunende documentatie", "Supporting documentation"),
        ],
    },
    ChapterSpec {
        number: "6",
        nl: "Welke persoonsgegevens",
        en: "Which personal data",
        questions: &[
            q("6.1", "6.1", "Persoonsgegevens in het algemeen", "Personal data in general"),
            q(
                "6.2",
                "6.2",
                "Bijzondere categorieën van persoonsgegevens",
                "Special categories of personal data",
            ),
            q(
                "6.3.1",
                "6.3.1",
                "Hoeveel gegevensrecords zijn getroffen?",
                "How many data records were affected?",
            ),
        ],
    },
    ChapterSpec {
        number: "7",
        nl: "Getroffen personen",
        en: "Data subjects",
        questions: &[
            q(
                "7.1",
                "7.1",
                "Welke groep(en) betrokkenen zijn getroffen?",
                "Which group(s) of data subjects were affected?",
            ),
            q(
                "7.2",
                "7.2",
                "Nadere omschrijving van de groep(en) betrokkenen",
                "Further description of the group(s) of data subjects",
            ),
            q(
                "7.3",
                "7.3",
                "Aantal betrokkenen (exact, of minimum en maximum)",
                "Number of people affected (exact, or minimum and maximum)",
            ),
        ],
    },
    ChapterSpec {
        number: "8",
        nl: "Maatregelen vooraf",
        en: "Measures before the breach",
        questions: &[q(
            "8.1",
            "8.1",
            "Waren de persoonsgegevens op het moment dat de inbreuk zich voordeed versleuteld, gecodeerd of op een andere manier onbegrijpelijk of ontoegankelijk voor onbevoegden?",
            "Were the personal data, when the breach occurred, encrypted, coded or otherwise unintelligible or inaccessible to unauthorised persons?",
        )],
    },
    ChapterSpec {
        number: "9",
        nl: "Gevolgen",
        en: "Consequences",
        questions: &[
            q(
                "9.1",
                "9.1",
                "(Mogelijke) gevolgen voor de verwerkingsverantwoordelijke en de persoonsgegevens",
                "(Possible) consequences for the controller and the personal data",
            ),
            q(
                "9.2",
                "9.2",
                "(Mogelijke) gevolgen voor de betrokkene(n)",
                "(Possible) consequences for the data subject(s)",
            ),
            q("9.3", "9.3", "Inschatting ernst", "Estimate of the severity"),
        ],
    },
    ChapterSpec {
        number: "10",
        nl: "Vervolgacties",
        en: "Follow-up",
        questions: &[
            q(
                "10.1.1",
                "10.1.1",
                "Heeft u de inbreuk gemeld aan de betrokkene(n)?",
                "Have you informed the data subject(s) of the breach?",
            ),
            q(
                "10.1.x-why-not",
                "10.1.x",
                "Waarom ziet u af van het melden van het datalek aan de betrokkenen? Licht uw keuze toe.",
                "Why do you refrain from informing the data subjects of the breach? Explain your choice.",
            ),
            q(
                "10.1.x-public",
                "10.1.x",
                "Als het informeren van alle betrokkenen een onevenredige inspanning zou vergen, licht dan toe hoe u door een openbare mededeling of een soortgelijke maatregel de betrokkenen gaat informeren.",
                "If informing every data subject would involve disproportionate effort, explain how you will inform them by a public communication or a similar measure.",
            ),
            q(
                "10.1.3",
                "10.1.3",
                "Aan hoeveel personen heeft u de inbreuk gemeld?",
                "How many people have you informed of the breach?",
            ),
            q(
                "10.1.7",
                "10.1.7",
                "Op welke wijze zijn de betrokkenen geïnformeerd?",
                "How were the data subjects informed?",
            ),
            q("10.2", "10.2", "Welke maatregelen heeft u getroffen?", "What measures have you taken?"),
        ],
    },
    ChapterSpec {
        number: "",
        nl: "Overig",
        en: "Other",
        questions: &[q("other", "", "Overig", "Other remarks")],
    },
];

// ---------------------------------------------------------------------------------------------
// The draft
// ---------------------------------------------------------------------------------------------

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
        match (self, locale) {
            (DraftKind::Initial, Locale::Nl) => "Eerste melding",
            (DraftKind::Initial, Locale::En) => "Initial notification",
            (DraftKind::Supplement, Locale::Nl) => "Aanvulling op een eerdere melding",
            (DraftKind::Supplement, Locale::En) => "Supplement to an earlier notification",
            (DraftKind::Withdrawal, Locale::Nl) => "Intrekking van een melding",
            (DraftKind::Withdrawal, Locale::En) => "Withdrawal of a notification",
        }
    }
}

/// The answer to one question of the AP form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// Stable, unique key (see [`Question::key`]).
    pub key: &'static str,
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
        if self.number.is_empty() {
            self.question.clone()
        } else {
            format!("{} {}", self.number, self.question)
        }
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

/// How many of the required answers the draft has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Completeness {
    /// Required answers that are recorded or derived.
    pub answered: usize,
    /// Required answers.
    pub total: usize,
    /// `answered * 100 / total`, rounded down (100 when nothing is required).
    pub percent: u8,
}

impl Completeness {
    /// Counts the answers given as `(required, provenance)`: what [`ApDraft::completeness`] and
    /// [`completeness`] both report.
    fn count(answers: impl IntoIterator<Item = (bool, Provenance)>) -> Completeness {
        let (mut answered, mut total) = (0, 0);
        for (required, provenance) in answers {
            if required {
                total += 1;
                answered += usize::from(provenance.is_answer());
            }
        }
        let percent = (answered * 100).checked_div(total).map_or(100, |p| u8::try_from(p).unwrap_or(100));
        Completeness { answered, total, percent }
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
    /// [`HEADER_NL`] or [`HEADER_EN`].
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

    /// The answer with `key` (see [`Question::key`]).
    pub fn answer(&self, key: &str) -> Option<&Answer> {
        self.answers().find(|a| a.key == key)
    }
}

/// What a draft is built from.
#[derive(Debug, Clone, Copy)]
pub struct DraftInput<'a> {
    /// The incident.
    pub incident: &'a Incident,
    /// Its client: the controller.
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

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

/// Everything besides the facts that answers depend on.
struct Ctx<'a> {
    input: &'a DraftInput<'a>,
    locale: Locale,
    clock: Clock,
    severity: Option<Severity>,
    kind: DraftKind,
    late: bool,
    window_hours: u32,
    /// Whether the instants in values and notes are written out; [`completeness`] only needs each
    /// answer's provenance and whether it is required, which never depend on those texts.
    instants: bool,
}

impl<'a> Ctx<'a> {
    fn new(input: &'a DraftInput<'a>, instants: bool) -> Ctx<'a> {
        let incident = input.incident;
        let clock = Clock::of(incident, input.now, input.policy);
        let kind = kind_of(incident);
        let late = match (clock.deadline_at, kind, &incident.ap) {
            (None, _, _) => false,
            (Some(d), DraftKind::Supplement | DraftKind::Withdrawal, Some(ap)) => ap.notified_at > d,
            // Not yet notified: late once the deadline has passed while the breach awaits notification.
            (Some(d), _, _) => incident.state == State::Confirmed && input.now > d,
        };
        let window_hours = incident.controller_aware_at.map_or(input.policy.window_hours, |aware| {
            super::deadline::LegalWindow::window_hours_at(input.policy, aware)
        });
        Ctx {
            input,
            locale: input.locale,
            clock,
            severity: incident.severity(),
            kind,
            late,
            window_hours,
            instants,
        }
    }

    fn t(&self, nl: &'static str, en: &'static str) -> &'static str {
        tr(self.locale, nl, en)
    }

    fn when(&self, t: DateTime<Utc>) -> String {
        if self.instants { when(t, self.locale) } else { String::new() }
    }

    fn incident(&self) -> &Incident {
        self.input.incident
    }

    /// The instant the notification was or would be made: the recorded one, else now.
    fn notification_instant(&self) -> DateTime<Utc> {
        match (self.kind, &self.incident().ap) {
            (DraftKind::Supplement | DraftKind::Withdrawal, Some(ap)) => ap.notified_at,
            _ => self.input.now,
        }
    }
}

fn tr(locale: Locale, nl: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Nl => nl,
        Locale::En => en,
    }
}

/// "do 18 jun 2026 09:00 CEST (UTC+02:00) = 2026-06-18 07:00 UTC".
fn when(t: DateTime<Utc>, locale: Locale) -> String {
    format!("{} = {}", local_time::format_local_with_offset(t, locale), local_time::format_utc(t))
}

/// 48000 → "48.000" (nl) or "48,000" (en).
fn grouped(value: u64, locale: Locale) -> String {
    let digits = value.to_string();
    let separator = tr(locale, ".", ",");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

fn labels<T: CodeList>(values: &[T], locale: Locale) -> String {
    values.iter().map(|v| v.label(locale)).collect::<Vec<_>>().join("; ")
}

/// The fill of one answer before the question's labels are attached.
struct Fill {
    value: Option<String>,
    provenance: Provenance,
    required: bool,
    on_form_only: bool,
    note: Option<String>,
}

impl Fill {
    fn recorded(value: impl Into<String>) -> Fill {
        Fill {
            value: Some(value.into()),
            provenance: Provenance::Recorded,
            required: true,
            on_form_only: false,
            note: None,
        }
    }

    fn derived(value: impl Into<String>) -> Fill {
        Fill { provenance: Provenance::Derived, ..Fill::recorded(value) }
    }

    fn missing() -> Fill {
        Fill { value: None, provenance: Provenance::Missing, required: true, on_form_only: false, note: None }
    }

    fn of(value: Option<&String>) -> Fill {
        value.map_or_else(Fill::missing, |v| Fill::recorded(v.clone()))
    }

    /// A question art33 never records.
    fn form_only(ctx: &Ctx<'_>, what: &str) -> Fill {
        let lead = ctx.t("Vul in in het AP-formulier", "Fill in on the AP form");
        let note = if what.is_empty() { format!("{lead}.") } else { format!("{lead}: {what}") };
        Fill { required: false, on_form_only: true, ..Fill::missing() }.note(note)
    }

    fn optional(self) -> Fill {
        Fill { required: false, ..self }
    }

    fn note(self, note: impl Into<String>) -> Fill {
        Fill { note: Some(note.into()), ..self }
    }
}

/// The kind of draft from the notification on record.
fn kind_of(incident: &Incident) -> DraftKind {
    match (&incident.ap, incident.withdrawn_at) {
        (Some(_), Some(_)) if matches!(incident.state, State::ApWithdrawn | State::Closed) => {
            DraftKind::Withdrawal
        }
        // Re-opened after a withdrawal: a new notification.
        (Some(_), Some(_)) | (None, _) => DraftKind::Initial,
        (Some(_), None) => DraftKind::Supplement,
    }
}

/// How many required answers the draft of `input.incident` at `input.now` has: the same as
/// `build(input).completeness`, without writing the draft (the dashboard shows it for every running
/// clock).
pub fn completeness(input: &DraftInput<'_>) -> Completeness {
    let ctx = Ctx::new(input, false);
    let facts = &input.incident.facts;
    Completeness::count(FORM.iter().flat_map(|spec| spec.questions).map(|question| {
        let fill = fill(&ctx, facts, question.key);
        (fill.required, fill.provenance)
    }))
}

/// Builds the draft AP notification of `input.incident` at `input.now`.
pub fn build(input: &DraftInput<'_>) -> ApDraft {
    let incident = input.incident;
    let locale = input.locale;
    let ctx = Ctx::new(input, true);
    let (clock, kind, late) = (ctx.clock, ctx.kind, ctx.late);

    let chapters = chapters(&ctx, &incident.facts);
    let answers: Vec<&Answer> = chapters.iter().flat_map(|c| c.answers.iter()).collect();
    let completeness = Completeness::count(answers.iter().map(|a| (a.required, a.provenance)));

    let mut missing_answers: Vec<&Answer> =
        answers.iter().copied().filter(|a| a.required && !a.is_answered()).collect();
    // 4.5 first: once late it is what blocks the notification.
    missing_answers.sort_by_key(|a| a.key != "4.5");
    let missing = missing_answers.iter().map(|a| a.label()).collect();
    let to_confirm = answers
        .iter()
        .filter(|a| a.required && a.provenance == Provenance::Derived)
        .map(|a| a.label())
        .collect();
    let fill_in_on_form = answers.iter().filter(|a| a.on_form_only).map(|a| a.label()).collect();

    let changes = match (kind, &incident.notified_snapshot) {
        (DraftKind::Supplement, Some(snapshot)) => changes(&chapters, &self::chapters(&ctx, snapshot)),
        _ => Vec::new(),
    };

    let (required, required_note) = requirement(&ctx);
    let late_by = match (late, clock.deadline_at) {
        (true, Some(d)) => {
            Some(local_time::format_duration((ctx.notification_instant() - d).num_seconds(), locale))
        }
        _ => None,
    };

    ApDraft {
        header: tr(locale, HEADER_NL, HEADER_EN).to_string(),
        reference: incident.reference.clone(),
        controller: input.client.name.clone(),
        kind,
        kind_label: kind.label(locale).to_string(),
        required,
        required_note,
        locale,
        generated_at: input.now,
        generated_local: when(input.now, locale),
        deadline_at: clock.deadline_at,
        deadline_local: clock.deadline_at.map(|d| when(d, locale)),
        late,
        late_by,
        completeness,
        missing,
        to_confirm,
        fill_in_on_form,
        previous: incident.ap.as_ref().map(|ap| previous(incident, ap, locale)),
        changes,
        withdrawal_reason: match kind {
            DraftKind::Withdrawal => incident.withdraw_reason.clone(),
            _ => None,
        },
        chapters,
    }
}

fn previous(incident: &Incident, ap: &ApNotification, locale: Locale) -> PreviousNotification {
    let last_version_at = incident.supplements.last().map_or(ap.notified_at, |s| s.at);
    PreviousNotification {
        ap_reference: ap.reference.clone(),
        notified_at: ap.notified_at,
        notified_local: when(ap.notified_at, locale),
        preliminary: ap.preliminary,
        supplements: incident.supplements.len(),
        last_version_at,
        last_version_local: when(last_version_at, locale),
        withdrawn_at: incident.withdrawn_at,
        withdrawn_local: incident.withdrawn_at.map(|t| when(t, locale)),
    }
}

/// Whether a notification is required as decided so far, and why (not).
fn requirement(ctx: &Ctx<'_>) -> (bool, Option<String>) {
    let incident = ctx.incident();
    let text = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".to_string());
    let not_notifiable = || {
        (
            false,
            Some(format!(
                "{}: {}",
                ctx.t("Niet meldplichtig", "Not notifiable"),
                text(&incident.not_notifiable_justification)
            )),
        )
    };
    let dismissed = || {
        (
            false,
            Some(format!(
                "{}: {}",
                ctx.t("Geen datalek", "No personal-data breach"),
                text(&incident.dismiss_reason)
            )),
        )
    };
    if ctx.kind == DraftKind::Withdrawal {
        // The date and the reason have fields of their own (`previous`, `withdrawal_reason`).
        return (
            false,
            Some(ctx.t("De melding is ingetrokken.", "The notification was withdrawn.").to_string()),
        );
    }
    match incident.state {
        State::NotNotifiable => not_notifiable(),
        State::Dismissed => dismissed(),
        State::Closed if incident.ap.is_none() => {
            if incident.not_notifiable_justification.is_some() {
                not_notifiable()
            } else {
                dismissed()
            }
        }
        State::Reported => (
            true,
            Some(
                ctx.t(
                    "Nog niet bevestigd als datalek; de termijn van 72 uur loopt nog niet.",
                    "Not yet confirmed as a personal-data breach; the 72-hour clock has not started.",
                )
                .to_string(),
            ),
        ),
        State::Confirmed if ctx.severity.as_ref().is_some_and(|s| !s.proposed_ap) => (
            true,
            Some(
                ctx.t(
                    "Voorstel op basis van de ernstinschatting: niet meldplichtig (alleen register). De FG beslist.",
                    "Proposal from the severity assessment: not notifiable (register only). The DPO decides.",
                )
                .to_string(),
            ),
        ),
        _ => (true, None),
    }
}

/// The answers that differ between `before` (the last notified version) and `now`.
fn changes(now: &[Chapter], before: &[Chapter]) -> Vec<Change> {
    let old: Vec<&Answer> = before.iter().flat_map(|c| c.answers.iter()).collect();
    now.iter()
        .flat_map(|c| c.answers.iter())
        .filter_map(|a| {
            let previous = old.iter().find(|o| o.key == a.key)?;
            (previous.value != a.value).then(|| Change {
                number: a.number,
                question: a.question.clone(),
                before: previous.value.clone(),
                after: a.value.clone(),
            })
        })
        .collect()
}

fn chapters(ctx: &Ctx<'_>, facts: &Facts) -> Vec<Chapter> {
    FORM.iter()
        .map(|spec| Chapter {
            number: spec.number,
            title: tr(ctx.locale, spec.nl, spec.en).to_string(),
            title_nl: spec.nl,
            answers: spec
                .questions
                .iter()
                .map(|question| {
                    let fill = fill(ctx, facts, question.key);
                    Answer {
                        key: question.key,
                        number: question.number,
                        question: tr(ctx.locale, question.nl, question.en).to_string(),
                        question_nl: question.nl,
                        value: fill.value,
                        provenance: fill.provenance,
                        required: fill.required,
                        on_form_only: fill.on_form_only,
                        note: fill.note,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The answer to question `key` from `facts` and the rest of the incident.
fn fill(ctx: &Ctx<'_>, f: &Facts, key: &str) -> Fill {
    let locale = ctx.locale;
    let incident = ctx.incident();
    let client = ctx.input.client;
    match key {
        "1.1" => Fill::derived(ctx.t(
            "Ik wil één inbreuk melden (reguliere melding)",
            "I want to notify one breach (regular notification)",
        )),
        "1.2" => Fill::derived(ctx.t(
            "AVG (Algemene verordening gegevensbescherming)",
            "GDPR (AVG, the General Data Protection Regulation)",
        )),
        "1.3" => Fill::form_only(
            ctx,
            ctx.t(
                "art33 legt meldingen aan andere toezichthouders (zoals DNB of het NCSC) niet vast.",
                "art33 does not record notifications to other supervisors (such as DNB or the NCSC).",
            ),
        ),
        "2.1.1" if f.cross_border_states.is_empty() => Fill::derived(ctx.t(
            "Nee (geen andere lidstaten vastgelegd)",
            "No (no other member states recorded)",
        )),
        "2.1.1" => {
            Fill::recorded(format!("{}: {}", ctx.t("Ja", "Yes"), f.cross_border_states.join(", ")))
        }
        "2.2.1" if f.cross_border_states.is_empty() => Fill::derived(ctx.t("Nee", "No")),
        "2.2.1" => Fill::form_only(
            ctx,
            ctx.t(
                "grensoverschrijdend: meld bij de leidende toezichthouder en vermeld hier welke andere toezichthouders een melding kregen.",
                "cross-border: notify the lead authority and state here which other authorities were notified.",
            ),
        ),
        "3.1.1a" => Fill::derived(client.name.clone()),
        "3.1.1b" => Fill::derived(format!(
            "{} ({})",
            client.name,
            ctx.t("verwerkingsverantwoordelijke", "controller")
        )),
        "3.1.1c" | "3.1.1d" | "3.1.1e" | "3.1.2" => Fill::form_only(ctx, ""),
        "3.2.1" => Fill::form_only(
            ctx,
            ctx.t(
                "naam, functie, e-mailadres en telefoonnummer van wie meldt zijn alle verplicht.",
                "the notifier's name, position, e-mail address and telephone number are all mandatory.",
            ),
        ),
        "3.2.2" => {
            let email = client.dpo_email.trim();
            let role = ctx.t("functionaris voor gegevensbescherming", "data protection officer");
            let of = ctx.t("van", "of");
            let value = match (&client.dpo_name, email.is_empty()) {
                (Some(name), false) => Some(format!("{name}, {role} {of} {}, {email}", client.name)),
                (Some(name), true) => Some(format!("{name}, {role} {of} {}", client.name)),
                (None, false) => Some(format!("{} {of} {}, {email}", capitalised(role), client.name)),
                (None, true) => None,
            };
            match value {
                Some(v) => Fill::derived(v).note(ctx.t(
                    "De FG van de verwerkingsverantwoordelijke (art. 33 lid 3 sub b AVG); vul telefoonnummer aan.",
                    "The controller's DPO (art. 33(3)(b) GDPR); add a telephone number.",
                )),
                None => Fill::missing(),
            }
        }
        "3.3" => {
            let mut value = format!("{} ({})", ctx.input.processor_name, ctx.t("verwerker", "processor"));
            if let Some(other) = &f.other_organisations {
                value.push_str("; ");
                value.push_str(other);
            }
            Fill::derived(value)
        }
        "4.1.1" => Fill::of(f.occurred_from.map(|t| ctx.when(t)).as_ref()),
        // Not required: an unknown end is a legitimate answer while the breach is investigated.
        "4.1.2" => match (f.ongoing, f.occurred_until) {
            (true, _) => Fill::recorded(ctx.t("De inbreuk duurt nog voort", "The breach is still ongoing")),
            (false, Some(t)) => Fill::recorded(ctx.when(t)),
            (false, None) => {
                Fill::missing().note(ctx.t("Onbekend; vul in zodra bekend.", "Unknown; fill in once known."))
            }
        }
        .optional(),
        "4.2" => {
            let mut note = Vec::new();
            if let Some(t) = incident.processor_aware_at {
                note.push(format!(
                    "{} {}: {}",
                    ctx.input.processor_name,
                    ctx.t("(verwerker) op de hoogte", "(processor) aware"),
                    ctx.when(t)
                ));
            }
            if let Some(t) = incident.controller_aware_at {
                note.push(format!(
                    "{}: {}",
                    ctx.t(
                        "verwerkingsverantwoordelijke op de hoogte (start van de termijn)",
                        "controller aware (the clock starts)"
                    ),
                    ctx.when(t)
                ));
            }
            let fill = Fill::recorded(ctx.when(f.discovered_at));
            if note.is_empty() { fill } else { fill.note(note.join("; ")) }
        }
        "4.3" => Fill::of(f.discovery_method.as_ref()),
        "4.5" => delay_reason(ctx),
        "5.1" if f.nature.is_empty() => Fill::missing(),
        "5.1" => Fill::recorded(labels(&f.nature, locale)),
        "5.2" => Fill::of(f.incident_kind.map(|k| k.label(locale).to_string()).as_ref()),
        "5.3" => Fill::recorded(f.summary.clone()),
        "5.4" => Fill::form_only(
            ctx,
            ctx.t(
                "voeg alleen documenten toe zonder persoonsgegevens van betrokkenen.",
                "attach only documents without the data subjects' personal data.",
            ),
        ),
        "6.1" => match (f.data_categories.is_empty(), f.special_categories.is_empty()) {
            (false, _) => Fill::recorded(labels(&f.data_categories, locale)),
            (true, false) => Fill::derived(ctx.t("Geen; zie 6.2", "None; see 6.2")),
            (true, true) => Fill::missing(),
        },
        "6.2" if f.special_categories.is_empty() => Fill::derived(ctx.t(
            "Geen bijzondere persoonsgegevens vastgelegd",
            "No special categories recorded",
        )),
        "6.2" => Fill::recorded(labels(&f.special_categories, locale)),
        "6.3.1" => Fill::of(
            f.records_approx.map(|n| format!("{} {}", ctx.t("ca.", "approx."), grouped(n, locale))).as_ref(),
        ),
        "7.1" if f.subject_groups.is_empty() => Fill::missing(),
        "7.1" => Fill::recorded(labels(&f.subject_groups, locale)),
        "7.2" => Fill::form_only(ctx, ctx.t("optioneel.", "optional.")),
        "7.3" => subjects_count(ctx, f),
        "8.1" => {
            let fill = Fill::of(f.encryption.map(|e| e.label(locale).to_string()).as_ref());
            match incident.assessment.as_ref().filter(|a| a.input.unintelligible) {
                Some(_) => fill.note(ctx.t(
                    "Volgens de ernstinschatting waren de gegevens onbegrijpelijk voor onbevoegden; licht toe (bijv. algoritme, sleutelbeheer).",
                    "According to the severity assessment the data were unintelligible to unauthorised persons; explain (e.g. algorithm, key management).",
                )),
                None => fill,
            }
        }
        "9.1" => {
            let types = vocabulary::breach_types(&f.nature);
            if types.is_empty() {
                Fill::missing()
            } else {
                Fill::derived(
                    types.iter().map(|t| breach_consequence(*t, locale)).collect::<Vec<_>>().join("; "),
                )
                .note(ctx.t("Afgeleid uit 5.1.", "Derived from 5.1."))
            }
        }
        "9.2" => Fill::of(f.consequences.as_ref()),
        "9.3" => match (&ctx.severity, &incident.assessment) {
            (Some(severity), Some(assessment)) => {
                let level = match locale {
                    Locale::Nl => severity.band.ap_level_nl(),
                    Locale::En => severity.band.ap_level_en(),
                };
                let mut value = format!(
                    "{level}\n{} {} ({}). {}",
                    ctx.t("Toelichting: ENISA-methode, ernstscore", "Explanation: ENISA method, severity score"),
                    severity.score_text(),
                    band_name(severity.band, locale),
                    assessment.rationale.trim()
                );
                if severity.overrides.contains(&Override::VulnerableSubjectsFloor) {
                    value.push(' ');
                    value.push_str(ctx.t(
                        "Verhoogd tot ten minste beperkt vanwege kwetsbare betrokkenen.",
                        "Raised to at least limited because of vulnerable data subjects.",
                    ));
                }
                Fill::derived(value).note(ctx.t(
                    "Afgeleid uit de ENISA-band (projectconventie: laag → verwaarloosbaar, gemiddeld → beperkt, hoog → aanzienlijk, zeer hoog → zeer groot).",
                    "Derived from the ENISA band (project convention: low → negligible, medium → limited, high → significant, very high → very high).",
                ))
            }
            _ => Fill::missing(),
        },
        "10.1.1" => subjects_informed(ctx),
        "10.1.x-why-not" => subjects_why_not(ctx),
        "10.1.x-public" => subjects_public(ctx),
        "10.1.3" | "10.1.7" => subjects_how(ctx, key),
        "10.2" => match (&f.measures_taken, &f.measures_planned) {
            (Some(taken), Some(planned)) => {
                Fill::recorded(format!("{taken}\n{} {planned}", ctx.t("Gepland:", "Planned:")))
            }
            (Some(taken), None) => Fill::recorded(taken.clone()),
            (None, Some(planned)) => Fill::recorded(format!("{} {planned}", ctx.t("Gepland:", "Planned:"))),
            (None, None) => Fill::missing(),
        },
        "other" => other_remarks(ctx),
        _ => Fill::missing().optional(),
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn band_name(band: Band, locale: Locale) -> &'static str {
    match band {
        Band::Low => tr(locale, "laag", "low"),
        Band::Medium => tr(locale, "gemiddeld", "medium"),
        Band::High => tr(locale, "hoog", "high"),
        Band::VeryHigh => tr(locale, "zeer hoog", "very high"),
    }
}

fn breach_consequence(t: BreachType, locale: Locale) -> &'static str {
    match t {
        BreachType::Confidentiality => tr(
            locale,
            "Verlies van vertrouwelijkheid: gegevens (mogelijk) ingezien of gekopieerd door onbevoegden",
            "Loss of confidentiality: data (possibly) seen or copied by unauthorised persons",
        ),
        BreachType::Integrity => tr(
            locale,
            "Verlies van integriteit: gegevens (mogelijk) gewijzigd",
            "Loss of integrity: data (possibly) altered",
        ),
        BreachType::Availability => tr(
            locale,
            "Verlies van beschikbaarheid: gegevens (tijdelijk) niet beschikbaar, verstoring van de dienstverlening",
            "Loss of availability: data (temporarily) unavailable, disruption of service",
        ),
    }
}

/// 4.5: required and missing once late without reasons; "not applicable" otherwise.
fn delay_reason(ctx: &Ctx<'_>) -> Fill {
    let incident = ctx.incident();
    let Some(deadline) = ctx.clock.deadline_at else {
        return Fill::derived(ctx.t("n.v.t.", "not applicable")).optional().note(ctx.t(
            "De termijn loopt nog niet: het datalek is nog niet bevestigd.",
            "The clock has not started: the breach is not confirmed yet.",
        ));
    };
    let recorded_reason = incident.ap.as_ref().and_then(|ap| ap.delay_reason.clone());
    if ctx.late {
        let late_by =
            local_time::format_duration((ctx.notification_instant() - deadline).num_seconds(), ctx.locale);
        let how_late = match (ctx.kind, ctx.locale) {
            (DraftKind::Initial, Locale::Nl) => format!("nu al {late_by} te laat"),
            (DraftKind::Initial, Locale::En) => format!("already {late_by} late"),
            (_, Locale::Nl) => format!("gemeld {late_by} na de termijn"),
            (_, Locale::En) => format!("notified {late_by} after the deadline"),
        };
        let note = format!(
            "{} {} ({how_late}; {}).",
            ctx.t("Verplicht: de termijn verstreek op", "Required: the deadline passed on"),
            ctx.when(deadline),
            ctx.t("art. 33 lid 1 AVG", "art. 33(1) GDPR")
        );
        return match recorded_reason {
            Some(reason) => Fill::recorded(reason).note(note),
            None => Fill::missing().note(note),
        };
    }
    // On time for the controller but not counted from the processor's awareness (`docs/REGULATION.md` §3).
    let processor_note = ctx
        .clock
        .conservative_deadline_at
        .filter(|c| ctx.clock.processor_delay_warning && ctx.notification_instant() > *c);
    let fill =
        match (ctx.kind, incident.state) {
            (DraftKind::Supplement | DraftKind::Withdrawal, _) => match recorded_reason {
                Some(reason) => Fill::recorded(reason),
                None => Fill::recorded(format!(
                    "{} {} {})",
                    ctx.t("n.v.t. (gemeld binnen", "not applicable (notified within"),
                    ctx.window_hours,
                    ctx.t("uur", "hours")
                )),
            }
            .optional(),
            (DraftKind::Initial, State::Confirmed) => Fill::derived(format!(
                "{} {}",
                ctx.t("n.v.t. bij melding vóór", "not applicable when notified before"),
                ctx.when(deadline)
            ))
            .optional()
            .note(ctx.t(
                "Wordt verplicht zodra de termijn verstrijkt.",
                "Becomes required once the deadline passes.",
            )),
            _ => Fill::derived(ctx.t("n.v.t.", "not applicable")).optional(),
        };
    match processor_note {
        Some(c) => {
            let note = format!(
                "{} {} ({}: {}).",
                ctx.t(
                    "Aanbevolen: licht de tijdlijn verwerker → verwerkingsverantwoordelijke toe; gerekend vanaf de bekendheid van",
                    "Recommended: explain the processor → controller timeline; counted from the awareness of"
                ),
                ctx.input.processor_name,
                ctx.t("termijn", "deadline"),
                ctx.when(c)
            );
            Fill { note: Some(note), ..fill }
        }
        None => fill,
    }
}

/// 7.3: exact, "min – max", or an open end shown but incomplete.
fn subjects_count(ctx: &Ctx<'_>, f: &Facts) -> Fill {
    let n = |v: u64| grouped(v, ctx.locale);
    match (f.subjects_min, f.subjects_max) {
        (Some(a), Some(b)) if a == b => Fill::recorded(n(a)),
        (Some(a), Some(b)) => Fill::recorded(format!("{} – {}", n(a), n(b))),
        (Some(a), None) => Fill { value: Some(format!("{} – ?", n(a))), ..Fill::missing() }
            .note(ctx.t("Open einde: het maximum is onbekend.", "Open end: the maximum is unknown.")),
        (None, Some(b)) => Fill { value: Some(format!("? – {}", n(b))), ..Fill::missing() }
            .note(ctx.t("Open einde: het minimum is onbekend.", "Open end: the minimum is unknown.")),
        (None, None) => Fill::missing(),
    }
}

/// 10.1.1: the recorded art. 34 decision, else the severity's proposal.
fn subjects_informed(ctx: &Ctx<'_>) -> Fill {
    match &ctx.incident().subjects {
        SubjectsDecision::Informed { informed_at, .. } => Fill::recorded(format!(
            "{} ({} {})",
            ctx.t("Ja", "Yes"),
            ctx.t("op", "on"),
            ctx.when(*informed_at)
        )),
        SubjectsDecision::NotRequired { .. } => Fill::recorded(ctx.t("Nee", "No")),
        SubjectsDecision::Undecided => match &ctx.severity {
            Some(s) if s.proposed_subjects => Fill::derived(ctx.t("Van plan", "Planned")).note(ctx.t(
                "Voorstel op basis van de ernstinschatting (hoog risico, art. 34 AVG); leg het besluit vast.",
                "Proposal from the severity assessment (high risk, art. 34 GDPR); record the decision.",
            )),
            Some(_) => Fill::derived(ctx.t("Nee", "No")).note(ctx.t(
                "Voorstel op basis van de ernstinschatting; leg het besluit vast.",
                "Proposal from the severity assessment; record the decision.",
            )),
            None => Fill::missing().note(ctx.t(
                "Nog geen besluit en nog geen ernstinschatting.",
                "No decision and no severity assessment yet.",
            )),
        },
    }
}

fn not_applicable(ctx: &Ctx<'_>) -> Fill {
    Fill::recorded(ctx.t("n.v.t.", "not applicable")).optional()
}

/// 10.1.x: why the data subjects are not informed.
fn subjects_why_not(ctx: &Ctx<'_>) -> Fill {
    match &ctx.incident().subjects {
        SubjectsDecision::NotRequired { ground, explanation } => {
            Fill::recorded(format!("{}\n{}", ground.label(ctx.locale), explanation))
        }
        SubjectsDecision::Informed { .. } => not_applicable(ctx),
        SubjectsDecision::Undecided => match &ctx.severity {
            Some(s) if !s.proposed_subjects => {
                let ground = if s.overrides.contains(&Override::UnintelligibleData) && s.band >= Band::High {
                    SubjectsGround::Art34_3a
                } else {
                    SubjectsGround::NoHighRisk
                };
                let level = match ctx.locale {
                    Locale::Nl => s.band.ap_level_nl(),
                    Locale::En => s.band.ap_level_en(),
                };
                Fill::derived(format!(
                    "{}\n{} {level}.",
                    ground.label(ctx.locale),
                    ctx.t("Ernst van de mogelijke gevolgen:", "Severity of the possible consequences:")
                ))
                .note(ctx.t(
                    "Voorstel op basis van de ernstinschatting; leg het besluit vast.",
                    "Proposal from the severity assessment; record the decision.",
                ))
            }
            Some(_) => Fill::derived(ctx.t("n.v.t.", "not applicable")).optional(),
            None => Fill::missing()
                .optional()
                .note(ctx.t("Alleen als 10.1.1 „nee” is.", "Only if 10.1.1 is \"no\".")),
        },
    }
}

/// 10.1.x: a public communication instead (art. 34(3)(c)).
fn subjects_public(ctx: &Ctx<'_>) -> Fill {
    match &ctx.incident().subjects {
        SubjectsDecision::NotRequired { ground: SubjectsGround::Art34_3cPublic, explanation } => {
            Fill::recorded(explanation.clone())
        }
        SubjectsDecision::Informed { informed_at, channel: Channel::PublicNotice, .. } => {
            Fill::recorded(format!(
                "{} {} {}",
                Channel::PublicNotice.label(ctx.locale),
                ctx.t("op", "on"),
                ctx.when(*informed_at)
            ))
        }
        SubjectsDecision::Informed { .. } | SubjectsDecision::NotRequired { .. } => not_applicable(ctx),
        SubjectsDecision::Undecided => {
            let fill = Fill::derived(ctx.t("n.v.t.", "not applicable")).optional();
            if ctx.severity.as_ref().is_some_and(|s| s.band == Band::VeryHigh && s.proposed_subjects) {
                fill.note(ctx.t(
                    "Zeer hoog risico: overweeg een openbare mededeling naast of in plaats van individuele berichten.",
                    "Very high risk: consider a public communication besides or instead of individual messages.",
                ))
            } else {
                fill
            }
        }
    }
}

/// 10.1.3 (how many) and 10.1.7 (how).
fn subjects_how(ctx: &Ctx<'_>, key: &str) -> Fill {
    match &ctx.incident().subjects {
        SubjectsDecision::Informed { informed_at, channel, count } => {
            if key == "10.1.3" {
                Fill::recorded(grouped(*count, ctx.locale))
            } else {
                Fill::recorded(format!(
                    "{} ({} {})",
                    channel.label(ctx.locale),
                    ctx.t("op", "on"),
                    ctx.when(*informed_at)
                ))
            }
        }
        SubjectsDecision::NotRequired { .. } => not_applicable(ctx),
        SubjectsDecision::Undecided => match &ctx.severity {
            Some(s) if !s.proposed_subjects => Fill::derived(ctx.t("n.v.t.", "not applicable")).optional(),
            _ => Fill::missing().optional().note(ctx.t(
                "Vul in nadat de betrokkenen zijn geïnformeerd.",
                "Fill in once the data subjects have been informed.",
            )),
        },
    }
}

/// The closing remarks: which notification a supplement or withdrawal concerns.
fn other_remarks(ctx: &Ctx<'_>) -> Fill {
    let incident = ctx.incident();
    match (ctx.kind, &incident.ap) {
        (DraftKind::Supplement, Some(ap)) => Fill::derived(format!(
            "{} {} {} {}.",
            if ap.preliminary {
                ctx.t(
                    "Aanvulling op de voorlopige melding met AP-kenmerk",
                    "Supplement to the preliminary notification with AP reference",
                )
            } else {
                ctx.t(
                    "Aanvulling op de melding met AP-kenmerk",
                    "Supplement to the notification with AP reference",
                )
            },
            ap.reference,
            ctx.t("van", "of"),
            ctx.when(ap.notified_at)
        ))
        .optional(),
        (DraftKind::Withdrawal, Some(ap)) => Fill::derived(format!(
            "{} {} {} {}: {}",
            ctx.t(
                "Intrekking van de melding met AP-kenmerk",
                "Withdrawal of the notification with AP reference"
            ),
            ap.reference,
            ctx.t("van", "of"),
            ctx.when(ap.notified_at),
            incident.withdraw_reason.as_deref().unwrap_or("—")
        ))
        .optional(),
        _ => Fill::missing().optional().note(ctx.t("Optioneel.", "Optional.")),
    }
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/// The draft as plain text, ready to copy into the AP's web form: the header, the kind, the state of
/// the draft (deadline, completeness, missing, to confirm, AP form only, changes or withdrawal),
/// then one block per question in form order:
///
/// ```text
/// 4.5 Indien later dan 72 uur gemeld: waarom?
/// [ONTBREEKT]
/// [verplicht] [Verplicht: de termijn verstreek op …]
/// ```
///
/// The first line is the number and the question (in `en` the English question, then the Dutch), the
/// second the value (or `[ONTBREEKT]`/`[MISSING]` when required or only the AP form can take it,
/// `[niet ingevuld]`/`[not filled in]` when optional); a third line in brackets, when present, is
/// for the DPO only.
pub fn render_text(draft: &ApDraft) -> String {
    let l = draft.locale;
    let t = |nl: &'static str, en: &'static str| tr(l, nl, en);
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    line(&draft.header);
    line("");
    line(&format!("{}: {}", t("Soort", "Kind"), draft.kind_label));
    line(&format!("{}: {} ({})", t("Incident", "Incident"), draft.reference, draft.controller));
    line(&format!("{}: {}", t("Opgesteld", "Generated"), draft.generated_local));
    match &draft.deadline_local {
        Some(d) => {
            let state = match &draft.late_by {
                Some(by) => format!(" — {} {by}", t("te laat:", "late by")),
                None => String::new(),
            };
            line(&format!("{}: {d}{state}", t("Termijn AP-melding", "AP deadline")));
        }
        None => line(&format!(
            "{}: {}",
            t("Termijn AP-melding", "AP deadline"),
            t("loopt nog niet", "not started")
        )),
    }
    let required = if draft.required { t("ja", "yes") } else { t("NIET VEREIST", "NOT REQUIRED") };
    match &draft.required_note {
        Some(note) => {
            line(&format!("{}: {required} — {note}", t("Melding vereist", "Notification required")))
        }
        None => line(&format!("{}: {required}", t("Melding vereist", "Notification required"))),
    }
    if let Some(p) = &draft.previous {
        let preliminary = if p.preliminary { t(" (voorlopig)", " (preliminary)") } else { "" };
        line(&format!(
            "{}: {}, {} {}{preliminary}; {}: {}",
            t("Eerdere melding", "Earlier notification"),
            p.ap_reference,
            t("gemeld op", "notified on"),
            p.notified_local,
            t("aanvullingen", "supplements"),
            p.supplements
        ));
        if let Some(w) = &p.withdrawn_local {
            line(&format!("{}: {w}", t("Ingetrokken op", "Withdrawn on")));
        }
    }
    if let Some(reason) = &draft.withdrawal_reason {
        line(&format!("{}: {reason}", t("Reden van intrekking", "Reason for withdrawal")));
    }
    let c = draft.completeness;
    line(&format!(
        "{}: {} {} {} {} ({}%)",
        t("Volledigheid", "Completeness"),
        c.answered,
        t("van", "of"),
        c.total,
        t("verplichte vragen beantwoord", "required questions answered"),
        c.percent
    ));
    line("");
    let list = |out: &mut String, title: &str, items: &[String], empty: &str| {
        out.push_str(title);
        out.push_str(":\n");
        if items.is_empty() {
            out.push_str(&format!("- {empty}\n"));
        }
        for item in items {
            out.push_str(&format!("- {item}\n"));
        }
        out.push('\n');
    };
    list(&mut out, t("Ontbreekt (verplicht)", "Missing (required)"), &draft.missing, t("niets", "nothing"));
    list(
        &mut out,
        t("Afgeleid — bevestig deze antwoorden", "Derived — confirm these answers"),
        &draft.to_confirm,
        t("niets", "nothing"),
    );
    list(
        &mut out,
        t("Alleen in het AP-formulier in te vullen", "To fill in on the AP form only"),
        &draft.fill_in_on_form,
        t("niets", "nothing"),
    );
    if draft.kind == DraftKind::Supplement {
        let since = draft.previous.as_ref().map(|p| p.last_version_local.clone()).unwrap_or_default();
        out.push_str(&format!(
            "{} ({since}):\n",
            t("Gewijzigd sinds de laatst gemelde versie", "Changed since the last notified version")
        ));
        if draft.changes.is_empty() {
            out.push_str(&format!("- {}\n", t("niets", "nothing")));
        }
        // Continuation lines of multi-line values line up under the first.
        let value = |v: &Option<String>| match v {
            Some(v) => v.replace('\n', "\n       "),
            None => t("(leeg)", "(empty)").to_string(),
        };
        for change in &draft.changes {
            out.push_str(&format!("- {} {}\n", change.number, change.question));
            out.push_str(&format!("  {} {}\n", t("was:", "was:"), value(&change.before)));
            out.push_str(&format!("  {} {}\n", t("nu: ", "now:"), value(&change.after)));
        }
        out.push('\n');
    }
    for chapter in &draft.chapters {
        let title = match l {
            Locale::Nl => chapter.title.clone(),
            Locale::En => format!("{} — {}", chapter.title, chapter.title_nl),
        };
        if chapter.number.is_empty() {
            out.push_str(&format!("== {title} ==\n\n"));
        } else {
            out.push_str(&format!("== {} {title} ==\n\n", chapter.number));
        }
        for answer in &chapter.answers {
            render_answer(&mut out, answer, l);
        }
    }
    out
}

fn render_answer(out: &mut String, answer: &Answer, locale: Locale) {
    let t = |nl: &'static str, en: &'static str| tr(locale, nl, en);
    let question = match locale {
        Locale::Nl => answer.question.clone(),
        Locale::En => format!("{} — {}", answer.question, answer.question_nl),
    };
    if answer.number.is_empty() {
        out.push_str(&format!("{question}\n"));
    } else {
        out.push_str(&format!("{} {question}\n", answer.number));
    }
    match &answer.value {
        Some(value) => out.push_str(&format!("{value}\n")),
        None if answer.required || answer.on_form_only => {
            out.push_str(&format!("{}\n", t("[ONTBREEKT]", "[MISSING]")));
        }
        None => out.push_str(&format!("{}\n", t("[niet ingevuld]", "[not filled in]"))),
    }
    let mut tags: Vec<String> = Vec::new();
    match answer.provenance {
        Provenance::Recorded => {}
        Provenance::Derived => tags.push(format!("[{}]", t("afgeleid — bevestigen", "derived — confirm"))),
        Provenance::Missing => {
            if answer.value.is_some() {
                tags.push(format!("[{}]", t("onvolledig", "incomplete")));
            }
            if answer.required {
                tags.push(format!("[{}]", t("verplicht", "required")));
            }
        }
    }
    if let Some(note) = &answer.note {
        tags.push(format!("[{note}]"));
    }
    if !tags.is_empty() {
        out.push_str(&tags.join(" "));
        out.push('\n');
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------------------------
// The letter to data subjects (art. 34(2))
// ---------------------------------------------------------------------------------------------

/// A draft communication to data subjects, as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectLetter {
    /// The letter's language.
    pub locale: Locale,
    /// For the DPO: that this is a draft to check before sending.
    pub draft_note: String,
    /// Subject line (e-mail) or heading (letter).
    pub subject: String,
    /// The letter: what happened, which data, likely consequences, measures taken, what people can
    /// do themselves, and the contact point.
    pub body: String,
}

/// The draft letter to data subjects (art. 34(2)) in `input.locale`, when the severity proposes
/// informing them (a high risk without the art. 34(3)(a) override); `None` otherwise, and for a
/// dismissed breach or a withdrawn notification.
pub fn subject_letter(input: &DraftInput<'_>) -> Option<SubjectLetter> {
    let incident = input.incident;
    if matches!(incident.state, State::Dismissed) || kind_of(incident) == DraftKind::Withdrawal {
        return None;
    }
    if !incident.severity()?.proposed_subjects {
        return None;
    }
    let l = input.locale;
    let t = |nl: &'static str, en: &'static str| tr(l, nl, en);
    let f = &incident.facts;
    let client = input.client;
    let mut b = String::new();
    let mut para = |text: &str| {
        b.push_str(text);
        b.push_str("\n\n");
    };

    para(t("Geachte heer, mevrouw,", "Dear Sir or Madam,"));
    para(&match l {
        Locale::Nl => format!(
            "Wij informeren u over een datalek bij {} waarbij uw persoonsgegevens betrokken zijn. Wij vinden het belangrijk dat u dit weet, zodat u zo nodig zelf maatregelen kunt nemen.",
            client.name
        ),
        Locale::En => format!(
            "We are writing to tell you about a data breach at {} that involves your personal data. We want you to know, so that you can protect yourself where needed.",
            client.name
        ),
    });

    // What happened.
    let mut happened = format!(
        "{} {} {}",
        t("Op", "On"),
        long_date(f.discovered_at, l),
        t("hebben wij ontdekt dat", "we discovered that")
    );
    happened.push(' ');
    happened.push_str(kind_phrase(f.incident_kind, l));
    happened.push('.');
    let taken: Vec<&str> = f.nature.iter().filter_map(|n| taken_verb(*n, l)).collect();
    let lost = f.nature.iter().any(|n| matches!(n, Nature::Deleted));
    if !taken.is_empty() {
        happened.push_str(&format!(
            " {} {}.",
            t("Daarbij hebben onbevoegden persoonsgegevens", "Unauthorised persons"),
            match l {
                Locale::Nl => join_words(&taken, l),
                Locale::En => format!("{} personal data", join_words(&taken, l)),
            }
        ));
    }
    if lost {
        happened.push(' ');
        happened.push_str(if taken.is_empty() {
            t(
                "Daarbij zijn gegevens verwijderd of onbruikbaar gemaakt.",
                "Data were deleted or made unusable.",
            )
        } else {
            t(
                "Ook zijn gegevens verwijderd of onbruikbaar gemaakt.",
                "Data were also deleted or made unusable.",
            )
        });
    }
    if taken.is_empty() && !lost {
        happened.push(' ');
        happened.push_str(t(
            "Wat er precies met de gegevens is gebeurd, zoeken wij nog uit.",
            "We are still investigating exactly what happened to the data.",
        ));
    }
    happened.push(' ');
    happened.push_str(&match l {
        Locale::Nl => format!(
            "Het incident vond plaats bij {}, die de gegevens in onze opdracht verwerkt.",
            input.processor_name
        ),
        Locale::En => format!(
            "The incident took place at {}, which processes the data on our behalf.",
            input.processor_name
        ),
    });
    para(&format!("{}\n{happened}", t("Wat is er gebeurd?", "What happened?")));

    // Which data.
    let mut data: Vec<&str> = f.data_categories.iter().map(|c| c.label(l)).collect();
    data.extend(f.special_categories.iter().map(|c| c.label(l)));
    if !data.is_empty() {
        let items = data.iter().map(|d| format!("- {d}")).collect::<Vec<_>>().join("\n");
        para(&format!("{}\n{items}", t("Om welke gegevens gaat het?", "Which data are involved?")));
    }
    if f.subject_groups.contains(&SubjectGroup::Minors) {
        para(t(
            "Het gaat (ook) om gegevens van kinderen. Bent u ouder of voogd? Bespreek deze brief dan met uw kind.",
            "The data include data of children. Are you a parent or guardian? Then please discuss this letter with your child.",
        ));
    }

    // Likely consequences.
    let mut risks: Vec<&str> = Vec::new();
    let has = |c: DataCategory| f.data_categories.contains(&c);
    if has(DataCategory::NameAddress) || has(DataCategory::Email) || has(DataCategory::Phone) {
        risks.push(t(
            "Criminelen kunnen uw gegevens gebruiken voor phishing: nepberichten, -mails of -telefoontjes die betrouwbaar lijken omdat ze uw gegevens kennen.",
            "Criminals may use your data for phishing: fake messages, e-mails or calls that seem trustworthy because they know your details.",
        ));
    }
    if has(DataCategory::Financial) {
        risks.push(t(
            "Met uw rekeningnummer kunnen criminelen proberen geld af te schrijven (valse incasso's) of u met een overtuigend verhaal te laten betalen.",
            "With your bank account number criminals may try to take money by direct debit, or persuade you to pay them with a convincing story.",
        ));
    }
    if has(DataCategory::Credentials) {
        risks.push(t(
            "Met uw inloggegevens kunnen anderen proberen in te loggen op uw account, ook bij andere diensten waar u hetzelfde wachtwoord gebruikt.",
            "With your login details others may try to log in to your account, also at other services where you use the same password.",
        ));
    }
    if has(DataCategory::Bsn) || has(DataCategory::IdDocuments) {
        risks.push(t(
            "Met uw burgerservicenummer of een kopie van uw identiteitsbewijs kunnen criminelen proberen zich als u voor te doen (identiteitsfraude).",
            "With your citizen service number or a copy of your identity document criminals may try to pretend to be you (identity fraud).",
        ));
    }
    if !f.special_categories.is_empty() {
        risks.push(t(
            "Het gaat om gevoelige gegevens; als anderen die zien, kan dat schadelijk zijn voor u.",
            "Sensitive data are involved; if others see them, that may harm you.",
        ));
    }
    let mut consequences = String::new();
    if let Some(c) = &f.consequences {
        consequences.push_str(c.trim());
    }
    for risk in risks {
        if !consequences.is_empty() {
            consequences.push('\n');
        }
        consequences.push_str(risk);
    }
    if consequences.is_empty() {
        consequences.push_str(t(
            "Wij onderzoeken nog welke gevolgen dit voor u kan hebben.",
            "We are still assessing what this may mean for you.",
        ));
    }
    para(&format!(
        "{}\n{consequences}",
        t("Wat kunnen de gevolgen voor u zijn?", "What could this mean for you?")
    ));

    // Measures taken.
    let mut measures = String::new();
    if let Some(m) = &f.measures_taken {
        measures.push_str(m.trim());
    }
    if let Some(m) = &f.measures_planned {
        if !measures.is_empty() {
            measures.push('\n');
        }
        measures.push_str(t("Daarnaast gaan wij: ", "We will also: "));
        measures.push_str(m.trim());
    }
    if measures.is_empty() {
        measures.push_str(t(
            "Wij hebben direct maatregelen genomen om het lek te stoppen en de gevolgen te beperken.",
            "We acted at once to stop the breach and limit its consequences.",
        ));
    }
    para(&format!("{}\n{measures}", t("Wat hebben wij gedaan?", "What have we done?")));

    // What people can do.
    let mut advice: Vec<String> = vec![match l {
        Locale::Nl => format!(
            "Wees alert op onverwachte berichten, mails of telefoontjes, ook als die van {} lijken te komen. Klik niet op links en geef nooit uw wachtwoord, pincode of inlogcodes. Daar vragen wij nooit om.",
            client.name
        ),
        Locale::En => format!(
            "Be alert to unexpected messages, e-mails or calls, even if they seem to come from {}; do not click links and never give your password, PIN or login codes. We never ask for them.",
            client.name
        ),
    }];
    if has(DataCategory::Credentials) {
        advice.push(
            t(
                "Verander uw wachtwoord, ook bij andere diensten waar u hetzelfde wachtwoord gebruikt. Gebruik voor elke dienst een ander wachtwoord en zet tweestapsverificatie aan als dat kan.",
                "Change your password, also at other services where you use the same one. Use a different password for every service and turn on two-step verification where you can.",
            )
            .to_string(),
        );
    }
    if has(DataCategory::Financial) {
        advice.push(
            t(
                "Controleer uw bankafschriften. Ziet u een afschrijving of incasso die u niet herkent? Neem dan contact op met uw bank. Een incasso kunt u meestal binnen 8 weken laten terugboeken.",
                "Check your bank statements. Do you see a payment or direct debit you do not recognise? Contact your bank. You can usually have a direct debit reversed within 8 weeks.",
            )
            .to_string(),
        );
    }
    if has(DataCategory::Bsn) || has(DataCategory::IdDocuments) {
        advice.push(
            t(
                "Vermoedt u dat iemand zich als u voordoet? Neem dan contact op met het Centraal Meldpunt Identiteitsfraude en -fouten (CMI) en doe aangifte bij de politie.",
                "Do you suspect someone is pretending to be you? Contact the Dutch Central Reporting Point for Identity Fraud (CMI) and report it to the police.",
            )
            .to_string(),
        );
    }
    let advice = advice.iter().map(|a| format!("- {a}")).collect::<Vec<_>>().join("\n");
    para(&format!("{}\n{advice}", t("Wat kunt u zelf doen?", "What can you do yourself?")));

    // Contact point.
    let dpo = match &client.dpo_name {
        Some(name) => format!(
            "{} {name}",
            t("onze functionaris voor gegevensbescherming,", "our data protection officer,")
        ),
        None => t("onze functionaris voor gegevensbescherming", "our data protection officer").to_string(),
    };
    let contact = match l {
        Locale::Nl => format!(
            "Heeft u vragen? Neem dan contact op met {dpo}, via {}. Vermeld daarbij kenmerk {}.\nU heeft ook het recht een klacht in te dienen bij de Autoriteit Persoonsgegevens (autoriteitpersoonsgegevens.nl).",
            client.dpo_email, incident.reference
        ),
        Locale::En => format!(
            "Do you have questions? Please contact {dpo}, at {}, quoting reference {}.\nYou also have the right to lodge a complaint with the Dutch Data Protection Authority (Autoriteit Persoonsgegevens, autoriteitpersoonsgegevens.nl).",
            client.dpo_email, incident.reference
        ),
    };
    para(&format!("{}\n{contact}", t("Vragen?", "Questions?")));
    para(&format!(
        "{}\n\n{}",
        t(
            "Wij bieden u onze excuses aan voor dit incident.\n\nMet vriendelijke groet,",
            "We apologise for this incident.\n\nKind regards,"
        ),
        client.name
    ));
    let body = b.trim_end().to_string() + "\n";

    Some(SubjectLetter {
        locale: l,
        draft_note: t(
            "CONCEPT — controleer en pas aan vóór verzending; art33 verstuurt deze brief niet.",
            "DRAFT — check and adapt before sending; art33 does not send this letter.",
        )
        .to_string(),
        subject: match l {
            Locale::Nl => format!("Datalek bij {}: uw persoonsgegevens zijn betrokken", client.name),
            Locale::En => format!("Data breach at {}: your personal data are involved", client.name),
        },
        body,
    })
}

const NL_MONTHS_LONG: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const EN_MONTHS_LONG: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "22 oktober 2026" / "22 October 2026", in Amsterdam time.
fn long_date(t: DateTime<Utc>, locale: Locale) -> String {
    let local = t.with_timezone(&local_time::ZONE);
    let month = local.month0() as usize;
    let name = match locale {
        Locale::Nl => NL_MONTHS_LONG[month],
        Locale::En => EN_MONTHS_LONG[month],
    };
    format!("{} {name} {}", local.day(), local.year())
}

/// "a, b en c" / "a, b and c".
fn join_words(words: &[&str], locale: Locale) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), tr(locale, "en", "and")),
    }
}

fn kind_phrase(kind: Option<IncidentKind>, l: Locale) -> &'static str {
    match kind {
        Some(IncidentKind::HackingMalware) => tr(
            l,
            "criminelen een aanval hebben uitgevoerd (hacking, malware of ransomware)",
            "criminals carried out an attack (hacking, malware or ransomware)",
        ),
        Some(IncidentKind::Phishing) => tr(
            l,
            "criminelen via een phishingbericht toegang hebben gekregen tot systemen met uw gegevens",
            "criminals gained access to systems holding your data through a phishing message",
        ),
        Some(IncidentKind::LostDevice) => tr(
            l,
            "een apparaat of papieren met gegevens zijn kwijtgeraakt",
            "a device or papers holding data were lost",
        ),
        Some(IncidentKind::StolenDevice) => tr(
            l,
            "een apparaat of papieren met gegevens zijn gestolen",
            "a device or papers holding data were stolen",
        ),
        Some(IncidentKind::Misdirected) => tr(
            l,
            "gegevens naar de verkeerde ontvanger zijn gestuurd",
            "data were sent to the wrong recipient",
        ),
        Some(IncidentKind::PublishedByMistake) => {
            tr(l, "gegevens per ongeluk openbaar zijn gemaakt", "data were published by mistake")
        }
        Some(IncidentKind::Insider) => tr(
            l,
            "iemand binnen de organisatie zonder toestemming gegevens heeft ingezien of gebruikt",
            "someone inside the organisation looked at or used data without permission",
        ),
        Some(IncidentKind::UnauthorisedAccess) => tr(
            l,
            "onbevoegden toegang hebben gekregen tot systemen met uw gegevens",
            "unauthorised persons gained access to systems holding your data",
        ),
        Some(IncidentKind::ImproperDisposal) => {
            tr(l, "gegevens niet op de juiste manier zijn vernietigd", "data were not disposed of properly")
        }
        Some(IncidentKind::Other) | None => {
            tr(l, "er een beveiligingsincident was", "there was a security incident")
        }
    }
}

/// What unauthorised persons did with the data, as a past participle (nl, after "hebben") or a
/// past tense (en); `None` for natures that are not about someone taking the data.
fn taken_verb(nature: Nature, l: Locale) -> Option<&'static str> {
    match nature {
        Nature::Read => Some(tr(l, "ingezien", "viewed")),
        Nature::Copied => Some(tr(l, "gekopieerd", "copied")),
        Nature::Altered => Some(tr(l, "gewijzigd", "altered")),
        Nature::Stolen => Some(tr(l, "gestolen", "stole")),
        Nature::Deleted | Nature::Unknown => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The short list for mails
// ---------------------------------------------------------------------------------------------

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

const fn short(number: &'static str, nl: &'static str, en: &'static str) -> MissingAnswer {
    MissingAnswer { number, nl, en }
}

/// The core questions (art. 33(3)) still unanswered, in form order, with short labels for mails.
/// Reasons for delay (4.5) count as missing once the notification would be late (`late`). The full
/// draft ([`build`]) lists these among its missing answers too, except 10.2 when only planned
/// measures are recorded (art. 33(3)(d) accepts measures "proposed").
pub fn missing_answers(incident: &Incident, late: bool) -> Vec<MissingAnswer> {
    let f = &incident.facts;
    let mut missing = Vec::new();
    if f.occurred_from.is_none() {
        missing.push(short(
            "4.1.1",
            "(Mogelijke) startdatum van de inbreuk",
            "(Possible) start date of the breach",
        ));
    }
    if f.discovery_method.is_none() {
        missing.push(short("4.3", "Hoe is de inbreuk ontdekt", "How the breach was discovered"));
    }
    if late && incident.ap.as_ref().and_then(|ap| ap.delay_reason.as_ref()).is_none() {
        missing.push(short(
            "4.5",
            "Reden van de vertraging (later dan 72 uur)",
            "Reasons for the delay (after 72 hours)",
        ));
    }
    if f.nature.is_empty() {
        missing.push(short("5.1", "Aard van de inbreuk", "Nature of the breach"));
    }
    if f.incident_kind.is_none() {
        missing.push(short("5.2", "Aard van het incident", "Nature of the incident"));
    }
    if f.data_categories.is_empty() && f.special_categories.is_empty() {
        missing.push(short("6.1", "Welke persoonsgegevens", "Which personal data"));
    }
    if f.records_approx.is_none() {
        missing.push(short("6.3.1", "Aantal getroffen gegevensrecords", "Number of records affected"));
    }
    if f.subject_groups.is_empty() {
        missing.push(short("7.1", "Groepen betrokkenen", "Groups of data subjects"));
    }
    if f.subjects_min.is_none() || f.subjects_max.is_none() {
        missing.push(short(
            "7.3",
            "Aantal betrokkenen (minimum en maximum)",
            "Number of people (minimum and maximum)",
        ));
    }
    if f.encryption.is_none() {
        missing.push(short("8.1", "Versleuteld of onbegrijpelijk gemaakt", "Encrypted or unintelligible"));
    }
    if f.consequences.is_none() {
        missing.push(short("9.2", "Gevolgen voor de betrokkenen", "Consequences for the data subjects"));
    }
    if incident.assessment.is_none() {
        missing.push(short("9.3", "Inschatting van de ernst", "Estimate of the severity"));
    }
    if f.measures_taken.is_none() {
        missing.push(short("10.2", "Getroffen maatregelen", "Measures taken"));
    }
    missing
}

#[cfg(test)]
mod tests;
