//! `highlight`: build-time syntax highlighting with syntect and two-face's syntaxes
//! (bat's curated set: Dockerfile, TypeScript, TOML, nginx, HCL, PowerShell, ...), on the
//! onig regex engine. The syntax set loads once per process; results are cached by a
//! hash of (language, code), so a block shared by many pages is highlighted once.
//!
//! Output is class-based (`hl-` prefix) with a generated stylesheet holding a light and a
//! dark theme (`prefers-color-scheme`), so pages carry no inline styles.

use std::sync::{Arc, OnceLock};

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::util::memo::Memo;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// YAML with Go template actions (Helm chart templates, werf.yaml): no grammar for it
/// exists in syntect or two-face, so guidegen has its own.
const HELM_SYNTAX: &str = include_str!("helm.sublime-syntax");
/// Its name, as the fence languages map to it.
const HELM: &str = "Helm Template";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let base = two_face::syntax::extra_newlines();
        // The grammar is part of the binary and tested: it always loads.
        match SyntaxDefinition::load_from_str(HELM_SYNTAX, true, None) {
            Ok(helm) => {
                let mut b = base.into_builder();
                b.add(helm);
                b.build()
            }
            Err(_) => base,
        }
    })
}

/// Start loading the syntax set on another thread (it takes a few milliseconds).
pub(crate) fn preload() {
    std::thread::spawn(|| {
        syntaxes();
    });
}

enum Canon {
    Plain,
    Name(&'static str),
    Unknown,
}

/// Fence names authors write, mapped to the name syntect knows.
fn canonical(lang: &str) -> Canon {
    let l = lang.trim().to_ascii_lowercase();
    Canon::Name(match l.as_str() {
        "" | "text" | "plain" | "plaintext" | "txt" | "none" | "output" | "log" => {
            return Canon::Plain;
        }
        "shell" | "console" | "sh" | "zsh" | "bash" | "shell-session" | "shellsession"
        | "terminal" | "ksh" => "Bourne Again Shell (bash)",
        "yaml" | "yml" | "gitlab-ci" | "k8s" | "kubernetes" => "YAML",
        // YAML with Go template actions (src/highlight/helm.sublime-syntax).
        "helm" | "tpl" | "gotmpl" | "gotemplate" | "go-template" | "werf" | "werf.yaml" => HELM,
        "dockerfile" | "docker" | "containerfile" => "Dockerfile",
        "js" | "javascript" | "node" | "nodejs" | "mjs" | "cjs" | "jsx" => "JavaScript",
        "ts" | "typescript" => "TypeScript",
        "tsx" => "TypeScriptReact",
        "py" | "python" | "python3" | "py3" => "Python",
        "rb" | "ruby" | "erb" => "Ruby",
        "go" | "golang" => "Go",
        "java" => "Java",
        "php" => "PHP",
        "sql" | "postgresql" | "psql" | "mysql" => "SQL",
        "nginx" | "nginxconf" => "nginx",
        "toml" => "TOML",
        "json" | "jsonc" => "JSON",
        "makefile" | "make" | "mk" => "Makefile",
        "hcl" | "terraform" | "tf" => "Terraform",
        "diff" | "patch" | "udiff" => "Diff",
        "ps1" | "powershell" | "pwsh" | "ps" => "PowerShell",
        "html" | "htm" | "xhtml" => "HTML",
        "css" => "CSS",
        "xml" => "XML",
        "ini" | "cfg" | "dosini" | "properties" => "INI",
        "rust" | "rs" => "Rust",
        "md" | "markdown" => "Markdown",
        "c" => "C",
        "cpp" | "c++" | "cc" | "hpp" => "C++",
        "cs" | "csharp" | "c#" => "C#",
        "kotlin" | "kt" => "Kotlin",
        "scala" => "Scala",
        "swift" => "Swift",
        "lua" => "Lua",
        "perl" | "pl" => "Perl",
        "graphql" | "gql" => "GraphQL",
        "groovy" | "gradle" => "Groovy",
        "env" | "dotenv" => "DotENV",
        _ => return Canon::Unknown,
    })
}

fn find(lang: &str) -> Result<Option<&'static SyntaxReference>, ()> {
    let ss = syntaxes();
    match canonical(lang) {
        Canon::Plain => Ok(None),
        Canon::Unknown => ss.find_syntax_by_token(lang.trim()).map(Some).ok_or(()),
        Canon::Name(name) => Ok(ss
            .find_syntax_by_name(name)
            .or_else(|| ss.find_syntax_by_token(lang.trim()))),
    }
}

/// Highlighted blocks kept in memory: the 1,024 to 2,048 most recently used. Pages are
/// rendered with their translations side by side (`pipeline::page`), so a block shown
/// in both languages is reused while it is still here; the persistent cache keeps the
/// rest across builds. Holding every block of a 5,000-page site took 140 MB.
const CACHE_LIMIT: usize = 1024;

fn cache() -> &'static Memo<u64, Arc<str>> {
    static C: OnceLock<Memo<u64, Arc<str>>> = OnceLock::new();
    C.get_or_init(|| Memo::bounded(CACHE_LIMIT))
}

/// Longer lines are shown as plain text: the grammars' regexes take time and memory
/// that grow fast with a line's length (a 10 MB minified line: seconds and gigabytes).
pub(crate) const MAX_LINE: usize = 4096;
/// Larger blocks are shown as plain text.
pub(crate) const MAX_BLOCK: usize = 2 << 20;

/// Is `code` too large to highlight (see [`MAX_LINE`], [`MAX_BLOCK`])?
pub(crate) fn too_large(code: &str) -> bool {
    code.len() > MAX_BLOCK || code.split('\n').any(|l| l.len() > MAX_LINE)
}

/// Highlight `code` as `lang`. Returns the inner HTML of a `<code>` element (escaped, with
/// `hl-` class spans) and whether the language was known (unknown: plain text).
pub(crate) fn highlight(lang: &str, code: &str) -> (Arc<str>, bool) {
    let key = {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(lang.as_bytes());
        h.update(&[0]);
        h.update(code.as_bytes());
        h.digest()
    };
    let found = find(lang);
    let known = found.is_ok();
    if too_large(code) {
        return (crate::util::html::escape(code).into(), known);
    }
    let html = cache().get_or_insert_with(key, || match found {
        Ok(Some(syntax)) => highlight_with(syntax, code)
            .unwrap_or_else(|| crate::util::html::escape(code))
            .into(),
        _ => crate::util::html::escape(code).into(),
    });
    (html, known)
}

fn highlight_with(syntax: &SyntaxReference, code: &str) -> Option<String> {
    let mut g = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), STYLE);
    for line in LinesWithEndings::from(code) {
        g.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(g.finalize())
}

/// The stylesheet for highlighted code: a light theme, and a dark one for
/// `prefers-color-scheme: dark` (unless the site is always light, `<html class=
/// "gg-light">`) or for a site that is always dark (`gg-dark`).
pub(crate) fn css() -> String {
    use two_face::theme::EmbeddedThemeName;
    let themes = two_face::theme::extra();
    let light =
        css_for_theme_with_class_style(themes.get(EmbeddedThemeName::InspiredGithub), STYLE)
            .unwrap_or_default();
    let dark = css_for_theme_with_class_style(themes.get(EmbeddedThemeName::OneHalfDark), STYLE)
        .unwrap_or_default();
    let mut out = String::from(
        "/* Generated by guidegen from the InspiredGithub and OneHalfDark themes. */\n",
    );
    out.push_str(&rules(&light, ""));
    out.push_str("\n@media (prefers-color-scheme: dark) {\n");
    out.push_str(&rules(&dark, ":root:not(.gg-light) "));
    out.push_str("\n}\n");
    out.push_str(&rules(&dark, ":root.gg-dark "));
    out.push('\n');
    out
}

/// syntect's rules with every selector behind `scope`, without backgrounds (the theme
/// decides token colours; the page decides the block background).
fn rules(css: &str, scope: &str) -> String {
    css.lines()
        .filter(|l| !l.trim_start().starts_with("background-color"))
        .map(|l| match l.strip_suffix(" {") {
            Some(selectors) if !scope.is_empty() && !l.starts_with(' ') => {
                let scoped: Vec<String> = selectors
                    .split(", ")
                    .map(|sel| format!("{scope}{sel}"))
                    .collect();
                format!("{} {{", scoped.join(", "))
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_languages_are_covered() {
        for l in [
            "dockerfile",
            "Dockerfile",
            "docker",
            "yaml",
            "yml",
            "helm",
            "tpl",
            "gotmpl",
            "bash",
            "shell",
            "console",
            "sh",
            "zsh",
            "powershell",
            "ps1",
            "python",
            "js",
            "javascript",
            "ts",
            "typescript",
            "ruby",
            "go",
            "golang",
            "java",
            "php",
            "sql",
            "nginx",
            "toml",
            "json",
            "makefile",
            "hcl",
            "diff",
        ] {
            assert!(matches!(find(l), Ok(Some(_))), "no syntax for {l}");
        }
    }

    #[test]
    fn unknown_language_is_plain_and_escaped() {
        let (h, known) = highlight("klingon", "<b>&");
        assert!(!known);
        assert_eq!(&*h, "&lt;b&gt;&amp;");
    }

    const DEPLOYMENT: &str = r#"{{- /* The app's Deployment. */ -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas | default 1 }}
  template:
    spec:
      containers:
        - name: app
          image: {{ .Values.werf.image.app }}
          env:
          {{- range $name, $value := .Values.env }}
            - name: {{ $name | upper }}
              value: {{ $value | quote }}
          {{- end }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          command: ["gunicorn", "--bind", "0.0.0.0:{{ .Values.port }}"]
          args:
            - |
              echo "{{ .Release.Name }}"
              exec app
"#;

    const WERF_YAML: &str = r#"project: flask-app
configVersion: 1
---
image: app
dockerfile: Dockerfile
{{- if eq $.Env "production" }}
args:
  DEBUG: "false"   # never in production
{{- end }}
"#;

    /// The text of every span with `class`, in order.
    fn spans_with<'a>(html: &'a str, class: &str) -> Vec<&'a str> {
        let open = format!("<span class=\"{class}\">");
        html.match_indices(&open)
            .map(|(i, _)| {
                let rest = &html[i + open.len()..];
                &rest[..rest.find('<').unwrap_or(rest.len())]
            })
            .collect()
    }

    #[test]
    fn helm_templates_highlight_template_actions_inside_yaml() {
        let (h, known) = highlight("helm", DEPLOYMENT);
        assert!(known);
        assert_eq!(strip_tags(&h), crate::util::html::escape(DEPLOYMENT));
        let keys = spans_with(&h, "hl-entity hl-name hl-tag hl-yaml");
        for k in [
            "apiVersion",
            "kind",
            "name",
            "replicas",
            "image",
            "resources",
            "command",
        ] {
            assert!(keys.contains(&k), "{k} is a YAML key: {keys:?}");
        }
        let control = spans_with(&h, "hl-keyword hl-control hl-go-template");
        assert_eq!(control, ["range", "end"]);
        let functions = spans_with(&h, "hl-support hl-function hl-go-template");
        for f in ["include", "nindent", "default", "upper", "quote", "toYaml"] {
            assert!(
                functions.contains(&f),
                "{f} is a template function: {functions:?}"
            );
        }
        let members = spans_with(&h, "hl-variable hl-other hl-member hl-go-template");
        for m in [
            "Values",
            "werf",
            "image",
            "app",
            "env",
            "resources",
            "Release",
            "Name",
        ] {
            assert!(members.contains(&m), "{m} is a path: {members:?}");
        }
        let vars = spans_with(&h, "hl-variable hl-other hl-go-template");
        assert!(
            vars.contains(&"$name") && vars.contains(&"$value"),
            "{vars:?}"
        );
        assert!(
            h.contains("hl-comment hl-block hl-go-template"),
            "the template comment"
        );
        // No template brace is shown as YAML flow-mapping punctuation.
        assert!(
            !h.contains("hl-punctuation hl-definition hl-mapping hl-yaml\">{"),
            "{h}"
        );
        // An action inside a quoted string and inside a block scalar is still an action.
        let strings = spans_with(&h, "hl-string hl-quoted hl-double hl-yaml");
        assert!(!strings.is_empty());
        assert!(
            h.matches("hl-punctuation hl-section hl-embedded hl-begin hl-go-template")
                .count()
                == 11
        );
        insta::assert_snapshot!("helm_deployment", h);
    }

    #[test]
    fn werf_yaml_with_env_and_documents() {
        let (h, _) = highlight("werf.yaml", WERF_YAML);
        assert!(h.contains("hl-entity hl-other hl-document hl-begin hl-yaml\">---"));
        let vars = spans_with(&h, "hl-variable hl-other hl-go-template");
        assert_eq!(vars, ["$"]);
        assert_eq!(
            spans_with(&h, "hl-keyword hl-operator hl-word hl-go-template"),
            ["eq"]
        );
        assert_eq!(
            spans_with(&h, "hl-keyword hl-control hl-go-template"),
            ["if", "end"]
        );
        assert!(h.contains("hl-comment hl-line hl-number-sign hl-yaml"));
        insta::assert_snapshot!("werf_yaml", h);
    }

    #[test]
    fn plain_yaml_keeps_the_yaml_grammar() {
        let code = "app:\n  replicas: 2\n  image: nginx\n";
        let (h, _) = highlight("yaml", code);
        assert!(!h.contains("go-template"));
        assert_eq!(find("yaml").unwrap().unwrap().name, "YAML");
        assert_eq!(find("helm").unwrap().unwrap().name, HELM);
        assert_eq!(find("tpl").unwrap().unwrap().name, HELM);
        assert_eq!(find("gotmpl").unwrap().unwrap().name, HELM);
    }

    #[test]
    fn helm_braces_survive_highlighting() {
        let code = "value: {{ .Values.rails.master_key }}\n";
        let (h, _) = highlight("yaml", code);
        let text = strip_tags(&h);
        assert_eq!(text, code);
    }

    fn strip_tags(h: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in h.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }
}
