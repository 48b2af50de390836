//! Entity pages: what each article says about an entity, its sentences quoted once each
//! with the mentions in bold and the passages on it highlighted.

use super::body::{MENTIONS_QUOTED_PER_ARTICLE, Sentence, marked_html, sentence_range};
use super::{Ctx, deps};
use crate::diag::Diagnostic;
use crate::ix::{ArticleIx, EntityIx};
use crate::model::TextSide;
use crate::render::view::*;
use crate::routes;
use crate::types::ByteRange;
use std::collections::{BTreeMap, BTreeSet};

impl Ctx<'_> {
    pub(super) fn entity_view(&self, e: EntityIx, diags: &mut Vec<Diagnostic>) -> EntityView {
        deps::read(deps::Kind::Entity, e);
        deps::read(deps::Kind::EntityLinks, e);
        let g = self.g;
        let ent = &g.entities[e];
        let links = &g.entity_links[e];
        // Everything each article says about the entity, gathered before it is laid out.
        let mut per_article: BTreeMap<ArticleIx, EntityInArticle> = BTreeMap::new();
        for &(a, mi) in &links.mentions {
            per_article.entry(a).or_default().mentions.push(mi);
        }
        for &(a, n) in &links.statements {
            let entry = per_article.entry(a).or_default();
            entry.statements += 1;
            entry.annotations.insert(n);
        }
        for &(a, n) in &links.passages {
            per_article.entry(a).or_default().annotations.insert(n);
        }
        for &a in &links.bylines {
            per_article.entry(a).or_default().byline = true;
        }
        for &a in &links.published {
            per_article.entry(a).or_default().outlet = true;
        }
        // Newest first; undated articles, whose place is unknown, last.
        let mut order: Vec<ArticleIx> = per_article.keys().copied().collect();
        order.sort_by(|&x, &y| {
            let (px, py) = (&g.articles[x].published, &g.articles[y].published);
            match (px, py) {
                (Some(dx), Some(dy)) => dy.sort_key().cmp(&dx.sort_key()),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| g.articles[x].id.cmp(&g.articles[y].id))
        });
        let groups = order
            .into_iter()
            .map(|a| {
                let found = &per_article[&a];
                MentionGroup {
                    article: self.article_brief(a),
                    byline: found.byline,
                    outlet: found.outlet,
                    mention_count: found.mentions.len(),
                    statement_count: found.statements,
                    mentions: self.sentences_about(a, found, diags),
                }
            })
            .collect();
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
            statement_count: links.statements.len(),
            mentions: groups,
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
            network: self.neighbourhood_view(e),
        }
    }

    /// The sentences of article `a` that name an entity or carry an annotation on it, in
    /// reading order, each quoted once: several mentions in one sentence are one item, and
    /// an annotation inside a quoted sentence is shown with that sentence, not again.
    fn sentences_about(
        &self,
        a: ArticleIx,
        found: &EntityInArticle,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<MentionView> {
        deps::read(deps::Kind::ArticleText, a);
        let art = &self.g.articles[a];
        let mentions = &self.g.article_links[a].mentions;
        let mut items: Vec<Quoted> = Vec::new();
        for &mi in found.mentions.iter().take(MENTIONS_QUOTED_PER_ARTICLE) {
            let m = mentions[mi];
            let sentence =
                sentence_range(art.text(m.side), art.blocks(m.side)[m.block].range, m.range);
            match items
                .iter_mut()
                .find(|i| i.side == m.side && i.sentence == sentence)
            {
                Some(item) => item.mentions.push(m.range),
                None => items.push(Quoted {
                    side: m.side,
                    block: m.block,
                    sentence,
                    mentions: vec![m.range],
                    first: Some(mi),
                    annotations: Vec::new(),
                }),
            }
        }
        for &n in &found.annotations {
            let ann = &art.annotations[n];
            let range = ann.range;
            items.push(Quoted {
                side: ann.side,
                block: art.block_of(ann.side, range).unwrap_or_default(),
                sentence: Sentence {
                    range,
                    cut_before: false,
                    cut_after: false,
                },
                mentions: Vec::new(),
                first: None,
                annotations: vec![n],
            });
        }
        // Paragraph by paragraph, each original before its translation.
        items.sort_by_key(|i| {
            (
                i.block,
                i.side,
                i.sentence.range.start,
                i.sentence.range.end,
            )
        });
        // A passage and the sentences it overlaps are quoted as one, so no text is quoted twice.
        let mut merged: Vec<Quoted> = Vec::with_capacity(items.len());
        for item in items {
            match merged.last_mut() {
                Some(last)
                    if last.side == item.side
                        && last.sentence.range.overlaps(item.sentence.range) =>
                {
                    let (l, i) = (&mut last.sentence, item.sentence);
                    if i.range.start == l.range.start {
                        l.cut_before |= i.cut_before;
                    }
                    if i.range.end > l.range.end {
                        l.range = ByteRange::new(l.range.start, i.range.end);
                        l.cut_after = i.cut_after;
                    }
                    last.mentions.extend(item.mentions);
                    last.mentions.sort_by_key(|r| r.start);
                    last.mentions.dedup();
                    last.first = match (last.first, item.first) {
                        (Some(x), Some(y)) => Some(x.min(y)),
                        (x, y) => x.or(y),
                    };
                    last.annotations.extend(item.annotations);
                }
                _ => merged.push(item),
            }
        }
        let url = self.article_url(a);
        merged
            .into_iter()
            .map(|q| MentionView {
                lang: match (q.side, &art.translation) {
                    (TextSide::Translation, Some(t)) => t.language.clone(),
                    _ => art
                        .language
                        .clone()
                        .unwrap_or_else(|| self.g.config.language.clone()),
                },
                sentence_html: marked_html(
                    art.text(q.side),
                    q.sentence,
                    &q.mentions,
                    &q.annotations
                        .iter()
                        .map(|&n| (art.annotations[n].range, art.annotations[n].kind.as_str()))
                        .collect::<Vec<_>>(),
                ),
                url: match (q.first, q.annotations.first()) {
                    (Some(mi), _) => routes::fragment(&url, &format!("m{}", mi + 1)),
                    (None, Some(&n)) => routes::fragment(&url, &art.annotations[n].id.to_string()),
                    (None, None) => url.clone(),
                },
                passages: q
                    .annotations
                    .iter()
                    .map(|&n| self.passage((a, n), diags))
                    .collect(),
            })
            .collect()
    }
}

/// A stretch of an article an entity page quotes: a sentence (or a passage, or several
/// that overlap), the mentions in it, and the annotations on it.
struct Quoted {
    /// The text it is of, and the paragraph, for reading order.
    side: TextSide,
    block: usize,
    sentence: Sentence,
    mentions: Vec<ByteRange>,
    /// The first mention's index in the article, for the link into it.
    first: Option<usize>,
    annotations: Vec<usize>,
}

/// What an entity page shows of one article, gathered from the entity's links.
#[derive(Default)]
struct EntityInArticle {
    /// Indexes into the article's mentions.
    mentions: Vec<usize>,
    /// Annotations where the entity speaks or that are about it.
    annotations: BTreeSet<usize>,
    statements: usize,
    byline: bool,
    outlet: bool,
}
