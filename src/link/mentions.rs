//! Finds where entities are mentioned in article text (case-sensitive, on word boundaries, leftmost-longest), so that entity pages list their mentions and articles link them.

use crate::text::normalize_str;
use crate::types::EntityId;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashSet;
use std::ops::Range;

/// Every alias of every entity, compiled once into one automaton and reused for every article.
#[derive(Clone, Debug, Default)]
pub struct MentionMatcher {
    /// None when there is no alias, or when the aliases exceed the automaton's size limits
    /// (billions of states, far beyond memory), in which case nothing is found.
    automaton: Option<AhoCorasick>,
    /// Indexed by the automaton's pattern ids.
    aliases: Vec<Alias>,
}

#[derive(Clone, Debug)]
struct Alias {
    entity: EntityId,
    /// Whether the alias starts with a letter or digit, and so must not continue a word.
    starts_in_word: bool,
    /// Whether the alias ends with a letter or digit, and so must not be continued by a word.
    ends_in_word: bool,
}

impl MentionMatcher {
    /// `aliases`: (entity, alias as typed). Aliases are normalized with `text::normalize_str`;
    /// empty ones are ignored; an alias given for several entities belongs to the first.
    pub fn new(aliases: &[(EntityId, String)]) -> Self {
        let mut seen = HashSet::new();
        let mut patterns = Vec::new();
        let mut kept = Vec::new();
        for (entity, alias) in aliases {
            let alias = normalize_str(alias);
            if alias.is_empty() || !seen.insert(alias.clone()) {
                continue;
            }
            kept.push(Alias {
                entity: entity.clone(),
                starts_in_word: alias.chars().next().is_some_and(char::is_alphanumeric),
                ends_in_word: alias.chars().next_back().is_some_and(char::is_alphanumeric),
            });
            patterns.push(alias);
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .ok()
        };
        Self {
            automaton,
            aliases: kept,
        }
    }

    /// Mentions in a normalized text, in order and non-overlapping: at each place the longest
    /// alias that lies on word boundaries, so "Ministry of National Defense" wins over "National
    /// Defense", "US" is not found in "USA" or "focus", and a shorter alias still counts where a
    /// longer one starting at the same place fails the boundary test.
    pub fn find(&self, normalized: &str) -> Vec<(EntityId, Range<usize>)> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        // Overlapping search reports every alias occurrence; keeping those on word boundaries
        // and then taking the leftmost-longest greedily gives leftmost-longest among valid ones.
        let mut candidates: Vec<(usize, usize, usize)> = automaton
            .find_overlapping_iter(normalized)
            .filter_map(|m| {
                let alias = self.aliases.get(m.pattern().as_usize())?;
                let before = normalized[..m.start()].chars().next_back();
                let after = normalized[m.end()..].chars().next();
                let continues = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                // A match glued to a letter or digit is part of a longer word, unless the alias
                // itself begins or ends with punctuation there.
                let inside_word = (alias.starts_in_word && continues(before))
                    || (alias.ends_in_word && continues(after));
                (!inside_word).then(|| (m.start(), m.end(), m.pattern().as_usize()))
            })
            .collect();
        candidates.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut mentions = Vec::new();
        let mut covered = 0;
        for (start, end, pattern) in candidates {
            if start < covered {
                continue;
            }
            if let Some(alias) = self.aliases.get(pattern) {
                mentions.push((alias.entity.clone(), start..end));
                covered = end;
            }
        }
        mentions
    }

    /// Whether no alias can ever be found.
    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(aliases: &[(&str, &str)]) -> MentionMatcher {
        let aliases: Vec<(EntityId, String)> = aliases
            .iter()
            .map(|&(entity, alias)| (EntityId::from(entity), alias.to_owned()))
            .collect();
        MentionMatcher::new(&aliases)
    }

    const ALIASES: &[(&str, &str)] = &[
        ("us", "US"),
        ("us", "United States"),
        ("mnd", "Ministry of National Defense"),
        ("nd", "National Defense"),
        ("wu-qian", "Senior Colonel Wu Qian"),
        ("wu-qian", "Wu Qian"),
        ("wu", "Wu"),
        ("us-dod", "US Department of Defense"),
        ("dod", "Department of Defense"),
        ("mq9", "MQ-9"),
        ("usa-plus", "U.S."),
        ("china", "China\u{2019}s"),
        ("china", "China"),
        ("beijing", "\u{5317}\u{4EAC}"),
        ("dup", "US"),
        ("empty", " \u{A0} "),
    ];

    fn check(text: &str, expect: &[(&str, &str)]) {
        let m = matcher(ALIASES);
        let mentions = m.find(text);
        let found: Vec<(&str, &str)> = mentions
            .iter()
            .map(|(id, r)| (id.as_str(), &text[r.clone()]))
            .collect();
        assert_eq!(found, expect, "{text:?}");
    }

    #[test]
    fn mentions() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("", &[]),
            (
                "the Ministry of National Defense said",
                &[("mnd", "Ministry of National Defense")],
            ),
            ("National Defense", &[("nd", "National Defense")]),
            ("US and USA, FOCUS, US.", &[("us", "US"), ("us", "US")]),
            ("US-China talks", &[("us", "US"), ("china", "China")]),
            ("us and Us", &[]),
            (
                "Senior Colonel Wu Qian and Wu Qian and Wu",
                &[
                    ("wu-qian", "Senior Colonel Wu Qian"),
                    ("wu-qian", "Wu Qian"),
                    ("wu", "Wu"),
                ],
            ),
            ("Wuhan", &[]),
            (
                "US Department of Defense",
                &[("us-dod", "US Department of Defense")],
            ),
            ("US Department of Defenses", &[("us", "US")]),
            ("MQ-9 drones, MQ-9A", &[("mq9", "MQ-9")]),
            (
                "the U.S. said; U.S.A",
                &[("usa-plus", "U.S."), ("usa-plus", "U.S.")],
            ),
            (
                "China's navy and China",
                &[("china", "China's"), ("china", "China")],
            ),
            ("\u{E9}US, \u{4E2D}US, \u{1F389}US", &[("us", "US")]),
            ("US\u{E9} US\u{4E2D}", &[]),
            ("\u{5317}\u{4EAC}", &[("beijing", "\u{5317}\u{4EAC}")]),
            ("\u{5728}\u{5317}\u{4EAC}", &[]),
        ];
        for &(text, expect) in cases {
            check(text, expect);
        }
    }

    #[test]
    fn empty_and_duplicate_aliases() {
        assert!(matcher(&[]).is_empty());
        assert!(matcher(&[("a", ""), ("b", " \u{200B} ")]).is_empty());
        let m = matcher(&[("first", "A\u{A0}B"), ("second", "A B")]);
        assert!(!m.is_empty());
        let found = m.find("x A B y");
        assert_eq!(found, [(EntityId::from("first"), 2..5)]);
    }

    #[test]
    fn alias_bomb() {
        let aliases: Vec<(EntityId, String)> = (1..200)
            .map(|n| (EntityId::from("a"), vec!["a"; n].join(" ")))
            .collect();
        let m = MentionMatcher::new(&aliases);
        let text = "a ".repeat(2_000);
        let found = m.find(&text);
        assert_eq!(found.len(), 2_000_usize.div_ceil(199));
    }
}
