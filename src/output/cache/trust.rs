//! Whether the cache folder found in a site may be used: the store is guidegen's own,
//! never the repository's. A guides repository takes pull requests, git stores symbolic
//! links, and a committed `.guidegen-cache/` arrives with every clone, so nothing found
//! there is believed:
//!
//! - the store is used only in the folder it was made in: its `OWNER` file holds the
//!   identity of the cache folder (device, inode, birth time, user), which a clone or a
//!   copy cannot have;
//! - its folders must be real folders (checked when the store is opened, one level of
//!   blob and record folders included), and every entry is opened without following a
//!   link and without blocking (a FIFO), and used only when it is a regular file.
//!
//! A store that fails either check is removed (a link itself, never what it points to)
//! and made again, and the build says so once. Temporary files and folders of builds
//! that are gone are removed here too.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::super::open_regular;

/// The file in the cache folder that says where the store was made.
pub(super) const OWNER: &str = "OWNER";

/// Why a store found on disk is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Distrust {
    /// This entry is a symbolic link (never followed).
    Link(PathBuf),
    /// This entry is not a regular folder or file where one is expected.
    Kind(PathBuf),
    /// The store was not made in this folder (committed, cloned or copied).
    Foreign,
}

impl Distrust {
    /// The reason, for the warning (paths relative to the site's folder).
    pub(super) fn describe(&self, root: &Path) -> String {
        let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
        match self {
            Distrust::Link(p) => format!(
                "{} is a symbolic link; guidegen never follows links in its build cache",
                shown(p)
            ),
            Distrust::Kind(p) => format!(
                "{} is not a plain file or folder (a FIFO, a device, or a file where a folder belongs)",
                shown(p)
            ),
            Distrust::Foreign => "the build cache was not made in this folder (it was committed to the repository, or copied from elsewhere)".into(),
        }
    }
}

/// Who made a store: the cache folder's device, inode, birth time and owner. A folder
/// made by `git clone`, `cp` or an archive has another.
pub(super) fn identity(meta: &Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let born = meta
            .created()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        format!(
            "guidegen build cache\n{:x}:{:x}:{:x}:{}\n",
            meta.dev(),
            meta.ino(),
            born,
            meta.uid()
        )
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        "guidegen build cache\n".to_string()
    }
}

/// Open an entry of the store for reading (see [`open_regular`]).
pub(super) fn open_entry(path: &Path) -> Option<File> {
    open_regular(path)
}

/// The bytes of entry `path` (see [`open_regular`]).
pub(super) fn read_entry(path: &Path) -> Option<Vec<u8>> {
    let mut f = open_entry(path)?;
    let mut b = Vec::new();
    f.read_to_end(&mut b).ok()?;
    Some(b)
}

/// Check the store at `base` (the cache folder): `Ok(false)` when there is none yet,
/// `Ok(true)` when it may be used.
pub(super) fn inspect(base: &Path, layout: &str) -> Result<bool, Distrust> {
    let meta = match base.symlink_metadata() {
        Ok(m) => m,
        Err(_) => return Ok(false),
    };
    kind_of(base, &meta, true)?;
    let owner = read_entry(&base.join(OWNER)).ok_or(Distrust::Foreign)?;
    if owner != identity(&meta).as_bytes() {
        return Err(Distrust::Foreign);
    }
    // Every folder of the store is a real folder: the layout, its kinds of entry, and
    // the folders records are sorted into. Packs are files.
    let dir = base.join(layout);
    for (sub, children_are_folders) in [("", true), ("records", true)] {
        let d = if sub.is_empty() {
            dir.clone()
        } else {
            dir.join(sub)
        };
        folder(&d)?;
        if children_are_folders {
            children(&d, true)?;
        }
    }
    folder(&dir.join("packs"))?;
    children(&dir.join("packs"), false)?;
    Ok(true)
}

/// `path` is a real folder, or is not there.
fn folder(path: &Path) -> Result<(), Distrust> {
    match path.symlink_metadata() {
        Ok(m) => kind_of(path, &m, true),
        Err(_) => Ok(()),
    }
}

/// Every entry of folder `dir` is a real folder (`folders`) or a regular file.
fn children(dir: &Path, folders: bool) -> Result<(), Distrust> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in rd.flatten() {
        let t = e.file_type().map_err(|_| Distrust::Kind(e.path()))?;
        if t.is_symlink() {
            return Err(Distrust::Link(e.path()));
        }
        if (folders && !t.is_dir()) || (!folders && !t.is_file()) {
            return Err(Distrust::Kind(e.path()));
        }
    }
    Ok(())
}

fn kind_of(path: &Path, meta: &Metadata, dir: bool) -> Result<(), Distrust> {
    let t = meta.file_type();
    if t.is_symlink() {
        Err(Distrust::Link(path.to_path_buf()))
    } else if (dir && !t.is_dir()) || (!dir && !t.is_file()) {
        Err(Distrust::Kind(path.to_path_buf()))
    } else {
        Ok(())
    }
}

/// Remove whatever is at `base`: a folder with everything in it (links inside are
/// removed, never followed), or a link or file itself.
pub(super) fn remove(base: &Path) -> std::io::Result<()> {
    match base.symlink_metadata() {
        Ok(m) if m.file_type().is_dir() => std::fs::remove_dir_all(base),
        Ok(_) => std::fs::remove_file(base),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// A temporary name for `path`, unique to this process and call.
pub(super) fn temporary(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}-{n}", std::process::id()));
    path.with_file_name(name)
}

/// Is `name` a temporary name (see [`temporary`]) of a process that is gone?
pub(super) fn dead_temporary(name: &str) -> bool {
    let Some((_, rest)) = name.rsplit_once(".tmp-") else {
        return false;
    };
    rest.split('-')
        .next()
        .and_then(|p| p.parse::<u32>().ok())
        .is_some_and(|pid| !super::super::target::alive(pid))
}

/// Write a new file at `path`: never through a link or over an entry already there
/// (the name is new); removed again if it cannot be written whole.
pub(super) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let r = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes));
    if r.is_err() {
        let _ = std::fs::remove_file(path);
    }
    r
}

/// Make a new store at `base`: a temporary folder with its [`OWNER`] file, renamed into
/// place (so another build sees a whole store or none). Another build may have made it
/// first: then that one is used.
pub(super) fn make(base: &Path) -> std::io::Result<()> {
    let tmp = temporary(base);
    std::fs::create_dir(&tmp)?;
    let made = tmp
        .symlink_metadata()
        .and_then(|m| write_new(&tmp.join(OWNER), identity(&m).as_bytes()))
        .and_then(|()| std::fs::rename(&tmp, base));
    if made.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    match made {
        Err(_) if base.symlink_metadata().is_ok_and(|m| m.is_dir()) => Ok(()),
        r => r,
    }
}

/// Remove the temporary stores of builds that are gone, beside `base`.
pub(super) fn collect_made(base: &Path) {
    let (Some(parent), Some(name)) = (base.parent(), base.file_name()) else {
        return;
    };
    let prefix = format!("{}.tmp-", name.to_string_lossy());
    let Ok(rd) = std::fs::read_dir(parent) else {
        return;
    };
    for e in rd.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&prefix) && dead_temporary(&n) {
            let _ = remove(&e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_is_trusted_only_where_it_was_made() {
        let t = tempfile::tempdir().unwrap();
        let base = t.path().join(".guidegen-cache");
        assert_eq!(inspect(&base, "v1"), Ok(false));
        make(&base).unwrap();
        assert_eq!(inspect(&base, "v1"), Ok(true));
        // A copy (or a clone) has the same files and another identity.
        let copy = t.path().join("copy");
        std::fs::create_dir(&copy).unwrap();
        std::fs::copy(base.join(OWNER), copy.join(OWNER)).unwrap();
        assert_eq!(inspect(&copy, "v1"), Err(Distrust::Foreign));
    }

    #[test]
    fn links_and_fifos_are_never_followed_or_waited_on() {
        let t = tempfile::tempdir().unwrap();
        let base = t.path().join(".guidegen-cache");
        make(&base).unwrap();
        std::fs::create_dir_all(base.join("v1/records")).unwrap();
        std::os::unix::fs::symlink("/etc", base.join("v1/records/ab")).unwrap();
        assert_eq!(
            inspect(&base, "v1"),
            Err(Distrust::Link(base.join("v1/records/ab")))
        );
        remove(&base).unwrap();
        assert!(std::path::Path::new("/etc/passwd").exists());
        let fifo = t.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads the NUL-terminated path it is given.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert_eq!(read_entry(&fifo), None, "a FIFO is refused, not waited on");
        std::os::unix::fs::symlink("/etc/hostname", t.path().join("link")).unwrap();
        assert_eq!(read_entry(&t.path().join("link")), None);
    }

    #[test]
    fn temporary_names_of_gone_processes_are_recognised() {
        let p = temporary(Path::new("/x/abc"));
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("abc.tmp-"));
        assert!(!dead_temporary(&name), "this process is alive");
        assert!(dead_temporary("abc.tmp-4000000-3"));
        assert!(!dead_temporary("abc"));
    }
}
