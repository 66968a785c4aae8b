//! Personal-data scanner for free text (`SECURITY.md`, "Personal data in free text"; `docs/ARCHITECTURE.md` §3).
//!
//! The tracker stores categories and counts of affected people, never the people themselves. Free
//! text typed by reporters (titles, summaries, measures, …) is scanned before saving; a [`Finding`]
//! names the kind and the byte range, never a copy of the data, so the web form can warn and the API
//! can answer `422 personal_data_detected` with the field and the kind only.
//!
//! Hand-written scanning over bytes and chars, no regex. A breach description is full of numbers
//! (dates, times, counts, references, versions, IP addresses, amounts), so precision matters as much
//! as recall. The decisions:
//!
//! - **Normalise first, then detect** (`normalise.rs`): NFKC (full-width digits and letters, `＠`,
//!   no-break spaces), invisible format characters dropped (zero-width space, joiners, word joiner,
//!   BOM, soft hyphen, …), every space a plain space, every dash a `-`, digits of other scripts
//!   (Arabic-Indic, Devanagari, …) ASCII. The detectors below see that text; every finding is mapped
//!   back to the original bytes it came from.
//! - **Numbers stand alone.** A digit run glued to a letter, digit or `_` ("AP123456782",
//!   "123456782a") is part of a word, not personal data. A run joined by `.` or `,` to more digits is
//!   part of a bigger number ("0.123456782", "123456782,50", "1.123.456.782"), and one right after a
//!   currency sign or code (`€`, `$`, `£`, `EUR`, optionally one space) is an amount. A hyphen or
//!   slash does *not* glue: in "AP-2026-123456782" the 9-digit run is standalone and flagged if (and
//!   only if) it passes the 11-test (a reporter pasting a BSN into a reference-like string is still
//!   pasting a BSN).
//! - **Email**: `local@domain.tld`, the at-sign also written `(at)`, `[at]`, `{at}` or `<at>` (with
//!   or without spaces around) or as the word `at` between spaces; the word form only with a common
//!   or European top-level domain and not after a word of prose ("look at example.com"). The local part is letters, digits and `._%+-` (a leading dot is
//!   dropped), the domain has at least two labels of letters, digits and inner hyphens, and the TLD
//!   is at least two letters. Trailing sentence punctuation is not part of the address. Unicode
//!   letters count (so "jürgen@müller.de" is redacted whole). "logo@2x.png" (a retina image name) is
//!   not an address.
//! - **BSN**: 9 digits passing the 11-test, not all zeros; written bare, or in groups `3.3.3` /
//!   `3 3 3` / `4.2.3` / `4 2 3` (the form on Dutch identity documents), also with `-` or `/`, with
//!   one separator used throughout. A grouped form that continues a longer chain ("48 123 456 782") is not a BSN.
//! - **IBAN**: a country of the SWIFT IBAN registry (the full SEPA list and more) with its exact
//!   length, check digits 02–98, mod-97 = 1, case-insensitive, compact or with a single space,
//!   hyphen or dot (the same throughout) after every 4 characters, not glued to a word on either side. A string shaped like an IBAN of a known
//!   country that fails the checks is *not* flagged, and also masks the other numeric kinds inside it
//!   (a mistyped IBAN is not a phone or card number).
//! - **Card number**: 13–19 digits, bare or in groups separated by one space, hyphen, dot or slash,
//!   the same throughout (first group 4 digits, middle groups 4–6, last 1–6, so
//!   "4111 1111 1111 1111", "4111.1111.1111.1111" and Amex "3782 822463 10005"), passing Luhn, not all one digit, and with an IIN whose length fits
//!   the network: 4 (Visa) 13/16/19; 34/37 (Amex) 15; 30/35/36/38/39 (Diners, JCB) 14–19; 51–55 and
//!   2221–2720 (Mastercard) 16; other 5 and 6 (Maestro, Discover, UnionPay) 13–19.
//! - **Phone**: Dutch mobile `06` + 8 digits, bare ("0612345678") or with the subscriber part in the
//!   groupings 8, 4-4, 2-2-2-2, 2-3-3, 3-3-2 or 4-2-2 ("06-12345678", "06 1234 5678"), also
//!   "0612 345 678", also with dots throughout ("06.12.34.56.78") or a slash after the first group
//!   ("06/12345678"). Dutch landline only with the area code set apart ("020-1234567",
//!   "010 123 4567", "(0418) 12 34 56"): area code 0 + 2 or 3 digits (not 00, not 06), subscriber
//!   part in the groupings 7, 3-4, 4-3, 3-2-2, 2-2-3 (3-digit area code) or 6, 3-3, 2-2-2 (4-digit
//!   area code). The whitelisted groupings keep dates such as "06-12-2026 10:30" out. A bare
//!   10-digit number is a phone only as `06…` (not "0201234567", not "order 1234567890").
//!   International: `+` or `00`, a country code (E.164 lengths: 1, 2 or 3 digits) and 8–13 more
//!   digits (at most 15 in all), with single spaces or hyphens and parentheses; a `(0)` trunk prefix
//!   is not counted. When the chain of digit groups runs on, the longest prefix that is a valid
//!   number is taken. A national number does not start right after a digit joined by `-`, `/`, `:`,
//!   `.` or `,` (a date, time or reference). Dots separate phone digits only when they separate
//!   all of them, a slash only the first group, and the groupings are whitelisted, so dates, IP
//!   addresses and versions stay out ("06.12.2026", "10.0.0.12").
//! - **Overlaps**: a candidate strictly enclosed by a wider candidate yields to it (a 9-digit run in
//!   "+31 111222333" is part of the phone number, digits inside an e-mail address belong to the
//!   address); otherwise the most specific kind wins: e-mail > IBAN > card > BSN > phone.
//! - **Redaction** (of the original text) repeats until nothing is found, so a number that only stands alone once its
//!   neighbour is redacted ("0612345678 123 456 782") is redacted too, and `redact` is idempotent.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::locale::Locale;
use super::texts;

mod bsn;
mod card;
mod email;
mod iban;
mod normalise;
mod phone;

use bsn::bsns;
use card::cards;
#[cfg(test)]
use card::luhn;
use email::emails;
use iban::ibans;
use normalise::Normalised;
use phone::phones;

/// A kind of personal data the scanner recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    /// An e-mail address.
    Email,
    /// A Dutch citizen service number (burgerservicenummer) passing the 11-test.
    Bsn,
    /// An international bank account number passing the ISO 13616 mod-97 check.
    Iban,
    /// A Dutch or international telephone number.
    Phone,
    /// A payment card number passing the Luhn check.
    CardNumber,
}

impl PiiKind {
    /// Machine code, as in the API's error body: "email", "bsn", "iban", "phone", "card_number".
    pub fn code(self) -> &'static str {
        match self {
            PiiKind::Email => "email",
            PiiKind::Bsn => "bsn",
            PiiKind::Iban => "iban",
            PiiKind::Phone => "phone",
            PiiKind::CardNumber => "card_number",
        }
    }

    /// The label for the web form's warning in `locale`: the text `pii-<code>`.
    pub fn label(self, locale: Locale) -> &'static str {
        let key = match self {
            PiiKind::Email => "pii-email",
            PiiKind::Bsn => "pii-bsn",
            PiiKind::Iban => "pii-iban",
            PiiKind::Phone => "pii-phone",
            PiiKind::CardNumber => "pii-card-number",
        };
        texts::text(locale, key)
    }

    /// Specificity when candidates overlap: lower wins.
    fn rank(self) -> u8 {
        match self {
            PiiKind::Email => 0,
            PiiKind::Iban => 1,
            PiiKind::CardNumber => 2,
            PiiKind::Bsn => 3,
            PiiKind::Phone => 4,
        }
    }
}

/// What was found: the kind and where (byte range in the input), never a copy of the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// The kind of personal data.
    pub kind: PiiKind,
    /// Byte offset of the first byte (on a char boundary).
    pub start: usize,
    /// Byte offset just past the last byte (on a char boundary).
    pub end: usize,
}

/// Every finding in `text`, in order of position; overlapping candidates resolved so that each span is
/// reported once with the most specific kind (IBAN > card > BSN > phone).
///
/// The detectors run on the normalised text (`normalise.rs`); each finding is mapped back to the
/// original characters it came from.
pub fn scan(text: &str) -> Vec<Finding> {
    let normalised = Normalised::new(text);
    let norm = normalised.text.as_str();
    let mut candidates = Vec::new();
    let mut blockers = Vec::new();
    emails(norm, &mut candidates);
    ibans(norm, &mut candidates, &mut blockers);
    cards(norm, &mut candidates);
    bsns(norm, &mut candidates);
    phones(norm, &mut candidates);
    let mut found: Vec<Finding> = Vec::new();
    for f in resolve(candidates, &blockers) {
        let (start, end) = normalised.original(f.start, f.end);
        // Two findings that end and start inside one changed character ("½" is "1⁄2") would
        // overlap in the original: the first one keeps it.
        if start < end && found.last().is_none_or(|last| last.end <= start) {
            found.push(Finding { kind: f.kind, start, end });
        }
    }
    found
}

/// The distinct kinds found, sorted.
pub fn kinds(text: &str) -> Vec<PiiKind> {
    scan(text).into_iter().map(|f| f.kind).collect::<BTreeSet<_>>().into_iter().collect()
}

/// `text` with every finding replaced by `[kind]`, e.g. `[email]` (for logs and previews).
///
/// Repeated until nothing is found, so the result never contains personal data the scanner
/// recognises and `redact(redact(x)) == redact(x)`. Terminates: every finding holds a digit (of any
/// script or form) or an at-sign (`@`, `＠`, `(at)`, ` at `, …), the replacements hold neither.
pub fn redact(text: &str) -> String {
    let mut current = text.to_owned();
    loop {
        let findings = scan(&current);
        if findings.is_empty() {
            return current;
        }
        let mut out = String::with_capacity(current.len());
        let mut at = 0;
        for f in findings {
            out.push_str(&current[at..f.start]);
            out.push('[');
            out.push_str(f.kind.code());
            out.push(']');
            at = f.end;
        }
        out.push_str(&current[at..]);
        current = out;
    }
}

/// Checks named fields: returns the first (field, kind) with personal data, in the order given.
///
/// The kind is that of the field's first finding by position.
pub fn first_in<'a>(fields: &[(&'a str, &str)]) -> Option<(&'a str, PiiKind)> {
    fields.iter().find_map(|&(name, value)| scan(value).first().map(|f| (name, f.kind)))
}

// ---------------------------------------------------------------------------------------------------
// Overlap resolution

fn resolve(mut found: Vec<Finding>, blockers: &[(usize, usize)]) -> Vec<Finding> {
    // IBAN-shaped strings that failed the checks mask the numeric kinds inside them.
    if !blockers.is_empty() {
        let mut sorted = blockers.to_vec();
        sorted.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (s, e) in sorted {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        found.retain(|f| {
            if matches!(f.kind, PiiKind::Email | PiiKind::Iban) {
                return true;
            }
            let k = merged.partition_point(|&(s, _)| s < f.end);
            k == 0 || merged[k - 1].1 <= f.start
        });
    }

    // A candidate strictly enclosed by a wider one yields to it.
    found.sort_unstable_by_key(|f| (f.start, Reverse(f.end)));
    let mut kept = Vec::with_capacity(found.len());
    let mut reach: Option<(usize, usize)> = None; // (furthest end so far, earliest start reaching it)
    for f in found {
        let enclosed = reach.is_some_and(|(end, start)| end > f.end || (end == f.end && start < f.start));
        match reach {
            Some((end, _)) if end >= f.end => {}
            _ => reach = Some((f.end, f.start)),
        }
        if !enclosed {
            kept.push(f);
        }
    }

    // Otherwise the most specific kind wins, then the earlier one.
    kept.sort_unstable_by_key(|f| (f.kind.rank(), f.start, Reverse(f.end)));
    let mut taken: BTreeMap<usize, Finding> = BTreeMap::new();
    for f in kept {
        let free_before = taken.range(..=f.start).next_back().is_none_or(|(_, g)| g.end <= f.start);
        let free_after = taken.range(f.start..).next().is_none_or(|(_, g)| g.start >= f.end);
        if free_before && free_after {
            taken.insert(f.start, f);
        }
    }
    taken.into_values().collect()
}

// ---------------------------------------------------------------------------------------------------
// Shared helpers: positions passed around are those of ASCII bytes, hence char boundaries.

fn byte_at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn byte_before(b: &[u8], i: usize, k: usize) -> u8 {
    i.checked_sub(k).map_or(0, |j| b[j])
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn word_before(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_some_and(is_word)
}

fn word_after(text: &str, i: usize) -> bool {
    text[i..].chars().next().is_some_and(is_word)
}

fn digits_end(b: &[u8], mut i: usize) -> usize {
    while byte_at(b, i).is_ascii_digit() {
        i += 1;
    }
    i
}

/// Starts of maximal ASCII digit runs.
fn run_starts(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    (0..b.len()).filter(|&i| b[i].is_ascii_digit() && !byte_before(b, i, 1).is_ascii_digit())
}

/// A number starting at `start` stands alone on the left: not glued to a word, not the tail of a
/// bigger number ("1.234", "0,5"), not an amount ("€ 1234").
fn free_before(text: &str, start: usize) -> bool {
    let b = text.as_bytes();
    if word_before(text, start) {
        return false;
    }
    if matches!(byte_before(b, start, 1), b'.' | b',') && byte_before(b, start, 2).is_ascii_digit() {
        return false;
    }
    let s = if byte_before(b, start, 1) == b' ' { start - 1 } else { start };
    let eur = s >= 3 && b[s - 3..s].eq_ignore_ascii_case(b"EUR") && !word_before(text, s - 3);
    !eur && !text[..s].ends_with(['€', '$', '£'])
}

/// A number ending at `end` stands alone on the right: not glued to a word, no decimals or
/// thousands following.
fn free_after(text: &str, end: usize) -> bool {
    let b = text.as_bytes();
    let decimals = matches!(byte_at(b, end), b'.' | b',') && byte_at(b, end + 1).is_ascii_digit();
    !word_after(text, end) && !decimals
}

/// Digit groups from `start` joined by one separator out of `seps`, the same one throughout; at most
/// `max + 1` groups (so callers can tell a longer chain). Returns the groups and the separator (0 if
/// none).
fn chain(b: &[u8], start: usize, seps: &[u8], max: usize) -> (Vec<(usize, usize)>, u8) {
    let mut groups = Vec::new();
    let mut sep = 0;
    let mut p = start;
    loop {
        let q = digits_end(b, p);
        groups.push((p, q));
        let s = byte_at(b, q);
        if groups.len() > max
            || !seps.contains(&s)
            || (sep != 0 && s != sep)
            || !byte_at(b, q + 1).is_ascii_digit()
        {
            return (groups, sep);
        }
        sep = s;
        p = q + 1;
    }
}

fn chain_digits(b: &[u8], groups: &[(usize, usize)]) -> Vec<u8> {
    groups.iter().flat_map(|&(s, e)| b[s..e].iter().map(|d| d - b'0')).collect()
}

/// The chain starting at `start` continues one to the left with the same separator.
fn continues_left(b: &[u8], start: usize, sep: u8) -> bool {
    sep != 0 && byte_before(b, start, 1) == sep && byte_before(b, start, 2).is_ascii_digit()
}

#[cfg(test)]
mod tests;
