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
        if rel.starts_with("public") || rel.starts_with(".guidegen-cache") {
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

/// An HTTP response, headers lower-cased.
pub(crate) struct Resp {
    pub(crate) status: u16,
    pub(crate) headers: String,
    pub(crate) body: String,
}

impl Resp {
    /// The value of header `name` (lower case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .map(str::trim)
    }
}

/// A minimal HTTP/1.1 GET; the path is sent exactly as given.
pub(crate) fn get(port: u16, path: &str) -> Resp {
    get_as(port, path, &format!("127.0.0.1:{port}"))
}

/// [`get`] with the given `Host` header.
pub(crate) fn get_as(port: u16, path: &str, host: &str) -> Resp {
    get_with(port, path, host, "")
}

/// [`get_as`] with more request headers (each ending in `\r\n`).
pub(crate) fn get_with(port: u16, path: &str, host: &str, headers: &str) -> Resp {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
    Resp {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

/// The JSON document `check --format json` printed.
pub(crate) fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

/// (code, path, line) of every finding of a JSON document, sorted.
pub(crate) fn found(doc: &serde_json::Value) -> Vec<(String, String, usize)> {
    let mut v: Vec<(String, String, usize)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0) as usize,
            )
        })
        .collect();
    v.sort();
    v
}

/// Validate a `check --format json` document against docs/check-schema.json.
pub(crate) fn validate(doc: &serde_json::Value) {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/check-schema.json");
    let schema: serde_json::Value = serde_json::from_str(&read(&schema_path)).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
