//! `/admin/clients/{slug}/profile`: a client's profile (the AP form's chapter 3, the lead
//! supervisory authority, the data subjects' languages). Admins edit it; the client's DPO and
//! officers see it (the AP draft links here for the answers of chapter 3).

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde_json::Value;

use super::forms::{self, ErrorLink, Fields};
use super::report::Choice;
use super::{Nav, PageError, PageSession, Ui, render_with, see_other};
use crate::app::{self, CommandError};
use crate::domain::authz::{self, Action};
use crate::domain::directory::Client;
use crate::domain::input::Object;
use crate::domain::locale::Locale;
use crate::domain::vocabulary::{CodeList, Sector};
use crate::web::AppState;

/// One text field of the form: its name (the profile's JSON name), label key and value.
struct TextField {
    name: &'static str,
    label: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "pages/client_profile.html")]
struct ProfilePage {
    ui: Ui,
    nav: Option<Nav>,
    slug: String,
    name: String,
    editable: bool,
    fields: Vec<TextField>,
    sectors: Vec<Choice>,
    outside_eea: bool,
    locales: Vec<Choice>,
    /// The errors in words, by input id.
    errors: BTreeMap<String, String>,
    /// The error summary above the form.
    summary: Vec<ErrorLink>,
    saved: bool,
}

impl ProfilePage {
    /// The error at the input `name`, in words.
    fn error_at(&self, name: &str) -> Option<&String> {
        self.errors.get(name)
    }
}

/// The profile's text fields with their labels, in form order.
const TEXT_FIELDS: [(&str, &str); 13] = [
    ("legal_name", "profile-legal-name"),
    ("address", "profile-address"),
    ("kvk_number", "profile-kvk-number"),
    ("dpo_registration", "profile-dpo-registration"),
    ("lead_authority", "profile-lead-authority"),
    ("notifier_name", "profile-notifier-name"),
    ("notifier_position", "profile-notifier-position"),
    ("notifier_phone", "profile-notifier-phone"),
    ("notifier_email", "profile-notifier-email"),
    ("contact_name", "profile-contact-name"),
    ("contact_position", "profile-contact-position"),
    ("contact_email", "profile-contact-email"),
    ("contact_phone", "profile-contact-phone"),
];

fn page(
    session: PageSession,
    client: &Client,
    values: &Object,
    errors: BTreeMap<String, String>,
    saved: bool,
) -> ProfilePage {
    let ui = session.ui;
    let text = |name: &str| match values.get(name) {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let fields =
        TEXT_FIELDS.iter().map(|(name, label)| TextField { name, label, value: text(name) }).collect();
    let sector = text("sector");
    let mut sectors = vec![Choice { value: String::new(), label: "—".into(), selected: sector.is_empty() }];
    sectors.extend(Sector::all().iter().map(|s| Choice {
        value: s.code().into(),
        label: s.label(ui.locale).into(),
        selected: s.code() == sector,
    }));
    let chosen: Vec<String> = match values.get("subject_locales") {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    let locales = [Locale::Nl, Locale::En]
        .iter()
        .map(|l| Choice {
            value: l.as_str().into(),
            label: ui
                .t(match l {
                    Locale::Nl => "profile-locale-nl",
                    Locale::En => "profile-locale-en",
                })
                .into(),
            selected: chosen.iter().any(|c| c == l.as_str()),
        })
        .collect();
    let editable = authz::authorize(session.principal(), Action::ManageDirectory, None).is_ok();
    let (errors, summary) = forms::explain_errors(&ui, &errors, |field| {
        TEXT_FIELDS
            .iter()
            .find(|(name, _)| *name == field)
            .copied()
            .or(match field {
                "sector" => Some(("sector", "profile-sector")),
                "outside_eea" => Some(("outside_eea", "profile-outside-eea")),
                "subject_locales" => Some(("subject_locales", "profile-subject-locales")),
                _ => None,
            })
            .map(|(id, label)| (id.to_string(), label))
    });
    ProfilePage {
        nav: Some(session.nav),
        slug: client.slug.clone(),
        name: client.name.clone(),
        editable,
        fields,
        sectors,
        outside_eea: values.get("outside_eea") == Some(&Value::Bool(true)),
        locales,
        errors,
        summary,
        saved,
        ui,
    }
}

/// `?saved=1` after a change.
#[derive(serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /admin/clients/{slug}/profile`: the form (admins) or the profile read-only (the client's DPO,
/// officers).
pub async fn show(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, PageError> {
    let slug = path.into_inner();
    let principal = session.principal().clone();
    let client = state.db.run(move |conn| app::profile::get(conn, &principal, &slug)).await?;
    let values = client.profile.to_json();
    render_with(StatusCode::OK, page(session, &client, &values, BTreeMap::new(), query.saved.is_some()))
}

/// The form as the profile's JSON object: texts as typed (empty clears), the checkbox and the
/// languages chosen.
fn form_object(fields: &Fields) -> Object {
    let mut object = Object::new();
    for (name, _) in TEXT_FIELDS {
        object.insert(name.to_string(), Value::from(fields.get(name).unwrap_or("")));
    }
    let sector = fields.get("sector").unwrap_or("");
    object.insert("sector".into(), if sector.is_empty() { Value::Null } else { Value::from(sector) });
    object.insert("outside_eea".into(), Value::Bool(fields.checked("outside_eea")));
    object.insert("subject_locales".into(), Value::from(fields.all("subject_locales")));
    object
}

/// `POST /admin/clients/{slug}/profile`: admins only, with the CSRF token; a refused field comes
/// back in the form (422) with what was typed.
pub async fn save(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = Fields::new(form.into_inner());
    session.check_csrf(fields.get("csrf"))?;
    authz::authorize(session.principal(), Action::ManageDirectory, None)
        .map_err(|e| PageError::Forbidden(e.to_string()))?;
    let slug = path.into_inner();
    let object = form_object(&fields);
    let principal = session.principal().clone();
    let now = state.clock.now();
    let (to_save, to_read) = (object.clone(), slug.clone());
    let outcome = state
        .db
        .run(move |conn| Ok::<_, CommandError>(app::profile::set(conn, &principal, &to_read, &to_save, now)))
        .await?;
    match outcome {
        Ok(client) => Ok(see_other(&format!("/admin/clients/{}/profile?saved=1", client.slug))),
        Err(CommandError::Invalid(e)) => {
            let principal = session.principal().clone();
            let client = state.db.run(move |conn| app::profile::get(conn, &principal, &slug)).await?;
            let errors = BTreeMap::from([(e.field, e.message)]);
            render_with(StatusCode::UNPROCESSABLE_ENTITY, page(session, &client, &object, errors, false))
        }
        Err(e) => Err(e.into()),
    }
}
