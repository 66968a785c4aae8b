//! The AP's notification form as a table (`docs/REGULATION.md` §8, §10): its chapters and questions
//! in form order, with the AP's numbers and the typed key of every question ([`QuestionKey`]). The
//! Dutch and English labels are the texts `ap-form-chapter-<number>` and `ap-form-q-<key>` of
//! `locales/*/art33.ftl` ([`Question::label`], [`ChapterSpec::title`]).
//!
//! The table is the one place a question is defined: the `form!` invocation below writes [`FORM`],
//! the [`QuestionKey`] enum (one variant per row) and the key's text and number from the same rows.
//! A mistyped key therefore does not compile, two rows with the same key do not compile, and the
//! filling logic (`fill.rs`), an exhaustive `match` over [`QuestionKey`], must answer every row. A
//! correction to the form is a change to this table.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::domain::locale::Locale;
use crate::domain::texts;

/// One question of the AP form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// The question's key. As text ([`QuestionKey::as_str`]) it is the number, except for the two
    /// "10.1.x" questions (`10.1.x-why-not`, `10.1.x-public`) and the closing remarks (`other`).
    pub key: QuestionKey,
    /// The AP's number as shown ("4.5", "3.1.1a", "10.1.x"); empty for the closing remarks.
    pub number: &'static str,
}

impl Question {
    /// The label in `locale` (`docs/REGULATION.md` §8 and §10 say where the Dutch wording comes
    /// from): the text `ap-form-q-<key>`, the key's dots and other signs as hyphens.
    pub fn label(&self, locale: Locale) -> &'static str {
        let key = format!("ap-form-q-{}", kebab(self.key.as_str()));
        texts::lookup(locale, &key).unwrap_or(self.key.as_str())
    }
}

impl QuestionKey {
    /// "4.5 Indien later dan 72 uur gemeld: waarom?": the number and the label in `locale` (the
    /// label alone for the closing remarks), as a draft's answer names it.
    pub fn numbered_label(self, locale: Locale) -> String {
        let question = Question { key: self, number: self.number() };
        numbered(question.number, question.label(locale))
    }
}

/// A question's number and text as one label; the text alone when it has no number.
pub(super) fn numbered(number: &str, question: &str) -> String {
    if number.is_empty() { question.to_string() } else { format!("{number} {question}") }
}

/// One chapter of the AP form with its questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChapterSpec {
    /// The chapter number ("4"); empty for the closing remarks.
    pub number: &'static str,
    /// The questions, in form order.
    pub questions: &'static [Question],
}

impl ChapterSpec {
    /// The title in `locale`: the text `ap-form-chapter-<number>` (`ap-form-chapter-other` for the
    /// closing remarks).
    pub fn title(&self, locale: Locale) -> &'static str {
        let number = if self.number.is_empty() { "other" } else { self.number };
        let key = format!("ap-form-chapter-{number}");
        texts::lookup(locale, &key).unwrap_or(self.number)
    }
}

/// "10.1.x-why-not" → "10-1-x-why-not".
fn kebab(text: &str) -> String {
    let words: Vec<&str> =
        text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.join("-").to_ascii_lowercase()
}

/// Writes [`QuestionKey`] and [`FORM`] from one table. Each row is `Variant = "key", "number";`.
macro_rules! form {
    (
        $(
            chapter $chapter:literal {
                $( $variant:ident = $key:literal, $number:literal; )*
            }
        )*
    ) => {
        /// The key of a question of the AP form: one variant per row of [`FORM`], named after the
        /// AP's number (`Q4_5` is question 4.5). It serialises (serde) and displays as its text
        /// ([`QuestionKey::as_str`]), the `key` of an answer in the JSON of `GET …/ap-report`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum QuestionKey {
            $($(
                #[doc = concat!("Question ", $key, ".")]
                $variant,
            )*)*
        }

        impl QuestionKey {
            /// The stable key as text: "4.5", "10.1.x-why-not", "other".
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($( QuestionKey::$variant => $key, )*)*
                }
            }

            /// The AP's number as shown ("4.5", "10.1.x"); empty for the closing remarks.
            pub const fn number(self) -> &'static str {
                match self {
                    $($( QuestionKey::$variant => $number, )*)*
                }
            }
        }

        /// The AP form of August 2022 as art33 fills it in (`docs/REGULATION.md` §8), in form
        /// order. Question 4.4 is left out (its content is unknown; OpenVWR skips it too), and so is
        /// the Wbp-era "8.x".
        pub const FORM: &[ChapterSpec] = &[
            $(
                ChapterSpec {
                    number: $chapter,
                    questions: &[
                        $( Question { key: QuestionKey::$variant, number: $number }, )*
                    ],
                },
            )*
        ];
    };
}

form! {
    chapter "1" {
        Q1_1 = "1.1", "1.1";
        Q1_2 = "1.2", "1.2";
        Q1_3 = "1.3", "1.3";
    }
    chapter "2" {
        Q2_1_1 = "2.1.1", "2.1.1";
        Q2_2_1 = "2.2.1", "2.2.1";
    }
    chapter "3" {
        Q3_1_1a = "3.1.1a", "3.1.1a";
        Q3_1_1b = "3.1.1b", "3.1.1b";
        Q3_1_1c = "3.1.1c", "3.1.1c";
        Q3_1_1d = "3.1.1d", "3.1.1d";
        Q3_1_1e = "3.1.1e", "3.1.1e";
        Q3_1_2 = "3.1.2", "3.1.2";
        Q3_2_1 = "3.2.1", "3.2.1";
        Q3_2_2 = "3.2.2", "3.2.2";
        Q3_3 = "3.3", "3.3";
    }
    chapter "4" {
        Q4_1_1 = "4.1.1", "4.1.1";
        Q4_1_2 = "4.1.2", "4.1.2";
        Q4_2 = "4.2", "4.2";
        Q4_3 = "4.3", "4.3";
        Q4_5 = "4.5", "4.5";
    }
    chapter "5" {
        Q5_1 = "5.1", "5.1";
        Q5_2 = "5.2", "5.2";
        Q5_3 = "5.3", "5.3";
        Q5_4 = "5.4", "5.4";
    }
    chapter "6" {
        Q6_1 = "6.1", "6.1";
        Q6_2 = "6.2", "6.2";
        Q6_3_1 = "6.3.1", "6.3.1";
    }
    chapter "7" {
        Q7_1 = "7.1", "7.1";
        Q7_2 = "7.2", "7.2";
        Q7_3 = "7.3", "7.3";
    }
    chapter "8" {
        Q8_1 = "8.1", "8.1";
    }
    chapter "9" {
        Q9_1 = "9.1", "9.1";
        Q9_2 = "9.2", "9.2";
        Q9_3 = "9.3", "9.3";
    }
    chapter "10" {
        Q10_1_1 = "10.1.1", "10.1.1";
        Q10_1xWhyNot = "10.1.x-why-not", "10.1.x";
        Q10_1xPublic = "10.1.x-public", "10.1.x";
        Q10_1_3 = "10.1.3", "10.1.3";
        Q10_1_7 = "10.1.7", "10.1.7";
        Q10_2 = "10.2", "10.2";
    }
    chapter "" {
        Other = "other", "";
    }
}

impl fmt::Display for QuestionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for QuestionKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
