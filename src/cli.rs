//! Command-line arguments. Commands receive plain options, never clap types.

use crate::cmd::{self, Exit, init::Ci, schema::SchemaKind};
use camino::Utf8PathBuf;
use clap::{Parser, Subcommand, ValueEnum};

/// gloss builds annotated briefings: verified quotes, linked entities, a timeline.
#[derive(Debug, Parser)]
#[command(name = "gloss", version, about, long_about = None)]
pub struct Cli {
    /// The site's folder (the one with site.toml).
    #[arg(long, global = true, default_value = ".")]
    pub root: Utf8PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/).
    Build {
        /// Output folder, instead of build.output_dir.
        #[arg(long)]
        out: Option<Utf8PathBuf>,
        /// Absolute URL the site is served from, instead of base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Rebuild on every change, writing only files whose bytes changed.
        #[arg(long)]
        watch: bool,
        /// With --watch: poll for changes instead of using OS notifications.
        #[arg(long)]
        poll: bool,
        /// Replace the output folder even if it is not empty and gloss did not write it.
        #[arg(long)]
        force: bool,
    },
    /// Serve the site from memory with live reload.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port, instead of [serve] port in site.toml (default 1111); 0 picks a free one.
        #[arg(long)]
        port: Option<u16>,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Poll for changes instead of using OS notifications (network drives, containers).
        #[arg(long)]
        poll: bool,
    },
    /// Check everything without writing; exit 1 on any error.
    Check {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also check every internal link and #fragment in the rendered pages.
        #[arg(long)]
        links: bool,
        /// Record every seed's current text in seeds.lock (the only way `check` writes a file).
        #[arg(long)]
        accept_sources: bool,
    },
    /// Create a new briefing site in DIR.
    Init {
        dir: Utf8PathBuf,
        /// Where the site is published: the workflow written for it.
        #[arg(long, value_enum, default_value_t = CiArg::Github)]
        ci: CiArg,
        /// Also copy the built-in theme into themes/default/ to edit it. In an existing
        /// site's folder, only copies the theme (into the folder of site.toml's `theme`).
        #[arg(long)]
        eject_theme: bool,
    },
    /// Write an annotation skeleton for seeds/SEED.
    New { seed: String },
    /// Print the JSON Schema of a file kind.
    Schema {
        #[arg(value_enum, default_value_t = SchemaArg::Articles)]
        kind: SchemaArg,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// The CI service `gloss init` writes a publishing workflow for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CiArg {
    /// GitHub Actions to GitHub Pages: .github/workflows/pages.yml.
    Github,
    /// GitLab CI to GitLab Pages: .gitlab-ci.yml.
    Gitlab,
}

impl From<CiArg> for Ci {
    fn from(arg: CiArg) -> Ci {
        match arg {
            CiArg::Github => Ci::Github,
            CiArg::Gitlab => Ci::Gitlab,
        }
    }
}

/// The file kinds `gloss schema` describes, as arguments (`cmd::schema::SchemaKind` is
/// what the command receives).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaArg {
    Articles,
    Entities,
    Events,
}

impl From<SchemaArg> for SchemaKind {
    fn from(arg: SchemaArg) -> SchemaKind {
        match arg {
            SchemaArg::Articles => SchemaKind::Articles,
            SchemaArg::Entities => SchemaKind::Entities,
            SchemaArg::Events => SchemaKind::Events,
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Exit {
    let root = cli.root;
    match cli.command {
        Command::Build {
            out,
            base_url,
            drafts,
            watch,
            poll,
            force,
        } => cmd::build::run(&cmd::build::Options {
            root,
            out,
            base_url,
            drafts,
            watch,
            poll,
            force,
        }),
        Command::Serve {
            bind,
            port,
            open,
            drafts,
            poll,
        } => cmd::serve::run(&cmd::serve::Options {
            root,
            bind,
            port,
            open,
            drafts,
            poll,
        }),
        Command::Check {
            format,
            links,
            accept_sources,
        } => cmd::check::run(&root, format == Format::Json, links, accept_sources),
        Command::Init {
            dir,
            ci,
            eject_theme,
        } => cmd::init::run(&cmd::init::Options {
            dir,
            ci: ci.into(),
            eject_theme,
        }),
        Command::New { seed } => cmd::new::run(&root, &seed),
        Command::Schema { kind } => cmd::schema::run(kind.into()),
    }
}
