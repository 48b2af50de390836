//! What other clients read of a briefing (issue 15): search records, meta descriptions,
//! the Atom feed and `annotations.jsonld` carry no gloss-only `@/` link, and text-fragment
//! links to the original carry the context that makes their first match the passage.

use crate::harness::Site;
use scraper::{Html, Selector};

/// A file's text, gunzipped first when it is gzip (Pagefind's index files are).
fn readable(bytes: &[u8]) -> String {
    #[cfg(feature = "search")]
    if bytes.starts_with(&[0x1f, 0x8b]) {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("gunzip");
        return String::from_utf8_lossy(&out).into_owned();
    }
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn no_output_file_carries_a_gloss_only_link() {
    let site = Site::bundled();
    site.build().ok();
    let mut fragments_naming_wu_qian = 0;
    for (path, bytes) in site.tree("public") {
        let text = readable(&bytes);
        for needle in [
            "](@/",
            "@/entities/",
            "@/articles/",
            "@/events/",
            "@/pages/",
        ] {
            assert!(!text.contains(needle), "{path} contains {needle}");
        }
        if path.ends_with(".pf_fragment") && text.contains("Wu Qian") {
            fragments_naming_wu_qian += 1;
        }
    }
    if cfg!(feature = "search") {
        assert!(fragments_naming_wu_qian > 0, "the search records were read");
    }
}

#[test]
fn descriptions_feed_and_annotations_show_link_text_and_absolute_links() {
    let site = Site::bundled();
    site.build().ok();
    let meta = Selector::parse("meta[name=description], meta[property='og:description']")
        .expect("selector");
    let mut described = 0;
    for path in site.output_files() {
        if !path.ends_with(".html") {
            continue;
        }
        let page = Html::parse_document(&site.output(&path));
        for m in page.select(&meta) {
            let content = m.value().attr("content").unwrap_or_default();
            assert!(
                !content.contains('`') && !content.contains("]("),
                "{path}: {content}"
            );
            described += usize::from(content.contains("Wu Qian"));
        }
    }
    assert!(described > 0, "a link's text stays in the description");

    let feed: atom_syndication::Feed = site.output("feed.xml").parse().expect("Atom");
    for entry in feed.entries() {
        let summary = entry
            .summary()
            .map(|s| s.value.as_str())
            .unwrap_or_default();
        assert!(
            !summary.contains('`') && !summary.contains("]("),
            "{summary}"
        );
        let content = entry.content().expect("each bundled article has a summary");
        assert_eq!(content.content_type(), Some("html"));
        let html = content.value().unwrap_or_default();
        assert!(html.contains("<p>"), "{html}");
        for href in html.split("href=\"").skip(1) {
            assert!(
                href.starts_with("https://"),
                "relative link in the feed: {href}"
            );
        }
    }

    let annotations: serde_json::Value =
        serde_json::from_str(&site.output("annotations.jsonld")).expect("JSON");
    let items = annotations["first"]["items"].as_array().expect("items");
    let mut notes = 0;
    for body in items
        .iter()
        .flat_map(|i| i["body"].as_array().into_iter().flatten())
    {
        if body["purpose"] == "commenting" {
            notes += 1;
            assert_eq!(body["format"], "text/html", "{body}");
            let value = body["value"].as_str().unwrap_or_default();
            for href in value.split("href=\"").skip(1) {
                assert!(href.starts_with("https://"), "relative link: {value}");
            }
        }
    }
    assert!(notes > 0);
}

/// The decoded terms of a text directive: (prefix, start, end, suffix).
fn directive(href: &str) -> (String, String, String, String) {
    let text = href.split_once("#:~:text=").expect("text fragment").1;
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .expect("UTF-8")
            .into_owned()
    };
    let (mut prefix, mut start, mut end, mut suffix) = Default::default();
    for (i, part) in text.split(',').enumerate() {
        if let Some(p) = part.strip_suffix('-').filter(|_| i == 0) {
            prefix = decode(p);
        } else if let Some(s) = part.strip_prefix('-') {
            suffix = decode(s);
        } else if start == String::new() {
            start = decode(part);
        } else {
            end = decode(part);
        }
    }
    (prefix, start, end, suffix)
}

#[test]
fn a_text_fragment_tells_a_repeated_quote_from_its_pull_quote() {
    // Article 001 repeats Wu Qian's sentence in a pull quote before the body's paragraph:
    // a fragment of the quote alone lands on the pull quote. The bundled articles name no
    // original URL, so this copy gets one.
    let site = Site::bundled();
    site.replace(
        "content/articles/001_3f1477e6d85b0c17.yaml",
        "slug: chinadaily-militaries-enhance-dialogue\n",
        "slug: chinadaily-militaries-enhance-dialogue\nurl: https://publisher.example/001\n",
    );
    site.build().ok();
    let seed = std::fs::read_to_string(site.path("seeds/001_3f1477e6d85b0c17.txt")).expect("seed");
    let seed = seed.split_whitespace().collect::<Vec<_>>().join(" ");
    let quote = "The US side said it has no intention of creating a military crisis with China";
    assert!(
        seed.matches(quote).count() > 1,
        "the seed repeats the quote"
    );
    let page = Html::parse_document(
        &site.output("articles/chinadaily-militaries-enhance-dialogue/index.html"),
    );
    let links = Selector::parse("a.note-source").expect("selector");
    let hrefs: Vec<String> = page
        .select(&links)
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert!(!hrefs.is_empty());
    let href = hrefs
        .iter()
        .find(|h| directive(h).1.contains("The US side"))
        .expect("the link of no-crisis-pledge");
    let (prefix, start, end, suffix) = directive(href);
    // As a browser searches, case-insensitively: the first place where the prefix and the
    // start occur together is where the highlight begins, and it must be the body's quote.
    let seed = seed.to_lowercase();
    let (quote, prefix, start) = (
        quote.to_lowercase(),
        prefix.to_lowercase(),
        start.to_lowercase(),
    );
    let lead = if prefix.is_empty() {
        start.clone()
    } else {
        format!("{prefix} {start}")
    };
    let begins = seed.find(&lead).expect("the directive is in the seed") + lead.len() - start.len();
    let (pull_at, body_at) = (
        seed.find(&quote).expect("quote"),
        seed.rfind(&quote).expect("quote"),
    );
    assert!(pull_at < body_at);
    assert!(
        begins <= body_at && body_at - begins <= 2,
        "{href} lands at byte {begins}; the pull quote is at {pull_at}, the body's quote at {body_at}"
    );
    // The end (or the start) and the suffix follow within the passage.
    let last = if end.is_empty() {
        start
    } else {
        end.to_lowercase()
    };
    let tail = if suffix.is_empty() {
        last
    } else {
        format!("{last} {}", suffix.to_lowercase())
    };
    let ends = seed[begins..].find(&tail).map(|at| begins + at);
    assert!(
        ends.is_some_and(|at| at < body_at + quote.len() + 40),
        "{href}: {tail:?} does not follow the passage"
    );
}

/// The text a client anchors selectors in: a plain-text file as it is, a page as the text
/// content of its `<body>` parsed by an HTML parser (every text node, in document order).
fn document_text(site: &Site, base: &str, url: &str) -> String {
    let rel = url.strip_prefix(base).expect("under the base URL");
    if rel.ends_with(".txt") {
        return site.output(rel);
    }
    let page = Html::parse_document(&site.output(&format!("{rel}index.html")));
    let body = Selector::parse("body").expect("selector");
    page.select(&body)
        .next()
        .expect("a body")
        .text()
        .collect::<String>()
}

#[test]
fn every_annotation_anchors_in_its_source_text_and_on_its_page() {
    let site = Site::bundled();
    site.build().ok();
    let annotations: serde_json::Value =
        serde_json::from_str(&site.output("annotations.jsonld")).expect("JSON");
    let base = annotations["id"]
        .as_str()
        .and_then(|id| id.strip_suffix("annotations.jsonld"))
        .expect("the collection's id is under the base URL");
    let items = annotations["first"]["items"].as_array().expect("items");
    assert!(items.len() > 10);
    let mut texts = std::collections::HashMap::new();
    for item in items {
        let targets = item["target"].as_array().expect("targets");
        let sources: Vec<&str> = targets
            .iter()
            .filter_map(|t| t["source"].as_str())
            .collect();
        assert!(
            sources.len() == 2 && sources[0].ends_with("/source.txt") && sources[1].ends_with('/'),
            "{item}"
        );
        for target in targets {
            let source = target["source"].as_str().expect("source");
            let text: &Vec<char> = texts
                .entry(source.to_owned())
                .or_insert_with(|| document_text(&site, base, source).chars().collect());
            let selector = |kind: &str| {
                target["selector"]
                    .as_array()
                    .and_then(|s| s.iter().find(|s| s["type"] == kind))
                    .expect("both selectors")
            };
            let (quote, position) = (
                selector("TextQuoteSelector"),
                selector("TextPositionSelector"),
            );
            let chars = |key: &str| -> Vec<char> {
                quote[key].as_str().unwrap_or_default().chars().collect()
            };
            let (prefix, exact, suffix) = (chars("prefix"), chars("exact"), chars("suffix"));
            let start = position["start"].as_u64().expect("start") as usize;
            let end = position["end"].as_u64().expect("end") as usize;
            assert_eq!(
                text.get(start..end),
                Some(exact.as_slice()),
                "the position selector of {} on {source}",
                item["id"]
            );
            // A quote selector anchors at the first place its prefix, exact and suffix
            // occur together: that must be the passage.
            let whole: Vec<char> = [prefix.as_slice(), &exact, &suffix].concat();
            let first = text
                .windows(whole.len())
                .position(|w| w == whole.as_slice());
            assert_eq!(
                first,
                Some(start - prefix.len()),
                "the quote selector of {} on {source}",
                item["id"]
            );
        }
    }
}

/// The schema.org JSON-LD of a built page.
fn json_ld(page: &str) -> serde_json::Value {
    let html = Html::parse_document(page);
    let script = Selector::parse("script[type='application/ld+json']").expect("selector");
    let text: String = html
        .select(&script)
        .next()
        .expect("JSON-LD")
        .text()
        .collect();
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn revisions_bylines_and_month_dates_reach_json_ld_and_the_feed_as_stated() {
    let site = Site::bundled();
    let article = "content/articles/001_3f1477e6d85b0c17.yaml";
    site.replace(
        article,
        "published: 2020-10-29\n",
        "published: 2020-10-29\nupdated: 2021-01-05\n",
    );
    // 002 is published in a month only: no day may be made up for it.
    site.replace(
        "content/articles/002_b061b12d1e4ea110.yaml",
        "published: 2023-12-01\n",
        "published: 2023-12\n",
    );
    site.build().ok();
    let page = site.output("articles/chinadaily-militaries-enhance-dialogue/index.html");
    let ld = json_ld(&page);
    assert_eq!(ld["datePublished"], "2020-10-29", "{ld}");
    assert_eq!(ld["dateModified"], "2021-01-05", "{ld}");
    // The byline links to the author's entity page, and so does the JSON-LD author.
    let byline = Html::parse_document(&page);
    let author_link = byline
        .select(&Selector::parse(".byline .author a").expect("selector"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("the byline links to the author's page")
        .to_owned();
    let author_url = ld["author"]["url"].as_str().expect("author.url");
    assert!(
        author_url.starts_with("https://")
            && author_url.ends_with(author_link.trim_start_matches('/')),
        "{author_url} vs {author_link}"
    );

    let month = site.output("articles/ukrinform-china-mod-ready-to-cooperate/index.html");
    assert!(month.contains("<meta property=\"article:published_time\" content=\"2023-12\">"));
    assert_eq!(json_ld(&month)["datePublished"], "2023-12");

    let feed: atom_syndication::Feed = site.output("feed.xml").parse().expect("Atom");
    let mut updated: Vec<String> = Vec::new();
    for entry in feed.entries() {
        let stamp = entry.updated().to_rfc3339();
        assert!(
            !updated.contains(&stamp),
            "two entries share updated {stamp}"
        );
        updated.push(stamp);
        if entry
            .id()
            .contains("chinadaily-militaries-enhance-dialogue")
        {
            assert_eq!(entry.updated().date_naive().to_string(), "2021-01-05");
            assert_eq!(
                entry
                    .published()
                    .map(|p| p.date_naive().to_string())
                    .as_deref(),
                Some("2020-10-29")
            );
        }
        if entry
            .id()
            .contains("ukrinform-china-mod-ready-to-cooperate")
        {
            assert!(entry.published().is_none(), "a month is no day: {entry:?}");
        }
    }
    assert_eq!(updated.len(), feed.entries().len());
}

#[test]
fn robots_txt_says_where_it_counts() {
    // The bundled briefing is a project site: its robots.txt is not at a host's root.
    let site = Site::bundled();
    site.build().ok();
    let robots = site.output("robots.txt");
    assert!(
        robots.starts_with("# This site is served under /china-us-channels/"),
        "{robots}"
    );
    assert!(robots.contains("Sitemap: https://example.github.io/china-us-channels/sitemap.xml"));
    // With a custom domain the site is that host's root, and robots.txt names the sitemap there.
    site.replace(
        "site.toml",
        "cname = \"\"",
        "cname = \"briefing.example.org\"",
    );
    site.build().ok();
    assert_eq!(
        site.output("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://briefing.example.org/sitemap.xml\n"
    );
}

#[test]
fn a_revision_before_publication_is_named_and_ignored() {
    let site = Site::bundled();
    let article = "content/articles/001_3f1477e6d85b0c17.yaml";
    site.replace(
        article,
        "published: 2020-10-29\n",
        "published: 2020-10-29\nupdated: 2019-05-01\n",
    );
    let (diags, _) = site.check_json();
    let warning = diags
        .iter()
        .find(|d| d.code == "invalid-date" && d.message.contains("updated: 2019-05-01"))
        .expect("a warning about the revision date");
    assert_eq!(warning.severity, "warning");
    assert!(
        warning
            .file
            .as_deref()
            .is_some_and(|f| f.ends_with("001_3f1477e6d85b0c17.yaml"))
    );
    assert_eq!(warning.line, Some(8));
    site.build().ok();
    let ld = json_ld(&site.output("articles/chinadaily-militaries-enhance-dialogue/index.html"));
    assert!(ld.get("dateModified").is_none(), "{ld}");
}

#[test]
fn an_article_without_a_summary_is_described_by_its_opening_words() {
    // The Chinese fixture's articles have no summary: feed readers and link previews get the
    // opening words of each text, marked with its language where it is not the feed's.
    let site = Site::fixture("zh");
    site.build().ok();
    let feed: atom_syndication::Feed = site.output("feed.xml").parse().expect("Atom");
    assert_eq!(feed.entries().len(), 3);
    for entry in feed.entries() {
        let summary = entry.summary().expect("every entry has a summary");
        assert!(!summary.value.trim().is_empty(), "{entry:?}");
        if entry.id().contains("qing-shi-shi-shui-wu-ju") {
            assert_eq!(summary.lang.as_deref(), Some("zh"));
            assert!(
                summary.value.starts_with("青石市水务局局长林晓舟表示"),
                "{summary:?}"
            );
        }
    }
    let page = site.output("articles/qing-shi-shi-shui-wu-ju-zhao-kai-fang-xun-hui-yi/index.html");
    let description = Html::parse_document(&page)
        .select(&Selector::parse("meta[name=description]").expect("selector"))
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_owned))
        .expect("a meta description");
    assert!(
        description.starts_with("青石市水务局局长林晓舟表示"),
        "{description}"
    );
}

#[test]
fn a_title_that_reads_like_markup_goes_to_the_feed_as_escaped_html() {
    let site = Site::fixture("mini");
    site.replace(
        "content/articles/drought-report.yaml",
        "title: \"Drought report: a dry two years on the Kessel\"",
        "title: \"Drought report: <b>two</b> dry years & the Kessel\"",
    );
    site.build().ok();
    let xml = site.output("feed.xml");
    let feed: atom_syndication::Feed = xml.parse().expect("Atom");
    let entry = feed
        .entries()
        .iter()
        .find(|e| e.title().value.contains("Drought"))
        .expect("the entry");
    // Declared as HTML whose text is the title: a reader shows `<b>`, it does not bolden.
    assert_eq!(entry.title().r#type, atom_syndication::TextType::Html);
    assert_eq!(
        entry.title().value,
        "Drought report: &lt;b&gt;two&lt;/b&gt; dry years &amp; the Kessel"
    );
    // Titles without markup stay plain text.
    assert!(
        feed.entries()
            .iter()
            .filter(|e| !e.title().value.contains("Drought"))
            .all(|e| e.title().r#type == atom_syndication::TextType::Text)
    );
}
