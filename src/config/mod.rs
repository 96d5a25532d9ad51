//! `config`: reads `book.toml` (spec section 2) into a [`Config`].
//!
//! Unknown keys and wrong types are errors that name the file, the key and the line
//! ([`raw`] holds the file's shape and the TOML error mapping).

mod locate;
mod publish;
mod raw;
pub(crate) mod testing;

pub use locate::locate_site;
pub(crate) use locate::not_a_site;
pub(crate) use publish::Publish;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::diag::{Code, Diagnostic};
use crate::util::text::closest;

/// What authors do with `{{ ... }}` notes in prose (spec section 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum NotesMode {
    #[default]
    Warn,
    Deny,
    Hide,
}

/// Where a section's page (`_index.md`, or the generated listing) is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SectionPages {
    /// `flask/100_basic/index.html` (the URL `flask/100_basic/`).
    #[default]
    Folder,
    /// `flask/100_basic.html`, beside the folder of its chapters (the URLs of werf.io's
    /// Jekyll guides).
    File,
}

#[derive(Debug, Clone)]
pub(crate) struct Language {
    pub code: String,
    pub title: String,
    pub description: String,
    /// Absolute URL (or absolute path) the language is published at, without a trailing `/`.
    pub base_url: String,
    pub variables: serde_json::Map<String, Value>,
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub root: PathBuf,
    pub title: String,
    pub default_language: String,
    /// Languages, the default one first, then by code.
    pub languages: Vec<Language>,
    pub out_dir: PathBuf,
    pub notes: NotesMode,
    /// `[build] search`: a search index per language and a search box (default on).
    pub search: bool,
    /// `[build] template_env`: environment variables templates may read (`get_env`).
    pub template_env: Vec<String>,
    /// `[build] static_replaces`: files guidegen makes (`robots.txt`, ...) that a file
    /// of `static/` replaces on purpose; any other collision is an error.
    pub static_replaces: Vec<String>,
    /// `[build] section_pages`: where a section's page goes.
    pub section_pages: SectionPages,
    /// `[publish]`: the host site's includes and colour scheme.
    pub publish: Publish,
    pub examples_repo_url: Option<String>,
    pub edit_url: Option<String>,
    /// `[check] allow`: kinds of findings this site accepts (`guidegen check` counts them
    /// in its report but does not warn about them).
    pub check_allow: Vec<Code>,
    /// `[test]`: how `guidegen test` runs the steps' tests.
    pub(crate) test: testing::TestConfig,
    pub variables: serde_json::Map<String, Value>,
    /// Problems that do not stop the build (`{commit}` outside a git checkout).
    pub(crate) warnings: Vec<Diagnostic>,
    /// `[names]`: value -> display name.
    pub names: BTreeMap<String, String>,
    /// `[names.<lang>]`: lang -> value -> display name.
    pub names_by_lang: BTreeMap<String, BTreeMap<String, String>>,
}

/// The kinds of source a site has: what a changed path means to a rebuild, what `serve`
/// watches, and what an output folder must never replace. The one list of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceKind {
    /// `book.toml`.
    Book,
    /// `content/`: Markdown, partials, skeletons, images beside pages.
    Content,
    /// `examples/`: the files chapters show.
    Examples,
    /// `theme/`: template, string and asset overrides.
    Theme,
    /// `static/`: files copied into every language.
    Static,
}

impl SourceKind {
    /// The source folders, by name under the site root.
    pub(crate) const FOLDERS: [(&'static str, SourceKind); 4] = [
        ("content", SourceKind::Content),
        ("examples", SourceKind::Examples),
        ("theme", SourceKind::Theme),
        ("static", SourceKind::Static),
    ];
}

impl Config {
    /// What kind of source `path` (absolute, under the root) is, if any.
    pub(crate) fn classify(&self, path: &Path) -> Option<SourceKind> {
        if path == self.root.join("book.toml") {
            return Some(SourceKind::Book);
        }
        SourceKind::FOLDERS
            .iter()
            .find(|(name, _)| path.starts_with(self.root.join(name)))
            .map(|(_, k)| *k)
    }

    /// The source folders of this site (absolute), whether they exist or not.
    pub(crate) fn source_dirs(&self) -> Vec<PathBuf> {
        SourceKind::FOLDERS
            .iter()
            .map(|(name, _)| self.root.join(name))
            .collect()
    }

    /// The language codes, the default one first.
    pub(crate) fn language_codes(&self) -> Vec<String> {
        self.languages.iter().map(|l| l.code.clone()).collect()
    }

    pub(crate) fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The display name of a raw value in a language (spec section 5, first row).
    pub(crate) fn display_name<'a>(&'a self, lang: &str, raw: &'a str) -> &'a str {
        if let Some(n) = self.names_by_lang.get(lang).and_then(|m| m.get(raw)) {
            return n;
        }
        self.names.get(raw).map(String::as_str).unwrap_or(raw)
    }

    /// Read `root/book.toml`. A missing file is an error: it marks the site root.
    pub(crate) fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join("book.toml");
        if !path.is_file() {
            return Err(not_a_site(root, false));
        }
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error("book.toml", format!("cannot read {}: {e}", path.display()))
        })?;
        Self::parse(root, &text)
    }

    pub(crate) fn parse(root: &Path, text: &str) -> Result<Config, Diagnostic> {
        let raw = raw::parse(text)?;
        let title = raw.book.title.unwrap_or_else(|| "Guides".to_string());
        let description = raw.book.description.unwrap_or_default();
        let languages = languages(text, raw.languages, &title, &description)?;
        let default_language = raw
            .book
            .default_language
            .or_else(|| languages.first().map(|l| l.code.clone()))
            .unwrap_or_else(|| "en".into());
        let languages = order_languages(text, languages, &default_language)?;
        let (names, names_by_lang) = names(text, raw.names, &languages)?;
        let out_dir = raw.build.out_dir.unwrap_or_else(|| "public".to_string());
        let mut warnings = Vec::new();
        let publish = publish::resolve(text, raw.publish)?;
        let bases: Vec<&str> = languages.iter().map(|l| l.base_url.as_str()).collect();
        publish::not_inside(text, &publish, &bases)?;
        Ok(Config {
            root: root.to_path_buf(),
            title,
            default_language,
            languages,
            out_dir: root.join(out_dir),
            notes: raw.build.notes.unwrap_or_default(),
            search: raw.build.search.unwrap_or(true),
            template_env: raw.build.template_env,
            static_replaces: static_replaces(text, raw.build.static_replaces)?,
            section_pages: raw.build.section_pages.unwrap_or_default(),
            publish,
            examples_repo_url: repo_url(root, text, raw.examples, &mut warnings),
            edit_url: raw.edit.url,
            check_allow: check_allow(text, &raw.check.allow)?,
            test: testing::resolve(text, raw.test)?,
            variables: raw.variables,
            names,
            names_by_lang,
            warnings,
        })
    }
}

/// The files of each language guidegen makes at a fixed path, which `static/` may
/// replace when `[build] static_replaces` names them.
pub(crate) const GENERATED: [&str; 3] = ["404.html", "robots.txt", "sitemap.xml"];

fn static_replaces(text: &str, names: Vec<String>) -> Result<Vec<String>, Diagnostic> {
    for n in &names {
        if !GENERATED.contains(&n.as_str()) {
            let mut d = Diagnostic::error(
                "book.toml",
                format!("[build] static_replaces: '{n}' is not a file guidegen makes"),
            )
            .with_help(format!(
                "the files static/ may replace: {}",
                GENERATED.join(", ")
            ));
            if let Some((s, e)) = raw::find_key(text, "static_replaces") {
                d = d.at(text, s, e);
            }
            return Err(d);
        }
    }
    Ok(names)
}

/// `[examples] repo_url`, its `{commit}` filled with the commit the site's checkout is
/// at (so a link never shows a newer file than the page), or, outside a checkout, with
/// `[examples] branch` (default `main`) and a warning.
fn repo_url(
    root: &Path,
    text: &str,
    raw: raw::RawExamples,
    warnings: &mut Vec<Diagnostic>,
) -> Option<String> {
    let url = raw.repo_url?.trim_end_matches('/').to_string();
    if !url.contains("{commit}") {
        return Some(url);
    }
    let commit = crate::util::git::head_commit(root).unwrap_or_else(|| {
        let branch = raw.branch.clone().unwrap_or_else(|| "main".into());
        let mut w = Diagnostic::warning(
            "book.toml",
            format!(
                "[examples] repo_url has {{commit}}, but the site is not in a git checkout: links to examples use the branch '{branch}'"
            ),
        );
        if let Some((s, e)) = raw::find_key(text, "repo_url") {
            w = w.at(text, s, e);
        }
        if raw.branch.is_none() {
            w = w.with_help("build from a git checkout, or set [examples] branch");
        }
        warnings.push(w);
        branch
    });
    Some(url.replace("{commit}", &commit))
}

fn valid_lang_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `[check] allow`: each a code `check` knows.
fn check_allow(text: &str, names: &[String]) -> Result<Vec<Code>, Diagnostic> {
    names
        .iter()
        .map(|n| {
            Code::from_name(n).ok_or_else(|| {
                let names = Code::ALL.iter().map(|c| c.as_str());
                let d = Diagnostic::error(
                    "book.toml",
                    format!("[check] allow names no kind of finding '{n}'"),
                )
                .with_help("the kinds are listed in docs/check.md, e.g. \"author-note\"");
                let d = match closest(n, names) {
                    Some(s) => d.with_suggestion(s),
                    None => d,
                };
                match text.find(&format!("\"{n}\"")) {
                    Some(at) => d.at(text, at + 1, at + 1 + n.len()),
                    None => d,
                }
            })
        })
        .collect()
}

/// An error about `key` in book.toml, located where the key is written.
fn key_error(text: &str, key: &str, msg: String) -> Diagnostic {
    let d = Diagnostic::error("book.toml", msg);
    match raw::find_key(text, key) {
        Some((s, e)) => d.at(text, s, e),
        None => d,
    }
}

/// `[languages.<code>]`, or one language `en` at `/` when there are none.
fn languages(
    text: &str,
    raw: BTreeMap<String, raw::RawLanguage>,
    title: &str,
    description: &str,
) -> Result<Vec<Language>, Diagnostic> {
    if raw.is_empty() {
        return Ok(vec![Language {
            code: "en".into(),
            title: title.to_string(),
            description: description.to_string(),
            base_url: String::new(),
            variables: Default::default(),
        }]);
    }
    let mut languages = Vec::new();
    for (code, l) in raw {
        if !valid_lang_code(&code) {
            return Err(key_error(
                text,
                &code,
                format!("language code '{code}' must be lowercase letters, digits and '-'"),
            ));
        }
        let base_url = l.base_url.unwrap_or_else(|| format!("/{code}"));
        let base_url = base_url.trim_end_matches('/').to_string();
        languages.push(Language {
            title: l.title.unwrap_or_else(|| title.to_string()),
            description: l.description.unwrap_or_else(|| description.to_string()),
            code,
            base_url,
            variables: l.variables,
        });
    }
    Ok(languages)
}

/// The default language first, then by code; the default must be one of them.
fn order_languages(
    text: &str,
    mut languages: Vec<Language>,
    default_language: &str,
) -> Result<Vec<Language>, Diagnostic> {
    if !languages.iter().any(|l| l.code == default_language) {
        let known: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
        return Err(key_error(
            text,
            "default_language",
            format!("default_language '{default_language}' is not one of [languages]"),
        )
        .with_help(format!("languages defined: {}", known.join(", "))));
    }
    languages.sort_by(|a, b| {
        (a.code != default_language, &a.code).cmp(&(b.code != default_language, &b.code))
    });
    Ok(languages)
}

type Names = BTreeMap<String, String>;

/// `[names]` and `[names.<lang>]`.
fn names(
    text: &str,
    raw: BTreeMap<String, raw::RawName>,
    languages: &[Language],
) -> Result<(Names, BTreeMap<String, Names>), Diagnostic> {
    let mut names = BTreeMap::new();
    let mut by_lang = BTreeMap::new();
    for (k, v) in raw {
        match v {
            raw::RawName::Name(s) => {
                names.insert(k, s);
            }
            raw::RawName::PerLanguage(m) => {
                if !languages.iter().any(|l| l.code == k) {
                    return Err(key_error(
                        text,
                        &format!("names.{k}"),
                        format!("[names.{k}] names a language that is not in [languages]"),
                    ));
                }
                by_lang.insert(k, m);
            }
        }
    }
    Ok((names, by_lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Config, Diagnostic> {
        Config::parse(Path::new("/site"), t)
    }

    #[test]
    fn missing_languages_means_one_english_at_root() {
        let c = parse("[book]\ntitle = \"T\"\n").unwrap();
        assert_eq!(c.languages.len(), 1);
        assert_eq!(c.languages[0].code, "en");
        assert_eq!(c.languages[0].base_url, "");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let e = parse("[book]\ntitle = \"T\"\n\n[build]\nout_dri = \"x\"\n").unwrap_err();
        let s = e.to_string();
        assert!(s.contains("book.toml:5:1"), "{s}");
        assert!(s.contains("out_dri"), "{s}");
    }

    #[test]
    fn wrong_type_is_located() {
        let e = parse("[build]\nnotes = 3\n").unwrap_err();
        assert!(e.to_string().contains("book.toml:2:9: key 'notes'"), "{e}");
    }

    #[test]
    fn names_per_language_override() {
        let c = parse(
            "[languages.en]\nbase_url=\"https://x.io/g\"\n[languages.ru]\nbase_url=\"https://ru.x.io/g/\"\n[names]\ngitlab=\"GitLab\"\nflask=\"Flask\"\n[names.ru]\ngitlab=\"ГитЛаб\"\n",
        )
        .unwrap();
        assert_eq!(c.display_name("ru", "gitlab"), "ГитЛаб");
        assert_eq!(c.display_name("en", "gitlab"), "GitLab");
        assert_eq!(c.display_name("ru", "flask"), "Flask");
        assert_eq!(c.display_name("ru", "pip"), "pip");
        assert_eq!(c.language("ru").unwrap().base_url, "https://ru.x.io/g");
        assert_eq!(c.default_language, "en");
        assert_eq!(c.languages[0].code, "en");
    }
}
