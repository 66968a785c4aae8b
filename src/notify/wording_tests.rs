//! A property over random incident histories (issue 18, items 1 and 2): with random legal windows
//! (72 or 96 hours), processor delays, awareness corrections and notification times before and after
//! the deadline, no mail that can be sent says the deadline has passed while `now < deadline_at`, and
//! none asks for reasons for delay (question 4.5) unless the notification is late: notified after
//! the deadline, or not notified while confirmed and `now > deadline_at`. The draft AP notification
//! (the page, its text and PDF) is held to the same rules.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use serde_json::json;

use super::messages::{self, IncidentMail, MailContext, MailKind};
use crate::domain::ap_report::{self, DraftInput, QuestionKey};
use crate::domain::deadline::{self, Clock, Urgency};
use crate::domain::directory::Client;
use crate::domain::escalation::{self, AlertCode, EscalationPolicy, WindowChange};
use crate::domain::incident::{Facts, Incident, State};
use crate::domain::lifecycle;
use crate::domain::locale::Locale;
use crate::domain::texts;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

fn client(locale: Locale) -> Client {
    Client {
        id: "c-1".into(),
        slug: "acme".into(),
        name: "Acme B.V.".into(),
        dpo_email: "dpo@acme.example".into(),
        dpo_name: None,
        escalation_emails: vec![],
        locale,
        policy: None,
        profile: crate::domain::directory::ClientProfile::empty(locale),
        active: true,
    }
}

/// What a random history is made of.
#[derive(Debug, Clone)]
struct History {
    /// 96 hours for awareness from 2026-10-21 (a `window_changes` entry), else 72.
    longer_window: bool,
    /// Minutes GX knew before the client was informed.
    processor_delay_minutes: i64,
    /// Minutes after confirmation a correction moves the controller's awareness by (± hours).
    correction: Option<(i64, i64)>,
    /// Hours after (or, negative, before) the deadline the AP is notified, and whether preliminary.
    notification: Option<(i64, bool)>,
    /// A supplement a number of days after the notification.
    supplement_days: Option<i64>,
    /// Instants to look at, in minutes after the report.
    looks: Vec<i64>,
}

fn history() -> impl Strategy<Value = History> {
    (
        any::<bool>(),
        prop_oneof![Just(0i64), 1i64..=7200],
        proptest::option::of((1i64..=600, -12i64..=12)),
        proptest::option::of((-70i64..=60, any::<bool>())),
        proptest::option::of(1i64..=40),
        proptest::collection::vec(0i64..=60 * 24 * 50, 1..12),
    )
        .prop_map(
            |(longer_window, processor_delay_minutes, correction, notification, supplement_days, looks)| {
                History {
                    longer_window,
                    processor_delay_minutes,
                    correction,
                    notification,
                    supplement_days,
                    looks,
                }
            },
        )
}

fn policy(longer: bool) -> EscalationPolicy {
    let mut policy = EscalationPolicy::default();
    if longer {
        policy.window_changes.push(WindowChange { aware_from: t("2026-10-21T00:00:00Z"), hours: 96 });
    }
    policy
}

/// The incident after each event, with the instant of the event.
fn run(h: &History, policy: &EscalationPolicy) -> Vec<(DateTime<Utc>, Incident)> {
    let processor = t("2026-10-19T10:00:00Z");
    let controller = processor + Duration::minutes(h.processor_delay_minutes);
    let reported = Incident::reported(
        "i-1".into(),
        (&"c-1".into(), "acme"),
        "ACME-2026-0001",
        Facts::new("t", "s", processor),
        processor,
        (&"u-1".into(), "staff@gx.example"),
    );
    let mut out = vec![(processor, reported)];
    let step = |out: &mut Vec<(DateTime<Utc>, Incident)>, at: DateTime<Utc>, body: serde_json::Value| {
        let last = &out.last().expect("reported").1;
        let object = body.as_object().expect("object").clone();
        if let Ok(transition) = lifecycle::handle(last, &object, "dpo@acme.example", at, policy) {
            out.push((at, transition.incident));
        }
    };
    step(
        &mut out,
        controller,
        json!({"type": "confirm", "processor_aware_at": rfc(processor), "controller_aware_at": rfc(controller)}),
    );
    let mut now = controller;
    if let Some((after, shift)) = h.correction {
        now += Duration::minutes(after);
        let corrected = (controller + Duration::hours(shift)).max(processor).min(now);
        step(
            &mut out,
            now,
            json!({"type": "correct_awareness", "controller_aware_at": rfc(corrected), "justification": "phone call"}),
        );
    }
    let aware = out.last().and_then(|(_, i)| i.controller_aware_at).expect("confirmed");
    let deadline_at = deadline::deadline(aware, policy);
    if let Some((offset, preliminary)) = h.notification {
        let at = (deadline_at + Duration::hours(offset)).max(now);
        let mut body = json!({"type": "notify_ap", "notified_at": rfc(at), "ap_reference": "AP-1", "preliminary": preliminary});
        if at > deadline_at {
            body["delay_reason"] = json!("forensics took long");
        }
        step(&mut out, at, body);
        now = at;
        if let Some(days) = h.supplement_days {
            step(
                &mut out,
                now + Duration::days(days),
                json!({"type": "supplement", "note": "all facts now"}),
            );
        }
    }
    out
}

/// The alerts that can be due at `now` for `incident` as it then is (its plan, the A5 and S1
/// reminders, U0), that still hold: the mails a tick at `now` may send.
fn sendable(incident: &Incident, now: DateTime<Utc>, policy: &EscalationPolicy) -> Vec<AlertCode> {
    let mut due: Vec<(AlertCode, DateTime<Utc>)> =
        escalation::plan_on_report(incident, policy).into_iter().map(|a| (a.code, a.due_at)).collect();
    due.extend(escalation::milestones(incident, policy, true).into_iter().map(|a| (a.code, a.due_at)));
    if let Some(aware) = incident.controller_aware_at {
        due.push((AlertCode::U0, aware + Duration::hours(2)));
    }
    if let Some(ap) = &incident.ap {
        due.push((AlertCode::S1, ap.notified_at + Duration::days(14)));
    }
    due.into_iter().filter(|(code, at)| *at <= now && code.holds(incident)).map(|(code, _)| code).collect()
}

/// What the mails and the draft say once the deadline has passed.
fn passed_phrases(locale: Locale) -> [&'static str; 5] {
    match locale {
        Locale::Nl => [
            "Termijn verstreken sinds",
            "de termijn is verstreken",
            "Termijn AP verstreken",
            "de termijn verstreek op",
            "te laat",
        ],
        Locale::En => [
            "Deadline passed",
            "the deadline has passed",
            "AP deadline passed",
            "the deadline passed on",
            " late;",
        ],
    }
}

fn asks_for_reasons(text: &str, locale: Locale) -> bool {
    let missing = format!("4.5 {}", texts::text(locale, "ap-missing-q-4-5"));
    text.contains(&missing) || text.contains(texts::text(locale, "mail-a5-question"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn no_mail_says_the_deadline_passed_early_or_asks_for_reasons_for_a_timely_notification(h in history()) {
        let policy = policy(h.longer_window);
        let steps = run(&h, &policy);
        let reported_at = steps[0].0;
        for look in &h.looks {
            let now = reported_at + Duration::minutes(*look);
            let Some((_, incident)) = steps.iter().rev().find(|(at, _)| *at <= now) else { continue };
            let clock = Clock::of(incident, now, &policy);
            // The specification of lateness, written out independently of `Clock::late`.
            let late = match (clock.deadline_at, &incident.ap) {
                (None, _) => false,
                (Some(d), Some(ap)) => ap.notified_at > d,
                (Some(d), None) => incident.state == State::Confirmed && now > d,
            };
            prop_assert_eq!(clock.late, late);
            let early = clock.deadline_at.is_some_and(|d| now < d);
            if early {
                prop_assert!(!clock.overdue);
                prop_assert_ne!(Urgency::of_clock(&clock), Urgency::Overdue);
            }
            for locale in [Locale::Nl, Locale::En] {
                let client = client(locale);
                let input = DraftInput { incident, client: &client, processor_name: "GX Software", now, policy: &policy, locale };
                let draft = ap_report::build(&input);
                prop_assert_eq!(draft.late, late, "the draft's lateness at {}", now);
                let a45 = draft.answer(QuestionKey::Q4_5).map(|a| a.required).unwrap_or(false);
                prop_assert_eq!(a45, late, "4.5 required at {} only when late", now);
                let text = ap_report::render_text(&draft);
                if early {
                    for phrase in passed_phrases(locale) {
                        prop_assert!(!text.contains(phrase), "the draft at {now} says {phrase:?}:\n{text}");
                    }
                }
                if !late {
                    prop_assert!(!draft.missing.iter().any(|m| m.starts_with("4.5 ")), "{:?}", draft.missing);
                }
            }
            for code in sendable(incident, now, &policy) {
                for locale in [Locale::Nl, Locale::En] {
                    let client = client(locale);
                    let mail = IncidentMail {
                        incident,
                        client: &client,
                        code,
                        now,
                        policy: &policy,
                        base_url: "https://art33.example.com",
                        ack_url: None,
                        for_dpo: true,
                        a0_sent_at: None,
                        duty_contact: None,
                    };
                    let context = MailContext::for_incident(&mail);
                    let mut kinds = vec![MailKind::of_alert(code)];
                    if code == AlertCode::P0 {
                        kinds.push(MailKind::P0Receipt);
                    }
                    for kind in kinds {
                        let r = messages::render(kind, &context).unwrap();
                        let all = format!("{}\n{}\n{}", r.subject, r.text, r.html);
                        if early {
                            for phrase in passed_phrases(locale) {
                                prop_assert!(!all.contains(phrase), "{code} at {now} says {phrase:?}:\n{all}");
                            }
                        }
                        if !late {
                            prop_assert!(!asks_for_reasons(&all, locale), "{code} at {now} asks for 4.5:\n{all}");
                        }
                        if let Some(hours) = context.hours_left {
                            let left = clock.remaining_seconds.unwrap_or_default();
                            prop_assert!((hours * 3600 - left).abs() <= 1800, "{code}: {hours} h left, really {left} s");
                        }
                        let window = clock.window_hours.to_string();
                        if window != "72" {
                            prop_assert!(!all.contains("72 uur") && !all.contains("72-hour") && !all.contains("72 hours"), "{all}");
                        }
                    }
                }
            }
        }
    }
}
