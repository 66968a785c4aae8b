//! Storage errors, in terms the shell can act on (503, 404, 409, …).

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// `database.url` names a scheme art33 cannot use.
    #[error(
        "unsupported database URL scheme \"{0}\" in database.url; use sqlite://PATH or postgres://USER@HOST/DB"
    )]
    UnsupportedScheme(String),
    /// The database cannot be reached or no connection is free.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A row that must exist does not.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken (e.g. a slug already taken).
    #[error("already exists: {0}")]
    Conflict(String),
    /// Applying migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// Stored data could not be decoded (a bug or a tampered row).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Query(DieselError),
}

impl StorageError {
    /// Whether retrying later may succeed (the database is down or busy).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StorageError::Unavailable(_))
    }

    /// The same error for another caller: each write of a failed group commit is told why (a
    /// diesel error cannot be cloned, so a query error is passed on as its message).
    pub(crate) fn duplicate(&self) -> StorageError {
        match self {
            StorageError::UnsupportedScheme(s) => StorageError::UnsupportedScheme(s.clone()),
            StorageError::Unavailable(s) => StorageError::Unavailable(s.clone()),
            StorageError::NotFound => StorageError::NotFound,
            StorageError::Conflict(s) => StorageError::Conflict(s.clone()),
            StorageError::Migration(s) => StorageError::Migration(s.clone()),
            StorageError::Corrupt(s) => StorageError::Corrupt(s.clone()),
            StorageError::Query(e) => {
                StorageError::Query(DieselError::QueryBuilderError(e.to_string().into()))
            }
        }
    }
}

impl From<DieselError> for StorageError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => StorageError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StorageError::Conflict(info.message().to_string())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                StorageError::Unavailable(info.message().to_string())
            }
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, ref info)
                if is_connection_trouble(info.message()) =>
            {
                StorageError::Unavailable(info.message().to_string())
            }
            other => StorageError::Query(other),
        }
    }
}

/// libpq and SQLite report lost connections, lock timeouts, deadlocks, serialization failures and a
/// full or read-only disk as plain messages. All of them pass: the request is refused with 503 (try
/// again) and nothing half-written stays, since the transaction rolled back.
fn is_connection_trouble(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "server closed the connection",
        "terminating connection",
        "connection to server",
        "no connection to the server",
        "could not receive data",
        "could not send data",
        "database is locked",
        "deadlock detected",
        "could not serialize access",
        "the database system is shutting down",
        "the database system is starting up",
        "administrator command",
        "database or disk is full",
        "no space left on device",
        "could not extend file",
        "attempt to write a readonly database",
        "read-only file system",
        "disk i/o error",
        "unable to open database file",
    ]
    .iter()
    .any(|needle| m.contains(needle))
}

impl From<diesel::r2d2::PoolError> for StorageError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        StorageError::Unavailable(e.to_string())
    }
}

impl From<diesel::ConnectionError> for StorageError {
    fn from(e: diesel::ConnectionError) -> Self {
        StorageError::Unavailable(e.to_string().trim().to_string())
    }
}

impl From<serde_json::Error> for StorageError {
    fn from(e: serde_json::Error) -> Self {
        StorageError::Corrupt(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::is_connection_trouble;

    #[test]
    fn transient_failures_are_told_apart_from_bugs() {
        for transient in [
            "deadlock detected",
            "could not serialize access due to concurrent update",
            "server closed the connection unexpectedly",
            "database is locked",
            "database or disk is full",
        ] {
            assert!(is_connection_trouble(transient), "{transient}");
        }
        for bug in ["syntax error at or near \"FROM\"", "no such column: nope", "null value in column"] {
            assert!(!is_connection_trouble(bug), "{bug}");
        }
    }
}
