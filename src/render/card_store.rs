//! Where a social card is kept in the persistent build cache: under a hash of what the card
//! shows and of how this gloss draws cards, so a kept card is used only where drawing it
//! again would give the same bytes.

use super::card::{CardText, Painter};
use sha2::{Digest, Sha256};

/// The cache keys of one build's cards.
pub struct CardKeys {
    /// A hash of this gloss's version and of sample cards as it draws them: a change to the
    /// drawing, the fonts or the encoder changes it, and with it every key.
    drawing: [u8; 32],
}

impl CardKeys {
    /// Draws the sample cards once (a few milliseconds).
    pub fn new(painter: &Painter) -> Result<Self, String> {
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION"));
        for sample in samples() {
            h.update(painter.png(&sample)?);
        }
        Ok(Self {
            drawing: h.finalize().into(),
        })
    }

    /// The key of the card that shows `text`.
    pub fn key(&self, text: &CardText) -> String {
        let mut h = Sha256::new();
        h.update(self.drawing);
        for field in [
            &text.kind,
            &text.title,
            &text.detail,
            &text.site,
            &text.host,
        ] {
            // Each field's length first, so no two cards' fields run together alike.
            h.update((field.len() as u64).to_le_bytes());
            h.update(field);
        }
        h.update([u8::from(text.event)]);
        format!("cards/{:x}.png", h.finalize())
    }
}

/// Cards that between them use every face, both accents, a title cut with an ellipsis and
/// Chinese characters.
fn samples() -> [CardText; 3] {
    let card = |kind: &str, title: &str, detail: &str, event: bool| CardText {
        kind: kind.into(),
        title: title.into(),
        detail: detail.into(),
        site: "Sample briefing".into(),
        host: "example.org".into(),
        event,
    };
    [
        card(
            "Article",
            &"A long title that needs the smallest size and still ends cut short ".repeat(4),
            "Outlet · 1 May 2021",
            false,
        ),
        card("Event", "中美两军恢复对话", "Aug 2022", true),
        card("Entity · Person", "Wu Qian", "Spokesman", false),
    ]
}
