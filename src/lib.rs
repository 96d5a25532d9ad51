//! guidegen: a static site generator for bilingual werf guides.
//!
//! The build is a pipeline of plain stages, each a module with one job, in rows that
//! import only from the rows below them (ARCHITECTURE.md; `tests/it/architecture.rs`
//! checks it): `config` -> `content` -> `slots` -> `markdown` (with `highlight`) ->
//! `render` -> `output`, driven by `pipeline`; `serve` and `check` sit beside it. Leaf
//! modules (`util`, `syntax`, `source`) import nothing from the crate.
//!
//! The public API is what the `guidegen` binary and the integration tests use: build a
//! site into memory ([`build`]: a [`Build`], the loaded [`Model`] and every page's
//! [`PageResult`]) or into its output folder ([`build_and_write`]), rebuild it after
//! changes ([`Build::rebuild`]), serve it ([`serve()`]), and print [`Diagnostic`]s.

mod check;
mod config;
mod content;
mod diag;
mod examples;
#[doc(hidden)]
pub mod fuzz;
mod highlight;
mod import;
mod init;
mod lint;
mod markdown;
mod output;
mod pipeline;
mod render;
mod search;
mod serve;
mod slots;
mod source;
mod syntax;
mod testing;
mod theme;
mod util;
mod vars;

pub use check::{CannotCheck, CheckOptions, Finding, Format, Outcome, StepState, check};
pub use config::locate_site;
pub use diag::{Code, Diagnostic, Level, Location, eprint_all};
pub use import::{ImportOptions, Imported, import};
pub use init::{init, welcome as init_welcome};
pub use pipeline::{
    Build, BuildOptions, Cleaned, Failure, Model, PageResult, Rebuilt, Stats, Written, build,
    build_and_write, clean,
};
pub use serve::{ServeError, ServeOptions, serve};
pub use source::PageId;
pub use testing::{StepResult, TestOptions, TestOutcome, test};
