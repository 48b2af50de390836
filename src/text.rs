//! Normalized views of text, so that annotators can type straight quotes and plain spaces and still match the seed, with every match mapping back to the seed's original bytes.
//!
//! The rules (DESIGN §3), decided here where the design is silent:
//! - single quotes and primes `‘ ’ ‚ ‛ ′` become `'`; double quotes `“ ” „ ‟ ″` become `"`;
//! - hyphens and dashes U+2010–U+2015 (`‐ ‑ ‒ – — ―`) and the minus sign U+2212 become `-`,
//!   because annotators type all of them as a hyphen-minus;
//! - every Unicode whitespace char (`char::is_whitespace`: NBSP, U+202F, U+2007, line breaks…)
//!   is a space, and a run of them is one space;
//! - invisible chars (soft hyphen U+00AD, zero-width space U+200B, word joiner U+2060,
//!   BOM/zero-width no-break space U+FEFF) are skipped, as if they were not there, because an
//!   annotator copying from a browser never sees them;
//! - full-width punctuation (U+FF01–U+FF5E, e.g. `，：；！？（）`) becomes its ASCII form, and the
//!   ideographic comma and full stop `、。` become `,` and `.`, because an annotator quoting Chinese
//!   or Japanese text may type either (the ideographic space U+3000 is whitespace already);
//! - nothing else changes: matching stays case-sensitive and exact.

use crate::types::ByteRange;
use std::ops::Range;

/// What normalization makes of one char of the original.
enum Class {
    Keep(char),
    Space,
    Skip,
}

fn classify(c: char) -> Class {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => Class::Keep('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => Class::Keep('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Class::Keep('-'),
        '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => Class::Skip,
        '\u{3001}' => Class::Keep(','),
        '\u{3002}' | '\u{FF61}' => Class::Keep('.'),
        // The full-width forms of ASCII sit at a fixed distance from it.
        '\u{FF01}'..='\u{FF5E}' => {
            char::from_u32(u32::from(c) - 0xFEE0).map_or(Class::Keep(c), Class::Keep)
        }
        c if c.is_whitespace() => Class::Space,
        c => Class::Keep(c),
    }
}

/// Whether a char is whitespace or invisible, so that lines made only of such chars count as blank.
fn is_blank(c: char) -> bool {
    !matches!(classify(c), Class::Keep(_))
}

/// A normalized text and the way back to the original it was made from.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    pub text: String,
    /// For each byte of `text`, the original start of the char it came from; plus one entry past the end.
    starts: Vec<usize>,
    /// For each byte of `text`, the original end of the char it came from.
    ends: Vec<usize>,
}

/// Normalize a whole text, keeping offsets: a leading or trailing run of whitespace stays one space.
pub fn normalize(original: &str) -> Normalized {
    let mut builder = Builder::with_capacity(original.len());
    builder.push_slice(original, 0);
    builder.finish(original.len())
}

impl Normalized {
    /// Maps a byte range of the normalized text back to the smallest original byte range (char boundaries) that covers it.
    ///
    /// A range past the end is clamped, and an empty or reversed one maps to an empty range at its start.
    pub fn original_range(&self, r: Range<usize>) -> ByteRange {
        let start = r.start.min(self.text.len());
        let end = r.end.min(self.text.len());
        let original_start = self.starts.get(start).copied().unwrap_or_default();
        if end <= start {
            return ByteRange::new(original_start, original_start);
        }
        // Every byte of a normalized char records the whole char's original span, so a range
        // that cuts a char still covers all of it.
        let original_end = self.ends.get(end - 1).copied().unwrap_or(original_start);
        ByteRange::new(original_start, original_end.max(original_start))
    }

    /// Maps an original byte offset to the normalized offset of the first normalized char at or after it (for paragraph boundaries).
    pub fn normalized_offset(&self, original: usize) -> usize {
        self.starts
            .partition_point(|&s| s < original)
            .min(self.text.len())
    }
}

/// Builds a normalized text one original slice at a time, so that a search text can be several paragraphs of one seed.
pub(crate) struct Builder {
    text: String,
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl Builder {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self {
            text: String::with_capacity(n),
            starts: Vec::with_capacity(n + 1),
            ends: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, c: char, original: Range<usize>) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.starts.push(original.start);
            self.ends.push(original.end);
        }
    }

    /// Adds one space unless the text already ends with one, which is how runs of whitespace collapse.
    pub(crate) fn push_space(&mut self, original: Range<usize>) {
        if !self.text.ends_with(' ') {
            self.push(' ', original);
        }
    }

    /// Adds `slice`, which starts at byte `offset` of the original.
    pub(crate) fn push_slice(&mut self, slice: &str, offset: usize) {
        for (i, c) in slice.char_indices() {
            let original = offset + i..offset + i + c.len_utf8();
            match classify(c) {
                Class::Keep(k) => self.push(k, original),
                Class::Space => self.push_space(original),
                Class::Skip => {}
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Ends the text; `end` is the original offset just past what was added.
    pub(crate) fn finish(mut self, end: usize) -> Normalized {
        self.starts.push(end);
        Normalized {
            text: self.text,
            starts: self.starts,
            ends: self.ends,
        }
    }
}

/// Normalize a short string typed by an annotator (quote, prefix, drop entry, alias): same rules, and trimmed.
pub fn normalize_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match classify(c) {
            Class::Keep(k) => out.push(k),
            Class::Space => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            Class::Skip => {}
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The paragraphs of a seed: blocks separated by one or more blank lines, each range trimmed of surrounding whitespace; empty blocks skipped.
///
/// A line is blank when it holds only whitespace and invisible chars, so "\r\n" line endings,
/// a leading UTF-8 BOM and stray zero-width spaces never start or end a paragraph.
pub fn paragraphs(seed: &str) -> Vec<ByteRange> {
    let mut out = Vec::new();
    // The start of the block's first non-blank line and the end of its last one.
    let mut block: Option<(usize, usize)> = None;
    let mut line_start = 0;
    for line in seed.split('\n') {
        let line_end = line_start + line.len();
        if line.chars().all(is_blank) {
            if let Some((start, end)) = block.take() {
                out.push(trim(seed, start, end));
            }
        } else {
            block = Some((block.map_or(line_start, |(start, _)| start), line_end));
        }
        line_start = line_end + 1;
    }
    if let Some((start, end)) = block {
        out.push(trim(seed, start, end));
    }
    out
}

/// The range `start..end` of `seed` without its leading and trailing blank chars.
fn trim(seed: &str, start: usize, end: usize) -> ByteRange {
    let block = &seed[start..end];
    let head = block.trim_start_matches(is_blank);
    let start = start + (block.len() - head.len());
    ByteRange::new(start, start + head.trim_end_matches(is_blank).len())
}

/// A script whose words are written without spaces between them, as far as matching goes:
/// a name in it can sit anywhere inside a run of its letters, so word boundaries mean nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpacelessScript {
    Han,
    Kana,
    Hangul,
}

impl SpacelessScript {
    /// The script of `c`, when it is one of Han (CJK ideographs), Kana or Hangul.
    pub fn of(c: char) -> Option<Self> {
        match c {
            '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{3134F}'
            | '\u{3005}'
            | '\u{3007}' => Some(Self::Han),
            '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' => {
                Some(Self::Kana)
            }
            '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}' => {
                Some(Self::Hangul)
            }
            _ => None,
        }
    }

    /// The BCP 47 language a run in this script is most likely written in, for a `lang`
    /// attribute: Han alone is taken as Chinese.
    pub fn language(self) -> &'static str {
        match self {
            Self::Han => "zh",
            Self::Kana => "ja",
            Self::Hangul => "ko",
        }
    }
}

/// Whether `tag` has the shape of a BCP 47 language tag: a 2–3 letter language, then
/// subtags of 1–8 letters or digits (`zh`, `zh-Hans-CN`, `en-GB`); it lands in `lang`
/// attributes, feeds and JSON-LD, so nothing else may pass.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether `c` is a letter or digit of a script written with spaces between words, so that a
/// name ending next to it would be part of a longer word.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && SpacelessScript::of(c).is_none()
}

/// CJK punctuation (U+3000–U+303F, full-width forms U+FF00–U+FF65, corner and book-title
/// brackets among them) belongs to the run of CJK text around it.
pub fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3001}'..='\u{303F}' | '\u{FF01}'..='\u{FF65}')
}

/// The longest slug `slugify` makes, so that a long title still gives a valid file name.
const MAX_SLUG: usize = 100;

/// A lowercase ASCII kebab-case slug: every script is transliterated by `deunicode`
/// (é → e, ß → ss, 中国 → zhong-guo), apostrophes vanish, anything else separates words;
/// at most 100 bytes, cut between words. A title with no ASCII spelling is spelled by its
/// code points (`symbol_slug`); "untitled" only for an empty one.
pub fn slugify(s: &str) -> String {
    let mut slug = String::new();
    // Whether a separator is due before the next letter.
    let mut gap = false;
    let mut cut_mid_word = false;
    'chars: for c in s.chars() {
        let spelling = match deunicode::deunicode_char(c) {
            _ if is_silent(c) => continue,
            Some(spelling) => spelling,
            // A letter deunicode has no spelling for is skipped like an accent, not a word break.
            None if c.is_alphanumeric() => continue,
            None => " ",
        };
        for b in spelling.bytes() {
            if !b.is_ascii_alphanumeric() {
                gap = true;
                continue;
            }
            let sep = gap && !slug.is_empty();
            if slug.len() + usize::from(sep) + 1 > MAX_SLUG {
                cut_mid_word = !sep;
                break 'chars;
            }
            if sep {
                slug.push('-');
            }
            slug.push(char::from(b.to_ascii_lowercase()));
            gap = false;
        }
    }
    if cut_mid_word && let Some(i) = slug.rfind('-') {
        slug.truncate(i);
    }
    if slug.is_empty() {
        return symbol_slug(s);
    }
    slug
}

/// A title of symbols alone (`'`, `+`, `#`) still gets a slug of its own, spelled by its
/// code points (`u27`), so that two such titles neither collide nor become `untitled`;
/// only a title with nothing but spaces is `untitled`.
fn symbol_slug(s: &str) -> String {
    let mut slug = String::new();
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        let part = format!("u{:x}", u32::from(c));
        if slug.len() + part.len() + 1 > MAX_SLUG {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&part);
    }
    if slug.is_empty() {
        slug.push_str("untitled");
    }
    slug
}

/// Apostrophes vanish from a slug without separating words ("China's" → "chinas").
fn is_silent(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_rules() {
        fn check(input: &str, expect: &str) {
            assert_eq!(normalize(input).text, expect, "normalize({input:?})");
        }
        for (input, expect) in [
            ("", ""),
            ("plain text", "plain text"),
            ("US \u{2018}aims\u{2019}", "US 'aims'"),
            ("\u{201A}low\u{201B} 5\u{2032}", "'low' 5'"),
            (
                "\u{201C}quoted\u{201D} \u{201E}low\u{201F} 6\u{2033}",
                "\"quoted\" \"low\" 6\"",
            ),
            ("2020\u{2013}2023 \u{2014} yes", "2020-2023 - yes"),
            (
                "a\u{2010}b\u{2011}c\u{2012}d\u{2015}e \u{2212}5",
                "a-b-c-d-e -5",
            ),
            ("end.\u{A0}", "end. "),
            ("a\u{202F}b\u{2007}c\u{3000}d", "a b c d"),
            (
                "\u{4F1A}\u{6664}\u{3002}\u{5434}\u{8C26}\u{FF0C}\u{8868}\u{793A}\u{FF1A}\u{201C}\u{4E2D}\u{201D}\u{FF08}\u{7F8E}\u{FF09}\u{3001}\u{FF01}\u{FF1F}\u{FF1B}",
                "\u{4F1A}\u{6664}.\u{5434}\u{8C26},\u{8868}\u{793A}:\"\u{4E2D}\"(\u{7F8E}),!?;",
            ),
            ("\u{FF21}\u{FF11}\u{3000}\u{FF5E}", "A1 ~"),
            ("one\r\n\r\ntwo\nthree", "one two three"),
            ("  lead and trail  ", " lead and trail "),
            ("\u{FEFF}bom", "bom"),
            ("zero\u{200B}width soft\u{AD}hyphen", "zerowidth softhyphen"),
            ("a \u{200B} b", "a b"),
            (
                "caf\u{E9} \u{4E2D}\u{56FD} \u{1F389}",
                "caf\u{E9} \u{4E2D}\u{56FD} \u{1F389}",
            ),
        ] {
            check(input, expect);
        }
    }

    #[test]
    fn normalize_str_trims() {
        fn check(input: &str, expect: &str) {
            assert_eq!(normalize_str(input), expect, "normalize_str({input:?})");
        }
        for (input, expect) in [
            ("", ""),
            ("   ", ""),
            ("\u{200B}", ""),
            ("  \u{201C}aims\u{201D}\u{A0}\n", "\"aims\""),
            ("a\u{A0}\u{A0} b", "a b"),
            ("\u{FEFF} x \u{200B} y \u{200B}", "x y"),
        ] {
            check(input, expect);
        }
    }

    #[test]
    fn original_ranges() {
        fn check(input: &str, normalized: Range<usize>, expect: &str) {
            let n = normalize(input);
            let r = n.original_range(normalized.clone());
            assert_eq!(r.of(input), expect, "{input:?} {normalized:?}");
        }
        let s = "A \u{201C}q\u{201D}\u{A0}\u{A0}b\u{200B}c";
        // Normalized: `A "q" bc`.
        for (range, expect) in [
            (0..1, "A"),
            (2..5, "\u{201C}q\u{201D}"),
            (3..4, "q"),
            (5..6, "\u{A0}"),
            (6..7, "b"),
            (6..8, "b\u{200B}c"),
            (0..8, s),
            (4..4, ""),
            (Range { start: 5, end: 3 }, ""),
            (7..100, "c"),
            (100..200, ""),
        ] {
            check(s, range, expect);
        }
        // A range that cuts a multibyte char still covers the whole char.
        check("\u{E9}t\u{E9}", 1..2, "\u{E9}");
        check("\u{E9}t\u{E9}", 3..4, "\u{E9}");
        // Full-width punctuation is one ASCII byte normalized, and maps back to all three bytes.
        check("\u{4F1A}\u{6664}\u{3002}\u{5434}", 6..7, "\u{3002}");
        check("\u{FF08}\u{7F8E}\u{FF09}", 0..5, "\u{FF08}\u{7F8E}\u{FF09}");
    }

    #[test]
    fn scripts() {
        assert_eq!(SpacelessScript::of('\u{4E60}'), Some(SpacelessScript::Han));
        assert_eq!(SpacelessScript::of('\u{30AB}'), Some(SpacelessScript::Kana));
        assert_eq!(
            SpacelessScript::of('\u{C11C}'),
            Some(SpacelessScript::Hangul)
        );
        assert_eq!(SpacelessScript::of('a'), None);
        assert!(is_word_char('\u{E9}') && is_word_char('9') && !is_word_char('\u{4E60}'));
        assert!(is_cjk_punctuation('\u{3002}') && !is_cjk_punctuation('.'));
    }

    #[test]
    fn normalized_offsets() {
        fn check(input: &str, original: usize, expect: usize) {
            assert_eq!(
                normalize(input).normalized_offset(original),
                expect,
                "{input:?} {original}"
            );
        }
        let s = "\u{201C}a\u{201D}\r\n\r\nb";
        // Normalized: `"a" b`.
        for (original, expect) in [(0, 0), (3, 1), (4, 2), (7, 3), (11, 4), (12, 5), (99, 5)] {
            check(s, original, expect);
        }
    }

    #[test]
    fn paragraph_blocks() {
        fn check(input: &str, expect: &[&str]) {
            let got: Vec<&str> = paragraphs(input).iter().map(|r| r.of(input)).collect();
            assert_eq!(got, expect, "paragraphs({input:?})");
        }
        check("", &[]);
        check("\n \n\t\n", &[]);
        check("one", &["one"]);
        check("one\ntwo\n\nthree", &["one\ntwo", "three"]);
        check("one\r\n\r\ntwo\r\n", &["one", "two"]);
        check(
            "\u{FEFF}Title\n\n\nBody  text.\u{A0}\n",
            &["Title", "Body  text."],
        );
        check(
            "  indented\n  \u{A0}\n\u{200B}\nnext ",
            &["indented", "next"],
        );
        check("a\n\u{FEFF}\nb", &["a", "b"]);
        check(
            "\u{4E2D}\u{6587}\n\n\u{1F389}",
            &["\u{4E2D}\u{6587}", "\u{1F389}"],
        );
    }

    #[test]
    fn slugs() {
        fn check(input: &str, expect: &str) {
            assert_eq!(slugify(input), expect, "slugify({input:?})");
        }
        for (input, expect) in [
            ("Hello, World!", "hello-world"),
            ("", "untitled"),
            ("!!!", "u21-u21-u21"),
            ("'", "u27"),
            ("\"", "u22"),
            ("  ", "untitled"),
            ("\u{4E2D}\u{56FD}", "zhong-guo"),
            (
                "\u{4E2D}\u{7F8E}\u{4E24}\u{519B}\u{4E3E}\u{884C}\u{89C6}\u{9891}\u{901A}\u{8BDD}",
                "zhong-mei-liang-jun-ju-xing-shi-pin-tong-hua",
            ),
            ("\u{41C}\u{43E}\u{441}\u{43A}\u{432}\u{430}", "moskva"),
            ("\u{1F389}", "tada"),
            ("China\u{2019}s MOD", "chinas-mod"),
            ("Caf\u{E9} Stra\u{DF}e \u{C6}sir", "cafe-strasse-aesir"),
            ("Cafe\u{301}", "cafe"),
            ("W\u{FA} Qi\u{101}n", "wu-qian"),
            ("\u{141}\u{F3}d\u{17A} 2020\u{2013}2023", "lodz-2020-2023"),
            ("  --Trim--  ", "trim"),
            ("US \u{4E2D}\u{56FD} talks", "us-zhong-guo-talks"),
            ("MQ-9 drones", "mq-9-drones"),
            (
                "Chinese MOD announces military interaction with US \u{2018}aims to cool down tensions\u{2019}",
                "chinese-mod-announces-military-interaction-with-us-aims-to-cool-down-tensions",
            ),
        ] {
            check(input, expect);
        }
        let long = "word ".repeat(100);
        let slug = slugify(&long);
        assert!(slug.len() <= MAX_SLUG && slug.ends_with("word") && !slug.contains("--"));
        let one_huge_word = "a".repeat(500);
        assert_eq!(slugify(&one_huge_word).len(), MAX_SLUG);
    }
}
