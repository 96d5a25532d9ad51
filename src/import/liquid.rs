//! Liquid as Jekyll reads a page: text, `{{ output }}` and `{% tag args %}` (with the
//! `-` trim markers), `{% raw %}…{% endraw %}` taken as text, each piece with its byte
//! span. A tag or output never closed is reported, and the rest of the file is text.

use std::ops::Range;

/// One piece of a Liquid template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    /// Text as written (what `{% raw %}` holds is text too).
    Text(&'a str),
    /// `{% name args %}`: the tag's name and its arguments, trimmed.
    Tag { name: &'a str, args: &'a str },
    /// `{{ expr }}`, trimmed.
    Output(&'a str),
}

/// A piece and where it is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spanned<'a> {
    pub(crate) piece: Piece<'a>,
    pub(crate) span: Range<usize>,
}

/// A problem of the Liquid syntax: the message and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxProblem {
    pub(crate) message: String,
    pub(crate) span: Range<usize>,
}

/// Split `text` into pieces; the problems of its syntax.
pub(crate) fn lex(text: &str) -> (Vec<Spanned<'_>>, Vec<SyntaxProblem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut at = 0;
    let mut text_start = 0;
    while let Some(found) = next_open(text, at) {
        let (open, is_tag) = found;
        let close = if is_tag { "%}" } else { "}}" };
        let Some(end_rel) = text[open + 2..].find(close) else {
            problems.push(SyntaxProblem {
                message: format!(
                    "this `{}` is never closed with `{close}`: the rest of the file is kept as text",
                    &text[open..open + 2]
                ),
                span: open..open + 2,
            });
            break;
        };
        let end = open + 2 + end_rel + 2;
        let inner = text[open + 2..end - 2]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        if open > text_start {
            out.push(Spanned {
                piece: Piece::Text(&text[text_start..open]),
                span: text_start..open,
            });
        }
        if !is_tag {
            out.push(Spanned {
                piece: Piece::Output(inner),
                span: open..end,
            });
            at = end;
            text_start = end;
            continue;
        }
        let (name, args) = match inner.find(char::is_whitespace) {
            Some(i) => (&inner[..i], inner[i..].trim()),
            None => (inner, ""),
        };
        if name == "raw" {
            // Everything up to `{% endraw %}` is text.
            match find_endraw(text, end) {
                Some((body_end, after)) => {
                    out.push(Spanned {
                        piece: Piece::Text(&text[end..body_end]),
                        span: end..body_end,
                    });
                    at = after;
                    text_start = after;
                }
                None => {
                    problems.push(SyntaxProblem {
                        message: "`{% raw %}` is never closed with `{% endraw %}`".into(),
                        span: open..end,
                    });
                    out.push(Spanned {
                        piece: Piece::Text(&text[end..]),
                        span: end..text.len(),
                    });
                    return (out, problems);
                }
            }
            continue;
        }
        out.push(Spanned {
            piece: Piece::Tag { name, args },
            span: open..end,
        });
        at = end;
        text_start = end;
    }
    if text_start < text.len() {
        out.push(Spanned {
            piece: Piece::Text(&text[text_start..]),
            span: text_start..text.len(),
        });
    }
    (out, problems)
}

/// The next `{{` or `{%` from `at`: (where, is it a tag).
fn next_open(text: &str, at: usize) -> Option<(usize, bool)> {
    let b = text.as_bytes();
    let mut i = at;
    while i + 1 < b.len() {
        if b[i] == b'{' && (b[i + 1] == b'{' || b[i + 1] == b'%') {
            return Some((i, b[i + 1] == b'%'));
        }
        i += 1;
    }
    None
}

/// Where `{% endraw %}` (any trim markers and spaces) starts after `from`, and where it
/// ends.
fn find_endraw(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(i) = text[at..].find("{%") {
        let start = at + i;
        let end = start + text[start..].find("%}")? + 2;
        let inner = text[start + 2..end - 2]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        if inner == "endraw" {
            return Some((start, end));
        }
        at = start + 2;
    }
    None
}

/// `key="value"`, `key='value'` and `key=value` arguments of a tag, in order, values
/// unquoted.
pub(crate) fn params(args: &str) -> Vec<(&str, &str)> {
    params_as_written(args)
        .into_iter()
        .map(|(k, v)| {
            let unq = v
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')));
            (k, unq.unwrap_or(v))
        })
        .collect()
}

/// The arguments of a tag with their values as written (quotes kept): a value may be
/// an expression (`examples=page.examples`) or a string (`path="werf.yaml"`).
pub(crate) fn params_as_written(args: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].split_whitespace().last().unwrap_or("");
        let after = &rest[eq + 1..];
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(e) => (&after[..e + 2], &after[e + 2..]),
                None => (after, ""),
            },
            _ => {
                let e = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..e], &after[e..])
            }
        };
        if !key.is_empty() {
            out.push((key, value));
        }
        rest = next;
    }
    out
}

/// The first word of a tag's arguments, unquoted (`{% include_file "a/b" x=1 %}` → a/b).
pub(crate) fn first_arg(args: &str) -> &str {
    let a = args.trim();
    match a.chars().next() {
        Some(q @ ('"' | '\'')) => a[1..].split(q).next().unwrap_or(""),
        _ => a.split_whitespace().next().unwrap_or(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_raw_and_trim_markers() {
        let (p, problems) =
            lex("a {{ page.x }} b {%- if y -%}c{% endif %}{% raw %}{{ .Values }}{% endraw %}");
        assert!(problems.is_empty());
        let kinds: Vec<String> = p
            .iter()
            .map(|s| match &s.piece {
                Piece::Text(t) => format!("T({t})"),
                Piece::Tag { name, args } => format!("G({name}|{args})"),
                Piece::Output(o) => format!("O({o})"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "T(a )",
                "O(page.x)",
                "T( b )",
                "G(if|y)",
                "T(c)",
                "G(endif|)",
                "T({{ .Values }})"
            ]
        );
    }

    #[test]
    fn unclosed_tags_are_reported_and_kept() {
        let (p, problems) = lex("a {% if x\nb");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].span, 2..4);
        assert_eq!(p.len(), 1);
        let (_, problems) = lex("{% raw %}x");
        assert_eq!(problems.len(), 1);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        #[test]
        fn any_text_lexes_without_panic_and_loses_nothing(s in "(\\{|%|\\}|-|raw|endraw| |é|x|\"|=|'){0,40}") {
            let (pieces, _) = lex(&s);
            // Every byte of the text is in exactly one piece, in order.
            let mut at = 0;
            for p in &pieces {
                proptest::prop_assert!(p.span.start >= at);
                at = p.span.end;
            }
            proptest::prop_assert!(at <= s.len());
            let _ = params(&s);
            let _ = first_arg(&s);
        }
    }

    #[test]
    fn tag_arguments() {
        assert_eq!(
            params(r#"title="A b" url='#' flag=page.x"#),
            [("title", "A b"), ("url", "#"), ("flag", "page.x")]
        );
        assert_eq!(
            first_arg(r#""examples/a.yaml" syntax="yaml""#),
            "examples/a.yaml"
        );
        assert_eq!(first_arg("20_cluster.md"), "20_cluster.md");
    }
}
