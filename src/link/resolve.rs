//! Resolving references: entity, event and speaker ids to indexes (with "did you mean"
//! help for unknown ones), the mentions in an article's text, and "see" links between
//! annotations.

use super::{AnnRef, AnnotationLinks, ArticleLinks, Mention};
use crate::anchor::{Article, Entity, Event, Ref};
use crate::diag::{Code, Diagnostic, Fix, NEAREST_IDS};
use crate::ix::{ArticleIx, EntityIx, EventIx, TiSlice};
use crate::link::mentions::MentionMatcher;
use crate::text;
use crate::types::{ByteRange, EntityId};
use camino::Utf8PathBuf;
// Fx: these maps are rebuilt on every `serve` rebuild, and their keys are not hostile.
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Unknown ids get a "did you mean" only while a file has fewer diagnostics than this.
const MAX_SUGGESTIONS: usize = 50;

pub(super) struct Resolver<'a> {
    pub(super) entity_ix: &'a HashMap<&'a str, EntityIx>,
    /// Entity names and aliases, as written, for bylines.
    pub(super) entity_names: &'a HashMap<&'a str, EntityIx>,
    pub(super) event_ix: &'a HashMap<&'a str, EventIx>,
    pub(super) entities: &'a TiSlice<EntityIx, Entity>,
    pub(super) events: &'a TiSlice<EventIx, Event>,
    pub(super) broken_events: &'a BTreeMap<String, Vec<Ref<EntityId>>>,
}

impl Resolver<'_> {
    pub(super) fn entity(
        &self,
        r: &Ref<EntityId>,
        file: &Utf8PathBuf,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<EntityIx> {
        let found = self.entity_ix.get(r.id.as_str()).copied();
        if found.is_none() {
            let nearest = nearest_ids(
                r.id.as_str(),
                self.entities.iter().map(|e| e.id.as_str()),
                diags,
            );
            let near = nearest.first();
            diags.push(
                Diagnostic::error(
                    Code::UnknownEntity,
                    format!("no entity has the id `{}`", r.id),
                )
                .in_file(file)
                .at(r.pos)
                .fix(ids_fix(&nearest))
                .help(match near {
                    Some(n) => format!(
                        "did you mean `{n}`? Or add `{}` to content/entities.yaml",
                        r.id
                    ),
                    None => format!("add `{}` to content/entities.yaml", r.id),
                }),
            );
        }
        found
    }

    pub(super) fn entities(
        &self,
        refs: &[Ref<EntityId>],
        file: &Utf8PathBuf,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<EntityIx> {
        let mut out: Vec<EntityIx> = refs
            .iter()
            .filter_map(|r| self.entity(r, file, diags))
            .collect();
        dedup_keep_order(&mut out);
        out
    }

    pub(super) fn events(
        &self,
        refs: &[Ref<crate::types::EventId>],
        file: &Utf8PathBuf,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<EventIx> {
        let mut out = Vec::new();
        for r in refs {
            match self.event_ix.get(r.id.as_str()) {
                Some(&i) => out.push(i),
                // Its invalid date was reported; one mistake, one error.
                None if self.broken_events.contains_key(r.id.as_str()) => {}
                None => {
                    let nearest = nearest_ids(
                        r.id.as_str(),
                        self.events.iter().map(|e| e.id.as_str()),
                        diags,
                    );
                    let near = nearest.first();
                    diags.push(
                        Diagnostic::error(
                            Code::UnknownEvent,
                            format!("no event has the id `{}`", r.id),
                        )
                        .in_file(file)
                        .at(r.pos)
                        .fix(ids_fix(&nearest))
                        .help(match near {
                            Some(n) => {
                                format!("did you mean `{n}`? Or add it to content/events.yaml")
                            }
                            None => {
                                format!("add an event with `id: {}` to content/events.yaml", r.id)
                            }
                        }),
                    );
                }
            }
        }
        dedup_keep_order(&mut out);
        out
    }
}

/// The existing ids nearest to an unknown `id`, nearest first. Suggestions cost a pass over
/// every id; a file with thousands of unknown ids gets them for the first few.
fn nearest_ids<'a>(
    id: &str,
    ids: impl IntoIterator<Item = &'a str>,
    diags: &[Diagnostic],
) -> Vec<&'a str> {
    if diags.len() < MAX_SUGGESTIONS {
        crate::suggest::nearest_n(id, ids, NEAREST_IDS)
    } else {
        Vec::new()
    }
}

/// The quick fix for an unknown id: the nearest ones, when there are any.
pub(super) fn ids_fix(nearest: &[&str]) -> Option<Fix> {
    (!nearest.is_empty()).then(|| Fix::Ids {
        ids: nearest.iter().map(|&s| s.to_owned()).collect(),
    })
}

fn dedup_keep_order<T: Ord + Copy>(v: &mut Vec<T>) {
    let mut seen = BTreeSet::new();
    v.retain(|x| seen.insert(*x));
}

/// Every entity mention in an article's kept text, paragraph by paragraph: the original's,
/// then the translation's.
pub(super) fn find_mentions(
    article: &Article,
    resolver: &Resolver,
    matcher: &MentionMatcher,
) -> Vec<Mention> {
    let mut mentions = Vec::new();
    if matcher.is_empty() {
        return mentions;
    }
    for side in article.sides() {
        let seed = article.text(side);
        for (bi, block) in article.blocks(side).iter().enumerate() {
            let normalized = text::normalize(block.range.of(seed));
            for (entity, range) in matcher.find(&normalized.text) {
                let local = normalized.original_range(range);
                if let Some(&ix) = resolver.entity_ix.get(entity.as_str()) {
                    mentions.push(Mention {
                        entity: ix,
                        side,
                        range: ByteRange::new(
                            block.range.start + local.start,
                            block.range.start + local.end,
                        ),
                        block: bi,
                    });
                }
            }
        }
    }
    mentions
}

pub(super) fn link_article(
    article: &Article,
    resolver: &Resolver,
    mentions: Vec<Mention>,
) -> (ArticleLinks, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let file = article
        .path
        .clone()
        .unwrap_or_else(|| article.seed_path.clone());
    let mut links = ArticleLinks {
        outlet: article
            .outlet
            .as_ref()
            .and_then(|r| resolver.entity(r, &file, &mut diags)),
        author: article
            .author
            .as_deref()
            .and_then(|name| resolver.entity_names.get(name.trim()).copied()),
        ..Default::default()
    };
    for ann in &article.annotations {
        let ann_links = AnnotationLinks {
            speaker: ann
                .speaker
                .as_ref()
                .and_then(|r| resolver.entity(r, &file, &mut diags)),
            entities: resolver.entities(&ann.entities, &file, &mut diags),
            events: resolver.events(&ann.events, &file, &mut diags),
            see: Vec::new(),
            seen_from: Vec::new(),
        };
        links.events.extend(&ann_links.events);
        links.annotations.push(ann_links);
    }
    // An annotation that did not anchor links nothing, but its ids are checked all the same.
    for ann in &article.unanchored {
        if let Some(r) = &ann.speaker {
            resolver.entity(r, &file, &mut diags);
        }
        resolver.entities(&ann.entities, &file, &mut diags);
        resolver.events(&ann.events, &file, &mut diags);
    }
    links.mentions = mentions;
    (links, diags)
}

/// Each article's annotation ids, made when a `see` first names the article: few do, and a
/// map for every article on every rebuild would cost more than all the lookups.
pub(super) type AnnotationIds<'a> = HashMap<ArticleIx, HashMap<&'a str, usize>>;

pub(super) fn resolve_see<'a>(
    target: &str,
    from: ArticleIx,
    article_ix: &HashMap<&str, ArticleIx>,
    ann_ix: &mut AnnotationIds<'a>,
    articles: &'a TiSlice<ArticleIx, Arc<Article>>,
) -> Result<Option<AnnRef>, (String, Option<Fix>)> {
    let (article, ann) = match target.split_once('#') {
        Some(("", n)) => (from, n),
        Some((a, n)) => match article_ix.get(a) {
            Some(&i) => (i, n),
            None => {
                let nearest = crate::suggest::nearest_n(a, article_ix.keys().copied(), NEAREST_IDS);
                return Err((
                    format!(
                        "there is no article `{a}`; write `<article id>#<annotation id>`, the article id being its file stem"
                    ),
                    ids_fix(&nearest),
                ));
            }
        },
        None => (from, target),
    };
    let ids = ann_ix.entry(article).or_insert_with(|| {
        articles[article]
            .annotations
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect()
    });
    match ids.get(ann) {
        Some(&n) => Ok(Some((article, n))),
        // Its quote did not anchor, which was reported; one mistake, one error.
        None if articles[article].unanchored.iter().any(|u| u.id == ann) => Ok(None),
        None => {
            let nearest = crate::suggest::nearest_n(ann, ids.keys().copied(), NEAREST_IDS);
            let help = match nearest.first() {
                Some(n) => format!("that article has no annotation `{ann}`; did you mean `{n}`?"),
                None => format!("that article has no annotation `{ann}`"),
            };
            Err((help, ids_fix(&nearest)))
        }
    }
}
