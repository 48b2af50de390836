//! Markdown to plain text, the one path every text-only output takes (meta descriptions,
//! search records, feed summaries): gloss's `@/` links are page ids no other client can
//! resolve, so a link becomes its text, code spans are unwrapped and whitespace is folded.

use crate::markdown::{MAX_TABLE_CELLS, table_cells_bound};
use pulldown_cmark::{Event, Options, Parser, TagEnd};

/// The words a reader sees in `md`, on one line: link and image text kept, link targets,
/// raw HTML and Markdown punctuation dropped, runs of whitespace folded to one space.
pub fn plain_text(md: &str) -> String {
    plain_until(md, false, usize::MAX)
}

/// [`plain_text`] of the first paragraph of `md` only, read no further than about
/// `max_bytes` of text: the line a collapsed note shows.
pub fn first_paragraph(md: &str, max_bytes: usize) -> String {
    plain_until(md, true, max_bytes)
}

/// `text` on one line, cut to at most `max_chars` characters at a word boundary where it has
/// one (text in scripts written without spaces is cut between characters), trailing
/// punctuation dropped and `…` added when anything was cut.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= max_chars {
        return folded;
    }
    let cut: String = folded.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!(
        "{}…",
        cut.trim_end_matches([',', ';', ':', '.', '，', '、', '：', '；'])
    )
}

/// [`plain_text`], stopping after the first paragraph with text when `one_paragraph`, or
/// once the text is longer than `max_bytes`.
fn plain_until(md: &str, one_paragraph: bool, max_bytes: usize) -> String {
    let mut options = Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION;
    // The same bound as the HTML path, so a hostile table costs no more here.
    if table_cells_bound(md) <= MAX_TABLE_CELLS {
        options |= Options::ENABLE_TABLES;
    }
    let mut out = String::with_capacity(md.len());
    // Whether a space is owed before the next word: words of separate events run together
    // only when nothing separates them (`**bold**ly`).
    let mut space = false;
    let push = |out: &mut String, text: &str, space: &mut bool| {
        if text.starts_with(char::is_whitespace) {
            *space = true;
        }
        let mut words = 0;
        for word in text.split_whitespace() {
            if (words > 0 || *space) && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            words += 1;
        }
        if words > 0 {
            *space = text.ends_with(char::is_whitespace);
        }
    };
    for event in Parser::new_ext(md, options) {
        if out.len() > max_bytes
            || (one_paragraph && matches!(event, Event::End(TagEnd::Paragraph)) && !out.is_empty())
        {
            break;
        }
        match event {
            Event::Text(t) | Event::Code(t) => push(&mut out, &t, &mut space),
            Event::SoftBreak | Event::HardBreak | Event::Rule => space = true,
            // Block ends separate words: a heading's last word never runs into the next paragraph.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::FootnoteDefinition,
            ) => space = true,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn links_become_their_text() {
        assert_eq!(
            plain_text("Said by [John Kirby](@/entities/john-kirby) on `Tuesday`.\n\nNext  para"),
            "Said by John Kirby on Tuesday. Next para"
        );
        assert_eq!(plain_text("**bold**ly ![alt](x.png)"), "boldly alt");
        assert_eq!(plain_text("# Head\ntext <b>x</b>"), "Head text x");
        assert_eq!(
            super::first_paragraph("See [Kirby](@/entities/john-kirby)\nnow.\n\nMore.", 100),
            "See Kirby now."
        );
    }
}
