//! The breach register (art. 33(5)) in the UI: every incident in the caller's scope with its facts,
//! effects, remedial action and decisions, and downloads as CSV and JSON with the audit chain head.
//! Every download is recorded in the audit trail.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::{Nav, PageError, PageSession, Ui, render};
use crate::app::export as register;
use crate::domain::authz::{self, Action};
use crate::domain::register::RegisterEntry;
use crate::storage::incidents::{self, ListFilter};
use crate::web::{AppState, Disposition, file_response};

#[derive(Template)]
#[template(path = "pages/register.html")]
struct RegisterPage {
    ui: Ui,
    nav: Option<Nav>,
    entries: Vec<RegisterEntry>,
}

fn require_register(session: &PageSession) -> Result<(), PageError> {
    authz::authorize(session.principal(), Action::ExportRegister, None)
        .map_err(|e| PageError::Forbidden(e.to_string()))
}

/// `GET /register`.
pub async fn page(state: web::Data<AppState>, session: PageSession) -> Result<HttpResponse, PageError> {
    require_register(&session)?;
    let scope = session.principal().scope();
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let mut items =
        state.db.run(move |conn| incidents::list(conn, &scope, &ListFilter::default(), now, &policy)).await?;
    items.sort_by_key(|i| std::cmp::Reverse(i.reported_at));
    let entries = items.iter().map(|i| RegisterEntry::of(i, now, &state.settings.escalation)).collect();
    render(RegisterPage { ui: session.ui, nav: Some(session.nav), entries })
}

async fn download(
    state: &AppState,
    session: PageSession,
    format: &'static str,
) -> Result<HttpResponse, PageError> {
    require_register(&session)?;
    let principal = session.principal().clone();
    let scope = principal.scope();
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let export = state
        .db
        .run(move |conn| register::export(conn, &principal.email, &scope, None, format, now, &policy))
        .await?;
    let entries: Vec<RegisterEntry> =
        export.incidents.iter().map(|i| RegisterEntry::of(i, now, &state.settings.escalation)).collect();
    let (bytes, content_type) = match format {
        "json" => (
            crate::export::register_json(&entries, &export.head, None, now)
                .map_err(|_| PageError::Internal)?,
            "application/json",
        ),
        _ => (
            crate::export::register_csv(&entries, &export.head).map_err(|_| PageError::Internal)?,
            "text/csv; charset=utf-8",
        ),
    };
    let file = format!("art33-register-{}.{format}", now.format("%Y%m%d-%H%M"));
    Ok(file_response(content_type, Disposition::Attachment, &file, bytes))
}

/// `GET /register.csv`.
pub async fn csv(state: web::Data<AppState>, session: PageSession) -> Result<HttpResponse, PageError> {
    download(&state, session, "csv").await
}

/// `GET /register.json`.
pub async fn json(state: web::Data<AppState>, session: PageSession) -> Result<HttpResponse, PageError> {
    download(&state, session, "json").await
}
