//! The `anchor` stage: each seed and its annotation file become an article whose body is a
//! list of kept paragraphs and whose annotations are byte ranges of the seed.
//!
//! Also validates everything that needs only one file (dates, ids, text rules), and
//! collects entities and events into checked values. Cross-file references are the
//! `link` stage's job.

mod article;
mod catalog;
mod checks;
pub mod quote;
mod source;
pub mod stealth;
mod translation;

use article::anchor_article;
use checks::{check_case_clashes, check_slugs, check_tag_slugs};
pub use source::SourceMeta;
pub use translation::Translation;
use translation::misnamed_translation;

use crate::config::SiteConfig;
use crate::diag::{Code, Diagnostic, Pos, SourceFiles};
use crate::edtf::EdtfDate;
use crate::load::Sources;
use crate::memo::Memo;
use crate::model::{AnnotationKind, ArticleFile, EntityKind, SpannedStr, Status, TextSide};
use crate::types::{AnnotationId, ArticleId, ByteRange, EntityId, EventId};
use camino::Utf8PathBuf;
use rayon::prelude::*;
use std::collections::BTreeMap;
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
    /// Events left out for an invalid date (already reported), with the entities they
    /// name: a mistyped entity id there is a mistake of its own, reported in the same run.
    pub broken_events: BTreeMap<String, Vec<Ref<EntityId>>>,
    pub briefing: Option<String>,
    pub pages: Vec<Page>,
    /// Annotation files left out because their seed is missing (already reported).
    pub orphans: Vec<Orphan>,
}

/// The references of an annotation file whose seed is missing. The article is left out,
/// but a mistyped id in the file is a mistake of its own, reported in the same run.
#[derive(Debug)]
pub struct Orphan {
    pub path: Utf8PathBuf,
    pub outlet: Option<Ref<EntityId>>,
    pub annotations: Vec<Unanchored>,
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
    /// When the annotations were last revised (`updated:`).
    pub updated: Option<EdtfDate>,
    pub url: Option<String>,
    /// The seed's language (BCP 47) when `language:` names one; otherwise the site's.
    pub language: Option<String>,
    /// Where a reader can verify the text: archive copy, retrieval date, language, hash.
    pub source: SourceMeta,
    pub draft: bool,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub blocks: Vec<Block>,
    /// The translation shown beside the text, when `seeds/` has one.
    pub translation: Option<Translation>,
    /// In reading order: by paragraph, the original's before the translation's, then by
    /// start, longer first.
    pub annotations: Vec<Annotation>,
    /// Annotations whose quote did not anchor (already reported); references to them are
    /// dropped quietly rather than reported a second time.
    pub unanchored: Vec<Unanchored>,
}

/// An annotation whose quote did not anchor. Its own references are still checked: a
/// mistyped id beside a bad quote is a second mistake, not a consequence of the first.
#[derive(Debug, Hash)]
pub struct Unanchored {
    pub id: String,
    pub speaker: Option<Ref<EntityId>>,
    pub entities: Vec<Ref<EntityId>>,
    pub events: Vec<Ref<EventId>>,
    pub see: Vec<Ref<String>>,
}

impl Unanchored {
    fn of(def: &crate::model::AnnotationDef) -> Unanchored {
        Unanchored {
            id: def.id.value.clone(),
            speaker: def.speaker.as_ref().map(|s| spanned_ref(s, EntityId)),
            entities: refs(&def.entities, EntityId),
            events: refs(&def.events, EventId),
            see: refs(&def.see, |s| s),
        }
    }
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
    /// Which text `range` is of.
    pub side: TextSide,
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

impl Annotation {
    /// The status as themes name it (`disputed`, …), empty when the annotation states none.
    pub fn status_name(&self) -> String {
        self.status
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default()
    }
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

/// Anchored articles from earlier runs, reused while their annotation file and seed are
/// the same versions (see `load::LoadCache`).
#[derive(Default)]
pub struct AnchorCache {
    articles: Memo<ArticleId, (Arc<Article>, Vec<Diagnostic>)>,
}

impl AnchorCache {
    /// A cache for a run that happens once: it keeps no article for reuse.
    pub fn one_shot() -> Self {
        Self {
            articles: Memo::one_shot(),
        }
    }
}

/// Runs the anchor stage over everything loaded, reusing unchanged articles from `cache`
/// (`AnchorCache::default()` for a single run).
pub fn anchor_all(sources: Sources, cache: &mut AnchorCache) -> (Anchored, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Sources {
        config,
        files,
        seeds,
        translations,
        articles: sources,
        entities,
        events,
        briefing,
        pages,
        theme: _,
        seed_lock: _,
    } = sources;

    // Pair each seed with its annotation file; a file naming a missing seed is an error.
    let mut by_seed: BTreeMap<String, ArticleInput> = BTreeMap::new();
    let mut orphans = Vec::new();
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
            if let Some(p) = &source.file.published {
                parse_date(p, &source.path, &mut diags);
            }
            orphans.push(Orphan {
                path: source.path.clone(),
                outlet: source
                    .file
                    .outlet
                    .as_ref()
                    .map(|s| spanned_ref(s, EntityId)),
                annotations: source.file.annotations.iter().map(Unanchored::of).collect(),
            });
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
                .at_opt(
                    source
                        .file
                        .seed
                        .as_ref()
                        .map(|s| Pos::from_yaml(&s.referenced)),
                )
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
                .help(match misnamed_translation(name, &seeds) {
                    Some(original) => format!(
                        "run `gloss new {name}` to write content/articles/{stem}.yaml; if it is a translation of seeds/{original}, name it with a BCP 47 language tag, e.g. `{}`",
                        original.rsplit_once('.').map_or(format!("{original}.en"), |(s, e)| format!("{s}.en.{e}"))
                    ),
                    None => format!("run `gloss new {name}` to write content/articles/{stem}.yaml"),
                }),
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

    // One translation is shown beside the original; further ones are named, not dropped silently.
    for list in translations.values() {
        for extra in list.iter().skip(1) {
            diags.push(
                Diagnostic::warning(
                    Code::InvalidValue,
                    format!(
                        "{} is a second translation of the same seed; only {} is shown",
                        extra.file.path, list[0].file.path
                    ),
                )
                .in_file(&extra.file.path)
                .help("an article shows one translation beside its original; remove or rename the others"),
            );
        }
    }
    let previous = &cache.articles;
    let results: Vec<(u64, Arc<Article>, Vec<Diagnostic>)> = by_seed
        .into_par_iter()
        .filter_map(|(name, input)| {
            let seed = seeds.get(&name)?;
            let translation = translations.get(&name).and_then(|l| l.first());
            // The inputs' versions identify the article; a cache hit is the same article.
            let key = crate::hash::stable_hash(&(
                (input.version, seed.version, &input.path, &seed.path),
                translation.map(|t| (t.file.version, &t.file.path)),
            ));
            if let Some((article, d)) = previous.get(&input.id, key) {
                return Some((key, article.clone(), d.clone()));
            }
            let (mut article, d) = anchor_article(input, seed, translation);
            article.version = key;
            Some((key, Arc::new(article), d))
        })
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    for (key, article, d) in results {
        diags.extend(d.iter().cloned());
        cache
            .articles
            .keep(article.id.clone(), key, (article.clone(), d));
        articles.push(article);
    }
    cache.articles.finish();
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    check_slugs(&articles, &mut diags);

    let (entities_path, entities) = catalog::entities(entities, &mut diags);
    let (events_path, event_list, broken_events) = catalog::events(events, &mut diags);
    let page_list = catalog::pages(pages, config.build.drafts);

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
        orphans,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::testing::SiteBuilder;

    const SEED: &str = "Council backs library\n\n< Back\n\nThe Riverton City Council voted on Tuesday to build a library. The council voted again.\n\nRelated posts\n\nMore text.\n";

    fn anchor_one_quote(quote: &str) -> (Option<String>, Vec<Code>) {
        let yaml = format!(
            "text:\n  drop: [\"< Back\"]\n  end_before: Related posts\nannotations:\n  - id: q\n    quote: {quote:?}\n    note: A note.\n"
        );
        let sources = SiteBuilder::new()
            .seed("a.txt", SEED)
            .article("a", &yaml)
            .build();
        let (anchored, diags) = anchor_all(sources, &mut Default::default());
        let found = anchored.articles[0]
            .annotations
            .first()
            .map(|a| a.range.of(&anchored.articles[0].seed).to_owned());
        (found, diags.iter().map(|d| d.code).collect())
    }

    #[test]
    fn quotes_become_ranges_of_the_seed_or_one_diagnostic() {
        let cases: &[(&str, Option<&str>, &[Code])] = &[
            ("voted on Tuesday", Some("voted on Tuesday"), &[]),
            // Typographic differences are normalized away; the range shows the seed's text.
            (
                "Riverton  City\nCouncil",
                Some("Riverton City Council"),
                &[],
            ),
            ("voted on Wednesday", None, &[Code::AnchorNotFound]),
            ("voted", None, &[Code::AnchorAmbiguous]),
            ("< Back", None, &[Code::AnchorInDroppedText]),
            ("More text.", None, &[Code::AnchorInDroppedText]),
        ];
        for &(quote, want, codes) in cases {
            let (found, got) = anchor_one_quote(quote);
            assert_eq!(found.as_deref(), want, "{quote}");
            assert_eq!(got, codes, "{quote}");
        }
    }

    #[test]
    fn an_annotation_file_without_its_seed_is_an_error_and_a_seed_alone_is_an_article() {
        let sources = SiteBuilder::new()
            .seed("lonely.txt", "Just a title\n\nSome text.\n")
            .article("orphan", "title: Orphan\n")
            .build();
        let (anchored, diags) = anchor_all(sources, &mut Default::default());
        assert!(
            diags.iter().any(|d| d.code == Code::SeedMissing),
            "{diags:?}"
        );
        let ids: Vec<&str> = anchored.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["lonely"]);
    }
}
