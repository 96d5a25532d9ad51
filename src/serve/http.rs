//! The HTTP side of `serve`: the site held in memory ([`Store`]), files served by path
//! (only paths the build listed, so nothing outside the site is reachable), the
//! live-reload script and its Server-Sent Events stream.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, Uri, header};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use tokio::sync::broadcast;

use crate::content::PageId;
use crate::output::Source;
use crate::pipeline::{Build, Failure};
use crate::util::url::normalize;

const CLIENT_JS: &str = include_str!("client.js");
pub(super) const INJECT: &str = "<script src=\"/__guidegen/client.js\" defer></script>";

/// One servable file.
#[derive(Clone)]
enum Entry {
    Bytes(Arc<[u8]>),
    File(PathBuf),
}

/// The site as served: URL path (without the leading `/`) -> content.
#[derive(Default)]
pub(super) struct Store {
    files: HashMap<String, Entry>,
    pub(super) default_lang: String,
    /// The last failed rebuild, as data (cleared by a good one).
    pub(super) error: Option<Arc<Failure>>,
    /// Bumped on every successful rebuild.
    pub(super) generation: u64,
}

impl Store {
    /// A store with no site: what is served while the site has never built.
    pub(super) fn broken(default_lang: String, error: Arc<Failure>) -> Store {
        Store {
            default_lang,
            error: Some(error),
            ..Store::default()
        }
    }

    pub(super) fn from_build(b: &Build) -> Store {
        let mut files = HashMap::new();
        for (path, src) in b.files().iter() {
            let e = match src {
                Source::Bytes(bytes) if path.ends_with(".html") => {
                    Entry::Bytes(inject(bytes).into())
                }
                Source::Bytes(bytes) => Entry::Bytes((*bytes).into()),
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

    pub(super) fn update_pages(&mut self, b: &Build, ids: &[PageId]) {
        for &id in ids {
            if let Some(p) = b.pages.get(id.index()) {
                self.files.insert(
                    format!("{}/{}", p.lang, p.out),
                    Entry::Bytes(inject(p.html.as_bytes()).into()),
                );
            }
        }
    }
}

/// The store shared by the server and the rebuild thread. A panic while holding the
/// lock cannot happen in our code; if it ever did, the store is still served.
#[derive(Clone, Default)]
pub(super) struct Shared(Arc<RwLock<Store>>);

impl Shared {
    pub(super) fn new(s: Store) -> Shared {
        Shared(Arc::new(RwLock::new(s)))
    }

    pub(super) fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.0.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.0.write().unwrap_or_else(|p| p.into_inner())
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
pub(super) struct AppState {
    pub(super) store: Shared,
    pub(super) events: broadcast::Sender<Msg>,
    /// The origin the pages link to (`http://127.0.0.1:3000`).
    pub(super) origin: Arc<str>,
}

/// What open pages are told.
#[derive(Clone, Debug)]
pub(super) enum Msg {
    Reload,
    Error(Arc<Failure>),
}

/// A failed build as the overlay and the log show it: every diagnostic, then the one
/// summary line.
pub(super) fn overlay_text(f: &Failure) -> String {
    let mut s = String::new();
    for d in &f.diagnostics {
        s.push_str(&d.to_string());
        s.push_str("\n\n");
    }
    s.push_str(&format!(
        "{}; still serving the last good version of the site.",
        f.summary()
    ));
    s
}

/// The server's routes: the reload script, its event stream, and the site.
pub(super) fn router(state: AppState) -> Router {
    Router::new()
        .route("/__guidegen/client.js", axum::routing::get(client_js))
        .route("/__guidegen/events", axum::routing::get(events))
        .fallback(serve_file)
        .with_state(state)
}

fn content_type(path: &str) -> &'static str {
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
fn clean_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    // No way up, not even one that would come back down.
    if decoded.contains('\\') || decoded.contains('\0') || decoded.split('/').any(|s| s == "..") {
        return None;
    }
    let mut p = normalize("", &decoded)?;
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

/// What a request path finds in the store.
struct Lookup {
    /// The file and its key (`en/index.html` for `en/`).
    entry: Option<(Entry, String)>,
    /// A folder asked for without its `/`.
    is_dir: bool,
    /// The 404 page of the path's language, else of the default language.
    lang_404: Option<Entry>,
    default_lang: String,
    error: Option<Arc<Failure>>,
}

fn find(store: &Store, path: &str) -> Lookup {
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    let entry = store.files.get(&key).cloned().map(|e| (e, key));
    let is_dir = entry.is_none() && store.files.contains_key(&format!("{path}/index.html"));
    let lang = path.split('/').next().unwrap_or("");
    let lang_404 = store
        .files
        .get(&format!("{lang}/404.html"))
        .or_else(|| store.files.get(&format!("{}/404.html", store.default_lang)))
        .cloned();
    Lookup {
        entry,
        is_dir,
        lang_404,
        default_lang: store.default_lang.clone(),
        error: store.error.clone(),
    }
}

async fn serve_file(State(st): State<AppState>, headers: HeaderMap, uri: Uri) -> Response<Body> {
    let raw = uri.path();
    let Some(path) = clean_path(raw) else {
        return respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            b"400 bad request path\n".to_vec(),
        );
    };
    let found = find(&st.store.read(), &path);
    if found.is_dir {
        return redirect(&format!("{raw}/"));
    }
    let Some((entry, key)) = found.entry else {
        if found.lang_404.is_none()
            && let Some(e) = found.error
        {
            return broken(&overlay_text(&e));
        }
        if path.is_empty() {
            return redirect(&format!("/{}/", found.default_lang));
        }
        return not_found(found.lang_404);
    };
    let body = match entry {
        Entry::Bytes(b) => b.to_vec(),
        Entry::File(p) => match tokio::fs::read(&p).await {
            Ok(b) => b,
            Err(_) => return not_found(found.lang_404),
        },
    };
    let body = match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) if key.ends_with(".html") && !same_host(host, &st.origin) => {
            String::from_utf8_lossy(&body)
                .replace(&*st.origin, &format!("http://{host}"))
                .into_bytes()
        }
        _ => body,
    };
    respond(StatusCode::OK, content_type(&key), body)
}

/// Nothing has built yet: the error in a page that reloads once it is fixed.
fn broken(error: &str) -> Response<Body> {
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>guidegen: build failed</title></head><body><h1>The site did not build</h1><pre>{}</pre>{INJECT}</body></html>",
        crate::util::html::escape(error)
    );
    respond(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/html; charset=utf-8",
        page.into_bytes(),
    )
}

fn not_found(lang_404: Option<Entry>) -> Response<Body> {
    let body = match lang_404 {
        Some(Entry::Bytes(b)) => b.to_vec(),
        _ => b"404 not found\n".to_vec(),
    };
    respond(StatusCode::NOT_FOUND, "text/html; charset=utf-8", body)
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
        let store = st.store.read();
        match &store.error {
            Some(e) => Event::default().event("build-error").data(overlay_text(e)),
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
                        Ok(Event::default().event("build-error").data(overlay_text(&e))),
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
