//! The architecture as invariants, checked on the source text (rust-analyzer's `tidy`):
//!
//! - modules sit in rows; a module imports (`crate::x`, and `super::`/`self::` paths
//!   that reach another top-level module) only from rows below its own;
//! - inside a module, no two files import each other, directly or round a circle;
//! - every source file opens with a `//!` doc saying why it exists;
//! - only `output` creates, writes, renames or deletes files;
//! - no source file holds more than 400 lines of non-test code;
//! - no error is a bare `String`;
//! - the integration tests are one binary (`tests/it/`).
//!
//! Test code is cut item by item (each `#[cfg(test)]` item, braces matched on the text
//! with strings, characters and comments blanked), so every production line is read;
//! [`the_checks_catch_what_they_are_for`] plants each kind of violation and expects it
//! found. ARCHITECTURE.md states the same rules; when a module is added, it gets a row
//! here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules by row, lowest first. A module may import from any lower row, never from its
/// own row or a higher one.
const ROWS: &[&[&str]] = &[
    &["util", "syntax", "source"],
    &["diag"],
    &["config", "lint"],
    &["vars"],
    &["content", "examples"],
    &["slots", "highlight", "search"],
    &["markdown"],
    &["theme"],
    &["render"],
    &["output"],
    &["pipeline"],
    &["serve", "check", "init", "fuzz"],
    &["testing", "import"],
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

/// A source file: its top-level module (empty for roots and `tests.rs` files), its path
/// under src/, its module path (`src/check/mod.rs` is `[check]`, `src/check/links.rs`
/// `[check, links]`) and its production code.
struct File {
    module: String,
    rel: String,
    path: Vec<String>,
    code: String,
}

fn module_path(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn file(rel: &str, text: &str) -> File {
    let path = module_path(rel);
    let is_test = rel.ends_with("/tests.rs") || rel == "tests.rs";
    let module = if is_test || ROOTS.contains(&rel) {
        String::new()
    } else {
        path[0].clone()
    };
    File {
        module,
        rel: rel.to_string(),
        path,
        code: production(text),
    }
}

fn files() -> Vec<File> {
    let mut paths = Vec::new();
    rust_files(&src(), &mut paths);
    paths
        .iter()
        .map(|f| {
            let rel = f
                .strip_prefix(src())
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            file(&rel, &std::fs::read_to_string(f).expect("readable source"))
        })
        .collect()
}

/// `text` with the contents of comments, strings and character literals blanked (same
/// length, newlines kept), so braces and paths in them are not code.
fn blank(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let wipe = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
            wipe(&mut out, i, end);
            i = end;
        } else if b[i..].starts_with(b"/*") {
            let end = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
            wipe(&mut out, i, end);
            i = end;
        } else if b[i] == b'r'
            && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
            if b.get(i + 1 + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let start = i + 2 + hashes;
            let end = text[start..]
                .find(&close)
                .map_or(b.len(), |n| start + n + close.len());
            wipe(&mut out, start, end.saturating_sub(close.len()).max(start));
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            wipe(&mut out, i + 1, j.min(b.len()));
            i = j + 1;
        } else if b[i] == b'\'' {
            // A character literal ('x', '\n', '\u{..}'); a lifetime has no closing quote.
            let j = if b.get(i + 1) == Some(&b'\\') {
                text[i + 2..].find('\'').map(|n| i + 2 + n)
            } else {
                let ch = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + ch) == Some(&b'\'')).then_some(i + 1 + ch)
            };
            match j {
                Some(j) => {
                    wipe(&mut out, i + 1, j);
                    i = j + 1;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `text` without its test-only items: each `#[cfg(test)]` item (a `mod tests { }`, a
/// method, a `use`) is cut to its matching brace or semicolon, the rest is kept.
fn production(text: &str) -> String {
    let blanked = blank(text);
    let b = blanked.as_bytes();
    let mut keep = String::new();
    let mut from = 0;
    while let Some(n) = blanked[from..].find("#[cfg(test)]") {
        let at = from + n;
        keep.push_str(&text[from..at]);
        let mut i = at + "#[cfg(test)]".len();
        let mut depth = 0usize;
        while i < b.len() {
            match b[i] {
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                b';' if depth == 0 => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        from = i.min(b.len());
    }
    keep.push_str(&text[from..]);
    keep
}

/// The paths of the code that start with `crate::`, `super::` or `self::`, resolved to
/// module paths from the crate root: `super::pipeline::Build` in `src/check/mod.rs` is
/// `[pipeline, Build]`; a group (`crate::{a, b::c}`) gives one path per item.
fn paths(f: &File) -> Vec<Vec<String>> {
    let code = blank(&f.code);
    let here: Vec<String> = f.path.clone();
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let word_start = i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b':');
        let rest = &code[i..];
        let start = ["crate::", "super::", "self::"]
            .iter()
            .find(|p| rest.starts_with(**p));
        let (Some(_), true) = (start, word_start) else {
            i += 1;
            continue;
        };
        // The module the path starts from.
        let mut base: Vec<String> = Vec::new();
        let mut r = rest;
        if let Some(t) = r.strip_prefix("crate::") {
            r = t;
        } else {
            base = here.clone();
            loop {
                if let Some(t) = r.strip_prefix("super::") {
                    base.pop();
                    r = t;
                } else if let Some(t) = r.strip_prefix("self::") {
                    r = t;
                } else {
                    break;
                }
            }
        }
        let consumed = rest.len() - r.len();
        for tail in group_items(r) {
            let mut p = base.clone();
            p.extend(tail);
            out.push(p);
        }
        i += consumed.max(1);
    }
    out
}

/// The paths a use-tree starting at `r` names: `a::b` or `{a, b::c, d::{e}}`.
fn group_items(r: &str) -> Vec<Vec<String>> {
    if let Some(g) = r.strip_prefix('{') {
        let mut depth = 1;
        let mut end = g.len();
        for (i, c) in g.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &g[..end];
        let mut items = Vec::new();
        let (mut d, mut s) = (0, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => d += 1,
                '}' => d -= 1,
                ',' if d == 0 => {
                    items.push(&inner[s..i]);
                    s = i + 1;
                }
                _ => {}
            }
        }
        items.push(&inner[s..]);
        return items
            .iter()
            .map(|it| it.trim())
            .filter(|it| !it.is_empty() && *it != "self")
            .flat_map(|it| {
                let head: Vec<String> = it
                    .split("::")
                    .take_while(|s| !s.starts_with('{'))
                    .map(|s| s.trim().to_string())
                    .collect();
                match it.find('{') {
                    Some(k) => group_items(&it[k..])
                        .into_iter()
                        .map(|t| head.iter().cloned().chain(t).collect())
                        .collect(),
                    None => vec![head],
                }
            })
            .collect();
    }
    let mut parts = Vec::new();
    let mut s = r;
    loop {
        let name: String = s
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            break;
        }
        parts.push(name.clone());
        match s[name.len()..].strip_prefix("::") {
            Some(t) if t.starts_with('{') => {
                return group_items(t)
                    .into_iter()
                    .map(|g| parts.iter().cloned().chain(g).collect())
                    .collect();
            }
            Some(t) => s = t,
            None => break,
        }
    }
    vec![parts]
}

/// What a file breaks of the row rule.
fn row_problems(f: &File) -> Vec<String> {
    let mut problems = Vec::new();
    if f.module.is_empty() {
        return problems;
    }
    let Some(row) = row_of(&f.module) else {
        return vec![format!(
            "src/{}: module '{}' has no row in ROWS",
            f.rel, f.module
        )];
    };
    let mut seen = BTreeSet::new();
    for p in paths(f) {
        let Some(dep) = p.first() else { continue };
        if *dep == f.module || !seen.insert(dep.clone()) {
            continue;
        }
        match row_of(dep) {
            Some(r) if r < row => {}
            Some(r) => problems.push(format!(
                "src/{}: '{}' (row {row}) imports {dep} (row {r}); move what it needs to a lower row",
                f.rel, f.module
            )),
            // Items of the crate root (lib.rs re-exports) and external crates.
            None if ROWS.iter().flat_map(|r| r.iter()).any(|m| m == dep) => {}
            None => {}
        }
    }
    problems
}

#[test]
fn modules_import_only_from_lower_rows() {
    let problems: Vec<String> = files().iter().flat_map(row_problems).collect();
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// Circles between the files of one module: each file's imports of its siblings
/// (`mod.rs`, the module's face, is left out: its children may use what it declares).
fn circles(files: &[File]) -> Vec<String> {
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    let names: BTreeSet<Vec<String>> = files
        .iter()
        .filter(|f| !f.module.is_empty() && !f.rel.ends_with("mod.rs"))
        .map(|f| f.path.clone())
        .collect();
    for f in files.iter().filter(|f| names.contains(&f.path)) {
        for p in paths(f) {
            // The longest file path that `p` starts with.
            let target = (1..=p.len())
                .rev()
                .map(|n| p[..n].to_vec())
                .find(|t| names.contains(t));
            if let Some(t) = target.filter(|t| *t != f.path) {
                graph.entry(f.path.clone()).or_default().insert(t);
            }
        }
    }
    let mut found = Vec::new();
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut visited = BTreeSet::new();
        while let Some((at, trail)) = stack.pop() {
            for next in graph.get(&at).into_iter().flatten() {
                if next == start {
                    let names: Vec<String> = trail.iter().map(|p| p.join("/")).collect();
                    found.push(format!("{} -> {}", names.join(" -> "), start.join("/")));
                } else if visited.insert(next.clone()) {
                    let mut t = trail.clone();
                    t.push(next.clone());
                    stack.push((next.clone(), t));
                }
            }
        }
    }
    found
}

#[test]
fn no_two_files_of_a_module_import_each_other() {
    let found = circles(&files());
    assert!(found.is_empty(), "circles between files: {found:#?}");
}

#[test]
fn every_source_file_says_why_it_exists() {
    let mut paths = Vec::new();
    rust_files(&src(), &mut paths);
    let missing: Vec<String> = paths
        .iter()
        .filter(|p| {
            !std::fs::read_to_string(p)
                .unwrap_or_default()
                .trim_start()
                .starts_with("//!")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a //! doc: {missing:?}");
}

/// What a file writes to the file system, if it is not `output`'s to write.
fn write_problems(f: &File) -> Vec<String> {
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
    // `fuzz` is a test harness: it writes the scratch site it builds.
    if f.module == "output" || f.module == "fuzz" || f.module.is_empty() {
        return Vec::new();
    }
    let code = blank(&f.code);
    WRITES
        .iter()
        .filter(|w| code.contains(**w))
        .map(|w| format!("src/{}: uses {w}; only `output` writes files", f.rel))
        .collect()
}

#[test]
fn only_output_touches_the_file_system_for_writing() {
    let problems: Vec<String> = files().iter().flat_map(write_problems).collect();
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// Does a `Result<T, E>` in `line` (whitespace removed) have a string for `E`?
fn string_result(line: &str) -> bool {
    let mut rest = line;
    while let Some(i) = rest.find("Result<") {
        let inner = &rest[i + "Result<".len()..];
        let (mut depth, mut comma, mut end) = (1, None, inner.len());
        for (k, c) in inner.char_indices() {
            match c {
                '<' | '(' => depth += 1,
                '>' | ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k;
                        break;
                    }
                }
                ',' if depth == 1 => comma = Some(k),
                _ => {}
            }
        }
        if let Some(c) = comma
            && matches!(&inner[c + 1..end], "String" | "&str" | "&'staticstr")
        {
            return true;
        }
        rest = inner;
    }
    false
}

/// Error types that are bare strings.
fn string_errors(f: &File) -> Vec<String> {
    let code = blank(&f.code);
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let squeezed: String = line.split_whitespace().collect();
        if string_result(&squeezed) || squeezed.contains("Err(format!(") {
            out.push(format!(
                "src/{}:{}: an error as a String; give it a type (thiserror)",
                f.rel,
                n + 1
            ));
        }
    }
    out
}

#[test]
fn no_error_is_a_bare_string() {
    let problems: Vec<String> = files().iter().flat_map(string_errors).collect();
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn the_checks_catch_what_they_are_for() {
    // A back import of each kind, planted in `markdown` (row 6), each found.
    let planted = [
        ("markdown/a.rs", "//! x\nuse crate::pipeline::Build;\n"),
        (
            "markdown/a.rs",
            "//! x\nuse crate::{diag::Diagnostic, render::View};\n",
        ),
        (
            "markdown/a.rs",
            "//! x\nfn f() { let _ = crate::theme::x(); }\n",
        ),
        ("markdown/mod.rs", "//! x\nuse super::pipeline::Build;\n"),
        ("markdown/a.rs", "//! x\nuse super::super::render::View;\n"),
        (
            "markdown/mod.rs",
            "//! x\nuse super::{diag::D, render::{A, B}};\n",
        ),
        // Production code after a test-only method is read.
        (
            "markdown/a.rs",
            "//! x\nimpl X {\n    #[cfg(test)]\n    fn t() { let s = \"}\"; }\n    fn f() { crate::render::go(); }\n}\n",
        ),
    ];
    for (rel, code) in planted {
        assert_eq!(
            row_problems(&file(rel, code)).len(),
            1,
            "not caught: {rel}: {code}"
        );
    }
    // Allowed: lower rows, its own module, text in strings and comments.
    let fine = file(
        "markdown/a.rs",
        "//! x\nuse crate::{diag::D, util::html};\nuse super::links;\nuse self::inner::Y;\n// crate::pipeline in a comment\nconst S: &str = \"crate::serve\";\n#[cfg(test)]\nmod tests { use crate::pipeline::Build; }\n",
    );
    assert!(row_problems(&fine).is_empty(), "{:?}", row_problems(&fine));
    // A circle of two files of a module, and one of three.
    let two = [
        file("check/a.rs", "//! x\nuse super::b::B;\n"),
        file("check/b.rs", "//! x\nuse super::a::A;\n"),
    ];
    assert_eq!(circles(&two).len(), 2);
    let three = [
        file("check/a.rs", "//! x\nuse super::b::B;\n"),
        file("check/b.rs", "//! x\nuse super::{c::C};\n"),
        file("check/c.rs", "//! x\nfn f() { super::a::g(); }\n"),
        file("check/mod.rs", "//! x\nuse a::A;\n"),
    ];
    assert_eq!(circles(&three).len(), 3);
    // Writes outside `output`, and String errors.
    assert_eq!(
        write_problems(&file(
            "render/a.rs",
            "//! x\nfn f() { std::fs::write(p, b); }\n"
        ))
        .len(),
        1
    );
    assert_eq!(
        string_errors(&file(
            "render/a.rs",
            "//! x\nfn f() -> Result<(), String> { Ok(()) }\nfn g(m: HashMap<String, String>) -> Result<Vec<String>, E> {}\n"
        ))
        .len(),
        1
    );
    // Every row names a module that exists.
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
    let big: Vec<String> = files()
        .into_iter()
        .filter(|f| !f.module.is_empty())
        .map(|f| (f.rel, f.code.lines().count()))
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

/// Every backticked span of a Markdown text.
fn backticked(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let parts: Vec<&str> = line.split('`').collect();
        for (i, p) in parts.iter().enumerate() {
            if i % 2 == 1 && i + 1 < parts.len() {
                out.push(p.to_string());
            }
        }
    }
    out
}

/// All Rust source under `dir` (a file, or every file of a folder), as one text.
fn source_of(path: &Path) -> Option<String> {
    if path.is_file() {
        return std::fs::read_to_string(path).ok();
    }
    if !path.is_dir() {
        return None;
    }
    let mut files = Vec::new();
    rust_files(path, &mut files);
    Some(
        files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Is `name` defined in `code` (an item, a field, a variant or a method)?
fn defines(code: &str, name: &str) -> bool {
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .collect();
    words.windows(2).any(|w| {
        w[1] == name
            && matches!(
                w[0],
                "fn" | "struct" | "enum" | "trait" | "type" | "const" | "static" | "mod"
            )
    }) || code.contains(&format!("pub {name}:"))
        || code.contains(&format!("pub(crate) {name}:"))
        || code.contains(&format!("    {name},"))
        || code.contains(&format!("    {name} =>"))
        || code.contains(&format!("    {name} {{"))
        || code.contains(&format!("    {name}("))
        || code.contains(&format!("macro_rules! {name}"))
        || code.contains(&format!("{name}!("))
}

/// What a `a::b::C` span of ARCHITECTURE.md names that the source lacks.
fn missing_item(path: &str) -> Option<String> {
    let mut segs: Vec<&str> = path.split("::").map(str::trim).collect();
    if matches!(segs.first(), Some(&"guidegen") | Some(&"crate")) {
        segs.remove(0);
    }
    // A module path from src/, as long as it goes.
    let mut dir = src();
    let mut module: Option<PathBuf> = None;
    let mut used = 0;
    for s in &segs {
        let file = dir.join(format!("{s}.rs"));
        let folder = dir.join(s);
        if folder.join("mod.rs").is_file() || folder.is_dir() {
            module = Some(folder.clone());
            dir = folder;
        } else if file.is_file() {
            module = Some(file);
            used += 1;
            break;
        } else {
            break;
        }
        used += 1;
    }
    let code = match &module {
        Some(m) => source_of(m)?,
        None => source_of(&src())?,
    };
    let all = source_of(&src())?;
    for (i, s) in segs[used..].iter().enumerate() {
        let names: Vec<&str> = match s.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
            Some(group) => group.split(',').map(str::trim).collect(),
            None => vec![s],
        };
        for n in names {
            let here = if i == 0 { &code } else { &all };
            if !defines(here, n) {
                return Some(format!("`{path}`: no {n}"));
            }
        }
    }
    None
}

/// What a path span of ARCHITECTURE.md names that the repository lacks: a path from the
/// repository's root, from src/, or from a folder of src/ named like its first part.
fn missing_path(p: &str) -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = p.trim_end_matches('/');
    let first = rel.split('/').next().unwrap_or("");
    let mut candidates = vec![root.join(rel), src().join(rel)];
    for e in walkdir::WalkDir::new(src()).into_iter().flatten() {
        if e.file_type().is_dir() && e.file_name() == first {
            candidates.push(e.path().parent().unwrap().join(rel));
        }
    }
    (!candidates.iter().any(|c| c.exists())).then(|| format!("`{p}`: no such file or folder"))
}

/// The problems of ARCHITECTURE.md: spans naming paths or items that do not exist.
fn architecture_md_problems(text: &str) -> Vec<String> {
    // Folders of a guide site in general (the repository has some of them only).
    const SITE: &[&str] = &["static/", ".guidegen-cache/", "content/", "examples/"];
    let mut problems = Vec::new();
    for t in backticked(text) {
        let t = t.trim().trim_end_matches("()");
        let group = t.contains("::{");
        let plain =
            !t.contains(['<', '>', '*', '…', '"', '(', '=', '#']) && (group || !t.contains(' '));
        if !plain || SITE.contains(&t) {
            continue;
        }
        if t.contains("::") {
            let item = t;
            if item.split("::").all(|s| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_alphanumeric() || "_{}, ".contains(c))
            }) {
                problems.extend(missing_item(item));
            }
        } else if t.contains('/') && !t.starts_with("http") && t.chars().any(char::is_alphanumeric)
        {
            problems.extend(missing_path(t));
        }
    }
    problems
}

#[test]
fn architecture_md_names_what_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let problems = architecture_md_problems(&text);
    assert!(
        problems.is_empty(),
        "ARCHITECTURE.md names:\n{}",
        problems.join("\n")
    );
    // The check finds what it is for.
    let planted = "`src/pipeline/nope.rs`, `pipeline::NoSuchThing`, `Build::no_such_method`, `warm/nope.rs`, `util::text::{natural_cmp, nope}`";
    assert_eq!(
        architecture_md_problems(planted).len(),
        5,
        "{:?}",
        architecture_md_problems(planted)
    );
    let fine = "`src/pipeline/model.rs`, `pipeline::Model`, `Build::rebuild_pages`, `warm/keys.rs`, `util::text::{natural_cmp, weight_cmp}`, `Code::AuthorNote`";
    assert!(
        architecture_md_problems(fine).is_empty(),
        "{:?}",
        architecture_md_problems(fine)
    );
}
