//! A scratch file for what a build makes early and needs again only at its end: the
//! text the search index shows for each section is made as each page is rendered and
//! read back when the index is written. Held in memory it was a third of a big build's
//! peak (20,000 pages: 490 of 911 MB went to search documents); here memory keeps an
//! offset and a length per page.
//!
//! The file is anonymous (unlinked as soon as it is made, in the system's temporary
//! folder), so it disappears with the process whatever happens, and never lands in the
//! output or the sources.

use std::sync::atomic::{AtomicU64, Ordering};

/// An append-only scratch file; pieces are written and read from any thread.
#[derive(Debug)]
pub(crate) struct Spill {
    file: std::fs::File,
    end: AtomicU64,
}

impl Spill {
    /// A new, empty scratch file.
    pub(crate) fn new() -> std::io::Result<Spill> {
        Ok(Spill {
            file: tempfile::tempfile()?,
            end: AtomicU64::new(0),
        })
    }

    /// Store `bytes`; where they start.
    pub(crate) fn put(&self, bytes: &[u8]) -> std::io::Result<u64> {
        let at = self.end.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        write_at(&self.file, bytes, at)?;
        Ok(at)
    }

    /// The `len` bytes stored at `at`.
    pub(crate) fn get(&self, at: u64, len: usize) -> std::io::Result<Vec<u8>> {
        let mut buf = vec![0; len];
        read_at(&self.file, &mut buf, at)?;
        Ok(buf)
    }
}

#[cfg(unix)]
fn write_at(f: &std::fs::File, bytes: &[u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(f, bytes, at)
}

#[cfg(unix)]
fn read_at(f: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, at)
}

#[cfg(windows)]
fn write_at(f: &std::fs::File, mut bytes: &[u8], mut at: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(f, bytes, at)?;
        bytes = &bytes[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(f: &std::fs::File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(f, buf, at)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_come_back_from_any_thread() {
        let s = Spill::new().unwrap();
        let pieces: Vec<(u64, Vec<u8>)> = std::thread::scope(|t| {
            let hs: Vec<_> = (0..4u8)
                .map(|i| {
                    let s = &s;
                    t.spawn(move || {
                        let bytes = vec![b'a' + i; 1000 + usize::from(i)];
                        (s.put(&bytes).unwrap(), bytes)
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (at, bytes) in pieces {
            assert_eq!(s.get(at, bytes.len()).unwrap(), bytes);
        }
        assert!(s.get(1 << 20, 10).is_err(), "nothing was stored there");
    }
}
