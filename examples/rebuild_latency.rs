//! Measures how long one annotation edit takes to rebuild, in process (no watcher, no HTTP).
//!
//! `cargo run --release --example rebuild_latency -- SITE_DIR [EDITS]` copies nothing: it
//! edits the first annotation file of SITE_DIR in place and restores it at the end.

use camino::Utf8PathBuf;
use gloss::load::Overrides;
use gloss::preview::rebuild::Rebuilder;
use gloss::render::RenderOptions;
use std::time::Instant;

// The same allocator as the `gloss` binary, so the figures are the ones `serve` gets.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(Utf8PathBuf::from) else {
        eprintln!("usage: rebuild_latency SITE_DIR [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let mut files: Vec<_> = std::fs::read_dir(root.join("content/articles"))
        .expect("content/articles")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let file = files.first().expect("an annotation file").clone();
    let original = std::fs::read_to_string(&file).expect("read");
    let mut rebuilder = Rebuilder::new(
        &root,
        Overrides::default(),
        RenderOptions {
            live_reload: true,
            ..RenderOptions::default()
        },
    );
    let started = Instant::now();
    let first = rebuilder.rebuild(&[]);
    println!(
        "first build: {:.0} ms, {} pages",
        started.elapsed().as_secs_f64() * 1000.0,
        first.rendered.len()
    );
    // As under `serve`: a watcher names each changed file, after one full check.
    rebuilder.watching();
    rebuilder.rebuild(&[]);
    let changed = [camino::Utf8PathBuf::from(format!(
        "content/articles/{}",
        file.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
    ))];
    let mut times = Vec::new();
    for i in 0..edits {
        let edited = original.replacen("note: |", &format!("note: |\n      Edit number {i}."), 1);
        std::fs::write(&file, edited).expect("write");
        let t = Instant::now();
        let r = rebuilder.rebuild(&changed);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(r.ok, "edit {i} failed to build");
        if i == 0 {
            println!("pages re-rendered by one edit: {}", r.rendered.len());
        }
    }
    std::fs::write(&file, original).expect("restore");
    times.sort_by(f64::total_cmp);
    println!(
        "edit → rebuilt: median {:.1} ms, min {:.1} ms, max {:.1} ms over {edits} edits",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}
