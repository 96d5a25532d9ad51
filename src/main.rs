//! The `guidegen` command line: a thin layer over the library's stages.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use guidegen::BuildOptions;

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
        /// The site's folder (holding book.toml)
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Output folder (default: [build] out_dir of book.toml, else "public")
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Build, serve over HTTP, rebuild on changes and reload open pages
    Serve {
        /// The site's folder (holding book.toml)
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            root,
            host,
            port,
            open,
        } => {
            let opts = guidegen::ServeOptions {
                root,
                host,
                port,
                open,
            };
            match guidegen::serve(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{}", e.diagnostic());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Build { root, out, drafts } => {
            let out = out.map(|o| {
                if o.is_absolute() {
                    o
                } else {
                    std::env::current_dir().map(|c| c.join(&o)).unwrap_or(o)
                }
            });
            let opts = BuildOptions {
                out,
                drafts,
                ..BuildOptions::new(root)
            };
            match guidegen::build_and_write(&opts) {
                Ok(b) => {
                    guidegen::eprint_all(&b.warnings);
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
    }
}
