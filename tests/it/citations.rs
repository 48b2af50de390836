//! Issue 19, item 3: every article and every annotation can be cited. Article pages show
//! each in Chicago and APA style with BibTeX, RIS and CSL-JSON downloads, and the briefing
//! has `citations.bib` and `citations.json` with every reference. (`tests/citations/`
//! loads the same files with pybtex, citeproc-py and rispy.)

use crate::harness::{Site, select, text};
use scraper::Html;
use serde_json::Value;
use std::collections::BTreeSet;

const PAGE: &str = "articles/port-and-river-agencies-agree-to-share-flood-warnings/index.html";
const ARTICLE_KEY: &str = "port-and-river-agencies-agree-to-share-flood-warnings";

/// The keys of a BibTeX file's entries, in order.
fn bib_keys(bib: &str) -> Vec<String> {
    bib.lines()
        .filter_map(|l| l.strip_prefix('@'))
        .filter_map(|l| l.split_once('{'))
        .map(|(_, rest)| rest.trim_end_matches(',').to_owned())
        .collect()
}

/// A Cite control: (summary, Chicago, APA, download hrefs).
fn cite_controls(page: &str) -> Vec<(String, String, String, Vec<String>)> {
    let doc = Html::parse_document(page);
    select(&doc, "details.cite")
        .iter()
        .map(|d| {
            let inner = Html::parse_fragment(&d.html());
            let dd = select(&inner, "dd");
            (
                text(&select(&inner, "summary")[0]),
                text(&dd[0]),
                text(&dd[1]),
                select(&inner, ".cite-files a")
                    .iter()
                    .map(|a| a.attr("href").expect("href").to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn every_article_and_annotation_is_cited_in_chicago_and_apa_with_three_downloads() {
    let site = Site::fixture("tiny");
    site.build().ok();
    let controls = cite_controls(&site.output(PAGE));
    // Three annotations, then the article.
    assert_eq!(controls.len(), 4, "{controls:#?}");
    let (summary, chicago, apa, files) = &controls[3];
    assert_eq!(summary, "Cite this article");
    assert_eq!(
        chicago,
        "Ines Varga. “Port and River Agencies Agree to Share Flood Warnings.” Lowmoor Gazette, February 15, 2024. https://lowmoor-gazette.example/2024/02/flood-warnings."
    );
    assert_eq!(
        apa,
        "Ines Varga. (2024, February 15). Port and river agencies agree to share flood warnings. Lowmoor Gazette. https://lowmoor-gazette.example/2024/02/flood-warnings"
    );
    let prefix = "/flood-desk/";
    assert_eq!(
        files,
        &["bib", "ris", "json"].map(|ext| format!("{prefix}cite/{ARTICLE_KEY}.{ext}"))
    );

    let (summary, chicago, _, files) = &controls[0];
    assert_eq!(summary, "Cite note 1");
    assert!(
        chicago.starts_with(
            "Lowmoor Flood Desk. “Fact: signed an agreement on Tuesday to share flood warnings.”"
        ) && chicago.ends_with(
            "/flood-desk/articles/port-and-river-agencies-agree-to-share-flood-warnings/#agreement."
        ),
        "{chicago}"
    );
    let key = format!("{ARTICLE_KEY}--agreement");
    let bib = site.output(&format!("cite/{key}.bib"));
    assert_eq!(bib_keys(&bib), std::slice::from_ref(&key));
    assert!(bib.starts_with(&format!("@misc{{{key},")), "{bib}");
    for href in files {
        let rel = href.strip_prefix(prefix).expect("under the base path");
        assert!(site.path(&format!("public/{rel}")).is_file(), "{href}");
    }

    // The article's own files, field by field.
    let bib = site.output(&format!("cite/{ARTICLE_KEY}.bib"));
    for field in [
        &format!("@article{{{ARTICLE_KEY},") as &str,
        "author = {{Ines Varga}},",
        "journal = {Lowmoor Gazette},",
        "year = {2024},",
        "url = {https://lowmoor-gazette.example/2024/02/flood-warnings},",
    ] {
        assert!(bib.contains(field), "{field} in\n{bib}");
    }
    let ris = site.output(&format!("cite/{ARTICLE_KEY}.ris"));
    for line in [
        "TY  - NEWS",
        "AU  - Ines Varga",
        "T2  - Lowmoor Gazette",
        "PY  - 2024",
        "DA  - 2024/02/15/",
        "ER  - ",
    ] {
        assert!(ris.lines().any(|l| l == line), "{line} in\n{ris}");
    }
    let json: Value = serde_json::from_str(&site.output(&format!("cite/{ARTICLE_KEY}.json")))
        .expect("CSL-JSON parses");
    assert_eq!(json[0]["id"], ARTICLE_KEY);
    assert_eq!(json[0]["type"], "article-newspaper");
    assert_eq!(
        json[0]["issued"]["date-parts"],
        serde_json::json!([[2024, 2, 15]])
    );
    assert_eq!(
        json[0]["author"],
        serde_json::json!([{"literal": "Ines Varga"}])
    );
}

#[test]
fn the_briefing_files_hold_every_reference_once_under_the_keys_the_pages_show() {
    let site = Site::bundled();
    site.build().ok();
    let bib_keys = bib_keys(&site.output("citations.bib"));
    let json: Value =
        serde_json::from_str(&site.output("citations.json")).expect("CSL-JSON parses");
    let json_keys: Vec<String> = json
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i["id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(bib_keys, json_keys);
    let unique: BTreeSet<&String> = bib_keys.iter().collect();
    assert_eq!(unique.len(), bib_keys.len(), "keys repeat: {bib_keys:?}");

    // Every article and every annotation of the briefing is there, and its page shows it.
    let mut shown = Vec::new();
    for file in site.output_files() {
        if file.starts_with("articles/")
            && file.ends_with("/index.html")
            && file != "articles/index.html"
        {
            let doc = Html::parse_document(&site.output(&file));
            let articles = select(&doc, "article.article").len();
            let notes = select(&doc, "li.note").len();
            let keys: Vec<String> = select(&doc, "details.cite .cite-key code")
                .iter()
                .map(text)
                .collect();
            assert_eq!(keys.len(), articles + notes, "{file}");
            shown.extend(keys);
        }
    }
    let shown: BTreeSet<&String> = shown.iter().collect();
    assert_eq!(shown, unique);
    assert!(bib_keys.len() > 60, "{}", bib_keys.len());
}

#[test]
fn reserved_characters_are_escaped_for_tex_and_html_and_ris_stays_on_one_line() {
    let site = Site::fixture("tiny");
    let articles = "content/articles/harbour.yaml";
    site.replace(
        articles,
        "title: Port and river agencies agree to share flood warnings",
        "title: 'Floods: {warnings} at 50% & rising <b>now</b> \\ more'\nslug: floods",
    );
    site.replace(
        articles,
        "author: Ines Varga",
        "author: \"Varga &\\n Sons\"",
    );
    site.build().ok();
    let bib = site.output("cite/floods.bib");
    assert!(
        bib.contains("title = {Floods: \\{warnings\\} at 50\\% \\& rising <b>now</b> \\\\ more},"),
        "{bib}"
    );
    let ris = site.output("cite/floods.ris");
    assert!(ris.lines().any(|l| l == "AU  - Varga & Sons"), "{ris}");
    let json: Value =
        serde_json::from_str(&site.output("cite/floods.json")).expect("CSL-JSON parses");
    assert_eq!(
        json[0]["title"],
        "Floods: {warnings} at 50% & rising <b>now</b> \\ more"
    );
    let page = site.output("articles/floods/index.html");
    let doc = Html::parse_document(&page);
    assert!(select(&doc, ".cite b").is_empty(), "markup from a title");
    let chicago = text(&select(&doc, "details.cite dd")[6]);
    assert!(
        chicago.contains("<b>Now</b>") || chicago.contains("<b>now</b>"),
        "{chicago}"
    );
}

/// A quote that ends in a full stop is cited with that one stop, not a second from the
/// style (the bundled briefing's `gt-mod-announces-crisis-talks` showed `facts..”`).
#[test]
fn a_quote_ending_in_a_full_stop_is_cited_with_one() {
    let site = Site::bundled();
    site.build().ok();
    let page = site.output("articles/gt-mod-announces-crisis-talks/index.html");
    let controls = cite_controls(&page);
    let quoted = controls
        .iter()
        .filter(|(_, chicago, _, _)| chicago.contains("with solid facts.”"))
        .count();
    assert_eq!(quoted, 1, "{controls:#?}");
    for (_, chicago, apa, _) in &controls {
        assert!(!chicago.contains("..”"), "{chicago}");
        assert!(!apa.contains("..") && !apa.contains(".. "), "{apa}");
    }
    let doc = Html::parse_document(&page);
    for dd in select(&doc, "details.cite dd") {
        assert!(!dd.html().contains(".</i>."), "{}", dd.html());
    }
}
