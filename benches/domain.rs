//! Benchmarks of the pure core: `cargo bench`. Speed is measured here, never asserted in tests.
#![allow(clippy::unwrap_used, reason = "a benchmark's setup that fails may panic")]

use std::hint::black_box;

use art33::domain::ap_report::{self, DraftInput};
use art33::domain::audit::{self, AuditEvent, ChainedEvent, Verifier};
use art33::domain::directory::{Client, ClientProfile};
use art33::domain::escalation::{self, EscalationPolicy};
use art33::domain::incident::{Facts, Incident};
use art33::domain::lifecycle::{self, Event, EventKind};
use art33::domain::locale::Locale;
use art33::domain::pii;
use art33::domain::severity::{self, Ease, SeverityInput};
use art33::domain::vocabulary::{DataCategory, IncidentKind, Nature, SubjectGroup};
use chrono::{DateTime, Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn incident() -> Incident {
    let facts = Facts {
        discovery_method: Some("Gateway logs".into()),
        occurred_from: Some(t("2026-05-25T00:00:00Z")),
        occurred_until: Some(t("2026-06-15T06:30:00Z")),
        incident_kind: Some(IncidentKind::PublishedByMistake),
        nature: vec![Nature::Read, Nature::Copied],
        data_categories: vec![DataCategory::NameAddress, DataCategory::Email],
        records_approx: Some(12_000),
        subject_groups: vec![SubjectGroup::Customers],
        subjects_min: Some(12_000),
        subjects_max: Some(12_000),
        consequences: Some("Phishing risk".into()),
        measures_taken: Some("Endpoint closed".into()),
        ..Facts::new(
            "Public API exposed customer records",
            "A misconfigured endpoint exposed customer records for three weeks.",
            t("2026-06-15T06:20:00Z"),
        )
    };
    Incident::reported(
        "i-1".into(),
        (&"c-1".into(), "acme"),
        "ACME-2026-0001",
        facts,
        t("2026-06-15T06:30:00Z"),
        (&"u-1".into(), "staff@gx.example"),
    )
}

fn input() -> SeverityInput {
    SeverityInput {
        dpc: 2,
        ease_of_identification: Ease::Maximum,
        confidentiality: 2,
        integrity: 0,
        availability: 1,
        malicious: true,
        unintelligible: false,
        vulnerable_subjects: false,
    }
}

fn benches(c: &mut Criterion) {
    let policy = EscalationPolicy::default();
    let reported = incident();
    let now = t("2026-06-15T07:00:00Z");

    c.bench_function("lifecycle apply: confirm then assess", |b| {
        b.iter(|| {
            let confirmed = lifecycle::apply(
                black_box(&reported),
                &Event::Confirm { processor_aware_at: None, controller_aware_at: None, justification: None },
                "dpo@acme.example",
                now,
                &policy,
            )
            .unwrap();
            lifecycle::apply(
                &confirmed.incident,
                &Event::Assess { input: input(), rationale: "r".into() },
                "dpo@acme.example",
                now,
                &policy,
            )
            .unwrap()
        })
    });

    let confirmed = lifecycle::apply(
        &reported,
        &Event::Confirm { processor_aware_at: None, controller_aware_at: None, justification: None },
        "x",
        now,
        &policy,
    )
    .unwrap()
    .incident;
    c.bench_function("alert planning: confirm plan and a catch-up decision", |b| {
        b.iter(|| {
            let change =
                escalation::plan_on_event(black_box(&reported), &confirmed, EventKind::Confirm, now, &policy);
            escalation::decide_firing(&change.plan, &confirmed)
        })
    });

    c.bench_function("ENISA scoring", |b| b.iter(|| severity::assess(black_box(&input()))));

    let text: String = "Op 22 oktober kreeg een medewerker een melding over een onbekende login op het klantportaal; \
        de logbestanden tonen 48.000 records, referentie ACME-2026-0007, versie 1.2.3, tijdstip 2026-10-22T12:30:00Z. "
        .repeat(60)
        .chars()
        .take(10 * 1024)
        .collect();
    c.bench_function("PII scan of 10 KB of text", |b| b.iter(|| pii::scan(black_box(&text))));

    let mut chain: Vec<ChainedEvent> = Vec::with_capacity(100_000);
    let mut head = (0_i64, audit::GENESIS.to_string());
    for n in 0..100_000_i64 {
        let event = AuditEvent {
            at: now + Duration::seconds(n),
            actor: "dpo@acme.example".into(),
            client_id: Some("c-1".into()),
            incident_id: Some(format!("i-{}", n % 10_000)),
            event_type: "assess".into(),
            detail: json!({"from": "confirmed", "to": "confirmed", "rationale": "text", "n": n}),
        };
        let chained = audit::chain(head.0, &head.1, event);
        head = (chained.seq, chained.hash.clone());
        chain.push(chained);
    }
    let mut group = c.benchmark_group("audit");
    group.sample_size(10);
    group.bench_function("verify 100,000 events", |b| {
        b.iter(|| {
            let mut verifier = Verifier::new("c-1");
            for event in &chain {
                verifier.feed(event).unwrap();
            }
            verifier.finish(head.0, &head.1).unwrap()
        })
    });
    group.finish();

    let client = Client {
        id: "c-1".into(),
        slug: "acme".into(),
        name: "Acme BV".into(),
        dpo_email: "dpo@acme.example".into(),
        dpo_name: None,
        escalation_emails: vec![],
        locale: Locale::Nl,
        policy: None,
        active: true,
        profile: ClientProfile::empty(Locale::Nl),
    };
    let assessed = lifecycle::apply(
        &confirmed,
        &Event::Assess { input: input(), rationale: "r".into() },
        "x",
        now,
        &policy,
    )
    .unwrap()
    .incident;
    c.bench_function("AP draft building (and its text)", |b| {
        b.iter(|| {
            let draft = ap_report::build(&DraftInput {
                incident: black_box(&assessed),
                client: &client,
                processor_name: "GX Software",
                now: t("2026-06-18T15:00:00Z"),
                policy: &policy,
                locale: Locale::Nl,
            });
            ap_report::render_text(&draft)
        })
    });
}

criterion_group!(domain, benches);
criterion_main!(domain);
