//! Where each Web Annotation points, in documents a client can fetch and anchor in: the
//! article's kept text, published as `articles/<slug>/source.txt`, and the article page.
//! Selectors describe the text of the document they target, so the seed's own positions
//! (which count dropped paragraphs) are mapped onto the kept text, and the page's are read
//! from the rendered page (`page_text`).

use super::page_text::PageText;
use crate::anchor::Article;
use crate::types::ByteRange;
use serde_json::{Value, json};

/// How many characters of context a TextQuoteSelector carries on each side.
const CONTEXT_CHARS: usize = 32;

/// What separates two kept paragraphs in `source.txt`.
const PARAGRAPH_BREAK: &str = "\n\n";

/// An article's kept paragraphs as one text, with where each starts in it.
pub struct KeptText {
    pub text: String,
    /// Each kept block's range in the seed, and where its text starts in `text`.
    blocks: Vec<(ByteRange, usize)>,
}

impl KeptText {
    /// The kept paragraphs of `art`, in order, with their original characters.
    pub fn of(art: &Article) -> Self {
        let mut text = String::with_capacity(art.seed.len());
        let mut blocks = Vec::with_capacity(art.blocks.len());
        for (i, b) in art.blocks.iter().enumerate() {
            if i > 0 {
                text.push_str(PARAGRAPH_BREAK);
            }
            blocks.push((b.range, text.len()));
            text.push_str(b.range.of(&art.seed));
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

/// The TextQuoteSelector and TextPositionSelector of a passage of `text`. Positions count
/// Unicode code points (not bytes, not UTF-16 units) from the start of the text, as the
/// Web Annotation model requires; prefix and suffix are the 32 code points around it.
pub fn selectors(text: &str, range: ByteRange) -> (Value, Value) {
    let start = text[..range.start].chars().count();
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

/// The targets of one annotation: its passage in `source.txt` (at `source_url`) and, when
/// the page highlights it, on the article page (at `page_url`).
pub fn targets(
    kept: &KeptText,
    source_url: &str,
    page: Option<(&str, &PageText)>,
    id: &str,
    range: ByteRange,
) -> Vec<Value> {
    let mut out = Vec::with_capacity(2);
    if let Some(r) = kept.map(range) {
        let (quote, position) = selectors(&kept.text, r);
        out.push(json!({
            "type": "SpecificResource",
            "source": source_url,
            "selector": [quote, position],
        }));
    }
    if let Some((url, page)) = page
        && let Some(&(start, end)) = page.marks.get(id)
        && start < end
    {
        let (quote, position) = selectors(&page.text, ByteRange::new(start, end));
        out.push(json!({
            "type": "SpecificResource",
            "source": url,
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
        let (quote, position) = selectors(seed, ByteRange::new(start, start + "Wu Qian".len()));
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
        let (quote, _) = selectors(&seed, ByteRange::new(start, start + 5));
        assert_eq!(
            quote["prefix"].as_str().map(|s| s.chars().count()),
            Some(32)
        );
        assert_eq!(
            quote["suffix"].as_str().map(|s| s.chars().count()),
            Some(32)
        );
    }
}
