//! The lifecycle table (`docs/ARCHITECTURE.md` §5) as one pure function. Everything else asks it: the API,
//! the pages, the scheduler.
//!
//! An event the table does not allow in the current state is [`LifecycleError::NotAllowed`] (409);
//! an allowed event with a missing or invalid field, including a late `notify_ap` without
//! `delay_reason` or a `close` while the register entry is incomplete, is
//! [`LifecycleError::Invalid`] (422) naming the first field.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::deadline;
use super::error::FieldError;
use super::escalation::EscalationPolicy;
use super::fields::TEXT_MAX;
use super::incident::{ApNotification, Assessment, Incident, State, SubjectsDecision, Supplement};
use super::input::{self, Object};
use super::severity::{Band, Ease, SeverityInput};
use super::vocabulary::{Channel, CodeList, SubjectsGround};

pub use super::event::EventKind;

/// The fields of events that are free text ([`Event::free_text`]): what the personal-data policy
/// scans, what the audit trail keeps as digests and what retention purges.
pub const EVENT_FREE_TEXT: [&str; 7] =
    ["justification", "reason", "rationale", "note", "explanation", "delay_reason", "summary"];

/// The states from `confirmed` on in which a breach stays on record.
const CONFIRMED_AND_LATER: [State; 5] =
    [State::Confirmed, State::NotNotifiable, State::ApNotified, State::ApWithdrawn, State::Closed];

/// The table: the state `kind` leads to from `from`, or `None` when not allowed. `Reopen` goes to
/// `confirmed`, or `reported` if the incident was never confirmed (`was_confirmed`).
pub fn target(kind: EventKind, from: State, was_confirmed: bool) -> Option<State> {
    use State::*;
    match kind {
        EventKind::Confirm => matches!(from, Reported).then_some(Confirmed),
        EventKind::Dismiss => matches!(from, Reported | Confirmed).then_some(Dismissed),
        EventKind::Acknowledge => Some(from),
        EventKind::Assess => {
            matches!(from, Reported | Confirmed | NotNotifiable | ApNotified).then_some(from)
        }
        EventKind::DecideNotNotifiable => matches!(from, Confirmed).then_some(NotNotifiable),
        EventKind::NotifyAp => matches!(from, Confirmed | NotNotifiable).then_some(ApNotified),
        EventKind::Supplement => matches!(from, ApNotified).then_some(ApNotified),
        EventKind::Withdraw => matches!(from, ApNotified).then_some(ApWithdrawn),
        // Only a breach that was confirmed has data subjects to inform and awareness to correct.
        EventKind::InformSubjects | EventKind::SubjectsNotRequired | EventKind::CorrectAwareness => {
            (was_confirmed && CONFIRMED_AND_LATER.contains(&from)).then_some(from)
        }
        EventKind::Close => {
            matches!(from, NotNotifiable | ApNotified | ApWithdrawn | Dismissed).then_some(Closed)
        }
        EventKind::Reopen => matches!(from, Dismissed | NotNotifiable | ApWithdrawn | Closed)
            .then_some(if was_confirmed { Confirmed } else { Reported }),
    }
}

/// Why an event was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// The table does not allow the event in this state (409).
    #[error("{event} is not allowed in state {state}: {why}")]
    NotAllowed {
        /// The current state.
        state: State,
        /// The refused event.
        event: EventKind,
        /// What the table allows instead.
        why: String,
    },
    /// A field is missing or invalid (422).
    #[error("{0}")]
    Invalid(FieldError),
}

impl From<FieldError> for LifecycleError {
    fn from(e: FieldError) -> Self {
        LifecycleError::Invalid(e)
    }
}

fn not_allowed(kind: EventKind, state: State) -> LifecycleError {
    let from: Vec<&str> =
        State::ALL.into_iter().filter(|s| target(kind, *s, true).is_some()).map(State::as_str).collect();
    LifecycleError::NotAllowed {
        state,
        event: kind,
        why: format!("{} is allowed only from {}", kind.as_str(), from.join(", ")),
    }
}

/// An event with its fields, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// See [`EventKind::Confirm`].
    Confirm {
        /// Default: `controller_aware_at` if given, else now.
        processor_aware_at: Option<DateTime<Utc>>,
        /// Default: now.
        controller_aware_at: Option<DateTime<Utc>>,
        /// Why these instants.
        justification: Option<String>,
    },
    /// See [`EventKind::Dismiss`].
    Dismiss {
        /// Why it is not a personal-data breach.
        reason: String,
    },
    /// See [`EventKind::Acknowledge`].
    Acknowledge,
    /// See [`EventKind::Assess`].
    Assess {
        /// ENISA inputs.
        input: SeverityInput,
        /// Why.
        rationale: String,
    },
    /// See [`EventKind::DecideNotNotifiable`].
    DecideNotNotifiable {
        /// Why the breach is unlikely to result in a risk.
        justification: String,
    },
    /// See [`EventKind::NotifyAp`].
    NotifyAp {
        /// Default now; never in the future.
        notified_at: Option<DateTime<Utc>>,
        /// The AP's reference.
        ap_reference: String,
        /// Filed as preliminary.
        preliminary: bool,
        /// Required when late (AP 4.5).
        delay_reason: Option<String>,
    },
    /// See [`EventKind::Supplement`].
    Supplement {
        /// When the supplement was submitted to the AP. Default now; never in the future, never
        /// before the notification or the previous supplement.
        at: Option<DateTime<Utc>>,
        /// What was added.
        note: String,
        /// A new AP reference, if any.
        ap_reference: Option<String>,
        /// This supplement completes a preliminary notification (default `false`).
        complete: bool,
    },
    /// See [`EventKind::Withdraw`].
    Withdraw {
        /// When the notification was withdrawn. Default now; never in the future, never before
        /// the notification.
        at: Option<DateTime<Utc>>,
        /// Why.
        reason: String,
    },
    /// See [`EventKind::InformSubjects`].
    InformSubjects {
        /// Default now.
        informed_at: Option<DateTime<Utc>>,
        /// How.
        channel: Channel,
        /// How many people.
        count: u64,
    },
    /// See [`EventKind::SubjectsNotRequired`].
    SubjectsNotRequired {
        /// Ground.
        ground: SubjectsGround,
        /// Why.
        explanation: String,
    },
    /// See [`EventKind::CorrectAwareness`].
    CorrectAwareness {
        /// New processor awareness.
        processor_aware_at: Option<DateTime<Utc>>,
        /// New controller awareness.
        controller_aware_at: Option<DateTime<Utc>>,
        /// Why.
        justification: String,
        /// Reasons for delay, required when the correction makes a recorded AP notification late.
        delay_reason: Option<String>,
    },
    /// See [`EventKind::Close`].
    Close {
        /// Closing summary.
        summary: String,
    },
    /// See [`EventKind::Reopen`].
    Reopen {
        /// Why.
        reason: String,
    },
}

impl Event {
    /// The kind of this event.
    pub fn kind(&self) -> EventKind {
        match self {
            Event::Confirm { .. } => EventKind::Confirm,
            Event::Dismiss { .. } => EventKind::Dismiss,
            Event::Acknowledge => EventKind::Acknowledge,
            Event::Assess { .. } => EventKind::Assess,
            Event::DecideNotNotifiable { .. } => EventKind::DecideNotNotifiable,
            Event::NotifyAp { .. } => EventKind::NotifyAp,
            Event::Supplement { .. } => EventKind::Supplement,
            Event::Withdraw { .. } => EventKind::Withdraw,
            Event::InformSubjects { .. } => EventKind::InformSubjects,
            Event::SubjectsNotRequired { .. } => EventKind::SubjectsNotRequired,
            Event::CorrectAwareness { .. } => EventKind::CorrectAwareness,
            Event::Close { .. } => EventKind::Close,
            Event::Reopen { .. } => EventKind::Reopen,
        }
    }

    /// The event's free text by field (justifications, reasons, notes, …): what the personal-data
    /// policy scans. Codes, counts, instants and the AP's reference are not free text.
    pub fn free_text(&self) -> Vec<(&'static str, &str)> {
        fn optional<'a>(key: &'static str, text: &'a Option<String>) -> Option<(&'static str, &'a str)> {
            text.as_deref().map(|t| (key, t))
        }
        match self {
            Event::Confirm { justification, .. } => {
                optional("justification", justification).into_iter().collect()
            }
            Event::Dismiss { reason } | Event::Withdraw { reason, .. } | Event::Reopen { reason } => {
                vec![("reason", reason.as_str())]
            }
            Event::Acknowledge | Event::InformSubjects { .. } => Vec::new(),
            Event::Assess { rationale, .. } => vec![("rationale", rationale.as_str())],
            Event::DecideNotNotifiable { justification } => vec![("justification", justification.as_str())],
            Event::NotifyAp { delay_reason, .. } => {
                optional("delay_reason", delay_reason).into_iter().collect()
            }
            Event::Supplement { note, .. } => vec![("note", note.as_str())],
            Event::SubjectsNotRequired { explanation, .. } => vec![("explanation", explanation.as_str())],
            Event::CorrectAwareness { justification, delay_reason, .. } => {
                let mut text = vec![("justification", justification.as_str())];
                text.extend(optional("delay_reason", delay_reason));
                text
            }
            Event::Close { summary } => vec![("summary", summary.as_str())],
        }
    }

    /// Parses the fields of an event of `kind` from a JSON object (which may also hold `type` and
    /// `allow_personal_data`, which the use case reads).
    /// Times may not lie after `now`.
    pub fn parse(kind: EventKind, object: &Object, now: DateTime<Utc>) -> Result<Event, FieldError> {
        let mut known = kind.fields().to_vec();
        known.extend(["type", "allow_personal_data"]);
        input::only_known(object, &known, &format!("the {} event", kind.as_str()))?;
        let text = |key: &str| input::required_text(object, key, TEXT_MAX);
        Ok(match kind {
            EventKind::Confirm => Event::Confirm {
                processor_aware_at: input::past_time(object, "processor_aware_at", now)?,
                controller_aware_at: input::past_time(object, "controller_aware_at", now)?,
                justification: input::text(object, "justification", TEXT_MAX)?,
            },
            EventKind::Dismiss => Event::Dismiss { reason: text("reason")? },
            EventKind::Acknowledge => Event::Acknowledge,
            EventKind::Assess => {
                let level = |key: &str| required(input::small_int(object, key, 0, 2)?, key);
                let flag = |key: &str| required(input::boolean(object, key)?, key);
                let dpc = required(input::small_int(object, "dpc", 1, 4)?, "dpc")?;
                let ease = match object.get("ease_of_identification") {
                    Some(Value::String(s)) => Ease::parse(s).ok_or_else(|| {
                        FieldError::new(
                            "ease_of_identification",
                            "must be one of negligible, limited, significant, maximum",
                        )
                    })?,
                    None | Some(Value::Null) => {
                        return Err(FieldError::new("ease_of_identification", "is required"));
                    }
                    Some(_) => {
                        return Err(FieldError::new(
                            "ease_of_identification",
                            "must be one of negligible, limited, significant, maximum",
                        ));
                    }
                };
                let input = SeverityInput {
                    dpc,
                    ease_of_identification: ease,
                    confidentiality: level("confidentiality")?,
                    integrity: level("integrity")?,
                    availability: level("availability")?,
                    malicious: flag("malicious")?,
                    unintelligible: flag("unintelligible")?,
                    vulnerable_subjects: flag("vulnerable_subjects")?,
                };
                input.validate()?;
                Event::Assess { input, rationale: text("rationale")? }
            }
            EventKind::DecideNotNotifiable => {
                Event::DecideNotNotifiable { justification: text("justification")? }
            }
            EventKind::NotifyAp => Event::NotifyAp {
                notified_at: input::past_time(object, "notified_at", now)?,
                ap_reference: input::required_text(object, "ap_reference", 200)?,
                preliminary: required(input::boolean(object, "preliminary")?, "preliminary")?,
                delay_reason: input::text(object, "delay_reason", TEXT_MAX)?,
            },
            EventKind::Supplement => Event::Supplement {
                at: input::past_time(object, "at", now)?,
                note: text("note")?,
                ap_reference: input::text(object, "ap_reference", 200)?,
                complete: input::boolean(object, "complete")?.unwrap_or(false),
            },
            EventKind::Withdraw => {
                Event::Withdraw { at: input::past_time(object, "at", now)?, reason: text("reason")? }
            }
            EventKind::InformSubjects => Event::InformSubjects {
                informed_at: input::past_time(object, "informed_at", now)?,
                channel: required(input::code(object, "channel")?, "channel")?,
                count: required(input::count(object, "count")?, "count")?,
            },
            EventKind::SubjectsNotRequired => Event::SubjectsNotRequired {
                ground: required(input::code(object, "ground")?, "ground")?,
                explanation: text("explanation")?,
            },
            EventKind::CorrectAwareness => {
                let processor_aware_at = input::past_time(object, "processor_aware_at", now)?;
                let controller_aware_at = input::past_time(object, "controller_aware_at", now)?;
                if processor_aware_at.is_none() && controller_aware_at.is_none() {
                    return Err(FieldError::new(
                        "controller_aware_at",
                        "give processor_aware_at, controller_aware_at or both",
                    ));
                }
                Event::CorrectAwareness {
                    processor_aware_at,
                    controller_aware_at,
                    justification: text("justification")?,
                    delay_reason: input::text(object, "delay_reason", TEXT_MAX)?,
                }
            }
            EventKind::Close => Event::Close { summary: text("summary")? },
            EventKind::Reopen => Event::Reopen { reason: text("reason")? },
        })
    }
}

fn required<T>(value: Option<T>, key: &str) -> Result<T, FieldError> {
    value.ok_or_else(|| FieldError::new(key, "is required"))
}

/// The outcome of an accepted event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The incident after the event.
    pub incident: Incident,
    /// The event.
    pub kind: EventKind,
    /// State before.
    pub from: State,
    /// State after.
    pub to: State,
    /// What the audit trail records of it.
    pub detail: Value,
}

/// Reads the `type` of an event body.
pub fn kind_of(object: &Object) -> Result<EventKind, FieldError> {
    match object.get("type") {
        Some(Value::String(s)) => EventKind::parse(s).ok_or_else(|| {
            let known: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
            FieldError::new("type", format!("must be one of {}", known.join(", ")))
        }),
        None | Some(Value::Null) => Err(FieldError::new("type", "is required")),
        Some(_) => Err(FieldError::new("type", "must be an event name")),
    }
}

/// Handles an event body: its type, then the table (409), then its fields and rules (422).
pub fn handle(
    incident: &Incident,
    body: &Object,
    actor: &str,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Transition, LifecycleError> {
    let kind = kind_of(body)?;
    check_allowed(incident, kind)?;
    let event = Event::parse(kind, body, now)?;
    apply(incident, &event, actor, now, policy)
}

/// Whether the table allows `kind` on `incident` now.
pub fn check_allowed(incident: &Incident, kind: EventKind) -> Result<State, LifecycleError> {
    target(kind, incident.state, incident.was_confirmed()).ok_or_else(|| not_allowed(kind, incident.state))
}

/// The events the table allows on `incident` now.
pub fn allowed_events(incident: &Incident) -> Vec<EventKind> {
    EventKind::ALL.into_iter().filter(|k| check_allowed(incident, *k).is_ok()).collect()
}

/// Whether the facts of an incident in `state` may still be edited (not once closed: reopen first).
pub fn check_editable(incident: &Incident) -> Result<(), LifecycleError> {
    if incident.state == State::Closed || incident.purged_at.is_some() {
        return Err(LifecycleError::NotAllowed {
            state: incident.state,
            event: EventKind::Reopen,
            why: "a closed incident cannot be edited; reopen it first".into(),
        });
    }
    Ok(())
}

/// Applies an event: the one pure function of the lifecycle.
pub fn apply(
    incident: &Incident,
    event: &Event,
    actor: &str,
    now: DateTime<Utc>,
    policy: &EscalationPolicy,
) -> Result<Transition, LifecycleError> {
    let kind = event.kind();
    let to = check_allowed(incident, kind)?;
    let mut next = incident.clone();
    next.state = to;
    next.version += 1;
    let mut detail = json!({});
    match event {
        Event::Confirm { processor_aware_at, controller_aware_at, justification } => {
            let controller = controller_aware_at.unwrap_or(now);
            let processor = processor_aware_at.unwrap_or(controller.min(now));
            check_awareness_order(processor, controller)?;
            next.processor_aware_at = Some(processor);
            next.controller_aware_at = Some(controller);
            next.awareness_justification = justification.clone();
            detail = json!({
                "processor_aware_at": processor,
                "controller_aware_at": controller,
                "deadline_at": deadline::deadline(controller, policy),
                "justification": justification,
            });
        }
        Event::Dismiss { reason } => {
            next.dismiss_reason = Some(reason.clone());
            detail = json!({ "reason": reason });
        }
        Event::Acknowledge => {
            if next.acknowledged_at.is_none() {
                next.acknowledged_at = Some(now);
                next.acknowledged_by = Some(actor.to_string());
            }
            detail = json!({ "first": incident.acknowledged_at.is_none() });
        }
        Event::Assess { input, rationale } => {
            next.assessment = Some(Assessment {
                input: input.clone(),
                rationale: rationale.clone(),
                assessed_at: now,
                assessed_by: actor.to_string(),
            });
            let severity = super::severity::assess(input);
            detail = json!({ "input": input, "rationale": rationale, "severity": severity });
        }
        Event::DecideNotNotifiable { justification } => {
            next.not_notifiable_justification = Some(justification.clone());
            detail = json!({ "justification": justification });
        }
        Event::NotifyAp { notified_at, ap_reference, preliminary, delay_reason } => {
            let notified_at = notified_at.unwrap_or(now);
            let aware = incident.controller_aware_at.ok_or_else(|| {
                FieldError::new(
                    "controller_aware_at",
                    "the breach has no controller awareness; confirm it first",
                )
            })?;
            if notified_at < aware {
                return Err(FieldError::new("notified_at", "must not be before controller_aware_at").into());
            }
            let late = deadline::is_late(aware, notified_at, policy);
            if late && delay_reason.is_none() {
                return Err(FieldError::new(
                    "delay_reason",
                    "is required: the notification is made after the deadline (AP question 4.5, art. 33(1))",
                )
                .into());
            }
            next.ap = Some(ApNotification {
                notified_at,
                reference: ap_reference.clone(),
                preliminary: *preliminary,
                delay_reason: delay_reason.clone(),
            });
            next.supplements.clear();
            next.notified_snapshot = Some(incident.facts.clone());
            next.withdrawn_at = None;
            next.withdraw_reason = None;
            let late_by = (notified_at - deadline::deadline(aware, policy)).num_seconds().max(0);
            detail = json!({
                "notified_at": notified_at,
                "ap_reference": ap_reference,
                "preliminary": preliminary,
                "delay_reason": delay_reason,
                "on_time": !late,
                "late_by_seconds": late_by,
            });
        }
        Event::Supplement { at, note, ap_reference, complete } => {
            let at = at.unwrap_or(now);
            check_after_notification(incident, at)?;
            if let Some(previous) = incident.supplements.last()
                && at < previous.at
            {
                return Err(FieldError::new("at", "must not be before the previous supplement").into());
            }
            if let (Some(ap), Some(reference)) = (next.ap.as_mut(), ap_reference) {
                ap.reference = reference.clone();
            }
            next.supplements.push(Supplement {
                at,
                note: note.clone(),
                ap_reference: ap_reference.clone(),
                complete: *complete,
            });
            next.notified_snapshot = Some(incident.facts.clone());
            detail = json!({ "at": at, "note": note, "ap_reference": ap_reference, "complete": complete });
        }
        Event::Withdraw { at, reason } => {
            let at = at.unwrap_or(now);
            check_after_notification(incident, at)?;
            next.withdrawn_at = Some(at);
            next.withdraw_reason = Some(reason.clone());
            detail = json!({ "at": at, "reason": reason });
        }
        Event::InformSubjects { informed_at, channel, count } => {
            let informed_at = informed_at.unwrap_or(now);
            next.subjects = SubjectsDecision::Informed { informed_at, channel: *channel, count: *count };
            detail = json!({ "informed_at": informed_at, "channel": channel, "count": count });
        }
        Event::SubjectsNotRequired { ground, explanation } => {
            next.subjects =
                SubjectsDecision::NotRequired { ground: *ground, explanation: explanation.clone() };
            detail = json!({ "ground": ground, "explanation": explanation });
        }
        Event::CorrectAwareness { processor_aware_at, controller_aware_at, justification, delay_reason } => {
            let old_processor = incident.processor_aware_at;
            let old_controller = incident.controller_aware_at;
            let processor = processor_aware_at.or(old_processor).unwrap_or(now);
            let controller = controller_aware_at.or(old_controller).unwrap_or(now);
            check_awareness_order(processor, controller)?;
            if let Some(ap) = next.ap.as_mut() {
                if ap.notified_at < controller {
                    return Err(FieldError::new(
                        "controller_aware_at",
                        "must not be after the recorded AP notification",
                    )
                    .into());
                }
                // A correction must not leave a recorded notification late without its reasons.
                if deadline::is_late(controller, ap.notified_at, policy) && ap.delay_reason.is_none() {
                    match delay_reason {
                        Some(reason) => ap.delay_reason = Some(reason.clone()),
                        None => {
                            return Err(FieldError::new(
                                "delay_reason",
                                "is required: with this awareness the recorded AP notification was late (AP question 4.5)",
                            )
                            .into());
                        }
                    }
                }
            }
            next.processor_aware_at = Some(processor);
            next.controller_aware_at = Some(controller);
            next.awareness_justification = Some(justification.clone());
            let moved = old_controller.map(|old| (controller - old).num_seconds()).unwrap_or(0);
            detail = json!({
                "previous": { "processor_aware_at": old_processor, "controller_aware_at": old_controller },
                "processor_aware_at": processor,
                "controller_aware_at": controller,
                "deadline_at": deadline::deadline(controller, policy),
                "deadline_moved_seconds": moved,
                "justification": justification,
            });
        }
        Event::Close { summary } => {
            if incident.state != State::Dismissed {
                check_register_complete(incident)?;
            }
            next.closed_at = Some(now);
            next.close_summary = Some(summary.clone());
            detail = json!({ "summary": summary });
        }
        Event::Reopen { reason } => {
            next.closed_at = None;
            detail = json!({ "reason": reason });
        }
    }
    if let Value::Object(map) = &mut detail {
        map.insert("from".into(), json!(incident.state));
        map.insert("to".into(), json!(to));
    }
    Ok(Transition { incident: next, kind, from: incident.state, to, detail })
}

/// A supplement or a withdrawal happens after the AP notification it follows up (422 naming `at`).
fn check_after_notification(incident: &Incident, at: DateTime<Utc>) -> Result<(), FieldError> {
    match &incident.ap {
        Some(ap) if at < ap.notified_at => {
            Err(FieldError::new("at", "must not be before the AP notification (notified_at)"))
        }
        _ => Ok(()),
    }
}

fn check_awareness_order(processor: DateTime<Utc>, controller: DateTime<Utc>) -> Result<(), FieldError> {
    if controller < processor {
        return Err(FieldError::new(
            "controller_aware_at",
            "must not be before processor_aware_at: the client cannot learn of the breach before GX knows of it",
        ));
    }
    Ok(())
}

/// Art. 33(5): a breach's register entry needs the facts, the effects and the remedial action, and
/// a high-risk breach a decision on informing data subjects, before it is closed.
pub fn check_register_complete(incident: &Incident) -> Result<(), FieldError> {
    if incident.facts.summary.trim().is_empty() {
        return Err(FieldError::new(
            "summary",
            "the register entry needs the facts of the breach before closing",
        ));
    }
    if incident.facts.consequences.is_none() {
        return Err(FieldError::new(
            "consequences",
            "the register entry needs the effects of the breach before closing (art. 33(5))",
        ));
    }
    if incident.facts.measures_taken.is_none() {
        return Err(FieldError::new(
            "measures_taken",
            "the register entry needs the remedial action taken before closing (art. 33(5))",
        ));
    }
    // High risk by the band: with unintelligible data the DPO still records the art. 34(3)(a)
    // ground as a decision (subjects_not_required).
    let high_risk = incident.severity().is_some_and(|s| s.band >= Band::High);
    if high_risk && incident.subjects == SubjectsDecision::Undecided {
        return Err(FieldError::new(
            "subjects",
            "a high-risk breach needs a decision on informing data subjects (inform_subjects or subjects_not_required) before closing",
        ));
    }
    Ok(())
}

/// Every (state, event) pair of the table, for documentation and tests.
pub fn table() -> Vec<(State, EventKind, Option<State>)> {
    let mut rows = Vec::new();
    for state in State::ALL {
        for kind in EventKind::ALL {
            rows.push((state, kind, target(kind, state, true)));
        }
    }
    rows
}

/// The codes a `ground` may take, for messages.
pub fn subject_grounds() -> String {
    SubjectsGround::codes_text()
}
