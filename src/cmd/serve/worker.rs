//! The build process behind `gloss serve`. Rendering runs the site's own theme templates,
//! and a runaway one can only be stopped by ending its process (see `guard`), so the server
//! keeps the HTTP side and the last good build in its own process and asks a child `gloss`
//! for every rebuild over a pipe: one line of changed input paths in, one frame out (a JSON
//! header line, then the bytes of every output file that changed). When the child's
//! watchdog stops a render, its last frame carries the diagnostic and the child ends; the
//! next save starts a fresh one.

use crate::cmd::Exit;
use crate::diag::{self, Code, Diagnostic, SourceFiles};
use crate::load::Overrides;
use crate::pages::{Bytes, Joined, Pages, joined_len, same_bytes};
use crate::preview::rebuild::{Rebuild, Rebuilder};
use crate::preview::search_records::{RecordsDelta, Sent};
use crate::preview::server::{Overlay, Update};
use crate::render::RenderOptions;
use camino::{Utf8Path, Utf8PathBuf};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::ops::Range;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;

/// Set in the environment of the child process, which then builds instead of serving.
pub const ENV: &str = "GLOSS_SERVE_WORKER";

/// The first line of a frame.
#[derive(Serialize, Deserialize)]
struct Header {
    ok: bool,
    /// The base path the build was made for; `None` when no build ran.
    root_path: Option<String>,
    /// `files` lists every output file (a fresh child's first good build), so a file that
    /// is not listed is gone.
    full: bool,
    /// Output files in the order their bytes follow: the path and the length, or `None`
    /// for a file that no longer exists.
    files: Vec<(String, Option<u64>)>,
    overlay: Overlay,
    /// `2 errors, 1 warning`, for the server's one-line summary.
    summary: String,
    /// The child ends after this frame: its watchdog stopped a render.
    last: bool,
    /// What changed in what the search index is built from, when anything did.
    #[serde(default)]
    search: Option<RecordsDelta>,
    /// A second frame follows with the large files of this rebuild (see `split_bulk`).
    #[serde(default)]
    more: bool,
    /// Files sent as a change to the server's copy: for each path, how many bytes at its
    /// start and at its end stay; the bytes listed in `files` go between them.
    #[serde(default)]
    patched: BTreeMap<String, (u64, u64)>,
}

/// A changed output file at least this large (a site-wide data file such as
/// `annotations.jsonld`, which holds every annotation: hundreds of megabytes at 10,000
/// articles) is sent in a second frame, after the server has published the rest: the page
/// that was edited is served without waiting for it.
const BULK: u64 = 1 << 20;

/// The bytes of one file in a frame: whole, or a run of the parts it is joined from, sent
/// one after another as they are.
enum Body {
    Whole(Bytes),
    Parts(Arc<[Bytes]>, Range<usize>),
}

impl Body {
    fn parts(&self) -> &[Bytes] {
        match self {
            Body::Whole(bytes) => std::slice::from_ref(bytes),
            Body::Parts(parts, run) => &parts[run.clone()],
        }
    }

    fn len(&self) -> u64 {
        joined_len(self.parts())
    }

    fn write_to(&self, out: &mut impl Write) -> std::io::Result<()> {
        self.parts().iter().try_for_each(|p| out.write_all(p))
    }
}

/// The joined files as the server last got them, so that the next change to one is sent
/// as its changed middle: a note edit changes one article's part of `annotations.jsonld`,
/// hundreds of megabytes at 10,000 articles, which the server would otherwise read whole
/// after every save.
#[derive(Default)]
struct SentJoined(Joined);

impl SentJoined {
    /// The body for `now`, the new parts of joined file `path`, and how many bytes at the
    /// start and end of the server's copy stay (`None`: the body is the whole file).
    fn body(&mut self, path: &str, now: &Arc<[Bytes]>) -> (Body, Option<(u64, u64)>) {
        let Some(before) = self.0.insert(path.to_owned(), now.clone()) else {
            return (Body::Parts(now.clone(), 0..now.len()), None);
        };
        let shorter = before.len().min(now.len());
        let head = (0..shorter)
            .take_while(|&i| same_bytes(&before[i], &now[i]))
            .count();
        let tail = (0..shorter - head)
            .take_while(|&i| same_bytes(&before[before.len() - 1 - i], &now[now.len() - 1 - i]))
            .count();
        let kept = (
            joined_len(&before[..head]),
            joined_len(&before[before.len() - tail..]),
        );
        (Body::Parts(now.clone(), head..now.len() - tail), Some(kept))
    }
}

/// Moves the large files of a rebuild's frame into a second frame, sent after it.
fn split_bulk(header: &mut Header, bodies: &mut Vec<Body>) -> Option<(Header, Vec<Body>)> {
    if header.full || !header.ok {
        return None;
    }
    let (mut files, mut kept) = (Vec::new(), Vec::new());
    let (mut bulk_files, mut bulk, mut bulk_patched) = (Vec::new(), Vec::new(), BTreeMap::new());
    let mut all = std::mem::take(bodies).into_iter();
    for (path, len) in std::mem::take(&mut header.files) {
        // A patched file is as large as the copy the server makes of it.
        let reused = header
            .patched
            .get(&path)
            .map_or(0, |(head, tail)| head + tail);
        // Only a file that is there has bytes in `bodies`.
        match len.and_then(|len| Some((len, all.next()?))) {
            Some((len, bytes)) if len + reused >= BULK && !path.ends_with(".html") => {
                if let Some(kept) = header.patched.remove(&path) {
                    bulk_patched.insert(path.clone(), kept);
                }
                bulk_files.push((path, Some(len)));
                bulk.push(bytes);
            }
            Some((len, bytes)) => {
                files.push((path, Some(len)));
                kept.push(bytes);
            }
            None => files.push((path, None)),
        }
    }
    header.files = files;
    *bodies = kept;
    header.more = !bulk.is_empty();
    header.more.then(|| {
        let rest = Header {
            ok: true,
            root_path: header.root_path.clone(),
            full: false,
            files: bulk_files,
            overlay: header.overlay.clone(),
            summary: header.summary.clone(),
            last: false,
            search: None,
            more: false,
            patched: bulk_patched,
        };
        (rest, bulk)
    })
}

/// Runs in the child: rebuilds for every line of changed paths on stdin, answers each with
/// a frame on stdout, and prints the diagnostics for people on stderr.
pub fn child_main(root: &Utf8Path, drafts: bool) -> Exit {
    crate::render::guard::report_with(send_runaway);
    let overrides = Overrides {
        base_url: None,
        drafts,
    };
    let options = RenderOptions {
        live_reload: true,
        search_records: cfg!(feature = "search"),
        cards: true,
        keep_parts: true,
        ..RenderOptions::default()
    };
    let fresh = || Rebuilder::new(root, overrides.clone(), options.clone());
    let mut rebuilder = fresh();
    let mut reported: Option<Vec<Diagnostic>> = None;
    let mut sent_good = false;
    let mut sent_records = Sent::default();
    let mut sent_joined = SentJoined::default();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let changed: Vec<Utf8PathBuf> = serde_json::from_str(&line).unwrap_or_default();
        let first = reported.is_none();
        let Some(mut rebuild) = rebuilder.rebuild_guarded(&fresh, &changed) else {
            let failed = Diagnostic::error(
                Code::Io,
                "gloss failed while building (a bug; please report it with the change you made)",
            );
            if send(&failure(&failed, false), &[]).is_err() {
                break;
            }
            continue;
        };
        if first {
            rebuilder.watching();
        }
        let full = rebuild.ok && !sent_good;
        sent_good |= rebuild.ok;
        let mut timer = crate::timer::Timer::new();
        if full {
            sent_joined = SentJoined::default();
        }
        let (mut header, bodies) = frame(&rebuild, full, &mut sent_joined);
        header.search = rebuild
            .search_records
            .take()
            .and_then(|records| sent_records.delta(records));
        let mut bodies = bodies;
        let bulk = split_bulk(&mut header, &mut bodies);
        timer.lap("frame");
        if send(&header, &bodies).is_err() {
            break;
        }
        timer.lap("sent");
        if let Some((header, bodies)) = bulk
            && send(&header, &bodies).is_err()
        {
            break;
        }
        timer.lap("bulk");
        // The report follows the frame, so the browser never waits for the terminal; and
        // only when it differs from the last one, so a save that fixes nothing does not
        // scroll the terminal.
        if reported.as_ref() != Some(&rebuild.diags) {
            report_change(reported.as_deref(), &rebuild.diags, &rebuild.files);
            reported = Some(std::mem::take(&mut rebuild.diags));
        }
    }
    Exit::Success
}

/// Prints a rebuild's diagnostics. A long report that was printed before is not printed
/// again: only what is new in it, and the count of the rest. A briefing with thousands of
/// warnings would otherwise scroll them all past after every save, and printing them took
/// longer than the rebuild.
fn report_change(before: Option<&[Diagnostic]>, now: &[Diagnostic], files: &SourceFiles) {
    const REPEATED: usize = 50;
    let Some(before) = before.filter(|_| now.len() > REPEATED) else {
        super::super::report(now, files);
        return;
    };
    let seen: rustc_hash::FxHashSet<&Diagnostic> = before.iter().collect();
    let new: Vec<Diagnostic> = now.iter().filter(|d| !seen.contains(d)).cloned().collect();
    let color = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none();
    if !new.is_empty() {
        eprint!("{}", diag::to_human(&new, files, color));
    }
    let kept = now.len() - new.len();
    eprintln!(
        "{} ({} new; {kept} as printed before, not repeated: `gloss check` lists them all)",
        diag::summary(now),
        new.len()
    );
}

/// The frame for one rebuild, and the bytes that follow its header.
fn frame(rebuild: &Rebuild, full: bool, sent: &mut SentJoined) -> (Header, Vec<Body>) {
    let pages = rebuild.pages.as_deref();
    let mut files = Vec::new();
    let mut bodies = Vec::new();
    let mut patched = BTreeMap::new();
    if rebuild.ok {
        let paths: Box<dyn Iterator<Item = &String>> = match (full, pages) {
            (true, Some(pages)) => Box::new(pages.keys().chain(rebuild.joined.keys())),
            _ => Box::new(rebuild.changed.iter()),
        };
        for path in paths {
            let body = match pages.and_then(|p| p.get(path)) {
                Some(bytes) => Some(Body::Whole(bytes.clone())),
                None => rebuild.joined.get(path).map(|parts| {
                    let (body, kept) = sent.body(path, parts);
                    if let Some(kept) = kept {
                        patched.insert(path.clone(), kept);
                    }
                    body
                }),
            };
            match body {
                Some(body) => {
                    files.push((path.clone(), Some(body.len())));
                    bodies.push(body);
                }
                None => files.push((path.clone(), None)),
            }
        }
    }
    let header = Header {
        ok: rebuild.ok,
        root_path: Some(rebuild.root_path.clone()),
        full,
        files,
        overlay: Overlay::of(rebuild.ok, &rebuild.diags),
        summary: diag::summary(&rebuild.diags),
        last: false,
        search: None,
        more: false,
        patched,
    };
    (header, bodies)
}

/// A frame for a build that produced nothing.
fn failure(d: &Diagnostic, last: bool) -> Header {
    let diags = std::slice::from_ref(d);
    Header {
        ok: false,
        root_path: None,
        full: false,
        files: Vec::new(),
        overlay: Overlay::of(false, diags),
        summary: diag::summary(diags),
        last,
        search: None,
        more: false,
        patched: BTreeMap::new(),
    }
}

fn send(header: &Header, bodies: &[Body]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer(&mut out, header)?;
    out.write_all(b"\n")?;
    for body in bodies {
        body.write_to(&mut out)?;
    }
    out.flush()
}

/// The watchdog's report in the child: on the terminal, and to the server for the overlay.
fn send_runaway(d: &Diagnostic) {
    let diags = std::slice::from_ref(d);
    eprint!("{}", diag::to_human(diags, &SourceFiles::default(), false));
    // The process ends right after this; a server that is gone has nothing to show.
    let _ = send(&failure(d, true), &[]);
}

/// The server's side: the child process, started when a build is wanted, and the last good
/// build assembled from its frames.
pub struct Builds {
    root: Utf8PathBuf,
    drafts: bool,
    child: Option<Worker>,
    pages: Option<Pages>,
    root_path: String,
    /// The child's last frame said a frame with the large files follows.
    more: bool,
}

struct Worker {
    process: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        // The child may still be building; its result is not wanted any more.
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// What one rebuild produced, for the server and its terminal summary.
pub struct Built {
    pub update: Update,
    pub summary: String,
    /// What changed in the search records, when the site's searchable text changed.
    pub search: Option<RecordsDelta>,
}

impl Builds {
    /// Builds of the site at `root`; `root_path` is where pages are served until the first
    /// build says otherwise.
    pub fn new(root: &Utf8Path, drafts: bool, root_path: String) -> Builds {
        Builds {
            root: root.to_owned(),
            drafts,
            child: None,
            pages: None,
            root_path,
            more: false,
        }
    }

    /// Rebuilds after `changed` inputs changed, in the child process (started first if
    /// there is none: at start, or after its watchdog ended the last one). The rebuild's
    /// large files may still be on their way: `rest` takes them.
    pub fn rebuild(&mut self, changed: &[Utf8PathBuf]) -> Built {
        // Large files a caller did not take with `rest` are taken now; the pages stay right.
        drop(self.rest());
        let fresh = self.child.is_none();
        let asked = match self.child.take() {
            Some(worker) => Ok(worker),
            None => self.spawn(),
        }
        .and_then(|mut worker| {
            // A fresh child checks every file anyway; the list is a hint for a warm one.
            let list = if fresh { &[][..] } else { changed };
            let line = serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
            writeln!(worker.stdin, "{line}")?;
            worker.stdin.flush()?;
            let header = read_header(&mut worker.stdout)?;
            Ok((worker, header))
        });
        match asked {
            Ok((worker, header)) => self.apply(worker, header),
            Err(e) => self.failed(&format!("the build process stopped ({e})")),
        }
    }

    /// The large files of the last rebuild (see `BULK`), once the child has sent them;
    /// `None` when there were none.
    pub fn rest(&mut self) -> Option<Built> {
        if !std::mem::take(&mut self.more) {
            return None;
        }
        let mut worker = self.child.take()?;
        Some(match read_header(&mut worker.stdout) {
            Ok(header) => self.apply(worker, header),
            Err(e) => self.failed(&format!("the build process stopped ({e})")),
        })
    }

    /// Takes one frame's files into the pages.
    fn apply(&mut self, mut worker: Worker, header: Header) -> Built {
        let mut pages = match (&self.pages, header.full) {
            (Some(pages), false) => pages.clone(),
            _ => Pages::new(),
        };
        let mut changed = BTreeSet::new();
        for (path, len) in &header.files {
            match len {
                Some(len) => {
                    let kept = header.patched.get(path).copied();
                    let bytes = match read_file(&mut worker.stdout, *len, kept, pages.get(path)) {
                        Ok(bytes) => bytes,
                        Err(e) => return self.failed(&format!("the build process stopped ({e})")),
                    };
                    pages.insert(path.clone(), bytes);
                }
                None => {
                    pages.remove(path);
                }
            }
            changed.insert(path.clone());
        }
        if header.full
            && let Some(previous) = &self.pages
        {
            changed = crate::preview::rebuild::diff(previous, &pages);
        }
        if let Some(root) = &header.root_path
            && (header.ok || self.pages.is_none())
        {
            self.root_path.clone_from(root);
        }
        if header.ok {
            self.pages = Some(pages);
        }
        if !header.last {
            self.child = Some(worker);
            self.more = header.more;
        }
        Built {
            update: Update {
                pages: self.pages.clone(),
                ok: header.ok,
                changed: if header.ok { changed } else { BTreeSet::new() },
                root_path: self.root_path.clone(),
                overlay: header.overlay,
            },
            summary: header.summary,
            search: header.search,
        }
    }

    fn spawn(&self) -> std::io::Result<Worker> {
        let mut command = Command::new(std::env::current_exe()?);
        command
            .arg("--root")
            .arg(&self.root)
            .arg("serve")
            .env(ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if self.drafts {
            command.arg("--drafts");
        }
        let mut process = command.spawn()?;
        let (Some(stdin), Some(stdout)) = (process.stdin.take(), process.stdout.take()) else {
            return Err(std::io::Error::other("no pipe to the build process"));
        };
        Ok(Worker {
            process,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    /// The outcome of a build whose process ended without a word: the last good build
    /// stays, and the next rebuild starts a new process.
    fn failed(&mut self, why: &str) -> Built {
        self.child = None;
        let d = Diagnostic::error(Code::Io, why)
            .help("gloss keeps serving the last good build; save a file to build again");
        let diags = std::slice::from_ref(&d);
        Built {
            update: Update {
                pages: self.pages.clone(),
                ok: false,
                changed: BTreeSet::new(),
                root_path: self.root_path.clone(),
                overlay: Overlay::of(false, diags),
            },
            summary: diag::summary(diags),
            search: None,
        }
    }
}

/// Reads one file's `len` bytes from a frame: the whole file, or the new middle of
/// `before`, the server's copy, when the frame keeps its first and last bytes (`kept`).
fn read_file(
    stdout: &mut BufReader<ChildStdout>,
    len: u64,
    kept: Option<(u64, u64)>,
    before: Option<&Bytes>,
) -> std::io::Result<Bytes> {
    let len = usize::try_from(len).map_err(std::io::Error::other)?;
    let Some((head, tail)) = kept else {
        let mut bytes = vec![0; len];
        stdout.read_exact(&mut bytes)?;
        return Ok(bytes.into());
    };
    let (head, tail) = (
        usize::try_from(head).map_err(std::io::Error::other)?,
        usize::try_from(tail).map_err(std::io::Error::other)?,
    );
    let before = before
        .filter(|b| head.checked_add(tail).is_some_and(|kept| kept <= b.len()))
        .ok_or_else(|| std::io::Error::other("it changed a file the server does not have"))?;
    let mut bytes = Vec::with_capacity(head + len + tail);
    bytes.extend_from_slice(&before[..head]);
    bytes.resize(head + len, 0);
    stdout.read_exact(&mut bytes[head..])?;
    bytes.extend_from_slice(&before[before.len() - tail..]);
    Ok(bytes.into())
}

fn read_header(stdout: &mut BufReader<ChildStdout>) -> std::io::Result<Header> {
    let mut line = String::new();
    if stdout.read_line(&mut line)? == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "it ended",
        ));
    }
    serde_json::from_str(&line).map_err(std::io::Error::other)
}
