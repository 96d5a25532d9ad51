//! What a page shows of an example file: a named snippet or a line range, language
//! comment lines (`[<en>]`) for the page's language only, never a marker line, and the
//! highlighting language from the file name.

use super::{ExampleStore, Resolved, err};
use crate::diag::Problem;
use crate::util::text::closest as did_you_mean;

/// What of an example file to show, and for which page language.
#[derive(Debug, Clone, Default)]
pub(crate) struct ShowOptions {
    pub snippet: Option<String>,
    pub lines: Option<String>,
    pub lang: Option<String>,
    pub title: Option<String>,
    /// The page's language: `[<xx>]` lines of other languages are dropped.
    pub page_lang: String,
}

/// An example ready to highlight.
#[derive(Debug, Clone)]
pub(crate) struct Shown {
    pub rel: String,
    pub title: String,
    /// The code as shown: markers removed, language lines filtered.
    pub code: String,
    /// Highlighting language token (a fence name).
    pub lang: String,
}

impl ExampleStore {
    pub(crate) fn show(&self, r: &Resolved, o: &ShowOptions) -> Result<Shown, Problem> {
        let cached = self.text(r)?;
        let text = cached.as_ref().as_deref().unwrap_or("");
        let all: Vec<&str> = text.lines().collect();
        let mut sel: Vec<&str> = all.clone();
        if let Some(name) = &o.snippet {
            let open = format!("[<snippet {name}>]");
            let close = format!("[<endsnippet {name}>]");
            let start = all.iter().position(|l| l.contains(&open));
            let Some(start) = start else {
                let names = snippet_names(&all);
                let help = if names.is_empty() {
                    format!(
                        "mark the lines with '# [<snippet {name}>]' and '# [<endsnippet {name}>]'"
                    )
                } else {
                    format!("snippets in this file: {}", names.join(", "))
                };
                return Err(Problem::new(format!(
                    "no snippet '{name}' in example file '{}'",
                    r.display
                ))
                .suggest(did_you_mean(name, names.iter().map(String::as_str)))
                .help_unless_suggested(help)
                .for_arg("snippet"));
            };
            let end = all[start + 1..]
                .iter()
                .position(|l| l.contains(&close))
                .map(|e| start + 1 + e);
            let Some(end) = end else {
                return Err(Problem::new(format!(
                    "snippet '{name}' in '{}' has no end marker [<endsnippet {name}>]",
                    r.display
                ))
                .for_arg("snippet"));
            };
            sel = all[start + 1..end].to_vec();
        }
        if let Some(spec) = &o.lines {
            let (a, b) = parse_lines(spec, sel.len()).ok_or_else(|| {
                err(
                    format!(
                        "lines=\"{spec}\" is not a range inside the {} shown lines",
                        sel.len()
                    ),
                    Some(match sel.len() {
                        0 => "the file shows no lines: remove lines=\"...\"".to_string(),
                        1 => "the file shows one line: remove lines=\"...\" or write lines=\"1\"".to_string(),
                        n => format!(
                            "lines count from 1 to {n} here: lines=\"1-{n}\" (all), lines=\"{n}\" (the last) or lines=\"2-\" (from line 2 to the end)"
                        ),
                    }),
                )
                .for_arg("lines")
            })?;
            sel = sel[a - 1..b].to_vec();
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
        })
    }
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
pub(crate) fn filter_lines(lines: &[&str], lang: &str) -> String {
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
pub(super) fn dedent(code: &str) -> String {
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
pub(crate) fn lang_for_path(rel: &str) -> &'static str {
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
    // YAML that werf and Helm render as Go templates first.
    if lower == "werf.yaml"
        || lower == "werf-giterminism.yaml"
        || (lower.starts_with("werf-") && lower.ends_with(".yaml"))
        || rel.contains(".helm/templates/")
    {
        return "helm";
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
        assert_eq!(lang_for_path("werf.yaml"), "helm");
        assert_eq!(lang_for_path("werf-giterminism.yaml"), "helm");
        assert_eq!(
            lang_for_path("flask/.helm/templates/deployment.yaml"),
            "helm"
        );
        assert_eq!(lang_for_path("flask/.helm/values.yaml"), "yaml");
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
