//! Citations: every article and every annotation as a reference a reader can cite. Each
//! becomes one `Reference`, written as CSL-JSON (which hayagriva's CSL processor formats in
//! Chicago and APA), BibTeX (written by `biblatex`) and RIS, for the Cite control of article
//! pages, the files it downloads and the whole briefing's `citations.bib` and `citations.json`.

use crate::edtf::EdtfDate;
use crate::html::escape;
use crate::ix::ArticleIx;
use crate::link::SiteGraph;
use crate::render::view::CiteView;
use crate::routes;
use crate::text::slugify;
use biblatex::{Chunk, Spanned};
use hayagriva::archive::{ArchivedStyle, locales};
use hayagriva::citationberg::{FontStyle, FontWeight, IndependentStyle, Locale, Style, json};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild, ElemChildren,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// What a reference is of: the source article, or the analyst's annotation of a passage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    NewsArticle,
    Annotation,
}

/// One citable item, in the terms every format shares.
#[derive(Clone, Debug)]
pub struct Reference {
    /// Unique in the site, made of ASCII letters, digits and hyphens, so that every format
    /// takes it as it is.
    pub key: String,
    pub kind: RefKind,
    pub title: String,
    /// The outlet, for an article; the briefing, for an annotation.
    pub container: Option<String>,
    /// Names as written: a byline is never split into given and family names.
    pub authors: Vec<String>,
    pub issued: Option<EdtfDate>,
    pub url: Option<String>,
    pub accessed: Option<EdtfDate>,
    pub language: Option<String>,
    pub note: Option<String>,
}

/// The longest quote an annotation's title carries.
const TITLE_QUOTE_CHARS: usize = 120;

/// The source article's reference: its title, byline, outlet and date, the original URL.
pub fn article(g: &SiteGraph, a: ArticleIx) -> Reference {
    let art = &g.articles[a];
    let original = art
        .url
        .clone()
        .filter(|u| crate::markdown::is_safe_url(u) && u.starts_with("http"));
    Reference {
        key: art.slug.clone(),
        kind: RefKind::NewsArticle,
        title: art.title.clone(),
        container: g.article_links[a]
            .outlet
            .map(|o| g.entities[o].name.clone()),
        authors: art.author.iter().cloned().collect(),
        issued: art.published.clone(),
        url: original,
        accessed: art.source.retrieved.clone(),
        language: Some(
            art.source
                .language
                .clone()
                .unwrap_or_else(|| g.config.language.clone()),
        ),
        note: art
            .source
            .archived
            .as_ref()
            .map(|u| format!("Archived at {u}")),
    }
}

/// Each annotation's reference, in reading order: the annotated passage in the briefing,
/// at the annotation's place on the article page.
pub fn annotations(g: &SiteGraph, a: ArticleIx) -> Vec<Reference> {
    let art = &g.articles[a];
    let page = routes::url(&g.config.base_url, &routes::article(&art.slug));
    let outlet = g.article_links[a].outlet.map(|o| &g.entities[o].name);
    let about = match (outlet, &art.published) {
        (Some(o), Some(d)) => format!(" ({o}, {})", d.display()),
        (Some(o), None) => format!(" ({o})"),
        (None, Some(d)) => format!(" ({})", d.display()),
        (None, None) => String::new(),
    };
    let keys = annotation_keys(&art.slug, art.annotations.iter().map(|n| n.id.as_str()));
    art.annotations
        .iter()
        .zip(keys)
        .map(|(ann, key)| Reference {
            key,
            kind: RefKind::Annotation,
            title: format!(
                "{}: {}",
                ann.kind.label(),
                shorten(ann.range.of(art.text(ann.side)), TITLE_QUOTE_CHARS)
            ),
            container: Some(g.config.title.clone()),
            authors: Vec::new(),
            issued: None,
            url: Some(routes::fragment(&page, ann.id.as_str())),
            accessed: None,
            language: Some(g.config.language.clone()),
            note: Some(format!("Annotation of “{}”{about}", art.title)),
        })
        .collect()
}

/// `<article slug>--<annotation id as a slug>`: the double hyphen, which no slug has, keeps
/// them apart from article keys; two ids with one slug in an article get their position.
fn annotation_keys<'a>(slug: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    ids.enumerate()
        .map(|(n, id)| {
            let key = format!("{slug}--{}", slugify(id));
            if seen.insert(key.clone()) {
                key
            } else {
                format!("{key}-{}", n + 1)
            }
        })
        .collect()
}

/// Whitespace collapsed, at most `max` characters, an ellipsis where it was cut.
fn shorten(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// A date as CSL-JSON date parts at the source's precision (an interval by its start).
fn date_parts(d: &EdtfDate) -> Option<Value> {
    let iso = d.start_iso_at_precision()?;
    let parts: Vec<i64> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    let mut value = json!({"date-parts": [parts]});
    if d.is_approximate() {
        value["circa"] = json!(true);
    }
    Some(value)
}

/// The reference as a CSL-JSON item, the format citeproc, Zotero and hayagriva read.
pub fn csl_json(r: &Reference) -> Value {
    let mut item = json!({
        "id": r.key,
        "type": match r.kind {
            RefKind::NewsArticle => "article-newspaper",
            RefKind::Annotation => "webpage",
        },
        "title": r.title,
    });
    let obj = item.as_object_mut().expect("json! object");
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            obj.insert(k.into(), v);
        }
    };
    put("container-title", r.container.as_ref().map(|c| json!(c)));
    put(
        "author",
        (!r.authors.is_empty()).then(|| {
            r.authors
                .iter()
                .map(|a| json!({"literal": a}))
                .collect::<Value>()
        }),
    );
    put("issued", r.issued.as_ref().and_then(date_parts));
    put("URL", r.url.as_ref().map(|u| json!(u)));
    put("accessed", r.accessed.as_ref().and_then(date_parts));
    put("language", r.language.as_ref().map(|l| json!(l)));
    put("note", r.note.as_ref().map(|n| json!(n)));
    item
}

/// CSL-JSON of many references: a JSON array, pretty-printed, with a final newline.
pub fn csl_json_text(refs: &[Reference]) -> String {
    let items: Vec<Value> = refs.iter().map(csl_json).collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_default();
    text.push('\n');
    text
}

/// BibTeX entries, as `biblatex` writes them (it escapes TeX's special characters).
pub fn bibtex(refs: &[Reference]) -> String {
    let field = |s: &str| vec![Spanned::zero(Chunk::Normal(s.to_owned()))];
    let mut out = String::new();
    for r in refs {
        let ty = match r.kind {
            RefKind::NewsArticle => biblatex::EntryType::Article,
            RefKind::Annotation => biblatex::EntryType::Misc,
        };
        let mut entry = biblatex::Entry::new(r.key.clone(), ty);
        entry.set("title", field(&r.title));
        if !r.authors.is_empty() {
            // Each byline in braces of its own: BibTeX keeps it whole instead of reading a
            // first and a last name into it.
            let names: Vec<Spanned<Chunk>> = r
                .authors
                .iter()
                .enumerate()
                .flat_map(|(i, a)| {
                    let and = (i > 0).then(|| Spanned::zero(Chunk::Normal(" and ".into())));
                    and.into_iter()
                        .chain([Spanned::zero(Chunk::Verbatim(a.clone()))])
                })
                .collect();
            entry.set("author", names);
        }
        if let Some(c) = &r.container {
            let key = match r.kind {
                RefKind::NewsArticle => "journal",
                RefKind::Annotation => "howpublished",
            };
            entry.set(key, field(c));
        }
        if let Some(d) = r.issued.as_ref().and_then(EdtfDate::start_iso_at_precision) {
            entry.set("date", field(&d));
        }
        if let Some(u) = &r.url {
            entry.set("url", field(u));
        }
        if let Some(d) = r
            .accessed
            .as_ref()
            .and_then(EdtfDate::start_iso_at_precision)
        {
            entry.set("urldate", field(&d));
        }
        if let Some(l) = &r.language {
            entry.set("langid", field(l));
        }
        if let Some(n) = &r.note {
            entry.set("note", field(n));
        }
        // Only a malformed `date` fails, and gloss writes dates it parsed itself.
        let text = entry
            .to_bibtex_string()
            .unwrap_or_else(|_| entry.to_biblatex_string());
        out.push_str(&text);
        out.push_str("\n\n");
    }
    out
}

/// RIS, the tagged format reference managers import: `TAG  - value` lines, `ER` closing
/// each record. No well-kept crate writes it; it has no escaping, so values are kept to
/// one line.
pub fn ris(refs: &[Reference]) -> String {
    let mut out = String::new();
    let tag = |out: &mut String, t: &str, v: &str| {
        let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(out, "{t}  - {v}");
    };
    let ris_date = |d: &EdtfDate| {
        let iso = d.start_iso_at_precision().unwrap_or_default();
        let mut parts = iso.split('-');
        let y = parts.next().unwrap_or_default();
        let m = parts.next().unwrap_or_default();
        let day = parts.next().unwrap_or_default();
        format!("{y}/{m}/{day}/")
    };
    for r in refs {
        let ty = match r.kind {
            RefKind::NewsArticle => "NEWS",
            RefKind::Annotation => "ELEC",
        };
        tag(&mut out, "TY", ty);
        tag(&mut out, "ID", &r.key);
        tag(&mut out, "TI", &r.title);
        for a in &r.authors {
            tag(&mut out, "AU", a);
        }
        if let Some(c) = &r.container {
            tag(&mut out, "T2", c);
        }
        if let Some(d) = &r.issued {
            if let Some(y) = d.year() {
                tag(&mut out, "PY", &format!("{y:04}"));
            }
            tag(&mut out, "DA", &ris_date(d));
        }
        if let Some(u) = &r.url {
            tag(&mut out, "UR", u);
        }
        if let Some(d) = &r.accessed {
            tag(&mut out, "Y2", &ris_date(d));
        }
        if let Some(l) = &r.language {
            tag(&mut out, "LA", l);
        }
        if let Some(n) = &r.note {
            tag(&mut out, "N1", n);
        }
        out.push_str("ER  - \n\n");
    }
    out
}

/// The two styles the Cite control shows, from hayagriva's archive of CSL styles, with the
/// CSL locales; parsed once per process.
struct Styles {
    chicago: IndependentStyle,
    apa: IndependentStyle,
    locales: Vec<Locale>,
}

fn styles() -> Option<&'static Styles> {
    static STYLES: OnceLock<Option<Styles>> = OnceLock::new();
    STYLES
        .get_or_init(|| {
            let independent = |s: ArchivedStyle| match s.get() {
                Style::Independent(style) => Some(style),
                Style::Dependent(_) => None,
            };
            Some(Styles {
                chicago: independent(ArchivedStyle::ChicagoNotes)?,
                apa: independent(ArchivedStyle::AmericanPsychologicalAssociation)?,
                locales: locales(),
            })
        })
        .as_ref()
}

/// A reference's bibliography entry in one style, as HTML: text escaped, italics and bold
/// as `<i>` and `<b>`.
fn formatted(item: &json::Item, style: &IndependentStyle, locales: &[Locale]) -> String {
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::from_items(
        vec![CitationItem::with_entry(item)],
        style,
        locales,
    ));
    let rendered = driver.finish(BibliographyRequest {
        style,
        locale: None,
        locale_files: locales,
    });
    let mut html = String::new();
    if let Some(entry) = rendered
        .bibliography
        .and_then(|b| b.items.into_iter().next())
    {
        write_html(&entry.content, &mut html);
    }
    html
}

fn write_html(children: &ElemChildren, out: &mut String) {
    for child in &children.0 {
        let text = match child {
            ElemChild::Text(t) | ElemChild::Link { text: t, .. } => t,
            ElemChild::Elem(e) => {
                write_html(&e.children, out);
                continue;
            }
            ElemChild::Markup(m) => {
                out.push_str(&escape(m));
                continue;
            }
            ElemChild::Transparent { .. } => continue,
        };
        let italic = text.formatting.font_style == FontStyle::Italic;
        let bold = text.formatting.font_weight == FontWeight::Bold;
        out.push_str(match (italic, bold) {
            (true, true) => "<i><b>",
            (true, false) => "<i>",
            (false, true) => "<b>",
            (false, false) => "",
        });
        out.push_str(&escape(&text.text));
        out.push_str(match (italic, bold) {
            (true, true) => "</b></i>",
            (true, false) => "</i>",
            (false, true) => "</b>",
            (false, false) => "",
        });
    }
}

/// Chicago and APA for one reference, as HTML (empty when the styles cannot be had).
fn formatted_pair(r: &Reference) -> (String, String) {
    match (styles(), serde_json::from_value::<json::Item>(csl_json(r))) {
        (Some(s), Ok(item)) => (
            formatted(&item, &s.chicago, &s.locales),
            formatted(&item, &s.apa, &s.locales),
        ),
        _ => (String::new(), String::new()),
    }
}

/// Stand-ins, in Unicode's private use area, for the parts of a reference that the two
/// styles print as written: the CSL processor formats a reference with these in place and
/// the real text goes in after. References that differ only in these parts then share one
/// formatting run, which is most of a citation's cost (a briefing's annotations all share
/// one; articles share one per date and shape).
const TITLE_MARK: &str = "\u{E000}";
const FRAGMENT_MARK: &str = "\u{E001}";
const PAGE_MARK: &str = "\u{E002}";
const NOTE_MARK: &str = "\u{E003}";
/// The first author's stand-in; the next ones follow it in the private use area.
const FIRST_AUTHOR_MARK: u32 = 0xE010;
/// More authors than this are formatted as they are, never through stand-ins.
const MAX_MARKED_AUTHORS: usize = 32;

/// A URL's page and fragment (empty when it has none).
fn fragment(url: &str) -> (&str, Option<&str>) {
    match url.split_once('#') {
        Some((page, fragment)) => (page, Some(fragment)),
        None => (url, None),
    }
}

/// `r` with stand-ins in place of its title (only where `mark_title`: a style may change
/// an article title's case, never an annotation's quoted title), bylines, URL and note; its
/// key is the same for every reference. The outlet or briefing stays: a style may change
/// its case too.
fn stand_in(r: &Reference, mark_title: bool) -> Reference {
    Reference {
        key: "stand-in".into(),
        kind: r.kind,
        title: if mark_title {
            TITLE_MARK.into()
        } else {
            r.title.clone()
        },
        container: r.container.clone(),
        authors: (0..r.authors.len()).map(author_mark).collect(),
        issued: r.issued.clone(),
        url: r.url.as_deref().map(|u| match fragment(u).1 {
            Some(_) => format!("{PAGE_MARK}#{FRAGMENT_MARK}"),
            None => PAGE_MARK.into(),
        }),
        accessed: r.accessed.clone(),
        language: r.language.clone(),
        note: r.note.as_ref().map(|_| NOTE_MARK.into()),
    }
}

fn author_mark(i: usize) -> String {
    u32::try_from(i)
        .ok()
        .and_then(|i| char::from_u32(FIRST_AUTHOR_MARK + i))
        .map(String::from)
        .unwrap_or_default()
}

/// `html`, formatted from `stand_in(r)`, with `r`'s own text in place of the stand-ins.
fn fill(html: &str, r: &Reference) -> String {
    let mut out = html.to_owned();
    if out.contains(TITLE_MARK) {
        out = fill_title(&out, &r.title);
    }
    let url = r.url.as_deref().unwrap_or_default();
    let (page, frag) = fragment(url);
    let mut put = |mark: &str, text: &str| {
        if out.contains(mark) {
            out = out.replace(mark, &escape(text));
        }
    };
    put(PAGE_MARK, page);
    put(FRAGMENT_MARK, frag.unwrap_or_default());
    put(NOTE_MARK, r.note.as_deref().unwrap_or_default());
    for (i, a) in r.authors.iter().enumerate() {
        put(&author_mark(i), a);
    }
    out
}

/// The title in place of its stand-in. A style ends the title with a full stop where the
/// title ends in none; where it already ends in one (or in `?` or `!`), the style's is
/// dropped, as a CSL processor does for the title itself.
fn fill_title(html: &str, title: &str) -> String {
    let Some((head, tail)) = html.split_once(TITLE_MARK) else {
        return html.to_owned();
    };
    let closing = tail.len()
        - tail
            .trim_start_matches(['”', '’'])
            .trim_start_matches("</i>")
            .trim_start_matches("</b>")
            .len();
    let (close, rest) = tail.split_at(closing);
    let rest = match rest.strip_prefix('.') {
        Some(after) if title.ends_with(['.', '?', '!']) => after,
        _ => rest,
    };
    format!("{head}{}{close}{rest}", escape(title))
}

/// Chicago and APA for `r`, formatted through its stand-in and kept for every reference
/// with the same one (`mark_title` as for `stand_in`).
fn formatted_shared(r: &Reference, mark_title: bool) -> (String, String) {
    type Memo = std::sync::Mutex<std::collections::HashMap<String, (String, String)>>;
    static FORMATTED: OnceLock<Memo> = OnceLock::new();
    if r.authors.len() > MAX_MARKED_AUTHORS {
        return formatted_pair(r);
    }
    let stand_in = stand_in(r, mark_title);
    let key = csl_json(&stand_in).to_string();
    let memo = FORMATTED.get_or_init(Memo::default);
    let lock = || memo.lock().unwrap_or_else(|e| e.into_inner());
    let found = lock().get(&key).cloned();
    let (chicago, apa) = found.unwrap_or_else(|| {
        let pair = formatted_pair(&stand_in);
        let mut kept = lock();
        // Stand-ins vary only with dates, languages and shapes, so this stays small; a
        // server that has seen very many starts over rather than grow without end.
        if kept.len() > 100_000 {
            kept.clear();
        }
        kept.insert(key, pair.clone());
        pair
    });
    (fill(&chicago, r), fill(&apa, r))
}

fn view(r: &Reference, root: &str, (chicago_html, apa_html): (String, String)) -> CiteView {
    let file = |ext: &str| routes::url(root, &routes::citation(&r.key, ext));
    CiteView {
        key: r.key.clone(),
        chicago_html,
        apa_html,
        bibtex: file(routes::BIBTEX_EXT),
        ris: file(routes::RIS_EXT),
        csl_json: file(routes::CSL_JSON_EXT),
    }
}

/// What the Cite control shows for one reference: Chicago and APA, and where its files are.
pub fn cite_view(r: &Reference, root: &str) -> CiteView {
    view(r, root, formatted_shared(r, false))
}

/// The Cite views of one article's annotations. Their quoted titles go in as written, where
/// a style's title case would change their words, and every annotation of the briefing
/// shares one formatting run per style.
pub fn annotation_cite_views(refs: &[Reference], root: &str) -> Vec<CiteView> {
    refs.iter()
        .map(|r| view(r, root, formatted_shared(r, true)))
        .collect()
}

/// Every reference of the site: each article, then its annotations, in timeline order.
pub fn all(g: &SiteGraph) -> Vec<Reference> {
    g.article_order
        .iter()
        .flat_map(|&a| std::iter::once(article(g, a)).chain(annotations(g, a)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_keys_are_slugs_apart_from_article_keys_and_unique() {
        let keys = annotation_keys("talks", ["q1", "Q 1", "q-1", "wu's"].into_iter());
        assert_eq!(
            keys,
            ["talks--q1", "talks--q-1", "talks--q-1-3", "talks--wus"]
        );
    }

    #[test]
    fn long_quotes_are_cut_between_words() {
        assert_eq!(shorten("a  b\nc", 10), "a b c");
        assert_eq!(shorten("alpha beta gamma", 12), "alpha beta…");
    }

    fn reference(kind: RefKind, title: &str, authors: &[&str], dates: (&str, &str)) -> Reference {
        let date = |d: &str| (!d.is_empty()).then(|| d.parse::<EdtfDate>().expect("a date"));
        Reference {
            key: "k".into(),
            kind,
            title: title.into(),
            container: Some("The Daily <Times> & Co".into()),
            authors: authors.iter().map(|a| (*a).to_owned()).collect(),
            issued: date(dates.0),
            url: Some("https://example.org/articles/a-b/#q1".into()),
            accessed: date(dates.1),
            language: Some("en".into()),
            note: Some("Archived at https://web.archive.org/x".into()),
        }
    }

    /// Every shape of reference the site makes: the formatting shared through stand-ins
    /// gives what formatting each reference on its own gives.
    #[test]
    fn shared_formatting_gives_what_formatting_each_reference_gives() {
        let titles = [
            "the quick brown fox: a study of talks",
            "Why did the hotline stay silent?",
            "Talks resume. Both sides agree",
            "中美两军恢复对话",
        ];
        let bylines: [&[&str]; 4] = [&[], &["Lin Xiaozhou"], &["A B", "C D"], &["x", "y", "z"]];
        let dates = [
            ("2021-03-04", "2024-01-02"),
            ("2021-03", ""),
            ("2021~", "2023-12-31"),
            ("", ""),
        ];
        let mut n = 0;
        for title in titles {
            for authors in bylines {
                for d in dates {
                    let mut r = reference(RefKind::NewsArticle, title, authors, d);
                    assert_eq!(formatted_shared(&r, false), formatted_pair(&r), "{r:?}");
                    r.url = Some("https://example.org/a?b=1&c=2".into());
                    r.note = None;
                    r.container = None;
                    assert_eq!(formatted_shared(&r, false), formatted_pair(&r), "{r:?}");
                    n += 2;
                }
            }
        }
        assert_eq!(n, 128);
    }

    /// An annotation's quoted title goes in as written, never title-cased, and a quote that
    /// ends in a full stop gets no second one.
    #[test]
    fn an_annotation_title_is_as_written_with_one_full_stop() {
        let mut r = reference(RefKind::Annotation, "Fact: talks resume.", &[], ("", ""));
        r.note = Some("Annotation of “x” (Outlet, 1 May 2021)".into());
        let (chicago, apa) = formatted_shared(&r, true);
        assert!(chicago.contains("“Fact: talks resume.”"), "{chicago}");
        assert!(apa.contains("<i>Fact: talks resume.</i> "), "{apa}");
        assert!(!chicago.contains(".."), "{chicago}");
        r.title = "Fact: talks resume".into();
        let (chicago, apa) = formatted_shared(&r, true);
        assert!(chicago.contains("“Fact: talks resume.”"), "{chicago}");
        assert!(apa.contains("<i>Fact: talks resume</i>."), "{apa}");
    }
}
