//! Draining the outbox, `mail.concurrency` mails at a time: claim rows with a lease that starts at
//! the claim, send each with no transaction open, then, with the clock read again, mark the sent
//! ones (a batch in one transaction), schedule a retry with exponential backoff and jitter, or give
//! up (`failed`, kept and surfaced). A lease is longer than any send and the wait for its batch may
//! take (each send is bounded by `mail.timeout_seconds`), so a live worker never loses a row to
//! another replica; a worker that finds its lease lost says so (log and metric). A crash between
//! send and mark leaves the leases to expire: those rows are sent again with the same Message-ID,
//! so each mail has at most one duplicate per crash, recognisable as such.

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration as StdDuration;

use chrono::Duration;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;

use super::relay::RelayMonitor;
use super::running_time;
use super::transport::{Outgoing, SendFailure, Transport};
use crate::clock::SharedClock;
use crate::config::MailSettings;
use crate::crypto;
use crate::storage::outbox::{self, ClaimedMail};
use crate::storage::{Database, StorageError};

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

/// What this process's deliveries count, for metrics and health. The counters are
/// prometheus-client handles: [`crate::telemetry::metrics::Metrics`] registers them, and the
/// deliverer moves them as each attempt ends.
#[derive(Debug)]
pub struct DeliveryStats {
    /// The relay as the attempts saw it.
    pub relay: RelayMonitor,
    /// `art33_mail_lease_lost_total`.
    pub(crate) lease_lost: Counter,
    /// `art33_mail_attempts_total{outcome}`.
    pub(crate) attempts: Family<[(&'static str, &'static str); 1], Counter>,
}

impl Default for DeliveryStats {
    fn default() -> Self {
        let attempts = Family::default();
        // Every outcome is shown from the start, at zero.
        for outcome in Self::OUTCOMES {
            drop(attempts.get_or_create(&[("outcome", outcome)]));
        }
        Self { relay: RelayMonitor::default(), lease_lost: Counter::default(), attempts }
    }
}

impl DeliveryStats {
    /// The outcomes of an attempt.
    pub const OUTCOMES: [&'static str; 3] = ["sent", "retried", "failed"];

    /// Rows whose lease another worker had taken by the time this one marked them.
    pub fn lease_lost(&self) -> u64 {
        self.lease_lost.get()
    }

    /// Attempts by outcome: sent, retried, failed.
    pub fn attempts(&self) -> [(&'static str, u64); 3] {
        Self::OUTCOMES.map(|outcome| (outcome, self.attempts.get_or_create(&[("outcome", outcome)]).get()))
    }

    fn attempted(&self, outcome: &'static str) {
        self.attempts.get_or_create(&[("outcome", outcome)]).inc();
    }
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

/// What to do with a mail whose attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Try again after the backoff.
    Retry,
    /// Give up: `failed`, surfaced on the dashboard, requeued only by an officer.
    Fail,
}

/// What this attempt's failure is decided with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// Attempts so far, this one included.
    pub number: i32,
    /// The relay's reply code to the attempt before, if that one failed with a reply.
    pub previous_code: Option<i32>,
    /// Whether the relay gave the same refusal to several recipients lately.
    pub relay_wide: bool,
}

/// Decides after a failed attempt. A temporary failure (4xx, timeout, no connection) is retried
/// until `max_attempts`. A 5xx is final only when it is the recipient's: a relay that refuses
/// everyone (`relay_wide`) is retried like a temporary failure, and a mail's first 5xx after
/// anything else is always retried once, because when a relay starts refusing everyone, its first
/// refusal looks like any other. A mail that cannot be built is final at once.
pub fn verdict(failure: &SendFailure, attempt: Attempt, max_attempts: i32) -> Verdict {
    let refused_before = attempt.previous_code.is_some_and(|code| code >= 500);
    let temporary = !failure.permanent || (failure.from_relay && (attempt.relay_wide || !refused_before));
    if temporary && attempt.number < max_attempts { Verdict::Retry } else { Verdict::Fail }
}

/// Awaits `work` (a claim, on the blocking pool) while the sends in flight go on: their futures
/// advance only when polled, and a drain that awaited the database alone would hold every
/// conversation still for each of its round trips. Attempts that end meanwhile are queued in
/// `ended`, to be taken in order after it.
async fn sending_meanwhile<T, A: Future>(
    work: impl Future<Output = T>,
    in_flight: &mut FuturesUnordered<A>,
    ended: &mut VecDeque<A::Output>,
) -> T {
    let mut work = std::pin::pin!(work);
    loop {
        tokio::select! {
            biased;
            done = &mut work => return done,
            Some(attempted) = in_flight.next(), if !in_flight.is_empty() => ended.push_back(attempted),
        }
    }
}

/// One process's delivery worker.
#[derive(Clone)]
pub struct Deliverer {
    db: Database,
    transport: Transport,
    mail: MailSettings,
    worker: String,
    clock: SharedClock,
}

impl std::fmt::Debug for Deliverer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deliverer").field("worker", &self.worker).finish_non_exhaustive()
    }
}

/// The outcome of one attempt. A refused or failed mail is written down by its own attempt; a sent
/// one waits for [`Deliverer::record_sent`], which writes a batch of them in one transaction.
enum Attempted {
    /// Accepted, with the server's reply; not yet marked.
    Sent(Box<ClaimedMail>, String),
    /// Marked for another attempt later (the row's id).
    Retried(String),
    /// Marked failed (the row's id).
    Failed(String),
}

impl Deliverer {
    /// A worker named `worker` (its lease-owner name) that reads the time from `clock`.
    pub fn new(
        db: Database,
        transport: Transport,
        mail: MailSettings,
        worker: &str,
        clock: SharedClock,
    ) -> Self {
        Self { db, transport, mail, worker: worker.to_string(), clock }
    }

    /// The lease of a claimed row: longer than any send may take, so a live worker keeps its rows.
    /// A sent row waits for its batch to be written down: at most for the batch being written
    /// before it, database time, not a send's.
    fn lease(&self) -> Duration {
        Duration::seconds(i64::try_from(self.mail.timeout_seconds).unwrap_or(30) * 2 + 10)
    }

    /// Sends the mails that are due, `mail.concurrency` at a time, until none is left or `stop` is
    /// set (it is read before each claim, so a mail being sent is always finished). Rows are claimed
    /// in batches as half the slots free up. Sent ones are marked together, one transaction per
    /// batch, while the next ones are claimed and sent: a batch is whatever was sent while the
    /// batch before it was being written, so the marks do not hold the sends back; at most
    /// `2 × mail.concurrency` rows are held at once, being sent or waiting for their batch. Each
    /// mail is still sent at most twice per crash, with the same Message-ID: a crash only leaves
    /// leases to expire. `step` is called as attempts and marks end (the scheduler's sign of life).
    pub async fn drain(
        &self,
        stats: &DeliveryStats,
        stop: &AtomicBool,
        mut step: impl FnMut(),
    ) -> Result<DrainReport, StorageError> {
        let width = usize::try_from(self.mail.concurrency.max(1)).unwrap_or(1);
        let mut report = DrainReport::default();
        let mut in_flight = FuturesUnordered::new();
        // Sent and not yet in a batch being marked.
        let mut sent: Vec<(ClaimedMail, String)> = Vec::new();
        // The batch being marked: at most one at a time, so batches are written in order.
        let mut marking = FuturesUnordered::new();
        // Whether the last claim found fewer rows than it asked for: then nothing more is due now,
        // and the drain ends once the rows in flight are done (a later wake-up takes new ones).
        let mut dry = false;
        // The rows this drain holds (in flight, or sent until their batch is written): never
        // claimed again by this drain, even when a forward step of the wall clock ends their lease.
        let mut held: HashSet<String> = HashSet::new();
        // Attempts that ended while the drain waited for a claim, in the order they ended.
        let mut ended = VecDeque::new();
        loop {
            // The rows held (being sent, or sent and waiting for their batch) stay within twice the
            // sends' width: a batch that waits long for the database holds the claims back.
            let room = (2 * width).saturating_sub(held.len());
            if !dry && !stop.load(Ordering::Relaxed) && in_flight.len() <= width / 2 && room > 0 {
                let wanted = (width - in_flight.len()).min(room);
                let claim = self.claim(wanted, held.iter().cloned().collect());
                let rows = sending_meanwhile(claim, &mut in_flight, &mut ended).await?;
                dry = rows.len() < wanted;
                held.extend(rows.iter().map(|row| row.id.clone()));
                in_flight.extend(rows.into_iter().map(|row| self.attempt(row, stats)));
            }
            if let Some(attempted) = ended.pop_front() {
                self.note_attempt(attempted?, &mut sent, &mut held, &mut report);
                step();
                continue;
            }
            if marking.is_empty() && !sent.is_empty() {
                let batch = std::mem::take(&mut sent);
                marking.push(self.record_sent(batch, stats));
            }
            tokio::select! {
                Some(attempted) = in_flight.next(), if !in_flight.is_empty() => {
                    self.note_attempt(attempted?, &mut sent, &mut held, &mut report);
                }
                Some(marked) = marking.next(), if !marking.is_empty() => {
                    let ids = marked?;
                    report.sent += ids.len();
                    for id in &ids {
                        held.remove(id);
                    }
                }
                else => break,
            }
            step();
        }
        Ok(report)
    }

    /// Takes an ended attempt into the drain's books: a sent row waits for its batch, a retried or
    /// failed one (already written down) is let go.
    fn note_attempt(
        &self,
        attempted: Attempted,
        sent: &mut Vec<(ClaimedMail, String)>,
        held: &mut HashSet<String>,
        report: &mut DrainReport,
    ) {
        match attempted {
            Attempted::Sent(row, reply) => sent.push((*row, reply)),
            Attempted::Retried(id) => {
                held.remove(&id);
                report.retried += 1;
            }
            Attempted::Failed(id) => {
                held.remove(&id);
                report.failed += 1;
            }
        }
    }

    /// [`Deliverer::drain`] to the end, with nothing to stop it.
    pub async fn drain_all(&self, stats: &DeliveryStats) -> Result<DrainReport, StorageError> {
        self.drain(stats, &AtomicBool::new(false), || {}).await
    }

    /// Leases up to `wanted` due rows to this worker, none of `held`.
    async fn claim(&self, wanted: usize, held: Vec<String>) -> Result<Vec<ClaimedMail>, StorageError> {
        let (owner, now, lease) = (self.worker.clone(), self.clock.now(), self.lease());
        let limit = i64::try_from(wanted).unwrap_or(1);
        self.db.run(move |conn| outbox::claim(conn, &owner, now, lease, limit, &held)).await
    }

    /// Marks a batch of sent mails, with the clock read again (`sent_at` and the audit events are
    /// the time of the outcome, not of the claim); returns the rows' ids, all of them sent (a row
    /// whose lease another worker took is counted too: the relay accepted it).
    async fn record_sent(
        &self,
        sent: Vec<(ClaimedMail, String)>,
        stats: &DeliveryStats,
    ) -> Result<Vec<String>, StorageError> {
        let ids: Vec<String> = sent.iter().map(|(row, _)| row.id.clone()).collect();
        let (owner, now) = (self.worker.clone(), self.clock.now());
        let kept = self.db.run(move |conn| outbox::mark_sent_many(conn, &sent, &owner, now)).await?;
        let lost = kept.iter().filter(|kept| !**kept).count();
        for _ in 0..lost {
            self.lease_lost(stats);
        }
        Ok(ids)
    }

    fn lease_lost(&self, stats: &DeliveryStats) {
        stats.lease_lost.inc();
        tracing::warn!(
            worker = %crate::telemetry::escaped(&self.worker),
            "an outbox row's lease was taken by another worker before it was marked; it may be sent twice"
        );
    }

    /// Sends one claimed mail; a failure is decided and written down here, a success is returned
    /// to be written down with its batch.
    async fn attempt(&self, row: ClaimedMail, stats: &DeliveryStats) -> Result<Attempted, StorageError> {
        let outgoing = Outgoing {
            to: row.to.clone(),
            subject: row.subject.clone(),
            text: row.body_text.clone(),
            html: row.body_html.clone(),
            message_id: row.message_id.clone(),
        };
        // lettre bounds only the connect; a server that accepts and then hangs is bounded here, in
        // running time: an answer that came while the process was stopped is read, not taken for
        // a timeout and sent again.
        let limit = StdDuration::from_secs(self.mail.timeout_seconds.max(1));
        let outcome =
            match running_time::timeout(limit, self.transport.send(&self.mail.from, &outgoing)).await {
                Ok(result) => result,
                Err(_) => Err(SendFailure::no_answer("timed out")),
            };
        let failure = match outcome {
            Ok(reply) => {
                stats.relay.accepted();
                stats.attempted("sent");
                return Ok(Attempted::Sent(Box::new(row), reply));
            }
            Err(failure) => failure,
        };
        // The time of the outcome, not of the claim: the next attempt and the audit event.
        let now = self.clock.now();
        let owner = self.worker.clone();
        let relay_wide = match (failure.permanent && failure.from_relay, failure.code) {
            (true, Some(code)) => stats.relay.refused(code, &row.to),
            _ => {
                if failure.from_relay {
                    stats.relay.failed();
                }
                false
            }
        };
        let attempt = Attempt { number: row.attempts, previous_code: row.last_code, relay_wide };
        let (verdict, code, message) =
            (verdict(&failure, attempt, self.mail.max_attempts), failure.code, failure.message);
        let id = row.id.clone();
        let kept = match verdict {
            Verdict::Fail => {
                tracing::warn!(kind = %row.kind, attempts = row.attempts, error = %crate::telemetry::escaped(&message), "mail failed for good");
                stats.attempted("failed");
                self.db
                    .run(move |conn| {
                        let error = outbox::AttemptError { message: &message, code };
                        outbox::mark_failed(conn, &row, &owner, error, now)
                    })
                    .await?
            }
            Verdict::Retry => {
                let next = now + backoff(row.attempts, &self.mail, jitter());
                tracing::info!(kind = %row.kind, attempts = row.attempts, relay_wide, error = %crate::telemetry::escaped(&message), "mail will be retried");
                stats.attempted("retried");
                self.db
                    .run(move |conn| {
                        let error = outbox::AttemptError { message: &message, code };
                        outbox::mark_retry(conn, &row, &owner, error, next)
                    })
                    .await?
            }
        };
        if !kept {
            self.lease_lost(stats);
        }
        Ok(match verdict {
            Verdict::Fail => Attempted::Failed(id),
            Verdict::Retry => Attempted::Retried(id),
        })
    }
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
            relay_failing_after_seconds: 600,
            concurrency: 8,
        }
    }

    fn failure(permanent: bool, code: Option<u16>, from_relay: bool) -> SendFailure {
        SendFailure { permanent, code, from_relay, message: String::new() }
    }

    fn attempt(number: i32, previous_code: Option<i32>, relay_wide: bool) -> Attempt {
        Attempt { number, previous_code, relay_wide }
    }

    #[test]
    fn temporary_failures_are_retried_until_the_last_attempt() {
        let deferred = failure(false, Some(451), true);
        assert_eq!(verdict(&deferred, attempt(1, None, false), 20), Verdict::Retry);
        assert_eq!(verdict(&deferred, attempt(19, Some(451), false), 20), Verdict::Retry);
        assert_eq!(verdict(&deferred, attempt(20, Some(451), false), 20), Verdict::Fail);
        assert_eq!(
            verdict(&failure(false, None, true), attempt(3, None, false), 20),
            Verdict::Retry,
            "no connection"
        );
    }

    #[test]
    fn a_refusal_is_final_only_when_it_is_the_recipients_and_follows_another() {
        let refused = failure(true, Some(550), true);
        assert_eq!(
            verdict(&refused, attempt(1, None, false), 20),
            Verdict::Retry,
            "the first refusal is tried again"
        );
        assert_eq!(
            verdict(&refused, attempt(5, Some(451), false), 20),
            Verdict::Retry,
            "the first after deferrals too"
        );
        assert_eq!(verdict(&refused, attempt(2, Some(550), false), 20), Verdict::Fail, "the recipient's own");
        assert_eq!(
            verdict(&refused, attempt(2, Some(550), true), 20),
            Verdict::Retry,
            "the relay refuses everyone"
        );
        assert_eq!(verdict(&refused, attempt(20, Some(550), true), 20), Verdict::Fail);
        assert_eq!(
            verdict(&failure(true, None, false), attempt(1, None, false), 20),
            Verdict::Fail,
            "unusable mail"
        );
    }

    /// A claim that can end only once the sends in flight have ended: it ends, so the sends were
    /// driven while it waited, and each one that ended is kept for the drain.
    #[tokio::test]
    async fn sends_in_flight_go_on_while_a_claim_waits() {
        use std::sync::Arc;
        use std::sync::atomic::AtomicUsize;
        let ended_sends = Arc::new(AtomicUsize::new(0));
        let mut in_flight = FuturesUnordered::new();
        for n in 0..3 {
            let ended_sends = Arc::clone(&ended_sends);
            in_flight.push(async move {
                tokio::task::yield_now().await;
                ended_sends.fetch_add(1, Ordering::SeqCst);
                n
            });
        }
        let claim = std::future::poll_fn(|cx| {
            if ended_sends.load(Ordering::SeqCst) == 3 {
                std::task::Poll::Ready("claimed")
            } else {
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        });
        let mut ended = VecDeque::new();
        let waited = tokio::time::timeout(
            StdDuration::from_secs(5),
            sending_meanwhile(claim, &mut in_flight, &mut ended),
        )
        .await;
        assert_eq!(waited, Ok("claimed"), "the claim waited for sends that nothing drove");
        let mut kept: Vec<i32> = ended.into_iter().collect();
        kept.sort_unstable();
        assert_eq!(kept, vec![0, 1, 2]);
        assert!(in_flight.is_empty());
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
