//! `site.toml` read so that its mistakes do not hide the content's: a key gloss does not
//! know, or a value it refuses, is reported and left out (its default applies), and the
//! rest of the site is still read and checked in the same run. Only TOML that does not
//! parse at all stops there, as nothing after it can be read reliably.

use crate::config::{self, SiteConfig};
use crate::diag::Diagnostic;
use camino::Utf8Path;

/// More bad keys than this in one file are past reporting one by one.
const MAX_LEFT_OUT: usize = 50;

/// Every mistake of `site.toml` and, unless its TOML itself is broken, the settings with
/// the bad keys left out.
pub(super) fn parse(path: &Utf8Path, text: &str) -> (Option<SiteConfig>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    // Bad lines are overwritten with spaces, so every later position is still the
    // position in the file as written.
    let mut current = text.to_owned();
    for _ in 0..=MAX_LEFT_OUT {
        let d = match config::parse(path, &current) {
            Ok(config) => return (Some(config), diags),
            Err(d) => d,
        };
        let well_formed = toml::from_str::<toml::Table>(&current).is_ok();
        let Some(pos) = d.pos.filter(|_| well_formed) else {
            diags.push(d);
            return (None, diags);
        };
        diags.push(d);
        let (start, end) = entry_at(&current, pos.offset);
        if current[start..end].trim().is_empty() {
            return (None, diags);
        }
        blank(&mut current, start, end);
    }
    (None, diags)
}

/// The byte range of the entry at `offset`: its line, or for a table header (`[biuld]`)
/// the whole table, whose keys would otherwise land in the table before it.
fn entry_at(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);
    let mut end = line_end(start);
    if text[start..end].trim_start().starts_with('[') {
        while end < text.len() {
            let next = end + 1;
            if text[next..].trim_start().starts_with('[') {
                break;
            }
            end = line_end(next);
        }
    }
    (start, end)
}

/// `text[start..end]` as spaces, line breaks kept.
fn blank(text: &mut String, start: usize, end: usize) {
    let blanked: String = text[start..end]
        .chars()
        .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
        .collect();
    // Each character became one byte; pad so that later bytes keep their offsets.
    let padded = format!("{blanked:<width$}", width = end - start);
    text.replace_range(start..end, &padded);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn every_bad_key_is_reported_and_the_rest_is_read() {
        let text = "titel = \"A\"\ntitle = \"Ünïcode\"\n[biuld]\noutput_dir = \"x\"\n[build]\ndrafts = \"yes\"\noutput_dir = \"out\"\n";
        let (config, diags) = parse(Utf8Path::new("site.toml"), text);
        let mut found: Vec<(usize, Code)> = diags
            .iter()
            .map(|d| (d.pos.map_or(0, |p| p.line), d.code))
            .collect();
        found.sort();
        assert_eq!(
            found,
            vec![
                (1, Code::UnknownField),
                (3, Code::UnknownField),
                (6, Code::InvalidValue)
            ]
        );
        let config = config.expect("the rest is read");
        assert_eq!(config.title, "Ünïcode");
        assert_eq!(config.build.output_dir, "out");
        // TOML that does not parse stops at its first error.
        let (config, diags) = parse(Utf8Path::new("site.toml"), "title = [\ntitel = 1\n");
        assert!(config.is_none());
        assert_eq!(diags.len(), 1);
    }
}
