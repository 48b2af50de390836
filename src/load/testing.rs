//! A site in memory, for the unit tests of later stages: `SiteBuilder` makes the `Sources`
//! that `load` would read from disk, from strings, so each stage is tested without files.

use super::{ArticleSource, Parsed, Seed, Sources, ThemeSources, next_version, parse_yaml};
use crate::config::SiteConfig;
use crate::diag::SourceFiles;
use crate::types::ArticleId;
use camino::Utf8PathBuf;

/// Seeds, annotation files, entities and events as text; `build` parses them as `load` does.
#[derive(Default)]
pub struct SiteBuilder {
    seeds: Vec<(String, String)>,
    articles: Vec<(String, String)>,
    entities: Option<String>,
    events: Option<String>,
}

impl SiteBuilder {
    pub fn new() -> SiteBuilder {
        SiteBuilder::default()
    }

    /// `seeds/<name>` with `text`.
    pub fn seed(mut self, name: &str, text: &str) -> SiteBuilder {
        self.seeds.push((name.to_owned(), text.to_owned()));
        self
    }

    /// `content/articles/<id>.yaml` with `yaml`.
    pub fn article(mut self, id: &str, yaml: &str) -> SiteBuilder {
        self.articles.push((id.to_owned(), yaml.to_owned()));
        self
    }

    /// `content/entities.yaml`.
    pub fn entities(mut self, yaml: &str) -> SiteBuilder {
        self.entities = Some(yaml.to_owned());
        self
    }

    /// `content/events.yaml`.
    pub fn events(mut self, yaml: &str) -> SiteBuilder {
        self.events = Some(yaml.to_owned());
        self
    }

    /// The sources, with the default `site.toml`. Panics on YAML a test got wrong.
    pub fn build(self) -> Sources {
        let mut files = SourceFiles::default();
        let mut diags = Vec::new();
        let mut seeds = self
            .seeds
            .into_iter()
            .map(|(name, text)| {
                let seed = Seed {
                    path: Utf8PathBuf::from(format!("seeds/{name}")),
                    text: text.into(),
                    version: next_version(),
                };
                (name, seed)
            })
            .collect();
        let mut articles: Vec<ArticleSource> = self
            .articles
            .into_iter()
            .map(|(id, yaml)| {
                let path = Utf8PathBuf::from(format!("content/articles/{id}.yaml"));
                let file = parse_yaml(&path, &yaml, &mut diags)
                    .unwrap_or_else(|| panic!("{id}.yaml: {diags:?}"));
                files.insert(path.clone(), yaml);
                ArticleSource {
                    id: ArticleId(id),
                    path,
                    file: std::sync::Arc::new(file),
                    version: next_version(),
                }
            })
            .collect();
        articles.sort_by(|a, b| a.id.cmp(&b.id));
        let translations = super::split_translations(&mut seeds);
        let entities = parsed("entities.yaml", self.entities, &mut files);
        let events = parsed("events.yaml", self.events, &mut files);
        Sources {
            config: SiteConfig::default(),
            files,
            seeds,
            translations,
            articles,
            entities,
            events,
            briefing: None,
            pages: Vec::new(),
            theme: ThemeSources::default(),
            seed_lock: None,
        }
    }
}

/// `content/<name>` parsed from `text`, when there is one.
fn parsed<T: serde::de::DeserializeOwned + super::file_shapes::Shaped>(
    name: &str,
    text: Option<String>,
    files: &mut SourceFiles,
) -> Option<Parsed<T>> {
    let path = Utf8PathBuf::from(format!("content/{name}"));
    let text = text?;
    let mut diags = Vec::new();
    let value = parse_yaml(&path, &text, &mut diags).unwrap_or_else(|| panic!("{name}: {diags:?}"));
    files.insert(path.clone(), text.clone());
    Some(Parsed { path, text, value })
}
