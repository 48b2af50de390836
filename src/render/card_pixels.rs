//! A social card's pixels: each glyph rasterized once into levels of coverage and kept,
//! stamped in its ink onto a copy of the card's backdrop, and the card written as PNG.
//! A card is a flat background, a few shapes and text in three inks, so with text drawn
//! in a few dozen levels of coverage its colours fit a 256-colour palette: the card is
//! kept as one palette index a pixel (a quarter of RGBA's bytes to copy and deflate) and
//! written as an indexed-colour PNG. A card with more colours turns to RGB as it is drawn.

use super::card::{HEIGHT, WIDTH};
use super::card_fonts::{Glyph, Run};
use resvg::tiny_skia::{FillRule, Mask, Pixmap, Transform};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// The levels of coverage text is drawn with, besides none. An edge's shade in steps of
/// 1/32 is past what the eye tells apart, and three inks' 32 shades leave more than half
/// the palette to the backdrop.
const LEVELS: u8 = 32;
/// The positions a glyph may take within a pixel, in each direction: quarter pixels, so a
/// glyph is at most an eighth of a pixel from where it is set.
const STEPS: i32 = 4;
/// The palette index of the background, which every ink's level 0 is.
const BACKGROUND: u8 = 0;

/// A colour of the theme's palette, or one mixed from them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct Rgb(pub u8, pub u8, pub u8);

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

impl Rgb {
    /// This colour covered by `ink` at `level` of [`LEVELS`].
    fn mix(self, ink: Rgb, level: u8) -> Rgb {
        let (over, under) = (u32::from(level), u32::from(LEVELS - level));
        let channel = |a: u8, b: u8| {
            let mixed = (u32::from(a) * under + u32::from(b) * over + u32::from(LEVELS) / 2)
                / u32::from(LEVELS);
            u8::try_from(mixed).unwrap_or(u8::MAX)
        };
        Rgb(
            channel(self.0, ink.0),
            channel(self.1, ink.1),
            channel(self.2, ink.2),
        )
    }
}

/// The colours a card's text is drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ink {
    /// The kind label, in the accent of the card (the event colour on an event's card).
    Accent,
    /// The title.
    Text,
    /// The detail line, the briefing's name and the host.
    Muted,
}

impl Ink {
    const ALL: [Ink; 3] = [Ink::Accent, Ink::Text, Ink::Muted];
}

/// A card's colours: the background first, then each ink's levels over it, then whatever
/// else the backdrop and the text make.
#[derive(Clone, Debug)]
struct Palette {
    colours: Vec<Rgb>,
    index: HashMap<Rgb, u8>,
    inks: [Rgb; 3],
    /// The index of each ink at each level over the background: `ramps[ink][level]`.
    ramps: [[u8; LEVELS as usize + 1]; 3],
    /// For each index, the ink and level it was added as, if it was added for a ramp.
    shades: Vec<Option<(Ink, u8)>>,
}

impl Palette {
    fn new(background: Rgb, inks: [Rgb; 3]) -> Palette {
        let mut palette = Palette {
            colours: Vec::with_capacity(256),
            index: HashMap::with_capacity(256),
            inks,
            ramps: [[BACKGROUND; LEVELS as usize + 1]; 3],
            shades: Vec::with_capacity(256),
        };
        palette.add(background);
        for ink in Ink::ALL {
            for level in 1..=LEVELS {
                // 1 + 3 × 32 colours always fit.
                let index = palette
                    .add(background.mix(inks[ink as usize], level))
                    .unwrap_or(BACKGROUND);
                palette.ramps[ink as usize][usize::from(level)] = index;
                let shade = &mut palette.shades[usize::from(index)];
                if shade.is_none() {
                    *shade = Some((ink, level));
                }
            }
        }
        palette
    }

    /// The index of `colour`, added if it is new; none when the palette is full.
    fn add(&mut self, colour: Rgb) -> Option<u8> {
        if let Some(&index) = self.index.get(&colour) {
            return Some(index);
        }
        let index = u8::try_from(self.colours.len()).ok()?;
        self.colours.push(colour);
        self.shades.push(None);
        self.index.insert(colour, index);
        Some(index)
    }
}

/// The index of `ink` at `level` drawn over the colour at index `under`, the palette
/// grown by it if need be; none when the palette is full.
fn shade(palette: &mut Arc<Palette>, under: u8, ink: Ink, level: u8) -> Option<u8> {
    let under_level = match palette.shades[usize::from(under)] {
        _ if under == BACKGROUND => Some(0),
        Some((drawn, level)) if drawn == ink => Some(level),
        _ => None,
    };
    if let Some(below) = under_level {
        // Two edges of one ink on a pixel cover it as two layers of paint would.
        let both = u16::from(below) * u16::from(level);
        let overlap = (both + u16::from(LEVELS) / 2) / u16::from(LEVELS);
        let covered = u16::from(below) + u16::from(level) - overlap;
        let covered = usize::from(covered.min(u16::from(LEVELS)));
        return Some(palette.ramps[ink as usize][covered]);
    }
    let colour = palette.colours[usize::from(under)].mix(palette.inks[ink as usize], level);
    Arc::make_mut(palette).add(colour)
}

#[derive(Clone, Debug)]
enum Pixels {
    /// One palette index a pixel, row by row.
    Indexed(Vec<u8>),
    /// Red, green and blue a pixel, once the card has more colours than a palette holds.
    Rgb(Vec<u8>),
}

/// A card being drawn, `WIDTH` × `HEIGHT` opaque pixels.
#[derive(Clone, Debug)]
pub(super) struct Canvas {
    pixels: Pixels,
    /// Shared by the cards copied from one backdrop until one of them adds a colour.
    palette: Arc<Palette>,
}

impl Canvas {
    /// The backdrop's pixels (opaque: premultiplied RGBA is straight RGBA), to draw text
    /// on in `inks` over `background`.
    pub(super) fn new(backdrop: &Pixmap, background: Rgb, inks: [Rgb; 3]) -> Canvas {
        let mut palette = Palette::new(background, inks);
        let mut indices = Vec::with_capacity(backdrop.data().len() / 4);
        let mut last = (background, BACKGROUND);
        for pixel in backdrop.data().chunks_exact(4) {
            let colour = Rgb(pixel[0], pixel[1], pixel[2]);
            if colour != last.0 {
                let Some(index) = palette.add(colour) else {
                    let rgb = backdrop
                        .data()
                        .chunks_exact(4)
                        .flat_map(|p| [p[0], p[1], p[2]])
                        .collect();
                    return Canvas {
                        pixels: Pixels::Rgb(rgb),
                        palette: Arc::new(palette),
                    };
                };
                last = (colour, index);
            }
            indices.push(last.1);
        }
        Canvas {
            pixels: Pixels::Indexed(indices),
            palette: Arc::new(palette),
        }
    }

    /// Covers the pixel at `at` (row-major) with `ink` at `level`.
    fn put(&mut self, at: usize, ink: Ink, level: u8) {
        if let Pixels::Indexed(indices) = &mut self.pixels {
            if let Some(index) = shade(&mut self.palette, indices[at], ink, level) {
                indices[at] = index;
                return;
            }
            self.pixels = Pixels::Rgb(expand(indices, &self.palette.colours));
        }
        if let Pixels::Rgb(rgb) = &mut self.pixels {
            let at = at * 3;
            let under = Rgb(rgb[at], rgb[at + 1], rgb[at + 2]);
            let Rgb(r, g, b) = under.mix(self.palette.inks[ink as usize], level);
            rgb[at..at + 3].copy_from_slice(&[r, g, b]);
        }
    }

    /// Stamps `coverage` in `ink` with its pixel of origin at (`x`, `y`); what falls off the
    /// card is left out.
    fn stamp(&mut self, coverage: &Coverage, x: i32, y: i32, ink: Ink) {
        let (width, height) = (WIDTH as i32, HEIGHT as i32);
        for (row, levels) in (y + coverage.top..).zip(coverage.levels.chunks_exact(coverage.width))
        {
            if !(0..height).contains(&row) {
                continue;
            }
            for (column, &level) in (x + coverage.left..).zip(levels) {
                if level > 0 && (0..width).contains(&column) {
                    self.put((row * width + column) as usize, ink, level);
                }
            }
        }
    }

    /// The card as PNG bytes, deflated at zlib level 2. Indexed rows go unfiltered: a
    /// palette's indices are not shades, so differences between neighbours predict little,
    /// and runs of one index (the background) deflate well as they are. Timed on 600
    /// generated cards (`examples/card_cost.rs`, filter and level changed by hand),
    /// unfiltered rows gave the smallest files at every level tried (levels 1, 2, 4 and 6;
    /// Sub, Up and Paeth 3–30% larger); level 1 took a fifth less time than 2 for files half
    /// as large again, level 4 half as long again for files 14% smaller.
    pub(super) fn png(&self) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::with_capacity(32 * 1024);
        let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_deflate_compression(png::DeflateCompression::Level(2));
        let data = match &self.pixels {
            Pixels::Indexed(indices) => {
                encoder.set_color(png::ColorType::Indexed);
                encoder.set_palette(
                    self.palette
                        .colours
                        .iter()
                        .flat_map(|c| [c.0, c.1, c.2])
                        .collect::<Vec<u8>>(),
                );
                encoder.set_filter(png::Filter::NoFilter);
                indices
            }
            Pixels::Rgb(rgb) => {
                encoder.set_color(png::ColorType::Rgb);
                // Each row against the one above turns a flat colour into runs of zeros.
                encoder.set_filter(png::Filter::Up);
                rgb
            }
        };
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(data).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
        Ok(bytes)
    }

    /// The pixels as RGB rows, as a PNG decoder gives them back.
    #[cfg(test)]
    fn rgb(&self) -> Vec<u8> {
        match &self.pixels {
            Pixels::Indexed(indices) => expand(indices, &self.palette.colours),
            Pixels::Rgb(rgb) => rgb.clone(),
        }
    }

    /// The same pixels kept as RGB, as a card with too many colours for a palette is.
    #[cfg(test)]
    pub(super) fn into_rgb(self) -> Canvas {
        Canvas {
            pixels: Pixels::Rgb(self.rgb()),
            palette: self.palette,
        }
    }
}

fn expand(indices: &[u8], colours: &[Rgb]) -> Vec<u8> {
    indices
        .iter()
        .flat_map(|&i| {
            let Rgb(r, g, b) = colours[usize::from(i)];
            [r, g, b]
        })
        .collect()
}

/// A glyph's ink as levels of coverage (0 to [`LEVELS`]) over a box of pixels, placed
/// relative to the pixel its origin is in.
#[derive(Debug)]
struct Coverage {
    left: i32,
    top: i32,
    width: usize,
    levels: Vec<u8>,
}

/// `glyph` with its origin at (`dx`, `dy`) within a pixel, filled as resvg fills a path:
/// anti-aliased, non-zero winding. None when it has no ink.
fn rasterize(glyph: Glyph, dx: f32, dy: f32) -> Option<Coverage> {
    let outline = glyph.outline(dx, dy)?;
    let bounds = outline.bounds();
    // A pixel of room on each side for the anti-aliased edges.
    let left = bounds.left().floor() as i32 - 1;
    let top = bounds.top().floor() as i32 - 1;
    let width = u32::try_from(bounds.right().ceil() as i32 + 1 - left).ok()?;
    let height = u32::try_from(bounds.bottom().ceil() as i32 + 1 - top).ok()?;
    let mut mask = Mask::new(width, height)?;
    let placed = outline.transform(Transform::from_translate(-left as f32, -top as f32))?;
    mask.fill_path(&placed, FillRule::Winding, true, Transform::identity());
    let levels = mask
        .data()
        .iter()
        .map(|&alpha| {
            let level = (u16::from(alpha) * u16::from(LEVELS) + 127) / 255;
            u8::try_from(level).unwrap_or(LEVELS)
        })
        .collect();
    Some(Coverage {
        left,
        top,
        width: width as usize,
        levels,
    })
}

/// A glyph at one position within a pixel, in quarter pixels across and down.
type Placement = (Glyph, u8, u8);

/// The most bytes of coverage kept. A Latin briefing's glyphs at every size and position
/// take a few megabytes; thousands of ideographs would take hundreds, so past this the
/// glyphs not yet kept are rasterized each time they are drawn (the same levels, slower).
const KEPT_BYTES: usize = 32 << 20;

/// Every glyph's coverage at every position within a pixel that it was drawn at,
/// rasterized the first time: a briefing's cards draw the same few hundred glyphs over and
/// over. Shared by the threads of a render.
pub(super) struct Glyphs {
    kept: Mutex<Kept>,
    /// The most bytes of coverage kept: [`KEPT_BYTES`].
    budget: usize,
}

impl Default for Glyphs {
    fn default() -> Glyphs {
        Glyphs {
            kept: Mutex::default(),
            budget: KEPT_BYTES,
        }
    }
}

#[derive(Default)]
struct Kept {
    coverage: HashMap<Placement, Option<Arc<Coverage>>>,
    bytes: usize,
}

impl Glyphs {
    /// Draws `run`'s glyphs `range` on `canvas` in `ink`, the line's first ink at `x` and
    /// its baseline at `y`, each glyph at the quarter pixel nearest where it is set.
    pub(super) fn draw(
        &self,
        canvas: &mut Canvas,
        run: &Run,
        range: std::ops::Range<usize>,
        (x, y): (f32, f32),
        ink: Ink,
    ) {
        let (row, down) = steps(y);
        for (glyph, x) in run.inked(range, x) {
            let (column, across) = steps(x);
            if let Some(coverage) = self.coverage((glyph, across, down)) {
                canvas.stamp(&coverage, column, row, ink);
            }
        }
    }

    fn coverage(&self, placement: Placement) -> Option<Arc<Coverage>> {
        if let Some(kept) = self.lock().coverage.get(&placement) {
            return kept.clone();
        }
        // Rasterized outside the lock; two threads rasterizing one glyph get the same levels.
        let (glyph, across, down) = placement;
        let step = |n: u8| f32::from(n) / STEPS as f32;
        let drawn = rasterize(glyph, step(across), step(down)).map(Arc::new);
        let mut kept = self.lock();
        if let Some(other) = kept.coverage.get(&placement) {
            return other.clone();
        }
        let bytes = drawn.as_ref().map_or(0, |c| c.levels.len());
        if kept.bytes + bytes <= self.budget {
            kept.bytes += bytes;
            kept.coverage.insert(placement, drawn.clone());
        }
        drawn
    }

    fn lock(&self) -> MutexGuard<'_, Kept> {
        // A panic elsewhere leaves the map whole: entries are inserted complete.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A coordinate as its whole pixel and the quarter pixels past it, to the nearest quarter.
fn steps(at: f32) -> (i32, u8) {
    let quarters = (at * STEPS as f32).round() as i32;
    let past = u8::try_from(quarters.rem_euclid(STEPS)).unwrap_or(0);
    (quarters.div_euclid(STEPS), past)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BG: Rgb = Rgb(250, 250, 246);
    const INKS: [Rgb; 3] = [Rgb(27, 90, 142), Rgb(28, 29, 33), Rgb(87, 91, 99)];

    fn blank() -> Canvas {
        let mut pixmap = Pixmap::new(WIDTH, HEIGHT).unwrap();
        pixmap.fill(resvg::tiny_skia::Color::from_rgba8(BG.0, BG.1, BG.2, 255));
        Canvas::new(&pixmap, BG, INKS)
    }

    #[test]
    fn text_over_the_background_takes_its_ink_at_its_level_and_overlaps_add_up() {
        let mut canvas = blank();
        canvas.put(0, Ink::Text, LEVELS);
        canvas.put(1, Ink::Accent, LEVELS / 2);
        canvas.put(2, Ink::Muted, LEVELS / 2);
        canvas.put(2, Ink::Muted, LEVELS / 2);
        let rgb = canvas.rgb();
        let at = |i: usize| Rgb(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
        assert_eq!(at(0), INKS[1]);
        assert_eq!(at(1), Rgb(139, 170, 194));
        // Half over half covers three quarters.
        assert_eq!(at(2), BG.mix(INKS[2], LEVELS / 4 * 3));
        assert_eq!(at(3), BG);
        assert!(matches!(canvas.pixels, Pixels::Indexed(_)));
    }

    #[test]
    fn a_card_with_more_colours_than_a_palette_turns_to_rgb_and_keeps_its_pixels() {
        let mut canvas = blank();
        let mut rgb = blank().into_rgb();
        // Each of 32 accent shades under each of 32 text shades: 1,024 colours.
        let mut at = 0;
        for under in 1..=LEVELS {
            for over in 1..=LEVELS {
                for c in [&mut canvas, &mut rgb] {
                    c.put(at, Ink::Accent, under);
                    c.put(at, Ink::Text, over);
                }
                at += 1;
            }
        }
        assert!(matches!(canvas.pixels, Pixels::Rgb(_)));
        assert_eq!(canvas.rgb(), rgb.rgb());
        assert_eq!(&canvas.png().unwrap()[1..4], b"PNG");
    }

    #[test]
    fn glyphs_past_the_budget_are_drawn_the_same_and_not_kept() {
        let run = crate::render::card_fonts::set(
            "Talks 中美两军恢复防务热线",
            crate::render::card_fonts::Face::SerifBold,
            68.0,
        );
        let all = 0..run.glyphs.len();
        let draw = |glyphs: &Glyphs| {
            let mut canvas = blank();
            glyphs.draw(&mut canvas, &run, all.clone(), (84.3, 316.4), Ink::Text);
            glyphs.draw(&mut canvas, &run, all.clone(), (90.6, 400.7), Ink::Text);
            canvas.rgb()
        };
        let kept = Glyphs::default();
        let small = Glyphs {
            budget: 20_000,
            ..Glyphs::default()
        };
        assert_eq!(draw(&small), draw(&kept));
        assert!(kept.lock().bytes > 40_000);
        let small = small.lock();
        assert!(small.bytes <= 20_000 && small.bytes > 0, "{}", small.bytes);
        assert!(small.coverage.len() < kept.lock().coverage.len());
    }

    #[test]
    fn a_position_goes_to_the_nearest_quarter_pixel() {
        assert_eq!(steps(10.0), (10, 0));
        assert_eq!(steps(10.3), (10, 1));
        assert_eq!(steps(10.9), (11, 0));
        assert_eq!(steps(-0.25), (-1, 3));
    }
}
