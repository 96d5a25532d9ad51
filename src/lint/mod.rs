//! The static checks of example files that need no tool: what `guidegen test` finds in
//! a `werf.yaml`, a Dockerfile, a Helm chart, a JSON, TOML or `.env` file before a
//! reader copies it (docs/testing-examples.md). Each file is checked by its name
//! ([`Kind`]); Helm charts are also checked as a whole ([`helm`]). Every finding is a
//! [`Diagnostic`] located in the example file, with its [`Code`].
//!
//! Nothing here runs a program: the syntax of code (Python, JavaScript, Go, …) is
//! checked by its language's own tool, which only `guidegen test` runs.

mod dockerfile;
mod funcs;
mod gotmpl;
mod helm;
mod plain;
mod yaml;

use std::path::Path;

use crate::diag::{Code, Diagnostic};
pub(crate) use helm::charts;

/// What an example file is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// YAML; `templated`: a Helm template or a werf config, Go template actions inside.
    Yaml {
        templated: bool,
    },
    /// Go template text only (Helm's `_helpers.tpl`).
    Template,
    Json,
    Toml,
    Dockerfile,
    Env,
}

/// The kind of the example file at `rel` (a `/`-separated path), if it has one.
pub(crate) fn kind(rel: &str) -> Option<Kind> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    let in_templates = rel.split('/').any(|c| c == "templates");
    if lower == "dockerfile" || lower.starts_with("dockerfile.") || lower.ends_with(".dockerfile") {
        return Some(Kind::Dockerfile);
    }
    if lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env") {
        return Some(Kind::Env);
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e);
    match ext {
        Some("yaml" | "yml") => Some(Kind::Yaml {
            templated: in_templates || lower.starts_with("werf"),
        }),
        Some("tpl") => Some(Kind::Template),
        Some("json") => Some(Kind::Json),
        Some("toml") => Some(Kind::Toml),
        _ => None,
    }
}

/// A `.Values.a.b` a template reads: the key path and where it is written.
pub(crate) type ValueRead = (Vec<String>, std::ops::Range<usize>);

/// What checking one file found: its problems, and the `.Values` keys it reads (a
/// template's), for [`charts`].
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub(crate) problems: Vec<Diagnostic>,
    pub(crate) reads: Vec<ValueRead>,
}

/// Check one example file: `shown` is its path as printed, `rel` its path inside
/// examples/, `text` its content. A template is read once, for its own problems and
/// for the chart's.
pub(crate) fn file(shown: &Path, rel: &str, text: &str) -> Checked {
    let Some(kind) = kind(rel) else {
        return Checked::default();
    };
    match kind {
        Kind::Yaml { templated: true } | Kind::Template => {
            let t = gotmpl::read(text);
            let mut problems = template_problems(shown, text, &t);
            // A template whose actions are broken is not read as YAML: one finding.
            if problems.is_empty() && kind != Kind::Template {
                let masked = gotmpl::mask(text, &t.actions);
                problems.extend(yaml_problem(shown, text, &masked, true));
            }
            Checked {
                problems,
                reads: t.values,
            }
        }
        _ => Checked {
            problems: plain_file(shown, kind, text),
            reads: Vec::new(),
        },
    }
}

fn yaml_problem(shown: &Path, text: &str, body: &str, templated: bool) -> Option<Diagnostic> {
    let p = yaml::check(body, templated)?;
    let d = Diagnostic::error(shown, p.message)
        .with_code(Code::ExampleSyntax)
        .at_line_col(text, p.line, p.column);
    Some(with_help(d, p.help))
}

/// The problems of a file that holds no template.
fn plain_file(shown: &Path, kind: Kind, text: &str) -> Vec<Diagnostic> {
    let syntax = |msg: String| Diagnostic::error(shown, msg).with_code(Code::ExampleSyntax);
    match kind {
        Kind::Yaml { .. } | Kind::Template => {
            yaml_problem(shown, text, text, false).into_iter().collect()
        }
        Kind::Json => plain::json(text)
            .map(|(m, w)| located(syntax(m), text, w))
            .into_iter()
            .collect(),
        Kind::Toml => plain::toml(text)
            .map(|(m, w)| located(syntax(m), text, w))
            .into_iter()
            .collect(),
        Kind::Env => plain::env(text)
            .into_iter()
            .map(|(m, span, help)| syntax(m).at(text, span.start, span.end).with_help(help))
            .collect(),
        Kind::Dockerfile => dockerfile::check(text)
            .into_iter()
            .map(|p| {
                let mut d = syntax(p.message).at(text, p.span.start, p.span.end);
                d.suggestion = p.suggestion;
                with_help(d, p.help)
            })
            .collect(),
    }
}

fn with_help(d: Diagnostic, help: Option<String>) -> Diagnostic {
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

fn located(d: Diagnostic, text: &str, w: plain::Where) -> Diagnostic {
    match w {
        plain::Where::LineCol(l, c) => d.at_line_col(text, l, c),
        plain::Where::Span(s) => d.at(text, s.start, s.end.max(s.start)),
    }
}

/// A template's problems as diagnostics.
fn template_problems(shown: &Path, text: &str, t: &gotmpl::Template) -> Vec<Diagnostic> {
    t.problems
        .iter()
        .map(|p| {
            let mut d = Diagnostic::error(shown, p.message.clone())
                .with_code(Code::ExampleTemplate)
                .at(text, p.span.start, p.span.end);
            d.suggestion = p.suggestion.clone();
            with_help(d, p.help.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(rel: &str, text: &str) -> Vec<(&'static str, usize)> {
        file(Path::new(rel), rel, text)
            .problems
            .iter()
            .map(|d| {
                let line = d.location.as_ref().map_or(0, |l| l.line);
                (d.code.map_or("", |c| c.as_str()), line)
            })
            .collect()
    }

    /// Pieces the checks react to, so random text reaches every branch.
    fn pieces() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(
            prop_oneof![
                Just("{{".to_string()),
                Just("}}".to_string()),
                Just("{{- if .Values.a }}".to_string()),
                Just("{{ end }}".to_string()),
                Just("{{ else }}".to_string()),
                Just("\"".to_string()),
                Just("`".to_string()),
                Just("/*".to_string()),
                Just("\n".to_string()),
                Just("\t".to_string()),
                Just(": ".to_string()),
                Just("- ".to_string()),
                Just("FROM x".to_string()),
                Just("RUN".to_string()),
                Just("\\".to_string()),
                Just("<<EOF".to_string()),
                Just("=".to_string()),
                Just("é".to_string()),
                Just("# escape=é\n".to_string()),
                Just("[".to_string()),
                Just("{".to_string()),
                "[a-z ]{0,6}",
            ],
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 1500, ..Default::default() })]

        #[test]
        fn no_file_makes_a_check_panic(s in pieces()) {
            for name in ["s/werf.yaml", "s/.helm/templates/a.yaml", "s/x.yml", "s/_h.tpl", "s/a.json", "s/a.toml", "s/Dockerfile", "s/.env"] {
                let _ = file(Path::new(name), name, &s);
            }
            let reads = file(Path::new("t"), ".helm/templates/a.yaml", &s).reads;
            let files = vec![(".helm/templates/a.yaml".to_string(), s.as_str(), reads.as_slice()), (".helm/values.yaml".to_string(), s.as_str(), &[][..]), (".helm/Chart.yaml".to_string(), s.as_str(), &[][..])];
            let _ = charts(Path::new("e"), &files);
        }
    }

    #[test]
    fn kinds_by_name() {
        assert_eq!(kind("a/Dockerfile"), Some(Kind::Dockerfile));
        assert_eq!(kind("a/.env.example"), Some(Kind::Env));
        assert_eq!(kind("a/werf.yaml"), Some(Kind::Yaml { templated: true }));
        assert_eq!(
            kind("a/.helm/templates/d.yaml"),
            Some(Kind::Yaml { templated: true })
        );
        assert_eq!(
            kind("a/.gitlab-ci.yml"),
            Some(Kind::Yaml { templated: false })
        );
        assert_eq!(kind("a/app.py"), None);
    }

    #[test]
    fn a_template_with_values_is_yaml_and_a_broken_one_is_found_once() {
        let good = "project: app\nconfigVersion: 1\n---\nimage: backend\ndockerfile: Dockerfile\n{{- if eq .Env \"x\" }}\nargs: {{ .Values.x }}\n{{- end }}\n";
        assert_eq!(codes("s/werf.yaml", good), []);
        let open_if = "project: app\n{{ if .Values.x }}\na: 1\n";
        assert_eq!(codes("s/werf.yaml", open_if), [("example-template", 2)]);
        assert_eq!(codes("s/x.yaml", "a:\n\tb: 1\n"), [("example-syntax", 2)]);
        assert_eq!(codes("s/Dockerfile", "RUN x\n"), [("example-syntax", 1)]);
    }
}
