//! The slot grammar (spec section 5): `<<` NAME [ARGS] `>>` on one line. Tokenising
//! only: what a slot means is decided by `vars` (values) and `slots` (blocks).
//!
//! NAME is `[a-z][a-z0-9_]*(\.[a-z0-9_]+)*`, optionally followed by `|filter`s; there is no
//! space right after `<<` and none right before `>>`. Anything else containing `<<` (shell
//! heredocs, C++ shifts) is text. `\<<` is a literal `<<`.

use std::ops::Range;

/// Slot names with a meaning of their own; every other name is a variable.
pub(crate) const KEYWORDS: &[&str] = &[
    "if", "else", "end", "include", "example", "files", "tree", "details", "tabs", "tab", "diff",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Arg {
    /// A quoted string: `"werf.yaml"`.
    Str(String),
    /// `key="value"`.
    Named(String, String),
    /// A bare word (conditions: `not`, `key`, `==`).
    Word(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    /// Byte span of the whole slot, `<<` to `>>`, in the scanned text.
    pub span: Range<usize>,
    pub name: String,
    pub filters: Vec<(String, Range<usize>)>,
    pub args: Vec<(Arg, Range<usize>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    Text(Range<usize>),
    /// `\<<`: the span covers the backslash and both `<`.
    Escape(Range<usize>),
    Slot(Slot),
}

/// Split `text` into text, escapes and slots. Never fails: what is not a slot is text.
pub(crate) fn lex(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while let Some(rel) = find_open(&b[i..]) {
        let at = i + rel;
        if at > 0 && b[at - 1] == b'\\' {
            if at - 1 > text_start {
                out.push(Token::Text(text_start..at - 1));
            }
            out.push(Token::Escape(at - 1..at + 2));
            i = at + 2;
            text_start = i;
            continue;
        }
        match parse_slot(text, at) {
            Some(slot) => {
                if at > text_start {
                    out.push(Token::Text(text_start..at));
                }
                i = slot.span.end;
                text_start = i;
                out.push(Token::Slot(slot));
            }
            None => i = at + 1,
        }
    }
    if text_start < text.len() {
        out.push(Token::Text(text_start..text.len()));
    }
    out
}

/// Position of the next `<<` (a pair of bytes, unlike memchr's `memchr2`).
fn find_open(b: &[u8]) -> Option<usize> {
    b.windows(2).position(|w| w == b"<<")
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_lowercase()
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_'
}

/// Parse a name `[a-z][a-z0-9_]*(\.[a-z0-9_]+)*` at `i`; returns its end.
fn name_end(b: &[u8], i: usize) -> Option<usize> {
    if i >= b.len() || !is_name_start(b[i]) {
        return None;
    }
    let mut j = i + 1;
    while j < b.len() && is_name_char(b[j]) {
        j += 1;
    }
    while j + 1 < b.len() && b[j] == b'.' && is_name_char(b[j + 1]) {
        j += 1;
        while j < b.len() && is_name_char(b[j]) {
            j += 1;
        }
    }
    Some(j)
}

fn parse_slot(text: &str, at: usize) -> Option<Slot> {
    let b = text.as_bytes();
    // A third `<` (`<<<`) is text: the slot would start one later.
    let start = at + 2;
    let end_name = name_end(b, start)?;
    let name = text[start..end_name].to_string();
    let mut j = end_name;
    let mut filters = Vec::new();
    while j < b.len() && b[j] == b'|' {
        let fs = j + 1;
        let fe = name_end(b, fs)?;
        if text[fs..fe].contains('.') {
            return None;
        }
        filters.push((text[fs..fe].to_string(), fs..fe));
        j = fe;
    }
    let mut args = Vec::new();
    if b.get(j) == Some(&b' ') {
        if !filters.is_empty() {
            return None;
        }
        // Arguments up to `>>` on this line; quotes may hold `>>`.
        loop {
            while b.get(j) == Some(&b' ') || b.get(j) == Some(&b'\t') {
                j += 1;
            }
            match b.get(j) {
                None | Some(b'\n') | Some(b'\r') => return None,
                Some(b'>') if b.get(j + 1) == Some(&b'>') => {
                    // A space right before `>>` is not a slot.
                    if b[j - 1] == b' ' || b[j - 1] == b'\t' {
                        return None;
                    }
                    break;
                }
                Some(b'"') => {
                    let (s, e) = quoted(text, j)?;
                    args.push((Arg::Str(s), j..e));
                    j = e;
                }
                Some(_) if b[j..].starts_with(b"==") || b[j..].starts_with(b"!=") => {
                    args.push((Arg::Word(text[j..j + 2].to_string()), j..j + 2));
                    j += 2;
                }
                Some(_) => {
                    let ws = j;
                    let word_end = |j: usize| {
                        j >= b.len()
                            || matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'=')
                            || b[j..].starts_with(b"!=")
                            || b[j..].starts_with(b">>")
                    };
                    while !word_end(j) {
                        j += 1;
                    }
                    if b.get(j) == Some(&b'=') && b.get(j + 1) != Some(&b'=') && j > ws {
                        let key = text[ws..j].to_string();
                        if b.get(j + 1) != Some(&b'"') {
                            return None;
                        }
                        let (s, e) = quoted(text, j + 1)?;
                        args.push((Arg::Named(key, s), ws..e));
                        j = e;
                    } else if j > ws {
                        args.push((Arg::Word(text[ws..j].to_string()), ws..j));
                    } else {
                        return None;
                    }
                }
            }
        }
    }
    if b.get(j) == Some(&b'>') && b.get(j + 1) == Some(&b'>') {
        Some(Slot {
            span: at..j + 2,
            name,
            filters,
            args,
        })
    } else {
        None
    }
}

/// A `"..."` string at `i` with `\"` and `\\` escapes, on one line.
fn quoted(text: &str, i: usize) -> Option<(String, usize)> {
    let mut s = String::new();
    let mut chars = text[i + 1..].char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            '"' => return Some((s, i + 1 + k + 1)),
            '\n' | '\r' => return None,
            '\\' => match chars.next() {
                Some((_, n @ ('"' | '\\'))) => s.push(n),
                Some((_, n)) => {
                    s.push('\\');
                    s.push(n);
                }
                None => return None,
            },
            c => s.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(t: &str) -> Vec<String> {
        lex(t)
            .into_iter()
            .filter_map(|x| match x {
                Token::Slot(s) => Some(t[s.span].to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn value_slots_and_filters() {
        assert_eq!(slots("a <<framework>> b"), vec!["<<framework>>"]);
        assert_eq!(slots("<<framework|raw>>"), vec!["<<framework|raw>>"]);
        assert_eq!(
            slots("<<a.b_c.d|upper|lower>>"),
            vec!["<<a.b_c.d|upper|lower>>"]
        );
        assert_eq!(slots("<<x>><<y>>"), vec!["<<x>>", "<<y>>"]);
    }

    #[test]
    fn heredocs_and_shifts_are_text() {
        for t in [
            "cat <<EOF\nhi\nEOF",
            "cat <<-EOF",
            "std::cout << x << y;",
            "a <<b",
            "<< framework>>",
            "<<framework >>",
            "<<Framework>>",
            "<<1x>>",
            "<<x.>>",
            "<<x\n>>",
            "<<if x\n>>",
            "<<>>",
            "<<x|>>",
            "<<x|raw >>",
        ] {
            assert!(slots(t).is_empty(), "{t:?} should be text");
        }
    }

    #[test]
    fn escape_is_literal() {
        let t = r"\<<framework>> and <<x>>";
        let toks = lex(t);
        assert_eq!(toks[0], Token::Escape(0..3));
        assert_eq!(slots(t), vec!["<<x>>"]);
    }

    #[test]
    fn args_are_parsed() {
        let t =
            r#"<<example ".helm/templates/deployment.yaml" snippet="app-command" title="a >> b">>"#;
        let toks = lex(t);
        let Token::Slot(s) = &toks[0] else { panic!() };
        assert_eq!(s.name, "example");
        assert_eq!(
            s.args[0].0,
            Arg::Str(".helm/templates/deployment.yaml".into())
        );
        assert_eq!(
            s.args[1].0,
            Arg::Named("snippet".into(), "app-command".into())
        );
        assert_eq!(s.args[2].0, Arg::Named("title".into(), "a >> b".into()));
        let t = r#"<<if framework == "flask">>"#;
        let Token::Slot(s) = &lex(t)[0] else { panic!() };
        assert_eq!(
            s.args.iter().map(|a| a.0.clone()).collect::<Vec<_>>(),
            vec![
                Arg::Word("framework".into()),
                Arg::Word("==".into()),
                Arg::Str("flask".into())
            ]
        );
        let t = r#"<<if not is_compiled>>"#;
        let Token::Slot(s) = &lex(t)[0] else { panic!() };
        assert_eq!(s.args.len(), 2);
    }

    #[test]
    fn non_ascii_around_slots() {
        let t = "Привет, <<framework>>! Ёлка<<x>>щ";
        assert_eq!(slots(t), vec!["<<framework>>", "<<x>>"]);
        let total: usize = lex(t)
            .iter()
            .map(|tok| match tok {
                Token::Text(r) | Token::Escape(r) => r.len(),
                Token::Slot(s) => s.span.len(),
            })
            .sum();
        assert_eq!(total, t.len());
    }

    #[test]
    fn slots_at_line_start_and_end_and_unterminated() {
        assert_eq!(slots("<<a>>\ntext <<b>>\n"), vec!["<<a>>", "<<b>>"]);
        assert!(slots("text <<unterminated").is_empty());
        assert!(slots("<<x").is_empty());
        assert!(slots("<<").is_empty());
        assert_eq!(slots("<<<x>>"), vec!["<<x>>"]);
    }
}
