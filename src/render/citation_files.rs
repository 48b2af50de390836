//! The citation files: each reference's BibTeX, RIS and CSL-JSON download and the whole
//! briefing's `citations.bib` and `citations.json`, kept per article between rebuilds.

use super::citations::{Reference, annotations, article, bibtex, csl_json, csl_json_text, ris};
use crate::ix::ArticleIx;
use crate::link::SiteGraph;
use crate::memo::Memo;
use crate::pages::{Bytes, Edited, Pages, Sink};
use crate::routes;
use std::sync::Arc;

/// One article's citation files (its own reference's and its annotations'), and its part
/// of the briefing's `citations.bib` and `citations.json`.
struct ArticleCitations {
    files: Vec<(String, Bytes)>,
    bib: String,
    /// Its items of `citations.json` as they stand in that array: each indented one level,
    /// one after another with a comma between.
    json: String,
}

/// What `serve` keeps of the citation files between rebuilds, so that a rebuild makes
/// only the edited article's again (a 10,000-article briefing has some 330,000 citation
/// files) and takes the others as one map, not file by file.
#[derive(Default)]
pub struct CitationsCache {
    /// Each article's citations by slug, under `key`.
    articles: Memo<String, Arc<ArticleCitations>>,
    /// `citations.bib` and `citations.json` as joined from the parts of `articles`: an
    /// edit that leaves every reference as it was (most note edits) need not join a
    /// hundred megabytes again, nor have the server compare them.
    whole: Vec<(&'static str, Bytes)>,
    /// The order of the articles `whole` was joined in.
    order: u64,
}

impl CitationsCache {
    /// A cache for a render that runs once: it keeps nothing.
    pub fn one_shot() -> Self {
        Self {
            articles: Memo::one_shot(),
            whole: Vec::new(),
            order: 0,
        }
    }
}

/// A key of everything article `a`'s references are made of (`citations::article` and
/// `citations::annotations`): the article itself, which its `version` stands for, its
/// outlet's name, and the site's base URL, title and language (`site`). Cheap, unlike the
/// references, so that a rebuild need not make them for every article to find the edited
/// one.
fn key(g: &SiteGraph, a: ArticleIx, site: u64) -> u64 {
    let outlet = g.article_links[a]
        .outlet
        .map(|o| g.entities[o].name.as_str());
    crate::hash::stable_hash(&(g.articles[a].version, outlet, site))
}

fn article_citations(refs: &[Reference]) -> ArticleCitations {
    let mut files = Vec::with_capacity(refs.len() * 3);
    for r in refs {
        let one = std::slice::from_ref(r);
        for (ext, text) in [
            (routes::BIBTEX_EXT, bibtex(one)),
            (routes::RIS_EXT, ris(one)),
            (routes::CSL_JSON_EXT, csl_json_text(one)),
        ] {
            files.push((
                routes::citation(&r.key, ext),
                Bytes::from(text.into_bytes()),
            ));
        }
    }
    // serde_json's pretty array, item by item: each item's lines indented one level.
    let mut json = String::new();
    for (n, r) in refs.iter().enumerate() {
        if n > 0 {
            json.push_str(",\n");
        }
        let item = serde_json::to_string_pretty(&csl_json(r)).unwrap_or_default();
        for (i, line) in item.lines().enumerate() {
            if i > 0 {
                json.push('\n');
            }
            json.push_str("  ");
            json.push_str(line);
        }
    }
    ArticleCitations {
        files,
        bib: bibtex(refs),
        json,
    }
}

/// The citations of article `a`: the ones `memo` kept when they are made of the same,
/// else made now (and kept).
fn citations_of(
    g: &SiteGraph,
    a: ArticleIx,
    site: u64,
    memo: &mut Memo<String, Arc<ArticleCitations>>,
) -> (Arc<ArticleCitations>, bool) {
    let key = key(g, a, site);
    let slug = &g.articles[a].slug;
    if let Some(kept) = memo.get(slug.as_str(), key) {
        let kept = Arc::clone(kept);
        memo.carry(slug.as_str());
        return (kept, false);
    }
    let refs: Vec<Reference> = std::iter::once(article(g, a))
        .chain(annotations(g, a))
        .collect();
    let made = Arc::new(article_citations(&refs));
    memo.keep(slug.clone(), key, Arc::clone(&made));
    (made, true)
}

/// The site-wide settings the references read.
fn site_key(g: &SiteGraph) -> u64 {
    crate::hash::stable_hash(&(&g.config.base_url, &g.config.title, &g.config.language))
}

/// The download of each reference in each format, and the whole briefing's files, each
/// handed to `sink` as soon as it is made: a build writes them at once rather than holding
/// them all.
pub fn write_all_to(g: &SiteGraph, sink: &dyn Sink) {
    let site = site_key(g);
    let mut memo = Memo::one_shot();
    let mut parts = Vec::with_capacity(g.article_order.len());
    for &a in &g.article_order {
        let (mut made, _) = citations_of(g, a, site, &mut memo);
        for (path, bytes) in &made.files {
            sink.put(path, bytes);
        }
        // Only the parts of the whole files are held until the end.
        if let Some(own) = Arc::get_mut(&mut made) {
            own.files = Vec::new();
        }
        parts.push(made);
    }
    for (path, parts) in whole(&parts) {
        sink.put_parts(path, &parts);
    }
}

/// The citation files: the whole briefing's added to `pages`, each article's to `files`.
/// Articles whose references did not change since `cache` last saw them give the files
/// made then, which `files` holds as the last render put them there (unless it starts
/// empty): only the changed articles' files are put in it again.
pub fn write_all_cached(
    g: &SiteGraph,
    cache: &mut CitationsCache,
    pages: &mut Pages,
    files: &mut Edited,
) {
    let site = site_key(g);
    let memo = &mut cache.articles;
    let mut parts = Vec::with_capacity(g.article_order.len());
    // The citations made now, and the ones they replace.
    let mut made = Vec::new();
    let mut replaced = Vec::new();
    for &a in &g.article_order {
        let (citations, new) = citations_of(g, a, site, memo);
        if new {
            if let Some((_, old)) = memo.last(g.articles[a].slug.as_str()) {
                replaced.push(Arc::clone(old));
            }
            made.push(Arc::clone(&citations));
        }
        parts.push(citations);
    }
    // The articles that are gone.
    replaced.extend(memo.dropped().cloned());
    // Two articles with one slug (an error) would share files: then the map is made anew
    // from this run's files, and nothing is kept for the next.
    let one_shot = memo.is_one_shot();
    let shared = !one_shot && memo.kept() != parts.len();
    memo.finish();
    let order = crate::hash::stable_hash(
        &g.article_order
            .iter()
            .map(|&a| g.articles[a].slug.as_str())
            .collect::<Vec<_>>(),
    );
    // Made again as they were, as when a note is edited: every reference carries its
    // article's unique key, so equal texts are of the same article.
    let same_text = made.len() == replaced.len()
        && made
            .iter()
            .zip(&replaced)
            .all(|(m, r)| m.bib == r.bib && m.json == r.json);
    let unchanged = same_text && order == cache.order && !cache.whole.is_empty();
    cache.order = order;
    // The files of changed and gone articles go, and the changed ones' come back: all
    // articles' when `files` starts empty, or when two share one slug (an error), and so
    // the paths of their files.
    for old in &replaced {
        for (path, _) in &old.files {
            files.remove(path);
        }
    }
    let again: &[Arc<ArticleCitations>] = if files.is_fresh() || one_shot || shared {
        &parts
    } else {
        &made
    };
    for part in again {
        for (path, bytes) in &part.files {
            files.insert(path.clone(), bytes.clone());
        }
    }
    if shared {
        memo.clear();
    }
    if !unchanged || one_shot || shared {
        cache.whole = whole(&parts)
            .into_iter()
            .map(|(path, parts)| (path, crate::pages::concat(&parts)))
            .collect();
    }
    for (path, bytes) in &cache.whole {
        pages.insert((*path).into(), bytes.clone());
    }
    if one_shot {
        cache.whole.clear();
    }
}

/// The briefing's `citations.bib` and `citations.json`, in parts: every article's, in
/// order.
fn whole(articles: &[Arc<ArticleCitations>]) -> [(&'static str, Vec<&[u8]>); 2] {
    let bib = articles.iter().map(|p| p.bib.as_bytes()).collect();
    // serde_json's pretty array, one article's items after another.
    let mut json: Vec<&[u8]> = Vec::with_capacity(2 * articles.len() + 2);
    json.push(b"[");
    for part in articles.iter().filter(|p| !p.json.is_empty()) {
        json.push(if json.len() == 1 { b"\n" } else { b",\n" });
        json.push(part.json.as_bytes());
    }
    json.push(if json.len() == 1 { b"]\n" } else { b"\n]\n" });
    [(routes::CITATIONS_BIB, bib), (routes::CITATIONS_JSON, json)]
}
