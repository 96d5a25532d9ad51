//! New files in a folder that is not guidegen's output: `guidegen init` writing a
//! starter site, `guidegen import` writing the site it made. Nothing is ever deleted; an existing file is replaced only when the
//! user said so (`--force`), and never through a symbolic link: a folder given to
//! `init --force` may hold links (a `book.toml` linked to a file elsewhere), and
//! writing through one would change a file outside the folder.

use std::path::Path;

use crate::diag::Diagnostic;

/// Write `files` (relative `/`-separated paths) under `dir`, creating folders. A
/// folder that already holds anything is refused unless `force`; with `force`, files of
/// the same names are replaced and every other file is kept.
pub(crate) fn create<T: AsRef<[u8]>>(
    dir: &Path,
    files: &[(&str, T)],
    force: bool,
) -> Result<(), Diagnostic> {
    let shown = dir.display().to_string();
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::error(&shown, "is a file, not a folder")
            .with_help("choose a folder for the new site"));
    }
    if !force {
        let mut entries = std::fs::read_dir(dir).into_iter().flatten();
        if entries.next().is_some() {
            return Err(Diagnostic::error(&shown, "the folder is not empty")
                .with_help("choose a new or empty folder, or add --force to write the starter files into it (files with the same names are replaced, others are kept)"));
        }
    }
    // Every path is checked before anything is written.
    for (rel, _) in files {
        if let Some(link) = link_on_the_way(dir, rel) {
            return Err(Diagnostic::error(
                link.display().to_string(),
                "is a symbolic link; guidegen init never writes through links",
            )
            .with_help("remove the link, or choose a new or empty folder"));
        }
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(
                    parent.display().to_string(),
                    format!("cannot create the folder: {e}"),
                )
            })?;
        }
        std::fs::write(&path, text).map_err(|e| {
            Diagnostic::error(
                path.display().to_string(),
                format!("cannot write the file: {e}"),
            )
        })?;
    }
    Ok(())
}

/// The first symbolic link among `rel`'s components under `dir` (the file included).
fn link_on_the_way(dir: &Path, rel: &str) -> Option<std::path::PathBuf> {
    let mut p = dir.to_path_buf();
    for c in rel.split('/') {
        p.push(c);
        match p.symlink_metadata() {
            Ok(m) if m.file_type().is_symlink() => return Some(p),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}
