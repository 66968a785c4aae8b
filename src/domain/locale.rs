//! The languages art33 speaks, for pages, mails and drafts.

use serde::{Deserialize, Serialize};

/// A language art33 speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Dutch, the default.
    #[default]
    Nl,
    /// English.
    En,
}

impl Locale {
    /// Every language art33 speaks, Dutch first.
    pub const ALL: [Locale; 2] = [Locale::Nl, Locale::En];

    /// A decimal number written with a point ("3.25", as exports and programs read it) for a
    /// reader of this language: the decimal comma in Dutch ("3,25"). The one place of that rule.
    pub fn decimal(self, text: &str) -> String {
        match self {
            Locale::Nl => text.replace('.', ","),
            Locale::En => text.to_string(),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Nl => "nl",
            Locale::En => "en",
        }
    }

    /// Parses `nl` or `en`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "nl" => Some(Locale::Nl),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Locale;

    #[test]
    fn dutch_readers_get_the_decimal_comma() {
        assert_eq!(Locale::Nl.decimal("3.25"), "3,25");
        assert_eq!(Locale::En.decimal("3.25"), "3.25");
        assert_eq!(Locale::Nl.decimal("49"), "49");
    }
}
