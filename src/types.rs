//! Small value types that give meaning to strings and numbers passed between stages.

use serde::Serialize;
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

id_type!(
    /// An article's id: its annotation file's stem, which is also its seed's stem.
    ArticleId
);
id_type!(
    /// A key of `content/entities.yaml`.
    EntityId
);
id_type!(
    /// The `id` of an event in `content/events.yaml`.
    EventId
);
id_type!(
    /// The `id` of an annotation, unique within its article.
    AnnotationId
);

/// A half-open range of byte offsets into one text, always on char boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ByteRange {
    pub start: usize,
    pub end: usize,
}

impl ByteRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Self { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, other: ByteRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: ByteRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The slice of `text` this range covers.
    pub fn of<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

impl From<std::ops::Range<usize>> for ByteRange {
    fn from(r: std::ops::Range<usize>) -> Self {
        Self::new(r.start, r.end)
    }
}

/// 1-based line and column of a byte offset in `text` (column counted in chars).
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(text.len());
    let before = &text[..floor_char_boundary(text, byte)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The order of two relative paths, component by component, as `Utf8Path`'s `Ord` gives it,
/// but comparing bytes: a separator sorts before any other byte, which is what ordering
/// by components amounts to for paths without empty, `.` or `..` components (the paths a
/// folder listing makes). Sorting 10,000 seeds after every save, or 49,000 diagnostics'
/// files, by `Path::cmp` took milliseconds this does not.
pub fn path_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |c: u8| if c == b'/' { 0 } else { c };
    a.bytes().map(key).cmp(b.bytes().map(key))
}

#[cfg(test)]
mod tests {
    use super::path_order;
    use camino::Utf8Path;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn path_order_is_the_order_of_components(
            a in proptest::collection::vec("[a-b.\\- é]{1,3}", 1..4),
            b in proptest::collection::vec("[a-b.\\- é]{1,3}", 1..4),
        ) {
            // Components other than `.` and `..`, which no file can be named: the paths a
            // listing or a diagnostic names.
            prop_assume!(a.iter().chain(&b).all(|c| c != "." && c != ".."));
            let (a, b) = (a.join("/"), b.join("/"));
            prop_assert_eq!(path_order(&a, &b), Utf8Path::new(&a).cmp(Utf8Path::new(&b)));
        }
    }

    #[test]
    fn a_folder_sorts_before_a_longer_name_it_begins() {
        assert!(path_order("seeds/a/x.txt", "seeds/a-b.txt").is_lt());
        assert!(
            "seeds/a/x.txt" > "seeds/a-b.txt",
            "unlike plain string order"
        );
    }
}
