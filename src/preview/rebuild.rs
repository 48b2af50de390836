//! Repeated builds of one site for `serve` and `build --watch`: each rebuild says which
//! output files changed since the last good build, so the server can tell browsers
//! exactly which pages to reload.

use crate::diag::{Diagnostic, SourceFiles};
use crate::load::Overrides;
use crate::pages::{Joined, Pages, same_file, same_parts};
use crate::pipeline;
use crate::render::RenderOptions;
use camino::{Utf8Path, Utf8PathBuf};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The state kept between builds of one site.
pub struct Rebuilder {
    root: Utf8PathBuf,
    overrides: Overrides,
    options: RenderOptions,
    last_good: Option<Arc<Pages>>,
    /// The files of `last_good` kept in their parts (`RenderOptions::keep_parts`).
    last_joined: Joined,
    /// Whether the last rebuild succeeded, so that `last_good` is the output the next
    /// render changes, and what that render touched is all that can differ from it.
    last_ok: bool,
    /// The base path `last_good` was built for (`/` before any build).
    root_path: String,
    caches: pipeline::Caches,
    /// A watcher reports every change from now on (see `watching`).
    watching: bool,
}

/// What one rebuild produced.
pub struct Rebuild {
    /// The site to serve: this build's pages if it succeeded, else the last good build's.
    pub pages: Option<Arc<Pages>>,
    /// The files of the site to serve that are kept in their parts, not in `pages`.
    pub joined: Joined,
    /// False when the content has errors (then `pages` is the previous good build).
    pub ok: bool,
    /// Output paths whose bytes changed, appeared or disappeared since the last good build.
    pub changed: BTreeSet<String>,
    pub diags: Vec<Diagnostic>,
    pub files: SourceFiles,
    /// The base URL's path, `/` or `/repo/`.
    pub root_path: String,
    /// Pages whose templates ran in this rebuild (the others were reused unchanged).
    pub rendered: Vec<String>,
    /// What to index for search, when the options asked for it and this build succeeded.
    pub search_records: Option<Vec<Arc<crate::render::search::Record>>>,
}

impl Rebuilder {
    pub fn new(root: &Utf8Path, overrides: Overrides, options: RenderOptions) -> Self {
        Self {
            root: root.to_owned(),
            overrides,
            options,
            last_good: None,
            last_joined: Joined::new(),
            last_ok: false,
            root_path: "/".into(),
            caches: pipeline::Caches::default(),
            watching: false,
        }
    }

    /// Says that a file watcher now runs and passes every change to `rebuild`. The next
    /// rebuild still checks every file (anything saved before the watcher started is
    /// caught there); the ones after it read only the files they are told changed.
    pub fn watching(&mut self) {
        self.watching = true;
    }

    /// Runs one rebuild. Should gloss itself panic (a bug), the rebuilder is replaced by a
    /// fresh one and the site built in full, so no half-updated state can serve stale pages;
    /// `None` if even that panicked. `serve` and `build --watch` both rebuild through this.
    pub fn rebuild_guarded(
        &mut self,
        fresh: &dyn Fn() -> Rebuilder,
        changed: &[Utf8PathBuf],
    ) -> Option<Rebuild> {
        let attempt = |r: &mut Rebuilder, changed: &[Utf8PathBuf]| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.rebuild(changed))).ok()
        };
        if let Some(rebuild) = attempt(self, changed) {
            return Some(rebuild);
        }
        eprintln!(
            "error: gloss failed while rebuilding (a bug; please report it with the change you made); building everything again"
        );
        *self = fresh();
        let full = attempt(self, &[]);
        if full.is_none() {
            eprintln!("error: the full rebuild failed too; still serving the last good build");
        }
        full
    }

    /// Rebuilds the site. `changed_inputs` names the files that changed (relative to the
    /// root); it is a hint for skipping work, never a reason to serve stale output.
    pub fn rebuild(&mut self, changed_inputs: &[Utf8PathBuf]) -> Rebuild {
        self.caches.changed = changed_inputs.to_vec();
        let outcome = pipeline::run(
            &self.root,
            &self.overrides,
            &self.options,
            &mut self.caches,
            None,
        );
        // Trust starts only after one full check made while the watcher was running.
        self.caches.load.trust_changed = self.watching;
        let mut timer = crate::timer::Timer::new();
        let ok = !outcome.has_errors() && outcome.pages.is_some();
        // The served pages stay at the base path they were built for: a failed build (a
        // broken site.toml, or a new base_url with errors elsewhere) must not move the last
        // good build, and the event stream of its open pages, to another path.
        if let Some(root) = &outcome.root_path
            && (ok || self.last_good.is_none())
        {
            self.root_path.clone_from(root);
        }
        let root_path = self.root_path.clone();
        let mut changed = BTreeSet::new();
        if ok {
            let pages = Arc::new(outcome.pages.unwrap_or_default());
            match (&self.last_good, &outcome.touched) {
                (Some(prev), Some(touched)) if self.last_ok => {
                    changed = touched
                        .iter()
                        .filter(|path| !same_file(prev.get(*path), pages.get(*path)))
                        .cloned()
                        .collect();
                }
                (Some(prev), _) => changed = diff(prev.iter(), pages.iter()),
                (None, _) => changed.extend(pages.keys().cloned()),
            }
            changed.extend(diff_joined(&self.last_joined, &outcome.joined));
            self.last_good = Some(pages);
            self.last_joined = outcome.joined;
        }
        self.last_ok = ok;
        timer.lap("changed");
        Rebuild {
            pages: self.last_good.clone(),
            joined: self.last_joined.clone(),
            ok,
            changed,
            diags: outcome.diags,
            files: outcome.files,
            root_path,
            rendered: outcome.rendered,
            search_records: if ok { outcome.search_records } else { None },
        }
    }
}

/// The changed inputs as the terminal names them: `no input named`,
/// `content/articles/x.yaml`, or `content/articles/x.yaml and 3 more`.
pub fn describe_inputs(changed: &[Utf8PathBuf]) -> String {
    // A file name from an untrusted pull request may hold terminal escape sequences.
    let name = |p: &Utf8PathBuf| crate::diag::printable(p.as_str()).into_owned();
    match changed {
        [] => "no input named".into(),
        [one] => name(one),
        [first, rest @ ..] => format!("{} and {} more", name(first), rest.len()),
    }
}

/// The paths whose bytes differ between two builds, including files only one has. Both
/// are walked in path order, side by side; a page reused from the cache is the same
/// allocation, and a length tells most edits apart without comparing the bytes of a
/// multi-megabyte file like `annotations.jsonld`. (The persistent map's own `diff`, which
/// skips the leaves two maps share, took four times as long on a 10,000-article site.)
pub(crate) fn diff<'a>(
    old: impl IntoIterator<Item = (&'a String, &'a crate::pages::Bytes)>,
    new: impl IntoIterator<Item = (&'a String, &'a crate::pages::Bytes)>,
) -> BTreeSet<String> {
    use std::cmp::Ordering;
    let same = |a, b| same_file(Some(a), Some(b));
    let mut changed = BTreeSet::new();
    let (mut a, mut b) = (old.into_iter().peekable(), new.into_iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some((path, _)), None) => {
                changed.insert((*path).clone());
                a.next();
            }
            (None, Some((path, _))) => {
                changed.insert((*path).clone());
                b.next();
            }
            (Some((pa, ba)), Some((pb, bb))) => match pa.cmp(pb) {
                Ordering::Less => {
                    changed.insert((*pa).clone());
                    a.next();
                }
                Ordering::Greater => {
                    changed.insert((*pb).clone());
                    b.next();
                }
                Ordering::Equal => {
                    if !same(ba, bb) {
                        changed.insert((*pa).clone());
                    }
                    a.next();
                    b.next();
                }
            },
        }
    }
    changed
}

/// The paths of the joined files that differ between two builds, or that one lacks.
fn diff_joined(old: &Joined, new: &Joined) -> Vec<String> {
    let differs = |path: &String, parts: &Arc<[crate::pages::Bytes]>| {
        old.get(path).is_none_or(|kept| !same_parts(kept, parts))
    };
    new.iter()
        .filter(|(path, parts)| differs(path, parts))
        .map(|(path, _)| path.clone())
        .chain(old.keys().filter(|path| !new.contains_key(*path)).cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_names_changed_added_and_removed_files() {
        let pages = |list: &[(&str, &str)]| -> Pages {
            list.iter()
                .map(|(p, b)| (p.to_string(), crate::pages::Bytes::from(b.as_bytes())))
                .collect()
        };
        let check = |old: &[(&str, &str)], new: &[(&str, &str)], expect: &[&str]| {
            let got: Vec<String> = diff(&pages(old), &pages(new)).into_iter().collect();
            assert_eq!(got, expect, "{old:?} → {new:?}");
        };
        check(&[("a", "1"), ("b", "2")], &[("a", "1"), ("b", "2")], &[]);
        check(&[("a", "1"), ("b", "2")], &[("a", "1"), ("b", "3")], &["b"]);
        check(
            &[("a", "1"), ("b", "2")],
            &[("a", "1"), ("b", "22")],
            &["b"],
        );
        check(&[("a", "1")], &[("a", "1"), ("c", "3")], &["c"]);
        check(&[("a", "1"), ("c", "3")], &[("c", "3")], &["a"]);
        check(&[], &[("a", "1")], &["a"]);
    }
}
