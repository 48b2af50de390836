//! EDTF (ISO 8601-2 Annex A) dates as gloss shows them, so that annotators state exactly the
//! precision a source gives and pages never invent a day.
//!
//! Parsing, validation, calendar bounds and the canonical text are `edtf-core`'s (levels 0–2).
//! What stays here is gloss's own: which dates a briefing may use, how each is shown in words
//! at its precision, and the timeline order. gloss takes every EDTF date whose days it can
//! show as one honest run: sets (`[2020-10,2020-12]` one of, `{2020-10,2020-12}` all of),
//! qualifiers on any part, unspecified trailing digits (`202X`, `20XX`, `2020-1X`,
//! `2020-10-XX`), seasons and other sub-year groupings, and intervals with open (`..`) or
//! unknown (empty) ends. It refuses times of day, years outside 0000–9999 and digits left
//! unspecified before a known one (`20X0`, `2020-XX-10`), which no page could show as a run
//! of days. Seasons 21–24 are the northern meteorological ones: spring is March–May, summer
//! June–August, autumn September–November, and winter December to February of the next year.

use edtf_core::{Bound, DateField, Edtf, IntervalEndpoint, SetElement, SetKind, YearKind};
use std::cmp::Reverse;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// A calendar day: year, month 1–12, day 1–31.
pub type Day = (i32, u8, u8);

/// Days since 1970-01-01 of a proleptic Gregorian day (Howard Hinnant's `days_from_civil`):
/// distances between days are differences of day numbers, across month and year ends.
pub fn day_number((year, month, day): Day) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(month);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// How finely a date is known; an interval or a set has the coarsest precision of its dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    /// A month, a season, or a run of months or days within one.
    Month,
    Day,
}

/// A parsed EDTF expression gloss can show, with its canonical text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EdtfDate {
    edtf: Edtf,
    canonical: String,
}

impl Hash for EdtfDate {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The canonical text determines the expression.
        self.canonical.hash(state);
    }
}

/// Why a string is not a date gloss understands.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EdtfError {
    #[error("the date is empty (write e.g. 2020-10-29)")]
    Empty,
    #[error(
        "{reason} at character {column} (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])"
    )]
    Invalid { reason: &'static str, column: usize },
    #[error(
        "day {day} is not in {month} {year}, which has {last} days (write e.g. {year}-{month_number:02}-{last})"
    )]
    Day {
        day: String,
        year: String,
        month: &'static str,
        month_number: u8,
        last: u8,
    },
    #[error("times are not supported, only days (write e.g. 2020-10-29)")]
    Time,
    #[error("only years 0000–9999 are supported (write e.g. 2020)")]
    Year,
    #[error("a date needs at least its first digit (leave the date out when nothing is known)")]
    Unknown,
    #[error(
        "only the last digits can be X, and everything after an X must be X too (write e.g. 201X, 2020-XX or 2020-10-XX)"
    )]
    Unspecified,
}

/// Separators around which spaces are dropped, so `2020-10 / 2020-12` and `[2020, 2021]` read
/// as EDTF, which has no spaces.
const SEPARATORS: &[char] = &['/', ',', '.', '[', ']', '{', '}'];

/// The input trimmed, without spaces around separators, with `x` written `X`.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for piece in s.split(char::is_whitespace).filter(|p| !p.is_empty()) {
        if !(out.is_empty() || out.ends_with(SEPARATORS) || piece.starts_with(SEPARATORS)) {
            out.push(' ');
        }
        out.push_str(piece);
    }
    out.replace('x', "X")
}

impl FromStr for EdtfDate {
    type Err = EdtfError;

    fn from_str(s: &str) -> Result<Self, EdtfError> {
        let text = tidy(s);
        if text.is_empty() {
            return Err(EdtfError::Empty);
        }
        // Words ("spring 2024", "late October") would get the parser's complaint about some
        // later character; what is wrong is the first one.
        if text.starts_with(|c: char| c.is_alphabetic() && !matches!(c, 'X' | 'Y')) {
            return Err(EdtfError::Invalid {
                reason: "a date is written in digits, not words",
                column: 1,
            });
        }
        let edtf = Edtf::parse(&text).map_err(|e| {
            missing_day(&text, e.offset).unwrap_or_else(|| EdtfError::Invalid {
                column: text.get(..e.offset).map_or(e.offset, |t| t.chars().count()) + 1,
                reason: e.message,
            })
        })?;
        if matches!(edtf, Edtf::DateTime(_)) {
            return Err(EdtfError::Time);
        }
        for date in dates(&edtf) {
            check(date)?;
        }
        Ok(Self {
            canonical: edtf.to_string(),
            edtf,
        })
    }
}

/// For a day the month does not have (`2021-02-29`, the error at `29`), the month's length.
fn missing_day(text: &str, offset: usize) -> Option<EdtfError> {
    let day = text.get(offset..offset + 2)?;
    let month_text = text.get(offset.checked_sub(8)?..offset - 1)?;
    let month = Edtf::parse(month_text).ok()?;
    let Edtf::Date(date) = month else {
        return None;
    };
    let month_number = date.month?.value()?;
    let (_, (_, _, last)) = date_days(&date)?;
    Some(EdtfError::Day {
        day: day.to_owned(),
        year: month_text.get(..4)?.to_owned(),
        month: MONTH_NAMES.get(usize::from(month_number).checked_sub(1)?)?,
        month_number,
        last,
    })
}

/// Every date an expression names: one, an interval's dated ends, or a set's members.
fn dates(edtf: &Edtf) -> Vec<&edtf_core::Date> {
    match edtf {
        Edtf::Date(d) => vec![d],
        Edtf::DateTime(dt) => vec![&dt.date],
        Edtf::Interval(iv) => [&iv.start, &iv.end]
            .into_iter()
            .filter_map(endpoint_date)
            .collect(),
        Edtf::Set(set) => set
            .elements
            .iter()
            .flat_map(|e| match e {
                SetElement::Date(d) | SetElement::OnOrBefore(d) | SetElement::OnOrAfter(d) => {
                    vec![d]
                }
                SetElement::Range(a, b) => vec![a, b],
            })
            .collect(),
    }
}

fn endpoint_date(e: &IntervalEndpoint) -> Option<&edtf_core::Date> {
    match e {
        IntervalEndpoint::Date(d)
        | IntervalEndpoint::OnOrBefore(d)
        | IntervalEndpoint::OnOrAfter(d) => Some(d),
        IntervalEndpoint::Open | IntervalEndpoint::Unknown => None,
    }
}

/// gloss's limits on one date: a four-digit year from 0000, and unspecified digits only at the end.
fn check(date: &edtf_core::Date) -> Result<(), EdtfError> {
    let YearKind::Standard {
        negative: false,
        digits,
    } = date.year.kind
    else {
        return Err(EdtfError::Year);
    };
    if date.year.significant_digits.is_some() {
        return Err(EdtfError::Year);
    }
    if digits[0].is_none() {
        return Err(EdtfError::Unknown);
    }
    let fields = [date.month, date.day].into_iter().flatten();
    let mut all = digits.into_iter().chain(fields.flat_map(|f| f.digits));
    // The second search starts after the first X: a known digit there is refused.
    if all.any(|d| d.is_none()) && all.any(|d| d.is_some()) {
        return Err(EdtfError::Unspecified);
    }
    Ok(())
}

/// Short and long month names, January first.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// Full month names, January first; `gloss new` reads datelines with them too.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_abbr(month: u8) -> &'static str {
    MONTHS
        .get(usize::from(month).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// A plain calendar unit, which can share its month or year with another in a range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plain {
    Year(i32),
    Month(i32, u8),
    Day(i32, u8, u8),
}

impl Plain {
    fn show(self) -> String {
        match self {
            Plain::Year(y) => y.to_string(),
            Plain::Month(y, m) => format!("{} {y}", month_abbr(m)),
            Plain::Day(y, m, d) => format!("{d} {} {y}", month_abbr(m)),
        }
    }
}

/// "28–29 Oct 2020", "30 Nov – 2 Dec 2020", "Oct–Dec 2020", "2020–2021": the shared month or
/// year written once when both ends are plain units of the same precision.
fn plain_range(a: Plain, b: Plain) -> String {
    match (a, b) {
        _ if a == b => a.show(),
        (Plain::Year(y1), Plain::Year(y2)) => format!("{y1}–{y2}"),
        (Plain::Month(y1, m1), Plain::Month(y2, m2)) if y1 == y2 => {
            format!("{}–{} {y1}", month_abbr(m1), month_abbr(m2))
        }
        (Plain::Day(y1, m1, d1), Plain::Day(y2, m2, d2)) if y1 == y2 && m1 == m2 => {
            format!("{d1}–{d2} {} {y1}", month_abbr(m1))
        }
        (Plain::Day(y1, m1, d1), Plain::Day(y2, m2, d2)) if y1 == y2 => {
            format!("{d1} {} – {d2} {} {y1}", month_abbr(m1), month_abbr(m2))
        }
        _ => format!("{} – {}", a.show(), b.show()),
    }
}

/// How one date reads: a plain unit (which ranges can merge with), or other words.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Shown {
    Plain(Plain, &'static str),
    Words(String),
}

impl Shown {
    fn text(&self) -> String {
        match self {
            Shown::Plain(p, q) => p.show() + q,
            Shown::Words(w) => w.clone(),
        }
    }
}

fn qualifier(d: &edtf_core::Date) -> &'static str {
    match (d.is_approximate(), d.is_uncertain()) {
        (false, false) => "",
        (true, false) => " (approx.)",
        (false, true) => " (uncertain)",
        (true, true) => " (approx., uncertain)",
    }
}

fn bound_day(b: Bound) -> Option<Day> {
    match b {
        Bound::Date(d) => Some((i32::try_from(d.year).ok()?, d.month, d.day)),
        _ => None,
    }
}

/// The first and last day of one date.
fn date_days(d: &edtf_core::Date) -> Option<(Day, Day)> {
    let b = Edtf::Date(*d).bounds();
    Some((bound_day(b.earliest)?, bound_day(b.latest)?))
}

const SEASONS: [&str; 4] = ["Spring", "Summer", "Autumn", "Winter"];

/// A date in words at its precision: "29 Oct 2020", "Oct 2020", "2010s", "Spring 2021",
/// "10–19 Oct 2020" for `2020-10-1X`, "Jan–Mar 2021" for the quarter `2021-33`.
fn show_date(d: &edtf_core::Date) -> Shown {
    let q = qualifier(d);
    let Some(((y1, m1, d1), (y2, m2, d2))) = date_days(d) else {
        return Shown::Words(format!("?{q}"));
    };
    let unspecified_year = match d.year.kind {
        YearKind::Standard { digits, .. } => digits.iter().filter(|x| x.is_none()).count(),
        _ => 0,
    };
    let known = |f: Option<DateField>| f.filter(|f| !f.has_unspecified());
    let text = match (
        unspecified_year,
        d.month,
        known(d.month),
        d.day,
        known(d.day),
    ) {
        (1, ..) => format!("{y1}s"),
        (0, None, ..) => return Shown::Plain(Plain::Year(y1), q),
        (0, Some(m), None, ..) if m.digits == [None, None] => {
            return Shown::Plain(Plain::Year(y1), q);
        }
        (0, Some(m), Some(_), ..) if m.value().is_some_and(|v| (21..=24).contains(&v)) => {
            let season = SEASONS[usize::from(m.value().unwrap_or(21) - 21)];
            format!("{season} {y1}")
        }
        (0, _, Some(_), None, _) if m1 == m2 && y1 == y2 => {
            return Shown::Plain(Plain::Month(y1, m1), q);
        }
        (0, _, Some(_), Some(f), None) if f.digits == [None, None] => {
            return Shown::Plain(Plain::Month(y1, m1), q);
        }
        (0, _, Some(_), Some(_), Some(_)) => return Shown::Plain(Plain::Day(y1, m1, d1), q),
        (0, _, Some(_), Some(_), None) => {
            plain_range(Plain::Day(y1, m1, d1), Plain::Day(y2, m2, d2))
        }
        (0, ..) => plain_range(Plain::Month(y1, m1), Plain::Month(y2, m2)),
        _ => plain_range(Plain::Year(y1), Plain::Year(y2)),
    };
    Shown::Words(text + q)
}

/// Two dates as one span, the shared month or year written once when both are plain units
/// of the same precision and qualifiers.
fn show_span(a: &Shown, b: &Shown) -> String {
    match (a, b) {
        _ if a == b => a.text(),
        (Shown::Plain(p1, q1), Shown::Plain(p2, q2))
            if q1 == q2 && std::mem::discriminant(p1) == std::mem::discriminant(p2) =>
        {
            plain_range(*p1, *p2) + q1
        }
        _ => format!("{} – {}", a.text(), b.text()),
    }
}

fn join(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

/// Where a date goes on the timeline; see [`EdtfDate::sort_key`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortKey {
    start: Option<Day>,
    end: Reverse<End>,
    canonical: String,
}

/// The latest possible day of a date; a date without an end lasts longest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum End {
    Day(Day),
    Never,
}

fn iso(day: Day) -> String {
    format!("{:04}-{:02}-{:02}", day.0, day.1, day.2)
}

impl EdtfDate {
    /// How a page shows the date: "29 Oct 2020", "Oct 2020", "28–29 Oct 2020",
    /// "Aug 2022 – ongoing", "Dec 2020 (approx.)", "Oct 2020 or Dec 2020".
    pub fn display(&self) -> String {
        match &self.edtf {
            Edtf::Date(d) => show_date(d).text(),
            Edtf::DateTime(dt) => show_date(&dt.date).text(),
            Edtf::Interval(iv) => {
                let end = |e: &IntervalEndpoint| match e {
                    IntervalEndpoint::Date(d) => show_date(d),
                    IntervalEndpoint::OnOrBefore(d) => {
                        Shown::Words(format!("{} or earlier", show_date(d).text()))
                    }
                    IntervalEndpoint::OnOrAfter(d) => {
                        Shown::Words(format!("{} or later", show_date(d).text()))
                    }
                    IntervalEndpoint::Open | IntervalEndpoint::Unknown => Shown::Words("?".into()),
                };
                let (a, b) = (end(&iv.start), end(&iv.end));
                match (&iv.start, &iv.end) {
                    (s, IntervalEndpoint::Open) if s.is_dated() => {
                        format!("{} – ongoing", a.text())
                    }
                    (s, e) if s.is_dated() && e.is_dated() => show_span(&a, &b),
                    _ => format!("from {} to {}", a.text(), b.text()),
                }
            }
            Edtf::Set(set) => {
                let items: Vec<String> = set
                    .elements
                    .iter()
                    .map(|e| match e {
                        SetElement::Date(d) => show_date(d).text(),
                        SetElement::OnOrBefore(d) => format!("{} or earlier", show_date(d).text()),
                        SetElement::OnOrAfter(d) => format!("{} or later", show_date(d).text()),
                        SetElement::Range(a, b) => show_span(&show_date(a), &show_date(b)),
                    })
                    .collect();
                match set.kind {
                    SetKind::OneMember => join(&items, "or"),
                    SetKind::AllMembers => join(&items, "and"),
                }
            }
        }
    }

    /// The timeline order: by earliest possible day (an open or unknown start first), then the
    /// wider date first (later end first), then the canonical text, so the order is total.
    pub fn sort_key(&self) -> SortKey {
        SortKey {
            start: self.start_day(),
            end: Reverse(self.end_day().map_or(End::Never, End::Day)),
            canonical: self.canonical.clone(),
        }
    }

    /// The earliest possible day as "2020-10-28"; None when the start is open or unknown.
    pub fn start_iso(&self) -> Option<String> {
        self.start_day().map(iso)
    }

    /// The earliest possible day at the date's precision ("2020", "2020-10" or "2020-10-28"),
    /// for machine-readable dates that must not claim a day the source never gave.
    pub fn start_iso_at_precision(&self) -> Option<String> {
        let len = match self.precision() {
            Precision::Year => 4,
            Precision::Month => 7,
            Precision::Day => 10,
        };
        self.start_iso().map(|mut s| {
            s.truncate(len);
            s
        })
    }

    /// The latest possible day as "2020-10-29"; None when the end is open or unknown.
    pub fn end_iso(&self) -> Option<String> {
        self.end_day().map(iso)
    }

    /// The year of the earliest possible day, for grouping the timeline by year.
    pub fn year(&self) -> Option<i32> {
        self.start_day().map(|d| d.0)
    }

    /// The earliest possible calendar day.
    pub fn start_day(&self) -> Option<Day> {
        bound_day(self.edtf.bounds().earliest)
    }

    /// The latest possible calendar day.
    pub fn end_day(&self) -> Option<Day> {
        bound_day(self.edtf.bounds().latest)
    }

    pub fn precision(&self) -> Precision {
        dates(&self.edtf)
            .into_iter()
            .map(|d| {
                let unspecified = |f: Option<DateField>| f.is_some_and(DateField::has_unspecified);
                if d.year.has_unspecified() || d.month.is_none() || unspecified(d.month) {
                    Precision::Year
                } else if d.day.is_none() || unspecified(d.day) {
                    Precision::Month
                } else {
                    Precision::Day
                }
            })
            .min()
            .unwrap_or(Precision::Year)
    }

    pub fn is_approximate(&self) -> bool {
        self.edtf.is_approximate()
    }

    pub fn is_uncertain(&self) -> bool {
        self.edtf.is_uncertain()
    }

    pub fn is_interval(&self) -> bool {
        matches!(self.edtf, Edtf::Interval(_))
    }

    /// The canonical form, edtf-core's: no spaces, `x` written `X`.
    pub fn as_str(&self) -> &str {
        &self.canonical
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(input: &str) -> Result<String, String> {
        input
            .parse::<EdtfDate>()
            .map(|d| d.display())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn parse_and_display() {
        let table: &[(&str, Result<&str, &str>)] = &[
            ("2020-10-29", Ok("29 Oct 2020")),
            (" 2020-10-29\n", Ok("29 Oct 2020")),
            ("2020-10", Ok("Oct 2020")),
            ("2020", Ok("2020")),
            ("0800", Ok("800")),
            ("2020-10-28/2020-10-29", Ok("28–29 Oct 2020")),
            ("2020-11-30/2020-12-02", Ok("30 Nov – 2 Dec 2020")),
            ("2020-12-30/2021-01-02", Ok("30 Dec 2020 – 2 Jan 2021")),
            ("2020-10/2020-12", Ok("Oct–Dec 2020")),
            ("2020-10/2021-01", Ok("Oct 2020 – Jan 2021")),
            ("2020/2021", Ok("2020–2021")),
            ("2020/2020", Ok("2020")),
            ("2020-10-29/2020-10-29", Ok("29 Oct 2020")),
            ("2020-10/2020-12-05", Ok("Oct 2020 – 5 Dec 2020")),
            ("2020-10-28~/2020-10-29~", Ok("28–29 Oct 2020 (approx.)")),
            (
                "2020-10-28~/2020-10-29",
                Ok("28 Oct 2020 (approx.) – 29 Oct 2020"),
            ),
            ("2022-08/..", Ok("Aug 2022 – ongoing")),
            ("2022-08/", Ok("from Aug 2022 to ?")),
            ("../2020-12", Ok("from ? to Dec 2020")),
            ("/2020-12", Ok("from ? to Dec 2020")),
            ("2020-12 / ..", Ok("Dec 2020 – ongoing")),
            ("2020-12~", Ok("Dec 2020 (approx.)")),
            ("2020-12?", Ok("Dec 2020 (uncertain)")),
            ("2020-12%", Ok("Dec 2020 (approx., uncertain)")),
            ("2021-21", Ok("Spring 2021")),
            ("2021-22", Ok("Summer 2021")),
            ("2021-23~", Ok("Autumn 2021 (approx.)")),
            ("2021-24", Ok("Winter 2021")),
            ("2021-21/2021-22", Ok("Spring 2021 – Summer 2021")),
            ("2020-XX", Ok("2020")),
            ("2020-xx-XX", Ok("2020")),
            ("2020-10-XX", Ok("Oct 2020")),
            ("201X", Ok("2010s")),
            ("202x", Ok("2020s")),
            ("20XX", Ok("2000–2099")),
            ("2XXX", Ok("2000–2999")),
            (
                "XXXX",
                Err(
                    "a date needs at least its first digit (leave the date out when nothing is known)",
                ),
            ),
            ("201X/2020", Ok("2010s – 2020")),
            ("2020-02-29", Ok("29 Feb 2020")),
            ("2000-02-29", Ok("29 Feb 2000")),
            ("[2020-10, 2020-12]", Ok("Oct 2020 or Dec 2020")),
            ("{2020-10,2020-12}", Ok("Oct 2020 and Dec 2020")),
            ("[2019,2020,2021-03]", Ok("2019, 2020 or Mar 2021")),
            (
                "[2020-10-01,2020-10-05..2020-10-07]",
                Ok("1 Oct 2020 or 5–7 Oct 2020"),
            ),
            ("[..2019]", Ok("2019 or earlier")),
            ("{2021-05..}", Ok("May 2021 or later")),
            ("2020-1X", Ok("Oct–Dec 2020")),
            ("2020-0X", Ok("Jan–Sep 2020")),
            ("2020-10-1X", Ok("10–19 Oct 2020")),
            ("2020-10-3X", Ok("30–31 Oct 2020")),
            ("2021-33", Ok("Jan–Mar 2021")),
            ("2021-28", Ok("Dec 2021 – Feb 2022")),
            ("2004-06~-11", Ok("11 Jun 2004 (approx.)")),
            ("", Err("the date is empty (write e.g. 2020-10-29)")),
            ("   ", Err("the date is empty (write e.g. 2020-10-29)")),
            (
                "yesterday",
                Err(
                    "a date is written in digits, not words at character 1 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2020-13",
                Err(
                    "month must be 01-12 or a sub-year code 21-41 at character 6 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2020-00",
                Err(
                    "month must be 01-12 or a sub-year code 21-41 at character 6 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2020-1",
                Err(
                    "month must be two digits (or X) at character 6 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2021-02-29",
                Err("day 29 is not in February 2021, which has 28 days (write e.g. 2021-02-28)"),
            ),
            (
                "1900-02-29",
                Err("day 29 is not in February 1900, which has 28 days (write e.g. 1900-02-28)"),
            ),
            (
                "2020-04-31",
                Err("day 31 is not in April 2020, which has 30 days (write e.g. 2020-04-30)"),
            ),
            (
                "2020-10-00",
                Err("day 00 is not in October 2020, which has 31 days (write e.g. 2020-10-31)"),
            ),
            (
                "2020-10-5",
                Err(
                    "day must be two digits (or X) at character 9 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2020-10-29/2020-10-01",
                Err(
                    "interval end precedes interval start at character 12 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2021/2020-12",
                Err(
                    "interval end precedes interval start at character 6 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "/",
                Err(
                    "interval needs at least one dated endpoint at character 1 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "../..",
                Err(
                    "interval needs at least one dated endpoint at character 1 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2020/2021/2022",
                Err(
                    "interval must contain exactly one '/' at character 10 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "-2020",
                Err("only years 0000–9999 are supported (write e.g. 2020)"),
            ),
            (
                "Y170000002",
                Err("only years 0000–9999 are supported (write e.g. 2020)"),
            ),
            (
                "1950S2",
                Err("only years 0000–9999 are supported (write e.g. 2020)"),
            ),
            (
                "12020",
                Err(
                    "expected '-' before month at character 5 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "20",
                Err(
                    "year must have exactly four digits (or X) at character 2 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2020-10-29T10:00:00",
                Err("times are not supported, only days (write e.g. 2020-10-29)"),
            ),
            (
                "2020-10-29T10:00",
                Err(
                    "time must be hh:mm:ss at character 12 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2020-21-05",
                Err(
                    "sub-year groupings cannot carry a day at character 9 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "20X0",
                Err(
                    "only the last digits can be X, and everything after an X must be X too (write e.g. 201X, 2020-XX or 2020-10-XX)",
                ),
            ),
            (
                "201X-10",
                Err(
                    "only the last digits can be X, and everything after an X must be X too (write e.g. 201X, 2020-XX or 2020-10-XX)",
                ),
            ),
            (
                "2020-XX-10",
                Err(
                    "only the last digits can be X, and everything after an X must be X too (write e.g. 201X, 2020-XX or 2020-10-XX)",
                ),
            ),
            (
                "[2020,20X0]",
                Err(
                    "only the last digits can be X, and everything after an X must be X too (write e.g. 201X, 2020-XX or 2020-10-XX)",
                ),
            ),
            (
                "2020~?",
                Err(
                    "expected '-' before month at character 6 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            ("~2020", Ok("2020 (approx.)")),
            (
                "2020-10-29-01",
                Err(
                    "unexpected characters after day at character 11 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2020--10",
                Err(
                    "month must be two digits (or X) at character 6 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2020-",
                Err(
                    "month must be two digits (or X) at character 5 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "..",
                Err(
                    "year must have exactly four digits (or X) at character 1 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "~",
                Err(
                    "year must have exactly four digits (or X) at character 1 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "[]",
                Err(
                    "set must contain at least one element at character 2 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "[2020",
                Err(
                    "unterminated set at character 5 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2020 10",
                Err(
                    "whitespace is not allowed at character 5 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "\u{661}\u{662}\u{663}\u{664}",
                Err(
                    "EDTF permits ASCII characters only at character 1 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
            (
                "2020-10-29999999999999999999999999999999999999999999999999999999999999",
                Err(
                    "unexpected characters after day at character 11 (write e.g. 2020-10-29, 2020-10, 2020, 2020-10-28/2020-10-29 or [2020-10,2020-12])",
                ),
            ),
        ];
        // Every row is checked, so one run lists every mismatch.
        let wrong: Vec<String> = table
            .iter()
            .filter_map(|&(input, expect)| {
                let got = shown(input);
                (got.as_deref().map_err(String::as_str) != expect)
                    .then(|| format!("{input:?}: got {got:?}, expected {expect:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn facts() {
        struct Facts {
            start: Option<&'static str>,
            end: Option<&'static str>,
            year: Option<i32>,
            precision: Precision,
            flags: (bool, bool, bool),
            canonical: &'static str,
        }
        fn check(input: &str, expect: Facts) {
            let Ok(d) = input.parse::<EdtfDate>() else {
                panic!("{input:?} does not parse");
            };
            assert_eq!(d.start_iso().as_deref(), expect.start, "{input:?} start");
            assert_eq!(d.end_iso().as_deref(), expect.end, "{input:?} end");
            assert_eq!(d.year(), expect.year, "{input:?} year");
            assert_eq!(d.precision(), expect.precision, "{input:?} precision");
            let flags = (d.is_approximate(), d.is_uncertain(), d.is_interval());
            assert_eq!(flags, expect.flags, "{input:?} flags");
            assert_eq!(d.as_str(), expect.canonical, "{input:?} canonical");
        }
        use Precision::*;
        let f = |start, end, year, precision, flags, canonical| Facts {
            start,
            end,
            year,
            precision,
            flags,
            canonical,
        };
        let plain = (false, false, false);
        for (input, expect) in [
            (
                "2020",
                f(
                    Some("2020-01-01"),
                    Some("2020-12-31"),
                    Some(2020),
                    Year,
                    plain,
                    "2020",
                ),
            ),
            (
                "2020-02",
                f(
                    Some("2020-02-01"),
                    Some("2020-02-29"),
                    Some(2020),
                    Month,
                    plain,
                    "2020-02",
                ),
            ),
            (
                "2020-10-29",
                f(
                    Some("2020-10-29"),
                    Some("2020-10-29"),
                    Some(2020),
                    Day,
                    plain,
                    "2020-10-29",
                ),
            ),
            (
                "201x",
                f(
                    Some("2010-01-01"),
                    Some("2019-12-31"),
                    Some(2010),
                    Year,
                    plain,
                    "201X",
                ),
            ),
            (
                "19XX",
                f(
                    Some("1900-01-01"),
                    Some("1999-12-31"),
                    Some(1900),
                    Year,
                    plain,
                    "19XX",
                ),
            ),
            (
                "2020-10-XX",
                f(
                    Some("2020-10-01"),
                    Some("2020-10-31"),
                    Some(2020),
                    Month,
                    plain,
                    "2020-10-XX",
                ),
            ),
            (
                "2023-24",
                f(
                    Some("2023-12-01"),
                    Some("2024-02-29"),
                    Some(2023),
                    Month,
                    plain,
                    "2023-24",
                ),
            ),
            (
                "2021-21",
                f(
                    Some("2021-03-01"),
                    Some("2021-05-31"),
                    Some(2021),
                    Month,
                    plain,
                    "2021-21",
                ),
            ),
            (
                "2020-12~",
                f(
                    Some("2020-12-01"),
                    Some("2020-12-31"),
                    Some(2020),
                    Month,
                    (true, false, false),
                    "2020-12~",
                ),
            ),
            (
                "2020?",
                f(
                    Some("2020-01-01"),
                    Some("2020-12-31"),
                    Some(2020),
                    Year,
                    (false, true, false),
                    "2020?",
                ),
            ),
            (
                "2020%",
                f(
                    Some("2020-01-01"),
                    Some("2020-12-31"),
                    Some(2020),
                    Year,
                    (true, true, false),
                    "2020%",
                ),
            ),
            (
                " 2020-10 / 2020-12-03? ",
                f(
                    Some("2020-10-01"),
                    Some("2020-12-03"),
                    Some(2020),
                    Month,
                    (false, true, true),
                    "2020-10/2020-12-03?",
                ),
            ),
            (
                "2022-08/..",
                f(
                    Some("2022-08-01"),
                    None,
                    Some(2022),
                    Month,
                    (false, false, true),
                    "2022-08/..",
                ),
            ),
            (
                "[2020-10, 2020-12]",
                f(
                    Some("2020-10-01"),
                    Some("2020-12-31"),
                    Some(2020),
                    Month,
                    plain,
                    "[2020-10,2020-12]",
                ),
            ),
            (
                "2020-1x",
                f(
                    Some("2020-10-01"),
                    Some("2020-12-31"),
                    Some(2020),
                    Year,
                    plain,
                    "2020-1X",
                ),
            ),
            (
                "/2022-08-05",
                f(
                    None,
                    Some("2022-08-05"),
                    None,
                    Day,
                    (false, false, true),
                    "/2022-08-05",
                ),
            ),
        ] {
            check(input, expect);
        }
    }

    #[test]
    fn random_strings_never_panic() {
        const PIECES: &[&str] = &[
            "2020", "201X", "20XX", "-", "/", "..", "01", "02", "10", "12", "13", "21", "24", "28",
            "29", "31", "XX", "~", "?", "%", " ", "Y", "T", "\u{E9}", "0", "[", "]", "{", "}", ",",
            "S", "1X",
        ];
        let mut state: u64 = 1;
        let mut below = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..5_000 {
            let input: String = (0..below(8)).map(|_| PIECES[below(PIECES.len())]).collect();
            let Ok(date) = input.parse::<EdtfDate>() else {
                continue;
            };
            // The canonical form reads back as the same date, and an interval never ends before it starts.
            assert_eq!(
                date.as_str().parse::<EdtfDate>().as_ref(),
                Ok(&date),
                "{input:?}"
            );
            assert!(!date.display().is_empty());
            if let (Some(start), Some(end)) = (date.start_day(), date.end_day()) {
                assert!(start <= end, "{input:?}");
            }
        }
    }

    #[test]
    fn timeline_order() {
        let mut dates: Vec<EdtfDate> = [
            "2021",
            "2020-10-29",
            "2020",
            "2020-10-28/2020-10-29",
            "2020-10",
            "../2020-12",
            "/2019",
            "2020-10-28",
            "2020-10/..",
            "2020~",
            "2020-10-28/2020-10-29~",
            "201X",
            "[2020-10,2020-12]",
            "2020-1X",
        ]
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
        assert_eq!(dates.len(), 14);
        dates.sort_by_key(EdtfDate::sort_key);
        let order: Vec<&str> = dates.iter().map(EdtfDate::as_str).collect();
        assert_eq!(
            order,
            [
                "../2020-12",
                "/2019",
                "201X",
                "2020",
                "2020~",
                "2020-10/..",
                "2020-1X",
                "[2020-10,2020-12]",
                "2020-10",
                "2020-10-28/2020-10-29",
                "2020-10-28/2020-10-29~",
                "2020-10-28",
                "2020-10-29",
                "2021",
            ]
        );
    }
}
