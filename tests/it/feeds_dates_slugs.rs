//! The outputs issue 21 moved onto crates, through the CLI: the Atom feed read back by a real
//! parser and held to RFC 4287, machine-readable dates at the source's precision (issues 11
//! and 15: no invented day), EDTF level 2 dates in `events.yaml`, and slugs for any script.

use crate::harness::{Site, attr_values, text_of};
use atom_syndication::Feed;
use std::collections::BTreeSet;

/// The feed as `atom_syndication` reads it, after checking that it is well-formed XML.
fn read_feed(site: &Site) -> (String, Feed) {
    let xml = site.output("feed.xml");
    roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("feed.xml is not XML: {e}"));
    let feed: Feed = xml
        .parse()
        .unwrap_or_else(|e| panic!("feed.xml is not an Atom feed: {e}"));
    (xml, feed)
}

/// Each `<entry>` element's direct children named `name`, by entry.
fn entry_children(xml: &str, name: &str) -> Vec<Vec<String>> {
    let doc = roxmltree::Document::parse(xml).expect("XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|entry| {
            entry
                .children()
                .filter(|c| c.has_tag_name(name))
                .map(|c| c.text().unwrap_or_default().to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn the_feed_reads_back_and_keeps_the_rfc_4287_rules() {
    let site = Site::bundled();
    site.build().ok();
    let (xml, feed) = read_feed(&site);
    let articles = std::fs::read_dir(site.path("content/articles"))
        .expect("articles")
        .count();
    assert_eq!(feed.entries().len(), articles);
    assert!(feed.id().starts_with("https://"), "feed id {}", feed.id());
    for updated in entry_children(&xml, "updated") {
        assert_eq!(updated.len(), 1, "each entry has exactly one updated");
    }
    for published in entry_children(&xml, "published") {
        assert!(published.len() <= 1, "at most one published per entry");
    }
    let ids: BTreeSet<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(ids.len(), articles, "entry ids are unique");
    for entry in feed.entries() {
        assert!(
            entry.id().starts_with("https://"),
            "relative id {}",
            entry.id()
        );
        assert!(
            entry.updated() <= feed.updated(),
            "the feed is updated last"
        );
        if let Some(published) = entry.published() {
            assert!(published <= entry.updated());
        }
        assert!(!entry.authors().is_empty(), "{} has no author", entry.id());
    }
    // Feed validators warn when two entries share `updated`; two bundled articles were
    // published the same day (issue 15).
    let updated: BTreeSet<_> = feed.entries().iter().map(|e| *e.updated()).collect();
    assert_eq!(updated.len(), articles, "two entries share updated:\n{xml}");
    // Newest first.
    let order: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
    assert!(order.windows(2).all(|w| w[0] > w[1]), "{order:?}");
}

#[test]
fn an_article_without_a_stated_day_gets_no_invented_one() {
    let site = Site::fixture("tiny");
    let article = "content/articles/harbour.yaml";
    // An open start: the article appeared by 15 Feb 2024, nobody knows since when.
    site.replace(article, "published: 2024-02-15", "published: ../2024-02-15");
    site.build().ok();
    let (xml, feed) = read_feed(&site);
    assert!(!xml.contains("1970"), "an invented day:\n{xml}");
    let entry = &feed.entries()[0];
    assert_eq!(entry.published(), None, "{xml}");
    // The latest day the briefing states, the end of that interval.
    assert_eq!(entry.updated().to_rfc3339(), "2024-02-15T00:00:00+00:00");
    let page =
        site.output("articles/port-and-river-agencies-agree-to-share-flood-warnings/index.html");
    assert!(
        !page.contains("article:published_time"),
        "a published time with no start"
    );
}

#[test]
fn a_month_is_published_as_a_month() {
    let site = Site::fixture("tiny");
    site.replace(
        "content/articles/harbour.yaml",
        "published: 2024-02-15",
        "published: 2024-02",
    );
    site.build().ok();
    let page =
        site.output("articles/port-and-river-agencies-agree-to-share-flood-warnings/index.html");
    assert!(
        page.contains(r#"<meta property="article:published_time" content="2024-02">"#),
        "{}",
        page.lines()
            .find(|l| l.contains("published_time"))
            .unwrap_or("no meta tag")
    );
    assert!(page.contains(r#""datePublished":"2024-02""#));
    assert!(attr_values(&page, "datetime").contains(&"2024-02".to_owned()));
    assert!(
        !page.contains("2024-02-01"),
        "an invented first of the month"
    );
    let (xml, feed) = read_feed(&site);
    assert_eq!(feed.entries()[0].published(), None, "{xml}");
    // The event of 13 Feb 2024 is the latest day the briefing states.
    assert_eq!(
        feed.entries()[0].updated().to_rfc3339(),
        "2024-02-13T00:00:00+00:00"
    );
}

#[test]
fn no_feed_when_no_date_names_a_day() {
    let site = Site::fixture("tiny");
    site.replace(
        "content/articles/harbour.yaml",
        "published: 2024-02-15",
        "published: 2024-02",
    );
    site.replace("content/events.yaml", "date: 2024-02-13", "date: 2024-02");
    site.build().ok();
    assert!(
        !site.path("public/feed.xml").exists(),
        "a feed with an invented updated"
    );
    let index = site.output("index.html");
    assert!(
        !index.contains("feed.xml"),
        "a link to a feed that is not there"
    );
    site.gloss(&["check", "--links"]).ok();
}

#[test]
fn level_2_dates_in_events_are_shown_in_words_and_ordered() {
    let site = Site::fixture("tiny");
    site.replace(
        "content/events.yaml",
        "date: 2019~",
        "date: \"[2019-06, 2019-09]\"",
    );
    site.replace(
        "content/events.yaml",
        "date: 2024-02-13",
        "date: 2024-02-1X",
    );
    site.build().ok();
    let floods = text_of(&site.output("events/2019-floods/index.html"));
    assert!(floods.contains("Jun 2019 or Sep 2019"), "{floods}");
    let agreement = text_of(&site.output("events/2024-02-warning-agreement/index.html"));
    assert!(agreement.contains("10–19 Feb 2024"), "{agreement}");
    let index = text_of(&site.output("index.html"));
    let first = index
        .find("Jun 2019 or Sep 2019")
        .expect("the set on the timeline");
    let second = index
        .find("10–19 Feb 2024")
        .expect("the days on the timeline");
    assert!(first < second, "timeline order");
}

#[test]
fn a_title_in_any_script_gets_a_readable_slug() {
    let site = Site::fixture("tiny");
    site.replace(
        "content/articles/harbour.yaml",
        "title: Port and river agencies agree to share flood warnings",
        "title: 中美两军举行视频通话",
    );
    site.build().ok();
    assert!(
        site.path("public/articles/zhong-mei-liang-jun-ju-xing-shi-pin-tong-hua/index.html")
            .is_file(),
        "{:?}",
        site.output_files()
    );
}
