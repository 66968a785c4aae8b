//! One incident as a cockpit: state and severity badges, the countdown in its urgency band's
//! colour and the conservative-deadline warning, the one next step (`domain::next_action`) with
//! every other allowed event under "More actions", the checklist "Ready to notify the AP"; then the
//! facts, the alert schedule and the timeline in sentences grouped by Amsterdam day. Forms for
//! exactly the events that the lifecycle allows now, prefilled from what is known, with errors named
//! at the field; and the draft AP notification.
//!
//! `view` builds the page, `forms` the form specifications and what a submitted form becomes,
//! `actions` the event and edit handlers, `missing` what the draft lacks and where each answer is
//! filled in (both pages), `draft` the AP-draft pages (HTML, text, PDF).

mod actions;
mod draft;
mod forms;
mod missing;
mod view;

pub use actions::{edit, event};
pub use draft::{ap_report, ap_report_pdf, ap_report_text};
pub use missing::CheckItem;
pub use view::{AlertRow, EventForm, Fact, FormField, TimelineDay, TimelineRow, page};
