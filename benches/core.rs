//! Criterion microbenchmarks for the per-item work a build repeats thousands of times:
//! normalizing and anchoring a quote, matching every entity alias in an article, and
//! rendering a site of one article; and what the adopted `edtf-core` and `atom_syndication`
//! cost beside a whole in-memory build of the same briefing, measured in the same run.
//! Whole builds against Hugo are timed by `bench/compare.sh`.
//!
//! `cargo bench --bench core`

use camino::Utf8PathBuf;
use criterion::{Criterion, criterion_group, criterion_main};
use gloss::anchor::quote::{SearchText, Selector, anchor};
use gloss::link::mentions::MentionMatcher;
use gloss::load::Overrides;
use gloss::render::RenderOptions;
use gloss::render::view::SiteView;
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
    let (sources, _) =
        gloss::load::load(&root, &Overrides::default(), &mut Default::default(), &[]);
    let Ok(sources) = sources else {
        panic!("the tiny fixture does not load")
    };
    let theme = gloss::render::theme::Theme::load(&sources.theme).expect("theme");
    let (anchored, _) = gloss::anchor::anchor_all(sources, &mut Default::default());
    let (graph, _) = gloss::link::link(anchored, &mut Default::default());
    let options = RenderOptions::default();
    c.bench_function("render a site of one article", |b| {
        b.iter(|| {
            gloss::render::render(
                black_box(&graph),
                &theme,
                &options,
                &mut Default::default(),
                None,
            )
        })
    });
}

/// The adopted crates' share of a build, each beside the whole build of the same site in the
/// same run: every date of the site parsed through gloss's EDTF layer (`edtf-core`), and its
/// Atom feed written (`atom_syndication`). The bundled briefing, and a site of one article.
fn adopted_crates(c: &mut Criterion) {
    let mut group = c.benchmark_group("adopted crates");
    group.sample_size(10);
    for (name, site) in [
        ("bundled briefing", "."),
        ("tiny fixture", "tests/fixtures/tiny"),
    ] {
        let root = repo(site);
        let options = RenderOptions::default();
        group.bench_function(format!("{name}: whole build in memory"), |b| {
            b.iter(|| {
                gloss::pipeline::run(
                    black_box(&root),
                    &Overrides::default(),
                    &options,
                    &mut Default::default(),
                    None,
                )
            })
        });
        let (sources, _) =
            gloss::load::load(&root, &Overrides::default(), &mut Default::default(), &[]);
        let Ok(sources) = sources else {
            panic!("{root} does not load")
        };
        let (anchored, _) = gloss::anchor::anchor_all(sources, &mut Default::default());
        let (graph, _) = gloss::link::link(anchored, &mut Default::default());
        let dates: Vec<&str> = graph
            .articles
            .iter()
            .flat_map(|a| [a.published.as_ref(), a.updated.as_ref()])
            .flatten()
            .chain(graph.events.iter().map(|e| &e.date))
            .map(|d| d.as_str())
            .collect();
        group.bench_function(format!("{name}: parse its {} dates", dates.len()), |b| {
            b.iter(|| {
                for date in &dates {
                    black_box(date.parse::<gloss::edtf::EdtfDate>().expect("a valid date"));
                }
            })
        });
        let site = SiteView {
            title: graph.config.title.clone(),
            description: graph.config.description.clone(),
            base_url: graph.config.base_url.clone(),
            root: graph.config.root_path(),
            language: graph.config.language.clone(),
            author: graph.config.author.clone(),
            as_of: None,
            pages: Vec::new(),
            stylesheet: String::new(),
            feed: true,
            search: false,
            search_bundles: Vec::new(),
            search_languages: Vec::new(),
            live_reload: false,
            generator: String::new(),
        };
        group.bench_function(format!("{name}: write its Atom feed"), |b| {
            b.iter(|| gloss::render::site_files::atom(black_box(&graph), &site))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    normalize_and_anchor,
    mentions,
    render_one_article,
    adopted_crates
);
criterion_main!(benches);
