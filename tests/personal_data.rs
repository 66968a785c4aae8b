//! The personal-data policy on every path that writes free text: the API's report, edit and every
//! event, and the pages' report, edit and event forms. Free text that looks like personal data is
//! refused naming the field and the kind of data (never the data), nothing is stored, and it goes
//! through when the caller says it is needed.

use art33::domain::tenant::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{Backend, TestApp, csrf_of, json};

on_both_backends!(
    every_event_with_free_text_refuses_personal_data_unless_allowed,
    the_api_refuses_personal_data_in_a_report_and_an_edit,
    the_pages_refuse_personal_data_in_an_edit_and_an_event,
    a_count_passing_the_eleven_test_is_refused_naming_the_bsn_kind,
);

const PASSWORD: &str = "correct horse battery staple";
/// An e-mail address, a BSN passing the 11-test, an IBAN passing mod-97.
const EMAIL: &str = "Sent to jan.jansen@example.nl by mistake";
const BSN: &str = "The file held BSN 111222333 of one person";

/// Sends `body` with `field` set to personal data (422 naming the field, state unchanged), then
/// with clean text (accepted); returns the incident after.
async fn refused_then_accepted(app: &TestApp, token: &str, id: &str, body: Value, field: &str) -> Value {
    let before = json(app.get(&format!("/api/v1/incidents/{id}"), token).await).await;
    let mut dirty = body.clone();
    dirty[field] = json!(EMAIL);
    let refused = app.event(token, id, dirty.clone()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{dirty}");
    let error = json(refused).await;
    assert_eq!(error["error"], "personal_data_detected", "{dirty}: {error}");
    assert_eq!(error["field"], field, "{dirty}: {error}");
    assert!(!error["message"].as_str().unwrap().contains("jan.jansen"), "never the data itself");
    let after = json(app.get(&format!("/api/v1/incidents/{id}"), token).await).await;
    assert_eq!(after["state"], before["state"], "nothing changed: {dirty}");
    let mut clean = body;
    clean[field] = json!("Explained without naming anyone");
    app.event_ok(token, id, clean).await
}

async fn every_event_with_free_text_refuses_personal_data_unless_allowed(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let id = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    let assess = json!({"type": "assess", "dpc": 1, "ease_of_identification": "limited", "confidentiality": 1,
        "integrity": 0, "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false});
    let steps = [
        (json!({"type": "confirm"}), "justification"),
        (assess, "rationale"),
        (json!({"type": "subjects_not_required", "ground": "no_high_risk"}), "explanation"),
        (
            json!({"type": "correct_awareness", "processor_aware_at": "2026-10-22T09:00:00Z", "controller_aware_at": "2026-10-22T09:00:00Z"}),
            "justification",
        ),
        (json!({"type": "decide_not_notifiable"}), "justification"),
        (json!({"type": "reopen"}), "reason"),
        (json!({"type": "notify_ap", "ap_reference": "AP-1", "preliminary": true}), "delay_reason"),
        (json!({"type": "supplement"}), "note"),
        (json!({"type": "withdraw"}), "reason"),
    ];
    for (body, field) in steps {
        refused_then_accepted(&app, &token, &id, body, field).await;
    }
    // Closing asks for a complete register entry: the personal data is refused before that.
    let close = app.event(&token, &id, json!({"type": "close", "summary": BSN})).await;
    assert_eq!(close.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = json(close).await;
    assert_eq!(
        (error["error"].as_str(), error["field"].as_str()),
        (Some("personal_data_detected"), Some("summary"))
    );
    assert!(error["message"].as_str().unwrap().contains("BSN"), "names the kind: {error}");

    let other = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    refused_then_accepted(&app, &token, &other, json!({"type": "dismiss"}), "reason").await;
    // Sent on purpose: accepted and kept.
    let third = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    let dismissed = app
        .event_ok(&token, &third, json!({"type": "dismiss", "reason": EMAIL, "allow_personal_data": true}))
        .await;
    assert_eq!(dismissed["state"], "dismissed");
}

async fn the_api_refuses_personal_data_in_a_report_and_an_edit(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let refused = app
        .post_json(
            "/api/v1/incidents",
            &token,
            &json!({"client": "acme", "title": "Lost file", "summary": BSN}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = json(refused).await;
    assert_eq!(
        (error["error"].as_str(), error["field"].as_str()),
        (Some("personal_data_detected"), Some("summary"))
    );
    let listed = json(app.get("/api/v1/incidents", &token).await).await;
    assert_eq!(listed["items"], json!([]), "nothing stored");

    let id = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/incidents/{id}");
    let edit = app.patch_json(&path, &token, &json!({"consequences": EMAIL})).await;
    assert_eq!(edit.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(edit).await["field"], "consequences");
    assert_eq!(json(app.get(&path, &token).await).await["consequences"], Value::Null, "nothing stored");
    let allowed =
        app.patch_json(&path, &token, &json!({"consequences": EMAIL, "allow_personal_data": true})).await;
    assert_eq!(allowed.status(), StatusCode::OK);
    // Personal data already stored on purpose does not block an edit of another field.
    let other = app.patch_json(&path, &token, &json!({"measures_taken": "Recalled the mail"})).await;
    assert_eq!(other.status(), StatusCode::OK);
}

async fn the_pages_refuse_personal_data_in_an_edit_and_an_event(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    app.add_user_with_password("officer@gx.example", Role::Officer, None, PASSWORD).await;
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let incident =
        app.report(&token, "acme", json!({"title": "Lost file", "summary": "A file went missing"})).await;
    let id = incident["id"].as_str().unwrap().to_string();
    let browser = app.login("officer@gx.example", PASSWORD).await;
    let page =
        browser.get(app.url(&format!("/incidents/{id}?lang=en"))).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);

    let edit = |summary: &'static str, allow: bool| {
        let mut form =
            vec![("csrf", csrf.clone()), ("title", "Lost file".into()), ("summary", summary.into())];
        if allow {
            form.push(("allow_personal_data", "on".into()));
        }
        browser.post(app.url(&format!("/incidents/{id}/edit"))).form(&form).send()
    };
    let refused = edit(BSN, false).await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains("citizen service number (BSN)"), "names the kind of data");
    let stored = json(app.get(&format!("/api/v1/incidents/{id}"), &token).await).await;
    assert_eq!(stored["summary"], "A file went missing", "nothing stored");
    assert_eq!(edit(BSN, true).await.unwrap().status(), StatusCode::SEE_OTHER, "sent on purpose");

    let dismiss = |reason: &'static str, allow: bool| {
        let mut form = vec![("csrf", csrf.clone()), ("type", "dismiss".into()), ("reason", reason.into())];
        if allow {
            form.push(("allow_personal_data", "on".into()));
        }
        browser.post(app.url(&format!("/incidents/{id}/events"))).form(&form).send()
    };
    let refused = dismiss(EMAIL, false).await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains("e-mail address"), "names the kind of data");
    assert!(body.contains("name=\"allow_personal_data\""), "the form offers to send it on purpose");
    let stored = json(app.get(&format!("/api/v1/incidents/{id}"), &token).await).await;
    assert_eq!(stored["state"], "reported", "nothing changed");
    assert_eq!(dismiss(EMAIL, true).await.unwrap().status(), StatusCode::SEE_OTHER);
    let stored = json(app.get(&format!("/api/v1/incidents/{id}"), &token).await).await;
    assert_eq!(stored["state"], "dismissed");
}

/// "Affected: 111222333 rows": any 9-digit number passing the 11-test is taken for a BSN (the safe
/// side); the API's error body and the page's warning say which kind was matched, so the reporter
/// can judge and send it on purpose.
async fn a_count_passing_the_eleven_test_is_refused_naming_the_bsn_kind(backend: Backend) {
    const COUNT: &str = "Affected: 111222333 rows";
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    app.add_user_with_password("officer@gx.example", Role::Officer, None, PASSWORD).await;
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let refused = app
        .post_json(
            "/api/v1/incidents",
            &token,
            &json!({"client": "acme", "title": "Lost file", "summary": COUNT}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = json(refused).await;
    assert_eq!(
        (error["error"].as_str(), error["field"].as_str()),
        (Some("personal_data_detected"), Some("summary"))
    );
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("citizen service number (BSN) (bsn)"), "names the kind: {message}");
    assert!(!message.contains("111222333"), "never the data itself: {message}");

    let incident =
        app.report(&token, "acme", json!({"title": "Lost file", "summary": "A file went missing"})).await;
    let id = incident["id"].as_str().unwrap().to_string();
    let browser = app.login("officer@gx.example", PASSWORD).await;
    let page =
        browser.get(app.url(&format!("/incidents/{id}?lang=en"))).send().await.unwrap().text().await.unwrap();
    let form = vec![("csrf", csrf_of(&page)), ("title", "Lost file".into()), ("summary", COUNT.into())];
    let refused = browser.post(app.url(&format!("/incidents/{id}/edit"))).form(&form).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains("citizen service number (BSN)"), "the warning names the kind of data");
    assert!(body.contains("name=\"allow_personal_data\""), "the form offers to send it on purpose");
}

on_both_backends!(retention_purges_every_free_text_field_wherever_it_was_written);

/// Every path that writes free text (the facts, every event's text), then the retention purge:
/// afterwards no trace of any of it is left in the incident, its timeline, its alerts, the
/// register or the mails queued about it.
async fn retention_purges_every_free_text_field_wherever_it_was_written(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let mark = |name: &str| format!("ZQX-{name}");
    let facts: serde_json::Map<String, Value> =
        art33::domain::fields::free_text().map(|field| (field.to_string(), json!(mark(field)))).collect();
    let id = app.report(&token, "acme", Value::Object(facts)).await["id"].as_str().unwrap().to_string();
    let assess = json!({"type": "assess", "dpc": 1, "ease_of_identification": "limited", "confidentiality": 1,
        "integrity": 0, "availability": 0, "malicious": false, "unintelligible": false,
        "vulnerable_subjects": false, "rationale": mark("rationale")});
    for event in [
        json!({"type": "confirm", "controller_aware_at": "2026-10-18T10:00:00Z", "justification": mark("confirm")}),
        assess,
        json!({"type": "notify_ap", "ap_reference": "AP-1", "preliminary": true, "delay_reason": mark("delay")}),
        json!({"type": "supplement", "note": mark("note")}),
        json!({"type": "subjects_not_required", "ground": "no_high_risk", "explanation": mark("explanation")}),
        json!({"type": "correct_awareness", "processor_aware_at": "2026-10-18T09:00:00Z",
            "controller_aware_at": "2026-10-18T09:00:00Z", "justification": mark("correct"),
            "delay_reason": mark("delay-again")}),
        json!({"type": "withdraw", "reason": mark("withdraw")}),
        json!({"type": "reopen", "reason": mark("reopen")}),
        json!({"type": "decide_not_notifiable", "justification": mark("not-notifiable")}),
        json!({"type": "close", "summary": mark("close")}),
    ] {
        app.event_ok(&token, &id, event).await;
    }
    let dismissed = app.report(&token, "acme", json!({"title": mark("dismissed-title")})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.event_ok(&token, &dismissed, json!({"type": "dismiss", "reason": mark("dismiss")})).await;
    app.event_ok(&token, &dismissed, json!({"type": "close", "summary": mark("close-dismissed")})).await;
    app.tick().await;
    app.drain().await;

    app.clock.advance(chrono::Duration::days(365 * 5 + 5));
    let now = app.now();
    let purged = app.db.run(move |c| art33::storage::retention::purge(c, now, 5)).await.unwrap();
    assert_eq!(purged, 2);

    for incident in [&id, &dismissed] {
        for path in ["", "/timeline", "/alerts", "/ap-report", "/ap-report.txt"] {
            let body =
                app.get(&format!("/api/v1/incidents/{incident}{path}"), &token).await.text().await.unwrap();
            assert!(!body.contains("ZQX-"), "{path} still holds free text: {body}");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let url = app.settings.database.url.expose().clone();
    let export = crate::support::cli::run(
        dir.path(),
        &["export", "register", "--format", "json"],
        &[("ART33__DATABASE__URL", url.as_str())],
    );
    assert!(export.status.success());
    let register = String::from_utf8_lossy(&export.stdout);
    assert!(register.contains(&id) || register.contains("ACME-"), "the register lists them");
    assert!(!register.contains("ZQX-"), "the register still holds free text");
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let left: Count = app
        .db
        .run(|conn| {
            use diesel::RunQueryDsl;
            Ok::<_, art33::storage::StorageError>(
                diesel::sql_query(
                    "SELECT COUNT(*) AS n FROM outbox WHERE body_text LIKE '%ZQX-%' OR subject LIKE '%ZQX-%' \
                     OR body_html LIKE '%ZQX-%'",
                )
                .get_result(conn)?,
            )
        })
        .await
        .unwrap();
    assert_eq!(left.n, 0, "mails about the incidents still hold their free text");
}
