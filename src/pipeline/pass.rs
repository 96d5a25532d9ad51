//! The render pass: the model and a set of pages in, one [`PageResult`] per page out,
//! rendered in parallel. Where results go is a [`Writer`]'s business: kept in memory
//! ([`Memory`]: `check`, `serve`), written into the staging folder (`write::Staged`:
//! `build`), or stored in and restored from the build cache (`warm::Warming`). The pass
//! knows none of them.

use rayon::prelude::*;

use super::model::Model;
use super::result::PageResult;
use crate::content::PageId;
use crate::diag::Diagnostic;
use crate::highlight;
use crate::render::OutPage;
use crate::search;

/// Where the results of a pass go.
pub(crate) trait Writer: Sync {
    /// Page `id`'s result without rendering it, when an earlier build's still holds (the
    /// build cache).
    fn reuse(&self, _model: &Model, _id: PageId) -> Option<PageResult> {
        None
    }

    /// Highlighted code blocks kept across builds.
    fn highlights(&self) -> Option<&dyn highlight::Store> {
        None
    }

    /// Take page `id`'s result as soon as it is rendered (on its worker thread): write
    /// what it makes, and drop from `r` what need not stay in memory.
    fn take(&self, model: &Model, id: PageId, r: &mut PageResult) -> Result<(), Diagnostic>;

    /// The per-language files of an earlier build, restored when no page changed.
    fn reuse_extra(&self) -> bool {
        false
    }

    /// Take one per-language file; what is to stay in memory comes back.
    fn take_extra(&self, p: OutPage) -> Result<Option<OutPage>, Diagnostic>;

    /// The search document of a page restored from the build cache (`r`: where it is).
    fn cached_doc(&self, _r: &str, _stems: &search::Stems) -> Option<search::Doc> {
        None
    }

    /// Search text a writer moved out of memory (see `search::Doc::spill`).
    fn read_spilled(&self, _at: search::Spilled) -> std::io::Result<Vec<u8>> {
        Err(std::io::Error::other(
            "no search text was moved out of memory",
        ))
    }
}

/// Results kept in memory, whole.
pub(crate) struct Memory;

impl Writer for Memory {
    fn take(&self, _: &Model, _: PageId, _: &mut PageResult) -> Result<(), Diagnostic> {
        Ok(())
    }

    fn take_extra(&self, p: OutPage) -> Result<Option<OutPage>, Diagnostic> {
        Ok(Some(p))
    }
}

/// What one pass renders with: where results go, and the build's numbered stems.
#[derive(Clone, Copy)]
pub(crate) struct Run<'a> {
    pub writer: &'a dyn Writer,
    pub stems: &'a search::Stems,
}

impl Model {
    /// Render the given pages in parallel, each handed to the writer as soon as it is
    /// done; results in the order of `ids`.
    ///
    /// The translations of a page show the same code, highlighted once (the highlight
    /// memo makes a second thread wait for the first). So the pages go to the threads
    /// with the translations of each page side by side: one thread renders both, the
    /// second from the memo, while the other thread works on other pages.
    pub(crate) fn render(&self, ids: &[PageId], run: Run<'_>) -> Vec<PageResult> {
        big_stacks();
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by(|&a, &b| self.side_by_side(ids[a]).cmp(&self.side_by_side(ids[b])));
        let mut done: Vec<(usize, PageResult)> = order
            .par_iter()
            .map(|&i| (i, self.pass_one(ids[i], run)))
            .collect();
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, r)| r).collect()
    }

    /// The order pages are rendered in: by output path, then language, so a page and its
    /// translations (same path in another language) are next to each other.
    pub(super) fn side_by_side(&self, id: PageId) -> (&str, &str) {
        let p = &self.site.pages[id];
        (&p.out, &p.lang)
    }

    /// Page `id`, taken from the writer's earlier results or rendered, and handed over.
    fn pass_one(&self, id: PageId, run: Run<'_>) -> PageResult {
        if let Some(r) = run.writer.reuse(self, id) {
            return r;
        }
        let mut r = self.render_page(id, run.stems, run.writer.highlights());
        if let Err(d) = run.writer.take(self, id, &mut r) {
            r.diags.push(d);
        }
        r
    }

    /// Render every page in batches (translations side by side) into `results`, indexed
    /// by page, and after each batch let go of the text of the sources no page still
    /// needs: a page's own file once every page made from it is rendered (and none was
    /// taken from the build cache). Partials and skeleton chapters are kept (any page
    /// may read them). The sources were the largest thing a big build held (20,000
    /// pages: 252 MB). Diagnostics keep their own source lines, so nothing printed
    /// later needs the text. The model is consumed by the writing build that does this
    /// (`write::build_and_write`): nothing renders from it afterwards.
    pub(super) fn render_releasing(
        &mut self,
        run: Run<'_>,
        results: &mut [Option<PageResult>],
        batch: usize,
    ) {
        let mut order: Vec<PageId> = PageId::all(self.site.pages.len()).collect();
        order.sort_by(|&a, &b| self.side_by_side(a).cmp(&self.side_by_side(b)));
        let site = &self.site;
        // Pages still to render from each file; `None`: kept whatever happens.
        let mut left: Vec<Option<usize>> = vec![Some(0); site.files.len()];
        for p in &site.pages {
            if let Some(f) = p.file {
                let l = &mut left[f.index()];
                *l = if p.from_skeleton {
                    None
                } else {
                    l.map(|n| n + 1)
                };
            }
        }
        for files in site.partials.values() {
            for f in files.values() {
                left[f.index()] = None;
            }
        }
        for batch in order.chunks(batch) {
            for (id, r) in batch.iter().zip(self.render(batch, run)) {
                results[id.index()] = Some(r);
            }
            for id in batch {
                // A page taken from the build cache may be rendered again for its search
                // document (`render_extra`): its file stays.
                let reused = results[id.index()]
                    .as_ref()
                    .is_some_and(|r| r.cached_doc.is_some());
                let Some(f) = self.site.pages[*id].file.filter(|_| !reused) else {
                    continue;
                };
                if let Some(n) = &mut left[f.index()] {
                    *n -= 1;
                    if *n == 0 {
                        self.site.files[f].text = std::sync::Arc::from("");
                    }
                }
            }
        }
    }
}

/// Page workers get large stacks: the slot stage nests as deep as its bounds allow
/// (64 blocks in each of 32 chained partials) without ever overflowing. The memory is
/// only reserved, not used.
fn big_stacks() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Fails only if the pool already exists (a test built it first): keep that one.
        let _ = rayon::ThreadPoolBuilder::new()
            .stack_size(64 << 20)
            .build_global();
    });
}
