//! Credentials: API tokens (random, stored as digests) and passwords (argon2id).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::crypto;

/// Prefix of every API token, so that leaked tokens are recognisable by secret scanners.
pub const TOKEN_PREFIX: &str = "art33_";

/// Characters of a token kept visible (for lists) next to its digest.
const VISIBLE_CHARS: usize = 12;

/// Smallest accepted password length.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A freshly made API token. The secret is shown once and never stored.
#[derive(Clone)]
pub struct IssuedToken {
    /// The bearer secret, `art33_` + 32 random bytes (base64url).
    pub secret: String,
    /// The first characters of the secret.
    pub prefix: String,
    /// SHA-256 of the secret: what is stored.
    pub digest: String,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

/// Makes a new API token.
pub fn issue_api_token() -> IssuedToken {
    let secret = format!("{TOKEN_PREFIX}{}", crypto::random_token(32));
    IssuedToken {
        prefix: secret.chars().take(VISIBLE_CHARS).collect(),
        digest: token_digest(&secret),
        secret,
    }
}

/// The stored digest of a bearer secret.
pub fn token_digest(secret: &str) -> String {
    crypto::sha256_hex(secret.as_bytes())
}

/// Why a password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Shorter than [`MIN_PASSWORD_CHARS`].
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    /// On the list of common passwords, or too repetitive to resist guessing.
    #[error("the password is too common or too easy to guess; choose a longer phrase of unrelated words")]
    TooCommon,
    /// Hashing failed.
    #[error("the password could not be hashed: {0}")]
    Hashing(String),
}

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if is_common(password) {
        return Err(PasswordError::TooCommon);
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Passwords of twelve characters or more that appear high in published breach lists, and their
/// Dutch counterparts. Compared case-insensitively.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "123123123123",
    "111111111111",
    "000000000000",
    "121212121212",
    "qwertyuiop12",
    "qwertyuiopas",
    "qwerty123456",
    "qwertyqwerty",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "asdfghjkl123",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "password!234",
    "p@ssw0rd1234",
    "passw0rd1234",
    "iloveyou1234",
    "iloveyouiloveyou",
    "abcdefghijkl",
    "abcdefg12345",
    "abc123abc123",
    "letmein12345",
    "welcome12345",
    "welcome123456",
    "administrator",
    "administrator1",
    "changeme1234",
    "trustno1trustno1",
    "football1234",
    "baseball1234",
    "superman1234",
    "sunshine1234",
    "princess1234",
    "monkey123456",
    "dragon123456",
    "starwars1234",
    "whatever1234",
    "wachtwoord12",
    "wachtwoord123",
    "wachtwoord1234",
    "welkom123456",
    "welkomwelkom",
    "geheim123456",
    "voorjaar2026",
    "zomer2026!!!",
    "winter2026!!",
    "herfst2026!!",
    "correcthorsebatterystaple",
];

/// Whether a password is common or too repetitive (fewer than five different characters).
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let distinct = lower.chars().collect::<std::collections::BTreeSet<_>>().len();
    distinct < 5 || COMMON_PASSWORDS.contains(&lower.as_str())
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_a_prefix_and_are_stored_as_digests() {
        let token = issue_api_token();
        assert!(token.secret.starts_with("art33_"));
        assert!(token.secret.starts_with(&token.prefix));
        assert_eq!(token.digest, token_digest(&token.secret));
        assert_ne!(token.digest, token.secret);
        assert!(!format!("{token:?}").contains(&token.secret));
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse battery"));
        assert!(!verify_password(&hash, "wrong horse battery"));
        assert!(!verify_password("not a hash", "x"));
        assert_eq!(hash_password("short"), Err(PasswordError::TooShort));
        assert_eq!(hash_password("Password1234"), Err(PasswordError::TooCommon));
        assert_eq!(hash_password("aaaaaaaaaaaaaaaa"), Err(PasswordError::TooCommon));
        assert_eq!(hash_password("abababababababab"), Err(PasswordError::TooCommon));
        assert!(hash_password("violet kettle under the bridge").is_ok());
    }
}
