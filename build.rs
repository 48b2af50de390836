//! Embeds the built-in theme (`themes/default/`) into the binary, so a site needs no theme folder.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(root, root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Built-in theme files: (path relative to the theme folder, bytes).\npub static BUILTIN: &[(&str, &[u8])] = &[\n",
    );
    for rel in &files {
        let abs = std::fs::canonicalize(root.join(rel)).expect("theme file exists");
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_theme.rs");
    std::fs::write(out, code).expect("write generated theme list");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let name = rel.to_string_lossy().replace('\\', "/");
            if !name.split('/').any(|part| part.starts_with('.')) {
                files.push(name);
            }
        }
    }
}
