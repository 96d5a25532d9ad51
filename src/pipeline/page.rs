//! One page through the stages: slots (with the page's variables) -> Markdown (links and
//! images resolved through this build) -> the theme's template. Also the value slots in
//! titles and descriptions, resolved once after loading.

use super::PageDeps;
use super::model::Model;
use super::result::PageResult;
use crate::config::NotesMode;
use crate::content::PageId;
use crate::diag::Diagnostic;
use crate::markdown::{self, Rendered};
use crate::render::Body;
use crate::search;
use crate::slots::{self, Expanded};
use crate::util::confine;
use crate::util::url::{absolute, relative};

impl Model {
    /// One page: expand its slots, render its Markdown, fill the template; its search
    /// document numbered in `stems`, highlighted blocks taken from `highlights` (a warm
    /// build's cache) and kept there.
    pub(crate) fn render_page(
        &self,
        id: PageId,
        stems: &search::Stems,
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
        let search =
            (self.config.search && page.is_some()).then(|| self.search_doc(id, stems, &rendered));
        let files = rendered.files.clone();
        let facts = self.collect.then(|| self.facts(&expanded, rendered));
        PageResult {
            page,
            deps,
            diags,
            facts,
            files,
            search,
            ..PageResult::default()
        }
    }

    /// Page `id` as search indexes it.
    fn search_doc(&self, id: PageId, stems: &search::Stems, rendered: &Rendered) -> search::Doc {
        let p = &self.site.pages[id];
        let url = absolute("", &p.out).trim_start_matches('/').to_string();
        let guide = p
            .guide
            .map(|g| self.site.guides[g].title.clone())
            .unwrap_or_default();
        search::Doc::new(stems, url, p.title.clone(), guide, &rendered.html)
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
            shown: &x.shown,
            code_values: &x.code_values,
            collect: self.collect,
            highlights,
            ..markdown::Ctx::new(self.theme.strings(&p.lang), &self.renderers)
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
