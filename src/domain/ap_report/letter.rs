//! The draft letter to data subjects (art. 34(2) GDPR, `docs/REGULATION.md` §6): when the severity
//! proposes informing them, [`subject_letter`] writes in clear and plain language what happened,
//! which data are involved, the likely consequences, the measures taken, what people can do
//! themselves and the contact point. art33 never sends it.

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use super::draft::{DraftInput, DraftKind};
use super::tr;
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

/// The draft letter to data subjects (art. 34(2)) in `input.locale`, when the severity proposes
/// informing them (a high risk without the art. 34(3)(a) override); `None` otherwise, and for a
/// dismissed breach or a withdrawn notification.
pub fn subject_letter(input: &DraftInput<'_>) -> Option<SubjectLetter> {
    let incident = input.incident;
    if matches!(incident.state, State::Dismissed) || DraftKind::of(incident) == DraftKind::Withdrawal {
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
