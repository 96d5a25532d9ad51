//! Resolving a parsed tree for one page: text, escapes, conditions, includes (with the
//! chain of files for diagnostics) and value slots, escaped for where they land.

use std::ops::Range;

use serde_json::Value;

use super::parse::Node;
use super::{Block, Env, Expanded, escape_value_at};
use crate::content::FileId;
use crate::diag::{Diagnostic, Problem};
use crate::syntax::markdown::{clean_code_value, code_value_marker, in_ranges};
use crate::syntax::slot::{self as lexer, Arg, KEYWORDS, Slot};
use crate::util::text::closest as did_you_mean;
use crate::vars::{self, expand_inline, value_of};

/// How deep partials may include partials.
const MAX_INCLUDE_DEPTH: usize = 32;
/// How many partials one page may include in all (each partial twice, 32 deep, would be
/// four billion).
const MAX_INCLUDES: usize = 10_000;
/// How large one page's Markdown may grow through includes.
const MAX_PAGE_BYTES: usize = 32 << 20;

pub(super) struct Eval<'e, 'a> {
    pub(super) env: &'e Env<'a>,
    pub(super) out: &'e mut Expanded,
    pub(super) include_stack: Vec<FileId>,
    pub(super) tab_counter: usize,
    /// Partials included so far.
    pub(super) includes: usize,
    /// A bound was hit: nothing more is expanded (the page has an error already).
    pub(super) stopped: bool,
}

impl Eval<'_, '_> {
    pub(super) fn text(&self, f: FileId) -> &str {
        &self.env.site.files[f].text
    }

    /// Report `p` in `file`, at its own span or else at `span`.
    pub(super) fn diag(&mut self, file: FileId, p: Problem, span: &Range<usize>) {
        let d = p.in_source(&self.env.site.files[file], Some(span.clone()));
        self.decorate(file, d);
    }

    pub(super) fn decorate(&mut self, file: FileId, mut d: Diagnostic) {
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

    pub(super) fn emit_text(&mut self, file: FileId, r: Range<usize>) {
        let out_pos = self.out.markdown.len();
        self.out.map.segs.push((out_pos, file, r.start));
        let t = &self.env.site.files[file].text[r];
        self.out.markdown.push_str(t);
    }

    pub(super) fn file(&mut self, file: FileId, range: Range<usize>) {
        if !self.out.files_used.contains(&file) {
            self.out.files_used.push(file);
        }
        let parsed = self.env.parsed.get(self.env.site, file, range);
        for d in &parsed.diags {
            self.decorate(file, d.clone());
        }
        self.nodes(file, &parsed.nodes, &parsed.code);
    }

    pub(super) fn nodes(&mut self, file: FileId, nodes: &[Node], code: &[Range<usize>]) {
        for n in nodes {
            self.node(file, n, code);
        }
    }

    /// Emit a block-level construct on a line of its own. When the slot stands alone
    /// on an indented line (inside a list item), the indentation is kept.
    pub(super) fn block_placeholder(&mut self, b: Block) {
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

    pub(super) fn node(&mut self, file: FileId, n: &Node, code: &[Range<usize>]) {
        if self.stopped {
            return;
        }
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
                else_at,
                then,
                otherwise,
            } => self.if_block(file, open, else_at, (then, otherwise), code),
            Node::Details { open, body } => self.details(file, open, body, code),
            Node::Tabs { open, tabs } => self.tabs(file, open, tabs, code),
            Node::Slot(s) => self.slot(file, s, code),
        }
    }

    pub(super) fn ensure_blank_line(&mut self) {
        let md = &mut self.out.markdown;
        if md.is_empty() {
            return;
        }
        while !md.ends_with("\n\n") {
            md.push('\n');
        }
    }

    /// The first quoted argument of a block slot (details/tab title), with value slots filled.
    pub(super) fn title_arg(
        &mut self,
        file: FileId,
        s: &Slot,
        what: &str,
        required: bool,
    ) -> Option<String> {
        let t = s.args.iter().find_map(|(a, _)| match a {
            Arg::Str(t) => Some(t.clone()),
            _ => None,
        });
        match t {
            Some(t) => match expand_inline(self.env.config, self.env.lang, self.env.vars, &t) {
                Ok(v) => Some(v),
                Err(m) => {
                    // Its span is in the argument's text: show the whole slot.
                    self.diag(file, m.unlocated(), &s.span);
                    None
                }
            },
            None if required => {
                let p = Problem::new(format!("<<{what}>> needs a title: <<{what} \"Title\">>"));
                self.diag(file, p, &s.span);
                None
            }
            None => None,
        }
    }

    pub(super) fn condition(&mut self, file: FileId, s: &Slot) -> Option<bool> {
        let words: Vec<&Arg> = s.args.iter().map(|a| &a.0).collect();
        let truthy = |v: Option<&Value>| match v {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_f64().is_some_and(|x| x != 0.0),
            Some(Value::String(s)) => {
                vars::written_bool(s).unwrap_or_else(|| !matches!(s.trim(), "" | "0" | "false"))
            }
            Some(Value::Array(a)) => !a.is_empty(),
            Some(Value::Object(_)) => true,
        };
        let as_str = |v: Option<&Value>| match v {
            Some(Value::String(s)) => Some(vars::text(s).to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        };
        let vars = self.env.vars;
        let valid_name = |n: &str| {
            lexer::lex(&format!("<<{n}>>")).len() == 1
                && n.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        };
        let defined = |w: &str| {
            w.strip_prefix("defined(")
                .and_then(|r| r.strip_suffix(')'))
                .filter(|k| valid_name(k))
                .map(str::to_string)
        };
        let res = match words.as_slice() {
            [Arg::Word(d)] if defined(d).is_some() => {
                Some(vars::lookup(vars, &defined(d)?).is_some())
            }
            [Arg::Word(not), Arg::Word(d)] if not == "not" && defined(d).is_some() => {
                Some(vars::lookup(vars, &defined(d)?).is_none())
            }
            [Arg::Word(k)] if valid_name(k) => {
                self.known_in_condition(file, s, k);
                Some(truthy(vars::lookup(vars, k)))
            }
            [Arg::Word(not), Arg::Word(k)] if not == "not" && valid_name(k) => {
                self.known_in_condition(file, s, k);
                Some(!truthy(vars::lookup(vars, k)))
            }
            [Arg::Word(k), Arg::Word(op), Arg::Str(v)]
                if valid_name(k) && (op == "==" || op == "!=") =>
            {
                self.known_in_condition(file, s, k);
                let eq = as_str(vars::lookup(vars, k)).as_deref() == Some(v.as_str());
                Some(if op == "==" { eq } else { !eq })
            }
            _ => None,
        };
        if res.is_none() {
            let p = Problem::new("invalid condition").help(
                "conditions: <<if key>>, <<if not key>>, <<if key == \"value\">>, <<if key != \"value\">>, <<if defined(key)>>",
            );
            self.diag(file, p, &s.span);
        }
        res
    }

    /// A condition on `name` that nothing of the site defines (no guide, skeleton,
    /// page or book.toml) is a misspelling: reported, never silently false (it would
    /// drop the text it guards). A name some guide defines is optional in the others.
    fn known_in_condition(&mut self, file: FileId, s: &Slot, name: &str) {
        let names = &self.env.site.names;
        let alias_known = vars::ALIASES
            .iter()
            .any(|(a, t)| *a == name && names.contains(*t));
        if vars::lookup(self.env.vars, name).is_some() || names.contains(name) || alias_known {
            return;
        }
        let candidates = names
            .iter()
            .map(String::as_str)
            .chain(vars::ALIASES.iter().map(|(a, _)| *a));
        let p = Problem::new(format!(
            "unknown variable '{name}' in a condition: no guide, skeleton, page or book.toml defines it"
        ))
        .with_code(crate::diag::Code::UnknownVariable)
        .suggest(crate::util::text::closest(name, candidates))
        .help(format!(
            "define it, or test whether an optional variable is set: <<if defined({name})>>"
        ));
        self.diag(file, p, &s.span);
    }

    pub(super) fn slot(&mut self, file: FileId, s: &Slot, code: &[Range<usize>]) {
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
                    let p = Problem::new(format!("unknown slot '{}'", s.name))
                        .suggest(
                            did_you_mean(&s.name, KEYWORDS.iter().copied())
                                .map(|k| format!("<<{k} ...>>")),
                        )
                        .help_unless_suggested(format!("slots: {}", KEYWORDS.join(", ")));
                    self.diag(file, p, &s.span);
                    return;
                }
                match value_of(self.env.config, self.env.lang, self.env.vars, s) {
                    Ok(v) => {
                        if in_ranges(code, s.span.start) {
                            let n = self.out.code_values.len();
                            self.out.code_values.push(clean_code_value(&v));
                            self.out.markdown.push_str(&code_value_marker(n));
                        } else {
                            escape_value_at(&v, &mut self.out.markdown);
                        }
                    }
                    Err(p) => self.diag(file, p, &s.span),
                }
            }
        }
    }

    pub(super) fn include(&mut self, file: FileId, s: &Slot) {
        let name = match s.args.as_slice() {
            [(Arg::Str(n), _)] => n.trim_end_matches(".md").to_string(),
            _ => {
                let p = Problem::new("<<include>> takes one partial name: <<include \"name\">>");
                self.diag(file, p, &s.span);
                return;
            }
        };
        let partials = self.env.site.partials.get(self.env.lang);
        let target = partials.and_then(|p| p.get(&name)).copied();
        let Some(target) = target else {
            let p = Problem::new(format!("unknown partial '{name}'"))
                .suggest(partials.and_then(|p| did_you_mean(&name, p.keys().map(String::as_str))))
                .help_unless_suggested(format!(
                    "partials live in content/{}/_partials/<name>.md",
                    self.env.lang
                ));
            self.diag(file, p, &s.span);
            return;
        };
        if let Some(pos) = self.include_stack.iter().position(|f| *f == target) {
            let chain: Vec<String> = self.include_stack[pos..]
                .iter()
                .chain(std::iter::once(&target))
                .map(|f| self.env.site.files[*f].rel.display().to_string())
                .collect();
            let p = Problem::new(format!("include cycle: {}", chain.join(" -> ")))
                .help("a partial cannot include itself, directly or through others");
            self.diag(file, p, &s.span);
            return;
        }
        if let Some(p) = self.bound_exceeded() {
            self.stopped = true;
            self.diag(file, p, &s.span);
            return;
        }
        self.includes += 1;
        let f = &self.env.site.files[target];
        let range = f.body_start..f.text.len();
        // A partial's trailing newline would split the including paragraph.
        let trimmed_end = range.start + f.text[range.clone()].trim_end_matches(['\n', '\r']).len();
        self.include_stack.push(target);
        self.file(target, range.start..trimmed_end);
        self.include_stack.pop();
    }

    /// Would one more include pass a bound of the page's expansion?
    fn bound_exceeded(&self) -> Option<Problem> {
        if self.include_stack.len() > MAX_INCLUDE_DEPTH {
            Some(
                Problem::new(format!(
                    "partials included more than {MAX_INCLUDE_DEPTH} deep"
                ))
                .help("a partial that includes partials is fine; a chain this long is a mistake"),
            )
        } else if self.includes >= MAX_INCLUDES {
            Some(
                Problem::new(format!(
                    "the page includes partials more than {MAX_INCLUDES} times"
                ))
                .help("partials that include each other several times multiply"),
            )
        } else if self.out.markdown.len() > MAX_PAGE_BYTES {
            Some(
                Problem::new(format!(
                    "the page grows past {} MB through includes",
                    MAX_PAGE_BYTES >> 20
                ))
                .help("partials that include each other several times multiply"),
            )
        } else {
            None
        }
    }
}
