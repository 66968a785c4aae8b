//! The next action on an incident in a few words, as the dashboard names it ("Notify the AP",
//! "Assess severity", "Confirm or dismiss"). Which step comes next is decided in one place,
//! [`domain::next_action::primary_action`](crate::domain::next_action::primary_action), the same
//! function that picks the incident page's primary button; this module only words it for a list row.

use crate::domain::event::EventKind;
use crate::domain::incident::{Incident, State};
use crate::domain::next_action::{NextAction, primary_action};

/// The text key that words `action` for a list row.
pub fn key(action: &NextAction) -> &'static str {
    use EventKind as E;
    match action.primary {
        E::Confirm | E::Dismiss => "next-confirm-or-dismiss",
        E::Assess => "next-assess",
        E::NotifyAp if action.secondary == Some(E::DecideNotNotifiable) => "next-decide-ap",
        E::NotifyAp | E::DecideNotNotifiable => "next-notify-ap",
        E::Supplement => "next-supplement",
        E::InformSubjects | E::SubjectsNotRequired => "next-inform-subjects",
        _ => "next-close",
    }
}

/// The next action on `incident`, worded for a list row; `None` when it is closed.
pub fn next_action(incident: &Incident) -> Option<&'static str> {
    primary_action(incident).as_ref().map(key)
}

/// The next action that the state alone decides (a report awaits triage), for list rows that carry
/// no more than the state; `None` where it depends on more ([`next_action`]).
pub fn of_state(state: State) -> Option<&'static str> {
    (state == State::Reported).then_some("next-confirm-or-dismiss")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::texts;

    #[test]
    fn every_next_step_of_the_incident_page_has_words_on_the_dashboard() {
        use EventKind as E;
        let cases = [
            (E::Confirm, Some(E::Dismiss), "next-confirm-or-dismiss"),
            (E::Assess, None, "next-assess"),
            (E::NotifyAp, None, "next-notify-ap"),
            (E::NotifyAp, Some(E::DecideNotNotifiable), "next-decide-ap"),
            (E::Supplement, None, "next-supplement"),
            (E::InformSubjects, Some(E::SubjectsNotRequired), "next-inform-subjects"),
            (E::SubjectsNotRequired, Some(E::InformSubjects), "next-inform-subjects"),
            (E::Close, Some(E::Reopen), "next-close"),
        ];
        for (primary, secondary, expected) in cases {
            let action = NextAction { primary, secondary, with_draft: false };
            assert_eq!(key(&action), expected, "{primary:?}");
            assert!(texts::known_key(expected).is_some(), "{expected}");
        }
        assert_eq!(of_state(State::Reported), Some("next-confirm-or-dismiss"));
        assert_eq!(of_state(State::Confirmed), None);
    }
}
