//! Small cryptographic helpers: randomness, digests and signatures. Secrets made here are never
//! logged; only their digests are stored.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// `n` bytes from the operating system's random source.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes
}

/// A random `u64`, e.g. for retry jitter.
pub fn random_u64() -> u64 {
    getrandom::u64().expect("the operating system's random source failed")
}

/// `n` random bytes, base64url without padding: a bearer secret.
pub fn random_token(n: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(n))
}

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: impl AsRef<[u8]>) -> String {
    hex::encode(Sha256::digest(data.as_ref()))
}

/// HMAC-SHA256 of `message` under `key`, base64url without padding.
pub fn sign(key: &[u8], message: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac(key, message).finalize().into_bytes())
}

/// The raw HMAC-SHA256 of `message` under `key` (for signatures in another encoding, such as the
/// Standard Webhooks `webhook-signature`).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    mac(key, message).finalize().into_bytes().to_vec()
}

/// Whether `signature` is the HMAC-SHA256 of `message` under `key` (constant-time comparison).
pub fn verify(key: &[u8], message: &[u8], signature: &str) -> bool {
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    mac(key, message).verify_slice(&bytes).is_ok()
}

/// Whether a presented secret equals the expected one, in time that depends on neither: their
/// SHA-256 digests are compared byte for byte without stopping early, so not even the length of
/// the expected secret shows.
pub fn constant_time_eq(presented: &[u8], expected: &[u8]) -> bool {
    let (a, b) = (Sha256::digest(presented), Sha256::digest(expected));
    a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn mac(key: &[u8], message: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_a_known_vector() {
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(constant_time_eq(b"scrape-me-0123456789", b"scrape-me-0123456789"));
        assert!(!constant_time_eq(b"scrape-me-0123456788", b"scrape-me-0123456789"));
        assert!(!constant_time_eq(b"scrape-me", b"scrape-me-0123456789"));
        assert!(!constant_time_eq(b"", b"scrape-me-0123456789"));
    }

    #[test]
    fn signatures_verify_only_for_the_same_key_and_message() {
        let sig = sign(b"key", b"message");
        assert!(verify(b"key", b"message", &sig));
        assert!(!verify(b"other", b"message", &sig));
        assert!(!verify(b"key", b"messagE", &sig));
        assert!(!verify(b"key", b"message", "not base64!"));
    }

    #[test]
    fn tokens_are_random_and_url_safe() {
        let a = random_token(32);
        let b = random_token(32);
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }
}
