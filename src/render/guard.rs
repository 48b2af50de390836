//! A watchdog over the render stage, the one stage that runs code from the site itself.
//!
//! Tera templates have no step or memory limit, so a theme override from an untrusted pull
//! request can loop for hours (`for` loops nested over `range()`) or grow a string until the
//! machine runs out of memory. Threads cannot be stopped from outside, so when one page takes
//! longer than `limits.render_seconds`, or the process grows past `limits.max_memory_mib`, the
//! watchdog prints a diagnostic and ends the process with exit code 1, as a content error.
//! Nothing has been written by then, so the previous output stays as it was. Hugo's `timeout`
//! setting is the precedent.

use crate::config::LimitsConfig;
use crate::diag::{self, Code, Diagnostic, SourceFiles};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the watchdog looks; a string that doubles grows by at most a few hundred MiB
/// between two looks.
const TICK: Duration = Duration::from_millis(50);

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
    /// Starts watching with `limits` for a site of `articles` articles; with `enabled`
    /// false (`gloss serve`, which must outlive a bad template) it watches nothing.
    pub fn start(limits: &LimitsConfig, articles: usize, enabled: bool) -> Watchdog {
        let mib = limits.memory_mib(articles);
        if !enabled || (limits.render_seconds == 0 && mib == 0) {
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
            give_up(
                Diagnostic::error(
                    Code::TemplateError,
                    format!("rendering used {used} MiB of memory, over the limit of {mib} MiB, so the build was stopped"),
                )
                .help("a theme template or a huge Markdown text makes pages too large; fix it, or raise `limits.max_memory_mib` in site.toml"),
            );
        }
    }
}

/// Reports `diag` and ends the process: the rendering threads cannot be stopped otherwise.
fn give_up(diag: Diagnostic) -> ! {
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
        let dog = Watchdog::start(&limits, 1, true);
        let shared = dog.shared.as_deref().expect("enabled");
        {
            let _a = dog.begin("a");
            let _b = dog.begin("b");
            assert_eq!(shared.running.lock().expect("lock").len(), 2);
        }
        assert!(shared.running.lock().expect("lock").is_empty());
        assert!(resident_mib().is_none_or(|m| m > 0));
        drop(dog);
        let off = Watchdog::start(&limits, 1, false);
        assert!(off.shared.is_none());
        let _t = off.begin("ignored");
    }
}
