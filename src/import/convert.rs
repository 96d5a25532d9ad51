//! One Jekyll file's Liquid turned into guidegen's Markdown: each tag into its slot
//! (`offtopic` → `<<details>>`, `include_relative` → a partial and `<<include>>`,
//! `include_file` and `snippetcut_example` → `<<example>>`, `asset` → an image beside
//! the page, `if` on page variables → `<<if>>` …), `{% raw %}` dropped around what it
//! held, and everything it cannot convert kept visible as an author note at its place
//! and listed for the report ([`super::Out`]). Text is never dropped.

use std::collections::BTreeMap;

use super::liquid::{self, Piece, Spanned};
use super::{Ctx, Out};

/// A private mark before each `{{` that came from `{% raw %}`: in prose it must not
/// read as an author note, in code it stays as it is (resolved by [`finish`]).
pub(super) const RAW_OPEN: char = '\u{E000}';
/// A private mark around a `filesused` list to decide at the end of the page.
pub(super) const FILES_MARK: char = '\u{E001}';

/// Converts the pieces of one file.
pub(super) struct Conv<'a, 'c> {
    pub(super) text: &'a str,
    pieces: Vec<Spanned<'a>>,
    i: usize,
    pub(super) ctx: &'c Ctx<'c>,
    pub(super) out: &'c mut Out,
    /// `{% assign %}` and `{% capture %}` values.
    pub(super) assigned: BTreeMap<String, String>,
    counters: BTreeMap<String, i64>,
    /// The file as the report shows it.
    pub(super) file: String,
}

/// What a run stopped at: the closing tag's name and arguments, if one.
type Stop<'a> = Option<(&'a str, &'a str)>;

impl<'a, 'c> Conv<'a, 'c> {
    /// Convert `text` from byte `start` (after its frontmatter: lines and columns stay
    /// those of the whole file).
    pub(super) fn new(
        text: &'a str,
        start: usize,
        file: String,
        ctx: &'c Ctx<'c>,
        out: &'c mut Out,
    ) -> Self {
        let start = start.min(text.len());
        let (mut pieces, problems) = liquid::lex(&text[start..]);
        for p in &mut pieces {
            p.span = p.span.start + start..p.span.end + start;
        }
        for p in problems {
            out.warn(
                &file,
                text,
                p.span.start + start..p.span.end + start,
                p.message,
            );
        }
        Conv {
            text,
            pieces,
            i: 0,
            ctx,
            out,
            assigned: BTreeMap::new(),
            counters: BTreeMap::new(),
            file,
        }
    }

    /// Convert the whole file.
    pub(super) fn all(mut self) -> String {
        let (s, stop) = self.run(&[]);
        debug_assert!(stop.is_none());
        s
    }

    /// The 1-based line of byte `at`.
    pub(super) fn line(&self, at: usize) -> usize {
        self.text[..at.min(self.text.len())].matches('\n').count() + 1
    }

    /// The bytes of the tag that starts at `at`, up to its `%}`.
    pub(super) fn tag_span(&self, at: usize) -> std::ops::Range<usize> {
        let end = self.text[at.min(self.text.len())..]
            .find("%}")
            .map_or(at + 2, |e| at + e + 2);
        at..end
    }

    /// A note to the author at `at`, listed in the report.
    pub(super) fn note(&mut self, at: usize, what: String) -> String {
        let line = self.line(at);
        self.out
            .look
            .push((format!("{}:{line}", self.file), what.clone()));
        self.out.count("left for an author (note)");
        format!(
            "{{{{Not converted from Jekyll: {}}}}}",
            what.replace("}}", "} }")
        )
    }

    /// Convert pieces until one of `stops` (a closing tag at this level).
    pub(super) fn run(&mut self, stops: &[&str]) -> (String, Stop<'a>) {
        let mut s = String::new();
        while self.i < self.pieces.len() {
            let Spanned { piece, span } = self.pieces[self.i].clone();
            self.i += 1;
            match piece {
                Piece::Text(t) => s.push_str(&mark_raw(t)),
                Piece::Output(expr) => s.push_str(&self.output(expr, span.start)),
                Piece::Tag { name, args } => {
                    if stops.contains(&name) {
                        return (s, Some((name, args)));
                    }
                    let at = span.start;
                    s.push_str(&super::tag(self, name, args, at, &self.text[span.clone()]));
                }
            }
        }
        (s, None)
    }

    /// The source text from the current piece up to the next `{% end %}` tag (for
    /// `comment` and `plantuml`, whose insides are not Liquid), consuming it.
    pub(super) fn until(&mut self, end: &str) -> Option<&'a str> {
        let start = self
            .pieces
            .get(self.i)
            .map_or(self.text.len(), |p| p.span.start);
        while self.i < self.pieces.len() {
            let p = self.pieces[self.i].clone();
            self.i += 1;
            if matches!(p.piece, Piece::Tag { name, .. } if name == end) {
                return Some(&self.text[start..p.span.start]);
            }
        }
        None
    }

    /// `{% comment %}` → an HTML comment (hidden, as Jekyll hid it).
    pub(super) fn comment(&mut self, at: usize, source: &str) -> String {
        match self.until("endcomment") {
            Some(body) => {
                self.out.count("comment → HTML comment");
                format!("<!--{}-->", body.replace("--", "- -"))
            }
            None => self.unclosed(at, "comment", source),
        }
    }

    /// `{% capture x %}…{% endcapture %}`: its text kept for `{{ x }}`.
    pub(super) fn capture(&mut self, args: &str, at: usize, source: &str) -> String {
        let var = args.trim().to_string();
        let (body, stop) = self.run(&["endcapture"]);
        if stop.is_none() {
            return self.unclosed(at, "capture", source) + &body;
        }
        self.out.count("capture (evaluated)");
        self.assigned.insert(var, body);
        String::new()
    }

    /// `{% increment x %}`: 0, 1, 2… as Liquid counts.
    pub(super) fn increment(&mut self, args: &str) -> String {
        let n = self.counters.entry(args.trim().to_string()).or_insert(0);
        let v = *n;
        *n += 1;
        self.out.count("increment (evaluated)");
        v.to_string()
    }

    /// `{% for %}`: its body once, with a note.
    pub(super) fn for_loop(&mut self, at: usize, source: &str) -> String {
        let (body, stop) = self.run(&["endfor"]);
        let n = self.note(at, format!("a `{{% for %}}` loop, kept once: `{source}`"));
        let end = if stop.is_some() {
            ""
        } else {
            "\n(the loop is never closed)"
        };
        format!("{n}{body}{end}")
    }

    pub(super) fn unclosed(&mut self, at: usize, name: &str, source: &str) -> String {
        let msg = format!("`{{% {name} %}}` is never closed");
        self.out
            .warn(&self.file, self.text, at..at + source.len(), msg);
        self.note(at, format!("`{source}`, never closed"))
    }

    pub(super) fn assign(&mut self, args: &str, at: usize, source: &str) -> String {
        let Some((var, expr)) = args.split_once('=') else {
            return self.note(at, format!("`{source}`"));
        };
        match self.eval_with(expr.trim(), true) {
            Some(v) => {
                self.out.count("assign (evaluated)");
                self.assigned.insert(var.trim().to_string(), v);
                String::new()
            }
            None => self.note(
                at,
                format!("`{source}`: its value is not known before the page is built"),
            ),
        }
    }
}

/// Text as it goes into the page: `{{` marked (see [`RAW_OPEN`]), and `<<` that would
/// read as a slot escaped.
fn mark_raw(t: &str) -> String {
    let t = escape_slots(t);
    t.replace("{{", &format!("{RAW_OPEN}{{{{"))
}

/// `<<word` written in the source is text, not a slot: escaped as `\<<`.
fn escape_slots(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let b = t.as_bytes();
    let mut i = 0;
    while i < t.len() {
        if t[i..].starts_with("<<")
            && b.get(i + 2)
                .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'<')
            && (i == 0 || b[i - 1] != b'\\')
        {
            let line_end = t[i..].find('\n').map_or(t.len(), |n| i + n);
            if t[i + 2..line_end].contains(">>") {
                out.push('\\');
            }
        }
        let c = t[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The page's text once converted: the raw `{{` marks resolved (escaped in prose, as
/// they were in code).
pub(super) fn finish(text: &str) -> String {
    let code = crate::syntax::markdown::code_ranges(text, 0..text.len());
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if c == RAW_OPEN {
            if !crate::syntax::markdown::in_ranges(&code, i) {
                out.push('\\');
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_in_text_are_escaped_and_raw_braces_resolved() {
        assert_eq!(
            escape_slots("cat <<EOF\n<<x>> a << b"),
            "cat <<EOF\n\\<<x>> a << b"
        );
        let t = mark_raw("{{ .Values.x }} and `{{ y }}`\n```\n{{ z }}\n```\n");
        assert_eq!(
            finish(&t),
            "\\{{ .Values.x }} and `{{ y }}`\n```\n{{ z }}\n```\n"
        );
    }
}
