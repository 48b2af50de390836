//! `gloss check`: everything `build` verifies, without writing; for CI.

use super::Exit;
use crate::diag::{self, Code, Diagnostic};
use crate::load::Overrides;
use crate::output::linkcheck;
use crate::pipeline;
use crate::render::RenderOptions;
use camino::Utf8Path;

pub fn run(root: &Utf8Path, json: bool, links: bool) -> Exit {
    let mut outcome = pipeline::run(root, &Overrides::default(), &RenderOptions::default());
    if links && let Some(pages) = &outcome.pages {
        let root_path = outcome.root_path.clone().unwrap_or_else(|| "/".into());
        for broken in linkcheck::check(pages, &root_path) {
            outcome.diags.push(
                Diagnostic::error(
                    Code::BrokenLink,
                    format!(
                        "{} links to {}, which does not exist",
                        broken.page, broken.href
                    ),
                )
                .help("a template or Markdown link points to a missing page or #fragment"),
            );
        }
    }
    if json {
        println!("{}", diag::to_json(&outcome.diags));
    } else {
        super::report(&outcome.diags, &outcome.files);
        if !outcome.has_errors() {
            eprintln!("No errors.");
        }
    }
    match (outcome.has_errors(), outcome.output_dir.is_some()) {
        (_, false) => super::config_failure(root),
        (true, true) => Exit::ContentErrors,
        (false, true) => Exit::Success,
    }
}
