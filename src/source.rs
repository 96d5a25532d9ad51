//! Source files and positions: a Markdown file read once ([`SourceFile`]), the ids that
//! name files and pages, and the one conversion from a byte offset to a 1-based line
//! and a column counted in characters (so Cyrillic lines up), frontmatter included.
//!
//! Architecture invariant: nothing here imports from the rest of the crate.

use std::path::PathBuf;

use serde_json::{Map, Value};

/// Which source file: an index into the site's files, never mixed up with a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    pub text: String,
    pub frontmatter: Map<String, Value>,
    /// Byte offset where the Markdown body starts (after frontmatter).
    pub body_start: usize,
}

/// A point in a source file, resolved to 1-based line and character column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line, counted from the top of the file (frontmatter included).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The whole source line (without the newline).
    pub source_line: String,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
}

/// Resolve a byte span of `text` into line, column (in characters) and the source line.
pub(crate) fn locate(text: &str, start: usize, end: usize) -> Location {
    let start = floor_char_boundary(text, start.min(text.len()));
    let end = floor_char_boundary(text, end.clamp(start, text.len()));
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[start..]
        .find('\n')
        .map(|i| start + i)
        .unwrap_or(text.len());
    let column = text[line_start..start].chars().count() + 1;
    let width = text[start..end.min(line_end)].chars().count().max(1);
    Location {
        line: line_of(text, start),
        column,
        source_line: text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string(),
        width,
    }
}

/// A location given as 1-based line and column (as YAML and TOML parsers report them).
pub(crate) fn locate_line_col(text: &str, line: usize, column: usize) -> Location {
    let source_line = text
        .split('\n')
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .trim_end_matches('\r')
        .to_string();
    Location {
        line,
        column: column.max(1),
        source_line,
        width: 1,
    }
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
