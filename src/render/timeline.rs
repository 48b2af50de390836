//! The home page: the timeline of events and articles by year, drawn from each date's
//! place in its year, and the date views every page shows.

use super::Ctx;
use crate::diag::Diagnostic;
use crate::edtf::{EdtfDate, Precision};
use crate::render::deps;
use crate::render::view::{DateView, IndexView, TimelineItem, TimelineYear};

impl Ctx<'_> {
    pub(super) fn index_view(&self, diags: &mut Vec<Diagnostic>) -> IndexView {
        for kind in [
            deps::Kind::ArticleOrder,
            deps::Kind::EventOrder,
            deps::Kind::EntityList,
            deps::Kind::Briefing,
        ] {
            deps::read(kind, 0);
        }
        for e in 0..self.g.events.len() {
            deps::read(deps::Kind::EventLinks, e);
        }
        let g = self.g;
        let mut items: Vec<(Option<&EdtfDate>, u8, String, TimelineItem)> = Vec::new();
        for &e in &g.event_order {
            let ev = &g.events[e];
            let r = self.event_ref(e);
            let (start_pct, end_pct) = year_span(&ev.date);
            items.push((
                Some(&ev.date),
                0,
                ev.id.to_string(),
                TimelineItem {
                    kind: "event",
                    title: r.title,
                    url: r.url,
                    date: r.date,
                    summary_html: self.html.event_summaries[e].to_string(),
                    outlet: None,
                    count: g.event_links[e]
                        .coverage
                        .iter()
                        .filter(|c| c.time == crate::link::CoverageTime::Report)
                        .count(),
                    start_pct,
                    end_pct,
                    continues: continues_past_year(&ev.date),
                },
            ));
        }
        for &a in &g.article_order {
            let art = &g.articles[a];
            let r = self.article_ref(a, diags);
            let (start_pct, end_pct) = art.published.as_ref().map_or((0.0, 0.0), year_span);
            items.push((
                art.published.as_ref(),
                1,
                art.id.to_string(),
                TimelineItem {
                    kind: "article",
                    title: r.title,
                    url: r.url,
                    date: art.published.as_ref().map_or_else(undated_view, date_view),
                    summary_html: r.summary_html,
                    outlet: r.outlet.map(|o| o.name),
                    count: art.annotations.len(),
                    start_pct,
                    end_pct,
                    continues: art.published.as_ref().is_some_and(continues_past_year),
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
            by_date.then(a.1.cmp(&b.1)).then_with(|| a.2.cmp(&b.2))
        });
        let mut years: Vec<TimelineYear> = Vec::new();
        let mut undated = Vec::new();
        for (date, _, _, item) in items {
            match date.and_then(EdtfDate::year) {
                Some(y) => {
                    let year = y.to_string();
                    match years.last_mut() {
                        Some(last) if last.year == year => last.items.push(item),
                        _ => years.push(TimelineYear {
                            anchor: format!("y{year}"),
                            year,
                            items: vec![item],
                        }),
                    }
                }
                None => undated.push(item),
            }
        }
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
            years,
            undated,
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

/// Where a date falls within its start year, as percentages, for drawing on the timeline.
fn year_span(d: &EdtfDate) -> (f64, f64) {
    let Some((y, m, day)) = d.start_day() else {
        return (0.0, 100.0);
    };
    let start = day_of_year(y, m, day);
    let end = match d.end_day() {
        Some((ey, em, ed)) if ey == y => day_of_year(ey, em, ed) + 1.0,
        Some(_) => 366.0,
        None if d.is_interval() => 366.0,
        None => start + 1.0,
    };
    let pct = |x: f64| (x / 366.0 * 1000.0).round() / 10.0;
    (pct(start), pct(end.max(start + 1.0)).min(100.0))
}

/// Whether a date runs past the end of its start year (drawn with an arrow on the timeline).
fn continues_past_year(d: &EdtfDate) -> bool {
    match (d.start_day(), d.end_day()) {
        (Some((y, _, _)), Some((ey, _, _))) => ey > y,
        (Some(_), None) => d.is_interval(),
        _ => false,
    }
}

fn day_of_year(_y: i32, m: u8, d: u8) -> f64 {
    const BEFORE: [u16; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    f64::from(BEFORE[usize::from(m.clamp(1, 12)) - 1] + u16::from(d.max(1)) - 1)
}
