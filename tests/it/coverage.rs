//! Event coverage in time: an article counts as reporting an event only when it appeared
//! while the event happened or shortly after. One published before the event can only
//! anticipate it (and `check` warns, since the tag is often a wrong date), one published
//! long after refers back to it; the event page keeps the three apart and counts reports.

use crate::harness::{Site, text_of};

/// A site with one event, on 1 February 2023, and four articles that all tag it: one a
/// month before, one the next day, one five days after a month-precision date that may
/// overlap it, and one three months later.
fn site() -> Site {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"Summit watch\"\nbase_url = \"https://example.org/\"\n",
    );
    site.write(
        "content/entities.yaml",
        "harbour:\n  name: Harbour Authority\n  kind: organization\n",
    );
    site.write(
        "content/events.yaml",
        "- id: summit\n  date: 2023-02-01\n  title: Harbour summit\n",
    );
    for (id, published, text) in [
        (
            "preview",
            "2023-01-02",
            "The Harbour Authority will hold a summit next month.",
        ),
        (
            "report",
            "2023-02-02",
            "The Harbour Authority held its summit yesterday.",
        ),
        (
            "monthly",
            "2023-02",
            "In February the Harbour Authority held a summit.",
        ),
        (
            "review",
            "2023-05-10",
            "Months after the summit, the Harbour Authority looks back.",
        ),
    ] {
        site.write(&format!("seeds/{id}.txt"), &format!("{text}\n"));
        site.write(
            &format!("content/articles/{id}.yaml"),
            &format!(
                "title: {id}\npublished: {published}\nannotations:\n  - id: s\n    quote: summit\n    kind: fact\n    note: The summit.\n    events: [summit]\n"
            ),
        );
    }
    site
}

#[test]
fn an_article_published_before_an_event_is_warned_about_where_it_tags_it() {
    let site = site();
    let (diags, code) = site.check_json();
    assert_eq!(code, 0, "a warning, not an error: {diags:#?}");
    let early: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "report-before-event")
        .collect();
    assert_eq!(
        early.len(),
        1,
        "only the article published before: {diags:#?}"
    );
    let d = early[0];
    assert_eq!(d.severity, "warning");
    assert_eq!(d.file.as_deref(), Some("content/articles/preview.yaml"));
    // The `events: [summit]` line of its annotation.
    assert_eq!(d.line, Some(8), "{d:#?}");
    assert!(
        d.message.contains("`preview`") && d.message.contains("`summit`"),
        "{d:#?}"
    );
    assert!(
        d.help.as_deref().unwrap_or("").contains("published"),
        "{d:#?}"
    );
}

#[test]
fn the_event_page_orders_coverage_in_time_and_counts_only_reports() {
    let site = site();
    site.build().ok();
    let page = site.output("events/summit/index.html");
    let text = text_of(&page);
    assert!(text.contains("reported in 2 articles"), "{text}");
    let section = |id: &str| -> String {
        let start = page
            .find(&format!("id=\"time-{id}\""))
            .unwrap_or_else(|| panic!("no {id} section in {page}"));
        let rest = &page[start..];
        // Up to the next period's section, or the end of the article.
        let end = rest
            .find("class=\"coverage-time coverage-")
            .or_else(|| rest.find("</article>"))
            .unwrap_or(rest.len());
        let cut = rest[..end].rfind('<').unwrap_or(end);
        text_of(&format!("<div {}", &rest[..cut]))
    };
    let before = section("before");
    let report = section("report");
    let later = section("later");
    assert!(
        before.contains("preview") && !before.contains("report"),
        "{before}"
    );
    assert!(
        report.contains("report") && report.contains("monthly") && !report.contains("preview"),
        "{report}"
    );
    assert!(
        later.contains("review") && !later.contains("preview"),
        "{later}"
    );
    // The order on the page is the order in time.
    let at = |s: &str| page.find(&format!("id=\"time-{s}\"")).expect("section");
    assert!(at("before") < at("report") && at("report") < at("later"));

    // The front page's timeline counts reports only.
    let home = text_of(&site.output("index.html"));
    assert!(home.contains("reported in 2 articles"), "{home}");
    assert!(!home.contains("reported in 4 articles"), "{home}");
}

#[test]
fn the_front_page_timeline_joins_an_event_only_to_the_articles_that_report_it() {
    let site = site();
    site.build().ok();
    let home = site.output("index.html");
    let links = |label: &str| -> Vec<String> {
        home.match_indices(&format!("class=\"tl-e-links\">{label}:"))
            .map(|(at, tag)| {
                let rest = &home[at + tag.len() - label.len() - 1..];
                text_of(&rest[..rest.find("</p>").unwrap_or(rest.len())])
            })
            .collect()
    };
    let reported_in = links("Reported in");
    assert_eq!(reported_in.len(), 1, "{home}");
    for (title, reports) in [
        ("report", true),
        ("monthly", true),
        ("preview", false),
        ("review", false),
    ] {
        let listed = reported_in[0].contains(&format!(" {title}"));
        assert_eq!(listed, reports, "{title} in {:?}", reported_in[0]);
    }
    // Only the two reports say which event they report, and only they are joined to it.
    assert_eq!(links("Reports").len(), 2, "{home}");
    for (article, joined) in [("preview", false), ("report", true), ("review", false)] {
        assert_eq!(
            home.contains(&format!("data-a=\"tl-ar-{article}\"")),
            joined,
            "join from {article}"
        );
    }
}
