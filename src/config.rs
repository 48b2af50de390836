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
    /// Draw every page's social card (`og:image`, a 1200×630 PNG); `false` leaves them and
    /// their `<meta>` tags out.
    pub social_cards: bool,
}

impl Default for BuildConfig {
    fn default() -> Self {
        Self {
            output_dir: "public".into(),
            link_mentions: LinkMentions::First,
            allow_html: false,
            drafts: false,
            social_cards: true,
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
    // Every absolute link (feed, sitemap, canonical URL, JSON-LD) and the live-reload script
    // of `serve` start with base_url, so a value from an untrusted pull request must not be
    // able to carry script (`javascript:`), another host (`//host/`) or markup (quotes, `<`).
    if let Err(why) = check_base_url(&config.base_url) {
        return Err(Diagnostic::error(
            Code::InvalidValue,
            format!("base_url `{}` {why}", config.base_url),
        )
        .in_file(path)
        .at_opt(key_pos(text, "base_url"))
        .help(BASE_URL_HELP));
    }
    if !config.base_url.ends_with('/') {
        config.base_url.push('/');
    }
    if let Err(why) = check_cname(&config.github_pages.cname) {
        return Err(Diagnostic::error(
            Code::InvalidValue,
            format!("cname `{}` {why}", config.github_pages.cname),
        )
        .in_file(path)
        .at_opt(key_pos(text, "cname"))
        .help("write the bare domain GitHub Pages serves the site at, e.g. \"briefing.example.org\", or \"\" for none"));
    }
    let highlight_themes = crate::markdown::highlight_themes();
    if !highlight_themes.contains(&config.highlight.theme) {
        let near = crate::suggest::nearest(
            &config.highlight.theme,
            highlight_themes.iter().map(String::as_str),
        );
        let help = match near {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("use one of: {}", highlight_themes.join(", ")),
        };
        return Err(Diagnostic::error(
            Code::InvalidValue,
            format!(
                "[highlight] theme `{}` is not a syntax-highlighting theme gloss has",
                config.highlight.theme
            ),
        )
        .in_file(path)
        .at_opt(text.find("[highlight]").and_then(|table| {
            let at = table + text[table..].find("theme")?;
            Some(Pos::of_range(text, at, at + "theme".len()))
        }))
        .help(help));
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

/// What to write instead of a refused base URL.
pub const BASE_URL_HELP: &str =
    "write the address the site is published at, e.g. \"https://user.github.io/repo/\"";

/// Where `key` is first written in `text`, for a diagnostic about its value.
fn key_pos(text: &str, key: &str) -> Option<Pos> {
    text.find(key)
        .map(|i| Pos::of_range(text, i, i + key.len()))
}

/// Why `url` cannot be the site's base URL, if it cannot. It must be an absolute http(s)
/// URL (or a path from the root, `/` by default) without a query, a fragment, credentials,
/// or any character that would need escaping in an HTML attribute.
pub fn check_base_url(url: &str) -> Result<(), &'static str> {
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`\\{}|^".contains(c))
    {
        return Err(
            "contains a character a URL cannot have (a quote, `<`, `>`, a backslash, a space or a control character)",
        );
    }
    if url.contains(['?', '#']) {
        return Err("has a query or a fragment (`?` or `#`), but it must name a folder");
    }
    if url.starts_with("//") {
        return Err("has no scheme (`//host/`), so it is not an absolute http(s) URL");
    }
    if url.starts_with('/') {
        return Ok(());
    }
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err("is not an absolute http(s) URL");
    }
    let parsed = url::Url::parse(url).map_err(|_| "is not a valid URL")?;
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("has no host name");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("carries a user name or password");
    }
    Ok(())
}

/// Why `cname` cannot go into GitHub Pages' `CNAME` file, if it cannot: the file holds one
/// bare domain name, and a newline or a URL in it would publish a broken or foreign domain.
fn check_cname(cname: &str) -> Result<(), &'static str> {
    if cname.is_empty() {
        return Ok(());
    }
    if cname.contains("://") || cname.contains('/') {
        return Err("is a URL, but CNAME holds a bare domain name");
    }
    let valid_label = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if cname.len() > 253 || !cname.contains('.') || !cname.split('.').all(valid_label) {
        return Err(
            "is not a domain name (letters, digits, `-` and dots, like briefing.example.org)",
        );
    }
    Ok(())
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
        for bad in [
            "javascript:alert(1)//",
            "//evil.example/",
            "https://x.org/p\\\"></script><script>alert(1)</script><b x=\\\"/",
            "https://x.org/<b>",
            "https://x.org/?q=1",
            "https://x.org/#top",
            "https://user:pw@x.org/",
            "https://",
            "ftp://x.org/",
            "x.org/p/",
        ] {
            check(
                &format!("base_url = \"{bad}\""),
                Err("https://user.github.io"),
            );
        }
        check("base_url = \"/\"", Ok("/"));
        check("base_url = \"http://127.0.0.1:8000/repo/\"", Ok("/repo/"));
        check("[github_pages]\ncname = \"briefing.example.org\"", Ok("/"));
        for bad in [
            "a.org\\nevil.org",
            "https://a.org",
            "a.org/x",
            "localhost",
            "-a.org",
        ] {
            check(
                &format!("[github_pages]\ncname = \"{bad}\""),
                Err("bare domain"),
            );
        }
        check("[highlight]\ntheme = \"base16-ocean.dark\"", Ok("/"));
        check(
            "[highlight]\ntheme = \"InspiredGithub\"",
            Err("`InspiredGitHub`"),
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
