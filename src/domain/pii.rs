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
//! - **Numbers stand alone.** A digit run glued to a letter, digit or `_` ("AP123456782",
//!   "123456782a") is part of a word, not personal data. A run joined by `.` or `,` to more digits is
//!   part of a bigger number ("0.123456782", "123456782,50", "1.123.456.782"), and one right after a
//!   currency sign or code (`€`, `$`, `£`, `EUR`, optionally one space) is an amount. A hyphen or
//!   slash does *not* glue: in "AP-2026-123456782" the 9-digit run is standalone and flagged if (and
//!   only if) it passes the 11-test (a reporter pasting a BSN into a reference-like string is still
//!   pasting a BSN).
//! - **Email**: `local@domain.tld`; the local part is letters, digits and `._%+-` (a leading dot is
//!   dropped), the domain has at least two labels of letters, digits and inner hyphens, and the TLD
//!   is at least two letters. Trailing sentence punctuation is not part of the address. Unicode
//!   letters count (so "jürgen@müller.de" is redacted whole). "logo@2x.png" (a retina image name) is
//!   not an address.
//! - **BSN**: 9 digits passing the 11-test, not all zeros; written bare, or in groups `3.3.3` /
//!   `3 3 3` / `4.2.3` / `4 2 3` (the form on Dutch identity documents) with one separator used
//!   throughout. A grouped form that continues a longer chain ("48 123 456 782") is not a BSN.
//! - **IBAN**: a country of the SWIFT IBAN registry (the full SEPA list and more) with its exact
//!   length, check digits 02–98, mod-97 = 1, case-insensitive, compact or with single spaces after
//!   every 4 characters, not glued to a word on either side. A string shaped like an IBAN of a known
//!   country that fails the checks is *not* flagged, and also masks the other numeric kinds inside it
//!   (a mistyped IBAN is not a phone or card number).
//! - **Card number**: 13–19 digits, bare or in groups separated by one space or one hyphen
//!   throughout (first group 4 digits, middle groups 4–6, last 1–6, so "4111 1111 1111 1111" and
//!   Amex "3782 822463 10005"), passing Luhn, not all one digit, and with an IIN whose length fits
//!   the network: 4 (Visa) 13/16/19; 34/37 (Amex) 15; 30/35/36/38/39 (Diners, JCB) 14–19; 51–55 and
//!   2221–2720 (Mastercard) 16; other 5 and 6 (Maestro, Discover, UnionPay) 13–19.
//! - **Phone**: Dutch mobile `06` + 8 digits, bare ("0612345678") or with the subscriber part in the
//!   groupings 8, 4-4, 2-2-2-2, 2-3-3, 3-3-2 or 4-2-2 ("06-12345678", "06 1234 5678"), also
//!   "0612 345 678". Dutch landline only with the area code set apart ("020-1234567",
//!   "010 123 4567", "(0418) 12 34 56"): area code 0 + 2 or 3 digits (not 00, not 06), subscriber
//!   part in the groupings 7, 3-4, 4-3, 3-2-2, 2-2-3 (3-digit area code) or 6, 3-3, 2-2-2 (4-digit
//!   area code). The whitelisted groupings keep dates such as "06-12-2026 10:30" out. A bare
//!   10-digit number is a phone only as `06…` (not "0201234567", not "order 1234567890").
//!   International: `+` or `00`, a country code (E.164 lengths: 1, 2 or 3 digits) and 8–13 more
//!   digits (at most 15 in all), with single spaces or hyphens and parentheses; a `(0)` trunk prefix
//!   is not counted. When the chain of digit groups runs on, the longest prefix that is a valid
//!   number is taken. A national number does not start right after a digit joined by `-`, `/`, `:`,
//!   `.` or `,` (a date, time or reference). Dots and slashes never separate phone digits (IP
//!   addresses, versions, dates).
//! - **Overlaps**: a candidate strictly enclosed by a wider candidate yields to it (a 9-digit run in
//!   "+31 111222333" is part of the phone number, digits inside an e-mail address belong to the
//!   address); otherwise the most specific kind wins: e-mail > IBAN > card > BSN > phone.
//! - **Redaction** repeats until nothing is found, so a number that only stands alone once its
//!   neighbour is redacted ("0612345678 123 456 782") is redacted too, and `redact` is idempotent.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::locale::Locale;
use super::texts;

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
pub fn scan(text: &str) -> Vec<Finding> {
    let mut candidates = Vec::new();
    let mut blockers = Vec::new();
    emails(text, &mut candidates);
    ibans(text, &mut candidates, &mut blockers);
    cards(text, &mut candidates);
    bsns(text, &mut candidates);
    phones(text, &mut candidates);
    resolve(candidates, &blockers)
}

/// The distinct kinds found, sorted.
pub fn kinds(text: &str) -> Vec<PiiKind> {
    scan(text).into_iter().map(|f| f.kind).collect::<BTreeSet<_>>().into_iter().collect()
}

/// `text` with every finding replaced by `[kind]`, e.g. `[email]` (for logs and previews).
///
/// Repeated until nothing is found, so the result never contains personal data the scanner
/// recognises and `redact(redact(x)) == redact(x)`. Terminates: every finding holds a digit or an
/// `@`, the replacements hold neither.
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

// ---------------------------------------------------------------------------------------------------
// E-mail

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

fn emails(text: &str, out: &mut Vec<Finding>) {
    for (at, _) in text.match_indices('@') {
        let mut start = at;
        for (i, c) in text[..at].char_indices().rev() {
            if !is_local_char(c) {
                break;
            }
            start = i;
        }
        while text[start..at].starts_with('.') {
            start += 1;
        }
        if !text[start..at].chars().any(char::is_alphanumeric) {
            continue;
        }
        let rest = &text[at + 1..];
        let mut len = rest.find(|c: char| !is_domain_char(c)).unwrap_or(rest.len()).min(MAX_DOMAIN);
        while !rest.is_char_boundary(len) {
            len -= 1;
        }
        if let Some(k) = rest[..len].find("..") {
            len = k;
        }
        // The longest valid domain: "jan@example.nl-adres" is "jan@example.nl".
        let domain = std::iter::once(len)
            .chain(rest[..len].rmatch_indices(['.', '-']).map(|(k, _)| k))
            .map(|k| rest[..k].trim_end_matches(['.', '-']))
            .find(|d| valid_domain(d));
        if let Some(domain) = domain {
            out.push(Finding { kind: PiiKind::Email, start, end: at + 1 + domain.len() });
        }
    }
}

/// Longest domain name considered (DNS allows 253 characters).
const MAX_DOMAIN: usize = 255;

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-')) {
        return false;
    }
    let tld = labels[labels.len() - 1];
    if tld.chars().count() < 2 || !tld.chars().all(char::is_alphabetic) {
        return false;
    }
    // "logo@2x.png": a retina image suffix, not a domain.
    let first = labels[0];
    let retina = first.len() >= 2
        && first.ends_with(['x', 'X'])
        && first[..first.len() - 1].bytes().all(|b| b.is_ascii_digit());
    !retina
}

// ---------------------------------------------------------------------------------------------------
// IBAN

/// IBAN lengths per country (SWIFT IBAN registry): all SEPA countries and the other registered ones.
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

fn iban_length(country: [u8; 2]) -> Option<usize> {
    IBAN_LENGTHS.iter().find(|(c, _)| **c == country).map(|&(_, len)| len)
}

fn ibans(text: &str, out: &mut Vec<Finding>, blockers: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    for i in 0..b.len().saturating_sub(3) {
        let shaped = b[i].is_ascii_alphabetic()
            && b[i + 1].is_ascii_alphabetic()
            && b[i + 2].is_ascii_digit()
            && b[i + 3].is_ascii_digit();
        if !shaped || word_before(text, i) {
            continue;
        }
        let Some(len) = iban_length([b[i].to_ascii_uppercase(), b[i + 1].to_ascii_uppercase()]) else {
            continue;
        };
        // Compact characters; a single space is allowed after every 4.
        let mut pos = vec![i, i + 1, i + 2, i + 3];
        let mut p = i + 4;
        while pos.len() < len {
            if byte_at(b, p).is_ascii_alphanumeric() {
                pos.push(p);
                p += 1;
            } else if byte_at(b, p) == b' ' && pos.len() % 4 == 0 && byte_at(b, p + 1).is_ascii_alphanumeric()
            {
                p += 1;
            } else {
                break;
            }
        }
        let end = pos[pos.len() - 1] + 1;
        let check = (b[i + 2] - b'0') * 10 + (b[i + 3] - b'0');
        if pos.len() == len && !word_after(text, end) && (2..=98).contains(&check) && mod97_is_one(b, &pos) {
            out.push(Finding { kind: PiiKind::Iban, start: i, end });
        } else {
            blockers.push((i, end));
        }
    }
}

/// ISO 13616: move the first four characters to the end, letters A–Z as 10–35, remainder mod 97 is 1.
fn mod97_is_one(b: &[u8], pos: &[usize]) -> bool {
    let mut r: u32 = 0;
    for &p in pos[4..].iter().chain(&pos[..4]) {
        let c = b[p].to_ascii_uppercase();
        r = if c.is_ascii_digit() {
            (r * 10 + u32::from(c - b'0')) % 97
        } else {
            (r * 100 + u32::from(c - b'A') + 10) % 97
        };
    }
    r == 1
}

// ---------------------------------------------------------------------------------------------------
// Card numbers

fn cards(text: &str, out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    for start in run_starts(b) {
        let (groups, sep) = chain(b, start, b" -", 6);
        if groups.len() > 6 || continues_left(b, start, sep) {
            continue;
        }
        let sizes: Vec<usize> = groups.iter().map(|&(s, e)| e - s).collect();
        let n: usize = sizes.iter().sum();
        if !(13..=19).contains(&n) {
            continue;
        }
        if let [first, middle @ .., last] = sizes.as_slice()
            && (*first != 4 || middle.iter().any(|m| !(4..=6).contains(m)) || !(1..=6).contains(last))
        {
            continue;
        }
        let end = groups[groups.len() - 1].1;
        if !free_before(text, start) || !free_after(text, end) {
            continue;
        }
        let d = chain_digits(b, &groups);
        if plausible_iin(&d) && d.iter().any(|&x| x != d[0]) && luhn(&d) {
            out.push(Finding { kind: PiiKind::CardNumber, start, end });
        }
    }
}

/// The issuer prefix fits a card network, and the length fits that network.
fn plausible_iin(d: &[u8]) -> bool {
    let n = d.len();
    let p2 = u32::from(d[0]) * 10 + u32::from(d[1]);
    let p4 = p2 * 100 + u32::from(d[2]) * 10 + u32::from(d[3]);
    match d[0] {
        4 => matches!(n, 13 | 16 | 19),
        3 => match p2 {
            34 | 37 => n == 15,
            30 | 35 | 36 | 38 | 39 => (14..=19).contains(&n),
            _ => false,
        },
        5 if (51..=55).contains(&p2) => n == 16,
        5 | 6 => (13..=19).contains(&n),
        2 => (2221..=2720).contains(&p4) && n == 16,
        _ => false,
    }
}

fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 { if x * 2 > 9 { x * 2 - 9 } else { x * 2 } } else { x }
        })
        .sum();
    sum.is_multiple_of(10)
}

// ---------------------------------------------------------------------------------------------------
// BSN

fn bsns(text: &str, out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    for start in run_starts(b) {
        let (groups, sep) = chain(b, start, b". ", 3);
        let first_end = groups[0].1;
        if first_end - start == 9
            && free_before(text, start)
            && free_after(text, first_end)
            && eleven_test(&chain_digits(b, &groups[..1]))
        {
            out.push(Finding { kind: PiiKind::Bsn, start, end: first_end });
        }
        let sizes: Vec<usize> = groups.iter().map(|&(s, e)| e - s).collect();
        if sizes != [3, 3, 3] && sizes != [4, 2, 3] {
            continue;
        }
        let end = groups[2].1;
        if !continues_left(b, start, sep)
            && free_before(text, start)
            && free_after(text, end)
            && eleven_test(&chain_digits(b, &groups))
        {
            out.push(Finding { kind: PiiKind::Bsn, start, end });
        }
    }
}

/// 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11), not all zeros.
fn eleven_test(d: &[u8]) -> bool {
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i32 =
        d[..8].iter().zip((2..=9).rev()).map(|(&x, w)| i32::from(x) * w).sum::<i32>() - i32::from(d[8]);
    sum.rem_euclid(11) == 0
}

// ---------------------------------------------------------------------------------------------------
// Phone numbers

/// Groupings of the 8 digits after "06".
const MOBILE: &[&[usize]] = &[&[8], &[4, 4], &[2, 2, 2, 2], &[2, 3, 3], &[3, 3, 2], &[4, 2, 2]];
/// Groupings of the 7 digits after a 3-digit area code ("020").
const LANDLINE_7: &[&[usize]] = &[&[7], &[3, 4], &[4, 3], &[3, 2, 2], &[2, 2, 3]];
/// Groupings of the 6 digits after a 4-digit area code ("0418").
const LANDLINE_6: &[&[usize]] = &[&[6], &[3, 3], &[2, 2, 2]];

/// Two-digit country calling codes (E.164); 1 and 7 are one digit, all others three.
const TWO_DIGIT_CODES: &[u8] = &[
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58,
    60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

/// A group of digits in a phone number, possibly in parentheses.
#[derive(Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    digits: (usize, usize),
    paren: bool,
}

/// Up to 8 digit groups from `start`, separated by one space or hyphen, or adjacent to parentheses.
fn phone_tokens(b: &[u8], start: usize) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut p = start;
    while toks.len() < 8 {
        let tok = if byte_at(b, p).is_ascii_digit() {
            let q = digits_end(b, p);
            Tok { start: p, end: q, digits: (p, q), paren: false }
        } else if byte_at(b, p) == b'(' && byte_at(b, p + 1).is_ascii_digit() {
            let q = digits_end(b, p + 1);
            if byte_at(b, q) != b')' {
                break;
            }
            Tok { start: p, end: q + 1, digits: (p + 1, q), paren: true }
        } else {
            break;
        };
        toks.push(tok);
        p = tok.end;
        let token_at = |i: usize| byte_at(b, i).is_ascii_digit() || byte_at(b, i) == b'(';
        if matches!(byte_at(b, p), b' ' | b'-') && token_at(p + 1) {
            p += 1;
        } else if !(byte_at(b, p) == b'(' || (tok.paren && byte_at(b, p).is_ascii_digit())) {
            break;
        }
    }
    toks
}

fn country_code_len(d: &[u8]) -> usize {
    match d[0] {
        b'1' | b'7' => 1,
        _ => {
            let two = (d[0] - b'0') * 10 + (d[1] - b'0');
            if TWO_DIGIT_CODES.contains(&two) { 2 } else { 3 }
        }
    }
}

/// An international number from the tokens (after `+`, or after the `00` that the first token starts
/// with when `skip` is 2): the end of the longest valid prefix.
fn international(text: &str, toks: &[Tok], skip: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut digits = Vec::new();
    let mut counts = Vec::with_capacity(toks.len());
    for t in toks {
        let d = &b[t.digits.0..t.digits.1];
        if !(t.paren && d == b"0") {
            digits.extend_from_slice(d);
        }
        counts.push(digits.len());
    }
    let digits = digits.get(skip..)?;
    if digits.len() < 2 || digits[0] == b'0' {
        return None;
    }
    let cc = country_code_len(digits);
    for k in (0..toks.len()).rev() {
        let n = counts[k].saturating_sub(skip);
        if n <= cc {
            break;
        }
        let fits = (8..=13).contains(&(n - cc)) && n <= 15;
        if fits && !toks[k].paren && (k + 1 < toks.len() || free_after(text, toks[k].end)) {
            return Some(toks[k].end);
        }
    }
    None
}

/// A Dutch number from the tokens: its end.
fn national(text: &str, toks: &[Tok]) -> Option<usize> {
    let b = text.as_bytes();
    let first = toks[0];
    let fd = &b[first.digits.0..first.digits.1];
    if fd.len() < 2 || fd[0] != b'0' {
        return None;
    }
    if !first.paren && fd.len() == 10 && fd[1] == b'6' {
        return (toks.len() > 1 || free_after(text, first.end)).then_some(first.end);
    }
    let (need, groupings) = match (fd.len(), fd[1]) {
        (2, b'6') => (8, MOBILE),
        (3, b'1'..=b'5' | b'7'..=b'9') => (7, LANDLINE_7),
        (4, b'1'..=b'9') => (6, LANDLINE_6), // "0418 12 34 56", also mobile "0612 345 678"
        _ => return None,
    };
    let mut sizes = Vec::new();
    let mut total = 0;
    for (k, t) in toks.iter().enumerate().skip(1) {
        if t.paren {
            return None;
        }
        let len = t.digits.1 - t.digits.0;
        sizes.push(len);
        total += len;
        if total >= need {
            let ok = total == need
                && groupings.contains(&sizes.as_slice())
                && (k + 1 < toks.len() || free_after(text, t.end));
            return ok.then_some(t.end);
        }
    }
    None
}

fn phones(text: &str, out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    for i in 0..b.len() {
        let c = b[i];
        if c == b'+' {
            if byte_at(b, i + 1).is_ascii_digit() && !word_before(text, i) {
                let toks = phone_tokens(b, i + 1);
                if let Some(end) = international(text, &toks, 0) {
                    out.push(Finding { kind: PiiKind::Phone, start: i, end });
                }
            }
            continue;
        }
        let token_start = (c.is_ascii_digit() && !byte_before(b, i, 1).is_ascii_digit())
            || (c == b'(' && byte_at(b, i + 1).is_ascii_digit());
        if !token_start || byte_before(b, i, 1) == b'+' || !free_before(text, i) {
            continue;
        }
        // Not right after a digit joined by a date, time or reference separator.
        if matches!(byte_before(b, i, 1), b'-' | b'/' | b':') && byte_before(b, i, 2).is_ascii_digit() {
            continue;
        }
        let toks = phone_tokens(b, i);
        let Some(first) = toks.first() else { continue };
        let end = if !first.paren && b[first.start..].starts_with(b"00") {
            international(text, &toks, 2)
        } else {
            national(text, &toks)
        };
        if let Some(end) = end {
            out.push(Finding { kind: PiiKind::Phone, start: i, end });
        }
    }
}

// ---------------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ALL: [PiiKind; 5] =
        [PiiKind::Email, PiiKind::Bsn, PiiKind::Iban, PiiKind::Phone, PiiKind::CardNumber];

    /// The findings as (kind, matched text).
    fn found(text: &str) -> Vec<(PiiKind, &str)> {
        scan(text).into_iter().map(|f| (f.kind, &text[f.start..f.end])).collect()
    }

    #[track_caller]
    fn assert_single(text: &str, kind: PiiKind, data: &str) {
        assert_eq!(found(text), vec![(kind, data)], "in {text:?}");
    }

    #[track_caller]
    fn assert_clean(text: &str) {
        assert_eq!(found(text), vec![], "in {text:?}");
    }

    /// `prefix` followed by its Luhn check digit.
    fn with_luhn(prefix: &str) -> String {
        (0..10)
            .map(|c| format!("{prefix}{c}"))
            .find(|s| luhn(&s.bytes().map(|b| b - b'0').collect::<Vec<_>>()))
            .unwrap()
    }

    fn grouped(digits: &str, size: usize, sep: &str) -> String {
        digits.as_bytes().chunks(size).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(sep)
    }

    #[test]
    fn codes_and_labels() {
        let codes: Vec<_> = ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes, ["email", "bsn", "iban", "phone", "card_number"]);
        let nl: Vec<_> = ALL.iter().map(|k| k.label(Locale::Nl)).collect();
        assert_eq!(
            nl,
            ["e-mailadres", "burgerservicenummer (BSN)", "IBAN", "telefoonnummer", "creditcardnummer"]
        );
        let en: Vec<_> = ALL.iter().map(|k| k.label(Locale::En)).collect();
        assert_eq!(
            en,
            ["e-mail address", "citizen service number (BSN)", "IBAN", "telephone number", "card number"]
        );
        for k in ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::json!(k.code()));
        }
    }

    #[test]
    fn emails_are_found_without_trailing_punctuation() {
        assert_single("mail jan.jansen@example.nl.", PiiKind::Email, "jan.jansen@example.nl");
        assert_single(
            "Contact: <j.de.vries+lek@sub.example.co.uk>",
            PiiKind::Email,
            "j.de.vries+lek@sub.example.co.uk",
        );
        assert_single("(JAN_01%x@EXAMPLE.NL),", PiiKind::Email, "JAN_01%x@EXAMPLE.NL");
        assert_single("naar jürgen@müller.de!", PiiKind::Email, "jürgen@müller.de");
        assert_single("zie ...jan@example.nl...", PiiKind::Email, "jan@example.nl");
        assert_single(
            "mailto:info@mail-server.example.com?subject=x",
            PiiKind::Email,
            "info@mail-server.example.com",
        );
        assert_single("p.de.groot@gemeente.nl-adres", PiiKind::Email, "p.de.groot@gemeente.nl");
    }

    #[test]
    fn email_lookalikes_are_not_flagged() {
        for text in [
            "volg @jan op sociale media",
            "jan@localhost",
            "a@b",
            "x@y.z",
            "logo@2x.png",
            "npm i pkg@1.2.3",
            "mail ons @ servicedesk",
            "jan@.nl",
            "jan@example.n1",
            "@@@.nl",
            "jan@-example.nl",
        ] {
            assert_clean(text);
        }
    }

    #[test]
    fn valid_bsns_are_found() {
        assert_single("111222333", PiiKind::Bsn, "111222333");
        assert_single("BSN 123456782.", PiiKind::Bsn, "123456782");
        assert_single("bsn:111222333;", PiiKind::Bsn, "111222333");
        assert_single("BSN 123.456.782 van de betrokkene", PiiKind::Bsn, "123.456.782");
        assert_single("BSN 123 456 782", PiiKind::Bsn, "123 456 782");
        assert_single("BSN 1234.56.782", PiiKind::Bsn, "1234.56.782");
        assert_eq!(kinds("nummers 111222333 en 123456782"), [PiiKind::Bsn]);
        assert_eq!(scan("nummers 111222333 en 123456782").len(), 2);
    }

    #[test]
    fn invalid_or_embedded_bsns_are_not_flagged() {
        for text in [
            "123456789",      // fails the 11-test
            "123.456.789",    // fails the 11-test
            "000000000",      // passes the sum, all zeros
            "12345678",       // 8 digits
            "1234567820",     // inside a 10-digit run
            "123456782123",   // inside a 12-digit run
            "AP123456782",    // glued to letters
            "123456782a",     // glued to letters
            "file_123456782", // glued to an identifier
            "0,123456782",    // decimals
            "123456782,50",   // an amount with cents
            "€ 123456782",    // an amount
            "EUR 123456782",  // an amount
            "$111222333",     // an amount
            "1.123.456.782",  // thousands grouping
            "48 123 456 782", // part of a longer spaced chain
            "123.456.782.1",  // part of a longer dotted chain
            "12.34.56.782",   // not a BSN grouping
            "123.456 782",    // mixed separators
        ] {
            assert_clean(text);
        }
        // The same numbers, standing alone, are found: the rejections above are about the context.
        assert_single("€ 50, 123456782", PiiKind::Bsn, "123456782");
        assert_single("x 123 456 782", PiiKind::Bsn, "123 456 782");
    }

    /// Decision: a 9-digit run joined to a reference by '-' is still a standalone digit run, flagged
    /// only when it passes the 11-test.
    #[test]
    fn nine_digits_after_a_hyphenated_reference() {
        assert_clean("AP-2026-123456789");
        assert_single("AP-2026-123456782", PiiKind::Bsn, "123456782");
    }

    #[test]
    fn valid_ibans_are_found() {
        for iban in [
            "NL91ABNA0417164300",
            "NL91 ABNA 0417 1643 00",
            "nl91abna0417164300",
            "BE68539007547034",
            "BE68 5390 0754 7034",
            "DE89370400440532013000",
            "DE89 3704 0044 0532 0130 00",
            "GB29NWBK60161331926819",
            "GB29 NWBK 6016 1331 9268 19",
            "FR1420041010050500013M02606",
            "NO9386011117947",
            "CH9300762011623852957",
            "AT611904300234573201",
            "ES9121000418450200051332",
            "IT60X0542811101000000123456",
            "PL61109010140000071219812874",
            "SE4550000000058398257466",
            "IE29AIBK93115212345678",
            "LU280019400644750000",
            "PT50000201231234567890154",
            "DK5000400440116243",
            "FI2112345600000785",
        ] {
            assert_single(iban, PiiKind::Iban, iban);
            let sentence = format!("Betaald van IBAN: {iban}. Daarna niets.");
            assert_single(&sentence, PiiKind::Iban, iban);
        }
    }

    #[test]
    fn invalid_ibans_are_not_flagged() {
        for text in [
            "NL91ABNA0417164301",      // one digit changed
            "NL91 ABNA 0417 1643 01",  // one digit changed, spaced
            "NL92ABNA0417164300",      // check digits changed
            "NL91ABNA041716430",       // too short for NL
            "NL91ABNA04171643000",     // too long for NL
            "NL91 ABNA 0417 1643 001", // too long for NL, spaced
            "BE685390075470",          // too short for BE
            "XX91ABNA0417164300",      // not an IBAN country
            "ANL91ABNA0417164300",     // glued to a word
            "NL91ABNA0417164300X",     // glued to a word
            "NL9 1ABNA0417164300",     // broken layout
            "NL91A BNA0417164300",     // space not after a group of 4
        ] {
            assert_clean(text);
        }
    }

    /// An IBAN-shaped string that fails the checks is not a card number, even if a card chain inside
    /// it passes Luhn.
    #[test]
    fn failed_iban_masks_numbers_inside() {
        let card = with_luhn("411111111111111111");
        let card_spaced = grouped(&card, 4, " ");
        assert_single(&card_spaced, PiiKind::CardNumber, &card_spaced);
        let fake = format!("FR76 ABCD {card_spaced}");
        assert_clean(&fake);
    }

    #[test]
    fn valid_card_numbers_are_found() {
        for card in [
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "4111111111111111",
            "5555555555554444",
            "5555 5555 5555 4444",
            "378282246310005",
            "3782 822463 10005",
            "2223003122003222",
            "6011111111111117",
            "30569309025904",
            "4222222222222",
        ] {
            assert_single(card, PiiKind::CardNumber, card);
            let sentence = format!("Kaart {card}, verlopen.");
            assert_single(&sentence, PiiKind::CardNumber, card);
        }
        let visa19 = with_luhn("411111111111111111");
        assert_single(&visa19, PiiKind::CardNumber, &visa19);
    }

    #[test]
    fn card_lookalikes_are_not_flagged() {
        for text in [
            "4111 1111 1111 1112",     // Luhn fails
            "5555555555554445",        // Luhn fails
            "378282246310006",         // Luhn fails
            "6666666666666",           // passes Luhn, all one digit
            "41 11 11 11 11 11 11 11", // passes Luhn, not a card grouping
            "4111  1111 1111 1111",    // double space
            "4111 1111-1111 1111",     // mixed separators
            "04111111111111111",       // inside a longer run
            "1761136200000",           // a millisecond timestamp
            "4111111111111111.5",      // a decimal
            "X4111111111111111",       // glued to a word
        ] {
            assert_clean(text);
        }
        // Luhn passes, but the length does not fit the network.
        for prefix in ["4", "37", "51", "2221", "9"] {
            for len in [13, 14, 15, 16, 17, 18, 19] {
                let fits = match prefix {
                    "4" => [13, 16, 19].contains(&len),
                    "37" => len == 15,
                    "51" | "2221" => len == 16,
                    _ => false,
                };
                let number = with_luhn(&format!("{prefix}{}", "1".repeat(len - prefix.len() - 1)));
                assert_eq!(number.len(), len);
                let expected = if fits { vec![(PiiKind::CardNumber, number.as_str())] } else { vec![] };
                assert_eq!(found(&number), expected, "{number}");
            }
        }
    }

    #[test]
    fn phones_are_found() {
        for phone in [
            "0612345678",
            "06-12345678",
            "06 12345678",
            "06 1234 5678",
            "06-1234 5678",
            "06 12 34 56 78",
            "(06) 12345678",
            "020-1234567",
            "010 123 4567",
            "020 12 34 567",
            "0418-123456",
            "0418 12 34 56",
            "(0418) 123 456",
            "0612 345 678",
            "+31 6 12345678",
            "+31612345678",
            "+31 (0)20 123 4567",
            "+31(0)6-12345678",
            "+44 20 7946 0958",
            "+1 212 555 0100",
            "+49 30 12345678",
            "0031 6 12345678",
            "0031612345678",
        ] {
            assert_single(phone, PiiKind::Phone, phone);
            let sentence = format!("Bel {phone}.");
            assert_single(&sentence, PiiKind::Phone, phone);
        }
        // The longest valid prefix of a running chain.
        assert_single("bel 06 12345678 12 keer", PiiKind::Phone, "06 12345678");
        assert_single("+31 6 12345678 123 keer", PiiKind::Phone, "+31 6 12345678 123");
    }

    #[test]
    fn phone_lookalikes_are_not_flagged() {
        for text in [
            "tel. 14 020",
            "order 1234567890",
            "0201234567",       // a bare landline-like run is not flagged
            "06-12-2026 10:30", // a date and time
            "22-10-2026",
            "12:30:00",
            "0612345",                    // too short
            "061234567890",               // too long
            "06 123456789",               // 9 digits after 06 (and no BSN)
            "020 123 45",                 // too short
            "020 123 45678",              // too long
            "+31 6 1234",                 // too short
            "+0 123 456 7890",            // no country code
            "2026-10-22T12:30:00+02:00",  // a time zone offset
            "2026-0612345678",            // inside a reference
            "a+31612345678",              // glued to a word
            "0612345678b",                // glued to a word
            "06.12.34.56.78",             // dots do not separate phone digits
            "+31 6 12345678901234567890", // far too long
        ] {
            assert_clean(text);
        }
    }

    #[test]
    fn lookalike_numbers_in_breach_descriptions_are_not_flagged() {
        for text in [
            "ACME-2026-0007",
            "2026-10-22T12:30:00Z",
            "2026-10-22T12:30:00.123456789Z",
            "48.000 leden",
            "versie 1.2.3",
            "v2.10.3-rc1",
            "192.168.1.10",
            "fe80::1ff:fe23:4567:890a",
            "€ 1.234.567,89",
            "€ 1.234,56",
            "AP-2026-123456789",
            "tel. 14 020",
            "order 1234567890",
            "550e8400-e29b-41d4-a716-446655440000",
            "12345678-1234-1234-1234-123456789012",
            "KvK 12345678, postcode 1234 AB",
            "22 oktober 2026 om 12:30",
            "SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "Op 22-10-2026 om 09:15 zijn bij ACME-2026-0007 ongeveer 48.000 records van 1.234 klanten \
             gelekt (schade € 12.345,67; melding AP-2026-123456789, server 10.0.0.12, versie 4.2.1).",
        ] {
            assert_clean(text);
        }
    }

    #[test]
    fn enclosing_candidate_wins() {
        // 111222333 passes the 11-test, but here it is the subscriber part of a phone number.
        assert_single("+31 111222333", PiiKind::Phone, "+31 111222333");
        // Digits inside an address belong to the address.
        assert_single("123456782@example.nl", PiiKind::Email, "123456782@example.nl");
        assert_single("0612345678@example.nl", PiiKind::Email, "0612345678@example.nl");
    }

    #[test]
    fn findings_are_in_order_with_byte_ranges() {
        let text = "Één: jan@example.nl, BSN 123456782, IBAN NL91ABNA0417164300, tel 06-12345678, \
                    kaart 4111 1111 1111 1111.";
        let findings = scan(text);
        let got: Vec<_> = findings.iter().map(|f| (f.kind, &text[f.start..f.end])).collect();
        assert_eq!(
            got,
            [
                (PiiKind::Email, "jan@example.nl"),
                (PiiKind::Bsn, "123456782"),
                (PiiKind::Iban, "NL91ABNA0417164300"),
                (PiiKind::Phone, "06-12345678"),
                (PiiKind::CardNumber, "4111 1111 1111 1111"),
            ]
        );
        assert_eq!(findings[0].start, text.find("jan").unwrap());
        assert_eq!(
            kinds(text),
            [PiiKind::Email, PiiKind::Bsn, PiiKind::Iban, PiiKind::Phone, PiiKind::CardNumber]
        );
        assert_eq!(kinds("bel 0612345678 of 020-1234567, mail a@b.nl"), [PiiKind::Email, PiiKind::Phone]);
        assert_eq!(kinds("niets bijzonders, 48.000 leden"), []);
    }

    #[test]
    fn redact_replaces_only_the_data() {
        let text = "Mail jan@example.nl of bel 06-12345678, BSN 123.456.782; \
                    IBAN NL91 ABNA 0417 1643 00 en kaart 4111-1111-1111-1111. Klaar.";
        let redacted = redact(text);
        assert_eq!(
            redacted,
            "Mail [email] of bel [phone], BSN [bsn]; IBAN [iban] en kaart [card_number]. Klaar."
        );
        for data in ["jan@example.nl", "12345678", "123.456.782", "NL91", "0417", "4111"] {
            assert!(!redacted.contains(data), "{data} left in {redacted}");
        }
        assert_eq!(redact("niets te zien, 48.000 leden"), "niets te zien, 48.000 leden");
        assert_eq!(redact(""), "");
    }

    #[test]
    fn redact_continues_until_nothing_is_left() {
        let text = "0612345678 123 456 782";
        // In one pass the spaced BSN continues the phone's digit chain ...
        assert_eq!(found(text), [(PiiKind::Phone, "0612345678")]);
        // ... but once the phone is redacted it stands alone.
        assert_eq!(redact(text), "[phone] [bsn]");
        assert_eq!(redact(&redact(text)), redact(text));
    }

    #[test]
    fn first_in_returns_the_first_field_in_order() {
        let fields = [
            ("title", "Laptop kwijt"),
            ("summary", "Betrokkene 111222333 gebeld"),
            ("measures", "mail gestuurd naar jan@example.nl"),
        ];
        assert_eq!(first_in(&fields), Some(("summary", PiiKind::Bsn)));
        assert_eq!(first_in(&[fields[0], fields[2], fields[1]]), Some(("measures", PiiKind::Email)));
        assert_eq!(first_in(&[("title", "0612345678 en a@b.nl")]), Some(("title", PiiKind::Phone)));
        assert_eq!(first_in(&[("title", "Laptop kwijt"), ("summary", "48.000 leden")]), None);
        assert_eq!(first_in(&[]), None);
    }

    #[track_caller]
    fn check_properties(text: &str) {
        let findings = scan(text);
        for f in &findings {
            assert!(f.start < f.end && f.end <= text.len(), "{f:?}");
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{f:?}");
        }
        for w in findings.windows(2) {
            assert!(w[0].end <= w[1].start, "{w:?}");
        }
        let once = redact(text);
        assert!(scan(&once).is_empty(), "{once:?}");
        assert_eq!(redact(&once), once);
    }

    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => prop::sample::select(vec![
                "06", "+31", "0031", "(0)", "(", ")", "020", " ", " ", "-", ".", ",", "@", ":", "example.nl",
                "jan", "NL91", "ABNA", "0417", "1643", "00", "4111", "1111", "123456782", "111", "222",
                "333", "1234", "€", "é", "日本", "[bsn]", "[phone]", "2x", "_",
            ])
            .prop_map(str::to_owned),
            1 => "[0-9]{1,6}",
            1 => "\\PC{0,3}",
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn arbitrary_text_is_scanned_safely(text in "\\PC*") {
            check_properties(&text);
        }

        #[test]
        fn number_soup_is_scanned_safely(text in pieces()) {
            check_properties(&text);
        }

        #[test]
        fn arbitrary_chars_are_scanned_safely(text in any::<String>()) {
            check_properties(&text);
        }
    }
}
