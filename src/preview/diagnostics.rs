//! The build's errors as the browser shows them over the page: the first few, the ones
//! that explain the others first.

use crate::diag::{Diagnostic, Fix};
use serde::{Deserialize, Serialize};

/// At most this many diagnostics travel to the browser; the terminal shows them all.
const MAX_BROWSER_DIAGNOSTICS: usize = 50;

/// A diagnostic as the overlay shows it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BrowserDiagnostic {
    pub(super) severity: String,
    pub(super) code: String,
    pub(super) message: String,
    pub(super) file: Option<String>,
    pub(super) line: Option<usize>,
    pub(super) column: Option<usize>,
    pub(super) help: Option<String>,
    /// The quick fix: the closest passage with what differs marked, or the nearest ids.
    #[serde(default)]
    pub(super) fix: Option<Fix>,
}

impl BrowserDiagnostic {
    fn new(d: &Diagnostic) -> Self {
        BrowserDiagnostic {
            severity: if d.is_error() { "error" } else { "warning" }.into(),
            code: d.code.as_str().into(),
            message: d.message.clone(),
            file: d.file.as_ref().map(|f| f.to_string()),
            line: d.pos.map(|p| p.line),
            column: d.pos.map(|p| p.column),
            help: d.help.as_deref().map(str::to_owned),
            fix: d.fix.as_deref().cloned(),
        }
    }
}

/// The errors to show in the overlay, and how many there are. Errors that stop a file
/// from being read at all come first: one YAML typo in `entities.yaml` makes every
/// mention of its entities an error too, and the typo is what to fix.
pub(super) fn browser_diagnostics(diags: &[Diagnostic]) -> (Vec<BrowserDiagnostic>, usize) {
    use crate::diag::Code;
    let mut errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    let count = errors.len();
    errors.sort_by_key(|d| {
        !matches!(
            d.code,
            Code::YamlSyntax
                | Code::Io
                | Code::FileTooLarge
                | Code::SeedNotUtf8
                | Code::UnsafePath
                | Code::UnknownField
                | Code::MissingField
                | Code::TemplateError
        )
    });
    (
        errors
            .into_iter()
            .take(MAX_BROWSER_DIAGNOSTICS)
            .map(BrowserDiagnostic::new)
            .collect(),
        count,
    )
}
