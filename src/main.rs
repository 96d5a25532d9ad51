//! The `guidegen` command line: a thin layer over the library's stages.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use guidegen::{BuildOptions, CheckOptions, Format};

#[derive(Parser)]
#[command(name = "guidegen", version, about = "Build bilingual werf guides from Markdown with <<slots>>", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build every language of the site into the output folder
    Build {
        /// The site's folder (holding book.toml; default: this folder, or the nearest
        /// folder above it that holds one)
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Output folder (default: [build] out_dir of book.toml, else "public")
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Neither read nor fill the build cache (.guidegen-cache/): render every page
        #[arg(long)]
        no_cache: bool,
        /// List every page this build rendered (the rest came from the build cache)
        #[arg(long, short)]
        verbose: bool,
        /// A build for publishing: author notes are errors (unless book.toml says
        /// [build] notes = "hide")
        #[arg(long)]
        publish: bool,
        /// Accept findings of this kind (e.g. broken-link): warnings, not errors, as
        /// `[check] allow` of book.toml does (repeatable)
        #[arg(long, value_name = "CODE")]
        allow: Vec<String>,
    },
    /// Remove the build cache (.guidegen-cache/) and the output folder guidegen wrote
    Clean {
        /// The site's folder (holding book.toml; default: this folder, or the nearest
        /// folder above it that holds one)
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Output folder (default: [build] out_dir of book.toml, else "public")
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Build, serve over HTTP, rebuild on changes and reload open pages
    Serve {
        /// The site's folder (holding book.toml; default: this folder, or the nearest
        /// folder above it that holds one)
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Address to listen on (use 0.0.0.0 to serve other machines)
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Check the site before publishing: links, anchors, images, examples, translations
    /// and what is unfinished (never writes the site). Exit 0: no errors; 1: errors; 2:
    /// the check could not run
    Check {
        /// The site's folder (holding book.toml; default: this folder, or the nearest
        /// folder above it that holds one)
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// How to print the findings
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// `--deny warnings`: count warnings as errors (for CI)
        #[arg(long, value_name = "WHAT", value_parser = ["warnings"])]
        deny: Option<String>,
        /// Also write an HTML readiness report into this folder
        #[arg(long, value_name = "DIR")]
        report: Option<PathBuf>,
        /// List links to other sites (they are never fetched)
        #[arg(long)]
        external: bool,
    },
    /// Create a small working bilingual guide site to start from
    Init {
        /// The folder to create it in (new or empty)
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        /// Write into a folder that already holds files (same names are replaced)
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Github,
}

/// The site's folder (see `guidegen::locate_site`), or the exit status after saying why
/// there is none.
fn site(root: Option<PathBuf>) -> Result<PathBuf, ExitCode> {
    match guidegen::locate_site(root.as_deref()) {
        Ok((dir, note)) => {
            if let Some(n) = note {
                eprintln!("{n}");
            }
            Ok(dir)
        }
        Err(d) => {
            eprintln!("{d}");
            Err(ExitCode::FAILURE)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    run(cli.command).unwrap_or_else(|code| code)
}

fn run(command: Command) -> Result<ExitCode, ExitCode> {
    Ok(match command {
        Command::Serve {
            root,
            host,
            port,
            open,
        } => serve(guidegen::ServeOptions {
            root: site(root)?,
            host,
            port,
            open,
        }),
        Command::Build {
            root,
            out,
            drafts,
            no_cache,
            verbose,
            publish,
            allow,
        } => build(
            site(root)?,
            out,
            BuildFlags {
                drafts,
                cache: !no_cache,
                verbose,
                publish,
                allow: codes(&allow)?,
            },
        ),
        Command::Clean { root, out } => clean(&site(root)?, out.map(absolute)),
        Command::Init { dir, force } => init(&dir, force),
        Command::Check {
            root,
            format,
            deny,
            report,
            external,
        } => check(root, deny.is_some(), external, report.map(absolute), format),
    })
}

/// `p` against the current folder (as the user meant it where they typed it).
fn absolute(p: PathBuf) -> PathBuf {
    if p.is_absolute() {
        p
    } else {
        std::env::current_dir().map(|c| c.join(&p)).unwrap_or(p)
    }
}

fn serve(opts: guidegen::ServeOptions) -> ExitCode {
    match guidegen::serve(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", e.diagnostic());
            ExitCode::FAILURE
        }
    }
}

/// The switches of `guidegen build`.
struct BuildFlags {
    drafts: bool,
    cache: bool,
    verbose: bool,
    publish: bool,
    allow: Vec<guidegen::Code>,
}

/// The kinds named by `--allow`, or the exit status after saying which is unknown.
fn codes(names: &[String]) -> Result<Vec<guidegen::Code>, ExitCode> {
    names
        .iter()
        .flat_map(|n| n.split(','))
        .map(|n| {
            guidegen::Code::from_name(n.trim()).ok_or_else(|| {
                let known: Vec<&str> = guidegen::Code::ALL.iter().map(|c| c.as_str()).collect();
                eprintln!(
                    "error: --allow {n}: not a kind of finding\n  = help: the kinds (docs/check.md): {}",
                    known.join(", ")
                );
                ExitCode::FAILURE
            })
        })
        .collect()
}

fn build(root: PathBuf, out: Option<PathBuf>, flags: BuildFlags) -> ExitCode {
    let BuildFlags {
        drafts,
        cache,
        verbose,
        publish,
        allow,
    } = flags;
    let opts = BuildOptions {
        out: out.map(absolute),
        drafts,
        cache,
        publish,
        allow,
        ..BuildOptions::new(root)
    };
    match guidegen::build_and_write(&opts) {
        Ok(b) => {
            guidegen::eprint_all(&b.warnings);
            if verbose {
                for p in &b.rendered {
                    eprintln!("rendered {p}");
                }
            }
            eprintln!("{}", b.stats);
            ExitCode::SUCCESS
        }
        Err(f) => {
            guidegen::eprint_all(&f.diagnostics);
            eprintln!("{}; nothing was written.", f.summary());
            ExitCode::FAILURE
        }
    }
}

fn clean(root: &std::path::Path, out: Option<PathBuf>) -> ExitCode {
    match guidegen::clean(root, out.as_deref()) {
        Ok(c) => {
            let shown =
                |p: &std::path::Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
            match (&c.output, &c.cache) {
                (None, None) => println!("Nothing to clean."),
                _ => {
                    for p in c.output.iter().chain(&c.cache) {
                        println!("Removed {}", shown(p));
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Err(f) => {
            guidegen::eprint_all(&f.diagnostics);
            ExitCode::FAILURE
        }
    }
}

/// How to run this guidegen again, as the user can type it: `guidegen` when that name
/// on the PATH is this very program, else the path it was started from.
fn invocation() -> (String, bool) {
    let me = std::env::current_exe().ok();
    let same = |p: PathBuf| {
        let found = p.join("guidegen");
        found.is_file()
            && found.canonicalize().ok() == me.as_ref().and_then(|m| m.canonicalize().ok())
    };
    let on_path = std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(same));
    if on_path {
        return ("guidegen".into(), true);
    }
    let shown = me.map_or_else(|| "guidegen".into(), |m| m.display().to_string());
    (shell_word(&shown), false)
}

/// `s` as one word of a POSIX shell command line.
fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_alphanumeric() || "/._-+:@%,=".contains(c))
        && !s.is_empty()
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn init(dir: &std::path::Path, force: bool) -> ExitCode {
    match guidegen::init(dir, force) {
        Ok(files) => {
            println!(
                "Created a guide site in {} ({} files): English and Russian, one guide on a shared skeleton, and its examples.",
                dir.display(),
                files.len()
            );
            let root = if dir == std::path::Path::new(".") {
                String::new()
            } else {
                format!(" --root {}", shell_word(&dir.display().to_string()))
            };
            let (me, on_path) = invocation();
            println!("\nNext:");
            println!(
                "  {me} serve{root}    # preview it at http://127.0.0.1:3000/en/, reloading on save"
            );
            println!("  {me} check{root}    # what is unfinished, before you publish");
            if !on_path {
                println!(
                    "\n(guidegen is not on your PATH; `cargo install --path .` in its repository puts it there)"
                );
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::FAILURE
        }
    }
}

fn check(
    root: Option<PathBuf>,
    deny_warnings: bool,
    external: bool,
    report: Option<PathBuf>,
    format: FormatArg,
) -> ExitCode {
    let format = match format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
    };
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut stdout = std::io::stdout().lock();
    // No site: said in the format asked for, like any check that cannot run.
    let root = match guidegen::locate_site(root.as_deref()) {
        Ok((root, note)) => {
            if let Some(n) = note {
                eprintln!("{n}");
            }
            root
        }
        Err(d) => {
            let _ = stdout.write_all(guidegen::CannotCheck(Box::new(d)).render(format).as_bytes());
            return ExitCode::from(2);
        }
    };
    let opts = CheckOptions {
        root,
        deny_warnings,
        external,
        report,
    };
    match guidegen::check(&opts) {
        Ok(o) => {
            let _ = stdout.write_all(o.render(format, color).as_bytes());
            if o.errors() > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            let _ = stdout.write_all(e.render(format).as_bytes());
            ExitCode::from(2)
        }
    }
}

/// jemalloc instead of the system allocator: rendering and highlighting allocate many
/// small strings on both cores, and glibc's malloc took an eighth of a 5,000-page
/// build's CPU time. Measured: 11.0 s -> 9.6 s wall, 254 -> 275 MB peak
/// (docs/benchmarks.md). mimalloc was as fast but held 337 MB.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
