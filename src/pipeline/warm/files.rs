//! The output files a warm build takes from the cache, and those it puts there. A
//! file's bytes go into this build's pack (one file for the whole build: creating a
//! file per page was most of a build's system time); the output gets its own copy.
//! An unchanged file is taken from the previous output of the same folder when that
//! file is still whole (a hard link: the previous site is removed when the new one is
//! swapped in, so the two never stay shared), else copied out of its pack. Either way
//! it keeps the modification time of its first build.
//!
//! Packs pile up as builds add what changed; past [`MAX_PACKS`] the entries still in
//! use are copied into this build's pack ([`Warm::compact`]) and the old packs go.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::Warm;
use super::records::{Index, Stored};
use crate::diag::Diagnostic;
use crate::output::Staging;
use crate::output::cache::{MAX_PACKS, hash, parse_ref};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

fn time_of(nanos: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_nanos(nanos)
}

impl Warm {
    /// `bytes` (a page or per-language file just made) into this build's pack and into
    /// `staging` as `rel`. Bytes the previous build stored for `rel` (`prev`) unchanged
    /// keep its time. What to record, unless the cache failed.
    pub(super) fn stage(
        &self,
        rel: &str,
        bytes: &[u8],
        prev: Option<&Stored>,
        staging: &Staging,
    ) -> Result<Option<Stored>, Diagnostic> {
        let h = hash(bytes);
        let time = match prev {
            Some(p) if parse_ref(&p.at).is_some_and(|(.., ph)| ph == h) => p.time,
            _ => now(),
        };
        staging.add_dated(rel, bytes, Some(time_of(time)))?;
        if self.failed() {
            return Ok(None);
        }
        let appended = self.pack.append(&self.root, bytes);
        Ok(self.cached(appended).map(|at| Stored { at, time }))
    }

    /// The file `rel` the previous build stored, into `staging`: linked from the
    /// previous output when that file is still whole, else copied out of its pack.
    /// False when neither can be done (the page is rendered again).
    pub(super) fn restore(&self, rel: &str, s: &Stored, staging: &Staging) -> bool {
        let Some((_, _, len, h)) = parse_ref(&s.at) else {
            return false;
        };
        if staging.link_previous(rel, len as u64, |b| hash(b) == h) {
            return true;
        }
        match self.cache.read_packed(&s.at) {
            Some(bytes) => staging
                .add_dated(rel, &bytes, Some(time_of(s.time)))
                .is_ok(),
            None => false,
        }
    }

    /// Past [`MAX_PACKS`] packs in use, copy every entry `next` points at outside this
    /// build's pack into it (an entry that cannot be read is dropped with its record:
    /// its page is rendered again next time). Then only this build's pack is in use.
    pub(super) fn compact(&self, next: &mut Index) {
        let current = self.pack.name().to_string();
        let mut refs: Vec<&mut String> = Vec::new();
        for r in next.pages.values_mut() {
            refs.push(&mut r.html.at);
            refs.extend(r.doc.as_mut());
            refs.extend(r.emitted.iter_mut().map(|(_, s)| &mut s.at));
        }
        if let Some(e) = next.extra.as_mut() {
            refs.extend(e.files.iter_mut().map(|(_, _, s)| &mut s.at));
        }
        refs.extend(next.blocks.values_mut().map(|(r, _)| r));
        let packs: std::collections::HashSet<&str> = refs
            .iter()
            .filter_map(|r| parse_ref(r).map(|(n, ..)| n))
            .collect();
        if packs.len() <= MAX_PACKS {
            return;
        }
        for r in refs {
            if parse_ref(r).is_some_and(|(n, ..)| n == current) {
                continue;
            }
            let moved = self
                .cache
                .read_packed(r)
                .and_then(|b| self.pack.append(&self.root, &b).ok());
            // An entry that cannot be moved is emptied: its record is dropped below.
            *r = moved.unwrap_or_default();
        }
        next.pages.retain(|_, p| {
            !p.html.at.is_empty()
                && p.doc.as_ref().is_none_or(|d| !d.is_empty())
                && p.emitted.iter().all(|(_, s)| !s.at.is_empty())
        });
        if next
            .extra
            .as_ref()
            .is_some_and(|e| e.files.iter().any(|(_, _, s)| s.at.is_empty()))
        {
            next.extra = None;
        }
        next.blocks.retain(|_, (r, _)| !r.is_empty());
    }
}
