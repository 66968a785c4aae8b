//! Telephone numbers.

use super::*;

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

/// Up to 8 digit groups from `start`, separated by one space or hyphen, or adjacent to parentheses;
/// or separated by dots throughout ("06.12.34.56.78"); a slash only right after the first group
/// ("06/12345678", "020/123 45 67").
fn phone_tokens(b: &[u8], start: usize) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut p = start;
    let mut dotted: Option<bool> = None; // decided by the first separator
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
        let sep = byte_at(b, p);
        let fits = match sep {
            b' ' | b'-' => dotted != Some(true),
            b'.' => dotted != Some(false),
            b'/' => dotted.is_none() && toks.len() == 1 && !tok.paren,
            _ => false,
        };
        if fits && token_at(p + 1) {
            dotted = Some(sep == b'.');
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

pub(super) fn phones(text: &str, out: &mut Vec<Finding>) {
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
