//! The site as `serve` holds it in memory ([`Store`]; only paths the build listed are
//! served, so nothing outside the site is reachable), shared between the server and the
//! rebuild thread, and what open pages are told.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use tokio::sync::broadcast;

use crate::content::PageId;
use crate::output::Source;
use crate::pipeline::{Build, Failure};

pub(super) const INJECT: &str = "<script src=\"/__guidegen/client.js\" defer></script>";

/// One servable file.
#[derive(Clone)]
pub(super) enum Entry {
    Bytes(Arc<[u8]>),
    File(PathBuf),
}

/// The site as served: URL path (without the leading `/`) -> content.
#[derive(Default)]
pub(super) struct Store {
    pub(super) files: HashMap<String, Entry>,
    pub(super) default_lang: String,
    /// The last failed rebuild, as data (cleared by a good one).
    pub(super) error: Option<Arc<Failure>>,
    /// Bumped on every successful rebuild.
    pub(super) generation: u64,
    /// The site's folder (where `guidegen test` keeps its results).
    pub(super) root: PathBuf,
    /// The example steps, for the results shown on example headers.
    pub(super) steps: Arc<Vec<crate::pipeline::steps::Step>>,
    /// Output path of a page -> the example step it shows (its `examples:` folder).
    page_steps: HashMap<String, String>,
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
        let page_steps = page_steps(b, b.page_ids());
        for (path, src) in b.files().iter() {
            let e = match src {
                Source::Bytes(bytes) if path.ends_with(".html") => {
                    Entry::Bytes(inject(bytes, page_steps.get(path)).into())
                }
                Source::Bytes(bytes) => Entry::Bytes((*bytes).into()),
                Source::File(p) => Entry::File(p.clone()),
            };
            files.insert(path.clone(), e);
        }
        Store {
            files,
            default_lang: b.model.config.default_language.clone(),
            error: None,
            generation: 0,
            root: b.model.config.root.clone(),
            steps: Arc::new(crate::pipeline::steps::steps(&b.model)),
            page_steps,
        }
    }

    /// Serve the re-rendered pages `ids`.
    pub(super) fn update_pages(&mut self, b: &Build, ids: &[PageId]) {
        self.page_steps.extend(page_steps(b, ids.iter().copied()));
        self.steps = Arc::new(crate::pipeline::steps::steps(&b.model));
        for &id in ids {
            let Some(r) = b.results.get(id.index()) else {
                continue;
            };
            if let Some(p) = &r.page {
                for e in &r.files {
                    self.files.insert(
                        format!("{}/{}", p.lang, e.path),
                        Entry::Bytes(e.bytes.clone().into()),
                    );
                }
            }
            self.put(r.page.iter());
        }
    }

    /// Serve the files that follow every page (the sitemaps, the search index), made
    /// again after the pages.
    pub(super) fn update_extra(&mut self, b: &Build) {
        self.put(b.extra.iter());
    }

    fn put<'a>(&mut self, pages: impl Iterator<Item = &'a crate::render::OutPage>) {
        for p in pages {
            let key = format!("{}/{}", p.lang, p.out);
            let bytes = if p.out.ends_with(".html") {
                inject(p.html.as_bytes(), self.page_steps.get(&key))
            } else {
                p.html.as_bytes().to_vec()
            };
            self.files.insert(key, Entry::Bytes(bytes.into()));
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

/// The example step of each page of `ids` that shows one: output path -> step.
fn page_steps(b: &Build, ids: impl Iterator<Item = PageId>) -> HashMap<String, String> {
    ids.filter_map(|id| {
        let p = &b.model.site.pages[id];
        let step = crate::vars::examples_dir(&p.vars);
        (!step.is_empty()).then(|| (format!("{}/{}", p.lang, p.out), step))
    })
    .collect()
}

/// Add the live-reload script to an HTML page (serve only; never in `build` output),
/// with the page's example step, whose last test result it shows on example headers.
fn inject(html: &[u8], step: Option<&String>) -> Vec<u8> {
    let s = String::from_utf8_lossy(html);
    let script = match step {
        Some(step) => format!(
            "<script src=\"/__guidegen/client.js\" data-step=\"{}\" defer></script>",
            crate::util::html::escape(step)
        ),
        None => INJECT.to_string(),
    };
    match s.rfind("</body>") {
        Some(i) => format!("{}{script}\n{}", &s[..i], &s[i..]).into_bytes(),
        None => format!("{s}{script}").into_bytes(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_is_injected_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body>x</body></html>", None)).unwrap();
        assert_eq!(out, format!("<html><body>x{INJECT}\n</body></html>"));
    }
}
