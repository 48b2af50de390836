//! `gloss build`: run the pipeline and write the site atomically (or keep doing so with `--watch`).

use crate::cli::Exit;
use crate::load::Overrides;
use crate::pipeline;
use crate::render::RenderOptions;
use camino::{Utf8Path, Utf8PathBuf};
use std::time::Instant;

pub struct Options {
    pub root: Utf8PathBuf,
    pub out: Option<Utf8PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub watch: bool,
    pub poll: bool,
}

pub fn run(opts: &Options) -> Exit {
    let overrides = Overrides { base_url: opts.base_url.clone(), drafts: opts.drafts };
    let started = Instant::now();
    let outcome = pipeline::run(&opts.root, &overrides, &RenderOptions::default());
    super::report(&outcome.diags, &outcome.files);
    let Some(out) = output_dir(opts, outcome.output_dir.as_deref()) else {
        return Exit::Failure;
    };
    let exit = match (&outcome.pages, outcome.has_errors()) {
        (Some(pages), false) => match crate::write::write_atomic(&out, pages) {
            Ok(()) => {
                eprintln!("Built {} files into {out} in {} ms", pages.len(), started.elapsed().as_millis());
                Exit::Success
            }
            Err(e) => {
                eprintln!("error: cannot write {out}: {e}\n  help: check that the folder is writable; the previous output was left as it was");
                Exit::Failure
            }
        },
        _ if outcome.output_dir.is_none() => Exit::Failure,
        _ => {
            eprintln!("Nothing was written; {out} is unchanged.");
            Exit::ContentErrors
        }
    };
    if opts.watch {
        eprintln!("--watch is not available in this build yet");
        return Exit::Failure;
    }
    exit
}

fn output_dir(opts: &Options, configured: Option<&str>) -> Option<Utf8PathBuf> {
    match (&opts.out, configured) {
        (Some(out), _) => Some(out.clone()),
        (None, Some(dir)) => Some(if Utf8Path::new(dir).is_absolute() { dir.into() } else { opts.root.join(dir) }),
        (None, None) => None,
    }
}
