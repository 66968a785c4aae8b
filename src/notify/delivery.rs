//! Draining the outbox: claim due rows with a lease, send them with no transaction open, then mark
//! them sent, schedule a retry with exponential backoff and jitter, or give up (`failed`, kept and
//! surfaced). A crash between send and mark leaves the lease to expire: the row is sent again with
//! the same Message-ID, so at most one duplicate, recognisable as such.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};

use super::transport::{Outgoing, Transport};
use crate::config::MailSettings;
use crate::crypto;
use crate::storage::outbox::{self, ClaimedMail};
use crate::storage::{Database, StorageError};

/// Rows claimed per round.
const BATCH: i64 = 50;

/// What one drain did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DrainReport {
    /// Mails accepted.
    pub sent: usize,
    /// Mails to be retried later.
    pub retried: usize,
    /// Mails given up.
    pub failed: usize,
}

/// The retry delay after `attempts` failed attempts: `base · 2^(attempts−1)`, at most `max`, with
/// ±20 % jitter so that many rows do not retry in step.
pub fn backoff(attempts: i32, mail: &MailSettings, jitter: f64) -> Duration {
    let exponent = u32::try_from(attempts.max(1) - 1).unwrap_or(0).min(30);
    let base = mail.retry_base_seconds.saturating_mul(1u64 << exponent).min(mail.retry_max_seconds);
    let factor = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    Duration::milliseconds((base as f64 * 1000.0 * factor) as i64)
}

fn jitter() -> f64 {
    (crypto::random_u64() % 10_000) as f64 / 10_000.0
}

/// Sends what is due at `now` as `worker`, until nothing due is left or `deadline` (wall time)
/// passes. Returns what happened.
pub async fn drain_once(
    db: &Database,
    transport: &Transport,
    mail: &MailSettings,
    worker: &str,
    now: DateTime<Utc>,
) -> Result<DrainReport, StorageError> {
    let mut report = DrainReport::default();
    // Longer than any send may take (bounded by the timeout), so a live worker never loses a row.
    let lease = Duration::seconds(i64::try_from(mail.timeout_seconds).unwrap_or(30) * 2 + 10);
    loop {
        let owner = worker.to_string();
        let claimed = db.run(move |conn| outbox::claim(conn, &owner, now, lease, BATCH)).await?;
        if claimed.is_empty() {
            return Ok(report);
        }
        let round = claimed.len();
        for row in claimed {
            deliver(db, transport, mail, worker, now, row, &mut report).await?;
        }
        if round < BATCH as usize {
            return Ok(report);
        }
    }
}

async fn deliver(
    db: &Database,
    transport: &Transport,
    mail: &MailSettings,
    worker: &str,
    now: DateTime<Utc>,
    row: ClaimedMail,
    report: &mut DrainReport,
) -> Result<(), StorageError> {
    let outgoing = Outgoing {
        to: row.to.clone(),
        subject: row.subject.clone(),
        text: row.body_text.clone(),
        html: row.body_html.clone(),
        message_id: row.message_id.clone(),
    };
    // lettre bounds only the connect; a server that accepts and then hangs is bounded here.
    let limit = StdDuration::from_secs(mail.timeout_seconds.max(1));
    let outcome = match tokio::time::timeout(limit, transport.send(&mail.from, &outgoing)).await {
        Ok(result) => result,
        Err(_) => Err(super::transport::SendFailure { permanent: false, message: "timed out".into() }),
    };
    let owner = worker.to_string();
    match outcome {
        Ok(reply) => {
            db.run(move |conn| outbox::mark_sent(conn, &row, &owner, &reply, now)).await?;
            report.sent += 1;
        }
        Err(failure) if failure.permanent || row.attempts >= mail.max_attempts => {
            tracing::warn!(kind = %row.kind, attempts = row.attempts, error = %failure.message, "mail failed for good");
            let error = failure.message;
            db.run(move |conn| outbox::mark_failed(conn, &row, &owner, &error, now)).await?;
            report.failed += 1;
        }
        Err(failure) => {
            let next = now + backoff(row.attempts, mail, jitter());
            tracing::info!(kind = %row.kind, attempts = row.attempts, error = %failure.message, "mail will be retried");
            let error = failure.message;
            db.run(move |conn| outbox::mark_retry(conn, &row, &owner, &error, next)).await?;
            report.retried += 1;
        }
    }
    Ok(())
}

/// Releases `worker`'s leases (at shutdown).
pub async fn release(db: &Database, worker: &str) -> Result<usize, StorageError> {
    let owner = worker.to_string();
    db.run(move |conn| outbox::release(conn, &owner)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> MailSettings {
        MailSettings {
            transport: crate::config::MailTransportKind::File,
            smtp_url: None,
            file_dir: "mail-out".into(),
            from: "art33 <art33@localhost>".into(),
            timeout_seconds: 30,
            retry_base_seconds: 30,
            retry_max_seconds: 3600,
            max_attempts: 20,
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_maximum_with_bounded_jitter() {
        let m = mail();
        assert_eq!(backoff(1, &m, 0.5), Duration::seconds(30));
        assert_eq!(backoff(2, &m, 0.5), Duration::seconds(60));
        assert_eq!(backoff(3, &m, 0.5), Duration::seconds(120));
        assert_eq!(backoff(8, &m, 0.5), Duration::seconds(3600));
        assert_eq!(backoff(20, &m, 0.5), Duration::seconds(3600));
        assert_eq!(backoff(1, &m, 0.0), Duration::seconds(24));
        assert_eq!(backoff(1, &m, 1.0), Duration::seconds(36));
    }
}
