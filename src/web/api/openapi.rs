//! The OpenAPI 3 document of the JSON API, generated from the handlers and view types, served at
//! `/api/v1/openapi.json`.

use std::borrow::Cow;

use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use crate::domain::fields::{self, CodeListName, FactField, FactKind, Presence};
use crate::domain::vocabulary::{CodeList, Sector};

use super::views;
use super::{clients, incidents};

/// `NewIncident`: the facts of the field table ([`fields::FACTS`]) with `client` and
/// `allow_personal_data`. Built from the table, so the schema cannot drift from the parser.
pub struct NewIncidentDoc;

impl PartialSchema for NewIncidentDoc {
    fn schema() -> RefOr<Schema> {
        facts_schema(
            "What the reporter knows (`docs/API.md` §4). Unknown fields are refused.",
            ObjectBuilder::new()
                .property(
                    "client",
                    ObjectBuilder::new().schema_type(Type::String).description(Some("The client's slug")),
                )
                .required("client"),
            true,
        )
    }
}

impl ToSchema for NewIncidentDoc {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("NewIncident")
    }
}

/// A PATCH of the facts: any fact of `NewIncident` except `client`; `null` clears an optional one.
pub struct PatchDoc;

impl PartialSchema for PatchDoc {
    fn schema() -> RefOr<Schema> {
        facts_schema(
            "The facts to change (`docs/API.md` §5); `null` clears an optional fact. Unknown fields and `client` are refused.",
            ObjectBuilder::new(),
            false,
        )
    }
}

impl ToSchema for PatchDoc {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("IncidentPatch")
    }
}

/// An object of `base`'s properties plus every fact and `allow_personal_data`; with `report`, the
/// required facts are required.
fn facts_schema(description: &str, base: ObjectBuilder, report: bool) -> RefOr<Schema> {
    let mut object = base
        .description(Some(description))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    for fact in &fields::FACTS {
        object = object.property(fact.name, fact_schema(fact));
        if report && fact.presence == Presence::Required {
            object = object.required(fact.name);
        }
    }
    object
        .property(
            "allow_personal_data",
            ObjectBuilder::new().schema_type(nullable(Type::Boolean)).description(Some(
                "Default false: free text that looks like personal data is refused with 422 `personal_data_detected`",
            )),
        )
        .into()
}

fn nullable(kind: Type) -> SchemaType {
    SchemaType::Array(vec![kind, Type::Null])
}

/// The schema of one fact, from its row.
fn fact_schema(fact: &FactField) -> RefOr<Schema> {
    let mut description = fact.description.to_string();
    if let Some(question) = fact.ap_question {
        description.push_str(&format!(" (AP form question {question})"));
    }
    let required = fact.presence == Presence::Required;
    let scalar = |kind: Type| if required { SchemaType::Type(kind) } else { nullable(kind) };
    let codes =
        |list: CodeListName| ObjectBuilder::new().schema_type(Type::String).enum_values(Some(list.codes()));
    match fact.kind {
        FactKind::Text { max } => ObjectBuilder::new()
            .schema_type(scalar(Type::String))
            .max_length(Some(max))
            .description(Some(description))
            .into(),
        FactKind::Instant => ObjectBuilder::new()
            .schema_type(scalar(Type::String))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some(format!("{description}; RFC 3339 with an offset, never in the future")))
            .into(),
        FactKind::Flag => {
            ObjectBuilder::new().schema_type(scalar(Type::Boolean)).description(Some(description)).into()
        }
        FactKind::Count => ObjectBuilder::new()
            .schema_type(scalar(Type::Integer))
            .minimum(Some(0))
            .description(Some(description))
            .into(),
        FactKind::Code(list) => {
            let mut values: Vec<serde_json::Value> = list.codes().into_iter().map(Into::into).collect();
            values.push(serde_json::Value::Null);
            ObjectBuilder::new()
                .schema_type(nullable(Type::String))
                .enum_values(Some(values))
                .description(Some(description))
                .into()
        }
        FactKind::Codes(list) => ArrayBuilder::new()
            .schema_type(nullable(Type::Array))
            .items(codes(list))
            .description(Some(description))
            .into(),
        FactKind::Countries => ArrayBuilder::new()
            .schema_type(nullable(Type::Array))
            .items(ObjectBuilder::new().schema_type(Type::String).pattern(Some("^[A-Za-z]{2}$")))
            .description(Some(description))
            .into(),
    }
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
    /// supplement, withdraw: when it was submitted to the AP (RFC 3339); default now, never in the
    /// future, never before the AP notification.
    pub at: Option<DateTime<Utc>>,
    /// supplement: this supplement completes a preliminary notification (default `false`).
    pub complete: Option<bool>,
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

/// The body of `PUT /api/v1/clients/{slug}/profile`: the whole profile, every field optional
/// (`docs/API.md` §9). Unknown fields are refused.
pub struct ClientProfileDoc;

impl PartialSchema for ClientProfileDoc {
    fn schema() -> RefOr<Schema> {
        let text = |max: usize, description: &str| -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(nullable(Type::String))
                .max_length(Some(max))
                .description(Some(description.to_string()))
                .into()
        };
        let mut sectors: Vec<serde_json::Value> = Sector::all().iter().map(|s| s.code().into()).collect();
        sectors.push(serde_json::Value::Null);
        ObjectBuilder::new()
            .description(Some("A client's profile; absent fields are cleared or take their defaults."))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .property("legal_name", text(200, "Legal name (AP 3.1.1a)"))
            .property("address", text(300, "Street, postcode and town (AP 3.1.1c)"))
            .property("kvk_number", text(20, "KvK number: 8 digits (AP 3.1.1e)"))
            .property(
                "sector",
                ObjectBuilder::new()
                    .schema_type(nullable(Type::String))
                    .enum_values(Some(sectors))
                    .description(Some("Sector code (AP 3.1.2)")),
            )
            .property("dpo_registration", text(50, "The DPO's registration number at the AP (AP 3.1.1d)"))
            .property("lead_authority", text(2, "EEA country of the main establishment; default NL"))
            .property(
                "outside_eea",
                ObjectBuilder::new()
                    .schema_type(nullable(Type::Boolean))
                    .description(Some("Established outside the EEA (no one-stop-shop); default false")),
            )
            .property("notifier_name", text(200, "Who notifies the AP (AP 3.2.1)"))
            .property("notifier_position", text(200, "The notifier's position"))
            .property("notifier_phone", text(30, "The notifier's telephone number"))
            .property("notifier_email", text(254, "The notifier's e-mail address; default the DPO's"))
            .property(
                "contact_name",
                text(200, "The AP's contact point if other than the notifier (AP 3.2.2)"),
            )
            .property("contact_position", text(200, "The contact point's position"))
            .property("contact_email", text(254, "The contact point's e-mail address"))
            .property("contact_phone", text(30, "The contact point's telephone number"))
            .property(
                "subject_locales",
                ArrayBuilder::new()
                    .schema_type(nullable(Type::Array))
                    .items(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["nl", "en"])))
                    .description(Some("Languages of the data subjects; default the client's")),
            )
            .into()
    }
}

impl ToSchema for ClientProfileDoc {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ClientProfileInput")
    }
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
        incidents::ap_report_pdf,
        clients::get_profile,
        clients::put_profile
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
        EventDoc,
        clients::ClientProfileView,
        ClientProfileDoc
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "incidents", description = "Suspected leaks and breaches"),
        (name = "clients", description = "Clients' profiles (the controller as the AP form asks about it)")
    )
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json() -> HttpResponse {
    match ApiDoc::openapi().to_json() {
        Ok(json) => HttpResponse::Ok().content_type("application/json").body(json),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}
