//! The preview server behind `gloss serve`: answers HTTP from the last good build held in
//! memory, and pushes each rebuild's outcome to open pages over Server-Sent Events so
//! they reload, swap stylesheets or show the build's errors by themselves.
//!
//! Nothing here touches the disk: a request can only ever be answered from the page map,
//! so a path outside the site has nothing to reach. Paths are still checked strictly
//! (`..`, encoded slashes, backslashes, NUL) so that a traversal attempt is refused
//! rather than looked up.

use crate::diag::Diagnostic;
use crate::pages::Pages;
pub use crate::preview::diagnostics::BrowserDiagnostic;
use crate::preview::diagnostics::browser_diagnostics;
use crate::preview::rebuild::Rebuild;
use crate::preview::resolve::{Resolved, resolve};
use crate::preview::responses::{file, not_found, plain, with_build_id};
use crate::routes;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;

/// The live-reload client, injected into every page while serving.
const LIVERELOAD_JS: &str = include_str!("livereload.js");

/// How long a request for the search index waits for the first one to be built.
const SEARCH_WAIT: Duration = Duration::from_secs(60);

/// How many changed URLs the server remembers for pages that reconnect (a hidden tab
/// coming back, a dropped connection). A page whose build is older than that reloads.
const HISTORY_URLS: usize = 100_000;

/// Most connections served at once. Browsers open a few per page (one holds the event
/// stream), so this only stops a flood of idle sockets from using up the process's file
/// descriptors; further clients wait in the listen queue until a connection closes.
const MAX_CONNECTIONS: usize = 256;

/// How long a client may take to send a request's headers, on a new connection or a kept
/// alive one, before the connection is closed; a request must never wait behind idle sockets.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until the future is dropped: HTTP/1.1 through hyper, with the
/// header read timeout and connection cap above.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    loop {
        // The semaphore is never closed, so acquiring only waits.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset before it was accepted: wait a
            // moment rather than spin, and go on serving.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let connection = http.serve_connection(
            hyper_util::rt::TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(app.clone()),
        );
        tokio::spawn(async move {
            // A client that goes away or times out is not an error worth reporting.
            let _ = connection.await;
            drop(slot);
        });
    }
}

/// What is being served right now. Replaced whole on every rebuild, so a request sees
/// one build's pages and build id together, never a mix.
pub(super) struct Snapshot {
    /// The last good build; `None` until one succeeds.
    pub(super) pages: Option<Pages>,
    /// The site's base path, `/` or `/repo/`.
    pub(super) root: String,
    /// Counts builds whose output changed; part of the build id pages carry.
    pub(super) generation: u64,
    pub(super) ok: bool,
    /// How many errors the build had; `diagnostics` holds the first of them.
    pub(super) errors: usize,
    pub(super) diagnostics: Vec<BrowserDiagnostic>,
}

/// What changed in one generation, kept so a page that reconnects can catch up.
struct Change {
    generation: u64,
    changed: Vec<String>,
    css: Vec<String>,
}

/// One build event as broadcast to every open stream.
struct Broadcast {
    generation: u64,
    json: String,
}

/// State shared by the request handlers and the rebuild loop.
pub struct Preview {
    current: RwLock<Arc<Snapshot>>,
    /// The most recent generations' changes, oldest first.
    history: Mutex<VecDeque<Change>>,
    events: broadcast::Sender<Arc<Broadcast>>,
    /// Distinguishes this server process from a previous one on the same port, so a page
    /// that reconnects after a restart knows its build id is from another run.
    instance: String,
    /// The search index, built in the background after the pages (see `publish_search`):
    /// its files are served beside the current pages. The previous index stays servable for
    /// one generation: a search page that loaded its entry before the swap still asks for
    /// that index's chunks, whose names are content hashes, so they can never be stale.
    search: RwLock<[Option<Arc<Pages>>; 2]>,
    /// False until the first index is ready or known not to come; until then a request
    /// for one of its files waits, rather than failing the search page.
    search_ready: tokio::sync::watch::Sender<bool>,
}

/// The event sent after every rebuild.
#[derive(Serialize)]
struct BuildEvent<'a> {
    build: &'a str,
    ok: bool,
    /// URLs (decoded paths, e.g. `/repo/articles/x/`) whose content changed.
    changed: Vec<String>,
    /// Stylesheet URLs that changed; pages swap these without reloading.
    css: Vec<String>,
    /// The number of errors, which may exceed the diagnostics sent.
    errors: usize,
    diagnostics: &'a [BrowserDiagnostic],
}

/// The event a page gets when it connects: which build is current, whether it failed,
/// and what changed since the build the page came from.
#[derive(Serialize)]
struct HelloEvent<'a> {
    build: &'a str,
    ok: bool,
    errors: usize,
    diagnostics: &'a [BrowserDiagnostic],
    /// True when `changed` and `css` list everything since the page's build; false when
    /// that build is unknown (another server run, or too old), and the page must reload.
    complete: bool,
    changed: Vec<String>,
    css: Vec<String>,
}

/// The errors of a failed build as the overlay shows them: the first of them, and how many
/// there are.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Overlay {
    pub diagnostics: Vec<BrowserDiagnostic>,
    pub errors: usize,
}

impl Overlay {
    /// The overlay for a build with `diags`; empty when the build succeeded.
    pub fn of(ok: bool, diags: &[Diagnostic]) -> Overlay {
        if ok {
            return Overlay::default();
        }
        let (diagnostics, errors) = browser_diagnostics(diags);
        Overlay {
            diagnostics,
            errors,
        }
    }
}

/// One build's outcome as the server publishes it.
pub struct Update {
    /// The site to serve: the last good build.
    pub pages: Option<Pages>,
    pub ok: bool,
    /// Output paths that changed since the previous good build.
    pub changed: BTreeSet<String>,
    /// The base path `pages` are served under, `/` or `/repo/`.
    pub root_path: String,
    pub overlay: Overlay,
}

impl Update {
    pub fn of(rebuild: &Rebuild) -> Update {
        Update {
            pages: rebuild.pages.as_deref().cloned(),
            ok: rebuild.ok,
            changed: rebuild.changed.clone(),
            root_path: rebuild.root_path.clone(),
            overlay: Overlay::of(rebuild.ok, &rebuild.diags),
        }
    }
}

/// What one rebuild meant for the browsers, for the terminal's one-line summary.
pub struct Published {
    pub pages_changed: usize,
    pub css_changed: usize,
}

impl Default for Preview {
    fn default() -> Self {
        Self::new()
    }
}

impl Preview {
    /// A server for a site whose base path is `/`, until the first build says otherwise.
    pub fn new() -> Preview {
        Self::at("/")
    }

    /// A server that shows its waiting page under `root` until the first build.
    pub fn at(root: &str) -> Preview {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let instance = format!(
            "{:x}",
            (nanos as u64) ^ (u64::from(std::process::id()) << 32)
        );
        let snapshot = Snapshot {
            pages: None,
            root: root.into(),
            generation: 0,
            ok: false,
            errors: 0,
            diagnostics: Vec::new(),
        };
        let (events, _) = broadcast::channel(64);
        Preview {
            current: RwLock::new(Arc::new(snapshot)),
            history: Mutex::new(VecDeque::new()),
            events,
            instance,
            search: RwLock::new([None, None]),
            search_ready: tokio::sync::watch::Sender::new(false),
        }
    }

    /// Serves `bundle` (the search index's files, by output path) from now on. `None`: there
    /// is none to wait for (search is off, or indexing failed).
    pub fn publish_search(&self, bundle: Option<Pages>) {
        let mut search = match self.search.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let previous = search[0].take();
        *search = [bundle.map(Arc::new), previous];
        drop(search);
        self.search_ready.send_replace(true);
    }

    fn search_file(&self, key: &str) -> Option<crate::render::Bytes> {
        let search = match self.search.read() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        search
            .iter()
            .flatten()
            .find_map(|bundle| bundle.get(key).cloned())
    }

    /// Waits (at most `SEARCH_WAIT`) for the first search index, when `path` asks for one of
    /// its files while it is still being built.
    async fn await_search(&self, path: &str, root: &str) {
        let wanted = path
            .strip_prefix(root)
            .and_then(|rest| rest.strip_prefix(crate::routes::SEARCH_BUNDLE))
            .is_some_and(|rest| rest.starts_with('/'));
        if wanted {
            let mut ready = self.search_ready.subscribe();
            let _ = tokio::time::timeout(SEARCH_WAIT, ready.wait_for(|r| *r)).await;
        }
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn build_id(&self, generation: u64) -> String {
        format!("{}-{generation}", self.instance)
    }

    /// Serves `pages` in place of the current build's pages, under the same build id and
    /// without an event: the large site-wide files that reach the server after a build's
    /// pages were published (see `cmd/serve/worker.rs`). No open page shows them, and one
    /// event per build is what pages and scripts watching the stream count on.
    pub fn complete(&self, pages: Pages) {
        let mut current = match self.current.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *current = Arc::new(Snapshot {
            pages: Some(pages),
            root: current.root.clone(),
            generation: current.generation,
            ok: current.ok,
            errors: current.errors,
            diagnostics: current.diagnostics.clone(),
        });
    }

    /// Serves `rebuild`'s outcome from now on and tells every open page what changed.
    pub fn publish(&self, rebuild: &Update) -> Published {
        let mut current = match self.current.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let previous = current.clone();
        let root = rebuild.root_path.clone();
        let css: Vec<String> = rebuild
            .changed
            .iter()
            .filter(|p| p.ends_with(".css"))
            .map(|p| url_of(&root, p))
            .collect();
        let mut changed = Vec::new();
        for path in rebuild.changed.iter().filter(|p| !p.ends_with(".css")) {
            // A stylesheet edit also changes the `?h=` hash in every page's <link>; such
            // pages are not really changed, and the stylesheet swap covers them.
            let only_hashes = !css.is_empty()
                && path.ends_with(".html")
                && match (
                    previous.pages.as_ref().and_then(|p| p.get(path)),
                    rebuild.pages.as_ref().and_then(|p| p.get(path)),
                ) {
                    (Some(old), Some(new)) => same_but_hashes(old, new),
                    _ => false,
                };
            if !only_hashes {
                changed.push(url_of(&root, path));
            }
        }
        let generation = if rebuild.ok && !rebuild.changed.is_empty() {
            previous.generation + 1
        } else {
            previous.generation
        };
        let Overlay {
            diagnostics,
            errors,
        } = rebuild.overlay.clone();
        let build = self.build_id(generation);
        let event = BuildEvent {
            build: &build,
            ok: rebuild.ok,
            changed,
            css,
            errors,
            diagnostics: &diagnostics,
        };
        let published = Published {
            pages_changed: event.changed.len(),
            css_changed: event.css.len(),
        };
        let json = serde_json::to_string(&event).unwrap_or_default();
        if generation != previous.generation {
            self.remember(Change {
                generation,
                changed: event.changed,
                css: event.css,
            });
        }
        *current = Arc::new(Snapshot {
            pages: rebuild.pages.clone(),
            root,
            generation,
            ok: rebuild.ok,
            errors,
            diagnostics,
        });
        drop(current);
        // No open page is not an error.
        let _ = self.events.send(Arc::new(Broadcast { generation, json }));
        published
    }

    fn remember(&self, change: Change) {
        let mut history = match self.history.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        history.push_back(change);
        let mut urls: usize = history.iter().map(|c| c.changed.len() + c.css.len()).sum();
        while urls > HISTORY_URLS && history.len() > 1 {
            if let Some(old) = history.pop_front() {
                urls -= old.changed.len() + old.css.len();
            }
        }
    }

    /// The generation of a build id from this server run.
    fn generation_of(&self, build: &str) -> Option<u64> {
        let (instance, generation) = build.rsplit_once('-')?;
        (instance == self.instance).then_some(())?;
        generation.parse().ok()
    }

    /// The HTTP application.
    pub fn router(self: Arc<Self>) -> Router {
        Router::new().fallback(handle).with_state(self)
    }

    /// The current state for a page that has seen builds up to `since` (its build id), with
    /// the generation it describes.
    fn hello(&self, since: Option<&str>) -> (u64, String) {
        let snap = self.snapshot();
        let build = self.build_id(snap.generation);
        let (complete, changed, css) = match since.and_then(|b| self.generation_of(b)) {
            Some(seen) if seen <= snap.generation => self.changes_between(seen, snap.generation),
            _ => (false, Vec::new(), Vec::new()),
        };
        let hello = HelloEvent {
            build: &build,
            ok: snap.ok,
            errors: snap.errors,
            diagnostics: &snap.diagnostics,
            complete,
            changed,
            css,
        };
        (
            snap.generation,
            serde_json::to_string(&hello).unwrap_or_default(),
        )
    }

    /// Every URL changed after generation `seen` up to `now`, and whether the history
    /// still reaches back that far.
    fn changes_between(&self, seen: u64, now: u64) -> (bool, Vec<String>, Vec<String>) {
        if seen == now {
            return (true, Vec::new(), Vec::new());
        }
        let history = match self.history.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut changed = BTreeSet::new();
        let mut css = BTreeSet::new();
        let mut generations = 0;
        for change in history
            .iter()
            .filter(|c| c.generation > seen && c.generation <= now)
        {
            changed.extend(change.changed.iter().cloned());
            css.extend(change.css.iter().cloned());
            generations += 1;
        }
        // Every generation in between must still be remembered (each has an entry).
        let complete = generations == now - seen;
        (
            complete,
            changed.into_iter().collect(),
            css.into_iter().collect(),
        )
    }
}

/// The public URL path of an output file: `articles/x/index.html` → `/root/articles/x/`.
fn url_of(root: &str, path: &str) -> String {
    routes::url(root, routes::dir_of(path))
}

/// Whether two pages are equal once the hex digits of every `?h=` cache-busting query
/// are ignored. Walks both in step and stops at the first real difference.
fn same_but_hashes(a: &[u8], b: &[u8]) -> bool {
    let (mut i, mut j) = (0, 0);
    loop {
        match (a.get(i), b.get(j)) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
                // Both sides are equal so far, so checking one for the query is enough.
                if a[..i].ends_with(b"?h=") {
                    while a.get(i).is_some_and(u8::is_ascii_hexdigit) {
                        i += 1;
                    }
                    while b.get(j).is_some_and(u8::is_ascii_hexdigit) {
                        j += 1;
                    }
                }
            }
            _ => return false,
        }
    }
}

async fn handle(
    State(preview): State<Arc<Preview>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snap = preview.snapshot();
    if snap.pages.is_some() {
        preview.await_search(uri.path(), &snap.root).await;
    }
    let build = preview.build_id(snap.generation);
    let resolved = resolve(uri.path(), uri.query(), &snap.root, |key| {
        snap.pages.as_ref().is_some_and(|p| p.contains_key(key))
            || preview.search_file(key).is_some()
    });
    match resolved {
        Resolved::Events => events(preview, since(&headers, uri.query())).into_response(),
        Resolved::Script => file(
            StatusCode::OK,
            "livereload.js",
            Bytes::from_static(LIVERELOAD_JS.as_bytes()),
        ),
        Resolved::Redirect(to) => {
            let mut response = plain(StatusCode::TEMPORARY_REDIRECT, "");
            if let Ok(value) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Resolved::Page(key) => match &snap.pages {
            Some(pages) => match pages
                .get(&key)
                .cloned()
                .or_else(|| preview.search_file(&key))
            {
                Some(bytes) => file(
                    StatusCode::OK,
                    &key,
                    with_build_id(&key, &bytes, &snap.root, &build),
                ),
                None => not_found(&snap, &build),
            },
            None => not_found(&snap, &build),
        },
        Resolved::NotFound => not_found(&snap, &build),
    }
}

/// The event stream: a `hello` with the current build and what changed since the page's
/// own build (`since`: the `Last-Event-ID` an automatic reconnect sends, else the
/// `since` query), then one `build` per rebuild. Every event carries its build id as
/// the SSE id, so a reconnect says where the page left off.
fn events(
    preview: Arc<Preview>,
    since: Option<String>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the current state, so no rebuild falls between the two.
    let rx = preview.events.subscribe();
    let (seen, json) = preview.hello(since.as_deref());
    let hello = Event::default()
        .event("hello")
        .id(preview.build_id(seen))
        .retry(Duration::from_millis(500))
        .data(json);
    let updates = stream::unfold((rx, preview, seen), |(mut rx, preview, seen)| async move {
        loop {
            let (event, seen) = match rx.recv().await {
                // Already covered by the hello this stream started with.
                Ok(b) if b.generation < seen => continue,
                Ok(b) => (
                    Event::default()
                        .event("build")
                        .id(preview.build_id(b.generation))
                        .data(&b.json),
                    b.generation,
                ),
                // A page too slow to keep up catches up from what it last saw.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let (now, json) = preview.hello(Some(&preview.build_id(seen)));
                    (
                        Event::default()
                            .event("hello")
                            .id(preview.build_id(now))
                            .data(json),
                        now,
                    )
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            return Some((Ok(event), (rx, preview, seen)));
        }
    });
    Sse::new(stream::once(async move { Ok(hello) }).chain(updates)).keep_alive(KeepAlive::default())
}

/// The `since` of an event-stream request: `Last-Event-ID`, else the `since` query.
fn since(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    if let Some(id) = headers.get("last-event-id").and_then(|v| v.to_str().ok()) {
        return Some(id.to_owned());
    }
    query?.split('&').find_map(|pair| {
        let value = pair.strip_prefix("since=")?;
        percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .ok()
            .map(|v| v.into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_hashes() {
        assert_eq!(url_of("/r/", "index.html"), "/r/");
        assert_eq!(url_of("/r/", "articles/x/index.html"), "/r/articles/x/");
        assert_eq!(url_of("/", "style.css"), "/style.css");
        assert!(same_but_hashes(
            b"<link href=\"/style.css?h=00ab12cd\">",
            b"<link href=\"/style.css?h=ffffffff\">"
        ));
        assert!(same_but_hashes(b"a?h=1 b", b"a?h=12345 b"));
        assert!(!same_but_hashes(b"a?h=12 b", b"a?h=12 c"));
        assert!(!same_but_hashes(b"a?h=12", b"a?h=12 c"));
        assert!(!same_but_hashes(b"a?x=12", b"a?x=13"));
    }

    fn rebuild(ok: bool, changed: &[&str]) -> Rebuild {
        Rebuild {
            pages: Some(Arc::new(Pages::new())),
            joined: Default::default(),
            ok,
            changed: changed.iter().map(|p| p.to_string()).collect(),
            diags: Vec::new(),
            files: crate::diag::SourceFiles::default(),
            root_path: "/r/".into(),
            rendered: Vec::new(),
            search_records: None,
        }
    }

    #[test]
    fn reconnecting_pages_catch_up() {
        let preview = Preview::new();
        let publish = |ok, changed: &[&str]| preview.publish(&Update::of(&rebuild(ok, changed)));
        publish(true, &["index.html", "a/index.html"]);
        let first = preview.build_id(1);
        publish(true, &["b/index.html", "style.css"]);
        publish(false, &[]);
        publish(true, &["c/index.html"]);
        let hello = |since: &str| -> serde_json::Value {
            serde_json::from_str(&preview.hello(Some(since)).1).expect("json")
        };
        let back = hello(&first);
        assert_eq!(back["complete"], true);
        assert_eq!(back["changed"], serde_json::json!(["/r/b/", "/r/c/"]));
        assert_eq!(back["css"], serde_json::json!(["/r/style.css"]));
        assert_eq!(back["build"], preview.build_id(3));
        assert_eq!(
            hello(&preview.build_id(3))["changed"],
            serde_json::json!([])
        );
        assert_eq!(hello(&preview.build_id(3))["complete"], true);
        for stranger in ["0-1", "", "garbage", &preview.build_id(9)] {
            assert_eq!(hello(stranger)["complete"], false, "{stranger}");
        }
    }

    #[test]
    fn build_id_goes_into_the_script_tag() {
        let html: crate::pages::Bytes = Arc::from(
            &b"<body><script src=\"/r/__gloss/livereload.js\" defer></script></body>"[..],
        );
        let out = with_build_id("index.html", &html, "/r/", "abc-3");
        assert_eq!(
            &out[..],
            &b"<body><script src=\"/r/__gloss/livereload.js?build=abc-3\" defer></script></body>"[..]
        );
        let css: crate::pages::Bytes = Arc::from(&b"x"[..]);
        assert_eq!(&with_build_id("style.css", &css, "/r/", "abc-3")[..], b"x");
    }
}
