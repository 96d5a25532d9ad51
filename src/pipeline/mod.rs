//! `pipeline`: runs the stages — config, content, slots, markdown, render — for every
//! page and hands the files to `output`. Pages render in parallel; nothing is written
//! unless every page succeeded.
//!
//! [`Build`] keeps what `serve` needs to rebuild incrementally: the loaded site, the
//! theme, and each page's dependencies as data ([`PageDeps`]). The steps live beside
//! this file: [`page`] (one page: slots, Markdown, template), [`rebuild`] (what an edit
//! changes), [`deps`] (what each page read), [`sitemap`] (per-language extras),
//! [`write`] (the files of a site, and writing them while pages render).

mod deps;
mod facts;
mod options;
mod outputs;
mod page;
mod rebuild;
mod sitemap;
mod statics;
mod titles;
mod warm;
mod write;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use crate::config::{Config, NotesMode};
use crate::content::{self, PageId};
use crate::diag::{Diagnostic, Level};
use crate::examples::ExampleStore;
use crate::render::{OutPage, Renderer};
use crate::search;
use crate::slots;
use crate::theme::Theme;
use crate::util::confine::Found;
use crate::util::text::plural;
pub(crate) use deps::PageDeps;
pub(crate) use facts::{At, PageFacts};
pub use options::{BuildOptions, Stats};
pub use rebuild::Rebuilt;
pub use write::{Cleaned, build_and_write, clean};

/// A finished build held in memory.
pub struct Build {
    pub(crate) config: Config,
    pub(crate) site: content::Site,
    pub(crate) theme: Theme,
    pub(crate) examples: ExampleStore,
    /// Sources parsed once per loaded site (see `slots::ParseCache`).
    parsed: slots::ParseCache,
    /// lang -> the absolute URL the language is published at (or served from).
    pub(crate) base_urls: HashMap<String, String>,
    pub(crate) notes: NotesMode,
    /// One output per page, indexed by [`PageId`].
    pub(crate) pages: Vec<OutPage>,
    /// Files that belong to no source: each language's `404.html`, `sitemap.xml`,
    /// `robots.txt` and search index.
    pub(crate) extra: Vec<OutPage>,
    /// What each page read, indexed by [`PageId`].
    pub(crate) deps: Vec<PageDeps>,
    /// The build's warnings, sorted by file and position.
    pub warnings: Vec<Diagnostic>,
    /// What was built, for the summary line.
    pub stats: Stats,
    /// The output paths (`<lang>/<path>`) of the pages this build rendered, as opposed
    /// to taking them from the build cache (`guidegen build --verbose` lists them).
    pub rendered: Vec<String>,
    pub(crate) out_dir: PathBuf,
    /// The files of `static/`, copied into every language.
    statics: Vec<Found>,
    /// Keep what `check` reads of every page.
    collect: bool,
    /// Kinds of findings accepted by the command line (`build --allow`).
    allow: Vec<crate::diag::Code>,
    /// What `check` reads of every page, indexed by [`PageId`] (when collected).
    facts: Vec<PageFacts>,
    /// Every page as search indexes it, indexed by [`PageId`] (`[build] search`).
    search: Vec<Option<search::Doc>>,
    /// When `build_and_write` started (its summary counts loading too).
    started: Option<Instant>,
    /// The stems of the search index, numbered.
    stems: search::Stems,
    /// Where a build that writes its pages keeps their search text until the index is
    /// made (made on first use; `None`: no scratch file could be made, text stays in
    /// memory). See `output::spill`.
    spill: std::sync::OnceLock<Option<crate::output::Spill>>,
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

/// Load everything and render every page in memory.
pub fn build(opts: &BuildOptions) -> Result<Build, Failure> {
    let (b, diags) = load(opts)?;
    b.render_all(diags, page::Out::Memory)
}

impl Build {
    /// Render every page (sending each where `out` says as it is done), then the
    /// per-language files; the finished build, or every problem.
    fn render_all(
        mut self,
        mut diags: Vec<Diagnostic>,
        out: page::Out<'_>,
    ) -> Result<Build, Failure> {
        let start = Instant::now();
        big_stacks();
        if !matches!(out, page::Out::Warm(..)) {
            // A warm build may highlight nothing: it loads the syntaxes when it must.
            crate::highlight::preload();
        }
        let n = self.site.pages.len();
        let mut results: Vec<Option<page::PageResult>> = (0..n).map(|_| None).collect();
        if matches!(out, page::Out::Memory) {
            let all: Vec<PageId> = PageId::all(n).collect();
            for (id, r) in all.iter().zip(self.render_pages_into(&all, out)) {
                results[id.index()] = Some(r);
            }
        } else {
            self.render_releasing(out, &mut results, write::BATCH);
        }
        let mut pages = Vec::with_capacity(n);
        let mut deps = Vec::with_capacity(n);
        let mut facts = Vec::new();
        let mut search = Vec::with_capacity(n);
        let mut cached_docs = Vec::new();
        let mut rendered = Vec::new();
        for (id, r) in PageId::all(n).zip(results) {
            let Some(r) = r else { continue };
            if let (Some(p), false) = (&r.page, r.reused) {
                rendered.push(format!("{}/{}", p.lang, p.out));
            }
            if let Some(d) = &r.cached_doc {
                cached_docs.push((id, d.clone()));
            }
            diags.extend(r.diags);
            match r.page {
                Some(p) => pages.push(p),
                // `check` goes on past a page in error: every other page is checked,
                // and page ids still index the pages.
                None if self.collect => {
                    let p = &self.site.pages[id];
                    pages.push(OutPage {
                        lang: p.lang.clone(),
                        out: p.out.clone(),
                        html: String::new(),
                    });
                }
                None => {}
            }
            deps.push(r.deps);
            facts.extend(r.facts);
            search.push(r.search);
        }
        self.facts = facts;
        self.search = search;
        // The per-language files need every page; with pages in error they are moot.
        if !diags.iter().any(Diagnostic::is_error) {
            match self.render_extra(out, &cached_docs) {
                Ok(extra) => self.extra = extra,
                Err(d) => diags.push(d),
            }
        }
        if let page::Out::Warm(w, _) = out {
            diags.extend(w.notice());
            diags.extend(w.failure());
        }
        let diags = finish(diags);
        if diags.iter().any(Diagnostic::is_error) && !self.collect {
            return Err(Failure { diagnostics: diags });
        }
        self.pages = pages;
        self.deps = deps;
        self.rendered = rendered;
        self.stats = Stats {
            languages: self.config.languages.len(),
            guides: self.site.guides.len(),
            pages: self.pages.len(),
            warnings: diags.iter().filter(|d| d.level == Level::Warning).count(),
            cached: match out {
                page::Out::Warm(w, _) => w.hits.load(std::sync::atomic::Ordering::Relaxed),
                _ => 0,
            },
            elapsed: self.started.map_or(start, |s| s).elapsed(),
        };
        self.warnings = diags;
        Ok(self)
    }
}

/// Configuration, content and theme: a [`Build`] with no page rendered yet, and the
/// warnings so far. Any error fails.
fn load(opts: &BuildOptions) -> Result<(Build, Vec<Diagnostic>), Failure> {
    let root = &opts.root;
    let config = Config::load(root).map_err(|d| Failure {
        diagnostics: vec![d],
    })?;
    // Content and theme are both checked, so one build reports every problem.
    let (site, mut diags) = content::load(&config, opts.drafts);
    diags.extend(config.warnings.iter().cloned());
    let (theme, theme_diags) = Theme::load(root, &config.language_codes(), &config.template_env);
    diags.extend(theme_diags);
    // `check` goes on past files in error, so that it can check every other page.
    let stop = !opts.collect && diags.iter().any(Diagnostic::is_error);
    let (Some(mut site), Some(mut theme), false) = (site, theme, stop) else {
        return Err(Failure::from(diags));
    };
    if config.publish.hosted {
        theme.assets.insert(
            "hosted.css".into(),
            crate::render::hosted_css(&config.publish).into_bytes(),
        );
    }
    let base_urls = opts.base_urls.clone().unwrap_or_else(|| {
        config
            .languages
            .iter()
            .map(|l| (l.code.clone(), l.base_url.clone()))
            .collect()
    });
    let (statics, refusals) = statics::statics(root);
    diags.extend(refusals);
    titles::resolve_titles(&config, &mut site, &mut diags);
    diags.extend(outputs::check(&config, &site, &theme, &statics));
    if diags.iter().any(Diagnostic::is_error) && !opts.collect {
        return Err(Failure::from(diags));
    }
    let b = Build {
        notes: opts.notes.unwrap_or(match (opts.publish, config.notes) {
            (true, NotesMode::Warn) => NotesMode::Deny,
            (_, mode) => mode,
        }),
        out_dir: opts.out.clone().unwrap_or_else(|| config.out_dir.clone()),
        examples: ExampleStore::new(root),
        config,
        site,
        theme,
        parsed: slots::ParseCache::default(),
        base_urls,
        pages: Vec::new(),
        extra: Vec::new(),
        deps: Vec::new(),
        warnings: Vec::new(),
        stats: Stats::default(),
        rendered: Vec::new(),
        statics,
        collect: opts.collect,
        allow: opts.allow.clone(),
        facts: Vec::new(),
        search: Vec::new(),
        started: None,
        stems: search::Stems::default(),
        spill: std::sync::OnceLock::new(),
        extra_stale: false,
    };
    Ok((b, diags))
}

impl Build {
    /// The renderer of this build's pages.
    pub(crate) fn renderer(&self) -> Renderer<'_> {
        Renderer {
            config: &self.config,
            site: &self.site,
            theme: &self.theme,
            base_urls: &self.base_urls,
        }
    }

    /// Where page `id` is written, under the output folder: `en/node/010_hello.html`.
    pub fn output_path(&self, id: PageId) -> String {
        let p = &self.site.pages[id];
        format!("{}/{}", p.lang, p.out)
    }

    /// Every page of the site, in the order of [`PageId`]s.
    pub fn page_ids(&self) -> impl Iterator<Item = PageId> {
        PageId::all(self.site.pages.len())
    }
}
