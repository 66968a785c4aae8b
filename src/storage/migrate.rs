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
            let result = pg.run_pending_migrations(POSTGRES).map(versions);
            let unlock =
                diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})")).execute(pg);
            let applied = result.map_err(|e| StorageError::Migration(e.to_string()))?;
            unlock?;
            applied
        }
        AnyConnection::Sqlite(lite) => {
            // WAL first (it cannot change inside a transaction), then take the write lock before
            // looking at what is applied.
            super::backend::ensure_wal(lite, std::time::Duration::from_secs(30))?;
            lite.batch_execute("PRAGMA busy_timeout = 30000;")?;
            lite.immediate_transaction(|c| {
                c.run_pending_migrations(SQLITE)
                    .map(versions)
                    .map_err(|e| StorageError::Migration(e.to_string()))
            })?
        }
    };
    Ok(applied)
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
    pending.map(|p| !p).map_err(|e| StorageError::Migration(e.to_string()))
}
