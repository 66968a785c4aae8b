//! E-mail addresses, also with the at-sign written out: `jan(at)example.nl`, `jan [at] example.nl`,
//! `jan at example.nl` (the full-width `＠` is already `@` after normalisation).

use super::{Finding, PiiKind};

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

/// How the at-sign was written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AtSign {
    /// `@`.
    Sign,
    /// In brackets: `(at)`, `[at]`, `{at}`, `<at>`, any case, with or without a space either side.
    Bracketed,
    /// The word `at` between single spaces: also prose ("look at example.nl"), so it takes more.
    Word,
}

/// Every written at-sign: where the local part ends, where the domain starts, and how.
fn at_signs(text: &str) -> impl Iterator<Item = (usize, usize, AtSign)> + '_ {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i..i + 2).is_some_and(|w| w.eq_ignore_ascii_case(b"at"));
    (0..b.len()).filter_map(move |i| match b[i] {
        b'@' => Some((i, i + 1, AtSign::Sign)),
        open @ (b'(' | b'[' | b'{' | b'<') => {
            let close = match open {
                b'(' => b')',
                b'[' => b']',
                b'{' => b'}',
                _ => b'>',
            };
            if !at(i + 1) || b.get(i + 3) != Some(&close) {
                return None;
            }
            let start = if i > 0 && b[i - 1] == b' ' { i - 1 } else { i };
            let end = if b.get(i + 4) == Some(&b' ') { i + 5 } else { i + 4 };
            Some((start, end, AtSign::Bracketed))
        }
        b' ' if at(i + 1) && b.get(i + 3) == Some(&b' ') => Some((i, i + 4, AtSign::Word)),
        _ => None,
    })
}

/// Words that come before "at" in prose: "look at example.nl" is not an address.
const PROSE_BEFORE_AT: &[&str] = &[
    "and",
    "are",
    "arrived",
    "available",
    "be",
    "been",
    "found",
    "her",
    "here",
    "him",
    "hosted",
    "is",
    "it",
    "live",
    "located",
    "look",
    "looked",
    "looking",
    "looks",
    "meet",
    "meeting",
    "met",
    "online",
    "or",
    "posted",
    "published",
    "reachable",
    "registered",
    "running",
    "see",
    "seen",
    "site",
    "stored",
    "them",
    "there",
    "us",
    "was",
    "were",
    "me",
];

/// Top-level domains for the written-out form "jan at example.nl": the common generic ones and the
/// country codes of Europe, so that "errors at server.log" or "look into main.rs" are not addresses.
const WORD_TLDS: &[&str] = &[
    "ad", "al", "at", "ba", "be", "bg", "biz", "by", "ch", "com", "cy", "cz", "de", "dk", "edu", "ee", "es",
    "eu", "fi", "fr", "gov", "gr", "hr", "hu", "ie", "info", "io", "is", "it", "li", "lt", "lu", "lv", "mc",
    "me", "mk", "mt", "net", "nl", "no", "nu", "org", "pl", "pt", "ro", "se", "si", "sk", "sm", "ua", "uk",
    "us", "va",
];

pub(super) fn emails(text: &str, out: &mut Vec<Finding>) {
    for (local_end, domain_start, sign) in at_signs(text) {
        let mut start = local_end;
        for (i, c) in text[..local_end].char_indices().rev() {
            if !is_local_char(c) {
                break;
            }
            start = i;
        }
        while text[start..local_end].starts_with('.') {
            start += 1;
        }
        let local = &text[start..local_end];
        if !local.chars().any(char::is_alphanumeric) {
            continue;
        }
        if sign == AtSign::Word && PROSE_BEFORE_AT.iter().any(|w| local.eq_ignore_ascii_case(w)) {
            continue;
        }
        let rest = &text[domain_start..];
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
            .find(|d| valid_domain(d) && (sign != AtSign::Word || word_tld(d)));
        if let Some(domain) = domain {
            out.push(Finding { kind: PiiKind::Email, start, end: domain_start + domain.len() });
        }
    }
}

fn word_tld(domain: &str) -> bool {
    let tld = domain.rsplit('.').next().unwrap_or_default();
    WORD_TLDS.iter().any(|t| tld.eq_ignore_ascii_case(t))
}
/// Longest domain name considered (DNS allows 253 characters).
const MAX_DOMAIN: usize = 255;

pub(super) fn valid_domain(domain: &str) -> bool {
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
