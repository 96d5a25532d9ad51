//! YAML example files (`werf.yaml`, `.gitlab-ci.yml`, Helm's `values.yaml` and
//! templates), every document of a file: a tab that indents a line (YAML forbids it,
//! and editors hide it) is found first, then what the parser refuses. A templated file
//! is parsed with its actions masked ([`super::gotmpl::mask`]), where both branches of
//! an `{{ if }}` stand side by side, so a key written in both is not a duplicate there.

use serde_saphyr::options::DuplicateKeyPolicy;

/// A YAML problem: message, 1-based line and column (characters), and help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlProblem {
    pub(crate) message: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) help: Option<String>,
}

fn options(templated: bool) -> serde_saphyr::Options {
    let mut o = serde_saphyr::Options::default();
    o.leading_zero_numbers_as_strings = true;
    o.non_finite_float_policy = serde_saphyr::options::NonFiniteFloatPolicy::AsString;
    o.duplicate_keys = if templated {
        DuplicateKeyPolicy::LastWins
    } else {
        DuplicateKeyPolicy::Error
    };
    o
}

/// The first problem of `text` as YAML (`templated`: masked template text).
pub(crate) fn check(text: &str, templated: bool) -> Option<YamlProblem> {
    if let Some(p) = tab(text) {
        return Some(p);
    }
    let parsed =
        serde_saphyr::from_multiple_with_options::<serde::de::IgnoredAny>(text, options(templated));
    let e = parsed.err()?;
    let inner = e.without_snippet();
    let (line, column) = inner
        .location()
        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
    Some(YamlProblem {
        message: format!(
            "not valid YAML: {}",
            crate::util::text::without_location(&inner.to_string())
        ),
        line: line.max(1),
        column: column.max(1),
        help: None,
    })
}

/// A tab in a line's indentation, or between a `-` or `key:` and what follows.
fn tab(text: &str) -> Option<YamlProblem> {
    for (n, line) in text.lines().enumerate() {
        let lead: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t' || *c == '-')
            .collect();
        if let Some(col) = lead.find('\t') {
            if line.trim_start().starts_with('#') {
                continue;
            }
            return Some(YamlProblem {
                message: "a tab indents this line; YAML indents with spaces only".into(),
                line: n + 1,
                column: lead[..col].chars().count() + 1,
                help: Some(
                    "replace the tab with spaces (the editor's \"indent using spaces\")".into(),
                ),
            });
        }
    }
    None
}

/// Key paths of a values file.
pub(crate) type Paths = Vec<Vec<String>>;

/// What a values file defines, from one parse: every key path (`a`, `a.b`, …), and
/// the paths whose value is not a mapping (what is below those is not known). `None`
/// when the text is not YAML.
pub(crate) fn keys(text: &str) -> Option<(Paths, Paths)> {
    let v: serde_json::Value = serde_saphyr::from_str_with_options(text, options(true)).ok()?;
    let (mut keys, mut leaves) = (Vec::new(), Vec::new());
    walk(&v, &mut Vec::new(), &mut keys, &mut leaves);
    Some((keys, leaves))
}

fn walk(
    v: &serde_json::Value,
    path: &mut Vec<String>,
    keys: &mut Vec<Vec<String>>,
    leaves: &mut Vec<Vec<String>>,
) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                path.push(k.clone());
                keys.push(path.clone());
                walk(v, path, keys, leaves);
                path.pop();
            }
        }
        _ if !path.is_empty() => leaves.push(path.clone()),
        _ => {}
    }
}

/// Whether `path` is defined by `keys`: the key itself, or a key above it that holds
/// something other than a mapping (a list, a value; what is below it is not known).
pub(crate) fn defines(keys: &[Vec<String>], leaves: &[Vec<String>], path: &[String]) -> bool {
    (1..=path.len()).any(|n| {
        let head = &path[..n];
        (n == path.len() && keys.iter().any(|k| k == head)) || leaves.iter().any(|k| k == head)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_tabs_and_errors() {
        assert_eq!(check("a: 1\n---\nb: [1, 2]\n", false), None);
        let p = check("a:\n\tb: 1\n", false).expect("tab");
        assert_eq!((p.line, p.column), (2, 1));
        let p = check("a: 1\nb: [1, 2\n", false).expect("unclosed flow");
        assert!(p.message.starts_with("not valid YAML"), "{}", p.message);
        assert!(check("a: 1\na: 2\n", false).is_some());
        assert!(check("a: 1\na: 2\n", true).is_none());
    }

    #[test]
    fn keys_and_what_they_define() {
        let text = "image:\n  repo: x\nlist: [1]\nempty:\n";
        let (k, l) = keys(text).expect("yaml");
        let p = |s: &str| s.split('.').map(str::to_string).collect::<Vec<_>>();
        assert!(defines(&k, &l, &p("image.repo")));
        assert!(defines(&k, &l, &p("list.0")));
        assert!(!defines(&k, &l, &p("image.tag")));
        assert!(!defines(&k, &l, &p("missing")));
        assert!(defines(&k, &l, &p("empty.x")));
    }
}
