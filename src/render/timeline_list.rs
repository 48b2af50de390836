//! The list under the drawn timeline (entries by year, intervals named again in each later
//! year they run through) and the choices its filters offer.

use super::timeline_layout::{Entry, Kind, anchor};
use super::view::{EntryLink, EntryView, OptionView, TimelineView, YearView};
use crate::edtf::EdtfDate;
use std::collections::BTreeMap;

pub(super) fn list(entries: &[Entry], listed: &dyn Fn(&Entry) -> bool, view: &mut TimelineView) {
    let link = |e: &Entry| EntryLink {
        anchor: anchor(e),
        title: e.title.clone(),
        date: e.date_view.display.clone(),
    };
    let mut reported_by: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    for (i, e) in entries.iter().enumerate() {
        for &ev in &e.reports {
            if let Some(list) = reported_by.get_mut(ev) {
                list.push(i);
            }
        }
    }
    let mut undated = Vec::new();
    for (i, e) in entries.iter().enumerate().filter(|(_, e)| listed(e)) {
        let links = match e.kind {
            Kind::Article => e
                .reports
                .iter()
                .filter_map(|&r| entries.get(r))
                .map(link)
                .collect(),
            Kind::Event => reported_by[i]
                .iter()
                .map(|&a| &entries[a])
                .filter(|a| listed(a))
                .map(link)
                .collect(),
        };
        let entry = EntryView {
            anchor: anchor(e),
            kind: e.kind,
            title: e.title.clone(),
            url: e.url.clone(),
            date: e.date_view.clone(),
            summary_html: e.summary_html.clone(),
            outlet: e.outlet.as_ref().map(|o| o.1.clone()),
            outlet_id: e.outlet.as_ref().map_or_else(String::new, |o| o.0.clone()),
            count: e.count,
            tags: e.tags.join(" "),
            entities: e.entities.join(" "),
            links,
        };
        let Some((year, _, _)) = e.date.as_ref().and_then(EdtfDate::start_day) else {
            undated.push(entry);
            continue;
        };
        let year = year.to_string();
        match view.years.last_mut() {
            Some(last) if last.year == year => last.entries.push(entry),
            _ => view.years.push(YearView {
                anchor: format!("y{year}"),
                year,
                entries: vec![entry],
                continuing: Vec::new(),
            }),
        }
    }
    if !undated.is_empty() {
        view.years.push(YearView {
            year: "Undated".into(),
            anchor: "undated".into(),
            entries: undated,
            continuing: Vec::new(),
        });
    }
    // Intervals are also named in each later year they run through.
    for e in entries.iter().filter(|e| listed(e)) {
        let Some(date) = &e.date else { continue };
        let (Some((from, _, _)), to) = (date.start_day(), date.end_day().map(|d| d.0)) else {
            continue;
        };
        for y in &mut view.years {
            let Ok(year) = y.year.parse::<i32>() else {
                continue;
            };
            if year > from && to.is_none_or(|to| year <= to) {
                y.continuing.push(link(e));
            }
        }
    }
}

pub(super) fn filters(
    entries: &[Entry],
    listed: &dyn Fn(&Entry) -> bool,
    entity_names: &BTreeMap<String, String>,
    view: &mut TimelineView,
) {
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    let mut entities: BTreeMap<&str, usize> = BTreeMap::new();
    let mut outlets: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    for e in entries.iter().filter(|e| listed(e)) {
        for t in &e.tags {
            *tags.entry(t.as_str()).or_default() += 1;
        }
        for id in &e.entities {
            *entities.entry(id.as_str()).or_default() += 1;
        }
        if let Some((id, name)) = &e.outlet {
            outlets.entry(id.as_str()).or_insert((name.as_str(), 0)).1 += 1;
        }
    }
    view.tags = tags
        .into_iter()
        .map(|(t, count)| OptionView {
            value: t.to_owned(),
            label: t.to_owned(),
            count,
        })
        .collect();
    view.entities = entities
        .into_iter()
        .filter_map(|(id, count)| {
            Some(OptionView {
                value: id.to_owned(),
                label: entity_names.get(id)?.clone(),
                count,
            })
        })
        .collect();
    view.entities
        .sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.value.cmp(&b.value)));
    view.outlets = outlets
        .into_iter()
        .map(|(id, (name, count))| OptionView {
            value: id.to_owned(),
            label: name.to_owned(),
            count,
        })
        .collect();
    view.outlets.sort_by(|a, b| a.label.cmp(&b.label));
}
