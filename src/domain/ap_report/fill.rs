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
use crate::domain::directory::DEFAULT_LEAD_AUTHORITY;
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
    let profile = &client.profile;
    match key {
        K::Q1_1 => Fill::derived(ctx.t("ap-fill-i-want-to-notify-one")),
        K::Q1_2 => Fill::derived(ctx.t("ap-fill-gdpr-avg-the-general-data")),
        K::Q1_3 => match &f.other_supervisors {
            Some(told) => Fill::recorded(told.clone()),
            None => Fill::missing().note(ctx.t("ap-fill-record-other-supervisors")),
        },
        K::Q2_1_1 => cross_border(ctx, f),
        K::Q2_2_1 => other_authorities(ctx, f),
        K::Q3_1_1a => profile_text(ctx, profile.legal_name.as_ref()),
        K::Q3_1_1b => match &profile.legal_name {
            Some(name) => Fill::recorded(format!("{name} ({})", ctx.t("ap-fill-controller"))),
            None => profile_text(ctx, None),
        },
        K::Q3_1_1c => profile_text(ctx, profile.address.as_ref()),
        K::Q3_1_1d => profile_text(ctx, profile.dpo_registration.as_ref()),
        // A controller established abroad has no Dutch KvK number: not required of it.
        K::Q3_1_1e
            if profile.kvk_number.is_none()
                && (profile.outside_eea || profile.lead_authority != DEFAULT_LEAD_AUTHORITY) =>
        {
            Fill::missing().optional().note(ctx.t("ap-fill-kvk-only-for-dutch-registrations"))
        }
        K::Q3_1_1e => profile_text(ctx, profile.kvk_number.as_ref()),
        K::Q3_1_2 => profile_text(ctx, profile.sector.map(|s| s.label(locale).to_string()).as_ref()),
        K::Q3_2_1 => notifier(ctx),
        K::Q3_2_2 if profile.contact_name.is_some() => Fill::recorded(person(&[
            profile.contact_name.as_deref(),
            profile.contact_position.as_deref(),
            profile.contact_email.as_deref(),
            profile.contact_phone.as_deref(),
        ])),
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
        K::Q5_3 => match processor_delay(ctx) {
            Some(sentence) => Fill::recorded(format!("{}\n\n{sentence}", f.summary)),
            None => Fill::recorded(f.summary.clone()),
        },
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
        // Optional, and 7.1 with 7.3 already say who and how many: nothing left for the form.
        K::Q7_2 => Fill::missing().optional().note(ctx.t("ap-fill-groups-described-in-7-1-and-7-3")),
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
                    severity.score_text_in(locale),
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

/// 2.1.1: the member states with people affected other than the lead authority's (`["NL"]` with
/// the AP leading is no cross-border breach).
fn cross_border(ctx: &Ctx<'_>, f: &Facts) -> Fill {
    let lead = ctx.input.client.profile.lead_authority.as_str();
    let others = other_states(ctx, f);
    match (f.cross_border_states.is_empty(), others.is_empty()) {
        (true, _) => Fill::derived(ctx.t("ap-fill-no-no-other-member-states")),
        (false, true) => {
            Fill::recorded(tr_with(ctx.locale, "ap-fill-no-only-in-the-lead-state", &[("lead", lead)]))
        }
        (false, false) => Fill::recorded(format!("{}: {}", ctx.t("ap-fill-yes"), others.join(", "))),
    }
}

/// The states in `cross_border_states` other than the lead authority's.
fn other_states<'f>(ctx: &Ctx<'_>, f: &'f Facts) -> Vec<&'f str> {
    let lead = ctx.input.client.profile.lead_authority.as_str();
    f.cross_border_states.iter().map(String::as_str).filter(|s| *s != lead).collect()
}

/// 2.2.1: whether other supervisory authorities were notified. The one-stop-shop (art. 56 GDPR):
/// with the AP as lead authority, no; with another lead, that authority is the one to notify; a
/// controller outside the EEA has no lead authority and notifies each one concerned (EDPB
/// Guidelines 9/2022 §73), which only the DPO can state.
fn other_authorities(ctx: &Ctx<'_>, f: &Facts) -> Fill {
    let profile = &ctx.input.client.profile;
    let others = other_states(ctx, f);
    if profile.outside_eea {
        return Fill::form_only(ctx, ctx.t("ap-fill-outside-eea-check"));
    }
    if profile.lead_authority != DEFAULT_LEAD_AUTHORITY {
        let text =
            tr_with(ctx.locale, "ap-fill-one-stop-shop-lead-elsewhere", &[("lead", &profile.lead_authority)]);
        return Fill::form_only(ctx, &text);
    }
    if others.is_empty() {
        return Fill::derived(ctx.t("ap-fill-no"));
    }
    Fill::derived(ctx.t("ap-fill-no-one-stop-shop-the-ap-leads")).note(tr_with(
        ctx.locale,
        "ap-fill-one-stop-shop-the-ap-leads-note",
        &[("states", &others.join(", "))],
    ))
}

/// A question of chapter 3 answered from the client profile, missing (with where to fill it in)
/// when the profile lacks it.
fn profile_text(ctx: &Ctx<'_>, value: Option<&String>) -> Fill {
    match value {
        Some(v) => Fill::recorded(v.clone()),
        None => Fill::missing().note(ctx.t("ap-fill-set-in-the-client-profile")),
    }
}

/// 3.2.1: the notifier's name, position, e-mail address (the DPO's unless the profile gives one) and
/// telephone number, all mandatory for the AP; what is known is shown while any is missing.
fn notifier(ctx: &Ctx<'_>) -> Fill {
    let client = ctx.input.client;
    let p = &client.profile;
    let email = p.notifier_email_or(&client.dpo_email);
    let parts =
        [p.notifier_name.as_deref(), p.notifier_position.as_deref(), email, p.notifier_phone.as_deref()];
    let known = person(&parts);
    if parts.iter().all(Option::is_some) {
        let fill = Fill::recorded(known);
        return match p.notifier_email {
            None => fill.note(ctx.t("ap-fill-notifier-email-is-the-dpo-s")),
            Some(_) => fill,
        };
    }
    let note = format!(
        "{} {}",
        capitalised(ctx.t("ap-fill-the-notifier-s-name-position")),
        ctx.t("ap-fill-set-in-the-client-profile")
    );
    let fill = Fill::missing().note(note);
    if known.is_empty() { fill } else { Fill { value: Some(known), ..fill } }
}

/// "Jan Jansen, FG, fg@acme.nl, +31 20 123 4567": the parts given, comma separated.
fn person(parts: &[Option<&str>]) -> String {
    parts.iter().flatten().copied().collect::<Vec<_>>().join(", ")
}

/// The ready-to-paste sentence on the processor's delay (5.3, and 4.5 when late): when the
/// processor was aware before it informed the controller, both instants in Amsterdam time and the
/// hours between them.
fn processor_delay(ctx: &Ctx<'_>) -> Option<String> {
    let incident = ctx.incident();
    let (processor, controller) = (incident.processor_aware_at?, incident.controller_aware_at?);
    let delay = incident.processor_delay().filter(|d| *d > chrono::Duration::zero() && ctx.instants)?;
    // Under an hour in minutes, else in hours to a tenth, with the language's decimal sign.
    let minutes = delay.num_minutes();
    let delay = if minutes < 60 {
        tr_with(ctx.locale, "ap-fill-delay-minutes", &[("minutes", &minutes.to_string())])
    } else {
        let hours = if minutes % 60 == 0 {
            (minutes / 60).to_string()
        } else {
            ctx.locale.decimal(&format!("{:.1}", minutes as f64 / 60.0))
        };
        tr_with(ctx.locale, "ap-fill-delay-hours", &[("hours", &hours)])
    };
    let local = |t| local_time::format_local_with_offset(t, ctx.locale);
    Some(tr_with(
        ctx.locale,
        "ap-fill-processor-informed-the-controller",
        &[
            ("processor", ctx.input.processor_name),
            ("processor_aware", &local(processor)),
            ("controller_aware", &local(controller)),
            ("delay", &delay),
        ],
    ))
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
        let mut note = format!(
            "{} {} ({how_late}; {}).",
            ctx.t("ap-fill-required-the-deadline-passed-on"),
            ctx.when(deadline),
            ctx.t("ap-fill-art-33-1-gdpr")
        );
        if let Some(sentence) = processor_delay(ctx) {
            note.push_str(&format!(" {} {sentence}", ctx.t("ap-fill-ready-to-paste")));
        }
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
