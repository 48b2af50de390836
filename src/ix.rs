//! Typed indexes into the site graph's vectors: an article's index cannot pick an entity,
//! because each vector takes only its own kind of index (`TiVec` from
//! `typed-index-collections`). A leaf module, so `link` and every later stage share them.

pub use typed_index_collections::{TiSlice, TiVec};

/// Declares an index type: a `usize` position that converts only explicitly.
macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl From<usize> for $name {
            fn from(i: usize) -> Self {
                Self(i)
            }
        }

        impl From<$name> for usize {
            fn from(i: $name) -> usize {
                i.0
            }
        }

        impl $name {
            /// The position as a plain number, for output that shows or sorts by it.
            pub fn get(self) -> usize {
                self.0
            }
        }
    )*};
}

index_type! {
    /// An article's position in `SiteGraph::articles` (and `article_links`).
    ArticleIx;
    /// An entity's position in `SiteGraph::entities` (and `entity_links`).
    EntityIx;
    /// An event's position in `SiteGraph::events` (and `event_links`).
    EventIx;
    /// An extra page's position in `SiteGraph::pages`.
    PageIx;
}
