//! Reading HTML forms: fields as sent (repeated names for checkboxes), turned into the same JSON
//! objects the API takes, so that one parser (the domain's) checks both. Local times typed in a
//! form are Amsterdam wall-clock times: the gap is refused, the fold must be chosen.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::domain::error::FieldError;
use crate::domain::local_time::{self, Fold, LocalTimeError};
use crate::web::pages::Ui;

/// The fields of a submitted form.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pairs: Vec<(String, String)>,
}

impl Fields {
    /// Wraps decoded pairs.
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self { pairs }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed, if not empty.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
    }

    /// Every value of `name` (checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    /// Whether a checkbox `name` was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v == "on" || v == "true" || v == "1" || v == "yes")
    }

    /// Every (name, value) pair.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The values as a map of the last value per name (to refill a form).
    pub fn last_values(&self) -> BTreeMap<String, String> {
        self.pairs.iter().cloned().collect()
    }
}

/// How a form field maps onto JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string.
    Text,
    /// A whole number.
    Number,
    /// A checkbox → true/false.
    Flag,
    /// `true`/`false` select (absent = unset).
    Choice,
    /// Repeated checkboxes → a list of codes.
    List,
    /// An Amsterdam date and time (with `NAME_fold` for the autumn fold) → RFC 3339 UTC.
    LocalTime,
}

/// Builds a JSON object from `fields` for the named keys. Empty inputs are left out, so that
/// defaults and "absent" apply. A local time that does not exist, needs its fold chosen or carries
/// a zone that contradicts its date ("10:00 CEST" in January) is refused naming the field.
pub fn to_object(fields: &Fields, spec: &[(&str, Shape)]) -> Result<Map<String, Value>, FieldError> {
    let mut object = Map::new();
    for (name, shape) in spec {
        let value = match shape {
            Shape::Text => fields.text(name).map(Value::String),
            Shape::Number => match fields.text(name) {
                None => None,
                Some(v) => Some(match v.replace(['.', ' ', '_'], "").parse::<i64>() {
                    Ok(n) => Value::from(n),
                    Err(_) => return Err(FieldError::new(*name, "must be a whole number")),
                }),
            },
            Shape::Flag => Some(Value::Bool(fields.checked(name))),
            Shape::Choice => match fields.text(name).as_deref() {
                Some("true") => Some(Value::Bool(true)),
                Some("false") => Some(Value::Bool(false)),
                _ => None,
            },
            Shape::List => {
                let values = fields.all(name);
                if values.is_empty() {
                    None
                } else {
                    Some(Value::Array(values.into_iter().map(Value::String).collect()))
                }
            }
            Shape::LocalTime => match fields.text(name) {
                None => None,
                Some(typed) => {
                    let fold = fields.text(&format!("{name}_fold")).as_deref().and_then(Fold::parse);
                    Some(Value::String(
                        parse_local(name, &typed, fold)?.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                    ))
                }
            },
        };
        if let Some(value) = value {
            object.insert(name.to_string(), value);
        }
    }
    Ok(object)
}

/// Parses an Amsterdam wall-clock time typed in field `name`.
pub fn parse_local(name: &str, typed: &str, fold: Option<Fold>) -> Result<DateTime<Utc>, FieldError> {
    local_time::parse_local(typed, fold).map_err(|e| match e {
        LocalTimeError::Ambiguous { .. } => {
            FieldError::new(format!("{name}_fold"), format!("{e} — kies CEST of CET / choose CEST or CET"))
        }
        LocalTimeError::WrongZone { ref actual, .. } => FieldError::new(
            name,
            format!("{e} — de zone past niet bij deze datum: Amsterdam heeft dan {actual} / the zone does not match the date"),
        ),
        other => FieldError::new(name, other.to_string()),
    })
}

/// One line of a form's error summary: a link to the input and the error in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorLink {
    /// The id of the input (or group) the link moves to.
    pub target: String,
    /// The error, naming the field by its label ([`Ui::field_error`]).
    pub text: String,
}

/// A form's refusals in the page's language: for each refused field (its wire name → the
/// parser's message) the input it belongs to and that input's label, as `place` says (`None`: the
/// field is not on this form, shown by its name). Answers the messages by input id, to show at
/// each input, and the summary above the form (the `pages/_error_summary.html` partial).
pub fn explain_errors(
    ui: &Ui,
    errors: &BTreeMap<String, String>,
    place: impl Fn(&str) -> Option<(String, &'static str)>,
) -> (BTreeMap<String, String>, Vec<ErrorLink>) {
    let mut at_inputs = BTreeMap::new();
    let mut summary = Vec::new();
    for (field, message) in errors {
        let (target, text) = match place(field) {
            Some((input, label_key)) => (input, ui.field_error(label_key, message)),
            None => (field.clone(), ui.t_with("form-error-other", &[("label", field), ("message", message)])),
        };
        at_inputs.insert(target.clone(), text.clone());
        summary.push(ErrorLink { target, text });
    }
    (at_inputs, summary)
}

/// Percent-encodes a query value.
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn forms_become_the_api_objects() {
        let f = fields(&[
            ("title", " Laptop "),
            ("summary", ""),
            ("nature", "read"),
            ("nature", "stolen"),
            ("records_approx", "48.000"),
            ("ongoing", "on"),
            ("discovered_at", "2026-10-22T14:30"),
        ]);
        let o = to_object(
            &f,
            &[
                ("title", Shape::Text),
                ("summary", Shape::Text),
                ("nature", Shape::List),
                ("records_approx", Shape::Number),
                ("ongoing", Shape::Flag),
                ("discovered_at", Shape::LocalTime),
            ],
        )
        .unwrap();
        assert_eq!(o["title"], "Laptop");
        assert!(!o.contains_key("summary"));
        assert_eq!(o["nature"], serde_json::json!(["read", "stolen"]));
        assert_eq!(o["records_approx"], 48000);
        assert_eq!(o["ongoing"], true);
        assert_eq!(o["discovered_at"], "2026-10-22T12:30:00Z");
    }

    #[test]
    fn local_times_in_the_gap_or_fold_are_named() {
        let gap = to_object(&fields(&[("t", "2027-03-28T02:30")]), &[("t", Shape::LocalTime)]).unwrap_err();
        assert_eq!(gap.field, "t");
        let fold = to_object(&fields(&[("t", "2026-10-25T02:30")]), &[("t", Shape::LocalTime)]).unwrap_err();
        assert_eq!(fold.field, "t_fold");
        let chosen =
            to_object(&fields(&[("t", "2026-10-25T02:30"), ("t_fold", "cet")]), &[("t", Shape::LocalTime)])
                .unwrap();
        assert_eq!(chosen["t"], "2026-10-25T01:30:00Z");
    }

    #[test]
    fn a_typed_zone_that_contradicts_the_date_is_refused_naming_the_field() {
        let spec = [("discovered_at", Shape::LocalTime)];
        let wrong = to_object(&fields(&[("discovered_at", "2026-01-15 10:00 CEST")]), &spec).unwrap_err();
        assert_eq!(wrong.field, "discovered_at");
        assert!(wrong.message.contains("CEST") && wrong.message.contains("CET"), "{}", wrong.message);
        let winter = to_object(&fields(&[("discovered_at", "2026-01-15 10:00 CET")]), &spec).unwrap();
        assert_eq!(winter["discovered_at"], "2026-01-15T09:00:00Z");
        let summer = to_object(&fields(&[("discovered_at", "2026-07-15 10:00 CEST")]), &spec).unwrap();
        assert_eq!(summer["discovered_at"], "2026-07-15T08:00:00Z");
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(url_encode("/incidents/1?x=a b"), "/incidents/1%3Fx%3Da%20b");
    }
}
