//! The one next action on an incident, as the dashboard names it ("Notify the AP", "Assess
//! severity", "Confirm or dismiss"): derived from the state and what is still missing, by one pure
//! function, so that every row (and any other page that wants it) says the same.

use crate::domain::incident::{Incident, State, SubjectsDecision};

/// What the incident waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextAction {
    /// A report to triage: confirm the breach or dismiss it.
    ConfirmOrDismiss,
    /// A confirmed breach without a severity assessment.
    Assess,
    /// Assessed, notifying the AP proposed (or required once the deadline passed).
    NotifyAp,
    /// Assessed, notifying the AP not proposed: notify anyway or record why not.
    DecideAp,
    /// A preliminary AP notification waits for its completing supplement (art. 33(4)).
    Supplement,
    /// A high-risk breach without a decision on informing the data subjects (art. 34).
    InformSubjects,
    /// Decided: the register entry can be closed.
    Close,
}

impl NextAction {
    /// The text key of the action.
    pub fn key(self) -> &'static str {
        match self {
            NextAction::ConfirmOrDismiss => "next-confirm-or-dismiss",
            NextAction::Assess => "next-assess",
            NextAction::NotifyAp => "next-notify-ap",
            NextAction::DecideAp => "next-decide-ap",
            NextAction::Supplement => "next-supplement",
            NextAction::InformSubjects => "next-inform-subjects",
            NextAction::Close => "next-close",
        }
    }
}

/// The next action that the state alone decides (a report awaits triage), for list rows that carry
/// no more than the state; `None` where it depends on more ([`next_action`]).
pub fn of_state(state: State) -> Option<NextAction> {
    match state {
        State::Reported => Some(NextAction::ConfirmOrDismiss),
        _ => None,
    }
}

/// The next action on `incident`, or `None` when it is closed.
pub fn next_action(incident: &Incident) -> Option<NextAction> {
    let severity = incident.severity();
    let subjects_open = matches!(incident.subjects, SubjectsDecision::Undecided)
        && severity.as_ref().is_some_and(|s| s.proposed_subjects);
    match incident.state {
        State::Reported => of_state(State::Reported),
        State::Confirmed => Some(match severity {
            None => NextAction::Assess,
            Some(s) if s.proposed_ap => NextAction::NotifyAp,
            Some(_) => NextAction::DecideAp,
        }),
        State::ApNotified if incident.preliminary_open() => Some(NextAction::Supplement),
        State::ApNotified | State::NotNotifiable | State::ApWithdrawn if subjects_open => {
            Some(NextAction::InformSubjects)
        }
        State::ApNotified | State::NotNotifiable | State::ApWithdrawn | State::Dismissed => {
            Some(NextAction::Close)
        }
        State::Closed => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{ClientId, IncidentId, UserId};
    use crate::domain::incident::{ApNotification, Assessment, Facts};
    use crate::domain::severity::{Ease, SeverityInput};
    use chrono::{DateTime, Utc};

    fn at() -> DateTime<Utc> {
        "2026-10-22T10:00:00Z".parse().unwrap()
    }

    fn incident(state: State) -> Incident {
        let mut i = Incident::reported(
            IncidentId("i".into()),
            (&ClientId("c".into()), "acme"),
            "ACME-2026-0001",
            Facts::new("t", "s", at()),
            at(),
            (&UserId("u".into()), "u@example.org"),
        );
        i.state = state;
        i
    }

    fn assessed(mut i: Incident, dpc: u8, confidentiality: u8) -> Incident {
        let input = SeverityInput {
            dpc,
            ease_of_identification: Ease::Maximum,
            confidentiality,
            integrity: 0,
            availability: 0,
            malicious: false,
            unintelligible: false,
            vulnerable_subjects: false,
        };
        i.assessment =
            Some(Assessment { input, rationale: "r".into(), assessed_at: at(), assessed_by: "o".into() });
        i
    }

    #[test]
    fn each_state_names_what_it_waits_for() {
        assert_eq!(next_action(&incident(State::Reported)), Some(NextAction::ConfirmOrDismiss));
        assert_eq!(next_action(&incident(State::Confirmed)), Some(NextAction::Assess));
        assert_eq!(next_action(&assessed(incident(State::Confirmed), 3, 1)), Some(NextAction::NotifyAp));
        assert_eq!(next_action(&assessed(incident(State::Confirmed), 1, 0)), Some(NextAction::DecideAp));
        assert_eq!(next_action(&incident(State::Dismissed)), Some(NextAction::Close));
        assert_eq!(next_action(&incident(State::Closed)), None);
        let mut notified = assessed(incident(State::ApNotified), 4, 2);
        notified.ap = Some(ApNotification {
            notified_at: at(),
            reference: "AP-1".into(),
            preliminary: true,
            delay_reason: None,
        });
        assert_eq!(next_action(&notified), Some(NextAction::Supplement));
        notified.ap.as_mut().unwrap().preliminary = false;
        assert_eq!(next_action(&notified), Some(NextAction::InformSubjects), "high risk, subjects undecided");
        notified.subjects = SubjectsDecision::NotRequired {
            ground: crate::domain::vocabulary::SubjectsGround::NoHighRisk,
            explanation: "e".into(),
        };
        assert_eq!(next_action(&notified), Some(NextAction::Close));
    }
}
