//! `[auth]`: whether the password form is offered, and OpenID Connect single sign-on
//! (`[auth.oidc]`, README "Single sign-on"). Read and checked here like every other section; the
//! flow itself is `web::oidc`, the decisions on a login `domain::sso`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{AppEnvironment, ConfigError, Secret};
use crate::domain::tenant::Role;

/// The scopes asked for when `auth.oidc.scopes` is not set.
pub const DEFAULT_SCOPES: [&str; 3] = ["openid", "email", "profile"];
/// The claim read for the role mapping when `auth.oidc.role_claim` is not set.
pub const DEFAULT_ROLE_CLAIM: &str = "groups";
/// The path of the callback every `auth.oidc.redirect_url` must end in.
pub const CALLBACK_PATH: &str = "/login/oidc/callback";

/// How people log in.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// Whether the password form is offered to everyone (default true). When false, only the
    /// break-glass form (`/login?break_glass=1`) takes a password, and only an admin's.
    pub password_login: bool,
    /// Single sign-on, when `auth.oidc.issuer_url` is set.
    pub oidc: Option<OidcSettings>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self { password_login: true, oidc: None }
    }
}

/// OpenID Connect single sign-on (authorization code flow with PKCE, `state` and `nonce`).
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The issuer; its discovery document is `ISSUER/.well-known/openid-configuration`.
    pub issuer_url: String,
    /// The client id art33 is registered under at the provider.
    pub client_id: String,
    /// The client secret (never printed).
    pub client_secret: Secret<String>,
    /// Where the provider sends the browser back: `BASE/login/oidc/callback`.
    pub redirect_url: String,
    /// The scopes asked for (always with `openid`).
    pub scopes: Vec<String>,
    /// The ID token claim whose values the role map reads (a list of strings, or one string).
    pub role_claim: String,
    /// Claim value → role (reporter, officer or admin); the highest matching role wins.
    pub role_map: BTreeMap<String, Role>,
    /// The e-mail domains that may log in (lower case); empty: any domain.
    pub allowed_domains: Vec<String>,
    /// Whether an unknown but verified and allowed address gets an account (as reporter, or the
    /// role its claim maps to) at its first login.
    pub create_users: bool,
}

/// `role_map` as written: a TOML table, or (from the environment) `value=role,value=role`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum RawRoleMap {
    Table(BTreeMap<String, String>),
    Text(String),
    List(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAuth {
    #[serde(default = "yes")]
    password_login: bool,
    #[serde(default)]
    oidc: Option<RawOidc>,
}

impl Default for RawAuth {
    fn default() -> Self {
        Self { password_login: true, oidc: None }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOidc {
    #[serde(default)]
    issuer_url: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default, deserialize_with = "super::optional_secret_string")]
    client_secret: Option<Secret<String>>,
    #[serde(default)]
    redirect_url: Option<String>,
    #[serde(default)]
    scopes: Option<Vec<String>>,
    #[serde(default)]
    role_claim: Option<String>,
    #[serde(default)]
    role_map: Option<RawRoleMap>,
    #[serde(default)]
    allowed_domains: Option<Vec<String>>,
    #[serde(default)]
    create_users: Option<bool>,
}

/// The keys of `[auth]` and `[auth.oidc]` (`role_map` is free-form).
pub(super) const AUTH_KEYS: &[&str] = &["password_login", "oidc"];
/// The keys of `[auth.oidc]`.
pub(super) const OIDC_KEYS: &[&str] = &[
    "issuer_url",
    "client_id",
    "client_secret",
    "redirect_url",
    "scopes",
    "role_claim",
    "role_map",
    "allowed_domains",
    "create_users",
];
/// The list-valued keys, comma-separated in the environment.
pub(super) const LIST_KEYS: &[&str] = &["auth.oidc.scopes", "auth.oidc.allowed_domains"];

fn invalid<T>(message: String) -> Result<T, ConfigError> {
    Err(ConfigError::Invalid(message))
}

fn is_http_url(value: &str) -> bool {
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.chars().any(char::is_whitespace))
}

/// Parses one `value=role` mapping's role.
fn mapped_role(value: &str, role: &str) -> Result<Role, ConfigError> {
    match Role::parse(role.trim()) {
        Some(role @ (Role::Reporter | Role::Officer | Role::Admin)) => Ok(role),
        Some(Role::Dpo) => invalid(format!(
            "auth.oidc.role_map maps \"{value}\" to dpo; a DPO is bound to a client, so DPO accounts are made by an admin (map to reporter, officer or admin)"
        )),
        None => invalid(format!(
            "auth.oidc.role_map maps \"{value}\" to \"{}\", which is no role (reporter, officer or admin)",
            role.trim()
        )),
    }
}

fn role_map(raw: Option<RawRoleMap>) -> Result<BTreeMap<String, Role>, ConfigError> {
    let pairs: Vec<(String, String)> = match raw {
        None => Vec::new(),
        Some(RawRoleMap::Table(table)) => table.into_iter().collect(),
        Some(RawRoleMap::Text(text)) => split_pairs(text.split(','))?,
        Some(RawRoleMap::List(items)) => split_pairs(items.iter().map(String::as_str))?,
    };
    let mut map = BTreeMap::new();
    for (value, role) in pairs {
        let value = value.trim().to_string();
        if value.is_empty() {
            return invalid("auth.oidc.role_map has an empty claim value".into());
        }
        map.insert(value.clone(), mapped_role(&value, &role)?);
    }
    Ok(map)
}

fn split_pairs<'a>(items: impl Iterator<Item = &'a str>) -> Result<Vec<(String, String)>, ConfigError> {
    items
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| match item.rsplit_once('=') {
            Some((value, role)) => Ok((value.to_string(), role.to_string())),
            None => invalid(format!(
                "auth.oidc.role_map entry \"{item}\" is not VALUE=ROLE (e.g. privacy-officers=officer)"
            )),
        })
        .collect()
}

impl RawAuth {
    /// Checks `[auth]`; every message names its key.
    pub(super) fn validate(self, environment: AppEnvironment) -> Result<AuthSettings, ConfigError> {
        let oidc = match self.oidc {
            None => None,
            Some(raw) => validate_oidc(raw, environment)?,
        };
        if !self.password_login && oidc.is_none() {
            return invalid(
                "auth.password_login = false needs single sign-on: set auth.oidc.issuer_url (and its client settings)"
                    .into(),
            );
        }
        Ok(AuthSettings { password_login: self.password_login, oidc })
    }
}

fn validate_oidc(raw: RawOidc, environment: AppEnvironment) -> Result<Option<OidcSettings>, ConfigError> {
    let trimmed = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let Some(issuer_url) = trimmed(raw.issuer_url) else {
        let set = raw.client_id.is_some() || raw.client_secret.is_some() || raw.redirect_url.is_some();
        if set {
            return invalid("auth.oidc.issuer_url is required when other auth.oidc keys are set".into());
        }
        return Ok(None);
    };
    if !is_http_url(&issuer_url) {
        return invalid(format!("auth.oidc.issuer_url \"{issuer_url}\" must be an http:// or https:// URL"));
    }
    if environment == AppEnvironment::Production && !issuer_url.starts_with("https://") {
        return invalid(format!("auth.oidc.issuer_url \"{issuer_url}\" must be https:// in production"));
    }
    let Some(client_id) = trimmed(raw.client_id) else {
        return invalid("auth.oidc.client_id is required when auth.oidc.issuer_url is set".into());
    };
    let client_secret = match raw.client_secret {
        Some(secret) if !secret.expose().trim().is_empty() => Secret::new(secret.expose().trim().to_string()),
        _ => return invalid("auth.oidc.client_secret is required when auth.oidc.issuer_url is set".into()),
    };
    let Some(redirect_url) = trimmed(raw.redirect_url) else {
        return invalid(format!(
            "auth.oidc.redirect_url is required when auth.oidc.issuer_url is set (server.base_url followed by {CALLBACK_PATH})"
        ));
    };
    if !is_http_url(&redirect_url) || !redirect_url.ends_with(CALLBACK_PATH) {
        return invalid(format!(
            "auth.oidc.redirect_url \"{redirect_url}\" must be an http:// or https:// URL ending in {CALLBACK_PATH}"
        ));
    }
    let mut scopes: Vec<String> = match raw.scopes {
        Some(list) => list.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
        None => DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect(),
    };
    if let Some(bad) =
        scopes.iter().find(|s| s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"'))
    {
        return invalid(format!("auth.oidc.scopes: \"{bad}\" is not a scope (one word each)"));
    }
    if !scopes.iter().any(|s| s == "openid") {
        return invalid("auth.oidc.scopes must include \"openid\"".into());
    }
    if !scopes.iter().any(|s| s == "email") {
        return invalid(
            "auth.oidc.scopes must include \"email\": users are matched by their verified address".into(),
        );
    }
    scopes.dedup();
    let role_claim = trimmed(raw.role_claim).unwrap_or_else(|| DEFAULT_ROLE_CLAIM.to_string());
    let mut allowed_domains = Vec::new();
    for domain in raw.allowed_domains.unwrap_or_default() {
        let domain = domain.trim().trim_start_matches('@').to_ascii_lowercase();
        if domain.is_empty() {
            continue;
        }
        if !domain.contains('.')
            || domain.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        {
            return invalid(format!(
                "auth.oidc.allowed_domains: \"{domain}\" is not a domain (e.g. example.com)"
            ));
        }
        allowed_domains.push(domain);
    }
    Ok(Some(OidcSettings {
        issuer_url,
        client_id,
        client_secret,
        redirect_url,
        scopes,
        role_claim,
        role_map: role_map(raw.role_map)?,
        allowed_domains,
        create_users: raw.create_users.unwrap_or(false),
    }))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::{Settings, Sources};
    use super::*;

    fn load(env: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        Settings::load_from(&Sources {
            base_dir: PathBuf::from("/nonexistent-art33-config-dir"),
            env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            config_file: None,
        })
    }

    const BASE: [(&str, &str); 4] = [
        ("ART33__AUTH__OIDC__ISSUER_URL", "https://idp.example/realms/gx"),
        ("ART33__AUTH__OIDC__CLIENT_ID", "art33"),
        ("ART33__AUTH__OIDC__CLIENT_SECRET", "s3cret-value"),
        ("ART33__AUTH__OIDC__REDIRECT_URL", "https://art33.example/login/oidc/callback"),
    ];

    fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        BASE.iter().copied().chain(extra.iter().copied()).collect()
    }

    #[test]
    fn single_sign_on_is_off_and_password_login_on_by_default() {
        let s = load(&[]).unwrap();
        assert!(s.auth.password_login);
        assert!(s.auth.oidc.is_none());
    }

    #[test]
    fn the_oidc_keys_are_read_from_the_environment_with_their_defaults() {
        let s = load(&with(&[])).unwrap();
        let oidc = s.auth.oidc.as_ref().unwrap();
        assert_eq!(oidc.scopes, ["openid", "email", "profile"]);
        assert_eq!(oidc.role_claim, "groups");
        assert!(oidc.role_map.is_empty() && oidc.allowed_domains.is_empty() && !oidc.create_users);
        let s = load(&with(&[
            ("ART33__AUTH__OIDC__SCOPES", "openid,email,groups"),
            ("ART33__AUTH__OIDC__ROLE_CLAIM", "roles"),
            ("ART33__AUTH__OIDC__ROLE_MAP", "privacy-officers=officer, Art33-Admins=admin"),
            ("ART33__AUTH__OIDC__ALLOWED_DOMAINS", "GX.example,@acme.example"),
            ("ART33__AUTH__OIDC__CREATE_USERS", "true"),
            ("ART33__AUTH__PASSWORD_LOGIN", "false"),
        ]))
        .unwrap();
        let oidc = s.auth.oidc.as_ref().unwrap();
        assert_eq!(oidc.scopes, ["openid", "email", "groups"]);
        assert_eq!(oidc.role_claim, "roles");
        assert_eq!(
            oidc.role_map,
            BTreeMap::from([
                ("Art33-Admins".to_string(), Role::Admin),
                ("privacy-officers".to_string(), Role::Officer)
            ])
        );
        assert_eq!(oidc.allowed_domains, ["gx.example", "acme.example"]);
        assert!(oidc.create_users && !s.auth.password_login);
        let debug = format!("{:?}", s.auth);
        assert!(!debug.contains("s3cret-value"), "{debug}");
    }

    #[test]
    fn a_role_map_table_in_a_file_keeps_its_values_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sso.toml");
        std::fs::write(
            &file,
            "[auth.oidc]\nissuer_url = \"https://idp.example\"\nclient_id = \"a\"\nclient_secret = \"b\"\n\
             redirect_url = \"https://art33.example/login/oidc/callback\"\n\
             [auth.oidc.role_map]\n\"Privacy-Officers\" = \"officer\"\n\"staff\" = \"reporter\"\n",
        )
        .unwrap();
        let s = Settings::load_from(&Sources {
            base_dir: PathBuf::from("/nonexistent-art33-config-dir"),
            env: Default::default(),
            config_file: Some(file),
        })
        .unwrap();
        let map = &s.auth.oidc.unwrap().role_map;
        assert_eq!(map.get("Privacy-Officers"), Some(&Role::Officer), "{map:?}");
        assert_eq!(map.get("staff"), Some(&Role::Reporter));
    }

    #[test]
    fn bad_single_sign_on_settings_are_refused_naming_the_key() {
        let table: [(Vec<(&str, &str)>, &str); 11] = [
            (vec![("ART33__AUTH__PASSWORD_LOGIN", "false")], "auth.password_login"),
            (vec![("ART33__AUTH__OIDC__CLIENT_ID", "art33")], "auth.oidc.issuer_url is required"),
            (BASE[..1].to_vec(), "auth.oidc.client_id"),
            (BASE[..2].to_vec(), "auth.oidc.client_secret"),
            (BASE[..3].to_vec(), "auth.oidc.redirect_url"),
            (
                with(&[("ART33__AUTH__OIDC__REDIRECT_URL", "https://art33.example/callback")]),
                "ending in /login/oidc/callback",
            ),
            (
                with(&[("ART33__AUTH__OIDC__ISSUER_URL", "idp.example")]),
                "auth.oidc.issuer_url \"idp.example\"",
            ),
            (with(&[("ART33__AUTH__OIDC__SCOPES", "email,profile")]), "\"openid\""),
            (with(&[("ART33__AUTH__OIDC__ROLE_MAP", "dpos=dpo")]), "to dpo"),
            (with(&[("ART33__AUTH__OIDC__ROLE_MAP", "x=boss")]), "\"boss\", which is no role"),
            (with(&[("ART33__AUTH__OIDC__ALLOWED_DOMAINS", "not a domain")]), "auth.oidc.allowed_domains"),
        ];
        for (env, expected) in table {
            let error = load(&env).unwrap_err().to_string();
            assert!(error.contains(expected), "{env:?}: {error}");
        }
        let unknown = load(&with(&[("ART33__AUTH__OIDC__AUDIENCE", "x")])).unwrap_err().to_string();
        assert!(unknown.contains("auth.oidc.audience"), "{unknown}");
        let key = "a".repeat(100);
        let production = load(&with(&[
            ("ART33_ENV", "production"),
            ("ART33__SERVER__SECRET_KEY", key.as_str()),
            ("ART33__AUTH__OIDC__ISSUER_URL", "http://idp.example"),
        ]))
        .unwrap_err()
        .to_string();
        assert!(production.contains("https:// in production"), "{production}");
    }
}
