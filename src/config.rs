//! Settings: layered loading and strict validation. The only reader of environment variables.
//!
//! Layers, later wins (README.md, "Configuration"): `config/default.toml` → `config/$ART33_ENV.toml` →
//! `ART33__SECTION__KEY` environment variables → the file named by `--config`. A layer file missing
//! from the working directory's `config/` folder is taken from the copy built into the binary, so the
//! binary runs in an empty directory. Unknown keys are an error that names the key.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;

use crate::domain::escalation::EscalationPolicy;

mod auth;
pub use auth::{AuthSettings, CALLBACK_PATH, OidcSettings};

const EMBEDDED_DEFAULT: &str = include_str!("../config/default.toml");
const EMBEDDED_DEVELOPMENT: &str = include_str!("../config/development.toml");
const EMBEDDED_TEST: &str = include_str!("../config/test.toml");
const EMBEDDED_PRODUCTION: &str = include_str!("../config/production.toml");

/// Smallest accepted `server.secret_key`, in bytes.
pub const MIN_SECRET_KEY_BYTES: usize = 64;

/// Why the configuration could not be loaded. Every message names the offending key or value.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A key no section knows.
    #[error("unknown configuration key `{0}`")]
    UnknownKey(String),
    /// A key with a value of the wrong shape.
    #[error("invalid configuration: {0}")]
    Invalid(String),
    /// A file named by `--config` could not be read.
    #[error("cannot read configuration file {path}: {reason}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

/// The deployment environment, from `ART33_ENV`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnvironment {
    /// A developer's machine (the default).
    Development,
    /// The test suite.
    Test,
    /// A real deployment: secrets required, JSON logs.
    Production,
}

impl AppEnvironment {
    /// Parses `ART33_ENV`.
    pub fn parse(value: &str) -> Result<Self, ConfigError> {
        match value {
            "development" => Ok(Self::Development),
            "test" => Ok(Self::Test),
            "production" => Ok(Self::Production),
            other => Err(ConfigError::Invalid(format!(
                "ART33_ENV is \"{other}\"; expected development, test or production"
            ))),
        }
    }

    /// The name of the environment's layer file.
    pub fn name(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Test => "test",
            Self::Production => "production",
        }
    }

    fn embedded(self) -> &'static str {
        match self {
            Self::Development => EMBEDDED_DEVELOPMENT,
            Self::Test => EMBEDDED_TEST,
            Self::Production => EMBEDDED_PRODUCTION,
        }
    }
}

/// A value that must never appear in logs or debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a secret.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself; call only where it is used.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Database settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://PATH` or `postgres://…`. May carry a password, so it is a secret.
    #[serde(deserialize_with = "secret_string")]
    pub url: Secret<String>,
    /// Connections in the pool.
    pub pool_size: u32,
    /// Seconds to wait for a connection before giving up (503).
    pub connect_timeout_seconds: u64,
}

/// HTTP server settings.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// `HOST:PORT`.
    pub listen: String,
    /// Base of the links in e-mails, without a trailing slash.
    pub base_url: String,
    /// Key for session cookies and signed links.
    pub secret_key: Secret<Vec<u8>>,
    /// True when no key was configured (development and test only): the key is then a random
    /// candidate, and `art33 serve` replaces it by the key kept in the database
    /// ([`Settings::adopt_stored_secret_key`]), made at the first start, so that acknowledgement
    /// links survive restarts.
    pub secret_key_generated: bool,
    /// Largest accepted request body in bytes.
    pub body_limit_bytes: usize,
    /// Seconds to finish in-flight requests at shutdown.
    pub shutdown_timeout_seconds: u64,
    /// The bearer token `GET /metrics` on `listen` requires; without it (and without
    /// `metrics_listen`) metrics are off.
    pub metrics_token: Option<Secret<String>>,
    /// A separate `HOST:PORT` that serves only `/metrics`, without a token.
    pub metrics_listen: Option<String>,
    /// The most incidents one reporter may report in a minute, by page or API (0: no limit).
    pub reports_per_minute: u32,
    /// Seconds a request's body may take to arrive after its head.
    pub body_timeout_seconds: u64,
    /// Reverse proxies whose `X-Forwarded-For` is believed (addresses and CIDR blocks; default
    /// none: the TCP peer is the client). `web::client_addr`.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Settings {
    /// The key to keep when none is configured: the generated candidate, base64 (`None` when a
    /// key is configured).
    pub fn secret_key_candidate(&self) -> Option<String> {
        self.server
            .secret_key_generated
            .then(|| base64::engine::general_purpose::STANDARD.encode(self.server.secret_key.expose()))
    }

    /// Uses `stored` (base64, as kept by `storage::instance_secrets`) as the link-signing key in
    /// place of the generated candidate; a configured key is never replaced.
    pub fn adopt_stored_secret_key(&mut self, stored: &str) -> Result<(), ConfigError> {
        if self.server.secret_key_generated {
            self.server.secret_key = Secret(decode_secret_key(stored)?);
        }
        Ok(())
    }
}

impl ServerSettings {
    /// Whether links and cookies are served over https.
    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServerSettings {
    listen: String,
    base_url: String,
    #[serde(default)]
    secret_key: Option<String>,
    body_limit_bytes: usize,
    shutdown_timeout_seconds: u64,
    #[serde(default, deserialize_with = "optional_secret_string")]
    metrics_token: Option<Secret<String>>,
    #[serde(default)]
    metrics_listen: Option<String>,
    #[serde(default)]
    trusted_proxies: Vec<String>,
    #[serde(default = "default_reports_per_minute")]
    reports_per_minute: u32,
    #[serde(default = "default_body_timeout_seconds")]
    body_timeout_seconds: u64,
}

fn default_body_timeout_seconds() -> u64 {
    30
}

fn default_reports_per_minute() -> u32 {
    30
}

/// Whether `value` has the shape `HOST:PORT`: a host (a name, an IPv4 address or a bracketed IPv6
/// address) and a port number. The name is not looked up here; binding it at start-up does.
fn is_host_port(value: &str) -> bool {
    if value.parse::<std::net::SocketAddr>().is_ok() {
        return true;
    }
    let Some((host, port)) = value.rsplit_once(':') else { return false };
    port.parse::<u16>().is_ok()
        && !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
}

/// How mail leaves the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    /// lettre over SMTP (`mail.smtp_url`).
    Smtp,
    /// One `.eml` file per message in `mail.file_dir`.
    File,
}

/// Mail settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// `smtp` or `file`.
    pub transport: MailTransportKind,
    /// SMTP URL with credentials, required for `smtp`.
    #[serde(default, deserialize_with = "optional_secret_string")]
    pub smtp_url: Option<Secret<String>>,
    /// Output folder of the `file` transport.
    pub file_dir: PathBuf,
    /// Sender address.
    pub from: String,
    /// Seconds before an SMTP conversation is given up.
    pub timeout_seconds: u64,
    /// First retry delay in seconds; doubles per attempt.
    pub retry_base_seconds: u64,
    /// Longest retry delay in seconds.
    pub retry_max_seconds: u64,
    /// Attempts before a mail is marked failed.
    pub max_attempts: i32,
    /// Seconds during which every delivery attempt failed before the relay counts as failing
    /// (`/healthz` and `art33_mail_relay_failing_seconds`).
    pub relay_failing_after_seconds: u64,
    /// Mails sent at the same time by one process (each over its own connection).
    pub concurrency: u32,
}

/// Alert channels beyond e-mail (`[webhooks]`, `docs/ARCHITECTURE.md` §7a). Retries follow
/// `mail.retry_base_seconds`, `mail.retry_max_seconds` and `mail.max_attempts`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    /// Seconds before a post to an endpoint is given up (and retried).
    #[serde(default = "default_webhook_timeout_seconds")]
    pub timeout_seconds: u64,
    /// Posts under way at once in one process.
    #[serde(default = "default_webhook_concurrency")]
    pub concurrency: usize,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            timeout_seconds: default_webhook_timeout_seconds(),
            concurrency: default_webhook_concurrency(),
        }
    }
}

fn default_webhook_timeout_seconds() -> u64 {
    10
}

fn default_webhook_concurrency() -> usize {
    8
}

/// Scheduler settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulerSettings {
    /// Seconds between ticks.
    pub tick_seconds: u64,
    /// `/healthz` answers 503 when a due alert or a due mail waits longer than this.
    pub stuck_after_seconds: u64,
    /// A scheduler loop that has made no progress for this many ticks, plus the longest its runs
    /// may take, is stalled: `/healthz` says so, and one tick later the supervisor restarts it.
    pub stalled_after_ticks: u64,
}

/// Retention settings (the purge: `docs/ARCHITECTURE.md` §8).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    /// Years after closing before an incident's free text is purged.
    pub closed_years: u32,
}

/// Who runs art33.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationSettings {
    /// The processor's name, as the AP draft names it under question 3.3.
    pub name: String,
    /// The telephone number of the privacy officer on duty, named in the reporter's receipt
    /// (optional; checked at start-up).
    #[serde(default)]
    pub duty_phone: Option<String>,
    /// The address of the privacy officer on duty, named in the reporter's receipt (optional;
    /// checked at start-up).
    #[serde(default)]
    pub duty_email: Option<String>,
}

impl OrganisationSettings {
    /// How to reach the privacy officer on duty, as configured: the telephone number, the
    /// address, or both joined by `or` (a word of the mail's language); `None` without either.
    pub fn duty_contact(&self, or: &str) -> Option<String> {
        match (&self.duty_phone, &self.duty_email) {
            (Some(phone), Some(email)) => Some(format!("{phone} {or} {email}")),
            (Some(one), None) | (None, Some(one)) => Some(one.clone()),
            (None, None) => None,
        }
    }
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// Logging settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `pretty` or `json`.
    pub format: LogFormat,
    /// tracing filter directives, e.g. `info,art33=debug`.
    pub filter: String,
}

/// The whole, validated configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// From `ART33_ENV`.
    pub environment: AppEnvironment,
    /// `[database]`.
    pub database: DatabaseSettings,
    /// `[server]`.
    pub server: ServerSettings,
    /// `[mail]`.
    pub mail: MailSettings,
    /// `[scheduler]`.
    pub scheduler: SchedulerSettings,
    /// `[webhooks]`.
    pub webhooks: WebhookSettings,
    /// `[escalation]`.
    pub escalation: EscalationPolicy,
    /// `[retention]`.
    pub retention: RetentionSettings,
    /// `[organisation]`.
    pub organisation: OrganisationSettings,
    /// `[log]`.
    pub log: LogSettings,
    /// `[auth]`: the password form and single sign-on.
    pub auth: AuthSettings,
    /// Faults to inject (the test suite only).
    pub faults: Faults,
}

/// The variable through which the test suite injects faults into a running process.
pub const FAULTS_ENV: &str = "ART33_TEST_FAULTS";

/// Faults the test suite injects into a real `art33 serve` to prove that the scheduler survives
/// them: `ART33_TEST_FAULTS=tick-panic,mail-hang,webhook-hang`, honoured only with `ART33_ENV=test` (anywhere
/// else the variable stops the start-up). Each named fault happens once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    /// The faults asked for, each one of [`Faults::KNOWN`].
    pub names: std::collections::BTreeSet<String>,
}

impl Faults {
    /// A run of the firing, the mailing or the webhook loop panics, never ends, or takes three
    /// seconds longer than it would.
    pub const KNOWN: [&'static str; 9] = [
        "tick-panic",
        "tick-hang",
        "tick-slow",
        "mail-panic",
        "mail-hang",
        "mail-slow",
        "webhook-panic",
        "webhook-hang",
        "webhook-slow",
    ];

    fn parse(environment: AppEnvironment, value: &str) -> Result<Self, ConfigError> {
        if environment != AppEnvironment::Test {
            return Err(ConfigError::Invalid(format!(
                "{FAULTS_ENV} is set, but faults are injected only with ART33_ENV=test"
            )));
        }
        let mut names = std::collections::BTreeSet::new();
        for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if !Self::KNOWN.contains(&name) {
                return Err(ConfigError::Invalid(format!(
                    "{FAULTS_ENV} names an unknown fault \"{name}\"; known: {}",
                    Self::KNOWN.join(", ")
                )));
            }
            names.insert(name.to_string());
        }
        Ok(Self { names })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    database: DatabaseSettings,
    server: RawServerSettings,
    mail: MailSettings,
    scheduler: SchedulerSettings,
    #[serde(default)]
    webhooks: WebhookSettings,
    escalation: EscalationPolicy,
    retention: RetentionSettings,
    organisation: OrganisationSettings,
    log: LogSettings,
    #[serde(default)]
    auth: auth::RawAuth,
}

fn secret_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Secret<String>, D::Error> {
    String::deserialize(d).map(Secret)
}

fn optional_secret_string<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Secret<String>>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(Secret))
}

/// Environment variables whose values are comma-separated lists.
const LIST_KEYS: &[&str] = &[
    "server.trusted_proxies",
    "escalation.management_emails",
    "escalation.recipients.p0",
    "escalation.recipients.p1",
    "escalation.recipients.a0",
    "escalation.recipients.u0",
    "escalation.recipients.c0",
    "escalation.recipients.a1",
    "escalation.recipients.a2",
    "escalation.recipients.a3",
    "escalation.recipients.a4",
    "escalation.recipients.a5",
];

/// Where to load the configuration from.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The folder holding `config/` (normally the working directory).
    pub base_dir: PathBuf,
    /// The environment variables to read (normally the process environment).
    pub env: HashMap<String, String>,
    /// The file named by `--config`.
    pub config_file: Option<PathBuf>,
}

impl Sources {
    /// The process's working directory and environment.
    pub fn from_process(config_file: Option<PathBuf>) -> Self {
        Self {
            base_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            env: std::env::vars().collect(),
            config_file,
        }
    }
}

impl Settings {
    /// Loads and validates the configuration from the process environment.
    pub fn load(config_file: Option<PathBuf>) -> Result<Self, ConfigError> {
        Self::load_from(&Sources::from_process(config_file))
    }

    /// Loads and validates the configuration from explicit sources.
    pub fn load_from(sources: &Sources) -> Result<Self, ConfigError> {
        let environment = match sources.env.get("ART33_ENV") {
            Some(value) => AppEnvironment::parse(value)?,
            None => AppEnvironment::Development,
        };
        if let Some(path) = &sources.config_file
            && !path.is_file()
        {
            return Err(ConfigError::File { path: path.clone(), reason: "no such file".into() });
        }

        let mut builder = config::Config::builder()
            .add_source(layer(&sources.base_dir, "default", EMBEDDED_DEFAULT))
            .add_source(layer(&sources.base_dir, environment.name(), environment.embedded()));
        let ours: HashMap<String, String> = sources
            .env
            .iter()
            .filter(|(k, _)| k.starts_with("ART33__"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut env_source = config::Environment::with_prefix("ART33")
            .prefix_separator("__")
            .separator("__")
            .try_parsing(true)
            .list_separator(",")
            .source(Some(ours));
        for key in LIST_KEYS.iter().chain(auth::LIST_KEYS) {
            env_source = env_source.with_list_parse_key(key);
        }
        builder = builder.add_source(env_source);
        if let Some(path) = &sources.config_file {
            builder = builder.add_source(
                config::File::from(path.as_path()).format(config::FileFormat::Toml).required(true),
            );
        }
        let merged = builder.build().map_err(|e| match &sources.config_file {
            Some(path) => ConfigError::File { path: path.clone(), reason: e.to_string() },
            None => ConfigError::Invalid(e.to_string()),
        })?;

        let tree: config::Value = merged.clone().try_deserialize().map_err(describe)?;
        if let Some(key) = first_unknown_key(&tree) {
            return Err(ConfigError::UnknownKey(key));
        }
        let raw: RawSettings = merged.try_deserialize().map_err(describe)?;
        let faults = match sources.env.get(FAULTS_ENV) {
            Some(value) => Faults::parse(environment, value)?,
            None => Faults::default(),
        };
        Ok(Self { faults, ..Self::validate(environment, raw)? })
    }

    fn validate(environment: AppEnvironment, raw: RawSettings) -> Result<Self, ConfigError> {
        let invalid = |m: String| Err(ConfigError::Invalid(m));
        if raw.database.pool_size == 0 {
            return invalid("database.pool_size must be at least 1".into());
        }
        if raw.scheduler.tick_seconds == 0 {
            return invalid("scheduler.tick_seconds must be at least 1".into());
        }
        if raw.scheduler.stalled_after_ticks < 2 {
            return invalid("scheduler.stalled_after_ticks must be at least 2".into());
        }
        if !(1..=300).contains(&raw.webhooks.timeout_seconds) {
            return invalid(format!(
                "webhooks.timeout_seconds is {}; it must be from 1 to 300",
                raw.webhooks.timeout_seconds
            ));
        }
        if !(1..=64).contains(&raw.webhooks.concurrency) {
            return invalid(format!(
                "webhooks.concurrency is {}; it must be from 1 to 64",
                raw.webhooks.concurrency
            ));
        }
        if raw.mail.relay_failing_after_seconds == 0 {
            return invalid("mail.relay_failing_after_seconds must be at least 1".into());
        }
        if !(1..=3600).contains(&raw.server.body_timeout_seconds) {
            return invalid(format!(
                "server.body_timeout_seconds is {}; it must be from 1 to 3600",
                raw.server.body_timeout_seconds
            ));
        }
        if raw.server.body_limit_bytes < 1024 {
            return invalid(format!(
                "server.body_limit_bytes is {}; it must be at least 1024",
                raw.server.body_limit_bytes
            ));
        }
        if !(raw.server.base_url.starts_with("http://") || raw.server.base_url.starts_with("https://")) {
            return invalid(format!(
                "server.base_url \"{}\" must start with http:// or https://",
                raw.server.base_url
            ));
        }
        if raw.mail.transport == MailTransportKind::Smtp && raw.mail.smtp_url.is_none() {
            return invalid("mail.smtp_url is required when mail.transport is \"smtp\"".into());
        }
        if !(1..=64).contains(&raw.mail.concurrency) {
            return invalid("mail.concurrency must be between 1 and 64".into());
        }
        if raw.mail.max_attempts < 1 {
            return invalid("mail.max_attempts must be at least 1".into());
        }
        if raw.mail.retry_base_seconds == 0 || raw.mail.retry_max_seconds < raw.mail.retry_base_seconds {
            return invalid(
                "mail.retry_base_seconds must be at least 1 and at most mail.retry_max_seconds".into(),
            );
        }
        if raw.escalation.window_hours == 0 {
            return invalid("escalation.window_hours must be at least 1".into());
        }
        // The milestones are hours before the deadline: they must fit every window in force.
        let windows = std::iter::once(raw.escalation.window_hours)
            .chain(raw.escalation.window_changes.iter().map(|change| change.hours));
        for window in windows {
            if let Err(message) = raw.escalation.milestones.check("escalation.milestones", window) {
                return invalid(message);
            }
        }
        if let Some(token) = &raw.server.metrics_token
            && token.expose().trim().len() < 16
        {
            return invalid("server.metrics_token must be at least 16 characters (a random secret)".into());
        }
        if let Some(listen) = &raw.server.metrics_listen
            && !is_host_port(listen)
        {
            return invalid(format!(
                "server.metrics_listen \"{listen}\" is not HOST:PORT (e.g. 127.0.0.1:9033)"
            ));
        }
        let (secret_key, secret_key_generated) = match raw.server.secret_key {
            Some(encoded) => (decode_secret_key(&encoded)?, false),
            None if environment == AppEnvironment::Production => {
                return invalid(
                    "server.secret_key is required in production (set ART33__SERVER__SECRET_KEY to at least 64 random bytes, base64)"
                        .into(),
                );
            }
            None => (crate::crypto::random_bytes(MIN_SECRET_KEY_BYTES), true),
        };
        Ok(Self {
            environment,
            database: raw.database,
            server: ServerSettings {
                listen: raw.server.listen,
                base_url: raw.server.base_url.trim_end_matches('/').to_string(),
                secret_key: Secret(secret_key),
                secret_key_generated,
                body_limit_bytes: raw.server.body_limit_bytes,
                shutdown_timeout_seconds: raw.server.shutdown_timeout_seconds,
                metrics_token: raw.server.metrics_token,
                metrics_listen: raw.server.metrics_listen,
                trusted_proxies: parse_trusted_proxies(&raw.server.trusted_proxies)?,
                reports_per_minute: raw.server.reports_per_minute,
                body_timeout_seconds: raw.server.body_timeout_seconds,
            },
            mail: raw.mail,
            scheduler: raw.scheduler,
            webhooks: raw.webhooks,
            escalation: raw.escalation,
            retention: raw.retention,
            organisation: OrganisationSettings {
                duty_phone: match raw.organisation.duty_phone.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(phone) => Some(
                        crate::domain::directory::validate_phone("organisation.duty_phone", phone).map_err(
                            |e| ConfigError::Invalid(format!("organisation.duty_phone: {}", e.message)),
                        )?,
                    ),
                },
                duty_email: match raw.organisation.duty_email.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(email) => Some(
                        crate::domain::directory::normalize_email("organisation.duty_email", email).map_err(
                            |e| ConfigError::Invalid(format!("organisation.duty_email: {}", e.message)),
                        )?,
                    ),
                },
                ..raw.organisation
            },
            log: raw.log,
            auth: raw.auth.validate(environment)?,
            faults: Faults::default(),
        })
    }
}

/// Parses `server.trusted_proxies`: each entry an IP address (`10.0.0.1`, `::1`) or a CIDR block
/// (`10.0.0.0/8`, `fd00::/8`); the entry that is neither is named in the error.
pub fn parse_trusted_proxies(entries: &[String]) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    entries
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
        .map(|e| {
            e.parse::<ipnet::IpNet>().or_else(|_| e.parse::<std::net::IpAddr>().map(ipnet::IpNet::from)).map_err(|_| {
                ConfigError::Invalid(format!(
                    "server.trusted_proxies: \"{e}\" is neither an IP address nor a CIDR block (examples: 10.0.0.1, 10.0.0.0/8, fd00::/8)"
                ))
            })
        })
        .collect()
}

fn layer(
    base_dir: &Path,
    name: &str,
    embedded: &'static str,
) -> config::File<config::FileSourceString, config::FileFormat> {
    let on_disk = base_dir.join("config").join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&on_disk).unwrap_or_else(|_| embedded.to_string());
    config::File::from_str(&text, config::FileFormat::Toml)
}

fn decode_secret_key(encoded: &str) -> Result<Vec<u8>, ConfigError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| ConfigError::Invalid("server.secret_key is not valid base64".into()))?;
    if bytes.len() < MIN_SECRET_KEY_BYTES {
        return Err(ConfigError::Invalid(format!(
            "server.secret_key has {} bytes; it needs at least {MIN_SECRET_KEY_BYTES}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

fn describe(e: config::ConfigError) -> ConfigError {
    ConfigError::Invalid(e.to_string())
}

/// The known key tree: every section and its keys. `*` accepts any key below (free-form maps).
fn known_keys() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        ("database", &["url", "pool_size", "connect_timeout_seconds"][..]),
        (
            "server",
            &[
                "listen",
                "base_url",
                "secret_key",
                "body_limit_bytes",
                "shutdown_timeout_seconds",
                "metrics_token",
                "metrics_listen",
                "trusted_proxies",
                "reports_per_minute",
                "body_timeout_seconds",
            ][..],
        ),
        (
            "mail",
            &[
                "transport",
                "smtp_url",
                "file_dir",
                "from",
                "timeout_seconds",
                "retry_base_seconds",
                "retry_max_seconds",
                "max_attempts",
                "relay_failing_after_seconds",
                "concurrency",
            ][..],
        ),
        ("scheduler", &["tick_seconds", "stuck_after_seconds", "stalled_after_ticks"][..]),
        ("webhooks", &["timeout_seconds", "concurrency"][..]),
        (
            "escalation",
            &[
                "window_hours",
                "window_changes",
                "triage_hours",
                "unacknowledged_hours",
                "overdue_repeat_hours",
                "supplement_reminder_days",
                "management_emails",
                "milestones",
                "recipients",
            ][..],
        ),
        ("escalation.milestones", &["a1", "a2", "a3", "a4", "a5"][..]),
        ("escalation.recipients", &["p0", "p1", "a0", "u0", "c0", "a1", "a2", "a3", "a4", "a5"][..]),
        ("retention", &["closed_years"][..]),
        ("organisation", &["name", "duty_phone", "duty_email"][..]),
        ("log", &["format", "filter"][..]),
        ("auth", auth::AUTH_KEYS),
        ("auth.oidc", auth::OIDC_KEYS),
    ])
}

/// The first key of the merged tree that no section knows, as a dotted path.
fn first_unknown_key(tree: &config::Value) -> Option<String> {
    let known = known_keys();
    let top = tree.clone().into_table().ok()?;
    let mut sections: Vec<_> = top.into_iter().collect();
    sections.sort_by(|a, b| a.0.cmp(&b.0));
    for (section, value) in sections {
        if !known.contains_key(section.as_str()) {
            return Some(section);
        }
        if let Some(key) = unknown_below(&known, &section, value) {
            return Some(key);
        }
    }
    None
}

fn unknown_below(
    known: &BTreeMap<&'static str, &'static [&'static str]>,
    path: &str,
    value: config::Value,
) -> Option<String> {
    let keys = known.get(path)?;
    let table = value.into_table().ok()?;
    let mut entries: Vec<_> = table.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, child) in entries {
        let full = format!("{path}.{key}");
        if !keys.contains(&key.as_str()) {
            return Some(full);
        }
        if known.contains_key(full.as_str())
            && let Some(deeper) = unknown_below(known, &full, child)
        {
            return Some(deeper);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(env: &[(&str, &str)]) -> Sources {
        Sources {
            base_dir: PathBuf::from("/nonexistent-art33-config-dir"),
            env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            config_file: None,
        }
    }

    #[test]
    fn defaults_follow_the_contract() {
        let s = Settings::load_from(&sources(&[])).unwrap();
        assert_eq!(s.environment, AppEnvironment::Development);
        assert_eq!(s.database.url.expose(), "sqlite://art33.db");
        assert_eq!(s.database.pool_size, 8);
        assert_eq!(s.server.listen, "127.0.0.1:8033");
        assert_eq!(s.server.base_url, "http://127.0.0.1:8033");
        assert!(s.server.secret_key_generated);
        assert_eq!(s.server.secret_key.expose().len(), 64);
        assert_eq!(s.mail.transport, MailTransportKind::File);
        assert_eq!(s.mail.file_dir, PathBuf::from("mail-out"));
        assert_eq!(s.mail.from, "art33 <art33@localhost>");
        assert_eq!(s.scheduler.tick_seconds, 5);
        assert_eq!(s.escalation.window_hours, 72);
        assert_eq!(s.escalation.milestones.a4, 4);
        assert_eq!(s.retention.closed_years, 5);
        assert_eq!(s.server.body_limit_bytes, 1024 * 1024);
    }

    #[test]
    fn the_default_file_holds_the_default_policy() {
        let s = Settings::load_from(&sources(&[])).unwrap();
        assert_eq!(s.escalation, EscalationPolicy::default());
    }

    #[test]
    fn faults_are_injected_only_in_the_test_environment_and_only_known_ones() {
        let faults =
            Settings::load_from(&sources(&[("ART33_ENV", "test"), (FAULTS_ENV, "tick-hang, mail-panic")]))
                .unwrap()
                .faults;
        assert_eq!(faults.names.into_iter().collect::<Vec<_>>(), ["mail-panic", "tick-hang"]);
        let webhook = Settings::load_from(&sources(&[
            ("ART33_ENV", "test"),
            (FAULTS_ENV, "webhook-panic,webhook-hang,webhook-slow"),
        ]))
        .unwrap()
        .faults;
        assert_eq!(
            webhook.names.into_iter().collect::<Vec<_>>(),
            ["webhook-hang", "webhook-panic", "webhook-slow"],
            "the webhook loop's faults can be armed"
        );
        for env in ["development", "production"] {
            let refused = Settings::load_from(&sources(&[
                ("ART33_ENV", env),
                (FAULTS_ENV, "tick-hang"),
                ("ART33__SERVER__SECRET_KEY", &"a".repeat(100)),
            ]))
            .unwrap_err();
            assert!(refused.to_string().contains("only with ART33_ENV=test"), "{env}: {refused}");
        }
        let unknown = Settings::load_from(&sources(&[("ART33_ENV", "test"), (FAULTS_ENV, "tick-explode")]))
            .unwrap_err();
        assert!(unknown.to_string().contains("\"tick-explode\""), "{unknown}");
        assert!(Settings::load_from(&sources(&[("ART33_ENV", "test")])).unwrap().faults.names.is_empty());
    }

    #[test]
    fn environment_variables_override_files() {
        let s = Settings::load_from(&sources(&[
            ("ART33__DATABASE__URL", "postgres://u@h/db"),
            ("ART33__DATABASE__POOL_SIZE", "3"),
            ("ART33__SCHEDULER__TICK_SECONDS", "1"),
            ("ART33__ESCALATION__MANAGEMENT_EMAILS", "a@example.org,b@example.org"),
            ("ART33_ENV", "test"),
        ]))
        .unwrap();
        assert_eq!(s.database.url.expose(), "postgres://u@h/db");
        assert_eq!(s.database.pool_size, 3);
        assert_eq!(s.scheduler.tick_seconds, 1);
        assert_eq!(s.escalation.management_emails, ["a@example.org", "b@example.org"]);
        assert_eq!(s.environment, AppEnvironment::Test);
    }

    #[test]
    fn config_file_wins_over_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("extra.toml");
        std::fs::write(&file, "[server]\nlisten = \"0.0.0.0:9000\"\n").unwrap();
        let mut src = sources(&[("ART33__SERVER__LISTEN", "127.0.0.1:1")]);
        src.config_file = Some(file);
        assert_eq!(Settings::load_from(&src).unwrap().server.listen, "0.0.0.0:9000");
    }

    #[test]
    fn files_in_the_working_directory_replace_the_embedded_layers() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("config")).unwrap();
        std::fs::write(dir.path().join("config/development.toml"), "[scheduler]\ntick_seconds = 9\n")
            .unwrap();
        let mut src = sources(&[]);
        src.base_dir = dir.path().to_path_buf();
        assert_eq!(Settings::load_from(&src).unwrap().scheduler.tick_seconds, 9);
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = Settings::load_from(&sources(&[("ART33__SERVER__LISTN", "x")])).unwrap_err();
        assert_eq!(err.to_string(), "unknown configuration key `server.listn`");
        let err = Settings::load_from(&sources(&[("ART33__NOPE__X", "1")])).unwrap_err();
        assert_eq!(err.to_string(), "unknown configuration key `nope`");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("extra.toml");
        std::fs::write(&file, "[escalation.milestones]\na6 = 80\n").unwrap();
        let mut src = sources(&[]);
        src.config_file = Some(file);
        let err = Settings::load_from(&src).unwrap_err();
        assert_eq!(err.to_string(), "unknown configuration key `escalation.milestones.a6`");
    }

    #[test]
    fn milestones_counted_after_awareness_are_refused_naming_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("old.toml");
        std::fs::write(&file, "[escalation.milestones]\na1 = 24\na2 = 48\na3 = 60\na4 = 68\na5 = 72\n")
            .unwrap();
        let mut src = sources(&[]);
        src.config_file = Some(file);
        let err = Settings::load_from(&src).unwrap_err().to_string();
        assert!(err.contains("escalation.milestones.a2 = 48 must be less than a1 = 24"), "{err}");
        assert!(err.contains("hours before the deadline"), "{err}");
        let too_long = sources(&[("ART33__ESCALATION__WINDOW_HOURS", "40")]);
        let err = Settings::load_from(&too_long).unwrap_err().to_string();
        assert!(err.contains("escalation.milestones.a1 = 48 must be less than the 40-hour window"), "{err}");
        let longer = sources(&[("ART33__ESCALATION__WINDOW_HOURS", "96")]);
        assert_eq!(Settings::load_from(&longer).unwrap().escalation.milestones.a1, 48);
    }

    #[test]
    fn a_generated_key_gives_way_to_the_stored_one_and_a_configured_key_never() {
        let mut s = Settings::load_from(&sources(&[])).unwrap();
        let candidate = s.secret_key_candidate().expect("no key configured: a candidate to keep");
        assert_eq!(
            base64::engine::general_purpose::STANDARD.decode(&candidate).unwrap(),
            *s.server.secret_key.expose()
        );
        let stored = base64::engine::general_purpose::STANDARD.encode([9u8; 64]);
        s.adopt_stored_secret_key(&stored).unwrap();
        assert_eq!(s.server.secret_key.expose(), &vec![9u8; 64]);

        let configured = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
        let mut s = Settings::load_from(&sources(&[("ART33__SERVER__SECRET_KEY", &configured)])).unwrap();
        assert_eq!(s.secret_key_candidate(), None);
        s.adopt_stored_secret_key(&stored).unwrap();
        assert_eq!(s.server.secret_key.expose(), &vec![7u8; 64]);
    }

    #[test]
    fn the_duty_contacts_are_optional_and_checked() {
        let s = Settings::load_from(&sources(&[])).unwrap();
        assert_eq!(s.organisation.duty_contact("or"), None);
        let s = Settings::load_from(&sources(&[
            ("ART33__ORGANISATION__DUTY_PHONE", "+31 20 123 4567"),
            ("ART33__ORGANISATION__DUTY_EMAIL", "Duty@GX.example"),
        ]))
        .unwrap();
        assert_eq!(s.organisation.duty_contact("or").as_deref(), Some("+31 20 123 4567 or duty@gx.example"));
        let s =
            Settings::load_from(&sources(&[("ART33__ORGANISATION__DUTY_EMAIL", "duty@gx.example")])).unwrap();
        assert_eq!(s.organisation.duty_contact("of").as_deref(), Some("duty@gx.example"));
        let err =
            Settings::load_from(&sources(&[("ART33__ORGANISATION__DUTY_PHONE", "call us")])).unwrap_err();
        assert!(err.to_string().contains("organisation.duty_phone"), "{err}");
        let err =
            Settings::load_from(&sources(&[("ART33__ORGANISATION__DUTY_EMAIL", "nobody")])).unwrap_err();
        assert!(err.to_string().contains("organisation.duty_email"), "{err}");
    }

    #[test]
    fn production_requires_a_secret_key() {
        let err = Settings::load_from(&sources(&[("ART33_ENV", "production")])).unwrap_err();
        assert!(err.to_string().contains("server.secret_key is required"), "{err}");
        let short = base64::engine::general_purpose::STANDARD.encode([7u8; 16]);
        let err = Settings::load_from(&sources(&[
            ("ART33_ENV", "production"),
            ("ART33__SERVER__SECRET_KEY", &short),
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("16 bytes"), "{err}");
        let good = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
        let s = Settings::load_from(&sources(&[
            ("ART33_ENV", "production"),
            ("ART33__SERVER__SECRET_KEY", &good),
        ]))
        .unwrap();
        assert!(!s.server.secret_key_generated);
        assert_eq!(s.log.format, LogFormat::Json);
    }

    #[test]
    fn bad_values_are_named() {
        let err = Settings::load_from(&sources(&[("ART33_ENV", "staging")])).unwrap_err();
        assert!(err.to_string().contains("\"staging\""), "{err}");
        let err = Settings::load_from(&sources(&[("ART33__MAIL__TRANSPORT", "smtp")])).unwrap_err();
        assert!(err.to_string().contains("mail.smtp_url"), "{err}");
        let err = Settings::load_from(&sources(&[("ART33__DATABASE__POOL_SIZE", "many")])).unwrap_err();
        assert!(err.to_string().contains("pool_size"), "{err}");
    }

    #[test]
    fn metrics_are_off_unless_a_token_or_a_listener_is_set_and_both_are_checked() {
        let s = Settings::load_from(&sources(&[])).unwrap();
        assert!(s.server.metrics_token.is_none() && s.server.metrics_listen.is_none());
        let s = Settings::load_from(&sources(&[
            ("ART33__SERVER__METRICS_TOKEN", "scrape-me-0123456789"),
            ("ART33__SERVER__METRICS_LISTEN", "127.0.0.1:9033"),
        ]))
        .unwrap();
        assert_eq!(
            s.server.metrics_token.as_ref().map(|t| t.expose().as_str()),
            Some("scrape-me-0123456789")
        );
        assert_eq!(s.server.metrics_listen.as_deref(), Some("127.0.0.1:9033"));
        assert!(!format!("{s:?}").contains("scrape-me"), "the token is redacted");
        for good in ["localhost:9033", "[::1]:9033", "0.0.0.0:0", "metrics.internal:80"] {
            let s = Settings::load_from(&sources(&[("ART33__SERVER__METRICS_LISTEN", good)])).unwrap();
            assert_eq!(s.server.metrics_listen.as_deref(), Some(good));
        }
        for bad in ["9033", "127.0.0.1", "127.0.0.1:99999", ":9033", "host name:80", "127.0.0.1:port"] {
            let err = Settings::load_from(&sources(&[("ART33__SERVER__METRICS_LISTEN", bad)])).unwrap_err();
            assert!(err.to_string().contains("server.metrics_listen"), "{bad}: {err}");
        }
        let err = Settings::load_from(&sources(&[("ART33__SERVER__METRICS_TOKEN", "short")])).unwrap_err();
        assert!(err.to_string().contains("server.metrics_token"), "{err}");
        assert!(!err.to_string().contains("short"), "the token is never echoed: {err}");
    }

    #[test]
    fn trusted_proxies_are_addresses_or_cidr_blocks_and_a_bad_one_is_named() {
        assert!(Settings::load_from(&sources(&[])).unwrap().server.trusted_proxies.is_empty());
        let s = Settings::load_from(&sources(&[(
            "ART33__SERVER__TRUSTED_PROXIES",
            "10.0.0.1, 172.16.0.0/12,fd00::/8",
        )]))
        .unwrap();
        let shown: Vec<String> = s.server.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.1/32", "172.16.0.0/12", "fd00::/8"]);
        assert!(
            Settings::load_from(&sources(&[("ART33__SERVER__TRUSTED_PROXIES", "")]))
                .unwrap()
                .server
                .trusted_proxies
                .is_empty()
        );
        for bad in ["10.0.0.300", "10.0.0.0/33", "proxy.example"] {
            let err = Settings::load_from(&sources(&[("ART33__SERVER__TRUSTED_PROXIES", bad)])).unwrap_err();
            assert!(err.to_string().contains(&format!("\"{bad}\"")), "{err}");
            assert!(err.to_string().contains("server.trusted_proxies"), "{err}");
        }
    }

    #[test]
    fn the_body_timeout_defaults_to_30_seconds_and_is_bounded() {
        assert_eq!(Settings::load_from(&sources(&[])).unwrap().server.body_timeout_seconds, 30);
        for bad in ["0", "3601"] {
            let err =
                Settings::load_from(&sources(&[("ART33__SERVER__BODY_TIMEOUT_SECONDS", bad)])).unwrap_err();
            assert!(err.to_string().contains("server.body_timeout_seconds"), "{bad}: {err}");
        }
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let s =
            Settings::load_from(&sources(&[("ART33__DATABASE__URL", "postgres://user:hunter2@db/art33")]))
                .unwrap();
        let printed = format!("{s:?}");
        assert!(!printed.contains("hunter2"));
        assert!(printed.contains("[redacted]"));
    }
}
