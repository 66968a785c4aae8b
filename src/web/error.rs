//! The one place where errors become HTTP answers. API errors are
//! `{"error": CODE, "message": TEXT, "field": NAME?}` (`docs/API.md` §3); 5xx bodies are opaque and
//! the cause is logged instead.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::app::CommandError;
use crate::domain::error::FieldError;
use crate::domain::lifecycle::LifecycleError;
use crate::storage::StorageError;

/// An error answer of the JSON API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine-readable code (`docs/API.md` §3).
    pub code: &'static str,
    /// One sentence for people.
    pub message: String,
    /// The offending field, if one.
    pub field: Option<String>,
    /// Seconds to wait before retrying (429, 503).
    pub retry_after: Option<u64>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), field: None, retry_after: None }
    }

    /// 400 `bad_request`: malformed JSON, query or header.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 401 `unauthenticated`.
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
    }

    /// 403 `forbidden`.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404 `not_found`; also for another client's resources, whose existence is not revealed.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }

    /// 405 `method_not_allowed`.
    pub fn method_not_allowed() -> Self {
        Self::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this method is not allowed here")
    }

    /// 409 `invalid_transition`: the message names the state and the event.
    pub fn invalid_transition(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "invalid_transition", message)
    }

    /// 409 `conflict`: the resource changed or already exists.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// 413 `too_large`.
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the request body is larger than the limit of {limit} bytes"),
        )
    }

    /// 415 `unsupported_media_type`.
    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", message)
    }

    /// 422 `invalid`, naming the field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message);
        e.field = Some(field.into());
        e
    }

    /// 422 `personal_data_detected`, naming the field and the kind of data, never the data.
    pub fn personal_data(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "personal_data_detected", message);
        e.field = Some(field.into());
        e
    }

    /// 422 `personal_data_detected` for `field` holding something of `kind`.
    pub fn personal_data_in(field: &str, kind: crate::domain::pii::PiiKind) -> Self {
        Self::personal_data(
            field,
            format!(
                "{field}: looks like it contains {} ({}); remove it, or send \"allow_personal_data\": true if it is needed",
                kind.label(crate::domain::locale::Locale::En),
                kind.code()
            ),
        )
    }

    /// 429 `too_many_requests`.
    pub fn too_many_requests(retry_after: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "too many requests; try again later",
        );
        e.retry_after = Some(retry_after);
        e
    }

    /// 503 `unavailable`.
    pub fn unavailable() -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the service is temporarily unavailable; try again shortly",
        );
        e.retry_after = Some(5);
        e
    }

    /// 500 `internal`: the cause is logged, never shown.
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error")
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"art33\""),
            ));
        }
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(Body { error: self.code, message: &self.message, field: self.field.as_deref() })
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Unavailable(cause) => {
                tracing::warn!(cause = %crate::telemetry::escaped(&cause), "database unavailable");
                ApiError::unavailable()
            }
            StorageError::NotFound => ApiError::not_found(),
            StorageError::Conflict(_) => {
                ApiError::conflict("the resource already exists or was changed meanwhile")
            }
            other => {
                tracing::error!(error = %crate::telemetry::escaped(&other), "storage failure");
                ApiError::internal()
            }
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::invalid(e.field.clone(), format!("{}: {}", e.field, e.message))
    }
}

impl From<LifecycleError> for ApiError {
    fn from(e: LifecycleError) -> Self {
        match e {
            LifecycleError::NotAllowed { .. } => ApiError::invalid_transition(e.to_string()),
            LifecycleError::Invalid(field) => field.into(),
        }
    }
}

impl From<CommandError> for ApiError {
    fn from(e: CommandError) -> Self {
        match e {
            CommandError::Storage(s) => s.into(),
            CommandError::NotFound => ApiError::not_found(),
            CommandError::Forbidden(m) => ApiError::forbidden(m),
            CommandError::Lifecycle(l) => l.into(),
            CommandError::Invalid(f) => f.into(),
            CommandError::PersonalData(found) => match found.first() {
                Some((field, kind)) => ApiError::personal_data_in(field, *kind),
                None => ApiError::bad_request("personal data"),
            },
            CommandError::TooMany { retry_after_seconds } => ApiError::too_many_requests(retry_after_seconds),
        }
    }
}
