//! Writes rendered pages to the output folder atomically: everything goes to a temporary
//! folder beside it, which replaces the old output only once complete. A failed or killed
//! build leaves the previous output as it was; the next build clears the leftovers.

use crate::render::Pages;
use camino::{Utf8Path, Utf8PathBuf};
use std::io;

/// Writes `pages` as the new content of `out`.
pub fn write_atomic(out: &Utf8Path, pages: &Pages) -> io::Result<()> {
    Staging::begin(out)?.commit(pages)
}

/// Replaces one file in one rename, so a reader never sees it half-written: the bytes go to
/// a hidden file beside it first (`seeds.lock` is written this way).
pub fn write_file_atomic(path: &Utf8Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let tmp = path.with_file_name(format!(".{name}.gloss-tmp"));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// A new output folder being filled beside the old one. Files can go in as soon as they
/// are final (`gloss build` writes pages while the search index is still being built);
/// `commit` writes the rest and swaps the folder in. Dropped uncommitted, it deletes
/// itself, so a failed build leaves the previous output as it was.
pub struct Staging {
    out: Utf8PathBuf,
    tmp: Utf8PathBuf,
    old: Utf8PathBuf,
    written: std::collections::HashSet<String>,
    /// The first write that failed; `commit` reports it.
    failed: Option<io::Error>,
    committed: bool,
}

impl Staging {
    /// Clears leftovers of interrupted builds and starts an empty folder beside `out`.
    pub fn begin(out: &Utf8Path) -> io::Result<Self> {
        let (parent, name) = split(out)?;
        std::fs::create_dir_all(&parent)?;
        recover(&parent, &name)?;
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir_all(&tmp)?;
        Ok(Self {
            out: out.to_owned(),
            old: parent.join(format!(".{name}.old-{}", std::process::id())),
            tmp,
            written: std::collections::HashSet::new(),
            failed: None,
            committed: false,
        })
    }

    /// Writes those of `pages` not written yet. An error is kept for `commit` to report.
    pub fn write(&mut self, pages: &Pages) {
        if self.failed.is_some() {
            return;
        }
        let fresh: Pages = pages
            .iter()
            .filter(|(path, _)| !self.written.contains(*path))
            .map(|(path, bytes)| (path.clone(), bytes.clone()))
            .collect();
        match write_tree(&self.tmp, &fresh) {
            Ok(()) => self.written.extend(fresh.into_keys()),
            Err(e) => self.failed = Some(e),
        }
    }

    /// Writes what is left of `pages` and makes the folder the new `out`. Files written
    /// earlier that `pages` no longer holds are not expected: every caller hands over
    /// final files only.
    pub fn commit(mut self, pages: &Pages) -> io::Result<()> {
        self.write(pages);
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let (out, tmp, old) = (&self.out, &self.tmp, &self.old);
        if out.exists() {
            std::fs::rename(out, old)?;
        }
        if let Err(e) = std::fs::rename(tmp, out) {
            // Put the previous output back rather than leave nothing.
            if old.exists() {
                std::fs::rename(old, out).ok();
            }
            return Err(e);
        }
        self.committed = true;
        if old.exists() {
            std::fs::remove_dir_all(old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            std::fs::remove_dir_all(&self.tmp).ok();
        }
    }
}

/// Writes every page below `dir`, creating folders as needed. Folders are made first, one
/// by one, then files are written in parallel: on small VMs, file creation, not rendering,
/// is what a build of thousands of pages waits for.
pub fn write_tree(dir: &Utf8Path, pages: &Pages) -> io::Result<()> {
    use rayon::prelude::*;
    let targets: Vec<(Utf8PathBuf, &[u8])> = pages
        .iter()
        .map(|(path, bytes)| Ok((safe_join(dir, path)?, &bytes[..])))
        .collect::<io::Result<_>>()?;
    let folders: std::collections::BTreeSet<&Utf8Path> =
        targets.iter().filter_map(|(t, _)| t.parent()).collect();
    for folder in folders {
        std::fs::create_dir_all(folder)?;
    }
    targets
        .par_iter()
        .try_for_each(|(target, bytes)| std::fs::write(target, bytes))
}

/// Brings the output folder to `pages`, touching only files whose bytes differ and
/// removing files that are no longer produced (for `build --watch`). Returns how many
/// files were written and removed.
pub fn sync_tree(dir: &Utf8Path, pages: &Pages) -> io::Result<(usize, usize)> {
    std::fs::create_dir_all(dir)?;
    let mut written = 0;
    for (path, bytes) in pages {
        let target = safe_join(dir, path)?;
        if std::fs::read(&target).ok().as_deref() == Some(&bytes[..]) {
            continue;
        }
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p)?;
        }
        let tmp = target.with_file_name(format!(
            ".{}.gloss-tmp",
            target.file_name().unwrap_or("page")
        ));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &target)?;
        written += 1;
    }
    let mut removed = 0;
    for existing in list_files(dir)? {
        let rel = existing
            .strip_prefix(dir)
            .map_or_else(|_| existing.to_string(), |p| p.as_str().replace('\\', "/"));
        if !pages.contains_key(&rel) {
            std::fs::remove_file(&existing)?;
            removed += 1;
        }
    }
    Ok((written, removed))
}

fn list_files(dir: &Utf8Path) -> io::Result<Vec<Utf8PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let Ok(path) = Utf8PathBuf::from_path_buf(entry.path()) else {
                continue;
            };
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    Ok(out)
}

/// Joins a page path to the output folder, refusing anything that would leave it.
fn safe_join(dir: &Utf8Path, rel: &str) -> io::Result<Utf8PathBuf> {
    let rel = Utf8Path::new(rel);
    if rel.is_absolute()
        || rel
            .components()
            .any(|c| !matches!(c, camino::Utf8Component::Normal(_)))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: {rel}"),
        ));
    }
    Ok(dir.join(rel))
}

fn split(out: &Utf8Path) -> io::Result<(Utf8PathBuf, String)> {
    let name = out
        .file_name()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{out} is not a folder name"),
            )
        })?
        .to_owned();
    let parent = out
        .parent()
        .filter(|p| !p.as_str().is_empty())
        .map_or_else(|| Utf8PathBuf::from("."), Utf8Path::to_owned);
    Ok((parent, name))
}

/// Clears what an interrupted build left behind; if one was killed between moving the old
/// output away and moving the new one in, the old output is restored first.
fn recover(parent: &Utf8Path, name: &str) -> io::Result<()> {
    let out = parent.join(name);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let mut leftovers: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    leftovers.sort();
    for entry in leftovers {
        let path = parent.join(&entry);
        if entry.starts_with(&format!(".{name}.old-")) {
            if !out.exists() {
                std::fs::rename(&path, &out)?;
            } else {
                std::fs::remove_dir_all(&path)?;
            }
        } else if entry.starts_with(&format!(".{name}.tmp-")) {
            std::fs::remove_dir_all(&path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(list: &[(&str, &str)]) -> Pages {
        list.iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().into()))
            .collect()
    }

    #[test]
    fn replaces_output_and_recovers_leftovers() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = Utf8PathBuf::from_path_buf(dir.path().to_owned()).expect("utf8");
        let out = root.join("public");
        write_atomic(
            &out,
            &pages(&[("index.html", "one"), ("a/index.html", "a")]),
        )
        .expect("write");
        // A killed build left a temp folder and moved the output away.
        std::fs::create_dir_all(root.join(".public.tmp-1/x")).expect("mkdir");
        std::fs::rename(&out, root.join(".public.old-1")).expect("rename");
        write_atomic(&out, &pages(&[("index.html", "two")])).expect("write");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).expect("read"),
            "two"
        );
        assert!(!out.join("a/index.html").exists());
        let names: Vec<_> = std::fs::read_dir(&root)
            .expect("ls")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn sync_touches_only_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = Utf8PathBuf::from_path_buf(dir.path().join("o")).expect("utf8");
        assert_eq!(
            sync_tree(&out, &pages(&[("a.html", "1"), ("b/c.html", "2")])).expect("sync"),
            (2, 0)
        );
        assert_eq!(
            sync_tree(&out, &pages(&[("a.html", "1"), ("b/c.html", "3")])).expect("sync"),
            (1, 0)
        );
        assert_eq!(
            sync_tree(&out, &pages(&[("a.html", "1")])).expect("sync"),
            (0, 1)
        );
    }

    #[test]
    fn refuses_paths_outside() {
        assert!(safe_join(Utf8Path::new("/o"), "../etc/passwd").is_err());
        assert!(safe_join(Utf8Path::new("/o"), "/etc/passwd").is_err());
        assert!(safe_join(Utf8Path::new("/o"), "a/b.html").is_ok());
    }
}
