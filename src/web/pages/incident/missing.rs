//! What the draft AP notification still lacks, and where each missing answer is filled in: the
//! AP draft page lists the answers, the incident page's checklist "Ready to notify the AP" groups
//! them (facts, assessment, client profile, data subjects).

use crate::domain::ap_report::QuestionKey;
use crate::domain::event::EventKind;
use crate::domain::fields::FACTS;
use crate::domain::incident::{Incident, SubjectsDecision};
use crate::domain::locale::Locale;

/// Where a missing answer is filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FillIn {
    /// A fact of the incident's facts form (`#edit-<field>`).
    Fact(&'static str),
    /// The client profile's admin page (chapter 3).
    Profile,
    /// The event form that records it (`#event-<kind>`).
    Event(EventKind),
}

impl FillIn {
    /// The link to where it is filled in.
    pub(super) fn href(self, incident_id: &str, client_slug: &str) -> String {
        match self {
            FillIn::Fact(name) => format!("/incidents/{incident_id}#edit-{name}"),
            FillIn::Profile => format!("/admin/clients/{client_slug}/profile"),
            FillIn::Event(kind) => format!("/incidents/{incident_id}#event-{}", kind.as_str()),
        }
    }
}

/// Where the answer to `key` is filled in: the incident's facts form (through the field table's
/// AP question), the client profile's admin page (chapter 3), or the event form that records it
/// (4.5 with the AP notification, 9.3 with the assessment, 10.1 with the data subjects' decision).
/// `None` when art33 does not take it.
pub(super) fn fill_in_at(key: QuestionKey) -> Option<FillIn> {
    use QuestionKey as K;
    match key {
        K::Q3_1_1a
        | K::Q3_1_1b
        | K::Q3_1_1c
        | K::Q3_1_1d
        | K::Q3_1_1e
        | K::Q3_1_2
        | K::Q3_2_1
        | K::Q3_2_2 => Some(FillIn::Profile),
        K::Q4_5 => Some(FillIn::Event(EventKind::NotifyAp)),
        K::Q9_3 => Some(FillIn::Event(EventKind::Assess)),
        K::Q9_1 => Some(FillIn::Fact("nature")),
        K::Q10_1_1 | K::Q10_1xWhyNot | K::Q10_1xPublic | K::Q10_1_3 | K::Q10_1_7 => {
            Some(FillIn::Event(EventKind::InformSubjects))
        }
        K::Q10_2 => Some(FillIn::Fact("measures_taken")),
        _ => FACTS.iter().find(|f| f.ap_question == Some(key.as_str())).map(|f| FillIn::Fact(f.name)),
    }
}

/// A required answer still missing, with where it is filled in.
pub(super) struct Unanswered {
    /// The question: "4.5 Indien later dan 72 uur gemeld: waarom?".
    pub(super) label: String,
    /// Its AP number ("4.5").
    pub(super) number: &'static str,
    /// Where it is filled in.
    pub(super) at: Option<FillIn>,
    /// The link to there.
    pub(super) href: Option<String>,
}

/// The required questions `unanswered`, in form order as
/// [`ApDraft::unanswered`](crate::domain::ap_report::ApDraft::unanswered) and
/// [`standing`](crate::domain::ap_report::standing) give them, labelled in `locale` with their
/// links, 4.5 first.
pub(super) fn unanswered(
    unanswered: &[QuestionKey],
    locale: Locale,
    incident_id: &str,
    client_slug: &str,
) -> Vec<Unanswered> {
    let mut missing = unanswered.to_vec();
    missing.sort_by_key(|key| *key != QuestionKey::Q4_5);
    missing
        .into_iter()
        .map(|key| {
            let at = fill_in_at(key);
            Unanswered {
                label: key.numbered_label(locale),
                number: key.number(),
                at,
                href: at.map(|at| at.href(incident_id, client_slug)),
            }
        })
        .collect()
}

/// One line of the checklist "Ready to notify the AP".
pub struct CheckItem {
    /// Stable id (`check-facts`, `check-assessment`, `check-profile`, `check-subjects`,
    /// `check-delay`).
    pub id: &'static str,
    /// The text key of what it checks.
    pub label: &'static str,
    /// Whether it is done.
    pub done: bool,
    /// The AP numbers still missing under it ("4.1.1, 5.1").
    pub missing: String,
    /// Where to fill in what is missing (when not done).
    pub href: Option<String>,
}

/// The checklist "Ready to notify the AP" of `incident`: the facts for the AP's core questions,
/// the assessment, the client profile and the decision on data subjects, each done or not with a
/// link to the first missing piece; the reasons for a delay (4.5) as well once they are required.
pub(super) fn checklist(incident: &Incident, unanswered: &[Unanswered], client_slug: &str) -> Vec<CheckItem> {
    let id = incident.id.0.as_str();
    let of = |test: &dyn Fn(Option<FillIn>) -> bool| -> Vec<&Unanswered> {
        unanswered.iter().filter(|u| test(u.at)).collect()
    };
    let item = |id, label, missing: Vec<&Unanswered>| CheckItem {
        id,
        label,
        done: missing.is_empty(),
        missing: missing.iter().map(|u| u.number).collect::<Vec<_>>().join(", "),
        href: missing.iter().find_map(|u| u.href.clone()),
    };
    let facts = of(&|at| matches!(at, Some(FillIn::Fact(_)) | None));
    let assessment = of(&|at| at == Some(FillIn::Event(EventKind::Assess)));
    let profile = of(&|at| at == Some(FillIn::Profile));
    let delay = of(&|at| at == Some(FillIn::Event(EventKind::NotifyAp)));
    let mut items = vec![
        item("check-facts", "inc-check-facts", facts),
        item("check-assessment", "inc-check-assessment", assessment),
        item("check-profile", "inc-check-profile", profile),
    ];
    let subjects_done = incident.subjects != SubjectsDecision::Undecided;
    items.push(CheckItem {
        id: "check-subjects",
        label: "inc-check-subjects",
        done: subjects_done,
        missing: String::new(),
        href: (!subjects_done).then(|| FillIn::Event(EventKind::InformSubjects).href(id, client_slug)),
    });
    if !delay.is_empty() {
        items.push(item("check-delay", "inc-check-delay", delay));
    }
    items
}
