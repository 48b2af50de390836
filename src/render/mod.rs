//! The `render` stage: turns the site graph into output files (path → bytes), rendering
//! every page's template in parallel. Nothing here reads or writes the disk.
//!
//! This file builds the views templates see (one accessor per kind of item, each
//! recording what a page read); `run` schedules the pages and caches them, `context`
//! prepares what all pages share, `body` writes an article's text as HTML, `timeline`
//! builds the home page, `claims` the claims page, `network` the network of actors, and
//! `site_files`, `formats` and `search` make the site-wide files.

mod article;
mod body;
pub mod card;
mod card_fonts;
mod card_pixels;
mod card_store;
mod citation_files;
pub mod citations;
mod claims;
mod context;
pub mod deps;
mod entity;
pub mod formats;
pub mod guard;
mod network;
mod network_layout;
mod page_text;
mod run;
pub mod search;
pub mod site_files;
mod targets;
pub mod theme;
mod timeline;
pub mod timeline_axis;
mod timeline_json;
pub mod timeline_layout;
mod timeline_list;
mod timeline_ticks;
pub mod view;

use crate::diag::Diagnostic;
use crate::ix::{ArticleIx, EntityIx, EventIx};
use crate::link::{CoverageTime, SiteGraph};
use crate::model::AnnotationKind;
pub use crate::pages::{Bytes, Pages};
use crate::render::view::*;
use crate::routes;
use body::{body_blocks, language_label, original_passage, plain_preview, split_first_paragraph};
use context::Prepared;
pub use run::{PageJob, RenderCache, RenderOptions, Rendered, jobs, render};
use site_files as feeds;
pub use timeline::date_view;
// Fx: the caches' maps are rebuilt and probed for every page on every rebuild.
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};

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

impl<'g> Ctx<'g> {
    /// The output path of a page, known before anything is rendered.
    fn job_path(&self, job: &PageJob) -> String {
        let g = self.g;
        let dir = match job {
            PageJob::Index => routes::HOME.to_owned(),
            PageJob::Articles => routes::ARTICLES.to_owned(),
            PageJob::Article(a) => routes::article(&g.articles[*a].slug),
            PageJob::Entities => routes::ENTITIES.to_owned(),
            PageJob::Entity(e) => routes::entity(g.entities[*e].id.as_str()),
            PageJob::Events => routes::EVENTS.to_owned(),
            PageJob::Event(e) => routes::event(g.events[*e].id.as_str()),
            PageJob::Tags => routes::TAGS.to_owned(),
            PageJob::Tag(t) => routes::tag(t),
            PageJob::Page(p) => routes::page(&g.pages[*p].slug),
            PageJob::Search => routes::SEARCH.to_owned(),
            PageJob::NotFound => return routes::NOT_FOUND.to_owned(),
            PageJob::Claims => routes::CLAIMS.to_owned(),
        };
        routes::file(&dir)
    }

    /// The template and context of a page, and what its social card shows. Every graph
    /// read goes through the accessors below, which record it as a dependency of the page.
    fn page(&self, job: &PageJob) -> (&'static str, tera::Context, card::CardText) {
        let g = self.g;
        let diags = &mut Vec::new();
        let mut c = tera::Context::new();
        // The card's kind label and detail line, where they say more than the page kind.
        let (mut card_kind, mut detail) = (None, None);
        let (template, kind, title, description): (&'static str, &'static str, String, String) =
            match job {
                PageJob::Index => {
                    c.insert("index", &self.index_view(diags));
                    (
                        "index.html",
                        "index",
                        g.config.title.clone(),
                        g.config.description.clone(),
                    )
                }
                PageJob::Articles => {
                    deps::read(deps::Kind::ArticleOrder, 0usize);
                    let list: Vec<ArticleRef> = g
                        .article_order
                        .iter()
                        .map(|&a| self.article_ref(a, diags))
                        .collect();
                    c.insert("articles", &list);
                    (
                        "articles.html",
                        "articles",
                        "Articles".into(),
                        format!("All {} annotated articles.", list.len()),
                    )
                }
                PageJob::Article(a) => {
                    let view = self.article_view(*a, diags);
                    let title = view.title.clone();
                    let description = match &g.articles[*a].summary {
                        Some(_) => first_sentence_of(&g.articles[*a].summary),
                        None => article_lead(&g.articles[*a]),
                    };
                    detail = Some(card::article_detail(&view));
                    c.insert("article", &view);
                    ("article.html", "article", title, description)
                }
                PageJob::Entities => {
                    c.insert("groups", &self.entity_groups());
                    c.insert("network", &self.network_view());
                    (
                        "entities.html",
                        "entities",
                        "Entities".into(),
                        "People, organizations and places in the briefing.".into(),
                    )
                }
                PageJob::Entity(e) => {
                    let view = self.entity_view(*e, diags);
                    let (title, description) = (view.name.clone(), view.role.clone());
                    card_kind = Some(format!("Entity · {}", view.kind_label));
                    c.insert("entity", &view);
                    ("entity.html", "entity", title, description)
                }
                PageJob::Events => {
                    deps::read(deps::Kind::EventOrder, 0usize);
                    let list: Vec<EventRef> =
                        g.event_order.iter().map(|&e| self.event_ref(e)).collect();
                    c.insert("events", &list);
                    (
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
                    detail = Some(view.date.display.clone());
                    c.insert("event", &view);
                    ("event.html", "event", title, description)
                }
                PageJob::Tags => {
                    deps::read(deps::Kind::TagList, 0usize);
                    let tags: Vec<TagRef> = g.tags.keys().map(|t| self.tag_ref(t)).collect();
                    c.insert("tags", &tags);
                    (
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
                    ("page.html", "page", page.title.clone(), String::new())
                }
                PageJob::Search => (
                    "search.html",
                    "search",
                    "Search".into(),
                    "Search the briefing.".into(),
                ),
                PageJob::NotFound => ("404.html", "404", "Page not found".into(), String::new()),
                PageJob::Claims => {
                    c.insert("claims", &self.claims_view());
                    (
                        "claims.html",
                        "claims",
                        "Claims".into(),
                        "Every claim, statement and dispute, across the outlets that carried it."
                            .into(),
                    )
                }
            };
        let path = self.job_path(job);
        let dir = routes::dir_of(&path);
        let (card, image) = card::for_page(g, &path, kind, &title, &description, card_kind, detail);
        c.insert("site", &self.site);
        c.insert(
            "page",
            &PageMeta {
                kind,
                title,
                description,
                url: routes::url(&self.root, dir),
                permalink: routes::url(&g.config.base_url, dir),
                image,
            },
        );
        (template, c, card)
    }

    // --- small references ------------------------------------------------------------

    fn entity_ref(&self, e: EntityIx) -> EntityRef {
        deps::read(deps::Kind::Entity, e);
        let ent = &self.g.entities[e];
        EntityRef {
            id: ent.id.to_string(),
            name: ent.name.clone(),
            kind: ent.kind.as_str().into(),
            url: routes::url(&self.root, &routes::entity(ent.id.as_str())),
        }
    }

    fn event_ref(&self, e: EventIx) -> EventRef {
        deps::read(deps::Kind::Event, e);
        let ev = &self.g.events[e];
        EventRef {
            id: ev.id.to_string(),
            title: ev.title.clone(),
            url: routes::url(&self.root, &routes::event(ev.id.as_str())),
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
            url: routes::url(&self.root, &routes::tag(t)),
            count,
        }
    }

    fn article_url(&self, a: ArticleIx) -> String {
        routes::url(&self.root, &routes::article(&self.g.articles[a].slug))
    }

    fn article_ref(&self, a: ArticleIx, diags: &mut Vec<Diagnostic>) -> ArticleRef {
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

    fn article_brief(&self, a: ArticleIx) -> ArticleBrief {
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
    fn read_article(&self, a: ArticleIx) {
        deps::read(deps::Kind::Article, a);
        deps::read(deps::Kind::ArticleLinks, a);
    }

    fn annotation_ref(&self, (a, n): (ArticleIx, usize)) -> AnnotationRef {
        deps::read(deps::Kind::ArticleRef, a);
        deps::read(deps::Kind::AnnotationRefs, a);
        let art = &self.g.articles[a];
        let ann = &art.annotations[n];
        AnnotationRef {
            url: routes::fragment(&self.article_url(a), ann.id.as_str()),
            article_title: art.title.clone(),
            outlet: self.g.article_links[a]
                .outlet
                .map(|o| self.g.entities[o].name.clone()),
            quote: collapse(ann.range.of(art.text(ann.side))),
            kind: ann.kind.as_str().into(),
        }
    }

    fn passage(&self, (a, n): (ArticleIx, usize), diags: &mut Vec<Diagnostic>) -> PassageView {
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
            status: ann.status_name(),
            speaker: self.g.article_links[a].annotations[n]
                .speaker
                .map(|s| self.entity_ref(s)),
            note_html: self.html.notes[a][n].to_string(),
        }
    }

    // --- pages -----------------------------------------------------------------------

    fn event_view(&self, e: EventIx, diags: &mut Vec<Diagnostic>) -> EventView {
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
            report_count: links
                .coverage
                .iter()
                .filter(|c| c.time == CoverageTime::Report)
                .count(),
            kinds: KIND_ORDER
                .iter()
                .filter(|k| {
                    links.coverage.iter().any(|c| {
                        c.annotations
                            .iter()
                            .any(|&n| g.articles[c.article].annotations[n].kind == **k)
                    })
                })
                .map(|k| KindView {
                    kind: k.as_str().into(),
                    label: k.label().into(),
                })
                .collect(),
            coverage: links
                .coverage
                .iter()
                .map(|c| {
                    let anns = &g.articles[c.article].annotations;
                    CoverageView {
                        article: self.article_ref(c.article, diags),
                        time: c.time.as_str(),
                        passages: c
                            .annotations
                            .iter()
                            .map(|&n| self.passage((c.article, n), diags))
                            .collect(),
                        kind_counts: KIND_ORDER
                            .iter()
                            .map(|k| {
                                c.annotations
                                    .iter()
                                    .filter(|&&n| anns[n].kind == *k)
                                    .count()
                            })
                            .collect(),
                        disputed: c
                            .annotations
                            .iter()
                            .filter(|&&n| {
                                anns[n].kind == AnnotationKind::Dispute
                                    || anns[n].status == Some(crate::model::Status::Disputed)
                            })
                            .count(),
                    }
                })
                .collect(),
            prev: links.prev.map(|x| self.event_ref(x)),
            next: links.next.map(|x| self.event_ref(x)),
        }
    }

    fn entity_groups(&self) -> Vec<EntityGroup> {
        deps::read(deps::Kind::EntityList, 0usize);
        for e in self.g.entities.keys() {
            deps::read(deps::Kind::EntityLinks, e);
        }
        let g = self.g;
        let mut by_kind: BTreeMap<crate::model::EntityKind, Vec<EntitySummary>> = BTreeMap::new();
        for (i, ent) in g.entities.iter_enumerated() {
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
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The opening words of an article's text: what a meta description or a feed entry says of
/// an article whose annotator wrote no summary, so no client is left with an empty one.
pub(crate) fn article_lead(art: &crate::anchor::Article) -> String {
    const LENGTH: usize = 200;
    art.blocks
        .iter()
        .find(|b| !b.heading)
        .map(|b| crate::plain::excerpt(&art.seed[b.range.start..b.range.end], LENGTH))
        .unwrap_or_default()
}

fn first_sentence_of(md: &Option<String>) -> String {
    let Some(md) = md else { return String::new() };
    let plain = crate::plain::plain_text(md);
    match plain
        .char_indices()
        .take(300)
        .find(|&(i, c)| c == '.' && plain[i + 1..].starts_with(' '))
    {
        Some((i, _)) => plain[..=i].to_owned(),
        None => plain.chars().take(200).collect(),
    }
}

/// The order in which the theme lists annotation kinds (its legend's order).
const KIND_ORDER: [AnnotationKind; 7] = [
    AnnotationKind::Fact,
    AnnotationKind::Statement,
    AnnotationKind::Claim,
    AnnotationKind::Dispute,
    AnnotationKind::Question,
    AnnotationKind::Context,
    AnnotationKind::Note,
];
