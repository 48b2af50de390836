//! The guarantees of DESIGN §9 and §11 that hold across a whole run: every error of a run
//! is reported at once; a failed build leaves the previous output exactly as it was; the
//! same input gives byte-identical output whatever the thread count or the site's folder.

use crate::diagnostics::assert_no_leftovers;
use crate::harness::{Run, Site, error_codes};
use std::collections::BTreeMap;
use std::path::Path;

const ARTICLE: &str = "content/articles/harbour.yaml";

#[test]
fn all_errors_of_a_run_are_reported_together() {
    // Four mistakes in three files, caught by four different stages: a quote that is not in
    // the seed (anchor), an unknown speaker (link), a bad date (anchor, in another file) and
    // a broken template override (render).
    let site = Site::fixture("tiny");
    site.replace(
        ARTICLE,
        "quote: discussed since the floods of 2019",
        "quote: discussed since the flood of 2019",
    );
    site.replace(ARTICLE, "speaker: mara-quist", "speaker: mara-quits");
    site.append(
        "content/events.yaml",
        "- id: 2024-drill\n  date: 2024-03-32\n  title: First joint flood drill\n",
    );
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ oops( }}{% endblock content %}\n",
    );

    let (diags, code) = site.check_json();
    assert_eq!(code, 1);
    assert_eq!(
        error_codes(&diags),
        [
            "anchor-not-found",
            "invalid-date",
            "template-error",
            "unknown-entity"
        ],
        "{diags:#?}"
    );
    let at: Vec<(String, Option<usize>)> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.file.clone().unwrap_or_default(), d.line))
        .collect();
    for place in [
        (ARTICLE, 21),
        (ARTICLE, 27),
        ("content/events.yaml", 9),
        ("themes/default/templates/404.html", 2),
    ] {
        assert!(
            at.contains(&(place.0.to_owned(), Some(place.1))),
            "an error at {place:?}: {at:?}"
        );
    }

    // The human report says the same, with a count, and so does `build`.
    let human = site.gloss(&["check"]);
    human.expect_code(1);
    for code in [
        "anchor-not-found",
        "invalid-date",
        "template-error",
        "unknown-entity",
    ] {
        assert!(human.stderr.contains(code), "{code} in:\n{}", human.stderr);
    }
    assert!(human.stderr.contains("4 errors"), "{}", human.stderr);
    let build = site.build();
    build.expect_code(1);
    assert!(build.stderr.contains("4 errors"), "{}", build.stderr);
}

#[test]
fn diagnostics_come_in_a_stable_order() {
    // Sorted by file, then line: the same report every run, whatever finished first.
    let site = Site::fixture("tiny");
    site.replace(ARTICLE, "speaker: mara-quist", "speaker: mara-quits");
    site.replace(ARTICLE, "events: [2019-floods]", "events: [2019-flood]");
    site.replace(
        "content/events.yaml",
        "[harbour-authority, river-commission]",
        "[harbour-authority, river-comission]",
    );
    let (first, _) = site.check_json();
    for _ in 0..3 {
        assert_eq!(site.check_json().0, first);
    }
    let keys: Vec<(Option<String>, Option<usize>)> = first
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.file.clone(), d.line))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::bundled();
    site.build().ok();
    let before = site.tree("public");
    assert!(before.contains_key("index.html"));

    // Break one annotation of one article: nothing may change, not even the pages that
    // have nothing to do with it.
    let article = std::fs::read_dir(site.path("content/articles"))
        .expect("articles")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .min()
        .expect("an article");
    let rel = article
        .strip_prefix(site.root())
        .expect("inside")
        .to_string_lossy()
        .replace('\\', "/");
    let text = site.read(&rel);
    let quote_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("quote:"))
        .expect("a quote")
        .to_owned();
    let indent = &quote_line[..quote_line.len() - quote_line.trim_start().len()];
    site.replace(
        &rel,
        &quote_line,
        &format!("{indent}quote: \"a sentence that was never in the seed\""),
    );

    let run = site.build();
    run.expect_code(1);
    assert!(run.stderr.contains("anchor-not-found"), "{}", run.stderr);
    assert!(
        site.tree("public") == before,
        "public/ changed after a failed build"
    );
    assert_no_leftovers(&site);
}

#[test]
fn a_build_clears_what_an_interrupted_build_left_behind() {
    // A build killed mid-write leaves its temporary folder; the next one removes it.
    let site = Site::fixture("tiny");
    site.write(".public.tmp-99999/index.html", "half-written");
    site.build().ok();
    assert_no_leftovers(&site);
    assert!(site.output("index.html").contains("Lowmoor flood desk"));
}

#[test]
fn a_successful_build_replaces_the_output_completely() {
    // Pages that are no longer produced disappear; nothing of the old output lingers.
    let site = Site::fixture("tiny");
    site.build().expect_code(0);
    site.write("public/stale/index.html", "from an older build");
    site.build().ok();
    assert!(!site.path("public/stale").exists());
    assert_no_leftovers(&site);
}

/// The built tree of a fresh copy of a site, built with `env`.
fn build_tree(make: fn() -> Site, env: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    let site = make();
    site.gloss_env(&["build"], env).ok();
    site.tree("public")
}

#[track_caller]
fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: the same files"
    );
    let differ: Vec<&String> = a
        .iter()
        .filter(|(p, bytes)| b.get(*p) != Some(bytes))
        .map(|(p, _)| p)
        .collect();
    assert!(differ.is_empty(), "{what}: these files differ: {differ:?}");
}

#[test]
fn output_is_byte_identical_across_runs_folders_and_thread_counts() {
    for (name, make) in [
        ("bundled", Site::bundled as fn() -> Site),
        ("mini", || Site::fixture("mini")),
    ] {
        // Each build runs in its own temporary folder, so this also shows the output does
        // not depend on where the site lives.
        let default = build_tree(make, &[]);
        assert!(default.len() > 10, "{name} built");
        assert_same_tree(
            &default,
            &build_tree(make, &[]),
            &format!("{name}, built twice"),
        );
        assert_same_tree(
            &default,
            &build_tree(make, &[("RAYON_NUM_THREADS", "1")]),
            &format!("{name}, one thread vs default"),
        );
        assert_same_tree(
            &default,
            &build_tree(make, &[("RAYON_NUM_THREADS", "7")]),
            &format!("{name}, seven threads vs default"),
        );
    }
}

#[test]
fn rebuilding_in_place_changes_nothing() {
    let site = Site::fixture("mini");
    site.build().ok();
    let first = site.tree("public");
    site.build().ok();
    assert_same_tree(&first, &site.tree("public"), "mini, rebuilt in place");
}

// --- the output folder: gloss never deletes what it did not create ------------------------------

/// Every file of the site's folder with its bytes, the output folder included: what a
/// refused build must leave exactly as it was.
fn whole_site(site: &Site) -> BTreeMap<String, Vec<u8>> {
    site.tree(".")
}

/// Runs `gloss --root <site> <args>`, failing (not hanging) if it runs for minutes: a
/// `build --watch` that is not refused would never end.
fn gloss_bounded(root: &Path, args: &[&str]) -> Run {
    let logs = tempfile::tempdir().expect("temporary folder for output");
    let (out, err) = (logs.path().join("out"), logs.path().join("err"));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("gloss"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("start gloss");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for gloss") {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            child.kill().ok();
            child.wait().ok();
            panic!(
                "gloss {args:?} did not stop:\n{}",
                std::fs::read_to_string(&err).unwrap_or_default()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: read(&out),
        stderr: read(&err),
    }
}

#[test]
fn out_cannot_be_hold_or_lie_inside_the_sites_sources() {
    for out in [
        "seeds",
        "content",
        "content/articles",
        "content/../seeds/new",
        "themes",
        "themes/x/static",
        ".git",
        ".git/objects",
        "site.toml",
        ".",
        "public/..",
    ] {
        for watch in [false, true] {
            let site = Site::fixture("tiny");
            site.write("themes/x/static/style.css", "body {}");
            site.write(".git/HEAD", "ref: refs/heads/main\n");
            let before = whole_site(&site);
            let target = site.root().join(out);
            let target = target.to_str().expect("UTF-8 path");
            let mut args = vec!["build", "--out", target, "--force"];
            if watch {
                args.push("--watch");
            }
            let run = gloss_bounded(site.root(), &args);
            assert_eq!(run.code, 2, "--out {out} (watch: {watch}): {}", run.stderr);
            assert!(
                run.stderr.contains("the output folder") && run.stderr.contains("help:"),
                "--out {out}: {}",
                run.stderr
            );
            assert!(
                whole_site(&site) == before,
                "--out {out} (watch: {watch}) changed the site"
            );
        }
    }
}

#[test]
fn out_cannot_hold_the_site_or_reach_its_sources_through_a_symlink() {
    // The site in a folder of the output's: building there would replace the whole site.
    let holder = Site::empty();
    let site_dir = holder.path("briefing");
    let site = Site::fixture("tiny");
    for (rel, bytes) in site.tree(".") {
        holder.write_bytes(&format!("briefing/{rel}"), &bytes);
    }
    let before = holder.tree(".");
    let run = gloss_bounded(
        &site_dir,
        &[
            "build",
            "--force",
            "--out",
            holder.root().to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("holds the whole site"),
        "{}",
        run.stderr
    );
    assert!(holder.tree(".") == before, "the site changed");

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site_dir.join("content"), holder.path("elsewhere"))
            .expect("symlink");
        let run = gloss_bounded(
            &site_dir,
            &[
                "build",
                "--out",
                holder.path("elsewhere/articles").to_str().expect("UTF-8"),
            ],
        );
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains("lies inside the site's `content`"),
            "{}",
            run.stderr
        );
        assert!(
            holder.tree("briefing/content") == site.tree("content"),
            "the annotation files changed"
        );
    }
}

#[test]
fn a_non_empty_folder_gloss_did_not_write_is_replaced_only_with_force() {
    let site = Site::fixture("tiny");
    site.write("mine/notes.txt", "my own notes");
    let before = whole_site(&site);
    let out = site.path("mine");
    let out = out.to_str().expect("UTF-8");
    let run = site.gloss(&["build", "--out", out]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("was not written by gloss") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert!(whole_site(&site) == before, "the folder changed");
    assert_no_leftovers(&site);

    // The default output folder is no different.
    site.write("public/keep.txt", "not gloss's");
    site.build().expect_code(2);
    assert_eq!(site.read("public/keep.txt"), "not gloss's");

    // --force replaces it; from then on it is gloss's output, replaced without --force.
    site.gloss(&["build", "--out", out, "--force"])
        .expect_code(0);
    assert!(!site.path("mine/notes.txt").exists());
    assert!(site.path("mine/index.html").is_file());
    site.gloss(&["build", "--out", out]).expect_code(0);

    // An empty folder, or one that does not exist yet, needs nothing.
    std::fs::create_dir_all(site.path("empty")).expect("mkdir");
    for out in ["empty", "new/deeper"] {
        let out = site.path(out);
        site.gloss(&["build", "--out", out.to_str().expect("UTF-8")])
            .expect_code(0);
        assert!(out.join("index.html").is_file());
    }
}

#[test]
fn an_output_path_that_is_a_file_is_reported_and_left_alone() {
    let site = Site::fixture("tiny");
    site.write("public", "a file, not gloss's");
    for _ in 0..2 {
        let run = site.build();
        run.expect_code(2);
        assert!(run.stderr.contains("is a file"), "{}", run.stderr);
        assert!(!run.stderr.contains("left as it was"), "{}", run.stderr);
        assert_eq!(site.read("public"), "a file, not gloss's");
        assert_no_leftovers(&site);
    }
}

#[test]
fn a_second_build_into_the_same_folder_is_refused_while_one_is_writing() {
    let site = Site::fixture("tiny");
    site.build().expect_code(0);
    let before = site.tree("public");
    // What a build holds while it writes `public/`.
    let lock = std::fs::File::create(site.path(".public.lock")).expect("lock file");
    lock.try_lock().expect("lock");
    site.write(".public.tmp-1/index.html", "another build's staging folder");
    let run = site.build();
    run.expect_code(2);
    assert!(
        run.stderr.contains("another gloss process"),
        "{}",
        run.stderr
    );
    assert_eq!(
        site.read(".public.tmp-1/index.html"),
        "another build's staging folder"
    );
    assert!(site.tree("public") == before);
    drop(lock);
    site.remove(".public.tmp-1");
    site.build().expect_code(0);
    assert_no_leftovers(&site);
    assert!(
        !site.path(".public.lock").exists(),
        "the lock file is removed"
    );
}
