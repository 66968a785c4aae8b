//! The JSON API under `/api/v1` (reference: `docs/API.md`).

pub mod clients;
pub mod incidents;
pub mod openapi;
pub mod views;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{HttpRequest, web};

use super::error::ApiError;

/// The `/api/v1` scope with its extractor configuration: malformed JSON and queries are 400,
/// oversized bodies 413, unknown paths 404, all with the JSON error body.
pub fn scope(body_limit: usize) -> actix_web::Scope {
    web::scope("/api/v1")
        .app_data(
            web::JsonConfig::default()
                .limit(body_limit)
                .error_handler(move |err, _req| json_error(err, body_limit).into()),
        )
        .app_data(web::QueryConfig::default().error_handler(|err, _req| query_error(err).into()))
        .app_data(
            web::PathConfig::default().error_handler(|_err: PathError, _req| ApiError::not_found().into()),
        )
        .route("/openapi.json", web::get().to(openapi::openapi_json))
        .service(
            web::resource("/incidents")
                .route(web::get().to(incidents::list))
                .route(web::post().to(incidents::create))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/incidents/{id}")
                .route(web::get().to(incidents::get))
                .route(web::patch().to(incidents::patch))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/incidents/{id}/events")
                .route(web::post().to(incidents::event))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/incidents/{id}/ap-report")
                .route(web::get().to(incidents::ap_report))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/incidents/{id}/ap-report.txt")
                .route(web::get().to(incidents::ap_report_text))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/incidents/{id}/ap-report.pdf")
                .route(web::get().to(incidents::ap_report_pdf))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/incidents/{id}/alerts")
                .route(web::get().to(incidents::alerts))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/incidents/{id}/timeline")
                .route(web::get().to(incidents::timeline))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/clients/{slug}/profile")
                .route(web::get().to(clients::get_profile))
                .route(web::put().to(clients::put_profile))
                .default_service(web::to(method_not_allowed)),
        )
        .default_service(web::to(not_found))
}

fn json_error(err: JsonPayloadError, limit: usize) -> ApiError {
    match err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::too_large(limit)
        }
        JsonPayloadError::ContentType => {
            ApiError::unsupported_media_type("the body must be JSON (Content-Type: application/json)")
        }
        JsonPayloadError::Deserialize(e) => {
            // serde's messages may quote the input, which may hold personal data: report the place only.
            ApiError::bad_request(format!("malformed JSON at line {} column {}", e.line(), e.column()))
        }
        JsonPayloadError::Payload(actix_web::error::PayloadError::Overflow) => ApiError::too_large(limit),
        JsonPayloadError::Payload(actix_web::error::PayloadError::Io(e))
            if e.kind() == std::io::ErrorKind::TimedOut =>
        {
            ApiError::bad_request(e.to_string())
        }
        _ => ApiError::bad_request("the request body could not be read"),
    }
}

fn query_error(err: QueryPayloadError) -> ApiError {
    match err {
        QueryPayloadError::Deserialize(e) => ApiError::bad_request(format!("malformed query string: {e}")),
        _ => ApiError::bad_request("malformed query string"),
    }
}

async fn not_found(_req: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::not_found())
}

async fn method_not_allowed(_req: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::method_not_allowed())
}
