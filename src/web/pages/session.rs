//! Login, logout and the session of a page request: a server-side session behind an HttpOnly,
//! SameSite=Lax cookie (Secure when `server.base_url` is https), renewed at login; a CSRF token on
//! every form; the language of the page.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;

use super::i18n::{self, Ui};
use super::{PageError, forms, render_with, see_other};
use crate::app::login as app_login;
use crate::auth;
use crate::crypto;
use crate::domain::directory::{self as dir};
use crate::domain::locale::Locale;
use crate::domain::tenant::{Principal, Role};
use crate::storage::sessions::{self, Session};
use crate::storage::{AnyConnection, StorageError};
use crate::web::AppState;
use crate::web::client_addr;

/// The session cookie.
pub const SESSION_COOKIE: &str = "art33_session";
/// The pre-login CSRF cookie (double submit).
const LOGIN_CSRF_COOKIE: &str = "art33_login_csrf";
/// The language cookie for pages without a session.
const LANG_COOKIE: &str = "art33_lang";

/// The header of every page: who is logged in, what they may reach, the CSRF token.
#[derive(Debug, Clone)]
pub struct Nav {
    /// The user's address.
    pub email: String,
    /// The user's role (wire name).
    pub role: &'static str,
    /// Whether the admin pages are reachable.
    pub is_admin: bool,
    /// Whether the user may apply lifecycle events.
    pub can_decide: bool,
    /// The session's CSRF token, for forms.
    pub csrf: String,
    /// The current path, for the language switch.
    pub path: String,
}

/// The session of a page request. Without one, the request is sent to the login page.
pub struct PageSession {
    /// The live session.
    pub session: Session,
    /// The page language and texts.
    pub ui: Ui,
    /// The header.
    pub nav: Nav,
}

impl PageSession {
    /// The principal.
    pub fn principal(&self) -> &Principal {
        &self.session.principal
    }

    /// Refuses a form whose CSRF token does not match the session's (403).
    pub fn check_csrf(&self, token: Option<&str>) -> Result<(), PageError> {
        match token {
            Some(t) if constant_time_eq(t.as_bytes(), self.session.csrf.as_bytes()) => Ok(()),
            _ => Err(PageError::Forbidden(
                "The form's security token is missing or expired; reload the page.".into(),
            )),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `?lang=` of a request, if valid.
pub fn lang_param(req: &HttpRequest) -> Option<Locale> {
    req.query_string().split('&').find_map(|pair| pair.strip_prefix("lang=")).and_then(Locale::parse)
}

/// The language of a request without a session: `?lang`, else the cookie, else Accept-Language.
pub fn anonymous_locale(req: &HttpRequest) -> Locale {
    lang_param(req)
        .or_else(|| req.cookie(LANG_COOKIE).and_then(|c| Locale::parse(c.value())))
        .unwrap_or_else(|| i18n::from_accept_language(req))
}

fn path_of(req: &HttpRequest) -> String {
    let query: Vec<&str> =
        req.query_string().split('&').filter(|p| !p.is_empty() && !p.starts_with("lang=")).collect();
    if query.is_empty() { req.path().to_string() } else { format!("{}?{}", req.path(), query.join("&")) }
}

/// The session cookie of a page request and what else decides the page's language, read without
/// touching the database. [`SessionCookie::run`] looks the session up and reads the page in one
/// trip to the blocking pool; [`PageSession`] is the extractor for handlers that read separately.
pub struct SessionCookie {
    secret: Option<String>,
    chosen: Option<Locale>,
    cookie_lang: Option<Locale>,
    accepted: Locale,
    path: String,
}

/// A live session as read from the database, with the client of its user (if any).
pub struct Found {
    /// The session.
    pub session: Session,
    /// The user's client, when the user belongs to one and it exists.
    pub client: Option<dir::Client>,
}

impl SessionCookie {
    fn of(req: &HttpRequest) -> SessionCookie {
        SessionCookie {
            secret: req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()),
            chosen: lang_param(req),
            cookie_lang: req.cookie(LANG_COOKIE).and_then(|c| Locale::parse(c.value())),
            accepted: i18n::from_accept_language(req),
            path: path_of(req),
        }
    }

    /// Looks the session up on `conn` (refreshing it, and remembering a `?lang=` choice), with the
    /// client of its user. `None` when there is no live session.
    fn lookup(
        conn: &mut AnyConnection,
        secret: &str,
        chosen: Option<Locale>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Found>, StorageError> {
        let Some((session, client)) = sessions::lookup(conn, secret, now)? else { return Ok(None) };
        // Written when it changes: a link that keeps `?lang=` is not a write per view.
        if let Some(locale) = chosen.filter(|&locale| session.locale != Some(locale)) {
            sessions::set_locale(conn, &session.principal.user_id, locale)?;
        }
        Ok(Some(Found { session, client }))
    }

    /// The page session of a session found, with the page's language.
    fn finish(self, session: Session, client_locale: Option<Locale>) -> PageSession {
        // The user's choice, else the client's locale, else the browser's.
        let locale =
            self.chosen.or(session.locale).or(self.cookie_lang).or(client_locale).unwrap_or(self.accepted);
        let role = session.principal.role;
        let nav = Nav {
            email: session.principal.email.clone(),
            role: role.as_str(),
            is_admin: role == Role::Admin,
            can_decide: role != Role::Reporter,
            csrf: session.csrf.clone(),
            path: self.path,
        };
        PageSession { session, ui: Ui::new(locale), nav }
    }

    /// Looks the session up and, when it is live, runs `read` with it on the same connection: one
    /// trip to the blocking pool for the whole page. Without a live session, the request is sent to
    /// the login page and `read` does not run.
    pub async fn run<T, E, F>(self, state: &AppState, read: F) -> Result<(PageSession, T), PageError>
    where
        F: FnOnce(&mut AnyConnection, &Found) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
        PageError: From<E>,
    {
        let Some(secret) = self.secret.clone() else { return Err(PageError::LoginRequired(self.path)) };
        let now = state.clock.now();
        let chosen = self.chosen;
        let found = state
            .db
            .run(move |conn| {
                let Some(found) = Self::lookup(conn, &secret, chosen, now)? else { return Ok(None) };
                let read = read(conn, &found)?;
                Ok::<_, E>(Some((found, read)))
            })
            .await?;
        let Some((found, read)) = found else { return Err(PageError::LoginRequired(self.path)) };
        let client_locale = found.client.as_ref().map(|c| c.locale);
        Ok((self.finish(found.session, client_locale), read))
    }
}

impl FromRequest for SessionCookie {
    type Error = PageError;
    type Future = std::future::Ready<Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        std::future::ready(Ok(SessionCookie::of(req)))
    }
}

impl FromRequest for PageSession {
    type Error = PageError;
    type Future = LocalBoxFuture<'static, Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let cookie = SessionCookie::of(req);
        Box::pin(async move {
            let state = state.ok_or(PageError::Internal)?;
            let (session, ()) = cookie.run(&state, |_, _| Ok::<_, StorageError>(())).await?;
            Ok(session)
        })
    }
}

#[derive(Template)]
#[template(path = "pages/login.html")]
struct LoginPage {
    ui: Ui,
    nav: Option<Nav>,
    csrf: String,
    email: String,
    next: String,
    error: Option<&'static str>,
    /// The single sign-on link (with `next`), when single sign-on is configured.
    sso_href: Option<String>,
    /// Whether the password form is shown: `auth.password_login`, or the break-glass form.
    password_form: bool,
    /// The break-glass form (`/login?break_glass=1`): the password form for admins when
    /// `auth.password_login` is off.
    break_glass: bool,
}

impl LoginPage {
    /// The login page in `locale` for `next`, as the configuration shapes it.
    fn new(state: &AppState, locale: Locale, csrf: String, next: String, break_glass: bool) -> Self {
        let sso_href = state
            .settings
            .auth
            .oidc
            .as_ref()
            .map(|_| format!("/login/oidc?next={}", forms::url_encode(&next)));
        let break_glass = break_glass && !state.settings.auth.password_login;
        LoginPage {
            ui: Ui::new(locale),
            nav: None,
            csrf,
            email: String::new(),
            next,
            error: None,
            sso_href,
            password_form: state.settings.auth.password_login || break_glass,
            break_glass,
        }
    }

    /// The error summary: a refused login points at the address field (at the single sign-on
    /// button when there is no password form).
    fn summary(&self) -> Vec<super::forms::ErrorLink> {
        let target = if self.password_form { "email" } else { "sso" };
        self.error
            .map(|key| super::forms::ErrorLink { target: target.into(), text: self.ui.t(key).to_string() })
            .into_iter()
            .collect()
    }
}

fn session_cookie<'a>(value: String, https: bool) -> Cookie<'a> {
    Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(https)
        .finish()
}

fn login_csrf_cookie<'a>(value: String, https: bool) -> Cookie<'a> {
    Cookie::build(LOGIN_CSRF_COOKIE, value)
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(https)
        .finish()
}

/// Where to go after login: `next` when it is a local path, else `/` (no open redirect). The one
/// reader of every `next` (the login page's query, the login form's field).
///
/// Accepted: `/` alone, or a single `/` followed by a path character (RFC 3986 `pchar`, so neither
/// `/` nor `\\`), the whole of it printable ASCII without spaces: no control character (tab, CR,
/// LF, VT: browsers drop tabs and newlines, so `/\t/evil` would become `//evil`, and CR/LF cannot
/// go into a header) and no backslash anywhere (browsers read `\\` as `/`).
pub fn safe_next(next: &str) -> String {
    fn path_char(c: u8) -> bool {
        c.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=:@".contains(&c)
    }
    let bytes = next.as_bytes();
    let printable = bytes.iter().all(|&b| b.is_ascii_graphic() && b != b'\\');
    let local = match bytes {
        [b'/'] => true,
        [b'/', second, ..] => path_char(*second),
        _ => false,
    };
    if printable && local { next.to_string() } else { "/".into() }
}

/// `?next=` of the login page, and `?break_glass=1` for the password form when
/// `auth.password_login` is off.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    break_glass: Option<String>,
}

/// `GET /login`.
pub async fn login_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, PageError> {
    let locale = anonymous_locale(&req);
    let next = safe_next(query.next.as_deref().unwrap_or("/"));
    let break_glass = query.break_glass.as_deref() == Some("1");
    let mut response = login_answer(&state, locale, StatusCode::OK, next, break_glass, None)?;
    if let Some(lang) = lang_param(&req) {
        let cookie =
            Cookie::build(LANG_COOKIE, lang.as_str()).path("/").max_age(CookieDuration::days(365)).finish();
        response.add_cookie(&cookie).map_err(|_| PageError::Internal)?;
    }
    Ok(response)
}

/// The login page with `status` and, when refused, the reason `error` (a text key), with a fresh
/// token for its password form. Also the answer of a refused single sign-on (`web::oidc`).
pub(crate) fn login_answer(
    state: &AppState,
    locale: Locale,
    status: StatusCode,
    next: String,
    break_glass: bool,
    error: Option<&'static str>,
) -> Result<HttpResponse, PageError> {
    let csrf = crypto::random_token(24);
    let page = LoginPage { error, ..LoginPage::new(state, locale, csrf.clone(), next, break_glass) };
    let mut response = render_with(status, page)?;
    let cookie = login_csrf_cookie(csrf, state.settings.server.is_https());
    response.add_cookie(&cookie).map_err(|_| PageError::Internal)?;
    Ok(response)
}

/// Starts a new session for `user_id` after a login of any kind (password or single sign-on) and
/// answers 303 to `next` with its cookie; `also` runs first in the same trip to the database. A
/// session id is never reused: the browser's old session, if any, ends.
pub(crate) async fn start_session<F>(
    state: &AppState,
    req: &HttpRequest,
    user_id: String,
    next: &str,
    also: F,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut AnyConnection) -> Result<(), StorageError> + Send + 'static,
{
    let https = state.settings.server.is_https();
    let now = state.clock.now();
    // A new session id at every login: a session fixed before login is worthless.
    let old = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
    let new_session = state
        .db
        .run(move |conn| {
            if let Some(old) = old {
                sessions::delete_by_secret(conn, &old)?;
            }
            also(conn)?;
            sessions::create(conn, &user_id, now)
        })
        .await?;
    let mut response = see_other(next);
    response.add_cookie(&session_cookie(new_session.secret, https)).map_err(|_| PageError::Internal)?;
    let mut gone = login_csrf_cookie(String::new(), https);
    gone.make_removal();
    response.add_cookie(&gone).map_err(|_| PageError::Internal)?;
    Ok(response)
}

/// Password verifications that may run at once (see [`login`]).
static PASSWORD_CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// `POST /login`. The limits (`app::login`, numbers in `domain::login_limits`): the attempt is
/// checked against them and recorded in one locked step *before* its password is verified, so no
/// concurrency gets more guesses verified than the limits allow; exactly one argon2 verification
/// runs on every path that gets that far (`auth::check_login`).
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let form = forms::Fields::new(form.into_inner());
    let locale = anonymous_locale(&req);
    let cookie_csrf = req.cookie(LOGIN_CSRF_COOKIE).map(|c| c.value().to_string());
    match (cookie_csrf.as_deref(), form.get("csrf")) {
        // An empty token (cookie and field both empty) proves nothing.
        (Some(a), Some(b)) if !a.is_empty() && constant_time_eq(a.as_bytes(), b.as_bytes()) => {}
        _ => return Err(PageError::Forbidden("The login form expired; reload the page.".into())),
    }
    let next = safe_next(form.get("next").unwrap_or("/"));
    let break_glass = form.get("break_glass") == Some("1");
    let email_typed = form.get("email").unwrap_or("").trim().to_string();
    let password = form.get("password").unwrap_or("").to_string();
    let email =
        dir::normalize_email("email", &email_typed).unwrap_or_else(|_| email_typed.to_ascii_lowercase());
    let client = client_addr::client_address(&req, &state.settings.server.trusted_proxies);
    let attempt = app_login::Attempt::new(&email, &client);
    let now = state.clock.now();

    let (reserving, lookup_email) = (attempt.clone(), email.clone());
    let reservation =
        state.db.run(move |conn| app_login::reserve(conn, &reserving, &lookup_email, now)).await?;
    let (rows, found) = match reservation {
        app_login::Reservation::Refused(limit, wait) => {
            tracing::info!(
                user = %crate::telemetry::mask_email(&email),
                %client,
                limit = ?limit,
                wait_seconds = wait.num_seconds(),
                "login limited"
            );
            let page = LoginPage {
                email: email_typed,
                error: Some("login-too-many"),
                ..LoginPage::new(&state, locale, cookie_csrf.unwrap_or_default(), next, break_glass)
            };
            let mut response = render_with(StatusCode::TOO_MANY_REQUESTS, page)?;
            let retry = wait.num_seconds().max(1).to_string();
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from_str(&retry).map_err(|_| PageError::Internal)?,
            );
            return Ok(response);
        }
        app_login::Reservation::Reserved { rows, found } => (rows, found),
    };
    let account = found.as_ref().map(|(user, _)| user.clone());
    // Verify on the blocking pool: argon2 is deliberately slow, and each verification holds its
    // 19 MiB of memory; at most two at once, so that a burst of logins queues instead of
    // multiplying the server's memory. The attempt is already counted, whatever the queue.
    let verified = {
        let _permit = PASSWORD_CHECKS.acquire().await.map_err(|_| PageError::Internal)?;
        web::block(move || auth::check_login(found, &password)).await.map_err(|_| PageError::Internal)?
    };

    let Some(user) = verified else {
        let settings = state.settings.clone();
        let failing = attempt.clone();
        let mailed = state
            .db
            .run(move |conn| app_login::failed(conn, &settings, &failing, account.as_ref(), now))
            .await?;
        tracing::info!(user = %crate::telemetry::mask_email(&email), %client, lock_notice = mailed, "login refused");
        let page = LoginPage {
            email: email_typed,
            error: Some("login-failed"),
            ..LoginPage::new(&state, locale, cookie_csrf.unwrap_or_default(), next, break_glass)
        };
        return render_with(StatusCode::UNAUTHORIZED, page);
    };
    // With `auth.password_login` off, a password logs in only the break-glass admin; checked
    // after the password, so that the answer tells nothing about an account to a guesser.
    if !state.settings.auth.password_login && user.role != Role::Admin {
        tracing::info!(user = %crate::telemetry::mask_email(&user.email), %client, "password login refused: single sign-on only");
        let page = LoginPage {
            email: email_typed,
            error: Some("login-password-off"),
            ..LoginPage::new(&state, locale, cookie_csrf.unwrap_or_default(), next, break_glass)
        };
        return render_with(StatusCode::FORBIDDEN, page);
    }
    let response = start_session(&state, &req, user.id.0.clone(), &next, move |conn| {
        app_login::succeeded(conn, &attempt, &rows)
    })
    .await?;
    tracing::info!(user = %crate::telemetry::mask_email(&user.email), %client, role = user.role.as_str(), "login");
    Ok(response)
}

#[derive(Template)]
#[template(path = "pages/logout.html")]
struct LogoutPage {
    ui: Ui,
    nav: Option<Nav>,
}

/// `GET /logout`: a page with the logout button (logging out changes state, so it is a POST).
pub async fn logout_page(session: PageSession) -> Result<HttpResponse, PageError> {
    render_with(StatusCode::OK, LogoutPage { ui: session.ui, nav: Some(session.nav) })
}

/// `POST /logout`: ends the session for good.
pub async fn logout(
    state: web::Data<AppState>,
    session: PageSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let form = forms::Fields::new(form.into_inner());
    session.check_csrf(form.get("csrf"))?;
    let digest = session.session.digest.clone();
    state.db.run(move |conn| sessions::delete(conn, &digest)).await?;
    let mut response = see_other("/login");
    let mut gone = session_cookie(String::new(), state.settings.server.is_https());
    gone.make_removal();
    response.add_cookie(&gone).map_err(|_| PageError::Internal)?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        let table = [
            ("/", "/"),
            ("/incidents/abc", "/incidents/abc"),
            ("/ok?x=1", "/ok?x=1"),
            ("/incidents/1", "/incidents/1"),
            // A percent sign stays encoded: the browser asks this server for that path.
            ("/%09/evil.example", "/%09/evil.example"),
            ("", "/"),
            ("//evil", "/"),
            ("//evil.example", "/"),
            ("/\\evil", "/"),
            ("/ok\\evil", "/"),
            ("/\t/evil.example", "/"),
            ("https://evil", "/"),
            ("evil", "/"),
            ("/\r/evil", "/"),
            ("/x\rLocation: //evil", "/"),
            ("/\n/evil", "/"),
            ("/x\n", "/"),
            ("/\u{b}/evil", "/"),
            ("/ /evil", "/"),
            ("/\u{7f}", "/"),
            ("/é", "/"),
            ("/?x=1", "/"),
        ];
        for (next, expected) in table {
            assert_eq!(safe_next(next), expected, "{next:?}");
        }
    }

    #[test]
    fn tokens_compare_in_constant_time_and_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
