//! What a single sign-on login decides, once the ID token is valid (signature, issuer, audience,
//! expiry and nonce are checked by `web::oidc`): whether its address may log in, which account it
//! is, and which role the account gets. Pure: the account found (if any) is a parameter.
//!
//! - Only a **verified** address (`email_verified` true) counts; it is matched case-insensitively.
//! - `allowed_domains` (lower case) limits the addresses; empty allows any domain.
//! - The role claim's values are looked up in the role map; when several match, the highest role
//!   wins (reporter < officer < admin). No match: an existing account keeps its role, a new one is
//!   a reporter.
//! - The mapping is applied at every login: an account whose mapped role differs is changed
//!   (audited as `user.change`), except a DPO's, which is bound to its client and stays as an
//!   admin made it. Officers and admins see every client, so an account mapped to one loses its
//!   client binding.
//! - An unknown address gets an account only when `create_users` is on; a deactivated account is
//!   refused.

use std::collections::BTreeMap;

use super::directory::{self, User};
use super::tenant::Role;

/// What the provider said about the person, from a valid ID token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The issuer (`iss`).
    pub issuer: String,
    /// The subject (`sub`): the person's id at the issuer.
    pub subject: String,
    /// The `email` claim, if any.
    pub email: Option<String>,
    /// The `email_verified` claim (absent counts as false).
    pub email_verified: bool,
    /// The values of the role claim (a list of strings, or one string).
    pub role_values: Vec<String>,
}

/// The configured rules (`auth.oidc`).
#[derive(Debug, Clone, Copy)]
pub struct Policy<'a> {
    /// Claim value → role.
    pub role_map: &'a BTreeMap<String, Role>,
    /// The allowed e-mail domains, lower case; empty: any.
    pub allowed_domains: &'a [String],
    /// Whether unknown addresses get an account.
    pub create_users: bool,
}

/// Why a valid ID token does not log anyone in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No address, or one the provider has not verified.
    UnverifiedEmail,
    /// The address's domain is not in `allowed_domains`.
    DomainNotAllowed,
    /// No account has the address, and `create_users` is off.
    UnknownUser,
    /// The account is deactivated.
    Deactivated,
}

impl Refusal {
    /// The text key of the message the login page shows.
    pub fn text_key(self) -> &'static str {
        match self {
            Refusal::UnverifiedEmail => "sso-error-unverified",
            Refusal::DomainNotAllowed => "sso-error-domain",
            Refusal::UnknownUser => "sso-error-unknown-user",
            Refusal::Deactivated => "sso-error-deactivated",
        }
    }

    /// A short name for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::UnverifiedEmail => "email_not_verified",
            Refusal::DomainNotAllowed => "domain_not_allowed",
            Refusal::UnknownUser => "unknown_user",
            Refusal::Deactivated => "deactivated",
        }
    }
}

/// What to do with the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Log into the existing account, changing its role first when `change` says so.
    Existing {
        /// The role (and then no client binding) the mapping gives, when it differs.
        change: Option<Role>,
    },
    /// Make an account for the address, with this role, then log in.
    Create {
        /// The role.
        role: Role,
    },
}

fn rank(role: Role) -> usize {
    Role::ALL.iter().position(|r| *r == role).unwrap_or(0)
}

/// The highest role the claim values map to, if any.
pub fn mapped_role(values: &[String], role_map: &BTreeMap<String, Role>) -> Option<Role> {
    values.iter().filter_map(|v| role_map.get(v.as_str()).copied()).max_by_key(|r| rank(*r))
}

/// The normalised address of `identity`, when it is verified and its domain allowed.
pub fn checked_email(identity: &Identity, allowed_domains: &[String]) -> Result<String, Refusal> {
    let Some(email) = identity.email.as_deref().filter(|_| identity.email_verified) else {
        return Err(Refusal::UnverifiedEmail);
    };
    let email = directory::normalize_email("email", email).map_err(|_| Refusal::UnverifiedEmail)?;
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    if allowed_domains.is_empty() || allowed_domains.iter().any(|d| d == domain) {
        Ok(email)
    } else {
        Err(Refusal::DomainNotAllowed)
    }
}

/// Decides the login of `identity` (whose address passed [`checked_email`]) into `existing`, the
/// account with that address if there is one.
pub fn decide(policy: Policy<'_>, identity: &Identity, existing: Option<&User>) -> Result<Outcome, Refusal> {
    let mapped = mapped_role(&identity.role_values, policy.role_map);
    match existing {
        Some(user) if !user.active => Err(Refusal::Deactivated),
        Some(user) => {
            let change = match mapped {
                Some(role) if role != user.role && user.role != Role::Dpo => Some(role),
                _ => None,
            };
            Ok(Outcome::Existing { change })
        }
        None if policy.create_users => Ok(Outcome::Create { role: mapped.unwrap_or(Role::Reporter) }),
        None => Err(Refusal::UnknownUser),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{ClientId, UserId};

    fn identity(email: &str, verified: bool, groups: &[&str]) -> Identity {
        Identity {
            issuer: "https://idp.example".into(),
            subject: "s-1".into(),
            email: Some(email.into()),
            email_verified: verified,
            role_values: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    fn user(role: Role, active: bool) -> User {
        User {
            id: UserId::from("u-1"),
            email: "a@example.test".into(),
            name: None,
            role,
            client_id: (role == Role::Dpo).then(|| ClientId::from("c-1")),
            locale: None,
            active,
        }
    }

    fn map() -> BTreeMap<String, Role> {
        BTreeMap::from([
            ("privacy-officers".to_string(), Role::Officer),
            ("art33-admins".to_string(), Role::Admin),
            ("staff".to_string(), Role::Reporter),
        ])
    }

    #[test]
    fn the_highest_mapped_role_wins_and_unmapped_values_count_for_nothing() {
        let map = map();
        let values = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(mapped_role(&values(&["staff", "privacy-officers"]), &map), Some(Role::Officer));
        assert_eq!(
            mapped_role(&values(&["art33-admins", "staff", "privacy-officers"]), &map),
            Some(Role::Admin)
        );
        assert_eq!(mapped_role(&values(&["staff"]), &map), Some(Role::Reporter));
        assert_eq!(mapped_role(&values(&["Privacy-Officers", "other"]), &map), None);
        assert_eq!(mapped_role(&[], &map), None);
    }

    #[test]
    fn only_a_verified_address_of_an_allowed_domain_passes_lower_cased() {
        let allowed = vec!["example.test".to_string()];
        assert_eq!(
            checked_email(&identity("Ann@Example.TEST", true, &[]), &allowed),
            Ok("ann@example.test".into())
        );
        assert_eq!(
            checked_email(&identity("ann@example.test", false, &[]), &allowed),
            Err(Refusal::UnverifiedEmail)
        );
        assert_eq!(
            checked_email(&identity("ann@elsewhere.test", true, &[]), &allowed),
            Err(Refusal::DomainNotAllowed)
        );
        // A subdomain is another domain.
        assert_eq!(
            checked_email(&identity("ann@mail.example.test", true, &[]), &allowed),
            Err(Refusal::DomainNotAllowed)
        );
        assert_eq!(
            checked_email(&identity("ann@elsewhere.test", true, &[]), &[]),
            Ok("ann@elsewhere.test".into())
        );
        assert_eq!(checked_email(&identity("not an address", true, &[]), &[]), Err(Refusal::UnverifiedEmail));
        let mut none = identity("x@example.test", true, &[]);
        none.email = None;
        assert_eq!(checked_email(&none, &[]), Err(Refusal::UnverifiedEmail));
    }

    #[test]
    fn accounts_are_made_changed_kept_or_refused_by_the_table() {
        let map = map();
        let policy = |create_users| Policy { role_map: &map, allowed_domains: &[], create_users };
        let officer = identity("a@example.test", true, &["privacy-officers"]);
        let nobody = identity("a@example.test", true, &["other"]);
        type Row<'a> = (Policy<'a>, &'a Identity, Option<User>, Result<Outcome, Refusal>);
        let table: [Row<'_>; 8] = [
            (
                policy(false),
                &officer,
                Some(user(Role::Reporter, true)),
                Ok(Outcome::Existing { change: Some(Role::Officer) }),
            ),
            (
                policy(false),
                &officer,
                Some(user(Role::Officer, true)),
                Ok(Outcome::Existing { change: None }),
            ),
            (policy(false), &nobody, Some(user(Role::Admin, true)), Ok(Outcome::Existing { change: None })),
            // A DPO stays a DPO: the role is bound to a client.
            (policy(false), &officer, Some(user(Role::Dpo, true)), Ok(Outcome::Existing { change: None })),
            (policy(true), &officer, Some(user(Role::Officer, false)), Err(Refusal::Deactivated)),
            (policy(false), &officer, None, Err(Refusal::UnknownUser)),
            (policy(true), &officer, None, Ok(Outcome::Create { role: Role::Officer })),
            (policy(true), &nobody, None, Ok(Outcome::Create { role: Role::Reporter })),
        ];
        for (i, (policy, identity, existing, expected)) in table.into_iter().enumerate() {
            assert_eq!(decide(policy, identity, existing.as_ref()), expected, "row {i}");
        }
    }
}
