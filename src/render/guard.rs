//! A watchdog over the render stage, the one stage that runs code from the site itself.
//!
//! Tera templates have no step or memory limit, so a theme override from an untrusted pull
//! request can loop for hours (`for` loops nested over `range()`) or grow a string until the
//! machine runs out of memory. Threads cannot be stopped from outside, so when one page takes
//! longer than `limits.render_seconds`, or the process grows past `limits.max_memory_mib`, the
//! watchdog prints a diagnostic and ends the process with exit code 1, as a content error.
//! Nothing has been written by then, so the previous output stays as it was. Hugo's `timeout`
//! setting is the precedent. `gloss serve` renders in a build process of its own for this
//! reason (see `worker`): the watchdog ends that process, and the server lives on.

use crate::config::LimitsConfig;
use crate::diag::{self, Code, Diagnostic, SourceFiles};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How often the watchdog looks; a string that doubles grows by at most a few hundred MiB
/// between two looks.
const TICK: Duration = Duration::from_millis(50);

/// The memory limit of the watchdog running now, in MiB; 0 while none runs.
static MEMORY_LIMIT_MIB: AtomicU64 = AtomicU64::new(0);

/// Allocations at least this large are checked against the memory limit before they are
/// made. A string that doubles grows by one such allocation at a time, and between two
/// looks of the watchdog it could double past the limit (it overshot about twofold).
const CHECKED_ALLOCATION: usize = 16 << 20;

/// The binary's global allocator (`A`, mimalloc) with the watchdog's memory limit enforced
/// at each large allocation, before the memory is taken.
pub struct Bounded<A>(pub A);

impl<A> Bounded<A> {
    /// Stops the build when an allocation of `size` bytes would take the process past the
    /// limit of the watchdog running now.
    fn check(size: usize) {
        if size < CHECKED_ALLOCATION {
            return;
        }
        let limit = MEMORY_LIMIT_MIB.load(Ordering::Relaxed);
        if limit == 0 {
            return;
        }
        let wanted = (size >> 20) as u64;
        if let Some(used) = resident_mib()
            && used + wanted > limit
        {
            // Only the first thread over the limit reports; the others wait for the exit.
            if MEMORY_LIMIT_MIB.swap(0, Ordering::Relaxed) == 0 {
                loop {
                    std::thread::park();
                }
            }
            give_up(over_memory(used + wanted, limit));
        }
    }
}

// SAFETY: every call is passed on unchanged to `A`, which upholds `GlobalAlloc`'s contract;
// `check` only reads a file (its small allocations are not checked) or ends the process.
unsafe impl<A: std::alloc::GlobalAlloc> std::alloc::GlobalAlloc for Bounded<A> {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        Self::check(layout.size());
        // SAFETY: the caller's layout, as `GlobalAlloc::alloc` requires.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        Self::check(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from `self.0` with this layout.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            Self::check(new_size);
        }
        // SAFETY: `ptr` came from `self.0` with this layout, as the caller guarantees.
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }
}

/// The diagnostic for a render that used too much memory.
fn over_memory(used: u64, mib: u64) -> Diagnostic {
    Diagnostic::error(
        Code::TemplateError,
        format!("rendering used {used} MiB of memory, over the limit of {mib} MiB, so the build was stopped"),
    )
    .help("a theme template or a huge Markdown text makes pages too large; fix it, or raise `limits.max_memory_mib` in site.toml")
}

/// How a runaway render is reported before the process ends, when not on the terminal.
static REPORTER: OnceLock<fn(&Diagnostic)> = OnceLock::new();

/// Has the watchdog hand its diagnostic to `reporter` (the build process behind `serve`
/// sends it to the server) instead of printing it; the process still ends.
pub fn report_with(reporter: fn(&Diagnostic)) {
    // Set once at start-up; a second call would change nothing.
    let _ = REPORTER.set(reporter);
}

/// Watches pages while they render; stops watching when dropped.
pub struct Watchdog {
    shared: Option<Arc<Shared>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

struct Shared {
    /// Page being rendered (by ticket number) → what it is and when it started.
    running: Mutex<HashMap<u64, (String, Instant)>>,
    next: AtomicU64,
    done: AtomicBool,
}

/// A page being rendered; dropping it says the page is done.
pub struct Ticket<'a> {
    shared: Option<&'a Shared>,
    id: u64,
}

impl Watchdog {
    /// Starts watching with `limits` for a site of `articles` articles.
    pub fn start(limits: &LimitsConfig, articles: usize) -> Watchdog {
        let mib = limits.memory_mib(articles);
        if limits.render_seconds == 0 && mib == 0 {
            return Watchdog {
                shared: None,
                thread: None,
            };
        }
        let shared = Arc::new(Shared {
            running: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
            done: AtomicBool::new(false),
        });
        let seconds = limits.render_seconds;
        MEMORY_LIMIT_MIB.store(mib, Ordering::Relaxed);
        let watched = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("gloss-watchdog".into())
            .spawn(move || watch(&watched, seconds, mib))
            .ok();
        Watchdog {
            shared: Some(shared),
            thread,
        }
    }

    /// Marks `page` as rendering until the ticket is dropped.
    pub fn begin(&self, page: impl std::fmt::Debug) -> Ticket<'_> {
        let Some(shared) = self.shared.as_deref() else {
            return Ticket {
                shared: None,
                id: 0,
            };
        };
        let id = shared.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut running) = shared.running.lock() {
            running.insert(id, (format!("{page:?}"), Instant::now()));
        }
        Ticket {
            shared: Some(shared),
            id,
        }
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if let Some(shared) = self.shared
            && let Ok(mut running) = shared.running.lock()
        {
            running.remove(&self.id);
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(shared) = &self.shared {
            shared.done.store(true, Ordering::Relaxed);
            MEMORY_LIMIT_MIB.store(0, Ordering::Relaxed);
        }
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            thread.join().ok();
        }
    }
}

fn watch(shared: &Shared, seconds: u64, mib: u64) {
    let timeout = Duration::from_secs(seconds);
    while !shared.done.load(Ordering::Relaxed) {
        std::thread::park_timeout(TICK);
        if seconds > 0
            && let Ok(running) = shared.running.lock()
            && let Some((page, started)) = running.values().min_by_key(|(_, started)| *started)
            && started.elapsed() > timeout
        {
            give_up(
                Diagnostic::error(
                    Code::TemplateError,
                    format!("rendering {page} took longer than {seconds} s, so the build was stopped"),
                )
                .help("a theme template loops for too long (nested `for` loops?); fix it, or raise `limits.render_seconds` in site.toml"),
            );
        }
        if mib > 0
            && let Some(used) = resident_mib()
            && used > mib
        {
            give_up(over_memory(used, mib));
        }
    }
}

/// Reports `diag` and ends the process: the rendering threads cannot be stopped otherwise.
fn give_up(diag: Diagnostic) -> ! {
    if let Some(report) = REPORTER.get() {
        report(&diag);
        std::process::exit(1)
    }
    let diags = [diag];
    eprint!("{}", diag::to_human(&diags, &SourceFiles::default(), false));
    eprintln!(
        "{}\nNothing was written; the previous output is unchanged.",
        diag::summary(&diags)
    );
    std::process::exit(1)
}

/// The process's resident memory, where the platform tells it cheaply (Linux).
fn resident_mib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // Every Linux platform gloss targets uses 4 KiB pages.
    Some(pages * 4 / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_come_and_go() {
        let limits = LimitsConfig {
            render_seconds: 3600,
            max_memory_mib: Some(0),
            ..LimitsConfig::default()
        };
        let dog = Watchdog::start(&limits, 1);
        let shared = dog.shared.as_deref().expect("enabled");
        {
            let _a = dog.begin("a");
            let _b = dog.begin("b");
            assert_eq!(shared.running.lock().expect("lock").len(), 2);
        }
        assert!(shared.running.lock().expect("lock").is_empty());
        assert!(resident_mib().is_none_or(|m| m > 0));
        drop(dog);
        let off = Watchdog::start(
            &LimitsConfig {
                render_seconds: 0,
                ..limits
            },
            1,
        );
        assert!(off.shared.is_none());
        let _t = off.begin("ignored");
    }
}
