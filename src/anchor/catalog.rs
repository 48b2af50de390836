//! Entities, events and extra pages as the anchor stage takes them in: ids checked as safe
//! folder names, each entity placed where its file names it, event dates parsed (an event
//! whose date does not parse is set aside with its references, which are still checked),
//! drafts left out unless the build shows them.

use super::{Entity, Event, Page, Ref, check_id, parse_date, refs};
use crate::diag::{Code, Diagnostic, Pos};
use crate::load::{PageSource, Parsed};
use crate::model::{EntitiesFile, EventsFile};
use crate::text;
use crate::types::{EntityId, EventId};
use camino::Utf8PathBuf;
use std::collections::{BTreeMap, BTreeSet};

/// The entities file's path (its usual one when there is none) and its checked entities.
pub(super) fn entities(
    entities: Option<Parsed<EntitiesFile>>,
    diags: &mut Vec<Diagnostic>,
) -> (Utf8PathBuf, Vec<Entity>) {
    let entities_path = entities
        .as_ref()
        .map_or_else(|| "content/entities.yaml".into(), |e| e.path.clone());
    let entities = entities.map_or_else(Vec::new, |parsed| {
        let positions = key_positions(&parsed.text);
        parsed
            .value
            .into_iter()
            .filter(|(id, _)| {
                let pos = positions.get(id.as_str()).copied().unwrap_or(Pos {
                    line: 1,
                    column: 1,
                    offset: 0,
                    len: 0,
                });
                check_id("entity", id, pos, &parsed.path, diags)
            })
            .map(|(id, def)| Entity {
                pos: positions.get(id.as_str()).copied().unwrap_or(Pos {
                    line: 1,
                    column: 1,
                    offset: 0,
                    len: 0,
                }),
                // A missing name was reported by load; the id stands in, so that no empty
                // alias reaches the mention matcher.
                name: def
                    .name
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| id.clone()),
                id: EntityId(id),
                kind: def.kind.unwrap_or_default(),
                aliases: def.aliases,
                role: def.role,
                description: def.description,
                links: def.links,
            })
            .collect()
    });
    (entities_path, entities)
}

/// The events file's path, its events with parsed dates, and the references of those whose
/// date did not parse, by id.
pub(super) fn events(
    events: Option<Parsed<EventsFile>>,
    diags: &mut Vec<Diagnostic>,
) -> (
    Utf8PathBuf,
    Vec<Event>,
    BTreeMap<String, Vec<Ref<EntityId>>>,
) {
    let events_path = events
        .as_ref()
        .map_or_else(|| "content/events.yaml".into(), |e| e.path.clone());
    let mut event_list = Vec::new();
    let mut seen_events = BTreeSet::new();
    let mut broken_events = BTreeMap::new();
    for def in events.map(|p| p.value).unwrap_or_default() {
        let pos = Pos::from_yaml(&def.id.referenced);
        if !seen_events.insert(def.id.value.clone()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("event id `{}` is used twice", def.id.value),
                )
                .in_file(&events_path)
                .at(pos)
                .help("give each event a unique id"),
            );
            continue;
        }
        if !check_id("event", &def.id.value, pos, &events_path, diags) {
            continue;
        }
        let Some(date) = parse_date(&def.date, &events_path, diags) else {
            broken_events.insert(def.id.value.clone(), refs(&def.entities, EntityId));
            continue;
        };
        event_list.push(Event {
            id: EventId(def.id.value),
            pos,
            date,
            title: def.title,
            summary: def.summary,
            entities: refs(&def.entities, EntityId),
            tags: def.tags,
        });
    }
    (events_path, event_list, broken_events)
}

/// The extra pages a build shows, in menu order (weight, then slug).
pub(super) fn pages(pages: Vec<PageSource>, drafts: bool) -> Vec<Page> {
    let mut page_list: Vec<Page> = pages
        .into_iter()
        .filter(|p| !p.front.draft || drafts)
        .map(|p| Page {
            slug: p
                .front
                .slug
                .clone()
                .map_or_else(|| text::slugify(&p.stem), |s| text::slugify(&s)),
            title: p.front.title.clone().unwrap_or_else(|| p.stem.clone()),
            weight: p.front.weight,
            body: p.body,
            path: p.path,
        })
        .collect();
    page_list.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
    page_list
}

/// Where each top-level mapping key is written, found in one scan of the lines (serde-saphyr
/// spans values, not keys; a scan per key would be quadratic in a large entities file).
fn key_positions(text: &str) -> std::collections::HashMap<&str, Pos> {
    let mut positions = std::collections::HashMap::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let key = match line.chars().next() {
            Some(q @ ('"' | '\'')) => line[1..]
                .split_once(q)
                .filter(|(_, rest)| rest.trim_start().starts_with(':'))
                .map(|(k, _)| k),
            Some(c) if !c.is_whitespace() && !matches!(c, '#' | '-' | '{' | '[') => {
                line.split_once(':').map(|(k, _)| k.trim_end())
            }
            _ => None,
        };
        if let Some(key) = key {
            positions.entry(key).or_insert(Pos {
                line: i + 1,
                column: 1,
                offset,
                len: key.len(),
            });
        }
        offset += line.len();
    }
    positions
}
