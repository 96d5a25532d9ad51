//! `serve`: build into memory, serve over HTTP, watch the sources, rebuild what changed
//! and tell open pages to reload (Server-Sent Events). A failed rebuild shows its
//! diagnostics as an overlay in the open pages and keeps serving the last good site.
//!
//! The server is axum on tokio (the stack mdBook 0.5 and Zola 0.22 use). Pages are served
//! from memory, so a rebuilt page is servable as soon as it is rendered. [`store`] holds
//! the site in memory, [`http`] the routes and the reload stream, [`files`] the answer
//! to a request for a file, [`accept`] the connections, [`watch`] the watcher and the
//! rebuild thread.

mod accept;
mod files;
mod http;
mod store;
mod watch;

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::sync::broadcast;

use crate::config::{Config, NotesMode};
use crate::diag::Diagnostic;
use crate::pipeline::{self, Build, BuildOptions};
use store::{AppState, Msg, Shared, Store};
use watch::{Rebuilder, Watch};

/// How `guidegen serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's folder (holding book.toml).
    pub root: PathBuf,
    /// Address to listen on.
    pub host: String,
    /// Port to listen on (0: any free port).
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
}

/// Why `serve` could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Another program listens on the port.
    #[error("port {port} on {host} is already in use: {source}")]
    PortInUse {
        /// The address asked for.
        host: String,
        /// The port asked for.
        port: u16,
        /// A port to suggest instead.
        next: u16,
        /// What the system said.
        source: std::io::Error,
    },
    /// The address cannot be listened on.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// `host:port`.
        addr: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// book.toml cannot be read or is wrong.
    #[error("{0}")]
    Config(Box<Diagnostic>),
    /// The sources cannot be watched.
    #[error("cannot watch {path}: {source}")]
    Watch {
        /// The folder.
        path: String,
        /// What the watcher said.
        source: notify::Error,
    },
    /// The server failed while running.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

impl ServeError {
    /// The error as users see every other problem.
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            ServeError::Config(d) => (**d).clone(),
            ServeError::PortInUse { next, .. } => Diagnostic::error("", self.to_string())
                .with_help(format!(
                    "stop the other server or pick another port, e.g. --port {next}"
                )),
            _ => Diagnostic::error("", self.to_string()),
        }
    }
}

/// Run the server until Ctrl-C or SIGTERM.
pub fn serve(opts: ServeOptions) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = rt.block_on(run(opts));
    // Open connections (event streams) are dropped, not waited for.
    rt.shutdown_timeout(Duration::from_millis(100));
    result
}

async fn run(opts: ServeOptions) -> Result<(), ServeError> {
    let root = opts.root.canonicalize().unwrap_or(opts.root.clone());
    let (listener, base) = bind(&opts).await?;
    let config = Config::load(&root).map_err(|d| ServeError::Config(Box::new(d)))?;
    let langs = config.language_codes();
    let bopts = build_options(&root, &base, &langs);
    let (build, store) = initial_build(&bopts, &config);
    let store = Shared::new(store);
    let (events, _) = broadcast::channel::<Msg>(64);
    let (watch, rx) = Watch::start(&config)?;
    let rebuilder = Rebuilder {
        build,
        opts: bopts,
        store: store.clone(),
        events: events.clone(),
        watch,
        pending: Vec::new(),
    };
    std::thread::Builder::new()
        .name("guidegen-rebuild".into())
        .stack_size(64 << 20)
        .spawn(move || rebuilder.run(rx))?;
    let app = http::router(AppState {
        store,
        events,
        origin: base.clone().into(),
    });
    for l in &langs {
        println!("Serving {l} at {base}/{l}/");
    }
    println!(
        "Watching book.toml, content/, examples/, theme/, static/ for changes. Press Ctrl-C to stop."
    );
    if opts.open {
        open_browser(&format!("{base}/{}/", config.default_language));
    }
    // Not a graceful shutdown: open event streams never end by themselves, and nothing
    // is lost by closing them (pages reconnect when the server is back).
    tokio::select! {
        () = accept::accept(listener, app) => {}
        _ = shutdown_signal() => println!("\nStopping."),
    }
    Ok(())
}

/// Listen on the requested address; the origin pages link to.
async fn bind(opts: &ServeOptions) -> Result<(tokio::net::TcpListener, String), ServeError> {
    let addr = format!("{}:{}", opts.host, opts.port);
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            return Err(ServeError::PortInUse {
                host: opts.host.clone(),
                port: opts.port,
                next: opts.port.wrapping_add(1),
                source: e,
            });
        }
        Err(e) => return Err(ServeError::Bind { addr, source: e }),
    };
    let local = listener.local_addr()?;
    // Listening on every address: pages link to loopback, and a request from another
    // machine gets its own Host in the links instead (see `files::serve_file`).
    let ip = if local.ip().is_unspecified() {
        if local.ip().is_ipv6() {
            "[::1]".to_string()
        } else {
            "127.0.0.1".to_string()
        }
    } else if local.ip().is_ipv6() {
        format!("[{}]", local.ip())
    } else {
        local.ip().to_string()
    };
    Ok((listener, format!("http://{ip}:{}", local.port())))
}

/// The first build; a site broken from the start is served as its error page.
fn initial_build(bopts: &BuildOptions, config: &Config) -> (Option<Build>, Store) {
    let attempt = std::panic::catch_unwind(|| pipeline::build(bopts));
    match attempt.unwrap_or_else(|panic| Err(watch::internal_error(panic.as_ref()))) {
        Ok(b) => {
            crate::diag::eprint_all(&b.warnings);
            eprintln!("{}", b.stats);
            let s = Store::from_build(&b);
            (Some(b), s)
        }
        Err(f) => {
            eprintln!("{}", store::overlay_text(&f));
            (
                None,
                Store::broken(config.default_language.clone(), f.into()),
            )
        }
    }
}

fn build_options(root: &Path, base: &str, langs: &[String]) -> BuildOptions {
    BuildOptions {
        drafts: true,
        base_urls: Some(
            langs
                .iter()
                .map(|l| (l.clone(), format!("{base}/{l}")))
                .collect(),
        ),
        notes: Some(NotesMode::Warn),
        ..BuildOptions::new(root)
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: cannot open a browser with {opener}: {e}; open {url} yourself");
    }
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
