//! The scheduler and the outbox over real SMTP (an SMTP server in the test process on a random
//! port): every alert on time, exactly once, nothing lost. Time is driven with the manual clock;
//! no test sleeps to wait for a deadline.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use art33::domain::tenant::Role;
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_backends;
use crate::support::smtp::{Behaviour, SmtpServer};
use crate::support::{Backend, TestApp, json};

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

struct World {
    app: TestApp,
    smtp: SmtpServer,
    officer: String,
    staff: String,
}

async fn world(backend: &Backend) -> World {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_with_smtp(backend, &smtp).await;
    app.add_client("acme").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let staff = app.add_user_with_token("staff@gx.example", Role::Reporter, None).await;
    World { app, smtp, officer, staff }
}

/// A world whose legal window is `window_hours`.
async fn world_with_window(backend: &Backend, window_hours: &str) -> World {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_with(
        backend,
        &crate::support::with_metrics_token(&[
            ("ART33__MAIL__TRANSPORT", "smtp"),
            ("ART33__MAIL__SMTP_URL", url.as_str()),
            ("ART33__MAIL__TIMEOUT_SECONDS", "2"),
            ("ART33__ESCALATION__MANAGEMENT_EMAILS", "board@gx.example"),
            ("ART33__ESCALATION__WINDOW_HOURS", window_hours),
        ]),
    )
    .await;
    app.add_client("acme").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let staff = app.add_user_with_token("staff@gx.example", Role::Reporter, None).await;
    World { app, smtp, officer, staff }
}

impl World {
    /// A report at `reported_at`, confirmed at `controller` (GX aware at `processor`) and
    /// acknowledged by the DPO half an hour later; returns the incident id.
    async fn breach(&self, reported_at: &str, processor: &str, controller: &str) -> String {
        let app = &self.app;
        app.set_now(reported_at);
        let id = app.report(&self.staff, "acme", json!({"discovered_at": reported_at})).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        app.run_until(t(controller).max(t(reported_at))).await;
        app.event_ok(
            &self.officer,
            &id,
            json!({"type": "confirm", "processor_aware_at": processor, "controller_aware_at": controller}),
        )
        .await;
        app.tick().await;
        app.run_until(app.now() + chrono::Duration::minutes(30)).await;
        app.event_ok(&self.officer, &id, json!({"type": "acknowledge"})).await;
        id
    }

    async fn statuses(&self, id: &str) -> BTreeMap<String, String> {
        self.app.alert_statuses(&self.officer, id).await
    }

    async fn event_at(&self, id: &str, at: &str, body: serde_json::Value) {
        self.app.run_until(t(at)).await;
        self.app.event_ok(&self.officer, id, body).await;
        self.app.tick().await;
    }
}

fn expect(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

on_both_backends!(
    a_reported_leak_reaches_the_dpo_officers_and_reporter,
    catch_up_mails_a0_and_a4_and_supersedes_a1_to_a3,
    a_catch_up_tick_mails_each_alert_in_the_incident_s_current_state,
    scenario_s01_not_notifiable_suppresses_the_milestones,
    scenario_s02_christmas_fires_a0_to_a4_with_a4_exactly_at_now,
    scenario_s04_dst_fires_a0_to_a4_with_three_and_a_half_hours_left,
    scenario_s07_a2_fires_exactly_at_its_instant,
    scenario_s09_decision_before_a1_suppresses_it,
    scenario_s13_late_notification_after_all_of_a0_to_a5,
    scenario_s15_preliminary_notification_then_withdrawal,
    a5_repeats_every_24_hours_while_overdue,
    unacknowledged_a0_escalates_with_u0_and_acknowledge_cancels_it,
    a_restarted_process_mails_nothing_twice,
    smtp_down_then_up_loses_nothing,
    a_crash_between_send_and_mark_duplicates_at_most_once_with_the_same_message_id,
    permanent_refusals_and_hanging_servers_are_failed_or_retried_and_surfaced,
    acknowledgement_links_work_once_expire_and_are_bound,
    two_instances_ticking_every_100_ms_mail_every_alert_exactly_once,
    one_tick_fires_many_incidents_of_two_clients_each_to_its_own_dpo,
    set_statuses_moves_only_planned_alerts,
    a_96_hour_window_fires_no_a5_before_96_hours_and_a_processor_delay_fires_c0,
);

async fn a_reported_leak_reaches_the_dpo_officers_and_reporter(backend: Backend) {
    let w = world(&backend).await;
    let id = w.app.report(&w.staff, "acme", json!({"title": "Laptop stolen from a car"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let report = w.app.tick().await;
    assert_eq!(report.sent, 1, "P0 fires at once");
    let drained = w.app.drain().await;
    assert_eq!(drained.sent, 3);
    let mails = w.smtp.wait_for(3, Duration::from_secs(10)).await;
    let to: BTreeSet<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    assert_eq!(to, ["dpo@acme.example", "officer@gx.example", "staff@gx.example"].map(String::from).into());
    let dpo = mails.iter().find(|m| m.to == ["dpo@acme.example"]).unwrap();
    assert_eq!(dpo.subject(), "[ACME-2026-0001] Vermoedelijk datalek gemeld");
    assert!(dpo.text_body().contains("een medewerker van GX"), "the DPO sees the reporter's role, not name");
    assert!(!dpo.text_body().contains("staff@gx.example"));
    assert!(dpo.text_body().contains(&format!("/incidents/{id}")));
    let receipt = mails.iter().find(|m| m.to == ["staff@gx.example"]).unwrap();
    assert_eq!(receipt.subject(), "[ACME-2026-0001] Uw melding is ontvangen");
    assert!(receipt.html_body().unwrap().contains("Stuur nooit persoonsgegevens door"));

    // Nothing more until P1 is due; nothing twice.
    assert_eq!(w.app.tick().await.sent, 0);
    assert_eq!(w.app.drain().await.sent, 0);
    let alerts = w.app.alerts(&w.officer, &id).await;
    let p0 = alerts.iter().find(|a| a["code"] == "P0").unwrap();
    assert_eq!(p0["status"], "sent");
    assert_eq!(p0["recipients"], json!(["officer@gx.example", "dpo@acme.example"]));
    for delivery in p0["deliveries"].as_array().unwrap() {
        assert_eq!(delivery["status"], "sent");
        assert_eq!(delivery["attempts"], 1);
        assert!(delivery["message_id"].as_str().unwrap().starts_with('<'));
        for key in ["to", "status", "attempts", "message_id", "sent_at"] {
            assert!(delivery.get(key).is_some(), "delivery lacks {key}");
        }
    }
    let ids: BTreeSet<String> = mails.iter().map(|m| m.message_id().unwrap()).collect();
    assert_eq!(ids.len(), 3, "one Message-ID per mail");

    let p1 = alerts.iter().find(|a| a["code"] == "P1").unwrap();
    assert_eq!(p1["status"], "planned");
    assert_eq!(p1["due_at"], "2026-10-23T10:00:00Z");
    w.app.run_until(t("2026-10-23T10:00:00Z")).await;
    w.app.drain().await;
    let p1_mails = w.smtp.wait_for(5, Duration::from_secs(10)).await;
    assert!(p1_mails.iter().any(|m| m.subject() == "[ACME-2026-0001] Na 24 uur nog niet beoordeeld"));

    let timeline = json(w.app.get(&format!("/api/v1/incidents/{id}/timeline"), &w.officer).await).await;
    let items = timeline["items"].as_array().unwrap();
    let sent = items.iter().find(|e| e["type"] == "alert.sent").unwrap();
    assert_eq!(sent["detail"]["code"], "P0");
    assert_eq!(sent["detail"]["deliveries"].as_array().unwrap().len(), 3);
    assert!(items.iter().filter(|e| e["type"] == "mail.sent").count() >= 3, "every mail on the timeline");
}

async fn catch_up_mails_a0_and_a4_and_supersedes_a1_to_a3(backend: Backend) {
    let w = world(&backend).await;
    w.app.set_now("2026-10-25T10:30:00Z");
    let id = w.app.report(&w.officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    w.app
        .event_ok(&w.officer, &id, json!({"type": "confirm", "controller_aware_at": "2026-10-22T12:30:00Z"}))
        .await;
    let report = w.app.tick().await;
    assert_eq!((report.sent, report.superseded), (3, 3), "P0, A0 and A4 mailed; A1–A3 superseded");
    let statuses = w.statuses(&id).await;
    assert_eq!(
        statuses,
        expect(&[
            ("P0", "sent"),
            ("P1", "suppressed"),
            ("A0", "sent"),
            ("A1", "superseded"),
            ("A2", "superseded"),
            ("A3", "superseded"),
            ("A4", "sent"),
            ("A5", "planned"),
            ("U0", "planned"),
        ])
    );
    w.app.drain().await;
    let mails = w.smtp.wait_for(9, Duration::from_secs(10)).await;
    let subjects: BTreeMap<String, usize> = mails.iter().fold(BTreeMap::new(), |mut m, mail| {
        *m.entry(mail.subject()).or_default() += 1;
        m
    });
    assert_eq!(
        subjects.get("[ACME-2026-0001] Datalek bevestigd — meld bij de AP vóór zo 25 okt 13:30 CET"),
        Some(&3)
    );
    assert_eq!(
        subjects.get("[ACME-2026-0001] Nog 2 uur om bij de AP te melden"),
        Some(&4),
        "A4 also to management, with the real time left (2 h), not the milestone's 4 h"
    );
    let a4_to_dpo = mails
        .iter()
        .find(|m| m.to == ["dpo@acme.example"] && m.subject().contains("Nog 2 uur"))
        .expect("A4 to the DPO");
    let body = a4_to_dpo.text_body();
    assert!(body.contains("zo 25 okt 2026 13:30 CET (UTC+01:00) = 2026-10-25 12:30 UTC"), "{body}");
    assert!(body.contains("Resterende tijd: 2 u 0 min"), "{body}");
    assert!(body.contains("/ack/"), "the DPO's copy carries the acknowledgement link");
    let to_contact = mails
        .iter()
        .find(|m| m.to == ["security@acme.example"] && m.subject().contains("Nog 2 uur"))
        .unwrap();
    assert!(!to_contact.text_body().contains("/ack/"), "only the DPO gets the link");
    assert!(body.contains("5.1 Aard van de inbreuk"), "what the AP draft misses: {body}");
}

/// Issue 19: a report confirmed before its first tick, GX aware 80 hours and the client 75 hours
/// ago. One tick fires P0, A0, C0 and A5 together; every mail speaks of the incident as it is at
/// that tick: the P0 says the report has since been confirmed, not that triage is under way or
/// that the period starts when the controller becomes aware; every copy to the DPO opens with the
/// acknowledgement link; the officers' copies speak of the client.
async fn a_catch_up_tick_mails_each_alert_in_the_incident_s_current_state(backend: Backend) {
    let w = world(&backend).await;
    w.app.set_now("2026-10-25T10:30:00Z");
    let id = w.app.report(&w.staff, "acme", json!({"discovered_at": "2026-10-22T02:30:00Z"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    w.app
        .event_ok(
            &w.officer,
            &id,
            json!({"type": "confirm", "processor_aware_at": "2026-10-22T02:30:00Z", "controller_aware_at": "2026-10-22T07:30:00Z"}),
        )
        .await;
    let report = w.app.tick().await;
    let statuses = w.statuses(&id).await;
    for (code, status) in
        [("P0", "sent"), ("A0", "sent"), ("C0", "sent"), ("A5", "sent"), ("A4", "superseded")]
    {
        assert_eq!(statuses.get(code).map(String::as_str), Some(status), "{code}: {statuses:?}");
    }
    assert_eq!(report.sent, 4, "P0, A0, C0 and A5 in one tick: {statuses:?}");
    let drained = w.app.drain().await;
    let mails = w.smtp.wait_for(drained.sent, Duration::from_secs(10)).await;
    let to_dpo: Vec<_> = mails.iter().filter(|m| m.to == ["dpo@acme.example"]).collect();
    assert_eq!(to_dpo.len(), 4, "P0, A0, C0 and A5 to the DPO");
    let p0 = to_dpo.iter().find(|m| m.subject().contains("Vermoedelijk datalek gemeld")).expect("P0");
    for part in [p0.text_body(), p0.html_body().unwrap()] {
        for stale in ["beoordelen het nu", "begint wanneer", "Dit bericht kan dat moment zijn"] {
            assert!(!part.contains(stale), "the P0 of a confirmed breach says {stale:?}:\n{part}");
        }
        assert!(part.contains("inmiddels bevestigd als datalek"), "{part}");
        assert!(part.contains("Termijn verstreken sinds"), "the P0 carries the current clock: {part}");
    }
    for mail in &to_dpo {
        let body = mail.text_body();
        assert!(body.contains("zo 25 okt 2026 08:30 CET"), "one deadline in every mail: {body}");
        assert!(!body.contains("loopt nog niet"), "{body}");
        if mail.subject().contains("gemeld") {
            continue;
        }
        assert!(body.starts_with("Ontvangst bevestigen (één klik): http"), "the link comes first: {body}");
        let html = mail.html_body().unwrap();
        let first = &html[html.find("<a href=\"").expect("a link") + 9..];
        let first = &first[..first.find('"').unwrap()];
        assert!(first.contains("/ack/"), "the acknowledgement button is the first link: {html}");
    }
    let officer: Vec<_> = mails.iter().filter(|m| m.to == ["officer@gx.example"]).collect();
    assert!(!officer.is_empty());
    for mail in officer {
        let body = mail.text_body();
        assert!(!body.contains("/ack/"), "only the DPO gets the link");
        for dpo_words in ["uw organisatie", "Beoordeel het nu"] {
            assert!(
                !body.contains(dpo_words),
                "{}: {dpo_words:?} in an officer's copy:\n{body}",
                mail.subject()
            );
        }
    }
    let a0 = mails
        .iter()
        .find(|m| m.to == ["officer@gx.example"] && m.subject().contains("Datalek bevestigd"))
        .expect("A0 to the officer");
    assert!(a0.text_body().contains("de klant is als verwerkingsverantwoordelijke de melder, via zijn FG"));
}

async fn scenario_s01_not_notifiable_suppresses_the_milestones(backend: Backend) {
    let w = world(&backend).await;
    let id = w.breach("2026-06-02T07:15:00Z", "2026-06-02T07:15:00Z", "2026-06-02T09:00:00Z").await;
    w.event_at(&id, "2026-06-03T08:00:00Z", json!({"type": "decide_not_notifiable", "justification": "ciphertext only, key intact, no exfiltration"})).await;
    w.app.run_until(t("2026-06-04T12:00:00Z")).await;
    let expected = expect(&[
        ("P0", "sent"),
        ("P1", "suppressed"),
        ("A0", "sent"),
        ("U0", "suppressed"),
        ("A1", "suppressed"),
        ("A2", "suppressed"),
        ("A3", "suppressed"),
        ("A4", "suppressed"),
        ("A5", "suppressed"),
        ("C0", "suppressed"),
    ]);
    assert_eq!(w.statuses(&id).await, expected);
}

async fn scenario_s02_christmas_fires_a0_to_a4_with_a4_exactly_at_now(backend: Backend) {
    let w = world(&backend).await;
    let id = w.breach("2026-12-24T15:10:00Z", "2026-12-24T15:10:00Z", "2026-12-24T16:00:00Z").await;
    w.app.run_until(t("2026-12-27T12:00:00Z")).await;
    let alerts = w.app.alerts(&w.officer, &id).await;
    let due = |code: &str| {
        alerts.iter().find(|a| a["code"] == code).unwrap()["due_at"].as_str().unwrap().to_string()
    };
    assert_eq!(due("A1"), "2026-12-25T16:00:00Z");
    assert_eq!(due("A2"), "2026-12-26T16:00:00Z");
    assert_eq!(due("A3"), "2026-12-27T04:00:00Z");
    assert_eq!(due("A4"), "2026-12-27T12:00:00Z");
    assert_eq!(
        w.statuses(&id).await,
        expect(&[
            ("P0", "sent"),
            ("P1", "suppressed"),
            ("A0", "sent"),
            ("U0", "suppressed"),
            ("A1", "sent"),
            ("A2", "sent"),
            ("A3", "sent"),
            ("A4", "sent"),
            ("A5", "planned"),
            ("C0", "planned"),
        ])
    );
    let incident = json(w.app.get(&format!("/api/v1/incidents/{id}"), &w.officer).await).await;
    assert_eq!(incident["deadline_at"], "2026-12-27T16:00:00Z");
    assert_eq!(incident["remaining_seconds"], 4 * 3600);
}

async fn scenario_s04_dst_fires_a0_to_a4_with_three_and_a_half_hours_left(backend: Backend) {
    let w = world(&backend).await;
    let id = w.breach("2026-10-22T11:40:00Z", "2026-10-22T11:40:00Z", "2026-10-22T12:30:00Z").await;
    w.app.run_until(t("2026-10-25T09:00:00Z")).await;
    let alerts = w.app.alerts(&w.officer, &id).await;
    let a3 = alerts.iter().find(|a| a["code"] == "A3").unwrap();
    assert_eq!(a3["due_at"], "2026-10-25T00:30:00Z", "the first of the two 02:30s");
    assert_eq!(a3["fired_at"], "2026-10-25T00:30:00Z");
    assert_eq!(w.statuses(&id).await["A4"], "sent");
    assert_eq!(w.statuses(&id).await["A5"], "planned");
    let incident = json(w.app.get(&format!("/api/v1/incidents/{id}"), &w.officer).await).await;
    assert_eq!(incident["deadline_at"], "2026-10-25T12:30:00Z");
    assert_eq!(incident["remaining_seconds"], 3 * 3600 + 1800);
    w.app.drain().await;
    let mails = w.smtp.received();
    let a3_mail =
        mails.iter().find(|m| m.subject().contains("Nog 12 uur") && m.to == ["dpo@acme.example"]).unwrap();
    assert!(a3_mail.text_body().contains("zo 25 okt 2026 13:30 CET"), "{}", a3_mail.text_body());
}

async fn scenario_s07_a2_fires_exactly_at_its_instant(backend: Backend) {
    let w = world(&backend).await;
    let id = w.breach("2026-09-07T05:30:00Z", "2026-09-07T05:30:00Z", "2026-09-07T06:00:00Z").await;
    w.app.run_until(t("2026-09-09T06:00:00Z")).await;
    let statuses = w.statuses(&id).await;
    for (code, status) in [
        ("A0", "sent"),
        ("A1", "sent"),
        ("A2", "sent"),
        ("A3", "planned"),
        ("A4", "planned"),
        ("A5", "planned"),
    ] {
        assert_eq!(statuses[code], status, "{code}");
    }
}

async fn scenario_s09_decision_before_a1_suppresses_it(backend: Backend) {
    let w = world(&backend).await;
    let id = w.breach("2026-04-14T12:05:00Z", "2026-04-14T12:05:00Z", "2026-04-14T12:10:00Z").await;
    w.event_at(
        &id,
        "2026-04-14T15:00:00Z",
        json!({"type": "decide_not_notifiable", "justification": "trusted recipient confirmed deletion"}),
    )
    .await;
    w.app.run_until(t("2026-04-15T12:00:00Z")).await;
    let statuses = w.statuses(&id).await;
    assert_eq!(statuses["A0"], "sent");
    for code in ["A1", "A2", "A3", "A4", "A5"] {
        assert_eq!(statuses[code], "suppressed", "{code}");
    }
}

async fn scenario_s13_late_notification_after_all_of_a0_to_a5(backend: Backend) {
    let w = world(&backend).await;
    let id = w.breach("2026-06-15T06:20:00Z", "2026-06-15T06:20:00Z", "2026-06-15T07:00:00Z").await;
    w.app.run_until(t("2026-06-18T15:00:00Z")).await;
    let statuses = w.statuses(&id).await;
    for code in ["A0", "A1", "A2", "A3", "A4", "A5"] {
        assert_eq!(statuses[code], "sent", "{code}");
    }
    assert_eq!(statuses["A5#1"], "planned");
    w.app.drain().await;
    let a5 = w
        .smtp
        .received()
        .into_iter()
        .find(|m| m.subject().contains("Termijn AP bereikt"))
        .expect("A5 mailed");
    // At the deadline itself a notification is still on time: "reached", no reasons for delay yet.
    assert_eq!(a5.subject(), "[ACME-2026-0001] Termijn AP bereikt — meld nu");
    assert!(!a5.text_body().contains("4.5"), "{}", a5.text_body());
    let refused = w
        .app
        .event(&w.officer, &id, json!({"type": "notify_ap", "ap_reference": "AP-13", "preliminary": false}))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    w.app.event_ok(&w.officer, &id, json!({"type": "notify_ap", "ap_reference": "AP-13", "preliminary": false, "delay_reason": "scope established late"})).await;
    assert_eq!(w.statuses(&id).await["A5#1"], "suppressed");
}

async fn scenario_s15_preliminary_notification_then_withdrawal(backend: Backend) {
    let w = world(&backend).await;
    let id = w.breach("2026-11-02T20:30:00Z", "2026-11-02T20:30:00Z", "2026-11-02T21:00:00Z").await;
    w.event_at(
        &id,
        "2026-11-03T17:00:00Z",
        json!({"type": "notify_ap", "ap_reference": "AP-15", "preliminary": true}),
    )
    .await;
    assert_eq!(w.statuses(&id).await["S1"], "planned", "a supplement reminder after 14 days");
    w.event_at(
        &id,
        "2026-11-09T15:00:00Z",
        json!({"type": "withdraw", "reason": "synthetic test data only"}),
    )
    .await;
    w.app.run_until(t("2026-11-10T09:00:00Z")).await;
    let statuses = w.statuses(&id).await;
    assert_eq!(statuses["A0"], "sent");
    for code in ["A1", "A2", "A3", "A4", "A5", "S1"] {
        assert_eq!(statuses[code], "suppressed", "{code}");
    }
    let incident = json(w.app.get(&format!("/api/v1/incidents/{id}"), &w.officer).await).await;
    assert_eq!(incident["state"], "ap_withdrawn");
    assert_eq!(incident["withdraw_reason"], "synthetic test data only");
}

async fn a5_repeats_every_24_hours_while_overdue(backend: Backend) {
    let w = world(&backend).await;
    let id = w.breach("2026-06-15T06:00:00Z", "2026-06-15T06:00:00Z", "2026-06-15T07:00:00Z").await;
    w.app.run_until(t("2026-06-20T08:00:00Z")).await;
    let statuses = w.statuses(&id).await;
    assert_eq!(statuses["A5"], "sent");
    assert_eq!(statuses["A5#1"], "sent");
    assert_eq!(statuses["A5#2"], "sent");
    assert_eq!(statuses["A5#3"], "planned");
    let alerts = w.app.alerts(&w.officer, &id).await;
    let r3 = alerts.iter().find(|a| a["code"] == "A5" && a["repeat_no"] == 3).unwrap();
    assert_eq!(r3["due_at"], "2026-06-21T07:00:00Z");
}

async fn unacknowledged_a0_escalates_with_u0_and_acknowledge_cancels_it(backend: Backend) {
    let w = world(&backend).await;
    w.app.set_now("2026-10-22T12:00:00Z");
    let first = w.app.report(&w.officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    let second = w.app.report(&w.officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    for id in [&first, &second] {
        w.app.event_ok(&w.officer, id, json!({"type": "confirm"})).await;
    }
    w.app.tick().await;
    w.app.run_until(t("2026-10-22T13:00:00Z")).await;
    w.app.event_ok(&w.officer, &second, json!({"type": "acknowledge"})).await;
    w.app.run_until(t("2026-10-22T14:30:00Z")).await;
    assert_eq!(w.statuses(&first).await["U0"], "sent");
    assert_eq!(w.statuses(&second).await["U0"], "suppressed");
    w.app.drain().await;
    assert!(
        w.smtp
            .received()
            .iter()
            .any(|m| m.subject() == "[ACME-2026-0001] Nog niet bevestigd — termijn zo 25 okt 13:00 CET")
    );
}

async fn a_restarted_process_mails_nothing_twice(backend: Backend) {
    let w = world(&backend).await;
    w.app.set_now("2026-10-25T10:30:00Z");
    let id = w.app.report(&w.officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    w.app
        .event_ok(&w.officer, &id, json!({"type": "confirm", "controller_aware_at": "2026-10-22T12:30:00Z"}))
        .await;
    let first = w.app.runner();
    first.run_once().await;
    let mails = w.smtp.wait_for(9, Duration::from_secs(10)).await.len();
    assert_eq!(mails, 9);
    drop(first);
    let restarted = w.app.runner();
    restarted.run_once().await;
    restarted.run_once().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(w.smtp.received().len(), mails, "the second process sent nothing again");
}

async fn smtp_down_then_up_loses_nothing(backend: Backend) {
    let w = world(&backend).await;
    let port = w.smtp.port();
    let World { app, smtp, officer, .. } = w;
    smtp.stop().await;
    let id = app.report(&officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    app.tick().await;
    let down = app.drain().await;
    assert_eq!((down.sent, down.retried, down.failed), (0, 2, 0));
    // Ten minutes of outage: every retry fails, with growing delays.
    for _ in 0..4 {
        app.clock.advance(chrono::Duration::minutes(2));
        let again = app.drain().await;
        assert_eq!(again.sent, 0);
    }
    let alerts = app.alerts(&officer, &id).await;
    let deliveries =
        alerts.iter().find(|a| a["code"] == "P0").unwrap()["deliveries"].as_array().unwrap().clone();
    assert!(
        deliveries.iter().all(|d| d["status"] == "pending" && d["attempts"].as_i64().unwrap() >= 2),
        "{deliveries:?}"
    );
    let smtp = SmtpServer::start_on(port).await.expect("the port is free again");
    app.clock.advance(chrono::Duration::hours(2));
    let up = app.drain().await;
    assert_eq!(up.sent, 2);
    let mails = smtp.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 2, "each mail delivered once");
    app.clock.advance(chrono::Duration::hours(2));
    assert_eq!(app.drain().await.sent, 0);
    assert_eq!(smtp.received().len(), 2);
}

async fn a_crash_between_send_and_mark_duplicates_at_most_once_with_the_same_message_id(backend: Backend) {
    let w = world(&backend).await;
    w.app.report(&w.officer, "acme", json!({})).await;
    w.app.tick().await;
    // A worker claims the mails, sends them, and dies before marking them sent.
    let now = w.app.now();
    let claimed = w
        .app
        .db
        .run(move |conn| {
            art33::storage::outbox::claim(conn, "doomed", now, chrono::Duration::seconds(60), 10, &[])
        })
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    let transport = art33::notify::transport::Transport::from_settings(&w.app.settings.mail).unwrap();
    for mail in &claimed {
        let outgoing = art33::notify::transport::Outgoing {
            to: mail.to.clone(),
            subject: mail.subject.clone(),
            text: mail.body_text.clone(),
            html: mail.body_html.clone(),
            message_id: mail.message_id.clone(),
        };
        transport.send(&w.app.settings.mail.from, &outgoing).await.unwrap();
    }
    // While the lease holds, nobody else sends them.
    assert_eq!(w.app.drain_as("survivor").await.sent, 0);
    w.app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(w.app.drain_as("survivor").await.sent, 2);
    let mails = w.smtp.wait_for(4, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 4);
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    for mail in &mails {
        *by_id.entry(mail.message_id().unwrap()).or_default() += 1;
    }
    assert_eq!(by_id.len(), 2, "the duplicates carry the same Message-ID");
    assert!(by_id.values().all(|n| *n == 2));
    w.app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(w.app.drain_as("survivor").await.sent, 0, "at most one duplicate");
}

async fn permanent_refusals_and_hanging_servers_are_failed_or_retried_and_surfaced(backend: Backend) {
    let w = world(&backend).await;
    w.smtp.set_behaviour(Behaviour::RejectRecipient(550, "dpo@acme.example"));
    let id = w.app.report(&w.officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    w.app.tick().await;
    let refused = w.app.drain().await;
    assert_eq!(
        (refused.sent, refused.retried, refused.failed),
        (1, 1, 0),
        "a mail's first 5xx is tried again"
    );
    w.app.clock.advance(chrono::Duration::minutes(2));
    let refused = w.app.drain().await;
    assert_eq!(refused.failed, 1, "a second 5xx for one recipient, others accepted: the recipient's, final");
    let alerts = w.app.alerts(&w.officer, &id).await;
    let deliveries =
        alerts.iter().find(|a| a["code"] == "P0").unwrap()["deliveries"].as_array().unwrap().clone();
    let dpo = deliveries.iter().find(|d| d["to"] == "dpo@acme.example").unwrap();
    assert_eq!(dpo["status"], "failed");
    assert!(dpo["last_error"].as_str().unwrap().contains("550"), "{dpo}");
    let (_, metrics) = w.app.scrape().await;
    assert!(metrics.contains("art33_outbox_mails{status=\"failed\"} 1"), "{metrics}");

    w.smtp.set_behaviour(Behaviour::TempFail(451));
    w.app.report(&w.officer, "acme", json!({})).await;
    w.app.tick().await;
    let deferred = w.app.drain().await;
    assert_eq!((deferred.retried, deferred.failed), (2, 0), "4xx is retried");

    w.smtp.set_behaviour(Behaviour::HangAfterData);
    w.app.clock.advance(chrono::Duration::minutes(5));
    let started = std::time::Instant::now();
    let hung = w.app.drain().await;
    assert_eq!(hung.retried, 2, "a hanging server times out and is retried");
    assert!(started.elapsed() < Duration::from_secs(20));

    w.smtp.set_behaviour(Behaviour::Accept);
    w.app.clock.advance(chrono::Duration::minutes(10));
    assert_eq!(w.app.drain().await.sent, 2);
}

async fn acknowledgement_links_work_once_expire_and_are_bound(backend: Backend) {
    let w = world(&backend).await;
    w.app.add_client("beta").await;
    w.app.set_now("2026-10-22T12:00:00Z");
    let id = w.app.report(&w.officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    let other = w.app.report(&w.officer, "beta", json!({})).await["id"].as_str().unwrap().to_string();
    for incident in [&id, &other] {
        w.app.event_ok(&w.officer, incident, json!({"type": "confirm"})).await;
    }
    w.app.tick().await;
    w.app.drain().await;
    let mails = w.smtp.wait_for(10, Duration::from_secs(10)).await;
    let link_of = |dpo: &str| {
        let mail = mails
            .iter()
            .find(|m| m.to == [dpo] && m.subject().contains("Datalek bevestigd"))
            .expect("A0 to the DPO");
        let body = mail.text_body();
        let ack = body.find("/ack/").expect("an acknowledgement link");
        let start = body[..ack].rfind("http").unwrap();
        body[start..].split_whitespace().next().unwrap().to_string()
    };
    let link = link_of("dpo@acme.example");
    let path = &link[link.find("/ack/").unwrap()..];
    let beta_link = link_of("dpo@beta.example");
    let beta_path = &beta_link[beta_link.find("/ack/").unwrap()..];

    let page = w.app.http.get(w.app.url(path)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("ontvangen door de FG (dpo@acme.example)"), "{html}");
    assert!(html.contains("<form method=\"post\""));

    // A link re-signed for another incident is refused.
    let (token_id, signature) = path.trim_start_matches("/ack/").split_once('.').unwrap();
    let (beta_id, _) = beta_path.trim_start_matches("/ack/").split_once('.').unwrap();
    let forged = format!("/ack/{beta_id}.{signature}");
    assert_eq!(w.app.http.post(w.app.url(&forged)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let tampered = format!("/ack/{token_id}.{}", "A".repeat(signature.len()));
    assert_eq!(w.app.http.get(w.app.url(&tampered)).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    w.app.set_now("2026-10-22T12:30:00Z");
    let done = w.app.http.post(w.app.url(path)).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    let incident = json(w.app.get(&format!("/api/v1/incidents/{id}"), &w.officer).await).await;
    assert_eq!(incident["acknowledged_at"], "2026-10-22T12:30:00Z");
    assert_eq!(w.statuses(&id).await["U0"], "suppressed", "acknowledge cancels U0");
    let timeline = json(w.app.get(&format!("/api/v1/incidents/{id}/timeline"), &w.officer).await).await;
    let ack =
        timeline["items"].as_array().unwrap().iter().find(|e| e["type"] == "acknowledge").unwrap().clone();
    assert_eq!(ack["actor"], "dpo@acme.example");
    assert_eq!(ack["detail"]["via"], "link");

    let again = w.app.http.post(w.app.url(path)).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::GONE, "single use");

    // Seven days later the other client's link has expired.
    w.app.set_now("2026-10-29T12:00:01Z");
    assert_eq!(w.app.http.post(w.app.url(beta_path)).send().await.unwrap().status(), StatusCode::GONE);
    let beta = json(w.app.get(&format!("/api/v1/incidents/{other}"), &w.officer).await).await;
    assert_eq!(beta["acknowledged_at"], serde_json::Value::Null);
}

async fn two_instances_ticking_every_100_ms_mail_every_alert_exactly_once(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_with_smtp(&backend, &smtp).await;
    app.add_client("acme").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    app.set_now("2026-10-25T10:30:00Z");
    let mut ids = Vec::new();
    for _ in 0..200 {
        let id = app.report(&officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
        app.event_ok(
            &officer,
            &id,
            json!({"type": "confirm", "controller_aware_at": "2026-10-22T12:30:00Z"}),
        )
        .await;
        ids.push(id);
    }
    // P0 (officer, DPO), A0 and A4 (DPO, contacts, officer, + management for A4) per incident.
    let expected_mails = 200 * (2 + 3 + 4);
    let instances = [app.runner(), app.runner()];
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tasks = Vec::new();
    for runner in instances {
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                runner.run_once().await;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }));
    }
    let received = smtp.wait_for(expected_mails, Duration::from_secs(240)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in tasks {
        task.await.unwrap();
    }
    let received = if received.len() < smtp.received().len() { smtp.received() } else { received };
    assert_eq!(received.len(), expected_mails, "every alert mailed, none twice");
    let ids_seen: BTreeSet<String> = received.iter().map(|m| m.message_id().unwrap()).collect();
    assert_eq!(ids_seen.len(), expected_mails, "no Message-ID twice");
    for id in ids.iter().take(5) {
        let statuses = app.alert_statuses(&officer, id).await;
        assert_eq!(statuses["A0"], "sent");
        assert_eq!(statuses["A4"], "sent");
        assert_eq!(statuses["A1"], "superseded");
    }
}

on_both_backends!(healthz_reports_a_stuck_scheduler_or_outbox);
on_both_backends!(a_relay_refusing_everyone_is_retried_not_failed);
on_both_backends!(a_worker_that_finds_its_lease_taken_says_so);

/// A worker whose lease expired while it was sending (here: the clock moved on by a minute during a
/// slow send) finds the row taken when it marks it: it does not overwrite the other worker's lease,
/// and it counts the loss instead of ignoring it.
async fn a_worker_that_finds_its_lease_taken_says_so(backend: Backend) {
    use art33::notify::delivery::{Deliverer, DeliveryStats};
    let w = world(&backend).await;
    let officer = w.officer.clone();
    w.app.report(&officer, "acme", json!({})).await;
    w.app.tick().await;
    // One mail only, so that both workers want the same row.
    w.app
        .db
        .run(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query("DELETE FROM outbox WHERE to_addr <> 'dpo@acme.example'").execute(conn)?;
            Ok::<_, art33::storage::StorageError>(())
        })
        .await
        .unwrap();
    w.smtp.set_behaviour(Behaviour::Slow(Duration::from_millis(1500)));
    let worker = |name: &str| {
        let transport = art33::notify::transport::Transport::from_settings(&w.app.settings.mail).unwrap();
        Deliverer::new(
            w.app.db.clone(),
            transport,
            w.app.settings.mail.clone(),
            name,
            std::sync::Arc::new(w.app.clock.clone()),
        )
    };
    let (slow, quick) = (worker("slow"), worker("quick"));
    let (slow_stats, quick_stats) = (DeliveryStats::default(), DeliveryStats::default());
    let slow_run = slow.drain_all(&slow_stats);
    let takeover = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        // The slow worker's first lease (2 × 2 s + 10 s) has run out by the clock.
        w.app.clock.advance(chrono::Duration::minutes(1));
        quick.drain_all(&quick_stats).await.unwrap()
    };
    let (slow_report, quick_report) = tokio::join!(slow_run, takeover);
    let slow_report = slow_report.unwrap();
    let reports = format!("{slow_report:?} {quick_report:?}, {} received", w.smtp.received().len());
    assert_eq!(slow_stats.lease_lost(), 1, "the slow worker counted the row it lost: {reports}");
    assert_eq!(quick_stats.lease_lost(), 0);
    assert_eq!((slow_report.sent, quick_report.sent), (1, 1), "the row was sent by both: {reports}");
    assert_eq!(w.smtp.received().len(), 2);
}

/// A relay that answers 550 to every recipient (a relay-wide refusal, not five bad addresses) is
/// retried like a temporary failure: nothing is failed, and everything arrives once it accepts again.
async fn a_relay_refusing_everyone_is_retried_not_failed(backend: Backend) {
    let w = world(&backend).await;
    w.smtp.set_behaviour(Behaviour::PermFail(550));
    let id = w.app.report(&w.officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    w.app.event_ok(&w.officer, &id, json!({"type": "confirm"})).await;
    w.app.tick().await;
    // P0 to officer and DPO, A0 to DPO, contact and officer: five mails, three recipients.
    let first = w.app.drain().await;
    assert_eq!((first.retried, first.failed), (5, 0));
    for round in 0..3 {
        w.app.clock.advance(chrono::Duration::minutes(10));
        let again = w.app.drain().await;
        assert_eq!((again.retried, again.failed), (5, 0), "round {round}: the relay's refusal, retried");
    }
    w.smtp.set_behaviour(Behaviour::Accept);
    w.app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(w.app.drain().await.sent, 5);
    assert_eq!(w.smtp.wait_for(5, Duration::from_secs(10)).await.len(), 5);
}

async fn healthz_reports_a_stuck_scheduler_or_outbox(backend: Backend) {
    let w = world(&backend).await;
    let health = || async { w.app.http.get(w.app.url("/healthz")).send().await.unwrap() };
    // A confirmation backdated by days plans alerts already long due: they wait only from their
    // planning, not from their due instant.
    let backdated = w.app.report(&w.officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    w.app
        .event_ok(
            &w.officer,
            &backdated,
            json!({"type": "confirm", "controller_aware_at": "2026-10-19T10:00:00Z"}),
        )
        .await;
    assert_eq!(health().await.status(), StatusCode::OK, "a backdated confirmation is not a stuck scheduler");
    w.app.tick().await;
    w.app.drain().await;
    w.app.report(&w.officer, "acme", json!({})).await;
    assert_eq!(health().await.status(), StatusCode::OK, "a fresh due alert is not yet stuck");
    w.app.clock.advance(chrono::Duration::minutes(10));
    let stuck = health().await;
    assert_eq!(stuck.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(stuck.text().await.unwrap(), "unavailable\nalert_overdue\n", "a reason code, no instant");
    w.app.tick().await;
    w.app.clock.advance(chrono::Duration::minutes(10));
    let mail_stuck = health().await;
    assert_eq!(mail_stuck.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(mail_stuck.text().await.unwrap(), "unavailable\nmail_overdue\n");
    w.app.drain().await;
    assert_eq!(health().await.status(), StatusCode::OK);
}

/// The real binary with `mail.transport = "smtp"`: a reported leak reaches the DPO within two
/// ticks, and a restart mails nothing twice.
async fn served_binary_mails_within_two_ticks_and_not_twice_after_a_restart(backend: Backend) {
    use crate::support::cli::{run, serve, stderr, stdout};
    let smtp = SmtpServer::start().await;
    let db = crate::support::TestDb::create(&backend);
    let dir = tempfile::tempdir().unwrap();
    let url = smtp.url();
    let env = [
        ("ART33__DATABASE__URL", db.url.as_str()),
        ("ART33__MAIL__TRANSPORT", "smtp"),
        ("ART33__MAIL__SMTP_URL", url.as_str()),
        ("ART33__SCHEDULER__TICK_SECONDS", "1"),
    ];
    let token = crate::support::cli::acme_with_an_officer(dir.path(), &env);

    let served = serve(dir.path(), &env);
    let http = reqwest::Client::new();
    let created = http
        .post(format!("{}/api/v1/incidents", served.address))
        .bearer_auth(&token)
        .json(&json!({"client": "acme", "title": "Laptop stolen", "summary": "From a car"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let reported = std::time::Instant::now();
    let mails = smtp.wait_for(2, Duration::from_secs(3)).await;
    assert!(
        mails.iter().any(|m| m.to == ["dpo@acme.example"]),
        "the DPO is told within two ticks: {mails:?}"
    );
    assert!(reported.elapsed() <= Duration::from_secs(3));
    assert!(served.terminate().success());

    let again = serve(dir.path(), &env);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(smtp.received().len(), 2, "no second copy after a restart");
    assert!(again.log().iter().all(|l| !l.contains(&token)), "no token in the log");
    drop(again);

    let test_mail = run(dir.path(), &["mail", "test", "--to", "ops@gx.example"], &env);
    assert!(test_mail.status.success(), "{}", stderr(&test_mail));
    assert!(
        stdout(&test_mail).starts_with("sent to ops@gx.example via smtp 127.0.0.1:"),
        "{}",
        stdout(&test_mail)
    );
    let received = smtp.wait_for(3, Duration::from_secs(5)).await;
    assert!(received.iter().any(|m| m.to == ["ops@gx.example"] && m.subject() == "art33 test message"));

    let bad = run(dir.path(), &["mail", "test", "--to", "not an address"], &env);
    assert_eq!(bad.status.code(), Some(2));
    let port = smtp.port();
    smtp.stop().await;
    let down = run(dir.path(), &["mail", "test", "--to", "ops@gx.example"], &env);
    assert_eq!(down.status.code(), Some(1));
    assert!(stderr(&down).contains(&format!("127.0.0.1:{port}")), "{}", stderr(&down));
}

on_both_backends!(served_binary_mails_within_two_ticks_and_not_twice_after_a_restart);

/// More reports of two clients than one transaction takes: one tick fires them in several
/// transactions with multi-row writes; every P0 goes out once, each DPO hears only of its own client's
/// incidents, and the audit chain verifies.
async fn one_tick_fires_many_incidents_of_two_clients_each_to_its_own_dpo(backend: Backend) {
    let w = world(&backend).await;
    w.app.add_client("beta").await;
    use art33::app::fire::{INCIDENTS_PER_TRANSACTION_POSTGRES, INCIDENTS_PER_TRANSACTION_SQLITE};
    let reports = INCIDENTS_PER_TRANSACTION_POSTGRES.max(INCIDENTS_PER_TRANSACTION_SQLITE) + 50;
    let mut ids = BTreeMap::new();
    for n in 0..reports {
        let client = if n % 2 == 0 { "acme" } else { "beta" };
        let incident = w.app.report(&w.staff, client, json!({"title": format!("Report {n}")})).await;
        ids.insert(incident["id"].as_str().unwrap().to_string(), client);
    }
    let report = w.app.tick().await;
    assert_eq!(
        (report.sent, report.mails),
        (reports, 3 * reports),
        "P0 to DPO and officer, receipt to the reporter"
    );
    assert_eq!(w.app.tick().await.sent, 0, "nothing twice");
    assert_eq!(w.app.drain().await.sent, 3 * reports);
    let mails = w.smtp.wait_for(3 * reports, Duration::from_secs(60)).await;
    for (dpo, prefix) in [("dpo@acme.example", "[ACME-"), ("dpo@beta.example", "[BETA-")] {
        let theirs: Vec<_> = mails.iter().filter(|m| m.to == [dpo]).collect();
        assert_eq!(theirs.len(), reports / 2, "{dpo}");
        assert!(theirs.iter().all(|m| m.subject().starts_with(prefix)), "{dpo} hears of its own client only");
    }
    let message_ids: BTreeSet<String> = mails.iter().map(|m| m.message_id().unwrap()).collect();
    assert_eq!(message_ids.len(), 3 * reports, "one Message-ID per mail");
    for (id, client) in &ids {
        let alerts = w.app.alerts(&w.officer, id).await;
        let p0 = alerts.iter().find(|a| a["code"] == "P0").unwrap();
        assert_eq!(p0["status"], "sent");
        assert_eq!(p0["recipients"], json!(["officer@gx.example", format!("dpo@{client}.example")]));
        assert_eq!(p0["deliveries"].as_array().unwrap().len(), 3, "{id}");
    }
    let verified = w.app.db.run(|conn| art33::storage::audit_log::verify(conn, None)).await.unwrap();
    assert!(verified.is_ok(), "{verified:?}");
}

/// The tick's compare-and-set for many alerts at once: an alert that is no longer planned is left
/// alone and is missing from the result.
async fn set_statuses_moves_only_planned_alerts(backend: Backend) {
    use art33::storage::alerts::{self, AlertStatus, StatusChange};
    let w = world(&backend).await;
    let first = w.app.report(&w.staff, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    let second = w.app.report(&w.staff, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    let now = w.app.now();
    let (moved, after) = w
        .app
        .db
        .run(move |c| {
            let p0 = |c: &mut art33::storage::AnyConnection, id: &str| {
                alerts::for_incident(c, &id.into())
                    .map(|all| all.into_iter().find(|a| a.status == "planned").unwrap())
            };
            let (a, b) = (p0(c, &first)?, p0(c, &second)?);
            assert!(alerts::set_status(c, &b.id, AlertStatus::Suppressed, None, &[])?);
            let change = |id: &str| StatusChange {
                id: id.to_string(),
                status: AlertStatus::Sent,
                fired_at: Some(now),
                recipients: vec!["dpo@acme.example".into()],
            };
            let moved = alerts::set_statuses(c, &[change(&a.id), change(&b.id)])?;
            let after = [
                alerts::for_incident(c, &first.as_str().into())?,
                alerts::for_incident(c, &second.as_str().into())?,
            ];
            Ok::<_, art33::storage::StorageError>((moved, (a.id, b.id, after)))
        })
        .await
        .unwrap();
    let (a, b, [first_alerts, second_alerts]) = after;
    assert_eq!(moved, [a.clone()].into_iter().collect());
    let a_row = first_alerts.iter().find(|x| x.id == a).unwrap();
    assert_eq!(
        (a_row.status.as_str(), a_row.recipients.clone()),
        ("sent", vec!["dpo@acme.example".to_string()])
    );
    assert_eq!(a_row.fired_at.map(|t| t.timestamp()), Some(now.timestamp()));
    let b_row = second_alerts.iter().find(|x| x.id == b).unwrap();
    assert_eq!((b_row.status.as_str(), b_row.fired_at), ("suppressed", None), "left as it was");
}

/// Issue 18: with a 96-hour window the milestones fall 48/24/12/4/0 hours before its own deadline
/// (no A5, and no "deadline passed", before +96 h); GX aware two days before the client (72-hour
/// window) yields C0 at processor awareness + 72 h, mailed to the DPO, officers and management.
async fn a_96_hour_window_fires_no_a5_before_96_hours_and_a_processor_delay_fires_c0(backend: Backend) {
    let w = world_with_window(&backend, "96").await;
    let id = w.breach("2026-10-22T12:00:00Z", "2026-10-22T12:30:00Z", "2026-10-22T12:30:00Z").await;
    let alerts = w.app.alerts(&w.officer, &id).await;
    let due = |code: &str| alerts.iter().find(|a| a["code"] == code).map(|a| a["due_at"].clone());
    for (code, at) in [
        ("A1", "2026-10-24T12:30:00Z"),
        ("A2", "2026-10-25T12:30:00Z"),
        ("A3", "2026-10-26T00:30:00Z"),
        ("A4", "2026-10-26T08:30:00Z"),
        ("A5", "2026-10-26T12:30:00Z"),
    ] {
        assert_eq!(due(code), Some(json!(at)), "{code}");
    }
    assert_eq!(due("C0"), None, "no processor delay, no C0");
    w.app.run_until(t("2026-10-26T12:29:59Z")).await;
    let statuses = w.statuses(&id).await;
    for (code, status) in [("A1", "sent"), ("A2", "sent"), ("A3", "sent"), ("A4", "sent"), ("A5", "planned")]
    {
        assert_eq!(statuses[code], status, "{code}");
    }
    w.app.drain().await;
    for mail in &w.smtp.received() {
        let body = mail.text_body();
        assert!(
            !body.contains("verstreken") && !body.contains("72 uur") && !body.contains("72-uur"),
            "{}\n{body}",
            mail.subject()
        );
    }
    assert!(w.smtp.received().iter().any(|m| m.subject().contains("Nog 4 uur")));
    w.app.run_until(t("2026-10-26T12:30:00Z")).await;
    assert_eq!(w.statuses(&id).await["A5"], "sent");

    let w = world(&backend).await;
    let id = w.breach("2026-10-20T12:00:00Z", "2026-10-20T12:30:00Z", "2026-10-22T12:30:00Z").await;
    let alerts = w.app.alerts(&w.officer, &id).await;
    let c0 = alerts.iter().find(|a| a["code"] == "C0").expect("C0 planned");
    assert_eq!(c0["due_at"], "2026-10-23T12:30:00Z", "processor awareness + 72 h");
    w.app.run_until(t("2026-10-23T12:29:59Z")).await;
    assert_eq!(w.statuses(&id).await["C0"], "planned");
    w.app.run_until(t("2026-10-23T12:30:00Z")).await;
    assert_eq!(w.statuses(&id).await["C0"], "sent");
    w.app.drain().await;
    let mails = w.smtp.received();
    let c0: Vec<_> = mails.iter().filter(|m| m.subject().contains("Strikte termijn verstreken")).collect();
    let mut to: Vec<String> = c0.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["board@gx.example", "dpo@acme.example", "officer@gx.example"]);
    let body = c0[0].text_body();
    assert!(body.contains("termijn van 72 uur verstreken op") && body.contains("vraag 4.5"), "{body}");
}

on_both_backends!(a_backlog_is_sent_a_few_mails_at_a_time_and_marked_in_batches);

/// `mail.concurrency` mails are in flight at once (each over its own connection), never more; every
/// mail of a backlog is sent exactly once and gets its own `mail.sent` event, although the sent ones
/// are marked a batch per transaction.
async fn a_backlog_is_sent_a_few_mails_at_a_time_and_marked_in_batches(backend: Backend) {
    use art33::notify::delivery::{Deliverer, DeliveryStats};
    let w = world(&backend).await;
    let mut ids = Vec::new();
    for n in 0..4 {
        let incident = w.app.report(&w.staff, "acme", json!({ "title": format!("Backlog {n}") })).await;
        ids.push(incident["id"].as_str().unwrap().to_string());
    }
    w.app.tick().await;
    let queued = w
        .app
        .db
        .run(|conn| {
            art33::storage::outbox::backlog(conn, art33::storage::outbox::channel::MAIL, chrono::Utc::now())
        })
        .await
        .unwrap();
    let queued = usize::try_from(queued.pending).unwrap();
    assert!(queued >= 8, "a backlog of several mails per report ({queued})");
    // A slow relay keeps each conversation open long enough for the next ones to start beside it.
    w.smtp.set_behaviour(Behaviour::Slow(Duration::from_millis(300)));
    let mut mail = w.app.settings.mail.clone();
    mail.concurrency = 3;
    let transport = art33::notify::transport::Transport::from_settings(&mail).unwrap();
    let deliverer = Deliverer::new(
        w.app.db.clone(),
        transport,
        mail,
        "batcher",
        std::sync::Arc::new(w.app.clock.clone()),
    );
    let report = deliverer.drain_all(&DeliveryStats::default()).await.unwrap();
    assert_eq!((report.sent, report.retried, report.failed), (queued, 0, 0));
    assert_eq!(w.smtp.most_at_once(), 3, "three conversations at once, never more");
    let received = w.smtp.received();
    let message_ids: BTreeSet<String> = received.iter().map(|m| m.message_id().unwrap()).collect();
    assert_eq!((received.len(), message_ids.len()), (queued, queued), "each mail once");
    let mut sent_events = 0;
    for id in &ids {
        let timeline = json(w.app.get(&format!("/api/v1/incidents/{id}/timeline"), &w.officer).await).await;
        sent_events += timeline["items"]
            .as_array()
            .unwrap_or_else(|| panic!("{timeline}"))
            .iter()
            .filter(|e| e["type"] == "mail.sent")
            .count();
    }
    assert_eq!(sent_events, queued, "one mail.sent event per mail, on its incident's timeline");
    assert_eq!(deliverer.drain_all(&DeliveryStats::default()).await.unwrap(), Default::default());
}

on_both_backends!(a_tick_goes_on_with_the_next_page_when_a_full_page_was_due);

/// The scheduler's tick with a second connection (`Database::run_with_spare`): on PostgreSQL two
/// transactions of a page run at once, one per connection. 450 P0s of three clients are more than
/// two transactions' worth on both engines; each is fired once, every transaction's result is
/// counted once, each P0 has its two mails, and every chain verifies.
async fn a_tick_with_a_spare_connection_fires_every_alert_once(backend: Backend) {
    use art33::app::fire::{
        INCIDENTS_PER_TRANSACTION_POSTGRES_TWO_AT_ONCE, INCIDENTS_PER_TRANSACTION_SQLITE, TickReport,
    };
    const REPORTS: usize = 450;
    let app = TestApp::spawn(&backend).await;
    let clients = ["acme", "bolt", "cask"];
    for client in clients {
        app.add_client(client).await;
    }
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    for batch in (0..REPORTS).collect::<Vec<_>>().chunks(16) {
        futures::future::join_all(batch.iter().map(|n| app.report(&officer, clients[n % 3], json!({}))))
            .await;
    }
    let (settings, now) = (app.settings.clone(), app.now());
    let postgres = !matches!(backend, Backend::Sqlite);
    let (fired, committed) = app
        .db
        .run_with_spare(move |conn, spare| {
            assert_eq!(spare.is_some(), postgres, "a second connection on PostgreSQL only");
            let mut committed: Vec<TickReport> = Vec::new();
            let fired = art33::app::fire::tick_with_progress(conn, spare, &settings, now, |c| {
                committed.push(c.clone())
            })?;
            Ok::<_, art33::storage::StorageError>((fired, committed))
        })
        .await
        .unwrap();
    // Each P0 goes to the client's DPO and to the officer, who reported it (no receipt then).
    assert_eq!((fired.sent, fired.mails), (REPORTS, 2 * REPORTS));
    let per_transaction = if postgres {
        INCIDENTS_PER_TRANSACTION_POSTGRES_TWO_AT_ONCE
    } else {
        INCIDENTS_PER_TRANSACTION_SQLITE
    };
    assert_eq!(committed.len(), REPORTS.div_ceil(per_transaction), "one result per transaction");
    assert_eq!(committed.iter().map(|c| c.sent).sum::<usize>(), REPORTS, "each transaction counted once");
    let (sent_alerts, mails) = app
        .db
        .run(|conn| {
            use diesel::prelude::*;
            let sent: i64 = diesel::sql_query("SELECT count(*) AS n FROM alerts WHERE status = 'sent'")
                .get_result::<Count>(conn)?
                .n;
            let mails: Vec<Count> =
                diesel::sql_query("SELECT count(*) AS n FROM outbox GROUP BY alert_id").load(conn)?;
            Ok::<_, art33::storage::StorageError>((sent, mails))
        })
        .await
        .unwrap();
    assert_eq!(sent_alerts, REPORTS as i64);
    assert_eq!(mails.len(), REPORTS, "mails for every P0");
    assert!(mails.iter().all(|m| m.n == 2), "two mails for each P0, none twice");
    let verified = app.db.run(|conn| art33::storage::audit_log::verify(conn, None)).await.unwrap();
    assert!(verified.is_ok(), "{verified:?}");
    let (settings, now) = (app.settings.clone(), app.now());
    let again = app.db.run(move |conn| art33::app::fire::tick(conn, &settings, now)).await.unwrap();
    assert_eq!(again, TickReport::default(), "nothing was left for the next tick");
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

on_both_backends!(a_tick_with_a_spare_connection_fires_every_alert_once);

/// More incidents due than one page: the tick reads the next page at once instead of leaving the
/// rest for the next tick (a burst of reports would otherwise fall further behind at every tick).
/// Pages of two here, five P0s due: one tick fires all five.
async fn a_tick_goes_on_with_the_next_page_when_a_full_page_was_due(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    for _ in 0..5 {
        app.report(&officer, "acme", json!({})).await;
    }
    let (settings, now) = (app.settings.clone(), app.now());
    let fired = app
        .db
        .run(move |conn| art33::app::fire::tick_in_pages(conn, None, &settings, now, 2, |_| {}))
        .await
        .unwrap();
    assert_eq!(fired.sent, 5, "{fired:?}");
    let (settings, now) = (app.settings.clone(), app.now());
    let again = app.db.run(move |conn| art33::app::fire::tick(conn, &settings, now)).await.unwrap();
    assert_eq!(again.sent, 0, "nothing was left for the next tick");
}

/// PostgreSQL only (on SQLite a claim waits for the same one writer as the marks): a batch of sent
/// mails that waits for the database, here for the client's audit chain held by another
/// transaction, does not hold the sends back. The drain goes on claiming and sending until twice
/// `mail.concurrency` rows are held, and no further; once the chain is free, every mail is marked
/// sent, each received once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_go_on_while_a_batch_waits_for_the_database() {
    use diesel::{Connection, RunQueryDsl};
    let Some(backend) = Backend::postgres() else { return };
    let w = world(&backend).await;
    for _ in 0..15 {
        w.app.report(&w.officer, "acme", json!({})).await;
    }
    // P0 to the officer and the DPO of each: 30 mails.
    w.app.tick().await;
    let width = usize::try_from(w.app.settings.mail.concurrency).unwrap();
    assert!(2 * width < 30, "more mails than the drain may hold");

    let url = w.app.settings.database.url.expose().clone();
    let (locked, is_locked) = std::sync::mpsc::channel();
    let (release, is_released) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let mut conn = diesel::PgConnection::establish(&url).unwrap();
        conn.transaction(|tx| {
            diesel::sql_query("SELECT 1 FROM audit_heads WHERE chain IN (SELECT id FROM clients) FOR UPDATE")
                .execute(tx)?;
            locked.send(()).unwrap();
            is_released.recv().unwrap();
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
    });
    is_locked.recv().unwrap();

    let mut drain = std::pin::pin!(w.app.drain());
    let held = tokio::select! {
        received = w.smtp.wait_for(2 * width, Duration::from_secs(20)) => received.len(),
        report = &mut drain => panic!("the drain ended while its first batch could not be written: {report:?}"),
    };
    assert_eq!(held, 2 * width, "sent while the first batch waited for the chain");
    // Nothing more may be claimed while those wait (a bounded look: a drain that went on would send
    // the rest within milliseconds).
    tokio::select! {
        () = tokio::time::sleep(Duration::from_millis(500)) => {}
        report = &mut drain => panic!("the drain ended while its batches could not be written: {report:?}"),
    }
    assert_eq!(w.smtp.received().len(), 2 * width, "no more rows held than twice the width");

    release.send(()).unwrap();
    holder.join().unwrap();
    let report = drain.await;
    assert_eq!((report.sent, report.retried, report.failed), (30, 0, 0));
    let received = w.smtp.wait_for(30, Duration::from_secs(10)).await;
    let ids: BTreeSet<String> =
        received.iter().map(|mail| mail.header("Message-ID").unwrap().to_string()).collect();
    assert_eq!((received.len(), ids.len()), (30, 30), "each mail received once");
    let pending: i64 = w
        .app
        .db
        .run(|conn| {
            use art33::storage::schema::outbox::dsl::*;
            use diesel::prelude::*;
            Ok::<_, art33::storage::StorageError>(outbox.filter(status.ne("sent")).count().get_result(conn)?)
        })
        .await
        .unwrap();
    assert_eq!(pending, 0, "every row marked sent");
}
