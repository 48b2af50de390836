//! The theme: the built-in templates and assets compiled into the binary, overridden file by
//! file by `themes/<name>/`, compiled once into a Tera instance.

use crate::diag::{Code, Diagnostic, Pos};
use crate::load::ThemeSources;
use camino::Utf8PathBuf;
use std::collections::BTreeMap;

include!(concat!(env!("OUT_DIR"), "/builtin_theme.rs"));

/// Templates ready to render and the static files to copy to the output root.
pub struct Theme {
    tera: tera::Tera,
    /// Path relative to the output root → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Where each template came from, for error positions.
    origins: BTreeMap<String, Utf8PathBuf>,
    /// A hash of every template and static file: any change re-renders every page.
    fingerprint: u64,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("static_files", &self.static_files.keys())
            .finish()
    }
}

/// The built-in theme's files, for `gloss init --eject`-style copying and for overrides.
pub fn builtin_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    BUILTIN.iter().copied()
}

impl Theme {
    /// Compiles the built-in theme with `overrides` on top. All template errors are reported.
    pub fn load(overrides: &ThemeSources) -> Result<Theme, Vec<Diagnostic>> {
        let mut templates: BTreeMap<String, String> = BTreeMap::new();
        let mut origins = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        for (path, bytes) in builtin_files() {
            if let Some(name) = path.strip_prefix("templates/") {
                templates.insert(name.to_owned(), String::from_utf8_lossy(bytes).into_owned());
                origins.insert(
                    name.to_owned(),
                    Utf8PathBuf::from(format!("(built-in theme)/templates/{name}")),
                );
            } else if let Some(name) = path.strip_prefix("static/") {
                static_files.insert(name.to_owned(), bytes.to_vec());
            }
        }
        for (name, (path, text)) in &overrides.templates {
            templates.insert(name.clone(), text.clone());
            origins.insert(name.clone(), path.clone());
        }
        for (name, bytes) in &overrides.static_files {
            static_files.insert(name.clone(), bytes.clone());
        }

        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let mut diags = Vec::new();
        // Adding one at a time would fail on `extends` of a not-yet-added parent, so add all
        // together and, on error, find which file is at fault.
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            diags.push(template_diagnostic(&e, &origins));
        }
        if diags.is_empty() {
            let fingerprint = crate::hash::stable_hash(&(&templates, &static_files));
            Ok(Theme {
                tera,
                static_files,
                origins,
                fingerprint,
            })
        } else {
            Err(diags)
        }
    }

    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| template_diagnostic(&e, &self.origins))
    }
}

/// A Tera error as a diagnostic at the template's file, line and column.
fn template_diagnostic(e: &tera::Error, origins: &BTreeMap<String, Utf8PathBuf>) -> Diagnostic {
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let file = origins
                .get(report.filename())
                .cloned()
                .unwrap_or_else(|| Utf8PathBuf::from(report.filename()));
            Diagnostic::error(Code::TemplateError, format!("template {}: {}", report.filename(), report.message()))
                .in_file(file)
                .at(Pos {
                    line: span.start_line,
                    column: span.start_col + 1,
                    offset: span.range.start,
                    len: span.range.len(),
                })
                .help("fix the template; the built-in ones are in themes/default/templates of the gloss repository")
        }
        _ => Diagnostic::error(Code::TemplateError, format!("template error: {e}")).help(
            "check the template names used by extends/include and that every template parses",
        ),
    }
}
