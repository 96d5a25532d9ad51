//! `render`: a page and its neighbourhood (sidebar, breadcrumbs, prev/next, language
//! switcher, hreflang alternates, edit link, guide picker and switcher) through the
//! theme's Tera templates into a full HTML document, an [`OutPage`]. [`view`] builds
//! what templates see; [`picker`] the choice of a guide by stack.

mod moved;
mod nav;
pub(crate) use moved::{REDIRECTS, TILES, hosted_css};
pub(crate) use nav::NAV_SCRIPT;
mod picker;
mod view;

use std::collections::HashMap;

use tera::Context;

use crate::config::Config;
use crate::content::{PageId, PageKind, Site};
use crate::diag::Diagnostic;
use crate::markdown::TocEntry;
use crate::theme::{RenderError, Theme};
use crate::util::url::{absolute as abs_url, base_path_of};
use view::{PageInfo, PageView, kind};

crate::source::index_by!(PageId, OutPage);

/// A rendered HTML document and where it goes.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OutPage {
    pub lang: String,
    /// Path under the language's output folder.
    pub out: String,
    pub html: String,
}

/// Everything the page template needs beyond the site: the rendered body.
pub(crate) struct Body<'a> {
    pub html: &'a str,
    pub toc: &'a [TocEntry],
    pub notes: usize,
}

pub(crate) struct Renderer<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    pub theme: &'a Theme,
    /// lang -> absolute base URL (book.toml's, or the dev server's in `serve`).
    pub base_urls: &'a HashMap<String, String>,
}

impl Renderer<'_> {
    pub(crate) fn base(&self, lang: &str) -> &str {
        self.base_urls.get(lang).map(String::as_str).unwrap_or("")
    }

    /// The language's 404 page. Served from any depth, so its links are absolute
    /// (from the language's base URL).
    pub(crate) fn not_found(&self, lang: &str) -> Result<OutPage, Diagnostic> {
        let t = self.theme.strings(lang);
        let root = format!("{}/", base_path_of(self.base(lang)).trim_end_matches('/'));
        let page = PageInfo {
            title: t.get("not_found_title").map(String::as_str).unwrap_or(""),
            description: "",
            kind: "404",
            url: "404.html",
            content: "",
            draft: false,
            notes: 0,
            from_skeleton: false,
        };
        let view = PageView {
            home: Some(root.clone()),
            ..self.bare(lang, root, page)
        };
        let html = self.render("404.html", &view).map_err(|e| {
            self.theme
                .render_error("404.html", &e, &format!("{lang}/404.html"))
        })?;
        Ok(OutPage {
            lang: lang.to_string(),
            out: "404.html".into(),
            html,
        })
    }

    /// A standalone document in the theme's page layout (no sidebar), with `content`
    /// as its body and assets under `assets/` beside it: the `check` report.
    pub(crate) fn document(
        &self,
        lang: &str,
        title: &str,
        content: &str,
    ) -> Result<String, Diagnostic> {
        let page = PageInfo {
            title,
            description: "",
            kind: "report",
            url: "",
            content,
            draft: false,
            notes: 0,
            from_skeleton: false,
        };
        let view = self.bare(lang, String::new(), page);
        self.render("page.html", &view)
            .map_err(|e| self.theme.render_error("page.html", &e, title))
    }

    /// A page of no guide and no source: no sidebar, neighbours or translations.
    fn bare<'v>(&'v self, lang: &'v str, root: String, page: PageInfo<'v>) -> PageView<'v> {
        PageView {
            lang,
            site_title: self
                .config
                .language(lang)
                .map(|l| l.title.clone())
                .unwrap_or_default(),
            home: None,
            root,
            t: self.theme.strings(lang),
            page,
            toc: &[],
            canonical: None,
            guide: None,
            sidebar: Vec::new(),
            nav_script: None,
            breadcrumbs: Vec::new(),
            children: Vec::new(),
            more_children: 0,
            guides: Vec::new(),
            stacks: Vec::new(),
            siblings: Vec::new(),
            prev: None,
            next: None,
            languages: Vec::new(),
            alternates: Vec::new(),
            edit_url: None,
        }
    }

    /// Page `id` with its rendered body, as a full document.
    pub(crate) fn page(&self, id: PageId, body: Body<'_>) -> Result<OutPage, Diagnostic> {
        let site = self.site;
        let p = &site.pages[id];
        let t = self.theme.strings(&p.lang);
        let nav = self.nav(id);
        let (languages, alternates) = self.languages(p, t);
        let guides = if p.kind == PageKind::LangLanding {
            site.guides
                .iter()
                .filter(|g| g.lang == p.lang)
                .map(|g| self.child(p, g.landing))
                .collect()
        } else {
            Vec::new()
        };
        let stacks = if p.kind == PageKind::LangLanding {
            self.stacks(p)
        } else {
            Vec::new()
        };
        let view = PageView {
            lang: &p.lang,
            site_title: self
                .config
                .language(&p.lang)
                .map(|l| l.title.clone())
                .unwrap_or_else(|| self.config.title.clone()),
            root: "../".repeat(p.out.matches('/').count()),
            home: None,
            t,
            page: PageInfo {
                title: &p.title,
                description: &p.description,
                kind: kind(p),
                url: &p.out,
                content: body.html,
                draft: p.draft,
                notes: body.notes,
                from_skeleton: p.from_skeleton,
            },
            toc: body.toc,
            canonical: Some(abs_url(self.base(&p.lang), &p.out)),
            guide: nav.guide,
            sidebar: nav.sidebar,
            nav_script: nav.nav_script,
            breadcrumbs: nav.breadcrumbs,
            children: nav.children,
            more_children: nav.more_children,
            guides,
            stacks,
            siblings: self.siblings(p),
            prev: self.neighbour(p, p.prev),
            next: self.neighbour(p, p.next),
            languages,
            alternates,
            edit_url: self.edit_url(p),
        };
        let template = match p.kind {
            PageKind::LangLanding => "index.html",
            PageKind::GuideLanding => "guide.html",
            PageKind::Section => "section.html",
            PageKind::Chapter => "page.html",
        };
        let html = self.render(template, &view).map_err(|e| {
            let f = site
                .page_file(p)
                .map(|f| f.rel.display().to_string())
                .unwrap_or_else(|| format!("{}/{}", p.lang, p.out));
            self.theme.render_error(template, &e, &f)
        })?;
        Ok(OutPage {
            lang: p.lang.clone(),
            out: p.out.clone(),
            html,
        })
    }

    fn render(&self, template: &str, view: &PageView<'_>) -> Result<String, RenderError> {
        let mut ctx = Context::from_serialize(view).map_err(RenderError::Template)?;
        ctx.insert("publish", &self.config.publish);
        ctx.insert("search", &self.config.search);
        let html = self.theme.render(template, &ctx)?;
        host_includes_only(&html, &self.config.publish)?;
        Ok(html)
    }
}

/// The last guard before a page is written: the only server directives in it are the
/// host's includes that `[publish]` asks for (author content and templates are refused
/// earlier, at their lines; this catches a directive a template assembles at run time).
fn host_includes_only(html: &str, publish: &crate::config::Publish) -> Result<(), RenderError> {
    use crate::util::html::SERVER_DIRECTIVE;
    let mut allowed: Vec<String> = [&publish.ssi_head, &publish.ssi_header, &publish.ssi_footer]
        .into_iter()
        .flatten()
        .map(|p| {
            format!(
                "{SERVER_DIRECTIVE}include virtual=\"{p}\" stub=\"{}\" -->",
                crate::theme::STUB
            )
        })
        .collect();
    allowed.push(crate::theme::stub_block());
    let mut from = 0;
    while let Some(i) = html[from..].find(SERVER_DIRECTIVE) {
        let at = from + i;
        if let Some(a) = allowed.iter().find(|a| html[at..].starts_with(a.as_str())) {
            from = at + a.len();
        } else {
            let shown: String = html[at..].chars().take(60).collect();
            return Err(RenderError::ServerDirective(shown));
        }
    }
    Ok(())
}
