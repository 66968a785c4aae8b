//! Admin: clients, users and API tokens (create, revoke). Only admins; every change is in the
//! audit trail with the admin as actor.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::forms::{self, ErrorLink, Fields};
use super::report::Choice;
use super::{Nav, PageError, PageSession, Ui, hash_new_password, render_with, see_other};
use crate::app::password_reset::{self, NotSent};
use crate::auth;
use crate::domain::authz::{self, Action};
use crate::domain::directory::{self as dir, Client, User};
use crate::domain::error::FieldError;
use crate::domain::ids::UserId;
use crate::domain::input::{self, Lines};
use crate::domain::locale::Locale;
use crate::domain::tenant::Role;
use crate::storage::directory::{self, NewApiToken, NewClient, NewUser, TokenInfo, UserChange};
use crate::storage::{StorageError, sessions};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/admin.html")]
struct AdminPage {
    ui: Ui,
    nav: Option<Nav>,
    clients: Vec<Client>,
    users: Vec<(User, String)>,
    tokens: Vec<TokenInfo>,
    client_choices: Vec<Choice>,
    role_choices: Vec<Choice>,
    locale_choices: Vec<Choice>,
    new_token: Option<String>,
    /// The errors in words, by input id.
    errors: BTreeMap<String, String>,
    /// The error summary above the forms.
    summary: Vec<ErrorLink>,
    values: BTreeMap<String, String>,
    /// The id prefix of the edit form that came back with errors (`client-acme-`, `user-ID-`), or
    /// empty: that form is shown open.
    open_form: String,
    saved: bool,
    /// The user a password-reset link was just mailed to, if any.
    reset_sent: Option<String>,
    /// The single sign-on status (`web::oidc::status_rows`).
    sso: Vec<(String, String)>,
}

impl AdminPage {
    /// The CSRF token of the forms.
    fn csrf(&self) -> &str {
        self.nav.as_ref().map_or("", |n| n.csrf.as_str())
    }

    /// "A link … was mailed to …".
    fn reset_sent_text(&self, email: &str) -> String {
        self.ui.t_with("admin-reset-sent", &[("email", email)])
    }

    /// The error at the input `id`, in words.
    fn error_at(&self, id: &str) -> Option<&String> {
        self.errors.get(id)
    }
}

/// Where a field of the admin forms is: its input's id and its label.
fn place(field: &str) -> Option<(&'static str, &'static str)> {
    Some(match field {
        "slug" => ("slug", "admin-slug"),
        "name" => ("name", "admin-name"),
        "user_name" => ("user_name", "admin-name"),
        "dpo_email" | "dpo-email" => ("dpo_email", "admin-dpo-email"),
        "dpo_name" | "dpo-name" => ("dpo_name", "admin-dpo-name"),
        "escalation_emails" | "escalation-email" => ("escalation_emails", "admin-escalation"),
        "locale" => ("locale", "admin-locale"),
        "email" => ("email", "admin-email"),
        "role" => ("role", "admin-role"),
        "client" => ("client", "admin-client"),
        "password" => ("password", "admin-password"),
        "active" => ("active", "admin-user-active"),
        "token_email" => ("token_email", "admin-email"),
        "label" => ("label", "admin-label"),
        _ => return None,
    })
}

fn require_admin(session: &PageSession) -> Result<(), PageError> {
    authz::authorize(session.principal(), Action::ManageDirectory, None)
        .map_err(|e| PageError::Forbidden(e.to_string()))
}

/// The fields of an admin form, once the caller is known to be an admin and the form carries the
/// session's CSRF token: the preamble of every admin POST.
fn admin_form(session: &PageSession, form: web::Form<Vec<(String, String)>>) -> Result<Fields, PageError> {
    require_admin(session)?;
    let fields = Fields::new(form.into_inner());
    session.check_csrf(fields.get("csrf"))?;
    Ok(fields)
}

/// A form that came back: its errors (field → the parser's message), what was typed, and the id
/// prefix of the edit form it was (empty: an add form).
#[derive(Default)]
struct Returned {
    errors: BTreeMap<String, String>,
    values: BTreeMap<String, String>,
    open_form: String,
}

async fn show(
    state: &AppState,
    session: PageSession,
    status: StatusCode,
    new_token: Option<String>,
    returned: Returned,
    saved: Notice,
) -> Result<HttpResponse, PageError> {
    let Returned { errors, values, open_form } = returned;
    let (clients, users, tokens) = state
        .db
        .run(|conn| {
            Ok::<_, StorageError>((
                directory::list_clients(conn)?,
                directory::list_users(conn)?,
                directory::list_tokens(conn)?,
            ))
        })
        .await?;
    let reset_sent = match &saved {
        Notice::ResetSent(id) => users.iter().find(|u| &u.id.0 == id).map(|u| u.email.clone()),
        _ => None,
    };
    let names: BTreeMap<String, String> = clients.iter().map(|c| (c.id.0.clone(), c.slug.clone())).collect();
    let users = users
        .into_iter()
        .map(|u| {
            let client = u.client_id.as_ref().and_then(|c| names.get(&c.0)).cloned().unwrap_or_default();
            (u, client)
        })
        .collect();
    let ui = session.ui;
    let mut client_choices =
        vec![Choice { value: String::new(), label: ui.t("admin-no-client").into(), selected: false }];
    client_choices.extend(clients.iter().map(|c| Choice {
        value: c.slug.clone(),
        label: c.name.clone(),
        selected: false,
    }));
    let role_choices = Role::ALL
        .iter()
        .map(|r| Choice { value: r.as_str().into(), label: ui.role(r.as_str()).into(), selected: false })
        .collect();
    let locale_choices = [Locale::Nl, Locale::En]
        .iter()
        .map(|l| Choice { value: l.as_str().into(), label: ui.language(l).into(), selected: false })
        .collect();
    let (errors, summary) = forms::explain_errors(&ui, &errors, |field| {
        place(field).map(|(id, label)| (format!("{open_form}{id}"), label))
    });
    let page = AdminPage {
        ui,
        nav: Some(session.nav),
        clients,
        users,
        tokens,
        client_choices,
        role_choices,
        locale_choices,
        new_token,
        errors,
        summary,
        values,
        open_form,
        saved: saved == Notice::Saved,
        reset_sent,
        sso: crate::web::oidc::status_rows(&state.settings.auth, &state.sso.status(), ui.locale),
    };
    render_with(status, page)
}

/// `?saved=1` after a change, `?reset_sent=USER_ID` after a password-reset link was mailed.
#[derive(serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
    reset_sent: Option<String>,
}

/// What the admin page confirms at its top.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Notice {
    Nothing,
    Saved,
    /// A reset link went to the user with this id.
    ResetSent(String),
}

/// `GET /admin`.
pub async fn overview(
    state: web::Data<AppState>,
    session: PageSession,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, PageError> {
    require_admin(&session)?;
    let query = query.into_inner();
    let saved = match (query.reset_sent, query.saved) {
        (Some(id), _) => Notice::ResetSent(id),
        (None, Some(_)) => Notice::Saved,
        (None, None) => Notice::Nothing,
    };
    show(&state, session, StatusCode::OK, None, Returned::default(), saved).await
}

async fn refused(
    state: &AppState,
    session: PageSession,
    fields: &Fields,
    e: FieldError,
) -> Result<HttpResponse, PageError> {
    refused_in(state, session, fields, e, "").await
}

/// The admin page again with `e` at its field in the form whose ids start with `form` (empty: the
/// add forms, refilled with what was typed).
async fn refused_in(
    state: &AppState,
    session: PageSession,
    fields: &Fields,
    e: FieldError,
    form: &str,
) -> Result<HttpResponse, PageError> {
    let errors = BTreeMap::from([(e.field, e.message)]);
    let values = if form.is_empty() { fields.last_values() } else { BTreeMap::new() };
    let returned = Returned { errors, values, open_form: form.to_string() };
    show(state, session, StatusCode::UNPROCESSABLE_ENTITY, None, returned, Notice::Nothing).await
}

fn conflict(e: StorageError, field: &str) -> Result<FieldError, PageError> {
    match e {
        StorageError::Conflict(m) => Ok(FieldError::new(field, m)),
        other => Err(other.into()),
    }
}

/// `POST /admin/clients`.
pub async fn add_client(
    state: web::Data<AppState>,
    session: PageSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = admin_form(&session, form)?;
    let escalation = escalation_lines(&fields);
    let locale = Locale::parse(fields.get("locale").unwrap_or("nl")).unwrap_or_default();
    let new = match NewClient::validated(
        fields.get("slug").unwrap_or(""),
        fields.get("name").unwrap_or(""),
        fields.get("dpo_email").unwrap_or(""),
        fields.get("dpo_name"),
        &escalation,
        locale,
    ) {
        Ok(new) => new,
        Err(e) => return refused(&state, session, &fields, e).await,
    };
    let actor = session.principal().email.clone();
    let now = state.clock.now();
    match state.db.run(move |conn| directory::insert_client(conn, &actor, &new, now)).await {
        Ok(_) => Ok(see_other("/admin?saved=1")),
        Err(e) => {
            let e = conflict(e, "slug")?;
            refused(&state, session, &fields, e).await
        }
    }
}

/// The escalation addresses typed in a textarea, one per line (commas too).
fn escalation_lines(fields: &Fields) -> Vec<String> {
    fields
        .get("escalation_emails")
        .unwrap_or("")
        .split(['\n', ','])
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// `POST /admin/clients/{slug}`: a client's name, DPO, escalation addresses and mail language.
pub async fn edit_client(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = admin_form(&session, form)?;
    let slug = path.into_inner();
    let locale = Locale::parse(fields.get("locale").unwrap_or("nl")).unwrap_or_default();
    let change = match NewClient::validated(
        &slug,
        fields.get("name").unwrap_or(""),
        fields.get("dpo_email").unwrap_or(""),
        fields.get("dpo_name"),
        &escalation_lines(&fields),
        locale,
    ) {
        Ok(change) => change,
        Err(e) => return refused_in(&state, session, &fields, e, &format!("client-{slug}-")).await,
    };
    let actor = session.principal().email.clone();
    let now = state.clock.now();
    match state.db.run(move |conn| directory::update_client(conn, &actor, &change, now)).await? {
        Some(_) => Ok(see_other("/admin?saved=1")),
        None => Err(PageError::NotFound),
    }
}

/// `POST /admin/users/{id}`: a user's name, role, client and whether the user may log in. An admin
/// does not deactivate or demote themself (someone must be left to undo it).
pub async fn edit_user(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = admin_form(&session, form)?;
    let id = UserId(path.into_inner());
    let form = format!("user-{}-", id.0);
    let Some(role) = fields.get("role").and_then(Role::parse) else {
        return refused_in(&state, session, &fields, FieldError::new("role", "choose a role"), &form).await;
    };
    let active = fields.checked("active");
    if let Err(e) = dir::check_own_account(&session.principal().user_id, &id, role, active) {
        return refused_in(&state, session, &fields, e, &form).await;
    }
    let slug = match input::clean_text("client", fields.get("client").unwrap_or(""), 100, Lines::One) {
        Ok(slug) => slug,
        Err(e) => return refused_in(&state, session, &fields, e, &form).await,
    };
    let name = fields.get("name").map(str::to_string);
    let actor = session.principal().email.clone();
    let now = state.clock.now();
    let outcome = state
        .db
        .run(move |conn| {
            let client_id = match client_of(conn, slug.as_deref())? {
                Ok(id) => id,
                Err(e) => return Ok(Err(e)),
            };
            let change = match UserChange::validated(role, client_id, name.as_deref(), active) {
                Ok(change) => change,
                Err(e) => return Ok(Err(e)),
            };
            directory::update_user(conn, &actor, &id, &change, now).map(Ok)
        })
        .await?;
    match outcome {
        Ok(Some(_)) => Ok(see_other("/admin?saved=1")),
        Ok(None) => Err(PageError::NotFound),
        Err(e) if e.field == "name" => {
            refused_in(&state, session, &fields, FieldError::new("user_name", e.message), &form).await
        }
        Err(e) => refused_in(&state, session, &fields, e, &form).await,
    }
}

/// `POST /admin/users`.
pub async fn add_user(
    state: web::Data<AppState>,
    session: PageSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = admin_form(&session, form)?;
    let Some(role) = fields.get("role").and_then(Role::parse) else {
        return refused(&state, session, &fields, FieldError::new("role", "choose a role")).await;
    };
    let password_hash = match fields.get("password").filter(|p| !p.is_empty()) {
        Some(password) => {
            let (email, name) = (fields.get("email").unwrap_or(""), fields.get("name").unwrap_or(""));
            match hash_new_password(&state, password, email, name).await? {
                Ok(hash) => Some(hash),
                Err(e) => {
                    let message = e.message(session.ui.locale);
                    return refused(&state, session, &fields, FieldError::new("password", message)).await;
                }
            }
        }
        None => None,
    };
    // Checked before any lookup: PostgreSQL refuses a NUL even in a WHERE clause.
    let slug = match input::clean_text("client", fields.get("client").unwrap_or(""), 100, Lines::One) {
        Ok(slug) => slug,
        Err(e) => return refused(&state, session, &fields, e).await,
    };
    let email = fields.get("email").unwrap_or("").to_string();
    let name = fields.get("name").map(str::to_string);
    let actor = session.principal().email.clone();
    let now = state.clock.now();
    let outcome = state
        .db
        .run(move |conn| {
            let client_id = match client_of(conn, slug.as_deref())? {
                Ok(id) => id,
                Err(e) => return Ok(Err(e)),
            };
            let new = match NewUser::validated(&email, role, client_id, name.as_deref(), password_hash) {
                Ok(new) => new,
                Err(e) => return Ok(Err(e)),
            };
            match directory::insert_user(conn, &actor, &new, now) {
                Ok(_) => Ok(Ok(())),
                Err(StorageError::Conflict(m)) => Ok(Err(FieldError::new("email", m))),
                Err(e) => Err(e),
            }
        })
        .await?;
    match outcome {
        Ok(()) => Ok(see_other("/admin?saved=1")),
        // The user's name is the input `user_name` (the client form has its own `name`).
        Err(e) if e.field == "name" => {
            refused(&state, session, &fields, FieldError::new("user_name", e.message)).await
        }
        Err(e) => refused(&state, session, &fields, e).await,
    }
}

/// `POST /admin/users/{id}/reset`: mails the user a one-time link to choose a new password
/// (`app::password_reset`); the user's current password keeps working until the link is used.
pub async fn send_reset(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = admin_form(&session, form)?;
    let id = UserId(path.into_inner());
    let actor = session.principal().email.clone();
    let now = state.clock.now();
    let settings = state.settings.clone();
    let sending = id.clone();
    let outcome =
        state.db.run(move |conn| password_reset::send_link(conn, &settings, &actor, &sending, now)).await?;
    match outcome {
        Ok(_) => Ok(see_other(&format!("/admin?reset_sent={}#user-{}", id.0, id.0))),
        Err(NotSent::UnknownUser) => Err(PageError::NotFound),
        Err(NotSent::Inactive) => {
            let form = format!("user-{}-", id.0);
            let e = FieldError::new("active", "a deactivated user cannot log in; activate the account first");
            refused_in(&state, session, &fields, e, &form).await
        }
    }
}

/// `POST /admin/tokens`: the new token is shown once, on this answer only.
pub async fn add_token(
    state: web::Data<AppState>,
    session: PageSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = admin_form(&session, form)?;
    let checked =
        dir::normalize_email("token_email", fields.get("token_email").unwrap_or("")).and_then(|email| {
            Ok((email, dir::validate_optional_name("label", fields.get("label"), dir::LABEL_MAX)?))
        });
    let (email, label) = match checked {
        Ok(checked) => checked,
        Err(e) => return refused(&state, session, &fields, e).await,
    };
    let actor = session.principal().email.clone();
    let now = state.clock.now();
    let token = auth::issue_api_token();
    let stored = (token.prefix.clone(), token.digest.clone());
    let outcome = state
        .db
        .run(move |conn| {
            let Some(user) = sessions::credentials(conn, &email)? else {
                return Ok(Err(FieldError::new(
                    "token_email",
                    format!("no active user with e-mail \"{email}\""),
                )));
            };
            let new = NewApiToken { user_id: user.0.id, label, prefix: stored.0, digest: stored.1 };
            directory::insert_token(conn, &actor, &new, now).map(Ok)
        })
        .await?;
    match outcome {
        Ok(()) => {
            show(&state, session, StatusCode::OK, Some(token.secret), Returned::default(), Notice::Saved)
                .await
        }
        Err(e) => refused(&state, session, &fields, e).await,
    }
}

/// `POST /admin/tokens/{id}/revoke`.
pub async fn revoke_token(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    admin_form(&session, form)?;
    let id = path.into_inner();
    let actor = session.principal().email.clone();
    let now = state.clock.now();
    state.db.run(move |conn| directory::revoke_token(conn, &actor, &id, now)).await?;
    Ok(see_other("/admin?saved=1"))
}

/// The client a user form names by slug (`client`), if any: `Err` naming the field when no client
/// has that slug. The one lookup of the add-user and edit-user forms.
fn client_of(
    conn: &mut crate::storage::AnyConnection,
    slug: Option<&str>,
) -> Result<Result<Option<crate::domain::ids::ClientId>, FieldError>, StorageError> {
    let Some(slug) = slug else { return Ok(Ok(None)) };
    Ok(match directory::client_by_slug(conn, slug)? {
        Some(client) => Ok(Some(client.id)),
        None => Err(FieldError::new("client", format!("no client with slug \"{slug}\""))),
    })
}
