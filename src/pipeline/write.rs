//! Writing a build: the files of a site (pages, per-language files, theme assets,
//! `static/`, files beside the content) and `build_and_write`, which writes pages into
//! the staging folder as they are rendered (letting go of each source once its pages
//! are done) and swaps it in when all succeeded.

use std::time::Instant;

use super::page::{Out, PageResult};
use super::warm::Warm;
use super::{Build, BuildOptions, Failure, finish, load};
use crate::content::PageId;
use crate::diag::Diagnostic;
use crate::output::{FileSet, Guard, Source, Staging};
use crate::render::OutPage;

impl Build {
    /// Every file of the site, for `output` to write or `serve` to serve: pages, 404s,
    /// sitemaps and search indexes, the theme's assets and `static/` in every language, and the files
    /// beside the content.
    pub fn files(&self) -> FileSet<'_> {
        let mut set = self.files_but_pages();
        for p in &self.pages {
            set.add_bytes(format!("{}/{}", p.lang, p.out), p.html.as_bytes());
        }
        set
    }

    /// [`Build::files`] without the pages. No two of them share a path: a collision is
    /// an error when the site loads (`pipeline::outputs`).
    fn files_but_pages(&self) -> FileSet<'_> {
        let mut set = FileSet::default();
        for p in &self.extra {
            set.add_bytes(format!("{}/{}", p.lang, p.out), p.html.as_bytes());
        }
        for l in &self.config.languages {
            for w in &self.statics {
                set.add_file(format!("{}/{}", l.code, w.rel), w.abs.clone());
            }
            for (name, bytes) in &self.theme.assets {
                set.add_bytes(format!("{}/assets/{name}", l.code), bytes);
            }
        }
        for (lang, rel, abs) in &self.site.assets {
            set.add_file(format!("{lang}/{rel}"), abs.clone());
        }
        set
    }

    /// Write the site to `out_dir` atomically.
    pub fn write(&self) -> Result<(), Diagnostic> {
        crate::output::write(&self.files(), &self.guard(), &self.out_dir)
    }

    /// What the output folder must never replace: the site, its sources and its
    /// build cache.
    fn guard(&self) -> Guard<'_> {
        Guard::site(&self.config.root)
    }

    /// The staging folder the output is written into, beside `out_dir`.
    fn begin_output(&self) -> Result<Staging, Diagnostic> {
        Staging::begin(&self.guard(), &self.out_dir)
    }

    /// Everything but the pages (written as they were rendered): theme assets, static
    /// files, files beside the content, the per-language files.
    fn write_rest(&self, staging: &Staging) -> Result<(), Diagnostic> {
        use rayon::prelude::*;
        let pages: std::collections::HashSet<String> = self
            .pages
            .iter()
            .map(|p| format!("{}/{}", p.lang, p.out))
            .collect();
        let files = self.files_but_pages();
        let list: Vec<_> = files
            .iter()
            .filter(|(rel, _)| !pages.contains(*rel))
            .collect();
        list.par_iter().try_for_each(|(rel, src)| match src {
            Source::Bytes(bytes) => staging.add(rel, bytes),
            Source::File(from) => staging.copy(rel, from),
        })
    }
}

/// Build and write: what `guidegen build` does. Pages are written into the staging
/// folder as they are rendered (on the worker threads), so the site is never held in
/// memory whole; the folder replaces the output only when every page succeeded. The
/// text of a page's own source is let go once its pages are rendered, so the returned
/// [`Build`] reports (warnings, stats) but cannot render again: `serve` uses
/// [`super::build`].
pub fn build_and_write(opts: &BuildOptions) -> Result<Build, Failure> {
    let started = Instant::now();
    let (mut b, diags) = load(opts)?;
    b.started = Some(started);
    let staging = b.begin_output().map_err(|d| Failure {
        diagnostics: finish(diags.iter().cloned().chain([d]).collect()),
    })?;
    let sink = |p: &OutPage| staging.add(&format!("{}/{}", p.lang, p.out), p.html.as_bytes());
    let warm = opts.cache.then(|| Warm::open(&b));
    let out = match &warm {
        Some(w) => Out::Warm(w, &staging),
        None => Out::Sink(&sink),
    };
    let mut b = b.render_all(diags, out)?;
    let written = b.write_rest(&staging).and_then(|()| staging.commit());
    if let Some(w) = warm
        && written.is_ok()
    {
        w.finish();
    }
    if let Err(d) = written {
        let mut diagnostics = b.warnings.clone();
        diagnostics.push(d);
        return Err(Failure { diagnostics });
    }
    b.stats.elapsed = started.elapsed();
    Ok(b)
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

/// Pages rendered per batch when a build writes its pages (see
/// [`Build::render_releasing`]): small enough that the sources held are a few MB, large
/// enough that the batch's last page rarely leaves a core idle.
pub(super) const BATCH: usize = 1024;

impl Build {
    /// Render every page in batches (translations side by side, as
    /// [`Build::render_pages_into`] orders them) into `results`, indexed by page, and
    /// after each batch let go of the text of the sources no page still needs: a
    /// page's own file once every page made from it is rendered (and none was taken from
    /// the build cache). Partials and skeleton chapters are kept (any page may read
    /// them). The sources were the largest thing a
    /// big build held (20,000 pages: 252 MB). Diagnostics keep their own source lines,
    /// so nothing printed later needs the text.
    pub(super) fn render_releasing(
        &mut self,
        out: Out<'_>,
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
            for (id, r) in batch.iter().zip(self.render_pages_into(batch, out)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Rendering in batches of one page, letting sources go, writes what a build in
    /// memory makes; partials and skeleton chapters are kept to the end.
    #[test]
    fn pages_rendered_while_sources_are_let_go_are_the_same() {
        let opts = BuildOptions::new(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/skeleton"),
        );
        let whole = super::super::build(&opts).unwrap();
        let (mut b, _) = load(&opts).unwrap();
        let written = std::sync::Mutex::new(std::collections::BTreeMap::new());
        let sink = |p: &OutPage| -> Result<(), Diagnostic> {
            written
                .lock()
                .unwrap()
                .insert((p.lang.clone(), p.out.clone()), p.html.clone());
            Ok(())
        };
        let mut results: Vec<Option<PageResult>> = (0..b.site.pages.len()).map(|_| None).collect();
        b.render_releasing(Out::Sink(&sink), &mut results, 1);
        assert!(results.iter().all(Option::is_some));
        let written = written.into_inner().unwrap();
        assert_eq!(written.len(), whole.pages.len());
        for p in &whole.pages {
            assert_eq!(
                written[&(p.lang.clone(), p.out.clone())],
                p.html,
                "{}",
                p.out
            );
        }
        // Own files are let go; partials and skeleton chapters are not.
        let kept = |f: crate::source::FileId| !b.site.files[f].text.is_empty();
        let partials: Vec<_> = b
            .site
            .partials
            .values()
            .flat_map(|m| m.values().copied())
            .collect();
        assert!(!partials.is_empty() && partials.iter().all(|&f| kept(f)));
        let skeleton: Vec<_> = b
            .site
            .pages
            .iter()
            .filter(|p| p.from_skeleton)
            .filter_map(|p| p.file)
            .collect();
        assert!(!skeleton.is_empty() && skeleton.iter().all(|&f| kept(f)));
        let own = b
            .site
            .pages
            .iter()
            .filter(|p| !p.from_skeleton)
            .filter_map(|p| p.file);
        assert!(own.clone().count() > 0 && own.clone().all(|f| !kept(f)));
    }
}
