//! Alert channels beyond e-mail (`docs/ARCHITECTURE.md` §7a): add one to a client or to the
//! officers' team, list them (URLs masked), remove one, queue a test message. Admins only on the
//! pages; the CLI acts as the operator. Every change is audited by `storage::alert_channels`.

use chrono::{DateTime, Utc};

use super::CommandError;
use crate::config::Settings;
use crate::domain::authz::{self, Action};
use crate::domain::error::FieldError;
use crate::domain::locale::Locale;
use crate::domain::tenant::Principal;
use crate::notify::webhook::{self, ChannelKind, payload};
use crate::storage::alert_channels::{self, NewChannel};
use crate::storage::outbox::NewMail;
use crate::storage::{AnyConnection, directory};

/// Whose alerts a channel receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// The officers' team: every client's alerts.
    Team,
    /// One client's alerts (its slug).
    Client(String),
}

/// A channel as lists show it: the URL masked (host and last four characters).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChannelView {
    /// Identifier.
    pub id: String,
    /// The client's slug, or `None` for the officers' team.
    pub client: Option<String>,
    /// Kind.
    pub kind: String,
    /// Host and the last four characters.
    pub url: String,
    /// When added.
    pub created_at: DateTime<Utc>,
    /// By whom.
    pub created_by: String,
    /// The latest test message: `pending`, `sent` or `failed`.
    pub last_test: Option<String>,
    /// Its HTTP status, if the endpoint answered.
    pub last_test_code: Option<i32>,
    /// Its error, if it failed (never the URL).
    pub last_test_error: Option<String>,
}

/// A channel just added; the generic kind's secret is shown this once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// Identifier.
    pub id: String,
    /// The signing secret (`whsec_…`) of a generic webhook.
    pub secret: Option<String>,
}

fn may_manage(principal: Option<&Principal>) -> Result<(), CommandError> {
    match principal {
        Some(principal) => Ok(authz::authorize(principal, Action::ManageDirectory, None)?),
        None => Ok(()),
    }
}

/// Checks a kind and a URL as typed: the field named on refusal (`kind`, `url`).
pub fn check(kind: &str, url: &str) -> Result<ChannelKind, FieldError> {
    let parsed = ChannelKind::parse(kind)
        .ok_or_else(|| FieldError::new("kind", "must be one of webhook, teams, slack, mattermost"))?;
    webhook::check_url(url).map_err(|why| FieldError::new("url", why))?;
    Ok(parsed)
}

/// Adds a channel for `owner`. `principal` is the signed-in admin (pages), `None` for the CLI.
pub fn add(
    conn: &mut AnyConnection,
    principal: Option<&Principal>,
    actor: &str,
    owner: &Owner,
    kind: &str,
    url: &str,
    now: DateTime<Utc>,
) -> Result<Added, CommandError> {
    may_manage(principal)?;
    let kind = check(kind, url)?;
    let client_id = match owner {
        Owner::Team => None,
        Owner::Client(slug) => Some(
            directory::client_by_slug(conn, slug.trim())?
                .ok_or_else(|| FieldError::new("client", "names no client"))?
                .id
                .0,
        ),
    };
    let secret = kind.is_signed().then(webhook::new_secret);
    let new = NewChannel { client_id, kind: kind.as_str().to_string(), url: url.trim().to_string(), secret };
    let id = alert_channels::insert(conn, actor, &new, now)?;
    Ok(Added { id, secret: new.secret })
}

/// The active channels, the team's first.
pub fn list(
    conn: &mut AnyConnection,
    principal: Option<&Principal>,
) -> Result<Vec<ChannelView>, CommandError> {
    may_manage(principal)?;
    Ok(alert_channels::list(conn)?
        .into_iter()
        .map(|c| {
            let (last_test, last_test_code, last_test_error) = match c.last_test {
                Some((status, code, error)) => (Some(status), code, error),
                None => (None, None, None),
            };
            ChannelView {
                id: c.id,
                client: c.client.map(|(_, slug)| slug),
                kind: c.kind,
                url: webhook::mask_url(&c.url),
                created_at: c.created_at,
                created_by: c.created_by,
                last_test,
                last_test_code,
                last_test_error,
            }
        })
        .collect())
}

/// Removes a channel (404 when there is no such active channel).
pub fn remove(
    conn: &mut AnyConnection,
    principal: Option<&Principal>,
    actor: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), CommandError> {
    may_manage(principal)?;
    if alert_channels::remove(conn, actor, id.trim(), now)? { Ok(()) } else { Err(CommandError::NotFound) }
}

/// Queues a test message to a channel through the outbox (kind `test`, no incident); the webhook
/// loop delivers it like an alert, and the lists show its outcome. Answers its `webhook-id`.
pub fn test(
    conn: &mut AnyConnection,
    principal: Option<&Principal>,
    actor: &str,
    settings: &Settings,
    id: &str,
    now: DateTime<Utc>,
) -> Result<String, CommandError> {
    may_manage(principal)?;
    let target =
        alert_channels::target(conn, id.trim())?.filter(|t| t.active).ok_or(CommandError::NotFound)?;
    let kind = ChannelKind::parse(&target.kind).ok_or(CommandError::NotFound)?;
    let client = match &target.client_id {
        Some(client_id) => {
            directory::clients_by_ids(conn, std::slice::from_ref(client_id))?.remove(client_id.as_str())
        }
        None => None,
    };
    let locale = client.as_ref().map_or(Locale::default(), |c| c.locale);
    let notice = payload::Notice {
        code: None,
        reference: None,
        client: client.as_ref().map(|c| c.slug.clone()),
        client_name: client.as_ref().map(|c| c.name.clone()),
        deadline_at: None,
        remaining_seconds: None,
        overdue: false,
        url: settings.server.base_url.clone(),
        at: now,
        locale,
    };
    let row = NewMail {
        incident_id: None,
        client_id: target.client_id.clone(),
        alert_id: None,
        kind: alert_channels::TEST_KIND.to_string(),
        locale: locale.as_str().to_string(),
        to: target.id.clone(),
        subject: notice.event_type(),
        body_text: payload::render(kind, &notice),
        body_html: None,
        message_id: webhook::new_webhook_id(),
    };
    alert_channels::enqueue_test(conn, actor, &target, &row, now)?;
    Ok(row.message_id)
}
