//! The JSON API: authentication, error bodies, routing.

use art33::domain::tenant::Role;
use reqwest::StatusCode;

use crate::on_both_backends;
use crate::support::{Backend, TestApp, json, with_metrics_token};

/// Every page of `path` (which has a query already) with `limit`, following `next_cursor`.
async fn all_pages(app: &TestApp, token: &str, path: &str, limit: usize) -> Vec<serde_json::Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let url = match &cursor {
            None => format!("{path}&limit={limit}"),
            Some(c) => format!("{path}&limit={limit}&cursor={c}"),
        };
        let response = app.get(&url, token).await;
        let status = response.status();
        let page = json(response).await;
        assert_eq!(status, StatusCode::OK, "{url}: {page}");
        let got = page["items"].as_array().unwrap();
        assert!(got.len() <= limit);
        items.extend(got.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return items,
        }
    }
    panic!("{path}: more than 100 pages");
}

on_both_backends!(
    a_new_token_lists_no_incidents,
    a_wrong_or_missing_token_is_401_with_the_error_body,
    unknown_api_paths_and_methods_answer_json,
    healthz_answers_ok_when_the_database_answers,
    the_incident_list_and_a_timeline_come_in_pages_in_a_stable_order,
    a_body_that_stalls_is_cut_off_after_the_body_timeout,
);

async fn a_new_token_lists_no_incidents(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    for (email, role, client) in [
        ("officer@gx.example", Role::Officer, None),
        ("dpo@acme.example", Role::Dpo, Some("acme")),
        ("staff@gx.example", Role::Reporter, None),
        ("admin@gx.example", Role::Admin, None),
    ] {
        let token = app.add_user_with_token(email, role, client).await;
        let response = app.get("/api/v1/incidents", &token).await;
        assert_eq!(response.status(), StatusCode::OK, "{email}");
        assert_eq!(json(response).await, serde_json::json!({"items": [], "next_cursor": null}));
    }
}

async fn a_wrong_or_missing_token_is_401_with_the_error_body(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let wrong = app.get("/api/v1/incidents", "art33_not-a-real-token").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.headers()["www-authenticate"], "Bearer realm=\"art33\"");
    assert_eq!(wrong.headers()["content-type"], "application/json");
    let body = json(wrong).await;
    assert_eq!(body["error"], "unauthenticated");
    assert!(body["message"].as_str().unwrap().contains("invalid or revoked"));

    let missing = app.http.get(app.url("/api/v1/incidents")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(missing).await["error"], "unauthenticated");

    let basic = app
        .http
        .get(app.url("/api/v1/incidents"))
        .header("Authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
}

async fn unknown_api_paths_and_methods_answer_json(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let missing = app.get("/api/v1/nothing-here", &token).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(missing).await["error"], "not_found");

    let wrong_method =
        app.http.delete(app.url("/api/v1/incidents")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(json(wrong_method).await["error"], "method_not_allowed");

    let bad_query = app.get("/api/v1/incidents?overdue=maybe", &token).await;
    assert_eq!(bad_query.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(bad_query).await["error"], "bad_request");
}

async fn healthz_answers_ok_when_the_database_answers(backend: Backend) {
    let app = TestApp::spawn_with(&backend, &with_metrics_token(&[])).await;
    for probe in ["/healthz", "/readyz"] {
        let response = app.http.get(app.url(probe)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{probe}");
        assert_eq!(response.text().await.unwrap(), "ok");
    }
    let (status, metrics) = app.scrape().await;
    assert_eq!(status, StatusCode::OK);
    assert!(metrics.contains("art33_build_info"));
}

/// PostgreSQL only: a database that goes away turns health and API answers into 503.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vanished_database_answers_503() {
    let Some(backend) = Backend::postgres() else { return };
    let app = TestApp::spawn(&backend).await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let Backend::Postgres(server) = &backend else { unreachable!() };
    let name = app.settings.database.url.expose().rsplit('/').next().unwrap().to_string();
    {
        use diesel::{Connection, RunQueryDsl};
        let mut admin = diesel::PgConnection::establish(server).unwrap();
        diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut admin).unwrap();
    }
    let health = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(health.text().await.unwrap(), "unavailable\ndatabase_unavailable\n");
    let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let api = app.get("/api/v1/incidents", &token).await;
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(json(api).await["error"], "unavailable");
}

/// The list pages through every incident once: running clocks first by deadline, then the rest by
/// last change, newest first; a page's limit is 1 to 500 and a strange cursor is refused. A
/// timeline pages oldest first.
async fn the_incident_list_and_a_timeline_come_in_pages_in_a_stable_order(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    app.add_client("beta").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let dpo = app.add_user_with_token("dpo@acme.example", Role::Dpo, Some("acme")).await;
    let mut ids = Vec::new();
    for n in 0..7 {
        app.clock.advance(chrono::Duration::minutes(1));
        let client = if n % 2 == 0 { "acme" } else { "beta" };
        ids.push(
            app.report(&officer, client, serde_json::json!({})).await["id"].as_str().unwrap().to_string(),
        );
    }
    // Three running clocks, the newest report aware first; then an old report changes last.
    for (id, hours_ago) in [(&ids[6], 30), (&ids[2], 10), (&ids[4], 20)] {
        let aware = app.now() - chrono::Duration::hours(hours_ago);
        app.event_ok(&officer, id, serde_json::json!({"type": "confirm", "controller_aware_at": aware}))
            .await;
    }
    app.clock.advance(chrono::Duration::minutes(1));
    let patched = app
        .patch_json(
            &format!("/api/v1/incidents/{}", ids[1]),
            &officer,
            &serde_json::json!({"records_approx": 5}),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);

    let expected = [&ids[6], &ids[4], &ids[2], &ids[1], &ids[5], &ids[3], &ids[0]];
    for limit in [1, 2, 3, 500] {
        let listed = all_pages(&app, &officer, "/api/v1/incidents?state=", limit).await;
        let listed: Vec<&str> = listed.iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(listed, expected, "limit {limit}");
    }
    let first = json(app.get("/api/v1/incidents", &officer).await).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 7, "50 by default");
    assert!(first["next_cursor"].is_null());

    // A tenant stays a tenant on every page.
    let acme = all_pages(&app, &dpo, "/api/v1/incidents?client=", 1).await;
    let acme: Vec<&str> = acme.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(acme, [&ids[6], &ids[4], &ids[2], &ids[0]]);

    for limit in ["0", "501", "-1"] {
        let response = app.get(&format!("/api/v1/incidents?limit={limit}"), &officer).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "limit {limit}");
        assert_eq!(json(response).await["field"], "limit");
    }
    for cursor in ["nonsense!", "eyJwIjoieCJ9", "eyJ4IjoxfQ"] {
        let response = app.get(&format!("/api/v1/incidents?cursor={cursor}"), &officer).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "cursor {cursor}");
        assert_eq!(json(response).await["error"], "bad_request");
    }

    let timeline = format!("/api/v1/incidents/{}/timeline?x=", ids[6]).replace("?x=", "?limit=500");
    let whole = json(app.get(&timeline, &officer).await).await["items"].as_array().unwrap().clone();
    assert!(whole.len() >= 2, "{whole:?}");
    let paged = all_pages(&app, &officer, &format!("/api/v1/incidents/{}/timeline?", ids[6]), 1).await;
    assert_eq!(paged, whole);
    let seqs: Vec<i64> = paged.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "oldest first: {seqs:?}");
}

/// A client that sends a request's head and then only part of its body (a slow upload, or a
/// connection held open on purpose) gets 400 once `server.body_timeout_seconds` has passed, and its
/// connection is closed; the server does not wait for it forever.
async fn a_body_that_stalls_is_cut_off_after_the_body_timeout(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(&backend, &[("ART33__SERVER__BODY_TIMEOUT_SECONDS", "1")]).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let address = app.address.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/incidents HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"client\": \"acme\""
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read =
        tokio::time::timeout(std::time::Duration::from_secs(15), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server still waits for the body after 15 s");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("did not arrive within 1 s"), "{answer}");

    // A body that arrives in time is taken as always.
    let body =
        serde_json::json!({"client": "acme", "title": "Laptop stolen", "summary": "A laptop was stolen"});
    assert_eq!(app.post_json("/api/v1/incidents", &token, &body).await.status(), StatusCode::CREATED);
}
