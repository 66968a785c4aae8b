//! The ENISA severity method for personal-data breaches, computed exactly in quarter units.
//!
//! `SE = DPC × EI + CB`, where DPC (data processing context) is 1–4, EI (ease of identification) is
//! 0.25–1.00 and CB (circumstances of the breach) adds 0–0.50 for each of confidentiality, integrity
//! and availability plus 0.50 for malicious intent. Every term is a multiple of 0.25, so the score is
//! kept as a whole number of quarters (`1..=24`, SE = quarters / 4) and no floating point is needed.
//!
//! The score gives a [`Band`], the band gives the proposed decisions (notify the AP under art. 33,
//! inform the data subjects under art. 34), and two override rules then adjust the proposals; each
//! override that applied is recorded in [`Severity::overrides`]. The result is a *proposal*: the
//! officer decides.

use serde::{Deserialize, Serialize};

use super::error::FieldError;
use super::locale::Locale;
use super::texts;

/// Ease of identification (EI): how easily the affected people can be identified from the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ease {
    /// EI = 0.25.
    Negligible,
    /// EI = 0.50.
    Limited,
    /// EI = 0.75.
    Significant,
    /// EI = 1.00.
    Maximum,
}

impl Ease {
    /// Every level, from lowest to highest.
    pub const ALL: [Ease; 4] = [Ease::Negligible, Ease::Limited, Ease::Significant, Ease::Maximum];

    /// The wire code: `negligible`, `limited`, `significant` or `maximum` (as serde writes it).
    pub fn code(self) -> &'static str {
        match self {
            Ease::Negligible => "negligible",
            Ease::Limited => "limited",
            Ease::Significant => "significant",
            Ease::Maximum => "maximum",
        }
    }

    /// The level with this exact wire code, if any (the inverse of [`Ease::code`]).
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// EI in quarter units: 1 (0.25) to 4 (1.00).
    pub fn quarters(self) -> u8 {
        match self {
            Ease::Negligible => 1,
            Ease::Limited => 2,
            Ease::Significant => 3,
            Ease::Maximum => 4,
        }
    }
}

/// Inputs of the `assess` event (JSON names exactly as the fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityInput {
    /// Data processing context, 1–4.
    pub dpc: u8,
    /// Ease of identification.
    pub ease_of_identification: Ease,
    /// Loss of confidentiality in quarter units: 0, 1 (+0.25) or 2 (+0.50).
    pub confidentiality: u8,
    /// Loss of integrity in quarter units: 0, 1 (+0.25) or 2 (+0.50).
    pub integrity: u8,
    /// Loss of availability in quarter units: 0, 1 (+0.25) or 2 (+0.50).
    pub availability: u8,
    /// Malicious intent (+0.50); `false` for an accidental breach.
    pub malicious: bool,
    /// The data were unintelligible to whoever got them (e.g. state-of-the-art encryption with the
    /// key uncompromised).
    pub unintelligible: bool,
    /// The affected people include vulnerable subjects (children, patients, …).
    pub vulnerable_subjects: bool,
}

impl SeverityInput {
    /// Checks ranges; the error names the field (`dpc` must be 1–4; `confidentiality`, `integrity`
    /// and `availability` must be 0, 1 or 2) and the bad value. Fields are checked in that order and
    /// the first bad one is reported.
    pub fn validate(&self) -> Result<(), FieldError> {
        if !(1..=4).contains(&self.dpc) {
            return Err(FieldError::new("dpc", format!("must be 1–4, got {}", self.dpc)));
        }
        for (field, value) in [
            ("confidentiality", self.confidentiality),
            ("integrity", self.integrity),
            ("availability", self.availability),
        ] {
            if value > 2 {
                return Err(FieldError::new(field, format!("must be 0, 1 or 2, got {value}")));
            }
        }
        Ok(())
    }

    /// `DPC × EI + CB` in quarter units, `1..=24`. Out-of-range fields are clamped (DPC to 1–4, the
    /// C/I/A terms to at most 2), so this never panics even on unvalidated input.
    pub fn score_quarters(&self) -> u8 {
        let dpc = self.dpc.clamp(1, 4);
        let malicious = if self.malicious { 2 } else { 0 };
        dpc * self.ease_of_identification.quarters()
            + self.confidentiality.min(2)
            + self.integrity.min(2)
            + self.availability.min(2)
            + malicious
    }
}

/// The severity band of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// SE < 2.
    Low,
    /// 2 ≤ SE < 3.
    Medium,
    /// 3 ≤ SE < 4.
    High,
    /// SE ≥ 4.
    VeryHigh,
}

impl Band {
    /// Every band, from lowest to highest.
    pub const ALL: [Band; 4] = [Band::Low, Band::Medium, Band::High, Band::VeryHigh];

    /// The band of a score in quarter units; each band includes its lower bound (8 = SE 2.0 is
    /// Medium, 12 = 3.0 High, 16 = 4.0 Very high).
    pub fn from_quarters(q: u8) -> Band {
        match q {
            0..8 => Band::Low,
            8..12 => Band::Medium,
            12..16 => Band::High,
            _ => Band::VeryHigh,
        }
    }

    /// The wire code: `low`, `medium`, `high` or `very_high` (as serde writes it).
    pub fn code(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Medium => "medium",
            Band::High => "high",
            Band::VeryHigh => "very_high",
        }
    }

    /// The band's name in `locale` ("zeer hoog", "very high"): the text `severity-band-…`.
    pub fn label(self, locale: Locale) -> &'static str {
        let key = match self {
            Band::Low => "severity-band-low",
            Band::Medium => "severity-band-medium",
            Band::High => "severity-band-high",
            Band::VeryHigh => "severity-band-very-high",
        };
        texts::text(locale, key)
    }

    /// The level for question 9.3 of the AP notification form in `locale` ("zeer groot",
    /// "very high"): the text `severity-ap-level-…`.
    pub fn ap_level(self, locale: Locale) -> &'static str {
        let key = match self {
            Band::Low => "severity-ap-level-low",
            Band::Medium => "severity-ap-level-medium",
            Band::High => "severity-ap-level-high",
            Band::VeryHigh => "severity-ap-level-very-high",
        };
        texts::text(locale, key)
    }

    /// Whether this band, before overrides, proposes notifying the AP (art. 33): Medium and up.
    pub fn proposes_ap(self) -> bool {
        self >= Band::Medium
    }

    /// Whether this band, before overrides, proposes informing the data subjects (art. 34): High and
    /// up.
    pub fn proposes_subjects(self) -> bool {
        self >= Band::High
    }
}

/// An override rule that changed (or, for [`Override::UnintelligibleData`], applied to) the proposals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Override {
    /// The data were unintelligible: no subjects to inform (art. 34(3)(a)) and, when availability was
    /// not affected either, no AP notification.
    UnintelligibleData,
    /// Vulnerable subjects and a loss of confidentiality: the band was raised to at least Medium and
    /// notifying the AP proposed.
    VulnerableSubjectsFloor,
}

impl Override {
    /// The wire code: `unintelligible_data` or `vulnerable_subjects_floor` (as serde writes it).
    pub fn code(self) -> &'static str {
        match self {
            Override::UnintelligibleData => "unintelligible_data",
            Override::VulnerableSubjectsFloor => "vulnerable_subjects_floor",
        }
    }
}

/// The outcome. Serialises (serde) as {"score_quarters", "band", "proposed_ap", "proposed_subjects",
/// "overrides"}.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Severity {
    /// SE in quarter units, `1..=24` (SE = score_quarters / 4); not changed by overrides.
    pub score_quarters: u8,
    /// The band, after the vulnerable-subjects floor.
    pub band: Band,
    /// Proposal: notify the AP (art. 33).
    pub proposed_ap: bool,
    /// Proposal: inform the data subjects (art. 34).
    pub proposed_subjects: bool,
    /// The overrides that applied, in the order applied.
    pub overrides: Vec<Override>,
}

impl Severity {
    /// SE as text with two decimals, e.g. "2.75" (exact from quarters, no floats needed).
    pub fn score_text(&self) -> String {
        quarters_text(self.score_quarters)
    }

    /// SE for a reader of `locale`: "2,75" in Dutch, "2.75" in English.
    pub fn score_text_in(&self, locale: Locale) -> String {
        quarters_text_in(self.score_quarters, locale)
    }
}

/// A quarter count for a reader of `locale`: the decimal comma in Dutch ("2,75"), the point in
/// English. The register's export keeps the point ([`quarters_text`]): it is read by programs.
pub fn quarters_text_in(q: u8, locale: Locale) -> String {
    locale.decimal(&quarters_text(q))
}

/// A quarter count as a decimal with two places: 11 → "2.75".
pub fn quarters_text(q: u8) -> String {
    format!("{}.{:02}", q / 4, (q % 4) * 25)
}

/// Computes the severity; `input` must have passed [`SeverityInput::validate`] (out-of-range values
/// are clamped, never a panic).
///
/// Overrides, in this order:
/// 1. Unintelligible data: with availability 0 neither the AP nor the subjects are proposed; with
///    availability > 0 the AP proposal stands (encryption does not help art. 33) but the subjects are
///    not proposed (art. 34(3)(a)). Recorded whenever `unintelligible` is set.
/// 2. Vulnerable-subjects floor: with vulnerable subjects and confidentiality > 0 the band is raised
///    to at least Medium and notifying the AP is proposed, even after rule 1 (when in doubt, notify);
///    the subjects proposal is left alone. Recorded only when it changed the band or the AP proposal.
pub fn assess(input: &SeverityInput) -> Severity {
    let score_quarters = input.score_quarters();
    let mut band = Band::from_quarters(score_quarters);
    let mut proposed_ap = band.proposes_ap();
    let mut proposed_subjects = band.proposes_subjects();
    let mut overrides = Vec::new();

    if input.unintelligible {
        if input.availability == 0 {
            proposed_ap = false;
        }
        proposed_subjects = false;
        overrides.push(Override::UnintelligibleData);
    }

    if input.vulnerable_subjects && input.confidentiality > 0 {
        let raised = band.max(Band::Medium);
        if raised != band || !proposed_ap {
            band = raised;
            proposed_ap = true;
            overrides.push(Override::VulnerableSubjectsFloor);
        }
    }

    Severity { score_quarters, band, proposed_ap, proposed_subjects, overrides }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A valid input with no flags set.
    fn input(dpc: u8, ease: Ease, c: u8, i: u8, a: u8, malicious: bool) -> SeverityInput {
        SeverityInput {
            dpc,
            ease_of_identification: ease,
            confidentiality: c,
            integrity: i,
            availability: a,
            malicious,
            unintelligible: false,
            vulnerable_subjects: false,
        }
    }

    fn unintelligible(mut s: SeverityInput) -> SeverityInput {
        s.unintelligible = true;
        s
    }

    fn vulnerable(mut s: SeverityInput) -> SeverityInput {
        s.vulnerable_subjects = true;
        s
    }

    #[track_caller]
    fn check(s: &SeverityInput, q: u8, text: &str, band: Band, ap: bool, subjects: bool) {
        assert_eq!(s.validate(), Ok(()));
        let sev = assess(s);
        assert_eq!(sev.score_quarters, q, "score of {s:?}");
        assert_eq!(sev.score_text(), text);
        assert_eq!(sev.band, band, "band of {s:?}");
        assert_eq!(sev.proposed_ap, ap, "proposed_ap of {s:?}");
        assert_eq!(sev.proposed_subjects, subjects, "proposed_subjects of {s:?}");
    }

    // ---- scenarios ----

    #[test]
    fn s01_unintelligible_malicious_low() {
        let s = unintelligible(input(1, Ease::Maximum, 0, 0, 0, true));
        check(&s, 6, "1.50", Band::Low, false, false);
        assert_eq!(assess(&s).overrides, vec![Override::UnintelligibleData]);
    }

    #[test]
    fn s02_availability_malicious_medium() {
        let s = input(2, Ease::Maximum, 0, 0, 1, true);
        check(&s, 11, "2.75", Band::Medium, true, false);
        assert!(assess(&s).overrides.is_empty());
    }

    #[test]
    fn s04_minors_very_high() {
        check(&input(4, Ease::Maximum, 2, 0, 1, true), 21, "5.25", Band::VeryHigh, true, true);
    }

    #[test]
    fn s06_unintelligible_negligible_low() {
        let s = unintelligible(input(1, Ease::Negligible, 2, 0, 0, true));
        check(&s, 5, "1.25", Band::Low, false, false);
    }

    #[test]
    fn s06b_not_unintelligible_medium_boundary() {
        check(&input(1, Ease::Maximum, 2, 0, 0, true), 8, "2.00", Band::Medium, true, false);
    }

    #[test]
    fn s07_very_high_boundary() {
        check(&input(3, Ease::Maximum, 2, 0, 0, true), 16, "4.00", Band::VeryHigh, true, true);
    }

    #[test]
    fn s09_accidental_low() {
        check(&input(1, Ease::Maximum, 1, 0, 0, false), 5, "1.25", Band::Low, false, false);
    }

    #[test]
    fn s13_accidental_medium() {
        check(&input(2, Ease::Maximum, 2, 0, 0, false), 10, "2.50", Band::Medium, true, false);
    }

    #[test]
    fn s15_malicious_medium() {
        check(&input(1, Ease::Maximum, 2, 0, 0, true), 8, "2.00", Band::Medium, true, false);
    }

    // ---- band boundaries ----

    #[test]
    fn band_boundaries_in_quarters() {
        assert_eq!(Band::from_quarters(1), Band::Low);
        assert_eq!(Band::from_quarters(7), Band::Low);
        assert_eq!(Band::from_quarters(8), Band::Medium);
        assert_eq!(Band::from_quarters(11), Band::Medium);
        assert_eq!(Band::from_quarters(12), Band::High);
        assert_eq!(Band::from_quarters(15), Band::High);
        assert_eq!(Band::from_quarters(16), Band::VeryHigh);
        assert_eq!(Band::from_quarters(24), Band::VeryHigh);
    }

    #[test]
    fn band_boundaries_through_assess() {
        // dpc 1 × maximum = 4 quarters, plus c/i/a/malicious to reach each side of each boundary.
        check(&input(1, Ease::Maximum, 1, 0, 0, true), 7, "1.75", Band::Low, false, false);
        check(&input(1, Ease::Maximum, 0, 0, 2, true), 8, "2.00", Band::Medium, true, false);
        check(&input(3, Ease::Maximum, 2, 1, 0, false), 15, "3.75", Band::High, true, true);
        check(&input(2, Ease::Maximum, 1, 1, 1, false), 11, "2.75", Band::Medium, true, false);
        check(&input(2, Ease::Maximum, 2, 2, 0, false), 12, "3.00", Band::High, true, true);
        check(&input(4, Ease::Negligible, 2, 2, 2, true), 12, "3.00", Band::High, true, true);
        check(&input(4, Ease::Maximum, 0, 0, 0, false), 16, "4.00", Band::VeryHigh, true, true);
        check(&input(4, Ease::Maximum, 2, 2, 2, true), 24, "6.00", Band::VeryHigh, true, true);
        check(&input(1, Ease::Negligible, 0, 0, 0, false), 1, "0.25", Band::Low, false, false);
    }

    #[test]
    fn band_labels_and_proposals() {
        let table = [
            (Band::Low, "low", "verwaarloosbaar", "negligible", false, false),
            (Band::Medium, "medium", "beperkt", "limited", true, false),
            (Band::High, "high", "aanzienlijk", "significant", true, true),
            (Band::VeryHigh, "very_high", "zeer groot", "very high", true, true),
        ];
        for (band, code, nl, en, ap, subjects) in table {
            assert_eq!(band.code(), code);
            assert_eq!(band.ap_level(Locale::Nl), nl);
            assert_eq!(band.ap_level(Locale::En), en);
            assert_eq!(band.proposes_ap(), ap, "{band:?}");
            assert_eq!(band.proposes_subjects(), subjects, "{band:?}");
            assert_eq!(serde_json::to_string(&band).unwrap(), format!("\"{code}\""));
        }
    }

    #[test]
    fn ease_codes_and_quarters() {
        for (n, ease) in Ease::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(ease.quarters()), n + 1);
            assert_eq!(Ease::parse(ease.code()), Some(ease));
            assert_eq!(serde_json::to_string(&ease).unwrap(), format!("\"{}\"", ease.code()));
        }
        assert_eq!(Ease::parse("Maximum"), None);
        assert_eq!(Ease::parse(""), None);
        assert_eq!(Ease::parse("high"), None);
    }

    // ---- overrides ----

    #[test]
    fn unintelligible_without_availability_loss_proposes_nothing_even_when_very_high() {
        let s = unintelligible(input(4, Ease::Maximum, 2, 2, 0, true));
        let sev = assess(&s);
        assert_eq!(sev.score_quarters, 22);
        assert_eq!(sev.band, Band::VeryHigh, "the band is not changed by the override");
        assert!(!sev.proposed_ap);
        assert!(!sev.proposed_subjects);
        assert_eq!(sev.overrides, vec![Override::UnintelligibleData]);
    }

    #[test]
    fn unintelligible_with_availability_loss_keeps_ap_but_drops_subjects() {
        let s = unintelligible(input(4, Ease::Maximum, 2, 0, 1, true));
        let sev = assess(&s);
        assert_eq!(sev.band, Band::VeryHigh);
        assert!(sev.proposed_ap);
        assert!(!sev.proposed_subjects);
        assert_eq!(sev.overrides, vec![Override::UnintelligibleData]);

        // On a Low band the AP stays unproposed: the override never adds a proposal.
        let low = assess(&unintelligible(input(1, Ease::Limited, 0, 0, 2, false)));
        assert_eq!(low.band, Band::Low);
        assert!(!low.proposed_ap);
        assert!(!low.proposed_subjects);
        assert_eq!(low.overrides, vec![Override::UnintelligibleData]);
    }

    #[test]
    fn unintelligible_is_recorded_even_when_it_changes_nothing() {
        let sev = assess(&unintelligible(input(1, Ease::Negligible, 0, 0, 0, false)));
        assert!(!sev.proposed_ap && !sev.proposed_subjects);
        assert_eq!(sev.overrides, vec![Override::UnintelligibleData]);
    }

    #[test]
    fn vulnerable_floor_raises_low_to_medium_when_confidentiality_lost() {
        let s = vulnerable(input(1, Ease::Maximum, 1, 0, 0, false));
        let sev = assess(&s);
        assert_eq!(sev.score_quarters, 5, "the score itself is not changed");
        assert_eq!(sev.band, Band::Medium);
        assert!(sev.proposed_ap);
        assert!(!sev.proposed_subjects, "a raise to Medium does not propose the subjects");
        assert_eq!(sev.overrides, vec![Override::VulnerableSubjectsFloor]);
    }

    #[test]
    fn vulnerable_floor_needs_confidentiality_loss() {
        let sev = assess(&vulnerable(input(1, Ease::Maximum, 0, 2, 1, false)));
        assert_eq!(sev.band, Band::Low);
        assert!(!sev.proposed_ap);
        assert!(sev.overrides.is_empty());
    }

    #[test]
    fn vulnerable_floor_not_recorded_when_it_changes_nothing() {
        for (s, band) in [
            (vulnerable(input(2, Ease::Maximum, 2, 0, 0, false)), Band::Medium),
            (vulnerable(input(3, Ease::Maximum, 2, 0, 0, false)), Band::High),
            (vulnerable(input(4, Ease::Maximum, 2, 0, 0, true)), Band::VeryHigh),
        ] {
            let sev = assess(&s);
            assert_eq!(sev.band, band);
            assert!(sev.proposed_ap);
            assert_eq!(sev.proposed_subjects, band >= Band::High);
            assert!(sev.overrides.is_empty(), "{s:?}");
        }
    }

    #[test]
    fn both_rules_low_band_floor_wins_for_the_ap() {
        // Rule 1 clears both proposals, rule 2 then raises Low → Medium and proposes the AP.
        let s = vulnerable(unintelligible(input(1, Ease::Maximum, 2, 0, 0, false)));
        let sev = assess(&s);
        assert_eq!(sev.score_quarters, 6);
        assert_eq!(sev.band, Band::Medium);
        assert!(sev.proposed_ap);
        assert!(!sev.proposed_subjects);
        assert_eq!(sev.overrides, vec![Override::UnintelligibleData, Override::VulnerableSubjectsFloor]);
    }

    #[test]
    fn both_rules_high_band_floor_restores_the_ap_but_not_the_subjects() {
        // The band is already High, but rule 1 dropped the AP proposal; the floor restores it.
        let s = vulnerable(unintelligible(input(3, Ease::Maximum, 2, 0, 0, false)));
        let sev = assess(&s);
        assert_eq!(sev.band, Band::High);
        assert!(sev.proposed_ap);
        assert!(!sev.proposed_subjects);
        assert_eq!(sev.overrides, vec![Override::UnintelligibleData, Override::VulnerableSubjectsFloor]);
    }

    #[test]
    fn both_flags_but_floor_changes_nothing() {
        // Availability lost, so rule 1 keeps the AP; the band is Medium already: no floor record.
        let s = vulnerable(unintelligible(input(2, Ease::Maximum, 1, 0, 1, false)));
        let sev = assess(&s);
        assert_eq!(sev.band, Band::Medium);
        assert!(sev.proposed_ap);
        assert!(!sev.proposed_subjects);
        assert_eq!(sev.overrides, vec![Override::UnintelligibleData]);
    }

    // ---- validation ----

    #[test]
    fn validate_names_each_bad_field_and_value() {
        let ok = input(1, Ease::Limited, 0, 0, 0, false);
        assert_eq!(ok.validate(), Ok(()));
        type Spoil = fn(&mut SeverityInput);
        let cases: [(Spoil, &str, &str); 5] = [
            (|s| s.dpc = 0, "dpc", "0"),
            (|s| s.dpc = 5, "dpc", "5"),
            (|s| s.confidentiality = 3, "confidentiality", "3"),
            (|s| s.integrity = 7, "integrity", "7"),
            (|s| s.availability = 255, "availability", "255"),
        ];
        for (spoil, field, value) in cases {
            let mut s = ok.clone();
            spoil(&mut s);
            let err = s.validate().unwrap_err();
            assert_eq!(err.field, field);
            assert!(err.message.contains(value), "{err}");
            // Still no panic on the invalid input.
            let sev = assess(&s);
            assert!((1..=24).contains(&sev.score_quarters));
        }
    }

    #[test]
    fn validate_accepts_every_boundary() {
        for dpc in [1, 4] {
            for v in [0, 2] {
                assert_eq!(input(dpc, Ease::Maximum, v, v, v, true).validate(), Ok(()));
            }
        }
    }

    // ---- exhaustive check against the formula in decimal ----

    fn all_valid_inputs() -> Vec<SeverityInput> {
        let mut out = Vec::new();
        for dpc in 1..=4 {
            for ease in Ease::ALL {
                for c in 0..=2 {
                    for i in 0..=2 {
                        for a in 0..=2 {
                            for flags in 0..8u8 {
                                let mut s = input(dpc, ease, c, i, a, flags & 1 != 0);
                                s.unintelligible = flags & 2 != 0;
                                s.vulnerable_subjects = flags & 4 != 0;
                                out.push(s);
                            }
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn exhaustive_matches_enisa_formula() {
        let all = all_valid_inputs();
        assert_eq!(all.len(), 4 * 4 * 27 * 8);
        for s in &all {
            // SE = DPC × EI + CB, in decimal (quarters are exact in binary floating point).
            let ei = [0.25, 0.5, 0.75, 1.0][usize::from(s.ease_of_identification.quarters() - 1)];
            let cb = 0.25 * f64::from(s.confidentiality + s.integrity + s.availability)
                + if s.malicious { 0.5 } else { 0.0 };
            let se = f64::from(s.dpc) * ei + cb;
            let sev = assess(s);
            assert_eq!(f64::from(sev.score_quarters) / 4.0, se, "{s:?}");
            assert_eq!(sev.score_text(), format!("{se:.2}"));
            let band = if se < 2.0 {
                Band::Low
            } else if se < 3.0 {
                Band::Medium
            } else if se < 4.0 {
                Band::High
            } else {
                Band::VeryHigh
            };
            let floor = s.vulnerable_subjects && s.confidentiality > 0;
            let expected_band = if floor { band.max(Band::Medium) } else { band };
            assert_eq!(sev.band, expected_band, "{s:?}");
            let expected_ap = floor || (band >= Band::Medium && !(s.unintelligible && s.availability == 0));
            assert_eq!(sev.proposed_ap, expected_ap, "{s:?}");
            let expected_subjects = band >= Band::High && !s.unintelligible;
            assert_eq!(sev.proposed_subjects, expected_subjects, "{s:?}");
            assert_eq!(sev.overrides.contains(&Override::UnintelligibleData), s.unintelligible);
        }
    }

    // ---- properties ----

    fn valid_input() -> impl Strategy<Value = SeverityInput> {
        (
            1u8..=4,
            prop::sample::select(Ease::ALL.to_vec()),
            0u8..=2,
            0u8..=2,
            0u8..=2,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(dpc, ease, c, i, a, malicious, unintelligible, vulnerable_subjects)| {
                SeverityInput {
                    dpc,
                    ease_of_identification: ease,
                    confidentiality: c,
                    integrity: i,
                    availability: a,
                    malicious,
                    unintelligible,
                    vulnerable_subjects,
                }
            })
    }

    /// Every input that differs from `s` by raising exactly one field one step (within the valid range).
    fn raised_one_step(s: &SeverityInput) -> Vec<SeverityInput> {
        let ease = Ease::ALL.iter().position(|e| *e == s.ease_of_identification).unwrap_or(3);
        let steps = [
            SeverityInput { dpc: s.dpc + 1, ..s.clone() },
            SeverityInput { ease_of_identification: Ease::ALL[(ease + 1).min(3)], ..s.clone() },
            SeverityInput { confidentiality: s.confidentiality + 1, ..s.clone() },
            SeverityInput { integrity: s.integrity + 1, ..s.clone() },
            SeverityInput { availability: s.availability + 1, ..s.clone() },
            SeverityInput { malicious: true, ..s.clone() },
            SeverityInput { unintelligible: true, ..s.clone() },
            SeverityInput { vulnerable_subjects: true, ..s.clone() },
        ];
        steps.into_iter().filter(|t| t != s && t.validate().is_ok()).collect()
    }

    proptest! {
        #[test]
        fn score_in_range_for_valid_inputs(s in valid_input()) {
            prop_assert_eq!(s.validate(), Ok(()));
            let sev = assess(&s);
            prop_assert!((1..=24).contains(&sev.score_quarters));
            prop_assert!(sev.band >= Band::from_quarters(sev.score_quarters));
            prop_assert!(!sev.proposed_subjects || sev.proposed_ap, "subjects without AP: {:?}", sev);
        }

        #[test]
        fn raising_one_input_never_lowers_score_or_band(s in valid_input()) {
            let before = assess(&s);
            // The all-maximum input has nothing left to raise; every other input has.
            for t in raised_one_step(&s) {
                let after = assess(&t);
                prop_assert!(after.score_quarters >= before.score_quarters, "{:?} → {:?}", s, t);
                prop_assert!(after.band >= before.band, "{:?} → {:?}", s, t);
            }
        }

        #[test]
        fn score_text_is_quarters_over_four(s in valid_input()) {
            let sev = assess(&s);
            let q = sev.score_quarters;
            prop_assert_eq!(sev.score_text(), format!("{:.2}", f64::from(q) / 4.0));
        }

        #[test]
        fn quarters_text_for_any_byte(q in any::<u8>()) {
            prop_assert_eq!(quarters_text(q), format!("{:.2}", f64::from(q) / 4.0));
        }

        #[test]
        fn assess_never_panics_on_any_input(
            dpc in any::<u8>(), c in any::<u8>(), i in any::<u8>(), a in any::<u8>(),
            flags in any::<u8>(), ease in prop::sample::select(Ease::ALL.to_vec()),
        ) {
            let mut s = input(dpc, ease, c, i, a, flags & 1 != 0);
            s.unintelligible = flags & 2 != 0;
            s.vulnerable_subjects = flags & 4 != 0;
            let sev = assess(&s);
            prop_assert!((1..=24).contains(&sev.score_quarters));
        }
    }

    // ---- serde ----

    #[test]
    fn band_very_high_serialises_as_snake_case() {
        assert_eq!(serde_json::to_string(&Band::VeryHigh).unwrap(), "\"very_high\"");
        assert_eq!(serde_json::from_str::<Band>("\"very_high\"").unwrap(), Band::VeryHigh);
    }

    #[test]
    fn severity_input_round_trips_through_json() {
        let s = vulnerable(input(3, Ease::Significant, 2, 1, 0, true));
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "dpc": 3,
                "ease_of_identification": "significant",
                "confidentiality": 2,
                "integrity": 1,
                "availability": 0,
                "malicious": true,
                "unintelligible": false,
                "vulnerable_subjects": true,
            })
        );
        let back: SeverityInput = serde_json::from_value(json).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn severity_serialises_with_the_documented_names() {
        let sev = assess(&vulnerable(unintelligible(input(1, Ease::Maximum, 2, 0, 0, false))));
        let json = serde_json::to_value(&sev).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "score_quarters": 6,
                "band": "medium",
                "proposed_ap": true,
                "proposed_subjects": false,
                "overrides": ["unintelligible_data", "vulnerable_subjects_floor"],
            })
        );
        assert_eq!(serde_json::from_value::<Severity>(json).unwrap(), sev);
    }
}
