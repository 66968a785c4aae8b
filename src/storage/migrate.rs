//! Embedded migrations, one folder per backend with the same names. On PostgreSQL they run under an
//! advisory lock and on SQLite inside an immediate transaction, so that replicas or commands
//! starting together apply the schema exactly once.

use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::backend::AnyConnection;
use super::error::StorageError;

const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Arbitrary but fixed key of the PostgreSQL advisory lock that serialises migrations ("art33mig").
const MIGRATION_LOCK_KEY: i64 = 0x6172_7433_336d_6967;

/// Applies pending migrations; returns the versions applied now (empty when up to date).
pub fn run_pending(conn: &mut AnyConnection) -> Result<Vec<String>, StorageError> {
    let applied = match conn {
        AnyConnection::Postgresql(pg) => {
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})")).execute(pg)?;
            let result = pg
                .run_pending_migrations(POSTGRES)
                .map(versions)
                .map_err(|e| StorageError::Migration(e.to_string()))
                .and_then(|applied| rechain(conn).map(|()| applied));
            let AnyConnection::Postgresql(pg) = conn else { unreachable!("matched above") };
            let unlock =
                diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})")).execute(pg);
            let applied = result?;
            unlock?;
            applied
        }
        AnyConnection::Sqlite(lite) => {
            // WAL first (it cannot change inside a transaction), then take the write lock before
            // looking at what is applied.
            super::backend::ensure_wal(lite, std::time::Duration::from_secs(30))?;
            lite.batch_execute("PRAGMA busy_timeout = 30000;")?;
            let applied = lite.immediate_transaction(|c| {
                c.run_pending_migrations(SQLITE)
                    .map(versions)
                    .map_err(|e| StorageError::Migration(e.to_string()))
            })?;
            rechain(conn)?;
            applied
        }
    };
    Ok(applied)
}

/// The data step of the migration `audit_chains`, right after the SQL: the old single chain is
/// verified and re-chained per client (`audit_log::rechain_v1`), once.
fn rechain(conn: &mut AnyConnection) -> Result<(), StorageError> {
    if let Some(done) = super::audit_log::rechain_v1(conn)?.filter(|done| done.old_head.seq > 0) {
        tracing::info!(
            old_head_seq = done.old_head.seq,
            chains = done.heads.len(),
            "the audit trail's single chain was re-chained per client"
        );
    }
    Ok(())
}

fn versions(list: Vec<diesel::migration::MigrationVersion<'_>>) -> Vec<String> {
    list.iter().map(|v| v.to_string()).collect()
}

/// Whether every embedded migration has been applied.
pub fn is_up_to_date(conn: &mut AnyConnection) -> Result<bool, StorageError> {
    let pending = match conn {
        AnyConnection::Postgresql(pg) => pg.has_pending_migration(POSTGRES),
        AnyConnection::Sqlite(lite) => lite.has_pending_migration(SQLITE),
    };
    let applied = pending.map(|p| !p).map_err(|e| StorageError::Migration(e.to_string()))?;
    Ok(applied && !super::audit_log::has_v1_chain(conn)?)
}
