//! Which folder gloss may write its output to. The output is replaced wholesale, so a path
//! that is, holds or lies inside the site's sources, or a folder gloss did not write, is
//! refused before anything is touched. `load` checks `output_dir` with these rules (so
//! `check` fails where `build` would refuse) and `output::write` writes only to a `Target`.

use camino::{Utf8Component, Utf8Path, Utf8PathBuf};
use same_file::Handle;
use std::io;

/// The file gloss puts in every output folder it writes. A non-empty folder without it
/// is someone else's, and gloss does not replace it unless told to (`--force`).
pub const MARKER: &str = ".gloss-output";
/// What the output folder must never be, be inside or contain: the site's own files.
const SOURCES: &[&str] = &[
    "site.toml",
    "seeds",
    "content",
    "themes",
    "schemas",
    ".git",
    ".github",
];

/// Where an output path came from, which decides how far it may reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `--out`: the user's explicit choice, which may be outside the site.
    CommandLine,
    /// `build.output_dir` in site.toml: untrusted (a pull request can change it), so it
    /// stays inside the site unless the site allows symlinks that leave it.
    SiteToml { allow_external_symlinks: bool },
}

/// Why gloss will not write an output folder.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("the output folder {out} {relation} {what}")]
    Sources {
        out: Utf8PathBuf,
        relation: &'static str,
        what: String,
    },
    #[error("the output folder {out} leads through a symlink to {real}, outside the site")]
    Outside { out: Utf8PathBuf, real: Utf8PathBuf },
    #[error("the output folder {out} is a file, not a folder gloss wrote")]
    NotAFolder { out: Utf8PathBuf },
    #[error(
        "the output folder {out} is not empty and was not written by gloss (it has no .gloss-output file)"
    )]
    NotGlossOutput { out: Utf8PathBuf },
    #[error("cannot check the output folder {out}: {source}")]
    Io { out: Utf8PathBuf, source: io::Error },
}

impl Refusal {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            Self::Sources { .. } => {
                "every build replaces the whole output folder; choose a folder of its own, such as `public` (nothing was written or removed)"
            }
            Self::Outside { .. } => {
                "use a folder inside the site; or, for trusted input only, set `limits.allow_external_symlinks = true` in site.toml (nothing was written or removed)"
            }
            Self::NotAFolder { .. } => {
                "gloss never deletes a file it did not create: move or remove it, or choose another output folder"
            }
            Self::NotGlossOutput { .. } => {
                "gloss never deletes what it did not create: choose an empty or new folder, or pass --force to replace this one and everything in it"
            }
            Self::Io { .. } => "check that the folder and the ones above it can be read",
        }
    }
}

/// An output folder checked to be gloss's to replace, by its real path (symlinks and
/// `..` resolved), which is where it is written.
#[derive(Clone, Debug)]
pub struct Target {
    real: Utf8PathBuf,
}

impl Target {
    /// Checks `out` (relative to the working directory, or absolute) for the site at
    /// `root`: its location (`check_location`), and that an existing folder is empty,
    /// gloss's own output, or `force`d.
    pub fn resolve(
        root: &Utf8Path,
        out: &Utf8Path,
        origin: Origin,
        force: bool,
    ) -> Result<Self, Refusal> {
        let real = check_location(root, out, origin)?;
        let refused = |source| Refusal::Io {
            out: out.to_owned(),
            source,
        };
        match std::fs::symlink_metadata(&real) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(refused(e)),
            Ok(meta) if !meta.is_dir() => {
                return Err(Refusal::NotAFolder {
                    out: out.to_owned(),
                });
            }
            Ok(_) => {
                let mut entries = std::fs::read_dir(&real).map_err(refused)?;
                let empty = entries.next().is_none();
                if !empty && !force && !real.join(MARKER).is_file() {
                    return Err(Refusal::NotGlossOutput {
                        out: out.to_owned(),
                    });
                }
            }
        }
        Ok(Self { real })
    }

    /// The real path the output is written to.
    pub fn path(&self) -> &Utf8Path {
        &self.real
    }
}

/// Checks where `out` really is (symlinks and `..` resolved) for the site at `root`, and
/// returns that real path. Refused: the site itself, any folder holding it, and its
/// sources or anything inside them, compared as the file system sees them (so a
/// different spelling on a case-insensitive one, or a symlink, makes no difference); for
/// `Origin::SiteToml`, also anything outside the site unless external symlinks are allowed.
pub fn check_location(
    root: &Utf8Path,
    out: &Utf8Path,
    origin: Origin,
) -> Result<Utf8PathBuf, Refusal> {
    let refused = |source| Refusal::Io {
        out: out.to_owned(),
        source,
    };
    let real_root = canonical(root).map_err(refused)?;
    let real = resolve(out).map_err(refused)?;
    // The file system's identity of the folder and of every existing one above it:
    // equal identities are one folder whatever the path's spelling.
    let here = Handle::from_path(&real).ok();
    let above: Vec<Handle> = real
        .ancestors()
        .skip(1)
        .filter_map(|a| Handle::from_path(a).ok())
        .collect();
    let sources = |relation, what: String| Refusal::Sources {
        out: out.to_owned(),
        relation,
        what,
    };
    let root_handle = Handle::from_path(&real_root).map_err(refused)?;
    if here.as_ref() == Some(&root_handle) {
        return Err(sources("is", "the site's own folder".into()));
    }
    if let Some(here) = &here
        && holds(here, &real_root)
    {
        return Err(sources("holds", "the whole site".into()));
    }
    for name in SOURCES {
        let source = root.join(name);
        let (Ok(handle), Ok(real_source)) = (Handle::from_path(&source), canonical(&source)) else {
            continue;
        };
        let what = format!("the site's `{name}`");
        if here.as_ref() == Some(&handle) {
            return Err(sources("is", what));
        }
        if above.contains(&handle) {
            return Err(sources("lies inside", what));
        }
        if let Some(here) = &here
            && holds(here, &real_source)
        {
            return Err(sources("holds", what));
        }
    }
    if let Origin::SiteToml {
        allow_external_symlinks: false,
    } = origin
        && !above.contains(&root_handle)
    {
        return Err(Refusal::Outside {
            out: out.to_owned(),
            real,
        });
    }
    Ok(real)
}

/// Whether the folder `folder` is `path` or one of the folders above it.
fn holds(folder: &Handle, path: &Utf8Path) -> bool {
    path.ancestors()
        .any(|a| Handle::from_path(a).is_ok_and(|h| h == *folder))
}

fn canonical(path: &Utf8Path) -> io::Result<Utf8PathBuf> {
    Utf8PathBuf::from_path_buf(std::fs::canonicalize(path)?).map_err(|p| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} is not UTF-8", p.display()),
        )
    })
}

/// The real path of `path`, which need not exist yet: its longest existing part with
/// symlinks resolved, then the rest, in which `..` can only step back over a part that
/// does not exist yet (so is no symlink).
fn resolve(path: &Utf8Path) -> io::Result<Utf8PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        let cwd = std::env::current_dir()?;
        Utf8PathBuf::from_path_buf(cwd)
            .map_err(|p| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{} is not UTF-8", p.display()),
                )
            })?
            .join(path)
    };
    let mut real = Utf8PathBuf::new();
    let mut existing = true;
    for part in absolute.components() {
        match part {
            Utf8Component::CurDir => {}
            Utf8Component::ParentDir if !existing => {
                real.pop();
            }
            part => {
                let next = real.join(part);
                if existing && std::fs::symlink_metadata(&next).is_ok() {
                    real = canonical(&next)?;
                } else {
                    existing = false;
                    real = next;
                }
            }
        }
    }
    Ok(real)
}
