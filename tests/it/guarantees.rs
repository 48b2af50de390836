//! The guarantees of DESIGN §9 and §11 that hold across a whole run: every error of a run
//! is reported at once; a failed build leaves the previous output exactly as it was; the
//! same input gives byte-identical output whatever the thread count or the site's folder.

use crate::diagnostics::assert_no_leftovers;
use crate::harness::{Site, error_codes};
use std::collections::BTreeMap;

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
