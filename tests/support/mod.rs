//! Test harness: a fresh database per test on each backend, the real server on a random port with a
//! manual clock, and helpers to create clients, users and tokens.
//!
//! PostgreSQL tests need `ART33_TEST_POSTGRES_URL` (a server where the user may create databases).
//! Without it they are skipped with a note on stderr, except under CI (`CI` set), where a missing
//! variable or an unreachable server fails the test loudly.

#![allow(dead_code, reason = "each test module uses part of the harness")]

pub mod browser;
pub mod cli;
pub mod hooks;
pub mod live;
pub mod oidc;
pub mod smtp;
pub mod statements;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use art33::clock::{Clock, ManualClock};
use art33::config::{Settings, Sources};
use art33::domain::locale::Locale;
use art33::domain::tenant::Role;
use art33::storage::directory::{self, NewApiToken, NewClient, NewUser};
use art33::storage::{Database, DatabaseUrl, OnOpen};
use art33::telemetry::metrics::Metrics;
use art33::web::{AppState, Application, ServerOptions};
use chrono::{DateTime, Utc};
use diesel::{Connection, PgConnection, RunQueryDsl};

/// The variable naming the PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "ART33_TEST_POSTGRES_URL";

/// Which backend a test runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh database on the server at this URL.
    Postgres(String),
}

impl Backend {
    /// The PostgreSQL backend, or `None` (with a note) when it is not configured outside CI.
    pub fn postgres() -> Option<Backend> {
        match std::env::var(POSTGRES_ENV) {
            Ok(url) if !url.trim().is_empty() => Some(Backend::Postgres(url)),
            _ if std::env::var_os("CI").is_some() => {
                panic!("{POSTGRES_ENV} must be set under CI: the PostgreSQL variant of this test cannot run")
            }
            _ => {
                eprintln!("note: PostgreSQL variant skipped: {POSTGRES_ENV} is not set");
                None
            }
        }
    }
}

/// A database that exists for one test and is dropped after it.
pub struct TestDb {
    /// The URL art33 connects to.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// Creates an empty database on `backend`.
    pub fn create(backend: &Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("art33.db").display());
                TestDb { url, _dir: Some(dir), pg: None }
            }
            Backend::Postgres(server) => {
                let name = format!("art33_t_{}", uuid::Uuid::new_v4().simple());
                let mut admin = PgConnection::establish(server)
                    .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {POSTGRES_ENV} for tests: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                let url = replace_database(server, &name);
                TestDb { url, _dir: None, pg: Some((server.clone(), name)) }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.pg
            && let Ok(mut admin) = PgConnection::establish(server)
        {
            let _ =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
        }
    }
}

/// The server URL with its database name replaced.
pub fn replace_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The instant every test clock starts at unless told otherwise.
pub fn default_start() -> DateTime<Utc> {
    "2026-10-22T10:00:00Z".parse().unwrap()
}

/// The metrics token of the test servers that set one ([`with_metrics_token`]).
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

/// `extra` settings plus the test metrics token.
pub fn with_metrics_token<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut env = extra.to_vec();
    env.push(("ART33__SERVER__METRICS_TOKEN", METRICS_TOKEN));
    env
}

/// Settings for a test: the given database, port 0, quiet logs, files under `dir`.
pub fn test_settings(db_url: &str, dir: &std::path::Path, extra_env: &[(&str, &str)]) -> Settings {
    let mut env: std::collections::HashMap<String, String> = [
        ("ART33_ENV", "test"),
        ("ART33__DATABASE__URL", db_url),
        ("ART33__DATABASE__POOL_SIZE", "4"),
        ("ART33__SERVER__LISTEN", "127.0.0.1:0"),
        // Tests report in bursts; the report rate limit has its own test
        // (pages::too_many_reports_are_refused_with_retry_after_and_the_form_kept).
        ("ART33__SERVER__REPORTS_PER_MINUTE", "0"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    env.insert("ART33__MAIL__FILE_DIR".into(), dir.join("mail-out").display().to_string());
    for (k, v) in extra_env {
        env.insert(k.to_string(), v.to_string());
    }
    Settings::load_from(&Sources { base_dir: PathBuf::from("/nonexistent"), env, config_file: None })
        .expect("test settings")
}

/// How long the tests' HTTP clients keep an idle connection for reuse: less than the server's
/// keep-alive (actix's 5 s), after which the server closes it. A request sent on a connection at
/// the instant the server closes it fails with no answer (hyper's `IncompleteMessage`; seen once in
/// `login::concurrent_guesses_never_get_more_verifications_than_the_limit`, whose 200 forms are
/// fetched over about 5 s before their posts go out at once). Browsers retry such a request; the
/// tests' clients do not, so they never reuse a connection that old.
const CLIENT_IDLE_TIMEOUT: Duration = Duration::from_secs(2);

/// The real server on a random port against a fresh database, with a manual clock.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// Direct access to the database.
    pub db: Database,
    /// The clock the server reads; move it to drive time.
    pub clock: ManualClock,
    /// The settings the server runs with.
    pub settings: Arc<Settings>,
    /// An HTTP client.
    pub http: reqwest::Client,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
    _test_db: TestDb,
    /// `http://127.0.0.1:PORT` of the metrics server, when `server.metrics_listen` is set.
    pub metrics_address: Option<String>,
    /// The server's metrics: [`TestApp::tick`], [`TestApp::drain_as`] and [`TestApp::runner`]
    /// report to them, as the scheduler of the server's process would.
    pub metrics: Arc<Metrics>,
}

impl TestApp {
    /// Starts a server on `backend`.
    pub async fn spawn(backend: &Backend) -> TestApp {
        Self::spawn_with(backend, &[]).await
    }

    /// Starts a server on `backend` with extra `ART33__…` settings.
    pub async fn spawn_with(backend: &Backend, extra_env: &[(&str, &str)]) -> TestApp {
        let test_db = TestDb::create(backend);
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = Arc::new(test_settings(&test_db.url, dir.path(), extra_env));
        let (db, _) = Database::open(&settings.database, OnOpen::Migrate).expect("open test database");
        let clock = ManualClock::new(default_start());
        let scheduler = Arc::new(art33::scheduler::Status::new(&settings));
        let metrics = Arc::new(Metrics::new(db.backend().name(), scheduler.clone()));
        let state = AppState {
            db: db.clone(),
            clock: Arc::new(clock.clone()),
            settings: settings.clone(),
            scheduler,
            metrics: metrics.clone(),
            standings: Default::default(),
            sso: Default::default(),
        };

        // The server runs on its own thread and runtime, so a test's runtime never has to drive it
        // and dropping the TestApp stops it cleanly.
        let (tx, rx) = mpsc::channel::<(SocketAddr, Option<SocketAddr>, actix_web::dev::ServerHandle)>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let app = Application::build(state, ServerOptions { workers: 2, handle_signals: false })
                    .expect("bind test server");
                tx.send((app.local_addr(), app.metrics_addr(), app.handle())).expect("report address");
                app.run_until_stopped().await.expect("server run");
            });
        });
        let (addr, metrics_addr, handle) = rx.recv_timeout(Duration::from_secs(30)).expect("server started");
        TestApp {
            address: format!("http://{addr}"),
            metrics_address: metrics_addr.map(|a| format!("http://{a}")),
            db,
            clock,
            settings,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .pool_idle_timeout(CLIENT_IDLE_TIMEOUT)
                .build()
                .unwrap(),
            handle,
            thread: Some(thread),
            _dir: dir,
            _test_db: test_db,
            metrics,
        }
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// The current instant of the test clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Registers a client with DPO `dpo@SLUG.example`.
    pub async fn add_client(&self, slug: &str) -> art33::domain::directory::Client {
        let new = NewClient {
            slug: slug.into(),
            name: format!("{slug} BV"),
            dpo_email: format!("dpo@{slug}.example"),
            dpo_name: None,
            escalation_emails: vec![format!("security@{slug}.example")],
            locale: Locale::Nl,
        };
        let now = self.now();
        self.db.run(move |c| directory::insert_client(c, "test", &new, now)).await.expect("add client")
    }

    /// Creates a user (bound to the client with `client_slug`, if given) and returns an API token.
    pub async fn add_user_with_token(&self, email: &str, role: Role, client_slug: Option<&str>) -> String {
        let email = email.to_string();
        let slug = client_slug.map(str::to_string);
        let now = self.now();
        let token = art33::auth::issue_api_token();
        let stored = (token.prefix.clone(), token.digest.clone());
        self.db
            .run(move |c| {
                let client_id = match slug {
                    Some(s) => Some(directory::client_by_slug(c, &s)?.expect("client exists").id),
                    None => None,
                };
                let user = directory::insert_user(
                    c,
                    "test",
                    &NewUser { email, name: None, role, client_id, password_hash: None },
                    now,
                )?;
                directory::insert_token(
                    c,
                    "test",
                    &NewApiToken { user_id: user.id, label: None, prefix: stored.0, digest: stored.1 },
                    now,
                )
            })
            .await
            .expect("add user");
        token.secret
    }

    /// Creates a user with a password (bound to `client_slug`, if given).
    pub async fn add_user_with_password(
        &self,
        email: &str,
        role: Role,
        client_slug: Option<&str>,
        password: &str,
    ) {
        let email = email.to_string();
        let slug = client_slug.map(str::to_string);
        let hash = art33::auth::hash_password(password, &[]).expect("hash");
        let now = self.now();
        self.db
            .run(move |c| {
                let client_id = match slug {
                    Some(s) => Some(directory::client_by_slug(c, &s)?.expect("client exists").id),
                    None => None,
                };
                directory::insert_user(
                    c,
                    "test",
                    &NewUser { email, name: None, role, client_id, password_hash: Some(hash) },
                    now,
                )
            })
            .await
            .expect("add user");
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .pool_idle_timeout(CLIENT_IDLE_TIMEOUT)
            .build()
            .unwrap()
    }

    /// Logs in through the login form and returns the browser-like client.
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Client {
        let (browser, response) = self.try_login(email, password).await;
        assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER, "login of {email}");
        browser
    }

    /// Submits the login form as a new browser would; the browser and the answer, whatever it is.
    pub async fn try_login(&self, email: &str, password: &str) -> (reqwest::Client, reqwest::Response) {
        let browser = self.browser();
        let page = browser.get(self.url("/login")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&page);
        let response = browser
            .post(self.url("/login"))
            .form(&[("csrf", csrf.as_str()), ("email", email), ("password", password), ("next", "/")])
            .send()
            .await
            .unwrap();
        (browser, response)
    }

    /// `GET path` with a bearer token.
    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.http.get(self.url(path)).bearer_auth(token).send().await.expect("request")
    }

    /// `POST path` with a JSON body and a bearer token.
    pub async fn post_json(&self, path: &str, token: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http.post(self.url(path)).bearer_auth(token).json(body).send().await.expect("request")
    }
}

impl TestApp {
    /// Starts a server on `backend` whose mail goes to `smtp` (timeouts of 2 s), with the test
    /// metrics token.
    pub async fn spawn_with_smtp(backend: &Backend, smtp: &smtp::SmtpServer) -> TestApp {
        let url = smtp.url();
        Self::spawn_with(
            backend,
            &with_metrics_token(&[
                ("ART33__MAIL__TRANSPORT", "smtp"),
                ("ART33__MAIL__SMTP_URL", url.as_str()),
                ("ART33__MAIL__TIMEOUT_SECONDS", "2"),
                ("ART33__ESCALATION__MANAGEMENT_EMAILS", "board@gx.example"),
            ]),
        )
        .await
    }

    /// A scheduler runner for this app's database, settings and clock (a "process" of its own,
    /// reporting to the server's metrics).
    pub fn runner(&self) -> art33::scheduler::Runner {
        let transport =
            art33::notify::transport::Transport::from_settings(&self.settings.mail).expect("transport");
        art33::scheduler::Runner::with_metrics(
            self.db.clone(),
            self.settings.clone(),
            Arc::new(self.clock.clone()),
            transport,
            self.metrics.clone(),
        )
    }

    /// One scheduler tick at the clock's current instant, counted in the server's metrics.
    pub async fn tick(&self) -> art33::app::fire::TickReport {
        let settings = self.settings.clone();
        let now = self.now();
        let report =
            self.db.run(move |conn| art33::app::fire::tick(conn, &settings, now)).await.expect("tick");
        self.metrics.tick_committed(&report);
        report
    }

    /// `GET /metrics` on the main port with the metrics token: its status and body.
    pub async fn scrape(&self) -> (reqwest::StatusCode, String) {
        let token = self.settings.server.metrics_token.as_ref().expect("a metrics token is set");
        let response =
            self.http.get(self.url("/metrics")).bearer_auth(token.expose()).send().await.expect("request");
        (response.status(), response.text().await.expect("body"))
    }

    /// Drains the outbox once at the clock's current instant, as worker `worker`.
    pub async fn drain_as(&self, worker: &str) -> art33::notify::delivery::DrainReport {
        let transport =
            art33::notify::transport::Transport::from_settings(&self.settings.mail).expect("transport");
        let deliverer = art33::notify::delivery::Deliverer::new(
            self.db.clone(),
            transport,
            self.settings.mail.clone(),
            worker,
            Arc::new(self.clock.clone()),
        );
        deliverer.drain_all(&self.metrics.scheduler().mail).await.expect("drain")
    }

    /// Drains the outbox once.
    pub async fn drain(&self) -> art33::notify::delivery::DrainReport {
        self.drain_as("test-worker").await
    }

    /// Moves the clock forward to `until`, ticking at every alert instant on the way (as a scheduler
    /// that never misses a tick would), and at `until` itself.
    pub async fn run_until(&self, until: DateTime<Utc>) {
        loop {
            // Tick first: firing may plan follow-ups (U0, A5 reminders) that fall before `until`.
            self.tick().await;
            let now = self.now();
            let next: Option<chrono::NaiveDateTime> = self
                .db
                .run(move |conn| {
                    use art33::storage::schema::alerts::dsl::*;
                    use diesel::prelude::*;
                    Ok::<_, art33::storage::StorageError>(
                        alerts
                            .filter(status.eq("planned"))
                            .filter(due_at.gt(now.naive_utc()))
                            .select(diesel::dsl::min(due_at))
                            .get_result::<Option<chrono::NaiveDateTime>>(conn)?,
                    )
                })
                .await
                .expect("next due");
            match next.map(|n| n.and_utc()) {
                Some(next) if next <= until => self.clock.set(next),
                _ => break,
            }
        }
        self.clock.set(until);
        self.tick().await;
    }

    /// The alert schedule of an incident as the API shows it to `token`.
    pub async fn alerts(&self, token: &str, id: &str) -> Vec<serde_json::Value> {
        let response = self.get(&format!("/api/v1/incidents/{id}/alerts"), token).await;
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        json(response).await["items"].as_array().cloned().unwrap_or_default()
    }

    /// `code → status` of the newest row per code (repeats of A5 listed as `A5#n`).
    pub async fn alert_statuses(&self, token: &str, id: &str) -> std::collections::BTreeMap<String, String> {
        self.alerts(token, id)
            .await
            .into_iter()
            .map(|a| {
                let repeat = a["repeat_no"].as_i64().unwrap_or(0);
                let code = a["code"].as_str().unwrap().to_string();
                let key = if repeat > 0 { format!("{code}#{repeat}") } else { code };
                (key, a["status"].as_str().unwrap().to_string())
            })
            .collect()
    }

    /// `PATCH path` with a JSON body and a bearer token.
    pub async fn patch_json(&self, path: &str, token: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http.patch(self.url(path)).bearer_auth(token).json(body).send().await.expect("request")
    }

    /// Reports an incident for `client` and returns its JSON (asserting 201).
    pub async fn report(&self, token: &str, client: &str, extra: serde_json::Value) -> serde_json::Value {
        let mut body = serde_json::json!({"client": client, "title": "Laptop stolen", "summary": "A laptop was stolen from a car"});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let response = self.post_json("/api/v1/incidents", token, &body).await;
        assert_eq!(response.status(), reqwest::StatusCode::CREATED, "report");
        json(response).await
    }

    /// Posts an event to an incident.
    pub async fn event(&self, token: &str, id: &str, body: serde_json::Value) -> reqwest::Response {
        self.post_json(&format!("/api/v1/incidents/{id}/events"), token, &body).await
    }

    /// Posts an event and asserts 200; returns the incident.
    pub async fn event_ok(&self, token: &str, id: &str, body: serde_json::Value) -> serde_json::Value {
        let response = self.event(token, id, body.clone()).await;
        let status = response.status();
        let value = json(response).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body} → {value}");
        value
    }

    /// Sets the clock.
    pub fn set_now(&self, rfc3339: &str) {
        self.clock.set(rfc3339.parse().expect("RFC 3339 instant"));
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        futures::executor::block_on(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads a JSON body, failing with the raw text when it is not JSON.
pub async fn json(response: reqwest::Response) -> serde_json::Value {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Generates one test per backend for each named async fn taking a [`Backend`]:
/// `NAME::sqlite` and `NAME::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::support::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(backend) = $crate::support::Backend::postgres() {
                        super::$name(backend).await;
                    }
                }
            }
        )*
    };
}

/// Generates one test per backend for each named blocking fn taking a `&`[`Backend`]:
/// `NAME::sqlite` and `NAME::postgres`.
#[macro_export]
macro_rules! on_both_backends_blocking {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(&$crate::support::Backend::Sqlite);
                }

                #[test]
                fn postgres() {
                    if let Some(backend) = $crate::support::Backend::postgres() {
                        super::$name(&backend);
                    }
                }
            }
        )*
    };
}

/// Opens a database directly (no server) on `backend`, migrated.
pub fn open_db(test_db: &TestDb) -> Database {
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    Database::open_url(&url, 4, Duration::from_secs(5), OnOpen::Migrate).unwrap().0
}

/// Role shorthand for tests.
pub const ROLES: [Role; 4] = Role::ALL;

/// The CSRF token of the first form on a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}
