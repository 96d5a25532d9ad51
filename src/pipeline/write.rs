//! Writing a build: the files of a site (pages, the files they emit, per-language files,
//! theme assets, `static/`, files beside the content); the [`Staged`] writer, which puts
//! each page's result into the staging folder as it is rendered; and `build_and_write`,
//! which runs the pass into it (letting go of each source once its pages are done) and
//! swaps the folder in when all succeeded.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Instant;

use super::model::Model;
use super::pass::{Run, Writer};
use super::result::PageResult;
use super::warm::{Warm, Warming};
use super::{Build, BuildOptions, Failure, Stats, finish};
use crate::content::PageId;
use crate::diag::Diagnostic;
use crate::markdown::Emitted;
use crate::output::{FileSet, Guard, Source, Spill, Staging};
use crate::render::OutPage;
use crate::search;

impl Build {
    /// Every file of the site, for `serve` to serve and `check` to look at: pages, the
    /// files they emit, 404s, sitemaps and search indexes, the theme's assets and
    /// `static/` in every language, and the files beside the content.
    pub fn files(&self) -> FileSet<'_> {
        let mut set = files_but_pages(&self.model);
        for p in &self.extra {
            set.add_bytes(format!("{}/{}", p.lang, p.out), p.html.as_bytes());
        }
        for r in &self.results {
            let Some(p) = &r.page else { continue };
            for e in &r.files {
                set.add_bytes(format!("{}/{}", p.lang, e.path), &e.bytes);
            }
            set.add_bytes(format!("{}/{}", p.lang, p.out), p.html.as_bytes());
        }
        set
    }
}

/// The files that follow no page: theme assets and `static/` in every language, files
/// beside the content. No two of them share a path, nor one with a page: a collision is
/// an error when the site loads (`pipeline::outputs`).
fn files_but_pages(m: &Model) -> FileSet<'_> {
    let mut set = FileSet::default();
    for l in &m.config.languages {
        for w in &m.statics {
            set.add_file(format!("{}/{}", l.code, w.rel), w.abs.clone());
        }
        for (name, bytes) in &m.theme.assets {
            set.add_bytes(format!("{}/assets/{name}", l.code), bytes);
        }
    }
    for (lang, rel, abs) in &m.site.assets {
        set.add_file(format!("{lang}/{rel}"), abs.clone());
    }
    set
}

/// Page results written into the staging folder as they come: the page, the files it
/// emits (one copy of a path several pages emit), and its search text moved to a
/// scratch file until the index is made. Only the paths stay in memory.
pub(crate) struct Staged<'a> {
    pub(crate) staging: &'a Staging,
    /// The build's numbered stems (the build cache records documents by stem).
    stems: &'a search::Stems,
    /// The scratch file for search text, made on first use (`None`: it could not be).
    spill: OnceLock<Option<Spill>>,
    /// Emitted paths written so far (`lang/path`), with the hash of their bytes.
    emitted: Mutex<HashMap<String, u128>>,
}

impl<'a> Staged<'a> {
    pub(crate) fn new(staging: &'a Staging, stems: &'a search::Stems) -> Self {
        Staged {
            staging,
            stems,
            spill: OnceLock::new(),
            emitted: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn stems(&self) -> &search::Stems {
        self.stems
    }

    /// Is `rel` (an emitted file whose bytes hash to `h`) to be written? Yes the first
    /// time; no when a page wrote it already with the same bytes; an error with other
    /// bytes.
    pub(crate) fn first_emit(&self, rel: &str, h: u128) -> Result<bool, Diagnostic> {
        let mut seen = self.emitted.lock().unwrap_or_else(PoisonError::into_inner);
        match seen.get(rel) {
            Some(&old) if old == h => Ok(false),
            Some(_) => Err(Diagnostic::error(
                rel,
                "two pages emit this file with different content",
            )
            .with_help("a block renderer must name a file after its content")),
            None => {
                seen.insert(rel.to_string(), h);
                Ok(true)
            }
        }
    }

    fn spill(&self) -> Option<&Spill> {
        self.spill.get_or_init(|| Spill::new().ok()).as_ref()
    }

    /// Each emitted file once: a path several pages emit with the same bytes is written
    /// once; with other bytes it is an error.
    pub(crate) fn emit(&self, lang: &str, files: &[Emitted]) -> Result<(), Diagnostic> {
        for e in files {
            let rel = format!("{lang}/{}", e.path);
            if self.first_emit(&rel, crate::output::cache::hash(&e.bytes))? {
                self.staging.add(&rel, &e.bytes)?;
            }
        }
        Ok(())
    }

    /// What stays in memory of a written result: the page's path, and its search
    /// document without its text.
    pub(crate) fn lighten(&self, r: &mut PageResult) {
        if let Some(page) = &mut r.page {
            page.html = String::new();
        }
        for e in &mut r.files {
            e.bytes = Vec::new();
        }
        if let (Some(doc), Some(spill)) = (&mut r.search, self.spill()) {
            doc.spill(|bytes| spill.put(bytes).ok());
        }
    }
}

impl Writer for Staged<'_> {
    fn take(&self, _: &Model, _: PageId, r: &mut PageResult) -> Result<(), Diagnostic> {
        let written = match &r.page {
            Some(p) => self
                .staging
                .add(&format!("{}/{}", p.lang, p.out), p.html.as_bytes())
                .and_then(|()| self.emit(&p.lang, &r.files)),
            None => Ok(()),
        };
        self.lighten(r);
        written
    }

    fn take_extra(&self, p: OutPage) -> Result<Option<OutPage>, Diagnostic> {
        self.staging
            .add(&format!("{}/{}", p.lang, p.out), p.html.as_bytes())?;
        Ok(None)
    }

    fn read_spilled(&self, at: search::Spilled) -> std::io::Result<Vec<u8>> {
        match self.spill.get() {
            Some(Some(s)) => s.get(at.at, at.len as usize),
            _ => Err(std::io::Error::other("the scratch file is gone")),
        }
    }
}

/// What `build_and_write` did, for its report.
#[derive(Debug)]
pub struct Written {
    /// The build's warnings, sorted by file and position.
    pub warnings: Vec<Diagnostic>,
    /// What was built, for the summary line.
    pub stats: Stats,
    /// The output paths (`<lang>/<path>`) of the pages this build rendered, as opposed
    /// to taking them from the build cache (`guidegen build --verbose` lists them).
    pub rendered: Vec<String>,
}

/// Pages rendered per batch when a build writes its pages (see
/// `Model::render_releasing`): small enough that the sources held are a few MB, large
/// enough that the batch's last page rarely leaves a core idle.
pub(super) const BATCH: usize = 1024;

/// Build and write: what `guidegen build` does. Pages are written into the staging
/// folder as they are rendered (on the worker threads), so the site is never held in
/// memory whole; the folder replaces the output only when every page succeeded. The
/// model is consumed: the text of a page's own source is let go once its pages are
/// rendered.
pub fn build_and_write(opts: &BuildOptions) -> Result<Written, Failure> {
    let started = Instant::now();
    let (model, diags) = Model::load(opts)?;
    write_model(model, diags, opts, started)
}

/// Render `model` into its output folder (through the build cache when `opts` asks for
/// it), `diags` being the warnings of its load.
pub(crate) fn write_model(
    model: Model,
    diags: Vec<Diagnostic>,
    opts: &BuildOptions,
    started: Instant,
) -> Result<Written, Failure> {
    let guard = Guard::site(&model.config.root);
    let staging = Staging::begin(&guard, &model.out_dir).map_err(|d| Failure {
        diagnostics: finish(diags.iter().cloned().chain([d]).collect()),
    })?;
    let warm = opts.cache.then(|| Warm::open(&model));
    let (diags, rendered, cached, model) = write_pages(model, diags, &staging, warm.as_ref())?;
    let pages = rendered.1;
    let written = write_rest(&model, &staging).and_then(|()| staging.commit());
    if let Err(d) = written {
        let mut diagnostics = diags;
        diagnostics.push(d);
        return Err(Failure { diagnostics });
    }
    if let Some(w) = warm {
        w.finish();
    }
    let stats = Stats::of(&model, pages, &diags, cached, started);
    Ok(Written {
        warnings: diags,
        stats,
        rendered: rendered.0,
    })
}

/// The pages and their per-language files, written into `staging` (through the build
/// cache when there is one): the warnings, (the pages rendered rather than reused, how
/// many pages in all), how many were reused, and the model.
type Pages = (Vec<Diagnostic>, (Vec<String>, usize), usize, Model);

fn write_pages(
    mut model: Model,
    mut diags: Vec<Diagnostic>,
    staging: &Staging,
    warm: Option<&Warm>,
) -> Result<Pages, Failure> {
    let stems = search::Stems::default();
    let staged = Staged::new(staging, &stems);
    let warming = warm.map(|w| Warming::new(w, &staged));
    let writer: &dyn Writer = match &warming {
        Some(w) => w,
        None => &staged,
    };
    if warm.is_none() {
        // A warm build may highlight nothing: it loads the syntaxes when it must.
        crate::highlight::preload();
    }
    let run = Run {
        writer,
        stems: &stems,
    };
    let n = model.site.pages.len();
    let mut results: Vec<Option<PageResult>> = (0..n).map(|_| None).collect();
    model.render_releasing(run, &mut results, BATCH);
    let mut results: Vec<PageResult> = results.into_iter().flatten().collect();
    let mut rendered = Vec::new();
    for r in &results {
        if let (Some(p), false) = (&r.page, r.reused) {
            rendered.push(format!("{}/{}", p.lang, p.out));
        }
        diags.extend(r.diags.iter().cloned());
    }
    let reused = results.iter().filter(|r| r.reused).count();
    let pages = results.iter().filter(|r| r.page.is_some()).count();
    // The per-language files need every page; with pages in error they are moot.
    if !diags.iter().any(Diagnostic::is_error)
        && let Err(d) = model.render_extra(&mut results, run)
    {
        diags.push(d);
    }
    if let Some(w) = warm {
        diags.extend(w.notice());
        diags.extend(w.failure());
    }
    let diags = finish(diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure { diagnostics: diags });
    }
    Ok((diags, (rendered, pages), reused, model))
}

/// Everything but the pages, the files they emit and the per-language files (written
/// as they were made): theme assets, static files, files beside the content.
fn write_rest(model: &Model, staging: &Staging) -> Result<(), Diagnostic> {
    use rayon::prelude::*;
    let files = files_but_pages(model);
    let list: Vec<_> = files.iter().collect();
    list.par_iter().try_for_each(|(rel, src)| match src {
        Source::Bytes(bytes) => staging.add(rel, bytes),
        Source::File(from) => staging.copy(rel, from),
    })
}

/// What `guidegen clean` removed.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    /// The build cache (`.guidegen-cache/`), if there was one.
    pub cache: Option<std::path::PathBuf>,
    /// The output folder, if there was one (only a folder guidegen wrote is removed).
    pub output: Option<std::path::PathBuf>,
}

/// `guidegen clean`: remove the site's build cache and its output folder (`out`, else
/// `[build] out_dir`). A folder guidegen did not write is refused, as `build` refuses it.
pub fn clean(root: &std::path::Path, out: Option<&std::path::Path>) -> Result<Cleaned, Failure> {
    let fail = |d: Diagnostic| Failure {
        diagnostics: vec![d],
    };
    let config = crate::config::Config::load(root).map_err(fail)?;
    let out_dir = out.map_or_else(|| config.out_dir.clone(), std::path::Path::to_path_buf);
    let guard = Guard::site(&config.root);
    let mut done = Cleaned::default();
    if crate::output::remove_output(&guard, &out_dir).map_err(fail)? {
        done.output = Some(out_dir);
    }
    if crate::output::cache::clean(&config.root).map_err(fail)? {
        done.cache = Some(config.root.join(crate::output::CACHE_DIR));
    }
    Ok(done)
}
