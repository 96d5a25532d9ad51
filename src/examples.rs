//! `examples`: the real example files chapters show (spec section 5, `<<example>>`,
//! `<<tree>>`, `<<diff>>`).
//!
//! Every path is resolved lexically, then canonically (symlinks), and must stay inside
//! `examples/`; a file is never opened before that check. Files are read once per build
//! and shared by every page that shows them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::util::fs::files_under;
use crate::util::text::closest as did_you_mean;
use crate::util::url::normalize;

#[derive(Debug, Clone)]
pub struct SlotError {
    pub message: String,
    pub help: Option<String>,
}

fn err(message: impl Into<String>, help: Option<String>) -> SlotError {
    SlotError {
        message: message.into(),
        help,
    }
}

/// A path checked to be inside `examples/`.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Path under `examples/`, `/`-separated (empty for `examples/` itself).
    pub rel: String,
    /// What the author sees: the path relative to the page's examples folder.
    pub display: String,
    pub abs: PathBuf,
}

#[derive(Debug, Clone, Default)]
pub struct ShowOptions {
    pub snippet: Option<String>,
    pub lines: Option<String>,
    pub lang: Option<String>,
    pub title: Option<String>,
    pub page_lang: String,
    pub languages: Vec<String>,
}

/// An example ready to highlight.
#[derive(Debug, Clone)]
pub struct Shown {
    pub rel: String,
    pub title: String,
    /// The code as shown: markers removed, language lines filtered.
    pub code: String,
    /// Highlighting language token (a fence name).
    pub lang: String,
    /// First shown line's number in the file (for `lines=`/`snippet=`).
    pub first_line: usize,
}

#[derive(Debug, Clone)]
pub struct Tree {
    pub root: String,
    pub rel: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DiffView {
    pub from: String,
    pub to: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// (path, unified diff)
    pub changed: Vec<(String, String)>,
}

type Cached = Arc<Result<String, String>>;

pub struct ExampleStore {
    root: PathBuf,
    canon: Option<PathBuf>,
    cache: Mutex<HashMap<PathBuf, Cached>>,
}

impl ExampleStore {
    pub fn new(site_root: &Path) -> Self {
        let root = site_root.join("examples");
        let canon = root.canonicalize().ok();
        ExampleStore {
            root,
            canon,
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Resolve `path` (relative to `base`, the page's `examples:` folder, or to
    /// `examples/` when it starts with `/`).
    pub fn resolve(&self, base: &str, path: &str, want_dir: bool) -> Result<Resolved, SlotError> {
        if path.is_empty() && !want_dir {
            return Err(err("empty example path", None));
        }
        if path.contains('\\') || path.contains('\0') {
            return Err(err(
                format!("example path '{path}' contains a backslash or NUL"),
                Some("use '/' between folders".into()),
            ));
        }
        let base_used = if path.starts_with('/') { "" } else { base };
        let rel = normalize(base_used, path).ok_or_else(|| {
            err(
                format!("example path '{path}' leads outside examples/"),
                Some("example paths stay inside the site's examples/ folder".into()),
            )
        })?;
        let canon_root = self.canon.as_ref().ok_or_else(|| {
            err(
                "the site has no examples/ folder",
                Some("create examples/ next to book.toml and put the example files there".into()),
            )
        })?;
        let abs = self.root.join(&rel);
        let canon = match abs.canonicalize() {
            Ok(c) => c,
            Err(_) => {
                let what = if want_dir { "folder" } else { "file" };
                let shown = if rel.is_empty() {
                    "examples/".to_string()
                } else {
                    format!("examples/{rel}")
                };
                let mut help = None;
                if !want_dir {
                    let base_dir = if base_used.is_empty() {
                        String::new()
                    } else {
                        base_used.to_string()
                    };
                    let files = self.list_files(&base_dir);
                    let wanted = path.trim_start_matches('/');
                    help = did_you_mean(wanted, files.iter().map(String::as_str))
                        .map(|f| format!("did you mean '{f}'?"));
                }
                return Err(err(
                    format!("no example {what} '{path}' (looked for {shown})"),
                    help,
                ));
            }
        };
        if !canon.starts_with(canon_root) {
            return Err(err(
                format!("example path '{path}' resolves outside examples/ (through a symlink)"),
                Some("example files must be real files inside examples/".into()),
            ));
        }
        if want_dir && !canon.is_dir() {
            return Err(err(
                format!("'{path}' is a file, not a folder of examples/"),
                None,
            ));
        }
        if !want_dir && !canon.is_file() {
            return Err(err(
                format!("'{path}' is a folder, not an example file"),
                Some("use <<tree \"...\">> to show a folder".into()),
            ));
        }
        let display = match rel.strip_prefix(&format!("{base_used}/")) {
            Some(d) if !base_used.is_empty() => d.to_string(),
            _ => rel.clone(),
        };
        Ok(Resolved {
            rel,
            display,
            abs: canon,
        })
    }

    /// Files under `examples/<dir>`, relative to it, sorted (dotfiles included, `.git` not).
    pub fn list_files(&self, dir: &str) -> Vec<String> {
        files_under(&self.root.join(dir), &[".git"])
            .into_iter()
            .filter(|w| !w.symlink)
            .map(|w| w.rel)
            .collect()
    }

    pub fn read(&self, abs: &Path) -> Cached {
        if let Ok(c) = self.cache.lock()
            && let Some(v) = c.get(abs)
        {
            return v.clone();
        }
        let v = Arc::new(match std::fs::read(abs) {
            Ok(b) => String::from_utf8(b).map_err(|_| "the file is not valid UTF-8".to_string()),
            Err(e) => Err(format!("cannot read: {e}")),
        });
        if let Ok(mut c) = self.cache.lock() {
            c.insert(abs.to_path_buf(), v.clone());
        }
        v
    }

    /// Forget cached contents (serve: after a file changed).
    pub fn invalidate(&self, abs: Option<&Path>) {
        if let Ok(mut c) = self.cache.lock() {
            match abs {
                Some(p) => {
                    c.retain(|k, _| !k.starts_with(p) && !p.starts_with(k));
                }
                None => c.clear(),
            }
        }
    }

    fn text(&self, r: &Resolved) -> Result<Cached, SlotError> {
        let t = self.read(&r.abs);
        if let Err(e) = t.as_ref() {
            return Err(err(format!("example file '{}': {e}", r.display), None));
        }
        Ok(t)
    }

    pub fn show(&self, r: &Resolved, o: &ShowOptions) -> Result<Shown, SlotError> {
        let cached = self.text(r)?;
        let text = cached.as_ref().as_deref().unwrap_or("");
        let all: Vec<&str> = text.lines().collect();
        let mut first = 1usize;
        let mut sel: Vec<&str> = all.clone();
        if let Some(name) = &o.snippet {
            let open = format!("[<snippet {name}>]");
            let close = format!("[<endsnippet {name}>]");
            let start = all.iter().position(|l| l.contains(&open));
            let Some(start) = start else {
                let names = snippet_names(&all);
                let help = did_you_mean(name, names.iter().map(String::as_str))
                    .map(|n| format!("did you mean '{n}'?"))
                    .or_else(|| {
                        if names.is_empty() {
                            Some(format!("mark the lines with '# [<snippet {name}>]' and '# [<endsnippet {name}>]'"))
                        } else {
                            Some(format!("snippets in this file: {}", names.join(", ")))
                        }
                    });
                return Err(err(
                    format!("no snippet '{name}' in example file '{}'", r.display),
                    help,
                ));
            };
            let end = all[start + 1..]
                .iter()
                .position(|l| l.contains(&close))
                .map(|e| start + 1 + e);
            let Some(end) = end else {
                return Err(err(
                    format!(
                        "snippet '{name}' in '{}' has no end marker [<endsnippet {name}>]",
                        r.display
                    ),
                    None,
                ));
            };
            sel = all[start + 1..end].to_vec();
            first = start + 2;
        }
        if let Some(spec) = &o.lines {
            let (a, b) = parse_lines(spec, sel.len()).ok_or_else(|| {
                err(
                    format!(
                        "lines=\"{spec}\" is not a range inside the {} shown lines",
                        sel.len()
                    ),
                    Some(
                        "write lines=\"10-20\" (1-based, inclusive), lines=\"5\" or lines=\"5-\""
                            .into(),
                    ),
                )
            })?;
            sel = sel[a - 1..b].to_vec();
            first += a - 1;
        }
        let mut code = filter_lines(&sel, &o.page_lang);
        if o.snippet.is_some() || o.lines.is_some() {
            code = dedent(&code);
        }
        let lang = o
            .lang
            .clone()
            .unwrap_or_else(|| lang_for_path(&r.rel).to_string());
        Ok(Shown {
            rel: r.rel.clone(),
            title: r.display.clone(),
            code,
            lang,
            first_line: first,
        })
    }

    pub fn tree(&self, r: &Resolved) -> Result<Tree, SlotError> {
        fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
            let mut entries: Vec<(String, bool, PathBuf)> = match std::fs::read_dir(dir) {
                Ok(rd) => rd
                    .flatten()
                    .filter(|e| e.file_name() != ".git")
                    .map(|e| {
                        let p = e.path();
                        (e.file_name().to_string_lossy().to_string(), p.is_dir(), p)
                    })
                    .collect(),
                Err(_) => return,
            };
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let n = entries.len();
            for (i, (name, is_dir, path)) in entries.into_iter().enumerate() {
                let last = i + 1 == n;
                out.push(format!(
                    "{prefix}{}{name}",
                    if last { "└── " } else { "├── " }
                ));
                if is_dir {
                    let p = format!("{prefix}{}", if last { "    " } else { "│   " });
                    walk(&path, &p, out);
                }
            }
        }
        let mut lines = Vec::new();
        walk(&r.abs, "", &mut lines);
        let root = if r.display.is_empty() {
            ".".to_string()
        } else {
            r.display.clone()
        };
        Ok(Tree {
            root,
            rel: r.rel.clone(),
            lines,
        })
    }

    pub fn diff(
        &self,
        old: &Resolved,
        new: &Resolved,
        one: Option<&str>,
        lang: &str,
    ) -> Result<DiffView, SlotError> {
        let a: BTreeMap<String, ()> = self
            .list_files(&old.rel)
            .into_iter()
            .map(|f| (f, ()))
            .collect();
        let b: BTreeMap<String, ()> = self
            .list_files(&new.rel)
            .into_iter()
            .map(|f| (f, ()))
            .collect();
        let mut view = DiffView {
            from: old.rel.clone(),
            to: new.rel.clone(),
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
        };
        let shown = |rel_dir: &str, f: &str| -> Result<String, SlotError> {
            let p = self.root.join(rel_dir).join(f);
            let t = self.read(&p);
            match t.as_ref() {
                Ok(t) => {
                    let lines: Vec<&str> = t.lines().collect();
                    Ok(filter_lines(&lines, lang))
                }
                Err(e) => Err(err(format!("examples/{rel_dir}/{f}: {e}"), None)),
            }
        };
        if let Some(f) = one
            && !a.contains_key(f)
            && !b.contains_key(f)
        {
            let all: Vec<&str> = a.keys().chain(b.keys()).map(String::as_str).collect();
            let help = did_you_mean(f, all).map(|n| format!("did you mean '{n}'?"));
            return Err(err(
                format!(
                    "'{f}' is in neither examples/{} nor examples/{}",
                    old.rel, new.rel
                ),
                help,
            ));
        }
        let names: Vec<&String> = {
            let mut v: Vec<&String> = a
                .keys()
                .chain(b.keys().filter(|k| !a.contains_key(*k)))
                .collect();
            v.sort();
            v
        };
        for f in names {
            if one.is_some_and(|o| o != f) {
                continue;
            }
            match (a.contains_key(f), b.contains_key(f)) {
                (true, false) => view.removed.push(f.clone()),
                (false, true) => {
                    view.added.push(f.clone());
                    if one.is_some() {
                        let new_t = shown(&new.rel, f)?;
                        view.changed.push((f.clone(), unified("", &new_t, f)));
                    }
                }
                _ => {
                    let old_t = shown(&old.rel, f)?;
                    let new_t = shown(&new.rel, f)?;
                    if old_t != new_t {
                        view.changed.push((f.clone(), unified(&old_t, &new_t, f)));
                    }
                }
            }
        }
        Ok(view)
    }
}

fn unified(a: &str, b: &str, name: &str) -> String {
    similar::TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

fn snippet_names(lines: &[&str]) -> Vec<String> {
    let mut v = Vec::new();
    for l in lines {
        if let Some(i) = l.find("[<snippet ") {
            let rest = &l[i + 10..];
            if let Some(e) = rest.find(">]") {
                v.push(rest[..e].to_string());
            }
        }
    }
    v
}

fn parse_lines(spec: &str, n: usize) -> Option<(usize, usize)> {
    let spec = spec.trim();
    let (a, b) = match spec.split_once('-') {
        Some((a, "")) => (a.trim().parse().ok()?, n),
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let x = spec.parse().ok()?;
            (x, x)
        }
    };
    (a >= 1 && a <= b && b <= n).then_some((a, b))
}

/// A `[<xx>]` language marker in a line: (start, end, code).
fn lang_marker(line: &str) -> Option<(usize, usize, &str)> {
    let mut from = 0;
    while let Some(i) = line[from..].find("[<") {
        let s = from + i;
        if let Some(e) = line[s + 2..].find(">]") {
            let code = &line[s + 2..s + 2 + e];
            let ok = (2..=3).contains(&code.split('-').next().unwrap_or("").len())
                && code.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && !matches!(code, "end");
            if ok {
                return Some((s, s + 2 + e + 2, code));
            }
        }
        from = s + 2;
    }
    None
}

/// Remove snippet markers, `[<ignore>]` regions and other languages' lines.
pub fn filter_lines(lines: &[&str], lang: &str) -> String {
    let mut out = String::new();
    let mut ignoring = false;
    for l in lines {
        if l.contains("[<ignore>]") {
            ignoring = true;
            continue;
        }
        if l.contains("[<endignore>]") {
            ignoring = false;
            continue;
        }
        if ignoring || l.contains("[<snippet ") || l.contains("[<endsnippet ") {
            continue;
        }
        if let Some((s, e, code)) = lang_marker(l) {
            if code != lang {
                continue;
            }
            let rest = &l[e..];
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            out.push_str(&l[..s]);
            out.push_str(rest);
            out.push('\n');
            continue;
        }
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// Remove the indentation common to all non-blank lines.
pub fn dedent(code: &str) -> String {
    let min = code
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(code.len());
    for l in code.lines() {
        out.push_str(l.get(min..).unwrap_or(""));
        out.push('\n');
    }
    out
}

/// The highlighting language for an example file name.
pub fn lang_for_path(rel: &str) -> &'static str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "dockerfile" | "containerfile" => return "dockerfile",
        "makefile" | "gnumakefile" => return "makefile",
        "gemfile" | "rakefile" => return "ruby",
        "requirements.txt" => return "text",
        "package.json" | "composer.json" => return "json",
        ".gitignore" | ".dockerignore" | ".helmignore" => return "text",
        "nginx.conf" => return "nginx",
        _ => {}
    }
    if lower.starts_with("dockerfile.") || lower.ends_with(".dockerfile") {
        return "dockerfile";
    }
    let ext = lower.rsplit_once('.').map(|x| x.1).unwrap_or("");
    match ext {
        "yaml" | "yml" => "yaml",
        "tpl" | "gotmpl" => "helm",
        "py" => "python",
        "js" | "mjs" | "cjs" => "javascript",
        "ts" => "typescript",
        "tsx" => "tsx",
        "rb" => "ruby",
        "go" => "go",
        "java" => "java",
        "php" => "php",
        "sql" => "sql",
        "sh" | "bash" => "bash",
        "ps1" => "powershell",
        "toml" => "toml",
        "json" => "json",
        "html" | "htm" => "html",
        "css" => "css",
        "md" => "markdown",
        "conf" => "nginx",
        "tf" | "hcl" => "hcl",
        "rs" => "rust",
        "xml" => "xml",
        "ini" | "cfg" => "ini",
        "diff" | "patch" => "diff",
        "env" | "txt" | "" => "text",
        _ => "text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_lines_and_markers() {
        let src = "a\n# [<snippet x>]\n# [<ru>] Комментарий\n# [<en>] A comment\nb\n# [<endsnippet x>]\n# [<ignore>]\nsecret\n# [<endignore>]\nc\n";
        let lines: Vec<&str> = src.lines().collect();
        assert_eq!(filter_lines(&lines, "ru"), "a\n# Комментарий\nb\nc\n");
        assert_eq!(filter_lines(&lines, "en"), "a\n# A comment\nb\nc\n");
    }

    #[test]
    fn line_ranges() {
        assert_eq!(parse_lines("2-3", 5), Some((2, 3)));
        assert_eq!(parse_lines("4", 5), Some((4, 4)));
        assert_eq!(parse_lines("4-", 5), Some((4, 5)));
        assert_eq!(parse_lines("0-3", 5), None);
        assert_eq!(parse_lines("3-9", 5), None);
        assert_eq!(parse_lines("x", 5), None);
    }

    #[test]
    fn languages_from_names() {
        assert_eq!(lang_for_path("flask/Dockerfile"), "dockerfile");
        assert_eq!(lang_for_path("werf.yaml"), "yaml");
        assert_eq!(lang_for_path(".gitlab-ci.yml"), "yaml");
        assert_eq!(lang_for_path(".helm/templates/_helpers.tpl"), "helm");
        assert_eq!(lang_for_path("app.py"), "python");
        assert_eq!(lang_for_path("Makefile"), "makefile");
    }

    #[test]
    fn dedents_common_indent() {
        assert_eq!(dedent("    a\n      b\n\n    c\n"), "a\n  b\n\nc\n");
    }
}
