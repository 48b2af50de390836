//! The site's output files in memory, as `render` makes them and `output`, `preview` and
//! the link check take them.

use std::collections::BTreeMap;

/// Output files: path relative to the output root (e.g. `articles/x/index.html`) → bytes.
/// Shared bytes, so a rebuild reuses unchanged pages and the server holds a snapshot cheaply.
pub type Pages = BTreeMap<String, Bytes>;

/// The bytes of one output file.
pub type Bytes = std::sync::Arc<[u8]>;

/// Where a build hands each output file as soon as it is final, from any thread, so that
/// `gloss build` writes it at once and keeps none of them: at 10,000 articles the pages,
/// `annotations.jsonld` and the search bundle together are hundreds of megabytes.
pub trait Sink: Sync {
    /// Takes one final output file (`path` relative to the output root).
    fn put(&self, path: &str, bytes: &[u8]);

    /// Takes one final output file made of `parts`, in order, which a sink that writes
    /// need never join in memory.
    fn put_parts(&self, path: &str, parts: &[&[u8]]) {
        self.put(path, &parts.concat());
    }
}

/// Costly outputs kept between builds, each under a key made from everything it is made
/// of (`.gloss-cache/` in the site, which `output::cache` keeps), so a build takes from it
/// what an earlier build already made instead of making it again. Keys are relative file
/// names such as `cards/<sha-256>.png`. A store that cannot read or write simply has
/// nothing: it never fails a build.
pub trait Store: Send + Sync {
    /// The bytes kept under `key`, if they are there whole.
    fn get(&self, key: &str) -> Option<Vec<u8>>;
    /// Keeps `bytes` under `key`.
    fn put(&self, key: &str, bytes: &[u8]);
}
