//! The skeleton `gloss new` writes: the title, author and date guessed and their paragraphs
//! dropped from the body, web debris to drop, the entity mentions counted, and every
//! paragraph as a comment to copy quotes from.

use super::dates::{FoundDate, find_dates};
use super::debris;
use crate::link::mentions::MentionMatcher;
use crate::text::{normalize_str, paragraphs};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How wide the paragraph comments are wrapped.
const WRAP: usize = 96;
/// Paragraphs a dateline can be in, for guessing `published`.
const DATELINE_PARAGRAPHS: usize = 6;

/// A YAML double-quoted scalar: JSON string syntax is valid YAML.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// What `gloss new` makes of a pasted page's paragraphs before writing anything.
struct Reading<'p> {
    title: Option<usize>,
    /// The headline: the title paragraph, or its headline line when the page put the
    /// dateline, headline and byline in one paragraph.
    headline: Option<&'p str>,
    /// Where the article's text ends (`text.end_before`), when something follows it.
    trailer: Option<usize>,
    body_end: usize,
    /// Paragraphs for `text.drop`: the headline, bylines, datelines and web furniture.
    drop: Vec<&'p String>,
    author: Option<&'p str>,
    published: Option<&'p FoundDate>,
    /// Whether `published` comes from a dateline (else from a date in the text).
    from_dateline: bool,
}

/// Reads the page: its headline, byline and dateline, what is furniture, where it ends.
fn read<'p>(paras: &'p [String], lines: &'p [Vec<String>], dates: &'p [FoundDate]) -> Reading<'p> {
    // A header written as one paragraph of lines (dateline, headline, byline) is read
    // line by line.
    let header_lines = |i: usize| lines[i].iter().filter(move |_| lines[i].len() > 1);
    let dated_line = |i: usize, d: &FoundDate| {
        header_lines(i).any(|l| l.contains(&d.text) && debris::is_dateline(l, &d.text))
    };
    let dateline = |i: usize| {
        dates.iter().find(|d| {
            d.paragraph == i
                && if lines[i].len() > 1 {
                    dated_line(i, d)
                } else {
                    debris::is_dateline(&paras[i], &d.text)
                }
        })
    };
    let line_aside = |i: usize, l: &str| {
        debris::is_furniture(l)
            || debris::byline(l).is_some()
            || dates
                .iter()
                .any(|d| d.paragraph == i && l.contains(&d.text) && debris::is_dateline(l, &d.text))
    };
    let furniture: Vec<bool> = paras.iter().map(|p| debris::is_furniture(p)).collect();
    let aside = |i: usize| {
        if lines[i].len() > 1 {
            lines[i].iter().all(|l| line_aside(i, l))
        } else {
            furniture[i] || debris::byline(&paras[i]).is_some() || dateline(i).is_some()
        }
    };
    let words = |i: usize| paras[i].split_whitespace().count();
    let could_be_title = |i: usize| !aside(i) && words(i) >= 2 && paras[i].chars().count() <= 200;
    // The first paragraph of running text: sentences, which headlines are not. The
    // headline, byline and dateline come before it; what follows the article, after it.
    let sentence =
        |i: usize| words(i) >= 8 && paras[i].ends_with(['.', '!', '?', '"', '\u{201d}', ')', ':']);
    let first_text = (0..paras.len()).find(|&i| !aside(i) && sentence(i));
    // The headline is the longest line before the text: a site's name or a section
    // above it is shorter. Text that starts at once has none.
    let title = match first_text {
        Some(f) => (0..f)
            .filter(|&i| could_be_title(i))
            .max_by_key(|&i| (words(i), std::cmp::Reverse(i))),
        None => (0..paras.len()).find(|&i| could_be_title(i)),
    };
    let first_text = first_text
        .filter(|&f| title.is_none_or(|t| t < f))
        .or_else(|| (title.map_or(0, |t| t + 1)..paras.len()).find(|&i| !aside(i) && words(i) >= 8))
        .unwrap_or(paras.len());
    let mut trailer = (first_text..paras.len()).find(|&i| debris::is_trailer(&paras[i]));
    // `end_before` ends the text at the first paragraph *starting* with it; an earlier
    // paragraph that starts the same way would cut the article short.
    if let Some(k) = trailer
        && paras[..k].iter().any(|p| p.starts_with(paras[k].as_str()))
    {
        trailer = None;
    }
    let body_end = trailer.unwrap_or(paras.len());
    let heading = |i: usize| i < first_text || i < DATELINE_PARAGRAPHS;
    let mut drop: Vec<&String> = Vec::new();
    for i in 0..body_end {
        let before_title = title.is_some_and(|t| i < t);
        let lead = heading(i) && aside(i);
        if (before_title || Some(i) == title || furniture[i] || lead) && !drop.contains(&&paras[i])
        {
            drop.push(&paras[i]);
        }
    }
    let headline = title.map(|t| {
        header_lines(t)
            .filter(|l| !line_aside(t, l))
            .max_by_key(|l| l.split_whitespace().count())
            .map_or(paras[t].as_str(), String::as_str)
    });
    let author = (0..first_text).find_map(|i| {
        debris::byline(&paras[i]).or_else(|| header_lines(i).find_map(|l| debris::byline(l)))
    });
    let usable = |d: &&FoundDate| d.candidates.len() == 1 && !d.year_assumed;
    let stated = (0..body_end)
        .filter(|&i| heading(i))
        .filter_map(dateline)
        .filter(usable)
        .min_by_key(|d| {
            let p = paras[d.paragraph].to_lowercase();
            (
                p.starts_with("updated") || p.starts_with("last updated"),
                d.paragraph,
            )
        });
    let published = stated.or_else(|| {
        dates
            .iter()
            .filter(usable)
            .find(|d| d.paragraph < DATELINE_PARAGRAPHS.min(body_end) && d.precision_day)
    });
    Reading {
        title,
        headline,
        trailer,
        body_end,
        drop,
        author,
        published,
        from_dateline: stated.is_some(),
    }
}

/// The annotation file for a seed named `name` with text `text`.
pub fn skeleton(name: &str, text: &str, matcher: Option<&MentionMatcher>) -> String {
    let paras: Vec<String> = paragraphs(text)
        .iter()
        .map(|r| normalize_str(r.of(text)))
        .collect();
    let lines: Vec<Vec<String>> = paragraphs(text)
        .iter()
        .map(|r| {
            r.of(text)
                .lines()
                .map(normalize_str)
                .filter(|l| !l.is_empty())
                .collect()
        })
        .collect();
    let all_dates = find_dates(&paras);
    let Reading {
        title,
        headline,
        trailer,
        body_end,
        drop,
        author,
        published,
        from_dateline,
    } = read(&paras, &lines, &all_dates);
    let dates: Vec<&FoundDate> = all_dates
        .iter()
        .filter(|d| d.paragraph < body_end)
        .collect();
    let title = title.map(|i| &paras[i]);

    let mut out = String::new();
    out.push_str("# yaml-language-server: $schema=../../schemas/articles.json\n");
    let _ = writeln!(
        out,
        "# Written by `gloss new {name}`. Check every guess, then add annotations below."
    );
    let _ = writeln!(out, "seed: {}", quoted(name));
    match headline {
        Some(t) => {
            let _ = writeln!(
                out,
                "title: {}    # the headline, left out of the body (text.drop)",
                quoted(t)
            );
        }
        // Left out, the title would be the first paragraph, and that paragraph would leave
        // the body; a guess from its first words keeps it.
        None => match paras.iter().find(|p| !drop.contains(p)) {
            Some(p) => {
                let words: Vec<&str> = p.split_whitespace().take(8).collect();
                let _ = writeln!(
                    out,
                    "title: {}    # no headline before the text: write one",
                    quoted(&format!("{}…", words.join(" ")))
                );
            }
            None => out
                .push_str("# title: \"...\"    # the seed has no paragraph to take a title from\n"),
        },
    }
    out.push_str("# slug: short-name                # default: the slugified title\n");
    out.push_str(
        "# outlet: entity-id               # the publisher, an entity of kind organization\n",
    );
    match author {
        Some(a) => {
            let _ = writeln!(out, "author: {}    # guessed from the byline", quoted(a));
        }
        None => out.push_str("author: null\n"),
    }
    match published {
        Some(d) => {
            let from = if from_dateline { "the dateline" } else { "a date" };
            let _ = writeln!(out, "published: {}    # guessed from {from} {} in paragraph {}", d.candidates[0].0, quoted(&d.text), d.paragraph + 1);
        }
        None => out.push_str("# published: YYYY-MM-DD           # EDTF (2023-11-16, 2023-11, 2023-11-16?); see the dates below\n"),
    }
    out.push_str("# url: https://...                # the original article's address\n");
    out.push_str("draft: false\ntags: []\n");
    // A placeholder summary would be published as it stands; a comment cannot be, and
    // `gloss check` warns (`missing-summary`) until a summary is written.
    out.push_str("# summary: |                      # Markdown: what this article adds to the briefing\n#   ...\n\n");

    if dates.is_empty() {
        out.push_str("# No dates found in the text.\n");
    } else {
        out.push_str(
            "# Dates in the text, with EDTF candidates for `published:` and content/events.yaml:\n",
        );
        for d in &dates {
            let candidates: Vec<String> = d
                .candidates
                .iter()
                .map(|(edtf, why)| {
                    if why.is_empty() {
                        edtf.clone()
                    } else {
                        format!("{edtf} ({why})")
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "#   [{}] {} → {}",
                d.paragraph + 1,
                quoted(&d.text),
                candidates.join(" or ")
            );
        }
    }
    let mentions = matcher
        .map(|m| mentions(m, &paras[..body_end]))
        .unwrap_or_default();
    match (matcher, mentions.is_empty()) {
        (None, _) => out.push_str("# No content/entities.yaml could be read, so no entity mentions are listed.\n"),
        (Some(_), true) => out.push_str("# No entity of content/entities.yaml is mentioned; add aliases there if one should be.\n"),
        (Some(_), false) => {
            out.push_str("# Entities mentioned (id: how often, first as), for `entities:` and `speaker:`:\n");
            for (id, (count, first, para)) in &mentions {
                let _ = writeln!(out, "#   {id}: {count}× — first as {} in [{}]", quoted(first), para + 1);
            }
        }
    }
    out.push('\n');

    out.push_str("text:\n");
    if drop.is_empty() {
        out.push_str(
            "  drop: []                        # whole paragraphs of web debris to remove\n",
        );
    } else {
        out.push_str("  drop:    # the headline, byline and dateline (they are `title`, `author`, `published`) and web debris\n");
        for p in &drop {
            let _ = writeln!(out, "    - {}", quoted(p));
        }
    }
    match trailer {
        Some(i) => {
            let _ = writeln!(out, "  end_before: {}    # what follows is not the article", quoted(&paras[i]));
        }
        None => out.push_str("  # end_before: \"Related posts\"  # the body ends before the paragraph starting with this\n"),
    }
    out.push_str("  headings: []\n\n");

    out.push_str(
        "# The paragraphs of the seed, to copy quotes from ([n] is the paragraph number):\n",
    );
    for (i, p) in paras.iter().enumerate() {
        let marker = if i >= body_end {
            " (after end_before)"
        } else if drop.contains(&p) {
            " (dropped)"
        } else {
            ""
        };
        for (j, line) in wrap(p, WRAP).iter().enumerate() {
            if j == 0 {
                let _ = writeln!(out, "# [{}]{marker} {line}", i + 1);
            } else {
                let _ = writeln!(out, "#     {line}");
            }
        }
    }
    out.push('\n');

    // A real passage for the example: eight words of a body paragraph, found once in the text.
    let example = paras[..body_end]
        .iter()
        .filter(|p| Some(*p) != title && !drop.contains(p) && p.split_whitespace().count() >= 8)
        .map(|p| p.split_whitespace().take(8).collect::<Vec<_>>().join(" "))
        .find(|q| {
            paras[..body_end]
                .iter()
                .map(|p| p.matches(q.as_str()).count())
                .sum::<usize>()
                == 1
        });
    out.push_str("annotations: []\n");
    out.push_str(
        "# Replace `[]` above with a list like this one (ids are unique in the file; the page\n",
    );
    out.push_str("# anchor is #<id>). Quotes match after normalizing quotes, dashes and spaces.\n");
    out.push_str("# annotations:\n");
    out.push_str("#   - id: first-passage\n");
    let quote = example.unwrap_or_else(|| "an exact passage from the paragraphs above".to_owned());
    let _ = writeln!(out, "#     quote: {}", quoted(&quote));
    out.push_str("#     kind: note          # note | fact | claim | statement | context | question | dispute\n");
    out.push_str("#     # speaker: entity-id  # who says it, for statements and claims\n");
    out.push_str("#     note: |\n");
    out.push_str(
        "#       Markdown: what a reader should know. Link with @/entities/<id>, @/events/<id>.\n",
    );
    let first_entities: Vec<&str> = mentions.keys().take(2).map(String::as_str).collect();
    let _ = writeln!(out, "#     entities: [{}]", first_entities.join(", "));
    out.push_str("#     events: []\n");
    out
}

/// Entity id → (mentions, first alias as written, paragraph of the first mention).
fn mentions(
    matcher: &MentionMatcher,
    paras: &[String],
) -> BTreeMap<String, (usize, String, usize)> {
    let mut found: BTreeMap<String, (usize, String, usize)> = BTreeMap::new();
    for (i, p) in paras.iter().enumerate() {
        for (entity, range) in matcher.find(p) {
            let entry = found
                .entry(entity.0)
                .or_insert_with(|| (0, p[range].to_owned(), i));
            entry.0 += 1;
        }
    }
    found
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::EntityId;
    use camino::Utf8Path;

    #[test]
    fn skeleton_parses_and_guesses() {
        let seed = "Council backs library\n\n< Back\n\nMarch 12, 2024\n\nThe Riverton City Council voted on Tuesday to build a new public library by the river.\n\nRelated posts\n\nLeave a Reply\n";
        let matcher = MentionMatcher::new(&[(
            EntityId::from("council"),
            "Riverton City Council".to_owned(),
        )]);
        let yaml = skeleton("x.txt", seed, Some(&matcher));
        let mut diags = Vec::new();
        let parsed: crate::model::ArticleFile =
            crate::load::parse_yaml(Utf8Path::new("x.yaml"), &yaml, &mut diags)
                .unwrap_or_else(|| panic!("{diags:?}\n{yaml}"));
        assert_eq!(parsed.title.as_deref(), Some("Council backs library"));
        assert_eq!(
            parsed.published.map(|p| p.value),
            Some("2024-03-12".to_owned())
        );
        assert_eq!(
            parsed
                .text
                .drop
                .iter()
                .map(|d| d.value.as_str())
                .collect::<Vec<_>>(),
            vec!["Council backs library", "< Back", "March 12, 2024"]
        );
        assert_eq!(
            parsed.text.end_before.map(|e| e.value),
            Some("Related posts".to_owned())
        );
        assert!(yaml.contains("#   council: 1×"), "{yaml}");
        assert!(
            yaml.contains("# [4] The Riverton City Council voted"),
            "{yaml}"
        );

        // A header written as one paragraph of lines: dateline, headline, byline.
        let seed = "Published: 10:04, April 2, 2024 | Updated: 12:00, April 3, 2024\nHarbour board approves barrier\nBy Ines Varga\n\nThe Lowmoor harbour board voted on Monday to build a movable flood barrier.\n";
        let yaml = skeleton("y.txt", seed, None);
        let parsed: crate::model::ArticleFile =
            crate::load::parse_yaml(Utf8Path::new("y.yaml"), &yaml, &mut diags)
                .unwrap_or_else(|| panic!("{diags:?}\n{yaml}"));
        assert_eq!(
            parsed.title.as_deref(),
            Some("Harbour board approves barrier")
        );
        assert_eq!(parsed.author.as_deref(), Some("Ines Varga"));
        assert_eq!(
            parsed.published.map(|p| p.value).as_deref(),
            Some("2024-04-02")
        );
        assert_eq!(parsed.text.drop.len(), 1, "{yaml}");
        assert!(
            parsed.text.drop[0].value.starts_with("Published: 10:04"),
            "{yaml}"
        );
    }
}
