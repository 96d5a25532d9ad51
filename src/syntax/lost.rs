//! Text of a Markdown file that no reader would see, or would see as something else
//! than the author meant: found in the file as written (one parse, with the options the
//! renderer uses), so each finding has its place in the file.
//!
//! - a code fence never closed: the rest of the file becomes code (a ```` ``shell ````
//!   typo makes the next fence an opener; in the real werf guides it hid two sections
//!   of a chapter);
//! - an HTML comment never closed: the rest of the file is a comment, shown to no one;
//! - a Markdown heading inside an HTML block: shown as the text `## ...`, not a heading;
//! - a link reference definition (`[label]: ...`) that no link uses: the line is not
//!   shown (an author's `[Note]: read this` vanishes);
//! - an author note opened with `{{` and never closed: published as prose, not
//!   reported as unfinished.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Parser, Tag};

use super::markdown::{code_ranges, options};

/// One kind of text that is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lost {
    /// A fenced code block that runs to the end of the file: how many lines it takes,
    /// how many of them read like headings, and the offset of a line above that looks
    /// like a fence written with one backtick too few (`` ``shell ``), the usual cause.
    UnclosedFence {
        lines: usize,
        headings: usize,
        typo: Option<usize>,
    },
    /// `<!--` with no `-->`: how many lines it hides.
    UnclosedComment { lines: usize },
    /// `<pre>`, `<script>`, `<style>` or `<textarea>` with no closing tag: the rest of
    /// the file is raw HTML (its Markdown is not read). The tag and how many lines.
    UnclosedHtml { tag: &'static str, lines: usize },
    /// A `#` heading line inside an HTML block.
    HeadingInHtml,
    /// A link reference definition no link uses (its label).
    UnusedReference(String),
    /// `{{` with no `}}`.
    UnclosedNote,
}

/// What is lost in `text[range]` (a file's Markdown body): each with its byte offset in
/// `text`, in order.
pub(crate) fn lost(text: &str, range: Range<usize>) -> Vec<(usize, Lost)> {
    let Some(src) = text.get(range.clone()) else {
        return Vec::new();
    };
    let base = range.start;
    let mut out = Vec::new();
    let mut used: Vec<String> = Vec::new();
    let mut parser = Parser::new_ext(src, options()).into_offset_iter();
    let events: Vec<_> = parser.by_ref().collect();
    for (ev, r) in &events {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) if r.end >= src.len() => {
                let block = &src[r.clone()];
                if !closes(block) {
                    let lines: Vec<&str> = block.lines().skip(1).collect();
                    let headings = lines.iter().filter(|l| is_heading(l)).count();
                    out.push((
                        base + r.start,
                        Lost::UnclosedFence {
                            lines: lines.len(),
                            headings,
                            typo: short_fence(&src[..r.start]).map(|o| base + o),
                        },
                    ));
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                let at_end = r.end >= src.len().saturating_sub(1);
                html_block(&src[r.clone()], base + r.start, at_end, &mut out);
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut,
                id,
                ..
            })
            | Event::Start(Tag::Image {
                link_type: LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut,
                id,
                ..
            }) => used.push(label(id)),
            _ => {}
        }
    }
    // Reference definitions: kept apart from the events by pulldown-cmark.
    let mut unused: Vec<(usize, Lost)> = parser
        .reference_definitions()
        .iter()
        .filter(|(l, d)| !used.contains(&label(l)) && !is_comment(&d.dest))
        .map(|(l, d)| (base + d.span.start, Lost::UnusedReference(l.to_string())))
        .collect();
    out.append(&mut unused);
    let code = code_ranges(text, range.clone());
    for at in unclosed_notes(text, range, &code) {
        out.push((at, Lost::UnclosedNote));
    }
    out.sort_by_key(|(at, _)| *at);
    out
}

/// What an HTML block (its source, at offset `at`) hides: a raw block or a comment
/// never closed (`at_end`: it runs to the end of the file), or headings inside it.
fn html_block(block: &str, at: usize, at_end: bool, out: &mut Vec<(usize, Lost)>) {
    if let Some(tag) = raw_tag(block).filter(|t| at_end && !closes_tag(block, t)) {
        let lines = block.lines().count();
        out.push((at, Lost::UnclosedHtml { tag, lines }));
    } else if let Some(open) = block.find("<!--")
        && !block[open..].contains("-->")
        && at_end
    {
        let lines = block[open..].lines().count();
        out.push((at + open, Lost::UnclosedComment { lines }));
    } else {
        let mut line_at = at;
        for line in block.split_inclusive('\n') {
            if is_heading(line) {
                out.push((line_at, Lost::HeadingInHtml));
            }
            line_at += line.len();
        }
    }
}

/// The tag of an HTML block that only its closing tag ends (CommonMark's first kind):
/// `pre`, `script`, `style`, `textarea`.
fn raw_tag(block: &str) -> Option<&'static str> {
    let t = block.trim_start().get(..10)?.to_ascii_lowercase();
    ["pre", "script", "style", "textarea"]
        .into_iter()
        .find(|tag| {
            t.strip_prefix('<')
                .and_then(|r| r.strip_prefix(tag))
                .is_some_and(|r| r.starts_with([' ', '>', '\t', '\n']) || r.is_empty())
        })
}

fn closes_tag(block: &str, tag: &str) -> bool {
    block.to_ascii_lowercase().contains(&format!("</{tag}>"))
}

/// `[comment]: <> (text)` or `[//]: # (text)`: the known Markdown idiom for a comment,
/// hidden on purpose.
fn is_comment(dest: &str) -> bool {
    dest.is_empty() || dest == "#"
}

/// The offset of the last line in `before` that opens with exactly two backticks and a
/// word (`` ``shell ``): a fence with one backtick too few, shown as text.
fn short_fence(before: &str) -> Option<usize> {
    let mut at = 0;
    let mut found = None;
    for line in before.split_inclusive('\n') {
        let t = line.trim_start();
        if line.len() - t.len() <= 3
            && t.starts_with("``")
            && t[2..].starts_with(|c: char| c.is_ascii_alphabetic())
            && !t[2..].contains('`')
        {
            found = Some(at + line.len() - t.len());
        }
        at += line.len();
    }
    found
}

/// A reference label as CommonMark matches it: case-insensitive, whitespace folded.
fn label(l: &str) -> String {
    l.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Does this fenced block (its source, from the opening fence) end with a closing fence?
fn closes(block: &str) -> bool {
    let first = block.lines().next().unwrap_or("").trim_start();
    let ch = first.chars().next().unwrap_or('`');
    let n = first.chars().take_while(|c| *c == ch).count();
    let lines: Vec<&str> = block.lines().skip(1).collect();
    let Some(last) = lines.last() else {
        return false;
    };
    let t = last.trim();
    t.chars().take_while(|c| *c == ch).count() >= n && t.chars().all(|c| c == ch)
}

fn is_heading(line: &str) -> bool {
    let t = line.trim_end();
    let indent = t.len() - t.trim_start().len();
    let t = t.trim_start();
    let hashes = t.chars().take_while(|c| *c == '#').count();
    indent <= 3
        && (1..=6).contains(&hashes)
        && t[hashes..].starts_with([' ', '\t'])
        && !t[hashes..].trim().is_empty()
}

/// `{{` in prose (outside `code`) that no `}}` closes: the openers left over when every
/// `}}` has closed the latest opener (a note inside a note is a note's text).
fn unclosed_notes(text: &str, range: Range<usize>, code: &[Range<usize>]) -> Vec<usize> {
    let b = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut i = range.start;
    while i + 1 < range.end.min(b.len()) {
        let outside = !super::markdown::in_ranges(code, i);
        if b[i] == b'{' && b[i + 1] == b'{' && outside && (i == 0 || b[i - 1] != b'\\') {
            open.push(i);
            i += 2;
        } else if b[i] == b'}' && b[i + 1] == b'}' && outside {
            open.pop();
            i += 2;
        } else {
            i += 1;
        }
    }
    open.truncate(1);
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &str) -> Vec<(usize, Lost)> {
        lost(t, 0..t.len())
    }

    #[test]
    fn an_unclosed_fence_and_what_it_takes() {
        let t = "Intro.\n\n``shell\nls\n```\n\n## One\n\nText.\n\n## Two\n";
        let l = kinds(t);
        assert_eq!(l.len(), 1, "{l:?}");
        assert_eq!(l[0].0, t.find("```\n").unwrap());
        assert_eq!(
            l[0].1,
            Lost::UnclosedFence {
                lines: 6,
                headings: 2,
                typo: Some(8),
            }
        );
        assert!(kinds("```\ncode\n```\n").is_empty());
        assert!(kinds("```\ncode\n```").is_empty(), "closed at the very end");
        assert!(kinds("~~~~\ncode\n~~~~~\n").is_empty());
    }

    #[test]
    fn comments_headings_in_html_references_and_notes() {
        let l = kinds("A\n\n<!-- never closed\n\n## Gone\n");
        assert_eq!(l, vec![(3, Lost::UnclosedComment { lines: 3 })]);
        assert!(kinds("A <!-- closed --> B\n\n<!--\nx\n-->\n").is_empty());
        let t = "A\n\n<pre>\nkept\n\n## Gone\n";
        assert_eq!(
            kinds(t),
            vec![(
                3,
                Lost::UnclosedHtml {
                    tag: "pre",
                    lines: 4
                }
            )]
        );
        assert!(kinds("<pre>\nx\n</pre>\n\n## Kept\n").is_empty());
        let t = "<div>\n## Not a heading\n</div>\n";
        assert_eq!(kinds(t), vec![(6, Lost::HeadingInHtml)]);
        assert!(kinds("<div>\n\n## A heading\n\n</div>\n").is_empty());
        let t = "[Note]: read-this-first\n\nText [used].\n\n[used]: https://x.io\n";
        assert_eq!(kinds(t), vec![(0, Lost::UnusedReference("Note".into()))]);
        assert!(kinds("[comment]: <> (a note to authors)\n\n[//]: # (another)\n").is_empty());
        let t = "A {{ open note\n\nB {{ closed }} `{{ code`\n";
        assert_eq!(kinds(t), vec![(2, Lost::UnclosedNote)]);
    }
}
