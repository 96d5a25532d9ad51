//! Incremental rebuild (what `serve` does after a save), in four steps: classify the
//! changed paths; reload the content, reusing every unchanged file; decide which pages
//! to render again; render them and commit, or keep the last good site on failure.
//!
//! Same pages as before (by language and output path) -> the pages that read a changed
//! file, plus every page of a guide whose titles or order changed and the language's
//! landing page; pages added, removed or moved -> everything.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::pass::{Memory, Run};
use super::titles::resolve_titles;
use super::{Build, BuildOptions, Failure, build, finish};
use crate::config::SourceKind;
use crate::content::{self, PageId, PageKind, Site};
use crate::diag::Diagnostic;

/// The result of an incremental rebuild.
#[derive(Debug, Default)]
pub struct Rebuilt {
    /// Pages rendered again.
    pub pages: Vec<PageId>,
    /// The whole site was rebuilt (configuration, theme or structure changed).
    pub full: bool,
    /// Files copied verbatim (static/, images beside the content) changed.
    pub assets_changed: bool,
    /// Wall time of the rebuild.
    pub elapsed: Duration,
}

/// What a reader sees of one page's place in the site.
#[derive(PartialEq)]
struct Place<'a> {
    lang: &'a str,
    out: &'a str,
    title: &'a str,
    description: &'a str,
    parents: &'a [PageId],
    prev: Option<PageId>,
    next: Option<PageId>,
    translations: &'a [(String, PageId)],
    draft: bool,
}

/// The site's structure: if this is unchanged after an edit, only the pages that depend
/// on the edited files need rendering again.
fn signature(site: &Site) -> Vec<Place<'_>> {
    site.pages
        .iter()
        .map(|p| Place {
            lang: &p.lang,
            out: &p.out,
            title: &p.title,
            description: &p.description,
            parents: &p.parents,
            prev: p.prev,
            next: p.next,
            translations: &p.translations,
            draft: p.draft,
        })
        .collect()
}

/// Which pages to render again.
#[derive(Default)]
struct Plan {
    ids: HashSet<PageId>,
    full: bool,
}

impl Build {
    /// Rebuild after `changed` paths (absolute) changed on disk: only what depends on
    /// them, pages and per-language files. On failure `self` still holds the last good
    /// site.
    pub fn rebuild(
        &mut self,
        opts: &BuildOptions,
        changed: &[PathBuf],
    ) -> Result<Rebuilt, Failure> {
        let r = self.rebuild_pages(opts, changed)?;
        self.refresh_extra()?;
        Ok(r)
    }

    /// The per-language files (sitemaps, search indexes, big guides' navigation) made
    /// again after [`Build::rebuild_pages`]; nothing to do when they are current.
    pub fn refresh_extra(&mut self) -> Result<(), Failure> {
        if !self.extra_stale {
            return Ok(());
        }
        let run = Run {
            writer: &Memory,
            stems: &self.stems,
        };
        let extra = self
            .model
            .render_extra(&mut self.results, run)
            .map_err(|d| Failure::from(vec![d]))?;
        self.extra = extra;
        self.extra_stale = false;
        Ok(())
    }

    /// [`Build::rebuild`] without the per-language files: `serve` makes the edited
    /// pages servable first, then calls [`Build::refresh_extra`].
    pub fn rebuild_pages(
        &mut self,
        opts: &BuildOptions,
        changed: &[PathBuf],
    ) -> Result<Rebuilt, Failure> {
        let start = Instant::now();
        let kinds: Vec<Option<SourceKind>> = changed
            .iter()
            .map(|p| self.model.config.classify(p))
            .collect();
        if kinds
            .iter()
            .any(|k| matches!(k, Some(SourceKind::Book | SourceKind::Theme)))
        {
            self.model.examples.invalidate(None);
            *self = build(opts)?;
            return Ok(Rebuilt {
                pages: PageId::all(self.results.len()).collect(),
                full: true,
                assets_changed: true,
                elapsed: start.elapsed(),
            });
        }
        for (p, _) in changed
            .iter()
            .zip(&kinds)
            .filter(|(_, k)| **k == Some(SourceKind::Examples))
        {
            self.model.examples.invalidate(Some(p));
        }
        if kinds.contains(&Some(SourceKind::Static)) {
            self.model.reload_statics()?;
        }
        let mut plan = Plan {
            ids: self.affected(changed),
            full: false,
        };
        let old_site = if kinds.contains(&Some(SourceKind::Content)) {
            Some(self.reload_content(opts, changed, &mut plan)?)
        } else {
            None
        };
        let mut ids: Vec<PageId> = if plan.full {
            PageId::all(self.model.site.pages.len()).collect()
        } else {
            plan.ids.into_iter().collect()
        };
        ids.sort_unstable();
        self.render_and_commit(&ids, plan.full, old_site)?;
        let assets_changed = changed.iter().zip(&kinds).any(|(p, k)| match k {
            Some(SourceKind::Static) => true,
            Some(SourceKind::Content) => p.extension().is_none_or(|x| x != "md"),
            _ => false,
        });
        Ok(Rebuilt {
            pages: ids,
            full: plan.full,
            assets_changed,
            elapsed: start.elapsed(),
        })
    }

    /// Load the content again (unchanged files reused), swap it in, and add to `plan` the
    /// pages whose place or source changed. Returns the previous site.
    fn reload_content(
        &mut self,
        opts: &BuildOptions,
        changed: &[PathBuf],
        plan: &mut Plan,
    ) -> Result<Site, Failure> {
        let m = &mut self.model;
        let (site, mut diags) =
            content::load_reusing(&m.config, opts.drafts, Some(&m.site), changed);
        let Some(mut site) = site.filter(|_| !diags.iter().any(Diagnostic::is_error)) else {
            return Err(Failure::from(diags));
        };
        resolve_titles(&m.config, &mut site, &mut diags);
        diags.extend(super::outputs::check(
            &m.config, &site, &m.theme, &m.statics,
        ));
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Failure::from(diags));
        }
        let (old_sig, new_sig) = (signature(&m.site), signature(&site));
        let same_pages = old_sig.len() == new_sig.len()
            && old_sig
                .iter()
                .zip(&new_sig)
                .all(|(a, b)| a.lang == b.lang && a.out == b.out);
        if same_pages {
            plan.ids
                .extend(moved_in_navigation(&site, &old_sig, &new_sig));
            plan.ids.extend(changed_sources(&m.site, &site));
        } else {
            // Pages appeared, disappeared or moved: every sidebar and link may change.
            plan.full = true;
        }
        drop((old_sig, new_sig));
        let old = std::mem::replace(&mut m.site, site);
        m.parsed.clear();
        Ok(old)
    }

    /// Render `ids` and keep the results; on an error restore `old_site` and keep the
    /// pages of the last good build.
    fn render_and_commit(
        &mut self,
        ids: &[PageId],
        full: bool,
        old_site: Option<Site>,
    ) -> Result<(), Failure> {
        let run = Run {
            writer: &Memory,
            stems: &self.stems,
        };
        let results = self.model.render(ids, run);
        let diags = finish(
            results
                .iter()
                .flat_map(|r| r.diags.iter().cloned())
                .collect(),
        );
        if diags.iter().any(Diagnostic::is_error) {
            if let Some(old) = old_site {
                self.model.site = old;
                self.model.parsed.clear();
            }
            return Err(Failure { diagnostics: diags });
        }
        if full {
            self.results = results;
        } else {
            for (&id, r) in ids.iter().zip(results) {
                self.results[id.index()] = r;
            }
        }
        // The sitemaps and the search index follow the pages: `refresh_extra`.
        self.extra_stale = true;
        self.stats.pages = self.results.len();
        self.warnings = diags;
        Ok(())
    }
}

/// Same pages, other titles or neighbours: the pages that changed, every page of their
/// guides (their sidebars show them) and their languages' landing pages (they list the
/// guides).
fn moved_in_navigation(site: &Site, old: &[Place<'_>], new: &[Place<'_>]) -> HashSet<PageId> {
    let mut ids = HashSet::new();
    let mut guides = HashSet::new();
    let mut langs = HashSet::new();
    for (i, (a, b)) in PageId::all(old.len()).zip(old.iter().zip(new)) {
        if a != b {
            ids.insert(i);
            if let Some(g) = site.pages[i].guide {
                guides.insert(g);
            }
            langs.insert(site.pages[i].lang.clone());
        }
    }
    for (i, p) in PageId::all(site.pages.len()).zip(&site.pages) {
        let in_guide = p.guide.is_some_and(|g| guides.contains(&g));
        let landing = p.kind == PageKind::LangLanding && langs.contains(&p.lang);
        if in_guide || landing {
            ids.insert(i);
        }
    }
    ids
}

/// Pages whose variables, body or source file differ between two loads.
fn changed_sources(old: &Site, new: &Site) -> HashSet<PageId> {
    old.pages
        .iter()
        .zip(&new.pages)
        .enumerate()
        .filter(|(_, (a, b))| {
            a.vars != b.vars
                || a.body != b.body
                || a.file.map(|f| &old.files[f].abs) != b.file.map(|f| &new.files[f].abs)
        })
        .map(|(i, _)| PageId::new(i))
        .collect()
}
