//! Markdown syntax shared by the stages that read Markdown before it is rendered: the
//! one set of pulldown-cmark options (so every pass parses exactly as the renderer
//! does), code ranges, fenced-code tracking line by line, and `# Heading {#id}` lines.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The pulldown-cmark options of every Markdown pass (mdBook's `new_cmark_parser`).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Code ranges (fenced/indented blocks and inline code spans) of `text[range]`, as
/// offsets in `text`, sorted.
pub(crate) fn code_ranges(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let src = text.get(range.clone()).unwrap_or("");
    for (ev, r) in Parser::new_ext(src, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => {
                out.push(range.start + r.start..range.start + r.end)
            }
            _ => {}
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// Is `pos` inside one of the sorted, non-overlapping `ranges`?
pub(crate) fn in_ranges(ranges: &[Range<usize>], pos: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= pos);
    i > 0 && ranges[i - 1].end > pos
}

/// Fence state for line scanning: CommonMark fences (``` or ~~~, up to 3 spaces indent).
#[derive(Default)]
pub(crate) struct FenceTracker {
    open: Option<(char, usize)>,
}

impl FenceTracker {
    /// Feed one line; returns true when the line is inside a fenced block (fence lines included).
    pub(crate) fn line(&mut self, line: &str) -> bool {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let t = line[indent..].trim_end();
        let fence = if indent <= 3 {
            match t.chars().next() {
                Some(ch @ ('`' | '~')) => {
                    let n = t.chars().take_while(|x| *x == ch).count();
                    if n >= 3 { Some((ch, n, &t[n..])) } else { None }
                }
                _ => None,
            }
        } else {
            None
        };
        match (self.open, fence) {
            (None, Some((ch, n, info))) => {
                if ch == '`' && info.contains('`') {
                    return false;
                }
                self.open = Some((ch, n));
                true
            }
            (None, None) => false,
            (Some((ch, n)), Some((c2, n2, rest)))
                if c2 == ch && n2 >= n && rest.trim().is_empty() =>
            {
                self.open = None;
                true
            }
            (Some(_), _) => true,
        }
    }
}

/// A `# Heading` line (level 1 only): returns (title, explicit `{#id}`).
pub(crate) fn h1(line: &str) -> Option<(String, Option<String>)> {
    let l = line.trim_end_matches(['\n', '\r']);
    let indent = l.len() - l.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = l[indent..].strip_prefix('#')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let mut title = rest.trim();
    // Closing sequence of #s.
    let stripped = title.trim_end_matches('#');
    if stripped.len() != title.len() && (stripped.is_empty() || stripped.ends_with([' ', '\t'])) {
        title = stripped.trim_end();
    }
    let (title, id) = split_heading_id(title);
    Some((title.to_string(), id))
}

/// `Title {#id}` -> ("Title", Some("id")).
pub(crate) fn split_heading_id(t: &str) -> (&str, Option<String>) {
    if let Some(open) = t.rfind("{#")
        && t.ends_with('}')
    {
        let id = &t[open + 2..t.len() - 1];
        if !id.is_empty() && !id.contains(char::is_whitespace) {
            return (t[..open].trim_end(), Some(id.to_string()));
        }
    }
    (t, None)
}

/// The `# Title` that opens `text[body]` (blank lines before it allowed): the title and
/// the offset just after its line.
pub(crate) fn leading_h1(text: &str, body: Range<usize>) -> Option<(String, usize)> {
    let mut off = body.start;
    for line in text.get(body)?.split_inclusive('\n') {
        if line.trim().is_empty() {
            off += line.len();
            continue;
        }
        let (t, _) = h1(line)?;
        return Some((t, off + line.len()));
    }
    None
}

/// Opens a value slot's placeholder inside code (a private-use character).
const VALUE_OPEN: char = '\u{E000}';
/// Closes it.
const VALUE_CLOSE: char = '\u{E001}';

/// The placeholder that stands for value `i` inside code until the code's text is known.
/// Values go into code only after Markdown has parsed it, so a value holding a fence,
/// a backtick or a newline can never end the code it stands in.
pub(crate) fn code_value_marker(i: usize) -> String {
    format!("{VALUE_OPEN}{i}{VALUE_CLOSE}")
}

/// A value as it may go into a placeholder's place: the placeholder characters removed.
pub(crate) fn clean_code_value(v: &str) -> String {
    v.replace([VALUE_OPEN, VALUE_CLOSE], "\u{FFFD}")
}

/// `code` with every placeholder replaced by its value.
pub(crate) fn fill_code_values<'a>(code: &'a str, values: &[String]) -> std::borrow::Cow<'a, str> {
    if !code.contains(VALUE_OPEN) {
        return std::borrow::Cow::Borrowed(code);
    }
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(i) = rest.find(VALUE_OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + VALUE_OPEN.len_utf8()..];
        let value = after.find(VALUE_CLOSE).and_then(|j| {
            let n: usize = after[..j].parse().ok()?;
            Some((values.get(n)?, j))
        });
        match value {
            Some((v, j)) => {
                out.push_str(v);
                rest = &after[j + VALUE_CLOSE.len_utf8()..];
            }
            None => {
                out.push('\u{FFFD}');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn code_values_fill_in() {
        let vals = vec!["```\n<script>".to_string(), "`".to_string()];
        let code = format!("a {} b {} c", code_value_marker(0), code_value_marker(1));
        assert_eq!(fill_code_values(&code, &vals), "a ```\n<script> b ` c");
        assert_eq!(fill_code_values("plain", &vals), "plain");
        assert_eq!(clean_code_value("x\u{E000}y"), "x\u{FFFD}y");
    }

    use super::*;

    #[test]
    fn fences_and_headings() {
        let mut f = FenceTracker::default();
        let lines = ["# a", "```bash", "# b", "```", "# c"];
        let inside: Vec<bool> = lines.iter().map(|l| f.line(l)).collect();
        assert_eq!(inside, vec![false, true, true, true, false]);
        assert_eq!(h1("# Title {#t}"), Some(("Title".into(), Some("t".into()))));
        assert_eq!(h1("## Two"), None);
        assert_eq!(h1("#NoSpace"), None);
        let t = "\n# T\nbody";
        assert_eq!(leading_h1(t, 0..t.len()), Some(("T".into(), 5)));
    }

    #[test]
    fn code_ranges_cover_fences_and_spans() {
        let t = "a `b` c\n\n```\nx\n```\n";
        let r = code_ranges(t, 0..t.len());
        assert_eq!(r.len(), 2);
        assert!(in_ranges(&r, t.find('b').unwrap()));
        assert!(!in_ranges(&r, 0));
    }
}
