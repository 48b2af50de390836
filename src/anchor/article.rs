//! One article through the anchor stage: its kept paragraphs, its annotations' quotes
//! found in the seed (exactly, or with "closest passage" help), its metadata checked.

use super::quote::{self, AnchorError, SearchText, Selector};
use super::{
    Annotation, Article, ArticleInput, Block, SourceMeta, Translation, Unanchored, check_id,
    parse_date, refs, shorten, spanned_ref,
};
use crate::diag::{Code, Diagnostic, Fix, Pos};
use crate::load::{Seed, TranslationSource};
use crate::model::{AnnotationDef, ArticleFile, SpannedStr, TextSide};
use crate::text::{self, normalize_str};
use crate::types::{AnnotationId, ByteRange, EntityId, EventId, line_col};
use camino::Utf8Path;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The most tags one article may have.
const MAX_TAGS: usize = 100;

pub(super) fn anchor_article(
    input: ArticleInput,
    seed: &Seed,
    translation: Option<&TranslationSource>,
) -> (Article, Vec<Diagnostic>) {
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
    let input_translation = translation.is_some();
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
    let title_removed = !kept.is_empty() && first_para == normalize_str(&title);
    if title_removed {
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

    let kept_ix: Vec<usize> = kept
        .iter()
        .filter_map(|r| all.binary_search_by_key(&r.start, |a| a.start).ok())
        .collect();
    let shape = Shape {
        all: all.len(),
        kept: &kept_ix,
        title_removed,
    };
    let translation = translation.and_then(|t| align(t, &seed.path, shape, &blocks, &mut diags));

    let kept_text = SearchText::new(text, &kept);
    let all_text = SearchText::new(text, &all);
    // The translation's texts are built only when an annotation is in it.
    let translated_texts = file
        .annotations
        .iter()
        .any(|a| a.side == TextSide::Translation)
        .then(|| {
            translation.as_ref().map(|t| {
                let kept: Vec<ByteRange> = t.blocks.iter().map(|b| b.range).collect();
                (
                    SearchText::new(&t.text, &kept),
                    SearchText::new(&t.text, &text::paragraphs(&t.text)),
                )
            })
        })
        .flatten();
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
        let found = match (def.side, &translation, &translated_texts) {
            (TextSide::Original, _, _) => anchor_one(
                def,
                quote,
                (&seed.path, text),
                (&kept_text, &all_text),
                &mut fuzzy_budget,
            ),
            (TextSide::Translation, Some(t), Some((kept, all))) => anchor_one(
                def,
                quote,
                (&t.path, &t.text),
                (kept, all),
                &mut fuzzy_budget,
            ),
            // The translation does not line up with the original, which was reported.
            (TextSide::Translation, None, _) if input_translation => {
                unanchored.push(Unanchored::of(def));
                continue;
            }
            (TextSide::Translation, _, _) => Err(Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "annotation `{}` is `in: translation`, but {} has no translation",
                    def.id.value, seed.path
                ),
            )
            .at(pos)
            .help(format!(
                "put the translation in {}, one paragraph per paragraph of the original, or remove `in: translation`",
                translation_example(&seed.path)
            ))),
        };
        match found {
            Ok(range) => annotations.push(Annotation {
                id: AnnotationId(def.id.value.clone()),
                pos,
                side: def.side,
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
    // Reading order: paragraph by paragraph, each original before its translation.
    let block_of = |a: &Annotation| {
        let list = match a.side {
            TextSide::Translation => translation.as_ref().map_or(&blocks[..], |t| &t.blocks),
            TextSide::Original => &blocks,
        };
        list.iter()
            .position(|b| b.range.overlaps(a.range) || b.range.start == a.range.start)
    };
    annotations.sort_by_cached_key(|a| {
        (
            block_of(a),
            a.side,
            a.range.start,
            std::cmp::Reverse(a.range.end),
        )
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
        if text::is_language_tag(&l.value) {
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
        translation,
        annotations,
        unanchored,
    };
    (article, diags)
}

/// One paragraph's text on one line, for a default title.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finds one annotation's quote in one of the article's texts (`file`: its path and text).
fn anchor_one(
    def: &AnnotationDef,
    quote: &SpannedStr,
    file: (&Utf8Path, &str),
    (kept, all): (&SearchText, &SearchText),
    fuzzy_budget: &mut usize,
) -> Result<ByteRange, Diagnostic> {
    let (path, text) = file;
    let quote_pos = Pos::from_yaml(&quote.referenced);
    let selector = Selector {
        quote: &quote.value,
        prefix: def.prefix.as_deref(),
        suffix: def.suffix.as_deref(),
        occurrence: def.occurrence,
    };
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
                format!("the quote of `{id}` is in {}, but not with that prefix/suffix", path),
            )
            .help(format!(
                "the quote itself is at {}:{}; fix `prefix:`/`suffix:` (they must be the text immediately before/after it) or remove them",
                path,
                seed_line(&c.range)
            )),
            AnchorError::NotFound { closest: Some(c) } => Diagnostic::error(
                Code::AnchorNotFound,
                format!("the quote of `{id}` is not in {}", path),
            )
            .help(format!(
                "the closest passage ({:.0}% similar, {}:{}) is: \"{}\" — copy it exactly (straight quotes and dashes are fine)",
                c.similarity * 100.0,
                path,
                seed_line(&c.range),
                excerpt(&c.range)
            ))
            .fix(Fix::passage(
                format!("{}:{}", path, seed_line(&c.range)),
                &quote.value,
                c.range.of(text),
            )),
            AnchorError::NotFound { closest: None } => Diagnostic::error(
                Code::AnchorNotFound,
                format!("the quote of `{id}` is not in {}", path),
            )
            .help("nothing in the article is close to it; check that the annotation file names the right seed"),
            AnchorError::Ambiguous { matches } => Diagnostic::error(
                Code::AnchorAmbiguous,
                format!("the quote of `{id}` matches {} places in {}", matches.len(), path),
            )
            .help(format!(
                "add `prefix:`/`suffix:` (text just before/after) or `occurrence: N`. Matches: {}",
                {
                    let mut list: Vec<String> = matches
                        .iter()
                        .take(10)
                        .enumerate()
                        .map(|(i, r)| format!("{}) {}:{}", i + 1, path, seed_line(r)))
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
                format!("the quote of `{id}` is in text that `text:` removes ({}:{})", path, seed_line(&range)),
            )
            .help("annotate a passage of the kept text, or change `text.drop`/`text.end_before`"),
        };
        d.at(quote_pos)
    })
}

/// The shape of an article's original text that a translation must follow.
#[derive(Clone, Copy)]
struct Shape<'a> {
    /// How many paragraphs the seed has.
    all: usize,
    /// Which of them the page shows, in order.
    kept: &'a [usize],
    /// Whether the first paragraph is the title, shown as the heading.
    title_removed: bool,
}

/// The translation's paragraphs matched to the original's kept paragraphs. A translation
/// may have one paragraph per paragraph of the seed (the text rules then leave out the
/// same ones), or one per paragraph the page shows, after the translated title when the
/// seed starts with its title. Any other count is reported, with the paragraphs side by
/// side, and the article is shown without it.
fn align(
    t: &TranslationSource,
    seed_path: &Utf8Path,
    shape: Shape,
    blocks: &[Block],
    diags: &mut Vec<Diagnostic>,
) -> Option<Translation> {
    let text = &t.file.text;
    let paras = text::paragraphs(text);
    let shown = shape.kept.len();
    let (title, ranges): (Option<ByteRange>, Vec<ByteRange>) = if paras.len() == shape.all {
        (
            paras.first().copied().filter(|_| shape.title_removed),
            shape.kept.iter().map(|&i| paras[i]).collect(),
        )
    } else if paras.len() == shown {
        (None, paras.clone())
    } else if shape.title_removed && paras.len() == shown + 1 {
        (Some(paras[0]), paras[1..].to_vec())
    } else {
        diags.push(mismatch(t, seed_path, shape, &paras));
        return None;
    };
    Some(Translation {
        path: t.file.path.clone(),
        text: text.clone(),
        version: t.file.version,
        language: t.language.clone(),
        title: title.map(|r| collapse(r.of(text))),
        blocks: ranges
            .into_iter()
            .zip(blocks)
            .map(|(range, b)| Block {
                range,
                heading: b.heading,
            })
            .collect(),
        sha256: super::source::sha256_hex(text),
    })
}

/// A translation whose paragraphs do not line up with the original's: where, by how many,
/// and how to fix it.
fn mismatch(
    t: &TranslationSource,
    seed_path: &Utf8Path,
    shape: Shape,
    paras: &[ByteRange],
) -> Diagnostic {
    let text = &t.file.text;
    let shown = shape.kept.len();
    let expected = if shape.title_removed {
        format!(
            "{shown} (or {} with the title first, or {} like the file)",
            shown + 1,
            shape.all
        )
    } else {
        format!("{shown} (or {} like the file)", shape.all)
    };
    // Past the last expected paragraph when there are too many; the last one when too few.
    let at = paras
        .get(shown + usize::from(shape.title_removed))
        .or(paras.last())
        .map(|r| Pos::of_range(text, r.start, r.end.min(r.start + 1)));
    let first = |r: &ByteRange| {
        let s = collapse(r.of(text));
        match s.char_indices().nth(24) {
            Some((i, _)) => format!("{}…", &s[..i]),
            None => s,
        }
    };
    let listed: Vec<String> = paras
        .iter()
        .take(6)
        .enumerate()
        .map(|(i, r)| format!("{}) {}", i + 1, first(r)))
        .collect();
    Diagnostic::error(
        Code::TranslationMismatch,
        format!(
            "the translation {} has {} paragraph{}, but the page shows {shown} of {seed_path}",
            t.file.path,
            paras.len(),
            if paras.len() == 1 { "" } else { "s" },
        ),
    )
    .in_file(&t.file.path)
    .at_opt(at)
    .help(format!(
        "give it {expected} paragraphs, separated by blank lines, so each lines up with its original; its paragraphs: {}",
        listed.join(" ")
    ))
}

/// Where the translation of `seed` would be, for help texts: `seeds/x.en.txt`.
fn translation_example(seed: &Utf8Path) -> String {
    let stem = seed.file_stem().unwrap_or("article");
    let ext = seed.extension().unwrap_or("txt");
    seed.with_file_name(format!("{stem}.<language>.{ext}"))
        .to_string()
}
