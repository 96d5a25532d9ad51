//! Writing a site atomically: files go into a temporary folder beside the output folder
//! (inside it, for a mount point), and the finished site is swapped in with renames, so
//! a failed or interrupted build never leaves a half-written site and the previous site
//! stays in place until the new one is complete. Files may be added from many threads.

use std::path::{Path, PathBuf};

use super::target::{self, is_ours};
use super::{Guard, MARKER};
use crate::diag::{Diagnostic, display_path};

/// How the finished site takes the output folder's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Rename the old folder aside and the new one into place.
    Swap,
    /// The output folder cannot be renamed (a mount point): swap its entries instead.
    Into,
}

/// A site being written. Dropped without [`Staging::commit`], it removes what it wrote.
pub(crate) struct Staging {
    /// The site's folder, for paths in messages.
    root: PathBuf,
    /// The output folder, resolved.
    real: PathBuf,
    /// The temporary folder the site is written to.
    tmp: PathBuf,
    /// The name the previous site moves to during the swap.
    old: PathBuf,
    mode: Mode,
    committed: bool,
}

fn io_err(root: &Path, path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(display_path(root, path), format!("{what}: {e}"))
}

impl Staging {
    /// Check the output folder (resolved as the system will resolve it), remove what
    /// killed builds left, and start a temporary folder with the marker file in it.
    pub(crate) fn begin(guard: &Guard<'_>, out_dir: &Path) -> Result<Staging, Diagnostic> {
        let real = target::resolve(out_dir);
        target::check(guard, &real, out_dir)?;
        let mode = if real.is_dir() && target::is_mount_point(&real) {
            Mode::Into
        } else {
            Mode::Swap
        };
        Staging::start(guard.root.to_path_buf(), real, mode)
    }

    /// Start writing into a temporary folder for `real` (checked), swapped in by `mode`.
    fn start(root: PathBuf, real: PathBuf, mode: Mode) -> Result<Staging, Diagnostic> {
        let pid = std::process::id();
        let (tmp, old) = match mode {
            Mode::Swap => {
                let parent = real.parent().map(Path::to_path_buf).unwrap_or_default();
                std::fs::create_dir_all(&parent)
                    .map_err(|e| io_err(&root, &parent, "cannot create folder", e))?;
                let name = real
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "public".into());
                (
                    parent.join(format!(".{name}.guidegen-tmp-{pid}")),
                    parent.join(format!(".{name}.guidegen-old-{pid}")),
                )
            }
            Mode::Into => (
                real.join(format!(".guidegen-tmp-{pid}")),
                real.join(format!(".guidegen-old-{pid}")),
            ),
        };
        target::remove_leftovers(&real);
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp)
            .map_err(|e| io_err(&root, &tmp, "cannot create output folder", e))?;
        let s = Staging {
            root,
            real,
            tmp,
            old,
            mode,
            committed: false,
        };
        s.add(
            MARKER,
            b"Written by guidegen: `guidegen build` replaces this folder as a whole.\n",
        )?;
        Ok(s)
    }

    /// Where `rel` (`/`-separated, confined by the caller) goes in the temporary folder.
    fn dest(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let dest = self.tmp.join(rel);
        if let Some(p) = dest.parent() {
            std::fs::create_dir_all(p)
                .map_err(|e| io_err(&self.root, p, "cannot create folder", e))?;
        }
        Ok(dest)
    }

    /// Write `bytes` as `rel`. A file already there (a page that a static file
    /// replaces) is unlinked first, never written through.
    pub(crate) fn add(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.add_dated(rel, bytes, None)
    }

    /// [`Staging::add`], with the file's modification time set to `time`: a page the
    /// build cache already held keeps the time it was first written, so readers' caches
    /// revalidate unchanged pages to "not modified" across builds.
    pub(crate) fn add_dated(
        &self,
        rel: &str,
        bytes: &[u8],
        time: Option<std::time::SystemTime>,
    ) -> Result<(), Diagnostic> {
        let dest = self.dest(rel)?;
        let fresh = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&dest);
        let mut f = match fresh {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let _ = std::fs::remove_file(&dest);
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&dest)
                    .map_err(|e| io_err(&self.root, &dest, "cannot write", e))?
            }
            Err(e) => return Err(io_err(&self.root, &dest, "cannot write", e)),
        };
        std::io::Write::write_all(&mut f, bytes)
            .map_err(|e| io_err(&self.root, &dest, "cannot write", e))?;
        if let Some(t) = time {
            f.set_modified(t)
                .map_err(|e| io_err(&self.root, &dest, "cannot write", e))?;
        }
        Ok(())
    }

    /// `rel` as the previous output of this folder has it, if that is a regular file of
    /// `len` bytes that `whole` accepts (its hash is the one the build cache recorded):
    /// hard-linked into the new site, so an unchanged page costs a link, not a new file
    /// (creating a file costs more than writing it). The previous site and the new one
    /// share the file only until the swap removes the previous one; nothing else ever
    /// shares it. Whether it was linked.
    pub(crate) fn link_previous(&self, rel: &str, len: u64, whole: impl Fn(&[u8]) -> bool) -> bool {
        let prev = self.real.join(rel);
        let Some(mut f) = super::open_regular(&prev) else {
            return false;
        };
        if f.metadata().map(|m| m.len()).ok() != Some(len) {
            return false;
        }
        let mut b = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        if std::io::Read::read_to_end(&mut f, &mut b).is_err() || !whole(&b) {
            return false;
        }
        let Ok(dest) = self.dest(rel) else {
            return false;
        };
        let _ = std::fs::remove_file(&dest);
        std::fs::hard_link(&prev, &dest).is_ok()
    }

    /// Copy the file `from` as `rel` (unlinking a file already there, as `add` does).
    pub(crate) fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        let dest = self.dest(rel)?;
        let _ = std::fs::remove_file(&dest);
        std::fs::copy(from, &dest)
            .map(|_| ())
            .map_err(|e| io_err(&self.root, from, "cannot copy", e))
    }

    /// Put the finished site in place of the previous one.
    pub(crate) fn commit(mut self) -> Result<(), Diagnostic> {
        // Checked again just before anything is moved: the folder may have changed.
        if self.real.exists() && !(self.real.is_dir() && is_ours(&self.real)) {
            return Err(Diagnostic::error(
                display_path(&self.root, &self.real),
                format!("the output folder changed during the build and has no {MARKER} file"),
            )
            .with_help("nothing was replaced; build again"));
        }
        let r = match self.mode {
            Mode::Swap => self.swap(),
            Mode::Into => self.swap_entries(),
        };
        if r.is_ok() {
            self.committed = true;
        }
        r
    }

    fn swap(&self) -> Result<(), Diagnostic> {
        let had_old = self.real.exists();
        if had_old {
            std::fs::rename(&self.real, &self.old).map_err(|e| {
                io_err(
                    &self.root,
                    &self.real,
                    "cannot move the previous output aside",
                    e,
                )
            })?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.real) {
            if had_old {
                let _ = std::fs::rename(&self.old, &self.real);
            }
            return Err(io_err(
                &self.root,
                &self.real,
                "cannot move the new output into place",
                e,
            ));
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&self.old);
        }
        Ok(())
    }

    /// A mount point stays; its entries are swapped one by one (each rename atomic).
    fn swap_entries(&self) -> Result<(), Diagnostic> {
        let names = |dir: &Path| -> Vec<std::ffi::OsString> {
            std::fs::read_dir(dir)
                .map(|rd| rd.flatten().map(|e| e.file_name()).collect())
                .unwrap_or_default()
        };
        let ours = |n: &std::ffi::OsString| {
            let n = n.to_string_lossy();
            !n.starts_with(".guidegen-tmp-") && !n.starts_with(".guidegen-old-")
        };
        std::fs::create_dir_all(&self.old)
            .map_err(|e| io_err(&self.root, &self.old, "cannot create folder", e))?;
        for n in names(&self.real).into_iter().filter(ours) {
            std::fs::rename(self.real.join(&n), self.old.join(&n)).map_err(|e| {
                io_err(
                    &self.root,
                    &self.real.join(&n),
                    "cannot move the previous output aside",
                    e,
                )
            })?;
        }
        for n in names(&self.tmp) {
            std::fs::rename(self.tmp.join(&n), self.real.join(&n)).map_err(|e| {
                io_err(
                    &self.root,
                    &self.real.join(&n),
                    "cannot move the new output into place",
                    e,
                )
            })?;
        }
        let _ = std::fs::remove_dir_all(&self.old);
        let _ = std::fs::remove_dir_all(&self.tmp);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn a_folder_that_cannot_move_gets_its_entries_swapped() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("out");
        std::fs::create_dir_all(out.join("en")).unwrap();
        std::fs::write(out.join(MARKER), "m").unwrap();
        std::fs::write(out.join("en/old.html"), "old").unwrap();
        let inode = out.metadata().unwrap().ino();
        let s = Staging::start(t.path().to_path_buf(), out.clone(), Mode::Into).unwrap();
        s.add("en/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(
            out.metadata().unwrap().ino(),
            inode,
            "the folder itself stays"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("en/index.html")).unwrap(),
            "new"
        );
        assert!(!out.join("en/old.html").exists());
        assert!(out.join(MARKER).is_file());
        let rest: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(rest.len(), 2, "only the marker and en/: {rest:?}");
    }

    #[test]
    fn mount_points_are_recognised() {
        assert!(target::is_mount_point(Path::new("/proc")));
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir(t.path().join("sub")).unwrap();
        assert!(!target::is_mount_point(&t.path().join("sub")));
    }

    #[test]
    fn an_abandoned_staging_leaves_nothing() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("out");
        let s = Staging::start(t.path().to_path_buf(), out.clone(), Mode::Swap).unwrap();
        s.add("en/index.html", b"x").unwrap();
        drop(s);
        let left: Vec<_> = std::fs::read_dir(t.path()).unwrap().flatten().collect();
        assert!(left.is_empty(), "{left:?}");
        assert!(!out.exists());
    }
}
