//! The functional core: pure types and rules of art33. No IO, no database, no web framework;
//! `now` is always a parameter.

pub mod directory;
pub mod escalation;
pub mod ids;
pub mod tenant;
