//! Checks a YAML file in two passes so that one run reports every mistake in it: the parser's
//! syntax error first, then every field of every record against the file's shape.
//!
//! serde stops at the first mismatch, and a record it cannot finish hides the mistakes after
//! it. Here the text is parsed into a tree with byte positions (the parser's events), each
//! record is checked field by field, and the text is then *repaired* for serde: a bad entry is
//! overwritten with spaces (line breaks kept), so every position serde records stays the
//! position in the file as written, and the rest of the file still reaches later stages.

use super::file_shapes::{Record, Shape};
use super::tree::{Kind, Node, parse, scalar};
use crate::diag::{Code, Diagnostic, Pos};
use crate::suggest;
use camino::Utf8Path;

/// What the check of a file found: its diagnostics and the text serde should read.
pub struct Checked {
    pub diags: Vec<Diagnostic>,
    /// The text with every bad entry blanked; `None` when the file cannot be read at all.
    pub repaired: Option<String>,
}

/// Parses `text`, then checks it against `shape`. A syntax error is the only diagnostic when
/// there is one: nothing after it can be read reliably.
pub fn check(path: &Utf8Path, text: &str, shape: &Shape) -> Checked {
    let root = match parse(text) {
        Ok(Some(root)) => root,
        // An empty file is an empty mapping or list; serde decides.
        Ok(None) => {
            return Checked {
                diags: Vec::new(),
                repaired: Some(text.to_owned()),
            };
        }
        Err(d) => {
            return Checked {
                diags: vec![d.in_file(path)],
                repaired: None,
            };
        }
    };
    let mut checker = Checker {
        text,
        diags: Vec::new(),
        edits: Vec::new(),
    };
    let ok = checker.value(&root, shape, None);
    let Checker {
        mut diags, edits, ..
    } = checker;
    for d in &mut diags {
        d.file = Some(path.to_owned());
    }
    let repaired = ok.then(|| {
        let mut bytes = text.as_bytes().to_vec();
        for edit in edits {
            match edit {
                Edit::Blank(start, end) => {
                    for b in &mut bytes[start..end] {
                        if !matches!(*b, b'\n' | b'\r') {
                            *b = b' ';
                        }
                    }
                }
                Edit::Overwrite(start, end, with) => {
                    let padded = format!("{with:<width$}", width = end - start);
                    bytes[start..end].copy_from_slice(padded.as_bytes());
                }
            }
        }
        // Only ASCII spaces replaced whole characters, so the bytes are still UTF-8.
        String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned())
    });
    Checked { diags, repaired }
}

/// A change to the text that keeps every other byte where it was.
enum Edit {
    Blank(usize, usize),
    /// Replace a bad word with a valid one no longer than it, so later checks can go on.
    Overwrite(usize, usize, &'static str),
}

struct Checker<'t> {
    text: &'t str,
    diags: Vec<Diagnostic>,
    edits: Vec<Edit>,
}

impl Checker<'_> {
    fn pos(&self, node: &Node) -> Pos {
        let end = match node.kind {
            // A collection is underlined at its first line only.
            Kind::Seq(_) | Kind::Map(_) => self.text[node.start..]
                .find('\n')
                .map_or(node.end, |i| node.start + i),
            _ => node.end,
        };
        Pos::of_range(self.text, node.start, end.max(node.start))
    }

    fn push(&mut self, code: Code, node: &Node, message: String, help: String) {
        let pos = self.pos(node);
        self.diags
            .push(Diagnostic::error(code, message).at(pos).help(help));
    }

    /// Checks `node` against `shape`; `name` is the field it is the value of. Returns false
    /// when the value is unusable as a whole (its parent then drops it).
    fn value(&mut self, node: &Node, shape: &Shape, name: Option<&str>) -> bool {
        if matches!(node.kind, Kind::Alias) {
            return true;
        }
        let field = name.map_or_else(|| "this value".to_owned(), |n| format!("`{n}`"));
        match shape {
            Shape::Text => match &node.kind {
                Kind::Scalar(..) if !node.is_null() => true,
                _ => {
                    self.mismatch(node, &field, "text");
                    false
                }
            },
            Shape::Bool => match &node.kind {
                Kind::Scalar(s, true) if matches!(s.as_str(), "true" | "false") => true,
                _ => {
                    self.push(
                        Code::InvalidValue,
                        node,
                        format!("{field} is `true` or `false`, not {}", self.shown(node)),
                        format!("write `{}: true` or `{0}: false`", name.unwrap_or("draft")),
                    );
                    false
                }
            },
            Shape::Int { min } => match &node.kind {
                Kind::Scalar(s, true) if s.parse::<i128>().is_ok_and(|n| n >= i128::from(*min)) => {
                    true
                }
                _ => {
                    let least = if *min > 0 {
                        format!("a whole number from {min}")
                    } else {
                        "a whole number".to_owned()
                    };
                    self.push(
                        Code::InvalidValue,
                        node,
                        format!("{field} takes {least}, not {}", self.shown(node)),
                        format!(
                            "write a number, e.g. `{}: {}`",
                            name.unwrap_or("n"),
                            (*min).max(1)
                        ),
                    );
                    false
                }
            },
            Shape::Choice { what, options } => match &node.kind {
                Kind::Scalar(s, _) if options.contains(&s.as_str()) => true,
                Kind::Scalar(s, _) if !node.is_null() => {
                    let near = suggest::nearest(s, options.iter().copied())
                        .map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default();
                    let list = options.join(", ");
                    self.push(
                        Code::InvalidValue,
                        node,
                        format!("`{s}` is not a {what}; use one of {list}{near}"),
                        format!(
                            "write `{}: <one of the words above>`",
                            name.unwrap_or("kind")
                        ),
                    );
                    false
                }
                _ => {
                    self.mismatch(node, &field, &format!("one of {}", options.join(", ")));
                    false
                }
            },
            Shape::List(item) => {
                let Kind::Seq(items) = &node.kind else {
                    if node.is_null() {
                        return true;
                    }
                    if let Kind::Scalar(s, _) = &node.kind {
                        // `entities: kessel` for `entities: [kessel]`: the fix is plain.
                        let name = name.unwrap_or("field");
                        self.push(
                            Code::InvalidValue,
                            node,
                            format!("{field} takes a list, not text"),
                            format!("write it as a list: `{name}: [{s}]`"),
                        );
                    } else {
                        self.mismatch(node, &field, "a list");
                    }
                    return false;
                };
                let mut ok = true;
                for it in items {
                    if self.value(it, item, None) {
                        continue;
                    }
                    // A bad record in a list is dropped alone; a bad word spoils the list.
                    if matches!(item, Shape::Record(_)) {
                        let start = self.dash_before(it.start);
                        self.edits.push(Edit::Blank(start, it.end));
                    } else {
                        ok = false;
                    }
                }
                ok
            }
            Shape::MapOf(item) => {
                let Kind::Map(entries) = &node.kind else {
                    if node.is_null() {
                        return true;
                    }
                    self.mismatch(node, &field, "a mapping of ids");
                    return false;
                };
                let mut seen = std::collections::HashSet::new();
                for (key, value) in entries {
                    let key_text = scalar(key);
                    if key_text.is_some_and(|k| !seen.insert(k)) {
                        self.duplicate(key);
                        self.edits.push(Edit::Blank(key.start, value.end));
                    } else if !match item {
                        Shape::Record(record) => self.record(value, record, &field, key_text),
                        other => self.value(value, other, key_text),
                    } {
                        self.edits.push(Edit::Blank(key.start, value.end));
                    }
                }
                true
            }
            Shape::Record(record) => self.record(node, record, &field, None),
        }
    }

    /// Checks a record field by field; `key` is its id when it is the value of a mapping of
    /// ids. Returns false when it lacks a field it cannot do without.
    fn record(&mut self, node: &Node, record: &Record, field: &str, key: Option<&str>) -> bool {
        let Kind::Map(entries) = &node.kind else {
            if node.is_null() && !record.fields.iter().any(|f| f.required) {
                return true;
            }
            self.mismatch(node, field, &format!("a mapping ({})", record.what));
            return false;
        };
        // Messages that drop the record name it, so references to it are known as follow-ons.
        let id = key.or_else(|| {
            entries
                .iter()
                .find(|(k, _)| scalar(k) == Some("id"))
                .and_then(|(_, v)| scalar(v))
        });
        let label = match id {
            Some(id) => format!("{}, `{id}`,", record.what),
            None => record.what.to_owned(),
        };
        let mut ok = true;
        let mut seen = Vec::new();
        // Unknown keys that look like a field of the record: (that field, their message).
        let mut misspelled: Vec<(&str, &str, usize)> = Vec::new();
        for (key, value) in entries {
            let Some(name) = scalar(key) else {
                self.push(
                    Code::UnknownField,
                    key,
                    format!("{} has a key that is not a word", record.what),
                    "keys are field names such as `id:`; remove this one".to_owned(),
                );
                self.edits.push(Edit::Blank(key.start, value.end));
                continue;
            };
            if seen.contains(&name) {
                self.duplicate(key);
                self.edits.push(Edit::Blank(key.start, value.end));
                continue;
            }
            let Some(def) = record.fields.iter().find(|f| f.name == name) else {
                let names: Vec<&str> = record.fields.iter().map(|f| f.name).collect();
                let near = suggest::nearest(name, names.iter().copied());
                let help = match near {
                    Some(near) => {
                        misspelled.push((near, name, self.diags.len()));
                        format!("did you mean `{near}`? Valid fields: {}", names.join(", "))
                    }
                    None => format!("remove it. Valid fields: {}", names.join(", ")),
                };
                self.push(
                    Code::UnknownField,
                    key,
                    format!("`{name}` is not a field of {}", record.what),
                    help,
                );
                self.edits.push(Edit::Blank(key.start, value.end));
                continue;
            };
            seen.push(name);
            // An optional field left empty (`author: null`) is absent; serde reads it so.
            if (!def.required && value.is_null()) || self.value(value, &def.shape, Some(name)) {
                continue;
            }
            if !def.required {
                if def.decisive
                    && let Some(d) = self.diags.last_mut()
                {
                    d.message.push_str(&format!(" (in {label})"));
                }
                self.edits.push(Edit::Blank(key.start, value.end));
            } else if let (Shape::Choice { options, .. }, Kind::Scalar(s, _)) =
                (&def.shape, &value.kind)
                && let Some(fit) = options.iter().find(|o| o.len() <= s.len())
                && value.end - value.start == s.len()
            {
                // The record stays, with a valid word, so references to it still resolve.
                self.edits
                    .push(Edit::Overwrite(value.start, value.end, fit));
            } else {
                if let Some(d) = self.diags.last_mut() {
                    d.message.push_str(&format!(" (in {label})"));
                }
                ok = false;
            }
        }
        for def in record.fields.iter().filter(|f| f.required) {
            if seen.contains(&def.name) {
                continue;
            }
            ok &= def.kept_when_missing;
            // `nam: Kessel` is one mistake: the misspelling is reported, not the missing `name`.
            if let Some(&(near, key, ix)) = misspelled.iter().find(|m| m.0 == def.name) {
                let which = if id.is_some() { " which" } else { ", which" };
                self.diags[ix].message =
                    format!("`{key}` is not a field of {label}{which} needs `{near}`");
            } else {
                self.push(
                    Code::MissingField,
                    node,
                    format!("{label} needs `{}`", def.name),
                    format!("add `{}:` to it", def.name),
                );
            }
        }
        ok
    }

    fn mismatch(&mut self, node: &Node, field: &str, expected: &str) {
        let help = "write the value on the line of its field; text that starts with `[`, `{`, `*`, `&` or a quote must be quoted (`gloss schema` shows every field's type)";
        let message = if node.is_null() {
            format!("{field} has no value; it takes {expected}")
        } else {
            format!("{field} takes {expected}, not {}", node.kind_name())
        };
        self.push(Code::InvalidValue, node, message, help.to_owned());
    }

    fn duplicate(&mut self, key: &Node) {
        let name = scalar(key).unwrap_or("this key");
        self.push(
            Code::DuplicateId,
            key,
            format!("`{name}` appears twice in the same mapping"),
            format!("keep one `{name}`"),
        );
    }

    /// A value as a message quotes it.
    fn shown(&self, node: &Node) -> String {
        match &node.kind {
            Kind::Scalar(s, _) if !node.is_null() => format!("`{s}`"),
            _ => node.kind_name().to_owned(),
        }
    }

    /// Where the list item starting at `start` begins, with its `- ` marker.
    fn dash_before(&self, start: usize) -> usize {
        let before = self.text[..start].trim_end_matches([' ', '\t']);
        if before.ends_with('-') {
            before.len() - 1
        } else {
            start
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::file_shapes::{EVENTS_FILE, Shaped};
    use serde_json::Value;

    /// The object schema at `schema`, following a `$ref` into `defs`, also the one an
    /// optional field (`anyOf` the type and null) names.
    fn object<'v>(schema: &'v Value, defs: &'v Value) -> &'v Value {
        let reference = schema["$ref"].as_str().or_else(|| {
            schema["anyOf"]
                .as_array()?
                .iter()
                .find_map(|s| s["$ref"].as_str())
        });
        match reference {
            Some(r) => &defs[r.rsplit('/').next().unwrap_or_default()],
            None => schema,
        }
    }

    /// Every record of `shape` has the fields, and the required fields, of the serde type
    /// `schema` was generated from, down through lists and mappings.
    fn same_fields(shape: &Shape, schema: &Value, defs: &Value, at: &str) {
        let schema = object(schema, defs);
        match shape {
            Shape::Record(record) => {
                let mut fields: Vec<&str> = record.fields.iter().map(|f| f.name).collect();
                let mut properties: Vec<&str> = schema["properties"]
                    .as_object()
                    .map(|p| p.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                fields.sort_unstable();
                properties.sort_unstable();
                assert_eq!(fields, properties, "the fields of {at}");
                let mut required: Vec<&str> = record
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| f.name)
                    .collect();
                let mut schema_required: Vec<&str> = schema["required"]
                    .as_array()
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                required.sort_unstable();
                schema_required.sort_unstable();
                assert_eq!(required, schema_required, "the required fields of {at}");
                for f in record.fields {
                    same_fields(&f.shape, &schema["properties"][f.name], defs, f.name);
                }
            }
            Shape::List(item) if matches!(item, Shape::Record(_)) => {
                same_fields(item, &schema["items"], defs, at);
            }
            Shape::MapOf(item) => same_fields(item, &schema["additionalProperties"], defs, at),
            _ => {}
        }
    }

    fn matches_serde<T: Shaped + schemars::JsonSchema>() {
        let schema = serde_json::to_value(schemars::schema_for!(T)).expect("schema as JSON");
        same_fields(T::SHAPE, &schema, &schema["$defs"], "the file");
    }

    #[test]
    fn shapes_have_the_fields_of_the_serde_types() {
        matches_serde::<crate::model::ArticleFile>();
        matches_serde::<crate::model::EntitiesFile>();
        matches_serde::<crate::model::EventsFile>();
        matches_serde::<crate::model::PageFrontMatter>();
    }

    #[test]
    fn every_mistake_of_a_file_at_once() {
        let text =
            "- id: a\n  date: 2020\n  titel: x\n  tags: t\n- id: b\n  date: 2021\n  title: [x\n";
        let checked = check(Utf8Path::new("e.yaml"), text, &EVENTS_FILE);
        let found: Vec<(Code, usize)> = checked
            .diags
            .iter()
            .map(|d| (d.code, d.pos.map_or(0, |p| p.line)))
            .collect();
        // A syntax error is the one report: nothing after it can be read reliably.
        assert_eq!(found, vec![(Code::YamlSyntax, 7)]);
        let text = "- id: a\n  date: 2020\n  titel: x\n  tags: t\n- id: b\n  date: 2021\n  title: y\n  kind: z\n";
        let checked = check(Utf8Path::new("e.yaml"), text, &EVENTS_FILE);
        let found: Vec<(Code, usize)> = checked
            .diags
            .iter()
            .map(|d| (d.code, d.pos.map_or(0, |p| p.line)))
            .collect();
        assert_eq!(
            found,
            vec![
                (Code::UnknownField, 3),
                (Code::InvalidValue, 4),
                (Code::UnknownField, 8)
            ]
        );
        assert!(
            checked.diags[0].message.contains("which needs `title`"),
            "{:?}",
            checked.diags
        );
        // The record without a title is left out; the other one reaches serde whole.
        let repaired = checked.repaired.expect("the file is usable");
        let events: crate::model::EventsFile =
            serde_saphyr::from_str(&repaired).expect("serde reads the rest");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].id.value, "b");
    }
}
