//! International bank account numbers.

use super::*;

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

pub(super) fn ibans(text: &str, out: &mut Vec<Finding>, blockers: &mut Vec<(usize, usize)>) {
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
        // Compact characters; a single space, hyphen or dot (the same one throughout) is allowed
        // after every 4.
        let mut pos = vec![i, i + 1, i + 2, i + 3];
        let mut p = i + 4;
        let mut sep = 0;
        while pos.len() < len {
            let c = byte_at(b, p);
            if c.is_ascii_alphanumeric() {
                pos.push(p);
                p += 1;
            } else if matches!(c, b' ' | b'-' | b'.')
                && (sep == 0 || sep == c)
                && pos.len() % 4 == 0
                && byte_at(b, p + 1).is_ascii_alphanumeric()
            {
                sep = c;
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
pub(super) fn mod97_is_one(b: &[u8], pos: &[usize]) -> bool {
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
