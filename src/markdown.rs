//! Markdown notes, summaries and pages to safe HTML: internal `@/` links resolved and
//! checked, code highlighted with syntect, raw HTML escaped or sanitized, and
//! `javascript:`-style links dropped.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::parsing::SyntaxSet;

/// How Markdown is turned into HTML for one site.
pub struct Markdown<'a> {
    pub allow_html: bool,
    pub highlight_theme: &'a str,
    /// Resolves `@/articles/x` (without the `#fragment`) to a URL, or `None` if it names nothing.
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

/// Rendered HTML and the internal links that named nothing.
pub struct Rendered {
    pub html: String,
    pub broken_links: Vec<String>,
}

impl Markdown<'_> {
    pub fn render(&self, source: &str) -> Rendered {
        let mut broken_links = Vec::new();
        let mut events = Vec::new();
        let mut code: Option<(String, String)> = None;
        // A dropped link's closing tag must be dropped too, so track which links were kept.
        let mut link_stack: Vec<bool> = Vec::new();
        let mut options = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_SMART_PUNCTUATION;
        if table_cells_bound(source) > MAX_TABLE_CELLS {
            options.remove(Options::ENABLE_TABLES);
        }
        // How complex the HTML handed to ammonia would be (see MAX_SANITIZED_DEPTH).
        let (mut depth, mut max_depth, mut raw_html) = (0usize, 0usize, 0usize);
        for event in Parser::new_ext(source, options) {
            match &event {
                Event::Start(_) => {
                    depth += 1;
                    max_depth = max_depth.max(depth);
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                // An HTML block can hold any number of tags; count them all.
                Event::Html(h) | Event::InlineHtml(h) => raw_html += h.matches('<').count(),
                _ => {}
            }
            if let Some((lang, buf)) = &mut code {
                match event {
                    Event::Text(t) => buf.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        // syntect reads ~100 KB/s on hostile input (deeply nested braces); a
                        // longer block is shown plain, so no code block can stall a build.
                        let html = if buf.len() <= MAX_HIGHLIGHTED {
                            highlight(buf, lang, self.highlight_theme)
                        } else {
                            plain_code(buf, lang)
                        };
                        events.push(Event::Html(html.into()));
                        code = None;
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(l) => {
                            l.split_whitespace().next().unwrap_or("").to_owned()
                        }
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => match self.link_target(&dest_url, &mut broken_links) {
                    Some(url) => {
                        link_stack.push(true);
                        events.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url: url.into(),
                            title,
                            id,
                        }));
                    }
                    None => link_stack.push(false),
                },
                Event::End(TagEnd::Link) => {
                    if link_stack.pop().unwrap_or(false) {
                        events.push(Event::End(TagEnd::Link));
                    }
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => match self.link_target(&dest_url, &mut broken_links) {
                    Some(url) => events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: url.into(),
                        title,
                        id,
                    })),
                    None => events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: CowStr::from(""),
                        title,
                        id,
                    })),
                },
                Event::Html(html) | Event::InlineHtml(html) if !self.allow_html => {
                    events.push(Event::Text(html))
                }
                other => events.push(other),
            }
        }
        if self.allow_html && (max_depth > MAX_SANITIZED_DEPTH || raw_html > MAX_SANITIZED_DEPTH) {
            return Markdown {
                allow_html: false,
                ..*self
            }
            .render(source);
        }
        let mut html = String::with_capacity(source.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        if self.allow_html {
            html = sanitize(&html);
        }
        Rendered { html, broken_links }
    }

    /// The URL a link should point to: `@/` links resolved, unsafe schemes refused.
    fn link_target(&self, dest: &str, broken: &mut Vec<String>) -> Option<String> {
        if let Some(internal) = dest.strip_prefix("@/") {
            let (path, fragment) = internal
                .split_once('#')
                .map_or((internal, None), |(p, f)| (p, Some(f)));
            return match (self.resolve)(path.trim_end_matches('/')) {
                Some(url) => Some(match fragment {
                    Some(f) => format!("{url}#{f}"),
                    None => url,
                }),
                None => {
                    broken.push(dest.to_owned());
                    Some(String::new())
                }
            };
        }
        if is_safe_url(dest) {
            Some(dest.to_owned())
        } else {
            None
        }
    }
}

/// Whether a link target is harmless: no `javascript:`, `vbscript:` or `data:` scheme,
/// however it is disguised with case, whitespace or control characters.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = cleaned.split_once(':').map(|(s, _)| s);
    match scheme {
        // A colon after a slash, `?` or `#` is part of a path, not a scheme.
        Some(s) if !s.contains(['/', '?', '#']) => {
            matches!(s, "http" | "https" | "mailto" | "tel" | "ftp")
        }
        _ => true,
    }
}

/// The most table cells a text may have for its tables to be shown as tables; past that,
/// they are shown as the text they are written as. pulldown-cmark keeps several events per
/// cell, so a table note took about 250 times its size in memory (a 3 MB note of 300,000
/// rows, 800 MiB). A real table stays far below this.
const MAX_TABLE_CELLS: usize = 200_000;

/// At most how many cells the tables of `source` can have: every line could be a row, and
/// no row has more cells than the widest line has `|`s, plus one.
fn table_cells_bound(source: &str) -> usize {
    let (mut lines, mut widest) = (0usize, 0usize);
    for line in source.lines() {
        lines += 1;
        widest = widest.max(memchr::memchr_iter(b'|', line.as_bytes()).count());
    }
    if widest == 0 {
        return 0;
    }
    lines.saturating_mul(widest + 1)
}

/// The longest code block highlighted; longer ones are shown plain.
const MAX_HIGHLIGHTED: usize = 32 * 1024;

/// ammonia's HTML parser slows quadratically with nesting depth (100,000 nested `<div>`s take
/// a minute), so with `allow_html` a text nested deeper than this, or with more raw HTML tags,
/// has its raw HTML escaped instead of sanitized: still safe, and no real note comes close.
const MAX_SANITIZED_DEPTH: usize = 1_000;

fn sanitize(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tag_attributes("span", &["style"])
        .add_tag_attributes("pre", &["style", "tabindex"])
        .add_generic_attributes(&["class", "id"])
        .url_schemes(
            ["http", "https", "mailto", "tel", "ftp"]
                .into_iter()
                .collect(),
        )
        .link_rel(Some("noopener noreferrer"))
        // ammonia lets through a URL it cannot parse as absolute (`jav&#9;ascript:`, with a
        // tab) as if it were relative, but browsers drop tabs and newlines and run it as
        // `javascript:`; judge URLs the way `is_safe_url` does instead.
        .attribute_filter(|_, attribute, value| match attribute {
            "href" | "src" | "cite" | "srcset" | "action" | "formaction" | "poster"
            | "longdesc"
                if !is_safe_url(value) =>
            {
                None
            }
            _ => Some(value.into()),
        });
    builder.clean(html).to_string()
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn themes() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

/// Names of the syntax-highlighting themes `[highlight] theme` accepts.
pub fn highlight_themes() -> Vec<String> {
    themes().themes.keys().cloned().collect()
}

/// Highlights a code block; syntect loads only when a site has one.
fn highlight(code: &str, lang: &str, theme_name: &str) -> String {
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(lang)
        .unwrap_or_else(|| set.find_syntax_plain_text());
    let themes = themes();
    let Some(theme) = themes
        .themes
        .get(theme_name)
        .or_else(|| themes.themes.get("InspiredGitHub"))
    else {
        return plain_code(code, lang);
    };
    match syntect::html::highlighted_html_for_string(code, set, syntax, theme) {
        // A focusable <pre> lets keyboard users scroll long lines (WCAG scrollable-region).
        Ok(html) => html.replacen("<pre ", "<pre tabindex=\"0\" ", 1),
        Err(_) => plain_code(code, lang),
    }
}

fn plain_code(code: &str, lang: &str) -> String {
    let mut out = String::from("<pre tabindex=\"0\"><code");
    if !lang.is_empty() {
        out.push_str(" class=\"language-");
        pulldown_cmark_escape::escape_html(&mut out, lang).ok();
        out.push('"');
    }
    out.push('>');
    pulldown_cmark_escape::escape_html_body_text(&mut out, code).ok();
    out.push_str("</code></pre>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str, allow_html: bool) -> Rendered {
        let resolve = |p: &str| (p == "articles/a").then(|| "/root/articles/slug-a/".to_owned());
        Markdown {
            allow_html,
            highlight_theme: "InspiredGitHub",
            resolve: &resolve,
        }
        .render(md)
    }

    fn check(md: &str, allow_html: bool, expect_contains: &str, expect_absent: &str) {
        let out = render(md, allow_html);
        assert!(out.html.contains(expect_contains), "{md}: {}", out.html);
        assert!(
            expect_absent.is_empty() || !out.html.contains(expect_absent),
            "{md}: {}",
            out.html
        );
    }

    #[test]
    fn safe_markdown() {
        check(
            "[x](@/articles/a#q)",
            false,
            "href=\"/root/articles/slug-a/#q\"",
            "",
        );
        check(
            "<script>alert(1)</script>",
            false,
            "&lt;script&gt;",
            "<script>",
        );
        check("<b onclick=x>hi</b>", true, "<b>hi</b>", "onclick");
        // Found by the naughty-strings test: a tab inside the scheme hid it from ammonia.
        check(
            "<img src=\"jav&#x09;ascript:alert('XSS');\"> <a href=\"java&#1;script:x\">y</a>",
            true,
            "<img>",
            "script:",
        );
        check("[x](javascript:alert(1))", false, "x", "javascript:");
        check("[x]( JaVaScRiPt:alert(1))", false, "x", "href");
        check("[x](data:text/html,hi)", false, "x", "data:");
        check(
            "[x](https://example.org/a:b)",
            false,
            "href=\"https://example.org/a:b\"",
            "",
        );
        check("[x](/a/b:c)", false, "href=\"/a/b:c\"", "");
        check(
            "```rust\nfn main() {}\n```",
            false,
            "<pre tabindex=\"0\" style=",
            "",
        );
        check("```\n<b>\n```", false, "&lt;b&gt;", "<b>");
        // Too deep for the sanitizer: raw HTML is escaped rather than parsed.
        check(
            &format!("{}x{}", "<div>".repeat(5_000), "</div>".repeat(5_000)),
            true,
            "&lt;div&gt;",
            "<div>",
        );
        check(
            &format!("<b onclick=x>hi</b>\n\n{} x", ">".repeat(2_000)),
            true,
            "&lt;b onclick=x&gt;",
            "<b ",
        );
        let long = format!("```rust\n{}\n```", "fn a() {}\n".repeat(10_000));
        check(
            &long,
            false,
            "<pre tabindex=\"0\"><code class=\"language-rust\">fn a()",
            "<span",
        );
    }

    #[test]
    fn broken_internal_links_are_reported() {
        let out = render("[x](@/articles/nope) and [y](@/articles/a)", false);
        assert_eq!(out.broken_links, vec!["@/articles/nope".to_owned()]);
    }
}
