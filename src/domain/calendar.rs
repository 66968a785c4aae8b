//! What a user's deadline calendar holds (the iCalendar feed is written by `web::calendar`): one
//! entry per running clock at its deadline, with reminders at the escalation milestones, and one
//! at the conservative deadline where the processor's later report makes it earlier. Only
//! references, client names and instants: no free text of the incident ever leaves in a feed that
//! a calendar service stores.

use chrono::{DateTime, Utc};

use super::deadline::{Clock, ClockState};
use super::escalation::EscalationPolicy;
use super::incident::Incident;

/// Which deadline an entry marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineKind {
    /// The legal deadline: the controller's awareness plus the window (art. 33(1)).
    Legal,
    /// The conservative deadline: the processor's awareness plus the window, earlier than the legal
    /// one when the processor told the controller late.
    Conservative,
}

impl DeadlineKind {
    /// The stable part of the entry's id.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::Legal => "deadline",
            DeadlineKind::Conservative => "conservative",
        }
    }
}

/// One calendar entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineEntry {
    /// The incident's id: with the kind, the entry's stable id, so that a calendar updates the
    /// entry in place when the deadline moves.
    pub incident_id: String,
    /// `ACME-2026-0007`.
    pub reference: String,
    /// The client's name.
    pub client_name: String,
    /// Which deadline.
    pub kind: DeadlineKind,
    /// When.
    pub at: DateTime<Utc>,
    /// Reminders, in hours before `at`, largest first (0: at the deadline itself).
    pub reminders_hours_before: Vec<u32>,
    /// Changes with every change of the incident (its version), so calendars take the new times.
    pub sequence: u32,
}

/// The entries of `incidents` (each with its client's name) at `now`, earliest first. Incidents
/// whose clock does not run (not confirmed, notified, closed, …) have none: a calendar that
/// refreshes the feed drops them.
pub fn entries<'a>(
    incidents: impl IntoIterator<Item = (&'a Incident, &'a str)>,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Vec<DeadlineEntry> {
    let m = &policy.milestones;
    let mut reminders: Vec<u32> = vec![m.a1, m.a2, m.a3, m.a4, m.a5];
    reminders.dedup();
    let mut out = Vec::new();
    for (incident, client_name) in incidents {
        let clock = Clock::of(incident, now, policy);
        let (ClockState::Running, Some(deadline)) = (clock.state, clock.deadline_at) else { continue };
        let entry = |kind, at, reminders_hours_before| DeadlineEntry {
            incident_id: incident.id.0.clone(),
            reference: incident.reference.clone(),
            client_name: client_name.to_string(),
            kind,
            at,
            reminders_hours_before,
            sequence: u32::try_from(incident.version).unwrap_or(u32::MAX),
        };
        out.push(entry(DeadlineKind::Legal, deadline, reminders.clone()));
        if let Some(conservative) = clock.conservative_deadline_at.filter(|c| *c < deadline) {
            out.push(entry(DeadlineKind::Conservative, conservative, vec![0]));
        }
    }
    out.sort_by(|a, b| (a.at, &a.reference).cmp(&(b.at, &b.reference)));
    out
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::domain::incident::{Facts, State};

    fn default_policy() -> EscalationPolicy {
        EscalationPolicy::default()
    }

    /// Confirmed, GX and the controller aware on 1 October 2026 at 09:00 UTC.
    fn confirmed_incident() -> Incident {
        let at: DateTime<Utc> = "2026-10-01T09:00:00Z".parse().unwrap();
        let reported = Incident::reported(
            "i-1".into(),
            (&"c-1".into(), "acme"),
            "ACME-2026-0001",
            Facts::new("t", "s", at),
            at,
            (&"u-1".into(), "staff@gx.example"),
        );
        Incident {
            state: State::Confirmed,
            processor_aware_at: Some(at),
            controller_aware_at: Some(at),
            ..reported
        }
    }

    #[test]
    fn a_running_clock_is_one_entry_at_its_deadline_with_the_milestones_as_reminders() {
        let policy = default_policy();
        let incident = confirmed_incident();
        let now = incident.controller_aware_at.unwrap() + Duration::hours(1);
        let entries = entries([(&incident, "Acme")], now, &policy);
        assert_eq!(entries.len(), 1, "{entries:?}");
        let entry = &entries[0];
        assert_eq!(entry.kind, DeadlineKind::Legal);
        assert_eq!(entry.at, incident.controller_aware_at.unwrap() + Duration::hours(72));
        assert_eq!(entry.reminders_hours_before, [48, 24, 12, 4, 0]);
        assert_eq!(
            (entry.reference.as_str(), entry.client_name.as_str()),
            (incident.reference.as_str(), "Acme")
        );
    }

    #[test]
    fn a_late_processor_report_adds_the_earlier_conservative_deadline() {
        let policy = default_policy();
        let mut incident = confirmed_incident();
        let controller = incident.controller_aware_at.unwrap();
        incident.processor_aware_at = Some(controller - Duration::hours(30));
        let entries = entries([(&incident, "Acme")], controller, &policy);
        let kinds: Vec<_> = entries.iter().map(|e| (e.kind, e.at)).collect();
        assert_eq!(
            kinds,
            [
                (DeadlineKind::Conservative, controller - Duration::hours(30) + Duration::hours(72)),
                (DeadlineKind::Legal, controller + Duration::hours(72)),
            ]
        );
    }

    #[test]
    fn a_clock_that_does_not_run_has_no_entry() {
        let policy = default_policy();
        let mut incident = confirmed_incident();
        let now = incident.controller_aware_at.unwrap();
        for state in
            [State::Reported, State::Dismissed, State::ApNotified, State::NotNotifiable, State::Closed]
        {
            incident.state = state;
            assert!(entries([(&incident, "Acme")], now, &policy).is_empty(), "{state:?}");
        }
    }
}
