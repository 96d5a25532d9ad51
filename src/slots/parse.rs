//! Parsing a source span into a tree: text, `\<<` escapes, slots, and the blocks they
//! open (`if`/`else`, `details`, `tabs`/`tab`, author notes `{{ }}`), with structural
//! errors (an `<<else>>` outside `<<if>>`, an unclosed block) reported at their slots.
//!
//! A span is parsed once per loaded site and shared by every page that renders it.

use std::ops::Range;

use crate::diag::Diagnostic;
use crate::source::SourceFile;
use crate::syntax::markdown::code_ranges;
use crate::syntax::notes;
use crate::syntax::slot::{self, Slot, Token};

/// How deep blocks (`if`, `details`, `tabs`, notes) may nest. Far beyond any guide;
/// deeper is an error, not a stack overflow.
pub(super) const MAX_NESTING: usize = 64;

/// A node of the slot tree, with byte spans in its file.
#[derive(Debug)]
pub(super) enum Node {
    Text(Range<usize>),
    Escape(Range<usize>),
    Slot(Slot),
    If {
        open: Slot,
        /// Where its `<<else>>` is, when it has one.
        else_at: Option<Range<usize>>,
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

/// A source span parsed once: its code ranges, its slot tree and its structural errors
/// (unbalanced blocks). Shared by every page that renders it.
#[derive(Debug)]
pub(super) struct Parsed {
    pub(super) code: Vec<Range<usize>>,
    pub(super) nodes: Vec<Node>,
    pub(super) diags: Vec<Diagnostic>,
}

/// Parse `file.text[range]`.
pub(super) fn parse(file: &SourceFile, range: Range<usize>) -> Parsed {
    let text: &str = &file.text;
    let code = code_ranges(text, range.clone());
    let delims = notes::delimiters(text, range.clone(), &code);
    let mut b = TreeBuilder {
        file,
        stack: vec![(Frame::Root, Vec::new())],
        diags: Vec::new(),
        too_deep: 0,
    };
    for t in tokens(text, range.clone(), &delims) {
        b.token(t);
    }
    let (nodes, mut diags) = b.finish(range.end);
    diags.extend(super::lost::findings(file, range));
    Parsed { code, nodes, diags }
}

/// A token in file offsets: lexer tokens, with text split at note delimiters.
enum Tok {
    Text(Range<usize>),
    Escape(Range<usize>),
    Slot(Slot),
    NoteOpen(Range<usize>),
    NoteClose(Range<usize>),
}

fn tokens(text: &str, range: Range<usize>, delims: &[(usize, bool)]) -> Vec<Tok> {
    let base = range.start;
    let mut toks = Vec::new();
    let mut ni = 0;
    for t in slot::lex(text.get(range).unwrap_or("")) {
        match t {
            Token::Text(r) => {
                let (mut s, e) = (base + r.start, base + r.end);
                while let Some(&(p, open)) = delims.get(ni).filter(|d| d.0 < e) {
                    if p >= s {
                        if p > s {
                            toks.push(Tok::Text(s..p));
                        }
                        toks.push(if open {
                            Tok::NoteOpen(p..p + 2)
                        } else {
                            Tok::NoteClose(p..p + 2)
                        });
                        s = p + 2;
                    }
                    ni += 1;
                }
                if s < e {
                    toks.push(Tok::Text(s..e));
                }
            }
            Token::Escape(r) => toks.push(Tok::Escape(base + r.start..base + r.end)),
            Token::Slot(mut s) => {
                s.span = base + s.span.start..base + s.span.end;
                for f in &mut s.filters {
                    f.1 = base + f.1.start..base + f.1.end;
                }
                for a in &mut s.args {
                    a.1 = base + a.1.start..base + a.1.end;
                }
                // Note delimiters inside a slot's quotes are not delimiters.
                while delims.get(ni).is_some_and(|d| d.0 < s.span.end) {
                    ni += 1;
                }
                toks.push(Tok::Slot(s));
            }
        }
    }
    toks
}

/// A block still open while parsing.
enum Frame {
    Root,
    If { open: Slot, else_at: Option<Slot> },
    Details { open: Slot },
    Tabs { open: Slot },
    Note { open: Range<usize> },
}

/// A stack machine over tokens: each open block is a frame collecting its nodes.
struct TreeBuilder<'t> {
    file: &'t SourceFile,
    stack: Vec<(Frame, Vec<Node>)>,
    diags: Vec<Diagnostic>,
    /// Blocks opened beyond [`MAX_NESTING`] and not yet closed: not built, reported once.
    too_deep: usize,
}

impl TreeBuilder<'_> {
    fn err(&self, msg: impl Into<String>, span: &Range<usize>) -> Diagnostic {
        Diagnostic::error(&self.file.rel, msg).at_file(self.file, span.start, span.end)
    }

    fn push(&mut self, n: Node) {
        if let Some(top) = self.stack.last_mut() {
            top.1.push(n);
        }
    }

    /// Open a block, unless blocks are already nested [`MAX_NESTING`] deep.
    fn open(&mut self, frame: Frame, span: &Range<usize>) {
        if self.stack.len() > MAX_NESTING || self.too_deep > 0 {
            if self.too_deep == 0 {
                let d = self
                    .err(format!("blocks nested more than {MAX_NESTING} deep"), span)
                    .with_help(
                        "close some <<if>>, <<details>> or <<tabs>> blocks before opening more",
                    );
                self.diags.push(d);
            }
            self.too_deep += 1;
            return;
        }
        self.stack.push((frame, Vec::new()));
    }

    fn token(&mut self, t: Tok) {
        match t {
            Tok::Text(r) => self.push(Node::Text(r)),
            Tok::Escape(r) => self.push(Node::Escape(r)),
            Tok::NoteOpen(r) => self.open(Frame::Note { open: r.clone() }, &r),
            Tok::NoteClose(_) if self.too_deep > 0 => self.too_deep -= 1,
            Tok::Slot(s) if self.too_deep > 0 && matches!(s.name.as_str(), "else" | "tab") => {}
            Tok::NoteClose(r) => {
                if matches!(self.stack.last(), Some((Frame::Note { .. }, _))) {
                    self.close_top(Some(r));
                } else {
                    self.push(Node::Text(r));
                }
            }
            Tok::Slot(s) => match s.name.as_str() {
                "if" => {
                    let span = s.span.clone();
                    let frame = Frame::If {
                        open: s,
                        else_at: None,
                    };
                    self.open(frame, &span);
                }
                "details" => {
                    let span = s.span.clone();
                    self.open(Frame::Details { open: s }, &span);
                }
                "tabs" => {
                    let span = s.span.clone();
                    self.open(Frame::Tabs { open: s }, &span);
                }
                "else" => self.on_else(s),
                "tab" => self.on_tab(s),
                "end" => self.on_end(&s),
                _ => self.push(Node::Slot(s)),
            },
        }
    }

    fn on_else(&mut self, s: Slot) {
        let d = match self.stack.last_mut() {
            Some((Frame::If { else_at, .. }, nodes)) if else_at.is_none() => {
                nodes.push(Node::Slot(s.clone()));
                *else_at = Some(s);
                return;
            }
            Some((
                Frame::If {
                    else_at: Some(prev),
                    open,
                },
                _,
            )) => {
                let (first, at) = (prev.span.start, open.span.start);
                self.err("a second <<else>> in one <<if>>", &s.span)
                    .with_note(format!(
                        "the first <<else>> is at line {}",
                        self.file.locate(first, first).line
                    ))
                    .with_note(format!(
                        "the <<if>> is at line {}",
                        self.file.locate(at, at).line
                    ))
            }
            _ => self
                .err("<<else>> outside an <<if>> block", &s.span)
                .with_help("put <<else>> between <<if ...>> and <<end>>"),
        };
        self.diags.push(d);
    }

    fn on_tab(&mut self, s: Slot) {
        match self.stack.last_mut() {
            Some((Frame::Tabs { .. }, nodes)) => nodes.push(Node::Slot(s)),
            _ => {
                let d = self
                    .err("<<tab>> outside a <<tabs>> block", &s.span)
                    .with_help("wrap the tabs in <<tabs>> ... <<end>>");
                self.diags.push(d);
            }
        }
    }

    fn on_end(&mut self, s: &Slot) {
        if self.too_deep > 0 {
            self.too_deep -= 1;
            return;
        }
        // Notes left open inside a block end with it.
        while matches!(self.stack.last(), Some((Frame::Note { .. }, _))) && self.stack.len() > 1 {
            self.close_top(None);
        }
        if self.stack.len() <= 1 {
            let d = self
                .err(
                    "<<end>> without an open <<if>>, <<details>> or <<tabs>>",
                    &s.span,
                )
                .with_help("remove this <<end>> or add the block it closes");
            self.diags.push(d);
        } else {
            self.close_top(None);
        }
    }

    /// Close the innermost open block into a node of its parent.
    fn close_top(&mut self, end: Option<Range<usize>>) {
        let Some((frame, nodes)) = self.stack.pop() else {
            return;
        };
        let node = match frame {
            Frame::Root => {
                // Never closed through here; keep its content if it ever is.
                if let Some(top) = self.stack.last_mut() {
                    top.1.extend(nodes);
                }
                return;
            }
            Frame::If { open, else_at } => {
                let (then, otherwise) = split_else(nodes, else_at.is_some());
                Node::If {
                    open,
                    else_at: else_at.map(|s| s.span),
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
                close: end.unwrap_or(open.end..open.end),
                open,
                body: nodes,
            },
        };
        self.push(node);
    }

    /// Report blocks left open at the end of the span (`end`: its end offset).
    fn finish(mut self, end: usize) -> (Vec<Node>, Vec<Diagnostic>) {
        while self.stack.len() > 1 {
            let open = match self.stack.last() {
                Some((
                    Frame::If { open, .. } | Frame::Details { open } | Frame::Tabs { open },
                    _,
                )) => Some(open.clone()),
                _ => None,
            };
            if let Some(o) = open {
                let end_line = self.file.locate(end.saturating_sub(1), end).line;
                let d = self
                    .err(
                        format!("<<{}>> is never closed with <<end>>", o.name),
                        &o.span,
                    )
                    .with_note(format!(
                        "the text ends at line {end_line} with this block still open"
                    ))
                    .with_help("add <<end>> where the block should end");
                self.diags.push(d);
            }
            self.close_top(None);
        }
        let nodes = self.stack.pop().map(|x| x.1).unwrap_or_default();
        (nodes, self.diags)
    }
}

/// The nodes of an `<<if>>`: before and after its `<<else>>` marker.
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

/// The tabs of a `<<tabs>>` block: each `<<tab>>` slot with the nodes after it. Text
/// before the first tab is kept under an unnamed slot (reported in eval unless blank).
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
