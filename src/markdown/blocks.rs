//! HTML for what the slot stage left as placeholders: example files (with a header
//! linking to the repository and a copy button), the files list, trees and step diffs.

use super::Ctx;
use crate::examples::{DiffView, Shown, Tree};
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
        "<div class=\"gg-code\"><pre><code{class}>{html}</code></pre><button class=\"gg-copy\" type=\"button\" aria-label=\"{}\" data-copied=\"{}\">{}</button></div>\n",
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

pub(super) fn render_block(b: &Block, ctx: &Ctx<'_>) -> String {
    match b {
        Block::Example(s) => example_html(s, ctx),
        Block::Files => {
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
        Block::Tree(t) => tree_html(t, ctx),
        Block::Diff(d) => diff_html(d, ctx),
    }
}

fn example_html(s: &Shown, ctx: &Ctx<'_>) -> String {
    let (html, _) = highlight::highlight(&s.lang, &s.code);
    let title = html_escape(&s.title);
    format!(
        "<figure class=\"gg-example\"><figcaption class=\"gg-example-head\">{}</figcaption>{}</figure>\n",
        repo_link(ctx, &s.rel, &title),
        code_block(&html, &s.lang, ctx)
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
        "<figure class=\"gg-example gg-tree\"><figcaption class=\"gg-example-head\">{}</figcaption><div class=\"gg-code\"><pre><code>{body}</code></pre></div></figure>\n",
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
        .map(|c| c.0.clone())
        .filter(|f| !d.added.contains(f))
        .collect();
    list(&mut h, "diff_changed", "changed", &changed, &d.to);
    if d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty() {
        h.push_str(&format!("<p>{}</p>", html_escape(ctx.label("diff_none"))));
    }
    for (f, diff) in &d.changed {
        let (html, _) = highlight::highlight("diff", diff);
        h.push_str(&format!(
            "<figure class=\"gg-example\"><figcaption class=\"gg-example-head\">{}</figcaption>{}</figure>",
            repo_link(ctx, &format!("{}/{f}", d.to), &html_escape(f)),
            code_block(&html, "diff", ctx)
        ));
    }
    h.push_str("</div>\n");
    h
}
