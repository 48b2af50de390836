//! Social cards: each page's `og:image`, a 1200×630 PNG with the page's kind, title, date
//! and the briefing's name: its shapes drawn as SVG and rasterized by resvg, its text set
//! by `card_fonts` from fonts compiled in and drawn by `card_pixels`, so every machine
//! draws the same bytes.

use super::card_fonts::{Face, Run, set};
use super::card_pixels::{Canvas, Glyphs, Ink, Rgb};
use crate::routes;
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::Options;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

/// The card's size in pixels, the 1.91:1 that Open Graph and X's large summary card show.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// What a card shows: all of it comes from what the page itself shows.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct CardText {
    /// What the page is ("Article", "Entity · Person", "Event", …).
    pub kind: String,
    pub title: String,
    /// A line under the title: an article's outlet and date, an event's date, an entity's
    /// role, the briefing's description.
    pub detail: String,
    /// The briefing's title.
    pub site: String,
    /// Where the briefing is published (the base URL's host), at the bottom right.
    pub host: String,
    /// Events carry the theme's event colour; everything else the accent.
    pub event: bool,
}

impl CardText {
    /// The `og:image:alt` text: what the card shows, in reading order, the site's name
    /// left out where it is the title.
    pub fn alt(&self) -> String {
        let mut parts = vec![format!("{}: {}", self.kind, self.title)];
        parts.extend(
            [&self.detail, &self.site]
                .into_iter()
                .filter(|p| !p.is_empty() && **p != self.title)
                .cloned(),
        );
        parts
            .iter()
            .map(|p| p.trim_end_matches('.'))
            .collect::<Vec<_>>()
            .join(". ")
    }
}

// The theme's light palette (themes/default/static/style.css).
const BG: Rgb = Rgb(0xfb, 0xfa, 0xf6);
const TEXT: Rgb = Rgb(0x1c, 0x1d, 0x21);
const TEXT_2: Rgb = Rgb(0x57, 0x5b, 0x63);
const LINE: Rgb = Rgb(0xe3, 0xdf, 0xd4);
const ACCENT: Rgb = Rgb(0x1b, 0x5a, 0x8e);
const EVENT: Rgb = Rgb(0xa4, 0x3d, 0x1c);
const HIGHLIGHT: Rgb = Rgb(0xf5, 0xc5, 0x42);

const MARGIN: f32 = 84.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;
/// Title sizes tried from the largest, each with the most lines it may take.
const TITLE_SIZES: [(f32, usize); 5] = [(68.0, 3), (60.0, 3), (54.0, 4), (48.0, 4), (44.0, 4)];
/// The baselines of the kind label and of the foot's line.
const KIND_Y: f32 = 196.0;
const FOOT_Y: f32 = 570.0;

/// Draws cards. What every card of a briefing shares (the background, the logo, the
/// briefing's name, the rules and the host) is drawn once per accent colour and copied;
/// only the text that differs is drawn on each card, from glyphs rasterized once. The
/// shared parts and the text do not overlap, so a card is the same pixels as one drawn
/// whole, whatever was drawn before it.
#[derive(Default)]
pub struct Painter {
    backdrops: Mutex<Vec<Arc<Backdrop>>>,
    glyphs: Glyphs,
}

/// The shared parts of one briefing's cards in one accent colour.
struct Backdrop {
    site: String,
    host: String,
    event: bool,
    canvas: Canvas,
}

impl Painter {
    /// The card as PNG bytes.
    pub fn png(&self, card: &CardText) -> Result<Vec<u8>, String> {
        let backdrop = self.backdrop(card)?.canvas.clone();
        self.draw(backdrop, card).png()
    }

    /// The card's own text drawn on `canvas`, a copy of its backdrop.
    fn draw(&self, mut canvas: Canvas, card: &CardText) -> Canvas {
        let kind = card.kind.to_uppercase();
        let kind_run = set(&kind, Face::SansBold, 22.0).tracked(2.5);
        self.glyphs.draw(
            &mut canvas,
            &kind_run,
            0..kind_run.glyphs.len(),
            (MARGIN + 52.0, KIND_Y),
            Ink::Accent,
        );
        // The title, as large as fits, ending in an ellipsis if even the smallest size is short.
        let (run, lines, size) = title_lines(&card.title);
        let leading = size * 1.18;
        let mut y = 262.0 + size * 0.8;
        for (i, line) in lines.iter().enumerate() {
            let last = i + 1 == lines.len();
            if last && line.end < run.glyphs.len() {
                let mut end = line.end;
                let mut tail = run.with_tail(line.start..end, "…");
                while end > line.start + 1 && tail.total_width() > TEXT_WIDTH {
                    end -= 1;
                    tail = run.with_tail(line.start..end, "…");
                }
                let all = 0..tail.glyphs.len();
                self.glyphs
                    .draw(&mut canvas, &tail, all, (MARGIN, y), Ink::Text);
            } else {
                self.glyphs
                    .draw(&mut canvas, &run, line.clone(), (MARGIN, y), Ink::Text);
            }
            y += leading;
        }
        // The detail line, on the left of the host.
        let detail_width = TEXT_WIDTH - host_width(&card.host) - 40.0;
        let detail = fitted(&card.detail, Face::Sans, 26.0, detail_width);
        self.glyphs.draw(
            &mut canvas,
            &detail,
            0..detail.glyphs.len(),
            (MARGIN, FOOT_Y),
            Ink::Muted,
        );
        canvas
    }

    /// The shared parts of `card`'s briefing in its accent, drawn the first time.
    fn backdrop(&self, card: &CardText) -> Result<Arc<Backdrop>, String> {
        let same =
            |b: &Arc<Backdrop>| b.event == card.event && b.site == card.site && b.host == card.host;
        let found = self.lock().iter().find(|b| same(b)).cloned();
        if let Some(found) = found {
            return Ok(found);
        }
        // Drawn outside the lock; two threads drawing the same one draw the same pixels.
        let tree = resvg::usvg::Tree::from_str(&backdrop_svg(card), &Options::default())
            .map_err(|e| e.to_string())?;
        let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or("the card's size is not drawable")?;
        resvg::render(&tree, Transform::default(), &mut pixmap.as_mut());
        let mut canvas = Canvas::new(&pixmap, BG, [accent(card), TEXT, TEXT_2]);
        // The briefing's name, on one line after the logo.
        let (x, y) = (MARGIN + 48.0, 100.0);
        if let Some((site, line)) = one_line(&card.site, WIDTH as f32 - MARGIN - x) {
            self.glyphs
                .draw(&mut canvas, &site, line, (x, y), Ink::Muted);
        }
        // Where the briefing lives, at the foot's right, unless it would take over a third.
        let host = set(&card.host, Face::Sans, 24.0);
        if host.total_width() <= TEXT_WIDTH / 3.0 {
            let x = WIDTH as f32 - MARGIN - host.total_width();
            let all = 0..host.glyphs.len();
            self.glyphs
                .draw(&mut canvas, &host, all, (x, FOOT_Y), Ink::Muted);
        }
        let drawn = Arc::new(Backdrop {
            site: card.site.clone(),
            host: card.host.clone(),
            event: card.event,
            canvas,
        });
        let mut kept = self.lock();
        if let Some(found) = kept.iter().find(|b| same(b)) {
            return Ok(found.clone());
        }
        kept.push(drawn.clone());
        Ok(drawn)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Backdrop>>> {
        // A panic elsewhere leaves the list whole: entries are pushed complete.
        self.backdrops.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn accent(card: &CardText) -> Rgb {
    if card.event { EVENT } else { ACCENT }
}

/// The shapes every card of a briefing in one accent shows, as SVG (its text is drawn on
/// the pixels: SVG `<text>` would depend on fonts).
fn backdrop_svg(card: &CardText) -> String {
    let accent = accent(card);
    let mut s = String::with_capacity(16 * 1024);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">"#
    );
    let _ = write!(
        s,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="{BG}"/><rect width="{WIDTH}" height="14" fill="{accent}"/>"#
    );
    // The site's logo: three bars, the middle one highlighted, as in the page header.
    let (lx, ly) = (MARGIN, 74.0);
    let _ = write!(
        s,
        r#"<g transform="translate({lx} {ly}) scale(1.25)"><rect x="0" y="0" width="26" height="4" rx="2" fill="{TEXT_2}" opacity=".45"/><rect x="0" y="9" width="18" height="4" rx="2" fill="{HIGHLIGHT}"/><rect x="0" y="18" width="22" height="4" rx="2" fill="{TEXT_2}" opacity=".45"/></g>"#
    );
    // The rule before the kind label, which is drawn in small capitals' spirit: upper
    // case, spaced, in the accent colour.
    let _ = write!(
        s,
        r#"<rect x="{MARGIN}" y="{}" width="36" height="4" fill="{accent}"/>"#,
        KIND_Y - 8.0
    );
    // The foot's rule, above the detail line and the host.
    let _ = write!(
        s,
        r#"<rect x="{MARGIN}" y="{}" width="{TEXT_WIDTH}" height="2" fill="{LINE}"/>"#,
        FOOT_Y - 46.0
    );
    s.push_str("</svg>");
    s
}

/// The room the host takes at the foot's right: none beyond a third of the line, where a
/// longer host is left out.
fn host_width(host: &str) -> f32 {
    set(host, Face::Sans, 24.0)
        .total_width()
        .min(TEXT_WIDTH / 3.0)
}

/// An article card's detail line: its outlet and publication date.
pub(super) fn article_detail(view: &super::view::ArticleView) -> String {
    let outlet = view.outlet.as_ref().map(|o| o.name.clone());
    let date = view.published.as_ref().map(|d| d.display.clone());
    outlet
        .into_iter()
        .chain(date)
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A page's card and how its `<head>` announces it (none with `social_cards = false`):
/// `kind` is the page kind, `card_kind` and `detail` what the page says beyond it.
pub(super) fn for_page(
    g: &crate::link::SiteGraph,
    path: &str,
    kind: &str,
    title: &str,
    description: &str,
    card_kind: Option<String>,
    detail: Option<String>,
) -> (CardText, Option<super::view::ImageMeta>) {
    let card = CardText {
        kind: card_kind.unwrap_or_else(|| kind_label(kind).to_owned()),
        title: if title.is_empty() {
            g.config.title.clone()
        } else {
            title.to_owned()
        },
        detail: detail.unwrap_or_else(|| description.to_owned()),
        site: g.config.title.clone(),
        host: routes::host(&g.config.base_url).to_owned(),
        event: kind == "event",
    };
    let image = g.config.build.social_cards.then(|| super::view::ImageMeta {
        url: routes::url(&g.config.base_url, &routes::card(path)),
        width: WIDTH,
        height: HEIGHT,
        alt: card.alt(),
    });
    (card, image)
}

/// What a page kind is called on its social card.
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "index" => "Briefing",
        "article" => "Article",
        "articles" => "Articles",
        "entity" | "entities" => "Entities",
        "event" => "Event",
        "events" => "Events",
        "tag" => "Tag",
        "tags" => "Tags",
        "search" => "Search",
        "claims" => "Claims",
        "404" => "Not found",
        _ => "Page",
    }
}

/// The characters of a title that the card's fonts lack (an empty list when every one is
/// drawn from a glyph of its own); a card spells those by transliteration.
pub fn uncovered(title: &str) -> Vec<char> {
    super::card_fonts::uncovered(title, Face::SerifBold)
}

/// The title set at the largest size whose lines fit, and those lines (at the smallest
/// size, only as many as fit: the last then ends in an ellipsis).
fn title_lines(title: &str) -> (Run, Vec<std::ops::Range<usize>>, f32) {
    let mut last = None;
    for (size, max_lines) in TITLE_SIZES {
        let run = set(title, Face::SerifBold, size);
        let lines = run.lines(TEXT_WIDTH);
        if lines.len() <= max_lines {
            return (run, lines, size);
        }
        last = Some((run, lines, size, max_lines));
    }
    let (run, mut lines, size, max_lines) = last.expect("TITLE_SIZES is not empty");
    lines.truncate(max_lines);
    (run, lines, size)
}

/// The briefing's name on one line no wider than `width`: its first line, ending in an
/// ellipsis if there is more (none for a name without ink).
fn one_line(text: &str, width: f32) -> Option<(Run, std::ops::Range<usize>)> {
    let run = set(text, Face::SansBold, 26.0);
    let lines = run.lines(width);
    let first = lines.first()?.clone();
    if lines.len() > 1 {
        let cut = run.with_tail(first, "…");
        let all = 0..cut.glyphs.len();
        Some((cut, all))
    } else {
        Some((run, first))
    }
}

/// `text` on one line no wider than `width`, cut with an ellipsis where it is wider.
fn fitted(text: &str, face: Face, size: f32, width: f32) -> Run {
    let run = set(text, face, size);
    if run.total_width() <= width {
        return run;
    }
    let mut end = run.glyphs.len();
    let mut cut = run.with_tail(0..end, "…");
    while end > 1 && cut.total_width() > width {
        end -= 1;
        cut = run.with_tail(0..end, "…");
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(title: &str) -> CardText {
        CardText {
            kind: "Article".into(),
            title: title.into(),
            detail: "Reuters · 28 Oct 2020".into(),
            site: "China–US military channels".into(),
            host: "example.org".into(),
            event: false,
        }
    }

    fn png(card: &CardText) -> Result<Vec<u8>, String> {
        Painter::default().png(card)
    }

    #[test]
    fn a_card_is_a_png_of_the_open_graph_size_and_the_same_every_time() {
        let a = png(&card("Pentagon says China talks")).unwrap();
        assert_eq!(&a[1..4], b"PNG");
        let width = u32::from_be_bytes(a[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(a[20..24].try_into().unwrap());
        assert_eq!((width, height), (WIDTH, HEIGHT));
        assert_eq!(a, png(&card("Pentagon says China talks")).unwrap());
        assert_ne!(a, png(&card("Pentagon says China talk")).unwrap());
    }

    #[test]
    fn a_long_title_ends_in_an_ellipsis_within_the_margins() {
        let long = "word ".repeat(200);
        let (run, lines, size) = title_lines(&long);
        assert_eq!(size, TITLE_SIZES[TITLE_SIZES.len() - 1].0);
        assert_eq!(lines.len(), TITLE_SIZES[TITLE_SIZES.len() - 1].1);
        assert!(lines.iter().all(|l| run.width(l.clone()) <= TEXT_WIDTH));
        assert!(png(&card(&long)).is_ok());
    }

    #[test]
    fn a_card_is_the_same_bytes_whatever_the_painter_drew_before() {
        // Glyphs of one title fall at different quarter pixels across and down its lines.
        let cards = [
            card("Pentagon says China talks resume after months of silence as ministers meet"),
            card("中美两军恢复防务热线"),
            CardText {
                kind: "Event".into(),
                event: true,
                ..card("Talks resume in Singapore")
            },
        ];
        let forward = Painter::default();
        let drawn: Vec<_> = cards.iter().map(|c| forward.png(c).unwrap()).collect();
        let backward = Painter::default();
        for (card, png) in cards.iter().zip(&drawn).rev() {
            assert_eq!(&backward.png(card).unwrap(), png, "{}", card.title);
        }
    }

    /// The PNG's pixels as RGB rows.
    fn decoded(png: &[u8]) -> Vec<u8> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        pixels
    }

    #[test]
    fn an_indexed_card_shows_the_pixels_of_the_card_drawn_in_rgb() {
        for title in ["Pentagon says China talks", "中美两军恢复防务热线"] {
            let painter = Painter::default();
            let card = card(title);
            let png = painter.png(&card).unwrap();
            // Colour type 3: a palette.
            assert_eq!(png[25], 3, "{title}");
            let backdrop = painter.backdrop(&card).unwrap().canvas.clone();
            let rgb = painter.draw(backdrop.into_rgb(), &card).png().unwrap();
            assert_eq!(rgb[25], 2, "{title}");
            let (indexed, rgb) = (decoded(&png), decoded(&rgb));
            // Where two glyphs' edges share a pixel, the palette adds their coverage and
            // RGB mixes twice: the two differ by rounding.
            let apart = indexed.iter().zip(&rgb).map(|(a, b)| a.abs_diff(*b)).max();
            assert!(apart <= Some(2), "{title}: {apart:?}");
            // The title is drawn: its band holds dark pixels.
            let row = WIDTH as usize * 3;
            let dark = indexed[262 * row..400 * row]
                .chunks(3)
                .filter(|p| p.iter().map(|&c| u32::from(c)).sum::<u32>() < 3 * 128)
                .count();
            assert!(dark > 2_000, "{title}: {dark}");
        }
    }

    #[test]
    fn the_alt_text_says_what_the_card_shows() {
        assert_eq!(
            card("Talks").alt(),
            "Article: Talks. Reuters · 28 Oct 2020. China–US military channels"
        );
    }
}
