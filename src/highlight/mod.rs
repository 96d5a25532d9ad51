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
        Ok(Some((set, syntax))) => highlight_with(set, syntax, code)
            .unwrap_or_else(|| crate::util::html::escape(code))
            .into(),
        _ => crate::util::html::escape(code).into(),
    });
    (html, known)
}

/// [`highlight`], one HTML string per line of `code`, each with its spans closed at
/// its end and opened again on the next line, so any line can be shown on its own (the
/// lines of a diff).
pub(crate) fn highlight_lines(lang: &str, code: &str) -> Vec<String> {
    let (html, _) = highlight(lang, code);
    let mut out = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    let mut cur = String::new();
    let mut rest: &str = &html;
    while !rest.is_empty() {
        if rest.starts_with("<span") {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            open.push(&rest[..end]);
            cur.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if let Some(r) = rest.strip_prefix("</span>") {
            open.pop();
            cur.push_str("</span>");
            rest = r;
        } else if let Some(r) = rest.strip_prefix('\n') {
            cur.extend(open.iter().map(|_| "</span>"));
            out.push(std::mem::take(&mut cur));
            open.iter().for_each(|t| cur.push_str(t));
            rest = r;
        } else {
            let n = rest.find(['<', '\n']).unwrap_or(rest.len());
            cur.push_str(&rest[..n]);
            rest = &rest[n..];
        }
    }
    // A last line without a newline.
    if out.len() < code.lines().count() {
        cur.extend(open.iter().map(|_| "</span>"));
        out.push(cur);
    }
    out
}

fn highlight_with(set: &SyntaxSet, syntax: &SyntaxReference, code: &str) -> Option<String> {
    let mut g = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        g.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(g.finalize())
}

/// The backgrounds code is shown on (theme/static/style.css: `--gg-code-bg`, and a
/// diff's `--gg-add-bg` and `--gg-del-bg`), light and dark: every token colour is made
/// legible against each of them.
const LIGHT_BGS: [(u8, u8, u8); 3] = [(0xf6, 0xf8, 0xfa), (0xe3, 0xf9, 0xe8), (0xfd, 0xec, 0xea)];
const DARK_BGS: [(u8, u8, u8); 3] = [(0x16, 0x1b, 0x22), (0x12, 0x26, 0x1e), (0x2a, 0x16, 0x19)];
/// The least contrast a token colour keeps against its background (WCAG AA asks 4.5:1;
/// a little more, so rounding in a browser never drops below).
const MIN_CONTRAST: f64 = 4.6;

/// The stylesheet for highlighted code: a light theme, and a dark one for
/// `prefers-color-scheme: dark` (unless the site is always light, `<html class=
/// "gg-light">`) or for a site that is always dark (`gg-dark`).
///
/// Only one theme's rules ever apply: the themes style different sets of scopes, and
/// a light rule left standing in dark mode (a scope the dark theme does not style) once
/// drew dark grey on the dark background. Every colour is darkened (light) or lightened
/// (dark) where needed to reach [`MIN_CONTRAST`] against the code background.
pub(crate) fn css() -> String {
    use two_face::theme::EmbeddedThemeName;
    let themes = two_face::theme::extra();
    let light =
        css_for_theme_with_class_style(themes.get(EmbeddedThemeName::InspiredGithub), STYLE)
            .unwrap_or_default();
    let dark = css_for_theme_with_class_style(themes.get(EmbeddedThemeName::OneHalfDark), STYLE)
        .unwrap_or_default();
    // Template delimiters (`{{`, `}}`) stand out from the YAML around them: neither
    // theme styles them, so they get the colour of each theme's keywords.
    let light = format!(
        "{light}\n.hl-punctuation.hl-section.hl-embedded.hl-go-template {{\n color: #a71d5d;\n font-weight: 600;\n}}"
    );
    let dark = format!(
        "{dark}\n.hl-punctuation.hl-section.hl-embedded.hl-go-template {{\n color: #c678dd;\n font-weight: 600;\n}}"
    );
    let (light, dark) = (legible(&light, &LIGHT_BGS), legible(&dark, &DARK_BGS));
    let mut out = String::from(
        "/* Generated by guidegen from the InspiredGithub and OneHalfDark themes, every colour\n   at least 4.5:1 against the code background. */\n",
    );
    out.push_str("@media not (prefers-color-scheme: dark) {\n");
    out.push_str(&rules(&light, ":root:not(.gg-dark) "));
    out.push_str("\n}\n");
    out.push_str(&rules(&light, ":root.gg-light "));
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
            Some(selectors) if !l.starts_with(' ') => {
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

/// Every `color: #rrggbb` of `css`, moved toward black or white (whichever is farther
/// from the backgrounds) until it has [`MIN_CONTRAST`] against each of `bgs`.
fn legible(css: &str, bgs: &[(u8, u8, u8)]) -> String {
    css.lines()
        .map(|l| {
            let t = l.trim_start();
            let Some(hex) = t.strip_prefix("color: #").and_then(|r| r.strip_suffix(';')) else {
                return l.to_string();
            };
            match parse_hex(hex) {
                Some(c) => {
                    let (r, g, b) = contrasting(c, bgs);
                    format!(" color: #{r:02x}{g:02x}{b:02x};")
                }
                None => l.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `rrggbb`, or `rrggbbaa` blended over nothing (alpha ignored: syntect's themes use it
/// for backgrounds, which are dropped).
fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
    let h = hex.get(..6)?;
    let v = u32::from_str_radix(h, 16).ok()?;
    Some(((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// The WCAG contrast ratio of two colours.
pub(crate) fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// `c`, mixed step by step toward black (on light backgrounds) or white (on dark ones)
/// until it reaches [`MIN_CONTRAST`] against every one of `bgs`; unchanged when it
/// already does.
fn contrasting(c: (u8, u8, u8), bgs: &[(u8, u8, u8)]) -> (u8, u8, u8) {
    let light = bgs.first().is_some_and(|&bg| luminance(bg) > 0.18);
    let target = if light { 0.0 } else { 255.0 };
    let mix = |v: u8, t: f64| (f64::from(v) + (target - f64::from(v)) * t).round() as u8;
    for step in 0..=50 {
        let t = f64::from(step) / 50.0;
        let m = (mix(c.0, t), mix(c.1, t), mix(c.2, t));
        if bgs.iter().all(|&bg| contrast(m, bg) >= MIN_CONTRAST) {
            return m;
        }
    }
    c
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
    fn every_token_colour_is_legible_on_the_code_background() {
        let css = css();
        let mut checked = 0;
        // The light rules come first (twice: by preference and forced), then the dark.
        let dark_from = css.find("@media (prefers-color-scheme: dark)").unwrap();
        for (at, _) in css.match_indices("color: #") {
            let c = parse_hex(&css[at + 8..at + 14]).unwrap();
            let bgs = if at < dark_from { LIGHT_BGS } else { DARK_BGS };
            for bg in bgs {
                let ratio = contrast(c, bg);
                assert!(ratio >= 4.5, "{} at {ratio:.2}:1", &css[at..at + 14]);
            }
            checked += 1;
        }
        assert!(checked > 100, "{checked} colours");
        // No light rule applies in dark mode, nor a dark one in light mode.
        let unscoped: Vec<&str> = css
            .lines()
            .filter(|l| l.starts_with(".hl-") || l.starts_with(":root .hl-"))
            .collect();
        assert!(unscoped.is_empty(), "unscoped rules: {unscoped:?}");
        let fixed = contrasting((0x32, 0x32, 0x32), &DARK_BGS);
        assert!(DARK_BGS.iter().all(|&bg| contrast(fixed, bg) >= 4.6));
        assert_eq!(
            contrasting((0, 0, 0), &LIGHT_BGS),
            (0, 0, 0),
            "legible colours are kept"
        );
    }

    #[test]
    fn lines_stand_alone() {
        let code = "x = '''a\nb'''\nprint(x)";
        let lines = highlight_lines("python", code);
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
        let (h, _) = highlight("yaml", code);
        assert!(!h.contains("go-template"));
        assert_eq!(find("yaml").unwrap().unwrap().1.name, "YAML");
        for l in ["helm", "tpl", "gotmpl", "werf"] {
            assert_eq!(find(l).unwrap().unwrap().1.name, HELM);
        }
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
