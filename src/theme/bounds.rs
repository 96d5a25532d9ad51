//! Templates are bounded: a theme comes with the repository (a pull request can change
//! it), and Tera has no limits of its own, so a template that includes itself overflows
//! the stack (an abort, killing `serve`), and `range(end=100000000)` runs out of memory.
//!
//! Checked here, when the theme loads, from each template's syntax tree: includes that
//! form a circle or a chain deeper than [`MAX_INCLUDE_DEPTH`], macros that call
//! themselves (directly or through others), and server directives (`<!--#...-->`)
//! other than the host includes guidegen writes. What is checked while rendering
//! (`range`, the environment, the size of a page) is in [`super::functions`]. Each
//! limit is an error that names the template.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tera::ast::{Expr, ExprVal, Node};

use crate::diag::{Code, Diagnostic};

/// The longest chain of includes (a template including one that includes another ...).
pub(crate) const MAX_INCLUDE_DEPTH: usize = 16;

/// What the static checks read of one template.
#[derive(Default)]
struct Shape {
    /// The template it extends.
    parent: Option<String>,
    /// The templates it extends, includes or imports macros from.
    uses: BTreeSet<String>,
    includes: BTreeSet<String>,
    /// Macro (`file::name`) -> the macros its body calls.
    calls: BTreeMap<String, BTreeSet<String>>,
}

/// What the static checks found.
pub(super) struct Checked {
    pub(super) diags: Vec<Diagnostic>,
    /// Template -> itself and every template it uses, directly or not (for naming the
    /// file a rendering error comes from).
    pub(super) families: BTreeMap<String, Vec<String>>,
    /// Templates extend one another in a circle: Tera itself would recurse without end
    /// on them (it only sees a circle through the template it starts from), so they
    /// must not be given to it.
    pub(super) extends_circle: bool,
}

/// Check the templates (`name -> (shown path, source)`): extends and includes, macros
/// and server directives. Templates that do not parse are left to Tera's own error.
pub(super) fn check(sources: &BTreeMap<String, (String, String)>) -> Checked {
    let mut shapes = BTreeMap::new();
    let mut diags = Vec::new();
    for (name, (shown, src)) in sources {
        diags.extend(directives(shown, src));
        if let Ok(t) = tera::Template::new(name, None, src) {
            shapes.insert(name.clone(), shape(&t));
        }
    }
    let circles = extends_circles(sources, &shapes);
    let extends_circle = !circles.is_empty();
    diags.extend(circles);
    diags.extend(include_chains(sources, &shapes));
    diags.extend(macro_circles(sources, &shapes));
    let families = shapes
        .keys()
        .map(|name| {
            let mut family = vec![name.clone()];
            let mut i = 0;
            while let Some(t) = family.get(i) {
                let next: Vec<String> = shapes
                    .get(t)
                    .map(|s| {
                        s.uses
                            .iter()
                            .filter(|u| !family.contains(u))
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                family.extend(next);
                i += 1;
            }
            (name.clone(), family)
        })
        .collect();
    Checked {
        diags,
        families,
        extends_circle,
    }
}

/// Templates that extend themselves, directly or through others.
fn extends_circles(
    sources: &BTreeMap<String, (String, String)>,
    shapes: &BTreeMap<String, Shape>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (start, shape) in shapes {
        let mut chain = vec![start.clone()];
        let mut next = shape.parent.clone();
        while let Some(p) = next {
            chain.push(p.clone());
            if p == *start {
                let (shown, src) = &sources[start];
                let d = Diagnostic::error(
                    shown.as_str(),
                    format!("template {start} extends itself: {}", chain.join(" -> ")),
                )
                .with_code(Code::BuildError)
                .with_help("a template extends a different one (page.html extends base.html); remove the circle");
                diags.push(locate(d, src, "extends"));
                break;
            }
            if chain[..chain.len() - 1].contains(&p) {
                break;
            }
            next = shapes.get(&p).and_then(|s| s.parent.clone());
        }
    }
    diags
}

fn shape(t: &tera::Template) -> Shape {
    let namespaces: HashMap<&str, &str> = t
        .imported_macro_files
        .iter()
        .map(|(file, ns)| (ns.as_str(), file.as_str()))
        .collect();
    let resolve = |ns: &str, name: &str| {
        let file = if ns == "self" {
            t.name.as_str()
        } else {
            namespaces.get(ns).copied().unwrap_or(ns)
        };
        format!("{file}::{name}")
    };
    let mut s = Shape::default();
    let mut top = BTreeSet::new();
    walk(&t.ast, &mut s.includes, &mut top, &resolve);
    s.parent.clone_from(&t.parent);
    s.uses.extend(t.parent.iter().cloned());
    s.uses
        .extend(t.imported_macro_files.iter().map(|(f, _)| f.clone()));
    for (name, m) in &t.macros {
        let mut calls = BTreeSet::new();
        walk(&m.body, &mut s.includes, &mut calls, &resolve);
        for e in m.args.values().flatten() {
            expr(e, &mut calls, &resolve);
        }
        s.calls.insert(format!("{}::{name}", t.name), calls);
    }
    s.uses.extend(s.includes.iter().cloned());
    s
}

/// Collect the includes and macro calls of `nodes`.
fn walk(
    nodes: &[Node],
    includes: &mut BTreeSet<String>,
    calls: &mut BTreeSet<String>,
    resolve: &dyn Fn(&str, &str) -> String,
) {
    for n in nodes {
        match n {
            Node::Include(_, names, _) => includes.extend(names.iter().cloned()),
            Node::VariableBlock(_, e) => expr(e, calls, resolve),
            Node::Set(_, s) => expr(&s.value, calls, resolve),
            Node::FilterSection(_, f, _) => {
                for e in f.filter.args.values() {
                    expr(e, calls, resolve);
                }
                walk(&f.body, includes, calls, resolve);
            }
            Node::Block(_, b, _) => walk(&b.body, includes, calls, resolve),
            Node::Forloop(_, f, _) => {
                expr(&f.container, calls, resolve);
                walk(&f.body, includes, calls, resolve);
                if let Some(e) = &f.empty_body {
                    walk(e, includes, calls, resolve);
                }
            }
            Node::If(i, _) => {
                for (_, cond, body) in &i.conditions {
                    expr(cond, calls, resolve);
                    walk(body, includes, calls, resolve);
                }
                if let Some((_, body)) = &i.otherwise {
                    walk(body, includes, calls, resolve);
                }
            }
            // Macro bodies are read from `Template::macros`.
            _ => {}
        }
    }
}

fn expr(e: &Expr, calls: &mut BTreeSet<String>, resolve: &dyn Fn(&str, &str) -> String) {
    for f in &e.filters {
        for a in f.args.values() {
            expr(a, calls, resolve);
        }
    }
    match &e.val {
        ExprVal::MacroCall(m) => {
            calls.insert(resolve(&m.namespace, &m.name));
            for a in m.args.values() {
                expr(a, calls, resolve);
            }
        }
        ExprVal::FunctionCall(f) => {
            for a in f.args.values() {
                expr(a, calls, resolve);
            }
        }
        ExprVal::Math(m) => {
            expr(&m.lhs, calls, resolve);
            expr(&m.rhs, calls, resolve);
        }
        ExprVal::Logic(l) => {
            expr(&l.lhs, calls, resolve);
            expr(&l.rhs, calls, resolve);
        }
        ExprVal::In(i) => {
            expr(&i.lhs, calls, resolve);
            expr(&i.rhs, calls, resolve);
        }
        ExprVal::Test(t) => {
            for a in &t.args {
                expr(a, calls, resolve);
            }
        }
        ExprVal::Array(items) => {
            for a in items {
                expr(a, calls, resolve);
            }
        }
        _ => {}
    }
}

/// Where `needle` first stands in `src` (for the caret), else the file's start.
fn locate(d: Diagnostic, src: &str, needle: &str) -> Diagnostic {
    match src.find(needle) {
        Some(at) => d.at(src, at, at + needle.len()),
        None => d,
    }
}

/// A circle of includes, or a chain longer than [`MAX_INCLUDE_DEPTH`].
fn include_chains(
    sources: &BTreeMap<String, (String, String)>,
    shapes: &BTreeMap<String, Shape>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for start in shapes.keys() {
        // Depth-first, keeping the chain: the first circle or over-long chain found.
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((name, chain)) = stack.pop() {
            let Some(s) = shapes.get(&name) else { continue };
            for inc in &s.includes {
                let mut next = chain.clone();
                next.push(inc.clone());
                let circle = inc == start;
                if circle || next.len() > MAX_INCLUDE_DEPTH + 1 {
                    let (shown, src) = &sources[start];
                    let first = &chain.get(1).unwrap_or(inc);
                    let what = if circle {
                        "includes itself"
                    } else {
                        "starts a chain of includes that is too deep"
                    };
                    let d = Diagnostic::error(
                        shown.as_str(),
                        format!("template {start} {what}: {}", next.join(" -> ")),
                    )
                    .with_code(Code::BuildError)
                    .with_help(if circle {
                        "a template that includes itself never ends; include the part you need from a template of its own".to_string()
                    } else {
                        format!("at most {MAX_INCLUDE_DEPTH} templates may include one another in a chain")
                    });
                    diags.push(locate(d, src, first));
                    stack.clear();
                    break;
                }
                if seen.insert(inc.clone()) {
                    stack.push((inc.clone(), next));
                }
            }
        }
    }
    diags
}

/// Macros that call themselves, directly or through other macros.
fn macro_circles(
    sources: &BTreeMap<String, (String, String)>,
    shapes: &BTreeMap<String, Shape>,
) -> Vec<Diagnostic> {
    let calls: BTreeMap<&String, &BTreeSet<String>> =
        shapes.values().flat_map(|s| s.calls.iter()).collect();
    let mut diags = Vec::new();
    for start in calls.keys() {
        let mut stack = vec![((*start).clone(), vec![(*start).clone()])];
        let mut seen = BTreeSet::new();
        while let Some((m, chain)) = stack.pop() {
            let Some(next) = calls.get(&m) else { continue };
            if next.contains(*start) {
                let file = start.split("::").next().unwrap_or("");
                let name = start.rsplit("::").next().unwrap_or("");
                let Some((shown, src)) = sources.get(file) else {
                    break;
                };
                let mut chain = chain.clone();
                chain.push((*start).clone());
                let d = Diagnostic::error(
                    shown.as_str(),
                    format!("macro {name} calls itself: {}", chain.join(" -> ")),
                )
                .with_code(Code::BuildError)
                .with_help("macros may not call themselves, directly or through another macro (it may never end); write the nesting out, or loop over a list");
                diags.push(locate(d, src, &format!("macro {name}")));
                break;
            }
            for n in next.iter() {
                if seen.insert(n.clone()) {
                    let mut c = chain.clone();
                    c.push(n.clone());
                    stack.push((n.clone(), c));
                }
            }
        }
    }
    diags
}

/// The includes of the host site that templates may write: exactly these directives.
pub(crate) const HOST_INCLUDES: [&str; 3] = ["ssi_head", "ssi_header", "ssi_footer"];

/// The block a host include shows when the include fails (refused, timed out): nothing.
pub(crate) const STUB: &str = "gg_none";

/// The directives that define [`STUB`].
pub(crate) fn stub_block() -> String {
    format!("<!--#block name=\"{STUB}\" --><!--#endblock -->")
}

/// Server directives in a template's source: only guidegen's host includes
/// (`<!--#include virtual="{{ publish.ssi_head }}" stub="gg_none" -->`, the header and
/// the footer) and the empty block they fall back to when the host fails.
fn directives(shown: &str, src: &str) -> Vec<Diagnostic> {
    let mut allowed: Vec<String> = HOST_INCLUDES
        .iter()
        .map(|k| format!("<!--#include virtual=\"{{{{ publish.{k} }}}}\" stub=\"{STUB}\" -->"))
        .collect();
    allowed.push(stub_block());
    let mut diags = Vec::new();
    let mut from = 0;
    while let Some(i) = src[from..].find(crate::util::html::SERVER_DIRECTIVE) {
        let at = from + i;
        from = at + 1;
        if let Some(a) = allowed.iter().find(|a| src[at..].starts_with(a.as_str())) {
            from = at + a.len();
            continue;
        }
        diags.push(
            Diagnostic::error(shown, "a server directive (`<!--#...-->`) in a template: the server would run it for every reader")
                .with_code(Code::ServerDirective)
                .with_help("the host's includes are written by guidegen from [publish] in book.toml; keep `<!--#include virtual=\"{{ publish.ssi_head }}\" -->` (and ssi_header, ssi_footer) as the built-in base.html has them")
                .at(src, at, at + 5),
        );
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(list: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
        list.iter()
            .map(|(n, s)| {
                (
                    n.to_string(),
                    (format!("theme/templates/{n}"), s.to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn include_circles_and_deep_chains_are_errors() {
        let d = check(&sources(&[("a.html", "x{% include \"a.html\" %}")])).diags;
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("a.html -> a.html"),
            "{}",
            d[0].message
        );
        let d = check(&sources(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "{% if x %}{% include \"a.html\" %}{% endif %}"),
        ]))
        .diags;
        assert_eq!(d.len(), 2, "{d:?}");
        let chain: Vec<(String, String)> = (0..20)
            .map(|i| {
                (
                    format!("t{i}.html"),
                    format!("{{% include \"t{}.html\" %}}", i + 1),
                )
            })
            .collect();
        let list: Vec<(&str, &str)> = chain
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let d = check(&sources(&list)).diags;
        assert!(d.iter().any(|d| d.message.contains("too deep")), "{d:?}");
        let c = check(&sources(&[
            (
                "a.html",
                "{% extends \"c.html\" %}{% block x %}{% include \"b.html\" %}{% endblock x %}",
            ),
            ("b.html", "b"),
            ("c.html", "{% block x %}{% endblock x %}"),
        ]));
        assert!(c.diags.is_empty(), "{:?}", c.diags);
        assert_eq!(c.families["a.html"], ["a.html", "b.html", "c.html"]);
    }

    #[test]
    fn extends_circles_are_errors_and_kept_from_tera() {
        let c = check(&sources(&[
            ("page.html", "{% extends \"base.html\" %}"),
            ("base.html", "{% extends \"base.html\" %}"),
        ]));
        assert!(c.extends_circle);
        assert_eq!(c.diags.len(), 1, "{:?}", c.diags);
        assert!(c.diags[0].message.contains("base.html -> base.html"));
        let c = check(&sources(&[
            ("a.html", "{% extends \"b.html\" %}"),
            ("b.html", "b"),
        ]));
        assert!(!c.extends_circle && c.diags.is_empty());
    }

    #[test]
    fn recursive_macros_are_errors() {
        let d = check(&sources(&[(
            "m.html",
            "{% macro f(n) %}{{ self::f(n=n) }}{% endmacro f %}",
        )]))
        .diags;
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("macro f calls itself"),
            "{}",
            d[0].message
        );
        let d = check(&sources(&[
            ("m.html", "{% macro f() %}{{ self::g() }}{% endmacro f %}{% macro g() %}{% if true %}{{ self::f() }}{% endif %}{% endmacro g %}"),
        ]))
        .diags;
        assert_eq!(d.len(), 2, "{d:?}");
    }

    #[test]
    fn only_guidegens_host_includes_are_directives() {
        let ok = "<!--#block name=\"gg_none\" --><!--#endblock -->{% if publish.ssi_head %}<!--#include virtual=\"{{ publish.ssi_head }}\" stub=\"gg_none\" -->{% endif %}";
        assert!(check(&sources(&[("base.html", ok)])).diags.is_empty());
        let d = check(&sources(&[(
            "base.html",
            "a\n<!--#echo var=\"http_cookie\" -->",
        )]))
        .diags;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Some(Code::ServerDirective));
    }
}
