//! The renderers of a build ([`Renderers`]): the built-in ones, and any put in front
//! of them; the first that takes a block draws it.

use super::renderers::{BlockRenderer, Input, Output};
use super::{Ctx, blocks, code};

/// The renderers of a build, asked in order; the first that draws a block draws it.
pub(crate) struct Renderers(Vec<Box<dyn BlockRenderer>>);

impl Default for Renderers {
    /// The built-in ones (see [`Renderers::with_first`]).
    fn default() -> Renderers {
        Renderers::with_first(Vec::new())
    }
}

impl Renderers {
    /// `first`, then the built-in renderers: example files, the files list, trees and
    /// diffs (`blocks.rs`), then code highlighted at build time, which draws every code
    /// block. A renderer in `first` draws what it claims before the built-in ones do.
    pub(crate) fn with_first(first: Vec<Box<dyn BlockRenderer>>) -> Renderers {
        let mut all = first;
        all.push(Box::new(blocks::Examples));
        all.push(Box::new(blocks::FilesList));
        all.push(Box::new(blocks::Trees));
        all.push(Box::new(blocks::Diffs));
        all.push(Box::new(code::Highlighted));
        Renderers(all)
    }

    /// The keys of every renderer, with their names, as one.
    pub(crate) fn key(&self) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for r in &self.0 {
            h.update(r.name().as_bytes());
            h.update(&r.key().to_le_bytes());
        }
        h.digest128()
    }

    /// Draw `input` with the first renderer that takes it (nothing if none does).
    pub(crate) fn render(&self, input: &Input<'_>, ctx: &Ctx<'_>) -> Output {
        self.0
            .iter()
            .find_map(|r| r.render(input, ctx))
            .unwrap_or_default()
    }
}
