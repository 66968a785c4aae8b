//! Incidents.

use diesel::prelude::*;

use super::backend::AnyConnection;
use super::error::StorageError;
use super::schema::incidents;
use crate::domain::tenant::TenantScope;

/// The ids of the incidents inside `scope`.
pub fn list_ids(conn: &mut AnyConnection, scope: &TenantScope) -> Result<Vec<String>, StorageError> {
    let mut query = incidents::table.select(incidents::id).into_boxed();
    query = match scope {
        TenantScope::All => query,
        TenantScope::Client(client) => query.filter(incidents::client_id.eq(client.0.clone())),
        TenantScope::ReportedBy(user) => query.filter(incidents::reported_by.eq(user.0.clone())),
        TenantScope::Nothing => query.filter(incidents::id.is_null()),
    };
    Ok(query.load(conn)?)
}
