//! Per-language files that belong to no source: `404.html`, `sitemap.xml` with hreflang
//! alternates both ways, `robots.txt` pointing at the sitemap, the redirects of old URLs
//! (`render::moved`), the tiles a host site includes, big guides' navigation scripts,
//! and the search index.

use super::model::Model;
use super::pass::Run;
use super::result::PageResult;
use crate::content::PageId;
use crate::diag::Diagnostic;
use crate::render::OutPage;
use crate::search;
use crate::util::html::escape as html_escape;
use crate::util::url::absolute as abs_url;

impl Model {
    /// Per language: `404.html`, `sitemap.xml` (with hreflang alternates), `robots.txt`,
    /// the redirects of old URLs, the tiles, big guides' navigation and the search index
    /// (of `results`' documents). Each file goes to the run's writer as soon as it is
    /// made; what the writer keeps in memory is returned, sorted.
    pub(super) fn render_extra(
        &self,
        results: &mut [PageResult],
        run: Run<'_>,
    ) -> Result<Vec<OutPage>, Diagnostic> {
        if run.writer.reuse_extra() {
            return Ok(Vec::new());
        }
        // Pages taken from the build cache bring their search documents back.
        if self.config.search {
            for (id, r) in PageId::all(results.len()).zip(results.iter_mut()) {
                if let Some(at) = r.cached_doc.clone() {
                    r.search = run
                        .writer
                        .cached_doc(&at, run.stems)
                        .or_else(|| self.render_page(id, run.stems, None).search);
                }
            }
        }
        let renderer = self.renderer();
        let kept = std::sync::Mutex::new(Vec::new());
        let put = |p: OutPage| -> Result<(), Diagnostic> {
            if let Some(p) = run.writer.take_extra(p)? {
                kept.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(p);
            }
            Ok(())
        };
        for l in &self.config.languages {
            put(renderer.not_found(&l.code)?)?;
            put(OutPage {
                lang: l.code.clone(),
                out: "sitemap.xml".into(),
                html: self.sitemap(&l.code),
            })?;
            put(OutPage {
                lang: l.code.clone(),
                out: "robots.txt".into(),
                html: self.robots(&l.code),
            })?;
            // The old URLs of pages: a redirect page each, and nginx's map of them.
            let mut moved = false;
            for id in self
                .page_ids()
                .filter(|&id| self.site.pages[id].lang == l.code)
            {
                for a in &self.site.pages[id].aliases {
                    put(renderer.redirect(id, a))?;
                    moved = true;
                }
            }
            if moved {
                put(renderer.redirects_map(&l.code))?;
            }
            if self.config.publish.hosted {
                put(renderer.tiles(&l.code)?)?;
            }
        }
        // A big guide's navigation, one script per guide (see `render::nav`).
        for g in &self.site.guides {
            if let Some((out, text)) = renderer.nav_script(g) {
                put(OutPage {
                    lang: g.lang.clone(),
                    out,
                    html: text,
                })?;
            }
        }
        if self.config.search {
            // One language at a time: each index holds its postings while it is made
            // (20,000 pages: 48 MB less at the peak; no time measurably lost).
            self.config
                .languages
                .iter()
                .try_for_each(|l| self.search_index(&l.code, results, run, &put))?;
        }
        let mut kept = kept
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.sort_by(|a, b| (&a.lang, &a.out).cmp(&(&b.lang, &b.out)));
        Ok(kept)
    }

    /// Every page may be crawled; the sitemap is named when the language has an absolute
    /// base URL (crawlers need one). Crawlers read `robots.txt` only at a host's root:
    /// docs/publishing.md says how a site under `/guides/` gets its line there.
    fn robots(&self, lang: &str) -> String {
        let base = self.base_urls.get(lang).map(String::as_str).unwrap_or("");
        let mut txt = String::from("User-agent: *\nAllow: /\n");
        if base.starts_with("https://") || base.starts_with("http://") {
            txt.push_str(&format!("Sitemap: {}\n", abs_url(base, "sitemap.xml")));
        }
        txt
    }

    /// The search index of `lang`'s pages, in site order, each file handed to `put`.
    fn search_index(
        &self,
        lang: &str,
        results: &[PageResult],
        run: Run<'_>,
        put: &(dyn Fn(OutPage) -> Result<(), Diagnostic> + Sync),
    ) -> Result<(), Diagnostic> {
        let docs: Vec<&search::Doc> = self
            .page_ids()
            .filter(|&id| self.site.pages[id].lang == lang)
            .filter_map(|id| results.get(id.index())?.search.as_ref())
            .collect();
        let mut result = Ok(());
        let read = |at| run.writer.read_spilled(at);
        search::files(&docs, run.stems, &read, &mut |out, text| {
            if result.is_ok() {
                result = put(OutPage {
                    lang: lang.to_string(),
                    out,
                    html: text,
                });
            }
        })
        .map_err(|e| {
            Diagnostic::error(
                format!("{lang}/search"),
                format!("cannot read back the search text kept in a temporary file: {e}"),
            )
            .with_help("check the free space of the temporary folder (TMPDIR), then build again")
        })?;
        result
    }

    fn sitemap(&self, lang: &str) -> String {
        let url = |l: &str, out: &str| {
            html_escape(&abs_url(
                self.base_urls.get(l).map(String::as_str).unwrap_or(""),
                out,
            ))
        };
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for p in self
            .site
            .pages
            .iter()
            .filter(|p| p.lang == lang && !p.draft)
        {
            xml.push_str(&format!("  <url>\n    <loc>{}</loc>\n", url(lang, &p.out)));
            if !p.translations.is_empty() {
                let mut alts: Vec<(&str, &str)> = vec![(lang, p.out.as_str())];
                alts.extend(
                    p.translations
                        .iter()
                        .filter(|(_, q)| !self.site.pages[*q].draft)
                        .map(|(l, q)| (l.as_str(), self.site.pages[*q].out.as_str())),
                );
                alts.sort();
                for (l, o) in alts {
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{l}\" href=\"{}\"/>\n",
                        url(l, o)
                    ));
                }
            }
            xml.push_str("  </url>\n");
        }
        xml.push_str("</urlset>\n");
        xml
    }
}
