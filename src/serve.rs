//! `serve`: build into memory, serve over HTTP, watch the sources, rebuild what changed
//! and tell open pages to reload (Server-Sent Events). A failed rebuild shows its
//! diagnostics as an overlay in the open pages and keeps serving the last good site.
//!
//! The server is axum on tokio (the stack mdBook 0.5 and Zola 0.22 use). Pages are served
//! from memory, so a rebuilt page is servable as soon as it is rendered; files beside the
//! content are read from disk at request time, and only paths the build listed are ever
//! served, so nothing outside the site is reachable.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use tokio::sync::broadcast;

use crate::build::{self, Build, Failure, Options};
use crate::config::NotesMode;
use crate::output::Source;

const CLIENT_JS: &str = include_str!("serve_client.js");
const INJECT: &str = "<script src=\"/__guidegen/client.js\" defer></script>";

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub host: String,
    pub port: u16,
    pub open: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "port {port} on {host} is already in use: {source}\n  = help: stop the other server or pick another port, e.g. --port {next}"
    )]
    PortInUse {
        host: String,
        port: u16,
        next: u16,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Build(String),
    #[error("cannot watch {path}: {source}")]
    Watch { path: String, source: notify::Error },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// One servable file.
#[derive(Clone)]
enum Entry {
    Bytes(Arc<[u8]>),
    File(PathBuf),
}

/// The site as served: URL path (without the leading `/`) -> content.
#[derive(Default)]
pub struct Store {
    files: HashMap<String, Entry>,
    default_lang: String,
    /// Diagnostics of the last failed rebuild (cleared by a good one).
    error: Option<String>,
    /// Bumped on every successful rebuild.
    generation: u64,
}

impl Store {
    fn from_build(b: &Build) -> Store {
        let mut files = HashMap::new();
        for (path, src) in b.files().iter() {
            let e = match src {
                Source::Bytes(bytes) => {
                    if path.ends_with(".html") {
                        Entry::Bytes(inject(bytes).into())
                    } else {
                        Entry::Bytes((*bytes).into())
                    }
                }
                Source::File(p) => Entry::File(p.clone()),
            };
            files.insert(path.clone(), e);
        }
        Store {
            files,
            default_lang: b.config.default_language.clone(),
            error: None,
            generation: 0,
        }
    }

    fn update_pages(&mut self, b: &Build, ids: &[usize]) {
        for &id in ids {
            if let Some(p) = b.pages.get(id) {
                self.files.insert(
                    format!("{}/{}", p.lang, p.out),
                    Entry::Bytes(inject(p.html.as_bytes()).into()),
                );
            }
        }
    }
}

/// Does a request's `Host` name the machine the pages already link to? (A missing port
/// is tolerated: only another host name means another machine.)
fn same_host(host: &str, origin: &str) -> bool {
    let origin_host = origin.trim_start_matches("http://");
    let name = |h: &str| -> String {
        if let Some(rest) = h.strip_prefix('[') {
            rest.split(']').next().unwrap_or("").to_string()
        } else {
            h.split(':').next().unwrap_or("").to_string()
        }
    };
    name(host) == name(origin_host)
}

/// Add the live-reload script to an HTML page (serve only; never in `build` output).
fn inject(html: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(html);
    match s.rfind("</body>") {
        Some(i) => format!("{}{INJECT}\n{}", &s[..i], &s[i..]).into_bytes(),
        None => format!("{s}{INJECT}").into_bytes(),
    }
}

#[derive(Clone)]
struct AppState {
    store: Arc<RwLock<Store>>,
    events: broadcast::Sender<Msg>,
    /// The origin the pages link to (`http://127.0.0.1:3000`).
    origin: Arc<str>,
}

#[derive(Clone, Debug)]
pub enum Msg {
    Reload,
    Error(String),
}

pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|x| x.1.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Decode and check a request path. `None`: not a path inside the site.
pub fn clean_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut p = parts.join("/");
    if decoded.ends_with('/') && !p.is_empty() {
        p.push('/');
    }
    Some(p)
}

fn respond(status: StatusCode, ctype: &str, body: Vec<u8>) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(ctype)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn redirect(to: &str) -> Response<Body> {
    let mut r = respond(
        StatusCode::MOVED_PERMANENTLY,
        "text/plain; charset=utf-8",
        Vec::new(),
    );
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

async fn serve_file(
    State(st): State<AppState>,
    headers: axum::http::HeaderMap,
    uri: Uri,
) -> Response<Body> {
    let raw = uri.path();
    let Some(path) = clean_path(raw) else {
        return respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            b"400 bad request path\n".to_vec(),
        );
    };
    let (entry, key, lang_404, default_lang, error) = {
        let store = match st.store.read() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        };
        let key = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.clone()
        };
        let entry = store.files.get(&key).cloned();
        let is_dir = entry.is_none() && store.files.contains_key(&format!("{path}/index.html"));
        if is_dir {
            let mut to = uri.path().to_string();
            to.push('/');
            return redirect(&to);
        }
        let lang = path.split('/').next().unwrap_or("").to_string();
        let lang_404 = store
            .files
            .get(&format!("{lang}/404.html"))
            .or_else(|| store.files.get(&format!("{}/404.html", store.default_lang)))
            .cloned();
        (
            entry,
            key,
            lang_404,
            store.default_lang.clone(),
            store.error.clone(),
        )
    };
    // Nothing has built yet: show the error in a page that reloads once it is fixed.
    if entry.is_none()
        && lang_404.is_none()
        && let Some(e) = error
    {
        let page = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>guidegen: build failed</title></head><body><h1>The site did not build</h1><pre>{}</pre>{INJECT}</body></html>",
            crate::util::html::escape(&e)
        );
        return respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            page.into_bytes(),
        );
    }
    if path.is_empty() && entry.is_none() {
        return redirect(&format!("/{default_lang}/"));
    }
    let found = match entry {
        Some(Entry::Bytes(b)) => Some(b.to_vec()),
        Some(Entry::File(p)) => tokio::fs::read(&p).await.ok(),
        None => None,
    };
    match found {
        Some(body) => {
            let body = match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
                Some(host) if key.ends_with(".html") && !same_host(host, &st.origin) => {
                    let text = String::from_utf8_lossy(&body)
                        .replace(&*st.origin, &format!("http://{host}"));
                    text.into_bytes()
                }
                _ => body,
            };
            respond(StatusCode::OK, content_type(&key), body)
        }
        None => {
            let body = match lang_404 {
                Some(Entry::Bytes(b)) => b.to_vec(),
                _ => b"404 not found\n".to_vec(),
            };
            respond(StatusCode::NOT_FOUND, "text/html; charset=utf-8", body)
        }
    }
}

async fn client_js() -> Response<Body> {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        CLIENT_JS.as_bytes().to_vec(),
    )
}

async fn events(State(st): State<AppState>) -> impl IntoResponse {
    let rx = st.events.subscribe();
    // A page that connects while the last rebuild failed sees the error at once.
    let first = {
        let store = match st.store.read() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        };
        match &store.error {
            Some(e) => Event::default().event("build-error").data(e.clone()),
            None => Event::default()
                .event("ok")
                .data(store.generation.to_string()),
        }
    };
    let stream = futures_util::stream::unfold((Some(first), rx), |(first, mut rx)| async move {
        if let Some(ev) = first {
            return Some((Ok::<Event, std::convert::Infallible>(ev), (None, rx)));
        }
        loop {
            match rx.recv().await {
                Ok(Msg::Reload) => {
                    return Some((
                        Ok(Event::default().event("reload").data("reload")),
                        (None, rx),
                    ));
                }
                Ok(Msg::Error(e)) => {
                    return Some((
                        Ok(Event::default().event("build-error").data(e)),
                        (None, rx),
                    ));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn build_options(root: &Path, base: &str, langs: &[String]) -> Options {
    Options {
        root: root.to_path_buf(),
        out: None,
        drafts: true,
        base_urls: Some(
            langs
                .iter()
                .map(|l| (l.clone(), format!("{base}/{l}")))
                .collect(),
        ),
        notes: Some(NotesMode::Warn),
    }
}

fn render_failure(f: &Failure) -> String {
    let mut s = String::new();
    for d in &f.diagnostics {
        s.push_str(&d.to_string());
        s.push_str("\n\n");
    }
    s.push_str(&format!(
        "{} error(s); still serving the last good version of the site.",
        f.errors()
    ));
    s
}

/// Is this a file an editor writes while saving (never a source)?
pub fn is_temp_file(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".kate-swp")
        || name.ends_with(".bck")
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || name == "4913"
        || name.starts_with(".guidegen-")
}

/// The sources `serve` watches.
pub fn watched_dirs(root: &Path) -> Vec<PathBuf> {
    ["content", "examples", "theme", "static"]
        .iter()
        .map(|d| root.join(d))
        .collect()
}

fn relevant(root: &Path, out_dir: &Path, p: &Path) -> bool {
    if is_temp_file(p) || p.starts_with(out_dir) {
        return false;
    }
    *p == root.join("book.toml") || watched_dirs(root).iter().any(|d| p.starts_with(d))
}

/// Run the server until Ctrl-C (or `shutdown` fires, for tests).
pub fn serve(
    opts: ServeOptions,
    shutdown: Option<tokio::sync::oneshot::Receiver<()>>,
    ready: Option<std::sync::mpsc::Sender<SocketAddr>>,
) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = rt.block_on(run(opts, shutdown, ready));
    // Open connections (event streams) are dropped, not waited for.
    rt.shutdown_timeout(Duration::from_millis(100));
    result
}

async fn run(
    opts: ServeOptions,
    shutdown: Option<tokio::sync::oneshot::Receiver<()>>,
    ready: Option<std::sync::mpsc::Sender<SocketAddr>>,
) -> Result<(), ServeError> {
    let root = opts.root.canonicalize().unwrap_or(opts.root.clone());
    let addr_str = format!("{}:{}", opts.host, opts.port);
    let listener = match tokio::net::TcpListener::bind(&addr_str).await {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            return Err(ServeError::PortInUse {
                host: opts.host.clone(),
                port: opts.port,
                next: opts.port.wrapping_add(1),
                source: e,
            });
        }
        Err(e) => {
            return Err(ServeError::Bind {
                addr: addr_str,
                source: e,
            });
        }
    };
    let local = listener.local_addr()?;
    // Listening on every address: pages link to loopback, and a request from another
    // machine gets its own Host in the links instead (see `serve_file`).
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
    let base = format!("http://{ip}:{}", local.port());

    // First build: languages come from book.toml.
    let config =
        crate::config::Config::load(&root).map_err(|d| ServeError::Build(d.to_string()))?;
    let langs: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    let bopts = build_options(&root, &base, &langs);
    let (events_tx, _) = broadcast::channel::<Msg>(64);
    let start = Instant::now();
    let (build, store) = match build::build(&bopts) {
        Ok(b) => {
            crate::diag::eprint_all(&b.warnings);
            eprintln!("{}", b.stats);
            let s = Store::from_build(&b);
            (Some(b), s)
        }
        Err(f) => {
            let text = render_failure(&f);
            eprintln!("{text}");
            let s = Store {
                default_lang: config.default_language.clone(),
                error: Some(text),
                ..Store::default()
            };
            (None, s)
        }
    };
    let _ = start;
    let store = Arc::new(RwLock::new(store));
    let state = AppState {
        store: store.clone(),
        events: events_tx.clone(),
        origin: base.clone().into(),
    };

    // Watch and rebuild on a thread of its own.
    let (tx, rx) = std::sync::mpsc::channel::<Vec<PathBuf>>();
    let out_dir = config.out_dir.clone();
    let watch_root = root.clone();
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(25),
        None,
        move |res: notify_debouncer_full::DebounceEventResult| {
            if let Ok(events) = res {
                let mut paths = Vec::new();
                for e in events {
                    if matches!(e.event.kind, notify::EventKind::Access(_)) {
                        continue;
                    }
                    for p in &e.event.paths {
                        if relevant(&watch_root, &out_dir, p) && !paths.contains(p) {
                            paths.push(p.clone());
                        }
                    }
                }
                if !paths.is_empty() {
                    let _ = tx.send(paths);
                }
            }
        },
    )
    .map_err(|e| ServeError::Watch {
        path: root.display().to_string(),
        source: e,
    })?;
    use notify::RecursiveMode;
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| ServeError::Watch {
            path: root.display().to_string(),
            source: e,
        })?;
    let mut watched: Vec<PathBuf> = Vec::new();
    for d in watched_dirs(&root) {
        if d.is_dir() && debouncer.watch(&d, RecursiveMode::Recursive).is_ok() {
            watched.push(d);
        }
    }
    let debouncer = Arc::new(std::sync::Mutex::new(debouncer));
    {
        let store = store.clone();
        let events = events_tx.clone();
        let debouncer = debouncer.clone();
        let root = root.clone();
        std::thread::spawn(move || {
            rebuild_loop(rx, build, bopts, store, events, debouncer, root, watched)
        });
    }

    let app = Router::new()
        .route("/__guidegen/client.js", axum::routing::get(client_js))
        .route("/__guidegen/events", axum::routing::get(events))
        .fallback(serve_file)
        .with_state(state);

    for l in &langs {
        println!("Serving {l} at {base}/{l}/");
    }
    println!(
        "Watching book.toml, content/, examples/, theme/, static/ for changes. Press Ctrl-C to stop."
    );
    if let Some(r) = ready {
        let _ = r.send(local);
    }
    if opts.open {
        let url = format!("{base}/{}/", config.default_language);
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        let _ = std::process::Command::new(opener).arg(&url).spawn();
    }
    let shutdown_signal = async move {
        match shutdown {
            Some(rx) => {
                let _ = rx.await;
            }
            None => {
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
                println!("\nStopping.");
            }
        }
    };
    // Not a graceful shutdown: open event streams never end by themselves, and nothing
    // is lost by closing them (pages reconnect when the server is back).
    tokio::select! {
        r = axum::serve(listener, app) => r?,
        _ = shutdown_signal => {}
    }
    drop(debouncer);
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn rebuild_loop(
    rx: std::sync::mpsc::Receiver<Vec<PathBuf>>,
    mut build: Option<Build>,
    bopts: Options,
    store: Arc<RwLock<Store>>,
    events: broadcast::Sender<Msg>,
    debouncer: Arc<
        std::sync::Mutex<
            notify_debouncer_full::Debouncer<
                notify::RecommendedWatcher,
                notify_debouncer_full::RecommendedCache,
            >,
        >,
    >,
    root: PathBuf,
    mut watched: Vec<PathBuf>,
) {
    // Paths changed since the last good build: retried until a rebuild succeeds.
    let mut pending: Vec<PathBuf> = Vec::new();
    while let Ok(mut paths) = rx.recv() {
        // Coalesce what else arrived meanwhile.
        while let Ok(more) = rx.try_recv() {
            paths.extend(more);
        }
        // A watched folder created after start (e.g. static/) gets a watch now.
        for d in watched_dirs(&root) {
            if d.is_dir() && !watched.contains(&d) {
                use notify::RecursiveMode;
                if let Ok(mut deb) = debouncer.lock()
                    && deb.watch(&d, RecursiveMode::Recursive).is_ok()
                {
                    watched.push(d);
                }
            }
        }
        for p in paths {
            if !pending.contains(&p) {
                pending.push(p);
            }
        }
        let start = Instant::now();
        let result = match build.as_mut() {
            Some(b) => b.rebuild(&bopts, &pending).map(Some),
            None => build::build(&bopts).map(|b| {
                build = Some(b);
                None
            }),
        };
        match result {
            Ok(r) => {
                let shown: Vec<String> = pending
                    .iter()
                    .map(|p| crate::diag::display_path(&root, p).display().to_string())
                    .collect();
                pending.clear();
                let Some(b) = build.as_ref() else { continue };
                {
                    let mut s = match store.write() {
                        Ok(s) => s,
                        Err(p) => p.into_inner(),
                    };
                    let generation = s.generation + 1;
                    match &r {
                        Some(r) if !r.full && !r.assets_changed => s.update_pages(b, &r.pages),
                        _ => *s = Store::from_build(b),
                    }
                    s.error = None;
                    s.generation = generation;
                }
                let _ = events.send(Msg::Reload);
                for w in &b.warnings {
                    if !w.message.starts_with("author note") {
                        eprintln!("{w}\n");
                    }
                }
                let n = r
                    .as_ref()
                    .map(|r| if r.full { b.pages.len() } else { r.pages.len() })
                    .unwrap_or(b.pages.len());
                eprintln!(
                    "Rebuilt {n} page{} in {} ms after {}",
                    if n == 1 { "" } else { "s" },
                    start.elapsed().as_millis(),
                    shown.join(", ")
                );
            }
            Err(f) => {
                let text = render_failure(&f);
                eprintln!("{text}");
                if let Ok(mut s) = store.write() {
                    s.error = Some(text.clone());
                }
                let _ = events.send(Msg::Error(text));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cleaned_and_traversal_refused() {
        assert_eq!(
            clean_path("/en/node/010.html").as_deref(),
            Some("en/node/010.html")
        );
        assert_eq!(clean_path("/en/").as_deref(), Some("en/"));
        assert_eq!(clean_path("/").as_deref(), Some(""));
        assert_eq!(clean_path("/en/%D0%B2.html").as_deref(), Some("en/в.html"));
        assert_eq!(clean_path("/../etc/passwd"), None);
        assert_eq!(clean_path("/en/%2e%2e/%2e%2e/etc/passwd"), None);
        assert_eq!(clean_path("/en/..%2f..%2fetc"), None);
        assert_eq!(clean_path("/en\\..\\x"), None);
        assert_eq!(clean_path("/en/%5c..%5cx"), None);
        assert_eq!(clean_path("/a%00b"), None);
    }

    #[test]
    fn editor_droppings_are_ignored() {
        for n in [
            "a.md~",
            ".a.md.swp",
            "#a.md#",
            ".#a.md",
            "a.md___jb_tmp___",
            "4913",
            "x.tmp",
        ] {
            assert!(is_temp_file(Path::new(n)), "{n}");
        }
        assert!(!is_temp_file(Path::new("010_intro.md")));
    }

    #[test]
    fn hosts_compare_by_name() {
        assert!(same_host("127.0.0.1:3000", "http://127.0.0.1:3000"));
        assert!(same_host("127.0.0.1", "http://127.0.0.1:3000"));
        assert!(same_host("[::1]:3000", "http://[::1]:3000"));
        assert!(!same_host("192.0.2.7:3000", "http://127.0.0.1:3000"));
        assert!(!same_host("docs.local", "http://127.0.0.1:3000"));
    }

    #[test]
    fn script_is_injected_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body>x</body></html>")).unwrap();
        assert_eq!(out, format!("<html><body>x{INJECT}\n</body></html>"));
    }
}
