//! The real `art33 serve` in real time, and the means to break it: a process of its own on a fresh
//! database, mailing over SMTP to a server in the test process, paused with `SIGSTOP`, its wall clock
//! stepped with libfaketime, faults injected (`ART33_TEST_FAULTS`), stopped with `SIGTERM`.
//!
//! Unlike [`super::TestApp`], nothing here drives a tick by hand: whatever happens, happens because
//! the process's own timer made it happen.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::cli::{Served, run, serve, stderr, stdout};
use super::smtp::{ReceivedMail, SmtpServer};
use super::{Backend, TestDb};

/// libfaketime's multi-threaded library (Debian package `faketime`).
pub const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

/// A database set up for a live server: client `acme` (DPO `dpo@acme.example`, contact
/// `security@acme.example`), an officer with an API token, mail to `smtp`.
pub struct LiveWorld {
    /// The database.
    pub db: TestDb,
    /// The officer's API token.
    pub token: String,
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl LiveWorld {
    /// Sets up the database on `backend` with `tick_seconds = 1`, mail over SMTP to `smtp`, and
    /// `extra` settings for every process.
    pub fn setup(backend: &Backend, smtp: &SmtpServer, extra: &[(&str, &str)]) -> LiveWorld {
        let db = TestDb::create(backend);
        let dir = tempfile::tempdir().unwrap();
        let mut env: Vec<(String, String)> = [
            ("ART33__DATABASE__URL", db.url.as_str()),
            ("ART33__MAIL__TRANSPORT", "smtp"),
            ("ART33__MAIL__SMTP_URL", smtp.url().as_str()),
            ("ART33__MAIL__TIMEOUT_SECONDS", "5"),
            ("ART33__SCHEDULER__TICK_SECONDS", "1"),
            ("ART33__SERVER__METRICS_TOKEN", super::METRICS_TOKEN),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for (k, v) in extra {
            env.retain(|(key, _)| key != k);
            env.push((k.to_string(), v.to_string()));
        }
        let mut world = LiveWorld { db, token: String::new(), dir, env };
        world.cli(&["migrate"]);
        world.cli(&[
            "client",
            "add",
            "--slug",
            "acme",
            "--name",
            "Acme",
            "--dpo-email",
            "dpo@acme.example",
            "--escalation-email",
            "security@acme.example",
            "--locale",
            "en",
        ]);
        world.cli(&["user", "add", "--email", "officer@gx.example", "--role", "officer"]);
        world.token = world.cli(&["token", "create", "--email", "officer@gx.example"]).trim().to_string();
        world
    }

    /// Runs `art33 ARGS` against the database; panics unless it succeeds; returns its stdout.
    pub fn cli(&self, args: &[&str]) -> String {
        let env = self.env_with(&[]);
        let out = run(self.dir.path(), args, &env);
        assert!(out.status.success(), "art33 {args:?} failed: {}", stderr(&out));
        stdout(&out)
    }

    fn env_with<'a>(&'a self, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut env: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        for (k, v) in extra {
            env.retain(|(key, _)| key != k);
            env.push((k, v));
        }
        env
    }

    /// Starts `art33 serve` with `extra` settings (and variables such as `LD_PRELOAD`).
    pub fn serve(&self, extra: &[(&str, &str)]) -> Live {
        let served = serve(self.dir.path(), &self.env_with(extra));
        // No idle connections kept: after a pause the server closes them as it resumes, and a
        // request sent on one in that instant would fail for a reason that is not the product's.
        // Every request has a deadline, longer than any pause a test makes: a request that never
        // ends must fail the test, not hang CI. One did, once, after the SIGKILL amid a burst (on
        // PostgreSQL): no socket left open, a request future never woken, the suite stuck.
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        Live { served, http, token: self.token.clone() }
    }

    /// Starts `art33 serve` with its wall clock under the control of `clock`.
    pub fn serve_faked(&self, clock: &FakeClock, extra: &[(&str, &str)]) -> Live {
        let mut env = clock.env();
        env.extend_from_slice(extra);
        self.serve(&env)
    }

    /// The outbox as `(message_id, status, attempts)`, by creation.
    pub fn outbox(&self) -> Vec<(String, String, i32)> {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            message_id: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            status: String,
            #[diesel(sql_type = diesel::sql_types::Integer)]
            attempts: i32,
        }
        let rows: Vec<Row> =
            self.query("SELECT message_id, status, attempts FROM outbox ORDER BY created_at, id");
        rows.into_iter().map(|r| (r.message_id, r.status, r.attempts)).collect()
    }

    /// Runs a query against the database.
    pub fn query<
        T: diesel::QueryableByName<diesel::sqlite::Sqlite> + diesel::QueryableByName<diesel::pg::Pg> + 'static,
    >(
        &self,
        sql: &str,
    ) -> Vec<T> {
        use diesel::{Connection, RunQueryDsl};
        if let Some(path) = self.db.url.strip_prefix("sqlite://") {
            let mut conn = diesel::SqliteConnection::establish(path).unwrap();
            diesel::sql_query("PRAGMA busy_timeout = 10000").execute(&mut conn).unwrap();
            diesel::sql_query(sql).load(&mut conn).unwrap()
        } else {
            let mut conn = diesel::PgConnection::establish(&self.db.url).unwrap();
            diesel::sql_query(sql).load(&mut conn).unwrap()
        }
    }

    /// Alerts by status: `{"P0:sent": 3, …}`.
    pub fn alert_counts(&self) -> BTreeMap<String, usize> {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            code: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            status: String,
        }
        let rows: Vec<Row> = self.query("SELECT code, status FROM alerts");
        let mut counts = BTreeMap::new();
        for row in rows {
            *counts.entry(format!("{}:{}", row.code, row.status)).or_default() += 1;
        }
        counts
    }

    /// Waits until every outbox row is sent (and at least `rows` exist), or panics after `within`.
    pub async fn wait_all_sent(&self, rows: usize, within: Duration) -> Vec<(String, String, i32)> {
        let deadline = Instant::now() + within;
        loop {
            let outbox = self.outbox();
            if outbox.len() >= rows && outbox.iter().all(|(_, status, _)| status == "sent") {
                return outbox;
            }
            assert!(
                Instant::now() < deadline,
                "not every mail was sent within {within:?}: {} rows, {} sent",
                outbox.len(),
                outbox.iter().filter(|(_, s, _)| s == "sent").count()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A running `art33 serve`.
pub struct Live {
    /// The process.
    pub served: Served,
    http: reqwest::Client,
    token: String,
}

impl Live {
    /// The process id.
    pub fn pid(&self) -> u32 {
        self.served.child.id()
    }

    /// `URL` of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.served.address)
    }

    /// Reports a leak for `acme`; returns the incident; panics unless it is answered 201.
    pub async fn report(&self, title: &str) -> Value {
        self.try_report(title).await.unwrap_or_else(|e| panic!("report {title:?}: {e}"))
    }

    /// Reports a leak for `acme`; returns the incident when it was answered 201 and the error
    /// otherwise (no answer, or another status), without panicking.
    pub async fn try_report(&self, title: &str) -> Result<Value, String> {
        let response = self
            .http
            .post(self.url("/api/v1/incidents"))
            .bearer_auth(&self.token)
            .json(&json!({"client": "acme", "title": title, "summary": "Found by a live test"}))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() != StatusCode::CREATED {
            return Err(format!("answered {}", response.status()));
        }
        response.json().await.map_err(|e| e.to_string())
    }

    /// `GET path` with the officer's token; the status.
    pub async fn get_status(&self, path: &str) -> StatusCode {
        let response = self.http.get(self.url(path)).bearer_auth(&self.token).send().await;
        response.map(|r| r.status()).unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// The number of threads the process runs now.
    pub fn threads(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/task", self.pid())).map_or(0, |tasks| tasks.count())
    }

    /// Sends an event to an incident; panics unless it is accepted.
    pub async fn event(&self, id: &str, body: Value) -> Value {
        let response = self
            .http
            .post(self.url(&format!("/api/v1/incidents/{id}/events")))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{body}");
        response.json().await.unwrap()
    }

    /// `GET /healthz`: status and body.
    pub async fn health(&self) -> (StatusCode, String) {
        let response = self.http.get(self.url("/healthz")).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// `GET /metrics`, with the test metrics token (every live server has it).
    pub async fn metrics(&self) -> String {
        let response =
            self.http.get(self.url("/metrics")).bearer_auth(super::METRICS_TOKEN).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "/metrics");
        response.text().await.unwrap()
    }

    /// The value of a metric series as printed (`name{labels}`), if present.
    pub async fn metric(&self, series: &str) -> Option<f64> {
        let metrics = self.metrics().await;
        metrics.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
    }

    /// Waits until `/healthz` answers `status` (polling every 100 ms); returns the body, or panics
    /// after `within`.
    pub async fn wait_health(&self, status: StatusCode, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let (now, body) = self.health().await;
            if now == status {
                return body;
            }
            assert!(Instant::now() < deadline, "/healthz stayed {now} ({body:?}) for {within:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sends `signal` (`STOP`, `CONT`, `TERM`, …) to the process.
    pub fn signal(&self, signal: &str) {
        let status =
            Command::new("kill").args([&format!("-{signal}"), &self.pid().to_string()]).status().unwrap();
        assert!(status.success(), "kill -{signal}");
    }

    /// Pauses the process for `pause` (`SIGSTOP`, then `SIGCONT`).
    pub async fn pause(&self, pause: Duration) {
        self.signal("STOP");
        tokio::time::sleep(pause).await;
        self.signal("CONT");
    }

    /// Every log line so far.
    pub fn log(&self) -> Vec<String> {
        self.served.log()
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let pid = self.pid();
        let _ = self.served.child.kill();
        let _ = self.served.child.wait();
        // libfaketime leaves these behind, and a later process with the same pid would trip on them.
        let _ = std::fs::remove_file(format!("/dev/shm/faketime_shm_{pid}"));
        let _ = std::fs::remove_file(format!("/dev/shm/sem.faketime_sem_{pid}"));
    }
}

/// The wall clock of a live server, under the test's control through libfaketime: the library is
/// preloaded, and the offset from real time is read from a file at every clock read. Only the
/// wall clock moves (`FAKETIME_DONT_FAKE_MONOTONIC`), as when NTP steps a machine's clock or a
/// suspended VM resumes: the monotonic clock never steps in reality.
pub struct FakeClock {
    dir: tempfile::TempDir,
}

impl FakeClock {
    /// A clock at real time; `None` (with a note) when libfaketime is missing outside CI.
    pub fn new() -> Option<FakeClock> {
        if !std::path::Path::new(LIBFAKETIME).exists() {
            if std::env::var_os("CI").is_some() {
                panic!("{LIBFAKETIME} is missing: install the Debian package faketime (.ci/run does)");
            }
            eprintln!("note: clock-step test skipped: {LIBFAKETIME} is missing (apt-get install faketime)");
            return None;
        }
        let clock = FakeClock { dir: tempfile::tempdir().unwrap() };
        clock.set("+0");
        Some(clock)
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("faketime.rc")
    }

    /// Sets the offset from real time (`+80s`, `+2h`, `-1h`; each is from real time, not from the
    /// previous offset). Written atomically: libfaketime ends the process on a line it cannot parse.
    pub fn set(&self, offset: &str) {
        let partial = self.dir.path().join("faketime.rc.new");
        std::fs::write(&partial, format!("{offset}\n")).unwrap();
        std::fs::rename(&partial, self.file()).unwrap();
    }

    /// The variables that put a process under this clock.
    pub fn env(&self) -> Vec<(&'static str, &'static str)> {
        let file: &'static str = Box::leak(self.file().display().to_string().into_boxed_str());
        vec![
            ("LD_PRELOAD", LIBFAKETIME),
            ("FAKETIME_TIMESTAMP_FILE", file),
            ("FAKETIME_NO_CACHE", "1"),
            ("FAKETIME_DONT_FAKE_MONOTONIC", "1"),
        ]
    }
}

/// Waits until `smtp` received a mail for which `matches` holds, or panics after `within`;
/// returns it.
pub async fn wait_mail(
    smtp: &SmtpServer,
    within: Duration,
    matches: impl Fn(&ReceivedMail) -> bool,
) -> ReceivedMail {
    let deadline = Instant::now() + within;
    loop {
        if let Some(mail) = smtp.received().into_iter().find(|m| matches(m)) {
            return mail;
        }
        assert!(Instant::now() < deadline, "no such mail within {within:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Message-IDs received more than once, with their count.
pub fn duplicates(smtp: &SmtpServer) -> BTreeMap<String, usize> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for mail in smtp.received() {
        *seen.entry(mail.message_id().unwrap()).or_default() += 1;
    }
    seen.retain(|_, n| *n > 1);
    seen
}
