//! Turns an annotator's quote (a W3C TextQuoteSelector) into a byte range of the seed, or says precisely why it cannot, with the closest passage when the quote was mistyped.

use crate::text::{Builder, Normalized, normalize, normalize_str};
use crate::types::{ByteRange, floor_char_boundary};
use std::ops::Range;

/// What an annotation file says about where its passage is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Selector<'a> {
    pub quote: &'a str,
    pub prefix: Option<&'a str>,
    pub suffix: Option<&'a str>,
    /// 1-based, counted among the matches that fit the prefix and suffix.
    pub occurrence: Option<usize>,
}

/// The searchable text of an article: a set of paragraphs (ranges of the seed) joined, normalized, with one space between paragraphs.
#[derive(Clone, Debug, Default)]
pub struct SearchText {
    normalized: Normalized,
}

impl SearchText {
    /// Paragraphs are taken in seed order; ranges that overlap an earlier one, are empty or lie
    /// outside the seed are ignored, so that no list of ranges can make the text inconsistent.
    pub fn new(seed: &str, paragraphs: &[ByteRange]) -> Self {
        let mut ranges: Vec<Range<usize>> = paragraphs
            .iter()
            .map(|r| floor_char_boundary(seed, r.start)..floor_char_boundary(seed, r.end))
            .filter(|r| r.start < r.end)
            .collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut builder = Builder::with_capacity(ranges.iter().map(|r| r.len() + 1).sum());
        let mut previous_end: Option<usize> = None;
        for r in ranges {
            if let Some(previous_end) = previous_end {
                if r.start < previous_end {
                    continue;
                }
                // The joining space stands for whatever lies between the two paragraphs.
                if !builder.is_empty() {
                    builder.push_space(previous_end..r.start);
                }
            }
            builder.push_slice(&seed[r.clone()], r.start);
            previous_end = Some(r.end);
        }
        Self {
            normalized: builder.finish(previous_end.unwrap_or(0)),
        }
    }

    /// The normalized text and its map back to the seed, e.g. to find mentions in it.
    pub fn normalized(&self) -> &Normalized {
        &self.normalized
    }
}

/// The passage most like a quote that was not found.
#[derive(Clone, Debug, PartialEq)]
pub struct Closest {
    /// In the seed.
    pub range: ByteRange,
    /// 0..=1, normalized Levenshtein similarity of the normalized texts; 1.0 means the quote
    /// itself is there but its prefix or suffix did not fit.
    pub similarity: f64,
}

/// Why a selector could not be anchored.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AnchorError {
    #[error("the quote is empty")]
    EmptyQuote,
    #[error("the quote is not in the article's text")]
    NotFound { closest: Option<Closest> },
    /// Every candidate, as seed ranges in seed order.
    #[error("the quote matches {} places; add a prefix, a suffix or an occurrence", matches.len())]
    Ambiguous { matches: Vec<ByteRange> },
    #[error("occurrence {occurrence} was asked for, but the quote matches {found} time(s)")]
    OccurrenceOutOfRange { occurrence: usize, found: usize },
    /// The first match in the dropped text.
    #[error("the quote is only in text that the annotation file drops")]
    InDroppedText { range: ByteRange },
}

/// The least similarity for which a passage is offered as what the annotator meant.
const MIN_SIMILARITY: f64 = 0.6;

/// The most cells (quote chars × text bytes) the fuzzy search may compute, so that huge quotes or seeds stay fast.
const FUZZY_BUDGET: usize = 40_000_000;

/// The most cells the fuzzy searches of one annotation file may compute together (a second
/// or two): the first mistyped quotes get their closest passage, a flood of them does not.
pub const FILE_FUZZY_BUDGET: usize = 10 * FUZZY_BUDGET;

/// How many chars the closest passage may be widened by at each end to reach whole words.
const WORD_REACH: usize = 64;

/// Anchor a selector: search `kept`; if not found there but found in `all` (all the seed's paragraphs), InDroppedText; else NotFound with the closest passage in `kept` when its similarity is >= 0.6.
///
/// `seed` is the text both search texts were made from; results are clamped to its char boundaries.
pub fn anchor(
    seed: &str,
    kept: &SearchText,
    all: &SearchText,
    sel: &Selector,
) -> Result<ByteRange, AnchorError> {
    anchor_within(seed, kept, all, sel, &mut FUZZY_BUDGET.clone())
}

/// [`anchor`], with the fuzzy search for a missing quote's closest passage drawing on
/// `fuzzy_budget` cells shared by the caller's calls: thousands of mistyped quotes in one file
/// would otherwise cost thousands of fuzzy searches. When it runs out, `closest` is `None`.
pub fn anchor_within(
    seed: &str,
    kept: &SearchText,
    all: &SearchText,
    sel: &Selector,
    fuzzy_budget: &mut usize,
) -> Result<ByteRange, AnchorError> {
    let quote = normalize_str(sel.quote);
    if quote.is_empty() {
        return Err(AnchorError::EmptyQuote);
    }
    // The prefix and suffix keep their whitespace at the joint with the quote: "currently "
    // demands a space before the quote, "currently" demands none.
    let prefix = sel.prefix.map_or_else(String::new, |p| {
        normalize(p).text.trim_start_matches(' ').to_owned()
    });
    let suffix = sel.suffix.map_or_else(String::new, |s| {
        normalize(s).text.trim_end_matches(' ').to_owned()
    });
    let context = [prefix.as_str(), &quote, &suffix].concat();
    let in_seed = |text: &SearchText, at: usize| {
        let start = at + prefix.len();
        let r = text.normalized.original_range(start..start + quote.len());
        clamp(seed, r)
    };

    let found = occurrences(kept.normalized.text.as_bytes(), context.as_bytes());
    if found.is_empty() {
        let dropped = occurrences(all.normalized.text.as_bytes(), context.as_bytes());
        return Err(match dropped.first() {
            Some(&at) => AnchorError::InDroppedText {
                range: in_seed(all, at),
            },
            None => AnchorError::NotFound {
                closest: closest(seed, &kept.normalized, &quote, fuzzy_budget),
            },
        });
    }
    match sel.occurrence {
        Some(n) => match n.checked_sub(1).and_then(|i| found.get(i)) {
            Some(&at) => Ok(in_seed(kept, at)),
            None => Err(AnchorError::OccurrenceOutOfRange {
                occurrence: n,
                found: found.len(),
            }),
        },
        None if found.len() == 1 => Ok(in_seed(kept, found[0])),
        None => Err(AnchorError::Ambiguous {
            matches: found.iter().map(|&at| in_seed(kept, at)).collect(),
        }),
    }
}

/// `r` on char boundaries of `seed`, widened rather than narrowed.
fn clamp(seed: &str, r: ByteRange) -> ByteRange {
    let start = floor_char_boundary(seed, r.start);
    let mut end = r.end.clamp(start, seed.len());
    while !seed.is_char_boundary(end) {
        end += 1;
    }
    ByteRange::new(start, end)
}

/// The start of every occurrence of `needle` in `hay`, overlapping ones included, found with
/// Knuth–Morris–Pratt so that repetitive text cannot make anchoring quadratic.
///
/// Both are valid UTF-8, so a byte match always starts and ends on char boundaries.
fn occurrences(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    // fail[i]: the length of the longest proper border of needle[..=i].
    let mut fail = vec![0; needle.len()];
    let mut k = 0;
    for (i, &b) in needle.iter().enumerate().skip(1) {
        while k > 0 && b != needle[k] {
            k = fail[k - 1];
        }
        if b == needle[k] {
            k += 1;
        }
        fail[i] = k;
    }
    // Without a border, two occurrences cannot overlap, so the SIMD searcher can jump past
    // each match: an order of magnitude faster, which matters when a file anchors thousands
    // of quotes in a seed of megabytes. A needle with a border keeps the KMP scan, which
    // stays linear where repeated searches from each match would be quadratic.
    if fail.last() == Some(&0) {
        let finder = memchr::memmem::Finder::new(needle);
        let mut from = 0;
        while let Some(i) = hay.get(from..).and_then(|rest| finder.find(rest)) {
            found.push(from + i);
            from += i + needle.len();
        }
        return found;
    }
    k = 0;
    for (i, &b) in hay.iter().enumerate() {
        while k > 0 && b != needle[k] {
            k = fail[k - 1];
        }
        if b == needle[k] {
            k += 1;
        }
        if k == needle.len() {
            found.push(i + 1 - k);
            k = fail[k - 1];
        }
    }
    found
}

/// The passage of `text` most like `quote`, if it is similar enough.
fn closest(seed: &str, text: &Normalized, quote: &str, budget: &mut usize) -> Option<Closest> {
    let hay = text.text.as_str();
    let quote_chars: Vec<char> = quote.chars().collect();
    let cells = quote_chars.len().saturating_mul(hay.len());
    if cells > FUZZY_BUDGET || cells > *budget {
        return None;
    }
    *budget -= cells;
    let r = whole_words(hay, best_alignment(hay, &quote_chars)?);
    let similarity = strsim::normalized_levenshtein(quote, &hay[r.clone()]);
    (!r.is_empty() && similarity >= MIN_SIMILARITY).then(|| Closest {
        range: clamp(seed, text.original_range(r)),
        similarity,
    })
}

/// The substring of `hay` with the least edit distance to `quote` (Sellers' algorithm: one
/// Levenshtein pass in which the match may start anywhere), as a byte range; None when empty.
fn best_alignment(hay: &str, quote: &[char]) -> Option<Range<usize>> {
    let m = quote.len();
    // Column for the text read so far: cost[j] is the least distance between quote[..j] and a
    // substring ending here, and from[j] where that substring starts.
    let mut cost: Vec<usize> = (0..=m).collect();
    let mut from: Vec<usize> = vec![0; m + 1];
    let mut best: Option<(usize, Range<usize>)> = None;
    for (i, c) in hay.char_indices() {
        let after = i + c.len_utf8();
        let (mut diag_cost, mut diag_from) = (cost[0], from[0]);
        cost[0] = 0;
        from[0] = after;
        for j in 1..=m {
            let (up_cost, up_from) = (cost[j], from[j]);
            let substitute = diag_cost + usize::from(quote[j - 1] != c);
            let skip_text = up_cost + 1;
            let skip_quote = cost[j - 1] + 1;
            (cost[j], from[j]) = if substitute <= skip_text && substitute <= skip_quote {
                (substitute, diag_from)
            } else if skip_text <= skip_quote {
                (skip_text, up_from)
            } else {
                (skip_quote, from[j - 1])
            };
            (diag_cost, diag_from) = (up_cost, up_from);
        }
        if best.as_ref().is_none_or(|(b, _)| cost[m] < *b) {
            best = Some((cost[m], from[m]..after));
        }
    }
    best.map(|(_, r)| r).filter(|r| r.start < r.end)
}

/// `r` widened so that it cuts no word in two (reaching at most `WORD_REACH` chars each way), without surrounding spaces, so that the suggestion reads naturally.
fn whole_words(hay: &str, r: Range<usize>) -> Range<usize> {
    let (mut start, mut end) = (r.start, r.end);
    if hay[start..].starts_with(char::is_alphanumeric) {
        for c in hay[..start].chars().rev().take(WORD_REACH) {
            if !c.is_alphanumeric() {
                break;
            }
            start -= c.len_utf8();
        }
    }
    if hay[..end].ends_with(char::is_alphanumeric) {
        for c in hay[end..].chars().take(WORD_REACH) {
            if !c.is_alphanumeric() {
                break;
            }
            end += c.len_utf8();
        }
    }
    let window = &hay[start..end];
    let start = start + (window.len() - window.trim_start_matches(' ').len());
    start..start + window.trim_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::paragraphs;

    /// The expected outcome, with seed ranges written as the seed text they cover.
    #[derive(Debug, PartialEq)]
    enum Expect<'a> {
        Ok(&'a str),
        Empty,
        NotFound,
        Closest(&'a str),
        Ambiguous(Vec<&'a str>),
        OutOfRange(usize, usize),
        Dropped(&'a str),
    }

    /// Anchors `sel` in `seed` whose paragraphs containing `drop` are dropped from the kept text.
    fn run<'s>(seed: &'s str, drop: &str, sel: &Selector) -> Expect<'s> {
        let all_paragraphs = paragraphs(seed);
        let kept_paragraphs: Vec<ByteRange> = all_paragraphs
            .iter()
            .copied()
            .filter(|r| drop.is_empty() || !r.of(seed).contains(drop))
            .collect();
        let kept = SearchText::new(seed, &kept_paragraphs);
        let all = SearchText::new(seed, &all_paragraphs);
        match anchor(seed, &kept, &all, sel) {
            Ok(r) => {
                assert!(!r.is_empty());
                Expect::Ok(r.of(seed))
            }
            Err(AnchorError::EmptyQuote) => Expect::Empty,
            Err(AnchorError::NotFound { closest: None }) => Expect::NotFound,
            Err(AnchorError::NotFound { closest: Some(c) }) => {
                assert!(c.similarity > 0.8, "{c:?}");
                Expect::Closest(c.range.of(seed))
            }
            Err(AnchorError::Ambiguous { matches }) => {
                Expect::Ambiguous(matches.iter().map(|r| r.of(seed)).collect())
            }
            Err(AnchorError::OccurrenceOutOfRange { occurrence, found }) => {
                Expect::OutOfRange(occurrence, found)
            }
            Err(AnchorError::InDroppedText { range }) => Expect::Dropped(range.of(seed)),
        }
    }

    fn check(seed: &str, drop: &str, sel: Selector, expect: Expect) {
        assert_eq!(run(seed, drop, &sel), expect, "{sel:?} in {seed:?}");
    }

    fn quote(quote: &str) -> Selector<'_> {
        Selector {
            quote,
            ..Selector::default()
        }
    }

    const SEED: &str = "\u{FEFF}Chinese MOD announces talks \u{2018}to cool down tensions\u{2019}\r\n\r\n\
        \u{25B2}File photo:China Military\r\n\r\n\
        The militaries were currently holding a virtual meeting for crisis communication,\u{A0}and more.\r\n\r\n\
        Wu said the US\u{2014}China talks went on; the US agreed.\r\n";

    #[test]
    fn anchors() {
        use Expect::*;
        let sel = |q, prefix, suffix, occurrence| Selector {
            quote: q,
            prefix,
            suffix,
            occurrence,
        };
        for (drop, selector, expect) in [
            ("", quote("\u{25B2}File photo"), Ok("\u{25B2}File photo")),
            (
                "",
                quote("'to cool down tensions'"),
                Ok("\u{2018}to cool down tensions\u{2019}"),
            ),
            (
                "",
                quote("  communication, and\n more "),
                Ok("communication,\u{A0}and more"),
            ),
            ("", quote("US-China"), Ok("US\u{2014}China")),
            ("", quote(""), Empty),
            ("", quote(" \u{200B} "), Empty),
            ("", quote("the US"), Ambiguous(vec!["the US", "the US"])),
            ("", sel("the US", None, None, Some(2)), Ok("the US")),
            ("", sel("the US", None, None, Some(3)), OutOfRange(3, 2)),
            ("", sel("the US", None, None, Some(0)), OutOfRange(0, 2)),
            ("", sel("the US", None, Some(" agreed"), None), Ok("the US")),
            (
                "",
                sel("the US", None, Some("agreed"), None),
                Closest("the US"),
            ),
            ("", sel("the US", Some("; "), None, None), Ok("the US")),
            (
                "",
                sel("the US", Some("said "), Some("-China"), Some(1)),
                Ok("the US"),
            ),
            (
                "",
                sel("holding", Some("were  currently\u{A0}"), None, None),
                Ok("holding"),
            ),
            (
                "",
                sel("holding", Some("currently"), None, None),
                Closest("holding"),
            ),
            (
                "",
                quote("tensions' \u{25B2}File"),
                Ok("tensions\u{2019}\r\n\r\n\u{25B2}File"),
            ),
            (
                "File photo",
                quote("\u{25B2}File photo"),
                Dropped("\u{25B2}File photo"),
            ),
            (
                "File photo",
                quote("tensions' The militaries"),
                Ok(
                    "tensions\u{2019}\r\n\r\n\u{25B2}File photo:China Military\r\n\r\nThe militaries",
                ),
            ),
            (
                "",
                quote("holding a virtaul meeting for crisis comunication"),
                Closest("holding a virtual meeting for crisis communication"),
            ),
            (
                "",
                quote("The quick brown fox jumps over the lazy dog"),
                NotFound,
            ),
        ] {
            check(SEED, drop, selector, expect);
        }
    }

    #[test]
    fn overlapping_candidates() {
        use Expect::*;
        check("aaa", "", quote("aa"), Ambiguous(vec!["aa", "aa"]));
        check(
            "aaa",
            "",
            Selector {
                occurrence: Some(2),
                ..quote("aa")
            },
            Ok("aa"),
        );
        check(
            "a\u{E9}\u{E9}\u{E9}",
            "",
            quote("\u{E9}\u{E9}"),
            Ambiguous(vec!["\u{E9}\u{E9}"; 2]),
        );
        check("abab ab", "", quote("ab"), Ambiguous(vec!["ab"; 3]));
    }

    #[test]
    fn occurrences_kmp() {
        fn check(hay: &str, needle: &str, expect: &[usize]) {
            assert_eq!(
                occurrences(hay.as_bytes(), needle.as_bytes()),
                expect,
                "{needle:?} in {hay:?}"
            );
        }
        check("", "", &[]);
        check("abc", "", &[]);
        check("", "a", &[]);
        check("aaaa", "aa", &[0, 1, 2]);
        check("abababa", "aba", &[0, 2, 4]);
        check("aabaabaaab", "aab", &[0, 3, 7]);
        check("xyz", "xyzw", &[]);
    }

    #[test]
    fn fuzzy_is_bounded() {
        let seed = "word ".repeat(200_000);
        let text = SearchText::new(&seed, &paragraphs(&seed));
        let long_quote = "x".repeat(1_000);
        let sel = quote(&long_quote);
        assert_eq!(
            anchor(&seed, &text, &text, &sel),
            Err(AnchorError::NotFound { closest: None })
        );
    }

    #[test]
    fn search_text_tolerates_bad_ranges() {
        let seed = "\u{E9}t\u{E9} one\n\ntwo";
        // "été" is bytes 0..5, "one" 6..9 and "two" 11..14.
        let ranges = [
            ByteRange::new(11, 14),
            ByteRange::new(1, 4),
            ByteRange::new(0, 9),
            ByteRange::new(50, 60),
            ByteRange::new(6, 6),
            ByteRange::new(6, 9),
        ];
        let text = SearchText::new(seed, &ranges);
        assert_eq!(text.normalized().text, "\u{E9}t one two");
        let sel = quote("one two");
        assert_eq!(
            anchor(seed, &text, &text, &sel).map(|r| r.of(seed)),
            Ok("one\n\ntwo")
        );
    }

    /// A small deterministic generator, so that the property test needs no dependency.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    #[test]
    fn mapping_properties() {
        const PIECES: &[&str] = &[
            "a",
            "b",
            "US",
            " ",
            "  ",
            "\u{A0}",
            "\u{202F}",
            "\r\n",
            "\n\n",
            "\u{2018}",
            "\u{2019}",
            "\u{201C}",
            "\u{201D}",
            "'",
            "\"",
            "\u{2013}",
            "\u{2014}",
            "-",
            "\u{E9}",
            "\u{4E2D}",
            "\u{1F389}",
            "\u{200B}",
            "\u{FEFF}",
            "\u{AD}",
            ".",
            "e\u{301}",
        ];
        let mut rng = Lcg(7);
        for _ in 0..400 {
            let original: String = (0..rng.below(40))
                .map(|_| PIECES[rng.below(PIECES.len())])
                .collect();
            let n = normalize(&original);
            let boundaries: Vec<usize> = (0..=n.text.len())
                .filter(|&i| n.text.is_char_boundary(i))
                .collect();
            for _ in 0..20 {
                let a = boundaries[rng.below(boundaries.len())];
                let b = boundaries[rng.below(boundaries.len())];
                let r = n.original_range(a.min(b)..a.max(b));
                assert!(r.start <= r.end && r.end <= original.len());
                assert!(original.is_char_boundary(r.start) && original.is_char_boundary(r.end));
                assert_eq!(
                    normalize_str(r.of(&original)),
                    n.text[a.min(b)..a.max(b)].trim_matches(' ')
                );
                // Any byte offsets, even inside chars, still map onto char boundaries.
                let r = n.original_range(rng.below(n.text.len() + 2)..rng.below(n.text.len() + 2));
                assert!(original.is_char_boundary(r.start) && original.is_char_boundary(r.end));
                let offset = n.normalized_offset(rng.below(original.len() + 2));
                assert!(n.text.is_char_boundary(offset));
            }

            // Every quote cut from the normalized text anchors on original text that normalizes to it.
            let text = SearchText::new(&original, &paragraphs(&original));
            let hay = &text.normalized().text;
            let bounds: Vec<usize> = (0..=hay.len())
                .filter(|&i| hay.is_char_boundary(i))
                .collect();
            let a = bounds[rng.below(bounds.len())];
            let b = bounds[rng.below(bounds.len())];
            let q = hay[a.min(b)..a.max(b)].trim_matches(' ');
            let sel = Selector {
                occurrence: Some(1),
                ..quote(q)
            };
            match anchor(&original, &text, &text, &sel) {
                Ok(r) => {
                    assert!(!r.is_empty());
                    assert_eq!(normalize_str(r.of(&original)), q);
                }
                Err(e) => assert!(q.is_empty() && e == AnchorError::EmptyQuote, "{q:?}: {e:?}"),
            }

            // Any other quote, prefix and suffix give ranges on char boundaries: the fuzzy search included.
            let mut random = || -> String {
                (0..rng.below(8))
                    .map(|_| PIECES[rng.below(PIECES.len())])
                    .collect()
            };
            let (q, prefix, suffix) = (random(), random(), random());
            let sel = Selector {
                quote: &q,
                prefix: Some(&prefix),
                suffix: Some(&suffix),
                occurrence: None,
            };
            let ranges = match anchor(&original, &text, &text, &sel) {
                Ok(r) => vec![r],
                Err(AnchorError::Ambiguous { matches }) => matches,
                Err(AnchorError::NotFound { closest: Some(c) }) => {
                    assert!((MIN_SIMILARITY..=1.0).contains(&c.similarity));
                    vec![c.range]
                }
                Err(_) => vec![],
            };
            for r in ranges {
                assert!(!r.is_empty() && r.end <= original.len());
                assert!(original.is_char_boundary(r.start) && original.is_char_boundary(r.end));
            }
        }
    }
}

/// Property tests with proptest: random seeds built from the characters normalization cares
/// about (curly quotes, dashes, every kind of space, invisible chars, multi-byte letters), and
/// fully arbitrary strings, so that shrinking finds the smallest counterexample.
#[cfg(test)]
mod properties {
    use super::*;
    use crate::text::paragraphs;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "a",
        "b",
        "US",
        " ",
        "  ",
        "\u{A0}",
        "\u{202F}",
        "\t",
        "\r\n",
        "\n",
        "\n\n",
        "\u{2018}",
        "\u{2019}",
        "\u{201C}",
        "\u{201D}",
        "'",
        "\"",
        "\u{2013}",
        "\u{2014}",
        "-",
        "\u{E9}",
        "\u{4E2D}",
        "\u{1F389}",
        "\u{200B}",
        "\u{FEFF}",
        "\u{AD}",
        ".",
        "e\u{301}",
        "\u{2028}",
        "\u{85}",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|p| p.concat()),
            1 => any::<String>(),
        ]
    }

    /// A char boundary of `s` chosen by `pick` (0..=1).
    fn boundary(s: &str, pick: f64) -> usize {
        let bounds: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
        bounds[((bounds.len() - 1) as f64 * pick) as usize]
    }

    /// The fuzzer's first find (`fuzz/fuzz_targets/anchor.rs`): a quote across a dropped
    /// paragraph anchors, and its seed range holds the dropped text too.
    #[test]
    fn a_quote_across_a_dropped_paragraph() {
        let seed = "$\n\n$\n\n,\0";
        let all = paragraphs(seed);
        let kept = [all[0], all[2]];
        let (kept, all) = (SearchText::new(seed, &kept), SearchText::new(seed, &all));
        let sel = Selector {
            quote: "$ ,\0",
            ..Selector::default()
        };
        assert_eq!(
            anchor(seed, &kept, &all, &sel).map(|r| r.of(seed)),
            Ok(seed)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// The two search paths (SIMD for needles without a border, KMP for the others) find
        /// exactly the overlapping occurrences a naive scan finds.
        #[test]
        fn occurrences_are_every_overlapping_match(hay in "[ab]{0,200}", needle in "[ab]{0,6}") {
            let naive: Vec<usize> = if needle.is_empty() {
                Vec::new()
            } else {
                (0..=hay.len().saturating_sub(needle.len())).filter(|&i| hay[i..].starts_with(needle.as_str())).collect()
            };
            prop_assert_eq!(occurrences(hay.as_bytes(), needle.as_bytes()), naive);
        }

        /// Every normalized range maps back to a char-boundary range of the original that
        /// normalizes to the same text.
        #[test]
        fn normalized_ranges_map_back(original in text(), a in 0.0..=1.0f64, b in 0.0..=1.0f64) {
            let n = crate::text::normalize(&original);
            let (a, b) = (boundary(&n.text, a), boundary(&n.text, b));
            let (lo, hi) = (a.min(b), a.max(b));
            let r = n.original_range(lo..hi);
            prop_assert!(r.start <= r.end && r.end <= original.len());
            prop_assert!(original.is_char_boundary(r.start) && original.is_char_boundary(r.end));
            prop_assert_eq!(normalize_str(r.of(&original)), n.text[lo..hi].trim_matches(' '));
        }

        /// A quote cut anywhere from an article's text anchors, and the highlighted original
        /// text gives back the quote.
        #[test]
        fn a_quote_from_the_text_anchors_to_itself(seed in text(), a in 0.0..=1.0f64, b in 0.0..=1.0f64) {
            let text = SearchText::new(&seed, &paragraphs(&seed));
            let hay = &text.normalized().text;
            let (a, b) = (boundary(hay, a), boundary(hay, b));
            let quote = hay[a.min(b)..a.max(b)].trim_matches(' ').to_owned();
            let sel = Selector { quote: &quote, occurrence: Some(1), ..Selector::default() };
            match anchor(&seed, &text, &text, &sel) {
                Ok(r) => {
                    prop_assert!(seed.is_char_boundary(r.start) && seed.is_char_boundary(r.end) && r.end <= seed.len());
                    prop_assert_eq!(normalize_str(r.of(&seed)), normalize_str(&quote));
                }
                Err(e) => prop_assert!(quote.is_empty() && e == AnchorError::EmptyQuote, "{:?}: {:?}", quote, e),
            }
        }

        /// Whatever the selector, every range the anchorer reports is inside the seed on char
        /// boundaries, and matches normalize to the quote.
        #[test]
        fn any_selector_gives_valid_ranges(seed in text(), quote in text(), prefix in proptest::option::of(text()), suffix in proptest::option::of(text()), occurrence in proptest::option::of(0usize..4)) {
            let all = paragraphs(&seed);
            let kept: Vec<ByteRange> = all.iter().copied().step_by(2).collect();
            // With paragraphs dropped, a match may span one, and its seed range then includes
            // the dropped text (see `anchors`); only with nothing dropped is it exactly the quote.
            let whole = kept.len() == all.len();
            let (kept, all) = (SearchText::new(&seed, &kept), SearchText::new(&seed, &all));
            let sel = Selector { quote: &quote, prefix: prefix.as_deref(), suffix: suffix.as_deref(), occurrence };
            let valid = |r: &ByteRange| r.start <= r.end && r.end <= seed.len() && seed.is_char_boundary(r.start) && seed.is_char_boundary(r.end);
            match anchor(&seed, &kept, &all, &sel) {
                Ok(r) => {
                    prop_assert!(valid(&r) && !r.is_empty());
                    prop_assert!(!whole || normalize_str(r.of(&seed)) == normalize_str(&quote));
                }
                Err(AnchorError::Ambiguous { matches }) => {
                    for r in &matches {
                        prop_assert!(valid(r));
                        prop_assert!(!whole || normalize_str(r.of(&seed)) == normalize_str(&quote));
                    }
                }
                Err(AnchorError::NotFound { closest: Some(c) }) => prop_assert!(valid(&c.range) && (0.0..=1.0).contains(&c.similarity)),
                Err(AnchorError::InDroppedText { range }) => prop_assert!(valid(&range)),
                Err(_) => {}
            }
        }
    }
}
