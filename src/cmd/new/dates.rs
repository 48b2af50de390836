//! Finding the dates an article's text mentions, for `gloss new`'s guess at `published`:
//! the common written forms, each with the EDTF dates it can mean.

use crate::edtf::MONTH_NAMES as MONTHS;
use std::collections::BTreeMap;

/// A date written in the text, with the EDTF dates it may mean.
#[derive(Debug, PartialEq, Eq)]
pub struct FoundDate {
    /// As written (normalized spaces).
    pub text: String,
    /// 0-based paragraph index.
    pub paragraph: usize,
    /// (EDTF, why) — `why` is empty for an unambiguous reading.
    pub candidates: Vec<(String, String)>,
    pub precision_day: bool,
    /// The text gave no year; the candidates use the year of the text's other dates.
    pub year_assumed: bool,
}

/// The month a word names: full names, and three- or four-letter abbreviations ("Sept").
fn month(word: &str) -> Option<u8> {
    if word.len() < 3 || !word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == word || (word.len() <= 4 && m.starts_with(word) && word != "Ma"))
        .and_then(|i| u8::try_from(i + 1).ok())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    Num(&'a str),
    Punct(char),
}

/// Words, digit runs and single punctuation marks, with their byte offsets.
fn tokens(text: &str) -> Vec<(usize, usize, Tok<'_>)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let same = |d: char| {
            if c.is_ascii_digit() {
                d.is_ascii_digit()
            } else if c.is_alphabetic() {
                d.is_alphabetic()
            } else {
                false
            }
        };
        let mut end = start + c.len_utf8();
        while let Some(&(i, d)) = chars.peek() {
            if !same(d) {
                break;
            }
            end = i + d.len_utf8();
            chars.next();
        }
        let s = &text[start..end];
        let tok = if c.is_ascii_digit() {
            Tok::Num(s)
        } else if c.is_alphabetic() {
            Tok::Word(s)
        } else {
            Tok::Punct(c)
        };
        out.push((start, end, tok));
    }
    out
}

fn day(s: &str) -> Option<u8> {
    (s.len() <= 2)
        .then(|| s.parse::<u8>().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

fn year(s: &str) -> Option<i32> {
    (s.len() == 4)
        .then(|| s.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1000..=2999).contains(y))
}

/// A date as matched, before a missing year is filled in.
#[derive(Clone, Copy, Debug)]
struct Raw {
    paragraph: usize,
    /// Byte range in the paragraph.
    start: usize,
    end: usize,
    year: Option<i32>,
    month: u8,
    day: Option<u8>,
    /// Written as `a/b/yyyy`, so month and day may be either way round.
    slashed: bool,
}

/// The date that starts at token `i`, if any, and the index of the token after it.
fn date_at(toks: &[(usize, usize, Tok<'_>)], i: usize, paragraph: usize) -> Option<(Raw, usize)> {
    let at = |k: usize| toks.get(k).map(|t| t.2);
    let raw = |last: usize, year: Option<i32>, month: u8, day: Option<u8>, slashed: bool| {
        let raw = Raw {
            paragraph,
            start: toks[i].0,
            end: toks[last].1,
            year,
            month,
            day,
            slashed,
        };
        Some((raw, last + 1))
    };
    // A year right after `k` (optionally after a comma): its token index and value.
    let year_after = |k: usize| {
        let comma = usize::from(at(k + 1) == Some(Tok::Punct(',')));
        match at(k + 1 + comma) {
            Some(Tok::Num(n)) => year(n).map(|y| (k + 1 + comma, y)),
            _ => None,
        }
    };
    match at(i)? {
        // Month first: "October 20", "Oct. 20th, 2020", "October 2020".
        Tok::Word(w) => {
            let m = month(w)?;
            let k = if at(i + 1) == Some(Tok::Punct('.')) {
                i + 2
            } else {
                i + 1
            };
            let Some(Tok::Num(n)) = at(k) else {
                return None;
            };
            if let Some(y) = year(n) {
                return raw(k, Some(y), m, None, false);
            }
            let d = day(n)?;
            let e = if matches!(at(k + 1), Some(Tok::Word("st" | "nd" | "rd" | "th"))) {
                k + 1
            } else {
                k
            };
            match year_after(e) {
                Some((last, y)) => raw(last, Some(y), m, Some(d), false),
                None => raw(e, None, m, Some(d), false),
            }
        }
        Tok::Num(n) => {
            // Day first: "20 October 2020", "20 Oct".
            if let (Some(d), Some(Tok::Word(w))) = (day(n), at(i + 1))
                && let Some(m) = month(w)
            {
                let e = if at(i + 2) == Some(Tok::Punct('.')) {
                    i + 2
                } else {
                    i + 1
                };
                return match at(e + 1) {
                    Some(Tok::Num(n)) if year(n).is_some() => {
                        raw(e + 1, year(n), m, Some(d), false)
                    }
                    _ => raw(e, None, m, Some(d), false),
                };
            }
            match (at(i + 1)?, at(i + 2)?, at(i + 3)?, at(i + 4)?) {
                // ISO: "2020-10-20".
                (Tok::Punct('-'), Tok::Num(m), Tok::Punct('-'), Tok::Num(d)) => {
                    let (y, m, d) = (year(n)?, day(m).filter(|m| *m <= 12)?, day(d)?);
                    raw(i + 4, Some(y), m, Some(d), false)
                }
                // Slashes: "02/12/2023", month first (US) or day first.
                (Tok::Punct('/'), Tok::Num(b), Tok::Punct('/'), Tok::Num(y)) => {
                    let (a, b, y) = (day(n)?, day(b)?, year(y)?);
                    raw(i + 4, Some(y), a, Some(b), true)
                }
                _ => None,
            }
        }
        Tok::Punct(_) => None,
    }
}

/// Dates in the paragraphs: "October 20", "Oct. 20, 2020", "20 October 2020", "October 2020",
/// "2020-10-20" and "02/12/2023" (both readings when day and month could swap).
pub fn find_dates(paras: &[String]) -> Vec<FoundDate> {
    let mut raw: Vec<Raw> = Vec::new();
    for (pi, p) in paras.iter().enumerate() {
        let toks = tokens(p);
        let mut i = 0;
        while i < toks.len() {
            match date_at(&toks, i, pi) {
                Some((found, next)) => {
                    raw.push(found);
                    i = next;
                }
                None => i += 1,
            }
        }
    }
    // A date without a year most likely shares the year of the text's dated mentions.
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    for y in raw.iter().filter_map(|r| r.year) {
        *years.entry(y).or_default() += 1;
    }
    let usual_year = years
        .iter()
        .max_by_key(|(y, n)| (**n, -**y))
        .map(|(y, _)| *y);
    let mut out: Vec<FoundDate> = Vec::new();
    for Raw {
        paragraph: pi,
        start,
        end,
        year: y,
        month: m,
        day: d,
        slashed,
    } in raw
    {
        let text = paras[pi][start..end].to_owned();
        if out.iter().any(|f| f.text == text) {
            continue;
        }
        let (year, year_assumed) = match (y, usual_year) {
            (Some(y), _) => (y, false),
            (None, Some(u)) => (u, true),
            (None, None) => (0, true),
        };
        let mut candidates = Vec::new();
        let valid = |edtf: &str| edtf.parse::<crate::edtf::EdtfDate>().is_ok();
        let fmt = |m: u8, d: Option<u8>| match (year, d) {
            (0, Some(d)) => format!("XXXX-{m:02}-{d:02}"),
            (0, None) => format!("XXXX-{m:02}"),
            (y, Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
            (y, None) => format!("{y:04}-{m:02}"),
        };
        let why_year = match (year_assumed, year) {
            (true, 0) => "no year in the text",
            (true, _) => "year assumed from the text's other dates",
            _ => "",
        };
        match (slashed, d) {
            (true, Some(b)) => {
                let a = m;
                for (m, d, why) in [(a, b, "month first, US style"), (b, a, "day first")] {
                    let edtf = fmt(m, Some(d));
                    if m <= 12 && valid(&edtf) && !candidates.iter().any(|(e, _)| *e == edtf) {
                        candidates.push((edtf, why.to_owned()));
                    }
                }
                if candidates.len() == 1 {
                    candidates[0].1.clear();
                }
            }
            _ => {
                let edtf = fmt(m, d);
                // EDTF has no unspecified-year day; an unknown year is written but not checked.
                if year == 0 || valid(&edtf) {
                    candidates.push((edtf, why_year.to_owned()));
                }
            }
        }
        if !candidates.is_empty() {
            out.push(FoundDate {
                text,
                paragraph: pi,
                candidates,
                precision_day: d.is_some(),
                year_assumed,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<(String, Vec<String>)> {
        find_dates(&[text.to_owned()])
            .into_iter()
            .map(|d| (d.text, d.candidates.into_iter().map(|c| c.0).collect()))
            .collect()
    }

    #[test]
    fn finds_dates_in_common_forms() {
        let got = dates(
            "On October 20 they met; on Dec 1, 2023 and Dec. 2, 2023 again, then 02/12/2023, 13/02/2023, 2020-10-29, 5 March 2021, and in May 2022. It may rain.",
        );
        let want: Vec<(&str, Vec<&str>)> = vec![
            ("October 20", vec!["2023-10-20"]),
            ("Dec 1, 2023", vec!["2023-12-01"]),
            ("Dec. 2, 2023", vec!["2023-12-02"]),
            ("02/12/2023", vec!["2023-02-12", "2023-12-02"]),
            ("13/02/2023", vec!["2023-02-13"]),
            ("2020-10-29", vec!["2020-10-29"]),
            ("5 March 2021", vec!["2021-03-05"]),
            ("May 2022", vec!["2022-05"]),
        ];
        let want: Vec<(String, Vec<String>)> = want
            .into_iter()
            .map(|(t, c)| (t.to_owned(), c.into_iter().map(str::to_owned).collect()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn impossible_dates_are_skipped() {
        assert!(dates("February 30, 2021").is_empty());
        assert_eq!(dates("on March 3")[0].1, vec!["XXXX-03-03"]);
    }
}
