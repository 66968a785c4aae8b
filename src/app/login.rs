//! A login attempt's limits (issue 17; the numbers: `domain::login_limits`). Check and count are
//! one step: under one lock ([`login_attempts::lock`], in a write transaction) the recorded
//! failures are read, the verdict taken and, when the attempt may go on, the attempt is recorded
//! *before* its password is verified. However many requests arrive at once, no more guesses are
//! verified than the limits allow. A successful login removes its own rows again (and the pair's
//! earlier failures); a failed one leaves them, and may tell the account holder of a lock by mail
//! through the outbox.

use chrono::{DateTime, Duration, Utc};

use crate::config::Settings;
use crate::crypto;
use crate::domain::directory::User;
use crate::domain::locale::Locale;
use crate::domain::login_limits::{self as limits, Limit, Recorded, Verdict};
use crate::notify::messages::{self, MailContext, MailKind};
use crate::storage::audit_log;
use crate::storage::backend::AnyConnection;
use crate::storage::error::StorageError;
use crate::storage::login_attempts;
use crate::storage::outbox::{self, NewMail};
use crate::storage::sessions;

/// The buckets of one attempt: the account (a digest of the normalised address, so that no
/// address is stored for unknown accounts) and the client's network address.
#[derive(Debug, Clone)]
pub struct Attempt {
    account: String,
    address: String,
}

impl Attempt {
    /// The attempt to log in as `email` (normalised) from `client_address`.
    pub fn new(email: &str, client_address: &str) -> Self {
        Self { account: crypto::sha256_hex(email), address: client_address.to_string() }
    }

    fn pair(&self) -> String {
        format!("pair:{}:{}", self.account, self.address)
    }

    fn account(&self) -> String {
        format!("account:{}", self.account)
    }

    fn address(&self) -> String {
        format!("address:{}", self.address)
    }

    fn pair_notice(&self) -> String {
        format!("notice:{}", self.pair())
    }

    fn account_notice(&self) -> String {
        format!("notice:{}", self.account())
    }
}

/// What [`reserve`] decided.
#[derive(Debug)]
pub enum Reservation {
    /// Refused without verifying: the limit, and when to try again.
    Refused(Limit, Duration),
    /// Recorded (as a failure until [`succeeded`]); the active account with that address and its
    /// password hash, if any.
    Reserved {
        /// The recorded rows.
        rows: Vec<String>,
        /// The account and its hash.
        found: Option<(User, Option<String>)>,
    },
}

/// Decides whether `attempt` (as `email`) may be verified and, if so, records it first.
pub fn reserve(
    conn: &mut AnyConnection,
    attempt: &Attempt,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Reservation, StorageError> {
    audit_log::write_tx(conn, |tx, _| {
        login_attempts::lock(tx)?;
        let recorded = Recorded {
            pair: login_attempts::failures(tx, &attempt.pair(), now - limits::PAIR_MEMORY)?,
            account: login_attempts::failures(tx, &attempt.account(), now - limits::ACCOUNT_WINDOW)?,
            address: login_attempts::failures(tx, &attempt.address(), now - limits::ADDRESS_WINDOW)?,
        };
        if let Verdict::Wait(limit, wait) = limits::decide(&recorded, now) {
            return Ok(Reservation::Refused(limit, wait));
        }
        let rows = vec![
            login_attempts::record(tx, &attempt.pair(), now)?,
            login_attempts::record(tx, &attempt.account(), now)?,
            login_attempts::record(tx, &attempt.address(), now)?,
        ];
        let found = sessions::credentials(tx, email)?;
        Ok(Reservation::Reserved { rows, found })
    })
}

/// The attempt succeeded: it is no failure, and the pair's earlier failures are forgotten (the
/// account's and the address's stay: they may be someone else's guesses).
pub fn succeeded(conn: &mut AnyConnection, attempt: &Attempt, rows: &[String]) -> Result<(), StorageError> {
    login_attempts::forget(conn, rows)?;
    login_attempts::clear(conn, &attempt.pair())
}

/// The attempt failed (its rows stay). When it locked the pair, or the account reached its
/// ceiling, the account holder is told by mail, once per lock period; whether a mail was queued.
pub fn failed(
    conn: &mut AnyConnection,
    settings: &Settings,
    attempt: &Attempt,
    user: Option<&User>,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let Some(user) = user else { return Ok(false) };
    audit_log::write_tx(conn, |tx, _| {
        login_attempts::lock(tx)?;
        let pair = login_attempts::failures(tx, &attempt.pair(), now - limits::PAIR_MEMORY)?;
        let account = login_attempts::failures(tx, &attempt.account(), now - limits::ACCOUNT_WINDOW)?;
        let mut notices = Vec::new();
        if limits::account_is_locked(account.count) {
            notices.push((attempt.account_notice(), limits::ACCOUNT_WINDOW, true, limits::ACCOUNT_WINDOW));
        }
        if limits::pair_is_locked(pair.count) {
            notices.push((attempt.pair_notice(), limits::PAIR_MEMORY, false, limits::pair_delay(pair.count)));
        }
        let mut due = None;
        for (bucket, period, account_wide, wait) in notices {
            if login_attempts::count(tx, &bucket, now - period)? == 0 {
                due = Some((bucket, account_wide, wait));
                break;
            }
        }
        let Some((bucket, account_wide, wait)) = due else { return Ok(false) };
        login_attempts::record(tx, &bucket, now)?;
        let locale = user.locale.unwrap_or(Locale::Nl);
        let context = MailContext::for_login_lock(
            locale,
            &settings.server.base_url,
            now,
            wait.num_minutes(),
            account_wide,
        );
        let rendered = messages::render(MailKind::LoginLocked, &context)
            .map_err(|e| StorageError::Corrupt(format!("mail template: {e}")))?;
        let mail = NewMail {
            incident_id: None,
            client_id: user.client_id.as_ref().map(|c| c.0.clone()),
            alert_id: None,
            kind: MailKind::LoginLocked.as_str().to_string(),
            locale: locale.as_str().to_string(),
            to: user.email.clone(),
            subject: rendered.subject,
            body_text: rendered.text,
            body_html: Some(rendered.html),
            message_id: crate::notify::message_id(&settings.mail.from),
        };
        outbox::enqueue_many(tx, &[mail], now)?;
        Ok(true)
    })
}
