//! The whole pipeline as one function, shared by `build`, `check` and `serve`.

use crate::diag::{self, Diagnostic, SourceFiles};
use crate::load::{self, Overrides};
use crate::pages::{Joined, Pages, Sink};
use crate::render::theme::Theme;
use crate::render::{self, RenderOptions};
use crate::timer::Timer;
use crate::{anchor, link};
use camino::{Utf8Path, Utf8PathBuf};
use std::collections::HashSet;
use std::sync::Arc;

/// What one run of the pipeline produced.
pub struct Outcome {
    /// The rendered site, when the pipeline got that far (even with errors, so `check`
    /// reports template and link errors too). Never written when `has_errors()`.
    pub pages: Option<Pages>,
    /// The paths the render put in or took out of its last output (`render::Rendered`).
    pub touched: Option<std::collections::BTreeSet<String>>,
    /// The files the render left in their parts (`RenderOptions::keep_parts`).
    pub joined: Joined,
    pub diags: Vec<Diagnostic>,
    pub files: SourceFiles,
    /// The output folder from site.toml (relative to the root), when it was readable.
    pub output_dir: Option<String>,
    /// The base URL's path (`/` or `/repo/`), when site.toml was readable.
    pub root_path: Option<String>,
    /// Pages whose templates ran (the rest were reused from the cache), sorted.
    pub rendered: Vec<String>,
    /// Every anchored article, drafts included (for `check --accept-sources`).
    pub articles: Vec<std::sync::Arc<anchor::Article>>,
    /// What the search index is built from, when `search_records` asked for it and the
    /// site has no errors.
    pub search_records: Option<Vec<std::sync::Arc<crate::render::search::Record>>>,
}

/// What repeated runs over one site reuse; see `rebuild`.
#[derive(Default)]
pub struct Caches {
    pub load: load::LoadCache,
    pub anchor: anchor::AnchorCache,
    pub link: link::LinkCache,
    pub render: render::RenderCache,
    pub search: render::search::RecordsMemo,
    /// The theme last compiled and the files it was compiled from: compiling the templates
    /// again after every save would cost a few milliseconds each time.
    pub theme: Option<(load::ThemeSources, Arc<Theme>)>,
    /// Files reported changed since the last run; they are read again whatever their stamps say.
    pub changed: Vec<camino::Utf8PathBuf>,
}

impl Caches {
    /// Caches for a pipeline that runs once (`gloss build`, `gloss check`): they record
    /// nothing for reuse.
    pub fn one_shot() -> Self {
        Self {
            load: load::LoadCache::one_shot(),
            anchor: anchor::AnchorCache::one_shot(),
            link: link::LinkCache::one_shot(),
            render: render::RenderCache::one_shot(),
            search: render::search::RecordsMemo::one_shot(),
            theme: None,
            changed: Vec::new(),
        }
    }
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        diag::has_errors(&self.diags)
    }
}

/// Runs load → anchor → link → render over the site at `root`, reusing whatever `caches`
/// hold from earlier runs over the same site (`Caches::one_shot()` for a single run). With
/// a `sink`, output files go to it as they become final (see `render::render`) when no
/// stage before the render has reported an error; what went to the sink is not in
/// `Outcome::pages`.
pub fn run(
    root: &Utf8Path,
    overrides: &Overrides,
    options: &RenderOptions,
    caches: &mut Caches,
    sink: Option<&dyn Sink>,
) -> Outcome {
    let mut timer = Timer::new();
    let (sources, mut diags) = load::load(root, overrides, &mut caches.load, &caches.changed);
    timer.lap("load");
    let mut sources = match sources {
        Ok(sources) => sources,
        Err(files) => {
            diag::sort(&mut diags);
            return Outcome {
                pages: None,
                touched: None,
                joined: Joined::new(),
                diags,
                files,
                output_dir: None,
                root_path: None,
                rendered: Vec::new(),
                articles: Vec::new(),
                search_records: None,
            };
        }
    };
    let unread = unread_files(&sources);
    let output_dir = Some(sources.config.build.output_dir.clone());
    let root_path = Some(sources.config.root_path());
    let theme = match caches.theme.take() {
        Some((from, theme)) if from == sources.theme => Ok(theme),
        _ => Theme::load(&sources.theme).map(Arc::new),
    };
    if let Ok(theme) = &theme
        && !caches.render.is_one_shot()
    {
        caches.theme = Some((std::mem::take(&mut sources.theme), theme.clone()));
    }
    timer.lap("theme");
    let seed_lock = sources.seed_lock.take();
    let (anchored, d) = anchor::anchor_all(sources, &mut caches.anchor);
    diags.extend(d);
    if let Some(lock) = &seed_lock {
        diags.extend(anchor::stealth::compare(lock, &anchored.articles));
    }
    let articles = anchored.articles.clone();
    timer.lap("anchor");
    let (graph, d) = link::link(anchored, &mut caches.link);
    diags.extend(d);
    timer.lap("link");
    let mut rendered = Vec::new();
    let mut joined = Joined::new();
    let mut touched = None;
    let pages = match theme {
        Ok(theme) => {
            let sink = sink.filter(|_| !diag::has_errors(&diags));
            let out = render::render(&graph, &theme, options, &mut caches.render, sink);
            diags.extend(out.diags);
            rendered = out.rendered;
            joined = out.joined;
            touched = out.touched;
            Some(out.pages)
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    timer.lap("render");
    drop_cascades(&mut diags, &unread);
    diag::sort(&mut diags);
    diags.dedup();
    timer.lap("  diags");
    let search_records = (options.search_records && !diag::has_errors(&diags))
        .then(|| crate::render::search::records_kept(&graph, &mut caches.search));
    let files = graph.files;
    timer.lap("finish");
    Outcome {
        pages,
        touched,
        joined,
        diags,
        files,
        output_dir,
        root_path,
        rendered,
        articles,
        search_records,
    }
}

/// One mistake, one error: when a whole file could not be read, what refers to its
/// contents (unknown ids, links to its pages) or counts on it (coverage warnings) would
/// report the same mistake many times over, so those follow-on diagnostics are dropped.
/// A file that was read with some records left out (`load::shape`) drops only the
/// references to those records: each such error names its record's id. `unread` are the
/// content files that were read but could not be used at all.
fn drop_cascades(diags: &mut Vec<Diagnostic>, unread: &[Utf8PathBuf]) {
    use crate::diag::Code;
    // The codes with which `load` reports a file it could not read or parse at all, and
    // `anchor` an annotation file whose seed does not exist (it is left out whole).
    let unusable = |d: &Diagnostic| {
        d.is_error()
            && matches!(
                d.code,
                Code::YamlSyntax
                    | Code::Io
                    | Code::FileTooLarge
                    | Code::UnsafePath
                    | Code::SeedMissing
            )
    };
    // The codes with which `load` reports a file it read only in part.
    let faulty = |d: &Diagnostic| {
        unusable(d)
            || d.is_error()
                && matches!(
                    d.code,
                    Code::UnknownField
                        | Code::MissingField
                        | Code::InvalidValue
                        | Code::DuplicateId
                )
    };
    // Both questions below are asked once per diagnostic, so their answers are gathered in
    // one pass: a flood of mistakes must not cost the square of its size.
    let unusable_files: HashSet<&str> = unread
        .iter()
        .map(|f| f.as_str())
        .chain(
            diags
                .iter()
                .filter(|d| unusable(d))
                .filter_map(|d| d.file.as_ref().map(|f| f.as_str())),
        )
        .collect();
    let broken = |name: &str| unusable_files.contains(name);
    // Every id quoted (`like-this`) in an error of the file that reads the record partly.
    let faulty_ids: HashSet<(&str, &str)> = diags
        .iter()
        .filter(|d| faulty(d))
        .filter_map(|d| Some((d.file.as_ref()?.as_str(), d.message.as_str())))
        .flat_map(|(file, message)| {
            message
                .split('`')
                .skip(1)
                .step_by(2)
                .map(move |id| (file, id))
        })
        .collect();
    // Whether an error of file `name` is about the record with id `id`.
    let names = |name: &str, id: &str| faulty_ids.contains(&(name, id));
    // The ids an unknown id was probably meant to be (`did you mean `x`?`): an entity or
    // event the misspelling leaves unused is unused only because of it.
    let suggested: HashSet<&str> = diags
        .iter()
        .filter(|d| matches!(d.code, Code::UnknownEntity | Code::UnknownEvent))
        .filter_map(|d| d.help.as_deref())
        .flat_map(|help| help.split('`').skip(1).step_by(2))
        .collect();
    let first_quoted = |message: &str| message.split('`').nth(1).map(str::to_owned);
    let entities = broken("content/entities.yaml");
    let events = broken("content/events.yaml");
    let faulty_articles: Vec<Utf8PathBuf> = diags
        .iter()
        .filter(|d| faulty(d))
        .filter_map(|d| d.file.clone())
        .chain(unread.iter().cloned())
        .filter(|f| f.as_str().starts_with("content/articles/"))
        .collect();
    let articles: Vec<String> = faulty_articles
        .iter()
        .filter_map(|f| f.file_stem().map(str::to_owned))
        .collect();
    let keep: Vec<bool> = diags
        .iter()
        .map(|d| match d.code {
            Code::UnknownEntity => {
                !entities
                    && !first_quoted(&d.message)
                        .is_some_and(|id| names("content/entities.yaml", &id))
            }
            Code::UnknownEvent => {
                !events
                    && !first_quoted(&d.message).is_some_and(|id| names("content/events.yaml", &id))
            }
            Code::BrokenLink => {
                !(entities && d.message.contains("@/entities/")
                    || events && d.message.contains("@/events/")
                    || !articles.is_empty() && d.message.contains("@/articles/"))
            }
            Code::UnusedEntity | Code::UnreportedEvent => {
                articles.is_empty()
                    && !entities
                    && !events
                    && !first_quoted(&d.message).is_some_and(|id| suggested.contains(id.as_str()))
            }
            // A bad `prefix`, `suffix` or `occurrence` was left out, so the quote matched
            // more places than the annotation asked for.
            Code::AnchorAmbiguous => !d
                .file
                .as_ref()
                .zip(first_quoted(&d.message))
                .is_some_and(|(f, id)| names(f.as_str(), &id)),
            Code::MissingAnnotationFile => !articles
                .iter()
                .any(|a| d.message.contains(&format!("seeds/{a}."))),
            Code::UnknownReference => {
                // `see: <article>#<annotation>`, or `#<annotation>` in the same file.
                let target = first_quoted(&d.message).unwrap_or_default();
                let target = target.strip_prefix("see: ").unwrap_or(&target);
                let (article, ann) = target.split_once('#').unwrap_or(("", target));
                let file = if article.is_empty() {
                    d.file.clone()
                } else {
                    faulty_articles
                        .iter()
                        .find(|f| f.file_stem() == Some(article))
                        .cloned()
                };
                !file.is_some_and(|f| broken(f.as_str()) || names(f.as_str(), ann))
            }
            _ => true,
        })
        .collect();
    let mut keep = keep.into_iter();
    diags.retain(|_| keep.next().unwrap_or(true));
}

/// Content files that were read but yielded nothing usable (not valid YAML, or not the
/// right kind of value as a whole): everything that refers to them would be a follow-on.
fn unread_files(sources: &load::Sources) -> Vec<Utf8PathBuf> {
    let read: std::collections::HashSet<&Utf8Path> =
        sources.articles.iter().map(|a| a.path.as_path()).collect();
    sources
        .files
        .paths()
        .filter(|path| match path.as_str() {
            "content/entities.yaml" => sources.entities.is_none(),
            "content/events.yaml" => sources.events.is_none(),
            p => p.starts_with("content/articles/") && !read.contains(path),
        })
        .map(Utf8Path::to_path_buf)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    fn error(code: Code, file: &str, message: &str) -> Diagnostic {
        Diagnostic::error(code, message).in_file(camino::Utf8Path::new(file))
    }

    #[test]
    fn errors_that_follow_from_an_unreadable_file_are_dropped() {
        let entities_broken = error(Code::YamlSyntax, "content/entities.yaml", "bad");
        let article_broken = error(Code::YamlSyntax, "content/articles/a.yaml", "bad");
        let unknown = error(Code::UnknownEntity, "content/articles/b.yaml", "no x");
        let link = error(
            Code::BrokenLink,
            "content/articles/b.yaml",
            "`@/entities/x`",
        );
        let missing = error(
            Code::MissingAnnotationFile,
            "seeds/a.txt",
            "seeds/a.txt has none",
        );
        let other_missing = error(
            Code::MissingAnnotationFile,
            "seeds/c.txt",
            "seeds/c.txt has none",
        );
        // (the diagnostics of a run, which of them survive)
        let cases: Vec<(Vec<&Diagnostic>, Vec<&Diagnostic>)> = vec![
            (vec![&unknown, &link], vec![&unknown, &link]),
            (
                vec![&entities_broken, &unknown, &link],
                vec![&entities_broken],
            ),
            (
                vec![&article_broken, &missing, &other_missing, &unknown],
                vec![&article_broken, &other_missing, &unknown],
            ),
        ];
        for (given, kept) in cases {
            let mut diags: Vec<Diagnostic> = given.into_iter().cloned().collect();
            drop_cascades(&mut diags, &[]);
            let kept: Vec<Diagnostic> = kept.into_iter().cloned().collect();
            assert_eq!(diags, kept);
        }
    }
}
