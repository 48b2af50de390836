//! Issue 19: claims across outlets (the `claims/` page and its schema.org markup), sources a
//! reader can verify (hashes on pages and in exports), and the `seeds.lock` stealth-edit
//! report of `gloss check`.

use crate::harness::{Diag, Site, select, text};
use scraper::Html;
use serde_json::Value;
use std::sync::OnceLock;

/// The bundled briefing, built once for the tests that only read its output. Only the
/// output is kept: a site held in a static is never dropped, which left its temporary
/// folder behind after every run.
fn bundled_output(rel: &str) -> String {
    static OUTPUT: OnceLock<std::collections::BTreeMap<String, Vec<u8>>> = OnceLock::new();
    let files = OUTPUT.get_or_init(|| {
        let site = Site::bundled();
        site.build().ok();
        site.tree("public")
    });
    let bytes = files
        .get(rel)
        .unwrap_or_else(|| panic!("no {rel} in the output"));
    String::from_utf8(bytes.clone()).expect("UTF-8")
}

/// Every JSON-LD block of a page, parsed.
fn json_ld(page: &str) -> Vec<Value> {
    let doc = Html::parse_document(page);
    select(&doc, "script[type='application/ld+json']")
        .iter()
        .map(|s| serde_json::from_str(&s.inner_html()).expect("JSON-LD parses"))
        .collect()
}

/// The `@graph` items of the claims page's JSON-LD.
fn claim_items() -> Vec<Value> {
    let blocks = json_ld(&bundled_output("claims/index.html"));
    let graph = blocks
        .iter()
        .find_map(|b| b.get("@graph"))
        .expect("the claims page has a @graph");
    graph.as_array().expect("@graph is a list").clone()
}

/// The `Claim` with this anchor, inside a `ClaimReview` or alone.
fn claim(items: &[Value], anchor: &str) -> (Value, Option<Value>) {
    for item in items {
        let (claim, review) = match item["@type"].as_str() {
            Some("ClaimReview") => (item["itemReviewed"].clone(), Some(item.clone())),
            _ => (item.clone(), None),
        };
        if claim["@id"]
            .as_str()
            .is_some_and(|id| id.ends_with(&format!("#{anchor}")))
        {
            return (claim, review);
        }
    }
    panic!("no claim #{anchor} in the claims page's JSON-LD");
}

#[test]
fn one_claim_carried_by_several_outlets_is_one_row_first_appearance_first() {
    let page = bundled_output("claims/index.html");
    let doc = Html::parse_document(&page);
    let rows = select(&doc, "tr#claim-military-channels-restored");
    assert_eq!(rows.len(), 1, "one row for the shared claim");
    let row = &rows[0];
    let outlets: Vec<String> = select(&doc, "tr#claim-military-channels-restored .ap-outlet a")
        .iter()
        .map(text)
        .collect();
    // Ukrinform (1 December 2023) carried it before the Global Times (22 December 2023).
    assert_eq!(outlets, ["Ukrinform", "Ukrinform", "Global Times"]);
    let speakers: Vec<String> = select(
        &doc,
        "tr#claim-military-channels-restored .claim-speakers a",
    )
    .iter()
    .map(text)
    .collect();
    assert_eq!(speakers, ["Wu Qian", "Liu Zhenli"]);
    assert!(row.value().classes().any(|c| c == "is-shared"));
    // Lone claims are rows too: every claim, statement and dispute is on the page.
    assert!(
        select(&doc, "tr.claim-row").len() > 20,
        "every claim, statement and dispute has a row"
    );
    // The analyst's verdict is shown with its rating.
    let verdict = select(&doc, "tr#claim-004_1c40dc7da41a06bc-kirby-garbled .verdict");
    assert_eq!(verdict.iter().map(text).collect::<Vec<_>>(), ["Misquoted"]);
    // The page is reachable from every page's navigation.
    let home = bundled_output("index.html");
    assert!(home.contains("href=\"/claims/\"") || home.contains("claims/\""));
}

#[test]
fn claims_carry_schema_org_claim_and_claim_review() {
    let items = claim_items();
    let (shared, review) = claim(&items, "claim-military-channels-restored");
    assert!(review.is_none(), "no verdict, so no ClaimReview");
    assert_eq!(shared["@type"], "Claim");
    let appearances = shared["appearance"].as_array().expect("appearance list");
    assert_eq!(appearances.len(), 3);
    assert_eq!(shared["firstAppearance"], appearances[0]);
    assert_eq!(appearances[0]["datePublished"], "2023-12-01");
    assert_eq!(appearances[0]["publisher"]["name"], "Ukrinform");
    assert_eq!(appearances[2]["publisher"]["name"], "Global Times");
    assert!(
        appearances[0]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://") && u.ends_with("#restore-at-all-levels")),
        "{}",
        appearances[0]["url"]
    );
    assert_eq!(shared["author"]["@type"], "Person");
    assert_eq!(shared["author"]["name"], "Wu Qian");

    let (kirby, review) = claim(&items, "claim-004_1c40dc7da41a06bc-kirby-garbled");
    let review = review.expect("a verdict gives a ClaimReview");
    assert_eq!(review["claimReviewed"], kirby["text"]);
    let rating = &review["reviewRating"];
    assert_eq!(rating["@type"], "Rating");
    assert_eq!(rating["alternateName"], "Misquoted");
    assert!(
        rating.get("ratingValue").is_none(),
        "misquoted is off the 1–5 scale"
    );
    assert!(
        review["reviewBody"]
            .as_str()
            .is_some_and(|b| b.contains("Community News")),
        "the verdict cites its source"
    );

    let (_, drones) = claim(&items, "claim-us-drone-strike-plan");
    let drones = drones.expect("the drone-strike claim has a verdict");
    assert_eq!(drones["reviewRating"]["alternateName"], "Unproven");
}

/// A claim id shared by two articles in a small site, with a verdict on a 1–5 scale.
#[test]
fn a_verdict_on_the_scale_has_a_rating_value_and_bad_claim_ids_are_reported() {
    let site = Site::bundled();
    site.replace(
        "content/articles/003_6a3b613edf425e35.yaml",
        "    claim: military-channels-restored\n",
        "    claim: military-channels-restored\n    verdict:\n      rating: mostly-true\n      text: Test verdict.\n",
    );
    site.build().ok();
    let blocks = json_ld(&site.output("claims/index.html"));
    let graph = blocks[0]["@graph"].as_array().expect("graph").clone();
    let (_, review) = claim(&graph, "claim-military-channels-restored");
    let review = review.expect("ClaimReview");
    assert_eq!(review["reviewRating"]["ratingValue"], 4);
    assert_eq!(review["reviewRating"]["bestRating"], 5);
    assert_eq!(review["reviewRating"]["worstRating"], 1);

    site.replace(
        "content/articles/003_6a3b613edf425e35.yaml",
        "    claim: military-channels-restored\n",
        "    claim: \"channels restored\"\n",
    );
    let (diags, code) = site.check_json();
    assert_eq!(code, 1);
    let bad: Vec<&Diag> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(bad.len(), 1, "{bad:#?}");
    assert_eq!(bad[0].code, "invalid-value");
    assert_eq!(
        bad[0].file.as_deref(),
        Some("content/articles/003_6a3b613edf425e35.yaml")
    );
    assert!(bad[0].line.is_some());
}

/// The files the "Verify the source" list of an article page links to, resolved against the
/// site's root path, with the SHA-256 values it shows.
fn verifiable_files(site: &Site, page: &str) -> (Vec<String>, Vec<String>) {
    let doc = Html::parse_document(&site.output(page));
    let links = select(&doc, ".source-facts a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| href.ends_with(".txt"))
        .map(|href| {
            let root = site.read("site.toml");
            let path = root
                .split("base_url = \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .and_then(|url| url.split_once("://"))
                .and_then(|(_, rest)| rest.split_once('/'))
                .map_or("/".to_owned(), |(_, path)| format!("/{path}"));
            href.strip_prefix(&path).unwrap_or(href).to_owned()
        })
        .collect();
    let hashes = select(&doc, ".source-facts code.hash")
        .iter()
        .map(|c| c.text().collect())
        .collect();
    (links, hashes)
}

#[test]
fn a_reader_can_check_every_hash_an_article_page_shows() {
    // Each hash is of a file the page links to, published byte for byte: the source as
    // collected, and a translation as written. Neither shows a path into the repository.
    for (site, page) in [
        (
            Site::bundled(),
            "articles/us-china-step-up-military-talks/index.html",
        ),
        (
            Site::fixture("zh"),
            "articles/qing-shi-shi-shui-wu-ju-zhao-kai-fang-xun-hui-yi/index.html",
        ),
    ] {
        site.build().ok();
        let (links, hashes) = verifiable_files(&site, page);
        assert!(!hashes.is_empty(), "{page} shows no hash");
        let published: Vec<String> = links
            .iter()
            .map(|rel| {
                let bytes = std::fs::read(site.path("public").join(rel))
                    .unwrap_or_else(|e| panic!("{page} links to {rel}, not written: {e}"));
                sha256_hex(&bytes)
            })
            .collect();
        for hash in &hashes {
            assert!(
                published.contains(hash),
                "{page}: no linked file has SHA-256 {hash}: {links:?}"
            );
        }
        assert!(
            !site.output(page).contains("seeds/"),
            "{page} names a repository path"
        );
    }
}

#[test]
fn article_pages_and_exports_carry_the_source_hash() {
    let seed = std::fs::read(crate::harness::repo().join("seeds/004_1c40dc7da41a06bc.txt"))
        .expect("read the seed");
    let expected = sha256_hex(&seed);
    let page = bundled_output("articles/us-china-step-up-military-talks/index.html");
    assert!(
        page.contains(&expected),
        "the article page shows the seed's SHA-256"
    );
    let article = json_ld(&page)
        .into_iter()
        .find(|b| b["@type"] == "NewsArticle")
        .expect("NewsArticle JSON-LD");
    assert_eq!(article["identifier"]["propertyID"], "sha256");
    assert_eq!(article["identifier"]["value"], expected.as_str());
    assert_eq!(article["inLanguage"], "en");

    let export: Value =
        serde_json::from_str(&bundled_output("annotations.jsonld")).expect("annotations.jsonld");
    let items = export["first"]["items"].as_array().expect("items");
    let kirby = items
        .iter()
        .find(|i| {
            i["id"]
                .as_str()
                .is_some_and(|id| id.ends_with("#kirby-garbled"))
        })
        .expect("the Kirby annotation is exported");
    assert_eq!(kirby["target"][0]["gloss:sha256"], expected.as_str());
}

#[test]
fn source_fields_are_checked_and_shown() {
    let site = Site::bundled();
    let file = "content/articles/004_1c40dc7da41a06bc.yaml";
    site.replace(
        file,
        "draft: false\n",
        "draft: false\narchived: https://archive.example/abc\nretrieved: 2024-03-05\nlanguage: en-US\n",
    );
    site.build().ok();
    let page = site.output("articles/us-china-step-up-military-talks/index.html");
    assert!(page.contains("href=\"https://archive.example/abc\""));
    assert!(page.contains("datetime=\"2024-03-05\""));
    let export: Value = serde_json::from_str(&site.output("annotations.jsonld")).expect("JSON");
    let item = export["first"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| {
            i["id"]
                .as_str()
                .is_some_and(|id| id.ends_with("#kirby-garbled"))
        })
        .expect("item")
        .clone();
    assert_eq!(item["target"][0]["state"]["type"], "TimeState");
    assert_eq!(
        item["target"][0]["state"]["cached"],
        "https://archive.example/abc"
    );
    assert_eq!(item["target"][0]["state"]["sourceDate"], "2024-03-05");

    site.replace(file, "language: en-US\n", "language: english please\n");
    site.replace(file, "retrieved: 2024-03-05\n", "retrieved: last tuesday\n");
    site.replace(
        file,
        "archived: https://archive.example/abc\n",
        "archived: archive copy\n",
    );
    let (diags, code) = site.check_json();
    assert_eq!(code, 1);
    let mut found: Vec<(String, Option<usize>)> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.clone(), d.line))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("invalid-date".to_owned(), Some(10)),
            ("invalid-value".to_owned(), Some(9)),
            ("invalid-value".to_owned(), Some(11)),
        ]
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const SEED_004: &str = "seeds/004_1c40dc7da41a06bc.txt";
const FILE_004: &str = "content/articles/004_1c40dc7da41a06bc.yaml";

/// `check` writes nothing unless asked; `--accept-sources` writes the lock.
#[test]
fn check_writes_seeds_lock_only_when_asked() {
    let site = Site::bundled();
    site.gloss(&["check"]).expect_code(0);
    assert!(
        !site.path("seeds.lock").exists(),
        "check wrote a file unasked"
    );
    site.gloss(&["check", "--accept-sources"]).expect_code(0);
    let lock: Value = serde_json::from_str(&site.read("seeds.lock")).expect("seeds.lock is JSON");
    let seed = std::fs::read(site.path(SEED_004)).expect("seed");
    assert_eq!(
        lock["articles"]["004_1c40dc7da41a06bc"]["sha256"],
        sha256_hex(&seed).as_str()
    );
    // Unchanged sources: no report, and the lock is left as it was.
    let before = site.read("seeds.lock");
    let (diags, code) = site.check_json();
    assert_eq!(code, 0);
    assert!(
        !diags.iter().any(|d| d.code == "source-changed"),
        "{diags:#?}"
    );
    assert_eq!(site.read("seeds.lock"), before);
}

/// One word changed in a seed: the report names exactly the annotations it touches.
#[test]
fn a_one_word_stealth_edit_names_the_annotations_affected() {
    let site = Site::bundled();
    site.gloss(&["check", "--accept-sources"]).expect_code(0);
    // "discourage" → "deter" inside kirby-discourage's quote breaks it; kirby-garbled shares
    // its paragraph, so its context changed; every other annotation is untouched.
    site.replace(
        SEED_004,
        "able to discourage any conflict",
        "able to deter any conflict",
    );
    let (diags, code) = site.check_json();
    assert_eq!(code, 1, "the broken quote is an error");
    let report: Vec<&Diag> = diags
        .iter()
        .filter(|d| d.code == "source-changed" && d.file.as_deref() == Some(SEED_004))
        .collect();
    assert_eq!(report.len(), 1, "{diags:#?}");
    let message = &report[0].message;
    assert!(
        message.contains("1 broke (`kirby-discourage`)"),
        "{message}"
    );
    assert!(message.contains("1 moved (`kirby-garbled`)"), "{message}");
    let moved: Vec<(&str, Option<usize>)> = diags
        .iter()
        .filter(|d| d.code == "source-changed" && d.file.as_deref() == Some(FILE_004))
        .map(|d| (d.message.as_str(), d.line))
        .collect();
    let garbled_line = site
        .read(FILE_004)
        .lines()
        .position(|l| l == "  - id: kirby-garbled")
        .map(|i| i + 1);
    assert_eq!(
        moved,
        [(
            "the text around annotation `kirby-garbled` changed since seeds.lock",
            garbled_line
        )]
    );
    let anchors: Vec<&Diag> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(anchors.len(), 1, "{anchors:#?}");
    assert_eq!(anchors[0].code, "anchor-not-found");

    // Accepting the new text (with the quote fixed) ends the report.
    site.replace(
        FILE_004,
        "able to discourage any conflict or miscalculation\"",
        "able to deter any conflict or miscalculation\"",
    );
    site.gloss(&["check", "--accept-sources"]).expect_code(0);
    let (diags, code) = site.check_json();
    assert_eq!(code, 0);
    assert!(
        !diags.iter().any(|d| d.code == "source-changed"),
        "{diags:#?}"
    );
}

/// A change outside every quoted paragraph moves nothing and breaks nothing, but is reported.
#[test]
fn an_edit_away_from_annotations_is_reported_with_every_annotation_unchanged() {
    let site = Site::bundled();
    site.gloss(&["check", "--accept-sources"]).expect_code(0);
    let seed = site.read(SEED_004);
    site.write(SEED_004, &format!("{seed}\nA paragraph added later.\n"));
    let (diags, code) = site.check_json();
    assert_eq!(code, 0);
    let report: Vec<&Diag> = diags
        .iter()
        .filter(|d| d.code == "source-changed")
        .collect();
    assert_eq!(report.len(), 1, "{report:#?}");
    assert!(
        report[0].message.contains("0 broke, 0 moved"),
        "{}",
        report[0].message
    );
}

#[test]
fn a_damaged_seeds_lock_is_reported_with_its_line() {
    let site = Site::bundled();
    site.write("seeds.lock", "{\n  \"version\": 1,\n  \"articles\": [\n");
    let (diags, code) = site.check_json();
    assert_eq!(code, 1);
    let bad: Vec<&Diag> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(bad.len(), 1, "{bad:#?}");
    assert_eq!(bad[0].file.as_deref(), Some("seeds.lock"));
    assert!(bad[0].line.is_some());
    assert!(
        bad[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("--accept-sources"))
    );
}
