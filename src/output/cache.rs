//! The persistent cache of builds, in `.guidegen-cache/` of the site's folder: what a
//! later `guidegen build` can take instead of computing it again (docs/commands.md).
//!
//! Two kinds of entry, both checked on every read, so a truncated or altered file is
//! never used (it is ignored, computed again and rewritten):
//! - blobs (`blobs/ab/cdef…`): files of the site (pages, sitemaps, the search index),
//!   named by the hash of their bytes; the output folder gets hard links to them, so an
//!   unchanged page costs a link, not a write;
//! - records (`records/<kind>/<key>`): anything else (highlighted code, what a page
//!   depends on), a checksum followed by the bytes.
//!
//! Every write goes to a temporary file renamed into place, so concurrent builds and a
//! build killed half-way leave whole entries or none. The store is bounded: after a
//! build, blobs that build did not use are removed when it holds more than
//! [`KEEP_BYTES`].

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, display_path};

/// The cache folder, under the site's folder.
pub(crate) const CACHE_DIR: &str = ".guidegen-cache";
/// Bump when what is stored changes shape: older stores are ignored.
const LAYOUT: &str = "v1";
/// Unused blobs are removed once the store holds more than this.
const KEEP_BYTES: u64 = 256 << 20;

/// The hash that names blobs and checks records.
pub(crate) fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A site's cache store.
pub(crate) struct Cache {
    root: PathBuf,
    dir: PathBuf,
}

impl Cache {
    /// The store of the site at `root` (created when first written).
    pub(crate) fn open(root: &Path) -> Cache {
        Cache {
            root: root.to_path_buf(),
            dir: root.join(CACHE_DIR).join(LAYOUT),
        }
    }

    /// Where blob `h` is.
    pub(crate) fn blob_path(&self, h: u128) -> PathBuf {
        let name = format!("{h:032x}");
        self.dir.join("blobs").join(&name[..2]).join(&name[2..])
    }

    /// Is blob `h` there, whole? (Its bytes are read and hashed.)
    pub(crate) fn has_blob(&self, h: u128) -> bool {
        read(&self.blob_path(h)).is_some_and(|b| hash(&b) == h)
    }

    /// Store `bytes` as a blob (unless it is there already); its name.
    pub(crate) fn put_blob(&self, bytes: &[u8]) -> Result<u128, Diagnostic> {
        let h = hash(bytes);
        let path = self.blob_path(h);
        if std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64) && self.has_blob(h)
        {
            return Ok(h);
        }
        self.write_atomic(&path, bytes)?;
        Ok(h)
    }

    /// Store the file `from` (whose bytes are `bytes`, just written by this build) as
    /// a blob by linking it, not writing it again; its name.
    pub(crate) fn adopt_blob(&self, bytes: &[u8], from: &Path) -> Result<u128, Diagnostic> {
        let h = hash(bytes);
        let path = self.blob_path(h);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        match std::fs::hard_link(from, &path) {
            Ok(()) => return Ok(h),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if self.has_blob(h) {
                    return Ok(h);
                }
                // A damaged blob in the way: replaced by the new file.
                let _ = std::fs::remove_file(&path);
                if std::fs::hard_link(from, &path).is_ok() {
                    return Ok(h);
                }
            }
            Err(_) => {}
        }
        // Another filesystem: the bytes written whole.
        self.write_atomic(&path, bytes)?;
        Ok(h)
    }

    fn record_path(&self, kind: &str, key: u128) -> PathBuf {
        self.dir
            .join("records")
            .join(kind)
            .join(format!("{key:032x}"))
    }

    /// Record `key` of `kind`, if it is there and whole.
    pub(crate) fn get(&self, kind: &str, key: u128) -> Option<Vec<u8>> {
        let b = read(&self.record_path(kind, key))?;
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
        let err = |what: &str, p: &Path, e: std::io::Error| {
            Diagnostic::error(display_path(&self.root, p), format!("{what}: {e}")).with_help(
                "the build cache is optional: `guidegen build --no-cache` does without it",
            )
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| err("cannot create the cache folder", parent, e))?;
        }
        let tmp = path.with_extension(format!(
            "tmp-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&tmp, bytes).map_err(|e| err("cannot write to the cache", &tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            err("cannot write to the cache", path, e)
        })
    }

    /// Keep the store bounded: past [`KEEP_BYTES`], remove the blobs not in `used`, and
    /// records of `kind`s not written for a while are left to `guidegen clean`.
    pub(crate) fn collect(&self, used: &HashSet<u128>) {
        let blobs = self.dir.join("blobs");
        let mut all = Vec::new();
        let mut total = 0;
        for e in walkdir::WalkDir::new(&blobs)
            .min_depth(2)
            .max_depth(2)
            .into_iter()
            .flatten()
        {
            let len = e.metadata().map(|m| m.len()).unwrap_or(0);
            total += len;
            all.push(e.into_path());
        }
        if total <= KEEP_BYTES {
            return;
        }
        for p in all {
            let name: String = p
                .components()
                .rev()
                .take(2)
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let keep = u128::from_str_radix(&name, 16).is_ok_and(|h| used.contains(&h));
            if !keep {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
}

/// Remove the cache of the site at `root`; whether there was one.
pub(crate) fn clean(root: &Path) -> Result<bool, Diagnostic> {
    let dir = root.join(CACHE_DIR);
    if !dir.exists() {
        return Ok(false);
    }
    std::fs::remove_dir_all(&dir).map_err(|e| {
        Diagnostic::error(
            display_path(root, &dir),
            format!("cannot remove the cache: {e}"),
        )
    })?;
    Ok(true)
}

fn read(path: &Path) -> Option<Vec<u8>> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut b = Vec::new();
    f.read_to_end(&mut b).ok()?;
    Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_checked_on_read() {
        let t = tempfile::tempdir().unwrap();
        let c = Cache::open(t.path());
        let h = c.put_blob(b"<html>page</html>").unwrap();
        assert!(c.has_blob(h));
        c.put("highlight", 7, b"<span>x</span>").unwrap();
        assert_eq!(
            c.get("highlight", 7).as_deref(),
            Some(&b"<span>x</span>"[..])
        );
        // Truncated or altered: not used.
        std::fs::write(c.blob_path(h), b"<html>pa").unwrap();
        assert!(!c.has_blob(h));
        let rec = c.record_path("highlight", 7);
        let mut b = std::fs::read(&rec).unwrap();
        b.truncate(b.len() - 3);
        std::fs::write(&rec, b).unwrap();
        assert_eq!(c.get("highlight", 7), None);
        // Rewritten whole.
        assert_eq!(c.put_blob(b"<html>page</html>").unwrap(), h);
        assert!(c.has_blob(h));
        assert!(clean(t.path()).unwrap());
        assert!(!t.path().join(CACHE_DIR).exists());
    }
}
