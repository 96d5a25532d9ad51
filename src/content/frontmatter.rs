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
}

/// Split `text` at its frontmatter. Frontmatter starts with a `---` first line and ends
/// at the next line that is exactly `---` (or `...`).
pub(crate) fn split(text: &str) -> Split<'_> {
    let none = Split {
        yaml: None,
        yaml_start: 0,
        body_start: 0,
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
            };
        }
        offset += line.len();
    }
    none
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
    let value: Value = serde_saphyr::from_str(yaml).map_err(|e| {
        let inner = e.without_snippet();
        let message = clean_message(&inner.to_string());
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
        Value::Object(m) => Ok(m),
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

/// serde-saphyr appends " at line X column Y"; we print the location ourselves.
fn clean_message(m: &str) -> String {
    let m = m.lines().next().unwrap_or(m).trim();
    match m.rfind(" at line ") {
        Some(i) => m[..i].trim_end_matches(',').to_string(),
        None => m.to_string(),
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
