//! Frontmatter values that hold value slots, resolved once the site is loaded (before
//! any page renders): titles, descriptions, `examples:` (`<<guide|raw>>/020_redis`) and
//! `aliases:` (old URLs, output paths once filled).

use crate::config::Config;
use crate::content::Site;
use crate::diag::Diagnostic;

/// Titles and descriptions may hold value slots: `title: "<<framework>> in Kubernetes"`.
pub(super) fn resolve_titles(config: &Config, site: &mut Site, diags: &mut Vec<Diagnostic>) {
    for i in 0..site.pages.len() {
        let p = &site.pages[i];
        let ex = match p.vars.get("examples") {
            Some(serde_json::Value::String(e)) if e.contains("<<") => Some(e.clone()),
            _ => None,
        };
        if !p.title.contains("<<") && !p.description.contains("<<") && ex.is_none() {
            continue;
        }
        let mut fix = |s: &str, key: &str| -> String {
            match crate::vars::expand_inline(config, &p.lang, &p.vars, s) {
                Ok(v) => v,
                Err(mut problem) => {
                    problem.message = format!("in {key}: {}", problem.message);
                    let (path, text) = match p.file.map(|f| &site.files[f]) {
                        Some(f) => (f.rel.clone(), &*f.text),
                        None => (Default::default(), ""),
                    };
                    // The value as written in the frontmatter, and the slot inside it.
                    let at = text.find(s);
                    let span = at.map(|at| match &problem.span {
                        Some(r) => at + r.start..at + r.end,
                        None => at..at + s.len(),
                    });
                    diags.push(problem.unlocated().in_file(&path, text, span));
                    s.to_string()
                }
            }
        };
        let title = fix(&p.title.clone(), "title");
        let description = fix(&p.description.clone(), "description");
        let examples = ex.map(|e| fix(&e, "examples"));
        let p = &mut site.pages[i];
        if let Some(e) = examples {
            p.vars
                .insert("examples".into(), serde_json::Value::String(e));
        }
        p.title = title.clone();
        p.description = description;
        if let Some(serde_json::Value::Object(m)) = p.vars.get_mut("page") {
            m.insert("title".into(), serde_json::Value::String(title));
        }
    }
    for g in 0..site.guides.len() {
        let landing = site.guides[g].landing;
        site.guides[g].title = site.pages[landing].title.clone();
    }
    resolve_aliases(config, site, diags);
}

/// Each page's `aliases:` as output paths: value slots filled (`<<guide|raw>>/100_basic.html`
/// in a skeleton chapter), confined to the language's folder like a permalink.
fn resolve_aliases(config: &Config, site: &mut Site, diags: &mut Vec<Diagnostic>) {
    for i in 0..site.pages.len() {
        if site.pages[i].aliases.is_empty() {
            continue;
        }
        let p = &site.pages[i];
        let (path, text) = match p.file.map(|f| &site.files[f]) {
            Some(f) => (f.rel.clone(), &*f.text),
            None => (Default::default(), ""),
        };
        let mut out = Vec::new();
        for a in &p.aliases {
            let at = text.find(a.as_str()).map(|s| s..s + a.len());
            let filled = if a.contains("<<") {
                crate::vars::expand_inline(config, &p.lang, &p.vars, a)
            } else {
                Ok(a.clone())
            };
            let resolved = filled.map_err(|problem| problem.message).and_then(|f| {
                crate::content::alias_out(&f).map_err(|why| format!("alias '{f}' {why}"))
            });
            match resolved {
                Ok(o) => out.push(o),
                Err(why) => diags.push(
                    crate::diag::Problem::new(why)
                        .help("an alias is an old URL of the page under the language's root, e.g. `flask/100_basic.html`")
                        .in_file(&path, text, at),
                ),
            }
        }
        site.pages[i].aliases = out;
    }
}
