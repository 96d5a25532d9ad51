//! Dockerfiles as BuildKit reads them: comments and the parser directives, lines joined
//! by the escape character (`\`, or what `# escape=` sets), heredocs (`RUN <<EOF`), and
//! then every instruction a known one, with arguments, and a `FROM` before any but
//! `ARG`.

use std::ops::Range;

/// The instructions of the Dockerfile reference.
const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// A problem: message, byte span, help, suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DockerProblem {
    pub(crate) message: String,
    pub(crate) span: Range<usize>,
    pub(crate) help: Option<String>,
    pub(crate) suggestion: Option<String>,
}

fn problem(message: impl Into<String>, span: Range<usize>, help: &str) -> DockerProblem {
    DockerProblem {
        message: message.into(),
        span,
        help: (!help.is_empty()).then(|| help.to_string()),
        suggestion: None,
    }
}

/// The problems of `text` as a Dockerfile.
pub(crate) fn check(text: &str) -> Vec<DockerProblem> {
    let mut out = Vec::new();
    let escape = escape_char(text);
    let mut lines = line_spans(text).into_iter().peekable();
    let mut seen_from = false;
    let mut seen_any = false;
    while let Some(span) = lines.next() {
        let line = &text[span.clone()];
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = line.len() - trimmed.len();
        let word_end = trimmed
            .find(|c: char| c.is_whitespace())
            .unwrap_or(trimmed.len());
        let word = &trimmed[..word_end];
        let at = span.start + lead..span.start + lead + word.len();
        // The instruction's whole text, continuation lines joined.
        let args = continued(
            text,
            &mut lines,
            &trimmed[word_end..],
            span.clone(),
            escape,
            &mut out,
        );
        if let Some(tag) = heredoc(&args) {
            // Skip the heredoc's body up to its terminator.
            for next in lines.by_ref() {
                if text[next].trim() == tag {
                    break;
                }
            }
        }
        let upper = word.to_ascii_uppercase();
        if !INSTRUCTIONS.contains(&upper.as_str()) {
            let mut p = problem(
                format!("unknown Dockerfile instruction `{word}`"),
                at,
                "an instruction is one of FROM, RUN, COPY, ADD, ENV, ARG, WORKDIR, CMD, ENTRYPOINT, EXPOSE, …; a long command goes on with `\\` at the end of each line",
            );
            p.suggestion = crate::util::text::closest(&upper, INSTRUCTIONS.iter().copied());
            out.push(p);
            continue;
        }
        if args.trim().is_empty() {
            out.push(problem(
                format!("`{upper}` needs arguments"),
                at.clone(),
                "",
            ));
        }
        if !seen_from && upper != "FROM" && upper != "ARG" {
            let first = !seen_any;
            out.push(problem(
                if first {
                    format!("a Dockerfile must start with `FROM`; this is `{upper}`")
                } else {
                    format!("`{upper}` before any `FROM`")
                },
                at.clone(),
                "start with the image to build on, e.g. `FROM python:3.12-slim` (only `ARG` may come before it)",
            ));
            seen_from = true; // once
        }
        if upper == "FROM" {
            seen_from = true;
        }
        seen_any = true;
    }
    if !seen_any {
        out.push(problem(
            "a Dockerfile without instructions",
            0..0,
            "start with the image to build on, e.g. `FROM python:3.12-slim`",
        ));
    }
    out
}

/// An instruction's arguments with the lines it continues on joined (comment and empty
/// lines inside it are left out, as BuildKit does).
fn continued(
    text: &str,
    lines: &mut std::iter::Peekable<std::vec::IntoIter<Range<usize>>>,
    first: &str,
    mut last: Range<usize>,
    escape: char,
    out: &mut Vec<DockerProblem>,
) -> String {
    let mut args = first.trim().to_string();
    while args.ends_with(escape) {
        args.pop();
        let next = lines.by_ref().find(|l| {
            let t = text[l.clone()].trim_start();
            !t.is_empty() && !t.starts_with('#')
        });
        match next {
            Some(next) => {
                args.push(' ');
                args.push_str(text[next.clone()].trim());
                last = next;
            }
            None => {
                out.push(problem(
                    format!("the line ends with `{escape}`, but no line follows it"),
                    last,
                    "remove the last line's continuation character",
                ));
                break;
            }
        }
    }
    args
}

/// The escape character: `\`, or what a `# escape=` directive at the top sets.
fn escape_char(text: &str) -> char {
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix('#') else {
            break;
        };
        let rest = rest.trim();
        if let Some(v) = rest.strip_prefix("escape=") {
            return v.trim().chars().next().unwrap_or('\\');
        }
        if !rest.contains('=') {
            break;
        }
    }
    '\\'
}

/// The heredoc terminator an instruction opens (`<<EOF`, `<<-EOF`, `<<"EOF"`).
fn heredoc(args: &str) -> Option<String> {
    let i = args.find("<<")?;
    let rest = args[i + 2..].trim_start_matches('-');
    let tag: String = rest
        .trim_matches(|c| c == '"' || c == '\'')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!tag.is_empty()).then_some(tag)
}

/// Byte spans of the lines of `text`, without their line breaks.
fn line_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for l in text.split_inclusive('\n') {
        let body = l.trim_end_matches(['\n', '\r']);
        out.push(at..at + body.len());
        at += l.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        check(text).into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn a_good_dockerfile_passes() {
        let text = "# syntax=docker/dockerfile:1\nARG V=3\nFROM python:$V AS build\nRUN pip install \\\n    flask \\\n    # a comment inside\n    gunicorn\nCOPY <<EOF /app/x\nhello\nEOF\nCMD [\"gunicorn\"]\n";
        assert_eq!(messages(text), Vec::<String>::new());
    }

    #[test]
    fn no_from_unknown_instruction_and_dangling_continuation() {
        assert_eq!(
            messages("RUN echo\nFROM x\n"),
            ["a Dockerfile must start with `FROM`; this is `RUN`"]
        );
        let p = check("FROM x\nRUNN echo\n");
        assert_eq!(p[0].suggestion.as_deref(), Some("RUN"));
        assert_eq!(p[0].span, 7..11);
        assert_eq!(messages("FROM x\nRUN a \\").len(), 1);
        assert_eq!(messages("FROM x\nRUN\n"), ["`RUN` needs arguments"]);
    }
}
