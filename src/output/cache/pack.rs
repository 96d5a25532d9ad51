//! Packs: many small entries appended to one file per build (the pages' search
//! documents, highlighted code), each found by offset and length and checked by its
//! hash. Written under a temporary name, named when the build finishes.

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{Cache, OPTIONAL, hash, trust};
use crate::diag::{Diagnostic, display_path};

/// Packs a store keeps before the live entries of the older ones are copied into the
/// newest (so the store stays near the size of one build).
pub(crate) const MAX_PACKS: usize = 8;

/// Where a packed entry is: its pack, offset, length and hash, as one string
/// (`name:offset:len:hash`) for the records that point at it.
fn pack_ref(name: &str, offset: u64, len: usize, h: u128) -> String {
    format!("{name}:{offset}:{len}:{h:032x}")
}

/// The parts of a reference made by [`Pack::append`]: pack name, offset, length, hash.
pub(crate) fn parse_ref(r: &str) -> Option<(&str, u64, usize, u128)> {
    let mut parts = r.split(':');
    let (name, offset, len, h) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if name.is_empty() || name.contains('/') || parts.next().is_some() {
        return None;
    }
    Some((
        name,
        offset.parse().ok()?,
        len.parse().ok()?,
        u128::from_str_radix(h, 16).ok()?,
    ))
}

/// Entries appended to one pack file during a build (see the module's docs).
pub(crate) struct Pack {
    name: String,
    tmp: PathBuf,
    dest: PathBuf,
    out: std::sync::Mutex<Option<(std::io::BufWriter<std::fs::File>, u64)>>,
    /// False when the store may not be written (the pack is never opened).
    writable: bool,
}

impl Pack {
    /// This pack's name (the first part of its references).
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Append `bytes`; the reference to it. Errors only when the pack cannot be written.
    pub(crate) fn append(&self, root: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
        let err = |e: std::io::Error| {
            Diagnostic::error(
                display_path(root, &self.tmp),
                format!("cannot write to the cache: {e}"),
            )
            .with_help(OPTIONAL)
        };
        if !self.writable {
            return Err(err(std::io::Error::other(
                "the cache folder cannot be made",
            )));
        }
        let mut out = self
            .out
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if out.is_none() {
            if let Some(parent) = self.tmp.parent() {
                std::fs::create_dir_all(parent).map_err(err)?;
            }
            let f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&self.tmp)
                .map_err(err)?;
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

    /// Flush the pack and give it its name (nothing when nothing was appended). A pack
    /// that cannot be finished is removed.
    pub(crate) fn finish(self) -> bool {
        let out = self
            .out
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some((mut w, _)) = out else {
            return true;
        };
        let done = w.flush().is_ok() && std::fs::rename(&self.tmp, &self.dest).is_ok();
        if !done {
            let _ = std::fs::remove_file(&self.tmp);
        }
        done
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
            writable: self.ready(),
        }
    }

    /// Is the pack of reference `r` there, a regular file? (Its entry is checked when
    /// read.)
    pub(crate) fn has_pack(&self, r: &str) -> bool {
        self.readable()
            && parse_ref(r).is_some_and(|(n, ..)| {
                self.dir
                    .join("packs")
                    .join(n)
                    .symlink_metadata()
                    .is_ok_and(|m| m.is_file())
            })
    }

    /// The entry `r` (from [`Pack::append`]), if its pack holds it whole.
    pub(crate) fn read_packed(&self, r: &str) -> Option<Vec<u8>> {
        if !self.readable() {
            return None;
        }
        let (name, offset, len, h) = parse_ref(r)?;
        let mut f = trust::open_entry(&self.dir.join("packs").join(name))?;
        if offset.checked_add(len as u64)? > f.metadata().ok()?.len() {
            return None;
        }
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
                    .is_some_and(|pid| !super::super::target::alive(pid)),
                None => !live.contains(&name),
            };
            if dead {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{CACHE_DIR, LAYOUT};
    use super::*;

    #[test]
    fn packed_entries_are_found_checked_and_collected() {
        let t = tempfile::tempdir().unwrap();
        let (c, _) = Cache::open(t.path());
        let pack = c.pack();
        let a = pack.append(t.path(), b"first document").unwrap();
        let b = pack.append(t.path(), b"second").unwrap();
        assert!(pack.finish());
        let (c, _) = Cache::open(t.path());
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
        assert_eq!(c.read_packed("../../../etc/passwd:0:4:0"), None);
        // Packs nothing points at go.
        c.collect_packs(&HashSet::from([name.clone()]));
        assert!(path.exists());
        c.collect_packs(&HashSet::new());
        assert!(!path.exists());
    }
}
