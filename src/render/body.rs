//! An article's text as HTML: its kept paragraphs with highlights and mention links, the
//! sentence around a mention (for entity pages), and deep links into the original.

use crate::anchor::Article;
use crate::config::LinkMentions;
use crate::html::escape;
use crate::ix::EntityIx;
use crate::link::{ArticleLinks, Mention};
use crate::model::TextSide;
use crate::render::view::{BlockView, EntityRef};
use crate::types::ByteRange;
// Fx: the maps are rebuilt for every article on every render.
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// An article's kept paragraphs as HTML: escaped text, highlights as (nested) `<mark>`s,
/// mentions as links. Overlapping annotations are split into flat segments so that the
/// markup always nests properly. With a translation, each block also carries its
/// translated paragraph, marked the same way.
pub(super) fn body_blocks(
    art: &Article,
    links: &ArticleLinks,
    mode: LinkMentions,
    entity_ref: impl Fn(EntityIx) -> EntityRef,
) -> Vec<BlockView> {
    let mut first_mention: HashMap<EntityIx, usize> = HashMap::default();
    for (mi, m) in links.mentions.iter().enumerate() {
        first_mention.entry(m.entity).or_insert(mi);
    }
    // Each annotation's note goes with the first block its passage touches.
    let note_block: Vec<Option<usize>> = art
        .annotations
        .iter()
        .map(|a| art.block_of(a.side, a.range))
        .collect();
    let marking = Marking {
        art,
        links,
        mode,
        first_mention: &first_mention,
        entity_ref: &entity_ref,
    };
    let original = marking.side_html(TextSide::Original);
    let mut translated = art
        .translation
        .as_ref()
        .map(|_| marking.side_html(TextSide::Translation).into_iter());
    original
        .into_iter()
        .zip(&art.blocks)
        .enumerate()
        .map(|(bi, (html, block))| BlockView {
            kind: if block.heading { "h" } else { "p" },
            html,
            translation_html: translated.as_mut().and_then(Iterator::next),
            notes: (0..art.annotations.len())
                .filter(|&i| note_block[i] == Some(bi))
                .collect(),
        })
        .collect()
}

/// What marking up one of an article's texts needs.
struct Marking<'a, F> {
    art: &'a Article,
    links: &'a ArticleLinks,
    mode: LinkMentions,
    /// Each entity's first mention, for `link_mentions = "first"`.
    first_mention: &'a HashMap<EntityIx, usize>,
    entity_ref: &'a F,
}

impl<F: Fn(EntityIx) -> EntityRef> Marking<'_, F> {
    /// The HTML of each kept paragraph of one side of the article.
    fn side_html(&self, side: TextSide) -> Vec<String> {
        let art = self.art;
        let text = art.text(side);
        let blocks = art.blocks(side);
        // Mentions keep their index among all the article's, which names their anchor (`#m3`).
        let side_mentions: Vec<(usize, &Mention)> = self
            .links
            .mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.side == side)
            .collect();
        let mut mention_ix = 0;
        // Across blocks: a highlight that spans a paragraph break gets its id only once.
        let mut opened_ann = BTreeSet::new();
        let mut out = Vec::with_capacity(blocks.len());
        for (bi, block) in blocks.iter().enumerate() {
            let br = block.range;
            let anns: Vec<(usize, ByteRange)> = art
                .annotations
                .iter()
                .enumerate()
                .filter(|(_, a)| a.side == side && a.range.overlaps(br))
                .map(|(i, a)| {
                    (
                        i,
                        ByteRange::new(a.range.start.max(br.start), a.range.end.min(br.end)),
                    )
                })
                .collect();
            let mentions: Vec<(usize, &Mention)> = side_mentions
                .iter()
                .skip(mention_ix)
                .take_while(|(_, m)| m.block == bi)
                .copied()
                .collect();
            mention_ix += mentions.len();
            let mut cuts: BTreeSet<usize> = [br.start, br.end].into_iter().collect();
            for (_, r) in &anns {
                cuts.insert(r.start);
                cuts.insert(r.end);
            }
            for (_, m) in &mentions {
                cuts.insert(m.range.start.clamp(br.start, br.end));
                cuts.insert(m.range.end.clamp(br.start, br.end));
            }
            let cuts: Vec<usize> = cuts.into_iter().collect();
            let mut html = String::with_capacity(br.len() * 2);
            let mut opened_mention = BTreeSet::new();
            let mut mention_cursor = 0;
            for w in cuts.windows(2) {
                let seg = ByteRange::new(w[0], w[1]);
                if seg.is_empty() {
                    continue;
                }
                let covering: Vec<(usize, ByteRange)> = anns
                    .iter()
                    .filter(|(_, r)| r.contains(seg))
                    .copied()
                    .collect();
                for &(i, r) in &covering {
                    let a = &art.annotations[i];
                    let first = opened_ann.insert(i);
                    let _ = write!(
                        html,
                        "<mark class=\"hl hl-{}\" data-ann=\"{}\"",
                        a.kind.as_str(),
                        escape(a.id.as_str())
                    );
                    if first {
                        let _ = write!(html, " id=\"{}\" tabindex=\"0\"", escape(a.id.as_str()));
                    }
                    // The footnote number follows the passage's last segment, as a footnote mark does.
                    if seg.end == r.end
                        && !blocks
                            .get(bi + 1)
                            .is_some_and(|b| b.range.overlaps(a.range))
                    {
                        let _ = write!(html, " data-n=\"{}\"", i + 1);
                    }
                    let _ = write!(
                        html,
                        " aria-describedby=\"note-{}\">",
                        escape(a.id.as_str())
                    );
                }
                // Mentions are sorted and disjoint and segments come in order, so a cursor finds
                // the one covering this segment; a search per segment is quadratic in a paragraph
                // that names an entity a hundred thousand times.
                while mentions
                    .get(mention_cursor)
                    .is_some_and(|(_, m)| m.range.end <= seg.start)
                {
                    mention_cursor += 1;
                }
                let mention = mentions
                    .get(mention_cursor)
                    .filter(|(_, m)| m.range.contains(seg));
                let mut close_a = "";
                if let Some(&(mi, m)) = mention {
                    let link = match self.mode {
                        LinkMentions::All => true,
                        LinkMentions::First => self.first_mention.get(&m.entity) == Some(&mi),
                        LinkMentions::None => false,
                    };
                    let id_attr = if opened_mention.insert(mi) {
                        format!(" id=\"m{}\"", mi + 1)
                    } else {
                        String::new()
                    };
                    if link {
                        let e = (self.entity_ref)(m.entity);
                        let _ = write!(
                            html,
                            "<a class=\"mention mention-{}\" href=\"{}\"{id_attr}>",
                            e.kind,
                            escape(&e.url)
                        );
                        close_a = "</a>";
                    } else {
                        let _ = write!(html, "<span class=\"mention-plain\"{id_attr}>");
                        close_a = "</span>";
                    }
                }
                html.push_str(&escape(seg.of(text)));
                html.push_str(close_a);
                for _ in &covering {
                    html.push_str("</mark>");
                }
            }
            out.push(html);
        }
        out
    }
}

/// A sentence around a mention, as a range of the seed, and whether it was cut short.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Sentence {
    pub(super) range: ByteRange,
    pub(super) cut_before: bool,
    pub(super) cut_after: bool,
}

/// The sentence of `block` around `mention`. A sentence is sought only so far out: a
/// paragraph without full stops would otherwise be copied whole beside each of its
/// mentions, and scanned once per mention.
pub(super) fn sentence_range(seed: &str, block: ByteRange, mention: ByteRange) -> Sentence {
    let text = block.of(seed);
    let (ms, me) = (mention.start - block.start, mention.end - block.start);
    let lo = crate::types::floor_char_boundary(text, ms.saturating_sub(SENTENCE_REACH));
    let mut hi = (me + SENTENCE_REACH).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    let start = lo + sentence_start(&text[lo..], ms - lo);
    let end = sentence_end(&text[..hi], me);
    Sentence {
        range: ByteRange::new(block.start + start, block.start + end),
        cut_before: start == lo && lo > 0,
        cut_after: end == hi && hi < text.len(),
    }
}

/// A sentence, escaped and with collapsed spaces, with `marks` (sorted, disjoint ranges
/// inside it: the mentions) in `<strong>` and the passages of `highlights` (ranges with
/// their annotation kind) in `<mark>`, and "…" where it was cut short. The text is cut
/// at every boundary so that the elements always nest.
pub(super) fn marked_html(
    seed: &str,
    sentence: Sentence,
    marks: &[ByteRange],
    highlights: &[(ByteRange, &str)],
) -> String {
    let r = sentence.range;
    let mut cuts: BTreeSet<usize> = [r.start, r.end].into_iter().collect();
    for m in marks {
        cuts.extend([m.start, m.end]);
    }
    for (h, _) in highlights {
        cuts.extend([h.start.clamp(r.start, r.end), h.end.clamp(r.start, r.end)]);
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut html = String::new();
    if sentence.cut_before {
        html.push('…');
    }
    for w in cuts.windows(2) {
        let seg = ByteRange::new(w[0], w[1]);
        let kind = highlights
            .iter()
            .find(|(h, _)| h.contains(seg))
            .map(|h| h.1);
        let strong = marks.iter().any(|m| m.contains(seg));
        if let Some(kind) = kind {
            let _ = write!(html, "<mark class=\"hl hl-{kind}\">");
        }
        if strong {
            html.push_str("<strong>");
            html.push_str(&escape(seg.of(seed)));
            html.push_str("</strong>");
        } else {
            html.push_str(&escape(&collapse_keep_edges(seg.of(seed))));
        }
        if kind.is_some() {
            html.push_str("</mark>");
        }
    }
    if sentence.cut_after {
        html.push('…');
    }
    html
}

/// A note's first paragraph as plain text, cut at a word near 160 characters: the line a
/// collapsed note shows after its kind.
pub(super) fn plain_preview(md: &str) -> String {
    const LENGTH: usize = 160;
    crate::plain::excerpt(&crate::plain::first_paragraph(md, LENGTH * 2), LENGTH)
}

/// Rendered Markdown split after its first paragraph, so narrow screens can fold the rest.
pub(super) fn split_first_paragraph(html: &str) -> (String, String) {
    match html.find("</p>") {
        Some(i) if html.starts_with("<p>") => {
            let (lead, rest) = html.split_at(i + "</p>".len());
            (lead.to_owned(), rest.trim_start().to_owned())
        }
        _ => (html.to_owned(), String::new()),
    }
}

/// A language tag as a reader knows it: the name of a language briefings are often read
/// in, with the script when the tag gives one, else the tag itself.
pub(super) fn language_label(tag: &str) -> String {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    let name = match language.as_str() {
        "ar" => "Arabic",
        "de" => "German",
        "en" => "English",
        "es" => "Spanish",
        "fa" => "Persian",
        "fr" => "French",
        "he" => "Hebrew",
        "hi" => "Hindi",
        "id" => "Indonesian",
        "it" => "Italian",
        "ja" => "Japanese",
        "ko" => "Korean",
        "pt" => "Portuguese",
        "ru" => "Russian",
        "tr" => "Turkish",
        "uk" => "Ukrainian",
        "vi" => "Vietnamese",
        "zh" => "Chinese",
        _ => return tag.to_owned(),
    };
    match parts.next().map(str::to_ascii_lowercase).as_deref() {
        Some("hans") => format!("{name} (Simplified)"),
        Some("hant") => format!("{name} (Traditional)"),
        _ => name.to_owned(),
    }
}

/// The passage of the original a deep link into the publisher's page should land on: the
/// annotation's own, or, for a passage of the translation, the original of its paragraph.
pub(super) fn original_passage(
    art: &crate::anchor::Article,
    ann: &crate::anchor::Annotation,
) -> Option<ByteRange> {
    match ann.side {
        TextSide::Original => Some(ann.range),
        TextSide::Translation => art
            .block_of(ann.side, ann.range)
            .and_then(|b| art.blocks.get(b))
            .map(|b| b.range),
    }
}

/// How many bytes of context a mention's sentence may have on either side.
const SENTENCE_REACH: usize = 300;

/// How many mentions of an entity in one article its page quotes; a hostile seed can repeat a
/// name hundreds of thousands of times, and each quote is a sentence.
pub(super) const MENTIONS_QUOTED_PER_ARTICLE: usize = 100;

fn collapse_keep_edges(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

fn sentence_start(text: &str, at: usize) -> usize {
    let mut best = 0;
    for (i, c) in text[..at].char_indices() {
        if matches!(c, '.' | '!' | '?') {
            // Look past `at`: the sentence after the stop may begin with the mention itself.
            let rest = &text[i + c.len_utf8()..];
            let trimmed = rest.trim_start();
            let next = i + c.len_utf8() + (rest.len() - trimmed.len());
            if rest.len() != trimmed.len()
                && next <= at
                && trimmed
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c == '"' || c == '“')
            {
                best = next;
            }
        }
    }
    best
}

fn sentence_end(text: &str, from: usize) -> usize {
    let after = &text[from..];
    for (i, c) in after.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            // Keep closing quotes with their sentence: `said "yes."` ends after the quote.
            let stop = from + i + c.len_utf8();
            let rest = &text[stop..];
            let quotes: usize = rest
                .chars()
                .take_while(|q| matches!(q, '"' | '”' | '’' | '\''))
                .map(char::len_utf8)
                .sum();
            let tail = &rest[quotes..];
            if tail.is_empty() || tail.starts_with(char::is_whitespace) {
                return stop + quotes;
            }
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_in_a_huge_paragraph_gets_a_bounded_sentence() {
        let text = format!(
            "{}Wu Qian{}",
            "word ".repeat(100_000),
            " word".repeat(100_000)
        );
        let ms = text.find("Wu Qian").expect("mention");
        let mention = ByteRange::new(ms, ms + 7);
        let sentence = sentence_range(&text, ByteRange::new(0, text.len()), mention);
        let got = marked_html(&text, sentence, &[mention], &[]);
        assert!(got.len() < 2 * SENTENCE_REACH + 100, "{} bytes", got.len());
        assert!(
            got.starts_with('…') && got.ends_with('…') && got.contains("<strong>Wu Qian</strong>")
        );
    }

    #[test]
    fn sentences() {
        let check = |text: &str, mention: &str, expect: &str| {
            let ms = text.find(mention).expect("mention in text");
            let mention = ByteRange::new(ms, ms + mention.len());
            let sentence = sentence_range(text, ByteRange::new(0, text.len()), mention);
            let got = marked_html(text, sentence, &[mention], &[]);
            assert_eq!(got, expect, "{text}");
        };
        check(
            "One. Wu Qian said so. Three.",
            "Wu Qian",
            "<strong>Wu Qian</strong> said so.",
        );
        check(
            "He met Xi Jinping in Bali",
            "Xi Jinping",
            "He met <strong>Xi Jinping</strong> in Bali",
        );
        check(
            "A b. C said \"x & y.\" Next",
            "C",
            "<strong>C</strong> said &quot;x &amp; y.&quot;",
        );
    }
}
