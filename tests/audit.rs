//! The audit chain and the breach register, through the real binary and the API, on both backends.

use art33::domain::tenant::Role;
use diesel::RunQueryDsl;
use serde_json::json;

use crate::on_both_backends;
use crate::support::cli::{run, stderr, stdout};
use crate::support::{Backend, TestApp, json};

on_both_backends!(
    audit_verify_passes_and_then_names_an_altered_event,
    the_register_exports_as_csv_and_json_with_the_chain_head,
    the_register_lists_each_supplement_the_enisa_inputs_and_the_processor_delay,
    fifty_concurrent_events_lose_nothing_and_the_chain_verifies,
    reports_ticks_and_mail_runs_for_one_client_at_once_all_succeed,
    time_never_runs_backwards_along_the_chain,
);

#[derive(diesel::QueryableByName)]
struct EventTime {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    seq: i64,
    #[diesel(sql_type = diesel::sql_types::Timestamp)]
    at: chrono::NaiveDateTime,
}

/// A writer whose clock reads earlier than the event before it (a wall clock stepped back, or a
/// writer that read its clock before another one appended first) takes that event's instant: `at`
/// never decreases along the chain, and the chain still verifies.
async fn time_never_runs_backwards_along_the_chain(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.set_now("2026-10-22T12:00:00Z");
    app.report(&token, "acme", json!({})).await;
    app.set_now("2026-10-22T11:00:00Z");
    let late = app.report(&token, "acme", json!({})).await;
    app.event_ok(&token, late["id"].as_str().unwrap(), json!({"type": "confirm"})).await;
    app.set_now("2026-10-22T12:30:00Z");
    app.report(&token, "acme", json!({})).await;
    let times: Vec<EventTime> = app
        .db
        .run(|conn| {
            Ok::<_, art33::storage::StorageError>(
                diesel::sql_query("SELECT seq, at FROM audit_events WHERE chain <> 'system' ORDER BY seq")
                    .load(conn)?,
            )
        })
        .await
        .unwrap();
    assert!(times.len() >= 4, "{}", times.len());
    for pair in times.windows(2) {
        assert!(
            pair[1].at >= pair[0].at,
            "event {} at {} is before event {} at {}",
            pair[1].seq,
            pair[1].at,
            pair[0].seq,
            pair[0].at
        );
    }
    let stepped_back = times.iter().filter(|e| e.at == "2026-10-22T12:00:00".parse().unwrap()).count();
    assert!(stepped_back >= 2, "the events written at 11:00 carry 12:00: {stepped_back}");
    let verify = art33(&app, &["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
}

fn cli_env(app: &TestApp) -> Vec<(&'static str, String)> {
    vec![("ART33__DATABASE__URL", app.settings.database.url.expose().clone())]
}

fn art33(app: &TestApp, args: &[&str]) -> std::process::Output {
    let env = cli_env(app);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), args, &env)
}

async fn sql(app: &TestApp, statement: &'static str) {
    app.db
        .run(move |conn| {
            diesel::sql_query(statement).execute(conn)?;
            Ok::<_, art33::storage::StorageError>(())
        })
        .await
        .unwrap();
}

async fn audit_verify_passes_and_then_names_an_altered_event(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    // The system chain: the client, the user and the token (1 to 3); acme's chain: the report,
    // the confirmation and the dismissal (1 to 3).
    app.add_client("acme").await;
    let token = app.add_user_with_token("dpo@acme.example", Role::Dpo, Some("acme")).await;
    let id = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&token, &id, json!({"type": "confirm"})).await;
    app.event_ok(&token, &id, json!({"type": "dismiss", "reason": "a false alarm"})).await;

    let ok = art33(&app, &["audit", "verify"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(stdout(&ok).trim(), "ok 6 events");

    // Content altered: the decision's reason rewritten.
    sql(&app, "UPDATE audit_events SET detail = replace(detail, 'a false alarm', 'nothing') WHERE event_type = 'dismiss'")
        .await;
    let broken = art33(&app, &["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stderr(&broken).contains(": event 3: its content"), "{}", stderr(&broken));
    assert_eq!(stderr(&broken).lines().count(), 1);
}

async fn order_or_hash_alterations_are_named(backend: Backend) {
    for (statement, named) in [
        ("UPDATE audit_events SET actor = 'someone@else.example' WHERE event_type = 'report'", ": event 1:"),
        (
            "UPDATE audit_events SET hash = prev_hash WHERE chain = 'system' AND seq = 3",
            "chain system: event 3",
        ),
        ("DELETE FROM audit_events WHERE chain = 'system' AND seq = 2", "chain system: event 3"),
        ("UPDATE audit_events SET at = '2020-01-01 00:00:00' WHERE event_type = 'confirm'", ": event 2:"),
    ] {
        let app = TestApp::spawn(&backend).await;
        app.add_client("acme").await;
        let token = app.add_user_with_token("dpo@acme.example", Role::Dpo, Some("acme")).await;
        let id = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
        app.event_ok(&token, &id, json!({"type": "confirm"})).await;
        assert_eq!(art33(&app, &["audit", "verify"]).status.code(), Some(0));
        sql(&app, statement).await;
        let out = art33(&app, &["audit", "verify"]);
        assert_eq!(out.status.code(), Some(1), "{statement}");
        assert!(stderr(&out).contains(named), "{statement}: {}", stderr(&out));
    }
}

on_both_backends!(order_or_hash_alterations_are_named);

async fn the_register_exports_as_csv_and_json_with_the_chain_head(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    app.add_client("beta").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.set_now("2026-06-15T08:00:00Z");
    let a = app
        .report(
            &officer,
            "acme",
            json!({"consequences": "phishing risk", "measures_taken": "endpoint closed"}),
        )
        .await;
    let id = a["id"].as_str().unwrap().to_string();
    app.event_ok(&officer, &id, json!({"type": "confirm", "controller_aware_at": "2026-06-15T07:00:00Z"}))
        .await;
    app.set_now("2026-06-18T15:00:00Z");
    app.event_ok(&officer, &id, json!({"type": "notify_ap", "ap_reference": "AP-9", "preliminary": false, "delay_reason": "scope found late"})).await;
    app.report(&officer, "beta", json!({"title": "beta's leak"})).await;

    let out = art33(&app, &["export", "register", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    for column in [
        "reference",
        "facts",
        "effects",
        "remedial_action",
        "art33_decision",
        "art34_decision",
        "on_time",
        "late_by_seconds",
        "delay_reason",
        "chain_head_seq",
        "chain_head_hash",
    ] {
        assert!(headers.iter().any(|h| h == column), "CSV lacks {column}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let acme = rows.iter().find(|r| &r[col("client")] == "acme").unwrap();
    assert_eq!(&acme[col("reference")], "ACME-2026-0001");
    assert_eq!(&acme[col("art33_decision")], "notified");
    assert_eq!(&acme[col("on_time")], "false");
    assert_eq!(&acme[col("late_by_seconds")], "28800");
    assert_eq!(&acme[col("effects")], "phishing risk");
    assert_eq!(&acme[col("remedial_action")], "endpoint closed");
    assert_eq!(&acme[col("deadline_at")], "2026-06-18T07:00:00Z");
    assert_eq!(&acme[col("deadline_local")], "do 18 jun 2026 09:00 CEST (UTC+02:00)");

    let out = art33(&app, &["export", "register", "--format", "json", "--client", "beta"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let entries = document["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "only the client asked for");
    assert_eq!(entries[0]["client"], "beta");
    assert_eq!(entries[0]["title"], "beta's leak");
    assert!(document["chain_head"]["seq"].as_i64().unwrap() > 0, "beta's own chain");
    assert_eq!(document["chain_head"]["hash"].as_str().unwrap().len(), 64);

    // Both exports are themselves in the audit trail, and the chain still verifies.
    let verify = art33(&app, &["audit", "verify"]);
    let events = app.db.run(art33::storage::audit_log::count).await.unwrap();
    assert_eq!(stdout(&verify).trim(), format!("ok {events} events"));
    let types: Vec<String> = app
        .db
        .run(|conn| {
            use art33::storage::schema::audit_events::dsl::*;
            use diesel::prelude::*;
            Ok::<_, art33::storage::StorageError>(
                audit_events.select(event_type).order(seq.asc()).load::<String>(conn)?,
            )
        })
        .await
        .unwrap();
    assert_eq!(types.iter().filter(|t| *t == "register.export").count(), 2);

    let unknown = art33(&app, &["export", "register", "--client", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("\"nope\""));
}

/// A phased notification (issue 18, items 8 and 9): a preliminary notification, two supplements
/// with their own instants (the second completes it) and a processor that told its client two days
/// late. The API's incident, the CSV and the JSON export all list both supplements with their
/// dates, references and notes; the exports carry the ENISA inputs, score, band, proposals, the
/// override and the processor's delay. The existing columns keep their names.
async fn the_register_lists_each_supplement_the_enisa_inputs_and_the_processor_delay(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.set_now("2026-06-15T08:00:00Z");
    let a = app.report(&officer, "acme", json!({"title": "Export mailed to the wrong address"})).await;
    let id = a["id"].as_str().unwrap().to_string();
    app.event_ok(
        &officer,
        &id,
        json!({"type": "confirm", "processor_aware_at": "2026-06-13T06:30:00Z", "controller_aware_at": "2026-06-15T07:00:00Z"}),
    )
    .await;
    // 2 × 0.75 + 0.50 = 2.00: medium; notify the AP, do not inform the subjects.
    app.event_ok(&officer, &id, json!({"type": "assess", "dpc": 2, "ease_of_identification": "significant", "confidentiality": 2, "integrity": 0, "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false, "rationale": "one outsider saw names"})).await;
    app.set_now("2026-06-16T10:00:00Z");
    app.event_ok(&officer, &id, json!({"type": "notify_ap", "ap_reference": "AP-9", "preliminary": true}))
        .await;
    app.set_now("2026-06-22T09:00:00Z");
    // Recorded two days after it was filed.
    app.event_ok(&officer, &id, json!({"type": "supplement", "at": "2026-06-20T10:00:00Z", "note": "scope established", "ap_reference": "AP-9-1"})).await;
    // Before the notification, or in the future: 422 naming `at`.
    for at in ["2026-06-16T09:59:59Z", "2026-06-22T09:00:01Z"] {
        let refused = app.event(&officer, &id, json!({"type": "supplement", "at": at, "note": "x"})).await;
        assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{at}");
        assert_eq!(json(refused).await["field"], "at", "{at}");
    }
    app.set_now("2026-06-25T16:00:00Z");
    let incident = app
        .event_ok(&officer, &id, json!({"type": "supplement", "note": "final figures", "complete": true}))
        .await;
    assert_eq!(
        incident["supplements"],
        json!([
            {"at": "2026-06-20T10:00:00Z", "note": "scope established", "ap_reference": "AP-9-1", "complete": false},
            {"at": "2026-06-25T16:00:00Z", "note": "final figures", "ap_reference": null, "complete": true},
        ])
    );

    let out = art33(&app, &["export", "register", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let col =
        |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("CSV lacks {name}"));
    let row = &rows[0];
    assert_eq!(&row[col("supplements")], "2", "the count column keeps its name and meaning");
    assert_eq!(
        &row[col("supplement_history")],
        "2026-06-20T10:00:00Z | AP-9-1 | scope established;2026-06-25T16:00:00Z |  | final figures | complete"
    );
    assert_eq!(&row[col("preliminary_completed_at")], "2026-06-25T16:00:00Z");
    assert_eq!(&row[col("processor_delay_hours")], "48.5");
    assert_eq!(&row[col("client")], "acme");
    assert_eq!(&row[col("client_name")], "acme BV");
    for (column, value) in [
        ("dpc", "2"),
        ("ease_of_identification", "significant"),
        ("confidentiality", "2"),
        ("integrity", "0"),
        ("availability", "0"),
        ("malicious", "false"),
        ("unintelligible", "false"),
        ("vulnerable_subjects", "false"),
        ("severity_quarters", "8"),
        ("severity_band", "medium"),
        ("proposed_ap", "true"),
        ("proposed_subjects", "false"),
        ("ap_decision_overrides_proposal", "false"),
        ("art33_decision", "notified"),
        ("preliminary", "true"),
    ] {
        assert_eq!(&row[col(column)], value, "{column}");
    }

    let out = art33(&app, &["export", "register", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = &document["entries"][0];
    assert_eq!(entry["supplements"], 2);
    assert_eq!(
        entry["supplement_history"],
        json!([
            {"at": "2026-06-20T10:00:00Z", "ap_reference": "AP-9-1", "note": "scope established", "complete": false},
            {"at": "2026-06-25T16:00:00Z", "ap_reference": null, "note": "final figures", "complete": true},
        ])
    );
    assert_eq!(entry["processor_delay_hours"], json!(48.5));
    assert_eq!(entry["dpc"], 2);
    assert_eq!(entry["ease_of_identification"], "significant");
    assert_eq!(
        (entry["severity_quarters"].clone(), entry["severity_band"].clone()),
        (json!(8), json!("medium"))
    );
    assert_eq!(
        (entry["proposed_ap"].clone(), entry["proposed_subjects"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(entry["client_name"], "acme BV");

    // Withdrawn later, at its own instant: the register keeps the instant and the reason.
    app.set_now("2026-07-01T12:00:00Z");
    app.event_ok(
        &officer,
        &id,
        json!({"type": "withdraw", "at": "2026-06-30T09:00:00Z", "reason": "test data only"}),
    )
    .await;
    let out = art33(&app, &["export", "register", "--format", "json"]);
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = &document["entries"][0];
    assert_eq!(entry["withdrawn_at"], "2026-06-30T09:00:00Z");
    assert_eq!(entry["withdraw_reason"], "test data only");
    assert_eq!(entry["art33_decision"], "withdrawn");
}

async fn fifty_concurrent_events_lose_nothing_and_the_chain_verifies(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("dpo@acme.example", Role::Dpo, Some("acme")).await;
    let id = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    let requests = (0..50).map(|n| {
        let request = app
            .http
            .post(app.url(&format!("/api/v1/incidents/{id}/events")))
            .bearer_auth(&token)
            .json(&json!({
                "type": "assess", "dpc": 1 + n % 4, "ease_of_identification": "limited", "confidentiality": n % 3,
                "integrity": 0, "availability": 0, "malicious": false, "unintelligible": false,
                "vulnerable_subjects": false, "rationale": format!("assessment {n}")
            }));
        async move { request.send().await.unwrap().status() }
    });
    let statuses = futures::future::join_all(requests).await;
    assert!(statuses.iter().all(|s| s.is_success()), "{statuses:?}");
    let incident = json(app.get(&format!("/api/v1/incidents/{id}"), &token).await).await;
    assert_eq!(incident["version"], 51, "every event counted once");
    let timeline = json(app.get(&format!("/api/v1/incidents/{id}/timeline?limit=500"), &token).await).await;
    assert_eq!(timeline["items"].as_array().unwrap().len(), 51);
    let verify = art33(&app, &["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
}

/// Reports lock their client's row, ticks and mail runs append audit events that reference the
/// client: on PostgreSQL a lock that also blocked foreign-key checks deadlocked the two.
async fn reports_ticks_and_mail_runs_for_one_client_at_once_all_succeed(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let reports = (0..120).map(|n| {
        let request = app.http.post(app.url("/api/v1/incidents")).bearer_auth(&token).json(&json!({
            "client": "acme", "title": format!("Report {n}"), "summary": "A laptop was left on a train.",
            "discovered_at": "2026-10-22T08:00:00Z", "incident_kind": "lost_device", "nature": ["unknown"],
            "data_categories": ["name_address"], "subject_groups": ["customers"]
        }));
        async move { request.send().await.unwrap().status() }
    });
    let background = async {
        for _ in 0..60 {
            let (tick, drain) = futures::future::join(app.tick(), app.drain()).await;
            let _ = (tick, drain);
        }
    };
    let (statuses, ()) = futures::future::join(futures::future::join_all(reports), background).await;
    assert!(statuses.iter().all(|s| s.as_u16() == 201), "{statuses:?}");
    while app.tick().await != Default::default() {}
    let page = json(app.get("/api/v1/incidents?limit=500", &token).await).await;
    let references: std::collections::BTreeSet<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["reference"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(references.len(), 120, "one reference each, none twice");
    let verify = art33(&app, &["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
}
