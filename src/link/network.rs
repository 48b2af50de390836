//! The network of actors: which entities the briefing puts together, and on what occasions
//! — one annotation naming both, one paragraph mentioning both, one article's byline and
//! outlet — so pages can draw who is linked with whom and say where.

use super::{AnnRef, ArticleLinks};
use crate::ix::{ArticleIx, EntityIx, TiSlice, TiVec};
use rayon::prelude::*;
use std::sync::Arc;

/// A paragraph naming more distinct entities than this ties none of them: the pairs would
/// grow with the square of the list, and a roll call says little about who is linked.
const MAX_ENTITIES_PER_PARAGRAPH: usize = 24;
/// The same bound for one annotation's speaker and `entities:`, set higher because naming
/// entities together is the annotator's deliberate choice.
const MAX_ENTITIES_PER_ANNOTATION: usize = 64;

/// One occasion on which the briefing puts two entities together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tie {
    /// One annotation names both, as its speaker or under `entities:`.
    Annotation(AnnRef),
    /// Both are mentioned in one paragraph of an article.
    Paragraph {
        article: ArticleIx,
        block: usize,
        /// The first of their mentions there (an index into the article's mentions), where
        /// a link to the paragraph lands.
        mention: usize,
    },
    /// One wrote the article (its byline) and the other published it (its outlet).
    Byline(ArticleIx),
}

impl Tie {
    /// The article the tie is found in.
    pub fn article(self) -> ArticleIx {
        match self {
            Tie::Annotation((a, _)) | Tie::Paragraph { article: a, .. } | Tie::Byline(a) => a,
        }
    }
}

/// One entity's link to another: every tie between them, in timeline order of their
/// articles. Its weight is how many ties there are.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NetworkLink {
    pub other: EntityIx,
    pub ties: Vec<Tie>,
}

impl NetworkLink {
    pub fn weight(&self) -> usize {
        self.ties.len()
    }
}

/// Each entity's links in the network of actors, by entity index.
pub(super) type Network = TiVec<EntityIx, Arc<[NetworkLink]>>;

/// The links of each of `n` entities, sorted by the other entity's index, so the same input
/// always gives the same lists. `article_rank` orders each link's ties. The network depends
/// only on each article's `article_ties` and `article_rank`.
pub(super) fn network(
    article_links: &TiSlice<ArticleIx, ArticleLinks>,
    article_rank: &TiSlice<ArticleIx, usize>,
    n: usize,
) -> Network {
    let mut network: TiVec<EntityIx, Vec<NetworkLink>> = vec![Vec::new(); n].into();
    let mut pairs: Vec<(EntityIx, EntityIx, Tie)> = article_links
        .raw
        .par_iter()
        .enumerate()
        .flat_map_iter(|(a, links)| article_ties(a.into(), links))
        .collect();
    pairs.par_sort_unstable_by_key(|&(x, y, tie)| (x, y, article_rank[tie.article()], tie));
    let mut start = 0;
    while start < pairs.len() {
        let (x, y, _) = pairs[start];
        let end = start + pairs[start..].partition_point(|p| (p.0, p.1) == (x, y));
        let ties: Vec<Tie> = pairs[start..end].iter().map(|p| p.2).collect();
        // Pairs come sorted by `x`, then `y`, so both entities' lists stay sorted by `other`.
        network[x].push(NetworkLink {
            other: y,
            ties: ties.clone(),
        });
        network[y].push(NetworkLink { other: x, ties });
        start = end;
    }
    network.into_iter().map(Arc::from).collect()
}

/// The ties one article makes, each pair with its smaller index first.
pub(super) fn article_ties(a: ArticleIx, links: &ArticleLinks) -> Vec<(EntityIx, EntityIx, Tie)> {
    let mut out = Vec::new();
    let mut named: Vec<EntityIx> = Vec::new();
    for (n, ann) in links.annotations.iter().enumerate() {
        named.clear();
        named.extend(ann.speaker);
        named.extend(&ann.entities);
        named.sort_unstable();
        named.dedup();
        if named.len() > MAX_ENTITIES_PER_ANNOTATION {
            continue;
        }
        push_pairs(&named, Tie::Annotation((a, n)), &mut out);
    }
    // Mentions are in reading order, so each paragraph's are one run.
    let mut i = 0;
    let mentions = &links.mentions;
    while i < mentions.len() {
        let block = mentions[i].block;
        let mut firsts: Vec<(EntityIx, usize)> = Vec::new();
        let mut j = i;
        while j < mentions.len() && mentions[j].block == block {
            let e = mentions[j].entity;
            if !firsts.iter().any(|&(x, _)| x == e) {
                firsts.push((e, j));
            }
            j += 1;
        }
        if firsts.len() <= MAX_ENTITIES_PER_PARAGRAPH {
            firsts.sort_unstable();
            for (k, &(x, mx)) in firsts.iter().enumerate() {
                for &(y, my) in &firsts[k + 1..] {
                    let tie = Tie::Paragraph {
                        article: a,
                        block,
                        mention: mx.min(my),
                    };
                    out.push((x, y, tie));
                }
            }
        }
        i = j;
    }
    if let (Some(author), Some(outlet)) = (links.author, links.outlet)
        && author != outlet
    {
        out.push((author.min(outlet), author.max(outlet), Tie::Byline(a)));
    }
    out
}

/// Every pair of a sorted, deduplicated list, tied by `tie`.
fn push_pairs(named: &[EntityIx], tie: Tie, out: &mut Vec<(EntityIx, EntityIx, Tie)>) {
    for (k, &x) in named.iter().enumerate() {
        for &y in &named[k + 1..] {
            out.push((x, y, tie));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tie;
    use crate::ix::{ArticleIx, EntityIx};
    use crate::load::testing::SiteBuilder;
    use std::collections::BTreeMap;

    const ENTITIES: &str = "\
ana:
  name: Ana Holt
  kind: person
bo:
  name: Bo Lind
  kind: person
council:
  name: Riverton City Council
  kind: organization
  aliases: [the council]
riverton:
  name: Riverton
  kind: place
cy:
  name: Cy Moss
  kind: person
gazette:
  name: Riverton Gazette
  kind: organization
dan:
  name: Dan Oyelaran
  kind: person
";

    const SEED: &str = "Library vote\n\nAna Holt met Bo Lind in Riverton on Monday.\n\nThe Riverton City Council voted for a library. Ana Holt said the council would pay.\n";

    const ARTICLE: &str = "\
title: Library vote
outlet: gazette
author: Cy Moss
published: 2024-03-13
annotations:
  - id: vote
    quote: voted for a library
    kind: statement
    speaker: ana
    entities: [council, bo]
    note: The vote.
";

    /// What the links should be: each pair (ids in order) and its weight. Ana and Bo share a
    /// paragraph and an annotation; Ana and the council a paragraph and an annotation; Bo and
    /// the council only the annotation; Riverton only the first paragraph; Cy Moss wrote for
    /// the Gazette. Dan is in no article and has no link.
    fn expected() -> BTreeMap<(String, String), usize> {
        [
            ("ana", "bo", 2),
            ("ana", "council", 2),
            ("ana", "riverton", 1),
            ("bo", "council", 1),
            ("bo", "riverton", 1),
            ("cy", "gazette", 1),
        ]
        .into_iter()
        .map(|(a, b, w)| ((a.to_owned(), b.to_owned()), w))
        .collect()
    }

    #[test]
    fn links_join_entities_named_together_weighted_by_how_often() {
        let sources = SiteBuilder::new()
            .entities(ENTITIES)
            .seed("vote.txt", SEED)
            .article("vote", ARTICLE)
            .build();
        let (anchored, _) = crate::anchor::anchor_all(sources, &mut Default::default());
        let (g, _) = crate::link::link(anchored, &mut Default::default());
        let id = |e: EntityIx| g.entities[e].id.as_str().to_owned();
        let mut found = BTreeMap::new();
        for (e, links) in g.entity_links.iter_enumerated() {
            for l in links.network.iter() {
                // Both ends list the link, with the same ties.
                let back = g.entity_links[l.other]
                    .network
                    .iter()
                    .find(|m| m.other == e)
                    .expect("a link is listed at both ends");
                assert_eq!(back.ties, l.ties);
                let (a, b) = (id(e).min(id(l.other)), id(e).max(id(l.other)));
                found.insert((a, b), l.weight());
            }
            let others: Vec<EntityIx> = links.network.iter().map(|l| l.other).collect();
            assert!(others.is_sorted(), "{}: sorted by the other entity", id(e));
        }
        assert_eq!(found, expected());

        let ix = |name: &str| {
            g.entities
                .iter_enumerated()
                .find(|(_, e)| e.id.as_str() == name)
                .unwrap()
                .0
        };
        let ties = |a: &str, b: &str| {
            g.entity_links[ix(a)]
                .network
                .iter()
                .find(|l| l.other == ix(b))
                .map(|l| l.ties.clone())
                .unwrap()
        };
        let ana_bo = ties("ana", "bo");
        let first = ArticleIx::from(0);
        assert!(
            matches!(
                ana_bo[..],
                [Tie::Annotation(ann), Tie::Paragraph { block: 0, .. }]
                    | [Tie::Paragraph { block: 0, .. }, Tie::Annotation(ann)]
                    if ann == (first, 0)
            ),
            "{ana_bo:?}"
        );
        assert_eq!(ties("cy", "gazette"), [Tie::Byline(first)]);
        assert!(g.entity_links[ix("dan")].network.is_empty());
    }
}
