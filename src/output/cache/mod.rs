//! The persistent cache of builds, in `.guidegen-cache/` of the site's folder: what a
//! later `guidegen build` can take instead of computing it again (docs/commands.md).
//!
//! Two kinds of entry, both checked on every read, so a truncated or altered file is
//! never used (it is ignored, computed again and rewritten):
//! - packs (`packs/<name>`): the files of the site (pages, sitemaps, the search index),
//!   the pages' search documents and highlighted code, appended to one file per build,
//!   each found by offset and length and checked by its hash ([`pack`]). One file
//!   instead of one per page: creating a file costs more than writing it (0.7 ms on
//!   the measuring machine's ext4), which made a file per page seconds of a 5,000-page
//!   build. The output gets its own copies, never links into the cache: an edit of one
//!   output folder must not change the cache or another output folder;
//! - records (`records/<kind>/<key>`): the index of what each page depends on, a
//!   checksum followed by the bytes.
//!
//! The store is trusted only where it was made and never followed through a link
//! ([`trust`]). Every write goes to a new temporary file renamed into place, so
//! concurrent builds and a build killed half-way leave whole entries or none, and the
//! temporary files of builds that are gone are removed. Packs no record points at are
//! removed after each build, and the live entries of old packs are copied into the new
//! one when there are more than [`pack::MAX_PACKS`], so the store stays near the size of
//! one build.

mod pack;
mod trust;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::diag::{Diagnostic, display_path};
pub(crate) use pack::{MAX_PACKS, Pack, parse_ref};
use trust::{Distrust, read_entry};

/// The cache folder, under the site's folder.
pub(crate) const CACHE_DIR: &str = ".guidegen-cache";
/// Bump when what is stored changes shape: older stores are removed.
const LAYOUT: &str = "v2";

/// The hash that checks entries.
pub(crate) fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A site's cache store.
pub(crate) struct Cache {
    root: PathBuf,
    /// The cache folder (`.guidegen-cache`).
    base: PathBuf,
    /// The store of this layout in it.
    dir: PathBuf,
    /// Whether the store may be written: made (or found trusted) before the first write.
    ready: OnceLock<bool>,
    /// A store found and trusted: entries may be read.
    readable: bool,
}

/// The help of every warning about the cache.
const OPTIONAL: &str = "the build cache is optional: `guidegen build --no-cache` does without it";

impl Cache {
    /// The store of the site at `root`. What is found there is checked first
    /// ([`trust`]): a store that cannot be trusted is not read, it is removed and made
    /// again, and the warning says why (once).
    pub(crate) fn open(root: &Path) -> (Cache, Option<Diagnostic>) {
        let base = root.join(CACHE_DIR);
        trust::collect_made(&base);
        let mut c = Cache {
            root: root.to_path_buf(),
            dir: base.join(LAYOUT),
            base,
            ready: OnceLock::new(),
            readable: false,
        };
        // The cache root is confined like every author path (util::confine), and then
        // held to the stricter rules of `trust`.
        let confined = crate::util::confine::Jail::new(root)
            .check(CACHE_DIR)
            .map_err(|_| Distrust::Link(c.base.clone()));
        let warning = match confined.and_then(|_| trust::inspect(&c.base, LAYOUT)) {
            Ok(found) => {
                c.readable = found;
                None
            }
            Err(why) => Some(c.reset(&why)),
        };
        (c, warning)
    }

    /// The store of the site at `root` for reading only (`check` reads the results of
    /// `guidegen test` there): `None` when there is none or it cannot be trusted, which
    /// is left as it is (the next build or `guidegen test` says why and makes it again).
    pub(crate) fn open_read(root: &Path) -> Option<Cache> {
        let base = root.join(CACHE_DIR);
        crate::util::confine::Jail::new(root)
            .check(CACHE_DIR)
            .ok()?;
        let found = trust::inspect(&base, LAYOUT).ok()?;
        let c = Cache {
            root: root.to_path_buf(),
            dir: base.join(LAYOUT),
            base,
            ready: OnceLock::new(),
            readable: found,
        };
        // Never written through: a reader only.
        let _ = c.ready.set(false);
        found.then_some(c)
    }

    /// Remove an untrusted store; the warning.
    fn reset(&self, why: &Distrust) -> Diagnostic {
        let shown = display_path(&self.root, &self.base);
        let mut d = Diagnostic::warning(shown, trust::Distrust::describe(why, &self.root));
        match trust::remove(&self.base) {
            Ok(()) => {
                d.message
                    .push_str(": it was not used, and was removed and made again");
                d.with_help(format!(
                    "keep {CACHE_DIR}/ out of the repository (add it to .gitignore, as `guidegen init` does); guidegen makes it again on every machine"
                ))
            }
            Err(e) => {
                // Never written through: this build does without the cache.
                let _ = self.ready.set(false);
                d.message
                    .push_str(&format!(": it was not used, and cannot be removed ({e})"));
                d.with_help(format!("remove {CACHE_DIR}/ by hand; {OPTIONAL}"))
            }
        }
    }

    /// Make the store before its first write, if it is not there; whether it may be
    /// written.
    fn ready(&self) -> bool {
        *self
            .ready
            .get_or_init(|| self.readable || trust::make(&self.base).is_ok())
    }

    /// May entries be read: a store found and trusted, or made by this build.
    fn readable(&self) -> bool {
        self.readable || self.ready.get() == Some(&true)
    }

    fn refused(&self) -> Diagnostic {
        Diagnostic::error(
            display_path(&self.root, &self.base),
            "cannot make the build cache folder",
        )
        .with_help(OPTIONAL)
    }

    fn record_path(&self, kind: &str, key: u128) -> PathBuf {
        self.dir
            .join("records")
            .join(kind)
            .join(format!("{key:032x}"))
    }

    /// Record `key` of `kind`, if it is there and whole.
    pub(crate) fn get(&self, kind: &str, key: u128) -> Option<Vec<u8>> {
        if !self.readable() {
            return None;
        }
        let b = read_entry(&self.record_path(kind, key))?;
        let (head, body) = b.split_at_checked(16)?;
        let sum = u128::from_le_bytes(head.try_into().ok()?);
        (hash(body) == sum).then(|| body.to_vec())
    }

    /// Store record `key` of `kind`.
    pub(crate) fn put(&self, kind: &str, key: u128, body: &[u8]) -> Result<(), Diagnostic> {
        let mut b = Vec::with_capacity(body.len() + 16);
        b.extend_from_slice(&hash(body).to_le_bytes());
        b.extend_from_slice(body);
        self.write_atomic(&self.record_path(kind, key), &b)
    }

    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        if !self.ready() {
            return Err(self.refused());
        }
        let err = |what: &str, p: &Path, e: std::io::Error| {
            Diagnostic::error(display_path(&self.root, p), format!("{what}: {e}"))
                .with_help(OPTIONAL)
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| err("cannot create the cache folder", parent, e))?;
        }
        let tmp = trust::temporary(path);
        trust::write_new(&tmp, bytes).map_err(|e| err("cannot write to the cache", &tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            err("cannot write to the cache", path, e)
        })
    }

    /// Remove the temporary files of builds that are gone, and what older layouts of the
    /// store left.
    pub(crate) fn collect(&self) {
        for (path, _) in entries(&self.dir.join("records"), 2) {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if trust::dead_temporary(&name) {
                let _ = std::fs::remove_file(&path);
            }
        }
        let Ok(rd) = std::fs::read_dir(&self.base) else {
            return;
        };
        for e in rd.flatten() {
            let name = e.file_name();
            if name != LAYOUT && name != trust::OWNER {
                let _ = trust::remove(&e.path());
            }
        }
    }
}

/// The entries `depth` levels under `dir`, with their sizes; no link is followed (a
/// link is an entry of its own, removed as itself).
fn entries(dir: &Path, depth: usize) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let Ok(t) = e.file_type() else { continue };
        if depth > 1 {
            if t.is_dir() {
                out.extend(entries(&e.path(), depth - 1));
            }
        } else {
            let len = e.metadata().map_or(0, |m| m.len());
            out.push((e.path(), len));
        }
    }
    out
}

/// Remove the cache of the site at `root`; whether there was one. A link there is
/// removed itself, never followed.
pub(crate) fn clean(root: &Path) -> Result<bool, Diagnostic> {
    let dir = root.join(CACHE_DIR);
    if dir.symlink_metadata().is_err() {
        return Ok(false);
    }
    trust::remove(&dir).map_err(|e| {
        Diagnostic::error(
            display_path(root, &dir),
            format!("cannot remove the cache: {e}"),
        )
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(root: &Path) -> Cache {
        let (c, warning) = Cache::open(root);
        assert!(warning.is_none(), "{warning:?}");
        c
    }

    #[test]
    fn records_are_checked_on_read() {
        let t = tempfile::tempdir().unwrap();
        let c = open(t.path());
        c.put("highlight", 7, b"<span>x</span>").unwrap();
        let c = open(t.path());
        assert_eq!(
            c.get("highlight", 7).as_deref(),
            Some(&b"<span>x</span>"[..])
        );
        // Truncated or altered: not used.
        let rec = c.record_path("highlight", 7);
        let mut b = std::fs::read(&rec).unwrap();
        b.truncate(b.len() - 3);
        std::fs::write(&rec, b).unwrap();
        assert_eq!(c.get("highlight", 7), None);
        // A link with the right bytes is not a record.
        c.put("highlight", 8, b"y").unwrap();
        let outside = t.path().join("outside");
        std::fs::copy(c.record_path("highlight", 8), &outside).unwrap();
        std::fs::remove_file(c.record_path("highlight", 8)).unwrap();
        std::os::unix::fs::symlink(&outside, c.record_path("highlight", 8)).unwrap();
        assert_eq!(c.get("highlight", 8), None);
        assert!(clean(t.path()).unwrap());
        assert!(!t.path().join(CACHE_DIR).exists());
        assert!(outside.exists(), "clean removes a link, not its target");
    }

    #[test]
    fn temporary_files_of_gone_builds_are_collected() {
        let t = tempfile::tempdir().unwrap();
        let c = open(t.path());
        c.put("x", 1, b"one").unwrap();
        let dead = c.record_path("x", 2).with_file_name("00.tmp-4000000-0");
        std::fs::write(&dead, b"half").unwrap();
        let live = trust::temporary(&c.record_path("x", 3));
        std::fs::write(&live, b"being written").unwrap();
        c.collect();
        assert!(!dead.exists());
        assert!(live.exists(), "a running build's file stays");
        assert_eq!(c.get("x", 1).as_deref(), Some(&b"one"[..]));
    }

    #[test]
    fn an_untrusted_store_is_removed_with_one_warning() {
        let t = tempfile::tempdir().unwrap();
        let victim = t.path().join("victim");
        std::fs::create_dir_all(&victim).unwrap();
        std::fs::write(victim.join("notes.txt"), "mine").unwrap();
        let site = t.path().join("site");
        std::fs::create_dir_all(site.join(CACHE_DIR)).unwrap();
        std::os::unix::fs::symlink(&victim, site.join(CACHE_DIR).join(LAYOUT)).unwrap();
        let (c, warning) = Cache::open(&site);
        let w = warning.expect("a warning");
        assert!(
            w.message.contains("not made in this folder"),
            "{}",
            w.message
        );
        assert!(!c.readable());
        c.put("x", 1, b"new").unwrap();
        assert!(victim.join("notes.txt").exists());
        assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 1);
        let (c, warning) = Cache::open(&site);
        assert!(warning.is_none());
        assert_eq!(c.get("x", 1).as_deref(), Some(&b"new"[..]));
    }
}
