//! What every answer of the draft is filled in from besides the facts, and what an answer is before its
//! question's labels are attached. [`Ctx`] holds the clock of the incident at `now`, its severity, the
//! kind of draft ([`DraftKind`]), whether the notification is (or would now be) late, and the legal
//! window; [`Fill`] is one answer's value, provenance, whether it is required, whether only the AP
//! form can take it, and the note for the DPO. `fill.rs` and `follow_up.rs` make the fills.

use chrono::{DateTime, Utc};

use super::draft::{DraftInput, DraftKind, Provenance};
use super::{tr, when};
use crate::domain::deadline::{Clock, LegalWindow};
use crate::domain::incident::Incident;
use crate::domain::locale::Locale;
use crate::domain::severity::Severity;

/// Everything besides the facts that answers depend on.
pub(super) struct Ctx<'a> {
    pub(super) input: &'a DraftInput<'a>,
    pub(super) locale: Locale,
    pub(super) clock: Clock,
    pub(super) severity: Option<Severity>,
    pub(super) kind: DraftKind,
    pub(super) late: bool,
    pub(super) window_hours: u32,
    /// Whether the instants in values and notes are written out; [`standing`](super::standing)
    /// only needs each answer's provenance and whether it is required, which never depend on those
    /// texts.
    pub(super) instants: bool,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(input: &'a DraftInput<'a>, instants: bool) -> Ctx<'a> {
        let incident = input.incident;
        let clock = Clock::of(incident, input.now, input.policy);
        let kind = DraftKind::of(incident);
        // The one lateness rule (`Clock::late`): a fact of the notification once made.
        let late = clock.late;
        // Before confirmation: the window that would apply were the controller aware now.
        let window_hours =
            LegalWindow::window_hours_at(input.policy, incident.controller_aware_at.unwrap_or(input.now));
        Ctx {
            input,
            locale: input.locale,
            clock,
            severity: incident.severity(),
            kind,
            late,
            window_hours,
            instants,
        }
    }

    /// The text `key` in the draft's language.
    pub(super) fn t(&self, key: &'static str) -> &'static str {
        tr(self.locale, key)
    }

    pub(super) fn when(&self, t: DateTime<Utc>) -> String {
        if self.instants { when(t, self.locale) } else { String::new() }
    }

    pub(super) fn incident(&self) -> &Incident {
        self.input.incident
    }

    /// The instant the notification was or would be made: the recorded one, else now.
    pub(super) fn notification_instant(&self) -> DateTime<Utc> {
        match (self.kind, &self.incident().ap) {
            (DraftKind::Supplement | DraftKind::Withdrawal, Some(ap)) => ap.notified_at,
            _ => self.input.now,
        }
    }
}

/// The fill of one answer before the question's labels are attached.
pub(super) struct Fill {
    pub(super) value: Option<String>,
    pub(super) provenance: Provenance,
    pub(super) required: bool,
    pub(super) on_form_only: bool,
    pub(super) note: Option<String>,
}

impl Fill {
    pub(super) fn recorded(value: impl Into<String>) -> Fill {
        Fill {
            value: Some(value.into()),
            provenance: Provenance::Recorded,
            required: true,
            on_form_only: false,
            note: None,
        }
    }

    pub(super) fn derived(value: impl Into<String>) -> Fill {
        Fill { provenance: Provenance::Derived, ..Fill::recorded(value) }
    }

    pub(super) fn missing() -> Fill {
        Fill { value: None, provenance: Provenance::Missing, required: true, on_form_only: false, note: None }
    }

    pub(super) fn of(value: Option<&String>) -> Fill {
        value.map_or_else(Fill::missing, |v| Fill::recorded(v.clone()))
    }

    /// A question art33 never records.
    pub(super) fn form_only(ctx: &Ctx<'_>, what: &str) -> Fill {
        let lead = ctx.t("ap-fill-fill-in-on-the-ap");
        let note = if what.is_empty() { format!("{lead}.") } else { format!("{lead}: {what}") };
        Fill { required: false, on_form_only: true, ..Fill::missing() }.note(note)
    }

    pub(super) fn optional(self) -> Fill {
        Fill { required: false, ..self }
    }

    pub(super) fn note(self, note: impl Into<String>) -> Fill {
        Fill { note: Some(note.into()), ..self }
    }
}
