//! Checks across a whole site's articles and ids: two articles with one slug, two tags with
//! one slug, ids that differ only in case. Each would make one page overwrite another.

use super::{Article, Event, shorten};
use crate::diag::{Code, Diagnostic, Pos, SourceFiles};
use crate::text;
use camino::Utf8PathBuf;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Two articles with one slug would overwrite each other's page.
pub(super) fn check_slugs(articles: &[Arc<Article>], diags: &mut Vec<Diagnostic>) {
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
pub(super) fn check_tag_slugs(
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
pub(super) fn check_case_clashes<'a>(
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
