//! What every page shares, prepared once per render: the site view, and every Markdown
//! text of the site as HTML, reusing what the last render made of unchanged texts.

use super::{Ctx, RenderOptions};
use crate::diag::{Code, Diagnostic};
use crate::hash::stable_hash;
use crate::ix::{ArticleIx, EntityIx, EventIx, PageIx, TiVec};
use crate::link::SiteGraph;
use crate::markdown::Markdown;
use crate::render::theme::Theme;
use crate::render::view::{LinkView, SiteView};
use crate::routes;
use rayon::prelude::*;
// Fx: the memo's maps are rebuilt and probed for every text on every rebuild.
use rustc_hash::FxHashMap as HashMap;

/// Every Markdown field of the site as HTML, rendered once in parallel.
#[derive(Default)]
pub(super) struct Prepared {
    pub(super) summaries: TiVec<ArticleIx, Html>,
    pub(super) notes: TiVec<ArticleIx, Vec<Html>>,
    pub(super) event_summaries: TiVec<EventIx, Html>,
    pub(super) entity_descriptions: TiVec<EntityIx, Html>,
    pub(super) page_bodies: TiVec<PageIx, Html>,
    pub(super) diags: Vec<Diagnostic>,
    /// What the next build can reuse.
    pub(super) memo: MarkdownMemo,
}

/// Markdown rendered by earlier builds, with the broken-link diagnostics it gave: each
/// article's summary and notes under one key, every other text under its own.
#[derive(Default)]
pub(super) struct MarkdownMemo {
    articles: HashMap<u64, ArticleDocs>,
    docs: HashMap<u64, (Html, Vec<Diagnostic>)>,
}

/// An article's summary, then its notes, in order (`None` where there is no text).
type ArticleDocs = std::sync::Arc<[Option<(Html, Vec<Diagnostic>)>]>;

/// Rendered Markdown, shared: a rebuild hands tens of thousands of unchanged notes from
/// the memo to the pages without copying them.
type Html = std::sync::Arc<str>;

impl<'g> Ctx<'g> {
    pub(super) fn new(
        g: &'g SiteGraph,
        theme: &Theme,
        options: &RenderOptions,
        memo: &MarkdownMemo,
    ) -> Self {
        let root = g.config.root_path();
        let css_hash = theme
            .static_files
            .get(routes::STYLESHEET)
            .map_or(0, |b| fnv(b));
        let site = SiteView {
            title: g.config.title.clone(),
            description: g.config.description.clone(),
            base_url: g.config.base_url.clone(),
            root: root.clone(),
            language: g.config.language.clone(),
            author: g.config.author.clone(),
            as_of: g
                .config
                .as_of
                .as_deref()
                .and_then(|d| d.parse::<crate::edtf::EdtfDate>().ok())
                .map(|d| super::date_view(&d)),
            pages: g
                .pages
                .iter()
                .map(|p| LinkView {
                    title: p.title.clone(),
                    url: routes::url(&root, &routes::page(&p.slug)),
                })
                .collect(),
            stylesheet: format!(
                "{}?h={css_hash:08x}",
                routes::url(&root, routes::STYLESHEET)
            ),
            feed: super::site_files::has_feed(g),
            search: cfg!(feature = "search"),
            // Only a build with an index has parts to merge; without, nothing changes with size.
            search_bundles: if options.search || options.search_records {
                crate::render::search::bundle_dirs(crate::render::search::record_count(g))
            } else {
                crate::render::search::bundle_dirs(0)
            },
            search_languages: if options.search || options.search_records {
                crate::render::search::other_language_indexes(g)
                    .into_iter()
                    .map(|(bundle, language)| super::view::LanguageIndex { bundle, language })
                    .collect()
            } else {
                Vec::new()
            },
            live_reload: options.live_reload,
            generator: format!("gloss {}", env!("CARGO_PKG_VERSION")),
        };
        let internal = std::sync::OnceLock::new();
        let url_map_hash = g.link_targets_key();
        let site_hash = stable_hash(&serde_json::to_string(&site).unwrap_or_default());
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
    /// Adds what every page gets after templating: the live-reload hook while serving.
    pub(super) fn finish(&self, mut html: String) -> String {
        if self.live_reload {
            // The base path was checked in site.toml, but an attribute value is escaped anyway.
            let script = format!(
                "<script src=\"{}\" defer></script>",
                crate::html::escape(&routes::url(&self.root, routes::LIVE_RELOAD_SCRIPT))
            );
            match html.rfind("</body>") {
                Some(i) => html.insert_str(i, &script),
                None => html.push_str(&script),
            }
        }
        html
    }

    /// Renders every Markdown field once, reusing last build's HTML for unchanged sources.
    pub(super) fn prepare(&self, memo: &MarkdownMemo) -> Prepared {
        let g = self.g;
        type Doc<'a> = (
            &'a str,
            Option<&'a camino::Utf8Path>,
            Option<crate::diag::Pos>,
        );
        let settings = stable_hash(&(
            self.url_map_hash,
            g.config.build.allow_html,
            &g.config.highlight.theme,
        ));
        // An article's summary and notes all come from its annotation file, so its
        // version stands for all of them: one lookup per article, not one per note.
        let articles: Vec<(u64, ArticleDocs)> = g
            .articles
            .raw
            .par_iter()
            .map(|art| {
                let key = stable_hash(&(art.version, settings));
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
                let key = stable_hash(&(source, file, pos, settings));
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
    pub(super) fn markdown(
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
            language: &self.g.config.language,
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
}

fn g_entities_path() -> camino::Utf8PathBuf {
    "content/entities.yaml".into()
}

fn g_events_path() -> camino::Utf8PathBuf {
    "content/events.yaml".into()
}

fn fnv(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}
