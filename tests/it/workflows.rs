//! The publishing workflow `gloss init` writes, run as CI runs it: its build step against
//! the new site, its install step against a stand-in for the release host; and
//! `gloss init --eject-theme`, whose copy of the theme builds the same site until edited.

use crate::harness::{Site, tree};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// What `actions/configure-pages` reports for a project site (without the final slash).
const PAGES_BASE_URL: &str = "https://someone.github.io/my-briefing";

/// A new site, written by `gloss init` into `<temp>/my-briefing` with `extra` arguments.
fn init(extra: &[&str]) -> (Site, std::path::PathBuf) {
    let holder = Site::empty();
    let dir = holder.path("my-briefing");
    let dir_str = dir.to_str().expect("UTF-8 temp path").to_owned();
    let mut args = vec!["init"];
    args.extend_from_slice(extra);
    args.push(&dir_str);
    holder.gloss(&args).ok();
    (holder, dir)
}

/// The `run` script of the workflow step named `name`.
fn step(workflow: &str, name: &str) -> String {
    let value: Value = serde_saphyr::from_str(workflow).expect("the workflow is YAML");
    let steps = value["jobs"]["build"]["steps"]
        .as_array()
        .expect("a build job with steps");
    steps
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step {name:?} with a run script"))
        .to_owned()
}

/// The folder of the gloss binary under test, to put on `PATH` as CI's install step does.
fn gloss_dir() -> std::path::PathBuf {
    let bin = assert_cmd::cargo::cargo_bin("gloss");
    bin.parent().expect("the binary's folder").to_owned()
}

fn path_with(first: &Path) -> String {
    format!(
        "{}:{}",
        first.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn the_workflows_build_step_builds_the_init_site_at_its_pages_address() {
    let (_holder, site) = init(&[]);
    let workflow =
        std::fs::read_to_string(site.join(".github/workflows/pages.yml")).expect("workflow");
    let script =
        step(&workflow, "Build").replace("${{ steps.pages.outputs.base_url }}", PAGES_BASE_URL);
    assert!(!script.contains("${{"), "an expression left in {script}");
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script])
        .current_dir(&site)
        .env("PATH", path_with(&gloss_dir()))
        .output()
        .expect("run bash");
    assert!(
        out.status.success(),
        "the Build step failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = std::fs::read_to_string(site.join("public/index.html")).expect("index.html");
    assert!(
        index.contains("href=\"/my-briefing/articles/"),
        "links carry the Pages path"
    );
    let feed = std::fs::read_to_string(site.join("public/feed.xml")).expect("feed.xml");
    assert!(
        feed.contains(&format!("{PAGES_BASE_URL}/articles/")),
        "the feed uses the Pages address"
    );
    assert!(
        site.join("public/pagefind/pagefind-ui.js").is_file(),
        "search is built"
    );
}

/// Runs the workflow's install step with `curl` answering from `releases` (a folder of
/// release files, or 404) and `cargo` recording its arguments; returns whether it succeeded,
/// the installed gloss (if any) and cargo's arguments (if it was called).
fn run_install(
    workflow: &str,
    releases: &Path,
    work: &Path,
) -> (bool, Option<String>, Option<String>) {
    let bin = work.join("fake-bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let curl = format!(
        "#!/bin/sh\n# curl -fsSL --retry 3 -o FILE URL\nout=\"$5\"; url=\"$6\"\nf=\"{}/$(basename \"$url\")\"\n[ -f \"$f\" ] || exit 22\ncp \"$f\" \"$out\"\n",
        releases.display()
    );
    let cargo = format!(
        "#!/bin/sh\necho \"$@\" > \"{}/cargo-args\"\n",
        work.display()
    );
    for (name, text) in [("curl", curl), ("cargo", cargo)] {
        let file = bin.join(name);
        std::fs::write(&file, text).expect("write stand-in");
        let mut perms = std::fs::metadata(&file).expect("stat").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&file, perms).expect("chmod");
    }
    let env: Value = serde_saphyr::from_str::<Value>(workflow).expect("YAML")["env"].clone();
    let home = work.join("home");
    let temp = work.join("runner-temp");
    std::fs::create_dir_all(&temp).expect("mkdir");
    let out = Command::new("bash")
        .args(["-e", "-c", &step(workflow, "Install gloss")])
        .env("PATH", path_with(&bin))
        .env("HOME", &home)
        .env("RUNNER_TEMP", &temp)
        .env(
            "GLOSS_VERSION",
            env["GLOSS_VERSION"].as_str().expect("GLOSS_VERSION"),
        )
        .env(
            "GLOSS_REPOSITORY",
            env["GLOSS_REPOSITORY"].as_str().expect("GLOSS_REPOSITORY"),
        )
        .output()
        .expect("run bash");
    let installed = std::fs::read_to_string(home.join(".cargo/bin/gloss")).ok();
    let cargo_args = std::fs::read_to_string(work.join("cargo-args")).ok();
    (out.status.success(), installed, cargo_args)
}

#[test]
fn the_workflow_installs_the_released_gloss_that_wrote_it_checksum_verified_else_compiles_its_tag()
{
    let (holder, site) = init(&[]);
    let workflow =
        std::fs::read_to_string(site.join(".github/workflows/pages.yml")).expect("workflow");
    let version = env!("CARGO_PKG_VERSION");
    let repository = env!("CARGO_PKG_REPOSITORY");
    assert!(
        workflow.contains(&format!("GLOSS_VERSION: \"{version}\"")),
        "{workflow}"
    );
    assert!(
        workflow.contains(&format!("GLOSS_REPOSITORY: {repository}")),
        "{workflow}"
    );
    assert!(
        !workflow.contains("OWNER") && !workflow.contains("__"),
        "a placeholder to edit"
    );

    // A release laid out as release.yml publishes it.
    let target = format!("{}-unknown-linux-gnu", std::env::consts::ARCH);
    let name = format!("gloss-v{version}-{target}");
    let releases = holder.path("releases");
    std::fs::create_dir_all(releases.join(&name)).expect("mkdir");
    std::fs::write(releases.join(&name).join("gloss"), "the released gloss").expect("write");
    let archive = format!("{name}.tar.gz");
    let tar = Command::new("tar")
        .args(["-czf", &archive, &name])
        .current_dir(&releases)
        .status()
        .expect("tar");
    assert!(tar.success());
    let sum = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&releases)
        .output()
        .expect("sha256sum");
    std::fs::write(releases.join(format!("{archive}.sha256")), &sum.stdout).expect("write sum");

    let (ok, installed, cargo) = run_install(&workflow, &releases, &holder.path("good"));
    assert!(ok, "installing the release failed");
    assert_eq!(installed.as_deref(), Some("the released gloss"));
    assert_eq!(cargo, None, "nothing is compiled when a release fits");

    // A tampered archive fails the step instead of installing it.
    let digest = String::from_utf8(sum.stdout).expect("UTF-8");
    let wrong: String = digest
        .chars()
        .map(|c| {
            if c == '0' {
                '1'
            } else if c.is_ascii_hexdigit() {
                '0'
            } else {
                c
            }
        })
        .collect();
    std::fs::write(releases.join(format!("{archive}.sha256")), wrong).expect("write sum");
    let (ok, installed, cargo) = run_install(&workflow, &releases, &holder.path("tampered"));
    assert!(!ok, "a checksum mismatch must fail the step");
    assert_eq!(installed, None);
    assert_eq!(cargo, None);

    // No release for this version: compiled from its tag in the same repository.
    let empty = holder.path("no-releases");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let (ok, installed, cargo) = run_install(&workflow, &empty, &holder.path("none"));
    assert!(ok, "the fallback failed");
    assert_eq!(installed, None);
    assert_eq!(
        cargo.as_deref().map(str::trim),
        Some(format!("install --locked --git {repository} --tag v{version} gloss").as_str())
    );
}

#[test]
fn init_for_gitlab_writes_a_pages_job_instead() {
    let (_holder, site) = init(&["--ci", "gitlab"]);
    assert!(!site.join(".github").exists());
    let ci = std::fs::read_to_string(site.join(".gitlab-ci.yml")).expect(".gitlab-ci.yml");
    let value: Value = serde_saphyr::from_str(&ci).expect("YAML");
    assert_eq!(value["pages"]["artifacts"]["paths"][0], "public");
    assert_eq!(
        value["variables"]["GLOSS_VERSION"],
        env!("CARGO_PKG_VERSION")
    );
    assert!(
        !ci.contains("OWNER") && !ci.contains("__"),
        "a placeholder to edit"
    );
}

#[test]
fn an_ejected_theme_builds_the_same_site_and_its_edits_change_the_pages() {
    let (plain_holder, plain) = init(&[]);
    let (_holder, ejected) = init(&["--eject-theme"]);
    assert!(
        ejected
            .join("themes/default/templates/article.html")
            .is_file()
    );
    assert!(ejected.join("themes/default/static/style.css").is_file());
    let build = |dir: &Path| {
        let out = Command::new(assert_cmd::cargo::cargo_bin("gloss"))
            .args(["--root", dir.to_str().expect("UTF-8"), "build"])
            .output()
            .expect("run gloss");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    build(&plain);
    build(&ejected);
    assert!(
        tree(&plain.join("public")) == tree(&ejected.join("public")),
        "the ejected theme builds other bytes than the built-in one"
    );
    drop(plain_holder);

    let template = ejected.join("themes/default/templates/article.html");
    let text = std::fs::read_to_string(&template).expect("read template");
    let edited = text.replacen(
        "{% block content %}",
        "{% block content %}<p>Edited theme</p>",
        1,
    );
    assert_ne!(edited, text, "the template has a content block to edit");
    std::fs::write(&template, edited).expect("write template");
    build(&ejected);
    let article = std::fs::read_dir(ejected.join("public/articles"))
        .expect("articles/")
        .filter_map(Result::ok)
        .map(|e| e.path().join("index.html"))
        .find(|p| p.is_file())
        .expect("an article page");
    assert!(
        std::fs::read_to_string(article)
            .expect("read")
            .contains("<p>Edited theme</p>")
    );
}

#[test]
fn eject_theme_in_an_existing_site_copies_the_theme_it_names_and_never_overwrites() {
    let (holder, site) = init(&[]);
    let toml = site.join("site.toml");
    let text = std::fs::read_to_string(&toml).expect("site.toml");
    std::fs::write(
        &toml,
        text.replace("theme = \"default\"", "theme = \"mine\""),
    )
    .expect("write");
    let dir = site.to_str().expect("UTF-8").to_owned();
    holder.gloss(&["init", "--eject-theme", &dir]).ok();
    let css = site.join("themes/mine/static/style.css");
    assert!(css.is_file(), "the theme named in site.toml was written");
    std::fs::write(&css, "/* mine */").expect("edit");
    let run = holder.gloss(&["init", "--eject-theme", &dir]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("themes/mine/static/style.css"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&css).expect("read"), "/* mine */");
}
