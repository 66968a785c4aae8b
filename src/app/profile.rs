//! A client's profile (the AP form's chapter 3, the lead supervisory authority, the data subjects'
//! languages): read by the client's DPO, officers and admins; replaced by admins only, with a
//! `client.profile` audit event. The API, the admin page and the CLI all come through here (the CLI
//! as the `cli` actor, with the stored profile and its flags merged into one object first).

use chrono::{DateTime, Utc};

use super::CommandError;
use crate::domain::authz::{self, Action, Target};
use crate::domain::directory::{Client, ClientProfile};
use crate::domain::input::Object;
use crate::domain::tenant::Principal;
use crate::storage::{AnyConnection, directory};

/// The client `slug` with its profile, if `principal` may read it (another client's is
/// [`CommandError::NotFound`] for a DPO).
pub fn get(conn: &mut AnyConnection, principal: &Principal, slug: &str) -> Result<Client, CommandError> {
    let client = directory::client_by_slug(conn, slug)?.ok_or(CommandError::NotFound)?;
    let target = Target { client_id: &client.id, reported_by: &principal.user_id, state: None };
    authz::authorize(principal, Action::ReadClientProfile, Some(target))?;
    Ok(client)
}

/// Replaces the profile of the client `slug` with the one read from `object`
/// ([`ClientProfile::parse`]: absent fields take their defaults); admins only. Answers the client as
/// it is afterwards.
pub fn set(
    conn: &mut AnyConnection,
    principal: &Principal,
    slug: &str,
    object: &Object,
    now: DateTime<Utc>,
) -> Result<Client, CommandError> {
    let client = get(conn, principal, slug)?;
    authz::authorize(principal, Action::ManageDirectory, None)?;
    let profile = ClientProfile::parse(object, client.locale)?;
    directory::set_client_profile(conn, &principal.email, &client.id, &profile, now)?
        .ok_or(CommandError::NotFound)
}
