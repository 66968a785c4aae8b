//! Who is asking, and which tenants' data they may see.

use serde::{Deserialize, Serialize};

use super::ids::{ClientId, UserId};

/// A user's role (`docs/API.md` §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Staff: reports leaks and sees its own reports.
    Reporter,
    /// A client's data protection officer: sees all incidents of its client.
    Dpo,
    /// Privacy officer or management: sees every incident.
    Officer,
    /// Manages clients, users and tokens; sees every incident.
    Admin,
}

impl Role {
    /// All roles, in order of increasing reach.
    pub const ALL: [Role; 4] = [Role::Reporter, Role::Dpo, Role::Officer, Role::Admin];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reporter => "reporter",
            Role::Dpo => "dpo",
            Role::Officer => "officer",
            Role::Admin => "admin",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// An authenticated user, as the shell established it (session or API token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user.
    pub user_id: UserId,
    /// The user's e-mail address (login name).
    pub email: String,
    /// The user's role.
    pub role: Role,
    /// The client a DPO (or a client-bound reporter) belongs to.
    pub client_id: Option<ClientId>,
}

impl Principal {
    /// The tenants this principal may see.
    pub fn scope(&self) -> TenantScope {
        match self.role {
            Role::Officer | Role::Admin => TenantScope::All,
            Role::Dpo => match &self.client_id {
                Some(client) => TenantScope::Client(client.clone()),
                // A DPO without a client sees nothing rather than everything.
                None => TenantScope::Nothing,
            },
            Role::Reporter => TenantScope::ReportedBy(self.user_id.clone()),
        }
    }
}

/// The part of the data a query may touch. Every storage query over tenant data takes one, so that
/// no code path can forget the tenant filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantScope {
    /// Every client (officers, admins, the scheduler).
    All,
    /// One client's incidents (a DPO).
    Client(ClientId),
    /// The incidents this user reported (a reporter).
    ReportedBy(UserId),
    /// Nothing at all.
    Nothing,
}

impl TenantScope {
    /// Whether an incident of `client` reported by `reporter` is inside the scope.
    pub fn contains(&self, client: &ClientId, reporter: &UserId) -> bool {
        match self {
            TenantScope::All => true,
            TenantScope::Client(own) => own == client,
            TenantScope::ReportedBy(user) => user == reporter,
            TenantScope::Nothing => false,
        }
    }

    /// This scope narrowed to one client's incidents (a filter): every client becomes that
    /// client, a DPO's own client stays and another client is nothing (its existence is not
    /// revealed); a reporter's own reports stay as they are (the caller filters those rows).
    pub fn within_client(&self, client: &ClientId) -> TenantScope {
        match self {
            TenantScope::All => TenantScope::Client(client.clone()),
            TenantScope::Client(own) if own == client => TenantScope::Client(own.clone()),
            TenantScope::Client(_) | TenantScope::Nothing => TenantScope::Nothing,
            TenantScope::ReportedBy(user) => TenantScope::ReportedBy(user.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, client: Option<&str>) -> Principal {
        Principal {
            user_id: UserId::from("u1"),
            email: "u1@example.org".into(),
            role,
            client_id: client.map(ClientId::from),
        }
    }

    #[test]
    fn a_client_filter_never_widens_a_scope() {
        let acme = ClientId::from("acme");
        let other = ClientId::from("other");
        assert_eq!(TenantScope::All.within_client(&acme), TenantScope::Client(acme.clone()));
        assert_eq!(TenantScope::Client(acme.clone()).within_client(&acme), TenantScope::Client(acme.clone()));
        assert_eq!(TenantScope::Client(acme.clone()).within_client(&other), TenantScope::Nothing);
        assert_eq!(TenantScope::Nothing.within_client(&acme), TenantScope::Nothing);
        let mine = TenantScope::ReportedBy(UserId::from("u1"));
        assert_eq!(mine.within_client(&acme), mine);
    }

    #[test]
    fn scopes_follow_the_role() {
        let acme = ClientId::from("acme");
        let other = ClientId::from("other");
        let me = UserId::from("u1");
        let someone = UserId::from("u2");

        let officer = principal(Role::Officer, None).scope();
        assert!(officer.contains(&other, &someone));

        let dpo = principal(Role::Dpo, Some("acme")).scope();
        assert!(dpo.contains(&acme, &someone));
        assert!(!dpo.contains(&other, &me));

        let reporter = principal(Role::Reporter, Some("acme")).scope();
        assert!(reporter.contains(&other, &me));
        assert!(!reporter.contains(&acme, &someone));

        assert!(!principal(Role::Dpo, None).scope().contains(&acme, &me));
    }

    #[test]
    fn roles_round_trip_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
