//! Escaping text for HTML, for the few places that build markup outside templates (the
//! article body, mention sentences, open formats, the preview server's pages).

/// `s` with `<`, `>`, `&`, `"` and `'` escaped, safe in element text and quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}
