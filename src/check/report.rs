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
    for g in &b.model.site.guides {
        let mut r = GuideReadiness {
            lang: g.lang.clone(),
            guide: g.name.clone(),
            title: g.title.clone(),
            url: absolute(
                b.model
                    .base_urls
                    .get(&g.lang)
                    .map(String::as_str)
                    .unwrap_or(""),
                &b.model.site.pages[g.landing].out,
            ),
            pages: 0,
            ready: 0,
            with_notes: 0,
            empty: 0,
            untranslated: 0,
        };
        for &id in &g.order {
            let p = &b.model.site.pages[id];
            let path = format!("{}/{}", p.lang, p.out);
            let codes = on_page.get(path.as_str());
            let has = |c: Code| codes.is_some_and(|s| s.contains(&c));
            let notes = b.facts(id).is_some_and(|f| !f.notes.is_empty());
            r.pages += 1;
            r.with_notes += usize::from(notes);
            r.empty += usize::from(has(Code::EmptyPage));
            r.untranslated += usize::from(has(Code::Untranslated));
            // Ready in its own language: a translation missing elsewhere is counted apart.
            let own = |s: &HashSet<Code>| s.iter().all(|c| *c == Code::Untranslated);
            r.ready += usize::from(!notes && codes.is_none_or(own));
        }
        out.push(r);
    }
    out
}

/// Write the report into `dir` (replacing a report written before): an index in the
/// default language, and one page per language in that language.
pub(super) fn write(b: &Build, o: &Outcome, dir: &Path) -> Result<(), Diagnostic> {
    let r = b.model.renderer();
    let langs = b.model.config.language_codes();
    let default = b.model.config.default_language.clone();
    let guard = Guard::site(&b.model.config.root);
    let staging = Staging::begin(&guard, dir)?;
    for (name, bytes) in &b.model.theme.assets {
        staging.add(&format!("assets/{name}"), bytes)?;
    }
    let t = Words(b.model.theme.strings(&default));
    let index = r.document(&default, t.get("report_title"), &index_body(o, &langs, &t))?;
    staging.add("index.html", index.as_bytes())?;
    for l in &langs {
        let t = Words(b.model.theme.strings(l));
        let body = language_body(o, l, &t);
        let title = format!("{}: {}", t.get("report_title"), t.get("language_name"));
        let html = r.document(l, &title, &body)?;
        staging.add(&format!("{l}.html"), html.as_bytes())?;
    }
    staging.commit()
}

/// The theme's UI strings of one language.
struct Words<'a>(&'a crate::theme::Strings);

impl Words<'_> {
    fn get<'k>(&'k self, key: &'k str) -> &'k str {
        self.0.get(key).map_or(key, String::as_str)
    }
}

/// Does finding `f` belong on the page of `lang` (its guide's language, or a source file
/// under `content/<lang>/`)?
fn of_language(f: &Finding, lang: &str) -> bool {
    match &f.guide {
        Some((l, _)) => l == lang,
        None => f.diag.path.starts_with(Path::new("content").join(lang)),
    }
}

fn index_body(o: &Outcome, langs: &[String], t: &Words<'_>) -> String {
    let summary = t
        .get("report_summary")
        .replace("{errors}", &o.errors().to_string())
        .replace("{warnings}", &o.warnings().to_string())
        .replace("{accepted}", &o.accepted.len().to_string())
        .replace("{pages}", &o.pages.to_string());
    let mut s = format!("<p>{}</p>", escape(&summary));
    s.push_str(&head(
        t,
        &[
            "report_language",
            "report_guides",
            "report_pages",
            "report_ready",
            "report_with_notes",
            "report_empty",
            "report_untranslated",
        ],
    ));
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
    let _ = write!(s, "<p>{}</p>", escape(t.get("report_ready_means")));
    // What belongs to no language: example files, book.toml, the theme.
    let rest: Vec<&Finding> = all(o)
        .filter(|f| !langs.iter().any(|l| of_language(f, l)))
        .collect();
    if !rest.is_empty() {
        let _ = write!(
            s,
            "<h2 id=\"outside\">{}</h2>",
            escape(t.get("report_outside"))
        );
        s.push_str(&items(o, &rest, t));
    }
    s
}

/// Every finding, the accepted ones included.
fn all(o: &Outcome) -> impl Iterator<Item = &Finding> {
    o.findings.iter().chain(&o.accepted)
}

fn language_body(o: &Outcome, lang: &str, t: &Words<'_>) -> String {
    let mut s = head(
        t,
        &[
            "report_guide",
            "report_pages",
            "report_ready",
            "report_with_notes",
            "report_empty",
            "report_untranslated",
        ],
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
        s.push_str(&steps_table(o, lang, &r.guide, t));
        let mine: Vec<&Finding> = all(o)
            .filter(|f| {
                f.guide
                    .as_ref()
                    .is_some_and(|(l, g)| l == lang && *g == r.guide)
            })
            .collect();
        if mine.is_empty() {
            let _ = write!(s, "<p>{}</p>", escape(t.get("report_no_findings")));
        } else {
            s.push_str(&items(o, &mine, t));
        }
    }
    // Findings of this language's sources that no guide holds (skeleton chapters,
    // partials, pages outside guides).
    let rest: Vec<&Finding> = all(o)
        .filter(|f| f.guide.is_none() && of_language(f, lang))
        .collect();
    if !rest.is_empty() {
        let _ = write!(
            s,
            "<h2 id=\"outside\">{}</h2>",
            escape(t.get("report_outside"))
        );
        s.push_str(&items(o, &rest, t));
    }
    s
}

/// The example steps a guide shows, whether `guidegen test` checked and tested them,
/// when, and how it went.
fn steps_table(o: &Outcome, lang: &str, guide: &str, t: &Words<'_>) -> String {
    let mine: Vec<&super::StepState> = o
        .steps
        .iter()
        .filter(|st| st.guides.iter().any(|(l, g)| l == lang && g == guide))
        .collect();
    if mine.is_empty() {
        return String::new();
    }
    let mut s = head(t, &["report_step", "report_test", "report_tested_at"]).replacen(
        "<table>",
        "<table class=\"steps\">",
        1,
    );
    for st in mine {
        let result = st.result();
        let _ = write!(
            s,
            "<tr data-result=\"{result}\"><td><code>examples/{}</code></td><td>{}</td><td>{}</td></tr>",
            escape(&st.step),
            escape(t.get(&format!("report_test_{}", result.replace('-', "_")))),
            escape(&st.when().unwrap_or_default()),
        );
    }
    s.push_str("</tbody></table>");
    s
}

/// A table's opening and its header row, the columns named by the theme's strings.
fn head(t: &Words<'_>, keys: &[&str]) -> String {
    let mut s = String::from("<table><thead><tr>");
    for k in keys {
        let _ = write!(s, "<th>{}</th>", escape(t.get(k)));
    }
    s.push_str("</tr></thead><tbody>");
    s
}

/// A list of findings, each with its place and links to its pages.
fn items(o: &Outcome, list: &[&Finding], t: &Words<'_>) -> String {
    let mut s = String::from("<ul>");
    for f in list {
        let level = match f.diag.level {
            Level::Error => t.get("report_error"),
            Level::Warning => t.get("report_warning"),
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
        let pages = if pages.is_empty() {
            String::new()
        } else {
            format!(" ({})", pages.join(", "))
        };
        let _ = write!(
            s,
            "<li data-code=\"{code}\"><strong>{} [{code}]</strong> <code>{}</code>: {}{pages}</li>",
            escape(level),
            escape(&place),
            escape(&f.diag.message),
            code = f.code().as_str(),
        );
    }
    s.push_str("</ul>");
    s
}

/// The published URL of output page `path` (`en/flask/010.html`).
fn page_url(o: &Outcome, path: &str) -> String {
    let (lang, rest) = path.split_once('/').unwrap_or(("", path));
    let base = o.base_urls.get(lang).map(String::as_str).unwrap_or("");
    absolute(base, rest)
}
