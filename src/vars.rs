//! Variables (spec section 3): deep merging by precedence, dotted lookup with the
//! built-in aliases, the names a page can use (for suggestions), and value slots
//! `<<name|filter>>` turned into text with display names.
//!
//! `content` needs value slots for single-file chapter slugs and `slots` needs the
//! lookup rules; both sit above this module, so neither imports the other for it.

use serde_json::{Map, Value};

use crate::config::Config;
use crate::diag::{Code, Problem};
use crate::syntax::slot::{self, KEYWORDS, Slot, Token};
use crate::util::text::closest;

/// Built-in aliases for the seed's `*_chosen` convention (spec section 3).
pub(crate) const ALIASES: &[(&str, &str)] = &[
    ("package_manager", "package_managers_chosen"),
    ("unit_tests", "unit_tests_chosen"),
    ("assets_generator", "assets_generator_chosen"),
];

/// Filters of value slots.
pub(crate) const FILTERS: &[&str] = &["raw", "upper", "lower", "capitalize"];

/// Look a dotted name up in a variable map, with aliases.
pub(crate) fn lookup<'a>(vars: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    let mut parts = name.split('.');
    let first = parts.next()?;
    let mut v = match vars.get(first) {
        Some(v) => v,
        None => {
            let target = ALIASES.iter().find(|(a, _)| *a == first)?.1;
            vars.get(target)?
        }
    };
    for p in parts {
        v = match v {
            Value::Object(m) => m.get(p)?,
            Value::Array(a) => a.get(p.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

/// The page's examples folder under `examples/` (its `examples:` variable), without slashes.
pub(crate) fn examples_dir(vars: &Map<String, Value>) -> String {
    match lookup(vars, "examples") {
        Some(Value::String(s)) => s.trim_matches('/').to_string(),
        _ => String::new(),
    }
}

/// Every name a page can use (for "did you mean").
pub(crate) fn known_names(vars: &Map<String, Value>) -> Vec<String> {
    fn walk(prefix: &str, v: &Map<String, Value>, out: &mut Vec<String>) {
        for (k, val) in v {
            let name = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if let Value::Object(m) = val {
                walk(&name, m, out);
            }
            out.push(name);
        }
    }
    let mut out = Vec::new();
    walk("", vars, &mut out);
    for (a, t) in ALIASES {
        if vars.contains_key(*t) {
            out.push(a.to_string());
        }
    }
    out
}

/// Deep-merge `over` into `base` (maps merge key by key; anything else replaces).
pub(crate) fn merge(base: &mut Map<String, Value>, over: &Map<String, Value>) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => merge(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// A string (or number) variable as text.
pub(crate) fn str_var(m: &Map<String, Value>, k: &str) -> Option<String> {
    match m.get(k)? {
        Value::String(s) => Some(text(s).to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Is the variable `k` true: the boolean, or a boolean written another way
/// ([`written_bool`])?
pub(crate) fn bool_var(m: &Map<String, Value>, k: &str) -> bool {
    match m.get(k) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => written_bool(s) == Some(true),
        _ => false,
    }
}

/// The mark of a YAML boolean written another way than `true`/`false` (unquoted `on`,
/// `yes`, `N`, `No`, `True`): frontmatter keeps it as this mark and the text as written,
/// so that it renders as written and is still a boolean in conditions. A quoted `"no"`
/// is plain text (true in a condition, as every non-empty text). No author text holds
/// the mark: NUL bytes of a file are read as U+FFFD.
pub(crate) const WRITTEN_BOOL: char = '\u{0}';

/// The boolean of a value [`WRITTEN_BOOL`] marks, if `s` is one.
pub(crate) fn written_bool(s: &str) -> Option<bool> {
    match s
        .strip_prefix(WRITTEN_BOOL)?
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "true" | "yes" | "on" | "y" => Some(true),
        "false" | "no" | "off" | "n" => Some(false),
        _ => None,
    }
}

/// A text value as written (without the mark of [`WRITTEN_BOOL`]).
pub(crate) fn text(s: &str) -> &str {
    s.strip_prefix(WRITTEN_BOOL).unwrap_or(s)
}

/// Resolve value slots in a one-line string (titles, descriptions): plain text out.
/// A problem's span is in `s`.
pub(crate) fn expand_inline(
    config: &Config,
    lang: &str,
    vars: &Map<String, Value>,
    s: &str,
) -> Result<String, Problem> {
    let mut out = String::new();
    for t in slot::lex(s) {
        match t {
            Token::Text(r) => out.push_str(&s[r]),
            Token::Escape(_) => out.push_str("<<"),
            Token::Slot(slot) => {
                if KEYWORDS.contains(&slot.name.as_str()) {
                    return Err(Problem::new(format!(
                        "<<{}>> cannot be used here; only values like <<framework>>",
                        slot.name
                    ))
                    .at(slot.span));
                }
                out.push_str(&value_of(config, lang, vars, &slot)?);
            }
        }
    }
    Ok(out)
}

/// The text of a value slot: lookup, display name, filters. A problem's span is the
/// culprit (the slot, or its filter).
pub(crate) fn value_of(
    config: &Config,
    lang: &str,
    vars: &Map<String, Value>,
    slot: &Slot,
) -> Result<String, Problem> {
    let v = match lookup(vars, &slot.name) {
        Some(v) => v,
        None => {
            let names = known_names(vars);
            return Err(Problem::new(format!("unknown variable '{}'", slot.name))
                .at(slot.span.clone())
                .with_code(Code::UnknownVariable)
                .suggest(closest(&slot.name, names.iter().map(String::as_str))));
        }
    };
    let raw = match v {
        Value::String(s) => text(s).to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        Value::Array(a) => a
            .iter()
            .map(|x| match x {
                Value::String(s) => config.display_name(lang, s).to_string(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(_) => {
            return Err(Problem::new(format!(
                "variable '{}' is a mapping, not a value",
                slot.name
            ))
            .at(slot.span.clone())
            .help("name one of its keys, e.g. <<name.key>>"));
        }
    };
    let raw_filter = slot.filters.iter().any(|f| f.0 == "raw");
    let mut s = if raw_filter || !matches!(v, Value::String(_)) {
        raw
    } else {
        config.display_name(lang, &raw).to_string()
    };
    for (f, span) in &slot.filters {
        s = match f.as_str() {
            "raw" => s,
            "upper" => s.to_uppercase(),
            "lower" => s.to_lowercase(),
            "capitalize" => {
                let mut c = s.chars();
                match c.next() {
                    Some(first) => first.to_uppercase().chain(c).collect(),
                    None => s,
                }
            }
            other => {
                return Err(Problem::new(format!("unknown filter '{other}'"))
                    .at(span.clone())
                    .suggest(closest(other, FILTERS.iter().copied()))
                    .help_unless_suggested(format!("filters: {}", FILTERS.join(", "))));
            }
        };
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_dotted_and_aliases() {
        let v: Map<String, Value> = serde_json::from_str(
            r#"{"package_managers_chosen":"pip","a":{"b":"c"},"unit_tests":"x","unit_tests_chosen":"y"}"#,
        )
        .unwrap();
        assert_eq!(lookup(&v, "package_manager").unwrap(), "pip");
        assert_eq!(lookup(&v, "a.b").unwrap(), "c");
        assert_eq!(lookup(&v, "unit_tests").unwrap(), "x");
        assert!(lookup(&v, "a.z").is_none());
    }

    #[test]
    fn merge_precedence_later_wins() {
        let mut base: Map<String, Value> =
            serde_json::from_str(r#"{"a":1,"m":{"x":1,"y":1}}"#).unwrap();
        let over: Map<String, Value> = serde_json::from_str(r#"{"a":2,"m":{"y":2}}"#).unwrap();
        merge(&mut base, &over);
        assert_eq!(base["a"], 2);
        assert_eq!(base["m"]["x"], 1);
        assert_eq!(base["m"]["y"], 2);
    }
}
