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
