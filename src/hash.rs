//! Content hashes that are the same on every run, for the rebuild caches' fingerprints:
//! every stage keys its memoized work by them, so they live below all stages.

use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// A 64-bit hash that is the same on every run, unlike std's randomly keyed hasher, so
/// cached fingerprints stay comparable. FxHash takes eight bytes a step, which matters:
/// a rebuild hashes every item of the graph.
pub fn stable_hash<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// A value kept with the hash of what it was computed from: the rebuild caches' one way
/// to skip work that would give the same result.
#[derive(Clone, Debug)]
pub struct Keyed<T> {
    pub key: u64,
    pub value: T,
}

impl<T: Clone> Keyed<T> {
    /// The value in `slot` when it was computed from `key`, else `compute()`'s; either way
    /// `slot` keeps it for the next run.
    pub fn reuse(slot: &mut Option<Keyed<T>>, key: u64, compute: impl FnOnce() -> T) -> T {
        let value = match slot.take() {
            Some(kept) if kept.key == key => kept.value,
            _ => compute(),
        };
        *slot = Some(Keyed {
            key,
            value: value.clone(),
        });
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_value_is_reused_only_under_its_key() {
        let mut slot = None;
        assert_eq!(Keyed::reuse(&mut slot, 1, || "a"), "a");
        assert_eq!(Keyed::reuse(&mut slot, 1, || "b"), "a");
        assert_eq!(Keyed::reuse(&mut slot, 2, || "c"), "c");
        assert_eq!(stable_hash("x"), stable_hash("x"));
    }
}
