//! Timestamps read cheaply. SQLite keeps them as text (`2026-06-15 06:10:00.123456`, as diesel
//! writes them); diesel reads such a text with chrono's format parser, which was a fifth of a
//! dashboard's time. [`DbInstant`] reads that one layout by hand and falls back to the layouts
//! diesel accepts for anything else; PostgreSQL's binary timestamps are read by diesel as before.
//! The rows that pages read by the hundred use it (`#[diesel(deserialize_as = …)]`).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::pg::Pg;
use diesel::sql_types::{Nullable, Timestamp};
use diesel::sqlite::Sqlite;

use super::backend::MultiBackend;

/// A stored instant, as [`NaiveDateTime`], read by [`parse`] on SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DbInstant(pub NaiveDateTime);

/// A stored instant that may be absent (`Nullable<Timestamp>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaybeDbInstant(pub Option<NaiveDateTime>);

impl From<DbInstant> for NaiveDateTime {
    fn from(t: DbInstant) -> Self {
        t.0
    }
}

impl From<MaybeDbInstant> for Option<NaiveDateTime> {
    fn from(t: MaybeDbInstant) -> Self {
        t.0
    }
}

impl FromSql<Timestamp, Sqlite> for DbInstant {
    fn from_sql(mut value: diesel::sqlite::SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        let text = value.read_text();
        parse(text)
            .or_else(|| parse_any(text))
            .map(DbInstant)
            .ok_or_else(|| format!("Invalid datetime {text}").into())
    }
}

impl FromSql<Timestamp, Pg> for DbInstant {
    fn from_sql(value: diesel::pg::PgValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(DbInstant)
    }
}

impl FromSql<Timestamp, MultiBackend> for DbInstant {
    fn from_sql(value: super::backend::MultiRawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Timestamp>()
    }
}

impl Queryable<Timestamp, MultiBackend> for DbInstant {
    type Row = Self;

    fn build(row: Self) -> deserialize::Result<Self> {
        Ok(row)
    }
}

impl Queryable<Nullable<Timestamp>, MultiBackend> for MaybeDbInstant {
    type Row = Option<DbInstant>;

    fn build(row: Option<DbInstant>) -> deserialize::Result<Self> {
        Ok(MaybeDbInstant(row.map(|t| t.0)))
    }
}

/// `YYYY-MM-DD HH:MM:SS` with an optional fraction of 1 to 9 digits: what diesel writes (`%F
/// %T%.f`) and SQLite's own `datetime()`. `None` for anything else, valid or not.
pub fn parse(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let digits = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let year = i32::try_from(digits(0, 4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, digits(5, 7)?, digits(8, 10)?)?;
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            digits(20, b.len())? * 10u32.pow(9 - u32::try_from(fraction.len()).ok()?)
        }
        _ => return None,
    };
    let time = NaiveTime::from_hms_nano_opt(digits(11, 13)?, digits(14, 16)?, digits(17, 19)?, nanos)?;
    Some(NaiveDateTime::new(date, time))
}

/// The other layouts diesel accepts on SQLite (with `T`, without seconds, with a zone).
fn parse_any(text: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 18] = [
        "%F %T%.f",
        "%F %T%.f%:z",
        "%F %T",
        "%F %T%:z",
        "%F %R",
        "%F %RZ",
        "%F %R%:z",
        "%F %TZ",
        "%F %T%.fZ",
        "%FT%R",
        "%FT%RZ",
        "%FT%R%:z",
        "%FT%T",
        "%FT%TZ",
        "%FT%T%:z",
        "%FT%T%.f",
        "%FT%T%.fZ",
        "%FT%T%.f%:z",
    ];
    FORMATS.iter().find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono_reads(text: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(text, "%F %T%.f").ok()
    }

    /// The hand-written reader agrees with chrono on what diesel writes, and refuses what it does
    /// not know (left to the slow path) instead of misreading it.
    #[test]
    fn reads_what_diesel_writes_as_chrono_does() {
        use chrono::{Duration, SubsecRound};
        let base = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap().and_hms_opt(23, 59, 59).unwrap();
        for step in [0, 1, 999, 1_000, 123_456, 86_400_000_000, 31_622_400_000_000] {
            let t = (base + Duration::microseconds(step)).trunc_subsecs(6);
            let written = t.format("%F %T%.f").to_string();
            assert_eq!(parse(&written), Some(t), "{written}");
            assert_eq!(parse(&written), chrono_reads(&written), "{written}");
        }
        for (text, expected) in [
            ("2026-06-15 06:10:00", "2026-06-15T06:10:00"),
            ("2026-06-15 06:10:00.5", "2026-06-15T06:10:00.500"),
            ("2026-06-15 06:10:00.123456789", "2026-06-15T06:10:00.123456789"),
            ("2024-02-29 00:00:00", "2024-02-29T00:00:00"),
        ] {
            assert_eq!(parse(text), Some(expected.parse().unwrap()), "{text}");
        }
        for other in [
            "2026-06-15T06:10:00",
            "2026-06-15 06:10",
            "2026-06-15 06:10:00Z",
            "2026-06-15 06:10:00.",
            "2026-06-15 06:10:00.1234567890",
            "2026-13-15 06:10:00",
            "2026-02-30 06:10:00",
            "2026-06-15 24:10:00",
            "2026-06-15 06:1a:00",
            "2026-06-15 06:10:00+02:00",
        ] {
            assert_eq!(parse(other), None, "{other}");
        }
        assert_eq!(parse_any("2026-06-15T06:10:00Z"), Some("2026-06-15T06:10:00".parse().unwrap()));
    }
}
