//! Snapshots of every mail in both languages (what each must say: `docs/ARCHITECTURE.md` §7).
//! Review changes with `cargo insta review`; CI fails on any unreviewed difference.

use art33::domain::directory::{Client, ClientProfile};
use art33::domain::escalation::{AlertCode, EscalationPolicy};
use art33::domain::incident::{ApNotification, Assessment, Facts, Incident, State};
use art33::domain::locale::Locale;
use art33::domain::severity::{Ease, SeverityInput};
use art33::domain::vocabulary::{DataCategory, IncidentKind, Nature, SubjectGroup};
use art33::notify::messages::{self, IncidentMail, MailContext, MailKind};
use chrono::{DateTime, Utc};

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Scenario S04: member administration with IBANs of 48,000 members, across the October DST change.
fn s04(state: State) -> Incident {
    let facts = Facts {
        discovery_method: Some("Ransom note on the file server".into()),
        occurred_from: Some(t("2026-10-21T22:00:00Z")),
        incident_kind: Some(IncidentKind::HackingMalware),
        nature: vec![Nature::Read, Nature::Copied, Nature::Deleted],
        data_categories: vec![DataCategory::NameAddress, DataCategory::Financial, DataCategory::Demographic],
        records_approx: Some(48_000),
        subject_groups: vec![SubjectGroup::Members, SubjectGroup::Minors],
        subjects_min: Some(48_000),
        subjects_max: Some(48_000),
        ..Facts::new(
            "Member administration on a leak site",
            "Ransomware encrypted the member administration; an export appeared on a leak site.",
            t("2026-10-22T11:40:00Z"),
        )
    };
    let reported = Incident::reported(
        "0b7e3c1a-5f59-4c1e-9f0e-2d4c7b1e8a90".into(),
        (&"c-1".into(), "acme"),
        "ACME-2026-0007",
        facts,
        t("2026-10-22T11:45:00Z"),
        (&"u-1".into(), "staff@gx.example"),
    );
    Incident {
        state,
        version: 3,
        processor_aware_at: Some(t("2026-10-22T11:40:00Z")),
        controller_aware_at: Some(t("2026-10-22T12:30:00Z")),
        assessment: Some(Assessment {
            input: SeverityInput {
                dpc: 4,
                ease_of_identification: Ease::Maximum,
                confidentiality: 2,
                integrity: 0,
                availability: 1,
                malicious: true,
                unintelligible: false,
                vulnerable_subjects: true,
            },
            rationale: "Financial data of minors, published".into(),
            assessed_at: t("2026-10-22T14:00:00Z"),
            assessed_by: "dpo@acme.example".into(),
        }),
        ..reported
    }
}

fn client(locale: Locale) -> Client {
    Client {
        id: "c-1".into(),
        slug: "acme".into(),
        name: "Acme Sportbond".into(),
        dpo_email: "dpo@acme.example".into(),
        dpo_name: None,
        escalation_emails: vec![],
        locale,
        policy: None,
        active: true,
        profile: ClientProfile::empty(locale),
    }
}

/// How the reporter reaches the officer on duty, as `organisation.duty_contact` words it.
fn duty_contact(locale: Locale) -> &'static str {
    match locale {
        Locale::Nl => "+31 20 123 4567 of privacy-duty@gx.example",
        Locale::En => "+31 20 123 4567 or privacy-duty@gx.example",
    }
}

fn render(kind: MailKind, code: AlertCode, state: State, now: &str, locale: Locale, for_dpo: bool) -> String {
    let incident = s04(state);
    let client = client(locale);
    let policy = EscalationPolicy::default();
    let mail = IncidentMail {
        incident: &incident,
        client: &client,
        code,
        now: t(now),
        policy: &policy,
        base_url: "https://art33.example.com",
        ack_url: for_dpo.then_some("https://art33.example.com/ack/TOKEN"),
        for_dpo,
        a0_sent_at: Some(t("2026-10-22T12:30:05Z")),
        duty_contact: Some(duty_contact(locale)),
    };
    let rendered = messages::render(kind, &MailContext::for_incident(&mail)).unwrap();
    format!("Subject: {}\n\n{}\n----- HTML -----\n{}", rendered.subject, rendered.text, rendered.html)
}

#[test]
fn every_mail_in_both_languages() {
    let cases = [
        ("p0", MailKind::P0, AlertCode::P0, State::Reported, "2026-10-22T11:45:00Z", true),
        ("p0_officer", MailKind::P0, AlertCode::P0, State::Reported, "2026-10-22T11:45:00Z", false),
        // A catch-up tick: the report was confirmed before its P0 went out (issue 19).
        (
            "p0_after_confirmation",
            MailKind::P0,
            AlertCode::P0,
            State::Confirmed,
            "2026-10-22T12:30:00Z",
            false,
        ),
        ("a0_officer", MailKind::A0, AlertCode::A0, State::Confirmed, "2026-10-22T12:30:00Z", false),
        ("u0_officer", MailKind::U0, AlertCode::U0, State::Confirmed, "2026-10-22T14:30:05Z", false),
        ("p0_receipt", MailKind::P0Receipt, AlertCode::P0, State::Reported, "2026-10-22T11:45:00Z", false),
        ("p1", MailKind::P1, AlertCode::P1, State::Reported, "2026-10-23T11:45:00Z", false),
        ("a0", MailKind::A0, AlertCode::A0, State::Confirmed, "2026-10-22T12:30:00Z", true),
        ("u0", MailKind::U0, AlertCode::U0, State::Confirmed, "2026-10-22T14:30:05Z", true),
        ("a1", MailKind::Milestone, AlertCode::A1, State::Confirmed, "2026-10-23T12:30:00Z", true),
        ("a3", MailKind::Milestone, AlertCode::A3, State::Confirmed, "2026-10-25T00:30:00Z", true),
        ("a4", MailKind::Milestone, AlertCode::A4, State::Confirmed, "2026-10-25T08:30:00Z", false),
        ("a5", MailKind::A5, AlertCode::A5, State::Confirmed, "2026-10-25T12:30:00Z", true),
        ("a5_reminder", MailKind::A5, AlertCode::A5, State::Confirmed, "2026-10-26T12:30:00Z", true),
        ("s1", MailKind::S1, AlertCode::S1, State::ApNotified, "2026-11-06T09:00:00Z", true),
    ];
    for (name, kind, code, state, now, for_dpo) in cases {
        for locale in [Locale::Nl, Locale::En] {
            let rendered = render(kind, code, state, now, locale, for_dpo);
            assert!(
                !rendered.contains("staff@gx.example") || !for_dpo,
                "the DPO never sees the reporter's name"
            );
            for free_text in ["Member administration on a leak site", "Ransomware encrypted", "Ransom note"] {
                assert!(!rendered.contains(free_text), "{name}: a mail carries no free text ({free_text})");
            }
            insta::assert_snapshot!(format!("{name}_{}", locale.as_str()), rendered);
        }
    }
}

#[test]
fn the_test_mail() {
    let context = MailContext::for_test(
        "smtp mail.example.com:587",
        "art33 <art33@gx.example>",
        t("2026-10-25T12:30:00Z"),
    );
    let rendered = messages::render(MailKind::Test, &context).unwrap();
    assert_eq!(rendered.subject, "art33 test message");
    insta::assert_snapshot!("test_mail", rendered.text);
}

#[test]
fn subjects_name_the_deadline_in_amsterdam_time() {
    let a0 = render(MailKind::A0, AlertCode::A0, State::Confirmed, "2026-10-22T12:30:00Z", Locale::En, true);
    assert!(
        a0.starts_with(
            "Subject: [ACME-2026-0007] Data breach confirmed — notify the AP by Sun 25 Oct 13:30 CET\n"
        ),
        "{a0}"
    );
    let a2 = render(
        MailKind::Milestone,
        AlertCode::A2,
        State::Confirmed,
        "2026-10-24T12:30:00Z",
        Locale::En,
        true,
    );
    assert!(a2.starts_with("Subject: [ACME-2026-0007] 24 h left to notify the AP\n"), "{a2}");
    let u0 = render(MailKind::U0, AlertCode::U0, State::Confirmed, "2026-10-22T14:30:05Z", Locale::Nl, true);
    assert!(
        u0.starts_with("Subject: [ACME-2026-0007] Nog niet bevestigd — termijn zo 25 okt 13:30 CET\n"),
        "{u0}"
    );
}

/// A client whose name ends in a full stop ("Acme B.V.") gets one full stop after its name where a
/// sentence ends with it, in every mail and both languages (issue 18, item 11b).
#[test]
fn a_name_ending_in_a_full_stop_is_not_doubled() {
    let cases = [
        (MailKind::P0, AlertCode::P0, State::Reported, "2026-10-22T11:45:00Z", true),
        (MailKind::P0Receipt, AlertCode::P0, State::Reported, "2026-10-22T11:45:00Z", false),
        (MailKind::P1, AlertCode::P1, State::Reported, "2026-10-23T11:45:00Z", false),
        (MailKind::A0, AlertCode::A0, State::Confirmed, "2026-10-22T12:30:00Z", true),
        (MailKind::U0, AlertCode::U0, State::Confirmed, "2026-10-22T14:30:05Z", true),
        (MailKind::Milestone, AlertCode::A1, State::Confirmed, "2026-10-23T12:30:00Z", true),
        (MailKind::A5, AlertCode::A5, State::Confirmed, "2026-10-25T12:30:00Z", true),
        (MailKind::S1, AlertCode::S1, State::ApNotified, "2026-11-06T09:00:00Z", true),
    ];
    for (kind, code, state, now, for_dpo) in cases {
        for locale in [Locale::Nl, Locale::En] {
            let incident = s04(state);
            let client = Client { name: "Acme B.V.".into(), ..client(locale) };
            let policy = EscalationPolicy::default();
            let mail = IncidentMail {
                incident: &incident,
                client: &client,
                code,
                now: t(now),
                policy: &policy,
                base_url: "https://art33.example.com",
                ack_url: for_dpo.then_some("https://art33.example.com/ack/TOKEN"),
                for_dpo,
                a0_sent_at: Some(t("2026-10-22T12:30:05Z")),
                duty_contact: None,
            };
            let rendered = messages::render(kind, &MailContext::for_incident(&mail)).unwrap();
            if matches!(kind, MailKind::P0 | MailKind::P0Receipt | MailKind::P1 | MailKind::A0) {
                assert!(rendered.text.contains("Acme B.V."), "{kind:?} {locale:?} names the client");
            }
            for part in [&rendered.subject, &rendered.text, &rendered.html] {
                assert!(!part.contains("B.V.."), "{kind:?} {locale:?}: {part}");
            }
        }
    }
}

fn render_incident(
    kind: MailKind,
    code: AlertCode,
    incident: &Incident,
    policy: &EscalationPolicy,
    now: &str,
    locale: Locale,
) -> String {
    let client = client(locale);
    let mail = IncidentMail {
        incident,
        client: &client,
        code,
        now: t(now),
        policy,
        base_url: "https://art33.example.com",
        ack_url: Some("https://art33.example.com/ack/TOKEN"),
        for_dpo: true,
        a0_sent_at: Some(t("2026-10-22T12:30:05Z")),
        duty_contact: Some(duty_contact(locale)),
    };
    let rendered = messages::render(kind, &MailContext::for_incident(&mail)).unwrap();
    format!("Subject: {}\n\n{}\n----- HTML -----\n{}", rendered.subject, rendered.text, rendered.html)
}

/// Issue 18: a 96-hour window (A4 and A5 at 4 and 0 hours before its own deadline), S1 after a
/// timely notification (no reasons for delay), C0 after a processor delay of two days, and P0 to
/// the DPO (the period starts when the controller becomes aware).
#[test]
fn legal_round_two_mails_in_both_languages() {
    let window_96 = EscalationPolicy { window_hours: 96, ..EscalationPolicy::default() };
    let same_awareness =
        Incident { processor_aware_at: Some(t("2026-10-22T12:30:00Z")), ..s04(State::Confirmed) };
    let timely = Incident {
        ap: Some(ApNotification {
            notified_at: t("2026-10-24T09:00:00Z"),
            reference: "AP-2026-0815".into(),
            preliminary: true,
            delay_reason: None,
        }),
        ..s04(State::ApNotified)
    };
    let processor_two_days_early =
        Incident { processor_aware_at: Some(t("2026-10-20T12:30:00Z")), ..s04(State::Confirmed) };
    let default = EscalationPolicy::default();
    let cases = [
        (
            "window_96_a4",
            MailKind::Milestone,
            AlertCode::A4,
            &same_awareness,
            &window_96,
            "2026-10-26T08:30:00Z",
        ),
        ("window_96_a5", MailKind::A5, AlertCode::A5, &same_awareness, &window_96, "2026-10-26T12:30:00Z"),
        (
            "s1_after_a_timely_notification",
            MailKind::S1,
            AlertCode::S1,
            &timely,
            &default,
            "2026-11-07T09:00:00Z",
        ),
        ("c0", MailKind::C0, AlertCode::C0, &processor_two_days_early, &default, "2026-10-23T12:30:00Z"),
    ];
    for (name, kind, code, incident, policy, now) in cases {
        for locale in [Locale::Nl, Locale::En] {
            let rendered = render_incident(kind, code, incident, policy, now, locale);
            for wrong in ["72-uur", "72 uur", "72-hour", "72 hours", "verstreken sinds", "Deadline passed"] {
                if name != "c0" {
                    assert!(!rendered.contains(wrong), "{name}: says {wrong:?}\n{rendered}");
                }
            }
            if name != "c0" {
                assert!(!rendered.contains("4.5"), "{name}: asks for reasons for delay\n{rendered}");
            }
            insta::assert_snapshot!(format!("{name}_{}", locale.as_str()), rendered);
        }
    }
    let a4 = render_incident(
        MailKind::Milestone,
        AlertCode::A4,
        &same_awareness,
        &window_96,
        "2026-10-26T08:30:00Z",
        Locale::En,
    );
    assert!(a4.starts_with("Subject: [ACME-2026-0007] 4 h left to notify the AP\n"), "{a4}");
    assert!(a4.contains("Time left: 4 h 0 min") || a4.contains("Time left: 4 h"), "{a4}");
    let c0 = render_incident(
        MailKind::C0,
        AlertCode::C0,
        &processor_two_days_early,
        &default,
        "2026-10-23T12:30:00Z",
        Locale::En,
    );
    assert!(c0.contains("the 72-hour window expired on"), "{c0}");
    assert!(c0.contains("expired on"), "past tense after the conservative deadline: {c0}");
    for locale in [Locale::Nl, Locale::En] {
        let p0 = render(MailKind::P0, AlertCode::P0, State::Reported, "2026-10-22T11:45:00Z", locale, true);
        for wrong in ["has not started", "loopt nog niet"] {
            assert!(!p0.contains(wrong), "{p0}");
        }
        assert!(
            p0.contains(if locale == Locale::Nl {
                "Dit bericht kan dat moment zijn"
            } else {
                "This notice may be that moment"
            }),
            "{p0}"
        );
    }
}

/// Issue 19: the receipt names how to reach the officer on duty when configured
/// (`organisation.duty_phone`, `duty_email`), and leaves the sentence out otherwise.
#[test]
fn the_receipt_names_the_duty_officer_only_when_configured() {
    for locale in [Locale::Nl, Locale::En] {
        let incident = s04(State::Reported);
        let client = client(locale);
        let policy = EscalationPolicy::default();
        let mail = IncidentMail {
            incident: &incident,
            client: &client,
            code: AlertCode::P0,
            now: t("2026-10-22T11:45:00Z"),
            policy: &policy,
            base_url: "https://art33.example.com",
            ack_url: None,
            for_dpo: false,
            a0_sent_at: None,
            duty_contact: None,
        };
        let without = messages::render(MailKind::P0Receipt, &MailContext::for_incident(&mail)).unwrap();
        let with = messages::render(
            MailKind::P0Receipt,
            &MailContext::for_incident(&IncidentMail { duty_contact: Some(duty_contact(locale)), ..mail }),
        )
        .unwrap();
        for part in [&with.text, &with.html] {
            assert!(part.contains(duty_contact(locale)), "{part}");
        }
        for part in [&without.text, &without.html] {
            for sentence in ["privacy officer van dienst", "privacy officer on duty", "+31"] {
                assert!(!part.contains(sentence), "{locale:?}: {part}");
            }
        }
    }
}
