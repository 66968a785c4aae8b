//! The escalation policy (`docs/ARCHITECTURE.md` §6): who hears of an incident, and when.
//!
//! The policy is data (from `config/default.toml`, overridable per client); planning and firing
//! alerts from it are pure functions of the incident and `now`.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

pub use super::deadline::WindowChange;
use super::deadline::{self, LegalWindow};
use super::event::EventKind;
use super::incident::{Incident, State};

/// A group of addresses an alert goes to. Resolved to addresses when the alert fires; each address
/// gets one mail per alert however many audiences name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The client's DPO address.
    Dpo,
    /// The client's escalation addresses.
    ClientContacts,
    /// Every active user with role officer.
    Officers,
    /// The addresses in `escalation.management_emails`.
    Management,
    /// The user who reported the incident.
    Reporter,
}

/// Hours **before the incident's own deadline** (`deadline_at`) at which the milestones A1–A5 fall
/// due: with a longer legal window (`window_changes`) they move with the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestones {
    /// 48 hours before the deadline by default.
    pub a1: u32,
    /// 24 hours before the deadline by default.
    pub a2: u32,
    /// 12 hours before the deadline by default.
    pub a3: u32,
    /// 4 hours before the deadline by default.
    pub a4: u32,
    /// At the deadline (0) by default.
    pub a5: u32,
}

impl Milestones {
    /// Checks that the milestones are hours before a deadline `window_hours` after awareness:
    /// `a1 > a2 > a3 > a4 >= a5 >= 0` and `a1 < window_hours`. The error names the key (under
    /// `prefix`, e.g. `escalation.milestones`), so that an old configuration that counted hours
    /// after awareness (24, 48, 60, 68, 72) is refused rather than silently reinterpreted.
    pub fn check(&self, prefix: &str, window_hours: u32) -> Result<(), String> {
        let why = "the milestones are hours before the deadline, so a1 > a2 > a3 > a4 >= a5 >= 0 (e.g. 48, 24, 12, 4, 0)";
        let pairs =
            [("a1", self.a1, "a2", self.a2), ("a2", self.a2, "a3", self.a3), ("a3", self.a3, "a4", self.a4)];
        for (earlier, e, later, l) in pairs {
            if l >= e {
                return Err(format!("{prefix}.{later} = {l} must be less than {earlier} = {e}: {why}"));
            }
        }
        if self.a5 > self.a4 {
            return Err(format!("{prefix}.a5 = {} must be at most a4 = {}: {why}", self.a5, self.a4));
        }
        if self.a1 >= window_hours {
            return Err(format!(
                "{prefix}.a1 = {} must be less than the {window_hours}-hour window: {why}",
                self.a1
            ));
        }
        Ok(())
    }
}

fn default_c0() -> Vec<Audience> {
    vec![Audience::Dpo, Audience::Officers, Audience::Management]
}

/// Who receives each alert.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipients {
    /// Suspected breach reported (the reporter also gets a receipt).
    pub p0: Vec<Audience>,
    /// Not triaged in time.
    pub p1: Vec<Audience>,
    /// Breach confirmed: the controller's notice.
    pub a0: Vec<Audience>,
    /// A0 not acknowledged in time.
    pub u0: Vec<Audience>,
    /// The conservative deadline (processor awareness + the window) passed before the AP was
    /// notified. Absent from a stored client policy: DPO, officers and management.
    #[serde(default = "default_c0")]
    pub c0: Vec<Audience>,
    /// First milestone.
    pub a1: Vec<Audience>,
    /// Second milestone.
    pub a2: Vec<Audience>,
    /// Third milestone.
    pub a3: Vec<Audience>,
    /// Fourth milestone.
    pub a4: Vec<Audience>,
    /// Deadline passed, and the reminders after it.
    pub a5: Vec<Audience>,
}

/// The whole escalation policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationPolicy {
    /// Art. 33(1) window in hours (72).
    pub window_hours: u32,
    /// Later changes of the window, keyed by the date of awareness.
    #[serde(default)]
    pub window_changes: Vec<WindowChange>,
    /// Hours a report may stay untriaged before P1.
    pub triage_hours: u32,
    /// Hours after A0 before U0.
    pub unacknowledged_hours: u32,
    /// Repeat interval of the A5 reminder while overdue.
    pub overdue_repeat_hours: u32,
    /// Days before a preliminary AP notification gets a supplement reminder.
    pub supplement_reminder_days: u32,
    /// Addresses of the "management" audience.
    #[serde(default)]
    pub management_emails: Vec<String>,
    /// When A1–A5 fall due.
    pub milestones: Milestones,
    /// Who receives what.
    pub recipients: Recipients,
}

impl LegalWindow for EscalationPolicy {
    fn window_hours_at(&self, controller_aware_at: DateTime<Utc>) -> u32 {
        deadline::window_hours_at(self.window_hours, &self.window_changes, controller_aware_at)
    }
}

/// A client's overrides of the escalation policy (the 72-hour window itself is law and cannot be
/// overridden per client).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ClientPolicy {
    /// Other milestone instants.
    #[serde(default)]
    pub milestones: Option<Milestones>,
    /// Other recipients.
    #[serde(default)]
    pub recipients: Option<Recipients>,
    /// Another triage limit.
    #[serde(default)]
    pub triage_hours: Option<u32>,
    /// Another acknowledgement limit.
    #[serde(default)]
    pub unacknowledged_hours: Option<u32>,
}

impl EscalationPolicy {
    /// The policy for a client with `overrides`.
    pub fn for_client(&self, overrides: Option<&ClientPolicy>) -> EscalationPolicy {
        let mut policy = self.clone();
        if let Some(o) = overrides {
            if let Some(m) = o.milestones {
                policy.milestones = m;
            }
            if let Some(r) = &o.recipients {
                policy.recipients = r.clone();
            }
            if let Some(h) = o.triage_hours {
                policy.triage_hours = h;
            }
            if let Some(h) = o.unacknowledged_hours {
                policy.unacknowledged_hours = h;
            }
        }
        policy
    }
}

/// The milestones and escalations (`docs/ARCHITECTURE.md` §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AlertCode {
    /// A suspected breach was reported (due at `reported_at`).
    P0,
    /// Not triaged after `triage_hours`.
    P1,
    /// Breach confirmed: the controller's notice (due at `controller_aware_at`).
    A0,
    /// A0 not acknowledged after `unacknowledged_hours`.
    U0,
    /// The conservative deadline (`processor_aware_at` + the window) passed while the AP is not yet
    /// notified; planned only when it is earlier than the legal deadline.
    C0,
    /// 48 hours left (by default).
    A1,
    /// 24 hours left.
    A2,
    /// 12 hours left.
    A3,
    /// 4 hours left.
    A4,
    /// Deadline passed; repeats every `overdue_repeat_hours` while still confirmed.
    A5,
    /// A preliminary AP notification not completed after `supplement_reminder_days`; repeats every
    /// `supplement_reminder_days` while it is not.
    S1,
}

impl AlertCode {
    /// Every code.
    pub const ALL: [AlertCode; 11] = [
        AlertCode::P0,
        AlertCode::P1,
        AlertCode::A0,
        AlertCode::U0,
        AlertCode::C0,
        AlertCode::A1,
        AlertCode::A2,
        AlertCode::A3,
        AlertCode::A4,
        AlertCode::A5,
        AlertCode::S1,
    ];

    /// The milestones counted back from the deadline.
    pub const MILESTONES: [AlertCode; 5] =
        [AlertCode::A1, AlertCode::A2, AlertCode::A3, AlertCode::A4, AlertCode::A5];

    /// The wire name (`P0`, `A4`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertCode::P0 => "P0",
            AlertCode::P1 => "P1",
            AlertCode::A0 => "A0",
            AlertCode::U0 => "U0",
            AlertCode::C0 => "C0",
            AlertCode::A1 => "A1",
            AlertCode::A2 => "A2",
            AlertCode::A3 => "A3",
            AlertCode::A4 => "A4",
            AlertCode::A5 => "A5",
            AlertCode::S1 => "S1",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Option<AlertCode> {
        AlertCode::ALL.into_iter().find(|c| c.as_str() == value)
    }

    /// Whether the alert still applies to `incident` (the "holds while" column of
    /// `docs/ARCHITECTURE.md` §6). An alert that no longer applies when it falls due is suppressed.
    pub fn holds(self, incident: &Incident) -> bool {
        match self {
            AlertCode::P0 | AlertCode::A0 => true,
            AlertCode::P1 => incident.state == State::Reported,
            AlertCode::U0 => incident.acknowledged_at.is_none() && incident.state == State::Confirmed,
            AlertCode::C0 => matches!(incident.state, State::Reported | State::Confirmed),
            AlertCode::A1 | AlertCode::A2 | AlertCode::A3 | AlertCode::A4 | AlertCode::A5 => {
                incident.state == State::Confirmed
            }
            AlertCode::S1 => incident.state == State::ApNotified && incident.preliminary_open(),
        }
    }

    /// P0, A0 and C0 are mailed even when a later alert of the same incident is due at the same
    /// tick: each says something no later alert repeats (C0: under the strict reading the window
    /// has passed, and 4.5 must explain the processor's delay), so none may be superseded.
    pub fn always_mailed(self) -> bool {
        matches!(self, AlertCode::P0 | AlertCode::A0 | AlertCode::C0)
    }

    /// Who receives it under `policy`.
    pub fn audience(self, policy: &EscalationPolicy) -> &[Audience] {
        let r = &policy.recipients;
        match self {
            AlertCode::P0 => &r.p0,
            AlertCode::P1 => &r.p1,
            AlertCode::A0 => &r.a0,
            AlertCode::U0 => &r.u0,
            AlertCode::C0 => &r.c0,
            AlertCode::A1 => &r.a1,
            AlertCode::A2 => &r.a2,
            AlertCode::A3 => &r.a3,
            AlertCode::A4 => &r.a4,
            AlertCode::A5 => &r.a5,
            AlertCode::S1 => &r.a0,
        }
    }

    /// Hours before the deadline of a milestone (A1–A5).
    pub fn hours_before_deadline(self, policy: &EscalationPolicy) -> Option<u32> {
        let m = &policy.milestones;
        match self {
            AlertCode::A1 => Some(m.a1),
            AlertCode::A2 => Some(m.a2),
            AlertCode::A3 => Some(m.a3),
            AlertCode::A4 => Some(m.a4),
            AlertCode::A5 => Some(m.a5),
            _ => None,
        }
    }
}

impl std::fmt::Display for AlertCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An alert to put on the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedAlert {
    /// Which.
    pub code: AlertCode,
    /// When it falls due (fires when `now >= due_at`).
    pub due_at: DateTime<Utc>,
    /// 0, or the number of the overdue reminder (A5).
    pub repeat_no: i32,
}

fn planned(code: AlertCode, due_at: DateTime<Utc>) -> PlannedAlert {
    PlannedAlert { code, due_at, repeat_no: 0 }
}

fn hours(h: u32) -> Duration {
    Duration::hours(i64::from(h))
}

/// The alerts planned when an incident is reported: P0 at once, P1 after the triage limit.
pub fn plan_on_report(incident: &Incident, policy: &EscalationPolicy) -> Vec<PlannedAlert> {
    vec![
        planned(AlertCode::P0, incident.reported_at),
        planned(AlertCode::P1, incident.reported_at + hours(policy.triage_hours)),
    ]
}

/// C0's instant: the conservative deadline, when it is earlier than the legal one.
fn conservative_due(incident: &Incident, policy: &EscalationPolicy) -> Option<DateTime<Utc>> {
    let aware = incident.controller_aware_at?;
    let conservative = deadline::deadline(incident.processor_aware_at?, policy);
    (conservative < deadline::deadline(aware, policy)).then_some(conservative)
}

/// A0 (with `with_a0`) at the controller's awareness, C0 at the conservative deadline when that is
/// earlier, and A1–A5 counted back from the incident's own deadline; nothing before confirmation.
pub fn milestones(incident: &Incident, policy: &EscalationPolicy, with_a0: bool) -> Vec<PlannedAlert> {
    let Some(aware) = incident.controller_aware_at else {
        return Vec::new();
    };
    let deadline_at = deadline::deadline(aware, policy);
    let mut out = Vec::new();
    if with_a0 {
        out.push(planned(AlertCode::A0, aware));
    }
    if let Some(due) = conservative_due(incident, policy) {
        out.push(planned(AlertCode::C0, due));
    }
    for code in AlertCode::MILESTONES {
        if let Some(h) = code.hours_before_deadline(policy) {
            out.push(planned(code, deadline_at - hours(h)));
        }
    }
    out
}

/// How an accepted event changes the schedule. Besides this, every planned alert that no longer
/// [`holds`](AlertCode::holds) for the incident after the event is suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanChange {
    /// New alerts, in a new plan generation.
    pub plan: Vec<PlannedAlert>,
    /// New due instants for alerts still planned (correct_awareness).
    pub reschedule: Vec<PlannedAlert>,
    /// Codes whose planned alerts no longer apply (C0 when a correction makes the conservative
    /// deadline no earlier than the legal one): they are suppressed.
    pub drop: Vec<AlertCode>,
}

/// The schedule change of an event of `kind` that turned `before` into `after` at `now`.
pub fn plan_on_event(
    before: &Incident,
    after: &Incident,
    kind: EventKind,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> PlanChange {
    let mut change = PlanChange::default();
    match kind {
        EventKind::Confirm => change.plan = milestones(after, policy, true),
        EventKind::Reopen => match (after.state, after.controller_aware_at) {
            // The original awareness is kept: milestones already past fall due at once and the
            // catch-up rule mails only the newest of them. C0 is planned again only while the
            // conservative deadline is still ahead: one already passed was told when it passed
            // (or, notified in time, did not need telling), and the mails of a reopened incident
            // speak of it in the past tense anyway.
            (State::Confirmed, Some(_)) => {
                change.plan = milestones(after, policy, false)
                    .into_iter()
                    .filter(|a| a.code != AlertCode::C0 || a.due_at > now)
                    .collect()
            }
            (State::Reported, _) => {
                change.plan = vec![planned(AlertCode::P1, now + hours(policy.triage_hours))]
            }
            _ => {}
        },
        EventKind::CorrectAwareness
            if before.controller_aware_at != after.controller_aware_at
                || before.processor_aware_at != after.processor_aware_at =>
        {
            let moved = milestones(after, policy, true);
            match (conservative_due(before, policy), conservative_due(after, policy)) {
                (None, Some(due)) if after.state == State::Confirmed => {
                    change.plan = vec![planned(AlertCode::C0, due)]
                }
                (Some(_), None) => change.drop = vec![AlertCode::C0],
                _ => {}
            }
            change.reschedule = moved.into_iter().filter(|a| !change.plan.contains(a)).collect();
        }
        EventKind::NotifyAp => {
            if let Some(ap) = after.ap.as_ref().filter(|ap| ap.preliminary) {
                let due = ap.notified_at + Duration::days(i64::from(policy.supplement_reminder_days));
                change.plan = vec![planned(AlertCode::S1, due)];
            }
        }
        _ => {}
    }
    change
}

/// The alert that follows one just sent at `fired_at`, if any: U0 after an unacknowledged A0; the
/// next overdue reminder after A5, and the next supplement reminder after S1 while the preliminary
/// notification is not completed (both skipping reminders missed during an outage).
pub fn follow_up(
    sent: &PlannedAlert,
    fired_at: DateTime<Utc>,
    incident: &Incident,
    policy: &EscalationPolicy,
) -> Option<PlannedAlert> {
    match sent.code {
        AlertCode::A0 if incident.acknowledged_at.is_none() && incident.state == State::Confirmed => {
            Some(planned(AlertCode::U0, fired_at + hours(policy.unacknowledged_hours)))
        }
        AlertCode::A5 if AlertCode::A5.holds(incident) && policy.overdue_repeat_hours > 0 => {
            Some(repeat(sent, fired_at, hours(policy.overdue_repeat_hours)))
        }
        AlertCode::S1 if AlertCode::S1.holds(incident) && policy.supplement_reminder_days > 0 => {
            Some(repeat(sent, fired_at, Duration::days(i64::from(policy.supplement_reminder_days))))
        }
        _ => None,
    }
}

/// The next repetition of `sent`, `step` after it, skipping those that fell before `fired_at`.
fn repeat(sent: &PlannedAlert, fired_at: DateTime<Utc>, step: Duration) -> PlannedAlert {
    let mut due = sent.due_at + step;
    let mut repeat_no = sent.repeat_no + 1;
    while due <= fired_at {
        due += step;
        repeat_no += 1;
    }
    PlannedAlert { code: sent.code, due_at: due, repeat_no }
}

/// What a tick does with a due alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Firing {
    /// Mail it.
    Send,
    /// A newer alert of the same incident is mailed instead.
    Supersede,
    /// It no longer applies to the incident.
    Suppress,
}

/// Decides, for the alerts of one incident due at one tick, which are mailed: those that no longer
/// hold are suppressed; P0 and A0 are always mailed; of the rest only the newest is mailed and the
/// older ones are superseded.
pub fn decide_firing(due: &[PlannedAlert], incident: &Incident) -> Vec<Firing> {
    let newest = due
        .iter()
        .enumerate()
        .filter(|(_, a)| a.code.holds(incident) && !a.code.always_mailed())
        .max_by_key(|(_, a)| (a.due_at, a.code, a.repeat_no))
        .map(|(i, _)| i);
    due.iter()
        .enumerate()
        .map(|(i, a)| {
            if !a.code.holds(incident) {
                Firing::Suppress
            } else if a.code.always_mailed() || Some(i) == newest {
                Firing::Send
            } else {
                Firing::Supersede
            }
        })
        .collect()
}

impl Default for EscalationPolicy {
    /// The default policy (`docs/ARCHITECTURE.md` §6; also written out in `config/default.toml`; a
    /// test keeps the two equal).
    fn default() -> Self {
        use Audience::*;
        let alarm = vec![Dpo, ClientContacts, Officers];
        let all = vec![Dpo, ClientContacts, Officers, Management];
        EscalationPolicy {
            window_hours: 72,
            window_changes: Vec::new(),
            triage_hours: 24,
            unacknowledged_hours: 2,
            overdue_repeat_hours: 24,
            supplement_reminder_days: 14,
            management_emails: Vec::new(),
            milestones: Milestones { a1: 48, a2: 24, a3: 12, a4: 4, a5: 0 },
            recipients: Recipients {
                p0: vec![Officers, Dpo],
                p1: vec![Officers, Management],
                a0: alarm.clone(),
                u0: alarm.clone(),
                c0: default_c0(),
                a1: vec![Dpo],
                a2: alarm.clone(),
                a3: alarm,
                a4: all.clone(),
                a5: all,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::incident::{ApNotification, Facts, Supplement};

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// Confirmed with the controller aware at `controller` and GX aware at `processor`.
    fn confirmed(processor: &str, controller: &str) -> Incident {
        let reported = Incident::reported(
            "i-1".into(),
            (&"c-1".into(), "acme"),
            "ACME-2026-0001",
            Facts::new("t", "s", t(processor)),
            t(processor),
            (&"u-1".into(), "staff@gx.example"),
        );
        Incident {
            state: State::Confirmed,
            processor_aware_at: Some(t(processor)),
            controller_aware_at: Some(t(controller)),
            ..reported
        }
    }

    fn window(hours: u32) -> EscalationPolicy {
        EscalationPolicy { window_hours: hours, ..EscalationPolicy::default() }
    }

    fn due(plan: &[PlannedAlert], code: AlertCode) -> Option<DateTime<Utc>> {
        plan.iter().find(|a| a.code == code).map(|a| a.due_at)
    }

    #[test]
    fn milestones_fall_48_24_12_4_and_0_hours_before_the_incidents_own_deadline() {
        let aware = "2026-10-22T12:30:00Z";
        // (window, processor aware, expected C0)
        let cases = [
            (72, aware, None),
            (96, aware, None),
            (72, "2026-10-20T12:30:00Z", Some(t("2026-10-23T12:30:00Z"))),
            (96, "2026-10-20T12:30:00Z", Some(t("2026-10-24T12:30:00Z"))),
        ];
        for (hours, processor, c0) in cases {
            let policy = window(hours);
            let incident = confirmed(processor, aware);
            let plan = plan_on_event(&incident, &incident, EventKind::Confirm, t(aware), &policy).plan;
            let deadline = t(aware) + Duration::hours(i64::from(hours));
            assert_eq!(due(&plan, AlertCode::A0), Some(t(aware)), "{hours}");
            for (code, before) in [
                (AlertCode::A1, 48),
                (AlertCode::A2, 24),
                (AlertCode::A3, 12),
                (AlertCode::A4, 4),
                (AlertCode::A5, 0),
            ] {
                assert_eq!(
                    due(&plan, code),
                    Some(deadline - Duration::hours(before)),
                    "{hours} h window, {code}"
                );
            }
            assert_eq!(due(&plan, AlertCode::C0), c0, "{hours} h window, processor aware {processor}");
        }
    }

    #[test]
    fn a_window_change_moves_the_milestones_with_the_deadline() {
        let mut policy = EscalationPolicy::default();
        policy.window_changes.push(WindowChange { aware_from: t("2026-01-01T00:00:00Z"), hours: 96 });
        let incident = confirmed("2026-10-22T12:30:00Z", "2026-10-22T12:30:00Z");
        let plan = milestones(&incident, &policy, false);
        assert_eq!(due(&plan, AlertCode::A5), Some(t("2026-10-26T12:30:00Z")));
        assert_eq!(due(&plan, AlertCode::A1), Some(t("2026-10-24T12:30:00Z")));
    }

    #[test]
    fn correct_awareness_reschedules_the_milestones_and_plans_or_drops_c0() {
        let policy = EscalationPolicy::default();
        let before = confirmed("2026-10-22T12:30:00Z", "2026-10-22T12:30:00Z");
        let later = Incident { controller_aware_at: Some(t("2026-10-22T18:30:00Z")), ..before.clone() };
        let change =
            plan_on_event(&before, &later, EventKind::CorrectAwareness, t("2026-10-23T00:00:00Z"), &policy);
        assert_eq!(change.plan, vec![planned(AlertCode::C0, t("2026-10-25T12:30:00Z"))]);
        assert_eq!(due(&change.reschedule, AlertCode::A5), Some(t("2026-10-25T18:30:00Z")));
        assert_eq!(due(&change.reschedule, AlertCode::A4), Some(t("2026-10-25T14:30:00Z")));
        assert!(change.drop.is_empty());
        let back =
            plan_on_event(&later, &before, EventKind::CorrectAwareness, t("2026-10-23T00:00:00Z"), &policy);
        assert_eq!(back.drop, vec![AlertCode::C0]);
        assert!(back.plan.is_empty());
    }

    /// A reopened breach does not mail C0 a second time once the conservative deadline has passed;
    /// reopened before it, C0 is planned again for that instant.
    #[test]
    fn reopening_plans_c0_again_only_while_the_conservative_deadline_is_ahead() {
        let policy = EscalationPolicy::default();
        // GX aware two days before the controller: the conservative deadline is 2026-10-23 12:30.
        let before = Incident {
            state: State::ApNotified,
            ..confirmed("2026-10-20T12:30:00Z", "2026-10-22T12:30:00Z")
        };
        let after = Incident { state: State::Confirmed, ..before.clone() };
        let codes = |now: &str| -> Vec<AlertCode> {
            plan_on_event(&before, &after, EventKind::Reopen, t(now), &policy)
                .plan
                .iter()
                .map(|a| a.code)
                .collect()
        };
        assert!(codes("2026-10-23T00:00:00Z").contains(&AlertCode::C0));
        let late = codes("2026-10-24T00:00:00Z");
        assert!(!late.contains(&AlertCode::C0), "{late:?}");
        assert!(late.contains(&AlertCode::A5), "the milestones are planned again: {late:?}");
    }

    #[test]
    fn c0_holds_until_the_ap_is_notified_and_is_never_superseded() {
        let incident = confirmed("2026-10-20T12:30:00Z", "2026-10-22T12:30:00Z");
        assert!(AlertCode::C0.holds(&incident));
        let notified = Incident { state: State::ApNotified, ..incident.clone() };
        assert!(!AlertCode::C0.holds(&notified));
        // An outage: C0, A1 and A2 due at one tick. C0 says what no milestone says.
        let due = [
            planned(AlertCode::C0, t("2026-10-23T12:30:00Z")),
            planned(AlertCode::A1, t("2026-10-23T12:30:00Z")),
            planned(AlertCode::A2, t("2026-10-24T12:30:00Z")),
        ];
        assert_eq!(decide_firing(&due, &incident), [Firing::Send, Firing::Supersede, Firing::Send]);
        assert_eq!(decide_firing(&due, &notified), [Firing::Suppress; 3]);
    }

    #[test]
    fn s1_repeats_every_reminder_period_while_the_preliminary_notification_is_open() {
        let policy = EscalationPolicy::default();
        let notified_at = t("2026-10-23T09:00:00Z");
        let incident = Incident {
            state: State::ApNotified,
            ap: Some(ApNotification {
                notified_at,
                reference: "AP-1".into(),
                preliminary: true,
                delay_reason: None,
            }),
            ..confirmed("2026-10-22T12:30:00Z", "2026-10-22T12:30:00Z")
        };
        assert!(incident.preliminary_open());
        let first = plan_on_event(&incident, &incident, EventKind::NotifyAp, notified_at, &policy).plan;
        assert_eq!(first, vec![planned(AlertCode::S1, notified_at + Duration::days(14))]);
        // (fired at, expected next due, repeat number)
        let cases = [
            (first[0].due_at, notified_at + Duration::days(28), 1),
            // Sent late after an outage of 20 days: the missed reminder is skipped.
            (first[0].due_at + Duration::days(20), notified_at + Duration::days(42), 2),
        ];
        for (fired_at, next, repeat_no) in cases {
            let follow = follow_up(&first[0], fired_at, &incident, &policy).unwrap();
            assert_eq!((follow.code, follow.due_at, follow.repeat_no), (AlertCode::S1, next, repeat_no));
        }
        let partial =
            Supplement { at: notified_at, note: "first figures".into(), ap_reference: None, complete: false };
        let still_open = Incident { supplements: vec![partial.clone()], ..incident.clone() };
        assert!(still_open.preliminary_open(), "a supplement not marked complete leaves it open");
        assert!(AlertCode::S1.holds(&still_open));
        let completed = Incident {
            supplements: vec![
                partial,
                Supplement { note: "complete".into(), complete: true, ..still_open.supplements[0].clone() },
            ],
            ..incident.clone()
        };
        assert!(!completed.preliminary_open());
        assert!(!AlertCode::S1.holds(&completed));
        assert_eq!(follow_up(&first[0], first[0].due_at, &completed, &policy), None);
        let final_notification = Incident {
            ap: incident.ap.clone().map(|ap| ApNotification { preliminary: false, ..ap }),
            ..incident
        };
        assert!(!AlertCode::S1.holds(&final_notification));
    }

    #[test]
    fn milestones_must_be_hours_before_the_deadline() {
        let ok = Milestones { a1: 48, a2: 24, a3: 12, a4: 4, a5: 0 };
        assert_eq!(ok.check("escalation.milestones", 72), Ok(()));
        let old = Milestones { a1: 24, a2: 48, a3: 60, a4: 68, a5: 72 };
        let error = old.check("escalation.milestones", 72).unwrap_err();
        assert!(error.starts_with("escalation.milestones.a2 = 48 must be less than a1 = 24"), "{error}");
        assert!(error.contains("hours before the deadline"), "{error}");
        let cases = [
            (Milestones { a5: 5, ..ok }, "escalation.milestones.a5"),
            (Milestones { a3: 24, ..ok }, "escalation.milestones.a3"),
            (Milestones { a1: 72, ..ok }, "escalation.milestones.a1"),
        ];
        for (milestones, key) in cases {
            assert!(milestones.check("escalation.milestones", 72).unwrap_err().starts_with(key), "{key}");
        }
        assert_eq!(Milestones { a4: 0, a5: 0, ..ok }.check("escalation.milestones", 72), Ok(()));
    }

    #[test]
    fn the_window_follows_changes_by_date_of_awareness() {
        let mut policy = EscalationPolicy::default();
        let change: DateTime<Utc> = "2028-01-01T00:00:00Z".parse().unwrap();
        policy.window_changes.push(WindowChange { aware_from: change, hours: 96 });
        assert_eq!(policy.window_hours_at(change - chrono::Duration::seconds(1)), 72);
        assert_eq!(policy.window_hours_at(change), 96);
    }
}
