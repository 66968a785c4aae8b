//! Clients (controllers) and users: validated input for the directory, and the client's profile
//! ([`ClientProfile`]: what the AP form asks about the controller in its chapter 3).

use serde_json::{Value, json};

use super::error::FieldError;
use super::ids::{ClientId, UserId};
use super::input::{self, Lines, Object, clean_text};
use super::locale::Locale;
use super::tenant::Role;
use super::vocabulary::{CodeList, Sector, is_eea_country};

/// A client: a controller whose personal data GX processes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// What the AP form asks about the controller (chapter 3) and the languages of its data
    /// subjects.
    pub profile: ClientProfile,
}

/// The client's profile: the controller as the AP form asks about it (3.1.1a–e, 3.1.2, 3.2.1, 3.2.2),
/// where its main establishment is (the lead supervisory authority, art. 56 GDPR) and the
/// languages of its data subjects. None of it is personal data of data subjects; the notifier and
/// the contact point are the client's own staff.
///
/// Its JSON (the API's `ClientProfile`, [`ClientProfile::to_json`] and [`ClientProfile::parse`])
/// uses the field names of [`ClientProfile::FIELDS`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientProfile {
    /// The legal name (3.1.1a, 3.1.1b).
    pub legal_name: Option<String>,
    /// Street, postcode and town, as one text (3.1.1c).
    pub address: Option<String>,
    /// The Chamber of Commerce (KvK) number: 8 digits (3.1.1e).
    pub kvk_number: Option<String>,
    /// The sector (3.1.2).
    pub sector: Option<Sector>,
    /// The DPO's registration number at the AP, the *FG-registratienummer* (3.1.1d).
    pub dpo_registration: Option<String>,
    /// The EEA country of the main establishment, whose authority is the lead supervisory
    /// authority (upper-case ISO 3166 alpha-2; "NL" by default).
    pub lead_authority: String,
    /// The controller is established outside the EEA: the one-stop-shop does not apply.
    pub outside_eea: bool,
    /// Who notifies the AP (3.2.1): name.
    pub notifier_name: Option<String>,
    /// The notifier's position.
    pub notifier_position: Option<String>,
    /// The notifier's telephone number.
    pub notifier_phone: Option<String>,
    /// The notifier's e-mail address; the DPO's address when absent.
    pub notifier_email: Option<String>,
    /// The AP's contact point if other than the notifier (3.2.2): name.
    pub contact_name: Option<String>,
    /// The contact point's position.
    pub contact_position: Option<String>,
    /// The contact point's e-mail address.
    pub contact_email: Option<String>,
    /// The contact point's telephone number.
    pub contact_phone: Option<String>,
    /// The languages of the client's data subjects (letters to them are written in each); never
    /// empty: the client's own language by default.
    pub subject_locales: Vec<Locale>,
}

/// The lead supervisory authority when none is given: the AP's country.
pub const DEFAULT_LEAD_AUTHORITY: &str = "NL";

impl ClientProfile {
    /// The JSON field names of a profile, in the order forms and the API show them.
    pub const FIELDS: &'static [&'static str] = &[
        "legal_name",
        "address",
        "kvk_number",
        "sector",
        "dpo_registration",
        "lead_authority",
        "outside_eea",
        "notifier_name",
        "notifier_position",
        "notifier_phone",
        "notifier_email",
        "contact_name",
        "contact_position",
        "contact_email",
        "contact_phone",
        "subject_locales",
    ];

    /// The profile of a client that has none yet: lead authority NL, data subjects in the client's
    /// language `locale`, nothing else.
    pub fn empty(locale: Locale) -> ClientProfile {
        ClientProfile {
            legal_name: None,
            address: None,
            kvk_number: None,
            sector: None,
            dpo_registration: None,
            lead_authority: DEFAULT_LEAD_AUTHORITY.to_string(),
            outside_eea: false,
            notifier_name: None,
            notifier_position: None,
            notifier_phone: None,
            notifier_email: None,
            contact_name: None,
            contact_position: None,
            contact_email: None,
            contact_phone: None,
            subject_locales: vec![locale],
        }
    }

    /// The languages to write to the client's data subjects in: at least one, the client's own
    /// language unless others were chosen.
    pub fn subject_locales(&self) -> Vec<Locale> {
        self.subject_locales.clone()
    }

    /// Reads a whole profile from a JSON object (the API's `PUT`, the admin form, the CLI after
    /// merging its flags into the stored profile): every field optional, unknown fields refused,
    /// each error naming its field. Absent fields take the defaults of [`ClientProfile::empty`]
    /// (`locale` is the client's language).
    pub fn parse(object: &Object, locale: Locale) -> Result<ClientProfile, FieldError> {
        input::only_known(object, Self::FIELDS, "a client profile")?;
        let one_line = |key: &str, max: usize| -> Result<Option<String>, FieldError> {
            match object.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => clean_text(key, s, max, Lines::One),
                Some(_) => Err(FieldError::new(key, "must be a string")),
            }
        };
        let email = |key: &str| -> Result<Option<String>, FieldError> {
            one_line(key, 254)?.map(|e| normalize_email(key, &e)).transpose()
        };
        let phone = |key: &str| -> Result<Option<String>, FieldError> {
            one_line(key, 30)?.map(|p| validate_phone(key, &p)).transpose()
        };
        let lead_authority = match one_line("lead_authority", 2)? {
            None => DEFAULT_LEAD_AUTHORITY.to_string(),
            Some(code) => validate_lead_authority("lead_authority", &code)?,
        };
        let mut subject_locales: Vec<Locale> = input::strings(object, "subject_locales", |s| {
            Locale::parse(s.trim()).map(|l| l.as_str().to_string()).ok_or_else(|| {
                let shown: String = s.chars().take(20).collect();
                format!("\"{shown}\" is not one of nl, en")
            })
        })?
        .iter()
        .filter_map(|s| Locale::parse(s))
        .collect();
        if subject_locales.is_empty() {
            subject_locales.push(locale);
        }
        Ok(ClientProfile {
            legal_name: one_line("legal_name", 200)?,
            address: one_line("address", 300)?,
            kvk_number: one_line("kvk_number", 20)?.map(|k| validate_kvk("kvk_number", &k)).transpose()?,
            sector: input::code(object, "sector")?,
            dpo_registration: one_line("dpo_registration", 50)?,
            lead_authority,
            outside_eea: input::boolean(object, "outside_eea")?.unwrap_or(false),
            notifier_name: one_line("notifier_name", 200)?,
            notifier_position: one_line("notifier_position", 200)?,
            notifier_phone: phone("notifier_phone")?,
            notifier_email: email("notifier_email")?,
            contact_name: one_line("contact_name", 200)?,
            contact_position: one_line("contact_position", 200)?,
            contact_email: email("contact_email")?,
            contact_phone: phone("contact_phone")?,
            subject_locales,
        })
    }

    /// The profile as the JSON object [`ClientProfile::parse`] reads (absent values as `null`).
    pub fn to_json(&self) -> Object {
        let value = json!({
            "legal_name": self.legal_name,
            "address": self.address,
            "kvk_number": self.kvk_number,
            "sector": self.sector.map(Sector::code),
            "dpo_registration": self.dpo_registration,
            "lead_authority": self.lead_authority,
            "outside_eea": self.outside_eea,
            "notifier_name": self.notifier_name,
            "notifier_position": self.notifier_position,
            "notifier_phone": self.notifier_phone,
            "notifier_email": self.notifier_email,
            "contact_name": self.contact_name,
            "contact_position": self.contact_position,
            "contact_email": self.contact_email,
            "contact_phone": self.contact_phone,
            "subject_locales": self.subject_locales.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
        });
        match value {
            Value::Object(object) => object,
            _ => unreachable!("a json! object literal"),
        }
    }

    /// The notifier's e-mail address for 3.2.1: the one given, else the DPO's.
    pub fn notifier_email_or<'a>(&'a self, dpo_email: &'a str) -> Option<&'a str> {
        self.notifier_email.as_deref().or(Some(dpo_email.trim()).filter(|e| !e.is_empty()))
    }
}

/// Checks a KvK number: exactly 8 digits (spaces and dots between them are dropped).
pub fn validate_kvk(field: &str, given: &str) -> Result<String, FieldError> {
    let digits: String = given.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
    if digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        let shown: String = given.chars().take(20).collect();
        Err(FieldError::new(field, format!("\"{shown}\" is not a KvK number: it has exactly 8 digits")))
    }
}

/// Checks a telephone number: digits with an optional leading "+", spaces, hyphens and brackets
/// between them; 8 to 15 digits.
pub fn validate_phone(field: &str, given: &str) -> Result<String, FieldError> {
    let given = given.trim();
    let body = given.strip_prefix('+').unwrap_or(given);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let ok = body.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
        && (8..=15).contains(&digits);
    if ok {
        Ok(given.to_string())
    } else {
        let shown: String = given.chars().take(30).collect();
        Err(FieldError::new(
            field,
            format!("\"{shown}\" is not a telephone number: use 8 to 15 digits, e.g. +31 20 123 4567"),
        ))
    }
}

/// Checks the country of a lead supervisory authority: an EEA state's ISO 3166 alpha-2 code
/// (upper-cased).
pub fn validate_lead_authority(field: &str, given: &str) -> Result<String, FieldError> {
    let code = given.trim().to_ascii_uppercase();
    if is_eea_country(&code) {
        Ok(code)
    } else {
        let shown: String = given.chars().take(10).collect();
        Err(FieldError::new(
            field,
            format!(
                "\"{shown}\" is not the code of an EEA state (e.g. NL, BE, DE); for a controller outside the EEA set outside_eea"
            ),
        ))
    }
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

/// Checks an admin's change of the user `target`: an admin may not deactivate or demote their own
/// account (art33 would be left without the admin who could undo it).
pub fn check_own_account(
    acting: &UserId,
    target: &UserId,
    role: Role,
    active: bool,
) -> Result<(), FieldError> {
    if acting == target && (!active || role != Role::Admin) {
        return Err(FieldError::new("active", "you cannot deactivate or demote yourself"));
    }
    Ok(())
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
    use serde_json::json;

    #[test]
    fn an_admin_may_change_others_but_not_demote_or_deactivate_themself() {
        let (me, other) = (UserId::from("u-me"), UserId::from("u-other"));
        assert!(check_own_account(&me, &me, Role::Admin, true).is_ok());
        assert_eq!(check_own_account(&me, &me, Role::Officer, true).unwrap_err().field, "active");
        assert!(check_own_account(&me, &me, Role::Admin, false).is_err());
        assert!(check_own_account(&me, &other, Role::Reporter, false).is_ok());
    }

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

    fn profile(value: serde_json::Value) -> Result<ClientProfile, FieldError> {
        ClientProfile::parse(value.as_object().unwrap(), Locale::Nl)
    }

    #[test]
    fn an_empty_profile_has_the_defaults() {
        let p = profile(json!({})).unwrap();
        assert_eq!(p, ClientProfile::empty(Locale::Nl));
        assert_eq!(p.lead_authority, "NL");
        assert!(!p.outside_eea);
        assert_eq!(p.subject_locales(), [Locale::Nl]);
        assert_eq!(ClientProfile::empty(Locale::En).subject_locales(), [Locale::En]);
    }

    #[test]
    fn a_full_profile_round_trips_through_its_json() {
        let p = profile(json!({
            "legal_name": " Acme B.V. ", "address": "Keizersgracht 1, 1015 AA Amsterdam",
            "kvk_number": "1234 5678", "sector": "healthcare", "dpo_registration": "FG001234",
            "lead_authority": "be", "outside_eea": false,
            "notifier_name": "Jan Jansen", "notifier_position": "FG", "notifier_phone": "+31 20 123 4567",
            "contact_name": "Piet", "contact_position": "CISO", "contact_email": "Piet@Acme.NL",
            "contact_phone": "020-1234567", "subject_locales": ["en", "nl", "en"]
        }))
        .unwrap();
        assert_eq!(p.legal_name.as_deref(), Some("Acme B.V."));
        assert_eq!(p.kvk_number.as_deref(), Some("12345678"));
        assert_eq!(p.sector, Some(Sector::Healthcare));
        assert_eq!(p.lead_authority, "BE");
        assert_eq!(p.contact_email.as_deref(), Some("piet@acme.nl"));
        assert_eq!(p.subject_locales(), [Locale::En, Locale::Nl]);
        assert_eq!(p.notifier_email_or("dpo@acme.nl"), Some("dpo@acme.nl"));
        assert_eq!(ClientProfile::parse(&p.to_json(), Locale::Nl).unwrap(), p);
    }

    #[test]
    fn profile_errors_name_the_field() {
        let cases = [
            (json!({"kvk_number": "1234567"}), "kvk_number"),
            (json!({"kvk_number": "1234567A"}), "kvk_number"),
            (json!({"kvk_number": "123456789"}), "kvk_number"),
            (json!({"sector": "mining"}), "sector"),
            (json!({"lead_authority": "US"}), "lead_authority"),
            (json!({"lead_authority": "GB"}), "lead_authority"),
            (json!({"lead_authority": "Nederland"}), "lead_authority"),
            (json!({"outside_eea": "yes"}), "outside_eea"),
            (json!({"notifier_phone": "call me"}), "notifier_phone"),
            (json!({"notifier_phone": "123"}), "notifier_phone"),
            (json!({"notifier_email": "jan"}), "notifier_email"),
            (json!({"contact_email": "piet@"}), "contact_email"),
            (json!({"contact_phone": "+31 (0)20 12x"}), "contact_phone"),
            (json!({"subject_locales": ["de"]}), "subject_locales"),
            (json!({"subject_locales": "nl"}), "subject_locales"),
            (json!({"legal_name": "Acme\nB.V."}), "legal_name"),
            (json!({"address": 12}), "address"),
            (json!({"notifier_name": "x".repeat(201)}), "notifier_name"),
            (json!({"shoe_size": 42}), "shoe_size"),
        ];
        for (body, field) in cases {
            let err = profile(body.clone()).unwrap_err();
            assert_eq!(err.field, field, "{body}");
        }
        assert!(profile(json!({"kvk_number": "1234567"})).unwrap_err().message.contains("\"1234567\""));
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
