//! `/api/v1/incidents` and below.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use super::views::{AlertList, AlertView, DeliveryView, IncidentList, IncidentView, Timeline, TimelineItem};
use crate::app;
use crate::app::page::PageRequest;
use crate::app::report::{IdempotencyKey, Report};
use crate::crypto;
use crate::domain::ids::IncidentId;
use crate::domain::incident::{FactsPatch, NewIncident, State};
use crate::domain::input::Object;
use crate::storage::incidents::ListFilter;
use crate::web::error::ApiError;
use crate::web::extract::ApiCaller;
use crate::web::{AppState, Disposition, file_response};

/// Query of `GET /api/v1/incidents`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only incidents in this state (`reported`, `confirmed`, …).
    pub state: Option<String>,
    /// Only incidents of this client (slug).
    pub client: Option<String>,
    /// `true`: only incidents whose deadline passed while the clock runs.
    pub overdue: Option<bool>,
    /// Incidents per page: 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Query of `GET /api/v1/incidents/{id}/timeline`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page: 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The page a query asks for: a limit out of range is 422 naming `limit`, a cursor this service did
/// not hand out is 400.
fn page_request<C: serde::de::DeserializeOwned>(
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<PageRequest<C>, ApiError> {
    PageRequest::parse(limit, cursor).map_err(ApiError::from)?.map_err(|malformed| {
        let mut e = ApiError::bad_request(malformed.to_string());
        e.field = Some("cursor".into());
        e
    })
}

/// The longest accepted `Idempotency-Key`.
const IDEMPOTENCY_KEY_MAX: usize = 200;

fn object(body: Value) -> Result<Object, ApiError> {
    match body {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::bad_request("the body must be a JSON object")),
    }
}

fn view(state: &AppState, incident: &crate::domain::incident::Incident) -> IncidentView {
    IncidentView::new(incident, state.clock.now(), &state.settings.escalation)
}

/// Report a suspected leak.
#[utoipa::path(
    post,
    path = "/api/v1/incidents",
    tag = "incidents",
    request_body(content = super::openapi::NewIncidentDoc, description = "What the reporter knows"),
    params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key returns the first answer")),
    responses(
        (status = 201, description = "Reported", body = IncidentView, headers(("Location" = String, description = "The incident's URL"))),
        (status = 400, description = "Malformed JSON", body = super::views::ErrorBody),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
        (status = 413, description = "Body too large", body = super::views::ErrorBody),
        (status = 422, description = "A field is missing or invalid (`invalid`), or free text looks like personal data (`personal_data_detected`)", body = super::views::ErrorBody),
        (status = 429, description = "More than `server.reports_per_minute` reports by this caller in the last minute (`too_many_requests`, with `Retry-After`)", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    req: HttpRequest,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let body = object(body.into_inner())?;
    let now = state.clock.now();
    let new = NewIncident::parse(&body, now).map_err(ApiError::from)?;
    let idempotency = idempotency_key(&req, &body)?;
    let principal = caller.0;
    let per_minute = state.settings.server.reports_per_minute;
    let report = Report { new, idempotency, per_minute };
    let policy = state.settings.escalation.clone();
    let (incident, _replayed) =
        app::report::report_grouped(&state.db, principal, report, now, policy).await?;
    let location = format!("/api/v1/incidents/{}", incident.id);
    Ok(HttpResponse::Created().insert_header((header::LOCATION, location)).json(view(&state, &incident)))
}

fn idempotency_key(req: &HttpRequest, body: &Object) -> Result<Option<IdempotencyKey>, ApiError> {
    let Some(value) = req.headers().get("Idempotency-Key") else { return Ok(None) };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= IDEMPOTENCY_KEY_MAX)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "Idempotency-Key must be 1–{IDEMPOTENCY_KEY_MAX} visible characters"
            ))
        })?;
    let canonical = serde_json::to_string(body).unwrap_or_default();
    Ok(Some(IdempotencyKey { key: key.to_string(), request_digest: crypto::sha256_hex(canonical) }))
}

/// The caller's incidents: running clocks first by deadline.
#[utoipa::path(
    get,
    path = "/api/v1/incidents",
    tag = "incidents",
    params(ListQuery),
    responses(
        (status = 200, description = "The incidents the caller may see", body = IncidentList),
        (status = 400, description = "Malformed query or cursor", body = super::views::ErrorBody),
        (status = 422, description = "`limit` out of range", body = super::views::ErrorBody),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let filter = ListFilter {
        state: match query.state.as_deref() {
            None | Some("") => None,
            Some(s) => Some(State::parse(s).ok_or_else(|| {
                let mut e = ApiError::bad_request(format!(
                    "state must be one of {}",
                    State::ALL.map(State::as_str).join(", ")
                ));
                e.field = Some("state".into());
                e
            })?),
        },
        client: query.client.filter(|c| !c.is_empty()),
        overdue: query.overdue.unwrap_or(false),
    };
    let request = page_request(query.limit, query.cursor.as_deref())?;
    let principal = caller.0;
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let page =
        state.db.run(move |conn| app::read::list(conn, &principal, &filter, &request, now, &policy)).await?;
    let items = page.items.iter().map(|i| IncidentView::new(i, now, &state.settings.escalation)).collect();
    Ok(HttpResponse::Ok().json(IncidentList { items, next_cursor: page.next_cursor }))
}

/// One incident.
#[utoipa::path(
    get,
    path = "/api/v1/incidents/{id}",
    tag = "incidents",
    params(("id" = String, Path, description = "The incident's UUID")),
    responses(
        (status = 200, description = "The incident", body = IncidentView),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
        (status = 404, description = "No such incident (or another client's)", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<IncidentId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let principal = caller.0;
    let incident = state.db.run(move |conn| app::read::get(conn, &principal, &id)).await?;
    Ok(HttpResponse::Ok().json(view(&state, &incident)))
}

/// Edit the facts (any writable field of NewIncident; null clears an optional one).
#[utoipa::path(
    patch,
    path = "/api/v1/incidents/{id}",
    tag = "incidents",
    params(("id" = String, Path, description = "The incident's UUID")),
    request_body(content = super::openapi::PatchDoc, description = "The fields to change"),
    responses(
        (status = 200, description = "The incident after the change", body = IncidentView),
        (status = 400, description = "Malformed JSON", body = super::views::ErrorBody),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
        (status = 403, description = "Not allowed for this role", body = super::views::ErrorBody),
        (status = 404, description = "No such incident", body = super::views::ErrorBody),
        (status = 409, description = "Closed incidents cannot be edited", body = super::views::ErrorBody),
        (status = 422, description = "A field is invalid", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn patch(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<IncidentId>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let patch = FactsPatch::parse(&object(body.into_inner())?).map_err(ApiError::from)?;
    let principal = caller.0;
    let now = state.clock.now();
    let incident = state.db.run(move |conn| app::patch::patch(conn, &principal, &id, &patch, now)).await?;
    Ok(HttpResponse::Ok().json(view(&state, &incident)))
}

/// Apply a lifecycle event (`{"type": EVENT, …fields}`).
#[utoipa::path(
    post,
    path = "/api/v1/incidents/{id}/events",
    tag = "incidents",
    params(("id" = String, Path, description = "The incident's UUID")),
    request_body(content = super::openapi::EventDoc, description = "The event and its fields"),
    responses(
        (status = 200, description = "The incident after the event", body = IncidentView),
        (status = 400, description = "Malformed JSON", body = super::views::ErrorBody),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
        (status = 403, description = "Not allowed for this role", body = super::views::ErrorBody),
        (status = 404, description = "No such incident", body = super::views::ErrorBody),
        (status = 409, description = "The lifecycle does not allow this event now", body = super::views::ErrorBody),
        (status = 422, description = "A field is missing or invalid", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn event(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<IncidentId>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let body = object(body.into_inner())?;
    let principal = caller.0;
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let incident = state
        .db
        .run(move |conn| app::apply_event::apply_event(conn, &principal, &id, &body, now, &policy))
        .await?;
    Ok(HttpResponse::Ok().json(view(&state, &incident)))
}

/// The incident's audit events, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/incidents/{id}/timeline",
    tag = "incidents",
    params(("id" = String, Path, description = "The incident's UUID"), PageQuery),
    responses(
        (status = 200, description = "The timeline", body = Timeline),
        (status = 400, description = "Malformed query or cursor", body = super::views::ErrorBody),
        (status = 422, description = "`limit` out of range", body = super::views::ErrorBody),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
        (status = 404, description = "No such incident", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn timeline(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<IncidentId>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let request = page_request(query.limit, query.cursor.as_deref())?;
    let principal = caller.0;
    let page = state.db.run(move |conn| app::read::timeline_page(conn, &principal, &id, &request)).await?;
    Ok(HttpResponse::Ok().json(Timeline {
        items: page.items.into_iter().map(TimelineItem::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// The incident's alert schedule, by `due_at`, with each mail's delivery state.
#[utoipa::path(
    get,
    path = "/api/v1/incidents/{id}/alerts",
    tag = "incidents",
    params(("id" = String, Path, description = "The incident's UUID")),
    responses(
        (status = 200, description = "The alerts", body = AlertList),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
        (status = 404, description = "No such incident", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn alerts(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<IncidentId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let principal = caller.0;
    let schedule = state.db.run(move |conn| app::read::alerts(conn, &principal, &id)).await?;
    let items = schedule
        .into_iter()
        .map(|(alert, mails)| AlertView {
            code: alert.code.as_str().to_string(),
            due_at: alert.due_at,
            status: alert.status,
            fired_at: alert.fired_at,
            recipients: alert.recipients,
            repeat_no: alert.repeat_no,
            deliveries: mails.iter().map(DeliveryView::from).collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(AlertList { items }))
}

/// Query of the AP draft: its language (default: the client's).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DraftQuery {
    /// `nl` or `en`.
    pub lang: Option<String>,
}

async fn draft_of(
    state: &AppState,
    caller: ApiCaller,
    id: IncidentId,
    lang: Option<&str>,
) -> Result<crate::web::drafts::DraftDocument, ApiError> {
    let principal = caller.0;
    let (incident, client) = state.db.run(move |conn| app::read::with_client(conn, &principal, &id)).await?;
    let locale = match lang {
        None | Some("") => client.locale,
        Some(code) => crate::domain::locale::Locale::parse(code).ok_or_else(|| {
            let mut e = ApiError::bad_request("lang must be nl or en");
            e.field = Some("lang".into());
            e
        })?,
    };
    Ok(crate::web::drafts::document(&state.settings, &incident, &client, locale, state.clock.now()))
}

/// The draft AP notification, question by question as the AP's form asks, with provenance, and the
/// letters to data subjects (`subject_letters`: `locale`, `draft_note`, `subject`, `body`; one per
/// language of the client's data subjects, empty when no letter is proposed).
#[utoipa::path(
    get,
    path = "/api/v1/incidents/{id}/ap-report",
    tag = "incidents",
    params(("id" = String, Path, description = "The incident's UUID"), DraftQuery),
    responses(
        (status = 200, description = "The draft", body = Object),
        (status = 400, description = "Malformed query", body = super::views::ErrorBody),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
        (status = 404, description = "No such incident", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn ap_report(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<IncidentId>,
    query: web::Query<DraftQuery>,
) -> Result<HttpResponse, ApiError> {
    let draft = draft_of(&state, caller, path.into_inner(), query.lang.as_deref()).await?;
    Ok(HttpResponse::Ok().json(draft))
}

/// The same draft as text, one question per block, ready to paste into the AP's web form, then the
/// letters to data subjects.
#[utoipa::path(
    get,
    path = "/api/v1/incidents/{id}/ap-report.txt",
    tag = "incidents",
    params(("id" = String, Path, description = "The incident's UUID"), DraftQuery),
    responses(
        (status = 200, description = "The draft as text", body = String, content_type = "text/plain"),
        (status = 400, description = "Malformed query", body = super::views::ErrorBody),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
        (status = 404, description = "No such incident", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn ap_report_text(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<IncidentId>,
    query: web::Query<DraftQuery>,
) -> Result<HttpResponse, ApiError> {
    let draft = draft_of(&state, caller, path.into_inner(), query.lang.as_deref()).await?;
    let text = crate::web::drafts::text(&draft);
    let file = crate::web::drafts::file_name(&draft.draft.reference, "txt");
    Ok(file_response("text/plain; charset=utf-8", Disposition::Inline, &file, text))
}

/// The same draft and letters as a PDF (embedded font).
#[utoipa::path(
    get,
    path = "/api/v1/incidents/{id}/ap-report.pdf",
    tag = "incidents",
    params(("id" = String, Path, description = "The incident's UUID"), DraftQuery),
    responses(
        (status = 200, description = "The draft as PDF", body = Vec<u8>, content_type = "application/pdf"),
        (status = 400, description = "Malformed query", body = super::views::ErrorBody),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
        (status = 404, description = "No such incident", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn ap_report_pdf(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<IncidentId>,
    query: web::Query<DraftQuery>,
) -> Result<HttpResponse, ApiError> {
    let draft = draft_of(&state, caller, path.into_inner(), query.lang.as_deref()).await?;
    let file = crate::web::drafts::file_name(&draft.draft.reference, "pdf");
    let bytes =
        web::block(move || crate::web::drafts::pdf(&draft)).await.map_err(|_| ApiError::internal())?;
    Ok(file_response("application/pdf", Disposition::Inline, &file, bytes))
}
