//! `/metrics`: off unless configured, behind its token on the main port or alone on
//! `server.metrics_listen`; counters that move where things happen; and the database figures of
//! `/metrics` and `/healthz` read through bounded, indexed queries.

use std::collections::BTreeMap;
use std::time::Duration;

use art33::domain::tenant::Role;
use art33::storage::{StorageError, alerts, incidents, outbox};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_backends;
use crate::support::live::LiveWorld;
use crate::support::smtp::SmtpServer;
use crate::support::statements::Recorder;
use crate::support::{Backend, METRICS_TOKEN, TestApp, json, with_metrics_token};

on_both_backends!(
    metrics_are_off_when_neither_a_token_nor_a_listener_is_set,
    the_main_port_serves_metrics_only_with_the_token,
    metrics_listen_serves_metrics_alone_and_without_a_token,
    counters_move_when_an_alert_fires_and_a_mail_is_sent,
    the_backlog_queries_count_what_a_full_scan_would,
    the_metrics_and_health_queries_are_served_by_indexes,
);

/// The value of a series (`name{labels}`) in an exposition, if present.
fn value(body: &str, series: &str) -> Option<f64> {
    body.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
}

async fn metrics_are_off_when_neither_a_token_nor_a_listener_is_set(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    assert!(app.metrics_address.is_none());
    for token in [None, Some(METRICS_TOKEN)] {
        let mut request = app.http.get(app.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        assert_eq!(request.send().await.unwrap().status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(app.http.get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
}

async fn the_main_port_serves_metrics_only_with_the_token(backend: Backend) {
    let app = TestApp::spawn_with(&backend, &with_metrics_token(&[])).await;
    let api_token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let wrong = format!("{METRICS_TOKEN}x");
    for (label, header) in [
        ("no header", None),
        ("a wrong token", Some(format!("Bearer {wrong}"))),
        ("a shorter token", Some(format!("Bearer {}", &METRICS_TOKEN[..10]))),
        ("an API token", Some(format!("Bearer {api_token}"))),
        ("another scheme", Some(format!("Basic {METRICS_TOKEN}"))),
    ] {
        let mut request = app.http.get(app.url("/metrics"));
        if let Some(header) = header {
            request = request.header("Authorization", header);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{label}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer realm=\"art33\"", "{label}");
        let body = json(response).await;
        assert_eq!(body["error"], "unauthenticated", "{label}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{label}: {body}");
        assert!(!body.to_string().contains(METRICS_TOKEN), "{label}: the token is never echoed");
    }
    let (status, body) = app.scrape().await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("# TYPE art33_alert_lag_seconds histogram"), "{body}");
    assert_eq!(value(&body, "art33_database_up"), Some(1.0), "{body}");
    let response = app.http.get(app.url("/metrics")).bearer_auth(METRICS_TOKEN).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/plain; version=0.0.4; charset=utf-8");
}

async fn metrics_listen_serves_metrics_alone_and_without_a_token(backend: Backend) {
    let app = TestApp::spawn_with(&backend, &[("ART33__SERVER__METRICS_LISTEN", "127.0.0.1:0")]).await;
    let metrics = app.metrics_address.clone().expect("a metrics server");
    assert_ne!(metrics, app.address);
    let response = app.http.get(format!("{metrics}/metrics")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    assert!(body.contains("art33_build_info"), "{body}");
    assert_eq!(value(&body, "art33_database_up"), Some(1.0), "{body}");
    for other in ["/healthz", "/api/v1/incidents", "/login", "/"] {
        let status = app.http.get(format!("{metrics}{other}")).send().await.unwrap().status();
        assert_eq!(status, StatusCode::NOT_FOUND, "the metrics port serves only /metrics, not {other}");
    }
    let main = app.http.get(app.url("/metrics")).bearer_auth(METRICS_TOKEN).send().await.unwrap();
    assert_eq!(main.status(), StatusCode::NOT_FOUND, "without a token the main port does not serve them");
    drop(app);

    // Both: the listener without a token, the main port with it.
    let app = TestApp::spawn_with(
        &backend,
        &with_metrics_token(&[("ART33__SERVER__METRICS_LISTEN", "127.0.0.1:0")]),
    )
    .await;
    let metrics = app.metrics_address.clone().expect("a metrics server");
    assert_eq!(app.http.get(format!("{metrics}/metrics")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(app.http.get(app.url("/metrics")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.scrape().await.0, StatusCode::OK);
}

async fn counters_move_when_an_alert_fires_and_a_mail_is_sent(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_with_smtp(&backend, &smtp).await;
    app.add_client("acme").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let (_, before) = app.scrape().await;
    assert_eq!(value(&before, "art33_alerts_total{code=\"P0\",status=\"sent\"}"), None, "{before}");
    assert_eq!(value(&before, "art33_alert_lag_seconds_count"), Some(0.0));
    assert_eq!(value(&before, "art33_mail_attempts_total{outcome=\"sent\"}"), Some(0.0));
    assert_eq!(value(&before, "art33_incidents{state=\"reported\"}"), Some(0.0));

    app.report(&officer, "acme", json!({})).await;
    // The tick comes 90 s late: the lag shows.
    app.clock.advance(chrono::Duration::seconds(90));
    let fired = app.tick().await;
    assert_eq!(fired.sent, 1);
    let (_, ticked) = app.scrape().await;
    assert_eq!(value(&ticked, "art33_alerts_total{code=\"P0\",status=\"sent\"}"), Some(1.0), "{ticked}");
    assert_eq!(value(&ticked, "art33_alert_lag_seconds_count"), Some(1.0));
    assert_eq!(value(&ticked, "art33_alert_lag_seconds_bucket{le=\"60\"}"), Some(0.0), "{ticked}");
    assert_eq!(value(&ticked, "art33_alert_lag_seconds_bucket{le=\"120\"}"), Some(1.0), "{ticked}");
    assert_eq!(value(&ticked, "art33_alert_lag_seconds_sum"), Some(90.0));
    assert_eq!(value(&ticked, "art33_outbox_mails{status=\"pending\"}"), Some(fired.mails as f64));
    assert_eq!(value(&ticked, "art33_incidents{state=\"reported\"}"), Some(1.0));
    assert_eq!(value(&ticked, "art33_mail_attempts_total{outcome=\"sent\"}"), Some(0.0));

    let drained = app.drain().await;
    assert_eq!(drained.sent, fired.mails);
    let (_, sent) = app.scrape().await;
    assert_eq!(
        value(&sent, "art33_mail_attempts_total{outcome=\"sent\"}"),
        Some(fired.mails as f64),
        "{sent}"
    );
    assert_eq!(value(&sent, "art33_mail_attempts_total{outcome=\"failed\"}"), Some(0.0));
    assert_eq!(value(&sent, "art33_outbox_mails{status=\"pending\"}"), Some(0.0));
    assert_eq!(value(&sent, "art33_outbox_oldest_due_seconds"), Some(0.0));
    let scrapes = value(&sent, "art33_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\"}");
    assert!(scrapes.is_some_and(|n| n >= 2.0), "requests are counted by route: {sent}");

    // A runner (the scheduler's own path) counts into the same metrics.
    app.report(&officer, "acme", json!({})).await;
    app.runner().run_once().await;
    smtp.wait_for(fired.mails * 2, Duration::from_secs(10)).await;
    let (_, run) = app.scrape().await;
    assert_eq!(value(&run, "art33_alerts_total{code=\"P0\",status=\"sent\"}"), Some(2.0), "{run}");
    assert_eq!(value(&run, "art33_mail_attempts_total{outcome=\"sent\"}"), Some(2.0 * fired.mails as f64));
    assert_eq!(value(&run, "art33_scheduler_runs_total{loop=\"tick\"}"), Some(1.0), "{run}");
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct OutboxRow {
    status: String,
    next_attempt_at: NaiveDateTime,
    last_error: Option<String>,
    attempts: i32,
}

/// Incidents reported, one confirmed and one dismissed, their P0s fired and mailed, and outbox
/// rows in every status: the raw material of the backlog queries.
async fn world_with_a_backlog(backend: &Backend) -> (TestApp, String) {
    let app = TestApp::spawn(backend).await;
    app.add_client("acme").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(app.report(&officer, "acme", json!({})).await["id"].as_str().unwrap().to_string());
    }
    app.event_ok(
        &officer,
        &ids[0],
        json!({"type": "confirm", "controller_aware_at": "2026-10-22T09:00:00Z"}),
    )
    .await;
    app.event_ok(&officer, &ids[1], json!({"type": "dismiss", "reason": "No personal data involved"})).await;
    app.tick().await;
    app.drain().await;
    app.clock.advance(chrono::Duration::minutes(10));
    for _ in 0..2 {
        app.report(&officer, "acme", json!({})).await;
    }
    app.tick().await;
    // Of the mails now pending: one given up, one failed once and waiting for its retry in an hour.
    let now = app.now().naive_utc();
    app.db
        .run(move |c| {
            use art33::storage::schema::outbox::dsl::*;
            let waiting: Vec<String> =
                outbox.filter(status.eq("pending")).order(created_at.asc()).select(id).load(c)?;
            diesel::update(outbox.filter(id.eq(&waiting[0])))
                .set((status.eq("failed"), attempts.eq(3), last_error.eq("550 no such user")))
                .execute(c)?;
            diesel::update(outbox.filter(id.eq(&waiting[1])))
                .set((
                    attempts.eq(1),
                    last_error.eq("451 try later"),
                    next_attempt_at.eq(now + chrono::Duration::hours(1)),
                ))
                .execute(c)?;
            Ok::<_, StorageError>(())
        })
        .await
        .unwrap();
    (app, officer)
}

async fn the_backlog_queries_count_what_a_full_scan_would(backend: Backend) {
    let (app, _) = world_with_a_backlog(&backend).await;
    let rows: Vec<OutboxRow> = app
        .db
        .run(|c| {
            use art33::storage::schema::outbox::dsl::*;
            Ok::<_, StorageError>(
                outbox
                    .select((status, next_attempt_at, last_error, attempts))
                    .load::<(String, NaiveDateTime, Option<String>, i32)>(c)?
                    .into_iter()
                    .map(|(s, n, e, a)| OutboxRow {
                        status: s,
                        next_attempt_at: n,
                        last_error: e,
                        attempts: a,
                    })
                    .collect(),
            )
        })
        .await
        .unwrap();
    for at in [app.now(), app.now() + chrono::Duration::minutes(30), app.now() + chrono::Duration::hours(2)] {
        let backlog = app.db.run(move |c| outbox::backlog(c, outbox::channel::MAIL, at)).await.unwrap();
        let pending: Vec<&OutboxRow> = rows.iter().filter(|r| r.status == "pending").collect();
        assert_eq!(backlog.pending, pending.len() as i64);
        assert!(backlog.pending >= 2, "{rows:?}");
        assert_eq!(
            backlog.retrying,
            pending.iter().filter(|r| r.last_error.is_some() && r.attempts > 0).count() as i64
        );
        assert_eq!(backlog.retrying, 1);
        assert_eq!(backlog.failed, rows.iter().filter(|r| r.status == "failed").count() as i64);
        assert_eq!(backlog.failed, 1);
        let oldest = pending
            .iter()
            .map(|r| r.next_attempt_at)
            .filter(|n| n.and_utc() <= at)
            .min()
            .map(|n| n.and_utc());
        assert_eq!(backlog.oldest_due, oldest, "at {at}");
        assert_eq!(
            app.db.run(move |c| outbox::oldest_due(c, outbox::channel::MAIL, at)).await.unwrap(),
            oldest
        );
    }
    assert!(rows.iter().any(|r| r.status == "sent"), "sent mails exist and are not counted");

    let planned: Vec<(NaiveDateTime, NaiveDateTime)> = app
        .db
        .run(|c| {
            use art33::storage::schema::alerts::dsl::*;
            Ok::<_, StorageError>(alerts.filter(status.eq("planned")).select((due_at, created_at)).load(c)?)
        })
        .await
        .unwrap();
    assert!(!planned.is_empty());
    let mut instants: Vec<DateTime<Utc>> =
        planned.iter().flat_map(|(d, c)| [d.and_utc(), c.and_utc()]).collect();
    instants.extend([app.now(), app.now() + chrono::Duration::days(30)]);
    for instant in instants {
        for threshold in [instant, instant + chrono::Duration::seconds(1)] {
            let expected = planned.iter().any(|(d, c)| d.and_utc() < threshold && c.and_utc() < threshold);
            let found = app.db.run(move |c| alerts::waiting_since_before(c, threshold)).await.unwrap();
            assert_eq!(found, expected, "threshold {threshold}");
        }
    }

    let states: Vec<String> = app
        .db
        .run(|c| {
            use art33::storage::schema::incidents::dsl::*;
            Ok::<_, StorageError>(incidents.select(state).load(c)?)
        })
        .await
        .unwrap();
    let open = app.db.run(incidents::count_open_by_state).await.unwrap();
    let mut expected: BTreeMap<&str, i64> = BTreeMap::from([("reported", 0), ("confirmed", 0)]);
    for s in &states {
        if let Some(n) = expected.get_mut(s.as_str()) {
            *n += 1;
        }
    }
    assert_eq!(open.into_iter().collect::<BTreeMap<_, _>>(), expected);
    assert_eq!(expected["reported"], 4);
    assert_eq!(expected["confirmed"], 1);
    assert!(states.iter().any(|s| s == "dismissed"), "decided incidents exist and are not counted");
}

#[derive(QueryableByName)]
struct SqlitePlanLine {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PostgresPlanLine {
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    line: String,
}

/// Every statement `/metrics` and `/healthz` issue, captured as the database receives them, has a
/// plan that reads an index: SQLite's plan has no bare table scan, and PostgreSQL, with sequential
/// scans disabled and a generic plan forced, still finds an index for each.
async fn the_metrics_and_health_queries_are_served_by_indexes(backend: Backend) {
    let (app, _) = world_with_a_backlog(&backend).await;
    let now = app.now();
    let ((), statements) = traced(&app, move |c| {
        for channel in [outbox::channel::MAIL, outbox::channel::WEBHOOK] {
            outbox::backlog(c, channel, now)?;
            outbox::oldest_due(c, channel, now)?;
        }
        alerts::waiting_since_before(c, now)?;
        incidents::count_open_by_state(c)?;
        Ok(())
    })
    .await;
    let statements: Vec<String> = statements.into_iter().filter(|s| s.starts_with("SELECT")).collect();
    // For mails and for posts: the backlog's three counts and its oldest due row, that again; then
    // the alert, the incidents.
    assert_eq!(statements.len(), 2 * 5 + 2, "{statements:#?}");
    let url = app.settings.database.url.expose().clone();
    for sql in &statements {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let mut conn = diesel::SqliteConnection::establish(path).unwrap();
            let plan: Vec<SqlitePlanLine> =
                diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(&mut conn).unwrap();
            let lines: Vec<&str> = plan.iter().map(|l| l.detail.as_str()).collect();
            assert!(!lines.is_empty());
            for line in &lines {
                let table_read = line.starts_with("SCAN") || line.starts_with("SEARCH");
                assert!(!table_read || line.contains("INDEX"), "{sql}\nreads a whole table: {lines:?}");
            }
        } else {
            let mut conn = diesel::PgConnection::establish(&url).unwrap();
            diesel::sql_query("SET enable_seqscan = off").execute(&mut conn).unwrap();
            diesel::sql_query("SET plan_cache_mode = force_generic_plan").execute(&mut conn).unwrap();
            diesel::sql_query(format!("PREPARE probe AS {sql}")).execute(&mut conn).unwrap();
            let params = (1..=9).filter(|n| sql.contains(&format!("${n}"))).count();
            let args = vec!["'2026-10-22 10:00:00'"; params].join(", ");
            let execute = if params == 0 {
                "EXPLAIN EXECUTE probe".to_string()
            } else {
                format!("EXPLAIN EXECUTE probe({args})")
            };
            let plan: Vec<PostgresPlanLine> = diesel::sql_query(execute).load(&mut conn).unwrap();
            let lines: Vec<&str> = plan.iter().map(|l| l.line.as_str()).collect();
            assert!(lines.iter().all(|l| !l.contains("Seq Scan")), "{sql}\nreads a whole table: {lines:#?}");
            diesel::sql_query("DEALLOCATE probe").execute(&mut conn).unwrap();
        }
    }
}

/// The metrics token never reaches the logs, whether it is presented right or wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_metrics_token_never_appears_in_the_logs() {
    let smtp = SmtpServer::start().await;
    let world = LiveWorld::setup(&Backend::Sqlite, &smtp, &[]);
    let live = world.serve(&[("ART33__LOG__FILTER", "debug,tokio_cron_scheduler=warn")]);
    assert!(live.metrics().await.contains("art33_build_info"));
    let wrong = reqwest::Client::new()
        .get(live.url("/metrics"))
        .bearer_auth(format!("{METRICS_TOKEN}-wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let log = live.log();
    assert!(log.iter().any(|l| l.contains("/metrics")), "the scrapes are logged: {log:#?}");
    assert!(log.iter().all(|l| !l.contains(METRICS_TOKEN)), "{log:#?}");
}

/// Runs `work` on one of `app`'s connections; returns its result and the SQL of every statement it
/// sent, in order, without the binds.
async fn traced<T: Send + 'static>(
    app: &TestApp,
    work: impl FnOnce(&mut art33::storage::AnyConnection) -> Result<T, StorageError> + Send + 'static,
) -> (T, Vec<String>) {
    app.db
        .run(move |c| {
            let recorder = Recorder::start(c);
            let result = work(c);
            Recorder::stop(c);
            result.map(|result| (result, recorder.statements()))
        })
        .await
        .unwrap()
}

/// A connection to `app`'s SQLite database with its planner as a large database has it before any
/// `ANALYZE` (or `PRAGMA optimize`) ran: a small test database's statistics would hide a wrong path.
fn without_statistics(app: &TestApp) -> diesel::SqliteConnection {
    let url = app.settings.database.url.expose().clone();
    let path = url.strip_prefix("sqlite://").unwrap();
    let mut conn = diesel::SqliteConnection::establish(path).unwrap();
    diesel::sql_query("DROP TABLE IF EXISTS sqlite_stat1").execute(&mut conn).unwrap();
    drop(conn);
    diesel::SqliteConnection::establish(path).unwrap()
}

/// A claim of several mails reads the rows it leased by primary key, and its read leaves SQLite's
/// planner no other path. With `status` and an `ORDER BY next_attempt_at` beside the leased ids,
/// SQLite chose the status index on a 45,000-row outbox without fresh statistics, reading every
/// pending row and its bodies for each batch: a backlog drained at about 120 mails a second
/// instead of thousands. A database this small does not reproduce that choice, so the test also
/// checks that the read names no other indexed column.
#[tokio::test]
async fn a_claim_reads_its_rows_by_primary_key_on_sqlite() {
    let (app, _) = world_with_a_backlog(&Backend::Sqlite).await;
    let now = app.now();
    let (claimed, statements) =
        traced(&app, move |c| outbox::claim(c, "w", now, chrono::Duration::minutes(1), 3, &[])).await;
    assert!(claimed.len() >= 2, "a batch of several rows ({})", claimed.len());
    let mut conn = without_statistics(&app);
    let reads: Vec<String> =
        statements.into_iter().filter(|s| s.starts_with("SELECT") && s.contains(" IN (")).collect();
    assert_eq!(reads.len(), 1, "one read of the leased rows: {reads:#?}");
    let condition = reads[0].split(" WHERE ").nth(1).unwrap();
    assert!(
        !condition.contains("`status`") && !condition.contains("ORDER BY"),
        "the read of the leased rows offers the planner the status index: {}",
        reads[0]
    );
    let plan: Vec<SqlitePlanLine> =
        diesel::sql_query(format!("EXPLAIN QUERY PLAN {}", reads[0])).load(&mut conn).unwrap();
    let lines: Vec<&str> = plan.iter().map(|l| l.detail.as_str()).collect();
    assert!(
        lines.iter().any(|l| l.contains("sqlite_autoindex_outbox_1 (id=?)")),
        "{}\nreads the leased rows by another path: {lines:?}",
        reads[0]
    );
}

/// The DPO dashboard's failed and retrying mails are read from the outbox by their status on
/// SQLite, not through every mail of each of the client's incidents. Without statistics SQLite's
/// planner takes the second path when no index starts with `status`: the client's incidents, then
/// each one's mails, sent ones and their bodies included. That happened when
/// `outbox_status_next_idx` was dropped as redundant beside `outbox_channel_due_idx`: the DPO
/// dashboard fell from about 1,900 to 267 requests a second in the load test.
#[tokio::test]
async fn the_dashboards_undelivered_mails_are_read_by_status_on_sqlite() {
    use art33::domain::tenant::TenantScope;
    let (app, _) = world_with_a_backlog(&Backend::Sqlite).await;
    let acme: String = app
        .db
        .run(|c| {
            use art33::storage::schema::clients;
            Ok::<_, StorageError>(
                clients::table.filter(clients::slug.eq("acme")).select(clients::id).get_result(c)?,
            )
        })
        .await
        .unwrap();
    let scope = TenantScope::Client(art33::domain::ids::ClientId(acme));
    let (found, reads) = traced(&app, move |c| {
        let undelivered = outbox::undelivered_in_scope::<20>(c, &scope)?;
        Ok((undelivered.failed.len(), undelivered.retrying.len()))
    })
    .await;
    assert_eq!(found, (1, 1));
    let mut conn = without_statistics(&app);
    assert_eq!(reads.len(), 1, "both lists in one statement: {reads:#?}");
    let sql = &reads[0];
    let plan: Vec<SqlitePlanLine> =
        diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(&mut conn).unwrap();
    let lines: Vec<&str> = plan.iter().map(|l| l.detail.as_str()).collect();
    // Each part of the union (a co-routine, scanned by the union) reads the outbox first, by an
    // index on the status.
    let tables: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| {
            l.starts_with("SEARCH ") || (l.starts_with("SCAN ") && !matches!(*l, "SCAN lhs" | "SCAN rhs"))
        })
        .collect();
    assert_eq!(tables.len(), 4, "{sql}\n{lines:?}");
    for part in tables.chunks(2) {
        assert!(
            part[0].starts_with("SEARCH outbox USING INDEX") && part[1].starts_with("SEARCH incidents"),
            "{sql}\nreads the mails through the client's incidents: {lines:?}"
        );
    }
}
