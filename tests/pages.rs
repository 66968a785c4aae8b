//! The HTML pages through HTTP: status, CSRF refusal, and what each role sees and does not see,
//! on both backends.

use art33::domain::tenant::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_backends;
use crate::support::statements::Recorder;
use crate::support::{Backend, TestApp, csrf_of};

const PASSWORD: &str = "correct horse battery staple";

async fn world(backend: &Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    app.add_client("acme").await;
    app.add_client("beta").await;
    app.add_user_with_password("officer@gx.example", Role::Officer, None, PASSWORD).await;
    app.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    app.add_user_with_password("dpo@beta.example", Role::Dpo, Some("beta"), PASSWORD).await;
    app.add_user_with_password("staff@gx.example", Role::Reporter, None, PASSWORD).await;
    app
}

async fn text(response: reqwest::Response) -> String {
    response.text().await.unwrap()
}

on_both_backends!(
    pages_need_a_session_and_login_sets_a_safe_cookie,
    login_refusals_do_not_reveal_which_addresses_exist,
    every_post_without_a_valid_csrf_token_is_403,
    a_reporter_reports_a_leak_and_gets_a_receipt,
    too_many_reports_are_refused_with_retry_after_and_the_form_kept,
    personal_data_in_a_report_comes_back_with_a_warning_and_the_input_kept,
    the_dashboard_shows_each_role_its_own,
    the_dashboard_reads_each_scope_its_own_rows_in_order_and_counts_all,
    dashboard_rows_say_the_time_left_the_severity_and_the_next_action_in_words,
    the_dashboard_filters_by_client_and_urgency_from_the_query,
    an_empty_dashboard_shows_a_new_admin_the_next_steps,
    the_incident_page_offers_exactly_the_allowed_events_and_names_field_errors,
    admin_pages_are_for_admins_and_tokens_are_shown_once,
    logout_ends_the_session_for_good,
    pages_speak_dutch_and_english,
    the_register_page_speaks_dutch_names_clients_and_filters,
    the_supplement_and_withdraw_forms_take_their_instant_in_amsterdam_time,
    dutch_pages_show_no_english_status_words,
    a_typed_zone_that_contradicts_the_date_is_refused_on_the_form,
    after_the_conservative_deadline_pages_speak_of_it_in_the_past_tense,
    the_incident_page_offers_one_next_step_by_state_and_a_checklist_with_links,
    the_timeline_speaks_in_sentences_grouped_by_day_in_both_languages,
    every_statement_of_the_dashboard_and_the_incident_page_is_prepared_once_per_connection,
    a_dashboard_view_takes_five_statements_for_a_dpo_and_six_for_an_officer,
    a_running_clocks_row_reads_its_whole_incident_once_per_version,
    a_running_clocks_narrow_row_is_remembered_under_its_whole_incidents_key,
);

async fn pages_need_a_session_and_login_sets_a_safe_cookie(backend: Backend) {
    let app = world(&backend).await;
    let anonymous = app.browser();
    for path in ["/", "/report", "/admin", "/incidents/x", "/incidents/x/ap-report"] {
        let response = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        let location = response.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/login"), "{path} → {location}");
    }
    let login = anonymous.get(app.url("/login")).send().await.unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let page = text(login).await;
    assert!(page.contains("name=\"password\""));
    let csrf = csrf_of(&page);
    let response = anonymous
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "officer@gx.example"),
            ("password", PASSWORD),
            ("next", "/incidents/x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/incidents/x", "back to where the user was going");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("art33_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    assert_eq!(anonymous.get(app.url("/")).send().await.unwrap().status(), StatusCode::OK);

    let open_redirect = app.browser();
    let page = text(open_redirect.get(app.url("/login")).send().await.unwrap()).await;
    let response = open_redirect
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("email", "officer@gx.example"),
            ("password", PASSWORD),
            ("next", "//evil.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/");
}

async fn login_refusals_do_not_reveal_which_addresses_exist(backend: Backend) {
    let app = world(&backend).await;
    let attempt = |email: &'static str, password: &'static str| {
        let browser = app.browser();
        let url = app.url("/login");
        async move {
            let page = browser.get(&url).send().await.unwrap().text().await.unwrap();
            let response = browser
                .post(&url)
                .form(&[("csrf", csrf_of(&page).as_str()), ("email", email), ("password", password)])
                .send()
                .await
                .unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    let (wrong_status, wrong_page) = attempt("officer@gx.example", "not the password").await;
    let (unknown_status, unknown_page) = attempt("nobody@gx.example", "not the password").await;
    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_status, wrong_status);
    let message = "Onbekend e-mailadres of onjuist wachtwoord.";
    assert!(wrong_page.contains(message) && unknown_page.contains(message));

    // Five failures for one account: the sixth try is refused without checking, even if right.
    for _ in 0..4 {
        attempt("officer@gx.example", "still wrong").await;
    }
    let (status, _) = attempt("officer@gx.example", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(chrono::Duration::minutes(16));
    let (status, _) = attempt("officer@gx.example", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the limit expires");
}

async fn every_post_without_a_valid_csrf_token_is_403(backend: Backend) {
    let app = world(&backend).await;
    let id = {
        let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
        app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string()
    };
    let browser = app.login("admin@gx.example", PASSWORD).await;
    for path in [
        "/report".to_string(),
        format!("/incidents/{id}/events"),
        format!("/incidents/{id}/edit"),
        "/admin/clients".into(),
        "/admin/users".into(),
        "/admin/tokens".into(),
        "/mails/requeue".into(),
        "/logout".into(),
    ] {
        for csrf in [None, Some("forged")] {
            let mut form = vec![("type", "acknowledge"), ("title", "t")];
            if let Some(c) = csrf {
                form.push(("csrf", c));
            }
            let response = browser.post(app.url(&path)).form(&form).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path} with {csrf:?}");
        }
    }
    let login = app.browser();
    let response = login
        .post(app.url("/login"))
        .form(&[("email", "admin@gx.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "the login form has its own token");
}

async fn a_reporter_reports_a_leak_and_gets_a_receipt(backend: Backend) {
    let app = world(&backend).await;
    let browser = app.login("staff@gx.example", PASSWORD).await;
    let form = text(browser.get(app.url("/report")).send().await.unwrap()).await;
    assert!(form.contains("name=\"client\"") && form.contains("acme BV") && form.contains("beta BV"));
    assert!(form.contains("value=\"2026-10-22T12:00\""), "noticed defaults to now, Amsterdam time");
    let response = browser
        .post(app.url("/report"))
        .form(&[
            ("csrf", csrf_of(&form).as_str()),
            ("client", "acme"),
            ("title", "Laptop stolen from a car"),
            ("summary", "The laptop of a consultant was stolen; the disk is encrypted."),
            ("discovered_at", "2026-10-22T11:30"),
            ("data_categories", "name_address"),
            ("data_categories", "email"),
            ("people", "101-1000"),
            ("ongoing", "no"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let receipt_url = response.headers()["location"].to_str().unwrap().to_string();
    assert!(receipt_url.starts_with("/report/received/"));
    let receipt = text(browser.get(app.url(&receipt_url)).send().await.unwrap()).await;
    assert!(receipt.contains("ACME-2026-0001"));
    assert!(receipt.contains("Wat er nu gebeurt"));

    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let list = crate::support::json(app.get("/api/v1/incidents", &token).await).await;
    let incident = &list["items"][0];
    assert_eq!(incident["discovered_at"], "2026-10-22T09:30:00Z");
    assert_eq!(incident["data_categories"], json!(["name_address", "email"]));
    assert_eq!(
        (incident["subjects_min"].as_u64(), incident["subjects_max"].as_u64()),
        (Some(101), Some(1000))
    );
    assert_eq!(incident["reported_by"], "staff@gx.example");

    let bad = browser
        .post(app.url("/report"))
        .form(&[("csrf", csrf_of(&form).as_str()), ("client", "acme"), ("title", ""), ("summary", "s")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(bad).await;
    assert!(page.contains("id=\"title-error\""), "the error is at the field");
    let gap = browser
        .post(app.url("/report"))
        .form(&[
            ("csrf", csrf_of(&form).as_str()),
            ("client", "acme"),
            ("title", "t"),
            ("summary", "s"),
            ("discovered_at", "2026-03-29T02:30"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(gap.status(), StatusCode::UNPROCESSABLE_ENTITY, "a local time in the spring-forward gap");
    assert!(text(gap).await.contains("id=\"discovered_at-error\""));
}

async fn personal_data_in_a_report_comes_back_with_a_warning_and_the_input_kept(backend: Backend) {
    let app = world(&backend).await;
    let browser = app.login("staff@gx.example", PASSWORD).await;
    let form = text(browser.get(app.url("/report")).send().await.unwrap()).await;
    let csrf = csrf_of(&form);
    let summary = "Mail with the salary slip of jan.jansen@example.nl went to the wrong person";
    let response = browser
        .post(app.url("/report"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("client", "acme"),
            ("title", "Salary slip misdirected"),
            ("summary", summary),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(response).await;
    assert!(page.contains("id=\"pii-warning\""));
    assert!(page.contains("e-mailadres"), "names the kind of data");
    assert!(page.contains("jan.jansen@example.nl"), "the input is kept for the reporter to edit");
    assert!(page.contains("name=\"allow_personal_data\""));
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let list = crate::support::json(app.get("/api/v1/incidents", &token).await).await;
    assert_eq!(list["items"], json!([]), "nothing saved before the warning was seen");

    let confirmed = browser
        .post(app.url("/report"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("client", "acme"),
            ("title", "Salary slip misdirected"),
            ("summary", summary),
            ("allow_personal_data", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
}

async fn the_dashboard_shows_each_role_its_own(backend: Backend) {
    let app = world(&backend).await;
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let staff_token = app.add_user_with_token("other-staff@gx.example", Role::Reporter, None).await;
    let acme = app.report(&token, "acme", json!({"title": "ACME running clock"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.report(&token, "beta", json!({"title": "BETA untriaged"})).await;
    app.report(&staff_token, "acme", json!({"title": "Colleague's report"})).await;
    app.event_ok(&token, &acme, json!({"type": "confirm", "controller_aware_at": "2026-10-22T09:00:00Z"}))
        .await;

    let officer =
        text(app.login("officer@gx.example", PASSWORD).await.get(app.url("/")).send().await.unwrap()).await;
    for title in ["ACME running clock", "BETA untriaged", "Colleague&#39;s report"] {
        assert!(officer.contains(title), "officer sees {title}");
    }
    assert!(officer.contains("data-deadline=\"2026-10-25T09:00:00Z\""));
    assert!(officer.contains("Meer dan 24 uur"), "the band in words");
    assert!(officer.contains("Per klant"));

    let dpo =
        text(app.login("dpo@acme.example", PASSWORD).await.get(app.url("/")).send().await.unwrap()).await;
    assert!(dpo.contains("ACME running clock"));
    assert!(!dpo.contains("BETA untriaged"), "a DPO sees only its client");

    let staff =
        text(app.login("staff@gx.example", PASSWORD).await.get(app.url("/")).send().await.unwrap()).await;
    assert!(
        !staff.contains("ACME running clock") && !staff.contains("Colleague"),
        "a reporter sees only its own reports"
    );
    assert!(staff.contains("Mijn meldingen"));
}

/// The dashboard's statements, per scope, with a limit below the number of rows: which rows, in
/// which order, and counts over the whole scope.
async fn the_dashboard_reads_each_scope_its_own_rows_in_order_and_counts_all(backend: Backend) {
    use art33::domain::ids::{ClientId, UserId};
    use art33::domain::tenant::TenantScope;
    use art33::storage::{directory, incidents};

    let app = world(&backend).await;
    let officer = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let staff = app.add_user_with_token("colleague@gx.example", Role::Reporter, None).await;
    let mut ids = std::collections::HashMap::new();
    for (minute, title, client, token) in [
        ("00", "A1", "acme", &officer),
        ("10", "A2", "acme", &officer),
        ("20", "A3", "acme", &staff),
        ("30", "A4", "acme", &officer),
        ("35", "B4", "beta", &officer),
        ("40", "B1", "beta", &officer),
        ("50", "B2", "beta", &staff),
        ("55", "B3", "beta", &officer),
        ("57", "A5", "acme", &officer),
        ("58", "B5", "beta", &officer),
    ] {
        app.set_now(&format!("2026-10-20T08:{minute}:00Z"));
        let id = app.report(token, client, json!({"title": title})).await["id"].as_str().unwrap().to_string();
        ids.insert(title, id);
    }
    app.set_now("2026-10-20T10:00:00Z");
    for (title, aware) in [("A1", "09:00"), ("A2", "08:30"), ("A3", "09:45"), ("B1", "09:30")] {
        let body = json!({"type": "confirm", "controller_aware_at": format!("2026-10-20T{aware}:00Z")});
        app.event_ok(&officer, &ids[title], body).await;
    }
    for (minute, title) in [("00", "B5"), ("10", "B3"), ("20", "B2")] {
        app.set_now(&format!("2026-10-20T11:{minute}:00Z"));
        app.event_ok(&officer, &ids[title], json!({"type": "dismiss", "reason": "no personal data"})).await;
    }
    // A2's deadline (72 hours after 08:30) has passed, the others' have not.
    app.set_now("2026-10-23T08:45:00Z");

    let acme = app.db.run(|c| directory::client_by_slug(c, "acme")).await.unwrap().unwrap().id;
    let beta = app.db.run(|c| directory::client_by_slug(c, "beta")).await.unwrap().unwrap().id;
    let colleague =
        app.db.run(|c| directory::user_by_email(c, "colleague@gx.example")).await.unwrap().unwrap().id;
    let board = |scope: TenantScope| {
        let (now, policy) = (app.now(), app.settings.escalation.clone());
        app.db.run(move |c| incidents::dashboard::<2>(c, &scope, now, &policy))
    };
    // (running, untriaged, others) by title, then the counts per client.
    let rows = |board: &incidents::Dashboard| {
        let running: Vec<&str> = board.running.iter().map(|i| i.title.as_str()).collect();
        let untriaged: Vec<&str> = board.untriaged.iter().map(|s| s.title.as_str()).collect();
        let others: Vec<&str> = board.others.iter().map(|s| s.title.as_str()).collect();
        format!("{running:?} {untriaged:?} {others:?}")
    };
    let counts = |expected: &[(&ClientId, i64, i64, i64)]| {
        let mut expected: Vec<(String, i64, i64, i64)> =
            expected.iter().map(|(c, r, o, u)| (c.0.clone(), *r, *o, *u)).collect();
        expected.sort();
        expected
    };

    // Everything: earliest deadline first, oldest report first, latest change first.
    let all = board(TenantScope::All).await.unwrap();
    assert_eq!(rows(&all), r#"["A2", "A1"] ["A4", "B4"] ["B2", "B3"]"#);
    assert_eq!(all.counts, counts(&[(&acme, 3, 1, 2), (&beta, 1, 0, 1)]));

    // One client: nothing of the other.
    let mine = board(TenantScope::Client(acme.clone())).await.unwrap();
    assert_eq!(rows(&mine), r#"["A2", "A1"] ["A4", "A5"] []"#);
    assert_eq!(mine.counts, counts(&[(&acme, 3, 1, 2)]));
    let theirs = board(TenantScope::Client(beta.clone())).await.unwrap();
    assert_eq!(rows(&theirs), r#"["B1"] ["B4"] ["B2", "B3"]"#);
    assert_eq!(theirs.counts, counts(&[(&beta, 1, 0, 1)]));

    // One reporter: its own reports only, whatever the client.
    let own = board(TenantScope::ReportedBy(colleague)).await.unwrap();
    assert_eq!(rows(&own), r#"["A3"] [] ["B2"]"#);
    assert_eq!(own.counts, counts(&[(&acme, 1, 0, 0)]));

    for empty in [
        TenantScope::Nothing,
        TenantScope::Client(ClientId::from("no-such-client")),
        TenantScope::ReportedBy(UserId::from("no-such-user")),
    ] {
        let board = board(empty.clone()).await.unwrap();
        assert_eq!(rows(&board), "[] [] []", "{empty:?}");
        assert!(board.counts.is_empty(), "{empty:?}");
    }
}

async fn the_incident_page_offers_exactly_the_allowed_events_and_names_field_errors(backend: Backend) {
    let app = world(&backend).await;
    let token = app.add_user_with_token("robot@gx.example", Role::Reporter, None).await;
    let id =
        app.report(&token, "acme", json!({"title": "Open bucket"})).await["id"].as_str().unwrap().to_string();
    let path = format!("/incidents/{id}");

    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let page = text(dpo.get(app.url(&path)).send().await.unwrap()).await;
    for kind in ["confirm", "dismiss", "acknowledge", "assess"] {
        assert!(page.contains(&format!("id=\"event-{kind}\"")), "{kind} offered");
    }
    for kind in ["notify_ap", "close", "reopen", "withdraw"] {
        assert!(!page.contains(&format!("id=\"event-{kind}\"")), "{kind} not offered in reported");
    }
    let csrf = csrf_of(&page);
    let missing = dpo
        .post(app.url(&format!("{path}/events")))
        .form(&[("csrf", csrf.as_str()), ("type", "dismiss"), ("reason", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(missing).await;
    assert!(page.contains("id=\"dismiss-reason-error\""), "the error sits at the field");

    let confirmed = dpo
        .post(app.url(&format!("{path}/events")))
        .form(&[("csrf", csrf.as_str()), ("type", "confirm"), ("controller_aware_at", "2026-10-22T11:00")])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    let page = text(dpo.get(app.url(&path)).send().await.unwrap()).await;
    assert!(page.contains("data-deadline=\"2026-10-25T09:00:00Z\""));
    assert!(page.contains("zo 25 okt 2026 10:00 CET"), "the deadline in Amsterdam time");
    assert!(page.contains("id=\"event-notify_ap\""));

    // The reporter may add details while reported, but decides nothing: no event forms.
    let other =
        app.report(&token, "acme", json!({"title": "Second"})).await["id"].as_str().unwrap().to_string();
    app.add_user_with_password("robot2@gx.example", Role::Reporter, None, PASSWORD).await;
    let staff = app.login("staff@gx.example", PASSWORD).await;
    assert_eq!(
        staff.get(app.url(&format!("/incidents/{other}"))).send().await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "not its report"
    );
    let beta_dpo = app.login("dpo@beta.example", PASSWORD).await;
    let hidden = beta_dpo.get(app.url(&path)).send().await.unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND, "another client's incident is 404");
    assert!(text(hidden).await.contains("Niet gevonden"));
}

async fn admin_pages_are_for_admins_and_tokens_are_shown_once(backend: Backend) {
    let app = world(&backend).await;
    let officer = app.login("officer@gx.example", PASSWORD).await;
    assert_eq!(officer.get(app.url("/admin")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let admin = app.login("admin@gx.example", PASSWORD).await;
    let page = text(admin.get(app.url("/admin")).send().await.unwrap()).await;
    let csrf = csrf_of(&page);
    let added = admin
        .post(app.url("/admin/clients"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("slug", "gamma"),
            ("name", "Gamma NV"),
            ("dpo_email", "dpo@gamma.example"),
            ("locale", "en"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let duplicate = admin
        .post(app.url("/admin/clients"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("slug", "gamma"),
            ("name", "Again"),
            ("dpo_email", "x@gamma.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let user = admin
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "dpo@gamma.example"),
            ("role", "dpo"),
            ("client", "gamma"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(user.status(), StatusCode::SEE_OTHER);
    let token_page = admin
        .post(app.url("/admin/tokens"))
        .form(&[("csrf", csrf.as_str()), ("token_email", "dpo@gamma.example"), ("label", "scripts")])
        .send()
        .await
        .unwrap();
    assert_eq!(token_page.status(), StatusCode::OK);
    let html = text(token_page).await;
    let start = html.find("id=\"new-token\">").unwrap() + "id=\"new-token\">".len();
    let token = html[start..start + html[start..].find('<').unwrap()].to_string();
    assert!(token.starts_with("art33_"));
    assert_eq!(app.get("/api/v1/incidents", &token).await.status(), StatusCode::OK);
    let again = text(admin.get(app.url("/admin")).send().await.unwrap()).await;
    assert!(!again.contains(&token), "shown once");
    assert!(again.contains(&token[..12]), "its prefix is listed");
    let gamma_dpo = app.login("dpo@gamma.example", PASSWORD).await;
    assert_eq!(gamma_dpo.get(app.url("/")).send().await.unwrap().status(), StatusCode::OK);
}

async fn logout_ends_the_session_for_good(backend: Backend) {
    let app = world(&backend).await;
    let browser = app.login("officer@gx.example", PASSWORD).await;
    let page = text(browser.get(app.url("/")).send().await.unwrap()).await;
    let response = browser.post(app.url("/logout")).form(&[("csrf", csrf_of(&page))]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(browser.get(app.url("/")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
}

async fn pages_speak_dutch_and_english(backend: Backend) {
    let app = world(&backend).await;
    let anonymous = app.browser();
    let dutch = text(anonymous.get(app.url("/login")).send().await.unwrap()).await;
    assert!(dutch.contains("lang=\"nl\"") && dutch.contains("Inloggen"));
    let english = text(
        anonymous
            .get(app.url("/login"))
            .header("Accept-Language", "en-GB,en;q=0.9,nl;q=0.5")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(english.contains("lang=\"en\"") && english.contains("Log in"));
    let browser = app.login("officer@gx.example", PASSWORD).await;
    let switched = text(browser.get(app.url("/?lang=en")).send().await.unwrap()).await;
    assert!(switched.contains("<h1>Dashboard</h1>"));
    let remembered = text(browser.get(app.url("/")).send().await.unwrap()).await;
    assert!(remembered.contains("<h1>Dashboard</h1>"), "the choice is remembered");
    let not_found = browser.get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(not_found.status(), StatusCode::NOT_FOUND);
    let body = text(not_found).await;
    assert!(body.contains("Niet gevonden") && body.contains("Not found"), "error pages in the layout");
}

/// One reporter may report `server.reports_per_minute` incidents a minute, by API and page
/// together; the next is 429 with `Retry-After` (the page keeps what was typed), a replay of an
/// accepted report is still answered, and a minute later reporting works again.
async fn too_many_reports_are_refused_with_retry_after_and_the_form_kept(backend: Backend) {
    let app = TestApp::spawn_with(&backend, &[("ART33__SERVER__REPORTS_PER_MINUTE", "3")]).await;
    app.add_client("acme").await;
    app.add_user_with_password("staff@gx.example", Role::Reporter, None, PASSWORD).await;
    let token = app.add_user_with_token("robot@gx.example", Role::Reporter, None).await;
    let body =
        serde_json::json!({"client": "acme", "title": "Laptop stolen", "summary": "A laptop was stolen"});
    let first = app
        .http
        .post(app.url("/api/v1/incidents"))
        .bearer_auth(&token)
        .header("Idempotency-Key", "first")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    for _ in 0..2 {
        assert_eq!(app.post_json("/api/v1/incidents", &token, &body).await.status(), StatusCode::CREATED);
    }
    app.clock.advance(chrono::Duration::seconds(20));
    let refused = app.post_json("/api/v1/incidents", &token, &body).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()["retry-after"], "40", "until the oldest leaves the minute");
    assert_eq!(crate::support::json(refused).await["error"], "too_many_requests");
    let replay = app
        .http
        .post(app.url("/api/v1/incidents"))
        .bearer_auth(&token)
        .header("Idempotency-Key", "first")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::CREATED, "a replay is not a new report");

    // Another reporter has a minute of their own; the page refuses the fourth and keeps the form.
    let browser = app.login("staff@gx.example", PASSWORD).await;
    for n in 0..4 {
        let form = text(browser.get(app.url("/report")).send().await.unwrap()).await;
        let title = format!("Phishing mail number {n}");
        let response = browser
            .post(app.url("/report"))
            .form(&[
                ("csrf", csrf_of(&form).as_str()),
                ("client", "acme"),
                ("title", title.as_str()),
                ("summary", "A phishing mail reached the helpdesk."),
                ("ongoing", "no"),
            ])
            .send()
            .await
            .unwrap();
        if n < 3 {
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "report {n}");
            continue;
        }
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(response.headers().contains_key("retry-after"));
        let page = text(response).await;
        assert!(page.contains("te vaak gemeld"), "the reason, in the reporter's language");
        assert!(page.contains("Phishing mail number 3"), "what was typed is kept");
    }

    app.clock.advance(chrono::Duration::seconds(41));
    assert_eq!(app.post_json("/api/v1/incidents", &token, &body).await.status(), StatusCode::CREATED);
}

/// The register page (issue 18, item 9): Dutch labels for severity and decisions (no raw codes),
/// dates in Amsterdam time, the client's name, the processor's delay, each supplement, and the
/// filters client, year, notified and late; a DPO sees its own client only.
async fn the_register_page_speaks_dutch_names_clients_and_filters(backend: Backend) {
    let app = world(&backend).await;
    let robot = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    app.set_now("2026-06-15T08:00:00Z");
    // ACME-2026-0001: GX knew 47 hours before the client; medium; notified on time, supplemented.
    let notified = app.report(&robot, "acme", json!({"title": "Notified one"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.event_ok(&robot, &notified, json!({"type": "confirm", "processor_aware_at": "2026-06-13T08:00:00Z", "controller_aware_at": "2026-06-15T07:00:00Z"})).await;
    app.event_ok(&robot, &notified, json!({"type": "assess", "dpc": 2, "ease_of_identification": "significant", "confidentiality": 2, "integrity": 0, "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false, "rationale": "r"})).await;
    app.event_ok(
        &robot,
        &notified,
        json!({"type": "notify_ap", "ap_reference": "AP-77", "preliminary": true}),
    )
    .await;
    app.set_now("2026-06-20T08:00:00Z");
    app.event_ok(&robot, &notified, json!({"type": "supplement", "note": "final figures", "complete": true}))
        .await;
    // ACME-2026-0002: confirmed, never notified: late once the deadline passed.
    let overdue =
        app.report(&robot, "acme", json!({"title": "Overdue one"})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&robot, &overdue, json!({"type": "confirm"})).await;
    // BETA-2026-0001: decided not notifiable against the proposal.
    let beta =
        app.report(&robot, "beta", json!({"title": "Beta one"})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&robot, &beta, json!({"type": "confirm"})).await;
    app.event_ok(&robot, &beta, json!({"type": "assess", "dpc": 2, "ease_of_identification": "significant", "confidentiality": 2, "integrity": 0, "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false, "rationale": "r"})).await;
    app.event_ok(
        &robot,
        &beta,
        json!({"type": "decide_not_notifiable", "justification": "recipient deleted it at once"}),
    )
    .await;
    // ACME-2027-0001: reported in the next year.
    app.set_now("2027-01-10T08:00:00Z");
    app.report(&robot, "acme", json!({"title": "Next year"})).await;

    let officer = app.login("officer@gx.example", PASSWORD).await;
    let get = |path: &str| {
        let request = officer.get(app.url(path));
        async move { request.send().await.unwrap() }
    };
    let page = text(get("/register?lang=nl").await).await;
    for expected in [
        "acme BV",
        "beta BV",
        "gemiddeld (2,00)",
        "gemeld bij de AP",
        "niet meldplichtig (alleen register)",
        "wijkt af van het voorstel: recipient deleted it at once",
        "voorstel: melden bij de AP ja",
        "herleidbaarheid aanzienlijk",
        "47 uur",
        "ma 15 jun 2026 09:00 CEST",
        "final figures (voltooit de voorlopige melding)",
        "nog niet besloten",
        "(te laat)",
    ] {
        assert!(page.contains(expected), "the Dutch register shows {expected:?}");
    }
    for raw in ["not_notifiable", "medium (2.00)", ">notified<", "undecided", "pending", ">acme<"] {
        assert!(!page.contains(raw), "no raw code {raw:?} on a Dutch page");
    }

    let references = |html: &str| -> Vec<&str> {
        ["ACME-2026-0001", "ACME-2026-0002", "BETA-2026-0001", "ACME-2027-0001"]
            .into_iter()
            .filter(|r| html.contains(r))
            .collect()
    };
    for (query, expected) in [
        ("", vec!["ACME-2026-0001", "ACME-2026-0002", "BETA-2026-0001", "ACME-2027-0001"]),
        ("?client=beta", vec!["BETA-2026-0001"]),
        ("?year=2027", vec!["ACME-2027-0001"]),
        ("?notified=true", vec!["ACME-2026-0001"]),
        ("?notified=false&year=2026", vec!["ACME-2026-0002", "BETA-2026-0001"]),
        ("?late=true", vec!["ACME-2026-0002"]),
        ("?client=acme&year=2026&notified=false&late=true", vec!["ACME-2026-0002"]),
        (
            "?client=&year=&notified=&late=",
            vec!["ACME-2026-0001", "ACME-2026-0002", "BETA-2026-0001", "ACME-2027-0001"],
        ),
    ] {
        let html = text(get(&format!("/register{query}")).await).await;
        assert_eq!(references(&html), expected, "{query}");
    }
    let filtered = text(get("/register?client=beta&late=false").await).await;
    assert!(
        filtered.contains("<option value=\"beta\" selected>beta BV</option>"),
        "the form keeps the filter"
    );
    assert_eq!(get("/register?late=maybe").await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(get("/register?year=twenty").await.status(), StatusCode::BAD_REQUEST);

    let english = text(get("/register?lang=en").await).await;
    assert!(english.contains("medium (2.00)") && english.contains("not notifiable (register only)"));
    assert!(english.contains("47 h"));

    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let own = text(dpo.get(app.url("/register?lang=nl")).send().await.unwrap()).await;
    assert_eq!(references(&own), ["ACME-2026-0001", "ACME-2026-0002", "ACME-2027-0001"]);
    assert!(!own.contains("beta BV"), "another client is not even offered as a filter");
    let other = text(dpo.get(app.url("/register?client=beta")).send().await.unwrap()).await;
    assert!(references(&other).is_empty(), "another client's filter shows nothing");
}

/// The event forms (issue 18, item 8): a supplement's `at` is typed in Amsterdam time and
/// `complete` is a checkbox; a withdrawal before the notification comes back with the error at
/// its `at` field.
async fn the_supplement_and_withdraw_forms_take_their_instant_in_amsterdam_time(backend: Backend) {
    let app = world(&backend).await;
    let robot = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    app.set_now("2026-10-22T12:00:00Z");
    let id =
        app.report(&robot, "acme", json!({"title": "Open bucket"})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&robot, &id, json!({"type": "confirm"})).await;
    app.event_ok(&robot, &id, json!({"type": "notify_ap", "ap_reference": "AP-5", "preliminary": true}))
        .await;
    app.set_now("2026-10-30T12:00:00Z");
    let path = format!("/incidents/{id}");
    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let page = text(dpo.get(app.url(&path)).send().await.unwrap()).await;
    assert!(page.contains("id=\"supplement-at\"") && page.contains("id=\"supplement-complete\""));
    assert!(page.contains("id=\"withdraw-at\""));
    let csrf = csrf_of(&page);
    let too_early = dpo
        .post(app.url(&format!("{path}/events")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("type", "withdraw"),
            ("at", "2026-10-22T13:59"),
            ("reason", "test data"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(too_early.status(), StatusCode::UNPROCESSABLE_ENTITY, "13:59 CEST is before the notification");
    let page = text(too_early).await;
    assert!(page.contains("id=\"withdraw-at-error\""), "the error sits at the field");
    // Issue 19: the summary above the page names the field by its label and links to it, and the
    // title says there is an error.
    let summary = &page[page.find("id=\"error-summary\"").expect("an error summary")..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    assert!(summary.contains("href=\"#withdraw-at\""), "{summary}");
    assert!(
        !summary.contains(">at:") && !summary.contains(" at:"),
        "named by its label, not its key: {summary}"
    );
    let title = &page[page.find("<title>").unwrap()..page.find("</title>").unwrap()];
    assert!(title.contains("Fout:") || title.contains("Error:"), "{title}");
    let supplemented = dpo
        .post(app.url(&format!("{path}/events")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("type", "supplement"),
            ("at", "2026-10-26T09:30"),
            ("note", "final figures"),
            ("complete", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(supplemented.status(), StatusCode::SEE_OTHER);
    let incident = crate::support::json(app.get(&format!("/api/v1/incidents/{id}"), &robot).await).await;
    assert_eq!(
        incident["supplements"],
        json!([{"at": "2026-10-26T08:30:00Z", "note": "final figures", "ap_reference": null, "complete": true}]),
        "09:30 CET, the day after the clocks went back"
    );
}

/// The text a person reads on a page: without scripts, styles, tags and attributes (where codes
/// legitimately live: form values, ids, CSS classes).
fn visible(html: &str) -> String {
    let mut rest = html.to_string();
    for block in ["script", "style"] {
        let (open, close) = (format!("<{block}"), format!("</{block}>"));
        while let Some(start) = rest.find(&open) {
            let end = rest[start..].find(&close).map_or(rest.len(), |e| start + e + close.len());
            rest.replace_range(start..end, " ");
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in rest.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// English words for states, statuses, bands and decisions that must not reach a Dutch page.
const ENGLISH_WORDS: &[&str] = &[
    "sent",
    "planned",
    "pending",
    "undecided",
    "superseded",
    "suppressed",
    "failed",
    "high",
    "very high",
    "medium",
    "low",
    "reported",
    "confirmed",
    "true",
    "false",
    "system",
    "report",
    "patch",
    "alert.sent",
    "mail.sent",
    "assess",
    "confirm",
    "milestone",
    "delivered",
];

fn english_words_in(page: &str) -> Vec<String> {
    let text = visible(page);
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_'))
        .map(|w| w.trim_end_matches('.').to_string())
        .collect();
    ENGLISH_WORDS
        .iter()
        .filter(|english| {
            let parts: Vec<&str> = english.split(' ').collect();
            words.windows(parts.len()).any(|w| w.iter().zip(&parts).all(|(a, b)| a == b))
        })
        .map(|w| w.to_string())
        .collect()
}

/// Issue 18, item 11a: a Dutch incident page and dashboard with sent and planned alerts, delivered
/// mails, an ENISA band and an undecided subjects decision show all of it in Dutch.
async fn dutch_pages_show_no_english_status_words(backend: Backend) {
    let app = world(&backend).await;
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let id =
        app.report(&token, "acme", json!({"title": "Open bucket"})).await["id"].as_str().unwrap().to_string();
    app.tick().await;
    app.drain().await;
    app.event_ok(&token, &id, json!({"type": "confirm", "controller_aware_at": app.now().to_rfc3339()}))
        .await;
    app.event_ok(&token, &id, json!({
        "type": "assess", "dpc": 3, "ease_of_identification": "maximum", "confidentiality": 0, "integrity": 0,
        "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false,
        "rationale": "Contact data"
    })).await;
    app.tick().await;
    app.drain().await;
    let statuses = app.alert_statuses(&token, &id).await;
    assert_eq!(statuses.get("A0").map(String::as_str), Some("sent"), "{statuses:?}");
    assert_eq!(statuses.get("A1").map(String::as_str), Some("planned"), "{statuses:?}");

    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let page = text(dpo.get(app.url(&format!("/incidents/{id}?lang=nl"))).send().await.unwrap()).await;
    let shown = visible(&page);
    for dutch in
        ["verstuurd", "gepland", "afgeleverd", "hoog (3,00)", "nog niet besloten", "Waarschuwing verstuurd"]
    {
        assert!(shown.contains(dutch), "{dutch} on the Dutch incident page: {shown}");
    }
    assert_eq!(english_words_in(&page), Vec::<String>::new(), "{shown}");
    let dashboard = text(dpo.get(app.url("/?lang=nl")).send().await.unwrap()).await;
    assert_eq!(english_words_in(&dashboard), Vec::<String>::new(), "{}", visible(&dashboard));
    let draft =
        text(dpo.get(app.url(&format!("/incidents/{id}/ap-report?lang=nl"))).send().await.unwrap()).await;
    assert_eq!(english_words_in(&draft), Vec::<String>::new(), "{}", visible(&draft));
    assert!(visible(&draft).contains("Concept van de brief aan betrokkenen (art. 34) — Engels"));
    let admin = app.login("admin@gx.example", PASSWORD).await;
    let directory = text(admin.get(app.url("/admin?lang=nl")).send().await.unwrap()).await;
    assert_eq!(english_words_in(&directory), Vec::<String>::new(), "{}", visible(&directory));
    assert!(visible(&directory).contains("Nederlands"), "a client's language in words");

    // The same page in English says the same in English.
    let english =
        visible(&text(dpo.get(app.url(&format!("/incidents/{id}?lang=en"))).send().await.unwrap()).await);
    for words in ["sent", "planned", "delivered", "high (3.00)", "not decided yet", "Alert sent"] {
        assert!(english.contains(words), "{words}: {english}");
    }
}

/// Issue 18, item 11c: "10:00 CEST" on a January date is refused at its field, with the reason;
/// the zone in force is accepted.
async fn a_typed_zone_that_contradicts_the_date_is_refused_on_the_form(backend: Backend) {
    let app = world(&backend).await;
    app.set_now("2026-01-20T12:00:00Z");
    let token = app.add_user_with_token("robot@gx.example", Role::Reporter, None).await;
    let id = app
        .report(&token, "acme", json!({"title": "Open bucket", "discovered_at": "2026-01-14T08:00:00Z"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/incidents/{id}");
    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let csrf = csrf_of(&text(dpo.get(app.url(&path)).send().await.unwrap()).await);
    let refused = dpo
        .post(app.url(&format!("{path}/events")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("type", "confirm"),
            ("controller_aware_at", "2026-01-15 10:00 CEST"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(refused).await;
    assert!(page.contains("id=\"confirm-controller_aware_at-error\""), "the error sits at the field");
    assert!(page.contains("CEST") && page.contains("Amsterdam heeft dan CET"), "the reason is given");
    let accepted = dpo
        .post(app.url(&format!("{path}/events")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("type", "confirm"),
            ("controller_aware_at", "2026-01-15 10:00 CET"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let incident = crate::support::json(app.get(&format!("/api/v1/incidents/{id}"), &token).await).await;
    assert_eq!(incident["controller_aware_at"], "2026-01-15T09:00:00Z");
}

/// Issue 18 item 3: GX aware three days before the client; once the conservative deadline
/// (processor awareness + 72 h) has passed, the incident page says it expired and the dashboard
/// no longer says "more than 24 hours" while 71 hours of the legal window are left.
async fn after_the_conservative_deadline_pages_speak_of_it_in_the_past_tense(backend: Backend) {
    let app = world(&backend).await;
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    app.set_now("2026-10-22T12:00:00Z");
    let id = app
        .report(
            &token,
            "acme",
            json!({"title": "Processor told us late", "discovered_at": "2026-10-18T12:00:00Z"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.event_ok(
        &token,
        &id,
        json!({"type": "confirm", "processor_aware_at": "2026-10-19T04:00:00Z", "controller_aware_at": "2026-10-22T11:00:00Z"}),
    )
    .await;
    let officer = app.login("officer@gx.example", PASSWORD).await;
    let page = text(officer.get(app.url(&format!("/incidents/{id}"))).send().await.unwrap()).await;
    assert!(page.contains("is de termijn al verstreken op"), "past tense: {page}");
    assert!(!page.contains("verloopt de termijn al op"), "no future tense");
    assert!(page.contains("data-conservative=\"2026-10-22T04:00:00Z\""), "the live band knows it");
    let dashboard = text(officer.get(app.url("/")).send().await.unwrap()).await;
    assert!(
        dashboard.contains("class=\"urgency conservative_passed\">Strikte termijn verstreken"),
        "{dashboard}"
    );
    // (The urgency filter offers every band by name; the row's band is what must not reassure.)
    assert!(
        !dashboard.contains("class=\"urgency more_than_24h\""),
        "not reassuring after the conservative deadline"
    );
}

/// The visible text with every run of white space as one space.
fn plain(html: &str) -> String {
    visible(html).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` with every run of digits replaced by `#`.
fn numbers_as_hash(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Issue 19, dashboard: "Due in 2 h 59 m · Sun 11:00", "1 h overdue" in words (never "−1 h 0 min"),
/// a severity chip, the next action and "AP draft N of M answered", in both languages.
async fn dashboard_rows_say_the_time_left_the_severity_and_the_next_action_in_words(backend: Backend) {
    let app = world(&backend).await;
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    // Reported and confirmed at 2026-10-22 10:00 UTC: the deadline is Sun 25 Oct 10:00 UTC, 11:00 CET.
    let id =
        app.report(&token, "acme", json!({"title": "Open bucket"})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&token, &id, json!({"type": "confirm"})).await;
    app.report(&token, "beta", json!({"title": "Lost USB stick"})).await;

    app.set_now("2026-10-25T07:00:30Z");
    let officer = app.login("officer@gx.example", PASSWORD).await;
    let page = plain(&text(officer.get(app.url("/?lang=en")).send().await.unwrap()).await);
    assert!(page.contains("Due in 2 h 59 m · Sun 11:00"), "{page}");
    assert!(page.contains("not assessed") && page.contains("Assess severity"), "{page}");
    assert!(page.contains("Confirm or dismiss"), "the untriaged report's next action: {page}");
    assert!(page.contains("2 d 21 h ago"), "the report's age: {page}");
    assert!(
        numbers_as_hash(&page).contains("AP draft # of # answered"),
        "the draft's progress with its unit: {page}"
    );
    let dutch = plain(&text(officer.get(app.url("/?lang=nl")).send().await.unwrap()).await);
    assert!(dutch.contains("Nog 2 u 59 m · zo 11:00"), "{dutch}");
    assert!(numbers_as_hash(&dutch).contains("AP-concept: # van # beantwoord"), "{dutch}");

    app.event_ok(&token, &id, json!({
        "type": "assess", "dpc": 3, "ease_of_identification": "maximum", "confidentiality": 1, "integrity": 0,
        "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false,
        "rationale": "Contact data"
    })).await;
    app.set_now("2026-10-25T11:00:10Z");
    let officer = app.login("officer@gx.example", PASSWORD).await;
    let page = plain(&text(officer.get(app.url("/?lang=en")).send().await.unwrap()).await);
    assert!(page.contains("1 h overdue · Sun 11:00"), "{page}");
    assert!(!page.contains('\u{2212}'), "no minus sign: {page}");
    assert!(page.contains("high 3.25") && page.contains("Notify the AP"), "{page}");
    let dutch = plain(&text(officer.get(app.url("/?lang=nl")).send().await.unwrap()).await);
    assert!(dutch.contains("1 u te laat · zo 11:00") && dutch.contains("hoog 3,25"), "{dutch}");
    assert!(dutch.contains("Melden bij de AP"), "{dutch}");
}

/// Issue 19, dashboard: `?client=SLUG&urgency=BAND` filters (a GET form, so a view can be
/// bookmarked); a DPO's filter never shows another client; a value the form does not offer is 400.
async fn the_dashboard_filters_by_client_and_urgency_from_the_query(backend: Backend) {
    let app = world(&backend).await;
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let id = app.report(&token, "acme", json!({"title": "ACME running clock"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.event_ok(&token, &id, json!({"type": "confirm"})).await;
    app.report(&token, "beta", json!({"title": "BETA untriaged"})).await;
    let officer = app.login("officer@gx.example", PASSWORD).await;
    let get = |path: &'static str| {
        let officer = officer.clone();
        let url = app.url(path);
        async move { text(officer.get(url).send().await.unwrap()).await }
    };

    let all = get("/").await;
    assert!(all.contains("ACME running clock") && all.contains("BETA untriaged"));
    assert!(all.contains("<form class=\"filters dash-filters\" method=\"get\" action=\"/\""), "a GET form");

    let beta = get("/?client=beta").await;
    assert!(beta.contains("BETA untriaged") && !beta.contains("ACME running clock"), "{beta}");
    assert!(beta.contains("<option value=\"beta\" selected>"), "the filter is kept in the form");

    let calm = get("/?urgency=more_than_24h").await;
    assert!(calm.contains("ACME running clock") && !calm.contains("BETA untriaged"), "{calm}");
    assert!(calm.contains("<option value=\"more_than_24h\" selected>"));

    let unclocked = get("/?urgency=none").await;
    assert!(unclocked.contains("BETA untriaged") && !unclocked.contains("ACME running clock"));

    let overdue = get("/?urgency=overdue&client=acme").await;
    assert!(!overdue.contains("ACME running clock") && overdue.contains("id=\"no-match\""), "{overdue}");
    let unknown = get("/?client=nobody").await;
    assert!(!unknown.contains("ACME running clock") && unknown.contains("id=\"no-match\""), "{unknown}");
    let bad = officer.get(app.url("/?urgency=soon")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    app.set_now("2026-10-25T11:00:00Z");
    let officer = app.login("officer@gx.example", PASSWORD).await;
    let overdue = text(officer.get(app.url("/?urgency=overdue&client=acme")).send().await.unwrap()).await;
    assert!(overdue.contains("ACME running clock"), "overdue now: {overdue}");

    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let other = text(dpo.get(app.url("/?client=beta")).send().await.unwrap()).await;
    assert!(!other.contains("BETA untriaged") && !other.contains("ACME running clock"), "{other}");
    let own = text(dpo.get(app.url("/?urgency=overdue")).send().await.unwrap()).await;
    assert!(own.contains("ACME running clock"));
    assert!(!own.contains("id=\"filter-client\""), "a DPO has one client: no client filter");
}

/// Issue 19, dashboard: empty sections are left out; an empty dashboard tells a new admin what to
/// do next (a client, its DPO, a test leak), with links, and marks what is done.
async fn an_empty_dashboard_shows_a_new_admin_the_next_steps(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    let admin = app.login("admin@gx.example", PASSWORD).await;
    let page = text(admin.get(app.url("/?lang=en")).send().await.unwrap()).await;
    for link in ["href=\"/admin#clients\"", "href=\"/admin#users\"", "href=\"/report\""] {
        assert!(page.contains(link), "{link}: {page}");
    }
    assert!(plain(&page).contains("Add a client"), "{page}");
    assert!(!page.contains("class=\"done\""), "nothing done yet");
    assert!(
        !page.contains("id=\"running\"") && !page.contains("id=\"untriaged\""),
        "empty sections collapse"
    );

    app.add_client("acme").await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    let page = text(admin.get(app.url("/?lang=en")).send().await.unwrap()).await;
    assert_eq!(page.matches("class=\"done\"").count(), 2, "client and DPO done: {page}");

    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let page = plain(&text(dpo.get(app.url("/?lang=en")).send().await.unwrap()).await);
    assert!(page.contains("There are no incidents for your organisation"), "{page}");
    assert!(!page.contains("Add a client"), "the steps are the admin's");
}

/// The `<li>` of the checklist item `id`.
fn check_item<'p>(page: &'p str, id: &str) -> &'p str {
    let start = page.find(&format!("<li id=\"{id}\"")).unwrap_or_else(|| panic!("{id} on the page"));
    let end = page[start..].find("</li>").map_or(page.len(), |e| start + e);
    &page[start..end]
}

/// Issue 19: one next step chosen by the state and what is missing, the other events under
/// "More actions" with their anchors, the checklist "Ready to notify the AP" with a link to each
/// missing piece, and GX's awareness prefilled with the report's discovery time.
async fn the_incident_page_offers_one_next_step_by_state_and_a_checklist_with_links(backend: Backend) {
    let app = world(&backend).await;
    let robot = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    app.set_now("2026-10-22T12:00:00Z");
    let id = app
        .report(&robot, "acme", json!({"title": "Open bucket", "discovered_at": "2026-10-22T07:30:00Z"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/incidents/{id}");
    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let page_now = || async { text(dpo.get(app.url(&path)).send().await.unwrap()).await };

    let page = page_now().await;
    assert!(page.contains("id=\"primary-action\" data-event=\"confirm\" href=\"#event-confirm\""), "{page}");
    assert!(page.contains("Datalek bevestigen"));
    assert!(page.contains("id=\"secondary-action\" href=\"#event-dismiss\""));
    let more = &page[page.find("id=\"more-actions\"").expect("More actions")..];
    for kind in ["acknowledge", "assess"] {
        assert!(more.contains(&format!("id=\"event-{kind}\"")), "{kind} under More actions");
    }
    assert!(!more.contains("id=\"event-confirm\""), "the next step is not repeated");
    assert!(
        page.contains(
            "id=\"confirm-processor_aware_at\" name=\"processor_aware_at\" value=\"2026-10-22T09:30\""
        ),
        "GX's awareness is the discovery, in Amsterdam time"
    );
    assert!(page.contains("id=\"severity\""), "the severity badge is there before an assessment");
    let assessment = check_item(&page, "check-assessment");
    assert!(
        assessment.contains("class=\"todo\"")
            && assessment.contains(&format!("/incidents/{id}#event-assess"))
    );
    let profile = check_item(&page, "check-profile");
    assert!(
        profile.contains("class=\"todo\"") && profile.contains("/admin/clients/acme/profile"),
        "{profile}"
    );
    let facts = check_item(&page, "check-facts");
    assert!(facts.contains("class=\"todo\"") && facts.contains("#edit-"), "{facts}");
    let subjects = check_item(&page, "check-subjects");
    assert!(subjects.contains("#event-inform_subjects"), "{subjects}");

    app.event_ok(&robot, &id, json!({"type": "confirm"})).await;
    let page = page_now().await;
    assert!(page.contains("href=\"#event-assess\""), "confirmed, not assessed: assess");
    assert!(page.contains("id=\"clock\"") && page.contains("data-urgency=\"more_than_24h\""));

    app.event_ok(&robot, &id, json!({
        "type": "assess", "dpc": 3, "ease_of_identification": "maximum", "confidentiality": 0, "integrity": 0,
        "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false,
        "rationale": "Contact data"
    })).await;
    let page = page_now().await;
    assert!(page.contains("data-event=\"notify_ap\" href=\"#event-notify_ap\""), "assessed: notify the AP");
    assert!(page.contains("id=\"draft-link\""), "the draft beside it");
    assert!(page.contains("hoog (3,00)"), "the severity badge");
    assert!(check_item(&page, "check-assessment").contains("class=\"done\""));

    app.event_ok(&robot, &id, json!({"type": "notify_ap", "ap_reference": "AP-1", "preliminary": false}))
        .await;
    let page = page_now().await;
    assert!(page.contains("data-event=\"inform_subjects\""), "high risk: inform the data subjects");
    assert!(page.contains("id=\"secondary-action\" href=\"#event-subjects_not_required\""));

    app.event_ok(
        &robot,
        &id,
        json!({"type": "subjects_not_required", "ground": "art34_3b", "explanation": "measures taken"}),
    )
    .await;
    let page = page_now().await;
    assert!(page.contains("data-event=\"close\""), "decided: close");
    assert!(check_item(&page, "check-subjects").contains("class=\"done\""));
}

/// Issue 19: the timeline in sentences of the page's language, newest day first under Amsterdam
/// date headings, Message-IDs behind the particulars toggle.
async fn the_timeline_speaks_in_sentences_grouped_by_day_in_both_languages(backend: Backend) {
    let app = world(&backend).await;
    let robot = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    app.set_now("2026-10-22T12:10:00Z");
    let id =
        app.report(&robot, "acme", json!({"title": "Open bucket"})).await["id"].as_str().unwrap().to_string();
    app.tick().await;
    app.drain().await;
    app.set_now("2026-10-23T08:00:00Z");
    app.event_ok(&robot, &id, json!({"type": "confirm"})).await;
    app.event_ok(&robot, &id, json!({
        "type": "assess", "dpc": 3, "ease_of_identification": "maximum", "confidentiality": 1, "integrity": 0,
        "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false,
        "rationale": "Contact data"
    })).await;
    app.tick().await;
    app.drain().await;
    app.set_now("2026-10-24T08:00:00Z");
    app.tick().await;
    app.drain().await;
    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let words_of = |html: String| visible(&html).split_whitespace().collect::<Vec<_>>().join(" ");
    let nl =
        words_of(text(dpo.get(app.url(&format!("/incidents/{id}?lang=nl"))).send().await.unwrap()).await);
    for words in [
        "Mail P0 (vermoedelijk datalek) afgeleverd bij de FG van acme BV, 14:10",
        "Ernst beoordeeld: hoog (3,25) door robot@gx.example, 10:00",
        "Mail A1 (nog 48 uur) afgeleverd bij de FG van acme BV, 10:00",
        "Waarschuwing verstuurd: A0 (datalek bevestigd)",
        "Message-ID",
    ] {
        assert!(nl.contains(words), "{words}: {nl}");
    }
    let timeline = &nl[nl.find("Tijdlijn").expect("the timeline")..];
    let heading =
        |date: &str| timeline.find(&format!("{date} Mail")).unwrap_or_else(|| panic!("{date}: {timeline}"));
    let (day1, day2, day3) =
        (heading("do 22 okt 2026"), heading("vr 23 okt 2026"), heading("za 24 okt 2026"));
    assert!(day3 < day2 && day2 < day1, "newest day first");
    let en =
        words_of(text(dpo.get(app.url(&format!("/incidents/{id}?lang=en"))).send().await.unwrap()).await);
    for words in [
        "Mail A1 (48 hours left) delivered to the DPO of acme BV, 10:00",
        "Severity assessed: high (3.25) by robot@gx.example",
        "Reported by robot@gx.example, 14:10",
        "Sat 24 Oct 2026",
    ] {
        assert!(en.contains(words), "{words}: {en}");
    }
}

/// Every statement that the dashboards and the incident page run (the session, the client, the
/// lists and counts, the mails, the incident with its alerts and timeline) is prepared once per
/// connection: run twice on one connection, the first run puts each statement it runs in the
/// connection's statement cache and the second prepares none.
async fn every_statement_of_the_dashboard_and_the_incident_page_is_prepared_once_per_connection(
    backend: Backend,
) {
    use std::collections::BTreeSet;
    use std::sync::{Arc, Mutex};

    use art33::domain::ids::IncidentId;
    use art33::storage::{DatabaseUrl, directory, incidents, outbox, sessions};
    use diesel::connection::{Connection, Instrumentation, InstrumentationEvent};

    /// The SQL of the statements run, and of those put in the statement cache.
    #[derive(Default)]
    struct Seen {
        run: BTreeSet<String>,
        cached: BTreeSet<String>,
    }
    struct Watch(Arc<Mutex<Seen>>);
    impl Instrumentation for Watch {
        fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
            let mut seen = self.0.lock().unwrap();
            match event {
                InstrumentationEvent::StartQuery { query, .. } => {
                    let text = query.to_string();
                    seen.run.insert(text.split(" -- binds:").next().unwrap().to_string());
                }
                InstrumentationEvent::CacheQuery { sql, .. } => {
                    seen.cached.insert(sql.to_string());
                }
                _ => {}
            }
        }
    }

    let app = world(&backend).await;
    let officer = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let id = app.report(&officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&officer, &id, json!({"type": "confirm"})).await;
    app.tick().await;
    let now = app.now();
    let policy = app.settings.escalation.clone();
    let url = DatabaseUrl::parse(app.settings.database.url.expose()).unwrap();
    let mut conn = url.establish().unwrap();
    let dpo = directory::user_by_email(&mut conn, "dpo@acme.example").unwrap().unwrap();
    let gx = directory::user_by_email(&mut conn, "officer@gx.example").unwrap().unwrap();
    let secrets: Vec<String> =
        [&dpo, &gx].iter().map(|u| sessions::create(&mut conn, &u.id.0, now).unwrap().secret).collect();
    let seen = Arc::new(Mutex::new(Seen::default()));
    conn.set_instrumentation(Watch(seen.clone()));
    let incident = IncidentId(id.clone());
    for round in 0..2 {
        for secret in &secrets {
            let (session, client) = sessions::lookup(&mut conn, secret, now).unwrap().unwrap();
            let principal = session.principal;
            let scope = principal.scope();
            assert_eq!(client.is_some(), principal.client_id.is_some());
            if principal.client_id.is_none() {
                directory::list_clients(&mut conn).unwrap();
            }
            let board = incidents::dashboard::<100>(&mut conn, &scope, now, &policy).unwrap();
            assert_eq!(board.running.len(), 1, "{scope:?}");
            outbox::undelivered_in_scope::<20>(&mut conn, &scope).unwrap();
            let page = art33::app::read::incident_page(&mut conn, &principal, &incident).unwrap();
            assert!(!page.alerts.is_empty() && !page.timeline.is_empty());
        }
        let mut seen = seen.lock().unwrap();
        if round == 0 {
            assert!(seen.run.len() >= 10, "{:?}", seen.run);
            let uncached: Vec<&String> = seen.run.difference(&seen.cached).collect();
            assert!(uncached.is_empty(), "prepared anew on every request: {uncached:#?}");
        } else {
            assert!(seen.cached.is_empty(), "prepared again: {:#?}", seen.cached);
        }
        *seen = Seen::default();
    }
}

/// A dashboard view of the real server sends five statements for a DPO: the session with its
/// client, the running clocks, both lists, the counts, and the mails that did not go out. An
/// officer's adds the list of clients. On PostgreSQL each statement is a round trip, which costs
/// more than what most of them read; a new read on this page should be folded into one of these
/// (or this count raised knowingly).
async fn a_dashboard_view_takes_five_statements_for_a_dpo_and_six_for_an_officer(backend: Backend) {
    // One connection in the pool: the one whose statements are watched serves the page.
    let app = TestApp::spawn_with(&backend, &[("ART33__DATABASE__POOL_SIZE", "1")]).await;
    app.add_client("acme").await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    app.add_user_with_password("officer@gx.example", Role::Officer, None, PASSWORD).await;
    let officer = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let running = app.report(&officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&officer, &running, json!({"type": "confirm"})).await;
    app.report(&officer, "acme", json!({})).await;
    app.tick().await;
    for (email, expected) in [("dpo@acme.example", 5), ("officer@gx.example", 6)] {
        let browser = app.login(email, PASSWORD).await;
        // The first view may refresh the session's idle timer; the second is a plain view.
        let first = text(browser.get(app.url("/")).send().await.unwrap()).await;
        assert!(first.contains("ACME-"), "{email}: the dashboard lists the incidents");
        let (statements, _) = statements_of_a_view(&app, &browser, "/").await;
        assert_eq!(statements.len(), expected, "{email}: {statements:#?}");
    }
}

/// The statements of one `GET {path}` of `browser` (without the pool's `SELECT 1`), on a server
/// whose pool has one connection, and the page.
async fn statements_of_a_view(app: &TestApp, browser: &reqwest::Client, path: &str) -> (Vec<String>, String) {
    let recorder =
        app.db.run(|conn| Ok::<_, art33::storage::StorageError>(Recorder::start(conn))).await.unwrap();
    let response = browser.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let page = text(response).await;
    app.db
        .run(|conn| {
            Recorder::stop(conn);
            Ok::<_, art33::storage::StorageError>(())
        })
        .await
        .unwrap();
    let statements = recorder.statements().into_iter().filter(|s| !s.is_empty() && s != "SELECT 1").collect();
    (statements, page)
}

/// A running clock's row on the dashboard is read without the incident's facts: its severity, next
/// step and draft progress are remembered per incident version. The whole incident is read (one
/// statement more) only on the first view after it changed, and the change shows at once.
async fn a_running_clocks_row_reads_its_whole_incident_once_per_version(backend: Backend) {
    let app = TestApp::spawn_with(&backend, &[("ART33__DATABASE__POOL_SIZE", "1")]).await;
    app.add_client("acme").await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    let officer = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let id = app.report(&officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&officer, &id, json!({"type": "confirm"})).await;
    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    // Names are quoted "so" on PostgreSQL and `so` on SQLite.
    let whole = |statements: &[String]| {
        statements.iter().filter(|s| s.replace('`', "\"").contains("\"incidents\".\"summary\"")).count()
    };

    let (first, page) = statements_of_a_view(&app, &dpo, "/?lang=en").await;
    assert_eq!(whole(&first), 1, "nothing remembered yet: the incident is read whole once: {first:#?}");
    assert!(plain(&page).contains("Assess severity"), "{page}");
    let (second, _) = statements_of_a_view(&app, &dpo, "/?lang=en").await;
    assert_eq!(whole(&second), 0, "remembered: {second:#?}");
    assert_eq!(second.len(), 5, "{second:#?}");

    app.event_ok(&officer, &id, json!({
        "type": "assess", "dpc": 3, "ease_of_identification": "maximum", "confidentiality": 1, "integrity": 0,
        "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false,
        "rationale": "Contact data"
    })).await;
    let (changed, page) = statements_of_a_view(&app, &dpo, "/?lang=en").await;
    assert_eq!(whole(&changed), 1, "a new version is read whole: {changed:#?}");
    let page = plain(&page);
    assert!(page.contains("high 3.25") && page.contains("Notify the AP"), "the change shows at once: {page}");
    let (again, page) = statements_of_a_view(&app, &dpo, "/?lang=en").await;
    assert_eq!(whole(&again), 0, "{again:#?}");
    assert!(plain(&page).contains("high 3.25"), "{page}");
}

/// A running clock's narrow row is remembered under the same key as its whole incident, in each
/// shape a running clock takes (confirmed; notified, withdrawn and reopened, with the AP's
/// notification on record), before and after its deadline: otherwise a row would miss its entry on
/// every view, and the dashboard and the incident page would not share entries.
async fn a_running_clocks_narrow_row_is_remembered_under_its_whole_incidents_key(backend: Backend) {
    use art33::domain::locale::Locale;
    use art33::domain::tenant::TenantScope;
    use art33::storage::incidents;
    use art33::web::drafts::MemoKey;

    let app = world(&backend).await;
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let fresh = app.report(&token, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&token, &fresh, json!({"type": "confirm"})).await;
    let reopened = app.report(&token, "beta", json!({})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&token, &reopened, json!({"type": "confirm"})).await;
    app.event_ok(
        &token,
        &reopened,
        json!({"type": "notify_ap", "ap_reference": "AP-1", "preliminary": false}),
    )
    .await;
    app.set_now("2026-10-22T11:00:00Z");
    app.event_ok(
        &token,
        &reopened,
        json!({"type": "withdraw", "at": "2026-10-22T10:30:00Z", "reason": "test data"}),
    )
    .await;
    app.event_ok(&token, &reopened, json!({"type": "reopen", "reason": "real after all"})).await;

    for now in ["2026-10-22T12:00:00Z", "2026-10-30T12:00:00Z"] {
        let now: chrono::DateTime<chrono::Utc> = now.parse().unwrap();
        let policy = app.settings.escalation.clone();
        let (board, whole) = app
            .db
            .run(move |conn| {
                let board = incidents::dashboard::<100>(conn, &TenantScope::All, now, &policy)?;
                let ids: Vec<String> = board.running.iter().map(|row| row.id.clone()).collect();
                let whole = incidents::load_in_scope(conn, &TenantScope::All, &ids)?;
                Ok::<_, art33::storage::StorageError>((board, whole))
            })
            .await
            .unwrap();
        let mut ids: Vec<&str> = board.running.iter().map(|row| row.id.as_str()).collect();
        ids.sort_unstable();
        let mut expected = vec![fresh.as_str(), reopened.as_str()];
        expected.sort_unstable();
        assert_eq!(ids, expected, "both are running clocks at {now}");
        assert!(whole[&reopened].ap.is_some(), "the reopened one keeps its notification on record");
        for row in &board.running {
            for locale in [Locale::En, Locale::Nl] {
                assert_eq!(
                    MemoKey::of_row(&app.settings, row, 7, locale, now),
                    Some(MemoKey::of(&app.settings, &whole[&row.id], 7, locale, now)),
                    "{} at {now}",
                    row.reference
                );
            }
        }
    }
}
