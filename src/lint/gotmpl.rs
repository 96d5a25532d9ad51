//! Go templates as Helm and werf read them (`{{ if .Values.x }}…{{ end }}`): the actions
//! of a file, whether their blocks are balanced, whether every function they call is one
//! Helm or werf knows, which `.Values` keys they read, and the file with its actions
//! masked, so that the YAML around them can be checked as YAML.
//!
//! Only what a reader's `werf render` would refuse or silently get wrong is looked at;
//! the pipelines' types are not (that needs the values of a real deployment).

use std::ops::Range;

use super::funcs::known;

/// One `{{ … }}` action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Action {
    /// Bytes of the whole action, braces included.
    pub(crate) span: Range<usize>,
    /// Bytes of what is between the braces and trim markers.
    pub(crate) inner: Range<usize>,
}

/// A problem in a file's template actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateProblem {
    pub(crate) message: String,
    pub(crate) span: Range<usize>,
    pub(crate) help: Option<String>,
    pub(crate) suggestion: Option<String>,
}

/// What a file's actions say.
#[derive(Debug, Default)]
pub(crate) struct Template {
    pub(crate) actions: Vec<Action>,
    pub(crate) problems: Vec<TemplateProblem>,
    /// `.Values.a.b` read by the file: the key path and where it is written.
    pub(crate) values: Vec<(Vec<String>, Range<usize>)>,
}

/// Read the actions of `text`.
pub(crate) fn read(text: &str) -> Template {
    let mut t = Template::default();
    let mut at = 0;
    while let Some(found) = text[at..].find("{{") {
        let start = at + found;
        match close(text, start) {
            Some(action) => {
                at = action.span.end;
                t.actions.push(action);
            }
            None => {
                t.problems.push(TemplateProblem {
                    message: "this template action is never closed with `}}`".into(),
                    span: start..start + 2,
                    help: Some("close it with `}}` on the same line or a later one".into()),
                    suggestion: None,
                });
                break;
            }
        }
    }
    blocks(text, &mut t);
    t
}

/// The action opened at `start`, up to its `}}` outside strings and comments.
fn close(text: &str, start: usize) -> Option<Action> {
    let b = text.as_bytes();
    let mut i = start + 2;
    let mut inner_start = i;
    if b.get(i) == Some(&b'-') && b.get(i + 1).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
        inner_start = i;
    }
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' => i = skip_quoted(b, i, b[i])?,
            b'`' => i += 1 + text[i + 1..].find('`')? + 1,
            b'/' if b.get(i + 1) == Some(&b'*') => i += 2 + text[i + 2..].find("*/")? + 2,
            b'}' if b.get(i + 1) == Some(&b'}') => {
                let mut inner_end = i;
                if i > inner_start + 1 && b[i - 1] == b'-' && b[i - 2].is_ascii_whitespace() {
                    inner_end = i - 1;
                }
                return Some(Action {
                    span: start..i + 2,
                    inner: inner_start..inner_end,
                });
            }
            _ => i += 1,
        }
    }
    None
}

/// The index after a quoted string or character starting at `i` (backslash escapes).
fn skip_quoted(b: &[u8], mut i: usize, q: u8) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            c if c == q => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// A word of an action: an identifier, a field chain, a variable, or punctuation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token<'a> {
    text: &'a str,
    at: usize,
}

/// The words of an action's inside (strings, numbers and comments left out).
fn tokens(text: &str, inner: Range<usize>) -> Vec<Token<'_>> {
    let s = &text[inner.clone()];
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\'' {
            i = skip_quoted(b, i, c).unwrap_or(b.len());
        } else if c == b'`' {
            i += 1 + s[i + 1..].find('`').map_or(b.len(), |n| n + 1);
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2 + s[i + 2..].find("*/").map_or(b.len(), |n| n + 2);
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'.' || c == b'$' {
            let start = i;
            i += 1;
            while i < b.len()
                && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.' || b[i] == b'$')
            {
                i += 1;
            }
            out.push(Token {
                text: &s[start..i],
                at: inner.start + start,
            });
        } else if c.is_ascii_digit() || c == b'-' || c == b'+' {
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                i += 1;
            }
        } else if c.is_ascii_whitespace() {
            i += 1;
        } else {
            let len = s[i..].chars().next().map_or(1, char::len_utf8);
            out.push(Token {
                text: &s[i..i + len],
                at: inner.start + i,
            });
            i += len;
        }
    }
    out
}

/// Keywords that open a block closed by `{{ end }}`.
const OPENERS: &[&str] = &["if", "range", "with", "define", "block"];
/// Words that are not function calls.
const WORDS: &[&str] = &[
    "if", "else", "end", "range", "with", "define", "block", "template", "break", "continue",
    "nil", "true", "false",
];

/// Balance the blocks, check the functions, collect `.Values` reads.
fn blocks(text: &str, t: &mut Template) {
    let mut open: Vec<(&str, Range<usize>)> = Vec::new();
    let actions = std::mem::take(&mut t.actions);
    for a in &actions {
        let toks = tokens(text, a.inner.clone());
        let first = toks.first().map(|t| t.text);
        match first {
            Some(k) if OPENERS.contains(&k) => open.push((k, a.span.clone())),
            Some("end") if open.pop().is_none() => {
                t.problems.push(TemplateProblem {
                    message: "`{{ end }}` closes no `if`, `range`, `with`, `define` or `block`"
                        .into(),
                    span: a.span.clone(),
                    help: Some("remove it, or open the block it was meant to close".into()),
                    suggestion: None,
                });
            }
            Some("else")
                if !open
                    .last()
                    .is_some_and(|(k, _)| matches!(*k, "if" | "range" | "with")) =>
            {
                t.problems.push(TemplateProblem {
                    message: "`{{ else }}` outside an `if`, `range` or `with`".into(),
                    span: a.span.clone(),
                    help: None,
                    suggestion: None,
                });
            }
            _ => {}
        }
        calls(&toks, t);
    }
    t.actions = actions;
    for (k, span) in open {
        t.problems.push(TemplateProblem {
            message: format!("`{{{{ {k} }}}}` is never closed with `{{{{ end }}}}`"),
            span,
            help: Some(format!(
                "add `{{{{ end }}}}` where the `{k}` block should stop"
            )),
            suggestion: None,
        });
    }
}

/// The functions an action calls, and the `.Values` keys it reads.
fn calls(toks: &[Token<'_>], t: &mut Template) {
    for (i, tok) in toks.iter().enumerate() {
        let w = tok.text;
        let head = w.as_bytes()[0];
        if head == b'.' || head == b'$' {
            let chain = w.strip_prefix('$').unwrap_or(w);
            if let Some(rest) = chain.strip_prefix(".Values.") {
                let path: Vec<String> = rest
                    .split('.')
                    .take_while(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                if !path.is_empty() {
                    t.values.push((path, tok.at..tok.at + w.len()));
                }
            }
            continue;
        }
        if !(head.is_ascii_alphabetic() || head == b'_') {
            continue;
        }
        let name = w.split('.').next().unwrap_or(w);
        // `{{ define "x" }}`'s and `{{ template "x" }}`'s names are strings (skipped).
        let after_keyword = i > 0 && matches!(toks[i - 1].text, "else");
        if WORDS.contains(&name)
            && (i == 0 || after_keyword || matches!(name, "nil" | "true" | "false"))
        {
            continue;
        }
        if !known(name) {
            t.problems.push(TemplateProblem {
                message: format!("unknown template function `{name}`"),
                span: tok.at..tok.at + name.len(),
                help: Some(
                    "Helm and werf know Go's built-in functions, Sprig's and their own (include, tpl, required, toYaml, werf_image, …)"
                        .into(),
                ),
                suggestion: super::funcs::closest(name),
            });
        }
    }
}

/// `text` with every action replaced by `x`s (one per character, newlines kept), and
/// lines that hold only actions blanked: what the YAML around the actions says, with
/// lines and columns where they were.
pub(crate) fn mask(text: &str, actions: &[Action]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for a in actions {
        out.push_str(&text[at..a.span.start]);
        let line_start = text[..a.span.start].rfind('\n').map_or(0, |i| i + 1);
        let alone_before = text[line_start..a.span.start].trim().is_empty();
        let line_end = text[a.span.end..]
            .find('\n')
            .map_or(text.len(), |i| a.span.end + i);
        let rest = &text[a.span.end..line_end];
        let alone_after = rest.trim().is_empty() || rest.trim_start().starts_with("{{");
        let fill = if alone_before && alone_after {
            ' '
        } else {
            'x'
        };
        for c in text[a.span.clone()].chars() {
            out.push(if c == '\n' { '\n' } else { fill });
        }
        at = a.span.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        read(text).problems.into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn balanced_blocks_and_known_functions_pass() {
        let text = "{{- if .Values.on }}\nname: {{ .Values.name | quote }}\n{{- else if eq 1 2 }}\n{{ range $i, $v := .Values.list }}{{ $v }}{{ end }}\n{{- end }}\n{{/* a }} comment */}}\nx: {{ include \"a\" . | nindent 4 }}\n";
        assert_eq!(problems(text), Vec::<String>::new());
        let t = read(text);
        let keys: Vec<String> = t.values.iter().map(|(p, _)| p.join(".")).collect();
        assert_eq!(keys, ["on", "name", "list"]);
    }

    #[test]
    fn an_unclosed_if_is_found_at_its_line() {
        let text = "a: 1\n{{ if .Values.x }}\nb: 2\n";
        let t = read(text);
        assert_eq!(t.problems.len(), 1);
        assert_eq!(t.problems[0].span.start, 5);
        assert!(t.problems[0].message.contains("`{{ if }}` is never closed"));
    }

    #[test]
    fn stray_end_else_unknown_function_and_open_action() {
        assert_eq!(problems("{{ end }}").len(), 1);
        assert_eq!(problems("{{ else }}").len(), 1);
        let t = read("{{ .Values.x | nindnt 4 }}");
        assert_eq!(t.problems[0].message, "unknown template function `nindnt`");
        assert_eq!(t.problems[0].suggestion.as_deref(), Some("nindent"));
        assert_eq!(problems("a: {{ .Values.x\nb: 1\n").len(), 1);
        // `}}` inside a string does not close the action.
        assert_eq!(problems("{{ printf \"}}\" }}"), Vec::<String>::new());
    }

    #[test]
    fn masking_keeps_lines_and_columns() {
        let text = "{{- if .Values.a }}\nimage: {{ .Values.image }}\n{{- end }}\n";
        let t = read(text);
        let m = mask(text, &t.actions);
        assert_eq!(m.lines().count(), text.lines().count());
        assert!(m.lines().next().is_some_and(|l| l.trim().is_empty()));
        assert_eq!(m.lines().nth(1), Some("image: xxxxxxxxxxxxxxxxxxx"));
    }
}
