//! Writes rendered pages to the output folder atomically, and only to a folder gloss may
//! replace: everything goes to a temporary folder beside it, which takes the old output's
//! place only once complete. A failed or killed build leaves the previous output as it
//! was; the next build clears the leftovers. The output is replaced wholesale, so a path
//! that is, holds or lies inside the site's sources, or a folder gloss did not write, is
//! refused before anything is touched.

pub use crate::output_dir::{MARKER, Origin, Refusal, Target, check_location};
use crate::pages::{Pages, Sink};
use camino::{Utf8Path, Utf8PathBuf};
use same_file::Handle;
use std::io;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

const MARKER_TEXT: &str =
    "This folder is written by gloss, which replaces all of it on every build.\n";

/// Writes `pages` as the new content of `target`.
pub fn write_atomic(target: &Target, pages: &Pages) -> io::Result<()> {
    Staging::begin(target)?.commit(pages).map(drop)
}

/// The lock that keeps two gloss processes from writing one output folder at once (each
/// would clear the other's staging folder as a leftover): a file beside the output,
/// `.<name>.lock`, locked while the process writes. The operating system releases the
/// lock when the process ends, however it ends; a process that ends normally also
/// removes the file, so a site keeps no lock file between builds.
pub struct OutputLock {
    path: Utf8PathBuf,
    file: std::fs::File,
}

impl OutputLock {
    /// Takes the lock of `target`, creating the folder it is in; fails at once if another
    /// process holds it.
    pub fn acquire(target: &Target) -> io::Result<Self> {
        let (parent, name) = split(target.path())?;
        std::fs::create_dir_all(&parent)?;
        let path = parent.join(format!(".{name}.lock"));
        loop {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WouldBlock,
                        format!("another gloss process is writing it (it holds {path})"),
                    ));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
            // The holder before us may have removed the file between our opening and
            // locking it; a lock on a removed file keeps nobody out, so take the new one.
            let ours = Handle::from_file(file.try_clone()?)?;
            if Handle::from_path(&path).is_ok_and(|h| h == ours) {
                return Ok(Self { path, file });
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked, so no other process can lock this file after us.
        std::fs::remove_file(&self.path).ok();
        self.file.unlock().ok();
    }
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

/// A new output folder being filled beside the old one. Files go in, from any thread, as
/// soon as they are final (it is the `Sink` `gloss build` renders into, so no build holds
/// every page in memory); `commit` writes the rest and swaps the folder in. Dropped
/// uncommitted, it deletes itself, so a failed build leaves the previous output as it was.
pub struct Staging {
    out: Utf8PathBuf,
    tmp: Utf8PathBuf,
    old: Utf8PathBuf,
    /// Files written so far, the marker aside.
    files: AtomicUsize,
    /// The first write that failed; `commit` reports it.
    failed: OnceLock<io::Error>,
    committed: bool,
    _lock: OutputLock,
}

impl Staging {
    /// Takes the output's lock, clears leftovers of interrupted builds and starts a
    /// folder beside `target` holding only the marker.
    pub fn begin(target: &Target) -> io::Result<Self> {
        let lock = OutputLock::acquire(target)?;
        let out = target.path();
        let (parent, name) = split(out)?;
        recover(&parent, &name)?;
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::create_dir_all(&tmp)?;
        std::fs::write(tmp.join(MARKER), MARKER_TEXT)?;
        Ok(Self {
            out: out.to_owned(),
            old: parent.join(format!(".{name}.old-{}", std::process::id())),
            tmp,
            files: AtomicUsize::new(0),
            failed: OnceLock::new(),
            committed: false,
            _lock: lock,
        })
    }

    /// Writes `pages`, the files not handed over already, and makes the folder the new
    /// `out`. Returns how many files the build wrote.
    pub fn commit(mut self, pages: &Pages) -> io::Result<usize> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        write_tree(&self.tmp, pages)?;
        swap_in(&self.tmp, &self.out, &self.old)?;
        self.committed = true;
        // What is left is the previous output, out of the way: a failure to delete it
        // now is not a failed build, and the next build clears it.
        for leftover in [&self.tmp, &self.old] {
            if leftover.exists() {
                std::fs::remove_dir_all(leftover).ok();
            }
        }
        Ok(self.files.load(Ordering::Relaxed) + pages.len())
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) {
        self.put_parts(path, &[bytes]);
    }

    /// Writes one file now; an error is kept for `commit` to report, and ends the writing.
    fn put_parts(&self, path: &str, parts: &[&[u8]]) {
        use std::io::Write as _;
        if self.failed.get().is_some() {
            return;
        }
        let written = safe_join(&self.tmp, path).and_then(|target| {
            // Most files go into a folder that exists already: try to create the file first.
            let file = match std::fs::File::create(&target) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    if let Some(parent) = target.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::File::create(&target)
                }
                other => other,
            }?;
            let mut out = io::BufWriter::with_capacity(1 << 16, file);
            for part in parts {
                out.write_all(part)?;
            }
            out.flush()
        });
        match written {
            Ok(()) => {
                self.files.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                self.failed.set(e).ok();
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            std::fs::remove_dir_all(&self.tmp).ok();
        }
    }
}

/// Puts the folder `tmp` in the place of `out`. On Linux the two are exchanged in one
/// step (`renameat2` with `RENAME_EXCHANGE`), so there is no moment without an output,
/// and `tmp` then holds the previous one. Elsewhere, or on a file system that cannot
/// exchange, the old output is first moved to `old`; a build killed between the two
/// renames leaves it there, and the next build's `recover` puts it back.
fn swap_in(tmp: &Utf8Path, out: &Utf8Path, old: &Utf8Path) -> io::Result<()> {
    if std::fs::symlink_metadata(out).is_err() {
        return std::fs::rename(tmp, out);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(
            CWD,
            tmp.as_std_path(),
            CWD,
            out.as_std_path(),
            RenameFlags::EXCHANGE,
        ) {
            Ok(()) => return Ok(()),
            Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => {}
            Err(e) => return Err(e.into()),
        }
    }
    std::fs::rename(out, old)?;
    if let Err(e) = std::fs::rename(tmp, out) {
        // Put the previous output back rather than leave nothing.
        std::fs::rename(old, out).ok();
        return Err(e);
    }
    Ok(())
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

/// Brings the output folder to `pages` (for `build --watch`), touching only files whose
/// bytes differ: first removing files that are no longer produced and the folders they
/// leave empty (so a page that became a folder, or the reverse, finds its path free),
/// then writing each changed file beside its place and renaming it in. The folder keeps
/// the marker. Returns how many files were written and removed.
pub fn sync_tree(dir: &Utf8Path, pages: &Pages) -> io::Result<(usize, usize)> {
    std::fs::create_dir_all(dir)?;
    let marker = dir.join(MARKER);
    if !marker.is_file() {
        std::fs::write(&marker, MARKER_TEXT)?;
    }
    let mut removed = 0;
    for existing in list_files(dir)? {
        let rel = existing
            .strip_prefix(dir)
            .map_or_else(|_| existing.to_string(), |p| p.as_str().replace('\\', "/"));
        if rel != MARKER && !pages.contains_key(&rel) {
            std::fs::remove_file(&existing)?;
            removed += 1;
            remove_empty_folders(dir, &existing)?;
        }
    }
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
        if let Err(e) = std::fs::rename(&tmp, &target) {
            std::fs::remove_file(&tmp).ok();
            return Err(e);
        }
        written += 1;
    }
    Ok((written, removed))
}

/// Removes the folders above `removed` that it left empty, up to (not including) `dir`.
fn remove_empty_folders(dir: &Utf8Path, removed: &Utf8Path) -> io::Result<()> {
    for folder in removed.ancestors().skip(1) {
        if folder == dir || !folder.starts_with(dir) {
            break;
        }
        if std::fs::read_dir(folder)?.next().is_some() {
            break;
        }
        std::fs::remove_dir(folder)?;
    }
    Ok(())
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
            .map(|(p, b)| (p.to_string(), crate::pages::Bytes::from(b.as_bytes())))
            .collect()
    }

    #[test]
    fn replaces_output_and_recovers_leftovers() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = Utf8PathBuf::from_path_buf(dir.path().to_owned()).expect("utf8");
        let out = root.join("public");
        let target =
            |force| Target::resolve(&root, &out, Origin::CommandLine, force).expect("target");
        write_atomic(
            &target(false),
            &pages(&[("index.html", "one"), ("a/index.html", "a")]),
        )
        .expect("write");
        // A killed build left a temp folder and moved the output away.
        std::fs::create_dir_all(root.join(".public.tmp-1/x")).expect("mkdir");
        std::fs::rename(&out, root.join(".public.old-1")).expect("rename");
        // The moved-away output is back in place when the next build looks at it.
        write_atomic(&target(true), &pages(&[("index.html", "two")])).expect("write");
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
        assert_eq!(names, ["public"]);
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
        assert!(!out.join("b").exists(), "the emptied folder is removed");
        // A page that becomes a folder, and back, leaves no staging file behind.
        assert_eq!(
            sync_tree(&out, &pages(&[("a.html/index.html", "1")])).expect("sync"),
            (1, 1)
        );
        assert_eq!(
            sync_tree(&out, &pages(&[("a.html", "1")])).expect("sync"),
            (1, 1)
        );
        let mut names: Vec<_> = std::fs::read_dir(&out)
            .expect("ls")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        names.sort();
        assert_eq!(names, [MARKER, "a.html"]);
    }

    /// On Linux the swap is one exchange: at no moment is there no output, and what is
    /// left in the staging folder's place is the previous output.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_swap_exchanges_the_folders_in_one_step() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = Utf8PathBuf::from_path_buf(dir.path().to_owned()).expect("utf8");
        let (tmp, out, old) = (root.join("tmp"), root.join("out"), root.join("old"));
        std::fs::create_dir_all(&tmp).expect("mkdir");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(tmp.join("new"), "").expect("write");
        std::fs::write(out.join("previous"), "").expect("write");
        swap_in(&tmp, &out, &old).expect("swap");
        assert!(out.join("new").is_file());
        assert!(tmp.join("previous").is_file());
        assert!(!old.exists());
    }

    #[test]
    fn refuses_paths_outside() {
        assert!(safe_join(Utf8Path::new("/o"), "../etc/passwd").is_err());
        assert!(safe_join(Utf8Path::new("/o"), "/etc/passwd").is_err());
        assert!(safe_join(Utf8Path::new("/o"), "a/b.html").is_ok());
    }
}
