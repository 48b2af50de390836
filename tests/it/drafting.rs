//! `gloss new` on pasted web pages (issue 16): the headline, byline and dateline become
//! `title`, `author` and `published` and leave the body, web furniture is dropped, and the
//! summary is a comment that `gloss check` keeps reminding about until it is written.

use crate::harness::{Diag, Site, blocks};

/// A news page as copied from a browser: site furniture above the headline, share buttons,
/// a photo credit, and related posts and a comment form after the text.
const HARBOUR: &str = "Skip to main content

Lowmoor Gazette

News

Harbour board approves new flood barrier after two-year study

By Ines Varga

Published: April 2, 2024, 10:04 a.m.

Share on Facebook

Share on Twitter

Email

The Lowmoor harbour board voted on Monday to build a movable flood barrier across the inner basin, ending a two-year study of how to protect the quay from winter surges.

Photo: Tomas Brandt/Reuters

The barrier will cost an estimated 48 million euros, the board said, and work is expected to begin next spring once the river commission signs off on the design.

\u{201c}We cannot keep sandbagging the quay every January,\u{201d} board chair Mara Quist told reporters after the vote.

Related posts

Storm season ends with record tides

Leave a Reply

Your email address will not be published. Required fields are marked *
";

/// Breadcrumbs, a month-only dateline, a reading time, an advertisement in the middle.
const TALKS: &str = "Home > World > Europe

River talks stall over gauge data

March 2024

5 min read

Negotiators from both river towns left Thursday's meeting without agreeing on who should pay to repair the shared network of water gauges, officials said.

Advertisement

The gauges, switched off during the 2019 drought, are the only source of flow data both sides accept, according to people familiar with the talks.

A follow-up round is expected in May, though no date has been set.

Facebook Twitter LinkedIn Email

You may also like

Drought report warns of dry summer
";

/// A dateline with a time, a byline with the date, a date inside a sentence, and a
/// comment count after the text.
const LIBRARY: &str = "Eastvale council backs library plan

Updated 3:15 PM GMT, Tuesday, 12 March 2024

By Ana Ruiz | 12 March 2024

The Eastvale council voted 7-2 on Tuesday to build a new public library on the former depot site by the river.

Council members who opposed the plan said the site floods too often. The council said on March 12, 2024 that the building would stand on raised foundations.

Residents can comment on the design until the end of April.

12 Comments
";

fn warnings<'d>(diags: &'d [Diag], code: &str) -> Vec<&'d Diag> {
    diags.iter().filter(|d| d.code == code).collect()
}

#[test]
fn pasted_pages_build_into_bodies_without_headline_dateline_or_debris() {
    let site = Site::fixture("tiny");
    let pages = [
        (
            "harbour-board",
            HARBOUR,
            "Harbour board approves new flood barrier after two-year study",
            Some("Ines Varga"),
            "2024-04-02",
            "The Lowmoor harbour board voted",
        ),
        (
            "river-talks",
            TALKS,
            "River talks stall over gauge data",
            None,
            "2024-03",
            "Negotiators from both river towns",
        ),
        (
            "library",
            LIBRARY,
            "Eastvale council backs library plan",
            Some("Ana Ruiz"),
            "2024-03-12",
            "The Eastvale council voted 7-2",
        ),
    ];
    for (name, text, ..) in &pages {
        site.write(&format!("seeds/{name}.txt"), text);
        site.gloss(&["new", name]).ok();
    }
    for (name, _, title, author, published, _) in &pages {
        let yaml = site.read(&format!("content/articles/{name}.yaml"));
        assert!(yaml.contains(&format!("\ntitle: \"{title}\"")), "{yaml}");
        match author {
            Some(a) => assert!(yaml.contains(&format!("\nauthor: \"{a}\"")), "{yaml}"),
            None => assert!(yaml.contains("\nauthor: null"), "{yaml}"),
        }
        assert!(
            yaml.contains(&format!("\npublished: {published} ")),
            "{yaml}"
        );
        assert!(
            !yaml.contains("\nsummary:"),
            "the placeholder summary is a comment:\n{yaml}"
        );
    }

    // Valid as written; each draft is reminded of its summary, at the comment left for it.
    let (diags, code) = site.check_json();
    assert_eq!(code, 0, "{diags:#?}");
    let reminders = warnings(&diags, "missing-summary");
    let mut files: Vec<&str> = reminders.iter().filter_map(|d| d.file.as_deref()).collect();
    files.sort();
    assert_eq!(
        files,
        [
            "content/articles/harbour-board.yaml",
            "content/articles/library.yaml",
            "content/articles/river-talks.yaml"
        ],
        "{diags:#?}"
    );
    for d in &reminders {
        let yaml = site.read(d.file.as_deref().unwrap_or_default());
        let line = yaml
            .lines()
            .nth(d.line.unwrap_or(1) - 1)
            .unwrap_or_default();
        assert!(line.starts_with("# summary:"), "{d:#?}");
    }
    assert!(
        !diags.iter().any(|d| d.code == "unused-text-rule"),
        "every drop and end_before names a paragraph: {diags:#?}"
    );

    site.build().ok();
    for (name, text, title, _, _, first) in &pages {
        let slug = gloss::text::slugify(title);
        let page = site.output(&format!("articles/{slug}/index.html"));
        let body = blocks(&page);
        assert!(body[0].starts_with(first), "{name}: {body:#?}");
        // Everything in the body is a sentence of the article: none of the headline, the
        // byline, the dateline or the page's furniture.
        for b in &body {
            assert!(
                b.split_whitespace().count() >= 8,
                "{name}: `{b}` is not text: {body:#?}"
            );
        }
        // And none of the article's sentences is lost.
        let sentences = text
            .split("\n\n")
            .filter(|p| p.split_whitespace().count() >= 8 && p.trim_end().ends_with('.'))
            .count();
        assert_eq!(body.len(), sentences, "{name}: {body:#?}");
    }

    // Writing the summary ends the reminder.
    site.replace(
        "content/articles/library.yaml",
        "# summary: |",
        "summary: The council's vote, and the flooding its opponents fear.\n# was: |",
    );
    let (diags, _) = site.check_json();
    assert!(
        !warnings(&diags, "missing-summary")
            .iter()
            .any(|d| d.file.as_deref() == Some("content/articles/library.yaml")),
        "{diags:#?}"
    );
}

#[test]
fn an_article_that_starts_with_its_text_keeps_its_first_paragraph() {
    let site = Site::fixture("tiny");
    site.write(
        "seeds/plain.txt",
        "The river commission met on Friday to review the winter's flood warnings and the gauges that sent them.\n\nIt found that two gauges had failed during the January storm, officials said.\n",
    );
    site.gloss(&["new", "plain"]).ok();
    let yaml = site.read("content/articles/plain.yaml");
    assert!(yaml.contains("no headline before the text"), "{yaml}");
    site.build().ok();
    let slug = gloss::text::slugify("The river commission met on Friday to review…");
    let page = site.output(&format!("articles/{slug}/index.html"));
    let body = blocks(&page);
    assert_eq!(body.len(), 2, "{body:#?}");
    assert!(
        body[0].starts_with("The river commission met on Friday"),
        "{body:#?}"
    );
}
