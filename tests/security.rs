//! Security, tenancy and privacy by design: who may do what on every route, headers, personal-data
//! checks, retention, logs, and bad input that never reaches a server error.

use std::collections::{BTreeMap, BTreeSet};

use art33::domain::tenant::Role;
use proptest::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::cli::{run, serve, stdout};
use crate::support::{Backend, TestApp, csrf_of, json};

const PASSWORD: &str = "violet kettle under the bridge";

/// The callers of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Anonymous,
    ReporterOwn,
    ReporterOther,
    DpoOwn,
    DpoOther,
    Officer,
    Admin,
}

const CALLERS: [Caller; 7] = [
    Caller::Anonymous,
    Caller::ReporterOwn,
    Caller::ReporterOther,
    Caller::DpoOwn,
    Caller::DpoOther,
    Caller::Officer,
    Caller::Admin,
];

impl Caller {
    fn email(self) -> Option<&'static str> {
        match self {
            Caller::Anonymous => None,
            Caller::ReporterOwn => Some("staff@gx.example"),
            Caller::ReporterOther => Some("colleague@gx.example"),
            Caller::DpoOwn => Some("dpo@acme.example"),
            Caller::DpoOther => Some("dpo@beta.example"),
            Caller::Officer => Some("officer@gx.example"),
            Caller::Admin => Some("admin@gx.example"),
        }
    }
}

struct Matrix {
    app: TestApp,
    tokens: BTreeMap<Caller, String>,
    sessions: BTreeMap<Caller, reqwest::Client>,
    csrf: BTreeMap<Caller, String>,
    incident: String,
    revocable: String,
}

async fn matrix_world(backend: &Backend) -> Matrix {
    // With a metrics token, so that `/metrics` is a route: no caller below holds that token.
    let app = TestApp::spawn_with(backend, &crate::support::with_metrics_token(&[])).await;
    app.add_client("acme").await;
    app.add_client("beta").await;
    let users = [
        (Caller::ReporterOwn, Role::Reporter, None),
        (Caller::ReporterOther, Role::Reporter, None),
        (Caller::DpoOwn, Role::Dpo, Some("acme")),
        (Caller::DpoOther, Role::Dpo, Some("beta")),
        (Caller::Officer, Role::Officer, None),
        (Caller::Admin, Role::Admin, None),
    ];
    let mut tokens = BTreeMap::new();
    let mut sessions = BTreeMap::new();
    let mut csrf = BTreeMap::new();
    for (caller, role, client) in users {
        let email = caller.email().unwrap();
        app.add_user_with_password(email, role, client, PASSWORD).await;
        let token = art33::auth::issue_api_token();
        let (prefix, digest) = (token.prefix.clone(), token.digest.clone());
        let email_owned = email.to_string();
        let now = app.now();
        app.db
            .run(move |c| {
                let user = art33::storage::directory::user_by_email(c, &email_owned)?.unwrap();
                art33::storage::directory::insert_token(
                    c,
                    "test",
                    &art33::storage::directory::NewApiToken { user_id: user.id, label: None, prefix, digest },
                    now,
                )
            })
            .await
            .unwrap();
        tokens.insert(caller, token.secret);
        let browser = app.login(email, PASSWORD).await;
        let page = browser.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        csrf.insert(caller, csrf_of(&page));
        sessions.insert(caller, browser);
    }
    sessions.insert(Caller::Anonymous, app.browser());
    let incident = app.report(&tokens[&Caller::ReporterOwn], "acme", json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let revocable = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let revocable = app
        .db
        .run(move |c| {
            use art33::storage::schema::api_tokens::dsl::*;
            use diesel::prelude::*;
            Ok::<_, art33::storage::StorageError>(
                api_tokens
                    .filter(digest.eq(art33::auth::token_digest(&revocable)))
                    .select(id)
                    .get_result::<String>(c)?,
            )
        })
        .await
        .unwrap();
    Matrix { app, tokens, sessions, csrf, incident, revocable }
}

/// Every route the application registers, read from its registration code, so that a new route
/// without an entry in the matrix fails the test.
fn registered_routes() -> BTreeSet<(String, String)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/web");
    let mut routes = BTreeSet::new();
    for (file, prefix) in [("mod.rs", ""), ("api/mod.rs", "/api/v1"), ("pages/mod.rs", "")] {
        let source = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        let mut resource: Option<String> = None;
        let mut rest = source.as_str();
        while !rest.is_empty() {
            let next_resource = rest.find("web::resource(\"");
            let next_route = rest.find(".route(");
            match (next_resource, next_route) {
                (Some(r), Some(t)) if r < t => {
                    let after = &rest[r + "web::resource(\"".len()..];
                    resource = Some(after[..after.find('"').unwrap()].to_string());
                    rest = &after[after.find('"').unwrap()..];
                }
                (_, Some(t)) => {
                    let after = &rest[t + ".route(".len()..];
                    let (path, args) = if let Some(inner) = after.strip_prefix('"') {
                        let end = inner.find('"').unwrap();
                        (inner[..end].to_string(), &inner[end..])
                    } else {
                        (resource.clone().expect("a route inside a resource"), after)
                    };
                    let method = ["get", "post", "patch", "put", "delete"]
                        .into_iter()
                        .find(|m| {
                            args.trim_start_matches(['"', ',', ' ']).starts_with(&format!("web::{m}()"))
                        })
                        .expect("a method");
                    routes.insert((method.to_uppercase(), format!("{prefix}{path}")));
                    rest = &after[1..];
                }
                (Some(r), None) => {
                    rest = &rest[r + 1..];
                }
                (None, None) => break,
            }
        }
    }
    routes
}

use Caller::*;

/// The expected status of each route for each caller.
fn expectation(method: &str, path: &str, caller: Caller) -> Option<u16> {
    let api_read = |c| match c {
        Anonymous => 401,
        ReporterOther | DpoOther => 404,
        _ => 200,
    };
    let page_read = |c| match c {
        Anonymous => 303,
        ReporterOther | DpoOther => 404,
        _ => 200,
    };
    let admin_only = |c, ok| match c {
        Anonymous => 303,
        Admin => ok,
        _ => 403,
    };
    Some(match (method, path) {
        ("GET", "/healthz" | "/readyz" | "/api/v1/openapi.json" | "/assets/{name}" | "/login") => 200,
        // Only the metrics token opens the metrics: no API token, no session.
        ("GET", "/metrics") => 401,
        ("GET" | "POST", "/ack/{token}") => 404,
        // A password-reset link that was never sent; its form is refused without the form's own
        // CSRF cookie before the link is even looked up.
        ("GET", "/reset/{secret}") => 404,
        // A calendar feed that was never made.
        ("GET", "/calendar/{file}") => 404,
        // Single sign-on is not configured in this world: its routes answer as unknown ones
        // (tests/oidc.rs covers them with a provider).
        ("GET", "/login/oidc" | "/login/oidc/callback") => 404,
        // Every user's own page and calendar link.
        ("GET", "/profile") | ("POST", "/profile/calendar") => match caller {
            Anonymous => 303,
            _ => 200,
        },
        ("POST", "/profile/calendar/stop") => 303,
        ("POST", "/reset/{secret}") => 403,
        ("POST", "/login") => match caller {
            Anonymous => 303,
            _ => 303,
        },
        ("GET", "/api/v1/incidents") => match caller {
            Anonymous => 401,
            _ => 200,
        },
        ("POST", "/api/v1/incidents") => match caller {
            Anonymous => 401,
            DpoOther => 422,
            _ => 201,
        },
        (
            "GET",
            "/api/v1/incidents/{id}"
            | "/api/v1/incidents/{id}/timeline"
            | "/api/v1/incidents/{id}/alerts"
            | "/api/v1/incidents/{id}/ap-report"
            | "/api/v1/incidents/{id}/ap-report.txt"
            | "/api/v1/incidents/{id}/ap-report.pdf",
        ) => api_read(caller),
        ("PATCH", "/api/v1/incidents/{id}") => api_read(caller),
        ("POST", "/api/v1/incidents/{id}/events") => match caller {
            ReporterOwn => 403,
            c => api_read(c),
        },
        ("GET", "/" | "/report") => page_read(if caller == Anonymous { Anonymous } else { Officer }),
        ("POST", "/report") => match caller {
            Anonymous => 303,
            DpoOther => 422,
            _ => 303,
        },
        (
            "GET",
            "/report/received/{id}"
            | "/incidents/{id}"
            | "/incidents/{id}/ap-report"
            | "/incidents/{id}/ap-report.txt"
            | "/incidents/{id}/ap-report.pdf",
        ) => page_read(caller),
        ("GET", "/register" | "/register.csv" | "/register.json") => match caller {
            Anonymous => 303,
            ReporterOwn | ReporterOther => 403,
            _ => 200,
        },
        ("POST", "/incidents/{id}/events") => match caller {
            ReporterOwn => 403,
            c if page_read(c) == 200 => 303,
            c => page_read(c),
        },
        ("POST", "/incidents/{id}/edit") => match page_read(caller) {
            200 => 303,
            other => other,
        },
        // A client's profile (acme's): its DPO, officers and admins read it; admins change it.
        ("GET", "/api/v1/clients/{slug}/profile") => match caller {
            Anonymous => 401,
            ReporterOwn | ReporterOther => 403,
            DpoOther => 404,
            _ => 200,
        },
        ("PUT", "/api/v1/clients/{slug}/profile") => match caller {
            Anonymous => 401,
            DpoOther => 404,
            Admin => 200,
            _ => 403,
        },
        ("GET", "/admin/clients/{slug}/profile") => match caller {
            Anonymous => 303,
            ReporterOwn | ReporterOther => 403,
            DpoOther => 404,
            _ => 200,
        },
        ("POST", "/admin/clients/{slug}/profile") => admin_only(caller, 303),
        ("GET", "/admin") => admin_only(caller, 200),
        ("POST", "/admin/clients" | "/admin/users" | "/admin/tokens/{id}/revoke") => admin_only(caller, 303),
        // Editing acme (as it is), and a user that does not exist (the matrix's id is an incident's).
        ("POST", "/admin/clients/{slug}") => admin_only(caller, 303),
        ("POST", "/admin/users/{id}" | "/admin/users/{id}/reset") => admin_only(caller, 404),
        ("POST", "/admin/tokens") => admin_only(caller, 200),
        // Alert channels: admins only. The form with nothing chosen is refused naming the kind; the
        // matrix's id is an incident's, so no channel is found.
        ("GET", "/admin/channels") => admin_only(caller, 200),
        ("POST", "/admin/channels") => admin_only(caller, 422),
        ("POST", "/admin/channels/{id}/test" | "/admin/channels/{id}/remove") => admin_only(caller, 404),
        // Failed mails go back in the queue by an officer's or an admin's hand only.
        ("POST", "/mails/requeue") => match caller {
            Anonymous | Officer | Admin => 303,
            _ => 403,
        },
        ("GET", "/logout") => match caller {
            Anonymous => 303,
            _ => 200,
        },
        ("POST", "/logout") => 303,
        _ => return None,
    })
}

impl Matrix {
    async fn call(&self, method: &str, path: &str, caller: Caller, n: usize) -> u16 {
        let id = &self.incident;
        let concrete = path
            .replace("{id}", if path.contains("/tokens/") { &self.revocable } else { id })
            .replace("{name}", "app.css")
            .replace("{slug}", "acme")
            .replace("{token}", "not-a-token.signature")
            .replace("{secret}", "not-a-secret")
            .replace("{file}", "not-a-feed.ics");
        let url = self.app.url(&concrete);
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        if concrete.starts_with("/api/") || ["/healthz", "/readyz", "/metrics"].contains(&concrete.as_str()) {
            let mut request = self.app.http.request(method.clone(), &url);
            if let Some(token) = self.tokens.get(&caller) {
                request = request.bearer_auth(token);
            }
            let body = match (method.as_str(), concrete.as_str()) {
                ("POST", "/api/v1/incidents") => {
                    Some(json!({"client": "acme", "title": format!("matrix {n}"), "summary": "s"}))
                }
                ("PATCH", _) => Some(json!({"records_approx": n})),
                ("PUT", _) => Some(json!({"legal_name": format!("Acme {n} B.V.")})),
                ("POST", _) => Some(json!({"type": "acknowledge"})),
                _ => None,
            };
            if let Some(body) = body {
                request = request.json(&body);
            }
            return request.send().await.unwrap().status().as_u16();
        }
        // Logging in renews the session: use a browser of its own, so the caller's session (and
        // its CSRF token) stay valid for the routes after it.
        let fresh = self.app.browser();
        let browser = if concrete == "/login" { &fresh } else { &self.sessions[&caller] };
        if method == Method::GET {
            return browser.get(&url).send().await.unwrap().status().as_u16();
        }
        let csrf = self.csrf.get(&caller).cloned().unwrap_or_default();
        let slug = format!("c{n}x");
        let email = format!("new{n}@gx.example");
        let form: Vec<(&str, String)> = match concrete.as_str() {
            "/login" => {
                let page = browser.get(self.app.url("/login")).send().await.unwrap().text().await.unwrap();
                let email = caller.email().unwrap_or("admin@gx.example");
                vec![("csrf", csrf_of(&page)), ("email", email.into()), ("password", PASSWORD.into())]
            }
            "/report" => vec![
                ("csrf", csrf),
                ("client", "acme".into()),
                ("title", format!("page {n}")),
                ("summary", "s".into()),
            ],
            "/admin/clients" => vec![
                ("csrf", csrf),
                ("slug", slug),
                ("name", "N".into()),
                ("dpo_email", "d@c.example".into()),
            ],
            "/admin/users" => vec![("csrf", csrf), ("email", email), ("role", "officer".into())],
            "/admin/tokens" => vec![("csrf", csrf), ("token_email", "officer@gx.example".into())],
            "/admin/clients/acme" => vec![
                ("csrf", csrf),
                ("name", "acme BV".into()),
                ("dpo_email", "dpo@acme.example".into()),
                ("escalation_emails", "security@acme.example".into()),
                ("locale", "nl".into()),
            ],
            p if p.starts_with("/admin/users/") => {
                vec![("csrf", csrf), ("role", "reporter".into()), ("active", "on".into())]
            }
            p if p.ends_with("/edit") => vec![
                ("csrf", csrf),
                ("title", "Edited".into()),
                ("summary", "s".into()),
                ("discovered_at", "2026-10-22T11:00".into()),
            ],
            p if p.ends_with("/events") => vec![("csrf", csrf), ("type", "acknowledge".into())],
            _ => vec![("csrf", csrf)],
        };
        browser.post(&url).form(&form).send().await.unwrap().status().as_u16()
    }
}

on_both_backends!(every_route_answers_every_role_and_tenant_exactly);

async fn every_route_answers_every_role_and_tenant_exactly(backend: Backend) {
    let routes = registered_routes();
    assert!(routes.len() >= 25, "{routes:?}");
    for (method, path) in &routes {
        for caller in CALLERS {
            assert!(
                expectation(method, path, caller).is_some(),
                "no matrix entry for {method} {path} ({caller:?})"
            );
        }
    }
    let world = matrix_world(&backend).await;
    let mut failures = Vec::new();
    let mut n = 0;
    for (method, path) in routes.iter().filter(|(m, p)| !(m == "POST" && p == "/logout")) {
        for caller in CALLERS {
            n += 1;
            let want = expectation(method, path, caller).unwrap();
            let got = world.call(method, path, caller, n).await;
            if got != want {
                failures.push(format!("{method} {path} as {caller:?}: expected {want}, got {got}"));
            }
        }
    }
    for caller in CALLERS {
        let got = world.call("POST", "/logout", caller, 0).await;
        if got != 303 {
            failures.push(format!("POST /logout as {caller:?}: expected 303, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

on_both_backends!(a_dpo_cannot_learn_whether_another_clients_incident_exists);

async fn a_dpo_cannot_learn_whether_another_clients_incident_exists(backend: Backend) {
    let world = matrix_world(&backend).await;
    let existing = world.incident.clone();
    let unknown = uuid::Uuid::new_v4().to_string();
    let token = &world.tokens[&DpoOther];
    let browser = &world.sessions[&DpoOther];
    for suffix in ["", "/timeline", "/alerts"] {
        let a = world.app.get(&format!("/api/v1/incidents/{existing}{suffix}"), token).await;
        let b = world.app.get(&format!("/api/v1/incidents/{unknown}{suffix}"), token).await;
        assert_eq!(a.status(), b.status());
        assert_eq!(a.text().await.unwrap(), b.text().await.unwrap(), "identical answers for {suffix}");
    }
    for suffix in ["", "/ap-report"] {
        let a = browser.get(world.app.url(&format!("/incidents/{existing}{suffix}"))).send().await.unwrap();
        let b = browser.get(world.app.url(&format!("/incidents/{unknown}{suffix}"))).send().await.unwrap();
        assert_eq!(a.status(), b.status());
        assert_eq!(a.text().await.unwrap(), b.text().await.unwrap());
    }
    let listed = json(world.app.get("/api/v1/incidents?client=acme", token).await).await;
    assert_eq!(listed["items"], json!([]));
}

on_both_backends!(answers_carry_the_security_headers);

async fn answers_carry_the_security_headers(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    for path in ["/login", "/healthz", "/api/v1/incidents", "/assets/app.css"] {
        let response = app.http.get(app.url(path)).send().await.unwrap();
        let h = response.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(h.contains_key("referrer-policy"));
        assert!(!h.contains_key("strict-transport-security"), "no HSTS over plain http");
    }
    let page = app.http.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("<script>") && !page.contains("style=\""), "no inline script or style");

    let https =
        TestApp::spawn_with(&backend, &[("ART33__SERVER__BASE_URL", "https://art33.example.com")]).await;
    let response = https.http.get(https.url("/login")).send().await.unwrap();
    assert!(response.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
    let set_cookie: Vec<String> =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(set_cookie.iter().all(|c| c.contains("Secure")), "cookies are Secure over https: {set_cookie:?}");
}

on_both_backends!(personal_data_in_the_api_is_refused_naming_field_and_kind_never_the_data);

async fn personal_data_in_the_api_is_refused_naming_field_and_kind_never_the_data(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    for (text, kind) in [
        ("Export mailed to piet.pieters@example.nl", "email"),
        ("Customer BSN 111222333 visible", "bsn"),
        ("Refund to NL91ABNA0417164300 leaked", "iban"),
        ("Call 06-12345678 about it", "phone"),
        ("Card 4111 1111 1111 1111 in the log", "card_number"),
    ] {
        let response = app
            .post_json("/api/v1/incidents", &token, &json!({"client": "acme", "title": "t", "summary": text}))
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let raw = response.text().await.unwrap();
        let body: serde_json::Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(body["error"], "personal_data_detected");
        assert_eq!(body["field"], "summary");
        assert!(body["message"].as_str().unwrap().contains(kind), "{raw}");
        for part in text
            .split_whitespace()
            .filter(|w| w.chars().filter(char::is_ascii_digit).count() > 3 || w.contains('@'))
        {
            assert!(!raw.contains(part), "the answer never repeats the data: {raw}");
        }
    }
    let allowed = app
        .post_json(
            "/api/v1/incidents",
            &token,
            &json!({"client": "acme", "title": "t", "summary": "BSN 111222333", "allow_personal_data": true}),
        )
        .await;
    assert_eq!(allowed.status(), StatusCode::CREATED);
    let id = json(allowed).await["id"].as_str().unwrap().to_string();
    let patch = app
        .patch_json(
            &format!("/api/v1/incidents/{id}"),
            &token,
            &json!({"consequences": "mail to a@b.example"}),
        )
        .await;
    assert_eq!(patch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(patch).await["field"], "consequences");
}

on_both_backends!(retention_purges_free_text_and_the_chain_still_verifies);

async fn retention_purges_free_text_and_the_chain_still_verifies(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let secret_story = "The intern's laptop with the member list was left on the train";
    let id = app
        .report(
            &token,
            "acme",
            json!({"summary": secret_story, "consequences": "phishing", "measures_taken": "wiped remotely"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let recent = app.report(&token, "acme", json!({"summary": "a recent one"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.event_ok(
        &token,
        &id,
        json!({"type": "dismiss", "reason": "the list held no personal data after all"}),
    )
    .await;
    app.event_ok(&token, &id, json!({"type": "close", "summary": "closed as no breach"})).await;
    app.tick().await;

    app.clock.advance(chrono::Duration::days(365 * 5 - 2));
    let now = app.now();
    let purged = app.db.run(move |c| art33::storage::retention::purge(c, now, 5)).await.unwrap();
    assert_eq!(purged, 0, "not yet five years");
    app.clock.advance(chrono::Duration::days(5));
    let now = app.now();
    let purged = app.db.run(move |c| art33::storage::retention::purge(c, now, 5)).await.unwrap();
    assert_eq!(purged, 1);

    let incident = json(app.get(&format!("/api/v1/incidents/{id}"), &token).await).await;
    assert_eq!(incident["summary"], "[purged]");
    assert_eq!(incident["consequences"], serde_json::Value::Null);
    assert_eq!(incident["state"], "closed", "codes, counts and times stay for the register");
    let timeline = app.get(&format!("/api/v1/incidents/{id}/timeline"), &token).await.text().await.unwrap();
    assert!(!timeline.contains(secret_story) && !timeline.contains("held no personal data"), "{timeline}");
    assert!(timeline.contains("sha256:"));
    assert!(timeline.contains("retention.purge"));
    let other = json(app.get(&format!("/api/v1/incidents/{recent}"), &token).await).await;
    assert_eq!(other["summary"], "a recent one", "open incidents keep their text");

    let env = [("ART33__DATABASE__URL", app.settings.database.url.expose().as_str())];
    let dir = tempfile::tempdir().unwrap();
    let verify = run(dir.path(), &["audit", "verify"], &env);
    assert_eq!(verify.status.code(), Some(0), "the chain verifies after the purge");
    assert!(stdout(&verify).starts_with("ok "));
}

/// A full scenario through the real binary with known secrets and personal data in the inputs:
/// none of it appears in the logs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_never_carry_secrets_or_personal_data() {
    let smtp = crate::support::smtp::SmtpServer::start().await;
    let db = crate::support::TestDb::create(&Backend::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    let url = smtp.url();
    let env = [
        ("ART33__DATABASE__URL", db.url.as_str()),
        ("ART33__MAIL__TRANSPORT", "smtp"),
        ("ART33__MAIL__SMTP_URL", url.as_str()),
        ("ART33__SCHEDULER__TICK_SECONDS", "1"),
        ("ART33__LOG__FILTER", "debug,tokio_cron_scheduler=warn,hyper=info,h2=info,rustls=info"),
    ];
    assert!(run(dir.path(), &["migrate"], &env).status.success());
    assert!(
        run(
            dir.path(),
            &["client", "add", "--slug", "acme", "--name", "Acme", "--dpo-email", "geheime.fg@acme.example"],
            &env
        )
        .status
        .success()
    );
    let added = crate::support::cli::run_with_stdin(
        dir.path(),
        &["user", "add", "--email", "officer@gx.example", "--role", "officer", "--password-stdin"],
        &env,
        &format!("{PASSWORD}\n"),
    );
    assert!(added.status.success());
    let token = stdout(&run(dir.path(), &["token", "create", "--email", "officer@gx.example"], &env))
        .trim()
        .to_string();
    let served = serve(dir.path(), &env);
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let story = "Payroll of Jan de Vries, IBAN NL91ABNA0417164300, mailed to kees.klant@example.nl";
    let created = http
        .post(format!("{}/api/v1/incidents", served.address))
        .bearer_auth(&token)
        .json(&json!({"client": "acme", "title": "Payroll misdirected", "summary": story, "allow_personal_data": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    http.post(format!("{}/api/v1/incidents/{id}/events", served.address))
        .bearer_auth(&token)
        .json(&json!({"type": "dismiss", "reason": "Jan de Vries agreed it was harmless"}))
        .send()
        .await
        .unwrap();
    let page = http.get(format!("{}/login", served.address)).send().await.unwrap().text().await.unwrap();
    let login = http
        .post(format!("{}/login", served.address))
        .form(&[("csrf", csrf_of(&page).as_str()), ("email", "officer@gx.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let session = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("art33_session=").map(|v| v.split(';').next().unwrap().to_string()))
        .expect("logged in");
    http.post(format!("{}/login", served.address))
        .form(&[("email", "officer@gx.example"), ("password", "wrong password here")])
        .send()
        .await
        .unwrap();
    smtp.wait_for(2, std::time::Duration::from_secs(5)).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let log = served.log().join("\n");
    assert!(log.contains("request"), "the log is not empty: {log}");
    for secret in [
        token.as_str(),
        session.as_str(),
        PASSWORD,
        "Jan de Vries",
        "NL91ABNA0417164300",
        "kees.klant@example.nl",
        "geheime.fg@acme.example",
        "officer@gx.example",
        story,
    ] {
        assert!(!log.contains(secret), "the log carries {secret:?}:\n{log}");
    }
}

fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        ".{0,40}".prop_map(serde_json::Value::String),
        prop::sample::select(vec![
            "confirm",
            "dismiss",
            "notify_ap",
            "acme",
            "2026-10-22T12:00:00Z",
            "read",
            "9999999999999999999"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "client",
                    "title",
                    "summary",
                    "type",
                    "nature",
                    "subjects_min",
                    "subjects_max",
                    "discovered_at",
                    "reason",
                    "dpc",
                    "ap_reference",
                    "preliminary",
                    "records_approx",
                    "x",
                ])
                .prop_map(str::to_string),
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Probe {
    Json { method: &'static str, path: &'static str, body: serde_json::Value, content_type: String },
    Raw { method: &'static str, path: &'static str, body: Vec<u8>, content_type: String },
    Query { path: &'static str, query: String },
    Header { path: &'static str, name: String, value: String },
}

fn probe() -> impl Strategy<Value = Probe> {
    let api_paths = prop::sample::select(vec![
        ("POST", "/api/v1/incidents"),
        ("PATCH", "/api/v1/incidents/{id}"),
        ("POST", "/api/v1/incidents/{id}/events"),
    ]);
    let form_paths = prop::sample::select(vec![
        ("POST", "/report"),
        ("POST", "/incidents/{id}/events"),
        ("POST", "/incidents/{id}/edit"),
        ("POST", "/login"),
        ("POST", "/admin/clients"),
        ("POST", "/ack/{id}"),
    ]);
    let get_paths = prop::sample::select(vec![
        "/api/v1/incidents",
        "/",
        "/incidents/{id}",
        "/login",
        "/api/v1/incidents/{id}/alerts",
    ]);
    let content_types = prop::sample::select(vec![
        "application/json".to_string(),
        "application/x-www-form-urlencoded".to_string(),
        "text/plain".to_string(),
        "multipart/form-data; boundary=x".to_string(),
        "application/json; charset=latin1".to_string(),
    ]);
    prop_oneof![
        (api_paths, arbitrary_json(), content_types.clone()).prop_map(
            |((method, path), body, content_type)| Probe::Json { method, path, body, content_type }
        ),
        (form_paths, prop::collection::vec(any::<u8>(), 0..300), content_types)
            .prop_map(|((method, path), body, content_type)| Probe::Raw { method, path, body, content_type }),
        (get_paths.clone(), "[ -~]{0,80}").prop_map(|(path, query)| Probe::Query { path, query }),
        (get_paths, "[A-Za-z-]{1,20}", "[ -~]{0,60}").prop_map(|(path, name, value)| Probe::Header {
            path,
            name,
            value
        }),
    ]
}

on_both_backends!(no_input_reaches_a_server_error);

async fn no_input_reaches_a_server_error(backend: Backend) {
    let world = matrix_world(&backend).await;
    let handle = tokio::runtime::Handle::current();
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 160,
        failure_persistence: None,
        ..Default::default()
    });
    let outcome = tokio::task::block_in_place(|| {
        runner.run(&probe(), |probe| {
            let status = handle.block_on(send(&world, &probe));
            prop_assert!(status < 500, "{probe:?} → {status}");
            Ok(())
        })
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

on_both_backends!(nul_characters_are_refused_or_name_nothing_never_a_server_error);

/// PostgreSQL's text cannot hold NUL and refuses a query that binds one: a NUL in a URL is a 400
/// before any handler, and one in a key sent in a body (a client's slug, a login address) names no
/// row, as on SQLite.
async fn nul_characters_are_refused_or_name_nothing_never_a_server_error(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    let browser = app.login("dpo@acme.example", PASSWORD).await;

    for path in
        ["/api/v1/incidents/ab%00cd", "/api/v1/incidents?client=ac%00me", "/api/v1/incidents/x%00/ap-draft"]
    {
        let response = app.get(path, &token).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body = json(response).await;
        assert_eq!(body["error"], "bad_request", "{path}");
        assert!(body["message"].as_str().unwrap().contains("NUL"), "{body}");
    }
    for path in ["/incidents/ab%00cd", "/?q=%00"] {
        let response = browser.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(response.headers().contains_key("content-security-policy"), "a full answer: {path}");
    }

    let refused = app
        .post_json("/api/v1/incidents", &token, &json!({"client": "ac\u{0}me", "title": "t", "summary": "s"}))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(refused).await["field"], "client");

    let (_, login) = app.try_login("dpo\u{0}@acme.example", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED, "an address with a NUL is an unknown address");
}

async fn send(world: &Matrix, probe: &Probe) -> u16 {
    let fill = |p: &str| world.app.url(&p.replace("{id}", &world.incident));
    let token = &world.tokens[&Officer];
    let browser = &world.sessions[&Officer];
    let response = match probe {
        Probe::Json { method, path, body, content_type } => {
            world
                .app
                .http
                .request(Method::from_bytes(method.as_bytes()).unwrap(), fill(path))
                .bearer_auth(token)
                .header("content-type", content_type.as_str())
                .body(body.to_string())
                .send()
                .await
        }
        Probe::Raw { method, path, body, content_type } => {
            let mut bytes = format!("csrf={}&", world.csrf[&Officer]).into_bytes();
            bytes.extend_from_slice(body);
            browser
                .request(Method::from_bytes(method.as_bytes()).unwrap(), fill(path))
                .header("content-type", content_type.as_str())
                .body(bytes)
                .send()
                .await
        }
        Probe::Query { path, query } => {
            let url = format!("{}?{}", fill(path), query.replace('#', "%23"));
            browser.get(url).bearer_auth(token).send().await
        }
        Probe::Header { path, name, value } => {
            let request = browser.get(fill(path)).bearer_auth(token);
            let request = match reqwest::header::HeaderValue::from_str(value) {
                Ok(v) => request.header(name.as_str(), v),
                Err(_) => request,
            };
            request.send().await
        }
    };
    response.map(|r| r.status().as_u16()).unwrap_or(400)
}

/// schemathesis (from PyPI) against the running server's OpenAPI document: no server error and no
/// response that violates the schema. Required under CI; skipped with a note elsewhere when the
/// `schemathesis` command is missing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_schema_violation() {
    let command = std::env::var("ART33_SCHEMATHESIS").unwrap_or_else(|_| "schemathesis".into());
    if std::process::Command::new(&command).arg("--version").output().is_err() {
        if std::env::var_os("CI").is_some() {
            panic!("schemathesis is required under CI (.ci/run installs it from PyPI)");
        }
        eprintln!("note: schemathesis test skipped: install it with pip install schemathesis");
        return;
    }
    let app = TestApp::spawn(&Backend::Sqlite).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.report(&token, "acme", json!({})).await;
    let schema = app.url("/api/v1/openapi.json");
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(&command)
            .args([
                "run",
                &schema,
                "--header",
                &format!("Authorization: Bearer {token}"),
                "--max-examples",
                "25",
                "--checks",
                "not_a_server_error,response_schema_conformance",
                "--no-color",
            ])
            .env("SCHEMATHESIS_HOOKS", "")
            .output()
            .expect("run schemathesis")
    })
    .await
    .unwrap();
    let report =
        format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "schemathesis found problems:\n{report}");
}
