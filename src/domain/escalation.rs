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

/// Hours after `controller_aware_at` at which the milestones A1–A5 fall due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestones {
    /// 48 hours left by default.
    pub a1: u32,
    /// 24 hours left by default.
    pub a2: u32,
    /// 12 hours left by default.
    pub a3: u32,
    /// 4 hours left by default.
    pub a4: u32,
    /// The deadline by default.
    pub a5: u32,
}

/// Who receives each alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
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
    /// A preliminary AP notification not supplemented after `supplement_reminder_days`.
    S1,
}

impl AlertCode {
    /// Every code.
    pub const ALL: [AlertCode; 10] = [
        AlertCode::P0,
        AlertCode::P1,
        AlertCode::A0,
        AlertCode::U0,
        AlertCode::A1,
        AlertCode::A2,
        AlertCode::A3,
        AlertCode::A4,
        AlertCode::A5,
        AlertCode::S1,
    ];

    /// The milestones counted from the controller's awareness.
    pub const MILESTONES: [AlertCode; 5] =
        [AlertCode::A1, AlertCode::A2, AlertCode::A3, AlertCode::A4, AlertCode::A5];

    /// The wire name (`P0`, `A4`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertCode::P0 => "P0",
            AlertCode::P1 => "P1",
            AlertCode::A0 => "A0",
            AlertCode::U0 => "U0",
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
            AlertCode::A1 | AlertCode::A2 | AlertCode::A3 | AlertCode::A4 | AlertCode::A5 => {
                incident.state == State::Confirmed
            }
            AlertCode::S1 => {
                incident.state == State::ApNotified
                    && incident.ap.as_ref().is_some_and(|ap| ap.preliminary)
                    && incident.supplements.is_empty()
            }
        }
    }

    /// P0 and A0 are mailed even when a later alert of the same incident is due at the same tick.
    pub fn always_mailed(self) -> bool {
        matches!(self, AlertCode::P0 | AlertCode::A0)
    }

    /// Who receives it under `policy`.
    pub fn audience(self, policy: &EscalationPolicy) -> &[Audience] {
        let r = &policy.recipients;
        match self {
            AlertCode::P0 => &r.p0,
            AlertCode::P1 => &r.p1,
            AlertCode::A0 => &r.a0,
            AlertCode::U0 => &r.u0,
            AlertCode::A1 => &r.a1,
            AlertCode::A2 => &r.a2,
            AlertCode::A3 => &r.a3,
            AlertCode::A4 => &r.a4,
            AlertCode::A5 => &r.a5,
            AlertCode::S1 => &r.a0,
        }
    }

    /// Hours after `controller_aware_at` of a milestone (A1–A5).
    pub fn milestone_hours(self, policy: &EscalationPolicy) -> Option<u32> {
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

/// A0–A5 from the controller's awareness.
fn milestones(
    controller_aware_at: DateTime<Utc>,
    policy: &EscalationPolicy,
    with_a0: bool,
) -> Vec<PlannedAlert> {
    let mut out = Vec::new();
    if with_a0 {
        out.push(planned(AlertCode::A0, controller_aware_at));
    }
    for code in AlertCode::MILESTONES {
        if let Some(h) = code.milestone_hours(policy) {
            out.push(planned(code, controller_aware_at + hours(h)));
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
        EventKind::Confirm => {
            if let Some(aware) = after.controller_aware_at {
                change.plan = milestones(aware, policy, true);
            }
        }
        EventKind::Reopen => match (after.state, after.controller_aware_at) {
            // The original awareness is kept: milestones already past fall due at once and the
            // catch-up rule mails only the newest of them.
            (State::Confirmed, Some(aware)) => change.plan = milestones(aware, policy, false),
            (State::Reported, _) => {
                change.plan = vec![planned(AlertCode::P1, now + hours(policy.triage_hours))]
            }
            _ => {}
        },
        EventKind::CorrectAwareness => {
            if let Some(aware) = after.controller_aware_at
                && before.controller_aware_at != after.controller_aware_at
            {
                change.reschedule = milestones(aware, policy, true);
            }
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
/// next overdue reminder after A5 (skipping reminders missed during an outage).
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
        AlertCode::A5 if incident.state == State::Confirmed && policy.overdue_repeat_hours > 0 => {
            let step = hours(policy.overdue_repeat_hours);
            let mut due = sent.due_at + step;
            let mut repeat_no = sent.repeat_no + 1;
            while due <= fired_at {
                due += step;
                repeat_no += 1;
            }
            Some(PlannedAlert { code: AlertCode::A5, due_at: due, repeat_no })
        }
        _ => None,
    }
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
            milestones: Milestones { a1: 24, a2: 48, a3: 60, a4: 68, a5: 72 },
            recipients: Recipients {
                p0: vec![Officers, Dpo],
                p1: vec![Officers, Management],
                a0: alarm.clone(),
                u0: alarm.clone(),
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

    #[test]
    fn the_window_follows_changes_by_date_of_awareness() {
        let mut policy = EscalationPolicy::default();
        let change: DateTime<Utc> = "2028-01-01T00:00:00Z".parse().unwrap();
        policy.window_changes.push(WindowChange { aware_from: change, hours: 96 });
        assert_eq!(policy.window_hours_at(change - chrono::Duration::seconds(1)), 72);
        assert_eq!(policy.window_hours_at(change), 96);
    }
}
