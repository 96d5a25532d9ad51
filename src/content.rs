//! `content`: discovers `content/<lang>/`, reads frontmatter, builds guides, sections and
//! pages with their order, translations and variables (spec sections 1, 3, 4, 6).
//!
//! The result, [`Site`], holds every source file once ([`SourceFile`], shared by all
//! pages that use it, e.g. a skeleton chapter rendered in three guides) and every page as
//! data: which file and byte range it renders, its variables, its URL and its neighbours.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::config::Config;
use crate::diag::{Diagnostic, display_path};
use crate::frontmatter;
pub use crate::source::{FileId, PageId, SourceFile};
use crate::syntax::markdown::{FenceTracker, h1, leading_h1};
use crate::util::text::{closest, humanize, natural_cmp, slugify, weight_cmp};
use crate::vars::{bool_var, merge, str_var};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `content/<lang>/_index.md` or generated.
    LangLanding,
    /// `_guide.md`, or the text before the first `#` of a single-file guide.
    GuideLanding,
    /// A folder's `_index.md`, or generated for a folder without one.
    Section,
    Chapter,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub lang: String,
    pub kind: PageKind,
    /// The source file, or `None` for a generated page (landing or section listing).
    pub file: Option<FileId>,
    /// Byte range of the Markdown body in the file's text.
    pub body: Range<usize>,
    /// The translation key: the same page in another language has the same key.
    pub key: String,
    /// Output path relative to the language root, e.g. `flask/100_basic/010_build.html`.
    pub out: String,
    pub title: String,
    pub description: String,
    pub guide: Option<usize>,
    pub vars: Map<String, Value>,
    pub draft: bool,
    /// The page renders a chapter of a skeleton (spec section 6).
    pub from_skeleton: bool,
    /// Folder of the source file under `content/<lang>/` (for relative links and images).
    pub src_dir: String,
    /// Sections this page sits in, outermost first (for breadcrumbs).
    pub parents: Vec<PageId>,
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
    /// The same page in other languages: (lang, page).
    pub translations: Vec<(String, PageId)>,
    /// Index of the chapter within a single-file guide (for pairing by position).
    pub ordinal: Option<usize>,
}

impl Page {
    /// A page of `lang` with every optional field empty; callers fill in the rest.
    fn new(lang: impl Into<String>) -> Page {
        Page {
            lang: lang.into(),
            kind: PageKind::Chapter,
            file: None,
            body: 0..0,
            key: String::new(),
            out: String::new(),
            title: String::new(),
            description: String::new(),
            guide: None,
            vars: Map::new(),
            draft: false,
            from_skeleton: false,
            src_dir: String::new(),
            parents: Vec::new(),
            prev: None,
            next: None,
            translations: Vec::new(),
            ordinal: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NavNode {
    pub page: PageId,
    pub children: Vec<NavNode>,
}

#[derive(Debug, Clone)]
pub struct Guide {
    pub lang: String,
    /// Folder (or single-file) name: the `guide` variable.
    pub name: String,
    pub title: String,
    pub landing: PageId,
    /// Sidebar tree below the landing page.
    pub nav: Vec<NavNode>,
    /// Pages in reading order, landing first.
    pub order: Vec<PageId>,
}

#[derive(Debug, Default)]
pub struct Site {
    pub files: Vec<SourceFile>,
    pub pages: Vec<Page>,
    pub guides: Vec<Guide>,
    /// lang -> landing page.
    pub landings: BTreeMap<String, PageId>,
    /// lang -> partial name -> file.
    pub partials: BTreeMap<String, BTreeMap<String, FileId>>,
    /// Non-Markdown files beside the content (images), relative to `content/`:
    /// (lang, path under content/<lang>/, absolute path).
    pub assets: Vec<(String, String, PathBuf)>,
    /// (lang, key) -> page, built once after loading.
    by_key: HashMap<(String, String), PageId>,
    /// (lang, path) of every asset, filled while loading.
    asset_index: std::collections::HashSet<(String, String)>,
}

impl Site {
    pub fn page_file(&self, p: &Page) -> Option<&SourceFile> {
        p.file.map(|f| &self.files[f])
    }

    /// The page of `lang` with translation key `key` (`flask/010_intro.md`, `flask/`).
    pub fn page_by_key(&self, lang: &str, key: &str) -> Option<PageId> {
        self.by_key
            .get(&(lang.to_string(), key.to_string()))
            .copied()
    }

    /// Is `rel` (under `content/<lang>/`) a file copied beside the pages?
    pub fn has_asset(&self, lang: &str, rel: &str) -> bool {
        self.asset_index
            .contains(&(lang.to_string(), rel.to_string()))
    }

    fn index(&mut self) {
        self.by_key = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.lang.clone(), p.key.clone()), i))
            .collect();
    }
}

#[derive(Debug, Default, Clone)]
struct Dir {
    index: Option<FileRef>,
    files: BTreeMap<String, FileRef>,
    dirs: BTreeMap<String, Dir>,
}

#[derive(Debug, Clone, Copy)]
struct FileRef {
    file: FileId,
    skeleton: bool,
}

impl Dir {
    /// Overlay `self` (the guide) onto `base` (the skeleton): the guide's files win.
    fn overlay(self, mut base: Dir) -> Dir {
        if self.index.is_some() {
            base.index = self.index;
        }
        for (k, v) in self.files {
            base.files.insert(k, v);
        }
        for (k, v) in self.dirs {
            let merged = match base.dirs.remove(&k) {
                Some(b) => v.overlay(b),
                None => v,
            };
            base.dirs.insert(k, merged);
        }
        base
    }

    fn mark_skeleton(&mut self) {
        if let Some(i) = &mut self.index {
            i.skeleton = true;
        }
        for f in self.files.values_mut() {
            f.skeleton = true;
        }
        for d in self.dirs.values_mut() {
            d.mark_skeleton();
        }
    }
}

pub struct Loader<'a> {
    config: &'a Config,
    drafts: bool,
    site: Site,
    diags: Vec<Diagnostic>,
    by_abs: HashMap<PathBuf, FileId>,
    /// Files of a previous load known to be unchanged (serve): reused, not re-read.
    reuse: HashMap<PathBuf, &'a SourceFile>,
}

/// Discover and load every language's content. Errors are collected; the site is
/// returned only when there are none.
pub fn load(config: &Config, drafts: bool) -> (Option<Site>, Vec<Diagnostic>) {
    load_reusing(config, drafts, None, &[])
}

/// Like [`load`], but files of `previous` that are not in `changed` are taken from it
/// instead of being read and parsed again (what `serve` does after an edit).
pub fn load_reusing(
    config: &Config,
    drafts: bool,
    previous: Option<&Site>,
    changed: &[PathBuf],
) -> (Option<Site>, Vec<Diagnostic>) {
    let mut reuse = HashMap::new();
    if let Some(prev) = previous {
        for f in &prev.files {
            if !changed.contains(&f.abs) {
                reuse.insert(f.abs.clone(), f);
            }
        }
    }
    let mut l = Loader {
        config,
        drafts,
        site: Site::default(),
        diags: Vec::new(),
        by_abs: HashMap::new(),
        reuse,
    };
    let content = config.root.join("content");
    if !content.is_dir() {
        l.diags.push(
            Diagnostic::error("content", "the site has no content/ folder")
                .with_help("create content/<lang>/ with Markdown files, or run `guidegen init`"),
        );
        return (None, l.diags);
    }
    for lang in config.languages.clone() {
        l.load_language(&lang.code);
    }
    // A language folder book.toml does not know is most likely a forgotten [languages.X].
    if let Ok(rd) = std::fs::read_dir(&content) {
        let mut names: Vec<String> = rd
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| !n.starts_with(['.', '_']))
            .collect();
        names.sort();
        for n in names {
            if config.language(&n).is_none() {
                l.diags.push(
                    Diagnostic::warning(
                        format!("content/{n}"),
                        format!("content/{n}/ is not built: '{n}' is not a language of book.toml"),
                    )
                    .with_help(format!(
                        "add [languages.{n}] with its title and base_url to book.toml"
                    )),
                );
            }
        }
    }
    l.check_unique_outputs();
    l.site.index();
    l.pair_translations();
    if l.diags.iter().any(Diagnostic::is_error) {
        (None, l.diags)
    } else {
        (Some(l.site), l.diags)
    }
}

impl Loader<'_> {
    fn rel(&self, p: &Path) -> PathBuf {
        display_path(&self.config.root, p)
    }

    /// Keys that mean something to guidegen must have the right type (spec section 3).
    fn check_types(&mut self, rel: &Path, text: &str, fm: &Map<String, Value>) {
        const STRINGS: &[&str] = &["title", "description", "permalink", "examples", "extends"];
        for (key, v) in fm {
            let want = match key.as_str() {
                "weight" if !v.is_i64() => "a whole number, e.g. `weight: 10`",
                "draft" if !v.is_boolean() => "true or false",
                k if STRINGS.contains(&k)
                    && !(v.is_string() || (k != "extends" && v.is_number())) =>
                {
                    "a string"
                }
                _ => continue,
            };
            let mut d = Diagnostic::error(rel, format!("frontmatter key '{key}' must be {want}"));
            if let Some((s, e)) = find_fm_key(text, key) {
                d = d.at(text, s, e);
            }
            self.diags.push(d);
        }
    }

    /// Read (once) and parse the frontmatter of a Markdown file.
    fn read(&mut self, abs: &Path) -> Option<FileId> {
        if let Some(id) = self.by_abs.get(abs) {
            return Some(*id);
        }
        if let Some(old) = self.reuse.get(abs) {
            let id = self.site.files.len();
            self.site.files.push(SourceFile {
                rel: old.rel.clone(),
                abs: old.abs.clone(),
                text: old.text.clone(),
                frontmatter: old.frontmatter.clone(),
                body_start: old.body_start,
            });
            self.by_abs.insert(abs.to_path_buf(), id);
            return Some(id);
        }
        let rel = self.rel(abs);
        let bytes = match std::fs::read(abs) {
            Ok(b) => b,
            Err(e) => {
                self.diags
                    .push(Diagnostic::error(&rel, format!("cannot read file: {e}")));
                return None;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
                let line = prefix.matches('\n').count() + 1;
                let col = prefix[prefix.rfind('\n').map(|i| i + 1).unwrap_or(0)..]
                    .chars()
                    .count()
                    + 1;
                self.diags.push(
                    Diagnostic::error(
                        &rel,
                        format!(
                            "file is not valid UTF-8 (invalid byte at line {line}, column {col})"
                        ),
                    )
                    .with_help("save the file as UTF-8"),
                );
                return None;
            }
        };
        let text = match text.strip_prefix('\u{feff}') {
            Some(t) => t.to_string(),
            None => text,
        };
        let split = frontmatter::split(&text);
        let fm = match frontmatter::parse(&rel, &text, &split) {
            Ok(m) => m,
            Err(d) => {
                self.diags.push(d);
                Map::new()
            }
        };
        self.check_types(&rel, &text, &fm);
        let body_start = split.body_start;
        let id = self.site.files.len();
        self.site.files.push(SourceFile {
            rel,
            abs: abs.to_path_buf(),
            text,
            frontmatter: fm,
            body_start,
        });
        self.by_abs.insert(abs.to_path_buf(), id);
        Some(id)
    }

    fn scan_dir(&mut self, dir: &Path, lang: &str, rel_dir: &str, collect_assets: bool) -> Dir {
        let mut out = Dir::default();
        let mut entries: Vec<_> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => {
                let rel = self.rel(dir);
                self.diags
                    .push(Diagnostic::error(rel, format!("cannot read folder: {e}")));
                return out;
            }
        };
        entries.sort();
        for path in entries {
            let name = match path.file_name().and_then(|n| n.to_str()) {
                Some(n) => n.to_string(),
                None => continue,
            };
            if name.starts_with('.') {
                continue;
            }
            let child_rel = join_rel(rel_dir, &name);
            if path.is_dir() {
                if name.starts_with('_') {
                    continue;
                }
                let sub = self.scan_dir(&path, lang, &child_rel, collect_assets);
                out.dirs.insert(name, sub);
            } else if name.ends_with(".md") {
                if name == "_index.md" || name == "_guide.md" {
                    if let Some(f) = self.read(&path) {
                        out.index = Some(FileRef {
                            file: f,
                            skeleton: false,
                        });
                    }
                } else if !name.starts_with('_')
                    && let Some(f) = self.read(&path)
                {
                    out.files.insert(
                        name,
                        FileRef {
                            file: f,
                            skeleton: false,
                        },
                    );
                }
            } else if collect_assets
                && !name.starts_with('_')
                // The guide's own file wins over a skeleton's at the same path.
                && self.site.asset_index.insert((lang.to_string(), child_rel.clone()))
            {
                self.site.assets.push((lang.to_string(), child_rel, path));
            }
        }
        out
    }

    fn load_language(&mut self, lang: &str) {
        let root = self.config.root.join("content").join(lang);
        let lconf = self.config.language(lang).cloned();
        let mut base_vars = self.config.variables.clone();
        if let Some(l) = &lconf {
            merge(&mut base_vars, &l.variables);
        }
        base_vars.insert("lang".into(), Value::String(lang.into()));

        // Partials.
        let partial_dir = root.join("_partials");
        let mut partials = BTreeMap::new();
        if partial_dir.is_dir() {
            for e in walkdir::WalkDir::new(&partial_dir).sort_by_file_name() {
                let Ok(e) = e else { continue };
                let p = e.path();
                if p.extension().is_some_and(|x| x == "md")
                    && let Ok(r) = p.strip_prefix(&partial_dir)
                {
                    let name = r.with_extension("").to_string_lossy().replace('\\', "/");
                    if let Some(id) = self.read(p) {
                        partials.insert(name, id);
                    }
                }
            }
        }
        self.site.partials.insert(lang.to_string(), partials);

        // Landing page (created now; guides fill its listing later in render).
        let landing_id = self.site.pages.len();
        let (landing_file, landing_fm) = if root.join("_index.md").is_file() {
            let f = self.read(&root.join("_index.md"));
            let fm = f
                .map(|f| self.site.files[f].frontmatter.clone())
                .unwrap_or_default();
            (f, fm)
        } else {
            (None, Map::new())
        };
        let mut vars = base_vars.clone();
        merge(&mut vars, &landing_fm);
        let title = landing_fm
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| lconf.as_ref().map(|l| l.title.clone()))
            .unwrap_or_default();
        let body = landing_file
            .map(|f| self.site.files[f].body_start..self.site.files[f].text.len())
            .unwrap_or(0..0);
        self.push_page(Page {
            kind: PageKind::LangLanding,
            file: landing_file,
            body,
            key: String::new(),
            out: "index.html".into(),
            title,
            description: str_var(&landing_fm, "description")
                .or_else(|| lconf.as_ref().map(|l| l.description.clone()))
                .unwrap_or_default(),
            vars,
            ..Page::new(lang)
        });
        self.site.landings.insert(lang.to_string(), landing_id);

        if !root.is_dir() {
            return;
        }
        let top = self.scan_dir(&root, lang, "", true);
        // Folder guides.
        let mut guides: Vec<(String, Dir)> = top.dirs.into_iter().collect();
        guides.sort_by(|a, b| natural_cmp(&a.0, &b.0));
        let mut entries: Vec<(String, GuideSource)> = guides
            .into_iter()
            .map(|(n, d)| (n, GuideSource::Folder(d)))
            .collect();
        for (name, f) in top.files {
            let stem = name.trim_end_matches(".md").to_string();
            entries.push((stem, GuideSource::SingleFile(f.file)));
        }
        entries.sort_by(|a, b| natural_cmp(&a.0, &b.0));
        // Weight on guide landing orders guides too.
        let mut weighted: Vec<(Option<i64>, String, GuideSource)> = entries
            .into_iter()
            .map(|(n, s)| {
                let w = match &s {
                    GuideSource::Folder(d) => d.index.and_then(|i| {
                        self.site.files[i.file]
                            .frontmatter
                            .get("weight")
                            .and_then(Value::as_i64)
                    }),
                    GuideSource::SingleFile(f) => self.site.files[*f]
                        .frontmatter
                        .get("weight")
                        .and_then(Value::as_i64),
                };
                (w, n, s)
            })
            .collect();
        weighted.sort_by(|a, b| weight_cmp(a.0, b.0).then_with(|| natural_cmp(&a.1, &b.1)));
        for (_, name, src) in weighted {
            match src {
                GuideSource::Folder(d) => self.folder_guide(lang, &root, &name, d, &base_vars),
                GuideSource::SingleFile(f) => self.single_file_guide(lang, &name, f, &base_vars),
            }
        }
    }

    fn folder_guide(
        &mut self,
        lang: &str,
        root: &Path,
        name: &str,
        dir: Dir,
        base: &Map<String, Value>,
    ) {
        let guide_fm = dir
            .index
            .map(|i| self.site.files[i.file].frontmatter.clone())
            .unwrap_or_default();
        if bool_var(&guide_fm, "draft") && !self.drafts {
            return;
        }
        let mut dir = dir;
        if let Some(ext) = guide_fm.get("extends") {
            let guide_index = dir.index;
            match ext.as_str() {
                Some(skel) if skel.starts_with('_') && root.join(skel).is_dir() => {
                    // Images beside skeleton chapters are copied into each guide.
                    let mut base_dir = self.scan_dir(&root.join(skel), lang, name, true);
                    base_dir.mark_skeleton();
                    // The skeleton's own _guide.md/_index.md is not the guide's landing.
                    base_dir.index = None;
                    dir = dir.overlay(base_dir);
                    dir.index = guide_index;
                }
                _ => {
                    let shown = match ext {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let f = guide_index.map(|i| i.file);
                    let mut d = Diagnostic::error(
                        f.map(|f| self.site.files[f].rel.clone())
                            .unwrap_or_else(|| PathBuf::from(format!("content/{lang}/{name}"))),
                        format!(
                            "extends: '{shown}' names no skeleton folder content/{lang}/{shown}/"
                        ),
                    );
                    if let Some(f) = f {
                        let file = &self.site.files[f];
                        if let Some(at) = find_fm_key(&file.text, "extends") {
                            d = d.at(&file.text, at.0, at.1);
                        }
                    }
                    let skeletons = self.skeleton_names(root);
                    if let Some(s) = closest(&shown, skeletons.iter().map(String::as_str)) {
                        d = d.with_help(format!("did you mean '{s}'?"));
                    } else if skeletons.is_empty() {
                        d = d.with_help(format!(
                            "create content/{lang}/_skeleton/ with the shared chapters"
                        ));
                    }
                    self.diags.push(d);
                    return;
                }
            }
        }
        let mut vars = base.clone();
        merge(&mut vars, &guide_fm);
        vars.insert("guide".into(), Value::String(name.into()));
        let gid = self.site.guides.len();
        let title = str_var(&guide_fm, "title").unwrap_or_else(|| humanize(name));
        let body = dir
            .index
            .map(|i| self.site.files[i.file].body_start..self.site.files[i.file].text.len())
            .unwrap_or(0..0);
        let landing = Page {
            file: dir.index.map(|i| i.file),
            body,
            description: str_var(&guide_fm, "description").unwrap_or_default(),
            src_dir: name.to_string(),
            ..Page::new(lang)
        };
        self.push_guide(lang, name, gid, title, &vars, landing);
        let nav = self.dir_pages(lang, gid, name, &dir, &vars, &[]);
        self.finish_guide(gid, nav);
    }

    fn skeleton_names(&self, root: &Path) -> Vec<String> {
        let mut v = Vec::new();
        if let Ok(rd) = std::fs::read_dir(root) {
            for e in rd.flatten() {
                let n = e.file_name().to_string_lossy().to_string();
                if n.starts_with('_') && n != "_partials" && e.path().is_dir() {
                    v.push(n);
                }
            }
        }
        v.sort();
        v
    }

    /// Pages of one folder (already merged with a skeleton), in order.
    fn dir_pages(
        &mut self,
        lang: &str,
        gid: usize,
        rel: &str,
        dir: &Dir,
        vars: &Map<String, Value>,
        parents: &[PageId],
    ) -> Vec<NavNode> {
        enum Item<'d> {
            File(&'d str, FileRef),
            Dir(&'d str, &'d Dir),
        }
        let mut items: Vec<(Option<i64>, &str, Item)> = Vec::new();
        for (n, f) in &dir.files {
            let fm = &self.site.files[f.file].frontmatter;
            if bool_var(fm, "draft") && !self.drafts {
                continue;
            }
            items.push((
                fm.get("weight").and_then(Value::as_i64),
                n,
                Item::File(n, *f),
            ));
        }
        for (n, d) in &dir.dirs {
            let w = d.index.and_then(|i| {
                self.site.files[i.file]
                    .frontmatter
                    .get("weight")
                    .and_then(Value::as_i64)
            });
            if let Some(i) = d.index
                && bool_var(&self.site.files[i.file].frontmatter, "draft")
                && !self.drafts
            {
                continue;
            }
            items.push((w, n, Item::Dir(n, d)));
        }
        items.sort_by(|a, b| weight_cmp(a.0, b.0).then_with(|| natural_cmp(a.1, b.1)));
        let mut nodes = Vec::new();
        for (_, _, item) in items {
            match item {
                Item::File(name, f) => {
                    let stem = name.trim_end_matches(".md");
                    let key = format!("{rel}/{name}");
                    let page = self.file_page(
                        lang,
                        gid,
                        rel,
                        f,
                        vars,
                        PageKind::Chapter,
                        &key,
                        format!("{rel}/{stem}.html"),
                        humanize(stem),
                        parents,
                    );
                    if let Some(p) = page {
                        nodes.push(NavNode {
                            page: p,
                            children: Vec::new(),
                        });
                    }
                }
                Item::Dir(name, d) => {
                    let sub_rel = format!("{rel}/{name}");
                    let mut sec_vars = vars.clone();
                    let page = match d.index {
                        Some(f) => {
                            merge(&mut sec_vars, &self.site.files[f.file].frontmatter);
                            self.file_page(
                                lang,
                                gid,
                                &sub_rel,
                                f,
                                vars,
                                PageKind::Section,
                                &format!("{sub_rel}/"),
                                format!("{sub_rel}/index.html"),
                                humanize(name),
                                parents,
                            )
                        }
                        None => {
                            let v = vars.clone();
                            let title = humanize(name);
                            Some(self.push_page(Page {
                                kind: PageKind::Section,
                                key: format!("{sub_rel}/"),
                                out: format!("{sub_rel}/index.html"),
                                title,
                                guide: Some(gid),
                                vars: v,
                                src_dir: sub_rel.clone(),
                                parents: parents.to_vec(),
                                ..Page::new(lang)
                            }))
                        }
                    };
                    let Some(page) = page else { continue };
                    let mut sub_parents = parents.to_vec();
                    sub_parents.push(page);
                    let children = self.dir_pages(lang, gid, &sub_rel, d, &sec_vars, &sub_parents);
                    nodes.push(NavNode { page, children });
                }
            }
        }
        nodes
    }

    #[allow(clippy::too_many_arguments)]
    fn file_page(
        &mut self,
        lang: &str,
        gid: usize,
        rel_dir: &str,
        f: FileRef,
        vars: &Map<String, Value>,
        kind: PageKind,
        key: &str,
        default_out: String,
        default_title: String,
        parents: &[PageId],
    ) -> Option<PageId> {
        let file = &self.site.files[f.file];
        let fm = file.frontmatter.clone();
        let mut v = vars.clone();
        merge(&mut v, &fm);
        let mut body = file.body_start..file.text.len();
        let title = match str_var(&fm, "title") {
            Some(t) => {
                // A leading `# Title` equal to the frontmatter title is not repeated.
                if let Some((h, after)) = leading_h1(&file.text, body.clone())
                    && h == t
                {
                    body = after..body.end;
                }
                t
            }
            None => match leading_h1(&file.text, body.clone()) {
                Some((h, after)) => {
                    body = after..body.end;
                    h
                }
                None => default_title,
            },
        };
        let out = match str_var(&fm, "permalink") {
            Some(p) => permalink_out(&p),
            None => default_out,
        };
        Some(self.push_page(Page {
            kind,
            file: Some(f.file),
            body,
            key: key.to_string(),
            out,
            title,
            description: str_var(&fm, "description").unwrap_or_default(),
            guide: Some(gid),
            vars: v,
            draft: bool_var(&fm, "draft"),
            from_skeleton: f.skeleton,
            // A skeleton chapter's relative links resolve like the guide's own.
            src_dir: rel_dir.to_string(),
            parents: parents.to_vec(),
            ..Page::new(lang)
        }))
    }

    /// Register guide `gid` with its landing page (`landing` carries the source fields).
    fn push_guide(
        &mut self,
        lang: &str,
        name: &str,
        gid: usize,
        title: String,
        vars: &Map<String, Value>,
        landing: Page,
    ) {
        let landing = self.push_page(Page {
            kind: PageKind::GuideLanding,
            key: format!("{name}/"),
            out: format!("{name}/index.html"),
            title: title.clone(),
            guide: Some(gid),
            vars: vars.clone(),
            ..landing
        });
        self.site.guides.push(Guide {
            lang: lang.into(),
            name: name.into(),
            title,
            landing,
            nav: Vec::new(),
            order: vec![landing],
        });
    }

    fn push_page(&mut self, mut p: Page) -> PageId {
        let id = self.site.pages.len();
        let url_vars = serde_json::json!({ "title": p.title.clone(), "url": p.out.clone() });
        p.vars.insert("page".into(), url_vars);
        self.site.pages.push(p);
        id
    }

    fn finish_guide(&mut self, gid: usize, nav: Vec<NavNode>) {
        fn flatten(n: &[NavNode], out: &mut Vec<PageId>) {
            for x in n {
                out.push(x.page);
                flatten(&x.children, out);
            }
        }
        let mut order = vec![self.site.guides[gid].landing];
        flatten(&nav, &mut order);
        for w in order.windows(2) {
            self.site.pages[w[0]].next = Some(w[1]);
            self.site.pages[w[1]].prev = Some(w[0]);
        }
        let g = &mut self.site.guides[gid];
        g.nav = nav;
        g.order = order;
    }

    /// A single-file guide (spec section 4): each top-level `#` starts a chapter.
    fn single_file_guide(
        &mut self,
        lang: &str,
        name: &str,
        file: FileId,
        base: &Map<String, Value>,
    ) {
        let f = &self.site.files[file];
        let fm = f.frontmatter.clone();
        if bool_var(&fm, "draft") && !self.drafts {
            return;
        }
        let chapters = split_chapters(&f.text, f.body_start);
        let mut vars = base.clone();
        merge(&mut vars, &fm);
        vars.insert("guide".into(), Value::String(name.into()));
        let gid = self.site.guides.len();
        let title = str_var(&fm, "title").unwrap_or_else(|| humanize(name));
        let intro_end = chapters
            .first()
            .map(|c| c.heading_start)
            .unwrap_or(f.text.len());
        let landing = Page {
            file: Some(file),
            body: f.body_start..intro_end,
            description: str_var(&fm, "description").unwrap_or_default(),
            ..Page::new(lang)
        };
        self.push_guide(lang, name, gid, title, &vars, landing);
        let mut nav = Vec::new();
        let mut used: HashMap<String, usize> = HashMap::new();
        for (i, ch) in chapters.into_iter().enumerate() {
            // The slug comes from the heading as readers see it (slots filled).
            let shown = crate::vars::expand_inline(self.config, lang, &vars, &ch.title)
                .unwrap_or_else(|_| ch.title.clone());
            let mut slug = ch.id.clone().unwrap_or_else(|| slugify(&shown));
            if slug.is_empty() || slug == "index" {
                slug = format!("chapter-{}", i + 1);
            }
            let n = used.entry(slug.clone()).or_insert(0);
            if *n > 0 {
                slug = format!("{slug}-{n}");
            }
            *n += 1;
            let page = self.push_page(Page {
                kind: PageKind::Chapter,
                file: Some(file),
                body: ch.body,
                key: format!("{name}/{slug}.html"),
                out: format!("{name}/{slug}.html"),
                title: ch.title,
                guide: Some(gid),
                vars: vars.clone(),
                ordinal: Some(i),
                ..Page::new(lang)
            });
            nav.push(NavNode {
                page,
                children: Vec::new(),
            });
        }
        self.finish_guide(gid, nav);
    }

    /// Two pages may not write the same file (`flask.md` beside `flask/`, or a `permalink:`).
    fn check_unique_outputs(&mut self) {
        let mut seen: HashMap<(String, String), PageId> = HashMap::new();
        for (i, p) in self.site.pages.iter().enumerate() {
            if let Some(&first) = seen.get(&(p.lang.clone(), p.out.clone())) {
                let src = |q: &Page| {
                    q.file
                        .map(|f| self.site.files[f].rel.display().to_string())
                        .unwrap_or_else(|| format!("a generated page of content/{}/", q.lang))
                };
                let a = &self.site.pages[first];
                self.diags.push(
                    Diagnostic::error(
                        p.file
                            .map(|f| self.site.files[f].rel.clone())
                            .unwrap_or_default(),
                        format!("two pages would be written to {}/{}", p.lang, p.out),
                    )
                    .with_note(format!("the other one comes from {}", src(a)))
                    .with_help("rename one of them, or give one a different `permalink:`"),
                );
            } else {
                seen.insert((p.lang.clone(), p.out.clone()), i);
            }
        }
    }

    /// Pair pages across languages: by key, then (single-file chapters) by position.
    fn pair_translations(&mut self) {
        let langs: Vec<String> = self
            .config
            .languages
            .iter()
            .map(|l| l.code.clone())
            .collect();
        for i in 0..self.site.pages.len() {
            let mut tr = Vec::new();
            let p = &self.site.pages[i];
            for l in &langs {
                if *l == p.lang {
                    continue;
                }
                let mut found = self.site.page_by_key(l, &p.key);
                if found.is_none()
                    && let (Some(ord), Some(g)) = (p.ordinal, p.guide)
                {
                    let gname = &self.site.guides[g].name;
                    found = self
                        .site
                        .guides
                        .iter()
                        .find(|og| og.lang == *l && og.name == *gname)
                        .and_then(|og| {
                            og.order
                                .iter()
                                .copied()
                                .find(|&q| self.site.pages[q].ordinal == Some(ord))
                        });
                }
                if let Some(q) = found {
                    tr.push((l.clone(), q));
                }
            }
            self.site.pages[i].translations = tr;
        }
    }
}

enum GuideSource {
    Folder(Dir),
    SingleFile(FileId),
}

fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn permalink_out(p: &str) -> String {
    let p = p.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else if p.ends_with(".html") {
        p.to_string()
    } else {
        format!("{p}.html")
    }
}

/// Byte span of `key:` at the start of a frontmatter line.
pub fn find_fm_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with(key) && line[key.len()..].trim_start().starts_with(':') {
            return Some((off, off + key.len()));
        }
        off += line.len();
    }
    None
}

pub struct Chapter {
    pub title: String,
    pub id: Option<String>,
    pub heading_start: usize,
    pub body: Range<usize>,
}

/// Split a single-file guide at top-level `#` headings outside fenced code.
pub fn split_chapters(text: &str, start: usize) -> Vec<Chapter> {
    let mut out: Vec<Chapter> = Vec::new();
    let mut fences = FenceTracker::default();
    let mut off = start;
    for line in text[start..].split_inclusive('\n') {
        let in_code = fences.line(line.trim_end_matches(['\n', '\r']));
        if !in_code && let Some((title, id)) = h1(line) {
            if let Some(last) = out.last_mut() {
                last.body.end = off;
            }
            out.push(Chapter {
                title,
                id,
                heading_start: off,
                body: off + line.len()..text.len(),
            });
        }
        off += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_split_outside_fences_only() {
        let t = "intro\n# One\ntext\n```bash\n# not a heading\n```\n# Two {#two}\n ```\n# in indented fence\n```\n";
        let c = split_chapters(t, 0);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].title, "One");
        assert_eq!(c[1].id.as_deref(), Some("two"));
        assert!(t[c[0].body.clone()].contains("# not a heading"));
        assert!(t[c[1].body.clone()].contains("# in indented fence"));
        assert_eq!(&t[..c[0].heading_start], "intro\n");
    }
}
