//! What one article contributes to the graph by itself — its references resolved, its
//! mentions, when it appeared relative to each event it names, its own warnings — kept
//! between rebuilds, so that an edit redoes this work for the edited article only.

use super::mentions::MentionMatcher;
use super::resolve::{Resolver, find_mentions, link_article};
use super::{ArticleLinks, CoverageTime, network, related, warnings};
use crate::anchor::{Article, Event};
use crate::diag::Diagnostic;
use crate::edtf::SortKey;
use crate::hash::stable_hash;
use crate::ix::{ArticleIx, EventIx, TiSlice};

/// One article's share of the graph. It is computed from the article and the site-wide
/// tables it reads (entities' ids, names and aliases; events' ids and dates; the events
/// whose date was invalid), so it is reused while the article's version and [`tables_key`]
/// are the same.
pub(super) struct ArticlePart {
    /// Its outlet, byline, mentions and annotations' references; what joins it to other
    /// articles (`see`, related articles, timeline neighbours) is filled in by `link`.
    pub(super) links: ArticleLinks,
    /// Its references to ids that do not exist.
    pub(super) diags: Vec<Diagnostic>,
    /// Its coverage warnings: reports dated before their event, annotations without a note.
    pub(super) warnings: Vec<Diagnostic>,
    /// When it appeared relative to each event it names, sorted by event.
    times: Vec<(EventIx, CoverageTime)>,
    /// Its place on the timeline, `None` when it is undated.
    pub(super) date: Option<SortKey>,
    /// What the site-wide passes read of it, each as a hash, so that a pass can tell from
    /// these alone whether any article changed for it (zero when nothing is kept).
    pub(super) hashes: PartHashes,
}

/// Hashes of what the site-wide passes read of one article.
#[derive(Clone, Copy, Default)]
pub(super) struct PartHashes {
    /// Its ties in the network of actors (as if it were the first article: its position
    /// comes from where the hash sits in the site-wide key).
    pub(super) ties: u64,
    /// The entities it mentions, for co-occurring entities.
    pub(super) present: u64,
    /// Its related-article features.
    pub(super) features: u64,
    /// Its references as entities' and events' pages list them (`Backlinks`): outlet,
    /// byline, mentions, annotations' speakers, entities and events, coverage times.
    pub(super) refs: u64,
    /// Its id and date, which place it on the timeline.
    pub(super) order: u64,
    /// Its tags.
    pub(super) tags: u64,
}

/// The hash of every site-wide table an article's part reads: the aliases (with their
/// entities' ids, in order, which also fixes every entity's index), the events' ids and
/// dates in order, and the ids of events left out for an invalid date.
pub(super) fn tables_key<'a>(
    alias_hash: u64,
    events: &TiSlice<EventIx, Event>,
    broken_events: impl Iterator<Item = &'a String>,
) -> u64 {
    let events: Vec<(&str, &crate::edtf::EdtfDate)> =
        events.iter().map(|e| (e.id.as_str(), &e.date)).collect();
    let broken: Vec<&String> = broken_events.collect();
    stable_hash(&(alias_hash, events, broken))
}

impl ArticlePart {
    /// `event_rank`: each event's place in timeline order, which only the events' dates and
    /// ids decide. `matcher` builds (or returns) the alias automaton; it is asked for only
    /// here, so a rebuild that reuses every part never builds it. `hash`: whether to compute
    /// the hashes, which only a cache that keeps results needs.
    pub(super) fn new<'m>(
        article: &Article,
        resolver: &Resolver,
        event_rank: &TiSlice<EventIx, usize>,
        matcher: impl FnOnce() -> &'m MentionMatcher,
        hash: bool,
    ) -> Self {
        let mentions = find_mentions(article, resolver, matcher());
        let (mut links, diags) = link_article(article, resolver, mentions);
        links.events.sort_by_key(|&e| event_rank[e]);
        links.events.dedup();
        let published = article.published.as_ref();
        let mut times: Vec<(EventIx, CoverageTime)> = links
            .events
            .iter()
            .map(|&ev| (ev, CoverageTime::of(published, &resolver.events[ev].date)))
            .collect();
        times.sort_unstable_by_key(|&(ev, _)| ev);
        times.dedup_by_key(|&mut (ev, _)| ev);
        let mut part = ArticlePart {
            warnings: Vec::new(),
            diags,
            times,
            date: published.map(crate::edtf::EdtfDate::sort_key),
            hashes: PartHashes::default(),
            links,
        };
        part.warnings = warnings::article_warnings(article, &part, resolver.events);
        if hash {
            part.hashes = PartHashes {
                ties: stable_hash(&network::article_ties(ArticleIx::from(0), &part.links)),
                present: stable_hash(&related::present(&part.links)),
                features: stable_hash(&related::features(article, &part.links)),
                refs: refs_hash(&part),
                order: stable_hash(&(&article.id, &part.date)),
                tags: stable_hash(&article.tags),
            };
        }
        part
    }

    /// When the article appeared relative to `event`, one its annotations name.
    pub(super) fn time(&self, event: EventIx) -> CoverageTime {
        match self.times.binary_search_by_key(&event, |&(ev, _)| ev) {
            Ok(i) => self.times[i].1,
            // Every event of the article's annotations has its time; this is not reached.
            Err(_) => CoverageTime::Report,
        }
    }

    /// Its events, each with the article's time relative to it.
    pub(super) fn times(&self) -> &[(EventIx, CoverageTime)] {
        &self.times
    }
}

/// The hash of what `Backlinks` reads of one article's part.
fn refs_hash(part: &ArticlePart) -> u64 {
    let links = &part.links;
    let mentions: Vec<_> = links.mentions.iter().map(|m| m.entity).collect();
    let annotations: Vec<_> = links
        .annotations
        .iter()
        .map(|a| (a.speaker, &a.entities, &a.events))
        .collect();
    stable_hash(&(
        links.outlet,
        links.author,
        mentions,
        annotations,
        &part.times,
    ))
}
