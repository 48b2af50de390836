//! A second briefing that was not written for gloss's own content: the `mini` fixture
//! (three short articles on fictional river talks, typed the way an annotator types) and
//! the `hostile` fixture (every field trying to inject markup).
//!
//! These check the behaviour DESIGN §3, §4 and §6 promise on input gloss has never seen:
//! quotes typed with straight quotes and hyphens find the curly-quoted, dashed, NBSP-spaced
//! original; `prefix` and `occurrence` pick the passage they name; overlapping annotations
//! all show in valid HTML; the timeline sorts EDTF dates by start, then wider first; and
//! no string from the content ever becomes live markup (§11).

use crate::harness::{Highlight, Site, attr_values, check_nesting, highlights, note_refs, tags};
use std::collections::{BTreeMap, BTreeSet};

const TALKS: &str = "articles/kessel-and-northbrook-resume-river-talks/index.html";

fn built_mini() -> Site {
    let site = Site::fixture("mini");
    let (diags, code) = site.check_json();
    // Its only warning is a passage that states as a fact an event still to come (a talks
    // round "expected in April"): `check` says so. The context passages that look ahead to
    // the 2023 treaty review are not warned about.
    let early: Vec<(&str, &str)> = diags
        .iter()
        .filter(|d| d.code == "report-before-event")
        .map(|d| (d.file.as_deref().unwrap_or(""), d.message.as_str()))
        .collect();
    assert_eq!(
        (code, diags.len() - early.len()),
        (0, 0),
        "the mini briefing is clean: {diags:#?}"
    );
    let mut anticipated: Vec<(&str, &str)> = early
        .iter()
        .map(|(file, message)| {
            let event = ["follow-up-round", "treaty-review"]
                .into_iter()
                .find(|e| message.contains(&format!("`{e}`")))
                .unwrap_or(message);
            (*file, event)
        })
        .collect();
    anticipated.sort_unstable();
    assert_eq!(
        anticipated,
        [("content/articles/kessel-talks.yaml", "follow-up-round")],
        "{diags:#?}"
    );
    site.build().ok();
    site
}

fn highlight<'h>(all: &'h [Highlight], id: &str) -> &'h Highlight {
    all.iter().find(|h| h.id == id).unwrap_or_else(|| {
        panic!(
            "no highlight `{id}` among {:?}",
            all.iter().map(|h| &h.id).collect::<Vec<_>>()
        )
    })
}

#[test]
fn typed_quotes_dashes_and_spaces_match_the_original_characters() {
    let site = built_mini();
    let page = site.output(TALKS);
    let all = highlights(&page);
    // (id, the exact original text the page must show highlighted). Each was typed with
    // straight quotes, hyphens and ordinary spaces in content/articles/kessel-talks.yaml.
    let cases = [
        // Curly double quotes and a no-break space inside the quote.
        (
            "restore",
            "agreeing to “restore the joint gauge network before the spring\u{a0}melt.”",
        ),
        // An en dash typed as a hyphen.
        ("drought", "since the 2019–2020 drought"),
        // A curly apostrophe typed as '.
        (
            "envoy",
            "Northbrook’s envoy, Lena Ostrova, said the talks were",
        ),
        // An em dash typed as a hyphen, and a narrow no-break space typed as a space.
        (
            "counterpart",
            "— a phrase her Kessel counterpart, Piet\u{202f}Varga, repeated",
        ),
        // Curly quotes and apostrophe together.
        ("treaty", "“We don’t need a new treaty,”"),
    ];
    for (id, original) in cases {
        assert_eq!(highlight(&all, id).text, original, "highlight `{id}`");
    }
    // The mention matcher normalizes the same way: "Piet<NNBSP>Varga" is a mention of Piet Varga.
    assert!(
        page.contains(r#"href="/kessel/entities/piet-varga/""#),
        "Piet Varga is linked"
    );
}

#[test]
fn prefix_and_occurrence_choose_the_passage_they_name() {
    let site = built_mini();
    let all = highlights(&site.output(TALKS));
    // "the water rose" is in the text three times.
    let again = highlight(&all, "rose-again");
    assert_eq!(again.text, "the water rose");
    assert!(
        again.before.ends_with("In January "),
        "prefix picks the second: {again:?}"
    );
    assert!(again.after.starts_with(" again, flooding"), "{again:?}");

    let third = highlight(&all, "rose-third");
    assert_eq!(third.text, "the water rose");
    assert!(
        third.after.starts_with(" a third time"),
        "occurrence: 3 picks the third: {third:?}"
    );

    // Nothing highlights the first occurrence.
    let first = "Last year the water rose early.";
    assert!(
        all.iter()
            .all(|h| !h.before.contains("Last year ") || h.before.contains(first)),
        "{all:#?}"
    );
}

#[test]
fn overlapping_annotations_all_show_in_valid_html() {
    let site = built_mini();
    let page = site.output(TALKS);
    check_nesting(&page).unwrap_or_else(|e| panic!("{TALKS} is not well nested: {e}"));
    let all = highlights(&page);

    // `envoy` and `frank-useful` cross ("the talks were" is in both); `useful` is nested
    // inside `frank-useful`. Each keeps its whole text.
    assert_eq!(
        highlight(&all, "frank-useful").text,
        "the talks were “frank but useful”"
    );
    assert_eq!(highlight(&all, "useful").text, "useful");
    assert!(highlight(&all, "envoy").overlaps.contains("frank-useful"));
    assert!(highlight(&all, "frank-useful").overlaps.contains("useful"));

    // Every annotation is highlighted and is a link target exactly once, with its note.
    let ids = attr_values(&page, "id");
    for ann in [
        "restore",
        "drought",
        "rose-again",
        "rose-third",
        "envoy",
        "frank-useful",
        "useful",
        "counterpart",
        "treaty",
        "follow-up",
        "review-due",
    ] {
        assert_eq!(
            ids.iter().filter(|i| *i == ann).count(),
            1,
            "id `{ann}` once"
        );
        assert!(
            ids.iter().any(|i| *i == format!("note-{ann}")),
            "note for `{ann}`"
        );
        let mark = tags(&page)
            .expect("tags")
            .into_iter()
            .find(|t| t.name == "mark" && t.attr("id") == Some(ann));
        assert!(mark.is_some(), "`#{ann}` lands on a <mark>");
    }
    // Every page of the site nests properly, not just this one.
    for (path, bytes) in site.tree("public") {
        if path.ends_with(".html") {
            check_nesting(&String::from_utf8_lossy(&bytes))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
}

#[test]
fn timeline_sorts_by_start_then_wider_first() {
    let site = built_mini();
    let index = site.output("index.html");
    let titles: Vec<String> = tags(&index)
        .expect("tags")
        .iter()
        .filter(|t| t.name == "span" && t.attr("class") == Some("tl-title"))
        .map(|t| {
            let after = &index[t.end..];
            crate::harness::decode_entities(&after[..after.find('<').expect("title ends")])
        })
        .collect();
    let expected = [
        "River treaty signed",                           // 1994
        "The 2019–2020 drought",                         // 2019/2020: starts 1 Jan 2019
        "Joint gauge network switched off",              // 2019-22~ (summer 2019)
        "Drought report: a dry two years on the Kessel", // article, 2020-12~
        "January flood in the lower valley",             // 2021-01
        "River talks resume",                            // 2021-03/.. : 1 Mar, open end, widest
        "Spring gauge repairs",                          // 2021-21: 1 Mar – 31 May
        "Gauges first, treaty later",                    // article, 2021-03: 1–31 Mar
        "First meeting since the drought",               // 2021-03-04
        "Kessel and Northbrook resume river talks",      // article, 2021-03-05
        "Follow-up round of talks",                      // 2021-04~
        "Thirty-year treaty review due",                 // 2023
    ];
    assert_eq!(titles, expected);

    // Years group the items, in order.
    let years: Vec<String> = attr_values(&index, "id")
        .into_iter()
        .filter(|i| i.len() == 5 && i.starts_with('y'))
        .collect();
    assert_eq!(years, ["y1994", "y2019", "y2020", "y2021", "y2023"]);

    // Dates show the precision they have, never an invented day.
    let dates: BTreeSet<String> = tags(&index)
        .expect("tags")
        .iter()
        .filter(|t| t.name == "time")
        .map(|t| index[t.end..][..index[t.end..].find('<').expect("date ends")].to_owned())
        .collect();
    for shown in [
        "1994",
        "2019–2020",
        "Summer 2019 (approx.)",
        "Dec 2020 (approx.)",
        "Mar 2021 – ongoing",
        "Spring 2021",
        "Mar 2021",
        "4 Mar 2021",
        "Apr 2021 (approx.)",
    ] {
        assert!(dates.contains(shown), "{shown:?} among {dates:?}");
    }
}

/// The drawn timeline's marks, by the entry they point to: (classes, data-start, data-end,
/// position %, length % along the axis).
fn timeline_marks(index: &str) -> BTreeMap<String, (String, String, String, f64, f64)> {
    let pct = |style: &str, prop: &str| -> f64 {
        style
            .split(';')
            .find_map(|d| d.trim().strip_prefix(prop))
            .and_then(|v| v.trim().trim_end_matches('%').parse().ok())
            .unwrap_or(f64::NAN)
    };
    tags(index)
        .expect("tags")
        .iter()
        .filter(|t| t.name == "a" && t.attr("class").is_some_and(|c| c.starts_with("tl-m ")))
        .map(|t| {
            let style = t.attr("style").expect("a mark has a position");
            (
                t.attr("href")
                    .expect("a mark links to its entry")
                    .to_owned(),
                (
                    t.attr("class").unwrap_or_default().to_owned(),
                    t.attr("data-start").expect("data-start").to_owned(),
                    t.attr("data-end").expect("data-end").to_owned(),
                    pct(style, "--x:"),
                    pct(style, "--w:"),
                ),
            )
        })
        .collect()
}

#[test]
fn the_timeline_is_drawn_to_scale_with_every_date_at_its_real_extent() {
    let site = built_mini();
    let index = site.output("index.html");
    let marks = timeline_marks(&index);
    // Every event and dated article has a mark pointing at its entry in the list below.
    assert_eq!(marks.len(), 12, "{marks:#?}");
    for href in marks.keys() {
        let id = href.trim_start_matches('#');
        assert!(
            index.contains(&format!("id=\"{id}\"")),
            "{href} has no entry"
        );
    }
    let mark = |id: &str| marks[&format!("#tl-ev-{id}")].clone();
    // A season covers its three months, a year its twelve, an open end says so.
    let spring = mark("gauge-repairs");
    assert_eq!(
        (spring.1.as_str(), spring.2.as_str()),
        ("2021-03-01", "2021-05-31")
    );
    assert!(spring.0.contains("is-span"));
    let review = mark("treaty-review");
    assert_eq!(
        (review.1.as_str(), review.2.as_str()),
        ("2023-01-01", "2023-12-31")
    );
    let talks = mark("talks-resumed");
    assert_eq!((talks.1.as_str(), talks.2.as_str()), ("2021-03-01", ".."));
    assert!(talks.0.contains("is-open-end"));
    assert!(
        talks.3 + talks.4 > 99.9,
        "an open end runs to the end of the axis"
    );
    // Approximate dates are marked as such; a single day is a point.
    assert!(mark("gauges-off").0.contains("is-approx"));
    assert!(mark("first-meeting").0.contains("is-point"));
    // Within the 2019–2023 stretch, distance is proportional to time: the spring repairs
    // (1 Mar 2021) and the first meeting (4 Mar 2021, a point at the middle of its day)
    // are 3.5 days apart, the whole 2023 review bar is 365 days wide.
    let per_day = review.4 / 365.0;
    let first = mark("first-meeting");
    let gap = first.3 - spring.3;
    assert!(
        (gap - 3.5 * per_day).abs() < per_day * 0.2,
        "3.5 days drawn as {gap}%, one day is {per_day}%"
    );
    // 1994 and 2019 are 25 years apart: the gap is cut and marked, not drawn.
    assert_eq!(index.matches("class=\"tl-cut\"").count(), 1);
    assert!(mark("treaty-signed").3 < 10.0);
    assert!(site.output("timeline.js").contains("replaceState"));
}

#[test]
fn see_links_work_both_ways() {
    let site = built_mini();
    // kessel-talks#restore is cited by valley-gauges#gauges and drought-report#first-step.
    let talks = note_refs(&site.output(TALKS));
    let mut cited_by = talks["restore"].cited_by.clone();
    cited_by.sort();
    assert_eq!(
        cited_by,
        [
            "/kessel/articles/drought-report-a-dry-two-years-on-the-kessel/#first-step",
            "/kessel/articles/gauges-first-treaty-later/#gauges"
        ]
    );
    let gauges = note_refs(&site.output("articles/gauges-first-treaty-later/index.html"));
    assert_eq!(
        gauges["gauges"].see,
        ["/kessel/articles/kessel-and-northbrook-resume-river-talks/#restore"]
    );
    // And at article level, the foot of the page (further reading, or the earlier/later
    // links when it is a neighbour) leads to the other article.
    let talks_page = site.output(TALKS);
    let foot = &talks_page[talks_page
        .find("class=\"article-after\"")
        .expect("the article's foot")..];
    assert!(
        foot.contains("/kessel/articles/gauges-first-treaty-later/"),
        "the foot links valley-gauges"
    );
}

// --- hostile input ------------------------------------------------------------------------

/// What the theme itself writes, from a site with harmless content: the shapes of its
/// `<script>` tags and every element name it uses.
fn theme_markup() -> (BTreeSet<String>, BTreeSet<String>) {
    let site = built_mini();
    let mut scripts = BTreeSet::new();
    // Markdown in notes and pages may add these (images included: their `src` is checked).
    let mut names: BTreeSet<String> = [
        "p",
        "a",
        "img",
        "em",
        "strong",
        "code",
        "pre",
        "span",
        "ul",
        "ol",
        "li",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    for (path, bytes) in site.tree("public") {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(&bytes);
            for t in tags(&html).expect("tags") {
                if t.name == "script" && !t.closing {
                    scripts.insert(script_shape(&t));
                }
                names.insert(t.name);
            }
        }
    }
    (scripts, names)
}

/// A script tag's attributes with the site's path removed, to compare across sites.
fn script_shape(t: &crate::harness::Tag) -> String {
    t.attrs
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.replace("/kessel/", "/").replace("/hostile/", "/")
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn hostile_text_never_becomes_markup() {
    let (allowed_scripts, allowed_names) = theme_markup();
    let site = Site::fixture("hostile");
    site.build().ok();
    let files = site.tree("public");
    let mut problems = Vec::new();
    let mut checked = 0;
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".xml") {
            // Feeds and sitemaps: any tag from the content would be an element here.
            for bad in ["<script", "<img", "<svg", "<iframe", "<style"] {
                if text.contains(bad) {
                    problems.push(format!("{path}: contains {bad}"));
                }
            }
            continue;
        }
        if !path.ends_with(".html") {
            continue;
        }
        checked += 1;
        let all = match tags(&text) {
            Ok(all) => all,
            Err(e) => {
                problems.push(format!("{path}: {e}"));
                continue;
            }
        };
        if let Err(e) = check_nesting(&text) {
            problems.push(format!("{path}: {e}"));
        }
        for t in all.iter().filter(|t| !t.closing) {
            if !allowed_names.contains(&t.name) {
                problems.push(format!(
                    "{path}: a <{}> element the theme never writes",
                    t.name
                ));
            }
            if t.name == "script" {
                let shape = script_shape(t);
                if !allowed_scripts.contains(&shape) {
                    problems.push(format!(
                        "{path}: a <script {shape}> the theme does not write"
                    ));
                }
                let body = &text[t.end..];
                let body = &body[..body
                    .to_ascii_lowercase()
                    .find("</script")
                    .unwrap_or(body.len())];
                if body.contains("alert(")
                    && (t.attr("type") != Some("application/ld+json") || body.contains('<'))
                {
                    problems.push(format!(
                        "{path}: content inside a script: {}",
                        &body[..body.len().min(120)]
                    ));
                }
            }
            if t.name == "style" {
                let body = &text[t.end..];
                if body[..body.find("</style").unwrap_or(body.len())].contains("display:none") {
                    problems.push(format!(
                        "{path}: the content's <style> became a style element"
                    ));
                }
            }
            for (k, v) in &t.attrs {
                if k.starts_with("on") {
                    problems.push(format!(
                        "{path}: event handler attribute {k}={v:?} on <{}>",
                        t.name
                    ));
                }
                let squeezed: String = v
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if matches!(
                    k.as_str(),
                    "href" | "src" | "action" | "formaction" | "content" | "srcset"
                ) && ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| squeezed.starts_with(s))
                {
                    problems.push(format!("{path}: {k}={v:?} on <{}>", t.name));
                }
            }
        }
    }
    assert!(
        checked >= 8,
        "the hostile site has its pages: {:?}",
        files.keys().collect::<Vec<_>>()
    );
    assert!(
        problems.is_empty(),
        "hostile content became markup:\n{}",
        problems.join("\n")
    );

    // It is all still there, as text: escaping, not deletion.
    let article = site.output("articles/title-script-alert-article-title-script/index.html");
    let quote = highlights(&article)
        .into_iter()
        .find(|h| h.id == "script-quote")
        .expect("the <script> quote is highlighted");
    assert_eq!(quote.text, "<script>alert(\"seed\")</script>");
    assert!(
        article.contains("&lt;/title&gt;&lt;script&gt;alert("),
        "the hostile title is shown as text"
    );
    let entity = site.output("entities/evil-corp/index.html");
    assert!(
        entity.contains("&lt;style&gt;body{display:none}&lt;/style&gt;"),
        "the hostile role is shown as text"
    );
}

#[test]
fn ids_that_are_not_url_segments_are_content_errors() {
    let site = Site::fixture("hostile");
    site.append(
        "content/entities.yaml",
        "../../escaped-entity:\n  name: Climber\n  kind: person\n",
    );
    let (diags, code) = site.check_json();
    assert_eq!(code, 1, "{diags:#?}");
    assert!(
        diags.iter().any(|d| d.is_error()
            && d.file.as_deref() == Some("content/entities.yaml")
            && d.line == Some(8)),
        "{diags:#?}"
    );
}

#[test]
fn hostile_ids_cannot_write_outside_the_output_folder() {
    // An entity and an event id that try to climb out of public/.
    let site = Site::fixture("hostile");
    site.append(
        "content/entities.yaml",
        "../../escaped-entity:\n  name: Climber\n  kind: person\n  aliases: [Evil Corp]\n",
    );
    site.append(
        "content/events.yaml",
        "- id: ../../escaped-event\n  date: 2022\n  title: Climbing\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "ids with `..` are content errors: {run:?}");
    let outside: BTreeMap<String, Vec<u8>> = site
        .tree("")
        .into_iter()
        .filter(|(p, _)| p.contains("escaped"))
        .collect();
    assert!(
        outside.is_empty(),
        "files written outside the output: {:?}",
        outside.keys().collect::<Vec<_>>()
    );
    assert!(
        !site
            .root()
            .parent()
            .expect("parent")
            .join("escaped-entity")
            .exists()
    );
    assert!(
        !site
            .root()
            .parent()
            .expect("parent")
            .join("escaped-event")
            .exists()
    );
}
