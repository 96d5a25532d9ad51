//! The built-in renderer of code blocks: highlighted at build time (syntect), in a
//! frame with a copy button; a language the highlighter does not know, or code too
//! large to highlight, is shown as plain text with a warning.

use super::Ctx;
use super::blocks::code_block;
use super::renderers::{BlockRenderer, Input, Output};
use crate::diag::{Code as Kind, Problem};
use crate::highlight;

/// Code blocks, highlighted at build time (syntect), in a frame with a copy button.
pub(super) struct Highlighted;

impl BlockRenderer for Highlighted {
    fn name(&self) -> &'static str {
        "code"
    }

    fn render(&self, input: &Input<'_>, ctx: &Ctx<'_>) -> Option<Output> {
        let Input::Code { lang, code } = input else {
            return None;
        };
        let mut problems = Vec::new();
        if highlight::too_large(code) {
            problems.push(Problem::new(format!(
                "code block too large to highlight (lines over {} characters or over {} MB); shown as plain text",
                highlight::MAX_LINE,
                highlight::MAX_BLOCK >> 20
            )));
        }
        let (html, known) = highlight::highlight(lang, code, ctx.highlights);
        if !known {
            problems.push(
                Problem::new(format!(
                    "unknown code block language '{lang}', shown as plain text"
                ))
                .with_code(Kind::UnknownLanguage)
                .help("use a language such as yaml, bash, dockerfile, python, js, go; or 'text'"),
            );
        }
        let mut out = Output::html(code_block(&html, lang, ctx))?;
        out.problems = problems;
        Some(out)
    }
}
