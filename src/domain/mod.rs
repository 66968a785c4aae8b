//! The functional core: pure types and rules of art33. No IO, no database, no web framework;
//! `now` is always a parameter.
//!
//! Besides chrono, chrono-tz, serde and thiserror the core uses serde_json (event bodies and audit
//! details are JSON objects), sha2/hex (the audit chain's hashes) and fluent-bundle (the texts,
//! compiled in: [`texts`]): pure computation, no IO.

pub mod ap_report;
pub mod audit;
pub mod authz;
pub mod calendar;
pub mod deadline;
pub mod directory;
pub mod error;
pub mod escalation;
pub mod event;
pub mod fields;
pub mod ids;
pub mod incident;
pub mod input;
pub mod lifecycle;
pub mod local_time;
pub mod locale;
pub mod login_limits;
pub mod next_action;
pub mod pii;
pub mod reference;
pub mod register;
pub mod severity;
pub mod sso;
pub mod tenant;
#[cfg(test)]
mod tests;
pub mod texts;
pub mod vocabulary;
