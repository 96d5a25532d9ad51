//! `render`: Tera templates of the theme turn a page and its neighbourhood (sidebar,
//! breadcrumbs, prev/next, language switcher) into a full HTML document.
//!
//! The default theme is embedded in the binary; a site's `theme/` overrides it file by
//! file (`theme/templates/*.html`, `theme/static/*`, keys of `theme/i18n/<lang>.toml`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use tera::{Context, Tera};

use crate::config::Config;
use crate::content::{NavNode, Page, PageId, PageKind, Site};
use crate::diag::Diagnostic;
use crate::markdown::TocEntry;
use crate::util::url::{absolute as abs_url, base_path_of, relative as rel_url};

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../theme/templates/base.html")),
    ("nav.html", include_str!("../theme/templates/nav.html")),
    ("page.html", include_str!("../theme/templates/page.html")),
    (
        "section.html",
        include_str!("../theme/templates/section.html"),
    ),
    ("guide.html", include_str!("../theme/templates/guide.html")),
    ("index.html", include_str!("../theme/templates/index.html")),
    ("404.html", include_str!("../theme/templates/404.html")),
];

const STATIC: &[(&str, &str)] = &[
    ("style.css", include_str!("../theme/static/style.css")),
    ("guidegen.js", include_str!("../theme/static/guidegen.js")),
    ("favicon.svg", include_str!("../theme/static/favicon.svg")),
];

const STRINGS: &[(&str, &str)] = &[
    ("en", include_str!("../theme/i18n/en.toml")),
    ("ru", include_str!("../theme/i18n/ru.toml")),
];

pub struct Theme {
    tera: Tera,
    /// lang -> key -> text.
    pub strings: HashMap<String, HashMap<String, String>>,
    /// Files served under `<lang>/assets/`: name -> bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The embedded theme with the site's `theme/` overrides.
    pub fn load(root: &Path, languages: &[String]) -> Result<Theme, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let dir = root.join("theme");
        let mut sources: BTreeMap<String, (String, String)> = TEMPLATES
            .iter()
            .map(|(n, s)| {
                (
                    n.to_string(),
                    (format!("(built-in theme)/{n}"), s.to_string()),
                )
            })
            .collect();
        let tdir = dir.join("templates");
        if tdir.is_dir() {
            for e in walkdir::WalkDir::new(&tdir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if !e.file_type().is_file() {
                    continue;
                }
                let Ok(rel) = e.path().strip_prefix(&tdir) else {
                    continue;
                };
                let name = rel.to_string_lossy().replace('\\', "/");
                let shown = format!("theme/templates/{name}");
                match std::fs::read_to_string(e.path()) {
                    Ok(s) => {
                        sources.insert(name, (shown, s));
                    }
                    Err(err) => diags.push(Diagnostic::error(
                        shown,
                        format!("cannot read template: {err}"),
                    )),
                }
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/`, which mangles every URL in attributes.
        tera.set_escape_fn(crate::util::html::escape);
        let list: Vec<(String, String)> = sources
            .iter()
            .map(|(n, (_, s))| (n.clone(), s.clone()))
            .collect();
        if let Err(e) = tera.add_raw_templates(list) {
            // Find which template failed, for the message.
            let mut msg = tera_error(&e);
            let culprit = sources
                .iter()
                .find(|(n, _)| msg.contains(n.as_str()))
                .map(|(_, (p, _))| p.clone());
            if msg.is_empty() {
                msg = e.to_string();
            }
            diags.push(Diagnostic::error(
                culprit.unwrap_or_else(|| "theme/templates".into()),
                format!("template error: {msg}"),
            ));
        }

        let mut strings: HashMap<String, HashMap<String, String>> = HashMap::new();
        let en = parse_strings(STRINGS[0].1);
        for lang in languages {
            let mut m = en.clone();
            if let Some((_, s)) = STRINGS.iter().find(|(l, _)| l == lang) {
                m.extend(parse_strings(s));
            }
            let p = dir.join("i18n").join(format!("{lang}.toml"));
            if p.is_file() {
                let shown = format!("theme/i18n/{lang}.toml");
                match std::fs::read_to_string(&p) {
                    Ok(text) => match toml::from_str::<HashMap<String, String>>(&text) {
                        Ok(over) => m.extend(over),
                        Err(e) => {
                            let mut d = Diagnostic::error(shown, e.message().to_string());
                            if let Some(sp) = e.span() {
                                d = d.at(&text, sp.start, sp.end);
                            }
                            diags.push(d);
                        }
                    },
                    Err(e) => diags.push(Diagnostic::error(shown, format!("cannot read: {e}"))),
                }
            }
            m.entry("language_name".into())
                .or_insert_with(|| lang.clone());
            strings.insert(lang.clone(), m);
        }

        let mut assets: BTreeMap<String, Vec<u8>> = STATIC
            .iter()
            .map(|(n, s)| (n.to_string(), s.as_bytes().to_vec()))
            .collect();
        assets.insert("highlight.css".into(), crate::highlight::css().into_bytes());
        let sdir = dir.join("static");
        if sdir.is_dir() {
            for e in walkdir::WalkDir::new(&sdir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if !e.file_type().is_file() {
                    continue;
                }
                let Ok(rel) = e.path().strip_prefix(&sdir) else {
                    continue;
                };
                let name = rel.to_string_lossy().replace('\\', "/");
                match std::fs::read(e.path()) {
                    Ok(b) => {
                        assets.insert(name, b);
                    }
                    Err(err) => diags.push(Diagnostic::error(
                        format!("theme/static/{name}"),
                        format!("cannot read: {err}"),
                    )),
                }
            }
        }
        if diags.is_empty() {
            Ok(Theme {
                tera,
                strings,
                assets,
            })
        } else {
            Err(diags)
        }
    }

    pub fn strings(&self, lang: &str) -> &HashMap<String, String> {
        static EMPTY: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
        self.strings
            .get(lang)
            .unwrap_or_else(|| EMPTY.get_or_init(HashMap::new))
    }
}

fn parse_strings(s: &str) -> HashMap<String, String> {
    toml::from_str(s).unwrap_or_default()
}

fn tera_error(e: &tera::Error) -> String {
    use std::error::Error;
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts.join(": ")
}

#[derive(Serialize)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
    current: bool,
    open: bool,
    draft: bool,
    children: Vec<NavItem>,
}

#[derive(Serialize)]
struct LangLink {
    code: String,
    name: String,
    url: String,
    current: bool,
    missing: bool,
    not_translated: String,
}

#[derive(Serialize)]
struct Alternate {
    lang: String,
    url: String,
}

#[derive(Serialize)]
struct Child {
    title: String,
    url: String,
    description: String,
}

/// Everything the page template needs beyond the site: the rendered body.
pub struct Body<'a> {
    pub html: &'a str,
    pub toc: &'a [TocEntry],
    pub notes: usize,
}

pub struct Renderer<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    pub theme: &'a Theme,
    /// lang -> absolute base URL (book.toml's, or the dev server's in `serve`).
    pub base_urls: &'a HashMap<String, String>,
}

impl Renderer<'_> {
    pub fn base(&self, lang: &str) -> &str {
        self.base_urls.get(lang).map(String::as_str).unwrap_or("")
    }

    fn kind(p: &Page) -> &'static str {
        match p.kind {
            PageKind::LangLanding => "index",
            PageKind::GuideLanding => "guide",
            PageKind::Section => "section",
            PageKind::Chapter => "chapter",
        }
    }

    fn nav_items(&self, nodes: &[NavNode], from: &Page, current: PageId) -> Vec<NavItem> {
        nodes
            .iter()
            .map(|n| {
                let p = &self.site.pages[n.page];
                NavItem {
                    title: p.title.clone(),
                    url: rel_url(&from.out, &p.out),
                    current: n.page == current,
                    open: from.parents.contains(&n.page),
                    draft: p.draft,
                    children: self.nav_items(&n.children, from, current),
                }
            })
            .collect()
    }

    fn find_node(nodes: &[NavNode], id: PageId) -> Option<&NavNode> {
        for n in nodes {
            if n.page == id {
                return Some(n);
            }
            if let Some(f) = Self::find_node(&n.children, id) {
                return Some(f);
            }
        }
        None
    }

    /// The language's 404 page. Served from any depth, so its links are absolute
    /// (from the language's base URL).
    pub fn render_404(&self, lang: &str) -> Result<String, Diagnostic> {
        let t = self.theme.strings(lang);
        let base = self.base(lang);
        let root = format!("{}/", base_path_of(base).trim_end_matches('/'));
        let mut ctx = Context::new();
        ctx.insert("lang", lang);
        let title = self
            .config
            .language(lang)
            .map(|l| l.title.clone())
            .unwrap_or_default();
        ctx.insert("site_title", &title);
        ctx.insert("root", &root);
        ctx.insert("home", &root);
        ctx.insert("t", t);
        ctx.insert(
            "page",
            &serde_json::json!({"title": t.get("not_found_title"), "description": "", "kind": "404", "url": "404.html", "content": "", "draft": false, "notes": 0}),
        );
        ctx.insert("toc", &Vec::<TocEntry>::new());
        ctx.insert("canonical", &Value::Null);
        ctx.insert("guide", &Value::Null);
        ctx.insert("sidebar", &Vec::<NavItem>::new());
        ctx.insert("breadcrumbs", &Vec::<Link>::new());
        ctx.insert("children", &Vec::<Child>::new());
        ctx.insert("guides", &Vec::<Child>::new());
        ctx.insert("prev", &Value::Null);
        ctx.insert("next", &Value::Null);
        ctx.insert("languages", &Vec::<LangLink>::new());
        ctx.insert("alternates", &Vec::<Alternate>::new());
        ctx.insert("edit_url", &Value::Null);
        self.theme.tera.render("404.html", &ctx).map_err(|e| {
            Diagnostic::error(
                "theme/templates/404.html",
                format!("rendering failed: {}", tera_error(&e)),
            )
        })
    }

    pub fn render(&self, id: PageId, body: Body<'_>) -> Result<String, Diagnostic> {
        let site = self.site;
        let p = &site.pages[id];
        let t = self.theme.strings(&p.lang);
        let lang_conf = self.config.language(&p.lang);
        let mut ctx = Context::new();
        ctx.insert("lang", &p.lang);
        ctx.insert(
            "site_title",
            &lang_conf
                .map(|l| l.title.clone())
                .unwrap_or_else(|| self.config.title.clone()),
        );
        ctx.insert("root", &{
            let depth = p.out.matches('/').count();
            if depth == 0 {
                String::new()
            } else {
                "../".repeat(depth)
            }
        });
        ctx.insert("t", t);
        ctx.insert(
            "page",
            &serde_json::json!({
                "title": p.title,
                "description": p.description,
                "kind": Self::kind(p),
                "url": p.out,
                "content": body.html,
                "draft": p.draft,
                "notes": body.notes,
                "from_skeleton": p.from_skeleton,
            }),
        );
        ctx.insert("toc", body.toc);
        ctx.insert("canonical", &abs_url(self.base(&p.lang), &p.out));

        // Guide, sidebar, breadcrumbs, children.
        let mut children: Vec<Child> = Vec::new();
        let child_of = |q: PageId| {
            let c = &site.pages[q];
            Child {
                title: c.title.clone(),
                url: rel_url(&p.out, &c.out),
                description: c.description.clone(),
            }
        };
        if let Some(g) = p.guide.map(|g| &site.guides[g]) {
            let landing = &site.pages[g.landing];
            ctx.insert(
                "guide",
                &Link {
                    title: landing.title.clone(),
                    url: rel_url(&p.out, &landing.out),
                },
            );
            ctx.insert("sidebar", &self.nav_items(&g.nav, p, id));
            let mut crumbs = Vec::new();
            if id != g.landing {
                crumbs.push(Link {
                    title: landing.title.clone(),
                    url: rel_url(&p.out, &landing.out),
                });
            }
            for &s in &p.parents {
                let sp = &site.pages[s];
                crumbs.push(Link {
                    title: sp.title.clone(),
                    url: rel_url(&p.out, &sp.out),
                });
            }
            ctx.insert("breadcrumbs", &crumbs);
            if id == g.landing {
                children = g.nav.iter().map(|n| child_of(n.page)).collect();
            } else if let Some(n) = Self::find_node(&g.nav, id) {
                children = n.children.iter().map(|c| child_of(c.page)).collect();
            }
        } else {
            ctx.insert("guide", &Value::Null);
            ctx.insert("sidebar", &Vec::<NavItem>::new());
            ctx.insert("breadcrumbs", &Vec::<Link>::new());
        }
        ctx.insert("children", &children);
        let guides: Vec<Child> = if p.kind == PageKind::LangLanding {
            site.guides
                .iter()
                .filter(|g| g.lang == p.lang)
                .map(|g| child_of(g.landing))
                .collect()
        } else {
            Vec::new()
        };
        ctx.insert("guides", &guides);
        let link = |q: Option<PageId>| {
            q.map(|q| {
                let o = &site.pages[q];
                Link {
                    title: o.title.clone(),
                    url: rel_url(&p.out, &o.out),
                }
            })
        };
        ctx.insert("prev", &link(p.prev));
        ctx.insert("next", &link(p.next));

        // Language switcher and hreflang alternates.
        let mut languages = Vec::new();
        let mut alternates = vec![Alternate {
            lang: p.lang.clone(),
            url: abs_url(self.base(&p.lang), &p.out),
        }];
        for l in &self.config.languages {
            let name = self
                .theme
                .strings(&l.code)
                .get("language_name")
                .cloned()
                .unwrap_or_else(|| l.code.clone());
            let not_translated = t.get("not_translated").cloned().unwrap_or_default();
            if l.code == p.lang {
                languages.push(LangLink {
                    code: l.code.clone(),
                    name,
                    url: String::new(),
                    current: true,
                    missing: false,
                    not_translated,
                });
                continue;
            }
            let base = self.base(&l.code);
            match p.translations.iter().find(|(c, _)| *c == l.code) {
                Some((_, q)) => {
                    let url = abs_url(base, &site.pages[*q].out);
                    alternates.push(Alternate {
                        lang: l.code.clone(),
                        url: url.clone(),
                    });
                    languages.push(LangLink {
                        code: l.code.clone(),
                        name,
                        url,
                        current: false,
                        missing: false,
                        not_translated,
                    });
                }
                None => {
                    // The guide's landing page in that language, else the language's home.
                    let fallback = p
                        .guide
                        .and_then(|g| {
                            let gname = &site.guides[g].name;
                            site.guides
                                .iter()
                                .find(|og| og.lang == l.code && og.name == *gname)
                        })
                        .map(|og| site.pages[og.landing].out.clone())
                        .unwrap_or_else(|| "index.html".to_string());
                    languages.push(LangLink {
                        code: l.code.clone(),
                        name,
                        url: abs_url(base, &fallback),
                        current: false,
                        missing: true,
                        not_translated,
                    });
                }
            }
        }
        alternates.sort_by(|a, b| a.lang.cmp(&b.lang));
        ctx.insert("languages", &languages);
        ctx.insert("alternates", &alternates);

        let edit = match (&self.config.edit_url, site.page_file(p)) {
            (Some(u), Some(f)) => {
                let path = f
                    .rel
                    .strip_prefix("content")
                    .unwrap_or(&f.rel)
                    .to_string_lossy()
                    .replace('\\', "/");
                Some(u.replace("{path}", &path))
            }
            _ => None,
        };
        ctx.insert("edit_url", &edit);

        let template = match p.kind {
            PageKind::LangLanding => "index.html",
            PageKind::GuideLanding => "guide.html",
            PageKind::Section => "section.html",
            PageKind::Chapter => "page.html",
        };
        self.theme.tera.render(template, &ctx).map_err(|e| {
            let f = site
                .page_file(p)
                .map(|f| f.rel.clone())
                .unwrap_or_else(|| format!("content/{}/{}", p.lang, p.out).into());
            Diagnostic::error(
                f,
                format!(
                    "rendering with template {template} failed: {}",
                    tera_error(&e)
                ),
            )
        })
    }
}
