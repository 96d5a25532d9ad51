//! Sorted walks of a folder: the one place that lists files under theme, static and
//! example folders, so every stage sees them in the same (deterministic) order.

use std::path::{Path, PathBuf};

/// A file found under a folder.
#[derive(Debug, Clone)]
pub(crate) struct Walked {
    /// Path relative to the walked folder, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    /// The entry is a symbolic link (to a file; linked folders are not entered).
    pub symlink: bool,
}

/// Every file under `dir`, sorted by path, skipping folders named in `skip` (e.g. `.git`).
/// A missing or unreadable folder yields what could be read.
pub(crate) fn files_under(dir: &Path, skip: &[&str]) -> Vec<Walked> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !(e.file_type().is_dir() && skip.iter().any(|s| e.file_name() == *s)))
        .flatten()
    {
        let ft = e.file_type();
        let symlink = ft.is_symlink();
        if !(ft.is_file() || (symlink && e.path().is_file())) {
            continue;
        }
        if let Ok(rel) = e.path().strip_prefix(dir) {
            out.push(Walked {
                rel: rel.to_string_lossy().replace('\\', "/"),
                abs: e.path().to_path_buf(),
                symlink,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_skipping() {
        let t = tempfile::tempdir().unwrap();
        for p in ["b.txt", "a/z.txt", "a/y.txt", ".git/x"] {
            let f = t.path().join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, "x").unwrap();
        }
        let got: Vec<String> = files_under(t.path(), &[".git"])
            .into_iter()
            .map(|w| w.rel)
            .collect();
        assert_eq!(got, vec!["a/y.txt", "a/z.txt", "b.txt"]);
    }
}
