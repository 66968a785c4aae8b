//! Local time in Europe/Amsterdam: rendering UTC instants for people and parsing wall-clock times they type.
//!
//! Instants are stored and computed in UTC; people see them in Amsterdam time with the zone abbreviation
//! (CET or CEST), and mails and the register always show the UTC instant as well. A typed local time that
//! does not exist (the spring-forward gap) is rejected; one that occurs twice (the autumn fold) must be
//! disambiguated by the user with a [`Fold`].
//!
//! Pure: no IO, never reads the clock.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::{OffsetName, Tz};

use super::locale::Locale;

/// The zone all local times are shown in.
pub const ZONE: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;

const NL_DAYS: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const NL_MONTHS: [&str; 12] =
    ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
const EN_MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn local(t: DateTime<Utc>) -> DateTime<Tz> {
    t.with_timezone(&ZONE)
}

fn day_name(day: Weekday, locale: Locale) -> &'static str {
    let index = day.num_days_from_monday() as usize;
    match locale {
        Locale::Nl => NL_DAYS[index],
        Locale::En => EN_DAYS[index],
    }
}

fn month_name(month0: u32, locale: Locale) -> &'static str {
    let index = month0 as usize;
    match locale {
        Locale::Nl => NL_MONTHS[index],
        Locale::En => EN_MONTHS[index],
    }
}

/// "+01:00" for an offset in seconds east of UTC; seconds are appended only when not zero (historical
/// local mean time).
fn format_offset(seconds_east: i32) -> String {
    let sign = if seconds_east < 0 { '-' } else { '+' };
    let abs = seconds_east.unsigned_abs();
    let (hours, minutes, seconds) = (abs / 3600, abs / 60 % 60, abs % 60);
    if seconds == 0 {
        format!("{sign}{hours:02}:{minutes:02}")
    } else {
        format!("{sign}{hours:02}:{minutes:02}:{seconds:02}")
    }
}

fn abbreviation_of(local: &DateTime<Tz>) -> String {
    let offset = local.offset();
    match offset.abbreviation() {
        Some(name) => name.to_owned(),
        None => format!("UTC{}", format_offset(offset.fix().local_minus_utc())),
    }
}

/// "zo 25 okt 2026 13:30 CET" (nl) / "Sun 25 Oct 2026 13:30 CET" (en).
///
/// Day and month abbreviations — nl days: ma di wo do vr za zo; nl months: jan feb mrt apr mei jun jul
/// aug sep okt nov dec; en: Mon Tue Wed Thu Fri Sat Sun / Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov
/// Dec. Day of month without leading zero, 24-hour HH:MM (seconds are truncated), zone abbreviation CET
/// or CEST.
pub fn format_local(t: DateTime<Utc>, locale: Locale) -> String {
    let l = local(t);
    format!(
        "{} {} {} {} {:02}:{:02} {}",
        day_name(l.weekday(), locale),
        l.day(),
        month_name(l.month0(), locale),
        l.year(),
        l.hour(),
        l.minute(),
        abbreviation_of(&l)
    )
}

/// Same as [`format_local`] plus the offset from UTC: "zo 25 okt 2026 13:30 CET (UTC+01:00)".
pub fn format_local_with_offset(t: DateTime<Utc>, locale: Locale) -> String {
    let offset = local(t).offset().fix().local_minus_utc();
    format!("{} (UTC{})", format_local(t, locale), format_offset(offset))
}

/// Short form for subjects and lists, without the year: "zo 25 okt 13:30 CET" / "Sun 25 Oct 13:30 CET".
pub fn format_local_short(t: DateTime<Utc>, locale: Locale) -> String {
    let l = local(t);
    format!(
        "{} {} {} {:02}:{:02} {}",
        day_name(l.weekday(), locale),
        l.day(),
        month_name(l.month0(), locale),
        l.hour(),
        l.minute(),
        abbreviation_of(&l)
    )
}

/// The Amsterdam date alone, for headings: "zo 25 okt 2026" / "Sun 25 Oct 2026".
pub fn format_local_date(t: DateTime<Utc>, locale: Locale) -> String {
    let l = local(t);
    format!("{} {} {} {}", day_name(l.weekday(), locale), l.day(), month_name(l.month0(), locale), l.year())
}

/// The Amsterdam wall-clock time alone, "13:30", for lines under a date heading.
pub fn format_local_clock(t: DateTime<Utc>) -> String {
    let l = local(t);
    format!("{:02}:{:02}", l.hour(), l.minute())
}

/// The UTC instant to the minute (seconds are truncated): "2026-10-25 12:30 UTC".
pub fn format_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Like [`format_utc`] but keeps the seconds when they are not zero (for error messages about inputs
/// that had seconds).
fn format_utc_precise(t: &DateTime<Utc>) -> String {
    if t.second() == 0 { format_utc(*t) } else { t.format("%Y-%m-%d %H:%M:%S UTC").to_string() }
}

/// A signed duration in words for countdowns: nl "2 d 3 u 30 min" / en "2 d 3 h 30 min".
///
/// The seconds are truncated toward zero to whole minutes. Leading zero units are left out (days appear
/// only from one day, hours only from one hour), but once a larger unit is shown every smaller one is
/// too: "1 d 0 u 5 min", "8 u 0 min". Anything under a minute (either sign) is "0 min". Negative values
/// get a leading "−" (U+2212): "−8 u 0 min" / "−8 h 0 min".
pub fn format_duration(seconds: i64, locale: Locale) -> String {
    let minutes = seconds / 60;
    let sign = if minutes < 0 { "\u{2212}" } else { "" };
    let abs = minutes.unsigned_abs();
    let (days, hours, mins) = (abs / 1440, abs % 1440 / 60, abs % 60);
    let h = match locale {
        Locale::Nl => "u",
        Locale::En => "h",
    };
    if days > 0 {
        format!("{sign}{days} d {hours} {h} {mins} min")
    } else if hours > 0 {
        format!("{sign}{hours} {h} {mins} min")
    } else {
        format!("{sign}{mins} min")
    }
}

/// A countdown for a list row, to the minute, without a sign (the sentence around it says whether
/// it is left or overdue): "2 d 23 h", "2 h 59 m", "1 h", "7 m" (nl "u" for hours), and "< 1 m"
/// under a minute. Truncated toward zero; with days the minutes are left out, and a smaller unit
/// that is zero is too ("1 h", not "1 h 0 m"). `assets/app.js` (`compact`) writes the same words
/// for the live countdown.
pub fn format_duration_compact(seconds: i64, locale: Locale) -> String {
    let minutes = (seconds / 60).unsigned_abs();
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let h = match locale {
        Locale::Nl => "u",
        Locale::En => "h",
    };
    match (days, hours, mins) {
        (0, 0, 0) => "< 1 m".to_string(),
        (0, 0, m) => format!("{m} m"),
        (0, h_, 0) => format!("{h_} {h}"),
        (0, h_, m) => format!("{h_} {h} {m} m"),
        (d, 0, _) => format!("{d} d"),
        (d, h_, _) => format!("{d} d {h_} {h}"),
    }
}

/// A deadline for a list row: the day and the time, "za 06:58" / "Sat 06:58", when it is less than
/// six days from `now` either way (the day name is then unambiguous), else with the date as well:
/// "za 17 okt 06:58".
pub fn format_day_time(t: DateTime<Utc>, now: DateTime<Utc>, locale: Locale) -> String {
    let l = local(t);
    let day = day_name(l.weekday(), locale);
    if (t - now).num_days().abs() < 6 {
        format!("{day} {:02}:{:02}", l.hour(), l.minute())
    } else {
        format!("{day} {} {} {:02}:{:02}", l.day(), month_name(l.month0(), locale), l.hour(), l.minute())
    }
}

/// A `datetime-local` value for HTML inputs in Amsterdam time, to the minute (seconds are truncated):
/// "2026-10-25T13:30".
///
/// In the autumn fold the value alone is ambiguous; pair it with [`fold_of`] (or append
/// [`zone_abbreviation`]) to make [`parse_local`] return the same instant.
pub fn to_local_input(t: DateTime<Utc>) -> String {
    local(t).format("%Y-%m-%dT%H:%M").to_string()
}

/// The zone abbreviation at `t` ("CET"/"CEST"). Should the tz database have no abbreviation (it always
/// has one for Amsterdam), the offset is returned instead, e.g. "UTC+01:00".
pub fn zone_abbreviation(t: DateTime<Utc>) -> String {
    abbreviation_of(&local(t))
}

/// How the user resolved an ambiguous autumn-fold time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fold {
    /// The first occurrence, summer time (CEST, UTC+2).
    Cest,
    /// The second occurrence, winter time (CET, UTC+1).
    Cet,
}

impl Fold {
    /// The wire name: `cest` or `cet`.
    pub fn as_str(self) -> &'static str {
        match self {
            Fold::Cest => "cest",
            Fold::Cet => "cet",
        }
    }

    /// The zone abbreviation: `CEST` or `CET`.
    pub fn abbreviation(self) -> &'static str {
        match self {
            Fold::Cest => "CEST",
            Fold::Cet => "CET",
        }
    }

    /// Parses `cest` or `cet`, case-insensitively (so the abbreviations `CEST`/`CET` are accepted too).
    pub fn parse(value: &str) -> Option<Self> {
        if value.eq_ignore_ascii_case("cest") {
            Some(Fold::Cest)
        } else if value.eq_ignore_ascii_case("cet") {
            Some(Fold::Cet)
        } else {
            None
        }
    }
}

/// Which occurrence `t` is when its Amsterdam wall-clock time occurs twice (the autumn fold), or `None`
/// when the wall-clock time is unambiguous. `parse_local(&to_local_input(t), fold_of(t))` gives back `t`
/// truncated to the minute.
pub fn fold_of(t: DateTime<Utc>) -> Option<Fold> {
    match ZONE.from_local_datetime(&local(t).naive_local()) {
        chrono::LocalResult::Ambiguous(a, b) => {
            let earlier = a.with_timezone(&Utc).min(b.with_timezone(&Utc));
            Some(if t == earlier { Fold::Cest } else { Fold::Cet })
        }
        _ => None,
    }
}

/// Why a typed local time was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    /// Not "YYYY-MM-DD HH:MM" (or with 'T', optional ":SS"), or not a real calendar date or time.
    #[error("\"{0}\" is not a date and time (expected YYYY-MM-DD HH:MM)")]
    Malformed(String),
    /// Falls in the spring-forward gap.
    #[error(
        "\"{input}\" does not exist in Amsterdam: the clocks jump forward there at that moment (start of \
         summer time); choose a time after the jump"
    )]
    Nonexistent {
        /// The input as typed (surrounding whitespace removed).
        input: String,
    },
    /// Falls in the autumn fold; the user must choose.
    #[error(
        "\"{input}\" occurs twice in Amsterdam because the clocks go back (end of summer time): as CEST it \
         is {}, as CET it is {}; choose CEST or CET",
        format_utc_precise(.cest),
        format_utc_precise(.cet)
    )]
    Ambiguous {
        /// The input as typed (surrounding whitespace removed).
        input: String,
        /// The first occurrence, in summer time (CEST).
        cest: DateTime<Utc>,
        /// The second occurrence, in winter time (CET).
        cet: DateTime<Utc>,
    },
    /// A typed zone abbreviation that is not the one in force in Amsterdam at that time ("10:00
    /// CEST" on a January date, when Amsterdam is on CET).
    #[error(
        "\"{input}\" says {typed}, but Amsterdam is on {actual} at that date and time; correct the zone \
         ({actual}) or leave it out"
    )]
    WrongZone {
        /// The input as typed (surrounding whitespace removed).
        input: String,
        /// The abbreviation typed.
        typed: &'static str,
        /// The abbreviation in force.
        actual: String,
    },
}

/// Parses exactly "YYYY-MM-DD HH:MM" / "YYYY-MM-DDTHH:MM", optionally with ":SS".
fn parse_naive(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() != 16 && b.len() != 19 {
        return None;
    }
    let separators_ok = b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b' ' || b[10] == b'T')
        && b[13] == b':'
        && (b.len() == 16 || b[16] == b':');
    if !separators_ok {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        b[from..to]
            .iter()
            .try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    let year = i32::try_from(number(0, 4)?).ok()?;
    let second = if b.len() == 19 { number(17, 19)? } else { 0 };
    NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)?.and_hms_opt(
        number(11, 13)?,
        number(14, 16)?,
        second,
    )
}

/// Parses a wall-clock time typed in Amsterdam: "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM", optionally
/// with ":SS"; surrounding whitespace is ignored. Impossible dates and times ("2026-02-30", "24:00") are
/// [`LocalTimeError::Malformed`].
///
/// A trailing " CET" or " CEST" (case-insensitive, after whitespace) is accepted as the fold choice and is
/// equivalent to passing `fold`; when both are given, the typed abbreviation wins.
///
/// The fold choice is only used when the time is ambiguous (the autumn fold): [`Fold::Cest`] picks the
/// first occurrence, [`Fold::Cet`] the second; without a choice the result is
/// [`LocalTimeError::Ambiguous`] carrying both readings. A *typed* abbreviation that contradicts an
/// unambiguous time ("2026-01-15 10:00 CEST": January is CET) is [`LocalTimeError::WrongZone`]: the
/// user meant something else, and the time is not silently reinterpreted. A `fold` passed separately
/// (the form's choice, which only disambiguates) is ignored for an unambiguous time. A time in the
/// spring-forward gap is always [`LocalTimeError::Nonexistent`], whatever the fold choice.
pub fn parse_local(input: &str, fold: Option<Fold>) -> Result<DateTime<Utc>, LocalTimeError> {
    let input = input.trim();
    let (datetime, typed) = match input.rsplit_once(char::is_whitespace) {
        Some((rest, suffix)) => match Fold::parse(suffix) {
            Some(typed) => (rest.trim_end(), Some(typed)),
            None => (input, None),
        },
        None => (input, None),
    };
    let fold = typed.or(fold);
    let naive = parse_naive(datetime).ok_or_else(|| LocalTimeError::Malformed(input.to_owned()))?;
    match ZONE.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => {
            let t = t.with_timezone(&Utc);
            let actual = zone_abbreviation(t);
            match typed {
                Some(typed) if typed.abbreviation() != actual => Err(LocalTimeError::WrongZone {
                    input: input.to_owned(),
                    typed: typed.abbreviation(),
                    actual,
                }),
                _ => Ok(t),
            }
        }
        chrono::LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
            let (cest, cet) = (a.min(b), a.max(b));
            match fold {
                Some(Fold::Cest) => Ok(cest),
                Some(Fold::Cet) => Ok(cet),
                None => Err(LocalTimeError::Ambiguous { input: input.to_owned(), cest, cet }),
            }
        }
        chrono::LocalResult::None => Err(LocalTimeError::Nonexistent { input: input.to_owned() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use proptest::prelude::*;

    #[test]
    fn compact_durations_drop_zero_units_and_seconds() {
        let en = |s| format_duration_compact(s, Locale::En);
        assert_eq!(en(2 * 3600 + 59 * 60 + 59), "2 h 59 m");
        assert_eq!(en(-(3600 + 10)), "1 h", "overdue reads without the sign and the seconds");
        assert_eq!(en(72 * 3600), "3 d");
        assert_eq!(en(71 * 3600 + 59 * 60), "2 d 23 h");
        assert_eq!(en(7 * 60), "7 m");
        assert_eq!(en(59), "< 1 m");
        assert_eq!(en(-59), "< 1 m");
        assert_eq!(format_duration_compact(2 * 3600 + 59 * 60, Locale::Nl), "2 u 59 m");
    }

    #[test]
    fn day_and_time_name_the_date_only_when_the_day_is_ambiguous() {
        let now: DateTime<Utc> = "2026-10-22T10:00:00Z".parse().unwrap();
        let soon: DateTime<Utc> = "2026-10-24T04:58:00Z".parse().unwrap();
        assert_eq!(format_day_time(soon, now, Locale::En), "Sat 06:58");
        assert_eq!(format_day_time(soon, now, Locale::Nl), "za 06:58");
        let long_ago: DateTime<Utc> = "2026-10-10T04:58:00Z".parse().unwrap();
        assert_eq!(format_day_time(long_ago, now, Locale::En), "Sat 10 Oct 06:58");
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("valid RFC 3339 in test").with_timezone(&Utc)
    }

    #[test]
    fn zone_is_amsterdam() {
        assert_eq!(ZONE.name(), "Europe/Amsterdam");
    }

    #[test]
    fn transitions_happen_at_one_utc() {
        // CEST -> CET on 2026-10-25 and 2027-10-31; CET -> CEST on 2026-03-29 and 2027-03-28.
        for (at, before, after) in [
            ("2026-03-29T01:00:00Z", "CET", "CEST"),
            ("2026-10-25T01:00:00Z", "CEST", "CET"),
            ("2027-03-28T01:00:00Z", "CET", "CEST"),
            ("2027-10-31T01:00:00Z", "CEST", "CET"),
        ] {
            let t = utc(at);
            assert_eq!(zone_abbreviation(t - Duration::seconds(1)), before, "{at}");
            assert_eq!(zone_abbreviation(t), after, "{at}");
        }
        let fall = utc("2026-10-25T01:00:00Z");
        assert_eq!(format_local(fall - Duration::minutes(1), Locale::Nl), "zo 25 okt 2026 02:59 CEST");
        assert_eq!(format_local(fall, Locale::Nl), "zo 25 okt 2026 02:00 CET");
        let spring = utc("2027-03-28T01:00:00Z");
        assert_eq!(format_local(spring - Duration::minutes(1), Locale::En), "Sun 28 Mar 2027 01:59 CET");
        assert_eq!(format_local(spring, Locale::En), "Sun 28 Mar 2027 03:00 CEST");
    }

    #[test]
    fn formats_local_time() {
        let t = utc("2026-10-25T12:30:00Z");
        assert_eq!(format_local(t, Locale::Nl), "zo 25 okt 2026 13:30 CET");
        assert_eq!(format_local(t, Locale::En), "Sun 25 Oct 2026 13:30 CET");
        assert_eq!(format_local_with_offset(t, Locale::Nl), "zo 25 okt 2026 13:30 CET (UTC+01:00)");
        assert_eq!(format_local_with_offset(t, Locale::En), "Sun 25 Oct 2026 13:30 CET (UTC+01:00)");
        assert_eq!(format_local_short(t, Locale::Nl), "zo 25 okt 13:30 CET");
        assert_eq!(format_local_short(t, Locale::En), "Sun 25 Oct 13:30 CET");
        assert_eq!(format_utc(t), "2026-10-25 12:30 UTC");
        assert_eq!(to_local_input(t), "2026-10-25T13:30");

        let summer = utc("2026-10-22T12:30:00Z");
        assert_eq!(format_local(summer, Locale::Nl), "do 22 okt 2026 14:30 CEST");
        assert_eq!(format_local_with_offset(summer, Locale::En), "Thu 22 Oct 2026 14:30 CEST (UTC+02:00)");

        assert_eq!(format_local(utc("2026-12-27T16:00:00Z"), Locale::Nl), "zo 27 dec 2026 17:00 CET");
    }

    #[test]
    fn fold_renders_both_occurrences() {
        let first = utc("2026-10-25T00:30:00Z");
        let second = utc("2026-10-25T01:30:00Z");
        assert_eq!(format_local_with_offset(first, Locale::Nl), "zo 25 okt 2026 02:30 CEST (UTC+02:00)");
        assert_eq!(format_local_with_offset(second, Locale::Nl), "zo 25 okt 2026 02:30 CET (UTC+01:00)");
        assert_eq!(to_local_input(first), to_local_input(second));
        assert_eq!(fold_of(first), Some(Fold::Cest));
        assert_eq!(fold_of(second), Some(Fold::Cet));
        assert_eq!(fold_of(utc("2026-10-25T12:30:00Z")), None);
        assert_eq!(fold_of(utc("2026-10-24T23:59:00Z")), None);
        assert_eq!(fold_of(utc("2026-10-25T02:00:00Z")), None);
    }

    #[test]
    fn all_day_and_month_names() {
        // Mon 2 Feb 2026 .. Sun 8 Feb 2026, and the 15th of every month of 2026 at noon UTC.
        let nl: Vec<String> = (2..=8)
            .map(|d| format_local_short(utc(&format!("2026-02-{d:02}T12:00:00Z")), Locale::Nl))
            .collect();
        assert_eq!(
            nl,
            [
                "ma 2 feb 13:00 CET",
                "di 3 feb 13:00 CET",
                "wo 4 feb 13:00 CET",
                "do 5 feb 13:00 CET",
                "vr 6 feb 13:00 CET",
                "za 7 feb 13:00 CET",
                "zo 8 feb 13:00 CET"
            ]
        );
        let en: Vec<String> = (2..=8)
            .map(|d| format_local_short(utc(&format!("2026-02-{d:02}T12:00:00Z")), Locale::En))
            .collect();
        assert_eq!(
            en,
            [
                "Mon 2 Feb 13:00 CET",
                "Tue 3 Feb 13:00 CET",
                "Wed 4 Feb 13:00 CET",
                "Thu 5 Feb 13:00 CET",
                "Fri 6 Feb 13:00 CET",
                "Sat 7 Feb 13:00 CET",
                "Sun 8 Feb 13:00 CET"
            ]
        );
        let months = |locale| -> Vec<String> {
            (1..=12)
                .map(|m| {
                    let short = format_local_short(utc(&format!("2026-{m:02}-15T12:00:00Z")), locale);
                    short.split(' ').nth(2).expect("month").to_owned()
                })
                .collect()
        };
        assert_eq!(months(Locale::Nl), NL_MONTHS);
        assert_eq!(months(Locale::En), EN_MONTHS);
    }

    #[test]
    fn day_without_leading_zero_and_midnight() {
        let t = utc("2026-06-30T22:05:59Z");
        assert_eq!(format_local(t, Locale::Nl), "wo 1 jul 2026 00:05 CEST");
        assert_eq!(to_local_input(t), "2026-07-01T00:05");
        assert_eq!(format_utc(t), "2026-06-30 22:05 UTC");
    }

    #[test]
    fn rejects_nonexistent_spring_time() {
        for input in ["2027-03-28 02:30", "2027-03-28 02:00", "2027-03-28T02:59:59", "2026-03-29 02:30"] {
            assert_eq!(
                parse_local(input, None),
                Err(LocalTimeError::Nonexistent { input: input.to_owned() }),
                "{input}"
            );
        }
        // A fold choice does not rescue a nonexistent time.
        assert!(matches!(
            parse_local("2027-03-28 02:30", Some(Fold::Cet)),
            Err(LocalTimeError::Nonexistent { .. })
        ));
        assert!(matches!(
            parse_local("2027-03-28 02:30 CEST", None),
            Err(LocalTimeError::Nonexistent { .. })
        ));
        // Just around the gap.
        assert_eq!(parse_local("2027-03-28 01:59", None), Ok(utc("2027-03-28T00:59:00Z")));
        assert_eq!(parse_local("2027-03-28 03:00", None), Ok(utc("2027-03-28T01:00:00Z")));
        let message = parse_local("2027-03-28 02:30", None).unwrap_err().to_string();
        assert!(message.contains("\"2027-03-28 02:30\""), "{message}");
        assert!(message.contains("does not exist in Amsterdam"), "{message}");
        assert!(message.contains("jump forward"), "{message}");
        assert!(message.contains("summer time"), "{message}");
    }

    #[test]
    fn ambiguous_autumn_time_needs_a_choice() {
        let cest = utc("2026-10-25T00:30:00Z");
        let cet = utc("2026-10-25T01:30:00Z");
        let err = parse_local("2026-10-25 02:30", None).unwrap_err();
        assert_eq!(err, LocalTimeError::Ambiguous { input: "2026-10-25 02:30".to_owned(), cest, cet });
        let message = err.to_string();
        assert!(message.contains("\"2026-10-25 02:30\""), "{message}");
        assert!(message.contains("2026-10-25 00:30 UTC"), "{message}");
        assert!(message.contains("2026-10-25 01:30 UTC"), "{message}");
        assert!(message.contains("choose CEST or CET"), "{message}");

        assert_eq!(parse_local("2026-10-25 02:30", Some(Fold::Cest)), Ok(cest));
        assert_eq!(parse_local("2026-10-25 02:30", Some(Fold::Cet)), Ok(cet));
        assert_eq!(parse_local("2026-10-25 02:30 CET", None), Ok(cet));
        assert_eq!(parse_local("2026-10-25 02:30 CEST", None), Ok(cest));
        assert_eq!(parse_local("  2026-10-25T02:30   cest ", None), Ok(cest));
        // The typed abbreviation wins over the parameter.
        assert_eq!(parse_local("2026-10-25 02:30 CET", Some(Fold::Cest)), Ok(cet));
        // Both ends of the fold.
        assert!(matches!(parse_local("2026-10-25 02:00", None), Err(LocalTimeError::Ambiguous { .. })));
        assert!(matches!(parse_local("2026-10-25 02:59:59", None), Err(LocalTimeError::Ambiguous { .. })));
        assert_eq!(parse_local("2026-10-25 01:59:59", None), Ok(utc("2026-10-24T23:59:59Z")));
        assert_eq!(parse_local("2026-10-25 03:00", None), Ok(utc("2026-10-25T02:00:00Z")));
        // Seconds survive into the message.
        let message = parse_local("2026-10-25 02:30:15", None).unwrap_err().to_string();
        assert!(message.contains("2026-10-25 00:30:15 UTC"), "{message}");
    }

    #[test]
    fn a_typed_zone_that_contradicts_the_date_is_refused() {
        // The zone in force is accepted, in either case.
        assert_eq!(parse_local("2026-01-15 10:00 CET", None), Ok(utc("2026-01-15T09:00:00Z")));
        assert_eq!(parse_local("2026-07-15 10:00 CEST", None), Ok(utc("2026-07-15T08:00:00Z")));
        assert_eq!(parse_local("2026-07-15T10:00 cest", Some(Fold::Cet)), Ok(utc("2026-07-15T08:00:00Z")));
        assert_eq!(parse_local("2026-10-25 01:59 CEST", None), Ok(utc("2026-10-24T23:59:00Z")));
        // The other one is refused, with a message naming both.
        for (typed, zone, actual) in [
            ("2026-01-15 10:00 CEST", "CEST", "CET"),
            ("2026-07-15 10:00 CET", "CET", "CEST"),
            ("2026-12-01 10:00 cest", "CEST", "CET"),
            // Just outside the fold: still summer time.
            ("2026-10-25 01:59 CET", "CET", "CEST"),
            // Just after the spring jump: already summer time.
            ("2027-03-28 03:00 CET", "CET", "CEST"),
        ] {
            let error = parse_local(typed, None).unwrap_err();
            assert_eq!(
                error,
                LocalTimeError::WrongZone { input: typed.into(), typed: zone, actual: actual.into() },
                "{typed}"
            );
            let message = error.to_string();
            assert!(
                message.contains(&format!("says {zone}")) && message.contains(&format!("on {actual}")),
                "{message}"
            );
        }
        // A fold choice passed apart from the text only disambiguates: ignored when nothing is ambiguous.
        assert_eq!(parse_local("2026-07-01 10:00", Some(Fold::Cet)), Ok(utc("2026-07-01T08:00:00Z")));
        // In the fold the typed zone picks the occurrence, as before.
        assert_eq!(parse_local("2026-10-25 02:30 CET", None), Ok(utc("2026-10-25T01:30:00Z")));
    }

    #[test]
    fn deadline_across_the_fold() {
        let detected = parse_local("2026-10-25 01:59 CEST", None).expect("valid");
        assert_eq!(detected, utc("2026-10-24T23:59:00Z"));
        let deadline = detected + Duration::hours(72);
        assert_eq!(deadline, utc("2026-10-27T23:59:00Z"));
        assert_eq!(format_local(deadline, Locale::Nl), "wo 28 okt 2026 00:59 CET");
        assert_eq!(format_local(detected, Locale::Nl), "zo 25 okt 2026 01:59 CEST");
    }

    #[test]
    fn parses_accepted_shapes() {
        let t = utc("2026-10-25T12:30:00Z");
        assert_eq!(parse_local("2026-10-25T13:30", None), Ok(t));
        assert_eq!(parse_local("2026-10-25 13:30", None), Ok(t));
        assert_eq!(parse_local("2026-10-25 13:30:00", None), Ok(t));
        assert_eq!(parse_local(" \t2026-10-25T13:30\n", None), Ok(t));
        assert_eq!(parse_local("2026-10-25T13:30:45", None), Ok(t + Duration::seconds(45)));
        assert_eq!(parse_local("2026-07-01 00:00", None), Ok(utc("2026-06-30T22:00:00Z")));
    }

    #[test]
    fn rejects_malformed() {
        for input in [
            "25-10-2026 13:30",
            "2026-02-30 10:00",
            "2026-13-01 10:00",
            "2026-10-25 24:00",
            "2026-10-25 13:60",
            "2026-10-25 13:30:60",
            "2026-10-25",
            "2026-10-25 13",
            "2026-10-25 1:30",
            "2026-10-25  13:30",
            "2026-10-25t13:30",
            "2026/10/25 13:30",
            "+026-10-25 13:30",
            "2026-10-25 13:30:5",
            "2026-10-25 13:30Z",
            "2026-10-25 13:30 UTC",
            "2026-10-25 13:30 CET CET",
            "CET",
            "",
            "２０２６-10-25 13:30",
        ] {
            assert_eq!(
                parse_local(input, None),
                Err(LocalTimeError::Malformed(input.trim().to_owned())),
                "{input:?}"
            );
        }
        assert_eq!(
            LocalTimeError::Malformed("x".to_owned()).to_string(),
            "\"x\" is not a date and time (expected YYYY-MM-DD HH:MM)"
        );
    }

    #[test]
    fn formats_durations() {
        assert_eq!(format_duration(12600, Locale::Nl), "3 u 30 min");
        assert_eq!(format_duration(12600, Locale::En), "3 h 30 min");
        assert_eq!(format_duration(86400 * 2 + 3600 * 3 + 60 * 30, Locale::Nl), "2 d 3 u 30 min");
        assert_eq!(format_duration(86400 * 2 + 3600 * 3 + 60 * 30, Locale::En), "2 d 3 h 30 min");
        assert_eq!(format_duration(59, Locale::Nl), "0 min");
        assert_eq!(format_duration(-59, Locale::Nl), "0 min");
        assert_eq!(format_duration(0, Locale::En), "0 min");
        assert_eq!(format_duration(-28800, Locale::Nl), "\u{2212}8 u 0 min");
        assert_eq!(format_duration(-28800, Locale::En), "\u{2212}8 h 0 min");
        assert_eq!(format_duration(-28859, Locale::En), "\u{2212}8 h 0 min");
        assert_eq!(format_duration(60 * 30 + 59, Locale::Nl), "30 min");
        assert_eq!(format_duration(-61, Locale::Nl), "\u{2212}1 min");
        assert_eq!(format_duration(86400 + 300, Locale::Nl), "1 d 0 u 5 min");
        assert_eq!(format_duration(72 * 3600, Locale::En), "3 d 0 h 0 min");
        assert!(format_duration(i64::MIN, Locale::En).starts_with('\u{2212}'));
        assert!(format_duration(i64::MAX, Locale::En).ends_with(" min"));
    }

    #[test]
    fn fold_names_and_serde() {
        assert_eq!(Fold::parse("CEST"), Some(Fold::Cest));
        assert_eq!(Fold::parse("cet"), Some(Fold::Cet));
        assert_eq!(Fold::parse("utc"), None);
        for fold in [Fold::Cest, Fold::Cet] {
            assert_eq!(Fold::parse(fold.as_str()), Some(fold));
            assert_eq!(Fold::parse(fold.abbreviation()), Some(fold));
            assert_eq!(fold.abbreviation().to_lowercase(), fold.as_str());
        }
        // serde's lowercase renaming, checked through a unit-variant deserializer.
        use serde::Deserialize;
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};
        let de: StrDeserializer<'_, Error> = "cest".into_deserializer();
        assert_eq!(Fold::deserialize(de), Ok(Fold::Cest));
        let de: StrDeserializer<'_, Error> = "cet".into_deserializer();
        assert_eq!(Fold::deserialize(de), Ok(Fold::Cet));
        let de: StrDeserializer<'_, Error> = "CET".into_deserializer();
        assert!(Fold::deserialize(de).is_err());
    }

    /// Whole-minute instants from 1990-01-01 to 2100-01-01 UTC.
    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        let from = utc("1990-01-01T00:00:00Z").timestamp() / 60;
        let to = utc("2100-01-01T00:00:00Z").timestamp() / 60;
        (from..to).prop_map(|minute| DateTime::from_timestamp(minute * 60, 0).expect("in range"))
    }

    fn any_fold() -> impl Strategy<Value = Fold> {
        prop_oneof![Just(Fold::Cest), Just(Fold::Cet)]
    }

    /// Instants within a day of a transition, where the interesting cases are.
    fn near_transition() -> impl Strategy<Value = DateTime<Utc>> {
        (1990i32..2100, prop::bool::ANY, -1440i64..1440).prop_map(|(year, autumn, offset)| {
            // Last Sunday of March / October, 01:00 UTC (the EU rule; before 1996 autumn was September,
            // which merely makes these ordinary instants).
            let month = if autumn { 10 } else { 3 };
            let last = NaiveDate::from_ymd_opt(year, month, 31).expect("31st exists");
            let back = i64::from(last.weekday().num_days_from_sunday());
            let sunday = last - Duration::days(back);
            sunday.and_hms_opt(1, 0, 0).expect("valid").and_utc() + Duration::minutes(offset)
        })
    }

    fn round_trips(t: DateTime<Utc>) -> Result<(), TestCaseError> {
        let input = to_local_input(t);
        prop_assert_eq!(input.len(), 16, "no seconds in {}", input);
        let fold = Fold::parse(&zone_abbreviation(t));
        prop_assert!(fold.is_some());
        prop_assert_eq!(parse_local(&input, fold), Ok(t));
        prop_assert_eq!(parse_local(&input, fold_of(t)), Ok(t));
        prop_assert_eq!(parse_local(&format!("{input} {}", zone_abbreviation(t)), None), Ok(t));
        let shown = format_local(t, Locale::Nl);
        prop_assert!(shown.ends_with(" CET") || shown.ends_with(" CEST"), "{}", shown);
        let shown = format_local(t, Locale::En);
        prop_assert!(shown.ends_with(" CET") || shown.ends_with(" CEST"), "{}", shown);
        let offset = format_local_with_offset(t, Locale::En);
        prop_assert!(
            offset.ends_with(" CET (UTC+01:00)") || offset.ends_with(" CEST (UTC+02:00)"),
            "{}",
            offset
        );
        Ok(())
    }

    proptest! {
        #[test]
        fn local_input_round_trips(t in instant()) {
            round_trips(t)?;
        }

        #[test]
        fn local_input_round_trips_near_transitions(t in near_transition()) {
            round_trips(t)?;
        }

        #[test]
        fn seconds_are_truncated_in_renderings(t in instant(), s in 0i64..60) {
            let with_seconds = t + Duration::seconds(s);
            prop_assert_eq!(to_local_input(with_seconds), to_local_input(t));
            prop_assert_eq!(format_local(with_seconds, Locale::Nl), format_local(t, Locale::Nl));
            prop_assert_eq!(format_utc(with_seconds), format_utc(t));
            let input = format!("{}:{s:02}", to_local_input(t));
            prop_assert_eq!(parse_local(&input, fold_of(t)), Ok(with_seconds));
        }

        #[test]
        fn seventy_two_hours_is_exact(t in prop_oneof![instant(), near_transition()]) {
            let deadline = t + Duration::hours(72);
            prop_assert_eq!(deadline - t, Duration::hours(72));
            let typed = format!("{} {}", to_local_input(deadline), zone_abbreviation(deadline));
            prop_assert_eq!(parse_local(&typed, None), Ok(deadline));
            let ambiguous = parse_local(&to_local_input(deadline), None);
            match ambiguous {
                Ok(parsed) => {
                    prop_assert_eq!(parsed, deadline);
                    prop_assert_eq!(fold_of(deadline), None);
                }
                Err(LocalTimeError::Ambiguous { cest, cet, .. }) => {
                    prop_assert!(fold_of(deadline).is_some());
                    prop_assert!(deadline == cest || deadline == cet);
                    prop_assert_eq!(cet - cest, Duration::hours(1));
                }
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            }
        }

        #[test]
        fn duration_shape(seconds in any::<i64>(), nl in prop::bool::ANY) {
            let locale = if nl { Locale::Nl } else { Locale::En };
            let text = format_duration(seconds, locale);
            prop_assert!(text.ends_with(" min"));
            prop_assert_eq!(text.starts_with('\u{2212}'), seconds <= -60);
            prop_assert_eq!(text.contains(" d "), seconds.unsigned_abs() >= 86_400);
            prop_assert!(!text.contains('-'));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}", fold in prop::option::of(any_fold())) {
            let _ = parse_local(&s, fold);
        }
    }
}
