//! "Did you mean" suggestions for misspelled keys and ids.

/// How many candidates one suggestion looks at: with thousands of unknown ids against
/// thousands of entities (a hostile file), comparing all of them would take minutes.
const MAX_CANDIDATES: usize = 2_000;

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest_n(word, candidates, 1).pop()
}

/// Up to `n` candidates close enough to `word` to be likely typos of it, nearest first.
pub fn nearest_n<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .take(MAX_CANDIDATES)
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn nearest() {
        let keys = ["title", "theme", "base_url"];
        assert_eq!(super::nearest("titel", keys), Some("title"));
        assert_eq!(super::nearest("baseurl", keys), Some("base_url"));
        assert_eq!(super::nearest("zzz", keys), None);
        let ids = ["northbrook", "kessler", "kessel", "kessel-herald"];
        assert_eq!(super::nearest_n("kesel", ids, 2), vec!["kessel", "kessler"]);
    }
}
