//! The shape of `book.toml` as written (every table denies unknown keys), and TOML
//! errors turned into located diagnostics that name the key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::NotesMode;
use crate::diag::Diagnostic;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBook {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) default_language: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBuild {
    pub(super) out_dir: Option<String>,
    pub(super) notes: Option<NotesMode>,
    pub(super) search: Option<bool>,
    /// Environment variables templates may read with `get_env`.
    #[serde(default)]
    pub(super) template_env: Vec<String>,
    /// Files guidegen makes that a file of `static/` may replace.
    #[serde(default)]
    pub(super) static_replaces: Vec<String>,
    /// Where a section's page goes: `folder` (`100_basic/index.html`) or `file`
    /// (`100_basic.html`).
    pub(super) section_pages: Option<super::SectionPages>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLanguage {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) base_url: Option<String>,
    #[serde(default)]
    pub(super) variables: serde_json::Map<String, Value>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExamples {
    pub(super) repo_url: Option<String>,
    /// What `{commit}` in `repo_url` becomes when the site is not a git checkout.
    pub(super) branch: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEdit {
    pub(super) url: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPublish {
    pub(super) chrome: Option<String>,
    pub(super) ssi_head: Option<String>,
    pub(super) ssi_header: Option<String>,
    pub(super) ssi_footer: Option<String>,
    pub(super) color_scheme: Option<ColorScheme>,
    pub(super) search: Option<HostedSearch>,
    pub(super) header_height: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCheck {
    #[serde(default)]
    pub(super) allow: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawName {
    Name(String),
    PerLanguage(BTreeMap<String, String>),
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    #[serde(default)]
    pub(super) book: RawBook,
    #[serde(default)]
    pub(super) build: RawBuild,
    #[serde(default)]
    pub(super) languages: BTreeMap<String, RawLanguage>,
    #[serde(default)]
    pub(super) examples: RawExamples,
    #[serde(default)]
    pub(super) edit: RawEdit,
    #[serde(default)]
    pub(super) check: RawCheck,
    #[serde(default)]
    pub(super) publish: RawPublish,
    #[serde(default)]
    pub(super) test: super::testing::RawTest,
    #[serde(default)]
    pub(super) variables: serde_json::Map<String, Value>,
    #[serde(default)]
    pub(super) names: BTreeMap<String, RawName>,
}

/// Parse the TOML text; an error names the key (for a wrong value) or suggests checking
/// the spelling (for an unknown key).
pub(super) fn parse(text: &str) -> Result<RawConfig, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let mut message = e.message().trim().to_string();
        // A wrong value: name its key (the text before `=` on the value's line).
        if let Some(span) = e.span()
            && unknown_field(&message).is_none()
        {
            let at = span.start.min(text.len());
            let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
            if let Some((key, _)) = text[line_start..at].split_once('=') {
                let key = key.trim();
                if !key.is_empty() && !key.starts_with('[') {
                    message = format!("key '{key}': {message}");
                }
            }
        }
        if let Some(key) = unknown_field(&message) {
            return unknown_key(text, e.span(), key, &message);
        }
        let mut d = Diagnostic::error("book.toml", message.clone());
        if let Some(span) = e.span() {
            d = d.at(text, span.start, span.end);
        }
        d
    })
}

/// An unknown key, in the author's words: where, in which table, the closest known key
/// as "did you mean", and the keys the table has.
fn unknown_key(
    text: &str,
    span: Option<std::ops::Range<usize>>,
    key: &str,
    message: &str,
) -> Diagnostic {
    let expected: Vec<&str> = message
        .split_once("expected ")
        .map(|(_, rest)| rest.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    let at = span.as_ref().map_or(0, |s| s.start.min(text.len()));
    let table = text[..at]
        .lines()
        .rev()
        .find_map(|l| {
            let t = l.trim();
            (t.starts_with('[') && t.ends_with(']')).then(|| t.to_string())
        })
        .unwrap_or_else(|| "the top level".to_string());
    let mut d = Diagnostic::error("book.toml", format!("unknown key '{key}' in {table}"));
    if let Some(span) = span {
        d = d.at(text, span.start, span.end);
    }
    match crate::util::text::closest(key, expected.iter().copied()) {
        Some(s) => d.with_suggestion(s),
        None if !expected.is_empty() => {
            d.with_help(format!("the keys of {table}: {}", expected.join(", ")))
        }
        None => d.with_help(format!("remove '{key}' or check its spelling")),
    }
}

fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// Byte span of the last segment of a dotted `key` in the TOML text, best effort.
pub(super) fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let last = key.rsplit('.').next().unwrap_or(key);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if t.starts_with(last) && t[last.len()..].trim_start().starts_with(['=', ']', '.'])
            || t.starts_with(&format!("[{key}]"))
            || t.starts_with(&format!("[languages.{key}]"))
        {
            let at = offset + indent + t.find(last).unwrap_or(0);
            return Some((at, at + last.len()));
        }
        offset += line.len();
    }
    None
}

/// The colours of the pages: the reader's system setting, or always one scheme (a host
/// site that has only light pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ColorScheme {
    #[default]
    Auto,
    Light,
    Dark,
}

/// Where the guides' own search box goes on a page inside a host site, whose header
/// has a search of its own: never two boxes side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum HostedSearch {
    /// At the top of the guide's sidebar (of the content, on a page without one).
    #[default]
    Sidebar,
    /// Nowhere: the host's search is the only one.
    None,
}
