//! Diagnostics: `path:line:column: message`, the source line, a caret, a suggestion.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of failing on the first one,
//! so a build prints all of its errors at once. Lines count from the top of the file
//! (frontmatter included) and columns count characters, so Cyrillic text lines up.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use crate::source::Location;
use crate::source::{SourceFile, locate, locate_line_col};
use crate::util::confine::Refusal;
use crate::util::text::plural;

mod code;
pub use code::{Code, Level};

/// A problem as users see it: `level: path:line:column: message`, the source line, a
/// caret, notes and help.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// What kind of problem this is, where programs need to know.
    pub code: Option<Code>,
    /// Path as shown to the user (relative to the site root when possible).
    pub path: PathBuf,
    /// Where in the file, when known.
    pub location: Option<Box<Location>>,
    /// What is wrong, in one line.
    pub message: String,
    /// A close name for what was written, printed as `(did you mean '...'?)`.
    pub suggestion: Option<String>,
    /// Hints, printed as `help: ...`.
    pub help: Vec<String>,
    /// Extra context lines, e.g. "included from ...", printed as `note: ...`.
    pub notes: Vec<String>,
    /// Print the source line and caret (off for terse reports such as author notes).
    pub snippet: bool,
}

impl Diagnostic {
    /// An error in the file shown as `path` (empty: a problem of no file).
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            code: None,
            path: path.into(),
            location: None,
            message: message.into(),
            suggestion: None,
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

    /// A warning in the file shown as `path`.
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

    /// Locate the diagnostic at a byte span of a source file (fast for many).
    pub(crate) fn at_file(mut self, file: &SourceFile, start: usize, end: usize) -> Self {
        self.location = Some(Box::new(file.locate(start, end)));
        self
    }

    /// Locate the diagnostic at a 1-based line and column of `text`.
    pub fn at_line_col(mut self, text: &str, line: usize, column: usize) -> Self {
        self.location = Some(Box::new(locate_line_col(text, line, column)));
        self
    }

    /// The same diagnostic as a warning.
    pub fn as_warning(mut self) -> Self {
        self.level = Level::Warning;
        self
    }

    /// Say what kind of problem this is.
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    /// "did you mean 'name'?" after the message.
    pub fn with_suggestion(mut self, name: impl Into<String>) -> Self {
        self.suggestion = Some(name.into());
        self
    }

    /// Add a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// Add a `note:` line.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Is this an error (not a warning)?
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

/// A problem found inside a stage before it is tied to a file: what is wrong, where in
/// the stage's text (a byte span), a close name, help, and which slot argument is at
/// fault. The one shape stages hand back; [`Problem::in_file`] makes it a [`Diagnostic`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// What kind of problem, where programs need to know.
    pub code: Option<Code>,
    pub message: String,
    pub span: Option<Range<usize>>,
    pub suggestion: Option<String>,
    pub help: Option<String>,
    /// The named argument of a slot the problem is about (`snippet`, `lines`, `from`).
    pub arg: Option<&'static str>,
}

impl Problem {
    pub(crate) fn new(message: impl Into<String>) -> Problem {
        Problem {
            code: None,
            message: message.into(),
            span: None,
            suggestion: None,
            help: None,
            arg: None,
        }
    }

    pub(crate) fn at(mut self, span: Range<usize>) -> Problem {
        self.span = Some(span);
        self
    }

    /// A close name, if there is one.
    pub(crate) fn suggest(mut self, name: Option<String>) -> Problem {
        self.suggestion = name;
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    /// Help shown only when there is no suggestion.
    pub(crate) fn help_unless_suggested(self, help: impl Into<String>) -> Problem {
        if self.suggestion.is_some() {
            self
        } else {
            self.help(help)
        }
    }

    /// The same problem without its span (a span in some other text than the file's).
    pub(crate) fn unlocated(mut self) -> Problem {
        self.span = None;
        self
    }

    /// Say what kind of problem this is.
    pub(crate) fn with_code(mut self, code: Code) -> Problem {
        self.code = Some(code);
        self
    }

    pub(crate) fn for_arg(mut self, arg: &'static str) -> Problem {
        self.arg = Some(arg);
        self
    }

    /// An error in `file`, located at the problem's span (or at `fallback`).
    pub(crate) fn in_source(self, file: &SourceFile, fallback: Option<Range<usize>>) -> Diagnostic {
        let mut d = Diagnostic::error(&file.rel, self.message);
        if let Some(span) = self.span.or(fallback) {
            d = d.at_file(file, span.start, span.end);
        }
        d.suggestion = self.suggestion;
        d.code = self.code;
        d.help.extend(self.help);
        d
    }

    /// An error in the file shown as `path`, located at the problem's span of `text`
    /// (or at `fallback` when it has none).
    pub(crate) fn in_file(
        self,
        path: &Path,
        text: &str,
        fallback: Option<Range<usize>>,
    ) -> Diagnostic {
        let mut d = Diagnostic::error(path, self.message);
        if let Some(span) = self.span.or(fallback) {
            d = d.at(text, span.start, span.end);
        }
        d.suggestion = self.suggestion;
        d.code = self.code;
        d.help.extend(self.help);
        d
    }
}

/// The first line's text: the message, then `(did you mean 'x'?)`.
fn headline(message: &str, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => format!("{message} (did you mean '{s}'?)"),
        None => message.to_string(),
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&headline(&self.message, self.suggestion.as_deref()))
    }
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
        // A problem of no file (a port in use) shows no path.
        let path = if self.path.as_os_str().is_empty() {
            String::new()
        } else {
            format!("{}:", self.path.display())
        };
        // "did you mean" goes on the first line, after the message; other help below.
        let message = headline(&self.message, self.suggestion.as_deref());
        let help = &self.help;
        match &self.location {
            Some(loc) if !self.snippet => {
                write!(f, "{level}: {path}{}:{}: {message}", loc.line, loc.column)?;
            }
            Some(loc) => {
                writeln!(f, "{level}: {path}{}:{}: {message}", loc.line, loc.column)?;
                let num = loc.line.to_string();
                let pad = " ".repeat(num.len());
                let shown = loc.source_line.replace('\t', "    ");
                // The caret counts characters of the shown line; tabs widen to four.
                let before: String = loc.source_line.chars().take(loc.caret).collect();
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
                for h in help {
                    write!(f, "\n{pad} = help: {h}")?;
                }
            }
            None => {
                let sep = if path.is_empty() { "" } else { " " };
                write!(f, "{level}: {path}{sep}{message}")?;
                for n in &self.notes {
                    write!(f, "\n  = note: {n}")?;
                }
                for h in help {
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
    use std::io::Write;
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    let _ = err.write_all(render_all(diags, PRINT_PER_FILE).as_bytes());
}

/// How many problems of one file a terminal shows; the rest are counted (a page with
/// 100,000 notes would otherwise print megabytes). `check --format json` lists all.
const PRINT_PER_FILE: usize = 50;

/// The problems as printed: at most `per_file` of each file, then a count of the rest.
fn render_all(diags: &[Diagnostic], per_file: usize) -> String {
    let mut shown: HashMap<&Path, usize> = HashMap::new();
    let mut hidden: Vec<(&Path, usize, usize)> = Vec::new();
    let mut out = String::new();
    for d in diags {
        let n = shown.entry(&d.path).or_default();
        *n += 1;
        if *n <= per_file {
            out.push_str(&d.to_string());
            out.push_str(if d.snippet { "\n\n" } else { "\n" });
            continue;
        }
        let i = match hidden.iter().position(|h| h.0 == d.path.as_path()) {
            Some(i) => i,
            None => {
                hidden.push((&d.path, 0, 0));
                hidden.len() - 1
            }
        };
        match d.level {
            Level::Error => hidden[i].1 += 1,
            Level::Warning => hidden[i].2 += 1,
        }
    }
    for (path, errors, warnings) in hidden {
        let what = match (errors, warnings) {
            (0, w) => plural(w, "more warning"),
            (e, 0) => plural(e, "more error"),
            (e, w) => format!(
                "{} and {}",
                plural(e, "more error"),
                plural(w, "more warning")
            ),
        };
        out.push_str(&format!("{}: {what} not shown\n", path.display()));
    }
    out
}

/// A path of the site refused by confinement (a link out of the site, or a loop), as
/// an error naming the path.
pub(crate) fn refused(root: &Path, path: &Path, r: &Refusal) -> Diagnostic {
    let what = match r {
        Refusal::Symlink { target, .. } => format!(
            "is a symbolic link to {}, outside the site",
            target.display()
        ),
        other => other.to_string(),
    };
    Diagnostic::error(display_path(root, path), what)
        .with_help("remove the link, or put a copy of the file inside the site")
}

/// Display `path` relative to `root` when it is inside it.
pub(crate) fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_path_line_column_caret_and_help() {
        let text = "a\nБыло <<x>>\n";
        let s = text.find("<<").unwrap();
        let d = Diagnostic::error("content/ru/a.md", "unknown variable 'x'")
            .at(text, s, s + 5)
            .with_suggestion("y");
        let out = d.to_string();
        assert_eq!(
            out,
            "error: content/ru/a.md:2:6: unknown variable 'x' (did you mean 'y'?)\n  |\n2 | Было <<x>>\n  |      ^^^^^"
        );
    }

    #[test]
    fn a_terminal_shows_a_bounded_number_of_problems_per_file() {
        let mut diags: Vec<Diagnostic> = (0..5)
            .map(|i| Diagnostic::warning("a.md", format!("note {i}")))
            .collect();
        diags.push(Diagnostic::error("a.md", "bad"));
        diags.push(Diagnostic::warning("b.md", "other"));
        let out = render_all(&diags, 2);
        assert_eq!(
            out,
            "warning: a.md: note 0\n\nwarning: a.md: note 1\n\nwarning: b.md: other\n\n\
             a.md: 1 more error and 3 more warnings not shown\n"
        );
    }
}
