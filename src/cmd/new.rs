//! `gloss new SEED`: an annotation skeleton for one seed, so an analyst starts from what gloss
//! can already see in the text — a title, dates with EDTF candidates, the entity mentions,
//! web debris to drop — and copies quotes from the paragraphs listed as comments, instead
//! of retyping them.
//!
//! The skeleton is valid as written (`gloss check` accepts it); everything that is only a
//! guess is either marked as one or left commented out.

use crate::cli::Exit;
use crate::link::mentions::MentionMatcher;
use crate::model::EntitiesFile;
use crate::text::{normalize_str, paragraphs};
use crate::types::EntityId;
use camino::{Utf8Path, Utf8PathBuf};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The largest seed read, as in `[limits] max_file_bytes`'s default.
const MAX_SEED_BYTES: u64 = 8 * 1024 * 1024;
/// How wide the paragraph comments are wrapped.
const WRAP: usize = 96;
/// Paragraphs a dateline can be in, for guessing `published`.
const DATELINE_PARAGRAPHS: usize = 6;

pub fn run(root: &Utf8Path, seed: &str) -> Exit {
    match write_skeleton(root, seed) {
        Ok(path) => {
            eprintln!("Wrote {path}.");
            eprintln!(
                "  Check the guessed title and date, pick quotes from the paragraphs in its comments,"
            );
            eprintln!(
                "  then run `gloss check` (or keep `gloss serve` running) to see the result."
            );
            Exit::Success
        }
        Err(message) => {
            eprintln!("error: {message}");
            Exit::Failure
        }
    }
}

/// Writes `content/articles/<id>.yaml` for `seed` and returns its path, or says why not.
fn write_skeleton(root: &Utf8Path, seed: &str) -> Result<Utf8PathBuf, String> {
    let seeds = root.join("seeds");
    let name = seed_name(&seeds, seed)?;
    let seed_path = seeds.join(&name);
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    let target = root
        .join("content")
        .join("articles")
        .join(format!("{stem}.yaml"));
    if target.exists() {
        return Err(format!(
            "{target} already exists; gloss new never overwrites an annotation file\n  help: edit it, or delete it first to start again"
        ));
    }
    let size = std::fs::metadata(&seed_path)
        .map_err(|e| format!("cannot read {seed_path}: {e}"))?
        .len();
    if size > MAX_SEED_BYTES {
        return Err(format!(
            "{seed_path} is {size} bytes, more than gloss reads ({MAX_SEED_BYTES})"
        ));
    }
    let bytes = std::fs::read(&seed_path).map_err(|e| format!("cannot read {seed_path}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!("{seed_path} is not UTF-8 text (invalid byte at offset {})\n  help: convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8`", e.utf8_error().valid_up_to())
    })?;
    let matcher = entity_matcher(root);
    let yaml = skeleton(&name, &text, matcher.as_ref());
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {parent}: {e}"))?;
    }
    // `create_new` closes the race with another writer between the check above and here.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{target} already exists; gloss new never overwrites an annotation file")
            }
            _ => format!("cannot write {target}: {e}"),
        })?;
    std::io::Write::write_all(&mut file, yaml.as_bytes())
        .map_err(|e| format!("cannot write {target}: {e}"))?;
    Ok(target)
}

/// The seed's file name in `seeds/`, from `x.txt`, `seeds/x.txt` or the stem `x`.
fn seed_name(seeds: &Utf8Path, seed: &str) -> Result<String, String> {
    let given = seed.replace('\\', "/");
    let given = given.strip_prefix("./").unwrap_or(&given);
    let given = given.strip_prefix("seeds/").unwrap_or(given);
    if given.is_empty() || given.contains('/') || given.starts_with('.') {
        return Err(format!(
            "`{seed}` is not a file name in seeds/\n  help: give the seed's file name, e.g. `gloss new article.txt`"
        ));
    }
    for candidate in [given.to_owned(), format!("{given}.txt")] {
        if seeds.join(&candidate).is_file() {
            return Ok(candidate);
        }
    }
    let available: Vec<String> = seeds
        .read_dir_utf8()
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let help = match crate::suggest::nearest(given, available.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "put the article's text in seeds/ first (plain UTF-8 text)".into(),
    };
    Err(format!("seeds/{given} does not exist\n  help: {help}"))
}

/// Every alias of every entity in `content/entities.yaml`, or `None` when the file is missing
/// or does not parse (then the skeleton simply lists no mentions).
fn entity_matcher(root: &Utf8Path) -> Option<MentionMatcher> {
    let path = root.join("content").join("entities.yaml");
    let text = std::fs::read_to_string(&path).ok()?;
    let mut diags = Vec::new();
    let entities: EntitiesFile = crate::load::parse_yaml(&path, &text, &mut diags)?;
    let aliases: Vec<(EntityId, String)> = entities
        .iter()
        .flat_map(|(id, e)| {
            std::iter::once(e.name.clone())
                .chain(e.aliases.iter().cloned())
                .map(move |a| (EntityId(id.clone()), a))
        })
        .collect();
    Some(MentionMatcher::new(&aliases))
}

/// Paragraphs that are web debris rather than article text, recognized by their exact wording.
const DEBRIS: &[&str] = &[
    "< Back",
    "Back",
    "Share",
    "Share this:",
    "Share this",
    "Print",
    "Advertisement",
    "Leave a Reply",
    "Leave a Comment",
    "Related posts",
    "Related Posts",
    "Related articles",
    "Related Articles",
    "Read more",
    "Comments",
];
/// Paragraphs that start what follows the article (the body ends before them).
const TRAILERS: &[&str] = &[
    "Related posts",
    "Related Posts",
    "Related articles",
    "Related Articles",
    "Leave a Reply",
    "Leave a Comment",
    "Comments",
];

/// A YAML double-quoted scalar: JSON string syntax is valid YAML.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The annotation file for a seed named `name` with text `text`.
pub fn skeleton(name: &str, text: &str, matcher: Option<&MentionMatcher>) -> String {
    let paras: Vec<String> = paragraphs(text)
        .iter()
        .map(|r| normalize_str(r.of(text)))
        .collect();
    let trailer = paras.iter().position(|p| TRAILERS.contains(&p.as_str()));
    let body_end = trailer.unwrap_or(paras.len());
    let drop: Vec<&String> = paras[..body_end]
        .iter()
        .filter(|p| DEBRIS.contains(&p.as_str()))
        .collect();
    let title = paras
        .iter()
        .find(|p| {
            !DEBRIS.contains(&p.as_str())
                && p.split_whitespace().count() >= 2
                && p.chars().count() <= 200
        })
        .or(paras.first());
    let dates = find_dates(&paras[..body_end]);
    let published = dates.iter().find(|d| {
        d.paragraph < DATELINE_PARAGRAPHS
            && d.precision_day
            && d.candidates.len() == 1
            && !d.year_assumed
    });

    let mut out = String::new();
    out.push_str("# yaml-language-server: $schema=../../schemas/articles.json\n");
    let _ = writeln!(
        out,
        "# Written by `gloss new {name}`. Check every guess, then add annotations below."
    );
    let _ = writeln!(out, "seed: {}", quoted(name));
    match title {
        Some(t) => {
            let _ = writeln!(
                out,
                "title: {}    # guessed from the first paragraph",
                quoted(t)
            );
        }
        None => {
            out.push_str("# title: \"...\"    # the seed has no paragraph to take a title from\n")
        }
    }
    out.push_str("# slug: short-name                # default: the slugified title\n");
    out.push_str(
        "# outlet: entity-id               # the publisher, an entity of kind organization\n",
    );
    out.push_str("author: null\n");
    match published {
        Some(d) => {
            let _ = writeln!(out, "published: {}    # guessed from {} in paragraph {}", d.candidates[0].0, quoted(&d.text), d.paragraph + 1);
        }
        None => out.push_str("# published: YYYY-MM-DD           # EDTF (2023-11-16, 2023-11, 2023-11-16?); see the dates below\n"),
    }
    out.push_str("# url: https://...                # the original article's address\n");
    out.push_str("draft: false\ntags: []\n");
    out.push_str("summary: |\n  What this article adds to the briefing.\n\n");

    if dates.is_empty() {
        out.push_str("# No dates found in the text.\n");
    } else {
        out.push_str(
            "# Dates in the text, with EDTF candidates for `published:` and content/events.yaml:\n",
        );
        for d in &dates {
            let candidates: Vec<String> = d
                .candidates
                .iter()
                .map(|(edtf, why)| {
                    if why.is_empty() {
                        edtf.clone()
                    } else {
                        format!("{edtf} ({why})")
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "#   [{}] {} → {}",
                d.paragraph + 1,
                quoted(&d.text),
                candidates.join(" or ")
            );
        }
    }
    let mentions = matcher
        .map(|m| mentions(m, &paras[..body_end]))
        .unwrap_or_default();
    match (matcher, mentions.is_empty()) {
        (None, _) => out.push_str("# No content/entities.yaml could be read, so no entity mentions are listed.\n"),
        (Some(_), true) => out.push_str("# No entity of content/entities.yaml is mentioned; add aliases there if one should be.\n"),
        (Some(_), false) => {
            out.push_str("# Entities mentioned (id: how often, first as), for `entities:` and `speaker:`:\n");
            for (id, (count, first, para)) in &mentions {
                let _ = writeln!(out, "#   {id}: {count}× — first as {} in [{}]", quoted(first), para + 1);
            }
        }
    }
    out.push('\n');

    out.push_str("text:\n");
    if drop.is_empty() {
        out.push_str(
            "  drop: []                        # whole paragraphs of web debris to remove\n",
        );
    } else {
        let list: Vec<String> = drop.iter().map(|p| quoted(p)).collect();
        let _ = writeln!(
            out,
            "  drop: [{}]    # web debris found in the text",
            list.join(", ")
        );
    }
    match trailer {
        Some(i) => {
            let _ = writeln!(out, "  end_before: {}    # what follows is not the article", quoted(&paras[i]));
        }
        None => out.push_str("  # end_before: \"Related posts\"  # the body ends before the paragraph starting with this\n"),
    }
    out.push_str("  headings: []\n\n");

    out.push_str(
        "# The paragraphs of the seed, to copy quotes from ([n] is the paragraph number):\n",
    );
    for (i, p) in paras.iter().enumerate() {
        let marker = if i >= body_end {
            " (after end_before)"
        } else if drop.contains(&p) {
            " (dropped)"
        } else {
            ""
        };
        for (j, line) in wrap(p, WRAP).iter().enumerate() {
            if j == 0 {
                let _ = writeln!(out, "# [{}]{marker} {line}", i + 1);
            } else {
                let _ = writeln!(out, "#     {line}");
            }
        }
    }
    out.push('\n');

    // A real passage for the example: eight words of a body paragraph, found once in the text.
    let example = paras[..body_end]
        .iter()
        .filter(|p| Some(*p) != title && !drop.contains(p) && p.split_whitespace().count() >= 8)
        .map(|p| p.split_whitespace().take(8).collect::<Vec<_>>().join(" "))
        .find(|q| {
            paras[..body_end]
                .iter()
                .map(|p| p.matches(q.as_str()).count())
                .sum::<usize>()
                == 1
        });
    out.push_str("annotations: []\n");
    out.push_str(
        "# Replace `[]` above with a list like this one (ids are unique in the file; the page\n",
    );
    out.push_str("# anchor is #<id>). Quotes match after normalizing quotes, dashes and spaces.\n");
    out.push_str("# annotations:\n");
    out.push_str("#   - id: first-passage\n");
    let quote = example.unwrap_or_else(|| "an exact passage from the paragraphs above".to_owned());
    let _ = writeln!(out, "#     quote: {}", quoted(&quote));
    out.push_str("#     kind: note          # note | fact | claim | statement | context | question | dispute\n");
    out.push_str("#     # speaker: entity-id  # who says it, for statements and claims\n");
    out.push_str("#     note: |\n");
    out.push_str(
        "#       Markdown: what a reader should know. Link with @/entities/<id>, @/events/<id>.\n",
    );
    let first_entities: Vec<&str> = mentions.keys().take(2).map(String::as_str).collect();
    let _ = writeln!(out, "#     entities: [{}]", first_entities.join(", "));
    out.push_str("#     events: []\n");
    out
}

/// Entity id → (mentions, first alias as written, paragraph of the first mention).
fn mentions(
    matcher: &MentionMatcher,
    paras: &[String],
) -> BTreeMap<String, (usize, String, usize)> {
    let mut found: BTreeMap<String, (usize, String, usize)> = BTreeMap::new();
    for (i, p) in paras.iter().enumerate() {
        for (entity, range) in matcher.find(p) {
            let entry = found
                .entry(entity.0)
                .or_insert_with(|| (0, p[range].to_owned(), i));
            entry.0 += 1;
        }
    }
    found
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

// --- dates ----------------------------------------------------------------------------

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

const MONTHS: [&str; 12] = [
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

    #[test]
    fn skeleton_parses_and_guesses() {
        let seed = "Council backs library\n\n< Back\n\nMarch 12, 2024\n\nThe Riverton City Council voted on Tuesday to build a new public library by the river.\n\nRelated posts\n\nLeave a Reply\n";
        let matcher = MentionMatcher::new(&[(
            EntityId::from("council"),
            "Riverton City Council".to_owned(),
        )]);
        let yaml = skeleton("x.txt", seed, Some(&matcher));
        let mut diags = Vec::new();
        let parsed: crate::model::ArticleFile =
            crate::load::parse_yaml(Utf8Path::new("x.yaml"), &yaml, &mut diags)
                .unwrap_or_else(|| panic!("{diags:?}\n{yaml}"));
        assert_eq!(parsed.title.as_deref(), Some("Council backs library"));
        assert_eq!(
            parsed.published.map(|p| p.value),
            Some("2024-03-12".to_owned())
        );
        assert_eq!(
            parsed
                .text
                .drop
                .iter()
                .map(|d| d.value.as_str())
                .collect::<Vec<_>>(),
            vec!["< Back"]
        );
        assert_eq!(
            parsed.text.end_before.map(|e| e.value),
            Some("Related posts".to_owned())
        );
        assert!(yaml.contains("#   council: 1×"), "{yaml}");
        assert!(
            yaml.contains("# [4] The Riverton City Council voted"),
            "{yaml}"
        );
    }
}
