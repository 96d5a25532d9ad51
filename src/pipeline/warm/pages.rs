//! A page into the build cache and back: its result stored whole (its HTML and the
//! files it emits in the pack, its search document as a record), restored when nothing
//! it read changed; and [`Warming`], the writer of a warm build.

use std::path::Path;

use super::Warm;
use super::records::{PageRecord, Stored, hex, unhex};
use crate::content::PageId;
use crate::diag::Diagnostic;
use crate::pipeline::model::Model;
use crate::pipeline::pass::Writer;
use crate::pipeline::result::PageResult;
use crate::pipeline::write::Staged;
use crate::render::OutPage;
use crate::search;

impl Warm {
    /// Page `id`'s result from the cache, its files copied into `staging`, if nothing
    /// it depends on changed.
    pub(crate) fn reuse(&self, b: &Model, id: PageId, staged: &Staged<'_>) -> Option<PageResult> {
        let p = &b.site.pages[id];
        let path = format!("{}/{}", p.lang, p.out);
        let rec = self.prev.pages.get(&path)?;
        if unhex(&rec.key)? != self.page_key(b, id) {
            return None;
        }
        let same_files = rec
            .files
            .iter()
            .all(|(f, h)| self.file_hash(b, f).map(hex).as_deref() == Some(h.as_str()));
        let same_examples = rec
            .examples
            .iter()
            .all(|(e, h)| hex(self.example_hash(b, e)) == *h);
        if !same_files || !same_examples {
            return None;
        }
        let doc = match rec.doc.as_deref() {
            Some(d) if self.cache.has_pack(d) => Some(d.to_string()),
            Some(_) => return None,
            None => None,
        };
        if !self.restore(&path, &rec.html, staged.staging) {
            return None;
        }
        for (e, stored) in &rec.emitted {
            let rel = format!("{}/{e}", p.lang);
            let (.., h) = crate::output::cache::parse_ref(&stored.at)?;
            if staged.first_emit(&rel, h).ok()? && !self.restore(&rel, stored, staged.staging) {
                return None;
            }
        }
        self.next.lock().ok()?.pages.insert(path, rec.clone());
        self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // The result as it was stored: whole, but for what its files hold.
        let mut r = rec.result.clone();
        r.cached_doc = doc;
        r.reused = true;
        Some(r)
    }

    /// A page just rendered (`r`, with its HTML and files): into the store, into
    /// `staging`, and recorded with its whole result.
    pub(crate) fn store(
        &self,
        b: &Model,
        id: PageId,
        r: &PageResult,
        staged: &Staged<'_>,
    ) -> Result<(), Diagnostic> {
        let Some(page) = &r.page else { return Ok(()) };
        let path = format!("{}/{}", page.lang, page.out);
        let prev = self.prev.pages.get(&path);
        let staging = staged.staging;
        let html = self.stage(&path, page.html.as_bytes(), prev.map(|p| &p.html), staging)?;
        let emitted = self.stage_emitted(&page.lang, &r.files, prev, staged)?;
        let Some(html) = html else {
            return Ok(());
        };
        let doc = match &r.search {
            Some(d) => {
                let appended = self
                    .pack
                    .append(&b.config.root, &d.to_record(staged.stems()));
                let Some(r) = self.cached(appended) else {
                    return Ok(());
                };
                Some(r)
            }
            None => None,
        };
        let root = &b.config.root;
        let rel = |p: &Path| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        };
        let files = r
            .deps
            .files
            .iter()
            .filter_map(|f| {
                let rel = rel(f);
                Some((rel.clone(), hex(self.file_hash(b, &rel)?)))
            })
            .collect();
        let examples = r
            .deps
            .examples
            .iter()
            .map(|e| (e.clone(), hex(self.example_hash(b, e))))
            .collect();
        let rec = PageRecord {
            key: hex(self.page_key(b, id)),
            files,
            examples,
            html,
            doc,
            emitted,
            result: recorded(r),
        };
        if let Ok(mut n) = self.next.lock() {
            n.pages.insert(path, rec);
        }
        Ok(())
    }

    /// The files a page emits, into the store and `staged` (each path once a build).
    fn stage_emitted(
        &self,
        lang: &str,
        files: &[crate::markdown::Emitted],
        prev: Option<&PageRecord>,
        staged: &Staged<'_>,
    ) -> Result<Vec<(String, Stored)>, Diagnostic> {
        let mut emitted = Vec::new();
        for e in files {
            let rel = format!("{lang}/{}", e.path);
            let old = prev.and_then(|p| p.emitted.iter().find(|(q, _)| *q == e.path));
            if !staged.first_emit(&rel, crate::output::cache::hash(&e.bytes))? {
                continue;
            }
            if let Some(s) = self.stage(&rel, &e.bytes, old.map(|(_, s)| s), staged.staging)? {
                emitted.push((e.path.clone(), s));
            }
        }
        Ok(emitted)
    }
}

/// A result as the build cache records it: whole, but for the bytes of its HTML and
/// files (they are in the pack) and its search document (a record of its own).
fn recorded(r: &PageResult) -> PageResult {
    PageResult {
        page: r.page.as_ref().map(|p| OutPage {
            html: String::new(),
            ..p.clone()
        }),
        deps: r.deps.clone(),
        diags: r.diags.clone(),
        facts: r.facts.clone(),
        files: r
            .files
            .iter()
            .map(|e| crate::markdown::Emitted {
                path: e.path.clone(),
                bytes: Vec::new(),
            })
            .collect(),
        ..PageResult::default()
    }
}

/// A warm build's writer: pages restored from the cache where nothing changed, else
/// rendered, stored and written (through [`Staged`], which keeps only their paths).
pub(crate) struct Warming<'a> {
    warm: &'a Warm,
    staged: &'a Staged<'a>,
}

impl<'a> Warming<'a> {
    pub(crate) fn new(warm: &'a Warm, staged: &'a Staged<'a>) -> Self {
        Warming { warm, staged }
    }
}

impl Writer for Warming<'_> {
    fn reuse(&self, m: &Model, id: PageId) -> Option<PageResult> {
        self.warm.reuse(m, id, self.staged)
    }

    fn highlights(&self) -> Option<&dyn crate::highlight::Store> {
        Some(self.warm)
    }

    fn take(&self, m: &Model, id: PageId, r: &mut PageResult) -> Result<(), Diagnostic> {
        // A page in error fails the build: nothing of it is kept.
        let stored = if r.failed() {
            Ok(())
        } else {
            self.warm.store(m, id, r, self.staged)
        };
        // The cache has taken its record: the shown text waits on disk.
        self.staged.lighten(r);
        stored
    }

    fn reuse_extra(&self) -> bool {
        self.warm.reuse_extra(self.staged.staging)
    }

    fn take_extra(&self, p: OutPage) -> Result<Option<OutPage>, Diagnostic> {
        self.warm.store_extra(&p, self.staged.staging)?;
        Ok(None)
    }

    fn cached_doc(&self, r: &str, stems: &search::Stems) -> Option<search::Doc> {
        self.warm.doc(r, stems)
    }

    fn read_spilled(&self, at: search::Spilled) -> std::io::Result<Vec<u8>> {
        self.staged.read_spilled(at)
    }
}
