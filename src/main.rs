//! The `gloss` binary: parses arguments and turns the outcome into an exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = gloss::cli::Cli::parse();
    std::process::ExitCode::from(gloss::run(cli) as u8)
}
