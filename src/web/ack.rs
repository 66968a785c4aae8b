//! The one-click acknowledgement link of DPO mails: `GET /ack/{token}` shows what will be recorded
//! and asks for one click; the POST records `acknowledge` for that DPO. Tokens are signed, single
//! use, bound to the incident and its client's DPO, and expire after seven days.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::AppState;
use super::error::ApiError;
use super::pages::Ui;
use crate::app::acknowledge::{AckOutcome, acknowledge_by_link};
use crate::domain::local_time;
use crate::domain::locale::Locale;
use crate::domain::texts;
use crate::storage::ack::{self, AckRefusal};
use crate::storage::{StorageError, directory, incidents};

/// What the page shows.
pub enum AckView {
    /// Ask for the click.
    Confirm {
        /// Incident reference.
        reference: String,
        /// "received by the DPO (x) at …".
        recorded_as: String,
    },
    /// Recorded.
    Done {
        /// Incident reference.
        reference: String,
        /// What was recorded.
        recorded_as: String,
    },
    /// Not valid.
    Refused {
        /// Why, in words.
        why: String,
    },
}

#[derive(Template)]
#[template(path = "ack.html")]
struct AckPage {
    ui: Ui,
    view: AckView,
}

fn page(status: StatusCode, locale: Locale, view: AckView) -> HttpResponse {
    let body = AckPage { ui: Ui::new(locale), view }.render().unwrap_or_else(|_| "art33".into());
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .insert_header((header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .content_type("text/html; charset=utf-8")
        .body(body)
}

fn refusal(refusal: AckRefusal, locale: Locale) -> HttpResponse {
    let (status, why) = match refusal {
        AckRefusal::Invalid => (StatusCode::NOT_FOUND, "ack-invalid"),
        AckRefusal::Expired => (StatusCode::GONE, "ack-expired"),
        AckRefusal::Used => (StatusCode::GONE, "ack-used"),
    };
    let why = texts::text(locale, why);
    page(status, locale, AckView::Refused { why: why.to_string() })
}

fn recorded_as(dpo: &str, at: chrono::DateTime<chrono::Utc>, locale: Locale) -> String {
    let when = format!("{} ({})", local_time::format_local(at, locale), local_time::format_utc(at));
    texts::text_with(locale, "ack-received", &[("dpo", dpo), ("when", &when)])
}

/// `GET /ack/{token}`.
pub async fn show(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner();
    let key = state.settings.server.secret_key.expose().clone();
    let now = state.clock.now();
    let found = state
        .db
        .run(move |conn| {
            let grant = match ack::check(conn, &key, &token, now)? {
                Ok(grant) => grant,
                Err(r) => return Ok(Err(r)),
            };
            let incident = incidents::load(conn, &grant.incident_id)?.ok_or(StorageError::NotFound)?;
            let client = directory::client_by_id(conn, &incident.client_id)?.ok_or(StorageError::NotFound)?;
            Ok(Ok((grant, incident.reference, client.locale)))
        })
        .await;
    Ok(match found {
        Ok(Ok((grant, reference, locale))) => page(
            StatusCode::OK,
            locale,
            AckView::Confirm { reference, recorded_as: recorded_as(&grant.dpo_email, now, locale) },
        ),
        Ok(Err(r)) => refusal(r, Locale::Nl),
        Err(StorageError::NotFound) => refusal(AckRefusal::Invalid, Locale::Nl),
        Err(e) => return Err(e.into()),
    })
}

/// `POST /ack/{token}`.
pub async fn record(
    state: web::Data<AppState>,
    path: web::Path<String>,
    _req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner();
    let key = state.settings.server.secret_key.expose().clone();
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let done = acknowledge_by_link(conn, &key, &token, now, &policy);
            let locale = match &done {
                Ok((_, Some(incident))) => {
                    directory::client_by_id(conn, &incident.client_id)?.map(|c| c.locale).unwrap_or_default()
                }
                _ => Locale::Nl,
            };
            Ok::<_, StorageError>((done, locale))
        })
        .await?;
    Ok(match outcome {
        (Ok((AckOutcome::Recorded, Some(incident))), locale) => {
            let dpo = incident.acknowledged_by.clone().unwrap_or_default();
            let at = incident.acknowledged_at.unwrap_or(now);
            page(
                StatusCode::OK,
                locale,
                AckView::Done { reference: incident.reference, recorded_as: recorded_as(&dpo, at, locale) },
            )
        }
        (Ok((AckOutcome::Refused(r), _)), locale) => refusal(r, locale),
        (Ok((AckOutcome::Recorded, None)), locale) => refusal(AckRefusal::Invalid, locale),
        (Err(e), _) => return Err(e.into()),
    })
}
