//! The process's metrics, kept in memory with prometheus-client and moved where things happen:
//! the scheduler counts the alerts a committed tick moved, the deliverer counts its attempts
//! ([`crate::notify::delivery::DeliveryStats`]), the request logger counts the requests, and the
//! scheduler's loops keep their own figures ([`crate::scheduler::Status`], read at each scrape by a
//! collector). A scrape adds the few facts that are global across replicas (the outbox backlog, the
//! undecided incidents), read from the database through bounded, indexed queries
//! ([`DatabaseFigures`]).
//!
//! Names and meanings are in `docs/API.md` §9 and `docs/OPERATIONS.md` ("What to watch").

use std::sync::Arc;

use chrono::{DateTime, Utc};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::Registry;

use crate::app::fire::TickReport;
use crate::scheduler::liveness::LoopStatus;
use crate::scheduler::{LoopName, Status};
use crate::storage::alerts::AlertStatus;
use crate::storage::outbox::Backlog;

/// The `Content-Type` of `/metrics`: the Prometheus text format, version 0.0.4.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// Buckets of `art33_alert_lag_seconds`: a tick is seconds, a paused or stopped scheduler minutes
/// to days.
const LAG_BUCKETS: [f64; 12] =
    [1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0, 21600.0, 86400.0];

/// Buckets of `art33_http_request_duration_seconds`.
const HTTP_BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// `{code, status}` of an alert moved out of `planned`.
type AlertLabels = [(&'static str, &'static str); 2];
/// `{method, route, status}` of a request; the route is the pattern, never the raw path.
type HttpLabels = [(&'static str, String); 3];

/// This process's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    scheduler: Arc<Status>,
    alerts: Family<AlertLabels, Counter>,
    alert_lag: Histogram,
    http_requests: Family<HttpLabels, Counter>,
    http_duration: Histogram,
}

impl Metrics {
    /// The metrics of a process on `backend` whose scheduler reports to `scheduler` (its delivery
    /// counters included).
    pub fn new(backend: &str, scheduler: Arc<Status>) -> Self {
        let mut registry = Registry::default();
        registry.register(
            "art33_build",
            "Build and backend of this process",
            Info::new(vec![
                ("version", env!("CARGO_PKG_VERSION").to_string()),
                ("backend", backend.to_string()),
            ]),
        );
        let alerts = Family::<AlertLabels, Counter>::default();
        registry.register(
            "art33_alerts",
            "Alerts this process moved out of planned, by code and outcome: sent (mailed), superseded, suppressed",
            alerts.clone(),
        );
        let alert_lag = Histogram::new(LAG_BUCKETS);
        registry.register(
            "art33_alert_lag_seconds",
            "How late this process mailed each alert: the tick's instant minus the alert's due instant",
            alert_lag.clone(),
        );
        registry.register(
            "art33_mail_attempts",
            "Delivery attempts of this process by outcome",
            scheduler.mail.attempts.clone(),
        );
        registry.register(
            "art33_mail_lease_lost",
            "Mails whose lease another worker had taken before this one marked them (each may have been sent twice)",
            scheduler.mail.lease_lost.clone(),
        );
        registry.register(
            "art33_webhook_attempts",
            "Posts of this process to alert channels (webhooks) by outcome",
            scheduler.webhook.attempts.clone(),
        );
        registry.register(
            "art33_webhook_lease_lost",
            "Channel posts whose lease another worker had taken before this one marked them (each may have been posted twice)",
            scheduler.webhook.lease_lost.clone(),
        );
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register(
            "art33_http_requests",
            "Requests this process answered, by method, route pattern and status",
            http_requests.clone(),
        );
        let http_duration = Histogram::new(HTTP_BUCKETS);
        registry.register(
            "art33_http_request_duration_seconds",
            "How long this process took to answer each request",
            http_duration.clone(),
        );
        registry.register_collector(Box::new(SchedulerFigures(scheduler.clone())));
        Self { registry, scheduler, alerts, alert_lag, http_requests, http_duration }
    }

    /// The scheduler's figures these metrics read.
    pub fn scheduler(&self) -> &Arc<Status> {
        &self.scheduler
    }

    /// A tick committed: counts the alerts it moved, and the lag of those it mailed.
    pub fn tick_committed(&self, report: &TickReport) {
        for moved in &report.moved {
            self.alerts
                .get_or_create(&[("code", moved.code.as_str()), ("status", moved.status.as_str())])
                .inc();
            if moved.status == AlertStatus::Sent {
                self.alert_lag.observe(moved.lag_ms.max(0) as f64 / 1000.0);
            }
        }
    }

    /// A request was answered.
    pub fn request_answered(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let method = match method {
            "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
            _ => "other",
        };
        let labels =
            [("method", method.to_string()), ("route", route.to_string()), ("status", status.to_string())];
        self.http_requests.get_or_create(&labels).inc();
        self.http_duration.observe(seconds);
    }

    /// The exposition: the database's figures (`None`: the database did not answer), then this
    /// process's.
    pub fn encode(&self, database: Option<&DatabaseFigures>) -> String {
        let mut body = String::new();
        let scrape = database_registry(database);
        // Writing to a String fails only if an encoder does, and none of ours does.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut body, &scrape);
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut body, &self.registry);
        body
    }
}

/// The facts shared by every replica, read at a scrape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseFigures {
    /// When they were read.
    pub now: DateTime<Utc>,
    /// The outbox backlog of mails.
    pub outbox: Backlog,
    /// The outbox backlog of posts to alert channels (webhooks).
    pub webhooks: Backlog,
    /// The undecided incidents by state.
    pub open_incidents: Vec<(&'static str, i64)>,
}

/// A registry of one scrape's database figures.
fn database_registry(database: Option<&DatabaseFigures>) -> Registry {
    let mut registry = Registry::default();
    let up = Gauge::<i64>::default();
    up.set(i64::from(database.is_some()));
    registry.register(
        "art33_database_up",
        "Whether the database answered this scrape (its figures are missing when 0)",
        up,
    );
    let Some(figures) = database else { return registry };
    let incidents = Family::<[(&'static str, &'static str); 1], Gauge>::default();
    for (state, n) in &figures.open_incidents {
        incidents.get_or_create(&[("state", *state)]).set(*n);
    }
    registry.register("art33_incidents", "Undecided incidents by state (reported, confirmed)", incidents);
    register_backlog(
        &mut registry,
        &figures.outbox,
        figures.now,
        BacklogNames {
            rows: ("art33_outbox_mails", "Mails in the outbox waiting (retries included) or given up"),
            retrying: (
                "art33_outbox_retrying_mails",
                "Pending mails whose last attempt failed (part of art33_outbox_mails{status=\"pending\"})",
            ),
            oldest: ("art33_outbox_oldest_due_seconds", "Age of the oldest mail due and not yet attempted"),
        },
    );
    register_backlog(
        &mut registry,
        &figures.webhooks,
        figures.now,
        BacklogNames {
            rows: (
                "art33_outbox_webhooks",
                "Posts to alert channels in the outbox waiting (retries included) or given up",
            ),
            retrying: (
                "art33_outbox_retrying_webhooks",
                "Pending posts whose last attempt failed (part of art33_outbox_webhooks{status=\"pending\"})",
            ),
            oldest: (
                "art33_outbox_webhook_oldest_due_seconds",
                "Age of the oldest post to an alert channel due and not yet attempted",
            ),
        },
    );
    registry
}

/// The names and help texts of one channel's backlog series.
struct BacklogNames {
    rows: (&'static str, &'static str),
    retrying: (&'static str, &'static str),
    oldest: (&'static str, &'static str),
}

/// Registers one channel's backlog: rows by status, rows retrying, the age of the oldest due.
fn register_backlog(registry: &mut Registry, backlog: &Backlog, now: DateTime<Utc>, names: BacklogNames) {
    let rows = Family::<[(&'static str, &'static str); 1], Gauge>::default();
    for (status, n) in [("pending", backlog.pending), ("failed", backlog.failed)] {
        rows.get_or_create(&[("status", status)]).set(n);
    }
    registry.register(names.rows.0, names.rows.1, rows);
    let retrying = Gauge::<i64>::default();
    retrying.set(backlog.retrying);
    registry.register(names.retrying.0, names.retrying.1, retrying);
    let oldest = Gauge::<i64>::default();
    oldest.set(backlog.oldest_due.map_or(0, |due| (now - due).num_seconds().max(0)));
    registry.register(names.oldest.0, names.oldest.1, oldest);
}

/// The scheduler's per-loop figures and the relay's state, read off [`Status`] at each scrape.
#[derive(Debug)]
struct SchedulerFigures(Arc<Status>);

/// A per-loop series: its name, its help text, and how to read it off a loop.
type LoopSeries<T> = (&'static str, &'static str, fn(&LoopStatus) -> T);

impl Collector for SchedulerFigures {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let status = &self.0;
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
            let mut metric = encoder.encode_descriptor(name, help, None, MetricType::Gauge)?;
            for loop_name in LoopName::ALL {
                if let Some(v) = value(status.of(loop_name)) {
                    let labels = [("loop", loop_name.as_str())];
                    ConstGauge::new(v).encode(metric.encode_family(&labels)?)?;
                }
            }
        }
        let counters: [LoopSeries<u64>; 3] = [
            ("art33_scheduler_runs", "Runs completed by each scheduler loop.", LoopStatus::runs),
            ("art33_scheduler_panics", "Runs that panicked (caught; the loop went on).", LoopStatus::panics),
            (
                "art33_scheduler_restarts",
                "Times the supervisor restarted a stalled scheduler loop.",
                LoopStatus::restarts,
            ),
        ];
        for (name, help, value) in counters {
            let mut metric = encoder.encode_descriptor(name, help, None, MetricType::Counter)?;
            for loop_name in LoopName::ALL {
                let labels = [("loop", loop_name.as_str())];
                ConstCounter::new(value(status.of(loop_name))).encode(metric.encode_family(&labels)?)?;
            }
        }
        let mut stalled = encoder.encode_descriptor(
            "art33_scheduler_stalled",
            "Whether a scheduler loop is stalled (no progress within its budget).",
            None,
            MetricType::Gauge,
        )?;
        for loop_name in LoopName::ALL {
            let labels = [("loop", loop_name.as_str())];
            ConstGauge::new(i64::from(status.is_stalled(loop_name)))
                .encode(stalled.encode_family(&labels)?)?;
        }
        let failing = status.mail.relay.failing_for().map_or(0.0, |d| d.as_secs_f64());
        ConstGauge::new(failing).encode(encoder.encode_descriptor(
            "art33_mail_relay_failing_seconds",
            "How long every delivery attempt of this process has failed (0: the last one succeeded).",
            None,
            MetricType::Gauge,
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fire::Moved;
    use crate::domain::escalation::AlertCode;

    fn metrics() -> Metrics {
        let settings = crate::config::Settings::load_from(&crate::config::Sources {
            base_dir: std::path::PathBuf::from("/nonexistent"),
            env: [("ART33_ENV".to_string(), "test".to_string())].into(),
            config_file: None,
        })
        .unwrap();
        Metrics::new("sqlite", Arc::new(Status::new(&settings)))
    }

    fn value(body: &str, series: &str) -> Option<f64> {
        body.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
    }

    #[test]
    fn a_tick_moves_the_alert_counters_and_the_lag_histogram() {
        let m = metrics();
        let report = TickReport {
            sent: 2,
            superseded: 1,
            moved: vec![
                Moved { code: AlertCode::P0, status: AlertStatus::Sent, lag_ms: 1_500 },
                Moved { code: AlertCode::A2, status: AlertStatus::Sent, lag_ms: 20_000 },
                Moved { code: AlertCode::A1, status: AlertStatus::Superseded, lag_ms: 20_000 },
            ],
            ..TickReport::default()
        };
        m.tick_committed(&report);
        m.tick_committed(&report);
        let body = m.encode(None);
        assert_eq!(value(&body, "art33_alerts_total{code=\"P0\",status=\"sent\"}"), Some(2.0), "{body}");
        assert_eq!(value(&body, "art33_alerts_total{code=\"A1\",status=\"superseded\"}"), Some(2.0));
        assert_eq!(value(&body, "art33_alert_lag_seconds_count"), Some(4.0), "only mailed alerts have a lag");
        assert_eq!(value(&body, "art33_alert_lag_seconds_bucket{le=\"2\"}"), Some(2.0), "{body}");
        assert_eq!(value(&body, "art33_alert_lag_seconds_bucket{le=\"10\"}"), Some(2.0));
        assert_eq!(value(&body, "art33_alert_lag_seconds_bucket{le=\"30\"}"), Some(4.0));
        assert_eq!(value(&body, "art33_alert_lag_seconds_sum"), Some(43.0));
    }

    #[test]
    fn every_process_figure_is_there_before_anything_happened() {
        let m = metrics();
        m.request_answered("GET", "/healthz", 200, 0.002);
        let body = m.encode(None);
        for series in [
            "art33_build_info{version=\"0.1.0\",backend=\"sqlite\"}",
            "art33_database_up",
            "art33_mail_attempts_total{outcome=\"sent\"}",
            "art33_mail_attempts_total{outcome=\"retried\"}",
            "art33_mail_attempts_total{outcome=\"failed\"}",
            "art33_mail_lease_lost_total",
            "art33_mail_relay_failing_seconds",
            "art33_scheduler_runs_total{loop=\"tick\"}",
            "art33_scheduler_panics_total{loop=\"mail\"}",
            "art33_scheduler_restarts_total{loop=\"tick\"}",
            "art33_scheduler_stalled{loop=\"mail\"}",
            "art33_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}",
            "art33_http_request_duration_seconds_count",
        ] {
            assert!(value(&body, series).is_some(), "{series} missing from:\n{body}");
        }
        assert_eq!(value(&body, "art33_database_up"), Some(0.0));
        assert!(!body.contains("art33_outbox_mails"), "no database figures without a database");
        assert!(body.contains("# TYPE art33_alert_lag_seconds histogram"), "{body}");
        assert!(body.contains("# TYPE art33_scheduler_runs_total counter"), "{body}");
    }

    #[test]
    fn the_database_figures_are_rendered_when_it_answered() {
        let m = metrics();
        let now: DateTime<Utc> = "2026-10-22T10:00:00Z".parse().unwrap();
        let figures = DatabaseFigures {
            now,
            outbox: Backlog {
                pending: 7,
                retrying: 2,
                failed: 1,
                oldest_due: Some(now - chrono::Duration::seconds(90)),
            },
            webhooks: Backlog {
                pending: 3,
                retrying: 1,
                failed: 2,
                oldest_due: Some(now - chrono::Duration::seconds(40)),
            },
            open_incidents: vec![("reported", 3), ("confirmed", 0)],
        };
        let body = m.encode(Some(&figures));
        assert_eq!(value(&body, "art33_database_up"), Some(1.0));
        assert_eq!(value(&body, "art33_outbox_mails{status=\"pending\"}"), Some(7.0));
        assert_eq!(value(&body, "art33_outbox_mails{status=\"failed\"}"), Some(1.0));
        assert_eq!(value(&body, "art33_outbox_retrying_mails"), Some(2.0));
        assert_eq!(value(&body, "art33_outbox_oldest_due_seconds"), Some(90.0));
        assert_eq!(value(&body, "art33_outbox_webhooks{status=\"pending\"}"), Some(3.0));
        assert_eq!(value(&body, "art33_outbox_webhooks{status=\"failed\"}"), Some(2.0));
        assert_eq!(value(&body, "art33_outbox_retrying_webhooks"), Some(1.0));
        assert_eq!(value(&body, "art33_outbox_webhook_oldest_due_seconds"), Some(40.0));
        assert_eq!(value(&body, "art33_incidents{state=\"reported\"}"), Some(3.0));
        assert_eq!(value(&body, "art33_incidents{state=\"confirmed\"}"), Some(0.0));
    }
}
