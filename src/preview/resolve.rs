//! What a request path names in the preview: a file of the site, a redirect to a page's
//! folder, or one of the server's own endpoints; and the Content-Type of each file.

use crate::routes;

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the site, by its key in the page map.
    Page(String),
    /// Somewhere else to go: the root path, or a page's folder URL with its slash.
    Redirect(String),
    Events,
    Script,
    NotFound,
}

/// Maps a raw (still percent-encoded) request path to what it names. `exists` says
/// whether the page map has a key. Anything that could step outside the site, or that
/// is spelled ambiguously, resolves to `NotFound` without being looked up.
pub fn resolve(
    path: &str,
    query: Option<&str>,
    root: &str,
    exists: impl Fn(&str) -> bool,
) -> Resolved {
    let keep_query = |to: String| match query {
        Some(q) if !q.is_empty() => format!("{to}?{q}"),
        _ => to,
    };
    if root != "/" && (path == "/" || path == root.trim_end_matches('/')) {
        return Resolved::Redirect(keep_query(root.to_owned()));
    }
    for base in [root, "/"] {
        if let Some(name) = path
            .strip_prefix(base)
            .and_then(|p| p.strip_prefix(routes::PREVIEW_INTERNAL))
        {
            match name {
                "events" => return Resolved::Events,
                "livereload.js" => return Resolved::Script,
                _ => {}
            }
        }
    }
    let Some(rest) = path.strip_prefix(root) else {
        return Resolved::NotFound;
    };
    let Some(rel) = decode(rest) else {
        return Resolved::NotFound;
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        routes::file(&rel)
    } else {
        rel.clone()
    };
    if exists(&key) {
        return Resolved::Page(key);
    }
    if !rel.is_empty() && !rel.ends_with('/') && exists(&routes::file(&format!("{rel}/"))) {
        return Resolved::Redirect(keep_query(format!("{path}/")));
    }
    Resolved::NotFound
}

/// Percent-decodes a path below the root and checks it names a plain relative path:
/// UTF-8, no NUL, no backslash, no empty, `.` or `..` segment (a trailing slash is fine),
/// and no encoded `/` or `\` (a segment must not secretly be two).
fn decode(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    if raw.contains('\\') || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")
    {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\0', '\\']) {
        return None;
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if (segment.is_empty() && i != last) || *segment == "." || *segment == ".." {
            return None;
        }
    }
    Some(decoded.into_owned())
}

/// The Content-Type for a file name.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "jsonld" => "application/ld+json",
        "bib" => "application/x-bibtex; charset=utf-8",
        "ris" => "application/x-research-info-systems; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        _ if path.ends_with("CNAME") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> Resolved {
        let pages = [
            "index.html",
            "articles/x/index.html",
            "style.css",
            "404.html",
            "tags/é/index.html",
        ];
        resolve(path, None, "/repo/", |k| pages.contains(&k))
    }

    #[test]
    fn resolves_pages_and_redirects() {
        assert_eq!(site("/repo/"), Resolved::Page("index.html".into()));
        assert_eq!(
            site("/repo/index.html"),
            Resolved::Page("index.html".into())
        );
        assert_eq!(
            site("/repo/articles/x/"),
            Resolved::Page("articles/x/index.html".into())
        );
        assert_eq!(site("/repo/style.css"), Resolved::Page("style.css".into()));
        assert_eq!(
            site("/repo/tags/%C3%A9/"),
            Resolved::Page("tags/é/index.html".into())
        );
        assert_eq!(
            site("/repo/articles/x"),
            Resolved::Redirect("/repo/articles/x/".into())
        );
        assert_eq!(
            resolve("/repo/articles/x", Some("a=1"), "/repo/", |k| k
                == "articles/x/index.html"),
            Resolved::Redirect("/repo/articles/x/?a=1".into())
        );
        assert_eq!(site("/"), Resolved::Redirect("/repo/".into()));
        assert_eq!(site("/repo"), Resolved::Redirect("/repo/".into()));
        assert_eq!(site("/repo/__gloss/events"), Resolved::Events);
        assert_eq!(site("/__gloss/livereload.js"), Resolved::Script);
        assert_eq!(site("/repo/nope/"), Resolved::NotFound);
        assert_eq!(site("/other/index.html"), Resolved::NotFound);
        assert_eq!(
            resolve("/", None, "/", |k| k == "index.html"),
            Resolved::Page("index.html".into())
        );
    }

    #[test]
    fn refuses_traversal_in_every_spelling() {
        let everything = |_: &str| true;
        for path in [
            "/repo/../etc/passwd",
            "/repo/..%2f..%2fetc/passwd",
            "/repo/%2e%2e/%2e%2e/etc/passwd",
            "/repo/%2E%2E/",
            "/repo/.%2e/x",
            "/repo/..\\..\\etc\\passwd",
            "/repo/%5c..%5cetc",
            "/repo//etc/passwd",
            "/repo/a//b",
            "/repo/./index.html",
            "/repo/index.html%00.css",
            "/repo/%00",
            "/repo/%ff",
            "/repo/articles%2fx/",
            "//etc/passwd",
            "/etc/passwd",
            "/repo/C:\\Windows\\win.ini",
        ] {
            assert_eq!(
                resolve(path, None, "/repo/", everything),
                Resolved::NotFound,
                "{path}"
            );
        }
        for path in [
            "/..%2f..%2fetc/passwd",
            "/%2e%2e/",
            "/..\\..\\",
            "//etc/passwd",
            "/%00",
        ] {
            assert_eq!(
                resolve(path, None, "/", everything),
                Resolved::NotFound,
                "{path}"
            );
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("timeline.json"), "application/json");
        assert_eq!(
            content_type("cite/a.bib"),
            "application/x-bibtex; charset=utf-8"
        );
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("f.WOFF2"), "font/woff2");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(
            content_type("pagefind/x.pf_meta"),
            "application/octet-stream"
        );
    }
}
