//! A translation beside an article's original (`seeds/<seed stem>.<language>.txt`): what
//! the anchor stage keeps of it, and which of an article's two texts a passage is in.

use super::{Article, Block};
use crate::model::TextSide;
use crate::types::ByteRange;
use camino::Utf8PathBuf;
use std::collections::BTreeMap;
use std::sync::Arc;

impl Article {
    /// The text of one side: the seed, or the translation's file.
    pub fn text(&self, side: TextSide) -> &str {
        match (side, &self.translation) {
            (TextSide::Translation, Some(t)) => &t.text,
            _ => &self.seed,
        }
    }

    /// The kept paragraphs of one side, aligned: `blocks(Translation)[i]` translates `blocks[i]`.
    pub fn blocks(&self, side: TextSide) -> &[Block] {
        match (side, &self.translation) {
            (TextSide::Translation, Some(t)) => &t.blocks,
            _ => &self.blocks,
        }
    }

    /// The sides the article has, in reading order: the original, then any translation.
    pub fn sides(&self) -> impl Iterator<Item = TextSide> + use<> {
        let translated = self.translation.is_some();
        [TextSide::Original, TextSide::Translation]
            .into_iter()
            .filter(move |s| *s == TextSide::Original || translated)
    }

    /// The index of the kept paragraph a passage of `side` starts in.
    pub fn block_of(&self, side: TextSide, range: ByteRange) -> Option<usize> {
        self.blocks(side)
            .iter()
            .position(|b| b.range.overlaps(range) || b.range.start == range.start)
    }
}

/// A translation of an article's seed (`seeds/<stem>.<language>.txt`), aligned to the
/// original paragraph by paragraph so the page can show each beside its original.
#[derive(Debug, Hash)]
pub struct Translation {
    pub path: Utf8PathBuf,
    pub text: Arc<str>,
    /// Changes whenever the file is read anew.
    pub version: u64,
    /// BCP 47, from the file name.
    pub language: String,
    /// The translated title, when the file starts with one.
    pub title: Option<String>,
    /// One per block of the original, in the same order.
    pub blocks: Vec<Block>,
    /// The file's SHA-256, lowercase hex.
    pub sha256: String,
}

/// The seed `name` would translate if the tag in its name were a language tag:
/// `001.english.txt` beside `001.txt`.
pub(super) fn misnamed_translation(
    name: &str,
    seeds: &BTreeMap<String, crate::load::Seed>,
) -> Option<String> {
    let (rest, ext) = name.rsplit_once('.')?;
    let (stem, _) = rest.rsplit_once('.')?;
    let original = format!("{stem}.{ext}");
    seeds.contains_key(&original).then_some(original)
}
