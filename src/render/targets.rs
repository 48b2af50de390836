//! Where each Web Annotation points, in documents a client can fetch and anchor in: the
//! article's kept text, published as `articles/<slug>/source.txt` (a translation's as
//! `source.<language>.txt`), and the article page.
//! Selectors describe the text of the document they target, so the seed's own positions
//! (which count dropped paragraphs) are mapped onto the kept text, and the page's are read
//! from the rendered page (`page_text`).

use super::page_text::PageText;
use crate::anchor::Article;
use crate::model::TextSide;
use crate::types::ByteRange;
use serde_json::{Value, json};

/// How many characters of context a TextQuoteSelector carries on each side.
pub(super) const CONTEXT_CHARS: usize = 32;

/// What separates two kept paragraphs in `source.txt`.
const PARAGRAPH_BREAK: &str = "\n\n";

/// An article's kept paragraphs as one text, with where each starts in it.
pub struct KeptText {
    pub text: String,
    /// Each kept block's range in the seed, and where its text starts in `text`.
    blocks: Vec<(ByteRange, usize)>,
}

impl KeptText {
    /// The kept paragraphs of one side of `art` (its seed or its translation), in order,
    /// with their original characters.
    pub fn of(art: &Article, side: TextSide) -> Self {
        let seed = art.text(side);
        let mut text = String::with_capacity(seed.len());
        let mut blocks = Vec::with_capacity(art.blocks.len());
        for (i, b) in art.blocks(side).iter().enumerate() {
            if i > 0 {
                text.push_str(PARAGRAPH_BREAK);
            }
            blocks.push((b.range, text.len()));
            text.push_str(b.range.of(seed));
        }
        Self { text, blocks }
    }

    /// `range` of the seed as a range of the kept text, when both its ends lie in kept
    /// paragraphs; a passage that runs across a dropped paragraph leaves that one out.
    pub fn map(&self, range: ByteRange) -> Option<ByteRange> {
        let at = |x: usize, is_end: bool| {
            self.blocks.iter().find_map(|&(b, start)| {
                let inside = if is_end {
                    b.start < x && x <= b.end
                } else {
                    b.start <= x && x < b.end
                };
                inside.then_some(start + x - b.start)
            })
        };
        let (start, end) = (at(range.start, false)?, at(range.end, true)?);
        (start < end).then(|| ByteRange::new(start, end))
    }
}

/// A document a target names: its URL and text, with a running count of code points, so
/// that the positions of an article's passages, in reading order, cost one pass over a
/// long page rather than one per passage.
pub struct Document<'a> {
    pub url: &'a str,
    text: &'a str,
    /// A byte offset of `text` and how many code points come before it.
    at: usize,
    chars: usize,
}

impl<'a> Document<'a> {
    pub fn new(url: &'a str, text: &'a str) -> Self {
        Self {
            url,
            text,
            at: 0,
            chars: 0,
        }
    }

    /// How many code points of the text come before byte `offset`.
    fn chars_before(&mut self, offset: usize) -> usize {
        if offset < self.at {
            (self.at, self.chars) = (0, 0);
        }
        self.chars += self.text[self.at..offset].chars().count();
        self.at = offset;
        self.chars
    }

    /// The TextQuoteSelector and TextPositionSelector of a passage of the text. Positions
    /// count Unicode code points (not bytes, not UTF-16 units) from the start of the text,
    /// as the Web Annotation model requires; prefix and suffix are the 32 code points around.
    fn selectors(&mut self, range: ByteRange) -> (Value, Value) {
        let start = self.chars_before(range.start);
        selectors(self.text, range, start)
    }
}

/// [`Document::selectors`], given how many code points precede the passage.
fn selectors(text: &str, range: ByteRange, start: usize) -> (Value, Value) {
    let len = range.of(text).chars().count();
    let before = &text[..range.start];
    let prefix_start = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let after = &text[range.end..];
    let suffix_end = after
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(after.len(), |(i, _)| i);
    let quote = json!({
        "type": "TextQuoteSelector",
        "exact": range.of(text),
        "prefix": &before[prefix_start..],
        "suffix": &after[..suffix_end],
    });
    let position = json!({"type": "TextPositionSelector", "start": start, "end": start + len});
    (quote, position)
}

/// The targets of one annotation: its passage in `source.txt` (`source`, the text of
/// `kept`) and, when the page highlights it, on the article page (`page`).
pub fn targets(
    kept: &KeptText,
    source: &mut Document,
    page: Option<(&mut Document, &PageText)>,
    id: &str,
    range: ByteRange,
) -> Vec<Value> {
    let mut out = Vec::with_capacity(2);
    if let Some(r) = kept.map(range) {
        let (quote, position) = source.selectors(r);
        out.push(json!({
            "type": "SpecificResource",
            "source": source.url,
            "selector": [quote, position],
        }));
    }
    if let Some((document, page)) = page
        && let Some(&(start, end)) = page.marks.get(id)
        && start < end
    {
        let (quote, position) = document.selectors(ByteRange::new(start, end));
        out.push(json!({
            "type": "SpecificResource",
            "source": document.url,
            "selector": [quote, position],
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_count_code_points() {
        let seed = "“Ça va” — said Wu Qian, on Thursday.";
        let start = seed.find("Wu Qian").unwrap_or_default();
        let mut doc = Document::new("u", seed);
        let (quote, position) = doc.selectors(ByteRange::new(start, start + "Wu Qian".len()));
        assert_eq!(quote["exact"], "Wu Qian");
        assert_eq!(quote["prefix"], "“Ça va” — said ");
        assert_eq!(quote["suffix"], ", on Thursday.");
        assert_eq!(position["start"], 15);
        assert_eq!(position["end"], 22);
        let chars: Vec<char> = seed.chars().collect();
        assert_eq!(chars[15..22].iter().collect::<String>(), "Wu Qian");
    }

    #[test]
    fn context_is_32_characters() {
        let seed = format!("{}QUOTE{}", "é".repeat(40), "ü".repeat(40));
        let start = seed.find("QUOTE").unwrap_or_default();
        let (quote, position) =
            Document::new("u", &seed).selectors(ByteRange::new(start, start + 5));
        assert_eq!(
            quote["prefix"].as_str().map(|s| s.chars().count()),
            Some(32)
        );
        assert_eq!(
            quote["suffix"].as_str().map(|s| s.chars().count()),
            Some(32)
        );
        assert_eq!(position["start"], 40);
    }

    #[test]
    fn positions_count_on_in_any_order() {
        let text = "ä b ç d é";
        let mut doc = Document::new("u", text);
        let at = |s: &str| text.find(s).unwrap_or_default();
        for (word, start) in [("ç", 4), ("é", 8), ("b", 2)] {
            let (_, position) = doc.selectors(ByteRange::new(at(word), at(word) + word.len()));
            assert_eq!(position["start"], start, "{word}");
        }
    }
}
