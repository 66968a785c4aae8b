//! Migrations: the same names on both backends, applied once even when started together.

use std::collections::BTreeSet;

use diesel::{Connection, QueryableByName, RunQueryDsl};

use crate::support::cli::{run, stderr};
use crate::support::{Backend, TestDb, open_db};

fn migration_names(backend: &str) -> BTreeSet<String> {
    std::fs::read_dir(format!("{}/migrations/{backend}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect()
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = migration_names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, migration_names("postgres"));
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[test]
fn ten_concurrent_migrations_on_postgres_apply_the_schema_once() {
    let Some(backend) = Backend::postgres() else { return };
    let db = TestDb::create(&backend);
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..10)
        .map(|_| {
            crate::support::cli::command(
                dir.path(),
                &["migrate"],
                &[("ART33__DATABASE__URL", db.url.as_str())],
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    let mut applied_by = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        if String::from_utf8_lossy(&out.stdout).starts_with("applied") {
            applied_by += 1;
        }
    }
    assert_eq!(applied_by, 1, "exactly one process applied the migrations");
    let mut conn = diesel::PgConnection::establish(&db.url).unwrap();
    let count: Count = diesel::sql_query("SELECT count(*) AS n FROM __diesel_schema_migrations")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(count.n as usize, migration_names("postgres").len());
}

#[test]
fn concurrent_migrations_on_sqlite_apply_the_schema_once() {
    let db = TestDb::create(&Backend::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..5)
        .map(|_| {
            crate::support::cli::command(
                dir.path(),
                &["migrate"],
                &[("ART33__DATABASE__URL", db.url.as_str())],
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = run(dir.path(), &["migrate"], &[("ART33__DATABASE__URL", db.url.as_str())]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "database is up to date");
}

#[derive(QueryableByName)]
struct Pragma {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

#[test]
fn sqlite_runs_in_wal_mode_with_foreign_keys_on() {
    let test_db = TestDb::create(&Backend::Sqlite);
    let db = open_db(&test_db);
    let (journal, foreign_keys, busy) = db
        .run_blocking(|conn| {
            let q = |conn: &mut art33::storage::AnyConnection,
                     sql: &str|
             -> Result<String, art33::storage::StorageError> {
                Ok(diesel::sql_query(sql).get_result::<Pragma>(conn)?.value)
            };
            Ok::<_, art33::storage::StorageError>((
                q(conn, "SELECT journal_mode AS value FROM pragma_journal_mode")?,
                q(conn, "SELECT CAST(foreign_keys AS TEXT) AS value FROM pragma_foreign_keys")?,
                q(conn, "SELECT CAST(timeout AS TEXT) AS value FROM pragma_busy_timeout")?,
            ))
        })
        .unwrap();
    assert_eq!(journal, "wal");
    assert_eq!(foreign_keys, "1");
    assert_eq!(busy, "10000");
}

/// Every migration reverts cleanly (its `down.sql` undoes its `up.sql`) and applies again, so an
/// upgrade can be rolled back.
fn migrations_revert_and_apply_again<C>(
    mut conn: C,
    migrations: fn() -> diesel_migrations::EmbeddedMigrations,
) where
    C: diesel_migrations::MigrationHarness<C::Backend> + diesel::Connection,
{
    let all = conn.run_pending_migrations(migrations()).unwrap().len();
    assert_eq!(all, migration_names("sqlite").len());
    for _ in 0..all {
        conn.revert_last_migration(migrations()).unwrap();
    }
    assert!(conn.applied_migrations().unwrap().is_empty());
    assert_eq!(conn.run_pending_migrations(migrations()).unwrap().len(), all);
}

#[test]
fn sqlite_migrations_revert_and_apply_again() {
    let db = TestDb::create(&Backend::Sqlite);
    let path = db.url.trim_start_matches("sqlite://");
    const SQLITE: diesel_migrations::EmbeddedMigrations =
        diesel_migrations::embed_migrations!("migrations/sqlite");
    migrations_revert_and_apply_again(diesel::SqliteConnection::establish(path).unwrap(), || SQLITE);
}

#[test]
fn postgres_migrations_revert_and_apply_again() {
    let Some(backend) = Backend::postgres() else { return };
    let db = TestDb::create(&backend);
    const POSTGRES: diesel_migrations::EmbeddedMigrations =
        diesel_migrations::embed_migrations!("migrations/postgres");
    migrations_revert_and_apply_again(diesel::PgConnection::establish(&db.url).unwrap(), || POSTGRES);
}
