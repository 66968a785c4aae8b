//! `/api/v1/clients/{slug}/profile`: a client's profile (`docs/API.md` §9).

use actix_web::{HttpResponse, web};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::app;
use crate::domain::directory::Client;
use crate::domain::vocabulary::CodeList;
use crate::web::AppState;
use crate::web::error::ApiError;
use crate::web::extract::ApiCaller;

/// A client's profile: what the AP form asks about the controller (chapter 3), its lead
/// supervisory authority and the languages of its data subjects.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ClientProfile)]
pub struct ClientProfileView {
    /// The client's slug.
    pub slug: String,
    /// The legal name (AP 3.1.1a).
    pub legal_name: Option<String>,
    /// Street, postcode and town (AP 3.1.1c).
    pub address: Option<String>,
    /// The KvK number, 8 digits (AP 3.1.1e).
    pub kvk_number: Option<String>,
    /// The sector code (AP 3.1.2).
    pub sector: Option<String>,
    /// The DPO's registration number at the AP (AP 3.1.1d).
    pub dpo_registration: Option<String>,
    /// The EEA country of the main establishment (ISO 3166 alpha-2), whose authority leads.
    pub lead_authority: String,
    /// The controller is established outside the EEA (no one-stop-shop).
    pub outside_eea: bool,
    /// Who notifies the AP (AP 3.2.1): name.
    pub notifier_name: Option<String>,
    /// The notifier's position.
    pub notifier_position: Option<String>,
    /// The notifier's telephone number.
    pub notifier_phone: Option<String>,
    /// The notifier's e-mail address (absent: the DPO's).
    pub notifier_email: Option<String>,
    /// The AP's contact point if other than the notifier (AP 3.2.2): name.
    pub contact_name: Option<String>,
    /// The contact point's position.
    pub contact_position: Option<String>,
    /// The contact point's e-mail address.
    pub contact_email: Option<String>,
    /// The contact point's telephone number.
    pub contact_phone: Option<String>,
    /// The languages of the data subjects (`nl`, `en`); never empty.
    pub subject_locales: Vec<String>,
}

impl ClientProfileView {
    /// The profile of `client`.
    pub fn new(client: &Client) -> ClientProfileView {
        let p = &client.profile;
        ClientProfileView {
            slug: client.slug.clone(),
            legal_name: p.legal_name.clone(),
            address: p.address.clone(),
            kvk_number: p.kvk_number.clone(),
            sector: p.sector.map(|s| s.code().to_string()),
            dpo_registration: p.dpo_registration.clone(),
            lead_authority: p.lead_authority.clone(),
            outside_eea: p.outside_eea,
            notifier_name: p.notifier_name.clone(),
            notifier_position: p.notifier_position.clone(),
            notifier_phone: p.notifier_phone.clone(),
            notifier_email: p.notifier_email.clone(),
            contact_name: p.contact_name.clone(),
            contact_position: p.contact_position.clone(),
            contact_email: p.contact_email.clone(),
            contact_phone: p.contact_phone.clone(),
            subject_locales: p.subject_locales.iter().map(|l| l.as_str().to_string()).collect(),
        }
    }
}

/// A client's profile.
#[utoipa::path(
    get,
    path = "/api/v1/clients/{slug}/profile",
    tag = "clients",
    params(("slug" = String, Path, description = "The client's slug")),
    responses(
        (status = 200, description = "The profile", body = ClientProfileView),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
        (status = 403, description = "Not allowed for this role", body = super::views::ErrorBody),
        (status = 404, description = "No such client (or another client's, for a DPO)", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn get_profile(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = path.into_inner();
    let principal = caller.0;
    let client = state.db.run(move |conn| app::profile::get(conn, &principal, &slug)).await?;
    Ok(HttpResponse::Ok().json(ClientProfileView::new(&client)))
}

/// Replace a client's profile (admins only): absent fields are cleared or take their defaults
/// (`lead_authority` NL, `outside_eea` false, `subject_locales` the client's language).
#[utoipa::path(
    put,
    path = "/api/v1/clients/{slug}/profile",
    tag = "clients",
    params(("slug" = String, Path, description = "The client's slug")),
    request_body(content = super::openapi::ClientProfileDoc, description = "The whole profile"),
    responses(
        (status = 200, description = "The profile after the change", body = ClientProfileView),
        (status = 400, description = "Malformed JSON", body = super::views::ErrorBody),
        (status = 401, description = "No valid token", body = super::views::ErrorBody),
        (status = 403, description = "Only admins change a profile", body = super::views::ErrorBody),
        (status = 404, description = "No such client", body = super::views::ErrorBody),
        (status = 422, description = "A field is invalid", body = super::views::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn put_profile(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let slug = path.into_inner();
    let Value::Object(object) = body.into_inner() else {
        return Err(ApiError::bad_request("the body must be a JSON object"));
    };
    let principal = caller.0;
    let now = state.clock.now();
    let client = state.db.run(move |conn| app::profile::set(conn, &principal, &slug, &object, now)).await?;
    Ok(HttpResponse::Ok().json(ClientProfileView::new(&client)))
}
