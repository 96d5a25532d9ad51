//! Text lost without a word, as findings: what `syntax::lost` finds in a source span,
//! worded for the author with what was lost and how to get it back. Found when the span
//! is parsed, so once per file however many guides render it.

use std::ops::Range;

use crate::diag::{Code, Diagnostic};
use crate::source::SourceFile;
use crate::syntax::lost::{Lost, lost};
use crate::util::text::plural;

/// The findings of text lost in `file.text[range]`.
pub(super) fn findings(file: &SourceFile, range: Range<usize>) -> Vec<Diagnostic> {
    lost(&file.text, range)
        .into_iter()
        .map(|(at, l)| finding(file, at, l))
        .collect()
}

fn finding(file: &SourceFile, at: usize, l: Lost) -> Diagnostic {
    let line_end = file.text[at..]
        .find('\n')
        .map_or(file.text.len(), |n| at + n);
    let warn = |msg: String, len: usize| {
        Diagnostic::warning(&file.rel, msg).at_file(file, at, (at + len).min(line_end))
    };
    match l {
        Lost::UnclosedFence {
            lines,
            headings,
            typo,
        } => fence(file, at, line_end, (lines, headings), typo),
        Lost::UnclosedComment { lines } => warn(
            format!(
                "this HTML comment is never closed: the rest of the file ({}) is hidden from readers",
                plural(lines, "line")
            ),
            4,
        )
        .with_code(Code::HiddenText)
        .with_help("end the comment with -->"),
        Lost::UnclosedHtml { tag, lines } => warn(
            format!(
                "this <{tag}> is never closed: the rest of the file ({}) is raw HTML, its Markdown is not read",
                plural(lines, "line")
            ),
            tag.len() + 1,
        )
        .with_code(Code::HiddenText)
        .with_help(format!("close it with </{tag}>")),
        Lost::HeadingInHtml => warn(
            format!(
                "this heading is inside an HTML block: readers see the text '{}', not a heading",
                file.text[at..line_end].trim().chars().take(50).collect::<String>()
            ),
            line_end - at,
        )
        .with_code(Code::HiddenText)
        .with_help("leave a blank line between the HTML above and the heading"),
        Lost::UnusedReference(label) => warn(
            format!("[{label}] defines a link that no text uses, so this line is not shown"),
            label.chars().count() + 2,
        )
        .with_code(Code::HiddenText)
        .with_help(format!(
            "link to it as [text][{label}] or [{label}], or write \\[{label}]: to show the line as text"
        )),
        Lost::UnclosedNote => warn(
            "this author note is never closed with }}: its text is published as prose, and not reported as unfinished".to_string(),
            2,
        )
        .with_code(Code::UnclosedNote)
        .with_help("end the note with }} (write \\{{ to show the braces as text)"),
    }
}

/// A code fence never closed: what it swallows, and the two-backtick line above that
/// most likely caused it.
fn fence(
    file: &SourceFile,
    at: usize,
    line_end: usize,
    (lines, headings): (usize, usize),
    typo: Option<usize>,
) -> Diagnostic {
    let warn = |msg: String, len: usize| {
        Diagnostic::warning(&file.rel, msg).at_file(file, at, (at + len).min(line_end))
    };
    let fence: String = file.text[at..line_end]
        .trim_start()
        .chars()
        .take_while(|c| *c == '`' || *c == '~')
        .collect();
    let what = if headings > 0 {
        format!(
            "{} and {}",
            plural(lines, "line"),
            plural(headings, "heading")
        )
    } else {
        plural(lines, "line")
    };
    let d = warn(
        format!("this code block is never closed: the rest of the file ({what}) is shown as code"),
        fence.len().max(1),
    )
    .with_code(Code::UnclosedCodeBlock);
    let partial = file.rel.components().any(|c| c.as_os_str() == "_partials");
    let d = if partial {
        d.with_note("in a partial, the block also runs on past <<include>>: every page that includes it shows its own text below as code")
    } else {
        d
    };
    match typo {
        Some(t) => {
            let line = file.locate(t, t).line;
            let shown: String = file.text[t..]
                .lines()
                .next()
                .unwrap_or("")
                .trim_end()
                .chars()
                .take(40)
                .collect();
            d.with_note(format!("line {line} opens with two backticks ({shown}): it opens no block, so this fence opened one"))
                .with_help(format!("write line {line} as `{shown} (three backticks)"))
        }
        None => d.with_help(format!("end the block with a line of {fence}")),
    }
}
