//! Warm builds: `guidegen build` reuses what an earlier build of the same site made,
//! from the cache store (`output::cache`), and the output is byte for byte what a cold
//! build makes.
//!
//! A page is reused when its key and its dependencies are unchanged. The key covers
//! what every page depends on (guidegen's version, book.toml, the theme, the base
//! URLs and options, and the site's shape: every page's path, title, place in its guide
//! and translations, since sidebars and switchers show them) and the page itself (its
//! variables and text). Its dependencies are what it read while rendering (partials,
//! skeleton chapters, example files and folders), recorded with a hash of their
//! content and checked again. The per-language files (sitemaps, the search index, big
//! guides' navigation) are reused when no page changed. Highlighted code blocks are
//! kept too, keyed by their language, code and guidegen's program, so a page rendered
//! again (its text, a partial, the theme or book.toml changed) takes its unchanged
//! blocks from there; a block no build used in [`BLOCK_BUILDS`] builds is dropped. The
//! keys and hashes are in [`keys`].

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

mod blocks;
mod files;
mod keys;
mod pages;
mod records;

pub(crate) use pages::Warming;
use records::{ExtraRecord, INDEX, Index, hex};

use super::model::Model;
use crate::diag::Diagnostic;
use crate::output::Staging;
use crate::output::cache::Cache;
use crate::render::OutPage;
use crate::search;
use crate::util::memo::Memo;

/// A warm build in progress: the previous index, and the next one being filled.
pub(crate) struct Warm {
    cache: Cache,
    prev: Index,
    next: Mutex<Index>,
    site_key: u128,
    /// Example path -> hash of what a page sees there (a file's bytes, a folder's tree).
    examples: Memo<String, u128>,
    /// Absolute path -> index in `site.files`.
    files: HashMap<std::path::PathBuf, usize>,
    /// The hash of each of `site.files`, made the first time a page needs it (a
    /// partial or skeleton chapter is read by many pages).
    file_hashes: Vec<std::sync::OnceLock<u128>>,
    /// This build's output files, search documents and highlighted blocks, in one file.
    pack: crate::output::cache::Pack,
    /// The first error writing the cache (then it is no longer written).
    failure: Mutex<Option<Diagnostic>>,
    /// Pages reused, for the summary.
    pub(crate) hits: std::sync::atomic::AtomicUsize,
    /// What highlighted blocks depend on besides their code (see [`keys::program_key`]).
    program: u128,
    /// The site's folder (for messages about the cache).
    root: std::path::PathBuf,
    /// Why the store found in the site was not used (it was made again), if it was not.
    notice: Option<Diagnostic>,
}

impl Warm {
    /// The cache of the site `b` is a build of.
    pub(crate) fn open(b: &Model) -> Warm {
        let (cache, notice) = Cache::open(&b.config.root);
        let pack = cache.pack();
        let prev: Index = cache
            .get(INDEX.0, INDEX.1)
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .filter(|i: &Index| i.version == env!("CARGO_PKG_VERSION"))
            .unwrap_or_default();
        let generation = prev.generation + 1;
        let files = b
            .site
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.abs.clone(), i))
            .collect();
        Warm {
            cache,
            prev,
            next: Mutex::new(Index {
                version: env!("CARGO_PKG_VERSION").into(),
                generation,
                ..Index::default()
            }),
            site_key: keys::site_key(b),
            examples: Memo::default(),
            file_hashes: (0..b.site.files.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            files,
            pack,
            failure: Mutex::new(None),
            hits: std::sync::atomic::AtomicUsize::new(0),
            program: keys::program_key(),
            root: b.config.root.clone(),
            notice,
        }
    }

    /// The value of a cache write, or `None` after keeping its error: the cache is
    /// optional, so a site whose cache cannot be written (a read-only folder, a full
    /// disk) still builds, with one warning, and the rest of the build skips the cache.
    fn cached<T>(&self, r: Result<T, Diagnostic>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(d) => {
                let mut f = self
                    .failure
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                f.get_or_insert(d);
                None
            }
        }
    }

    fn failed(&self) -> bool {
        self.failure.lock().map_or(true, |f| f.is_some())
    }

    /// Why the store found in the site was not used, as a warning (once per build).
    pub(crate) fn notice(&self) -> Option<Diagnostic> {
        self.notice.clone()
    }

    /// Why the cache could not be written, as a warning (the build went on without it).
    pub(crate) fn failure(&self) -> Option<Diagnostic> {
        let f = self.failure.lock().ok()?.clone()?;
        let mut w = Diagnostic::warning(
            f.path.clone(),
            format!("{}; this build did not fill the build cache", f.message),
        );
        w.help = f.help;
        Some(w)
    }

    /// The key of the per-language files: every page's record.
    fn extra_key(&self) -> u128 {
        let n = self
            .next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut paths: Vec<&String> = n.pages.keys().collect();
        paths.sort();
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&self.site_key.to_le_bytes());
        // What the pages hold (the hashes of their files and search documents), not
        // where the cache keeps it.
        let content = |r: &str| r.rsplit(':').next().unwrap_or("").to_string();
        for p in paths {
            let r = &n.pages[p];
            h.update(p.as_bytes());
            h.update(content(&r.html.at).as_bytes());
            h.update(content(r.doc.as_deref().unwrap_or("")).as_bytes());
        }
        h.digest128()
    }

    /// The per-language files from the cache, copied into `staging`, if no page
    /// changed; true when they were.
    pub(crate) fn reuse_extra(&self, staging: &Staging) -> bool {
        let key = hex(self.extra_key());
        let Some(rec) = self.prev.extra.as_ref().filter(|e| e.key == key) else {
            return false;
        };
        for (lang, out, stored) in &rec.files {
            if !self.restore(&format!("{lang}/{out}"), stored, staging) {
                return false;
            }
        }
        if let Ok(mut n) = self.next.lock() {
            n.extra = Some(rec.clone());
        }
        true
    }

    /// One per-language file just made: into the store and into `staging`.
    pub(crate) fn store_extra(&self, p: &OutPage, staging: &Staging) -> Result<(), Diagnostic> {
        let rel = format!("{}/{}", p.lang, p.out);
        let prev = self.prev.extra.as_ref().and_then(|e| {
            e.files
                .iter()
                .find(|(l, o, _)| *l == p.lang && *o == p.out)
                .map(|(.., s)| s)
        });
        let Some(stored) = self.stage(&rel, p.html.as_bytes(), prev, staging)? else {
            return Ok(());
        };
        let mut n = self
            .next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let e = n.extra.get_or_insert_with(ExtraRecord::default);
        e.files.push((p.lang.clone(), p.out.clone(), stored));
        Ok(())
    }

    /// The search document of a reused page, for rebuilding the index.
    pub(crate) fn doc(&self, r: &str, stems: &search::Stems) -> Option<search::Doc> {
        search::Doc::from_record(&self.cache.read_packed(r)?, stems)
    }

    /// Write the index and keep the store bounded. A failure here costs the next build
    /// its warmth, never correctness, so it is not an error.
    pub(crate) fn finish(self) {
        if self.failed() {
            return;
        }
        let key = self.extra_key();
        let mut next = std::mem::take(
            &mut *self
                .next
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        if let Some(e) = &mut next.extra {
            e.key = hex(key);
            e.files.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        }
        blocks::carry(&self.prev, &self.cache, &mut next);
        self.compact(&mut next);
        // The pack first: the index must never point at a pack that is not there.
        if !self.pack.finish() {
            return;
        }
        if let Ok(bytes) = serde_json::to_vec(&next) {
            let _ = self.cache.put(INDEX.0, INDEX.1, &bytes);
        }
        let live: HashSet<String> = next
            .pages
            .values()
            .flat_map(|r| {
                [Some(r.html.at.as_str()), r.doc.as_deref()]
                    .into_iter()
                    .chain(r.emitted.iter().map(|(_, s)| Some(s.at.as_str())))
            })
            .flatten()
            .chain(
                next.extra
                    .iter()
                    .flat_map(|e| e.files.iter().map(|(.., s)| s.at.as_str())),
            )
            .chain(next.blocks.values().map(|(r, _)| r.as_str()))
            .filter_map(|r| r.split(':').next().map(str::to_string))
            .collect();
        self.cache.collect_packs(&live);
        self.cache.collect();
    }
}
