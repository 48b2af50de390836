//! Arbitrary bytes as each kind of YAML file gloss reads: the loader must end in a value or
//! a diagnostic, never a panic, a hang or unbounded memory (alias bombs, deep nesting).
#![no_main]

use camino::Utf8Path;
use gloss::load::parse_yaml;
use gloss::model::{ArticleFile, EntitiesFile, EventsFile, PageFrontMatter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The loader refuses non-UTF-8 files before parsing; lossy decoding keeps every input useful.
    let text = String::from_utf8_lossy(data);
    let path = Utf8Path::new("content/fuzz.yaml");
    let mut diags = Vec::new();
    let _ = parse_yaml::<ArticleFile>(path, &text, &mut diags);
    let _ = parse_yaml::<EntitiesFile>(path, &text, &mut diags);
    let _ = parse_yaml::<EventsFile>(path, &text, &mut diags);
    let _ = parse_yaml::<PageFrontMatter>(path, &text, &mut diags);
    // Diagnostics must point inside the file, so that the report can show the line.
    for d in &diags {
        if let Some(pos) = d.pos {
            assert!(
                pos.offset <= text.len() + 1,
                "{d:?} points past the end of {} bytes",
                text.len()
            );
        }
    }
});
