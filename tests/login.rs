//! The login form under attack (issue 17): redirects after login, the login CSRF token, rate
//! limits under concurrency, client addresses behind proxies, one password verification per
//! attempt, per-pair locks and the mail that tells of them; on both backends.

use art33::domain::tenant::Role;
use reqwest::StatusCode;

use crate::on_both_backends;
use crate::support::{Backend, TestApp, csrf_of};

const PASSWORD: &str = "violet kettle under the bridge";

async fn world(backend: &Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    app.add_client("acme").await;
    app.add_user_with_password("officer@gx.example", Role::Officer, None, PASSWORD).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    app
}

/// Submits the login form with `next` from a fresh browser.
async fn login_with_next(app: &TestApp, next: &str) -> reqwest::Response {
    let browser = app.browser();
    let page = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    browser
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("email", "officer@gx.example"),
            ("password", PASSWORD),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

on_both_backends!(login_follows_only_local_next_paths, login_csrf_refuses_an_empty_cookie_and_field,);

async fn login_follows_only_local_next_paths(backend: Backend) {
    let app = world(&backend).await;
    // The page's hidden field is cleaned already: `%09` decodes to a tab.
    let page = app.http.get(app.url("/login?next=/%09/evil.example")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("name=\"next\" value=\"/\""), "{page}");
    for (next, expected) in [
        ("/\t/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("/x\r\nSet-Cookie: a=b", "/"),
        ("/\n/evil", "/"),
        ("/\u{b}/evil", "/"),
        ("", "/"),
        ("/ok?x=1", "/ok?x=1"),
        ("/incidents/abc", "/incidents/abc"),
    ] {
        let response = login_with_next(&app, next).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(response.headers()["location"], expected, "{next:?}");
    }
}

async fn login_csrf_refuses_an_empty_cookie_and_field(backend: Backend) {
    let app = world(&backend).await;
    let response = app
        .http
        .post(app.url("/login"))
        .header("cookie", "art33_login_csrf=")
        .form(&[("csrf", ""), ("email", "officer@gx.example"), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
