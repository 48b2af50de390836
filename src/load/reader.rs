//! The only code that opens site files: reads below the site root, refusing symlinks that
//! leave it and files over the size limit, and lists folders without editor debris.

use super::Stamp;
use crate::diag::{Code, Diagnostic};
use camino::{Utf8Path, Utf8PathBuf};
use std::path::PathBuf;

/// Reads files below the site root, refusing symlinks that leave it and files over the limit.
#[derive(Clone)]
pub(super) struct Reader {
    pub(super) root: Utf8PathBuf,
    pub(super) canonical_root: Option<PathBuf>,
    pub(super) limit: u64,
    pub(super) allow_external: bool,
}

impl Reader {
    pub(super) fn new(root: &Utf8Path) -> Self {
        Self {
            root: root.to_owned(),
            canonical_root: std::fs::canonicalize(root).ok(),
            limit: u64::MAX,
            allow_external: false,
        }
    }

    /// Every regular file below `dir` (relative to the root), sorted, skipping hidden and
    /// editor backup files. A missing folder is simply empty.
    pub(super) fn list(&self, dir: &str, diags: &mut Vec<Diagnostic>) -> Vec<Utf8PathBuf> {
        let mut out = Vec::new();
        // A symlinked `seeds/` (or `themes/x/static/`…) that leaves the site is refused once,
        // rather than once per file inside it.
        if self.root.join(dir).exists()
            && let Err(d) = self.check_inside(Utf8Path::new(dir))
        {
            diags.push(d);
            return out;
        }
        let mut stack = vec![Utf8PathBuf::from(dir)];
        while let Some(rel) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(self.root.join(&rel)) else {
                continue;
            };
            for entry in entries.flatten() {
                let Ok(name) = entry.file_name().into_string() else {
                    diags.push(
                        Diagnostic::error(
                            Code::Io,
                            format!("a file name in {rel} is not valid UTF-8"),
                        )
                        .help("rename it using UTF-8 characters"),
                    );
                    continue;
                };
                if is_ignored(&name) {
                    continue;
                }
                let path = rel.join(&name);
                // The listing says what each entry is without another system call. Only
                // a symlink can lead elsewhere; a plain entry of a folder inside the site
                // is inside it too, so thousands of seeds cost no path resolution.
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let (is_dir, is_file) = if kind.is_symlink() {
                    if let Err(d) = self.check_inside(&path) {
                        diags.push(d);
                        continue;
                    }
                    let full = self.root.join(&path);
                    (full.is_dir(), full.is_file())
                } else {
                    (kind.is_dir(), kind.is_file())
                };
                if is_dir {
                    stack.push(path);
                } else if is_file {
                    out.push(path);
                }
            }
        }
        out.sort_unstable_by(|a, b| crate::types::path_order(a.as_str(), b.as_str()));
        out
    }

    /// Refuses a path that resolves outside the site root (a symlink to `/etc/passwd`, say).
    pub(super) fn check_inside(&self, rel: &Utf8Path) -> Result<(), Diagnostic> {
        if self.allow_external {
            return Ok(());
        }
        let Some(root) = &self.canonical_root else {
            return Ok(());
        };
        match std::fs::canonicalize(self.root.join(rel)) {
            Ok(real) if real.starts_with(root) => Ok(()),
            // `theme = "../../x"`: the path itself steps out, no symlink involved.
            Ok(real) if rel.components().any(|c| c == camino::Utf8Component::ParentDir) => {
                Err(Diagnostic::error(
                    Code::UnsafePath,
                    format!("{rel} leads out of the site through `..`, to {}", real.display()),
                )
                .in_file(rel)
                .help("name a folder inside the site, without `..`"))
            }
            Ok(real) => Err(Diagnostic::error(
                Code::UnsafePath,
                format!("{rel} leads through a symlink to {}, outside the site", real.display()),
            )
            .in_file(rel)
            .help("copy the file into the site instead; or, for trusted input only, set `limits.allow_external_symlinks = true` in site.toml")),
            Err(e) => Err(Diagnostic::error(Code::Io, format!("cannot resolve {rel}: {e}"))
                .in_file(rel)
                .help("fix or remove the broken link")),
        }
    }

    /// The stamp to compare with `cached`: with `trust`, a file the caller did not list
    /// as changed, by itself or through a folder it is in (one replaced as a whole), is
    /// taken to be as it was, without asking the file system.
    pub(super) fn current_stamp(
        &self,
        rel: &Utf8Path,
        cached: Option<Stamp>,
        trust: bool,
        changed: &[Utf8PathBuf],
    ) -> Option<Stamp> {
        match cached {
            Some(stamp) if trust && !changed.iter().any(|c| rel.starts_with(c)) => Some(stamp),
            _ => self.stamp(rel),
        }
    }

    /// Size and modification time, when the file can be read at all.
    pub(super) fn stamp(&self, rel: &Utf8Path) -> Option<Stamp> {
        let meta = std::fs::metadata(self.root.join(rel)).ok()?;
        Some((meta.len(), meta.modified().ok()))
    }

    pub(super) fn read_bytes(&self, rel: &Utf8Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
        let full = self.root.join(rel);
        self.check_inside(rel)?;
        let io_err = |e: std::io::Error| {
            Diagnostic::error(Code::Io, format!("cannot read {rel}: {e}"))
                .in_file(rel)
                .help("check that the file exists and is readable")
        };
        let len = std::fs::metadata(&full).map_err(io_err)?.len();
        if len > limit {
            return Err(Diagnostic::error(
                Code::FileTooLarge,
                format!("{rel} is {len} bytes, over the limit of {limit}"),
            )
            .in_file(rel)
            .help(if rel.as_str() == "site.toml" {
                "site.toml holds settings only; remove what does not belong there"
            } else {
                "split the file, or raise `limits.max_file_bytes` in site.toml"
            }));
        }
        std::fs::read(&full).map_err(io_err)
    }

    pub(super) fn read_text(
        &self,
        rel: &Utf8Path,
        limit: u64,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let bytes = match self.read_bytes(rel, limit) {
            Ok(b) => b,
            Err(d) => {
                diags.push(d);
                return None;
            }
        };
        match String::from_utf8(bytes) {
            Ok(text) => Some(text),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("{rel} is not UTF-8 text: invalid byte at offset {at}"),
                    )
                    .in_file(rel)
                    .help("save the file as UTF-8"),
                );
                None
            }
        }
    }

    pub(super) fn read_optional_text(
        &self,
        rel: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let rel = Utf8Path::new(rel);
        if !self.root.join(rel).exists() {
            return None;
        }
        self.read_text(rel, self.limit, diags)
    }
}

/// Hidden files, editor swap and backup files never count as content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}
