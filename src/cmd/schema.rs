//! `gloss schema`: JSON Schemas generated from the YAML types, for editor completion.

use crate::cli::{Exit, SchemaKind};
use crate::model::{ArticleFile, EntitiesFile, EventsFile};

/// The schema of one file kind, as pretty JSON.
pub fn schema_json(kind: SchemaKind) -> String {
    let schema = match kind {
        SchemaKind::Articles => schemars::schema_for!(ArticleFile),
        SchemaKind::Entities => schemars::schema_for!(EntitiesFile),
        SchemaKind::Events => schemars::schema_for!(EventsFile),
    };
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

pub fn run(kind: SchemaKind) -> Exit {
    println!("{}", schema_json(kind));
    Exit::Success
}
