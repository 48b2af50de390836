//! The social cards' fonts, compiled into the binary, and text set with them as glyph
//! outlines: a card never depends on the fonts of the machine that builds it, and the SVG
//! rasterizer needs no text engine (usvg's `text` feature and its font database stay out).
//!
//! Each character comes from the first face that has it: DejaVu for Latin, Greek and
//! Cyrillic, then a subset of Noto Serif CJK SC Bold (`assets/fonts/README.md`). A
//! character in neither is written as its `deunicode` transliteration, so a rare
//! ideograph outside the subset shows as its pinyin, never as an empty box.

use resvg::tiny_skia::{Path, PathBuilder};
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};

static SERIF_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif-Bold.subset.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.subset.ttf");
static SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.subset.ttf");
static CJK: &[u8] = include_bytes!("../../assets/fonts/NotoSerifCJKsc-Bold.subset.otf");

/// The typeface a piece of card text is set in; CJK characters fall back to the CJK face.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Face {
    /// Titles.
    SerifBold,
    /// The kind label and the site's name.
    SansBold,
    /// Dates and other details.
    Sans,
}

impl Face {
    fn primary(self) -> &'static [u8] {
        match self {
            Face::SerifBold => SERIF_BOLD,
            Face::SansBold => SANS_BOLD,
            Face::Sans => SANS,
        }
    }

    /// The faces tried in order for each character.
    fn fonts(self) -> [FontRef<'static>; 2] {
        // The embedded files are fixed at compile time; the unit tests parse every one.
        let parse = |bytes| FontRef::new(bytes).expect("an embedded font parses");
        [parse(self.primary()), parse(CJK)]
    }
}

/// One glyph placed on a line: which of the face's fonts, which glyph, where.
#[derive(Clone, Copy, Debug)]
pub struct Placed {
    font: usize,
    glyph: GlyphId,
    x: f32,
    /// Whether the glyph begins at a place the line may break before.
    pub break_before: bool,
    /// Whether the glyph is a space, which a line does not end or begin with.
    pub space: bool,
    pub advance: f32,
}

/// Text set at one size in one face, not yet broken into lines.
#[derive(Clone, Debug)]
pub struct Run {
    face: Face,
    size: f32,
    pub glyphs: Vec<Placed>,
}

/// One glyph of one font at one size: what a card draws, and what its drawings are kept under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Glyph {
    face: Face,
    font: usize,
    id: u32,
    /// The size's bits: sizes are the card's constants, so equal sizes have equal bits.
    size: u32,
}

impl Glyph {
    /// The glyph's outline as a path to fill, its origin at `x` on the baseline `y`, in the
    /// card's y-down coordinates (none when the glyph has no ink or cannot be read).
    pub fn outline(&self, x: f32, y: f32) -> Option<Path> {
        let fonts = self.face.fonts();
        let outline = fonts[self.font]
            .outline_glyphs()
            .get(GlyphId::new(self.id))?;
        let settings =
            DrawSettings::unhinted(Size::new(f32::from_bits(self.size)), LocationRef::default());
        let mut pen = SkiaPen(PathBuilder::new());
        outline
            .draw(
                settings,
                &mut Moved {
                    pen: &mut pen,
                    x,
                    y,
                },
            )
            .ok()?;
        pen.0.finish()
    }
}

/// Sets `text` in `face` at `size` pixels: every character mapped to a glyph and advanced
/// by its width (no kerning: titles and labels read well without it).
pub fn set(text: &str, face: Face, size: f32) -> Run {
    let fonts = face.fonts();
    let charmaps = fonts.each_ref().map(|f| f.charmap());
    let metrics = fonts
        .each_ref()
        .map(|f| f.glyph_metrics(Size::new(size), LocationRef::default()));
    let mut glyphs = Vec::new();
    let mut x = 0.0;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c.is_control() {
            continue;
        }
        let break_before = breaks_between(prev, c);
        prev = Some(c);
        let found = lookup(&charmaps, c).map(|g| vec![g]).unwrap_or_else(|| {
            // Not in any face: its transliteration, letter by letter, from the faces.
            deunicode::deunicode_char(c)
                .unwrap_or("")
                .chars()
                .filter_map(|t| lookup(&charmaps, t))
                .collect()
        });
        for (i, (font, glyph)) in found.into_iter().enumerate() {
            let advance = metrics[font].advance_width(glyph).unwrap_or(0.0);
            glyphs.push(Placed {
                font,
                glyph,
                x,
                break_before: break_before && i == 0,
                space: c == ' ',
                advance,
            });
            x += advance;
        }
    }
    Run { face, size, glyphs }
}

fn lookup(charmaps: &[skrifa::charmap::Charmap<'static>; 2], c: char) -> Option<(usize, GlyphId)> {
    charmaps
        .iter()
        .enumerate()
        .find_map(|(i, map)| map.map(c).filter(|g| g.to_u32() != 0).map(|g| (i, g)))
}

/// Whether a line may break between `prev` and `c`: before a word after a space, and
/// between characters of scripts written without spaces, but never before CJK
/// punctuation (a full stop or closing bracket stays on its line) or after an opening one.
fn breaks_between(prev: Option<char>, c: char) -> bool {
    let Some(prev) = prev else { return false };
    if c == ' ' {
        return false;
    }
    if prev == ' ' {
        return true;
    }
    let spaceless = |ch| crate::text::SpacelessScript::of(ch).is_some();
    let opening = matches!(
        prev,
        '「' | '『' | '（' | '《' | '〈' | '【' | '〔' | '“' | '‘'
    );
    (spaceless(c) || spaceless(prev)) && !crate::text::is_cjk_punctuation(c) && !opening
}

impl Run {
    /// The width of glyphs `range`, without spaces at either end.
    pub fn width(&self, range: std::ops::Range<usize>) -> f32 {
        let glyphs = &self.glyphs[range];
        let start = glyphs.iter().position(|g| !g.space);
        let end = glyphs.iter().rposition(|g| !g.space);
        match (start, end) {
            (Some(s), Some(e)) => glyphs[e].x + glyphs[e].advance - glyphs[s].x,
            _ => 0.0,
        }
    }

    /// The whole run's width.
    pub fn total_width(&self) -> f32 {
        self.width(0..self.glyphs.len())
    }

    /// Breaks the run into lines no wider than `max`: at the last break opportunity that
    /// fits, or anywhere in a word longer than a line.
    pub fn lines(&self, max: f32) -> Vec<std::ops::Range<usize>> {
        let mut lines = Vec::new();
        let mut start = 0;
        while start < self.glyphs.len() {
            while start < self.glyphs.len() && self.glyphs[start].space {
                start += 1;
            }
            if start == self.glyphs.len() {
                break;
            }
            let mut end = start + 1;
            let mut last_break = None;
            while end < self.glyphs.len() && self.width(start..end + 1) <= max {
                end += 1;
                if end < self.glyphs.len() && self.glyphs[end].break_before {
                    last_break = Some(end);
                }
            }
            if end < self.glyphs.len()
                && !self.glyphs[end].break_before
                && let Some(b) = last_break
            {
                end = b;
            }
            lines.push(start..end);
            start = end;
        }
        lines
    }

    /// The run with `tracking` pixels added after every glyph, for a label in capitals.
    pub fn tracked(mut self, tracking: f32) -> Run {
        for (i, g) in self.glyphs.iter_mut().enumerate() {
            g.x += tracking * i as f32;
        }
        self
    }

    /// The glyphs `range`, with `tail` (an ellipsis) set after them, as one run.
    pub fn with_tail(&self, range: std::ops::Range<usize>, tail: &str) -> Run {
        let mut glyphs: Vec<Placed> = self.glyphs[range].to_vec();
        while glyphs.last().is_some_and(|g| g.space) {
            glyphs.pop();
        }
        let x = glyphs.last().map_or(0.0, |g| g.x + g.advance);
        let origin = glyphs.first().map_or(0.0, |g| g.x);
        let tail = set(tail, self.face, self.size);
        glyphs.extend(tail.glyphs.into_iter().map(|g| Placed { x: g.x + x, ..g }));
        for g in &mut glyphs {
            g.x -= origin;
        }
        Run {
            face: self.face,
            size: self.size,
            glyphs,
        }
    }

    /// The inked glyphs of `range` (spaces left out), each with the x of its origin when the
    /// line's first ink is at `x`.
    pub fn inked(
        &self,
        range: std::ops::Range<usize>,
        x: f32,
    ) -> impl Iterator<Item = (Glyph, f32)> + '_ {
        let glyphs = &self.glyphs[range];
        let origin = glyphs.iter().find(|g| !g.space).map_or(0.0, |g| g.x);
        glyphs.iter().filter(|g| !g.space).map(move |g| {
            let glyph = Glyph {
                face: self.face,
                font: g.font,
                id: g.glyph.to_u32(),
                size: self.size.to_bits(),
            };
            (glyph, x + g.x - origin)
        })
    }

    /// How many glyphs came from the face's own font and how many from the CJK face.
    #[cfg(test)]
    pub fn fonts_used(&self) -> (usize, usize) {
        let cjk = self.glyphs.iter().filter(|g| g.font == 1).count();
        (self.glyphs.len() - cjk, cjk)
    }
}

/// The characters of `text` (spaces and controls aside) with no glyph of their own in
/// `face` or the CJK face, which a card spells by transliteration.
pub fn uncovered(text: &str, face: Face) -> Vec<char> {
    let fonts = face.fonts();
    let charmaps = fonts.each_ref().map(|f| f.charmap());
    text.chars()
        .filter(|&c| !c.is_whitespace() && !c.is_control() && lookup(&charmaps, c).is_none())
        .collect()
}

/// Hands a glyph's outline on to `pen` moved to where the glyph stands, flipping the font's
/// y-up coordinates.
struct Moved<'a, P> {
    pen: &'a mut P,
    x: f32,
    y: f32,
}

impl<P: OutlinePen> OutlinePen for Moved<'_, P> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.pen.move_to(self.x + x, self.y - y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.pen.line_to(self.x + x, self.y - y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.pen
            .quad_to(self.x + cx0, self.y - cy0, self.x + x, self.y - y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.pen.curve_to(
            self.x + cx0,
            self.y - cy0,
            self.x + cx1,
            self.y - cy1,
            self.x + x,
            self.y - y,
        );
    }

    fn close(&mut self) {
        self.pen.close();
    }
}

/// Builds outlines as a tiny-skia path.
struct SkiaPen(PathBuilder);

impl OutlinePen for SkiaPen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }

    fn close(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_font_parses_and_draws() {
        for face in [Face::SerifBold, Face::SansBold, Face::Sans] {
            let run = set("Talks 中美 会談", face, 40.0);
            assert!(run.glyphs.len() >= 8);
            let inked: Vec<_> = run.inked(0..run.glyphs.len(), 0.0).collect();
            assert_eq!(inked.len(), run.glyphs.len() - 2, "all but the two spaces");
            assert!(inked.iter().all(|(g, x)| g.outline(*x, 50.0).is_some()));
        }
    }

    #[test]
    fn cjk_comes_from_the_cjk_face_and_rare_characters_are_transliterated() {
        let run = set("中美两军", Face::SerifBold, 40.0);
        assert_eq!(run.fonts_used(), (0, 4));
        assert!(uncovered("中美两军 Talks", Face::SerifBold).is_empty());
        // U+20BB7 is outside the subset (and GB 2312): it is spelled, not boxed.
        assert_eq!(uncovered("𠮷", Face::SerifBold), ['𠮷']);
        let rare = set("𠮷", Face::SerifBold, 40.0);
        assert!(!rare.glyphs.is_empty());
        assert!(rare.glyphs.iter().all(|g| g.glyph.to_u32() != 0));
    }

    #[test]
    fn lines_break_between_words_and_between_ideographs_but_not_before_punctuation() {
        let run = set("one two three four", Face::Sans, 20.0);
        let one_word = run.width(0..3) + 1.0;
        let lines = run.lines(one_word * 2.2);
        assert!(lines.len() >= 2);
        for l in &lines {
            assert!(run.width(l.clone()) <= one_word * 2.2);
        }
        let cjk = set("中美两军。会谈", Face::SerifBold, 20.0);
        let width = cjk.width(0..1) * 4.5;
        let lines = cjk.lines(width);
        // The full stop stays with the character before it.
        assert!(lines.iter().all(|l| l.start != 4));
    }
}
