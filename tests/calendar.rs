//! The personal deadline calendar (#21): a feed URL made on `/profile`, parsed back as iCalendar and
//! checked against the running clocks; only the incidents the user may see, no free text; a new
//! link stops the old one, a stopped link is 404. Both backends.

use std::str::FromStr;

use art33::domain::tenant::Role;
use icalendar::{Calendar, CalendarComponent, Component};
use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_backends;
use crate::support::{Backend, TestApp, csrf_of};

const PASSWORD: &str = "correct horse battery staple";

on_both_backends!(a_dpos_calendar_holds_one_entry_per_running_clock_of_their_client);

/// The feed's path in the profile page that made it.
fn feed_path(page: &str) -> String {
    let at = page.find("/calendar/").unwrap_or_else(|| panic!("no feed link in {page}"));
    let end = at + page[at..].find(".ics").expect(".ics") + ".ics".len();
    page[at..end].to_string()
}

/// (uid, start, summary, number of alarms) of every event in the feed at `path`, by start.
async fn events(app: &TestApp, path: &str) -> Vec<(String, chrono::DateTime<chrono::Utc>, String, usize)> {
    let response = app.http.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let text = response.text().await.unwrap();
    assert!(!text.contains("SECRET-FREE-TEXT"), "no free text in a feed: {text}");
    let calendar = Calendar::from_str(&text).unwrap_or_else(|e| panic!("not iCalendar ({e}): {text}"));
    let mut out: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .map(|e| {
            let start = match e.get_start().expect("DTSTART") {
                icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(dt)) => dt,
                other => panic!("a date without time: {other:?}"),
            };
            let alarms = e.components().iter().filter(|c| c.component_kind() == "VALARM").count();
            (e.get_uid().unwrap().to_string(), start, e.get_summary().unwrap().to_string(), alarms)
        })
        .collect();
    out.sort_by_key(|e| e.1);
    out
}

async fn a_dpos_calendar_holds_one_entry_per_running_clock_of_their_client(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    app.add_client("beta").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    app.add_user_with_password("officer2@gx.example", Role::Officer, None, PASSWORD).await;
    let secret = json!({"summary": "SECRET-FREE-TEXT", "title": "SECRET-FREE-TEXT title"});
    let report = |client: &'static str| {
        let (app, officer, secret) = (&app, &officer, secret.clone());
        async move { app.report(officer, client, secret).await["id"].as_str().unwrap().to_string() }
    };
    let confirm = |id: String, processor: &'static str, controller: &'static str| {
        let (app, officer) = (&app, &officer);
        async move {
            let event = json!({"type": "confirm", "processor_aware_at": processor,
                "controller_aware_at": controller, "justification": "j"});
            app.event_ok(officer, &id, event).await
        }
    };
    let running = report("acme").await;
    let running = confirm(running, "2026-10-21T10:00:00Z", "2026-10-21T10:00:00Z").await;
    // GX knew two days before it told the client: the conservative deadline comes first.
    let late_processor = report("acme").await;
    let late_processor = confirm(late_processor, "2026-10-19T08:00:00Z", "2026-10-21T09:00:00Z").await;
    let _untriaged = report("acme").await;
    let other_client = report("beta").await;
    let other_client = confirm(other_client, "2026-10-21T10:00:00Z", "2026-10-21T10:00:00Z").await;

    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let profile = dpo.get(app.url("/profile")).send().await.unwrap().text().await.unwrap();
    assert!(profile.contains("nog geen agendalink"), "{profile}");
    let csrf = csrf_of(&profile);
    let forged = dpo.post(app.url("/profile/calendar")).form(&[("csrf", "forged")]).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let made = dpo.post(app.url("/profile/calendar")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(made.status(), StatusCode::OK);
    let feed = feed_path(&made.text().await.unwrap());

    // Acme's two running clocks: the legal deadlines, and the earlier conservative one of the
    // incident GX found two days before telling the client. Neither beta's nor the untriaged one.
    let found = events(&app, &feed).await;
    let deadline = |incident: &serde_json::Value, key: &str| {
        incident[key].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap()
    };
    let expected = vec![
        (late_processor["id"].as_str().unwrap(), deadline(&late_processor, "conservative_deadline_at"), 1),
        (late_processor["id"].as_str().unwrap(), deadline(&late_processor, "deadline_at"), 5),
        (running["id"].as_str().unwrap(), deadline(&running, "deadline_at"), 5),
    ];
    assert_eq!(found.len(), expected.len(), "{found:?}");
    for ((uid, start, summary, alarms), (id, at, n)) in found.iter().zip(&expected) {
        assert!(uid.starts_with(id), "{uid} is about {id}");
        assert_eq!((start, alarms), (at, n), "{summary}");
        assert!(summary.contains("ACME-2026-"), "{summary}");
    }
    assert!(found.iter().all(|(uid, ..)| !uid.starts_with(other_client["id"].as_str().unwrap())));

    // An officer sees every client's clocks.
    let officer_browser = app.login("officer2@gx.example", PASSWORD).await;
    let csrf2 =
        csrf_of(&officer_browser.get(app.url("/profile")).send().await.unwrap().text().await.unwrap());
    let made = officer_browser
        .post(app.url("/profile/calendar"))
        .form(&[("csrf", csrf2.as_str())])
        .send()
        .await
        .unwrap();
    let officer_feed = feed_path(&made.text().await.unwrap());
    assert_eq!(events(&app, &officer_feed).await.len(), 4);

    // A clock that stops leaves the calendar.
    app.event_ok(
        &officer,
        running["id"].as_str().unwrap(),
        json!({"type": "notify_ap", "ap_reference": "AP-1", "preliminary": false}),
    )
    .await;
    let found = events(&app, &feed).await;
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(uid, ..)| uid.starts_with(late_processor["id"].as_str().unwrap())));

    // A new link stops the old one; a stopped link is 404.
    let page = dpo.get(app.url("/profile")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("U hebt een agendalink"), "{page}");
    let renewed =
        dpo.post(app.url("/profile/calendar")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    let new_feed = feed_path(&renewed.text().await.unwrap());
    assert_ne!(new_feed, feed);
    assert_eq!(app.http.get(app.url(&feed)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(events(&app, &new_feed).await.len(), 2);
    let stopped =
        dpo.post(app.url("/profile/calendar/stop")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(stopped.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.http.get(app.url(&new_feed)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.http.get(app.url("/calendar/not-a-feed.ics")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}
