//! `content`: the site model, and the loader that builds it from `content/<lang>/`
//! (spec sections 1, 3, 4, 6).
//!
//! The model, [`Site`], holds every source file once ([`SourceFile`], shared by all
//! pages that use it, e.g. a skeleton chapter rendered in three guides) and every page as
//! data: which file and byte range it renders, its variables, its URL and its neighbours.
//! The loader is split along its steps: [`read`] (files and folders), [`guides`] (a
//! language's guides and skeletons), [`tree`] (a folder's pages), [`single_file`]
//! (guides written as one file), [`pairing`] (unique outputs, translations).

pub(crate) mod frontmatter;
mod guides;
mod pairing;
mod read;
mod single_file;
mod tree;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::source::index_by;
pub(crate) use crate::source::{FileId, GuideId, PageId, SourceFile};
use crate::util::confine::Jail;
pub(crate) use frontmatter::find_fm_key;
pub(crate) use tree::alias_out;

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
    pub guide: Option<GuideId>,
    pub vars: Map<String, Value>,
    pub draft: bool,
    /// The page renders a chapter of a skeleton (spec section 6).
    pub from_skeleton: bool,
    /// Its file gives no title (no `title:`, no leading `# Title`): it is named after
    /// the file.
    pub untitled: bool,
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
    /// Old URLs of the page (`aliases:`): as written at load, then (once their value
    /// slots are filled) output paths under the language root, each a redirect here.
    pub aliases: Vec<String>,
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
            untitled: false,
            src_dir: String::new(),
            aliases: Vec::new(),
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
pub(crate) struct Site {
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
    /// Every variable name something of the site defines (book.toml, any frontmatter,
    /// the built-ins, the aliases of defined names): a condition on any other name is a
    /// misspelling, not an optional variable.
    pub names: std::collections::BTreeSet<String>,
}

index_by!(PageId, Page);
index_by!(GuideId, Guide);

impl Site {
    pub(crate) fn page_file(&self, p: &Page) -> Option<&SourceFile> {
        p.file.map(|f| &self.files[f])
    }

    /// The page of `lang` with translation key `key` (`flask/010_intro.md`, `flask/`).
    pub(crate) fn page_by_key(&self, lang: &str, key: &str) -> Option<PageId> {
        self.by_key
            .get(&(lang.to_string(), key.to_string()))
            .copied()
    }

    /// Is `rel` (under `content/<lang>/`) a file copied beside the pages?
    pub(crate) fn has_asset(&self, lang: &str, rel: &str) -> bool {
        self.asset_index
            .contains(&(lang.to_string(), rel.to_string()))
    }

    /// Fill [`Site::names`].
    fn collect_names(&mut self, config: &Config) {
        let mut names: std::collections::BTreeSet<String> =
            crate::vars::known_names(&config.variables)
                .into_iter()
                .collect();
        for l in &config.languages {
            names.extend(crate::vars::known_names(&l.variables));
        }
        for f in &self.files {
            names.extend(crate::vars::known_names(&f.frontmatter));
        }
        for p in &self.pages {
            names.extend(crate::vars::known_names(&p.vars));
        }
        names.extend(["lang", "guide", "page", "page.title", "page.url"].map(str::to_string));
        self.names = names;
    }

    fn index(&mut self) {
        self.by_key = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.lang.clone(), p.key.clone()), PageId::new(i)))
            .collect();
    }
}

pub(crate) struct Loader<'a> {
    config: &'a Config,
    drafts: bool,
    site: Site,
    diags: Vec<Diagnostic>,
    by_abs: HashMap<PathBuf, FileId>,
    /// Files of a previous load known to be unchanged (serve): reused, not re-read.
    reuse: HashMap<PathBuf, &'a SourceFile>,
    /// The site's folder: no link may lead out of it.
    jail: Jail,
    /// Real folders being scanned, outermost first: a link back into one is a loop.
    scanning: Vec<PathBuf>,
}

/// Discover and load every language's content. Errors are collected; the site is
/// returned only when there are none.
pub(crate) fn load(config: &Config, drafts: bool) -> (Option<Site>, Vec<Diagnostic>) {
    load_reusing(config, drafts, None, &[])
}

/// Like [`load`], but files of `previous` that are not in `changed` are taken from it
/// instead of being read and parsed again (what `serve` does after an edit).
pub(crate) fn load_reusing(
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
        jail: Jail::new(&config.root),
        scanning: Vec::new(),
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
    l.site.collect_names(config);
    l.pair_translations();
    // With errors the site is still whole (a file in error is kept with what could be
    // read of it): `check` goes on with it; a build stops.
    (Some(l.site), l.diags)
}
