//! What this process has seen of the mail relay: since when every attempt has failed (an outage is
//! visible in `/healthz` and metrics long before a mail is given up), and whether a permanent refusal
//! is the relay's own trouble (the same 5xx for several recipients) rather than the recipient's.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A permanent refusal counts as relay-wide when the relay gave the same code for at least this many
/// different recipients ... (two bad addresses in a row are taken for the relay's trouble too: their
/// mails are then retried instead of failed, which costs time, not a lost mail)
pub const RELAY_WIDE_RECIPIENTS: usize = 2;
/// ... within this long, with no mail accepted in between.
pub const RELAY_WIDE_WINDOW: Duration = Duration::from_secs(120);

#[derive(Debug, Default)]
struct Seen {
    /// The first failed attempt since the last accepted mail.
    failing_since: Option<Instant>,
    /// Permanent refusals since the last accepted mail, newest last: when, code, recipient.
    refusals: VecDeque<(Instant, u16, String)>,
}

/// The relay as this process's attempts saw it.
#[derive(Debug, Default)]
pub struct RelayMonitor {
    seen: Mutex<Seen>,
}

impl RelayMonitor {
    fn lock(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The relay accepted a mail: it works.
    pub fn accepted(&self) {
        let mut seen = self.lock();
        seen.failing_since = None;
        seen.refusals.clear();
    }

    /// An attempt failed (refused, deferred, timed out, no connection).
    pub fn failed(&self) {
        self.lock().failing_since.get_or_insert_with(Instant::now);
    }

    /// The relay refused a mail to `recipient` for good with `code`; answers whether the same code
    /// reached enough different recipients lately to be the relay's own trouble.
    pub fn refused(&self, code: u16, recipient: &str) -> bool {
        let now = Instant::now();
        let mut seen = self.lock();
        seen.failing_since.get_or_insert(now);
        while seen
            .refusals
            .front()
            .is_some_and(|(at, _, _)| now.saturating_duration_since(*at) > RELAY_WIDE_WINDOW)
        {
            seen.refusals.pop_front();
        }
        seen.refusals.push_back((now, code, recipient.to_ascii_lowercase()));
        let mut recipients: Vec<&str> =
            seen.refusals.iter().filter(|(_, c, _)| *c == code).map(|(_, _, r)| r.as_str()).collect();
        recipients.sort_unstable();
        recipients.dedup();
        recipients.len() >= RELAY_WIDE_RECIPIENTS
    }

    /// How long every attempt has failed, if the last one failed.
    pub fn failing_for(&self) -> Option<Duration> {
        self.lock().failing_since.map(|since| since.elapsed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_refusal_for_two_recipients_is_the_relays_own() {
        let relay = RelayMonitor::default();
        assert!(!relay.refused(550, "dpo@acme.example"));
        assert!(!relay.refused(550, "DPO@acme.example"), "the same recipient again");
        assert!(!relay.refused(554, "b@acme.example"), "another code");
        assert!(relay.refused(550, "c@acme.example"));
        relay.accepted();
        assert!(!relay.refused(550, "e@acme.example"), "an accepted mail in between resets it");
    }

    #[test]
    fn failing_since_the_first_failure_until_a_mail_is_accepted() {
        let relay = RelayMonitor::default();
        assert_eq!(relay.failing_for(), None);
        relay.failed();
        std::thread::sleep(Duration::from_millis(20));
        relay.failed();
        assert!(relay.failing_for().unwrap() >= Duration::from_millis(20), "measured from the first");
        relay.accepted();
        assert_eq!(relay.failing_for(), None);
    }
}
