//! The readiness report: for every guide in every language, how many pages are ready,
//! have author notes, are empty or have no translation, and every finding linked to its
//! page. `guidegen check --report DIR` writes it as HTML in the site's theme: an index
//! and one page per language.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use super::{Finding, GuideReadiness, Outcome};
use crate::diag::{Code, Diagnostic, Level};
use crate::output::{Guard, Staging};
use crate::pipeline::Build;
use crate::util::html::escape;
use crate::util::url::absolute;

/// How ready every guide is, from the findings (all of them, accepted ones included).
pub(super) fn readiness(b: &Build, findings: &[Finding]) -> Vec<GuideReadiness> {
    let mut on_page: BTreeMap<&str, HashSet<Code>> = BTreeMap::new();
    for f in findings {
        for p in &f.pages {
            on_page.entry(p.as_str()).or_default().insert(f.code());
        }
    }
    let mut out = Vec::new();
    for g in &b.site.guides {
        let mut r = GuideReadiness {
            lang: g.lang.clone(),
            guide: g.name.clone(),
            title: g.title.clone(),
            url: absolute(
                b.base_urls.get(&g.lang).map(String::as_str).unwrap_or(""),
                &b.site.pages[g.landing].out,
            ),
            pages: 0,
            ready: 0,
            with_notes: 0,
            empty: 0,
            untranslated: 0,
        };
        for &id in &g.order {
            let p = &b.site.pages[id];
            let path = format!("{}/{}", p.lang, p.out);
            let codes = on_page.get(path.as_str());
            let has = |c: Code| codes.is_some_and(|s| s.contains(&c));
            let notes = b
                .page_facts()
                .get(id.index())
                .is_some_and(|f| !f.notes.is_empty());
            r.pages += 1;
            r.with_notes += usize::from(notes);
            r.empty += usize::from(has(Code::EmptyPage));
            r.untranslated += usize::from(has(Code::Untranslated));
            r.ready += usize::from(!notes && codes.is_none_or(|s| s.is_empty()));
        }
        out.push(r);
    }
    out
}

/// Write the report into `dir` (replacing a report written before).
pub(super) fn write(b: &Build, o: &Outcome, dir: &Path) -> Result<(), Diagnostic> {
    let r = b.renderer();
    let langs = b.config.language_codes();
    let default = b.config.default_language.clone();
    let guard = Guard::site(&b.config.root);
    let staging = Staging::begin(&guard, dir)?;
    for (name, bytes) in &b.theme.assets {
        staging.add(&format!("assets/{name}"), bytes)?;
    }
    let index = r.document(&default, "Readiness", &index_body(o, &langs))?;
    staging.add("index.html", index.as_bytes())?;
    for l in &langs {
        let body = language_body(o, l);
        let html = r.document(l, &format!("Readiness: {l}"), &body)?;
        staging.add(&format!("{l}.html"), html.as_bytes())?;
    }
    staging.commit()
}

fn index_body(o: &Outcome, langs: &[String]) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<p>{} errors, {} warnings, {} accepted, {} pages checked.</p><table><thead><tr><th>Language</th><th>Guides</th><th>Pages</th><th>Ready</th><th>With notes</th><th>Empty</th><th>Untranslated</th></tr></thead><tbody>",
        o.errors(),
        o.warnings(),
        o.accepted.len(),
        o.pages
    );
    for l in langs {
        let g: Vec<&GuideReadiness> = o.readiness.iter().filter(|r| &r.lang == l).collect();
        let sum = |f: fn(&GuideReadiness) -> usize| g.iter().map(|r| f(r)).sum::<usize>();
        let _ = write!(
            s,
            "<tr><td><a href=\"{l}.html\">{l}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            g.len(),
            sum(|r| r.pages),
            sum(|r| r.ready),
            sum(|r| r.with_notes),
            sum(|r| r.empty),
            sum(|r| r.untranslated)
        );
    }
    s.push_str("</tbody></table>");
    s
}

fn language_body(o: &Outcome, lang: &str) -> String {
    let mut s = String::from(
        "<table><thead><tr><th>Guide</th><th>Pages</th><th>Ready</th><th>With notes</th><th>Empty</th><th>Untranslated</th></tr></thead><tbody>",
    );
    for r in o.readiness.iter().filter(|r| r.lang == lang) {
        let _ = write!(
            s,
            "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.guide),
            escape(&r.title),
            r.pages,
            r.ready,
            r.with_notes,
            r.empty,
            r.untranslated
        );
    }
    s.push_str("</tbody></table>");
    for r in o.readiness.iter().filter(|r| r.lang == lang) {
        let _ = write!(
            s,
            "<h2 id=\"{}\"><a href=\"{}\">{}</a></h2>",
            escape(&r.guide),
            escape(&r.url),
            escape(&r.title)
        );
        let mine: Vec<&Finding> = o
            .findings
            .iter()
            .chain(&o.accepted)
            .filter(|f| {
                f.guide
                    .as_ref()
                    .is_some_and(|(l, g)| l == lang && *g == r.guide)
            })
            .collect();
        if mine.is_empty() {
            s.push_str("<p>No findings.</p>");
            continue;
        }
        s.push_str("<ul>");
        for f in mine {
            let level = match f.diag.level {
                Level::Error => "error",
                Level::Warning => "warning",
            };
            let place = match f.diag.location.as_deref() {
                Some(l) => format!("{}:{}:{}", f.diag.path.display(), l.line, l.column),
                None => f.diag.path.display().to_string(),
            };
            let pages: Vec<String> = f
                .pages
                .iter()
                .map(|p| format!("<a href=\"{}\">{}</a>", escape(&page_url(o, p)), escape(p)))
                .collect();
            let _ = write!(
                s,
                "<li><strong>{level}[{}]</strong> <code>{}</code>: {} ({})</li>",
                f.code().as_str(),
                escape(&place),
                escape(&f.diag.message),
                pages.join(", ")
            );
        }
        s.push_str("</ul>");
    }
    s
}

/// The published URL of output page `path` (`en/flask/010.html`).
fn page_url(o: &Outcome, path: &str) -> String {
    let (lang, rest) = path.split_once('/').unwrap_or(("", path));
    let base = o.base_urls.get(lang).map(String::as_str).unwrap_or("");
    absolute(base, rest)
}
