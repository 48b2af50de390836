//! The persistent build cache, `.gloss-cache/` in the site: social cards kept by a hash
//! of what they show, so a rebuild (a CI run on a restored cache, a second `gloss build`)
//! draws only the cards whose page changed. It is safe to delete at any time.

use crate::pages::Store;
use camino::{Utf8Path, Utf8PathBuf};
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The cache's folder in the site.
pub const DIR: &str = ".gloss-cache";
/// The folders of kept outputs in the cache; only files gloss names there are ever removed.
const KINDS: [&str; 1] = ["cards"];

/// A `Store` in a folder on disk. It remembers which entries a build used, so that
/// `prune` can remove the ones no page needs any more and the cache stays the size of
/// the site.
pub struct DiskStore {
    dir: Utf8PathBuf,
    used: Mutex<BTreeSet<String>>,
    temp: AtomicU64,
}

impl DiskStore {
    /// The store of the site at `root`; the folder is made when the first entry is kept.
    pub fn open(root: &Utf8Path) -> Self {
        Self {
            dir: root.join(DIR),
            used: Mutex::default(),
            temp: AtomicU64::new(0),
        }
    }

    fn path(&self, key: &str) -> Option<Utf8PathBuf> {
        is_entry_name(key).then(|| self.dir.join(key))
    }

    fn used(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Removes the entries this build did not use: the cards of pages that are gone or
    /// changed. Only names gloss gives its entries are touched; any other file stays.
    pub fn prune(&self) {
        let used = self.used();
        for kind in KINDS {
            let Ok(entries) = self.dir.join(kind).read_dir_utf8() else {
                continue;
            };
            for entry in entries.flatten() {
                let key = format!("{kind}/{}", entry.file_name());
                if is_entry_name(&key) && !used.contains(&key) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }
}

impl Store for DiskStore {
    fn get(&self, key: &str) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.path(key)?).ok()?;
        // A file cut short (a build stopped mid-write elsewhere, a full disk) is not used.
        is_whole_png(&bytes).then(|| {
            self.used().insert(key.to_owned());
            bytes
        })
    }

    fn put(&self, key: &str, bytes: &[u8]) {
        let Some(path) = self.path(key) else { return };
        let Some(folder) = path.parent() else { return };
        if !self.dir.is_dir() && std::fs::create_dir(&self.dir).is_ok() {
            // Tells backup and archiving tools that the folder can be made again.
            let _ = std::fs::write(
                self.dir.join("CACHEDIR.TAG"),
                "Signature: 8a477f597d28d172789f06886806bc55\n# gloss's build cache: safe to delete.\n",
            );
        }
        if std::fs::create_dir_all(folder).is_err() {
            return;
        }
        // Written aside and renamed, so a reader never sees half an entry.
        let n = self.temp.fetch_add(1, Ordering::Relaxed);
        let temp = folder.join(format!(".tmp-{}-{n}", std::process::id()));
        if std::fs::write(&temp, bytes).is_ok() && std::fs::rename(&temp, &path).is_ok() {
            self.used().insert(key.to_owned());
        } else {
            let _ = std::fs::remove_file(&temp);
        }
    }
}

/// Whether `key` is a name gloss gives an entry: `<kind>/<64 hex digits>.png`.
fn is_entry_name(key: &str) -> bool {
    let Some((kind, file)) = key.split_once('/') else {
        return false;
    };
    let Some(hash) = file.strip_suffix(".png") else {
        return false;
    };
    KINDS.contains(&kind)
        && hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `bytes` hold a PNG from its signature to its closing `IEND` chunk.
fn is_whole_png(bytes: &[u8]) -> bool {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    const IEND: &[u8] = b"\0\0\0\0IEND\xae\x42\x60\x82";
    bytes.starts_with(SIGNATURE) && bytes.ends_with(IEND)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_gloss_gives_are_entries() {
        let hash = "0123456789abcdef".repeat(4);
        assert!(is_entry_name(&format!("cards/{hash}.png")));
        assert!(!is_entry_name(&format!(
            "cards/{}.png",
            hash.to_uppercase()
        )));
        assert!(!is_entry_name(&format!("other/{hash}.png")));
        assert!(!is_entry_name(&format!("cards/../{hash}.png")));
        assert!(!is_entry_name("cards/notes.png"));
    }
}
