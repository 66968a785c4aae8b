//! `GET /healthz` and `GET /metrics`.

use std::fmt::Write as _;
use std::time::Duration;

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, web};
use chrono::Duration as ChronoDuration;

use super::AppState;
use crate::storage::{StorageError, alerts, outbox};

/// How long the health check waits for the database.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(3);

fn unavailable(reason: &str) -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .content_type(ContentType::plaintext())
        .body(format!("unavailable: {reason}"))
}

/// 200 `ok` when the database answers and nothing due waits longer than
/// `scheduler.stuck_after_seconds`; 503 with the reason otherwise.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let now = state.clock.now();
    let stuck_after = ChronoDuration::seconds(state.settings.scheduler.stuck_after_seconds as i64);
    let check =
        state.db.run(move |conn| Ok((alerts::oldest_due(conn, now)?, outbox::stats(conn, now)?.oldest_due)));
    match tokio::time::timeout(DATABASE_TIMEOUT, check).await {
        Ok(Ok((oldest_alert, oldest_mail))) => {
            if let Some(due) = oldest_alert.filter(|due| now - *due > stuck_after) {
                return unavailable(&format!(
                    "an alert due since {} has not fired (is the scheduler stuck?)",
                    due.format("%Y-%m-%dT%H:%M:%SZ")
                ));
            }
            if let Some(due) = oldest_mail.filter(|due| now - *due > stuck_after) {
                return unavailable(&format!(
                    "a mail due since {} has not been attempted (is the outbox stuck?)",
                    due.format("%Y-%m-%dT%H:%M:%SZ")
                ));
            }
            HttpResponse::Ok().content_type(ContentType::plaintext()).body("ok")
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            unavailable("database does not answer")
        }
        Err(_) => unavailable("database timed out"),
    }
}

/// Prometheus text exposition: alerts by code and status, outbox figures, alert lag.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let now = state.clock.now();
    let figures = state
        .db
        .run(move |conn| {
            let counts = alerts::counts(conn)?;
            let mail = outbox::stats(conn, now)?;
            let mut lags = alerts::recent_lags(conn, now - ChronoDuration::hours(24))?;
            lags.sort_by(|a, b| a.total_cmp(b));
            let incidents = crate::storage::incidents::count_by_state(conn)?;
            Ok::<_, StorageError>((counts, mail, lags, incidents))
        })
        .await;
    let Ok((counts, mail, lags, incidents)) = figures else {
        return HttpResponse::ServiceUnavailable().content_type(ContentType::plaintext()).body("unavailable");
    };
    let mut body = String::new();
    let _ = writeln!(
        body,
        "# HELP art33_build_info Build and backend of this process.\n# TYPE art33_build_info gauge"
    );
    let _ = writeln!(
        body,
        "art33_build_info{{version=\"{}\",backend=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION"),
        state.db.backend().name()
    );
    let _ = writeln!(
        body,
        "# HELP art33_alerts Alerts by code and status (sent = fired).\n# TYPE art33_alerts gauge"
    );
    for (code, status, n) in counts {
        let _ = writeln!(body, "art33_alerts{{code=\"{code}\",status=\"{status}\"}} {n}");
    }
    let _ = writeln!(body, "# HELP art33_incidents Incidents by state.\n# TYPE art33_incidents gauge");
    for (incident_state, n) in incidents {
        let _ = writeln!(body, "art33_incidents{{state=\"{incident_state}\"}} {n}");
    }
    let _ =
        writeln!(body, "# HELP art33_outbox_mails Outbox rows by status.\n# TYPE art33_outbox_mails gauge");
    for (status, n) in [("pending", mail.pending), ("sent", mail.sent), ("failed", mail.failed)] {
        let _ = writeln!(body, "art33_outbox_mails{{status=\"{status}\"}} {n}");
    }
    let oldest = mail.oldest_due.map_or(0, |due| (now - due).num_seconds().max(0));
    let _ = writeln!(
        body,
        "# HELP art33_outbox_oldest_due_seconds Age of the oldest mail due and not yet attempted.\n# TYPE art33_outbox_oldest_due_seconds gauge\nart33_outbox_oldest_due_seconds {oldest}"
    );
    let _ = writeln!(
        body,
        "# HELP art33_alert_lag_seconds fired_at - due_at of the alerts fired in the last 24 hours.\n# TYPE art33_alert_lag_seconds summary"
    );
    for (quantile, value) in
        [("0.5", quantile_of(&lags, 0.5)), ("0.99", quantile_of(&lags, 0.99)), ("1", lags.last().copied())]
    {
        let _ = writeln!(body, "art33_alert_lag_seconds{{quantile=\"{quantile}\"}} {}", value.unwrap_or(0.0));
    }
    let _ = writeln!(body, "art33_alert_lag_seconds_count {}", lags.len());
    let _ = writeln!(body, "art33_alert_lag_seconds_sum {}", lags.iter().sum::<f64>());
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(body)
}

fn quantile_of(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(index).copied()
}
