//! The answers of chapter 10 of the AP form (follow-up: whether and how the data subjects were
//! informed, art. 34 GDPR, `docs/REGULATION.md` §6) and the closing remarks (which notification a
//! supplement or withdrawal concerns). The 10.1 answers come from the recorded subjects decision,
//! else from the severity's proposal (derived). The arms of `fill.rs` call these.

use chrono::{DateTime, Utc};

use super::context::{Ctx, Fill};
use super::draft::DraftKind;
use super::grouped;
use crate::domain::incident::SubjectsDecision;
use crate::domain::severity::{Band, Override};
use crate::domain::vocabulary::{Channel, CodeList, SubjectsGround};

/// 10.1.1: the recorded art. 34 decision, else the severity's proposal.
pub(super) fn subjects_informed(ctx: &Ctx<'_>) -> Fill {
    match &ctx.incident().subjects {
        SubjectsDecision::Informed { informed_at, .. } => Fill::recorded(format!(
            "{} ({} {})",
            ctx.t("ap-fill-yes"),
            ctx.t("ap-follow-up-on"),
            ctx.when(*informed_at)
        )),
        SubjectsDecision::NotRequired { .. } => Fill::recorded(ctx.t("ap-fill-no")),
        SubjectsDecision::Undecided => match &ctx.severity {
            Some(s) if s.proposed_subjects => Fill::derived(ctx.t("ap-follow-up-planned"))
                .note(ctx.t("ap-follow-up-proposal-from-the-severity-assessment")),
            Some(_) => Fill::derived(ctx.t("ap-fill-no"))
                .note(ctx.t("ap-follow-up-proposal-from-the-severity-assessment-2")),
            None => Fill::missing().note(ctx.t("ap-follow-up-no-decision-and-no-severity")),
        },
    }
}

fn not_applicable(ctx: &Ctx<'_>) -> Fill {
    Fill::recorded(ctx.t("ap-fill-not-applicable")).optional()
}

/// 10.1.x: why the data subjects are not informed.
pub(super) fn subjects_why_not(ctx: &Ctx<'_>) -> Fill {
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
                let level = s.band.ap_level(ctx.locale);
                Fill::derived(format!(
                    "{}\n{} {level}.",
                    ground.label(ctx.locale),
                    ctx.t("ap-follow-up-severity-of-the-possible-consequences")
                ))
                .note(ctx.t("ap-follow-up-proposal-from-the-severity-assessment-2"))
            }
            Some(_) => Fill::derived(ctx.t("ap-fill-not-applicable")).optional(),
            None => Fill::missing().optional().note(ctx.t("ap-follow-up-only-if-10-1-1")),
        },
    }
}

/// 10.1.x: a public communication instead (art. 34(3)(c)).
pub(super) fn subjects_public(ctx: &Ctx<'_>) -> Fill {
    match &ctx.incident().subjects {
        SubjectsDecision::NotRequired { ground: SubjectsGround::Art34_3cPublic, explanation } => {
            Fill::recorded(explanation.clone())
        }
        SubjectsDecision::Informed { informed_at, channel: Channel::PublicNotice, .. } => {
            Fill::recorded(format!(
                "{} {} {}",
                Channel::PublicNotice.label(ctx.locale),
                ctx.t("ap-follow-up-on"),
                ctx.when(*informed_at)
            ))
        }
        SubjectsDecision::Informed { .. } | SubjectsDecision::NotRequired { .. } => not_applicable(ctx),
        SubjectsDecision::Undecided => {
            let fill = Fill::derived(ctx.t("ap-fill-not-applicable")).optional();
            if ctx.severity.as_ref().is_some_and(|s| s.band == Band::VeryHigh && s.proposed_subjects) {
                fill.note(ctx.t("ap-follow-up-very-high-risk-consider-a"))
            } else {
                fill
            }
        }
    }
}

/// 10.1.3: how many people were informed.
pub(super) fn subjects_how_many(ctx: &Ctx<'_>) -> Fill {
    informed_detail(ctx, |_, _, count| grouped(count, ctx.locale))
}

/// 10.1.7: how the people were informed.
pub(super) fn subjects_how(ctx: &Ctx<'_>) -> Fill {
    informed_detail(ctx, |informed_at, channel, _| {
        format!("{} ({} {})", channel.label(ctx.locale), ctx.t("ap-follow-up-on"), ctx.when(informed_at))
    })
}

/// 10.1.3 and 10.1.7: `detail` words the recorded communication (when, channel, count); not
/// applicable when informing is not required or not proposed.
fn informed_detail(ctx: &Ctx<'_>, detail: impl FnOnce(DateTime<Utc>, Channel, u64) -> String) -> Fill {
    match &ctx.incident().subjects {
        SubjectsDecision::Informed { informed_at, channel, count } => {
            Fill::recorded(detail(*informed_at, *channel, *count))
        }
        SubjectsDecision::NotRequired { .. } => not_applicable(ctx),
        SubjectsDecision::Undecided => match &ctx.severity {
            Some(s) if !s.proposed_subjects => Fill::derived(ctx.t("ap-fill-not-applicable")).optional(),
            _ => Fill::missing().optional().note(ctx.t("ap-follow-up-fill-in-once-the-data")),
        },
    }
}

/// The closing remarks: which notification a supplement or withdrawal concerns.
pub(super) fn other_remarks(ctx: &Ctx<'_>) -> Fill {
    let incident = ctx.incident();
    match (ctx.kind, &incident.ap) {
        (DraftKind::Supplement, Some(ap)) => Fill::derived(format!(
            "{} {} {} {}.",
            if ap.preliminary {
                ctx.t("ap-follow-up-supplement-to-the-preliminary-notification")
            } else {
                ctx.t("ap-follow-up-supplement-to-the-notification-with")
            },
            ap.reference,
            ctx.t("ap-fill-of"),
            ctx.when(ap.notified_at)
        ))
        .optional(),
        (DraftKind::Withdrawal, Some(ap)) => Fill::derived(format!(
            "{} {} {} {}: {}",
            ctx.t("ap-follow-up-withdrawal-of-the-notification-with"),
            ap.reference,
            ctx.t("ap-fill-of"),
            ctx.when(ap.notified_at),
            incident.withdraw_reason.as_deref().unwrap_or("—")
        ))
        .optional(),
        _ => Fill::missing().optional().note(ctx.t("ap-follow-up-optional")),
    }
}
