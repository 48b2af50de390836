//! Publishing and interoperability (issue 4): `gloss init`, `gloss new`, `gloss schema`, a
//! build under a project-site path (GitHub Pages), and the machine-readable outputs —
//! feed, sitemap, Web Annotations, TimelineJS, JSON-LD and the search bundle.

use crate::harness::{Site, attr_values};
use serde_json::Value;
use std::collections::BTreeSet;

const BASE: &str = "https://example.github.io/briefing/";
const ROOT: &str = "/briefing/";

fn yaml_value(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or_else(|e| panic!("YAML → JSON value: {e}"))
}

fn schema(site: &Site, kind: &str) -> Value {
    let run = site.gloss(&["schema", kind]);
    run.ok();
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("gloss schema {kind} prints JSON: {e}"))
}

fn errors_of(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

// --- gloss init -------------------------------------------------------------------------

#[test]
fn init_writes_a_site_that_builds_as_it_is() {
    let site = Site::empty();
    let dir = site.root().to_str().expect("UTF-8 temp path");
    site.gloss(&["init", dir]).ok();
    for file in [
        "site.toml",
        ".gitignore",
        "content/entities.yaml",
        "content/events.yaml",
        "content/briefing.md",
        "schemas/articles.json",
        "schemas/entities.json",
        "schemas/events.json",
        ".github/workflows/pages.yml",
    ] {
        assert!(site.path(file).is_file(), "gloss init did not write {file}");
    }
    assert!(site.read(".gitignore").contains("public/"));
    let seeds: Vec<_> = std::fs::read_dir(site.path("seeds"))
        .expect("seeds/")
        .collect();
    assert_eq!(seeds.len(), 1, "one example seed");

    let (diags, code) = site.check_json();
    assert_eq!(code, 0, "{diags:#?}");
    assert!(
        diags.is_empty(),
        "the example should have neither errors nor warnings: {diags:#?}"
    );

    // The schemas it wrote are the ones `gloss schema` prints, and the modelines point at them.
    for kind in ["articles", "entities", "events"] {
        let written: Value =
            serde_json::from_str(&site.read(&format!("schemas/{kind}.json"))).expect("schema JSON");
        assert_eq!(written, schema(&site, kind), "schemas/{kind}.json");
    }
    let article = std::fs::read_dir(site.path("content/articles"))
        .expect("articles")
        .next()
        .expect("one article")
        .expect("entry")
        .path();
    let article = std::fs::read_to_string(article).expect("read article");
    assert!(article.starts_with("# yaml-language-server: $schema=../../schemas/articles.json"));
    assert!(
        site.read("content/entities.yaml")
            .starts_with("# yaml-language-server: $schema=../schemas/entities.json")
    );
    assert!(
        site.read("content/events.yaml")
            .starts_with("# yaml-language-server: $schema=../schemas/events.json")
    );

    let workflow = site.read(".github/workflows/pages.yml");
    for needle in [
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "gloss build --base-url \"${{ steps.pages.outputs.base_url }}/\"",
        "cargo install",
        "path: .gloss-cache",
        "pages: write",
        "id-token: write",
    ] {
        assert!(
            workflow.contains(needle),
            "the Pages workflow lacks `{needle}`"
        );
    }

    site.build().ok();
    assert!(site.path("public/.nojekyll").is_file());
    assert!(
        !site.path("public/CNAME").exists(),
        "no CNAME without [github_pages] cname"
    );
    site.replace(
        "site.toml",
        "cname = \"\"",
        "cname = \"briefing.example.org\"",
    );
    site.build().ok();
    assert_eq!(site.output("CNAME").trim(), "briefing.example.org");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let site = Site::empty();
    site.write("notes.txt", "mine");
    let dir = site.root().to_str().expect("UTF-8 temp path");
    let run = site.gloss(&["init", dir]);
    run.expect_code(2);
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
    assert_eq!(site.read("notes.txt"), "mine");
    assert!(
        !site.path("site.toml").exists(),
        "nothing is written into a non-empty folder"
    );
}

// --- gloss schema -------------------------------------------------------------------------

#[test]
fn schemas_validate_every_content_file_of_the_repository_and_reject_unknown_fields() {
    let site = Site::bundled();
    let articles =
        jsonschema::validator_for(&schema(&site, "articles")).expect("valid articles schema");
    let entities =
        jsonschema::validator_for(&schema(&site, "entities")).expect("valid entities schema");
    let events = jsonschema::validator_for(&schema(&site, "events")).expect("valid events schema");

    let repo = crate::harness::repo();
    let mut files = 0;
    for entry in std::fs::read_dir(repo.join("content/articles")).expect("content/articles") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let value = yaml_value(&std::fs::read_to_string(&path).expect("read"));
            assert_eq!(
                errors_of(&articles, &value),
                Vec::<String>::new(),
                "{}",
                path.display()
            );
            files += 1;
        }
    }
    assert!(files >= 5, "the repository's annotation files were found");
    let read = |rel: &str| yaml_value(&std::fs::read_to_string(repo.join(rel)).expect("read"));
    assert_eq!(
        errors_of(&entities, &read("content/entities.yaml")),
        Vec::<String>::new()
    );
    assert_eq!(
        errors_of(&events, &read("content/events.yaml")),
        Vec::<String>::new()
    );

    // Unknown fields, at the top and inside an annotation, and a wrong enum value.
    let mut bad = read("content/articles/000_f984aa62be9d85eb.yaml");
    bad["colour"] = Value::from("red");
    assert!(
        !articles.is_valid(&bad),
        "an unknown top-level field must be rejected"
    );
    let mut bad = read("content/articles/000_f984aa62be9d85eb.yaml");
    bad["annotations"][0]["qoute"] = Value::from("typo");
    assert!(
        !articles.is_valid(&bad),
        "an unknown annotation field must be rejected"
    );
    let mut bad = read("content/articles/000_f984aa62be9d85eb.yaml");
    bad["annotations"][0]["kind"] = Value::from("opinion");
    assert!(!articles.is_valid(&bad), "an unknown kind must be rejected");
    let mut bad = read("content/entities.yaml");
    if let Some((_, entity)) = bad.as_object_mut().and_then(|m| m.iter_mut().next()) {
        entity["nickname"] = Value::from("x");
    }
    assert!(
        !entities.is_valid(&bad),
        "an unknown entity field must be rejected"
    );

    // Doc comments are descriptions, which editors show on hover and in completion.
    let schema = schema(&site, "articles");
    let text = serde_json::to_string(&schema).expect("JSON");
    assert!(
        text.contains("\"description\":\"The exact passage"),
        "descriptions come from doc comments"
    );
}

#[test]
fn schemas_in_the_repository_are_up_to_date() {
    let site = Site::empty();
    let repo = crate::harness::repo();
    for kind in ["articles", "entities", "events"] {
        let path = repo.join("schemas").join(format!("{kind}.json"));
        let Ok(committed) = std::fs::read_to_string(&path) else {
            panic!(
                "{} is missing; run `gloss schema {kind} > schemas/{kind}.json`",
                path.display()
            );
        };
        let run = site.gloss(&["schema", kind]);
        assert_eq!(
            committed, run.stdout,
            "schemas/{kind}.json is stale; run `gloss schema {kind} > schemas/{kind}.json`"
        );
    }
}

// --- gloss new ------------------------------------------------------------------------------

#[test]
fn new_writes_a_skeleton_that_checks_and_never_overwrites() {
    let site = Site::bundled();
    site.write(
        "seeds/new-talks.txt",
        "Defense officials hold a new round of talks\n\n< Back\n\nDec 1, 2023\n\nLiu Zhenli and CQ Brown spoke again on Thursday, officials said, after their video call of December 21.\n\nWu Qian said the talks on 02/12/2023 were \u{201c}candid\u{201d} and that more would follow.\n\nRelated posts\n\nLeave a Reply\n",
    );
    let target = "content/articles/new-talks.yaml";
    site.gloss(&["new", "seeds/new-talks.txt"]).ok();
    let yaml = site.read(target);
    assert!(yaml.starts_with("# yaml-language-server: $schema=../../schemas/articles.json"));
    for expected in [
        "title: \"Defense officials hold a new round of talks\"",
        "published: 2023-12-01",
        "\"December 21\" → 2023-12-21 (year assumed",
        "\"02/12/2023\" → 2023-02-12 (month first, US style) or 2023-12-02 (day first)",
        "#   liu-zhenli: 1×",
        "#   cq-brown: 1×",
        "#   wu-qian: 1×",
        "    - \"Defense officials hold a new round of talks\"\n    - \"< Back\"\n    - \"Dec 1, 2023\"\n",
        "end_before: \"Related posts\"",
        "# [4] Liu Zhenli and CQ Brown spoke again",
    ] {
        assert!(
            yaml.contains(expected),
            "the skeleton lacks `{expected}`:\n{yaml}"
        );
    }
    let (diags, code) = site.check_json();
    assert_eq!(code, 0, "{diags:#?}");

    // The commented example annotation anchors once uncommented.
    let start = yaml.find("# annotations:\n").expect("example annotation");
    let example: String = yaml[start..]
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let edited = format!(
        "{}{example}\n",
        yaml[..start].replace("annotations: []\n", "")
    );
    site.write(target, &edited);
    let (diags, code) = site.check_json();
    assert_eq!(code, 0, "{diags:#?}\n{edited}");
    assert!(
        !diags
            .iter()
            .any(|d| d.file.as_deref() == Some(target) && d.code.starts_with("anchor")),
        "{diags:#?}"
    );

    let again = site.gloss(&["new", "new-talks"]);
    again.expect_code(2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(site.read(target), edited, "the existing file is untouched");

    let missing = site.gloss(&["new", "nope.txt"]);
    missing.expect_code(2);
    assert!(
        missing.stderr.contains("seeds/nope.txt does not exist"),
        "{}",
        missing.stderr
    );
}

// --- a project site: base_url with a path ---------------------------------------------------

/// Resolves a link found on the page at `page_url` (a URL path) the way a browser does, to
/// the output file it names and its fragment; `Err` when it leaves the site.
fn resolve(page_url: &str, href: &str) -> Result<(String, Option<String>), String> {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    // A fragment-only link stays on the document shown, whatever its URL (404.html too).
    if path.is_empty() {
        return Ok((String::new(), fragment));
    }
    let absolute = if path.starts_with('/') {
        path.to_owned()
    } else {
        let dir = &page_url[..=page_url.rfind('/').unwrap_or(0)];
        format!("{dir}{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in absolute.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut normalized = format!("/{}", parts.join("/"));
    if absolute.ends_with('/') && normalized != "/" {
        normalized.push('/');
    }
    let rel = normalized
        .strip_prefix(ROOT)
        .ok_or_else(|| format!("{href} leaves {ROOT}"))?;
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    };
    Ok((file, fragment))
}

fn ids(html: &str) -> BTreeSet<String> {
    attr_values(html, "id").into_iter().collect()
}

#[test]
fn a_project_site_build_has_no_broken_link_from_any_page_or_depth() {
    let site = Site::bundled();
    site.gloss(&["build", "--base-url", BASE]).ok();
    let files = site.tree("public");
    let text = |p: &str| String::from_utf8_lossy(&files[p]).into_owned();
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in files.keys().filter(|p| p.ends_with(".html")) {
        let html = text(page);
        // GitHub serves 404.html for a missing path at any depth: check it from a deep one.
        let page_urls: Vec<String> = if page == "404.html" {
            vec![
                format!("{ROOT}404.html"),
                format!("{ROOT}a/b/c/missing/"),
                format!("{ROOT}articles/missing"),
            ]
        } else {
            vec![format!("{ROOT}{}", page.trim_end_matches("index.html"))]
        };
        for page_url in &page_urls {
            for href in attr_values(&html, "href")
                .into_iter()
                .chain(attr_values(&html, "src"))
            {
                if href.contains("://")
                    || href.starts_with("//")
                    || href.starts_with("mailto:")
                    || href.starts_with("data:")
                {
                    continue;
                }
                checked += 1;
                match resolve(page_url, &href) {
                    Ok((file, fragment)) => match files.get(if file.is_empty() {
                        page.as_str()
                    } else {
                        file.as_str()
                    }) {
                        None => broken.push(format!("{page_url}: {href} → no {file}")),
                        Some(bytes) => {
                            if let Some(f) =
                                fragment.filter(|f| !f.is_empty() && !f.starts_with(":~:"))
                            {
                                let decoded = percent_encoding::percent_decode_str(&f)
                                    .decode_utf8_lossy()
                                    .into_owned();
                                if !ids(&String::from_utf8_lossy(bytes)).contains(&decoded) {
                                    broken.push(format!(
                                        "{page_url}: {href} → no #{decoded} in {file}"
                                    ));
                                }
                            }
                        }
                    },
                    Err(e) => broken.push(format!("{page_url}: {e}")),
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} links checked");
    assert_eq!(broken, Vec::<String>::new());

    // gloss's own link check agrees.
    let run = site.gloss(&["check", "--links", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn feed_sitemap_and_open_formats_under_a_path() {
    let site = Site::bundled();
    site.gloss(&["build", "--base-url", BASE]).ok();
    let articles = std::fs::read_dir(site.path("content/articles"))
        .expect("articles")
        .count();
    let annotation_files: Vec<Value> = std::fs::read_dir(site.path("content/articles"))
        .expect("articles")
        .map(|e| yaml_value(&std::fs::read_to_string(e.expect("entry").path()).expect("read")))
        .collect();
    let annotations: usize = annotation_files
        .iter()
        .map(|a| a["annotations"].as_array().map_or(0, Vec::len))
        .sum();

    // Atom: one entry per article, every link absolute under the base.
    let feed = site.output("feed.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
    ));
    assert_eq!(feed.matches("<entry>").count(), articles);
    let hrefs: Vec<&str> = feed
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(
        hrefs.len(),
        2 + articles,
        "self, alternate, and one link per entry"
    );
    for href in hrefs {
        assert!(
            href.starts_with(BASE),
            "feed link {href} is not under {BASE}"
        );
    }
    for tag in ["<id>", "<updated>", "<title>", "<author>"] {
        assert!(feed.contains(tag), "feed lacks {tag}");
    }

    // Sitemap: every page but 404.html, absolute.
    let sitemap = site.output("sitemap.xml");
    let locs: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(str::to_owned)
        .collect();
    let pages: BTreeSet<String> = site
        .output_files()
        .into_iter()
        .filter(|p| p.ends_with("index.html"))
        .map(|p| format!("{BASE}{}", p.trim_end_matches("index.html")))
        .collect();
    assert_eq!(locs, pages);

    // Web Annotations: every annotation, each with both selectors, positions in code points.
    let jsonld: Value = serde_json::from_str(&site.output("annotations.jsonld"))
        .expect("annotations.jsonld is JSON");
    assert_eq!(jsonld["type"], "AnnotationCollection");
    let items = jsonld["first"]["items"].as_array().expect("items");
    assert_eq!(items.len(), annotations);
    assert_eq!(jsonld["total"], annotations);
    for item in items {
        assert_eq!(item["type"], "Annotation");
        assert!(
            item["id"]
                .as_str()
                .is_some_and(|id| id.starts_with(BASE) && id.contains('#')),
            "{item}"
        );
        let targets = item["target"].as_array().expect("targets");
        assert!(!targets.is_empty(), "{item}");
        for target in targets {
            let selectors = target["selector"].as_array().expect("selectors");
            let quote = selectors
                .iter()
                .find(|s| s["type"] == "TextQuoteSelector")
                .expect("TextQuoteSelector");
            let position = selectors
                .iter()
                .find(|s| s["type"] == "TextPositionSelector")
                .expect("TextPositionSelector");
            let exact = quote["exact"].as_str().expect("exact");
            for context in ["prefix", "suffix"] {
                assert!(
                    quote[context]
                        .as_str()
                        .is_some_and(|p| p.chars().count() <= 32)
                );
            }
            let (start, end) = (
                position["start"].as_u64().expect("start"),
                position["end"].as_u64().expect("end"),
            );
            assert_eq!(end - start, exact.chars().count() as u64, "{item}");
            let source = target["source"].as_str().expect("source");
            assert!(source.starts_with(BASE), "{item}");
            // The first target is the kept text: its positions index the published file.
            if source.ends_with("/source.txt") {
                let text = site.output(&source[BASE.len()..]);
                let start = usize::try_from(start).expect("fits");
                let found: String = text
                    .chars()
                    .skip(start)
                    .take(exact.chars().count())
                    .collect();
                assert_eq!(found, exact, "{item}");
            }
        }
    }

    // TimelineJS: every event, dates as {year, month?, day?}.
    let timeline: Value =
        serde_json::from_str(&site.output("timeline.json")).expect("timeline.json is JSON");
    let events = yaml_value(&site.read("content/events.yaml"));
    assert_eq!(
        timeline["events"].as_array().map(Vec::len),
        events.as_array().map(Vec::len)
    );
    assert!(timeline["title"]["text"]["headline"].is_string());
    for slide in timeline["events"].as_array().expect("events") {
        assert!(slide["start_date"]["year"].is_number(), "{slide}");
        assert!(slide["text"]["headline"].is_string(), "{slide}");
    }

    // NewsArticle JSON-LD on every article page.
    let files = site.output_files();
    let article_pages: Vec<&String> = files
        .iter()
        .filter(|p| {
            p.starts_with("articles/") && p.ends_with("/index.html") && p.matches('/').count() == 2
        })
        .collect();
    assert_eq!(article_pages.len(), articles);
    for page in article_pages {
        let html = site.output(page);
        let start = html
            .find("<script type=\"application/ld+json\">")
            .unwrap_or_else(|| panic!("{page} has no JSON-LD"));
        let json = &html[start + 35..];
        let json = &json[..json.find("</script>").expect("closed script")];
        let value: Value = serde_json::from_str(json).expect("JSON-LD parses");
        assert_eq!(value["@type"], "NewsArticle", "{page}");
        for key in [
            "headline",
            "datePublished",
            "author",
            "publisher",
            "mentions",
            "about",
            "url",
        ] {
            assert!(!value[key].is_null(), "{page}: JSON-LD lacks {key}");
        }
        assert!(
            value["url"].as_str().is_some_and(|u| u.starts_with(BASE)),
            "{page}"
        );
    }
}

#[cfg(feature = "search")]
#[test]
fn search_bundle_is_in_the_output() {
    let site = Site::bundled();
    site.gloss(&["build", "--base-url", BASE]).ok();
    for file in [
        "search/index.html",
        "pagefind/pagefind.js",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-ui.css",
        "pagefind/pagefind-entry.json",
    ] {
        assert!(site.path("public").join(file).is_file(), "{file} missing");
    }
    let entry: Value =
        serde_json::from_str(&site.output("pagefind/pagefind-entry.json")).expect("entry JSON");
    let pages = entry["languages"]["en"]["page_count"]
        .as_u64()
        .expect("page count");
    let expected = indexed_pages(&site);
    assert_eq!(
        pages, expected as u64,
        "articles, entities, events and pages are indexed"
    );
    // Filters by kind exist: one filter file per filter name.
    assert!(
        site.output_files()
            .iter()
            .any(|p| p.starts_with("pagefind/filter/")),
        "no kind filter in the index"
    );
    let search = site.output("search/index.html");
    assert!(
        search.contains(&format!("{ROOT}pagefind/pagefind-ui.js")),
        "the search page loads the UI from under the base path"
    );
}

/// A large site's index is built in parts that the search page merges; every part is a
/// complete bundle, and together they index every page once.
#[cfg(feature = "search")]
#[test]
fn a_large_index_is_built_in_parts_the_search_page_merges() {
    let site = Site::fixture("tiny");
    let extra: String = (0..1100)
        .map(|i| format!("filler-{i:04}:\n  name: Filler Body {i:04}\n  kind: organization\n"))
        .collect();
    site.append("content/entities.yaml", &extra);
    site.build().ok();
    let search = site.output("search/index.html");
    assert!(
        search.contains(r#"data-bundles="pagefind/ pagefind/part2/""#),
        "the search page merges the second part: {search}"
    );
    let count = |bundle: &str| {
        let entry: Value =
            serde_json::from_str(&site.output(&format!("{bundle}pagefind-entry.json")))
                .expect("entry JSON");
        entry["languages"]["en"]["page_count"]
            .as_u64()
            .expect("page count")
    };
    let expected = indexed_pages(&site) as u64;
    let (first, second) = (count("pagefind/"), count("pagefind/part2/"));
    assert_eq!(first + second, expected, "every page is indexed once");
    assert!(first > 0 && second > 0, "{first} + {second}");
    assert!(site.path("public/pagefind/pagefind-ui.js").is_file());
    assert!(
        !site.path("public/pagefind/part2/pagefind-ui.js").exists(),
        "only the first part carries the user interface"
    );
}

/// The pages the search index should hold: every article, entity, event and extra page.
#[cfg(feature = "search")]
fn indexed_pages(site: &Site) -> usize {
    site.output_files()
        .iter()
        .filter(|p| {
            ["articles/", "entities/", "events/", "pages/"]
                .iter()
                .any(|s| p.starts_with(s))
                && p.matches('/').count() == 2
                && p.ends_with("/index.html")
        })
        .count()
}
