//! Helpers shared by the integration tests: fixture sites, running the binary, and
//! reading what a reader gets.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The binary under test: this crate's, or `$GUIDEGEN_BIN` (to show that a test fails
/// on an older build: `GUIDEGEN_BIN=/path/to/old/guidegen cargo test --test it hostile`).
pub(crate) fn command() -> assert_cmd::Command {
    let mut c = match std::env::var_os("GUIDEGEN_BIN") {
        Some(bin) => assert_cmd::Command::new(bin),
        None => assert_cmd::Command::cargo_bin("guidegen").expect("binary built"),
    };
    c.env("NO_COLOR", "1");
    c
}

/// The path of the binary under test (for tests that start a server).
pub(crate) fn binary() -> PathBuf {
    match std::env::var_os("GUIDEGEN_BIN") {
        Some(bin) => PathBuf::from(bin),
        None => PathBuf::from(env!("CARGO_BIN_EXE_guidegen")),
    }
}

pub(crate) fn guidegen(args: &[&str]) -> Output {
    command().args(args).output().expect("guidegen runs")
}

/// Run guidegen in folder `dir` (paths in `args` relative to it).
pub(crate) fn guidegen_in(dir: &Path, args: &[&str]) -> Output {
    command()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("guidegen runs")
}

/// A copy of fixture `name` at `<tmp>/site` with `files` written over it.
pub(crate) fn fixture_with(name: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = copy_fixture(name);
    for (p, t) in files {
        let path = tmp.path().join("site").join(p);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, t).unwrap();
    }
    tmp
}

/// `guidegen build --root ROOT --out OUT`.
pub(crate) fn build_dir(root: &Path, out: &Path) -> Output {
    guidegen(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

/// Copy a fixture site into a temp dir (`<tmp>/site`), so tests can change it.
pub(crate) fn copy_fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(name), &tmp.path().join("site"));
    tmp
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = e.path().strip_prefix(from).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else if e.file_type().is_symlink() {
            let target = fs::read_link(e.path()).unwrap();
            std::os::unix::fs::symlink(target, &dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Build a fixture into a temp output folder; panics with the diagnostics on failure.
pub(crate) fn build_fixture(name: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let root = fixture(name);
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = guidegen(&args);
    assert!(
        o.status.success(),
        "build of {name} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (tmp, out)
}

pub(crate) fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The text a reader sees: tags removed, entities decoded.
pub(crate) fn strip_tags(h: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in h.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Compare `value` with the reviewed snapshot `tests/snapshots/<name>.snap`.
pub(crate) fn snapshot(name: &str, value: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name.to_string(), value));
}
