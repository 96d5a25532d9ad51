//! The architecture as invariants, checked on the source text (rust-analyzer's `tidy`):
//!
//! - modules sit in rows; a module imports (`crate::x`) only from rows below its own;
//! - every source file opens with a `//!` doc saying why it exists;
//! - only `output` creates, writes, renames or deletes files;
//! - no source file holds more than 400 lines of non-test code;
//! - the integration tests are one binary (`tests/it/`).
//!
//! ARCHITECTURE.md states the same rules; when a module is added, it gets a row here.

use std::path::{Path, PathBuf};

/// Modules by row, lowest first. A module may import from any lower row, never from its
/// own row or a higher one.
const ROWS: &[&[&str]] = &[
    &["util", "syntax", "source"],
    &["diag"],
    &["config"],
    &["vars"],
    &["content", "examples"],
    &["slots", "highlight", "search"],
    &["markdown"],
    &["theme"],
    &["render"],
    &["output"],
    &["pipeline"],
    &["serve", "check", "init", "fuzz"],
];

/// Files that are the crate's roots, not modules.
const ROOTS: &[&str] = &["lib.rs", "main.rs"];

fn row_of(module: &str) -> Option<usize> {
    ROWS.iter().position(|r| r.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// (module, path relative to src/, text without unit tests) of every non-test file.
fn modules() -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut out = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(src())
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&f).expect("readable source");
        if rel.ends_with("/tests.rs") || ROOTS.contains(&rel.as_str()) {
            out.push((String::new(), rel, text));
            continue;
        }
        let module = rel
            .split('/')
            .next()
            .expect("a path")
            .trim_end_matches(".rs")
            .to_string();
        let code = match text.find("#[cfg(test)]") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        out.push((module, rel, code));
    }
    out
}

/// The crate modules named by `crate::x` paths in `code` (also `crate::{x, y::z}`).
fn imports(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = item.trim().split("::").next().unwrap_or("").trim();
                if !name.is_empty() {
                    out.push(name.to_string());
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn modules_import_only_from_lower_rows() {
    let mut problems = Vec::new();
    for (module, rel, code) in modules() {
        if module.is_empty() {
            continue;
        }
        let Some(row) = row_of(&module) else {
            problems.push(format!("src/{rel}: module '{module}' has no row in ROWS"));
            continue;
        };
        for dep in imports(&code) {
            if dep == module {
                continue;
            }
            match row_of(&dep) {
                Some(r) if r < row => {}
                Some(r) => problems.push(format!(
                    "src/{rel}: '{module}' (row {row}) imports crate::{dep} (row {r}); \
                     move what it needs to a lower row"
                )),
                None => problems.push(format!("src/{rel}: imports unknown module crate::{dep}")),
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn every_source_file_says_why_it_exists() {
    let missing: Vec<String> = modules()
        .into_iter()
        .filter(|(_, _, text)| !text.trim_start().starts_with("//!"))
        .map(|(_, rel, _)| format!("src/{rel}"))
        .collect();
    assert!(missing.is_empty(), "files without a //! doc: {missing:?}");
}

#[test]
fn only_output_touches_the_file_system_for_writing() {
    const WRITES: &[&str] = &[
        "fs::write",
        "File::create",
        "create_dir",
        "remove_dir",
        "remove_file",
        "fs::rename",
        "fs::copy",
        "OpenOptions",
    ];
    let mut problems = Vec::new();
    for (module, rel, code) in modules() {
        // `fuzz` is a test harness: it writes the scratch site it builds.
        if module == "output" || module == "fuzz" || module.is_empty() {
            continue;
        }
        for w in WRITES {
            if code.contains(w) {
                problems.push(format!("src/{rel}: uses {w}; only `output` writes files"));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn the_row_table_checks_itself() {
    assert_eq!(
        imports("use crate::{diag::Diagnostic, util::html};\nlet x = crate::vars::lookup(a);"),
        vec!["diag", "util", "vars"]
    );
    for row in ROWS {
        for m in *row {
            let file = src().join(format!("{m}.rs"));
            let dir = src().join(m).join("mod.rs");
            assert!(
                file.is_file() || dir.is_file(),
                "ROWS names '{m}', which does not exist"
            );
        }
    }
}

#[test]
fn source_files_stay_small() {
    let big: Vec<String> = modules()
        .into_iter()
        .filter(|(m, _, _)| !m.is_empty())
        .map(|(_, rel, code)| (rel, code.lines().count()))
        .filter(|(_, n)| *n > 400)
        .map(|(rel, n)| format!("src/{rel}: {n} lines"))
        .collect();
    assert!(big.is_empty(), "split these along their seams: {big:?}");
}

#[test]
fn integration_tests_are_one_binary() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let stray: Vec<String> = std::fs::read_dir(&tests)
        .expect("tests/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(stray.is_empty(), "put these under tests/it/: {stray:?}");
}
