//! Normalisation before detection, and the way back to the original text.
//!
//! Reporters (or the tools they paste from) hide numbers and addresses behind characters that look
//! the same or nothing at all. The detectors see a normalised copy of the text:
//!
//! - Unicode NFKC: full-width digits and letters ("１２３", "ＮＬ９１", "＠"), mathematical and
//!   circled digits, ligatures and no-break spaces (U+00A0, U+202F, U+2007, U+3000, …) become their
//!   plain forms.
//! - Invisible characters are dropped: the format characters (Unicode category Cf: zero-width space,
//!   (non-)joiner, word joiner, BOM, soft hyphen, bidi controls, tag characters, …), variation
//!   selectors, the combining grapheme joiner and the keycap mark.
//! - Every kind of space (category Zs, and the tab) becomes a plain space; every kind of hyphen and
//!   dash (U+2010–U+2015, minus sign U+2212) becomes `-`.
//! - Decimal digits of other scripts, which NFKC leaves alone (Arabic-Indic "١٢٣", Persian "۱۲۳",
//!   Devanagari "१२३", Thai, …), become ASCII digits.
//!
//! The text is cut before every character with canonical combining class 0 (a starter) and each
//! piece (a starter and its combining marks) is normalised on its own, so each piece of output
//! comes from one known byte range of the original. That is not exactly NFKC of the whole text
//! (a few starters compose with the next starter, such as Hangul jamo), which does not matter for
//! digits, Latin letters and punctuation.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// The text the detectors see, and where each part of it came from.
pub(super) struct Normalised {
    /// The normalised text.
    pub(super) text: String,
    /// In order, covering every byte of `text`; dropped characters have none.
    spans: Vec<Span>,
}

/// Bytes `norm..norm_end` of the normalised text came from bytes `orig..orig_end` of the original.
#[derive(Debug, Clone, Copy)]
struct Span {
    norm: usize,
    norm_end: usize,
    orig: usize,
    orig_end: usize,
    /// A byte-for-byte copy (same length), so each position maps on its own.
    exact: bool,
}

impl Normalised {
    /// Normalises `original`. Linear in its length.
    pub(super) fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut spans: Vec<Span> = Vec::new();
        let mut from = 0;
        while from < original.len() {
            // A run of ASCII is copied as it is (tabs as spaces), except its last character when a
            // combining mark follows.
            let rest = &original[from..];
            let mut run = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
            if rest[run..].chars().next().is_some_and(|d| canonical_combining_class(d) != 0) {
                run = run.saturating_sub(1);
            }
            if run > 0 {
                let ascii = &rest[..run];
                let at = text.len();
                if ascii.contains('\t') {
                    text.push_str(&ascii.replace('\t', " "));
                } else {
                    text.push_str(ascii);
                }
                push_span(
                    &mut spans,
                    Span { norm: at, norm_end: text.len(), orig: from, orig_end: from + run, exact: true },
                );
                from += run;
                continue;
            }
            from = Self::piece(original, from, &mut text, &mut spans);
        }
        Normalised { text, spans }
    }

    /// Normalises the piece at `start` (a character and the combining marks after it) into `text`;
    /// returns where the next piece starts.
    fn piece(original: &str, start: usize, text: &mut String, spans: &mut Vec<Span>) -> usize {
        let mut chars = original[start..].char_indices().map(|(i, c)| (start + i, c)).peekable();
        if let Some((start, c)) = chars.next() {
            let mut end = start + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_ascii() || canonical_combining_class(d) == 0 {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            let piece = &original[start..end];
            let at = text.len();
            if c.is_ascii() && end == start + 1 {
                text.push(if c == '\t' { ' ' } else { c });
            } else {
                text.extend(piece.nfkc().filter_map(plain));
            }
            if text.len() > at {
                let exact = text.len() - at == piece.len() && (piece.len() == 1 || text[at..] == *piece);
                push_span(spans, Span { norm: at, norm_end: text.len(), orig: start, orig_end: end, exact });
            }
            return end;
        }
        original.len()
    }

    /// The byte range of the original text that bytes `start..end` of the normalised text (char
    /// boundaries, `start < end`) came from: char boundaries of the original, widened to whole
    /// pieces where a piece changed.
    pub(super) fn original(&self, start: usize, end: usize) -> (usize, usize) {
        let (Some(first), Some(last)) = (self.span_at(start), self.span_at(end.saturating_sub(1).max(start)))
        else {
            return (0, 0);
        };
        let from = if first.exact { first.orig + (start - first.norm) } else { first.orig };
        let to = if last.exact { last.orig + (end.min(last.norm_end) - last.norm) } else { last.orig_end };
        (from, to.max(from))
    }

    fn span_at(&self, p: usize) -> Option<Span> {
        let k = self.spans.partition_point(|s| s.norm <= p);
        self.spans.get(k.checked_sub(1)?).copied()
    }
}

/// Appends `span`, merged into the last one when both are exact copies and adjacent.
fn push_span(spans: &mut Vec<Span>, span: Span) {
    match spans.last_mut() {
        Some(last)
            if span.exact && last.exact && last.norm_end == span.norm && last.orig_end == span.orig =>
        {
            last.norm_end = span.norm_end;
            last.orig_end = span.orig_end;
        }
        _ => spans.push(span),
    }
}

/// What a character of the NFKC output becomes: `None` to drop it.
fn plain(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(if c == '\t' { ' ' } else { c });
    }
    if invisible(c) {
        return None;
    }
    if c.is_whitespace() && !matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') {
        return Some(' ');
    }
    if matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}') {
        return Some('-');
    }
    Some(digit(c).unwrap_or(c))
}

/// Format characters (category Cf) and the other default-ignorable marks that change nothing
/// visible: variation selectors, the combining grapheme joiner, Mongolian free variation
/// selectors, the combining keycap.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{600}'..='\u{605}'
            | '\u{61C}'
            | '\u{6DD}'
            | '\u{70F}'
            | '\u{890}'..='\u{891}'
            | '\u{8E2}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{20E3}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// The zeros of the decimal digit blocks (category Nd) that NFKC does not map to ASCII, each
/// followed by 1–9: Arabic-Indic, Extended Arabic-Indic, NKo, the Indic scripts, Thai, Lao,
/// Tibetan, Myanmar, Khmer, Mongolian, and other scripts of the BMP.
pub(super) const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
    0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0,
    0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
];

/// A decimal digit of another script as an ASCII digit.
fn digit(c: char) -> Option<char> {
    let cp = u32::from(c);
    let k = DIGIT_ZEROS.partition_point(|&z| z <= cp);
    let zero = DIGIT_ZEROS.get(k.checked_sub(1)?)?;

    char::from_digit(cp - zero, 10)
}
