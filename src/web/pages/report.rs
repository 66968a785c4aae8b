//! Report a leak: only what a reporter knows, in plain language, usable on a phone. Free text is
//! checked for personal data before saving: the form comes back with a warning and the input kept.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde_json::Value;

use super::forms::{self, ErrorLink, Fields, Shape};
use super::{Nav, PageError, PageSession, Ui, render, render_with, see_other};
use crate::app::report::Report;
use crate::app::{self, CommandError};
use crate::domain::authz::{self, Action};
use crate::domain::error::FieldError;
use crate::domain::ids::IncidentId;
use crate::domain::incident::NewIncident;
use crate::domain::local_time;
use crate::domain::vocabulary::{CodeList, DataCategory};
use crate::storage::directory;
use crate::web::AppState;

/// The estimates a reporter may choose for "how many people", as (value, min, max).
const PEOPLE: [(&str, u64, Option<u64>); 5] = [
    ("1-10", 1, Some(10)),
    ("11-100", 11, Some(100)),
    ("101-1000", 101, Some(1000)),
    ("1001-10000", 1001, Some(10000)),
    ("10001-", 10001, None),
];

/// A choice in a list of options.
pub struct Choice {
    /// The submitted value.
    pub value: String,
    /// What the user reads.
    pub label: String,
    /// Whether it is selected.
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "pages/report.html")]
struct ReportPage {
    ui: Ui,
    nav: Option<Nav>,
    clients: Vec<Choice>,
    categories: Vec<Choice>,
    people: Vec<Choice>,
    ongoing: Vec<Choice>,
    values: BTreeMap<String, String>,
    /// The errors in words, by input id.
    errors: BTreeMap<String, String>,
    /// The error summary above the form.
    summary: Vec<ErrorLink>,
    pii_found: Vec<String>,
    /// Why the report was not taken though the form is fine (too many reports lately).
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/receipt.html")]
struct ReceiptPage {
    ui: Ui,
    nav: Option<Nav>,
    id: String,
    reference: String,
}

fn choices(options: Vec<(String, String)>, selected: &[String]) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice { selected: selected.contains(&value), value, label })
        .collect()
}

async fn form_page(
    state: &AppState,
    session: PageSession,
    fields: &Fields,
    errors: BTreeMap<String, String>,
    pii_found: Vec<String>,
) -> Result<ReportPage, PageError> {
    let principal = session.principal().clone();
    let clients = state.db.run(directory::list_clients).await?;
    let ui = session.ui;
    let me = principal.user_id.clone();
    let allowed: Vec<(String, String)> = clients
        .into_iter()
        .filter(|c| c.active)
        .filter(|c| {
            authz::authorize(
                &principal,
                Action::ReportIncident,
                Some(authz::Target { client_id: &c.id, reported_by: &me, state: None }),
            )
            .is_ok()
        })
        .map(|c| (c.slug, c.name))
        .collect();
    let (errors, summary) =
        forms::explain_errors(&ui, &errors, |field| place(field).map(|(id, label)| (id.to_string(), label)));
    let mut values = fields.last_values();
    if !values.contains_key("discovered_at") {
        values.insert("discovered_at".into(), local_time::to_local_input(state.clock.now()));
    }
    let selected_client = match (values.get("client"), allowed.len()) {
        (Some(c), _) => vec![c.clone()],
        (None, 1) => vec![allowed[0].0.clone()],
        _ => Vec::new(),
    };
    let people = PEOPLE
        .iter()
        .map(|(value, min, max)| {
            let label = match max {
                Some(max) => format!("{min} – {max}"),
                None => ui.t_with("report-people-more-than", &[("count", &(min - 1).to_string())]),
            };
            (value.to_string(), label)
        })
        .chain(std::iter::once(("unknown".to_string(), ui.t("report-people-unknown").to_string())))
        .collect();
    let ongoing = vec![
        ("yes".to_string(), ui.t("report-ongoing-yes").to_string()),
        ("no".to_string(), ui.t("report-ongoing-no").to_string()),
        ("unknown".to_string(), ui.t("report-ongoing-unknown").to_string()),
    ];
    Ok(ReportPage {
        clients: choices(allowed, &selected_client),
        categories: choices(
            DataCategory::all().iter().map(|c| (c.code().to_string(), ui.code(*c).to_string())).collect(),
            &fields.all("data_categories"),
        ),
        people: choices(people, &fields.all("people")),
        ongoing: choices(ongoing, &fields.all("ongoing")),
        values,
        errors,
        summary,
        pii_found,
        notice: None,
        ui,
        nav: Some(session.nav),
    })
}

/// `GET /report`.
pub async fn page(state: web::Data<AppState>, session: PageSession) -> Result<HttpResponse, PageError> {
    render(form_page(&state, session, &Fields::default(), BTreeMap::new(), Vec::new()).await?)
}

fn to_new_incident(fields: &Fields, now: chrono::DateTime<chrono::Utc>) -> Result<NewIncident, FieldError> {
    let mut object = forms::to_object(
        fields,
        &[
            ("client", Shape::Text),
            ("title", Shape::Text),
            ("summary", Shape::Text),
            ("discovered_at", Shape::LocalTime),
            ("data_categories", Shape::List),
            ("allow_personal_data", Shape::Flag),
        ],
    )?;
    if let Some((_, min, max)) = PEOPLE.iter().find(|(value, _, _)| fields.get("people") == Some(value)) {
        object.insert("subjects_min".into(), Value::from(*min));
        if let Some(max) = max {
            object.insert("subjects_max".into(), Value::from(*max));
        }
    }
    object.insert("ongoing".into(), Value::Bool(fields.get("ongoing") == Some("yes")));
    NewIncident::parse(&object, now)
}

/// `POST /report`.
pub async fn submit(
    state: web::Data<AppState>,
    session: PageSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fields = Fields::new(form.into_inner());
    session.check_csrf(fields.get("csrf"))?;
    let now = state.clock.now();
    let new = match to_new_incident(&fields, now) {
        Ok(new) => new,
        Err(e) => {
            let errors = BTreeMap::from([(e.field.clone(), e.message.clone())]);
            let page = form_page(&state, session, &fields, errors, Vec::new()).await?;
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, page);
        }
    };
    let principal = session.principal().clone();
    let policy = state.settings.escalation.clone();
    let per_minute = state.settings.server.reports_per_minute;
    let report = Report { new, idempotency: None, per_minute };
    let outcome = app::report::report_grouped(&state.db, principal, report, now, policy).await;
    match outcome {
        Ok((incident, _)) => Ok(see_other(&format!("/report/received/{}", incident.id))),
        Err(CommandError::Invalid(e)) => {
            let errors = BTreeMap::from([(e.field.clone(), e.message.clone())]);
            render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, session, &fields, errors, Vec::new()).await?,
            )
        }
        Err(CommandError::PersonalData(found)) => {
            let ui = session.ui;
            let labels = found
                .iter()
                .map(|(field, kind)| {
                    let label = place(field).map_or(field.as_str(), |(_, key)| ui.t(key));
                    format!("{} ({label})", kind.label(ui.locale))
                })
                .collect();
            // Each field with personal data is marked, saying which kinds were found in it.
            let mut errors = BTreeMap::<String, Vec<&str>>::new();
            for (field, kind) in &found {
                errors.entry(field.clone()).or_default().push(kind.label(ui.locale));
            }
            let errors = errors
                .into_iter()
                .map(|(field, kinds)| {
                    (field, ui.t_with("inc-personal-data", &[("kinds", &kinds.join(", "))]))
                })
                .collect();
            let page = form_page(&state, session, &fields, errors, labels).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(CommandError::TooMany { retry_after_seconds }) => {
            let seconds = retry_after_seconds.to_string();
            let notice = session.ui.t_with("report-too-many", &[("seconds", seconds.as_str())]);
            let mut page = form_page(&state, session, &fields, BTreeMap::new(), Vec::new()).await?;
            page.notice = Some(notice);
            let mut response = render_with(StatusCode::TOO_MANY_REQUESTS, page)?;
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(retry_after_seconds),
            );
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// Where a field of the report is on the form: its input's id and its label.
fn place(field: &str) -> Option<(&'static str, &'static str)> {
    Some(match field {
        "client" => ("client", "report-client"),
        "title" => ("title", "report-title-field"),
        "summary" => ("summary", "report-summary"),
        "discovered_at" => ("discovered_at", "report-when"),
        "discovered_at_fold" => ("discovered_at_fold", "inc-fold-hint"),
        "data_categories" => ("data_categories", "report-data"),
        "subjects_min" | "subjects_max" => ("people", "report-people"),
        "ongoing" => ("ongoing", "report-ongoing"),
        _ => return None,
    })
}

/// `GET /report/received/{id}`: the receipt with the reference and what happens next.
pub async fn receipt(
    state: web::Data<AppState>,
    session: PageSession,
    path: web::Path<IncidentId>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let principal = session.principal().clone();
    let incident = state.db.run(move |conn| app::read::get(conn, &principal, &id)).await?;
    render(ReceiptPage {
        ui: session.ui,
        nav: Some(session.nav),
        id: incident.id.0,
        reference: incident.reference,
    })
}
