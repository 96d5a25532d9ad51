//! Answering a request for a file of the site: paths decoded and confined (no way up),
//! folders redirected to their `/` (never to another host), the language's 404 page,
//! the error page while nothing has built, and links rewritten for the `Host` a browser
//! used (only when it is a plain host name).

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, Uri, header};

use std::sync::Arc;

use super::store::{AppState, Entry, INJECT, Store, overlay_text};
use crate::pipeline::Failure;
use crate::util::url::normalize;

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

/// Is `h` a plain `host[:port]` (a name, an IPv4 or a bracketed IPv6 address)? Anything
/// else in a `Host` header is ignored: it never reaches a page.
fn valid_host(h: &str) -> bool {
    let (name, port) = match h.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((addr, tail)) => {
                if !addr
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
                {
                    return false;
                }
                ("x", tail.strip_prefix(':'))
            }
            None => return false,
        },
        None => match h.split_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (h, None),
        },
    };
    let name_ok = !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    name_ok && port_ok
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

pub(super) fn respond(status: StatusCode, ctype: &str, body: Vec<u8>) -> Response<Body> {
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

pub(super) async fn serve_file(
    State(st): State<AppState>,
    headers: HeaderMap,
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
    let found = find(&st.store.read(), &path);
    if found.is_dir {
        // Built from the cleaned path: `//en` must never become a link to host `en`.
        return redirect(&format!("/{}/", path.trim_end_matches('/')));
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
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| valid_host(h));
    let body = match host {
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
    fn only_plain_hosts_are_used() {
        for ok in ["127.0.0.1:3000", "docs.local", "[::1]:8080", "my-host"] {
            assert!(valid_host(ok), "{ok}");
        }
        for bad in [
            "x\"><script>alert(1)</script>",
            "a b",
            "host:port",
            "[::1",
            "",
            "evil.com/x",
            "a:1:2",
        ] {
            assert!(!valid_host(bad), "{bad}");
        }
    }

    #[test]
    fn hosts_compare_by_name() {
        assert!(same_host("127.0.0.1:3000", "http://127.0.0.1:3000"));
        assert!(same_host("127.0.0.1", "http://127.0.0.1:3000"));
        assert!(same_host("[::1]:3000", "http://[::1]:3000"));
        assert!(!same_host("192.0.2.7:3000", "http://127.0.0.1:3000"));
        assert!(!same_host("docs.local", "http://127.0.0.1:3000"));
    }
}
