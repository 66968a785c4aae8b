//! The HTML pages (askama, one base layout): login, dashboard, report a leak, incident, AP draft,
//! admin. Everything works without JavaScript except that the countdown then shows the
//! server-rendered time left. CSS and JS are embedded in the binary.

pub mod admin;
pub mod admin_channels;
pub mod assets;
pub mod client_profile;
pub mod dashboard;
pub mod forms;
pub mod i18n;
pub mod incident;
pub mod next_action;
pub mod profile;
pub mod register;
pub mod report;
pub mod reset;
pub mod session;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError, web};
use askama::Template;

pub use i18n::Ui;
pub use session::{Nav, PageSession, SessionCookie};

use crate::app::CommandError;
use crate::storage::StorageError;

/// Why a page could not be shown.
#[derive(Debug)]
pub enum PageError {
    /// Go elsewhere (303).
    Redirect(String),
    /// Not logged in: to the login page, then back.
    LoginRequired(String),
    /// 400: the form could not be read.
    BadRequest,
    /// 403, with the reason.
    Forbidden(String),
    /// 404 (also for another client's incident).
    NotFound,
    /// 503: the database is down.
    Unavailable,
    /// 500: logged, never shown.
    Internal,
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

/// An error page in the layout. Error pages speak both languages: they are shown where the
/// request's language is not at hand.
#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage {
    status: u16,
    title_nl: &'static str,
    title_en: &'static str,
    text_nl: String,
    text_en: String,
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::Redirect(_) | PageError::LoginRequired(_) => StatusCode::SEE_OTHER,
            PageError::BadRequest => StatusCode::BAD_REQUEST,
            PageError::Forbidden(_) => StatusCode::FORBIDDEN,
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            PageError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            PageError::Redirect(to) => see_other(to),
            PageError::LoginRequired(next) => {
                let target = if next.is_empty() || next == "/" {
                    "/login".to_string()
                } else {
                    format!("/login?next={}", forms::url_encode(next))
                };
                see_other(&target)
            }
            other => {
                let (title_nl, title_en, text_nl, text_en) = match other {
                    PageError::BadRequest => (
                        "Onleesbaar verzoek",
                        "Bad request",
                        "Het formulier kon niet worden gelezen. Probeer het opnieuw.".to_string(),
                        "The form could not be read. Please try again.".to_string(),
                    ),
                    PageError::Forbidden(reason) => (
                        "Geen toegang",
                        "Forbidden",
                        format!("U mag dit niet doen. {reason}"),
                        format!("You may not do this. {reason}"),
                    ),
                    PageError::NotFound => (
                        "Niet gevonden",
                        "Not found",
                        "Deze pagina bestaat niet, of u hebt er geen toegang toe.".to_string(),
                        "This page does not exist, or you have no access to it.".to_string(),
                    ),
                    PageError::Unavailable => (
                        "Tijdelijk niet beschikbaar",
                        "Temporarily unavailable",
                        "De database antwoordt niet. Probeer het over een minuut opnieuw; er gaat niets verloren."
                            .to_string(),
                        "The database does not answer. Try again in a minute; nothing is lost.".to_string(),
                    ),
                    _ => (
                        "Er ging iets mis",
                        "Something went wrong",
                        "Er ging iets mis aan onze kant. Het is vastgelegd; probeer het opnieuw.".to_string(),
                        "Something went wrong on our side. It was logged; please try again.".to_string(),
                    ),
                };
                let status = self.status_code();
                let page = ErrorPage { status: status.as_u16(), title_nl, title_en, text_nl, text_en };
                html(status, page.render().unwrap_or_else(|_| title_en.to_string()))
            }
        }
    }
}

impl From<StorageError> for PageError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Unavailable(cause) => {
                tracing::warn!(cause = %crate::telemetry::escaped(&cause), "database unavailable");
                PageError::Unavailable
            }
            StorageError::NotFound => PageError::NotFound,
            other => {
                tracing::error!(error = %crate::telemetry::escaped(&other), "storage failure on a page");
                PageError::Internal
            }
        }
    }
}

impl From<CommandError> for PageError {
    fn from(e: CommandError) -> Self {
        match e {
            CommandError::Storage(s) => s.into(),
            CommandError::NotFound => PageError::NotFound,
            CommandError::Forbidden(m) => PageError::Forbidden(m),
            // Field errors are shown in the form by the handler; reaching here is a bug.
            CommandError::Lifecycle(_)
            | CommandError::Invalid(_)
            | CommandError::PersonalData(_)
            | CommandError::TooMany { .. } => PageError::BadRequest,
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> Self {
        tracing::error!(error = %crate::telemetry::escaped(&e), "template failure");
        PageError::Internal
    }
}

/// Checks and hashes a new password on the blocking pool (argon2 is deliberately slow). The user's
/// own words make a password weak: the address, the name and the organisation's name count as
/// known words. The one path of every page that sets a password (adding a user, a reset link).
pub async fn hash_new_password(
    state: &crate::web::AppState,
    password: &str,
    email: &str,
    name: &str,
) -> Result<Result<String, crate::auth::PasswordError>, PageError> {
    let password = password.to_string();
    let inputs = [email.to_string(), name.to_string(), state.settings.organisation.name.clone()];
    web::block(move || {
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        crate::auth::hash_password(&password, &inputs)
    })
    .await
    .map_err(|_| PageError::Internal)
}

/// A 303 to `to`.
pub fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_string())).finish()
}

/// An HTML answer that is never cached (pages show live, tenant-bound data).
pub fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// Renders a page template with 200.
pub fn render(page: impl Template) -> Result<HttpResponse, PageError> {
    Ok(html(StatusCode::OK, page.render()?))
}

/// Renders a page template with `status` (e.g. 422 when a form comes back with errors).
pub fn render_with(status: StatusCode, page: impl Template) -> Result<HttpResponse, PageError> {
    Ok(html(status, page.render()?))
}

/// Registers the pages.
pub fn configure(cfg: &mut web::ServiceConfig, body_limit: usize) {
    cfg.app_data(web::FormConfig::default().limit(body_limit).error_handler(|_err, _req| {
        actix_web::error::InternalError::from_response("form", PageError::BadRequest.error_response()).into()
    }))
    .route("/assets/{name}", web::get().to(assets::serve))
    .route("/login", web::get().to(session::login_page))
    .route("/login", web::post().to(session::login))
    .route("/logout", web::get().to(session::logout_page))
    .route("/logout", web::post().to(session::logout))
    .route("/", web::get().to(dashboard::page))
    .route("/mails/requeue", web::post().to(dashboard::requeue))
    .route("/report", web::get().to(report::page))
    .route("/report", web::post().to(report::submit))
    .route("/report/received/{id}", web::get().to(report::receipt))
    .route("/incidents/{id}", web::get().to(incident::page))
    .route("/incidents/{id}/events", web::post().to(incident::event))
    .route("/incidents/{id}/edit", web::post().to(incident::edit))
    .route("/incidents/{id}/ap-report", web::get().to(incident::ap_report))
    .route("/incidents/{id}/ap-report.txt", web::get().to(incident::ap_report_text))
    .route("/incidents/{id}/ap-report.pdf", web::get().to(incident::ap_report_pdf))
    .route("/register", web::get().to(register::page))
    .route("/register.csv", web::get().to(register::csv))
    .route("/register.json", web::get().to(register::json))
    .route("/reset/{secret}", web::get().to(reset::page))
    .route("/reset/{secret}", web::post().to(reset::submit))
    .route("/profile", web::get().to(profile::page))
    .route("/profile/calendar", web::post().to(profile::make_calendar))
    .route("/profile/calendar/stop", web::post().to(profile::stop_calendar))
    .route("/admin", web::get().to(admin::overview))
    .route("/admin/clients", web::post().to(admin::add_client))
    .route("/admin/clients/{slug}/profile", web::get().to(client_profile::show))
    .route("/admin/clients/{slug}/profile", web::post().to(client_profile::save))
    .route("/admin/clients/{slug}", web::post().to(admin::edit_client))
    .route("/admin/users", web::post().to(admin::add_user))
    .route("/admin/users/{id}", web::post().to(admin::edit_user))
    .route("/admin/users/{id}/reset", web::post().to(admin::send_reset))
    .route("/admin/tokens", web::post().to(admin::add_token))
    .route("/admin/tokens/{id}/revoke", web::post().to(admin::revoke_token))
    .route("/admin/channels", web::get().to(admin_channels::overview))
    .route("/admin/channels", web::post().to(admin_channels::add))
    .route("/admin/channels/{id}/test", web::post().to(admin_channels::test))
    .route("/admin/channels/{id}/remove", web::post().to(admin_channels::remove));
}

/// The 404 page for unknown paths.
pub async fn not_found() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
