//! The built-in renderers of what the slot stage left as placeholders: example files
//! (with a header linking to the repository and a copy button), the files list, trees
//! and step diffs (see [`super::renderers`]).

use super::Ctx;
use super::renderers::{BlockRenderer, Input, Output, drawn};
use crate::examples::{DiffLine, DiffView, FileDiff, Shown, Tree};
use crate::highlight;
use crate::slots::Block;
use crate::util::html::escape as html_escape;

pub(super) fn code_block(html: &str, lang: &str, ctx: &Ctx<'_>) -> String {
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", html_escape(lang))
    };
    format!(
        "<div class=\"gg-code\"><pre tabindex=\"0\"><code{class}>{html}</code></pre><button class=\"gg-copy\" type=\"button\" aria-label=\"{}\" data-copied=\"{}\">{}</button></div>\n",
        html_escape(ctx.label("copy_code")),
        html_escape(ctx.label("copied")),
        html_escape(ctx.label("copy")),
    )
}

fn repo_link(ctx: &Ctx<'_>, rel: &str, text_html: &str) -> String {
    match ctx.repo_url {
        Some(u) => format!(
            "<a href=\"{}/{}\">{text_html}</a>",
            html_escape(u),
            html_escape(&crate::util::url::encode_path(rel))
        ),
        None => text_html.to_string(),
    }
}

fn display_of(ctx: &Ctx<'_>, rel: &str) -> String {
    if ctx.examples_base.is_empty() {
        return rel.to_string();
    }
    rel.strip_prefix(&format!("{}/", ctx.examples_base))
        .map(str::to_string)
        .unwrap_or_else(|| rel.to_string())
}

/// The renderer of one kind of slot block: its name, and how it draws its block.
macro_rules! slot_renderer {
    ($t:ident, $name:literal, $pat:pat => $draw:expr) => {
        pub(super) struct $t;

        impl BlockRenderer for $t {
            fn name(&self) -> &'static str {
                $name
            }

            #[allow(clippy::redundant_closure_call)]
            fn render(&self, input: &Input<'_>, ctx: &Ctx<'_>) -> Option<Output> {
                match input {
                    Input::Slot($pat) => drawn(($draw)(ctx)),
                    _ => None,
                }
            }
        }
    };
}

slot_renderer!(Examples, "example", Block::Example(s) => |ctx| example_html(s, ctx));
slot_renderer!(FilesList, "files", Block::Files => |ctx| files_html(ctx));
slot_renderer!(Trees, "tree", Block::Tree(t) => |ctx| tree_html(t, ctx));
slot_renderer!(Diffs, "diff", Block::Diff(d) => |ctx| diff_html(d, ctx));

/// `<<files>>`: the example files the page shows, each linked to the repository.
fn files_html(ctx: &Ctx<'_>) -> String {
    if ctx.shown.is_empty() {
        return String::new();
    }
    let mut h = format!(
        "<nav class=\"gg-files\" aria-label=\"{0}\"><p class=\"gg-files-title\">{0}</p><ul>",
        html_escape(ctx.label("files_used"))
    );
    for f in ctx.shown {
        let code = format!("<code>{}</code>", html_escape(&display_of(ctx, f)));
        h.push_str(&format!("<li>{}</li>", repo_link(ctx, f, &code)));
    }
    h.push_str("</ul></nav>\n");
    h
}

fn example_html(s: &Shown, ctx: &Ctx<'_>) -> String {
    let (html, _) = highlight::highlight(&s.lang, &s.code, ctx.highlights);
    let title = html_escape(&s.title);
    format!(
        "<figure class=\"gg-example\"><figcaption class=\"gg-example-head\">{}</figcaption>{}</figure>\n",
        repo_link(ctx, &s.rel, &title),
        code_block(&html, &s.lang, ctx)
    )
}

/// One changed file as a code review shows it: a header with the file and `+12 −3`,
/// then each hunk's lines with a tinted background and a `+`/`−` gutter (drawn by CSS,
/// never copied), the code highlighted in the file's language. Removed lines are `<del>`
/// and added ones `<ins>`, so the change reads without colour too.
fn file_diff_html(f: &FileDiff, to: &str, ctx: &Ctx<'_>) -> String {
    let lang = crate::examples::lang_for_path(&f.name);
    let old = highlight::highlight_lines(lang, &f.old, ctx.highlights);
    let new = highlight::highlight_lines(lang, &f.new, ctx.highlights);
    let line = |v: &[String], i: usize| v.get(i).map_or("", String::as_str).to_string();
    let mut body = String::new();
    for hunk in &f.hunks {
        body.push_str(&format!(
            "<span class=\"gg-dl gg-dl-hunk\">{}</span>\n",
            html_escape(&hunk.header)
        ));
        for l in &hunk.lines {
            let (tag, class, html) = match *l {
                DiffLine::Same(i) => ("span", "gg-dl-ctx", line(&new, i)),
                DiffLine::Added(i) => ("ins", "gg-dl-add", line(&new, i)),
                DiffLine::Removed(i) => ("del", "gg-dl-del", line(&old, i)),
            };
            body.push_str(&format!("<{tag} class=\"gg-dl {class}\">{html}</{tag}>\n"));
        }
    }
    let stat = format!(
        "<span class=\"gg-diff-stat\"><span class=\"gg-diff-plus\" title=\"{a} {al}\">+{a}</span> <span class=\"gg-diff-minus\" title=\"{r} {rl}\">\u{2212}{r}</span></span>",
        a = f.added,
        r = f.removed,
        al = html_escape(ctx.label("diff_lines_added")),
        rl = html_escape(ctx.label("diff_lines_removed")),
    );
    format!(
        "<figure class=\"gg-example gg-diff-file\"><figcaption class=\"gg-example-head\">{} {stat}</figcaption><div class=\"gg-code gg-diff-code\"><pre tabindex=\"0\"><code class=\"language-{}\">{body}</code></pre><button class=\"gg-copy\" type=\"button\" aria-label=\"{}\" data-copied=\"{}\">{}</button></div></figure>",
        repo_link(ctx, &format!("{to}/{}", f.name), &html_escape(&f.name)),
        html_escape(lang),
        html_escape(ctx.label("copy_new_code")),
        html_escape(ctx.label("copied")),
        html_escape(ctx.label("copy")),
    )
}

fn tree_html(t: &Tree, ctx: &Ctx<'_>) -> String {
    let mut body = html_escape(&t.root);
    body.push('\n');
    for l in &t.lines {
        body.push_str(&html_escape(l));
        body.push('\n');
    }
    format!(
        "<figure class=\"gg-example gg-tree\"><figcaption class=\"gg-example-head\">{}</figcaption><div class=\"gg-code\"><pre tabindex=\"0\"><code>{body}</code></pre></div></figure>\n",
        repo_link(
            ctx,
            &t.rel,
            &html_escape(if t.rel.is_empty() { "examples" } else { &t.rel })
        ),
    )
}

fn diff_html(d: &DiffView, ctx: &Ctx<'_>) -> String {
    let mut h = String::from("<div class=\"gg-diff\">");
    let list = |h: &mut String, key: &str, class: &str, items: &[String], dir: &str| {
        if items.is_empty() {
            return;
        }
        h.push_str(&format!(
            "<p class=\"gg-diff-{class}\">{}</p><ul>",
            html_escape(ctx.label(key))
        ));
        for f in items {
            let code = format!("<code>{}</code>", html_escape(f));
            h.push_str(&format!(
                "<li>{}</li>",
                repo_link(ctx, &format!("{dir}/{f}"), &code)
            ));
        }
        h.push_str("</ul>");
    };
    list(&mut h, "diff_added", "added", &d.added, &d.to);
    list(&mut h, "diff_removed", "removed", &d.removed, &d.from);
    let changed: Vec<String> = d
        .changed
        .iter()
        .map(|c| c.name.clone())
        .filter(|f| !d.added.contains(f))
        .collect();
    list(&mut h, "diff_changed", "changed", &changed, &d.to);
    if d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty() {
        h.push_str(&format!("<p>{}</p>", html_escape(ctx.label("diff_none"))));
    }
    for f in &d.changed {
        h.push_str(&file_diff_html(f, &d.to, ctx));
    }
    h.push_str("</div>\n");
    h
}
