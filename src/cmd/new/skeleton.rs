//! The skeleton `gloss new` writes: the title and date guessed, web debris to drop, the
//! entity mentions counted, and every paragraph as a comment to copy quotes from.

use super::dates::find_dates;
use crate::link::mentions::MentionMatcher;
use crate::text::{normalize_str, paragraphs};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How wide the paragraph comments are wrapped.
const WRAP: usize = 96;
/// Paragraphs a dateline can be in, for guessing `published`.
const DATELINE_PARAGRAPHS: usize = 6;

/// Paragraphs that are web debris rather than article text, recognized by their exact wording.
const DEBRIS: &[&str] = &[
    "< Back",
    "Back",
    "Share",
    "Share this:",
    "Share this",
    "Print",
    "Advertisement",
    "Leave a Reply",
    "Leave a Comment",
    "Related posts",
    "Related Posts",
    "Related articles",
    "Related Articles",
    "Read more",
    "Comments",
];
/// Paragraphs that start what follows the article (the body ends before them).
const TRAILERS: &[&str] = &[
    "Related posts",
    "Related Posts",
    "Related articles",
    "Related Articles",
    "Leave a Reply",
    "Leave a Comment",
    "Comments",
];

/// A YAML double-quoted scalar: JSON string syntax is valid YAML.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The annotation file for a seed named `name` with text `text`.
pub fn skeleton(name: &str, text: &str, matcher: Option<&MentionMatcher>) -> String {
    let paras: Vec<String> = paragraphs(text)
        .iter()
        .map(|r| normalize_str(r.of(text)))
        .collect();
    let trailer = paras.iter().position(|p| TRAILERS.contains(&p.as_str()));
    let body_end = trailer.unwrap_or(paras.len());
    let drop: Vec<&String> = paras[..body_end]
        .iter()
        .filter(|p| DEBRIS.contains(&p.as_str()))
        .collect();
    let title = paras
        .iter()
        .find(|p| {
            !DEBRIS.contains(&p.as_str())
                && p.split_whitespace().count() >= 2
                && p.chars().count() <= 200
        })
        .or(paras.first());
    let dates = find_dates(&paras[..body_end]);
    let published = dates.iter().find(|d| {
        d.paragraph < DATELINE_PARAGRAPHS
            && d.precision_day
            && d.candidates.len() == 1
            && !d.year_assumed
    });

    let mut out = String::new();
    out.push_str("# yaml-language-server: $schema=../../schemas/articles.json\n");
    let _ = writeln!(
        out,
        "# Written by `gloss new {name}`. Check every guess, then add annotations below."
    );
    let _ = writeln!(out, "seed: {}", quoted(name));
    match title {
        Some(t) => {
            let _ = writeln!(
                out,
                "title: {}    # guessed from the first paragraph",
                quoted(t)
            );
        }
        None => {
            out.push_str("# title: \"...\"    # the seed has no paragraph to take a title from\n")
        }
    }
    out.push_str("# slug: short-name                # default: the slugified title\n");
    out.push_str(
        "# outlet: entity-id               # the publisher, an entity of kind organization\n",
    );
    out.push_str("author: null\n");
    match published {
        Some(d) => {
            let _ = writeln!(out, "published: {}    # guessed from {} in paragraph {}", d.candidates[0].0, quoted(&d.text), d.paragraph + 1);
        }
        None => out.push_str("# published: YYYY-MM-DD           # EDTF (2023-11-16, 2023-11, 2023-11-16?); see the dates below\n"),
    }
    out.push_str("# url: https://...                # the original article's address\n");
    out.push_str("draft: false\ntags: []\n");
    out.push_str("summary: |\n  What this article adds to the briefing.\n\n");

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
        let list: Vec<String> = drop.iter().map(|p| quoted(p)).collect();
        let _ = writeln!(
            out,
            "  drop: [{}]    # web debris found in the text",
            list.join(", ")
        );
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
            vec!["< Back"]
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
    }
}
