//! `output`: writes a finished build to `out_dir` atomically.
//!
//! The whole site is written to a sibling folder first and swapped in with renames, so a
//! failed or interrupted build never leaves a half-written site, and the previous site
//! stays in place until the new one is complete.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, display_path};

fn io_err(root: &Path, path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(display_path(root, path), format!("{what}: {e}"))
}

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
/// (names under `root`), and folders holding anything but the site's languages.
pub(crate) struct Guard<'a> {
    pub root: &'a Path,
    pub sources: Vec<&'a str>,
    pub languages: &'a [String],
}

/// Marks a folder as guidegen's output: only such a folder is ever replaced.
pub(crate) const MARKER: &str = ".guidegen";

/// Refuse output folders whose replacement would lose files: the site itself (or a
/// folder holding it), its sources, or any non-empty folder guidegen did not write.
fn check_out_dir(guard: &Guard<'_>, out_dir: &Path) -> Result<(), Diagnostic> {
    let root = guard.root;
    let shown = display_path(root, out_dir);
    let refuse = |why: String| {
        Diagnostic::error(shown.clone(), why)
            .with_help("choose another output folder with --out or [build] out_dir")
    };
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canon_out = match out_dir.canonicalize() {
        Ok(c) => c,
        Err(_) => {
            // Not there yet: check where it would be created.
            let parent = out_dir.parent().map(Path::to_path_buf).unwrap_or_default();
            let parent = parent.canonicalize().unwrap_or(parent);
            parent.join(out_dir.file_name().unwrap_or_default())
        }
    };
    if canon_root.starts_with(&canon_out) {
        return Err(refuse(
            "the output folder would replace the site's own folder".into(),
        ));
    }
    for src in &guard.sources {
        if canon_out.starts_with(canon_root.join(src)) {
            return Err(refuse(format!(
                "the output folder is inside the site's {src}/ folder"
            )));
        }
    }
    if out_dir.exists() {
        if !out_dir.is_dir() {
            return Err(refuse("the output path is a file, not a folder".into()));
        }
        // Ours: empty, or marked, or holding nothing but this site's language folders.
        let ours = out_dir.join(MARKER).is_file()
            || std::fs::read_dir(out_dir).is_ok_and(|d| {
                d.flatten().all(|e| {
                    let n = e.file_name().to_string_lossy().to_string();
                    e.path().is_dir() && guard.languages.contains(&n)
                })
            });
        if !ours {
            return Err(refuse(format!(
                "refusing to replace a folder that guidegen did not write (it has no {MARKER} file)"
            ))
            .with_note("guidegen replaces its output folder as a whole, so other files there would be lost"));
        }
    }
    Ok(())
}

/// Write `files` to `out_dir`, replacing it atomically, unless `guard` says the folder
/// must not be replaced. Paths in messages are relative to `guard.root`.
pub(crate) fn write(
    files: &FileSet<'_>,
    guard: &Guard<'_>,
    out_dir: &Path,
) -> Result<(), Diagnostic> {
    check_out_dir(guard, out_dir)?;
    let root = guard.root;
    let parent = out_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&parent)
        .map_err(|e| io_err(root, &parent, "cannot create folder", e))?;
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    let tmp = parent.join(format!(".{name}.guidegen-tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.guidegen-old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = write_tree(files, root, &tmp);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    // Swap: the old site moves aside, the new one takes its name, the old one goes.
    let had_old = out_dir.exists();
    if had_old {
        std::fs::rename(out_dir, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            io_err(root, out_dir, "cannot move the previous output aside", e)
        })?;
    }
    if let Err(e) = std::fs::rename(&tmp, out_dir) {
        if had_old {
            let _ = std::fs::rename(&old, out_dir);
        }
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(io_err(
            root,
            out_dir,
            "cannot move the new output into place",
            e,
        ));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

fn write_tree(files: &FileSet<'_>, root: &Path, dir: &Path) -> Result<(), Diagnostic> {
    std::fs::create_dir_all(dir)
        .map_err(|e| io_err(root, dir, "cannot create output folder", e))?;
    let marker = dir.join(MARKER);
    std::fs::write(
        &marker,
        "Written by guidegen: `guidegen build` replaces this folder as a whole.\n",
    )
    .map_err(|e| io_err(root, &marker, "cannot write", e))?;
    for (rel, src) in files.iter() {
        let dest = dir.join(rel);
        if let Some(p) = dest.parent() {
            std::fs::create_dir_all(p).map_err(|e| io_err(root, p, "cannot create folder", e))?;
        }
        match src {
            Source::Bytes(bytes) => {
                std::fs::write(&dest, bytes).map_err(|e| io_err(root, &dest, "cannot write", e))?
            }
            Source::File(from) => {
                std::fs::copy(from, &dest).map_err(|e| io_err(root, from, "cannot copy", e))?;
            }
        }
    }
    Ok(())
}
