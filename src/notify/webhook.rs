//! Delivering the outbox's channel rows (`channel = 'webhook'`, `docs/ARCHITECTURE.md` §7a): a loop
//! of its own beside the mail loop, so that a hanging endpoint never delays a mail. Rows are claimed
//! one at a time with a lease (longer than `webhooks.timeout_seconds`) and posted concurrently, at
//! most `webhooks.concurrency` at once, each bounded by the timeout: a slow endpoint holds one slot,
//! never the others. The channel is read at delivery (a removed one fails the row), the row's body
//! was rendered when it was queued, and the generic kind is signed per the Standard Webhooks scheme
//! with a fresh timestamp on every attempt but the same `webhook-id`, so a receiver recognises a
//! resend after a crash (at most one duplicate per crash, as for mail). 2xx is sent; 410 and other
//! 4xx are final; 408, 429, 5xx, a timeout or no connection are retried with the mail's backoff
//! (`mail.retry_*`, `mail.max_attempts`). No URL is ever logged or recorded.

pub mod payload;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration as StdDuration;

use base64::Engine as _;
use chrono::Duration;
use futures_util::StreamExt as _;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;

use super::delivery::{DrainReport, backoff};
use crate::clock::SharedClock;
use crate::config::{MailSettings, WebhookSettings};
use crate::crypto;
use crate::storage::alert_channels::{self, Target};
use crate::storage::outbox::{self, AttemptError, ClaimedMail};
use crate::storage::{Database, StorageError};
pub use payload::ChannelKind;

/// The prefix of a generic channel's secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret: `whsec_` and the base64 of 32 random bytes.
pub fn new_secret() -> String {
    format!("{SECRET_PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(crypto::random_bytes(32)))
}

/// A new `webhook-id`: `msg_` and a UUIDv7, made once per row and kept across attempts.
pub fn new_webhook_id() -> String {
    format!("msg_{}", uuid::Uuid::now_v7().simple())
}

/// The `webhook-signature` header of the Standard Webhooks scheme: `v1,` and the base64 of
/// HMAC-SHA256 over `{id}.{timestamp}.{body}`, keyed with the base64-decoded secret (its `whsec_`
/// prefix removed). `None` when the secret is not base64.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    let key = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
    let mut message = format!("{id}.{timestamp}.").into_bytes();
    message.extend_from_slice(body);
    let mac = crypto::hmac_sha256(&key, &message);
    Some(format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac)))
}

/// What happened to one post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The endpoint answered with this HTTP status.
    Status(u16),
    /// No answer: a timeout, no connection, a broken exchange (a short reason, never the URL).
    NoAnswer(&'static str),
}

/// What to do after a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Delivered.
    Sent,
    /// Try again after the backoff.
    Retry,
    /// Give up: `failed`, surfaced with the failed mails.
    Fail,
}

/// Decides after attempt number `attempt`: 2xx is sent; 408, 429, 5xx and no answer are retried
/// until `max_attempts`; 410 Gone, a redirect (not followed) and every other 4xx are final.
pub fn verdict(answer: &Answer, attempt: i32, max_attempts: i32) -> Verdict {
    let temporary = match answer {
        Answer::Status(code) if (200..300).contains(code) => return Verdict::Sent,
        Answer::Status(code) => matches!(code, 408 | 429) || *code >= 500,
        Answer::NoAnswer(_) => true,
    };
    if temporary && attempt < max_attempts { Verdict::Retry } else { Verdict::Fail }
}

/// What this process's webhook deliveries count (`art33_webhook_attempts_total{outcome}`).
#[derive(Debug)]
pub struct WebhookStats {
    /// Attempts by outcome.
    pub(crate) attempts: Family<[(&'static str, &'static str); 1], Counter>,
    /// Rows whose lease another worker had taken by the time this one marked them.
    pub(crate) lease_lost: Counter,
}

impl Default for WebhookStats {
    fn default() -> Self {
        let attempts = Family::default();
        for outcome in Self::OUTCOMES {
            drop(attempts.get_or_create(&[("outcome", outcome)]));
        }
        Self { attempts, lease_lost: Counter::default() }
    }
}

impl WebhookStats {
    /// The outcomes of an attempt.
    pub const OUTCOMES: [&'static str; 3] = ["sent", "retried", "failed"];

    /// Attempts by outcome: sent, retried, failed.
    pub fn attempts(&self) -> [(&'static str, u64); 3] {
        Self::OUTCOMES.map(|outcome| (outcome, self.attempts.get_or_create(&[("outcome", outcome)]).get()))
    }

    fn attempted(&self, outcome: &'static str) {
        self.attempts.get_or_create(&[("outcome", outcome)]).inc();
    }
}

/// One process's webhook worker.
#[derive(Clone)]
pub struct WebhookDeliverer {
    db: Database,
    client: Arc<Result<reqwest::Client, String>>,
    settings: WebhookSettings,
    retry: MailSettings,
    worker: String,
    clock: SharedClock,
}

impl std::fmt::Debug for WebhookDeliverer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookDeliverer").field("worker", &self.worker).finish_non_exhaustive()
    }
}

impl WebhookDeliverer {
    /// A worker named `worker` (its lease-owner name): posts bounded by `settings.timeout_seconds`,
    /// retried as `retry` (the mail settings' backoff and attempts) says.
    pub fn new(
        db: Database,
        settings: WebhookSettings,
        retry: MailSettings,
        worker: &str,
        clock: SharedClock,
    ) -> Self {
        let timeout = StdDuration::from_secs(settings.timeout_seconds.max(1));
        let client = crate::http_client::outbound(timeout, None).map_err(|e| e.to_string());
        Self { db, client: Arc::new(client), settings, retry, worker: worker.to_string(), clock }
    }

    /// The lease of a claimed row: longer than any post may take.
    fn lease(&self) -> Duration {
        Duration::seconds(i64::try_from(self.settings.timeout_seconds).unwrap_or(10) * 2 + 10)
    }

    /// Posts the due rows, at most `webhooks.concurrency` at once, until none is left or `stop` is
    /// set (read before each claim; a post under way is finished and marked). `step` is called after
    /// each row (the scheduler's sign of life).
    pub async fn drain(
        &self,
        stats: &WebhookStats,
        stop: &AtomicBool,
        mut step: impl FnMut(),
    ) -> Result<DrainReport, StorageError> {
        let slots = self.settings.concurrency.max(1);
        let mut in_flight = futures_util::stream::FuturesUnordered::new();
        let (mut exhausted, mut failure) = (false, None);
        // The rows in flight: never claimed again by this drain, even when a forward step of the
        // wall clock ends their lease.
        let mut held: HashSet<String> = HashSet::new();
        let mut report = DrainReport::default();
        loop {
            // Fill the free slots: a slow endpoint holds one, the others go on.
            while !exhausted && in_flight.len() < slots {
                if stop.load(Ordering::Relaxed) {
                    exhausted = true;
                    break;
                }
                match self.claim_next(held.iter().cloned().collect()).await {
                    Ok(Some((row, target))) => {
                        let id = row.id.clone();
                        held.insert(id.clone());
                        in_flight.push(async move { (id, self.deliver(row, target, stats).await) });
                    }
                    Ok(None) => exhausted = true,
                    Err(e) => {
                        failure.get_or_insert(e);
                        exhausted = true;
                    }
                }
            }
            let Some((id, outcome)) = in_flight.next().await else { break };
            held.remove(&id);
            match outcome {
                Ok(Verdict::Sent) => report.sent += 1,
                Ok(Verdict::Retry) => report.retried += 1,
                Ok(Verdict::Fail) => report.failed += 1,
                Err(e) => {
                    failure.get_or_insert(e);
                    exhausted = true;
                }
            }
            step();
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// [`WebhookDeliverer::drain`] to the end, with nothing to stop it.
    pub async fn drain_all(&self, stats: &WebhookStats) -> Result<DrainReport, StorageError> {
        self.drain(stats, &AtomicBool::new(false), || {}).await
    }

    /// Claims the next due row, none of `held`, and reads its channel.
    async fn claim_next(
        &self,
        held: Vec<String>,
    ) -> Result<Option<(ClaimedMail, Option<Target>)>, StorageError> {
        let (owner, now, lease) = (self.worker.clone(), self.clock.now(), self.lease());
        self.db
            .run(move |conn| {
                let webhook = outbox::channel::WEBHOOK;
                let claimed = outbox::claim_channel(conn, webhook, &owner, now, lease, 1, &held)?;
                let Some(row) = claimed.into_iter().next() else { return Ok(None) };
                let target = alert_channels::target(conn, &row.to)?;
                Ok(Some((row, target)))
            })
            .await
    }

    /// Posts one row and marks it.
    async fn deliver(
        &self,
        row: ClaimedMail,
        target: Option<Target>,
        stats: &WebhookStats,
    ) -> Result<Verdict, StorageError> {
        let answer = match target.as_ref().filter(|t| t.active && !t.url.is_empty()) {
            None => Err("the channel was removed"),
            Some(target) => self.post(&row, target).await,
        };
        let now = self.clock.now();
        let owner = self.worker.clone();
        let (verdict, code, message) = match answer {
            Err(reason) => (Verdict::Fail, None, reason.to_string()),
            Ok(answer) => {
                let verdict = verdict(&answer, row.attempts, self.retry.max_attempts);
                match answer {
                    Answer::Status(code) => (verdict, Some(code), format!("HTTP {code}")),
                    Answer::NoAnswer(reason) => (verdict, None, reason.to_string()),
                }
            }
        };
        let kept = match verdict {
            Verdict::Sent => {
                stats.attempted("sent");
                let code = code.unwrap_or(200);
                self.db
                    .run(move |conn| {
                        alert_channels::mark_sent(conn, &row, target.as_ref(), &owner, code, now)
                    })
                    .await?
            }
            Verdict::Retry => {
                stats.attempted("retried");
                let next = now + backoff(row.attempts, &self.retry, jitter());
                tracing::info!(kind = %row.kind, attempts = row.attempts, status = ?code, error = %message, "webhook will be retried");
                self.db
                    .run(move |conn| {
                        outbox::mark_retry(conn, &row, &owner, AttemptError { message: &message, code }, next)
                    })
                    .await?
            }
            Verdict::Fail => {
                stats.attempted("failed");
                tracing::warn!(kind = %row.kind, attempts = row.attempts, status = ?code, error = %message, "webhook failed for good");
                self.db
                    .run(move |conn| {
                        let error = AttemptError { message: &message, code };
                        alert_channels::mark_failed(conn, &row, target.as_ref(), &owner, error, now)
                    })
                    .await?
            }
        };
        if !kept {
            stats.lease_lost.inc();
            tracing::warn!(
                worker = %crate::telemetry::escaped(&self.worker),
                "a webhook row's lease was taken by another worker before it was marked; it may be posted twice"
            );
        }
        Ok(verdict)
    }

    /// One POST, bounded by the timeout; `Err` when it cannot be made at all (final).
    async fn post(&self, row: &ClaimedMail, target: &Target) -> Result<Answer, &'static str> {
        let client = match self.client.as_ref() {
            Ok(client) => client,
            Err(_) => return Ok(Answer::NoAnswer("no HTTP client")),
        };
        let mut request = client
            .post(target.url.as_str())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(row.body_text.clone());
        if ChannelKind::parse(&target.kind).is_some_and(ChannelKind::is_signed) {
            let timestamp = self.clock.now().timestamp();
            let secret = target.secret.as_deref().ok_or("the channel has no secret")?;
            let signature = sign(secret, &row.message_id, timestamp, row.body_text.as_bytes())
                .ok_or("the channel's secret is not base64")?;
            request = request
                .header("webhook-id", &row.message_id)
                .header("webhook-timestamp", timestamp.to_string())
                .header("webhook-signature", signature);
        }
        // In running time, as a mail's send (`super::running_time`): the client itself has no
        // overall timeout, only one for connecting.
        let limit = StdDuration::from_secs(self.settings.timeout_seconds.max(1));
        Ok(match super::running_time::timeout(limit, request.send()).await {
            Err(_) => Answer::NoAnswer("timed out"),
            Ok(Ok(response)) => Answer::Status(response.status().as_u16()),
            // Only a category: reqwest's own message names the URL, a secret for chat channels.
            Ok(Err(e)) if e.is_timeout() => Answer::NoAnswer("timed out"),
            Ok(Err(e)) if e.is_connect() => Answer::NoAnswer("no connection"),
            Ok(Err(e)) if e.is_builder() => return Err("the channel's URL cannot be used"),
            Ok(Err(_)) => Answer::NoAnswer("the exchange failed"),
        })
    }
}

fn jitter() -> f64 {
    (crypto::random_u64() % 10_000) as f64 / 10_000.0
}

/// Whether `url` may be a channel's endpoint: `https://` with a host, or `http://` to a loopback
/// host (127.0.0.1, ::1, localhost: tests and local relays). The error says why, without echoing the
/// URL.
pub fn check_url(url: &str) -> Result<(), &'static str> {
    let url = url.trim();
    if url.len() > 2000 {
        return Err("is longer than 2000 characters");
    }
    let parsed = reqwest::Url::parse(url).map_err(|_| "is not a URL")?;
    let host = parsed.host_str().filter(|h| !h.is_empty()).ok_or("has no host")?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err("must start with https:// (http:// only to 127.0.0.1, ::1 or localhost)"),
    }
}

/// The URL as lists show it: its host and its last four characters (the rest may be a secret).
pub fn mask_url(url: &str) -> String {
    let host =
        reqwest::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    let tail: String = url.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("{host}/…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_standard_webhooks_test_vector() {
        // The test vector published with the Standard Webhooks reference libraries.
        assert_eq!(
            sign(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                br#"{"test": 2432232314}"#
            )
            .as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(sign("whsec_not base64!", "msg_1", 1, b"{}"), None);
    }

    #[test]
    fn new_secrets_are_whsec_and_32_bytes() {
        let secret = new_secret();
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
        assert_eq!(bytes.len(), 32);
        assert_ne!(secret, new_secret());
        assert!(new_webhook_id().starts_with("msg_"));
    }

    #[test]
    fn the_verdict_follows_the_status() {
        assert_eq!(verdict(&Answer::Status(200), 1, 5), Verdict::Sent);
        assert_eq!(verdict(&Answer::Status(204), 5, 5), Verdict::Sent);
        assert_eq!(verdict(&Answer::Status(500), 1, 5), Verdict::Retry);
        assert_eq!(verdict(&Answer::Status(503), 4, 5), Verdict::Retry);
        assert_eq!(verdict(&Answer::Status(503), 5, 5), Verdict::Fail, "the last attempt");
        assert_eq!(verdict(&Answer::Status(429), 1, 5), Verdict::Retry);
        assert_eq!(verdict(&Answer::Status(408), 1, 5), Verdict::Retry);
        assert_eq!(verdict(&Answer::NoAnswer("timed out"), 1, 5), Verdict::Retry);
        assert_eq!(verdict(&Answer::Status(410), 1, 5), Verdict::Fail, "gone");
        assert_eq!(verdict(&Answer::Status(404), 1, 5), Verdict::Fail);
        assert_eq!(verdict(&Answer::Status(302), 1, 5), Verdict::Fail, "redirects are not followed");
    }

    #[test]
    fn urls_must_be_https_except_to_loopback() {
        assert_eq!(check_url("https://hooks.slack.com/services/T/B/x"), Ok(()));
        assert_eq!(check_url("http://127.0.0.1:8080/hook"), Ok(()));
        assert_eq!(check_url("http://[::1]:8080/hook"), Ok(()));
        assert_eq!(check_url("http://localhost/hook"), Ok(()));
        assert!(check_url("http://hooks.example/hook").is_err());
        assert!(check_url("ftp://hooks.example/hook").is_err());
        assert!(check_url("not a url").is_err());
        assert!(check_url(&format!("https://h.example/{}", "a".repeat(2000))).is_err());
    }

    #[test]
    fn masked_urls_show_the_host_and_four_characters() {
        assert_eq!(mask_url("https://hooks.slack.com/services/T0/B0/abcdefXYZW"), "hooks.slack.com/…XYZW");
    }
}
