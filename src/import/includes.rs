//! The inclusions: `include_relative` and fragments without parameters become
//! partials (converted once, `<<include>>` where they were), a fragment with
//! parameters is written in with them filled in, and `include_file` and
//! `snippetcut_example` become `<<example>>` of the real file. An include that loops or
//! names no file is a located warning and a note, never an abort.

use std::collections::BTreeMap;

use serde_json::Value;

use super::convert::Conv;
use super::liquid::{first_arg, params, params_as_written};
use super::values::unquote;
use super::{Ctx, Partial};

/// The example path of `include_file`'s or `snippetcut_example`'s file, inside examples/.
pub(super) fn example_path(c: &Conv<'_, '_>, raw: &str) -> Option<String> {
    let path = raw.trim().trim_start_matches('/');
    let rel = path.strip_prefix("examples/").unwrap_or(path);
    c.ctx
        .repo
        .examples
        .iter()
        .any(|e| e == rel)
        .then(|| rel.to_string())
}

fn example_slot(c: &mut Conv<'_, '_>, rel: &str, snippet: Option<&str>, what: &str) -> String {
    c.out.count(what);
    c.out.uses_examples = true;
    match snippet.filter(|s| !s.is_empty()) {
        Some(s) => format!("<<example \"/{rel}\" snippet=\"{s}\">>"),
        None => format!("<<example \"/{rel}\">>"),
    }
}

/// `{% include_file "path" snippet="…" syntax="…" %}` → `<<example "/path" snippet="…">>`.
pub(super) fn include_file(c: &mut Conv<'_, '_>, args: &str, at: usize) -> String {
    // The path may be an expression: "{{ page.examples | append: "/x.yaml" }}".
    let (path_expr, rest) = match args.trim().strip_prefix("\"{{") {
        Some(r) => match r.find("}}\"") {
            Some(e) => (Some(r[..e].trim().to_string()), &r[e + 3..]),
            None => (None, ""),
        },
        None => (None, args),
    };
    let path = match path_expr {
        Some(e) => c.eval(&e),
        None => Some(first_arg(args).to_string()),
    };
    let p = params(rest);
    let snippet = p.iter().find(|(k, _)| *k == "snippet").map(|(_, v)| *v);
    match path.as_deref().and_then(|p| example_path(c, p)) {
        Some(rel) => example_slot(c, &rel, snippet, "include_file → <<example>>"),
        None => {
            let shown = path.unwrap_or_else(|| args.to_string());
            c.out.warn(
                &c.file,
                c.text,
                c.tag_span(at),
                format!("include_file: no example file {shown}"),
            );
            c.note(
                at,
                format!("`{{% include_file {args} %}}`: the repository has no such example file"),
            )
        }
    }
}

/// `{% include_relative 20_cluster_minikube.md %}` → a partial and `<<include>>`.
pub(super) fn include_relative(c: &mut Conv<'_, '_>, args: &str, at: usize) -> String {
    let name = first_arg(args);
    let rel = crate::util::confine::join(c.ctx.dir, name).ok();
    let Some(rel) = rel else {
        return c.note(
            at,
            format!("`{{% include_relative {args} %}}`: the path leaves the pages"),
        );
    };
    let src = format!("pages_{}/{rel}", c.ctx.lang.code);
    let partial = rel
        .trim_end_matches(".md")
        .trim_end_matches(".markdown")
        .to_string();
    include_file_as_partial(c, &src, &partial, at, "include_relative → <<include>>")
}

/// The text of the fragment `src` an include at `at` names, or the note where the
/// include was: it loops back (or nests past 16), or names no file (each also a
/// located warning).
fn enter(c: &mut Conv<'_, '_>, src: &str, at: usize) -> Entered {
    let (warning, note) = if c.out.stack.iter().any(|s| s == src) || c.out.stack.len() > 16 {
        let chain = format!("{} → {src}", c.out.stack.join(" → "));
        (
            format!("an include loop: {chain}"),
            format!("an include loop: {chain}"),
        )
    } else {
        match c.ctx.repo.read(src) {
            Some(text) => return Entered::Text(text),
            None => (
                format!("the included file {src} does not exist"),
                format!("an include of {src}, which does not exist"),
            ),
        }
    };
    c.out.warn(&c.file, c.text, c.tag_span(at), warning);
    Entered::Refused(c.note(at, note))
}

/// What [`enter`] found.
enum Entered {
    /// The fragment's text.
    Text(String),
    /// The note written where the include was.
    Refused(String),
}

/// Convert the fragment at `src` (inside the repository) once, as partial `name`.
fn include_file_as_partial(
    c: &mut Conv<'_, '_>,
    src: &str,
    name: &str,
    at: usize,
    what: &str,
) -> String {
    let text = match enter(c, src, at) {
        Entered::Text(t) => t,
        Entered::Refused(note) => return note,
    };
    c.out.count(what);
    if !c.out.partials.contains_key(name) {
        let (_, _, body) = super::jekyll::split(&text);
        let dir = src.rsplit_once('/').map_or("", |(d, _)| d);
        let dir = dir.split_once('/').map_or("", |(_, d)| d).to_string();
        let ctx = Ctx {
            dir: &dir,
            include: None,
            ..*c.ctx
        };
        c.out.stack.push(src.to_string());
        // Reserved first, so that a partial including itself is a loop, not a hang.
        c.out.partials.insert(name.to_string(), Partial::default());
        let conv = Conv::new(&text, body, src.to_string(), &ctx, c.out);
        let converted = conv.all();
        c.out.stack.pop();
        c.out
            .partials
            .insert(name.to_string(), Partial { text: converted });
    }
    format!("<<include \"{name}\">>")
}

/// `{% include name params %}`: `snippetcut_example` → `<<example>>`; a fragment without
/// parameters → a partial; one with parameters → its text, with them filled in.
pub(super) fn include(c: &mut Conv<'_, '_>, args: &str, at: usize) -> String {
    let name = first_arg(args);
    let rest = args
        .trim()
        .strip_prefix(name)
        .unwrap_or("")
        .trim_start_matches(['"', '\'']);
    let values: BTreeMap<String, Value> = params_as_written(rest)
        .into_iter()
        .map(|(k, v)| {
            let val = c
                .value(v)
                .or_else(|| unquote(v))
                .map_or(Value::Null, |s| match s.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::String(s),
                });
            (k.to_string(), val)
        })
        .collect();
    if name.contains("snippetcut_example") {
        let s = |k: &str| {
            values
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let path = format!(
            "{}/{}",
            s("examples").trim_end_matches('/'),
            s("path").trim_start_matches('/')
        );
        return match example_path(c, &path) {
            Some(rel) => {
                let snippet = s("snippet");
                example_slot(c, &rel, Some(&snippet), "snippetcut_example → <<example>>")
            }
            None => c.note(
                at,
                format!("`{{% include {args} %}}`: no example file {path}"),
            ),
        };
    }
    let src = format!("{}/{name}", c.ctx.lang.includes_dir.trim_end_matches('/'));
    if name.ends_with(".html") {
        return c.note(
            at,
            format!("`{{% include {args} %}}`: an HTML fragment of the Jekyll theme"),
        );
    }
    if values.is_empty() {
        let partial = name
            .trim_end_matches(".liquid")
            .trim_end_matches(".md")
            .replace('.', "_");
        return include_file_as_partial(c, &src, &partial, at, "include → <<include>>");
    }
    inline(c, &src, &values, at)
}

/// A fragment included with parameters: its text, with `include.*` known.
fn inline(c: &mut Conv<'_, '_>, src: &str, values: &BTreeMap<String, Value>, at: usize) -> String {
    let text = match enter(c, src, at) {
        Entered::Text(t) => t,
        Entered::Refused(note) => return note,
    };
    c.out.count("include with parameters → its text, inlined");
    let ctx = Ctx {
        include: Some(values),
        ..*c.ctx
    };
    c.out.stack.push(src.to_string());
    let conv = Conv::new(&text, 0, src.to_string(), &ctx, c.out);
    let s = conv.all();
    c.out.stack.pop();
    s
}
