//! Tokenising, with no meaning attached: the `<<...>>` slot grammar, author-note
//! delimiters `{{ }}` in prose, and the Markdown line syntax guidegen needs before the
//! Markdown stage runs (fences, `#` headings, the one pulldown-cmark setup).
//!
//! Architecture invariant: nothing here imports from the rest of the crate.

pub(crate) mod lost;
pub(crate) mod markdown;
pub(crate) mod notes;
pub(crate) mod slot;
