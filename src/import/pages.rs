//! Laying the pages out so that each keeps its URL: `pages_<lang>/<guide>/100_basic.md`
//! beside `100_basic/` becomes the section's `_index.md` (with `[build] section_pages =
//! "file"` it is published at `100_basic.html` as before), a chapter keeps its path, and
//! a page whose permalink is not where guidegen would put it gets that permalink. Each
//! page's frontmatter keeps its variables; what the Jekyll layout added to every page
//! (the description, the fragments `chapter_*` flags ask for) is written into it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::convert::{Conv, finish};
use super::jekyll::{Lang, Page, Repo};
use super::site::{front_matter, guide_file};
use super::{Ctx, Out, blocks, tabs};

/// One page as the report lists it.
pub(crate) struct Row {
    /// The Jekyll file, inside the repository.
    pub(crate) src: String,
    /// The guidegen file, inside the new site.
    pub(crate) dest: String,
    /// Its URL under the language's base URL, before and after.
    pub(crate) url: String,
    pub(crate) new_url: String,
}

/// What one guide in one language became.
pub(crate) struct GuideReport {
    pub(crate) lang: String,
    /// The guide's folder ("" for the pages outside guides).
    pub(crate) guide: String,
    pub(crate) title: String,
    pub(crate) pages: Vec<Row>,
    /// Pages guidegen makes itself at the same URL (the landing, 404, the tiles).
    pub(crate) replaced: Vec<(String, String)>,
    pub(crate) counts: BTreeMap<String, usize>,
    pub(crate) look: Vec<(String, String)>,
    pub(crate) warnings: Vec<crate::diag::Diagnostic>,
    pub(crate) cond_vars: BTreeSet<String>,
    /// Variables the guide's pages define.
    pub(crate) defined: BTreeSet<String>,
}

/// Pages guidegen makes itself: (Jekyll permalink, what makes it).
const GENERATED: &[(&str, &str)] = &[
    (
        "index.html",
        "guidegen's landing page of the language (the guides by stack)",
    ),
    ("404.html", "guidegen's 404 page"),
    (
        "includes/landing-tiles.html",
        "guidegen's tiles fragment for the host site",
    ),
];

/// Convert the pages of `guide` in `lang`; their files go into `files`.
pub(crate) fn guide(
    repo: &Repo,
    lang: &Lang,
    guide: &str,
    list: Vec<Page>,
    svgs: &[(String, String)],
    files: &mut BTreeMap<String, Vec<u8>>,
) -> GuideReport {
    let guide_vars = repo.defaults(lang, &format!("pages_{}/{guide}/_guide", lang.code));
    let title = guide_vars
        .get("framework_name")
        .and_then(Value::as_str)
        .map_or_else(|| guide.to_string(), str::to_string);
    let mut job = Job {
        repo,
        lang,
        guide,
        svgs,
        dirs: list
            .iter()
            .filter_map(|p| p.rel.rsplit_once('/').map(|(d, _)| d.to_string()))
            .collect(),
        weights: sidebar_weights(lang, guide, &list, &repo.baseurl),
        out: Out::default(),
        files,
        r: GuideReport {
            lang: lang.code.clone(),
            guide: guide.to_string(),
            title,
            pages: Vec::new(),
            replaced: Vec::new(),
            counts: BTreeMap::new(),
            look: Vec::new(),
            warnings: Vec::new(),
            cond_vars: BTreeSet::new(),
            defined: guide_vars.keys().cloned().collect(),
        },
        guide_vars,
    };
    let (pages, fragments): (Vec<&Page>, Vec<&Page>) = list.iter().partition(|p| p.has_front);
    for page in pages {
        job.page(page);
    }
    for page in fragments {
        job.fragment(page);
    }
    job.finish()
}

/// One guide of one language being converted.
struct Job<'j> {
    repo: &'j Repo,
    lang: &'j Lang,
    guide: &'j str,
    svgs: &'j [(String, String)],
    guide_vars: Map<String, Value>,
    /// Folders of the guide's pages (a page beside one is its section's page).
    dirs: BTreeSet<String>,
    weights: BTreeMap<String, usize>,
    out: Out,
    files: &'j mut BTreeMap<String, Vec<u8>>,
    r: GuideReport,
}

impl Job<'_> {
    fn page(&mut self, page: &Page) {
        let code = &self.lang.code;
        let url = old_url(page, &self.repo.baseurl);
        if self.guide.is_empty()
            && let Some((_, by)) = GENERATED.iter().find(|(u, _)| *u == url)
        {
            self.r
                .replaced
                .push((format!("pages_{code}/{}", page.rel), format!("{url}: {by}")));
            return;
        }
        let stem = page
            .rel
            .rsplit_once('.')
            .map_or(page.rel.as_str(), |(s, _)| s);
        let section = self.dirs.contains(stem);
        let dest = if section {
            format!("{stem}/_index.md")
        } else {
            format!("{stem}.md")
        };
        let new_url = format!("{stem}.html");
        let vars = page_vars(self.repo, self.lang, page);
        self.r.defined.extend(page.front.keys().cloned());
        let dir = page.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let ctx = Ctx {
            repo: self.repo,
            lang: self.lang,
            baseurl: &self.repo.baseurl,
            dir,
            page_dir: if section { stem } else { dir },
            vars: &vars,
            include: None,
            svgs: self.svgs,
        };
        let body = convert_page(&ctx, &mut self.out, page);
        let in_guide = url
            .strip_prefix(&format!("{}/", self.guide))
            .unwrap_or(&url);
        let sidebar = &self.lang.sidebar;
        if !self.guide.is_empty() && !sidebar.is_empty() && !sidebar.iter().any(|u| u == in_guide) {
            self.out.look.push((
                format!("pages_{code}/{}", page.rel),
                "not in the Jekyll sidebar (_data/<lang>/sidebars/guide.yml), which hid it; guidegen's sidebar lists every page (mark it `draft: true` to leave it out)".into(),
            ));
        }
        let mut text = front_matter(page, &self.guide_vars, &url, &new_url, section);
        if let Some(w) = self.weights.get(in_guide) {
            text = text.replacen("---\n", &format!("---\nweight: {w}\n"), 1);
        }
        self.files.insert(
            format!("content/{code}/{dest}"),
            (text + &body).into_bytes(),
        );
        self.r.pages.push(Row {
            src: format!("pages_{code}/{}", page.rel),
            dest: format!("content/{code}/{dest}"),
            new_url: if section { new_url } else { url.clone() },
            url,
        });
    }

    /// A file without frontmatter (Jekyll renders it only where it is included) that
    /// no page included: kept as a partial, so no text is lost.
    fn fragment(&mut self, page: &Page) {
        let name = page
            .rel
            .rsplit_once('.')
            .map_or(page.rel.as_str(), |(s, _)| s)
            .to_string();
        if self.out.partials.contains_key(&name) {
            return;
        }
        let dir = page.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let vars = Map::new();
        let ctx = Ctx {
            repo: self.repo,
            lang: self.lang,
            baseurl: &self.repo.baseurl,
            dir,
            page_dir: dir,
            vars: &vars,
            include: None,
            svgs: self.svgs,
        };
        let src = format!("pages_{}/{}", self.lang.code, page.rel);
        let text = Conv::new(&page.text, 0, src.clone(), &ctx, &mut self.out).all();
        self.out.look.push((
            src,
            format!("no frontmatter and included by no page: kept as the partial `{name}`, shown nowhere"),
        ));
        self.out.partials.insert(name, super::Partial { text });
    }

    /// Write the partials, images and `_guide.md`; the report.
    fn finish(mut self) -> GuideReport {
        let code = &self.lang.code;
        for (name, p) in &self.out.partials {
            let (text, done, left) = tabs::convert(&p.text);
            *self
                .out
                .counts
                .entry("HTML tab group → <<tabs>>".into())
                .or_insert(0) += done;
            if left > 0 {
                self.out.look.push((
                    format!("partial {name}"),
                    format!("{left} HTML tab group(s) left as HTML"),
                ));
            }
            self.files.insert(
                format!("content/{code}/_partials/{name}.md"),
                finish(&text).into_bytes(),
            );
        }
        self.out.counts.retain(|_, n| *n > 0);
        for (path, bytes) in std::mem::take(&mut self.out.images) {
            self.files.insert(format!("content/{code}/{path}"), bytes);
        }
        if !self.guide.is_empty() {
            self.files.insert(
                format!("content/{code}/{}/_guide.md", self.guide),
                guide_file(&self.r.title, &self.guide_vars).into_bytes(),
            );
        }
        let mut r = self.r;
        r.counts = self.out.counts;
        r.look = self.out.look;
        r.warnings = self.out.warnings;
        r.cond_vars = self.out.cond_vars;
        r
    }
}

/// `weight:` for the pages of each folder whose order in the Jekyll sidebar is not
/// their files' order (guidegen orders by file name): URL in the guide -> weight.
fn sidebar_weights(
    lang: &Lang,
    guide: &str,
    list: &[Page],
    baseurl: &str,
) -> BTreeMap<String, usize> {
    let mut by_dir: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in list.iter().filter(|p| p.has_front) {
        let url = old_url(p, baseurl);
        let Some(in_guide) = url.strip_prefix(&format!("{guide}/")) else {
            continue;
        };
        if lang.sidebar.iter().any(|u| u == in_guide) {
            let dir = in_guide.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            by_dir.entry(dir).or_default().push(in_guide.to_string());
        }
    }
    let mut out = BTreeMap::new();
    for (_, mut urls) in by_dir {
        urls.sort_by(|a, b| crate::util::text::natural_cmp(a, b));
        let sidebar: Vec<&String> = lang.sidebar.iter().filter(|u| urls.contains(u)).collect();
        if sidebar
            .iter()
            .map(|u| u.as_str())
            .ne(urls.iter().map(String::as_str))
        {
            for (i, u) in sidebar.iter().enumerate() {
                out.insert((*u).clone(), (i + 1) * 10);
            }
        }
    }
    out
}

/// A page's variables as Jekyll gave them: its scope's defaults, then its frontmatter.
fn page_vars(repo: &Repo, lang: &Lang, page: &Page) -> Map<String, Value> {
    let mut vars = repo.defaults(lang, &format!("pages_{}/{}", lang.code, page.rel));
    for (k, v) in &page.front {
        vars.insert(k.clone(), v.clone());
    }
    vars
}

/// The page's published path under the language's base URL.
fn old_url(page: &Page, baseurl: &str) -> String {
    match page.front.get("permalink").and_then(Value::as_str) {
        Some(p) => {
            let p = p
                .strip_prefix(baseurl)
                .filter(|_| !baseurl.is_empty())
                .unwrap_or(p);
            let p = p.trim_start_matches('/');
            if p.is_empty() || p.ends_with('/') {
                format!("{p}index.html")
            } else {
                p.to_string()
            }
        }
        None => {
            let stem = page
                .rel
                .rsplit_once('.')
                .map_or(page.rel.as_str(), |(s, _)| s);
            format!("{stem}.html")
        }
    }
}

/// The page's Markdown: what the layout added, then its own text converted.
fn convert_page(ctx: &Ctx<'_>, out: &mut Out, page: &Page) -> String {
    out.uses_examples = false;
    out.filesused.clear();
    let flag = |k: &str| ctx.vars.get(k).is_some_and(|v| v.as_bool() == Some(true));
    let mut layout = String::new();
    for (k, call) in [
        (
            "chapter_production_disclaimer",
            "{% include chapter_production_disclaimer.md.liquid %}",
        ),
        (
            "chapter_initial_prepare_cluster",
            "{% include chapter_initial_prepare_cluster.md.liquid %}",
        ),
        (
            "chapter_initial_prepare_repo",
            "{% include chapter_initial_prepare_repo.md.liquid examples_to=page.examples examples_from=page.examples_initial no_changes=page.chapter_initial_prepare_repo_no_changes %}",
        ),
    ] {
        if flag(k) {
            layout.push_str(call);
            layout.push_str("\n\n");
            out.count("fragment the layout adds (chapter_* flag) → written into the page");
        }
    }
    let mut s = String::new();
    if let Some(d) = ctx.vars.get("description").and_then(Value::as_str)
        && !d.trim().is_empty()
    {
        out.count("description → shown at the top, as the layout did");
        s.push_str(d.trim());
        s.push_str("\n\n");
    }
    if !layout.is_empty() {
        s.push_str(&Conv::new(&layout, 0, "_layouts/page.html".into(), ctx, out).all());
    }
    let src = format!("pages_{}/{}", ctx.lang.code, page.rel);
    s.push_str(&Conv::new(&page.text, page.body, src, ctx, out).all());
    let s = blocks::resolve_filesused(out, &s);
    let (s, done, left) = tabs::convert(&s);
    for _ in 0..done {
        out.count("HTML tab group → <<tabs>>");
    }
    if left > 0 {
        out.look.push((
            format!("pages_{}/{}", ctx.lang.code, page.rel),
            format!("{left} HTML tab group(s) left as HTML"),
        ));
    }
    finish(&s)
}
