//! What the scheduler's loops say about themselves: when each last made progress, how long its steps
//! take, how often it panicked or was restarted. The loops and the supervisor write it; `/healthz`
//! and `/metrics` read it.
//!
//! Staleness is counted in *beats* of the pacemaker (see [`super::Scheduler`]), not in clock time:
//! a beat is one `scheduler.tick_seconds` of the pacemaker's relative sleep, so a process that was
//! paused (no beats while stopped) is not mistaken for a wedged one when it resumes, and no step of
//! any clock makes a loop look stalled or fresh. Durations for metrics are measured on the monotonic
//! clock ([`Instant`]).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::config::Settings;
use crate::notify::delivery::DeliveryStats;
use crate::notify::webhook::WebhookStats;

/// The scheduler's loops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopName {
    /// Fires due alerts (and runs the retention purge).
    Tick,
    /// Delivers the outbox's mails.
    Mail,
    /// Delivers the outbox's posts to alert channels (webhooks).
    Webhook,
}

impl LoopName {
    /// Every loop.
    pub const ALL: [LoopName; 3] = [LoopName::Tick, LoopName::Mail, LoopName::Webhook];

    /// `tick` or `mail`, as in metrics labels and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            LoopName::Tick => "tick",
            LoopName::Mail => "mail",
            LoopName::Webhook => "webhook",
        }
    }

    /// The `/healthz` reason code when this loop is stalled.
    pub fn stalled_reason(self) -> &'static str {
        match self {
            LoopName::Tick => "tick_loop_stalled",
            LoopName::Mail => "mail_loop_stalled",
            LoopName::Webhook => "webhook_loop_stalled",
        }
    }
}

/// Steps remembered to judge how long a step of a loop may take.
const STEPS_REMEMBERED: usize = 32;

#[derive(Debug, Default)]
struct Progress {
    /// The beat at the loop's last sign of life (a run started or finished, a step done).
    beat: u64,
    /// When that was.
    at: Option<Instant>,
    /// When the last run completed, and how long it took.
    completed: Option<(Instant, Duration)>,
    /// When the current run started, if one is running.
    running_since: Option<Instant>,
    /// The durations of the latest steps (gaps between signs of life within a run).
    steps: VecDeque<Duration>,
}

impl Progress {
    /// A sign of life at `beat`, `now`: the time since the last one is a step.
    fn step(&mut self, beat: u64, now: Instant) {
        if let Some(last) = self.at {
            if self.steps.len() == STEPS_REMEMBERED {
                self.steps.pop_front();
            }
            self.steps.push_back(now.saturating_duration_since(last));
        }
        self.beat = beat;
        self.at = Some(now);
    }
}

/// One loop's state.
#[derive(Debug)]
pub struct LoopStatus {
    name: LoopName,
    /// The longest one step may legitimately take (a bounded wait: the database's connect timeout,
    /// for mailing also the SMTP timeout).
    bounded_step: Duration,
    progress: Mutex<Progress>,
    runs: AtomicU64,
    panics: AtomicU64,
    restarts: AtomicU64,
}

impl LoopStatus {
    fn new(name: LoopName, bounded_step: Duration) -> Self {
        Self {
            name,
            bounded_step,
            progress: Mutex::new(Progress::default()),
            runs: AtomicU64::new(0),
            panics: AtomicU64::new(0),
            restarts: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Which loop this is.
    pub fn name(&self) -> LoopName {
        self.name
    }

    /// Completed runs.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }

    /// Runs that panicked (caught; the loop went on).
    pub fn panics(&self) -> u64 {
        self.panics.load(Ordering::Relaxed)
    }

    /// Times the supervisor restarted the loop.
    pub fn restarts(&self) -> u64 {
        self.restarts.load(Ordering::Relaxed)
    }

    /// Seconds since the last completed run (`None` before the first).
    pub fn seconds_since_completed(&self) -> Option<f64> {
        self.lock().completed.map(|(at, _)| at.elapsed().as_secs_f64())
    }

    /// Seconds since the loop's last sign of life (`None` before the first).
    pub fn seconds_since_progress(&self) -> Option<f64> {
        self.lock().at.map(|at| at.elapsed().as_secs_f64())
    }

    /// How long the last completed run took.
    pub fn last_run_seconds(&self) -> Option<f64> {
        self.lock().completed.map(|(_, took)| took.as_secs_f64())
    }
}

/// The scheduler's state, shared by its loops, its supervisor and the web shell.
#[derive(Debug)]
pub struct Status {
    started: AtomicBool,
    beat: AtomicU64,
    tick: Duration,
    stalled_after_ticks: u64,
    loops: [LoopStatus; 3],
    /// What the mailing loop counts (lease losses, the relay's state).
    pub mail: DeliveryStats,
    /// What the webhook loop counts.
    pub webhook: WebhookStats,
}

impl Status {
    /// The state of a scheduler configured by `settings`, not yet started.
    pub fn new(settings: &Settings) -> Self {
        let connect = Duration::from_secs(settings.database.connect_timeout_seconds);
        let smtp = Duration::from_secs(settings.mail.timeout_seconds);
        let post = Duration::from_secs(settings.webhooks.timeout_seconds);
        Self {
            started: AtomicBool::new(false),
            beat: AtomicU64::new(0),
            tick: Duration::from_secs(settings.scheduler.tick_seconds.max(1)),
            stalled_after_ticks: settings.scheduler.stalled_after_ticks,
            loops: [
                LoopStatus::new(LoopName::Tick, connect),
                LoopStatus::new(LoopName::Mail, connect + smtp),
                LoopStatus::new(LoopName::Webhook, connect + post),
            ],
            mail: DeliveryStats::default(),
            webhook: WebhookStats::default(),
        }
    }

    /// One loop's state.
    pub fn of(&self, name: LoopName) -> &LoopStatus {
        match name {
            LoopName::Tick => &self.loops[0],
            LoopName::Mail => &self.loops[1],
            LoopName::Webhook => &self.loops[2],
        }
    }

    /// Whether the loops run in this process (`art33 serve`; not a test driving ticks by hand).
    pub fn is_started(&self) -> bool {
        self.started.load(Ordering::Relaxed)
    }

    pub(super) fn mark_started(&self) {
        self.started.store(true, Ordering::Relaxed);
    }

    /// The pacemaker's beats so far.
    pub fn beat(&self) -> u64 {
        self.beat.load(Ordering::Relaxed)
    }

    pub(super) fn next_beat(&self) -> u64 {
        self.beat.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// A run of `name` starts.
    pub fn run_started(&self, name: LoopName) {
        let now = Instant::now();
        let mut p = self.of(name).lock();
        p.beat = self.beat();
        p.at = Some(now);
        p.running_since = Some(now);
    }

    /// `name` finished one step of its run (a chunk of alerts, one mail).
    pub fn step_done(&self, name: LoopName) {
        self.of(name).lock().step(self.beat(), Instant::now());
    }

    /// A run of `name` ended (whether it succeeded or failed).
    pub fn run_finished(&self, name: LoopName) {
        self.step_done(name);
        let status = self.of(name);
        status.runs.fetch_add(1, Ordering::Relaxed);
        let now = Instant::now();
        let mut p = status.lock();
        let took =
            p.running_since.take().map_or(Duration::ZERO, |since| now.saturating_duration_since(since));
        p.completed = Some((now, took));
    }

    /// A run of `name` panicked; the loop goes on.
    pub fn run_panicked(&self, name: LoopName) {
        self.of(name).panics.fetch_add(1, Ordering::Relaxed);
        self.of(name).lock().running_since = None;
    }

    /// The supervisor restarted `name`. The step it was stuck in counts as one it may take, so that a
    /// loop waiting for long at each step (a database that does not answer) is not restarted again and
    /// again.
    pub(super) fn restarted(&self, name: LoopName) {
        let status = self.of(name);
        status.restarts.fetch_add(1, Ordering::Relaxed);
        let mut p = status.lock();
        p.step(self.beat(), Instant::now());
        p.running_since = None;
    }

    /// Beats `name` may go without a sign of life: `scheduler.stalled_after_ticks`, plus the longest
    /// a step of it may take (its bounded wait, or the longest step seen lately) in ticks.
    pub fn budget_beats(&self, name: LoopName) -> u64 {
        let status = self.of(name);
        let longest_seen = status.lock().steps.iter().copied().max().unwrap_or_default();
        let step = longest_seen.max(status.bounded_step);
        self.stalled_after_ticks + (step.as_secs_f64() / self.tick.as_secs_f64()).ceil() as u64
    }

    /// Beats since `name`'s last sign of life.
    pub fn beats_silent(&self, name: LoopName) -> u64 {
        self.beat().saturating_sub(self.of(name).lock().beat)
    }

    /// Whether `name` has made no progress within its budget (only while the loops run).
    pub fn is_stalled(&self, name: LoopName) -> bool {
        self.is_started() && self.beats_silent(name) >= self.budget_beats(name)
    }

    /// The `/healthz` reasons of the stalled loops.
    pub fn stalled_reasons(&self) -> Vec<&'static str> {
        LoopName::ALL
            .into_iter()
            .filter(|name| self.is_stalled(*name))
            .map(LoopName::stalled_reason)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(tick: u64) -> Status {
        let mut settings = crate::config::Settings::load_from(&crate::config::Sources {
            base_dir: std::path::PathBuf::from("/nonexistent"),
            env: [("ART33_ENV".to_string(), "test".to_string())].into(),
            config_file: None,
        })
        .unwrap();
        settings.scheduler.tick_seconds = tick;
        settings.database.connect_timeout_seconds = 2;
        settings.mail.timeout_seconds = 4;
        let status = Status::new(&settings);
        status.mark_started();
        status
    }

    #[test]
    fn a_loop_is_stalled_after_its_budget_of_beats_without_progress() {
        let s = status(1);
        s.run_started(LoopName::Tick);
        // Three ticks, plus the two-second connect timeout.
        assert_eq!(s.budget_beats(LoopName::Tick), 3 + 2);
        for _ in 0..4 {
            s.next_beat();
        }
        assert!(!s.is_stalled(LoopName::Tick));
        s.next_beat();
        assert!(s.is_stalled(LoopName::Tick));
        assert_eq!(s.stalled_reasons(), vec!["tick_loop_stalled"], "mailing may wait longer");
        s.run_finished(LoopName::Tick);
        assert!(!s.is_stalled(LoopName::Tick), "progress clears it");
        assert_eq!(s.of(LoopName::Tick).runs(), 1);
    }

    #[test]
    fn mailing_may_wait_for_the_smtp_timeout_too_and_a_restart_widens_the_budget() {
        let s = status(1);
        assert_eq!(s.budget_beats(LoopName::Mail), 3 + 6);
        s.run_started(LoopName::Tick);
        std::thread::sleep(Duration::from_millis(30));
        s.restarted(LoopName::Tick);
        assert_eq!(s.of(LoopName::Tick).restarts(), 1);
        assert!(s.budget_beats(LoopName::Tick) >= 3 + 2);
    }

    #[test]
    fn nothing_is_stalled_while_the_loops_do_not_run_here() {
        let s = status(1);
        s.started.store(false, Ordering::Relaxed);
        for _ in 0..100 {
            s.next_beat();
        }
        assert!(s.stalled_reasons().is_empty());
    }
}
