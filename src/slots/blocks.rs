//! Block slots: `<<if>>` (the branch taken, recorded), and those that become HTML
//! around Markdown: author notes (a visible box, an error,
//! or nothing, by `[build] notes`), `<<details>>` and `<<tabs>>` (accessible tabs that
//! show every panel without JavaScript).

use std::ops::Range;

use super::eval::Eval;
use super::parse::Node;
use super::{Branch, Note};
use crate::config::NotesMode;
use crate::content::FileId;
use crate::diag::Problem;
use crate::syntax::slot::Slot;
use crate::util::html::escape as html_escape;

impl Eval<'_, '_> {
    /// `<<if>>`: the branch its condition takes, recorded for `check` (a branch no page
    /// of any guide takes is text lost).
    pub(super) fn if_block(
        &mut self,
        file: FileId,
        open: &Slot,
        else_at: &Option<Range<usize>>,
        (then, otherwise): (&[Node], &[Node]),
        code: &[Range<usize>],
    ) {
        let before = self.out.diags.len();
        let taken = self.condition(file, open);
        // A condition in error went neither way: not a branch no guide takes.
        if let (Some(taken), true) = (taken, self.out.diags.len() == before) {
            self.out.branches.push(Branch {
                file,
                open: open.span.clone(),
                else_at: else_at.clone(),
                taken,
            });
        }
        match taken {
            Some(true) => self.nodes(file, then, code),
            Some(false) => self.nodes(file, otherwise, code),
            None => {}
        }
    }

    /// `<<details "Title">>`: a closed `<details>` with Markdown inside.
    pub(super) fn details(
        &mut self,
        file: FileId,
        open: &Slot,
        body: &[Node],
        code: &[Range<usize>],
    ) {
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

    pub(super) fn note(
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
        let note = Note {
            file,
            span: open.start..close.end,
            text: note_text,
        };
        self.out.notes.push(note.clone());
        match self.env.notes {
            NotesMode::Hide => {}
            NotesMode::Deny => {
                let d = note.diagnostic(&self.env.site.files[file], true);
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

    pub(super) fn tabs(
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
                    let p = Problem::new(
                        "text between <<tabs>> and the first <<tab \"...\">> belongs to no tab",
                    )
                    .help("start the block with <<tab \"Title\">>");
                    self.diag(file, p, &open.span);
                }
                continue;
            }
            real.push((s, body));
        }
        if real.is_empty() {
            let p = Problem::new("<<tabs>> has no <<tab \"...\">>")
                .help("add <<tab \"Linux / macOS\">> ... <<tab \"Windows\">> ...");
            self.diag(file, p, &open.span);
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
}
