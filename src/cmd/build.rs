//! `gloss build`: run the pipeline and write the site atomically (or keep doing so with `--watch`).

use super::Exit;
use crate::config::SiteConfig;
use crate::load::Overrides;
use crate::output::write::{Origin, OutputLock, Refusal, Target};
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
    /// Replace a non-empty output folder that gloss did not write.
    pub force: bool,
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
    // Pages are written into a staging folder as they render, while the search index is
    // still being built, when site.toml already tells where they go (and then kept nowhere
    // in memory); nothing replaces the old output until the whole build has succeeded. An output gloss may not replace is refused
    // before anything is written; one that site.toml points somewhere unsafe is left to
    // the pipeline, which reports it as an error in site.toml.
    let configured = crate::load::site_config(&opts.root);
    let staging = match target(opts, configured.as_ref()) {
        None => None,
        // site.toml's own mistake: the pipeline reports it, at its line.
        Some(Err(Refusal::Sources { .. } | Refusal::Outside { .. })) if opts.out.is_none() => None,
        Some(Err(refusal)) => return refuse(&refusal),
        Some(Ok(target)) => match crate::output::write::Staging::begin(&target) {
            Ok(staging) => Some(staging),
            Err(e) => return cannot_write(target.path(), &e),
        },
    };
    // Social cards drawn by earlier builds are taken from the site's `.gloss-cache/`.
    let store = std::sync::Arc::new(crate::output::cache::DiskStore::open(&opts.root));
    let mut caches = pipeline::Caches::one_shot();
    caches.render = caches.render.with_store(store.clone());
    let outcome = pipeline::run(
        &opts.root,
        &overrides,
        &RenderOptions {
            search: true,
            cards: true,
            ..RenderOptions::default()
        },
        &mut caches,
        staging.as_ref().map(|s| s as &dyn crate::pages::Sink),
    );
    super::report(&outcome.diags, &outcome.files);
    let Some(shown) = output_dir(opts, outcome.output_dir.as_deref()) else {
        return unusable_config(&opts.root);
    };
    let (Some(pages), false) = (&outcome.pages, outcome.has_errors()) else {
        if outcome.output_dir.is_none() {
            return unusable_config(&opts.root);
        }
        eprintln!("Nothing was written; {shown} is unchanged.");
        return Exit::ContentErrors;
    };
    let staged_for = configured.map(|c| c.build.output_dir);
    let committed = match staging {
        // The folder staged for is the one the build settled on unless site.toml changed meanwhile.
        Some(staging) if opts.out.is_some() || staged_for == outcome.output_dir => {
            staging.commit(pages)
        }
        // The pages went into a folder staged for another output, and are not kept.
        Some(_) => {
            eprintln!(
                "error: site.toml's output_dir changed during the build\n  help: build again; {shown} is unchanged"
            );
            return Exit::Failure;
        }
        None => match target(opts, crate::load::site_config(&opts.root).as_ref()) {
            Some(Ok(target)) => {
                crate::output::write::write_atomic(&target, pages).map(|()| pages.len())
            }
            Some(Err(refusal)) => return refuse(&refusal),
            None => return unusable_config(&opts.root),
        },
    };
    match committed {
        Ok(files) => {
            // Only a build that succeeded tells which kept cards the site still needs.
            store.prune();
            eprintln!(
                "Built {files} files into {shown} in {} ms",
                started.elapsed().as_millis()
            );
            Exit::Success
        }
        Err(e) => cannot_write(&shown, &e),
    }
}

/// The output folder for this build, checked: `--out` as given on the command line, or
/// site.toml's `output_dir` inside the site; `None` without either.
fn target(opts: &Options, config: Option<&SiteConfig>) -> Option<Result<Target, Refusal>> {
    let origin = match (&opts.out, config) {
        (Some(_), _) => Origin::CommandLine,
        (None, Some(c)) => Origin::SiteToml {
            allow_external_symlinks: c.limits.allow_external_symlinks,
        },
        (None, None) => return None,
    };
    let out = output_dir(opts, config.map(|c| c.build.output_dir.as_str()))?;
    Some(Target::resolve(&opts.root, &out, origin, opts.force))
}

/// Reports an output folder gloss will not write, and returns the exit code.
fn refuse(refusal: &Refusal) -> Exit {
    eprintln!("error: {refusal}\n  help: {}", refusal.help());
    Exit::Failure
}

/// Reports a failure to write the output, and returns the exit code.
fn cannot_write(out: &Utf8Path, e: &std::io::Error) -> Exit {
    let help = if e.kind() == std::io::ErrorKind::WouldBlock {
        "wait for the other build to finish, or stop the `gloss build --watch` writing there"
    } else {
        "check that the folder is writable"
    };
    eprintln!(
        "error: cannot write {out}: {e}\n  help: {help}; the previous output was left as it was"
    );
    Exit::Failure
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
    // A site.toml that cannot be read yet is reported by the first build; until it is
    // fixed, the output goes where it goes by default.
    let config = crate::load::site_config(&opts.root).unwrap_or_default();
    let Some(out) = output_dir(opts, Some(&config.build.output_dir)) else {
        return Exit::Failure;
    };
    let target = match target(opts, Some(&config)) {
        Some(Ok(target)) => target,
        Some(Err(refusal)) => return refuse(&refusal),
        None => return Exit::Failure,
    };
    // Held while watching: a `gloss build` into the same folder would replace it under us.
    let _lock = match OutputLock::acquire(&target) {
        Ok(lock) => lock,
        Err(e) => return cannot_write(&out, &e),
    };
    // The same output as `gloss build`, search index included.
    let options = RenderOptions {
        search: true,
        cards: true,
        ..RenderOptions::default()
    };
    let fresh = || Rebuilder::new(&opts.root, overrides.clone(), options.clone());
    let mut rebuilder = fresh();
    let started = Instant::now();
    let first = rebuilder.rebuild(&[]);
    super::report(&first.diags, &first.files);
    sync(&target, &first, started, "first build");
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
        sync(&target, &rebuild, started, &describe_inputs(&changed));
    }
    eprintln!("error: stopped watching for changes");
    Exit::Failure
}

/// Writes one rebuild's output and prints its one-line summary.
fn sync(target: &Target, rebuild: &Rebuild, started: Instant, cause: &str) {
    let out = target.path();
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
