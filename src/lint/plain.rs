//! Data files that need no template understanding: JSON (`package.json`), TOML
//! (`pyproject.toml`) and `.env` files (`KEY=value` lines, as docker compose and
//! dotenv libraries read them).

use std::ops::Range;

/// A problem: message, where (1-based line and column in characters, or a byte span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Where {
    LineCol(usize, usize),
    Span(Range<usize>),
}

/// The first problem of `text` as JSON.
pub(crate) fn json(text: &str) -> Option<(String, Where)> {
    let e = serde_json::from_str::<serde::de::IgnoredAny>(text).err()?;
    let msg = crate::util::text::without_location(&e.to_string());
    Some((
        format!("not valid JSON: {msg}"),
        Where::LineCol(e.line().max(1), e.column().max(1)),
    ))
}

/// The first problem of `text` as TOML.
pub(crate) fn toml(text: &str) -> Option<(String, Where)> {
    let e = toml::from_str::<toml::Table>(text).err()?;
    let msg = e.message().trim().to_string();
    let at = e.span().unwrap_or(0..0);
    Some((format!("not valid TOML: {msg}"), Where::Span(at)))
}

/// The problems of `text` as a `.env` file.
pub(crate) fn env(text: &str) -> Vec<(String, Range<usize>, &'static str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let lead = line.len() - body.len();
        let body_at = start + lead;
        let decl = body.strip_prefix("export ").map_or(body, str::trim_start);
        let decl_at = body_at + (body.len() - decl.len());
        let Some(eq) = decl.find('=') else {
            out.push((
                "this line of a .env file is not `NAME=value`".to_string(),
                decl_at..decl_at + decl.len(),
                "write `NAME=value`, or start the line with `#` to keep it as a comment",
            ));
            continue;
        };
        let name = &decl[..eq];
        let good = name.chars().enumerate().all(|(i, c)| {
            c == '_' || c.is_ascii_alphabetic() || (i > 0 && (c.is_ascii_digit() || c == '.'))
        });
        if name.is_empty() || !good {
            out.push((
                format!("`{name}` is not a variable name"),
                decl_at..decl_at + eq.max(1),
                "a name is letters, digits and `_`, and does not start with a digit or hold spaces",
            ));
            continue;
        }
        let value = &decl[eq + 1..];
        if let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'')
            && !closes(&value[1..], q)
        {
            let v_at = decl_at + eq + 1;
            out.push((
                format!("the value's opening {q} is never closed on this line"),
                v_at..v_at + 1,
                "close the quote at the end of the value",
            ));
        }
    }
    out
}

/// Whether `rest` holds the closing quote `q` (a backslash escapes in `"…"`).
fn closes(rest: &str, q: char) -> bool {
    let mut escaped = false;
    for c in rest.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' && q == '"' {
            escaped = true;
        } else if c == q {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_toml() {
        assert_eq!(json("{\"a\": [1, 2]}"), None);
        let (m, w) = json("{\n  \"a\": 1,\n}").expect("trailing comma");
        assert!(m.starts_with("not valid JSON"), "{m}");
        assert_eq!(w, Where::LineCol(3, 1));
        assert_eq!(toml("a = 1\n[b]\nc = \"x\"\n"), None);
        assert!(toml("a = \n").is_some());
    }

    #[test]
    fn env_files() {
        assert!(env("# c\nA=1\nexport B=\"two words\"\nC='x'\n\nD=\n").is_empty());
        let p = env("A=1\nnot a pair\n1X=2\nQ=\"open\n");
        let m: Vec<&str> = p.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(m.len(), 3, "{m:?}");
        assert_eq!(p[0].1, 4..14);
    }
}
