//! Reading a Jekyll guides repository laid out as werf/werf-guides is: `pages_<lang>/`
//! per language with `_config_<lang>.yml` (the site's `url`, `includes_dir`, and the
//! `defaults` that give pages their variables by path), `_includes/<lang>/` fragments,
//! `_data/<lang>/sidebars/guide.yml`, `assets/images/`, `examples/`. Everything is read
//! through a jail: a link that leaves the repository is refused with a warning, never
//! followed, and nothing here writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diag::Diagnostic;
use crate::util::confine::Jail;

/// One language of the repository.
#[derive(Debug, Clone)]
pub(crate) struct Lang {
    /// `ru`, `en` (from `pages_<code>/`).
    pub(crate) code: String,
    /// `site.url` (`https://ru.werf.io`).
    pub(crate) url: String,
    /// `_includes/<lang>` by default.
    pub(crate) includes_dir: String,
    /// `defaults:` scopes: (path prefix under the repository, values).
    pub(crate) scopes: Vec<(String, Map<String, Value>)>,
    /// The sidebar's page URLs in order (relative to a guide's folder).
    pub(crate) sidebar: Vec<String>,
    /// The site's title in this language (`breadcrumbs.home_text`, else "Guides").
    pub(crate) title: String,
}

/// The repository being imported.
pub(crate) struct Repo {
    pub(crate) root: PathBuf,
    jail: Jail,
    pub(crate) langs: Vec<Lang>,
    /// `--baseurl` the site is built with (`/guides`), from the configs or `werf.yaml`.
    pub(crate) baseurl: String,
    /// Where `baseurl` was found.
    pub(crate) baseurl_from: String,
    /// Files under `examples/` (paths inside it).
    pub(crate) examples: Vec<String>,
    /// Where the examples are on GitHub (from `editlink`: …/blob/<branch>/examples).
    pub(crate) examples_url: Option<String>,
    /// Problems met while reading (links refused, configs that are not YAML).
    pub(crate) warnings: Vec<Diagnostic>,
}

/// A file of `pages_<lang>/` split into frontmatter and body.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Path inside `pages_<lang>/`.
    pub(crate) rel: String,
    pub(crate) text: String,
    pub(crate) front: Map<String, Value>,
    /// Whether the file has frontmatter (Jekyll renders only those as pages).
    pub(crate) has_front: bool,
    /// Byte offset where the body starts.
    pub(crate) body: usize,
}

impl Repo {
    /// Read the repository at `root`.
    pub(crate) fn open(root: &Path) -> Result<Repo, Diagnostic> {
        if !root.is_dir() {
            return Err(
                Diagnostic::error(root, "the Jekyll repository's folder cannot be read")
                    .with_help("pass the folder holding _config.yml and pages_<lang>/"),
            );
        }
        let mut repo = Repo {
            root: root.to_path_buf(),
            jail: Jail::new(root),
            langs: Vec::new(),
            baseurl: String::new(),
            baseurl_from: String::new(),
            examples: Vec::new(),
            examples_url: None,
            warnings: Vec::new(),
        };
        let mut codes: Vec<String> = std::fs::read_dir(root)
            .map_err(|e| Diagnostic::error(root, format!("cannot read the folder: {e}")))?
            .flatten()
            .filter_map(|e| {
                let n = e.file_name().to_string_lossy().to_string();
                n.strip_prefix("pages_").map(str::to_string)
            })
            .filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'))
            .collect();
        codes.sort();
        if codes.is_empty() {
            return Err(Diagnostic::error(root, "no pages_<lang>/ folder: this is not a werf guides Jekyll repository")
                .with_help("the repository needs pages_en/, pages_ru/ … with the pages, as werf/werf-guides has"));
        }
        let base = repo.yaml("_config.yml").unwrap_or_default();
        for code in codes {
            let cfg = repo
                .yaml(&format!("_config_{code}.yml"))
                .unwrap_or_default();
            let get = |k: &str| {
                cfg.get(k)
                    .or_else(|| base.get(k))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            let sidebar = repo.sidebar(&code, get("data_dir"));
            let title = cfg
                .get("breadcrumbs")
                .and_then(|b| b.get("home_text"))
                .and_then(Value::as_str)
                .unwrap_or("Guides")
                .to_string();
            repo.langs.push(Lang {
                title,
                url: get("url")
                    .unwrap_or_default()
                    .trim_end_matches('/')
                    .to_string(),
                includes_dir: get("includes_dir").unwrap_or_else(|| format!("_includes/{code}")),
                scopes: scopes(&base).into_iter().chain(scopes(&cfg)).collect(),
                sidebar,
                code,
            });
        }
        repo.find_baseurl(&base);
        repo.examples_url = ["_config_en.yml", "_config_ru.yml", "_config.yml"]
            .iter()
            .filter_map(|f| repo.yaml(f))
            .find_map(|c| {
                c.get("editlink")
                    .and_then(Value::as_str)
                    .and_then(examples_url)
            });
        let (found, refused) = repo.jail.walk(&root.join("examples"), &[".git"]);
        repo.examples = found.into_iter().map(|f| f.rel).collect();
        for (p, _) in refused {
            repo.refused(&p);
        }
        Ok(repo)
    }

    fn refused(&mut self, p: &Path) {
        let shown = p.strip_prefix(&self.root).unwrap_or(p).to_path_buf();
        self.warnings.push(
            Diagnostic::warning(
                shown,
                "is a link that leaves the repository (or loops): not read",
            )
            .with_help("the import reads only the repository's own files"),
        );
    }

    /// The text of `rel` (a path inside the repository), through the jail.
    pub(crate) fn read(&self, rel: &str) -> Option<String> {
        let p = self.jail.check(rel).ok()?;
        let bytes = std::fs::read(p).ok()?;
        String::from_utf8(bytes).ok()
    }

    /// `site.data.<file>.<key>…` of `lang` (`_data/<lang>/<file>.yaml`), a text value.
    pub(crate) fn data(&self, lang: &str, path: &str) -> Option<String> {
        let mut keys = path.split('.');
        let file = keys.next()?;
        let text = ["yaml", "yml"]
            .iter()
            .find_map(|e| self.read(&format!("_data/{lang}/{file}.{e}")))?;
        let mut v: Value = serde_saphyr::from_str(&text).ok()?;
        for k in keys {
            v = v.get(k)?.clone();
        }
        match v {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The bytes of `rel`, through the jail.
    pub(crate) fn read_bytes(&self, rel: &str) -> Option<Vec<u8>> {
        let p = self.jail.check(rel).ok()?;
        if !p.is_file() {
            return None;
        }
        std::fs::read(p).ok()
    }

    /// Files under the folder `rel` (paths inside it), sorted.
    pub(crate) fn walk(&mut self, rel: &str) -> Vec<String> {
        let (found, refused) = self.jail.walk(&self.root.join(rel), &[".git"]);
        for (p, _) in refused {
            self.refused(&p);
        }
        found.into_iter().map(|f| f.rel).collect()
    }

    fn yaml(&mut self, rel: &str) -> Option<Map<String, Value>> {
        let text = self.read(rel)?;
        match serde_saphyr::from_str::<Value>(&text) {
            Ok(Value::Object(m)) => Some(m),
            Ok(_) => None,
            Err(e) => {
                self.warnings.push(Diagnostic::warning(
                    rel,
                    format!(
                        "not read: not valid YAML ({})",
                        e.without_snippet().to_string().lines().next().unwrap_or("")
                    ),
                ));
                None
            }
        }
    }

    /// The URLs of `_data/<lang>/sidebars/guide.yml`, in order.
    fn sidebar(&mut self, code: &str, data_dir: Option<String>) -> Vec<String> {
        let dir = data_dir.unwrap_or_else(|| format!("_data/{code}"));
        let Some(text) = self.read(&format!("{dir}/sidebars/guide.yml")) else {
            return Vec::new();
        };
        let v: Value = serde_saphyr::from_str(&text).unwrap_or(Value::Null);
        let mut out = Vec::new();
        collect_urls(&v, &mut out);
        out
    }

    /// `baseurl:` of a config, else `--baseurl X` in werf.yaml (how werf-guides is built).
    fn find_baseurl(&mut self, base: &Map<String, Value>) {
        if let Some(b) = base.get("baseurl").and_then(Value::as_str) {
            self.baseurl = b.trim_end_matches('/').to_string();
            self.baseurl_from = "_config.yml".into();
            return;
        }
        for f in ["werf.yaml", "Dockerfile", "docker-compose.yml"] {
            let Some(text) = self.read(f) else { continue };
            if let Some(i) = text.find("--baseurl") {
                let v = text[i + 9..].split_whitespace().next().unwrap_or("");
                self.baseurl = v
                    .trim_matches(|c| c == '"' || c == '\'')
                    .trim_end_matches('/')
                    .to_string();
                self.baseurl_from = f.into();
                return;
            }
        }
    }

    /// The files of `pages_<lang>/`, split.
    pub(crate) fn pages(&mut self, lang: &str) -> Vec<Page> {
        let dir = format!("pages_{lang}");
        let mut out = Vec::new();
        for rel in self.walk(&dir) {
            if !rel.ends_with(".md") && !rel.ends_with(".markdown") && !rel.ends_with(".html") {
                continue;
            }
            let Some(text) = self.read(&format!("{dir}/{rel}")) else {
                self.warnings.push(Diagnostic::warning(
                    format!("{dir}/{rel}"),
                    "not read: not a UTF-8 text file",
                ));
                continue;
            };
            let (front, has_front, body, bad) = split_checked(&text);
            if bad {
                self.warnings.push(
                    Diagnostic::warning(format!("{dir}/{rel}"), "the frontmatter is not a YAML mapping: its title and variables are not imported")
                        .at(&text, 0, 3)
                        .with_help("fix the YAML between the --- lines in the source, and import again"),
                );
            }
            out.push(Page {
                rel,
                text,
                front,
                has_front,
                body,
            });
        }
        out
    }

    /// The variables Jekyll gives the page at `path` (inside the repository) from the
    /// `defaults` scopes, most specific last.
    pub(crate) fn defaults(&self, lang: &Lang, path: &str) -> Map<String, Value> {
        let mut scopes: Vec<&(String, Map<String, Value>)> = lang
            .scopes
            .iter()
            .filter(|(p, _)| scope_matches(p, path))
            .collect();
        scopes.sort_by_key(|(p, _)| p.len());
        let mut out = Map::new();
        for (_, values) in scopes {
            for (k, v) in values {
                out.insert(k.clone(), v.clone());
            }
        }
        out
    }
}

/// `https://github.com/o/r/edit/master/pages_ru/guides` → `https://github.com/o/r/blob/master/examples`.
fn examples_url(editlink: &str) -> Option<String> {
    let (repo, rest) = editlink.split_once("/edit/")?;
    let branch = rest.split('/').next()?;
    Some(format!("{repo}/blob/{branch}/examples"))
}

/// Does a `defaults` scope path (`pages_ru/rails`, `pages_ru/rails/*.md`) cover `path`?
fn scope_matches(scope: &str, path: &str) -> bool {
    if scope.is_empty() {
        return true;
    }
    match scope.split_once('*') {
        Some((dir, ext)) => path
            .strip_prefix(dir)
            .is_some_and(|rest| !rest.contains('/') && rest.ends_with(ext)),
        None => path == scope || path.starts_with(&format!("{}/", scope.trim_end_matches('/'))),
    }
}

/// `defaults:` of a config: (scope path, values).
fn scopes(cfg: &Map<String, Value>) -> Vec<(String, Map<String, Value>)> {
    let Some(Value::Array(list)) = cfg.get("defaults") else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|d| {
            let path = d
                .get("scope")?
                .get("path")
                .and_then(Value::as_str)
                .unwrap_or("");
            let values = d.get("values")?.as_object()?.clone();
            Some((path.trim_end_matches('/').to_string(), values))
        })
        .collect()
}

fn collect_urls(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(u) = m.get("url").and_then(Value::as_str) {
                out.push(u.trim_start_matches('/').to_string());
            }
            for (k, v) in m {
                if k != "url" {
                    collect_urls(v, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_urls(v, out)),
        _ => {}
    }
}

/// Frontmatter, whether there is any, and where the body starts (split as guidegen
/// splits its own pages: `---` lines, CRLF too).
pub(crate) fn split(text: &str) -> (Map<String, Value>, bool, usize) {
    let (front, has, body, _) = split_checked(text);
    (front, has, body)
}

/// [`split`], and whether the frontmatter could not be read as a YAML mapping.
fn split_checked(text: &str) -> (Map<String, Value>, bool, usize, bool) {
    let parts = crate::content::frontmatter::split(text);
    let Some(yaml) = parts.yaml else {
        return (Map::new(), false, 0, false);
    };
    match serde_saphyr::from_str::<Value>(yaml) {
        Ok(Value::Object(m)) => (m, true, parts.body_start, false),
        Ok(Value::Null) => (Map::new(), true, parts.body_start, false),
        _ => (Map::new(), true, parts.body_start, true),
    }
}

/// The pages of a language by guide: guide folder -> pages; the pages outside guides
/// under "".
pub(crate) fn by_guide(pages: Vec<Page>) -> BTreeMap<String, Vec<Page>> {
    let mut out: BTreeMap<String, Vec<Page>> = BTreeMap::new();
    for p in pages {
        let guide = match p.rel.split_once('/') {
            Some((g, _)) => g.to_string(),
            None => String::new(),
        };
        out.entry(guide).or_default().push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_and_frontmatter() {
        assert!(scope_matches(
            "pages_ru/rails",
            "pages_ru/rails/100_basic/10.md"
        ));
        assert!(!scope_matches("pages_ru/rails", "pages_ru/railsx/a.md"));
        assert!(scope_matches(
            "pages_ru/rails/*.md",
            "pages_ru/rails/100_basic.md"
        ));
        assert!(!scope_matches(
            "pages_ru/rails/*.md",
            "pages_ru/rails/100_basic/10.md"
        ));
        let (fm, has, body) = split("---\ntitle: A\n---\nText\n");
        assert!(has);
        assert_eq!(fm.get("title").and_then(Value::as_str), Some("A"));
        assert_eq!(body, 17);
        assert!(!split("## No frontmatter\n").1);
    }
}
