//! The OpenAPI 3 document of the JSON API, generated from the handlers and view types, served at
//! `/api/v1/openapi.json`.

use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::incidents;
use super::views;

/// `NewIncident` (`docs/API.md` §4, which also lists every code list).
#[derive(Debug, Serialize, ToSchema)]
pub struct NewIncidentDoc {
    /// The client's slug.
    pub client: String,
    /// 1–200 characters.
    pub title: String,
    /// What happened (no personal data of the people affected).
    pub summary: String,
    /// When noticed; default now; never in the future.
    pub discovered_at: Option<DateTime<Utc>>,
    /// How it was noticed.
    pub discovery_method: Option<String>,
    /// (Possible) start.
    pub occurred_from: Option<DateTime<Utc>>,
    /// (Possible) end; absent = unknown or ongoing.
    pub occurred_until: Option<DateTime<Utc>>,
    /// Still going on.
    pub ongoing: Option<bool>,
    /// `hacking_malware`, `phishing`, `lost_device`, `stolen_device`, `misdirected`,
    /// `published_by_mistake`, `insider`, `unauthorised_access`, `improper_disposal`, `other`.
    pub incident_kind: Option<String>,
    /// `read`, `copied`, `altered`, `deleted`, `stolen`, `unknown`.
    pub nature: Option<Vec<String>>,
    /// `name_address`, `phone`, `email`, `credentials`, `financial`, `bsn`, `id_documents`,
    /// `demographic`, `location`, `criminal`, `other`.
    pub data_categories: Option<Vec<String>>,
    /// `racial_ethnic`, `political`, `religious`, `trade_union`, `sexual`, `health`, `genetic`, `biometric`.
    pub special_categories: Option<Vec<String>>,
    /// Approximate number of records (≥ 0).
    pub records_approx: Option<u64>,
    /// `employees`, `customers`, `patients`, `students`, `minors`, `vulnerable`, `applicants`,
    /// `members`, `users`, `other`.
    pub subject_groups: Option<Vec<String>>,
    /// Fewest people affected (≤ subjects_max).
    pub subjects_min: Option<u64>,
    /// Most people affected.
    pub subjects_max: Option<u64>,
    /// `encrypted`, `hashed`, `pseudonymised`, `partly`, `none`, `unknown`.
    pub encryption: Option<String>,
    /// Likely consequences.
    pub consequences: Option<String>,
    /// Measures taken.
    pub measures_taken: Option<String>,
    /// Measures planned.
    pub measures_planned: Option<String>,
    /// ISO 3166 alpha-2 codes.
    pub cross_border_states: Option<Vec<String>>,
    /// Other organisations involved.
    pub other_organisations: Option<String>,
    /// Default false: free text that looks like personal data is refused.
    pub allow_personal_data: Option<bool>,
}

/// Any writable field of `NewIncident` except `client`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PatchDoc {
    /// 1–200 characters.
    pub title: Option<String>,
    /// What happened.
    pub summary: Option<String>,
    /// Likely consequences.
    pub consequences: Option<String>,
    /// Measures taken.
    pub measures_taken: Option<String>,
    /// …and every other field of NewIncident.
    pub records_approx: Option<u64>,
}

/// An event: `type` and the fields that event takes (`docs/API.md` §6).
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDoc {
    /// `confirm`, `dismiss`, `acknowledge`, `assess`, `decide_not_notifiable`, `notify_ap`,
    /// `supplement`, `withdraw`, `inform_subjects`, `subjects_not_required`, `correct_awareness`,
    /// `close`, `reopen`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// confirm, correct_awareness.
    pub processor_aware_at: Option<DateTime<Utc>>,
    /// confirm, correct_awareness.
    pub controller_aware_at: Option<DateTime<Utc>>,
    /// confirm, decide_not_notifiable, correct_awareness.
    pub justification: Option<String>,
    /// dismiss, withdraw, reopen.
    pub reason: Option<String>,
    /// assess: 1–4.
    pub dpc: Option<u8>,
    /// assess: `negligible`, `limited`, `significant`, `maximum`.
    pub ease_of_identification: Option<String>,
    /// assess: 0, 1 or 2.
    pub confidentiality: Option<u8>,
    /// assess: 0, 1 or 2.
    pub integrity: Option<u8>,
    /// assess: 0, 1 or 2.
    pub availability: Option<u8>,
    /// assess.
    pub malicious: Option<bool>,
    /// assess.
    pub unintelligible: Option<bool>,
    /// assess.
    pub vulnerable_subjects: Option<bool>,
    /// assess.
    pub rationale: Option<String>,
    /// notify_ap: default now.
    pub notified_at: Option<DateTime<Utc>>,
    /// notify_ap, supplement.
    pub ap_reference: Option<String>,
    /// notify_ap.
    pub preliminary: Option<bool>,
    /// notify_ap: required when late.
    pub delay_reason: Option<String>,
    /// supplement.
    pub note: Option<String>,
    /// inform_subjects: default now.
    pub informed_at: Option<DateTime<Utc>>,
    /// inform_subjects: `letter`, `email`, `phone`, `sms`, `in_person`, `public_notice`, `other`.
    pub channel: Option<String>,
    /// inform_subjects.
    pub count: Option<u64>,
    /// subjects_not_required: `no_high_risk`, `art34_3a`, `art34_3b`, `art34_3c_public`.
    pub ground: Option<String>,
    /// subjects_not_required.
    pub explanation: Option<String>,
    /// close.
    pub summary: Option<String>,
    /// Any event: free text that looks like personal data is refused with 422
    /// `personal_data_detected` unless this is `true`.
    pub allow_personal_data: Option<bool>,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("art33 token").build(),
            ),
        );
    }
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "art33", description = "Data-breach incidents with 72-hour deadline alerts (GDPR art. 33)."),
    paths(
        incidents::create,
        incidents::list,
        incidents::get,
        incidents::patch,
        incidents::event,
        incidents::timeline,
        incidents::alerts,
        incidents::ap_report,
        incidents::ap_report_text,
        incidents::ap_report_pdf
    ),
    components(schemas(
        views::IncidentView,
        views::IncidentList,
        views::Timeline,
        views::TimelineItem,
        views::ErrorBody,
        views::SeverityView,
        views::SubjectsView,
        views::SupplementView,
        views::AlertList,
        views::AlertView,
        views::DeliveryView,
        NewIncidentDoc,
        PatchDoc,
        EventDoc
    )),
    modifiers(&BearerAuth),
    tags((name = "incidents", description = "Suspected leaks and breaches"))
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json() -> HttpResponse {
    match ApiDoc::openapi().to_json() {
        Ok(json) => HttpResponse::Ok().content_type("application/json").body(json),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}
