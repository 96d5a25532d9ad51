//! The fuzzing seeds (`fuzz/seeds/<target>/`), replayed through the same entry points
//! `cargo fuzz` drives: the named starting inputs and every input that found a bug must
//! go through without a panic (a hang would stop the test run). The corpus a fuzzing run
//! grows is not committed; see docs/reliability.md.

use std::path::Path;

fn replay(target: &str, run: fn(&str)) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    for f in files {
        let bytes = std::fs::read(&f).expect("corpus file");
        if let Ok(text) = std::str::from_utf8(&bytes) {
            run(text);
        }
    }
}

#[test]
fn slots_corpus() {
    replay("slots", guidegen::fuzz::slots);
}

#[test]
fn frontmatter_corpus() {
    replay("frontmatter", guidegen::fuzz::frontmatter);
}

#[test]
fn book_toml_corpus() {
    replay("book_toml", guidegen::fuzz::book_toml);
}

#[test]
fn page_corpus() {
    replay("page", guidegen::fuzz::page);
}

#[test]
fn site_corpus() {
    replay("site", guidegen::fuzz::site);
}
