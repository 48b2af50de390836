//! Quick fixes shown under a diagnostic, in the terminal and in the preview's overlay: a
//! quote that was not found beside the closest passage of its seed, with what differs
//! marked, and the existing ids nearest to an unknown one. `--format json` keeps its shape;
//! its help text says the same in words.

use crate::text::normalize_str;
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

/// How many existing ids a fix offers for an unknown one.
pub const NEAREST_IDS: usize = 3;

/// Quotes longer than this (in bytes, both texts together) are not compared: a diff of
/// whole paragraphs would say less than the help's "closest passage" does.
const MAX_COMPARED: usize = 4_000;

/// What the author can do about a diagnostic, shown as such.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Fix {
    /// A quote compared with the closest passage of its seed, at `place` (`seeds/a.txt:5`).
    Passage { place: String, parts: Vec<Part> },
    /// Existing ids nearest to an unknown one, nearest first.
    Ids { ids: Vec<String> },
}

/// A run of text of the comparison, and whose it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Part {
    pub side: Side,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// In the quote and in the seed.
    Both,
    /// Only in the quote: to remove.
    Quote,
    /// Only in the seed: to write instead.
    Seed,
}

impl Fix {
    /// `quote` against `passage`, both normalized (curly and straight quotes, dashes and
    /// spaces are not differences, as for matching). `None` for texts too long to compare.
    pub fn passage(place: String, quote: &str, passage: &str) -> Option<Fix> {
        let (quote, passage) = (normalize_str(quote), normalize_str(passage));
        if quote.len() + passage.len() > MAX_COMPARED {
            return None;
        }
        let mut parts = Parts::default();
        // Words first, so that a replaced word reads as one; then the letters of a word
        // that is only misspelled.
        let words = TextDiff::from_words(quote.as_str(), passage.as_str());
        let (mut gone, mut added) = (String::new(), String::new());
        for change in words.iter_all_changes() {
            match change.tag() {
                ChangeTag::Equal => {
                    parts.replaced(&std::mem::take(&mut gone), &std::mem::take(&mut added));
                    parts.push(Side::Both, change.value());
                }
                ChangeTag::Delete => gone.push_str(change.value()),
                ChangeTag::Insert => added.push_str(change.value()),
            }
        }
        parts.replaced(&gone, &added);
        Some(Fix::Passage {
            place,
            parts: parts.0,
        })
    }

    /// The fix as a terminal shows it, under the diagnostic; `color` marks differences
    /// with colors, else with `[-…-]` and `{+…+}` as `git diff --word-diff` does.
    pub fn to_terminal(&self, color: bool) -> String {
        let printable = |s: &str| super::printable(s).into_owned();
        match self {
            Fix::Passage { place, parts } => {
                let mut line = String::new();
                for part in parts {
                    let text = printable(&part.text);
                    match (part.side, color) {
                        (Side::Both, _) => line.push_str(&text),
                        (Side::Quote, false) => line.push_str(&format!("[-{text}-]")),
                        (Side::Seed, false) => line.push_str(&format!("{{+{text}+}}")),
                        (Side::Quote, true) => line.push_str(&format!("\x1b[31;9m{text}\x1b[0m")),
                        (Side::Seed, true) => line.push_str(&format!("\x1b[32;4m{text}\x1b[0m")),
                    }
                }
                let key = if color {
                    "struck out: only in the quote; underlined: what the seed has instead"
                } else {
                    "[-…-]: only in the quote; {+…+}: what the seed has instead"
                };
                format!(
                    "  fix: the quote against {}:\n       {line}\n       ({key})\n",
                    printable(place)
                )
            }
            Fix::Ids { ids } => {
                let list: Vec<String> = ids.iter().map(|i| format!("`{}`", printable(i))).collect();
                format!("  fix: nearest existing ids: {}\n", list.join(", "))
            }
        }
    }
}

/// The parts of a comparison, with neighbours of one side merged.
#[derive(Default)]
struct Parts(Vec<Part>);

impl Parts {
    fn push(&mut self, side: Side, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some(last) if last.side == side => last.text.push_str(text),
            _ => self.0.push(Part {
                side,
                text: text.to_owned(),
            }),
        }
    }

    /// `gone` of the quote where the seed has `added`: letter by letter when they are one
    /// misspelled word, else as wholes.
    fn replaced(&mut self, gone: &str, added: &str) {
        let one_word = |s: &str| s.split_whitespace().count() == 1;
        if one_word(gone) && one_word(added) && strsim::normalized_levenshtein(gone, added) >= 0.5 {
            for change in TextDiff::from_chars(gone, added).iter_all_changes() {
                let side = match change.tag() {
                    ChangeTag::Equal => Side::Both,
                    ChangeTag::Delete => Side::Quote,
                    ChangeTag::Insert => Side::Seed,
                };
                self.push(side, change.value());
            }
        } else {
            self.push(Side::Quote, gone);
            self.push(Side::Seed, added);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(quote: &str, passage: &str) -> String {
        let fix = Fix::passage("s.txt:1".into(), quote, passage).expect("short texts");
        fix.to_terminal(false)
            .lines()
            .nth(1)
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    #[test]
    fn differences_are_marked_by_word_and_by_letter() {
        assert_eq!(
            marked(
                "signed a treaty on Tuesday",
                "signed an agreement on Tuesday"
            ),
            "signed a{+n+} [-treaty-]{+agreement+} on Tuesday"
        );
        assert_eq!(
            marked("the goverment said", "the government said"),
            "the gover{+n+}ment said"
        );
        // What matching ignores is not a difference.
        assert_eq!(
            marked(
                "\"We lost hours\" - he said",
                "\u{201c}We lost hours\u{201d} \u{2014} he said"
            ),
            "\"We lost hours\" - he said"
        );
        assert!(Fix::passage(String::new(), &"x ".repeat(3_000), "x").is_none());
    }
}
