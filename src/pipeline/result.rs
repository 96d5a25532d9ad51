//! One page's result: everything the render pass makes of a page, in one value that the
//! writers consume (memory for `check` and `serve`, the staging folder for `build`, the
//! build cache for warm builds). It is serialisable, and the build cache stores and
//! restores it whole: a new product of a page is a new field here, and the cache carries
//! it (a field that cannot be serialised does not compile).

use serde::{Deserialize, Serialize};

use super::deps::PageDeps;
use super::facts::PageFacts;
use crate::diag::Diagnostic;
use crate::markdown::Emitted;
use crate::render::OutPage;
use crate::search;

/// What the render pass made of one page.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PageResult {
    /// The page's HTML and where it goes (`None` when the page is in error). A writer
    /// that has written it keeps the path and drops the HTML.
    pub(crate) page: Option<OutPage>,
    /// What the page read: change any of it and the page is rendered again.
    pub(crate) deps: PageDeps,
    /// Its warnings (and errors).
    pub(crate) diags: Vec<Diagnostic>,
    /// What `check` reads of it, when the build collects it.
    pub(crate) facts: Option<PageFacts>,
    /// Files its blocks emit beside it (see `markdown::Emitted`), under its language.
    pub(crate) files: Vec<Emitted>,
    /// The page as search indexes it (`[build] search`). Its stems are numbered for one
    /// build, so the build cache keeps it as a record of its own (see
    /// `search::Doc::to_record`), referred to by `cached_doc`.
    #[serde(skip)]
    pub(crate) search: Option<search::Doc>,
    /// Where the build cache keeps the search document of a page it restored (loaded
    /// only when the index must be made again).
    #[serde(skip)]
    pub(crate) cached_doc: Option<String>,
    /// Taken from the build cache, not rendered.
    #[serde(skip)]
    pub(crate) reused: bool,
}

impl PageResult {
    /// Has the page an error?
    pub(crate) fn failed(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}
