//! Labels and counts along the drawn timeline's axis: year and month ticks, and the
//! per-period counts of dense lanes.

use super::timeline_axis::{Axis, civil, iso, next_month};
use super::timeline_layout::{Entry, Kind, plural, round};
use super::view::{CountView, TickView};
use crate::edtf::{EdtfDate, day_number};
use std::collections::BTreeMap;

/// Period boundaries at the finest of month, quarter, year, decade that is at least
/// 2.5% of the axis wide in the widest stretch, and that length in months.
fn periods(axis: &Axis) -> (i32, Vec<i64>) {
    let days = axis.days_per_width() * 0.025;
    let months = [1, 3, 12, 120]
        .into_iter()
        .find(|m| f64::from(*m) * 30.4 >= days)
        .unwrap_or(1200);
    let (y, _, _) = civil(axis.from());
    let mut index = if months >= 12 {
        (y - y.rem_euclid(months / 12)) * 12
    } else {
        y * 12
    };
    let mut bounds = Vec::new();
    loop {
        // rem_euclid(12) + 1 is a month, 1–12.
        let n = day_number((index.div_euclid(12), (index.rem_euclid(12) + 1) as u8, 1));
        bounds.push(n);
        if n >= axis.to() {
            break;
        }
        index += months;
    }
    (months, bounds)
}

/// Counts per period of a dense lane; each links to the list's first year from the period's
/// on (`listed_years`), or nowhere (empty) when the lane's entries are not listed.
pub(super) fn count_periods(
    axis: &Axis,
    members: &[usize],
    entries: &[Entry],
    kind: Kind,
    listed_years: &[i32],
) -> Vec<CountView> {
    let (months, bounds) = periods(axis);
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for &i in members {
        let Some(from) = entries[i]
            .date
            .as_ref()
            .and_then(EdtfDate::start_day)
            .map(day_number)
        else {
            continue;
        };
        let p = bounds.partition_point(|&b| b <= from).saturating_sub(1);
        *counts.entry(p).or_default() += 1;
    }
    counts
        .into_iter()
        .filter_map(|(p, count)| {
            let (from, to) = (bounds[p], *bounds.get(p + 1)?);
            let (y, m, _) = civil(from);
            let period = match months {
                1 => format!("{} {y}", MONTHS[usize::from(m) - 1]),
                3 => format!("Q{} {y}", (m - 1) / 3 + 1),
                12 => y.to_string(),
                _ => format!("{y}s"),
            };
            let x = axis.x(from);
            Some(CountView {
                x: round(x),
                w: round(axis.x(to) - x),
                count,
                start: iso(from),
                end: iso(to - 1),
                label: format!("{} in {period}", plural(count, kind.noun(1), kind.noun(2))),
                url: listed_years
                    .iter()
                    .find(|&&listed| listed >= y)
                    .or(listed_years.last())
                    .map_or_else(String::new, |listed| format!("#y{listed}")),
            })
        })
        .collect()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Year ticks in every stretch (labelled every 1, 2, 5, 10… years so labels stay apart),
/// month ticks where there are few enough to draw, and a label at each stretch's start.
pub(super) fn ticks(axis: &Axis) -> Vec<TickView> {
    let mut out = Vec::new();
    for s in &axis.stretches {
        let per_year = s.width * 365.25 / (s.to - s.from) as f64;
        let step = [1, 2, 5, 10, 20, 50, 100]
            .into_iter()
            .find(|step| f64::from(*step) * per_year >= 4.0)
            .unwrap_or(100);
        let (first, first_month, _) = civil(s.from);
        if first_month != 1 {
            out.push(TickView {
                x: round(s.left),
                label: if s.width < 10.0 {
                    first.to_string()
                } else {
                    format!("{} {first}", MONTHS[usize::from(first_month) - 1])
                },
                kind: "year",
                minor: false,
            });
        }
        let months_drawn = (s.to - s.from) / 30 <= 480;
        let mut n = s.from;
        while n < s.to {
            let (y, m, _) = civil(n);
            let x = round(axis.x(n));
            if m == 1 {
                // A label in the last few percent would run off the edge.
                out.push(TickView {
                    x,
                    label: y.to_string(),
                    kind: "year",
                    minor: y % step != 0 || x > 96.0,
                });
            } else if months_drawn {
                out.push(TickView {
                    x,
                    label: MONTHS[usize::from(m) - 1].to_owned(),
                    kind: "month",
                    minor: per_year / 12.0 < 0.8,
                });
            }
            n = next_month(n);
        }
    }
    out
}
