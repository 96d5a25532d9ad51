//! `slots`: the `<<...>>` language (spec sections 5-7): parse a Markdown source into a
//! tree of text and slots, then resolve it for one page into plain Markdown.
//!
//! What the Markdown stage cannot express as Markdown (example code blocks, the files
//! list, trees, diffs) is emitted as a placeholder `<!--gg:block:N-->` plus a [`Block`]
//! that the Markdown stage renders. Every slot keeps its byte span, so diagnostics point
//! at the file that holds the slot (a partial, a skeleton chapter) and name the page.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};

use crate::config::{Config, NotesMode};
use crate::content::{FileId, Site};
use crate::diag::Diagnostic;
use crate::examples::{self, ExampleStore};
use crate::source::line_of;
use crate::syntax::markdown::{code_ranges, in_ranges};
use crate::syntax::notes;
use crate::syntax::slot::{self as lexer, Arg, KEYWORDS, Slot, Token};
use crate::util::html::escape as html_escape;
use crate::util::text::closest as did_you_mean;
use crate::vars::{self, expand_inline, value_of};

/// Something the Markdown stage renders in place of `<!--gg:block:N-->`.
#[derive(Debug, Clone)]
pub enum Block {
    Example(examples::Shown),
    /// `<<files>>`: filled with every example file the page shows.
    Files,
    Tree(examples::Tree),
    Diff(examples::DiffView),
}

/// An author note `{{ ... }}` found in prose.
#[derive(Debug, Clone)]
pub struct Note {
    pub file: FileId,
    pub span: Range<usize>,
    pub text: String,
}

/// Maps offsets in the expanded Markdown back to source files.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// (offset in output, file, offset in file), sorted by output offset.
    segs: Vec<(usize, FileId, usize)>,
}

impl SourceMap {
    pub fn lookup(&self, out: usize) -> Option<(FileId, usize)> {
        let i = self.segs.partition_point(|s| s.0 <= out);
        let (o, f, s) = *self.segs.get(i.checked_sub(1)?)?;
        Some((f, s + (out - o)))
    }
}

/// The result of resolving one page's slots.
#[derive(Debug, Default)]
pub struct Expanded {
    pub markdown: String,
    pub map: SourceMap,
    pub blocks: Vec<Block>,
    /// Markdown files this page depends on (its own, partials), in order of use.
    pub files_used: Vec<FileId>,
    /// Paths under `examples/` this page reads (files, trees, diff folders).
    pub examples_used: Vec<String>,
    /// Example files shown, in order of first use (for `<<files>>`).
    pub shown: Vec<String>,
    pub notes: Vec<Note>,
    pub diags: Vec<Diagnostic>,
}

/// What a page's slots are resolved against.
pub struct Env<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    pub examples: &'a ExampleStore,
    pub lang: &'a str,
    pub vars: &'a Map<String, Value>,
    pub notes: NotesMode,
    /// Parsed sources shared by all pages of the build.
    pub parsed: &'a ParseCache,
    /// Extra note for diagnostics, e.g. "in skeleton chapter, rendered for guide 'flask'".
    pub context_note: Option<String>,
}

#[derive(Debug)]
enum Node {
    Text(Range<usize>),
    Escape(Range<usize>),
    Slot(Slot),
    If {
        open: Slot,
        then: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Details {
        open: Slot,
        body: Vec<Node>,
    },
    Tabs {
        open: Slot,
        tabs: Vec<(Slot, Vec<Node>)>,
    },
    Note {
        open: Range<usize>,
        body: Vec<Node>,
        close: Range<usize>,
    },
}

enum Frame {
    Root,
    If { open: Slot, else_at: Option<Slot> },
    Details { open: Slot },
    Tabs { open: Slot },
    Note { open: Range<usize> },
}

/// A source span parsed once: its code ranges, its slot tree and its structural errors
/// (unbalanced blocks). Shared by every page that renders it.
#[derive(Debug)]
struct Parsed {
    code: Vec<Range<usize>>,
    nodes: Vec<Node>,
    diags: Vec<Diagnostic>,
}

/// Parsed source spans of one loaded site, by (file, start, end): a skeleton chapter is
/// parsed once for all its guides, a partial once for all the pages that include it.
/// Clear it whenever the site's files are reloaded (file ids change).
#[derive(Debug, Default)]
pub struct ParseCache(Mutex<HashMap<(FileId, usize, usize), Arc<Parsed>>>);

impl ParseCache {
    pub fn clear(&self) {
        if let Ok(mut m) = self.0.lock() {
            m.clear();
        }
    }

    fn get(&self, site: &Site, file: FileId, range: Range<usize>) -> Arc<Parsed> {
        let key = (file, range.start, range.end);
        if let Ok(m) = self.0.lock()
            && let Some(p) = m.get(&key)
        {
            return p.clone();
        }
        let code = code_ranges(&site.files[file].text, range.clone());
        let mut diags = Vec::new();
        let nodes = parse(site, file, range, &code, &mut diags);
        let parsed = Arc::new(Parsed { code, nodes, diags });
        if let Ok(mut m) = self.0.lock() {
            m.insert(key, parsed.clone());
        }
        parsed
    }
}

fn parse(
    site: &Site,
    file: FileId,
    range: Range<usize>,
    code: &[Range<usize>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Node> {
    let text = &site.files[file].text;
    let notes = notes::delimiters(text, range.clone(), code);
    let seg = &text[range.clone()];
    let base = range.start;
    // Tokens in file offsets, text split at note delimiters.
    enum T {
        Text(Range<usize>),
        Escape(Range<usize>),
        Slot(Slot),
        NoteOpen(Range<usize>),
        NoteClose(Range<usize>),
    }
    let mut toks = Vec::new();
    let mut ni = 0;
    for t in lexer::lex(seg) {
        match t {
            Token::Text(r) => {
                let (mut s, e) = (base + r.start, base + r.end);
                while ni < notes.len() && notes[ni].0 < e {
                    let (p, open) = notes[ni];
                    if p >= s {
                        if p > s {
                            toks.push(T::Text(s..p));
                        }
                        toks.push(if open {
                            T::NoteOpen(p..p + 2)
                        } else {
                            T::NoteClose(p..p + 2)
                        });
                        s = p + 2;
                    }
                    ni += 1;
                }
                if s < e {
                    toks.push(T::Text(s..e));
                }
            }
            Token::Escape(r) => toks.push(T::Escape(base + r.start..base + r.end)),
            Token::Slot(mut s) => {
                s.span = base + s.span.start..base + s.span.end;
                for f in &mut s.filters {
                    f.1 = base + f.1.start..base + f.1.end;
                }
                for a in &mut s.args {
                    a.1 = base + a.1.start..base + a.1.end;
                }
                // Note delimiters inside a slot's quotes are not delimiters.
                while ni < notes.len() && notes[ni].0 < s.span.end {
                    ni += 1;
                }
                toks.push(T::Slot(s));
            }
        }
    }

    let path = site.files[file].rel.clone();
    let err = |msg: String, span: &Range<usize>| {
        Diagnostic::error(&path, msg).at(text, span.start, span.end)
    };
    let mut stack: Vec<(Frame, Vec<Node>)> = vec![(Frame::Root, Vec::new())];

    fn close(
        frame: Frame,
        nodes: Vec<Node>,
        stack: &mut [(Frame, Vec<Node>)],
        end: Option<Range<usize>>,
    ) {
        let node = match frame {
            Frame::Root => {
                // Never closed through here; keep its content if it ever is.
                if let Some(top) = stack.last_mut() {
                    top.1.extend(nodes);
                }
                return;
            }
            Frame::If { open, else_at } => {
                // Nodes before `else` were moved into the Else marker below.
                let (then, otherwise) = split_else(nodes, else_at.is_some());
                Node::If {
                    open,
                    then,
                    otherwise,
                }
            }
            Frame::Details { open } => Node::Details { open, body: nodes },
            Frame::Tabs { open } => Node::Tabs {
                open,
                tabs: collect_tabs(nodes),
            },
            Frame::Note { open } => Node::Note {
                open: open.clone(),
                body: nodes,
                close: end.unwrap_or(open.end..open.end),
            },
        };
        if let Some(top) = stack.last_mut() {
            top.1.push(node);
        }
    }

    for t in toks {
        match t {
            T::Text(r) => push(&mut stack, Node::Text(r)),
            T::Escape(r) => push(&mut stack, Node::Escape(r)),
            T::NoteOpen(r) => stack.push((Frame::Note { open: r }, Vec::new())),
            T::NoteClose(r) => {
                if matches!(stack.last(), Some((Frame::Note { .. }, _))) {
                    let (f, n) = stack.pop().unwrap_or((Frame::Root, Vec::new()));
                    close(f, n, &mut stack, Some(r));
                } else {
                    push(&mut stack, Node::Text(r));
                }
            }
            T::Slot(s) => match s.name.as_str() {
                "if" => stack.push((
                    Frame::If {
                        open: s,
                        else_at: None,
                    },
                    Vec::new(),
                )),
                "details" => stack.push((Frame::Details { open: s }, Vec::new())),
                "tabs" => stack.push((Frame::Tabs { open: s }, Vec::new())),
                "else" => match stack.last_mut() {
                    Some((Frame::If { else_at, open }, nodes)) => {
                        if let Some(prev) = else_at {
                            diags.push(
                                err("a second <<else>> in one <<if>>".into(), &s.span)
                                    .with_note(format!(
                                        "the first <<else>> is at line {}",
                                        line_of(text, prev.span.start)
                                    ))
                                    .with_note(format!(
                                        "the <<if>> is at line {}",
                                        line_of(text, open.span.start)
                                    )),
                            );
                        } else {
                            nodes.push(Node::Slot(s.clone()));
                            *else_at = Some(s);
                        }
                    }
                    _ => diags.push(
                        err("<<else>> outside an <<if>> block".into(), &s.span)
                            .with_help("put <<else>> between <<if ...>> and <<end>>"),
                    ),
                },
                "tab" => match stack.last_mut() {
                    Some((Frame::Tabs { .. }, nodes)) => nodes.push(Node::Slot(s)),
                    _ => diags.push(
                        err("<<tab>> outside a <<tabs>> block".into(), &s.span)
                            .with_help("wrap the tabs in <<tabs>> ... <<end>>"),
                    ),
                },
                "end" => {
                    // Notes left open inside a block end with it.
                    while matches!(stack.last(), Some((Frame::Note { .. }, _))) && stack.len() > 1 {
                        let (f, n) = stack.pop().unwrap_or((Frame::Root, Vec::new()));
                        close(f, n, &mut stack, None);
                    }
                    if stack.len() <= 1 {
                        diags.push(
                            err(
                                "<<end>> without an open <<if>>, <<details>> or <<tabs>>".into(),
                                &s.span,
                            )
                            .with_help("remove this <<end>> or add the block it closes"),
                        );
                    } else {
                        let (f, n) = stack.pop().unwrap_or((Frame::Root, Vec::new()));
                        close(f, n, &mut stack, None);
                    }
                }
                _ => push(&mut stack, Node::Slot(s)),
            },
        }
    }
    while stack.len() > 1 {
        let (f, n) = stack.pop().unwrap_or((Frame::Root, Vec::new()));
        let open = match &f {
            Frame::If { open, .. } | Frame::Details { open } | Frame::Tabs { open } => {
                Some(open.clone())
            }
            Frame::Note { .. } | Frame::Root => None,
        };
        if let Some(o) = open {
            {
                let end_line = line_of(text, range.end.saturating_sub(1));
                diags.push(
                    err(
                        format!("<<{}>> is never closed with <<end>>", o.name),
                        &o.span,
                    )
                    .with_note(format!(
                        "the text ends at line {end_line} with this block still open"
                    ))
                    .with_help("add <<end>> where the block should end"),
                );
            }
        }
        close(f, n, &mut stack, None);
    }
    stack.pop().map(|x| x.1).unwrap_or_default()
}

fn split_else(nodes: Vec<Node>, has_else: bool) -> (Vec<Node>, Vec<Node>) {
    if !has_else {
        return (nodes, Vec::new());
    }
    let mut then = Vec::new();
    let mut otherwise = Vec::new();
    let mut seen = false;
    for n in nodes {
        match n {
            Node::Slot(s) if s.name == "else" && !seen => seen = true,
            n if seen => otherwise.push(n),
            n => then.push(n),
        }
    }
    (then, otherwise)
}

fn collect_tabs(nodes: Vec<Node>) -> Vec<(Slot, Vec<Node>)> {
    let mut tabs: Vec<(Slot, Vec<Node>)> = Vec::new();
    let mut before = Vec::new();
    for n in nodes {
        match n {
            Node::Slot(s) if s.name == "tab" => tabs.push((s, Vec::new())),
            n => match tabs.last_mut() {
                Some(t) => t.1.push(n),
                None => before.push(n),
            },
        }
    }
    // Text before the first tab is kept only if it is not blank (reported in eval).
    if !before.is_empty() {
        tabs.insert(
            0,
            (
                Slot {
                    span: 0..0,
                    name: String::new(),
                    filters: Vec::new(),
                    args: Vec::new(),
                },
                before,
            ),
        );
    }
    tabs
}

fn push(stack: &mut [(Frame, Vec<Node>)], n: Node) {
    if let Some(top) = stack.last_mut() {
        top.1.push(n);
    }
}

/// Resolve the slots of `file[range]` for a page.
pub fn expand(env: &Env<'_>, file: FileId, range: Range<usize>) -> Expanded {
    let mut out = Expanded::default();
    let mut ev = Eval {
        env,
        out: &mut out,
        include_stack: vec![file],
        tab_counter: 0,
    };
    ev.file(file, range);
    out
}

/// Escape a value for Markdown prose or HTML: character references are literal text in
/// both, so a value can never become markup.
pub fn escape_value(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '*' | '_' | '`' | '[' | ']' | '\\' | '|' | '~' | '#' | '!' | '{' | '}' | '$' => {
                out.push_str(&format!("&#{};", c as u32))
            }
            c => out.push(c),
        }
    }
}

struct Eval<'e, 'a> {
    env: &'e Env<'a>,
    out: &'e mut Expanded,
    include_stack: Vec<FileId>,
    tab_counter: usize,
}

impl Eval<'_, '_> {
    fn text(&self, f: FileId) -> &str {
        &self.env.site.files[f].text
    }

    fn diag(&mut self, file: FileId, msg: String, span: &Range<usize>, help: Option<String>) {
        let f = &self.env.site.files[file];
        let mut d = Diagnostic::error(&f.rel, msg).at(&f.text, span.start, span.end);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.decorate(file, d);
    }

    fn decorate(&mut self, file: FileId, mut d: Diagnostic) {
        // Where a slot sits in a partial, name the chain of files that included it.
        let idx = self
            .include_stack
            .iter()
            .rposition(|f| *f == file)
            .unwrap_or(0);
        for k in (0..idx).rev() {
            let parent = &self.env.site.files[self.include_stack[k]];
            if k == 0 {
                d = d.with_note(format!("used by {}", parent.rel.display()));
            } else {
                d = d.with_note(format!("included from {}", parent.rel.display()));
            }
        }
        if let Some(n) = &self.env.context_note {
            d = d.with_note(n.clone());
        }
        self.out.diags.push(d);
    }

    fn emit_text(&mut self, file: FileId, r: Range<usize>) {
        let out_pos = self.out.markdown.len();
        self.out.map.segs.push((out_pos, file, r.start));
        let t = &self.env.site.files[file].text[r];
        self.out.markdown.push_str(t);
    }

    fn file(&mut self, file: FileId, range: Range<usize>) {
        if !self.out.files_used.contains(&file) {
            self.out.files_used.push(file);
        }
        let parsed = self.env.parsed.get(self.env.site, file, range);
        for d in &parsed.diags {
            self.decorate(file, d.clone());
        }
        self.nodes(file, &parsed.nodes, &parsed.code);
    }

    fn nodes(&mut self, file: FileId, nodes: &[Node], code: &[Range<usize>]) {
        for n in nodes {
            self.node(file, n, code);
        }
    }

    /// Emit a block-level construct on a line of its own. When the slot stands alone
    /// on an indented line (inside a list item), the indentation is kept.
    fn block_placeholder(&mut self, b: Block) {
        let id = self.out.blocks.len();
        self.out.blocks.push(b);
        let md = &self.out.markdown;
        let line_start = md.rfind('\n').map(|i| i + 1).unwrap_or(0);
        if !md[line_start..].trim().is_empty() {
            self.out.markdown.push('\n');
        }
        self.out
            .markdown
            .push_str(&format!("<!--gg:block:{id}-->\n"));
    }

    fn node(&mut self, file: FileId, n: &Node, code: &[Range<usize>]) {
        match n {
            Node::Text(r) => self.emit_text(file, r.clone()),
            Node::Escape(r) => {
                if in_ranges(code, r.start) {
                    self.out.markdown.push_str("<<");
                } else {
                    self.out.markdown.push_str("&lt;&lt;");
                }
            }
            Node::Note { open, body, close } => self.note(file, open, body, close, code),
            Node::If {
                open,
                then,
                otherwise,
            } => match self.condition(file, open) {
                Some(true) => self.nodes(file, then, code),
                Some(false) => self.nodes(file, otherwise, code),
                None => {}
            },
            Node::Details { open, body } => {
                let title = self
                    .title_arg(file, open, "details", true)
                    .unwrap_or_default();
                self.ensure_blank_line();
                self.out.markdown.push_str(&format!(
                    "<details class=\"gg-details\">\n<summary>{}</summary>\n\n",
                    html_escape(&title)
                ));
                self.nodes(file, body, code);
                self.ensure_blank_line();
                self.out.markdown.push_str("</details>\n\n");
            }
            Node::Tabs { open, tabs } => self.tabs(file, open, tabs, code),
            Node::Slot(s) => self.slot(file, s, code),
        }
    }

    fn ensure_blank_line(&mut self) {
        let md = &mut self.out.markdown;
        if md.is_empty() {
            return;
        }
        while !md.ends_with("\n\n") {
            md.push('\n');
        }
    }

    fn note(
        &mut self,
        file: FileId,
        open: &Range<usize>,
        body: &[Node],
        close: &Range<usize>,
        code: &[Range<usize>],
    ) {
        let text = self.text(file);
        let inner = &text[open.end..close.start.max(open.end)];
        let note_text = inner.trim().to_string();
        let block = inner.contains("\n\n") || inner.contains("\n\r\n");
        self.out.notes.push(Note {
            file,
            span: open.start..close.end,
            text: note_text.clone(),
        });
        match self.env.notes {
            NotesMode::Hide => {}
            NotesMode::Deny => {
                let f = &self.env.site.files[file];
                let shown: String = note_text.chars().take(60).collect();
                let d = Diagnostic::error(&f.rel, format!("author note: {shown}"))
                    .at(&f.text, open.start, open.end)
                    .with_help("write the text, or set [build] notes = \"warn\" while drafting");
                self.decorate(file, d);
                self.nodes(file, body, code);
            }
            NotesMode::Warn => {
                if block {
                    self.ensure_blank_line();
                    self.out
                        .markdown
                        .push_str("<div class=\"gg-note\" role=\"note\">\n\n");
                    self.nodes(file, body, code);
                    self.ensure_blank_line();
                    self.out.markdown.push_str("</div>\n\n");
                } else {
                    self.out
                        .markdown
                        .push_str("<span class=\"gg-note\" role=\"note\">");
                    self.nodes(file, body, code);
                    self.out.markdown.push_str("</span>");
                }
            }
        }
    }

    fn tabs(
        &mut self,
        file: FileId,
        open: &Slot,
        tabs: &[(Slot, Vec<Node>)],
        code: &[Range<usize>],
    ) {
        let text = self.text(file).to_string();
        let mut real: Vec<(&Slot, &Vec<Node>)> = Vec::new();
        for (s, body) in tabs {
            if s.name.is_empty() {
                let stray = body.iter().any(|n| match n {
                    Node::Text(r) => !text[r.clone()].trim().is_empty(),
                    _ => true,
                });
                if stray {
                    self.diag(
                        file,
                        "text between <<tabs>> and the first <<tab \"...\">> belongs to no tab"
                            .into(),
                        &open.span,
                        Some("start the block with <<tab \"Title\">>".into()),
                    );
                }
                continue;
            }
            real.push((s, body));
        }
        if real.is_empty() {
            self.diag(
                file,
                "<<tabs>> has no <<tab \"...\">>".into(),
                &open.span,
                Some("add <<tab \"Linux / macOS\">> ... <<tab \"Windows\">> ...".into()),
            );
            return;
        }
        let n = self.tab_counter;
        self.tab_counter += 1;
        // Numbered per page, so ids are stable whatever else the site holds.
        let group = format!("gg-tabs-{n}");
        let titles: Vec<String> = real
            .iter()
            .map(|(s, _)| self.title_arg(file, s, "tab", true).unwrap_or_default())
            .collect();
        self.ensure_blank_line();
        let md = &mut self.out.markdown;
        md.push_str(
            "<div class=\"gg-tabs\" data-gg-tabs>
<div class=\"gg-tablist\" role=\"tablist\">",
        );
        for (i, t) in titles.iter().enumerate() {
            md.push_str(&format!(
                "<button type=\"button\" role=\"tab\" id=\"{group}-t{i}\" aria-controls=\"{group}-p{i}\" aria-selected=\"{}\" tabindex=\"{}\">{}</button>",
                i == 0,
                if i == 0 { 0 } else { -1 },
                html_escape(t)
            ));
        }
        md.push_str("</div>\n\n");
        for (i, (_, body)) in real.iter().enumerate() {
            self.ensure_blank_line();
            self.out.markdown.push_str(&format!(
                "<section class=\"gg-tabpanel\" role=\"tabpanel\" id=\"{group}-p{i}\" aria-labelledby=\"{group}-t{i}\" tabindex=\"0\">\n<p class=\"gg-tabtitle\">{}</p>\n\n",
                html_escape(&titles[i])
            ));
            self.nodes(file, body, code);
            self.ensure_blank_line();
            self.out.markdown.push_str("</section>\n\n");
        }
        self.out.markdown.push_str("</div>\n\n");
    }

    /// The first quoted argument of a block slot (details/tab title), with value slots filled.
    fn title_arg(&mut self, file: FileId, s: &Slot, what: &str, required: bool) -> Option<String> {
        let t = s.args.iter().find_map(|(a, _)| match a {
            Arg::Str(t) => Some(t.clone()),
            _ => None,
        });
        match t {
            Some(t) => match expand_inline(self.env.config, self.env.lang, self.env.vars, &t) {
                Ok(v) => Some(v),
                Err(m) => {
                    self.diag(file, m, &s.span, None);
                    None
                }
            },
            None if required => {
                self.diag(
                    file,
                    format!("<<{what}>> needs a title: <<{what} \"Title\">>"),
                    &s.span,
                    None,
                );
                None
            }
            None => None,
        }
    }

    fn condition(&mut self, file: FileId, s: &Slot) -> Option<bool> {
        let words: Vec<&Arg> = s.args.iter().map(|a| &a.0).collect();
        let truthy = |v: Option<&Value>| match v {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_f64().is_some_and(|x| x != 0.0),
            Some(Value::String(s)) => !matches!(s.trim(), "" | "0" | "false"),
            Some(Value::Array(a)) => !a.is_empty(),
            Some(Value::Object(_)) => true,
        };
        let as_str = |v: Option<&Value>| match v {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        };
        let vars = self.env.vars;
        let valid_name = |n: &str| {
            lexer::lex(&format!("<<{n}>>")).len() == 1
                && n.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        };
        let res = match words.as_slice() {
            [Arg::Word(k)] if valid_name(k) => Some(truthy(vars::lookup(vars, k))),
            [Arg::Word(not), Arg::Word(k)] if not == "not" && valid_name(k) => {
                Some(!truthy(vars::lookup(vars, k)))
            }
            [Arg::Word(k), Arg::Word(op), Arg::Str(v)]
                if valid_name(k) && (op == "==" || op == "!=") =>
            {
                let eq = as_str(vars::lookup(vars, k)).as_deref() == Some(v.as_str());
                Some(if op == "==" { eq } else { !eq })
            }
            _ => None,
        };
        if res.is_none() {
            self.diag(
                file,
                "invalid condition".into(),
                &s.span,
                Some("conditions: <<if key>>, <<if not key>>, <<if key == \"value\">>, <<if key != \"value\">>".into()),
            );
        }
        res
    }

    fn slot(&mut self, file: FileId, s: &Slot, code: &[Range<usize>]) {
        match s.name.as_str() {
            "include" => self.include(file, s),
            "example" => {
                if let Some(b) = self.example(file, s) {
                    self.block_placeholder(b);
                }
            }
            "files" => {
                self.block_placeholder(Block::Files);
            }
            "tree" => {
                if let Some(b) = self.tree(file, s) {
                    self.block_placeholder(b);
                }
            }
            "diff" => {
                if let Some(b) = self.diff(file, s) {
                    self.block_placeholder(b);
                }
            }
            _ => {
                if !s.args.is_empty() {
                    let help = did_you_mean(&s.name, KEYWORDS.iter().copied())
                        .map(|k| format!("did you mean '<<{k} ...>>'?"));
                    self.diag(
                        file,
                        format!("unknown slot '{}'", s.name),
                        &s.span,
                        help.or_else(|| Some(format!("slots: {}", KEYWORDS.join(", ")))),
                    );
                    return;
                }
                match value_of(self.env.config, self.env.lang, self.env.vars, s) {
                    Ok(v) => {
                        if in_ranges(code, s.span.start) {
                            self.out.markdown.push_str(&v);
                        } else {
                            escape_value(&v, &mut self.out.markdown);
                        }
                    }
                    Err((m, span, help)) => self.diag(file, m, &span, help),
                }
            }
        }
    }

    fn include(&mut self, file: FileId, s: &Slot) {
        let name = match s.args.as_slice() {
            [(Arg::Str(n), _)] => n.trim_end_matches(".md").to_string(),
            _ => {
                self.diag(
                    file,
                    "<<include>> takes one partial name: <<include \"name\">>".into(),
                    &s.span,
                    None,
                );
                return;
            }
        };
        let partials = self.env.site.partials.get(self.env.lang);
        let target = partials.and_then(|p| p.get(&name)).copied();
        let Some(target) = target else {
            let help = partials
                .and_then(|p| did_you_mean(&name, p.keys().map(String::as_str)))
                .map(|n| format!("did you mean '{n}'?"))
                .or_else(|| {
                    Some(format!(
                        "partials live in content/{}/_partials/<name>.md",
                        self.env.lang
                    ))
                });
            self.diag(file, format!("unknown partial '{name}'"), &s.span, help);
            return;
        };
        if let Some(pos) = self.include_stack.iter().position(|f| *f == target) {
            let chain: Vec<String> = self.include_stack[pos..]
                .iter()
                .chain(std::iter::once(&target))
                .map(|f| self.env.site.files[*f].rel.display().to_string())
                .collect();
            self.diag(
                file,
                format!("include cycle: {}", chain.join(" -> ")),
                &s.span,
                Some("a partial cannot include itself, directly or through others".into()),
            );
            return;
        }
        let f = &self.env.site.files[target];
        let range = f.body_start..f.text.len();
        // A partial's trailing newline would split the including paragraph.
        let trimmed_end = range.start + f.text[range.clone()].trim_end_matches(['\n', '\r']).len();
        self.include_stack.push(target);
        self.file(target, range.start..trimmed_end);
        self.include_stack.pop();
    }

    fn named<'s>(s: &'s Slot, key: &str) -> Option<&'s str> {
        s.args.iter().find_map(|(a, _)| match a {
            Arg::Named(k, v) if k == key => Some(v.as_str()),
            _ => None,
        })
    }

    fn check_args(&mut self, file: FileId, s: &Slot, allowed: &[&str], positional: usize) -> bool {
        let mut ok = true;
        let mut pos = 0;
        for (a, span) in &s.args {
            match a {
                Arg::Named(k, _) if !allowed.contains(&k.as_str()) => {
                    let help = did_you_mean(k, allowed.iter().copied())
                        .map(|n| format!("did you mean '{n}'?"))
                        .or_else(|| Some(format!("<<{}>> takes: {}", s.name, allowed.join(", "))));
                    self.diag(
                        file,
                        format!("unknown argument '{k}' for <<{}>>", s.name),
                        span,
                        help,
                    );
                    ok = false;
                }
                Arg::Str(_) => pos += 1,
                Arg::Word(w) => {
                    self.diag(
                        file,
                        format!("unexpected '{w}' in <<{}>>", s.name),
                        span,
                        Some("quote paths and values: \"...\"".into()),
                    );
                    ok = false;
                }
                _ => {}
            }
        }
        if pos > positional {
            self.diag(
                file,
                format!("<<{}>> takes at most {positional} quoted path", s.name),
                &s.span,
                None,
            );
            ok = false;
        }
        ok
    }

    /// A quoted argument with its value slots filled (`"<<app_file>>"`).
    fn fill(&mut self, file: FileId, s: &Slot, v: &str) -> Option<String> {
        if !v.contains("<<") {
            return Some(v.to_string());
        }
        match expand_inline(self.env.config, self.env.lang, self.env.vars, v) {
            Ok(x) => Some(x),
            Err(m) => {
                self.diag(file, m, &s.span, None);
                None
            }
        }
    }

    fn examples_dir(&self) -> String {
        vars::examples_dir(self.env.vars)
    }

    fn resolve_path(
        &mut self,
        file: FileId,
        s: &Slot,
        path: &str,
        want_dir: bool,
    ) -> Option<examples::Resolved> {
        let base = self.examples_dir();
        match self.env.examples.resolve(&base, path, want_dir) {
            Ok(r) => {
                if !self.out.examples_used.contains(&r.rel) {
                    self.out.examples_used.push(r.rel.clone());
                }
                Some(r)
            }
            Err(e) => {
                let span = s
                    .args
                    .first()
                    .map(|a| a.1.clone())
                    .unwrap_or(s.span.clone());
                self.diag(file, e.message, &span, e.help);
                None
            }
        }
    }

    fn example(&mut self, file: FileId, s: &Slot) -> Option<Block> {
        if !self.check_args(file, s, &["snippet", "lines", "lang", "title"], 1) {
            return None;
        }
        let Some(path) = s.args.iter().find_map(|(a, _)| match a {
            Arg::Str(p) => Some(p.clone()),
            _ => None,
        }) else {
            self.diag(
                file,
                "<<example>> needs a path: <<example \"werf.yaml\">>".into(),
                &s.span,
                None,
            );
            return None;
        };
        let path = self.fill(file, s, &path)?;
        let resolved = self.resolve_path(file, s, &path, false)?;
        let opts = examples::ShowOptions {
            snippet: Self::named(s, "snippet").map(str::to_string),
            lines: Self::named(s, "lines").map(str::to_string),
            lang: Self::named(s, "lang").map(str::to_string),
            title: Self::named(s, "title").map(str::to_string),
            page_lang: self.env.lang.to_string(),
            languages: self
                .env
                .config
                .languages
                .iter()
                .map(|l| l.code.clone())
                .collect(),
        };
        match self.env.examples.show(&resolved, &opts) {
            Ok(mut shown) => {
                if let Some(t) = &opts.title {
                    match expand_inline(self.env.config, self.env.lang, self.env.vars, t) {
                        Ok(t) => shown.title = t,
                        Err(m) => self.diag(file, m, &s.span, None),
                    }
                }
                if !self.out.shown.contains(&resolved.rel) {
                    self.out.shown.push(resolved.rel.clone());
                }
                Some(Block::Example(shown))
            }
            Err(e) => {
                let key = if e.message.contains("snippet") {
                    "snippet"
                } else {
                    "lines"
                };
                let span = s
                    .args
                    .iter()
                    .find(|(a, _)| matches!(a, Arg::Named(k, _) if k == key))
                    .map(|a| a.1.clone())
                    .unwrap_or(s.span.clone());
                self.diag(file, e.message, &span, e.help);
                None
            }
        }
    }

    fn tree(&mut self, file: FileId, s: &Slot) -> Option<Block> {
        if !self.check_args(file, s, &[], 1) {
            return None;
        }
        let path = s
            .args
            .iter()
            .find_map(|(a, _)| match a {
                Arg::Str(p) => Some(p.clone()),
                _ => None,
            })
            .unwrap_or_else(|| ".".to_string());
        let path = self.fill(file, s, &path)?;
        let resolved = self.resolve_path(file, s, &path, true)?;
        match self.env.examples.tree(&resolved) {
            Ok(mut t) => {
                // The first line is the folder as the author wrote it, like `tree DIR`.
                t.root = path;
                Some(Block::Tree(t))
            }
            Err(e) => {
                self.diag(file, e.message, &s.span, e.help);
                None
            }
        }
    }

    fn diff(&mut self, file: FileId, s: &Slot) -> Option<Block> {
        if !self.check_args(file, s, &["from"], 1) {
            return None;
        }
        let Some(from) = Self::named(s, "from")
            .map(str::to_string)
            .and_then(|f| self.fill(file, s, &f))
        else {
            self.diag(
                file,
                "<<diff>> needs from=\"DIR\": the examples folder of the previous step".into(),
                &s.span,
                None,
            );
            return None;
        };
        let one = s.args.iter().find_map(|(a, _)| match a {
            Arg::Str(p) => Some(p.clone()),
            _ => None,
        });
        let one = match one {
            Some(o) => Some(self.fill(file, s, &o)?),
            None => None,
        };
        let base = self.examples_dir();
        let old = match self.env.examples.resolve(&base, &from, true) {
            Ok(r) => r,
            Err(e) => {
                let span = s
                    .args
                    .iter()
                    .find(|(a, _)| matches!(a, Arg::Named(k, _) if k == "from"))
                    .map(|a| a.1.clone())
                    .unwrap_or(s.span.clone());
                self.diag(file, e.message, &span, e.help);
                return None;
            }
        };
        let new = match self.env.examples.resolve(&base, ".", true) {
            Ok(r) => r,
            Err(e) => {
                self.diag(file, e.message, &s.span, e.help);
                return None;
            }
        };
        for r in [&old.rel, &new.rel] {
            if !self.out.examples_used.contains(r) {
                self.out.examples_used.push(r.clone());
            }
        }
        match self
            .env
            .examples
            .diff(&old, &new, one.as_deref(), self.env.lang)
        {
            Ok(d) => Some(Block::Diff(d)),
            Err(e) => {
                self.diag(file, e.message, &s.span, e.help);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;
