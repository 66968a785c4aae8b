//! Reading request fields from a JSON object with errors that name the field. The API parses
//! bodies into `serde_json::Value` and hands the object here, so that every refusal is a 422 that
//! says which field is wrong and why, never a serde message that might quote personal data.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::error::FieldError;
use super::vocabulary::CodeList;

/// A JSON object body.
pub type Object = Map<String, Value>;

/// Refuses any key of `object` not in `known`.
pub fn only_known(object: &Object, known: &[&str], what: &str) -> Result<(), FieldError> {
    match object.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => Err(FieldError::new(printable(key), format!("is not a field of {what}"))),
        None => Ok(()),
    }
}

/// A key shortened for messages (keys come from the client and may be anything).
fn printable(key: &str) -> String {
    key.chars().take(60).collect()
}

fn present<'a>(object: &'a Object, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

/// What a text may span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line: a name, a label, a slug. No control character at all.
    One,
    /// Free text: tab, line feed and carriage return are allowed; no other control character.
    Many,
}

/// The one check of every text art33 stores, whoever sends it (the API, the forms, the admin page,
/// the CLI): trimmed, empty counts as absent, at most `max` characters, no control characters (but
/// tab and line breaks in [`Lines::Many`]). PostgreSQL refuses NUL in text, so a NUL that got
/// through would be a server error on one engine and stored on the other; and none belongs in a
/// name or a report.
pub fn clean_text(field: &str, raw: &str, max: usize, lines: Lines) -> Result<Option<String>, FieldError> {
    let s = raw.trim();
    let allowed = |c: char| lines == Lines::Many && matches!(c, '\t' | '\n' | '\r');
    if s.is_empty() {
        Ok(None)
    } else if s.chars().count() > max {
        Err(FieldError::new(field, format!("must be at most {max} characters")))
    } else if s.chars().any(|c| c.is_control() && !allowed(c)) {
        Err(FieldError::new(field, "must not contain control characters"))
    } else {
        Ok(Some(s.to_string()))
    }
}

/// Free text ([`clean_text`] with [`Lines::Many`]): trimmed; empty counts as absent.
pub fn text(object: &Object, key: &str, max: usize) -> Result<Option<String>, FieldError> {
    match present(object, key) {
        None => Ok(None),
        Some(Value::String(s)) => clean_text(key, s, max, Lines::Many),
        Some(_) => Err(FieldError::new(key, "must be a string")),
    }
}

/// Required free text.
pub fn required_text(object: &Object, key: &str, max: usize) -> Result<String, FieldError> {
    text(object, key, max)?.ok_or_else(|| FieldError::new(key, "is required"))
}

/// An instant in RFC 3339 with an offset (`2026-10-22T12:30:00Z`), not after `now`.
pub fn past_time(
    object: &Object,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, FieldError> {
    let Some(t) = time(object, key)? else { return Ok(None) };
    if t > now {
        return Err(FieldError::new(key, "must not be in the future"));
    }
    Ok(Some(t))
}

/// An instant in RFC 3339 with an offset, truncated to microseconds.
pub fn time(object: &Object, key: &str) -> Result<Option<DateTime<Utc>>, FieldError> {
    match present(object, key) {
        None => Ok(None),
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s.trim())
            .map(|t| Some(truncate(t.with_timezone(&Utc))))
            .map_err(|_| {
                FieldError::new(
                    key,
                    "must be an RFC 3339 date and time with an offset, e.g. 2026-10-22T12:30:00Z",
                )
            }),
        Some(_) => Err(FieldError::new(key, "must be an RFC 3339 date and time string")),
    }
}

fn truncate(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::SubsecRound;
    t.trunc_subsecs(6)
}

/// A boolean.
pub fn boolean(object: &Object, key: &str) -> Result<Option<bool>, FieldError> {
    match present(object, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(FieldError::new(key, "must be true or false")),
    }
}

/// A whole number ≥ 0.
pub fn count(object: &Object, key: &str) -> Result<Option<u64>, FieldError> {
    match present(object, key) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if v <= i64::MAX as u64 => Ok(Some(v)),
            _ if n.as_i64().is_some_and(|v| v < 0) => Err(FieldError::new(key, "must be 0 or more")),
            _ => Err(FieldError::new(key, "must be a whole number")),
        },
        Some(_) => Err(FieldError::new(key, "must be a number")),
    }
}

/// A whole number within `min..=max`.
pub fn small_int(object: &Object, key: &str, min: u8, max: u8) -> Result<Option<u8>, FieldError> {
    match count(object, key) {
        Ok(None) => Ok(None),
        Ok(Some(v)) if v >= u64::from(min) && v <= u64::from(max) => Ok(Some(v as u8)),
        _ => Err(FieldError::new(key, format!("must be a whole number from {min} to {max}"))),
    }
}

/// One code of a closed list.
pub fn code<T: CodeList>(object: &Object, key: &str) -> Result<Option<T>, FieldError> {
    match present(object, key) {
        None => Ok(None),
        Some(Value::String(s)) => T::parse(s).map(Some).ok_or_else(|| unknown_code::<T>(key, s)),
        Some(_) => Err(FieldError::new(key, format!("must be one of {}", T::codes_text()))),
    }
}

/// A list of codes of a closed list, without repeats, in list order.
pub fn codes<T: CodeList + Ord>(object: &Object, key: &str) -> Result<Vec<T>, FieldError> {
    match present(object, key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let Value::String(s) = item else {
                    return Err(FieldError::new(
                        key,
                        format!("must be a list of codes: {}", T::codes_text()),
                    ));
                };
                out.push(T::parse(s).ok_or_else(|| unknown_code::<T>(key, s))?);
            }
            out.sort();
            out.dedup();
            Ok(out)
        }
        Some(_) => Err(FieldError::new(key, format!("must be a list of codes: {}", T::codes_text()))),
    }
}

fn unknown_code<T: CodeList>(key: &str, given: &str) -> FieldError {
    let shown: String = given.chars().take(40).collect();
    FieldError::new(key, format!("\"{shown}\" is not one of {}", T::codes_text()))
}

/// A list of strings, each checked by `check`.
pub fn strings(
    object: &Object,
    key: &str,
    check: impl Fn(&str) -> Result<String, String>,
) -> Result<Vec<String>, FieldError> {
    match present(object, key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let Value::String(s) = item else {
                    return Err(FieldError::new(key, "must be a list of strings"));
                };
                let value = check(s).map_err(|m| FieldError::new(key, m))?;
                if !out.contains(&value) {
                    out.push(value);
                }
            }
            Ok(out)
        }
        Some(_) => Err(FieldError::new(key, "must be a list of strings")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vocabulary::Nature;
    use serde_json::json;

    fn obj(v: Value) -> Object {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn texts_are_trimmed_bounded_and_typed() {
        let o = obj(json!({"a": "  hi ", "b": "", "c": 5, "d": "x".repeat(11)}));
        assert_eq!(text(&o, "a", 10).unwrap().as_deref(), Some("hi"));
        assert_eq!(text(&o, "b", 10).unwrap(), None);
        assert_eq!(required_text(&o, "b", 10).unwrap_err().field, "b");
        assert_eq!(text(&o, "c", 10).unwrap_err().message, "must be a string");
        assert!(text(&o, "d", 10).unwrap_err().message.contains("at most 10"));
        assert_eq!(text(&o, "missing", 10).unwrap(), None);
        let controls = obj(json!({"nul": "a\u{0}b", "bell": "a\u{7}", "lines": "a\r\n\tb"}));
        assert_eq!(text(&controls, "nul", 10).unwrap_err().message, "must not contain control characters");
        assert_eq!(text(&controls, "bell", 10).unwrap_err().field, "bell");
        assert_eq!(text(&controls, "lines", 10).unwrap().as_deref(), Some("a\r\n\tb"));
        assert_eq!(clean_text("name", " a\tb ", 10, Lines::One).unwrap_err().field, "name");
        assert_eq!(clean_text("name", "a\nb", 10, Lines::One).unwrap_err().field, "name");
        assert_eq!(clean_text("name", " Acme ", 10, Lines::One).unwrap().as_deref(), Some("Acme"));
        assert_eq!(clean_text("name", "  ", 10, Lines::One).unwrap(), None);
    }

    #[test]
    fn times_need_an_offset_and_may_not_lie_ahead() {
        let now: DateTime<Utc> = "2026-10-22T12:00:00Z".parse().unwrap();
        let o = obj(
            json!({"ok": "2026-10-22T13:00:00+02:00", "local": "2026-10-22 12:00", "late": "2026-10-22T12:00:01Z"}),
        );
        assert_eq!(
            past_time(&o, "ok", now).unwrap().unwrap(),
            "2026-10-22T11:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(past_time(&o, "local", now).unwrap_err().field, "local");
        assert_eq!(past_time(&o, "late", now).unwrap_err().message, "must not be in the future");
    }

    #[test]
    fn counts_and_codes() {
        let o = obj(
            json!({"n": 3, "neg": -1, "f": 1.5, "s": "3", "codes": ["read", "read", "copied"], "bad": ["teleported"]}),
        );
        assert_eq!(count(&o, "n").unwrap(), Some(3));
        assert_eq!(count(&o, "neg").unwrap_err().message, "must be 0 or more");
        assert_eq!(count(&o, "f").unwrap_err().message, "must be a whole number");
        assert_eq!(count(&o, "s").unwrap_err().message, "must be a number");
        assert_eq!(codes::<Nature>(&o, "codes").unwrap(), [Nature::Read, Nature::Copied]);
        let err = codes::<Nature>(&o, "bad").unwrap_err();
        assert_eq!(err.field, "bad");
        assert!(err.message.starts_with("\"teleported\" is not one of read, copied"));
        assert_eq!(small_int(&o, "n", 1, 4).unwrap(), Some(3));
        assert!(small_int(&o, "n", 0, 2).is_err());
    }

    #[test]
    fn unknown_keys_are_named() {
        let o = obj(json!({"title": "x", "titel": "y"}));
        assert_eq!(only_known(&o, &["title"], "NewIncident").unwrap_err().field, "titel");
    }
}
