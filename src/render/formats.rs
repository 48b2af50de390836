//! Open data formats, so that other tools can reuse a briefing without scraping its pages:
//! `annotations.jsonld` (every annotation as a W3C Web Annotation) and `timeline.json` (the
//! events in TimelineJS3's format, for sites that embed TimelineJS).
//!
//! Both are built from the site graph, not from rendered HTML, and every URL in them is
//! absolute under the base URL: they are read from other origins.

use crate::edtf::{EdtfDate, Precision};
use crate::link::SiteGraph;
use crate::markdown::Markdown;
use crate::model::AnnotationKind;
use crate::pages::{Bytes, Pages};
use crate::render::view::SiteView;
use crate::routes;
use crate::types::ByteRange;
use rayon::prelude::*;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// How many characters of context a TextQuoteSelector carries on each side.
const CONTEXT_CHARS: usize = 32;

/// Adds `annotations.jsonld` and `timeline.json` to the output.
pub fn write_all(g: &SiteGraph, site: &SiteView, pages: &mut Pages) {
    write_all_cached(g, site, pages, &mut FormatsCache::default());
}

/// Each article's annotations, already serialized, reused while the article, its links
/// and the site's base are unchanged: serializing every annotation of a large corpus on
/// every rebuild would dominate the time `serve` takes to show an edit.
#[derive(Default)]
pub struct FormatsCache {
    items: HashMap<String, (u64, std::sync::Arc<str>)>,
    timeline: Option<(u64, Bytes)>,
}

/// `write_all`, reusing the serialized annotations of unchanged articles.
pub fn write_all_cached(
    g: &SiteGraph,
    site: &SiteView,
    pages: &mut Pages,
    cache: &mut FormatsCache,
) {
    pages.insert(routes::ANNOTATIONS.into(), annotations_json(g, site, cache));
    // The timeline shows events only: an edited annotation leaves it as it was.
    let coverage: Vec<usize> = g.event_links.iter().map(|l| l.coverage.len()).collect();
    let key = crate::hash::stable_hash(&(
        &g.events,
        &g.event_order,
        coverage,
        (&site.title, &site.description, &site.base_url),
        (g.config.build.allow_html, &g.config.highlight.theme),
        g.link_targets_key(),
    ));
    let timeline = match cache.timeline.take() {
        Some((k, bytes)) if k == key => bytes,
        _ => pretty(&timeline(g, site)).into(),
    };
    cache.timeline = Some((key, timeline.clone()));
    pages.insert(routes::TIMELINE.into(), timeline);
}

/// `annotations.jsonld` as text: the collection's header, pretty-printed, with each
/// article's items spliced into `first.items` at the indentation serde_json would use.
fn annotations_json(g: &SiteGraph, site: &SiteView, cache: &mut FormatsCache) -> Bytes {
    let base = &site.base_url;
    let previous = std::mem::take(&mut cache.items);
    let chunks: Vec<(String, u64, std::sync::Arc<str>, usize)> = g
        .article_order
        .par_iter()
        .map(|&a| {
            let art = &g.articles[a];
            let links = &g.article_links[a].annotations;
            let names: Vec<(&str, Vec<&str>, Vec<&str>)> = links
                .iter()
                .map(|l| {
                    let ents = l
                        .speaker
                        .iter()
                        .chain(&l.entities)
                        .map(|&e| g.entities[e].id.as_str())
                        .collect();
                    let evs = l.events.iter().map(|&e| g.events[e].id.as_str()).collect();
                    ("", ents, evs)
                })
                .collect();
            let key = crate::hash::stable_hash(&(art.version, &names, base, &site.language));
            let id = art.id.to_string();
            if let Some((k, text)) = previous.get(&id)
                && *k == key
            {
                return (id, key, std::sync::Arc::clone(text), art.annotations.len());
            }
            let items = article_items(g, site, a);
            let text = items
                .iter()
                .map(|item| {
                    serde_json::to_string_pretty(item)
                        .unwrap_or_default()
                        .replace('\n', "\n      ")
                })
                .collect::<Vec<_>>()
                .join(",\n      ");
            (id, key, text.into(), items.len())
        })
        .collect();
    let total: usize = chunks.iter().map(|c| c.3).sum();
    let items: Vec<&str> = chunks.iter().filter(|c| c.3 > 0).map(|c| &*c.2).collect();
    let header = collection(site, Value::String("@ITEMS@".into()), total);
    let header = serde_json::to_string_pretty(&header).unwrap_or_default();
    let (before, after) = header.split_once("\"@ITEMS@\"").unwrap_or((&header, ""));
    let mut parts: Vec<&[u8]> = Vec::with_capacity(2 * items.len() + 4);
    parts.push(before.as_bytes());
    if items.is_empty() {
        parts.push(b"[]");
    } else {
        for (i, item) in items.iter().enumerate() {
            parts.push(if i == 0 { b"[\n      " } else { b",\n      " });
            parts.push(item.as_bytes());
        }
        parts.push(b"\n    ]");
    }
    parts.push(after.as_bytes());
    parts.push(b"\n");
    let text = concat(&parts);
    for (id, key, chunk, _) in chunks {
        cache.items.insert(id, (key, chunk));
    }
    text
}

/// The parts joined, written once into the shared buffer that is served: at 10,000
/// articles `annotations.jsonld` is tens of megabytes, and each intermediate copy would
/// cost every rebuild milliseconds.
fn concat(parts: &[&[u8]]) -> Bytes {
    let len = parts.iter().map(|p| p.len()).sum();
    let mut out = std::sync::Arc::<[u8]>::new_uninit_slice(len);
    let buf = std::sync::Arc::get_mut(&mut out).expect("a new Arc has one owner");
    let mut at = 0;
    for part in parts {
        for (slot, byte) in buf[at..at + part.len()].iter_mut().zip(*part) {
            slot.write(*byte);
        }
        at += part.len();
    }
    // SAFETY: the parts' lengths sum to `len`, so the loop above wrote every byte.
    unsafe { out.assume_init() }
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

/// The TextQuoteSelector and TextPositionSelector of a passage of `seed`. Positions count
/// Unicode code points (not bytes, not UTF-16 units) from the start of the seed, as the
/// Web Annotation model requires; prefix and suffix are the 32 code points around it.
pub fn selectors(seed: &str, range: ByteRange) -> (Value, Value) {
    let start = seed[..range.start].chars().count();
    let len = range.of(seed).chars().count();
    let before = &seed[..range.start];
    let prefix_start = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let after = &seed[range.end..];
    let suffix_end = after
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(after.len(), |(i, _)| i);
    let quote = json!({
        "type": "TextQuoteSelector",
        "exact": range.of(seed),
        "prefix": &before[prefix_start..],
        "suffix": &after[..suffix_end],
    });
    let position = json!({"type": "TextPositionSelector", "start": start, "end": start + len});
    (quote, position)
}

/// Every annotation of every built article as one W3C Web Annotation collection.
pub fn annotations(g: &SiteGraph, site: &SiteView) -> Value {
    let items: Vec<Value> = g
        .article_order
        .iter()
        .flat_map(|&a| article_items(g, site, a))
        .collect();
    let total = items.len();
    collection(site, Value::Array(items), total)
}

/// The Web Annotations of one article, in reading order.
fn article_items(g: &SiteGraph, site: &SiteView, a: usize) -> Vec<Value> {
    let base = &site.base_url;
    let mut items = Vec::new();
    let art = &g.articles[a];
    let page = routes::url(base, &routes::article(&art.slug));
    let source = art
        .url
        .clone()
        .filter(|u| crate::markdown::is_safe_url(u) && u.contains("://"))
        .unwrap_or_else(|| page.clone());
    let al = &g.article_links[a];
    for (n, ann) in art.annotations.iter().enumerate() {
        let (quote, position) = selectors(&art.seed, ann.range);
        let mut bodies = Vec::new();
        let note = ann.note.as_deref().filter(|n| !n.trim().is_empty());
        if let Some(note) = note {
            // The note as written: Markdown whose `@/` links are the site's page ids.
            bodies.push(json!({"type": "TextualBody", "purpose": "commenting", "value": note, "format": "text/markdown", "language": site.language}));
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
        let mut target = json!({
            "type": "SpecificResource",
            "source": source,
            "selector": [quote, position],
            "gloss:sha256": art.source.sha256,
        });
        // A TimeState points at the archived copy the text can be checked against.
        if let Some(cached) = &art.source.archived {
            let mut state = json!({"type": "TimeState", "cached": cached});
            if let Some(d) = art.source.retrieved.as_ref().and_then(EdtfDate::start_iso) {
                state["sourceDate"] = json!(d);
            }
            target["state"] = state;
        }
        item.insert("target".into(), target);
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

/// A TimelineJS date object with exactly the fields the date's precision supports.
fn timeline_date(date: &EdtfDate) -> Option<Value> {
    let (y, m, d) = date.start_day()?;
    let mut obj = Map::new();
    obj.insert("year".into(), json!(y));
    if date.precision() >= Precision::Month {
        obj.insert("month".into(), json!(m));
    }
    if date.precision() >= Precision::Day {
        obj.insert("day".into(), json!(d));
    }
    Some(Value::Object(obj))
}

/// Each end of a date as its own date, so that `2020-10/2020-11-03` keeps both precisions.
fn ends(date: &EdtfDate) -> (Option<EdtfDate>, Option<EdtfDate>) {
    match date.as_str().split_once('/') {
        Some((a, b)) => (a.parse().ok(), b.parse().ok()),
        None => (Some(date.clone()), None),
    }
}

/// The events in TimelineJS3's JSON format (`{title, events: [...]}`), in timeline order.
/// Each slide's `display_date` is gloss's own wording, so an approximate date is not shown
/// as an exact one; TimelineJS groups slides by the event's first tag.
pub fn timeline(g: &SiteGraph, site: &SiteView) -> Value {
    let base = &site.base_url;
    let links = g.link_targets(base);
    let resolve = |p: &str| links.get(p).cloned();
    let md = Markdown {
        allow_html: g.config.build.allow_html,
        highlight_theme: &g.config.highlight.theme,
        resolve: &resolve,
    };
    let mut events = Vec::new();
    for &e in &g.event_order {
        let ev = &g.events[e];
        let (start, end) = ends(&ev.date);
        // TimelineJS needs a start; an event known only by its end is placed at the end.
        let Some(start_date) = start
            .as_ref()
            .and_then(timeline_date)
            .or_else(|| end.as_ref().and_then(timeline_date))
        else {
            continue;
        };
        let url = routes::url(base, &routes::event(ev.id.as_str()));
        let coverage = g.event_links[e].coverage.len();
        let mut text = ev
            .summary
            .as_deref()
            .map(|s| md.render(s).html)
            .unwrap_or_default();
        let label = match coverage {
            0 => "Event page".to_owned(),
            1 => "Coverage in 1 article".to_owned(),
            n => format!("Coverage in {n} articles"),
        };
        text.push_str(&format!(
            "<p><a href=\"{}\">{label}</a></p>",
            crate::html::escape(&url)
        ));
        let mut slide = Map::new();
        slide.insert("unique_id".into(), json!(ev.id.as_str()));
        slide.insert("start_date".into(), start_date);
        if let Some(end_date) = start.as_ref().and(end.as_ref()).and_then(timeline_date) {
            slide.insert("end_date".into(), end_date);
        }
        // TimelineJS3 puts every text field into the page with `innerHTML`, so each one is
        // HTML: plain text is escaped like on the pages, never passed through raw.
        slide.insert(
            "display_date".into(),
            json!(crate::html::escape(&ev.date.display())),
        );
        slide.insert(
            "text".into(),
            json!({"headline": crate::html::escape(&ev.title), "text": text}),
        );
        if let Some(tag) = ev.tags.first() {
            slide.insert("group".into(), json!(crate::html::escape(tag)));
        }
        events.push(Value::Object(slide));
    }
    json!({
        "title": {"text": {"headline": crate::html::escape(&site.title), "text": crate::html::escape(&site.description)}},
        "events": events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_count_code_points() {
        let seed = "“Ça va” — said Wu Qian, on Thursday.";
        let start = seed.find("Wu Qian").unwrap_or_default();
        let (quote, position) = selectors(seed, ByteRange::new(start, start + "Wu Qian".len()));
        assert_eq!(quote["exact"], "Wu Qian");
        assert_eq!(quote["prefix"], "“Ça va” — said ");
        assert_eq!(quote["suffix"], ", on Thursday.");
        assert_eq!(position["start"], 15);
        assert_eq!(position["end"], 22);
        let chars: Vec<char> = seed.chars().collect();
        assert_eq!(chars[15..22].iter().collect::<String>(), "Wu Qian");
    }

    #[test]
    fn context_is_32_characters() {
        let seed = format!("{}QUOTE{}", "é".repeat(40), "ü".repeat(40));
        let start = seed.find("QUOTE").unwrap_or_default();
        let (quote, _) = selectors(&seed, ByteRange::new(start, start + 5));
        assert_eq!(
            quote["prefix"].as_str().map(|s| s.chars().count()),
            Some(32)
        );
        assert_eq!(
            quote["suffix"].as_str().map(|s| s.chars().count()),
            Some(32)
        );
    }

    #[test]
    fn timeline_dates_keep_precision() {
        let date = |s: &str| s.parse::<EdtfDate>().ok().and_then(|d| timeline_date(&d));
        assert_eq!(date("2020"), Some(json!({"year": 2020})));
        assert_eq!(date("2020-10~"), Some(json!({"year": 2020, "month": 10})));
        assert_eq!(
            date("2020-10-29"),
            Some(json!({"year": 2020, "month": 10, "day": 29}))
        );
        let parsed: EdtfDate = "2022-08/..".parse().expect("valid EDTF");
        let (start, end) = ends(&parsed);
        assert_eq!(
            start.as_ref().and_then(timeline_date),
            Some(json!({"year": 2022, "month": 8}))
        );
        assert!(end.is_none());
        let parsed: EdtfDate = "2023-11-15/2023-11-16".parse().expect("valid EDTF");
        let (_, end) = ends(&parsed);
        assert_eq!(
            end.as_ref().and_then(timeline_date),
            Some(json!({"year": 2023, "month": 11, "day": 16}))
        );
    }

    #[test]
    fn motivations() {
        assert_eq!(motivation(AnnotationKind::Note, true), "commenting");
        assert_eq!(motivation(AnnotationKind::Question, true), "questioning");
        assert_eq!(motivation(AnnotationKind::Fact, false), "highlighting");
    }
}
