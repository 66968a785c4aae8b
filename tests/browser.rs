//! The dashboard in a real headless browser: a reporter reports a leak from a phone-sized window;
//! the DPO sees it, confirms it, and watches the countdown tick.

use std::time::Duration;

use art33::domain::tenant::Role;
use fantoccini::Locator;

use crate::support::browser::Browser;
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
    let first = text_of(&desk, "tr.clock-row .countdown").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = text_of(&desk, "tr.clock-row .countdown").await;
    assert_ne!(first, second, "the countdown ticks");
    // The server's clock says 72 h are left; this machine's clock is a month later and would
    // show the deadline long gone.
    assert!(
        first == "3 d 0 u 0 min 0 s" || first.starts_with("2 d 23 u 59 min"),
        "from the server's clock: {first}"
    );
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
