//! Chinese, Japanese and Korean text (issue 20): mentions without word boundaries, full-width
//! punctuation in quotes, readable slugs, and the language of the text marked on the page,
//! on `tests/fixtures/zh/` — an invented town, its bureaus and officials.

use crate::harness::{Site, highlights};

const FLOOD: &str = "articles/qing-shi-shi-shui-wu-ju-zhao-kai-fang-xun-hui-yi/index.html";
const BRIDGE: &str = "articles/qing-shi-he-da-qiao-wan-cheng-jia-gu/index.html";
const REPORT: &str = "articles/qingshi-water-bureau-warns-of-an-early-flood-season/index.html";

fn built() -> Site {
    let site = Site::fixture("zh");
    site.build().ok();
    site
}

/// The mention and article counts an entity page states.
fn counts(site: &Site, entity: &str) -> (usize, usize) {
    let page = site.output(&format!("entities/{entity}/index.html"));
    let count = |unit: &str| {
        let end = page
            .find(&format!("</strong> {unit}"))
            .unwrap_or_else(|| panic!("no {unit} count on {entity}'s page"));
        let start = page[..end].rfind("<strong>").expect("<strong>") + "<strong>".len();
        page[start..end].parse().expect("a number")
    };
    (count("mention"), count("article"))
}

#[test]
fn every_alias_is_found_in_chinese_and_english_text() {
    let site = built();
    // 林晓舟 twice in the Chinese article, `Lin Xiaozhou` once in it, three times in its
    // English translation and once in the English article: both scripts lead to one entity page.
    assert_eq!(counts(&site, "lin-xiaozhou"), (7, 2));
    assert_eq!(counts(&site, "zhou-mingyuan"), (6, 3));
    assert_eq!(counts(&site, "transport-bureau"), (1, 1));
    // Leftmost-longest: every 青石市 in the Chinese text starts 青石市水务局 or 青石市交通局,
    // so the town itself is mentioned only by `Qingshi` in the English article.
    assert_eq!(counts(&site, "qingshi"), (1, 1));
    let lin = site.output("entities/lin-xiaozhou/index.html");
    for article in [FLOOD, REPORT] {
        let url = format!("/qingshi/{}", article.trim_end_matches("index.html"));
        assert!(lin.contains(&url), "{url} not listed");
    }
}

#[test]
fn chinese_titles_give_readable_distinct_slugs() {
    let site = built();
    let files = site.output_files();
    for page in [FLOOD, BRIDGE, REPORT] {
        assert!(files.iter().any(|f| f == page), "{page} in {files:?}");
    }
    assert!(!files.iter().any(|f| f.contains("untitled")), "{files:?}");

    // A second article with the same title is still a reported collision.
    let site = Site::fixture("zh");
    site.write("seeds/bridge-again.txt", "青石河大桥完成加固\n\n另一篇。\n");
    let (diags, code) = site.check_json();
    assert_ne!(code, 0);
    assert!(
        diags.iter().any(|d| d.code == "slug-collision"
            && d.message.contains("qing-shi-he-da-qiao-wan-cheng-jia-gu")),
        "{diags:?}"
    );
}

#[test]
fn quotes_typed_with_ascii_punctuation_anchor_on_the_original_characters() {
    let site = built();
    let page = site.output(FLOOD);
    let marks = highlights(&page);
    let text = |id: &str| {
        marks
            .iter()
            .find(|h| h.id == id)
            .map(|h| h.text.clone())
            .unwrap_or_else(|| panic!("no highlight {id} in {marks:?}"))
    };
    assert_eq!(text("worst-case"), "林晓舟说：“我们必须做好最坏的准备。”");
    assert_eq!(text("early-season"), "今年汛期将提前到来。");
    assert_eq!(text("emergency-role"), "（周明远同时负责应急工作）");
}

#[test]
fn a_mistyped_chinese_quote_names_the_passage_it_meant() {
    let site = Site::fixture("zh");
    site.replace(
        "content/articles/flood-meeting.yaml",
        "做好最坏的准备",
        "做好最好的准备",
    );
    let (diags, code) = site.check_json();
    assert_ne!(code, 0);
    let d = diags
        .iter()
        .find(|d| d.code == "anchor-not-found")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(
        d.file.as_deref(),
        Some("content/articles/flood-meeting.yaml")
    );
    let help = d.help.as_deref().unwrap_or_default();
    assert!(
        help.contains("seeds/flood-meeting.txt:5") && help.contains("我们必须做好最坏的准备"),
        "{help}"
    );
}

#[test]
fn the_language_of_the_text_is_marked() {
    let site = built();
    let flood = site.output(FLOOD);
    assert!(flood.contains("<h1 lang=\"zh\">"));
    assert!(flood.contains("<p lang=\"zh\" class=\"block-text\">"));
    assert!(flood.contains("\"inLanguage\":\"zh\""));
    // The English note keeps the site's language; its Chinese term is marked.
    assert!(flood.contains("The phrase <span lang=\"zh\">最坏的准备</span> (“preparing"));
    let bridge = site.output(BRIDGE);
    assert!(bridge.contains("<p lang=\"zh-Hans\" class=\"block-text\">"));
    assert!(bridge.contains("\"inLanguage\":\"zh-Hans\""));
    // Without `language:` an article is in the site's language.
    let report = site.output(REPORT);
    assert!(!report.contains(" lang=\"zh"));
    assert!(report.contains("\"inLanguage\":\"en\""));
    let css = site.tree("public");
    let css = css
        .iter()
        .find(|(name, _)| name.ends_with(".css") && !name.starts_with("pagefind"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .expect("a stylesheet");
    for font in [
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "PingFang SC",
        "Microsoft YaHei",
    ] {
        assert!(css.contains(font), "{font}");
    }
}

#[test]
fn a_language_that_is_no_tag_is_reported_at_its_line() {
    let site = Site::fixture("zh");
    site.replace(
        "content/articles/flood-meeting.yaml",
        "language: zh",
        "language: \"zh\\\"><script>\"",
    );
    let (diags, code) = site.check_json();
    assert_ne!(code, 0);
    assert!(
        diags.iter().any(|d| d.code == "invalid-value"
            && d.file.as_deref() == Some("content/articles/flood-meeting.yaml")
            && d.line == Some(1)
            && d.help
                .as_deref()
                .is_some_and(|h| h.contains("BCP 47") || h.contains("language tag"))),
        "{diags:?}"
    );
}

#[test]
fn search_indexes_each_article_in_its_own_language() {
    let site = built();
    // Pagefind keeps one index per language, with word segmentation for Chinese.
    let entry = site.output("pagefind/pagefind-entry.json");
    let entry: serde_json::Value = serde_json::from_str(&entry).expect("entry JSON");
    let languages = entry["languages"].as_object().expect("languages");
    let mut names: Vec<&str> = languages.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["en", "zh"], "{entry}");
    // Two Chinese articles (`zh`, `zh-Hans`); the English one, entities and pages in `en`.
    assert_eq!(languages["zh"]["page_count"], 2, "{entry}");
    // The search page (in the site's language) merges the Chinese index too.
    let search = site.output("search/index.html");
    assert!(
        search.contains(r#"data-languages="pagefind/=zh""#),
        "{search}"
    );
}

#[test]
fn the_feed_marks_a_title_in_another_language() {
    let site = built();
    let feed = site.output("feed.xml");
    assert!(
        feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\""),
        "{feed}"
    );
    assert!(
        feed.contains(r#"xml:lang="zh">青石市水务局召开防汛会议</title>"#),
        "{feed}"
    );
    assert!(
        feed.contains(r#"xml:lang="zh-Hans">青石河大桥完成加固</title>"#),
        "{feed}"
    );
    assert!(
        feed.contains(">Qingshi Water Bureau warns of an early flood season</title>"),
        "{feed}"
    );
}
