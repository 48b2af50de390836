//! Arbitrary seed text and selector through the anchorer: every range it returns (the match,
//! the ambiguous candidates, the closest passage) lies on char boundaries inside the seed,
//! and a match normalizes back to the quote.
#![no_main]

use arbitrary::Arbitrary;
use gloss::anchor::quote::{AnchorError, SearchText, Selector, anchor};
use gloss::text::{normalize_str, paragraphs};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    seed: &'a str,
    quote: &'a str,
    prefix: Option<&'a str>,
    suffix: Option<&'a str>,
    occurrence: Option<u8>,
    /// Which paragraphs are dropped from the kept text (bit i: paragraph i).
    dropped: u64,
}

fuzz_target!(|input: Input| {
    let seed = input.seed;
    let all = paragraphs(seed);
    for r in &all {
        assert!(r.start < r.end && r.end <= seed.len());
        assert!(seed.is_char_boundary(r.start) && seed.is_char_boundary(r.end));
    }
    let kept: Vec<_> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| *i >= 64 || input.dropped & (1 << i) == 0)
        .map(|(_, r)| *r)
        .collect();
    // A quote may span a dropped paragraph (the joint between two kept paragraphs stands for
    // whatever lies between them), and then its seed range includes the dropped text; with
    // nothing dropped the range is exactly the quote. (Found by this target: `$ $ ,` for `$ ,`.)
    let whole = kept.len() == all.len();
    let kept_text = SearchText::new(seed, &kept);
    let all_text = SearchText::new(seed, &all);
    let sel = Selector {
        quote: input.quote,
        prefix: input.prefix,
        suffix: input.suffix,
        occurrence: input.occurrence.map(usize::from),
    };
    let valid = |r: gloss::types::ByteRange| {
        assert!(
            r.start <= r.end && r.end <= seed.len(),
            "{r:?} outside {} bytes",
            seed.len()
        );
        assert!(
            seed.is_char_boundary(r.start) && seed.is_char_boundary(r.end),
            "{r:?} cuts a char"
        );
    };
    match anchor(seed, &kept_text, &all_text, &sel) {
        Ok(r) => {
            valid(r);
            assert!(!r.is_empty());
            if whole {
                if whole {
                    assert_eq!(normalize_str(r.of(seed)), normalize_str(input.quote));
                }
            }
        }
        Err(AnchorError::Ambiguous { matches }) => {
            assert!(matches.len() > 1);
            for r in matches {
                valid(r);
                if whole {
                    assert_eq!(normalize_str(r.of(seed)), normalize_str(input.quote));
                }
            }
        }
        Err(AnchorError::NotFound { closest: Some(c) }) => {
            valid(c.range);
            assert!((0.0..=1.0).contains(&c.similarity));
        }
        Err(AnchorError::InDroppedText { range }) => valid(range),
        Err(AnchorError::EmptyQuote) => assert!(normalize_str(input.quote).is_empty()),
        Err(AnchorError::NotFound { closest: None } | AnchorError::OccurrenceOutOfRange { .. }) => {
        }
    }
});
