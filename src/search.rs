//! Full-text search: a Pagefind index built in-process from the rendered pages, so a site
//! needs no Node tooling and `gloss build` alone produces a searchable site.
//!
//! Pages are indexed under site-relative URLs (`/articles/x/`). Pagefind's browser code
//! prefixes results with the folder its bundle was loaded from (`/repo/pagefind/` →
//! `/repo/`), so one index works at a domain root and under a project-site path alike.
//! Each page gets a `kind` filter (article, entity, event, page) for the search UI; it is
//! added to the copy of the page given to the indexer, not to the published page, so it
//! works with any theme.

use crate::render::Pages;

/// The folder the search bundle is written to, relative to the output root.
pub const BUNDLE_DIR: &str = "pagefind";

/// The search kind of an output page, or `None` for pages that are not indexed: lists,
/// tag pages and the timeline only repeat what the indexed pages say.
pub fn page_kind(path: &str) -> Option<&'static str> {
    let dir = path.strip_suffix("/index.html")?;
    let (section, rest) = dir.split_once('/')?;
    if rest.is_empty() || rest.contains('/') {
        return None;
    }
    match section {
        "articles" => Some("article"),
        "entities" => Some("entity"),
        "events" => Some("event"),
        "pages" => Some("page"),
        _ => None,
    }
}

/// The HTML the indexer sees: the page plus a `kind` filter in its head, unless the theme
/// already declares one.
fn with_kind_filter(html: &str, kind: &str) -> String {
    if html.contains("data-pagefind-filter=\"kind") {
        return html.to_owned();
    }
    let meta = format!("<meta data-pagefind-filter=\"kind[content]\" content=\"{kind}\">");
    match html.find("</head>") {
        Some(i) => format!("{}{meta}{}", &html[..i], &html[i..]),
        None => format!("{meta}{html}"),
    }
}

/// The pages to index: (site-relative URL, HTML with its kind filter), in path order.
pub fn documents(pages: &Pages) -> Vec<(String, String)> {
    pages
        .iter()
        .filter_map(|(path, bytes)| {
            let kind = page_kind(path)?;
            let html = String::from_utf8_lossy(bytes);
            let url = format!("/{}", path.trim_end_matches("index.html"));
            Some((url, with_kind_filter(&html, kind)))
        })
        .collect()
}

/// Builds the Pagefind bundle (index, UI scripts and styles) for the site's pages and adds
/// it under `pagefind/`. `language` is the site's language, which chooses the stemmer.
#[cfg(feature = "search")]
pub fn add_index(pages: &mut Pages, language: &str) -> Result<(), String> {
    let documents = documents(pages);
    let language = language.to_owned();
    // Pagefind's API is async. A runtime of our own on a thread of our own works wherever
    // the build runs, including inside the `serve` command's runtime, where starting a
    // runtime on the calling thread would panic.
    let files = std::thread::scope(|s| {
        s.spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the indexer: {e}"))?;
            runtime.block_on(build(documents, language))
        })
        .join()
        .unwrap_or_else(|_| Err("the search indexer stopped unexpectedly".into()))
    })?;
    for file in files {
        let name = file.filename.to_string_lossy().replace('\\', "/");
        pages.insert(format!("{BUNDLE_DIR}/{name}"), file.contents);
    }
    Ok(())
}

#[cfg(feature = "search")]
async fn build(documents: Vec<(String, String)>, language: String) -> Result<Vec<pagefind::api::SyntheticFile>, String> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    // One language for the whole site: it is what site.toml says the site is written in.
    let language = language.split(['-', '_']).next().unwrap_or("en").to_ascii_lowercase();
    let config = PagefindServiceConfig::builder().force_language(language).build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| format!("cannot configure the search index: {e}"))?;
    for (url, html) in documents {
        index
            .add_html_file(None, Some(url.clone()), html)
            .await
            .map_err(|e| format!("cannot index {url}: {e}"))?;
    }
    index.get_files().await.map_err(|e| format!("cannot build the search index: {e}"))
}

/// Without the `search` feature there is no index, and the theme shows no search page.
#[cfg(not(feature = "search"))]
pub fn add_index(_pages: &mut Pages, _language: &str) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_path() {
        assert_eq!(page_kind("articles/x/index.html"), Some("article"));
        assert_eq!(page_kind("entities/wu-qian/index.html"), Some("entity"));
        assert_eq!(page_kind("events/e/index.html"), Some("event"));
        assert_eq!(page_kind("pages/about/index.html"), Some("page"));
        assert_eq!(page_kind("articles/index.html"), None);
        assert_eq!(page_kind("index.html"), None);
        assert_eq!(page_kind("tags/x/index.html"), None);
        assert_eq!(page_kind("404.html"), None);
    }

    #[test]
    fn filter_goes_in_the_head_once() {
        let html = with_kind_filter("<html><head><title>t</title></head><body></body></html>", "event");
        assert_eq!(html, "<html><head><title>t</title><meta data-pagefind-filter=\"kind[content]\" content=\"event\"></head><body></body></html>");
        assert_eq!(with_kind_filter(&html, "article"), html);
    }

    #[cfg(feature = "search")]
    #[test]
    fn builds_a_bundle_with_ui_assets() {
        let mut pages = Pages::new();
        let page = "<html><head><title>A</title></head><body><main data-pagefind-body><h1>Crisis talks</h1><p>Wu Qian announced the talks.</p></main></body></html>";
        pages.insert("articles/a/index.html".into(), page.as_bytes().to_vec());
        pages.insert("index.html".into(), page.as_bytes().to_vec());
        add_index(&mut pages, "en").expect("index builds");
        for name in ["pagefind/pagefind.js", "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css", "pagefind/pagefind-entry.json"] {
            assert!(pages.contains_key(name), "{name} missing: {:?}", pages.keys().collect::<Vec<_>>());
        }
        let entry = String::from_utf8_lossy(&pages["pagefind/pagefind-entry.json"]).into_owned();
        assert!(entry.contains("\"en\""), "{entry}");
    }
}
