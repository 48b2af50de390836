//! Exit codes (DESIGN §8): 0 success, 1 content errors, 2 usage or I/O failure. CI scripts
//! branch on these, so each is pinned here for the ways a user gets it.

use crate::harness::Site;

#[test]
fn usage_errors_exit_2() {
    let site = Site::fixture("tiny");
    // (arguments, something the message must say)
    let cases: &[(&[&str], &str)] = &[
        (&["build", "--nope"], "--nope"),
        (&["check", "--format", "yaml"], "yaml"),
        (&["publish"], "publish"),
        (&[], "Usage"),
        (&["new"], "SEED"),
    ];
    for (args, says) in cases {
        let run = site.gloss(args);
        assert_eq!(run.code, 2, "gloss {args:?}: {run:?}");
        assert!(
            run.stderr.contains(says),
            "gloss {args:?} should mention {says:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_folder_without_site_toml_exits_2() {
    let empty = Site::empty();
    for args in [
        &["build"][..],
        &["check"],
        &["check", "--format", "json"],
        &["check", "--links"],
    ] {
        let run = empty.gloss(args);
        assert_eq!(run.code, 2, "gloss {args:?} in an empty folder: {run:?}");
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(
            said.contains("site.toml"),
            "gloss {args:?} names the missing site.toml: {said}"
        );
    }
    assert!(!empty.path("public").exists(), "nothing written");
}

#[test]
fn a_missing_root_folder_exits_2() {
    let site = Site::empty();
    let missing = site.path("no/such/site");
    let run = assert_cmd::Command::cargo_bin("gloss")
        .expect("binary")
        .arg("--root")
        .arg(&missing)
        .arg("build")
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(2), "{run:?}");
}

#[test]
fn an_unwritable_output_exits_2() {
    // `--out` below a regular file cannot be created: an I/O failure, not a content error.
    let site = Site::fixture("tiny");
    let out = site.path("site.toml").join("public");
    let run = site.gloss(&["build", "--out", out.to_str().expect("UTF-8 path")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("site.toml"), "{}", run.stderr);
}

#[test]
fn success_and_help_exit_0() {
    let site = Site::fixture("tiny");
    site.gloss(&["--help"]).ok();
    let version = site.gloss(&["--version"]);
    version.ok();
    assert!(version.stdout.starts_with("gloss "), "{}", version.stdout);
    site.gloss(&["check"]).ok();
    let json = site.gloss(&["check", "--format", "json"]);
    json.ok();
    assert_eq!(
        json.stdout.trim(),
        "[]",
        "a clean site reports an empty array"
    );
    let build = site.build();
    build.ok();
    assert!(build.stderr.contains("Built"), "{}", build.stderr);
}

#[test]
fn content_errors_exit_1_for_check_and_build() {
    let site = Site::fixture("tiny");
    site.replace(
        "content/articles/harbour.yaml",
        "speaker: mara-quist",
        "speaker: nobody",
    );
    for args in [
        &["check"][..],
        &["check", "--format", "json"],
        &["check", "--links"],
        &["build"],
    ] {
        assert_eq!(site.gloss(args).code, 1, "gloss {args:?}");
    }
    assert!(
        !site.path("public").exists(),
        "a failed first build writes nothing"
    );
}

#[test]
fn json_goes_to_stdout_and_nothing_else_does() {
    // `check --format json | jq` must get pure JSON, even with errors and warnings.
    let site = Site::fixture("tiny");
    site.replace(
        "content/articles/harbour.yaml",
        "speaker: mara-quist",
        "speaker: nobody",
    );
    site.append(
        "content/entities.yaml",
        "ada-ghost:\n  name: Ada Ghost\n  kind: person\n",
    );
    let run = site.gloss(&["check", "--format", "json"]);
    let parsed: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let rows = parsed.as_array().expect("an array");
    assert_eq!(rows.len(), 2, "{parsed:#}");
    for row in rows {
        let mut keys: Vec<&str> = row
            .as_object()
            .expect("objects")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "code", "column", "file", "help", "line", "message", "severity"
            ],
            "the documented fields, no more"
        );
    }
}
