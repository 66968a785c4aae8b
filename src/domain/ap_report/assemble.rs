//! The draft assembled: [`build`] fills every question of the form (`fill.rs`) and puts at the head of
//! the draft what is missing (4.5 first), what is derived and must be confirmed, and what only the AP
//! form can take; whether a notification is required as decided so far, and why (not); how late it
//! is; the notification on record; and, for a supplement, what changed since the last notified
//! version (`docs/REGULATION.md` §4, §8).

use super::context::Ctx;
use super::draft::{
    Answer, ApDraft, Change, Chapter, Completeness, DraftInput, DraftKind, HEADER, PreviousNotification,
    Provenance,
};
use super::fill;
use super::form::QuestionKey;
use super::{tr, tr_with, when};
use crate::domain::incident::{ApNotification, Incident, State};
use crate::domain::local_time;
use crate::domain::locale::Locale;

/// Builds the draft AP notification of `input.incident` at `input.now`.
pub fn build(input: &DraftInput<'_>) -> ApDraft {
    let incident = input.incident;
    let locale = input.locale;
    let ctx = Ctx::new(input, true);
    let (clock, kind, late) = (ctx.clock, ctx.kind, ctx.late);

    let chapters = fill::chapters(&ctx, &incident.facts);
    let answers: Vec<&Answer> = chapters.iter().flat_map(|c| c.answers.iter()).collect();
    let completeness =
        Completeness::count(answers.iter().map(|a| (a.required, a.on_form_only, a.provenance)));

    let mut missing_answers: Vec<&Answer> =
        answers.iter().copied().filter(|a| a.required && !a.is_answered()).collect();
    // 4.5 first: once late it is what blocks the notification.
    missing_answers.sort_by_key(|a| a.key != QuestionKey::Q4_5);
    let missing = missing_answers.iter().map(|a| a.label()).collect();
    let to_confirm = answers
        .iter()
        .filter(|a| a.required && a.provenance == Provenance::Derived)
        .map(|a| a.label())
        .collect();
    let fill_in_on_form = answers.iter().filter(|a| a.on_form_only).map(|a| a.label()).collect();

    let changes = match (kind, &incident.notified_snapshot) {
        (DraftKind::Supplement, Some(snapshot)) => changes(&chapters, &fill::chapters(&ctx, snapshot)),
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
        header: tr(locale, HEADER).to_string(),
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
                ctx.t("ap-draft-not-notifiable"),
                text(&incident.not_notifiable_justification)
            )),
        )
    };
    let dismissed = || {
        (
            false,
            Some(format!(
                "{}: {}",
                ctx.t("ap-draft-no-personal-data-breach"),
                text(&incident.dismiss_reason)
            )),
        )
    };
    if ctx.kind == DraftKind::Withdrawal {
        // The date and the reason have fields of their own (`previous`, `withdrawal_reason`).
        return (false, Some(ctx.t("ap-draft-the-notification-was-withdrawn").to_string()));
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
            Some(tr_with(
                ctx.locale,
                "ap-draft-not-yet-confirmed-as-a",
                &[("hours", &ctx.window_hours.to_string())],
            )),
        ),
        State::Confirmed if ctx.severity.as_ref().is_some_and(|s| !s.proposed_ap) => {
            (true, Some(ctx.t("ap-draft-proposal-from-the-severity-assessment").to_string()))
        }
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
