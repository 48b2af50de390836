//! A translation beside the original (issue 20, item 6), on `tests/fixtures/zh/`: the
//! invented flood-meeting article has an English translation, `seeds/flood-meeting.en.txt`,
//! aligned paragraph by paragraph, with one annotation anchored in it.

use crate::harness::{Site, decode_entities, text_of};
use serde_json::Value;

const FLOOD: &str = "articles/qing-shi-shi-shui-wu-ju-zhao-kai-fang-xun-hui-yi/";
const BRIDGE: &str = "articles/qing-shi-he-da-qiao-wan-cheng-jia-gu/";

fn built() -> Site {
    let site = Site::fixture("zh");
    site.build().ok();
    site
}

/// Each row of an article page: its original paragraph's text and its translation's.
fn rows(page: &str) -> Vec<(String, String)> {
    page.split("<div class=\"block-pair\">")
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</div>").expect("the row closes")];
            let (original, translation) = row
                .split_once("class=\"block-text block-translation")
                .expect("a translated paragraph in the row");
            let inner = |html: &str| {
                let start = html.find('>').expect("a tag") + 1;
                let end = html.rfind("</").expect("a closing tag");
                decode_entities(&text_of(&html[start..end]))
            };
            let original = &original[original.find("class=\"block-text\"").expect("original")..];
            (inner(original), inner(translation))
        })
        .collect()
}

/// The opening tag of the paragraph of the article's text that holds `needle`.
fn paragraph_tag<'a>(page: &'a str, needle: &str) -> &'a str {
    // The text can also be in the head, in a description.
    let body = page
        .find("class=\"article-text\"")
        .expect("the article's text");
    let at = body
        + page[body..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not on the page"));
    let start = page[..at].rfind("<p ").expect("a paragraph");
    &page[start..start + page[start..].find('>').expect("tag end")]
}

#[test]
fn the_translation_is_aligned_beside_each_original_paragraph() {
    let site = built();
    let page = site.output(&format!("{FLOOD}index.html"));
    let rows = rows(&page);
    // The translation has a paragraph for every paragraph of the seed; the seed's first one
    // is the title, so both lose their first, and the translated title is shown under it.
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows[0].0.starts_with("青石市水务局局长林晓舟表示"),
        "{rows:?}"
    );
    assert!(
        rows[0].1.starts_with("Lin Xiaozhou, director of"),
        "{rows:?}"
    );
    assert!(rows[1].0.starts_with("林晓舟说") && rows[1].1.starts_with("Lin Xiaozhou said"));
    assert!(rows[2].0.starts_with("会后") && rows[2].1.starts_with("After the meeting"));
    assert!(page.contains(
        "<p class=\"title-translation\" lang=\"en\">Qingshi Water Bureau holds a flood-prevention meeting</p>"
    ));
    // Each text carries its own language.
    assert!(paragraph_tag(&page, "今年汛期").contains("lang=\"zh\""));
    assert!(paragraph_tag(&page, "flood season would come early").contains("lang=\"en\""));
    // An article without a translation is shown as before.
    let bridge = site.output(&format!("{BRIDGE}index.html"));
    assert!(!bridge.contains("block-pair") && !bridge.contains("block-translation"));
}

#[test]
fn text_rules_leave_out_the_same_paragraphs_of_the_translation() {
    let site = Site::fixture("zh");
    site.write(
        "seeds/bridge.en.txt",
        "The Qingshi River bridge is reinforced\n\nDeputy mayor Zhou Mingyuan inspected the bridge.\n\nThe two bureaus issued a notice.\n",
    );
    site.write(
        "content/articles/bridge.yaml",
        "language: zh-Hans\npublished: 2031-04-09\ntext:\n  drop: [青石市水务局和青石市交通局共同发布了通告。]\n",
    );
    site.build().ok();
    let page = site.output(&format!("{BRIDGE}index.html"));
    let rows = rows(&page);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].0.starts_with("副市长周明远"), "{rows:?}");
    assert_eq!(
        rows[0].1,
        "Deputy mayor Zhou Mingyuan inspected the bridge."
    );
    assert!(!page.contains("The two bureaus issued a notice."));
    assert_eq!(
        site.output(&format!("{BRIDGE}source.en.txt")),
        "Deputy mayor Zhou Mingyuan inspected the bridge."
    );
}

#[test]
fn a_translation_that_does_not_line_up_is_reported_at_its_line() {
    let site = Site::fixture("zh");
    // A paragraph split in two: five paragraphs where the seed has four.
    site.replace(
        "seeds/flood-meeting.en.txt",
        "would come early. The Water",
        "would come early.\n\nThe Water",
    );
    let (diags, code) = site.check_json();
    assert_ne!(code, 0);
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "one mistake, one error: {diags:?}");
    let d = errors[0];
    assert_eq!(d.code, "translation-mismatch");
    assert_eq!(d.file.as_deref(), Some("seeds/flood-meeting.en.txt"));
    // The first paragraph past the four the seed has.
    assert_eq!(d.line, Some(9), "{d:?}");
    assert!(d.message.contains("5 paragraphs"), "{}", d.message);
    let help = d.help.as_deref().unwrap_or_default();
    assert!(
        help.contains("blank lines") && help.contains("2) Lin Xiaozhou, director"),
        "{help}"
    );
    assert_ne!(site.build().code, 0);
}

#[test]
fn an_annotation_anchors_in_the_translation() {
    let site = built();
    let page = site.output(&format!("{FLOOD}index.html"));
    let mark = "<mark class=\"hl hl-fact\" data-ann=\"embankments\" id=\"embankments\"";
    assert!(page.contains(mark), "no highlight in the translation");
    assert!(paragraph_tag(&page, mark).contains("block-translation"));
    let at = page.find(mark).expect("mark");
    let end = at + page[at..].find("</mark>").expect("mark closes");
    assert_eq!(
        text_of(&page[at..end + "</mark>".len()]),
        "The Water Bureau has finished inspecting every embankment."
    );
    // Its note sits with the paragraph's notes and says where the passage is.
    let note = &page[page.find("id=\"note-embankments\"").expect("the note")..];
    assert!(note[..note.find("</summary>").expect("summary")].contains("in the translation"));
}

#[test]
fn a_mistyped_quote_in_the_translation_names_its_closest_passage() {
    let site = Site::fixture("zh");
    site.replace(
        "content/articles/flood-meeting.yaml",
        "finished inspecting every embankment.",
        "finished inspecting all the embankments.",
    );
    let (diags, _) = site.check_json();
    let d = diags
        .iter()
        .find(|d| d.code == "anchor-not-found")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert!(
        d.message.contains("seeds/flood-meeting.en.txt"),
        "{}",
        d.message
    );
    let help = d.help.as_deref().unwrap_or_default();
    assert!(
        help.contains("seeds/flood-meeting.en.txt:3")
            && help.contains("The Water Bureau has finished inspecting every embankment."),
        "{help}"
    );

    // `in: translation` where there is none says where the translation would go.
    let site = Site::fixture("zh");
    site.append(
        "content/articles/bridge.yaml",
        "annotations:\n  - id: x\n    in: translation\n    quote: bridge\n",
    );
    let (diags, _) = site.check_json();
    let d = diags
        .iter()
        .find(|d| d.message.contains("has no translation"))
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(d.file.as_deref(), Some("content/articles/bridge.yaml"));
    assert!(
        d.help
            .as_deref()
            .unwrap_or_default()
            .contains("seeds/bridge.<language>.txt")
    );
}

#[test]
fn mentions_are_found_in_both_texts() {
    let site = built();
    let page = site.output(&format!("{FLOOD}index.html"));
    // Marked as a mention (linked the first time the article names him, plain after).
    let in_translation = page
        .split("block-translation")
        .skip(1)
        .filter(|p| {
            let p = &p[..p.find("</p>").unwrap_or(p.len())];
            p.contains(" id=\"m") && p.contains(">Lin Xiaozhou</")
        })
        .count();
    assert_eq!(
        in_translation, 3,
        "Lin Xiaozhou in every translated paragraph"
    );
    // The entity page quotes the translation's sentence beside the original's.
    let entity = decode_entities(&site.output("entities/lin-xiaozhou/index.html"));
    assert!(entity.contains("<strong>Lin Xiaozhou</strong>, director of the Qingshi Water Bureau"));
    assert!(entity.contains("局长<strong>林晓舟</strong>表示"));
}

#[test]
fn the_export_targets_the_text_that_was_annotated() {
    let site = built();
    let doc: Value = serde_json::from_str(&site.output("annotations.jsonld")).expect("JSON");
    let items = doc["first"]["items"].as_array().expect("items");
    let item = |id: &str| {
        items
            .iter()
            .find(|i| {
                i["id"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(&format!("#{id}")))
            })
            .unwrap_or_else(|| panic!("no annotation {id}"))
    };
    let base = format!("https://example.org/qingshi/{FLOOD}");
    let text_target = |id: &str| item(id)["target"][0].clone();

    let t = text_target("embankments");
    assert_eq!(t["source"], format!("{base}source.en.txt"));
    let file = site.output(&format!("{FLOOD}source.en.txt"));
    let exact = t["selector"][0]["exact"].as_str().expect("exact");
    assert_eq!(
        exact,
        "The Water Bureau has finished inspecting every embankment."
    );
    let (start, end) = (
        t["selector"][1]["start"].as_u64().expect("start") as usize,
        t["selector"][1]["end"].as_u64().expect("end") as usize,
    );
    let chars: Vec<char> = file.chars().collect();
    assert_eq!(chars[start..end].iter().collect::<String>(), exact);
    let translation = site.read("seeds/flood-meeting.en.txt");
    assert_eq!(t["gloss:sha256"], sha256(&translation));
    // The page target finds it in the page's text, like any other.
    assert_eq!(item("embankments")["target"][1]["source"], base);
    assert_eq!(
        item("embankments")["target"][1]["selector"][0]["exact"],
        exact
    );

    // A passage of the original still targets the original's text.
    let t = text_target("worst-case");
    assert_eq!(t["source"], format!("{base}source.txt"));
    assert_eq!(
        t["gloss:sha256"],
        sha256(&site.read("seeds/flood-meeting.txt"))
    );
}

#[test]
fn the_link_into_the_original_lands_on_the_original_paragraph() {
    let site = Site::fixture("zh");
    site.replace(
        "content/articles/flood-meeting.yaml",
        "published: 2031-04-02",
        "url: https://example.org/news/flood\npublished: 2031-04-02",
    );
    site.build().ok();
    let page = site.output(&format!("{FLOOD}index.html"));
    let note = &page[page.find("id=\"note-embankments\"").expect("note")..];
    let href = note
        .split("class=\"note-source\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a link into the original");
    let href = decode_entities(href);
    let decoded = percent_encoding::percent_decode_str(&href).decode_utf8_lossy();
    assert!(
        decoded.starts_with("https://example.org/news/flood#:~:text="),
        "{decoded}"
    );
    // The Chinese paragraph the translated passage renders, not the English words.
    assert!(decoded.contains("青石市水务局局长林晓舟"), "{decoded}");
    assert!(!decoded.contains("Water Bureau"), "{decoded}");
}

#[test]
fn a_translation_is_not_an_article_of_its_own() {
    let site = Site::fixture("zh");
    let (diags, code) = site.check_json();
    assert_eq!(code, 0, "{diags:?}");
    assert!(
        !diags
            .iter()
            .any(|d| d.message.contains("flood-meeting.en.txt")),
        "{diags:?}"
    );
    site.build().ok();
    let articles: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("articles/") && f.ends_with("/index.html"))
        .collect();
    assert_eq!(
        articles.len(),
        4,
        "three articles and the list: {articles:?}"
    );

    // A tag that is no language makes it a seed; the warning says how to name a translation.
    site.write("seeds/bridge.english.txt", "The bridge\n\nText.\n");
    let (diags, _) = site.check_json();
    let d = diags
        .iter()
        .find(|d| d.code == "missing-annotation-file")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert!(
        d.help
            .as_deref()
            .unwrap_or_default()
            .contains("bridge.en.txt"),
        "{d:?}"
    );
}

fn sha256(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
