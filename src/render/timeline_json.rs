//! `timeline.json`: the events in TimelineJS3's format, for sites that embed TimelineJS.
//! Every URL in it is absolute under the base URL, and every text field is HTML, since
//! TimelineJS puts each into the page as it is.

use crate::edtf::{EdtfDate, Precision};
use crate::link::SiteGraph;
use crate::markdown::Markdown;
use crate::render::view::SiteView;
use crate::routes;
use serde_json::{Map, Value, json};

/// A TimelineJS date object with exactly the fields the date's precision supports.
fn timeline_date(date: &EdtfDate) -> Option<Value> {
    let (y, m, d) = date.start_day()?;
    let mut obj = Map::new();
    obj.insert("year".into(), json!(y));
    if date.precision() >= Precision::Month {
        obj.insert("month".into(), json!(m));
    }
    if date.precision() >= Precision::Day {
        obj.insert("day".into(), json!(d));
    }
    Some(Value::Object(obj))
}

/// Each end of a date as its own date, so that `2020-10/2020-11-03` keeps both precisions.
fn ends(date: &EdtfDate) -> (Option<EdtfDate>, Option<EdtfDate>) {
    match date.as_str().split_once('/') {
        Some((a, b)) => (a.parse().ok(), b.parse().ok()),
        None => (Some(date.clone()), None),
    }
}

/// The events in TimelineJS3's JSON format (`{title, events: [...]}`), in timeline order.
/// Each slide's `display_date` is gloss's own wording, so an approximate date is not shown
/// as an exact one; TimelineJS groups slides by the event's first tag.
pub fn timeline(g: &SiteGraph, site: &SiteView) -> Value {
    let base = &site.base_url;
    let links = g.link_targets(base);
    let resolve = |p: &str| links.get(p).cloned();
    let md = Markdown {
        allow_html: g.config.build.allow_html,
        language: &g.config.language,
        highlight_theme: &g.config.highlight.theme,
        resolve: &resolve,
    };
    let mut events = Vec::new();
    for &e in &g.event_order {
        let ev = &g.events[e];
        let (start, end) = ends(&ev.date);
        // TimelineJS needs a start; an event known only by its end is placed at the end.
        let Some(start_date) = start
            .as_ref()
            .and_then(timeline_date)
            .or_else(|| end.as_ref().and_then(timeline_date))
        else {
            continue;
        };
        let url = routes::url(base, &routes::event(ev.id.as_str()));
        let coverage = g.event_links[e].coverage.len();
        let mut text = ev
            .summary
            .as_deref()
            .map(|s| md.render(s).html)
            .unwrap_or_default();
        let label = match coverage {
            0 => "Event page".to_owned(),
            1 => "Coverage in 1 article".to_owned(),
            n => format!("Coverage in {n} articles"),
        };
        text.push_str(&format!(
            "<p><a href=\"{}\">{label}</a></p>",
            crate::html::escape(&url)
        ));
        let mut slide = Map::new();
        slide.insert("unique_id".into(), json!(ev.id.as_str()));
        slide.insert("start_date".into(), start_date);
        if let Some(end_date) = start.as_ref().and(end.as_ref()).and_then(timeline_date) {
            slide.insert("end_date".into(), end_date);
        }
        // TimelineJS3 puts every text field into the page with `innerHTML`, so each one is
        // HTML: plain text is escaped like on the pages, never passed through raw.
        slide.insert(
            "display_date".into(),
            json!(crate::html::escape(&ev.date.display())),
        );
        slide.insert(
            "text".into(),
            json!({"headline": crate::html::escape(&ev.title), "text": text}),
        );
        if let Some(tag) = ev.tags.first() {
            slide.insert("group".into(), json!(crate::html::escape(tag)));
        }
        events.push(Value::Object(slide));
    }
    json!({
        "title": {"text": {"headline": crate::html::escape(&site.title), "text": crate::html::escape(&site.description)}},
        "events": events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_dates_keep_precision() {
        let date = |s: &str| s.parse::<EdtfDate>().ok().and_then(|d| timeline_date(&d));
        assert_eq!(date("2020"), Some(json!({"year": 2020})));
        assert_eq!(date("2020-10~"), Some(json!({"year": 2020, "month": 10})));
        assert_eq!(
            date("2020-10-29"),
            Some(json!({"year": 2020, "month": 10, "day": 29}))
        );
        let parsed: EdtfDate = "2022-08/..".parse().expect("valid EDTF");
        let (start, end) = ends(&parsed);
        assert_eq!(
            start.as_ref().and_then(timeline_date),
            Some(json!({"year": 2022, "month": 8}))
        );
        assert!(end.is_none());
        let parsed: EdtfDate = "2023-11-15/2023-11-16".parse().expect("valid EDTF");
        let (_, end) = ends(&parsed);
        assert_eq!(
            end.as_ref().and_then(timeline_date),
            Some(json!({"year": 2023, "month": 11, "day": 16}))
        );
    }
}
