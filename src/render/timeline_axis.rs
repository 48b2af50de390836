//! The drawn timeline's time axis: calendar days as numbers, the days an EDTF date covers,
//! and the stretches drawn to scale with the long empty gaps between them cut out.
//!
//! Geometry is in percent of the axis length, so the same numbers position marks along a
//! horizontal axis on wide screens and a vertical one on phones.

use crate::edtf::{Day, EdtfDate, day_number};

/// The calendar day of a day number; the inverse of [`day_number`].
pub fn civil(n: i64) -> Day {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // The ranges are those of the calendar: a month is 1–12 and a day 1–31.
    (year as i32, month as u8, day as u8)
}

pub(super) fn iso(n: i64) -> String {
    let (y, m, d) = civil(n);
    format!("{y:04}-{m:02}-{d:02}")
}

pub(super) fn month_start(n: i64) -> i64 {
    let (y, m, _) = civil(n);
    day_number((y, m, 1))
}

/// The first day of the month after the one `n` is in.
pub(super) fn next_month(n: i64) -> i64 {
    let (y, m, _) = civil(n);
    if m == 12 {
        day_number((y + 1, 1, 1))
    } else {
        day_number((y, m + 1, 1))
    }
}

/// The days an entry covers, `[from, to)`; `None` where an interval's end is open or unknown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Extent {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl Extent {
    pub fn of(date: &EdtfDate) -> Extent {
        Extent {
            from: date.start_day().map(day_number),
            to: date.end_day().map(|d| day_number(d) + 1),
        }
    }
}

/// A gap is cut out of the axis when it lasts at least a year and at least this share of
/// the time still drawn: a 20-year gap before a 5-year story, not a quiet season.
const CUT_SHARE: f64 = 0.2;
const CUT_MIN_DAYS: i64 = 365;
/// Width of a cut on the axis, percent.
pub(super) const CUT_WIDTH: f64 = 3.0;
/// A stretch holding a single point still gets room to show it and its label, percent.
const MIN_STRETCH_WIDTH: f64 = 6.0;

/// Days `[from, to)` drawn to one scale at `left .. left + width` percent.
#[derive(Clone, Debug, PartialEq)]
pub struct Stretch {
    pub from: i64,
    pub to: i64,
    pub left: f64,
    pub width: f64,
}

/// The time axis: stretches drawn to scale, with the cut gaps between them.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub stretches: Vec<Stretch>,
}

impl Axis {
    /// The axis for entries covering `extents`; None when no entry has a known day.
    pub fn new(extents: &[Extent]) -> Option<Axis> {
        let known = extents.iter().flat_map(|e| {
            [e.from, e.to.map(|t| t - 1)]
                .into_iter()
                .flatten()
                .chain(e.from.map(|f| f + 1))
        });
        let lo = known.clone().min()?;
        let hi = known.max()?;
        // An open end covers everything after its start, so no gap there is cut.
        let mut covered: Vec<(i64, i64)> = extents
            .iter()
            .filter(|e| e.from.is_some() || e.to.is_some())
            .map(|e| {
                (
                    e.from.unwrap_or(lo),
                    e.to.unwrap_or(hi).max(e.from.unwrap_or(lo) + 1),
                )
            })
            .collect();
        covered.sort_unstable();
        let mut gaps = Vec::new();
        let mut reach = covered[0].1;
        for &(from, to) in &covered[1..] {
            if from > reach {
                gaps.push((reach, from));
            }
            reach = reach.max(to);
        }
        gaps.sort_by_key(|&(a, b)| std::cmp::Reverse((b - a, a)));
        let mut drawn = (hi - lo) as f64;
        let mut cuts = Vec::new();
        for (a, b) in gaps {
            let days = b - a;
            if days < CUT_MIN_DAYS || (days as f64) < CUT_SHARE * drawn {
                break;
            }
            drawn -= days as f64;
            cuts.push((a, b));
        }
        cuts.sort_unstable();

        // Stretches between the cuts, padded out to whole months so that a date on the
        // first of a month does not sit on the edge.
        let mut bounds = vec![lo];
        for &(a, b) in &cuts {
            bounds.extend([a, b]);
        }
        bounds.push(hi);
        let mut stretches: Vec<Stretch> = bounds
            .chunks(2)
            .map(|pair| {
                let pad = ((pair[1] - pair[0]) / 100).max(7);
                Stretch {
                    from: month_start(pair[0] - pad),
                    to: next_month(pair[1] + pad),
                    left: 0.0,
                    width: 0.0,
                }
            })
            .collect();
        let room = 100.0 - CUT_WIDTH * cuts.len() as f64;
        let widths = shares(
            &stretches
                .iter()
                .map(|s| (s.to - s.from) as f64)
                .collect::<Vec<_>>(),
            room,
        );
        let mut left = 0.0;
        for (s, w) in stretches.iter_mut().zip(widths) {
            s.left = left;
            s.width = w;
            left += w + CUT_WIDTH;
        }
        Some(Axis { stretches })
    }

    /// Where day `n` is, in percent of the axis: linear inside a stretch and across a cut
    /// (only an interval's bar ever crosses one), clamped at the ends.
    pub fn x(&self, n: i64) -> f64 {
        let first = &self.stretches[0];
        if n <= first.from {
            return 0.0;
        }
        for (i, s) in self.stretches.iter().enumerate() {
            if n <= s.to {
                return s.left + s.width * (n - s.from) as f64 / (s.to - s.from) as f64;
            }
            if let Some(next) = self.stretches.get(i + 1)
                && n < next.from
            {
                let (a, b) = (s.left + s.width, next.left);
                return a + (b - a) * (n - s.to) as f64 / (next.from - s.to) as f64;
            }
        }
        100.0
    }

    pub fn from(&self) -> i64 {
        self.stretches[0].from
    }

    pub fn to(&self) -> i64 {
        self.stretches[self.stretches.len() - 1].to
    }

    /// Days the whole width would show at the scale of the widest stretch (where most of
    /// the story is), for the zoom levels.
    pub fn days_per_width(&self) -> f64 {
        self.stretches
            .iter()
            .max_by(|a, b| a.width.total_cmp(&b.width))
            .map_or(365.0, |s| (s.to - s.from) as f64 / s.width * 100.0)
    }
}

/// Splits `room` in proportion to `days`, but never below `MIN_STRETCH_WIDTH` each
/// (shares are equal when even that does not fit).
fn shares(days: &[f64], room: f64) -> Vec<f64> {
    if MIN_STRETCH_WIDTH * days.len() as f64 >= room {
        return vec![room / days.len() as f64; days.len()];
    }
    let mut fixed = vec![false; days.len()];
    loop {
        let free_days: f64 = days
            .iter()
            .zip(&fixed)
            .filter(|(_, f)| !**f)
            .map(|(d, _)| d)
            .sum();
        let free_room = room - MIN_STRETCH_WIDTH * fixed.iter().filter(|f| **f).count() as f64;
        let mut changed = false;
        for (i, d) in days.iter().enumerate() {
            if !fixed[i] && d / free_days * free_room < MIN_STRETCH_WIDTH {
                fixed[i] = true;
                changed = true;
            }
        }
        if !changed {
            return days
                .iter()
                .zip(&fixed)
                .map(|(d, f)| {
                    if *f {
                        MIN_STRETCH_WIDTH
                    } else {
                        d / free_days * free_room
                    }
                })
                .collect();
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::render) fn day(s: &str) -> i64 {
        Extent::of(&s.parse().expect("a date"))
            .from
            .expect("a start")
    }

    fn extents(dates: &[&str]) -> Vec<Extent> {
        dates
            .iter()
            .map(|d| Extent::of(&d.parse().expect("a date")))
            .collect()
    }

    /// The bundled briefing's shape: one event in 1998, one in 2018, the rest 2020–2023.
    pub(in crate::render) const BRIEFING: [&str; 10] = [
        "1998-01-19",
        "2018-09-20",
        "2020-10-20",
        "2020-10-28/2020-10-29",
        "2020-10?",
        "2021-01-22",
        "2021-07",
        "2021-11-15",
        "2022-08-05/2023-12-21",
        "2023-12-22?",
    ];

    #[test]
    fn day_numbers_are_the_calendar() {
        assert_eq!(day_number((1970, 1, 1)), 0);
        assert_eq!(day_number((2000, 3, 1)) - day_number((2000, 2, 28)), 2);
        assert_eq!(day_number((2021, 1, 1)) - day_number((2020, 1, 1)), 366);
        for n in (-800_000..800_000).step_by(997) {
            assert_eq!(day_number(civil(n)), n);
        }
    }

    #[test]
    fn long_gaps_are_cut_and_short_ones_kept() {
        let axis = Axis::new(&extents(&BRIEFING)).expect("an axis");
        assert_eq!(axis.stretches.len(), 3, "{axis:?}");
        // Each stretch holds its dates, and the cuts are where nothing happens.
        assert!(
            axis.stretches[0].from <= day("1998-01-19") && day("1998-01-19") < axis.stretches[0].to
        );
        assert!(
            axis.stretches[1].from <= day("2018-09-20") && day("2018-09-20") < axis.stretches[1].to
        );
        assert!(axis.stretches[2].from <= day("2020-10-01"));
        assert!(axis.stretches[2].to > day("2023-12-22"));
        // Regular monthly entries over three years: nothing is cut.
        let monthly: Vec<String> = (0..36)
            .map(|m| format!("{}-{:02}-15", 2020 + m / 12, m % 12 + 1))
            .collect();
        let monthly: Vec<&str> = monthly.iter().map(String::as_str).collect();
        assert_eq!(
            Axis::new(&extents(&monthly))
                .expect("an axis")
                .stretches
                .len(),
            1
        );
        // A ten-month pause in two years is a fifth of the time, but shorter than a year.
        let pause = Axis::new(&extents(&[
            "2020-01-10",
            "2020-02-10",
            "2020-12-10",
            "2021-12-10",
        ]));
        assert_eq!(pause.expect("an axis").stretches.len(), 1);
        // An interval bridging the gap keeps it drawn.
        let bridged = Axis::new(&extents(&["1998-01-19", "1998/2018", "2018-09-20"]));
        assert_eq!(bridged.expect("an axis").stretches.len(), 1);
    }

    #[test]
    fn positions_are_proportional_within_each_stretch() {
        let axis = Axis::new(&extents(&BRIEFING)).expect("an axis");
        let mut left = 0.0;
        for s in &axis.stretches {
            assert!(s.left >= left - 1e-9, "stretches in order");
            left = s.left + s.width;
            let scale = s.width / (s.to - s.from) as f64;
            for n in (s.from..=s.to).step_by(13) {
                let expected = s.left + scale * (n - s.from) as f64;
                assert!((axis.x(n) - expected).abs() < 1e-9, "day {n}");
            }
        }
        assert!(left <= 100.0 + 1e-9);
        assert!(axis.x(axis.from()) == 0.0 && (axis.x(axis.to()) - 100.0).abs() < 1e-9);
        // Later is further right everywhere, across cuts too.
        let mut last = -1.0;
        for n in (axis.from()..=axis.to()).step_by(5) {
            assert!(axis.x(n) >= last);
            last = axis.x(n);
        }
    }
}
