//! A password reset by one-time link: an admin has art33 mail a user a link (`/reset/{secret}`)
//! with which the user chooses a new password. The link works once, for [`LINK_VALID`], and only the
//! latest one mailed to a user works; using it logs the user out everywhere. Both steps are in the
//! audit trail (`user.reset_sent` by the admin, `user.reset` by the user), and the mail goes
//! through the outbox in the same transaction as the link, so a link is never stored unmailed.

use chrono::{DateTime, Duration, Utc};

use crate::auth;
use crate::config::Settings;
use crate::crypto;
use crate::domain::audit::AuditEvent;
use crate::domain::directory::User;
use crate::domain::ids::UserId;
use crate::domain::locale::Locale;
use crate::notify::messages::{self, MailContext, MailKind};
use crate::storage::audit_log;
use crate::storage::backend::AnyConnection;
use crate::storage::directory;
use crate::storage::error::StorageError;
use crate::storage::outbox::{self, NewMail};
use crate::storage::password_resets;

/// How long a mailed link works: a working day and the night after it, for a user who reads mail
/// the next morning; after that the admin sends a new one.
pub const LINK_VALID: Duration = Duration::hours(24);

/// How long a link is kept after it expired: a late click is told that the link expired or was
/// used, not that it is unknown; after that the daily purge forgets it (the row names a user).
pub const KEPT_AFTER_EXPIRY: Duration = Duration::days(30);

/// Why no link was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSent {
    /// No user has that id.
    UnknownUser,
    /// The user is deactivated: a deactivated account cannot log in, with any password.
    Inactive,
}

/// Mails `user_id` a new one-time link, on behalf of the admin `actor`; the address it went to.
pub fn send_link(
    conn: &mut AnyConnection,
    settings: &Settings,
    actor: &str,
    user_id: &UserId,
    now: DateTime<Utc>,
) -> Result<Result<String, NotSent>, StorageError> {
    audit_log::write_tx(conn, |tx, audit| {
        let Some(user) = directory::user_by_id(tx, user_id)? else { return Ok(Err(NotSent::UnknownUser)) };
        if !user.active {
            return Ok(Err(NotSent::Inactive));
        }
        let secret = crypto::random_token(32);
        let expires_at = now + LINK_VALID;
        password_resets::replace(tx, &user.id, &auth::token_digest(&secret), now, expires_at)?;
        let locale = user.locale.unwrap_or(Locale::Nl);
        let url = format!("{}/reset/{secret}", settings.server.base_url);
        let context = MailContext::for_password_reset(locale, &url, expires_at, actor);
        let rendered = messages::render(MailKind::PasswordReset, &context)
            .map_err(|e| StorageError::Corrupt(format!("mail template: {e}")))?;
        let mail = NewMail {
            incident_id: None,
            client_id: user.client_id.as_ref().map(|c| c.0.clone()),
            alert_id: None,
            kind: MailKind::PasswordReset.as_str().to_string(),
            locale: locale.as_str().to_string(),
            to: user.email.clone(),
            subject: rendered.subject,
            body_text: rendered.text,
            body_html: Some(rendered.html),
            message_id: crate::notify::message_id(&settings.mail.from),
        };
        outbox::enqueue_many(tx, &[mail], now)?;
        let detail = serde_json::json!({ "email": user.email, "expires_at": expires_at.to_rfc3339() });
        audit.append(user_event(actor, &user, "user.reset_sent", detail, now));
        Ok(Ok(user.email))
    })
}

/// Why a link does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// No link has this secret (mistyped, or replaced by a newer one).
    Unknown,
    /// The link was used already.
    Used,
    /// The link is older than [`LINK_VALID`].
    Expired,
}

/// The active user a link `secret` sets the password of, or why it does not work at `now`.
pub fn check_link(
    conn: &mut AnyConnection,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Result<User, LinkRefusal>, StorageError> {
    let Some(stored) = password_resets::find(conn, &auth::token_digest(secret))? else {
        return Ok(Err(LinkRefusal::Unknown));
    };
    if stored.used_at.is_some() {
        return Ok(Err(LinkRefusal::Used));
    }
    if stored.expires_at <= now {
        return Ok(Err(LinkRefusal::Expired));
    }
    match directory::user_by_id(conn, &stored.user_id)? {
        Some(user) if user.active => Ok(Ok(user)),
        // A user deactivated after the link was sent: the link is as good as unknown.
        _ => Ok(Err(LinkRefusal::Unknown)),
    }
}

/// Sets the password of the link's user to `password_hash` (checked and hashed by the caller, see
/// [`crate::auth::hash_password`]), uses the link up and ends the user's sessions, in one
/// transaction. A link used or expired in the meantime changes nothing.
pub fn use_link(
    conn: &mut AnyConnection,
    secret: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Result<User, LinkRefusal>, StorageError> {
    let digest = auth::token_digest(secret);
    audit_log::write_tx(conn, |tx, audit| {
        let user = match check_link(tx, secret, now)? {
            Ok(user) => user,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if !password_resets::consume(tx, &digest, now)? {
            return Ok(Err(LinkRefusal::Used));
        }
        password_resets::set_password(tx, &user.id, password_hash)?;
        audit.append(user_event(
            &user.email,
            &user,
            "user.reset",
            serde_json::json!({ "email": user.email }),
            now,
        ));
        Ok(Ok(user))
    })
}

/// An event about a user's account, on the same chain as the directory's other user events.
fn user_event(
    actor: &str,
    user: &User,
    event_type: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> AuditEvent {
    directory::directory_event(actor, user.client_id.as_ref(), event_type, detail, now)
}
