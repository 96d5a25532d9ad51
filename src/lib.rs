//! guidegen: a static site generator for bilingual werf guides.
//!
//! The build is a pipeline of plain stages, each a module with one job (see
//! ARCHITECTURE.md): [`config`] -> [`content`] -> [`slots`] -> [`markdown`] (with
//! [`highlight`]) -> [`render`] -> [`output`], driven by [`build`].

pub mod config;
pub mod content;
pub mod diag;
pub mod examples;
pub mod highlight;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod slots;
pub mod source;
pub mod syntax;
pub mod theme;
pub mod util;
pub mod vars;
