//! The home page: its timeline's entries (events and articles, in timeline order, with what
//! the filters and joins need), handed to `timeline_layout` to draw, and the date views
//! every page shows.

use super::Ctx;
use crate::diag::Diagnostic;
use crate::edtf::{EdtfDate, Precision};
use crate::ix::{EntityIx, EventIx, TiVec};
use crate::render::deps;
use crate::render::timeline_layout as timeline;
use crate::render::view::{DateView, IndexView};
use std::collections::BTreeMap;

/// One entry before the timeline is laid out: its date, kind, id and event (for joins).
type Item<'g> = (
    Option<&'g EdtfDate>,
    timeline::Kind,
    &'g str,
    Option<EventIx>,
    timeline::Entry,
);

impl Ctx<'_> {
    pub(super) fn index_view(&self, diags: &mut Vec<Diagnostic>) -> IndexView {
        for kind in [
            deps::Kind::ArticleOrder,
            deps::Kind::EventOrder,
            deps::Kind::EntityList,
            deps::Kind::Briefing,
        ] {
            deps::read(kind, 0usize);
        }
        for e in self.g.events.keys() {
            deps::read(deps::Kind::EventLinks, e);
        }
        let g = self.g;
        let mut items: Vec<Item<'_>> = Vec::new();
        let mut event_entry: TiVec<EventIx, usize> = g.events.iter().map(|_| usize::MAX).collect();
        for &e in &g.event_order {
            let ev = &g.events[e];
            let r = self.event_ref(e);
            items.push((
                Some(&ev.date),
                timeline::Kind::Event,
                ev.id.as_str(),
                Some(e),
                timeline::Entry {
                    kind: timeline::Kind::Event,
                    id: r.id,
                    title: r.title,
                    url: r.url,
                    date: Some(ev.date.clone()),
                    date_view: r.date,
                    summary_html: self.html.event_summaries[e].to_string(),
                    outlet: None,
                    // Only reports count: an article published before the event did not report it.
                    count: g.event_links[e]
                        .coverage
                        .iter()
                        .filter(|c| c.time == crate::link::CoverageTime::Report)
                        .count(),
                    tags: ev.tags.clone(),
                    entities: g.event_links[e]
                        .entities
                        .iter()
                        .map(|&x| g.entities[x].id.to_string())
                        .collect(),
                    // Articles point at events; an event's reporters are found from them.
                    reports: Vec::new(),
                },
            ));
        }
        for &a in &g.article_order {
            let art = &g.articles[a];
            let r = self.article_ref(a, diags);
            deps::read(deps::Kind::ArticleLinks, a);
            let links = &g.article_links[a];
            let mut entities: Vec<EntityIx> = links
                .annotations
                .iter()
                .flat_map(|n| n.entities.iter().copied().chain(n.speaker))
                .chain(links.mentions.iter().map(|m| m.entity))
                .collect();
            entities.sort_unstable();
            entities.dedup();
            items.push((
                art.published.as_ref(),
                timeline::Kind::Article,
                art.id.as_str(),
                None,
                timeline::Entry {
                    kind: timeline::Kind::Article,
                    id: r.id,
                    title: r.title,
                    url: r.url,
                    date: art.published.clone(),
                    date_view: art.published.as_ref().map_or_else(undated_view, date_view),
                    summary_html: r.summary_html,
                    outlet: r.outlet.map(|o| (o.id, o.name)),
                    count: art.annotations.len(),
                    tags: art.tags.clone(),
                    entities: entities
                        .into_iter()
                        .map(|x| g.entities[x].id.to_string())
                        .collect(),
                    // Event indexes for now; positions in the sorted list below. Only the
                    // events it reports: one it appeared before or looked back on is no join.
                    reports: links
                        .events
                        .iter()
                        .copied()
                        .filter(|&e| {
                            g.event_links[e].coverage.iter().any(|c| {
                                c.article == a && c.time == crate::link::CoverageTime::Report
                            })
                        })
                        .map(usize::from)
                        .collect(),
                },
            ));
        }
        items.sort_by(|a, b| {
            let by_date = match (a.0, b.0) {
                (Some(x), Some(y)) => x.sort_key().cmp(&y.sort_key()),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            by_date.then(a.1.cmp(&b.1)).then_with(|| a.2.cmp(b.2))
        });
        for (pos, item) in items.iter().enumerate() {
            if let Some(e) = item.3 {
                event_entry[e] = pos;
            }
        }
        let mut entries: Vec<timeline::Entry> = items.into_iter().map(|i| i.4).collect();
        for entry in &mut entries {
            for r in &mut entry.reports {
                *r = event_entry[EventIx::from(*r)];
            }
        }
        // The entity filter names every entity the entries name.
        let entity_names: BTreeMap<String, String> = g
            .entities
            .iter_enumerated()
            .map(|(i, e)| {
                deps::read(deps::Kind::Entity, i);
                (e.id.to_string(), e.name.clone())
            })
            .collect();
        IndexView {
            briefing_html: g
                .briefing
                .as_deref()
                .map(|b| {
                    self.markdown(
                        b,
                        Some(camino::Utf8Path::new("content/briefing.md")),
                        None,
                        diags,
                    )
                })
                .unwrap_or_default(),
            timeline: timeline::build(&entries, &entity_names),
            article_count: g.articles.len(),
            event_count: g.events.len(),
            entity_count: g.entities.len(),
            annotation_count: g.articles.iter().map(|a| a.annotations.len()).sum(),
        }
    }
}

pub fn date_view(d: &EdtfDate) -> DateView {
    DateView {
        edtf: d.as_str().to_owned(),
        display: d.display(),
        iso: d.start_iso_at_precision().unwrap_or_default(),
        precision: match d.precision() {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        },
        approximate: d.is_approximate(),
        uncertain: d.is_uncertain(),
        interval: d.is_interval(),
        open_end: d.is_interval() && d.end_iso().is_none(),
    }
}

fn undated_view() -> DateView {
    DateView {
        edtf: String::new(),
        display: "Undated".into(),
        iso: String::new(),
        precision: "year",
        approximate: false,
        uncertain: true,
        interval: false,
        open_end: false,
    }
}
