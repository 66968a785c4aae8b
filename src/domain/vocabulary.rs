//! The closed code lists of art33 (listed in `docs/API.md` §4; the AP questions they answer in
//! `docs/REGULATION.md` §8). The JSON and the database use the codes; pages, mails and the AP draft
//! show the Dutch or English label. An unknown code is refused with the field named.

use serde::{Deserialize, Serialize};

use super::locale::Locale;

/// A closed list of codes with labels.
pub trait CodeList: Sized + Copy + Eq + 'static {
    /// Every member, in display order.
    fn all() -> &'static [Self];
    /// The wire code.
    fn code(self) -> &'static str;
    /// The label in `locale`.
    fn label(self, locale: Locale) -> &'static str;

    /// The member with this code.
    fn parse(code: &str) -> Option<Self> {
        Self::all().iter().copied().find(|member| member.code() == code)
    }

    /// The codes, comma separated, for error messages.
    fn codes_text() -> String {
        Self::all().iter().map(|m| m.code()).collect::<Vec<_>>().join(", ")
    }
}

macro_rules! code_list {
    (
        $(#[$doc:meta])*
        $name:ident {
            $( $variant:ident = $code:literal, $nl:literal, $en:literal; )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(
                #[doc = $en]
                #[serde(rename = $code)]
                $variant,
            )*
        }

        impl CodeList for $name {
            fn all() -> &'static [Self] {
                &[$($name::$variant),*]
            }

            fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),*
                }
            }

            fn label(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $(
                        ($name::$variant, Locale::Nl) => $nl,
                        ($name::$variant, Locale::En) => $en,
                    )*
                }
            }
        }
    };
}

code_list!(
    /// What happened to the data (AP question 5.1).
    Nature {
        Read = "read", "Lezen (vertrouwelijkheid)", "Read (confidentiality)";
        Copied = "copied", "Kopiëren", "Copied";
        Altered = "altered", "Veranderen (integriteit)", "Altered (integrity)";
        Deleted = "deleted", "Verwijderen of vernietigen (beschikbaarheid)", "Deleted or destroyed (availability)";
        Stolen = "stolen", "Diefstal", "Stolen";
        Unknown = "unknown", "Nog niet bekend", "Not yet known";
    }
);

code_list!(
    /// What kind of incident caused the breach (AP question 5.2).
    IncidentKind {
        HackingMalware = "hacking_malware", "Hacking, malware of ransomware", "Hacking, malware or ransomware";
        Phishing = "phishing", "Phishing", "Phishing";
        LostDevice = "lost_device", "Verloren apparaat of papieren", "Lost device or papers";
        StolenDevice = "stolen_device", "Gestolen apparaat of papieren", "Stolen device or papers";
        Misdirected = "misdirected", "Verstuurd naar de verkeerde ontvanger", "Sent to the wrong recipient";
        PublishedByMistake = "published_by_mistake", "Per ongeluk gepubliceerd", "Published by mistake";
        Insider = "insider", "Handelen van een medewerker (insider)", "Act of an insider";
        UnauthorisedAccess = "unauthorised_access", "Onbevoegde toegang", "Unauthorised access";
        ImproperDisposal = "improper_disposal", "Onjuist afgevoerd of vernietigd", "Improper disposal";
        Other = "other", "Overig", "Other";
    }
);

code_list!(
    /// Categories of personal data involved (AP question 6.1).
    DataCategory {
        NameAddress = "name_address", "Naam-, adres- en woonplaatsgegevens", "Name, address and place of residence";
        Phone = "phone", "Telefoonnummers", "Telephone numbers";
        Email = "email", "E-mailadressen of andere adressen voor elektronische communicatie", "E-mail or other electronic addresses";
        Credentials = "credentials", "Toegangs- of identificatiegegevens", "Access or identification data";
        Financial = "financial", "Financiële gegevens", "Financial data";
        Bsn = "bsn", "Burgerservicenummer (BSN)", "Citizen service number (BSN)";
        IdDocuments = "id_documents", "Kopieën van legitimatiebewijzen", "Copies of identity documents";
        Demographic = "demographic", "Geslacht, geboortedatum en/of leeftijd", "Gender, date of birth and/or age";
        Location = "location", "Locatiegegevens", "Location data";
        Criminal = "criminal", "Strafrechtelijke gegevens", "Criminal offence data";
        Other = "other", "Overige gegevens", "Other data";
    }
);

code_list!(
    /// Special categories of personal data (art. 9 GDPR, AP question 6.2).
    SpecialCategory {
        RacialEthnic = "racial_ethnic", "Persoonsgegevens waaruit iemands ras of etnische afkomst blijkt", "Racial or ethnic origin";
        Political = "political", "Persoonsgegevens waaruit politieke opvattingen blijken", "Political opinions";
        Religious = "religious", "Persoonsgegevens waaruit religieuze of levensbeschouwelijke overtuigingen blijken", "Religious or philosophical beliefs";
        TradeUnion = "trade_union", "Persoonsgegevens waaruit het lidmaatschap van een vakbond blijkt", "Trade union membership";
        Sexual = "sexual", "Gegevens met betrekking tot iemands seksueel gedrag of seksuele gerichtheid", "Sex life or sexual orientation";
        Health = "health", "Gegevens over iemands gezondheid", "Health";
        Genetic = "genetic", "Genetische gegevens", "Genetic data";
        Biometric = "biometric", "Biometrische gegevens (bijvoorbeeld: vingerafdruk of irisscan)", "Biometric data (e.g. fingerprint or iris scan)";
    }
);

code_list!(
    /// Groups of data subjects affected (AP question 7.1).
    SubjectGroup {
        Employees = "employees", "Werknemers", "Employees";
        Customers = "customers", "Klanten", "Customers";
        Patients = "patients", "Patiënten/cliënten", "Patients/clients";
        Students = "students", "Leerlingen/studenten", "Pupils/students";
        Minors = "minors", "Minderjarigen", "Minors";
        Vulnerable = "vulnerable", "Kwetsbare groepen", "Vulnerable groups";
        Applicants = "applicants", "Sollicitanten", "Job applicants";
        Members = "members", "Leden", "Members";
        Users = "users", "Gebruikers", "Users";
        Other = "other", "Anders", "Other";
    }
);

code_list!(
    /// Whether the data were unintelligible when the breach happened (AP question 8.1).
    Encryption {
        Encrypted = "encrypted", "Versleuteld", "Encrypted";
        Hashed = "hashed", "Gehasht", "Hashed";
        Pseudonymised = "pseudonymised", "Gepseudonimiseerd", "Pseudonymised";
        Partly = "partly", "Gedeeltelijk", "Partly";
        None = "none", "Niet versleuteld", "Not encrypted";
        Unknown = "unknown", "Onbekend", "Unknown";
    }
);

code_list!(
    /// How data subjects were informed (AP question 10.1.7).
    Channel {
        Letter = "letter", "Per brief", "By letter";
        Email = "email", "Per e-mail", "By e-mail";
        Phone = "phone", "Telefonisch", "By telephone";
        Sms = "sms", "Per sms", "By text message";
        InPerson = "in_person", "Persoonlijk", "In person";
        PublicNotice = "public_notice", "Openbare mededeling", "Public notice";
        Other = "other", "Anders", "Other";
    }
);

code_list!(
    /// Why data subjects are not informed (art. 34(3) or no high risk).
    SubjectsGround {
        NoHighRisk = "no_high_risk", "Geen hoog risico", "No high risk";
        Art34_3a = "art34_3a", "Gegevens onbegrijpelijk voor onbevoegden (art. 34 lid 3 sub a)", "Data unintelligible to unauthorised persons (art. 34(3)(a))";
        Art34_3b = "art34_3b", "Hoog risico weggenomen door latere maatregelen (art. 34 lid 3 sub b)", "High risk removed by later measures (art. 34(3)(b))";
        Art34_3cPublic = "art34_3c_public", "Onevenredige inspanning; openbare mededeling (art. 34 lid 3 sub c)", "Disproportionate effort; public communication instead (art. 34(3)(c))";
    }
);

code_list!(
    /// The three kinds of personal-data breach; one breach can be several.
    BreachType {
        Confidentiality = "confidentiality", "Vertrouwelijkheid", "Confidentiality";
        Integrity = "integrity", "Integriteit", "Integrity";
        Availability = "availability", "Beschikbaarheid", "Availability";
    }
);

impl Nature {
    /// The breach types this nature amounts to: `read`, `copied`, `stolen` → confidentiality;
    /// `altered` → integrity; `deleted`, `stolen` → availability.
    pub fn breach_types(self) -> &'static [BreachType] {
        match self {
            Nature::Read | Nature::Copied => &[BreachType::Confidentiality],
            Nature::Stolen => &[BreachType::Confidentiality, BreachType::Availability],
            Nature::Altered => &[BreachType::Integrity],
            Nature::Deleted => &[BreachType::Availability],
            Nature::Unknown => &[],
        }
    }
}

/// The breach types of a set of natures, without repeats, in C-I-A order.
pub fn breach_types(natures: &[Nature]) -> Vec<BreachType> {
    let mut types: Vec<BreachType> = natures.iter().flat_map(|n| n.breach_types().iter().copied()).collect();
    types.sort();
    types.dedup();
    types
}

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 code, in upper case.
pub fn is_country_code(code: &str) -> bool {
    code.len() == 2
        && code.chars().all(|c| c.is_ascii_uppercase())
        && ISO_ALPHA2.split(' ').any(|c| c == code)
}

/// ISO 3166-1 alpha-2 codes (officially assigned).
const ISO_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM \
FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV \
MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD \
SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC \
VE VG VI VN VU WF WS YE YT ZA ZM ZW";

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: CodeList + std::fmt::Debug + Serialize>() {
        for member in T::all() {
            assert_eq!(T::parse(member.code()), Some(*member));
            assert_eq!(serde_json::to_value(member).unwrap(), serde_json::json!(member.code()));
            assert!(!member.label(Locale::Nl).is_empty());
            assert!(!member.label(Locale::En).is_empty());
        }
        assert_eq!(T::parse("no-such-code"), None);
    }

    #[test]
    fn every_list_round_trips_its_codes() {
        round_trips::<Nature>();
        round_trips::<IncidentKind>();
        round_trips::<DataCategory>();
        round_trips::<SpecialCategory>();
        round_trips::<SubjectGroup>();
        round_trips::<Encryption>();
        round_trips::<Channel>();
        round_trips::<SubjectsGround>();
        round_trips::<BreachType>();
    }

    #[test]
    fn the_lists_are_those_of_the_ap_form() {
        assert_eq!(Nature::codes_text(), "read, copied, altered, deleted, stolen, unknown");
        assert_eq!(DataCategory::all().len(), 11);
        assert_eq!(SpecialCategory::all().len(), 8);
        assert_eq!(SubjectGroup::Employees.label(Locale::Nl), "Werknemers");
        assert_eq!(Nature::Deleted.label(Locale::Nl), "Verwijderen of vernietigen (beschikbaarheid)");
        assert_eq!(SubjectsGround::Art34_3cPublic.code(), "art34_3c_public");
    }

    #[test]
    fn natures_map_to_breach_types() {
        assert_eq!(
            breach_types(&[Nature::Stolen, Nature::Read, Nature::Altered]),
            [BreachType::Confidentiality, BreachType::Integrity, BreachType::Availability]
        );
        assert_eq!(breach_types(&[Nature::Deleted]), [BreachType::Availability]);
        assert!(breach_types(&[Nature::Unknown]).is_empty());
    }

    #[test]
    fn country_codes() {
        assert!(is_country_code("NL"));
        assert!(is_country_code("DE"));
        assert!(!is_country_code("nl"));
        assert!(!is_country_code("XX"));
        assert!(!is_country_code("NLD"));
    }
}
