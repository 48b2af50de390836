//! The generated schemas reshaped for editors and strict validators: schemars writes
//! `$ref`s to internal type names, `allOf` wrappers, type arrays and Rust-only formats
//! (`uint`), which ajv's strict mode refuses and which make yaml-language-server complete
//! badly (`kind` inserted without `: `, `AnnotationDef` shown as a title).

use serde_json::{Map, Value, json};

/// EDTF as gloss accepts it (README, Dates): a day, month (or season) or year, optionally
/// with unspecified trailing digits (`X`) and a qualifier (`?`, `~`, `%`), alone, as an
/// interval with open (`..`) or unknown (empty) ends, or as a set in `[…]` or `{…}`.
/// gloss checks the calendar itself (`2021-02-30` is refused with a message); the pattern
/// catches what an editor can see at once.
const EDTF_PATTERN: &str = r"^(?:D|(?:D|\.\.)?/(?:D|\.\.)?|\[(?:\.\.)?D(?:(?:,|\.\.)D)*(?:\.\.)?\]|\{D(?:(?:,|\.\.)D)*\})$";
/// One date of [`EDTF_PATTERN`], put where it says `D`.
const EDTF_DATE: &str = r"[0-9]{2}(?:[0-9]{2}|[0-9]X|XX)(?:-(?:0[1-9]|1[0-2]|2[1-4]|[01]X|XX)(?:-(?:0[1-9]|[12][0-9]|3[01]|[0-3]X|XX))?)?[?~%]?";

/// Keywords that only describe a value; when a type array is split into `anyOf` branches
/// they stay on the property rather than on one branch.
const ANNOTATIONS: [&str; 4] = ["description", "default", "examples", "title"];

/// The schema with every `$ref` inlined (no `definitions` left), single `allOf`s merged,
/// `type` arrays turned into `anyOf`, non-standard formats dropped, and the hints editors
/// need added: an EDTF pattern on dates and a valid example for `occurrence`.
pub fn for_editors(mut schema: Value) -> Value {
    let definitions = schema
        .as_object_mut()
        .and_then(|root| root.remove("definitions"))
        .unwrap_or(Value::Null);
    reshape(&mut schema, &definitions, 0);
    schema
}

/// Deeper than any gloss type nests; a recursive type would stop here instead of looping.
const MAX_DEPTH: usize = 32;

fn reshape(value: &mut Value, definitions: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| reshape(v, definitions, depth + 1)),
        Value::Object(map) => {
            // A merged `allOf` can leave a `$ref`, and an inlined definition an `allOf`.
            for _ in 0..MAX_DEPTH {
                if !(merge_single_all_of(map) | inline_ref(map, definitions)) {
                    break;
                }
            }
            // Before the fields are reshaped: a pattern belongs beside `type: string`.
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                add_hints(props);
            }
            for v in map.values_mut() {
                reshape(v, definitions, depth + 1);
            }
            if matches!(map.get("format"), Some(Value::String(f)) if !is_standard_format(f)) {
                map.remove("format");
            }
            split_type_array(map);
        }
        _ => {}
    }
}

/// Replaces `{"$ref": "#/definitions/X", …}` by X's schema, the local keys winning;
/// whether it did.
fn inline_ref(map: &mut Map<String, Value>, definitions: &Value) -> bool {
    let Some(Value::String(reference)) = map.get("$ref") else {
        return false;
    };
    let Some(target) = reference
        .strip_prefix("#/definitions/")
        .and_then(|name| definitions.get(name))
        .and_then(Value::as_object)
    else {
        return false;
    };
    let mut inlined = target.clone();
    map.remove("$ref");
    inlined.remove("title");
    inlined.extend(std::mem::take(map));
    *map = inlined;
    true
}

/// `{"allOf": [S], "description": …}` (schemars' way to put a description beside a
/// `$ref` in draft-07) becomes S with the description; whether it did.
fn merge_single_all_of(map: &mut Map<String, Value>) -> bool {
    let Some(Value::Array(parts)) = map.get("allOf") else {
        return false;
    };
    let [Value::Object(inner)] = parts.as_slice() else {
        return false;
    };
    let mut merged = inner.clone();
    map.remove("allOf");
    merged.extend(std::mem::take(map));
    *map = merged;
    true
}

/// `{"type": ["integer", "null"], "minimum": 1}` becomes `{"anyOf": [{"type": "integer",
/// "minimum": 1}, {"type": "null"}]}`: strict validators refuse type arrays.
fn split_type_array(map: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = map.get("type") else {
        return;
    };
    let types: Vec<Value> = types.clone();
    map.remove("type");
    let mut specific = Map::new();
    for key in map.keys().cloned().collect::<Vec<_>>() {
        if !ANNOTATIONS.contains(&key.as_str())
            && let Some(v) = map.remove(&key)
        {
            specific.insert(key, v);
        }
    }
    let branches: Vec<Value> = types
        .into_iter()
        .map(|t| {
            let mut branch = Map::new();
            if t != "null" {
                branch.extend(specific.clone());
            }
            branch.insert("type".into(), t);
            Value::Object(branch)
        })
        .collect();
    map.insert("anyOf".into(), Value::Array(branches));
}

/// The formats JSON Schema draft-07 defines; schemars adds Rust ones (`uint`, `int64`).
fn is_standard_format(format: &str) -> bool {
    matches!(
        format,
        "date-time"
            | "date"
            | "time"
            | "email"
            | "idn-email"
            | "hostname"
            | "idn-hostname"
            | "ipv4"
            | "ipv6"
            | "uri"
            | "uri-reference"
            | "iri"
            | "iri-reference"
            | "uri-template"
            | "json-pointer"
            | "relative-json-pointer"
            | "regex"
    )
}

/// Hints on the fields whose type says too little: EDTF dates (`published`, `updated`,
/// `date`) get a pattern, and `occurrence` an example above its minimum (an editor would
/// otherwise offer `0`).
fn add_hints(props: &mut Map<String, Value>) {
    let pattern = EDTF_PATTERN.replace('D', EDTF_DATE);
    for name in ["published", "updated", "date"] {
        if let Some(Value::Object(field)) = props.get_mut(name) {
            field.insert("pattern".into(), json!(pattern));
        }
    }
    if let Some(Value::Object(field)) = props.get_mut("occurrence") {
        field.insert("examples".into(), json!([2]));
    }
}
