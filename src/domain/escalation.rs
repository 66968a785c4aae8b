//! The escalation policy of DESIGN.md §4: who hears of an incident, and when.
//!
//! The policy is data (from `config/default.toml`, overridable per client); planning and firing
//! alerts from it are pure functions of the incident and `now`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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

/// A change of the notification window by law, effective for awareness from `aware_from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowChange {
    /// First instant of awareness the new window applies to.
    pub aware_from: DateTime<Utc>,
    /// The window length in hours.
    pub hours: u32,
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

impl EscalationPolicy {
    /// The notification window in hours for awareness at `controller_aware_at`.
    pub fn window_hours_at(&self, controller_aware_at: DateTime<Utc>) -> u32 {
        self.window_changes
            .iter()
            .filter(|change| change.aware_from <= controller_aware_at)
            .max_by_key(|change| change.aware_from)
            .map_or(self.window_hours, |change| change.hours)
    }
}

impl Default for EscalationPolicy {
    /// The default policy of DESIGN.md §4 (also written out in `config/default.toml`; a test keeps
    /// the two equal).
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
