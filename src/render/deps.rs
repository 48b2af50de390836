//! Which parts of the site graph each page read, so a rebuild re-renders exactly the pages
//! whose inputs changed.
//!
//! Dependencies are recorded, not declared: the renderer's accessors (`entity_ref`,
//! `article_ref`, …) report every item they read while a page is built. A declared list
//! would go stale the day someone adds a field to a template, which is how Zola's partial
//! rebuilds went wrong; a recorded one is exactly what the page used. Each dependency is a
//! key plus a content hash of the item; a page is re-rendered when any hash differs, when
//! an item it read disappeared, or when the templates or site-wide settings changed.

use crate::hash::stable_hash;
use crate::ix::{ArticleIx, EntityIx, EventIx, TiVec};
use crate::link::SiteGraph;
use rustc_hash::{FxHashMap as HashMap, FxHasher};
use std::cell::RefCell;
use std::hash::{Hash, Hasher};

/// What kind of item a dependency names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Kind {
    /// Everything about an article (its own page reads this).
    Article,
    ArticleLinks,
    /// What lists show of an article: title, slug, date, outlet, tags, summary.
    ArticleRef,
    /// The kept text and the mentions in it (entity pages quote mention sentences).
    ArticleText,
    /// Each annotation's id, kind and passage (for "see also" links elsewhere).
    AnnotationRefs,
    /// The annotations' notes, speakers and statuses (for passages on entity and event pages).
    Notes,
    Entity,
    EntityLinks,
    Event,
    EventLinks,
    Tag,
    Page,
    /// Singletons: the order of articles and events, the sets of entities and tags, the briefing.
    ArticleOrder,
    EventOrder,
    EntityList,
    TagList,
    Briefing,
}

/// A dependency: the item's kind and a hash of its id (ids survive reordering; indexes do not).
pub type Key = (Kind, u64);

thread_local! {
    static READS: RefCell<Option<Vec<(Kind, usize)>>> = const { RefCell::new(None) };
}

/// Notes that the page being built on this thread read item `ix` of `kind` (`0` for a
/// singleton).
pub fn read(kind: Kind, ix: impl Into<usize>) {
    READS.with(|r| {
        if let Some(list) = r.borrow_mut().as_mut() {
            list.push((kind, ix.into()));
        }
    });
}

/// Runs `f` and returns what it read along with its result. Pages are built one per rayon
/// task, start to finish on one thread, so a thread-local recorder sees exactly one page.
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<(Kind, usize)>) {
    READS.with(|r| *r.borrow_mut() = Some(Vec::new()));
    let out = f();
    let mut reads = READS.with(|r| r.borrow_mut().take()).unwrap_or_default();
    reads.sort_unstable();
    reads.dedup();
    (out, reads)
}

/// A hasher seeded with `seed`, for fingerprints that mix a global value in.
fn seeded(seed: u64) -> FxHasher {
    let mut h = FxHasher::default();
    h.write_u64(seed);
    h
}

/// Puts the hash of each item and of its links, made in parallel, under the item's id and
/// `kinds`.
fn insert_pairs<T: Hash + Sync, L: Hash + Sync>(
    by_key: &mut HashMap<Key, u64>,
    (kind, links_kind): (Kind, Kind),
    ids: &[u64],
    items: &[T],
    links: &[L],
) {
    use rayon::prelude::*;
    let hashes: Vec<(u64, u64)> = items
        .par_iter()
        .zip(links.par_iter())
        .map(|(item, links)| (stable_hash(item), stable_hash(links)))
        .collect();
    for (&id, (item, links)) in ids.iter().zip(hashes) {
        by_key.insert((kind, id), item);
        by_key.insert((links_kind, id), links);
    }
}

/// The current content hash of every item pages can read, by key.
pub struct Hashes {
    by_key: HashMap<Key, u64>,
    article_ids: TiVec<ArticleIx, u64>,
    entity_ids: TiVec<EntityIx, u64>,
    event_ids: TiVec<EventIx, u64>,
    page_ids: Vec<u64>,
    tag_ids: HashMap<String, u64>,
    tag_names: Vec<String>,
}

impl Hashes {
    /// Hashes every item of the graph. Article hashes, which cover the seed text, are the
    /// bulk of the work and are computed in parallel.
    pub fn of(g: &SiteGraph) -> Hashes {
        use rayon::prelude::*;
        let mut by_key = HashMap::default();
        let article_ids: TiVec<ArticleIx, u64> = g
            .articles
            .iter()
            .map(|a| stable_hash(a.id.as_str()))
            .collect();
        let entity_ids: TiVec<EntityIx, u64> = g
            .entities
            .iter()
            .map(|e| stable_hash(e.id.as_str()))
            .collect();
        let article_hashes: Vec<[u64; 6]> = g
            .articles
            .raw
            .par_iter()
            .zip(g.article_links.raw.par_iter())
            .map(|(a, l)| {
                let outlet = l.outlet.map(|o| entity_ids[o]);
                let list = (
                    &a.title,
                    &a.slug,
                    &a.published,
                    &a.tags,
                    &a.summary,
                    a.annotations.len(),
                    &a.author,
                    &a.url,
                    outlet,
                );
                // Versions stand for the texts: hashing every seed on every rebuild would cost more than it saves.
                let translation = a
                    .translation
                    .as_ref()
                    .map(|t| (t.version, &t.blocks, &t.title, &t.language));
                let text = (a.seed_version, &a.blocks, &l.mentions, translation);
                let refs: Vec<_> = a
                    .annotations
                    .iter()
                    .map(|n| (&n.id, n.kind, n.side, n.range, n.range.of(a.text(n.side))))
                    .collect();
                let notes: Vec<_> = a
                    .annotations
                    .iter()
                    .map(|n| (&n.note, &n.speaker, n.status))
                    .collect();
                [
                    a.version,
                    stable_hash(l),
                    stable_hash(&list),
                    stable_hash(&text),
                    stable_hash(&refs),
                    stable_hash(&notes),
                ]
            })
            .collect();
        for (&id, h) in article_ids.iter().zip(article_hashes) {
            for (kind, value) in [
                Kind::Article,
                Kind::ArticleLinks,
                Kind::ArticleRef,
                Kind::ArticleText,
                Kind::AnnotationRefs,
                Kind::Notes,
            ]
            .into_iter()
            .zip(h)
            {
                by_key.insert((kind, id), value);
            }
        }
        // An entity's or event's links list every mention or coverage of it in the whole
        // corpus, so these are hashed in parallel too.
        insert_pairs(
            &mut by_key,
            (Kind::Entity, Kind::EntityLinks),
            &entity_ids.raw,
            &g.entities.raw,
            &g.entity_links.raw,
        );
        let event_ids: TiVec<EventIx, u64> = g
            .events
            .iter()
            .map(|e| stable_hash(e.id.as_str()))
            .collect();
        insert_pairs(
            &mut by_key,
            (Kind::Event, Kind::EventLinks),
            &event_ids.raw,
            &g.events.raw,
            &g.event_links.raw,
        );
        let page_ids: Vec<u64> = g
            .pages
            .iter()
            .map(|p| stable_hash(p.slug.as_str()))
            .collect();
        for (i, p) in g.pages.iter().enumerate() {
            by_key.insert((Kind::Page, page_ids[i]), stable_hash(p));
        }
        let mut tag_ids = HashMap::default();
        let tag_names: Vec<String> = g.tags.keys().cloned().collect();
        for (name, members) in &g.tags {
            let id = stable_hash(name.as_str());
            // A tag's members are indexes; hash them as ids so reordering elsewhere is not a change.
            let members: (Vec<u64>, Vec<u64>) = (
                members.0.iter().map(|&a| article_ids[a]).collect(),
                members.1.iter().map(|&e| event_ids[e]).collect(),
            );
            by_key.insert((Kind::Tag, id), stable_hash(&members));
            tag_ids.insert(name.clone(), id);
        }
        let order: Vec<u64> = g.article_order.iter().map(|&a| article_ids[a]).collect();
        by_key.insert((Kind::ArticleOrder, 0), stable_hash(&order));
        let order: Vec<u64> = g.event_order.iter().map(|&e| event_ids[e]).collect();
        by_key.insert((Kind::EventOrder, 0), stable_hash(&order));
        by_key.insert((Kind::EntityList, 0), stable_hash(&entity_ids));
        by_key.insert((Kind::TagList, 0), stable_hash(&tag_names));
        by_key.insert((Kind::Briefing, 0), stable_hash(&g.briefing));
        Hashes {
            by_key,
            article_ids,
            entity_ids,
            event_ids,
            page_ids,
            tag_ids,
            tag_names,
        }
    }

    /// The stable key of what a page read by index.
    pub fn key(&self, (kind, ix): (Kind, usize)) -> Key {
        let id = match kind {
            Kind::Article
            | Kind::ArticleLinks
            | Kind::ArticleRef
            | Kind::ArticleText
            | Kind::AnnotationRefs
            | Kind::Notes => self.article_ids.raw.get(ix),
            Kind::Entity | Kind::EntityLinks => self.entity_ids.raw.get(ix),
            Kind::Event | Kind::EventLinks => self.event_ids.raw.get(ix),
            Kind::Page => self.page_ids.get(ix),
            Kind::Tag => self.tag_names.get(ix).and_then(|n| self.tag_ids.get(n)),
            Kind::ArticleOrder
            | Kind::EventOrder
            | Kind::EntityList
            | Kind::TagList
            | Kind::Briefing => Some(&0),
        };
        (kind, id.copied().unwrap_or(u64::MAX))
    }

    /// A fingerprint of every item, for outputs that show the whole site (feeds, formats, search).
    pub fn fingerprint_all(&self, global: u64) -> u64 {
        let mut entries: Vec<(&Key, &u64)> = self.by_key.iter().collect();
        entries.sort_unstable();
        let mut h = seeded(global);
        entries.hash(&mut h);
        h.finish()
    }

    /// A fingerprint of the dependencies' current contents; `None` when one no longer exists.
    pub fn fingerprint(&self, deps: &[Key], global: u64) -> Option<u64> {
        let mut h = seeded(global);
        for key in deps {
            let content = self.by_key.get(key)?;
            key.hash(&mut h);
            content.hash(&mut h);
        }
        Some(h.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::testing::SiteBuilder;

    fn graph(entities: &str) -> SiteGraph {
        let sources = SiteBuilder::new()
            .seed("a.txt", "Title\n\nAna Holt spoke.\n")
            .entities(entities)
            .build();
        let (anchored, _) = crate::anchor::anchor_all(sources, &mut Default::default());
        crate::link::link(anchored, &mut Default::default()).0
    }

    // Bo comes first, so an edit to Ana moves nothing of Bo's (positions are content too).
    const TWO: &str =
        "bo:\n  name: Bo Lind\n  kind: person\nana:\n  name: Ana Holt\n  kind: person\n";

    #[test]
    fn reads_are_recorded_only_while_recording_sorted_and_once() {
        read(Kind::Entity, 3usize);
        let ((), reads) = recording(|| {
            read(Kind::Entity, 1usize);
            read(Kind::Article, 0usize);
            read(Kind::Entity, 1usize);
        });
        assert_eq!(reads, [(Kind::Article, 0), (Kind::Entity, 1)]);
    }

    #[test]
    fn keys_follow_ids_and_fingerprints_follow_content() {
        let g = graph(TWO);
        let h = Hashes::of(&g);
        let bo = g
            .entities
            .iter()
            .position(|e| e.id.as_str() == "bo")
            .expect("bo");
        let key = h.key((Kind::Entity, bo));
        let deps = [key];
        let before = h.fingerprint(&deps, 7).expect("bo exists");
        assert_eq!(
            h.fingerprint(&deps, 7),
            Some(before),
            "same graph, same fingerprint"
        );
        assert_ne!(
            h.fingerprint(&deps, 8),
            Some(before),
            "the global part counts"
        );

        // Another entity changing leaves Bo's key and fingerprint alone.
        let g2 = graph(&TWO.replace("Ana Holt", "Ana Holt-Berg"));
        let h2 = Hashes::of(&g2);
        assert_eq!(h2.fingerprint(&deps, 7), Some(before));
        // Bo changing changes it; Bo gone makes it unknown.
        let g3 = graph(&TWO.replace("Bo Lind", "Bo Lindqvist"));
        assert_ne!(Hashes::of(&g3).fingerprint(&deps, 7), Some(before));
        let g4 = graph("ana:\n  name: Ana Holt\n  kind: person\n");
        assert_eq!(Hashes::of(&g4).fingerprint(&deps, 7), None);
    }
}
