//! Watches a site's inputs (`site.toml`, `seeds/`, `content/`, `themes/`) and hands the
//! rebuild loop of `serve` and `build --watch` one batch of changed paths at a time.
//!
//! Folders are watched, never single files: editors save by writing a temporary file and
//! renaming it over the original, which replaces the inode a file watch would follow.
//! The root itself is watched non-recursively, so that `site.toml` edits are seen and a
//! deleted-then-recreated `content/` (say) is noticed and watched again.

use crate::load::is_ignored;
use camino::{Utf8Path, Utf8PathBuf};
use notify::event::{EventKind, MetadataKind, ModifyKind};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, RecommendedCache};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

/// The folders below the root whose contents are inputs.
pub const INPUT_DIRS: [&str; 3] = ["seeds", "content", "themes"];

/// How long after an event it is delivered, so that the steps of one save arrive
/// together. An atomic save (write a temporary file, rename it over the original) and
/// vim's backup-rename-write both take well under a millisecond; 10 ms covers them with
/// room to spare while leaving most of the 50 ms save-to-browser budget for the rebuild.
/// A save split across two batches costs one extra rebuild, never a stale page: the
/// later batch rebuilds from what is on disk then.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// How often the debouncer checks for events that are due. It wakes up this often even
/// when nothing happens, so not more often than needed: a due event waits 2.5 ms on
/// average.
const TICK: Duration = Duration::from_millis(5);

/// How often `--poll` scans the inputs: often enough to feel live, rare enough that
/// reading a few thousand files stays cheap. Contents are compared, not only modification
/// times, which notify's poller keeps to the second (two saves in one second would
/// otherwise look like one).
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// What can go wrong when starting to watch.
#[derive(Debug)]
pub struct WatchError(pub String);

impl std::fmt::Display for WatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The two backends have different types; both are only ever asked to watch a folder.
enum Backend {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.watch(path, mode),
            Backend::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.unwatch(path),
            Backend::Poll(d) => d.unwatch(path),
        }
    }
}

/// A running watch over one site.
pub struct Watcher {
    backend: Backend,
    events: Receiver<DebounceEventResult>,
    /// Absolute, as given to notify, so event paths can be made relative to it again.
    root: PathBuf,
    /// Relative to the root: changes below it are gloss's own output, never inputs.
    output: Option<Utf8PathBuf>,
    /// The input folders currently under a watch.
    watched: BTreeSet<&'static str>,
    /// The ENOSPC advice is printed once, not on every failed re-watch.
    told_limit: bool,
}

impl Watcher {
    /// Starts watching the site at `root`. `output` is the output folder (ignored when it
    /// lies among the inputs); `poll` scans periodically instead of using OS events.
    pub fn start(
        root: &Utf8Path,
        output: Option<&Utf8Path>,
        poll: bool,
    ) -> Result<Watcher, WatchError> {
        let root = std::path::absolute(root.as_std_path())
            .map_err(|e| WatchError(format!("cannot resolve {root}: {e}")))?;
        let output = output.and_then(|out| {
            let abs = std::path::absolute(out.as_std_path()).ok()?;
            let rel = abs.strip_prefix(&root).ok()?;
            Utf8PathBuf::from_path_buf(rel.to_owned()).ok()
        });
        let (tx, events) = std::sync::mpsc::channel();
        let backend = if poll {
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            notify_debouncer_full::new_debouncer_opt::<_, PollWatcher, NoCache>(
                DEBOUNCE,
                Some(TICK),
                tx,
                NoCache,
                config,
            )
            .map(Backend::Poll)
        } else {
            notify_debouncer_full::new_debouncer(DEBOUNCE, Some(TICK), tx).map(Backend::Native)
        }
        .map_err(|e| WatchError(describe(&e)))?;
        let mut watcher = Watcher {
            backend,
            events,
            root,
            output,
            watched: BTreeSet::new(),
            told_limit: false,
        };
        watcher
            .backend
            .watch(&watcher.root, RecursiveMode::NonRecursive)
            .map_err(|e| WatchError(describe(&e)))?;
        for dir in INPUT_DIRS {
            let path = watcher.root.join(dir);
            if path.is_dir() {
                watcher
                    .backend
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|e| WatchError(describe(&e)))?;
                watcher.watched.insert(dir);
            }
        }
        Ok(watcher)
    }

    /// Blocks until an input changes, then returns every changed input path (relative to
    /// the root) reported by then, so a burst of saves becomes one rebuild of the latest
    /// state. Returns `None` once the watcher has stopped.
    pub fn next_change(&mut self) -> Option<Vec<Utf8PathBuf>> {
        let mut changed = BTreeSet::new();
        let mut rewatch = BTreeSet::new();
        loop {
            let batch = if changed.is_empty() {
                self.events.recv().ok()?
            } else {
                match self.events.try_recv() {
                    Ok(batch) => batch,
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => return None,
                }
            };
            match batch {
                Ok(events) => {
                    if std::env::var_os("GLOSS_DEBUG_WATCH").is_some() {
                        for e in &events {
                            eprintln!("watch: {:?} {:?}", e.kind, e.paths);
                        }
                    }
                    for event in events.iter().filter(|e| changes_content(&e.kind)) {
                        if event.need_rescan() {
                            // The OS dropped events; only a full look is safe.
                            changed.insert(Utf8PathBuf::from("site.toml"));
                        }
                        for path in &event.paths {
                            if let Some(rel) = self.relevant(path) {
                                if let Some(dir) = INPUT_DIRS.iter().find(|d| rel.as_str() == **d) {
                                    rewatch.insert(*dir);
                                }
                                changed.insert(rel);
                            }
                        }
                    }
                }
                Err(errors) => {
                    for e in errors {
                        self.report(&e);
                    }
                }
            }
            // A folder that appeared (or was replaced) needs a fresh watch before the
            // rebuild reads it, or edits inside it would go unseen.
            for dir in std::mem::take(&mut rewatch) {
                self.rewatch(dir);
            }
            for dir in INPUT_DIRS {
                if !self.watched.contains(dir) && self.root.join(dir).is_dir() {
                    self.rewatch(dir);
                    changed.insert(Utf8PathBuf::from(dir));
                }
            }
        }
        Some(changed.into_iter().collect())
    }

    /// Watches `dir` afresh if it exists; forgets it if it is gone. The old watch is
    /// dropped first: after `mv content content.old` it would still follow the moved
    /// folder and report its files under their old names.
    fn rewatch(&mut self, dir: &'static str) {
        let path = self.root.join(dir);
        if self.watched.remove(dir) {
            // Fails when the OS already dropped the watch with the folder; nothing to do.
            let _ = self.backend.unwatch(&path);
        }
        if !path.is_dir() {
            return;
        }
        match self.backend.watch(&path, RecursiveMode::Recursive) {
            Ok(()) => {
                self.watched.insert(dir);
            }
            Err(e) => self.report(&e),
        }
    }

    fn report(&mut self, e: &notify::Error) {
        let limit = is_watch_limit(e);
        // A folder deleted while watched (the poller says so with an error): expected,
        // and handled by watching it again when it comes back.
        if !limit && !e.paths.is_empty() && e.paths.iter().all(|p| !p.exists()) {
            return;
        }
        if limit && std::mem::replace(&mut self.told_limit, true) {
            return;
        }
        eprintln!("warning: {}", describe(e));
    }

    /// The path relative to the root when it is an input gloss reads; `None` for the output
    /// folder, hidden files, editors' swap and backup files, and anything else in the root.
    fn relevant(&self, path: &Path) -> Option<Utf8PathBuf> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let rel = Utf8PathBuf::from_path_buf(rel.to_owned()).ok()?;
        is_input(&rel, self.output.as_deref()).then_some(rel)
    }
}

/// Whether a root-relative path is one gloss reads: `site.toml`, or something below an
/// input folder that is neither ignored (hidden, swap, backup) nor inside the output.
pub fn is_input(rel: &Utf8Path, output: Option<&Utf8Path>) -> bool {
    let mut parts = rel.components().map(|c| c.as_str());
    let Some(first) = parts.next() else {
        return false;
    };
    if first == "site.toml" && rel.as_str() == "site.toml" {
        return true;
    }
    if !INPUT_DIRS.contains(&first) {
        return false;
    }
    if output.is_some_and(|out| !out.as_str().is_empty() && rel.starts_with(out)) {
        return false;
    }
    rel.components()
        .all(|c| !is_ignored(c.as_str()) && c.as_str() != "target")
}

/// Whether an event can mean different bytes on disk. Opening and reading files (which
/// every rebuild does) must not trigger another rebuild. Closing a written file is left
/// out too: every write already raised a modify event, and the debouncer re-labels an
/// atomic save's temporary-file close with the real name, which would rebuild twice.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(_) => false,
        // inotify reports chmod and atime updates (which reading can cause) this way; only
        // the poll watcher's modification-time change means new content.
        EventKind::Modify(ModifyKind::Metadata(meta)) => *meta == MetadataKind::WriteTime,
        EventKind::Any
        | EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Other => true,
    }
}

fn is_watch_limit(e: &notify::Error) -> bool {
    match &e.kind {
        notify::ErrorKind::MaxFilesWatch => true,
        notify::ErrorKind::Io(io) => io.raw_os_error() == Some(28),
        _ => false,
    }
}

/// A message for a watch error; the inotify limit gets advice, since it is the one users hit.
pub fn describe(e: &notify::Error) -> String {
    if is_watch_limit(e) {
        return "the operating system's limit on watched folders was reached (inotify: ENOSPC)\n  \
                help: run again with --poll, or raise the limit: \
                sudo sysctl fs.inotify.max_user_watches=524288"
            .into();
    }
    let paths: Vec<String> = e.paths.iter().map(|p| p.display().to_string()).collect();
    if paths.is_empty() {
        format!("cannot watch the site for changes: {e}")
    } else {
        format!("cannot watch {} for changes: {e}", paths.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_and_noise() {
        let out = Some(Utf8Path::new("content/out"));
        for yes in [
            "site.toml",
            "seeds/a.txt",
            "content/articles/a.yaml",
            "themes/t/static/style.css",
            "content",
        ] {
            assert!(is_input(Utf8Path::new(yes), out), "{yes}");
        }
        for no in [
            "README.md",
            "public/index.html",
            "content/.a.yaml.swp",
            "content/articles/a.yaml~",
            "content/articles/#a.yaml#",
            "content/articles/.#a.yaml",
            "content/articles/a.yaml.tmp",
            "content/.git/HEAD",
            "content/out/index.html",
            "themes/target/x",
            "",
        ] {
            assert!(!is_input(Utf8Path::new(no), out), "{no}");
        }
    }

    #[test]
    fn limit_advice() {
        let message = describe(&notify::Error::new(notify::ErrorKind::MaxFilesWatch));
        assert!(
            message.contains("--poll") && message.contains("fs.inotify.max_user_watches"),
            "{message}"
        );
        let io = notify::Error::io(std::io::Error::from_raw_os_error(28));
        assert!(describe(&io).contains("--poll"));
    }
}
