//! `GET /healthz` and `GET /metrics`.

use std::fmt::Write as _;
use std::time::Duration;

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, web};
use chrono::Duration as ChronoDuration;

use super::AppState;
use crate::scheduler::LoopName;
use crate::scheduler::liveness::LoopStatus;
use crate::storage::{StorageError, alerts, outbox};

/// How long the health check waits for the database.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(3);

/// 200 `ok` when the database answers, the scheduler's loops make progress, nothing due waits
/// longer than `scheduler.stuck_after_seconds` and the mail relay works; otherwise 503 with the
/// reason codes, one per line after `unavailable` (no instants, no counts):
/// `database_unavailable`, `tick_loop_stalled`, `mail_loop_stalled`, `alert_overdue`,
/// `mail_overdue`, `relay_failing`.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let now = state.clock.now();
    let stuck_after = ChronoDuration::seconds(state.settings.scheduler.stuck_after_seconds as i64);
    let mut reasons: Vec<&'static str> = Vec::new();
    let check = state.db.run(move |conn| {
        Ok::<_, StorageError>((alerts::waiting_since(conn, now)?, outbox::stats(conn, now)?.oldest_due))
    });
    match tokio::time::timeout(DATABASE_TIMEOUT, check).await {
        Ok(Ok((alert_waiting, mail_waiting))) => {
            if alert_waiting.is_some_and(|since| now - since > stuck_after) {
                reasons.push("alert_overdue");
            }
            if mail_waiting.is_some_and(|since| now - since > stuck_after) {
                reasons.push("mail_overdue");
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
    write_process_figures(&mut body, &state);
    let _ = writeln!(
        body,
        "# HELP art33_database_up Whether the database answered this scrape.\n# TYPE art33_database_up gauge\nart33_database_up {}",
        u8::from(figures.is_ok())
    );
    let Ok((counts, mail, lags, incidents)) = figures else {
        return HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(body);
    };
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

/// A per-loop series: its name, its help text, and how to read it off a loop.
type LoopSeries<T> = (&'static str, &'static str, fn(&LoopStatus) -> T);

/// The figures of this process alone: its scheduler loops and its deliveries.
fn write_process_figures(body: &mut String, state: &AppState) {
    let status = &state.scheduler;
    let gauges: [LoopSeries<Option<f64>>; 3] = [
        (
            "art33_scheduler_seconds_since_run",
            "Seconds since each scheduler loop of this process last completed a run.",
            LoopStatus::seconds_since_completed,
        ),
        (
            "art33_scheduler_seconds_since_progress",
            "Seconds since each scheduler loop of this process last showed progress (a run, a chunk of alerts, a mail).",
            LoopStatus::seconds_since_progress,
        ),
        (
            "art33_scheduler_last_run_seconds",
            "How long the last completed run of each scheduler loop took.",
            LoopStatus::last_run_seconds,
        ),
    ];
    for (name, help, value) in gauges {
        let _ = writeln!(body, "# HELP {name} {help}\n# TYPE {name} gauge");
        for loop_name in LoopName::ALL {
            if let Some(v) = value(status.of(loop_name)) {
                let _ = writeln!(body, "{name}{{loop=\"{}\"}} {v:.3}", loop_name.as_str());
            }
        }
    }
    let counters: [LoopSeries<u64>; 3] = [
        ("art33_scheduler_runs_total", "Runs completed by each scheduler loop.", LoopStatus::runs),
        (
            "art33_scheduler_panics_total",
            "Runs that panicked (caught; the loop went on).",
            LoopStatus::panics,
        ),
        (
            "art33_scheduler_restarts_total",
            "Times the supervisor restarted a stalled scheduler loop.",
            LoopStatus::restarts,
        ),
    ];
    for (name, help, value) in counters {
        let _ = writeln!(body, "# HELP {name} {help}\n# TYPE {name} counter");
        for loop_name in LoopName::ALL {
            let _ =
                writeln!(body, "{name}{{loop=\"{}\"}} {}", loop_name.as_str(), value(status.of(loop_name)));
        }
    }
    let _ = writeln!(
        body,
        "# HELP art33_scheduler_stalled Whether a scheduler loop is stalled (no progress within its budget).\n# TYPE art33_scheduler_stalled gauge"
    );
    for loop_name in LoopName::ALL {
        let _ = writeln!(
            body,
            "art33_scheduler_stalled{{loop=\"{}\"}} {}",
            loop_name.as_str(),
            u8::from(status.is_stalled(loop_name))
        );
    }
    let _ = writeln!(
        body,
        "# HELP art33_mail_attempts_total Delivery attempts of this process by outcome.\n# TYPE art33_mail_attempts_total counter"
    );
    for (outcome, n) in status.mail.attempts() {
        let _ = writeln!(body, "art33_mail_attempts_total{{outcome=\"{outcome}\"}} {n}");
    }
    let _ = writeln!(
        body,
        "# HELP art33_mail_lease_lost_total Mails whose lease another worker had taken before this one marked them (each may have been sent twice).\n# TYPE art33_mail_lease_lost_total counter\nart33_mail_lease_lost_total {}",
        status.mail.lease_lost()
    );
    let failing = status.mail.relay.failing_for().map_or(0.0, |d| d.as_secs_f64());
    let _ = writeln!(
        body,
        "# HELP art33_mail_relay_failing_seconds How long every delivery attempt of this process has failed (0: the last one succeeded).\n# TYPE art33_mail_relay_failing_seconds gauge\nart33_mail_relay_failing_seconds {failing:.3}"
    );
}

fn quantile_of(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(index).copied()
}
