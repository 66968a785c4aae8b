//! What the incident page's forms do: apply an event, edit the facts.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::Value;

use crate::app;
use crate::domain::ids::IncidentId;
use crate::domain::incident::FactsPatch;
use crate::domain::lifecycle::EventKind;
use crate::web::AppState;
use crate::web::pages::forms::{self, Fields, Shape};
use crate::web::pages::{PageError, PageSession, see_other};

use super::forms::*;
use super::view::*;

/// `POST /incidents/{id}/events`: one event from its form.
pub async fn event(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<IncidentId>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let fields = Fields::new(form.into_inner());
    session.check_csrf(fields.get("csrf"))?;
    let kind_name = fields.text("type").unwrap_or_default();
    let Some(kind) = EventKind::parse(&kind_name) else { return Err(PageError::BadRequest) };
    let spec: Vec<(&'static str, Shape)> =
        event_fields(kind, &session.ui).into_iter().map(|(f, s)| (f.name, s)).collect();
    let body = match forms::to_object(&fields, &spec) {
        Ok(mut body) => {
            body.insert("type".into(), Value::String(kind_name.clone()));
            body
        }
        Err(e) => return again(&state, session, id, Some(kind_name), FormError::invalid(fields, e)).await,
    };
    let principal = session.principal().clone();
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let target = id.clone();
    let outcome = state
        .db
        .run(move |conn| app::apply_event::apply_event(conn, &principal, &target, &body, now, &policy))
        .await;
    match outcome {
        Ok(_) => Ok(see_other(&format!("/incidents/{id}"))),
        Err(e) => {
            let refused = FormError::refused(fields, &session.ui, e)?;
            again(&state, session, id, Some(kind_name), refused).await
        }
    }
}

/// `POST /incidents/{id}/edit`: the facts form.
pub async fn edit(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<IncidentId>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let fields = Fields::new(form.into_inner());
    session.check_csrf(fields.get("csrf"))?;
    let patch = match edit_object(&fields).and_then(|o| FactsPatch::parse(&o)) {
        Ok(p) => p,
        Err(e) => return again(&state, session, id, None, FormError::invalid(fields, e)).await,
    };
    let principal = session.principal().clone();
    let now = state.clock.now();
    let target = id.clone();
    let outcome = state.db.run(move |conn| app::patch::patch(conn, &principal, &target, &patch, now)).await;
    match outcome {
        Ok(_) => Ok(see_other(&format!("/incidents/{id}"))),
        Err(e) => {
            let refused = FormError::refused(fields, &session.ui, e)?;
            again(&state, session, id, None, refused).await
        }
    }
}

/// The incident page again with a form that came back: the event form of `event`, or the facts
/// form.
async fn again(
    state: &web::Data<AppState>,
    session: PageSession,
    id: IncidentId,
    event: Option<String>,
    (failed, status): (FormError, StatusCode),
) -> Result<HttpResponse, PageError> {
    let submitted = match event {
        Some(kind) => Submitted { event: Some((kind, failed)), ..Default::default() },
        None => Submitted { edit: Some(failed), ..Default::default() },
    };
    show(state, session, id, submitted, status).await
}
