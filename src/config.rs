//! `site.toml` → `SiteConfig`: the only place that knows TOML, so later stages see plain values.

use crate::diag::{Code, Diagnostic, Pos};
use camino::Utf8Path;
use serde::Deserialize;

/// Which entity mentions in article text become links.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LinkMentions {
    /// The first mention of each entity in an article.
    #[default]
    First,
    All,
    None,
}

#[derive(Clone, Debug, PartialEq, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub theme: String,
    /// The briefing's author line, shown on the front page.
    pub author: String,
    /// The day the briefing's judgments stand as of, as EDTF text (`2024-01-15`); `site.toml`
    /// may write it as a TOML date or a string.
    #[serde(deserialize_with = "date_text")]
    pub as_of: Option<String>,
    pub build: BuildConfig,
    pub highlight: HighlightConfig,
    pub github_pages: GithubPagesConfig,
    pub serve: ServeConfig,
    pub limits: LimitsConfig,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            title: "Untitled briefing".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            theme: "default".into(),
            author: String::new(),
            as_of: None,
            build: BuildConfig::default(),
            highlight: HighlightConfig::default(),
            github_pages: GithubPagesConfig::default(),
            serve: ServeConfig::default(),
            limits: LimitsConfig::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuildConfig {
    pub output_dir: String,
    pub link_mentions: LinkMentions,
    pub allow_html: bool,
    pub drafts: bool,
}

impl Default for BuildConfig {
    fn default() -> Self {
        Self {
            output_dir: "public".into(),
            link_mentions: LinkMentions::First,
            allow_html: false,
            drafts: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HighlightConfig {
    pub theme: String,
}

impl Default for HighlightConfig {
    fn default() -> Self {
        Self {
            theme: "InspiredGitHub".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Hash, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GithubPagesConfig {
    pub cname: String,
}

#[derive(Clone, Debug, PartialEq, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServeConfig {
    pub port: u16,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self { port: 1111 }
    }
}

/// Bounds on input sizes, so hostile input ends in a diagnostic instead of exhausting the machine.
#[derive(Clone, Debug, PartialEq, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Largest seed or content file read, in bytes.
    pub max_file_bytes: u64,
    /// Follow symlinks that leave the site root (unsafe for untrusted input).
    pub allow_external_symlinks: bool,
    /// Longest one page may take to render before the build stops (a looping template); 0: no limit.
    pub render_seconds: u64,
    /// Most memory the process may use while rendering before the build stops; 0: no
    /// limit. Unset, it grows with the site (see `memory_mib`).
    pub max_memory_mib: Option<u64>,
}

impl LimitsConfig {
    /// The memory limit for a site of `articles` articles: as set, or else 2 GiB plus
    /// 1 MiB per article, about three times what a build of generated 800-word articles
    /// with ten annotations each needs, so only runaway growth reaches it.
    pub fn memory_mib(&self, articles: usize) -> u64 {
        self.max_memory_mib
            .unwrap_or(2048 + u64::try_from(articles).unwrap_or(u64::MAX))
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            max_file_bytes: 8 * 1024 * 1024,
            allow_external_symlinks: false,
            render_seconds: 30,
            max_memory_mib: None,
        }
    }
}

/// Every key `site.toml` accepts, for "did you mean" suggestions.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "author",
    "as_of",
    "build",
    "highlight",
    "github_pages",
    "serve",
    "limits",
    "output_dir",
    "link_mentions",
    "allow_html",
    "drafts",
    "cname",
    "port",
    "max_file_bytes",
    "allow_external_symlinks",
    "render_seconds",
    "max_memory_mib",
];

/// Parses `site.toml`; errors carry the position and, for an unknown key, the nearest valid one.
pub fn parse(path: &Utf8Path, text: &str) -> Result<SiteConfig, Diagnostic> {
    let mut config: SiteConfig = toml::from_str(text).map_err(|e| {
        let pos = e.span().map(|s| Pos::of_range(text, s.start, s.end));
        let message = e.message().to_owned();
        let (code, help) = if let Some(key) = unknown_key(&message) {
            let help = match crate::suggest::nearest(&key, KNOWN_KEYS.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "remove it; see the site.toml section of the README for valid keys".into(),
            };
            (Code::UnknownField, help)
        } else {
            (
                Code::InvalidValue,
                "see the site.toml section of the README".into(),
            )
        };
        Diagnostic::error(code, message)
            .in_file(path)
            .at_opt(pos)
            .help(help)
    })?;
    if !config.base_url.ends_with('/') {
        config.base_url.push('/');
    }
    // Every absolute link (feed, sitemap, canonical URL, JSON-LD) starts with base_url, so a
    // `javascript:` one from an untrusted pull request would put script in links.
    let lower = config.base_url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with('/')) {
        let at = text
            .find("base_url")
            .map(|i| Pos::of_range(text, i, i + "base_url".len()));
        return Err(Diagnostic::error(
            Code::InvalidValue,
            format!("base_url `{}` is not an http(s) URL", config.base_url),
        )
        .in_file(path)
        .at_opt(at)
        .help(
            "write the address the site is published at, e.g. \"https://user.github.io/repo/\"",
        ));
    }
    if let Some(as_of) = &config.as_of
        && let Err(e) = as_of.parse::<crate::edtf::EdtfDate>()
    {
        let at = text
            .find("as_of")
            .map(|i| Pos::of_range(text, i, i + "as_of".len()));
        return Err(
            Diagnostic::error(Code::InvalidDate, format!("as_of `{as_of}`: {e}"))
                .in_file(path)
                .at_opt(at)
                .help("write the day the briefing stands as of, e.g. as_of = 2024-01-15"),
        );
    }
    check_output_dir(&config.build.output_dir).map_err(|why| {
        let at = text.find("output_dir").map(|i| Pos::of_range(text, i, i + "output_dir".len()));
        Diagnostic::error(Code::InvalidValue, format!("output_dir `{}` {why}", config.build.output_dir))
            .in_file(path)
            .at_opt(at)
            .help("use a folder name inside the site, such as \"public\" (or pass --out DIR to write elsewhere)")
    })?;
    Ok(config)
}

/// The output folder is replaced wholesale by every build, so a `site.toml` from an untrusted
/// pull request must not be able to point it at the site itself, its inputs, or anything
/// outside the site root (`""`, `.`, `..`, `/home/runner`, `seeds`…).
fn check_output_dir(dir: &str) -> Result<(), &'static str> {
    let path = Utf8Path::new(dir);
    let mut parts = path
        .components()
        .filter(|c| *c != camino::Utf8Component::CurDir);
    let Some(camino::Utf8Component::Normal(first)) = parts.next() else {
        return Err("must be a folder inside the site");
    };
    if !parts.all(|c| matches!(c, camino::Utf8Component::Normal(_))) {
        return Err("must be a folder inside the site, without `..`");
    }
    if matches!(
        first,
        "seeds" | "content" | "themes" | "schemas" | "site.toml" | ".git" | ".github"
    ) {
        return Err("would overwrite the site's own files");
    }
    Ok(())
}

/// A date written as a TOML date (`2024-01-15`) or as a string, as its text.
fn date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum DateOrText {
        Date(toml::value::Datetime),
        Text(String),
    }
    Ok(Some(match DateOrText::deserialize(d)? {
        DateOrText::Date(date) => date.to_string(),
        DateOrText::Text(text) => text,
    }))
}

/// The key named in serde's "unknown field `x`, expected ..." message.
fn unknown_key(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

impl SiteConfig {
    /// The base URL's path, with leading and trailing slash: `/` or `/repo/`.
    pub fn root_path(&self) -> String {
        let without_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        let path = if self.base_url.contains("://") {
            without_scheme
                .find('/')
                .map_or("/", |i| &without_scheme[i..])
        } else {
            without_scheme
        };
        let mut path = path.trim_matches('/').to_owned();
        if path.is_empty() {
            "/".into()
        } else {
            path.insert(0, '/');
            path.push('/');
            path
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_limit_grows_with_the_site_unless_set() {
        let check = |set: Option<u64>, articles: usize, expect: u64| {
            let limits = LimitsConfig {
                max_memory_mib: set,
                ..LimitsConfig::default()
            };
            assert_eq!(limits.memory_mib(articles), expect, "{set:?}, {articles}");
        };
        check(None, 5, 2053);
        check(None, 10_000, 12_048);
        check(Some(1500), 10_000, 1500);
        check(Some(0), 10_000, 0);
    }

    fn check(toml: &str, expect: Result<&str, &str>) {
        let got = parse(Utf8Path::new("site.toml"), toml);
        match (got, expect) {
            (Ok(c), Ok(root)) => assert_eq!(c.root_path(), root, "{toml}"),
            (Err(d), Err(help)) => assert!(
                d.help.as_deref().unwrap_or("").contains(help),
                "{toml}: {d:?}"
            ),
            (got, expect) => panic!("{toml}: got {got:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn parses_and_suggests() {
        check("", Ok("/"));
        check("base_url = \"https://x.github.io/repo\"", Ok("/repo/"));
        check("base_url = \"https://x.github.io/\"", Ok("/"));
        check("base_url = \"https://x.org/a/b/\"", Ok("/a/b/"));
        check("titel = \"x\"", Err("did you mean `title`?"));
        check("[build]\nlink_mention = \"all\"", Err("`link_mentions`"));
        check("[build]\nlink_mentions = \"some\"", Err("README"));
        check("[build]\noutput_dir = \"site/out\"", Ok("/"));
        check(
            "base_url = \"javascript:alert(1)//\"",
            Err("https://user.github.io"),
        );
        check(
            "base_url = \" JavaScript:x\"",
            Err("https://user.github.io"),
        );
        check("base_url = \"HTTPS://X.ORG/a\"", Ok("/a/"));
        check("[build]\noutput_dir = \"./public\"", Ok("/"));
        check("as_of = 2024-01-15\nauthor = \"A. Analyst\"", Ok("/"));
        check("as_of = \"2024-01\"", Ok("/"));
        check("as_of = 2024-01-15T10:00:00", Err("as_of = 2024-01-15"));
        check("as_of = \"mid-January\"", Err("as_of = 2024-01-15"));
        for bad in [
            "",
            ".",
            "..",
            "../x",
            "/tmp/x",
            "a/../../x",
            "seeds",
            "content/x",
            "themes",
            "./seeds",
        ] {
            check(&format!("[build]\noutput_dir = {bad:?}"), Err("--out"));
        }
    }
}
