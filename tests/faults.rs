//! Fault tests: the database cut away mid-run, the server killed during a burst of alerts, a full or
//! read-only disk. Whatever breaks, no accepted report and no alert is lost or doubled.

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use art33::domain::tenant::Role;
use diesel::{Connection, RunQueryDsl};
use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_backends;
use crate::support::cli::{run, serve, stderr, stdout};
use crate::support::smtp::SmtpServer;
use crate::support::{Backend, TestApp, TestDb, json, with_metrics_token};

fn admin_sql(server: &str, statement: &str) {
    let mut admin = diesel::PgConnection::establish(server).unwrap();
    diesel::sql_query(statement).execute(&mut admin).unwrap();
}

/// PostgreSQL only: the database refuses and drops every connection for a while.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_cut_away_answers_503_then_recovers_without_losing_or_doubling_alerts() {
    let Some(backend) = Backend::postgres() else { return };
    let Backend::Postgres(server) = &backend else { unreachable!() };
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_with(
        &backend,
        &with_metrics_token(&[
            ("ART33__MAIL__TRANSPORT", "smtp"),
            ("ART33__MAIL__SMTP_URL", url.as_str()),
            ("ART33__MAIL__TIMEOUT_SECONDS", "2"),
            ("ART33__DATABASE__CONNECT_TIMEOUT_SECONDS", "1"),
        ]),
    )
    .await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    for _ in 0..20 {
        app.report(&token, "acme", json!({})).await;
    }
    let database =
        app.settings.database.url.expose().rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
    let runner = app.runner();
    for round in 0..3 {
        admin_sql(server, &format!("ALTER DATABASE {database} ALLOW_CONNECTIONS false"));
        admin_sql(
            server,
            &format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()"
            ),
        );
        let api = app.get("/api/v1/incidents", &token).await;
        assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE, "round {round}");
        assert_eq!(json(api).await["error"], "unavailable");
        let health = app.http.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
        runner.run_once().await; // fails quietly and retries at the next tick
        admin_sql(server, &format!("ALTER DATABASE {database} ALLOW_CONNECTIONS true"));
        assert_eq!(
            app.get("/api/v1/incidents", &token).await.status(),
            StatusCode::OK,
            "recovered without a restart"
        );
        if round == 1 {
            runner.run_once().await;
        }
    }
    for _ in 0..10 {
        runner.run_once().await;
    }
    let mails = smtp.wait_for(40, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mails = if smtp.received().len() > mails.len() { smtp.received() } else { mails };
    assert_eq!(mails.len(), 40, "20 P0 alerts to officer and DPO, each once");
    let mut ids: Vec<String> = mails.iter().map(|m| m.message_id().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40);
    let (_, metrics) = app.scrape().await;
    assert!(metrics.contains("art33_alerts_total{code=\"P0\",status=\"sent\"} 20"), "{metrics}");
}

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    message_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
}

fn outbox_rows(url: &str) -> Vec<Row> {
    let query = "SELECT message_id, status FROM outbox";
    if let Some(path) = url.strip_prefix("sqlite://") {
        let mut conn = diesel::SqliteConnection::establish(path).unwrap();
        diesel::sql_query("PRAGMA busy_timeout = 10000").execute(&mut conn).unwrap();
        diesel::sql_query(query).load(&mut conn).unwrap()
    } else {
        let mut conn = diesel::PgConnection::establish(url).unwrap();
        diesel::sql_query(query).load(&mut conn).unwrap()
    }
}

on_both_backends!(a_sigkill_during_a_burst_of_500_due_alerts_loses_nothing);

async fn a_sigkill_during_a_burst_of_500_due_alerts_loses_nothing(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let db = TestDb::create(&backend);
    let dir = tempfile::tempdir().unwrap();
    let url = smtp.url();
    let quiet = [
        ("ART33__DATABASE__URL", db.url.as_str()),
        ("ART33__MAIL__TRANSPORT", "smtp"),
        ("ART33__MAIL__SMTP_URL", url.as_str()),
        ("ART33__MAIL__TIMEOUT_SECONDS", "2"),
        ("ART33__SCHEDULER__TICK_SECONDS", "3600"),
    ];
    let busy = [
        ("ART33__DATABASE__URL", db.url.as_str()),
        ("ART33__MAIL__TRANSPORT", "smtp"),
        ("ART33__MAIL__SMTP_URL", url.as_str()),
        ("ART33__MAIL__TIMEOUT_SECONDS", "2"),
        ("ART33__SCHEDULER__TICK_SECONDS", "1"),
    ];
    assert!(run(dir.path(), &["migrate"], &quiet).status.success());
    assert!(
        run(
            dir.path(),
            &["client", "add", "--slug", "acme", "--name", "Acme", "--dpo-email", "dpo@acme.example"],
            &quiet
        )
        .status
        .success()
    );
    assert!(
        run(dir.path(), &["user", "add", "--email", "officer@gx.example", "--role", "officer"], &quiet)
            .status
            .success()
    );
    let token = stdout(&run(dir.path(), &["token", "create", "--email", "officer@gx.example"], &quiet))
        .trim()
        .to_string();

    // 500 reports while no tick runs: 500 P0 alerts fall due together.
    let first = serve(dir.path(), &quiet);
    let http = reqwest::Client::new();
    for n in 0..500 {
        let response = http
            .post(format!("{}/api/v1/incidents", first.address))
            .bearer_auth(&token)
            .json(&json!({"client": "acme", "title": format!("burst {n}"), "summary": "s"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    assert!(first.terminate().success());

    // The burst starts; the server is killed in the middle of it.
    let mut second = serve(dir.path(), &busy);
    let started = Instant::now();
    while smtp.received().len() < 200 {
        assert!(started.elapsed() < Duration::from_secs(120), "the burst did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    second.child.kill().unwrap(); // SIGKILL: no shutdown, leases and half-done work stay behind
    second.child.wait().unwrap();
    let at_kill = smtp.received().len();
    assert!(at_kill < 1000, "killed before the end of the burst ({at_kill})");

    let third = serve(dir.path(), &busy);
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let rows = outbox_rows(&db.url);
        if rows.len() == 1000 && rows.iter().all(|r| r.status == "sent") {
            break;
        }
        assert!(Instant::now() < deadline, "not every mail was sent after the restart");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    drop(third);
    let rows = outbox_rows(&db.url);
    assert_eq!(rows.len(), 1000, "every alert planned its mails once");
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for mail in smtp.received() {
        *seen.entry(mail.message_id().unwrap()).or_default() += 1;
    }
    for row in &rows {
        assert!(seen.contains_key(&row.message_id), "mail {} never arrived", row.message_id);
    }
    assert_eq!(seen.len(), 1000, "no mail outside the outbox");
    assert!(seen.values().all(|n| *n <= 2), "a duplicate at most once per kill, with the same Message-ID");
}

/// A mount point on a small tmpfs of its own (root only); `None` outside CI when not permitted.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs", dir.path().to_str().unwrap()])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            if std::env::var_os("CI").is_some() {
                panic!("the disk fault test needs to mount a tmpfs (run as root)");
            }
            eprintln!("note: disk fault test skipped: cannot mount a tmpfs here");
            return None;
        }
        Some(SmallDisk { dir })
    }

    /// Remounts with `options`. Read-only needs every file on the disk closed, and the stopped
    /// server's last connection may close a moment after its stop returns (seen once under the full
    /// suite: "mount point is busy"), so a busy mount point is asked again for up to ten seconds.
    fn remount(&self, options: &str) {
        let asked = Instant::now();
        loop {
            let out = Command::new("mount")
                .args(["-o", &format!("remount,{options}"), self.dir.path().to_str().unwrap()])
                .output()
                .unwrap();
            let message = String::from_utf8_lossy(&out.stderr);
            if out.status.success() {
                return;
            }
            assert!(message.contains("busy") && asked.elapsed() < Duration::from_secs(10), "{message}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).output();
    }
}

/// PostgreSQL only (a SQLite file does not go away): with the database away, 96 requests at once
/// (reads, and reports to 16 clients) are all answered 503 within about
/// `database.connect_timeout_seconds`, not one timeout after another. The HTTP workers have as many
/// blocking threads as the pool has connections, so most requests first queue for a thread; that
/// wait counts against the timeout (`storage::checkout`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_while_postgres_is_away_is_answered_503_within_the_connect_timeout() {
    use futures::StreamExt as _;
    let Some(backend) = Backend::postgres() else { return };
    let Backend::Postgres(server) = &backend else { unreachable!() };
    let app = TestApp::spawn_with(&backend, &[("ART33__DATABASE__CONNECT_TIMEOUT_SECONDS", "1")]).await;
    app.add_client("acme").await;
    // Reports to many clients too (their first query, before any grouped write, is what answers).
    for n in 0..16 {
        app.add_client(&format!("c{n:02}")).await;
    }
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let database =
        app.settings.database.url.expose().rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
    admin_sql(server, &format!("ALTER DATABASE {database} ALLOW_CONNECTIONS false"));
    admin_sql(
        server,
        &format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()"
        ),
    );
    let started = Instant::now();
    let statuses: Vec<(StatusCode, Duration)> = futures::stream::iter(0..96)
        .map(|n| {
            let (app, token) = (&app, &token);
            async move {
                let response = match n % 3 {
                    0 => {
                        let report =
                            json!({"client": format!("c{:02}", n % 16), "title": format!("Report {n}")});
                        app.post_json("/api/v1/incidents", token, &report).await
                    }
                    _ => app.get("/api/v1/incidents", token).await,
                };
                (response.status(), started.elapsed())
            }
        })
        .buffer_unordered(96)
        .collect()
        .await;
    admin_sql(server, &format!("ALTER DATABASE {database} ALLOW_CONNECTIONS true"));
    assert!(statuses.iter().all(|(s, _)| *s == StatusCode::SERVICE_UNAVAILABLE), "{statuses:?}");
    let slowest = statuses.iter().map(|(_, t)| *t).max().unwrap();
    // One timeout of a second, and the margin of a loaded test machine; a queue of 96 requests on
    // 8 threads, each waiting its own second, takes 12.
    assert!(slowest < Duration::from_secs(4), "the last 503 came after {slowest:?}");
    assert_eq!(app.get("/api/v1/incidents", &token).await.status(), StatusCode::OK, "recovered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_or_read_only_disk_under_sqlite_is_a_clear_error_without_corruption() {
    let Some(disk) = SmallDisk::mount("1m") else { return };
    let db_url = format!("sqlite://{}", disk.dir.path().join("art33.db").display());
    {
        let app = TestApp::spawn_with(&Backend::Sqlite, &[("ART33__DATABASE__URL", db_url.as_str())]).await;
        app.add_client("acme").await;
        let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
        let story = "The printer queue held a long export. ".repeat(200);
        let mut accepted = 0;
        let refused = loop {
            let response = app
                .post_json(
                    "/api/v1/incidents",
                    &token,
                    &json!({"client": "acme", "title": "disk", "summary": story}),
                )
                .await;
            if response.status() != StatusCode::CREATED {
                break response;
            }
            accepted += 1;
            assert!(accepted < 1000, "the disk never filled up");
        };
        assert_eq!(
            refused.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "a full disk is a clear 503, not a 500"
        );
        assert_eq!(json(refused).await["error"], "unavailable");
        let listed = json(app.get("/api/v1/incidents", &token).await).await;
        assert_eq!(listed["items"].as_array().unwrap().len(), accepted, "every accepted report is there");

        disk.remount("size=20m");
        let more = app
            .post_json(
                "/api/v1/incidents",
                &token,
                &json!({"client": "acme", "title": "after", "summary": "s"}),
            )
            .await;
        assert_eq!(more.status(), StatusCode::CREATED, "writes work again once there is room");

        assert_eq!(
            json(app.get("/api/v1/incidents", &token).await).await["items"].as_array().unwrap().len(),
            accepted + 1
        );
    }
    // A read-only disk (remounting needs the files closed): the server refuses to start, clearly.
    disk.remount("ro");
    let dir = tempfile::tempdir().unwrap();
    let refused = run(
        dir.path(),
        &["serve"],
        &[("ART33__DATABASE__URL", db_url.as_str()), ("ART33__SERVER__LISTEN", "127.0.0.1:0")],
    );
    assert_eq!(refused.status.code(), Some(1));
    let message = stderr(&refused);
    assert!(message.contains("read") || message.contains("unable to open"), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    disk.remount("rw");
    #[derive(diesel::QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let mut conn = diesel::SqliteConnection::establish(db_url.strip_prefix("sqlite://").unwrap()).unwrap();
    let check: Check = diesel::sql_query("PRAGMA integrity_check").get_result(&mut conn).unwrap();
    assert_eq!(check.integrity_check, "ok", "no corruption");
    drop(conn);
    let dir = tempfile::tempdir().unwrap();
    let verify = run(dir.path(), &["audit", "verify"], &[("ART33__DATABASE__URL", db_url.as_str())]);
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
}
