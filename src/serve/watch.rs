//! Watching the sources (book.toml, content/, examples/, theme/, static/) and rebuilding
//! on a thread of its own: changes are coalesced, a failed rebuild keeps the last good
//! site and is shown in open pages, and changes are retried until a rebuild succeeds.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::broadcast;

use super::ServeError;
use super::store::{Msg, Shared, Store, overlay_text};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, display_path};
use crate::pipeline::{self, Build, BuildOptions, Failure};
use crate::util::text::plural;

/// Is this a file an editor writes while saving (never a source)?
pub(super) fn is_temp_file(p: &Path) -> bool {
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

/// A panic during a build, as a failure to show (it is guidegen's bug, not the site's).
pub(super) fn internal_error(panic: &(dyn std::any::Any + Send)) -> Failure {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    Failure {
        diagnostics: vec![
            Diagnostic::error("", format!("internal error while building: {what}"))
                .with_help("this is a bug in guidegen; please report it with the file you changed"),
        ],
    }
}

/// The file watcher and the folders it watches.
pub(super) struct Watch {
    watcher: RecommendedWatcher,
    sources: Vec<PathBuf>,
    watched: Vec<PathBuf>,
}

impl Watch {
    /// Watch the site's sources; batches of changed paths arrive on the receiver.
    pub(super) fn start(config: &Config) -> Result<(Watch, Receiver<Vec<PathBuf>>), ServeError> {
        let root = config.root.clone();
        let book = root.join("book.toml");
        let sources = config.source_dirs();
        let out_dir = config.out_dir.clone();
        let (tx, rx) = std::sync::mpsc::channel::<Vec<PathBuf>>();
        let filter_sources = sources.clone();
        let relevant = move |p: &Path| {
            !is_temp_file(p)
                && !p.starts_with(&out_dir)
                && (p == book || filter_sources.iter().any(|d| p.starts_with(d)))
        };
        // Raw events, filtered here; the rebuild thread coalesces them (see `QUIET`).
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(e) = res else { return };
            // The build reading sources shows up as access events: never a change.
            if matches!(e.kind, notify::EventKind::Access(_)) {
                return;
            }
            let paths: Vec<PathBuf> = e.paths.into_iter().filter(|p| relevant(p)).collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        })
        .map_err(|e| ServeError::Watch {
            path: root.display().to_string(),
            source: e,
        })?;
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| ServeError::Watch {
                path: root.display().to_string(),
                source: e,
            })?;
        let mut w = Watch {
            watcher,
            sources,
            watched: Vec::new(),
        };
        w.watch_new_folders();
        Ok((w, rx))
    }

    /// A source folder created after start (e.g. static/) gets a watch.
    fn watch_new_folders(&mut self) {
        for d in &self.sources {
            if d.is_dir()
                && !self.watched.contains(d)
                && self.watcher.watch(d, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(d.clone());
            }
        }
    }
}

/// The rebuild thread's state.
pub(super) struct Rebuilder {
    pub(super) build: Option<Build>,
    pub(super) opts: BuildOptions,
    pub(super) store: Shared,
    pub(super) events: broadcast::Sender<Msg>,
    pub(super) watch: Watch,
    /// Paths changed since the last good build: retried until a rebuild succeeds.
    pub(super) pending: Vec<PathBuf>,
}

/// How long the file events must pause before a rebuild starts.
const QUIET: Duration = Duration::from_millis(3);
/// The longest a rebuild waits for events to pause.
const MAX_WAIT: Duration = Duration::from_millis(200);

impl Rebuilder {
    /// Rebuild on every batch of changes until the watcher stops.
    pub(super) fn run(mut self, rx: Receiver<Vec<PathBuf>>) {
        while let Ok(mut paths) = rx.recv() {
            // An editor's save is several events within a millisecond or two (write a
            // temporary file, rename it over the old one); a tool writing many files
            // keeps them coming. Collect until the events pause for `QUIET`, for at
            // most `MAX_WAIT`, then rebuild once.
            let first = Instant::now();
            while first.elapsed() < MAX_WAIT {
                match rx.recv_timeout(QUIET) {
                    Ok(more) => paths.extend(more),
                    Err(_) => break,
                }
            }
            self.watch.watch_new_folders();
            for p in paths {
                if !self.pending.contains(&p) {
                    self.pending.push(p);
                }
            }
            self.rebuild();
        }
    }

    fn rebuild(&mut self) {
        let start = Instant::now();
        // Content can never stop the server: a panic (a bug) is reported like a failed
        // build, and the next change builds from scratch.
        let attempt =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match self.build.as_mut() {
                Some(b) => b.rebuild_pages(&self.opts, &self.pending).map(Some),
                None => pipeline::build(&self.opts).map(|b| {
                    self.build = Some(b);
                    None
                }),
            }));
        let result = attempt.unwrap_or_else(|panic| {
            self.build = None;
            Err(internal_error(panic.as_ref()))
        });
        match result {
            Ok(r) => {
                self.publish(r, start);
                self.refresh_extra();
            }
            Err(f) => {
                eprintln!("{}", overlay_text(&f));
                let f = std::sync::Arc::new(f);
                self.store.write().error = Some(f.clone());
                let _ = self.events.send(Msg::Error(f));
            }
        }
    }

    /// After the edited pages are served: the sitemaps and search indexes that follow
    /// them (a failure here is shown like a failed build; the pages stay).
    fn refresh_extra(&mut self) {
        let Some(b) = self.build.as_mut() else { return };
        let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| b.refresh_extra()))
            .unwrap_or_else(|panic| Err(internal_error(panic.as_ref())));
        match done {
            Ok(()) => self.store.write().update_extra(b),
            Err(f) => {
                eprintln!("{}", overlay_text(&f));
                let f = std::sync::Arc::new(f);
                self.store.write().error = Some(f.clone());
                let _ = self.events.send(Msg::Error(f));
            }
        }
    }

    /// Put a good rebuild in the store, tell open pages to reload, and log it.
    fn publish(&mut self, r: Option<pipeline::Rebuilt>, start: Instant) {
        let Some(b) = self.build.as_ref() else { return };
        let root = &b.model.config.root;
        let shown: Vec<String> = self
            .pending
            .iter()
            .map(|p| display_path(root, p).display().to_string())
            .collect();
        self.pending.clear();
        {
            let mut s = self.store.write();
            let generation = s.generation + 1;
            match &r {
                Some(r) if !r.full && !r.assets_changed => s.update_pages(b, &r.pages),
                _ => *s = Store::from_build(b),
            }
            s.error = None;
            s.generation = generation;
        }
        let _ = self.events.send(Msg::Reload);
        for w in &b.warnings {
            if w.code != Some(Code::AuthorNote) {
                eprintln!("{w}\n");
            }
        }
        let n = match &r {
            Some(r) if !r.full => r.pages.len(),
            _ => b.results.len(),
        };
        eprintln!(
            "Rebuilt {} in {} ms after {}",
            plural(n, "page"),
            start.elapsed().as_millis(),
            shown.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
