//! Social cards (issue 15): every page's `og:image` is a 1200×630 PNG that the build wrote,
//! announced with its size and alt text, the same bytes on every build, and a Chinese
//! title drawn from glyphs of its own.

use crate::harness::{Site, tags};
use std::collections::BTreeMap;

/// A page's `<meta>` values by `property` or `name`.
fn metas(html: &str) -> BTreeMap<String, String> {
    tags(html)
        .expect("the page's tags parse")
        .into_iter()
        .filter(|t| t.name == "meta" && !t.closing)
        .filter_map(|t| {
            let key = t.attr("property").or_else(|| t.attr("name"))?.to_owned();
            Some((key, t.attr("content")?.to_owned()))
        })
        .collect()
}

/// The PNG's size and its pixels as RGBA rows, whether it is stored with a palette (as
/// cards are) or as RGB or RGBA.
fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::ALPHA);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a buffer size")];
    let info = reader.next_frame(&mut pixels).expect("the PNG decodes");
    assert_eq!(info.color_type, png::ColorType::Rgba);
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

/// Pixels in rows `rows` darker than the card's background: the title's ink.
fn ink(pixels: &[u8], width: u32, rows: std::ops::Range<u32>) -> usize {
    let row = width as usize * 4;
    pixels[rows.start as usize * row..rows.end as usize * row]
        .chunks(4)
        .filter(|p| u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]) < 3 * 128)
        .count()
}

/// Every HTML page of the built site with its card: announced, written and 1200×630.
fn check_every_page(site: &Site, base_url: &str) -> usize {
    let out = site.tree("public");
    let mut pages = 0;
    for (path, bytes) in out.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).expect("UTF-8 page");
        let meta = metas(&html);
        let image = meta
            .get("og:image")
            .unwrap_or_else(|| panic!("{path} has no og:image"));
        let file = image
            .strip_prefix(base_url)
            .unwrap_or_else(|| panic!("{path}: og:image {image} is not under {base_url}"));
        let png = out
            .get(file)
            .unwrap_or_else(|| panic!("{path}: og:image {image} was not written"));
        let (width, height, _) = decode(png);
        assert_eq!((width, height), (1200, 630), "{file}");
        assert_eq!(meta.get("og:image:width").map(String::as_str), Some("1200"));
        assert_eq!(meta.get("og:image:height").map(String::as_str), Some("630"));
        assert_eq!(
            meta.get("og:image:type").map(String::as_str),
            Some("image/png")
        );
        let title = &meta["og:title"];
        let alt = meta.get("og:image:alt").map_or("", String::as_str);
        assert!(
            alt.contains(title.as_str()),
            "{path}: alt {alt:?} names {title:?}"
        );
        assert_eq!(
            meta.get("twitter:card").map(String::as_str),
            Some("summary_large_image"),
            "{path}"
        );
        pages += 1;
    }
    pages
}

#[test]
fn every_page_of_the_bundled_briefing_has_a_card_that_exists_and_is_1200_by_630() {
    let site = Site::bundled();
    site.build().ok();
    let pages = check_every_page(&site, "https://example.github.io/china-us-channels/");
    assert!(pages > 30, "{pages} pages checked");
    // Cards are files of their own, not pages: the sitemap does not list them.
    assert!(!site.output("sitemap.xml").contains(".png"));
}

#[test]
fn cards_are_the_same_bytes_on_every_build_and_differ_between_pages() {
    let cards = || {
        let site = Site::fixture("mini");
        site.build().ok();
        site.tree("public")
            .into_iter()
            .filter(|(p, _)| p.ends_with(".png"))
            .collect::<BTreeMap<_, _>>()
    };
    let first = cards();
    assert!(first.len() > 5, "{:?}", first.keys());
    assert_eq!(first, cards());
    let distinct: std::collections::BTreeSet<&Vec<u8>> = first.values().collect();
    assert_eq!(distinct.len(), first.len(), "each page has its own card");
}

#[test]
fn a_chinese_title_is_drawn_from_glyphs_of_its_own() {
    let site = Site::fixture("zh");
    site.build().ok();
    let mut titles = Vec::new();
    for slug in [
        "qing-shi-he-da-qiao-wan-cheng-jia-gu",
        "qing-shi-shi-shui-wu-ju-zhao-kai-fang-xun-hui-yi",
    ] {
        let page = site.output(&format!("articles/{slug}/index.html"));
        let title = metas(&page)["og:title"].clone();
        assert!(
            title
                .chars()
                .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
        );
        // Every character has a glyph in the card's fonts (no .notdef box, no spelling).
        assert_eq!(gloss::render::card::uncovered(&title), Vec::<char>::new());
        let bytes = std::fs::read(site.path(&format!("public/articles/{slug}/card.png")))
            .expect("the card was written");
        let (width, _, pixels) = decode(&bytes);
        // The title's band holds ink, and two titles draw two different bands.
        let band = 262..520;
        assert!(
            ink(&pixels, width, band.clone()) > 5_000,
            "{slug}: the title is drawn"
        );
        let row = width as usize * 4;
        titles.push(pixels[band.start as usize * row..band.end as usize * row].to_vec());
    }
    assert_ne!(titles[0], titles[1]);
    // The check above can fail: an ideograph outside the fonts is reported.
    assert_eq!(gloss::render::card::uncovered("𠮷野家"), ['𠮷']);
}

#[test]
fn social_cards_can_be_turned_off_in_site_toml() {
    let site = Site::fixture("mini");
    let toml = site.read("site.toml");
    let toml = if toml.contains("[build]") {
        toml.replace("[build]", "[build]\nsocial_cards = false")
    } else {
        format!("{toml}\n[build]\nsocial_cards = false\n")
    };
    site.write("site.toml", &toml);
    site.build().ok();
    let files = site.output_files();
    assert!(files.iter().all(|f| !f.ends_with(".png")), "{files:?}");
    let meta = metas(&site.output("index.html"));
    assert!(!meta.contains_key("og:image"));
    assert_eq!(
        meta.get("twitter:card").map(String::as_str),
        Some("summary")
    );
}

#[test]
fn event_cards_carry_the_event_colour_and_the_others_the_accent_in_one_build() {
    let site = Site::fixture("mini");
    site.build().ok();
    // The bar along the card's top edge, in the middle.
    let bar = |file: &str| {
        let (width, _, pixels) = decode(&std::fs::read(site.path(file)).expect("a card"));
        let at = (5 * width as usize + 600) * 4;
        pixels[at..at + 3].to_vec()
    };
    let events: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("events/") && f.ends_with("/card.png"))
        .filter(|f| f != "events/card.png")
        .collect();
    assert!(events.len() > 1, "{events:?}");
    // The theme's --event and --accent colours (#a43d1c, #1b5a8e).
    for event in &events {
        assert_eq!(
            bar(&format!("public/{event}")),
            [0xa4, 0x3d, 0x1c],
            "{event}"
        );
    }
    for other in [
        "public/card.png",
        "public/events/card.png",
        "public/tags/card.png",
    ] {
        assert_eq!(bar(other), [0x1b, 0x5a, 0x8e], "{other}");
    }
}
