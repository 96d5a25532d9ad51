//! `markdown`: expanded Markdown -> HTML with pulldown-cmark: GitHub-style heading ids
//! (Cyrillic kept, duplicates `-1`, `-2`), a table of contents, `.md` links rewritten to
//! page URLs, images resolved, code blocks highlighted at build time, and the slot
//! stage's placeholders replaced with their blocks.

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::examples::{DiffView, Shown, Tree};
use crate::highlight;
use crate::slots::Block;
use crate::syntax::markdown::options;
use crate::util::html::escape as html_escape;
use crate::util::text::slugify;

#[derive(Debug, Clone, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A problem found while rendering, at a byte offset of the expanded Markdown.
#[derive(Debug, Clone)]
pub struct Issue {
    pub offset: usize,
    pub message: String,
    pub help: Option<String>,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub ids: Vec<String>,
    pub warnings: Vec<Issue>,
    /// Internal link targets that did not resolve (for `check`).
    pub broken_links: Vec<Issue>,
}

/// What the Markdown stage needs from the rest of the build.
pub struct Ctx<'a> {
    /// Resolve a relative `.md` link or image path (without `#fragment`) to a URL
    /// relative to the page; `None` when the target does not exist.
    pub resolve_link: &'a dyn Fn(&str) -> Option<String>,
    pub resolve_asset: &'a dyn Fn(&str) -> Option<String>,
    pub repo_url: Option<&'a str>,
    /// The page's examples folder (to show paths as authors write them).
    pub examples_base: &'a str,
    /// UI strings of the page's language.
    pub labels: &'a HashMap<String, String>,
    /// Example files the page shows (for `<<files>>`).
    pub shown: &'a [String],
}

impl Ctx<'_> {
    fn label<'b>(&'b self, key: &'b str) -> &'b str {
        self.labels.get(key).map(String::as_str).unwrap_or(key)
    }
}

fn is_external(url: &str) -> bool {
    url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with("data:")
        || url.starts_with("javascript:")
        || url.starts_with('/')
        || url.starts_with('#')
        || url.starts_with("//")
}

pub fn render(md: &str, blocks: &[Block], ctx: &Ctx<'_>) -> Rendered {
    let mut r = Rendered::default();
    let events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(md, options()).into_offset_iter().collect();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                // Collect the heading's inline events.
                let mut j = i + 1;
                let mut text = String::new();
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    match &events[j].0 {
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                    j += 1;
                }
                let base = match id {
                    Some(id) => id.to_string(),
                    None => {
                        let s = slugify(&text);
                        if s.is_empty() {
                            "section".to_string()
                        } else {
                            s
                        }
                    }
                };
                let id = unique_id(&base, &mut used_ids);
                let lvl = heading_num(*level);
                if (2..=3).contains(&lvl) {
                    r.toc.push(TocEntry {
                        level: lvl,
                        id: id.clone(),
                        title: text.trim().to_string(),
                    });
                }
                r.ids.push(id.clone());
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", html_escape(&classes.join(" ")))
                };
                out.push(Event::Html(CowStr::from(format!(
                    "<h{lvl} id=\"{}\"{class}>",
                    html_escape(&id)
                ))));
                for (e, _) in &events[i + 1..j] {
                    out.push(rewrite_inline(e.clone(), range.start, ctx, &mut r));
                }
                out.push(Event::Html(CowStr::from(format!(
                    "<a class=\"gg-anchor\" href=\"#{}\" aria-label=\"{}\">#</a></h{lvl}>\n",
                    html_escape(&id),
                    html_escape(ctx.label("anchor"))
                ))));
                i = j + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::CodeBlock)) {
                    if let Event::Text(t) = &events[j].0 {
                        code.push_str(t);
                    }
                    j += 1;
                }
                let lang = info
                    .split([' ', ',', '{'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                let (html, known) = highlight::highlight(&lang, &code);
                if !known {
                    r.warnings.push(Issue {
                        offset: range.start,
                        message: format!("unknown code block language '{lang}', shown as plain text"),
                        help: Some("use a language such as yaml, bash, dockerfile, python, js, go; or 'text'".into()),
                    });
                }
                out.push(Event::Html(CowStr::from(code_block(&html, &lang, ctx))));
                i = j + 1;
                continue;
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if let Some(n) = placeholder(h) {
                    if let Some(b) = blocks.get(n) {
                        out.push(Event::Html(CowStr::from(render_block(b, ctx))));
                    }
                } else {
                    out.push(ev.clone());
                }
            }
            e => out.push(rewrite_inline(e.clone(), range.start, ctx, &mut r)),
        }
        i += 1;
    }
    pulldown_cmark::html::push_html(&mut r.html, out.into_iter());
    r
}

fn placeholder(h: &str) -> Option<usize> {
    let t = h.trim();
    let n = t.strip_prefix("<!--gg:block:")?.strip_suffix("-->")?;
    n.parse().ok()
}

fn heading_num(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn unique_id(base: &str, used: &mut HashMap<String, usize>) -> String {
    let Some(&start) = used.get(base) else {
        used.insert(base.to_string(), 1);
        return base.to_string();
    };
    let mut n = start;
    loop {
        let cand = format!("{base}-{n}");
        n += 1;
        if !used.contains_key(&cand) {
            used.insert(base.to_string(), n);
            used.insert(cand.clone(), 1);
            return cand;
        }
    }
}

fn split_fragment(url: &str) -> (&str, &str) {
    match url.find('#') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    }
}

fn rewrite_inline<'a>(e: Event<'a>, offset: usize, ctx: &Ctx<'_>, r: &mut Rendered) -> Event<'a> {
    match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = rewrite_link(&dest_url, offset, ctx, r)
                .map(CowStr::from)
                .unwrap_or(dest_url);
            Event::Start(Tag::Link {
                link_type,
                dest_url: dest,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = if is_external(&dest_url) {
                dest_url
            } else {
                let (path, frag) = split_fragment(&dest_url);
                let decoded = percent_encoding::percent_decode_str(path)
                    .decode_utf8_lossy()
                    .to_string();
                match (ctx.resolve_asset)(&decoded) {
                    Some(u) => CowStr::from(format!("{u}{frag}")),
                    None => {
                        r.warnings.push(Issue {
                            offset,
                            message: format!("image '{decoded}' not found next to the page"),
                            help: Some(
                                "put the image beside the Markdown file that shows it".into(),
                            ),
                        });
                        dest_url
                    }
                }
            };
            Event::Start(Tag::Image {
                link_type,
                dest_url: dest,
                title,
                id,
            })
        }
        other => other,
    }
}

fn rewrite_link(url: &str, offset: usize, ctx: &Ctx<'_>, r: &mut Rendered) -> Option<String> {
    if is_external(url) || url.is_empty() {
        return None;
    }
    let (path, frag) = split_fragment(url);
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .to_string();
    if decoded.ends_with(".md") {
        match (ctx.resolve_link)(&decoded) {
            Some(u) => Some(format!("{u}{frag}")),
            None => {
                r.broken_links.push(Issue {
                    offset,
                    message: format!("link to '{decoded}': no such page"),
                    help: None,
                });
                None
            }
        }
    } else {
        // A link to a file beside the page (a PDF, an image) is copied and resolved.
        (ctx.resolve_asset)(&decoded).map(|u| format!("{u}{frag}"))
    }
}

fn code_block(html: &str, lang: &str, ctx: &Ctx<'_>) -> String {
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

fn render_block(b: &Block, ctx: &Ctx<'_>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_ids_are_suffixed() {
        let mut used = HashMap::new();
        assert_eq!(unique_id("a", &mut used), "a");
        assert_eq!(unique_id("a", &mut used), "a-1");
        assert_eq!(unique_id("a", &mut used), "a-2");
        assert_eq!(unique_id("a-1", &mut used), "a-1-1");
    }

    fn ctx_render(md: &str) -> Rendered {
        let labels = HashMap::new();
        let link = |p: &str| (p == "other.md").then(|| "other.html".to_string());
        let asset = |_: &str| None;
        let ctx = Ctx {
            resolve_link: &link,
            resolve_asset: &asset,
            repo_url: None,
            examples_base: "",
            labels: &labels,
            shown: &[],
        };
        render(md, &[], &ctx)
    }

    #[test]
    fn headings_toc_and_links() {
        let r = ctx_render(
            "## Установка\n\n## Установка\n\n### Deep {#custom}\n\n[x](other.md#a) [y](missing.md)\n",
        );
        assert!(r.html.contains("<h2 id=\"установка\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"установка-1\">"));
        assert!(r.html.contains("<h3 id=\"custom\">"));
        assert!(r.html.contains("href=\"other.html#a\""));
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.broken_links.len(), 1);
    }

    #[test]
    fn alerts_tables_tasks_footnotes() {
        let r = ctx_render(
            "> [!NOTE]\n> hi\n\n|a|b|\n|-|-|\n|1|2|\n\n- [x] done\n\nx[^1]\n\n[^1]: n\n\n~~s~~\n",
        );
        assert!(r.html.contains("markdown-alert-note"));
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("<del>"));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn md() -> impl Strategy<Value = String> {
            proptest::collection::vec(
                prop_oneof![
                    Just("# ".to_string()),
                    Just("## ".to_string()),
                    Just("```".to_string()),
                    Just("`".to_string()),
                    Just("\n".to_string()),
                    Just("[x](".to_string()),
                    Just(".md".to_string()),
                    Just(")".to_string()),
                    Just("![i](".to_string()),
                    Just("<!--gg:block:0-->".to_string()),
                    Just("<!--gg:block:99-->".to_string()),
                    Just("> [!NOTE]".to_string()),
                    Just("|a|b|\n|-|-|".to_string()),
                    Just("{#id}".to_string()),
                    Just("Ёж".to_string()),
                    Just("a".to_string()),
                    Just(" ".to_string()),
                    Just("[^1]".to_string()),
                    Just("<b>".to_string()),
                    Just("- [ ] ".to_string()),
                    Just("#".to_string()),
                ],
                0..40,
            )
            .prop_map(|v| v.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]
            #[test]
            fn render_never_panics(s in md()) {
                let r = ctx_render(&s);
                // Every heading id is unique on the page.
                let mut ids = r.ids.clone();
                ids.sort();
                ids.dedup();
                prop_assert_eq!(ids.len(), r.ids.len());
            }
        }
    }
}
