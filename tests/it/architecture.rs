//! The module structure ARCHITECTURE.md describes, checked: no import cycles between the
//! top-level modules of `src/`, and no pipeline stage importing a later one.
//!
//! Imports are read from the source text (`crate::x`, `crate::{x, y::z}`, and `super::x`
//! where `super` is the crate root), so a new cycle fails here before anyone has to notice
//! it in review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The pipeline's stages in order; a stage may import earlier ones, never later ones. Every
/// other top-level module is a leaf helper, which imports no stage at all.
const STAGES: &[&str] = &[
    "load", "anchor", "link", "render", "pipeline", "output", "preview", "cmd", "cli",
];

/// The top-level modules each top-level module imports, from every `.rs` file under `src/`.
fn imports(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    collect(src, &mut files);
    for file in files {
        let rel = file.strip_prefix(src).expect("under src");
        let parts: Vec<&str> = rel
            .iter()
            .map(|p| p.to_str().expect("UTF-8 path"))
            .collect();
        let module = parts[0].trim_end_matches(".rs").to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        // `super::` names the crate root only from a top-level file or a folder's mod.rs.
        let super_is_root = parts.len() == 1 || (parts.len() == 2 && parts[1] == "mod.rs");
        let text = std::fs::read_to_string(&file).expect("read source");
        let code: String = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let deps = graph.entry(module.clone()).or_default();
        for target in paths_after(&code, "crate::") {
            deps.insert(target);
        }
        if super_is_root {
            for target in paths_after(&code, "super::") {
                deps.insert(target);
            }
        }
        deps.remove(&module);
        deps.remove("self");
    }
    let known: BTreeSet<String> = graph.keys().cloned().collect();
    for deps in graph.values_mut() {
        deps.retain(|d| known.contains(d));
    }
    graph
}

/// The first segment of every path that follows `prefix`, looking into `{…}` groups.
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level items of the group: split on commas outside nested braces.
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        out.push(first_segment(&group[start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(first_segment(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(first_segment(rest));
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Every cycle's modules, found as strongly connected components of more than one module.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(m) = todo.pop() {
            for d in graph.get(&m).into_iter().flatten() {
                if seen.insert(d.clone()) {
                    todo.push(d.clone());
                }
            }
        }
        seen
    };
    let mut found: Vec<BTreeSet<String>> = Vec::new();
    for m in graph.keys() {
        let from_m = reach(m);
        if !from_m.contains(m) {
            continue;
        }
        let cycle: BTreeSet<String> = from_m
            .iter()
            .filter(|o| reach(o).contains(m))
            .cloned()
            .collect();
        if !found.contains(&cycle) {
            found.push(cycle);
        }
    }
    found
}

#[test]
fn the_import_check_sees_grouped_and_nested_paths() {
    let code = "use crate::{config::X, diag::{self, Y}};\nlet t = crate::text::slugify(x);\nfoo::crate::nope;";
    assert_eq!(paths_after(code, "crate::"), ["config", "diag", "text"]);
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", &["b"][..]),
        ("b", &["c"][..]),
        ("c", &["a"][..]),
        ("d", &["a"][..]),
    ]
    .into_iter()
    .map(|(m, ds)| (m.into(), ds.iter().map(|d| d.to_string()).collect()))
    .collect();
    assert_eq!(
        cycles(&graph),
        [["a", "b", "c"]
            .into_iter()
            .map(String::from)
            .collect::<BTreeSet<_>>()]
    );
}

#[test]
fn modules_import_each_other_without_cycles() {
    let graph = imports(&crate::harness::repo().join("src"));
    assert!(graph.contains_key("render") && graph.contains_key("load"));
    assert_eq!(cycles(&graph), Vec::<BTreeSet<String>>::new(), "{graph:#?}");
}

#[test]
fn no_stage_imports_a_later_stage_and_no_helper_imports_a_stage() {
    let graph = imports(&crate::harness::repo().join("src"));
    let rank = |m: &str| STAGES.iter().position(|s| *s == m);
    let mut wrong = Vec::new();
    for (module, deps) in &graph {
        for dep in deps {
            let backwards = match (rank(module), rank(dep)) {
                (Some(m), Some(d)) => d > m,
                (None, Some(_)) => true,
                _ => false,
            };
            if backwards {
                wrong.push(format!("{module} imports {dep}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn only_load_reads_site_files() {
    // Reading a file by path: the output stage reads its own output folder (to skip
    // unchanged bytes) and the build cache (cards an earlier build drew), and the render
    // watchdog reads the process's memory use.
    let allowed = [
        "load/",
        "output/write.rs",
        "output/cache.rs",
        "render/guard.rs",
    ];
    let src = crate::harness::repo().join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    let mut readers = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&file).expect("read source");
        let reads = ["fs::read(", "fs::read_to_string(", "File::open("]
            .iter()
            .any(|call| text.contains(call));
        if reads && !allowed.iter().any(|a| rel.starts_with(a)) {
            readers.push(rel);
        }
    }
    assert!(readers.is_empty(), "read files outside load/: {readers:?}");
}

#[test]
fn no_production_source_file_is_much_over_six_hundred_lines() {
    // Unit tests at the end of a file (`#[cfg(test)]`) do not count.
    let src = crate::harness::repo().join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    let mut long = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source");
        let production = text
            .lines()
            .take_while(|l| !l.starts_with("#[cfg(test)]"))
            .count();
        if production > 650 {
            long.push(format!("{}: {production} lines", file.display()));
        }
    }
    assert!(long.is_empty(), "split these files: {long:#?}");
}
