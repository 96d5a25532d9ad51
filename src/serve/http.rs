//! The HTTP side of `serve`: the routes, the live-reload script and its Server-Sent
//! Events stream (the site they serve is in [`super::store`]).

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use tokio::sync::broadcast;

use super::files::respond;
use super::store::{AppState, Msg, overlay_text};

const CLIENT_JS: &str = include_str!("client.js");

/// The server's routes: the reload script, its event stream, and the site.
pub(super) fn router(state: AppState) -> Router {
    Router::new()
        .route("/__guidegen/client.js", axum::routing::get(client_js))
        .route("/__guidegen/events", axum::routing::get(events))
        .route("/__guidegen/tests.json", axum::routing::get(tests_json))
        .fallback(super::files::serve_file)
        .with_state(state)
}

async fn client_js() -> Response<Body> {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        CLIENT_JS.as_bytes().to_vec(),
    )
}

/// The last `guidegen test` result of every example step (read from its results, never
/// running anything): `{"steps": {"flask/010_basic": {"result": "passed", "when": …}}}`.
/// `?step=flask/010_basic` asks for one step (a page asks for its own): only its files
/// are hashed, not every step's on every page view.
async fn tests_json(State(st): State<AppState>, uri: axum::http::Uri) -> Response<Body> {
    let only: Option<String> = uri.query().and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("step="))
            .map(|v| {
                percent_encoding::percent_decode_str(v)
                    .decode_utf8_lossy()
                    .into_owned()
            })
    });
    let (root, steps) = {
        let s = st.store.read();
        (s.root.clone(), s.steps.clone())
    };
    let body = tokio::task::spawn_blocking(move || {
        let cache = crate::output::cache::Cache::open_read(&root);
        let examples = crate::examples::ExampleStore::new(&root);
        let mut out = serde_json::Map::new();
        let chosen = steps
            .iter()
            .filter(|s| only.as_ref().is_none_or(|o| *o == s.rel));
        for step in chosen {
            let (last, current) = crate::pipeline::steps::last(cache.as_ref(), &examples, step);
            let word = crate::pipeline::steps::result_word(last.as_ref(), current, &step.source);
            out.insert(
                step.rel.clone(),
                serde_json::json!({
                    "result": word,
                    "when": last.map(|r| crate::pipeline::steps::date(r.when)),
                }),
            );
        }
        serde_json::json!({ "steps": out }).to_string()
    })
    .await
    .unwrap_or_else(|_| "{\"steps\":{}}".to_string());
    respond(
        StatusCode::OK,
        "application/json; charset=utf-8",
        body.into_bytes(),
    )
}

async fn events(
    State(st): State<AppState>,
    conn: Option<axum::Extension<super::accept::StreamHandle>>,
) -> impl IntoResponse {
    // The connection is a stream now: it no longer takes a place of requests.
    if let Some(axum::Extension(c)) = conn {
        c.became_stream();
    }
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
