//! One module per subcommand.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod schema;
pub mod serve;

use crate::diag::{self, Diagnostic, SourceFiles};
use camino::Utf8Path;
use std::io::IsTerminal;

/// Process exit codes (DESIGN §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Success = 0,
    /// The content has errors; nothing was written.
    ContentErrors = 1,
    /// Bad usage or an I/O failure.
    Failure = 2,
}

/// The exit code when site.toml could not be used: a broken site.toml is a content error
/// (1), like any other broken input; no site.toml at all means gloss ran in the wrong folder (2).
pub fn config_failure(root: &Utf8Path) -> Exit {
    if root.join("site.toml").exists() {
        Exit::ContentErrors
    } else {
        Exit::Failure
    }
}

/// Prints diagnostics for a person on stderr, colored on a terminal.
pub fn report(diags: &[Diagnostic], files: &SourceFiles) {
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diag::to_human(diags, files, color));
    eprintln!("{}", diag::summary(diags));
}
