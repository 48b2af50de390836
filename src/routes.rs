//! Every output path and URL of the site, in one place: the render stage writes pages
//! where these say, and the feeds, open formats, search index, `@/` links, link check and
//! preview server all link to or serve them by the same rules.
//!
//! A page lives in a directory (`articles/<slug>/`, relative to the site root, always
//! ending in `/`; the home page's is empty) and is written to that directory's
//! `index.html`. Its URL is the directory under a prefix: the base path (`/` or `/repo/`)
//! for links between pages, the absolute base URL for feeds and open formats.

use crate::text::slugify;

/// The file every page directory is written to.
pub const INDEX_FILE: &str = "index.html";

/// Directories of the pages that list a whole section.
pub const HOME: &str = "";
pub const ARTICLES: &str = "articles/";
pub const ENTITIES: &str = "entities/";
pub const EVENTS: &str = "events/";
pub const TAGS: &str = "tags/";
pub const SEARCH: &str = "search/";
pub const CLAIMS: &str = "claims/";

/// Files at the output root.
pub const NOT_FOUND: &str = "404.html";
pub const FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const NOJEKYLL: &str = ".nojekyll";
pub const CNAME: &str = "CNAME";
pub const ANNOTATIONS: &str = "annotations.jsonld";
pub const TIMELINE: &str = "timeline.json";
pub const STYLESHEET: &str = "style.css";
/// The whole briefing's references: every article and annotation, in BibTeX and CSL-JSON.
pub const CITATIONS_BIB: &str = "citations.bib";
pub const CITATIONS_JSON: &str = "citations.json";

/// The extensions of one reference's downloads (`citation`).
pub const BIBTEX_EXT: &str = "bib";
pub const RIS_EXT: &str = "ris";
pub const CSL_JSON_EXT: &str = "json";

/// The folder of the Pagefind search bundle (its first part; more parts go inside).
pub const SEARCH_BUNDLE: &str = "pagefind";

/// What only the preview server serves, under the base path: never a file of the site.
pub const PREVIEW_INTERNAL: &str = "__gloss/";
/// The live-reload script, under the base path.
pub const LIVE_RELOAD_SCRIPT: &str = "__gloss/livereload.js";

/// An article's page directory.
pub fn article(slug: &str) -> String {
    format!("{ARTICLES}{slug}/")
}

/// An article's kept text, the document its Web Annotations target beside its page.
pub fn source_text(slug: &str) -> String {
    format!("{ARTICLES}{slug}/source.txt")
}

/// An article's source file as collected, byte for byte: the file whose SHA-256 the page
/// shows, so a reader can check it.
pub fn original_text(slug: &str) -> String {
    format!("{ARTICLES}{slug}/original.txt")
}

/// An article's translation file as written, byte for byte (its SHA-256 is on the page).
pub fn original_translation(slug: &str, language: &str) -> String {
    format!("{ARTICLES}{slug}/original.{language}.txt")
}

/// An article's translation, kept paragraphs as in `source.txt`: what the annotations
/// made in the translation target.
pub fn translation_text(slug: &str, language: &str) -> String {
    format!("{ARTICLES}{slug}/source.{language}.txt")
}

/// An entity's page directory.
pub fn entity(id: &str) -> String {
    format!("{ENTITIES}{id}/")
}

/// An event's page directory.
pub fn event(id: &str) -> String {
    format!("{EVENTS}{id}/")
}

/// A tag's page directory: the tag's slug, so any tag name makes a safe path.
pub fn tag(name: &str) -> String {
    format!("{TAGS}{}/", slugify(name))
}

/// A Markdown page's (`content/pages/<slug>.md`) directory.
pub fn page(slug: &str) -> String {
    format!("pages/{slug}/")
}

/// One reference's download in one format: `cite/<key>.<ext>`, keys being unique slugs.
pub fn citation(key: &str, ext: &str) -> String {
    format!("cite/{key}.{ext}")
}

/// The file name of a page's social card (`og:image`) in its directory.
pub const CARD_FILE: &str = "card.png";

/// The social card of the page written to `file`: `card.png` in the page's directory;
/// beside it, named after it, for a page that is a file of its own (`404.html` → `404.png`).
pub fn card(file: &str) -> String {
    match dir_of(file) {
        dir if dir != file => format!("{dir}{CARD_FILE}"),
        _ => format!("{}.png", file.strip_suffix(".html").unwrap_or(file)),
    }
}

/// The host of a base URL (`https://x.org/repo/` → `x.org`); empty for a bare path.
pub fn host(base_url: &str) -> &str {
    base_url
        .split_once("://")
        .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""))
}

/// The output file of a page directory.
pub fn file(dir: &str) -> String {
    format!("{dir}{INDEX_FILE}")
}

/// The directory an output file is served as: `articles/x/index.html` → `articles/x/`,
/// `index.html` → the home page's empty directory; any other file stays as it is.
pub fn dir_of(path: &str) -> &str {
    match path.strip_suffix(INDEX_FILE) {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
        _ => path,
    }
}

/// A page or file under a prefix: the base path for links, the base URL for feeds.
pub fn url(prefix: &str, dir: &str) -> String {
    format!("{prefix}{dir}")
}

/// A root-relative URL (which already carries the base path) made absolute from the base
/// URL's origin, for JSON-LD that is read away from the site.
pub fn absolute(base_url: &str, url: &str) -> String {
    let rel = url.trim_start_matches('/');
    let origin = base_url
        .split_once("://")
        .map_or(base_url.to_owned(), |(scheme, rest)| {
            format!("{scheme}://{}", rest.split('/').next().unwrap_or(""))
        });
    format!("{origin}/{rel}")
}

/// The page part of a URL that may carry a `#fragment`.
pub fn fragment(url: &str, id: &str) -> String {
    format!("{url}#{id}")
}

/// What an `@/` link names, without the `@/`: `articles/<id>`, `entities/<id>`,
/// `events/<id>`, `pages/<slug>`, a section (`articles`) or the home page (``).
pub mod link {
    pub fn article(id: &str) -> String {
        format!("articles/{id}")
    }
    pub fn entity(id: &str) -> String {
        format!("entities/{id}")
    }
    pub fn event(id: &str) -> String {
        format!("events/{id}")
    }
    pub fn page(slug: &str) -> String {
        format!("pages/{slug}")
    }
    /// The sections a bare `@/<section>` names.
    pub const SECTIONS: [&str; 4] = ["articles", "entities", "events", "tags"];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_directories_written_to_their_index_file() {
        let cases = [
            (article("a-b"), "articles/a-b/index.html"),
            (entity("wu"), "entities/wu/index.html"),
            (event("e1"), "events/e1/index.html"),
            (tag("Trade War"), "tags/trade-war/index.html"),
            (page("about"), "pages/about/index.html"),
            (HOME.to_owned(), "index.html"),
            (SEARCH.to_owned(), "search/index.html"),
            (CLAIMS.to_owned(), "claims/index.html"),
        ];
        for (dir, path) in cases {
            assert_eq!(file(&dir), path);
            assert_eq!(dir_of(path), dir);
            assert_eq!(url("/r/", &dir), format!("/r/{dir}"));
        }
        assert_eq!(dir_of(FEED), FEED);
        assert_eq!(citation("talks--q1", BIBTEX_EXT), "cite/talks--q1.bib");
        assert_eq!(
            absolute("https://x.org/repo/", "/repo/claims/#c"),
            "https://x.org/repo/claims/#c"
        );
        assert_eq!(dir_of("notindex.html"), "notindex.html");
        assert_eq!(card(&file(&article("a-b"))), "articles/a-b/card.png");
        assert_eq!(card(&file(HOME)), "card.png");
        assert_eq!(card(NOT_FOUND), "404.png");
        assert_eq!(host("https://x.org/repo/"), "x.org");
        assert_eq!(host("/"), "");
    }
}
