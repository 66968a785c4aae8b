//! `/admin/channels`: the alert channels beyond e-mail (`docs/ARCHITECTURE.md` §7a): per client and
//! for the officers' team, with their URLs masked, the latest test message's outcome, a "Send test"
//! button (a test message through the outbox), removal, and a form to add one (a generic webhook's
//! signing secret is shown once, on the answer to the form). Admins only.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::forms::{self, ErrorLink, Fields};
use super::report::Choice;
use super::{Nav, PageError, PageSession, Ui, render_with, see_other};
use crate::app::CommandError;
use crate::app::channels::{self, ChannelView, Owner};
use crate::domain::authz::{self, Action};
use crate::notify::webhook::ChannelKind;
use crate::storage::directory;
use crate::web::AppState;

/// The value of the owner choice that means the officers' team.
const TEAM: &str = "_team";

#[derive(Template)]
#[template(path = "pages/admin_channels.html")]
struct ChannelsPage {
    ui: Ui,
    nav: Option<Nav>,
    channels: Vec<ChannelView>,
    owners: Vec<Choice>,
    kinds: Vec<Choice>,
    url: String,
    /// The generic webhook's secret, shown once after adding it.
    new_secret: Option<String>,
    /// What was just done: `added`, `tested`, `removed`, or empty.
    done: String,
    errors: BTreeMap<String, String>,
    summary: Vec<ErrorLink>,
}

impl ChannelsPage {
    fn csrf(&self) -> &str {
        self.nav.as_ref().map_or("", |n| n.csrf.as_str())
    }

    fn error_at(&self, id: &str) -> Option<&String> {
        self.errors.get(id)
    }

    /// "the officers' team" or the client's slug.
    fn owner(&self, channel: &ChannelView) -> String {
        channel.client.clone().unwrap_or_else(|| self.ui.t("channels-team").to_string())
    }

    /// The latest test message's outcome in words.
    fn last_test(&self, channel: &ChannelView) -> String {
        match (&channel.last_test, channel.last_test_code, &channel.last_test_error) {
            (None, _, _) => self.ui.t("channels-test-never").to_string(),
            (Some(status), Some(code), _) => format!("{} (HTTP {code})", self.ui.delivery_status(status)),
            (Some(status), None, Some(error)) => format!("{} ({error})", self.ui.delivery_status(status)),
            (Some(status), None, None) => self.ui.delivery_status(status).to_string(),
        }
    }
}

fn require_admin(session: &PageSession) -> Result<(), PageError> {
    authz::authorize(session.principal(), Action::ManageDirectory, None)
        .map_err(|e| PageError::Forbidden(e.to_string()))
}

/// Where a field of the form is: its input's id and its label.
fn place(field: &str) -> Option<(String, &'static str)> {
    let (id, label) = match field {
        "client" => ("owner", "channels-owner"),
        "kind" => ("kind", "channels-kind"),
        "url" => ("url", "channels-url"),
        _ => return None,
    };
    Some((id.to_string(), label))
}

/// What the form showed, and what comes back with it.
#[derive(Default)]
struct Shown {
    owner: String,
    kind: String,
    url: String,
    new_secret: Option<String>,
    done: String,
    errors: BTreeMap<String, String>,
}

async fn show(
    state: &AppState,
    session: PageSession,
    status: StatusCode,
    shown: Shown,
) -> Result<HttpResponse, PageError> {
    let principal = session.principal().clone();
    let (list, clients) = state
        .db
        .run(move |conn| {
            let list = channels::list(conn, Some(&principal))?;
            Ok::<_, CommandError>((list, directory::list_clients(conn)?))
        })
        .await?;
    let ui = session.ui;
    let mut owners = vec![Choice {
        value: TEAM.into(),
        label: ui.t("channels-team").into(),
        selected: shown.owner == TEAM,
    }];
    owners.extend(clients.iter().map(|c| Choice {
        value: c.slug.clone(),
        label: format!("{} ({})", c.name, c.slug),
        selected: shown.owner == c.slug,
    }));
    let kinds = ChannelKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().into(),
            label: ui.t(&format!("channels-kind-{}", k.as_str())).into(),
            selected: shown.kind == k.as_str(),
        })
        .collect();
    let (errors, summary) = forms::explain_errors(&ui, &shown.errors, place);
    render_with(
        status,
        ChannelsPage {
            ui,
            nav: Some(session.nav),
            channels: list,
            owners,
            kinds,
            url: shown.url,
            new_secret: shown.new_secret,
            done: shown.done,
            errors,
            summary,
        },
    )
}

/// `?done=tested|removed` after a change.
#[derive(serde::Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /admin/channels`.
pub async fn overview(
    state: web::Data<AppState>,
    session: PageSession,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    require_admin(&session)?;
    let done = match query.done.as_deref() {
        Some(d @ ("tested" | "removed")) => d.to_string(),
        _ => String::new(),
    };
    show(&state, session, StatusCode::OK, Shown { done, ..Shown::default() }).await
}

fn admin_form(session: &PageSession, form: web::Form<Vec<(String, String)>>) -> Result<Fields, PageError> {
    require_admin(session)?;
    let fields = Fields::new(form.into_inner());
    session.check_csrf(fields.get("csrf"))?;
    Ok(fields)
}

/// `POST /admin/channels`: adds a channel; the answer shows a generic webhook's secret once. A
/// refused field comes back in the form (422) with what was typed.
pub async fn add(
    state: web::Data<AppState>,
    session: PageSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = admin_form(&session, form)?;
    let owner_value = fields.get("owner").unwrap_or("").trim().to_string();
    let kind = fields.get("kind").unwrap_or("").to_string();
    let url = fields.get("url").unwrap_or("").to_string();
    let owner = if owner_value == TEAM { Owner::Team } else { Owner::Client(owner_value.clone()) };
    let principal = session.principal().clone();
    let actor = principal.email.clone();
    let now = state.clock.now();
    let (k, u) = (kind.clone(), url.clone());
    let outcome = state
        .db
        .run(move |conn| {
            Ok::<_, CommandError>(channels::add(conn, Some(&principal), &actor, &owner, &k, &u, now))
        })
        .await?;
    match outcome {
        Ok(added) => {
            let shown = Shown { new_secret: added.secret, done: "added".into(), ..Shown::default() };
            show(&state, session, StatusCode::OK, shown).await
        }
        Err(CommandError::Invalid(e)) => {
            let errors = BTreeMap::from([(e.field, e.message)]);
            let shown = Shown { owner: owner_value, kind, url, errors, ..Shown::default() };
            show(&state, session, StatusCode::UNPROCESSABLE_ENTITY, shown).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/channels/{id}/test`: queues a test message; the list shows its outcome.
pub async fn test(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    admin_form(&session, form)?;
    let id = path.into_inner();
    let principal = session.principal().clone();
    let actor = principal.email.clone();
    let settings = state.settings.clone();
    let now = state.clock.now();
    state.db.run(move |conn| channels::test(conn, Some(&principal), &actor, &settings, &id, now)).await?;
    Ok(see_other("/admin/channels?done=tested"))
}

/// `POST /admin/channels/{id}/remove`.
pub async fn remove(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    admin_form(&session, form)?;
    let id = path.into_inner();
    let principal = session.principal().clone();
    let actor = principal.email.clone();
    let now = state.clock.now();
    state.db.run(move |conn| channels::remove(conn, Some(&principal), &actor, &id, now)).await?;
    Ok(see_other("/admin/channels?done=removed"))
}
