//! Snapshots of every mail in both languages (what each must say: `docs/ARCHITECTURE.md` §7).
//! Review changes with `cargo insta review`; CI fails on any unreviewed difference.

use art33::domain::directory::{Client, ClientProfile};
use art33::domain::escalation::{AlertCode, EscalationPolicy};
use art33::domain::incident::{Assessment, Facts, Incident, State};
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
    };
    let rendered = messages::render(kind, &MailContext::for_incident(&mail)).unwrap();
    format!("Subject: {}\n\n{}\n----- HTML -----\n{}", rendered.subject, rendered.text, rendered.html)
}

#[test]
fn every_mail_in_both_languages() {
    let cases = [
        ("p0", MailKind::P0, AlertCode::P0, State::Reported, "2026-10-22T11:45:00Z", true),
        ("p0_officer", MailKind::P0, AlertCode::P0, State::Reported, "2026-10-22T11:45:00Z", false),
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
