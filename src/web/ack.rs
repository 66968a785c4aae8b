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
use super::pages::i18n::from_accept_language;
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
    /// Already used: receipt was acknowledged; nothing is asked again.
    Already {
        /// Incident reference.
        reference: String,
        /// "Receipt was already acknowledged on …" (Amsterdam time and UTC).
        when: String,
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

/// The page of a refused link. A link we signed speaks its client's language, and a used one says
/// plainly when receipt was acknowledged, without asking again; any other link (malformed, unknown,
/// forged) speaks the browser's language (Accept-Language), as nothing ties it to a client.
async fn refusal(
    state: &AppState,
    req: &HttpRequest,
    token: String,
    refusal: AckRefusal,
) -> Result<HttpResponse, ApiError> {
    let key = state.settings.server.secret_key.expose().clone();
    let known = state
        .db
        .run(move |conn| {
            let Some(signed) = ack::signed_incident(conn, &key, &token)? else { return Ok(None) };
            let Some(incident) = incidents::load(conn, &signed.incident_id)? else { return Ok(None) };
            let locale =
                directory::client_by_id(conn, &incident.client_id)?.map(|c| c.locale).unwrap_or_default();
            let when = incident.acknowledged_at.or(signed.used_at);
            Ok::<_, StorageError>(Some((locale, incident.reference, when)))
        })
        .await?;
    let (status, why) = match refusal {
        AckRefusal::Invalid => (StatusCode::NOT_FOUND, "ack-invalid"),
        AckRefusal::Expired => (StatusCode::GONE, "ack-expired"),
        AckRefusal::Used => (StatusCode::GONE, "ack-used"),
    };
    Ok(match known {
        Some((locale, reference, Some(at))) if refusal == AckRefusal::Used => {
            let when = texts::text_with(locale, "ack-already", &[("when", &moment(at, locale))]);
            page(status, locale, AckView::Already { reference, when })
        }
        Some((locale, _, _)) => {
            page(status, locale, AckView::Refused { why: texts::text(locale, why).into() })
        }
        None => {
            let locale = from_accept_language(req);
            page(status, locale, AckView::Refused { why: texts::text(locale, why).into() })
        }
    })
}

/// An instant as the acknowledgement pages show it: Amsterdam time, then UTC.
fn moment(at: chrono::DateTime<chrono::Utc>, locale: Locale) -> String {
    format!("{} ({})", local_time::format_local(at, locale), local_time::format_utc(at))
}

fn recorded_as(dpo: &str, at: chrono::DateTime<chrono::Utc>, locale: Locale) -> String {
    texts::text_with(locale, "ack-received", &[("dpo", dpo), ("when", &moment(at, locale))])
}

/// `GET /ack/{token}`.
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner();
    let asked = token.clone();
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
        Ok(Err(r)) => refusal(&state, &req, asked, r).await?,
        Err(StorageError::NotFound) => refusal(&state, &req, asked, AckRefusal::Invalid).await?,
        Err(e) => return Err(e.into()),
    })
}

/// `POST /ack/{token}`.
pub async fn record(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner();
    let asked = token.clone();
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
        (Ok((AckOutcome::Refused(r), _)), _) => refusal(&state, &req, asked, r).await?,
        (Ok((AckOutcome::Recorded, None)), _) => refusal(&state, &req, asked, AckRefusal::Invalid).await?,
        (Err(e), _) => return Err(e.into()),
    })
}
