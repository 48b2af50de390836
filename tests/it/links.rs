//! Every internal link and `#fragment` resolves, at a domain root and under a path
//! (DESIGN §7: `https://user.github.io/repo/`).
//!
//! Three independent checks, so that a bug in one cannot hide a broken link: `gloss check
//! --links`; the library's own `linkcheck::check` on the pages in memory; and a walk written
//! here over the files on disk, which also follows absolute URLs under the base URL
//! (canonical links, `og:url`, the sitemap and the feed) that `linkcheck` leaves alone.

use crate::harness::{Site, tags};
use std::collections::{BTreeMap, BTreeSet};

/// A link from one output file to another, resolved.
#[derive(Clone, Debug)]
pub struct Link {
    /// The page it is on, relative to the output folder.
    pub from: String,
    pub href: String,
    /// The output file it lands on, if any.
    pub to: Option<String>,
    /// The `#fragment`, percent-decoded, if any.
    pub fragment: Option<String>,
}

/// Every link in an output tree whose target is inside the site: relative links,
/// root-relative links, and absolute links starting with `base_url`. Attributes read:
/// `href`, `src`, and `content` of `og:url`-style meta tags; in XML, `<loc>` and `href`.
pub fn internal_links(files: &BTreeMap<String, Vec<u8>>, base_url: &str) -> Vec<Link> {
    let root = root_path(base_url);
    let mut out = Vec::new();
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        let mut hrefs = Vec::new();
        if path.ends_with(".html") {
            for t in tags(&text).unwrap_or_else(|e| panic!("{path}: {e}")) {
                for (k, v) in &t.attrs {
                    let is_url_meta = t.name == "meta"
                        && k == "content"
                        && (v.starts_with("http://") || v.starts_with("https://"));
                    if k == "href" || k == "src" || is_url_meta {
                        hrefs.push(v.clone());
                    }
                }
            }
        } else if path.ends_with(".xml") {
            for piece in text.split("<loc>").skip(1) {
                hrefs.push(piece.split("</loc>").next().unwrap_or_default().to_owned());
            }
            for piece in text.split(" href=\"").skip(1) {
                hrefs.push(crate::harness::decode_entities(
                    piece.split('"').next().unwrap_or_default(),
                ));
            }
        } else {
            continue;
        }
        for href in hrefs {
            if let Some(link) = resolve(files, path, &href, base_url, &root) {
                out.push(link);
            }
        }
    }
    out
}

/// Links that land on no file, or on no element with their `#fragment`, as
/// `page: href (why)`.
pub fn broken_links(files: &BTreeMap<String, Vec<u8>>, base_url: &str) -> Vec<String> {
    let ids: BTreeMap<&str, BTreeSet<String>> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| {
            let html = String::from_utf8_lossy(b);
            let ids = tags(&html)
                .unwrap_or_else(|e| panic!("{p}: {e}"))
                .into_iter()
                .flat_map(|t| {
                    t.attrs
                        .into_iter()
                        .filter(|(k, _)| k == "id" || k == "name")
                        .map(|(_, v)| v)
                })
                .collect();
            (p.as_str(), ids)
        })
        .collect();
    let mut broken = Vec::new();
    for link in internal_links(files, base_url) {
        match (&link.to, &link.fragment) {
            (None, _) => broken.push(format!("{}: {} (no such file)", link.from, link.href)),
            (Some(to), Some(f))
                if to.ends_with(".html")
                    && !ids.get(to.as_str()).is_some_and(|s| s.contains(f)) =>
            {
                broken.push(format!(
                    "{}: {} (no id `{f}` in {to})",
                    link.from, link.href
                ));
            }
            _ => {}
        }
    }
    broken.sort();
    broken.dedup();
    broken
}

/// The path of a base URL: `/` or `/repo/`.
pub fn root_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

fn resolve(
    files: &BTreeMap<String, Vec<u8>>,
    from: &str,
    href: &str,
    base_url: &str,
    root: &str,
) -> Option<Link> {
    let lower = href.trim().to_ascii_lowercase();
    if lower.starts_with("mailto:") || lower.starts_with("tel:") || href.starts_with("//") {
        return None;
    }
    let (without_fragment, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let fragment = fragment
        .filter(|f| !f.is_empty() && !f.starts_with(":~:"))
        .map(|f| {
            percent_encoding::percent_decode_str(f)
                .decode_utf8_lossy()
                .into_owned()
        });
    let without_query = without_fragment.split('?').next().unwrap_or_default();
    // An absolute URL path of the target, e.g. `/repo/articles/x/`.
    let url_path = if let Some(rest) = without_query.strip_prefix(base_url) {
        format!("{root}{rest}")
    } else if without_query.contains(':') {
        // Another site (or a scheme gloss must never write; the hostile test checks that).
        return None;
    } else if without_query.starts_with('/') {
        without_query.to_owned()
    } else if without_query.is_empty() {
        format!("{root}{}", from.strip_suffix("index.html").unwrap_or(from))
    } else {
        let dir = from.rfind('/').map_or("", |i| &from[..=i]);
        normalize(&format!("{root}{dir}{without_query}"))
    };
    let link = |to: Option<String>| {
        Some(Link {
            from: from.to_owned(),
            href: href.to_owned(),
            to,
            fragment: fragment.clone(),
        })
    };
    let Some(rel) = url_path.strip_prefix(root) else {
        // A root-relative link that leaves the base path: broken on a project site.
        return link(None);
    };
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html")]
    } else {
        vec![rel.to_owned(), format!("{rel}/index.html")]
    };
    link(candidates.into_iter().find(|c| files.contains_key(c)))
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The bundled site's configured base URL.
fn configured_base_url(site: &Site) -> String {
    let toml = site.read("site.toml");
    let line = toml
        .lines()
        .find(|l| l.trim_start().starts_with("base_url"))
        .expect("site.toml sets base_url");
    line.split('"')
        .nth(1)
        .expect("a quoted base_url")
        .to_owned()
}

#[track_caller]
fn assert_links_resolve(site: &Site, base_url: &str) {
    let files = site.tree("public");
    let links = internal_links(&files, base_url);
    assert!(
        links.len() > 200,
        "the walk found the site's links ({})",
        links.len()
    );
    assert!(
        links.iter().any(|l| l.fragment.is_some()),
        "and some #fragments"
    );
    let broken = broken_links(&files, base_url);
    assert!(
        broken.is_empty(),
        "broken links under {base_url}:\n{}",
        broken.join("\n")
    );
}

#[test]
fn check_links_passes_under_a_path_and_at_a_domain_root() {
    // `gloss check --links` is what CI runs: it must pass on a good site, whatever its base.
    let at_root = Site::bundled();
    let base = configured_base_url(&at_root);
    at_root.replace(
        "site.toml",
        &format!("\"{base}\""),
        "\"https://example.org/\"",
    );
    for (name, site) in [
        ("bundled, under a path", Site::bundled()),
        ("bundled, at a domain root", at_root),
        ("mini", Site::fixture("mini")),
    ] {
        let run = site.gloss(&["check", "--links", "--format", "json"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stdout);
    }
}

#[test]
fn bundled_site_under_a_path() {
    let site = Site::bundled();
    let base = configured_base_url(&site);
    assert_ne!(
        root_path(&base),
        "/",
        "the bundled site is configured as a project site, under a path"
    );
    site.build().ok();
    assert_links_resolve(&site, &base);
}

#[test]
fn bundled_site_at_a_domain_root() {
    // The same site served from a domain root, set in site.toml…
    let site = Site::bundled();
    let base = configured_base_url(&site);
    site.replace(
        "site.toml",
        &format!("\"{base}\""),
        "\"https://example.org/\"",
    );
    site.build().ok();
    assert_links_resolve(&site, "https://example.org/");

    // …and given on the command line, which overrides it; nothing of the old path remains.
    let site = Site::bundled();
    site.gloss(&["build", "--base-url", "https://example.org/"])
        .ok();
    assert_links_resolve(&site, "https://example.org/");
    let old_path = root_path(&base);
    for (path, bytes) in site.tree("public") {
        if path.ends_with(".html") || path.ends_with(".xml") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(&format!("\"{old_path}")),
                "{path} still links under {old_path}"
            );
            assert!(!text.contains(&base), "{path} still names {base}");
        }
    }
}

#[test]
fn base_url_with_a_deeper_path_and_no_trailing_slash() {
    let site = Site::fixture("mini");
    site.gloss(&["build", "--base-url", "https://example.org/a/b"])
        .ok();
    assert_links_resolve_small(&site, "https://example.org/a/b/");
}

#[track_caller]
fn assert_links_resolve_small(site: &Site, base_url: &str) {
    let files = site.tree("public");
    assert!(internal_links(&files, base_url).len() > 50);
    let broken = broken_links(&files, base_url);
    assert!(
        broken.is_empty(),
        "broken links under {base_url}:\n{}",
        broken.join("\n")
    );
}

#[test]
fn second_briefing_links_resolve() {
    let site = Site::fixture("mini");
    site.build().ok();
    assert_links_resolve_small(&site, "https://example.org/kessel/");
}

#[test]
fn library_linkcheck_agrees() {
    // The crate's own checker, on the pages in memory, at both kinds of base URL.
    let site = Site::bundled();
    let root = camino::Utf8PathBuf::from_path_buf(site.root().to_owned()).expect("UTF-8 temp path");
    for base in [
        None,
        Some("https://example.org/"),
        Some("https://user.github.io/repo/"),
    ] {
        let overrides = gloss::load::Overrides {
            base_url: base.map(str::to_owned),
            ..Default::default()
        };
        // Rendered as `gloss build` renders, search index included.
        let options = gloss::render::RenderOptions {
            search: true,
            ..Default::default()
        };
        let outcome = gloss::pipeline::run(
            &root,
            &overrides,
            &options,
            &mut gloss::pipeline::Caches::default(),
            None,
        );
        assert!(!outcome.has_errors(), "{:#?}", outcome.diags);
        let pages = outcome.pages.expect("pages");
        let root_path = outcome.root_path.expect("root path");
        let broken = gloss::output::linkcheck::check(&pages, &root_path);
        assert!(broken.is_empty(), "under {base:?}: {broken:#?}");
    }
}

#[test]
fn the_walk_finds_broken_links() {
    // The checker above is only worth something if it can fail.
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert(
        "index.html".into(),
        br##"<a href="/r/a/">ok</a><a href="/r/a/#x">ok</a><a href="/r/a/#nope">bad</a><a href="/elsewhere/">bad</a><a href="a/">ok</a><a href="https://ex.org/r/b/">bad</a><a href="https://other.org/">ext</a><meta property="og:url" content="https://ex.org/r/">"##.to_vec(),
    );
    files.insert(
        "a/index.html".into(),
        br#"<p id="x">x</p><a href="../index.html">ok</a><a href="../../up.html">bad</a>"#.to_vec(),
    );
    let broken = broken_links(&files, "https://ex.org/r/");
    assert_eq!(broken.len(), 4, "{broken:#?}");
    for bad in [
        "#nope",
        "/elsewhere/",
        "https://ex.org/r/b/",
        "../../up.html",
    ] {
        assert!(
            broken.iter().any(|b| b.contains(bad)),
            "{bad} is broken: {broken:#?}"
        );
    }
}

#[test]
fn check_links_ignores_html_quoted_as_text() {
    // A note that shows an HTML snippet as code: the page has no such link.
    let site = Site::fixture("tiny");
    site.replace(
        "content/articles/harbour.yaml",
        "note: The article does not say whether the agreement binds either agency.",
        "note: 'The Gazette''s page links it as `<a href=\"/agreement.pdf\">PDF</a>`, a file it never published.'",
    );
    site.build().ok();
    assert!(
        broken_links(&site.tree("public"), "https://example.org/flood-desk/").is_empty(),
        "the page itself has no broken link"
    );
    let run = site.gloss(&["check", "--links", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}
