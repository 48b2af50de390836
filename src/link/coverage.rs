//! When an article appeared relative to an event it names — before it, reporting it, or
//! looking back — from their EDTF dates, read generously where they are imprecise.

use crate::edtf::EdtfDate;

/// When an article appeared relative to an event it names: only a report counts as coverage
/// of the event, since an article cannot report what had not happened yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoverageTime {
    /// Published before the event began: the article can only anticipate it.
    Before,
    /// Published while the event ran or within [`REPORTING_DAYS`] after it (or undated,
    /// where nothing contradicts the annotation).
    Report,
    /// Published later: the article refers back to the event.
    Later,
}

/// How long after an event an article still counts as reporting it: a week, one news cycle
/// of follow-ups and readouts, after which it is looking back.
pub const REPORTING_DAYS: i64 = 7;

impl CoverageTime {
    /// Where an article published at `published` stands to `event`. Imprecise dates are read
    /// generously: an article is "before" only when its latest possible day precedes the
    /// event's earliest, and "later" only when its earliest is past the reporting window.
    pub fn of(published: Option<&EdtfDate>, event: &EdtfDate) -> Self {
        let Some(p) = published else {
            return CoverageTime::Report;
        };
        if let (Some(p_end), Some(e_start)) = (p.end_day(), event.start_day())
            && p_end < e_start
        {
            return CoverageTime::Before;
        }
        if let (Some(p_start), Some(e_end)) = (p.start_day(), event.end_day())
            && day_number(p_start) > day_number(e_end) + REPORTING_DAYS
        {
            return CoverageTime::Later;
        }
        CoverageTime::Report
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CoverageTime::Before => "before",
            CoverageTime::Report => "report",
            CoverageTime::Later => "later",
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian day (Howard Hinnant's `days_from_civil`),
/// so that a reporting window can cross month and year ends.
fn day_number((y, m, d): crate::edtf::Day) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
