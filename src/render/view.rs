//! What a template sees: [`PageView`] and its parts, built from the site model. One
//! serialisable struct instead of a context filled key by key, so every page (and the
//! 404 page) hands templates the same shape.

use serde::Serialize;

use super::Renderer;
use crate::content::{Page, PageId, PageKind};
use crate::markdown::TocEntry;
use crate::theme::Strings;
use crate::util::url::{absolute as abs_url, relative as rel_url};

/// The whole template context of one page.
#[derive(Serialize)]
pub(super) struct PageView<'a> {
    pub(super) lang: &'a str,
    pub(super) site_title: String,
    /// Relative path from the page to its language root (`../../`), or the 404 page's
    /// absolute base path.
    pub(super) root: String,
    /// The 404 page's link home (absolute).
    pub(super) home: Option<String>,
    pub(super) t: &'a Strings,
    pub(super) page: PageInfo<'a>,
    pub(super) toc: &'a [TocEntry],
    pub(super) canonical: Option<String>,
    pub(super) guide: Option<Link>,
    pub(super) sidebar: Vec<NavItem>,
    /// A big guide's whole navigation, loaded by the page script.
    pub(super) nav_script: Option<String>,
    pub(super) breadcrumbs: Vec<Link>,
    pub(super) children: Vec<Child>,
    /// Children left out of a long list of children.
    pub(super) more_children: usize,
    pub(super) guides: Vec<Child>,
    /// The landing page's guides by language and framework (`render::picker`).
    pub(super) stacks: Vec<super::picker::Stack>,
    /// The same chapter in the guides of the same skeleton.
    pub(super) siblings: Vec<super::picker::Sibling>,
    pub(super) prev: Option<Link>,
    pub(super) next: Option<Link>,
    pub(super) languages: Vec<LangLink>,
    pub(super) alternates: Vec<Alternate>,
    pub(super) edit_url: Option<String>,
}

#[derive(Serialize)]
pub(super) struct PageInfo<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) kind: &'static str,
    pub(super) url: &'a str,
    pub(super) content: &'a str,
    pub(super) draft: bool,
    pub(super) notes: usize,
    pub(super) from_skeleton: bool,
}

#[derive(Serialize)]
pub(super) struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
pub(super) struct NavItem {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) current: bool,
    pub(super) open: bool,
    pub(super) draft: bool,
    pub(super) children: Vec<NavItem>,
    /// Not an entry: this many entries left out here (a big guide's windowed sidebar).
    pub(super) gap: usize,
}

#[derive(Serialize)]
pub(super) struct LangLink {
    code: String,
    name: String,
    url: String,
    current: bool,
    missing: bool,
    not_translated: String,
    /// The same page in the output folder, relative to this page: where the switcher
    /// leads when the site is opened from disk (`file://`).
    local: String,
}

#[derive(Serialize)]
pub(super) struct Alternate {
    lang: String,
    url: String,
}

#[derive(Serialize)]
pub(super) struct Child {
    title: String,
    url: String,
    description: String,
}

/// Where a page sits in its guide: the guide link, sidebar, breadcrumbs and children.
#[derive(Default)]
pub(super) struct Nav {
    pub(super) guide: Option<Link>,
    pub(super) sidebar: Vec<NavItem>,
    /// A big guide's whole navigation, loaded by the page script (see `render::nav`).
    pub(super) nav_script: Option<String>,
    pub(super) breadcrumbs: Vec<Link>,
    pub(super) children: Vec<Child>,
    /// Children left out of a long list of children.
    pub(super) more_children: usize,
}

pub(super) fn kind(p: &Page) -> &'static str {
    match p.kind {
        PageKind::LangLanding => "index",
        PageKind::GuideLanding => "guide",
        PageKind::Section => "section",
        PageKind::Chapter => "chapter",
    }
}

impl Renderer<'_> {
    pub(super) fn link(&self, from: &Page, to: PageId) -> Link {
        let o = &self.site.pages[to];
        Link {
            title: o.title.clone(),
            url: rel_url(&from.out, &o.out),
        }
    }

    pub(super) fn child(&self, from: &Page, to: PageId) -> Child {
        let c = &self.site.pages[to];
        Child {
            title: c.title.clone(),
            url: rel_url(&from.out, &c.out),
            description: c.description.clone(),
        }
    }

    pub(super) fn neighbour(&self, from: &Page, to: Option<PageId>) -> Option<Link> {
        to.map(|q| self.link(from, q))
    }

    /// The language switcher and the hreflang alternates of page `p`.
    pub(super) fn languages(&self, p: &Page, t: &Strings) -> (Vec<LangLink>, Vec<Alternate>) {
        let mut languages = Vec::new();
        let mut alternates = vec![Alternate {
            lang: p.lang.clone(),
            url: abs_url(self.base(&p.lang), &p.out),
        }];
        let not_translated = t.get("not_translated").cloned().unwrap_or_default();
        for l in &self.config.languages {
            let name = self
                .theme
                .strings(&l.code)
                .get("language_name")
                .cloned()
                .unwrap_or_else(|| l.code.clone());
            let mut link = LangLink {
                code: l.code.clone(),
                name,
                url: String::new(),
                current: l.code == p.lang,
                missing: false,
                not_translated: not_translated.clone(),
                local: String::new(),
            };
            if !link.current {
                let base = self.base(&l.code);
                let up = "../".repeat(p.out.matches('/').count() + 1);
                match p.translations.iter().find(|(c, _)| *c == l.code) {
                    Some((_, q)) => {
                        link.url = abs_url(base, &self.site.pages[*q].out);
                        link.local = format!("{up}{}/{}", l.code, self.site.pages[*q].out);
                        alternates.push(Alternate {
                            lang: l.code.clone(),
                            url: link.url.clone(),
                        });
                    }
                    None => {
                        let to = self.fallback(p, &l.code);
                        link.url = abs_url(base, &to);
                        link.local = format!("{up}{}/{to}", l.code);
                        link.missing = true;
                    }
                }
            }
            languages.push(link);
        }
        alternates.sort_by(|a, b| a.lang.cmp(&b.lang));
        (languages, alternates)
    }

    /// Where the switcher leads when `p` has no translation into `lang`: the guide's
    /// landing page in that language, else the language's home.
    fn fallback(&self, p: &Page, lang: &str) -> String {
        p.guide
            .and_then(|g| {
                let gname = &self.site.guides[g].name;
                self.site
                    .guides
                    .iter()
                    .find(|og| og.lang == lang && og.name == *gname)
            })
            .map(|og| self.site.pages[og.landing].out.clone())
            .unwrap_or_else(|| "index.html".to_string())
    }

    /// The "edit this page" link, when `[edit] url` is set and the page has a file.
    pub(super) fn edit_url(&self, p: &Page) -> Option<String> {
        let u = self.config.edit_url.as_ref()?;
        let f = self.site.page_file(p)?;
        let path = f
            .rel
            .strip_prefix("content")
            .unwrap_or(&f.rel)
            .to_string_lossy()
            .replace('\\', "/");
        Some(u.replace("{path}", &path))
    }
}
