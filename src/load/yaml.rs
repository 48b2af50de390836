//! YAML parsing with positions: serde-saphyr's errors become diagnostics with the right
//! code, file and line.

use super::file_shapes::Shaped;
use super::shape;
use crate::diag::{Code, Diagnostic, Pos};
use crate::suggest;
use camino::Utf8Path;
use serde::de::DeserializeOwned;

/// Parses YAML into `T`: syntax and every field first, all together (`shape`), then serde
/// reads what is left usable; its own error becomes a diagnostic with the right code.
pub fn parse_yaml<T: DeserializeOwned + Shaped>(
    path: &Utf8Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let checked = shape::check(path, text, T::SHAPE);
    let found = checked.diags.len();
    diags.extend(checked.diags);
    let repaired = checked.repaired?;
    match serde_saphyr::from_str::<T>(&repaired) {
        Ok(v) => Some(v),
        // After errors of its own, serde read a text with entries blanked out; what it
        // says then is a consequence of those, not another mistake.
        Err(_) if found > 0 => None,
        Err(e) => {
            // A structural mismatch can also be broken YAML that the reader met first as
            // the wrong kind of value (`id: [unclosed`). Reading the text as plain YAML
            // tells the two apart; a real syntax error is the better report.
            let syntax = is_mismatch(&e)
                .then(|| serde_saphyr::from_str::<serde_json::Value>(text).err())
                .flatten();
            diags.push(yaml_diagnostic(path, text, syntax.as_ref().unwrap_or(&e)));
            None
        }
    }
}

/// Whether `e` says a value of the wrong kind was found (rather than, say, a bad token).
fn is_mismatch(e: &serde_saphyr::Error) -> bool {
    matches!(inner(e), serde_saphyr::Error::Unexpected { .. })
}

/// The error itself: serde-saphyr wraps errors for snippet rendering; the kind is inside.
fn inner(mut e: &serde_saphyr::Error) -> &serde_saphyr::Error {
    use serde_saphyr::Error as E;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = e {
        e = error;
    }
    e
}

fn yaml_diagnostic(path: &Utf8Path, text: &str, e: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error as E;
    let e = inner(e);
    let pos = e.location().map(|l| yaml_pos(text, &l)).map(|mut p| {
        // Underline the whole word at the position, which reads better than one caret.
        let end = text[p.offset.min(text.len())..]
            .find([':', '\n', ',', ']'])
            .map_or(text.len(), |i| p.offset + i);
        p.len = end.saturating_sub(p.offset).max(1);
        p
    });
    let message = bare_message(e);
    let (code, help) = match e {
        E::SerdeUnknownField { field, expected, .. } => {
            let help = match suggest::nearest(field, expected.iter().copied()) {
                Some(near) => format!("did you mean `{near}`? Valid fields: {}", expected.join(", ")),
                None => format!("remove it. Valid fields: {}", expected.join(", ")),
            };
            (Code::UnknownField, help)
        }
        E::SerdeMissingField { field, .. } => (Code::MissingField, format!("add `{field}:` here")),
        E::DuplicateMappingKey { key, .. } => (
            Code::DuplicateId,
            format!("`{}` appears twice in the same mapping; keep one", key.as_deref().unwrap_or("this key")),
        ),
        E::Budget { .. } => (
            Code::YamlSyntax,
            "the YAML is too large or too deeply nested/aliased to read safely; simplify it".to_owned(),
        ),
        // serde-saphyr's structural mismatch in YAML that parses: a list where text belongs.
        E::Unexpected { .. } => (
            Code::InvalidValue,
            "this field takes another kind of value (`gloss schema` shows each field's type); text that starts with `[`, `{`, `*`, `&` or a quote must be quoted".to_owned(),
        ),
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeUnknownVariant { .. }
        | E::SerdeInvalidLength { .. }
        | E::InvalidScalar { .. }
        | E::InvalidBooleanStrict { .. }
        | E::NullIntoString { .. } => (
            Code::InvalidValue,
            "see the annotation format in the README, or `gloss schema` for every field's type".to_owned(),
        ),
        _ => (
            Code::YamlSyntax,
            "check indentation and quoting; strings containing `: ` or starting with a quote or `*`/`&` need quotes".to_owned(),
        ),
    };
    Diagnostic::error(code, message)
        .in_file(path)
        .at_opt(pos)
        .help(help)
}

/// The error's message without serde-saphyr's own "line X column Y:" prefix and snippet.
fn bare_message(e: &serde_saphyr::Error) -> String {
    let full = e.without_snippet().to_string();
    let first = full.lines().next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = match first.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(rest, |(_, msg)| msg),
        None => first,
    };
    // The position is shown separately; drop serde-saphyr's " at line 3, column 1".
    let first = match first.rfind(" at line ") {
        Some(i) if first[i..].contains(", column ") => &first[..i],
        _ => first,
    };
    first.to_owned()
}

/// A YAML location as a position in `text`; when the parser gave no byte offset, it is
/// computed from the line and column so the excerpt shows the right line.
fn yaml_pos(text: &str, loc: &serde_saphyr::Location) -> Pos {
    let mut pos = Pos::from_yaml(loc);
    if loc.span().byte_offset().is_none() && pos.line > 0 {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(pos.line - 1)
            .map(str::len)
            .sum();
        let line = text[line_start.min(text.len())..]
            .lines()
            .next()
            .unwrap_or("");
        let col: usize = line
            .chars()
            .take(pos.column.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        pos.offset = (line_start + col).min(text.len());
    }
    pos
}

/// The reminder for an annotation file without a summary (`gloss new` leaves it as a
/// comment rather than publish a placeholder), at its `summary` line or comment when there
/// is one.
pub(super) fn missing_summary(path: &Utf8Path, text: &str) -> Diagnostic {
    let mut start = 0;
    let mut at = None;
    for line in text.split_inclusive('\n') {
        // The top-level field, or the comment `gloss new` leaves in its place.
        let bare = line.strip_prefix('#').map_or(line, str::trim_start);
        if bare.starts_with("summary:") {
            let end = start + line.trim_end().len();
            at = Some(Pos::of_range(text, start, end));
            break;
        }
        start += line.len();
    }
    let at = at.unwrap_or_else(|| {
        let end = text.find('\n').unwrap_or(text.len());
        Pos::of_range(text, 0, end)
    });
    Diagnostic::warning(Code::MissingSummary, "the article has no summary")
        .in_file(path)
        .at(at)
        .help("write `summary:` (Markdown): what this article adds to the briefing; its page, the lists of articles and the feed show it")
}
