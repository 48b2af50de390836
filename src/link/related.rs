//! What pages suggest beyond explicit links: related articles (scored by shared events,
//! tags and entities), the entities that appear together, and timeline ranks.

use super::ArticleLinks;
use crate::anchor::Article;
use crate::ix::{ArticleIx, EntityIx, TiSlice, TiVec};
use rayon::prelude::*;
// Fx: these maps are rebuilt on every `serve` rebuild, and their keys are not hostile.
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// How many related articles an article page lists.
const RELATED: usize = 5;
/// Features shared by more articles than this say little about relatedness, and skipping
/// them keeps related-article scoring linear in corpus size.
const COMMON_FEATURE: usize = 200;

/// For each entity, the entities that share articles with it and how many.
pub(super) type CoEntities = TiVec<EntityIx, Vec<(EntityIx, usize)>>;

/// Each item's position in `order`, by its index.
pub(super) fn rank<K: From<usize> + Into<usize> + Copy>(order: &[K]) -> TiVec<K, usize> {
    let mut r: TiVec<K, usize> = vec![0; order.len()].into();
    for (pos, &i) in order.iter().enumerate() {
        r[i] = pos;
    }
    r
}

/// The entities an article mentions, each once, by index: what co-occurring entities are
/// counted from.
pub(super) fn present(links: &ArticleLinks) -> Vec<EntityIx> {
    let mut p: Vec<EntityIx> = links.mentions.iter().map(|m| m.entity).collect();
    p.sort_unstable();
    p.dedup();
    p
}

/// Entities that appear in the same articles, counted once per article, most shared first.
/// The lists depend only on which entities each article names (`present`) and how many
/// entities there are.
pub(super) fn co_entities(
    article_links: &TiSlice<ArticleIx, ArticleLinks>,
    n: usize,
) -> CoEntities {
    // The entities of each article, and the articles of each entity.
    let present: TiVec<ArticleIx, Vec<EntityIx>> = article_links
        .raw
        .par_iter()
        .map(present)
        .collect::<Vec<_>>()
        .into();
    let mut by_entity: TiVec<EntityIx, Vec<ArticleIx>> = vec![Vec::new(); n].into();
    for (a, list) in present.iter_enumerated() {
        // An article naming hundreds of entities would make this quadratic; such lists say little.
        if list.len() <= 60 {
            for &e in list {
                by_entity[e].push(a);
            }
        }
    }
    (0..n)
        .into_par_iter()
        .map(EntityIx::from)
        .map_init(
            || {
                (
                    TiVec::<EntityIx, usize>::from(vec![0usize; n]),
                    Vec::<EntityIx>::new(),
                )
            },
            |(dense, touched), e| {
                for &a in &by_entity[e] {
                    for &other in &present[a] {
                        if other != e {
                            if dense[other] == 0 {
                                touched.push(other);
                            }
                            dense[other] += 1;
                        }
                    }
                }
                let mut list: Vec<(EntityIx, usize)> =
                    touched.iter().map(|&i| (i, dense[i])).collect();
                for &i in touched.iter() {
                    dense[i] = 0;
                }
                touched.clear();
                list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                list.truncate(12);
                list
            },
        )
        .collect::<Vec<_>>()
        .into()
}

/// What relates an article to others: the events its annotations report (kind 0), the
/// entities it mentions (1) and its tags (2), each once, sorted.
pub(super) fn features(article: &Article, links: &ArticleLinks) -> Vec<(u64, u32)> {
    let mut f: Vec<(u64, u32)> = links.events.iter().map(|&e| (0, e.get() as u32)).collect();
    f.extend(links.mentions.iter().map(|m| (1, m.entity.get() as u32)));
    f.extend(article.tags.iter().map(|tag| (2, tag_hash(tag))));
    f.sort_unstable();
    f.dedup();
    f
}

/// Each article's related articles: others scored by shared events (3), tags (2) and
/// mentioned entities (1), through inverted indexes that skip very common features, ties
/// broken by timeline order. They depend only on every article's `features` and `rank`.
pub(super) fn related_articles(
    articles: &TiSlice<ArticleIx, Arc<Article>>,
    links: &TiSlice<ArticleIx, ArticleLinks>,
    rank: &TiSlice<ArticleIx, usize>,
) -> TiVec<ArticleIx, Vec<ArticleIx>> {
    let features: TiVec<ArticleIx, Vec<(u64, u32)>> = articles
        .raw
        .par_iter()
        .zip(links.raw.par_iter())
        .map(|(article, l)| features(article, l))
        .collect::<Vec<_>>()
        .into();
    let mut index: HashMap<(u64, u32), Vec<ArticleIx>> = HashMap::default();
    for (ai, f) in features.iter_enumerated() {
        for &key in f {
            index.entry(key).or_default().push(ai);
        }
    }
    let n = articles.len();
    (0..n)
        .into_par_iter()
        .map(ArticleIx::from)
        // A dense score array per worker (reset through the touched list) is several times
        // faster than a hash map per article.
        .map_init(
            || {
                (
                    TiVec::<ArticleIx, u32>::from(vec![0u32; n]),
                    Vec::<ArticleIx>::new(),
                )
            },
            |(dense, touched), ai| {
                for key in &features[ai] {
                    let Some(list) = index.get(key) else { continue };
                    if list.len() > COMMON_FEATURE {
                        continue;
                    }
                    let weight = match key.0 {
                        0 => 3,
                        2 => 2,
                        _ => 1,
                    };
                    for &other in list {
                        if other != ai {
                            if dense[other] == 0 {
                                touched.push(other);
                            }
                            dense[other] += weight;
                        }
                    }
                }
                let mut list: Vec<(ArticleIx, u32)> = touched
                    .iter()
                    .map(|&i| (i, dense[i]))
                    .filter(|&(_, s)| s >= 2)
                    .collect();
                for &i in touched.iter() {
                    dense[i] = 0;
                }
                touched.clear();
                list.sort_by(|a, b| b.1.cmp(&a.1).then(rank[a.0].cmp(&rank[b.0])));
                list.into_iter().take(RELATED).map(|(i, _)| i).collect()
            },
        )
        .collect::<Vec<_>>()
        .into()
}

fn tag_hash(tag: &str) -> u32 {
    // FNV-1a: stable across runs, unlike the std hasher, so output stays deterministic.
    let mut h: u32 = 0x811c_9dc5;
    for b in tag.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}
