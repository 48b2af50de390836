//! Hostile and broken input (issue 5, DESIGN §11): a briefing is often built in CI from
//! untrusted pull requests, so every input here must end in a diagnostic or a correct build —
//! exit code 0 or 1, never a panic, a signal or a hang — and must not publish files from
//! outside the site or overwrite the site itself.
//!
//! Each test starts from the `tiny` fixture and breaks one thing. Sizes are kept small enough
//! for a debug build; the limits they exercise are the same as for huge inputs.

use crate::harness::{Diag, Run, Site, error_codes};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ARTICLE: &str = "content/articles/harbour.yaml";
const SEED: &str = "seeds/harbour.txt";

/// Runs `gloss --root <site> <args>` and kills it after `limit`: a hang fails the test
/// instead of stalling the suite. Asserts what every hostile input must give: exit 0 or 1,
/// no panic, no signal.
#[track_caller]
fn bounded(site: &Site, args: &[&str], limit: Duration) -> Run {
    let logs = tempfile::tempdir().expect("temporary folder for output");
    let (out, err) = (logs.path().join("out"), logs.path().join("err"));
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("gloss"))
        .arg("--root")
        .arg(site.root())
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("RAYON_NUM_THREADS")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("create stdout file"))
        .stderr(std::fs::File::create(&err).expect("create stderr file"))
        .spawn()
        .expect("start gloss");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for gloss") {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!(
                "gloss {args:?} ran longer than {limit:?}:\n{}",
                std::fs::read_to_string(&err).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: read(&out),
        stderr: read(&err),
    };
    assert!(
        matches!(run.code, 0 | 1) && !run.stderr.contains("panicked"),
        "gloss {args:?} must exit 0 or 1 without a panic, got {status}\n--- stderr\n{}",
        run.stderr
    );
    run
}

/// `gloss check --format json` under [`bounded`], parsed.
#[track_caller]
fn check(site: &Site) -> (Vec<Diag>, i32) {
    check_within(site, Duration::from_secs(60))
}

/// `gloss check --format json` that must end within `limit`: a guard against hangs, set
/// far above the expected time so a busy machine cannot fail it.
fn check_within(site: &Site, limit: Duration) -> (Vec<Diag>, i32) {
    let run = bounded(site, &["check", "--format", "json"], limit);
    let diags = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    (diags, run.code)
}

/// `gloss build` under [`bounded`].
#[track_caller]
fn build(site: &Site) -> Run {
    bounded(site, &["build"], Duration::from_secs(60))
}

#[track_caller]
fn assert_error(diags: &[Diag], code: &str, message_part: &str) -> Diag {
    diags
        .iter()
        .find(|d| d.is_error() && d.code == code && d.message.contains(message_part))
        .cloned()
        .unwrap_or_else(|| panic!("no `{code}` error containing {message_part:?} in {diags:#?}"))
}

fn tiny() -> Site {
    Site::fixture("tiny")
}

// --- encodings and empty files ---------------------------------------------------------------

#[test]
fn binary_and_latin1_seeds_are_refused_with_the_byte_offset() {
    let site = tiny();
    site.write_bytes(SEED, b"Port and river agencies\n\ncaf\xe9 au lait");
    site.write_bytes(
        "seeds/binary.txt",
        &(0..=255u8).cycle().take(4096).collect::<Vec<_>>(),
    );
    let (diags, code) = check(&site);
    assert_eq!(code, 1);
    let d = assert_error(&diags, "seed-not-utf8", "seeds/harbour.txt");
    assert!(d.message.contains("offset 28"), "{d:?}");
    assert_eq!(d.file.as_deref(), Some("seeds/harbour.txt"));
    assert_error(&diags, "seed-not-utf8", "offset 128");
    assert!(build(&site).code == 1 && !site.path("public").exists());
}

#[test]
fn a_bom_and_crlf_line_endings_everywhere_still_anchor_every_quote() {
    let site = tiny();
    for file in [
        "site.toml",
        SEED,
        ARTICLE,
        "content/entities.yaml",
        "content/events.yaml",
    ] {
        let text = site.read(file);
        site.write(file, &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    }
    build(&site).ok();
    let page =
        site.output("articles/port-and-river-agencies-agree-to-share-flood-warnings/index.html");
    for id in ["agreement", "lost-hours", "since-2019"] {
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "highlight {id} is missing"
        );
    }
    assert!(!page.contains('\u{feff}'), "the BOM leaked into the page");
}

#[test]
fn empty_files_build_or_say_what_is_missing() {
    // Empty YAML files and an empty site.toml mean "nothing here": defaults, no crash.
    let site = tiny();
    for file in [
        "site.toml",
        ARTICLE,
        "content/entities.yaml",
        "content/events.yaml",
    ] {
        site.write(file, "");
    }
    site.write("content/briefing.md", "")
        .write("content/pages/empty.md", "")
        .write("seeds/empty.txt", "");
    build(&site).ok();
    assert!(site.output("index.html").contains("</html>"));

    // An annotated seed that is empty reports its quotes as missing.
    let site = tiny();
    site.write(SEED, "");
    let (diags, code) = check(&site);
    assert_eq!(code, 1);
    assert!(
        error_codes(&diags).iter().all(|c| *c == "anchor-not-found"),
        "{diags:#?}"
    );
}

// --- YAML bombs ----------------------------------------------------------------------------

/// A "billion laughs": nine levels of nine aliases each would expand to 9^9 strings.
fn billion_laughs(key: &str) -> String {
    let mut yaml = format!("{key}: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let prev = format!("*l{}", level - 1);
        yaml.push_str(&format!(
            "l{level}: &l{level} [{}]\n",
            vec![prev; 9].join(", ")
        ));
    }
    yaml
}

#[test]
fn yaml_alias_bombs_and_deep_nesting_end_in_a_diagnostic_quickly() {
    let bombs = [
        (ARTICLE, billion_laughs("tags")),
        ("content/entities.yaml", billion_laughs("bomb")),
        (
            "content/events.yaml",
            format!(
                "- id: a\n  date: '2020'\n  title: t\n  tags: {}{}\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
        ),
        (ARTICLE, format!("title: {}x\n", "- ".repeat(50_000))),
        (
            "content/entities.yaml",
            (0..1_500)
                .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
                .collect(),
        ),
        ("content/events.yaml", "{".repeat(200_000)),
        (
            "content/pages/bomb.md",
            format!("---\ntitle: {}\n---\nbody\n", "[".repeat(100_000)),
        ),
    ];
    for (file, yaml) in bombs {
        let site = tiny();
        site.write(file, &yaml);
        let started = Instant::now();
        let (diags, code) = check(&site);
        assert_eq!(code, 1, "{file}: {diags:#?}");
        let d = diags
            .iter()
            .find(|d| d.file.as_deref() == Some(file) && d.is_error())
            .unwrap_or_else(|| panic!("{file}: {diags:#?}"));
        assert!(
            d.is_error()
                && matches!(
                    d.code.as_str(),
                    "yaml-syntax" | "invalid-value" | "unknown-field"
                ),
            "{d:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{file} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn aliases_in_moderation_are_fine() {
    let site = tiny();
    site.replace(
        ARTICLE,
        "tags: [floods, emergency-services]",
        "tags: &t [floods, emergency-services]\ndraft: false",
    );
    site.append(
        "content/events.yaml",
        "- id: same-tags\n  date: 2024-03\n  title: Same\n  tags: *t\n",
    );
    // An alias defined in another file is unknown here.
    let (diags, _) = check(&site);
    assert!(
        diags
            .iter()
            .any(|d| d.file.as_deref() == Some("content/events.yaml") && d.is_error()),
        "{diags:#?}"
    );
    let site = tiny();
    site.append(
        "content/events.yaml",
        "- id: &x twin\n  date: 2024-03\n  title: *x\n",
    );
    build(&site).ok();
}

// --- sizes -----------------------------------------------------------------------------------

#[test]
fn files_over_the_configured_size_limit_are_refused_with_a_clear_message() {
    let site = tiny();
    site.append("site.toml", "[limits]\nmax_file_bytes = 600\n");
    let (diags, code) = check(&site);
    assert_eq!(code, 1);
    let d = assert_error(&diags, "file-too-large", "seeds/harbour.txt");
    assert!(d.message.contains("over the limit of 600"), "{d:?}");
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("limits.max_file_bytes")),
        "{d:?}"
    );

    // The default limit (8 MiB) applies without configuration, and raising it lets a big seed in.
    let site = tiny();
    let big = format!(
        "Big\n\n{}",
        "Lowmoor Harbour Authority staff said words. ".repeat(200_000)
    );
    site.write("seeds/big.txt", &big);
    let (diags, code) = check(&site);
    assert_eq!(code, 1);
    assert_error(&diags, "file-too-large", "seeds/big.txt");
    site.append("site.toml", "[limits]\nmax_file_bytes = 20_000_000\n");
    bounded(&site, &["build"], Duration::from_secs(120)).ok();
    assert!(
        site.output("articles/big/index.html")
            .contains("Lowmoor Harbour Authority")
    );

    // site.toml itself is read under a fixed limit, before any limit is known.
    let site = tiny();
    site.write(
        "site.toml",
        &format!("title = \"{}\"\n", "a".repeat(2 << 20)),
    );
    let (diags, code) = check(&site);
    assert_eq!(code, 1);
    assert_error(&diags, "file-too-large", "site.toml");
}

// --- file names ------------------------------------------------------------------------------

#[test]
fn file_names_with_spaces_and_non_ascii_characters_build() {
    let site = tiny();
    std::fs::rename(site.path(SEED), site.path("seeds/hårbour ø 港口.txt")).expect("rename seed");
    std::fs::rename(
        site.path(ARTICLE),
        site.path("content/articles/hårbour ø 港口.yaml"),
    )
    .expect("rename article");
    site.write(
        "content/pages/über uns.md",
        "---\ntitle: Über uns\n---\nHallo.\n",
    );
    site.write(
        "seeds/unannotated – “quoted” name.txt",
        "A second article\n\nWith text.\n",
    );
    build(&site).ok();
    let files = site.output_files();
    assert!(
        files
            .iter()
            .any(|f| f
                == "articles/port-and-river-agencies-agree-to-share-flood-warnings/index.html"),
        "{files:?}"
    );
    assert!(
        files.iter().any(|f| f == "pages/uber-uns/index.html"),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f == "articles/a-second-article/index.html"),
        "{files:?}"
    );
}

// --- symlinks --------------------------------------------------------------------------------

#[cfg(unix)]
mod symlinks {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A folder outside the site with files a malicious pull request would like to publish.
    fn outside() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("outside folder");
        let secret = "SECRET-TOKEN-0123456789\n\nThe runner's private file.\n";
        std::fs::write(dir.path().join("secret.txt"), secret).expect("write secret");
        std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        std::fs::write(
            dir.path().join("templates/page.html"),
            "SECRET-TOKEN-0123456789",
        )
        .expect("write");
        std::fs::create_dir_all(dir.path().join("static")).expect("mkdir");
        std::fs::write(dir.path().join("static/secret.txt"), secret).expect("write");
        std::fs::create_dir_all(dir.path().join("articles")).expect("mkdir");
        std::fs::write(
            dir.path().join("articles/secret.yaml"),
            "title: SECRET-TOKEN-0123456789\n",
        )
        .expect("write");
        dir
    }

    /// Every way a file from `outside` could enter the site.
    fn links(out: &Path) -> Vec<(&'static str, std::path::PathBuf)> {
        vec![
            ("seeds/secret.txt", out.join("secret.txt")),
            ("seeds/folder", out.to_path_buf()),
            ("content/briefing.md", out.join("secret.txt")),
            ("content/pages/secret.md", out.join("secret.txt")),
            (
                "content/articles/secret.yaml",
                out.join("articles/secret.yaml"),
            ),
            ("content/articles/folder", out.join("articles")),
            (
                "themes/default/templates/page.html",
                out.join("templates/page.html"),
            ),
            ("themes/default/static/secret.txt", out.join("secret.txt")),
            ("themes/default/static/folder", out.join("static")),
            ("themes/linked", out.to_path_buf()),
        ]
    }

    #[test]
    fn symlinks_leaving_the_site_are_refused_and_nothing_is_published() {
        let out = outside();
        for (at, target) in links(out.path()) {
            let site = tiny();
            let link = site.path(at);
            std::fs::create_dir_all(link.parent().expect("parent")).expect("mkdir");
            symlink(&target, &link).expect("symlink");
            if at == "themes/linked" {
                site.replace("site.toml", "title =", "theme = \"linked\"\ntitle =");
            }
            let (diags, code) = check(&site);
            assert_eq!(code, 1, "{at}: {diags:#?}");
            let d = assert_error(&diags, "unsafe-path", "outside the site");
            assert!(
                d.help
                    .as_deref()
                    .is_some_and(|h| h.contains("allow_external_symlinks")),
                "{d:?}"
            );
            assert_eq!(
                diags.iter().filter(|d| d.code == "unsafe-path").count(),
                1,
                "{at}: one diagnostic per link, {diags:#?}"
            );
            build(&site).expect_code(1);
            assert!(!site.path("public").exists(), "{at}: nothing is written");
        }
    }

    #[test]
    fn the_whole_seeds_or_content_folder_as_a_symlink_is_refused() {
        for folder in ["seeds", "content"] {
            let site = tiny();
            let out = tempfile::tempdir().expect("outside");
            let moved = out.path().join(folder);
            std::fs::rename(site.path(folder), &moved).expect("move folder out");
            symlink(&moved, site.path(folder)).expect("symlink");
            let (diags, code) = check(&site);
            assert_eq!(code, 1, "{diags:#?}");
            assert_error(&diags, "unsafe-path", folder);
        }
    }

    #[test]
    fn output_dir_cannot_leave_the_site_or_reach_its_sources_through_a_symlink() {
        // A committed symlink to a folder outside: check fails and nothing there is touched.
        let out = outside();
        std::fs::create_dir_all(out.path().join("precious")).expect("mkdir");
        std::fs::write(out.path().join("precious/keep.txt"), "keep").expect("write");
        let site = tiny();
        symlink(out.path(), site.path("link")).expect("symlink");
        site.append("site.toml", "[build]\noutput_dir = \"link/precious\"\n");
        let (diags, code) = check(&site);
        assert_eq!(code, 1, "{diags:#?}");
        let d = assert_error(&diags, "unsafe-path", "outside the site");
        assert_eq!(d.file.as_deref(), Some("site.toml"));
        assert!(d.line.is_some(), "{d:?}");
        build(&site).expect_code(1);
        assert_eq!(
            std::fs::read_to_string(out.path().join("precious/keep.txt")).expect("read"),
            "keep"
        );
        // A trusted site may build there, into a new folder (a non-empty one not written
        // by gloss is still refused).
        site.append("site.toml", "[limits]\nallow_external_symlinks = true\n");
        site.replace("site.toml", "link/precious", "link/site");
        build(&site).expect_code(0);
        assert!(out.path().join("site/index.html").is_file());

        // A symlink to the site's own content: the annotation files survive, whatever is allowed.
        for allow in [false, true] {
            let site = tiny();
            symlink("content", site.path("link2")).expect("symlink");
            site.append("site.toml", "[build]\noutput_dir = \"link2/articles\"\n");
            if allow {
                site.append("site.toml", "[limits]\nallow_external_symlinks = true\n");
            }
            let (diags, code) = check(&site);
            assert_eq!(code, 1, "{diags:#?}");
            assert_error(&diags, "unsafe-path", "lies inside the site's `content`");
            build(&site).expect_code(1);
            assert_eq!(site.read(ARTICLE), Site::fixture("tiny").read(ARTICLE));
        }
    }

    #[test]
    fn a_theme_outside_the_site_through_dot_dot_is_not_called_a_symlink() {
        let out = outside();
        let site = tiny();
        let name = out
            .path()
            .file_name()
            .expect("name")
            .to_str()
            .expect("UTF-8");
        site.replace(
            "site.toml",
            "title =",
            &format!("theme = \"../../{name}\"\ntitle ="),
        );
        // Both are temporary folders, so `themes/../..` from the site is the folder above both.
        std::fs::create_dir_all(site.path("themes")).expect("mkdir");
        assert!(site.root().parent() == out.path().parent());
        let (diags, _) = check(&site);
        let d = assert_error(&diags, "unsafe-path", "`..`");
        assert!(!d.message.contains("symlink"), "{d:?}");
    }

    #[test]
    fn allow_external_symlinks_lets_a_trusted_site_use_them() {
        let out = outside();
        let site = tiny();
        symlink(out.path().join("secret.txt"), site.path("seeds/shared.txt")).expect("symlink");
        site.append("site.toml", "[limits]\nallow_external_symlinks = true\n");
        build(&site).ok();
        assert!(
            site.output("articles/secret-token-0123456789/index.html")
                .contains("private file")
        );
    }

    #[test]
    fn symlinks_inside_the_site_and_broken_or_looping_links_are_handled() {
        let site = tiny();
        symlink("harbour.txt", site.path("seeds/again.txt")).expect("symlink");
        site.write(
            "content/articles/again.yaml",
            "title: The same article again\n",
        );
        build(&site).ok();
        assert!(
            site.output_files()
                .iter()
                .any(|f| f.starts_with("articles/the-same-article-again/"))
        );

        let site = tiny();
        symlink("nowhere.txt", site.path("seeds/broken.txt")).expect("symlink");
        symlink("loop", site.path("seeds/loop")).expect("symlink");
        symlink(".", site.path("seeds/self")).expect("symlink");
        let (diags, code) = check(&site);
        assert_eq!(code, 1, "{diags:#?}");
        assert!(
            diags.iter().any(|d| d.message.contains("seeds/broken.txt")),
            "{diags:#?}"
        );
    }
}

// --- the output folder ---------------------------------------------------------------------

#[test]
fn output_dir_cannot_point_at_the_site_its_inputs_or_outside() {
    for dir in [
        "",
        ".",
        "..",
        "../elsewhere",
        "/tmp/gloss-hostile-out",
        "seeds",
        "content",
        "themes/x",
        "./content",
    ] {
        let site = tiny();
        site.append("site.toml", &format!("[build]\noutput_dir = {dir:?}\n"));
        let run = build(&site);
        assert_eq!(run.code, 1, "output_dir {dir:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("invalid-value") && run.stderr.contains("output_dir"),
            "{}",
            run.stderr
        );
        assert_eq!(
            site.read(SEED),
            Site::fixture("tiny").read(SEED),
            "the seeds survive"
        );
        assert!(site.path("content/entities.yaml").is_file() && site.path("site.toml").is_file());
    }
    assert!(!Path::new("/tmp/gloss-hostile-out").exists());
    let site = tiny();
    site.append("site.toml", "[build]\noutput_dir = \"_site/www\"\n");
    build(&site).ok();
    assert!(site.path("_site/www/index.html").is_file());
}

#[test]
fn a_broken_site_toml_is_a_content_error() {
    for toml in [
        "title = [".to_owned(),
        "base_url = \"javascript:alert(1)//\"\n".to_owned(),
        "[limits]\nmax_file_bytes = -1\n".to_owned(),
        format!("a = {}{}\n", "[".repeat(50_000), "]".repeat(50_000)),
        "\u{feff}title = \"BOM\"\r\nbase_url = \"https://x.org/\"\r\n".to_owned(),
    ] {
        let site = tiny();
        site.write("site.toml", &toml);
        let run = build(&site);
        assert!(
            toml.contains("BOM") == (run.code == 0),
            "{toml:.40}: {}",
            run.stderr
        );
    }
    let site = tiny();
    site.write_bytes("site.toml", &[0xff, 0xfe, 0x00, 0x01]);
    assert_eq!(build(&site).code, 1);
}

// --- site.toml values that reach markup, files or the terminal ---------------------------------

/// Values `base_url` and `--base-url` must refuse: script, another host, markup, a query.
const HOSTILE_BASE_URLS: &[&str] = &[
    "https://x.org/p\"></script><script>alert(1)</script><b x=\"/",
    "javascript:alert(1)//",
    "//evil.example/",
    "https://x.org/<img src=x onerror=alert(1)>/",
    "https://x.org/p/?q=1",
    "https://x.org/p/#top",
];

#[test]
fn base_urls_that_could_carry_script_or_another_host_are_refused() {
    for bad in HOSTILE_BASE_URLS {
        let site = tiny();
        site.replace(
            "site.toml",
            "base_url = \"https://example.org/flood-desk/\"",
            &format!("base_url = {}", toml_str(bad)),
        );
        let (diags, code) = check(&site);
        assert_eq!(code, 1, "{bad}: {diags:#?}");
        let d = assert_error(&diags, "invalid-value", "base_url");
        assert_eq!(d.file.as_deref(), Some("site.toml"), "{d:?}");

        let site = tiny();
        let run = bounded(
            &site,
            &["build", "--base-url", bad],
            Duration::from_secs(60),
        );
        assert_eq!(run.code, 1, "--base-url {bad}: {}", run.stderr);
        assert!(
            run.stderr.contains("invalid-value") && run.stderr.contains("--base-url"),
            "--base-url {bad}: {}",
            run.stderr
        );
        assert!(!site.path("public").exists(), "--base-url {bad}");
    }
}

#[test]
fn cname_and_theme_names_are_checked_and_a_misspelling_gets_a_suggestion() {
    let cases: [(&str, &str, &str, Option<&str>); 5] = [
        (
            "[github_pages]\ncname = \"a.org\\nevil.org\"\n",
            "append",
            "cname",
            None,
        ),
        (
            "[github_pages]\ncname = \"https://a.org/\"\n",
            "append",
            "cname",
            None,
        ),
        (
            "[highlight]\ntheme = \"InspiredGithub\"\n",
            "append",
            "theme",
            Some("`InspiredGitHub`"),
        ),
        (
            "theme = \"defualt\"\n",
            "prepend",
            "theme",
            Some("`default`"),
        ),
        ("theme = \"mine\"\n", "prepend", "theme", Some("`minr`")),
    ];
    for (toml, how, part, suggestion) in cases {
        let site = tiny();
        site.write("themes/minr/templates/.keep", "");
        if how == "append" {
            site.append("site.toml", toml);
        } else {
            site.replace("site.toml", "title =", &format!("{toml}title ="));
        }
        let (diags, code) = check(&site);
        assert_eq!(code, 1, "{toml}: {diags:#?}");
        let d = assert_error(&diags, "invalid-value", part);
        if let Some(suggestion) = suggestion {
            assert!(
                d.help.as_deref().is_some_and(|h| h.contains(suggestion)),
                "{toml}: {d:?}"
            );
        }
    }
    let site = tiny();
    site.append(
        "site.toml",
        "[github_pages]\ncname = \"briefing.example.org\"\n",
    );
    build(&site).ok();
    assert_eq!(site.output("CNAME"), "briefing.example.org\n");
}

#[test]
fn terminal_escape_sequences_in_values_are_printed_escaped() {
    // An OSC 8 hyperlink and a "clear line" that would forge a line of a CI log.
    let forged =
        "x\u{1b}]8;;https://evil.example\u{7}\u{1b}[2K\rerror: all checks passed\u{1b}]8;;\u{7}";
    let site = tiny();
    let yaml = site.read(ARTICLE).replace(
        "speaker: mara-quist",
        &format!("speaker: {}", yaml_str(forged)),
    );
    site.write(ARTICLE, &yaml);
    let run = bounded(&site, &["check"], Duration::from_secs(60));
    assert_eq!(run.code, 1, "{}", run.stderr);
    for control in ['\u{1b}', '\u{7}', '\r'] {
        assert!(
            !run.stderr.contains(control),
            "{control:?} reached the terminal:\n{}",
            run.stderr.escape_debug()
        );
    }
    assert!(
        run.stderr.contains("\\u{1b}]8;;https://evil.example"),
        "{}",
        run.stderr
    );
}

#[test]
fn timeline_json_fields_are_html_text() {
    let attack = "<img src=x onerror=alert(1)>";
    let site = tiny();
    site.replace(
        "site.toml",
        "title = \"Lowmoor flood desk\"",
        &format!("title = {}", toml_str(attack)),
    );
    let events = site.read("content/events.yaml").replace(
        "title: The 2019 floods",
        &format!(
            "title: {}\n  tags: [{}]",
            yaml_str(attack),
            yaml_str(attack)
        ),
    );
    site.write("content/events.yaml", &events);
    build(&site).ok();
    let timeline: serde_json::Value =
        serde_json::from_str(&site.output("timeline.json")).expect("timeline.json is JSON");
    let mut texts = vec![timeline["title"]["text"]["headline"].clone()];
    for event in timeline["events"].as_array().expect("events") {
        texts.push(event["text"]["headline"].clone());
        texts.push(event["text"]["text"].clone());
        texts.push(event["group"].clone());
        texts.push(event["display_date"].clone());
    }
    let joined: String = texts.iter().filter_map(|t| t.as_str()).collect();
    assert!(
        joined.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{joined}"
    );
    assert!(
        !joined.contains("<img"),
        "live markup in timeline.json: {joined}"
    );
}

/// Runs `gloss build` and samples its resident memory until it ends: the exit code and the
/// most it was seen to use, in MiB (Linux; elsewhere the peak is 0).
fn build_sampling_memory(site: &Site) -> (i32, u64) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("gloss"))
        .arg("--root")
        .arg(site.root())
        .arg("build")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start gloss");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for gloss") {
            break status;
        }
        let rss = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| {
                let line = s.lines().find(|l| l.starts_with("VmRSS:"))?.to_owned();
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            })
            .unwrap_or(0);
        peak = peak.max(rss / 1024);
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            child.wait().ok();
            panic!("gloss build ran longer than two minutes");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    (status.code().unwrap_or(-1), peak)
}

#[test]
fn a_doubling_template_is_stopped_at_the_memory_limit_not_past_it() {
    let site = tiny();
    site.append("site.toml", "[limits]\nmax_memory_mib = 600\n")
        .write("content/pages/p.md", "hi")
        .write(
            "themes/default/templates/page.html",
            "{% set s = \"xxxxxxxxxxxxxxxx\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s }}",
        );
    let (code, peak) = build_sampling_memory(&site);
    assert_eq!(code, 1);
    assert!(
        peak <= 600,
        "the limit is 600 MiB, the build reached {peak} MiB"
    );
    assert!(!site.path("public").exists());
}

#[test]
fn a_table_note_of_many_rows_stays_small() {
    let site = tiny();
    // 300,000 rows of four cells: 3 MB of text, which took 800 MiB to render.
    let table = format!("|a|b|c|d|\n|-|-|-|-|\n{}", "|x|y|z|w|\n".repeat(300_000));
    let yaml = site.read(ARTICLE).replace(
        "note: The article does not say whether the agreement binds either agency.",
        &format!("note: {}", yaml_str(&table)),
    );
    site.write(ARTICLE, &yaml);
    let (code, peak) = build_sampling_memory(&site);
    assert_eq!(code, 0);
    assert!(peak < 400, "a 3 MB note took {peak} MiB");
}

// --- ids that would become paths --------------------------------------------------------------

#[test]
fn entity_and_event_ids_cannot_name_other_folders() {
    let site = tiny();
    site.append("content/entities.yaml", "\"../../../etc\":\n  name: Evil\n  kind: person\n\"a/b\":\n  name: Slash\n  kind: person\n");
    site.append("content/events.yaml", "- id: \"../../outside\"\n  date: 2020\n  title: Evil\n- id: \"a?b#c\"\n  date: 2020\n  title: Query\n");
    let (diags, code) = check(&site);
    assert_eq!(code, 1);
    for id in ["../../../etc", "a/b", "../../outside", "a?b#c"] {
        assert_error(
            &diags,
            "invalid-value",
            &format!("id `{id}` cannot be used in a URL"),
        );
    }
    let d = assert_error(&diags, "invalid-value", "a/b");
    assert_eq!(
        (d.file.as_deref(), d.line),
        (Some("content/entities.yaml"), Some(21))
    );
}

#[test]
fn ids_that_would_clash_as_files_are_refused_by_check() {
    let site = tiny();
    site.append(
        "content/entities.yaml",
        "index.html:\n  name: Index\n  kind: person\n",
    );
    site.append(
        "content/events.yaml",
        "- id: INDEX.HTML\n  date: 2020\n  title: Index\n",
    );
    let (diags, code) = check(&site);
    assert_eq!(code, 1, "{diags:#?}");
    assert_error(&diags, "invalid-value", "id `index.html`");
    assert_error(&diags, "invalid-value", "id `INDEX.HTML`");
    // Refused as content, not failed as I/O.
    build(&site).expect_code(1);

    // Two ids that differ only in case are one folder on macOS and Windows.
    let site = tiny();
    site.append(
        "content/entities.yaml",
        "Mara-Quist:\n  name: Mara again\n  kind: person\n",
    );
    let (diags, code) = check(&site);
    assert_eq!(code, 1, "{diags:#?}");
    let d = assert_error(&diags, "duplicate-id", "differ only in case");
    assert_eq!(d.file.as_deref(), Some("content/entities.yaml"));
}

#[test]
fn tags_whose_slugs_collide_are_a_slug_collision() {
    let site = tiny();
    site.replace(
        ARTICLE,
        "tags: [floods, emergency-services]",
        "tags: [C++, c#, a b, a-b, floods]",
    );
    site.append("content/events.yaml", "  tags: [C]\n");
    let (diags, code) = check(&site);
    assert_eq!(code, 1, "{diags:#?}");
    let d = assert_error(&diags, "slug-collision", "tags `C++` and `c#`");
    assert_eq!((d.file.as_deref(), d.line), (Some(ARTICLE), Some(6)));
    assert_error(&diags, "slug-collision", "tags `a b` and `a-b`");
    let d = assert_error(&diags, "slug-collision", "tags `C++` and `C`");
    assert_eq!(d.file.as_deref(), Some("content/events.yaml"));
    assert_eq!(
        diags.iter().filter(|d| d.code == "slug-collision").count(),
        3,
        "{diags:#?}"
    );
}

#[test]
fn a_seed_outside_seeds_is_not_called_missing() {
    for seed in ["../site.toml", "/etc/passwd", "../seeds/harbour.txt"] {
        let site = tiny();
        site.replace(ARTICLE, "title:", &format!("seed: {seed:?}\ntitle:"));
        let (diags, code) = check(&site);
        assert_eq!(code, 1, "{diags:#?}");
        let d = assert_error(&diags, "invalid-value", "is not a file inside seeds/");
        assert_eq!((d.file.as_deref(), d.line), (Some(ARTICLE), Some(1)));
        assert!(
            !diags.iter().any(|d| d.code == "seed-missing"),
            "{diags:#?}"
        );
    }
}

// --- templates ----------------------------------------------------------------------------------

#[test]
fn looping_and_recursive_templates_end_in_a_template_error() {
    let recursive = [
        "{% macro f(n) %}{{ self::f(n=n) }}{% endmacro f %}{{ self::f(n=1) }}",
        "{% include \"page.html\" %}",
        "{% extends \"page.html\" %}",
        "{% component F(n) %}<F n={{n}} /><F n={{n}} />{% endcomponent F %}<F n={{1}} />",
        "{% if %}",
    ];
    for template in recursive {
        let site = tiny();
        site.write("themes/default/templates/page.html", template)
            .write("content/pages/p.md", "hi");
        let run = build(&site);
        assert!(
            run.code == 1 || template.contains("component"),
            "{template}: {}",
            run.stderr
        );
    }
    // Loops that would run for hours, or grow output without end, are stopped by the render watchdog.
    for template in [
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% for k in range(end=100000) %}{% endfor %}{% endfor %}{% endfor %}",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
    ] {
        let site = tiny();
        site.append(
            "site.toml",
            "[limits]\nrender_seconds = 2\nmax_memory_mib = 1500\n",
        );
        site.write("themes/default/templates/page.html", template)
            .write("content/pages/p.md", "hi");
        let started = Instant::now();
        let run = build(&site);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("template-error"), "{}", run.stderr);
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );
        assert!(!site.path("public").exists());
    }
}

// --- annotations -------------------------------------------------------------------------------

#[test]
fn many_overlapping_one_char_and_zero_occurrence_annotations() {
    let site = tiny();
    let seed: String = (0..400)
        .map(|i| format!("Paragraph {i} says a b c d e f.\n\n"))
        .collect();
    site.write("seeds/many.txt", &format!("Many\n\n{seed}"));
    let mut yaml = String::from("title: Many\nannotations:\n");
    for i in 0..400 {
        // Nested and overlapping: the whole paragraph, a span inside it, one char, and a span
        // that crosses into the next paragraph.
        yaml.push_str(&format!(
            "  - id: p{i}\n    quote: 'Paragraph {i} says a b c d e f.'\n"
        ));
        yaml.push_str(&format!(
            "  - id: s{i}\n    quote: 'says a b'\n    occurrence: {}\n",
            i + 1
        ));
        yaml.push_str(&format!(
            "  - id: c{i}\n    quote: 'c'\n    occurrence: {}\n",
            i + 1
        ));
        if i < 399 {
            yaml.push_str(&format!(
                "  - id: x{i}\n    quote: 'e f. Paragraph {} says'\n",
                i + 1
            ));
        }
    }
    site.write("content/articles/many.yaml", &yaml);
    build(&site).ok();
    let page = site.output("articles/many/index.html");
    assert!(page.matches("<mark").count() >= 1599);
    crate::harness::check_nesting(&page).expect("highlights nest properly");

    site.append("content/articles/many.yaml", "  - id: zero\n    quote: 'says'\n    occurrence: 0\n  - id: huge\n    quote: 'says'\n    occurrence: 18446744073709551615\n  - id: empty\n    quote: ' \u{200b} '\n");
    let (diags, code) = check(&site);
    assert_eq!(code, 1);
    assert_error(&diags, "anchor-not-found", "`zero` asks for occurrence 0");
    assert_error(
        &diags,
        "anchor-not-found",
        "`huge` asks for occurrence 18446744073709551615",
    );
    assert_error(&diags, "invalid-value", "`empty` has an empty quote");
    for bad in ["-1", "1.5", "99999999999999999999999999", "[1]"] {
        site.write(
            "content/articles/many.yaml",
            &format!(
                "title: Many\nannotations:\n  - id: a\n    quote: says\n    occurrence: {bad}\n"
            ),
        );
        let (diags, code) = check(&site);
        assert_eq!(code, 1, "occurrence: {bad}");
        let in_file =
            |d: &Diag| d.is_error() && d.file.as_deref() == Some("content/articles/many.yaml");
        assert!(diags.iter().any(in_file), "occurrence: {bad}: {diags:#?}");
    }
}

#[test]
fn thousands_of_diagnostics_are_all_reported() {
    // 20,000 events, each with a bad date and an unknown entity: 40,000 independent
    // mistakes, every one reported. The bound only guards against a hang; speed is measured
    // by benchmarks, not here.
    let site = tiny();
    let events: String = (0..20_000)
        .map(|i| {
            format!("- id: e{i}\n  date: not-a-date-{i}\n  title: t\n  entities: [nobody-{i}]\n")
        })
        .collect();
    site.write("content/events.yaml", &events);
    let run = bounded(&site, &["build"], Duration::from_secs(600));
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("invalid-date"));
    let (diags, _) = check(&site);
    let count = |code: &str| diags.iter().filter(|d| d.code == code).count();
    assert_eq!(count("invalid-date"), 20_000);
    assert_eq!(count("unknown-entity"), 20_000);
}

// --- dates -------------------------------------------------------------------------------------

#[test]
fn absurd_edtf_strings_are_invalid_dates_or_valid_extremes() {
    let invalid = [
        "..",
        "/",
        "../..",
        "2020-02-30",
        "2020-13",
        "2020-00-00",
        "-9999",
        "Y170000002",
        "2020-10-29T10:00",
        "2020~?%",
        "X",
        "2020-1-1",
        "🎉",
        "1/2/3",
        "２０２０",
        "2X20",
        "20XX-10",
        "2020-24-01",
        "1900-02-29",
        "2021-12/2020",
        "99999",
        "XXXX",
    ];
    let valid = [
        "9999-12-31/..",
        "0000",
        "0000-01-01",
        "9999-24",
        "../9999-24",
        "/0000",
        "0001-01-01/9999-12-31",
        "99XX",
        "9999-XX-XX",
        "2000-02-29",
        "0000-02-29",
        "2020-24~",
        "2020?",
        "2020-10%",
    ];
    let site = tiny();
    let mut events = site.read("content/events.yaml");
    let long = "2020".repeat(50_000);
    for (i, date) in invalid.iter().chain(&[long.as_str()]).enumerate() {
        events.push_str(&format!(
            "- id: bad-{i}\n  date: {date:?}\n  title: Bad {i}\n"
        ));
    }
    site.write("content/events.yaml", &events);
    let (diags, code) = check(&site);
    assert_eq!(code, 1);
    assert_eq!(
        diags.iter().filter(|d| d.code == "invalid-date").count(),
        invalid.len() + 1,
        "{diags:#?}"
    );
    let long_message = &assert_error(&diags, "invalid-date", "2020202020").message;
    assert!(
        long_message.len() < 1_000,
        "a huge value is shortened in the message"
    );

    let site = tiny();
    let mut events = site.read("content/events.yaml");
    for (i, date) in valid.iter().enumerate() {
        events.push_str(&format!(
            "- id: ok-{i}\n  date: {date:?}\n  title: Extreme {i}\n"
        ));
    }
    site.write("content/events.yaml", &events);
    site.replace(ARTICLE, "published: 2024-02-15", "published: '9999-24/..'");
    build(&site).ok();
    assert!(site.output("index.html").contains("Extreme 0"));
}

// --- Markdown bombs ----------------------------------------------------------------------------

#[test]
fn markdown_bombs_render_in_bounded_time() {
    let bombs: Vec<(&str, String)> = vec![
        (
            "nested lists",
            (0..1_000)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect(),
        ),
        ("nested quotes", format!("{} x\n", ">".repeat(50_000))),
        ("brackets", "[".repeat(2 << 20)),
        ("unclosed links", "[a](".repeat(100_000)),
        ("emphasis", "*a **a ".repeat(100_000)),
        (
            "backticks",
            (1..1_500).map(|i| format!("{} ", "`".repeat(i))).collect(),
        ),
        (
            "table",
            format!(
                "{}|\n{}|\n{}",
                "|a".repeat(1_000),
                "|-".repeat(1_000),
                format!("{}|\n", "|a".repeat(1_000)).repeat(100)
            ),
        ),
        (
            "code",
            format!("```rust\n{}\n```\n", "fn a() { ".repeat(100_000)),
        ),
        (
            "html",
            format!("{}x{}", "<div>".repeat(20_000), "</div>".repeat(20_000)),
        ),
        ("entities", "&amp;&#x41;&#65;&bogus;".repeat(100_000)),
    ];
    for (name, md) in bombs {
        let site = tiny();
        if name == "html" {
            site.append("site.toml", "[build]\nallow_html = true\n");
        }
        site.write("content/briefing.md", &md);
        let yaml = site.read(ARTICLE).replace(
            "note: The article does not say whether the agreement binds either agency.",
            &format!("note: {}", serde_json::to_string(&md).expect("JSON string")),
        );
        site.write(ARTICLE, &yaml);
        let started = Instant::now();
        let run = bounded(&site, &["build"], Duration::from_secs(90));
        assert!(
            run.code == 0 || run.stderr.contains("file-too-large"),
            "{name}: {}",
            run.stderr
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{name}: {:?}",
            started.elapsed()
        );
        if run.code == 0 {
            crate::harness::check_nesting(&site.output("index.html"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

#[test]
fn a_note_of_ten_megabytes_of_brackets() {
    let site = tiny();
    site.append("site.toml", "[limits]\nmax_file_bytes = 16_000_000\n");
    let yaml = site.read(ARTICLE).replace(
        "note: The article does not say whether the agreement binds either agency.",
        &format!("note: \"{}\"", "[".repeat(10 << 20)),
    );
    site.write(ARTICLE, &yaml);
    let started = Instant::now();
    let run = bounded(&site, &["build"], Duration::from_secs(180));
    // Building it, or stopping at the memory limit with a message that says so, are both
    // bounded ends; a crash, a hang or memory without end are not.
    assert!(
        run.code == 0 || (run.code == 1 && run.stderr.contains("over the limit")),
        "exit {}:\n{}",
        run.code,
        run.stderr
    );
    eprintln!("10 MB of `[` ended in {:?}", started.elapsed());
}

// --- seeds that stress the text stages ---------------------------------------------------------

#[test]
fn control_characters_combining_marks_and_odd_line_breaks_in_seeds() {
    let site = tiny();
    let seed = site.read(SEED).replace(
        "Tuesday",
        &format!(
            "Tues\u{0}\u{1}\u{8}\u{b}\u{c}\u{1b}\u{7f}\u{85}\u{2028}\u{2029}day{}",
            "\u{301}".repeat(5_000)
        ),
    );
    site.write(SEED, &seed.replace('\n', "\r"));
    site.write("seeds/nul.txt", "Nul\n\n\u{0}\u{0}\u{0}\n");
    let run = build(&site);
    if run.code == 0 {
        for (path, bytes) in site.tree("public") {
            if path.ends_with(".xml") {
                let text = String::from_utf8(bytes).expect("UTF-8");
                roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            }
        }
    }
}

#[test]
fn huge_tag_lists_and_many_mentions_stay_fast() {
    let site = tiny();
    let tags: Vec<String> = (0..2_000).map(|i| format!("t{i}")).collect();
    site.replace(
        ARTICLE,
        "tags: [floods, emergency-services]",
        &format!("tags: [{}]", tags.join(", ")),
    );
    let (diags, code) = check(&site);
    assert_eq!(code, 1);
    assert_error(&diags, "invalid-value", "2000 tags");
    site.write(
        ARTICLE,
        &site.read(ARTICLE).replace(&tags[99..].join(", "), "last"),
    );
    let mentions = "Mara Quist met Tobias Renn at the Lowmoor Harbour Authority. ".repeat(20_000);
    site.write(
        "seeds/mentions.txt",
        &format!("Mentions\n\n{mentions}\n\n{mentions}\n"),
    );
    let started = Instant::now();
    let run = bounded(&site, &["build"], Duration::from_secs(120));
    eprintln!(
        "{:?}: {}",
        started.elapsed(),
        run.stderr.lines().last().unwrap_or_default()
    );
}

#[test]
fn hostile_yaml_values_of_the_wrong_shape() {
    let cases = [
        "title: null\nslug: null\noutlet: null\nauthor: null\npublished: null\nurl: null\ntags: null\nsummary: null\ntext: null\nannotations: null\n",
        "title: [1, 2]\nslug: {a: b}\npublished: 2020-10-29T00:00:00Z\ntags: 5\nannotations: {a: 1}\n",
        "title: !!binary aGVsbG8=\nsummary: !custom x\ntags: !!set {a, b}\n",
        "~\n",
        "--- a\n--- b\n",
        "\u{0}",
        "title: \"\\uD800\"\n",
    ];
    for yaml in cases {
        let site = tiny();
        site.write(ARTICLE, yaml);
        let (diags, code) = check(&site);
        assert!(
            code == 1 || diags.iter().all(|d| !d.is_error()),
            "{yaml:?}: {diags:#?}"
        );
    }
    let site = tiny();
    site.write(
        "content/entities.yaml",
        "base: &b\n  name: B\n  kind: person\nx:\n  <<: *b\n  name: X\n",
    );
    check(&site);
}

// --- markup safety: the Big List of Naughty Strings in every field ----------------------------

/// The Big List of Naughty Strings (tests/data/README.md).
fn naughty_strings() -> Vec<String> {
    let text = std::fs::read_to_string(crate::harness::repo().join("tests/data/blns.json"))
        .expect("read blns.json");
    serde_json::from_str(&text).expect("blns.json is a JSON array of strings")
}

/// A YAML double-quoted scalar for any string: everything but printable ASCII is escaped, so
/// control characters and odd code points reach gloss exactly as they are in the list.
fn yaml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// A TOML basic string for any string: TOML's escapes are YAML's.
fn toml_str(s: &str) -> String {
    yaml_str(s)
}

/// A site whose every user-written field, in every file, holds naughty strings: one article,
/// entity and event per string. Each seed holds its string between markers, so the article's
/// annotation quotes it exactly.
fn naughty_site(strings: &[String], allow_html: bool) -> Site {
    let site = Site::empty();
    site.write(
        "site.toml",
        &format!(
            "title = {}\ndescription = {}\nbase_url = \"https://example.org/naughty/\"\n[build]\nallow_html = {allow_html}\n",
            toml_str("<script>alert('title')</script> & \"quotes\""),
            toml_str("\"><img src=x onerror=alert(1)> </title><script>alert(2)</script>"),
        ),
    );
    let mut entities = String::new();
    let mut events = String::new();
    for (i, s) in strings.iter().enumerate() {
        let q = yaml_str(s);
        // A tag of its own per string: many naughty strings share a slug, which is a
        // `slug-collision` (tested on its own), not what this site is for.
        let tag = yaml_str(&format!("{s} n{i}"));
        entities.push_str(&format!(
            "e{i}:\n  name: {q}\n  kind: organization\n  aliases: [{q}, {}]\n  role: {q}\n  description: {q}\n  links: [{q}]\n",
            yaml_str(&format!("{s} alias"))
        ));
        events.push_str(&format!(
            "- id: ev{i}\n  date: 2020-01-{:02}\n  title: {q}\n  summary: {q}\n  entities: [e{i}]\n  tags: [{tag}]\n",
            i % 28 + 1
        ));
        site.write(
            &format!("seeds/s{i}.txt"),
            &format!(
                "Article number {i}\n\nBefore \u{27e6}{}\u{27e7} after.\n\nEnd of {i}.\n",
                s.trim()
            ),
        );
        let mut yaml = format!(
            "title: {q}\nslug: naughty-{i}\noutlet: e{i}\nauthor: {q}\npublished: 2021-02-{:02}\nurl: {q}\ntags: [{tag}, plain]\nsummary: {q}\n",
            i % 28 + 1
        );
        if !gloss::text::normalize_str(s).is_empty() {
            yaml.push_str(&format!(
                "annotations:\n  - id: a{i}\n    quote: {q}\n    prefix: \"\u{27e6}\"\n    suffix: \"\u{27e7}\"\n    kind: statement\n    speaker: e{i}\n    note: {q}\n    entities: [e{i}]\n    events: [ev{i}]\n"
            ));
        }
        site.write(&format!("content/articles/s{i}.yaml"), &yaml);
    }
    site.write("content/entities.yaml", &entities);
    site.write("content/events.yaml", &events);
    site.write("content/briefing.md", &strings.join("\n\n"));
    site.write(
        "content/pages/naughty.md",
        &format!(
            "---\ntitle: {}\n---\n{}",
            yaml_str(&strings.join(" ")),
            strings.join("\n\n")
        ),
    );
    site
}

/// What the theme itself puts in pages, learned from a plain build: element names and scripts.
struct Baseline {
    elements: std::collections::BTreeSet<String>,
    /// `src` of external scripts and the text of inline ones (other than JSON-LD).
    scripts: std::collections::BTreeSet<String>,
}

fn baseline() -> Baseline {
    let site = tiny();
    site.replace(
        "site.toml",
        "https://example.org/flood-desk/",
        "https://example.org/naughty/",
    );
    build(&site).ok();
    let mut elements = std::collections::BTreeSet::new();
    let mut scripts = std::collections::BTreeSet::new();
    for (path, bytes) in site.tree("public") {
        if !path.ends_with(".html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8(bytes).expect("UTF-8"));
        for node in doc.tree.nodes() {
            if let Some(el) = node.value().as_element() {
                elements.insert(el.name().to_owned());
                if el.name() == "script" && el.attr("type") != Some("application/ld+json") {
                    let text: String = scraper::ElementRef::wrap(node)
                        .expect("element")
                        .text()
                        .collect();
                    scripts.insert(el.attr("src").map_or(text, str::to_owned));
                }
            }
        }
    }
    // What Markdown notes, summaries and descriptions may add; with `allow_html`, also the
    // harmless inline elements ammonia's allow-list keeps.
    for sanitized in [
        "u",
        "i",
        "b",
        "s",
        "small",
        "sub",
        "kbd",
        "abbr",
        "cite",
        "q",
        "dfn",
        "var",
        "samp",
        "ins",
        "strike",
        "tt",
        "big",
        "bdi",
        "bdo",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "caption",
        "col",
        "colgroup",
        "tfoot",
        "wbr",
        "rp",
        "rt",
        "ruby",
        "time",
        "mark",
        "h1",
        "hgroup",
        "address",
        "article",
        "aside",
        "details",
        "summary",
        "center",
        "font",
        "map",
        "area",
        "meter",
        "nav",
    ] {
        elements.insert(sanitized.to_owned());
    }
    for md in [
        "p",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "br",
        "a",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "del",
        "sup",
        "span",
        "div",
        "section",
    ] {
        elements.insert(md.to_owned());
    }
    Baseline { elements, scripts }
}

/// Whether a URL attribute would run code or smuggle a document.
fn dangerous_url(value: &str) -> bool {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

/// Every check of the markup-safety contract over one built site; returns what is wrong.
fn unsafe_markup(site: &Site, base: &Baseline) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, bytes) in site.tree("public") {
        let text = || {
            String::from_utf8(bytes.clone()).unwrap_or_else(|e| panic!("{path} is not UTF-8: {e}"))
        };
        if path.ends_with(".xml") {
            if let Err(e) = roxmltree::Document::parse(&text()) {
                problems.push(format!("{path} is not well-formed XML: {e}"));
            }
            continue;
        }
        if path.ends_with(".json") || path.ends_with(".jsonld") {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&text()) {
                problems.push(format!("{path} is not JSON: {e}"));
            }
            continue;
        }
        if !path.ends_with(".html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&text());
        for node in doc.tree.nodes() {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            if !base.elements.contains(el.name()) {
                problems.push(format!("{path}: unexpected element <{}>", el.name()));
            }
            for (name, value) in el.attrs() {
                if name.to_ascii_lowercase().starts_with("on") {
                    problems.push(format!(
                        "{path}: event handler {name}={value:?} on <{}>",
                        el.name()
                    ));
                }
                if matches!(
                    name,
                    "href"
                        | "src"
                        | "action"
                        | "formaction"
                        | "poster"
                        | "cite"
                        | "background"
                        | "srcset"
                        | "xlink:href"
                ) && dangerous_url(value)
                {
                    problems.push(format!("{path}: {name}={value:?} on <{}>", el.name()));
                }
            }
            if el.name() == "script" {
                let content: String = scraper::ElementRef::wrap(node)
                    .expect("element")
                    .text()
                    .collect();
                if el.attr("type") == Some("application/ld+json") {
                    if serde_json::from_str::<serde_json::Value>(&content).is_err() {
                        problems.push(format!("{path}: JSON-LD that is not JSON: {content:.200}"));
                    }
                } else if !base.scripts.contains(el.attr("src").unwrap_or(&content)) {
                    problems.push(format!(
                        "{path}: a script the theme does not have: {:.200}",
                        el.attr("src").unwrap_or(&content)
                    ));
                }
            }
            if matches!(
                el.name(),
                "iframe" | "object" | "embed" | "form" | "base" | "frame"
            ) {
                problems.push(format!("{path}: <{}> from user text", el.name()));
            }
        }
    }
    problems
}

#[test]
fn naughty_strings_in_every_field_never_become_markup() {
    let strings = naughty_strings();
    assert!(strings.len() > 400, "the list is complete");
    let base = baseline();
    for allow_html in [false, true] {
        let site = naughty_site(&strings, allow_html);
        let run = bounded(&site, &["build"], Duration::from_secs(300));
        assert_eq!(
            run.code, 0,
            "allow_html = {allow_html}: the naughty site must build\n{}",
            run.stderr
        );
        let problems = unsafe_markup(&site, &base);
        if !allow_html {
            // Naughty strings (slugs that collide, tags equal after slugifying…) must not make
            // the output depend on thread scheduling.
            let first = site.tree("public");
            site.gloss_env(&["build"], &[("RAYON_NUM_THREADS", "1")])
                .ok();
            assert!(
                first == site.tree("public"),
                "one thread and many give the same bytes"
            );
        }
        assert!(
            problems.is_empty(),
            "allow_html = {allow_html}: {} problems:\n{}",
            problems.len(),
            problems[..problems.len().min(40)].join("\n")
        );
        // The strings are all there, as text: a highlight per annotated string, and the title of each article.
        let sample = site.output("articles/naughty-1/index.html");
        assert!(sample.contains("<mark"), "`undefined` is highlighted");
        let listed = scraper::Html::parse_document(&site.output("articles/index.html"));
        let shown: String = listed.root_element().text().collect();
        assert!(
            shown.contains("<script>alert(123)</script>"),
            "XSS strings are shown as text"
        );
    }
}

#[test]
fn markup_checks_catch_what_they_are_meant_to() {
    // The checker itself: a page with each kind of injection is reported.
    let base = baseline();
    let site = Site::empty();
    site.write(
        "public/a.html",
        "<p onclick=\"x()\">a</p><a href=\" java\tscript:alert(1)\">b</a><script>alert(1)</script><iframe src=x></iframe><script type=\"application/ld+json\">{\"a\":</script>",
    );
    site.write("public/feed.xml", "<feed><entry></feed>");
    let problems = unsafe_markup(&site, &base);
    for expected in [
        "event handler onclick",
        "href=",
        "a script the theme does not have",
        "<iframe>",
        "JSON-LD that is not JSON",
        "feed.xml is not well-formed",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{expected} not caught: {problems:#?}"
        );
    }
}

// --- atomic output under kill -9 ------------------------------------------------------------

/// The tiny site plus `n` generated articles, so that writing the output takes a while.
fn large_site(n: usize) -> Site {
    let site = tiny();
    for i in 0..n {
        let paragraphs: String = (0..8)
            .map(|p| format!("Paragraph {p} of report {i}: the Lowmoor Harbour Authority and Mara Quist discussed flood warning number {i}-{p} at length.\n\n"))
            .collect();
        site.write(
            &format!("seeds/report-{i:03}.txt"),
            &format!("Report {i}\n\n{paragraphs}"),
        );
        site.write(
            &format!("content/articles/report-{i:03}.yaml"),
            &format!(
                "title: Flood report {i}\npublished: 2023-{:02}-{:02}\ntags: [report, batch-{}]\nsummary: Report {i} on warnings.\nannotations:\n  - id: first\n    quote: flood warning number {i}-0\n    note: The first warning of report {i}.\n    entities: [harbour-authority]\n  - id: last\n    quote: warning number {i}-7 at length\n    kind: claim\n    speaker: mara-quist\n",
                i % 12 + 1,
                i % 28 + 1,
                i % 10
            ),
        );
    }
    site
}

#[test]
fn kill_9_during_a_build_leaves_the_previous_output_and_the_next_build_cleans_up() {
    let site = large_site(300);
    bounded(&site, &["build"], Duration::from_secs(300)).ok();
    let before = site.tree("public");
    assert!(before.len() > 600, "{} files", before.len());
    site.replace(
        "site.toml",
        "title = \"Lowmoor flood desk\"",
        "title = \"Lowmoor flood desk, second edition\"",
    );

    let leftovers = |site: &Site| -> Vec<String> {
        std::fs::read_dir(site.root())
            .expect("list the site")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public."))
            .collect()
    };
    let mut killed_while_writing = false;
    for _attempt in 0..5 {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("gloss"))
            .arg("--root")
            .arg(site.root())
            .arg("build")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gloss");
        let started = Instant::now();
        // Wait until it has started writing: its temporary folder exists and has files.
        let writing = loop {
            if child.try_wait().expect("poll").is_some() {
                break false;
            }
            if leftovers(&site).iter().any(|n| {
                n.starts_with(".public.tmp-")
                    && std::fs::read_dir(site.root().join(n)).is_ok_and(|mut d| d.next().is_some())
            }) {
                break true;
            }
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "the build never started writing"
            );
            std::thread::sleep(Duration::from_micros(200));
        };
        // SIGKILL: no destructor, no cleanup, exactly what `kill -9` does.
        child.kill().expect("kill -9");
        let status = child.wait().expect("reap");
        if !writing || status.success() {
            // It finished before the kill landed; put the old output back and try again.
            std::fs::remove_dir_all(site.path("public")).ok();
            for name in leftovers(&site) {
                std::fs::remove_dir_all(site.root().join(name)).ok();
            }
            copy_tree(&before, &site.path("public"));
            continue;
        }
        killed_while_writing = true;
        // The previous output is intact: still in place, or (killed between the two renames)
        // moved aside whole, where the next build puts it back before anything else.
        let previous = match site.path("public").exists() {
            true => site.tree("public"),
            false => {
                let old = leftovers(&site)
                    .into_iter()
                    .find(|n| n.starts_with(".public.old-"))
                    .expect("public/ moved aside");
                site.tree(&old)
            }
        };
        assert!(
            previous == before,
            "the previous output changed under kill -9"
        );
        break;
    }
    assert!(
        killed_while_writing,
        "could not kill the build while it was writing"
    );

    bounded(&site, &["build"], Duration::from_secs(300)).ok();
    assert_eq!(
        leftovers(&site),
        Vec::<String>::new(),
        "the next build removed the leftovers"
    );
    let after = site.tree("public");
    assert!(String::from_utf8_lossy(&after["index.html"]).contains("second edition"));
    // The same as building the edited site from scratch.
    let fresh = large_site(300);
    fresh.replace(
        "site.toml",
        "title = \"Lowmoor flood desk\"",
        "title = \"Lowmoor flood desk, second edition\"",
    );
    bounded(&fresh, &["build"], Duration::from_secs(300)).ok();
    assert!(
        after == fresh.tree("public"),
        "the rebuilt output equals a clean build"
    );
}

fn copy_tree(tree: &std::collections::BTreeMap<String, Vec<u8>>, to: &Path) {
    for (rel, bytes) in tree {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
}

#[test]
fn a_flood_of_mistyped_quotes_ends_without_hanging() {
    // Each quote that is not found gets a fuzzy search for its closest passage; one file's
    // searches share a budget, so thousands of them cannot stall the build.
    let site = tiny();
    site.write(
        "seeds/fox.txt",
        &format!(
            "Fox\n\n{}",
            "The quick brown fox jumps over the lazy dog. ".repeat(2_000)
        ),
    );
    let annotations: String = (0..1_500)
        .map(|i| {
            format!("  - id: a{i}\n    quote: The quick brown fox jumps over the lazy cat {i}\n")
        })
        .collect();
    site.write(
        "content/articles/fox.yaml",
        &format!("title: Fox\nannotations:\n{annotations}"),
    );
    let started = Instant::now();
    let (diags, code) = check_within(&site, Duration::from_secs(600));
    assert_eq!(code, 1);
    assert_eq!(
        diags
            .iter()
            .filter(|d| d.code == "anchor-not-found")
            .count(),
        1_500
    );
    let first = assert_error(&diags, "anchor-not-found", "`a0`");
    assert!(
        first
            .help
            .as_deref()
            .is_some_and(|h| h.contains("closest passage")),
        "{first:?}"
    );
    eprintln!("1,500 mistyped quotes checked in {:?}", started.elapsed());
}
