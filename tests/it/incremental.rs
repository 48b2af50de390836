//! Incremental rebuilds (`serve`, `build --watch`): an edit re-renders only the pages that
//! show what changed, and the result is always byte-identical to a fresh full build.
//!
//! The differential test is the guard against stale partial rebuilds: it applies random
//! sequences of edits of every kind and compares after each one.

use crate::harness::Site;
use camino::Utf8PathBuf;
use gloss::load::Overrides;
use gloss::pipeline;
use gloss::preview::rebuild::{Rebuild, Rebuilder};
use gloss::render::RenderOptions;

fn root(site: &Site) -> Utf8PathBuf {
    Utf8PathBuf::from_path_buf(site.root().to_owned()).expect("utf-8 temp path")
}

/// Replaces the first `from` in a file (random edits may find it once or many times).
fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    site.write(rel, &text.replacen(from, to, 1));
}

/// Makes one edit and rebuilds, which must succeed.
fn rebuilt_after(site: &Site, r: &mut Rebuilder, rel: &str, from: &str, to: &str) -> Rebuild {
    edit(site, rel, from, to);
    let out = r.rebuild(&[]);
    assert!(out.ok, "{:?}", out.diags);
    out
}

fn rebuilder(site: &Site) -> Rebuilder {
    Rebuilder::new(&root(site), Overrides::default(), RenderOptions::default())
}

/// Asserts the incremental result equals a fresh build of the same files, and returns it.
fn assert_same_as_fresh(
    site: &Site,
    rebuilder: &mut Rebuilder,
    changed: &[Utf8PathBuf],
    step: &str,
) -> Rebuild {
    let incremental = rebuilder.rebuild(changed);
    let fresh = pipeline::run(
        &root(site),
        &Overrides::default(),
        &RenderOptions::default(),
        &mut pipeline::Caches::default(),
        None,
    );
    let fresh_ok = !fresh.has_errors() && fresh.pages.is_some();
    assert_eq!(
        incremental.ok, fresh_ok,
        "{step}: ok differs; diagnostics {:?}",
        fresh.diags
    );
    let codes = |d: &[gloss::diag::Diagnostic]| {
        d.iter()
            .map(|d| {
                (
                    d.code,
                    d.file.clone(),
                    d.pos.map(|p| p.line),
                    d.message.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&incremental.diags),
        codes(&fresh.diags),
        "{step}: diagnostics differ"
    );
    if fresh_ok {
        let inc = incremental.pages.as_ref().expect("pages");
        let fresh = fresh.pages.expect("pages");
        let inc_keys: Vec<_> = inc.keys().collect();
        let fresh_keys: Vec<_> = fresh.keys().collect();
        assert_eq!(inc_keys, fresh_keys, "{step}: different files");
        for (path, bytes) in fresh.iter() {
            assert!(inc[path] == *bytes, "{step}: {path} is stale");
        }
    }
    incremental
}

#[test]
fn an_annotation_edit_rerenders_only_the_pages_that_show_it() {
    let site = Site::bundled();
    let mut r = rebuilder(&site);
    let first = r.rebuild(&[]);
    assert!(first.ok);
    assert!(
        first.rendered.len() > 80,
        "a first build renders everything"
    );

    edit(
        &site,
        "content/articles/002_b061b12d1e4ea110.yaml",
        "note: |",
        "note: |\n      Edited note, marker-4711.",
    );
    let second = r.rebuild(&[Utf8PathBuf::from(
        "content/articles/002_b061b12d1e4ea110.yaml",
    )]);
    assert!(second.ok, "{:?}", second.diags);
    let rendered = &second.rendered;
    let pages = second.pages.as_ref().expect("pages");
    let shows_edit =
        |p: &&String| String::from_utf8_lossy(&pages[p.as_str()]).contains("marker-4711");
    let article = rendered
        .iter()
        .filter(|p| p.starts_with("articles/") && p.as_str() != "articles/index.html")
        .find(shows_edit)
        .expect("the edited article is re-rendered and shows the edit");
    // Other articles do not show this note, so they are not re-rendered.
    let other_articles: Vec<_> = rendered
        .iter()
        .filter(|p| {
            p.starts_with("articles/") && *p != article && p.as_str() != "articles/index.html"
        })
        .collect();
    assert!(
        other_articles.len() < 4,
        "only articles citing the edited one re-render: {other_articles:?}"
    );
    assert!(
        rendered.len() < first.rendered.len() / 2,
        "far fewer pages re-render: {rendered:?}"
    );
    assert!(second.changed.contains(article.as_str()));
    assert_same_as_fresh(&site, &mut r, &[], "after the edit");

    // Nothing changed: nothing is re-rendered.
    let third = r.rebuild(&[]);
    assert!(third.rendered.is_empty(), "{:?}", third.rendered);
}

#[test]
fn a_template_change_rerenders_every_page() {
    let site = Site::bundled();
    let mut r = rebuilder(&site);
    let first = r.rebuild(&[]);
    site.write("themes/default/templates/404.html", "{% extends \"base.html\" %}{% block content %}<p>Lost. marker-99</p>{% endblock content %}");
    let second = r.rebuild(&[]);
    assert!(second.ok, "{:?}", second.diags);
    assert_eq!(second.rendered.len(), first.rendered.len());
}

/// A tiny deterministic generator, so a failure names a seed that reproduces it.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One random edit to the site; returns what it did, for failure messages, and the files
/// it touched, as a file watcher would report them.
fn random_edit(site: &Site, rng: &mut Rng, step: usize) -> (String, Vec<Utf8PathBuf>) {
    let mut touched = Vec::new();
    let what = random_edit_of(site, rng, step, &mut touched);
    (what, touched.into_iter().map(Utf8PathBuf::from).collect())
}

fn random_edit_of(site: &Site, rng: &mut Rng, step: usize, touched: &mut Vec<String>) -> String {
    let articles: Vec<String> = std::fs::read_dir(site.path("content/articles"))
        .map(|d| {
            d.flatten()
                .map(|e| format!("content/articles/{}", e.file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default();
    let mut articles = articles;
    articles.sort();
    let pick = |rng: &mut Rng, list: &[String]| {
        list[rng
            .below(list.len().max(1))
            .min(list.len().saturating_sub(1))]
        .clone()
    };
    match rng.below(9) {
        0 if !articles.is_empty() => {
            let a = pick(rng, &articles);
            touched.push(a.clone());
            edit(
                site,
                &a,
                "note: |",
                &format!("note: |\n      Step {step} says more."),
            );
            format!("note edit in {a}")
        }
        1 if !articles.is_empty() => {
            let a = pick(rng, &articles);
            touched.push(a.clone());
            edit(site, &a, "quote: \"", "quote: \"zz-not-in-text ");
            format!("broken quote in {a}")
        }
        2 if !articles.is_empty() => {
            let a = pick(rng, &articles);
            touched.push(a.clone());
            let text = site
                .read(&a)
                .replace("quote: \"zz-not-in-text ", "quote: \"");
            site.write(&a, &text);
            format!("restored quotes in {a}")
        }
        3 => {
            touched.push("content/entities.yaml".into());
            edit(
                site,
                "content/entities.yaml",
                "aliases: [",
                &format!("aliases: [\"Alias{step}\", "),
            );
            "entity alias added".into()
        }
        4 => {
            touched.push("content/events.yaml".into());
            let text = site.read("content/events.yaml");
            let text = if text.contains("date: 2020-10-20\n") {
                text.replacen("date: 2020-10-20\n", "date: 2020-10~\n", 1)
            } else {
                text.replacen("date: 2020-10~\n", "date: 2020-10-20\n", 1)
            };
            site.write("content/events.yaml", &text);
            "event date changed".into()
        }
        5 => {
            touched.push("themes/default/templates/404.html".into());
            site.write("themes/default/templates/404.html", &format!("{{% extends \"base.html\" %}}{{% block content %}}<p>Lost {step}</p>{{% endblock content %}}"));
            "template changed".into()
        }
        6 if articles.len() > 2 => {
            let a = pick(rng, &articles);
            let moved = a.replace("content/articles/", "content/");
            touched.extend([a.clone(), moved.clone()]);
            std::fs::rename(site.path(&a), site.path(&moved)).expect("move");
            format!("annotation file {a} removed")
        }
        7 => {
            // Bring back any annotation file that an earlier step removed.
            for entry in std::fs::read_dir(site.path("content"))
                .expect("content")
                .flatten()
            {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with("00") && name.ends_with(".yaml") {
                    touched.extend([
                        format!("content/{name}"),
                        format!("content/articles/{name}"),
                    ]);
                    std::fs::rename(entry.path(), site.path(&format!("content/articles/{name}")))
                        .expect("move back");
                }
            }
            "annotation files restored".into()
        }
        _ => {
            touched.push("content/briefing.md".into());
            edit(
                site,
                "content/briefing.md",
                "Five",
                &format!("Five ({step})"),
            );
            "briefing edited".into()
        }
    }
}

/// Asserts that a rebuild names as changed exactly the files whose bytes differ from the
/// last good build's (`last`), which it then becomes when the rebuild succeeded.
fn assert_changed_is_the_diff(
    last: &mut Option<std::sync::Arc<gloss::pages::Pages>>,
    rebuild: &Rebuild,
    step: &str,
) {
    let (Some(before), true) = (last.as_ref(), rebuild.ok) else {
        return;
    };
    let after = rebuild.pages.as_ref().expect("pages");
    let differ: std::collections::BTreeSet<String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .cloned()
        .collect();
    assert_eq!(rebuild.changed, differ, "{step}: changed files");
    *last = rebuild.pages.clone();
}

#[test]
fn random_edits_always_match_a_fresh_build() {
    for seed in [1u64, 7, 42] {
        let site = Site::bundled();
        let mut r = rebuilder(&site);
        let mut last = r.rebuild(&[]).pages;
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        for step in 0..12 {
            let (what, _) = random_edit(&site, &mut rng, step);
            let step = format!("seed {seed}, step {step}: {what}");
            let rebuild = assert_same_as_fresh(&site, &mut r, &[], &step);
            assert_changed_is_the_diff(&mut last, &rebuild, &step);
        }
    }
}

/// As under `serve`: once a watcher runs, a rebuild reads only the files it names, and
/// must still match a fresh build after every step.
#[test]
fn random_edits_with_a_watchers_hints_match_a_fresh_build() {
    for seed in [3u64, 11] {
        let site = Site::bundled();
        let mut r = rebuilder(&site);
        r.rebuild(&[]);
        r.watching();
        let mut last = r.rebuild(&[]).pages;
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        for step in 0..12 {
            let (what, touched) = random_edit(&site, &mut rng, step);
            let step = format!("seed {seed}, step {step}: {what}");
            let rebuild = assert_same_as_fresh(&site, &mut r, &touched, &step);
            assert_changed_is_the_diff(&mut last, &rebuild, &step);
        }
    }
}

/// A save made before the watcher started is not in any watcher's report; the first
/// rebuild after `watching` checks every file, so it is still picked up.
#[test]
fn a_save_before_the_watcher_started_is_not_missed() {
    let site = Site::bundled();
    let mut r = rebuilder(&site);
    r.rebuild(&[]);
    let article = "content/articles/000_f984aa62be9d85eb.yaml";
    edit(
        &site,
        article,
        "note: |",
        "note: |\n      Saved before watching.",
    );
    r.watching();
    assert_same_as_fresh(&site, &mut r, &[], "first rebuild while watching");
}

/// A folder replaced as a whole (a branch switch, a sync tool) is reported as the folder,
/// not file by file; every file in it must be looked at again.
#[test]
fn a_folder_replaced_under_a_watcher_is_read_again() {
    let site = Site::bundled();
    let mut r = rebuilder(&site);
    r.rebuild(&[]);
    r.watching();
    r.rebuild(&[]);
    let copy = site.path("content/articles.new");
    std::fs::create_dir_all(&copy).expect("mkdir");
    for entry in std::fs::read_dir(site.path("content/articles"))
        .expect("ls")
        .flatten()
    {
        std::fs::copy(entry.path(), copy.join(entry.file_name())).expect("copy");
    }
    let name = "000_f984aa62be9d85eb.yaml";
    let text = std::fs::read_to_string(copy.join(name)).expect("read");
    std::fs::write(
        copy.join(name),
        text.replacen("note: |", "note: |\n      Replaced with its folder.", 1),
    )
    .expect("write");
    std::fs::rename(
        site.path("content/articles"),
        site.path("content/articles.old"),
    )
    .expect("move");
    std::fs::rename(&copy, site.path("content/articles")).expect("move");
    assert_same_as_fresh(
        &site,
        &mut r,
        &[Utf8PathBuf::from("content/articles")],
        "folder replaced",
    );
}

/// `gloss build` renders without recording anything for reuse; what it writes must be
/// exactly what the cached pipeline that `serve` and `build --watch` run produces.
#[test]
fn a_one_shot_build_writes_what_the_cached_pipeline_renders() {
    let site = Site::bundled();
    site.build().ok();
    let mut written = site.tree("public");
    // The marker that says the folder is gloss's output is the writer's, not a page.
    assert!(written.remove(".gloss-output").is_some());
    let mut caches = pipeline::Caches::default();
    // What `gloss build` renders: the search index and the social cards.
    let options = RenderOptions {
        search: true,
        cards: true,
        ..RenderOptions::default()
    };
    let cached = pipeline::run(
        &root(&site),
        &Overrides::default(),
        &options,
        &mut caches,
        None,
    );
    let pages = cached.pages.expect("pages");
    let rendered: std::collections::BTreeMap<String, Vec<u8>> =
        pages.iter().map(|(p, b)| (p.clone(), b.to_vec())).collect();
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        rendered.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &rendered {
        assert!(written[path] == *bytes, "{path} differs");
    }
}

/// The open formats and citation files are kept per article between rebuilds; each edit
/// below changes what some article's kept parts show without changing the article, and
/// the rebuilt files must show it.
#[test]
fn kept_open_formats_and_citations_follow_names_and_site_settings() {
    let site = Site::bundled();
    let mut r = rebuilder(&site);
    assert!(r.rebuild(&[]).ok);
    let text = |out: &gloss::preview::rebuild::Rebuild, path: &str| {
        let pages = out.pages.as_ref().expect("pages");
        String::from_utf8_lossy(&pages[path]).into_owned()
    };
    let article = "content/articles/002_b061b12d1e4ea110.yaml";
    let cite = "cite/ukrinform-china-mod-ready-to-cooperate.bib";

    let out = rebuilt_after(
        &site,
        &mut r,
        article,
        "note: |",
        "note: |\n      Edited note, marker-5150.",
    );
    assert!(text(&out, "annotations.jsonld").contains("marker-5150"));
    assert_same_as_fresh(&site, &mut r, &[], "after a note edit");

    // The outlet's name is the container of the article's citation, and its annotations'
    // citations name it; the article file is untouched.
    let out = rebuilt_after(
        &site,
        &mut r,
        "content/entities.yaml",
        "name: Ukrinform",
        "name: Ukrinform Wire",
    );
    assert!(
        text(&out, cite).contains("Ukrinform Wire"),
        "{}",
        text(&out, cite)
    );
    assert!(text(&out, "citations.json").contains("(Ukrinform Wire, "));
    assert_same_as_fresh(&site, &mut r, &[], "after renaming an outlet");

    // The site's title labels the annotations and contains every annotation's citation.
    let out = rebuilt_after(
        &site,
        &mut r,
        "site.toml",
        "title = \"",
        "title = \"Retitled 77: ",
    );
    assert!(text(&out, "annotations.jsonld").contains("Retitled 77: "));
    assert!(text(&out, "citations.bib").contains("Retitled 77: "));
    assert_same_as_fresh(&site, &mut r, &[], "after retitling the site");

    // Every URL in them is under the base URL.
    let out = rebuilt_after(
        &site,
        &mut r,
        "site.toml",
        "https://example.github.io/",
        "https://moved.example.org/",
    );
    for path in ["annotations.jsonld", "citations.json", "timeline.json"] {
        let text = text(&out, path);
        assert!(text.contains("https://moved.example.org/"), "{path}");
        assert!(!text.contains("https://example.github.io/"), "{path}");
    }
    assert_same_as_fresh(&site, &mut r, &[], "after moving the site");

    // The site's language is each annotation citation's and each note's.
    let out = rebuilt_after(
        &site,
        &mut r,
        "site.toml",
        "language = \"en\"",
        "language = \"en-GB\"",
    );
    assert!(text(&out, "annotations.jsonld").contains("\"language\": \"en-GB\""));
    assert_same_as_fresh(&site, &mut r, &[], "after changing the site's language");
}

/// The link stage keeps each article's part (its mentions, when it appeared relative to each
/// event, its own warnings) between rebuilds. Here the articles never change, yet what they
/// read of the site-wide tables does: an event's date moves so that a second article is
/// published before it, then an alias makes an article mention an entity it did not.
#[test]
fn unchanged_articles_follow_the_event_dates_and_aliases_they_read() {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"Harbour\"\nbase_url = \"https://example.org/\"\n",
    );
    let entities = "harbour:\n  name: Harbour Authority\n  kind: organization\npilots:\n  name: Pilot Guild\n  kind: organization\n";
    site.write("content/entities.yaml", entities);
    site.write(
        "content/events.yaml",
        "- id: summit\n  date: 2023-02-01\n  title: Harbour summit\n",
    );
    for (id, published, text) in [
        (
            "preview",
            "2023-01-02",
            "The Harbour Authority will hold a summit with the pilots.",
        ),
        (
            "report",
            "2023-02-02",
            "The Harbour Authority held its summit yesterday.",
        ),
    ] {
        site.write(&format!("seeds/{id}.txt"), &format!("{text}\n"));
        site.write(
            &format!("content/articles/{id}.yaml"),
            &format!(
                "title: {id}\npublished: {published}\nannotations:\n  - id: s\n    quote: summit\n    kind: fact\n    note: The summit.\n    events: [summit]\n"
            ),
        );
    }
    let early = |r: &Rebuild| -> Vec<String> {
        r.diags
            .iter()
            .filter(|d| d.code == gloss::diag::Code::ReportBeforeEvent)
            .filter_map(|d| Some(d.file.as_ref()?.to_string()))
            .collect()
    };
    let unused = |r: &Rebuild| -> bool {
        r.diags
            .iter()
            .any(|d| d.code == gloss::diag::Code::UnusedEntity && d.message.contains("`pilots`"))
    };
    let mut r = rebuilder(&site);
    let first = assert_same_as_fresh(&site, &mut r, &[], "first build");
    assert_eq!(early(&first), ["content/articles/preview.yaml"]);
    assert!(unused(&first), "{:?}", first.diags);

    let events = Utf8PathBuf::from("content/events.yaml");
    edit(&site, "content/events.yaml", "2023-02-01", "2023-03-01");
    let later = assert_same_as_fresh(
        &site,
        &mut r,
        std::slice::from_ref(&events),
        "event a month later",
    );
    assert_eq!(
        early(&later),
        [
            "content/articles/preview.yaml",
            "content/articles/report.yaml"
        ]
    );
    let page = later.pages.as_ref().expect("pages");
    let event_page = String::from_utf8_lossy(&page["events/summit/index.html"]);
    assert!(!event_page.contains("id=\"time-report\""), "{event_page}");

    edit(&site, "content/events.yaml", "2023-03-01", "2022-12-31");
    let earlier = assert_same_as_fresh(&site, &mut r, &[events], "event before both");
    assert!(early(&earlier).is_empty(), "{:?}", earlier.diags);

    site.write(
        "content/entities.yaml",
        &entities.replace(
            "name: Pilot Guild\n",
            "name: Pilot Guild\n  aliases: [pilots]\n",
        ),
    );
    let alias = assert_same_as_fresh(
        &site,
        &mut r,
        &[Utf8PathBuf::from("content/entities.yaml")],
        "alias added",
    );
    assert!(!unused(&alias), "{:?}", alias.diags);
    let page = alias.pages.as_ref().expect("pages");
    let entity_page = String::from_utf8_lossy(&page["entities/pilots/index.html"]);
    assert!(entity_page.contains("preview"), "{entity_page}");
}
