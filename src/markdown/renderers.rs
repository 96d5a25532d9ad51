//! The extension seam of the Markdown stage: every block a page shows — a fenced code
//! block, or a block the slot stage made (an example file, the files list, a tree, a
//! diff) — is drawn by a [`BlockRenderer`]. The built-in ones are listed in
//! `Renderers::with_first` (`markdown/mod.rs`); a new kind (a diagram, a terminal
//! recording) is one more implementation put in front of them. A renderer returns HTML, problems (located at
//! its block by the stage) and files to emit beside the page (they travel in the page's
//! result to every writer: the output folder, `serve`, the build cache). Its
//! [`BlockRenderer::key`] is part of the build cache's key, so a renderer that changes
//! its output invalidates the pages it drew.

use super::Ctx;
use crate::diag::Problem;
use crate::slots::Block;

/// A file a block emits besides the page's HTML, at `path` under the page's language
/// folder (`gen/1f2e3d.svg`). Pages that emit the same path must emit the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Emitted {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What a renderer is asked to draw.
pub(crate) enum Input<'a> {
    /// A fenced or indented code block: its language (the info string's first word,
    /// empty for none) and its code, slot values filled.
    Code { lang: &'a str, code: &'a str },
    /// A block the slot stage made.
    Slot(&'a Block),
}

/// What a renderer drew.
#[derive(Debug, Default)]
pub(crate) struct Output {
    pub html: String,
    /// Problems of the block (the stage locates them at the block).
    pub problems: Vec<Problem>,
    pub files: Vec<Emitted>,
}

impl Output {
    pub(super) fn html(html: String) -> Option<Output> {
        Some(Output {
            html,
            ..Output::default()
        })
    }
}

/// Draws one or more kinds of block.
pub(crate) trait BlockRenderer: Send + Sync {
    /// The renderer's name, for messages.
    fn name(&self) -> &'static str;

    /// What its output depends on besides the block and guidegen's program (a tool's
    /// version, an option): part of every page's key in the build cache.
    fn key(&self) -> u128 {
        0
    }

    /// Draw `input`, or `None` when it is not this renderer's kind.
    fn render(&self, input: &Input<'_>, ctx: &Ctx<'_>) -> Option<Output>;
}

/// A slot block's HTML as a renderer's output (the slot blocks' renderers).
pub(super) fn drawn(html: String) -> Option<Output> {
    Output::html(html)
}
