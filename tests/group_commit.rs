//! Group commit (`docs/ARCHITECTURE.md` §8): audited writes under one key that arrive while another
//! is running share the next transaction; each is still refused or kept on its own, a panic fails
//! only its group, and a burst of one client's reports loses nothing and keeps its rate limit.

use std::pin::pin;
use std::sync::mpsc;

use art33::domain::audit::AuditEvent;
use art33::domain::tenant::Role;
use art33::storage::audit_log::{self, Appender};
use art33::storage::{AnyConnection, Database, StorageError};
use chrono::{DateTime, Utc};
use diesel::RunQueryDsl;
use futures::StreamExt;
use serde_json::json;

use crate::on_both_backends;
use crate::support::{Backend, TestApp, TestDb, open_db};

on_both_backends!(
    writes_that_wait_share_the_next_transaction_and_each_keeps_its_own_outcome,
    a_write_that_panics_fails_its_group_and_the_key_goes_on,
    on_sqlite_writes_under_any_keys_share_a_group,
    a_burst_of_one_clients_reports_loses_nothing_and_keeps_the_rate_limit,
);

fn event(n: usize) -> AuditEvent {
    AuditEvent {
        at: "2026-10-22T12:00:00Z".parse::<DateTime<Utc>>().unwrap(),
        actor: "test".into(),
        client_id: None,
        incident_id: None,
        event_type: format!("test.write{n}"),
        detail: json!({}),
    }
}

/// The current transaction's id on PostgreSQL; on SQLite, none (one writer: nothing to tell apart).
fn transaction_id(conn: &mut AnyConnection) -> Result<Option<i64>, StorageError> {
    #[derive(diesel::QueryableByName)]
    struct Txid {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    match conn {
        AnyConnection::Postgresql(pg) => {
            let row: Txid = diesel::sql_query("SELECT txid_current() AS id").get_result(pg)?;
            Ok(Some(row.id))
        }
        AnyConnection::Sqlite(_) => Ok(None),
    }
}

/// The types of the audit events stored, in chain order.
async fn stored_events(db: &Database) -> Vec<String> {
    db.run(|conn| {
        use art33::storage::schema::audit_events::dsl::*;
        use diesel::prelude::*;
        Ok::<_, StorageError>(audit_events.order(seq).select(event_type).load::<String>(conn)?)
    })
    .await
    .unwrap()
}

/// A write that runs while five others queue behind it: the five run in one transaction (one
/// transaction id on PostgreSQL); the one that fails after writing leaves nothing (its row change
/// and its event roll back to its savepoint) while the others' changes and events are kept, and the
/// chain verifies.
async fn writes_that_wait_share_the_next_transaction_and_each_keeps_its_own_outcome(backend: Backend) {
    let test_db = TestDb::create(&backend);
    let db = open_db(&test_db);
    let (started, release) = (mpsc::channel::<()>(), mpsc::channel::<()>());
    let first = {
        let (started, release) = (started.0, release.1);
        db.write_grouped("key", move |conn, audit: &mut Appender| {
            audit.append(event(0));
            started.send(()).unwrap();
            release.recv().unwrap();
            transaction_id(conn)
        })
    };
    let mut first = pin!(first);
    assert!(futures::poll!(&mut first).is_pending());
    started.1.recv().unwrap();
    // Queued behind the running write: polled once, each has joined the queue.
    let mut waiting = Vec::new();
    for n in 1..=5 {
        let mut write = Box::pin(db.write_grouped("key", move |conn, audit: &mut Appender| {
            audit.append(event(n));
            diesel::sql_query(format!("INSERT INTO instance_secrets (name, value, created_at) VALUES ('w{n}', 'x', CURRENT_TIMESTAMP)"))
                .execute(conn)?;
            if n == 3 {
                return Err(StorageError::Conflict("the third write is refused".into()));
            }
            transaction_id(conn)
        }));
        assert!(futures::poll!(&mut write).is_pending());
        waiting.push(write);
    }
    release.0.send(()).unwrap();
    let first = first.await.unwrap();
    let outcomes = futures::future::join_all(waiting).await;
    assert!(
        matches!(&outcomes[2], Err(StorageError::Conflict(m)) if m.contains("third")),
        "{:?}",
        outcomes[2]
    );
    let ids: Vec<Option<i64>> =
        outcomes.iter().enumerate().filter(|(n, _)| *n != 2).map(|(_, o)| *o.as_ref().unwrap()).collect();
    if matches!(backend, Backend::Postgres(_)) {
        let id = ids[0].unwrap();
        assert!(ids.iter().all(|i| *i == Some(id)), "one transaction for the queued writes: {ids:?}");
        assert_ne!(first, Some(id), "the first write committed before the others queued");
    }
    assert_eq!(
        stored_events(&db).await,
        ["test.write0", "test.write1", "test.write2", "test.write4", "test.write5"]
    );
    let secrets: Vec<String> = db
        .run(|conn| {
            use art33::storage::schema::instance_secrets::dsl::*;
            use diesel::prelude::*;
            Ok::<_, StorageError>(
                instance_secrets.filter(name.like("w%")).order(name).select(name).load(conn)?,
            )
        })
        .await
        .unwrap();
    assert_eq!(secrets, ["w1", "w2", "w4", "w5"]);
    assert!(db.run(|conn| audit_log::verify(conn, None)).await.unwrap().is_ok());
}

/// A write that panics takes its group down (its callers get an error, nothing of the group is
/// kept), and the next write under the same key is served: the key is not left without a leader.
async fn a_write_that_panics_fails_its_group_and_the_key_goes_on(backend: Backend) {
    let test_db = TestDb::create(&backend);
    let db = open_db(&test_db);
    let panicked: Result<(), StorageError> = db
        .write_grouped("key", |_, audit: &mut Appender| {
            audit.append(event(0));
            panic!("a bug in a write");
        })
        .await;
    assert!(matches!(&panicked, Err(StorageError::Corrupt(m)) if m.contains("dropped")), "{panicked:?}");
    db.write_grouped("key", |_, audit: &mut Appender| {
        audit.append(event(1));
        Ok::<_, StorageError>(())
    })
    .await
    .unwrap();
    assert_eq!(stored_events(&db).await, ["test.write1"]);
}

/// Forty reports of one client at once, with a limit of thirty a minute per reporter: exactly thirty
/// are accepted with the reference numbers 1–30, ten are refused with 429, nothing fails otherwise,
/// and the client's chain holds thirty reports and verifies.
async fn a_burst_of_one_clients_reports_loses_nothing_and_keeps_the_rate_limit(backend: Backend) {
    let app = TestApp::spawn_with(&backend, &[("ART33__SERVER__REPORTS_PER_MINUTE", "30")]).await;
    app.add_client("acme").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let requests = (0..40).map(|n| {
        let request = app.http.post(app.url("/api/v1/incidents")).bearer_auth(&officer).json(&json!({
            "client": "acme", "title": format!("Report {n}"),
            "summary": "A laptop was left on a train.", "discovered_at": "2026-10-22T08:00:00Z",
            "incident_kind": "lost_device", "nature": ["unknown"], "data_categories": ["name_address"],
            "subject_groups": ["customers"]
        }));
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<serde_json::Value>().await.unwrap())
        }
    });
    let answers: Vec<_> = futures::stream::iter(requests).buffer_unordered(40).collect().await;
    let mut references: Vec<String> = answers
        .iter()
        .filter(|(status, _)| *status == 201)
        .map(|(_, body)| body["reference"].as_str().unwrap().to_string())
        .collect();
    let refused = answers.iter().filter(|(status, _)| *status == 429).count();
    assert_eq!((references.len(), refused), (30, 10), "{answers:?}");
    references.sort();
    let year = app.now().format("%Y");
    let expected: Vec<String> = (1..=30).map(|n| format!("ACME-{year}-{n:04}")).collect();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(references, expected_sorted);
    let reports = stored_events(&app.db).await.iter().filter(|t| *t == "report").count();
    assert_eq!(reports, 30);
    assert!(app.db.run(|conn| audit_log::verify(conn, None)).await.unwrap().is_ok());
}

/// On SQLite every write takes the one write lock first, so writes under different keys share a
/// group (they run on the leader's thread, one after another); on PostgreSQL a write under another
/// key does not wait for this key's group (its own leader answers it while this one is held).
async fn on_sqlite_writes_under_any_keys_share_a_group(backend: Backend) {
    let test_db = TestDb::create(&backend);
    let db = open_db(&test_db);
    let (started, release) = (mpsc::channel::<()>(), mpsc::channel::<()>());
    let first = {
        let (started, release) = (started.0, release.1);
        db.write_grouped("a", move |_, _: &mut Appender| {
            started.send(()).unwrap();
            release.recv().unwrap();
            Ok::<_, StorageError>(std::thread::current().id())
        })
    };
    let mut first = pin!(first);
    assert!(futures::poll!(&mut first).is_pending());
    started.1.recv().unwrap();
    let on_thread =
        |_: &mut AnyConnection, _: &mut Appender| Ok::<_, StorageError>(std::thread::current().id());
    let mut same_key = Box::pin(db.write_grouped("a", on_thread));
    let mut other_key = Box::pin(db.write_grouped("b", on_thread));
    assert!(futures::poll!(&mut same_key).is_pending());
    if matches!(backend, Backend::Postgres(_)) {
        // Answered while this key's leader still holds its write: another key, another group.
        let answered = tokio::time::timeout(std::time::Duration::from_secs(30), &mut other_key).await;
        assert!(matches!(answered, Ok(Ok(_))), "PostgreSQL: another key waited for this key's group");
    } else {
        assert!(futures::poll!(&mut other_key).is_pending());
    }
    release.0.send(()).unwrap();
    let leader = first.await.unwrap();
    assert_eq!(same_key.await.unwrap(), leader, "a write under the same key runs in the leader's next group");
    if matches!(backend, Backend::Sqlite) {
        assert_eq!(other_key.await.unwrap(), leader, "SQLite: one group for every key");
    }
}
