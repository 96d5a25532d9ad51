//! Per-language pages that belong to no source: `404.html` and `sitemap.xml` with
//! hreflang alternates both ways.

use super::Build;
use crate::diag::Diagnostic;
use crate::render::OutPage;
use crate::util::html::escape as html_escape;
use crate::util::url::absolute as abs_url;

impl Build {
    /// Per language: `404.html` and `sitemap.xml` (with hreflang alternates).
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
        }
        Ok(out)
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
