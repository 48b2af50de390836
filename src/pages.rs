//! The site's output files in memory, as `render` makes them and `output`, `preview` and
//! the link check take them.

/// Output files: path relative to the output root (e.g. `articles/x/index.html`) → bytes,
/// in path order. A persistent map of shared bytes: a rebuild copies the last output in
/// constant time and changes only the files that changed, two outputs that share most of
/// their files are compared without visiting what they share, and the server holds a
/// snapshot cheaply. (A 10,000-article site has some 375,000 files, and a `BTreeMap` of
/// them took longer to copy and merge than the rebuild of the edited article.)
pub type Pages = imbl::OrdMap<String, Bytes>;

/// The bytes of one output file.
pub type Bytes = std::sync::Arc<[u8]>;

/// A render's output as it changes the last one's: every path put in or taken out is
/// noted, so that a rebuild tells which files changed by looking at those alone, not at
/// every file of the site. `fresh` when it starts empty, which all of it is new to.
#[derive(Default)]
pub struct Edited {
    files: Pages,
    touched: std::collections::BTreeSet<String>,
    fresh: bool,
}

impl Edited {
    /// An output that starts empty.
    pub fn fresh() -> Self {
        Self {
            fresh: true,
            ..Self::default()
        }
    }

    /// `files`, to be changed where this render's output differs.
    pub fn from(files: Pages) -> Self {
        Self {
            files,
            ..Self::default()
        }
    }

    /// Whether it started empty, so that everything must be put in.
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    pub fn insert(&mut self, path: String, bytes: Bytes) {
        if !self.fresh {
            self.touched.insert(path.clone());
        }
        self.files.insert(path, bytes);
    }

    pub fn remove(&mut self, path: &str) {
        if self.files.remove(path).is_some() && !self.fresh {
            self.touched.insert(path.to_owned());
        }
    }

    /// The files as they stand.
    pub fn files(&self) -> &Pages {
        &self.files
    }

    /// The files, and the paths put in or taken out (`None` when it started empty).
    pub fn finish(self) -> (Pages, Option<std::collections::BTreeSet<String>>) {
        (self.files, (!self.fresh).then_some(self.touched))
    }
}

/// Output files kept as the parts they are joined from, by path: `serve`'s build process
/// sends `annotations.jsonld` part after part instead of joining hundreds of megabytes
/// after every save, and tells an unchanged one by its parts being the very ones it sent.
pub type Joined = std::collections::BTreeMap<String, std::sync::Arc<[Bytes]>>;

/// Whether two buffers hold the same bytes: the very same buffer (what a cache hands back
/// unchanged), else equal contents.
pub fn same_bytes(a: &Bytes, b: &Bytes) -> bool {
    std::sync::Arc::ptr_eq(a, b) || a == b
}

/// Whether a file is the same in two outputs (absent from both counts as the same).
pub fn same_file(a: Option<&Bytes>, b: Option<&Bytes>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_bytes(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Whether two joined files have the same bytes: the same parts, or equal ones.
pub fn same_parts(a: &[Bytes], b: &[Bytes]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_bytes(x, y))
}

/// The length of the file that `parts` join into.
pub fn joined_len(parts: &[Bytes]) -> u64 {
    parts.iter().map(|p| p.len() as u64).sum()
}

/// The parts joined, written once into the shared buffer that is served: at 10,000
/// articles `annotations.jsonld` is tens of megabytes, and each intermediate copy would
/// cost every rebuild milliseconds.
pub fn concat(parts: &[&[u8]]) -> Bytes {
    let len = parts.iter().map(|p| p.len()).sum();
    let mut out = std::sync::Arc::<[u8]>::new_uninit_slice(len);
    let buf = std::sync::Arc::get_mut(&mut out).expect("a new Arc has one owner");
    let mut at = 0;
    for part in parts {
        let to = buf[at..at + part.len()].as_mut_ptr().cast::<u8>();
        // SAFETY: `to` is the next `part.len()` bytes of a new buffer, which no part overlaps.
        unsafe { std::ptr::copy_nonoverlapping(part.as_ptr(), to, part.len()) };
        at += part.len();
    }
    // SAFETY: the parts' lengths sum to `len`, so the loop above wrote every byte.
    unsafe { out.assume_init() }
}

/// Where a build hands each output file as soon as it is final, from any thread, so that
/// `gloss build` writes it at once and keeps none of them: at 10,000 articles the pages,
/// `annotations.jsonld` and the search bundle together are hundreds of megabytes.
pub trait Sink: Sync {
    /// Takes one final output file (`path` relative to the output root).
    fn put(&self, path: &str, bytes: &[u8]);

    /// Takes one final output file made of `parts`, in order, which a sink that writes
    /// need never join in memory.
    fn put_parts(&self, path: &str, parts: &[&[u8]]) {
        self.put(path, &parts.concat());
    }
}

/// Costly outputs kept between builds, each under a key made from everything it is made
/// of (`.gloss-cache/` in the site, which `output::cache` keeps), so a build takes from it
/// what an earlier build already made instead of making it again. Keys are relative file
/// names such as `cards/<sha-256>.png`. A store that cannot read or write simply has
/// nothing: it never fails a build.
pub trait Store: Send + Sync {
    /// The bytes kept under `key`, if they are there whole.
    fn get(&self, key: &str) -> Option<Vec<u8>>;
    /// Keeps `bytes` under `key`.
    fn put(&self, key: &str, bytes: &[u8]);
}
