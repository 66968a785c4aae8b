//! Human references per client and year: `ACME-2026-0007`.

use chrono::{DateTime, Datelike, Utc};

use super::local_time::ZONE;

/// The reference year of an incident reported at `reported_at`: the year in Amsterdam.
pub fn year_of(reported_at: DateTime<Utc>) -> i32 {
    reported_at.with_timezone(&ZONE).year()
}

/// `SLUG-YEAR-NNNN` (at least four digits).
pub fn format(slug: &str, year: i32, number: i32) -> String {
    format!("{}-{year}-{number:04}", slug.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_per_client_and_amsterdam_year() {
        assert_eq!(format("acme", 2026, 7), "ACME-2026-0007");
        assert_eq!(format("big-corp", 2027, 12345), "BIG-CORP-2027-12345");
        // 23:30 UTC on New Year's Eve is already the new year in Amsterdam.
        assert_eq!(year_of("2026-12-31T23:30:00Z".parse().unwrap()), 2027);
        assert_eq!(year_of("2026-12-31T22:30:00Z".parse().unwrap()), 2026);
    }
}
