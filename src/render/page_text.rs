//! The text content of a rendered page as a browser's DOM has it, and where each highlight
//! sits in it: Web Annotation clients (Apache Annotator, Hypothesis) anchor selectors in
//! the text of the page's `<body>`, which differs from the seed (paragraphs folded, notes,
//! navigation), so the article page's selectors are computed here, from the page itself.
//!
//! The page is read by html5ever's tokenizer, the HTML standard's own, so character
//! references, raw-text elements (`<script>`, `<style>`) and the newline dropped after
//! `<pre>` come out as a browser's parser leaves them; themes may change any markup.

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    states::RawKind,
};
use std::cell::RefCell;
use std::collections::HashMap;

/// The text content of a page's body, and each annotation's passage in it as byte ranges
/// of `text` (from the start of its first `<mark data-ann>` to the end of its last).
#[derive(Debug, Default, PartialEq)]
pub struct PageText {
    pub text: String,
    pub marks: HashMap<String, (usize, usize)>,
}

/// Reads `html` as a browser would and returns its body's text content, up to `context`
/// characters past the end of the last of `passages` highlighted passages (each ends with
/// the one `<mark>` that carries `data-n`, as gloss writes them): nothing later is needed,
/// and an article page goes on long after its text.
pub fn page_text(html: &str, passages: usize, context: usize) -> PageText {
    let state = State {
        passages,
        context,
        ..State::default()
    };
    let sink = Sink {
        state: RefCell::new(state),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The sink asks to stop (as if for a script) only once it has read enough.
    if let TokenizerResult::Done = tokenizer.feed(&input) {
        tokenizer.end();
    }
    tokenizer.sink.state.into_inner().page
}

struct Sink {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    page: PageText,
    /// Whether the body has begun: at `<body>`, or at the first content after the head.
    in_body: bool,
    after_head: bool,
    /// Depth in `<template>`, whose contents are no part of the document's text.
    template: usize,
    /// Depth in `<svg>` or `<math>`, where `<style>` and `<title>` are ordinary elements.
    foreign: usize,
    /// A newline right after `<pre>`, `<listing>` or `<textarea>` is not text.
    skip_newline: bool,
    /// The open `<mark>`s, each with the annotation it highlights and whether it is that
    /// passage's last.
    open_marks: Vec<Option<(String, bool)>>,
    /// How many passages the page highlights, how many have ended, and where the last did.
    passages: usize,
    ended: usize,
    last_end: usize,
    /// Characters of text needed past the last passage.
    context: usize,
}

impl State {
    fn text(&mut self, s: &str) {
        let s = if std::mem::take(&mut self.skip_newline) {
            s.strip_prefix('\n').unwrap_or(s)
        } else {
            s
        };
        if !self.in_body && self.after_head && !s.chars().all(char::is_whitespace) {
            self.in_body = true;
        }
        if self.in_body && self.template == 0 {
            self.page.text.push_str(s);
        }
    }

    /// Whether every passage has ended, with its context read.
    fn read_enough(&self) -> bool {
        self.passages > 0
            && self.ended >= self.passages
            && self.page.text[self.last_end..]
                .chars()
                .nth(self.context)
                .is_some()
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        if self.read_enough() {
            return TokenSinkResult::Script(());
        }
        let name: &str = &tag.name;
        self.skip_newline = false;
        if tag.kind == TagKind::EndTag {
            match name {
                "head" => self.after_head = true,
                "template" => self.template = self.template.saturating_sub(1),
                "svg" | "math" => self.foreign = self.foreign.saturating_sub(1),
                "mark" => {
                    if let Some(Some((id, last))) = self.open_marks.pop() {
                        let at = self.page.text.len();
                        self.page.marks.entry(id).or_insert((at, at)).1 = at;
                        if last {
                            self.ended += 1;
                            self.last_end = self.last_end.max(at);
                        }
                    }
                }
                _ => {}
            }
            return TokenSinkResult::Continue;
        }
        if name == "body"
            || (self.after_head && !matches!(name, "html" | "head" | "body" | "template"))
        {
            self.in_body = true;
        }
        match name {
            "template" => self.template += 1,
            "svg" | "math" if !tag.self_closing => self.foreign += 1,
            "pre" | "listing" => self.skip_newline = true,
            "mark" => {
                let attr = |name: &str| tag.attrs.iter().find(|a| &*a.name.local == name);
                let id = attr("data-ann").map(|a| a.value.to_string());
                if let Some(id) = &id {
                    let at = self.page.text.len();
                    self.page.marks.entry(id.clone()).or_insert((at, at));
                }
                self.open_marks
                    .push(id.map(|id| (id, attr("data-n").is_some())));
            }
            _ => {}
        }
        if self.foreign > 0 {
            return TokenSinkResult::Continue;
        }
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            // A browser runs scripts, so `<noscript>` holds text, not elements.
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "title" | "textarea" => {
                self.skip_newline = name == "textarea";
                TokenSinkResult::RawData(RawKind::Rcdata)
            }
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::CharacterTokens(text) => state.text(&text),
            Token::TagToken(tag) => return state.tag(&tag),
            // Comments, the doctype, parse errors and NULs (dropped in the body) are no text.
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_content_is_the_bodys_as_a_browser_parses_it() {
        let html = "<!DOCTYPE html><html><head><title>T &amp; x</title>\n<style>p{}</style></head>\n<body><p>A &amp; <b>b</b></p><script>if (a < b) {}</script><pre>\nx</pre><template>no</template><svg><style>s</style></svg></body></html>";
        assert_eq!(page_text(html, 0, 32).text, "A & bif (a < b) {}xs");
    }

    #[test]
    fn marks_give_each_passage_its_range() {
        let html = "<body><p>One <mark data-ann=\"a\">two <mark data-ann=\"b\" data-n=\"2\">three</mark></mark></p>\n<p><mark data-ann=\"a\" data-n=\"1\">four</mark> five</p><p>six</p><p>seven</p></body>";
        let page = page_text(html, 2, 5);
        let of = |id: &str| {
            let (s, e) = page.marks[id];
            &page.text[s..e]
        };
        assert_eq!(of("a"), "two three\nfour");
        assert_eq!(of("b"), "three");
        // Reading stops once five characters follow the last passage.
        assert_eq!(page.text, "One two three\nfour fivesix");
    }
}
