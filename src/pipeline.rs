//! The whole pipeline as one function, shared by `build`, `check` and `serve`.

use crate::diag::{self, Diagnostic, SourceFiles};
use crate::load::{self, Overrides};
use crate::render::{self, Pages, RenderOptions};
use crate::theme::Theme;
use crate::{anchored, link};
use camino::Utf8Path;

/// What one run of the pipeline produced.
pub struct Outcome {
    /// The rendered site, when the pipeline got that far (even with errors, so `check`
    /// reports template and link errors too). Never written when `has_errors()`.
    pub pages: Option<Pages>,
    pub diags: Vec<Diagnostic>,
    pub files: SourceFiles,
    /// The output folder from site.toml (relative to the root), when it was readable.
    pub output_dir: Option<String>,
    /// The base URL's path (`/` or `/repo/`), when site.toml was readable.
    pub root_path: Option<String>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        diag::has_errors(&self.diags)
    }
}

/// Runs load → anchor → link → render over the site at `root`.
pub fn run(root: &Utf8Path, overrides: &Overrides, options: &RenderOptions) -> Outcome {
    let (sources, mut diags) = load::load(root, overrides);
    let Some(sources) = sources else {
        diag::sort(&mut diags);
        return Outcome { pages: None, diags, files: SourceFiles::default(), output_dir: None, root_path: None };
    };
    let output_dir = Some(sources.config.build.output_dir.clone());
    let root_path = Some(sources.config.root_path());
    let theme = Theme::load(&sources.theme);
    let (anchored, d) = anchored::anchor_all(sources);
    diags.extend(d);
    let (graph, d) = link::link(anchored);
    diags.extend(d);
    let pages = match theme {
        Ok(theme) => {
            let (pages, d) = render::render(&graph, &theme, options);
            diags.extend(d);
            Some(pages)
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    diag::sort(&mut diags);
    diags.dedup();
    Outcome { pages, diags, files: graph.files, output_dir, root_path }
}
