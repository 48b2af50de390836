//! The briefing that ships in the repository, built as a new user builds it: it has no
//! errors, every article is richly annotated, and its pages are cross-linked both ways
//! (issue 2: "every article, entity and event page is reachable and linked both ways").

use crate::harness::{Site, note_refs, strip_elements, tags};
use crate::links::{Link, internal_links};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::OnceLock;

/// The bundled site's output, built once for every test here (they only read it).
struct Built {
    files: BTreeMap<String, Vec<u8>>,
    links: Vec<Link>,
    base_url: String,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        // The temporary site is dropped (and deleted) once its output is read.
        let site = Site::bundled();
        site.build().ok();
        let files = site.tree("public");
        let toml = site.read("site.toml");
        let base_url = toml
            .lines()
            .find(|l| l.trim_start().starts_with("base_url"))
            .and_then(|l| l.split('"').nth(1))
            .expect("base_url")
            .to_owned();
        let links = internal_links(&files, &base_url);
        Built {
            files,
            links,
            base_url,
        }
    })
}

fn page(path: &str) -> String {
    String::from_utf8_lossy(&built().files[path]).into_owned()
}

fn pages_under(prefix: &str) -> Vec<String> {
    built()
        .files
        .keys()
        .filter(|p| {
            p.starts_with(prefix) && p.ends_with("/index.html") && p.matches('/').count() == 2
        })
        .cloned()
        .collect()
}

#[test]
fn builds_without_errors_or_warnings() {
    // The shipped briefing is the example every new user copies: a warning there (an
    // article tagged as reporting an event that had not happened yet) teaches the mistake.
    let (diags, code) = Site::bundled().check_json();
    assert_eq!(code, 0);
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn meets_the_briefings_minimums() {
    // Issue 2: five articles, at least 20 entities, at least 12 events from 2020 to 2023.
    assert_eq!(pages_under("articles/").len(), 5);
    assert!(
        pages_under("entities/").len() >= 20,
        "{} entities",
        pages_under("entities/").len()
    );
    let events = pages_under("events/");
    let in_range = events
        .iter()
        .filter(|p| {
            let html = page(p);
            let t = tags(&html)
                .expect("tags")
                .into_iter()
                .find(|t| t.name == "time")
                .expect("an event date");
            t.attr("datetime")
                .is_some_and(|d| ("2020".."2024").contains(&&d[..4]))
        })
        .count();
    assert!(in_range >= 12, "{in_range} events dated 2020–2023");
}

#[test]
fn every_article_has_at_least_eight_highlighted_annotations_of_several_kinds() {
    let repo = crate::harness::repo();
    let mut checked = 0;
    for entry in std::fs::read_dir(repo.join("content/articles")).expect("articles") {
        let path = entry.expect("entry").path();
        let rel = camino::Utf8PathBuf::from_path_buf(
            path.strip_prefix(&repo).expect("inside").to_owned(),
        )
        .expect("UTF-8");
        let text = std::fs::read_to_string(&path).expect("read");
        let mut diags = Vec::new();
        let file: gloss::model::ArticleFile = gloss::load::parse_yaml(&rel, &text, &mut diags)
            .unwrap_or_else(|| panic!("{rel}: {diags:?}"));
        let slug = file
            .slug
            .as_ref()
            .map(|s| s.value.clone())
            .expect("bundled articles set their slug");
        let html = page(&format!("articles/{slug}/index.html"));
        let marks: BTreeSet<String> = tags(&html)
            .expect("tags")
            .into_iter()
            .filter(|t| t.name == "mark" && !t.closing)
            .filter_map(|t| t.attr("id").map(str::to_owned))
            .collect();
        assert!(
            marks.len() >= 8,
            "{slug}: {} highlighted annotations",
            marks.len()
        );
        for ann in &file.annotations {
            assert!(
                marks.contains(&ann.id.value),
                "{slug}: annotation `{}` is highlighted",
                ann.id.value
            );
        }
        let kinds: BTreeSet<_> = file.annotations.iter().map(|a| a.kind).collect();
        assert!(kinds.len() >= 3, "{slug}: annotation kinds {kinds:?}");
        checked += 1;
    }
    assert_eq!(checked, 5);
}

#[test]
fn every_page_is_reachable_from_the_home_page() {
    let Built { files, links, .. } = built();
    let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for l in links {
        if let Some(to) = &l.to {
            out.entry(l.from.as_str()).or_default().insert(to.as_str());
        }
    }
    let mut seen: BTreeSet<&str> = BTreeSet::from(["index.html"]);
    let mut queue = VecDeque::from(["index.html"]);
    while let Some(p) = queue.pop_front() {
        for &next in out.get(p).into_iter().flatten() {
            if seen.insert(next) {
                queue.push_back(next);
            }
        }
    }
    let unreachable: Vec<&String> = files
        .keys()
        .filter(|p| p.ends_with(".html") && *p != "404.html" && !seen.contains(p.as_str()))
        .collect();
    assert!(
        unreachable.is_empty(),
        "not reachable from the home page: {unreachable:?}"
    );
}

/// Links between two kinds of pages that come from the briefing's structure: mentions,
/// outlets, speakers, reported events, coverage. Left out are article cards (a card for
/// article B on page A links to B's outlet, which says nothing about A) and prose: links an
/// analyst writes in a note or summary (`@/events/x`) are references, not reports, and the
/// target page does not list them.
fn page_links(from_prefix: &str, to_prefix: &str) -> BTreeSet<(String, String)> {
    let files = &built().files;
    let base = base_url();
    let mut out = BTreeSet::new();
    for path in files.keys().filter(|p| {
        p.starts_with(from_prefix) && p.ends_with("/index.html") && p.matches('/').count() == 2
    }) {
        let on_article = from_prefix == "articles/";
        let html = strip_elements(&page(path), |t| {
            let class = t.attr("class").unwrap_or_default();
            let prose = [
                "note-body",
                "passage-text",
                "summary",
                "card-summary",
                "tl-summary",
            ]
            .contains(&class)
                || class.starts_with("prose");
            prose || (on_article && class.starts_with("card "))
        });
        let mut one: BTreeMap<String, Vec<u8>> =
            files.keys().map(|k| (k.clone(), Vec::new())).collect();
        one.insert(path.clone(), html.into_bytes());
        for l in internal_links(&one, &base) {
            if let Some(to) =
                l.to.filter(|t| t.starts_with(to_prefix) && t != &format!("{to_prefix}index.html"))
            {
                out.insert((path.clone(), to));
            }
        }
    }
    out
}

fn base_url() -> String {
    built().base_url.clone()
}

#[track_caller]
fn assert_both_ways(a: &str, b: &str) {
    let forward = page_links(a, b);
    let backward: BTreeSet<(String, String)> =
        page_links(b, a).into_iter().map(|(x, y)| (y, x)).collect();
    assert!(!forward.is_empty(), "{a} pages link to {b} pages");
    let only_forward: Vec<_> = forward.difference(&backward).collect();
    let only_backward: Vec<_> = backward.difference(&forward).collect();
    assert!(
        only_forward.is_empty(),
        "{a} → {b} without a link back: {only_forward:#?}"
    );
    assert!(
        only_backward.is_empty(),
        "{b} → {a} without a link back: {only_backward:#?}"
    );
}

#[test]
fn articles_and_entities_link_both_ways() {
    assert_both_ways("articles/", "entities/");
}

#[test]
fn articles_and_events_link_both_ways() {
    assert_both_ways("articles/", "events/");
}

#[test]
fn every_entity_and_event_is_linked_from_an_article_or_event() {
    // Not just from the index pages: each is part of the briefing's web.
    let from_articles: BTreeSet<String> = page_links("articles/", "entities/")
        .into_iter()
        .chain(page_links("events/", "entities/"))
        .map(|(_, to)| to)
        .collect();
    let lonely: Vec<String> = pages_under("entities/")
        .into_iter()
        .filter(|p| !from_articles.contains(p))
        .collect();
    assert!(
        lonely.is_empty(),
        "entities no article or event links to: {lonely:?}"
    );
    let events_linked: BTreeSet<String> = page_links("articles/", "events/")
        .into_iter()
        .map(|(_, to)| to)
        .collect();
    let unreported: Vec<String> = pages_under("events/")
        .into_iter()
        .filter(|p| !events_linked.contains(p))
        .collect();
    assert!(
        unreported.is_empty(),
        "events no article links to: {unreported:?}"
    );
}

#[test]
fn see_references_are_cited_back() {
    let mut pairs = 0;
    for path in pages_under("articles/") {
        let url = format!(
            "{}{}",
            crate::links::root_path(&base_url()),
            path.trim_end_matches("index.html")
        );
        for (ann, refs) in note_refs(&page(&path)) {
            let here = format!("{url}#{ann}");
            for target in &refs.see {
                let (target_page, target_ann) =
                    target.split_once('#').expect("a see link has a fragment");
                let file = format!(
                    "{}index.html",
                    target_page
                        .strip_prefix(&crate::links::root_path(&base_url()))
                        .expect("under the base")
                );
                let back = note_refs(&page(&file));
                let target_refs = back
                    .get(target_ann)
                    .unwrap_or_else(|| panic!("{target}: no such note"));
                // Two annotations that `see` each other show the link once, under "See also".
                assert!(
                    target_refs.cited_by.contains(&here) || target_refs.see.contains(&here),
                    "{here} sees {target}, which does not link back: {target_refs:?}"
                );
                pairs += 1;
            }
            for source in &refs.cited_by {
                let (source_page, source_ann) = source.split_once('#').expect("fragment");
                let file = format!(
                    "{}index.html",
                    source_page
                        .strip_prefix(&crate::links::root_path(&base_url()))
                        .expect("under the base")
                );
                let there = note_refs(&page(&file));
                assert!(
                    there[source_ann].see.contains(&here),
                    "{here} is cited by {source}, which does not see it"
                );
            }
        }
    }
    assert!(
        pairs >= 3,
        "the bundled briefing uses `see` ({pairs} references)"
    );
}

#[test]
fn a_chinese_term_in_a_note_is_marked_as_chinese() {
    // The note on "Right perception" (正确认知) in the bundled briefing is English prose with
    // a Chinese term: the term carries `lang="zh"` so browsers pick a CJK font for it.
    let pages: Vec<String> = pages_under("articles/")
        .into_iter()
        .map(|p| page(&p))
        .filter(|p| p.contains("正确认知"))
        .collect();
    assert!(!pages.is_empty(), "no article shows 正确认知");
    for p in pages {
        assert!(p.contains("<span lang=\"zh\">正确认知</span>"));
        assert!(!p.contains("<span lang=\"zh\">正确认知</span>)</span>"));
    }
}
