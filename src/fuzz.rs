//! Entry points for fuzzing: each takes arbitrary text and runs one part of guidegen on
//! it, returning normally whatever the input (a panic, an abort or a hang is a bug).
//! The `fuzz/` crate drives them with libFuzzer (`cargo fuzz`); `tests/it/fuzz.rs`
//! replays the saved corpus in every `cargo test`.

use std::path::{Path, PathBuf};

use crate::config::{Config, NotesMode};
use crate::content::{Site, frontmatter};
use crate::examples::ExampleStore;
use crate::markdown;
use crate::pipeline::{BuildOptions, build};
use crate::slots::{self, Env, ParseCache};
use crate::source::{FileId, SourceFile};

/// The `<<...>>` lexer and the slot stage on `text` as a page (with a few variables).
pub fn slots(text: &str) {
    let config = match Config::parse(Path::new("/nonexistent"), BOOK) {
        Ok(c) => c,
        Err(_) => return,
    };
    let _ = crate::syntax::slot::lex(text);
    let mut site = Site::default();
    site.files.push(SourceFile {
        rel: PathBuf::from("content/en/page.md"),
        abs: PathBuf::from("/nonexistent/content/en/page.md"),
        text: text.into(),
        frontmatter: Default::default(),
        body_start: 0,
        lines: Default::default(),
    });
    let vars: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(VARS).unwrap_or_default();
    let store = ExampleStore::new(Path::new("/nonexistent"));
    let env = Env {
        config: &config,
        site: &site,
        examples: &store,
        lang: "en",
        vars: &vars,
        notes: NotesMode::Warn,
        parsed: &ParseCache::default(),
        context_note: None,
    };
    let x = slots::expand(&env, FileId::new(0), 0..text.len());
    for d in &x.diags {
        let _ = d.to_string();
    }
    let labels = Default::default();
    let renderers = markdown::Renderers::default();
    let ctx = markdown::Ctx {
        shown: &x.shown,
        code_values: &x.code_values,
        collect: true,
        ..markdown::Ctx::new(&labels, &renderers)
    };
    let _ = markdown::render(&x.markdown, &x.blocks, &ctx);
}

/// Frontmatter splitting and YAML parsing of `text` as a Markdown file.
pub fn frontmatter(text: &str) {
    let split = frontmatter::split(text);
    if let Err(d) = frontmatter::parse(Path::new("page.md"), text, &split) {
        let _ = d.to_string();
    }
}

/// `text` as book.toml.
pub fn book_toml(text: &str) {
    if let Err(d) = Config::parse(Path::new("/site"), text) {
        let _ = d.to_string();
    }
}

/// `text` as a chapter of a small real site, through the whole pipeline (in memory).
pub fn page(text: &str) {
    let Some(site) = scratch_site("page") else {
        return;
    };
    let page = site.join("content/en/guide/010_page.md");
    if std::fs::write(&page, text).is_err() {
        return;
    }
    match build(&BuildOptions::new(site)) {
        Ok(b) => {
            let _ = b.warnings.len();
        }
        Err(f) => {
            for d in &f.diagnostics {
                let _ = d.to_string();
            }
        }
    }
}

/// `text` as a site's `book.toml` and a theme template, through the whole pipeline (in
/// memory): the text up to a line `%%` is book.toml, the rest
/// `theme/templates/base.html` (without such a line, all of it is book.toml).
pub fn site(text: &str) {
    let Some(site) = scratch_site("site") else {
        return;
    };
    let (book, template) = match text.split_once("\n%%\n") {
        Some((b, t)) => (b, Some(t)),
        None => (text, None),
    };
    let base = site.join("theme/templates/base.html");
    let written = std::fs::write(site.join("book.toml"), book).is_ok()
        && match template {
            Some(t) => std::fs::write(&base, t).is_ok(),
            None => std::fs::remove_file(&base).is_ok() || !base.exists(),
        };
    if !written {
        return;
    }
    let mut opts = BuildOptions::new(site);
    opts.cache = false;
    match build(&opts) {
        Ok(b) => {
            let _ = b.warnings.len();
        }
        Err(f) => {
            for d in &f.diagnostics {
                let _ = d.to_string();
            }
        }
    }
}

const BOOK: &str = "[languages.en]\nbase_url = \"https://x.io/g\"\n[languages.ru]\nbase_url = \"https://ru.x.io/g\"\n[names]\nflask = \"Flask\"\n";
const VARS: &str = r#"{"framework":"flask","language":"python","n":3,"list":["a","b"],"map":{"k":"v"},"examples":"app"}"#;

/// A site in a folder of its own (one per process and `name`): book.toml, a guide, a
/// partial and an example, for [`page`] to add its chapter to and [`site`] to change
/// book.toml and the theme of.
fn scratch_site(name: &str) -> Option<PathBuf> {
    static SITES: std::sync::Mutex<Vec<(String, Option<PathBuf>)>> =
        std::sync::Mutex::new(Vec::new());
    let mut sites = SITES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, s)) = sites.iter().find(|(n, _)| n == name) {
        return s.clone();
    }
    let made = (|| {
        let dir = std::env::temp_dir().join(format!("guidegen-fuzz-{name}-{}", std::process::id()));
        let files = [
            ("book.toml", BOOK),
            (
                "content/en/guide/_guide.md",
                "---\ntitle: G\nframework: flask\nexamples: app\n---\nGuide.\n",
            ),
            ("content/en/_partials/p.md", "Partial <<framework>>.\n"),
            (
                "examples/app/app.py",
                "# [<snippet s>]\nprint(1)\n# [<endsnippet s>]\n",
            ),
        ];
        for (rel, text) in files {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent()?).ok()?;
            std::fs::write(&p, text).ok()?;
        }
        std::fs::create_dir_all(dir.join("theme/templates")).ok()?;
        Some(dir)
    })();
    sites.push((name.to_string(), made.clone()));
    made
}
