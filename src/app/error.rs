//! Why a use case refused or failed, in terms the shells map to answers (404, 403, 409, 422, 503).

use crate::domain::pii::PiiKind;
use crate::storage::StorageError;

/// Why a command on tenant data was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The resource does not exist or is outside the caller's tenants (404).
    #[error("not found")]
    NotFound,
    /// The caller may see the resource but not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// The lifecycle refused the event (409 or 422).
    #[error(transparent)]
    Lifecycle(#[from] crate::domain::lifecycle::LifecycleError),
    /// A field is missing or invalid (422).
    #[error(transparent)]
    Invalid(#[from] crate::domain::error::FieldError),
    /// Free text looks like personal data and the caller did not say it is needed (422
    /// `personal_data_detected`): every finding, by field, without the data itself.
    #[error("{}: looks like personal data", .0.first().map_or("", |(field, _)| field.as_str()))]
    PersonalData(Vec<(String, PiiKind)>),
    /// The caller did this too often lately (429): try again after this many seconds.
    #[error("too many reports; try again in {retry_after_seconds} s")]
    TooMany {
        /// Seconds until the oldest counted action leaves the window.
        retry_after_seconds: u64,
    },
}

impl From<diesel::result::Error> for CommandError {
    fn from(e: diesel::result::Error) -> Self {
        CommandError::Storage(e.into())
    }
}

impl From<crate::domain::authz::Denial> for CommandError {
    fn from(d: crate::domain::authz::Denial) -> Self {
        match d {
            crate::domain::authz::Denial::NotFound => CommandError::NotFound,
            crate::domain::authz::Denial::Forbidden(m) => CommandError::Forbidden(m),
        }
    }
}
