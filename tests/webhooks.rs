//! Alert channels beyond e-mail (issue 21): a confirmed breach posts A0 to its client's webhook once,
//! signed per the Standard Webhooks scheme, retried with backoff while the endpoint is down or
//! hangs, never delaying a mail or another endpoint, at most one duplicate (the same `webhook-id`)
//! across a crash, surfaced when it fails for good, and shown on the incident's timeline. The
//! endpoints are an HTTP server in the test process; time is the test clock.

use std::sync::Arc;
use std::time::Duration;

use art33::app::channels::{self, Owner};
use art33::app::requeue;
use art33::domain::tenant::{Role, TenantScope};
use art33::notify::delivery::DrainReport;
use art33::notify::webhook::WebhookDeliverer;
use art33::storage::outbox;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use hmac::{KeyInit, Mac};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::on_both_backends_blocking;
use crate::support::hooks::{HookServer, Received, Reply};
use crate::support::{Backend, TestApp, TestDb, cli};

const PASSWORD: &str = "correct horse battery staple";

struct World {
    app: TestApp,
    hooks: HookServer,
    officer: String,
    /// The generic webhook of client acme at `/acme`, and its secret.
    acme: (String, String),
}

/// Clients acme and beta, each with a generic webhook (`/acme`, `/beta`); an officer and an admin.
/// Posts time out after `timeout` seconds; a row is given up after its fifth attempt.
async fn world(backend: &Backend, timeout: &str) -> World {
    let hooks = HookServer::start().await;
    let app = TestApp::spawn_with(
        backend,
        &[("ART33__WEBHOOKS__TIMEOUT_SECONDS", timeout), ("ART33__MAIL__MAX_ATTEMPTS", "5")],
    )
    .await;
    app.add_client("acme").await;
    app.add_client("beta").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    let acme = add_channel(&app, Owner::Client("acme".into()), "webhook", &hooks.url("/acme")).await;
    add_channel(&app, Owner::Client("beta".into()), "webhook", &hooks.url("/beta")).await;
    World { app, hooks, officer, acme: (acme.0, acme.1.unwrap()) }
}

async fn add_channel(app: &TestApp, owner: Owner, kind: &str, url: &str) -> (String, Option<String>) {
    let (kind, url, now) = (kind.to_string(), url.to_string(), app.now());
    let added = app
        .db
        .run(move |conn| channels::add(conn, None, "test", &owner, &kind, &url, now))
        .await
        .expect("add channel");
    (added.id, added.secret)
}

fn deliverer(app: &TestApp, worker: &str) -> WebhookDeliverer {
    WebhookDeliverer::new(
        app.db.clone(),
        app.settings.webhooks.clone(),
        app.settings.mail.clone(),
        worker,
        Arc::new(app.clock.clone()),
    )
}

/// Drains the channel posts once, as `worker`, at the clock's instant.
async fn post_as(app: &TestApp, worker: &str) -> DrainReport {
    deliverer(app, worker).drain_all(&app.metrics.scheduler().webhook).await.expect("drain webhooks")
}

/// Reports a breach of acme and confirms it: P0 and A0 are due at once.
async fn confirmed_breach(w: &World) -> String {
    let incident = w.app.report(&w.officer, "acme", json!({})).await;
    let id = incident["id"].as_str().unwrap().to_string();
    w.app.event_ok(&w.officer, &id, json!({"type": "confirm"})).await;
    id
}

/// Whether `request` carries a valid Standard Webhooks signature under `secret`, recomputed here:
/// HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded secret.
pub(crate) fn verify(secret: &str, request: &Received) -> bool {
    let key =
        base64::engine::general_purpose::STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let (id, timestamp) =
        (request.header("webhook-id").unwrap(), request.header("webhook-timestamp").unwrap());
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.{}", request.body).as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    request.header("webhook-signature").unwrap().split(' ').any(|s| s == format!("v1,{expected}"))
}

fn alert_posts(hooks: &HookServer, path: &str, kind: &str) -> Vec<Received> {
    hooks.received_at(path).into_iter().filter(|r| r.json()["type"] == kind).collect()
}

/// The outbox's channel rows: (kind, status, attempts, webhook-id, next attempt).
async fn webhook_rows(app: &TestApp) -> Vec<(String, String, i32, String, DateTime<Utc>)> {
    app.db
        .run(|conn| {
            use art33::storage::schema::outbox::dsl::*;
            let rows: Vec<(String, String, i32, String, chrono::NaiveDateTime)> = outbox
                .filter(channel.eq("webhook"))
                .order(created_at.asc())
                .select((kind, status, attempts, message_id, next_attempt_at))
                .load(conn)?;
            Ok::<_, art33::storage::StorageError>(
                rows.into_iter().map(|(k, s, a, m, n)| (k, s, a, m, n.and_utc())).collect(),
            )
        })
        .await
        .unwrap()
}

/// The audit events of `incident` of one type.
async fn events(app: &TestApp, incident: &str, event: &str) -> Vec<Value> {
    let (incident, event) = (incident.to_string(), event.to_string());
    app.db
        .run(move |conn| {
            use art33::storage::schema::audit_events::dsl::*;
            let details: Vec<String> = audit_events
                .filter(incident_id.eq(&incident))
                .filter(event_type.eq(&event))
                .select(detail)
                .load(conn)?;
            Ok::<_, art33::storage::StorageError>(
                details.iter().map(|d| serde_json::from_str(d).unwrap()).collect(),
            )
        })
        .await
        .unwrap()
}

async fn a_confirmed_breach_posts_a0_once_signed_to_its_clients_channel(backend: Backend) {
    let w = world(&backend, "5").await;
    let id = confirmed_breach(&w).await;
    let report = w.app.tick().await;
    assert_eq!(report.webhooks, 2, "P0 and A0 to acme's one channel, nothing to beta's");
    assert_eq!(post_as(&w.app, "worker").await, DrainReport { sent: 2, ..DrainReport::default() });
    assert_eq!(post_as(&w.app, "worker").await, DrainReport::default(), "nothing twice");

    let a0 = alert_posts(&w.hooks, "/acme", "alert.a0");
    assert_eq!(a0.len(), 1, "{:?}", w.hooks.received());
    let post = &a0[0];
    assert!(verify(&w.acme.1, post), "signature of {post:?}");
    assert!(post.header("webhook-id").unwrap().starts_with("msg_"));
    assert_eq!(post.header("webhook-timestamp").unwrap(), w.app.now().timestamp().to_string());
    assert_eq!(post.header("content-type"), Some("application/json"));
    let body = post.json();
    let incident = w.app.get(&format!("/api/v1/incidents/{id}"), &w.officer).await;
    let incident = crate::support::json(incident).await;
    let instant = |v: &Value| v.as_str().unwrap().parse::<DateTime<Utc>>().unwrap();
    assert_eq!(instant(&body["data"]["deadline_at"]), instant(&incident["deadline_at"]));
    let mut data = body["data"].clone();
    data.as_object_mut().unwrap().remove("deadline_at");
    assert_eq!(
        data,
        json!({
            "reference": incident["reference"],
            "client": "acme",
            "alert": "A0",
            "remaining_seconds": 72 * 3600,
            "overdue": false,
            "url": format!("{}/incidents/{id}", w.app.settings.server.base_url),
        })
    );
    assert!(!post.body.contains("Laptop"), "no free text: {}", post.body);
    assert!(w.hooks.received_at("/beta").is_empty(), "another client's channel receives nothing");

    // The timeline shows each delivery, and the API lists it with the alert.
    let sent = events(&w.app, &id, "webhook.sent").await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    let a0_event = sent.iter().find(|e| e["code"] == "A0").unwrap();
    assert_eq!(a0_event["channel_id"], w.acme.0.as_str());
    assert_eq!(a0_event["channel_kind"], "webhook");
    assert_eq!(a0_event["webhook_id"], post.header("webhook-id").unwrap());
    assert_eq!(a0_event["status_code"], 200);
    assert!(!a0_event.to_string().contains("127.0.0.1"), "no URL in the trail: {a0_event}");
    let alerts = w.app.alerts(&w.officer, &id).await;
    let a0_alert = alerts.iter().find(|a| a["code"] == "A0").unwrap();
    let posted: Vec<&Value> =
        a0_alert["deliveries"].as_array().unwrap().iter().filter(|d| d["channel"] == "webhook").collect();
    assert_eq!(posted.len(), 1, "{a0_alert}");
    assert_eq!(posted[0]["status"], "sent");
    assert_eq!(posted[0]["message_id"], post.header("webhook-id").unwrap());
    let browser = w.app.login("admin@gx.example", PASSWORD).await;
    let page =
        browser.get(w.app.url(&format!("/incidents/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("Alert A0 geplaatst in een webhook-kanaal")
            || page.contains("Alert A0 posted to a webhook channel"),
        "the timeline shows the post"
    );
}

async fn an_endpoint_that_is_down_is_retried_with_backoff_until_delivered_once(backend: Backend) {
    let w = world(&backend, "5").await;
    let id = confirmed_breach(&w).await;
    w.app.tick().await;
    // P0 and A0 go out together: both answered 500, twice.
    w.hooks.script(&[Reply::Status(500), Reply::Status(500), Reply::Status(500), Reply::Status(500)]);
    assert_eq!(post_as(&w.app, "worker").await.retried, 2);
    let rows = webhook_rows(&w.app).await;
    for (_, status, attempts, _, next) in &rows {
        assert_eq!((status.as_str(), *attempts), ("pending", 1));
        let wait = (*next - w.app.now()).num_seconds();
        assert!((24..=36).contains(&wait), "the first retry after mail.retry_base_seconds ±20 %: {wait}");
    }
    assert_eq!(post_as(&w.app, "worker").await, DrainReport::default(), "not before the backoff");

    w.app.clock.advance(chrono::Duration::seconds(40));
    assert_eq!(post_as(&w.app, "worker").await.retried, 2);
    let rows = webhook_rows(&w.app).await;
    for (_, _, attempts, _, next) in &rows {
        assert_eq!(*attempts, 2);
        let wait = (*next - w.app.now()).num_seconds();
        assert!((48..=72).contains(&wait), "the backoff doubles: {wait}");
    }
    w.app.clock.advance(chrono::Duration::seconds(80));
    assert_eq!(post_as(&w.app, "worker").await.sent, 2);

    let a0 = alert_posts(&w.hooks, "/acme", "alert.a0");
    assert_eq!(a0.len(), 3, "three attempts");
    let ids: std::collections::BTreeSet<&str> = a0.iter().map(|r| r.header("webhook-id").unwrap()).collect();
    assert_eq!(ids.len(), 1, "the same webhook-id on every attempt");
    assert!(a0.iter().all(|r| verify(&w.acme.1, r)), "each attempt signed with its own timestamp");
    assert_ne!(a0[0].header("webhook-timestamp"), a0[2].header("webhook-timestamp"));
    assert!(webhook_rows(&w.app).await.iter().all(|r| r.1 == "sent" && r.2 == 3));
    assert_eq!(events(&w.app, &id, "webhook.sent").await.len(), 2, "one event per delivery");
}

async fn a_hanging_endpoint_delays_neither_the_mail_nor_another_channel(backend: Backend) {
    let w = world(&backend, "3").await;
    let team = HookServer::start().await;
    add_channel(&w.app, Owner::Team, "slack", &team.url("/team")).await;
    let id = confirmed_breach(&w).await;
    let report = w.app.tick().await;
    assert_eq!(report.webhooks, 4, "P0 and A0 to acme's channel and to the team's");
    assert!(report.mails > 0);
    // The team's endpoint hangs on its first two requests; acme's answers at once.
    team.script(&[Reply::Hang, Reply::Hang]);
    let app = Arc::new(w.app);
    let posting = {
        let app = app.clone();
        tokio::spawn(async move { post_as(&app, "worker").await })
    };
    team.wait_for(2).await;
    w.hooks.wait_for(2).await;
    // While the team's posts hang, acme's are marked sent and the mails are delivered.
    let started = std::time::Instant::now();
    loop {
        let rows = webhook_rows(&app).await;
        if rows.iter().filter(|r| r.1 == "sent").count() == 2 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "acme's posts wait for the hanging ones: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mailed = app.drain().await;
    assert!(mailed.sent > 0 && mailed.retried == 0, "{mailed:?}");
    assert!(!posting.is_finished(), "the team's posts still hang");
    let report = posting.await.unwrap();
    assert_eq!(report, DrainReport { sent: 2, retried: 2, failed: 0 }, "the hanging posts time out and wait");
    team.release();

    app.clock.advance(chrono::Duration::seconds(60));
    assert_eq!(post_as(&app, "worker").await.sent, 2);
    let slack = team.received_at("/team");
    assert_eq!(slack.len(), 4, "two hung, two delivered");
    assert!(slack.iter().all(|r| r.header("webhook-signature").is_none()), "chat channels are not signed");
    assert!(slack[0].json()["text"].as_str().unwrap().contains("acme BV"), "{}", slack[0].body);
    assert!(!slack.iter().any(|r| r.body.contains("Laptop")), "no free text");
    assert_eq!(events(&app, &id, "webhook.sent").await.len(), 4);
}

async fn a_crash_after_the_post_resends_it_once_with_the_same_webhook_id(backend: Backend) {
    let w = world(&backend, "5").await;
    let id = confirmed_breach(&w).await;
    w.app.tick().await;
    // Only A0's post matters here: P0's is delivered first.
    w.hooks.script(&[Reply::Status(200), Reply::Hang]);
    let app = Arc::new(w.app);
    let dying = {
        let app = app.clone();
        let deliverer = deliverer(&app, "first");
        tokio::spawn(async move {
            // One post at a time, so that the second (hanging) is A0's.
            deliverer.drain_all(&app.metrics.scheduler().webhook).await
        })
    };
    w.hooks.wait_for(2).await;
    // The process dies after the endpoint received the post, before it was marked.
    dying.abort();
    let _ = dying.await;
    w.hooks.release();
    let pending: Vec<_> = webhook_rows(&app).await.into_iter().filter(|r| r.1 == "pending").collect();
    assert!(!pending.is_empty(), "the post in flight stays pending under its lease");

    assert_eq!(post_as(&app, "second").await, DrainReport::default(), "the lease holds it");
    app.clock.advance(chrono::Duration::seconds(31));
    let resent = post_as(&app, "second").await;
    assert_eq!(resent.sent, pending.len(), "the new process sends what was in flight");
    assert_eq!(post_as(&app, "second").await, DrainReport::default());

    let received = w.hooks.received_at("/acme");
    let ids: Vec<&str> = received.iter().map(|r| r.header("webhook-id").unwrap()).collect();
    let distinct: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), 2, "two alerts, two webhook-ids: {ids:?}");
    assert_eq!(ids.len(), 2 + pending.len(), "at most one duplicate per post in flight: {ids:?}");
    for duplicate in &pending {
        assert_eq!(ids.iter().filter(|i| **i == duplicate.3).count(), 2, "same webhook-id resent");
    }
    assert_eq!(events(&app, &id, "webhook.sent").await.len(), 2, "each marked sent once");
}

async fn a_post_given_up_is_surfaced_with_the_failed_mails_and_requeued(backend: Backend) {
    let w = world(&backend, "5").await;
    let id = confirmed_breach(&w).await;
    w.app.tick().await;
    w.hooks.script(&[Reply::Status(410), Reply::Status(410)]);
    assert_eq!(post_as(&w.app, "worker").await.failed, 2, "410 Gone is final at once");
    let failed = w
        .app
        .db
        .run(|conn| outbox::undelivered_in_scope::<20>(conn, &TenantScope::All))
        .await
        .unwrap()
        .failed;
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|(_, _, d)| d.channel == "webhook" && d.to == w.acme.0));
    let failed_events = events(&w.app, &id, "webhook.failed").await;
    assert_eq!(failed_events.len(), 2);
    assert_eq!(failed_events[0]["status_code"], 410);
    let browser = w.app.login("admin@gx.example", PASSWORD).await;
    let dashboard = browser.get(w.app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(dashboard.contains(&w.acme.0), "the dashboard lists the failed post");

    let now = w.app.now();
    let requeued = w.app.db.run(move |conn| requeue::by_operator(conn, "cli", None, now)).await.unwrap();
    assert_eq!(requeued, 2);
    assert_eq!(events(&w.app, &id, "webhook.requeued").await.len(), 2);
    assert_eq!(post_as(&w.app, "worker").await.sent, 2);
    let a0 = alert_posts(&w.hooks, "/acme", "alert.a0");
    assert_eq!(a0.len(), 2);
    assert_eq!(a0[0].header("webhook-id"), a0[1].header("webhook-id"));
}

async fn channels_are_checked_listed_masked_tested_and_removed(backend: Backend) {
    let w = world(&backend, "5").await;
    let now = w.app.now();
    let refused = |owner: Owner, kind: &'static str, url: &'static str| {
        let db = w.app.db.clone();
        async move {
            match db.run(move |conn| channels::add(conn, None, "test", &owner, kind, url, now)).await {
                Err(art33::app::CommandError::Invalid(e)) => e.field,
                other => panic!("{kind} {url}: {other:?}"),
            }
        }
    };
    assert_eq!(refused(Owner::Team, "webhook", "http://hooks.example/x").await, "url", "https only");
    assert_eq!(refused(Owner::Team, "email", "https://hooks.example/x").await, "kind");
    assert_eq!(refused(Owner::Client("nope".into()), "slack", "https://hooks.example/x").await, "client");

    let (slack, secret) =
        add_channel(&w.app, Owner::Team, "slack", "https://hooks.slack.example/services/T0/B0/secretXYZW")
            .await;
    assert_eq!(secret, None, "only the generic kind has a signing secret");
    let list = w.app.db.run(|conn| channels::list(conn, None)).await.unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].id, slack, "the team's channels first");
    assert_eq!(list[0].url, "hooks.slack.example/…XYZW");
    assert!(list.iter().all(|c| !c.url.contains("secret")));

    let settings = w.app.settings.clone();
    let acme = w.acme.0.clone();
    let test_id =
        w.app.db.run(move |conn| channels::test(conn, None, "test", &settings, &acme, now)).await.unwrap();
    assert_eq!(post_as(&w.app, "worker").await.sent, 1);
    let test = &w.hooks.received_at("/acme")[0];
    assert_eq!(test.header("webhook-id"), Some(test_id.as_str()));
    assert!(verify(&w.acme.1, test));
    assert_eq!(test.json()["type"], "test");
    let list = w.app.db.run(|conn| channels::list(conn, None)).await.unwrap();
    let acme_view = list.iter().find(|c| c.id == w.acme.0).unwrap();
    assert_eq!((acme_view.last_test.as_deref(), acme_view.last_test_code), (Some("sent"), Some(200)));

    let acme = w.acme.0.clone();
    w.app.db.run(move |conn| channels::remove(conn, None, "test", &acme, now)).await.unwrap();
    let acme = w.acme.0.clone();
    let again = w.app.db.run(move |conn| channels::remove(conn, None, "test", &acme, now)).await;
    assert!(matches!(again, Err(art33::app::CommandError::NotFound)));
    confirmed_breach(&w).await;
    let report = w.app.tick().await;
    assert_eq!(report.webhooks, 2, "P0 and A0 to the team's channel; none to acme's removed one");
}

async fn admins_manage_channels_on_their_page_and_send_a_test(backend: Backend) {
    let w = world(&backend, "5").await;
    let browser = w.app.login("admin@gx.example", PASSWORD).await;
    let page = browser.get(w.app.url("/admin/channels?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&w.acme.0), "acme's channel is listed");
    assert!(page.contains("127.0.0.1/…acme") && !page.contains("/acme\""), "its URL masked");
    let csrf = crate::support::csrf_of(&page);

    // A refused URL comes back naming the field, with what was typed.
    let refused = browser
        .post(w.app.url("/admin/channels"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("owner", "acme"),
            ("kind", "teams"),
            ("url", "http://teams.example/x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("Error:") && refused.contains("aria-invalid=\"true\""), "{refused}");
    assert!(refused.contains("value=\"http://teams.example/x\""));

    // A generic webhook for the team: its secret is shown once, on the answer.
    let added = browser
        .post(w.app.url("/admin/channels"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("owner", "_team"),
            ("kind", "webhook"),
            ("url", &w.hooks.url("/team")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 200);
    let added = added.text().await.unwrap();
    let marker = "id=\"new-secret\">";
    let at = added.find(marker).expect("the secret is shown") + marker.len();
    let secret = added[at..at + added[at..].find('<').unwrap()].to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    let again = browser.get(w.app.url("/admin/channels")).send().await.unwrap().text().await.unwrap();
    assert!(!again.contains(&secret), "never shown again");

    // "Send test" queues a test message through the outbox; the list shows its outcome.
    let list = w.app.db.run(|conn| channels::list(conn, None)).await.unwrap();
    let team = list.iter().find(|c| c.client.is_none()).unwrap().id.clone();
    let tested = browser
        .post(w.app.url(&format!("/admin/channels/{team}/test")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(tested.status(), 303);
    assert_eq!(post_as(&w.app, "worker").await.sent, 1);
    let test = &w.hooks.received_at("/team")[0];
    assert_eq!(test.json()["type"], "test");
    assert!(verify(&secret, test), "signed with the secret shown");
    let page = browser.get(w.app.url("/admin/channels")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("(HTTP 200)"), "the outcome is shown");

    let removed = browser
        .post(w.app.url(&format!("/admin/channels/{team}/remove")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 303);
    let page = browser.get(w.app.url("/admin/channels")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains(&team));
}

/// The scheduler's own run delivers the posts (the webhook loop), counted in the metrics.
async fn the_scheduler_posts_and_counts_the_attempts(backend: Backend) {
    let hooks = HookServer::start().await;
    let app = TestApp::spawn_with(&backend, &crate::support::with_metrics_token(&[])).await;
    app.add_client("acme").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    add_channel(&app, Owner::Client("acme".into()), "mattermost", &hooks.url("/mm")).await;
    hooks.script(&[Reply::Status(503)]);
    let incident = app.report(&officer, "acme", json!({})).await;
    let runner = app.runner();
    runner.run_once().await;
    app.clock.advance(chrono::Duration::seconds(40));
    runner.run_once().await;
    let posts = hooks.received_at("/mm");
    assert_eq!(posts.len(), 2, "P0: refused once, then delivered");
    let text = posts[1].json()["text"].as_str().unwrap().to_string();
    assert!(text.contains(incident["reference"].as_str().unwrap()) && text.contains("P0"), "{text}");
    assert!(text.ends_with(&format!(
        "]({}/incidents/{})",
        app.settings.server.base_url,
        incident["id"].as_str().unwrap()
    )));
    let (_, body) = app.scrape().await;
    for (outcome, n) in [("sent", 1), ("retried", 1), ("failed", 0)] {
        let series = format!("art33_webhook_attempts_total{{outcome=\"{outcome}\"}} {n}");
        assert!(body.lines().any(|l| l == series), "{series} in {body}");
    }
    assert!(body.contains("art33_scheduler_runs_total{loop=\"webhook\"}"), "{body}");
}

/// The value of `series` in a scrape.
fn series(body: &str, series: &str) -> Option<f64> {
    body.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
}

/// The outbox's posts are counted apart from its mails (`art33_outbox_webhooks`, not
/// `art33_outbox_mails`), and a post due for longer than `scheduler.stuck_after_seconds` is
/// `webhook_overdue` on `/healthz`, not `mail_overdue`.
async fn posts_are_counted_and_overdue_apart_from_mails(backend: Backend) {
    let hooks = HookServer::start().await;
    let app = TestApp::spawn_with(&backend, &crate::support::with_metrics_token(&[])).await;
    app.add_client("acme").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    add_channel(&app, Owner::Client("acme".into()), "webhook", &hooks.url("/acme")).await;
    let incident = app.report(&officer, "acme", json!({})).await;
    app.event_ok(&officer, incident["id"].as_str().unwrap(), json!({"type": "confirm"})).await;
    assert_eq!(app.tick().await.webhooks, 2, "P0 and A0");
    assert!(app.drain().await.sent > 0, "the mails go out; the posts wait for the webhook loop");
    let (_, body) = app.scrape().await;
    assert_eq!(series(&body, "art33_outbox_mails{status=\"pending\"}"), Some(0.0), "{body}");
    assert_eq!(series(&body, "art33_outbox_webhooks{status=\"pending\"}"), Some(2.0), "{body}");
    assert_eq!(series(&body, "art33_outbox_webhooks{status=\"failed\"}"), Some(0.0), "{body}");
    assert_eq!(series(&body, "art33_outbox_retrying_webhooks"), Some(0.0), "{body}");
    let health = || async { app.http.get(app.url("/healthz")).send().await.unwrap() };
    assert_eq!(health().await.status(), 200, "a fresh post is not overdue");

    let stuck_after = app.settings.scheduler.stuck_after_seconds as i64;
    app.clock.advance(chrono::Duration::seconds(stuck_after + 60));
    let stuck = health().await;
    assert_eq!(stuck.status(), 503);
    assert_eq!(stuck.text().await.unwrap(), "unavailable\nwebhook_overdue\n", "not mail_overdue");
    let (_, body) = app.scrape().await;
    assert_eq!(series(&body, "art33_outbox_oldest_due_seconds"), Some(0.0), "no mail waits: {body}");
    let oldest = series(&body, "art33_outbox_webhook_oldest_due_seconds").unwrap();
    assert!(oldest >= (stuck_after + 60) as f64, "{body}");

    assert_eq!(post_as(&app, "worker").await.sent, 2);
    assert_eq!(health().await.status(), 200);
    let (_, body) = app.scrape().await;
    assert_eq!(series(&body, "art33_outbox_webhooks{status=\"pending\"}"), Some(0.0), "{body}");
    assert_eq!(series(&body, "art33_outbox_webhook_oldest_due_seconds"), Some(0.0), "{body}");
}

on_both_backends!(
    posts_are_counted_and_overdue_apart_from_mails,
    the_scheduler_posts_and_counts_the_attempts,
    admins_manage_channels_on_their_page_and_send_a_test,
    a_confirmed_breach_posts_a0_once_signed_to_its_clients_channel,
    an_endpoint_that_is_down_is_retried_with_backoff_until_delivered_once,
    a_hanging_endpoint_delays_neither_the_mail_nor_another_channel,
    a_crash_after_the_post_resends_it_once_with_the_same_webhook_id,
    a_post_given_up_is_surfaced_with_the_failed_mails_and_requeued,
    channels_are_checked_listed_masked_tested_and_removed,
);

fn the_cli_adds_lists_tests_and_removes_channels(backend: &Backend) {
    let db = TestDb::create(backend);
    let dir = tempfile::tempdir().unwrap();
    let env = [("ART33__DATABASE__URL", db.url.as_str())];
    assert!(cli::run(dir.path(), &["migrate"], &env).status.success());
    let out = cli::run(
        dir.path(),
        &["client", "add", "--slug", "acme", "--name", "Acme BV", "--dpo-email", "dpo@acme.example"],
        &env,
    );
    assert!(out.status.success(), "{}", cli::stderr(&out));

    let out = cli::run(
        dir.path(),
        &["channel", "add", "--team", "--kind", "webhook", "--url", "http://example.org/x"],
        &env,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(cli::stderr(&out).contains("--url"), "{}", cli::stderr(&out));

    let out = cli::run(
        dir.path(),
        &[
            "channel",
            "add",
            "--client",
            "acme",
            "--kind",
            "webhook",
            "--url",
            "https://hooks.example/acme/abcd",
        ],
        &env,
    );
    assert!(out.status.success(), "{}", cli::stderr(&out));
    let printed = cli::stdout(&out);
    let mut lines = printed.lines();
    let id = lines.next().unwrap().to_string();
    assert!(id.starts_with("ch_"), "{printed}");
    assert!(lines.next().unwrap().starts_with("secret whsec_"), "the secret is shown once: {printed}");

    let list = cli::stdout(&cli::run(dir.path(), &["channel", "list"], &env));
    assert!(
        list.contains(&id) && list.contains("--client acme") && list.contains("hooks.example/…abcd"),
        "{list}"
    );
    assert!(!list.contains("whsec_"), "{list}");

    let out = cli::run(dir.path(), &["channel", "test", &id], &env);
    assert!(out.status.success(), "{}", cli::stderr(&out));
    assert!(cli::stdout(&out).starts_with("queued test message msg_"));
    let list = cli::stdout(&cli::run(dir.path(), &["channel", "list"], &env));
    assert!(list.contains("test: pending"), "{list}");

    assert!(cli::run(dir.path(), &["channel", "remove", &id], &env).status.success());
    assert_eq!(cli::run(dir.path(), &["channel", "remove", &id], &env).status.code(), Some(2));
    assert!(!cli::stdout(&cli::run(dir.path(), &["channel", "list"], &env)).contains(&id));
}

on_both_backends_blocking!(the_cli_adds_lists_tests_and_removes_channels);

on_both_backends!(a_tick_queues_more_posts_than_one_insert_may_bind);

/// A busy tick with several channels queues thousands of posts in one transaction: they go in
/// through the outbox's own insert (chunked on SQLite, one `unnest` on PostgreSQL), not one
/// multi-row insert, whose 2,500 rows × 15 parameters SQLite refuses.
async fn a_tick_queues_more_posts_than_one_insert_may_bind(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let now = app.now();
    let posts: Vec<outbox::NewMail> = (0..2_500)
        .map(|n| outbox::NewMail {
            incident_id: None,
            client_id: None,
            alert_id: None,
            kind: "A0".into(),
            locale: "nl".into(),
            to: "ch_test".into(),
            subject: String::new(),
            body_text: "{}".into(),
            body_html: None,
            message_id: format!("msg_{n}"),
        })
        .collect();
    let queued = app
        .db
        .run(move |c| {
            art33::storage::alert_channels::enqueue(c, &posts, now)?;
            outbox::backlog(c, outbox::channel::WEBHOOK, now)
        })
        .await
        .unwrap();
    assert_eq!(queued.pending, 2_500);
    let mails = app.db.run(move |c| outbox::backlog(c, outbox::channel::MAIL, now)).await.unwrap();
    assert_eq!(mails.pending, 0, "posts are not mails");
}
