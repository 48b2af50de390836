//! gloss: a static site generator for annotated briefings.
//!
//! The pipeline (see ARCHITECTURE.md) is a chain of plain functions over plain data:
//! `load` → `anchored` (the anchor stage) → `link` → `render` → `write`/`serve`.

pub mod anchor;
pub mod anchored;
pub mod claims;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod deps;
pub mod diag;
pub mod edtf;
pub mod feeds;
pub mod formats;
pub mod guard;
pub mod link;
pub mod linkcheck;
pub mod load;
pub mod markdown;
pub mod mentions;
pub mod model;
pub mod pipeline;
pub mod rebuild;
pub mod render;
pub mod search;
pub mod seedlock;
pub mod serve;
pub mod source;
pub mod suggest;
pub mod text;
pub mod theme;
pub mod types;
pub mod view;
pub mod watch;
pub mod write;

pub use cli::{Exit, run};
