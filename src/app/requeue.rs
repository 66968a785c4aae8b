//! Requeuing failed mails once their cause is fixed: every failed mail in the caller's scope goes
//! back in the queue, due at once, with its Message-ID kept; each requeue is recorded in the audit
//! trail. Officers and admins may; the CLI may, for every client or one.

use chrono::{DateTime, Utc};

use super::CommandError;
use crate::domain::authz::{self, Action};
use crate::domain::error::FieldError;
use crate::domain::tenant::{Principal, TenantScope};
use crate::storage::{AnyConnection, directory, outbox};

/// Requeues the failed mails `principal` may requeue; answers how many.
pub fn by_user(
    conn: &mut AnyConnection,
    principal: &Principal,
    now: DateTime<Utc>,
) -> Result<usize, CommandError> {
    authz::authorize(principal, Action::RequeueMails, None)?;
    Ok(outbox::requeue_failed(conn, &principal.scope(), &principal.email, now)?)
}

/// Requeues the failed mails of the client with `slug` (every client's without one), as `actor`
/// (the CLI); answers how many. An unknown slug is refused naming `client`.
pub fn by_operator(
    conn: &mut AnyConnection,
    actor: &str,
    slug: Option<&str>,
    now: DateTime<Utc>,
) -> Result<usize, CommandError> {
    let scope = match slug {
        Some(slug) => TenantScope::Client(
            directory::client_by_slug(conn, slug)?
                .ok_or_else(|| FieldError::new("client", format!("no client with slug \"{slug}\"")))?
                .id,
        ),
        None => TenantScope::All,
    };
    Ok(outbox::requeue_failed(conn, &scope, actor, now)?)
}
