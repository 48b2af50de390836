//! The `anchor` stage: each seed and its annotation file become an article whose body is a
//! list of kept paragraphs and whose annotations are byte ranges of the seed.
//!
//! Also validates everything that needs only one file (dates, ids, text rules), and
//! collects entities and events into checked values. Cross-file references are the
//! `link` stage's job.

use crate::anchor::{self, AnchorError, SearchText, Selector};
use crate::config::SiteConfig;
use crate::diag::{Code, Diagnostic, Pos, SourceFiles};
use crate::edtf::EdtfDate;
use crate::load::{Seed, Sources, ThemeSources};
use crate::model::{AnnotationDef, AnnotationKind, ArticleFile, EntityKind, SpannedStr, Status};
use crate::text::{self, normalize_str};
use crate::types::{AnnotationId, ArticleId, ByteRange, EntityId, EventId, line_col};
use camino::Utf8PathBuf;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// A reference to something by id, with where it was written, for "unknown id" diagnostics.
#[derive(Clone, Debug, Hash)]
pub struct Ref<T> {
    pub id: T,
    pub pos: Pos,
}

#[derive(Debug)]
pub struct Anchored {
    pub config: SiteConfig,
    pub files: SourceFiles,
    pub articles: Vec<Arc<Article>>,
    pub entities: Vec<Entity>,
    pub entities_path: Utf8PathBuf,
    pub events: Vec<Event>,
    pub events_path: Utf8PathBuf,
    /// Events left out for an invalid date (already reported).
    pub broken_events: BTreeSet<String>,
    pub briefing: Option<String>,
    pub pages: Vec<Page>,
    pub theme: ThemeSources,
}

#[derive(Debug, Hash)]
pub struct Article {
    pub id: ArticleId,
    /// The annotation file, or `None` for a seed without one.
    pub path: Option<Utf8PathBuf>,
    pub seed_path: Utf8PathBuf,
    pub seed: Arc<str>,
    /// Identity of the inputs: equal versions mean an identical article.
    pub version: u64,
    /// Identity of the seed text alone.
    pub seed_version: u64,
    pub title: String,
    pub slug: String,
    pub slug_pos: Option<Pos>,
    pub outlet: Option<Ref<EntityId>>,
    pub author: Option<String>,
    pub published: Option<EdtfDate>,
    pub url: Option<String>,
    /// Where a reader can verify the text: archive copy, retrieval date, language, hash.
    pub source: crate::source::SourceMeta,
    pub draft: bool,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub blocks: Vec<Block>,
    /// In reading order (by start, then longer first).
    pub annotations: Vec<Annotation>,
    /// Annotations whose quote did not anchor (already reported); references to them are
    /// dropped quietly rather than reported a second time.
    pub unanchored: Vec<String>,
}

/// A kept paragraph of the seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Block {
    pub range: ByteRange,
    pub heading: bool,
}

#[derive(Debug, Hash)]
pub struct Annotation {
    pub id: AnnotationId,
    pub pos: Pos,
    pub range: ByteRange,
    pub kind: AnnotationKind,
    pub status: Option<Status>,
    pub speaker: Option<Ref<EntityId>>,
    pub note: Option<String>,
    pub entities: Vec<Ref<EntityId>>,
    pub events: Vec<Ref<EventId>>,
    /// `<article id>#<annotation id>` as written.
    pub see: Vec<Ref<String>>,
    /// The shared claim id, when the analyst gave one.
    pub claim: Option<String>,
    pub verdict: Option<crate::model::Verdict>,
}

#[derive(Debug, Hash)]
pub struct Entity {
    pub id: EntityId,
    pub pos: Pos,
    pub name: String,
    pub kind: EntityKind,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub description: Option<String>,
    pub links: Vec<String>,
}

#[derive(Debug, Hash)]
pub struct Event {
    pub id: EventId,
    pub pos: Pos,
    pub date: EdtfDate,
    pub title: String,
    pub summary: Option<String>,
    pub entities: Vec<Ref<EntityId>>,
    pub tags: Vec<String>,
}

#[derive(Debug, Hash)]
pub struct Page {
    pub path: Utf8PathBuf,
    pub slug: String,
    pub title: String,
    pub weight: i64,
    pub body: String,
}

/// Runs the anchor stage over everything loaded.
pub fn anchor_all(sources: Sources) -> (Anchored, Vec<Diagnostic>) {
    anchor_all_cached(sources, &mut AnchorCache::default())
}

/// Anchored articles from earlier runs, reused while their annotation file and seed are
/// the same versions (see `load::LoadCache`).
#[derive(Default)]
pub struct AnchorCache {
    articles: HashMap<ArticleId, (u64, Arc<Article>, Vec<Diagnostic>)>,
}

/// `anchor_all`, reusing unchanged articles from `cache`.
pub fn anchor_all_cached(sources: Sources, cache: &mut AnchorCache) -> (Anchored, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Sources {
        config,
        files,
        seeds,
        articles: sources,
        entities,
        events,
        briefing,
        pages,
        theme,
        seed_lock: _,
    } = sources;

    // Pair each seed with its annotation file; a file naming a missing seed is an error.
    let mut by_seed: BTreeMap<String, ArticleInput> = BTreeMap::new();
    for source in sources {
        let seed_name = source
            .file
            .seed
            .as_ref()
            .map_or_else(|| format!("{}.txt", source.id), |s| s.value.clone());
        // `seed: ../site.toml` names a file that exists, just not one gloss reads as a seed.
        if camino::Utf8Path::new(&seed_name)
            .components()
            .any(|c| !matches!(c, camino::Utf8Component::Normal(_)))
        {
            let pos = source
                .file
                .seed
                .as_ref()
                .map(|s| Pos::from_yaml(&s.referenced));
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!(
                        "seed `{}` is not a file inside seeds/",
                        shorten(&seed_name).escape_debug()
                    ),
                )
                .in_file(&source.path)
                .at_opt(pos)
                .help("set `seed:` to a file name relative to seeds/, without `..` or a leading `/`, e.g. `article.txt`"),
            );
            continue;
        }
        if !seeds.contains_key(&seed_name) {
            let pos = source
                .file
                .seed
                .as_ref()
                .map(|s| Pos::from_yaml(&s.referenced));
            let near = crate::suggest::nearest(&seed_name, seeds.keys().map(String::as_str));
            diags.push(
                Diagnostic::error(
                    Code::SeedMissing,
                    format!("seed `seeds/{seed_name}` does not exist"),
                )
                .in_file(&source.path)
                .at_opt(pos.or(Some(Pos {
                    line: 1,
                    column: 1,
                    offset: 0,
                    len: 1,
                })))
                .help(match near {
                    Some(n) => format!("did you mean `{n}`? Set `seed:` to a file in seeds/"),
                    None => {
                        "put the article's text in seeds/, or set `seed:` to the right file name"
                            .into()
                    }
                }),
            );
            continue;
        }
        if let Some(prev) = by_seed.get(&seed_name) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "seed `{seed_name}` is already annotated by {}",
                        prev.path
                            .as_deref()
                            .map_or("another file".into(), |p| p.to_string())
                    ),
                )
                .in_file(&source.path)
                .help("each seed has one annotation file; merge the two"),
            );
            continue;
        }
        by_seed.insert(
            seed_name,
            ArticleInput {
                id: source.id,
                path: Some(source.path),
                file: Some(source.file),
                version: source.version,
            },
        );
    }
    for name in seeds.keys() {
        if !by_seed.contains_key(name) {
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
            diags.push(
                Diagnostic::warning(
                    Code::MissingAnnotationFile,
                    format!("seeds/{name} has no annotation file"),
                )
                .in_file(format!("seeds/{name}"))
                .help(format!(
                    "run `gloss new {name}` to write content/articles/{stem}.yaml"
                )),
            );
            by_seed.insert(
                name.clone(),
                ArticleInput {
                    id: ArticleId(stem.to_owned()),
                    path: None,
                    file: None,
                    version: 0,
                },
            );
        }
    }

    let previous = std::mem::take(&mut cache.articles);
    let results: Vec<(u64, Arc<Article>, Vec<Diagnostic>)> = by_seed
        .into_par_iter()
        .filter_map(|(name, input)| {
            let seed = seeds.get(&name)?;
            // Both inputs' versions identify the article; a cache hit is the same article.
            let key =
                crate::deps::stable_hash(&(input.version, seed.version, &input.path, &seed.path));
            if let Some((k, article, d)) = previous.get(&input.id)
                && *k == key
            {
                return Some((key, article.clone(), d.clone()));
            }
            let (mut article, d) = anchor_article(input, seed);
            article.version = key;
            Some((key, Arc::new(article), d))
        })
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    for (key, article, d) in results {
        diags.extend(d.iter().cloned());
        cache
            .articles
            .insert(article.id.clone(), (key, article.clone(), d));
        articles.push(article);
    }
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    check_slugs(&articles, &mut diags);

    let entities_path = entities
        .as_ref()
        .map_or_else(|| "content/entities.yaml".into(), |e| e.path.clone());
    let entities = entities.map_or_else(Vec::new, |parsed| {
        let positions = key_positions(&parsed.text);
        parsed
            .value
            .into_iter()
            .filter(|(id, _)| {
                let pos = positions.get(id.as_str()).copied().unwrap_or(Pos {
                    line: 1,
                    column: 1,
                    offset: 0,
                    len: 0,
                });
                check_id("entity", id, pos, &parsed.path, &mut diags)
            })
            .map(|(id, def)| Entity {
                pos: positions.get(id.as_str()).copied().unwrap_or(Pos {
                    line: 1,
                    column: 1,
                    offset: 0,
                    len: 0,
                }),
                id: EntityId(id),
                name: def.name,
                kind: def.kind,
                aliases: def.aliases,
                role: def.role,
                description: def.description,
                links: def.links,
            })
            .collect()
    });

    let events_path = events
        .as_ref()
        .map_or_else(|| "content/events.yaml".into(), |e| e.path.clone());
    let mut event_list = Vec::new();
    let mut seen_events = BTreeSet::new();
    let mut broken_events = BTreeSet::new();
    for def in events.map(|p| p.value).unwrap_or_default() {
        let pos = Pos::from_yaml(&def.id.referenced);
        if !seen_events.insert(def.id.value.clone()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("event id `{}` is used twice", def.id.value),
                )
                .in_file(&events_path)
                .at(pos)
                .help("give each event a unique id"),
            );
            continue;
        }
        if !check_id("event", &def.id.value, pos, &events_path, &mut diags) {
            continue;
        }
        let Some(date) = parse_date(&def.date, &events_path, &mut diags) else {
            broken_events.insert(def.id.value.clone());
            continue;
        };
        event_list.push(Event {
            id: EventId(def.id.value),
            pos,
            date,
            title: def.title,
            summary: def.summary,
            entities: refs(&def.entities, EntityId),
            tags: def.tags,
        });
    }

    let mut page_list: Vec<Page> = pages
        .into_iter()
        .filter(|p| !p.front.draft || config.build.drafts)
        .map(|p| Page {
            slug: p
                .front
                .slug
                .clone()
                .map_or_else(|| text::slugify(&p.stem), |s| text::slugify(&s)),
            title: p.front.title.clone().unwrap_or_else(|| p.stem.clone()),
            weight: p.front.weight,
            body: p.body,
            path: p.path,
        })
        .collect();
    page_list.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));

    check_tag_slugs(
        &articles,
        &event_list,
        &events_path,
        &files,
        config.build.drafts,
        &mut diags,
    );
    check_case_clashes(
        "entity",
        entities.iter().map(|e| (e.id.0.as_str(), e.pos)),
        &entities_path,
        &mut diags,
    );
    check_case_clashes(
        "event",
        event_list.iter().map(|e| (e.id.0.as_str(), e.pos)),
        &events_path,
        &mut diags,
    );

    let anchored = Anchored {
        config,
        files,
        articles,
        entities,
        entities_path,
        events: event_list,
        events_path,
        broken_events,
        briefing,
        pages: page_list,
        theme,
    };
    (anchored, diags)
}

struct ArticleInput {
    id: ArticleId,
    path: Option<Utf8PathBuf>,
    file: Option<Arc<ArticleFile>>,
    version: u64,
}

fn refs<T>(list: &[SpannedStr], make: impl Fn(String) -> T) -> Vec<Ref<T>> {
    list.iter()
        .map(|s| Ref {
            id: make(s.value.clone()),
            pos: Pos::from_yaml(&s.referenced),
        })
        .collect()
}

fn spanned_ref<T>(s: &SpannedStr, make: impl Fn(String) -> T) -> Ref<T> {
    Ref {
        id: make(s.value.clone()),
        pos: Pos::from_yaml(&s.referenced),
    }
}

fn parse_date(s: &SpannedStr, path: &Utf8PathBuf, diags: &mut Vec<Diagnostic>) -> Option<EdtfDate> {
    match s.value.parse::<EdtfDate>() {
        Ok(d) => Some(d),
        Err(e) => {
            diags.push(
                Diagnostic::error(Code::InvalidDate, format!("`{}` is not a valid EDTF date: {e}", shorten(&s.value)))
                    .in_file(path)
                    .at(Pos::from_yaml(&s.referenced))
                    .help("use 2020, 2020-10, 2020-10-29, an interval 2020-10-28/2020-10-29, an open end 2022-08/.., or ~ and ? for approximate and uncertain"),
            );
            None
        }
    }
}

/// A value as shown in a message: a hostile one can be megabytes long.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &value[..i]),
        None => value.to_owned(),
    }
}

/// The most tags one article may have.
const MAX_TAGS: usize = 100;

/// Where each top-level mapping key is written, found in one scan of the lines (serde-saphyr
/// spans values, not keys; a scan per key would be quadratic in a large entities file).
fn key_positions(text: &str) -> std::collections::HashMap<&str, Pos> {
    let mut positions = std::collections::HashMap::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let key = match line.chars().next() {
            Some(q @ ('"' | '\'')) => line[1..]
                .split_once(q)
                .filter(|(_, rest)| rest.trim_start().starts_with(':'))
                .map(|(k, _)| k),
            Some(c) if !c.is_whitespace() && !matches!(c, '#' | '-' | '{' | '[') => {
                line.split_once(':').map(|(k, _)| k.trim_end())
            }
            _ => None,
        };
        if let Some(key) = key {
            positions.entry(key).or_insert(Pos {
                line: i + 1,
                column: 1,
                offset,
                len: key.len(),
            });
        }
        offset += line.len();
    }
    positions
}

/// Entity and event ids become folder names and URLs (`entities/<id>/`), so an id from an
/// untrusted file must not be able to name another folder (`../..`) or break the URL.
fn check_id(
    what: &str,
    id: &str,
    pos: Pos,
    file: &camino::Utf8Path,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let bad = id.is_empty()
        || id == "."
        || id == ".."
        // `entities/index.html` is the list page: an id of that name would need it as a folder.
        || id.eq_ignore_ascii_case("index.html")
        || id.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '/' | '\\' | '?' | '#' | '%' | '"' | '<' | '>')
        });
    if bad {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("{what} id `{}` cannot be used in a URL", id.escape_debug()),
            )
            .in_file(file)
            .at(pos)
            .help("use letters, digits and hyphens, e.g. `wu-qian` or `2020-10-crisis-talks`"),
        );
    }
    !bad
}

fn anchor_article(input: ArticleInput, seed: &Seed) -> (Article, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let file = input.file.unwrap_or_else(|| {
        Arc::new(ArticleFile {
            seed: None,
            title: None,
            slug: None,
            outlet: None,
            author: None,
            published: None,
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
    let mut fuzzy_budget = anchor::FILE_FUZZY_BUDGET;
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
        match anchor_one(def, seed, &kept_text, &all_text, &mut fuzzy_budget) {
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
                unanchored.push(def.id.value.clone());
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
        url: file.url.clone().filter(|u| !u.trim().is_empty()),
        source: crate::source::SourceMeta::of(&file, retrieved, text, &path, &mut diags),
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

/// One paragraph's text on one line, for a default title.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn anchor_one(
    def: &AnnotationDef,
    seed: &Seed,
    kept: &SearchText,
    all: &SearchText,
    fuzzy_budget: &mut usize,
) -> Result<ByteRange, Diagnostic> {
    let quote_pos = Pos::from_yaml(&def.quote.referenced);
    let selector = Selector {
        quote: &def.quote.value,
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
    anchor::anchor_within(text, kept, all, &selector, fuzzy_budget).map_err(|e| {
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

/// Two articles with one slug would overwrite each other's page.
fn check_slugs(articles: &[Arc<Article>], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &Article> = BTreeMap::new();
    for article in articles {
        if let Some(first) = seen.insert(&article.slug, article) {
            // Point at a `slug:` line where there is one: that is what to change.
            let at = if article.slug_pos.is_none() && first.slug_pos.is_some() {
                first
            } else {
                article
            };
            diags.push(
                Diagnostic::error(
                    Code::SlugCollision,
                    format!(
                        "articles `{}` and `{}` both have the slug `{}`",
                        first.id, article.id, article.slug
                    ),
                )
                .in_file(at.path.as_ref().unwrap_or(&at.seed_path))
                .at_opt(at.slug_pos)
                .help("set a different `slug:` in one of the annotation files"),
            );
        }
    }
}

/// Two tags with one slug (`C++` and `C`, `a b` and `a-b`) would share, and overwrite, one
/// tag page. Each tag is reported once, at the first file that spells it differently.
fn check_tag_slugs(
    articles: &[Arc<Article>],
    events: &[Event],
    events_path: &Utf8PathBuf,
    files: &SourceFiles,
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let mut first: BTreeMap<String, &str> = BTreeMap::new();
    let mut reported = BTreeSet::new();
    let uses = articles
        .iter()
        .filter(|a| !a.draft || drafts)
        .flat_map(|a| {
            let file = a.path.as_ref().unwrap_or(&a.seed_path);
            a.tags.iter().map(move |t| (t.as_str(), file, None))
        })
        .chain(events.iter().flat_map(|e| {
            e.tags
                .iter()
                .map(move |t| (t.as_str(), events_path, Some(e.pos)))
        }));
    for (tag, file, after) in uses {
        let slug = text::slugify(tag);
        let earlier = *first.entry(slug.clone()).or_insert(tag);
        if earlier == tag || !reported.insert(tag) {
            continue;
        }
        diags.push(
            Diagnostic::error(
                Code::SlugCollision,
                format!("tags `{}` and `{}` both have the slug `{slug}`", shorten(earlier), shorten(tag)),
            )
            .in_file(file)
            .at_opt(files.get(file).and_then(|text| tag_pos(text, tag, after)))
            .help(format!("tag pages are named by slug: write the tag as `{}`, or make the two differ in letters or digits", shorten(earlier))),
        );
    }
}

/// Where `tag` is written in a file's `tags:` list (the one after `after`, for an event).
fn tag_pos(text: &str, tag: &str, after: Option<Pos>) -> Option<Pos> {
    let from = after.map_or(0, |p| p.offset.min(text.len()));
    let list = from + text[from..].find("tags")?;
    let at = list + text[list..].find(tag)?;
    Some(Pos::of_range(text, at, at + tag.len()))
}

/// Ids that differ only in case are two folders on Linux but one on the case-insensitive
/// file systems of macOS and Windows, where one page would overwrite the other.
fn check_case_clashes<'a>(
    what: &str,
    ids: impl Iterator<Item = (&'a str, Pos)>,
    file: &Utf8PathBuf,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (id, pos) in ids {
        if let Some(earlier) = seen.insert(id.to_lowercase(), id) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("{what} ids `{earlier}` and `{id}` differ only in case"),
                )
                .in_file(file)
                .at(pos)
                .help("on macOS and Windows the two would be one page: rename one of them"),
            );
        }
    }
}
