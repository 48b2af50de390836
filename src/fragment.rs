//! Text-fragment links (`#:~:text=`) to a passage of the original article that land on
//! that passage: the browser highlights the *first* match of a fragment, and a quote can
//! also appear in a pull quote or a dropped paragraph, so each link carries as much of the
//! passage's own context (`prefix-,` and `,-suffix`, words of its paragraph) as it takes
//! for the first match in the whole seed to be the annotated one.
//!
//! The seed stands in for the publisher's page: the matching here follows the Text
//! Fragments specification (terms match whole words, case-insensitively, within one
//! paragraph; a prefix is followed by the start, an end is searched after the start, the
//! suffix follows the end) over all of the seed's paragraphs, kept or not.

use crate::text::paragraphs;
use crate::types::ByteRange;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::collections::HashMap;
use std::ops::Range;

/// What is left unescaped in a term: the directive's own punctuation (`-`, `,`, `&`) must
/// be percent-encoded, and encoding every other sign too keeps links portable.
const FRAGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'_').remove(b'~');

/// A passage of at most this many words is quoted whole; a longer one by its first and
/// last words (`start,end`).
const MAX_EXACT_WORDS: usize = 8;

/// The seed's text as find-in-page sees it: words, each with its paragraph.
pub struct Document<'a> {
    seed: &'a str,
    words: Vec<Word>,
    /// Where each case-folded word occurs, in document order.
    index: HashMap<String, Vec<usize>>,
}

struct Word {
    range: ByteRange,
    /// Lowercased, as find-in-page compares.
    folded: String,
    /// `folded` without the punctuation around it: what the index is keyed by, since a
    /// term's first word can match the end of a word (`no` in `“no`).
    core: String,
    paragraph: usize,
}

/// The parts of a text directive, as ranges of word indexes.
struct Directive {
    prefix: Range<usize>,
    start: Range<usize>,
    end: Option<Range<usize>>,
    suffix: Range<usize>,
}

impl<'a> Document<'a> {
    pub fn new(seed: &'a str) -> Self {
        let mut words = Vec::new();
        for (paragraph, range) in paragraphs(seed).into_iter().enumerate() {
            let text = range.of(seed);
            for word in text.split_whitespace() {
                let start = range.start + (word.as_ptr() as usize - text.as_ptr() as usize);
                let folded = word.to_lowercase();
                words.push(Word {
                    range: ByteRange::new(start, start + word.len()),
                    core: folded
                        .trim_matches(|c: char| !c.is_alphanumeric())
                        .to_owned(),
                    folded,
                    paragraph,
                });
            }
        }
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, w) in words.iter().enumerate() {
            index.entry(w.core.clone()).or_default().push(i);
        }
        Document { seed, words, index }
    }

    /// `url` (without its fragment) with a text directive that lands on the words of
    /// `range`: the first directive, from the shortest, whose first match in the seed is
    /// that passage; the longest tried when none is (the passage repeats word for word,
    /// context included).
    pub fn link(&self, url: &str, range: ByteRange) -> String {
        let base = url.split('#').next().unwrap_or(url);
        let first = self.words.iter().position(|w| w.range.end > range.start);
        let last = self.words.iter().rposition(|w| w.range.start < range.end);
        let (Some(s), Some(e)) = (first, last) else {
            return base.to_owned();
        };
        if e < s {
            return base.to_owned();
        }
        let len = e + 1 - s;
        let edges: &[usize] = if len <= MAX_EXACT_WORDS {
            &[0]
        } else {
            &[3, 5, 8]
        };
        let mut chosen = None;
        for context in [0, 2, 4, 8, 16] {
            for &k in edges.iter().filter(|&&k| 2 * k <= len) {
                let d = self.directive(s, e, k, context);
                if self.first_match(&d) == Some((s, e)) {
                    return format!("{base}#:~:text={}", self.encode(&d));
                }
                chosen = Some(d);
            }
        }
        match chosen {
            Some(d) => format!("{base}#:~:text={}", self.encode(&d)),
            None => base.to_owned(),
        }
    }

    /// Words `s..=e` as a directive: whole when `edge` is 0, else their first and last
    /// `edge` words; with up to `context` words of their paragraph on each side.
    fn directive(&self, s: usize, e: usize, edge: usize, context: usize) -> Directive {
        let (start, end) = if edge == 0 {
            (s..e + 1, None)
        } else {
            (s..s + edge, Some(e + 1 - edge..e + 1))
        };
        let mut p = s;
        while p > 0 && s - p < context && self.words[p - 1].paragraph == self.words[s].paragraph {
            p -= 1;
        }
        let mut q = e + 1;
        while q < self.words.len()
            && q - (e + 1) < context
            && self.words[q].paragraph == self.words[e].paragraph
        {
            q += 1;
        }
        Directive {
            prefix: p..s,
            start,
            end,
            suffix: e + 1..q,
        }
    }

    /// Whether the words of `term` occur at `at`, in one paragraph. As in a browser, the
    /// term's first word may be the end of a longer word and its last the start of one,
    /// when only punctuation is cut off (`no` matches `“no` and `no.`).
    fn matches(&self, term: &Range<usize>, at: usize) -> bool {
        let n = term.len();
        at + n <= self.words.len()
            && (0..n).all(|i| {
                let (t, d) = (&self.words[term.start + i], &self.words[at + i]);
                let same = match (i == 0, i + 1 == n) {
                    (true, true) => d.folded.contains(&t.folded),
                    (true, false) => d.folded.ends_with(&t.folded),
                    (false, true) => d.folded.starts_with(&t.folded),
                    (false, false) => d.folded == t.folded,
                };
                same && t.core == d.core && d.paragraph == self.words[at].paragraph
            })
    }

    /// Whether `suffix` follows the word `last` in its paragraph (an empty one always does).
    fn suffix_follows(&self, suffix: &Range<usize>, last: usize) -> bool {
        suffix.is_empty()
            || (last + 1 < self.words.len()
                && self.words[last + 1].paragraph == self.words[last].paragraph
                && self.matches(suffix, last + 1))
    }

    /// The words (first, last) the browser would highlight for `d`: the first place where
    /// the prefix is followed by the start, then the first end after it that the suffix
    /// follows.
    fn first_match(&self, d: &Directive) -> Option<(usize, usize)> {
        let lead = if d.prefix.is_empty() {
            &d.start
        } else {
            &d.prefix
        };
        for &p in self.index.get(&self.words[lead.start].core)? {
            if !self.matches(lead, p) {
                continue;
            }
            let s = if d.prefix.is_empty() {
                p
            } else {
                let s = p + d.prefix.len();
                if s >= self.words.len()
                    || self.words[s].paragraph != self.words[s - 1].paragraph
                    || !self.matches(&d.start, s)
                {
                    continue;
                }
                s
            };
            let start_last = s + d.start.len() - 1;
            match &d.end {
                None => {
                    if self.suffix_follows(&d.suffix, start_last) {
                        return Some((s, start_last));
                    }
                }
                Some(end) => {
                    let candidates = self.index.get(&self.words[end.start].core)?;
                    for &q in candidates.iter().filter(|&&q| q > start_last) {
                        let last = q + end.len() - 1;
                        if self.matches(end, q) && self.suffix_follows(&d.suffix, last) {
                            return Some((s, last));
                        }
                    }
                }
            }
        }
        None
    }

    fn encode(&self, d: &Directive) -> String {
        let term = |r: &Range<usize>| {
            let text: Vec<&str> = self.words[r.clone()]
                .iter()
                .map(|w| w.range.of(self.seed))
                .collect();
            utf8_percent_encode(&text.join(" "), FRAGMENT).to_string()
        };
        let mut out = String::new();
        if !d.prefix.is_empty() {
            out.push_str(&term(&d.prefix));
            out.push_str("-,");
        }
        out.push_str(&term(&d.start));
        if let Some(end) = &d.end {
            out.push(',');
            out.push_str(&term(end));
        }
        if !d.suffix.is_empty() {
            out.push_str(",-");
            out.push_str(&term(&d.suffix));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_quote_gets_the_context_that_tells_it_apart() {
        let seed = "Pull quote: there was “no crisis.”\n\nThey said there was no crisis. The minister added.";
        let at = seed.rfind("no crisis").unwrap_or(0);
        let doc = Document::new(seed);
        assert_eq!(
            doc.link("https://x.org/a#top", ByteRange::new(at, at + 10)),
            "https://x.org/a#:~:text=there%20was-,no%20crisis.,-The%20minister"
        );
        // The first occurrence needs no context.
        let first = seed.find("no crisis").unwrap_or(0);
        assert_eq!(
            doc.link("https://x.org/a", ByteRange::new(first, first + 10)),
            "https://x.org/a#:~:text=%E2%80%9Cno%20crisis.%E2%80%9D"
        );
    }
}
