//! Previewing while editing (`gloss serve`, `gloss build --watch`): the watcher, the
//! rebuilder and the preview server with its live-reload script.

mod diagnostics;
pub mod rebuild;
pub mod resolve;
mod responses;
pub mod search_records;
pub mod server;
pub mod watch;
