//! The stealth-edit report: a seed whose text changed since `seeds.lock` recorded it is
//! compared passage by passage, naming which annotations still anchor unchanged, which
//! moved (their paragraph changed around them) and which broke; and the lock the site
//! has now, which `gloss check --accept-sources` writes. Nothing here touches the disk.

use super::Article;
use super::source::sha256_hex;
use crate::diag::{Code, Diagnostic};
use crate::load::seedlock::{LockedAnnotation, LockedSeed, SeedLock, VERSION};
use crate::model::TextSide;
use crate::text;
use crate::types::ByteRange;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The lock for the site as it is now: every article's seed hash and anchored passages.
pub fn current(articles: &[Arc<Article>]) -> SeedLock {
    let articles = articles
        .iter()
        .map(|art| {
            let paragraphs = text::paragraphs(&art.seed);
            // The lock guards the source's text; a translation is the analyst's own file.
            let annotations = art
                .annotations
                .iter()
                .filter(|ann| ann.side == TextSide::Original)
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
    sha256_hex(seed.get(start..end).unwrap_or_default())
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
            let fate = if art.unanchored.iter().any(|u| u.id == *id) {
                Fate::Broken
            } else if let Some(ann) = art
                .annotations
                .iter()
                .find(|a| a.id.as_str() == id && a.side == TextSide::Original)
            {
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
