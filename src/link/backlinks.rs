//! Entities and events seen from the articles: where each entity is mentioned, speaks, is
//! named, writes or publishes, and which articles cover each event, all in timeline order.
//! It is one pass over every article's references, so `link` keeps its result between
//! rebuilds under a hash of exactly those references and the timeline order.

use super::part::ArticlePart;
use super::{AnnRef, ArticleLinks, Coverage, EntityLinks, EventLinks};
use crate::ix::{ArticleIx, EntityIx, EventIx, TiSlice, TiVec};
use std::sync::Arc;

/// What the articles say of one entity.
#[derive(Clone, Default)]
struct EntityRefs {
    mentions: Vec<(ArticleIx, usize)>,
    statements: Vec<AnnRef>,
    passages: Vec<AnnRef>,
    published: Vec<ArticleIx>,
    bylines: Vec<ArticleIx>,
}

/// Every entity's and event's references from the articles.
#[derive(Clone)]
pub(super) struct Backlinks {
    entities: TiVec<EntityIx, EntityRefs>,
    coverage: TiVec<EventIx, Vec<Coverage>>,
}

impl Backlinks {
    /// The references of `entities` entities and `events` events, from each article's
    /// outlet, byline, mentions and annotations (and its coverage times, in `parts`), taken
    /// in `article_order`.
    pub(super) fn of(
        article_links: &TiSlice<ArticleIx, ArticleLinks>,
        parts: &TiSlice<ArticleIx, Arc<ArticlePart>>,
        article_order: &[ArticleIx],
        entities: usize,
        events: usize,
    ) -> Self {
        let mut refs: TiVec<EntityIx, EntityRefs> = vec![EntityRefs::default(); entities].into();
        let mut coverage: TiVec<EventIx, Vec<Coverage>> = vec![Vec::new(); events].into();
        for &ai in article_order {
            let links = &article_links[ai];
            if let Some(o) = links.outlet {
                refs[o].published.push(ai);
            }
            if let Some(author) = links.author {
                refs[author].bylines.push(ai);
            }
            for (mi, m) in links.mentions.iter().enumerate() {
                refs[m.entity].mentions.push((ai, mi));
            }
            for (ni, ann) in links.annotations.iter().enumerate() {
                if let Some(s) = ann.speaker {
                    refs[s].statements.push((ai, ni));
                }
                for &en in &ann.entities {
                    refs[en].passages.push((ai, ni));
                }
                for &ev in &ann.events {
                    match coverage[ev].last_mut() {
                        Some(c) if c.article == ai => c.annotations.push(ni),
                        _ => coverage[ev].push(Coverage {
                            article: ai,
                            annotations: vec![ni],
                            time: parts[ai].time(ev),
                        }),
                    }
                }
            }
        }
        Self {
            entities: refs,
            coverage,
        }
    }

    /// Moves the lists into the graph's entity and event links.
    pub(super) fn fill(
        self,
        entity_links: &mut TiSlice<EntityIx, EntityLinks>,
        event_links: &mut TiSlice<EventIx, EventLinks>,
    ) {
        for (links, refs) in entity_links.iter_mut().zip(self.entities) {
            links.mentions = refs.mentions;
            links.statements = refs.statements;
            links.passages = refs.passages;
            links.published = refs.published;
            links.bylines = refs.bylines;
        }
        for (links, coverage) in event_links.iter_mut().zip(self.coverage) {
            links.coverage = coverage;
        }
    }
}
