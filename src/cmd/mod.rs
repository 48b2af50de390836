//! One module per subcommand.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod schema;
pub mod serve;

use crate::diag::{self, Diagnostic, SourceFiles};
use std::io::IsTerminal;

/// Prints diagnostics for a person on stderr, colored on a terminal.
pub fn report(diags: &[Diagnostic], files: &SourceFiles) {
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diag::to_human(diags, files, color));
    eprintln!("{}", diag::summary(diags));
}
