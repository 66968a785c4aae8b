//! Outages are visible and recoverable (issue 15): the dashboard lists the mails being retried next
//! to the failed ones, each audience its own; an officer (the dashboard's form) or an operator
//! (`art33 mail retry --failed`) puts failed mails back in the queue, audited, and each is then
//! delivered once with its original Message-ID.

use std::collections::BTreeMap;
use std::time::Duration;

use art33::domain::locale::Locale;
use art33::domain::tenant::Role;
use art33::storage::directory::{self, NewApiToken};
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::smtp::{Behaviour, SmtpServer};
use crate::support::{Backend, TestApp, csrf_of, json};

const PASSWORD: &str = "correct horse battery staple";

struct World {
    app: TestApp,
    smtp: SmtpServer,
    /// The officer's API token (the officer also logs in with [`PASSWORD`]).
    officer: String,
}

/// Two clients; one officer (the only one, so that a P0 reported by it goes to two addresses: the
/// officer and the client's DPO), an admin, each client's DPO and a reporter, all with passwords.
/// Mail goes to `smtp` and is given up after its second attempt, so that a refused mail fails
/// whether or not the refusal looks like the relay's own trouble.
async fn world(backend: &Backend) -> World {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_with(
        backend,
        &[
            ("ART33__MAIL__TRANSPORT", "smtp"),
            ("ART33__MAIL__SMTP_URL", url.as_str()),
            ("ART33__MAIL__TIMEOUT_SECONDS", "2"),
            ("ART33__MAIL__MAX_ATTEMPTS", "2"),
        ],
    )
    .await;
    app.add_client("acme").await;
    app.add_client("beta").await;
    app.add_user_with_password("officer@gx.example", Role::Officer, None, PASSWORD).await;
    app.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    app.add_user_with_password("dpo@beta.example", Role::Dpo, Some("beta"), PASSWORD).await;
    app.add_user_with_password("staff@gx.example", Role::Reporter, None, PASSWORD).await;
    let officer = token_for(&app, "officer@gx.example").await;
    World { app, smtp, officer }
}

/// An API token for a user that logs in with a password too.
async fn token_for(app: &TestApp, email: &str) -> String {
    let email = email.to_string();
    let now = app.now();
    let token = art33::auth::issue_api_token();
    let stored = (token.prefix.clone(), token.digest.clone());
    app.db
        .run(move |c| {
            let user = directory::user_by_email(c, &email)?.expect("user exists");
            directory::insert_token(
                c,
                "test",
                &NewApiToken { user_id: user.id, label: None, prefix: stored.0, digest: stored.1 },
                now,
            )
        })
        .await
        .expect("add token");
    token.secret
}

impl World {
    /// Reports a leak of `client` as the officer; its P0 goes to the officer and the client's DPO.
    async fn report(&self, client: &str) -> String {
        self.app.report(&self.officer, client, json!({})).await["id"].as_str().unwrap().to_string()
    }

    /// A leak of `client` whose two P0 mails the relay refuses with 550, twice each: failed for
    /// good (a mail's first 5xx is tried again; the second attempt is the last). Returns the
    /// incident id.
    async fn failed_mails(&self, client: &str) -> String {
        self.smtp.set_behaviour(Behaviour::PermFail(550));
        let id = self.report(client).await;
        self.app.tick().await;
        let first = self.app.drain().await;
        assert_eq!((first.retried, first.failed), (2, 0), "a first 5xx is tried again");
        self.app.clock.advance(chrono::Duration::minutes(5));
        let second = self.app.drain().await;
        assert_eq!((second.retried, second.failed), (0, 2), "the second refusal is final");
        id
    }

    /// The P0 deliveries of an incident as the API shows them.
    async fn deliveries(&self, id: &str) -> Vec<Value> {
        let alerts = self.app.alerts(&self.officer, id).await;
        alerts.iter().find(|a| a["code"] == "P0").expect("a P0 alert")["deliveries"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// An incident's audit timeline.
    async fn timeline(&self, id: &str) -> Vec<Value> {
        let response = self.app.get(&format!("/api/v1/incidents/{id}/timeline"), &self.officer).await;
        assert_eq!(response.status(), StatusCode::OK);
        json(response).await["items"].as_array().unwrap().clone()
    }

    /// The dashboard in English as `email` sees it.
    async fn dashboard(&self, email: &str) -> String {
        let browser = self.app.login(email, PASSWORD).await;
        let page = browser.get(self.app.url("/?lang=en")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{email}");
        page.text().await.unwrap()
    }

    /// `POST /mails/requeue` as `email` with the dashboard's CSRF token (or `csrf` when given).
    async fn requeue_as(&self, email: &str, csrf: Option<Option<&str>>) -> reqwest::Response {
        let browser = self.app.login(email, PASSWORD).await;
        let page = browser.get(self.app.url("/")).send().await.unwrap().text().await.unwrap();
        let token = csrf_of(&page);
        let form: Vec<(&str, &str)> = match csrf {
            None => vec![("csrf", token.as_str())],
            Some(None) => vec![],
            Some(Some(forged)) => vec![("csrf", forged)],
        };
        browser.post(self.app.url("/mails/requeue")).form(&form).send().await.unwrap()
    }

    /// The outbox rows of an incident: Message-ID → (status, attempts, next attempt).
    async fn outbox(&self, id: &str) -> BTreeMap<String, (String, i32, DateTime<Utc>)> {
        let id = id.to_string();
        self.app
            .db
            .run(move |conn| {
                use art33::storage::schema::outbox;
                use diesel::prelude::*;
                let rows: Vec<(String, String, i32, chrono::NaiveDateTime)> = outbox::table
                    .filter(outbox::incident_id.eq(id))
                    .select((outbox::message_id, outbox::status, outbox::attempts, outbox::next_attempt_at))
                    .load(conn)?;
                Ok::<_, art33::storage::StorageError>(
                    rows.into_iter().map(|(m, s, a, n)| (m, (s, a, n.and_utc()))).collect(),
                )
            })
            .await
            .expect("read the outbox")
    }
}

/// The section of a page that starts with the heading `id` (up to the next section).
fn section<'a>(page: &'a str, id: &str) -> Option<&'a str> {
    let start = page.find(&format!("<h2 id=\"{id}\">"))?;
    let rest = &page[start..];
    Some(&rest[..rest.find("</section>").unwrap_or(rest.len())])
}

on_both_backends!(
    failed_and_retrying_mails_are_listed_for_officers_and_their_clients_dpo_only,
    an_officer_requeues_failed_mails_and_each_is_delivered_once_with_its_message_id,
    only_officers_and_admins_requeue_and_only_with_the_form_token,
    the_cli_requeues_failed_mails_of_every_client_or_one,
);

async fn failed_and_retrying_mails_are_listed_for_officers_and_their_clients_dpo_only(backend: Backend) {
    let w = world(&backend).await;
    let failed = w.failed_mails("acme").await;
    w.smtp.set_behaviour(Behaviour::TempFail(451));
    let retrying = w.report("acme").await;
    w.app.tick().await;
    assert_eq!(w.app.drain().await.retried, 2, "4xx: retried");
    let next: Vec<DateTime<Utc>> = w.outbox(&retrying).await.into_values().map(|(_, _, next)| next).collect();
    assert!(next.iter().all(|n| *n > w.app.now()), "{next:?}");

    let page = w.dashboard("officer@gx.example").await;
    let failed_section = section(&page, "failed").expect("the failed section");
    assert!(
        failed_section.contains(&format!("/incidents/{failed}\">ACME-2026-0001</a>")),
        "{failed_section}"
    );
    assert!(failed_section.contains("dpo@acme.example") && failed_section.contains("officer@gx.example"));
    assert!(failed_section.contains("550"), "{failed_section}");
    assert!(!failed_section.contains("ACME-2026-0002"), "a mail being retried has not failed");
    assert!(
        failed_section.contains("action=\"/mails/requeue\""),
        "the officer may requeue: {failed_section}"
    );

    let retrying_section = section(&page, "retrying").expect("a section of mails being retried");
    assert!(retrying_section.contains("Mails being retried"), "{retrying_section}");
    assert_eq!(retrying_section.matches("<tr class=\"retrying-row\">").count(), 2, "{retrying_section}");
    assert!(retrying_section.contains(&format!("/incidents/{retrying}\">ACME-2026-0002</a>")));
    assert!(!retrying_section.contains("ACME-2026-0001"), "a failed mail is not being retried");
    assert!(retrying_section.contains("451"), "the last error: {retrying_section}");
    assert!(!page.contains("data-label"), "each column's heading is sent once, in the table's head");
    // The fourth column, under its heading, is the attempts made so far.
    assert!(retrying_section.contains("<th>Attempts</th>"), "{retrying_section}");
    for row in retrying_section.split("<tr class=\"retrying-row\">").skip(1) {
        let cells: Vec<&str> = row.split("<td>").skip(1).collect();
        assert!(cells[3].starts_with("1</td>"), "one attempt: {row}");
    }
    for at in &next {
        let local = art33::domain::local_time::format_local(*at, Locale::En);
        assert!(
            retrying_section.contains(&local),
            "next attempt {local} in Amsterdam time: {retrying_section}"
        );
        assert!(local.contains("CET") || local.contains("CEST"), "{local}");
    }

    // The admin sees what the officer sees; the client's DPO sees it without the requeue form.
    let admin = w.dashboard("admin@gx.example").await;
    assert!(section(&admin, "failed").is_some_and(|s| s.contains("action=\"/mails/requeue\"")));
    assert!(section(&admin, "retrying").is_some_and(|s| s.contains("ACME-2026-0002")));
    let dpo = w.dashboard("dpo@acme.example").await;
    assert!(section(&dpo, "failed").is_some_and(|s| s.contains("ACME-2026-0001") && s.contains("550")));
    assert!(section(&dpo, "retrying").is_some_and(|s| s.contains("ACME-2026-0002") && s.contains("451")));
    assert!(!dpo.contains("/mails/requeue"), "only officers requeue");

    // Another client's DPO and a reporter see neither.
    for email in ["dpo@beta.example", "staff@gx.example"] {
        let page = w.dashboard(email).await;
        assert!(
            section(&page, "failed").is_none() && section(&page, "retrying").is_none(),
            "{email}: {page}"
        );
        assert!(!page.contains("ACME-2026-000"), "{email}: {page}");
    }

    // Once delivered, a mail is no longer listed as being retried.
    w.smtp.set_behaviour(Behaviour::Accept);
    w.app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(w.app.drain().await.sent, 2);
    let page = w.dashboard("officer@gx.example").await;
    assert!(section(&page, "retrying").is_none(), "{page}");
    assert!(section(&page, "failed").is_some());
}

async fn an_officer_requeues_failed_mails_and_each_is_delivered_once_with_its_message_id(backend: Backend) {
    let w = world(&backend).await;
    let id = w.failed_mails("acme").await;
    let before = w.deliveries(&id).await;
    assert!(before.iter().all(|d| d["status"] == "failed"), "{before:?}");
    let message_ids: BTreeMap<String, String> = before
        .iter()
        .map(|d| (d["message_id"].as_str().unwrap().to_string(), d["to"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(message_ids.len(), 2);

    w.smtp.set_behaviour(Behaviour::Accept);
    w.app.clock.advance(chrono::Duration::minutes(5));
    let requeued_at = w.app.now();
    let response = w.requeue_as("officer@gx.example", None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, "/?requeued=2");

    let rows = w.outbox(&id).await;
    assert!(
        rows.values()
            .all(|(status, attempts, next)| status == "pending" && *attempts == 0 && *next == requeued_at),
        "pending, no attempts, due now: {rows:?}"
    );
    assert_eq!(rows.keys().cloned().collect::<Vec<_>>(), message_ids.keys().cloned().collect::<Vec<_>>());
    let browser = w.app.login("officer@gx.example", PASSWORD).await;
    let page =
        browser.get(w.app.url(&format!("{location}&lang=en"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Put back in the queue (mails): 2"), "{page}");
    assert!(section(&page, "failed").is_none(), "nothing is failed any more: {page}");
    let odd = browser.get(w.app.url("/?requeued=x&requeued=%zz&lang=en")).send().await.unwrap();
    assert_eq!(odd.status(), StatusCode::OK, "an odd query is ignored");
    assert!(!odd.text().await.unwrap().contains("Put back in the queue"));

    let timeline = w.timeline(&id).await;
    let requeued: Vec<&Value> = timeline.iter().filter(|e| e["type"] == "mail.requeued").collect();
    assert_eq!(requeued.len(), 2, "one event per mail: {timeline:?}");
    for event in &requeued {
        assert_eq!(event["actor"], "officer@gx.example");
        assert_eq!(event["detail"]["kind"], "P0");
        let message_id = event["detail"]["message_id"].as_str().unwrap();
        assert_eq!(
            Some(event["detail"]["to"].as_str().unwrap()),
            message_ids.get(message_id).map(String::as_str)
        );
    }
    let position = |kind: &str| timeline.iter().rposition(|e| e["type"] == kind).unwrap();
    assert!(position("mail.failed") < position("mail.requeued"), "{timeline:?}");

    let sent = w.app.drain().await;
    assert_eq!((sent.sent, sent.failed, sent.retried), (2, 0, 0));
    w.app.clock.advance(chrono::Duration::hours(2));
    assert_eq!(w.app.drain().await.sent, 0, "nothing more to send");
    let received = w.smtp.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(received.len(), 2, "exactly one copy of each");
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for mail in &received {
        seen.entry(mail.message_id().unwrap()).or_default().extend(mail.to.clone());
    }
    let expected: BTreeMap<String, Vec<String>> =
        message_ids.iter().map(|(m, to)| (m.clone(), vec![to.clone()])).collect();
    assert_eq!(seen, expected, "each mail once, to its recipient, with its original Message-ID");

    let after = w.deliveries(&id).await;
    assert!(after.iter().all(|d| d["status"] == "sent" && d["attempts"] == 1), "{after:?}");
    let timeline = w.timeline(&id).await;
    assert_eq!(timeline.iter().filter(|e| e["type"] == "mail.sent").count(), 2);
    assert!(position("mail.requeued") < timeline.iter().rposition(|e| e["type"] == "mail.sent").unwrap());
    let verified = w.app.db.run(|conn| art33::storage::audit_log::verify(conn, None)).await.expect("verify");
    assert!(verified.is_ok(), "the audit chain holds: {verified:?}");

    // A second requeue finds nothing failed.
    let again = w.requeue_as("officer@gx.example", None).await;
    assert_eq!(again.headers()["location"], "/?requeued=0");
}

async fn only_officers_and_admins_requeue_and_only_with_the_form_token(backend: Backend) {
    let w = world(&backend).await;
    let id = w.failed_mails("acme").await;
    for email in ["dpo@acme.example", "dpo@beta.example", "staff@gx.example"] {
        let response = w.requeue_as(email, None).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{email}");
    }
    for csrf in [Some(None), Some(Some("forged"))] {
        let response = w.requeue_as("officer@gx.example", csrf).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "the officer with {csrf:?}");
    }
    let anonymous = w.app.browser().post(w.app.url("/mails/requeue")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert!(anonymous.headers()["location"].to_str().unwrap().starts_with("/login"));

    assert!(w.deliveries(&id).await.iter().all(|d| d["status"] == "failed"), "nothing was requeued");
    assert!(!w.timeline(&id).await.iter().any(|e| e["type"] == "mail.requeued"));
    w.smtp.set_behaviour(Behaviour::Accept);
    w.app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(w.app.drain().await.sent, 0, "a failed mail stays failed");

    let response = w.requeue_as("admin@gx.example", None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "an admin may");
    assert_eq!(response.headers()["location"], "/?requeued=2");
    let timeline = w.timeline(&id).await;
    assert!(
        timeline.iter().filter(|e| e["type"] == "mail.requeued").all(|e| e["actor"] == "admin@gx.example")
    );
    assert_eq!(w.app.drain().await.sent, 2);
}

/// `art33 ARGS` against `db_url`, off the test's runtime.
async fn art33(args: &[&str], db_url: &str) -> std::process::Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let db_url = db_url.to_string();
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().unwrap();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        crate::support::cli::run(dir.path(), &args, &[("ART33__DATABASE__URL", db_url.as_str())])
    })
    .await
    .unwrap()
}

async fn the_cli_requeues_failed_mails_of_every_client_or_one(backend: Backend) {
    use crate::support::cli::{stderr, stdout};
    let w = world(&backend).await;
    let acme = w.failed_mails("acme").await;
    let beta = w.failed_mails("beta").await;
    let db_url = w.app.settings.database.url.expose().clone();
    let status_of = |rows: BTreeMap<String, (String, i32, DateTime<Utc>)>| {
        rows.into_values().map(|(status, _, _)| status).collect::<Vec<_>>()
    };

    let out = art33(&["mail", "retry", "--failed", "--client", "nosuch"], &db_url).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("\"nosuch\""), "{}", stderr(&out));
    let out = art33(&["mail", "retry"], &db_url).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--failed"), "{}", stderr(&out));
    assert_eq!(status_of(w.outbox(&acme).await), ["failed", "failed"], "bad usage changes nothing");

    let out = art33(&["mail", "retry", "--failed", "--client", "beta"], &db_url).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "requeued 2 failed mails\n");
    assert_eq!(status_of(w.outbox(&beta).await), ["pending", "pending"]);
    assert_eq!(status_of(w.outbox(&acme).await), ["failed", "failed"], "only beta's");

    let out = art33(&["mail", "retry", "--failed"], &db_url).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "requeued 2 failed mails\n", "the rest: acme's");
    assert_eq!(status_of(w.outbox(&acme).await), ["pending", "pending"]);

    for id in [&acme, &beta] {
        let requeued: Vec<Value> =
            w.timeline(id).await.into_iter().filter(|e| e["type"] == "mail.requeued").collect();
        assert_eq!(requeued.len(), 2, "{requeued:?}");
        assert!(requeued.iter().all(|e| e["actor"] == "cli"), "{requeued:?}");
    }

    // The command read the wall clock: the mails are due from then on.
    w.app.clock.set(Utc::now().max(w.app.now()) + chrono::Duration::minutes(1));
    w.smtp.set_behaviour(Behaviour::Accept);
    let before = w.smtp.received().len();
    assert_eq!(w.app.drain().await.sent, 4);
    let received = w.smtp.wait_for(before + 4, Duration::from_secs(10)).await;
    let resent: Vec<String> = received[before..].iter().map(|m| m.message_id().unwrap()).collect();
    let mut expected: Vec<String> =
        w.outbox(&acme).await.into_keys().chain(w.outbox(&beta).await.into_keys()).collect();
    let mut resent_sorted = resent.clone();
    resent_sorted.sort();
    expected.sort();
    assert_eq!(resent_sorted, expected, "each once, with its Message-ID");

    let out = art33(&["mail", "retry", "--failed"], &db_url).await;
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(0), "requeued 0 failed mails\n"));
    let verified = w.app.db.run(|conn| art33::storage::audit_log::verify(conn, None)).await.expect("verify");
    assert!(verified.is_ok(), "the audit chain holds: {verified:?}");
}
