//! The site's output files in memory, as `render` makes them and `output`, `preview` and
//! the link check take them.

use std::collections::BTreeMap;

/// Output files: path relative to the output root (e.g. `articles/x/index.html`) → bytes.
/// Shared bytes, so a rebuild reuses unchanged pages and the server holds a snapshot cheaply.
pub type Pages = BTreeMap<String, Bytes>;

/// The bytes of one output file.
pub type Bytes = std::sync::Arc<[u8]>;
