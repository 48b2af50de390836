//! Criterion microbenchmarks for the per-item work a build repeats thousands of times:
//! normalizing and anchoring a quote, matching every entity alias in an article, and
//! rendering a site of one article. Whole builds are timed by `bench/compare.sh`.
//!
//! `cargo bench --bench core`

use camino::Utf8PathBuf;
use criterion::{Criterion, criterion_group, criterion_main};
use gloss::anchor::quote::{SearchText, Selector, anchor};
use gloss::link::mentions::MentionMatcher;
use gloss::load::Overrides;
use gloss::render::RenderOptions;
use gloss::types::EntityId;
use std::hint::black_box;

fn repo(rel: &str) -> Utf8PathBuf {
    Utf8PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The longest of the bundled seeds: a real article, with real typography.
fn seed() -> String {
    let mut seeds: Vec<String> = std::fs::read_dir(repo("seeds"))
        .expect("seeds/")
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    seeds.sort_by_key(|s| std::cmp::Reverse(s.len()));
    seeds.swap_remove(0)
}

fn normalize_and_anchor(c: &mut Criterion) {
    let seed = seed();
    c.bench_function("normalize seed", |b| {
        b.iter(|| gloss::text::normalize(black_box(&seed)))
    });
    let paragraphs = gloss::text::paragraphs(&seed);
    let text = SearchText::new(&seed, &paragraphs);
    // A sentence from the middle of the article, quoted as an analyst would paste it.
    let middle = paragraphs[paragraphs.len() / 2].of(&seed);
    let quote: String = middle
        .split_whitespace()
        .take(12)
        .collect::<Vec<_>>()
        .join(" ");
    let selector = Selector {
        quote: &quote,
        prefix: None,
        suffix: None,
        occurrence: None,
    };
    c.bench_function("anchor a quote", |b| {
        b.iter(|| anchor(&seed, &text, &text, black_box(&selector)).expect("anchors"))
    });
    c.bench_function("index a seed for anchoring", |b| {
        b.iter(|| SearchText::new(black_box(&seed), &paragraphs))
    });
}

fn mentions(c: &mut Criterion) {
    let seed = seed();
    let normalized = gloss::text::normalize_str(&seed);
    // 500 entities of two aliases each, as in the generated benchmark corpus, plus a few
    // that do occur in the article.
    let mut aliases: Vec<(EntityId, String)> = (0..500)
        .flat_map(|i| {
            let id = EntityId(format!("e{i:03}"));
            [
                (id.clone(), format!("Velmar{i} Defense Agency")),
                (id, format!("Velmar{i}")),
            ]
        })
        .collect();
    for name in ["Wu Qian", "Pentagon", "Beijing", "Washington"] {
        aliases.push((EntityId(name.to_lowercase().replace(' ', "-")), name.into()));
    }
    c.bench_function("build the alias automaton (1,004 aliases)", |b| {
        b.iter(|| MentionMatcher::new(black_box(&aliases)))
    });
    let matcher = MentionMatcher::new(&aliases);
    c.bench_function("match every alias in one article", |b| {
        b.iter(|| matcher.find(black_box(&normalized)))
    });
}

fn render_one_article(c: &mut Criterion) {
    let root = repo("tests/fixtures/tiny");
    let (sources, _) = gloss::load::load(&root, &Overrides::default());
    let sources = sources.expect("the tiny fixture loads");
    let theme = gloss::render::theme::Theme::load(&sources.theme).expect("theme");
    let (anchored, _) = gloss::anchor::anchor_all(sources);
    let (graph, _) = gloss::link::link(anchored);
    let options = RenderOptions::default();
    c.bench_function("render a site of one article", |b| {
        b.iter(|| gloss::render::render(black_box(&graph), &theme, &options))
    });
}

criterion_group!(benches, normalize_and_anchor, mentions, render_one_article);
criterion_main!(benches);
