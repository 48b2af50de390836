//! `gloss schema`: JSON Schemas generated from the YAML types, for editor completion.
//!
//! The schemas come from the same Rust types that parse the files (`crate::model`), so they
//! cannot drift from what gloss accepts: doc comments become the descriptions an editor
//! shows, and `deny_unknown_fields` becomes `additionalProperties: false`, so editors flag
//! typos. They are written as draft-07, the newest draft every YAML editor plugin reads.

use super::Exit;
use crate::model::{ArticleFile, EntitiesFile, EventsFile};
use schemars::generate::SchemaSettings;

/// The file kinds that have a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    Articles,
    Entities,
    Events,
}

/// The file name `gloss init` writes each schema to, under `schemas/`.
pub fn file_name(kind: SchemaKind) -> &'static str {
    match kind {
        SchemaKind::Articles => "articles.json",
        SchemaKind::Entities => "entities.json",
        SchemaKind::Events => "events.json",
    }
}

/// The schema of one file kind as a JSON value.
pub fn schema_value(kind: SchemaKind) -> serde_json::Value {
    let generator = SchemaSettings::draft07().into_generator();
    let (mut schema, title) = match kind {
        SchemaKind::Articles => (
            generator.into_root_schema_for::<ArticleFile>(),
            "gloss annotation file (content/articles/<id>.yaml)",
        ),
        SchemaKind::Entities => (
            generator.into_root_schema_for::<EntitiesFile>(),
            "gloss entities (content/entities.yaml)",
        ),
        SchemaKind::Events => (
            generator.into_root_schema_for::<EventsFile>(),
            "gloss events (content/events.yaml)",
        ),
    };
    // Aliases generate titles like "Map_of_EntityDef"; a person-readable one helps in editors.
    schema.insert("title".into(), title.into());
    schema.to_value()
}

/// The schema of one file kind, as pretty JSON with a final newline.
pub fn schema_json(kind: SchemaKind) -> String {
    // Serializing a `Value` cannot fail: every map key is a string.
    let mut text = serde_json::to_string_pretty(&schema_value(kind)).unwrap_or_default();
    text.push('\n');
    text
}

pub fn run(kind: SchemaKind) -> Exit {
    print!("{}", schema_json(kind));
    Exit::Success
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Every object schema in the tree, wherever definitions put it.
    fn objects(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Object(map) => {
                if map.contains_key("properties") {
                    out.push(v.clone());
                }
                map.values().for_each(|x| objects(x, out));
            }
            Value::Array(items) => items.iter().for_each(|x| objects(x, out)),
            _ => {}
        }
    }

    #[test]
    fn rejects_unknown_fields_and_describes_fields() {
        for kind in [
            SchemaKind::Articles,
            SchemaKind::Entities,
            SchemaKind::Events,
        ] {
            let schema = schema_value(kind);
            assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
            let mut found = Vec::new();
            objects(&schema, &mut found);
            assert!(!found.is_empty(), "{kind:?}");
            for object in found {
                assert_eq!(
                    object["additionalProperties"],
                    Value::Bool(false),
                    "{kind:?}: {object}"
                );
            }
        }
        let articles = schema_value(SchemaKind::Articles);
        let quote = &articles["definitions"]["AnnotationDef"]["properties"]["quote"]["description"];
        assert!(
            quote
                .as_str()
                .is_some_and(|d| d.contains("matched against the seed")),
            "{quote}"
        );
    }
}
