//! `gloss serve` and `gloss build --watch`, run as a user runs them, on a copy of the `tiny`
//! fixture: pages come from memory with the right headers, traversal in every spelling
//! is refused, and saves (atomic, in bursts, broken, in deleted-and-recreated folders)
//! reach the event stream and the served pages.
//!
//! HTTP is spoken over a plain `TcpStream` so that request paths go out byte for byte
//! (an HTTP client library would normalize `..` away before the server saw it). Every
//! wait is bounded, and the child process is killed when its guard is dropped.

use crate::harness::Site;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROOT: &str = "/flood-desk/";
const ARTICLE_URL: &str =
    "/flood-desk/articles/port-and-river-agencies-agree-to-share-flood-warnings/";
const ARTICLE_YAML: &str = "content/articles/harbour.yaml";
const NOTE: &str = "note: The article does not say whether the agreement binds either agency.";
/// How long any one expected thing may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running `gloss` child, killed on drop.
struct Gloss {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Gloss {
    fn spawn(site: &Site, args: &[&str]) -> (Gloss, Receiver<String>) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .arg("--root")
            .arg(site.root())
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gloss");
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let pipe = child.stderr.take().expect("stderr is piped");
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if let Ok(mut s) = sink.lock() {
                    s.push_str(&line);
                    s.push('\n');
                }
            }
        });
        (Gloss { child, stderr }, lines)
    }

    fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Drop for Gloss {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `gloss serve --port 0` on `site`, with the address it printed.
struct Server {
    gloss: Gloss,
    /// `127.0.0.1:PORT`
    addr: String,
}

impl Server {
    fn start(site: &Site, extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--port", "0"];
        args.extend_from_slice(extra);
        let (gloss, lines) = Gloss::spawn(site, &args);
        let line = lines
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("gloss serve printed no URL\n{}", gloss.stderr()));
        let url = line
            .strip_prefix("Serving http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        let (addr, root) = url.split_at(url.find('/').expect("URL has a path"));
        assert_eq!(root, ROOT, "the URL names the site's base path");
        Server {
            gloss,
            addr: addr.to_owned(),
        }
    }

    fn get(&self, path: &str) -> Reply {
        get(&self.addr, path).unwrap_or_else(|e| panic!("GET {path}: {e}\n{}", self.gloss.stderr()))
    }

    /// Opens the event stream; events arrive on the returned channel.
    fn events(&self) -> Events {
        self.events_since("")
    }

    /// Opens the event stream as a page from build `since` would.
    fn events_since(&self, since: &str) -> Events {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        write!(
            stream,
            "GET {ROOT}__gloss/events?since={since} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .expect("send");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            // Status line and headers.
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line == "\r\n" {
                    break;
                }
            }
            // The body is chunked; SSE events are separated by blank lines.
            let mut text = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let Ok(size) = usize::from_str_radix(line.trim(), 16) else {
                    return;
                };
                let mut chunk = vec![0; size + 2];
                if size == 0 || reader.read_exact(&mut chunk).is_err() {
                    return;
                }
                text.push_str(&String::from_utf8_lossy(&chunk[..size]));
                while let Some(end) = text.find("\n\n") {
                    let event: String = text.drain(..end + 2).collect();
                    let mut name = "message".to_owned();
                    let mut data = String::new();
                    for l in event.lines() {
                        if let Some(n) = l.strip_prefix("event:") {
                            name = n.trim().to_owned();
                        } else if let Some(d) = l.strip_prefix("data:") {
                            data.push_str(d.trim_start());
                        }
                    }
                    if data.is_empty() {
                        continue;
                    }
                    let Ok(value) = serde_json::from_str::<Value>(&data) else {
                        continue;
                    };
                    if tx.send((name, value)).is_err() {
                        return;
                    }
                }
            }
        });
        Events { rx }
    }
}

struct Events {
    rx: Receiver<(String, Value)>,
}

impl Events {
    /// The next event named `name` that satisfies `want`, skipping others.
    #[track_caller]
    fn wait(&self, name: &str, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok((n, v)) if n == name && want(&v) => return v,
                Ok(other) => seen.push(other),
                Err(_) => break,
            }
        }
        panic!("no `{name}` event {what} within {PATIENCE:?}; saw {seen:#?}");
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 GET with the path sent exactly as given.
fn get(addr: &str, path: &str) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(PATIENCE))?;
    stream.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Ok(Reply {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// Saves a file the way editors do: write a temporary file beside it, rename it over.
fn atomic_save(site: &Site, rel: &str, text: &str) {
    let path = site.path(rel);
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("x")
    ));
    std::fs::write(&tmp, text).expect("write temporary file");
    std::fs::rename(&tmp, &path).expect("rename over");
}

/// The fixture's annotation file with `marker` appended to one note.
fn with_note(original: &str, marker: &str) -> String {
    assert!(original.contains(NOTE), "the fixture's note changed");
    original.replace(NOTE, &format!("{NOTE} {marker}"))
}

/// Polls a page until its body contains `needle`.
#[track_caller]
fn wait_for_page(server: &Server, path: &str, needle: &str) {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        if server.get(path).body.contains(needle) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{path} never showed {needle:?}\n{}", server.gloss.stderr());
}

#[test]
fn serves_the_site_from_memory() {
    let site = Site::fixture("tiny");
    let server = Server::start(&site, &[]);

    let home = server.get(ROOT);
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(
        home.body
            .contains("/flood-desk/__gloss/livereload.js?build="),
        "the live-reload script is injected"
    );

    let article = server.get(ARTICLE_URL);
    assert_eq!(article.status, 200);
    assert!(article.body.contains("binds either agency"));
    assert_eq!(server.get(&format!("{ARTICLE_URL}index.html")).status, 200);

    for (path, location) in [
        ("/", ROOT),
        ("/flood-desk", ROOT),
        (ARTICLE_URL.trim_end_matches('/'), ARTICLE_URL),
        ("/flood-desk/articles?x=1", "/flood-desk/articles/?x=1"),
    ] {
        let reply = server.get(path);
        assert_eq!(
            (reply.status, reply.header("location")),
            (307, Some(location)),
            "{path}"
        );
    }

    for (path, kind) in [
        ("style.css", "text/css; charset=utf-8"),
        ("feed.xml", "application/xml"),
        ("sitemap.xml", "application/xml"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("favicon.svg", "image/svg+xml"),
        ("__gloss/livereload.js", "text/javascript; charset=utf-8"),
    ] {
        let reply = server.get(&format!("{ROOT}{path}"));
        assert_eq!(
            (reply.status, reply.header("content-type")),
            (200, Some(kind)),
            "{path}"
        );
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
    }

    let missing = server.get("/flood-desk/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        missing.body.contains("<html"),
        "the site's own 404 page: {}",
        missing.body
    );

    assert!(
        !site.path("public").exists(),
        "serve never writes the output folder"
    );
}

#[test]
fn refuses_paths_outside_the_site() {
    let site = Site::fixture("tiny");
    site.write("secret.txt", "TOP-SECRET");
    let server = Server::start(&site, &[]);
    for path in [
        "/flood-desk/../secret.txt",
        "/flood-desk/..%2fsecret.txt",
        "/flood-desk/..%2f..%2f..%2f..%2f..%2fetc/passwd",
        "/..%2f..%2fetc/passwd",
        "/flood-desk/%2e%2e/secret.txt",
        "/flood-desk/%2E%2E/%2E%2E/etc/passwd",
        "/%2e%2e/",
        "/flood-desk/..\\secret.txt",
        "/..\\..\\",
        "/flood-desk/%5c..%5csecret.txt",
        "//etc/passwd",
        "/flood-desk//etc/passwd",
        "/etc/passwd",
        "/flood-desk/%00",
        "/flood-desk/index.html%00.txt",
        "/flood-desk/site.toml",
        "/flood-desk/seeds/harbour.txt",
        "/flood-desk/content/articles/harbour.yaml",
        "/secret.txt",
        "/flood-desk/secret.txt",
        "/flood-desk/%252e%252e/secret.txt",
    ] {
        let reply = server.get(path);
        assert!(
            matches!(reply.status, 400 | 404),
            "{path}: status {}",
            reply.status
        );
        for leak in ["TOP-SECRET", "root:x:0:0", "base_url", "annotations:"] {
            assert!(!reply.body.contains(leak), "{path} leaked {leak}");
        }
    }
    // Whatever the request, the server is still up.
    assert_eq!(server.get(ROOT).status, 200);
}

#[test]
fn saves_reach_the_event_stream_and_the_page() {
    let site = Site::fixture("tiny");
    let server = Server::start(&site, &[]);
    let events = server.events();
    let hello = events.wait("hello", "at connection", |_| true);
    assert_eq!(hello["ok"], true);

    // An atomic save of one note: the article is among the changed pages.
    let original = site.read(ARTICLE_YAML);
    atomic_save(&site, ARTICLE_YAML, &with_note(&original, "FIRST-EDIT"));
    let build = events.wait("build", "listing the article", |v| {
        v["changed"]
            .as_array()
            .is_some_and(|c| c.iter().any(|u| u == ARTICLE_URL))
    });
    assert_eq!(build["ok"], true);
    assert_ne!(build["build"], hello["build"], "a new build id");
    assert!(server.get(ARTICLE_URL).body.contains("FIRST-EDIT"));

    // A page still on the first build (a tab that was hidden) catches up on connecting.
    let old = hello["build"].as_str().expect("build id");
    let back = server
        .events_since(old)
        .wait("hello", "at connection", |_| true);
    assert_eq!(back["complete"], true, "{back:#}");
    assert!(
        back["changed"]
            .as_array()
            .is_some_and(|c| c.iter().any(|u| u == ARTICLE_URL)),
        "{back:#}"
    );
    // A page from another server run cannot, and must reload.
    let stranger = server
        .events_since("0-1")
        .wait("hello", "at connection", |_| true);
    assert_eq!(stranger["complete"], false);

    // A broken save: an event with the diagnostic; the last good page is still served.
    atomic_save(
        &site,
        ARTICLE_YAML,
        &format!(
            "{}\n  - id: [unclosed\n",
            with_note(&original, "FIRST-EDIT")
        ),
    );
    let failed = events.wait("build", "that failed", |v| v["ok"] == false);
    let diags = failed["diagnostics"].as_array().expect("diagnostics");
    let d = diags
        .iter()
        .find(|d| d["file"] == ARTICLE_YAML)
        .unwrap_or_else(|| panic!("a diagnostic in {ARTICLE_YAML}: {failed:#}"));
    assert_eq!(d["code"], "yaml-syntax");
    assert!(d["line"].as_u64().is_some_and(|l| l > 1), "{d:#}");
    assert!(d["message"].as_str().is_some_and(|m| !m.is_empty()));
    let still = server.get(ARTICLE_URL);
    assert_eq!(still.status, 200);
    assert!(
        still.body.contains("FIRST-EDIT"),
        "the last good build keeps being served"
    );

    // A page that connects now learns about the failure at once.
    let late = server.events();
    assert_eq!(late.wait("hello", "at connection", |_| true)["ok"], false);

    // The fix: ok again, and the page shows the new text.
    atomic_save(&site, ARTICLE_YAML, &with_note(&original, "FIXED"));
    events.wait("build", "that succeeded", |v| v["ok"] == true);
    wait_for_page(&server, ARTICLE_URL, "FIXED");
}

#[test]
fn a_burst_of_saves_ends_on_the_last() {
    let site = Site::fixture("tiny");
    let server = Server::start(&site, &[]);
    let original = site.read(ARTICLE_YAML);
    for i in 0..40 {
        atomic_save(
            &site,
            ARTICLE_YAML,
            &with_note(&original, &format!("BURST-{i:02}-END")),
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    wait_for_page(&server, ARTICLE_URL, "BURST-39-END");
    // And it stays there: no stale rebuild of an earlier save lands afterwards.
    std::thread::sleep(Duration::from_millis(300));
    let body = server.get(ARTICLE_URL).body;
    assert!(body.contains("BURST-39-END") && !body.contains("BURST-38-END"));
}

#[test]
fn a_css_edit_changes_only_the_stylesheet() {
    let site = Site::fixture("tiny");
    site.write(
        "themes/default/static/style.css",
        "body { color: black; }\n",
    );
    let server = Server::start(&site, &[]);
    let events = server.events();
    events.wait("hello", "at connection", |_| true);
    atomic_save(
        &site,
        "themes/default/static/style.css",
        "body { color: rebeccapurple; }\n",
    );
    let build = events.wait("build", "with a stylesheet", |v| {
        v["css"].as_array().is_some_and(|c| !c.is_empty())
    });
    assert_eq!(build["css"], serde_json::json!(["/flood-desk/style.css"]));
    let changed = build["changed"].as_array().expect("changed");
    assert!(
        !changed
            .iter()
            .any(|u| u.as_str().is_some_and(|u| u.ends_with('/'))),
        "no page reloads for a CSS edit: {changed:?}"
    );
    assert!(
        server
            .get("/flood-desk/style.css")
            .body
            .contains("rebeccapurple")
    );
}

#[test]
fn a_deleted_and_recreated_folder_is_watched_again() {
    let site = Site::fixture("tiny");
    let server = Server::start(&site, &[]);
    let events = server.events();
    events.wait("hello", "at connection", |_| true);
    let content = site.read(ARTICLE_YAML);
    let folder = site.tree("content");
    site.remove("content");
    events.wait("build", "after the folder went away", |_| true);
    for (rel, bytes) in &folder {
        site.write_bytes(&format!("content/{rel}"), bytes);
    }
    std::fs::write(site.path(ARTICLE_YAML), with_note(&content, "RECREATED")).expect("write");
    wait_for_page(&server, ARTICLE_URL, "RECREATED");
    // Edits inside the recreated folder are seen too.
    atomic_save(&site, ARTICLE_YAML, &with_note(&content, "AFTERWARDS"));
    wait_for_page(&server, ARTICLE_URL, "AFTERWARDS");
}

#[test]
fn a_folder_moved_away_and_back_is_watched_again() {
    let site = Site::fixture("tiny");
    let server = Server::start(&site, &[]);
    let events = server.events();
    events.wait("hello", "at connection", |_| true);
    let original = site.read(ARTICLE_YAML);
    std::fs::rename(site.path("content"), site.path("content.old")).expect("move away");
    events.wait("build", "after the folder moved away", |_| true);
    std::fs::rename(site.path("content.old"), site.path("content")).expect("move back");
    events.wait("build", "after the folder came back", |v| v["ok"] == true);
    atomic_save(&site, ARTICLE_YAML, &with_note(&original, "MOVED-BACK"));
    wait_for_page(&server, ARTICLE_URL, "MOVED-BACK");
}

#[test]
fn polling_sees_saves_too() {
    let site = Site::fixture("tiny");
    let server = Server::start(&site, &["--poll"]);
    atomic_save(
        &site,
        ARTICLE_YAML,
        &with_note(&site.read(ARTICLE_YAML), "POLLED"),
    );
    wait_for_page(&server, ARTICLE_URL, "POLLED");
}

#[test]
fn build_watch_keeps_the_output_folder_up_to_date() {
    let site = Site::fixture("tiny");
    site.write("themes/default/static/shape", "a file for now");
    let (gloss, _stdout) = Gloss::spawn(&site, &["build", "--watch"]);
    let article = site
        .path("public/articles/port-and-river-agencies-agree-to-share-flood-warnings/index.html");
    let wait_for = |what: &str, ok: &dyn Fn() -> bool| {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{what} did not happen\n{}", gloss.stderr());
    };
    let contains =
        |path: &Path, needle: &str| std::fs::read_to_string(path).is_ok_and(|t| t.contains(needle));
    wait_for("the first build", &|| gloss.stderr().contains("Watching"));
    assert!(article.is_file());
    let css = site.path("public/style.css");
    let css_modified = std::fs::metadata(&css)
        .and_then(|m| m.modified())
        .expect("mtime");

    let original = site.read(ARTICLE_YAML);
    atomic_save(&site, ARTICLE_YAML, &with_note(&original, "ON-DISK"));
    wait_for("the edit reaching public/", &|| {
        contains(&article, "ON-DISK")
    });
    assert_eq!(
        std::fs::metadata(&css)
            .and_then(|m| m.modified())
            .expect("mtime"),
        css_modified,
        "unchanged files are not rewritten"
    );
    assert!(
        !contains(&article, "__gloss/livereload.js"),
        "no live-reload script on disk"
    );

    // A new page appears; deleting it removes its output.
    site.write(
        "content/pages/extra.md",
        "---\ntitle: Extra page\n---\nHello.\n",
    );
    let extra = site.path("public/pages/extra/index.html");
    wait_for("the new page", &|| extra.is_file());
    site.remove("content/pages/extra.md");
    wait_for("the page's removal", &|| !extra.exists());
    wait_for("the emptied folder's removal", &|| {
        !site.path("public/pages/extra").exists()
    });

    // A file that becomes a folder takes its place, with nothing left of the switch.
    assert!(site.path("public/shape").is_file());
    site.remove("themes/default/static/shape");
    site.write("themes/default/static/shape/inside.css", "p {}");
    wait_for("the file turned folder", &|| {
        site.path("public/shape/inside.css").is_file()
    });
    let stray: Vec<String> = site
        .tree("public")
        .into_keys()
        .filter(|p| p.contains("gloss-tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");

    // A broken save leaves the output as it was.
    let before = site.tree("public");
    atomic_save(
        &site,
        ARTICLE_YAML,
        &format!("{}\n  - id: [unclosed\n", with_note(&original, "ON-DISK")),
    );
    wait_for("the failure report", &|| {
        gloss.stderr().contains("left as it was")
    });
    assert!(
        site.tree("public") == before,
        "a failed build changes nothing on disk"
    );
}

#[test]
fn a_site_that_never_built_is_served_once_fixed() {
    let site = Site::fixture("tiny");
    let good = site.read("site.toml");
    site.write("site.toml", &format!("{good}\ntitel = \"typo\"\n"));
    let (gloss, lines) = Gloss::spawn(&site, &["serve", "--port", "0"]);
    let line = lines
        .recv_timeout(PATIENCE)
        .unwrap_or_else(|_| panic!("no URL\n{}", gloss.stderr()));
    // The bad key is left out, so the site's path is known before it ever built.
    let addr = line
        .strip_prefix("Serving http://")
        .and_then(|u| u.strip_suffix(ROOT))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let waiting = get(&addr, ROOT).expect("GET the site");
    assert_eq!(waiting.status, 503);
    assert!(
        waiting.body.contains("titel") && waiting.body.contains("waiting=1"),
        "{}",
        waiting.body
    );
    atomic_save(&site, "site.toml", &good);
    let deadline = Instant::now() + PATIENCE;
    loop {
        let reply = get(&addr, "/").expect("GET /");
        let site_served = get(&addr, ARTICLE_URL).expect("GET").status == 200;
        if reply.status == 307 && reply.header("location") == Some(ROOT) && site_served {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the fixed site is never served\n{}",
            gloss.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get(&addr, ARTICLE_URL).expect("GET").status, 200);
}

/// A template that loops for hours: the render watchdog must stop it.
const LOOPING_TEMPLATE: &str = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% for k in range(end=100000) %}{% endfor %}{% endfor %}{% endfor %}";

#[test]
fn a_runaway_template_is_stopped_and_the_last_good_build_stays_served() {
    let site = Site::fixture("tiny");
    site.append("site.toml", "[limits]\nrender_seconds = 1\n")
        .write("content/pages/p.md", "A page.")
        .write("themes/default/templates/.keep", "");
    let server = Server::start(&site, &[]);
    let events = server.events();
    events.wait("hello", "at connection", |v| v["ok"] == true);

    site.write("themes/default/templates/page.html", LOOPING_TEMPLATE);
    let failed = events.wait("build", "that failed", |v| v["ok"] == false);
    assert_eq!(
        failed["diagnostics"][0]["code"], "template-error",
        "{failed:#}"
    );
    assert!(
        failed["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("took longer than 1 s")),
        "{failed:#}"
    );
    let still = server.get(ARTICLE_URL);
    assert_eq!(still.status, 200);
    assert!(still.body.contains("binds either agency"));

    // The next saves build again.
    site.remove("themes/default/templates/page.html");
    let original = site.read(ARTICLE_YAML);
    atomic_save(&site, ARTICLE_YAML, &with_note(&original, "AFTER-RUNAWAY"));
    wait_for_page(&server, ARTICLE_URL, "AFTER-RUNAWAY");
}

#[test]
fn a_first_build_that_runs_away_ends_in_the_waiting_page() {
    let site = Site::fixture("tiny");
    site.append("site.toml", "[limits]\nrender_seconds = 1\n")
        .write("content/pages/p.md", "A page.")
        .write("themes/default/templates/page.html", LOOPING_TEMPLATE);
    let server = Server::start(&site, &[]);
    let waiting = server.get(ROOT);
    assert_eq!(waiting.status, 503);
    assert!(waiting.body.contains("template-error"), "{}", waiting.body);
    site.remove("themes/default/templates/page.html");
    wait_for_page(&server, ARTICLE_URL, "binds either agency");
}

#[test]
fn a_broken_site_toml_keeps_the_base_path_and_the_last_good_pages() {
    let site = Site::fixture("tiny");
    let server = Server::start(&site, &[]);
    let events = server.events();
    events.wait("hello", "at connection", |v| v["ok"] == true);
    let good = site.read("site.toml");
    atomic_save(&site, "site.toml", &format!("{good}\ntitle = [\n"));
    let failed = events.wait("build", "that failed", |v| v["ok"] == false);
    assert_eq!(failed["diagnostics"][0]["file"], "site.toml", "{failed:#}");
    let still = server.get(ARTICLE_URL);
    assert_eq!(still.status, 200, "the page stays at its URL");
    assert!(still.body.contains("binds either agency"));
    // A page that (re)connects finds its event stream where it was, with the error.
    let late = server.events();
    assert_eq!(late.wait("hello", "at connection", |_| true)["ok"], false);
    atomic_save(&site, "site.toml", &good);
    events.wait("build", "that succeeded", |v| v["ok"] == true);
}

#[test]
fn idle_connections_are_closed_and_cannot_crowd_out_requests() {
    let site = Site::fixture("tiny");
    let server = Server::start(&site, &[]);
    // More idle sockets than the server keeps open at once.
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(&server.addr).expect("connect"))
        .collect();
    let home = server.get(ROOT);
    assert_eq!(home.status, 200);
    // A socket that never sends a request is closed by the server.
    let mut first = &idle[0];
    first.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let mut buf = [0; 64];
    let read = first.read(&mut buf);
    assert!(
        matches!(read, Ok(0)),
        "an idle connection stays open: {read:?}"
    );
}

#[test]
fn a_base_url_with_markup_never_reaches_a_served_page() {
    let site = Site::fixture("tiny");
    site.replace(
        "site.toml",
        "base_url = \"https://example.org/flood-desk/\"",
        "base_url = \"https://x.org/p\\\"></script><script>alert(1)</script><b x=\\\"/\"",
    );
    let (gloss, lines) = Gloss::spawn(&site, &["serve", "--port", "0"]);
    let line = lines
        .recv_timeout(PATIENCE)
        .unwrap_or_else(|_| panic!("no URL\n{}", gloss.stderr()));
    let addr = line
        .strip_prefix("Serving http://")
        .and_then(|u| u.split_once('/'))
        .map(|(addr, _)| addr.to_owned())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let page = get(&addr, "/").expect("GET /");
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(page.body.contains("invalid-value"), "{}", page.body);
    assert!(!page.body.contains("alert(1)</script>"), "{}", page.body);
}

#[test]
fn search_works_while_previewing_and_follows_saves() {
    let site = Site::fixture("tiny");
    let server = Server::start(&site, &[]);
    let search = server.get(&format!("{ROOT}search/"));
    assert!(
        search
            .body
            .contains(&format!("{ROOT}pagefind/pagefind-ui.js"))
    );
    // Asked for right after the first build, the index's files wait for it rather than 404.
    for file in ["pagefind-ui.js", "pagefind-ui.css", "pagefind.js"] {
        let reply = server.get(&format!("{ROOT}pagefind/{file}"));
        assert_eq!(reply.status, 200, "{file}\n{}", server.gloss.stderr());
    }
    let entry = format!("{ROOT}pagefind/pagefind-entry.json");
    let before = server.get(&entry);
    assert_eq!(before.status, 200);
    let index: Value = serde_json::from_str(&before.body).expect("the index entry is JSON");
    let pages = index["languages"]["en"]["page_count"].as_u64().unwrap_or(0);
    assert!(pages > 0, "an empty index: {index}");
    let hash = index["languages"]["en"]["hash"]
        .as_str()
        .expect("the entry names its index");
    let old_meta = format!("{ROOT}pagefind/pagefind.{hash}.pf_meta");
    assert_eq!(server.get(&old_meta).status, 200, "{old_meta}");

    // A saved note changes what is indexed, and the index is rebuilt after the page.
    let original = site.read(ARTICLE_YAML);
    atomic_save(
        &site,
        ARTICLE_YAML,
        &with_note(&original, "glosssearchmarker"),
    );
    wait_for_page(&server, ARTICLE_URL, "glosssearchmarker");
    let deadline = Instant::now() + PATIENCE;
    while server.get(&entry).body == before.body {
        assert!(
            Instant::now() < deadline,
            "the search index was not rebuilt after a save\n{}",
            server.gloss.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // A search page that loaded the entry before the swap still asks for that index's
    // files; they stay served, or the search fails halfway with Pagefind's WASM error.
    let reply = server.get(&old_meta);
    assert_eq!(reply.status, 200, "{old_meta} after the rebuild");
}

#[test]
fn a_large_site_wide_file_follows_the_edited_page_and_saves_stay_in_step() {
    // A note long enough to make `annotations.jsonld` larger than what goes with the
    // pages: it comes in a frame of its own after them, and must still be served right,
    // save after save.
    let site = Site::fixture("tiny");
    let long = "flood ".repeat(240_000);
    let original = site
        .read(ARTICLE_YAML)
        .replace(NOTE, &format!("{NOTE} {long}"));
    site.write(ARTICLE_YAML, &original);
    let server = Server::start(&site, &[]);
    let events = server.events();
    events.wait("hello", "at connection", |_| true);
    let data = format!("{ROOT}annotations.jsonld");
    assert!(
        server.get(&data).body.len() > 1 << 20,
        "annotations.jsonld is large"
    );
    for marker in ["BULK-ONE", "BULK-TWO", "BULK-THREE"] {
        atomic_save(
            &site,
            ARTICLE_YAML,
            &original.replace(NOTE, &format!("{NOTE} {marker}")),
        );
        // One event per save, sent when the edited page is served; the large file follows.
        events.wait("build", "listing the article", |v| {
            v["ok"] == true
                && v["changed"]
                    .as_array()
                    .is_some_and(|c| c.iter().any(|u| u == ARTICLE_URL))
        });
        assert!(server.get(ARTICLE_URL).body.contains(marker));
        wait_for_page(&server, &data, marker);
    }
    // No second event came for the large file of any of the saves.
    let after = server.events();
    let hello = after.wait("hello", "at connection", |_| true);
    assert!(
        hello["build"].as_str().is_some_and(|b| b.ends_with("-4")),
        "{hello:#}"
    );
}

#[test]
fn site_wide_files_sent_as_their_changed_middle_stay_byte_for_byte_right() {
    // After its first build the build process sends `annotations.jsonld` as the changed
    // middle of the server's copy. Edits to the last, first and middle of three articles,
    // with a broken save between, must each leave it exactly as a cold build writes it.
    let site = Site::fixture("tiny");
    let seed = site.read("seeds/harbour.txt");
    let yaml = site.read(ARTICLE_YAML);
    for n in ["a", "b"] {
        site.write(&format!("seeds/harbour-{n}.txt"), &seed);
        let copy = yaml
            .replace("flood-warnings", &format!("flood-warnings-{n}"))
            .replace("title: Port", &format!("title: Copy {n} of Port"));
        site.write(&format!("content/articles/harbour-{n}.yaml"), &copy);
    }
    let server = Server::start(&site, &[]);
    let data = format!("{ROOT}annotations.jsonld");
    let edits = [
        "content/articles/harbour-b.yaml",
        "content/articles/harbour-a.yaml",
        ARTICLE_YAML,
        "content/articles/harbour-b.yaml",
    ];
    for (i, rel) in edits.into_iter().enumerate() {
        let text = site.read(rel);
        if i == 2 {
            let events = server.events();
            events.wait("hello", "at connection", |_| true);
            atomic_save(&site, rel, &text.replace("annotations:", "annotations: ["));
            events.wait("build", "the broken save", |v| v["ok"] == false);
        }
        let marker = format!("PATCHED-{i}");
        atomic_save(&site, rel, &with_note(&text, &marker));
        wait_for_page(&server, &data, &marker);
        site.build().ok();
        assert!(
            server.get(&data).body == site.output("annotations.jsonld"),
            "after edit {i} of {rel}, the served annotations.jsonld differs from a build's\n{}",
            server.gloss.stderr()
        );
    }
}

#[test]
fn a_long_report_is_not_printed_again_after_each_save() {
    // Sixty entities nobody mentions: sixty warnings, printed once in full; a save that
    // adds one more prints that one, not the sixty again.
    let site = Site::fixture("tiny");
    let entities = site.read("content/entities.yaml");
    let unused: String = (0..60)
        .map(|i| format!("nobody-{i:02}:\n  name: Nobody Number {i:02}\n  kind: person\n"))
        .collect();
    site.write("content/entities.yaml", &format!("{entities}{unused}"));
    let server = Server::start(&site, &[]);
    let events = server.events();
    events.wait("hello", "at connection", |_| true);
    let old = "entity `nobody-07` is never mentioned in any article";
    // The report follows the first build's pages.
    let printed = |needle: &str| {
        let deadline = Instant::now() + PATIENCE;
        while !server.gloss.stderr().contains(needle) {
            assert!(Instant::now() < deadline, "{}", server.gloss.stderr());
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    printed("0 errors, 60 warnings");
    assert_eq!(server.gloss.stderr().matches(old).count(), 1);
    atomic_save(
        &site,
        "content/entities.yaml",
        &format!("{entities}{unused}somebody-new:\n  name: Somebody New\n  kind: person\n"),
    );
    events.wait("build", "after the save", |v| v["ok"] == true);
    printed("not repeated");
    let stderr = server.gloss.stderr();
    assert!(
        stderr.contains("entity `somebody-new` is never mentioned in any article"),
        "{stderr}"
    );
    assert_eq!(stderr.matches(old).count(), 1, "{stderr}");
    assert!(
        stderr.contains("61 warnings (1 new; 60 as printed before"),
        "{stderr}"
    );
}
