//! One article through the anchor stage: its kept paragraphs, its annotations' quotes
//! found in the seed (exactly, or with "closest passage" help), its metadata checked.

use super::quote::{self, AnchorError, SearchText, Selector};
use super::{
    Annotation, Article, ArticleInput, Block, SourceMeta, Unanchored, check_id, parse_date, refs,
    shorten, spanned_ref,
};
use crate::diag::{Code, Diagnostic, Fix, Pos};
use crate::load::Seed;
use crate::model::{AnnotationDef, ArticleFile, SpannedStr};
use crate::text::{self, normalize_str};
use crate::types::{AnnotationId, ByteRange, EntityId, EventId, line_col};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The most tags one article may have.
const MAX_TAGS: usize = 100;

pub(super) fn anchor_article(input: ArticleInput, seed: &Seed) -> (Article, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let file = input.file.unwrap_or_else(|| {
        Arc::new(ArticleFile {
            seed: None,
            title: None,
            slug: None,
            outlet: None,
            author: None,
            published: None,
            updated: None,
            url: None,
            archived: None,
            retrieved: None,
            language: None,
            draft: false,
            tags: Vec::new(),
            summary: None,
            text: Default::default(),
            annotations: Vec::new(),
        })
    });
    let path = input.path.clone().unwrap_or_else(|| seed.path.clone());
    let text = &seed.text;
    let all = text::paragraphs(text);

    let first_para = all
        .first()
        .map(|r| normalize_str(r.of(text)))
        .unwrap_or_default();
    let title = file
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| {
            all.first()
                .map_or_else(|| input.id.to_string(), |r| collapse(r.of(text)))
        });
    let mut kept: Vec<ByteRange> = all.clone();
    if !kept.is_empty() && first_para == normalize_str(&title) {
        kept.remove(0);
    }
    if let Some(end) = &file.text.end_before {
        let needle = normalize_str(&end.value);
        match kept
            .iter()
            .position(|r| !needle.is_empty() && normalize_str(r.of(text)).starts_with(&needle))
        {
            Some(i) => kept.truncate(i),
            None => diags.push(
                Diagnostic::warning(
                    Code::UnusedTextRule,
                    format!("no paragraph starts with `{}`", end.value),
                )
                .in_file(&path)
                .at(Pos::from_yaml(&end.referenced))
                .help("copy the start of the paragraph where the article body should end"),
            ),
        }
    }
    for rule in &file.text.drop {
        let needle = normalize_str(&rule.value);
        let before = kept.len();
        kept.retain(|r| normalize_str(r.of(text)) != needle);
        if kept.len() == before && !all.iter().any(|r| normalize_str(r.of(text)) == needle) {
            diags.push(
                Diagnostic::warning(
                    Code::UnusedTextRule,
                    format!("no paragraph is exactly `{}`", rule.value),
                )
                .in_file(&path)
                .at(Pos::from_yaml(&rule.referenced))
                .help("`drop` removes whole paragraphs; copy the paragraph's full text"),
            );
        }
    }
    let headings: BTreeSet<String> = file
        .text
        .headings
        .iter()
        .map(|h| normalize_str(&h.value))
        .collect();
    let blocks: Vec<Block> = kept
        .iter()
        .map(|&range| Block {
            range,
            heading: headings.contains(&normalize_str(range.of(text))),
        })
        .collect();

    let kept_text = SearchText::new(text, &kept);
    let all_text = SearchText::new(text, &all);
    let mut annotations = Vec::new();
    let mut unanchored = Vec::new();
    let mut ids = BTreeSet::new();
    // Shared by the file's annotations, so a flood of mistyped quotes stays fast.
    let mut fuzzy_budget = quote::FILE_FUZZY_BUDGET;
    for def in &file.annotations {
        let pos = Pos::from_yaml(&def.id.referenced);
        if !ids.insert(def.id.value.clone()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "annotation id `{}` is used twice in this file",
                        def.id.value
                    ),
                )
                .in_file(&path)
                .at(pos)
                .help("annotation ids must be unique within their file; they are the page anchors"),
            );
            continue;
        }
        // load reported a missing quote; the annotation has no passage, but what it names
        // is still checked, as for one whose quote is not found.
        let Some(quote) = &def.quote else {
            unanchored.push(Unanchored::of(def));
            continue;
        };
        match anchor_one(def, quote, seed, &kept_text, &all_text, &mut fuzzy_budget) {
            Ok(range) => annotations.push(Annotation {
                id: AnnotationId(def.id.value.clone()),
                pos,
                range,
                kind: def.kind,
                status: def.status,
                speaker: def.speaker.as_ref().map(|s| spanned_ref(s, EntityId)),
                note: def.note.clone().filter(|n| !n.trim().is_empty()),
                entities: refs(&def.entities, EntityId),
                events: refs(&def.events, EventId),
                see: refs(&def.see, |s| s),
                claim: def
                    .claim
                    .as_ref()
                    .filter(|c| {
                        let pos = Pos::from_yaml(&c.referenced);
                        check_id("claim", &c.value, pos, &path, &mut diags)
                    })
                    .map(|c| c.value.clone()),
                verdict: def.verdict.clone(),
            }),
            Err(d) => {
                unanchored.push(Unanchored::of(def));
                diags.push(d.in_file(&path));
            }
        }
    }
    annotations.sort_by(|a, b| {
        (a.range.start, std::cmp::Reverse(a.range.end))
            .cmp(&(b.range.start, std::cmp::Reverse(b.range.end)))
    });

    if file.tags.len() > MAX_TAGS {
        // Each tag page lists the article with all its tags: thousands of tags would make the
        // site quadratic in size.
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "the article has {} tags; at most {MAX_TAGS} are allowed",
                    file.tags.len()
                ),
            )
            .in_file(&path)
            .help("keep the tags that group articles; put the rest in the summary"),
        );
    }
    let published = file
        .published
        .as_ref()
        .and_then(|p| parse_date(p, &path, &mut diags));
    let language = file.language.as_ref().and_then(|l| {
        if is_language_tag(&l.value) {
            return Some(l.value.clone());
        }
        diags.push(
            Diagnostic::error(Code::InvalidValue, format!("`{}` is not a BCP 47 language tag", shorten(&l.value)))
                .in_file(&path)
                .at(Pos::from_yaml(&l.referenced))
                .help("write a language tag such as `zh`, `zh-Hans`, `en` or `ja`; without `language:` the site's `language` applies"),
        );
        None
    });
    let mut updated = file
        .updated
        .as_ref()
        .and_then(|p| parse_date(p, &path, &mut diags));
    // A revision cannot come before the publication it revises: the date is a slip.
    if let (Some(u), Some(p), Some(at)) = (&updated, &published, &file.updated)
        && u.end_day().or(u.start_day()) < p.start_day()
    {
        diags.push(
            Diagnostic::warning(
                Code::InvalidDate,
                format!(
                    "`updated: {}` is before `published: {}`; it is ignored",
                    u.as_str(),
                    p.as_str()
                ),
            )
            .in_file(&path)
            .at(Pos::from_yaml(&at.referenced))
            .help("give the day the annotations were last revised, on or after publication"),
        );
        updated = None;
    }
    let retrieved = file
        .retrieved
        .as_ref()
        .and_then(|r| parse_date(r, &path, &mut diags));
    let slug_pos = file.slug.as_ref().map(|s| Pos::from_yaml(&s.referenced));
    let slug = file
        .slug
        .as_ref()
        .map_or_else(|| text::slugify(&title), |s| text::slugify(&s.value));
    let article = Article {
        id: input.id,
        path: input.path,
        seed_path: seed.path.clone(),
        seed: seed.text.clone(),
        version: 0,
        seed_version: seed.version,
        title,
        slug,
        slug_pos,
        outlet: file.outlet.as_ref().map(|s| spanned_ref(s, EntityId)),
        author: file.author.clone().filter(|a| !a.trim().is_empty()),
        published,
        updated,
        url: file.url.clone().filter(|u| !u.trim().is_empty()),
        source: SourceMeta::of(&file, retrieved, language.clone(), text, &path, &mut diags),
        language,
        draft: file.draft,
        // Past the limit the build fails anyway; the cut keeps `check` from rendering a quadratic site.
        tags: file.tags.iter().take(MAX_TAGS).cloned().collect(),
        summary: file.summary.clone(),
        blocks,
        annotations,
        unanchored,
    };
    (article, diags)
}

/// Whether `tag` has the shape of a BCP 47 language tag: a 2–3 letter language, then
/// subtags of 1–8 letters or digits (`zh`, `zh-Hans-CN`, `en-GB`); it lands in `lang`
/// attributes, feeds and JSON-LD, so nothing else may pass.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// One paragraph's text on one line, for a default title.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn anchor_one(
    def: &AnnotationDef,
    quote: &SpannedStr,
    seed: &Seed,
    kept: &SearchText,
    all: &SearchText,
    fuzzy_budget: &mut usize,
) -> Result<ByteRange, Diagnostic> {
    let quote_pos = Pos::from_yaml(&quote.referenced);
    let selector = Selector {
        quote: &quote.value,
        prefix: def.prefix.as_deref(),
        suffix: def.suffix.as_deref(),
        occurrence: def.occurrence,
    };
    let text = &seed.text;
    let seed_line = |r: &ByteRange| line_col(text, r.start).0;
    let excerpt = |r: &ByteRange| {
        let s = collapse(r.of(text));
        if s.chars().count() > 120 {
            format!("{}…", s.chars().take(120).collect::<String>())
        } else {
            s
        }
    };
    quote::anchor_within(text, kept, all, &selector, fuzzy_budget).map_err(|e| {
        let id = &def.id.value;
        let d = match e {
            AnchorError::EmptyQuote => Diagnostic::error(Code::InvalidValue, format!("annotation `{id}` has an empty quote"))
                .help("copy the passage to highlight from the seed"),
            AnchorError::NotFound { closest: Some(c) } if c.similarity >= 0.999 => Diagnostic::error(
                Code::AnchorNotFound,
                format!("the quote of `{id}` is in {}, but not with that prefix/suffix", seed.path),
            )
            .help(format!(
                "the quote itself is at {}:{}; fix `prefix:`/`suffix:` (they must be the text immediately before/after it) or remove them",
                seed.path,
                seed_line(&c.range)
            )),
            AnchorError::NotFound { closest: Some(c) } => Diagnostic::error(
                Code::AnchorNotFound,
                format!("the quote of `{id}` is not in {}", seed.path),
            )
            .help(format!(
                "the closest passage ({:.0}% similar, {}:{}) is: \"{}\" — copy it exactly (straight quotes and dashes are fine)",
                c.similarity * 100.0,
                seed.path,
                seed_line(&c.range),
                excerpt(&c.range)
            ))
            .fix(Fix::passage(
                format!("{}:{}", seed.path, seed_line(&c.range)),
                &quote.value,
                c.range.of(text),
            )),
            AnchorError::NotFound { closest: None } => Diagnostic::error(
                Code::AnchorNotFound,
                format!("the quote of `{id}` is not in {}", seed.path),
            )
            .help("nothing in the article is close to it; check that the annotation file names the right seed"),
            AnchorError::Ambiguous { matches } => Diagnostic::error(
                Code::AnchorAmbiguous,
                format!("the quote of `{id}` matches {} places in {}", matches.len(), seed.path),
            )
            .help(format!(
                "add `prefix:`/`suffix:` (text just before/after) or `occurrence: N`. Matches: {}",
                {
                    let mut list: Vec<String> = matches
                        .iter()
                        .take(10)
                        .enumerate()
                        .map(|(i, r)| format!("{}) {}:{}", i + 1, seed.path, seed_line(r)))
                        .collect();
                    if matches.len() > 10 {
                        list.push(format!("and {} more", matches.len() - 10));
                    }
                    list.join(", ")
                }
            )),
            AnchorError::OccurrenceOutOfRange { occurrence, found } => Diagnostic::error(
                Code::AnchorNotFound,
                format!("`{id}` asks for occurrence {occurrence} but the quote matches {found} time(s)"),
            )
            .help(format!("use an occurrence from 1 to {found}")),
            AnchorError::InDroppedText { range } => Diagnostic::error(
                Code::AnchorInDroppedText,
                format!("the quote of `{id}` is in text that `text:` removes ({}:{})", seed.path, seed_line(&range)),
            )
            .help("annotate a passage of the kept text, or change `text.drop`/`text.end_before`"),
        };
        d.at(quote_pos)
    })
}
