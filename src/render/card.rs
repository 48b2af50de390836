//! Social cards: each page's `og:image`, a 1200×630 PNG with the page's kind, title, date
//! and the briefing's name, drawn as SVG and rasterized by resvg. Text is set by
//! `card_fonts` as outlines from fonts compiled in, so every machine draws the same bytes.

use super::card_fonts::{Face, Run, set};
use crate::html::escape;
use crate::routes;
use std::fmt::Write as _;

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
const BG: &str = "#fbfaf6";
const TEXT: &str = "#1c1d21";
const TEXT_2: &str = "#575b63";
const LINE: &str = "#e3dfd4";
const ACCENT: &str = "#1b5a8e";
const EVENT: &str = "#a43d1c";
const HIGHLIGHT: &str = "#f5c542";

const MARGIN: f32 = 84.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;
/// Title sizes tried from the largest, each with the most lines it may take.
const TITLE_SIZES: [(f32, usize); 5] = [(68.0, 3), (60.0, 3), (54.0, 4), (48.0, 4), (44.0, 4)];

/// The card as SVG: glyph outlines only, no `<text>`, so nothing depends on fonts.
pub fn svg(card: &CardText) -> String {
    let accent = if card.event { EVENT } else { ACCENT };
    let mut s = String::with_capacity(64 * 1024);
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
    one_line(
        &mut s,
        &card.site,
        Face::SansBold,
        26.0,
        MARGIN + 48.0,
        100.0,
        TEXT_2,
    );

    // The kind, in small capitals' spirit: upper case, spaced, in the accent colour.
    let kind = card.kind.to_uppercase();
    let kind_run = set(&kind, Face::SansBold, 22.0).tracked(2.5);
    let kind_y = 196.0;
    let _ = write!(
        s,
        r#"<rect x="{MARGIN}" y="{}" width="36" height="4" fill="{accent}"/>"#,
        kind_y - 8.0
    );
    path(
        &mut s,
        &kind_run.path(0..kind_run.glyphs.len(), MARGIN + 52.0, kind_y),
        accent,
    );

    // The title, as large as fits, ending in an ellipsis if even the smallest size is short.
    let (run, lines, size) = title_lines(&card.title);
    let leading = size * 1.18;
    let mut y = 262.0 + size * 0.8;
    for (i, line) in lines.iter().enumerate() {
        let last = i + 1 == lines.len();
        let cut = last && line.end < run.glyphs.len();
        let d = if cut {
            let mut end = line.end;
            let mut tail = run.with_tail(line.start..end, "…");
            while end > line.start + 1 && tail.total_width() > TEXT_WIDTH {
                end -= 1;
                tail = run.with_tail(line.start..end, "…");
            }
            tail.path(0..tail.glyphs.len(), MARGIN, y)
        } else {
            run.path(line.clone(), MARGIN, y)
        };
        path(&mut s, &d, TEXT);
        y += leading;
    }

    // The foot: a rule, the detail line on the left, where the briefing lives on the right.
    let foot = 570.0;
    let _ = write!(
        s,
        r#"<rect x="{MARGIN}" y="{}" width="{TEXT_WIDTH}" height="2" fill="{LINE}"/>"#,
        foot - 46.0
    );
    let host = set(&card.host, Face::Sans, 24.0);
    let host_width = host.total_width().min(TEXT_WIDTH / 3.0);
    let host_x = WIDTH as f32 - MARGIN - host_width;
    if host.total_width() <= TEXT_WIDTH / 3.0 {
        path(
            &mut s,
            &host.path(0..host.glyphs.len(), host_x, foot),
            TEXT_2,
        );
    }
    let detail_width = TEXT_WIDTH - host_width - 40.0;
    fitted_line(&mut s, &card.detail, detail_width, MARGIN, foot, TEXT_2);
    s.push_str("</svg>");
    s
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

/// The card as PNG bytes.
pub fn png(card: &CardText) -> Result<Vec<u8>, String> {
    let tree = resvg::usvg::Tree::from_str(&svg(card), &resvg::usvg::Options::default())
        .map_err(|e| e.to_string())?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("the card's size is not drawable")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
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

/// One line of text as it is.
fn one_line(s: &mut String, text: &str, face: Face, size: f32, x: f32, y: f32, fill: &str) {
    let run = set(text, face, size);
    let lines = run.lines(WIDTH as f32 - MARGIN - x);
    if let Some(first) = lines.first() {
        let d = if lines.len() > 1 {
            let cut = run.with_tail(first.clone(), "…");
            cut.path(0..cut.glyphs.len(), x, y)
        } else {
            run.path(first.clone(), x, y)
        };
        path(s, &d, fill);
    }
}

/// One line of detail text, cut with an ellipsis to `width`.
fn fitted_line(s: &mut String, text: &str, width: f32, x: f32, y: f32, fill: &str) {
    let run = set(text, Face::Sans, 26.0);
    if run.total_width() <= width {
        path(s, &run.path(0..run.glyphs.len(), x, y), fill);
        return;
    }
    let mut end = run.glyphs.len();
    let mut cut = run.with_tail(0..end, "…");
    while end > 1 && cut.total_width() > width {
        end -= 1;
        cut = run.with_tail(0..end, "…");
    }
    path(s, &cut.path(0..cut.glyphs.len(), x, y), fill);
}

fn path(s: &mut String, d: &str, fill: &str) {
    if !d.is_empty() {
        let _ = write!(s, r#"<path fill="{}" d="{}"/>"#, escape(fill), d);
    }
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
    fn the_alt_text_says_what_the_card_shows() {
        assert_eq!(
            card("Talks").alt(),
            "Article: Talks. Reuters · 28 Oct 2020. China–US military channels"
        );
    }
}
