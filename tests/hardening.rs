//! Security round 2 (issue 17): CSV cells that never become formulas, mails without free text,
//! logs without injected lines, files only the owner can read, names without control characters
//! and answers that are never cached.

use art33::domain::tenant::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_backends;
use crate::support::cli::{run, stdout};
use crate::support::{Backend, TestApp};

const PASSWORD: &str = "violet kettle under the bridge";

on_both_backends!(
    register_csv_cells_never_start_a_formula,
    answers_with_incident_data_are_never_cached,
    mails_carry_no_free_text,
    control_characters_in_names_and_labels_are_refused_naming_the_field,
);

/// No cell of a CSV starts with a character that makes a spreadsheet read a formula.
fn assert_no_formula(csv_bytes: &[u8], origin: &str) {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv_bytes);
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        rows += 1;
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{origin}: a cell starts a formula: {cell:?}"
            );
        }
    }
    assert!(rows > 5, "{origin}: the header and the incidents ({rows} rows)");
}

async fn register_csv_cells_never_start_a_formula(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    let titles = ["=HYPERLINK(\"http://x\")", "+1+1", "-1+2", "@SUM(A1:A9)", "=cmd|' /C calc'!A0"];
    for title in titles {
        app.report(
            &token,
            "acme",
            json!({"title": title, "summary": "=1+1", "consequences": "@A1", "allow_personal_data": true}),
        )
        .await;
    }

    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let page = dpo.get(app.url("/register.csv")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.bytes().await.unwrap();
    assert_no_formula(&body, "GET /register.csv");
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert!(text.contains("'=HYPERLINK(\"\"http://x\"\")"), "the title is kept, as text: {text}");

    let env = [("ART33__DATABASE__URL", app.settings.database.url.expose().as_str())];
    let dir = tempfile::tempdir().unwrap();
    let exported = run(dir.path(), &["export", "register", "--format", "csv"], &env);
    assert_eq!(exported.status.code(), Some(0), "{}", crate::support::cli::stderr(&exported));
    assert_no_formula(stdout(&exported).as_bytes(), "art33 export register --format csv");
}

async fn answers_with_incident_data_are_never_cached(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    let id = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    let no_store = |response: &reqwest::Response, what: &str| {
        let value = response.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string());
        assert_eq!(value.as_deref(), Some("no-store"), "{what}");
    };

    for path in ["/api/v1/incidents".to_string(), format!("/api/v1/incidents/{id}")] {
        let response = app.get(&path, &token).await;
        assert_eq!(response.status(), StatusCode::OK);
        no_store(&response, &path);
    }
    let refused = app.http.get(app.url("/api/v1/incidents")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    no_store(&refused, "an API error");

    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    for path in ["/".to_string(), format!("/incidents/{id}"), "/register".to_string()] {
        let response = dpo.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        no_store(&response, &path);
    }
    no_store(&app.http.get(app.url("/login")).send().await.unwrap(), "the login page");

    for asset in ["/assets/app.css", "/assets/app.js"] {
        let response = app.http.get(app.url(asset)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
        let cache = response.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string());
        assert!(cache.as_deref().is_none_or(|c| !c.contains("no-store")), "{asset}: {cache:?}");
    }
}

/// The real binary with SQLite and the file transport: the database, its WAL and shared-memory
/// files, the mail folder and every `.eml` file are for the owner only, whatever the umask the
/// binary was started with.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_the_binary_creates_are_for_its_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("art33.db");
    let mail_out = dir.path().join("mail-out");
    let db_url = format!("sqlite://{}", db.display());
    let mail_dir = mail_out.display().to_string();
    let env = [
        ("ART33__DATABASE__URL", db_url.as_str()),
        ("ART33__MAIL__TRANSPORT", "file"),
        ("ART33__MAIL__FILE_DIR", mail_dir.as_str()),
        ("ART33__SCHEDULER__TICK_SECONDS", "1"),
    ];
    let token = crate::support::cli::acme_with_an_officer(dir.path(), &env);
    let served = crate::support::cli::serve(dir.path(), &env);
    let created = reqwest::Client::new()
        .post(format!("{}/api/v1/incidents", served.address))
        .bearer_auth(&token)
        .json(&json!({"client": "acme", "title": "Laptop stolen", "summary": "From a car"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let emls = loop {
        let emls: Vec<std::path::PathBuf> = std::fs::read_dir(&mail_out)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        if emls.len() >= 2 || std::time::Instant::now() > deadline {
            break emls;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(emls.len() >= 2, "the P0 mails were written: {:?}\n{}", emls, served.log().join("\n"));
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let wal = dir.path().join("art33.db-wal");
    let shm = dir.path().join("art33.db-shm");
    for file in
        [db.as_path(), wal.as_path(), shm.as_path()].into_iter().chain(emls.iter().map(|p| p.as_path()))
    {
        assert!(file.exists(), "{} exists while the server runs", file.display());
        assert_eq!(mode(file), 0o600, "{} is for its owner only", file.display());
    }
    assert_eq!(mode(&mail_out), 0o700, "the mail folder is for its owner only");
    served.terminate();
}

/// A login e-mail address carrying a line break and a forged log line: the readable log keeps it
/// on the line of the refusal, escaped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_address_cannot_forge_a_log_line() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("art33.db").display());
    let env = [
        ("ART33__DATABASE__URL", db_url.as_str()),
        ("ART33__LOG__FORMAT", "pretty"),
        ("ART33__LOG__FILTER", "info"),
    ];
    assert!(run(dir.path(), &["migrate"], &env).status.success());
    let served = crate::support::cli::serve(dir.path(), &env);
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http.get(format!("{}/login", served.address)).send().await.unwrap().text().await.unwrap();
    let forged = "x@evil.example\n2026-10-22T10:00:00.000000Z  INFO forged-line: login user=admin@gx.example\r\u{1b}[2K";
    let refused = http
        .post(format!("{}/login", served.address))
        .form(&[("csrf", crate::support::csrf_of(&page).as_str()), ("email", forged), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let log = served.log();
    let with_marker: Vec<&String> = log.iter().filter(|line| line.contains("forged-line")).collect();
    assert!(!with_marker.is_empty(), "the refusal is logged:\n{}", log.join("\n"));
    for line in with_marker {
        assert!(line.contains("login refused"), "a line of its own was forged: {line:?}\n{}", log.join("\n"));
        assert!(line.contains("\\n") && !line.contains('\r') && !line.contains('\u{1b}'), "{line:?}");
    }
    served.terminate();
}

/// Every free-text field of the facts and of the events holds a marker; the incident goes through
/// its lifecycle with ticks and deliveries in between (P0, the receipt, A0, U0, the milestones,
/// A5, S1). No mail received (subject, text or HTML) and no outbox row carries a marker.
async fn mails_carry_no_free_text(backend: Backend) {
    let smtp = crate::support::smtp::SmtpServer::start().await;
    let app = TestApp::spawn_with_smtp(&backend, &smtp).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let mark = |name: &str| format!("MAILMARK-{name}");
    let mut facts: serde_json::Map<String, serde_json::Value> =
        art33::domain::fields::free_text().map(|field| (field.to_string(), json!(mark(field)))).collect();
    facts.insert("allow_personal_data".into(), json!(true));
    let id = app.report(&token, "acme", serde_json::Value::Object(facts)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let step = |hours: i64| {
        let app = &app;
        async move {
            app.run_until(app.now() + chrono::Duration::hours(hours)).await;
            app.drain().await;
        }
    };
    step(0).await;

    let assess = json!({"type": "assess", "dpc": 1, "ease_of_identification": "limited", "confidentiality": 1,
        "integrity": 0, "availability": 0, "malicious": false, "unintelligible": false,
        "vulnerable_subjects": false, "rationale": mark("rationale"), "allow_personal_data": true});
    let mut written = Vec::new();
    for (event, hours) in [
        (
            json!({"type": "confirm", "controller_aware_at": "2026-10-18T10:00:00Z", "justification": mark("confirm")}),
            3,
        ),
        (assess, 1),
        (
            json!({"type": "notify_ap", "ap_reference": "AP-1", "preliminary": true, "delay_reason": mark("delay")}),
            24 * 15,
        ),
        (json!({"type": "supplement", "note": mark("note")}), 1),
        (
            json!({"type": "subjects_not_required", "ground": "no_high_risk", "explanation": mark("explanation")}),
            1,
        ),
        (
            json!({"type": "correct_awareness", "processor_aware_at": "2026-10-18T09:00:00Z",
            "controller_aware_at": "2026-10-18T09:00:00Z", "justification": mark("correct"),
            "delay_reason": mark("delay-again")}),
            1,
        ),
        (json!({"type": "withdraw", "reason": mark("withdraw")}), 1),
        (json!({"type": "reopen", "reason": mark("reopen")}), 48),
        (json!({"type": "decide_not_notifiable", "justification": mark("not-notifiable")}), 1),
        (json!({"type": "close", "summary": mark("close")}), 1),
    ] {
        let mut event = event;
        event["allow_personal_data"] = json!(true);
        for key in art33::domain::lifecycle::EVENT_FREE_TEXT {
            if event.get(key).is_some() {
                written.push(key);
            }
        }
        app.event_ok(&token, &id, event).await;
        step(hours).await;
    }
    for key in art33::domain::lifecycle::EVENT_FREE_TEXT {
        assert!(written.contains(&key), "the test writes the events' {key}");
    }

    let mails = smtp.received();
    let subjects: std::collections::BTreeSet<String> =
        mails.iter().map(|m| m.subject().split("] ").nth(1).unwrap_or_default().to_string()).collect();
    assert!(mails.len() >= 8 && subjects.len() >= 5, "mails of several kinds were sent: {subjects:?}");
    for mail in &mails {
        let html = mail.html_body().unwrap_or_default();
        for (part, text) in [("subject", mail.subject()), ("text", mail.text_body()), ("HTML", html)] {
            assert!(
                !text.contains("MAILMARK-"),
                "the {part} of \"{}\" carries free text:\n{text}",
                mail.subject()
            );
        }
        assert!(mail.text_body().contains(&format!("/incidents/{id}")), "the link to the incident stays");
        assert!(mail.subject().contains("ACME-2026-0001"), "the reference names the incident");
    }
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let rows: (Count, Count) = app
        .db
        .run(|conn| {
            use diesel::RunQueryDsl;
            let all = diesel::sql_query("SELECT COUNT(*) AS n FROM outbox").get_result(conn)?;
            let marked = diesel::sql_query(
                "SELECT COUNT(*) AS n FROM outbox WHERE subject LIKE '%MAILMARK-%' OR body_text LIKE '%MAILMARK-%' \
                 OR body_html LIKE '%MAILMARK-%'",
            )
            .get_result(conn)?;
            Ok::<_, art33::storage::StorageError>((all, marked))
        })
        .await
        .unwrap();
    assert_eq!(rows.0.n as usize, mails.len(), "every queued mail was delivered");
    assert_eq!(rows.1.n, 0, "no outbox row carries free text");
}

/// A NUL or another control character in a client's name, a DPO's name, a user's name, a token's
/// label or the report's client: 422 naming the field on the admin page and the API, exit 2 naming
/// it in the CLI; never a server error (PostgreSQL refuses NUL), never stored (SQLite would).
async fn control_characters_in_names_and_labels_are_refused_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    let admin = app.login("admin@gx.example", PASSWORD).await;
    let page = admin.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    let csrf = crate::support::csrf_of(&page);

    for bad in ["Acme\u{0}BV", "Acme\u{1b}[2J", "Acme\nBV", "\u{7}"] {
        let client = |name: &str, dpo_name: &str| {
            let form = [
                ("csrf", csrf.clone()),
                ("slug", "gamma".to_string()),
                ("name", name.to_string()),
                ("dpo_email", "dpo@gamma.example".to_string()),
                ("dpo_name", dpo_name.to_string()),
            ];
            admin.post(app.url("/admin/clients")).form(&form).send()
        };
        let user = |name: &str, client: &str| {
            let form = [
                ("csrf", csrf.clone()),
                ("email", "new@acme.example".to_string()),
                ("role", "reporter".to_string()),
                ("client", client.to_string()),
                ("name", name.to_string()),
            ];
            admin.post(app.url("/admin/users")).form(&form).send()
        };
        let token_form = |email: &str, label: &str| {
            let form =
                [("csrf", csrf.clone()), ("token_email", email.to_string()), ("label", label.to_string())];
            admin.post(app.url("/admin/tokens")).form(&form).send()
        };
        // The summary links to the input (named by its label, not its key).
        for (what, response, field) in [
            ("client name", client(bad, "").await.unwrap(), "name"),
            ("DPO name", client("Gamma", bad).await.unwrap(), "dpo_name"),
            ("user name", user(bad, "acme").await.unwrap(), "user_name"),
            ("user's client", user("New", bad).await.unwrap(), "client"),
            ("token label", token_form("officer@gx.example", bad).await.unwrap(), "label"),
            (
                "token e-mail",
                token_form(&format!("officer@gx.example{bad}"), "x").await.unwrap(),
                "token_email",
            ),
        ] {
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{what} {bad:?}");
            let html = response.text().await.unwrap();
            assert!(
                html.contains(&format!("<li><a href=\"#{field}\">")),
                "{what} {bad:?}: the field is named"
            );
            assert!(
                html.contains(&format!("aria-describedby=\"{field}-error\"")),
                "{what} {bad:?}: and marked"
            );
        }

        let report = app
            .post_json(
                "/api/v1/incidents",
                &token,
                &json!({"client": format!("ac{bad}me"), "title": "t", "summary": "s"}),
            )
            .await;
        assert_eq!(report.status(), StatusCode::UNPROCESSABLE_ENTITY, "report's client {bad:?}");
        assert_eq!(crate::support::json(report).await["field"], "client");
    }
    let clients = app.db.run(art33::storage::directory::list_clients).await.unwrap();
    assert_eq!(clients.len(), 1, "nothing was stored");

    // The CLI: a command-line argument cannot hold a NUL, but any other control character.
    let env = [("ART33__DATABASE__URL", app.settings.database.url.expose().as_str())];
    let dir = tempfile::tempdir().unwrap();
    for bad in ["Acme\u{1}BV", "Acme\nBV", "Acme\u{1b}[2J"] {
        for (args, field) in [
            (
                vec!["client", "add", "--slug", "delta", "--name", bad, "--dpo-email", "dpo@delta.example"],
                "name",
            ),
            (
                vec![
                    "client",
                    "add",
                    "--slug",
                    "delta",
                    "--name",
                    "Delta",
                    "--dpo-email",
                    "dpo@delta.example",
                    "--dpo-name",
                    bad,
                ],
                "dpo-name",
            ),
            (vec!["user", "add", "--email", "new@gx.example", "--role", "officer", "--name", bad], "name"),
            (vec!["token", "create", "--email", "officer@gx.example", "--label", bad], "label"),
        ] {
            let output = run(dir.path(), &args, &env);
            let stderr = crate::support::cli::stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
            assert!(stderr.contains(field), "{args:?} names {field}: {stderr}");
        }
    }
    let clients = app.db.run(art33::storage::directory::list_clients).await.unwrap();
    assert_eq!(clients.len(), 1, "nothing was stored by the CLI");
}
