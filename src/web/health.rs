//! `GET /healthz`, `GET /readyz` and `GET /metrics`. Each reads only bounded facts from the
//! database: at most one row off an index for `/healthz`, index-covered counts of the backlog for
//! `/metrics` (whose other figures are kept in memory, [`crate::telemetry::metrics`]).

use std::time::Duration;

use actix_web::http::header::{self, ContentType};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Duration as ChronoDuration;

use super::AppState;
use super::error::ApiError;
use crate::storage::{StorageError, alerts, incidents, outbox};
use crate::telemetry::metrics::{CONTENT_TYPE, DatabaseFigures};

/// How long the health check waits for the database.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(3);

/// 200 `ok` when the database answers, the scheduler's loops make progress, nothing due waits
/// longer than `scheduler.stuck_after_seconds` and the mail relay works; otherwise 503 with the
/// reason codes, one per line after `unavailable` (no instants, no counts):
/// `database_unavailable`, `alert_overdue`, `mail_overdue` (a mail), `webhook_overdue` (a post to
/// an alert channel), `tick_loop_stalled`, `mail_loop_stalled`, `webhook_loop_stalled`,
/// `relay_failing`.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let now = state.clock.now();
    let stuck_after = ChronoDuration::seconds(state.settings.scheduler.stuck_after_seconds as i64);
    let mut reasons: Vec<&'static str> = Vec::new();
    // Waiting longer than `stuck_after` is waiting since before `now - stuck_after`.
    let threshold = now - stuck_after;
    let check = state.db.run(move |conn| {
        Ok::<_, StorageError>((
            alerts::waiting_since_before(conn, threshold)?,
            outbox::oldest_due(conn, outbox::channel::MAIL, now)?.is_some_and(|due| due < threshold),
            outbox::oldest_due(conn, outbox::channel::WEBHOOK, now)?.is_some_and(|due| due < threshold),
        ))
    });
    match tokio::time::timeout(DATABASE_TIMEOUT, check).await {
        Ok(Ok((alert_overdue, mail_overdue, webhook_overdue))) => {
            if alert_overdue {
                reasons.push("alert_overdue");
            }
            if mail_overdue {
                reasons.push("mail_overdue");
            }
            if webhook_overdue {
                reasons.push("webhook_overdue");
            }
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %crate::telemetry::escaped(&e), "health check: database unavailable");
            reasons.push("database_unavailable");
        }
        Err(_) => reasons.push("database_unavailable"),
    }
    reasons.extend(state.scheduler.stalled_reasons());
    let relay_limit = Duration::from_secs(state.settings.mail.relay_failing_after_seconds);
    if state.scheduler.mail.relay.failing_for().is_some_and(|failing| failing >= relay_limit) {
        reasons.push("relay_failing");
    }
    if reasons.is_empty() {
        HttpResponse::Ok().content_type(ContentType::plaintext()).body("ok")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type(ContentType::plaintext())
            .body(format!("unavailable\n{}\n", reasons.join("\n")))
    }
}

/// 200 `ok` when this process can serve requests (its database answers); 503
/// `unavailable\ndatabase_unavailable\n` otherwise. For load balancers: unlike `/healthz`, a failing
/// mail relay or a stalled scheduler loop does not take the replica out of service, since its pages
/// and API still work and every replica fires alerts.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match tokio::time::timeout(DATABASE_TIMEOUT, state.db.ping()).await {
        Ok(Ok(())) => HttpResponse::Ok().content_type(ContentType::plaintext()).body("ok"),
        _ => HttpResponse::ServiceUnavailable()
            .content_type(ContentType::plaintext())
            .body("unavailable\ndatabase_unavailable\n"),
    }
}

/// `GET /metrics` on the main port, routed only when `server.metrics_token` is set: 401
/// `unauthenticated` without `Authorization: Bearer <token>` (compared in constant time).
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let Some(token) = &state.settings.server.metrics_token else { return Err(ApiError::not_found()) };
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    match presented {
        Some(presented)
            if crate::crypto::constant_time_eq(presented.as_bytes(), token.expose().as_bytes()) =>
        {
            Ok(metrics_unguarded(state).await)
        }
        Some(_) => Err(ApiError::unauthenticated("the metrics token is not valid")),
        None => Err(ApiError::unauthenticated("an Authorization: Bearer TOKEN header is required")),
    }
}

/// The Prometheus text exposition, as `server.metrics_listen` serves it (no token there).
pub async fn metrics_unguarded(state: web::Data<AppState>) -> HttpResponse {
    let now = state.clock.now();
    let read = state.db.run(move |conn| {
        Ok::<_, StorageError>(DatabaseFigures {
            now,
            outbox: outbox::backlog(conn, outbox::channel::MAIL, now)?,
            webhooks: outbox::backlog(conn, outbox::channel::WEBHOOK, now)?,
            open_incidents: incidents::count_open_by_state(conn)?,
        })
    });
    let figures = match tokio::time::timeout(DATABASE_TIMEOUT, read).await {
        Ok(Ok(figures)) => Some(figures),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "metrics: database unavailable");
            None
        }
        Err(_) => None,
    };
    HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(state.metrics.encode(figures.as_ref()))
}
