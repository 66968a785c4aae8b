//! One incident: the facts, both clocks and the conservative-deadline warning, the timeline (events
//! and mails with delivery state), the alert schedule, and forms for exactly the events that the
//! lifecycle allows now, with errors named at the field; and the draft AP notification.
//!
//! `view` builds the page, `forms` the form specifications and what a submitted form becomes,
//! `actions` the event and edit handlers, `draft` the AP-draft pages (HTML, text, PDF).

mod actions;
mod draft;
mod forms;
mod missing;
mod view;

pub use actions::{edit, event};
pub use draft::{ap_report, ap_report_pdf, ap_report_text};
pub use missing::CheckItem;
pub use view::{AlertRow, EventForm, Fact, FormField, TimelineDay, TimelineRow, page};
