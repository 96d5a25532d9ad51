//! `markdown`: expanded Markdown -> HTML with pulldown-cmark: GitHub-style heading ids
//! (Cyrillic kept, duplicates `-1`, `-2`), a table of contents, `.md` links rewritten to
//! page URLs, images resolved, and every block — code, and the slot stage's placeholders
//! (examples, trees, diffs, the files list) — drawn by its [`renderers`]
//! ([`BlockRenderer`]: code highlighted at build time here, the slot blocks in
//! [`blocks`]), which may also emit files beside the page.
//!
//! Like Zola's `markdown` component, this stage never sees the site: links and assets
//! are resolved through closures in [`Ctx`].

mod blocks;
mod code;
mod links;
mod registry;
mod renderers;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::diag::{Code, Problem};
use crate::highlight;
use crate::slots::Block;
use crate::syntax::markdown::{fill_code_values, options};
use crate::util::html::{SERVER_DIRECTIVE, escape as html_escape};
use crate::util::text::slugify;
use links::rewrite_inline;
pub(crate) use registry::Renderers;
/// For renderers made outside this module (the pipeline's tests make one).
#[cfg(test)]
pub(crate) use renderers::{BlockRenderer, Output};
pub(crate) use renderers::{Emitted, Input};

#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub ids: Vec<String>,
    /// Problems found while rendering, located in the expanded Markdown.
    pub warnings: Vec<Problem>,
    /// Internal link targets that did not resolve.
    pub broken_links: Vec<Problem>,
    /// Problems that stop the page (a server directive in raw HTML).
    pub errors: Vec<Problem>,
    /// What `check` reads of the page.
    pub facts: Facts,
    /// Files the page's blocks emit beside it.
    pub files: Vec<Emitted>,
}

/// What the page holds, for `check`: its Markdown links and code blocks (with offsets in
/// the expanded Markdown), and counts of its prose.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    pub links: Vec<LinkFact>,
    /// Code blocks written in the Markdown (not example files); only with `Ctx::collect`.
    pub code: Vec<CodeFact>,
    /// Headings of any level.
    pub headings: usize,
    /// Letters of prose (code aside) in Cyrillic and in Latin script.
    pub cyrillic: usize,
    pub latin: usize,
    /// Visible characters of prose and of headings.
    pub prose_chars: usize,
    pub heading_chars: usize,
}

/// A link or image written in the Markdown.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct LinkFact {
    /// The URL as the page links to it (after `.md` links and images were resolved).
    pub url: String,
    /// The URL as written in the Markdown.
    pub written: String,
    pub offset: usize,
}

/// A fenced or indented code block written in the Markdown.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct CodeFact {
    pub code: String,
    pub offset: usize,
}

impl Facts {
    /// Count the letters and visible characters of a piece of prose.
    fn prose(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                continue;
            }
            self.prose_chars += 1;
            if matches!(c, '\u{0400}'..='\u{04FF}') {
                self.cyrillic += 1;
            } else if c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}') {
                self.latin += 1;
            }
        }
    }
}

/// What the Markdown stage needs from the rest of the build.
pub(crate) struct Ctx<'a> {
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
    /// Values of slots inside code, for the placeholders in the Markdown.
    pub code_values: &'a [String],
    /// Keep the text of code blocks in [`Facts`] (for `check`).
    pub collect: bool,
    /// Highlighted blocks kept across builds (a warm build's cache).
    pub highlights: Option<&'a dyn highlight::Store>,
    /// What draws each block.
    pub renderers: &'a Renderers,
}

/// A resolver that finds nothing.
fn nowhere(_: &str) -> Option<String> {
    None
}

impl<'a> Ctx<'a> {
    /// A context that resolves no link or asset and shows no example file: the one
    /// constructor; a build sets what it resolves over it (`Ctx { resolve_link, ..
    /// Ctx::new(labels, renderers) }`).
    pub(crate) fn new(labels: &'a HashMap<String, String>, renderers: &'a Renderers) -> Self {
        Ctx {
            resolve_link: &nowhere,
            resolve_asset: &nowhere,
            repo_url: None,
            examples_base: "",
            labels,
            shown: &[],
            code_values: &[],
            collect: false,
            highlights: None,
            renderers,
        }
    }

    fn label<'b>(&'b self, key: &'b str) -> &'b str {
        self.labels.get(key).map(String::as_str).unwrap_or(key)
    }
}

pub(crate) fn render(md: &str, blocks: &[Block], ctx: &Ctx<'_>) -> Rendered {
    let events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(md, options()).into_offset_iter().collect();
    let mut pass = Pass {
        events: &events,
        ctx,
        r: Rendered::default(),
        out: Vec::with_capacity(events.len()),
        used_ids: HashMap::new(),
    };
    let mut i = 0;
    while let Some((ev, range)) = events.get(i) {
        i = match ev {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => pass.heading(i, *level, id.as_deref(), classes),
            Event::Start(Tag::CodeBlock(kind)) => pass.code_block(i, kind),
            Event::Html(h) | Event::InlineHtml(h) => {
                match placeholder(h) {
                    Some(n) => {
                        if let Some(b) = blocks.get(n) {
                            pass.block(&Input::Slot(b), range.start);
                        }
                    }
                    None => pass.raw_html(h, range.start),
                }
                i + 1
            }
            e => {
                let e = rewrite_inline(e.clone(), range.start, ctx, &mut pass.r);
                pass.out.push(e);
                i + 1
            }
        };
    }
    let mut r = pass.r;
    pulldown_cmark::html::push_html(&mut r.html, pass.out.into_iter());
    r
}

/// One page's event rewrite: the events in, the rewritten events and findings out.
struct Pass<'e, 'c> {
    events: &'e [(Event<'e>, Range<usize>)],
    ctx: &'c Ctx<'c>,
    r: Rendered,
    out: Vec<Event<'e>>,
    used_ids: HashMap<String, usize>,
}

impl<'e> Pass<'e, '_> {
    /// A block drawn by the first renderer that takes it, its problems located at
    /// `start` and its files kept for the page.
    fn block(&mut self, input: &Input<'_>, start: usize) {
        let out = self.ctx.renderers.render(input, self.ctx);
        for p in out.problems {
            self.r.warnings.push(p.at(start..start + 1));
        }
        self.r.files.extend(out.files);
        self.out.push(Event::Html(CowStr::from(out.html)));
    }

    /// Raw HTML written in the Markdown, at `start`: passed through, but for a server
    /// directive (`<!--#echo var="http_cookie" -->` would print every reader's cookies
    /// wherever the host fills includes), which is an error and never reaches the page.
    fn raw_html(&mut self, h: &CowStr<'e>, start: usize) {
        match h.find(SERVER_DIRECTIVE) {
            None => self.out.push(Event::Html(h.clone())),
            Some(at) => {
                self.r.errors.push(
                    Problem::new("a server directive (`<!--#...-->`) in the page: the server would run it for every reader")
                        .at(start + at..start + at + SERVER_DIRECTIVE.len())
                        .with_code(Code::ServerDirective)
                        .help("to show it, put it in code (`<!--#include ...-->` or a fenced block); guidegen itself writes the host's includes ([publish] in book.toml)"),
                );
                self.out.push(Event::Html(CowStr::from(html_escape(h))));
            }
        }
    }

    /// A heading at event `i`: a unique id, a TOC entry for levels 2-3, an anchor link.
    /// Returns the index after its end event.
    fn heading(
        &mut self,
        i: usize,
        level: HeadingLevel,
        id: Option<&str>,
        classes: &[CowStr<'_>],
    ) -> usize {
        let range_start = self.events[i].1.start;
        // The heading's inline events.
        let mut j = i + 1;
        let mut text = String::new();
        while let Some((ev, _)) = self.events.get(j) {
            match ev {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) => text.push_str(t),
                Event::Code(t) => text.push_str(&fill_code_values(t, self.ctx.code_values)),
                _ => {}
            }
            j += 1;
        }
        let id_given = id.is_some();
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
        let id = unique_id(&base, &mut self.used_ids);
        let lvl = heading_num(level);
        self.r.facts.headings += 1;
        self.r.facts.heading_chars += text.chars().filter(|c| !c.is_whitespace()).count();
        if (2..=3).contains(&lvl) {
            self.r.toc.push(TocEntry {
                level: lvl,
                id: id.clone(),
                title: text.trim().to_string(),
            });
        }
        self.r.ids.push(id.clone());
        let class = if classes.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
            format!(" class=\"{}\"", html_escape(&names.join(" ")))
        };
        // An id the author gave (`{#id}`) is the same in every language: the language
        // switch links to it directly (else to the heading's place, theme JS).
        let explicit = if id_given { " data-gg-explicit" } else { "" };
        self.out.push(Event::Html(CowStr::from(format!(
            "<h{lvl} id=\"{}\"{class}{explicit}>",
            html_escape(&id)
        ))));
        for (e, _) in self.events.get(i + 1..j).unwrap_or(&[]) {
            let e = rewrite_inline(e.clone(), range_start, self.ctx, &mut self.r);
            self.out.push(e);
        }
        self.out.push(Event::Html(CowStr::from(format!(
            "<a class=\"gg-anchor\" href=\"#{}\" aria-label=\"{}\">#</a></h{lvl}>\n",
            html_escape(&id),
            html_escape(self.ctx.label("anchor"))
        ))));
        j + 1
    }

    /// A fenced or indented code block at event `i`, highlighted at build time.
    /// Returns the index after its end event.
    fn code_block(&mut self, i: usize, kind: &CodeBlockKind<'_>) -> usize {
        let range_start = self.events[i].1.start;
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let mut code = String::new();
        let mut j = i + 1;
        while let Some((ev, _)) = self.events.get(j) {
            match ev {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => code.push_str(t),
                _ => {}
            }
            j += 1;
        }
        let code = fill_code_values(&code, self.ctx.code_values);
        if self.ctx.collect {
            self.r.facts.code.push(CodeFact {
                code: code.to_string(),
                offset: range_start,
            });
        }
        let lang = info
            .split([' ', ',', '{'])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        self.block(
            &Input::Code {
                lang: &lang,
                code: &code,
            },
            range_start,
        );
        j + 1
    }
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
        let renderers = Renderers::default();
        let link = |p: &str| (p == "other.md").then(|| "other.html".to_string());
        let ctx = Ctx {
            resolve_link: &link,
            ..Ctx::new(&labels, &renderers)
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
        assert!(
            r.html.contains("<h3 id=\"custom\" data-gg-explicit>"),
            "an author's id is marked"
        );
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
