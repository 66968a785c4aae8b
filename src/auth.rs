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
    /// zxcvbn scores it below [`MIN_PASSWORD_SCORE`]: a common password, a pattern, or built from
    /// the user's own address, name or the organisation's name.
    #[error(
        "the password is too easy to guess (it is common, a pattern, or built from the address, name or organisation); choose a longer phrase of unrelated words"
    )]
    TooWeak,
    /// Hashing failed.
    #[error("the password could not be hashed: {0}")]
    Hashing(String),
}

impl PasswordError {
    /// The refusal in `locale` (the `password-…` texts of `locales/*/art33.ftl`).
    pub fn message(&self, locale: crate::domain::locale::Locale) -> String {
        use crate::domain::texts;
        match self {
            Self::TooShort => {
                texts::text_with(locale, "password-too-short", &[("min", &MIN_PASSWORD_CHARS.to_string())])
            }
            Self::TooWeak => texts::text(locale, "password-too-weak").to_string(),
            Self::Hashing(_) => self.to_string(),
        }
    }
}

/// The lowest accepted zxcvbn score (0–4): 3 is "safely unguessable: moderate protection from an
/// offline slow-hash scenario" (more than 10^8 guesses).
pub const MIN_PASSWORD_SCORE: u8 = 3;

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters and a zxcvbn score of at
/// least [`MIN_PASSWORD_SCORE`], with `user_inputs` (the user's address and name, the
/// organisation's name) counted as known words.
pub fn check_new_password(password: &str, user_inputs: &[&str]) -> Result<(), PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    // Parts of an address or a name are words too: `jan.de.vries@acme.example` gives `jan`,
    // `vries`, `acme`; all in lower case, as zxcvbn compares them.
    let mut words: Vec<String> = Vec::new();
    for input in user_inputs.iter().map(|i| i.trim().to_lowercase()).filter(|i| !i.is_empty()) {
        words.extend(
            input
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .map(str::to_string),
        );
        words.push(input);
    }
    let inputs: Vec<&str> = words.iter().map(String::as_str).collect();
    let score = u8::from(zxcvbn::zxcvbn(password, &inputs).score());
    if score < MIN_PASSWORD_SCORE {
        return Err(PasswordError::TooWeak);
    }
    Ok(())
}

/// Hashes a new password with argon2id and a random salt (PHC string), after
/// [`check_new_password`].
pub fn hash_password(password: &str, user_inputs: &[&str]) -> Result<String, PasswordError> {
    check_new_password(password, user_inputs)?;
    argon2_hash(password)
}

fn argon2_hash(password: &str) -> Result<String, PasswordError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// A fixed argon2id hash (the same parameters as every stored one) to verify against when the
/// account is unknown, inactive or has no password, so that every login attempt costs exactly one
/// verification.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| argon2_hash("not a real password, only for timing").unwrap_or_default())
}

thread_local! {
    /// Verifications run on this thread (read by tests: one per login attempt, whatever the path).
    static VERIFICATIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many password verifications this thread has run.
pub fn verifications_on_this_thread() -> u64 {
    VERIFICATIONS.get()
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(hash: &str, password: &str) -> bool {
    VERIFICATIONS.set(VERIFICATIONS.get() + 1);
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A login's password check: exactly one argon2 verification on every path, so that the answer's
/// timing does not tell whether the account exists. `found` is the active account with that address
/// and its stored hash, if any; without an account or a hash the password is verified against a
/// fixed dummy hash and the answer is `None`.
pub fn check_login<U>(found: Option<(U, Option<String>)>, password: &str) -> Option<U> {
    match found {
        Some((user, Some(hash))) => verify_password(&hash, password).then_some(user),
        Some((_, None)) | None => {
            let _ = verify_password(dummy_hash(), password);
            None
        }
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
        let hash = hash_password("violet kettle under the bridge", &[]).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "violet kettle under the bridge"));
        assert!(!verify_password(&hash, "wrong kettle under the bridge"));
        assert!(!verify_password("not a hash", "x"));
        assert_eq!(hash_password("short", &[]), Err(PasswordError::TooShort));
    }

    #[test]
    fn weak_passwords_are_refused_by_zxcvbn_with_the_users_own_words() {
        for weak in [
            "Password1234",
            "aaaaaaaaaaaaaaaa",
            "abababababababab",
            "qwertyuiop12",
            "123456789012",
            "wachtwoord1234",
            "welkomwelkom",
        ] {
            assert_eq!(check_new_password(weak, &[]), Err(PasswordError::TooWeak), "{weak}");
        }
        // Strong on its own, weak when built from the user's own address and name.
        let inputs = ["marjolein.vandenberg@acme.example", "Marjolein van den Berg", "Acme Privacy BV"];
        for own in ["vandenbergmarjolein", "marjolein.vandenberg@acme.example"] {
            assert!(check_new_password(own, &[]).is_ok(), "{own} on its own");
            assert_eq!(check_new_password(own, &inputs), Err(PasswordError::TooWeak), "{own}");
        }
        assert!(check_new_password("violet kettle under the bridge", &["dpo@acme.example", "Acme"]).is_ok());
        let nl = PasswordError::TooWeak.message(crate::domain::locale::Locale::Nl);
        let en = PasswordError::TooWeak.message(crate::domain::locale::Locale::En);
        assert_ne!(nl, en);
        assert!(PasswordError::TooShort.message(crate::domain::locale::Locale::En).contains("12"));
    }

    #[test]
    fn a_login_verifies_exactly_once_on_every_path() {
        let hash = argon2_hash("violet kettle under the bridge").unwrap();
        type Found = Option<(&'static str, Option<String>)>;
        let cases: [(Found, &str, bool); 5] = [
            (Some(("user", Some(hash.clone()))), "violet kettle under the bridge", true),
            (Some(("user", Some(hash.clone()))), "wrong password entirely", false),
            (Some(("user", None)), "violet kettle under the bridge", false),
            (None, "violet kettle under the bridge", false),
            (None, "", false),
        ];
        for (found, password, accepted) in cases {
            let before = verifications_on_this_thread();
            assert_eq!(check_login(found, password).is_some(), accepted, "{password:?}");
            assert_eq!(verifications_on_this_thread() - before, 1, "one verification: {password:?}");
        }
        assert!(dummy_hash().starts_with("$argon2id$"));
        assert_eq!(PasswordHash::new(dummy_hash()).unwrap().params, PasswordHash::new(&hash).unwrap().params);
    }
}
