//! `examples`: the real example files chapters show (spec section 5, `<<example>>`,
//! `<<tree>>`, `<<diff>>`).
//!
//! Every path is resolved lexically, then on disk (symbolic links), and must stay inside
//! `examples/` (`util::confine`); a file is never opened before that check, and walks
//! never follow a link out or around a loop. Files are read once per build and shared by
//! every page that shows them.
//!
//! [`show`] turns a file into what a page shows (snippets, lines, language comment
//! lines); [`tree_diff`] draws folders and compares the folders of two tutorial steps.

mod show;
mod tree_diff;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Problem;
use crate::util::confine::{self, Jail, Refusal};
use crate::util::memo::Memo;
use crate::util::text::closest as did_you_mean;
pub(crate) use show::lang_for_path;
pub(crate) use show::{ShowOptions, Shown, filter_lines};
pub(crate) use tree_diff::{DiffLine, DiffView, FileDiff, Tree};

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

type Cached = Arc<Result<String, ReadError>>;

/// Why an example file's text could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    #[error("the file is not valid UTF-8")]
    NotUtf8,
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
}

pub(crate) struct ExampleStore {
    jail: Jail,
    cache: Memo<PathBuf, Cached>,
}

impl ExampleStore {
    pub(crate) fn new(site_root: &Path) -> Self {
        ExampleStore {
            jail: Jail::new(&site_root.join("examples")),
            cache: Memo::default(),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        self.jail.root()
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
        let base_used = if path.starts_with('/') { "" } else { base };
        if confine::join("", base_used).is_err() {
            return Err(err(
                format!("the page's `examples:` folder '{base_used}' leads outside examples/"),
                Some(
                    "`examples:` names a folder under examples/, e.g. `examples: flask/010_basic`"
                        .into(),
                ),
            ));
        }
        let rel = confine::join(base_used, path).map_err(|r| match r {
            Refusal::Climbs => err(
                format!("example path '{path}' leads outside examples/"),
                Some("example paths stay inside the site's examples/ folder".into()),
            ),
            _ => err(
                format!("example path '{path}' contains a backslash or NUL"),
                Some("use '/' between folders".into()),
            ),
        })?;
        if !self.jail.root().is_dir() {
            return Err(err(
                "the site has no examples/ folder",
                Some("create examples/ next to book.toml and put the example files there".into()),
            ));
        }
        let checked = self.jail.check(&rel).map_err(|r| match r {
            Refusal::Loop { .. } => err(
                format!("example path '{path}' is a loop of symbolic links"),
                None,
            ),
            _ => err(
                format!("example path '{path}' resolves outside examples/ (through a symlink)"),
                Some("example files must be real files inside examples/".into()),
            ),
        })?;
        let Ok(real) = checked.canonicalize() else {
            return Err(self.missing(base_used, path, &rel, want_dir));
        };
        if want_dir && !real.is_dir() {
            return Err(err(
                format!("'{path}' is a file, not a folder of examples/"),
                None,
            ));
        }
        if !want_dir && !real.is_file() {
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
            abs: real,
        })
    }

    /// "No such example", with the closest file of the folder as a suggestion.
    fn missing(&self, base_used: &str, path: &str, rel: &str, want_dir: bool) -> Problem {
        let what = if want_dir { "folder" } else { "file" };
        let shown = if rel.is_empty() {
            "examples/".to_string()
        } else {
            format!("examples/{rel}")
        };
        let (files, _) = self.list_files(base_used);
        let wanted = path.trim_start_matches('/');
        let suggestion = if want_dir {
            None
        } else {
            did_you_mean(wanted, files.iter().map(String::as_str))
        };
        let folder = if base_used.is_empty() {
            "examples/".to_string()
        } else {
            format!("examples/{base_used}/")
        };
        let near = crate::util::text::nearest(wanted, files.iter().map(String::as_str), 6);
        let help = if near.is_empty() {
            format!(
                "{folder} has no files: check the page's `examples:` (the folder its example paths start from)"
            )
        } else {
            format!(
                "files in {folder}: {}{}",
                near.join(", "),
                if files.len() > near.len() {
                    ", ..."
                } else {
                    ""
                }
            )
        };
        Problem::new(format!("no example {what} '{path}' (looked for {shown})"))
            .suggest(suggestion)
            .help(help)
    }

    /// Files under `examples/<dir>`, relative to it, sorted (dotfiles included, `.git`
    /// not), and the links found there that leave `examples/` or loop.
    pub(crate) fn list_files(&self, dir: &str) -> (Vec<String>, Vec<Problem>) {
        let (found, refused) = self.jail.walk(&self.jail.root().join(dir), &[".git"]);
        let files = found.into_iter().map(|f| f.rel).collect();
        (
            files,
            refused.iter().map(|(p, r)| self.refusal(p, r)).collect(),
        )
    }

    /// A link found while walking, as a problem naming it under `examples/`.
    fn refusal(&self, path: &Path, r: &Refusal) -> Problem {
        let shown = path
            .strip_prefix(self.jail.root())
            .map(|p| format!("examples/{}", p.display()))
            .unwrap_or_else(|_| path.display().to_string());
        let what = match r {
            Refusal::Loop { .. } => "is a loop of symbolic links".to_string(),
            Refusal::Symlink { target, .. } => format!(
                "is a symbolic link to {}, outside examples/",
                target.display()
            ),
            other => other.to_string(),
        };
        err(
            format!("{shown} {what}"),
            Some("example folders hold real files; remove the link or copy the files".into()),
        )
    }

    pub(crate) fn read(&self, abs: &Path) -> Cached {
        self.cache.get_or_insert_with(abs.to_path_buf(), || {
            Arc::new(match std::fs::read(abs) {
                Ok(b) => String::from_utf8(b).map_err(|_| ReadError::NotUtf8),
                Err(e) => Err(ReadError::Io(e)),
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
