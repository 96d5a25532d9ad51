//! One page through the stages: slots (with the page's variables) -> Markdown (links and
//! images resolved through this build) -> the theme's template. Also the value slots in
//! titles and descriptions, resolved once after loading.

use rayon::prelude::*;

use super::facts::PageFacts;
use super::{Build, PageDeps};
use crate::config::NotesMode;
use crate::content::PageId;
use crate::diag::Diagnostic;
use crate::markdown::{self, Rendered};
use crate::render::{Body, OutPage};
use crate::search;
use crate::slots::{self, Expanded};
use crate::util::confine;
use crate::util::url::{absolute, relative};

/// Where rendered pages go as they are finished (see [`Build::render_pages_into`]).
pub(crate) type Sink<'a> = dyn Fn(&OutPage) -> Result<(), Diagnostic> + Sync + 'a;

pub struct PageResult {
    pub page: Option<OutPage>,
    pub deps: PageDeps,
    pub diags: Vec<Diagnostic>,
    /// What `check` reads of the page, when the build collects it.
    pub(crate) facts: Option<PageFacts>,
    /// The page as search indexes it (`[build] search`).
    pub(crate) search: Option<search::Doc>,
    /// A page reused from the build cache: its search document there (loaded only if
    /// the index must be made again).
    pub(crate) cached_doc: Option<String>,
    /// Taken from the build cache, not rendered.
    pub(crate) reused: bool,
}

/// Where a build's pages go as they are rendered.
#[derive(Clone, Copy)]
pub(crate) enum Out<'a> {
    /// Kept in memory (`serve`, `check`).
    Memory,
    /// Handed to a sink, then dropped.
    Sink(&'a Sink<'a>),
    /// Reused from the build cache where nothing changed, else rendered; either way
    /// stored and linked into the staging folder.
    Warm(&'a super::warm::Warm, &'a crate::output::Staging),
}

impl Build {
    /// Render the given pages in parallel; results in the order of `ids`.
    ///
    /// The translations of a page show the same code, highlighted once (the highlight
    /// memo makes a second thread wait for the first). So the pages go to the threads
    /// with the translations of each page side by side: one thread renders both, the
    /// second from the memo, while the other thread works on other pages.
    pub fn render_pages(&self, ids: &[PageId]) -> Vec<PageResult> {
        self.render_pages_into(ids, Out::Memory)
    }

    /// [`Build::render_pages`], handing each rendered page to `sink` as soon as it is
    /// rendered (on the worker thread) and keeping only its path: `build` writes pages
    /// while others render, and never holds the whole site in memory.
    pub(crate) fn render_pages_into(&self, ids: &[PageId], out: Out<'_>) -> Vec<PageResult> {
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by(|&a, &b| self.side_by_side(ids[a]).cmp(&self.side_by_side(ids[b])));
        let mut done: Vec<(usize, PageResult)> = order
            .par_iter()
            .map(|&i| (i, self.render_to(ids[i], out)))
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

    /// Page `id`, taken from the cache or rendered, sent where `out` says.
    fn render_to(&self, id: PageId, out: Out<'_>) -> PageResult {
        if let Out::Warm(warm, staging) = out
            && let Some(r) = warm.reuse(self, id, staging)
        {
            return r;
        }
        let store = match out {
            Out::Warm(warm, _) => Some(warm as &dyn crate::highlight::Store),
            _ => None,
        };
        let mut r = self.render_page_in(id, store);
        let failed = r.diags.iter().any(Diagnostic::is_error);
        let sent = match (out, &r.page) {
            (Out::Sink(sink), Some(page)) => sink(page),
            (Out::Warm(warm, staging), Some(_)) if !failed => warm.store(self, id, &r, staging),
            _ => Ok(()),
        };
        if let Err(d) = sent {
            r.diags.push(d);
        }
        if !matches!(out, Out::Memory) {
            if let Some(page) = &mut r.page {
                page.html = String::new();
            }
            // The build cache has taken its record: the shown text waits on disk.
            if let (Some(doc), Some(spill)) = (&mut r.search, self.spill()) {
                doc.spill(|bytes| spill.put(bytes).ok());
            }
        }
        r
    }

    /// The scratch file for search text, made on first use (`None` if it cannot be).
    fn spill(&self) -> Option<&crate::output::Spill> {
        self.spill
            .get_or_init(|| crate::output::Spill::new().ok())
            .as_ref()
    }

    /// Read back search text that [`Build::spill`] stored.
    pub(super) fn unspill(&self, at: search::Spilled) -> std::io::Result<Vec<u8>> {
        match self.spill.get() {
            Some(Some(s)) => s.get(at.at, at.len as usize),
            _ => Err(std::io::Error::other("the scratch file is gone")),
        }
    }

    /// One page: expand its slots, render its Markdown, fill the template.
    pub fn render_page(&self, id: PageId) -> PageResult {
        self.render_page_in(id, None)
    }

    /// [`Build::render_page`], taking highlighted blocks from `highlights` (a warm
    /// build's cache) and keeping new ones there.
    fn render_page_in(
        &self,
        id: PageId,
        highlights: Option<&dyn crate::highlight::Store>,
    ) -> PageResult {
        let expanded = self.expand(id);
        let mut deps = PageDeps::default();
        let mut diags = Vec::new();
        if let Some(x) = &expanded {
            deps.files = x
                .files_used
                .iter()
                .map(|f| self.site.files[*f].abs.clone())
                .collect();
            deps.examples = x.examples_used.clone();
            diags.extend(x.diags.iter().cloned());
            diags.extend(self.note_warnings(x));
        }
        let expanded = expanded.unwrap_or_default();
        let rendered = self.markdown(id, &expanded, highlights);
        diags.extend(self.markdown_warnings(id, &expanded, &rendered));
        let mut page = None;
        // `check` renders a page in error too (what it can), to check the rest of it.
        if self.collect || !diags.iter().any(Diagnostic::is_error) {
            let body = Body {
                html: &rendered.html,
                toc: &rendered.toc,
                notes: if self.notes == NotesMode::Warn {
                    expanded.notes.len()
                } else {
                    0
                },
            };
            match self.renderer().page(id, body) {
                Ok(o) => page = Some(o),
                Err(d) => diags.push(d),
            }
        }
        let search = (self.config.search && page.is_some()).then(|| self.search_doc(id, &rendered));
        let facts = self.collect.then(|| self.facts(&expanded, rendered));
        PageResult {
            page,
            deps,
            diags,
            facts,
            search,
            cached_doc: None,
            reused: false,
        }
    }

    /// Page `id` as search indexes it.
    fn search_doc(&self, id: PageId, rendered: &Rendered) -> search::Doc {
        let p = &self.site.pages[id];
        let url = absolute("", &p.out).trim_start_matches('/').to_string();
        let guide = p
            .guide
            .map(|g| self.site.guides[g].title.clone())
            .unwrap_or_default();
        search::Doc::new(&self.stems, url, p.title.clone(), guide, &rendered.html)
    }

    /// The page's slots resolved into Markdown (`None` for a generated page).
    fn expand(&self, id: PageId) -> Option<Expanded> {
        let p = &self.site.pages[id];
        let f = p.file?;
        let context_note = p.from_skeleton.then(|| {
            let g = p
                .guide
                .map(|g| self.site.guides[g].name.clone())
                .unwrap_or_default();
            format!(
                "skeleton chapter rendered for guide '{g}' ({}) as {}/{}",
                p.lang, p.lang, p.out
            )
        });
        let env = slots::Env {
            config: &self.config,
            site: &self.site,
            examples: &self.examples,
            lang: &p.lang,
            vars: &p.vars,
            notes: self.notes,
            parsed: &self.parsed,
            context_note,
        };
        Some(slots::expand(&env, f, p.body.clone()))
    }

    /// One terse warning per author note (an error instead when notes are denied).
    fn note_warnings(&self, x: &Expanded) -> Vec<Diagnostic> {
        if self.notes == NotesMode::Deny {
            return Vec::new();
        }
        x.notes
            .iter()
            .map(|n| n.diagnostic(&self.site.files[n.file], false))
            .collect()
    }

    /// The expanded Markdown rendered with this build's link and asset resolvers.
    fn markdown(
        &self,
        id: PageId,
        x: &Expanded,
        highlights: Option<&dyn crate::highlight::Store>,
    ) -> Rendered {
        let p = &self.site.pages[id];
        let examples_base = crate::vars::examples_dir(&p.vars);
        let resolve_link = |target: &str| self.resolve_md_link(id, target);
        let resolve_asset = |target: &str| self.resolve_asset(id, target);
        let ctx = markdown::Ctx {
            resolve_link: &resolve_link,
            resolve_asset: &resolve_asset,
            repo_url: self.config.examples_repo_url.as_deref(),
            examples_base: &examples_base,
            labels: self.theme.strings(&p.lang),
            shown: &x.shown,
            code_values: &x.code_values,
            collect: self.collect,
            highlights,
        };
        markdown::render(&x.markdown, &x.blocks, &ctx)
    }

    /// Markdown-stage findings, located in the source file through the slot source map.
    fn markdown_warnings(&self, id: PageId, x: &Expanded, r: &Rendered) -> Vec<Diagnostic> {
        let p = &self.site.pages[id];
        let errors = r.errors.iter().map(|e| (e, true));
        r.warnings
            .iter()
            .chain(r.broken_links.iter())
            .map(|w| (w, false))
            .chain(errors)
            .map(|(w, error)| {
                let at = w.span.as_ref().map_or(0, |s| s.start);
                let d = match x.map.lookup(at) {
                    Some((f, off)) => {
                        let sf = &self.site.files[f];
                        w.clone().unlocated().in_source(sf, Some(off..off + 1))
                    }
                    None => {
                        let path = self
                            .site
                            .page_file(p)
                            .map(|f| f.rel.clone())
                            .unwrap_or_default();
                        w.clone().unlocated().in_file(&path, "", None)
                    }
                };
                // A kind `check` calls an error (a broken link) is one for the build
                // too, unless the site accepts it (`[check] allow`, `build --allow`).
                let severe = w
                    .code
                    .is_some_and(|c| c.level() == crate::diag::Level::Error && !self.allows(c));
                if error || severe { d } else { d.as_warning() }
            })
            .collect()
    }

    /// Does the site accept findings of kind `c` (`[check] allow` of book.toml, or
    /// `guidegen build --allow`)?
    pub(crate) fn allows(&self, c: crate::diag::Code) -> bool {
        self.config.check_allow.contains(&c) || self.allow.contains(&c)
    }

    /// A relative `.md` link from page `id` to the URL of the page it names.
    fn resolve_md_link(&self, id: PageId, target: &str) -> Option<String> {
        let p = &self.site.pages[id];
        let joined = confine::join(&p.src_dir, target).ok()?;
        let key = if let Some(dir) = joined
            .strip_suffix("/_index.md")
            .or_else(|| joined.strip_suffix("/_guide.md"))
        {
            format!("{dir}/")
        } else if joined == "_index.md" {
            String::new()
        } else if !joined.contains('/') {
            // `flask.md`: a single-file guide's landing page; else a top-level file.
            format!("{}/", joined.trim_end_matches(".md"))
        } else {
            joined.clone()
        };
        let q = self.site.page_by_key(&p.lang, &key)?;
        Some(relative(&p.out, &self.site.pages[q].out))
    }

    /// An image or file beside the Markdown: the URL of its copy in the output.
    fn resolve_asset(&self, id: PageId, target: &str) -> Option<String> {
        let p = &self.site.pages[id];
        let joined = confine::join(&p.src_dir, target).ok()?;
        self.site
            .has_asset(&p.lang, &joined)
            .then(|| relative(&p.out, &joined))
    }
}
