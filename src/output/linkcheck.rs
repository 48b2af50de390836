//! Checks that every internal link in the rendered pages resolves to a page and, when it
//! has one, to an element with that `#fragment` id.

use crate::pages::Pages;
use crate::routes;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenLink {
    pub page: String,
    pub href: String,
}

/// Every internal `href`/`src` in HTML pages that does not resolve. `root` is the base
/// path (`/repo/`); links outside it, absolute URLs and `mailto:` are not checked.
pub fn check(pages: &Pages, root: &str) -> Vec<BrokenLink> {
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| {
            (
                p.as_str(),
                attribute_values(&String::from_utf8_lossy(b), "id")
                    .into_iter()
                    .collect(),
            )
        })
        .collect();
    let mut broken = Vec::new();
    for (page, bytes) in pages.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let dir = match page.rfind('/') {
            Some(i) => &page[..=i],
            None => "",
        };
        for attr in ["href", "src"] {
            for href in attribute_values(&html, attr) {
                if let Some(problem) = resolve(&href, page, dir, root, pages, &ids) {
                    broken.push(BrokenLink {
                        page: page.clone(),
                        href: problem,
                    });
                }
            }
        }
    }
    broken.sort_by(|a, b| (&a.page, &a.href).cmp(&(&b.page, &b.href)));
    broken.dedup();
    broken
}

fn resolve(
    href: &str,
    page: &str,
    dir: &str,
    root: &str,
    pages: &Pages,
    ids: &BTreeMap<&str, BTreeSet<String>>,
) -> Option<String> {
    let href = href.replace("&amp;", "&");
    if href.contains("://")
        || href.starts_with("mailto:")
        || href.starts_with("tel:")
        || href.starts_with("data:")
        || href.starts_with("//")
    {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href.as_str(), None),
    };
    let path = path.split('?').next().unwrap_or("");
    // The search bundle is written by `gloss build` only; `check` does not build it.
    if path.contains(&format!("{}/", crate::routes::SEARCH_BUNDLE))
        && !pages
            .keys()
            .any(|p| p.starts_with(crate::routes::SEARCH_BUNDLE))
    {
        return None;
    }
    let target = if path.is_empty() {
        page.to_owned()
    } else if let Some(abs) = path.strip_prefix('/') {
        let under_root = format!("/{abs}");
        match under_root.strip_prefix(root) {
            Some(rel) => rel.to_owned(),
            None => return Some(href.clone()),
        }
    } else {
        normalize(&format!("{dir}{path}"))
    };
    let candidates = if target.is_empty() || target.ends_with('/') {
        vec![routes::file(&target)]
    } else {
        vec![target.clone(), routes::file(&format!("{target}/"))]
    };
    let Some(found) = candidates.iter().find(|c| pages.contains_key(c.as_str())) else {
        return Some(href.clone());
    };
    match fragment {
        // Text fragments (`#:~:text=`) and empty fragments need no element.
        Some(f) if !f.is_empty() && !f.starts_with(":~:") => {
            let decoded = percent_encoding::percent_decode_str(f).decode_utf8_lossy();
            let has = ids
                .get(found.as_str())
                .is_some_and(|set| set.contains(decoded.as_ref()));
            (!has).then(|| href.clone())
        }
        _ => None,
    }
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

/// Values of `name="..."` attributes in HTML we generated (always double-quoted). Only
/// the inside of tags counts: text may show `href="…"` too (a note quoting HTML as code,
/// where Markdown escapes `<` but leaves quotes alone), and that is no link.
pub fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        // The tag ends at the first `>` outside a quoted value.
        let mut quote = None;
        let end = rest
            .char_indices()
            .find(|&(_, c)| match (quote, c) {
                (None, '"' | '\'') => {
                    quote = Some(c);
                    false
                }
                (Some(q), c) if c == q => {
                    quote = None;
                    false
                }
                (None, '>') => true,
                _ => false,
            })
            .map_or(rest.len(), |(i, _)| i);
        let mut tag = &rest[..end];
        while let Some(i) = tag.find(&needle) {
            tag = &tag[i + needle.len()..];
            let Some(close) = tag.find('"') else { break };
            out.push(tag[..close].to_owned());
            tag = &tag[close..];
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_come_from_tags_only() {
        let check = |html: &str, expect: &[&str]| {
            assert_eq!(attribute_values(html, "href"), expect, "{html}");
        };
        check(r#"<a href="/a/">a</a>"#, &["/a/"]);
        check(
            r#"<a class="x" href="/a/" title="b > c">a</a><a href="/b/">"#,
            &["/a/", "/b/"],
        );
        check(r#"<code>&lt;a href="/pdf"&gt;</code>"#, &[]);
        check(
            r#"<p>text href="/no/"</p><link rel="x" href="/s.css">"#,
            &["/s.css"],
        );
        check(r#"<a href="/broken"#, &[]);
    }

    #[test]
    fn finds_broken_links_and_fragments() {
        let pages: Pages = [
            ("index.html", r##"<a href="/r/a/">a</a> <a href="/r/a/#x">x</a> <a href="/r/a/#nope">n</a> <a href="/r/missing/">m</a> <a href="https://e.org/">e</a>"##),
            ("a/index.html", r##"<p id="x"></p><a href="../index.html#top">t</a>"##),
        ]
        .into_iter()
        .map(|(p, h)| (p.to_owned(), crate::pages::Bytes::from(h.as_bytes())))
        .collect();
        let broken: Vec<String> = check(&pages, "/r/")
            .into_iter()
            .map(|b| format!("{}:{}", b.page, b.href))
            .collect();
        assert_eq!(
            broken,
            vec![
                "a/index.html:../index.html#top",
                "index.html:/r/a/#nope",
                "index.html:/r/missing/"
            ]
        );
    }
}
