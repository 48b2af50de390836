//! Machine-readable outputs built without templates: the Atom feed (written by
//! `atom_syndication`), sitemap, robots.txt and schema.org JSON-LD. Dates come from the
//! content, never the clock, so output is reproducible.

use crate::edtf::{Day, EdtfDate, Precision};
use crate::link::SiteGraph;
use crate::render::view::{ArticleView, EntityRef, SiteView};
use crate::routes;
use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text,
};
use serde_json::json;
use std::collections::HashMap;

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.extend(xml_char(c)),
        }
    }
    out
}

/// A char as XML 1.0 can carry it: the chars it forbids would make a whole feed or sitemap
/// unreadable, so they are dropped (the feed writer escapes markup, not these).
fn xml_char(c: char) -> Option<char> {
    match c {
        c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => None,
        '\u{FFFE}' | '\u{FFFF}' => None,
        c => Some(c),
    }
}

fn xml_text(s: &str) -> String {
    s.chars().filter_map(xml_char).collect()
}

/// A feed text construct for `s`. Text that reads like markup (`<b>`, `</title>`) goes as
/// escaped HTML, so no reader or validator takes it for markup the text construct was not
/// declared to hold; anything else stays plain text.
fn feed_text(s: &str) -> Text {
    if s.contains('<') {
        Text::html(crate::html::escape(&xml_text(s)))
    } else {
        Text::plain(xml_text(s))
    }
}

/// The day a date states exactly. An Atom timestamp needs a whole day, and gloss never
/// invents one from a month or a year, nor for an interval whose start is open.
fn stated_day(date: &EdtfDate) -> Option<Day> {
    (date.precision() == Precision::Day)
        .then(|| date.start_day())
        .flatten()
}

/// The latest day the briefing states (an article's publication or revision, or an event): the feed's
/// `updated`, and the `updated` of an entry whose article states no day. None when the
/// briefing states no day at all, and then there is no feed, since RFC 4287 requires one.
fn last_day(g: &SiteGraph) -> Option<Day> {
    let articles = g.article_order.iter().flat_map(|&a| {
        let art = &g.articles[a];
        art.published.iter().chain(&art.updated)
    });
    articles
        .chain(g.events.iter().map(|e| &e.date))
        .filter(|d| d.precision() == Precision::Day)
        .filter_map(|d| d.end_day().or_else(|| d.start_day()))
        .max()
}

/// Whether the site has an Atom feed, so that pages link to it only when it exists.
pub fn has_feed(g: &SiteGraph) -> bool {
    last_day(g).is_some()
}

/// Midnight UTC of `day` plus `seconds`: sources give no time of day, and entries of one day
/// take successive seconds so that no two share `updated` (feed validators warn about that).
fn timestamp(day: Day, seconds: u32) -> Option<FixedDateTime> {
    let (year, month, day) = day;
    let seconds = seconds.min(86_399);
    chrono::NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))?
        .and_hms_opt(seconds / 3600, seconds / 60 % 60, seconds % 60)
        .map(|t| t.and_utc().fixed_offset())
}

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
                art.published.as_ref().map(EdtfDate::as_str),
                art.updated.as_ref().map(EdtfDate::as_str),
                &art.author,
                outlet,
                &art.tags,
                &art.summary,
                &art.language,
                // What the entry says when the summary has no text (`article_lead`) comes
                // from the seed's first paragraph: the seed's version stands for it, so a
                // rebuild does not cut an excerpt from every article to make this key.
                art.seed_version,
            )
        })
        .collect();
    let events: Vec<&str> = g.events.iter().map(|e| e.date.as_str()).collect();
    crate::hash::stable_hash(&(
        &site.language,
        &site.title,
        &site.description,
        &site.base_url,
        entries,
        events,
        // The content's links and HTML depend on these.
        g.link_targets_key(),
        (g.config.build.allow_html, &g.config.highlight.theme),
    ))
}

/// The Atom feed: one entry per article, newest first, links absolute under the base URL;
/// None when the briefing states no day (see [`last_day`]).
pub fn atom(g: &SiteGraph, site: &SiteView) -> Option<String> {
    let last_day = last_day(g)?;
    let mut seconds_into: HashMap<Day, u32> = HashMap::new();
    // The summary as HTML with absolute links: a feed reader resolves no `@/` page id.
    let links = g.link_targets(&site.base_url);
    let resolve = |p: &str| links.get(p).cloned();
    let md = crate::markdown::Markdown {
        allow_html: g.config.build.allow_html,
        highlight_theme: &g.config.highlight.theme,
        language: &g.config.language,
        resolve: &resolve,
    };
    let mut entries: Vec<Entry> = g
        .article_order
        .iter()
        .filter_map(|&a| {
            let art = &g.articles[a];
            let day = art.published.as_ref().and_then(stated_day);
            // The revision day the file states (`anchor` drops one before publication).
            let revised = art.updated.as_ref().and_then(stated_day);
            let updated_day = revised.or(day).unwrap_or(last_day);
            let seconds = seconds_into.entry(updated_day).or_default();
            let updated = timestamp(updated_day, *seconds)?;
            *seconds += 1;
            let url = routes::url(&site.base_url, &routes::article(&art.slug));
            let author = art
                .author
                .clone()
                .or_else(|| {
                    g.article_links[a]
                        .outlet
                        .map(|o| g.entities[o].name.clone())
                })
                .unwrap_or_else(|| site.title.clone());
            let foreign = art
                .language
                .as_deref()
                .filter(|l| *l != site.language)
                .map(xml_text);
            Some(Entry {
                // A title in another language than the feed's says which (`xml:lang`); the
                // summary is the annotator's, in the site's language.
                title: Text {
                    lang: foreign.clone(),
                    ..feed_text(&art.title)
                },
                links: vec![alternate(&url)],
                id: url,
                updated,
                published: day.and_then(|d| timestamp(d, 0)),
                authors: vec![person(&author)],
                categories: art
                    .tags
                    .iter()
                    .map(|tag| Category {
                        term: xml_text(tag),
                        ..Category::default()
                    })
                    .collect(),
                // Without the annotator's summary, the article's opening words, in its own
                // language: an entry with no text at all tells a feed reader nothing.
                summary: match art.summary.as_deref().map(crate::plain::plain_text) {
                    Some(summary) if !summary.is_empty() => Some(feed_text(&summary)),
                    _ => Some(super::article_lead(art))
                        .filter(|lead| !lead.is_empty())
                        .map(|lead| Text {
                            lang: foreign.clone(),
                            ..feed_text(&lead)
                        }),
                },
                content: art.summary.as_ref().map(|summary| Content {
                    value: Some(xml_text(&md.render(summary).html)),
                    content_type: Some("html".into()),
                    ..Content::default()
                }),
                ..Entry::default()
            })
        })
        .collect();
    entries.reverse();
    let feed = Feed {
        title: feed_text(&site.title),
        subtitle: (!site.description.is_empty()).then(|| feed_text(&site.description)),
        links: vec![
            Link {
                href: routes::url(&site.base_url, routes::FEED),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            },
            alternate(&site.base_url),
        ],
        id: site.base_url.clone(),
        updated: entries
            .iter()
            .map(|e| e.updated)
            .max()
            .or_else(|| timestamp(last_day, 0))?,
        authors: vec![person(&site.title)],
        generator: Some(Generator {
            value: "gloss".into(),
            ..Generator::default()
        }),
        lang: Some(xml_text(&site.language)),
        entries,
        ..Feed::default()
    };
    let config = atom_syndication::WriteConfig {
        // Written here, to name the encoding.
        write_document_declaration: false,
        indent_size: Some(2),
    };
    let mut out = b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".to_vec();
    out = feed.write_with_config(out, config).ok()?;
    out.push(b'\n');
    String::from_utf8(out).ok()
}

fn alternate(href: &str) -> Link {
    Link {
        href: href.to_owned(),
        rel: "alternate".into(),
        mime_type: Some("text/html".into()),
        ..Link::default()
    }
}

fn person(name: &str) -> Person {
    Person {
        name: xml_text(name),
        ..Person::default()
    }
}

/// `robots.txt`, naming the sitemap. Crawlers read it only at a host's root: a project
/// site (`https://user.github.io/repo/`) writes it where none looks, and says so in the file;
/// with a custom domain (`cname`) the site is that host's root, and the sitemap is named there.
pub fn robots(site: &SiteView, cname: &str) -> String {
    let sitemap = if cname.is_empty() {
        routes::url(&site.base_url, routes::SITEMAP)
    } else {
        format!("https://{cname}/{}", routes::SITEMAP)
    };
    let mut out = String::new();
    if cname.is_empty() && site.root != "/" {
        out.push_str(&format!(
            "# This site is served under {}, and crawlers read robots.txt only at the root of\n\
             # a host, so they ignore this file. Submit {sitemap} in the search engines'\n\
             # webmaster tools, or serve the site at a domain of its own ([github_pages] cname).\n",
            site.root
        ));
    }
    out.push_str(&format!("User-agent: *\nAllow: /\nSitemap: {sitemap}\n"));
    out
}

/// Every HTML page but the 404 page, as absolute URLs.
pub fn sitemap<'a>(site: &SiteView, pages: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in pages {
        let url = routes::url(&site.base_url, routes::dir_of(path));
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", xml(&url)));
    }
    out.push_str("</urlset>\n");
    out
}

/// schema.org `NewsArticle` as a complete `<script>` element, safe to print unescaped:
/// every `<` in the JSON is written as `\u003c`, so no string can close the element.
pub fn news_article_json_ld(
    view: &ArticleView,
    base_url: &str,
    _seed: &str,
    mentions: &[EntityRef],
) -> String {
    let site = |url: &str| routes::absolute(base_url, url);
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
        "inLanguage": view.language,
    });
    let obj = value.as_object_mut().expect("json! object");
    if let Some(d) = view.published.as_ref().filter(|d| !d.iso.is_empty()) {
        obj.insert("datePublished".into(), json!(d.iso));
    }
    if let Some(d) = view.updated.as_ref().filter(|d| !d.iso.is_empty()) {
        obj.insert("dateModified".into(), json!(d.iso));
    }
    if let Some(author) = &view.author {
        let mut person = json!({"@type": "Person", "name": author});
        // The byline links to the entity's page; so does the author here.
        if let Some(e) = &view.author_entity {
            person["url"] = json!(site(&e.url));
        }
        obj.insert("author".into(), person);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::testing::SiteBuilder;

    fn site() -> SiteView {
        SiteView {
            author: String::new(),
            as_of: None,
            title: "Floods & <Rivers>".into(),
            description: String::new(),
            base_url: "https://example.org/brief/".into(),
            root: "/brief/".into(),
            language: "en".into(),
            pages: Vec::new(),
            stylesheet: String::new(),
            feed: true,
            search: false,
            search_bundles: Vec::new(),
            search_languages: Vec::new(),
            live_reload: false,
            generator: "gloss".into(),
        }
    }

    fn graph() -> SiteGraph {
        let sources = SiteBuilder::new()
            .seed("old.txt", "Old news\n\nText.\n")
            .seed("new.txt", "New news\n\nText.\n")
            .article(
                "old",
                "title: Old \"news\"\npublished: 2020-01-02\ntags: [a&b]\n",
            )
            .article(
                "new",
                "title: New news\npublished: 2021-05-03\nauthor: Ana Holt\n",
            )
            .build();
        crate::link::link(
            crate::anchor::anchor_all(sources, &mut Default::default()).0,
            &mut Default::default(),
        )
        .0
    }

    #[test]
    fn the_feed_lists_articles_newest_first_with_absolute_escaped_urls() {
        let feed = atom(&graph(), &site()).expect("dated articles make a feed");
        let new = feed.find("New news").expect("new entry");
        let old = feed
            .find("Old &quot;news&quot;")
            .or_else(|| feed.find("Old \"news\""));
        assert!(new < old.expect("old entry"), "{feed}");
        for want in [
            "Floods &amp; &lt;Rivers",
            "https://example.org/brief/feed.xml",
            "https://example.org/brief/articles/old-news/",
            "Ana Holt",
            "a&amp;b",
        ] {
            assert!(feed.contains(want), "{want} in {feed}");
        }
        // The key changes with what the feed shows, and only then (a graph loaded again
        // has new versions of its files, which the key takes for their text).
        let g = graph();
        assert_eq!(atom_key(&g, &site()), atom_key(&g, &site()));
        let mut other = site();
        other.title = "Other".into();
        assert_ne!(atom_key(&g, &site()), atom_key(&g, &other));
    }

    #[test]
    fn robots_and_sitemap_point_at_absolute_page_urls() {
        let project = robots(&site(), "");
        assert!(
            project.ends_with(
                "User-agent: *\nAllow: /\nSitemap: https://example.org/brief/sitemap.xml\n"
            ),
            "{project}"
        );
        assert!(
            project.starts_with("# This site is served under /brief/"),
            "{project}"
        );
        assert_eq!(
            robots(&site(), "brief.example.net"),
            "User-agent: *\nAllow: /\nSitemap: https://brief.example.net/sitemap.xml\n"
        );
        let mut root = site();
        (root.base_url, root.root) = ("https://example.org/".into(), "/".into());
        assert_eq!(
            robots(&root, ""),
            "User-agent: *\nAllow: /\nSitemap: https://example.org/sitemap.xml\n"
        );
        let map = sitemap(&site(), ["index.html", "articles/a/index.html"].into_iter());
        assert!(
            map.contains("<loc>https://example.org/brief/</loc>"),
            "{map}"
        );
        assert!(
            map.contains("<loc>https://example.org/brief/articles/a/</loc>"),
            "{map}"
        );
    }
}
