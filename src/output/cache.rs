//! The persistent cache of builds, in `.guidegen-cache/` of the site's folder: what a
//! later `guidegen build` can take instead of computing it again (docs/commands.md).
//!
//! Two kinds of entry, both checked on every read, so a truncated or altered file is
//! never used (it is ignored, computed again and rewritten):
//! - blobs (`blobs/ab/cdef…`): files of the site (pages, sitemaps, the search index),
//!   named by the hash of their bytes; the output folder gets hard links to them, so an
//!   unchanged page costs a link, not a write;
//! - records (`records/<kind>/<key>`): anything else (highlighted code, what a page
//!   depends on), a checksum followed by the bytes;
//! - packs (`packs/<name>`): many small entries appended to one file per build (the
//!   pages' search documents), each found by offset and length and checked by its hash.
//!   One file instead of thousands: creating a file per page cost a cold build of 5,000
//!   pages seconds of system time.
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

/// Where a packed entry is: its pack, offset, length and hash, as one string
/// (`name:offset:len:hash`) for the records that point at it.
pub(crate) fn pack_ref(name: &str, offset: u64, len: usize, h: u128) -> String {
    format!("{name}:{offset}:{len}:{h:032x}")
}

/// Entries appended to one pack file during a build (see the module's docs). It is
/// written under a temporary name and takes its own when the build finishes.
pub(crate) struct Pack {
    name: String,
    tmp: PathBuf,
    dest: PathBuf,
    out: std::sync::Mutex<Option<(std::io::BufWriter<std::fs::File>, u64)>>,
}

impl Pack {
    /// Append `bytes`; the reference to it. Errors only when the pack cannot be written.
    pub(crate) fn append(&self, root: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
        use std::io::Write;
        let err = |e: std::io::Error| {
            Diagnostic::error(
                display_path(root, &self.tmp),
                format!("cannot write to the cache: {e}"),
            )
            .with_help("the build cache is optional: `guidegen build --no-cache` does without it")
        };
        let mut out = self
            .out
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if out.is_none() {
            if let Some(parent) = self.tmp.parent() {
                std::fs::create_dir_all(parent).map_err(err)?;
            }
            let f = std::fs::File::create(&self.tmp).map_err(err)?;
            *out = Some((std::io::BufWriter::with_capacity(1 << 20, f), 0));
        }
        let Some((w, at)) = out.as_mut() else {
            return Err(err(std::io::Error::other("pack closed")));
        };
        w.write_all(bytes).map_err(err)?;
        let r = pack_ref(&self.name, *at, bytes.len(), hash(bytes));
        *at += bytes.len() as u64;
        Ok(r)
    }

    /// Flush the pack and give it its name (nothing when nothing was appended).
    pub(crate) fn finish(self) -> bool {
        use std::io::Write;
        let out = self
            .out
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some((mut w, _)) = out else {
            return true;
        };
        w.flush().is_ok() && std::fs::rename(&self.tmp, &self.dest).is_ok()
    }
}

impl Cache {
    /// A new pack for this build.
    pub(crate) fn pack(&self) -> Pack {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("{nanos:x}-{}", std::process::id());
        let dir = self.dir.join("packs");
        Pack {
            tmp: dir.join(format!("tmp-{name}")),
            dest: dir.join(&name),
            name,
            out: std::sync::Mutex::new(None),
        }
    }

    /// Is the pack of reference `r` there? (Its entry is checked when read.)
    pub(crate) fn has_pack(&self, r: &str) -> bool {
        r.split(':')
            .next()
            .is_some_and(|n| !n.is_empty() && self.dir.join("packs").join(n).is_file())
    }

    /// The entry `r` (from [`Pack::append`]), if its pack holds it whole.
    pub(crate) fn read_packed(&self, r: &str) -> Option<Vec<u8>> {
        use std::io::{Seek, SeekFrom};
        let mut parts = r.split(':');
        let (name, offset, len, h) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let (offset, len) = (offset.parse::<u64>().ok()?, len.parse::<usize>().ok()?);
        let h = u128::from_str_radix(h, 16).ok()?;
        let mut f = std::fs::File::open(self.dir.join("packs").join(name)).ok()?;
        f.seek(SeekFrom::Start(offset)).ok()?;
        let mut b = vec![0; len];
        f.read_exact(&mut b).ok()?;
        (hash(&b) == h).then_some(b)
    }

    /// Remove the packs no record points at (`live`: their names), and temporary packs
    /// of builds that are gone.
    pub(crate) fn collect_packs(&self, live: &HashSet<String>) {
        let Ok(rd) = std::fs::read_dir(self.dir.join("packs")) else {
            return;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let dead = match name.strip_prefix("tmp-") {
                Some(t) => t
                    .rsplit('-')
                    .next()
                    .and_then(|p| p.parse::<u32>().ok())
                    .is_some_and(|pid| !super::target::alive(pid)),
                None => !live.contains(&name),
            };
            if dead {
                let _ = std::fs::remove_file(e.path());
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
        let page = t.path().join("page.html");
        std::fs::write(&page, b"<html>page</html>").unwrap();
        let h = c.adopt_blob(b"<html>page</html>", &page).unwrap();
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
        let again = t.path().join("again.html");
        std::fs::write(&again, b"<html>page</html>").unwrap();
        assert_eq!(c.adopt_blob(b"<html>page</html>", &again).unwrap(), h);
        assert!(c.has_blob(h));
        assert!(clean(t.path()).unwrap());
        assert!(!t.path().join(CACHE_DIR).exists());
    }

    #[test]
    fn packed_entries_are_found_checked_and_collected() {
        let t = tempfile::tempdir().unwrap();
        let c = Cache::open(t.path());
        let pack = c.pack();
        let a = pack.append(t.path(), b"first document").unwrap();
        let b = pack.append(t.path(), b"second").unwrap();
        assert!(!c.has_pack(&a), "not there before the build finishes");
        assert!(pack.finish());
        assert!(c.has_pack(&a));
        assert_eq!(c.read_packed(&a).as_deref(), Some(&b"first document"[..]));
        assert_eq!(c.read_packed(&b).as_deref(), Some(&b"second"[..]));
        // A damaged pack: the entry is refused, never served.
        let name = a.split(':').next().unwrap().to_string();
        let path = t
            .path()
            .join(CACHE_DIR)
            .join(LAYOUT)
            .join("packs")
            .join(&name);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[0] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(c.read_packed(&a), None);
        assert_eq!(c.read_packed("nonsense"), None);
        // Packs nothing points at go.
        c.collect_packs(&HashSet::from([name.clone()]));
        assert!(path.exists());
        c.collect_packs(&HashSet::new());
        assert!(!path.exists());
    }
}
