//! A client's profile (issue 18 item 7): the API, the admin page and the CLI, on both backends; the
//! audit trail records each change.

use art33::domain::tenant::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::cli::{run, stderr, stdout};
use crate::support::{Backend, TestApp, TestDb, csrf_of, json};
use crate::{on_both_backends, on_both_backends_blocking};

const PASSWORD: &str = "violet kettle under the bridge";

on_both_backends!(the_profile_round_trips_through_the_api_and_the_admin_page);
on_both_backends_blocking!(the_cli_sets_what_is_given_and_prints_the_profile);

async fn the_profile_round_trips_through_the_api_and_the_admin_page(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    app.add_client("beta").await;
    let admin = app.add_user_with_token("root@gx.example", Role::Admin, None).await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let dpo = app.add_user_with_token("dpo@acme.example", Role::Dpo, Some("acme")).await;
    let staff = app.add_user_with_token("staff@gx.example", Role::Reporter, None).await;
    let path = "/api/v1/clients/acme/profile";

    // A new client's profile: the defaults.
    let profile = json(app.get(path, &dpo).await).await;
    assert_eq!(profile["slug"], "acme");
    assert_eq!(profile["lead_authority"], "NL");
    assert_eq!(profile["outside_eea"], false);
    assert_eq!(profile["subject_locales"], json!(["nl"]));
    assert_eq!(profile["kvk_number"], serde_json::Value::Null);

    let full = json!({
        "legal_name": "Acme B.V.", "address": "Keizersgracht 1, 1015 AA Amsterdam", "kvk_number": "1234 5678",
        "sector": "healthcare", "dpo_registration": "FG001234", "lead_authority": "nl",
        "notifier_name": "Jan Jansen", "notifier_position": "FG", "notifier_phone": "+31 20 123 4567",
        "subject_locales": ["nl", "en"]
    });
    let send = |token: String, body: serde_json::Value| {
        let request = app.http.put(app.url(path)).bearer_auth(token).json(&body);
        async move { request.send().await.unwrap() }
    };
    let saved = send(admin.clone(), full.clone()).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved = json(saved).await;
    assert_eq!(saved["kvk_number"], "12345678");
    assert_eq!(saved["subject_locales"], json!(["nl", "en"]));
    assert_eq!(json(app.get(path, &officer).await).await, saved, "officers read it");
    assert_eq!(json(app.get(path, &dpo).await).await, saved, "the client's DPO reads it");

    // Who may not: another client's DPO sees nothing, reporters and officers do not change it.
    assert_eq!(app.get("/api/v1/clients/beta/profile", &dpo).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(path, &staff).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(send(officer.clone(), full.clone()).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(send(dpo.clone(), full.clone()).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/clients/nope/profile", &admin).await.status(), StatusCode::NOT_FOUND);

    // Bad input names the field.
    for (body, field) in [
        (json!({"kvk_number": "1234"}), "kvk_number"),
        (json!({"sector": "mining"}), "sector"),
        (json!({"lead_authority": "US"}), "lead_authority"),
        (json!({"notifier_phone": "call me"}), "notifier_phone"),
        (json!({"subject_locales": ["de"]}), "subject_locales"),
        (json!({"colour": "red"}), "colour"),
    ] {
        let response = send(admin.clone(), body.clone()).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let error = json(response).await;
        assert_eq!(
            (error["error"].as_str(), error["field"].as_str()),
            (Some("invalid"), Some(field)),
            "{body}"
        );
    }
    assert_eq!(json(app.get(path, &admin).await).await, saved, "a refused change changes nothing");

    // The admin page: the form shows the profile; a POST needs the CSRF token; a bad value comes back
    // with the form; a good one is saved.
    app.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    app.add_user_with_password("fg@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    let browser = app.login("admin@gx.example", PASSWORD).await;
    let overview = browser.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    assert!(overview.contains("href=\"/admin/clients/acme/profile\""), "the client list links the profile");
    let page = browser.get(app.url("/admin/clients/acme/profile")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("value=\"12345678\"") && page.contains("value=\"Acme B.V.\""), "{page}");
    let csrf = csrf_of(&page);
    let form = |csrf: Option<&str>, kvk: &str| {
        let mut form = vec![
            ("legal_name", "Acme Zorg B.V.".to_string()),
            ("address", "Keizersgracht 1, 1015 AA Amsterdam".into()),
            ("kvk_number", kvk.into()),
            ("sector", "education".into()),
            ("lead_authority", "BE".into()),
            ("notifier_name", "Jan Jansen".into()),
            ("notifier_position", "FG".into()),
            ("notifier_phone", "020 123 4567".into()),
            ("contact_name", "Piet Post".into()),
            ("contact_email", "piet@acme.example".into()),
            ("subject_locales", "en".into()),
        ];
        if let Some(c) = csrf {
            form.push(("csrf", c.to_string()));
        }
        form
    };
    let url = app.url("/admin/clients/acme/profile");
    let forged = browser.post(&url).form(&form(Some("forged"), "87654321")).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let refused = browser.post(&url).form(&form(Some(&csrf), "8765")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("kvk_number") && refused.contains("value=\"Acme Zorg B.V.\""), "{refused}");
    let saved = browser.post(&url).form(&form(Some(&csrf), "8765 4321")).send().await.unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(saved.headers()["location"], "/admin/clients/acme/profile?saved=1");
    let profile = json(app.get(path, &admin).await).await;
    assert_eq!(profile["legal_name"], "Acme Zorg B.V.");
    assert_eq!(profile["kvk_number"], "87654321");
    assert_eq!(profile["sector"], "education");
    assert_eq!(profile["lead_authority"], "BE");
    assert_eq!(profile["contact_email"], "piet@acme.example");
    assert_eq!(profile["subject_locales"], json!(["en"]));
    assert_eq!(profile["dpo_registration"], serde_json::Value::Null, "an empty field clears it");

    // The client's DPO sees the profile without a form; a POST is refused.
    let fg = app.login("fg@acme.example", PASSWORD).await;
    let page = fg.get(app.url("/admin/clients/acme/profile")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Acme Zorg B.V.") && !page.contains("<form method=\"post\" action=\"/admin/clients")
    );
    assert!(page.contains("id=\"read-only\""), "the page says who changes the profile");
    assert_eq!(
        fg.get(app.url("/admin/clients/beta/profile")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let csrf = csrf_of(&fg.get(app.url("/")).send().await.unwrap().text().await.unwrap());
    let refused = fg.post(&url).form(&form(Some(&csrf), "11112222")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Every change is in the audit trail, naming the fields, not their values.
    let details: Vec<String> = app
        .db
        .run(|c| {
            use art33::storage::schema::audit_events::dsl::*;
            use diesel::prelude::*;
            Ok::<_, art33::storage::StorageError>(
                audit_events.filter(event_type.eq("client.profile")).select(detail).load::<String>(c)?,
            )
        })
        .await
        .unwrap();
    assert_eq!(details.len(), 2, "{details:?}");
    assert!(details[1].contains("kvk_number") && !details[1].contains("87654321"), "{details:?}");
}

fn the_cli_sets_what_is_given_and_prints_the_profile(backend: &Backend) {
    let db = TestDb::create(backend);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let env = [("ART33__DATABASE__URL", db.url.as_str())];
    assert!(run(path, &["migrate"], &env).status.success());
    let out = run(
        path,
        &[
            "client",
            "add",
            "--slug",
            "acme",
            "--name",
            "Acme BV",
            "--dpo-email",
            "dpo@acme.example",
            "--locale",
            "en",
        ],
        &env,
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let profile = |args: &[&str]| {
        let mut all = vec!["client", "profile", "--slug", "acme"];
        all.extend_from_slice(args);
        run(path, &all, &env)
    };
    let out = profile(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (shown["lead_authority"].as_str(), shown["subject_locales"].clone()),
        (Some("NL"), json!(["en"]))
    );

    let out =
        profile(&["--kvk", "12345678", "--legal-name", "Acme B.V.", "--notifier-phone", "+31 20 123 4567"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = profile(&[
        "--sector",
        "ict",
        "--subject-locale",
        "nl",
        "--subject-locale",
        "en",
        "--outside-eea",
        "true",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(shown["slug"], "acme");
    assert_eq!(shown["kvk_number"], "12345678", "what is not given is kept");
    assert_eq!(shown["legal_name"], "Acme B.V.");
    assert_eq!(shown["sector"], "ict");
    assert_eq!(shown["outside_eea"], true);
    assert_eq!(shown["subject_locales"], json!(["nl", "en"]));
    let out = profile(&["--legal-name", ""]);
    let shown: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(shown["legal_name"], serde_json::Value::Null, "an empty value clears");

    for (args, named) in [
        (vec!["--kvk", "1234"], "--kvk: \"1234\""),
        (vec!["--sector", "mining"], "--sector: \"mining\""),
        (vec!["--lead-authority", "US"], "--lead-authority: \"US\""),
        (vec!["--notifier-phone", "call me"], "--notifier-phone: \"call me\""),
        (vec!["--contact-email", "piet"], "--contact-email: \"piet\""),
    ] {
        let out = profile(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(named), "{args:?} should name {named}: {err}");
    }
    let out = run(path, &["client", "profile", "--slug", "nope", "--kvk", "12345678"], &env);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("\"nope\""), "{}", stderr(&out));
    let out = run(path, &["audit", "verify"], &env);
    assert!(out.status.success(), "{}", stderr(&out));
}
