//! Highlighted code across builds: a page rendered again takes the blocks an earlier
//! build highlighted (keyed by language, code and guidegen's program) from the cache's
//! packs, and puts new ones into this build's pack. Measured at 5,000 pages: a build
//! after a book.toml edit (every page rendered again) took 5.3–5.8 s of CPU instead of
//! 18.4–18.7 s.

use super::Warm;
use super::records::{BLOCK_BUILDS, Index, hex};
use crate::output::cache::Cache;

/// Blocks of `prev` this build did not use stay in `next` for [`BLOCK_BUILDS`] builds
/// (their pages were reused, or will be shown again).
pub(super) fn carry(prev: &Index, cache: &Cache, next: &mut Index) {
    for (k, (r, g)) in &prev.blocks {
        if !next.blocks.contains_key(k)
            && next.generation.saturating_sub(*g) < BLOCK_BUILDS
            && cache.has_pack(r)
        {
            next.blocks.insert(k.clone(), (r.clone(), *g));
        }
    }
}

/// The highlighted blocks of earlier builds, and this build's new ones (into its pack).
impl crate::highlight::Store for Warm {
    fn get(&self, key: u128) -> Option<String> {
        let k = hex(key ^ self.program);
        let (r, _) = self.prev.blocks.get(&k)?;
        let html = String::from_utf8(self.cache.read_packed(r)?).ok()?;
        let mut next = self
            .next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let generation = next.generation;
        next.blocks.insert(k, (r.clone(), generation));
        Some(html)
    }

    fn put(&self, key: u128, html: &str) {
        if self.failed() {
            return;
        }
        let Some(r) = self.cached(self.pack.append(&self.root, html.as_bytes())) else {
            return;
        };
        let mut next = self
            .next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let generation = next.generation;
        next.blocks.insert(hex(key ^ self.program), (r, generation));
    }
}
