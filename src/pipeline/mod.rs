//! `pipeline`: runs the stages — config, content, slots, markdown, render — for every
//! page and hands the results to a writer. Three shapes, one each:
//!
//! - [`Model`] ([`model`]): the loaded site, read-only while pages render;
//! - the render pass ([`pass`]): the model and a set of pages in, one [`PageResult`]
//!   ([`result`]) per page out, in parallel, each handed to a [`pass::Writer`] as it is
//!   done (memory, the staging folder in [`write`], the build cache in [`warm`]);
//! - [`Build`]: a site rendered into memory (the model and every page's result), which
//!   `check` reads and `serve` serves and rebuilds ([`rebuild`]).
//!
//! The steps live beside this file: [`page`] (one page: slots, Markdown, template),
//! [`deps`] (what each page read), [`facts`] (what `check` reads of a page),
//! [`sitemap`] (per-language files), [`titles`], [`outputs`] and [`statics`] (checked
//! when the site loads).

mod deps;
mod facts;
mod model;
mod options;
mod outputs;
mod page;
mod pass;
mod rebuild;
mod result;
mod sitemap;
mod statics;
pub(crate) mod steps;
mod titles;
mod warm;
mod write;

use std::time::Instant;

use crate::content::PageId;
use crate::diag::Diagnostic;
use crate::render::OutPage;
use crate::search;
use crate::util::text::plural;
pub(crate) use deps::PageDeps;
pub(crate) use facts::{At, PageFacts};
pub use model::Model;
pub use options::{BuildOptions, Stats};
pub use rebuild::Rebuilt;
pub use result::PageResult;
pub use write::{Cleaned, Written, build_and_write, clean};

/// A site rendered into memory: the model, and every page's result.
pub struct Build {
    /// The loaded site.
    pub model: Model,
    /// One result per page, indexed by [`PageId`].
    pub(crate) results: Vec<PageResult>,
    /// Files that belong to no source: each language's `404.html`, `sitemap.xml`,
    /// `robots.txt` and search index.
    pub(crate) extra: Vec<OutPage>,
    /// The stems of the search index, numbered (for this build's documents).
    pub(crate) stems: search::Stems,
    /// The build's warnings, sorted by file and position.
    pub warnings: Vec<Diagnostic>,
    /// What was built, for the summary line.
    pub stats: Stats,
    /// Pages changed since `extra` was made (see [`Build::refresh_extra`]).
    extra_stale: bool,
}

/// A failed build: every diagnostic, errors and warnings, sorted.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.summary())]
pub struct Failure {
    /// Every error and warning, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Failure {
    /// How many of the diagnostics are errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// `Build failed with 2 errors`: the one wording of a failure, which `build` and
    /// `serve` follow with what happened to the site.
    pub fn summary(&self) -> String {
        format!("Build failed with {}", plural(self.errors(), "error"))
    }

    fn from(diags: Vec<Diagnostic>) -> Failure {
        Failure {
            diagnostics: finish(diags),
        }
    }
}

/// Sort diagnostics and merge duplicates (the same slot error in a skeleton chapter
/// rendered for several guides is one error, with one note per guide).
fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by_cached_key(Diagnostic::sort_key);
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    for d in diags {
        match out.last_mut() {
            Some(last) if last.sort_key() == d.sort_key() => {
                for n in d.notes {
                    if !last.notes.contains(&n) {
                        last.notes.push(n);
                    }
                }
            }
            _ => out.push(d),
        }
    }
    out
}

/// Load everything and render every page in memory (what `check` and `serve` use).
pub fn build(opts: &BuildOptions) -> Result<Build, Failure> {
    let started = Instant::now();
    let (model, mut diags) = Model::load(opts)?;
    crate::highlight::preload();
    let stems = search::Stems::default();
    let run = pass::Run {
        writer: &pass::Memory,
        stems: &stems,
    };
    let ids: Vec<PageId> = model.page_ids().collect();
    let mut results = model.render(&ids, run);
    diags.extend(results.iter().flat_map(|r| r.diags.iter().cloned()));
    let mut extra = Vec::new();
    // The per-language files need every page; with pages in error they are moot.
    if !diags.iter().any(Diagnostic::is_error) {
        match model.render_extra(&mut results, run) {
            Ok(e) => extra = e,
            Err(d) => diags.push(d),
        }
    }
    let diags = finish(diags);
    if diags.iter().any(Diagnostic::is_error) && !model.collect {
        return Err(Failure { diagnostics: diags });
    }
    let stats = Stats::of(&model, results.len(), &diags, 0, started);
    Ok(Build {
        model,
        results,
        extra,
        stems,
        warnings: diags,
        stats,
        extra_stale: false,
    })
}

impl Build {
    /// The page `id` as rendered (`None`: in error).
    pub(crate) fn page(&self, id: PageId) -> Option<&OutPage> {
        self.results.get(id.index())?.page.as_ref()
    }

    /// What `check` reads of page `id` (when the build collected it).
    pub(crate) fn facts(&self, id: PageId) -> Option<&PageFacts> {
        self.results.get(id.index())?.facts.as_ref()
    }

    /// What `check` reads of every page that has it.
    pub(crate) fn all_facts(&self) -> impl Iterator<Item = &PageFacts> {
        self.results.iter().filter_map(|r| r.facts.as_ref())
    }

    /// Where page `id` is written, under the output folder: `en/node/010_hello.html`.
    pub fn output_path(&self, id: PageId) -> String {
        self.model.output_path(id)
    }

    /// Every page of the site, in the order of [`PageId`]s.
    pub fn page_ids(&self) -> impl Iterator<Item = PageId> + use<> {
        self.model.page_ids()
    }
}

#[cfg(test)]
mod tests;
