//! Repeated builds of one site for `serve` and `build --watch`: each rebuild says which
//! output files changed since the last good build, so the server can tell browsers
//! exactly which pages to reload.

use crate::diag::{Diagnostic, SourceFiles};
use crate::load::Overrides;
use crate::pipeline;
use crate::render::{Pages, RenderOptions};
use camino::{Utf8Path, Utf8PathBuf};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The state kept between builds of one site.
pub struct Rebuilder {
    root: Utf8PathBuf,
    overrides: Overrides,
    options: RenderOptions,
    last_good: Option<Arc<Pages>>,
    caches: pipeline::Caches,
}

/// What one rebuild produced.
pub struct Rebuild {
    /// The site to serve: this build's pages if it succeeded, else the last good build's.
    pub pages: Option<Arc<Pages>>,
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
}

impl Rebuilder {
    pub fn new(root: &Utf8Path, overrides: Overrides, options: RenderOptions) -> Self {
        Self {
            root: root.to_owned(),
            overrides,
            options,
            last_good: None,
            caches: pipeline::Caches::default(),
        }
    }

    /// Rebuilds the site. `changed_inputs` names the files that changed (relative to the
    /// root); it is a hint for skipping work, never a reason to serve stale output.
    pub fn rebuild(&mut self, changed_inputs: &[Utf8PathBuf]) -> Rebuild {
        self.caches.changed = changed_inputs.to_vec();
        let outcome =
            pipeline::run_cached(&self.root, &self.overrides, &self.options, &mut self.caches);
        let root_path = outcome.root_path.clone().unwrap_or_else(|| "/".into());
        let ok = !outcome.has_errors() && outcome.pages.is_some();
        let mut changed = BTreeSet::new();
        if ok {
            let pages = Arc::new(outcome.pages.unwrap_or_default());
            if let Some(prev) = &self.last_good {
                for (path, bytes) in pages.iter() {
                    if prev.get(path) != Some(bytes) {
                        changed.insert(path.clone());
                    }
                }
                changed.extend(prev.keys().filter(|p| !pages.contains_key(*p)).cloned());
            } else {
                changed.extend(pages.keys().cloned());
            }
            self.last_good = Some(pages);
        }
        Rebuild {
            pages: self.last_good.clone(),
            ok,
            changed,
            diags: outcome.diags,
            files: outcome.files,
            root_path,
            rendered: outcome.rendered,
        }
    }
}
