//! `examples`: the real example files chapters show (spec section 5, `<<example>>`,
//! `<<tree>>`, `<<diff>>`).
//!
//! Every path is resolved lexically, then canonically (symlinks), and must stay inside
//! `examples/`; a file is never opened before that check. Files are read once per build
//! and shared by every page that shows them.

//!
//! [`show`] turns a file into what a page shows (snippets, lines, language comment
//! lines); [`tree_diff`] draws folders and compares the folders of two tutorial steps.

mod show;
mod tree_diff;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Problem;
use crate::util::fs::files_under;
use crate::util::memo::Memo;
use crate::util::text::closest as did_you_mean;
use crate::util::url::normalize;
pub(crate) use show::{ShowOptions, Shown};
pub(crate) use tree_diff::{DiffView, Tree};

/// A problem with a help line (or none).
fn err(message: impl Into<String>, help: Option<String>) -> Problem {
    let p = Problem::new(message);
    match help {
        Some(h) => p.help(h),
        None => p,
    }
}

/// A path checked to be inside `examples/`.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    /// Path under `examples/`, `/`-separated (empty for `examples/` itself).
    pub rel: String,
    /// What the author sees: the path relative to the page's examples folder.
    pub display: String,
    pub abs: PathBuf,
}

type Cached = Arc<Result<String, String>>;

pub(crate) struct ExampleStore {
    root: PathBuf,
    canon: Option<PathBuf>,
    cache: Memo<PathBuf, Cached>,
}

impl ExampleStore {
    pub(crate) fn new(site_root: &Path) -> Self {
        let root = site_root.join("examples");
        let canon = root.canonicalize().ok();
        ExampleStore {
            root,
            canon,
            cache: Memo::default(),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Resolve `path` (relative to `base`, the page's `examples:` folder, or to
    /// `examples/` when it starts with `/`).
    pub(crate) fn resolve(
        &self,
        base: &str,
        path: &str,
        want_dir: bool,
    ) -> Result<Resolved, Problem> {
        if path.is_empty() && !want_dir {
            return Err(err("empty example path", None));
        }
        if path.contains('\\') || path.contains('\0') {
            return Err(err(
                format!("example path '{path}' contains a backslash or NUL"),
                Some("use '/' between folders".into()),
            ));
        }
        let base_used = if path.starts_with('/') { "" } else { base };
        let rel = normalize(base_used, path).ok_or_else(|| {
            err(
                format!("example path '{path}' leads outside examples/"),
                Some("example paths stay inside the site's examples/ folder".into()),
            )
        })?;
        let canon_root = self.canon.as_ref().ok_or_else(|| {
            err(
                "the site has no examples/ folder",
                Some("create examples/ next to book.toml and put the example files there".into()),
            )
        })?;
        let abs = self.root.join(&rel);
        let canon = match abs.canonicalize() {
            Ok(c) => c,
            Err(_) => {
                let what = if want_dir { "folder" } else { "file" };
                let shown = if rel.is_empty() {
                    "examples/".to_string()
                } else {
                    format!("examples/{rel}")
                };
                let mut suggestion = None;
                if !want_dir {
                    let files = self.list_files(base_used);
                    let wanted = path.trim_start_matches('/');
                    suggestion = did_you_mean(wanted, files.iter().map(String::as_str));
                }
                return Err(Problem::new(format!(
                    "no example {what} '{path}' (looked for {shown})"
                ))
                .suggest(suggestion));
            }
        };
        if !canon.starts_with(canon_root) {
            return Err(err(
                format!("example path '{path}' resolves outside examples/ (through a symlink)"),
                Some("example files must be real files inside examples/".into()),
            ));
        }
        if want_dir && !canon.is_dir() {
            return Err(err(
                format!("'{path}' is a file, not a folder of examples/"),
                None,
            ));
        }
        if !want_dir && !canon.is_file() {
            return Err(err(
                format!("'{path}' is a folder, not an example file"),
                Some("use <<tree \"...\">> to show a folder".into()),
            ));
        }
        let display = match rel.strip_prefix(&format!("{base_used}/")) {
            Some(d) if !base_used.is_empty() => d.to_string(),
            _ => rel.clone(),
        };
        Ok(Resolved {
            rel,
            display,
            abs: canon,
        })
    }

    /// Files under `examples/<dir>`, relative to it, sorted (dotfiles included, `.git` not).
    pub(crate) fn list_files(&self, dir: &str) -> Vec<String> {
        files_under(&self.root.join(dir), &[".git"])
            .into_iter()
            .filter(|w| !w.symlink)
            .map(|w| w.rel)
            .collect()
    }

    pub(crate) fn read(&self, abs: &Path) -> Cached {
        self.cache.get_or_insert_with(abs.to_path_buf(), || {
            Arc::new(match std::fs::read(abs) {
                Ok(b) => {
                    String::from_utf8(b).map_err(|_| "the file is not valid UTF-8".to_string())
                }
                Err(e) => Err(format!("cannot read: {e}")),
            })
        })
    }

    /// Forget cached contents (serve: after a file changed).
    pub(crate) fn invalidate(&self, abs: Option<&Path>) {
        match abs {
            Some(p) => self
                .cache
                .retain(|k| !k.starts_with(p) && !p.starts_with(k)),
            None => self.cache.clear(),
        }
    }

    fn text(&self, r: &Resolved) -> Result<Cached, Problem> {
        let t = self.read(&r.abs);
        if let Err(e) = t.as_ref() {
            return Err(err(format!("example file '{}': {e}", r.display), None));
        }
        Ok(t)
    }
}
