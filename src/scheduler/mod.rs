//! The scheduler: every `scheduler.tick_seconds` it fires due alerts ([`tick::tick`]) and drains the
//! outbox ([`crate::notify::delivery::drain_once`]). Interval jobs in UTC (tokio-cron-scheduler),
//! never local-time cron, which would drift at DST. Nothing depends on someone having a page open.
//!
//! Firing and mailing are separate jobs: a long mail backlog (a slow relay, a burst of reports)
//! must never hold back the next alert.

pub mod tick;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio_cron_scheduler::{Job, JobScheduler};

use crate::clock::SharedClock;
use crate::config::Settings;
use crate::notify::delivery;
use crate::notify::transport::Transport;
use crate::storage::Database;

/// One run of the scheduler's work, shared by the timer and tests.
#[derive(Clone)]
pub struct Runner {
    db: Database,
    settings: Arc<Settings>,
    clock: SharedClock,
    transport: Transport,
    worker: String,
    ticking: Arc<Mutex<()>>,
    mailing: Arc<Mutex<()>>,
    last_purge: Arc<std::sync::Mutex<Option<chrono::DateTime<chrono::Utc>>>>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner").field("worker", &self.worker).finish_non_exhaustive()
    }
}

impl Runner {
    /// A runner for this process.
    pub fn new(db: Database, settings: Arc<Settings>, clock: SharedClock, transport: Transport) -> Self {
        let worker = format!("art33-{}", uuid::Uuid::new_v4().simple());
        Self {
            db,
            settings,
            clock,
            transport,
            worker,
            ticking: Arc::new(Mutex::new(())),
            mailing: Arc::new(Mutex::new(())),
            last_purge: Arc::new(std::sync::Mutex::new(None)),
        }
    }

    /// This process's lease-owner name.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// Ticks, then drains the outbox, once (each part skipped while a previous run of it is busy).
    pub async fn run_once(&self) {
        self.tick_once().await;
        self.drain_once().await;
    }

    /// Fires the due alerts and purges what retention says, unless a previous tick is still busy.
    pub async fn tick_once(&self) {
        let Ok(_guard) = self.ticking.try_lock() else { return };
        let now = self.clock.now();
        let settings = self.settings.clone();
        match self.db.run(move |conn| tick::tick(conn, &settings, now)).await {
            Ok(report) if report != tick::TickReport::default() => {
                tracing::info!(
                    sent = report.sent,
                    superseded = report.superseded,
                    suppressed = report.suppressed,
                    mails = report.mails,
                    "tick"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "tick failed; retrying at the next tick"),
        }
        self.purge_if_due().await;
    }

    /// Delivers the due mails, unless a previous drain is still busy.
    pub async fn drain_once(&self) {
        let Ok(_guard) = self.mailing.try_lock() else { return };
        let now = self.clock.now();
        match delivery::drain_once(&self.db, &self.transport, &self.settings.mail, &self.worker, now).await {
            Ok(report) if report != delivery::DrainReport::default() => {
                tracing::info!(
                    sent = report.sent,
                    retried = report.retried,
                    failed = report.failed,
                    "outbox drained"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "outbox drain failed; retrying at the next tick"),
        }
    }

    /// Runs the retention purge at most once an hour per process.
    async fn purge_if_due(&self) {
        let now = self.clock.now();
        {
            let mut last = self.last_purge.lock().unwrap_or_else(|e| e.into_inner());
            if last.is_some_and(|t| now - t < chrono::Duration::hours(1)) {
                return;
            }
            *last = Some(now);
        }
        let years = self.settings.retention.closed_years;
        match self.db.run(move |conn| crate::storage::retention::purge(conn, now, years)).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(incidents = n, "retention purge"),
            Err(e) => tracing::warn!(error = %e, "retention purge failed; retrying later"),
        }
    }

    /// Waits for a run in progress to finish (up to `grace`), then releases any leases left.
    pub async fn finish(&self, grace: Duration) {
        let idle = async {
            let _ticking = self.ticking.lock().await;
            let _mailing = self.mailing.lock().await;
        };
        if tokio::time::timeout(grace, idle).await.is_err() {
            tracing::warn!("a tick or mail run did not finish in time; releasing its leases");
        }
        match delivery::release(&self.db, &self.worker).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(released = n, "released outbox leases"),
            Err(e) => tracing::warn!(error = %e, "could not release outbox leases; they expire on their own"),
        }
    }
}

/// The running timer.
pub struct Scheduler {
    jobs: JobScheduler,
    runner: Runner,
}

impl Scheduler {
    /// Starts ticking every `scheduler.tick_seconds`.
    pub async fn start(runner: Runner) -> Result<Scheduler, tokio_cron_scheduler::JobSchedulerError> {
        let jobs = JobScheduler::new().await?;
        let every = Duration::from_secs(runner.settings.scheduler.tick_seconds);
        // Two jobs on the same interval, each skipping a run while its previous one is busy.
        for mailing in [false, true] {
            let runner = runner.clone();
            jobs.add(Job::new_repeated_async(every, move |_id, _jobs| {
                let runner = runner.clone();
                Box::pin(async move {
                    if mailing {
                        runner.drain_once().await;
                    } else {
                        runner.tick_once().await;
                    }
                })
            })?)
            .await?;
        }
        jobs.start().await?;
        // Do not wait a whole interval for the first run after a start or restart.
        let first = runner.clone();
        tokio::spawn(async move { first.run_once().await });
        Ok(Scheduler { jobs, runner })
    }

    /// Stops the timer and finishes or releases the mail in flight.
    pub async fn stop(mut self, grace: Duration) {
        if let Err(e) = self.jobs.shutdown().await {
            tracing::warn!(error = %e, "scheduler shutdown");
        }
        self.runner.finish(grace).await;
    }
}
