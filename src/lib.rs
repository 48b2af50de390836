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
pub mod fragment;
pub mod hash;
pub mod html;
pub mod ix;
pub mod link;
pub mod load;
pub mod markdown;
pub mod memo;
pub mod model;
pub mod output;
pub mod output_dir;
pub mod pages;
pub mod pipeline;
pub mod plain;
pub mod preview;
pub mod render;
pub mod routes;
pub mod suggest;
pub mod text;
pub mod timer;
pub mod types;

pub use cli::run;
pub use cmd::Exit;
