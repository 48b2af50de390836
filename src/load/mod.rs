//! The `load` stage: reads `site.toml`, `seeds/`, `content/` and `themes/` into plain values.
//!
//! This is the only stage that reads the disk. It refuses files that are too large or that
//! escape the site root through symlinks, and it keeps every file's text so that later
//! diagnostics can show the offending line.

use crate::config::{self, SiteConfig};
use crate::diag::{Code, Diagnostic, Pos, SourceFiles};
use crate::memo::Memo;
use crate::model::{ArticleFile, EntitiesFile, EventsFile, PageFrontMatter};
use crate::suggest;
use crate::types::ArticleId;
use camino::{Utf8Path, Utf8PathBuf};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

mod file_shapes;
mod reader;
pub mod seedlock;
pub mod shape;
mod site_toml;
#[cfg(test)]
pub mod testing;
mod tree;
mod yaml;

use reader::Reader;
pub use reader::is_ignored;
pub use yaml::parse_yaml;

/// Settings from the command line that override `site.toml`.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// Everything a site is made of, read and parsed, before any checking across files.
#[derive(Debug)]
pub struct Sources {
    pub config: SiteConfig,
    pub files: SourceFiles,
    /// Seed file name → seed.
    pub seeds: BTreeMap<String, Seed>,
    /// Seed file name → its translations (`seeds/<stem>.<language>.<ext>`), by file name.
    /// A translation is not a seed: it never becomes an article of its own.
    pub translations: BTreeMap<String, Vec<TranslationSource>>,
    /// Sorted by id.
    pub articles: Vec<ArticleSource>,
    pub entities: Option<Parsed<EntitiesFile>>,
    pub events: Option<Parsed<EventsFile>>,
    pub briefing: Option<String>,
    pub pages: Vec<PageSource>,
    pub theme: ThemeSources,
    /// `seeds.lock`, when the site has one that could be read.
    pub seed_lock: Option<seedlock::SeedLock>,
}

#[derive(Debug)]
pub struct Seed {
    /// Relative to the site root, e.g. `seeds/000.txt`.
    pub path: Utf8PathBuf,
    pub text: Arc<str>,
    /// Changes whenever the file is read anew; equal versions mean equal text.
    pub version: u64,
}

/// A translation of a seed, read like a seed; its language is the tag in its file name.
#[derive(Debug)]
pub struct TranslationSource {
    /// BCP 47, from the file name (`en` in `seeds/001.en.txt`).
    pub language: String,
    pub file: Seed,
}

/// Whether a file of `seeds/` named `name` is a translation of another one, given the
/// names of all of them: `<stem>.<language>.<ext>` is, when `<stem>.<ext>` is there too and
/// `<language>` is a BCP 47 tag. Returns the original's name and the language.
pub fn translation_of(name: &str, is_seed: impl Fn(&str) -> bool) -> Option<(String, &str)> {
    let (rest, ext) = name.rsplit_once('.')?;
    let (stem, language) = rest.rsplit_once('.')?;
    let original = format!("{stem}.{ext}");
    (!stem.is_empty() && crate::text::is_language_tag(language) && is_seed(&original))
        .then_some((original, language))
}

#[derive(Debug)]
pub struct ArticleSource {
    pub id: ArticleId,
    pub path: Utf8PathBuf,
    pub file: Arc<ArticleFile>,
    /// Changes whenever the file is read anew; equal versions mean equal text.
    pub version: u64,
}

/// What repeated loads of one site reuse: seeds and annotation files whose size and
/// modification time are unchanged are not read or parsed again. Each file is kept under
/// its path with a hash of its stamp as the fingerprint.
#[derive(Default)]
pub struct LoadCache {
    seeds: Memo<Utf8PathBuf, CachedSeed>,
    articles: Memo<Utf8PathBuf, CachedArticle>,
    entities: Option<CachedParsed<EntitiesFile>>,
    events: Option<CachedParsed<EventsFile>>,
    /// Set by a caller whose `changed` list is complete (a running file watcher that
    /// has already seen one full check): cached files not in it are then reused without
    /// even a stat, which at thousands of seeds is most of what a rebuild's load costs.
    pub trust_changed: bool,
}

impl LoadCache {
    /// A cache for a load that runs once: it keeps no file for reuse.
    pub fn one_shot() -> Self {
        Self {
            seeds: Memo::one_shot(),
            articles: Memo::one_shot(),
            ..Self::default()
        }
    }
}

/// A single content file as last read: its stamp, text, parsed value and diagnostics.
struct CachedParsed<T> {
    stamp: Stamp,
    text: String,
    value: Option<T>,
    diags: Vec<Diagnostic>,
}

/// A seed as last read: its stamp, version, and text or the reason it is unusable.
#[derive(Clone)]
struct CachedSeed {
    stamp: Stamp,
    version: u64,
    text: Result<Arc<str>, Diagnostic>,
}

/// An annotation file as last read: its stamp and version, its text, what it parsed to
/// (`None` when it did not), and the diagnostics reading it gave.
#[derive(Clone)]
struct CachedArticle {
    stamp: Stamp,
    version: u64,
    text: Option<Arc<str>>,
    file: Option<Arc<ArticleFile>>,
    diags: Vec<Diagnostic>,
}

/// A file's size and modification time, as cheap evidence that it has not changed.
type Stamp = (u64, Option<std::time::SystemTime>);

/// The memo's fingerprint of a file: its stamp, when there is one and the file is not
/// among those reported changed (they are read again whatever their stamps say).
fn stamp_fingerprint(
    stamp: Option<Stamp>,
    path: &Utf8PathBuf,
    changed: &[Utf8PathBuf],
) -> Option<u64> {
    stamp
        .filter(|_| !changed.contains(path))
        .map(|s| crate::hash::stable_hash(&s))
}

/// Whether a file was there when it was last read: only files that still exist stay cached.
fn exists(stamp: Stamp) -> bool {
    stamp.0 > 0 || stamp.1.is_some()
}

/// A process-wide counter, so every read of a file gets a version no other read has.
fn next_version() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A parsed file with the path and text it came from.
#[derive(Debug)]
pub struct Parsed<T> {
    pub path: Utf8PathBuf,
    pub text: String,
    pub value: T,
}

#[derive(Debug)]
pub struct PageSource {
    pub path: Utf8PathBuf,
    pub stem: String,
    pub front: PageFrontMatter,
    pub body: String,
}

/// A theme's files that override or add to the built-in theme.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThemeSources {
    /// Template name (relative to `templates/`) → (path, text).
    pub templates: BTreeMap<String, (Utf8PathBuf, String)>,
    /// Path relative to `static/` → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

/// The largest `site.toml` read: TOML parsing can take many times a file's size in memory.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads the site at `root`, reusing unchanged seeds and annotation files from `cache`
/// (`LoadCache::default()` or `one_shot()` for a single load). Files named in `changed` are
/// read again whatever their size and time say. When `site.toml` is unusable, what was read
/// (`site.toml` itself) comes back instead, so its errors can be shown with their lines.
pub fn load(
    root: &Utf8Path,
    overrides: &Overrides,
    cache: &mut LoadCache,
    changed: &[Utf8PathBuf],
) -> (Result<Sources, SourceFiles>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut files = SourceFiles::default();
    let reader = Reader::new(root);

    let config_path = Utf8PathBuf::from("site.toml");
    // The limits are not known before site.toml is read; a real site.toml is a few hundred bytes.
    let Some(config_text) = reader.read_text(&config_path, MAX_CONFIG_BYTES, &mut diags) else {
        if !root.join("site.toml").exists() {
            diags.clear();
            diags.push(
                Diagnostic::error(Code::Io, format!("{root} has no site.toml, so it is not a gloss site"))
                    .help("run gloss from the site's folder, pass --root DIR, or create a site with `gloss init DIR`"),
            );
        }
        return (Err(files), diags);
    };
    files.insert(config_path.clone(), config_text.clone());
    // A bad key is reported and left out; the content is still read, so that its
    // mistakes are reported in the same run.
    let (config, d) = site_toml::parse(&config_path, &config_text);
    diags.extend(d);
    let Some(mut config) = config else {
        return (Err(files), diags);
    };
    if let Some(url) = &overrides.base_url {
        if let Err(why) = config::check_base_url(url) {
            diags.push(
                Diagnostic::error(Code::InvalidValue, format!("--base-url `{url}` {why}"))
                    .help(config::BASE_URL_HELP),
            );
            return (Err(files), diags);
        }
        config.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
    config.build.drafts |= overrides.drafts;
    check_output_dir(root, &config, &config_text, &mut diags);
    let reader = Reader {
        limit: config.limits.max_file_bytes,
        allow_external: config.limits.allow_external_symlinks,
        ..reader
    };

    // Trust applies only while the listed changes cannot include the settings themselves.
    let trust = cache.trust_changed && !changed.iter().any(|p| p == "site.toml");
    let mut seeds = load_seeds(&reader, &mut diags, &mut cache.seeds, (changed, trust));
    let translations = split_translations(&mut seeds);
    // A seed that is not UTF-8 is shown, lossily, so its report can quote the bad line.
    for d in diags.iter().filter(|d| d.code == Code::SeedNotUtf8) {
        if let Some((path, Ok(bytes))) = d
            .file
            .as_ref()
            .map(|p| (p, reader.read_bytes(p, reader.limit)))
        {
            files.insert(path.clone(), String::from_utf8_lossy(&bytes).into_owned());
        }
    }

    let article_paths: Vec<Utf8PathBuf> = reader
        .list("content/articles", &mut diags)
        .into_iter()
        .filter(|p| matches!(p.extension(), Some("yaml" | "yml")))
        .collect();
    let previous = &cache.articles;
    let loaded: Vec<(Utf8PathBuf, CachedArticle)> = article_paths
        .par_iter()
        .map(|path| {
            let last = previous.last(path).map(|(_, c)| c.stamp);
            let stamp = reader.current_stamp(path, last, trust, changed);
            if let Some(hit) =
                stamp_fingerprint(stamp, path, changed).and_then(|f| previous.get(path, f))
            {
                return (path.clone(), hit.clone());
            }
            let mut d = Vec::new();
            let Some(text) = reader.read_text(path, reader.limit, &mut d) else {
                return (
                    path.clone(),
                    CachedArticle {
                        stamp: stamp.unwrap_or_default(),
                        version: next_version(),
                        text: None,
                        file: None,
                        diags: d,
                    },
                );
            };
            let file = parse_yaml::<ArticleFile>(path, &text, &mut d).map(Arc::new);
            if file
                .as_ref()
                .is_some_and(|f| f.summary.as_ref().is_none_or(|s| s.trim().is_empty()))
            {
                d.push(yaml::missing_summary(path, &text));
            }
            (
                path.clone(),
                CachedArticle {
                    stamp: stamp.unwrap_or_default(),
                    version: next_version(),
                    text: Some(Arc::from(text)),
                    file,
                    diags: d,
                },
            )
        })
        .collect();
    let mut articles = Vec::new();
    for (path, entry) in loaded {
        let CachedArticle {
            version,
            text,
            file,
            diags: d,
            ..
        } = &entry;
        diags.extend(d.iter().cloned());
        if let Some(text) = text {
            files.insert(path.clone(), text.clone());
        }
        if let Some(file) = file {
            let id = ArticleId(path.file_stem().unwrap_or_default().to_owned());
            articles.push(ArticleSource {
                id,
                path: path.clone(),
                file: file.clone(),
                version: *version,
            });
        }
        if exists(entry.stamp) {
            let fingerprint = crate::hash::stable_hash(&entry.stamp);
            cache.articles.keep(path, fingerprint, entry);
        }
    }
    cache.articles.finish();
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    for pair in articles.windows(2) {
        if pair[0].id == pair[1].id {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("two annotation files for article `{}`", pair[1].id),
                )
                .in_file(&pair[1].path)
                .help("keep one of the .yaml and .yml files"),
            );
        }
    }

    let entities = load_optional(
        &reader,
        "content/entities.yaml",
        (&mut files, &mut diags),
        &mut cache.entities,
        (changed, trust),
    );
    let events = load_optional(
        &reader,
        "content/events.yaml",
        (&mut files, &mut diags),
        &mut cache.events,
        (changed, trust),
    );
    let briefing = reader.read_optional_text("content/briefing.md", &mut diags);
    let pages = load_pages(&reader, &mut files, &mut diags);
    let theme = load_theme(&reader, &config.theme, &mut files, &mut diags);
    let seed_lock = reader
        .read_optional_text(seedlock::FILE, &mut diags)
        .and_then(|text| seedlock::parse(&text).map_err(|d| diags.push(d)).ok());

    let sources = Sources {
        config,
        files,
        seeds,
        translations,
        articles,
        entities,
        events,
        briefing,
        pages,
        theme,
        seed_lock,
    };
    (Ok(sources), diags)
}

/// Reads `site.toml` alone, for the settings needed before the first build (the port,
/// the output folder), with the same size cap and symlink checks as `load`. `None` when it
/// is unusable: the build reports why, with the rest.
pub fn site_config(root: &Utf8Path) -> Option<SiteConfig> {
    let path = Utf8Path::new("site.toml");
    let text = Reader::new(root).read_text(path, MAX_CONFIG_BYTES, &mut Vec::new())?;
    config::parse(path, &text).ok()
}

/// The reader `load` would use for the site's content: the size cap and symlink rule from
/// `site.toml` where it is readable, the defaults otherwise.
fn content_reader(root: &Utf8Path) -> Reader {
    let limits = site_config(root).map(|c| c.limits).unwrap_or_default();
    Reader {
        limit: limits.max_file_bytes,
        allow_external: limits.allow_external_symlinks,
        ..Reader::new(root)
    }
}

/// Reads one seed (`seeds/<name>`) for `gloss new`, by `load`'s rules.
pub fn read_seed(root: &Utf8Path, name: &str) -> Result<String, Diagnostic> {
    let reader = content_reader(root);
    let path = Utf8Path::new("seeds").join(name);
    let mut diags = Vec::new();
    reader
        .read_text(&path, reader.limit, &mut diags)
        .ok_or_else(|| {
            diags.pop().unwrap_or_else(|| {
                Diagnostic::error(Code::Io, format!("cannot read {path}")).in_file(&path)
            })
        })
}

/// `content/entities.yaml`, parsed, for `gloss new`; `None` when it is missing or broken
/// (`gloss check` reports that).
pub fn read_entities(root: &Utf8Path) -> Option<EntitiesFile> {
    let reader = content_reader(root);
    let path = Utf8Path::new("content/entities.yaml");
    let text = reader.read_optional_text(path.as_str(), &mut Vec::new())?;
    parse_yaml(path, &text, &mut Vec::new())
}

fn load_seeds(
    reader: &Reader,
    diags: &mut Vec<Diagnostic>,
    cache: &mut Memo<Utf8PathBuf, CachedSeed>,
    (changed, trust): (&[Utf8PathBuf], bool),
) -> BTreeMap<String, Seed> {
    let paths = reader.list("seeds", diags);
    let previous = &*cache;
    let read: Vec<(Utf8PathBuf, CachedSeed)> = paths
        .into_par_iter()
        .map(|path| {
            let stamp = reader.current_stamp(&path, previous.last(&path).map(|(_, c)| c.stamp), trust, changed);
            if let Some(hit) = stamp_fingerprint(stamp, &path, changed).and_then(|f| previous.get(&path, f)) {
                return (path, hit.clone());
            }
            let result = reader.read_bytes(&path, reader.limit).and_then(|bytes| {
                String::from_utf8(bytes).map_err(|e| {
                    let at = e.utf8_error().valid_up_to();
                    // Everything before the bad byte is valid text, so its line and column are exact.
                    let before = String::from_utf8_lossy(&e.as_bytes()[..at]);
                    let (line, column) = crate::types::line_col(&before, before.len());
                    Diagnostic::error(Code::SeedNotUtf8, format!("{path} is not UTF-8 text: invalid byte at offset {at}"))
                        .in_file(&path)
                        .at(Pos { line, column, offset: at, len: 1 })
                        .help("seeds must be plain UTF-8 text; convert it (e.g. `iconv -f latin1 -t utf-8`) or remove it from seeds/")
                })
            });
            let seed = CachedSeed {
                stamp: stamp.unwrap_or_default(),
                version: next_version(),
                text: result.map(Arc::from),
            };
            (path, seed)
        })
        .collect();
    let mut seeds = BTreeMap::new();
    for (path, entry) in read {
        match &entry.text {
            Ok(text) => {
                let name = path.file_name().unwrap_or_default().to_owned();
                seeds.insert(
                    name,
                    Seed {
                        path: path.clone(),
                        text: text.clone(),
                        version: entry.version,
                    },
                );
            }
            Err(d) => diags.push(d.clone()),
        }
        let fingerprint = crate::hash::stable_hash(&entry.stamp);
        cache.keep(path, fingerprint, entry);
    }
    cache.finish();
    seeds
}

/// Takes the translations out of `seeds`: `seeds/001.en.txt` beside `seeds/001.txt` is the
/// English text of article 001, not an article of its own.
fn split_translations(
    seeds: &mut BTreeMap<String, Seed>,
) -> BTreeMap<String, Vec<TranslationSource>> {
    let names: Vec<(String, String, String)> = seeds
        .keys()
        .filter_map(|name| {
            translation_of(name, |n| seeds.contains_key(n))
                .map(|(original, language)| (name.clone(), original, language.to_owned()))
        })
        .collect();
    let mut translations: BTreeMap<String, Vec<TranslationSource>> = BTreeMap::new();
    for (name, original, language) in names {
        if let Some(file) = seeds.remove(&name) {
            translations
                .entry(original)
                .or_default()
                .push(TranslationSource { language, file });
        }
    }
    translations
}

/// Reads and parses an optional file such as `content/entities.yaml`, reusing the parse
/// from `cache` while the file's stamp is unchanged: re-parsing hundreds of entities on
/// every save of an unrelated annotation would cost `serve` milliseconds each time.
fn load_optional<T: DeserializeOwned + Clone + file_shapes::Shaped>(
    reader: &Reader,
    path: &str,
    (files, diags): (&mut SourceFiles, &mut Vec<Diagnostic>),
    cache: &mut Option<CachedParsed<T>>,
    (changed, trust): (&[Utf8PathBuf], bool),
) -> Option<Parsed<T>> {
    let path = Utf8PathBuf::from(path);
    let stamp = reader.current_stamp(&path, cache.as_ref().map(|c| c.stamp), trust, changed);
    let hit = cache
        .take()
        .filter(|c| stamp.is_some() && Some(c.stamp) == stamp && !changed.contains(&path));
    let CachedParsed {
        stamp,
        text,
        value,
        diags: d,
    } = match hit {
        Some(hit) => hit,
        None => {
            let mut d = Vec::new();
            let text = reader.read_optional_text(path.as_str(), &mut d);
            let value = text
                .as_ref()
                .and_then(|text| parse_yaml::<T>(&path, text, &mut d));
            let Some(text) = text else {
                diags.extend(d);
                return None;
            };
            CachedParsed {
                stamp: stamp.unwrap_or_default(),
                text,
                value,
                diags: d,
            }
        }
    };
    diags.extend(d.iter().cloned());
    files.insert(path.clone(), text.clone());
    let parsed = value.as_ref().map(|value| Parsed {
        path,
        text: text.clone(),
        value: value.clone(),
    });
    *cache = Some(CachedParsed {
        stamp,
        text,
        value,
        diags: d,
    });
    parsed
}

fn load_pages(
    reader: &Reader,
    files: &mut SourceFiles,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PageSource> {
    let mut pages = Vec::new();
    for path in reader.list("content/pages", diags) {
        if path.extension() != Some("md") {
            continue;
        }
        let Some(text) = reader.read_text(&path, reader.limit, diags) else {
            continue;
        };
        files.insert(path.clone(), text.clone());
        let (front, body) = match split_front_matter(&text) {
            Some((yaml, offset, body)) => {
                // Parse the front matter on its own, then shift positions to the file's lines.
                let mut d = Vec::new();
                let front = parse_yaml::<PageFrontMatter>(&path, yaml, &mut d);
                for mut diag in d {
                    if let Some(pos) = &mut diag.pos {
                        *pos = Pos::of_range(
                            &text,
                            offset + pos.offset,
                            offset + pos.offset + pos.len,
                        );
                    }
                    diags.push(diag);
                }
                let Some(front) = front else { continue };
                (front, body.to_owned())
            }
            None => (PageFrontMatter::default(), text.clone()),
        };
        let stem = path.file_stem().unwrap_or_default().to_owned();
        pages.push(PageSource {
            path,
            stem,
            front,
            body,
        });
    }
    pages
}

/// Splits `---\n<yaml>\n---\n<body>` into the YAML, its byte offset, and the body.
fn split_front_matter(text: &str) -> Option<(&str, usize, &str)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let offset = text.len() - rest.len();
    let mut line_start = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((
                &rest[..line_start],
                offset,
                &rest[line_start + line.len()..],
            ));
        }
        line_start += line.len();
    }
    None
}

/// `theme = "x"` names neither the built-in theme nor a folder of `themes/`: building with
/// the built-in one instead would publish a site that silently looks wrong.
fn unknown_theme(reader: &Reader, name: &str) -> Diagnostic {
    let folders: Vec<String> = std::fs::read_dir(reader.root.join("themes"))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    let names = std::iter::once("default").chain(folders.iter().map(String::as_str));
    let help = match suggest::nearest(name, names) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "use \"default\" for the built-in theme, or create themes/<name>/templates/".into(),
    };
    Diagnostic::error(
        Code::InvalidValue,
        format!("theme `{name}` is neither the built-in theme nor a folder in themes/"),
    )
    .in_file("site.toml")
    .help(help)
}

/// `output_dir` is replaced wholesale by `gloss build`; where it really leads (through
/// symlinks) must be checked here, so that `check` fails on the same site.toml that
/// `build` would refuse, with the line to change.
fn check_output_dir(root: &Utf8Path, config: &SiteConfig, text: &str, diags: &mut Vec<Diagnostic>) {
    let origin = crate::output_dir::Origin::SiteToml {
        allow_external_symlinks: config.limits.allow_external_symlinks,
    };
    let out = root.join(&config.build.output_dir);
    if let Err(refusal) = crate::output_dir::check_location(root, &out, origin) {
        let at = text
            .find("output_dir")
            .map(|i| Pos::of_range(text, i, i + "output_dir".len()));
        diags.push(
            Diagnostic::error(Code::UnsafePath, refusal.to_string())
                .in_file(Utf8Path::new("site.toml"))
                .at_opt(at)
                .help(refusal.help()),
        );
    }
}

fn load_theme(
    reader: &Reader,
    name: &str,
    files: &mut SourceFiles,
    diags: &mut Vec<Diagnostic>,
) -> ThemeSources {
    let mut theme = ThemeSources::default();
    let base = Utf8PathBuf::from("themes").join(name);
    if !reader.root.join(&base).is_dir() {
        if name != "default" {
            diags.push(unknown_theme(reader, name));
        }
        return theme;
    }
    // `theme` comes from site.toml: `../../x` or a symlinked theme folder must not reach outside.
    if let Err(d) = reader.check_inside(&base) {
        diags.push(d);
        return theme;
    }
    let templates = base.join("templates");
    for path in reader.list(templates.as_str(), diags) {
        if path.extension() != Some("html") && path.extension() != Some("xml") {
            continue;
        }
        if let Some(text) = reader.read_text(&path, reader.limit, diags) {
            let rel = path
                .strip_prefix(&templates)
                .unwrap_or(&path)
                .as_str()
                .replace('\\', "/");
            files.insert(path.clone(), text.clone());
            theme.templates.insert(rel, (path, text));
        }
    }
    let statics = base.join("static");
    for path in reader.list(statics.as_str(), diags) {
        match reader.read_bytes(&path, reader.limit) {
            Ok(bytes) => {
                let rel = path
                    .strip_prefix(&statics)
                    .unwrap_or(&path)
                    .as_str()
                    .replace('\\', "/");
                theme.static_files.insert(rel, bytes);
            }
            Err(d) => diags.push(d),
        }
    }
    theme
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_is_named_after_its_seed_with_a_language_tag() {
        let seeds = ["001.txt", "report.md"];
        let is_seed = |n: &str| seeds.contains(&n);
        let check = |name: &str, want: Option<(&str, &str)>| {
            let got = translation_of(name, is_seed);
            assert_eq!(got.as_ref().map(|(o, l)| (o.as_str(), *l)), want, "{name}");
        };
        check("001.en.txt", Some(("001.txt", "en")));
        check("001.zh-Hant.txt", Some(("001.txt", "zh-Hant")));
        check("report.fr.md", Some(("report.md", "fr")));
        // Not a language tag, no such seed, or no tag at all: a seed of its own.
        check("001.english.txt", None);
        check("001.v2.txt", None);
        check("002.en.txt", None);
        check("001.txt", None);
        check(".en.txt", None);
    }

    #[test]
    fn front_matter() {
        let check = |text: &str, expect: Option<(&str, &str)>| {
            assert_eq!(
                split_front_matter(text).map(|(y, _, b)| (y, b)),
                expect,
                "{text:?}"
            );
        };
        check("---\ntitle: A\n---\nBody", Some(("title: A\n", "Body")));
        check("---\n---\n", Some(("", "")));
        check("No front matter", None);
        check("---\nunterminated", None);
    }

    #[test]
    fn yaml_errors_get_codes() {
        let check = |yaml: &str, code: Code, line: usize| {
            let mut d = Vec::new();
            parse_yaml::<crate::model::EventsFile>(Utf8Path::new("e.yaml"), yaml, &mut d);
            assert_eq!(
                (d[0].code, d[0].pos.map(|p| p.line)),
                (code, Some(line)),
                "{yaml}: {d:?}"
            );
        };
        check("- id: a\n  date: 2020\n  titel: x\n", Code::UnknownField, 3);
        // A record that lacks a field is reported where it starts.
        check("- id: a\n  date: 2020\n", Code::MissingField, 1);
        check("- id: a\n  id: b\n", Code::DuplicateId, 2);
        check("- id: a\n  date: 2020\n  title: \"x\n", Code::YamlSyntax, 4);
        check("- id: a\n  date: 2020\n  title: [x\n", Code::YamlSyntax, 3);
        check(
            "- id: a\n  date: 2020\n  title: [x, y]\n",
            Code::InvalidValue,
            3,
        );
    }
}
