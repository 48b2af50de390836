//! What an article records about its source, so a reader can check the annotated text:
//! a permanent copy, when it was retrieved, its language and the seed's SHA-256.

use crate::diag::{Code, Diagnostic, Pos};
use crate::edtf::EdtfDate;
use crate::model::ArticleFile;
use camino::Utf8PathBuf;
use sha2::{Digest, Sha256};

/// What an article records about where its text came from.
#[derive(Clone, Debug, Default, Hash)]
pub struct SourceMeta {
    /// A permanent copy's URL (only `http(s)`; anything else was reported and dropped).
    pub archived: Option<String>,
    pub retrieved: Option<EdtfDate>,
    /// A BCP 47 tag; `None` means the site's language.
    pub language: Option<String>,
    /// The seed's SHA-256, lowercase hex: what a reader hashes to check the text.
    pub sha256: String,
}

impl SourceMeta {
    /// Reads the source fields of an annotation file, reporting values that cannot be used;
    /// `retrieved` and `language` are the file's, already checked.
    pub fn of(
        file: &ArticleFile,
        retrieved: Option<EdtfDate>,
        language: Option<String>,
        seed: &str,
        path: &Utf8PathBuf,
        diags: &mut Vec<Diagnostic>,
    ) -> SourceMeta {
        let archived = file.archived.as_ref().and_then(|u| {
            let url = u.value.trim();
            if url.is_empty() {
                return None;
            }
            if url.starts_with("https://") || url.starts_with("http://") {
                return Some(url.to_owned());
            }
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`archived: {url}` is not a web address"),
                )
                .in_file(path)
                .at(Pos::from_yaml(&u.referenced))
                .help("give the archive copy's full URL, starting with https://"),
            );
            None
        });
        SourceMeta {
            archived,
            retrieved,
            language,
            sha256: sha256_hex(seed),
        }
    }
}

/// The SHA-256 of a text's UTF-8 bytes, as lowercase hex.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
