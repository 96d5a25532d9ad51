//! Small helpers every stage uses and no stage owns: HTML escaping, URLs and paths,
//! text (slugs, natural order, suggestions), sorted folder walks and a memo cache.
//!
//! Architecture invariant: nothing here imports from the rest of the crate, so any
//! stage may use it without creating a cycle (mdBook's `utils`, Zola's `utils` crate).

pub mod fs;
pub mod html;
pub mod memo;
pub mod text;
pub mod url;
