//! Machine-readable outputs built without templates: the Atom feed, sitemap, robots.txt and
//! schema.org JSON-LD. Dates come from the content, never the clock, so output is reproducible.

use crate::link::SiteGraph;
use crate::view::{ArticleView, DateView, EntityRef, SiteView};
use serde_json::json;

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids would make the whole feed unreadable.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The Atom feed: one entry per article, newest first, links absolute under the base URL.
/// A hash of everything `atom` reads, so a rebuild can tell the feed is unchanged (an
/// edited note or quote never shows in it) without writing it again.
pub fn atom_key(g: &SiteGraph, site: &SiteView) -> u64 {
    let entries: Vec<_> = g
        .article_order
        .iter()
        .map(|&a| {
            let art = &g.articles[a];
            let outlet = g.article_links[a].outlet.map(|o| &g.entities[o].name);
            (
                &art.title,
                &art.slug,
                &art.published,
                &art.author,
                outlet,
                &art.tags,
                &art.summary,
            )
        })
        .collect();
    crate::deps::stable_hash(&(
        &site.language,
        &site.title,
        &site.description,
        &site.base_url,
        entries,
    ))
}

pub fn atom(g: &SiteGraph, site: &SiteView) -> String {
    let mut entries: Vec<usize> = g.article_order.clone();
    entries.reverse();
    let stamp =
        |iso: Option<String>| format!("{}T00:00:00Z", iso.unwrap_or_else(|| "1970-01-01".into()));
    let updated = entries
        .iter()
        .filter_map(|&a| g.articles[a].published.as_ref().and_then(|d| d.start_iso()))
        .max()
        .map_or_else(|| stamp(None), |d| stamp(Some(d)));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    out.push_str(&format!(" xml:lang=\"{}\">\n", xml(&site.language)));
    out.push_str(&format!("  <title>{}</title>\n", xml(&site.title)));
    if !site.description.is_empty() {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            xml(&site.description)
        ));
    }
    out.push_str(&format!(
        "  <link href=\"{}feed.xml\" rel=\"self\" type=\"application/atom+xml\"/>\n",
        xml(&site.base_url)
    ));
    out.push_str(&format!(
        "  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
        xml(&site.base_url)
    ));
    out.push_str(&format!(
        "  <id>{}</id>\n  <updated>{updated}</updated>\n",
        xml(&site.base_url)
    ));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n  <generator>gloss</generator>\n",
        xml(&site.title)
    ));
    for &a in &entries {
        let art = &g.articles[a];
        let url = format!("{}articles/{}/", site.base_url, art.slug);
        let date = stamp(art.published.as_ref().and_then(|d| d.start_iso()));
        let author = art
            .author
            .clone()
            .or_else(|| {
                g.article_links[a]
                    .outlet
                    .map(|o| g.entities[o].name.clone())
            })
            .unwrap_or_else(|| site.title.clone());
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml(&art.title)));
        out.push_str(&format!(
            "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
            xml(&url)
        ));
        out.push_str(&format!("    <id>{}</id>\n", xml(&url)));
        out.push_str(&format!(
            "    <published>{date}</published>\n    <updated>{date}</updated>\n"
        ));
        out.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml(&author)
        ));
        for tag in &art.tags {
            out.push_str(&format!("    <category term=\"{}\"/>\n", xml(tag)));
        }
        if let Some(summary) = &art.summary {
            out.push_str(&format!(
                "    <summary>{}</summary>\n",
                xml(&summary.split_whitespace().collect::<Vec<_>>().join(" "))
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

pub fn robots(site: &SiteView) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        site.base_url
    )
}

/// Every HTML page but the 404 page, as absolute URLs.
pub fn sitemap<'a>(site: &SiteView, pages: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in pages {
        let url = format!("{}{}", site.base_url, path.trim_end_matches("index.html"));
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", xml(&url)));
    }
    out.push_str("</urlset>\n");
    out
}

/// A date as ISO 8601 at the precision the source gives (`2020`, `2020-10`, `2020-10-29`),
/// so that structured data does not claim a day the article never stated.
fn iso_at_precision(d: &DateView) -> Option<String> {
    let len = match d.precision {
        "year" => 4,
        "month" => 7,
        _ => 10,
    };
    d.iso.get(..len).map(str::to_owned)
}

/// A root-relative URL (which already carries the base path) made absolute from the base
/// URL's origin.
pub fn absolute_url(base_url: &str, url: &str) -> String {
    let rel = url.trim_start_matches('/');
    let origin = base_url
        .split_once("://")
        .map_or(base_url.to_owned(), |(scheme, rest)| {
            format!("{scheme}://{}", rest.split('/').next().unwrap_or(""))
        });
    format!("{origin}/{rel}")
}

/// schema.org `NewsArticle` as a complete `<script>` element, safe to print unescaped:
/// every `<` in the JSON is written as `\u003c`, so no string can close the element.
pub fn news_article_json_ld(
    view: &ArticleView,
    base_url: &str,
    _seed: &str,
    mentions: &[EntityRef],
) -> String {
    let site = |url: &str| absolute_url(base_url, url);
    let thing = |e: &EntityRef| {
        let ty = match e.kind.as_str() {
            "person" => "Person",
            "organization" => "Organization",
            "place" => "Place",
            _ => "Thing",
        };
        json!({"@type": ty, "name": e.name, "url": site(&e.url)})
    };
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": view.title,
        "url": site(&view.url),
        "mainEntityOfPage": site(&view.url),
        "mentions": mentions.iter().map(thing).collect::<Vec<_>>(),
        "keywords": view.tags.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
    });
    let obj = value.as_object_mut().expect("json! object");
    if let Some(d) = view.published.as_ref().and_then(iso_at_precision) {
        obj.insert("datePublished".into(), json!(d));
    }
    if let Some(author) = &view.author {
        obj.insert("author".into(), json!({"@type": "Person", "name": author}));
    } else if let Some(o) = &view.outlet {
        obj.insert("author".into(), thing(o));
    }
    if let Some(o) = &view.outlet {
        obj.insert("publisher".into(), thing(o));
    }
    if let Some(url) = &view.source_url {
        obj.insert("isBasedOn".into(), json!(url));
    }
    // The hash lets anyone check that the text annotated is the text published.
    obj.insert("inLanguage".into(), json!(view.source.language));
    obj.insert(
        "identifier".into(),
        json!({"@type": "PropertyValue", "propertyID": "sha256", "value": view.source.sha256}),
    );
    if let Some(url) = &view.source.archived {
        obj.insert("archivedAt".into(), json!(url));
    }
    let about: Vec<_> = view
        .annotations
        .iter()
        .flat_map(|a| a.entities.iter())
        .map(|e| (e.id.clone(), e))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_values()
        .map(thing)
        .collect();
    if !about.is_empty() {
        obj.insert("about".into(), json!(about));
    }
    let text = serde_json::to_string(&value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    format!("<script type=\"application/ld+json\">{text}</script>")
}
