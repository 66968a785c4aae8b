//! The tamper-evident audit trail (`docs/ARCHITECTURE.md` §8): every change is an event
//! `(chain, seq, at, actor, incident, type, detail, prev_hash, hash)` with
//! `hash = SHA-256(prev_hash ‖ canonical(event))`.
//!
//! There is one chain per client (its incidents, mails and exports) and one `system` chain (the
//! directory: clients, users, tokens; the checkpoints). An event's chain follows from the event
//! itself ([`chain_of`]), so no caller can put an event on another client's chain, and the chain is
//! part of the canonical text, so an event moved to another chain no longer verifies there.
//!
//! Free text is hashed by its digest, not its words: the retention purge replaces the text in the
//! stored detail by that digest, and the chain still verifies.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The key of the chain of events that concern no client, or the directory itself.
pub const SYSTEM_CHAIN: &str = "system";

/// The type of the system chain's event that records the heads of the client chains.
pub const CHECKPOINT: &str = "chain.checkpoint";

/// The type of the system chain's event that records the re-chaining of the old single chain.
pub const RECHAINED: &str = "audit.rechained";

/// Event types that belong on the system chain even when they name a client: the directory
/// (clients' creation and changes, users, tokens, users' calendar links), logins and the audit
/// trail's own records.
const SYSTEM_TYPE_PREFIXES: [&str; 7] =
    ["client.", "user.", "token.", "login.", "calendar.", "audit.", "chain."];

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

/// The chain an event belongs on: its client's (the client id), or [`SYSTEM_CHAIN`] for an event
/// of no client and for the directory's, logins' and the trail's own events. The one rule; every
/// append and every verification asks it.
pub fn chain_of(event: &AuditEvent) -> &str {
    match &event.client_id {
        Some(client) if !SYSTEM_TYPE_PREFIXES.iter().any(|p| event.event_type.starts_with(p)) => client,
        _ => SYSTEM_CHAIN,
    }
}

/// An audit event in its chain.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainedEvent {
    /// The chain: a client id or [`SYSTEM_CHAIN`].
    pub chain: String,
    /// Position in the chain, from 1.
    pub seq: i64,
    /// The event.
    pub event: AuditEvent,
    /// The hash of the event before.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

/// The canonical text of an event at `seq` of `chain`: sorted keys, times to the microsecond, free
/// text as digests.
pub fn canonical(chain: &str, seq: i64, event: &AuditEvent) -> String {
    json!({
        "chain": chain,
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

/// The chain hash of `event` at `seq` of `chain` after `prev_hash`.
pub fn chain_hash(prev_hash: &str, chain: &str, seq: i64, event: &AuditEvent) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical(chain, seq, event).as_bytes());
    hex::encode(hasher.finalize())
}

/// Chains `event` after the head `(head_seq, head_hash)` of its own chain ([`chain_of`]).
pub fn chain(head_seq: i64, head_hash: &str, event: AuditEvent) -> ChainedEvent {
    let chain = chain_of(&event).to_string();
    let seq = head_seq + 1;
    let hash = chain_hash(head_hash, &chain, seq, &event);
    ChainedEvent { chain, seq, event, prev_hash: head_hash.to_string(), hash }
}

/// A chain's head as a checkpoint records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    /// The last sequence number.
    pub seq: i64,
    /// The last hash.
    pub hash: String,
}

/// The system chain's checkpoint of the client chains' `heads` (chain key → head): chain keys
/// are client ids, so the detail holds no name and no personal data.
pub fn checkpoint_event(heads: &BTreeMap<String, ChainHead>, now: DateTime<Utc>) -> AuditEvent {
    let chains: Map<String, Value> = heads
        .iter()
        .map(|(chain, head)| (chain.clone(), json!({ "seq": head.seq, "hash": head.hash })))
        .collect();
    AuditEvent {
        at: now,
        actor: "system".into(),
        client_id: None,
        incident_id: None,
        event_type: CHECKPOINT.into(),
        detail: json!({ "chains": chains }),
    }
}

/// The heads a checkpoint event records; empty for any other event.
pub fn checkpointed_heads(event: &AuditEvent) -> BTreeMap<String, ChainHead> {
    if event.event_type != CHECKPOINT || event.client_id.is_some() {
        return BTreeMap::new();
    }
    let Some(chains) = event.detail.get("chains").and_then(Value::as_object) else { return BTreeMap::new() };
    chains
        .iter()
        .filter_map(|(chain, head)| {
            let seq = head.get("seq")?.as_i64()?;
            let hash = head.get("hash")?.as_str()?.to_string();
            Some((chain.clone(), ChainHead { seq, hash }))
        })
        .collect()
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

/// Where a chain is broken.
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
    /// The event belongs on another chain (moved or swapped between clients' chains).
    #[error("event {seq}: it belongs on another chain (the event was moved)")]
    Chain {
        /// The misplaced event.
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
    /// The chain ends before the head a system checkpoint recorded: its tail was deleted.
    #[error(
        "event {checkpoint_seq}: the chain was truncated (it ends at event {last_seq}, a checkpoint recorded {checkpoint_seq})"
    )]
    Truncated {
        /// The checkpointed head's sequence number.
        checkpoint_seq: i64,
        /// The last event left.
        last_seq: i64,
    },
    /// The event at a checkpointed head has another hash than the checkpoint recorded: the chain
    /// was rewritten from there on.
    #[error(
        "event {seq}: its hash differs from the one a system checkpoint recorded (the chain was rewritten)"
    )]
    Checkpoint {
        /// The checkpointed event.
        seq: i64,
    },
}

/// A break and the chain it is in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("chain {chain}: {broken}")]
pub struct BrokenChain {
    /// The chain key.
    pub chain: String,
    /// Where and how.
    pub broken: ChainBreak,
}

/// Checks one chain event by event, in `seq` order, without holding it all in memory.
#[derive(Debug, Clone)]
pub struct Verifier {
    chain: String,
    last_seq: i64,
    last_hash: String,
    checkpoint: Option<ChainHead>,
}

impl Verifier {
    /// A verifier of the chain `chain`, from its first event.
    pub fn new(chain: &str) -> Self {
        Self { chain: chain.to_string(), last_seq: 0, last_hash: GENESIS.to_string(), checkpoint: None }
    }

    /// Also checks the chain against the head a system checkpoint recorded for it: the chain must
    /// reach that event, with that hash.
    pub fn with_checkpoint(mut self, checkpoint: Option<ChainHead>) -> Self {
        self.checkpoint = checkpoint;
        self
    }

    /// Checks the next event.
    pub fn feed(&mut self, stored: &ChainedEvent) -> Result<(), ChainBreak> {
        let expected = self.last_seq + 1;
        if stored.seq != expected {
            return Err(ChainBreak::Sequence { seq: stored.seq, expected });
        }
        if stored.chain != self.chain || chain_of(&stored.event) != self.chain {
            return Err(ChainBreak::Chain { seq: stored.seq });
        }
        if stored.prev_hash != self.last_hash {
            return Err(ChainBreak::Link { seq: stored.seq, previous: self.last_seq });
        }
        if chain_hash(&stored.prev_hash, &self.chain, stored.seq, &stored.event) != stored.hash {
            return Err(ChainBreak::Content { seq: stored.seq });
        }
        if let Some(checkpoint) = &self.checkpoint
            && checkpoint.seq == stored.seq
            && checkpoint.hash != stored.hash
        {
            return Err(ChainBreak::Checkpoint { seq: stored.seq });
        }
        self.last_seq = stored.seq;
        self.last_hash = stored.hash.clone();
        Ok(())
    }

    /// Checks the head row against the last event, and the chain against its checkpoint; returns
    /// the number of events.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        if let Some(checkpoint) = &self.checkpoint
            && self.last_seq < checkpoint.seq
        {
            return Err(ChainBreak::Truncated { checkpoint_seq: checkpoint.seq, last_seq: self.last_seq });
        }
        if head_seq != self.last_seq || head_hash != self.last_hash {
            return Err(ChainBreak::Head { head_seq, last_seq: self.last_seq });
        }
        Ok(self.last_seq)
    }
}

/// The single chain of the first versions, kept to verify it once more before it is re-chained per
/// client (`storage::audit_log::rechain_v1`): its canonical form had no chain key.
pub mod v1 {
    use super::{AuditEvent, Digest, GENESIS, Sha256, digest_free_text, json};

    /// The old canonical text of an event at `seq`.
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

    /// The old chain hash of `event` at `seq` after `prev_hash`.
    pub fn chain_hash(prev_hash: &str, seq: i64, event: &AuditEvent) -> String {
        let mut hasher = Sha256::new();
        hasher.update(prev_hash.as_bytes());
        hasher.update(canonical(seq, event).as_bytes());
        hex::encode(hasher.finalize())
    }

    /// Checks the old chain event by event; the break names the first event that fails.
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
        /// Checks the next event `(seq, event, prev_hash, hash)`; `Err(seq)` names a broken one.
        pub fn feed(&mut self, seq: i64, event: &AuditEvent, prev_hash: &str, hash: &str) -> Result<(), i64> {
            if seq != self.last_seq + 1
                || prev_hash != self.last_hash
                || chain_hash(prev_hash, seq, event) != hash
            {
                return Err(seq);
            }
            self.last_seq = seq;
            self.last_hash = hash.to_string();
            Ok(())
        }

        /// The last event's `(seq, hash)`: the head the chain should have.
        pub fn head(&self) -> (i64, &str) {
            (self.last_seq, &self.last_hash)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event_of(client: &str, n: i64, text: &str) -> AuditEvent {
        AuditEvent {
            at: "2026-10-22T12:30:00.123456Z".parse::<DateTime<Utc>>().unwrap()
                + chrono::Duration::seconds(n),
            actor: "dpo@acme.example".into(),
            client_id: Some(client.into()),
            incident_id: Some("i1".into()),
            event_type: "dismiss".into(),
            detail: json!({"reason": text, "from": "reported", "to": "dismissed", "nested": {"note": text}}),
        }
    }

    fn event(n: i64, text: &str) -> AuditEvent {
        event_of("c1", n, text)
    }

    fn build_of(client: &str, n: i64) -> Vec<ChainedEvent> {
        let mut out: Vec<ChainedEvent> = Vec::new();
        for i in 0..n {
            let (seq, hash) = out.last().map(|e| (e.seq, e.hash.clone())).unwrap_or((0, GENESIS.to_string()));
            out.push(chain(seq, &hash, event_of(client, i, &format!("text {i}"))));
        }
        out
    }

    fn build(n: i64) -> Vec<ChainedEvent> {
        build_of("c1", n)
    }

    fn verify_as(
        chain: &str,
        events: &[ChainedEvent],
        checkpoint: Option<ChainHead>,
    ) -> Result<i64, ChainBreak> {
        let mut v = Verifier::new(chain).with_checkpoint(checkpoint);
        for e in events {
            v.feed(e)?;
        }
        let (seq, hash) = events.last().map(|e| (e.seq, e.hash.clone())).unwrap_or((0, GENESIS.to_string()));
        v.finish(seq, &hash)
    }

    fn verify(events: &[ChainedEvent]) -> Result<i64, ChainBreak> {
        verify_as("c1", events, None)
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(verify(&build(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn the_chain_follows_from_the_event() {
        let mut e = event(0, "x");
        assert_eq!(chain_of(&e), "c1");
        for directory in [
            "client.add",
            "client.change",
            "client.profile",
            "user.add",
            "user.reset",
            "token.create",
            "calendar.create",
        ] {
            e.event_type = directory.into();
            assert_eq!(chain_of(&e), SYSTEM_CHAIN, "{directory}");
        }
        e.event_type = "register.export".into();
        assert_eq!(chain_of(&e), "c1");
        e.client_id = None;
        assert_eq!(chain_of(&e), SYSTEM_CHAIN);
        assert_eq!(chain(0, GENESIS, event_of("c2", 0, "y")).chain, "c2");
    }

    #[test]
    fn the_chain_is_part_of_the_hash() {
        let e = event(0, "x");
        assert_ne!(chain_hash(GENESIS, "c1", 1, &e), chain_hash(GENESIS, "c2", 1, &e));
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
        let mut v = Verifier::new("c1");
        for e in &chain {
            v.feed(e).unwrap();
        }
        let full = build(5);
        assert_eq!(v.finish(5, &full[4].hash), Err(ChainBreak::Head { head_seq: 5, last_seq: 4 }));
    }

    /// Two clients' chains with an event swapped between them (each in the other's place, the
    /// stored chain key rewritten too): both chains break at that event.
    #[test]
    fn an_event_swapped_between_two_clients_chains_is_named() {
        let (mut one, mut two) = (build_of("c1", 3), build_of("c2", 3));
        std::mem::swap(&mut one[1], &mut two[1]);
        one[1].chain = "c1".into();
        two[1].chain = "c2".into();
        assert_eq!(verify_as("c1", &one, None), Err(ChainBreak::Chain { seq: 2 }));
        assert_eq!(verify_as("c2", &two, None), Err(ChainBreak::Chain { seq: 2 }));
        // Rewritten to name the other client and re-hashed on its new chain, the link breaks.
        let mut moved = build_of("c2", 3)[1].clone();
        moved.event.client_id = Some("c1".into());
        moved.chain = "c1".into();
        moved.hash = chain_hash(&moved.prev_hash, "c1", 2, &moved.event);
        let mut one = build_of("c1", 3);
        one[1] = moved;
        assert_eq!(verify_as("c1", &one, None), Err(ChainBreak::Link { seq: 2, previous: 1 }));
    }

    #[test]
    fn a_chain_shorter_than_its_checkpoint_or_rewritten_under_it_is_broken() {
        let chain = build(5);
        let at = |i: usize| Some(ChainHead { seq: chain[i].seq, hash: chain[i].hash.clone() });
        assert_eq!(verify_as("c1", &chain, at(3)), Ok(5));
        assert_eq!(verify_as("c1", &chain, at(4)), Ok(5));
        // The tail from event 4 on deleted, and the head row rewritten to match: only the
        // checkpoint tells.
        assert_eq!(
            verify_as("c1", &chain[..3], at(4)),
            Err(ChainBreak::Truncated { checkpoint_seq: 5, last_seq: 3 })
        );
        assert_eq!(
            verify_as("c1", &[], at(0)),
            Err(ChainBreak::Truncated { checkpoint_seq: 1, last_seq: 0 })
        );
        // Rebuilt from event 2 on with other content: consistent in itself, not with the checkpoint.
        let mut rebuilt = chain[..1].to_vec();
        for i in 1..5 {
            let last = rebuilt.last().unwrap();
            rebuilt.push(super::chain(last.seq, &last.hash.clone(), event(i, "rewritten")));
        }
        assert_eq!(verify_as("c1", &rebuilt, at(3)), Err(ChainBreak::Checkpoint { seq: 4 }));
    }

    #[test]
    fn a_checkpoint_names_heads_by_chain_key_only() {
        let heads: BTreeMap<String, ChainHead> =
            [("c1".to_string(), ChainHead { seq: 4, hash: "a".repeat(64) })].into_iter().collect();
        let event = checkpoint_event(&heads, "2026-10-22T12:00:00Z".parse().unwrap());
        assert_eq!(chain_of(&event), SYSTEM_CHAIN);
        assert_eq!(event.detail, json!({"chains": {"c1": {"seq": 4, "hash": "a".repeat(64)}}}));
        assert_eq!(checkpointed_heads(&event), heads);
        assert!(checkpointed_heads(&super::tests::event(0, "x")).is_empty());
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

    #[test]
    fn the_old_single_chain_verifies_with_the_old_canonical_form() {
        let mut v = v1::Verifier::default();
        let (mut seq, mut hash) = (0, GENESIS.to_string());
        for i in 0..3 {
            let e = event(i, "x");
            let next = v1::chain_hash(&hash, seq + 1, &e);
            v.feed(seq + 1, &e, &hash, &next).unwrap();
            (seq, hash) = (seq + 1, next);
        }
        assert_eq!(v.head(), (3, hash.as_str()));
        let e = event(9, "y");
        assert_eq!(v.feed(4, &e, &hash, &"0".repeat(64)), Err(4));
    }
}
