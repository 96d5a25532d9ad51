//! What `check` reads of every page, gathered while the page renders (only when asked:
//! a plain build keeps none of it): links and code blocks located in their source files,
//! the example files shown, author notes, and counts of the prose.

use super::model::Model;
use crate::markdown::{CodeFact, Facts, LinkFact, Rendered};
use crate::slots::{Block, Branch, Expanded, Note};
use crate::source::FileId;

/// A place in a source file: the file and a byte offset in it.
pub(crate) type At = Option<(FileId, usize)>;

/// What one page holds, for `check`.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct PageFacts {
    /// Links and images written in the Markdown, each with where it is written.
    pub links: Vec<(LinkFact, At)>,
    /// Code blocks written in the Markdown (not example files), each with its place.
    pub code: Vec<(CodeFact, At)>,
    /// Example files the page shows, under `examples/`.
    pub shown: Vec<String>,
    /// Example files the page's step diffs show (added or changed), under `examples/`.
    pub diffed: Vec<String>,
    /// Code blocks on the page, examples and diffs included.
    pub blocks: usize,
    /// `<<tree>>` blocks: example folders shown as trees.
    pub trees: usize,
    /// Author notes.
    pub notes: Vec<Note>,
    /// Every `<<if>>` the page evaluated, and which way.
    pub branches: Vec<Branch>,
    /// Headings of any level, and the prose's letters by script.
    pub headings: usize,
    pub cyrillic: usize,
    pub latin: usize,
    /// Visible characters of prose that is neither a heading nor an author note.
    pub text_chars: usize,
}

impl Model {
    /// The facts of a page from its expansion and rendering.
    pub(super) fn facts(&self, x: &Expanded, r: Rendered) -> PageFacts {
        let Facts {
            links,
            code,
            headings,
            cyrillic,
            latin,
            prose_chars,
            heading_chars,
        } = r.facts;
        let code_len = code.len();
        let note_chars: usize = x
            .notes
            .iter()
            .map(|n| n.text.chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        PageFacts {
            links: links
                .into_iter()
                .map(|l| {
                    let at = x.map.lookup(l.offset);
                    (l, at)
                })
                .collect(),
            code: code
                .into_iter()
                .map(|c| {
                    let at = x.map.lookup(c.offset);
                    (c, at)
                })
                .collect(),
            shown: x.shown.clone(),
            trees: x
                .blocks
                .iter()
                .filter(|b| matches!(b, Block::Tree(_)))
                .count(),
            diffed: x
                .blocks
                .iter()
                .flat_map(|b| match b {
                    Block::Diff(d) => d
                        .changed
                        .iter()
                        .map(|f| format!("{}/{}", d.to, f.name))
                        .chain(d.added.iter().map(|f| format!("{}/{f}", d.to)))
                        .chain(d.unchanged.iter().map(|f| format!("{}/{f}", d.to)))
                        .collect(),
                    _ => Vec::new(),
                })
                .collect(),
            blocks: code_len
                + x.blocks
                    .iter()
                    .filter(|b| matches!(b, Block::Example(_)))
                    .count(),
            notes: x.notes.clone(),
            branches: x.branches.clone(),
            headings,
            cyrillic,
            latin,
            text_chars: prose_chars.saturating_sub(heading_chars + note_chars),
        }
    }
}
