//! `gloss check`: everything `build` verifies, without writing; for CI.

use super::Exit;
use crate::anchor::stealth;
use crate::diag::{self, Code, Diagnostic};
use crate::load::Overrides;
use crate::load::seedlock;
use crate::output::linkcheck;
use crate::output::write;
use crate::pipeline;
use crate::render::RenderOptions;
use camino::Utf8Path;

pub fn run(root: &Utf8Path, json: bool, links: bool, accept_sources: bool) -> Exit {
    let mut outcome = pipeline::run(
        root,
        &Overrides::default(),
        &RenderOptions::default(),
        &mut pipeline::Caches::default(),
        None,
    );
    if accept_sources && outcome.output_dir.is_some() {
        let lock = stealth::current(&outcome.articles);
        let path = root.join(seedlock::FILE);
        match write::write_file_atomic(&path, seedlock::to_text(&lock).as_bytes()) {
            Ok(()) => {
                // What the lock now records is no longer a change to report.
                outcome.diags.retain(|d| d.code != Code::SourceChanged);
                if !json {
                    eprintln!(
                        "Recorded {} seed{} in {}.",
                        lock.articles.len(),
                        if lock.articles.len() == 1 { "" } else { "s" },
                        seedlock::FILE
                    );
                }
            }
            Err(e) => outcome.diags.push(
                Diagnostic::error(Code::Io, format!("cannot write {path}: {e}"))
                    .help("check that the site folder is writable"),
            ),
        }
    }
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
