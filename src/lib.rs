//! gloss: a static site generator for annotated briefings.
//!
//! The pipeline (see ARCHITECTURE.md) is a chain of plain functions over plain data:
//! `load` → `anchor` → `link` → `render` → `output`/`preview`.

pub mod anchor;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod edtf;
pub mod link;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod preview;
pub mod render;
pub mod suggest;
pub mod text;
pub mod types;

pub use cli::{Exit, run};
