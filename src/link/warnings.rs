//! The warnings about what the briefing covers: entities no article mentions, events no
//! annotation reports, reports dated before their event, annotations without a note. The
//! last two concern one article each and are made with its part (`article_warnings`).

use super::part::ArticlePart;
use super::{CoverageTime, EntityLinks, EventLinks};
use crate::anchor::{Article, Entity, Event};
use crate::diag::{Code, Diagnostic};
use crate::edtf::EdtfDate;
use crate::ix::{ArticleIx, EntityIx, EventIx, TiSlice};
use camino::Utf8PathBuf;
use std::sync::Arc;

#[allow(clippy::too_many_arguments)]
pub(super) fn warnings(
    entities: &TiSlice<EntityIx, Entity>,
    entity_links: &TiSlice<EntityIx, EntityLinks>,
    entities_path: &Utf8PathBuf,
    events: &TiSlice<EventIx, Event>,
    event_links: &TiSlice<EventIx, EventLinks>,
    events_path: &Utf8PathBuf,
    articles: &TiSlice<ArticleIx, Arc<Article>>,
    diags: &mut Vec<Diagnostic>,
) {
    // Ids named by annotations whose quote failed: once the quote is fixed they are used,
    // so a warning now would be a follow-on of that error.
    let pending: std::collections::HashSet<&str> = articles
        .iter()
        .flat_map(|a| &a.unanchored)
        .flat_map(|u| {
            let entities = u.speaker.iter().chain(&u.entities).map(|r| r.id.as_str());
            entities.chain(u.events.iter().map(|r| r.id.as_str()))
        })
        .collect();
    for (e, l) in entities.iter().zip(entity_links) {
        let referenced = !(l.statements.is_empty()
            && l.passages.is_empty()
            && l.events.is_empty()
            && l.published.is_empty()
            && l.bylines.is_empty());
        if l.mentions.is_empty() && !referenced && !pending.contains(e.id.as_str()) {
            diags.push(
                Diagnostic::warning(
                    Code::UnusedEntity,
                    format!("entity `{}` is never mentioned in any article", e.id),
                )
                .in_file(entities_path)
                .at(e.pos)
                .help("add the spelling the articles use to its `aliases`, or remove the entity"),
            );
        }
    }
    for (e, l) in events.iter().zip(event_links) {
        if l.coverage.is_empty() && !pending.contains(e.id.as_str()) {
            diags.push(
                Diagnostic::warning(
                    Code::UnreportedEvent,
                    format!("no annotation reports event `{}`", e.id),
                )
                .in_file(events_path)
                .at(e.pos)
                .help(format!(
                    "add `events: [{}]` to the annotations that report it",
                    e.id
                )),
            );
        }
    }
}

/// One article's own coverage warnings: each event it reports as a fact or statement
/// although it was published before the event began, and each annotation without a note.
/// They depend on the article and the events' ids and dates only, so they are kept with its
/// part.
pub(super) fn article_warnings(
    a: &Article,
    part: &ArticlePart,
    events: &TiSlice<EventIx, Event>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &(ev, time) in part.times() {
        if time != CoverageTime::Before {
            continue;
        }
        let e = &events[ev];
        // A fact or a statement reports; context, claims and questions may look ahead.
        let Some(first) = part
            .links
            .annotations
            .iter()
            .zip(&a.annotations)
            .filter(|(links, _)| links.events.contains(&ev))
            .map(|(_, n)| n)
            .find(|n| {
                matches!(
                    n.kind,
                    crate::model::AnnotationKind::Fact | crate::model::AnnotationKind::Statement
                )
            })
        else {
            continue;
        };
        let pos = first
            .events
            .iter()
            .find(|r| r.id == e.id)
            .map_or(first.pos, |r| r.pos);
        let published = a
            .published
            .as_ref()
            .map(EdtfDate::display)
            .unwrap_or_default();
        out.push(
            Diagnostic::warning(
                Code::ReportBeforeEvent,
                format!(
                    "article `{}` (published {published}) reports event `{}` as a fact or statement, but the event began later ({})",
                    a.id,
                    e.id,
                    e.date.display()
                ),
            )
            .in_file(a.path.as_ref().unwrap_or(&a.seed_path))
            .at(pos)
            .help(
                "an article cannot report what had not happened: the event page lists it as \
                 written before the event. If the passage anticipates the event, make it \
                 `kind: context` (or a claim); otherwise correct the article's `published` or \
                 the event's `date`",
            ),
        );
    }
    for n in &a.annotations {
        if n.note.is_none() {
            out.push(
                Diagnostic::warning(
                    Code::MissingNote,
                    format!("annotation `{}` has no note", n.id),
                )
                .in_file(a.path.as_ref().unwrap_or(&a.seed_path))
                .at(n.pos)
                .help("add `note:` with what a reader should know about this passage"),
            );
        }
    }
    out
}
