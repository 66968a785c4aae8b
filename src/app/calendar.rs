//! A user's deadline calendar: the feed behind a personal secret URL, and making or stopping that
//! URL. The feed holds exactly the running clocks the user may see (the user's tenant scope, the
//! same as the dashboard's), as the pure [`crate::domain::calendar`] lays them out.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::auth;
use crate::crypto;
use crate::domain::calendar::{self, DeadlineEntry};
use crate::domain::directory::User;
use crate::domain::escalation::EscalationPolicy;
use crate::domain::incident::State;
use crate::domain::locale::Locale;
use crate::storage::backend::AnyConnection;
use crate::storage::error::StorageError;
use crate::storage::incidents::{self, ListFilter};
use crate::storage::{calendar_feeds, directory};

/// The entries of the feed whose secret is `secret`, in its user's language, or `None` when no
/// live feed has it (never made, revoked, or its user deactivated).
pub fn feed(
    conn: &mut AnyConnection,
    secret: &str,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Option<(Vec<DeadlineEntry>, Locale)>, StorageError> {
    let Some((principal, locale)) = calendar_feeds::principal_by_digest(conn, &auth::token_digest(secret))?
    else {
        return Ok(None);
    };
    let filter = ListFilter { state: Some(State::Confirmed), ..ListFilter::default() };
    let running = incidents::list(conn, &principal.scope(), &filter, now, policy)?;
    let mut ids: Vec<String> = running.iter().map(|i| i.client_id.0.clone()).collect();
    ids.sort();
    ids.dedup();
    let names: BTreeMap<String, String> =
        directory::clients_by_ids(conn, &ids)?.into_iter().map(|(id, c)| (id, c.name)).collect();
    let with_names = running.iter().map(|i| (i, names.get(&i.client_id.0).map_or("", String::as_str)));
    Ok(Some((calendar::entries(with_names, now, policy), locale.unwrap_or_default())))
}

/// Makes a new feed URL secret for `user` (the old one stops working); shown once, stored as a digest.
pub fn make(conn: &mut AnyConnection, user: &User, now: DateTime<Utc>) -> Result<String, StorageError> {
    let secret = crypto::random_token(32);
    calendar_feeds::replace(conn, user, &auth::token_digest(&secret), now)?;
    Ok(secret)
}
