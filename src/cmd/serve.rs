//! `gloss serve`: builds the site into memory, serves it with live reload on
//! 127.0.0.1, and rebuilds on every save. Never writes the output folder. The builds run in
//! a child process (`worker`), so the render watchdog can stop a runaway theme template
//! without stopping the server. The search index is built on a thread of its own after
//! each build is served, so search works in the preview without slowing a save down.

use super::Exit;
use crate::config::SiteConfig;
use crate::pages::Pages;
use crate::preview::rebuild::describe_inputs;
use crate::preview::search_records::{Held, RecordsDelta};
use crate::preview::server::{Preview, Published};
use crate::preview::watch::Watcher;
use camino::Utf8PathBuf;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};
use worker::{Builds, Built};

mod worker;

pub struct Options {
    pub root: Utf8PathBuf,
    pub bind: String,
    /// `None`: `[serve] port` from site.toml. `Some(0)`: any free port.
    pub port: Option<u16>,
    pub open: bool,
    pub drafts: bool,
    pub poll: bool,
}

pub fn run(opts: &Options) -> Exit {
    if std::env::var_os(worker::ENV).is_some() {
        return worker::child_main(&opts.root, opts.drafts);
    }
    if !opts.root.join("site.toml").is_file() {
        eprintln!(
            "error: {} has no site.toml, so it is not a gloss site\n  help: run gloss from the site's folder, pass --root DIR, or create a site with `gloss init DIR`",
            opts.root
        );
        return Exit::Failure;
    }
    let config = crate::load::site_config(&opts.root);
    let port = opts
        .port
        .or(config.as_ref().map(|c| c.serve.port))
        .unwrap_or(1111);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return Exit::Failure;
        }
    };
    // Bind before building, so a taken port fails at once rather than after a long build.
    let listener = match runtime.block_on(tokio::net::TcpListener::bind((opts.bind.as_str(), port)))
    {
        Ok(l) => l,
        Err(e) => {
            let help = if e.kind() == std::io::ErrorKind::AddrInUse {
                "another program (another `gloss serve`?) uses this port; pass --port N, or --port 0 for any free port"
            } else {
                "check --bind (an address of this machine, like 127.0.0.1) and --port"
            };
            eprintln!(
                "error: cannot listen on {}:{port}: {e}\n  help: {help}",
                opts.bind
            );
            return Exit::Failure;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: cannot read the server's address: {e}");
            return Exit::Failure;
        }
    };
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, which other machines can reach; the preview server is meant for this machine (--bind 127.0.0.1)",
            addr.ip()
        );
    }

    let root_path = config
        .as_ref()
        .map_or_else(|| "/".into(), SiteConfig::root_path);
    let preview = Arc::new(Preview::at(&root_path));
    // Serve from the start: while the first build runs, every page is the waiting page.
    let server = runtime.spawn(crate::preview::server::serve(
        listener,
        preview.clone().router(),
    ));
    let mut builds = Builds::new(&opts.root, opts.drafts, root_path);
    let started = Instant::now();
    let mut first = builds.rebuild(&[]);
    preview.publish(&first.update);
    let indexer = start_indexer(preview.clone());
    index(indexer.as_ref(), &mut first);
    match (&first.update.pages, first.update.ok) {
        (Some(pages), true) => eprintln!(
            "Built {} files in memory in {} ms",
            pages.len(),
            started.elapsed().as_millis()
        ),
        _ => eprintln!(
            "The site has errors; fix them and save, the browser shows the site once it builds."
        ),
    }

    let output = config.as_ref().map(|c| opts.root.join(&c.build.output_dir));
    let mut watcher = match Watcher::start(&opts.root, output.as_deref(), opts.poll) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Failure;
        }
    };
    let url = format!("http://{}{}", display_addr(addr), first.update.root_path);
    let rebuild_preview = preview.clone();
    let spawned = std::thread::Builder::new()
        .name("gloss-rebuild".into())
        .spawn(move || {
            while let Some(changed) = watcher.next_change() {
                let started = Instant::now();
                let mut built = builds.rebuild(&changed);
                let mut published = rebuild_preview.publish(&built.update);
                let served = started.elapsed();
                index(indexer.as_ref(), &mut built);
                // The large site-wide files come after the pages were published.
                if let Some(rest) = builds.rest() {
                    match rest.update.pages {
                        Some(pages) if rest.update.ok => {
                            published.pages_changed += rest.update.changed.len();
                            rebuild_preview.complete(pages);
                        }
                        _ => {
                            rebuild_preview.publish(&rest.update);
                        }
                    }
                }
                summarize(&built, &changed, served, &published);
            }
        });
    if let Err(e) = spawned {
        eprintln!("error: cannot start watching: {e}");
        return Exit::Failure;
    }

    // The URL goes to stdout alone, so scripts (and tests using --port 0) can read it.
    println!("Serving {url}");
    eprintln!(
        "Watching {} for changes{}; press Ctrl+C to stop.",
        opts.root,
        if opts.poll { " (polling)" } else { "" }
    );
    if opts.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }

    let exit = runtime.block_on(async move {
        tokio::select! {
            served = server => match served {
                Ok(()) => Exit::Success,
                Err(e) => {
                    eprintln!("error: the server stopped: {e}");
                    Exit::Failure
                }
            },
            () = shutdown_signal() => Exit::Success,
        }
    });
    // Open event streams never end by themselves; don't wait for them.
    runtime.shutdown_timeout(Duration::from_millis(100));
    exit
}

/// An address as it goes into a URL a browser on this machine can open.
fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{}", addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[::1]:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
    }
}

/// One line per rebuild, timed to when its pages were served (the build process prints
/// the report when it changed).
fn summarize(built: &Built, changed: &[Utf8PathBuf], served: Duration, published: &Published) {
    let ms = served.as_millis();
    let cause = describe_inputs(changed);
    if built.update.ok {
        let (pages, css) = (published.pages_changed, published.css_changed);
        let css = if css > 0 {
            format!(
                ", {css} stylesheet{} swapped",
                if css == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        };
        eprintln!(
            "Rebuilt in {ms} ms ({cause}): {pages} file{} changed{css}",
            if pages == 1 { "" } else { "s" }
        );
    } else {
        eprintln!(
            "Build failed in {ms} ms ({cause}): {}; still serving the last good build",
            built.summary
        );
    }
}

/// Resolves on Ctrl+C, or on SIGTERM where there is one.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// How long the search index waits after a build's records arrive, for more of them and
/// for the browsers to show the changed pages.
const INDEX_AFTER: Duration = Duration::from_millis(300);

/// Starts the thread that builds the preview's search index from the records each build
/// hands over; `None` when search is off or the thread cannot start.
fn start_indexer(preview: Arc<Preview>) -> Option<mpsc::Sender<RecordsDelta>> {
    if !cfg!(feature = "search") {
        preview.publish_search(None);
        return None;
    }
    let (sender, receiver) = mpsc::channel::<RecordsDelta>();
    let thread_preview = preview.clone();
    let spawned = std::thread::Builder::new()
        .name("gloss-search".into())
        .spawn(move || {
            let preview = thread_preview;
            let mut held = Held::default();
            while let Ok(delta) = receiver.recv() {
                held.apply(delta);
                // Saves can come faster than indexing; index once what they all changed,
                // and not while the browsers fetch the pages a save changed: on two cores,
                // indexing at once slowed every open page's swap down.
                while let Ok(newer) = receiver.recv_timeout(INDEX_AFTER) {
                    held.apply(newer);
                }
                let records = held.records();
                let mut bundle = Pages::new();
                match crate::render::search::add_index(records, &mut bundle) {
                    Ok(()) => preview.publish_search(Some(bundle)),
                    Err(e) => {
                        eprintln!(
                            "warning: {e}; the preview has no search, and `gloss build` will report this too"
                        );
                        preview.publish_search(None);
                    }
                }
            }
        });
    match spawned {
        Ok(_) => Some(sender),
        Err(e) => {
            eprintln!("warning: cannot start the search indexer ({e}); the preview has no search");
            preview.publish_search(None);
            None
        }
    }
}

/// Hands what a build changed in the search records to the indexer.
fn index(indexer: Option<&mpsc::Sender<RecordsDelta>>, built: &mut Built) {
    if let (Some(indexer), Some(records)) = (indexer, built.search.take()) {
        // The indexer only stops with the process.
        let _ = indexer.send(records);
    }
}
