//! The filling logic: how each question of the AP form is answered from the incident
//! (`docs/REGULATION.md` §8, "how art33 answers"). [`fill`] is one `match` over [`QuestionKey`] with
//! an arm for every question of the form and no catch-all, so a question added to the table in
//! `form.rs` does not compile until it is answered here. The answers of chapters 1 to 9 are here,
//! with 4.5 (reasons for delay) and 7.3 (the number of people); those of chapter 10 and the closing
//! remarks are in `follow_up.rs`.

use super::context::{Ctx, Fill};
use super::draft::{Answer, Chapter, DraftKind};
use super::follow_up::{
    other_remarks, subjects_how, subjects_how_many, subjects_informed, subjects_public, subjects_why_not,
};
use super::form::{FORM, QuestionKey};
use super::{grouped, tr};
use crate::domain::incident::{Facts, State};
use crate::domain::local_time;
use crate::domain::locale::Locale;
use crate::domain::severity::{Band, Override};
use crate::domain::vocabulary::{self, BreachType, CodeList};

/// The draft's chapters: every question of [`FORM`], in form order, answered from `facts` (the
/// incident's, or those last notified, for a supplement's comparison) and the rest of the incident.
pub(super) fn chapters(ctx: &Ctx<'_>, facts: &Facts) -> Vec<Chapter> {
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
pub(super) fn fill(ctx: &Ctx<'_>, f: &Facts, key: QuestionKey) -> Fill {
    use QuestionKey as K;
    let locale = ctx.locale;
    let incident = ctx.incident();
    let client = ctx.input.client;
    match key {
        K::Q1_1 => Fill::derived(ctx.t(
            "Ik wil één inbreuk melden (reguliere melding)",
            "I want to notify one breach (regular notification)",
        )),
        K::Q1_2 => Fill::derived(ctx.t(
            "AVG (Algemene verordening gegevensbescherming)",
            "GDPR (AVG, the General Data Protection Regulation)",
        )),
        K::Q1_3 => Fill::form_only(
            ctx,
            ctx.t(
                "art33 legt meldingen aan andere toezichthouders (zoals DNB of het NCSC) niet vast.",
                "art33 does not record notifications to other supervisors (such as DNB or the NCSC).",
            ),
        ),
        K::Q2_1_1 if f.cross_border_states.is_empty() => Fill::derived(ctx.t(
            "Nee (geen andere lidstaten vastgelegd)",
            "No (no other member states recorded)",
        )),
        K::Q2_1_1 => {
            Fill::recorded(format!("{}: {}", ctx.t("Ja", "Yes"), f.cross_border_states.join(", ")))
        }
        K::Q2_2_1 if f.cross_border_states.is_empty() => Fill::derived(ctx.t("Nee", "No")),
        K::Q2_2_1 => Fill::form_only(
            ctx,
            ctx.t(
                "grensoverschrijdend: meld bij de leidende toezichthouder en vermeld hier welke andere toezichthouders een melding kregen.",
                "cross-border: notify the lead authority and state here which other authorities were notified.",
            ),
        ),
        K::Q3_1_1a => Fill::derived(client.name.clone()),
        K::Q3_1_1b => Fill::derived(format!(
            "{} ({})",
            client.name,
            ctx.t("verwerkingsverantwoordelijke", "controller")
        )),
        K::Q3_1_1c | K::Q3_1_1d | K::Q3_1_1e | K::Q3_1_2 => Fill::form_only(ctx, ""),
        K::Q3_2_1 => Fill::form_only(
            ctx,
            ctx.t(
                "naam, functie, e-mailadres en telefoonnummer van wie meldt zijn alle verplicht.",
                "the notifier's name, position, e-mail address and telephone number are all mandatory.",
            ),
        ),
        K::Q3_2_2 => {
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
        K::Q3_3 => {
            let mut value = format!("{} ({})", ctx.input.processor_name, ctx.t("verwerker", "processor"));
            if let Some(other) = &f.other_organisations {
                value.push_str("; ");
                value.push_str(other);
            }
            Fill::derived(value)
        }
        K::Q4_1_1 => Fill::of(f.occurred_from.map(|t| ctx.when(t)).as_ref()),
        // Not required: an unknown end is a legitimate answer while the breach is investigated.
        K::Q4_1_2 => match (f.ongoing, f.occurred_until) {
            (true, _) => Fill::recorded(ctx.t("De inbreuk duurt nog voort", "The breach is still ongoing")),
            (false, Some(t)) => Fill::recorded(ctx.when(t)),
            (false, None) => {
                Fill::missing().note(ctx.t("Onbekend; vul in zodra bekend.", "Unknown; fill in once known."))
            }
        }
        .optional(),
        K::Q4_2 => {
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
        K::Q4_3 => Fill::of(f.discovery_method.as_ref()),
        K::Q4_5 => delay_reason(ctx),
        K::Q5_1 if f.nature.is_empty() => Fill::missing(),
        K::Q5_1 => Fill::recorded(labels(&f.nature, locale)),
        K::Q5_2 => Fill::of(f.incident_kind.map(|k| k.label(locale).to_string()).as_ref()),
        K::Q5_3 => Fill::recorded(f.summary.clone()),
        K::Q5_4 => Fill::form_only(
            ctx,
            ctx.t(
                "voeg alleen documenten toe zonder persoonsgegevens van betrokkenen.",
                "attach only documents without the data subjects' personal data.",
            ),
        ),
        K::Q6_1 => match (f.data_categories.is_empty(), f.special_categories.is_empty()) {
            (false, _) => Fill::recorded(labels(&f.data_categories, locale)),
            (true, false) => Fill::derived(ctx.t("Geen; zie 6.2", "None; see 6.2")),
            (true, true) => Fill::missing(),
        },
        K::Q6_2 if f.special_categories.is_empty() => Fill::derived(ctx.t(
            "Geen bijzondere persoonsgegevens vastgelegd",
            "No special categories recorded",
        )),
        K::Q6_2 => Fill::recorded(labels(&f.special_categories, locale)),
        K::Q6_3_1 => Fill::of(
            f.records_approx.map(|n| format!("{} {}", ctx.t("ca.", "approx."), grouped(n, locale))).as_ref(),
        ),
        K::Q7_1 if f.subject_groups.is_empty() => Fill::missing(),
        K::Q7_1 => Fill::recorded(labels(&f.subject_groups, locale)),
        K::Q7_2 => Fill::form_only(ctx, ctx.t("optioneel.", "optional.")),
        K::Q7_3 => subjects_count(ctx, f),
        K::Q8_1 => {
            let fill = Fill::of(f.encryption.map(|e| e.label(locale).to_string()).as_ref());
            match incident.assessment.as_ref().filter(|a| a.input.unintelligible) {
                Some(_) => fill.note(ctx.t(
                    "Volgens de ernstinschatting waren de gegevens onbegrijpelijk voor onbevoegden; licht toe (bijv. algoritme, sleutelbeheer).",
                    "According to the severity assessment the data were unintelligible to unauthorised persons; explain (e.g. algorithm, key management).",
                )),
                None => fill,
            }
        }
        K::Q9_1 => {
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
        K::Q9_2 => Fill::of(f.consequences.as_ref()),
        K::Q9_3 => match (&ctx.severity, &incident.assessment) {
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
        K::Q10_1_1 => subjects_informed(ctx),
        K::Q10_1xWhyNot => subjects_why_not(ctx),
        K::Q10_1xPublic => subjects_public(ctx),
        K::Q10_1_3 => subjects_how_many(ctx),
        K::Q10_1_7 => subjects_how(ctx),
        K::Q10_2 => match (&f.measures_taken, &f.measures_planned) {
            (Some(taken), Some(planned)) => {
                Fill::recorded(format!("{taken}\n{} {planned}", ctx.t("Gepland:", "Planned:")))
            }
            (Some(taken), None) => Fill::recorded(taken.clone()),
            (None, Some(planned)) => Fill::recorded(format!("{} {planned}", ctx.t("Gepland:", "Planned:"))),
            (None, None) => Fill::missing(),
        },
        K::Other => other_remarks(ctx),
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

fn labels<T: CodeList>(values: &[T], locale: Locale) -> String {
    values.iter().map(|v| v.label(locale)).collect::<Vec<_>>().join("; ")
}
