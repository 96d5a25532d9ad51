//! Source files and positions: a Markdown file read once ([`SourceFile`]), the ids that
//! name files and pages, and the one conversion from a byte offset to a 1-based line
//! and a column counted in characters (so Cyrillic lines up), frontmatter included.
//!
//! Architecture invariant: nothing here imports from the rest of the crate.

use std::path::PathBuf;

use serde_json::{Map, Value};

/// Which source file: an index into the site's files, never mixed up with a page.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct FileId(usize);

/// Which page: an index into the site's pages (and every per-page list of a build).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(usize);

/// Which guide: an index into the site's guides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GuideId(usize);

macro_rules! id {
    ($t:ident) => {
        impl $t {
            /// The id of the `i`-th item.
            pub fn new(i: usize) -> $t {
                $t(i)
            }

            /// The position of the item in its list.
            pub fn index(self) -> usize {
                self.0
            }

            /// Every id of a list of `n` items.
            pub fn all(n: usize) -> impl Iterator<Item = $t> {
                (0..n).map($t)
            }
        }
    };
}

id!(FileId);
id!(PageId);
id!(GuideId);

/// `list[id]` for a list of items that `id` names (`site.pages[page_id]`).
macro_rules! index_by {
    ($t:ty, $item:ty) => {
        impl std::ops::Index<$t> for Vec<$item> {
            type Output = $item;
            fn index(&self, id: $t) -> &$item {
                &self[id.index()]
            }
        }

        impl std::ops::IndexMut<$t> for Vec<$item> {
            fn index_mut(&mut self, id: $t) -> &mut $item {
                &mut self[id.index()]
            }
        }
    };
}
pub(crate) use index_by;

index_by!(FileId, SourceFile);

/// One Markdown source file, read once.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, as shown in diagnostics.
    pub rel: PathBuf,
    pub abs: PathBuf,
    pub text: std::sync::Arc<str>,
    pub frontmatter: std::sync::Arc<Map<String, Value>>,
    /// Byte offset where the Markdown body starts (after frontmatter).
    pub body_start: usize,
    /// Line starts, built on the first diagnostic in the file.
    pub lines: std::sync::OnceLock<LineIndex>,
}

/// A point in a source file, resolved to 1-based line and character column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// 1-based line, counted from the top of the file (frontmatter included).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The source line as shown: the whole line, or for a long one a window around the
    /// column with `…` where it was cut (without the newline).
    pub source_line: String,
    /// How many characters of `source_line` come before the caret.
    pub caret: usize,
    /// How many characters the caret underlines (at least 1, at most to the window's end).
    pub width: usize,
}

/// How many characters of a long line are shown before and after the caret.
const WINDOW_BEFORE: usize = 60;
const WINDOW_AFTER: usize = 100;

/// Resolve a byte span of `text` into line, column (in characters) and the source line.
/// Costs O(length of the text before it); use a [`LineIndex`] for many.
pub(crate) fn locate(text: &str, start: usize, end: usize) -> Location {
    let start = floor_char_boundary(text, start.min(text.len()));
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..start].chars().count() + 1;
    located(text, start, end, line_of(text, start), line_start, column)
}

/// The location of `start..end` on the line starting at `line_start`, with the shown
/// part of a long line cut to a window around the caret.
fn located(
    text: &str,
    start: usize,
    end: usize,
    line: usize,
    line_start: usize,
    column: usize,
) -> Location {
    let end = floor_char_boundary(text, end.clamp(start, text.len()));
    let line_end = text[start..]
        .find('\n')
        .map(|i| start + i)
        .unwrap_or(text.len());
    // The window: up to WINDOW_BEFORE characters before the caret, WINDOW_AFTER after.
    let before: Vec<usize> = text[line_start..start]
        .char_indices()
        .rev()
        .take(WINDOW_BEFORE + 1)
        .map(|(i, _)| i)
        .collect();
    let cut_left = before.len() > WINDOW_BEFORE;
    let from = match before.get(WINDOW_BEFORE.saturating_sub(1)) {
        Some(i) if cut_left => line_start + i,
        _ => line_start,
    };
    let after_end = text[start..line_end]
        .char_indices()
        .nth(WINDOW_AFTER)
        .map(|(i, _)| start + i);
    let to = after_end.unwrap_or(line_end);
    let mut shown = String::new();
    if cut_left {
        shown.push('…');
    }
    shown.push_str(text[from..to].trim_end_matches('\r'));
    if after_end.is_some() {
        shown.push('…');
    }
    let caret = text[from..start].chars().count() + usize::from(cut_left);
    let width = text[start..end.min(to)].chars().count().max(1);
    Location {
        line,
        column,
        source_line: shown,
        caret,
        width,
    }
}

/// Where the lines of a text start, and how many characters come before each 4 KiB
/// block: locating a byte offset costs a binary search and at most 4 KiB of counting,
/// so a file with many diagnostics is located in linear time.
#[derive(Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// (block start, characters before it), a block every 4 KiB.
    blocks: Vec<(usize, usize)>,
}

const BLOCK: usize = 4096;

impl LineIndex {
    /// Index `text` (one pass).
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut blocks = vec![(0, 0)];
        let mut chars = 0;
        let mut at = 0;
        while at + BLOCK < text.len() {
            let next = floor_char_boundary(text, at + BLOCK).max(at + 1);
            let next = ceil_char_boundary(text, next);
            chars += text[at..next].chars().count();
            at = next;
            blocks.push((at, chars));
        }
        LineIndex { starts, blocks }
    }

    /// Characters in `text[..pos]`.
    fn chars_before(&self, text: &str, pos: usize) -> usize {
        let i = self
            .blocks
            .partition_point(|b| b.0 <= pos)
            .saturating_sub(1);
        let (at, chars) = self.blocks.get(i).copied().unwrap_or((0, 0));
        chars + text[at..pos].chars().count()
    }

    /// [`locate`], using the index.
    pub fn locate(&self, text: &str, start: usize, end: usize) -> Location {
        let start = floor_char_boundary(text, start.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= start);
        let line_start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let column = self.chars_before(text, start) - self.chars_before(text, line_start) + 1;
        located(text, start, end, line, line_start, column)
    }
}

impl SourceFile {
    /// Locate a byte span of the file (indexing the file on first use).
    pub fn locate(&self, start: usize, end: usize) -> Location {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .locate(&self.text, start, end)
    }
}

/// A location given as 1-based line and column (as YAML and TOML parsers report them).
pub(crate) fn locate_line_col(text: &str, line: usize, column: usize) -> Location {
    let start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        .min(text.len());
    let line_text = text[start..].split('\n').next().unwrap_or("");
    let at = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| start + i)
        .unwrap_or(start + line_text.len());
    located(text, at, at, line.max(1), start, column.max(1))
}

/// The smallest char boundary at or after `i` (at most `s.len()`).
fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

/// The 1-based line of byte offset `pos`.
pub(crate) fn line_of(text: &str, pos: usize) -> usize {
    text[..floor_char_boundary(text, pos)].matches('\n').count() + 1
}

/// The largest char boundary at or before `i` (at most `s.len()`).
pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "---\ntitle: x\n---\nПривет <<frameworkk>> мир\n";
        let start = text.find("<<").unwrap();
        let loc = locate(text, start, start + "<<frameworkk>>".len());
        assert_eq!((loc.line, loc.column, loc.width), (4, 8, 14));
        assert_eq!(floor_char_boundary("Ёж", 1), 0);
    }
}
