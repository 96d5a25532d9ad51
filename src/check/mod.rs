//! `check`: the quality gate a site passes before it is published (spec section 9).
//!
//! It builds every language in memory (never writing the site), then looks at what the
//! site emits and what its sources hold: [`links`] (every internal link, anchor and
//! image of every page resolves; links to example files exist), [`readiness`] (author
//! notes, empty and draft pages, missing titles, chapters without examples,
//! `X_chosen` among `X_possible`), [`translations`] (missing translations, translations
//! that fell behind, prose in the wrong language's script), [`examples`] (unused
//! example files, code pasted in a page that drifted from its example) and [`tested`]
//! (the last results of `guidegen test`: a step that failed, or changed since; `check`
//! itself runs nothing). Every finding is
//! a [`Diagnostic`] with a stable [`Code`], located in the source wherever there is one.
//! [`format`] prints them (text, JSON, GitHub annotations); [`report`] writes an HTML
//! readiness report.

mod branches;
mod examples;
pub(crate) mod format;
mod html;
mod links;
mod readiness;
pub(crate) mod report;
mod tested;
mod translations;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::{Config, NotesMode};
use crate::content::PageId;
use crate::diag::{Code, Diagnostic, Level};
use crate::pipeline::{Build, BuildOptions, build};
pub use format::Format;
pub use tested::StepState;

/// What `guidegen check` does.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site's folder (holding book.toml).
    pub root: PathBuf,
    /// Count warnings as errors (for CI).
    pub deny_warnings: bool,
    /// List the links to other sites (never fetched).
    pub external: bool,
    /// Write the HTML readiness report into this folder.
    pub report: Option<PathBuf>,
}

/// The check could not run at all (exit status 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CannotCheck(pub Box<Diagnostic>);

impl CannotCheck {
    /// The error printed in `format`.
    pub fn render(&self, format: Format) -> String {
        format::render_cannot(self, format)
    }
}

/// One finding: a diagnostic with its code and level, and the pages it is on.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What, where, how bad; `diag.code` is always set.
    pub diag: Diagnostic,
    /// Output paths of the pages it is on (`en/flask/010_intro.html`).
    pub pages: Vec<String>,
    /// The guide it belongs to: (language, guide name).
    pub guide: Option<(String, String)>,
}

impl Finding {
    /// The finding's stable code.
    pub fn code(&self) -> Code {
        self.diag.code.unwrap_or(Code::BuildError)
    }
}

/// A link to another site, listed with `--external` (never fetched).
#[derive(Debug, Clone)]
pub struct External {
    /// The URL.
    pub url: String,
    /// How many links point to it.
    pub count: usize,
    /// Where it is first written (a source file, or a page).
    pub first: Diagnostic,
}

/// What a check found.
#[derive(Debug)]
pub struct Outcome {
    /// Findings to act on, sorted by file and position.
    pub findings: Vec<Finding>,
    /// Findings of kinds `[check] allow` accepts: counted in the report, not warned about.
    pub accepted: Vec<Finding>,
    /// Links to other sites (with `--external`).
    pub external: Vec<External>,
    /// Pages checked, every language.
    pub pages: usize,
    /// Per language and guide: the pages and how many are ready.
    pub readiness: Vec<GuideReadiness>,
    /// How long the check took.
    pub elapsed: Duration,
    /// The published base URL of each language.
    pub base_urls: BTreeMap<String, String>,
    /// Every example step and the last result of its test (`guidegen test`).
    pub steps: Vec<StepState>,
}

/// How ready one guide is in one language.
#[derive(Debug, Clone)]
pub struct GuideReadiness {
    /// The language.
    pub lang: String,
    /// The guide's folder name.
    pub guide: String,
    /// The guide's title.
    pub title: String,
    /// The published URL of the guide's landing page.
    pub url: String,
    /// Pages of the guide.
    pub pages: usize,
    /// Pages with no finding at all.
    pub ready: usize,
    /// Pages with author notes, empty pages, pages with no translation.
    pub with_notes: usize,
    /// Pages with no text.
    pub empty: usize,
    /// Pages with no translation into some language.
    pub untranslated: usize,
}

impl Outcome {
    /// The outcome printed in `format` (`color`: terminal colours for text).
    pub fn render(&self, format: Format, color: bool) -> String {
        format::render(self, format, color)
    }

    /// How many findings are errors.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.diag.level == Level::Error)
            .count()
    }

    /// How many findings are warnings.
    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// Findings being collected, and the page each is about.
pub(crate) struct Findings<'b> {
    build: &'b Build,
    list: Vec<Finding>,
}

impl<'b> Findings<'b> {
    fn new(build: &'b Build) -> Self {
        Findings {
            build,
            list: Vec::new(),
        }
    }

    /// Add `d` (with `code`, at the level `check` gives it) found on page `on`.
    pub(crate) fn add(&mut self, code: Code, d: Diagnostic, on: Option<PageId>) {
        self.add_at(code, code.level(), d, on);
    }

    /// Add `d` with `code` at `level` (a code another command rates otherwise).
    pub(crate) fn add_at(&mut self, code: Code, level: Level, d: Diagnostic, on: Option<PageId>) {
        let mut d = d.with_code(code);
        d.level = level;
        let (pages, guide) = match on {
            Some(id) => {
                let p = &self.build.model.site.pages[id];
                let guide = p
                    .guide
                    .map(|g| (p.lang.clone(), self.build.model.site.guides[g].name.clone()));
                (vec![format!("{}/{}", p.lang, p.out)], guide)
            }
            None => (Vec::new(), None),
        };
        self.list.push(Finding {
            diag: d,
            pages,
            guide,
        });
    }

    pub(crate) fn build(&self) -> &'b Build {
        self.build
    }
}

/// Check the site at `opts.root`.
pub fn check(opts: &CheckOptions) -> Result<Outcome, CannotCheck> {
    let start = Instant::now();
    if !opts.root.is_dir() {
        return Err(CannotCheck(Box::new(
            Diagnostic::error(&opts.root, "the site's folder cannot be read")
                .with_help("pass the folder holding book.toml with --root DIR"),
        )));
    }
    if !opts.root.join("book.toml").is_file() {
        return Err(CannotCheck(Box::new(crate::config::not_a_site(
            &opts.root, false,
        ))));
    }
    let bopts = BuildOptions {
        drafts: true,
        notes: Some(NotesMode::Warn),
        collect: true,
        ..BuildOptions::new(&opts.root)
    };
    let allow = Config::load(&opts.root)
        .map(|c| c.check_allow)
        .unwrap_or_default();
    let built = build(&bopts);
    let base_urls = match &built {
        Ok(b) => b.model.base_urls.clone().into_iter().collect(),
        Err(_) => BTreeMap::new(),
    };
    let (findings, external, pages, readiness, steps) = match &built {
        Err(f) => {
            let list = f.diagnostics.iter().cloned().map(from_build).collect();
            (list, Vec::new(), 0, Vec::new(), Vec::new())
        }
        Ok(b) => run(b, opts.external),
    };
    let (accepted, mut findings): (Vec<Finding>, Vec<Finding>) = findings
        .into_iter()
        .partition(|f| allow.contains(&f.code()));
    if opts.deny_warnings {
        for f in &mut findings {
            f.diag.level = Level::Error;
        }
    }
    let mut outcome = Outcome {
        findings,
        accepted,
        external,
        pages,
        readiness,
        elapsed: start.elapsed(),
        base_urls,
        steps,
    };
    if let (Some(dir), Ok(b)) = (&opts.report, &built)
        && let Err(d) = report::write(b, &outcome, dir)
    {
        return Err(CannotCheck(Box::new(d)));
    }
    outcome.elapsed = start.elapsed();
    Ok(outcome)
}

/// A diagnostic of the build as a finding (its code, else build-error/build-warning).
fn from_build(mut d: Diagnostic) -> Finding {
    let code = d.code.unwrap_or(if d.is_error() {
        Code::BuildError
    } else {
        Code::BuildWarning
    });
    d.code = Some(code);
    if code.level() == Level::Error {
        d.level = Level::Error;
    }
    Finding {
        diag: d,
        pages: Vec::new(),
        guide: None,
    }
}

/// What [`run`] finds: findings, external links, pages, readiness, steps.
type Found = (
    Vec<Finding>,
    Vec<External>,
    usize,
    Vec<GuideReadiness>,
    Vec<StepState>,
);

/// Every check over a built site.
fn run(b: &Build, external: bool) -> Found {
    let mut found = Findings::new(b);
    for d in &b.warnings {
        // Links and images are checked on what the site emits, below.
        if !matches!(d.code, Some(Code::BrokenLink | Code::MissingImage)) {
            found.list.push(from_build(d.clone()));
        }
    }
    let external = links::check(&mut found, external);
    readiness::check(&mut found);
    translations::check(&mut found);
    examples::check(&mut found);
    branches::check(&mut found);
    let steps = tested::check(&mut found);
    let by_file = pages_by_file(b);
    let list = found
        .list
        .into_iter()
        .map(|f| match f.pages.is_empty() {
            true => on_pages(b, &by_file, f),
            false => f,
        })
        .collect();
    let list = merge(list);
    let readiness = report::readiness(b, &list);
    (list, external, b.page_ids().count(), readiness, steps)
}

/// The pages rendered from each source file: a page's own file, a skeleton chapter
/// (one page per guide that extends it).
fn pages_by_file(b: &Build) -> BTreeMap<PathBuf, Vec<PageId>> {
    let mut m: BTreeMap<PathBuf, Vec<PageId>> = BTreeMap::new();
    for id in b.page_ids() {
        if let Some(f) = b.model.site.page_file(&b.model.site.pages[id]) {
            m.entry(f.rel.clone()).or_default().push(id);
        }
    }
    m
}

/// A build's finding placed on the pages of its file, and in their guide when they are
/// all one guide's (the report lists it there).
fn on_pages(b: &Build, by_file: &BTreeMap<PathBuf, Vec<PageId>>, mut f: Finding) -> Finding {
    let Some(ids) = by_file.get(&f.diag.path) else {
        return f;
    };
    let mut guides = Vec::new();
    for &id in ids {
        let p = &b.model.site.pages[id];
        f.pages.push(format!("{}/{}", p.lang, p.out));
        let g = p
            .guide
            .map(|g| (p.lang.clone(), b.model.site.guides[g].name.clone()));
        if !guides.contains(&g) {
            guides.push(g);
        }
    }
    if let [Some(g)] = guides.as_slice() {
        f.guide = Some(g.clone());
    }
    f
}

/// Sort findings and merge those at one place (a skeleton chapter's problem, found on
/// the page of every guide that renders it, is one finding on several pages).
fn merge(list: Vec<Finding>) -> Vec<Finding> {
    let mut by_key: BTreeMap<(PathBuf, usize, usize, Code, String), Finding> = BTreeMap::new();
    for f in list {
        let loc = f
            .diag
            .location
            .as_ref()
            .map(|l| (l.line, l.column))
            .unwrap_or((0, 0));
        let key = (
            f.diag.path.clone(),
            loc.0,
            loc.1,
            f.code(),
            f.diag.message.clone(),
        );
        match by_key.get_mut(&key) {
            Some(existing) => {
                for p in f.pages {
                    if !existing.pages.contains(&p) {
                        existing.pages.push(p);
                    }
                }
            }
            None => {
                by_key.insert(key, f);
            }
        }
    }
    by_key.into_values().collect()
}
