//! Mail: rendering (askama), transports (lettre SMTP or `.eml` files) and delivery of the outbox;
//! the alert channels beyond e-mail (webhooks: payloads, signatures, their own delivery loop).

pub mod delivery;
pub mod messages;
pub mod relay;
pub mod running_time;
pub mod transport;
pub mod webhook;

#[cfg(test)]
mod wording_tests;

/// A new, globally unique Message-ID in the domain of the sender address (a UUIDv7: time-ordered,
/// so the unique index on it grows at its right edge).
pub fn message_id(from: &str) -> String {
    let address = from.rsplit_once('<').map_or(from, |(_, a)| a).trim_end_matches('>');
    let domain = address.rsplit_once('@').map_or("art33.local", |(_, d)| d).trim();
    let domain = if domain.is_empty() { "art33.local" } else { domain };
    format!("<{}@{domain}>", uuid::Uuid::now_v7().simple())
}

#[cfg(test)]
mod tests {
    #[test]
    fn message_ids_use_the_sender_domain() {
        let id = super::message_id("art33 <art33@gx.example>");
        assert!(id.starts_with('<') && id.ends_with("@gx.example>"), "{id}");
        assert_ne!(id, super::message_id("art33 <art33@gx.example>"));
        assert!(super::message_id("nobody").ends_with("@art33.local>"));
    }
}
