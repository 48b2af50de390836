//! A throwaway site on disk and the `gloss` binary run against it.
//!
//! Every test gets its own copy of a fixture in a temporary folder, so tests can break
//! files freely and run in parallel. The binary is run exactly as a user runs it
//! (`gloss --root <dir> <command>`), without a terminal and with `NO_COLOR`, so output is
//! plain text that snapshots can compare.

#![allow(dead_code)] // Not every test module uses every helper.

use assert_cmd::Command;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The repository root: the bundled briefing lives here, fixtures under `tests/fixtures/`.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temporary folder, deleted when dropped.
pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// An empty folder: no `site.toml`, no content.
    pub fn empty() -> Site {
        Site { dir: tempfile::Builder::new().prefix("gloss-it-").tempdir().expect("create a temporary folder") }
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        let from = repo().join("tests/fixtures").join(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        copy_dir(&from, site.root());
        site
    }

    /// A copy of the repository's own briefing: `site.toml`, `seeds/` and `content/` (not
    /// `themes/`, so it renders with the theme compiled into the binary, as a new user's
    /// site would).
    pub fn bundled() -> Site {
        let site = Site::empty();
        let repo = repo();
        std::fs::copy(repo.join("site.toml"), site.root().join("site.toml")).expect("copy site.toml");
        copy_dir(&repo.join("seeds"), &site.root().join("seeds"));
        copy_dir(&repo.join("content"), &site.root().join("content"));
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The root as it appears in gloss's messages, for snapshot filters.
    pub fn root_str(&self) -> String {
        self.root().display().to_string()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes a file (creating folders), replacing what was there.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        self
    }

    /// Appends to a file, e.g. one more annotation at the end of an annotation file.
    pub fn append(&self, rel: &str, text: &str) -> &Self {
        let mut current = self.read(rel);
        if !current.ends_with('\n') {
            current.push('\n');
        }
        current.push_str(text);
        self.write(rel, &current)
    }

    /// Replaces the one occurrence of `from` in a file. Panics if `from` is not there
    /// exactly once, so that a fixture edit cannot silently stop applying.
    pub fn replace(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        let count = text.matches(from).count();
        assert_eq!(count, 1, "`{from}` occurs {count} times in {rel}, expected once");
        self.write(rel, &text.replacen(from, to, 1))
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let path = self.path(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
        } else {
            std::fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
        }
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Runs `gloss --root <site> <args…>`.
    pub fn gloss(&self, args: &[&str]) -> Run {
        self.gloss_env(args, &[])
    }

    /// Like [`Site::gloss`], with extra environment variables.
    pub fn gloss_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::cargo_bin("gloss").expect("the gloss binary is built");
        cmd.arg("--root").arg(self.root()).args(args);
        cmd.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE").env_remove("RAYON_NUM_THREADS");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run gloss");
        Run {
            code: out.status.code().expect("gloss exited normally, not by a signal"),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }

    pub fn build(&self) -> Run {
        self.gloss(&["build"])
    }

    /// `gloss check --format json`, parsed, with its exit code.
    pub fn check_json(&self) -> (Vec<Diag>, i32) {
        let run = self.gloss(&["check", "--format", "json"]);
        let diags: Vec<Diag> = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("check --format json printed invalid JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
        (diags, run.code)
    }

    /// A file of the built site (`public/` by default).
    pub fn output(&self, rel: &str) -> String {
        let path = self.path("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read output {rel}: {e}"))
    }

    /// Every file of the built site, relative to `public/`, sorted.
    pub fn output_files(&self) -> Vec<String> {
        tree(&self.path("public")).into_keys().collect()
    }

    /// Every file below `rel` with its bytes.
    pub fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.path(rel))
    }
}

/// The outcome of one `gloss` run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing everything gloss printed when it differs.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        self.expect_code(0)
    }
}

/// One element of `gloss check --format json` (DESIGN §9).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Diag {
    pub severity: String,
    pub code: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub help: Option<String>,
}

impl Diag {
    pub fn is_error(&self) -> bool {
        self.severity == "error"
    }
}

/// The error codes of a report, sorted, repeated as often as they occur.
pub fn error_codes(diags: &[Diag]) -> Vec<&str> {
    let mut codes: Vec<&str> = diags.iter().filter(|d| d.is_error()).map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    codes
}

/// Every file below `dir` (relative, `/`-separated) with its bytes; empty if `dir` is missing.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries {
            let path = entry.expect("read folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("below dir").to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.expect("read folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Insta settings that make a snapshot independent of where the temporary site lives.
pub fn snapshot_settings(site: &Site) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.add_filter(&regex_escape(&site.root_str()), "[SITE]");
    settings
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// --- reading the HTML gloss writes -----------------------------------------------------

/// Values of an attribute (`href`, `src`, `id`…) in HTML, in document order, entity-decoded.
/// gloss and its templates always double-quote attributes; single quotes are read too, so a
/// template that changes style cannot hide links from the checks.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let needle = format!("{name}=");
    let mut from = 0;
    while let Some(i) = html[from..].find(&needle) {
        let at = from + i;
        from = at + needle.len();
        // Must be a whole attribute name: preceded by whitespace.
        if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
            continue;
        }
        let Some(&quote) = bytes.get(from) else { break };
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        if let Some(end) = html[from + 1..].find(quote as char) {
            out.push(decode_entities(&html[from + 1..from + 1 + end]));
            from = from + 1 + end;
        }
    }
    out
}

pub fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&#x2F;", "/").replace("&#47;", "/").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Checks that the tags in `html` nest properly: every closing tag closes the innermost
/// open element. Void elements and the contents of `<script>`/`<style>` are skipped.
/// Returns a description of the first problem.
pub fn check_nesting(html: &str) -> Result<(), String> {
    const VOID: &[&str] = &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    let mut offset = 0;
    while let Some(i) = rest.find('<') {
        let at = offset + i;
        let tail = &rest[i..];
        if tail.starts_with("<!--") {
            let end = tail.find("-->").ok_or(format!("unclosed comment at {at}"))? + 3;
            offset = at + end;
            rest = &html[offset..];
            continue;
        }
        if tail.starts_with("<!") {
            let end = tail.find('>').ok_or("unclosed doctype")? + 1;
            offset = at + end;
            rest = &html[offset..];
            continue;
        }
        let end = tail.find('>').ok_or(format!("unclosed tag at {at}"))? + 1;
        let tag = &tail[1..end - 1];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        offset = at + end;
        if name.is_empty() {
            return Err(format!("a `<` that starts no tag at byte {at}: {:?}", &tail[..end.min(40)]));
        }
        if closing {
            match stack.pop() {
                Some(open) if open == name => {}
                Some(open) => return Err(format!("</{name}> closes <{open}> at byte {at}")),
                None => return Err(format!("</{name}> with nothing open at byte {at}")),
            }
        } else if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            if name == "script" || name == "style" {
                let close = format!("</{name}>");
                let body_end = html[offset..].find(&close).ok_or(format!("unclosed <{name}>"))?;
                offset += body_end + close.len();
            } else {
                stack.push(name);
            }
        }
        rest = &html[offset..];
    }
    match stack.last() {
        None => Ok(()),
        Some(open) => Err(format!("<{open}> is never closed")),
    }
}

/// Strips a common leading indentation and a leading newline, so that multi-line YAML can
/// be written indented inside test code.
pub fn dedent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: String = text.lines().map(|l| if l.len() >= indent { &l[indent..] } else { l.trim_start() }).collect::<Vec<_>>().join("\n");
    out.push('\n');
    out
}
