//! The personal-data policy, for every command that writes free text (a report, an edit of the
//! facts, every event): the tracker keeps categories and counts of the people concerned, never the
//! people themselves, so free text that looks like personal data is refused unless the caller says
//! it is needed (`allow_personal_data`). What looks like personal data is
//! [`crate::domain::pii`]'s call; which fields are free text is the domain's
//! ([`crate::domain::incident::Facts::text_fields`], [`crate::domain::lifecycle::Event::free_text`]).

use super::CommandError;
use crate::domain::pii;

/// Refuses `free_text` (field, text) that looks like personal data, unless `allowed`.
pub fn check<T: AsRef<str>>(
    free_text: impl IntoIterator<Item = (&'static str, T)>,
    allowed: bool,
) -> Result<(), CommandError> {
    if allowed {
        return Ok(());
    }
    let found: Vec<(String, pii::PiiKind)> = free_text
        .into_iter()
        .flat_map(|(field, text)| {
            pii::kinds(text.as_ref()).into_iter().map(move |kind| (field.to_string(), kind))
        })
        .collect();
    if found.is_empty() { Ok(()) } else { Err(CommandError::PersonalData(found)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_refused_by_field_unless_allowed() {
        let text = [("summary", "Mail to jan@example.com"), ("title", "Lost laptop")];
        match check(text, false) {
            Err(CommandError::PersonalData(found)) => {
                assert_eq!(found, vec![("summary".to_string(), pii::PiiKind::Email)]);
            }
            other => panic!("{other:?}"),
        }
        assert!(check(text, true).is_ok());
        assert!(check([("title", "Lost laptop")], false).is_ok());
    }
}
