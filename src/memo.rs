//! `Memo`, the one way every stage keeps per-item work between runs: each item's value is
//! kept under its key with the fingerprint of what it was computed from, and reused only
//! while that fingerprint is the same. A leaf module, so every stage's cache is this shape.

// Fx: memos are probed for every item on every rebuild, and their keys are not hostile.
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Borrow;
use std::hash::Hash;

/// Values from the last run, by key, each with its fingerprint. A run reads the last run's
/// values (`get`) and records what it used (`keep`); `finish` then drops every value the run
/// did not keep, so items that disappeared do not linger. A `one_shot` memo records
/// nothing: a run that will not be repeated should not pay for copies it will never read.
pub struct Memo<K, V> {
    last: HashMap<K, (u64, V)>,
    next: HashMap<K, (u64, V)>,
    one_shot: bool,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self {
            last: HashMap::default(),
            next: HashMap::default(),
            one_shot: false,
        }
    }
}

impl<K: Hash + Eq, V> Memo<K, V> {
    /// A memo that keeps nothing, for a pipeline that runs once.
    pub fn one_shot() -> Self {
        Self {
            one_shot: true,
            ..Self::default()
        }
    }

    /// The last run's value for `key`, when it was computed from the same `fingerprint`.
    pub fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q, fingerprint: u64) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.last
            .get(key)
            .filter(|(kept, _)| *kept == fingerprint)
            .map(|(_, value)| value)
    }

    /// The last run's value for `key` and its fingerprint, whatever that was: for stages
    /// that decide freshness by more than one number (a file's stamp and the watcher's list).
    pub fn last<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<&(u64, V)>
    where
        K: Borrow<Q>,
    {
        self.last.get(key)
    }

    /// Records `value` for the next run (unless one-shot).
    pub fn keep(&mut self, key: K, fingerprint: u64, value: V) {
        if !self.one_shot {
            self.next.insert(key, (fingerprint, value));
        }
    }

    /// Keeps the last run's value for `key`, fingerprint and all, for the next run too.
    pub fn carry<Q: Hash + Eq + ?Sized>(&mut self, key: &Q)
    where
        K: Borrow<Q>,
    {
        if let Some((key, entry)) = self.last.remove_entry(key)
            && !self.one_shot
        {
            self.next.insert(key, entry);
        }
    }

    /// The last run's values that this run has neither kept nor carried: so far, items
    /// that are gone.
    pub fn dropped(&self) -> impl Iterator<Item = &V> {
        self.last
            .iter()
            .filter(|(key, _)| !self.next.contains_key(*key))
            .map(|(_, (_, value))| value)
    }

    /// How many values this run has kept or carried so far.
    pub fn kept(&self) -> usize {
        self.next.len()
    }

    /// Ends a run: the next one sees exactly what this one kept.
    pub fn finish(&mut self) {
        self.last = std::mem::take(&mut self.next);
    }

    /// Forgets everything, for when every fingerprint would be stale at once.
    pub fn clear(&mut self) {
        self.last.clear();
        self.next.clear();
    }

    pub fn is_one_shot(&self) -> bool {
        self.one_shot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_reused_under_its_fingerprint_and_only_while_runs_keep_it() {
        let mut memo: Memo<&str, &str> = Memo::default();
        memo.keep("a", 1, "first");
        memo.keep("b", 1, "other");
        memo.finish();
        assert_eq!(memo.get("a", 1), Some(&"first"));
        assert_eq!(
            memo.get("a", 2),
            None,
            "another fingerprint is another input"
        );
        // A run that keeps only `a` (carried over as it was) forgets `b`.
        memo.carry(&"a");
        memo.finish();
        assert_eq!(memo.get("a", 1), Some(&"first"));
        assert_eq!(memo.last("b"), None);

        let mut once: Memo<&str, &str> = Memo::one_shot();
        once.keep("a", 1, "first");
        once.finish();
        assert_eq!(once.get("a", 1), None, "a one-shot memo records nothing");
    }
}
