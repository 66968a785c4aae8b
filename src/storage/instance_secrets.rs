//! Secrets of the installation that art33 makes itself when none is configured (table
//! `instance_secrets`): today the key that signs acknowledgement links outside production, made
//! once at the first start and kept, so that links mailed before a restart keep working
//! (`config.rs` decides when a key may be made; `cli.rs` asks for it before serving).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::backend::AnyConnection;
use super::error::StorageError;
use super::schema::instance_secrets;
use super::to_db;

/// The name under which the link-signing key is kept.
pub const SECRET_KEY: &str = "server.secret_key";

/// The value kept under `name`, storing `candidate` first when there is none. The insert does
/// nothing when a value exists, and the value is read back after it: several processes starting
/// together all end with the one value that was stored first.
pub fn get_or_insert(
    conn: &mut AnyConnection,
    name: &str,
    candidate: &str,
    now: DateTime<Utc>,
) -> Result<String, StorageError> {
    let row = (
        instance_secrets::name.eq(name),
        instance_secrets::value.eq(candidate),
        instance_secrets::created_at.eq(to_db(now)),
    );
    on_backend!(conn, |c| diesel::insert_into(instance_secrets::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(instance_secrets::table
        .filter(instance_secrets::name.eq(name))
        .select(instance_secrets::value)
        .get_result(conn)?)
}
