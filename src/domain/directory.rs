//! Clients (controllers) and users: validated input for the directory.

use super::error::FieldError;
use super::ids::{ClientId, UserId};
use super::input::{Lines, clean_text};
use super::locale::Locale;
use super::tenant::Role;

/// A client: a controller whose personal data GX processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// Identifier.
    pub id: ClientId,
    /// Short unique name, also the prefix of incident references.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// The client's DPO address: told of every suspected breach.
    pub dpo_email: String,
    /// The DPO's name, if given.
    pub dpo_name: Option<String>,
    /// Further addresses for escalations.
    pub escalation_emails: Vec<String>,
    /// The language of mails to this client.
    pub locale: Locale,
    /// Overrides of the escalation policy.
    pub policy: Option<super::escalation::ClientPolicy>,
    /// Whether the client is active.
    pub active: bool,
}

/// A user of art33.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Identifier.
    pub id: UserId,
    /// Login and mail address.
    pub email: String,
    /// Display name, if given.
    pub name: Option<String>,
    /// Role.
    pub role: Role,
    /// The client of a DPO or a client-bound reporter.
    pub client_id: Option<ClientId>,
    /// The user's language choice, if made.
    pub locale: Option<Locale>,
    /// Whether the user may log in.
    pub active: bool,
}

/// Checks a client slug: 2–20 characters, lower-case letters, digits and hyphens, starting with a
/// letter (it becomes the prefix of references such as `ACME-2026-0007`).
pub fn validate_slug(slug: &str) -> Result<(), FieldError> {
    let ok = (2..=20).contains(&slug.len())
        && slug.starts_with(|c: char| c.is_ascii_lowercase())
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "slug",
            format!(
                "\"{slug}\" is not a valid slug: use 2–20 lower-case letters, digits or hyphens, starting with a letter"
            ),
        ))
    }
}

/// Normalises and checks an e-mail address (lower-cased, trimmed).
pub fn normalize_email(field: &str, email: &str) -> Result<String, FieldError> {
    let email = email.trim().to_ascii_lowercase();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && domain.len() >= 3
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && email.len() <= 254
                && !email.chars().any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c))
        }
        None => false,
    };
    if valid {
        Ok(email)
    } else {
        Err(FieldError::new(field, format!("\"{email}\" is not a valid e-mail address")))
    }
}

/// Checks a display name or label: one line, non-empty after trimming, at most `max` characters,
/// no control characters ([`clean_text`], the check of every stored text).
pub fn validate_name(field: &str, name: &str, max: usize) -> Result<String, FieldError> {
    clean_text(field, name, max, Lines::One)?.ok_or_else(|| FieldError::new(field, "must not be empty"))
}

/// An optional display name or label (a DPO's or a user's name, a token's label): absent when
/// blank, otherwise as [`validate_name`].
pub fn validate_optional_name(
    field: &str,
    name: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match name {
        Some(name) => clean_text(field, name, max, Lines::One),
        None => Ok(None),
    }
}

/// The longest token label.
pub const LABEL_MAX: usize = 100;

/// Checks the client binding of a new user: a DPO needs a client; officers and admins see every
/// client and take none.
pub fn validate_user_client(role: Role, has_client: bool) -> Result<(), FieldError> {
    match (role, has_client) {
        (Role::Dpo, false) => Err(FieldError::new("client", "a dpo user needs --client SLUG")),
        (Role::Officer | Role::Admin, true) => Err(FieldError::new(
            "client",
            format!("a {} user sees every client and takes no --client", role.as_str()),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["acme", "a1", "big-corp", "x2-y3"] {
            validate_slug(ok).unwrap();
        }
        for bad in ["", "a", "Acme", "1acme", "acme-", "ac me", "acme_corp", "averyveryverylongslugname"] {
            let err = validate_slug(bad).unwrap_err();
            assert_eq!(err.field, "slug");
            assert!(err.message.contains(&format!("\"{bad}\"")));
        }
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(normalize_email("email", " DPO@Acme.NL ").unwrap(), "dpo@acme.nl");
        for bad in
            ["", "dpo", "dpo@", "@acme.nl", "dpo@acme", "d po@acme.nl", "a@b@c.nl", "dpo@.nl", "x<y>@acme.nl"]
        {
            assert_eq!(normalize_email("dpo-email", bad).unwrap_err().field, "dpo-email", "{bad}");
        }
    }

    #[test]
    fn dpo_needs_a_client_and_officers_take_none() {
        assert!(validate_user_client(Role::Dpo, false).is_err());
        assert!(validate_user_client(Role::Dpo, true).is_ok());
        assert!(validate_user_client(Role::Officer, true).is_err());
        assert!(validate_user_client(Role::Admin, false).is_ok());
        assert!(validate_user_client(Role::Reporter, false).is_ok());
        assert!(validate_user_client(Role::Reporter, true).is_ok());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(validate_name("name", "  Acme BV ", 10).unwrap(), "Acme BV");
        assert!(validate_name("name", "   ", 10).is_err());
        assert!(validate_name("name", "x".repeat(11).as_str(), 10).is_err());
        for bad in ["Acme\u{0}BV", "Acme\nBV", "Acme\u{1b}[2J", "\u{7}"] {
            assert_eq!(validate_name("dpo-name", bad, 10).unwrap_err().field, "dpo-name", "{bad:?}");
            assert_eq!(validate_optional_name("label", Some(bad), 10).unwrap_err().field, "label", "{bad:?}");
        }
        assert_eq!(validate_optional_name("label", Some("  "), 10).unwrap(), None);
        assert_eq!(validate_optional_name("label", None, 10).unwrap(), None);
    }
}
