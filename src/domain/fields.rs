//! The incident's facts as one table ([`FACTS`]): each field's wire name, kind, limits, whether it
//! is required and which AP question it answers. Everything that handles the facts field by field
//! reads this table instead of keeping a list of its own:
//! - parsing and checking ([`super::incident::Facts::parse`], the JSON API and the pages' forms,
//!   which turn a form into the same JSON object),
//! - the personal-data policy (free-text fields, [`free_text`]),
//! - the audit trail, which keeps free text only as a digest ([`super::audit::is_free_text`]),
//! - the retention purge (its test fills every free-text field and checks each is gone),
//! - the facts form on the incident page and the OpenAPI schema of `NewIncident`.
//!
//! A field added to [`super::incident::Facts`] but not here fails the schema's completeness test.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::error::FieldError;
use super::input::{self, Object};
use super::locale::Locale;
use super::vocabulary::{
    CodeList, DataCategory, Encryption, IncidentKind, Nature, SpecialCategory, SubjectGroup, is_country_code,
};

/// Longest title.
pub const TITLE_MAX: usize = 200;
/// Longest free-text field but the title.
pub const TEXT_MAX: usize = 10_000;

/// The closed code lists a fact can take its values from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeListName {
    /// [`IncidentKind`].
    IncidentKind,
    /// [`Nature`].
    Nature,
    /// [`DataCategory`].
    DataCategory,
    /// [`SpecialCategory`].
    SpecialCategory,
    /// [`SubjectGroup`].
    SubjectGroup,
    /// [`Encryption`].
    Encryption,
}

/// Runs `$body` with `$t` bound to the code-list type that `$list` names.
macro_rules! with_list {
    ($list:expr, $t:ident => $body:expr) => {
        match $list {
            CodeListName::IncidentKind => {
                type $t = IncidentKind;
                $body
            }
            CodeListName::Nature => {
                type $t = Nature;
                $body
            }
            CodeListName::DataCategory => {
                type $t = DataCategory;
                $body
            }
            CodeListName::SpecialCategory => {
                type $t = SpecialCategory;
                $body
            }
            CodeListName::SubjectGroup => {
                type $t = SubjectGroup;
                $body
            }
            CodeListName::Encryption => {
                type $t = Encryption;
                $body
            }
        }
    };
}

impl CodeListName {
    /// Every code, in list order.
    pub fn codes(self) -> Vec<&'static str> {
        with_list!(self, T => T::all().iter().map(|c| c.code()).collect())
    }

    /// Every code with its label in `locale`, in list order.
    pub fn options(self, locale: Locale) -> Vec<(&'static str, String)> {
        with_list!(self, T => T::all().iter().map(|c| (c.code(), c.label(locale).to_string())).collect())
    }

    fn one(self, object: &Object, key: &str) -> Result<Option<&'static str>, FieldError> {
        with_list!(self, T => Ok(input::code::<T>(object, key)?.map(|c| c.code())))
    }

    fn many(self, object: &Object, key: &str) -> Result<Vec<&'static str>, FieldError> {
        with_list!(self, T => Ok(input::codes::<T>(object, key)?.into_iter().map(|c| c.code()).collect()))
    }
}

/// What a fact holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    /// Free text of at most `max` characters: scanned for personal data, kept only as a digest in
    /// the audit trail, purged by retention.
    Text {
        /// Longest value, in characters.
        max: usize,
    },
    /// An instant (RFC 3339 with an offset), never after now.
    Instant,
    /// `true` or `false`; absent means `false`.
    Flag,
    /// A whole number, 0 or more.
    Count,
    /// One code of a list.
    Code(CodeListName),
    /// Codes of a list, without repeats, in list order.
    Codes(CodeListName),
    /// ISO 3166 alpha-2 country codes, upper case, without repeats.
    Countries,
}

/// Whether a fact must be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Refused when absent or empty.
    Required,
    /// When absent: the report's instant (`discovered_at`).
    DefaultsToNow,
    /// May be absent: unknown (texts, numbers, codes), empty (lists) or false (flags).
    Optional,
}

/// One fact of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactField {
    /// The wire name (JSON, forms, audit details, page text keys `field.<name>`).
    pub name: &'static str,
    /// What it holds.
    pub kind: FactKind,
    /// Whether it must be given.
    pub presence: Presence,
    /// The question of the AP's notification form it answers, if one.
    pub ap_question: Option<&'static str>,
    /// One line for the API reference.
    pub description: &'static str,
}

const fn fact(
    name: &'static str,
    kind: FactKind,
    presence: Presence,
    ap_question: Option<&'static str>,
    description: &'static str,
) -> FactField {
    FactField { name, kind, presence, ap_question, description }
}

use CodeListName as L;
use FactKind::*;
use Presence::*;

/// The facts of an incident, in the order of the form.
pub const FACTS: [FactField; 22] = [
    fact("title", Text { max: TITLE_MAX }, Required, None, "Short title"),
    fact(
        "summary",
        Text { max: TEXT_MAX },
        Required,
        Some("5.3"),
        "What happened (no personal data of the people affected)",
    ),
    fact("discovered_at", Instant, DefaultsToNow, Some("4.2"), "When it was noticed; default now"),
    fact("discovery_method", Text { max: TEXT_MAX }, Optional, Some("4.3"), "How it was noticed"),
    fact("occurred_from", Instant, Optional, Some("4.1.1"), "(Possible) start"),
    fact("occurred_until", Instant, Optional, Some("4.1.2"), "(Possible) end; absent = unknown or ongoing"),
    fact("ongoing", Flag, Optional, Some("4.1.2"), "Still going on"),
    fact("incident_kind", Code(L::IncidentKind), Optional, Some("5.2"), "Cause"),
    fact("nature", Codes(L::Nature), Optional, Some("5.1"), "What happened to the data"),
    fact("data_categories", Codes(L::DataCategory), Optional, Some("6.1"), "Categories of personal data"),
    fact(
        "special_categories",
        Codes(L::SpecialCategory),
        Optional,
        Some("6.2"),
        "Special categories of personal data",
    ),
    fact("records_approx", Count, Optional, Some("6.3.1"), "Approximate number of records"),
    fact("subject_groups", Codes(L::SubjectGroup), Optional, Some("7.1"), "Groups of people affected"),
    fact("subjects_min", Count, Optional, Some("7.3"), "Fewest people affected (at most subjects_max)"),
    fact("subjects_max", Count, Optional, Some("7.3"), "Most people affected"),
    fact(
        "encryption",
        Code(L::Encryption),
        Optional,
        Some("8.1"),
        "Unintelligibility of the data at the time",
    ),
    fact("consequences", Text { max: TEXT_MAX }, Optional, Some("9.2"), "Likely consequences"),
    fact("measures_taken", Text { max: TEXT_MAX }, Optional, Some("10.2"), "Measures taken"),
    fact("measures_planned", Text { max: TEXT_MAX }, Optional, Some("10.2"), "Measures planned"),
    fact(
        "cross_border_states",
        Countries,
        Optional,
        Some("2.1.1"),
        "Other EU/EEA states with people affected (ISO 3166 alpha-2)",
    ),
    fact(
        "other_organisations",
        Text { max: TEXT_MAX },
        Optional,
        Some("3.3"),
        "Other organisations involved",
    ),
    fact(
        "other_supervisors",
        Text { max: TEXT_MAX },
        Optional,
        Some("1.3"),
        "Supervisors under other reporting duties told of the breach (DNB, AFM, …), or \"none\"",
    ),
];

/// The field named `name`.
pub fn fact_field(name: &str) -> Option<&'static FactField> {
    FACTS.iter().find(|f| f.name == name)
}

/// The wire names of every fact, in form order.
pub fn names() -> impl Iterator<Item = &'static str> {
    FACTS.iter().map(|f| f.name)
}

/// The free-text facts, in form order.
pub fn free_text() -> impl Iterator<Item = &'static str> {
    FACTS.iter().filter(|f| f.is_free_text()).map(|f| f.name)
}

impl FactField {
    /// Whether the field is free text.
    pub fn is_free_text(&self) -> bool {
        matches!(self.kind, Text { .. })
    }

    /// Reads and checks this field of `object` into its canonical JSON value: trimmed texts,
    /// codes in list order, upper-case country codes, times in UTC; the default when absent.
    pub fn read(&self, object: &Object, now: DateTime<Utc>) -> Result<Value, FieldError> {
        let key = self.name;
        Ok(match self.kind {
            Text { max } if self.presence == Required => {
                Value::String(input::required_text(object, key, max)?)
            }
            Text { max } => input::text(object, key, max)?.map_or(Value::Null, Value::String),
            Instant => match input::past_time(object, key, now)? {
                Some(t) => instant(t),
                None if self.presence == DefaultsToNow => instant(now),
                None => Value::Null,
            },
            Flag => Value::Bool(input::boolean(object, key)?.unwrap_or(false)),
            Count => input::count(object, key)?.map_or(Value::Null, Value::from),
            Code(list) => list.one(object, key)?.map_or(Value::Null, Value::from),
            Codes(list) => Value::from(list.many(object, key)?),
            Countries => Value::from(input::strings(object, key, country)?),
        })
    }
}

fn instant(t: DateTime<Utc>) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

fn country(given: &str) -> Result<String, String> {
    let code = given.trim().to_ascii_uppercase();
    if is_country_code(&code) {
        Ok(code)
    } else {
        Err(format!(
            "\"{}\" is not an ISO 3166 alpha-2 country code",
            given.chars().take(10).collect::<String>()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_free_text_is_text() {
        let mut seen: Vec<&str> = names().collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), FACTS.len());
        assert_eq!(
            free_text().collect::<Vec<_>>(),
            [
                "title",
                "summary",
                "discovery_method",
                "consequences",
                "measures_taken",
                "measures_planned",
                "other_organisations",
                "other_supervisors"
            ]
        );
        assert!(fact_field("summary").is_some_and(FactField::is_free_text));
        assert!(fact_field("nope").is_none());
    }

    #[test]
    fn code_lists_offer_their_codes() {
        assert_eq!(
            CodeListName::Encryption.codes(),
            Encryption::all().iter().map(|c| c.code()).collect::<Vec<_>>()
        );
        let options = CodeListName::Nature.options(Locale::En);
        assert_eq!(options.len(), Nature::all().len());
        assert_eq!(options[0].0, Nature::all()[0].code());
    }
}
