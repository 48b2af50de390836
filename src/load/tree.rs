//! YAML as a tree of values with byte positions, read from the parser's events, so that
//! `shape` can check every field of a file, not only the first one serde would stop at.

use crate::diag::{Code, Diagnostic, Pos};
use serde_saphyr::granit_parser::{Event, Marker, Parser, ScalarStyle, ScanError, StrInput};

/// A YAML value with the byte range it was written at.
pub(super) struct Node {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

pub(super) enum Kind {
    /// The text, and whether it was written without quotes (only those can be `null` or `true`).
    Scalar(String, bool),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    /// An alias (`*name`): its value is checked where the anchor was written.
    Alias,
}

impl Node {
    /// Whether this is YAML's null, which only an unquoted word can be.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar(s, true) if matches!(s.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// What kind of value this is, in the words of a message.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar(..) if self.is_null() => "nothing",
            Kind::Scalar(..) => "text",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
            Kind::Alias => "an alias",
        }
    }
}

/// Deeper nesting than any gloss file needs; a hostile file cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// The text of a scalar; `None` for a list, a mapping or an alias.
pub(super) fn scalar(node: &Node) -> Option<&str> {
    match &node.kind {
        Kind::Scalar(s, _) => Some(s),
        _ => None,
    }
}

/// The first document of `text` as a tree; `None` when it holds no value.
pub(super) fn parse(text: &str) -> Result<Option<Node>, Diagnostic> {
    let mut events = Parser::new_from_str(text);
    let to_diag = |e: ScanError| {
        let at = byte_of(text, e.marker());
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        Diagnostic::error(Code::YamlSyntax, format!("this is not valid YAML: {}", e.info()))
            .at(Pos::of_range(text, at, end.max(at + 1).min(text.len())))
            .help("check indentation and quoting; strings containing `: ` or starting with a quote, `[`, `{`, `*` or `&` need quotes")
    };
    loop {
        let Some(next) = events.next() else {
            return Ok(None);
        };
        let (event, span) = next.map_err(to_diag)?;
        match event {
            Event::StreamStart | Event::DocumentStart(..) | Event::Anchor(..) => {}
            Event::StreamEnd | Event::DocumentEnd => return Ok(None),
            event => {
                let start = byte_of(text, &span.start);
                let end = byte_of(text, &span.end);
                let node =
                    node(text, &mut events, event, (start, end), 0).map_err(|e| match e {
                        Failure::Scan(e) => to_diag(e),
                        Failure::Deep(at) => Diagnostic::error(
                            Code::YamlSyntax,
                            "the YAML is nested too deeply to read safely",
                        )
                        .at(Pos::of_range(text, at, at))
                        .help("gloss files need only a few levels of nesting; simplify it"),
                    })?;
                // The parser finds syntax errors past the first document's value too.
                for rest in events {
                    rest.map_err(to_diag)?;
                }
                return Ok(Some(node));
            }
        }
    }
}

enum Failure {
    Scan(ScanError),
    Deep(usize),
}

fn node<'t>(
    text: &'t str,
    events: &mut Parser<'t, StrInput<'t>>,
    event: Event<'t>,
    (start, end): (usize, usize),
    depth: usize,
) -> Result<Node, Failure> {
    if depth > MAX_DEPTH {
        return Err(Failure::Deep(start));
    }
    let next = |events: &mut Parser<'t, _>| -> Result<(Event<'t>, usize, usize), Failure> {
        loop {
            match events.next() {
                Some(Ok((Event::Anchor(..), _))) => {}
                Some(Ok((e, span))) => {
                    return Ok((e, byte_of(text, &span.start), byte_of(text, &span.end)));
                }
                Some(Err(e)) => return Err(Failure::Scan(e)),
                None => return Err(Failure::Deep(text.len())),
            }
        }
    };
    let kind = match event {
        Event::Scalar(value, style, ..) => {
            Kind::Scalar(value.into_owned(), matches!(style, ScalarStyle::Plain))
        }
        Event::SequenceStart(..) => {
            let mut items = Vec::new();
            loop {
                let (e, s, t) = next(events)?;
                if matches!(e, Event::SequenceEnd) {
                    return Ok(Node {
                        start,
                        end: t.max(start),
                        kind: Kind::Seq(items),
                    });
                }
                items.push(node(text, events, e, (s, t), depth + 1)?);
            }
        }
        Event::MappingStart(..) => {
            let mut entries = Vec::new();
            loop {
                let (e, s, t) = next(events)?;
                if matches!(e, Event::MappingEnd) {
                    return Ok(Node {
                        start,
                        end: t.max(start),
                        kind: Kind::Map(entries),
                    });
                }
                let key = node(text, events, e, (s, t), depth + 1)?;
                let (e, s, t) = next(events)?;
                let value = node(text, events, e, (s, t), depth + 1)?;
                entries.push((key, value));
            }
        }
        _ => Kind::Alias,
    };
    Ok(Node { start, end, kind })
}

/// The byte offset of a parser position (the parser counts characters; it may also know bytes).
fn byte_of(text: &str, marker: &Marker) -> usize {
    marker
        .byte_offset()
        .unwrap_or_else(|| {
            text.char_indices()
                .nth(marker.index())
                .map_or(text.len(), |(i, _)| i)
        })
        .min(text.len())
}
