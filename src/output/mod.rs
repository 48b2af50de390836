//! The output stage: puts the rendered files on disk, and checks the links between them.

pub mod cache;
pub mod linkcheck;
pub mod write;
