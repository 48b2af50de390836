//! `gloss serve`: builds the site into memory, serves it with live reload on
//! 127.0.0.1, and rebuilds on every save. Never writes the output folder.

use super::Exit;
use crate::diag::{self, Diagnostic};
use crate::load::Overrides;
use crate::preview::rebuild::{Rebuild, Rebuilder, describe_inputs};
use crate::preview::server::Preview;
use crate::preview::watch::Watcher;
use crate::render::RenderOptions;
use camino::Utf8PathBuf;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

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

    let overrides = Overrides {
        base_url: None,
        drafts: opts.drafts,
    };
    let options = RenderOptions {
        live_reload: true,
        ..RenderOptions::default()
    };
    let root = opts.root.clone();
    let fresh = move || Rebuilder::new(&root, overrides.clone(), options.clone());
    let mut rebuilder = fresh();
    let preview = Arc::new(Preview::new());
    let started = Instant::now();
    let first = rebuilder.rebuild(&[]);
    super::report(&first.diags, &first.files);
    preview.publish(&first);
    match (&first.pages, first.ok) {
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
    rebuilder.watching();
    let url = format!("http://{}{}", display_addr(addr), first.root_path);
    let rebuild_preview = preview.clone();
    let mut last_diags = first.diags.clone();
    let spawned = std::thread::Builder::new()
        .name("gloss-rebuild".into())
        .spawn(move || {
            while let Some(changed) = watcher.next_change() {
                let started = Instant::now();
                let Some(rebuild) = rebuilder.rebuild_guarded(&fresh, &changed) else {
                    continue;
                };
                let published = rebuild_preview.publish(&rebuild);
                summarize(
                    &rebuild,
                    &changed,
                    started,
                    &mut last_diags,
                    published.pages_changed,
                    published.css_changed,
                );
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
        let app = preview.router();
        tokio::select! {
            served = axum::serve(listener, app) => match served {
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

/// One line per rebuild; the full report when the build failed or its warnings changed.
fn summarize(
    rebuild: &Rebuild,
    changed: &[Utf8PathBuf],
    started: Instant,
    last: &mut Vec<Diagnostic>,
    pages: usize,
    css: usize,
) {
    let ms = started.elapsed().as_millis();
    let cause = describe_inputs(changed);
    if rebuild.diags != *last {
        super::report(&rebuild.diags, &rebuild.files);
        last.clone_from(&rebuild.diags);
    }
    if rebuild.ok {
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
            diag::summary(&rebuild.diags)
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
