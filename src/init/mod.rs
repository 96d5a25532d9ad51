//! `guidegen init [DIR]`: a small working bilingual site to start from: book.toml, a
//! skeleton of two chapters, one guide on it in English and Russian, a partial, and an
//! example folder with real files (one with a snippet). It builds and passes `guidegen
//! check` as it is (a test keeps that true). The files are in `src/init/starter/`,
//! embedded in the binary.

use std::path::Path;

mod welcome;
pub use welcome::welcome;

use crate::diag::Diagnostic;
use crate::output;

/// The starter site: path -> text.
const FILES: &[(&str, &str)] = &[
    (".gitignore", include_str!("starter/.gitignore")),
    ("book.toml", include_str!("starter/book.toml")),
    (
        "content/en/_index.md",
        include_str!("starter/content/en/_index.md"),
    ),
    (
        "content/en/_partials/install-werf.md",
        include_str!("starter/content/en/_partials/install-werf.md"),
    ),
    (
        "content/en/_skeleton/010_intro.md",
        include_str!("starter/content/en/_skeleton/010_intro.md"),
    ),
    (
        "content/en/_skeleton/020_build.md",
        include_str!("starter/content/en/_skeleton/020_build.md"),
    ),
    (
        "content/en/flask/_guide.md",
        include_str!("starter/content/en/flask/_guide.md"),
    ),
    (
        "content/ru/_index.md",
        include_str!("starter/content/ru/_index.md"),
    ),
    (
        "content/ru/_partials/install-werf.md",
        include_str!("starter/content/ru/_partials/install-werf.md"),
    ),
    (
        "content/ru/_skeleton/010_intro.md",
        include_str!("starter/content/ru/_skeleton/010_intro.md"),
    ),
    (
        "content/ru/_skeleton/020_build.md",
        include_str!("starter/content/ru/_skeleton/020_build.md"),
    ),
    (
        "content/ru/flask/_guide.md",
        include_str!("starter/content/ru/flask/_guide.md"),
    ),
    (
        "examples/flask/010_hello/Dockerfile",
        include_str!("starter/examples/flask/010_hello/Dockerfile"),
    ),
    (
        "examples/flask/010_hello/app.py",
        include_str!("starter/examples/flask/010_hello/app.py"),
    ),
    (
        "examples/flask/010_hello/requirements.txt",
        include_str!("starter/examples/flask/010_hello/requirements.txt"),
    ),
    (
        "examples/flask/010_hello/werf.yaml",
        include_str!("starter/examples/flask/010_hello/werf.yaml"),
    ),
];

/// Write the starter site into `dir` (see [`output::create`] for when a folder that
/// holds files is refused). Returns the paths written.
pub fn init(dir: &Path, force: bool) -> Result<Vec<&'static str>, Diagnostic> {
    output::create(dir, FILES, force)?;
    Ok(FILES.iter().map(|(p, _)| *p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_has_both_languages_a_guide_and_examples() {
        let paths: Vec<&str> = FILES.iter().map(|(p, _)| *p).collect();
        for want in [
            "book.toml",
            "content/en/flask/_guide.md",
            "content/ru/flask/_guide.md",
            "content/en/_partials/install-werf.md",
            "examples/flask/010_hello/app.py",
        ] {
            assert!(paths.contains(&want), "{want}");
        }
    }
}
