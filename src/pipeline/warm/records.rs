//! What the build cache keeps between builds: one index record (`records/index/0`) with
//! a record per page, the per-language files, and the highlighted blocks.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::pipeline::result::PageResult;

/// An output file in the cache: where its bytes are (a pack reference, whose last part
/// is the hash of the bytes), and when they were first written (nanoseconds since
/// 1970: the file's modification time, kept while its bytes do not change).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Stored {
    pub(super) at: String,
    pub(super) time: u64,
}

/// What the cache keeps of one page: its key and what it read (to tell whether it
/// still holds), where its files are, and its result, whole.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct PageRecord {
    pub(super) key: String,
    /// Markdown files read (relative to the site) and examples read (under
    /// `examples/`), each with the hash of its content.
    pub(super) files: Vec<(String, String)>,
    pub(super) examples: Vec<(String, String)>,
    pub(super) html: Stored,
    /// The search document, as a record of its own (see `search::Doc::to_record`).
    pub(super) doc: Option<String>,
    /// The files the page emits (path under its language, where the bytes are).
    pub(super) emitted: Vec<(String, Stored)>,
    /// The page's result, but for the bytes of its HTML and files (stored above) and
    /// its search document.
    pub(super) result: PageResult,
}

/// The per-language files, for one set of pages.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct ExtraRecord {
    pub(super) key: String,
    /// (lang, path, the file).
    pub(super) files: Vec<(String, String, Stored)>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Index {
    pub(super) version: String,
    /// Output path (`en/flask/index.html`) -> record.
    pub(super) pages: HashMap<String, PageRecord>,
    pub(super) extra: Option<ExtraRecord>,
    /// This index's build, counted from the first.
    #[serde(default)]
    pub(super) generation: u64,
    /// Highlighted blocks: key -> (packed HTML, the generation that last used it).
    #[serde(default)]
    pub(super) blocks: HashMap<String, (String, u64)>,
}

/// Builds a highlighted block is kept without being used (then it is dropped).
pub(super) const BLOCK_BUILDS: u64 = 16;

/// The one record of the index.
pub(super) const INDEX: (&str, u128) = ("index", 0);

pub(super) fn hex(h: u128) -> String {
    format!("{h:032x}")
}

pub(super) fn unhex(s: &str) -> Option<u128> {
    u128::from_str_radix(s, 16).ok()
}
