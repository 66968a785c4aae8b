//! The tamper-evident audit trail (`docs/ARCHITECTURE.md` §8): every change is an event
//! `(seq, at, actor, incident, type, detail, prev_hash, hash)` with
//! `hash = SHA-256(prev_hash ‖ canonical(event))`.
//!
//! Free text is hashed by its digest, not its words: the retention purge replaces the text in the
//! stored detail by that digest, and the chain still verifies.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Whether the string values of `key` are free text (anywhere in a detail object): the facts and
/// the events' free text, and the close summary as the register entry names it.
pub fn is_free_text(key: &str) -> bool {
    super::fields::fact_field(key).is_some_and(super::fields::FactField::is_free_text)
        || super::lifecycle::EVENT_FREE_TEXT.contains(&key)
        || key == "close_summary"
}

const DIGEST_PREFIX: &str = "sha256:";

/// An audit event before it is chained.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// Who: a user's e-mail address, `system` or `cli`.
    pub actor: String,
    /// The client concerned, if any.
    pub client_id: Option<String>,
    /// The incident concerned, if any.
    pub incident_id: Option<String>,
    /// What happened (`report`, `patch`, an event name, `alert.sent`, …).
    pub event_type: String,
    /// The particulars.
    pub detail: Value,
}

/// An audit event in the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainedEvent {
    /// Position, from 1.
    pub seq: i64,
    /// The event.
    pub event: AuditEvent,
    /// The hash of the event before.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

/// The canonical text of an event at `seq`: sorted keys, times to the microsecond, free text as
/// digests.
pub fn canonical(seq: i64, event: &AuditEvent) -> String {
    json!({
        "seq": seq,
        "at": event.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        "actor": event.actor,
        "client": event.client_id,
        "incident": event.incident_id,
        "type": event.event_type,
        "detail": digest_free_text(&event.detail),
    })
    .to_string()
}

/// The chain hash of `event` at `seq` after `prev_hash`.
pub fn chain_hash(prev_hash: &str, seq: i64, event: &AuditEvent) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical(seq, event).as_bytes());
    hex::encode(hasher.finalize())
}

/// Chains `event` after the head `(head_seq, head_hash)`.
pub fn chain(head_seq: i64, head_hash: &str, event: AuditEvent) -> ChainedEvent {
    let seq = head_seq + 1;
    let hash = chain_hash(head_hash, seq, &event);
    ChainedEvent { seq, event, prev_hash: head_hash.to_string(), hash }
}

/// The detail with every free-text value replaced by its digest (`sha256:…`). A value that already
/// is a digest stays as it is, so a purged detail has the same canonical form as the original.
pub fn digest_free_text(detail: &Value) -> Value {
    match detail {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let replaced = match value {
                    Value::String(text) if is_free_text(key) => Value::String(text_digest(text)),
                    other => digest_free_text(other),
                };
                out.insert(key.clone(), replaced);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(digest_free_text).collect()),
        other => other.clone(),
    }
}

/// `sha256:HEX` of a text, or the text itself when it already is such a digest.
pub fn text_digest(text: &str) -> String {
    if is_digest(text) {
        return text.to_string();
    }
    format!("{DIGEST_PREFIX}{}", hex::encode(Sha256::digest(text.as_bytes())))
}

fn is_digest(text: &str) -> bool {
    text.strip_prefix(DIGEST_PREFIX)
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Where the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// An event is missing or out of order.
    #[error("event {seq}: expected sequence number {expected} (an event is missing or out of order)")]
    Sequence {
        /// The sequence number found.
        seq: i64,
        /// The one expected.
        expected: i64,
    },
    /// The event does not follow the one before it.
    #[error("event {seq}: its prev_hash does not match the hash of event {previous}")]
    Link {
        /// The broken event.
        seq: i64,
        /// The event before.
        previous: i64,
    },
    /// The event's content or hash was altered.
    #[error("event {seq}: its content does not match its hash (the event was altered)")]
    Content {
        /// The altered event.
        seq: i64,
    },
    /// The head row disagrees with the last event.
    #[error("the chain head (event {head_seq}) does not match the last event ({last_seq})")]
    Head {
        /// The head's sequence number.
        head_seq: i64,
        /// The last event's.
        last_seq: i64,
    },
}

/// Checks a chain event by event, in `seq` order, without holding it all in memory.
#[derive(Debug, Clone)]
pub struct Verifier {
    last_seq: i64,
    last_hash: String,
}

impl Default for Verifier {
    fn default() -> Self {
        Self { last_seq: 0, last_hash: GENESIS.to_string() }
    }
}

impl Verifier {
    /// Checks the next event.
    pub fn feed(&mut self, stored: &ChainedEvent) -> Result<(), ChainBreak> {
        let expected = self.last_seq + 1;
        if stored.seq != expected {
            return Err(ChainBreak::Sequence { seq: stored.seq, expected });
        }
        if stored.prev_hash != self.last_hash {
            return Err(ChainBreak::Link { seq: stored.seq, previous: self.last_seq });
        }
        if chain_hash(&stored.prev_hash, stored.seq, &stored.event) != stored.hash {
            return Err(ChainBreak::Content { seq: stored.seq });
        }
        self.last_seq = stored.seq;
        self.last_hash = stored.hash.clone();
        Ok(())
    }

    /// Checks the head row against the last event; returns the number of events.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        if head_seq != self.last_seq || head_hash != self.last_hash {
            return Err(ChainBreak::Head { head_seq, last_seq: self.last_seq });
        }
        Ok(self.last_seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: i64, text: &str) -> AuditEvent {
        AuditEvent {
            at: "2026-10-22T12:30:00.123456Z".parse::<DateTime<Utc>>().unwrap()
                + chrono::Duration::seconds(n),
            actor: "dpo@acme.example".into(),
            client_id: Some("c1".into()),
            incident_id: Some("i1".into()),
            event_type: "dismiss".into(),
            detail: json!({"reason": text, "from": "reported", "to": "dismissed", "nested": {"note": text}}),
        }
    }

    fn build(n: i64) -> Vec<ChainedEvent> {
        let mut out: Vec<ChainedEvent> = Vec::new();
        for i in 0..n {
            let (seq, hash) = out.last().map(|e| (e.seq, e.hash.clone())).unwrap_or((0, GENESIS.to_string()));
            out.push(chain(seq, &hash, event(i, &format!("text {i}"))));
        }
        out
    }

    fn verify(events: &[ChainedEvent]) -> Result<i64, ChainBreak> {
        let mut v = Verifier::default();
        for e in events {
            v.feed(e)?;
        }
        let (seq, hash) = events.last().map(|e| (e.seq, e.hash.clone())).unwrap_or((0, GENESIS.to_string()));
        v.finish(seq, &hash)
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(verify(&build(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn altered_content_order_or_hash_names_the_event() {
        let mut chain = build(5);
        chain[2].event.detail["to"] = json!("closed");
        assert_eq!(verify(&chain), Err(ChainBreak::Content { seq: 3 }));

        let mut chain = build(5);
        chain[3].event.actor = "someone@else.example".into();
        assert_eq!(verify(&chain), Err(ChainBreak::Content { seq: 4 }));

        let mut chain = build(5);
        chain.swap(1, 2);
        assert_eq!(verify(&chain), Err(ChainBreak::Sequence { seq: 3, expected: 2 }));

        let mut chain = build(5);
        chain[1].hash = "f".repeat(64);
        assert_eq!(verify(&chain), Err(ChainBreak::Content { seq: 2 }));

        let mut chain = build(5);
        chain.remove(4);
        let mut v = Verifier::default();
        for e in &chain {
            v.feed(e).unwrap();
        }
        let full = build(5);
        assert_eq!(v.finish(5, &full[4].hash), Err(ChainBreak::Head { head_seq: 5, last_seq: 4 }));
    }

    #[test]
    fn purging_free_text_keeps_the_chain_valid() {
        let mut chain = build(3);
        let purged = digest_free_text(&chain[1].event.detail);
        assert_ne!(purged, chain[1].event.detail);
        assert!(purged["reason"].as_str().unwrap().starts_with("sha256:"));
        assert_eq!(purged["nested"]["note"], purged["reason"]);
        assert_eq!(purged["from"], "reported");
        chain[1].event.detail = purged;
        assert_eq!(verify(&chain), Ok(3));
    }

    #[test]
    fn changing_free_text_still_breaks_the_chain() {
        let mut chain = build(3);
        chain[0].event.detail["reason"] = json!("a different story");
        assert_eq!(verify(&chain), Err(ChainBreak::Content { seq: 1 }));
    }
}
