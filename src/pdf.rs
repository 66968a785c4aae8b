//! Plain text to PDF: A4 pages of monospaced text with an embedded font.
//!
//! The font is DejaVu Sans Mono, compiled into the binary and embedded in every PDF (as a TrueType
//! `FontFile2` stream with a `ToUnicode` CMap), so a document looks the same in every viewer and its
//! text can be searched and copied. Nothing is read from the file system or the network.
//!
//! Layout is by character cells: every glyph of the font is one cell wide (combining marks take
//! none), so wrapping is a matter of counting. Characters the font lacks come out as `?`; control
//! characters are dropped and tabs expand to the next multiple of four columns.

use std::sync::OnceLock;

use printpdf::{
    BuiltinFont, Color, FontId, Greyscale, Line, LinePoint, Mm, OffsetDateTime, Op, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem, TextRenderingMode,
};

/// The embedded font (DejaVu Sans Mono; licence in `assets/fonts/DejaVu-LICENSE.txt`).
const FONT_BYTES: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/DejaVuSansMono.ttf"));

/// A4 in points.
const PAGE_W: f32 = 595.276;
const PAGE_H: f32 = 841.89;
/// Left and right margin (20 mm).
const MARGIN_X: f32 = 56.693;
/// Distance from the top edge to the top of the first line (20 mm).
const MARGIN_TOP: f32 = 56.693;
/// Lowest baseline a body line may have (22 mm): below it sit the rule and the footer.
const BODY_BOTTOM: f32 = 62.362;
/// Baseline of the footer line and the page number (12 mm).
const FOOTER_Y: f32 = 34.016;
/// Height of the rule between the body and the footer (17 mm).
const RULE_Y: f32 = 48.189;

const BODY_SIZE: f32 = 10.0;
const BODY_LEAD: f32 = 12.0;
const TITLE_SIZE: f32 = 14.0;
const TITLE_LEAD: f32 = 17.0;
const FOOTER_SIZE: f32 = 8.0;
/// A title longer than this many lines is cut off with an ellipsis.
const MAX_TITLE_LINES: usize = 3;
/// Columns a tab advances to a multiple of.
const TAB_WIDTH: usize = 4;

/// The font as parsed once per process, with what layout needs to know about it.
struct Face {
    font: ParsedFont,
    /// Advance of a cell as a fraction of the font size.
    cell_em: f32,
}

impl Face {
    /// Width in columns of `c` in this font: `None` where the font has no glyph for it.
    fn columns(&self, c: char) -> Option<usize> {
        let gid = self.font.lookup_glyph_index(u32::from(c)).filter(|&g| g != 0)?;
        let zero = is_combining(c) || self.font.get_glyph_width(gid) == Some(0);
        Some(usize::from(!zero))
    }
}

/// The parsed embedded font, or `None` if it could not be parsed (then the built-in Courier is used).
fn face() -> Option<&'static Face> {
    static FACE: OnceLock<Option<Face>> = OnceLock::new();
    FACE.get_or_init(|| {
        let mut font = ParsedFont::from_bytes(FONT_BYTES, 0, &mut Vec::new())?;
        // Shown as the font's name in viewers (else a random id); it is the font's PostScript name.
        font.font_name = Some("DejaVuSansMono".into());
        let upem = f32::from(font.units_per_em.max(1));
        let advance = font.lookup_glyph_index(u32::from('0')).and_then(|g| font.get_glyph_width(g))?;
        let cell_em = f32::from(advance) / upem;
        (cell_em > 0.0).then_some(Face { font, cell_em })
    })
    .as_ref()
}

/// The font a document is set in, and how wide its cells are.
struct Typeface {
    handle: PdfFontHandle,
    face: Option<&'static Face>,
    cell_em: f32,
}

impl Typeface {
    /// Number of whole cells of a font of `size` that fit in `width`.
    fn columns_in(&self, width: f32, size: f32) -> usize {
        // Truncation is intended; the result is small and positive.
        ((width / (self.cell_em * size)).floor() as usize).max(1)
    }

    /// `c` as it is set: `None` to drop it, else the character to show and its width in columns.
    fn map(&self, c: char) -> Option<(char, usize)> {
        if c.is_control() || is_invisible(c) {
            return None;
        }
        match self.face {
            Some(face) => Some(face.columns(c).map_or(('?', 1), |w| (c, w))),
            // Built-in Courier: only printable ASCII is safe in every viewer.
            None => Some(if c.is_ascii_graphic() || c == ' ' { (c, 1) } else { ('?', 1) }),
        }
    }
}

/// Combining diacritical marks. The font gives them a full cell of their own (a shaper would move
/// them onto the character before); [`text_items`] moves them back.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Format characters that have no business in plain text output: zero-width spaces and joiners,
/// bidi embeddings, overrides and isolates, word joiners and the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

/// A line set out in cells: each cell is a character and the zero-width characters (combining
/// marks) that follow it.
struct Cells {
    text: String,
    /// Byte offset in `text` where each cell starts.
    starts: Vec<usize>,
}

impl Cells {
    fn len(&self) -> usize {
        self.starts.len()
    }

    fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The text of cells `from..to`.
    fn slice(&self, from: usize, to: usize) -> &str {
        let byte = |i: usize| self.starts.get(i).copied().unwrap_or(self.text.len());
        &self.text[byte(from)..byte(to)]
    }

    fn is_space(&self, i: usize) -> bool {
        self.slice(i, i + 1) == " "
    }

    fn push(&mut self, c: char, columns: usize) {
        if columns > 0 || self.is_empty() {
            self.starts.push(self.text.len());
        }
        self.text.push(c);
    }
}

/// Turns one input line into cells: tabs expanded, control characters dropped, unknown characters
/// replaced. With `tabs` false a tab is a single space (for the title and the footer).
fn cells(tf: &Typeface, line: &str, tabs: bool) -> Cells {
    let mut out = Cells { text: String::with_capacity(line.len()), starts: Vec::with_capacity(line.len()) };
    for c in line.chars() {
        if c == '\t' {
            let n = if tabs { TAB_WIDTH - out.len() % TAB_WIDTH } else { 1 };
            (0..n).for_each(|_| out.push(' ', 1));
        } else if let Some((c, columns)) = tf.map(c) {
            out.push(c, columns);
        }
    }
    out
}

/// Wraps a line of cells at `width` columns: at the last space that fits, or mid-word when a word
/// is longer than a line. The spaces at a break are dropped. An empty line stays one empty line.
fn wrap(cells: &Cells, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut start = 0;
    while cells.len() - start > width {
        // A break at `p` keeps cells[start..p], so it must end in a non-space and fit.
        let brk = (start + 1..=start + width).rev().find(|&p| cells.is_space(p) && !cells.is_space(p - 1));
        let end = brk.unwrap_or(start + width);
        out.push(cells.slice(start, end).to_owned());
        start = end;
        if brk.is_some() {
            while start < cells.len() && cells.is_space(start) {
                start += 1;
            }
            if start == cells.len() {
                return out;
            }
        }
    }
    out.push(cells.slice(start, cells.len()).to_owned());
    out
}

/// A single line (title or footer): newlines become spaces, spaces at either end go.
fn single_line(tf: &Typeface, s: &str) -> Cells {
    let flat: String = s.chars().map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }).collect();
    // Trim after mapping: dropped characters may have exposed spaces at either end.
    let mapped = cells(tf, &flat, false);
    cells(tf, mapped.text.trim_matches(' '), false)
}

/// Cuts `lines` to at most `max` lines of at most `width` columns, ending in an ellipsis if cut.
fn cap_lines(tf: &Typeface, mut lines: Vec<String>, max: usize, width: usize) -> Vec<String> {
    if lines.len() <= max {
        return lines;
    }
    lines.truncate(max);
    let ellipsis = match tf.map('…') {
        Some(('…', 1)) => "…",
        _ => "...",
    };
    if let Some(last) = lines.last_mut() {
        let keep = width.saturating_sub(ellipsis.chars().count());
        *last = last.chars().take(keep).collect::<String>() + ellipsis;
    }
    lines
}

/// A4 pages of monospaced text: a bold-ish (larger) title line, then `text` wrapped at the page width
/// (hard wrap at word boundaries, long words split), with page numbers "n / N" at the bottom and the
/// `footer` line on every page.
///
/// Every line of `text` starts a new line (blank lines stay blank); tabs expand to the next multiple
/// of four columns, control characters are dropped and characters the font lacks are shown as `?`.
/// A title longer than three lines is cut off with "…". The font is embedded, so the PDF looks the
/// same everywhere. Never panics.
pub fn text_document(title: &str, footer: &str, text: &str) -> Vec<u8> {
    render(face(), title, footer, text)
}

/// [`text_document`] in `face`, or in the built-in Courier if that is `None`.
fn render(face: Option<&'static Face>, title: &str, footer: &str, text: &str) -> Vec<u8> {
    let mut doc = PdfDocument::new("");
    let tf = match face {
        Some(face) => {
            let id: FontId = doc.add_font(&face.font);
            Typeface { handle: PdfFontHandle::External(id), face: Some(face), cell_em: face.cell_em }
        }
        None => Typeface { handle: PdfFontHandle::Builtin(BuiltinFont::Courier), face: None, cell_em: 0.6 },
    };
    let text_w = PAGE_W - 2.0 * MARGIN_X;

    let title_cols = tf.columns_in(text_w, TITLE_SIZE);
    let title_cells = single_line(&tf, title);
    let title_lines = if title_cells.is_empty() { Vec::new() } else { wrap(&title_cells, title_cols) };
    let title_lines = cap_lines(&tf, title_lines, MAX_TITLE_LINES, title_cols);
    let info = &mut doc.metadata.info;
    info.document_title = title_lines.join(" ");
    info.creator = env!("CARGO_PKG_NAME").into();
    info.creation_date = OffsetDateTime::now_utc();
    info.modification_date = info.creation_date;

    let body_cols = tf.columns_in(text_w, BODY_SIZE);
    let body: Vec<String> = text.lines().flat_map(|line| wrap(&cells(&tf, line, true), body_cols)).collect();

    // Baselines: the title at the top of page 1, the body below it (and at the top of later pages).
    let top = PAGE_H - MARGIN_TOP;
    let body_top_rest = top - BODY_SIZE;
    let body_top_first = if title_lines.is_empty() {
        body_top_rest
    } else {
        // One blank body line between the last title line and the text.
        top - TITLE_SIZE - TITLE_LEAD * (title_lines.len() - 1) as f32 - 2.0 * BODY_LEAD
    };
    let fits = |y_top: f32| ((y_top - BODY_BOTTOM) / BODY_LEAD).floor().max(0.0) as usize + 1;
    let (first_cap, rest_cap) = (fits(body_top_first), fits(body_top_rest));

    let mut chunks: Vec<&[String]> = Vec::new();
    let (first, rest) = body.split_at(first_cap.min(body.len()));
    chunks.push(first);
    chunks.extend(rest.chunks(rest_cap));
    let total = chunks.len();

    let footer_cells = single_line(&tf, footer);
    let footer_cols = tf.columns_in(text_w, FOOTER_SIZE);

    let pages = chunks
        .iter()
        .enumerate()
        .map(|(i, lines)| {
            let mut ops = Vec::new();
            if i == 0 && !title_lines.is_empty() {
                // Bold-ish: fill and stroke the glyph outlines.
                ops.extend([
                    Op::SetOutlineColor { col: black() },
                    Op::SetOutlineThickness { pt: Pt(0.35) },
                    Op::SetTextRenderingMode { mode: TextRenderingMode::FillStroke },
                ]);
                text_block(&mut ops, &tf, TITLE_SIZE, TITLE_LEAD, MARGIN_X, top - TITLE_SIZE, &title_lines);
                ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::Fill });
            }
            let y = if i == 0 { body_top_first } else { body_top_rest };
            text_block(&mut ops, &tf, BODY_SIZE, BODY_LEAD, MARGIN_X, y, lines);

            // Footer: a thin rule, the footer text on the left and "n / N" on the right.
            let number = format!("{} / {}", i + 1, total);
            let number_cols = number.chars().count();
            let room = footer_cols.saturating_sub(number_cols + 2);
            let footer_line = cap_lines(&tf, wrap(&footer_cells, room.max(1)), 1, room).join("");
            ops.extend([
                Op::SetOutlineColor { col: Color::Greyscale(Greyscale { percent: 0.6, icc_profile: None }) },
                Op::SetOutlineThickness { pt: Pt(0.5) },
                Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint { p: Point { x: Pt(MARGIN_X), y: Pt(RULE_Y) }, bezier: false },
                            LinePoint { p: Point { x: Pt(PAGE_W - MARGIN_X), y: Pt(RULE_Y) }, bezier: false },
                        ],
                        is_closed: false,
                    },
                },
            ]);
            if !footer_line.is_empty() {
                text_block(&mut ops, &tf, FOOTER_SIZE, FOOTER_SIZE, MARGIN_X, FOOTER_Y, &[footer_line]);
            }
            let number_x = PAGE_W - MARGIN_X - number_cols as f32 * tf.cell_em * FOOTER_SIZE;
            text_block(&mut ops, &tf, FOOTER_SIZE, FOOTER_SIZE, number_x, FOOTER_Y, &[number]);
            PdfPage::new(Mm(210.0), Mm(297.0), ops)
        })
        .collect();

    doc.with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new())
}

/// `line` as text runs, with the advance of each combining mark taken back so that it sits on the
/// character before it.
fn text_items(tf: &Typeface, line: &str) -> Vec<TextItem> {
    if tf.face.is_none() || !line.chars().any(is_combining) {
        return vec![TextItem::Text(line.to_owned())];
    }
    let mut items = Vec::new();
    let mut run = String::new();
    for c in line.chars() {
        if is_combining(c) {
            if !run.is_empty() {
                items.push(TextItem::Text(std::mem::take(&mut run)));
            }
            // Back one cell (in thousandths of an em; positive moves left): the font draws the mark
            // inside its own cell, so this puts it over the character before, and its advance
            // brings the pen back to where it was.
            items.push(TextItem::Offset(tf.cell_em * 1000.0));
        }
        run.push(c);
    }
    if !run.is_empty() {
        items.push(TextItem::Text(run));
    }
    items
}

fn black() -> Color {
    Color::Greyscale(Greyscale { percent: 0.0, icc_profile: None })
}

/// Appends a text section showing `lines` from baseline `(x, y)` downwards, `lead` apart.
fn text_block(ops: &mut Vec<Op>, tf: &Typeface, size: f32, lead: f32, x: f32, y: f32, lines: &[String]) {
    ops.extend([
        Op::StartTextSection,
        Op::SetFillColor { col: black() },
        Op::SetFont { font: tf.handle.clone(), size: Pt(size) },
        Op::SetLineHeight { lh: Pt(lead) },
        Op::SetTextCursor { pos: Point { x: Pt(x), y: Pt(y) } },
    ]);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            ops.push(Op::AddLineBreak);
        }
        if !line.is_empty() {
            ops.push(Op::ShowText { items: text_items(tf, line) });
        }
    }
    ops.push(Op::EndTextSection);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(bytes: &[u8]) -> lopdf::Document {
        lopdf::Document::load_mem(bytes).expect("the PDF parses")
    }

    fn page_count(bytes: &[u8]) -> usize {
        load(bytes).get_pages().len()
    }

    /// The embedded font, for layout tests (the handle is not used there).
    fn embedded() -> Typeface {
        let face = face().expect("the embedded font parses");
        Typeface {
            handle: PdfFontHandle::Builtin(BuiltinFont::Courier),
            face: Some(face),
            cell_em: face.cell_em,
        }
    }

    fn numbered_lines(n: usize) -> String {
        (1..=n).map(|i| format!("line {i}\n")).collect()
    }

    #[test]
    fn pdf_parses_and_page_one_has_title_body_and_footer() {
        let bytes =
            text_document("Incident 2024-017", "Vertrouwelijk", "First line.\n\nThe known line here.\n");
        assert!(bytes.starts_with(b"%PDF-"));
        let doc = load(&bytes);
        assert_eq!(doc.get_pages().len(), 1);
        let text = doc.extract_text(&[1]).expect("text extracts");
        assert!(text.contains("Incident 2024-017"), "{text:?}");
        assert!(text.contains("The known line here."), "{text:?}");
        assert!(text.contains("Vertrouwelijk"), "{text:?}");
        assert!(text.contains("1 / 1"), "{text:?}");
    }

    #[test]
    fn font_is_embedded_with_a_to_unicode_map() {
        let doc = load(&text_document("T", "F", "hello"));
        let dicts: Vec<&lopdf::Dictionary> = doc
            .objects
            .values()
            .filter_map(|o| match o {
                lopdf::Object::Dictionary(d) => Some(d),
                lopdf::Object::Stream(s) => Some(&s.dict),
                _ => None,
            })
            .collect();
        let file = dicts.iter().find_map(|d| d.get(b"FontFile2").or_else(|_| d.get(b"FontFile3")).ok());
        let id =
            file.expect("a font descriptor with an embedded font file").as_reference().expect("a reference");
        let stream = doc.get_object(id).and_then(|o| o.as_stream()).expect("the font file stream");
        let program = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        assert!(program.len() > 1000, "font program is {} bytes", program.len());
        assert!(dicts.iter().any(|d| d.has(b"ToUnicode")), "no ToUnicode CMap");
    }

    #[test]
    fn builtin_font_fallback_works() {
        let doc = load(&render(None, "Fallback title", "foot", "plain line\ncafé → ok"));
        let text = doc.extract_text(&[1]).expect("text extracts");
        assert!(text.contains("Fallback title") && text.contains("plain line"), "{text:?}");
        assert!(text.contains("caf? ? ok"), "{text:?}");
    }

    #[test]
    fn dutch_text_maps_to_font_glyphs() {
        let s = "Één coördinatie — naïef, één café: €5 → ü ó – klaar";
        let tf = embedded();
        let line = wrap(&cells(&tf, s, true), 200).concat();
        assert_eq!(line, s, "every character of Dutch text is in the font");
        let doc = load(&text_document("Rapport — één", "", s));
        let text = doc.extract_text(&[1]).expect("text extracts");
        assert!(text.contains("coördinatie"), "{text:?}");
        assert!(text.contains("€5 → ü"), "{text:?}");
    }

    #[test]
    fn missing_and_control_characters_are_replaced_or_dropped() {
        let tf = embedded();
        let got = wrap(&cells(&tf, "a\u{1F600}b\u{7}c\rd\u{202E}e\u{FEFF}f", true), 80).concat();
        assert_eq!(got, "a?bcdef");
    }

    #[test]
    fn tabs_expand_to_multiples_of_four() {
        let tf = embedded();
        assert_eq!(wrap(&cells(&tf, "\tx\ty", true), 80).concat(), "    x   y");
        assert_eq!(wrap(&cells(&tf, "abcd\tx", true), 80).concat(), "abcd    x");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_splits_long_words() {
        let tf = Typeface { handle: PdfFontHandle::Builtin(BuiltinFont::Courier), face: None, cell_em: 0.6 };
        let w = |s: &str, n| wrap(&cells(&tf, s, true), n);
        assert_eq!(w("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
        assert_eq!(w("aaa bbb ccc", 6), ["aaa", "bbb", "ccc"]);
        assert_eq!(w("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(w("ab abcdefghij", 4), ["ab", "abcd", "efgh", "ij"]);
        assert_eq!(w("aaa    ", 3), ["aaa"]);
        assert_eq!(w("   indented", 80), ["   indented"]);
        assert_eq!(w("", 80), [""]);
        for line in w(&"word ".repeat(100), 80) {
            assert!(line.chars().count() <= 80);
        }
    }

    #[test]
    fn combining_marks_take_no_column() {
        let tf = embedded();
        let e = "e\u{301}";
        assert_eq!(wrap(&cells(&tf, &e.repeat(3), true), 2), [e.repeat(2), e.to_owned()]);
        let items = text_items(&tf, "e\u{301}x");
        assert!(
            matches!(&items[..], [TextItem::Text(a), TextItem::Offset(o), TextItem::Text(b)]
                if a == "e" && *o > 500.0 && b == "\u{301}x"),
            "the mark is moved back onto the e: {items:?}"
        );
    }

    #[test]
    fn blank_lines_stay_blank() {
        let tf = embedded();
        let body: Vec<String> = "a\n\n\nb".lines().flat_map(|l| wrap(&cells(&tf, l, true), 80)).collect();
        assert_eq!(body, ["a", "", "", "b"]);
    }

    #[test]
    fn page_count_grows_with_text_length() {
        let counts: Vec<usize> = [0, 10, 100, 500]
            .iter()
            .map(|&n| page_count(&text_document("T", "F", &numbered_lines(n))))
            .collect();
        assert_eq!(counts[0], 1);
        assert_eq!(counts[1], 1);
        assert!(counts[2] > counts[1] && counts[3] > counts[2], "{counts:?}");
        let doc = load(&text_document("T", "F", &numbered_lines(100)));
        let last = doc.extract_text(&[counts[2] as u32]).expect("text extracts");
        assert!(last.contains("line 100") && last.contains(&format!("{0} / {0}", counts[2])), "{last:?}");
    }

    #[test]
    fn ten_thousand_lines_make_many_pages() {
        let n = page_count(&text_document("Big", "footer", &numbered_lines(10_000)));
        assert!((150..=200).contains(&n), "{n} pages");
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let long = "x".repeat(5_000);
        let spaces = " ".repeat(1_000);
        for (title, footer, text) in [
            ("", "", ""),
            ("\n\n", "\t", "\n"),
            (long.as_str(), long.as_str(), long.as_str()),
            (spaces.as_str(), spaces.as_str(), spaces.as_str()),
            ("\u{301}", "\u{301}", "\u{301}\u{301}x\u{301}"),
            ("(unbalanced \\ paren", ")", "(\\)"),
        ] {
            let bytes = text_document(title, footer, text);
            assert!(page_count(&bytes) >= 1);
        }
        let doc = load(&text_document(&long, "", "body"));
        let text = doc.extract_text(&[1]).expect("text extracts");
        assert!(text.contains('…') || text.contains("..."), "long title is cut off: {text:?}");
    }

    #[test]
    fn random_odd_characters_do_not_panic() {
        const ODD: &[char] = &[
            '\0',
            '\u{7}',
            '\u{8}',
            '\t',
            '\n',
            '\r',
            '\u{b}',
            '\u{c}',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{a0}',
            '\u{ad}',
            '\u{301}',
            '\u{5d0}',
            '\u{627}',
            '\u{644}',
            '\u{200b}',
            '\u{200d}',
            '\u{200f}',
            '\u{202e}',
            '\u{2028}',
            '\u{2029}',
            '\u{2066}',
            '\u{fe0f}',
            '\u{feff}',
            '\u{fffd}',
            '\u{ffff}',
            '\u{1f600}',
            '\u{1f468}',
            '\u{10ffff}',
            '漢',
            'é',
            '€',
            '—',
            '(',
            ')',
            '\\',
            '%',
            ' ',
            ' ',
            ' ',
            'a',
            'Z',
        ];
        // xorshift: deterministic and dependency-free.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut gen_str = |max: u64| -> String {
            let len = next() % max;
            (0..len)
                .map(|_| match next() % 3 {
                    0 => char::from_u32((next() % 0x11_0000) as u32).unwrap_or('\u{fffd}'),
                    _ => ODD[(next() % ODD.len() as u64) as usize],
                })
                .collect()
        };
        // Layout alone is cheap: many inputs, every wrapped line fits.
        let tf = embedded();
        for i in 0..500 {
            let width = 1 + i % 90;
            for line in gen_str(600).lines().flat_map(|l| wrap(&cells(&tf, l, true), width)) {
                assert!(cells(&tf, &line, true).len() <= width, "{line:?} is wider than {width}");
            }
        }
        // Whole documents cost a font embedding each: fewer.
        for _ in 0..8 {
            let (title, footer, text) = (gen_str(300), gen_str(300), gen_str(6_000));
            assert!(page_count(&text_document(&title, &footer, &text)) >= 1);
        }
    }
}
