//! Open data formats, so that other tools can reuse a briefing without scraping its pages:
//! `annotations.jsonld` (every annotation as a W3C Web Annotation), each article's kept
//! text (`source.txt`, which the annotations target, and `source.<language>.txt` for a
//! translation) and `timeline.json` (made by `timeline_json`).
//!
//! They are built from the site graph (the annotations' second target reads the rendered
//! article page, whose text it describes), and every URL in them is absolute under the
//! base URL: they are read from other origins.

use crate::edtf::EdtfDate;
use crate::ix::{ArticleIx, TiSlice, TiVec};
use crate::link::SiteGraph;
use crate::markdown::Markdown;
use crate::model::{AnnotationKind, TextSide};
use crate::pages::{Bytes, Edited, Joined, Pages, Sink};
use crate::render::page_text::{PageText, page_text};
use crate::render::targets::{CONTEXT_CHARS, Document, KeptText, targets};
use crate::render::timeline_json::timeline;
use crate::render::view::SiteView;
use crate::routes;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use serde_json::{Map, Value, json};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

/// What `serve` keeps of each article's open formats between rebuilds, so that a rebuild
/// makes again only the edited articles' parts and joins `annotations.jsonld` from the
/// kept parts of the others: cutting every article's kept text and serializing every
/// annotation of a large corpus on every rebuild would dominate the time an edit takes
/// to show.
#[derive(Default)]
pub struct FormatsCache {
    /// By article id.
    articles: FxHashMap<String, CachedArticle>,
    timeline: Option<(u64, Bytes)>,
}

/// One article's open-format parts. The texts are cut from the article alone, so they
/// stand while its `version` does; its annotations also read the site's settings, the ids
/// of what they link and the rendered page, which `items` carries the key of.
#[derive(Clone)]
struct CachedArticle {
    version: u64,
    /// `source.txt`: the kept text of the seed.
    source: Bytes,
    /// `source.<language>.txt`: the kept text of the translation, when there is one.
    translation: Option<Bytes>,
    items: CachedItems,
    /// The paths of the article's text files, as last put in the output.
    paths: Vec<String>,
}

/// One article's annotations as they go into `annotations.jsonld`, with the key of what
/// they were built from and the article page whose text they describe.
#[derive(Clone)]
struct CachedItems {
    key: u64,
    page: Option<Bytes>,
    text: Arc<str>,
    count: usize,
}

/// An article's parts this rebuild: the cache's as they were, or made (or re-keyed) now.
enum Parts<'c> {
    Kept(&'c CachedArticle),
    Made(CachedArticle),
}

impl Parts<'_> {
    fn get(&self) -> &CachedArticle {
        match self {
            Parts::Kept(kept) => kept,
            Parts::Made(made) => made,
        }
    }
}

/// Adds `annotations.jsonld` and `timeline.json` to `pages` and each article's text files
/// to `files`, making again only the parts of articles that changed since `cache` last saw
/// them (the others are the very buffers made then). `files` holds what the last render
/// put there, and only the changed articles' files are put in it again, unless it starts
/// empty. `rendered` holds the article pages, whose text the second target
/// of each annotation describes. With `joined`, `annotations.jsonld` goes there as its
/// parts instead of joined into `pages`.
pub fn write_all_cached(
    g: &SiteGraph,
    site: &SiteView,
    pages: &mut Pages,
    joined: Option<&mut Joined>,
    files: &mut Edited,
    cache: &mut FormatsCache,
    rendered: &Pages,
) {
    let base = &site.base_url;
    let targets_key = g.link_targets_key();
    // Notes link other pages by slug, and their HTML follows the site's Markdown settings;
    // every URL is under the base.
    let site_key = crate::hash::stable_hash(&(
        targets_key,
        g.config.build.allow_html,
        &g.config.highlight.theme,
        &g.config.language,
        base,
        &site.language,
    ));
    // The link targets are a map of every page: made only when some note is rendered.
    let links = OnceLock::new();
    let resolve = |p: &str| links.get_or_init(|| g.link_targets(base)).get(p).cloned();
    let md = note_markdown(g, &resolve);
    let kept = &cache.articles;
    let parts: Vec<Parts> = g
        .article_order
        .par_iter()
        .map(|&a| {
            let art = &g.articles[a];
            // The page's text places the second target. An unchanged page is the very
            // buffer the render cache kept, so comparing it is mostly a pointer comparison.
            let page = (!art.annotations.is_empty())
                .then(|| rendered.get(&routes::file(&routes::article(&art.slug))))
                .flatten()
                .cloned();
            let key = items_key(g, a, site_key);
            let old = kept
                .get(art.id.as_str())
                .filter(|old| old.version == art.version);
            let old_items = old.map(|old| &old.items).filter(|items| {
                items.key == key && crate::pages::same_file(items.page.as_ref(), page.as_ref())
            });
            match (old, old_items) {
                (Some(old), Some(items)) if ptr_eq_page(&items.page, &page) => Parts::Kept(old),
                (Some(old), Some(items)) => Parts::Made(CachedArticle {
                    items: CachedItems {
                        page,
                        ..items.clone()
                    },
                    version: old.version,
                    source: old.source.clone(),
                    translation: old.translation.clone(),
                    paths: Vec::new(),
                }),
                (old, _) => {
                    let texts = Texts::of(art);
                    let page_text = page.as_ref().and_then(|p| article_page_text(g, a, p));
                    let (text, count) = items_text(g, site, &md, a, &texts, page_text.as_ref());
                    let (source, translation) = match old {
                        Some(old) => (old.source.clone(), old.translation.clone()),
                        None => (
                            Bytes::from(texts.original.text.as_bytes()),
                            texts.translation.map(|t| Bytes::from(t.text.as_bytes())),
                        ),
                    };
                    Parts::Made(CachedArticle {
                        version: art.version,
                        source,
                        translation,
                        items: CachedItems {
                            key,
                            page,
                            text,
                            count,
                        },
                        paths: Vec::new(),
                    })
                }
            }
        })
        .collect();
    let items: Vec<(Arc<str>, usize)> = parts
        .iter()
        .map(|p| (Arc::clone(&p.get().items.text), p.get().items.count))
        .collect();
    let annotations = annotations_parts(site, &items);
    match joined {
        Some(joined) => {
            joined.insert(routes::ANNOTATIONS.into(), annotations.into());
        }
        None => {
            pages.insert(
                routes::ANNOTATIONS.into(),
                crate::pages::concat(&slices(&annotations)),
            );
        }
    }
    // Each article's text files: a kept article's are in `files` as the last render put
    // them; a changed one's replace its old ones.
    let mut made: Vec<(ArticleIx, CachedArticle)> = Vec::new();
    for (&a, parts) in g.article_order.iter().zip(parts) {
        let art = &g.articles[a];
        let mut parts = match parts {
            Parts::Kept(_) if !files.is_fresh() => continue,
            Parts::Kept(kept) => CachedArticle {
                paths: Vec::new(),
                ..kept.clone()
            },
            Parts::Made(made) => made,
        };
        if let Some(old) = cache.articles.get(art.id.as_str()) {
            for path in &old.paths {
                files.remove(path);
            }
        }
        let mut put = |path: String, bytes: Bytes| {
            parts.paths.push(path.clone());
            files.insert(path, bytes);
        };
        put(routes::source_text(&art.slug), parts.source.clone());
        // The files as collected are the loaded text itself, shared, not copied.
        put(
            routes::original_text(&art.slug),
            Bytes::from(art.seed.clone()),
        );
        if let Some(t) = &art.translation {
            put(
                routes::original_translation(&art.slug, &t.language),
                Bytes::from(t.text.clone()),
            );
            if let Some(kept) = &parts.translation {
                put(
                    routes::translation_text(&art.slug, &t.language),
                    kept.clone(),
                );
            }
        }
        made.push((a, parts));
    }
    for (a, made) in made {
        cache
            .articles
            .insert(g.articles[a].id.as_str().to_owned(), made);
    }
    // Every article has its entry now; any more are of articles that are gone.
    if cache.articles.len() != g.articles.len() {
        let ids: std::collections::HashSet<&str> =
            g.articles.iter().map(|a| a.id.as_str()).collect();
        cache.articles.retain(|id, gone| {
            let keep = ids.contains(id.as_str());
            if !keep {
                for path in &gone.paths {
                    files.remove(path);
                }
            }
            keep
        });
    }
    // The timeline shows events only: an edited annotation leaves it as it was.
    let coverage: Vec<usize> = g.event_links.iter().map(|l| l.coverage.len()).collect();
    let key = crate::hash::stable_hash(&(
        &g.events,
        &g.event_order,
        coverage,
        (&site.title, &site.description, &site.base_url),
        (g.config.build.allow_html, &g.config.highlight.theme),
        targets_key,
    ));
    let timeline = match cache.timeline.take() {
        Some((k, bytes)) if k == key => bytes,
        _ => pretty(&timeline(g, site)).into(),
    };
    cache.timeline = Some((key, timeline.clone()));
    pages.insert(routes::TIMELINE.into(), timeline);
}

/// A key of what an article's annotations show besides the article itself: the ids of
/// the entities and events each links, and the site-wide `site_key`.
fn items_key(g: &SiteGraph, a: ArticleIx, site_key: u64) -> u64 {
    let mut h = FxHasher::default();
    h.write_u64(site_key);
    g.articles[a].version.hash(&mut h);
    for l in &g.article_links[a].annotations {
        let entities = l.speaker.iter().chain(&l.entities);
        h.write_usize(l.speaker.iter().count() + l.entities.len());
        for &e in entities {
            g.entities[e].id.as_str().hash(&mut h);
        }
        h.write_usize(l.events.len());
        for &e in &l.events {
            g.events[e].id.as_str().hash(&mut h);
        }
    }
    h.finish()
}

/// Whether two renders of an article page are the same buffer (or both absent).
fn ptr_eq_page(a: &Option<Bytes>, b: &Option<Bytes>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// The texts an article's annotations target: its kept text, and its translation's.
struct Texts {
    original: KeptText,
    translation: Option<KeptText>,
}

impl Texts {
    fn of(art: &crate::anchor::Article) -> Self {
        Self {
            original: KeptText::of(art, TextSide::Original),
            translation: art
                .translation
                .as_ref()
                .map(|_| KeptText::of(art, TextSide::Translation)),
        }
    }
}

/// Every article's kept texts, made in parallel.
fn kept_texts(g: &SiteGraph) -> TiVec<ArticleIx, Texts> {
    let kept: Vec<Texts> = g.articles.raw.par_iter().map(|a| Texts::of(a)).collect();
    kept.into()
}

/// The text of article `a`'s page as the second target describes it, read once from its
/// HTML while a streaming build still holds the page.
pub fn article_page_text(g: &SiteGraph, a: ArticleIx, html: &[u8]) -> Option<PageText> {
    let art = &g.articles[a];
    (!art.annotations.is_empty()).then(|| {
        page_text(
            &String::from_utf8_lossy(html),
            art.annotations.len(),
            CONTEXT_CHARS,
        )
    })
}

/// The open formats, handing every file to `sink`: `annotations.jsonld` goes from its
/// parts, never joined in memory (at 10,000 articles it is hundreds of megabytes). `texts`
/// holds the text of each article page, taken from it before it was dropped.
pub fn write_all_to(
    g: &SiteGraph,
    site: &SiteView,
    sink: &dyn Sink,
    texts: &TiSlice<ArticleIx, Option<PageText>>,
) {
    let kept = kept_texts(g);
    let links = g.link_targets(&site.base_url);
    let resolve = |p: &str| links.get(p).cloned();
    let md = note_markdown(g, &resolve);
    let chunks: Vec<(Arc<str>, usize)> = g
        .article_order
        .par_iter()
        .map(|&a| {
            let page_text = texts.get(a).and_then(Option::as_ref);
            items_text(g, site, &md, a, &kept[a], page_text)
        })
        .collect();
    let parts = annotations_parts(site, &chunks);
    sink.put_parts(routes::ANNOTATIONS, &slices(&parts));
    for (art, kept) in g.articles.iter().zip(kept) {
        sink.put(
            &routes::source_text(&art.slug),
            kept.original.text.as_bytes(),
        );
        sink.put(&routes::original_text(&art.slug), art.seed.as_bytes());
        if let Some(t) = &art.translation {
            sink.put(
                &routes::original_translation(&art.slug, &t.language),
                t.text.as_bytes(),
            );
        }
        if let (Some(t), Some(kept)) = (&art.translation, kept.translation) {
            sink.put(
                &routes::translation_text(&art.slug, &t.language),
                kept.text.as_bytes(),
            );
        }
    }
    sink.put(routes::TIMELINE, &pretty(&timeline(g, site)));
}

/// One article's annotations as text for `first.items`, each pretty-printed at the
/// indentation serde_json would give it there, with how many there are.
fn items_text(
    g: &SiteGraph,
    site: &SiteView,
    md: &Markdown,
    a: ArticleIx,
    kept: &Texts,
    page_text: Option<&PageText>,
) -> (Arc<str>, usize) {
    let items = article_items(g, site, md, a, kept, page_text);
    let text = items
        .iter()
        .map(|item| {
            serde_json::to_string_pretty(item)
                .unwrap_or_default()
                .replace('\n', "\n      ")
        })
        .collect::<Vec<_>>()
        .join(",\n      ");
    (text.into(), items.len())
}

/// `annotations.jsonld` in parts: the collection's header, pretty-printed, with each
/// article's `items` (text and count) spliced into `first.items`. The articles' parts are
/// their texts themselves, shared, not copied.
fn annotations_parts(site: &SiteView, items: &[(Arc<str>, usize)]) -> Vec<Bytes> {
    let total: usize = items.iter().map(|i| i.1).sum();
    let items: Vec<&Arc<str>> = items.iter().filter(|i| i.1 > 0).map(|i| &i.0).collect();
    let header = collection(site, Value::String("@ITEMS@".into()), total);
    let header = serde_json::to_string_pretty(&header).unwrap_or_default();
    let (before, after) = header.split_once("\"@ITEMS@\"").unwrap_or((&header, ""));
    let bytes = |b: &[u8]| Bytes::from(b);
    let mut parts: Vec<Bytes> = Vec::with_capacity(2 * items.len() + 4);
    parts.push(bytes(before.as_bytes()));
    if items.is_empty() {
        parts.push(bytes(b"[]"));
    } else {
        let (first, next) = (bytes(b"[\n      "), bytes(b",\n      "));
        for (i, item) in items.into_iter().enumerate() {
            parts.push(if i == 0 { first.clone() } else { next.clone() });
            parts.push(Bytes::from(Arc::clone(item)));
        }
        parts.push(bytes(b"\n    ]"));
    }
    parts.push(bytes(after.as_bytes()));
    parts.push(bytes(b"\n"));
    parts
}

/// The slices of `parts`, as a sink or `concat` takes them.
fn slices(parts: &[Bytes]) -> Vec<&[u8]> {
    parts.iter().map(|p| &**p).collect()
}

fn pretty(value: &Value) -> Vec<u8> {
    // Serializing a `Value` cannot fail: every map key is a string.
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The W3C motivation that best says what an annotation of this kind does. An annotation
/// without a note only highlights its passage.
pub fn motivation(kind: AnnotationKind, has_note: bool) -> &'static str {
    if !has_note {
        return "highlighting";
    }
    match kind {
        AnnotationKind::Note => "commenting",
        AnnotationKind::Fact | AnnotationKind::Claim | AnnotationKind::Dispute => "assessing",
        AnnotationKind::Statement | AnnotationKind::Context => "describing",
        AnnotationKind::Question => "questioning",
    }
}

/// How notes become the HTML of annotation bodies: the site's settings, with `@/` links
/// resolved to absolute URLs, since `annotations.jsonld` is read from other origins.
fn note_markdown<'a>(
    g: &'a SiteGraph,
    resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
) -> Markdown<'a> {
    Markdown {
        allow_html: g.config.build.allow_html,
        highlight_theme: &g.config.highlight.theme,
        language: &g.config.language,
        resolve,
    }
}

/// The Web Annotations of one article, in reading order.
fn article_items(
    g: &SiteGraph,
    site: &SiteView,
    md: &Markdown,
    a: ArticleIx,
    kept: &Texts,
    page_text: Option<&PageText>,
) -> Vec<Value> {
    let base = &site.base_url;
    let mut items = Vec::new();
    let art = &g.articles[a];
    let page = routes::url(base, &routes::article(&art.slug));
    let source_text = routes::url(base, &routes::source_text(&art.slug));
    let al = &g.article_links[a];
    let mut in_source = Document::new(&source_text, &kept.original.text);
    let translation_text = art
        .translation
        .as_ref()
        .map(|t| routes::url(base, &routes::translation_text(&art.slug, &t.language)));
    let mut in_translation = translation_text
        .as_deref()
        .zip(kept.translation.as_ref())
        .map(|(url, kept)| (Document::new(url, &kept.text), kept));
    let mut on_page = page_text.map(|t| (Document::new(&page, &t.text), t));
    for (n, ann) in art.annotations.iter().enumerate() {
        // A passage of the translation targets the translation's text file.
        let (kept, in_text, sha256) = match (ann.side, &mut in_translation, &art.translation) {
            (TextSide::Translation, Some((doc, kept)), Some(t)) => (&**kept, doc, &t.sha256),
            _ => (&kept.original, &mut in_source, &art.source.sha256),
        };
        let target = targets(
            kept,
            in_text,
            on_page.as_mut().map(|(doc, t)| (doc, *t)),
            ann.id.as_str(),
            ann.range,
        );
        let mut bodies = Vec::new();
        let note = ann.note.as_deref().filter(|n| !n.trim().is_empty());
        if let Some(note) = note {
            // The note as HTML with absolute links: its Markdown's `@/` links are page ids
            // that only gloss can resolve.
            let html = md.render(note).html;
            bodies.push(json!({"type": "TextualBody", "purpose": "commenting", "value": html, "format": "text/html", "language": site.language}));
        }
        bodies.push(
            json!({"type": "TextualBody", "purpose": "classifying", "value": ann.kind.as_str()}),
        );
        let links = &al.annotations[n];
        // The speaker is often also in `entities`; link each page once, in order.
        let mut linked: Vec<String> = Vec::new();
        let entity_pages = links
            .speaker
            .iter()
            .chain(&links.entities)
            .map(|&e| routes::url(base, &routes::entity(g.entities[e].id.as_str())));
        let event_pages = links
            .events
            .iter()
            .map(|&e| routes::url(base, &routes::event(g.events[e].id.as_str())));
        for page in entity_pages.chain(event_pages) {
            if !linked.contains(&page) {
                bodies.push(
                    json!({"type": "SpecificResource", "purpose": "linking", "source": page}),
                );
                linked.push(page);
            }
        }
        let mut item = Map::new();
        item.insert("id".into(), json!(format!("{page}#{}", ann.id)));
        item.insert("type".into(), json!("Annotation"));
        item.insert(
            "motivation".into(),
            json!(motivation(ann.kind, note.is_some())),
        );
        item.insert("body".into(), Value::Array(bodies));
        let mut target = target;
        // The text-file target (the first) carries the SHA-256 of the file it was cut from
        // (the seed or the translation), and, for the seed, where there is one, a
        // TimeState pointing at the archived copy the text can be checked against.
        if let Some(first) = target.first_mut() {
            first["gloss:sha256"] = json!(sha256);
            if let Some(cached) = art
                .source
                .archived
                .as_ref()
                .filter(|_| ann.side == TextSide::Original)
            {
                let mut state = json!({"type": "TimeState", "cached": cached});
                if let Some(d) = art.source.retrieved.as_ref().and_then(EdtfDate::start_iso) {
                    state["sourceDate"] = json!(d);
                }
                first["state"] = state;
            }
        }
        item.insert("target".into(), Value::Array(target));
        if let Some(status) = ann.status {
            item.insert("gloss:status".into(), json!(status.as_str()));
        }
        items.push(Value::Object(item));
    }
    items
}

/// The collection around `items` (an array, or a placeholder to splice text into).
fn collection(site: &SiteView, items: Value, total: usize) -> Value {
    let base = &site.base_url;
    let id = routes::url(base, routes::ANNOTATIONS);
    json!({
        "@context": ["http://www.w3.org/ns/anno.jsonld", {"gloss": format!("{id}#")}],
        "id": id,
        "type": "AnnotationCollection",
        "label": site.title,
        "total": total,
        "generator": {"type": "Software", "name": site.generator},
        "first": {
            "id": format!("{id}#page1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn motivations() {
        assert_eq!(motivation(AnnotationKind::Note, true), "commenting");
        assert_eq!(motivation(AnnotationKind::Question, true), "questioning");
        assert_eq!(motivation(AnnotationKind::Fact, false), "highlighting");
    }
}
