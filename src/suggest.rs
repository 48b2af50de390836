//! "Did you mean" suggestions for misspelled keys and ids.

/// How many candidates one suggestion looks at: with thousands of unknown ids against
/// thousands of entities (a hostile file), comparing all of them would take minutes.
const MAX_CANDIDATES: usize = 2_000;

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .take(MAX_CANDIDATES)
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn nearest() {
        let keys = ["title", "theme", "base_url"];
        assert_eq!(super::nearest("titel", keys), Some("title"));
        assert_eq!(super::nearest("baseurl", keys), Some("base_url"));
        assert_eq!(super::nearest("zzz", keys), None);
    }
}
