//! Citations: every article and every annotation as a reference a reader can cite. Each
//! becomes one `Reference`, written as CSL-JSON (which hayagriva's CSL processor formats in
//! Chicago and APA), BibTeX (written by `biblatex`) and RIS, for the Cite control of article
//! pages, the files it downloads and the whole briefing's `citations.bib` and `citations.json`.

use crate::edtf::EdtfDate;
use crate::html::escape;
use crate::ix::ArticleIx;
use crate::link::SiteGraph;
use crate::pages::{Bytes, Pages};
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
    view(r, root, formatted_pair(r))
}

/// A URL's page and fragment (empty when it has none).
fn fragment(r: &Reference) -> (&str, &str) {
    r.url
        .as_deref()
        .and_then(|u| u.split_once('#'))
        .unwrap_or(("", ""))
}

/// Stand-ins for an annotation's title and URL fragment, in Unicode's private use area,
/// which no style changes.
const TITLE_MARK: &str = "\u{E000}";
const FRAGMENT_MARK: &str = "\u{E001}";

/// The Cite views of one article's annotations. Their references differ only in title and
/// URL fragment, so the CSL processor formats one stand-in per style, with markers in their
/// place, and each annotation's own go in: a page of thousands of notes costs two
/// formatting runs, not thousands, and a quote is shown as written, where a style's title
/// case would change its words.
pub fn annotation_cite_views(refs: &[Reference], root: &str) -> Vec<CiteView> {
    let Some(first) = refs.first() else {
        return Vec::new();
    };
    let mut stand_in = first.clone();
    stand_in.title = TITLE_MARK.into();
    stand_in.url = first
        .url
        .as_ref()
        .map(|_| format!("{}#{FRAGMENT_MARK}", fragment(first).0));
    let (chicago, apa) = formatted_pair(&stand_in);
    refs.iter()
        .map(|r| {
            let fill = |html: &str| {
                html.replace(TITLE_MARK, &escape(&r.title))
                    .replace(FRAGMENT_MARK, &escape(fragment(r).1))
            };
            view(r, root, (fill(&chicago), fill(&apa)))
        })
        .collect()
}

/// Every reference of the site: each article, then its annotations, in timeline order.
pub fn all(g: &SiteGraph) -> Vec<Reference> {
    g.article_order
        .iter()
        .flat_map(|&a| std::iter::once(article(g, a)).chain(annotations(g, a)))
        .collect()
}

/// The download of each reference in each format, and the whole briefing's files.
pub fn write_all(g: &SiteGraph, pages: &mut Pages) {
    let refs = all(g);
    for r in &refs {
        let one = std::slice::from_ref(r);
        for (ext, text) in [
            (routes::BIBTEX_EXT, bibtex(one)),
            (routes::RIS_EXT, ris(one)),
            (routes::CSL_JSON_EXT, csl_json_text(one)),
        ] {
            pages.insert(
                routes::citation(&r.key, ext),
                Bytes::from(text.into_bytes()),
            );
        }
    }
    pages.insert(
        routes::CITATIONS_BIB.into(),
        Bytes::from(bibtex(&refs).into_bytes()),
    );
    pages.insert(
        routes::CITATIONS_JSON.into(),
        Bytes::from(csl_json_text(&refs).into_bytes()),
    );
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
}
