//! The citation files: each reference's BibTeX, RIS and CSL-JSON download and the whole
//! briefing's `citations.bib` and `citations.json`, kept per article between rebuilds.

use super::citations::{
    RefKind, Reference, annotations, article, bibtex, csl_json, csl_json_text, ris,
};
use crate::edtf::EdtfDate;
use crate::link::SiteGraph;
use crate::pages::Bytes;
use crate::routes;

/// One article's citation files (its own reference's and its annotations'), and its part
/// of the briefing's `citations.bib` and `citations.json`.
pub struct ArticleCitations {
    files: Vec<(String, Bytes)>,
    bib: String,
    json_items: Vec<String>,
}

/// Each article's citations by slug, under a fingerprint of its references: a rebuild
/// under `serve` makes only the edited article's again (a 10,000-article briefing has
/// some 330,000 citation files).
pub type CitationsCache = crate::memo::Memo<String, std::sync::Arc<ArticleCitations>>;

/// A fingerprint of everything the citation files show of `refs`.
fn fingerprint(refs: &[Reference]) -> u64 {
    fn date(d: &Option<EdtfDate>) -> Option<(&str, bool)> {
        d.as_ref().map(|d| (d.as_str(), d.is_approximate()))
    }
    crate::hash::stable_hash(
        &refs
            .iter()
            .map(|r| {
                (
                    (
                        &r.key,
                        r.kind == RefKind::Annotation,
                        &r.title,
                        &r.container,
                    ),
                    (&r.authors, date(&r.issued), &r.url, date(&r.accessed)),
                    (&r.language, &r.note),
                )
            })
            .collect::<Vec<_>>(),
    )
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
    ArticleCitations {
        files,
        bib: bibtex(refs),
        json_items: refs
            .iter()
            .map(|r| serde_json::to_string_pretty(&csl_json(r)).unwrap_or_default())
            .collect(),
    }
}

/// The download of each reference in each format, and the whole briefing's files, each
/// handed to `put` as soon as it is made: a build writes them at once rather than holding
/// them all. Articles whose references did not change since `cache` last saw them give
/// the files made then.
pub fn write_all(g: &SiteGraph, cache: &mut CitationsCache, put: &mut dyn FnMut(String, Bytes)) {
    let mut bib = String::new();
    let mut json = String::from("[");
    let mut first_item = true;
    for &a in &g.article_order {
        let refs: Vec<Reference> = std::iter::once(article(g, a))
            .chain(annotations(g, a))
            .collect();
        let key = fingerprint(&refs);
        let slug = &g.articles[a].slug;
        let made = match cache.get(slug.as_str(), key) {
            Some(kept) => kept.clone(),
            None => std::sync::Arc::new(article_citations(&refs)),
        };
        for (path, bytes) in &made.files {
            put(path.clone(), bytes.clone());
        }
        bib.push_str(&made.bib);
        // serde_json's pretty array, item by item: each item's lines indented one level.
        for item in &made.json_items {
            json.push_str(if first_item { "\n" } else { ",\n" });
            first_item = false;
            for (i, line) in item.lines().enumerate() {
                if i > 0 {
                    json.push('\n');
                }
                json.push_str("  ");
                json.push_str(line);
            }
        }
        cache.keep(slug.clone(), key, made);
    }
    json.push_str(if first_item { "]\n" } else { "\n]\n" });
    cache.finish();
    put(routes::CITATIONS_BIB.into(), Bytes::from(bib.into_bytes()));
    put(
        routes::CITATIONS_JSON.into(),
        Bytes::from(json.into_bytes()),
    );
}
