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
        Site {
            dir: tempfile::Builder::new()
                .prefix("gloss-it-")
                .tempdir()
                .expect("create a temporary folder"),
        }
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
        std::fs::copy(repo.join("site.toml"), site.root().join("site.toml"))
            .expect("copy site.toml");
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
        assert_eq!(
            count, 1,
            "`{from}` occurs {count} times in {rel}, expected once"
        );
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
        cmd.env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("RAYON_NUM_THREADS");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run gloss");
        Run {
            code: out
                .status
                .code()
                .expect("gloss exited normally, not by a signal"),
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
        let diags: Vec<Diag> = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
            panic!(
                "check --format json printed invalid JSON ({e}):\n{}\n{}",
                run.stdout, run.stderr
            )
        });
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
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
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
    let mut codes: Vec<&str> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.as_str())
        .collect();
    codes.sort_unstable();
    codes
}

/// Every file below `dir` (relative, `/`-separated) with its bytes; empty if `dir` is missing.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("read folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("below dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()))
    {
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

/// One tag of an HTML document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// Lowercase element name.
    pub name: String,
    pub closing: bool,
    /// `<x/>`.
    pub self_closing: bool,
    /// Attribute names (lowercase) and entity-decoded values, in order.
    pub attrs: Vec<(String, String)>,
    /// Byte offsets of the tag in the document.
    pub start: usize,
    pub end: usize,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every tag of `html`, in order, skipping comments, doctypes and the bodies of `<script>`
/// and `<style>`. Text never contains a raw `<` in what gloss writes (it is escaped), so
/// every `<` starts a tag; a `<` that does not is an error, since it means unescaped text.
pub fn tags(html: &str) -> Result<Vec<Tag>, String> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = html[at..].find('<') {
        let start = at + i;
        let tail = &html[start..];
        if tail.starts_with("<!--") {
            at = start
                + tail
                    .find("-->")
                    .ok_or(format!("unclosed comment at byte {start}"))?
                + 3;
            continue;
        }
        if tail.starts_with("<!") {
            at = start + tail.find('>').ok_or("unclosed doctype")? + 1;
            continue;
        }
        let (tag, end) = parse_tag(html, start)?;
        at = end;
        if !tag.closing && (tag.name == "script" || tag.name == "style") {
            let close = format!("</{}", tag.name);
            let body_end = html[at..]
                .to_ascii_lowercase()
                .find(&close)
                .ok_or(format!("unclosed <{}> at byte {start}", tag.name))?;
            at += body_end;
        }
        out.push(tag);
    }
    Ok(out)
}

fn parse_tag(html: &str, start: usize) -> Result<(Tag, usize), String> {
    let bytes = html.as_bytes();
    let mut i = start + 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == name_start {
        let context: String = html[start..].chars().take(40).collect();
        return Err(format!(
            "a `<` that starts no tag (unescaped text?) at byte {start}: {context:?}"
        ));
    }
    let name = html[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => return Err(format!("unclosed tag <{name} at byte {start}")),
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(b'/') => {
                self_closing = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        let key_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        let key = html[key_start..i].to_ascii_lowercase();
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[i + 1..].find(q as char).ok_or(format!(
                        "unclosed attribute value in <{name} at byte {start}"
                    ))?;
                    value = decode_entities(&html[i + 1..i + 1 + end]);
                    i += end + 2;
                }
                _ => {
                    let v_start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&html[v_start..i]);
                }
            }
        }
        attrs.push((key, value));
    }
    Ok((
        Tag {
            name,
            closing,
            self_closing,
            attrs,
            start,
            end: i,
        },
        i,
    ))
}

/// Values of an attribute (`href`, `src`, `id`…) on the tags of `html`, in order.
#[track_caller]
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    tags(html)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|t| !t.closing)
        .flat_map(|t| {
            t.attrs
                .into_iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v)
        })
        .collect()
}

pub fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Checks that the tags in `html` nest properly: every closing tag closes the innermost
/// open element. Void elements are skipped. Returns a description of the first problem.
pub fn check_nesting(html: &str) -> Result<(), String> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut stack: Vec<Tag> = Vec::new();
    for tag in tags(html)? {
        if tag.closing {
            match stack.pop() {
                Some(open) if open.name == tag.name => {}
                Some(open) => {
                    return Err(format!(
                        "</{}> at byte {} closes <{}> from byte {}",
                        tag.name, tag.start, open.name, open.start
                    ));
                }
                None => {
                    return Err(format!(
                        "</{}> with nothing open at byte {}",
                        tag.name, tag.start
                    ));
                }
            }
        } else if !VOID.contains(&tag.name.as_str()) && !tag.self_closing {
            stack.push(tag);
        }
    }
    match stack.last() {
        None => Ok(()),
        Some(open) => Err(format!(
            "<{}> at byte {} is never closed",
            open.name, open.start
        )),
    }
}

/// The text of `html` with tags removed and entities decoded.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut at = 0;
    for tag in tags(html).unwrap_or_else(|e| panic!("{e}")) {
        out.push_str(&decode_entities(&html[at..tag.start]));
        at = tag.end;
    }
    out.push_str(&decode_entities(&html[at..]));
    out
}

/// A highlight as a reader sees it in an article's text: the annotation id, the text it
/// covers (across all its `<mark>` pieces) and the text just around it, in its paragraph.
#[derive(Clone, Debug)]
pub struct Highlight {
    pub id: String,
    pub text: String,
    pub before: String,
    pub after: String,
    /// Every other annotation sharing at least one character with this one.
    pub overlaps: std::collections::BTreeSet<String>,
}

/// Every highlight in the kept paragraphs (`class="block-text"`) of an article page.
pub fn highlights(page: &str) -> Vec<Highlight> {
    let mut out: Vec<Highlight> = Vec::new();
    for block in blocks(page) {
        // Walk the paragraph, keeping its plain text and which marks are open.
        let mut plain = String::new();
        let mut open: Vec<Option<String>> = Vec::new();
        let mut spans: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut overlaps: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
        let mut at = 0;
        let all = tags(block).unwrap_or_else(|e| panic!("{e}"));
        let mut push_text = |text: &str, open: &[Option<String>], plain: &mut String| {
            if text.is_empty() {
                return;
            }
            let from = plain.len();
            plain.push_str(&decode_entities(text));
            let ids: Vec<&String> = open.iter().flatten().collect();
            for id in &ids {
                let span = spans.entry((*id).clone()).or_insert_with(|| {
                    order.push((*id).clone());
                    (from, from)
                });
                span.1 = plain.len();
                for other in &ids {
                    if other != id {
                        overlaps
                            .entry((*id).clone())
                            .or_default()
                            .insert((*other).clone());
                    }
                }
            }
        };
        for tag in all {
            push_text(&block[at..tag.start], &open, &mut plain);
            at = tag.end;
            if tag.closing {
                open.pop();
            } else if !tag.self_closing && !matches!(tag.name.as_str(), "br" | "img" | "wbr") {
                open.push(if tag.name == "mark" {
                    tag.attr("data-ann").map(str::to_owned)
                } else {
                    None
                });
            }
        }
        push_text(&block[at..], &open, &mut plain);
        for id in order {
            let (s, e) = spans[&id];
            out.push(Highlight {
                text: plain[s..e].to_owned(),
                before: plain[..s].to_owned(),
                after: plain[e..].to_owned(),
                overlaps: overlaps.remove(&id).unwrap_or_default(),
                id,
            });
        }
    }
    out
}

/// The inner HTML of each kept paragraph or heading of an article page.
pub fn blocks(page: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = page;
    let marker = "class=\"block-text\">";
    while let Some(i) = rest.find(marker) {
        let body = &rest[i + marker.len()..];
        let end = body
            .find("</p>")
            .into_iter()
            .chain(body.find("</h2>"))
            .min()
            .expect("block closes");
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

/// `html` without the elements (and their contents) whose start tag satisfies `drop`.
pub fn strip_elements(html: &str, drop: impl Fn(&Tag) -> bool) -> String {
    let all = tags(html).unwrap_or_else(|e| panic!("{e}"));
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let t = &all[i];
        if !t.closing && !t.self_closing && drop(t) && cuts.last().is_none_or(|c| t.start >= c.1) {
            let mut depth = 0;
            let mut end = html.len();
            for u in &all[i..] {
                if u.name == t.name && !u.self_closing {
                    depth += if u.closing { -1 } else { 1 };
                    if depth == 0 {
                        end = u.end;
                        break;
                    }
                }
            }
            cuts.push((t.start, end));
        }
        i += 1;
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (s, e) in cuts {
        out.push_str(&html[at..s]);
        at = e;
    }
    out.push_str(&html[at..]);
    out
}

/// The cross-references of one annotation's note on an article page.
#[derive(Clone, Debug, Default)]
pub struct NoteRefs {
    /// Links under "See also".
    pub see: Vec<String>,
    /// Links under "Cited by".
    pub cited_by: Vec<String>,
}

/// Annotation id → its note's "See also" and "Cited by" links, for an article page.
pub fn note_refs(page: &str) -> BTreeMap<String, NoteRefs> {
    let mut out = BTreeMap::new();
    let mut rest = page;
    while let Some(i) = rest.find(" id=\"note-") {
        let after = &rest[i + " id=\"note-".len()..];
        let id = decode_entities(&after[..after.find('"').expect("id ends")]);
        let end = [after.find("<li class=\"note "), after.find("</ol>")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(after.len());
        let note = &after[..end];
        let section = |label: &str| -> Vec<String> {
            match note.find(&format!(">{label}</p>")) {
                Some(at) => {
                    let list = &note[at..];
                    attr_values(&list[..list.find("</ul>").unwrap_or(list.len())], "href")
                }
                None => Vec::new(),
            }
        };
        out.insert(
            id,
            NoteRefs {
                see: section("See also"),
                cited_by: section("Cited by"),
            },
        );
        rest = &after[end..];
    }
    out
}

/// The elements of `doc` that `css` selects.
pub fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = scraper::Selector::parse(css).expect("a valid selector");
    doc.select(&sel).collect()
}

/// An element's text as a reader sees it: whitespace folded to single spaces.
pub fn text(e: &scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
