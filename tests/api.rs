//! The JSON API: authentication, error bodies, routing.

use art33::domain::tenant::Role;
use reqwest::StatusCode;

use crate::on_both_backends;
use crate::support::{Backend, TestApp, json, with_metrics_token};

on_both_backends!(
    a_new_token_lists_no_incidents,
    a_wrong_or_missing_token_is_401_with_the_error_body,
    unknown_api_paths_and_methods_answer_json,
    healthz_answers_ok_when_the_database_answers,
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
        assert_eq!(json(response).await, serde_json::json!({"items": []}));
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
