//! `slots`: the `<<...>>` language (spec sections 5-7): parse a Markdown source into a
//! tree of text and slots, then resolve it for one page into plain Markdown.
//!
//! What the Markdown stage cannot express as Markdown (example code blocks, the files
//! list, trees, diffs) is emitted as a placeholder `<!--gg:block:N-->` plus a [`Block`]
//! that the Markdown stage renders. Every slot keeps its byte span, so diagnostics point
//! at the file that holds the slot (a partial, a skeleton chapter) and name the page.
//!
//! Steps: [`parse`] (a span into a tree, once per site), [`eval`] (a tree into Markdown
//! for one page), [`blocks`] (notes, details, tabs), [`example`] (example, tree, diff).

mod blocks;
mod eval;
mod example;
mod lost;
mod parse;

use std::ops::Range;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::config::{Config, NotesMode};
use crate::content::{FileId, Site};
use crate::diag::Diagnostic;
use crate::examples::{self, ExampleStore};
use crate::util::memo::Memo;
use eval::Eval;
use parse::Parsed;

/// Something the Markdown stage renders in place of `<!--gg:block:N-->`.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    Example(examples::Shown),
    /// `<<files>>`: filled with every example file the page shows.
    Files,
    Tree(examples::Tree),
    Diff(examples::DiffView),
}

/// An author note `{{ ... }}` found in prose.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Note {
    pub file: FileId,
    pub span: Range<usize>,
    pub text: String,
}

impl Note {
    /// The one diagnostic of a note, at its `{{` in `file`: a terse warning while
    /// drafting, an error with its fix when notes are denied (a build for publishing).
    pub(crate) fn diagnostic(&self, file: &crate::source::SourceFile, deny: bool) -> Diagnostic {
        let shown: String = self
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(70)
            .collect();
        let message = format!("author note: {shown}");
        let d = if deny {
            Diagnostic::error(&file.rel, message)
        } else {
            Diagnostic::warning(&file.rel, message)
        };
        let d = d
            .at_file(file, self.span.start, self.span.start + 2)
            .with_code(crate::diag::Code::AuthorNote);
        if deny {
            d.with_help("write the text; while drafting, [build] notes = \"warn\" shows notes as boxes (a build for publishing, `guidegen build --publish`, refuses them), and \"hide\" publishes without them")
        } else {
            d.terse()
        }
    }
}

/// An `<<if>>` a page evaluated, and which way it went: `check` reports a branch no
/// page of any guide takes.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Branch {
    pub file: FileId,
    /// The `<<if ...>>` slot, and the `<<else>>` slot when there is one.
    pub open: Range<usize>,
    pub else_at: Option<Range<usize>>,
    /// true: the text before `<<else>>` was shown; false: the text after it (or none).
    pub taken: bool,
}

/// Maps offsets in the expanded Markdown back to source files.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceMap {
    /// (offset in output, file, offset in file), sorted by output offset.
    segs: Vec<(usize, FileId, usize)>,
}

impl SourceMap {
    pub(crate) fn lookup(&self, out: usize) -> Option<(FileId, usize)> {
        let i = self.segs.partition_point(|s| s.0 <= out);
        let (o, f, s) = *self.segs.get(i.checked_sub(1)?)?;
        Some((f, s + (out - o)))
    }
}

/// The result of resolving one page's slots.
#[derive(Debug, Default)]
pub(crate) struct Expanded {
    pub markdown: String,
    pub map: SourceMap,
    pub blocks: Vec<Block>,
    /// Markdown files this page depends on (its own, partials), in order of use.
    pub files_used: Vec<FileId>,
    /// Paths under `examples/` this page reads (files, trees, diff folders).
    pub examples_used: Vec<String>,
    /// Example files shown, in order of first use (for `<<files>>`).
    pub shown: Vec<String>,
    pub notes: Vec<Note>,
    /// Every `<<if>>` evaluated, with the branch taken.
    pub branches: Vec<Branch>,
    pub diags: Vec<Diagnostic>,
    /// Values of slots inside code, in order; the Markdown holds placeholders for them
    /// (`syntax::markdown::code_value_marker`) until the code's text is known.
    pub code_values: Vec<String>,
}

/// What a page's slots are resolved against.
pub(crate) struct Env<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    pub examples: &'a ExampleStore,
    pub lang: &'a str,
    pub vars: &'a Map<String, Value>,
    pub notes: NotesMode,
    /// Parsed sources shared by all pages of the build.
    pub parsed: &'a ParseCache,
    /// Extra note for diagnostics, e.g. "in skeleton chapter, rendered for guide 'flask'".
    pub context_note: Option<String>,
}

/// Parsed source spans of one loaded site, by (file, start, end): a skeleton chapter is
/// parsed once for all its guides, a partial once for all the pages that include it.
/// Clear it whenever the site's files are reloaded (file ids change).
#[derive(Debug, Default)]
pub(crate) struct ParseCache(Memo<(FileId, usize, usize), Arc<Parsed>>);

impl ParseCache {
    pub(crate) fn clear(&self) {
        self.0.clear();
    }

    fn get(&self, site: &Site, file: FileId, range: Range<usize>) -> Arc<Parsed> {
        let key = (file, range.start, range.end);
        self.0
            .get_or_insert_with(key, || Arc::new(parse::parse(&site.files[file], range)))
    }
}

/// Resolve the slots of `file[range]` for a page.
pub(crate) fn expand(env: &Env<'_>, file: FileId, range: Range<usize>) -> Expanded {
    let mut out = Expanded::default();
    let mut ev = Eval {
        env,
        out: &mut out,
        include_stack: vec![file],
        tab_counter: 0,
        includes: 0,
        stopped: false,
    };
    ev.file(file, range);
    out
}

/// Escape a value for where it stands at the end of `out` (see [`escape_value`] and
/// [`escape_in_tag`]).
pub(crate) fn escape_value_at(s: &str, out: &mut String) {
    if in_html_tag(out) {
        escape_in_tag(s, out);
    } else {
        escape_value(s, out);
    }
}

/// Is the end of `md` inside an HTML tag (`<a href=`, `<img alt="`), from the start of
/// its block (a blank line, at most 64 KB back)? Quotes are followed, so a `>` inside
/// an attribute value does not end the tag.
pub(crate) fn in_html_tag(md: &str) -> bool {
    let b = md.as_bytes();
    let floor = b.len().saturating_sub(64 << 10);
    let from = b[floor..]
        .windows(2)
        .rposition(|w| w == b"\n\n")
        .map_or(floor, |i| floor + i);
    #[derive(PartialEq)]
    enum S {
        Text,
        Tag,
        Quoted(u8),
    }
    let mut st = S::Text;
    for (i, &c) in b[from..].iter().enumerate() {
        st = match st {
            S::Text
                if c == b'<'
                    && b.get(from + i + 1)
                        .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/') =>
            {
                S::Tag
            }
            S::Tag if c == b'"' || c == b'\'' => S::Quoted(c),
            S::Tag if c == b'>' => S::Text,
            S::Quoted(q) if c == q => S::Tag,
            other => other,
        };
    }
    st != S::Text
}

/// Escape a value inside an HTML tag: every ASCII character but letters and digits as
/// a character reference, so the value can neither end an unquoted attribute (a space,
/// `>`) nor a quoted one, nor start another (`=`). The browser reads the references
/// back: an attribute gets the value exactly as written.
pub(crate) fn escape_in_tag(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || !c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("&#{};", c as u32));
        }
    }
}

/// Escape a value for Markdown prose, HTML text, quoted HTML attributes and link
/// destinations: character references are literal text in all of them, so a value can
/// never become markup or leave its context.
pub(crate) fn escape_value(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' | '(' | ')' | '*' | '_' | '`' | '[' | ']' | '\\' | '|' | '~' | '#' | '!' | '{'
            | '}' | '$' => out.push_str(&format!("&#{};", c as u32)),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
