//! The draft AP notification and the letters to data subjects as pages: HTML with copy buttons,
//! text, PDF.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::app::{self};
use crate::domain::ids::IncidentId;
use crate::domain::incident::Incident;
use crate::web::pages::{Nav, PageError, PageSession, Ui, render};
use crate::web::{AppState, Disposition, file_response};

use super::missing::{Unanswered, unanswered};

#[derive(Template)]
#[template(path = "pages/ap_report.html")]
struct ApReportPage {
    ui: Ui,
    nav: Option<Nav>,
    id: String,
    draft: crate::domain::ap_report::ApDraft,
    letters: Vec<crate::domain::ap_report::SubjectLetter>,
    /// The required answers still missing (4.5 first), each with where to fill it in.
    unanswered: Vec<Unanswered>,
    /// "The AP form asks 32 questions for this breach: …".
    asked: String,
}

impl ApReportPage {
    fn provenance_key(&self, provenance: &crate::domain::ap_report::Provenance) -> &'static str {
        match provenance {
            crate::domain::ap_report::Provenance::Recorded => "ap-recorded",
            crate::domain::ap_report::Provenance::Derived => "ap-derived",
            crate::domain::ap_report::Provenance::Missing => "ap-missing",
        }
    }
}

async fn load_for_draft(
    state: &AppState,
    session: &PageSession,
    id: IncidentId,
) -> Result<(Incident, crate::domain::directory::Client), PageError> {
    let principal = session.principal().clone();
    Ok(state.db.run(move |conn| app::read::with_client(conn, &principal, &id)).await?)
}

/// `GET /incidents/{id}/ap-report`: the draft with a copy button per answer and a print layout.
pub async fn ap_report(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<IncidentId>,
) -> Result<HttpResponse, PageError> {
    let (incident, client) = load_for_draft(&state, &session, path.into_inner()).await?;
    let now = state.clock.now();
    let locale = session.ui.locale;
    let draft = crate::web::drafts::draft(&state.settings, &incident, &client, locale, now);
    let letters = crate::web::drafts::letters(&state.settings, &incident, &client, now);
    let unanswered = unanswered(&draft.unanswered(), locale, &incident.id.0, &client.slug);
    let c = draft.completeness;
    let asked = session.ui.t_with(
        "ap-summary-asked",
        &[
            ("asked", &c.asked.to_string()),
            ("total", &c.total.to_string()),
            ("on_form", &c.on_form_only.to_string()),
        ],
    );
    render(ApReportPage {
        ui: session.ui,
        nav: Some(session.nav),
        id: incident.id.0,
        draft,
        letters,
        unanswered,
        asked,
    })
}

/// `GET /incidents/{id}/ap-report.txt`: the draft as text, to paste into the AP's form.
pub async fn ap_report_text(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<IncidentId>,
) -> Result<HttpResponse, PageError> {
    let (incident, client) = load_for_draft(&state, &session, path.into_inner()).await?;
    let document = crate::web::drafts::document(
        &state.settings,
        &incident,
        &client,
        session.ui.locale,
        state.clock.now(),
    );
    Ok(file_response(
        "text/plain; charset=utf-8",
        Disposition::Attachment,
        &crate::web::drafts::file_name(&document.draft.reference, "txt"),
        crate::web::drafts::text(&document),
    ))
}

/// `GET /incidents/{id}/ap-report.pdf`.
pub async fn ap_report_pdf(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<IncidentId>,
) -> Result<HttpResponse, PageError> {
    let (incident, client) = load_for_draft(&state, &session, path.into_inner()).await?;
    let document = crate::web::drafts::document(
        &state.settings,
        &incident,
        &client,
        session.ui.locale,
        state.clock.now(),
    );
    let file = crate::web::drafts::file_name(&document.draft.reference, "pdf");
    let bytes =
        web::block(move || crate::web::drafts::pdf(&document)).await.map_err(|_| PageError::Internal)?;
    Ok(file_response("application/pdf", Disposition::Attachment, &file, bytes))
}
