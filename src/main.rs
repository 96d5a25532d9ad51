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
    /// Check every example file and run each example step's tests in a copy of it
    /// (the only command that runs programs). Exit 0: no errors; 1: errors; 2: it
    /// could not run
    Test {
        /// The site's folder (holding book.toml; default: this folder, or the nearest
        /// folder above it that holds one)
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Only the steps this guide shows (its folder name)
        #[arg(long, value_name = "NAME")]
        guide: Option<String>,
        /// Only this step (a folder inside examples/, or a pattern such as `flask/*`)
        #[arg(long, value_name = "PATH")]
        step: Option<String>,
        /// How many steps run at once (default: [test] jobs, else the number of cores)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Run every step again, even one unchanged since its last run
        #[arg(long)]
        force: bool,
        /// Check the files only; run no step's test
        #[arg(long)]
        no_run: bool,
        /// How to print the findings
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// `--deny warnings`: count warnings as errors (for CI)
        #[arg(long, value_name = "WHAT", value_parser = ["warnings"])]
        deny: Option<String>,
    },
    /// Convert a site of another generator: `guidegen import jekyll SRC DEST` turns a
    /// Jekyll guides repository (as werf/werf-guides) into a guidegen site, every page
    /// at its URL, with IMPORT.md saying what became what
    Import {
        /// The generator the site was made with (`jekyll`; `werf-guides` is the same)
        #[arg(value_parser = ["jekyll", "werf-guides"])]
        from: String,
        /// The repository to read (never written)
        src: PathBuf,
        /// The folder for the new site (new or empty)
        dest: PathBuf,
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
        Command::Import { from: _, src, dest } => import(src, dest),
        Command::Check {
            root,
            format,
            deny,
            report,
            external,
        } => gate(root, format, |root| {
            let o = guidegen::check(&CheckOptions {
                root,
                deny_warnings: deny.is_some(),
                external,
                report: report.map(absolute),
            })?;
            Ok((o.errors(), Box::new(move |f, c| o.render(f, c))))
        }),
        Command::Test {
            root,
            guide,
            step,
            jobs,
            force,
            no_run,
            format,
            deny,
        } => gate(root, format, |root| {
            let o = guidegen::test(&guidegen::TestOptions {
                root,
                guide,
                step,
                jobs: jobs.map(usize::from),
                force,
                no_run,
                deny_warnings: deny.is_some(),
            })?;
            Ok((o.errors(), Box::new(move |f, c| o.render(f, c))))
        }),
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
    let opts = BuildOptions {
        out: out.map(absolute),
        drafts: flags.drafts,
        cache: flags.cache,
        publish: flags.publish,
        allow: flags.allow,
        ..BuildOptions::new(root)
    };
    match guidegen::build_and_write(&opts) {
        Ok(b) => {
            guidegen::eprint_all(&b.warnings);
            if flags.verbose {
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

fn import(src: PathBuf, dest: PathBuf) -> ExitCode {
    match guidegen::import(&guidegen::ImportOptions {
        src,
        dest: dest.clone(),
    }) {
        Ok(i) => {
            guidegen::eprint_all(&i.warnings);
            println!(
                "Imported {} pages in {} guides into {}: IMPORT.md says what became what, and lists {} places for an author's look and {} problems of the source.\nNext: guidegen check --root {}",
                i.pages,
                i.guides,
                dest.display(),
                i.to_look_at,
                i.warnings.len(),
                dest.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::FAILURE
        }
    }
}

fn init(dir: &std::path::Path, force: bool) -> ExitCode {
    match guidegen::init(dir, force) {
        Ok(files) => {
            print!("{}", guidegen::init_welcome(dir, files.len()));
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::FAILURE
        }
    }
}

/// What a gate (`check`, `test`) found: its errors, and how to print it.
type Gated = (usize, Box<dyn Fn(Format, bool) -> String>);

/// Run a gate on the site and print what it found: exit 0 without errors, 1 with, 2
/// when it could not run (said in the format asked for).
fn gate(
    root: Option<PathBuf>,
    format: FormatArg,
    run: impl FnOnce(PathBuf) -> Result<Gated, guidegen::CannotCheck>,
) -> ExitCode {
    let format = match format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
    };
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut stdout = std::io::stdout().lock();
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
    match run(root) {
        Ok((errors, render)) => {
            let _ = stdout.write_all(render(format, color).as_bytes());
            if errors > 0 {
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
