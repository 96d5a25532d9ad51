//! YAML frontmatter between `---` lines, parsed with serde-saphyr.
//!
//! serde-saphyr is pure Rust, maintained, and reports exact line/column for every error
//! (serde_yaml is archived). It is isolated here so a version bump touches one file.

use serde_json::{Map, Value};

use crate::diag::Diagnostic;
use crate::source::line_of;

/// A Markdown file split into frontmatter and body.
#[derive(Debug, Clone)]
pub(crate) struct Split<'a> {
    /// The YAML text (without the `---` lines), if there is frontmatter.
    pub yaml: Option<&'a str>,
    /// Byte offset of the YAML text in the file.
    pub yaml_start: usize,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// The file starts with `---` but no line closes the frontmatter: it is read as
    /// Markdown, and the author is warned.
    pub unclosed: bool,
}

/// Split `text` at its frontmatter. Frontmatter starts with a `---` first line and ends
/// at the next line that is exactly `---` (or `...`).
pub(crate) fn split(text: &str) -> Split<'_> {
    let none = Split {
        yaml: None,
        yaml_start: 0,
        body_start: 0,
        unclosed: false,
    };
    let first_end = match text.find('\n') {
        Some(i) => i,
        None => return none,
    };
    if text[..first_end].trim_end() != "---" {
        return none;
    }
    let yaml_start = first_end + 1;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return Split {
                yaml: Some(&text[yaml_start..offset]),
                yaml_start,
                body_start: offset + line.len(),
                unclosed: false,
            };
        }
        offset += line.len();
    }
    Split {
        unclosed: true,
        ..none
    }
}

/// Parse frontmatter YAML into a map. `text` is the whole file (for locating errors).
pub(crate) fn parse(
    display: &std::path::Path,
    text: &str,
    s: &Split<'_>,
) -> Result<Map<String, Value>, Diagnostic> {
    let yaml = match s.yaml {
        Some(y) => y,
        None => return Ok(Map::new()),
    };
    if yaml.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: Value = serde_saphyr::from_str_with_options(yaml, options()).map_err(|e| {
        let inner = e.without_snippet();
        let message = plain_message(&crate::util::text::without_location(&inner.to_string()));
        let d = Diagnostic::error(display, format!("invalid YAML frontmatter: {message}"));
        match inner.location() {
            Some(loc) => {
                let line_offset = line_of(text, s.yaml_start) - 1;
                d.at_line_col(
                    text,
                    loc.line() as usize + line_offset,
                    loc.column() as usize,
                )
            }
            None => d,
        }
    })?;
    match value {
        Value::Object(m) => Ok(as_written(yaml, m)),
        Value::Null => Ok(Map::new()),
        other => Err(Diagnostic::error(
            display,
            format!(
                "frontmatter must be a mapping of keys to values, found {}",
                kind(&other)
            ),
        )
        .at(text, s.yaml_start, s.yaml_start + 1)),
    }
}

/// YAML 1.2 with the compatibility the seeds need: `010` stays the text `010` (a version,
/// not the number 10), and `.inf`/`.nan` are read (as text), not refused.
fn options() -> serde_saphyr::Options {
    let mut o = serde_saphyr::Options::default();
    o.leading_zero_numbers_as_strings = true;
    o.non_finite_float_policy = serde_saphyr::options::NonFiniteFloatPolicy::AsString;
    o
}

/// Keys whose values are text to guidegen: a value YAML reads as a number or boolean
/// (`title: yes`, `title: 2024`) is taken as written.
const TEXT_KEYS: &[&str] = &["title", "description", "permalink", "examples", "extends"];

/// The texts YAML reads as the non-finite numbers (kept as text here).
const NON_FINITE: [&str; 3] = [".inf", "-.inf", ".nan"];

/// Top-level values as written where YAML's typing would change how they read: text keys
/// keep their text, a number renders as written (`3.10`, not `3.1`), and so do the YAML
/// 1.1 booleans (`on`, `yes`, `N`, `No`: not `true` and `false`) and `.inf`. Conditions
/// still read those booleans as booleans (`vars::WRITTEN_BOOL`).
fn as_written(yaml: &str, mut m: Map<String, Value>) -> Map<String, Value> {
    let retype = |(_, v): (&String, &Value)| match v {
        Value::Bool(_) | Value::Number(_) => true,
        Value::String(s) => NON_FINITE.contains(&s.as_str()),
        _ => false,
    };
    if !m.iter().any(retype) {
        return m;
    }
    type Spans = std::collections::BTreeMap<String, serde_saphyr::Spanned<serde::de::IgnoredAny>>;
    let Ok(spans) = serde_saphyr::from_str_with_options::<Spans>(yaml, options()) else {
        return m;
    };
    for (k, v) in m.iter_mut() {
        let Some(sp) = spans.get(k).map(|s| s.referenced.span()) else {
            continue;
        };
        let (Some(at), Some(len)) = (sp.byte_offset(), sp.byte_len()) else {
            continue;
        };
        let Some(raw) = yaml.get(at as usize..(at + len) as usize) else {
            continue;
        };
        let keep_text = match v {
            Value::Bool(b) => TEXT_KEYS.contains(&k.as_str()) || raw != b.to_string(),
            Value::Number(n) => TEXT_KEYS.contains(&k.as_str()) || raw != n.to_string(),
            Value::String(s) => raw != s && !raw.starts_with(['"', '\'']),
            _ => false,
        };
        if keep_text && !raw.is_empty() {
            *v = match v {
                // Still a boolean to conditions: marked (see `vars::WRITTEN_BOOL`).
                Value::Bool(_) if !TEXT_KEYS.contains(&k.as_str()) => {
                    Value::String(format!("{}{raw}", crate::vars::WRITTEN_BOOL))
                }
                _ => Value::String(raw.to_string()),
            };
        }
    }
    m
}

/// serde's wording for a key YAML reads as null or as a list, in an author's words.
fn plain_message(m: &str) -> String {
    if m.starts_with("cannot deserialize null into string") {
        "a key is empty or null (`: value` or `~: value`); every key needs a name".into()
    } else if m.starts_with("expected string scalar") {
        "a key is a list or a mapping; keys are names such as `title`".into()
    } else {
        m.to_string()
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Byte span of `key:` at the start of a frontmatter line.
pub(crate) fn find_fm_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with(key) && line[key.len()..].trim_start().starts_with(':') {
            return Some((off, off + key.len()));
        }
        off += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn splits_seed_style_frontmatter() {
        let t = "---\nlanguage: \"python\"\nis_compiled: 0\nlist:\n - pip\n---\n\n# Title\n";
        let s = split(t);
        assert_eq!(
            s.yaml,
            Some("language: \"python\"\nis_compiled: 0\nlist:\n - pip\n")
        );
        assert_eq!(&t[s.body_start..], "\n# Title\n");
        let m = parse(Path::new("a.md"), t, &s).unwrap();
        assert_eq!(m["language"], "python");
        assert_eq!(m["is_compiled"], 0);
        assert_eq!(m["list"][0], "pip");
    }

    #[test]
    fn no_frontmatter() {
        let s = split("# Hi\n---\n");
        assert!(s.yaml.is_none());
        assert_eq!(s.body_start, 0);
    }

    #[test]
    fn error_line_counts_from_file_top() {
        let t = "---\ntitle: ok\nweight: [1, 2\n---\nbody\n";
        let s = split(t);
        let e = parse(Path::new("a.md"), t, &s).unwrap_err();
        let loc = e.location.clone().unwrap();
        assert!(loc.line >= 3, "{e}");
        assert!(e.to_string().starts_with("error: a.md:"), "{e}");
    }
}
