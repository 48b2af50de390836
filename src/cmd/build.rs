//! `gloss build`: run the pipeline and write the site atomically (or keep doing so with `--watch`).

use super::Exit;
use crate::load::Overrides;
use crate::pipeline;
use crate::preview::rebuild::{Rebuild, Rebuilder, describe_inputs};
use crate::preview::watch::Watcher;
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
    let overrides = Overrides {
        base_url: opts.base_url.clone(),
        drafts: opts.drafts,
    };
    if opts.watch {
        return watch(opts, overrides);
    }
    let started = Instant::now();
    // Pages are written into a staging folder while the search index is still being
    // built, when site.toml already tells where they go; nothing replaces the old output
    // until the whole build has succeeded.
    let configured = crate::load::site_config(&opts.root).map(|c| c.build.output_dir);
    let mut staging = output_dir(opts, configured.as_deref())
        .and_then(|out| crate::output::write::Staging::begin(&out).ok());
    let outcome = pipeline::run_streaming(
        &opts.root,
        &overrides,
        &RenderOptions {
            search: true,
            ..RenderOptions::default()
        },
        &mut pipeline::Caches::one_shot(),
        &mut |pages| {
            if let Some(staging) = staging.as_mut() {
                staging.write(pages);
            }
        },
    );
    super::report(&outcome.diags, &outcome.files);
    let Some(out) = output_dir(opts, outcome.output_dir.as_deref()) else {
        return unusable_config(&opts.root);
    };
    let commit = |pages: &crate::pages::Pages| match staging {
        // The folder staged for is the one the build settled on unless site.toml changed meanwhile.
        Some(staging) if configured.as_deref() == outcome.output_dir.as_deref() => {
            staging.commit(pages)
        }
        _ => crate::output::write::write_atomic(&out, pages),
    };
    match (&outcome.pages, outcome.has_errors()) {
        (Some(pages), false) => match commit(pages) {
            Ok(()) => {
                eprintln!(
                    "Built {} files into {out} in {} ms",
                    pages.len(),
                    started.elapsed().as_millis()
                );
                Exit::Success
            }
            Err(e) => {
                eprintln!(
                    "error: cannot write {out}: {e}\n  help: check that the folder is writable; the previous output was left as it was"
                );
                Exit::Failure
            }
        },
        _ if outcome.output_dir.is_none() => unusable_config(&opts.root),
        _ => {
            eprintln!("Nothing was written; {out} is unchanged.");
            Exit::ContentErrors
        }
    }
}

/// Says that nothing was written because site.toml is broken (whose errors were just
/// reported), and returns the exit code.
fn unusable_config(root: &Utf8Path) -> Exit {
    let exit = super::config_failure(root);
    if exit == Exit::ContentErrors {
        eprintln!("Nothing was written; fix site.toml and build again.");
    }
    exit
}

fn output_dir(opts: &Options, configured: Option<&str>) -> Option<Utf8PathBuf> {
    match (&opts.out, configured) {
        (Some(out), _) => Some(out.clone()),
        (None, Some(dir)) => Some(if Utf8Path::new(dir).is_absolute() {
            dir.into()
        } else {
            opts.root.join(dir)
        }),
        (None, None) => None,
    }
}

/// `build --watch`: builds, then rebuilds on every change and brings the output folder up
/// to date, rewriting only files whose bytes changed and removing files no longer
/// produced. A failed build is reported and leaves the output as it was.
fn watch(opts: &Options, overrides: Overrides) -> Exit {
    if !opts.root.join("site.toml").is_file() {
        eprintln!(
            "error: {} has no site.toml, so it is not a gloss site\n  help: run gloss from the site's folder, pass --root DIR, or create a site with `gloss init DIR`",
            opts.root
        );
        return Exit::Failure;
    }
    let config = crate::load::site_config(&opts.root);
    let Some(out) = output_dir(
        opts,
        Some(
            config
                .as_ref()
                .map_or("public", |c| c.build.output_dir.as_str()),
        ),
    ) else {
        return Exit::Failure;
    };
    // The same output as `gloss build`, search index included.
    let options = RenderOptions {
        search: true,
        ..RenderOptions::default()
    };
    let fresh = || Rebuilder::new(&opts.root, overrides.clone(), options.clone());
    let mut rebuilder = fresh();
    let started = Instant::now();
    let first = rebuilder.rebuild(&[]);
    super::report(&first.diags, &first.files);
    sync(&out, &first, started, "first build");
    let mut watcher = match Watcher::start(&opts.root, Some(&out), opts.poll) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Failure;
        }
    };
    rebuilder.watching();
    eprintln!(
        "Watching {} for changes{}; press Ctrl+C to stop.",
        opts.root,
        if opts.poll { " (polling)" } else { "" }
    );
    let mut last = first.diags;
    while let Some(changed) = watcher.next_change() {
        let started = Instant::now();
        let Some(rebuild) = rebuilder.rebuild_guarded(&fresh, &changed) else {
            continue;
        };
        if rebuild.diags != last {
            super::report(&rebuild.diags, &rebuild.files);
            last.clone_from(&rebuild.diags);
        }
        sync(&out, &rebuild, started, &describe_inputs(&changed));
    }
    eprintln!("error: stopped watching for changes");
    Exit::Failure
}

/// Writes one rebuild's output and prints its one-line summary.
fn sync(out: &Utf8Path, rebuild: &Rebuild, started: Instant, cause: &str) {
    match (&rebuild.pages, rebuild.ok) {
        (Some(pages), true) => match crate::output::write::sync_tree(out, pages) {
            Ok((written, removed)) => eprintln!(
                "Built in {} ms ({cause}): {written} file{} written, {removed} removed, in {out}",
                started.elapsed().as_millis(),
                if written == 1 { "" } else { "s" }
            ),
            Err(e) => eprintln!(
                "error: cannot write {out}: {e}\n  help: check that the folder is writable"
            ),
        },
        _ => eprintln!(
            "Build failed ({cause}): {}; {out} left as it was",
            crate::diag::summary(&rebuild.diags)
        ),
    }
}
