//! The incident page's forms: the fields of each event and of the facts, and what a submitted
//! form becomes.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use actix_web::http::StatusCode;

use crate::app::CommandError;
use crate::domain::error::FieldError;
use crate::domain::fields::{CodeListName, FACTS, FactKind, Presence, TITLE_MAX};
use crate::domain::incident::Facts;
use crate::domain::lifecycle::EventKind;
use crate::domain::lifecycle::LifecycleError;
use crate::domain::local_time;
use crate::domain::severity::Ease;
use crate::domain::vocabulary::{Channel, CodeList, SubjectsGround};
use crate::web::pages::PageError;
use crate::web::pages::Ui;
use crate::web::pages::forms::{self, Fields, Shape};
use crate::web::pages::report::Choice;

use super::view::*;

pub(super) fn yes_no(ui: &Ui) -> Vec<Choice> {
    vec![
        Choice { value: String::new(), label: ui.t("choice-choose").into(), selected: false },
        Choice { value: "true".into(), label: ui.t("choice-yes").into(), selected: false },
        Choice { value: "false".into(), label: ui.t("choice-no").into(), selected: false },
    ]
}

pub(super) fn code_options<T: CodeList>(ui: &Ui, with_empty: bool) -> Vec<Choice> {
    let mut out = Vec::new();
    if with_empty {
        out.push(Choice { value: String::new(), label: ui.t("choice-choose").into(), selected: false });
    }
    out.extend(T::all().iter().map(|c| Choice {
        value: c.code().into(),
        label: ui.code(*c).into(),
        selected: false,
    }));
    out
}

pub(super) fn numbered(ui: &Ui, values: &[(u8, &'static str)]) -> Vec<Choice> {
    let mut out = vec![Choice { value: String::new(), label: ui.t("choice-choose").into(), selected: false }];
    out.extend(values.iter().map(|(v, key)| Choice {
        value: v.to_string(),
        label: format!("{v} — {}", ui.t(key)),
        selected: false,
    }));
    out
}

pub(super) fn field(
    name: &'static str,
    input: &'static str,
    required: bool,
    options: Vec<Choice>,
) -> FormField {
    FormField {
        name,
        label: label_key(name),
        input,
        required,
        options,
        value: String::new(),
        error: None,
        fold: false,
    }
}

/// The key of a field's label: `field-<name>` (underscores become hyphens) when there is such a
/// text, else `field-type`.
pub(super) fn label_key(name: &str) -> &'static str {
    crate::domain::texts::known_key(&format!("field-{}", name.replace('_', "-"))).unwrap_or("field-type")
}

/// The inputs of an event and how each maps onto the event's JSON.
pub(super) fn event_fields(kind: EventKind, ui: &Ui) -> Vec<(FormField, Shape)> {
    let text = |n: &'static str, required: bool| (field(n, "textarea", required, vec![]), Shape::Text);
    let time = |n: &'static str| (field(n, "datetime", false, vec![]), Shape::LocalTime);
    let level = |n: &'static str| {
        (
            field(
                n,
                "select",
                true,
                numbered(
                    ui,
                    &[(0, "choice-level-none"), (1, "choice-level-limited"), (2, "choice-level-full")],
                ),
            ),
            Shape::Number,
        )
    };
    let flag = |n: &'static str| (field(n, "select", true, yes_no(ui)), Shape::Choice);
    let mut fields = match kind {
        EventKind::Confirm => {
            vec![time("processor_aware_at"), time("controller_aware_at"), text("justification", false)]
        }
        EventKind::Dismiss | EventKind::Reopen => vec![text("reason", true)],
        EventKind::Withdraw => vec![time("at"), text("reason", true)],
        EventKind::Acknowledge => vec![],
        EventKind::Assess => vec![
            (
                field(
                    "dpc",
                    "select",
                    true,
                    numbered(
                        ui,
                        &[
                            (1, "choice-dpc-simple"),
                            (2, "choice-dpc-behavioural"),
                            (3, "choice-dpc-financial"),
                            (4, "choice-dpc-sensitive"),
                        ],
                    ),
                ),
                Shape::Number,
            ),
            (
                field("ease_of_identification", "select", true, {
                    let mut o = vec![Choice {
                        value: String::new(),
                        label: ui.t("choice-choose").into(),
                        selected: false,
                    }];
                    for (e, key) in [
                        (Ease::Negligible, "choice-ease-negligible"),
                        (Ease::Limited, "choice-ease-limited"),
                        (Ease::Significant, "choice-ease-significant"),
                        (Ease::Maximum, "choice-ease-maximum"),
                    ] {
                        o.push(Choice { value: e.code().into(), label: ui.t(key).into(), selected: false });
                    }
                    o
                }),
                Shape::Text,
            ),
            level("confidentiality"),
            level("integrity"),
            level("availability"),
            flag("malicious"),
            flag("unintelligible"),
            flag("vulnerable_subjects"),
            text("rationale", true),
        ],
        EventKind::DecideNotNotifiable => vec![text("justification", true)],
        EventKind::NotifyAp => vec![
            time("notified_at"),
            (field("ap_reference", "text", true, vec![]), Shape::Text),
            flag("preliminary"),
            text("delay_reason", false),
        ],
        EventKind::Supplement => vec![
            time("at"),
            text("note", true),
            (field("ap_reference", "text", false, vec![]), Shape::Text),
            (field("complete", "checkbox", false, vec![]), Shape::Flag),
        ],
        EventKind::InformSubjects => vec![
            time("informed_at"),
            (field("channel", "select", true, code_options::<Channel>(ui, true)), Shape::Text),
            (field("count", "number", true, vec![]), Shape::Number),
        ],
        EventKind::SubjectsNotRequired => vec![
            (field("ground", "select", true, code_options::<SubjectsGround>(ui, true)), Shape::Text),
            text("explanation", true),
        ],
        EventKind::CorrectAwareness => vec![
            time("processor_aware_at"),
            time("controller_aware_at"),
            text("justification", true),
            text("delay_reason", false),
        ],
        EventKind::Close => vec![text("summary", true)],
    };
    // Free text is checked for personal data; the form lets the user send it on purpose.
    if fields.iter().any(|(f, _)| f.input == "textarea") {
        fields.push((field("allow_personal_data", "checkbox", false, vec![]), Shape::Flag));
    }
    fields
}

/// The form error for free text that looks like personal data: the first field, what was found,
/// and how to send it anyway.
fn personal_data_error(ui: &Ui, found: &[(String, crate::domain::pii::PiiKind)]) -> (String, String) {
    let field = found.first().map_or_else(String::new, |(f, _)| f.clone());
    let kinds: Vec<&str> =
        found.iter().filter(|(f, _)| *f == field).map(|(_, kind)| kind.label(ui.locale)).collect();
    let message = ui.t_with("inc-personal-data", &[("kinds", &kinds.join(", "))]);
    (field, message)
}

/// The facts form: every fact of the field table, then the personal-data checkbox.
pub(super) fn fact_fields(ui: &Ui, facts: &Facts) -> Vec<FormField> {
    let current = facts.to_object();
    let mut out: Vec<FormField> = FACTS
        .iter()
        .map(|fact| {
            let value = current.get(fact.name).unwrap_or(&Value::Null);
            let (input, options) = match fact.kind {
                FactKind::Text { max } if max <= TITLE_MAX => ("text", vec![]),
                FactKind::Text { .. } => ("textarea", vec![]),
                FactKind::Instant => ("datetime", vec![]),
                FactKind::Flag => ("checkbox", vec![]),
                FactKind::Count => ("number", vec![]),
                FactKind::Code(list) => ("select", list_options(ui, list, true, value)),
                FactKind::Codes(list) => ("checks", list_options(ui, list, false, value)),
                FactKind::Countries => ("text", vec![]),
            };
            let mut f = field(fact.name, input, fact.presence != Presence::Optional, options);
            f.value = form_value(fact.kind, value);
            f
        })
        .collect();
    out.push(field("allow_personal_data", "checkbox", false, vec![]));
    out
}

/// The options of a code list, those in `current` (a code or a list of codes) selected.
fn list_options(ui: &Ui, list: CodeListName, with_empty: bool, current: &Value) -> Vec<Choice> {
    let chosen = |code: &str| match current {
        Value::String(s) => s == code,
        Value::Array(items) => items.iter().any(|v| v.as_str() == Some(code)),
        _ => false,
    };
    let mut out = Vec::new();
    if with_empty {
        out.push(Choice { value: String::new(), label: ui.t("choice-choose").into(), selected: false });
    }
    out.extend(list.options(ui.locale).into_iter().map(|(code, label)| Choice {
        value: code.into(),
        label,
        selected: chosen(code),
    }));
    out
}

/// A fact's value as its input shows it.
fn form_value(kind: FactKind, value: &Value) -> String {
    match (kind, value) {
        (FactKind::Instant, Value::String(s)) => {
            s.parse::<DateTime<Utc>>().map(local_time::to_local_input).unwrap_or_default()
        }
        (FactKind::Flag, Value::Bool(true)) => "on".into(),
        (FactKind::Countries, Value::Array(codes)) => {
            codes.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")
        }
        (FactKind::Code(_) | FactKind::Codes(_) | FactKind::Flag, _) => String::new(),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The PATCH object of a submitted facts form: every fact present; empty clears it.
pub(super) fn edit_object(fields: &Fields) -> Result<Map<String, Value>, FieldError> {
    let mut object = Map::new();
    for fact in &FACTS {
        let name = fact.name;
        let value = match fact.kind {
            FactKind::Text { .. } | FactKind::Code(_) => fields.text(name).map_or(Value::Null, Value::String),
            FactKind::Count => {
                forms::to_object(fields, &[(name, Shape::Number)])?.remove(name).unwrap_or(Value::Null)
            }
            FactKind::Instant => match forms::to_object(fields, &[(name, Shape::LocalTime)])?.remove(name) {
                Some(v) => v,
                // A time that defaults to now stays as it was rather than become now.
                None if fact.presence == Presence::DefaultsToNow => continue,
                None => Value::Null,
            },
            FactKind::Flag => Value::Bool(fields.checked(name)),
            FactKind::Codes(_) => Value::Array(fields.all(name).into_iter().map(Value::String).collect()),
            FactKind::Countries => Value::Array(
                fields
                    .text(name)
                    .unwrap_or_default()
                    .split([',', ' ', ';'])
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            ),
        };
        object.insert(name.into(), value);
    }
    if fields.checked("allow_personal_data") {
        object.insert("allow_personal_data".into(), Value::Bool(true));
    }
    Ok(object)
}

/// A submitted form that came back, with what went wrong.
pub(super) struct FormError {
    pub(super) fields: Fields,
    pub(super) message: String,
    pub(super) field: Option<String>,
}

impl FormError {
    /// The form again, with `error` at its field (422).
    pub(super) fn invalid(fields: Fields, error: FieldError) -> (Self, StatusCode) {
        (Self { fields, message: error.message, field: Some(error.field) }, StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// What a use case's refusal means for the form that sent it: the form again with the
    /// refusal in place and its status (422 for a field, 409 for a transition the lifecycle does not
    /// allow now); anything else is the error page.
    pub(super) fn refused(
        fields: Fields,
        ui: &Ui,
        error: CommandError,
    ) -> Result<(Self, StatusCode), PageError> {
        Ok(match error {
            CommandError::Lifecycle(LifecycleError::Invalid(e)) | CommandError::Invalid(e) => {
                Self::invalid(fields, e)
            }
            CommandError::Lifecycle(e @ LifecycleError::NotAllowed { .. }) => {
                (Self { fields, message: e.to_string(), field: None }, StatusCode::CONFLICT)
            }
            CommandError::PersonalData(found) => {
                let (field, message) = personal_data_error(ui, &found);
                (Self { fields, message, field: Some(field) }, StatusCode::UNPROCESSABLE_ENTITY)
            }
            other => return Err(other.into()),
        })
    }
}

/// What went wrong in a submitted form, to show in place.
#[derive(Default)]
pub(super) struct Submitted {
    /// An event form (its kind) and its error.
    pub(super) event: Option<(String, FormError)>,
    /// The facts form's error.
    pub(super) edit: Option<FormError>,
}

pub(super) fn mark(fields: &mut [FormField], submitted: &Fields, error_field: &str, message: &str) -> bool {
    let mut placed = false;
    for f in fields.iter_mut() {
        if let Some(v) = submitted.get(f.name) {
            f.value = v.to_string();
        }
        if matches!(f.input, "checks" | "select") {
            let chosen = submitted.all(f.name);
            for o in &mut f.options {
                o.selected = chosen.contains(&o.value);
            }
        }
        if f.input == "checkbox" {
            f.value = if submitted.checked(f.name) { "on".into() } else { String::new() };
        }
        if f.name == error_field || error_field.strip_suffix("_fold") == Some(f.name) {
            f.error = Some(message.to_string());
            f.fold = error_field.ends_with("_fold");
            placed = true;
        }
    }
    placed
}
