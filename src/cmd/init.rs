//! `gloss init` (in progress).

use crate::cli::Exit;

pub fn run() -> Exit {
    eprintln!("error: `gloss init` is not available in this build yet");
    Exit::Failure
}
