//! The one next step on an incident: which event the incident page offers first (and which beside
//! it), chosen by the state and by what is still missing. Every other event the lifecycle allows
//! stays available, behind "More actions".

use super::event::EventKind;
use super::incident::{Incident, State, SubjectsDecision};

/// The next step on an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextAction {
    /// The one event offered first.
    pub primary: EventKind,
    /// The alternative offered beside it, if any (dismiss beside confirm).
    pub secondary: Option<EventKind>,
    /// The draft AP notification belongs beside it (recording the AP notification).
    pub with_draft: bool,
}

impl NextAction {
    const fn only(primary: EventKind) -> NextAction {
        NextAction { primary, secondary: None, with_draft: false }
    }

    const fn or(primary: EventKind, secondary: EventKind) -> NextAction {
        NextAction { primary, secondary: Some(secondary), with_draft: false }
    }
}

/// The next step on `incident`, `None` when nothing is left to do (closed):
///
/// | state | what is missing | primary | beside it |
/// | --- | --- | --- | --- |
/// | reported | — | confirm | dismiss |
/// | confirmed | the assessment | assess | — |
/// | confirmed | assessed | notify_ap (with the draft) | decide_not_notifiable when the severity does not propose notifying |
/// | ap_notified, not_notifiable | the data subjects' decision | inform_subjects when proposed, else subjects_not_required | the other one |
/// | ap_notified | the completing supplement of a preliminary notification | supplement | — |
/// | ap_notified, not_notifiable | nothing | close | — |
/// | ap_withdrawn, dismissed | — | close | reopen |
/// | closed | — | none | — |
pub fn primary_action(incident: &Incident) -> Option<NextAction> {
    use EventKind as E;
    let severity = incident.severity();
    Some(match incident.state {
        State::Reported => NextAction::or(E::Confirm, E::Dismiss),
        State::Confirmed => match severity {
            None => NextAction::only(E::Assess),
            Some(s) => NextAction {
                primary: E::NotifyAp,
                secondary: (!s.proposed_ap).then_some(E::DecideNotNotifiable),
                with_draft: true,
            },
        },
        State::ApNotified | State::NotNotifiable
            if incident.subjects == SubjectsDecision::Undecided && incident.was_confirmed() =>
        {
            if severity.is_some_and(|s| s.proposed_subjects) {
                NextAction::or(E::InformSubjects, E::SubjectsNotRequired)
            } else {
                NextAction::or(E::SubjectsNotRequired, E::InformSubjects)
            }
        }
        State::ApNotified if incident.preliminary_open() => NextAction::only(E::Supplement),
        State::ApNotified | State::NotNotifiable => NextAction::only(E::Close),
        State::ApWithdrawn | State::Dismissed => NextAction::or(E::Close, E::Reopen),
        State::Closed => return None,
    })
}
