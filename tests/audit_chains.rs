//! One audit chain per client plus the system chain (`docs/ARCHITECTURE.md` §8): each chain
//! verifies alone, edits, deletions, a truncated tail and an event swapped between two clients'
//! chains are named; a client's export verifies offline; the old single chain is re-chained; and
//! many clients reporting at once lose nothing.

use std::time::Duration;

use art33::domain::audit::{self, AuditEvent};
use art33::domain::tenant::Role;
use art33::storage::audit_log;
use art33::storage::{AnyConnection, StorageError};
use chrono::{DateTime, Utc};
use diesel::{Connection, RunQueryDsl};
use futures::StreamExt;
use serde_json::json;

use crate::on_both_backends;
use crate::on_both_backends_blocking;
use crate::support::cli::{run, stderr, stdout};
use crate::support::{Backend, TestApp, TestDb, open_db};

on_both_backends!(
    every_chain_verifies_and_one_client_can_be_verified_alone,
    an_edit_or_a_deletion_in_one_clients_chain_is_named,
    a_truncated_tail_is_detected_by_the_system_checkpoint,
    an_event_swapped_between_two_clients_chains_is_named,
    a_clients_export_verifies_offline_and_holds_no_other_clients_events,
    many_clients_reporting_at_once_lose_nothing,
    verify_reads_one_snapshot_while_reports_keep_coming,
);
on_both_backends_blocking!(
    the_single_chain_of_the_previous_version_is_rechained_per_client,
    a_broken_single_chain_is_not_rechained,
);

fn art33(app: &TestApp, args: &[&str]) -> std::process::Output {
    let url = app.settings.database.url.expose().clone();
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), args, &[("ART33__DATABASE__URL", url.as_str())])
}

async fn sql(app: &TestApp, statement: String) {
    app.db
        .run(move |conn| {
            diesel::sql_query(statement).execute(conn)?;
            Ok::<_, StorageError>(())
        })
        .await
        .unwrap();
}

async fn count(app: &TestApp) -> i64 {
    app.db.run(audit_log::count).await.unwrap()
}

/// Two clients with an officer, a report each and a decision on acme's: the client ids.
async fn two_clients(app: &TestApp) -> (String, String, String) {
    let acme = app.add_client("acme").await.id.0;
    let beta = app.add_client("beta").await.id.0;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let a = app.report(&officer, "acme", json!({})).await["id"].as_str().unwrap().to_string();
    app.event_ok(&officer, &a, json!({"type": "confirm"})).await;
    app.event_ok(&officer, &a, json!({"type": "dismiss", "reason": "a false alarm"})).await;
    app.report(&officer, "beta", json!({})).await;
    (acme, beta, officer)
}

async fn every_chain_verifies_and_one_client_can_be_verified_alone(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (acme, beta, _) = two_clients(&app).await;
    let verified = app.db.run(|conn| audit_log::verify(conn, None)).await.unwrap().unwrap();
    let chains: Vec<&str> = verified.chains.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(chains[0], audit::SYSTEM_CHAIN);
    assert!(chains.contains(&acme.as_str()) && chains.contains(&beta.as_str()), "{chains:?}");
    assert_eq!(verified.events(), count(&app).await);

    let all = art33(&app, &["audit", "verify"]);
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    assert_eq!(stdout(&all).trim(), format!("ok {} events", count(&app).await));
    // Only acme's chain (and the system chain, whose checkpoints it answers to).
    let one = art33(&app, &["audit", "verify", "--client", "acme"]);
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    let only = verified
        .chains
        .iter()
        .filter(|(c, _)| c == audit::SYSTEM_CHAIN || *c == acme)
        .map(|(_, n)| n)
        .sum::<i64>();
    assert_eq!(stdout(&one).trim(), format!("ok {only} events"));
    let unknown = art33(&app, &["audit", "verify", "--client", "nope"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));

    // Each client's chain holds its own events only, from 1 on.
    let rows: Vec<(String, Option<String>, i64)> = app
        .db
        .run(|conn| {
            use art33::storage::schema::audit_events::dsl::*;
            use diesel::prelude::*;
            Ok::<_, StorageError>(
                audit_events.select((chain, client_id, seq)).order((chain, seq)).load(conn)?,
            )
        })
        .await
        .unwrap();
    for (chain, client, _) in &rows {
        if chain != audit::SYSTEM_CHAIN {
            assert_eq!(client.as_deref(), Some(chain.as_str()));
        }
    }
    assert_eq!(
        rows.iter().filter(|(c, _, _)| *c == acme).map(|(_, _, s)| *s).collect::<Vec<_>>(),
        (1..=3).collect::<Vec<_>>()
    );
}

async fn an_edit_or_a_deletion_in_one_clients_chain_is_named(backend: Backend) {
    for (statement, named) in [
        (
            "UPDATE audit_events SET detail = replace(detail, 'a false alarm', 'nothing') WHERE chain = '{acme}' AND seq = 3",
            "event 3",
        ),
        (
            "UPDATE audit_events SET actor = 'someone@else.example' WHERE chain = '{acme}' AND seq = 1",
            "event 1",
        ),
        ("DELETE FROM audit_events WHERE chain = '{acme}' AND seq = 2", "event 3"),
    ] {
        let app = TestApp::spawn(&backend).await;
        let (acme, _, _) = two_clients(&app).await;
        assert_eq!(art33(&app, &["audit", "verify"]).status.code(), Some(0));
        sql(&app, statement.replace("{acme}", &acme)).await;
        let out = art33(&app, &["audit", "verify"]);
        assert_eq!(out.status.code(), Some(1), "{statement}");
        let said = stderr(&out);
        assert!(said.contains(&format!("chain {acme}: {named}")), "{statement}: {said}");
        assert_eq!(said.lines().count(), 1);
        // The other client's chain is untouched, and verifies alone.
        assert_eq!(art33(&app, &["audit", "verify", "--client", "beta"]).status.code(), Some(0));
    }
}

/// The tail of acme's chain deleted and its head row set back to match: the chain is consistent in
/// itself, and only the system chain's checkpoint tells. Without a checkpoint it would pass.
async fn a_truncated_tail_is_detected_by_the_system_checkpoint(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (acme, _, _) = two_clients(&app).await;
    let truncate = format!(
        "DELETE FROM audit_events WHERE chain = '{acme}' AND seq > 1; \
         UPDATE audit_heads SET seq = 1, hash = (SELECT hash FROM audit_events WHERE chain = '{acme}' AND seq = 1) WHERE chain = '{acme}'"
    );
    // Before any checkpoint, the same deletion goes unnoticed: the checkpoint is what catches it.
    let app2 = TestApp::spawn(&backend).await;
    let (acme2, _, _) = two_clients(&app2).await;
    for statement in truncate.replace(&acme, &acme2).split("; ") {
        sql(&app2, statement.to_string()).await;
    }
    assert_eq!(art33(&app2, &["audit", "verify"]).status.code(), Some(0));

    app.tick().await;
    let checkpoints = || async {
        app.db
            .run(|conn| {
                use art33::storage::schema::audit_events::dsl::*;
                use diesel::prelude::*;
                Ok::<_, StorageError>(
                    audit_events
                        .filter(event_type.eq(audit::CHECKPOINT))
                        .select(detail)
                        .load::<String>(conn)?,
                )
            })
            .await
            .unwrap()
    };
    let recorded = checkpoints().await;
    assert_eq!(recorded.len(), 1);
    let detail: serde_json::Value = serde_json::from_str(&recorded[0]).unwrap();
    let head = {
        let acme = acme.clone();
        app.db.run(move |conn| audit_log::head(conn, &acme)).await.unwrap()
    };
    assert!(head.seq >= 3);
    assert_eq!(detail["chains"][&acme], json!({"seq": head.seq, "hash": head.hash}), "{detail}");
    assert!(!recorded[0].contains("acme"), "chain keys are ids, not names: {detail}");
    // Nothing moved: no checkpoint, even when one is due. Something moved: not before ten minutes.
    let now = app.now();
    let at = move |minutes: i64| now + chrono::Duration::minutes(minutes);
    assert_eq!(app.db.run(move |conn| audit_log::checkpoint_if_due(conn, at(60))).await.unwrap(), 0);
    let officer = app.add_user_with_token("dpo@beta.example", Role::Dpo, Some("beta")).await;
    app.report(&officer, "beta", json!({})).await;
    assert_eq!(app.db.run(move |conn| audit_log::checkpoint_if_due(conn, at(9))).await.unwrap(), 0);
    assert_eq!(
        app.db.run(move |conn| audit_log::checkpoint_if_due(conn, at(10))).await.unwrap(),
        1,
        "beta moved"
    );
    assert_eq!(checkpoints().await.len(), 2);

    for statement in truncate.split("; ") {
        sql(&app, statement.to_string()).await;
    }
    let out = art33(&app, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(said.contains(&format!("chain {acme}: event {}: the chain was truncated", head.seq)), "{said}");
    let alone = art33(&app, &["audit", "verify", "--client", "acme"]);
    assert_eq!(alone.status.code(), Some(1), "{}", stdout(&alone));
}

async fn an_event_swapped_between_two_clients_chains_is_named(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (acme, beta, _) = two_clients(&app).await;
    assert_eq!(art33(&app, &["audit", "verify"]).status.code(), Some(0));
    // acme's event 1 and beta's event 1 trade places.
    sql(&app, format!("UPDATE audit_events SET chain = 'swap' WHERE chain = '{acme}' AND seq = 1")).await;
    sql(&app, format!("UPDATE audit_events SET chain = '{acme}' WHERE chain = '{beta}' AND seq = 1")).await;
    sql(&app, format!("UPDATE audit_events SET chain = '{beta}' WHERE chain = 'swap' AND seq = 1")).await;
    let out = art33(&app, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    let first = if acme < beta { &acme } else { &beta };
    assert!(said.contains(&format!("chain {first}: event 1: it belongs on another chain")), "{said}");
}

async fn a_clients_export_verifies_offline_and_holds_no_other_clients_events(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (acme, beta, officer) = two_clients(&app).await;
    app.report(&officer, "beta", json!({"title": "beta's own leak"})).await;
    let out = art33(&app, &["export", "register", "--format", "json", "--client", "acme"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(document["chain_head"]["chain"], acme.as_str());
    let events = document["audit_events"].as_array().unwrap();
    assert_eq!(document["chain_head"]["seq"].as_i64().unwrap(), events.len() as i64);
    assert_eq!(events.last().unwrap()["type"], "register.export", "the export is on the client's chain");
    assert_eq!(document["chain_head"]["hash"], events.last().unwrap()["hash"]);
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(!text.contains(&beta) && !text.contains("beta's own leak"), "no other client's events");
    let chain_text = document["audit_events"].to_string();
    assert!(
        chain_text.contains("sha256:") && !chain_text.contains("a false alarm"),
        "free text only as digests"
    );
    let entry = &document["entries"][0];
    assert_eq!(entry["last_event"]["seq"], 3);

    // Offline: no database, no configuration.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acme.json");
    std::fs::write(&file, &out.stdout).unwrap();
    let path = file.to_str().unwrap();
    let ok = run(
        dir.path(),
        &["audit", "verify", "--export", path],
        &[("ART33__DATABASE__URL", "postgres://nowhere.invalid/none")],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(stdout(&ok).trim(), format!("ok {} events", events.len()));
    // The library's check is the same, and so is the procedure docs/OPERATIONS.md gives an auditor.
    assert!(art33::export::verify_export(&text).is_ok());
    assert!(by_the_documented_procedure(&document));
    let mut altered = document.clone();
    altered["audit_events"][1]["actor"] = json!("someone@else.example");
    std::fs::write(&file, serde_json::to_vec(&altered).unwrap()).unwrap();
    let broken = run(dir.path(), &["audit", "verify", "--export", path], &[]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stderr(&broken).contains(&format!("chain {acme}: event 2")), "{}", stderr(&broken));
    assert!(!by_the_documented_procedure(&altered));
    let mut cut = document.clone();
    cut["audit_events"].as_array_mut().unwrap().pop();
    std::fs::write(&file, serde_json::to_vec(&cut).unwrap()).unwrap();
    assert_eq!(run(dir.path(), &["audit", "verify", "--export", path], &[]).status.code(), Some(1));

    // The CSV carries the client's head and each incident's last event on every row.
    let out = art33(&app, &["export", "register", "--client", "acme"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[col("chain_head_seq")], "5");
    assert_eq!(&row[col("last_event_seq")], "3");
    assert_eq!(row[col("last_event_hash")].len(), 64);

    // An export of every client is on the system chain and carries every client's head, no events.
    let out = art33(&app, &["export", "register", "--format", "json"]);
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(all["chain_head"]["chain"], audit::SYSTEM_CHAIN);
    assert!(all.get("audit_events").is_none());
    assert_eq!(all["client_chains"].as_array().unwrap().len(), 2);
    std::fs::write(&file, &out.stdout).unwrap();
    assert_eq!(run(dir.path(), &["audit", "verify", "--export", path], &[]).status.code(), Some(1));
}

/// The offline check as `docs/OPERATIONS.md` describes it, from the file alone, without art33's
/// own code: sorted keys, the chain key as `chain` and `client`, SHA-256 of `prev_hash` ‖ text.
fn by_the_documented_procedure(document: &serde_json::Value) -> bool {
    use sha2::{Digest, Sha256};
    let chain = document["chain_head"]["chain"].as_str().unwrap();
    let mut prev = "0".repeat(64);
    let events = document["audit_events"].as_array().unwrap();
    for (n, e) in (1_i64..).zip(events) {
        if e["seq"] != json!(n) || e["prev_hash"] != json!(prev) {
            return false;
        }
        let text = json!({
            "actor": e["actor"], "at": e["at"], "chain": chain, "client": chain, "detail": e["detail"],
            "incident": e["incident"], "seq": e["seq"], "type": e["type"],
        })
        .to_string();
        let hash = hex::encode(Sha256::digest(format!("{prev}{text}").as_bytes()));
        if e["hash"] != json!(hash) {
            return false;
        }
        prev = hash;
    }
    document["chain_head"]["seq"] == json!(events.len()) && document["chain_head"]["hash"] == json!(prev)
}

/// Many clients report at once: appends to different clients' chains do not wait for each other,
/// nothing is lost, no request fails, and every chain verifies. 100 clients × 20 reports on
/// PostgreSQL; 20 × 5 on SQLite, whose one writer serialises all chains anyway.
async fn many_clients_reporting_at_once_lose_nothing(backend: Backend) {
    let (clients, per_client) = match backend {
        Backend::Postgres(_) => (100, 20),
        Backend::Sqlite => (20, 5),
    };
    let app = TestApp::spawn(&backend).await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    let mut ids = Vec::new();
    for n in 0..clients {
        ids.push(app.add_client(&format!("c{n:03}")).await.id.0);
    }
    let requests = (0..clients * per_client).map(|n| {
        let request = app.http.post(app.url("/api/v1/incidents")).bearer_auth(&officer).json(&json!({
            "client": format!("c{:03}", n % clients), "title": format!("Report {n}"),
            "summary": "A laptop was left on a train.", "discovered_at": "2026-10-22T08:00:00Z",
            "incident_kind": "lost_device", "nature": ["unknown"], "data_categories": ["name_address"],
            "subject_groups": ["customers"]
        }));
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.text().await.unwrap())
        }
    });
    // As many in flight as there are clients: each client's reports queue on its own chain.
    let statuses: Vec<_> = futures::stream::iter(requests).buffer_unordered(clients).collect().await;
    let failed: Vec<_> = statuses.iter().filter(|(s, _)| s.as_u16() != 201).collect();
    assert!(failed.is_empty(), "{} of {} failed: {:?}", failed.len(), statuses.len(), failed.first());
    let verified = app.db.run(|conn| audit_log::verify(conn, None)).await.unwrap().unwrap();
    assert_eq!(verified.events(), count(&app).await);
    let reports: Vec<(String, i64)> = app
        .db
        .run(|conn| {
            use art33::storage::schema::audit_events::dsl::*;
            use diesel::dsl::count_star;
            use diesel::prelude::*;
            Ok::<_, StorageError>(
                audit_events
                    .filter(event_type.eq("report"))
                    .group_by(chain)
                    .select((chain, count_star()))
                    .load(conn)?,
            )
        })
        .await
        .unwrap();
    assert_eq!(reports.len(), clients);
    for (chain, n) in &reports {
        assert!(ids.contains(chain));
        assert_eq!(*n, per_client as i64, "chain {chain}");
    }
}

/// A register export of `client`'s, an event of its own chain.
/// `audit verify` on a live system: while reports keep appending to a client's chain, each
/// verification reads the events and the heads as of one instant. Read statement by statement, the
/// head moved past the last event read and a sound chain was reported broken ("the chain head
/// (event 97) does not match the last event (93)", seen after a restart with alerts firing). Every
/// other verification runs as an operator runs it, `art33 audit verify` in a process of its own;
/// without the snapshot, PostgreSQL's half failed in every run and SQLite's in about one run of
/// three (its window is microseconds).
async fn verify_reads_one_snapshot_while_reports_keep_coming(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let officer = app.add_user_with_token("officer@gx.example", Role::Officer, None).await;
    // Writers append until 300 reports are in; the chain is verified over and over meanwhile.
    let made = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (http, url, officer, made) =
                (app.http.clone(), app.url("/api/v1/incidents"), officer.clone(), made.clone());
            tokio::spawn(async move {
                while made.load(std::sync::atomic::Ordering::SeqCst) < 300 {
                    let response = http.post(&url).bearer_auth(&officer).json(&json!({
                        "client": "acme", "title": format!("Report of writer {w}"),
                        "summary": "A laptop was left on a train.", "discovered_at": "2026-10-22T08:00:00Z",
                        "incident_kind": "lost_device", "nature": ["unknown"],
                        "data_categories": ["name_address"], "subject_groups": ["customers"]
                    })).send().await.unwrap();
                    assert_eq!(response.status().as_u16(), 201, "{}", response.text().await.unwrap());
                    made.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            })
        })
        .collect();
    let (mut verified, mut broken) = (0, Vec::new());
    while made.load(std::sync::atomic::Ordering::SeqCst) < 300 || verified + broken.len() < 20 {
        // In this process, and as an operator runs it: `art33 audit verify`, a process of its own.
        if (verified + broken.len()) % 2 == 0 {
            match app.db.run(|conn| audit_log::verify(conn, None)).await.unwrap() {
                Ok(_) => verified += 1,
                Err(b) => broken.push(b.to_string()),
            }
        } else {
            let app = &app;
            let cli = tokio::task::block_in_place(|| art33(app, &["audit", "verify"]));
            match cli.status.code() {
                Some(0) => verified += 1,
                _ => broken.push(stderr(&cli)),
            }
        }
    }
    for writer in writers {
        writer.await.unwrap();
    }
    assert!(
        broken.is_empty(),
        "{} of {} verifications saw a break: {:?}",
        broken.len(),
        verified + broken.len(),
        broken.first()
    );
    let settled = app.db.run(|conn| audit_log::verify(conn, None)).await.unwrap().unwrap();
    assert_eq!(settled.events(), count(&app).await);
}

fn export_event(client: &str) -> AuditEvent {
    AuditEvent {
        at: "2026-10-22T12:00:00Z".parse::<DateTime<Utc>>().unwrap(),
        actor: "cli".into(),
        client_id: Some(client.into()),
        incident_id: None,
        event_type: "register.export".into(),
        detail: json!({}),
    }
}

/// Appends `event` in a transaction that holds its chain's head until the returned sender is
/// sent to; returns once the head is held, with the holder's thread.
fn hold_the_head(
    db: &art33::storage::Database,
    event: AuditEvent,
) -> (std::thread::JoinHandle<()>, std::sync::mpsc::Sender<()>) {
    let (held, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
    let holder = {
        let db = db.clone();
        let (held, release) = (held.0, release.1);
        std::thread::spawn(move || {
            db.run_blocking(|conn| {
                conn.transaction(|tx| {
                    audit_log::write_tx(tx, |_, audit| {
                        audit.append(event);
                        Ok::<_, StorageError>(())
                    })?;
                    held.send(()).unwrap();
                    release.recv().unwrap();
                    Ok::<_, StorageError>(())
                })
            })
            .unwrap();
        })
    };
    held.1.recv().unwrap();
    (holder, release.0)
}

/// While one transaction holds acme's chain head (it appended and has not committed), an append to
/// beta's chain commits at once, and another append to acme's waits. PostgreSQL only: SQLite has
/// one writer for the whole database, so every write waits there (`audit_log::WriterTurns`).
#[test]
fn appends_to_different_clients_chains_never_wait_for_each_other() {
    let Some(backend) = Backend::postgres() else { return };
    let test_db = TestDb::create(&backend);
    let db = open_db(&test_db);
    let (a, b) = db
        .run_blocking(|conn| {
            let now = "2026-10-22T12:00:00Z".parse().unwrap();
            let new = |slug: &str| art33::storage::directory::NewClient {
                slug: slug.into(),
                name: slug.into(),
                dpo_email: format!("dpo@{slug}.example"),
                dpo_name: None,
                escalation_emails: vec![],
                locale: art33::domain::locale::Locale::En,
            };
            let a = art33::storage::directory::insert_client(conn, "cli", &new("acme"), now)?;
            let b = art33::storage::directory::insert_client(conn, "cli", &new("beta"), now)?;
            Ok::<_, StorageError>((a.id.0, b.id.0))
        })
        .unwrap();
    let (holder, release) = hold_the_head(&db, export_event(&a));
    let append = |client: String| {
        let (db, ev) = (db.clone(), export_event(&client));
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = db.run_blocking(|conn| {
                audit_log::write_tx(conn, |_, audit| {
                    audit.append(ev);
                    Ok::<_, StorageError>(())
                })
            });
            done.send(result.is_ok()).unwrap();
        });
        finished
    };
    let other = append(b.clone());
    assert_eq!(other.recv_timeout(Duration::from_secs(10)), Ok(true), "beta's append waited for acme's");
    let same = append(a.clone());
    assert!(same.recv_timeout(Duration::from_millis(500)).is_err(), "acme's second append did not wait");
    release.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(same.recv_timeout(Duration::from_secs(10)), Ok(true));
    let verified = db.run_blocking(|conn| audit_log::verify(conn, None)).unwrap().unwrap();
    let of = |chain: &str| verified.chains.iter().find(|(c, _)| c == chain).map(|(_, n)| *n);
    assert_eq!((of(&a), of(&b)), (Some(2), Some(1)));
}

/// On PostgreSQL a write that appends to many chains (a tick touches a hundred clients') locks their
/// heads and reads their last instants in one statement and moves them in another, however many
/// chains there are; a chain's first append, and a head another writer moved while this one waited
/// for its lock, are read again one by one; every chain verifies with each of its events.
#[test]
fn a_write_to_many_chains_locks_and_moves_their_heads_at_once() {
    use crate::support::statements::Recorder;
    let Some(backend) = Backend::postgres() else { return };
    let test_db = TestDb::create(&backend);
    let db = open_db(&test_db);
    let clients: Vec<String> = db
        .run_blocking(|conn| {
            let now = "2026-10-22T12:00:00Z".parse().unwrap();
            let mut ids = Vec::new();
            for n in 0..12 {
                let slug = format!("client-{n:02}");
                let new = art33::storage::directory::NewClient {
                    slug: slug.clone(),
                    name: slug.clone(),
                    dpo_email: format!("dpo@{slug}.example"),
                    dpo_name: None,
                    escalation_emails: vec![],
                    locale: art33::domain::locale::Locale::En,
                };
                ids.push(art33::storage::directory::insert_client(conn, "cli", &new, now)?.id.0);
            }
            Ok::<_, StorageError>(ids)
        })
        .unwrap();
    // Appends one event to each of `chains` in one write; returns the statements it sent.
    let write = |chains: Vec<String>| {
        let events: Vec<AuditEvent> = chains.iter().map(|c| export_event(c)).collect();
        db.run_blocking(move |conn| {
            let recorder = Recorder::start(conn);
            let written = audit_log::write_tx(conn, |_, audit| {
                for event in events {
                    audit.append(event);
                }
                Ok::<_, StorageError>(())
            });
            Recorder::stop(conn);
            written.map(|()| recorder.statements())
        })
        .unwrap()
    };
    // The first appends to half the chains make their heads, one by one.
    write(clients[..6].to_vec());
    // Twelve chains, six of them new: read one by one where a head is missing.
    write(clients.clone());
    // Then two chains or twelve take the same five statements: begin, the heads with their last
    // instants, the events, the heads moved, commit.
    let two = write(clients[..2].to_vec());
    let twelve = write(clients.clone());
    assert_eq!(twelve.len(), 5, "{twelve:#?}");
    assert_eq!(two.len(), twelve.len(), "{two:#?}");

    // A head moved by another writer while this write waited for its lock.
    let (holder, release) = hold_the_head(&db, export_event(&clients[3]));
    let waiting = {
        let (db, events) = (db.clone(), clients.iter().map(|c| export_event(c)).collect::<Vec<_>>());
        std::thread::spawn(move || {
            db.run_blocking(|conn| {
                audit_log::write_tx(conn, |_, audit| {
                    for event in events {
                        audit.append(event);
                    }
                    Ok::<_, StorageError>(())
                })
            })
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    release.send(()).unwrap();
    holder.join().unwrap();
    waiting.join().unwrap().unwrap();

    let verified = db.run_blocking(|conn| audit_log::verify(conn, None)).unwrap().unwrap();
    let of = |chain: &str| verified.chains.iter().find(|(c, _)| c == chain).map(|(_, n)| *n);
    for (n, client) in clients.iter().enumerate() {
        // Each client's own events: the writes above (the first only for the first six, the
        // two-chain one only for the first two), the last one, and the holder's for client 3.
        let expected = 3 + usize::from(n < 6) + usize::from(n < 2) + usize::from(n == 3);
        let own = of(client).unwrap_or(0) as usize;
        assert_eq!(own, expected, "client {n}: {:?}", verified.chains);
    }
}

/// The version of the migration to per-client chains, in digits.
const PER_CLIENT_CHAINS: &str = "20261205000060";

/// A database at the version before per-client chains: every earlier migration applied.
fn previous_version(test_db: &TestDb) -> AnyConnection {
    use diesel::migration::MigrationSource;
    use diesel_migrations::MigrationHarness;
    const SQLITE: diesel_migrations::EmbeddedMigrations =
        diesel_migrations::embed_migrations!("migrations/sqlite");
    const POSTGRES: diesel_migrations::EmbeddedMigrations =
        diesel_migrations::embed_migrations!("migrations/postgres");
    fn up_to<
        DB: diesel::backend::Backend,
        C: MigrationHarness<DB> + diesel::migration::MigrationConnection,
    >(
        conn: &mut C,
        source: &impl MigrationSource<DB>,
    ) {
        conn.setup().unwrap();
        let mut all = source.migrations().unwrap();
        let digits = |m: &dyn diesel::migration::Migration<DB>| {
            m.name().version().to_string().chars().filter(char::is_ascii_digit).collect::<String>()
        };
        all.sort_by_key(|m| digits(m.as_ref()));
        assert!(all.iter().any(|m| digits(m.as_ref()) == PER_CLIENT_CHAINS));
        for migration in all.iter().filter(|m| digits(m.as_ref()).as_str() < PER_CLIENT_CHAINS) {
            conn.run_migration(migration.as_ref()).unwrap();
        }
    }
    if let Some(path) = test_db.url.strip_prefix("sqlite://") {
        let mut conn = diesel::SqliteConnection::establish(path).unwrap();
        up_to(&mut conn, &SQLITE);
        AnyConnection::Sqlite(conn)
    } else {
        let mut conn = diesel::PgConnection::establish(&test_db.url).unwrap();
        up_to(&mut conn, &POSTGRES);
        AnyConnection::Postgresql(conn)
    }
}

/// Two clients, their events and the directory's, on the old single chain; returns the old head.
fn seed_single_chain(conn: &mut AnyConnection) -> audit_log::Head {
    for (id, slug) in [("client-a", "acme"), ("client-b", "beta")] {
        diesel::sql_query(format!(
            "INSERT INTO clients (id, slug, name, dpo_email, created_at) VALUES ('{id}', '{slug}', '{slug}', 'dpo@{slug}.example', '2026-10-01 00:00:00')"
        ))
        .execute(conn)
        .unwrap();
    }
    let t0: DateTime<Utc> = "2026-10-01T08:00:00Z".parse().unwrap();
    let event = |n: i64, client: Option<&str>, kind: &str, detail: serde_json::Value| AuditEvent {
        at: t0 + chrono::Duration::minutes(n),
        actor: "officer@gx.example".into(),
        client_id: client.map(str::to_string),
        incident_id: None,
        event_type: kind.into(),
        detail,
    };
    let events = vec![
        event(0, Some("client-a"), "client.add", json!({"slug": "acme"})),
        event(1, Some("client-b"), "client.add", json!({"slug": "beta"})),
        event(2, None, "token.create", json!({"token_id": "t1"})),
        event(
            3,
            Some("client-a"),
            "register.export",
            json!({"format": "csv", "client": "acme", "entries": 0}),
        ),
        event(
            4,
            Some("client-b"),
            "register.export",
            json!({"format": "json", "client": "beta", "entries": 0}),
        ),
        event(
            5,
            Some("client-a"),
            "withdraw",
            json!({"reason": "a false alarm", "from": "confirmed", "to": "withdrawn"}),
        ),
        event(6, None, "register.export", json!({"format": "csv", "client": null, "entries": 0})),
    ];
    audit_log::append_v1_for_tests(conn, events).unwrap()
}

fn the_single_chain_of_the_previous_version_is_rechained_per_client(backend: &Backend) {
    let test_db = TestDb::create(backend);
    let old_head = {
        let mut conn = previous_version(&test_db);
        seed_single_chain(&mut conn)
    };
    assert_eq!(old_head.seq, 7);
    let db = open_db(&test_db);
    let verified = db.run_blocking(|conn| audit_log::verify(conn, None)).unwrap().unwrap();
    let of = |chain: &str| verified.chains.iter().find(|(c, _)| c == chain).map(|(_, n)| *n);
    // System: two client.add, the token, the export of every client, and the record of the re-chaining.
    assert_eq!((of("system"), of("client-a"), of("client-b")), (Some(5), Some(2), Some(1)));
    let (events, gone, current) = db
        .run_blocking(|conn| {
            Ok::<_, StorageError>((
                audit_log::chain_events(conn, "system", 5)?,
                !audit_log::has_v1_chain(conn)?,
                art33::storage::migrate::is_up_to_date(conn)?,
            ))
        })
        .unwrap();
    assert!(gone && current);
    let last = &events[4].event;
    assert_eq!(last.event_type, audit::RECHAINED);
    assert_eq!(last.detail, json!({"old_head": {"seq": 7, "hash": old_head.hash}, "events": 7}));
    let a = db.run_blocking(|conn| audit_log::chain_events(conn, "client-a", 2)).unwrap();
    assert_eq!(
        a.iter().map(|e| e.event.event_type.as_str()).collect::<Vec<_>>(),
        ["register.export", "withdraw"]
    );
    assert!(a.iter().all(|e| e.event.client_id.as_deref() == Some("client-a")));
    // New appends go on after the re-chained events.
    let head = db.run_blocking(|conn| audit_log::head(conn, "client-a")).unwrap();
    assert_eq!(head.seq, 2);
    // Opening again changes nothing.
    drop(db);
    let again = open_db(&test_db);
    assert_eq!(again.run_blocking(|conn| audit_log::verify(conn, None)).unwrap().unwrap(), verified);
}

fn a_broken_single_chain_is_not_rechained(backend: &Backend) {
    let test_db = TestDb::create(backend);
    {
        let mut conn = previous_version(&test_db);
        seed_single_chain(&mut conn);
        // The previous version's migration keeps the table as audit_events until the new one runs.
        diesel::sql_query("UPDATE audit_events SET actor = 'someone@else.example' WHERE seq = 4")
            .execute(&mut conn)
            .unwrap();
    }
    let url = art33::storage::DatabaseUrl::parse(&test_db.url).unwrap();
    let refused =
        art33::storage::Database::open_url(&url, 2, Duration::from_secs(5), art33::storage::OnOpen::Migrate);
    let Err(refused) = refused else { panic!("a broken chain is refused") };
    let message = refused.to_string();
    assert!(message.contains("broken at event 4"), "{message}");
    // Nothing was re-chained: the old chain waits, and the schema is not current.
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["audit", "verify"], &[("ART33__DATABASE__URL", test_db.url.as_str())]);
    assert_ne!(out.status.code(), Some(0), "{}", stdout(&out));
}
