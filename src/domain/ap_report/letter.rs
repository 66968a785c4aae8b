//! The draft letter to data subjects (art. 34(2) GDPR, `docs/REGULATION.md` §6): when the severity
//! proposes informing them, [`subject_letter`] writes in clear and plain language what happened,
//! which data are involved, the likely consequences, the measures taken, what people can do
//! themselves and the contact point. [`subject_letters`] writes it in each language of the
//! client's data subjects ([`letter_locales`]). art33 never sends it.

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use super::draft::{DraftInput, DraftKind};
use super::{tr, tr_with};
use crate::domain::incident::State;
use crate::domain::local_time;
use crate::domain::locale::Locale;
use crate::domain::vocabulary::{CodeList, DataCategory, IncidentKind, Nature, SubjectGroup};

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

/// The languages the letter is written in: the languages of the client's data subjects first, in
/// the order the client profile gives them (`subjects`, never empty: the client's own language by
/// default), then every other language art33 writes, so that a letter in Dutch and in English is
/// always at hand.
pub fn letter_locales(subjects: &[Locale]) -> Vec<Locale> {
    let mut locales: Vec<Locale> = Vec::new();
    for locale in subjects.iter().chain(Locale::ALL.iter()) {
        if !locales.contains(locale) {
            locales.push(*locale);
        }
    }
    locales
}

/// The draft letter to data subjects in each of `locales`, in that order (the client's data
/// subjects' languages, its own first): empty when no letter is proposed (see [`subject_letter`]).
/// `input.locale` is not used.
pub fn subject_letters(input: &DraftInput<'_>, locales: &[Locale]) -> Vec<SubjectLetter> {
    locales.iter().filter_map(|locale| subject_letter(&DraftInput { locale: *locale, ..*input })).collect()
}

/// The draft letter to data subjects (art. 34(2)) in `input.locale`, when the severity proposes
/// informing them (a high risk without the art. 34(3)(a) override); `None` otherwise, and for a
/// dismissed breach or a withdrawn notification.
///
/// The letter is written by the controller ("we"), so the breach is dated from the controller's
/// awareness (`controller_aware_at`), not from when the processor discovered it; before the
/// controller's awareness is recorded the letter names no date.
pub fn subject_letter(input: &DraftInput<'_>) -> Option<SubjectLetter> {
    let incident = input.incident;
    if matches!(incident.state, State::Dismissed) || DraftKind::of(incident) == DraftKind::Withdrawal {
        return None;
    }
    if !incident.severity()?.proposed_subjects {
        return None;
    }
    let l = input.locale;
    let t = |key: &'static str| tr(l, key);
    let tw = |key: &'static str, args: &[(&str, &str)]| tr_with(l, key, args);
    let f = &incident.facts;
    let client = input.client;
    let mut b = String::new();
    let mut para = |text: &str| {
        b.push_str(text);
        b.push_str("\n\n");
    };

    para(t("ap-letter-dear-sir-or-madam"));
    para(&tw("ap-letter-intro", &[("client", &client.name)]));

    // What happened.
    let mut happened = match incident.controller_aware_at {
        Some(aware) => {
            format!("{} {} {}", t("ap-letter-on"), long_date(aware, l), t("ap-letter-we-discovered-that"))
        }
        None => t("ap-letter-we-recently-discovered-that").to_string(),
    };
    happened.push(' ');
    happened.push_str(kind_phrase(f.incident_kind, l));
    happened.push('.');
    let taken: Vec<&str> = f.nature.iter().filter_map(|n| taken_verb(*n, l)).collect();
    let lost = f.nature.iter().any(|n| matches!(n, Nature::Deleted));
    if !taken.is_empty() {
        happened.push_str(&format!(
            " {} {}.",
            t("ap-letter-unauthorised-persons"),
            tw("ap-letter-taken", &[("verbs", &join_words(&taken, l))])
        ));
    }
    if lost {
        happened.push(' ');
        happened.push_str(if taken.is_empty() {
            t("ap-letter-data-were-deleted-or-made")
        } else {
            t("ap-letter-data-were-also-deleted-or")
        });
    }
    if taken.is_empty() && !lost {
        happened.push(' ');
        happened.push_str(t("ap-letter-we-are-still-investigating-exactly"));
    }
    happened.push(' ');
    happened.push_str(&tw("ap-letter-processor", &[("processor", input.processor_name)]));
    para(&format!("{}\n{happened}", t("ap-letter-what-happened")));

    // Which data.
    let mut data: Vec<&str> = f.data_categories.iter().map(|c| c.label(l)).collect();
    data.extend(f.special_categories.iter().map(|c| c.label(l)));
    if !data.is_empty() {
        let items = data.iter().map(|d| format!("- {d}")).collect::<Vec<_>>().join("\n");
        para(&format!("{}\n{items}", t("ap-letter-which-data-are-involved")));
    }
    if f.subject_groups.contains(&SubjectGroup::Minors) {
        para(t("ap-letter-the-data-include-data-of"));
    }

    // Likely consequences.
    let mut risks: Vec<&str> = Vec::new();
    let has = |c: DataCategory| f.data_categories.contains(&c);
    if has(DataCategory::NameAddress) || has(DataCategory::Email) || has(DataCategory::Phone) {
        risks.push(t("ap-letter-criminals-may-use-your-data"));
    }
    if has(DataCategory::Financial) {
        risks.push(t("ap-letter-with-your-bank-account-number"));
    }
    if has(DataCategory::Credentials) {
        risks.push(t("ap-letter-with-your-login-details-others"));
    }
    if has(DataCategory::Bsn) || has(DataCategory::IdDocuments) {
        risks.push(t("ap-letter-with-your-citizen-service-number"));
    }
    if !f.special_categories.is_empty() {
        risks.push(t("ap-letter-sensitive-data-are-involved-if"));
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
        consequences.push_str(t("ap-letter-we-are-still-assessing-what"));
    }
    para(&format!("{}\n{consequences}", t("ap-letter-what-could-this-mean-for")));

    // Measures taken.
    let mut measures = String::new();
    if let Some(m) = &f.measures_taken {
        measures.push_str(m.trim());
    }
    if let Some(m) = &f.measures_planned {
        if !measures.is_empty() {
            measures.push('\n');
        }
        measures.push_str(t("ap-letter-we-will-also"));
        measures.push_str(m.trim());
    }
    if measures.is_empty() {
        measures.push_str(t("ap-letter-we-acted-at-once-to"));
    }
    para(&format!("{}\n{measures}", t("ap-letter-what-have-we-done")));

    // What people can do.
    let mut advice: Vec<String> = vec![tw("ap-letter-be-alert", &[("client", &client.name)])];
    if has(DataCategory::Credentials) {
        advice.push(t("ap-letter-change-your-password-also-at").to_string());
    }
    if has(DataCategory::Financial) {
        advice.push(t("ap-letter-check-your-bank-statements-do").to_string());
    }
    if has(DataCategory::Bsn) || has(DataCategory::IdDocuments) {
        advice.push(t("ap-letter-do-you-suspect-someone-is").to_string());
    }
    let advice = advice.iter().map(|a| format!("- {a}")).collect::<Vec<_>>().join("\n");
    para(&format!("{}\n{advice}", t("ap-letter-what-can-you-do-yourself")));

    // Contact point.
    let dpo = match &client.dpo_name {
        Some(name) => format!("{} {name}", t("ap-letter-our-data-protection-officer")),
        None => t("ap-letter-our-data-protection-officer-2").to_string(),
    };
    let contact = format!(
        "{}\n{}",
        tw(
            "ap-letter-contact",
            &[("dpo", &dpo), ("email", &client.dpo_email), ("reference", &incident.reference)]
        ),
        t("ap-letter-complaint")
    );
    para(&format!("{}\n{contact}", t("ap-letter-questions")));
    para(&format!("{}\n\n{}", t("ap-letter-we-apologise-for-this-incident"), client.name));
    let body = b.trim_end().to_string() + "\n";

    Some(SubjectLetter {
        locale: l,
        draft_note: t("ap-letter-draft-check-and-adapt-before").to_string(),
        subject: tw("ap-letter-subject", &[("client", &client.name)]),
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
        [init @ .., last] => format!("{} {} {last}", init.join(", "), tr(locale, "ap-letter-and")),
    }
}

fn kind_phrase(kind: Option<IncidentKind>, l: Locale) -> &'static str {
    match kind {
        Some(IncidentKind::HackingMalware) => tr(l, "ap-letter-criminals-carried-out-an-attack"),
        Some(IncidentKind::Phishing) => tr(l, "ap-letter-criminals-gained-access-to-systems"),
        Some(IncidentKind::LostDevice) => tr(l, "ap-letter-a-device-or-papers-holding"),
        Some(IncidentKind::StolenDevice) => tr(l, "ap-letter-a-device-or-papers-holding-2"),
        Some(IncidentKind::Misdirected) => tr(l, "ap-letter-data-were-sent-to-the"),
        Some(IncidentKind::PublishedByMistake) => tr(l, "ap-letter-data-were-published-by-mistake"),
        Some(IncidentKind::Insider) => tr(l, "ap-letter-someone-inside-the-organisation-looked"),
        Some(IncidentKind::UnauthorisedAccess) => tr(l, "ap-letter-unauthorised-persons-gained-access-to"),
        Some(IncidentKind::ImproperDisposal) => tr(l, "ap-letter-data-were-not-disposed-of"),
        Some(IncidentKind::Other) | None => tr(l, "ap-letter-there-was-a-security-incident"),
    }
}

/// What unauthorised persons did with the data, as a past participle (nl, after "hebben") or a
/// past tense (en); `None` for natures that are not about someone taking the data.
fn taken_verb(nature: Nature, l: Locale) -> Option<&'static str> {
    match nature {
        Nature::Read => Some(tr(l, "ap-letter-viewed")),
        Nature::Copied => Some(tr(l, "ap-letter-copied")),
        Nature::Altered => Some(tr(l, "ap-letter-altered")),
        Nature::Stolen => Some(tr(l, "ap-letter-stole")),
        Nature::Deleted | Nature::Unknown => None,
    }
}
