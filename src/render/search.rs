//! Full-text search: a Pagefind index built in-process at build time, so a site needs no
//! Node tooling and `gloss build` alone produces a searchable site.
//!
//! Records are built from the site graph as plain text (title, summary, kept text, notes;
//! Markdown through `plain::plain_text`, so no `@/` link target reaches an excerpt)
//! rather than by re-parsing rendered HTML: Pagefind indexes one record at a time, so
//! feeding it only the words that matter is what keeps search affordable at 10,000
//! articles. Records use site-relative URLs (`/articles/x/`); Pagefind's browser code
//! prefixes them with the folder its bundle was loaded from (`/repo/pagefind/` → `/repo/`),
//! so one index works at a domain root and under a project-site path alike.

use crate::link::SiteGraph;
use crate::pages::Pages;
use crate::plain::plain_text;
use crate::routes;
use std::collections::BTreeMap;

/// Records per part of the index. A large site's index is built as several parts, each a
/// complete bundle, one after another on the indexing thread, so that only one part's
/// working memory is held at a time; the search page merges them (Pagefind's
/// `mergeIndex`). The split depends only on the number of records, never on the machine,
/// so every build writes the same files.
const RECORDS_PER_PART: usize = 1000;
/// Files of a bundle that only the user interface needs.
#[cfg(feature = "search")]
const UI_FILES: [&str; 4] = [
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
];
/// More parts would make each search fetch more metadata than it saves at build time.
const MAX_PARTS: usize = 4;

/// The part of the index record number `i` goes to, of `parts`: dealt out in turn, so every
/// part gets its share of the long article records.
fn part_of(i: usize, parts: usize) -> usize {
    i % parts
}

/// The bundle folders of an index of `records` records, relative to the output root
/// (`pagefind/`, then `pagefind/part2/`, …): the first is the one the search page loads.
pub fn bundle_dirs(records: usize) -> Vec<String> {
    let parts = records.div_ceil(RECORDS_PER_PART).clamp(1, MAX_PARTS);
    (1..=parts)
        .map(|i| match i {
            1 => format!("{}/", routes::SEARCH_BUNDLE),
            i => format!("{}/part{i}/", routes::SEARCH_BUNDLE),
        })
        .collect()
}

/// How many records `records` makes for a site: one per article, entity, event and page.
pub fn record_count(g: &SiteGraph) -> usize {
    g.articles.len() + g.entities.len() + g.events.len() + g.pages.len()
}

/// The language Pagefind indexes a text in: the primary subtag of its BCP 47 tag, lowercase
/// (`zh-Hans` → `zh`), which picks the stemmer and, for Chinese and Japanese, word segmentation.
fn index_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .filter(|l| !l.is_empty())
        .unwrap_or("en")
        .to_ascii_lowercase()
}

/// The language of each record, in the order `records` makes them: an article's own
/// `language:`, everything else in the site's.
fn record_languages(g: &SiteGraph) -> Vec<String> {
    let site = index_language(&g.config.language);
    g.articles
        .iter()
        .map(|art| {
            art.language
                .as_deref()
                .map_or_else(|| site.clone(), index_language)
        })
        .chain(std::iter::repeat_n(
            site.clone(),
            g.entities.len() + g.events.len() + g.pages.len(),
        ))
        .collect()
}

/// The indexes in languages other than the site's, as (bundle folder, language): Pagefind
/// keeps one index per language in each bundle and a page searches the one in its own
/// language, so the search page merges these to find pages in every language.
pub fn other_language_indexes(g: &SiteGraph) -> Vec<(String, String)> {
    let site = index_language(&g.config.language);
    let languages = record_languages(g);
    let dirs = bundle_dirs(languages.len());
    let found: std::collections::BTreeSet<(usize, String)> = languages
        .into_iter()
        .enumerate()
        .filter(|(_, l)| *l != site)
        .map(|(i, l)| (part_of(i, dirs.len()), l))
        .collect();
    found
        .into_iter()
        .map(|(part, language)| (dirs[part].clone(), language))
        .collect()
}

/// One searchable page. Serializable because `serve` builds its index in the server process
/// from the records its build process sends.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// Site-relative URL, `/articles/x/`.
    pub url: String,
    pub title: String,
    /// `article`, `entity`, `event` or `page`: the search UI's filter.
    pub kind: std::borrow::Cow<'static, str>,
    pub content: String,
    /// The language Pagefind indexes the record in (`en`, `zh`).
    pub language: String,
    /// Further filters, e.g. `outlet`.
    pub filters: BTreeMap<String, Vec<String>>,
}

/// The records of every article, entity, event and extra page, in a stable order.
pub fn records(g: &SiteGraph) -> Vec<Record> {
    records_kept(g, &mut RecordsMemo::one_shot())
        .into_iter()
        .map(|r| std::sync::Arc::try_unwrap(r).unwrap_or_else(|r| Record::clone(&r)))
        .collect()
}

/// Each article's record between the rebuilds of `serve`, under a fingerprint of what it
/// is made from: the same record (the same allocation) comes back while that is unchanged,
/// so a rebuild after one edit builds one article's record, and what changed is found
/// without comparing every article's text.
pub type RecordsMemo = crate::memo::Memo<String, std::sync::Arc<Record>>;

/// `records`, reusing what `memo` kept of unchanged articles.
pub fn records_kept(g: &SiteGraph, memo: &mut RecordsMemo) -> Vec<std::sync::Arc<Record>> {
    use std::sync::Arc;
    let mut out = Vec::with_capacity(record_count(g));
    let mut languages = record_languages(g).into_iter();
    let mut language = || languages.next().unwrap_or_default();
    // What an article's record reads beyond the article: the names of the entities it
    // mentions and of its outlet.
    let names = crate::hash::stable_hash(
        &g.entities
            .iter()
            .map(|e| (&e.name, &e.aliases))
            .collect::<Vec<_>>(),
    );
    for (a, art) in g.articles.iter_enumerated() {
        let language = language();
        let links = &g.article_links[a];
        let mut mentioned: Vec<crate::ix::EntityIx> =
            links.mentions.iter().map(|m| m.entity).collect();
        mentioned.sort_unstable();
        mentioned.dedup();
        let fingerprint = crate::hash::stable_hash(&(
            (art.version, art.seed_version),
            art.translation.as_ref().map(|t| t.version),
            &language,
            names,
            links.outlet,
            &mentioned,
        ));
        let key = art.id.as_str();
        let record = match memo.get(key, fingerprint) {
            Some(kept) => kept.clone(),
            None => Arc::new(article_record(g, a, &mentioned, language)),
        };
        memo.keep(key.to_owned(), fingerprint, record.clone());
        out.push(record);
    }
    memo.finish();
    let mut others = Vec::with_capacity(g.entities.len() + g.events.len() + g.pages.len());
    others_into(g, &mut language, &mut others);
    out.extend(others.into_iter().map(Arc::new));
    out
}

/// An article's record; `mentioned` are the entities its text mentions, in order.
fn article_record(
    g: &SiteGraph,
    a: crate::ix::ArticleIx,
    mentioned: &[crate::ix::EntityIx],
    language: String,
) -> Record {
    let art = &g.articles[a];
    let mut content = String::with_capacity(art.seed.len() + 512);
    push_line(&mut content, &art.title);
    if let Some(s) = &art.summary {
        push_line(&mut content, &plain_text(s));
    }
    for b in &art.blocks {
        push_line(&mut content, b.range.of(&art.seed));
    }
    // The translation too, so a search in the reader's language finds the article.
    if let Some(t) = &art.translation {
        if let Some(title) = &t.title {
            push_line(&mut content, title);
        }
        for b in &t.blocks {
            push_line(&mut content, b.range.of(&t.text));
        }
    }
    for n in &art.annotations {
        if let Some(note) = &n.note {
            push_line(&mut content, &plain_text(note));
        }
    }
    // Every name of each entity the text mentions, so that a search in either script
    // (`林晓舟`, `Lin Xiaozhou`) finds the article whichever one its text uses.
    for &e in mentioned {
        let entity = &g.entities[e];
        push_line(&mut content, &entity.name);
        for alias in &entity.aliases {
            push_line(&mut content, alias);
        }
    }
    let mut filters = BTreeMap::new();
    if let Some(o) = g.article_links[a].outlet {
        filters.insert("outlet".to_owned(), vec![g.entities[o].name.clone()]);
    }
    Record {
        url: routes::url("/", &routes::article(&art.slug)),
        title: art.title.clone(),
        kind: "article".into(),
        content,
        language,
        filters,
    }
}

/// The records of the entities, events and extra pages, after the articles'.
fn others_into(g: &SiteGraph, language: &mut impl FnMut() -> String, out: &mut Vec<Record>) {
    for e in &g.entities {
        let mut content = String::new();
        push_line(&mut content, &e.name);
        // An alias spelled like the name would only repeat it at the head of every excerpt.
        for a in e.aliases.iter().filter(|a| **a != e.name) {
            push_line(&mut content, a);
        }
        if let Some(role) = &e.role {
            push_line(&mut content, role);
        }
        if let Some(description) = &e.description {
            push_line(&mut content, &plain_text(description));
        }
        out.push(Record {
            url: routes::url("/", &routes::entity(e.id.as_str())),
            title: e.name.clone(),
            kind: "entity".into(),
            content,
            language: language(),
            filters: BTreeMap::new(),
        });
    }
    for ev in &g.events {
        let mut content = String::new();
        push_line(&mut content, &ev.title);
        push_line(&mut content, &ev.date.display());
        if let Some(s) = &ev.summary {
            push_line(&mut content, &plain_text(s));
        }
        out.push(Record {
            url: routes::url("/", &routes::event(ev.id.as_str())),
            title: ev.title.clone(),
            kind: "event".into(),
            content,
            language: language(),
            filters: BTreeMap::new(),
        });
    }
    for p in &g.pages {
        let mut content = String::new();
        push_line(&mut content, &p.title);
        push_line(&mut content, &plain_text(&p.body));
        out.push(Record {
            url: routes::url("/", &routes::page(&p.slug)),
            title: p.title.clone(),
            kind: "page".into(),
            content,
            language: language(),
            filters: BTreeMap::new(),
        });
    }
}

fn push_line(out: &mut String, text: &str) {
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(text.trim());
}

/// Builds the Pagefind bundle (index, UI scripts and styles) for `records` and adds it
/// under `pagefind/`, each record indexed in its own language.
#[cfg(feature = "search")]
pub fn add_index(records: Vec<Record>, pages: &mut Pages) -> Result<(), String> {
    for (name, contents) in bundle(records)? {
        pages.insert(name, contents.into());
    }
    Ok(())
}

/// The bundle's files: (path relative to the output root, bytes).
#[cfg(feature = "search")]
pub fn bundle(records: Vec<Record>) -> Result<Vec<(String, Vec<u8>)>, String> {
    let dirs = bundle_dirs(records.len());
    let mut parts: Vec<Vec<Record>> = dirs.iter().map(|_| Vec::new()).collect();
    for (i, record) in records.into_iter().enumerate() {
        parts[part_of(i, dirs.len())].push(record);
    }
    // Pagefind's API is async. A runtime of our own on a thread of our own works wherever
    // the build runs, including inside the `serve` command's runtime, where starting a
    // runtime on the calling thread would panic.
    // Parts are indexed one after another, each part's working memory freed once its files
    // are out: the pages render on the other threads meanwhile, so indexing parts side by
    // side only held more memory at once. At 2,000 articles (three parts) one at a time
    // peaked at 430–443 MB against 597–650 MB three at a time, in the same wall time.
    let built: Vec<Result<Vec<pagefind::api::SyntheticFile>, String>> = std::thread::scope(|s| {
        s.spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the indexer: {e}"));
            parts
                .into_iter()
                .map(|part| match &runtime {
                    Ok(rt) => rt.block_on(build(part)),
                    Err(e) => Err(e.clone()),
                })
                .collect::<Vec<_>>()
        })
        .join()
        .unwrap_or_else(|_| vec![Err("the search indexer stopped unexpectedly".into())])
    });
    let mut out = Vec::new();
    for (i, (dir, files)) in dirs.iter().zip(built).enumerate() {
        for file in files? {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            // The search page loads the user interface from the first part only.
            if i > 0 && UI_FILES.iter().any(|ui| name.starts_with(ui)) {
                continue;
            }
            out.push((format!("{dir}{name}"), file.contents));
        }
    }
    Ok(out)
}

#[cfg(feature = "search")]
async fn build(records: Vec<Record>) -> Result<Vec<pagefind::api::SyntheticFile>, String> {
    use pagefind::api::PagefindIndex;
    // Each record is indexed in its own language: Pagefind keeps an index per language and
    // segments Chinese and Japanese text into words (its `extended` feature).
    let mut index =
        PagefindIndex::new(None).map_err(|e| format!("cannot configure the search index: {e}"))?;
    for r in records {
        let mut filters = r.filters;
        filters.insert("kind".to_owned(), vec![r.kind.to_string()]);
        let meta = BTreeMap::from([("title".to_owned(), r.title)]);
        index
            .add_custom_record(
                r.url.clone(),
                r.content,
                r.language,
                Some(meta),
                Some(filters),
                None,
            )
            .await
            .map_err(|e| format!("cannot index {}: {e}", r.url))?;
    }
    index
        .get_files()
        .await
        .map_err(|e| format!("cannot build the search index: {e}"))
}

/// Without the `search` feature there is no index, and the theme shows no search page.
#[cfg(not(feature = "search"))]
pub fn add_index(_records: Vec<Record>, _pages: &mut Pages) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_grow_with_the_record_count_up_to_a_cap() {
        let check =
            |records: usize, expect: &[&str]| assert_eq!(bundle_dirs(records), expect, "{records}");
        check(0, &["pagefind/"]);
        check(1000, &["pagefind/"]);
        check(1001, &["pagefind/", "pagefind/part2/"]);
        check(2900, &["pagefind/", "pagefind/part2/", "pagefind/part3/"]);
        check(
            50_000,
            &[
                "pagefind/",
                "pagefind/part2/",
                "pagefind/part3/",
                "pagefind/part4/",
            ],
        );
    }

    #[test]
    fn records_are_plain_text_without_repeats() {
        let sources = crate::load::testing::SiteBuilder::new()
            .entities(
                "kirby:\n  name: John Kirby\n  kind: person\n  aliases: [\"John Kirby\", Kirby]\n  description: Moved to the [NSC](@/entities/nsc) as `coordinator`.\nnsc:\n  name: NSC\n  kind: organization\n",
            )
            .build();
        let anchored = crate::anchor::anchor_all(sources, &mut Default::default()).0;
        let g = crate::link::link(anchored, &mut Default::default()).0;
        let kirby = records(&g)
            .into_iter()
            .find(|r| r.title == "John Kirby")
            .expect("the entity's record");
        assert_eq!(
            kirby.content,
            "John Kirby\nKirby\nMoved to the NSC as coordinator."
        );
    }

    #[cfg(feature = "search")]
    #[test]
    fn builds_a_bundle_with_ui_assets() {
        let record = Record {
            url: "/articles/a/".into(),
            title: "Crisis talks".into(),
            kind: "article".into(),
            content: "Wu Qian announced the talks.".into(),
            language: "en".into(),
            filters: BTreeMap::new(),
        };
        let mut pages = Pages::new();
        add_index(vec![record], &mut pages).expect("index builds");
        for name in [
            "pagefind/pagefind.js",
            "pagefind/pagefind-ui.js",
            "pagefind/pagefind-ui.css",
            "pagefind/pagefind-entry.json",
        ] {
            assert!(
                pages.contains_key(name),
                "{name} missing: {:?}",
                pages.keys().collect::<Vec<_>>()
            );
        }
        let entry = String::from_utf8_lossy(&pages["pagefind/pagefind-entry.json"]).into_owned();
        assert!(entry.contains("\"en\""), "{entry}");
    }
}
