//! The incident lifecycle over the JSON API, on both backends: every answer as `docs/API.md` says.

use art33::domain::tenant::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{Backend, TestApp, json};

on_both_backends!(
    a_token_reports_confirms_assesses_notifies_and_closes,
    a_late_notification_needs_reasons_for_delay,
    forbidden_transitions_are_409_naming_state_and_event,
    validation_errors_are_422_naming_the_field,
    malformed_and_oversized_bodies_are_400_and_413,
    roles_and_tenants_are_enforced,
    idempotency_keys_replay_the_first_answer,
    the_list_filters_and_puts_running_clocks_first,
    patches_edit_facts_and_are_recorded,
    the_openapi_document_describes_the_api,
);

/// Every key of the contract's `Incident`.
const INCIDENT_FIELDS: [&str; 48] = [
    "id",
    "reference",
    "state",
    "client",
    "title",
    "summary",
    "discovered_at",
    "discovery_method",
    "occurred_from",
    "occurred_until",
    "ongoing",
    "incident_kind",
    "nature",
    "data_categories",
    "special_categories",
    "records_approx",
    "subject_groups",
    "subjects_min",
    "subjects_max",
    "encryption",
    "consequences",
    "measures_taken",
    "measures_planned",
    "cross_border_states",
    "other_organisations",
    "reported_at",
    "reported_by",
    "processor_aware_at",
    "controller_aware_at",
    "deadline_at",
    "conservative_deadline_at",
    "remaining_seconds",
    "overdue",
    "clock",
    "acknowledged_at",
    "severity",
    "ap_notified_at",
    "ap_reference",
    "preliminary",
    "on_time",
    "delay_reason",
    "subjects",
    "withdrawn_at",
    "closed_at",
    "dismiss_reason",
    "not_notifiable_justification",
    "withdraw_reason",
    "close_summary",
];

async fn setup(backend: &Backend) -> (TestApp, String) {
    let app = TestApp::spawn(backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("dpo@acme.example", Role::Dpo, Some("acme")).await;
    (app, token)
}

async fn a_token_reports_confirms_assesses_notifies_and_closes(backend: Backend) {
    let (app, token) = setup(&backend).await;
    app.set_now("2026-10-22T12:00:00Z");
    let created = app
        .http
        .post(app.url("/api/v1/incidents"))
        .bearer_auth(&token)
        .json(&json!({
            "client": "acme", "title": "Member administration on a leak site",
            "summary": "Ransomware; the export appears on a leak site.",
            "discovered_at": "2026-10-22T11:40:00Z", "incident_kind": "hacking_malware",
            "nature": ["read", "copied", "deleted"], "data_categories": ["name_address", "financial", "demographic"],
            "subject_groups": ["members", "minors"], "subjects_min": 48000, "subjects_max": 48000,
            "encryption": "none", "cross_border_states": ["be"]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let incident = json(created).await;
    for field in INCIDENT_FIELDS {
        assert!(incident.get(field).is_some(), "Incident lacks {field}: {incident}");
    }
    let id = incident["id"].as_str().unwrap().to_string();
    assert_eq!(location, format!("/api/v1/incidents/{id}"));
    assert_eq!(incident["reference"], "ACME-2026-0001");
    assert_eq!(incident["state"], "reported");
    assert_eq!(incident["clock"], "not_started");
    assert_eq!(incident["remaining_seconds"], Value::Null);
    assert_eq!(incident["reported_by"], "dpo@acme.example");
    assert_eq!(incident["reported_at"], "2026-10-22T12:00:00Z");
    assert_eq!(incident["cross_border_states"], json!(["BE"]));
    assert_eq!(incident["subjects"], json!({"decision": "undecided"}));
    assert_eq!(incident["severity"], Value::Null);

    app.set_now("2026-10-22T13:00:00Z");
    let confirmed = app
        .event_ok(&token, &id, json!({"type": "confirm", "processor_aware_at": "2026-10-22T11:40:00Z", "controller_aware_at": "2026-10-22T12:30:00Z"}))
        .await;
    assert_eq!(confirmed["state"], "confirmed");
    assert_eq!(confirmed["deadline_at"], "2026-10-25T12:30:00Z");
    assert_eq!(confirmed["conservative_deadline_at"], "2026-10-25T11:40:00Z");
    assert_eq!(confirmed["clock"], "running");
    assert_eq!(confirmed["remaining_seconds"], json!(71 * 3600 + 1800));
    assert_eq!(confirmed["overdue"], false);

    let assessed = app
        .event_ok(&token, &id, json!({
            "type": "assess", "dpc": 4, "ease_of_identification": "maximum", "confidentiality": 2, "integrity": 0,
            "availability": 1, "malicious": true, "unintelligible": false, "vulnerable_subjects": true,
            "rationale": "Financial data of minors, published."
        }))
        .await;
    assert_eq!(
        assessed["severity"],
        json!({"score_quarters": 21, "band": "very_high", "proposed_ap": true, "proposed_subjects": true, "overrides": []})
    );

    let acknowledged = app.event_ok(&token, &id, json!({"type": "acknowledge"})).await;
    assert_eq!(acknowledged["acknowledged_at"], "2026-10-22T13:00:00Z");

    app.set_now("2026-10-23T09:00:00Z");
    let notified = app
        .event_ok(
            &token,
            &id,
            json!({"type": "notify_ap", "ap_reference": "AP-2026-12345", "preliminary": true}),
        )
        .await;
    assert_eq!(notified["state"], "ap_notified");
    assert_eq!(notified["ap_notified_at"], "2026-10-23T09:00:00Z");
    assert_eq!(notified["on_time"], true);
    assert_eq!(notified["preliminary"], true);
    assert_eq!(notified["clock"], "stopped");
    assert_eq!(notified["remaining_seconds"], Value::Null);

    // Closing needs effects, remedial action and (high risk) a subjects decision.
    let refused = app.event(&token, &id, json!({"type": "close", "summary": "done"})).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(refused).await["field"], "consequences");
    let patched = app
        .patch_json(&format!("/api/v1/incidents/{id}"), &token, &json!({"consequences": "Phishing and IBAN fraud risk", "measures_taken": "Systems rebuilt; members warned"}))
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let refused = app.event(&token, &id, json!({"type": "close", "summary": "done"})).await;
    assert_eq!(json(refused).await["field"], "subjects");
    app.event_ok(&token, &id, json!({"type": "inform_subjects", "channel": "letter", "count": 48000})).await;
    app.event_ok(&token, &id, json!({"type": "supplement", "note": "Final scope established"})).await;
    let closed =
        app.event_ok(&token, &id, json!({"type": "close", "summary": "Register entry complete"})).await;
    assert_eq!(closed["state"], "closed");
    assert_eq!(closed["closed_at"], "2026-10-23T09:00:00Z");
    assert_eq!(closed["subjects"]["decision"], "informed");
    assert_eq!(closed["subjects"]["count"], 48000);

    let fetched = json(app.get(&format!("/api/v1/incidents/{id}"), &token).await).await;
    assert_eq!(fetched["state"], "closed");
    assert_eq!(fetched["deadline_at"], "2026-10-25T12:30:00Z");

    let timeline = json(app.get(&format!("/api/v1/incidents/{id}/timeline"), &token).await).await;
    let types: Vec<&str> =
        timeline["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "report",
            "confirm",
            "assess",
            "acknowledge",
            "notify_ap",
            "patch",
            "inform_subjects",
            "supplement",
            "close"
        ]
    );
    let first = &timeline["items"][0];
    for key in ["seq", "at", "actor", "type", "detail"] {
        assert!(first.get(key).is_some(), "timeline item lacks {key}");
    }
    assert_eq!(first["actor"], "dpo@acme.example");
    let seqs: Vec<i64> =
        timeline["items"].as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "oldest first: {seqs:?}");
}

async fn a_late_notification_needs_reasons_for_delay(backend: Backend) {
    let (app, token) = setup(&backend).await;
    // S13: client informed Mon 2026-06-15 07:00Z; the DPO submits Thu 2026-06-18 15:00Z, 8 h late.
    app.set_now("2026-06-15T08:00:00Z");
    let id = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&token, &id, json!({"type": "confirm", "processor_aware_at": "2026-06-15T06:20:00Z", "controller_aware_at": "2026-06-15T07:00:00Z"})).await;
    app.set_now("2026-06-18T15:00:00Z");
    let overdue = json(app.get(&format!("/api/v1/incidents/{id}"), &token).await).await;
    assert_eq!(overdue["overdue"], true);
    assert_eq!(overdue["remaining_seconds"], -8 * 3600);

    let refused = app
        .event(&token, &id, json!({"type": "notify_ap", "ap_reference": "AP-1", "preliminary": false}))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(refused).await;
    assert_eq!(body["error"], "invalid");
    assert_eq!(body["field"], "delay_reason");

    let late = app
        .event_ok(
            &token,
            &id,
            json!({"type": "notify_ap", "ap_reference": "AP-1", "preliminary": false,
            "delay_reason": "De omvang van het lek werd pas op 18-06-2026 vastgesteld."}),
        )
        .await;
    assert_eq!(late["on_time"], false);
    assert_eq!(late["delay_reason"], "De omvang van het lek werd pas op 18-06-2026 vastgesteld.");
}

async fn forbidden_transitions_are_409_naming_state_and_event(backend: Backend) {
    let (app, token) = setup(&backend).await;
    let id = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    let response = app.event(&token, &id, json!({"type": "notify_ap"})).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body = json(response).await;
    assert_eq!(body["error"], "invalid_transition");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("notify_ap") && message.contains("reported"), "{message}");

    app.event_ok(&token, &id, json!({"type": "dismiss", "reason": "Test data only"})).await;
    let response = app.event(&token, &id, json!({"type": "confirm"})).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let message = json(response).await["message"].as_str().unwrap().to_string();
    assert!(message.contains("confirm") && message.contains("dismissed"), "{message}");
    let reopened = app.event_ok(&token, &id, json!({"type": "reopen", "reason": "New facts"})).await;
    assert_eq!(reopened["state"], "reported", "never confirmed: back to triage");
}

async fn validation_errors_are_422_naming_the_field(backend: Backend) {
    let (app, token) = setup(&backend).await;
    let cases = [
        (json!({"title": "t", "summary": "s"}), "client"),
        (json!({"client": "acme", "summary": "s"}), "title"),
        (json!({"client": "acme", "title": "t", "summary": "s", "nature": ["teleported"]}), "nature"),
        (
            json!({"client": "acme", "title": "t", "summary": "s", "subjects_min": 9, "subjects_max": 3}),
            "subjects_max",
        ),
        (
            json!({"client": "acme", "title": "t", "summary": "s", "discovered_at": "2099-01-01T00:00:00Z"}),
            "discovered_at",
        ),
        (
            json!({"client": "acme", "title": "t", "summary": "s", "discovered_at": "yesterday"}),
            "discovered_at",
        ),
        (json!({"client": "nope", "title": "t", "summary": "s"}), "client"),
        (json!({"client": "acme", "title": "t", "summary": "s", "colour": "red"}), "colour"),
    ];
    for (body, field) in cases {
        let response = app.post_json("/api/v1/incidents", &token, &body).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let error = json(response).await;
        assert_eq!(error["error"], "invalid", "{body}");
        assert_eq!(error["field"], field, "{body}: {error}");
        assert!(error["message"].as_str().unwrap().starts_with(field), "{error}");
    }
    let id = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    for (body, field) in [
        (json!({"type": "dismiss"}), "reason"),
        (json!({"type": "fly"}), "type"),
        (json!({"reason": "x"}), "type"),
        (json!({"type": "assess", "dpc": 5}), "dpc"),
        (
            json!({"type": "confirm", "processor_aware_at": "2026-10-22T09:00:00Z", "controller_aware_at": "2026-10-22T08:00:00Z"}),
            "controller_aware_at",
        ),
        (json!({"type": "confirm", "when": "now"}), "when"),
    ] {
        let response = app.event(&token, &id, body.clone()).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(json(response).await["field"], field, "{body}");
    }
}

async fn malformed_and_oversized_bodies_are_400_and_413(backend: Backend) {
    let (app, token) = setup(&backend).await;
    let malformed = app
        .http
        .post(app.url("/api/v1/incidents"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"client\": \"acme\", \"title\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(malformed).await["error"], "bad_request");

    let not_an_object = app.post_json("/api/v1/incidents", &token, &json!(["client", "acme"])).await;
    assert_eq!(not_an_object.status(), StatusCode::BAD_REQUEST);

    let huge = json!({"client": "acme", "title": "t", "summary": "x".repeat(2 * 1024 * 1024)});
    let too_large = app.post_json("/api/v1/incidents", &token, &huge).await;
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json(too_large).await["error"], "too_large");

    let wrong_type = app
        .http
        .post(app.url("/api/v1/incidents"))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(wrong_type.status().is_client_error());
    assert!(json(wrong_type).await["error"].is_string());
}

async fn roles_and_tenants_are_enforced(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    app.add_client("beta").await;
    let dpo_a = app.add_user_with_token("dpo@acme.example", Role::Dpo, Some("acme")).await;
    let dpo_b = app.add_user_with_token("dpo@beta.example", Role::Dpo, Some("beta")).await;
    let staff = app.add_user_with_token("staff@gx.example", Role::Reporter, None).await;
    let colleague = app.add_user_with_token("colleague@gx.example", Role::Reporter, None).await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;

    let id = app.report(&staff, "beta", json!({})).await["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/incidents/{id}");

    // Another client's DPO cannot learn whether it exists.
    let unknown = format!("/api/v1/incidents/{}", uuid::Uuid::new_v4());
    for target in [&path, &unknown] {
        let got = app.get(target, &dpo_a).await;
        assert_eq!(got.status(), StatusCode::NOT_FOUND);
        let body_a = json(got).await;
        assert_eq!(body_a["error"], "not_found");
        assert_eq!(app.get(&format!("{target}/timeline"), &dpo_a).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            app.patch_json(target, &dpo_a, &json!({"title": "x"})).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.post_json(&format!("{target}/events"), &dpo_a, &json!({"type": "confirm"})).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(json(app.get("/api/v1/incidents", &dpo_a).await).await["items"], json!([]));
    // ... nor report for it.
    let other = app
        .post_json("/api/v1/incidents", &dpo_a, &json!({"client": "beta", "title": "t", "summary": "s"}))
        .await;
    assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The reporter sees its own report, may add to it while reported, but decides nothing.
    assert_eq!(app.get(&path, &staff).await.status(), StatusCode::OK);
    assert_eq!(app.get(&path, &colleague).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.patch_json(&path, &staff, &json!({"records_approx": 10})).await.status(), StatusCode::OK);
    let decide = app.event(&staff, &id, json!({"type": "confirm"})).await;
    assert_eq!(decide.status(), StatusCode::FORBIDDEN);
    assert_eq!(json(decide).await["error"], "forbidden");

    // The client's DPO and officers decide.
    app.event_ok(&dpo_b, &id, json!({"type": "confirm"})).await;
    assert_eq!(
        app.patch_json(&path, &staff, &json!({"records_approx": 11})).await.status(),
        StatusCode::FORBIDDEN
    );
    app.event_ok(&officer, &id, json!({"type": "acknowledge"})).await;
    assert_eq!(
        json(app.get("/api/v1/incidents", &officer).await).await["items"].as_array().unwrap().len(),
        1
    );
}

async fn idempotency_keys_replay_the_first_answer(backend: Backend) {
    let (app, token) = setup(&backend).await;
    let body = json!({"client": "acme", "title": "Mail to wrong recipient", "summary": "CSV sent to the accountant"});
    let send = |b: Value, key: &'static str| {
        let request = app
            .http
            .post(app.url("/api/v1/incidents"))
            .bearer_auth(&token)
            .header("Idempotency-Key", key)
            .json(&b);
        async move { request.send().await.unwrap() }
    };
    let first = send(body.clone(), "k-1").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = json(first).await;
    let again = send(body.clone(), "k-1").await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(json(again).await["id"], first["id"]);
    let list = json(app.get("/api/v1/incidents", &token).await).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "the retry created nothing");

    let different = send(json!({"client": "acme", "title": "Other", "summary": "s"}), "k-1").await;
    assert_eq!(different.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(different).await["field"], "Idempotency-Key");
    let second = json(send(body, "k-2").await).await;
    assert_eq!(second["reference"], "ACME-2026-0002");
}

async fn the_list_filters_and_puts_running_clocks_first(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    app.add_client("beta").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.set_now("2026-10-20T08:00:00Z");
    let triage = app.report(&officer, "acme", json!({"title": "untriaged"})).await;
    let later = app.report(&officer, "beta", json!({"title": "later deadline"})).await;
    let sooner = app.report(&officer, "acme", json!({"title": "sooner deadline"})).await;
    app.set_now("2026-10-20T10:00:00Z");
    app.event_ok(&officer, later["id"].as_str().unwrap(), json!({"type": "confirm"})).await;
    app.event_ok(
        &officer,
        sooner["id"].as_str().unwrap(),
        json!({"type": "confirm", "controller_aware_at": "2026-10-20T09:00:00Z"}),
    )
    .await;

    let items = json(app.get("/api/v1/incidents", &officer).await).await["items"].as_array().unwrap().clone();
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["sooner deadline", "later deadline", "untriaged"]);

    let confirmed = json(app.get("/api/v1/incidents?state=confirmed&client=acme", &officer).await).await;
    assert_eq!(confirmed["items"].as_array().unwrap().len(), 1);
    assert_eq!(confirmed["items"][0]["id"], sooner["id"]);
    assert_eq!(
        json(app.get("/api/v1/incidents?state=reported", &officer).await).await["items"][0]["id"],
        triage["id"]
    );

    assert_eq!(json(app.get("/api/v1/incidents?overdue=true", &officer).await).await["items"], json!([]));
    app.set_now("2026-10-23T09:30:00Z");
    let overdue = json(app.get("/api/v1/incidents?overdue=true", &officer).await).await;
    assert_eq!(overdue["items"].as_array().unwrap().len(), 1);
    assert_eq!(overdue["items"][0]["id"], sooner["id"]);

    let bad = app.get("/api/v1/incidents?state=lost", &officer).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(bad).await["field"], "state");
}

async fn patches_edit_facts_and_are_recorded(backend: Backend) {
    let (app, token) = setup(&backend).await;
    let id = app.report(&token, "acme", json!({"subjects_min": 10, "subjects_max": 20})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/incidents/{id}");
    let patched =
        json(app.patch_json(&path, &token, &json!({"subjects_max": 200, "encryption": "encrypted"})).await)
            .await;
    assert_eq!(patched["subjects_max"], 200);
    assert_eq!(patched["encryption"], "encrypted");
    let bad = app.patch_json(&path, &token, &json!({"subjects_max": 5})).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(bad).await["field"], "subjects_max");
    let moved = app.patch_json(&path, &token, &json!({"client": "beta"})).await;
    assert_eq!(json(moved).await["field"], "client");

    let timeline = json(app.get(&format!("{path}/timeline"), &token).await).await;
    let patch = &timeline["items"][1];
    assert_eq!(patch["type"], "patch");
    assert_eq!(patch["detail"]["changed"], json!({"subjects_max": 200, "encryption": "encrypted"}));

    app.event_ok(&token, &id, json!({"type": "dismiss", "reason": "no personal data"})).await;
    app.event_ok(&token, &id, json!({"type": "close", "summary": "no breach"})).await;
    let closed = app.patch_json(&path, &token, &json!({"title": "rewrite history"})).await;
    assert_eq!(closed.status(), StatusCode::CONFLICT);
    assert_eq!(json(closed).await["error"], "invalid_transition");
}

async fn the_openapi_document_describes_the_api(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let response = app.http.get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let doc = json(response).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/incidents",
        "/api/v1/incidents/{id}",
        "/api/v1/incidents/{id}/events",
        "/api/v1/incidents/{id}/timeline",
    ] {
        assert!(doc["paths"].get(path).is_some(), "missing {path}");
    }
    let incident = &doc["components"]["schemas"]["IncidentView"]["properties"];
    for field in INCIDENT_FIELDS {
        assert!(incident.get(field).is_some(), "schema lacks {field}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

    // The request bodies come from the field table: every fact, its limits and its codes.
    let new = &doc["components"]["schemas"]["NewIncident"];
    let patch = &doc["components"]["schemas"]["IncidentPatch"];
    assert_eq!(
        doc["paths"]["/api/v1/incidents"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NewIncident"
    );
    for fact in art33::domain::fields::names() {
        assert!(new["properties"].get(fact).is_some(), "NewIncident lacks {fact}");
        assert!(patch["properties"].get(fact).is_some(), "IncidentPatch lacks {fact}");
    }
    assert_eq!(new["required"], json!(["client", "title", "summary"]));
    assert_eq!(new["additionalProperties"], false);
    assert!(patch["properties"].get("client").is_none(), "client cannot be patched");
    assert_eq!(new["properties"]["title"]["maxLength"], 200);
    assert_eq!(new["properties"]["encryption"]["enum"][0], "encrypted");
    assert_eq!(new["properties"]["nature"]["items"]["enum"][0], "read");
}
