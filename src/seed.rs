//! Realistic data for load tests and benchmarks (`art33 dev seed`): clients with their DPOs,
//! officers and reporters, and incidents in every state with alert schedules and audit history,
//! made through the same commands the API uses, so every invariant (audit chain, plans) holds.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::app::report::Report;
use crate::app::{apply_event, patch, report};
use crate::auth;
use crate::config::Settings;
use crate::domain::incident::{FactsPatch, NewIncident};
use crate::domain::locale::Locale;
use crate::domain::tenant::{Principal, Role};
use crate::storage::directory::{self, NewApiToken, NewClient, NewUser};
use crate::storage::{AnyConnection, Database, StorageError, audit_log};

/// What to make.
#[derive(Debug, Clone, Copy)]
pub struct SeedPlan {
    /// Clients.
    pub clients: usize,
    /// Incidents, spread over the clients and the past year.
    pub incidents: usize,
}

/// What was made, and how to log in for a load test.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Seeded {
    /// Clients made.
    pub clients: usize,
    /// Incidents made.
    pub incidents: usize,
    /// Of which with a running clock.
    pub running: usize,
    /// Audit events in the chain afterwards.
    pub audit_events: i64,
    /// An officer's API token.
    pub officer_token: String,
    /// The officer's address (password: the one given).
    pub officer_email: String,
    /// The DPO of the first client: its API token.
    pub dpo_token: String,
    /// That DPO's address (password: the one given).
    pub dpo_email: String,
    /// The first client's slug.
    pub client: String,
    /// The id of an incident of the first client with a running clock.
    pub sample_incident: Option<String>,
}

/// Incidents per transaction.
const BATCH: usize = 100;

fn fail(e: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(e.to_string())
}

fn principal(user: &crate::domain::directory::User) -> Principal {
    Principal {
        user_id: user.id.clone(),
        email: user.email.clone(),
        role: user.role,
        client_id: user.client_id.clone(),
    }
}

fn token_for(
    conn: &mut AnyConnection,
    user: &crate::domain::directory::User,
    now: DateTime<Utc>,
) -> Result<String, StorageError> {
    let token = auth::issue_api_token();
    directory::insert_token(
        conn,
        "seed",
        &NewApiToken {
            user_id: user.id.clone(),
            label: Some("load test".into()),
            prefix: token.prefix,
            digest: token.digest,
        },
        now,
    )?;
    Ok(token.secret)
}

/// Makes the data of `plan` in `db` at `now`; every user gets `password`.
pub fn seed(
    db: &Database,
    settings: &Settings,
    plan: SeedPlan,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Seeded, StorageError> {
    let hash = auth::hash_password(password, &[settings.organisation.name.as_str()]).map_err(fail)?;
    let policy = settings.escalation.clone();
    db.run_blocking(|conn| {
        let user = |conn: &mut AnyConnection, email: String, role: Role, client| {
            directory::insert_user(
                conn,
                "seed",
                &NewUser { email, name: None, role, client_id: client, password_hash: Some(hash.clone()) },
                now,
            )
        };
        let officer = user(conn, "officer-1@gx.example".into(), Role::Officer, None)?;
        user(conn, "officer-2@gx.example".into(), Role::Officer, None)?;
        user(conn, "admin@gx.example".into(), Role::Admin, None)?;
        let mut clients = Vec::new();
        let mut reporters = Vec::new();
        let mut dpos = Vec::new();
        for n in 0..plan.clients.max(1) {
            let slug = format!("client-{:03}", n + 1);
            let client = directory::insert_client(
                conn,
                "seed",
                &NewClient {
                    slug: slug.clone(),
                    name: format!("Client {:03} BV", n + 1),
                    dpo_email: format!("dpo@{slug}.example"),
                    dpo_name: None,
                    escalation_emails: vec![format!("security@{slug}.example")],
                    locale: if n % 3 == 0 { Locale::En } else { Locale::Nl },
                },
                now,
            )?;
            dpos.push(user(conn, format!("dpo@{slug}.example"), Role::Dpo, Some(client.id.clone()))?);
            if n % 10 == 0 {
                reporters.push(user(
                    conn,
                    format!("staff-{:03}@gx.example", n / 10 + 1),
                    Role::Reporter,
                    None,
                )?);
            }
            clients.push(client);
        }
        let officer_token = token_for(conn, &officer, now)?;
        let dpo_token = token_for(conn, &dpos[0], now)?;
        let decider = principal(&officer);
        let mut running = 0;
        let mut sample = None;
        let mut made = 0;
        while made < plan.incidents {
            let batch = (plan.incidents - made).min(BATCH);
            audit_log::write_tx(conn, |tx, _head| {
                for n in made..made + batch {
                    let client = &clients[n % clients.len()];
                    let reporter = principal(&reporters[n % reporters.len()]);
                    // Every client gets every kind (with 100 clients: its q-th incident has kind (client + q) % 10).
                    let kind = (n + n / clients.len()) % 10;
                    // Running clocks are recent; the rest spread over the past year.
                    let reported_at = if kind < 2 {
                        now - Duration::minutes(30 + (n as i64 * 37) % (60 * 68))
                    } else {
                        now - Duration::hours(80 + (n as i64 * 53) % (24 * 360))
                    };
                    let id = seed_one(tx, &reporter, &decider, &client.slug, n, kind, reported_at, &policy)?;
                    if kind < 2 {
                        running += 1;
                        if n % clients.len() == 0 && sample.is_none() {
                            sample = Some(id);
                        }
                    }
                }
                Ok::<_, StorageError>(())
            })?;
            made += batch;
        }
        // One tick, as a running server would have made: P0s, A0s and due milestones fire. Their
        // mails are history, as if delivered when queued: a load test starts with an idle outbox.
        // A tick looks at a bounded number of incidents; tick until nothing is left due.
        while crate::app::fire::tick(conn, settings, now)? != Default::default() {}
        {
            use crate::storage::outbox::status;
            use crate::storage::schema::outbox;
            use diesel::prelude::*;
            diesel::update(outbox::table.filter(outbox::status.eq(status::PENDING)))
                .set((
                    outbox::status.eq(status::SENT),
                    outbox::attempts.eq(1),
                    outbox::sent_at.eq(outbox::created_at.nullable()),
                ))
                .execute(conn)?;
        }
        // Seeding rewrote every incident several times: on PostgreSQL, clear the dead row versions
        // and take statistics, as autovacuum would in the hours before a real day of load (without
        // it the officers' counts read 66,000 dead index entries for 3,000 live rows). SQLite is
        // left without statistics, as a running server's database is: its plans here come from
        // the indexes alone.
        if let AnyConnection::Postgresql(pg) = conn {
            use diesel::RunQueryDsl;
            diesel::sql_query("VACUUM (ANALYZE)").execute(pg)?;
        }
        let audit_events = audit_log::count(conn)?;
        Ok(Seeded {
            clients: clients.len(),
            incidents: made,
            running,
            audit_events,
            officer_token,
            officer_email: officer.email,
            dpo_token,
            dpo_email: dpos[0].email.clone(),
            client: clients[0].slug.clone(),
            sample_incident: sample,
        })
    })
}

#[expect(clippy::too_many_arguments, reason = "a seeded incident is described by all of them")]
fn seed_one(
    tx: &mut AnyConnection,
    reporter: &Principal,
    decider: &Principal,
    client: &str,
    n: usize,
    kind: usize,
    reported_at: DateTime<Utc>,
    policy: &crate::domain::escalation::EscalationPolicy,
) -> Result<String, StorageError> {
    let kinds = ["hacking_malware", "phishing", "lost_device", "misdirected", "published_by_mistake"];
    let body = json!({
        "client": client,
        "title": format!("Seeded incident {n}"),
        "summary": "A seeded incident for load tests: what happened, in a few plain sentences without personal data.",
        "discovered_at": reported_at - Duration::minutes(20),
        "incident_kind": kinds[n % kinds.len()],
        "nature": ["read", "copied"],
        "data_categories": ["name_address", "email"],
        "subject_groups": ["customers"],
        "subjects_min": 10 + n as u64 % 500,
        "subjects_max": 100 + n as u64 % 5000,
    });
    let new = NewIncident::parse(&object_of(body), reported_at).map_err(fail)?;
    let (incident, _) =
        report::report(tx, reporter, &Report { new, idempotency: None, per_minute: 0 }, reported_at, policy)
            .map_err(fail)?;
    let id = incident.id.clone();
    let at = |minutes: i64| reported_at + Duration::minutes(minutes);
    let event = |tx: &mut AnyConnection, body: Value, when: DateTime<Utc>| -> Result<(), StorageError> {
        apply_event::apply_event(tx, decider, &id, &object_of(body), when, policy).map(|_| ()).map_err(fail)
    };
    let patch = FactsPatch::parse(&object_of(
        json!({"records_approx": 1000 + n as u64 % 9000, "encryption": "none", "consequences": "Phishing risk"}),
    ))
    .map_err(fail)?;
    patch::patch(tx, decider, &id, &patch, at(10)).map_err(fail)?;
    let scope = FactsPatch::parse(&object_of(json!({"consequences": "Phishing risk; no financial data"})))
        .map_err(fail)?;
    patch::patch(tx, decider, &id, &scope, at(15)).map_err(fail)?;
    if kind == 2 {
        return Ok(id.0); // still in triage
    }
    if kind == 3 {
        event(tx, json!({"type": "dismiss", "reason": "No personal data involved"}), at(60))?;
        event(tx, json!({"type": "close", "summary": "No breach"}), at(90))?;
        return Ok(id.0);
    }
    event(tx, json!({"type": "confirm"}), at(20))?;
    event(tx, json!({"type": "acknowledge"}), at(40))?;
    event(
        tx,
        json!({
            "type": "assess", "dpc": 1 + (n % 4) as u8, "ease_of_identification": "maximum", "confidentiality": 2,
            "integrity": 0, "availability": (n % 2) as u8, "malicious": n.is_multiple_of(2), "unintelligible": false,
            "vulnerable_subjects": false, "rationale": "Seeded assessment"
        }),
        at(50),
    )?;
    if kind < 2 {
        return Ok(id.0); // running clock
    }
    event(
        tx,
        json!({
            "type": "assess", "dpc": 1, "ease_of_identification": "limited", "confidentiality": 1, "integrity": 0,
            "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false,
            "rationale": "Reassessed after forensics"
        }),
        at(52),
    )?;
    let measures =
        FactsPatch::parse(&object_of(json!({"measures_taken": "Access revoked and passwords reset"})))
            .map_err(fail)?;
    patch::patch(tx, decider, &id, &measures, at(55)).map_err(fail)?;
    match kind {
        4 | 5 => {
            event(
                tx,
                json!({"type": "decide_not_notifiable", "justification": "Unlikely to result in a risk"}),
                at(120),
            )?;
        }
        _ => {
            event(
                tx,
                json!({"type": "notify_ap", "ap_reference": format!("AP-{n}"), "preliminary": true}),
                at(240),
            )?;
            event(tx, json!({"type": "supplement", "note": "Scope established"}), at(600))?;
            event(tx, json!({"type": "supplement", "note": "Final figures"}), at(900))?;
        }
    }
    event(
        tx,
        json!({"type": "subjects_not_required", "ground": "no_high_risk", "explanation": "Contact data only"}),
        at(250),
    )?;
    if kind != 9 {
        event(tx, json!({"type": "close", "summary": "Register entry complete"}), at(24 * 60))?;
    }
    Ok(id.0)
}

fn object_of(value: Value) -> serde_json::Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// Why `dev tick-bench` stopped.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The bench cannot run as asked, or what it measured does not add up (no running incidents, a
    /// transport that refuses mail, rounds that fired different numbers of alerts).
    #[error("{0}")]
    Bench(String),
}

/// What the timed ticks did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TickFigures {
    /// Alerts planned (all).
    pub planned: usize,
    /// Of which due at each tick.
    pub due: usize,
    /// Ticks timed.
    pub rounds: usize,
    /// Median wall time of a tick in milliseconds.
    pub tick_ms: f64,
    /// Wall time of each tick in milliseconds, in order.
    pub tick_ms_rounds: Vec<f64>,
    /// Alerts mailed by each tick.
    pub sent: usize,
    /// Mails queued by each tick.
    pub mails: usize,
    /// Median wall time, in milliseconds, of sending each tick's mails through the configured
    /// transport (the outbox drained as the scheduler drains it, `mail.concurrency` at a time).
    pub drain_ms: f64,
    /// Wall time of each round's drain in milliseconds, in order.
    pub drain_ms_rounds: Vec<f64>,
    /// Mails the median drain sent per second.
    pub drained_per_second: f64,
}

/// Plans `planned` alerts on the running incidents, `due` of them due at `now` (each on its own
/// incident as far as there are incidents), then times a tick; `rounds` times, each later round
/// planning `due` more due alerts beside the ones still planned. After each tick its mails are sent
/// through the configured transport and timed apart (the outbox's drain, as the scheduler runs it).
/// One tick is one sample on a machine that does other work; the median of several says what a tick
/// costs.
pub fn tick_bench(
    db: &Database,
    settings: &Settings,
    planned: usize,
    due: usize,
    rounds: usize,
    now: DateTime<Utc>,
) -> Result<TickFigures, BenchError> {
    use crate::domain::escalation::{AlertCode, PlannedAlert};
    use crate::storage::alerts;
    use diesel::prelude::*;
    let running: Vec<String> = db.run_blocking(|conn| {
        use crate::storage::schema::incidents::dsl::*;
        Ok::<_, StorageError>(incidents.filter(state.eq("confirmed")).select(id).load::<String>(conn)?)
    })?;
    if running.is_empty() {
        return Err(BenchError::Bench("no running incidents: run `art33 dev seed` first".into()));
    }
    // The outbox is drained as the scheduler drains it, on a runtime of its own, with the clock
    // held at `now` so that every mail the tick queued is due.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| BenchError::Bench(format!("cannot start the async runtime: {e}")))?;
    let transport = crate::notify::transport::Transport::from_settings(&settings.mail)
        .map_err(|e| BenchError::Bench(format!("the mail transport: {e}")))?;
    let clock: crate::clock::SharedClock = std::sync::Arc::new(crate::clock::ManualClock::new(now));
    let deliverer = crate::notify::delivery::Deliverer::new(
        db.for_scheduler(),
        transport,
        settings.mail.clone(),
        "art33-tick-bench",
        clock,
    );
    let stats = crate::notify::delivery::DeliveryStats::default();
    let drain = || -> Result<(f64, usize), BenchError> {
        let started = std::time::Instant::now();
        let report = runtime.block_on(deliverer.drain_all(&stats))?;
        if report.retried + report.failed > 0 {
            return Err(BenchError::Bench(format!(
                "the transport did not take every mail ({} to retry, {} failed): is `mail` set up?",
                report.retried, report.failed
            )));
        }
        Ok((started.elapsed().as_secs_f64() * 1000.0, report.sent))
    };
    // Fire and mail what the seed left due first, so that the timed tick sees exactly `due` alerts
    // and the timed drain exactly its mails.
    db.run_blocking(|conn| crate::app::fire::tick(conn, settings, now))?;
    drain()?;
    let mut times = Vec::with_capacity(rounds);
    let mut drains = Vec::with_capacity(rounds);
    let mut sent = Vec::with_capacity(rounds);
    for round in 0..rounds.max(1) {
        let to_plan = if round == 0 { planned.max(due) } else { due };
        db.run_blocking(|conn| {
            conn.transaction(|tx| {
                // A generation of its own, so that the command can run again on the same database.
                let generation = crate::storage::schema::alerts::table
                    .select(diesel::dsl::max(crate::storage::schema::alerts::generation))
                    .get_result::<Option<i32>>(tx)?
                    .unwrap_or(0)
                    .max(999)
                    + 1;
                let rows: Vec<_> = (0..to_plan)
                    .map(|k| {
                        // A4 has no follow-up, so the planned rows stay exactly as made.
                        let alert = PlannedAlert {
                            code: AlertCode::A4,
                            due_at: if k < due {
                                now - Duration::seconds(1)
                            } else {
                                now + Duration::days(30 + (k % 300) as i64)
                            },
                            repeat_no: (k / running.len()) as i32 + 100,
                        };
                        (running[k % running.len()].clone(), generation, alert)
                    })
                    .collect();
                alerts::insert_many(tx, &rows, now)
            })
        })?;
        let started = std::time::Instant::now();
        // With a second connection, as the scheduler's tick has (`Database::run_with_spare`).
        let report = db.run_blocking(|conn| {
            db.run_blocking(|spare| {
                crate::app::fire::tick_with_progress(conn, Some(spare), settings, now, |_| {})
            })
        })?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        let (drain_ms, drained) = drain()?;
        if drained != report.mails {
            return Err(BenchError::Bench(format!(
                "the tick queued {} mails and the drain sent {drained}",
                report.mails
            )));
        }
        drains.push(drain_ms);
        sent.push((report.sent, report.mails));
    }
    if sent.windows(2).any(|pair| pair[0] != pair[1]) {
        return Err(BenchError::Bench(format!("the rounds fired different numbers of alerts: {sent:?}")));
    }
    let median = |values: &[f64]| {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted[sorted.len() / 2]
    };
    let drain_ms = median(&drains);
    Ok(TickFigures {
        planned,
        due,
        rounds: times.len(),
        tick_ms: median(&times),
        tick_ms_rounds: times,
        sent: sent[0].0,
        mails: sent[0].1,
        drain_ms,
        drain_ms_rounds: drains,
        drained_per_second: if drain_ms > 0.0 { sent[0].1 as f64 * 1000.0 / drain_ms } else { 0.0 },
    })
}
