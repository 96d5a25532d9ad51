//! Diagnostics: `path:line:column: message`, the source line, a caret, a suggestion.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of failing on the first one,
//! so a build prints all of its errors at once. Lines count from the top of the file
//! (frontmatter included) and columns count characters, so Cyrillic text lines up.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
}

/// A point in a source file, resolved to 1-based line and character column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// The whole source line (without the newline).
    pub source_line: String,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// Path as shown to the user (relative to the site root when possible).
    pub path: PathBuf,
    pub location: Option<Box<Location>>,
    pub message: String,
    /// Hints: "did you mean ..." is printed after the message, others as `help: ...`.
    pub help: Vec<String>,
    /// Extra context lines, e.g. "included from ...", printed as `note: ...`.
    pub notes: Vec<String>,
    /// Print the source line and caret (off for terse reports such as author notes).
    pub snippet: bool,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            path: path.into(),
            location: None,
            message: message.into(),
            help: Vec::new(),
            notes: Vec::new(),
            snippet: true,
        }
    }

    /// One line only: `level: path:line:col: message`.
    pub fn terse(mut self) -> Self {
        self.snippet = false;
        self
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Locate the diagnostic at a byte span of `text` (the whole file's text).
    pub fn at(mut self, text: &str, start: usize, end: usize) -> Self {
        self.location = Some(Box::new(locate(text, start, end)));
        self
    }

    pub fn at_line_col(mut self, text: &str, line: usize, column: usize) -> Self {
        let source_line = text
            .split('\n')
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string();
        self.location = Some(Box::new(Location {
            line,
            column: column.max(1),
            source_line,
            width: 1,
        }));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// Sort key: errors and warnings interleaved by file and position.
    pub fn sort_key(&self) -> (PathBuf, usize, usize, Level, String) {
        let (l, c) = self
            .location
            .as_ref()
            .map(|l| (l.line, l.column))
            .unwrap_or((0, 0));
        (self.path.clone(), l, c, self.level, self.message.clone())
    }
}

/// Resolve a byte span into line, column (in characters) and the source line.
pub fn locate(text: &str, start: usize, end: usize) -> Location {
    let start = floor_char_boundary(text, start.min(text.len()));
    let end = floor_char_boundary(text, end.clamp(start, text.len()));
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[start..]
        .find('\n')
        .map(|i| start + i)
        .unwrap_or(text.len());
    let line = text[..start].matches('\n').count() + 1;
    let column = text[line_start..start].chars().count() + 1;
    let width = text[start..end.min(line_end)].chars().count().max(1);
    Location {
        line,
        column,
        source_line: text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string(),
        width,
    }
}

pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    /// The plain-text rendering (no colour):
    ///
    /// ```text
    /// error: content/en/flask/010_intro.md:7:12: unknown variable 'frameworkk' (did you mean 'framework'?)
    ///   |
    /// 7 | Build a <<frameworkk>> app
    ///   |         ^^^^^^^^^^^^^^
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let path = self.path.display();
        // "did you mean" goes on the first line, after the message; other help below.
        let (suggest, help): (Vec<&String>, Vec<&String>) = self
            .help
            .iter()
            .partition(|h| h.starts_with("did you mean"));
        let mut message = self.message.clone();
        for s in suggest {
            message.push_str(&format!(" ({s})"));
        }
        match &self.location {
            Some(loc) if !self.snippet => {
                write!(f, "{level}: {path}:{}:{}: {message}", loc.line, loc.column)?;
            }
            Some(loc) => {
                writeln!(f, "{level}: {path}:{}:{}: {message}", loc.line, loc.column)?;
                let num = loc.line.to_string();
                let pad = " ".repeat(num.len());
                let shown = loc.source_line.replace('\t', "    ");
                // Columns count characters; tabs widen to four.
                let before: String = loc.source_line.chars().take(loc.column - 1).collect();
                let caret_pad = before.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
                writeln!(f, "{pad} |")?;
                writeln!(f, "{num} | {shown}")?;
                write!(
                    f,
                    "{pad} | {}{}",
                    " ".repeat(caret_pad),
                    "^".repeat(loc.width)
                )?;
                for n in &self.notes {
                    write!(f, "\n{pad} = note: {n}")?;
                }
                for h in &help {
                    write!(f, "\n{pad} = help: {h}")?;
                }
            }
            None => {
                write!(f, "{level}: {path}: {message}")?;
                for n in &self.notes {
                    write!(f, "\n  = note: {n}")?;
                }
                for h in &help {
                    write!(f, "\n  = help: {h}")?;
                }
            }
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Print diagnostics to stderr: full ones followed by a blank line, terse ones one per line.
pub fn eprint_all(diags: &[Diagnostic]) {
    for d in diags {
        if d.snippet {
            eprintln!("{d}\n");
        } else {
            eprintln!("{d}");
        }
    }
}

/// Display `path` relative to `root` when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The closest candidate to `name` (Levenshtein distance at most a third of its length,
/// and at least 1 edit allowed), for "did you mean" hints.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let max = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = levenshtein(name, c);
        if d <= max && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
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
    }

    #[test]
    fn renders_path_line_column_caret_and_help() {
        let text = "a\nБыло <<x>>\n";
        let s = text.find("<<").unwrap();
        let d = Diagnostic::error("content/ru/a.md", "unknown variable 'x'")
            .at(text, s, s + 5)
            .with_help("did you mean 'y'?");
        let out = d.to_string();
        assert_eq!(
            out,
            "error: content/ru/a.md:2:6: unknown variable 'x' (did you mean 'y'?)\n  |\n2 | Было <<x>>\n  |      ^^^^^"
        );
    }

    #[test]
    fn suggestions_are_close_names_only() {
        let c = ["framework", "language", "package_manager"];
        assert_eq!(did_you_mean("frameworkk", c), Some("framework".to_string()));
        assert_eq!(did_you_mean("zzz", c), None);
    }
}
