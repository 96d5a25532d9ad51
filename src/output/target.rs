//! Which folder the site goes to, resolved as the system will resolve it, and whether
//! guidegen may replace it: never the site, its sources, a folder holding them, or a
//! folder guidegen cannot prove it wrote (it has no marker file). Leftovers of killed
//! builds are found and removed here too.

use std::path::{Path, PathBuf};

use super::{Guard, MARKER};
use crate::diag::{Diagnostic, display_path};
use crate::util::confine::absolute;

/// The output folder as the system resolves it: the deepest part of the path that exists
/// with its links resolved, then the rest (which cannot hold links, since it does not
/// exist) with `.` and `..` resolved. `nonexist/../userdir` is `userdir`.
pub(super) fn resolve(out_dir: &Path) -> PathBuf {
    let abs = absolute_raw(out_dir);
    let mut existing = abs.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut p = real;
            for c in rest.iter().rev() {
                if c == ".." {
                    p.pop();
                } else if c != "." {
                    p.push(c);
                }
            }
            return p;
        }
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            // `..` or `.` at the end: keep it for the lexical part.
            (None, Some(parent)) if existing.ends_with("..") => {
                rest.push("..".into());
                existing = parent.to_path_buf();
            }
            _ => return absolute(out_dir),
        }
    }
}

/// `p` against the current folder, components kept as written (`..` included).
fn absolute_raw(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}

/// Is `dir` a folder guidegen may replace as a whole: empty (but for a build's own
/// temporary folders), or holding the marker file a build writes?
pub(super) fn is_ours(dir: &Path) -> bool {
    let temporary = |n: &str| n.starts_with(".guidegen-tmp-") || n.starts_with(".guidegen-old-");
    dir.join(MARKER).is_file()
        || std::fs::read_dir(dir).is_ok_and(|d| {
            d.flatten()
                .all(|e| temporary(&e.file_name().to_string_lossy()))
        })
}

/// Refuse output folders whose replacement would lose files: the site itself (or a
/// folder holding it), its sources, a file, or any non-empty folder without the marker.
/// `real` is the resolved folder; `shown` the path as the user gave it.
pub(super) fn check(guard: &Guard<'_>, real: &Path, shown: &Path) -> Result<(), Diagnostic> {
    let shown = display_path(guard.root, shown);
    let refuse = |why: String| {
        Diagnostic::error(shown.clone(), why)
            .with_help("choose another output folder with --out or [build] out_dir")
    };
    let root = guard
        .root
        .canonicalize()
        .unwrap_or_else(|_| absolute(guard.root));
    if root.starts_with(real) {
        return Err(refuse(
            "the output folder would replace the site's own folder".into(),
        ));
    }
    for src in &guard.sources {
        if real.starts_with(root.join(src)) {
            return Err(refuse(format!(
                "the output folder is inside the site's {src}/ folder"
            )));
        }
    }
    if real.exists() {
        if !real.is_dir() {
            return Err(refuse("the output path is a file, not a folder".into()));
        }
        if !is_ours(real) {
            return Err(refuse(format!(
                "refusing to replace a folder that guidegen did not write (it has no {MARKER} file)"
            ))
            .with_note("guidegen replaces its output folder as a whole, so other files there would be lost"));
        }
    }
    Ok(())
}

/// Is `dir` a mount point (another file system than its parent's)? Such a folder cannot
/// be renamed, so the site is written into it instead of replacing it.
pub(super) fn is_mount_point(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let (Ok(m), Some(parent)) = (dir.metadata(), dir.parent()) else {
        return false;
    };
    parent.metadata().is_ok_and(|p| p.dev() != m.dev())
}

/// Remove what killed builds left beside (or inside) the output folder: folders named
/// `.<name>.guidegen-tmp-<pid>` or `.<name>.guidegen-old-<pid>` (and `.guidegen-tmp-`,
/// `.guidegen-old-` inside it) whose process is gone, and which are empty or hold the
/// marker. Another build's folders (its process alive) are left alone.
pub(super) fn remove_leftovers(real: &Path) {
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let places = [
        (
            real.parent().map(Path::to_path_buf),
            format!(".{name}.guidegen-"),
        ),
        (Some(real.to_path_buf()), ".guidegen-".to_string()),
    ];
    for (dir, prefix) in places {
        let Some(rd) = dir.and_then(|d| std::fs::read_dir(d).ok()) else {
            continue;
        };
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = n.strip_prefix(&prefix) else {
                continue;
            };
            let pid = rest
                .strip_prefix("tmp-")
                .or_else(|| rest.strip_prefix("old-"))
                .and_then(|p| p.parse::<u32>().ok());
            let path = e.path();
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            if let Some(pid) = pid
                && is_dir
                && !alive(pid)
                && is_ours(&path)
            {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
}

/// Is process `pid` running (Linux: `/proc/<pid>`)? Unknown elsewhere: assume it is.
pub(super) fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if !proc.is_dir() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_folders_and_dots_resolve_like_the_system() {
        let t = tempfile::tempdir().unwrap();
        let base = t.path().canonicalize().unwrap();
        std::fs::create_dir(base.join("user")).unwrap();
        assert_eq!(resolve(&base.join("nonexist/../user")), base.join("user"));
        assert_eq!(resolve(&base.join("a/b/../../c")), base.join("c"));
        assert_eq!(resolve(&base.join("user/./x")), base.join("user/x"));
        std::os::unix::fs::symlink(base.join("user"), base.join("link")).unwrap();
        assert_eq!(resolve(&base.join("link")), base.join("user"));
        assert_eq!(resolve(&base.join("link/../other")), base.join("other"));
    }
}
