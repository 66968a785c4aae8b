//! The closed code lists of art33 (listed in `docs/API.md` §4; the AP questions they answer in
//! `docs/REGULATION.md` §8). The JSON and the database use the codes; pages, mails and the AP draft
//! show the Dutch or English label, the text `code-list-<list>-<code>` in `locales/*/art33.ftl`
//! ([`texts`]). An unknown code is refused with the field named.

use serde::{Deserialize, Serialize};

use super::locale::Locale;
use super::texts;

/// A closed list of codes with labels.
pub trait CodeList: Sized + Copy + Eq + 'static {
    /// Every member, in display order.
    fn all() -> &'static [Self];
    /// The list's name in the keys of its labels (`incident-kind`).
    const LIST: &'static str;
    /// The wire code.
    fn code(self) -> &'static str;

    /// The label in `locale`: the text `code-list-<list>-<code>` (underscores in the code become
    /// hyphens), else the code itself (a test checks that every code has its label).
    fn label(self, locale: Locale) -> &'static str {
        let key = format!("code-list-{}-{}", Self::LIST, self.code().replace('_', "-"));
        texts::lookup(locale, &key).unwrap_or(self.code())
    }

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
        $name:ident $list:literal {
            $( $variant:ident = $code:literal; )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(
                #[doc = concat!("`", $code, "`")]
                #[serde(rename = $code)]
                $variant,
            )*
        }

        impl CodeList for $name {
            const LIST: &'static str = $list;

            fn all() -> &'static [Self] {
                &[$($name::$variant),*]
            }

            fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),*
                }
            }
        }
    };
}

code_list!(
    /// What happened to the data (AP question 5.1).
    Nature "nature" {
        Read = "read";
        Copied = "copied";
        Altered = "altered";
        Deleted = "deleted";
        Stolen = "stolen";
        Unknown = "unknown";
    }
);

code_list!(
    /// What kind of incident caused the breach (AP question 5.2).
    IncidentKind "incident-kind" {
        HackingMalware = "hacking_malware";
        Phishing = "phishing";
        LostDevice = "lost_device";
        StolenDevice = "stolen_device";
        Misdirected = "misdirected";
        PublishedByMistake = "published_by_mistake";
        Insider = "insider";
        UnauthorisedAccess = "unauthorised_access";
        ImproperDisposal = "improper_disposal";
        Other = "other";
    }
);

code_list!(
    /// Categories of personal data involved (AP question 6.1).
    DataCategory "data-category" {
        NameAddress = "name_address";
        Phone = "phone";
        Email = "email";
        Credentials = "credentials";
        Financial = "financial";
        Bsn = "bsn";
        IdDocuments = "id_documents";
        Demographic = "demographic";
        Location = "location";
        Criminal = "criminal";
        Other = "other";
    }
);

code_list!(
    /// Special categories of personal data (art. 9 GDPR, AP question 6.2).
    SpecialCategory "special-category" {
        RacialEthnic = "racial_ethnic";
        Political = "political";
        Religious = "religious";
        TradeUnion = "trade_union";
        Sexual = "sexual";
        Health = "health";
        Genetic = "genetic";
        Biometric = "biometric";
    }
);

code_list!(
    /// Groups of data subjects affected (AP question 7.1).
    SubjectGroup "subject-group" {
        Employees = "employees";
        Customers = "customers";
        Patients = "patients";
        Students = "students";
        Minors = "minors";
        Vulnerable = "vulnerable";
        Applicants = "applicants";
        Members = "members";
        Users = "users";
        Other = "other";
    }
);

code_list!(
    /// Whether the data were unintelligible when the breach happened (AP question 8.1).
    Encryption "encryption" {
        Encrypted = "encrypted";
        Hashed = "hashed";
        Pseudonymised = "pseudonymised";
        Partly = "partly";
        None = "none";
        Unknown = "unknown";
    }
);

code_list!(
    /// How data subjects were informed (AP question 10.1.7).
    Channel "channel" {
        Letter = "letter";
        Email = "email";
        Phone = "phone";
        Sms = "sms";
        InPerson = "in_person";
        PublicNotice = "public_notice";
        Other = "other";
    }
);

code_list!(
    /// Why data subjects are not informed (art. 34(3) or no high risk).
    SubjectsGround "subjects-ground" {
        NoHighRisk = "no_high_risk";
        Art34_3a = "art34_3a";
        Art34_3b = "art34_3b";
        Art34_3cPublic = "art34_3c_public";
    }
);

code_list!(
    /// The three kinds of personal-data breach; one breach can be several.
    BreachType "breach-type" {
        Confidentiality = "confidentiality";
        Integrity = "integrity";
        Availability = "availability";
    }
);

code_list!(
    /// The sector a client (controller) is active in (AP question 3.1.2). The AP's own list is not
    /// published outside its form; this is a list of Dutch sectors modelled on it
    /// (`docs/REGULATION.md` §8): check the label against the form when filing.
    Sector "sector" {
        PublicAdministration = "public_administration";
        Healthcare = "healthcare";
        Education = "education";
        FinancialServices = "financial_services";
        Ict = "ict";
        Telecom = "telecom";
        Trade = "trade";
        Industry = "industry";
        Energy = "energy";
        TransportLogistics = "transport_logistics";
        BusinessServices = "business_services";
        HospitalityRecreation = "hospitality_recreation";
        Construction = "construction";
        Agriculture = "agriculture";
        NonProfit = "non_profit";
        Other = "other";
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

/// Whether `code` is the upper-case ISO 3166-1 alpha-2 code of a state of the European Economic
/// Area (the 27 EU member states, Iceland, Liechtenstein and Norway): where a lead supervisory
/// authority can be (art. 56 GDPR).
pub fn is_eea_country(code: &str) -> bool {
    EEA.split(' ').any(|c| c == code)
}

/// The EEA states: EU 27 plus IS, LI, NO.
const EEA: &str = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO";

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
            for locale in [Locale::Nl, Locale::En] {
                let key = format!("code-list-{}-{}", T::LIST, member.code().replace('_', "-"));
                assert!(texts::lookup(locale, &key).is_some(), "{key} has no {locale:?} text");
                assert!(!member.label(locale).is_empty());
            }
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
        round_trips::<Sector>();
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
        assert!(is_eea_country("NL") && is_eea_country("NO") && is_eea_country("BE"));
        assert!(
            !is_eea_country("US") && !is_eea_country("GB") && !is_eea_country("CH") && !is_eea_country("nl")
        );
    }
}
