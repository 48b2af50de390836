//! Issue 19, item 4: the network of actors — entities linked when an annotation names them
//! together, a paragraph mentions both or a byline ties a writer to an outlet; weighted by
//! how often; drawn at build time on the entities index and each entity page, with a table
//! of the same links.

use crate::harness::{Site, select, text};
use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeMap;

const ENTITIES: &str = "\
ana:
  name: Ana Holt
  kind: person
bo:
  name: Bo Lind
  kind: person
council:
  name: Riverton City Council
  kind: organization
  aliases: [the council]
riverton:
  name: Riverton
  kind: place
cy:
  name: Cy Moss
  kind: person
gazette:
  name: Riverton Gazette
  kind: organization
dan:
  name: Dan Oyelaran
  kind: person
";

const SEED: &str = "Library vote\n\nAna Holt met Bo Lind in Riverton on Monday.\n\nThe Riverton City Council voted for a library. Ana Holt said the council would pay.\n";

const ARTICLE: &str = "\
title: Library vote
outlet: gazette
author: Cy Moss
published: 2024-03-13
annotations:
  - id: vote
    quote: voted for a library
    kind: statement
    speaker: ana
    entities: [council, bo]
    note: The vote.
";

/// What the links should be: each pair (ids in order) and its weight. Ana and Bo share a
/// paragraph and an annotation; Ana and the council a paragraph and an annotation; Bo and
/// the council only the annotation; Riverton only the first paragraph; Cy Moss wrote for
/// the Gazette. Dan is in no article and has no link.
fn expected() -> BTreeMap<(String, String), usize> {
    [
        ("ana", "bo", 2),
        ("ana", "council", 2),
        ("ana", "riverton", 1),
        ("bo", "council", 1),
        ("bo", "riverton", 1),
        ("cy", "gazette", 1),
    ]
    .into_iter()
    .map(|(a, b, w)| ((a.to_owned(), b.to_owned()), w))
    .collect()
}

fn site() -> Site {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"Network desk\"\nbase_url = \"https://example.org/desk/\"\n",
    )
    .write("content/entities.yaml", ENTITIES)
    .write("seeds/vote.txt", SEED)
    .write("content/articles/vote.yaml", ARTICLE);
    site
}

fn url(id: &str) -> String {
    format!("/desk/{}", gloss::routes::entity(id))
}

#[test]
fn the_entities_index_draws_every_linked_entity_and_tables_every_link() {
    let site = site();
    site.build().expect_code(0);
    let page = site.output("entities/index.html");
    let doc = Html::parse_document(&page);
    assert_eq!(select(&doc, "svg.network-svg").len(), 1, "one drawing");

    // One node per linked entity, each a link to its page, named in a tooltip.
    let mut nodes: Vec<(String, String)> = select(&doc, "svg.network-svg a.net-node")
        .iter()
        .map(|a| {
            let title = select_in(a, "title");
            (a.value().attr("href").unwrap().to_owned(), title)
        })
        .collect();
    nodes.sort();
    let mut want: Vec<String> = ["ana", "bo", "council", "riverton", "cy", "gazette"]
        .iter()
        .map(|id| url(id))
        .collect();
    want.sort();
    assert_eq!(nodes.iter().map(|n| n.0.clone()).collect::<Vec<_>>(), want);
    assert!(
        nodes
            .iter()
            .any(|n| n.1.starts_with("Ana Holt — linked with 3 entities"))
    );
    // One line per link among drawn entities, its width growing with the weight.
    let lines = select(&doc, "svg.network-svg .net-edges line");
    assert_eq!(lines.len(), expected().len());
    let width = |needle: &str| -> f64 {
        lines
            .iter()
            .find(|l| select_in(l, "title").starts_with(needle))
            .and_then(|l| l.value().attr("stroke-width"))
            .expect(needle)
            .parse()
            .unwrap()
    };
    assert!(width("Ana Holt — Bo Lind: 2 times") > width("Bo Lind — Riverton: 1 time"));

    // The table lists the same links with the same weights.
    let rows: BTreeMap<(String, String), usize> = select(&doc, ".network-table tbody tr")
        .iter()
        .map(|tr| {
            let hrefs: Vec<String> = select_all_in(tr, "td a.ref")
                .iter()
                .map(|a| a.value().attr("href").unwrap().to_owned())
                .collect();
            let id = |h: &String| {
                h.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned()
            };
            let (a, b) = (id(&hrefs[0]), id(&hrefs[1]));
            let weight: usize = select_in(tr, "td.num").parse().unwrap();
            ((a.clone().min(b.clone()), a.max(b)), weight)
        })
        .collect();
    assert_eq!(rows, expected());
    // "Where" leads to the passages: the annotation and the paragraph's first mention.
    let places: Vec<String> = select(&doc, ".network-table .net-places a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert!(places.iter().any(|h| h.ends_with("/#vote")), "{places:?}");
    assert!(places.iter().any(|h| h.ends_with("/#m1")), "{places:?}");
}

#[test]
fn an_entity_page_draws_its_neighbourhood_and_lists_its_links() {
    let site = site();
    site.build().expect_code(0);
    let page = site.output(&format!("{}index.html", gloss::routes::entity("ana")));
    let doc = Html::parse_document(&page);
    let nodes: Vec<String> = select(&doc, "svg.network-svg a.net-node")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    // Ana first (the focus), then her neighbours, most tied first, then by name.
    assert_eq!(
        nodes,
        [url("ana"), url("bo"), url("council"), url("riverton")]
    );
    assert_eq!(select(&doc, "a.net-node.is-focus").len(), 1);
    // Her three links, and the one among her neighbours (Bo and the council, Bo and Riverton).
    assert_eq!(select(&doc, ".net-edges line").len(), 5);
    let rows: Vec<(String, String)> = select(&doc, ".network-table tbody tr")
        .iter()
        .map(|tr| (select_in(tr, "td a.ref"), select_in(tr, "td.num")))
        .collect();
    assert_eq!(
        rows,
        [
            ("Bo Lind".to_owned(), "2".to_owned()),
            ("Riverton City Council".to_owned(), "2".to_owned()),
            ("Riverton".to_owned(), "1".to_owned()),
        ]
    );
    // An entity without links has no network section.
    let dan = site.output(&format!("{}index.html", gloss::routes::entity("dan")));
    assert!(!dan.contains("network-svg"));
}

#[test]
fn the_drawings_are_the_same_bytes_on_every_build() {
    let pages = |threads: &str| {
        let site = site();
        site.gloss_env(&["build"], &[("RAYON_NUM_THREADS", threads)])
            .expect_code(0);
        (
            site.output("entities/index.html"),
            site.output(&format!("{}index.html", gloss::routes::entity("ana"))),
        )
    };
    let first = pages("1");
    assert!(first.0.contains("network-svg"));
    assert_eq!(first, pages("1"), "built twice");
    assert_eq!(first, pages("4"), "one thread vs four");
}

fn select_all_in<'a>(e: &ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    let sel = Selector::parse(css).expect("a valid selector");
    e.select(&sel).collect()
}

/// The text of the first element under `e` matching `css`.
fn select_in(e: &ElementRef, css: &str) -> String {
    select_all_in(e, css).first().map(text).unwrap_or_default()
}
