//! The dashboard in a real headless browser: a reporter reports a leak from a phone-sized window;
//! the DPO sees it, confirms it, and watches the countdown tick.

use std::time::Duration;

use art33::domain::tenant::Role;
use fantoccini::Locator;

use crate::support::browser::{Browser, axe_source};
use crate::support::{Backend, TestApp};

const PASSWORD: &str = "correct horse battery staple";

async fn log_in(browser: &Browser, app: &TestApp, email: &str) {
    let c = &browser.client;
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Css("#email")).await.unwrap().send_keys(email).await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("header.top .who")).await.unwrap();
}

async fn text_of(browser: &Browser, css: &str) -> String {
    browser.client.find(Locator::Css(css)).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leak_reported_from_a_phone_reaches_the_dpo_with_a_live_countdown() {
    let app = TestApp::spawn(&Backend::Sqlite).await;
    app.add_client("acme").await;
    app.add_user_with_password("staff@gx.example", Role::Reporter, None, PASSWORD).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;

    // A reporter on a phone.
    let Some(phone) = Browser::start(390, 844).await else { return };
    log_in(&phone, &app, "staff@gx.example").await;
    let c = &phone.client;
    c.goto(&app.url("/report")).await.unwrap();
    c.find(Locator::Css("#client option[value=acme]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#title")).await.unwrap().send_keys("Laptop stolen from a car").await.unwrap();
    c.find(Locator::Css("#summary"))
        .await
        .unwrap()
        .send_keys("A consultant's laptop was stolen at a petrol station.")
        .await
        .unwrap();
    c.find(Locator::Css("input[name=data_categories][value=name_address]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("input[name=people][value='101-1000']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("input[name=ongoing][value=no]")).await.unwrap().click().await.unwrap();
    phone.screenshot("report-form").await;
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#reference")).await.unwrap();
    assert_eq!(text_of(&phone, "#reference").await, "ACME-2026-0001");
    phone.close().await;

    // The DPO on a desktop.
    let Some(desk) = Browser::start(1280, 900).await else { return };
    log_in(&desk, &app, "dpo@acme.example").await;
    let c = &desk.client;
    assert!(
        text_of(&desk, "#main").await.contains("Laptop stolen from a car"),
        "the report is on the dashboard"
    );
    c.find(Locator::LinkText("ACME-2026-0001")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#event-confirm")).await.unwrap();
    // The next step is confirming, its form already open below the cockpit.
    c.find(Locator::Css("#primary-action")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#event-confirm button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#clock")).await.unwrap();
    assert_eq!(text_of(&desk, "#state").await, "bevestigd datalek, termijn loopt");
    assert!(
        text_of(&desk, "#deadline").await.contains("zo 25 okt 2026 11:00 CET"),
        "deadline 72 h after the confirmation"
    );
    desk.screenshot("incident").await;

    c.goto(&app.url("/")).await.unwrap();
    c.wait().for_element(Locator::Css("tr.clock-row .countdown")).await.unwrap();
    // The server's clock says 72 h are left: "Nog 3 d" as rendered, and the live countdown, once a
    // second has passed on the server's clock, "Nog 2 d 23 u", in the same words. This machine's
    // clock is a month later and would show the deadline long gone.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let live = text_of(&desk, "tr.clock-row .countdown").await;
    assert_eq!(live, "Nog 2 d 23 u", "from the server's clock, in the server's words");
    assert_eq!(text_of(&desk, "tr.clock-row .urgency").await, "Meer dan 24 uur");
    desk.screenshot("dashboard").await;
    desk.close().await;
}

/// Issue 19's acceptance: on the incident page a DPO sees within the first screen at 1366×900 the
/// state, the severity, the countdown, the one next step and what the AP still needs; on a phone
/// (390×844) nothing scrolls sideways. Screenshots of both sizes in both languages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_incident_cockpit_fits_the_first_screen_and_a_phone() {
    use serde_json::json;
    let app = TestApp::spawn(&Backend::Sqlite).await;
    app.add_client("acme").await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    let robot =
        app.add_user_with_token("robot-with-a-rather-long-address@gx.example", Role::Officer, None).await;
    app.set_now("2026-10-22T12:10:00Z");
    let id = app
        .report(&robot, "acme", json!({"title": "Customer export mailed to the wrong address"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.tick().await;
    app.drain().await;
    app.set_now("2026-10-22T14:00:00Z");
    app.event_ok(&robot, &id, json!({"type": "confirm"})).await;
    app.event_ok(&robot, &id, json!({
        "type": "assess", "dpc": 3, "ease_of_identification": "maximum", "confidentiality": 1, "integrity": 0,
        "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false,
        "rationale": "Contact data of about 40 customers"
    }))
    .await;
    app.tick().await;
    app.drain().await;
    let path = format!("/incidents/{id}");

    let Some(desk) = Browser::start(1366, 900).await else { return };
    log_in(&desk, &app, "dpo@acme.example").await;
    for lang in ["nl", "en"] {
        desk.client.goto(&app.url(&format!("{path}?lang={lang}"))).await.unwrap();
        desk.client.wait().for_element(Locator::Css("#checklist")).await.unwrap();
        let bottoms = desk
            .client
            .execute(
                "return ['#heading', '#state', '#severity', '#countdown', '#primary-action', '#checklist']
                   .map(function (css) { return [css, document.querySelector(css).getBoundingClientRect().bottom]; });",
                vec![],
            )
            .await
            .unwrap();
        for pair in bottoms.as_array().unwrap() {
            let bottom = pair[1].as_f64().unwrap();
            assert!(
                bottom > 0.0 && bottom <= 900.0,
                "{lang}: {} ends at {bottom}, below the first screen",
                pair[0]
            );
        }
        assert_eq!(
            text_of(&desk, "#primary-action").await,
            if lang == "nl" { "Melding bij de AP vastleggen" } else { "Record AP notification" }
        );
        desk.screenshot(&format!("incident-1366x900-{lang}")).await;
    }
    // The checklist's links open the closed form they lead to: the facts form, and the data
    // subjects' form under "More actions".
    for (item, form) in
        [("#check-facts a", "form[action$='/edit']"), ("#check-subjects a", "#event-inform_subjects")]
    {
        desk.client.find(Locator::Css(item)).await.unwrap().click().await.unwrap();
        let open = desk
            .client
            .execute(
                "var el = document.querySelector(arguments[0]); var d = el.closest('details');
                 return d !== null && d.open && el.getBoundingClientRect().height > 0;",
                vec![serde_json::Value::String(form.to_string())],
            )
            .await
            .unwrap();
        assert_eq!(open, serde_json::Value::Bool(true), "{item} opens {form}");
    }
    desk.close().await;

    let Some(phone) = Browser::start(390, 844).await else { return };
    log_in(&phone, &app, "dpo@acme.example").await;
    for lang in ["nl", "en"] {
        phone.client.goto(&app.url(&format!("{path}?lang={lang}"))).await.unwrap();
        phone.client.wait().for_element(Locator::Css("#checklist")).await.unwrap();
        // Every particulars toggle open: the Message-IDs and addresses must wrap too.
        phone
            .client
            .execute(
                "document.querySelectorAll('details').forEach(function (d) { d.open = true; }); return null;",
                vec![],
            )
            .await
            .unwrap();
        let width =
            phone.client.execute("return document.documentElement.scrollWidth;", vec![]).await.unwrap();
        assert!(width.as_f64().unwrap() <= 390.0, "{lang}: the page is {width} px wide on a 390 px phone");
        phone.screenshot(&format!("incident-390x844-{lang}")).await;
    }
    phone.close().await;
}

/// Issue 19: axe-core finds no WCAG 2.1 A or AA violation on any page, at 390×844 and 1366×900,
/// in Dutch and in English: login, the dashboard empty and with incidents, the report form and its
/// error state, the receipt, the incident page in five states, the AP draft, the register, the
/// administration, a client's profile, the acknowledgement page (also for a malformed link), an
/// error page and logout. No page scrolls sideways (`scrollWidth` within the window). A screenshot
/// of each
/// lands in `target/screenshots/axe-WIDTH-LANG-PAGE.png`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_at_both_sizes_in_both_languages() {
    let Some(axe) = axe_source() else { return };
    let empty = TestApp::spawn(&Backend::Sqlite).await;
    empty.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    // Single sign-on only (its provider need not answer for these pages): the login page with
    // the single sign-on button alone, the break-glass form, and a refused single sign-on.
    let sso_only = TestApp::spawn_with(
        &Backend::Sqlite,
        &[
            ("ART33__AUTH__PASSWORD_LOGIN", "false"),
            ("ART33__AUTH__OIDC__ISSUER_URL", "http://127.0.0.1:9"),
            ("ART33__AUTH__OIDC__CLIENT_ID", "art33"),
            ("ART33__AUTH__OIDC__CLIENT_SECRET", "a secret"),
            ("ART33__AUTH__OIDC__REDIRECT_URL", "http://127.0.0.1:1/login/oidc/callback"),
        ],
    )
    .await;
    let app = TestApp::spawn(&Backend::Sqlite).await;
    let acme = app.add_client("acme").await;
    app.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    let staff = app.add_user_with_token("staff@gx.example", Role::Reporter, None).await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let report = |title: &'static str| {
        let (app, staff) = (&app, &staff);
        async move {
            app.report(staff, "acme", serde_json::json!({"title": title})).await["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let reported = report("Mail to the wrong customer").await;
    let confirmed = report("Laptop stolen from a car").await;
    let assessed = report("Open storage bucket").await;
    let notified = report("Ransomware on the file server").await;
    let dismissed = report("Printer jam").await;
    app.event_ok(&officer, &dismissed, serde_json::json!({"type": "dismiss", "reason": "No personal data"}))
        .await;
    let assess = serde_json::json!({
        "type": "assess", "dpc": 3, "ease_of_identification": "maximum", "confidentiality": 1, "integrity": 0,
        "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false,
        "rationale": "Contact data"
    });
    for id in [&confirmed, &assessed, &notified] {
        app.event_ok(&officer, id, serde_json::json!({"type": "confirm"})).await;
    }
    for id in [&assessed, &notified] {
        app.event_ok(&officer, id, assess.clone()).await;
    }
    app.event_ok(
        &officer,
        &notified,
        serde_json::json!({"type": "notify_ap", "ap_reference": "AP-2026-1", "preliminary": false}),
    )
    .await;
    // A count changed since the notification: the draft supplement lists it in its table of changes.
    let patched = app
        .patch_json(
            &format!("/api/v1/incidents/{notified}"),
            &officer,
            &serde_json::json!({"subjects_max": 480}),
        )
        .await;
    assert_eq!(patched.status(), reqwest::StatusCode::OK);
    app.tick().await;
    app.drain().await;
    // A link as the DPO's mail carries it.
    let ack = {
        let key = app.settings.server.secret_key.expose().to_vec();
        let (incident, client, dpo, now) =
            (confirmed.clone(), acme.id.0.clone(), acme.dpo_email.clone(), app.now());
        app.db
            .run(move |conn| {
                let (pending, token) = art33::storage::ack::prepare(&key, &incident, &client, &dpo, now);
                art33::storage::ack::store(conn, &[pending]).map(|()| token)
            })
            .await
            .unwrap()
    };
    // A password-reset link as the mail carries it (only its digest is stored).
    let reset = {
        let now = app.now();
        app.db
            .run(move |conn| {
                let user =
                    art33::storage::directory::user_by_email(conn, "officer@gx.example")?.expect("officer");
                let secret = "axe-reset-link-secret";
                let digest = art33::auth::token_digest(secret);
                art33::storage::password_resets::replace(
                    conn,
                    &user.id,
                    &digest,
                    now,
                    now + chrono::Duration::hours(1),
                )
                .map(|()| secret.to_string())
            })
            .await
            .unwrap()
    };
    // An alert channel, so that the channels page shows its table.
    {
        let now = app.now();
        app.db
            .run(move |conn| {
                let owner = art33::app::channels::Owner::Client("acme".into());
                art33::app::channels::add(
                    conn,
                    None,
                    "test",
                    &owner,
                    "slack",
                    "https://hooks.example/T/B/abcd",
                    now,
                )
            })
            .await
            .unwrap();
    }
    let pages: Vec<(&str, String)> = vec![
        ("dashboard", "/".into()),
        ("dashboard-filtered", "/?urgency=none".into()),
        ("report", "/report".into()),
        ("receipt", format!("/report/received/{reported}")),
        ("incident-reported", format!("/incidents/{reported}")),
        ("incident-confirmed", format!("/incidents/{confirmed}")),
        ("incident-assessed", format!("/incidents/{assessed}")),
        ("incident-notified", format!("/incidents/{notified}")),
        ("incident-dismissed", format!("/incidents/{dismissed}")),
        ("ap-draft", format!("/incidents/{assessed}/ap-report")),
        ("ap-draft-supplement", format!("/incidents/{notified}/ap-report")),
        ("register", "/register".into()),
        ("admin", "/admin".into()),
        ("client-profile", "/admin/clients/acme/profile".into()),
        ("admin-channels", "/admin/channels".into()),
        ("profile", "/profile".into()),
        ("ack", format!("/ack/{ack}")),
        ("ack-malformed", "/ack/not-a-token".into()),
        ("reset", format!("/reset/{reset}")),
        ("reset-unknown", "/reset/not-a-link".into()),
        ("not-found", "/no/such/page".into()),
    ];

    let mut failures = Vec::new();
    for (width, height) in [(390, 844), (1366, 900)] {
        let Some(browser) = Browser::start(width, height).await else { return };
        // The harness finds what it should: an image without a text alternative.
        browser.client.goto(&empty.url("/login")).await.unwrap();
        browser
            .client
            .execute(
                "const i = document.createElement('img'); i.src = '/x.png'; document.body.appendChild(i);",
                vec![],
            )
            .await
            .unwrap();
        let planted = browser.axe_violations(&axe).await;
        assert!(planted.iter().any(|v| v.starts_with("image-alt (")), "axe-core runs: {planted:?}");
        let c = &browser.client;
        let mut check = async |name: &str| {
            let lang = c.execute("return document.documentElement.lang", vec![]).await.unwrap();
            let lang = lang.as_str().unwrap_or("?").to_string();
            browser.screenshot(&format!("axe-{width}-{lang}-{name}")).await;
            let scroll = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
            if scroll.as_u64().unwrap_or(0) > u64::from(width) {
                failures.push(format!("{name} at {width}×{height} ({lang}): scrolls sideways ({scroll} px)"));
            }
            for violation in browser.axe_violations(&axe).await {
                failures.push(format!("{name} at {width}×{height} ({lang}): {violation}"));
            }
        };
        for lang in ["nl", "en"] {
            c.goto(&sso_only.url(&format!("/login?lang={lang}"))).await.unwrap();
            check("login-sso").await;
            c.goto(&sso_only.url("/login?break_glass=1")).await.unwrap();
            check("login-break-glass").await;
            c.goto(&sso_only.url("/login/oidc/callback?state=x&code=y")).await.unwrap();
            check("login-sso-refused").await;
            c.goto(&empty.url(&format!("/login?lang={lang}"))).await.unwrap();
            check("login").await;
            log_in(&browser, &empty, "admin@gx.example").await;
            c.goto(&empty.url(&format!("/?lang={lang}"))).await.unwrap();
            check("dashboard-empty").await;

            log_in(&browser, &app, "admin@gx.example").await;
            c.goto(&app.url(&format!("/?lang={lang}"))).await.unwrap();
            for (name, path) in &pages {
                c.goto(&app.url(path)).await.unwrap();
                check(name).await;
            }
            // The table of changes labels its cells by their headings, but for the question's
            // column, whose heading ("#") is marked to label nothing.
            c.goto(&app.url(&format!("/incidents/{notified}/ap-report"))).await.unwrap();
            let labels = c
                .execute(
                    "const t = document.getElementById('changes').closest('section').querySelector('table'); \
                     return [Array.from(t.tHead.rows[0].cells).map(h => h.textContent.trim()), \
                             Array.from(t.tBodies[0].rows[0].cells).map(c => c.getAttribute('data-label'))];",
                    vec![],
                )
                .await
                .unwrap();
            let (headings, labels): (Vec<String>, Vec<Option<String>>) =
                serde_json::from_value(labels).unwrap();
            assert_eq!(labels, [None, Some(headings[1].clone()), Some(headings[2].clone())], "{lang}");
            // The report form sent empty (past the browser's own checks): the error state.
            c.goto(&app.url("/report")).await.unwrap();
            c.execute(
                "const f = document.querySelector('form.stack'); f.noValidate = true; f.submit();",
                vec![],
            )
            .await
            .unwrap();
            c.wait().for_element(Locator::Css("#error-summary")).await.unwrap();
            check("report-errors").await;
            c.goto(&app.url("/logout")).await.unwrap();
            check("logout").await;
            c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
            c.wait().for_element(Locator::Css("#email")).await.unwrap();
        }
        browser.close().await;
    }
    assert!(failures.is_empty(), "axe-core found {} violations:\n{}", failures.len(), failures.join("\n"));
}

/// Issue 19, dashboard: an overdue clock reads "1 h overdue" in words, as rendered and as the live
/// countdown keeps writing it; the urgency filter is a GET form whose address can be bookmarked; on
/// a phone nothing scrolls sideways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_speaks_in_words_filters_by_address_and_fits_a_phone() {
    let app = TestApp::spawn(&Backend::Sqlite).await;
    app.add_client("acme").await;
    app.add_user_with_password("officer@gx.example", Role::Officer, None, PASSWORD).await;
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let overdue = app.report(&token, "acme", serde_json::json!({"title": "Open bucket"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.event_ok(&token, &overdue, serde_json::json!({"type": "confirm"})).await;
    app.report(&token, "acme", serde_json::json!({"title": "Lost USB stick"})).await;
    // 72 h and 1 h 0 min 10 s after the confirmation.
    app.set_now("2026-10-25T11:00:10Z");

    let Some(phone) = Browser::start(390, 844).await else { return };
    log_in(&phone, &app, "officer@gx.example").await;
    let c = &phone.client;
    c.goto(&app.url("/?lang=en")).await.unwrap();
    c.wait().for_element(Locator::Css("tr.clock-row .countdown")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(text_of(&phone, "tr.clock-row .countdown").await, "1 h overdue", "the live countdown's words");
    assert_eq!(text_of(&phone, "tr.clock-row .urgency").await, "Deadline passed");
    // Each stacked cell shows its column's heading: the server sends the headings once, app.js
    // gives them to the cells, and app.css shows them before each cell.
    let labels = c
        .execute(
            "const cells = document.querySelectorAll('tr.clock-row')[0].cells; \
             return Array.from(cells).map(c => [c.getAttribute('data-label'), getComputedStyle(c, '::before').content]);",
            vec![],
        )
        .await
        .unwrap();
    let labels: Vec<(Option<String>, String)> = serde_json::from_value(labels).unwrap();
    let headings = [
        "Reference",
        "AP deadline",
        "Incident",
        "Severity",
        "Next action",
        "Draft AP notification",
        "DPO receipt",
    ];
    assert_eq!(labels.iter().map(|(label, _)| label.as_deref()).collect::<Vec<_>>(), headings.map(Some));
    assert!(
        labels.iter().all(|(_, before)| before != "none" && !before.is_empty()),
        "shown before each cell: {labels:?}"
    );
    let width = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(width.as_u64().unwrap() <= 390, "no sideways scrolling on a phone: {width}");
    phone.screenshot("dashboard-phone-overdue").await;

    c.find(Locator::Css("details.dash-filter-box summary")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#filter-urgency option[value=overdue]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("form.dash-filters button[type=submit]")).await.unwrap().click().await.unwrap();
    // The box is open on the page before the submit too: wait for the filtered page's address
    // (a timeout here means the form did not lead to a bookmarkable address).
    let mut filtered = c.current_url().await.unwrap();
    filtered.set_query(Some("client=&urgency=overdue"));
    c.wait().for_url(&filtered).await.expect("a bookmarkable address");
    c.wait().for_element(Locator::Css("details.dash-filter-box[open]")).await.unwrap();
    let main = text_of(&phone, "#main").await;
    assert!(main.contains("Open bucket") && !main.contains("Lost USB stick"), "{main}");
    phone.screenshot("dashboard-phone-filtered").await;
    phone.close().await;
}

/// An empty report on a phone comes back with the error summary focused (the GOV.UK pattern: the
/// title says "Fout:", the summary names the fields by their labels), and the checkboxes and radios
/// are tap targets of at least 44 px without horizontal scrolling.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_report_moves_focus_to_the_error_summary() {
    let app = TestApp::spawn(&Backend::Sqlite).await;
    app.add_client("acme").await;
    app.add_user_with_password("staff@gx.example", Role::Reporter, None, PASSWORD).await;
    let Some(phone) = Browser::start(390, 844).await else { return };
    log_in(&phone, &app, "staff@gx.example").await;
    let c = &phone.client;
    c.goto(&app.url("/report")).await.unwrap();
    let smallest = c
        .execute(
            "return Math.min(...Array.from(document.querySelectorAll('.checks label, .radios label')).map(l => l.getBoundingClientRect().height));",
            vec![],
        )
        .await
        .unwrap();
    assert!(smallest.as_f64().unwrap() >= 44.0, "tap targets of 44 px: {smallest}");
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#error-summary")).await.unwrap();
    let focused = c.execute("return document.activeElement.id;", vec![]).await.unwrap();
    assert_eq!(focused, "error-summary", "focus is on the summary");
    // The page speaks the browser's language (the headless browser may ask for English).
    let lang = c.execute("return document.documentElement.lang;", vec![]).await.unwrap();
    let (prefix, label) =
        if lang == "nl" { ("Fout: ", "Korte omschrijving") } else { ("Error: ", "Short description") };
    let title = c.title().await.unwrap();
    assert!(title.starts_with(prefix), "{title}");
    assert!(text_of(&phone, "#error-summary").await.contains(label));
    let width = c.execute("return document.documentElement.scrollWidth;", vec![]).await.unwrap();
    assert!(width.as_f64().unwrap() <= 390.0, "no horizontal scroll: {width}");
    phone.screenshot("report-errors-phone").await;
    phone.close().await;

    // The admin page with every edit form open fits a phone too.
    app.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    let Some(admin) = Browser::start(390, 844).await else { return };
    log_in(&admin, &app, "admin@gx.example").await;
    let c = &admin.client;
    c.goto(&app.url("/admin")).await.unwrap();
    c.execute("document.querySelectorAll('details').forEach(d => d.open = true);", vec![]).await.unwrap();
    let width = c.execute("return document.documentElement.scrollWidth;", vec![]).await.unwrap();
    admin.screenshot("admin-phone").await;
    assert!(width.as_f64().unwrap() <= 390.0, "no horizontal scroll on the admin page: {width}");
    admin.close().await;
}

/// Issue 21: a user of the OpenID provider clicks "single sign-on", logs in at the provider's own
/// page and lands on the dashboard with the role the groups claim gives (officer).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_logs_in_through_the_openid_provider_and_lands_on_the_dashboard() {
    let Some(sso) = crate::support::oidc::SsoApp::spawn(
        &Backend::Sqlite,
        &[("ART33__AUTH__OIDC__CREATE_USERS", "true")],
        None,
    )
    .await
    else {
        return;
    };
    let Some(browser) = Browser::start(1366, 900).await else { return };
    let c = &browser.client;
    c.goto(&sso.app.url("/login?lang=en")).await.unwrap();
    c.find(Locator::Css("#sso")).await.unwrap().click().await.unwrap();
    // The provider's login page.
    let login = c.wait().for_element(Locator::Css("input[name=login]")).await.unwrap();
    assert!(c.current_url().await.unwrap().as_str().starts_with(&sso.provider.issuer));
    login.send_keys("olivia").await.unwrap();
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys("any password").await.unwrap();
    c.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("header.top .who")).await.unwrap();
    browser.screenshot("sso-dashboard").await;
    assert_eq!(c.current_url().await.unwrap().as_str(), sso.app.url("/"));
    let who = text_of(&browser, "header.top .who").await;
    assert!(who.contains("olivia@example.test"), "{who}");
    let olivia = sso
        .app
        .db
        .run(|conn| art33::storage::directory::user_by_email(conn, "olivia@example.test"))
        .await
        .unwrap()
        .expect("made at the first login");
    assert_eq!(olivia.role, Role::Officer);
    browser.close().await;
}
