//! Per-language files that belong to no source: `404.html`, `sitemap.xml` with hreflang
//! alternates both ways, `robots.txt` pointing at the sitemap, and the search index.

use super::Build;
use crate::diag::Diagnostic;
use crate::render::OutPage;
use crate::search;
use crate::util::html::escape as html_escape;
use crate::util::url::absolute as abs_url;

impl Build {
    /// Per language: `404.html`, `sitemap.xml` (with hreflang alternates), `robots.txt`.
    pub(super) fn render_extra(&self) -> Result<Vec<OutPage>, Diagnostic> {
        let renderer = self.renderer();
        let mut out = Vec::new();
        for l in &self.config.languages {
            out.push(renderer.not_found(&l.code)?);
            out.push(OutPage {
                lang: l.code.clone(),
                out: "sitemap.xml".into(),
                html: self.sitemap(&l.code),
            });
            out.push(OutPage {
                lang: l.code.clone(),
                out: "robots.txt".into(),
                html: self.robots(&l.code),
            });
        }
        if self.config.search {
            use rayon::prelude::*;
            let indexes: Vec<Vec<OutPage>> = self
                .config
                .languages
                .par_iter()
                .map(|l| self.search_index(&l.code))
                .collect();
            out.extend(indexes.into_iter().flatten());
        }
        Ok(out)
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

    /// The search index of `lang`'s pages, in site order.
    fn search_index(&self, lang: &str) -> Vec<OutPage> {
        let docs: Vec<&search::Doc> = self
            .page_ids()
            .filter(|&id| self.site.pages[id].lang == lang)
            .filter_map(|id| self.search.get(id.index())?.as_ref())
            .collect();
        search::files(&docs)
            .into_iter()
            .map(|(out, text)| OutPage {
                lang: lang.to_string(),
                out,
                html: text,
            })
            .collect()
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
