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
use super::{grouped, tr, tr_with};
use crate::domain::incident::{Facts, State};
use crate::domain::local_time;
use crate::domain::locale::Locale;
use crate::domain::severity::Override;
use crate::domain::vocabulary::{self, BreachType, CodeList};

/// The draft's chapters: every question of [`FORM`], in form order, answered from `facts` (the
/// incident's, or those last notified, for a supplement's comparison) and the rest of the incident.
pub(super) fn chapters(ctx: &Ctx<'_>, facts: &Facts) -> Vec<Chapter> {
    FORM.iter()
        .map(|spec| Chapter {
            number: spec.number,
            title: spec.title(ctx.locale).to_string(),
            title_nl: spec.title(Locale::Nl),
            answers: spec
                .questions
                .iter()
                .map(|question| {
                    let fill = fill(ctx, facts, question.key);
                    Answer {
                        key: question.key,
                        number: question.number,
                        question: question.label(ctx.locale).to_string(),
                        question_nl: question.label(Locale::Nl),
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
        K::Q1_1 => Fill::derived(ctx.t("ap-fill-i-want-to-notify-one")),
        K::Q1_2 => Fill::derived(ctx.t("ap-fill-gdpr-avg-the-general-data")),
        K::Q1_3 => Fill::form_only(ctx, ctx.t("ap-fill-art33-does-not-record-notifications")),
        K::Q2_1_1 if f.cross_border_states.is_empty() => {
            Fill::derived(ctx.t("ap-fill-no-no-other-member-states"))
        }
        K::Q2_1_1 => {
            Fill::recorded(format!("{}: {}", ctx.t("ap-fill-yes"), f.cross_border_states.join(", ")))
        }
        K::Q2_2_1 if f.cross_border_states.is_empty() => Fill::derived(ctx.t("ap-fill-no")),
        K::Q2_2_1 => Fill::form_only(ctx, ctx.t("ap-fill-cross-border-notify-the-lead")),
        K::Q3_1_1a => Fill::derived(client.name.clone()),
        K::Q3_1_1b => Fill::derived(format!("{} ({})", client.name, ctx.t("ap-fill-controller"))),
        K::Q3_1_1c | K::Q3_1_1d | K::Q3_1_1e | K::Q3_1_2 => Fill::form_only(ctx, ""),
        K::Q3_2_1 => Fill::form_only(ctx, ctx.t("ap-fill-the-notifier-s-name-position")),
        K::Q3_2_2 => {
            let email = client.dpo_email.trim();
            let role = ctx.t("ap-fill-data-protection-officer");
            let of = ctx.t("ap-fill-of");
            let value = match (&client.dpo_name, email.is_empty()) {
                (Some(name), false) => Some(format!("{name}, {role} {of} {}, {email}", client.name)),
                (Some(name), true) => Some(format!("{name}, {role} {of} {}", client.name)),
                (None, false) => Some(format!("{} {of} {}, {email}", capitalised(role), client.name)),
                (None, true) => None,
            };
            match value {
                Some(v) => Fill::derived(v).note(ctx.t("ap-fill-the-controller-s-dpo-art")),
                None => Fill::missing(),
            }
        }
        K::Q3_3 => {
            let mut value = format!("{} ({})", ctx.input.processor_name, ctx.t("ap-fill-processor"));
            if let Some(other) = &f.other_organisations {
                value.push_str("; ");
                value.push_str(other);
            }
            Fill::derived(value)
        }
        K::Q4_1_1 => Fill::of(f.occurred_from.map(|t| ctx.when(t)).as_ref()),
        // Not required: an unknown end is a legitimate answer while the breach is investigated.
        K::Q4_1_2 => match (f.ongoing, f.occurred_until) {
            (true, _) => Fill::recorded(ctx.t("ap-fill-the-breach-is-still-ongoing")),
            (false, Some(t)) => Fill::recorded(ctx.when(t)),
            (false, None) => Fill::missing().note(ctx.t("ap-fill-unknown-fill-in-once-known")),
        }
        .optional(),
        K::Q4_2 => {
            let mut note = Vec::new();
            if let Some(t) = incident.processor_aware_at {
                note.push(format!(
                    "{} {}: {}",
                    ctx.input.processor_name,
                    ctx.t("ap-fill-processor-aware"),
                    ctx.when(t)
                ));
            }
            if let Some(t) = incident.controller_aware_at {
                note.push(format!("{}: {}", ctx.t("ap-fill-controller-aware-the-clock-starts"), ctx.when(t)));
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
        K::Q5_4 => Fill::form_only(ctx, ctx.t("ap-fill-attach-only-documents-without-the")),
        K::Q6_1 => match (f.data_categories.is_empty(), f.special_categories.is_empty()) {
            (false, _) => Fill::recorded(labels(&f.data_categories, locale)),
            (true, false) => Fill::derived(ctx.t("ap-fill-none-see-6-2")),
            (true, true) => Fill::missing(),
        },
        K::Q6_2 if f.special_categories.is_empty() => {
            Fill::derived(ctx.t("ap-fill-no-special-categories-recorded"))
        }
        K::Q6_2 => Fill::recorded(labels(&f.special_categories, locale)),
        K::Q6_3_1 => Fill::of(
            f.records_approx.map(|n| format!("{} {}", ctx.t("ap-fill-approx"), grouped(n, locale))).as_ref(),
        ),
        K::Q7_1 if f.subject_groups.is_empty() => Fill::missing(),
        K::Q7_1 => Fill::recorded(labels(&f.subject_groups, locale)),
        K::Q7_2 => Fill::form_only(ctx, ctx.t("ap-fill-optional")),
        K::Q7_3 => subjects_count(ctx, f),
        K::Q8_1 => {
            let fill = Fill::of(f.encryption.map(|e| e.label(locale).to_string()).as_ref());
            match incident.assessment.as_ref().filter(|a| a.input.unintelligible) {
                Some(_) => fill.note(ctx.t("ap-fill-according-to-the-severity-assessment")),
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
                .note(ctx.t("ap-fill-derived-from-5-1"))
            }
        }
        K::Q9_2 => Fill::of(f.consequences.as_ref()),
        K::Q9_3 => match (&ctx.severity, &incident.assessment) {
            (Some(severity), Some(assessment)) => {
                let level = severity.band.ap_level(locale);
                let mut value = format!(
                    "{level}\n{} {} ({}). {}",
                    ctx.t("ap-fill-explanation-enisa-method-severity-score"),
                    severity.score_text(),
                    severity.band.label(locale),
                    assessment.rationale.trim()
                );
                if severity.overrides.contains(&Override::VulnerableSubjectsFloor) {
                    value.push(' ');
                    value.push_str(ctx.t("ap-fill-raised-to-at-least-limited"));
                }
                Fill::derived(value).note(ctx.t("ap-fill-derived-from-the-enisa-band"))
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
                Fill::recorded(format!("{taken}\n{} {planned}", ctx.t("ap-fill-planned")))
            }
            (Some(taken), None) => Fill::recorded(taken.clone()),
            (None, Some(planned)) => Fill::recorded(format!("{} {planned}", ctx.t("ap-fill-planned"))),
            (None, None) => Fill::missing(),
        },
        K::Other => other_remarks(ctx),
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn breach_consequence(t: BreachType, locale: Locale) -> &'static str {
    match t {
        BreachType::Confidentiality => tr(locale, "ap-fill-loss-of-confidentiality-data-possibly"),
        BreachType::Integrity => tr(locale, "ap-fill-loss-of-integrity-data-possibly"),
        BreachType::Availability => tr(locale, "ap-fill-loss-of-availability-data-temporarily"),
    }
}

/// 4.5: required and missing once late without reasons; "not applicable" otherwise.
fn delay_reason(ctx: &Ctx<'_>) -> Fill {
    let incident = ctx.incident();
    let Some(deadline) = ctx.clock.deadline_at else {
        return Fill::derived(ctx.t("ap-fill-not-applicable"))
            .optional()
            .note(ctx.t("ap-fill-the-clock-has-not-started"));
    };
    let recorded_reason = incident.ap.as_ref().and_then(|ap| ap.delay_reason.clone());
    if ctx.late {
        let late_by =
            local_time::format_duration((ctx.notification_instant() - deadline).num_seconds(), ctx.locale);
        let how_late = match ctx.kind {
            DraftKind::Initial => tr_with(ctx.locale, "ap-fill-late-already", &[("late", &late_by)]),
            _ => tr_with(ctx.locale, "ap-fill-late-notified", &[("late", &late_by)]),
        };
        let note = format!(
            "{} {} ({how_late}; {}).",
            ctx.t("ap-fill-required-the-deadline-passed-on"),
            ctx.when(deadline),
            ctx.t("ap-fill-art-33-1-gdpr")
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
    let fill = match (ctx.kind, incident.state) {
        (DraftKind::Supplement | DraftKind::Withdrawal, _) => match recorded_reason {
            Some(reason) => Fill::recorded(reason),
            None => Fill::recorded(format!(
                "{} {} {})",
                ctx.t("ap-fill-not-applicable-notified-within"),
                ctx.window_hours,
                ctx.t("ap-fill-hours")
            )),
        }
        .optional(),
        (DraftKind::Initial, State::Confirmed) => Fill::derived(format!(
            "{} {}",
            ctx.t("ap-fill-not-applicable-when-notified-before"),
            ctx.when(deadline)
        ))
        .optional()
        .note(ctx.t("ap-fill-becomes-required-once-the-deadline")),
        _ => Fill::derived(ctx.t("ap-fill-not-applicable")).optional(),
    };
    match processor_note {
        Some(c) => {
            let note = format!(
                "{} {} ({}: {}).",
                ctx.t("ap-fill-recommended-explain-the-processor-controller"),
                ctx.input.processor_name,
                ctx.t("ap-fill-deadline"),
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
            .note(ctx.t("ap-fill-open-end-the-maximum-is")),
        (None, Some(b)) => Fill { value: Some(format!("? – {}", n(b))), ..Fill::missing() }
            .note(ctx.t("ap-fill-open-end-the-minimum-is")),
        (None, None) => Fill::missing(),
    }
}

fn labels<T: CodeList>(values: &[T], locale: Locale) -> String {
    values.iter().map(|v| v.label(locale)).collect::<Vec<_>>().join("; ")
}
