//! The `render` stage: turns the site graph into output files (path → bytes), rendering
//! every page's template in parallel. Nothing here reads or writes the disk.

use crate::anchored::Article;
use crate::diag::{Code, Diagnostic};
use crate::edtf::{EdtfDate, Precision};
use crate::link::{Ix, SiteGraph};
use crate::markdown::Markdown;
use crate::text;
use crate::theme::Theme;
use crate::types::ByteRange;
use crate::view::*;
use crate::{config::LinkMentions, deps, diag, feeds};
use rayon::prelude::*;
// Fx: the caches' maps are rebuilt and probed for every page on every rebuild.
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Output files: path relative to the output root (e.g. `articles/x/index.html`) → bytes.
/// Shared bytes, so a rebuild reuses unchanged pages and the server holds a snapshot cheaply.
pub type Pages = BTreeMap<String, Bytes>;

/// The bytes of one output file.
pub type Bytes = std::sync::Arc<[u8]>;

#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Inject the live-reload script (only under `gloss serve`).
    pub live_reload: bool,
    /// Build the Pagefind search index (`gloss build`; `check` and `serve` skip the cost).
    pub search: bool,
    /// Pages load the index that `serve` builds in the background from the records a
    /// rebuild hands back (`pipeline::Outcome::search_records`).
    pub search_records: bool,
}

/// One page to render: which template and which part of the graph it shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageJob {
    Index,
    Articles,
    Article(Ix),
    Entities,
    Entity(Ix),
    Events,
    Event(Ix),
    Tags,
    Tag(String),
    Page(Ix),
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
    pages: HashMap<String, CachedPage>,
    markdown: MarkdownMemo,
    extras: Option<(u64, Vec<(String, Bytes)>)>,
    feed: Option<(u64, Option<Bytes>)>,
    sitemap: Option<(u64, Bytes)>,
    formats: crate::formats::FormatsCache,
    /// Set for a single build (`gloss build`): nothing will reuse this cache, so nothing
    /// is recorded in it, which saves recording reads and, at 10,000 articles, a few
    /// hundred megabytes of peak memory.
    one_shot: bool,
}

impl RenderCache {
    /// A cache for a build that runs once.
    pub fn one_shot() -> Self {
        Self {
            one_shot: true,
            ..Self::default()
        }
    }
}

struct CachedPage {
    deps: Vec<deps::Key>,
    fingerprint: u64,
    bytes: Bytes,
}

/// The result of a render.
pub struct Rendered {
    pub pages: Pages,
    pub diags: Vec<Diagnostic>,
    /// Pages whose template actually ran this time (the others came from the cache).
    pub rendered: Vec<String>,
}

/// Renders every page and output file of the site.
pub fn render(
    graph: &SiteGraph,
    theme: &Theme,
    options: &RenderOptions,
) -> (Pages, Vec<Diagnostic>) {
    let out = render_cached(graph, theme, options, &mut RenderCache::default());
    (out.pages, out.diags)
}

/// Renders the site, re-running templates only for pages whose recorded inputs changed.
/// With an empty cache this is a full render; with a warm one it must give the same bytes.
pub fn render_cached(
    graph: &SiteGraph,
    theme: &Theme,
    options: &RenderOptions,
    cache: &mut RenderCache,
) -> Rendered {
    render_streaming(graph, theme, options, cache, &mut |_| {})
}

/// `render_cached`, which may also hand finished output files to `early` while Pagefind is
/// still indexing, so `gloss build` can write them meanwhile. `early` sees nothing from a
/// render with errors; `Rendered::pages` holds every file either way.
pub fn render_streaming(
    graph: &SiteGraph,
    theme: &Theme,
    options: &RenderOptions,
    cache: &mut RenderCache,
    early: &mut dyn FnMut(&Pages),
) -> Rendered {
    let mut timer = crate::pipeline::Timer::new();
    let hashes = deps::Hashes::of(graph);
    timer.lap("  hashes");
    // Templates can loop forever, and Markdown (rendered while the context is prepared) or a
    // template can grow without end; the watchdog ends the process (`serve` renders in a
    // build process of its own, so the server outlives that).
    let watchdog = crate::guard::Watchdog::start(&graph.config.limits, graph.articles.len());
    let mut ctx = Ctx::new(graph, theme, options, &cache.markdown);
    timer.lap("  context");
    let global = deps::stable_hash(&(
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
    let extras_cached = cache
        .extras
        .as_ref()
        .filter(|(k, _)| *k == extras_key)
        .map(|(_, e)| e.clone());
    // Pagefind indexes one record at a time, so it runs on a thread of its own while the
    // pages render, and then while they are handed to `early`.
    std::thread::scope(|scope| {
        let search =
            (options.search && cfg!(feature = "search") && extras_cached.is_none()).then(|| {
                let records = crate::search::records(graph);
                scope.spawn(move || {
                    let mut timer = crate::pipeline::Timer::new();
                    let mut bundle = Pages::new();
                    let out =
                        crate::search::add_index(records, &graph.config.language, &mut bundle)
                            .map(|()| bundle);
                    timer.lap("  search");
                    out
                })
            });
        let results: Vec<JobResult> = jobs
            .par_iter()
            .map(|job| {
                let path = ctx.job_path(job);
                if let Some(hit) = cache
                    .pages
                    .get(&path)
                    .filter(|c| hashes.fingerprint(&c.deps, global) == Some(c.fingerprint))
                {
                    return JobResult {
                        path,
                        html: Ok(hit.bytes.clone()),
                        fresh: None,
                        ran: false,
                    };
                }
                let _watched = watchdog.begin(job);
                let run = || {
                    let (template, context) = ctx.page(job);
                    theme
                        .render(template, &context)
                        .map(|html| Bytes::from(ctx.finish(html).into_bytes()))
                };
                if cache.one_shot {
                    return JobResult {
                        path,
                        html: run(),
                        fresh: None,
                        ran: true,
                    };
                }
                let (html, reads) = deps::recording(run);
                let keys: Vec<deps::Key> = reads.into_iter().map(|r| hashes.key(r)).collect();
                let fingerprint = hashes.fingerprint(&keys, global).unwrap_or_default();
                let fresh = html.as_ref().ok().map(|b| CachedPage {
                    deps: keys,
                    fingerprint,
                    bytes: b.clone(),
                });
                JobResult {
                    path,
                    html,
                    fresh,
                    ran: true,
                }
            })
            .collect();
        timer.lap("  templates");
        let mut page_list = Vec::with_capacity(results.len());
        let mut diags = std::mem::take(&mut ctx.html.diags);
        let mut rendered = Vec::new();
        let mut template_errors = BTreeSet::new();
        let mut kept = HashMap::with_capacity_and_hasher(results.len(), Default::default());
        for result in results {
            match result.html {
                Ok(bytes) => {
                    if result.ran {
                        rendered.push(result.path.clone());
                    }
                    if let Some(fresh) = result.fresh {
                        kept.insert(result.path.clone(), fresh);
                    } else if let Some(old) = cache.pages.remove(&result.path) {
                        kept.insert(result.path.clone(), old);
                    }
                    page_list.push((result.path, bytes));
                }
                // One broken template fails every page that uses it; say so once.
                Err(e) => {
                    if template_errors.insert((e.file.clone(), e.pos, e.message.clone())) {
                        diags.push(e);
                    }
                }
            }
        }
        // Built from a list in one go, which is cheaper than inserting page by page.
        let mut pages: Pages = page_list.into_iter().collect();
        cache.pages = kept;
        cache.markdown = std::mem::take(&mut ctx.html.memo);

        let extras = match extras_cached {
            Some(extras) => extras,
            None => {
                let mut extra = Pages::new();
                for (name, bytes) in &theme.static_files {
                    extra.insert(name.clone(), Bytes::from(bytes.as_slice()));
                }
                let feed_key = feeds::atom_key(graph, &ctx.site);
                let feed = match cache.feed.take() {
                    Some((key, bytes)) if key == feed_key => bytes,
                    _ => feeds::atom(graph, &ctx.site).map(|f| Bytes::from(f.into_bytes())),
                };
                cache.feed = Some((feed_key, feed.clone()));
                if let Some(feed) = feed {
                    extra.insert("feed.xml".into(), feed);
                }
                extra.insert(
                    "robots.txt".into(),
                    Bytes::from(feeds::robots(&ctx.site).into_bytes()),
                );
                extra.insert(".nojekyll".into(), Bytes::from(Vec::new()));
                if !graph.config.github_pages.cname.trim().is_empty() {
                    extra.insert(
                        "CNAME".into(),
                        Bytes::from(
                            format!("{}\n", graph.config.github_pages.cname.trim()).into_bytes(),
                        ),
                    );
                }
                timer.lap("  feed");
                crate::formats::write_all_cached(graph, &ctx.site, &mut extra, &mut cache.formats);
                if cache.one_shot {
                    cache.formats = Default::default();
                }
                timer.lap("  formats");
                // The sitemap lists pages, and the search bundle has none.
                let page_paths: Vec<&str> = pages
                    .keys()
                    .chain(extra.keys())
                    .filter(|p| p.ends_with("index.html"))
                    .map(String::as_str)
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let sitemap_key = deps::stable_hash(&(&page_paths, &ctx.site.base_url));
                let sitemap = match cache.sitemap.take() {
                    Some((key, bytes)) if key == sitemap_key => bytes,
                    _ => {
                        Bytes::from(feeds::sitemap(&ctx.site, page_paths.into_iter()).into_bytes())
                    }
                };
                cache.sitemap = Some((sitemap_key, sitemap.clone()));
                extra.insert("sitemap.xml".into(), sitemap);
                if !diag::has_errors(&diags) {
                    early(&pages);
                    early(&extra);
                    timer.lap("  early");
                }
                match search.map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|_| Err("the search indexer stopped unexpectedly".into()))
                }) {
                    Some(Ok(bundle)) => {
                        if !diag::has_errors(&diags) {
                            early(&bundle);
                        }
                        extra.extend(bundle);
                    }
                    Some(Err(e)) => {
                        diags.push(Diagnostic::error(Code::Io, e).help(
                            "build without search: cargo install gloss --no-default-features",
                        ))
                    }
                    None => {}
                }
                timer.lap("  search wait");
                let extras: Vec<(String, Bytes)> = extra.into_iter().collect();
                // A failed search index must be retried next time, not cached.
                if !diag::has_errors(&diags) {
                    cache.extras = Some((extras_key, extras.clone()));
                }
                extras
            }
        };
        timer.lap("  extras");
        pages.extend(extras);
        rendered.sort();
        Rendered {
            pages,
            diags,
            rendered,
        }
    })
}

struct JobResult {
    path: String,
    html: Result<Bytes, Diagnostic>,
    /// What to cache of a page rendered now (none in a one-shot build).
    fresh: Option<CachedPage>,
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
    jobs.extend((0..graph.articles.len()).map(PageJob::Article));
    jobs.extend((0..graph.entities.len()).map(PageJob::Entity));
    jobs.extend((0..graph.events.len()).map(PageJob::Event));
    jobs.extend(graph.tags.keys().cloned().map(PageJob::Tag));
    jobs.extend((0..graph.pages.len()).map(PageJob::Page));
    jobs
}

/// Everything pages share: the graph, URLs, Markdown settings and precomputed summaries.
struct Ctx<'g> {
    g: &'g SiteGraph,
    site: SiteView,
    root: String,
    /// `@/` link targets → URLs, built the first time a Markdown text needs them (a
    /// rebuild that re-renders no Markdown with links never does).
    internal: std::sync::OnceLock<std::collections::HashMap<String, String>>,
    live_reload: bool,
    /// Markdown rendered once, since lists show the same summaries and notes many times.
    html: Prepared,
    /// Tag name → index in `g.tags`, for recording reads.
    tag_ix: HashMap<&'g str, usize>,
    /// Hashes of what every page shows (navigation) and of the `@/` link targets.
    site_hash: u64,
    url_map_hash: u64,
}

/// Every Markdown field of the site as HTML, rendered once in parallel.
#[derive(Default)]
struct Prepared {
    summaries: Vec<Html>,
    notes: Vec<Vec<Html>>,
    event_summaries: Vec<Html>,
    entity_descriptions: Vec<Html>,
    page_bodies: Vec<Html>,
    diags: Vec<Diagnostic>,
    /// What the next build can reuse.
    memo: MarkdownMemo,
}

/// Markdown rendered by earlier builds, with the broken-link diagnostics it gave: each
/// article's summary and notes under one key, every other text under its own.
#[derive(Default)]
struct MarkdownMemo {
    articles: HashMap<u64, ArticleDocs>,
    docs: HashMap<u64, (Html, Vec<Diagnostic>)>,
}

/// An article's summary, then its notes, in order (`None` where there is no text).
type ArticleDocs = std::sync::Arc<[Option<(Html, Vec<Diagnostic>)>]>;

/// Rendered Markdown, shared: a rebuild hands tens of thousands of unchanged notes from
/// the memo to the pages without copying them.
type Html = std::sync::Arc<str>;

impl<'g> Ctx<'g> {
    fn new(g: &'g SiteGraph, theme: &Theme, options: &RenderOptions, memo: &MarkdownMemo) -> Self {
        let root = g.config.root_path();
        let css_hash = theme.static_files.get("style.css").map_or(0, |b| fnv(b));
        let site = SiteView {
            title: g.config.title.clone(),
            description: g.config.description.clone(),
            base_url: g.config.base_url.clone(),
            root: root.clone(),
            language: g.config.language.clone(),
            pages: g
                .pages
                .iter()
                .map(|p| LinkView {
                    title: p.title.clone(),
                    url: format!("{root}pages/{}/", p.slug),
                })
                .collect(),
            stylesheet: format!("{root}style.css?h={css_hash:08x}"),
            feed: feeds::has_feed(g),
            search: cfg!(feature = "search"),
            // Only a build with an index has parts to merge; without, nothing changes with size.
            search_bundles: if options.search || options.search_records {
                crate::search::bundle_dirs(crate::search::record_count(g))
            } else {
                crate::search::bundle_dirs(0)
            },
            live_reload: options.live_reload,
            generator: format!("gloss {}", env!("CARGO_PKG_VERSION")),
        };
        let internal = std::sync::OnceLock::new();
        let url_map_hash = g.link_targets_key();
        let site_hash = deps::stable_hash(&serde_json::to_string(&site).unwrap_or_default());
        let tag_ix = g
            .tags
            .keys()
            .enumerate()
            .map(|(i, t)| (t.as_str(), i))
            .collect();
        let mut ctx = Ctx {
            g,
            site,
            root,
            internal,
            live_reload: options.live_reload,
            html: Prepared::default(),
            tag_ix,
            site_hash,
            url_map_hash,
        };
        ctx.html = ctx.prepare(memo);
        ctx
    }

    /// Renders every Markdown field once, reusing last build's HTML for unchanged sources.
    fn prepare(&self, memo: &MarkdownMemo) -> Prepared {
        let g = self.g;
        type Doc<'a> = (
            &'a str,
            Option<&'a camino::Utf8Path>,
            Option<crate::diag::Pos>,
        );
        let settings = deps::stable_hash(&(
            self.url_map_hash,
            g.config.build.allow_html,
            &g.config.highlight.theme,
        ));
        // An article's summary and notes all come from its annotation file, so its
        // version stands for all of them: one lookup per article, not one per note.
        let articles: Vec<(u64, ArticleDocs)> = g
            .articles
            .par_iter()
            .map(|art| {
                let key = deps::stable_hash(&(art.version, settings));
                if let Some(hit) = memo.articles.get(&key) {
                    return (key, std::sync::Arc::clone(hit));
                }
                let file = art.path.as_deref();
                let render = |source: &str, pos| {
                    let mut d = Vec::new();
                    let html: Html = self.markdown(source, file, pos, &mut d).into();
                    (html, d)
                };
                let docs: Vec<Option<(Html, Vec<Diagnostic>)>> =
                    std::iter::once(art.summary.as_deref().map(|s| render(s, None)))
                        .chain(
                            art.annotations
                                .iter()
                                .map(|ann| ann.note.as_deref().map(|md| render(md, Some(ann.pos)))),
                        )
                        .collect();
                (key, docs.into())
            })
            .collect();
        let events_path = g_events_path();
        let entities_path = g_entities_path();
        // The other documents, in a fixed order: event summaries, entity descriptions, pages.
        let mut docs: Vec<Option<Doc>> = Vec::new();
        docs.extend(g.events.iter().map(|ev| {
            ev.summary
                .as_deref()
                .map(|s| (s, Some(events_path.as_path()), Some(ev.pos)))
        }));
        docs.extend(g.entities.iter().map(|e| {
            e.description
                .as_deref()
                .map(|s| (s, Some(entities_path.as_path()), Some(e.pos)))
        }));
        docs.extend(
            g.pages
                .iter()
                .map(|p| Some((p.body.as_str(), Some(p.path.as_path()), None))),
        );
        let rendered: Vec<Option<(u64, Html, Vec<Diagnostic>)>> = docs
            .par_iter()
            .map(|doc| {
                let (source, file, pos) = (*doc)?;
                let key = deps::stable_hash(&(source, file, pos, settings));
                if let Some((html, d)) = memo.docs.get(&key) {
                    return Some((key, html.clone(), d.clone()));
                }
                let mut d = Vec::new();
                let html = self.markdown(source, file, pos, &mut d);
                Some((key, html.into(), d))
            })
            .collect();
        let mut prepared = Prepared::default();
        prepared.memo.articles.reserve(articles.len());
        for (key, docs) in articles {
            let mut htmls = docs.iter().map(|doc| match doc {
                Some((html, d)) => {
                    prepared.diags.extend(d.iter().cloned());
                    html.clone()
                }
                None => Html::from(""),
            });
            prepared
                .summaries
                .push(htmls.next().unwrap_or_else(|| Html::from("")));
            prepared.notes.push(htmls.collect());
            prepared.memo.articles.insert(key, docs);
        }
        let mut it = rendered.into_iter().map(|r| match r {
            Some((key, html, d)) => {
                prepared.diags.extend(d.iter().cloned());
                prepared.memo.docs.insert(key, (html.clone(), d));
                html
            }
            None => Html::from(""),
        });
        prepared.event_summaries = g
            .events
            .iter()
            .map(|_| it.next().unwrap_or_default())
            .collect();
        prepared.entity_descriptions = g
            .entities
            .iter()
            .map(|_| it.next().unwrap_or_default())
            .collect();
        prepared.page_bodies = g
            .pages
            .iter()
            .map(|_| it.next().unwrap_or_default())
            .collect();
        prepared
    }

    /// Adds what every page gets after templating: the live-reload hook while serving.
    fn finish(&self, mut html: String) -> String {
        if self.live_reload {
            // The base path was checked in site.toml, but an attribute value is escaped anyway.
            let script = format!(
                "<script src=\"{}__gloss/livereload.js\" defer></script>",
                escape(&self.root)
            );
            match html.rfind("</body>") {
                Some(i) => html.insert_str(i, &script),
                None => html.push_str(&script),
            }
        }
        html
    }

    fn markdown(
        &self,
        source: &str,
        file: Option<&camino::Utf8Path>,
        pos: Option<crate::diag::Pos>,
        diags: &mut Vec<Diagnostic>,
    ) -> String {
        let resolve = |p: &str| {
            self.internal
                .get_or_init(|| self.g.link_targets(&self.root))
                .get(p)
                .cloned()
        };
        let md = Markdown {
            allow_html: self.g.config.build.allow_html,
            highlight_theme: &self.g.config.highlight.theme,
            resolve: &resolve,
        };
        let out = md.render(source);
        for link in out.broken_links {
            let mut d = Diagnostic::error(Code::BrokenLink, format!("the link `{link}` names no page"))
                .help("internal links are @/articles/<article id>, @/entities/<entity id>, @/events/<event id>, @/pages/<slug>");
            if let Some(f) = file {
                d = d.in_file(f);
            }
            diags.push(d.at_opt(pos));
        }
        out.html
    }

    /// The output path of a page, known before anything is rendered.
    fn job_path(&self, job: &PageJob) -> String {
        let g = self.g;
        match job {
            PageJob::Index => "index.html".into(),
            PageJob::Articles => "articles/index.html".into(),
            PageJob::Article(a) => format!("articles/{}/index.html", g.articles[*a].slug),
            PageJob::Entities => "entities/index.html".into(),
            PageJob::Entity(e) => format!("entities/{}/index.html", g.entities[*e].id),
            PageJob::Events => "events/index.html".into(),
            PageJob::Event(e) => format!("events/{}/index.html", g.events[*e].id),
            PageJob::Tags => "tags/index.html".into(),
            PageJob::Tag(t) => format!("tags/{}/index.html", text::slugify(t)),
            PageJob::Page(p) => format!("pages/{}/index.html", g.pages[*p].slug),
            PageJob::Search => "search/index.html".into(),
            PageJob::NotFound => "404.html".into(),
            PageJob::Claims => "claims/index.html".into(),
        }
    }

    /// The template and context of a page. Every graph read goes through the accessors
    /// below, which record it as a dependency of the page.
    fn page(&self, job: &PageJob) -> (&'static str, tera::Context) {
        let g = self.g;
        let diags = &mut Vec::new();
        let mut c = tera::Context::new();
        let (path, template, kind, title, description): (
            String,
            &'static str,
            &'static str,
            String,
            String,
        ) = match job {
            PageJob::Index => {
                c.insert("index", &self.index_view(diags));
                (
                    "index.html".into(),
                    "index.html",
                    "index",
                    g.config.title.clone(),
                    g.config.description.clone(),
                )
            }
            PageJob::Articles => {
                deps::read(deps::Kind::ArticleOrder, 0);
                let list: Vec<ArticleRef> = g
                    .article_order
                    .iter()
                    .map(|&a| self.article_ref(a, diags))
                    .collect();
                c.insert("articles", &list);
                (
                    "articles/index.html".into(),
                    "articles.html",
                    "articles",
                    "Articles".into(),
                    format!("All {} annotated articles.", list.len()),
                )
            }
            PageJob::Article(a) => {
                let view = self.article_view(*a, diags);
                let path = format!("articles/{}/index.html", g.articles[*a].slug);
                let title = view.title.clone();
                let description = first_sentence_of(&g.articles[*a].summary);
                c.insert("article", &view);
                (path, "article.html", "article", title, description)
            }
            PageJob::Entities => {
                c.insert("groups", &self.entity_groups());
                (
                    "entities/index.html".into(),
                    "entities.html",
                    "entities",
                    "Entities".into(),
                    "People, organizations and places in the briefing.".into(),
                )
            }
            PageJob::Entity(e) => {
                let view = self.entity_view(*e, diags);
                let (title, description) = (view.name.clone(), view.role.clone());
                c.insert("entity", &view);
                (
                    format!("entities/{}/index.html", g.entities[*e].id),
                    "entity.html",
                    "entity",
                    title,
                    description,
                )
            }
            PageJob::Events => {
                deps::read(deps::Kind::EventOrder, 0);
                let list: Vec<EventRef> =
                    g.event_order.iter().map(|&e| self.event_ref(e)).collect();
                c.insert("events", &list);
                (
                    "events/index.html".into(),
                    "events.html",
                    "events",
                    "Events".into(),
                    "Every dated event in the briefing.".into(),
                )
            }
            PageJob::Event(e) => {
                let view = self.event_view(*e, diags);
                let title = view.title.clone();
                let description = format!(
                    "{} — {}",
                    view.date.display,
                    first_sentence_of(&g.events[*e].summary)
                );
                c.insert("event", &view);
                (
                    format!("events/{}/index.html", g.events[*e].id),
                    "event.html",
                    "event",
                    title,
                    description,
                )
            }
            PageJob::Tags => {
                deps::read(deps::Kind::TagList, 0);
                let tags: Vec<TagRef> = g.tags.keys().map(|t| self.tag_ref(t)).collect();
                c.insert("tags", &tags);
                (
                    "tags/index.html".into(),
                    "tags.html",
                    "tags",
                    "Tags".into(),
                    "Topics across the briefing.".into(),
                )
            }
            PageJob::Tag(t) => {
                if let Some(&ix) = self.tag_ix.get(t.as_str()) {
                    deps::read(deps::Kind::Tag, ix);
                }
                let (articles, events) = &g.tags[t];
                let view = TagView {
                    name: t.clone(),
                    articles: articles
                        .iter()
                        .map(|&a| self.article_ref(a, diags))
                        .collect(),
                    events: events.iter().map(|&e| self.event_ref(e)).collect(),
                };
                c.insert("tag", &view);
                (
                    format!("tags/{}/index.html", text::slugify(t)),
                    "tag.html",
                    "tag",
                    format!("Tag: {t}"),
                    format!("Articles and events tagged {t}."),
                )
            }
            PageJob::Page(p) => {
                deps::read(deps::Kind::Page, *p);
                let page = &g.pages[*p];
                let view = MarkdownPageView {
                    title: page.title.clone(),
                    content_html: self.html.page_bodies[*p].to_string(),
                };
                c.insert("content", &view);
                (
                    format!("pages/{}/index.html", page.slug),
                    "page.html",
                    "page",
                    page.title.clone(),
                    String::new(),
                )
            }
            PageJob::Search => (
                "search/index.html".into(),
                "search.html",
                "search",
                "Search".into(),
                "Search the briefing.".into(),
            ),
            PageJob::NotFound => (
                "404.html".into(),
                "404.html",
                "404",
                "Page not found".into(),
                String::new(),
            ),
            PageJob::Claims => {
                c.insert("claims", &self.claims_view());
                (
                    "claims/index.html".into(),
                    "claims.html",
                    "claims",
                    "Claims".into(),
                    "Every claim, statement and dispute, across the outlets that carried it."
                        .into(),
                )
            }
        };
        let _ = path;
        let path = self.job_path(job);
        let url = format!("{}{}", self.root, path.trim_end_matches("index.html"));
        let permalink = format!(
            "{}{}",
            g.config.base_url,
            path.trim_end_matches("index.html")
        );
        c.insert("site", &self.site);
        c.insert(
            "page",
            &PageMeta {
                kind,
                title,
                description,
                url,
                permalink,
            },
        );
        (template, c)
    }

    // --- small references ------------------------------------------------------------

    fn entity_ref(&self, e: Ix) -> EntityRef {
        deps::read(deps::Kind::Entity, e);
        let ent = &self.g.entities[e];
        EntityRef {
            id: ent.id.to_string(),
            name: ent.name.clone(),
            kind: ent.kind.as_str().into(),
            url: format!("{}entities/{}/", self.root, ent.id),
        }
    }

    fn event_ref(&self, e: Ix) -> EventRef {
        deps::read(deps::Kind::Event, e);
        let ev = &self.g.events[e];
        EventRef {
            id: ev.id.to_string(),
            title: ev.title.clone(),
            url: format!("{}events/{}/", self.root, ev.id),
            date: date_view(&ev.date),
        }
    }

    fn tag_ref(&self, t: &str) -> TagRef {
        if let Some(&ix) = self.tag_ix.get(t) {
            deps::read(deps::Kind::Tag, ix);
        }
        let count = self.g.tags.get(t).map_or(0, |(a, e)| a.len() + e.len());
        TagRef {
            name: t.to_owned(),
            url: format!("{}tags/{}/", self.root, text::slugify(t)),
            count,
        }
    }

    fn article_url(&self, a: Ix) -> String {
        format!("{}articles/{}/", self.root, self.g.articles[a].slug)
    }

    fn article_ref(&self, a: Ix, diags: &mut Vec<Diagnostic>) -> ArticleRef {
        deps::read(deps::Kind::ArticleRef, a);
        let art = &self.g.articles[a];
        let _ = diags;
        let summary_html = self.html.summaries[a].to_string();
        ArticleRef {
            id: art.id.to_string(),
            title: art.title.clone(),
            url: self.article_url(a),
            outlet: self.g.article_links[a].outlet.map(|o| self.entity_ref(o)),
            published: art.published.as_ref().map(date_view),
            summary_html,
            tags: art.tags.iter().map(|t| self.tag_ref(t)).collect(),
            annotation_count: art.annotations.len(),
        }
    }

    fn article_brief(&self, a: Ix) -> ArticleBrief {
        deps::read(deps::Kind::ArticleRef, a);
        let art = &self.g.articles[a];
        ArticleBrief {
            id: art.id.to_string(),
            title: art.title.clone(),
            url: self.article_url(a),
            outlet: self.g.article_links[a].outlet.map(|o| self.entity_ref(o)),
            published: art.published.as_ref().map(date_view),
        }
    }

    /// An article's own content and its links (outlet, mentions) are read together.
    fn read_article(&self, a: Ix) {
        deps::read(deps::Kind::Article, a);
        deps::read(deps::Kind::ArticleLinks, a);
    }

    fn annotation_ref(&self, (a, n): (Ix, usize)) -> AnnotationRef {
        deps::read(deps::Kind::ArticleRef, a);
        deps::read(deps::Kind::AnnotationRefs, a);
        let art = &self.g.articles[a];
        let ann = &art.annotations[n];
        AnnotationRef {
            url: format!("{}#{}", self.article_url(a), ann.id),
            article_title: art.title.clone(),
            outlet: self.g.article_links[a]
                .outlet
                .map(|o| self.g.entities[o].name.clone()),
            quote: collapse(ann.range.of(&art.seed)),
            kind: ann.kind.as_str().into(),
        }
    }

    fn passage(&self, (a, n): (Ix, usize), diags: &mut Vec<Diagnostic>) -> PassageView {
        deps::read(deps::Kind::Notes, a);
        let art = &self.g.articles[a];
        let ann = &art.annotations[n];
        let r = self.annotation_ref((a, n));
        let _ = diags;
        PassageView {
            url: r.url,
            article_title: r.article_title,
            outlet: r.outlet,
            quote: r.quote,
            kind: ann.kind.as_str().into(),
            kind_label: ann.kind.label().into(),
            note_html: self.html.notes[a][n].to_string(),
        }
    }

    // --- pages -----------------------------------------------------------------------

    fn article_view(&self, a: Ix, diags: &mut Vec<Diagnostic>) -> ArticleView {
        self.read_article(a);
        let g = self.g;
        let art = &g.articles[a];
        let links = &g.article_links[a];
        let annotations: Vec<AnnotationView> = art
            .annotations
            .iter()
            .enumerate()
            .map(|(n, ann)| {
                let al = &links.annotations[n];
                AnnotationView {
                    id: ann.id.to_string(),
                    note_id: format!("note-{}", ann.id),
                    number: n + 1,
                    kind: ann.kind.as_str().into(),
                    kind_label: ann.kind.label().into(),
                    status: ann
                        .status
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                    quote: collapse(ann.range.of(&art.seed)),
                    note_html: self.html.notes[a][n].to_string(),
                    speaker: al.speaker.map(|s| self.entity_ref(s)),
                    entities: al.entities.iter().map(|&e| self.entity_ref(e)).collect(),
                    events: al.events.iter().map(|&e| self.event_ref(e)).collect(),
                    see: al.see.iter().map(|&r| self.annotation_ref(r)).collect(),
                    seen_from: al
                        .seen_from
                        .iter()
                        .map(|&r| self.annotation_ref(r))
                        .collect(),
                    source_link: art
                        .url
                        .as_deref()
                        .filter(|u| crate::markdown::is_safe_url(u))
                        .map(|u| text_fragment_link(u, &art.seed, ann.range)),
                }
            })
            .collect();
        let blocks = body_blocks(art, links, self.g.config.build.link_mentions, |e| {
            self.entity_ref(e)
        });
        let mut counts: BTreeMap<Ix, usize> = BTreeMap::new();
        for m in &links.mentions {
            *counts.entry(m.entity).or_default() += 1;
        }
        let mut entities: Vec<MentionCount> = counts
            .into_iter()
            .map(|(e, count)| MentionCount {
                entity: self.entity_ref(e),
                count,
            })
            .collect();
        entities.sort_by(|x, y| {
            y.count
                .cmp(&x.count)
                .then_with(|| x.entity.name.cmp(&y.entity.name))
        });
        let summary_html = self.html.summaries[a].to_string();
        let outlet = links.outlet.map(|o| self.entity_ref(o));
        let mut view = ArticleView {
            id: art.id.to_string(),
            title: art.title.clone(),
            url: self.article_url(a),
            outlet,
            author: art.author.clone(),
            author_entity: links.author.map(|e| self.entity_ref(e)),
            published: art.published.as_ref().map(date_view),
            source_url: art.url.clone().filter(|u| crate::markdown::is_safe_url(u)),
            draft: art.draft,
            tags: art.tags.iter().map(|t| self.tag_ref(t)).collect(),
            summary_html,
            blocks,
            annotations,
            events: links.events.iter().map(|&e| self.event_ref(e)).collect(),
            entities,
            see_also: links
                .see_also
                .iter()
                .map(|&x| self.article_ref(x, diags))
                .collect(),
            related: links
                .related
                .iter()
                .filter(|r| !links.see_also.contains(r))
                .map(|&x| self.article_ref(x, diags))
                .collect(),
            prev: links.prev.map(|x| self.article_ref(x, diags)),
            next: links.next.map(|x| self.article_ref(x, diags)),
            json_ld: String::new(),
            source: SourceView {
                seed: art.seed_path.file_name().unwrap_or_default().to_owned(),
                sha256: art.source.sha256.clone(),
                archived: art.source.archived.clone(),
                retrieved: art.source.retrieved.as_ref().map(date_view),
                language: art
                    .source
                    .language
                    .clone()
                    .unwrap_or_else(|| g.config.language.clone()),
            },
        };
        view.json_ld = feeds::news_article_json_ld(
            &view,
            &g.config.base_url,
            &art.seed,
            &links
                .mentions
                .iter()
                .map(|m| m.entity)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|e| self.entity_ref(e))
                .collect::<Vec<_>>(),
        );
        view
    }

    fn entity_view(&self, e: Ix, diags: &mut Vec<Diagnostic>) -> EntityView {
        deps::read(deps::Kind::Entity, e);
        deps::read(deps::Kind::EntityLinks, e);
        let g = self.g;
        let ent = &g.entities[e];
        let links = &g.entity_links[e];
        let mut groups: Vec<MentionGroup> = Vec::new();
        for &(a, mi) in &links.mentions {
            deps::read(deps::Kind::ArticleText, a);
            let art = &g.articles[a];
            let m = g.article_links[a].mentions[mi];
            let view = MentionView {
                sentence_html: sentence_html(&art.seed, art.blocks[m.block].range, m.range),
                url: format!("{}#m{}", self.article_url(a), mi + 1),
            };
            match groups.last_mut() {
                Some(group) if group.article.id == art.id.as_str() => {
                    if group.mentions.len() < MENTIONS_QUOTED_PER_ARTICLE {
                        group.mentions.push(view);
                    }
                }
                _ => groups.push(MentionGroup {
                    article: self.article_brief(a),
                    mentions: vec![view],
                }),
            }
        }
        EntityView {
            id: ent.id.to_string(),
            name: ent.name.clone(),
            kind: ent.kind.as_str().into(),
            kind_label: ent.kind.label().into(),
            role: ent.role.clone().unwrap_or_default(),
            aliases: ent
                .aliases
                .iter()
                .filter(|a| **a != ent.name)
                .cloned()
                .collect(),
            description_html: self.html.entity_descriptions[e].to_string(),
            links: ent
                .links
                .iter()
                .filter(|l| crate::markdown::is_safe_url(l))
                .cloned()
                .collect(),
            mention_count: links.mentions.len(),
            mentions: groups,
            statements: links
                .statements
                .iter()
                .map(|&r| self.passage(r, diags))
                .collect(),
            passages: links
                .passages
                .iter()
                .map(|&r| self.passage(r, diags))
                .collect(),
            events: links.events.iter().map(|&x| self.event_ref(x)).collect(),
            published: links
                .published
                .iter()
                .map(|&x| self.article_ref(x, diags))
                .collect(),
            bylines: links
                .bylines
                .iter()
                .map(|&x| self.article_ref(x, diags))
                .collect(),
            co_entities: links
                .co_entities
                .iter()
                .map(|&(x, count)| MentionCount {
                    entity: self.entity_ref(x),
                    count,
                })
                .collect(),
        }
    }

    fn event_view(&self, e: Ix, diags: &mut Vec<Diagnostic>) -> EventView {
        deps::read(deps::Kind::Event, e);
        deps::read(deps::Kind::EventLinks, e);
        let g = self.g;
        let ev = &g.events[e];
        let links = &g.event_links[e];
        EventView {
            id: ev.id.to_string(),
            title: ev.title.clone(),
            date: date_view(&ev.date),
            summary_html: self.html.event_summaries[e].to_string(),
            entities: links.entities.iter().map(|&x| self.entity_ref(x)).collect(),
            tags: ev.tags.iter().map(|t| self.tag_ref(t)).collect(),
            coverage: links
                .coverage
                .iter()
                .map(|(a, anns)| CoverageView {
                    article: self.article_ref(*a, diags),
                    passages: anns.iter().map(|&n| self.passage((*a, n), diags)).collect(),
                })
                .collect(),
            prev: links.prev.map(|x| self.event_ref(x)),
            next: links.next.map(|x| self.event_ref(x)),
        }
    }

    /// The claims page. It reads every article, since any annotation can become a claim.
    fn claims_view(&self) -> crate::claims::ClaimsView {
        use crate::claims::{AppearanceView, ClaimRowView, VerdictView};
        let g = self.g;
        deps::read(deps::Kind::ArticleOrder, 0);
        for a in 0..g.articles.len() {
            self.read_article(a);
        }
        let rows = crate::claims::rows(g);
        let mut outlets = BTreeSet::new();
        let mut verdict_texts = Vec::with_capacity(rows.len());
        let views: Vec<ClaimRowView> = rows
            .iter()
            .map(|row| {
                let appearances: Vec<AppearanceView> = row
                    .appearances
                    .iter()
                    .map(|&(a, n)| {
                        let art = &g.articles[a];
                        let ann = &art.annotations[n];
                        outlets.extend(g.article_links[a].outlet);
                        AppearanceView {
                            url: format!("{}#{}", self.article_url(a), ann.id),
                            article: self.article_brief(a),
                            quote: collapse(ann.range.of(&art.seed)),
                            kind: ann.kind.as_str().into(),
                            kind_label: ann.kind.label().into(),
                            status: ann
                                .status
                                .map(|s| s.as_str().to_owned())
                                .unwrap_or_default(),
                            speaker: g.article_links[a].annotations[n]
                                .speaker
                                .map(|s| self.entity_ref(s)),
                            language: art
                                .source
                                .language
                                .clone()
                                .filter(|l| *l != g.config.language),
                        }
                    })
                    .collect();
                let mut speakers: Vec<EntityRef> = Vec::new();
                for s in appearances.iter().filter_map(|ap| ap.speaker.as_ref()) {
                    if !speakers.iter().any(|x| x.id == s.id) {
                        speakers.push(s.clone());
                    }
                }
                let mut kinds: Vec<String> = Vec::new();
                for ap in &appearances {
                    if !kinds.contains(&ap.kind) {
                        kinds.push(ap.kind.clone());
                    }
                }
                let verdict = row.appearances.iter().find_map(|&(a, n)| {
                    let ann = &g.articles[a].annotations[n];
                    let v = ann.verdict.as_ref()?;
                    let mut d = Vec::new();
                    let html = self.markdown(
                        &v.text,
                        g.articles[a].path.as_deref(),
                        Some(ann.pos),
                        &mut d,
                    );
                    Some((
                        v.text.clone(),
                        VerdictView {
                            rating: v.rating.as_str().into(),
                            label: v.rating.label().into(),
                            text_html: html,
                            url: format!("{}#{}", self.article_url(a), ann.id),
                        },
                    ))
                });
                let (verdict_text, verdict) = verdict.unzip();
                verdict_texts.push(verdict_text);
                ClaimRowView {
                    anchor: crate::claims::row_anchor(g, row),
                    claim_id: row.id.clone(),
                    text: appearances
                        .first()
                        .map(|ap| ap.quote.clone())
                        .unwrap_or_default(),
                    speakers,
                    status: crate::claims::row_status(
                        row.appearances
                            .iter()
                            .map(|&(a, n)| g.articles[a].annotations[n].status),
                    ),
                    kinds,
                    appearances,
                    verdict,
                }
            })
            .collect();
        let json_ld = crate::claims::json_ld(
            &views,
            &format!("{}claims/", self.root),
            &g.config.title,
            &verdict_texts,
            &|url| feeds::absolute_url(&g.config.base_url, url),
        );
        crate::claims::ClaimsView {
            shared: views.iter().filter(|r| r.appearances.len() > 1).count(),
            reviewed: views.iter().filter(|r| r.verdict.is_some()).count(),
            outlets: outlets.len(),
            rows: views,
            json_ld,
        }
    }

    fn entity_groups(&self) -> Vec<EntityGroup> {
        deps::read(deps::Kind::EntityList, 0);
        for e in 0..self.g.entities.len() {
            deps::read(deps::Kind::EntityLinks, e);
        }
        let g = self.g;
        let mut by_kind: BTreeMap<crate::model::EntityKind, Vec<EntitySummary>> = BTreeMap::new();
        for (i, ent) in g.entities.iter().enumerate() {
            by_kind.entry(ent.kind).or_default().push(EntitySummary {
                entity: self.entity_ref(i),
                role: ent.role.clone().unwrap_or_default(),
                mention_count: g.entity_links[i].mentions.len(),
            });
        }
        by_kind
            .into_iter()
            .map(|(kind, mut entities)| {
                entities.sort_by(|a, b| {
                    a.entity
                        .name
                        .to_lowercase()
                        .cmp(&b.entity.name.to_lowercase())
                });
                EntityGroup {
                    kind: kind.as_str().into(),
                    label: kind.plural_label().into(),
                    entities,
                }
            })
            .collect()
    }

    fn index_view(&self, diags: &mut Vec<Diagnostic>) -> IndexView {
        for kind in [
            deps::Kind::ArticleOrder,
            deps::Kind::EventOrder,
            deps::Kind::EntityList,
            deps::Kind::Briefing,
        ] {
            deps::read(kind, 0);
        }
        for e in 0..self.g.events.len() {
            deps::read(deps::Kind::EventLinks, e);
        }
        let g = self.g;
        let mut items: Vec<(Option<&EdtfDate>, u8, String, TimelineItem)> = Vec::new();
        for &e in &g.event_order {
            let ev = &g.events[e];
            let r = self.event_ref(e);
            let (start_pct, end_pct) = year_span(&ev.date);
            items.push((
                Some(&ev.date),
                0,
                ev.id.to_string(),
                TimelineItem {
                    kind: "event",
                    title: r.title,
                    url: r.url,
                    date: r.date,
                    summary_html: self.html.event_summaries[e].to_string(),
                    outlet: None,
                    count: g.event_links[e].coverage.len(),
                    start_pct,
                    end_pct,
                    continues: continues_past_year(&ev.date),
                },
            ));
        }
        for &a in &g.article_order {
            let art = &g.articles[a];
            let r = self.article_ref(a, diags);
            let (start_pct, end_pct) = art.published.as_ref().map_or((0.0, 0.0), year_span);
            items.push((
                art.published.as_ref(),
                1,
                art.id.to_string(),
                TimelineItem {
                    kind: "article",
                    title: r.title,
                    url: r.url,
                    date: art.published.as_ref().map_or_else(undated_view, date_view),
                    summary_html: r.summary_html,
                    outlet: r.outlet.map(|o| o.name),
                    count: art.annotations.len(),
                    start_pct,
                    end_pct,
                    continues: art.published.as_ref().is_some_and(continues_past_year),
                },
            ));
        }
        items.sort_by(|a, b| {
            let by_date = match (a.0, b.0) {
                (Some(x), Some(y)) => x.sort_key().cmp(&y.sort_key()),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            by_date.then(a.1.cmp(&b.1)).then_with(|| a.2.cmp(&b.2))
        });
        let mut years: Vec<TimelineYear> = Vec::new();
        let mut undated = Vec::new();
        for (date, _, _, item) in items {
            match date.and_then(EdtfDate::year) {
                Some(y) => {
                    let year = y.to_string();
                    match years.last_mut() {
                        Some(last) if last.year == year => last.items.push(item),
                        _ => years.push(TimelineYear {
                            anchor: format!("y{year}"),
                            year,
                            items: vec![item],
                        }),
                    }
                }
                None => undated.push(item),
            }
        }
        IndexView {
            briefing_html: g
                .briefing
                .as_deref()
                .map(|b| {
                    self.markdown(
                        b,
                        Some(camino::Utf8Path::new("content/briefing.md")),
                        None,
                        diags,
                    )
                })
                .unwrap_or_default(),
            years,
            undated,
            article_count: g.articles.len(),
            event_count: g.events.len(),
            entity_count: g.entities.len(),
            annotation_count: g.articles.iter().map(|a| a.annotations.len()).sum(),
        }
    }
}

fn g_entities_path() -> camino::Utf8PathBuf {
    "content/entities.yaml".into()
}

fn g_events_path() -> camino::Utf8PathBuf {
    "content/events.yaml".into()
}

pub fn date_view(d: &EdtfDate) -> DateView {
    DateView {
        edtf: d.as_str().to_owned(),
        display: d.display(),
        iso: d.start_iso_at_precision().unwrap_or_default(),
        precision: match d.precision() {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        },
        approximate: d.is_approximate(),
        uncertain: d.is_uncertain(),
        interval: d.is_interval(),
        open_end: d.is_interval() && d.end_iso().is_none(),
    }
}

fn undated_view() -> DateView {
    DateView {
        edtf: String::new(),
        display: "Undated".into(),
        iso: String::new(),
        precision: "year",
        approximate: false,
        uncertain: true,
        interval: false,
        open_end: false,
    }
}

/// Where a date falls within its start year, as percentages, for drawing on the timeline.
fn year_span(d: &EdtfDate) -> (f64, f64) {
    let Some((y, m, day)) = d.start_day() else {
        return (0.0, 100.0);
    };
    let start = day_of_year(y, m, day);
    let end = match d.end_day() {
        Some((ey, em, ed)) if ey == y => day_of_year(ey, em, ed) + 1.0,
        Some(_) => 366.0,
        None if d.is_interval() => 366.0,
        None => start + 1.0,
    };
    let pct = |x: f64| (x / 366.0 * 1000.0).round() / 10.0;
    (pct(start), pct(end.max(start + 1.0)).min(100.0))
}

/// Whether a date runs past the end of its start year (drawn with an arrow on the timeline).
fn continues_past_year(d: &EdtfDate) -> bool {
    match (d.start_day(), d.end_day()) {
        (Some((y, _, _)), Some((ey, _, _))) => ey > y,
        (Some(_), None) => d.is_interval(),
        _ => false,
    }
}

fn day_of_year(_y: i32, m: u8, d: u8) -> f64 {
    const BEFORE: [u16; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    f64::from(BEFORE[usize::from(m.clamp(1, 12)) - 1] + u16::from(d.max(1)) - 1)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn first_sentence_of(md: &Option<String>) -> String {
    let Some(md) = md else { return String::new() };
    let plain = collapse(&md.replace(['*', '_', '`', '#', '[', ']'], ""));
    match plain
        .char_indices()
        .take(300)
        .find(|&(i, c)| c == '.' && plain[i + 1..].starts_with(' '))
    {
        Some((i, _)) => plain[..=i].to_owned(),
        None => plain.chars().take(200).collect(),
    }
}

fn fnv(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// A deep link to the passage in the original article, as a URL text fragment.
fn text_fragment_link(url: &str, seed: &str, range: ByteRange) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const FRAGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'_').remove(b'~');
    let words: Vec<&str> = range.of(seed).split_whitespace().collect();
    let enc = |ws: &[&str]| utf8_percent_encode(&ws.join(" "), FRAGMENT).to_string();
    let directive = if words.len() > 10 {
        format!("{},{}", enc(&words[..5]), enc(&words[words.len() - 5..]))
    } else {
        enc(&words)
    };
    let base = url.split('#').next().unwrap_or(url);
    format!("{base}#:~:text={directive}")
}

/// An article's kept paragraphs as HTML: escaped text, highlights as (nested) `<mark>`s,
/// mentions as links. Overlapping annotations are split into flat segments so that the
/// markup always nests properly.
fn body_blocks(
    art: &Article,
    links: &crate::link::ArticleLinks,
    mode: LinkMentions,
    entity_ref: impl Fn(Ix) -> EntityRef,
) -> Vec<BlockView> {
    let mut first_mention: HashMap<Ix, usize> = HashMap::default();
    for (mi, m) in links.mentions.iter().enumerate() {
        first_mention.entry(m.entity).or_insert(mi);
    }
    // Each annotation's note goes with the first block its passage touches.
    let note_block: Vec<Option<usize>> = art
        .annotations
        .iter()
        .map(|a| {
            art.blocks
                .iter()
                .position(|b| b.range.overlaps(a.range) || b.range.start == a.range.start)
        })
        .collect();
    let mut mention_ix = 0;
    // Across blocks: a highlight that spans a paragraph break gets its id only once.
    let mut opened_ann = BTreeSet::new();
    let mut blocks = Vec::with_capacity(art.blocks.len());
    for (bi, block) in art.blocks.iter().enumerate() {
        let br = block.range;
        let anns: Vec<(usize, ByteRange)> = art
            .annotations
            .iter()
            .enumerate()
            .filter(|(_, a)| a.range.overlaps(br))
            .map(|(i, a)| {
                (
                    i,
                    ByteRange::new(a.range.start.max(br.start), a.range.end.min(br.end)),
                )
            })
            .collect();
        let mentions: Vec<(usize, &crate::link::Mention)> = links
            .mentions
            .iter()
            .enumerate()
            .skip(mention_ix)
            .take_while(|(_, m)| m.block == bi)
            .collect();
        mention_ix += mentions.len();
        let mut cuts: BTreeSet<usize> = [br.start, br.end].into_iter().collect();
        for (_, r) in &anns {
            cuts.insert(r.start);
            cuts.insert(r.end);
        }
        for (_, m) in &mentions {
            cuts.insert(m.range.start.clamp(br.start, br.end));
            cuts.insert(m.range.end.clamp(br.start, br.end));
        }
        let cuts: Vec<usize> = cuts.into_iter().collect();
        let mut html = String::with_capacity(br.len() * 2);
        let mut opened_mention = BTreeSet::new();
        let mut mention_cursor = 0;
        for w in cuts.windows(2) {
            let seg = ByteRange::new(w[0], w[1]);
            if seg.is_empty() {
                continue;
            }
            let covering: Vec<(usize, ByteRange)> = anns
                .iter()
                .filter(|(_, r)| r.contains(seg))
                .copied()
                .collect();
            for &(i, r) in &covering {
                let a = &art.annotations[i];
                let first = opened_ann.insert(i);
                let _ = write!(
                    html,
                    "<mark class=\"hl hl-{}\" data-ann=\"{}\"",
                    a.kind.as_str(),
                    escape(a.id.as_str())
                );
                if first {
                    let _ = write!(html, " id=\"{}\" tabindex=\"0\"", escape(a.id.as_str()));
                }
                // The footnote number follows the passage's last segment, as a footnote mark does.
                if seg.end == r.end
                    && !art
                        .blocks
                        .get(bi + 1)
                        .is_some_and(|b| b.range.overlaps(a.range))
                {
                    let _ = write!(html, " data-n=\"{}\"", i + 1);
                }
                let _ = write!(
                    html,
                    " aria-describedby=\"note-{}\">",
                    escape(a.id.as_str())
                );
            }
            // Mentions are sorted and disjoint and segments come in order, so a cursor finds
            // the one covering this segment; a search per segment is quadratic in a paragraph
            // that names an entity a hundred thousand times.
            while mentions
                .get(mention_cursor)
                .is_some_and(|(_, m)| m.range.end <= seg.start)
            {
                mention_cursor += 1;
            }
            let mention = mentions
                .get(mention_cursor)
                .filter(|(_, m)| m.range.contains(seg));
            let mut close_a = "";
            if let Some(&(mi, m)) = mention {
                let link = match mode {
                    LinkMentions::All => true,
                    LinkMentions::First => first_mention.get(&m.entity) == Some(&mi),
                    LinkMentions::None => false,
                };
                let id_attr = if opened_mention.insert(mi) {
                    format!(" id=\"m{}\"", mi + 1)
                } else {
                    String::new()
                };
                if link {
                    let e = entity_ref(m.entity);
                    let _ = write!(
                        html,
                        "<a class=\"mention mention-{}\" href=\"{}\"{id_attr}>",
                        e.kind,
                        escape(&e.url)
                    );
                    close_a = "</a>";
                } else {
                    let _ = write!(html, "<span class=\"mention-plain\"{id_attr}>");
                    close_a = "</span>";
                }
            }
            html.push_str(&escape(seg.of(&art.seed)));
            html.push_str(close_a);
            for _ in &covering {
                html.push_str("</mark>");
            }
        }
        let notes = (0..art.annotations.len())
            .filter(|&i| note_block[i] == Some(bi))
            .collect();
        blocks.push(BlockView {
            kind: if block.heading { "h" } else { "p" },
            html,
            notes,
        });
    }
    blocks
}

/// The sentence around a mention, escaped, with the mention in `<strong>`.
fn sentence_html(seed: &str, block: ByteRange, mention: ByteRange) -> String {
    let text = block.of(seed);
    let (ms, me) = (mention.start - block.start, mention.end - block.start);
    // Look for the sentence's ends only this far out: a paragraph without full stops would
    // otherwise be copied beside each of its mentions, and scanned once per mention.
    let lo = crate::types::floor_char_boundary(text, ms.saturating_sub(SENTENCE_REACH));
    let mut hi = (me + SENTENCE_REACH).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    let start = lo + sentence_start(&text[lo..], ms - lo);
    let end = sentence_end(&text[..hi], me);
    format!(
        "{}{}<strong>{}</strong>{}{}",
        if start == lo && lo > 0 { "…" } else { "" },
        escape(&collapse_keep_edges(&text[start..ms])),
        escape(&text[ms..me]),
        escape(&collapse_keep_edges(&text[me..end])),
        if end == hi && hi < text.len() {
            "…"
        } else {
            ""
        },
    )
}

/// How many bytes of context a mention's sentence may have on either side.
const SENTENCE_REACH: usize = 300;

/// How many mentions of an entity in one article its page quotes; a hostile seed can repeat a
/// name hundreds of thousands of times, and each quote is a sentence.
const MENTIONS_QUOTED_PER_ARTICLE: usize = 100;

fn collapse_keep_edges(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

fn sentence_start(text: &str, at: usize) -> usize {
    let mut best = 0;
    for (i, c) in text[..at].char_indices() {
        if matches!(c, '.' | '!' | '?') {
            // Look past `at`: the sentence after the stop may begin with the mention itself.
            let rest = &text[i + c.len_utf8()..];
            let trimmed = rest.trim_start();
            let next = i + c.len_utf8() + (rest.len() - trimmed.len());
            if rest.len() != trimmed.len()
                && next <= at
                && trimmed
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c == '"' || c == '“')
            {
                best = next;
            }
        }
    }
    best
}

fn sentence_end(text: &str, from: usize) -> usize {
    let after = &text[from..];
    for (i, c) in after.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            // Keep closing quotes with their sentence: `said "yes."` ends after the quote.
            let stop = from + i + c.len_utf8();
            let rest = &text[stop..];
            let quotes: usize = rest
                .chars()
                .take_while(|q| matches!(q, '"' | '”' | '’' | '\''))
                .map(char::len_utf8)
                .sum();
            let tail = &rest[quotes..];
            if tail.is_empty() || tail.starts_with(char::is_whitespace) {
                return stop + quotes;
            }
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_in_a_huge_paragraph_gets_a_bounded_sentence() {
        let text = format!(
            "{}Wu Qian{}",
            "word ".repeat(100_000),
            " word".repeat(100_000)
        );
        let ms = text.find("Wu Qian").expect("mention");
        let got = sentence_html(
            &text,
            ByteRange::new(0, text.len()),
            ByteRange::new(ms, ms + 7),
        );
        assert!(got.len() < 2 * SENTENCE_REACH + 100, "{} bytes", got.len());
        assert!(
            got.starts_with('…') && got.ends_with('…') && got.contains("<strong>Wu Qian</strong>")
        );
    }

    #[test]
    fn sentences() {
        let check = |text: &str, mention: &str, expect: &str| {
            let ms = text.find(mention).expect("mention in text");
            let got = sentence_html(
                text,
                ByteRange::new(0, text.len()),
                ByteRange::new(ms, ms + mention.len()),
            );
            assert_eq!(got, expect, "{text}");
        };
        check(
            "One. Wu Qian said so. Three.",
            "Wu Qian",
            "<strong>Wu Qian</strong> said so.",
        );
        check(
            "He met Xi Jinping in Bali",
            "Xi Jinping",
            "He met <strong>Xi Jinping</strong> in Bali",
        );
        check(
            "A b. C said \"x & y.\" Next",
            "C",
            "<strong>C</strong> said &quot;x &amp; y.&quot;",
        );
    }

    #[test]
    fn fragments() {
        let seed = "a said “hello, world” - fine";
        let r = ByteRange::new(0, seed.len());
        assert_eq!(
            text_fragment_link("https://x.org/a#top", seed, r),
            "https://x.org/a#:~:text=a%20said%20%E2%80%9Chello%2C%20world%E2%80%9D%20%2D%20fine"
        );
    }
}
