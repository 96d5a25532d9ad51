//! How `check` prints what it found: text for people (the source line and a caret, as
//! build errors; colours only on a terminal), one JSON document for programs (schema
//! `docs/check-schema.json`, version in `schema`), or GitHub Actions annotations.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{CannotCheck, Finding, Outcome};
use crate::diag::Level;

/// The JSON document's schema version.
pub(super) const SCHEMA: &str = "guidegen-check/1";

/// An output format of `guidegen check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Diagnostics with the source line and a caret, and a summary.
    Text,
    /// One JSON document.
    Json,
    /// `::error file=...,line=...::message` lines for GitHub Actions.
    Github,
}

/// The outcome in `format`; `color` adds terminal colours to text.
pub(super) fn render(o: &Outcome, format: Format, color: bool) -> String {
    match format {
        Format::Text => text(o, color),
        Format::Json => serde_json::to_string_pretty(&json(o)).unwrap_or_default() + "\n",
        Format::Github => github(o),
    }
}

/// A check that could not run, in `format`.
pub(crate) fn render_cannot(e: &CannotCheck, format: Format) -> String {
    match format {
        Format::Json => {
            let doc = json!({
                "schema": SCHEMA,
                "ok": false,
                "error": e.0.message,
                "findings": [],
                "external": [],
                "summary": {"errors": 0, "warnings": 0, "accepted": 0, "pages": 0, "by_code": {}},
            });
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        Format::Github => format!("::error::{}\n", escape_data(&e.0.message)),
        Format::Text => format!("{}\n", e.0),
    }
}

fn level_word(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
    }
}

fn text(o: &Outcome, color: bool) -> String {
    let mut s = findings_text(&o.findings, color);
    if !o.external.is_empty() {
        let _ = writeln!(s, "External links (not fetched):");
        for e in &o.external {
            let place = e.first.path.display().to_string();
            let _ = writeln!(s, "  {} ({}x, first in {place})", e.url, e.count);
        }
        s.push('\n');
    }
    s.push_str(&summary(o));
    s
}

/// Findings as text: `error[code]: path:line:col: message`, the source line and caret.
pub(crate) fn findings_text(list: &[Finding], color: bool) -> String {
    let mut s = String::new();
    for f in list {
        let shown = f.diag.to_string();
        // `error: path...` becomes `error[code]: path...`.
        let word = level_word(f.diag.level);
        let tag = format!("{word}[{}]", f.code().as_str());
        let painted = if color {
            let c = if f.diag.level == Level::Error {
                "1;31"
            } else {
                "1;33"
            };
            format!("\x1b[{c}m{tag}\x1b[0m")
        } else {
            tag
        };
        let body = shown.strip_prefix(word).unwrap_or(&shown);
        let _ = write!(s, "{painted}{body}");
        if f.pages.len() > 1 {
            let _ = write!(
                s,
                "\n  = on {} pages: {}",
                f.pages.len(),
                f.pages.join(", ")
            );
        }
        s.push_str(if f.diag.snippet { "\n\n" } else { "\n" });
    }
    s
}

/// `check: 2 errors, 5 warnings in 120 pages (broken-link 2, author-note 5)`.
fn summary(o: &Outcome) -> String {
    let counts = by_code(&o.findings);
    let codes: Vec<String> = counts.iter().map(|(c, n)| format!("{c} {n}")).collect();
    let mut s = format!(
        "check: {} error{}, {} warning{}; {} pages",
        o.errors(),
        if o.errors() == 1 { "" } else { "s" },
        o.warnings(),
        if o.warnings() == 1 { "" } else { "s" },
        o.pages
    );
    if !codes.is_empty() {
        let _ = write!(s, " ({})", codes.join(", "));
    }
    if !o.accepted.is_empty() {
        let _ = write!(s, "; {} accepted by [check] allow", o.accepted.len());
    }
    let _ = writeln!(s, "; checked in {:.2} s", o.elapsed.as_secs_f64());
    s
}

pub(crate) fn by_code(list: &[Finding]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for f in list {
        *m.entry(f.code().as_str()).or_insert(0) += 1;
    }
    m
}

pub(crate) fn finding_json(f: &Finding) -> Value {
    let loc = f.diag.location.as_deref();
    json!({
        "code": f.code().as_str(),
        "level": level_word(f.diag.level),
        "message": f.diag.message,
        "path": path_or_null(&f.diag.path),
        "line": loc.map(|l| l.line),
        "column": loc.map(|l| l.column),
        "source_line": loc.map(|l| l.source_line.clone()),
        "suggestion": f.diag.suggestion,
        "help": f.diag.help,
        "notes": f.diag.notes,
        "pages": f.pages,
        "language": f.guide.as_ref().map(|g| g.0.clone()),
        "guide": f.guide.as_ref().map(|g| g.1.clone()),
    })
}

fn path_or_null(p: &std::path::Path) -> Value {
    if p.as_os_str().is_empty() {
        Value::Null
    } else {
        Value::String(p.display().to_string().replace('\\', "/"))
    }
}

/// `{"code": count}` of `list`, for the JSON summaries.
pub(crate) fn codes_json(list: &[Finding]) -> serde_json::Map<String, Value> {
    by_code(list)
        .into_iter()
        .map(|(c, n)| (c.to_string(), json!(n)))
        .collect()
}

fn json(o: &Outcome) -> Value {
    let codes = codes_json(&o.findings);
    json!({
        "schema": SCHEMA,
        "ok": o.errors() == 0,
        "findings": o.findings.iter().map(finding_json).collect::<Vec<_>>(),
        "accepted": o.accepted.iter().map(finding_json).collect::<Vec<_>>(),
        "external": o.external.iter().map(|e| {
            let loc = e.first.location.as_deref();
            json!({
                "url": e.url,
                "count": e.count,
                "path": path_or_null(&e.first.path),
                "line": loc.map(|l| l.line),
                "column": loc.map(|l| l.column),
            })
        }).collect::<Vec<_>>(),
        "summary": {
            "errors": o.errors(),
            "warnings": o.warnings(),
            "accepted": o.accepted.len(),
            "pages": o.pages,
            "by_code": codes,
        },
    })
}

/// GitHub's workflow-command escaping of a message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// ... and of a property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github(o: &Outcome) -> String {
    let mut s = github_findings(&o.findings);
    s.push_str(&summary(o));
    s
}

/// Findings as GitHub Actions annotations, one line each.
pub(crate) fn github_findings(list: &[Finding]) -> String {
    let mut s = String::new();
    for f in list {
        let mut props = Vec::new();
        if !f.diag.path.as_os_str().is_empty() {
            props.push(format!(
                "file={}",
                escape_property(&f.diag.path.display().to_string())
            ));
        }
        if let Some(l) = f.diag.location.as_deref() {
            props.push(format!("line={}", l.line));
            props.push(format!("col={}", l.column));
        }
        props.push(format!("title={}", escape_property(f.code().as_str())));
        let mut msg = f.diag.message.clone();
        if let Some(sg) = &f.diag.suggestion {
            let _ = write!(msg, " (did you mean '{sg}'?)");
        }
        for h in &f.diag.help {
            let _ = write!(msg, "\nhelp: {h}");
        }
        let _ = writeln!(
            s,
            "::{} {}::{}",
            level_word(f.diag.level),
            props.join(","),
            escape_data(&msg)
        );
    }
    s
}
