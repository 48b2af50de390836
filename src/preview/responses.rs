//! The preview server's responses that are not a file of the site as it is: the 404 page,
//! the page shown before the first good build, pages tagged with their build id, and the
//! headers every response carries.

use super::resolve::content_type;
use super::server::Snapshot;
use crate::routes;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

/// The site's own 404 page; before any good build, a page that waits for one.
pub(super) fn not_found(snap: &Snapshot, build: &str) -> Response {
    match &snap.pages {
        Some(pages) => match pages.get(routes::NOT_FOUND) {
            Some(bytes) => file(
                StatusCode::NOT_FOUND,
                routes::NOT_FOUND,
                with_build_id(routes::NOT_FOUND, bytes, &snap.root, build),
            ),
            None => plain(StatusCode::NOT_FOUND, "404: no such page in this site\n"),
        },
        None => file(
            StatusCode::SERVICE_UNAVAILABLE,
            routes::INDEX_FILE,
            waiting_page(snap, build),
        ),
    }
}

/// Shown while the site has never built: the errors, and the live-reload script so the
/// page turns into the site as soon as a build succeeds.
fn waiting_page(snap: &Snapshot, build: &str) -> String {
    let mut items = String::new();
    for d in &snap.diagnostics {
        let place = match (&d.file, d.line, d.column) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: "),
            (Some(f), _, _) => format!("{f}: "),
            _ => String::new(),
        };
        items.push_str(&format!(
            "<li><code>{}</code> {}{}</li>",
            crate::html::escape(&d.code),
            crate::html::escape(&place),
            crate::html::escape(&d.message)
        ));
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>gloss: the site does not build yet</title></head>\
         <body><h1>The site does not build yet</h1><p>Fix these errors and save; this page reloads by itself.</p>\
         <ul>{items}</ul><script src=\"{script}?build={build}&amp;waiting=1\" defer></script></body></html>",
        script = crate::html::escape(&routes::url(&snap.root, routes::LIVE_RELOAD_SCRIPT))
    )
}

/// Tags the live-reload script of an HTML page with the id of the build it came from, so
/// the page can tell after a reconnect whether it missed a rebuild.
/// Other files are served as they are, without a copy.
pub(super) fn with_build_id(
    key: &str,
    bytes: &crate::pages::Bytes,
    root: &str,
    build: &str,
) -> Bytes {
    let unchanged = || Bytes::from_owner(bytes.clone());
    if !key.ends_with(".html") {
        return unchanged();
    }
    let needle = format!(
        "{}\"",
        crate::html::escape(&routes::url(root, routes::LIVE_RELOAD_SCRIPT))
    );
    let Ok(html) = std::str::from_utf8(bytes) else {
        return unchanged();
    };
    match html.rfind(&needle) {
        Some(i) => {
            let at = i + needle.len() - 1;
            let mut out = String::with_capacity(html.len() + build.len() + 8);
            out.push_str(&html[..at]);
            out.push_str("?build=");
            out.push_str(build);
            out.push_str(&html[at..]);
            Bytes::from(out)
        }
        None => unchanged(),
    }
}

pub(super) fn file(status: StatusCode, name: &str, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(name)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

pub(super) fn plain(status: StatusCode, text: &'static str) -> Response {
    file(status, "x.txt", Bytes::from_static(text.as_bytes()))
}
