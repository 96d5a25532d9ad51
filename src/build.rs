//! `build`: runs the stages — config, content, slots, markdown, render — for every page
//! and hands the result to `output`. Pages render in parallel; nothing is written unless
//! every page succeeded.
//!
//! [`Build`] keeps what `serve` needs to rebuild incrementally: the loaded site, the
//! theme, and each page's dependencies as data ([`PageDeps`]).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{Config, NotesMode};
use crate::content::{self, PageId, PageKind, Site};
use crate::diag::{Diagnostic, Level};
use crate::examples::ExampleStore;
use crate::markdown;
use crate::output::FileSet;
use crate::render::{Body, Renderer, Theme};
use crate::slots;
use crate::util::fs::files_under;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub drafts: bool,
    /// Replace each language's base URL (serve: the local server's).
    pub base_urls: Option<HashMap<String, String>>,
    /// Override `[build] notes` (serve shows notes even when the site hides them).
    pub notes: Option<NotesMode>,
}

/// What a page was built from: change any of these and the page must be rebuilt.
#[derive(Debug, Clone, Default)]
pub struct PageDeps {
    /// Markdown files (the page's own, partials, skeleton chapters), absolute.
    pub files: Vec<PathBuf>,
    /// Paths under `examples/` (files, and folders for trees and diffs).
    pub examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct OutPage {
    pub lang: String,
    /// Path under the language's output folder.
    pub out: String,
    pub html: String,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub languages: usize,
    pub guides: usize,
    pub pages: usize,
    pub warnings: usize,
    pub elapsed: Duration,
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, w: &str| {
            if n == 1 {
                format!("{n} {w}")
            } else {
                format!("{n} {w}s")
            }
        };
        write!(
            f,
            "Built {}, {}, {} with {} in {:.2} s",
            plural(self.languages, "language"),
            plural(self.guides, "guide"),
            plural(self.pages, "page"),
            plural(self.warnings, "warning"),
            self.elapsed.as_secs_f64()
        )
    }
}

/// A finished build held in memory.
pub struct Build {
    pub config: Config,
    pub site: Site,
    pub theme: Theme,
    pub examples: ExampleStore,
    /// Sources parsed once per loaded site (see `slots::ParseCache`).
    parsed: slots::ParseCache,
    pub base_urls: HashMap<String, String>,
    pub notes: NotesMode,
    /// One output per page, indexed by [`PageId`].
    pub pages: Vec<OutPage>,
    /// Pages that belong to no source: each language's `404.html`.
    pub extra: Vec<OutPage>,
    pub deps: Vec<PageDeps>,
    pub warnings: Vec<Diagnostic>,
    pub stats: Stats,
    pub out_dir: PathBuf,
}

/// A failed build: every diagnostic, errors and warnings, sorted.
#[derive(Debug, thiserror::Error)]
#[error("the build failed with {} error(s)", self.errors())]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
}

impl Failure {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Sort diagnostics and merge duplicates (the same slot error in a skeleton chapter
/// rendered for several guides is one error, with one note per guide).
fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by_key(Diagnostic::sort_key);
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

/// Load everything and render every page in memory.
pub fn build(opts: &Options) -> Result<Build, Failure> {
    let start = Instant::now();
    crate::highlight::preload();
    let root = &opts.root;
    let config = Config::load(root).map_err(|d| Failure {
        diagnostics: vec![d],
    })?;
    let (site, mut diags) = content::load(&config, opts.drafts);
    let Some(mut site) = site else {
        return Err(Failure {
            diagnostics: finish(diags),
        });
    };
    let langs: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    let theme = match Theme::load(root, &langs) {
        Ok(t) => t,
        Err(mut d) => {
            diags.append(&mut d);
            return Err(Failure {
                diagnostics: finish(diags),
            });
        }
    };
    let base_urls = opts.base_urls.clone().unwrap_or_else(|| {
        config
            .languages
            .iter()
            .map(|l| (l.code.clone(), l.base_url.clone()))
            .collect()
    });
    resolve_titles(&config, &mut site, &mut diags);
    let notes = opts.notes.unwrap_or(config.notes);
    let out_dir = opts.out.clone().unwrap_or_else(|| config.out_dir.clone());
    let examples = ExampleStore::new(root);
    let mut b = Build {
        config,
        site,
        theme,
        examples,
        parsed: slots::ParseCache::default(),
        base_urls,
        notes,
        pages: Vec::new(),
        extra: Vec::new(),
        deps: Vec::new(),
        warnings: Vec::new(),
        stats: Stats::default(),
        out_dir,
    };
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure {
            diagnostics: finish(diags),
        });
    }
    let all: Vec<PageId> = (0..b.site.pages.len()).collect();
    let results = b.render_pages(&all);
    let mut pages = Vec::with_capacity(all.len());
    let mut deps = Vec::with_capacity(all.len());
    for r in results {
        diags.extend(r.diags);
        if let Some(p) = r.page {
            pages.push(p);
        }
        deps.push(r.deps);
    }
    match b.render_extra() {
        Ok(extra) => b.extra = extra,
        Err(d) => diags.push(d),
    }
    let diags = finish(diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure { diagnostics: diags });
    }
    b.pages = pages;
    b.deps = deps;
    b.stats = Stats {
        languages: b.config.languages.len(),
        guides: b.site.guides.len(),
        pages: b.pages.len(),
        warnings: diags.iter().filter(|d| d.level == Level::Warning).count(),
        elapsed: start.elapsed(),
    };
    b.warnings = diags;
    Ok(b)
}

/// Titles and descriptions may hold value slots: `title: "<<framework>> in Kubernetes"`.
fn resolve_titles(config: &Config, site: &mut Site, diags: &mut Vec<Diagnostic>) {
    for i in 0..site.pages.len() {
        let p = &site.pages[i];
        let ex = match p.vars.get("examples") {
            Some(serde_json::Value::String(e)) if e.contains("<<") => Some(e.clone()),
            _ => None,
        };
        if !p.title.contains("<<") && !p.description.contains("<<") && ex.is_none() {
            continue;
        }
        let mut fix = |s: &str, key: &str| -> String {
            match crate::vars::expand_inline(config, &p.lang, &p.vars, s) {
                Ok(v) => v,
                Err(m) => {
                    let mut d = Diagnostic::error(
                        p.file
                            .map(|f| site.files[f].rel.clone())
                            .unwrap_or_default(),
                        format!("in {key}: {m}"),
                    );
                    if let Some(f) = p.file {
                        let text = &site.files[f].text;
                        if let Some(at) = text.find(s) {
                            d = d.at(text, at, at + s.len());
                        }
                    }
                    diags.push(d);
                    s.to_string()
                }
            }
        };
        let title = fix(&p.title.clone(), "title");
        let description = fix(&p.description.clone(), "description");
        let examples = ex.map(|e| fix(&e, "examples"));
        let p = &mut site.pages[i];
        if let Some(e) = examples {
            p.vars
                .insert("examples".into(), serde_json::Value::String(e));
        }
        p.title = title.clone();
        p.description = description;
        if let Some(serde_json::Value::Object(m)) = p.vars.get_mut("page") {
            m.insert("title".into(), serde_json::Value::String(title));
        }
    }
    for g in 0..site.guides.len() {
        let landing = site.guides[g].landing;
        site.guides[g].title = site.pages[landing].title.clone();
    }
}

pub struct PageResult {
    pub page: Option<OutPage>,
    pub deps: PageDeps,
    pub diags: Vec<Diagnostic>,
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

/// The result of an incremental rebuild.
#[derive(Debug, Default)]
pub struct Rebuilt {
    /// Pages rendered again.
    pub pages: Vec<PageId>,
    /// The whole site was rebuilt (configuration, theme or structure changed).
    pub full: bool,
    /// Files copied verbatim (static/, images beside the content) changed.
    pub assets_changed: bool,
    pub elapsed: Duration,
}

impl Build {
    /// Rebuild after `changed` paths (absolute) changed on disk: only what depends on
    /// them. On failure `self` still holds the last good site.
    pub fn rebuild(&mut self, opts: &Options, changed: &[PathBuf]) -> Result<Rebuilt, Failure> {
        let start = Instant::now();
        let root = self.config.root.clone();
        let under = |p: &Path, dir: &str| p.starts_with(root.join(dir));
        if changed
            .iter()
            .any(|p| *p == root.join("book.toml") || under(p, "theme"))
        {
            self.examples.invalidate(None);
            let fresh = build(opts)?;
            *self = fresh;
            return Ok(Rebuilt {
                pages: (0..self.pages.len()).collect(),
                full: true,
                assets_changed: true,
                elapsed: start.elapsed(),
            });
        }
        for p in changed.iter().filter(|p| under(p, "examples")) {
            self.examples.invalidate(Some(p));
        }
        let mut ids: HashSet<PageId> = self.affected(changed);
        let mut full = false;
        let mut old_site = None;
        if changed.iter().any(|p| under(p, "content")) {
            let (site, mut diags) =
                content::load_reusing(&self.config, opts.drafts, Some(&self.site), changed);
            let Some(mut site) = site else {
                return Err(Failure {
                    diagnostics: finish(diags),
                });
            };
            resolve_titles(&self.config, &mut site, &mut diags);
            if diags.iter().any(Diagnostic::is_error) {
                return Err(Failure {
                    diagnostics: finish(diags),
                });
            }
            let (old_sig, new_sig) = (signature(&self.site), signature(&site));
            let same_pages = old_sig.len() == new_sig.len()
                && old_sig
                    .iter()
                    .zip(&new_sig)
                    .all(|(a, b)| a.lang == b.lang && a.out == b.out);
            if !same_pages {
                // Pages appeared, disappeared or moved: every sidebar and link may change.
                full = true;
            } else {
                // Same pages, other titles or neighbours: the guides that show them in
                // their sidebars, and the language landing pages that list the guides.
                let mut guides = HashSet::new();
                let mut langs = HashSet::new();
                for (i, (a, b)) in old_sig.iter().zip(&new_sig).enumerate() {
                    if a != b {
                        ids.insert(i);
                        if let Some(g) = site.pages[i].guide {
                            guides.insert(g);
                        }
                        langs.insert(site.pages[i].lang.clone());
                    }
                }
                for (i, p) in site.pages.iter().enumerate() {
                    let in_guide = p.guide.is_some_and(|g| guides.contains(&g));
                    let landing = p.kind == PageKind::LangLanding && langs.contains(&p.lang);
                    if in_guide || landing {
                        ids.insert(i);
                    }
                }
                for (i, (a, b)) in self.site.pages.iter().zip(&site.pages).enumerate() {
                    if a.vars != b.vars
                        || a.body != b.body
                        || a.file.map(|f| &self.site.files[f].abs)
                            != b.file.map(|f| &site.files[f].abs)
                    {
                        ids.insert(i);
                    }
                }
            }
            old_site = Some(std::mem::replace(&mut self.site, site));
            self.parsed.clear();
        }
        let mut ids: Vec<PageId> = if full {
            (0..self.site.pages.len()).collect()
        } else {
            ids.into_iter().collect()
        };
        ids.sort_unstable();
        let results = self.render_pages(&ids);
        let mut diags: Vec<Diagnostic> = Vec::new();
        let mut outs = Vec::with_capacity(ids.len());
        for r in results {
            diags.extend(r.diags);
            outs.push((r.page, r.deps));
        }
        let diags = finish(diags);
        if diags.iter().any(Diagnostic::is_error) {
            if let Some(old) = old_site {
                self.site = old;
                self.parsed.clear();
            }
            return Err(Failure { diagnostics: diags });
        }
        if full {
            self.pages = outs.iter().filter_map(|(p, _)| p.clone()).collect();
            self.deps = outs.into_iter().map(|(_, d)| d).collect();
        } else {
            for (&id, (page, deps)) in ids.iter().zip(outs) {
                if let Some(p) = page {
                    self.pages[id] = p;
                }
                self.deps[id] = deps;
            }
        }
        self.stats.pages = self.pages.len();
        self.warnings = diags;
        let assets_changed = changed.iter().any(|p| {
            under(p, "static") || (under(p, "content") && p.extension().is_none_or(|x| x != "md"))
        });
        Ok(Rebuilt {
            pages: ids,
            full,
            assets_changed,
            elapsed: start.elapsed(),
        })
    }

    /// Per language: `404.html` and `sitemap.xml` (with hreflang alternates).
    fn render_extra(&self) -> Result<Vec<OutPage>, Diagnostic> {
        let renderer = Renderer {
            config: &self.config,
            site: &self.site,
            theme: &self.theme,
            base_urls: &self.base_urls,
        };
        let mut out = Vec::new();
        for l in &self.config.languages {
            out.push(OutPage {
                lang: l.code.clone(),
                out: "404.html".into(),
                html: renderer.render_404(&l.code)?,
            });
            out.push(OutPage {
                lang: l.code.clone(),
                out: "sitemap.xml".into(),
                html: self.sitemap(&l.code),
            });
        }
        Ok(out)
    }

    fn sitemap(&self, lang: &str) -> String {
        let url = |l: &str, out: &str| {
            crate::util::html::escape(&crate::util::url::absolute(
                self.base_urls.get(l).map(String::as_str).unwrap_or(""),
                out,
            ))
        };
        let mut x = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for p in self
            .site
            .pages
            .iter()
            .filter(|p| p.lang == lang && !p.draft)
        {
            x.push_str(&format!("  <url>\n    <loc>{}</loc>\n", url(lang, &p.out)));
            if !p.translations.is_empty() {
                let mut alts: Vec<(&str, &str)> = vec![(lang, p.out.as_str())];
                alts.extend(
                    p.translations
                        .iter()
                        .map(|(l, q)| (l.as_str(), self.site.pages[*q].out.as_str())),
                );
                alts.sort();
                for (l, o) in alts {
                    x.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{l}\" href=\"{}\"/>\n",
                        url(l, o)
                    ));
                }
            }
            x.push_str("  </url>\n");
        }
        x.push_str("</urlset>\n");
        x
    }

    /// Render the given pages in parallel.
    pub fn render_pages(&self, ids: &[PageId]) -> Vec<PageResult> {
        ids.par_iter().map(|&id| self.render_page(id)).collect()
    }

    pub fn render_page(&self, id: PageId) -> PageResult {
        let site = &self.site;
        let p = &site.pages[id];
        let mut diags = Vec::new();
        let mut deps = PageDeps::default();
        let mut expanded = slots::Expanded::default();
        if let Some(f) = p.file {
            let env = slots::Env {
                config: &self.config,
                site,
                examples: &self.examples,
                lang: &p.lang,
                vars: &p.vars,
                notes: self.notes,
                parsed: &self.parsed,
                context_note: if p.from_skeleton {
                    let g = p
                        .guide
                        .map(|g| site.guides[g].name.clone())
                        .unwrap_or_default();
                    Some(format!(
                        "skeleton chapter rendered for guide '{g}' ({}) as {}/{}",
                        p.lang, p.lang, p.out
                    ))
                } else {
                    None
                },
            };
            expanded = slots::expand(&env, f, p.body.clone());
            deps.files = expanded
                .files_used
                .iter()
                .map(|f| site.files[*f].abs.clone())
                .collect();
            deps.examples = expanded.examples_used.clone();
            diags.append(&mut expanded.diags);
            for n in &expanded.notes {
                if self.notes == NotesMode::Deny {
                    continue;
                }
                let nf = &site.files[n.file];
                let shown: String = n
                    .text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(70)
                    .collect();
                diags.push(
                    Diagnostic::warning(&nf.rel, format!("author note: {shown}"))
                        .at(&nf.text, n.span.start, n.span.start + 2)
                        .terse(),
                );
            }
        }
        let examples_base = crate::vars::examples_dir(&p.vars);
        let labels = self.theme.strings(&p.lang);
        let resolve_link = |target: &str| self.resolve_md_link(id, target);
        let resolve_asset = |target: &str| self.resolve_asset(id, target);
        let ctx = markdown::Ctx {
            resolve_link: &resolve_link,
            resolve_asset: &resolve_asset,
            repo_url: self.config.examples_repo_url.as_deref(),
            examples_base: &examples_base,
            labels,
            shown: &expanded.shown,
        };
        let rendered = markdown::render(&expanded.markdown, &expanded.blocks, &ctx);
        for w in rendered.warnings.iter().chain(rendered.broken_links.iter()) {
            let mut d = match expanded.map.lookup(w.offset) {
                Some((f, off)) => {
                    let sf = &site.files[f];
                    Diagnostic::warning(&sf.rel, w.message.clone()).at(&sf.text, off, off + 1)
                }
                None => Diagnostic::warning(
                    site.page_file(p).map(|f| f.rel.clone()).unwrap_or_default(),
                    w.message.clone(),
                ),
            };
            if let Some(h) = &w.help {
                d = d.with_help(h.clone());
            }
            diags.push(d);
        }
        if diags.iter().any(Diagnostic::is_error) {
            return PageResult {
                page: None,
                deps,
                diags,
            };
        }
        let renderer = Renderer {
            config: &self.config,
            site,
            theme: &self.theme,
            base_urls: &self.base_urls,
        };
        let body = Body {
            html: &rendered.html,
            toc: &rendered.toc,
            notes: if self.notes == NotesMode::Warn {
                expanded.notes.len()
            } else {
                0
            },
        };
        match renderer.render(id, body) {
            Ok(html) => PageResult {
                page: Some(OutPage {
                    lang: p.lang.clone(),
                    out: p.out.clone(),
                    html,
                }),
                deps,
                diags,
            },
            Err(d) => {
                diags.push(d);
                PageResult {
                    page: None,
                    deps,
                    diags,
                }
            }
        }
    }

    /// A relative `.md` link from page `id` to the URL of the page it names.
    fn resolve_md_link(&self, id: PageId, target: &str) -> Option<String> {
        let p = &self.site.pages[id];
        let joined = crate::util::url::normalize(&p.src_dir, target)?;
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
        Some(crate::util::url::relative(&p.out, &self.site.pages[q].out))
    }

    /// An image or file beside the Markdown: the URL of its copy in the output.
    fn resolve_asset(&self, id: PageId, target: &str) -> Option<String> {
        let p = &self.site.pages[id];
        let joined = crate::util::url::normalize(&p.src_dir, target)?;
        self.site
            .has_asset(&p.lang, &joined)
            .then(|| crate::util::url::relative(&p.out, &joined))
    }

    /// Pages whose output depends on any of the changed paths (absolute), for `serve`.
    pub fn affected(&self, changed: &[PathBuf]) -> HashSet<PageId> {
        let ex_root = self.examples.root().to_path_buf();
        let mut out = HashSet::new();
        for (i, d) in self.deps.iter().enumerate() {
            let hit = changed.iter().any(|c| {
                d.files.iter().any(|f| f == c)
                    || c.strip_prefix(&ex_root).is_ok_and(|rel| {
                        let rel = rel.to_string_lossy().replace('\\', "/");
                        d.examples
                            .iter()
                            .any(|e| e == &rel || rel.starts_with(&format!("{e}/")) || e.is_empty())
                    })
            });
            if hit {
                out.insert(i);
            }
        }
        out
    }

    /// Every file of the site, for `output` to write or `serve` to serve: pages, 404s
    /// and sitemaps, the theme's assets and `static/` in every language, and the files
    /// beside the content.
    pub fn files(&self) -> FileSet<'_> {
        let mut set = FileSet::default();
        let statics = files_under(&self.config.root.join("static"), &[]);
        for l in &self.config.languages {
            for w in statics.iter().filter(|w| !w.symlink) {
                set.add_file(format!("{}/{}", l.code, w.rel), w.abs.clone());
            }
            for (name, bytes) in &self.theme.assets {
                set.add_bytes(format!("{}/assets/{name}", l.code), bytes);
            }
        }
        for (lang, rel, abs) in &self.site.assets {
            set.add_file(format!("{lang}/{rel}"), abs.clone());
        }
        for p in self.pages.iter().chain(&self.extra) {
            set.add_bytes(format!("{}/{}", p.lang, p.out), p.html.as_bytes());
        }
        set
    }

    /// Write the site to `out_dir` atomically.
    pub fn write(&self) -> Result<(), Diagnostic> {
        let languages: Vec<String> = self
            .config
            .languages
            .iter()
            .map(|l| l.code.clone())
            .collect();
        crate::output::write(&self.files(), &self.config.root, &self.out_dir, &languages)
    }
}

/// Build and write: what `guidegen build` does.
pub fn build_and_write(opts: &Options) -> Result<Build, Failure> {
    let b = build(opts)?;
    if let Err(d) = b.write() {
        let mut diagnostics = b.warnings.clone();
        diagnostics.push(d);
        return Err(Failure { diagnostics });
    }
    Ok(b)
}
