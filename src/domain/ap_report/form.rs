//! The AP's notification form as a table (`docs/REGULATION.md` §8, §10): its chapters and questions
//! in form order, with the AP's numbers and the Dutch and English labels, and the typed key of every
//! question ([`QuestionKey`]).
//!
//! The table is the one place a question is defined: the `form!` invocation below writes [`FORM`],
//! the [`QuestionKey`] enum (one variant per row) and the key's text and number from the same rows.
//! A mistyped key therefore does not compile, two rows with the same key do not compile, and the
//! filling logic (`fill.rs`), an exhaustive `match` over [`QuestionKey`], must answer every row. A
//! correction to the form is a change to this table.

use std::fmt;

use serde::{Serialize, Serializer};

/// One question of the AP form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// The question's key. As text ([`QuestionKey::as_str`]) it is the number, except for the two
    /// "10.1.x" questions (`10.1.x-why-not`, `10.1.x-public`) and the closing remarks (`other`).
    pub key: QuestionKey,
    /// The AP's number as shown ("4.5", "3.1.1a", "10.1.x"); empty for the closing remarks.
    pub number: &'static str,
    /// Dutch label (`docs/REGULATION.md` §8 and §10 say where the wording comes from).
    pub nl: &'static str,
    /// English label.
    pub en: &'static str,
}

/// One chapter of the AP form with its questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChapterSpec {
    /// The chapter number ("4"); empty for the closing remarks.
    pub number: &'static str,
    /// Dutch title.
    pub nl: &'static str,
    /// English title.
    pub en: &'static str,
    /// The questions, in form order.
    pub questions: &'static [Question],
}

/// Writes [`QuestionKey`] and [`FORM`] from one table. Each row is
/// `Variant = "key", "number", "Dutch label", "English label";`.
macro_rules! form {
    (
        $(
            chapter $chapter:literal, $chapter_nl:literal, $chapter_en:literal {
                $( $variant:ident = $key:literal, $number:literal, $nl:literal, $en:literal; )*
            }
        )*
    ) => {
        /// The key of a question of the AP form: one variant per row of [`FORM`], named after the
        /// AP's number (`Q4_5` is question 4.5). It serialises (serde) and displays as its text
        /// ([`QuestionKey::as_str`]), the `key` of an answer in the JSON of `GET …/ap-report`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum QuestionKey {
            $($(
                #[doc = concat!($key, ": ", $en)]
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
                    nl: $chapter_nl,
                    en: $chapter_en,
                    questions: &[
                        $( Question { key: QuestionKey::$variant, number: $number, nl: $nl, en: $en }, )*
                    ],
                },
            )*
        ];
    };
}

form! {
    chapter "1", "Introductie", "Introduction" {
        Q1_1 = "1.1", "1.1",
            "Wat voor soort melding wilt u doen?",
            "What kind of notification do you want to make?";
        Q1_2 = "1.2", "1.2",
            "Op grond van welke wettelijke bepaling doet u deze melding?",
            "Under which legal provision do you make this notification?";
        Q1_3 = "1.3", "1.3",
            "Heeft u de inbreuk gemeld bij toezichthouders op andere meldplichten?",
            "Have you notified the breach to supervisors under other notification duties?";
    }
    chapter "2", "Internationale aspecten", "International aspects" {
        Q2_1_1 = "2.1.1", "2.1.1",
            "Heeft de inbreuk gevolgen voor personen in meerdere landen?",
            "Does the breach affect people in several countries?";
        Q2_2_1 = "2.2.1", "2.2.1",
            "Heeft uw organisatie de inbreuk gemeld bij andere privacytoezichthouders?",
            "Has your organisation notified the breach to other data-protection authorities?";
    }
    chapter "3", "De verwerkingsverantwoordelijke", "The controller" {
        Q3_1_1a = "3.1.1a", "3.1.1a",
            "Naam van het bedrijf of de organisatie",
            "Name of the company or organisation";
        Q3_1_1b = "3.1.1b", "3.1.1b",
            "Verwerkingsverantwoordelijke(n)",
            "Controller(s)";
        Q3_1_1c = "3.1.1c", "3.1.1c",
            "Adres, postcode en plaats",
            "Address, postcode and town";
        Q3_1_1d = "3.1.1d", "3.1.1d",
            "Registratienummer van de FG",
            "Registration number of the DPO (at the AP)";
        Q3_1_1e = "3.1.1e", "3.1.1e",
            "KvK-nummer",
            "Chamber of Commerce (KvK) number";
        Q3_1_2 = "3.1.2", "3.1.2",
            "In welke sector is de organisatie actief?",
            "In which sector is the organisation active?";
        Q3_2_1 = "3.2.1", "3.2.1",
            "Wie meldt de inbreuk? (naam, functie, e-mailadres, telefoonnummer)",
            "Who is notifying the breach? (name, position, e-mail address, telephone number)";
        Q3_2_2 = "3.2.2", "3.2.2",
            "Contactpersoon voor de AP, indien afwijkend van de melder",
            "Contact person for the AP, if different from the notifier";
        Q3_3 = "3.3", "3.3",
            "Waren er andere organisaties betrokken bij de inbreuk?",
            "Were other organisations involved in the breach?";
    }
    chapter "4", "Tijdlijn", "Timeline" {
        Q4_1_1 = "4.1.1", "4.1.1",
            "(Mogelijke) startdatum van de inbreuk",
            "(Possible) start date of the breach";
        Q4_1_2 = "4.1.2", "4.1.2",
            "(Mogelijke) einddatum van de inbreuk",
            "(Possible) end date of the breach";
        Q4_2 = "4.2", "4.2",
            "Wanneer is het incident ontdekt?",
            "When was the incident discovered?";
        Q4_3 = "4.3", "4.3",
            "Geef (kort) aan hoe u de inbreuk heeft ontdekt",
            "Describe (briefly) how you discovered the breach";
        Q4_5 = "4.5", "4.5",
            "Indien later dan 72 uur gemeld: waarom?",
            "If notified later than 72 hours: why?";
    }
    chapter "5", "Gegevens over de inbreuk", "About the breach" {
        Q5_1 = "5.1", "5.1",
            "Aard van de inbreuk (vertrouwelijkheid, integriteit, beschikbaarheid)",
            "Nature of the breach (confidentiality, integrity, availability)";
        Q5_2 = "5.2", "5.2",
            "Aard van het incident",
            "Nature of the incident";
        Q5_3 = "5.3", "5.3",
            "Beschrijving van het incident",
            "Description of the incident";
        Q5_4 = "5.4", "5.4",
            "Ondersteunende documentatie",
            "Supporting documentation";
    }
    chapter "6", "Welke persoonsgegevens", "Which personal data" {
        Q6_1 = "6.1", "6.1",
            "Persoonsgegevens in het algemeen",
            "Personal data in general";
        Q6_2 = "6.2", "6.2",
            "Bijzondere categorieën van persoonsgegevens",
            "Special categories of personal data";
        Q6_3_1 = "6.3.1", "6.3.1",
            "Hoeveel gegevensrecords zijn getroffen?",
            "How many data records were affected?";
    }
    chapter "7", "Getroffen personen", "Data subjects" {
        Q7_1 = "7.1", "7.1",
            "Welke groep(en) betrokkenen zijn getroffen?",
            "Which group(s) of data subjects were affected?";
        Q7_2 = "7.2", "7.2",
            "Nadere omschrijving van de groep(en) betrokkenen",
            "Further description of the group(s) of data subjects";
        Q7_3 = "7.3", "7.3",
            "Aantal betrokkenen (exact, of minimum en maximum)",
            "Number of people affected (exact, or minimum and maximum)";
    }
    chapter "8", "Maatregelen vooraf", "Measures before the breach" {
        Q8_1 = "8.1", "8.1",
            "Waren de persoonsgegevens op het moment dat de inbreuk zich voordeed versleuteld, gecodeerd of op een andere manier onbegrijpelijk of ontoegankelijk voor onbevoegden?",
            "Were the personal data, when the breach occurred, encrypted, coded or otherwise unintelligible or inaccessible to unauthorised persons?";
    }
    chapter "9", "Gevolgen", "Consequences" {
        Q9_1 = "9.1", "9.1",
            "(Mogelijke) gevolgen voor de verwerkingsverantwoordelijke en de persoonsgegevens",
            "(Possible) consequences for the controller and the personal data";
        Q9_2 = "9.2", "9.2",
            "(Mogelijke) gevolgen voor de betrokkene(n)",
            "(Possible) consequences for the data subject(s)";
        Q9_3 = "9.3", "9.3",
            "Inschatting ernst",
            "Estimate of the severity";
    }
    chapter "10", "Vervolgacties", "Follow-up" {
        Q10_1_1 = "10.1.1", "10.1.1",
            "Heeft u de inbreuk gemeld aan de betrokkene(n)?",
            "Have you informed the data subject(s) of the breach?";
        Q10_1xWhyNot = "10.1.x-why-not", "10.1.x",
            "Waarom ziet u af van het melden van het datalek aan de betrokkenen? Licht uw keuze toe.",
            "Why do you refrain from informing the data subjects of the breach? Explain your choice.";
        Q10_1xPublic = "10.1.x-public", "10.1.x",
            "Als het informeren van alle betrokkenen een onevenredige inspanning zou vergen, licht dan toe hoe u door een openbare mededeling of een soortgelijke maatregel de betrokkenen gaat informeren.",
            "If informing every data subject would involve disproportionate effort, explain how you will inform them by a public communication or a similar measure.";
        Q10_1_3 = "10.1.3", "10.1.3",
            "Aan hoeveel personen heeft u de inbreuk gemeld?",
            "How many people have you informed of the breach?";
        Q10_1_7 = "10.1.7", "10.1.7",
            "Op welke wijze zijn de betrokkenen geïnformeerd?",
            "How were the data subjects informed?";
        Q10_2 = "10.2", "10.2",
            "Welke maatregelen heeft u getroffen?",
            "What measures have you taken?";
    }
    chapter "", "Overig", "Other" {
        Other = "other", "",
            "Overig",
            "Other remarks";
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
