//! `seeds.lock`: the SHA-256 of every seed and where each annotation sat in it, so that
//! `gloss check` can tell when a source's text changed under its annotations (a "stealth
//! edit") and name which annotations still anchor unchanged, which moved, and which broke.
//!
//! `load` reads the file; this module compares it with the anchored articles and computes
//! the new one that `gloss check --accept-sources` writes. Nothing here touches the disk.

use crate::anchored::Article;
use crate::diag::{Code, Diagnostic, Pos};
use crate::text;
use crate::types::ByteRange;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The file's name, in the site's root.
pub const FILE: &str = "seeds.lock";

/// The format written; a lock with another version is read as absent and reported.
const VERSION: u32 = 1;

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

/// The lock for the site as it is now: every article's seed hash and anchored passages.
pub fn current(articles: &[Arc<Article>]) -> SeedLock {
    let articles = articles
        .iter()
        .map(|art| {
            let paragraphs = text::paragraphs(&art.seed);
            let annotations = art
                .annotations
                .iter()
                .map(|ann| {
                    let locked = LockedAnnotation {
                        start: ann.range.start,
                        end: ann.range.end,
                        paragraph_sha256: paragraph_hash(&art.seed, &paragraphs, ann.range),
                    };
                    (ann.id.to_string(), locked)
                })
                .collect();
            let locked = LockedSeed {
                seed: art.seed_path.to_string(),
                sha256: art.source.sha256.clone(),
                annotations,
            };
            (art.id.to_string(), locked)
        })
        .collect();
    SeedLock {
        version: VERSION,
        articles,
    }
}

/// The lock as written to disk: pretty JSON, keys sorted, a final newline.
pub fn to_text(lock: &SeedLock) -> String {
    let mut text = serde_json::to_string_pretty(lock).unwrap_or_default();
    text.push('\n');
    text
}

/// The hash of the paragraph (or paragraphs) a passage lies in.
fn paragraph_hash(seed: &str, paragraphs: &[ByteRange], range: ByteRange) -> String {
    let start = paragraphs
        .iter()
        .filter(|p| p.start <= range.start)
        .map(|p| p.start)
        .next_back()
        .unwrap_or(range.start);
    let end = paragraphs
        .iter()
        .find(|p| p.end >= range.end)
        .map_or(range.end, |p| p.end);
    crate::source::sha256_hex(seed.get(start..end).unwrap_or_default())
}

/// What became of a locked annotation after its seed changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Same passage in the same paragraph (other parts of the text changed).
    Unchanged,
    /// The quote still anchors, but its paragraph's text changed around it.
    Moved,
    /// The quote no longer anchors in the new text.
    Broken,
}

/// Compares the seeds with the lock: for each seed whose hash changed, one warning naming
/// every broken and moved annotation, and a warning at each moved annotation. Broken ones
/// already have their own error (the quote did not anchor).
pub fn compare(lock: &SeedLock, articles: &[Arc<Article>]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for art in articles {
        let Some(locked) = lock.articles.get(art.id.as_str()) else {
            continue;
        };
        if locked.sha256 == art.source.sha256 {
            continue;
        }
        let paragraphs = text::paragraphs(&art.seed);
        let mut fates: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (id, was) in &locked.annotations {
            let fate = if art.unanchored.iter().any(|u| u == id) {
                Fate::Broken
            } else if let Some(ann) = art.annotations.iter().find(|a| a.id.as_str() == id) {
                if paragraph_hash(&art.seed, &paragraphs, ann.range) == was.paragraph_sha256 {
                    Fate::Unchanged
                } else {
                    if let Some(path) = &art.path {
                        diags.push(
                            Diagnostic::warning(
                                Code::SourceChanged,
                                format!(
                                    "the text around annotation `{id}` changed since seeds.lock"
                                ),
                            )
                            .in_file(path)
                            .at(ann.pos)
                            .help("reread the passage in the new text; if the note still holds, run `gloss check --accept-sources`"),
                        );
                    }
                    Fate::Moved
                }
            } else {
                // The analyst removed the annotation: not the source's doing.
                continue;
            };
            let name = match fate {
                Fate::Unchanged => "unchanged",
                Fate::Moved => "moved",
                Fate::Broken => "broke",
            };
            fates.entry(name).or_default().push(id);
        }
        let list = |name: &str| {
            let ids = fates.get(name).map_or(&[][..], Vec::as_slice);
            match ids.len() {
                0 => format!("0 {name}"),
                n => format!(
                    "{n} {name} ({})",
                    ids.iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        };
        let unchanged = fates.get("unchanged").map_or(0, Vec::len);
        diags.push(
            Diagnostic::warning(
                Code::SourceChanged,
                format!(
                    "{} changed since seeds.lock (sha256 {} → {}): annotations {}, {}, {unchanged} unchanged",
                    art.seed_path,
                    short(&locked.sha256),
                    short(&art.source.sha256),
                    list("broke"),
                    list("moved"),
                ),
            )
            .in_file(&art.seed_path)
            .help("compare the text with the archived copy; when the new text is the source as published, fix broken quotes and run `gloss check --accept-sources`"),
        );
    }
    diags
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
