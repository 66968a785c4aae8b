//! How many statements a report sends to the database, on both backends: on PostgreSQL each is a
//! round trip, and the reports per second of the load test are bounded by them (issue 20).

use std::sync::{Arc, Mutex};

use art33::app::report::{IdempotencyKey, Report, report};
use art33::domain::escalation::EscalationPolicy;
use art33::domain::incident::NewIncident;
use art33::domain::locale::Locale;
use art33::domain::tenant::{Principal, Role};
use art33::storage::AnyConnection;
use art33::storage::directory::{self, NewClient, NewUser};
use diesel::Connection;
use diesel::connection::InstrumentationEvent;
use serde_json::json;

use crate::on_both_backends_blocking;
use crate::support::{Backend, TestDb, default_start, open_db};

on_both_backends_blocking!(a_report_takes_nine_statements, a_report_with_an_idempotency_key_takes_nine_too);

/// The statements of a report and, on PostgreSQL, the statements the connection holds prepared
/// after it.
struct Traced {
    statements: Vec<String>,
    prepared: Vec<String>,
}

/// The statements of one report (after a first one, so that nothing is counted that happens once
/// per connection), with the server's default rate limit on.
fn statements_of_a_report(backend: &Backend, with_key: bool) -> Vec<String> {
    traced_report(backend, with_key).statements
}

/// [`statements_of_a_report`], with the statements prepared on the connection.
fn traced_report(backend: &Backend, with_key: bool) -> Traced {
    let test_db = TestDb::create(backend);
    let db = open_db(&test_db);
    let now = default_start();
    let principal = db
        .run_blocking(|conn| {
            let client = NewClient {
                slug: "acme".into(),
                name: "Acme BV".into(),
                dpo_email: "dpo@acme.example".into(),
                dpo_name: None,
                escalation_emails: vec!["security@acme.example".into()],
                locale: Locale::Nl,
            };
            directory::insert_client(conn, "test", &client, now)?;
            let user = NewUser {
                email: "officer@art33.example".into(),
                name: None,
                role: Role::Officer,
                client_id: None,
                password_hash: None,
            };
            directory::insert_user(conn, "test", &user, now)
        })
        .unwrap();
    let principal =
        Principal { user_id: principal.id, email: principal.email, role: Role::Officer, client_id: None };
    let body = json!({
        "client": "acme",
        "title": "A laptop left on a train",
        "summary": "The disk is encrypted.",
        "discovered_at": "2026-10-22T09:00:00Z",
        "incident_kind": "lost_device",
        "nature": ["unknown"],
        "data_categories": ["name_address"],
        "subject_groups": ["customers"],
    });
    let new = NewIncident::parse(body.as_object().unwrap(), now).unwrap();
    let request = |n: u32| Report {
        new: new.clone(),
        idempotency: with_key
            .then(|| IdempotencyKey { key: format!("key-{n}"), request_digest: format!("digest-{n}") }),
        per_minute: 30,
    };
    let policy = EscalationPolicy::default();
    db.run_blocking(|conn: &mut AnyConnection| {
        let (_, replayed) = report(conn, &principal, &request(1), now, &policy).unwrap();
        assert!(!replayed);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { query, .. } = event {
                log.lock().unwrap().push(query.to_string());
            }
        });
        let (incident, replayed) = report(conn, &principal, &request(2), now, &policy).unwrap();
        assert!(!replayed);
        assert!(incident.reference.ends_with("-0002"), "{}", incident.reference);
        conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
        // What the one statement wrote is there: the alerts, planned in generation 0, and the key,
        // which answers the same incident again.
        let planned = art33::storage::alerts::for_incident(conn, &incident.id)?;
        let codes: Vec<_> =
            planned.iter().map(|a| (a.code.as_str(), a.generation, a.status.as_str())).collect();
        assert_eq!(codes, [("P0", 0, "planned"), ("P1", 0, "planned")]);
        let (again, replayed) = report(conn, &principal, &request(2), now, &policy).unwrap();
        assert_eq!(replayed, with_key);
        assert_eq!(again.id == incident.id, with_key);
        let prepared = match conn {
            AnyConnection::Postgresql(pg) => {
                #[derive(diesel::QueryableByName)]
                struct Prepared {
                    #[diesel(sql_type = diesel::sql_types::Text)]
                    statement: String,
                }
                use diesel::RunQueryDsl;
                diesel::sql_query("SELECT statement FROM pg_prepared_statements")
                    .load::<Prepared>(pg)?
                    .into_iter()
                    .map(|p| p.statement)
                    .collect()
            }
            AnyConnection::Sqlite(_) => Vec::new(),
        };
        let statements = seen.lock().unwrap().clone();
        Ok::<_, art33::storage::StorageError>(Traced { statements, prepared })
    })
    .unwrap()
}

/// On PostgreSQL every statement of a report but `BEGIN` and `COMMIT` is prepared once per
/// connection: none is parsed and planned again at each report (the database's CPU is what bounds
/// the reports per second on the reference machine).
#[test]
fn a_reports_statements_are_prepared_once_per_connection() {
    let Some(backend) = Backend::postgres() else { return };
    for with_key in [false, true] {
        let Traced { statements, prepared } = traced_report(&backend, with_key);
        for statement in &statements {
            let sql = statement.split(" -- binds:").next().unwrap_or_default().trim();
            if sql == "BEGIN" || sql == "COMMIT" {
                continue;
            }
            assert!(
                prepared.iter().any(|p| p.trim() == sql),
                "prepared anew at every report (with key: {with_key}): {sql}"
            );
        }
    }
}

/// At most `postgres` statements on PostgreSQL, and `sqlite` on SQLite, where they cost no round
/// trip: there the inserts are separate statements (SQLite has no inserts in `WITH`), diesel
/// puts its multi-row insert of audit events in a savepoint (two more), and the write lock is taken
/// on the system chain's head before the client's chain is known, whose head is then read (one more).
fn assert_at_most(backend: &Backend, statements: &[String], postgres: usize, sqlite: usize) {
    let budget = match backend {
        Backend::Postgres(_) => postgres,
        Backend::Sqlite => sqlite,
    };
    assert!(
        statements.len() <= budget,
        "{} statements, {budget} expected at most:\n{}",
        statements.len(),
        statements.join("\n")
    );
}

/// Nine on PostgreSQL: begin; the client, its row locked; the next number and the rate limit in
/// one read; the incident with its alerts; the audit chain's four (lock, last instant, event,
/// head); commit.
fn a_report_takes_nine_statements(backend: &Backend) {
    assert_at_most(backend, &statements_of_a_report(backend, false), 9, 13);
}

/// The key costs no round trip: the earlier request with that key is looked for in the read that
/// takes the next number, and the key is remembered in the incident's insert.
fn a_report_with_an_idempotency_key_takes_nine_too(backend: &Backend) {
    assert_at_most(backend, &statements_of_a_report(backend, true), 9, 14);
}
