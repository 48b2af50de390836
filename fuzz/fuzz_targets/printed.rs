//! Arbitrary text in a diagnostic's message, help and source file: the report for people
//! must carry no terminal control character (escape sequences, OSC 8 links, carriage
//! returns that overwrite a line), whatever a hostile file holds.
#![no_main]

use gloss::diag::{Code, Diagnostic, Pos, SourceFiles};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str, &str, u16)| {
    let (message, help, source, offset) = input;
    let mut files = SourceFiles::default();
    files.insert("content/fuzz.yaml".into(), source);
    let offset = usize::from(offset).min(source.len());
    let offset = (0..=offset)
        .rev()
        .find(|&i| source.is_char_boundary(i))
        .unwrap_or(0);
    let diag = Diagnostic::error(Code::InvalidValue, message)
        .in_file("content/fuzz.yaml")
        .at(Pos::of_range(source, offset, offset))
        .help(help);
    let report = gloss::diag::to_human(&[diag], &files, false);
    assert!(
        !report
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "a control character reached the report: {report:?}"
    );
});
