//! OpenID Connect single sign-on (`auth.oidc`): the authorization code flow with PKCE, `state` and
//! `nonce`, the provider found by discovery from the issuer URL.
//!
//! - `GET /login/oidc?next=…` starts a flow: a random `state`, `nonce` and PKCE verifier go into a
//!   short-lived cookie of its own (named after the state, so flows in two tabs coexist; HttpOnly,
//!   SameSite=Lax because the callback is a top-level cross-site navigation, path `/login/oidc`,
//!   signed with `server.secret_key`), and the browser goes to the provider.
//! - `GET /login/oidc/callback` (the `redirect_url`) checks the `state` against the cookie (and
//!   the `iss` parameter when the provider sends one), exchanges the code with the verifier, and
//!   validates the ID token: signature (the provider's published keys), issuer, audience, expiry
//!   (against art33's clock) and nonce. Then `app::sso::login` decides on the account and the
//!   session starts as after a password login. The callback removes its flow's cookie.
//!
//! Discovery is lazy and cached ([`DISCOVERY_TTL`]): art33 starts while the provider is down, and
//! only single sign-on says so. No token is ever logged or stored; the audit trail names the
//! issuer and the subject (`login.oidc`).

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, SignatureVerificationError, TokenResponse,
};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::pages::PageError;
use super::pages::session::{self, anonymous_locale, safe_next};
use crate::config::{AuthSettings, OidcSettings};
use crate::crypto;
use crate::domain::locale::Locale;
use crate::domain::sso::{Identity, Policy};
use crate::domain::texts;

/// The flow cookies' name before the flow's tag: each flow has its own cookie, named after its
/// `state`, so that flows started in two tabs do not overwrite each other.
const FLOW_COOKIE: &str = "art33_oidc_flow_";
/// How long a started flow may take at the provider.
const FLOW_TTL: Duration = Duration::minutes(10);
/// How long a discovery (the provider's metadata and keys) is used before it is read again.
pub const DISCOVERY_TTL: Duration = Duration::minutes(15);
/// How long one request to the provider may take.
const HTTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// What the last discovery found, for the status (`art33 oidc status`, `/admin`).
#[derive(Debug, Clone)]
pub enum DiscoveryStatus {
    /// Not tried since the start.
    NotTried,
    /// Succeeded at that instant.
    Ok(DateTime<Utc>),
    /// Failed at that instant, for that reason.
    Failed(DateTime<Utc>, String),
}

/// The single sign-on of one process: the HTTP client and the cached discovery.
#[derive(Debug)]
pub struct Sso {
    http: Option<reqwest::Client>,
    cache: tokio::sync::Mutex<Option<(DateTime<Utc>, CoreProviderMetadata)>>,
    status: std::sync::Mutex<DiscoveryStatus>,
}

impl Default for Sso {
    fn default() -> Self {
        Self::new()
    }
}

impl Sso {
    /// A new, undiscovered single sign-on.
    pub fn new() -> Self {
        let http = match crate::http_client::outbound(HTTP_TIMEOUT, Some(HTTP_TIMEOUT)) {
            Ok(client) => Some(client),
            Err(e) => {
                tracing::error!(error = %e, "no HTTP client for single sign-on");
                None
            }
        };
        Self {
            http,
            cache: tokio::sync::Mutex::new(None),
            status: std::sync::Mutex::new(DiscoveryStatus::NotTried),
        }
    }

    /// What the last discovery found.
    pub fn status(&self) -> DiscoveryStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or(DiscoveryStatus::NotTried)
    }

    fn record(&self, status: DiscoveryStatus) {
        if let Ok(mut s) = self.status.lock() {
            *s = status;
        }
    }

    /// The provider's metadata (with its keys), discovered at most [`DISCOVERY_TTL`] ago.
    pub async fn metadata(
        &self,
        settings: &OidcSettings,
        now: DateTime<Utc>,
    ) -> Result<CoreProviderMetadata, String> {
        let mut cache = self.cache.lock().await;
        if let Some((at, metadata)) = cache.as_ref()
            && now >= *at
            && now - *at < DISCOVERY_TTL
        {
            return Ok(metadata.clone());
        }
        match self.discover(settings).await {
            Ok(metadata) => {
                *cache = Some((now, metadata.clone()));
                self.record(DiscoveryStatus::Ok(now));
                Ok(metadata)
            }
            Err(reason) => {
                self.record(DiscoveryStatus::Failed(now, reason.clone()));
                Err(reason)
            }
        }
    }

    /// Forgets the cached discovery: the next use reads it again (the provider's keys rotated).
    pub async fn forget(&self) {
        *self.cache.lock().await = None;
    }

    /// Reads `ISSUER/.well-known/openid-configuration` and the keys it names.
    pub async fn discover(&self, settings: &OidcSettings) -> Result<CoreProviderMetadata, String> {
        let http = self.http.as_ref().ok_or("no HTTP client")?;
        let issuer = IssuerUrl::new(settings.issuer_url.clone()).map_err(|e| format!("issuer URL: {e}"))?;
        let call = |request| send(http, request);
        CoreProviderMetadata::discover_async(issuer, &call).await.map_err(|e| describe(&e))
    }
}

/// The facts of the single sign-on status, as (label, value) in `locale`: whether it is
/// configured, the issuer, the client id, the redirect URL, the scopes, the role claim and map,
/// the allowed domains, whether users are made, whether password login is on, and the last
/// discovery. Never the client secret. `art33 oidc status` prints them, `/admin` shows them.
pub fn status_rows(
    auth: &AuthSettings,
    discovery: &DiscoveryStatus,
    locale: Locale,
) -> Vec<(String, String)> {
    let t = |key: &str| texts::text(locale, key).to_string();
    let password = t(if auth.password_login { "admin-sso-password-on" } else { "admin-sso-password-off" });
    let Some(oidc) = &auth.oidc else {
        return vec![(t("admin-sso"), t("admin-sso-off")), (t("admin-sso-password"), password)];
    };
    let role_map = if oidc.role_map.is_empty() {
        "—".to_string()
    } else {
        oidc.role_map
            .iter()
            .map(|(value, role)| format!("{value} → {}", role.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let domains = if oidc.allowed_domains.is_empty() {
        t("admin-sso-any-domain")
    } else {
        oidc.allowed_domains.join(", ")
    };
    let yes_no = |b: bool| t(if b { "choice-yes" } else { "choice-no" });
    let when = |at: &DateTime<Utc>| crate::domain::local_time::format_local(*at, locale);
    let discovery = match discovery {
        DiscoveryStatus::NotTried => t("admin-sso-not-tried"),
        DiscoveryStatus::Ok(at) => texts::text_with(locale, "admin-sso-ok", &[("at", &when(at))]),
        DiscoveryStatus::Failed(at, reason) => {
            texts::text_with(locale, "admin-sso-failed", &[("at", &when(at)), ("reason", reason)])
        }
    };
    vec![
        (t("admin-sso-issuer"), oidc.issuer_url.clone()),
        (t("admin-sso-client"), oidc.client_id.clone()),
        (t("admin-sso-redirect"), oidc.redirect_url.clone()),
        (t("admin-sso-scopes"), oidc.scopes.join(" ")),
        (t("admin-sso-role-claim"), oidc.role_claim.clone()),
        (t("admin-sso-role-map"), role_map),
        (t("admin-sso-domains"), domains),
        (t("admin-sso-create"), yes_no(oidc.create_users)),
        (t("admin-sso-password"), password),
        (t("admin-sso-discovery"), discovery),
    ]
}

/// An error and its causes, one line (never a token: the library's errors name endpoints and
/// statuses, not secrets).
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    crate::telemetry::escaped(&text).to_string()
}

/// Why a request to the provider failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

/// One request to the provider through art33's outbound client (`http_client`).
async fn send(
    http: &reqwest::Client,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, HttpError> {
    let (parts, body) = request.into_parts();
    let method = reqwest::Method::from_bytes(parts.method.as_str().as_bytes())
        .map_err(|e| HttpError(e.to_string()))?;
    let mut outgoing = http.request(method, parts.uri.to_string()).body(body);
    for (name, value) in &parts.headers {
        outgoing = outgoing.header(name.as_str(), value.as_bytes());
    }
    let response = outgoing.send().await.map_err(|e| HttpError(describe(&e)))?;
    let mut builder = openidconnect::http::Response::builder().status(response.status().as_u16());
    for (name, value) in response.headers() {
        builder = builder.header(name.as_str(), value.as_bytes());
    }
    let body = response.bytes().await.map_err(|e| HttpError(describe(&e)))?;
    builder.body(body.to_vec()).map_err(|e| HttpError(e.to_string()))
}

/// What the flow cookie holds between the start and the callback.
#[derive(Debug, Serialize, Deserialize)]
struct Flow {
    state: String,
    nonce: String,
    verifier: String,
    next: String,
    expires: i64,
}

impl Flow {
    fn seal(&self, key: &[u8]) -> String {
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(self).unwrap_or_default());
        let signature = crypto::sign(key, body.as_bytes());
        format!("{body}.{signature}")
    }

    fn open(value: &str, key: &[u8], now: DateTime<Utc>) -> Option<Flow> {
        let (body, signature) = value.split_once('.')?;
        if !crypto::verify(key, body.as_bytes(), signature) {
            return None;
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).ok()?;
        let flow: Flow = serde_json::from_slice(&bytes).ok()?;
        (flow.expires > now.timestamp()).then_some(flow)
    }
}

/// The name of the cookie of the flow whose `state` this is: a digest, so the name reveals nothing.
fn flow_cookie_name(state: &str) -> String {
    format!("{FLOW_COOKIE}{}", &crypto::sha256_hex(state)[..16])
}

fn flow_cookie<'a>(state: &str, value: String, https: bool) -> Cookie<'a> {
    Cookie::build(flow_cookie_name(state), value)
        .path("/login/oidc")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(https)
        .max_age(CookieDuration::seconds(FLOW_TTL.num_seconds()))
        .finish()
}

fn flow_cookie_removal<'a>(state: &str, https: bool) -> Cookie<'a> {
    let mut gone = flow_cookie(state, String::new(), https);
    gone.make_removal();
    gone
}

/// `?next=` of the start.
#[derive(Debug, Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// The login page answering a refused single sign-on, without the cookie of the flow whose `state`
/// the callback named, if any.
fn refused(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    key: &'static str,
    next: String,
    flow_state: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let mut response = session::login_answer(state, anonymous_locale(req), status, next, false, Some(key))?;
    if let Some(flow_state) = flow_state {
        response
            .add_cookie(&flow_cookie_removal(flow_state, state.settings.server.is_https()))
            .map_err(|_| PageError::Internal)?;
    }
    Ok(response)
}

/// `GET /login/oidc`: starts the flow at the provider.
pub async fn start(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<StartQuery>,
) -> Result<HttpResponse, PageError> {
    let Some(settings) = state.settings.auth.oidc.as_ref() else { return Err(PageError::NotFound) };
    let next = safe_next(query.next.as_deref().unwrap_or("/"));
    let now = state.clock.now();
    let metadata = match state.sso.metadata(settings, now).await {
        Ok(metadata) => metadata,
        Err(reason) => {
            tracing::warn!(issuer = %settings.issuer_url, %reason, "single sign-on: discovery failed");
            return refused(
                &state,
                &req,
                StatusCode::SERVICE_UNAVAILABLE,
                "sso-error-unavailable",
                next,
                None,
            );
        }
    };
    let redirect = RedirectUrl::new(settings.redirect_url.clone()).map_err(|_| PageError::Internal)?;
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(settings.client_secret.expose().clone())),
    )
    .set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .set_pkce_challenge(challenge);
    for scope in settings.scopes.iter().filter(|s| s.as_str() != "openid") {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, csrf, nonce) = request.url();
    let flow = Flow {
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        next,
        expires: (now + FLOW_TTL).timestamp(),
    };
    let https = state.settings.server.is_https();
    let mut response = super::pages::see_other(url.as_str());
    response
        .add_cookie(&flow_cookie(&flow.state, flow.seal(state.settings.server.secret_key.expose()), https))
        .map_err(|_| PageError::Internal)?;
    Ok(response)
}

/// What the provider sends back.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

/// `GET /login/oidc/callback`: the provider's answer.
pub async fn callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, PageError> {
    let Some(settings) = state.settings.auth.oidc.as_ref() else { return Err(PageError::NotFound) };
    let now = state.clock.now();
    let key = state.settings.server.secret_key.expose();
    let client_addr = super::client_addr::client_address(&req, &state.settings.server.trusted_proxies);
    let named = query.state.clone();
    let named = named.as_deref();
    let flow = named
        .and_then(|named| req.cookie(&flow_cookie_name(named)))
        .and_then(|c| Flow::open(c.value(), key, now));
    let Some(flow) = flow else {
        tracing::info!(client = %client_addr, "single sign-on refused: no flow started here, or it expired");
        return refused(&state, &req, StatusCode::BAD_REQUEST, "sso-error-state", "/".into(), named);
    };
    let next = flow.next.clone();
    let state_matches =
        query.state.as_deref().is_some_and(|s| crypto::constant_time_eq(s.as_bytes(), flow.state.as_bytes()));
    if !state_matches {
        tracing::info!(client = %client_addr, "single sign-on refused: the state does not match the flow");
        return refused(&state, &req, StatusCode::BAD_REQUEST, "sso-error-state", next, named);
    }
    if let Some(error) = &query.error {
        let error = crate::telemetry::escaped(error);
        tracing::info!(client = %client_addr, %error, "single sign-on refused by the provider");
        return refused(&state, &req, StatusCode::UNAUTHORIZED, "sso-error-provider", next, named);
    }
    if let Some(iss) = &query.iss
        && iss.trim_end_matches('/') != settings.issuer_url.trim_end_matches('/')
    {
        tracing::info!(client = %client_addr, "single sign-on refused: the answer names another issuer");
        return refused(&state, &req, StatusCode::BAD_REQUEST, "sso-error-state", next, named);
    }
    let Some(code) = query.code.clone() else {
        return refused(&state, &req, StatusCode::BAD_REQUEST, "sso-error-state", next, named);
    };
    let identity = match validate(&state, settings, code, &flow, now).await {
        Ok(identity) => identity,
        Err(Invalid::Unavailable(reason)) => {
            tracing::warn!(issuer = %settings.issuer_url, %reason, "single sign-on: discovery failed");
            return refused(
                &state,
                &req,
                StatusCode::SERVICE_UNAVAILABLE,
                "sso-error-unavailable",
                next,
                named,
            );
        }
        Err(Invalid::Token(reason)) => {
            tracing::info!(client = %client_addr, issuer = %settings.issuer_url, %reason, "single sign-on refused: no valid ID token");
            return refused(&state, &req, StatusCode::UNAUTHORIZED, "sso-error-token", next, named);
        }
    };
    let (role_map, allowed, create_users) =
        (settings.role_map.clone(), settings.allowed_domains.clone(), settings.create_users);
    let logging_in = identity.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let policy = Policy { role_map: &role_map, allowed_domains: &allowed, create_users };
            crate::app::sso::login(conn, policy, &logging_in, now)
        })
        .await?;
    let user = match outcome {
        Ok(user) => user,
        Err(refusal) => {
            tracing::info!(
                client = %client_addr,
                issuer = %identity.issuer,
                subject = %crate::telemetry::escaped(&identity.subject),
                reason = refusal.as_str(),
                "single sign-on refused"
            );
            return refused(&state, &req, StatusCode::FORBIDDEN, refusal.text_key(), next, named);
        }
    };
    let mut response = session::start_session(&state, &req, user.id.0.clone(), &next, |_| Ok(())).await?;
    response
        .add_cookie(&flow_cookie_removal(&flow.state, state.settings.server.is_https()))
        .map_err(|_| PageError::Internal)?;
    tracing::info!(
        user = %crate::telemetry::mask_email(&user.email),
        client = %client_addr,
        role = user.role.as_str(),
        issuer = %identity.issuer,
        "login by single sign-on"
    );
    Ok(response)
}

/// Why no identity came out of the code.
enum Invalid {
    /// The provider's metadata could not be read.
    Unavailable(String),
    /// The code exchange failed, or the ID token is missing or invalid.
    Token(String),
}

/// Exchanges `code` and validates the ID token: signature, issuer, audience, expiry (art33's
/// clock) and nonce; then reads the identity from its claims.
async fn validate(
    state: &AppState,
    settings: &OidcSettings,
    code: String,
    flow: &Flow,
    now: DateTime<Utc>,
) -> Result<Identity, Invalid> {
    let metadata = state.sso.metadata(settings, now).await.map_err(Invalid::Unavailable)?;
    let http = state.sso.http.as_ref().ok_or_else(|| Invalid::Unavailable("no HTTP client".into()))?;
    let redirect =
        RedirectUrl::new(settings.redirect_url.clone()).map_err(|e| Invalid::Token(e.to_string()))?;
    let client = CoreClient::from_provider_metadata(
        metadata.clone(),
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(settings.client_secret.expose().clone())),
    )
    .set_redirect_uri(redirect);
    let call = |request| send(http, request);
    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| Invalid::Token(describe(&e)))?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone()))
        .request_async(&call)
        .await
        .map_err(|e| Invalid::Token(describe(&e)))?;
    let id_token = token.id_token().ok_or_else(|| Invalid::Token("the answer has no ID token".into()))?;
    let nonce = Nonce::new(flow.nonce.clone());
    let verify = |metadata: CoreProviderMetadata| {
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(settings.client_id.clone()),
            Some(ClientSecret::new(settings.client_secret.expose().clone())),
        );
        let clock = state.clock.clone();
        let verifier = client.id_token_verifier().set_time_fn(move || clock.now());
        id_token.claims(&verifier, &nonce).cloned()
    };
    let claims = match verify(metadata) {
        // A key the cached keys lack: the provider rotated its keys; read them again, once.
        Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)) => {
            state.sso.forget().await;
            verify(state.sso.metadata(settings, now).await.map_err(Invalid::Unavailable)?)
        }
        other => other,
    }
    .map_err(|e| Invalid::Token(describe(&e)))?;
    // The claims art33 reads beyond the standard ones (the role claim, Entra ID's `xms_edov`), from
    // the payload whose signature was just verified.
    let extra = payload(&id_token.to_string()).unwrap_or_default();
    let role_values = match extra.get(&settings.role_claim) {
        Some(serde_json::Value::Array(values)) => {
            values.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
        }
        Some(serde_json::Value::String(value)) => vec![value.clone()],
        _ => Vec::new(),
    };
    let domain_verified = matches!(extra.get("xms_edov"), Some(serde_json::Value::Bool(true)));
    Ok(Identity {
        issuer: claims.issuer().to_string(),
        subject: claims.subject().to_string(),
        email: claims.email().map(|e| e.to_string()),
        email_verified: claims.email_verified() == Some(true) || domain_verified,
        role_values,
    })
}

/// The payload of a compact JWT as a JSON object.
fn payload(jwt: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let part = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_cookie_opens_only_unaltered_under_its_key_and_before_it_expires() {
        let now: DateTime<Utc> = "2026-10-22T10:00:00Z".parse().unwrap();
        let flow = Flow {
            state: "s".into(),
            nonce: "n".into(),
            verifier: "v".into(),
            next: "/x".into(),
            expires: (now + FLOW_TTL).timestamp(),
        };
        let sealed = flow.seal(b"key");
        assert_eq!(Flow::open(&sealed, b"key", now).map(|f| f.next), Some("/x".to_string()));
        assert!(Flow::open(&sealed, b"other key", now).is_none());
        assert!(Flow::open(&sealed, b"key", now + FLOW_TTL).is_none());
        let (body, signature) = sealed.split_once('.').unwrap();
        let altered = format!("{}A.{signature}", body);
        assert!(Flow::open(&altered, b"key", now).is_none());
        assert!(Flow::open("garbage", b"key", now).is_none());
    }

    #[test]
    fn the_payload_of_a_compact_token_is_read() {
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"groups":["a"]}"#);
        let map = payload(&format!("h.{body}.s")).unwrap();
        assert_eq!(map["groups"], serde_json::json!(["a"]));
        assert!(payload("nonsense").is_none());
    }
}
