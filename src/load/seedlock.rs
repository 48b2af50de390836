//! `seeds.lock`'s format: the SHA-256 of every seed and where each annotation sat in it,
//! as `gloss check --accept-sources` recorded them. `load` reads the file with `parse`;
//! `anchor::stealth` compares it with the anchored seeds (the stealth-edit report) and
//! computes the lock `to_text` writes out.

use crate::diag::{Code, Diagnostic, Pos};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The file's name, in the site's root.
pub const FILE: &str = "seeds.lock";

/// The format written; a lock with another version is read as absent and reported.
pub const VERSION: u32 = 1;

/// What `seeds.lock` holds: article id → its seed's state when it was accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedLock {
    pub version: u32,
    pub articles: BTreeMap<String, LockedSeed>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedSeed {
    /// The seed's path, relative to the site root.
    pub seed: String,
    pub sha256: String,
    /// Annotation id → where its passage sat.
    pub annotations: BTreeMap<String, LockedAnnotation>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedAnnotation {
    /// The passage's byte range in the seed.
    pub start: usize,
    pub end: usize,
    /// SHA-256 of the paragraph the passage is in: an edit next to a quote that leaves the
    /// quote itself intact still changes what the passage means.
    pub paragraph_sha256: String,
}

/// Parses `seeds.lock`; an error names the line and column.
pub fn parse(text: &str) -> Result<SeedLock, Diagnostic> {
    let bad = |message: String, pos: Option<Pos>| {
        Diagnostic::error(Code::InvalidValue, message)
            .in_file(FILE)
            .at_opt(pos)
            .help("seeds.lock is written by gloss: delete it and run `gloss check --accept-sources` to record the seeds again")
    };
    let lock: SeedLock = serde_json::from_str(text).map_err(|e| {
        let pos = Pos {
            line: e.line().max(1),
            column: e.column().max(1),
            offset: 0,
            len: 0,
        };
        bad(format!("seeds.lock cannot be read: {e}"), Some(pos))
    })?;
    if lock.version != VERSION {
        return Err(bad(
            format!(
                "seeds.lock has version {}; this gloss reads version {VERSION}",
                lock.version
            ),
            None,
        ));
    }
    Ok(lock)
}

/// The lock as written to disk: pretty JSON, keys sorted, a final newline.
pub fn to_text(lock: &SeedLock) -> String {
    let mut text = serde_json::to_string_pretty(lock).unwrap_or_default();
    text.push('\n');
    text
}
