//! The `gloss` binary: parses arguments and turns the outcome into an exit code.

use clap::Parser;

// A full build allocates from every rayon thread at once; glibc's arenas made those
// threads wait on each other's locks (about a tenth of a 2,000-article build). Large
// allocations are held to the render watchdog's memory limit before they are made.
#[global_allocator]
static ALLOC: gloss::render::guard::Bounded<mimalloc::MiMalloc> =
    gloss::render::guard::Bounded(mimalloc::MiMalloc);

fn main() -> std::process::ExitCode {
    let cli = gloss::cli::Cli::parse();
    std::process::ExitCode::from(gloss::run(cli) as u8)
}
