//! `output`: writes a finished build to `out_dir` atomically, and is the only module
//! that writes, renames or deletes files.
//!
//! [`target`] decides which folder that is and whether it may be replaced (resolved as
//! the system resolves it, checked again before anything moves); [`staging`] writes the
//! site beside it and swaps it in, so a failed or interrupted build never leaves a
//! half-written site and never touches a folder guidegen did not write. [`create`]
//! writes new files without replacing a folder (`guidegen init`); [`cache`] is the store
//! later builds reuse; [`spill`] is a build's scratch file (search text kept out of
//! memory until the index is written).

pub(crate) mod cache;
mod create;
pub(crate) mod scratch;
mod spill;
mod staging;
mod target;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
pub(crate) use cache::CACHE_DIR;
pub(crate) use create::create;
pub(crate) use spill::Spill;
pub(crate) use staging::Staging;

/// Where the bytes of an output file come from.
pub enum Source<'a> {
    Bytes(&'a [u8]),
    /// A file copied verbatim (static files, images beside the content).
    File(PathBuf),
}

/// Every file of a site: output path (with language prefix, `/`-separated) -> source.
/// Later additions replace earlier ones at the same path.
#[derive(Default)]
pub struct FileSet<'a> {
    files: BTreeMap<String, Source<'a>>,
}

impl<'a> FileSet<'a> {
    pub fn add_bytes(&mut self, path: String, bytes: &'a [u8]) {
        self.files.insert(path, Source::Bytes(bytes));
    }

    pub fn add_file(&mut self, path: String, from: PathBuf) {
        self.files.insert(path, Source::File(from));
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Source<'a>)> {
        self.files.iter()
    }
}

/// What an output folder must never replace: the site's folder, its source folders
/// (names under `root`).
pub(crate) struct Guard<'a> {
    pub root: &'a Path,
    pub sources: Vec<&'a str>,
}

impl Guard<'_> {
    /// What a folder guidegen writes (the output, the `check` report) must never be or
    /// be inside: the site at `root`, its source folders, its build cache.
    pub(crate) fn site(root: &Path) -> Guard<'_> {
        let mut sources: Vec<&str> = crate::config::SourceKind::FOLDERS
            .iter()
            .map(|(n, _)| *n)
            .collect();
        sources.push(CACHE_DIR);
        Guard { root, sources }
    }
}

/// Marks a folder as guidegen's output: only such a folder (or an empty one) is ever
/// replaced.
pub(crate) const MARKER: &str = ".guidegen";

/// Open a file guidegen wrote earlier (a cache entry, a page of the previous output) for
/// reading: never through a symbolic link, never waiting on a FIFO; `None` unless it is
/// a regular file. What is found there may have been put there by someone else.
pub(crate) fn open_regular(path: &Path) -> Option<std::fs::File> {
    #[cfg(unix)]
    let f = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
            .ok()?
    };
    #[cfg(not(unix))]
    let f = {
        if path.symlink_metadata().ok()?.file_type().is_symlink() {
            return None;
        }
        std::fs::File::open(path).ok()?
    };
    f.metadata().ok()?.is_file().then_some(f)
}

/// Remove the output folder (`guidegen clean`), under the rules of [`target`]: only a
/// folder guidegen wrote, never the site or its sources. Whether there was one.
pub(crate) fn remove_output(guard: &Guard<'_>, out_dir: &Path) -> Result<bool, Diagnostic> {
    let real = target::resolve(out_dir);
    if !real.exists() {
        return Ok(false);
    }
    target::check(guard, &real, out_dir)?;
    let err = |p: &Path, e: std::io::Error| {
        Diagnostic::error(
            crate::diag::display_path(guard.root, p),
            format!("cannot remove the output folder: {e}"),
        )
    };
    if target::is_mount_point(&real) {
        // A mount point stays; what guidegen wrote in it goes.
        let rd = std::fs::read_dir(&real).map_err(|e| err(&real, e))?;
        for e in rd.flatten() {
            let p = e.path();
            let r = if e.file_type().is_ok_and(|t| t.is_dir()) {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
            r.map_err(|e| err(&p, e))?;
        }
    } else {
        std::fs::remove_dir_all(&real).map_err(|e| err(&real, e))?;
    }
    Ok(true)
}
