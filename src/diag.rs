//! Diagnostics as data: every stage returns what it found wrong alongside its result,
//! so one run reports every mistake, in the same shape for humans and for `--format json`.

use camino::{Utf8Path, Utf8PathBuf};
use serde::Serialize;

mod fix;
pub use fix::{Fix, NEAREST_IDS, Part, Side};
use std::borrow::Cow;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The stable, documented codes of DESIGN §9 (plus warnings), used by `--format json` and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    YamlSyntax,
    UnknownField,
    MissingField,
    InvalidValue,
    InvalidDate,
    SeedMissing,
    SeedNotUtf8,
    AnchorNotFound,
    AnchorAmbiguous,
    AnchorInDroppedText,
    UnknownEntity,
    UnknownEvent,
    UnknownReference,
    DuplicateId,
    SlugCollision,
    TemplateError,
    BrokenLink,
    Io,
    UnsafePath,
    FileTooLarge,
    UnusedEntity,
    UnreportedEvent,
    ReportBeforeEvent,
    MissingNote,
    MissingAnnotationFile,
    UnusedTextRule,
    /// A seed's text differs from the one `seeds.lock` recorded.
    SourceChanged,
    MissingSummary,
    /// A translation's paragraphs do not line up with its original's.
    TranslationMismatch,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::YamlSyntax => "yaml-syntax",
            Code::UnknownField => "unknown-field",
            Code::MissingField => "missing-field",
            Code::InvalidValue => "invalid-value",
            Code::InvalidDate => "invalid-date",
            Code::SeedMissing => "seed-missing",
            Code::SeedNotUtf8 => "seed-not-utf8",
            Code::AnchorNotFound => "anchor-not-found",
            Code::AnchorAmbiguous => "anchor-ambiguous",
            Code::AnchorInDroppedText => "anchor-in-dropped-text",
            Code::UnknownEntity => "unknown-entity",
            Code::UnknownEvent => "unknown-event",
            Code::UnknownReference => "unknown-reference",
            Code::DuplicateId => "duplicate-id",
            Code::SlugCollision => "slug-collision",
            Code::TemplateError => "template-error",
            Code::BrokenLink => "broken-link",
            Code::Io => "io-error",
            Code::UnsafePath => "unsafe-path",
            Code::FileTooLarge => "file-too-large",
            Code::UnusedEntity => "unused-entity",
            Code::UnreportedEvent => "unreported-event",
            Code::ReportBeforeEvent => "report-before-event",
            Code::MissingNote => "missing-note",
            Code::MissingAnnotationFile => "missing-annotation-file",
            Code::UnusedTextRule => "unused-text-rule",
            Code::SourceChanged => "source-changed",
            Code::MissingSummary => "missing-summary",
            Code::TranslationMismatch => "translation-mismatch",
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a source file: 1-based line and column, and the byte span for underlining.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    pub len: usize,
}

impl Pos {
    /// The position of a byte range in `text`.
    pub fn of_range(text: &str, start: usize, end: usize) -> Pos {
        let (line, column) = crate::types::line_col(text, start);
        Pos {
            line,
            column,
            offset: start.min(text.len()),
            len: end.saturating_sub(start),
        }
    }

    /// A position from serde-saphyr; byte offsets are known because we always parse strings.
    pub fn from_yaml(loc: &serde_saphyr::Location) -> Pos {
        let span = loc.span();
        Pos {
            line: loc.line() as usize,
            column: loc.column() as usize,
            offset: span.byte_offset().unwrap_or(0) as usize,
            len: span.byte_len().unwrap_or(0) as usize,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    pub file: Option<Utf8PathBuf>,
    pub pos: Option<Pos>,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Boxed, as is `fix`, so that a diagnostic stays small enough to return by value.
    pub help: Option<Box<str>>,
    /// A quick fix the terminal and the overlay show under the help (not in JSON).
    pub fix: Option<Box<Fix>>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            pos: None,
            help: None,
            fix: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    pub fn in_file(mut self, file: impl AsRef<Utf8Path>) -> Self {
        self.file = Some(file.as_ref().to_owned());
        self
    }

    pub fn at(mut self, pos: Pos) -> Self {
        self.pos = Some(pos);
        self
    }

    pub fn at_opt(mut self, pos: Option<Pos>) -> Self {
        self.pos = pos;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    pub fn fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix.map(Box::new);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of every file a diagnostic may point into, so reports can show the source line.
#[derive(Clone, Debug, Default)]
pub struct SourceFiles {
    /// Keyed by the path as written: thousands of files go in on every rebuild, and
    /// comparing paths component by component made that a measurable part of `serve`.
    files: rustc_hash::FxHashMap<String, std::sync::Arc<str>>,
}

impl SourceFiles {
    pub fn insert(&mut self, path: Utf8PathBuf, text: impl Into<std::sync::Arc<str>>) {
        self.files.insert(path.into_string(), text.into());
    }

    pub fn get(&self, path: &Utf8Path) -> Option<&str> {
        self.files.get(path.as_str()).map(|t| &**t)
    }

    /// Every file's path, in no particular order.
    pub fn paths(&self) -> impl Iterator<Item = &Utf8Path> {
        self.files.keys().map(|p| Utf8Path::new(p.as_str()))
    }
}

/// Sorts diagnostics into a stable order: by file, then position, errors before warnings.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    // A long report has tens of thousands of diagnostics in a few thousand files: each file
    // is ranked once (in the order of their components), and the diagnostics are sorted by
    // rank, then by place, severity, code and message.
    let mut files: Vec<&Utf8Path> = diags.iter().filter_map(|d| d.file.as_deref()).collect();
    files.sort_unstable_by(|a, b| crate::types::path_order(a.as_str(), b.as_str()));
    files.dedup_by(|a, b| a.as_str() == b.as_str());
    let rank: rustc_hash::FxHashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.as_str(), i))
        .collect();
    let keys: Vec<_> = diags
        .iter()
        .map(|d| {
            (
                d.file.as_ref().map(|f| rank[f.as_str()]),
                d.pos.map(|p| (p.line, p.column)),
                d.severity,
                d.code,
            )
        })
        .collect();
    let mut keyed: Vec<_> = keys.into_iter().zip(std::mem::take(diags)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| a.message.cmp(&b.message)));
    diags.extend(keyed.into_iter().map(|(_, d)| d));
}

pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: Code,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&'a str>,
}

/// The `--format json` report: an array of `{severity, code, message, file, line, column, help}`.
pub fn to_json(diags: &[Diagnostic]) -> String {
    let rows: Vec<JsonDiagnostic> = diags
        .iter()
        .map(|d| JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            message: &d.message,
            file: d.file.as_ref().map(|f| f.as_str()),
            line: d.pos.map(|p| p.line),
            column: d.pos.map(|p| p.column),
            help: d.help.as_deref(),
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_owned())
}

/// One diagnostic as miette sees it, with the source text it points into.
#[derive(Debug)]
struct Report<'a> {
    diag: &'a Diagnostic,
    source: Option<miette::NamedSource<String>>,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let pos = self.diag.pos?;
        self.source.as_ref()?;
        let label = miette::LabeledSpan::new_primary_with_span(None, (pos.offset, pos.len.max(1)));
        Some(Box::new(std::iter::once(label)))
    }
}

/// Human-readable report of every diagnostic, with the offending source line.
/// `color` is for terminals; tests and CI get plain text.
/// How many diagnostics of one report show their source line. Each snippet costs a copy and
/// a scan of its file, so thousands of errors in a large file (a hostile one, say) would take
/// minutes; the rest show their location only.
const MAX_SNIPPETS: usize = 100;

/// The longest source line shown in a snippet; a longer one (minified or generated YAML) would
/// flood the terminal, so its location is shown instead.
const MAX_SNIPPET_LINE: usize = 400;

/// Whether the line around byte `offset` of `text` is short enough to show.
fn short_line_at(text: &str, offset: usize) -> bool {
    let bytes = text.as_bytes();
    let start = bytes[..offset]
        .iter()
        .rev()
        .take(MAX_SNIPPET_LINE + 1)
        .position(|&b| b == b'\n')
        .unwrap_or(offset.min(MAX_SNIPPET_LINE + 1));
    let end = bytes[offset..]
        .iter()
        .take(MAX_SNIPPET_LINE + 1)
        .position(|&b| b == b'\n')
        .unwrap_or((bytes.len() - offset).min(MAX_SNIPPET_LINE + 1));
    start + end <= MAX_SNIPPET_LINE
}

/// `text` with every control character written as an escape (`\u{1b}`), so a value from
/// a hostile file cannot send terminal escape sequences (colors, cursor moves, OSC 8 links)
/// or line breaks that forge lines of a CI log.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A source file as a snippet shows it: control characters other than line breaks and tabs
/// become `?`, one for each of their bytes, so positions into the text stay valid; the
/// carriage return of a CRLF line ending becomes a space.
fn printable_source(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, '\n' | '\t') || !c.is_control() {
            out.push(c);
        } else if c == '\r' && chars.peek() == Some(&'\n') {
            out.push(' ');
        } else {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        }
    }
    out
}

/// `diag` with its text made printable (see `printable`).
fn printable_diagnostic(diag: &Diagnostic) -> Diagnostic {
    Diagnostic {
        file: diag
            .file
            .as_ref()
            .map(|f| Utf8PathBuf::from(printable(f.as_str()).into_owned())),
        message: printable(&diag.message).into_owned(),
        help: diag.help.as_deref().map(|h| printable(h).into()),
        ..diag.clone()
    }
}

pub fn to_human(diags: &[Diagnostic], sources: &SourceFiles, color: bool) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    // Lines are not wrapped: a wrap could cut a file path or an id in two, and terminals
    // wrap long lines whole.
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_wrap_lines(false);
    let mut out = String::new();
    for (i, raw) in diags.iter().enumerate() {
        let diag = &printable_diagnostic(raw);
        let source = raw
            .file
            .as_ref()
            .filter(|_| i < MAX_SNIPPETS)
            .and_then(|file| {
                let text = sources.get(file)?;
                // A position past the end (an empty file, say) would make miette refuse the snippet.
                diag.pos
                    .filter(|p| p.offset <= text.len() && short_line_at(text, p.offset))
                    .map(|_| {
                        miette::NamedSource::new(printable(file.as_str()), printable_source(text))
                    })
            });
        let location = match (&diag.file, diag.pos) {
            (Some(f), Some(p)) => format!("{f}:{}:{}", p.line, p.column),
            (Some(f), None) => f.to_string(),
            _ => String::new(),
        };
        // With a snippet miette prints the location itself; without one, we must.
        let show_location = source.is_none() && !location.is_empty();
        let report = Report { diag, source };
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{}: {}\n", diag.code, diag.message));
        }
        if show_location {
            out.push_str(&format!("  at {location}\n"));
        }
        if let Some(fix) = &raw.fix {
            out.push_str(&fix.to_terminal(color));
        }
        out.push('\n');
    }
    out
}

/// A one-line count, like `2 errors, 1 warning`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[cfg(test)]
mod snippet_tests {
    use super::*;

    #[test]
    fn sorted_by_file_path_then_place_severity_code_and_message() {
        let at = |file: Option<&str>, line: usize, message: &str| {
            let d = Diagnostic::warning(Code::Io, message).at(Pos {
                line,
                column: 1,
                offset: 0,
                len: 0,
            });
            match file {
                Some(f) => d.in_file(f),
                None => d,
            }
        };
        let mut diags = vec![
            at(Some("content/a-b/x.yaml"), 1, "m"),
            at(Some("content/a/x.yaml"), 9, "m"),
            at(None, 3, "m"),
            at(Some("content/a/x.yaml"), 2, "z"),
            at(Some("content/a/x.yaml"), 2, "b"),
            Diagnostic::error(Code::Io, "e")
                .in_file("content/a/x.yaml")
                .at(Pos {
                    line: 2,
                    column: 1,
                    offset: 0,
                    len: 0,
                }),
        ];
        sort(&mut diags);
        let got: Vec<_> = diags
            .iter()
            .map(|d| {
                let file = d.file.as_ref().map_or("-", |f| f.as_str());
                format!("{file}:{} {}", d.pos.map_or(0, |p| p.line), d.message)
            })
            .collect();
        // Paths compare by component: the folder `a` comes before `a-b`.
        assert_eq!(
            got,
            [
                "-:3 m",
                "content/a/x.yaml:2 e",
                "content/a/x.yaml:2 b",
                "content/a/x.yaml:2 z",
                "content/a/x.yaml:9 m",
                "content/a-b/x.yaml:1 m",
            ]
        );
    }

    #[test]
    fn long_lines_and_many_diagnostics_skip_snippets() {
        assert!(short_line_at("a: 1\nb: 2\n", 5));
        assert!(short_line_at("", 0));
        let long = format!("k: [{}]\n", "x, ".repeat(1_000));
        assert!(!short_line_at(&long, 10));
        // Thousands of errors in a large one-line file render quickly, with locations.
        let mut files = SourceFiles::default();
        files.insert("big.yaml".into(), long.repeat(2_000));
        let diags: Vec<Diagnostic> = (0..5_000)
            .map(|i| {
                Diagnostic::error(Code::UnknownEntity, format!("no entity {i}"))
                    .in_file("big.yaml")
                    .at(Pos {
                        line: 1,
                        column: 5,
                        offset: 4 + i,
                        len: 1,
                    })
            })
            .collect();
        let started = std::time::Instant::now();
        let out = to_human(&diags, &files, false);
        assert!(out.contains("no entity 4999") && out.contains("big.yaml:1:5"));
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }
}
