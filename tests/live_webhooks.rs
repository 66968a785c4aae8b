//! The webhook loop of the real `art33 serve`, in real time with a one-second tick, broken on
//! purpose: an endpoint that hangs and then is dead while a breach is confirmed, a loop that never
//! ends a run (`webhook-hang`), the process killed after its post reached the endpoint and before it
//! marked the row. The endpoint is an HTTP server in the test process, reached over loopback; the
//! channel is added with `art33 channel add`. Nothing here drives a run by hand.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_backends;
use crate::support::Backend;
use crate::support::hooks::{HookServer, Received, Reply};
use crate::support::live::{FakeClock, LiveWorld, duplicates, wait_mail};
use crate::support::smtp::SmtpServer;
use crate::webhooks::verify;

on_both_backends!(
    a_hanging_then_dead_endpoint_never_delays_mail_and_the_post_arrives_once_when_it_is_back,
    the_supervisor_restarts_a_hung_webhook_loop_and_later_alerts_are_posted,
    a_sigkill_between_post_and_mark_resends_the_post_once_with_the_same_webhook_id,
    an_endpoints_answer_that_came_during_a_pause_is_read_and_the_post_not_sent_again,
);

/// Adds a generic webhook for client `acme` at `path` of `hooks` with the real CLI; returns its
/// signing secret (printed once).
fn add_channel(world: &LiveWorld, hooks: &HookServer, path: &str) -> String {
    let url = hooks.url(path);
    let printed = world.cli(&["channel", "add", "--client", "acme", "--kind", "webhook", "--url", &url]);
    let mut lines = printed.lines();
    assert!(lines.next().is_some_and(|id| id.starts_with("ch_")), "{printed}");
    lines.next().and_then(|l| l.strip_prefix("secret ")).expect("the secret is printed once").to_string()
}

/// Waits until `hooks` received a post for which `matches` holds, or panics after `within`.
async fn wait_post(hooks: &HookServer, within: Duration, matches: impl Fn(&Received) -> bool) -> Received {
    let deadline = Instant::now() + within;
    loop {
        if let Some(post) = hooks.received().into_iter().find(|r| matches(r)) {
            return post;
        }
        assert!(Instant::now() < deadline, "no such post within {within:?}: {:?}", hooks.received());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Whether `post` is the `code` alert (`alert.a0`, `alert.p0`) of `reference`.
fn is_alert(post: &Received, code: &str, reference: &str) -> bool {
    let body = post.json();
    body["type"] == code && body["data"]["reference"] == reference
}

/// The posts of `webhook_id`.
fn posts_of(hooks: &HookServer, webhook_id: &str) -> Vec<Received> {
    hooks.received().into_iter().filter(|r| r.header("webhook-id") == Some(webhook_id)).collect()
}

#[derive(diesel::QueryableByName, Debug, Clone)]
struct WebhookRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    attempts: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    last_error: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    lease_owner: Option<String>,
}

/// The outbox row of the post `webhook_id`.
fn row_of(world: &LiveWorld, webhook_id: &str) -> WebhookRow {
    assert!(webhook_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{webhook_id}");
    let rows: Vec<WebhookRow> = world.query(&format!(
        "SELECT status, attempts, last_error, lease_owner FROM outbox \
         WHERE channel = 'webhook' AND message_id = '{webhook_id}'"
    ));
    assert_eq!(rows.len(), 1, "one row per webhook-id");
    rows[0].clone()
}

/// Waits until the row of `webhook_id` satisfies `done`, or panics after `within`; returns it.
async fn wait_row(
    world: &LiveWorld,
    webhook_id: &str,
    within: Duration,
    done: impl Fn(&WebhookRow) -> bool,
) -> WebhookRow {
    let deadline = Instant::now() + within;
    loop {
        let row = row_of(world, webhook_id);
        if done(&row) {
            return row;
        }
        assert!(Instant::now() < deadline, "row {webhook_id} still {row:?} after {within:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A breach is confirmed while the client's endpoint hangs (posts time out after a second), and
/// stays unreachable while it is dead (connections refused): the DPO's mails arrive as promptly as
/// ever, the A0 post is retried with the mail's backoff, and once the endpoint answers again it
/// receives A0 with the webhook-id of the attempt that hung, validly signed, delivered (200) once.
async fn a_hanging_then_dead_endpoint_never_delays_mail_and_the_post_arrives_once_when_it_is_back(
    backend: Backend,
) {
    let smtp = SmtpServer::start().await;
    let hooks = HookServer::start().await;
    let world = LiveWorld::setup(
        &backend,
        &smtp,
        &[
            ("ART33__WEBHOOKS__TIMEOUT_SECONDS", "1"),
            ("ART33__MAIL__RETRY_BASE_SECONDS", "1"),
            ("ART33__MAIL__RETRY_MAX_SECONDS", "2"),
        ],
    );
    let secret = add_channel(&world, &hooks, "/acme");
    hooks.set_default(Reply::Hang);
    let live = world.serve(&[]);

    let incident = live.report("Confirmed while the endpoint hangs").await;
    let (id, reference) =
        (incident["id"].as_str().unwrap(), incident["reference"].as_str().unwrap().to_string());
    let confirmed = Instant::now();
    live.event(id, json!({"type": "confirm"})).await;
    wait_mail(&smtp, Duration::from_secs(3), |m| {
        m.to == ["dpo@acme.example"]
            && m.subject().contains("Data breach confirmed")
            && m.subject().contains(&reference)
    })
    .await;
    assert!(confirmed.elapsed() < Duration::from_secs(3), "A0 mailed after {:?}", confirmed.elapsed());
    let hung = wait_post(&hooks, Duration::from_secs(5), |r| is_alert(r, "alert.a0", &reference)).await;
    assert_eq!(hung.reply, Reply::Hang);
    let webhook_id = hung.header("webhook-id").unwrap().to_string();
    let row =
        wait_row(&world, &webhook_id, Duration::from_secs(5), |r| r.attempts >= 1 && r.lease_owner.is_none())
            .await;
    assert_eq!((row.status.as_str(), row.last_error.as_deref()), ("pending", Some("timed out")));

    // Dead: connections refused. Mail still goes out at once, and the post is tried again.
    hooks.stop().await;
    let tried = row.attempts;
    let reported = Instant::now();
    let second = live.report("Reported while the endpoint is dead").await;
    let second = second["reference"].as_str().unwrap().to_string();
    wait_mail(&smtp, Duration::from_secs(3), |m| {
        m.to == ["dpo@acme.example"] && m.subject().contains(&second)
    })
    .await;
    assert!(reported.elapsed() < Duration::from_secs(3), "P0 mailed after {:?}", reported.elapsed());
    let row = wait_row(&world, &webhook_id, Duration::from_secs(8), |r| {
        r.attempts > tried && r.last_error.as_deref() == Some("no connection")
    })
    .await;
    assert_eq!(row.status, "pending", "retried, not given up");

    // Back: the next retry delivers it, once.
    hooks.set_default(Reply::Status(200));
    hooks.resume();
    let row = wait_row(&world, &webhook_id, Duration::from_secs(10), |r| r.status == "sent").await;
    assert!(row.attempts >= 3, "hung, refused, delivered: {row:?}");
    let posts = posts_of(&hooks, &webhook_id);
    let delivered: Vec<&Received> = posts.iter().filter(|r| r.reply == Reply::Status(200)).collect();
    assert_eq!(delivered.len(), 1, "delivered with 200 exactly once: {posts:?}");
    assert!(is_alert(delivered[0], "alert.a0", &reference));
    assert!(posts.iter().all(|r| verify(&secret, r)), "every attempt validly signed");
    let a0_ids: std::collections::BTreeSet<String> = hooks
        .received()
        .iter()
        .filter(|r| is_alert(r, "alert.a0", &reference))
        .map(|r| r.header("webhook-id").unwrap().to_string())
        .collect();
    assert_eq!(a0_ids.len(), 1, "one webhook-id for every attempt at A0");
    assert_eq!(duplicates(&smtp), std::collections::BTreeMap::new(), "no mail twice");
    assert_eq!(live.metric("art33_scheduler_restarts_total{loop=\"webhook\"}").await, Some(0.0));
    assert!(live.metric("art33_webhook_attempts_total{outcome=\"retried\"}").await.unwrap() >= 2.0);
}

/// A run of the webhook loop that never ends (`webhook-hang`): mail is not held back, `/healthz`
/// names the loop within its budget (three ticks plus the connect and post timeouts), the
/// supervisor restarts it, the waiting post goes out and later alerts are posted too.
async fn the_supervisor_restarts_a_hung_webhook_loop_and_later_alerts_are_posted(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let hooks = HookServer::start().await;
    let world = LiveWorld::setup(
        &backend,
        &smtp,
        &[("ART33__DATABASE__CONNECT_TIMEOUT_SECONDS", "1"), ("ART33__WEBHOOKS__TIMEOUT_SECONDS", "1")],
    );
    add_channel(&world, &hooks, "/acme");
    let live = world.serve(&[("ART33_TEST_FAULTS", "webhook-hang")]);
    let incident = live.report("Waits for the webhook loop").await;
    let reference = incident["reference"].as_str().unwrap().to_string();
    wait_mail(&smtp, Duration::from_secs(3), |m| {
        m.to == ["dpo@acme.example"] && m.subject().contains(&reference)
    })
    .await;
    let body = live.wait_health(StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(12)).await;
    assert_eq!(body, "unavailable\nwebhook_loop_stalled\n");
    let posted = wait_post(&hooks, Duration::from_secs(5), |r| is_alert(r, "alert.p0", &reference)).await;
    assert_eq!(posted.reply, Reply::Status(200));
    assert_eq!(live.metric("art33_scheduler_restarts_total{loop=\"webhook\"}").await, Some(1.0));
    assert_eq!(live.metric("art33_scheduler_restarts_total{loop=\"mail\"}").await, Some(0.0));
    assert!(
        live.log().iter().any(|l| l.contains("restarting a stalled scheduler loop") && l.contains("webhook"))
    );
    live.wait_health(StatusCode::OK, Duration::from_secs(3)).await;

    let later = live.report("After the restart").await;
    let later = later["reference"].as_str().unwrap().to_string();
    let reported = Instant::now();
    wait_post(&hooks, Duration::from_secs(3), |r| is_alert(r, "alert.p0", &later)).await;
    assert!(reported.elapsed() < Duration::from_secs(3));
    assert_eq!(live.metric("art33_scheduler_restarts_total{loop=\"webhook\"}").await, Some(1.0));
}

/// The process is killed (SIGKILL) while the endpoint, having received the post, is slow to
/// answer: the row stays leased to the dead worker. A restart (its wall clock past the lease, with
/// libfaketime) posts it again with the same webhook-id, so the receiver sees it at most twice and
/// can tell, and the row ends `sent`.
async fn a_sigkill_between_post_and_mark_resends_the_post_once_with_the_same_webhook_id(backend: Backend) {
    let Some(clock) = FakeClock::new() else { return };
    let smtp = SmtpServer::start().await;
    let hooks = HookServer::start().await;
    // Posts wait up to 5 s; a row's lease is 20 s.
    let world = LiveWorld::setup(&backend, &smtp, &[("ART33__WEBHOOKS__TIMEOUT_SECONDS", "5")]);
    let secret = add_channel(&world, &hooks, "/acme");
    hooks.set_default(Reply::Hang);
    let mut live = world.serve(&[]);
    let incident = live.report("Killed mid-post").await;
    let reference = incident["reference"].as_str().unwrap().to_string();
    let first = wait_post(&hooks, Duration::from_secs(5), |r| is_alert(r, "alert.p0", &reference)).await;
    live.served.child.kill().unwrap();
    live.served.child.wait().unwrap();
    drop(live);
    let webhook_id = first.header("webhook-id").unwrap().to_string();
    let row = row_of(&world, &webhook_id);
    assert_eq!(row.status, "pending", "killed before the mark: {row:?}");
    assert!(row.lease_owner.is_some(), "still leased to the dead worker: {row:?}");

    hooks.set_default(Reply::Status(200));
    hooks.release();
    // The wall clock a minute on: the dead worker's lease has ended for the restarted process.
    clock.set("+60s");
    let live = world.serve_faked(&clock, &[]);
    let row = wait_row(&world, &webhook_id, Duration::from_secs(10), |r| r.status == "sent").await;
    let posts = posts_of(&hooks, &webhook_id);
    assert_eq!(posts.len(), 2, "posted again once after the kill: {posts:?}");
    assert_eq!(posts[1].reply, Reply::Status(200));
    assert_eq!(posts[0].body, posts[1].body, "the same post");
    assert!(posts.iter().all(|r| verify(&secret, r)));
    assert_eq!(row.attempts, 2, "{row:?}");
    assert_eq!(live.health().await.0, StatusCode::OK);
}

/// The process is stopped while its P0 post waits for the endpoint's answer, for longer than
/// `webhooks.timeout_seconds` (3 s); the endpoint answers meanwhile. On resume the answer is read:
/// the post was tried once and arrived once. A plain timeout fired first on resume and posted it
/// again a backoff later.
async fn an_endpoints_answer_that_came_during_a_pause_is_read_and_the_post_not_sent_again(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let hooks = HookServer::start().await;
    let world = LiveWorld::setup(&backend, &smtp, &[("ART33__WEBHOOKS__TIMEOUT_SECONDS", "3")]);
    add_channel(&world, &hooks, "/acme");
    hooks.set_default(Reply::Hang);
    let live = world.serve(&[]);
    let incident = live.report("Laptop left on a train").await;
    let reference = incident["reference"].as_str().unwrap().to_string();
    hooks.wait_for(1).await;
    let post = hooks.received().remove(0);
    assert!(is_alert(&post, "alert.p0", &reference), "{:?}", post.json());
    let webhook_id = post.header("webhook-id").unwrap().to_string();
    live.signal("STOP");
    hooks.release();
    tokio::time::sleep(Duration::from_secs(5)).await;
    live.signal("CONT");
    let deadline = Instant::now() + Duration::from_secs(5);
    while row_of(&world, &webhook_id).status != "sent" && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let row = row_of(&world, &webhook_id);
    assert!(
        row.status == "sent" && row.attempts == 1,
        "posted once and marked sent: {row:?}; the server's log:\n{}",
        live.log().join("\n")
    );
    assert_eq!(posts_of(&hooks, &webhook_id).len(), 1);
}
