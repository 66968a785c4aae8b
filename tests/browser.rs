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
    c.find(Locator::Css("#event-confirm summary")).await.unwrap().click().await.unwrap();
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
