//! Small helpers every stage uses and no stage owns: HTML escaping, URLs and paths,
//! text (slugs, natural order, suggestions), confinement of author paths (with
//! sorted, loop-free walks), a memo cache and a fast hash for word maps.
//!
//! Architecture invariant: nothing here imports from the rest of the crate, so any
//! stage may use it without creating a cycle (mdBook's `utils`, Zola's `utils` crate).

pub(crate) mod confine;
pub(crate) mod fxhash;
pub(crate) mod git;
pub(crate) mod html;
pub(crate) mod memo;
pub(crate) mod text;
pub(crate) mod url;
