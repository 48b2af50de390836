//! `gloss new` (in progress).

use crate::cli::Exit;

pub fn run() -> Exit {
    eprintln!("error: `gloss new` is not available in this build yet");
    Exit::Failure
}
