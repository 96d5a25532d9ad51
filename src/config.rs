//! `config`: reads `book.toml` (spec section 2) into a [`Config`].
//!
//! Unknown keys and wrong types are errors that name the file, the key and the line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::diag::Diagnostic;
use crate::util::url::base_path_of;

/// What authors do with `{{ ... }}` notes in prose (spec section 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum NotesMode {
    #[default]
    Warn,
    Deny,
    Hide,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBook {
    title: Option<String>,
    description: Option<String>,
    default_language: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    out_dir: Option<String>,
    notes: Option<NotesMode>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    #[serde(default)]
    variables: serde_json::Map<String, Value>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawExamples {
    repo_url: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawEdit {
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawName {
    Name(String),
    PerLanguage(BTreeMap<String, String>),
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    book: RawBook,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    languages: BTreeMap<String, RawLanguage>,
    #[serde(default)]
    examples: RawExamples,
    #[serde(default)]
    edit: RawEdit,
    #[serde(default)]
    variables: serde_json::Map<String, Value>,
    #[serde(default)]
    names: BTreeMap<String, RawName>,
}

#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub title: String,
    pub description: String,
    /// Absolute URL (or absolute path) the language is published at, without a trailing `/`.
    pub base_url: String,
    /// The path part of `base_url`, always starting and ending with `/` (e.g. `/guides/`).
    pub base_path: String,
    pub variables: serde_json::Map<String, Value>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    pub default_language: String,
    /// Languages, the default one first, then by code.
    pub languages: Vec<Language>,
    pub out_dir: PathBuf,
    pub notes: NotesMode,
    pub examples_repo_url: Option<String>,
    pub edit_url: Option<String>,
    pub variables: serde_json::Map<String, Value>,
    /// `[names]`: value -> display name.
    pub names: BTreeMap<String, String>,
    /// `[names.<lang>]`: lang -> value -> display name.
    pub names_by_lang: BTreeMap<String, BTreeMap<String, String>>,
}

/// The kinds of source a site has: what a changed path means to a rebuild, what `serve`
/// watches, and what an output folder must never replace. The one list of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
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
    pub const FOLDERS: [(&'static str, SourceKind); 4] = [
        ("content", SourceKind::Content),
        ("examples", SourceKind::Examples),
        ("theme", SourceKind::Theme),
        ("static", SourceKind::Static),
    ];
}

impl Config {
    /// What kind of source `path` (absolute, under the root) is, if any.
    pub fn classify(&self, path: &Path) -> Option<SourceKind> {
        if path == self.root.join("book.toml") {
            return Some(SourceKind::Book);
        }
        SourceKind::FOLDERS
            .iter()
            .find(|(name, _)| path.starts_with(self.root.join(name)))
            .map(|(_, k)| *k)
    }

    /// The source folders of this site (absolute), whether they exist or not.
    pub fn source_dirs(&self) -> Vec<PathBuf> {
        SourceKind::FOLDERS
            .iter()
            .map(|(name, _)| self.root.join(name))
            .collect()
    }

    /// The language codes, the default one first.
    pub fn language_codes(&self) -> Vec<String> {
        self.languages.iter().map(|l| l.code.clone()).collect()
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The display name of a raw value in a language (spec section 5, first row).
    pub fn display_name<'a>(&'a self, lang: &str, raw: &'a str) -> &'a str {
        if let Some(n) = self.names_by_lang.get(lang).and_then(|m| m.get(raw)) {
            return n;
        }
        self.names.get(raw).map(String::as_str).unwrap_or(raw)
    }

    /// Read `root/book.toml`. A missing file is an error: it marks the site root.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join("book.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error("book.toml", format!("cannot read {}: {e}", path.display()))
                .with_help("run guidegen in the site's folder or pass --root DIR")
        })?;
        Self::parse(root, &text)
    }

    pub fn parse(root: &Path, text: &str) -> Result<Config, Diagnostic> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let mut message = e.message().trim().to_string();
            // A wrong value: name its key (the text before `=` on the value's line).
            if let Some(span) = e.span()
                && unknown_field(&message).is_none()
            {
                let line_start = text[..span.start.min(text.len())]
                    .rfind('\n')
                    .map(|i| i + 1)
                    .unwrap_or(0);
                if let Some((key, _)) = text[line_start..span.start.min(text.len())].split_once('=')
                {
                    let key = key.trim();
                    if !key.is_empty() && !key.starts_with('[') {
                        message = format!("key '{key}': {message}");
                    }
                }
            }
            let mut d = Diagnostic::error("book.toml", message.clone());
            if let Some(span) = e.span() {
                d = d.at(text, span.start, span.end);
            }
            if let Some(key) = unknown_field(&message) {
                d = d.with_help(format!("remove '{key}' or check its spelling"));
            }
            d
        })?;
        let err = |key: &str, msg: String| {
            let d = Diagnostic::error("book.toml", msg);
            match find_key(text, key) {
                Some((s, e)) => d.at(text, s, e),
                None => d,
            }
        };

        let title = raw.book.title.unwrap_or_else(|| "Guides".to_string());
        let description = raw.book.description.unwrap_or_default();
        let mut languages = Vec::new();
        if raw.languages.is_empty() {
            languages.push(Language {
                code: "en".into(),
                title: title.clone(),
                description: description.clone(),
                base_url: String::new(),
                base_path: "/".into(),
                variables: Default::default(),
            });
        }
        for (code, l) in raw.languages {
            if !valid_lang_code(&code) {
                return Err(err(
                    &code,
                    format!("language code '{code}' must be lowercase letters, digits and '-'"),
                ));
            }
            let base_url = l.base_url.unwrap_or_else(|| format!("/{code}"));
            let base_url = base_url.trim_end_matches('/').to_string();
            let base_path = base_path_of(&base_url);
            languages.push(Language {
                title: l.title.unwrap_or_else(|| title.clone()),
                description: l.description.unwrap_or_else(|| description.clone()),
                code,
                base_url,
                base_path,
                variables: l.variables,
            });
        }
        let default_language = raw
            .book
            .default_language
            .unwrap_or_else(|| languages[0].code.clone());
        if !languages.iter().any(|l| l.code == default_language) {
            let known: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
            return Err(err(
                "default_language",
                format!("default_language '{default_language}' is not one of [languages]"),
            )
            .with_help(format!("languages defined: {}", known.join(", "))));
        }
        languages.sort_by(|a, b| {
            (a.code != default_language, &a.code).cmp(&(b.code != default_language, &b.code))
        });

        let mut names = BTreeMap::new();
        let mut names_by_lang: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (k, v) in raw.names {
            match v {
                RawName::Name(s) => {
                    names.insert(k, s);
                }
                RawName::PerLanguage(m) => {
                    if !languages.iter().any(|l| l.code == k) {
                        return Err(err(
                            &format!("names.{k}"),
                            format!("[names.{k}] names a language that is not in [languages]"),
                        ));
                    }
                    names_by_lang.insert(k, m);
                }
            }
        }

        let out_dir = raw.build.out_dir.unwrap_or_else(|| "public".to_string());
        Ok(Config {
            root: root.to_path_buf(),
            title,
            description,
            default_language,
            languages,
            out_dir: root.join(out_dir),
            notes: raw.build.notes.unwrap_or_default(),
            examples_repo_url: raw
                .examples
                .repo_url
                .map(|u| u.trim_end_matches('/').to_string()),
            edit_url: raw.edit.url,
            variables: raw.variables,
            names,
            names_by_lang,
        })
    }
}

fn valid_lang_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// Byte span of the last segment of a dotted `key` in the TOML text, best effort.
fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let last = key.rsplit('.').next().unwrap_or(key);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if t.starts_with(last) && t[last.len()..].trim_start().starts_with(['=', ']', '.'])
            || t.starts_with(&format!("[{key}]"))
            || t.starts_with(&format!("[languages.{key}]"))
        {
            let at = offset + indent + t.find(last).unwrap_or(0);
            return Some((at, at + last.len()));
        }
        offset += line.len();
    }
    None
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
        assert_eq!(c.languages[0].base_path, "/");
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
        assert_eq!(c.language("ru").unwrap().base_path, "/g/");
        assert_eq!(c.default_language, "en");
        assert_eq!(c.languages[0].code, "en");
    }
}
