//! EDTF (ISO 8601-2, levels 0–1) dates, so that annotators state exactly the precision a source gives and pages never invent a day.
//!
//! Supported: `2020`, `2020-10`, `2020-10-29`; a qualifier at the end of a date (`~` approximate,
//! `?` uncertain, `%` both); seasons `2021-21`…`2021-24`; unspecified trailing digits (`201X`,
//! `20XX`, `2020-XX`, `2020-10-XX`, `2020-XX-XX`); intervals `a/b` whose ends may be open (`..`)
//! or unknown (empty), but not both. Seasons are the northern meteorological ones: spring is
//! March–May, summer June–August, autumn September–November, and winter December of the year
//! to February of the next.

use std::cmp::Reverse;
use std::str::FromStr;

/// A calendar day: year, month 1–12, day 1–31.
pub type Day = (i32, u8, u8);

/// How finely a date is known; an interval has the coarser precision of its known ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    /// A month or a season.
    Month,
    Day,
}

/// A parsed EDTF date or interval, with its canonical text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EdtfDate {
    shape: Shape,
    canonical: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Shape {
    Single(Date),
    Between(Date, Date),
    /// An interval whose start is open or unknown; the two read the same to a reader.
    Until(Date),
    Since(Date, Missing),
}

/// How an interval end is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Missing {
    /// `..`: the interval goes on.
    Open,
    /// Empty: the end exists but is not known.
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Date {
    /// The first year the year digits allow: 2010 for `201X`.
    year: i32,
    /// How many years the year digits allow: 1, 10 for `201X`, or 100 for `20XX`.
    years: i32,
    part: Part,
    approximate: bool,
    uncertain: bool,
}

/// What a date gives below the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Part {
    Year,
    Month(u8),
    Season(Season),
    Day(u8, u8),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

/// Why a string is not a date gloss understands.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EdtfError {
    #[error("the date is empty (write e.g. 2020-10-29)")]
    Empty,
    #[error(
        "`{0}` is not an EDTF date (write e.g. 2020-10-29, 2020-10, 2020 or 2020-10-28/2020-10-29)"
    )]
    NotADate(String),
    #[error("year `{0}` is not four digits (write e.g. 2020, or 201X for a decade)")]
    Year(String),
    #[error("negative years are not supported (write e.g. 2020)")]
    NegativeYear,
    #[error("years after 9999 are not supported (write e.g. 2020)")]
    LongYear,
    #[error("times are not supported, only days (write e.g. 2020-10-29)")]
    Time,
    #[error("month {0} is not 01–12, or 21–24 for a season (write e.g. 2020-10)")]
    Month(String),
    #[error(
        "day {day} is not in {month} {year}, which has {last} days (write e.g. {year}-{month_number:02}-{last})"
    )]
    Day {
        day: String,
        year: i32,
        month: &'static str,
        month_number: u8,
        last: u8,
    },
    #[error("a season has no days (write e.g. 2021-21 for spring 2021)")]
    SeasonDay,
    #[error(
        "only the last digits can be X, and everything after an X must be X too (write e.g. 201X, 2020-XX or 2020-10-XX)"
    )]
    Unspecified,
    #[error(
        "put one qualifier at the very end: ~ approximate, ? uncertain, % both (write e.g. 2020-12~)"
    )]
    Qualifier,
    #[error("an interval needs at least one date (write e.g. 2022-08/..)")]
    NoDates,
    #[error("the interval starts after it ends (write the earlier date first, e.g. {end}/{start})")]
    Reversed { start: String, end: String },
}

impl FromStr for EdtfDate {
    type Err = EdtfError;

    fn from_str(s: &str) -> Result<Self, EdtfError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(EdtfError::Empty);
        }
        let Some((a, b)) = s.split_once('/') else {
            let (date, canonical) = parse_date(s)?;
            return Ok(Self {
                shape: Shape::Single(date),
                canonical,
            });
        };
        if b.contains('/') {
            return Err(not_a_date(s));
        }
        let (start, start_text) = parse_end(a.trim())?;
        let (end, end_text) = parse_end(b.trim())?;
        let shape = match (start, end) {
            (Ok(a), Ok(b)) if a.first_day() > b.last_day() => {
                return Err(EdtfError::Reversed {
                    start: start_text,
                    end: end_text,
                });
            }
            (Ok(a), Ok(b)) => Shape::Between(a, b),
            (Err(_), Ok(b)) => Shape::Until(b),
            (Ok(a), Err(missing)) => Shape::Since(a, missing),
            (Err(_), Err(_)) => return Err(EdtfError::NoDates),
        };
        Ok(Self {
            shape,
            canonical: format!("{start_text}/{end_text}"),
        })
    }
}

/// One end of an interval, and its canonical text.
fn parse_end(s: &str) -> Result<(Result<Date, Missing>, String), EdtfError> {
    match s {
        "" => Ok((Err(Missing::Unknown), String::new())),
        ".." => Ok((Err(Missing::Open), "..".to_owned())),
        _ => parse_date(s).map(|(date, text)| (Ok(date), text)),
    }
}

fn not_a_date(s: &str) -> EdtfError {
    // The input may be huge; the message only needs to show which value is meant.
    let shown: String = s.chars().take(40).collect();
    let ellipsis = if shown.len() < s.len() { "…" } else { "" };
    EdtfError::NotADate(format!("{shown}{ellipsis}"))
}

/// One date with its optional qualifier, and its canonical text.
fn parse_date(s: &str) -> Result<(Date, String), EdtfError> {
    let (body, approximate, uncertain) = match s.as_bytes().last() {
        Some(b'~') => (&s[..s.len() - 1], true, false),
        Some(b'?') => (&s[..s.len() - 1], false, true),
        Some(b'%') => (&s[..s.len() - 1], true, true),
        _ => (s, false, false),
    };
    if body.contains(['~', '?', '%']) {
        return Err(EdtfError::Qualifier);
    }
    let is_number = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if body.starts_with('-') && is_number(body[1..].split('-').next().unwrap_or_default()) {
        return Err(EdtfError::NegativeYear);
    }
    if let Some(rest) = body.strip_prefix('Y')
        && is_number(rest.trim_start_matches('-'))
    {
        return Err(EdtfError::LongYear);
    }
    if let Some((day, _)) = body.split_once('T')
        && parse_date(day).is_ok()
    {
        return Err(EdtfError::Time);
    }
    if body.split('-').any(str::is_empty)
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'X' | b'x' | b'-'))
    {
        return Err(not_a_date(s));
    }

    let mut fields = body.split('-');
    let year_text = fields.next().unwrap_or_default();
    let month_text = fields.next();
    let day_text = fields.next();
    if fields.next().is_some() {
        return Err(not_a_date(s));
    }
    let (year, years) = parse_year(year_text)?;
    let part = match (month_text, day_text) {
        (None, _) => Part::Year,
        (Some(_), _) if years > 1 => return Err(EdtfError::Unspecified),
        (Some(m), day) => match (parse_month(m)?, day) {
            (None, None) => Part::Year,
            (None, Some(d)) if is_unspecified(d) => Part::Year,
            (None, Some(_)) => return Err(EdtfError::Unspecified),
            (Some(month), None) => month,
            (Some(Part::Month(month)), Some(d)) if is_unspecified(d) => Part::Month(month),
            (Some(Part::Month(month)), Some(d)) => Part::Day(month, parse_day(year, month, d)?),
            (Some(_), Some(_)) => return Err(EdtfError::SeasonDay),
        },
    };
    let date = Date {
        year,
        years,
        part,
        approximate,
        uncertain,
    };
    Ok((date, s.replace('x', "X")))
}

fn is_unspecified(field: &str) -> bool {
    field.eq_ignore_ascii_case("XX")
}

/// The first year and the number of years the digits allow.
fn parse_year(text: &str) -> Result<(i32, i32), EdtfError> {
    let digits = text.trim_end_matches(['X', 'x']);
    let unspecified = text.len() - digits.len();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EdtfError::Unspecified);
    }
    if text.len() > 4 && unspecified == 0 {
        return Err(EdtfError::LongYear);
    }
    if text.len() != 4 {
        return Err(EdtfError::Year(text.to_owned()));
    }
    if unspecified > 2 {
        return Err(EdtfError::Unspecified);
    }
    let scale = 10_i32.pow(unspecified as u32);
    let first: i32 = digits.parse().unwrap_or_default();
    Ok((first * scale, scale))
}

/// A month or season, or None for `XX`.
fn parse_month(text: &str) -> Result<Option<Part>, EdtfError> {
    if is_unspecified(text) {
        return Ok(None);
    }
    let number = two_digits(text);
    Ok(Some(match number {
        Some(m @ 1..=12) => Part::Month(m),
        Some(21) => Part::Season(Season::Spring),
        Some(22) => Part::Season(Season::Summer),
        Some(23) => Part::Season(Season::Autumn),
        Some(24) => Part::Season(Season::Winter),
        _ => return Err(EdtfError::Month(text.to_owned())),
    }))
}

fn parse_day(year: i32, month: u8, text: &str) -> Result<u8, EdtfError> {
    let last = days_in_month(year, month);
    match two_digits(text) {
        Some(d) if (1..=last).contains(&d) => Ok(d),
        _ => Err(EdtfError::Day {
            day: text.to_owned(),
            year,
            month: MONTHS[usize::from(month - 1)].1,
            month_number: month,
            last,
        }),
    }
}

fn two_digits(text: &str) -> Option<u8> {
    match text.as_bytes() {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some((a - b'0') * 10 + (b - b'0')),
        _ => None,
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Short and long month names, January first.
const MONTHS: [(&str, &str); 12] = [
    ("Jan", "January"),
    ("Feb", "February"),
    ("Mar", "March"),
    ("Apr", "April"),
    ("May", "May"),
    ("Jun", "June"),
    ("Jul", "July"),
    ("Aug", "August"),
    ("Sep", "September"),
    ("Oct", "October"),
    ("Nov", "November"),
    ("Dec", "December"),
];

fn month_abbr(month: u8) -> &'static str {
    MONTHS
        .get(usize::from(month).wrapping_sub(1))
        .map_or("?", |m| m.0)
}

impl Season {
    fn months(self) -> (u8, u8) {
        match self {
            Season::Spring => (3, 5),
            Season::Summer => (6, 8),
            Season::Autumn => (9, 11),
            Season::Winter => (12, 2),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Season::Spring => "Spring",
            Season::Summer => "Summer",
            Season::Autumn => "Autumn",
            Season::Winter => "Winter",
        }
    }
}

impl Date {
    fn first_day(&self) -> Day {
        match self.part {
            Part::Year => (self.year, 1, 1),
            Part::Month(m) => (self.year, m, 1),
            Part::Season(s) => (self.year, s.months().0, 1),
            Part::Day(m, d) => (self.year, m, d),
        }
    }

    fn last_day(&self) -> Day {
        let (year, month) = match self.part {
            Part::Year => (self.year + self.years - 1, 12),
            Part::Month(m) => (self.year, m),
            Part::Season(Season::Winter) => (self.year + 1, 2),
            Part::Season(s) => (self.year, s.months().1),
            Part::Day(m, d) => return (self.year, m, d),
        };
        (year, month, days_in_month(year, month))
    }

    fn precision(&self) -> Precision {
        match self.part {
            Part::Year => Precision::Year,
            Part::Month(_) | Part::Season(_) => Precision::Month,
            Part::Day(..) => Precision::Day,
        }
    }

    /// Whether the date is a plain calendar date, which can share its month or year with another in a range.
    fn is_plain(&self) -> bool {
        self.years == 1 && !matches!(self.part, Part::Season(_))
    }

    fn qualifier(&self) -> &'static str {
        match (self.approximate, self.uncertain) {
            (false, false) => "",
            (true, false) => " (approx.)",
            (false, true) => " (uncertain)",
            (true, true) => " (approx., uncertain)",
        }
    }

    fn display(&self) -> String {
        let year = self.year;
        let date = match (self.years, self.part) {
            (10, _) => format!("{year}s"),
            (100, _) => format!("{year}–{}", year + 99),
            (_, Part::Year) => year.to_string(),
            (_, Part::Month(m)) => format!("{} {year}", month_abbr(m)),
            (_, Part::Season(s)) => format!("{} {year}", s.name()),
            (_, Part::Day(m, d)) => format!("{d} {} {year}", month_abbr(m)),
        };
        date + self.qualifier()
    }
}

/// "28–29 Oct 2020", "30 Nov – 2 Dec 2020", "Oct–Dec 2020", "2020–2021": the shared month or
/// year written once when both ends are plain dates of the same precision and qualifiers.
fn display_range(a: &Date, b: &Date) -> String {
    if a == b {
        return a.display();
    }
    let shared = a.is_plain() && b.is_plain() && a.qualifier() == b.qualifier();
    let q = a.qualifier();
    let year = a.year;
    match (a.part, b.part) {
        _ if !shared => format!("{} – {}", a.display(), b.display()),
        (Part::Year, Part::Year) => format!("{year}–{}{q}", b.year),
        _ if a.year != b.year => format!("{} – {}", a.display(), b.display()),
        (Part::Month(m1), Part::Month(m2)) => {
            format!("{}–{} {year}{q}", month_abbr(m1), month_abbr(m2))
        }
        (Part::Day(m1, d1), Part::Day(m2, d2)) if m1 == m2 => {
            format!("{d1}–{d2} {} {year}{q}", month_abbr(m1))
        }
        (Part::Day(m1, d1), Part::Day(m2, d2)) => {
            format!(
                "{d1} {} – {d2} {} {year}{q}",
                month_abbr(m1),
                month_abbr(m2)
            )
        }
        _ => format!("{} – {}", a.display(), b.display()),
    }
}

/// Where a date goes on the timeline; see [`EdtfDate::sort_key`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortKey {
    start: Option<Day>,
    end: Reverse<End>,
    canonical: String,
}

/// The latest possible day of a date; an interval without an end lasts longest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum End {
    Day(Day),
    Never,
}

fn iso(day: Day) -> String {
    format!("{:04}-{:02}-{:02}", day.0, day.1, day.2)
}

impl EdtfDate {
    /// How a page shows the date: "29 Oct 2020", "Oct 2020", "28–29 Oct 2020", "Aug 2022 – ongoing", "Dec 2020 (approx.)".
    pub fn display(&self) -> String {
        match &self.shape {
            Shape::Single(d) => d.display(),
            Shape::Between(a, b) => display_range(a, b),
            Shape::Until(b) => format!("from ? to {}", b.display()),
            Shape::Since(a, Missing::Open) => format!("{} – ongoing", a.display()),
            Shape::Since(a, Missing::Unknown) => format!("from {} to ?", a.display()),
        }
    }

    /// The timeline order: by earliest possible day (an open or unknown start first), then the
    /// wider interval first (later end first), then the canonical text, so the order is total.
    pub fn sort_key(&self) -> SortKey {
        SortKey {
            start: self.start_day(),
            end: Reverse(self.end_day().map_or(End::Never, End::Day)),
            canonical: self.canonical.clone(),
        }
    }

    /// The earliest possible day as "2020-10-28", for feeds and sitemaps; None when the start is open or unknown.
    pub fn start_iso(&self) -> Option<String> {
        self.start_day().map(iso)
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
        match &self.shape {
            Shape::Single(a) | Shape::Between(a, _) | Shape::Since(a, _) => Some(a.first_day()),
            Shape::Until(_) => None,
        }
    }

    /// The latest possible calendar day.
    pub fn end_day(&self) -> Option<Day> {
        match &self.shape {
            Shape::Single(b) | Shape::Between(_, b) | Shape::Until(b) => Some(b.last_day()),
            Shape::Since(..) => None,
        }
    }

    pub fn precision(&self) -> Precision {
        match &self.shape {
            Shape::Single(d) | Shape::Until(d) | Shape::Since(d, _) => d.precision(),
            Shape::Between(a, b) => a.precision().min(b.precision()),
        }
    }

    pub fn is_approximate(&self) -> bool {
        self.dates().any(|d| d.approximate)
    }

    pub fn is_uncertain(&self) -> bool {
        self.dates().any(|d| d.uncertain)
    }

    pub fn is_interval(&self) -> bool {
        !matches!(self.shape, Shape::Single(_))
    }

    /// The canonical form: the input trimmed, with `x` written `X` and no spaces around `/`.
    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    fn dates(&self) -> impl Iterator<Item = &Date> {
        let (a, b) = match &self.shape {
            Shape::Single(d) | Shape::Until(d) | Shape::Since(d, _) => (d, None),
            Shape::Between(a, b) => (a, Some(b)),
        };
        std::iter::once(a).chain(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Result<&str, &str>) {
        let got = input
            .parse::<EdtfDate>()
            .map(|d| d.display())
            .map_err(|e| e.to_string());
        let got = got.as_ref().map(String::as_str).map_err(String::as_str);
        assert_eq!(got, expect, "{input:?}");
    }

    #[test]
    fn parse_and_display() {
        for (input, expect) in [
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
            ("20XX", Ok("2000–2099")),
            ("201X/2020", Ok("2010s – 2020")),
            ("2020-02-29", Ok("29 Feb 2020")),
            ("2000-02-29", Ok("29 Feb 2000")),
            ("", Err("the date is empty (write e.g. 2020-10-29)")),
            ("   ", Err("the date is empty (write e.g. 2020-10-29)")),
            (
                "yesterday",
                Err(
                    "`yesterday` is not an EDTF date (write e.g. 2020-10-29, 2020-10, 2020 or 2020-10-28/2020-10-29)",
                ),
            ),
            (
                "2020-13",
                Err("month 13 is not 01–12, or 21–24 for a season (write e.g. 2020-10)"),
            ),
            (
                "2020-00",
                Err("month 00 is not 01–12, or 21–24 for a season (write e.g. 2020-10)"),
            ),
            (
                "2020-1",
                Err("month 1 is not 01–12, or 21–24 for a season (write e.g. 2020-10)"),
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
                Err("day 5 is not in October 2020, which has 31 days (write e.g. 2020-10-31)"),
            ),
            (
                "2020-10-29/2020-10-01",
                Err(
                    "the interval starts after it ends (write the earlier date first, e.g. 2020-10-01/2020-10-29)",
                ),
            ),
            (
                "2021/2020-12",
                Err(
                    "the interval starts after it ends (write the earlier date first, e.g. 2020-12/2021)",
                ),
            ),
            (
                "/",
                Err("an interval needs at least one date (write e.g. 2022-08/..)"),
            ),
            (
                "../..",
                Err("an interval needs at least one date (write e.g. 2022-08/..)"),
            ),
            (
                "2020/2021/2022",
                Err(
                    "`2020/2021/2022` is not an EDTF date (write e.g. 2020-10-29, 2020-10, 2020 or 2020-10-28/2020-10-29)",
                ),
            ),
            (
                "-2020",
                Err("negative years are not supported (write e.g. 2020)"),
            ),
            (
                "Y170000002",
                Err("years after 9999 are not supported (write e.g. 2020)"),
            ),
            (
                "12020",
                Err("years after 9999 are not supported (write e.g. 2020)"),
            ),
            (
                "20",
                Err("year `20` is not four digits (write e.g. 2020, or 201X for a decade)"),
            ),
            (
                "2020-10-29T10:00",
                Err("times are not supported, only days (write e.g. 2020-10-29)"),
            ),
            (
                "2020-21-05",
                Err("a season has no days (write e.g. 2021-21 for spring 2021)"),
            ),
            (
                "2XXX",
                Err(
                    "only the last digits can be X, and everything after an X must be X too (write e.g. 201X, 2020-XX or 2020-10-XX)",
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
                "2020~?",
                Err(
                    "put one qualifier at the very end: ~ approximate, ? uncertain, % both (write e.g. 2020-12~)",
                ),
            ),
            (
                "~2020",
                Err(
                    "put one qualifier at the very end: ~ approximate, ? uncertain, % both (write e.g. 2020-12~)",
                ),
            ),
            (
                "2020-10-29-01",
                Err(
                    "`2020-10-29-01` is not an EDTF date (write e.g. 2020-10-29, 2020-10, 2020 or 2020-10-28/2020-10-29)",
                ),
            ),
            (
                "2020--10",
                Err(
                    "`2020--10` is not an EDTF date (write e.g. 2020-10-29, 2020-10, 2020 or 2020-10-28/2020-10-29)",
                ),
            ),
            (
                "2020-",
                Err(
                    "`2020-` is not an EDTF date (write e.g. 2020-10-29, 2020-10, 2020 or 2020-10-28/2020-10-29)",
                ),
            ),
            (
                "..",
                Err(
                    "`..` is not an EDTF date (write e.g. 2020-10-29, 2020-10, 2020 or 2020-10-28/2020-10-29)",
                ),
            ),
            (
                "~",
                Err(
                    "`~` is not an EDTF date (write e.g. 2020-10-29, 2020-10, 2020 or 2020-10-28/2020-10-29)",
                ),
            ),
            (
                "\u{661}\u{662}\u{663}\u{664}",
                Err(
                    "`\u{661}\u{662}\u{663}\u{664}` is not an EDTF date (write e.g. 2020-10-29, 2020-10, 2020 or 2020-10-28/2020-10-29)",
                ),
            ),
        ] {
            check(input, expect);
        }
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
            "29", "31", "XX", "~", "?", "%", " ", "Y", "T", "\u{E9}", "0",
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
        ]
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
        assert_eq!(dates.len(), 12);
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
