//! The home page's drawn timeline, laid out at build time so that it reads without a script:
//! a time axis to scale whose long empty stretches are cut out and marked, EDTF dates drawn
//! as points and bars at their real extent, rows that never overlap, dense periods counted,
//! and the compact list of entries beneath. `timeline.js` in the theme only zooms and filters.
//! The axis itself is `timeline_axis`'s; this module puts the entries on it, in lanes and rows.

use super::timeline_axis::{Axis, CUT_WIDTH, Extent, iso};
use super::timeline_ticks::{count_periods, ticks};
use crate::edtf::EdtfDate;
use crate::render::view::{CutView, DateView, JoinView, LaneView, MarkerView, TimelineView};
use serde::Serialize;
use std::collections::BTreeMap;

/// Puts spans (`left`, `right` in percent, sorted by `left`) into rows: the first row where
/// the span leaves `gap` clear after the last one, while there are fewer than `max_rows`;
/// then the first row where it merely does not overlap. Rows never overlap.
pub fn assign_rows(spans: &[(f64, f64)], gap: f64, max_rows: usize) -> (Vec<usize>, usize) {
    let mut ends: Vec<f64> = Vec::new();
    let rows = spans
        .iter()
        .map(|&(left, right)| {
            let row = ends
                .iter()
                .position(|&end| end + gap <= left)
                .or_else(|| {
                    (ends.len() >= max_rows)
                        .then(|| ends.iter().position(|&end| end <= left))
                        .flatten()
                })
                .unwrap_or_else(|| {
                    ends.push(f64::NEG_INFINITY);
                    ends.len() - 1
                });
            ends[row] = right;
            row
        })
        .collect();
    (rows, ends.len())
}

/// How many entries a lane holds before dense periods are counted at coarse zoom.
const DENSE: usize = 150;
/// Beyond this many entries in a lane (or articles in all), only the counts are drawn:
/// the page stays small.
const MARKERS_MAX: usize = 2_500;
/// Beyond this many entries in all, the list under the axis shows events only (the articles
/// page lists the articles) and the article lanes are counted: 2,000 events and 500
/// articles listed in full would make a home page of 2.3 MB.
const LISTED_ENTRIES_MAX: usize = 1_000;
/// Outlets with their own lane; the others share one.
const OUTLET_LANES: usize = 6;
/// The drawn width of a point, percent of the axis at fit zoom, for keeping rows apart.
const POINT_WIDTH: f64 = 1.1;

/// Events or articles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Event,
    Article,
}

impl Kind {
    pub(super) fn noun(self, n: usize) -> &'static str {
        match (self, n) {
            (Kind::Event, 1) => "event",
            (Kind::Event, _) => "events",
            (Kind::Article, 1) => "article",
            (Kind::Article, _) => "articles",
        }
    }
}

/// One event or article as the renderer hands it over.
#[derive(Clone, Debug)]
pub struct Entry {
    pub kind: Kind,
    pub id: String,
    pub title: String,
    pub url: String,
    pub date: Option<EdtfDate>,
    pub date_view: DateView,
    pub summary_html: String,
    /// The outlet's entity id and name, for articles.
    pub outlet: Option<(String, String)>,
    /// Annotations of an article; articles reporting an event.
    pub count: usize,
    pub tags: Vec<String>,
    /// Entity ids, for the filter.
    pub entities: Vec<String>,
    /// For an article: indexes in the entry list of the events it reports.
    pub reports: Vec<usize>,
}

pub(super) fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub(crate) fn anchor(e: &Entry) -> String {
    match e.kind {
        Kind::Event => format!("tl-ev-{}", e.id),
        Kind::Article => format!("tl-ar-{}", e.id),
    }
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The count an entry shows: "reported in 2 articles", "5 annotations".
fn count_text(e: &Entry) -> String {
    match e.kind {
        Kind::Event if e.count == 0 => "not yet reported".into(),
        Kind::Event => format!("reported in {}", plural(e.count, "article", "articles")),
        Kind::Article => plural(e.count, "annotation", "annotations"),
    }
}

/// Lays out `entries` (in timeline order) and builds the list. `entity_names` names the
/// entities the filter offers.
pub fn build(entries: &[Entry], entity_names: &BTreeMap<String, String>) -> TimelineView {
    let extents: Vec<Option<Extent>> = entries
        .iter()
        .map(|e| e.date.as_ref().map(Extent::of))
        .collect();
    let known: Vec<Extent> = extents.iter().flatten().copied().collect();
    let article_total = entries.iter().filter(|e| e.kind == Kind::Article).count();
    let articles_listed = entries.len() <= LISTED_ENTRIES_MAX;
    let listed = |e: &Entry| e.kind == Kind::Event || articles_listed;
    let mut view = TimelineView {
        unlisted_articles: if articles_listed { 0 } else { article_total },
        ..TimelineView::default()
    };
    super::timeline_list::list(entries, &listed, &mut view);
    super::timeline_list::filters(entries, &listed, entity_names, &mut view);
    let Some(axis) = Axis::new(&known) else {
        return view;
    };
    view.drawn = true;
    view.days_per_width = round(axis.days_per_width());
    view.ticks = ticks(&axis);
    view.cuts = axis
        .stretches
        .windows(2)
        .map(|w| {
            let years = (w[1].from - w[0].to) as f64 / 365.25;
            CutView {
                x: round(w[0].left + w[0].width),
                w: CUT_WIDTH,
                label: format!(
                    "{} without entries",
                    plural(years.round() as usize, "year", "years")
                ),
                start: iso(w[0].to),
                end: iso(w[1].from - 1),
            }
        })
        .collect();

    // Where each entry is drawn, percent of the axis.
    let spans: Vec<Option<(f64, f64)>> = extents
        .iter()
        .map(|e| {
            e.map(|e| {
                let left = e.from.map_or(0.0, |f| axis.x(f));
                let right = e.to.map_or(100.0, |t| axis.x(t));
                (left, right)
            })
        })
        .collect();

    // Lanes: events, then the outlets with the most articles, then the other articles.
    let mut by_outlet: BTreeMap<&str, usize> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.kind == Kind::Article) {
        *by_outlet
            .entry(e.outlet.as_ref().map_or("", |o| o.0.as_str()))
            .or_default() += 1;
    }
    let mut outlets: Vec<(&str, usize)> =
        by_outlet.into_iter().filter(|o| !o.0.is_empty()).collect();
    outlets.sort_by_key(|&(id, n)| (std::cmp::Reverse(n), id));
    outlets.truncate(OUTLET_LANES);
    let lane_of = |e: &Entry| -> usize {
        match (e.kind, &e.outlet) {
            (Kind::Event, _) => 0,
            (Kind::Article, Some((id, _))) => outlets
                .iter()
                .position(|o| o.0 == id.as_str())
                .map_or(outlets.len() + 1, |p| p + 1),
            (Kind::Article, None) => outlets.len() + 1,
        }
    };
    let mut lane_entries: Vec<Vec<usize>> = vec![Vec::new(); outlets.len() + 2];
    for (i, e) in entries.iter().enumerate() {
        if spans[i].is_some() {
            lane_entries[lane_of(e)].push(i);
        }
    }
    let other_label = if outlets.is_empty() {
        "Articles"
    } else {
        "Other articles"
    };
    let mut row_of: Vec<Option<usize>> = vec![None; entries.len()];
    let mut first_row = 0;
    for (lane, members) in lane_entries.iter_mut().enumerate() {
        if members.is_empty() {
            continue;
        }
        members.sort_by(|&a, &b| {
            let (sa, sb) = (spans[a].unwrap_or_default(), spans[b].unwrap_or_default());
            sa.0.total_cmp(&sb.0).then(a.cmp(&b))
        });
        let kind = entries[members[0]].kind;
        let label = match lane {
            0 => "Events".to_owned(),
            l if l <= outlets.len() => entries[members[0]]
                .outlet
                .as_ref()
                .map_or_else(String::new, |o| o.1.clone()),
            _ => other_label.to_owned(),
        };
        // Articles beyond the list's limit are only counted, like any lane too long to draw.
        let individual = members.len() <= MARKERS_MAX && (kind == Kind::Event || articles_listed);
        let counts = if members.len() > DENSE || !individual {
            let years: Vec<i32> = if kind == Kind::Event || view.unlisted_articles == 0 {
                view.years
                    .iter()
                    .filter_map(|y| y.year.parse().ok())
                    .collect()
            } else {
                Vec::new()
            };
            count_periods(&axis, members, entries, kind, &years)
        } else {
            Vec::new()
        };
        let mut rows: Vec<Vec<MarkerView>> = Vec::new();
        if individual {
            let drawn: Vec<(f64, f64)> = members
                .iter()
                .map(|&i| {
                    let (l, r) = spans[i].unwrap_or_default();
                    if extents[i].is_some_and(|e| e.to.zip(e.from).is_some_and(|(t, f)| t - f <= 1))
                    {
                        (l - POINT_WIDTH / 2.0, l + POINT_WIDTH / 2.0)
                    } else {
                        (l, r.max(l + POINT_WIDTH / 2.0))
                    }
                })
                .collect();
            let max_rows = if kind == Kind::Event { 4 } else { 2 };
            let (assigned, count) = assign_rows(&drawn, 0.2, max_rows);
            rows = vec![Vec::new(); count];
            for (&i, &row) in members.iter().zip(&assigned) {
                row_of[i] = Some(first_row + row);
                rows[row].push(marker(
                    &entries[i],
                    extents[i].unwrap_or(Extent {
                        from: None,
                        to: None,
                    }),
                    spans[i].unwrap_or_default(),
                ));
            }
        }
        first_row += rows.len().max(1);
        view.lanes.push(LaneView {
            label,
            kind,
            rows,
            counts,
        });
    }
    view.rows = first_row;

    // Joins, from the article's day to the nearest day of the event it reports.
    for (i, e) in entries.iter().enumerate() {
        let (Some(ra), Some((xa, _))) = (row_of[i], spans[i]) else {
            continue;
        };
        for &ev in &e.reports {
            let (Some(re), Some((l, r))) = (
                row_of.get(ev).copied().flatten(),
                spans.get(ev).copied().flatten(),
            ) else {
                continue;
            };
            view.joins.push(JoinView {
                article: anchor(e),
                event: anchor(&entries[ev]),
                x1: round(xa),
                y1: ra as f64 + 0.5,
                x2: round(xa.clamp(l, r)),
                y2: re as f64 + 0.5,
            });
        }
    }
    view
}

fn marker(e: &Entry, extent: Extent, (left, right): (f64, f64)) -> MarkerView {
    let point = extent.to.zip(extent.from).is_some_and(|(t, f)| t - f <= 1);
    let mut label = format!(
        "{}: {}, {}",
        match e.kind {
            Kind::Event => "Event",
            Kind::Article => "Article",
        },
        e.title,
        e.date_view.display
    );
    if let Some((_, outlet)) = &e.outlet {
        label = format!("{label}, {outlet}");
    }
    label = format!("{label}; {}", count_text(e));
    MarkerView {
        anchor: anchor(e),
        kind: e.kind,
        x: round(if point { (left + right) / 2.0 } else { left }),
        w: round(right - left),
        point,
        start: extent.from.map_or_else(|| "..".into(), iso),
        end: extent.to.map_or_else(|| "..".into(), |t| iso(t - 1)),
        approximate: e.date_view.approximate,
        uncertain: e.date_view.uncertain,
        open_start: extent.from.is_none(),
        open_end: extent.to.is_none(),
        label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::timeline_axis::tests::{BRIEFING, day};

    fn entry(kind: Kind, id: &str, date: &str) -> Entry {
        let parsed: EdtfDate = date.parse().expect("a date");
        Entry {
            kind,
            id: id.into(),
            title: format!("Title {id}"),
            url: format!("/{id}/"),
            date_view: DateView {
                edtf: date.into(),
                display: parsed.display(),
                iso: parsed.start_iso().unwrap_or_default(),
                precision: "day",
                approximate: parsed.is_approximate(),
                uncertain: parsed.is_uncertain(),
                interval: parsed.is_interval(),
                open_end: parsed.is_interval() && parsed.end_iso().is_none(),
            },
            date: Some(parsed),
            summary_html: String::new(),
            outlet: None,
            count: 0,
            tags: Vec::new(),
            entities: Vec::new(),
            reports: Vec::new(),
        }
    }

    #[test]
    fn marks_cover_their_whole_range_at_their_precision() {
        let entries: Vec<Entry> = BRIEFING
            .iter()
            .enumerate()
            .map(|(i, d)| entry(Kind::Event, &format!("e{i}"), d))
            .chain([entry(Kind::Article, "open", "2022-08/..")])
            .collect();
        let view = build(&entries, &BTreeMap::new());
        let axis = Axis::new(
            &entries
                .iter()
                .map(|e| Extent::of(e.date.as_ref().expect("dated")))
                .collect::<Vec<_>>(),
        )
        .expect("an axis");
        let marks: BTreeMap<String, MarkerView> = view
            .lanes
            .iter()
            .flat_map(|l| l.rows.iter().flatten())
            .map(|m| (m.anchor.clone(), m.clone()))
            .collect();
        assert_eq!(marks.len(), entries.len());
        let month = &marks["tl-ev-e4"];
        assert_eq!(
            (month.start.as_str(), month.end.as_str()),
            ("2020-10-01", "2020-10-31")
        );
        assert!(!month.point && month.uncertain && !month.approximate);
        let x = |iso: &str| axis.x(day(iso));
        assert!((month.x - x("2020-10-01")).abs() < 0.001);
        assert!((month.x + month.w - x("2020-11-01")).abs() < 0.002);
        let freeze = &marks["tl-ev-e8"];
        assert_eq!(
            (freeze.start.as_str(), freeze.end.as_str()),
            ("2022-08-05", "2023-12-21")
        );
        assert!(freeze.x + freeze.w >= x("2023-12-22") - 0.002);
        // A single day is a point centred on that day.
        let point = &marks["tl-ev-e2"];
        assert!(point.point && point.start == "2020-10-20" && point.end == "2020-10-20");
        assert!(point.x > x("2020-10-20") && point.x < x("2020-10-21"));
        // An open end runs to the end of the axis, and says so.
        let open = &marks["tl-ar-open"];
        assert!(open.open_end && open.end == ".." && (open.x + open.w - 100.0).abs() < 0.002);
        assert_eq!(view.cuts.len(), 2);
    }

    #[test]
    fn rows_never_overlap() {
        let mut seed = 7_u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as f64 / f64::from(1u32 << 31) * 100.0
        };
        let mut spans: Vec<(f64, f64)> = (0..500)
            .map(|_| {
                let l = next();
                (l, l + next() / 20.0)
            })
            .collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        for max_rows in [1, 3, 100] {
            let (rows, count) = assign_rows(&spans, 0.5, max_rows);
            let mut ends = vec![f64::NEG_INFINITY; count];
            for (s, &r) in spans.iter().zip(&rows) {
                assert!(ends[r] <= s.0, "row {r} overlaps at {s:?}");
                ends[r] = s.1;
            }
        }
        // Overlapping intervals go to separate rows.
        assert_eq!(
            assign_rows(&[(0.0, 50.0), (10.0, 20.0), (60.0, 70.0)], 0.0, 4).0,
            [0, 1, 0]
        );
    }

    #[test]
    fn a_large_timeline_lists_events_only_and_counts_articles() {
        let entries: Vec<Entry> = (0..900)
            .map(|i| {
                entry(
                    Kind::Event,
                    &format!("e{i}"),
                    &format!("{}-03-{:02}", 2000 + i / 90, i % 28 + 1),
                )
            })
            .chain((0..200).map(|i| {
                entry(
                    Kind::Article,
                    &format!("a{i}"),
                    &format!("{}-05-{:02}", 2000 + i / 20, i % 28 + 1),
                )
            }))
            .collect();
        let view = build(&entries, &BTreeMap::new());
        assert_eq!(view.unlisted_articles, 200);
        let listed: usize = view.years.iter().map(|y| y.entries.len()).sum();
        assert_eq!(listed, 900);
        for lane in view.lanes.iter().filter(|l| l.kind == Kind::Article) {
            assert!(
                lane.rows.is_empty() && !lane.counts.is_empty(),
                "{}",
                lane.label
            );
        }
        // Under the limit, everything is listed and drawn.
        let small = build(&entries[850..], &BTreeMap::new());
        assert_eq!(small.unlisted_articles, 0);
        assert_eq!(
            small.years.iter().map(|y| y.entries.len()).sum::<usize>(),
            250
        );
    }

    #[test]
    fn dense_lanes_are_counted() {
        let entries: Vec<Entry> = (0..2_000)
            .map(|i| {
                entry(
                    Kind::Event,
                    &format!("e{i}"),
                    &format!("{}-{:02}-{:02}", 2000 + i / 84, i % 12 + 1, i % 28 + 1),
                )
            })
            .collect();
        let view = build(&entries, &BTreeMap::new());
        let events = &view.lanes[0];
        assert_eq!(events.counts.iter().map(|c| c.count).sum::<usize>(), 2_000);
        assert_eq!(events.rows.iter().map(Vec::len).sum::<usize>(), 2_000);
        for c in &events.counts {
            assert!(c.start <= c.end && c.w > 0.0, "{c:?}");
        }
    }
}
