//! The `link` stage: resolves every reference between articles, entities and events, and
//! computes what pages show about each other — mentions, backlinks, coverage, related
//! articles and timeline order — as indexes into the anchored data.

mod backlinks;
mod coverage;
pub mod mentions;
mod network;
mod part;
mod related;
mod resolve;
mod warnings;

use backlinks::Backlinks;
pub use coverage::{CoverageTime, REPORTING_DAYS};
use network::Network;
pub use network::{NetworkLink, Tie};
use part::{ArticlePart, tables_key};
use related::{CoEntities, co_entities, rank, related_articles};
use resolve::{Resolver, resolve_see};
use warnings::warnings;

use crate::anchor::{Anchored, Article, Entity, Event, Page};
use crate::config::SiteConfig;
use crate::diag::{Code, Diagnostic, SourceFiles};
use crate::edtf::SortKey;
use crate::hash::Keyed;
use crate::ix::{ArticleIx, EntityIx, EventIx, PageIx, TiSlice, TiVec};
use crate::link::mentions::MentionMatcher;
use crate::memo::Memo;
use crate::routes;
use crate::types::{ByteRange, EntityId};
use rayon::prelude::*;
// Fx: these maps are rebuilt on every `serve` rebuild, and their keys are not hostile.
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug)]
pub struct SiteGraph {
    pub config: SiteConfig,
    pub files: SourceFiles,
    pub briefing: Option<String>,
    pub pages: TiVec<PageIx, Page>,
    pub articles: TiVec<ArticleIx, Arc<Article>>,
    pub entities: TiVec<EntityIx, Entity>,
    pub events: TiVec<EventIx, Event>,
    pub article_links: TiVec<ArticleIx, ArticleLinks>,
    pub entity_links: TiVec<EntityIx, EntityLinks>,
    pub event_links: TiVec<EventIx, EventLinks>,
    /// Articles by published date (undated last), then id.
    pub article_order: Vec<ArticleIx>,
    /// Events by date (§6 order).
    pub event_order: Vec<EventIx>,
    pub tags: Tags,
}

/// Tag → (articles, events), both in timeline order.
pub type Tags = BTreeMap<String, (Vec<ArticleIx>, Vec<EventIx>)>;

impl SiteGraph {
    /// The URL of every page an `@/` link can name (`articles/<id>` → `<base>articles/<slug>/`),
    /// under `base`: the base path for pages, the absolute base URL for files read elsewhere.
    pub fn link_targets(&self, base: &str) -> std::collections::HashMap<String, String> {
        let g = self;
        let mut links = std::collections::HashMap::new();
        for a in &g.articles {
            links.insert(
                routes::link::article(a.id.as_str()),
                routes::url(base, &routes::article(&a.slug)),
            );
        }
        for e in &g.entities {
            links.insert(
                routes::link::entity(e.id.as_str()),
                routes::url(base, &routes::entity(e.id.as_str())),
            );
        }
        for e in &g.events {
            links.insert(
                routes::link::event(e.id.as_str()),
                routes::url(base, &routes::event(e.id.as_str())),
            );
        }
        for p in &g.pages {
            links.insert(
                routes::link::page(&p.slug),
                routes::url(base, &routes::page(&p.slug)),
            );
        }
        for section in routes::link::SECTIONS {
            links.insert(section.into(), format!("{base}{section}/"));
        }
        links.insert(String::new(), base.to_owned());
        links
    }

    /// A hash of what `link_targets` is made of (apart from `base`): it changes exactly
    /// when some `@/` link could resolve differently.
    pub fn link_targets_key(&self) -> u64 {
        let articles: Vec<(&str, &str)> = self
            .articles
            .iter()
            .map(|a| (a.id.as_str(), a.slug.as_str()))
            .collect();
        let entities: Vec<&str> = self.entities.iter().map(|e| e.id.as_str()).collect();
        let events: Vec<&str> = self.events.iter().map(|e| e.id.as_str()).collect();
        let pages: Vec<&str> = self.pages.iter().map(|p| p.slug.as_str()).collect();
        crate::hash::stable_hash(&(articles, entities, events, pages))
    }
}

/// One entity mention in an article's kept text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mention {
    pub entity: EntityIx,
    /// Which text `range` is of: the seed or its translation.
    pub side: crate::model::TextSide,
    /// Range of that text.
    pub range: ByteRange,
    /// Index into the article's blocks.
    pub block: usize,
}

/// A specific annotation: (article, annotation index).
pub type AnnRef = (ArticleIx, usize);

#[derive(Clone, Debug, Default, Hash)]
pub struct ArticleLinks {
    pub outlet: Option<EntityIx>,
    /// The entity the `author` byline names (by its name or an alias), if any.
    pub author: Option<EntityIx>,
    pub mentions: Vec<Mention>,
    pub annotations: Vec<AnnotationLinks>,
    /// Events any annotation reports, in timeline order.
    pub events: Vec<EventIx>,
    /// Articles connected by `see` in either direction.
    pub see_also: Vec<ArticleIx>,
    pub related: Vec<ArticleIx>,
    pub prev: Option<ArticleIx>,
    pub next: Option<ArticleIx>,
}

#[derive(Clone, Debug, Default, Hash)]
pub struct AnnotationLinks {
    pub speaker: Option<EntityIx>,
    pub entities: Vec<EntityIx>,
    pub events: Vec<EventIx>,
    pub see: Vec<AnnRef>,
    pub seen_from: Vec<AnnRef>,
}

#[derive(Debug, Default, Hash)]
pub struct EntityLinks {
    /// (article, index into that article's mentions), in timeline order.
    pub mentions: Vec<(ArticleIx, usize)>,
    pub statements: Vec<AnnRef>,
    pub passages: Vec<AnnRef>,
    pub events: Vec<EventIx>,
    pub published: Vec<ArticleIx>,
    /// Articles whose `author` byline names this entity, in timeline order.
    pub bylines: Vec<ArticleIx>,
    /// Entities mentioned in the same articles, with how many articles they share.
    pub co_entities: Vec<(EntityIx, usize)>,
    /// The entities this one is linked with in the network of actors, by index (shared
    /// with the cache that keeps the network between rebuilds).
    pub network: Arc<[NetworkLink]>,
}

#[derive(Debug, Default, Hash)]
pub struct EventLinks {
    pub entities: Vec<EntityIx>,
    /// The articles whose annotations name this event, in timeline order.
    pub coverage: Vec<Coverage>,
    pub prev: Option<EventIx>,
    pub next: Option<EventIx>,
}

/// One article's passages on an event, and when it was published relative to the event.
#[derive(Clone, Debug, Hash)]
pub struct Coverage {
    pub article: ArticleIx,
    /// Indexes of the article's annotations that name the event.
    pub annotations: Vec<usize>,
    pub time: CoverageTime,
}

/// What earlier runs computed, reused while what it was computed from is unchanged: each
/// article's part (its mentions, references, coverage times and own warnings; matching
/// every alias against every article is most of this stage's work), the alias automaton,
/// and the site-wide passes' results, each under a hash of exactly what it reads.
#[derive(Default)]
pub struct LinkCache {
    parts: Memo<crate::types::ArticleId, Arc<ArticlePart>>,
    matcher: Option<Keyed<Arc<MentionMatcher>>>,
    related: Option<Keyed<TiVec<ArticleIx, Vec<ArticleIx>>>>,
    co_entities: Option<Keyed<CoEntities>>,
    network: Option<Keyed<Network>>,
    backlinks: Option<Keyed<Backlinks>>,
    article_order: Option<Keyed<Vec<ArticleIx>>>,
    tags: Option<Keyed<Tags>>,
}

impl LinkCache {
    /// A cache for a run that happens once: it keeps nothing for reuse.
    pub fn one_shot() -> Self {
        Self {
            parts: Memo::one_shot(),
            ..Self::default()
        }
    }

    fn keeps(&self) -> bool {
        !self.parts.is_one_shot()
    }
}

/// The value `slot` kept under the key `key()` makes, else `compute()`'s, kept in `slot`
/// for the next run when `keep` (a one-shot run neither hashes nor copies anything).
fn reuse<T: Clone>(
    slot: &mut Option<Keyed<T>>,
    keep: bool,
    key: impl FnOnce() -> u64,
    compute: impl FnOnce() -> T,
) -> T {
    if keep {
        Keyed::reuse(slot, key(), compute)
    } else {
        compute()
    }
}

/// Resolves every reference of the anchored site into the `SiteGraph`, reusing the
/// mentions of unchanged articles from `cache` (`LinkCache::default()` for a single run).
pub fn link(anchored: Anchored, cache: &mut LinkCache) -> (SiteGraph, Vec<Diagnostic>) {
    let mut timer = crate::timer::Timer::new();
    let mut diags = Vec::new();
    let Anchored {
        config,
        files,
        articles,
        entities,
        entities_path,
        events,
        events_path,
        broken_events,
        briefing,
        pages,
        orphans,
    } = anchored;
    let articles: TiVec<ArticleIx, Arc<Article>> = articles
        .into_iter()
        .filter(|a| !a.draft || config.build.drafts)
        .collect();
    let entities: TiVec<EntityIx, Entity> = entities.into();
    let events: TiVec<EventIx, Event> = events.into();

    let entity_ix: HashMap<&str, EntityIx> = entities
        .iter_enumerated()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let event_ix: HashMap<&str, EventIx> = events
        .iter_enumerated()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let article_ix: HashMap<&str, ArticleIx> = articles
        .iter_enumerated()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();

    // The first entity to claim a name keeps it, as with mentions.
    let mut entity_names: HashMap<&str, EntityIx> = HashMap::default();
    for (i, e) in entities.iter_enumerated() {
        for name in std::iter::once(&e.name).chain(&e.aliases) {
            entity_names.entry(name.as_str()).or_insert(i);
        }
    }
    let resolver = Resolver {
        entity_ix: &entity_ix,
        entity_names: &entity_names,
        event_ix: &event_ix,
        entities: &entities,
        events: &events,
        broken_events: &broken_events,
    };

    // Events in timeline order (§6), which each article's events follow.
    let mut event_order: Vec<EventIx> = events.keys().collect();
    event_order.sort_by_cached_key(|&e| (events[e].date.sort_key(), &events[e].id));
    let event_rank = rank(&event_order);

    // Mentions: one automaton for every alias of every entity.
    let aliases: Vec<(EntityId, String)> = entities
        .iter()
        .flat_map(|e| {
            std::iter::once(e.name.clone())
                .chain(e.aliases.iter().cloned())
                .map(move |a| (e.id.clone(), a))
        })
        .collect();
    // A part holds entity and event indexes, so a kept one is valid only for the same
    // article and the same tables in the same order.
    let alias_hash = crate::hash::stable_hash(&aliases);
    let tables = tables_key(alias_hash, &events, broken_events.keys());
    let keep = cache.keeps();
    let fingerprint = |article: &Article| crate::hash::stable_hash(&(article.version, tables));
    let matcher = std::sync::OnceLock::new();
    if let Some(kept) = cache.matcher.take().filter(|k| k.key == alias_hash) {
        let _ = matcher.set(kept.value);
    }
    let (fingerprints, parts): (Vec<u64>, Vec<Arc<ArticlePart>>) = articles
        .raw
        .par_iter()
        .map(|article| {
            let fp = fingerprint(article);
            let part = match cache.parts.get(&article.id, fp) {
                Some(kept) => kept.clone(),
                None => Arc::new(ArticlePart::new(
                    article,
                    &resolver,
                    &event_rank,
                    || matcher.get_or_init(|| Arc::new(MentionMatcher::new(&aliases))),
                    keep,
                )),
            };
            (fp, part)
        })
        .unzip();
    let mut parts: TiVec<ArticleIx, Arc<ArticlePart>> = parts.into();
    if keep {
        for ((a, fp), part) in articles.iter().zip(fingerprints).zip(&parts) {
            cache.parts.keep(a.id.clone(), fp, part.clone());
        }
        if let Some(value) = matcher.into_inner() {
            cache.matcher = Some(Keyed {
                key: alias_hash,
                value,
            });
        }
    }
    cache.parts.finish();
    // A part no cache holds (a one-shot run) gives up its links; a kept one lends a copy.
    let mut article_links: TiVec<ArticleIx, ArticleLinks> = TiVec::with_capacity(parts.len());
    for part in &mut parts {
        let links = match Arc::get_mut(part) {
            Some(own) => {
                diags.append(&mut own.diags);
                std::mem::take(&mut own.links)
            }
            None => {
                diags.extend(part.diags.iter().cloned());
                part.links.clone()
            }
        };
        article_links.push(links);
    }
    for orphan in &orphans {
        let file = &orphan.path;
        let anns = &orphan.annotations;
        for r in orphan
            .outlet
            .iter()
            .chain(anns.iter().flat_map(|a| &a.speaker))
        {
            resolver.entity(r, file, &mut diags);
        }
        for a in anns {
            resolver.entities(&a.entities, file, &mut diags);
            resolver.events(&a.events, file, &mut diags);
        }
    }

    for entities in broken_events.values() {
        resolver.entities(entities, &events_path, &mut diags);
    }

    timer.lap("  mentions");
    // `see` references name annotations by id; an article's ids are gathered when a `see`
    // first names it.
    let mut ann_ix = resolve::AnnotationIds::default();
    let mut backlinks: Vec<(AnnRef, AnnRef)> = Vec::new();
    for (ai, article) in articles.iter_enumerated() {
        for (ni, ann) in article.annotations.iter().enumerate() {
            for r in &ann.see {
                match resolve_see(&r.id, ai, &article_ix, &mut ann_ix, &articles) {
                    Ok(None) => {}
                    Ok(Some(target)) => {
                        article_links[ai].annotations[ni].see.push(target);
                        backlinks.push((target, (ai, ni)));
                    }
                    Err((help, fix)) => diags.push(
                        Diagnostic::error(
                            Code::UnknownReference,
                            format!("`see: {}` does not name an annotation", r.id),
                        )
                        .in_file(article.path.as_ref().unwrap_or(&article.seed_path))
                        .at(r.pos)
                        .help(help)
                        .fix(fix),
                    ),
                }
            }
        }
    }
    // An annotation whose quote failed links nowhere, but a mistyped `see` in it is a
    // mistake of its own.
    for (ai, article) in articles.iter_enumerated() {
        for r in article.unanchored.iter().flat_map(|u| &u.see) {
            if let Err((help, fix)) = resolve_see(&r.id, ai, &article_ix, &mut ann_ix, &articles) {
                diags.push(
                    Diagnostic::error(
                        Code::UnknownReference,
                        format!("`see: {}` does not name an annotation", r.id),
                    )
                    .in_file(article.path.as_ref().unwrap_or(&article.seed_path))
                    .at(r.pos)
                    .help(help)
                    .fix(fix),
                );
            }
        }
    }
    for ((ta, tn), from) in backlinks {
        article_links[ta].annotations[tn].seen_from.push(from);
        if ta != from.0 {
            article_links[ta].see_also.push(from.0);
            article_links[from.0].see_also.push(ta);
        }
    }

    timer.lap("  see");
    // Timeline orders.
    let article_order = reuse(
        &mut cache.article_order,
        keep,
        || crate::hash::stable_hash(&parts_hashes(&parts, |h| h.order)),
        || {
            let mut order: Vec<ArticleIx> = articles.keys().collect();
            order.sort_by(|&a, &b| {
                date_order(parts[a].date.as_ref(), parts[b].date.as_ref())
                    .then_with(|| articles[a].id.cmp(&articles[b].id))
            });
            order
        },
    );
    let article_rank = rank(&article_order);
    for w in article_order.windows(2) {
        article_links[w[0]].next = Some(w[1]);
        article_links[w[1]].prev = Some(w[0]);
    }

    for links in &mut article_links {
        links.see_also.sort_by_key(|&a| article_rank[a]);
        links.see_also.dedup();
        for ann in &mut links.annotations {
            ann.seen_from.sort_by_key(|&(a, n)| (article_rank[a], n));
        }
    }

    // Entities and events, seen from the articles.
    let mut entity_links: TiVec<EntityIx, EntityLinks> =
        entities.iter().map(|_| EntityLinks::default()).collect();
    let mut event_links: TiVec<EventIx, EventLinks> =
        events.iter().map(|_| EventLinks::default()).collect();
    for (ei, event) in events.iter_enumerated() {
        let ids = resolver.entities(&event.entities, &events_path, &mut diags);
        for &en in &ids {
            entity_links[en].events.push(ei);
        }
        event_links[ei].entities = ids;
    }
    // Each site-wide pass is keyed by the hashes of what it reads of every article: an edit
    // that changes none of that (a note, a quote elsewhere) reuses its result.
    let n = entities.len();
    reuse(
        &mut cache.backlinks,
        keep,
        || {
            let refs = parts_hashes(&parts, |h| h.refs);
            crate::hash::stable_hash(&(n, events.len(), refs, &article_order))
        },
        || Backlinks::of(&article_links, &parts, &article_order, n, events.len()),
    )
    .fill(&mut entity_links, &mut event_links);
    for w in event_order.windows(2) {
        event_links[w[0]].next = Some(w[1]);
        event_links[w[1]].prev = Some(w[0]);
    }
    for links in &mut entity_links {
        links.events.sort_by_key(|&e| event_rank[e]);
        links.events.dedup();
    }
    timer.lap("  backlinks");
    let co = reuse(
        &mut cache.co_entities,
        keep,
        || crate::hash::stable_hash(&(n, parts_hashes(&parts, |h| h.present))),
        || co_entities(&article_links, n),
    );
    for (links, list) in entity_links.iter_mut().zip(co) {
        links.co_entities = list;
    }
    timer.lap("  co-entities");
    let net = reuse(
        &mut cache.network,
        keep,
        || crate::hash::stable_hash(&(n, parts_hashes(&parts, |h| h.ties), &article_rank)),
        || network::network(&article_links, &article_rank, n),
    );
    for (links, list) in entity_links.iter_mut().zip(net) {
        links.network = list;
    }
    timer.lap("  network");
    let related = reuse(
        &mut cache.related,
        keep,
        || crate::hash::stable_hash(&(parts_hashes(&parts, |h| h.features), &article_rank)),
        || related_articles(&articles, &article_links, &article_rank),
    );
    for (links, list) in article_links.iter_mut().zip(related) {
        links.related = list;
    }
    timer.lap("  related");

    let tags = reuse(
        &mut cache.tags,
        keep,
        || {
            let event_tags: Vec<&Vec<String>> = events.iter().map(|e| &e.tags).collect();
            let articles = parts_hashes(&parts, |h| h.tags);
            crate::hash::stable_hash(&(articles, &article_order, event_tags, &event_order))
        },
        || tags(&articles, &article_order, &events, &event_order),
    );

    warnings(
        &entities,
        &entity_links,
        &entities_path,
        &events,
        &event_links,
        &events_path,
        &articles,
        &mut diags,
    );
    for part in &mut parts {
        match Arc::get_mut(part) {
            Some(own) => diags.append(&mut own.warnings),
            None => diags.extend(part.warnings.iter().cloned()),
        }
    }

    let graph = SiteGraph {
        config,
        files,
        briefing,
        pages: pages.into(),
        articles,
        entities,
        events,
        article_links,
        entity_links,
        event_links,
        article_order,
        event_order,
        tags,
    };
    (graph, diags)
}

/// Tag → (articles, events), each in timeline order.
fn tags(
    articles: &TiSlice<ArticleIx, Arc<Article>>,
    article_order: &[ArticleIx],
    events: &TiSlice<EventIx, Event>,
    event_order: &[EventIx],
) -> Tags {
    let mut tags = Tags::new();
    for &ai in article_order {
        for t in &articles[ai].tags {
            let list = &mut tags.entry(t.clone()).or_default().0;
            if list.last() != Some(&ai) {
                list.push(ai);
            }
        }
    }
    for &ei in event_order {
        for t in &events[ei].tags {
            tags.entry(t.clone()).or_default().1.push(ei);
        }
    }
    tags
}

/// One of the hashes of every article's part, in article order.
fn parts_hashes(
    parts: &TiSlice<ArticleIx, Arc<ArticlePart>>,
    which: impl Fn(&part::PartHashes) -> u64,
) -> Vec<u64> {
    parts.iter().map(|p| which(&p.hashes)).collect()
}

/// Dated before undated; dates in §6 order.
fn date_order(a: Option<&SortKey>, b: Option<&SortKey>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::anchor_all;
    use crate::load::testing::SiteBuilder;

    const ENTITIES: &str = "council:\n  name: Riverton City Council\n  kind: organization\n  aliases: [the council]\ngazette:\n  name: Riverton Gazette\n  kind: organization\nmayor:\n  name: Ana Holt\n  kind: person\n";
    const EVENTS: &str =
        "- id: vote\n  date: 2024-03-12\n  title: The library vote\n  entities: [council]\n";

    fn graph(articles: &[(&str, &str, &str)]) -> (SiteGraph, Vec<Code>) {
        let mut site = SiteBuilder::new().entities(ENTITIES).events(EVENTS);
        for (id, seed, yaml) in articles {
            site = site.seed(&format!("{id}.txt"), seed).article(id, yaml);
        }
        let (anchored, mut diags) = anchor_all(site.build(), &mut Default::default());
        let (graph, d) = link(anchored, &mut Default::default());
        diags.extend(d);
        (graph, diags.iter().map(|d| d.code).collect())
    }

    const SEED: &str = "Library vote\n\nThe Riverton City Council voted for a library. Ana Holt said the council would pay.\n";

    #[test]
    fn mentions_backlinks_and_coverage_are_indexes_both_ways() {
        let yaml = "outlet: gazette\npublished: 2024-03-13\nannotations:\n  - id: vote\n    quote: voted for a library\n    note: The vote.\n    entities: [council]\n    events: [vote]\n  - id: pay\n    quote: said the council would pay\n    kind: statement\n    speaker: mayor\n    note: Her words.\n";
        let (g, codes) = graph(&[("a", SEED, yaml)]);
        assert_eq!(codes, Vec::<Code>::new());
        let ix = |id: &str| {
            g.entities
                .iter_enumerated()
                .find(|(_, e)| e.id.as_str() == id)
                .map(|(i, _)| i)
        };
        let (council, mayor, gazette) = (ix("council"), ix("mayor"), ix("gazette"));
        let a = ArticleIx::from(0);
        // "Riverton City Council" and the alias "the council", and "Ana Holt".
        let mentioned: Vec<EntityIx> = g.article_links[a]
            .mentions
            .iter()
            .map(|m| m.entity)
            .collect();
        assert_eq!(mentioned, [council, mayor, council].map(Option::unwrap));
        assert_eq!(g.entity_links[council.unwrap()].mentions.len(), 2);
        assert_eq!(g.entity_links[mayor.unwrap()].statements, [(a, 1)]);
        assert_eq!(g.entity_links[gazette.unwrap()].published, [a]);
        assert_eq!(g.article_links[a].outlet, gazette);
        assert_eq!(g.event_links[EventIx::from(0)].coverage.len(), 1);
        assert_eq!(g.article_links[a].events, [EventIx::from(0)]);
    }

    #[test]
    fn unknown_references_are_diagnostics_not_links() {
        let cases: &[(&str, Code)] = &[
            ("entities: [counsil]", Code::UnknownEntity),
            ("events: [vot]", Code::UnknownEvent),
            ("speaker: nobody", Code::UnknownEntity),
            ("see: [\"#nowhere\"]", Code::UnknownReference),
        ];
        for &(field, code) in cases {
            let yaml = format!(
                "annotations:\n  - id: vote\n    quote: voted for a library\n    note: The vote.\n    {field}\n"
            );
            let (g, codes) = graph(&[("a", SEED, &yaml)]);
            assert!(codes.contains(&code), "{field}: {codes:?}");
            let links = &g.article_links[ArticleIx::from(0)].annotations[0];
            assert!(
                links.entities.is_empty() && links.events.is_empty() && links.see.is_empty(),
                "{field}"
            );
        }
    }
}
