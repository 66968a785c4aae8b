//! A single sign-on login, once the ID token is valid (`web::oidc` checks it): the decisions are
//! `domain::sso`'s; this use case reads the account, makes or changes it as decided, and records
//! the login (`login.oidc`, naming the issuer and the subject, never a token) in one transaction.
//! The session is started by the web shell, as for a password login.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::domain::directory::User;
use crate::domain::sso::{self, Identity, Outcome, Policy, Refusal};
use crate::domain::tenant::Role;
use crate::storage::audit_log;
use crate::storage::backend::AnyConnection;
use crate::storage::directory::{self, NewUser, UserChange};
use crate::storage::error::StorageError;

/// The actor of the account changes single sign-on makes (`user.add`, `user.change`).
pub const ACTOR: &str = "sso";

/// The audit event of a single sign-on login.
pub const LOGIN_EVENT: &str = "login.oidc";

/// Logs `identity` in: the account it is (made or changed as `policy` decides), or why not.
pub fn login(
    conn: &mut AnyConnection,
    policy: Policy<'_>,
    identity: &Identity,
    now: DateTime<Utc>,
) -> Result<Result<User, Refusal>, StorageError> {
    let email = match sso::checked_email(identity, policy.allowed_domains) {
        Ok(email) => email,
        Err(refusal) => return Ok(Err(refusal)),
    };
    audit_log::write_tx(conn, |tx, audit| {
        let existing = directory::user_by_email(tx, &email)?;
        let user = match (sso::decide(policy, identity, existing.as_ref()), existing) {
            (Err(refusal), _) => return Ok(Err(refusal)),
            (Ok(Outcome::Existing { change: None }), Some(user)) => user,
            (Ok(Outcome::Existing { change: Some(role) }), Some(user)) => {
                // Officers and admins see every client and take none; a reporter keeps its client.
                let client_id = if role == Role::Reporter { user.client_id.clone() } else { None };
                let change = UserChange { name: user.name.clone(), role, client_id, active: true };
                directory::update_user_in(tx, audit, ACTOR, &user.id, &change, now)?
                    .ok_or(StorageError::NotFound)?
            }
            (Ok(Outcome::Create { role }), _) => {
                // The address and the role only: no name or other claim is kept (privacy by design).
                let new =
                    NewUser { email: email.clone(), name: None, role, client_id: None, password_hash: None };
                directory::insert_user_in(tx, audit, ACTOR, &new, now)?
            }
            (Ok(Outcome::Existing { .. }), None) => return Ok(Err(Refusal::UnknownUser)),
        };
        let detail = json!({ "email": user.email, "issuer": identity.issuer, "subject": identity.subject });
        audit.append(directory::directory_event(
            &user.email,
            user.client_id.as_ref(),
            LOGIN_EVENT,
            detail,
            now,
        ));
        Ok(Ok(user))
    })
}
