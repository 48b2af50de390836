//! gloss's integration tests: small sites on disk, built through the real CLI.
//!
//! One test binary (rather than one per file under `tests/`) so the crate is linked once
//! and every area shares the harness. Each area is a module; add new ones below.

mod harness;

mod architecture;
mod bundled;
mod card_cache;
mod cards;
mod citations;
mod cjk;
mod claims;
mod cli;
mod coverage;
mod diagnostics;
mod drafting;
mod feeds_dates_slugs;
mod guarantees;
mod hostile;
mod incremental;
mod interop;
mod links;
mod network;
mod publishing;
mod second_briefing;
mod serve;
mod translation;
mod workflows;
