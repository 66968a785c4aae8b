//! Authorisation as a pure function of role, tenant and action (`docs/API.md` §2).
//! Every API handler, page and CLI command asks [`authorize`].

use super::event::EventKind;
use super::ids::{ClientId, UserId};
use super::incident::State;
use super::tenant::{Principal, Role};

/// What the caller wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// List incidents (always scoped to the caller's tenants).
    ListIncidents,
    /// Report an incident for a client.
    ReportIncident,
    /// Read one incident.
    ReadIncident,
    /// Edit an incident's facts.
    EditIncident,
    /// Apply a lifecycle event.
    ApplyEvent(EventKind),
    /// Export the breach register (scoped).
    ExportRegister,
    /// Manage clients, users and tokens (a client's profile too).
    ManageDirectory,
    /// Read a client's profile: officers and admins any client's, a DPO its own client's.
    ReadClientProfile,
    /// Put failed mails back in the queue (officers and admins only; `docs/ARCHITECTURE.md` §7).
    RequeueMails,
}

/// The tenant facts of the resource acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target<'a> {
    /// The client the resource belongs to.
    pub client_id: &'a ClientId,
    /// Who reported the incident (for incidents; the caller itself for new reports).
    pub reported_by: &'a UserId,
    /// The incident's state (for incidents).
    pub state: Option<State>,
}

/// Why an action is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    /// The resource is outside the caller's tenants: its existence is not revealed (404).
    #[error("not found")]
    NotFound,
    /// The caller sees the resource but may not do this (403).
    #[error("{0}")]
    Forbidden(String),
}

/// Whether `principal` may do `action` on `target` (`None` for actions without a resource).
pub fn authorize(principal: &Principal, action: Action, target: Option<Target<'_>>) -> Result<(), Denial> {
    if let Some(t) = target {
        let in_scope = match action {
            // A new report is checked against the client only: the reporter is the caller.
            Action::ReportIncident => match principal.role {
                Role::Officer | Role::Admin => true,
                Role::Dpo | Role::Reporter => {
                    principal.client_id.as_ref().is_none_or(|own| own == t.client_id)
                        && !is_unbound_dpo(principal)
                }
            },
            _ => principal.scope().contains(t.client_id, t.reported_by),
        };
        if !in_scope {
            return Err(Denial::NotFound);
        }
    }
    let role = principal.role;
    match action {
        Action::ListIncidents | Action::ReadIncident | Action::ReportIncident => Ok(()),
        Action::EditIncident => match (role, target.and_then(|t| t.state)) {
            (Role::Reporter, Some(State::Reported)) => Ok(()),
            (Role::Reporter, _) => Err(Denial::Forbidden(
                "a reporter may add information only while the incident is reported".into(),
            )),
            _ => Ok(()),
        },
        Action::ApplyEvent(kind) => match role {
            Role::Reporter => Err(Denial::Forbidden(format!(
                "a reporter may not apply {}: triage and decisions are for the DPO and officers",
                kind.as_str()
            ))),
            Role::Dpo | Role::Officer | Role::Admin => Ok(()),
        },
        Action::ExportRegister => match role {
            Role::Reporter => {
                Err(Denial::Forbidden("the breach register is for DPOs, officers and admins".into()))
            }
            _ => Ok(()),
        },
        Action::ReadClientProfile => match role {
            Role::Dpo | Role::Officer | Role::Admin => Ok(()),
            Role::Reporter => {
                Err(Denial::Forbidden("a client's profile is for DPOs, officers and admins".into()))
            }
        },
        Action::ManageDirectory => match role {
            Role::Admin => Ok(()),
            _ => Err(Denial::Forbidden("only admins manage clients, users and tokens".into())),
        },
        Action::RequeueMails => match role {
            Role::Officer | Role::Admin => Ok(()),
            Role::Dpo | Role::Reporter => {
                Err(Denial::Forbidden("only privacy officers and admins requeue failed mails".into()))
            }
        },
    }
}

fn is_unbound_dpo(principal: &Principal) -> bool {
    principal.role == Role::Dpo && principal.client_id.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, client: Option<&str>) -> Principal {
        Principal {
            user_id: UserId::from("me"),
            email: "me@x.example".into(),
            role,
            client_id: client.map(ClientId::from),
        }
    }

    #[test]
    fn client_profiles_are_read_by_their_dpo_officers_and_admins() {
        let (acme, beta, me) = (ClientId::from("acme"), ClientId::from("beta"), UserId::from("me"));
        let client = |c| Some(Target { client_id: c, reported_by: &me, state: None });
        let read = Action::ReadClientProfile;
        assert_eq!(authorize(&who(Role::Dpo, Some("acme")), read, client(&acme)), Ok(()));
        assert_eq!(authorize(&who(Role::Dpo, Some("acme")), read, client(&beta)), Err(Denial::NotFound));
        assert_eq!(authorize(&who(Role::Officer, None), read, client(&beta)), Ok(()));
        assert_eq!(authorize(&who(Role::Admin, None), read, client(&beta)), Ok(()));
        assert!(matches!(
            authorize(&who(Role::Reporter, None), read, client(&acme)),
            Err(Denial::Forbidden(_))
        ));
        assert!(matches!(
            authorize(&who(Role::Officer, None), Action::ManageDirectory, client(&acme)),
            Err(Denial::Forbidden(_))
        ));
    }

    #[test]
    fn the_role_table_holds() {
        let acme = ClientId::from("acme");
        let beta = ClientId::from("beta");
        let me = UserId::from("me");
        let other = UserId::from("other");
        let incident = |client, reporter, state| {
            Some(Target { client_id: client, reported_by: reporter, state: Some(state) })
        };

        // reporter: own reports only, edits while reported, no events
        let reporter = who(Role::Reporter, None);
        assert_eq!(authorize(&reporter, Action::ReadIncident, incident(&acme, &me, State::Reported)), Ok(()));
        assert_eq!(
            authorize(&reporter, Action::ReadIncident, incident(&acme, &other, State::Reported)),
            Err(Denial::NotFound)
        );
        assert_eq!(authorize(&reporter, Action::EditIncident, incident(&acme, &me, State::Reported)), Ok(()));
        assert!(matches!(
            authorize(&reporter, Action::EditIncident, incident(&acme, &me, State::Confirmed)),
            Err(Denial::Forbidden(_))
        ));
        assert!(matches!(
            authorize(
                &reporter,
                Action::ApplyEvent(EventKind::Confirm),
                incident(&acme, &me, State::Reported)
            ),
            Err(Denial::Forbidden(_))
        ));
        assert_eq!(
            authorize(
                &reporter,
                Action::ReportIncident,
                Some(Target { client_id: &beta, reported_by: &me, state: None })
            ),
            Ok(())
        );

        // a client-bound reporter reports only for its client
        let bound = who(Role::Reporter, Some("acme"));
        assert_eq!(
            authorize(
                &bound,
                Action::ReportIncident,
                Some(Target { client_id: &beta, reported_by: &me, state: None })
            ),
            Err(Denial::NotFound)
        );

        // dpo: its client, every event; another client's incident is 404
        let dpo = who(Role::Dpo, Some("acme"));
        assert_eq!(
            authorize(
                &dpo,
                Action::ApplyEvent(EventKind::NotifyAp),
                incident(&acme, &other, State::Confirmed)
            ),
            Ok(())
        );
        assert_eq!(
            authorize(&dpo, Action::ReadIncident, incident(&beta, &other, State::Confirmed)),
            Err(Denial::NotFound)
        );
        assert_eq!(
            authorize(&dpo, Action::ApplyEvent(EventKind::Close), incident(&beta, &other, State::Confirmed)),
            Err(Denial::NotFound)
        );
        assert_eq!(
            authorize(
                &dpo,
                Action::ReportIncident,
                Some(Target { client_id: &beta, reported_by: &me, state: None })
            ),
            Err(Denial::NotFound)
        );
        assert!(matches!(authorize(&dpo, Action::ManageDirectory, None), Err(Denial::Forbidden(_))));

        // officer and admin: everything on incidents; only admin manages the directory
        let officer = who(Role::Officer, None);
        assert_eq!(
            authorize(
                &officer,
                Action::ApplyEvent(EventKind::Reopen),
                incident(&beta, &other, State::Closed)
            ),
            Ok(())
        );
        assert!(matches!(authorize(&officer, Action::ManageDirectory, None), Err(Denial::Forbidden(_))));
        assert_eq!(authorize(&who(Role::Admin, None), Action::ManageDirectory, None), Ok(()));

        // failed mails go back in the queue by an officer's (or admin's) hand only
        assert_eq!(authorize(&officer, Action::RequeueMails, None), Ok(()));
        assert_eq!(authorize(&who(Role::Admin, None), Action::RequeueMails, None), Ok(()));
        assert!(matches!(authorize(&dpo, Action::RequeueMails, None), Err(Denial::Forbidden(_))));
        assert!(matches!(authorize(&reporter, Action::RequeueMails, None), Err(Denial::Forbidden(_))));
    }
}
