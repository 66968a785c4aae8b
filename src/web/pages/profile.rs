//! `/profile`: the user's own page. Today it holds the personal deadline calendar: a secret feed
//! URL (`/calendar/{secret}.ics`) to subscribe to in a calendar application, shown once when made,
//! and the buttons to make a new one (the old one stops) or to stop it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};

use super::forms::Fields;
use super::{Nav, PageError, PageSession, Ui, render_with, see_other};
use crate::app::calendar as app_calendar;
use crate::storage::{StorageError, calendar_feeds, directory};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/profile.html")]
struct ProfilePage {
    ui: Ui,
    nav: Option<Nav>,
    /// When the live feed was made, if there is one.
    live_since: Option<DateTime<Utc>>,
    /// The feed URL just made: shown on this answer only.
    new_url: Option<String>,
    /// The feed was just stopped.
    stopped: bool,
    /// The reminders' hours before a deadline (`48, 24, 12, 4`), as configured.
    reminders: String,
}

impl ProfilePage {
    fn intro(&self) -> String {
        self.ui.t_with("profile-calendar-intro", &[("hours", self.reminders.as_str())])
    }

    fn csrf(&self) -> &str {
        self.nav.as_ref().map_or("", |n| n.csrf.as_str())
    }
}

async fn show(
    state: &AppState,
    session: PageSession,
    new_url: Option<String>,
    stopped: bool,
) -> Result<HttpResponse, PageError> {
    let user_id = session.principal().user_id.clone();
    let live_since = state.db.run(move |conn| calendar_feeds::live_since(conn, &user_id)).await?;
    let m = &state.settings.escalation.milestones;
    let reminders = [m.a1, m.a2, m.a3, m.a4]
        .iter()
        .filter(|h| **h > 0)
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let page =
        ProfilePage { ui: session.ui, nav: Some(session.nav), live_since, new_url, stopped, reminders };
    render_with(StatusCode::OK, page)
}

/// `?stopped=1` after the feed was stopped.
#[derive(serde::Deserialize)]
pub struct ProfileQuery {
    stopped: Option<String>,
}

/// `GET /profile`.
pub async fn page(
    state: web::Data<AppState>,
    session: PageSession,
    query: web::Query<ProfileQuery>,
) -> Result<HttpResponse, PageError> {
    show(&state, session, None, query.stopped.is_some()).await
}

/// `POST /profile/calendar`: a new feed URL, shown once; an older one stops working.
pub async fn make_calendar(
    state: web::Data<AppState>,
    session: PageSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = Fields::new(form.into_inner());
    session.check_csrf(fields.get("csrf"))?;
    let user_id = session.principal().user_id.clone();
    let now = state.clock.now();
    let secret = state
        .db
        .run(move |conn| {
            let user = directory::user_by_id(conn, &user_id)?.ok_or(StorageError::NotFound)?;
            app_calendar::make(conn, &user, now)
        })
        .await?;
    let url = format!("{}/calendar/{secret}.ics", state.settings.server.base_url);
    show(&state, session, Some(url), false).await
}

/// `POST /profile/calendar/stop`: the feed URL stops working (404).
pub async fn stop_calendar(
    state: web::Data<AppState>,
    session: PageSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = Fields::new(form.into_inner());
    session.check_csrf(fields.get("csrf"))?;
    let user_id = session.principal().user_id.clone();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            let user = directory::user_by_id(conn, &user_id)?.ok_or(StorageError::NotFound)?;
            calendar_feeds::revoke(conn, &user, now)
        })
        .await?;
    Ok(see_other("/profile?stopped=1"))
}
