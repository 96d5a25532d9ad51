//! `highlight`: build-time syntax highlighting with syntect and two-face's syntaxes
//! (bat's curated set: Dockerfile, TypeScript, TOML, nginx, HCL, PowerShell, ...), on the
//! onig regex engine. The syntax set loads once per process; results are cached by a
//! hash of (language, code), so a block shared by many pages is highlighted once.
//!
//! Tokens are painted at build time with a light and a dark theme (`paint`): a span
//! per run of tokens that show one colour, its classes naming it in each theme; the
//! generated stylesheet (`css`) gives each class its colour, legible on the code
//! background, and applies one theme at a time. Pages carry no inline styles.

mod css;
mod paint;

pub(crate) use css::css;
use paint::highlight_with;

use std::sync::{Arc, OnceLock};

use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet};

use crate::util::memo::Memo;

/// YAML with Go template actions (Helm chart templates, werf.yaml): no grammar for it
/// exists in syntect or two-face, so guidegen has its own.
const HELM_SYNTAX: &str = include_str!("helm.sublime-syntax");
/// Its name, as the fence languages map to it.
const HELM: &str = "Helm Template";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The Helm grammar in a set of its own (it needs no other grammar), built the first
/// time a page shows a template: a few milliseconds, where adding it to the big set
/// would cost every build a third of a second of linking.
fn helm() -> Option<&'static SyntaxSet> {
    static SET: OnceLock<Option<SyntaxSet>> = OnceLock::new();
    SET.get_or_init(|| {
        let def = SyntaxDefinition::load_from_str(HELM_SYNTAX, true, None).ok()?;
        let mut b = syntect::parsing::SyntaxSetBuilder::new();
        b.add(def);
        Some(b.build())
    })
    .as_ref()
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

/// The grammar for `lang` and the set it belongs to; `Ok(None)`: plain text; `Err`:
/// an unknown language.
type Found = Option<(&'static SyntaxSet, &'static SyntaxReference)>;

fn find(lang: &str) -> Result<Found, ()> {
    let ss = syntaxes();
    match canonical(lang) {
        Canon::Plain => Ok(None),
        Canon::Name(HELM) => Ok(helm().and_then(|h| Some((h, h.find_syntax_by_name(HELM)?)))),
        Canon::Unknown => ss
            .find_syntax_by_token(lang.trim())
            .map(|s| Some((ss, s)))
            .ok_or(()),
        Canon::Name(name) => Ok(ss
            .find_syntax_by_name(name)
            .or_else(|| ss.find_syntax_by_token(lang.trim()))
            .map(|s| (ss, s))),
    }
}

/// Highlighted blocks kept in memory: the 1,024 to 2,048 most recently used. Pages are
/// rendered with their translations side by side (`pipeline::page`), so a block shown
/// in both languages is reused while it is still here; the persistent cache keeps the
/// rest across builds. Holding every block of a 5,000-page site took 140 MB.
const CACHE_LIMIT: usize = 1024;

fn cache() -> &'static Memo<u128, Arc<str>> {
    static C: OnceLock<Memo<u128, Arc<str>>> = OnceLock::new();
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

/// Highlighted blocks kept across builds (the build cache), keyed by [`block_key`]: a
/// block found there is not highlighted again (a theme or template change renders every
/// page again, and highlighting is half of rendering).
pub(crate) trait Store: Sync {
    fn get(&self, key: u128) -> Option<String>;
    fn put(&self, key: u128, html: &str);
}

/// The key of a block in a [`Store`]: its language and code (the store adds what else
/// the HTML depends on: guidegen's program, which holds the grammars and themes).
fn block_key(lang: &str, code: &str) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(lang.as_bytes());
    h.update(&[0]);
    h.update(code.as_bytes());
    h.digest128()
}

/// Highlight `code` as `lang`. Returns the inner HTML of a `<code>` element (escaped, with
/// colour class spans) and whether the language was known (unknown: plain text). With
/// a `store`, a block is looked up there before it is highlighted, and kept there after.
pub(crate) fn highlight(lang: &str, code: &str, store: Option<&dyn Store>) -> (Arc<str>, bool) {
    let key = block_key(lang, code);
    let found = find(lang);
    let known = found.is_ok();
    if too_large(code) {
        return (crate::util::html::escape(code).into(), known);
    }
    let html = cache().get_or_insert_with(key, || match found {
        Ok(Some((set, syntax))) => {
            if let Some(html) = store.and_then(|s| s.get(key)) {
                return html.into();
            }
            let html = highlight_with(set, syntax, code)
                .unwrap_or_else(|| crate::util::html::escape(code));
            if let Some(s) = store {
                s.put(key, &html);
            }
            html.into()
        }
        _ => crate::util::html::escape(code).into(),
    });
    (html, known)
}

/// [`highlight`], one HTML string per line of `code`, so any line can be shown on its
/// own (the lines of a diff): painted spans never cross a line (`paint`), and plain
/// text has none.
pub(crate) fn highlight_lines(lang: &str, code: &str, store: Option<&dyn Store>) -> Vec<String> {
    let (html, _) = highlight(lang, code, store);
    html.lines().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::util::LinesWithEndings;

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
        let (h, known) = highlight("klingon", "<b>&", None);
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

    /// `code` as syntect's scope-classed HTML (`hl-` and the scope's atoms): what the
    /// grammar made of it, before the themes paint it.
    fn scopes(lang: &str, code: &str) -> String {
        use syntect::html::{ClassStyle, ClassedHTMLGenerator};
        let (set, syntax) = find(lang).unwrap().unwrap();
        let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
        let mut g = ClassedHTMLGenerator::new_with_class_style(syntax, set, style);
        for line in LinesWithEndings::from(code) {
            g.parse_html_for_line_which_includes_newline(line).unwrap();
        }
        g.finalize()
    }

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
    fn helm_grammar_finds_template_actions_inside_yaml() {
        let h = scopes("helm", DEPLOYMENT);
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
    fn werf_yaml_grammar_with_env_and_documents() {
        let h = scopes("werf.yaml", WERF_YAML);
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

    /// The classes of the span around the first `text` in `html`, or `""` outside any.
    fn classes_of<'a>(html: &'a str, text: &str) -> &'a str {
        let at = html
            .find(text)
            .unwrap_or_else(|| panic!("{text} in {html}"));
        let before = &html[..at];
        let open = before.rfind("<span class=\"");
        let close = before.rfind("</span>");
        match open {
            Some(o) if close.is_none_or(|c| c < o) => {
                let rest = &before[o + 13..];
                &rest[..rest.find('"').unwrap()]
            }
            _ => "",
        }
    }

    #[test]
    fn tokens_are_painted_with_each_themes_colour() {
        let (h, known) = highlight("helm", DEPLOYMENT, None);
        assert!(known);
        assert_eq!(strip_tags(&h), crate::util::html::escape(DEPLOYMENT));
        // Keys, template keywords, functions, paths: each with a light and a dark colour,
        // and keywords apart from keys.
        let key = classes_of(&h, "apiVersion");
        let range = classes_of(&h, "range");
        let include = classes_of(&h, "include");
        for c in [key, range, include] {
            assert!(c.contains("gg-l") && c.contains("gg-d"), "{c:?} in {h}");
        }
        assert_ne!(key, range);
        assert_eq!(classes_of(&h, "kind"), key, "keys look alike");
        // Template delimiters are bold in both themes.
        let delims: Vec<&str> = h
            .split("<span class=\"")
            .filter_map(|s| {
                let (classes, rest) = s.split_once("\">")?;
                let text = &rest[..rest.find("</span>")?];
                ["{{", "{{-", "}}", "-}}"]
                    .contains(&text)
                    .then_some(classes)
            })
            .collect();
        assert_eq!(delims.len(), 22, "{h}");
        for d in delims {
            assert!(d.contains("gg-lb") && d.contains("gg-db"), "{d:?}");
        }
        // Every class is one the stylesheet defines.
        let css = css();
        for span in h.split("<span class=\"").skip(1) {
            for class in span[..span.find('"').unwrap()].split(' ') {
                assert!(css.contains(&format!(" .{class} {{")), "{class}");
            }
        }
        insta::assert_snapshot!("helm_deployment_painted", h);
    }

    #[test]
    fn spans_are_few_and_never_cross_a_line() {
        let code = "def f(a, b):\n    return a + b  # sum\n\n\nx = f(1, 2)\n";
        let (h, _) = highlight("python", code, None);
        assert_eq!(strip_tags(&h), code);
        for line in h.split('\n') {
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{line}"
            );
        }
        // One span per token that shows a colour: no empty span, no span around blanks
        // only, no span for text in the default colour.
        assert!(!h.contains("\"></span>"), "{h}");
        assert!(!h.contains("\"> </span>"), "{h}");
        assert_eq!(classes_of(&h, "b  "), "", "{h}");
        // The comment's `#` and words share one span.
        assert!(h.contains("\"># sum</span>"), "{h}");
        assert_eq!(h.matches("<span").count(), 11, "{h}");
    }

    #[test]
    fn lines_stand_alone() {
        let code = "x = '''a\nb'''\nprint(x)";
        let lines = highlight_lines("python", code, None);
        assert_eq!(lines.len(), 3);
        for l in &lines {
            assert_eq!(
                l.matches("<span").count(),
                l.matches("</span>").count(),
                "{l}"
            );
        }
        assert_eq!(strip_tags(&lines[1]), "b&#39;&#39;&#39;");
        assert!(
            lines[1].starts_with("<span"),
            "the string goes on: {}",
            lines[1]
        );
        assert_eq!(strip_tags(&lines[2]), "print(x)");
    }

    #[test]
    fn plain_yaml_keeps_the_yaml_grammar() {
        let code = "app:\n  replicas: 2\n  image: nginx\n";
        assert!(!scopes("yaml", code).contains("go-template"));
        assert!(scopes("helm", code).contains("hl-yaml"));
        assert_eq!(find("yaml").unwrap().unwrap().1.name, "YAML");
        for l in ["helm", "tpl", "gotmpl", "werf"] {
            assert_eq!(find(l).unwrap().unwrap().1.name, HELM);
        }
    }

    #[test]
    fn helm_braces_survive_highlighting() {
        let code = "value: {{ .Values.rails.master_key }}\n";
        let (h, _) = highlight("yaml", code, None);
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
