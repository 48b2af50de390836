//! When an article appeared relative to an event it names — before it, reporting it, or
//! looking back — from their EDTF dates, read generously where they are imprecise.

use crate::edtf::{EdtfDate, day_number};

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
