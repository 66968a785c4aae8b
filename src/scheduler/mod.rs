//! The scheduler: three loops, one firing due alerts ([`crate::app::fire::tick`]), one delivering the
//! outbox's mails ([`crate::notify::delivery::Deliverer`]) and one its posts to alert channels
//! ([`crate::notify::webhook::WebhookDeliverer`]), so that a long mail backlog never holds back the
//! next alert and a hanging webhook endpoint never holds back a mail; a pacemaker that wakes them every `scheduler.tick_seconds`; a supervisor that restarts a
//! loop that stopped making progress; and the daily retention purge. Nothing depends on someone
//! having a page open.
//!
//! # Why a pacemaker thread, not a timer of the async runtime
//! The first version used tokio-cron-scheduler's repeated jobs. They stop for good after one lag
//! longer than the interval (a paused process, a step of the wall clock), because they compare
//! wall-clock instants. Here the loops do not read any clock to know when to run: a plain OS thread
//! sleeps `tick_seconds` at a time (a relative sleep, which no step of the wall clock moves) and
//! then wakes every loop through a [`Notify`]. The missed-tick policy is explicit: a wake-up that
//! finds a loop busy is kept as one pending permit, so a run that takes longer than a tick is
//! followed by exactly one more at once, never by a burst of catch-up runs. After a pause the first
//! beat comes at once and the catch-up rule of the alerts (newest due, P0 and A0 always) does the
//! rest. The same thread is the supervisor: it counts beats since each loop's last sign of life and
//! restarts a loop that stayed silent beyond its budget ([`liveness::Status::budget_beats`]). A
//! panic inside a run is caught and logged and the loop goes on.
//!
//! The decisions of a run keep using the injected wall clock ([`crate::clock::Clock::now`]); only
//! *when* a run happens is the pacemaker's business. tokio-cron-scheduler keeps what it does well: a
//! calendar job in UTC, the daily retention purge.

pub mod liveness;

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use tokio::sync::{Mutex, Notify};
use tokio::task::JoinHandle;
use tokio_cron_scheduler::{Job, JobScheduler};

use crate::app::fire;
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::notify::delivery::{Deliverer, DrainReport};
use crate::notify::transport::Transport;
use crate::notify::webhook::WebhookDeliverer;
use crate::storage::{AnyConnection, Database, StorageError};
use crate::telemetry::metrics::Metrics;
pub use liveness::{LoopName, Status};

/// When the daily retention purge runs (UTC; seconds, minutes, hours, day, month, weekday).
const RETENTION_CRON: &str = "0 17 3 * * *";
/// How often the pacemaker looks up from its sleep to see whether it should stop.
const PACEMAKER_SLICE: Duration = Duration::from_millis(100);

/// One-shot faults the test suite injects (`ART33_TEST_FAULTS`; see [`crate::config::Faults`]).
#[derive(Debug, Default)]
struct FaultSwitch {
    armed: std::sync::Mutex<BTreeSet<String>>,
}

impl FaultSwitch {
    /// Whether `name` was armed; it is disarmed by asking.
    fn take(&self, name: &str) -> bool {
        self.armed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(name)
    }

    /// The loop's faults: it panics, hangs or dawdles ([`crate::config::Faults::KNOWN`] lists them all).
    fn names(name: LoopName) -> (&'static str, &'static str, &'static str) {
        match name {
            LoopName::Tick => ("tick-panic", "tick-hang", "tick-slow"),
            LoopName::Mail => ("mail-panic", "mail-hang", "mail-slow"),
            LoopName::Webhook => ("webhook-panic", "webhook-hang", "webhook-slow"),
        }
    }

    /// Panics, hangs forever or dawdles when the loop's fault is armed.
    async fn strike(&self, name: LoopName) {
        let (panic, hang, slow) = Self::names(name);
        if self.take(panic) {
            panic!("injected fault: {panic}");
        }
        if self.take(hang) {
            tracing::warn!(fault = hang, "injected fault: this run never ends");
            std::future::pending::<()>().await;
        }
        if self.take(slow) {
            tracing::warn!(fault = slow, "injected fault: this run takes three seconds longer");
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
    }
}

/// The scheduler's work, shared by its loops and by tests that drive it by hand.
#[derive(Clone)]
pub struct Runner {
    db: Database,
    settings: Arc<Settings>,
    clock: SharedClock,
    deliverer: Deliverer,
    webhooks: WebhookDeliverer,
    worker: String,
    status: Arc<Status>,
    metrics: Arc<Metrics>,
    stopping: Arc<AtomicBool>,
    faults: Arc<FaultSwitch>,
    /// Wakes the mailing loop as soon as a tick queued mails, instead of at the next beat.
    mail_waiting: Arc<Notify>,
    /// Wakes the webhook loop as soon as a tick queued posts to channels.
    webhook_waiting: Arc<Notify>,
    ticking: Arc<Mutex<()>>,
    mailing: Arc<Mutex<()>>,
    posting: Arc<Mutex<()>>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner").field("worker", &self.worker).finish_non_exhaustive()
    }
}

impl Runner {
    /// A runner for this process, with metrics of its own.
    pub fn new(db: Database, settings: Arc<Settings>, clock: SharedClock, transport: Transport) -> Self {
        let status = Arc::new(Status::new(&settings));
        let metrics = Arc::new(Metrics::new(db.backend().name(), status));
        Self::with_metrics(db, settings, clock, transport, metrics)
    }

    /// A runner that reports to `metrics` (and to the scheduler status they read).
    pub fn with_metrics(
        db: Database,
        settings: Arc<Settings>,
        clock: SharedClock,
        transport: Transport,
        metrics: Arc<Metrics>,
    ) -> Self {
        // Its writes go before the requests' on SQLite: the alerts' time is the promise.
        let db = db.for_scheduler();
        let worker = format!("art33-{}", uuid::Uuid::new_v4().simple());
        let deliverer = Deliverer::new(db.clone(), transport, settings.mail.clone(), &worker, clock.clone());
        let webhooks = WebhookDeliverer::new(
            db.clone(),
            settings.webhooks.clone(),
            settings.mail.clone(),
            &worker,
            clock.clone(),
        );
        let faults = FaultSwitch { armed: std::sync::Mutex::new(settings.faults.names.clone()) };
        Self {
            status: metrics.scheduler().clone(),
            metrics,
            db,
            settings,
            clock,
            deliverer,
            webhooks,
            worker,
            stopping: Arc::new(AtomicBool::new(false)),
            faults: Arc::new(faults),
            mail_waiting: Arc::new(Notify::new()),
            webhook_waiting: Arc::new(Notify::new()),
            ticking: Arc::new(Mutex::new(())),
            mailing: Arc::new(Mutex::new(())),
            posting: Arc::new(Mutex::new(())),
        }
    }

    /// This process's lease-owner name.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// What the loops report about themselves (for `/healthz` and `/metrics`).
    pub fn status(&self) -> Arc<Status> {
        self.status.clone()
    }

    /// This process's metrics (for `/metrics`).
    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// Ticks, then drains the outbox (mails, then channel posts), once (each part skipped while a
    /// previous run of it is busy).
    pub async fn run_once(&self) {
        self.tick_once().await;
        self.drain_once().await;
        self.post_once().await;
    }

    /// Fires the due alerts, unless a previous tick is still busy.
    pub async fn tick_once(&self) {
        let Ok(_guard) = self.ticking.try_lock() else { return };
        let started = Instant::now();
        self.status.run_started(LoopName::Tick);
        self.faults.strike(LoopName::Tick).await;
        let now = self.clock.now();
        let settings = self.settings.clone();
        let (status, metrics) = (self.status.clone(), self.metrics.clone());
        let fired = self
            .db
            .run_with_spare(move |conn, spare| {
                fire::tick_with_progress(conn, spare, &settings, now, |committed| {
                    metrics.tick_committed(committed);
                    status.step_done(LoopName::Tick);
                })
            })
            .await;
        match fired {
            Ok(report) if report != fire::TickReport::default() => {
                tracing::info!(
                    sent = report.sent,
                    superseded = report.superseded,
                    suppressed = report.suppressed,
                    mails = report.mails,
                    elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
                    "tick"
                );
                if report.mails > 0 {
                    self.mail_waiting.notify_one();
                }
                if report.webhooks > 0 {
                    self.webhook_waiting.notify_one();
                }
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %crate::telemetry::escaped(&e), "tick failed; retrying at the next tick")
            }
        }
        self.status.run_finished(LoopName::Tick);
    }

    /// Delivers the due mails, unless a previous drain is still busy; stops claiming once the
    /// scheduler is stopping.
    pub async fn drain_once(&self) -> DrainReport {
        let Ok(_guard) = self.mailing.try_lock() else { return DrainReport::default() };
        self.status.run_started(LoopName::Mail);
        self.faults.strike(LoopName::Mail).await;
        let status = &self.status;
        let drained =
            self.deliverer.drain(&status.mail, &self.stopping, || status.step_done(LoopName::Mail)).await;
        let report = match drained {
            Ok(report) => {
                if report != DrainReport::default() {
                    tracing::info!(
                        sent = report.sent,
                        retried = report.retried,
                        failed = report.failed,
                        "outbox drained"
                    );
                }
                report
            }
            Err(e) => {
                tracing::warn!(error = %crate::telemetry::escaped(&e), "outbox drain failed; retrying at the next tick");
                DrainReport::default()
            }
        };
        self.status.run_finished(LoopName::Mail);
        report
    }

    /// Delivers the due posts to alert channels, unless a previous run is still busy; stops claiming
    /// once the scheduler is stopping.
    pub async fn post_once(&self) -> DrainReport {
        let Ok(_guard) = self.posting.try_lock() else { return DrainReport::default() };
        self.status.run_started(LoopName::Webhook);
        self.faults.strike(LoopName::Webhook).await;
        let status = &self.status;
        let drained = self
            .webhooks
            .drain(&status.webhook, &self.stopping, || status.step_done(LoopName::Webhook))
            .await;
        let report = match drained {
            Ok(report) => {
                if report != DrainReport::default() {
                    tracing::info!(
                        sent = report.sent,
                        retried = report.retried,
                        failed = report.failed,
                        "channel posts drained"
                    );
                }
                report
            }
            Err(e) => {
                tracing::warn!(error = %crate::telemetry::escaped(&e), "channel posts failed; retrying at the next tick");
                DrainReport::default()
            }
        };
        self.status.run_finished(LoopName::Webhook);
        report
    }

    /// Purges the free text that retention says is due, login attempts no limit counts any more,
    /// and password-reset links a month after they expired.
    pub async fn purge(&self) {
        let now = self.clock.now();
        let forget_before = now - crate::domain::login_limits::KEPT_FOR;
        self.housekeep("login attempts", move |conn| {
            crate::storage::login_attempts::prune(conn, forget_before)
        })
        .await;
        let expired_before = now - crate::app::password_reset::KEPT_AFTER_EXPIRY;
        self.housekeep("password-reset links", move |conn| {
            crate::storage::password_resets::prune(conn, expired_before)
        })
        .await;
        let years = self.settings.retention.closed_years;
        self.housekeep("closed incidents' free text", move |conn| {
            crate::storage::retention::purge(conn, now, years)
        })
        .await;
    }

    /// One part of the daily purge: says how many rows of `what` it removed, or that it failed (the
    /// next day's purge tries again; the other parts go on).
    async fn housekeep<F>(&self, what: &'static str, part: F)
    where
        F: FnOnce(&mut AnyConnection) -> Result<usize, StorageError> + Send + 'static,
    {
        match self.db.run(part).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, what, "daily purge"),
            Err(e) => {
                tracing::warn!(error = %crate::telemetry::escaped(&e), what, "daily purge failed; retrying tomorrow")
            }
        }
    }

    /// One run of a loop, a panic inside it caught and counted.
    async fn run(&self, name: LoopName) {
        let run = async {
            match name {
                LoopName::Tick => self.tick_once().await,
                LoopName::Mail => drop(self.drain_once().await),
                LoopName::Webhook => drop(self.post_once().await),
            }
        };
        if let Err(panic) = AssertUnwindSafe(run).catch_unwind().await {
            self.status.run_panicked(name);
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(r#loop = name.as_str(), panic = %crate::telemetry::escaped(&message), "a scheduler run panicked; the loop goes on");
        }
    }

    /// Runs `name` now and then at every wake-up, until the scheduler stops.
    async fn run_loop(self, name: LoopName, wake: Arc<Notify>) {
        while !self.stopping.load(Ordering::Relaxed) {
            self.run(name).await;
            if self.stopping.load(Ordering::Relaxed) {
                break;
            }
            match name {
                LoopName::Tick => wake.notified().await,
                LoopName::Mail => {
                    tokio::select! {
                        () = wake.notified() => {}
                        () = self.mail_waiting.notified() => {}
                    }
                }
                LoopName::Webhook => {
                    tokio::select! {
                        () = wake.notified() => {}
                        () = self.webhook_waiting.notified() => {}
                    }
                }
            }
        }
    }
}

/// The running loops of one loop kind, as the supervisor sees them.
struct Supervised {
    name: LoopName,
    wake: Arc<Notify>,
    /// The running task; taken by [`Scheduler::stop`].
    task: std::sync::Mutex<Option<JoinHandle<()>>>,
}

/// The running scheduler.
pub struct Scheduler {
    runner: Runner,
    loops: Arc<Vec<Supervised>>,
    calendar: JobScheduler,
}

impl Scheduler {
    /// Starts the loops (each runs at once), the pacemaker and the daily purge.
    pub async fn start(runner: Runner) -> Result<Scheduler, tokio_cron_scheduler::JobSchedulerError> {
        runner.status.mark_started();
        let runtime = tokio::runtime::Handle::current();
        let loops: Arc<Vec<Supervised>> = Arc::new(
            LoopName::ALL
                .into_iter()
                .map(|name| {
                    let wake = Arc::new(Notify::new());
                    let task = runtime.spawn(runner.clone().run_loop(name, wake.clone()));
                    Supervised { name, wake, task: std::sync::Mutex::new(Some(task)) }
                })
                .collect(),
        );
        let tick = Duration::from_secs(runner.settings.scheduler.tick_seconds.max(1));
        {
            let (runner, loops) = (runner.clone(), loops.clone());
            std::thread::Builder::new()
                .name("art33-pacemaker".into())
                .spawn(move || pacemaker(&runner, &loops, tick, &runtime))
                .map_err(|_| tokio_cron_scheduler::JobSchedulerError::CantInit)?;
        }

        let calendar = JobScheduler::new().await?;
        let purger = runner.clone();
        calendar
            .add(Job::new_async(RETENTION_CRON, move |_id, _jobs| {
                let purger = purger.clone();
                Box::pin(async move { purger.purge().await })
            })?)
            .await?;
        calendar.start().await?;
        let first = runner.clone();
        tokio::spawn(async move { first.purge().await });
        Ok(Scheduler { runner, loops, calendar })
    }

    /// Stops claiming work, lets the run in progress finish (a mail being sent is sent and marked)
    /// for up to `grace`, and returns as soon as the loops have ended.
    pub async fn stop(mut self, grace: Duration) {
        self.runner.stopping.store(true, Ordering::Relaxed);
        for supervised in self.loops.iter() {
            supervised.wake.notify_one();
        }
        if let Err(e) = self.calendar.shutdown().await {
            tracing::warn!(error = %crate::telemetry::escaped(&e), "calendar jobs did not stop cleanly");
        }
        let tasks: Vec<JoinHandle<()>> = self
            .loops
            .iter()
            .filter_map(|s| s.task.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take())
            .collect();
        let ended = futures_util::future::join_all(tasks);
        if tokio::time::timeout(grace, ended).await.is_err() {
            // Its lease is kept: it expires on its own, and a mail still being sent is not handed to
            // another worker while it may yet arrive.
            tracing::warn!("a scheduler run did not finish within the grace period; leaving it");
        }
    }
}

/// The pacemaker and supervisor (on its own OS thread): every `tick` it counts a beat, wakes both
/// loops, and restarts a loop that has been silent beyond its budget, or whose task has ended.
fn pacemaker(runner: &Runner, loops: &[Supervised], tick: Duration, runtime: &tokio::runtime::Handle) {
    let status = &runner.status;
    while !runner.stopping.load(Ordering::Relaxed) {
        // A relative sleep in slices: a step of the wall clock does not move it, a pause of the
        // process ends it (the monotonic clock ran on), and a stop is seen within a slice.
        let started = Instant::now();
        let mut slept = Duration::ZERO;
        while slept < tick && started.elapsed() < tick {
            if runner.stopping.load(Ordering::Relaxed) {
                return;
            }
            let slice = PACEMAKER_SLICE.min(tick - slept);
            std::thread::sleep(slice);
            slept += slice;
        }
        status.next_beat();
        for supervised in loops {
            supervised.wake.notify_one();
            let silent = status.beats_silent(supervised.name);
            let budget = status.budget_beats(supervised.name);
            let mut slot = supervised.task.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            // Taken: the scheduler is stopping, and nothing is restarted.
            let Some(task) = slot.as_mut() else { continue };
            let ended = task.is_finished();
            if (silent > budget || ended) && !runner.stopping.load(Ordering::Relaxed) {
                tracing::error!(
                    r#loop = supervised.name.as_str(),
                    silent_ticks = silent,
                    budget_ticks = budget,
                    task_ended = ended,
                    "restarting a stalled scheduler loop"
                );
                task.abort();
                status.restarted(supervised.name);
                *task = runtime.spawn(runner.clone().run_loop(supervised.name, supervised.wake.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fault a loop strikes but the configuration refuses could never be injected (`mail-slow`
    /// was such a one), and a known fault that no loop strikes would be accepted and do nothing.
    #[test]
    fn every_fault_a_loop_strikes_can_be_asked_for_and_no_other() {
        let known = crate::config::Faults::KNOWN;
        for name in LoopName::ALL {
            let (panic, hang, slow) = FaultSwitch::names(name);
            for fault in [panic, hang, slow] {
                assert!(known.contains(&fault), "{fault} is struck by a loop but not in Faults::KNOWN");
            }
        }
        assert_eq!(
            known.len(),
            3 * LoopName::ALL.len(),
            "Faults::KNOWN names a fault no loop strikes: {known:?}"
        );
    }
}
