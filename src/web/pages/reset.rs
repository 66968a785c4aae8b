//! `/reset/{secret}`: the page of a one-time password-reset link (`app::password_reset`). Reached
//! without a session; the form carries a double-submit CSRF token like the login form. The page
//! speaks the user's language (or the browser's, for a link that names no user), is never cached
//! and sends no referrer, so the link's secret does not leak to other sites.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::forms::{ErrorLink, Fields};
use super::i18n::Ui;
use super::session::anonymous_locale;
use super::{Nav, PageError, hash_new_password};
use crate::app::password_reset::{self as reset, LinkRefusal};
use crate::crypto;
use crate::domain::locale::Locale;
use crate::web::AppState;

/// The reset form's CSRF cookie (double submit), sent back only to `/reset/…`.
const RESET_CSRF_COOKIE: &str = "art33_reset_csrf";

/// What the page shows.
enum View {
    /// The form: choose a new password for `email`.
    Form { csrf: String, email: String, error: Option<String> },
    /// The password was changed.
    Done,
    /// The link does not work; the text key says why.
    Refused { why: &'static str },
}

#[derive(Template)]
#[template(path = "pages/reset.html")]
struct ResetPage {
    ui: Ui,
    nav: Option<Nav>,
    view: View,
}

impl ResetPage {
    /// The error summary of a refused password.
    fn summary(&self) -> Vec<ErrorLink> {
        match &self.view {
            View::Form { error: Some(e), .. } => {
                vec![ErrorLink { target: "password".into(), text: e.clone() }]
            }
            _ => Vec::new(),
        }
    }

    /// "Choose a new password for …".
    fn intro(&self, email: &str) -> String {
        self.ui.t_with("reset-intro", &[("email", email)])
    }

    fn has_error(&self) -> bool {
        !self.summary().is_empty()
    }
}

fn respond(status: StatusCode, locale: Locale, view: View) -> Result<HttpResponse, PageError> {
    let body = ResetPage { ui: Ui::new(locale), nav: None, view }.render()?;
    Ok(HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .insert_header((header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .content_type("text/html; charset=utf-8")
        .body(body))
}

fn csrf_cookie<'a>(value: String, https: bool) -> Cookie<'a> {
    Cookie::build(RESET_CSRF_COOKIE, value)
        .path("/reset")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(https)
        .finish()
}

/// A link that does not work: 404 when unknown, 410 when used or expired.
fn refused(req: &HttpRequest, refusal: LinkRefusal) -> Result<HttpResponse, PageError> {
    let (status, why) = match refusal {
        LinkRefusal::Unknown => (StatusCode::NOT_FOUND, "reset-unknown"),
        LinkRefusal::Used => (StatusCode::GONE, "reset-used"),
        LinkRefusal::Expired => (StatusCode::GONE, "reset-expired"),
    };
    respond(status, anonymous_locale(req), View::Refused { why })
}

/// `GET /reset/{secret}`.
pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let secret = path.into_inner();
    let now = state.clock.now();
    let checked = state.db.run(move |conn| reset::check_link(conn, &secret, now)).await?;
    let user = match checked {
        Ok(user) => user,
        Err(refusal) => return refused(&req, refusal),
    };
    let locale = user.locale.unwrap_or_else(|| anonymous_locale(&req));
    let csrf = crypto::random_token(24);
    let view = View::Form { csrf: csrf.clone(), email: user.email, error: None };
    let mut response = respond(StatusCode::OK, locale, view)?;
    response
        .add_cookie(&csrf_cookie(csrf, state.settings.server.is_https()))
        .map_err(|_| PageError::Internal)?;
    Ok(response)
}

/// `POST /reset/{secret}`: sets the new password, uses the link up and ends the user's sessions.
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = Fields::new(form.into_inner());
    let cookie_csrf = req.cookie(RESET_CSRF_COOKIE).map(|c| c.value().to_string());
    match (cookie_csrf.as_deref(), fields.get("csrf")) {
        (Some(a), Some(b)) if !a.is_empty() && crypto::constant_time_eq(a.as_bytes(), b.as_bytes()) => {}
        _ => return Err(PageError::Forbidden("The form expired; open the link from the mail again.".into())),
    }
    let secret = path.into_inner();
    let now = state.clock.now();
    let checking = secret.clone();
    let user = match state.db.run(move |conn| reset::check_link(conn, &checking, now)).await? {
        Ok(user) => user,
        Err(refusal) => return refused(&req, refusal),
    };
    let locale = user.locale.unwrap_or_else(|| anonymous_locale(&req));
    let password = fields.get("password").unwrap_or("");
    let name = user.name.clone().unwrap_or_default();
    let hash = match hash_new_password(&state, password, &user.email, &name).await? {
        Ok(hash) => hash,
        Err(e) => {
            let view = View::Form {
                csrf: cookie_csrf.unwrap_or_default(),
                email: user.email,
                error: Some(e.message(locale)),
            };
            return respond(StatusCode::UNPROCESSABLE_ENTITY, locale, view);
        }
    };
    match state.db.run(move |conn| reset::use_link(conn, &secret, &hash, now)).await? {
        Ok(user) => {
            tracing::info!(user = %crate::telemetry::mask_email(&user.email), "password reset by link");
            let mut response = respond(StatusCode::OK, locale, View::Done)?;
            let mut gone = csrf_cookie(String::new(), state.settings.server.is_https());
            gone.make_removal();
            response.add_cookie(&gone).map_err(|_| PageError::Internal)?;
            Ok(response)
        }
        Err(refusal) => refused(&req, refusal),
    }
}
