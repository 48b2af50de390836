//! `gloss serve` (in progress).

use crate::cli::Exit;

pub fn run() -> Exit {
    eprintln!("error: `gloss serve` is not available in this build yet");
    Exit::Failure
}
