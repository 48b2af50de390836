//! Running the render: every page of the site as a job, rendered in parallel, each
//! reusing its cached bytes while nothing it read changed; then the site-wide files.

use super::context::MarkdownMemo;
use super::{Ctx, card, card_store, deps, formats, guard, search, site_files as feeds};
use crate::diag::{self, Code, Diagnostic};
use crate::hash::{Keyed, stable_hash};
use crate::ix::{ArticleIx, EntityIx, EventIx, PageIx, TiVec};
use crate::link::SiteGraph;
use crate::memo::Memo;
use crate::pages::{Bytes, Edited, Joined, Pages, Sink, Store};
use crate::render::formats::FormatsCache;
use crate::render::page_text::PageText;
use crate::render::theme::Theme;
use crate::routes;
use crate::timer::Timer;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// What a render includes beyond the pages themselves.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Inject the live-reload script (only under `gloss serve`).
    pub live_reload: bool,
    /// Build the Pagefind search index (`gloss build`; `check` and `serve` skip the cost).
    pub search: bool,
    /// Pages load the index that `serve` builds in the background from the records a
    /// rebuild hands back (`pipeline::Outcome::search_records`).
    pub search_records: bool,
    /// Draw the social cards the pages announce (`build` and `serve`; `check` skips the
    /// cost), unless `build.social_cards = false`.
    pub cards: bool,
    /// Leave `annotations.jsonld` in its parts, in `Rendered::joined`, rather than join it
    /// into `pages` (`serve`, whose build process sends the parts as they are).
    pub keep_parts: bool,
}

/// One page to render: which template and which part of the graph it shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageJob {
    Index,
    Articles,
    Article(ArticleIx),
    Entities,
    Entity(EntityIx),
    Events,
    Event(EventIx),
    Tags,
    Tag(String),
    Page(PageIx),
    Search,
    NotFound,
    /// `claims/`: every claim, statement and dispute across outlets.
    Claims,
}

/// What a cached render keeps between rebuilds: each page's bytes with the fingerprint of
/// what it read, the Markdown already rendered, and the site-wide outputs.
#[derive(Default)]
pub struct RenderCache {
    global: u64,
    /// Each page by its output path, under the fingerprint of what it read (a one-shot
    /// memo for a single build, which then records nothing anywhere in this cache).
    pages: Memo<String, CachedPage>,
    markdown: MarkdownMemo,
    /// The files left in their parts, under a fingerprint of the whole graph: the other
    /// site-wide files (static files, feeds, open formats, search) are in `output` as
    /// they were made under it.
    site_files: Option<Keyed<Joined>>,
    /// The last render's output, which the next one changes where it changed.
    output: Option<Output>,
    feed: Option<Keyed<Option<Bytes>>>,
    sitemap: Option<Keyed<Bytes>>,
    formats: FormatsCache,
    citations: super::citation_files::CitationsCache,
    /// Cards kept between builds (`gloss build`'s `.gloss-cache/`).
    store: Option<std::sync::Arc<dyn Store>>,
}

impl RenderCache {
    /// A cache for a build that runs once (`gloss build`): nothing will reuse it, so
    /// nothing is recorded in it, which saves recording reads and, at 10,000 articles, a
    /// few hundred megabytes of peak memory.
    pub fn one_shot() -> Self {
        Self {
            pages: Memo::one_shot(),
            citations: super::citation_files::CitationsCache::one_shot(),
            ..Self::default()
        }
    }

    /// Whether this cache is for a build that runs once (see `one_shot`).
    pub fn is_one_shot(&self) -> bool {
        self.pages.is_one_shot()
    }

    /// This cache, taking social cards from `store` and keeping the ones it draws there.
    pub fn with_store(self, store: std::sync::Arc<dyn Store>) -> Self {
        Self {
            store: Some(store),
            ..self
        }
    }
}

/// The output of a cached render, kept so that the next render puts in it only the files
/// that changed: at 10,000 articles it holds some 375,000 files, which making anew on
/// every save took longer than rendering the page that was edited.
#[derive(Default)]
struct Output {
    files: Pages,
    /// The paths of the pages and their cards in `files`, in the jobs' order.
    pages: Vec<String>,
    /// The paths of the site-wide files in `files` other than each article's text and
    /// citation files (which their caches keep track of).
    site: Vec<String>,
}

/// A rendered page as the cache keeps it, under the fingerprint of `deps`.
struct CachedPage {
    deps: Vec<deps::Key>,
    bytes: Bytes,
    /// The page's social card, under a hash of what it shows.
    card: Option<Keyed<Bytes>>,
}

/// The result of a render.
pub struct Rendered {
    pub pages: Pages,
    /// The paths this render put in or took out of the last one's output, which are all
    /// that can have changed since (`None`: the output was made anew).
    pub touched: Option<BTreeSet<String>>,
    /// The files left in their parts (`RenderOptions::keep_parts`).
    pub joined: Joined,
    pub diags: Vec<Diagnostic>,
    /// Pages whose template actually ran this time (the others came from the cache).
    pub rendered: Vec<String>,
}

/// Renders every page and output file of the site, re-running templates only for pages
/// whose recorded inputs changed since `cache` last saw them. With an empty cache this is a
/// full render; with a warm one it must give the same bytes.
///
/// With a `sink`, every output file goes to it as soon as it is final: each page as its
/// template finishes, the site-wide files while Pagefind is still indexing, then the search
/// bundle. What goes to the sink is not kept: `Rendered::pages` holds only what did not
/// (everything, after a template error stopped the site-wide files). Pages rendered before
/// an error have gone to the sink; a build discards them.
pub fn render(
    graph: &SiteGraph,
    theme: &Theme,
    options: &RenderOptions,
    cache: &mut RenderCache,
    sink: Option<&dyn Sink>,
) -> Rendered {
    let mut timer = Timer::new();
    let one_shot = cache.is_one_shot();
    let hashes = deps::Hashes::of(graph);
    timer.lap("  hashes");
    // Templates can loop forever, and Markdown (rendered while the context is prepared) or a
    // template can grow without end; the watchdog ends the process (`serve` renders in a
    // build process of its own, so the server outlives that).
    let watchdog = guard::Watchdog::start(&graph.config.limits, graph.articles.len());
    let mut ctx = Ctx::new(graph, theme, options, &cache.markdown);
    timer.lap("  context");
    let global = stable_hash(&(
        &graph.config,
        theme.fingerprint(),
        options.live_reload,
        &ctx.site_hash,
        ctx.url_map_hash,
    ));
    if global != cache.global {
        cache.pages.clear();
        cache.global = global;
    }
    let jobs = jobs(graph);
    // Everything site-wide (feeds, formats, search) depends on every item; skip it only when nothing changed.
    let extras_key = hashes.fingerprint_all(global ^ u64::from(options.search));
    // The output as the last render left it, or a new one.
    let (mut out, mut edited) = match cache.output.take() {
        Some(mut kept) if !one_shot => {
            let files = Edited::from(std::mem::take(&mut kept.files));
            (kept, files)
        }
        _ => (Output::default(), Edited::fresh()),
    };
    let fresh = edited.is_fresh();
    let extras_cached = cache
        .site_files
        .as_ref()
        .filter(|kept| kept.key == extras_key && !fresh && sink.is_none())
        .map(|kept| kept.value.clone());
    // Pagefind indexes one record at a time, so it runs on a thread of its own while the
    // pages render and are written.
    std::thread::scope(|scope| {
        let search =
            (options.search && cfg!(feature = "search") && extras_cached.is_none()).then(|| {
                scope.spawn(move || {
                    let mut timer = Timer::new();
                    // Built here, not before the pages render, and consumed part by part.
                    let records = search::records(graph);
                    let mut bundle = Pages::new();
                    let out = search::add_index(records, &mut bundle).map(|()| bundle);
                    timer.lap("  search");
                    out
                })
            });
        // A page handed to the sink is written now and dropped: no build holds every page.
        // An article page leaves behind only its text, which the annotations' second target
        // describes.
        let page_texts: std::sync::Mutex<TiVec<ArticleIx, Option<PageText>>> =
            std::sync::Mutex::new(graph.articles.iter().map(|_| None).collect());
        let cards = options.cards && graph.config.build.social_cards;
        let painter = card::Painter::default();
        // Cards come from the persistent store when it has them, under keys that change
        // with the drawing; one that cannot draw the samples keeps nothing.
        let stored = cache
            .store
            .clone()
            .filter(|_| cards)
            .and_then(|store| Some((store, card_store::CardKeys::new(&painter).ok()?)));
        // A page and its card go to the sink together, as soon as both are made.
        let deliver = |job: &PageJob, path: &str, made: Result<Made, Diagnostic>| {
            let made = made?;
            let card = made.card.map(|card| (routes::card(path), card));
            match sink {
                Some(sink) => {
                    if let PageJob::Article(a) = job
                        && let Some(text) = formats::article_page_text(graph, *a, &made.html)
                    {
                        page_texts.lock().unwrap_or_else(|e| e.into_inner())[*a] = Some(text);
                    }
                    sink.put(path, &made.html);
                    if let Some((card_path, card)) = &card {
                        sink.put(card_path, card);
                    }
                    Ok(None)
                }
                None => Ok(Some((made.html, card))),
            }
        };
        // The card of a page whose template ran: the previous one while it shows the same.
        let draw = |path: &str, text: card::CardText| -> Result<Option<Keyed<Bytes>>, Diagnostic> {
            if !cards {
                return Ok(None);
            }
            let key = stable_hash(&text);
            if let Some(old) = cache
                .pages
                .last(path)
                .and_then(|(_, c)| c.card.as_ref())
                .filter(|c| c.key == key)
            {
                return Ok(Some(old.clone()));
            }
            let kept = stored
                .as_ref()
                .map(|(store, keys)| (store, keys.key(&text)));
            if let Some((store, k)) = &kept
                && let Some(png) = store.get(k)
            {
                return Ok(Some(Keyed {
                    key,
                    value: Bytes::from(png),
                }));
            }
            let png = painter.png(&text).map_err(|e| {
                Diagnostic::error(
                    Code::Io,
                    format!("could not draw the social card of {path}: {e}"),
                )
                .help("build without cards: set `social_cards = false` under [build] in site.toml")
            })?;
            if let Some((store, k)) = &kept {
                store.put(k, &png);
            }
            Ok(Some(Keyed {
                key,
                value: Bytes::from(png),
            }))
        };
        let results: Vec<JobResult> = jobs
            .par_iter()
            .map(|job| {
                let path = ctx.job_path(job);
                if let Some((_, hit)) = cache
                    .pages
                    .last(&path)
                    .filter(|(kept, c)| hashes.fingerprint(&c.deps, global) == Some(*kept))
                    .filter(|(_, c)| c.card.is_some() == cards)
                {
                    let made = Made {
                        html: hit.bytes.clone(),
                        card: hit.card.as_ref().map(|c| c.value.clone()),
                    };
                    return JobResult {
                        html: deliver(job, &path, Ok(made)),
                        path,
                        fresh: None,
                        ran: false,
                    };
                }
                let _watched = watchdog.begin(job);
                let run = || {
                    let (template, context, card) = ctx.page(job);
                    theme
                        .render(template, &context)
                        .map(|html| (Bytes::from(ctx.finish(html).into_bytes()), card))
                };
                if one_shot {
                    let made = run().and_then(|(html, text)| {
                        let card = draw(&path, text)?.map(|c| c.value);
                        Ok(Made { html, card })
                    });
                    return JobResult {
                        html: deliver(job, &path, made),
                        path,
                        fresh: None,
                        ran: true,
                    };
                }
                let (html, reads) = deps::recording(run);
                let keys: Vec<deps::Key> = reads.into_iter().map(|r| hashes.key(r)).collect();
                let fingerprint = hashes.fingerprint(&keys, global).unwrap_or_default();
                let drawn = html.and_then(|(html, text)| Ok((html, draw(&path, text)?)));
                let fresh = drawn.as_ref().ok().map(|(bytes, card)| {
                    let page = CachedPage {
                        deps: keys,
                        bytes: bytes.clone(),
                        card: card.clone(),
                    };
                    (fingerprint, page)
                });
                let made = drawn.map(|(html, card)| Made {
                    html,
                    card: card.map(|c| c.value),
                });
                JobResult {
                    html: deliver(job, &path, made),
                    path,
                    fresh,
                    ran: true,
                }
            })
            .collect();
        timer.lap("  templates");
        let mut page_list = Vec::with_capacity(results.len());
        let mut streamed = Vec::new();
        let mut diags = std::mem::take(&mut ctx.html.diags);
        let mut rendered = Vec::new();
        let mut template_errors = BTreeSet::new();
        for result in results {
            match result.html {
                Ok(bytes) => {
                    if result.ran {
                        rendered.push(result.path.clone());
                    }
                    match result.fresh {
                        Some((fingerprint, fresh)) => {
                            cache.pages.keep(result.path.clone(), fingerprint, fresh);
                        }
                        None => cache.pages.carry(result.path.as_str()),
                    }
                    match bytes {
                        Some((bytes, card)) => {
                            page_list.push((result.path, bytes, card, result.ran))
                        }
                        None => streamed.push(result.path),
                    }
                }
                // One broken template fails every page that uses it; say so once.
                Err(e) => {
                    if template_errors.insert((e.file.clone(), e.pos, e.message.clone())) {
                        diags.push(e);
                    }
                }
            }
        }
        // The pages whose templates ran, and their cards, replace the ones the last render
        // put in the output (the others are there as they were); pages that are gone go.
        let mut paths = Vec::with_capacity(2 * page_list.len());
        for (path, bytes, card, ran) in page_list {
            if let Some((card_path, card)) = card {
                if ran || fresh {
                    edited.insert(card_path.clone(), card);
                }
                paths.push(card_path);
            }
            if ran || fresh {
                edited.insert(path.clone(), bytes);
            }
            paths.push(path);
        }
        // Pages come in the jobs' order, so the same list means no page is gone.
        if paths != out.pages {
            let now: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
            for gone in out.pages.iter().filter(|p| !now.contains(p.as_str())) {
                edited.remove(gone);
            }
        }
        out.pages = paths;
        // The pages as rendered, for the annotations' second target.
        let pages = edited.files().clone();
        cache.pages.finish();
        if !one_shot {
            cache.markdown = std::mem::take(&mut ctx.html.memo);
        }
        // Site-wide files go to the sink only from a render without errors, which a build
        // writes; one with errors keeps them, for `check` to look at.
        let sink = sink.filter(|_| !diag::has_errors(&diags));

        let joined = match extras_cached {
            Some(joined) => joined,
            None => {
                // The site-wide files but each article's own (which go to `out` directly).
                let mut extra = Pages::new();
                let mut joined = Joined::new();
                for (name, bytes) in &theme.static_files {
                    extra.insert(name.clone(), Bytes::from(bytes.as_slice()));
                }
                let feed_key = feeds::atom_key(graph, &ctx.site);
                let feed = Keyed::reuse(&mut cache.feed, feed_key, || {
                    feeds::atom(graph, &ctx.site).map(|f| Bytes::from(f.into_bytes()))
                });
                if let Some(feed) = feed {
                    extra.insert(routes::FEED.into(), feed);
                }
                extra.insert(
                    routes::ROBOTS.into(),
                    Bytes::from(
                        feeds::robots(&ctx.site, graph.config.github_pages.cname.trim())
                            .into_bytes(),
                    ),
                );
                extra.insert(routes::NOJEKYLL.into(), Bytes::from(Vec::new()));
                if !graph.config.github_pages.cname.trim().is_empty() {
                    extra.insert(
                        routes::CNAME.into(),
                        Bytes::from(
                            format!("{}\n", graph.config.github_pages.cname.trim()).into_bytes(),
                        ),
                    );
                }
                timer.lap("  feed");
                match sink {
                    Some(sink) => {
                        let texts = std::mem::take(
                            &mut *page_texts.lock().unwrap_or_else(|e| e.into_inner()),
                        );
                        formats::write_all_to(graph, &ctx.site, sink, &texts);
                    }
                    None => {
                        formats::write_all_cached(
                            graph,
                            &ctx.site,
                            &mut extra,
                            options.keep_parts.then_some(&mut joined),
                            &mut edited,
                            &mut cache.formats,
                            &pages,
                        );
                        if one_shot {
                            cache.formats = Default::default();
                        }
                    }
                }
                // Citation files go to the sink as they are made, else with the other
                // site-wide files.
                match sink {
                    Some(sink) => super::citation_files::write_all_to(graph, sink),
                    None => super::citation_files::write_all_cached(
                        graph,
                        &mut cache.citations,
                        &mut extra,
                        &mut edited,
                    ),
                }
                timer.lap("  formats");
                // The sitemap lists pages, and the search bundle has none.
                let page_paths: Vec<&str> = out
                    .pages
                    .iter()
                    .chain(&streamed)
                    .chain(extra.keys())
                    .filter(|p| p.ends_with(routes::INDEX_FILE))
                    .map(String::as_str)
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let sitemap_key = stable_hash(&(&page_paths, &ctx.site.base_url));
                let sitemap = Keyed::reuse(&mut cache.sitemap, sitemap_key, || {
                    Bytes::from(feeds::sitemap(&ctx.site, page_paths.into_iter()).into_bytes())
                });
                extra.insert(routes::SITEMAP.into(), sitemap);
                if let Some(sink) = sink {
                    for (path, bytes) in std::mem::take(&mut extra) {
                        sink.put(&path, &bytes);
                    }
                    timer.lap("  early");
                }
                match search.map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|_| Err("the search indexer stopped unexpectedly".into()))
                }) {
                    Some(Ok(bundle)) => match sink {
                        Some(sink) => {
                            for (path, bytes) in bundle {
                                sink.put(&path, &bytes);
                            }
                        }
                        None => extra.extend(bundle),
                    },
                    Some(Err(e)) => {
                        diags.push(Diagnostic::error(Code::Io, e).help(
                            "build without search: cargo install gloss --no-default-features",
                        ))
                    }
                    None => {}
                }
                timer.lap("  search wait");
                // The site-wide files replace the last render's; those it made and this
                // one did not go.
                for gone in out.site.iter().filter(|p| !extra.contains_key(*p)) {
                    edited.remove(gone);
                }
                out.site = extra.keys().cloned().collect();
                for (path, bytes) in extra {
                    edited.insert(path, bytes);
                }
                // A failed search index must be retried next time, not cached; a build
                // reuses nothing, and what went to the sink is no longer here to cache.
                if !diag::has_errors(&diags) && !one_shot && sink.is_none() {
                    cache.site_files = Some(Keyed {
                        key: extras_key,
                        value: joined.clone(),
                    });
                } else {
                    cache.site_files = None;
                }
                joined
            }
        };
        timer.lap("  extras");
        let (pages, touched) = edited.finish();
        if !one_shot {
            out.files = pages.clone();
            cache.output = Some(out);
        }
        rendered.sort();
        Rendered {
            pages,
            touched,
            joined,
            diags,
            rendered,
        }
    })
}

/// A page's bytes and its card (path, bytes), kept for a render without a sink.
type Kept = (Bytes, Option<(String, Bytes)>);

/// A page's bytes and its social card's, when cards are drawn.
struct Made {
    html: Bytes,
    card: Option<Bytes>,
}

struct JobResult {
    path: String,
    /// The page's bytes and its card, or `None` once handed to the sink.
    html: Result<Option<Kept>, Diagnostic>,
    /// What to cache of a page rendered now, under its fingerprint (none in a one-shot
    /// build).
    fresh: Option<(u64, CachedPage)>,
    /// Whether the template ran (the page was not taken from the cache).
    ran: bool,
}

/// Every page of the site, in a stable order.
pub fn jobs(graph: &SiteGraph) -> Vec<PageJob> {
    let mut jobs = vec![
        PageJob::Index,
        PageJob::Articles,
        PageJob::Entities,
        PageJob::Events,
        PageJob::Tags,
        PageJob::NotFound,
        PageJob::Claims,
    ];
    if cfg!(feature = "search") {
        jobs.push(PageJob::Search);
    }
    jobs.extend(graph.articles.keys().map(PageJob::Article));
    jobs.extend(graph.entities.keys().map(PageJob::Entity));
    jobs.extend(graph.events.keys().map(PageJob::Event));
    jobs.extend(graph.tags.keys().cloned().map(PageJob::Tag));
    jobs.extend(graph.pages.keys().map(PageJob::Page));
    jobs
}
