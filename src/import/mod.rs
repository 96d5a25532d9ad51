//! `guidegen import jekyll SRC DEST`: a Jekyll guides repository laid out as
//! werf/werf-guides is, turned into a guidegen site (docs/import.md).
//!
//! [`jekyll`] reads the repository (never writing it, never leaving it); [`convert`]
//! turns each page's Liquid into slots, tag by tag ([`blocks`], [`includes`],
//! [`conditions`]); [`tabs`] the HTML tab groups;
//! [`pages`] lays the pages out so that each keeps its URL, [`site`] writes their
//! frontmatter and book.toml; [`report`] writes
//! `IMPORT.md`. Everything is assembled in memory, in a fixed order, and written at the
//! end into DEST, which must be new or empty (`output::create`), so a run writes the
//! whole site or nothing, and two runs write the same bytes.

mod blocks;
mod conditions;
mod convert;
mod includes;
mod jekyll;
mod liquid;
mod pages;
mod report;
mod site;
mod tabs;
mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diag::Diagnostic;
use jekyll::{Lang, Repo};

/// What `guidegen import` does.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The Jekyll repository (read only).
    pub src: PathBuf,
    /// The new site's folder: new or empty.
    pub dest: PathBuf,
}

/// What an import made.
#[derive(Debug)]
pub struct Imported {
    /// Pages written, every language.
    pub pages: usize,
    /// Guides, every language.
    pub guides: usize,
    /// Problems of the source, located (also in IMPORT.md).
    pub warnings: Vec<Diagnostic>,
    /// Places an author should look at (also in IMPORT.md).
    pub to_look_at: usize,
}

/// What converting one guide in one language gathered.
#[derive(Default)]
pub(crate) struct Out {
    /// What was converted how: construct -> count.
    pub(crate) counts: BTreeMap<String, usize>,
    /// Places for an author's look: (file:line, what).
    pub(crate) look: Vec<(String, String)>,
    /// Problems of the source, located.
    pub(crate) warnings: Vec<Diagnostic>,
    /// Partials made: name -> text.
    pub(crate) partials: BTreeMap<String, Partial>,
    /// Images: path under content/<lang>/ -> bytes.
    pub(crate) images: BTreeMap<String, Vec<u8>>,
    /// Files being converted, for include loops.
    pub(crate) stack: Vec<String>,
    /// The page being converted shows example files with `<<example>>`.
    pub(crate) uses_examples: bool,
    /// The `filesused` lists of the page being converted.
    pub(crate) filesused: Vec<(String, String)>,
    /// Variables that conditions test.
    pub(crate) cond_vars: BTreeSet<String>,
}

/// A partial's converted text.
#[derive(Default, Clone)]
pub(crate) struct Partial {
    pub(crate) text: String,
}

impl Out {
    pub(crate) fn count(&mut self, what: &str) {
        *self.counts.entry(what.to_string()).or_insert(0) += 1;
    }

    /// A problem of the source at `span` of `text` (file `file`).
    pub(crate) fn warn(&mut self, file: &str, text: &str, span: Range<usize>, msg: String) {
        let end = span.end.min(text.len());
        let start = span.start.min(end);
        self.warnings
            .push(Diagnostic::warning(file, msg).at(text, start, end));
    }

    /// A name for an image beside the pages of `dir`: its own, or, when another image
    /// already has it, with the folders it came from.
    pub(crate) fn image_name(&self, dir: &str, src: &str, base: &str) -> String {
        let taken = |n: &str| self.images.contains_key(&format!("{dir}/{n}"));
        if !taken(base) {
            return base.to_string();
        }
        src.replace('/', "_")
    }
}

/// What a file is converted with.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'c> {
    pub(crate) repo: &'c Repo,
    pub(crate) lang: &'c Lang,
    pub(crate) baseurl: &'c str,
    /// The folder of the file being converted, inside `pages_<lang>/`.
    pub(crate) dir: &'c str,
    /// The folder of the page, inside `content/<lang>/`, where its images go.
    pub(crate) page_dir: &'c str,
    /// The page's variables (Jekyll's defaults and its frontmatter).
    pub(crate) vars: &'c Map<String, Value>,
    /// The parameters of the include being inlined.
    pub(crate) include: Option<&'c BTreeMap<String, Value>>,
    /// The SVGs the PlantUML plugin cached: (path, text).
    pub(crate) svgs: &'c [(String, String)],
}

/// What a tag becomes: the dispatch of [`convert::Conv`] to the tags' converters.
fn tag(c: &mut convert::Conv<'_, '_>, name: &str, args: &str, at: usize, source: &str) -> String {
    match name {
        "comment" => c.comment(at, source),
        "offtopic" => blocks::offtopic(c, args, at, source),
        "filesused" => blocks::filesused(c, args, at, source),
        "snippetcut" => blocks::snippetcut(c, args, at, source),
        "include_relative" => includes::include_relative(c, args, at),
        "include" => includes::include(c, args, at),
        "include_file" => includes::include_file(c, args, at),
        "asset" => blocks::asset(c, args, at),
        "plantuml" => blocks::plantuml(c, at, source),
        "if" | "unless" => conditions::conditional(c, name, args, at, source),
        "assign" => c.assign(args, at, source),
        "capture" => c.capture(args, at, source),
        "increment" => c.increment(args),
        "for" => c.for_loop(at, source),
        _ => {
            c.out.count("unknown tag");
            c.note(at, format!("the tag `{source}`"))
        }
    }
}

/// Import the repository at `opts.src` into `opts.dest`.
pub fn import(opts: &ImportOptions) -> Result<Imported, Diagnostic> {
    refuse_dest(opts)?;
    let mut repo = Repo::open(&opts.src)?;
    let svgs: Vec<(String, String)> = repo
        .walk("assets/images/plantuml_cache")
        .into_iter()
        .filter(|r| r.ends_with(".svg"))
        .filter_map(|r| {
            let path = format!("assets/images/plantuml_cache/{r}");
            repo.read(&path).map(|t| (path, t))
        })
        .collect();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut reports = Vec::new();
    let langs = repo.langs.clone();
    for lang in &langs {
        let all = repo.pages(&lang.code);
        for (guide, list) in jekyll::by_guide(all) {
            let r = pages::guide(&repo, lang, &guide, list, &svgs, &mut files);
            reports.push(r);
        }
    }
    for rel in repo.examples.clone() {
        if let Some(b) = repo.read_bytes(&format!("examples/{rel}")) {
            files.insert(format!("examples/{rel}"), b);
        }
    }
    let cond_vars: BTreeSet<String> = reports
        .iter()
        .flat_map(|r| r.cond_vars.iter().cloned())
        .collect();
    let defined: BTreeSet<String> = reports
        .iter()
        .flat_map(|r| r.defined.iter().cloned())
        .collect();
    let hosted = reports.iter().any(|r| {
        r.replaced
            .iter()
            .any(|(_, by)| by.starts_with("includes/landing-tiles.html"))
    });
    files.insert(
        "book.toml".into(),
        site::book_toml(&repo, &defined, &cond_vars, hosted).into_bytes(),
    );

    let mut warnings = std::mem::take(&mut repo.warnings);
    warnings.extend(reports.iter().flat_map(|r| r.warnings.iter().cloned()));
    files.insert(
        "IMPORT.md".into(),
        report::write(&repo, &reports, &warnings).into_bytes(),
    );
    let list: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_slice()))
        .collect();
    crate::output::create(&opts.dest, &list, false)?;
    Ok(Imported {
        pages: reports.iter().map(|r| r.pages.len()).sum(),
        guides: reports.iter().filter(|r| !r.guide.is_empty()).count(),
        to_look_at: reports.iter().map(|r| r.look.len()).sum(),
        warnings,
    })
}

/// DEST must not be SRC or inside it (SRC is never written), and must be new or empty.
fn refuse_dest(opts: &ImportOptions) -> Result<(), Diagnostic> {
    let src = crate::util::confine::absolute(&opts.src);
    let src = src.canonicalize().unwrap_or(src);
    let dest = crate::util::confine::absolute(&opts.dest);
    // The deepest part of DEST that exists, resolved (DEST itself may not exist yet).
    let mut probe = dest.clone();
    let real = loop {
        if let Ok(r) = probe.canonicalize() {
            break r.join(dest.strip_prefix(&probe).unwrap_or(Path::new("")));
        }
        if !probe.pop() {
            break dest.clone();
        }
    };
    if real.starts_with(&src) {
        return Err(Diagnostic::error(
            &opts.dest,
            "is inside the repository being imported, which is never written",
        )
        .with_help("choose a folder outside it, e.g. ../guides-site"));
    }
    if let Ok(mut rd) = std::fs::read_dir(&opts.dest)
        && rd.next().is_some()
    {
        return Err(Diagnostic::error(&opts.dest, "the folder is not empty")
            .with_help("import into a new or empty folder: nothing is ever written over"));
    }
    Ok(())
}
