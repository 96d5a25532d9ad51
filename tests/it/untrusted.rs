//! A guides repository takes pull requests: no clone, page, template or cache may harm
//! the machine that builds it, the readers of the site or its server. Each test is one
//! attack that worked on 8947a0a; run them against an older binary with
//! `GUIDEGEN_BIN=/path/to/guidegen cargo test --test it untrusted` to see them fail.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::*;

/// The layout folder of the build cache (`.guidegen-cache/<LAYOUT>/`).
const LAYOUT: &str = "v2";

/// Build `<tmp>/site` into `<tmp>/out` (with `args`), stopped after 60 s: (exit code,
/// stderr).
fn build_with(tmp: &Path, args: &[&str]) -> (Option<i32>, String) {
    let site = tmp.join("site");
    let out = tmp.join("out");
    let mut all = vec![
        "build",
        "--root",
        site.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let o = command()
        .args(&all)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("guidegen runs");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn build(tmp: &Path) -> (Option<i32>, String) {
    build_with(tmp, &[])
}

/// A folder of someone's files beside the site: (folder, the files in it).
fn victim(dir: &Path) -> Vec<PathBuf> {
    fs::create_dir_all(dir.join("deeper/still")).unwrap();
    let files = vec![
        dir.join(".bashrc"),
        dir.join("notes.txt"),
        dir.join("deeper/still/thesis.tex"),
        dir.join("deeper/x.md"),
    ];
    for f in &files {
        fs::write(f, "mine").unwrap();
    }
    files
}

fn assert_untouched(files: &[PathBuf]) {
    for f in files {
        assert_eq!(
            fs::read_to_string(f).ok().as_deref(),
            Some("mine"),
            "{} was changed or deleted",
            f.display()
        );
    }
}

/// Every file the output folder holds is a regular file (no link into the cache or
/// anywhere else).
fn assert_plain_output(out: &Path) {
    for e in walkdir::WalkDir::new(out).into_iter().flatten() {
        let t = e.path().symlink_metadata().unwrap().file_type();
        assert!(
            t.is_file() || t.is_dir(),
            "{} is not a plain file",
            e.path().display()
        );
    }
}

// ---------------------------------------------------------------- the build cache

#[test]
fn a_committed_cache_never_deletes_files_outside_it() {
    // `.guidegen-cache/v2/packs -> ../../..`: the folder holding the clone.
    let tmp = copy_fixture("two_lang");
    let mine = victim(tmp.path());
    let cache = tmp.path().join("site/.guidegen-cache").join(LAYOUT);
    fs::create_dir_all(&cache).unwrap();
    symlink("../../..", cache.join("packs")).unwrap();
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    assert_untouched(&mine);
    assert_eq!(
        e.matches("warning: .guidegen-cache").count(),
        1,
        "one warning says why: {e}"
    );
    // Made again in place, as guidegen's own: the next build is warm and says nothing.
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    assert!(e.contains("unchanged, from the cache"), "{e}");
    assert!(!e.contains(".guidegen-cache"), "{e}");
    assert!(
        !cache
            .join("packs")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn linked_blob_folders_are_never_emptied() {
    // `v2/blobs` -> a folder of over 256 MB (a sparse file: no disk used), as the
    // cache once kept its files (and deleted what it did not use past 256 MB).
    let tmp = copy_fixture("two_lang");
    let outside = tmp.path().join("data");
    let mut mine = victim(&outside);
    fs::create_dir_all(outside.join("ab")).unwrap();
    let big = outside.join("ab/cdef");
    fs::File::create(&big).unwrap().set_len(300 << 20).unwrap();
    fs::write(outside.join("ab/mine.txt"), "mine").unwrap();
    mine.push(outside.join("ab/mine.txt"));
    let cache = tmp.path().join("site/.guidegen-cache").join(LAYOUT);
    fs::create_dir_all(&cache).unwrap();
    symlink(&outside, cache.join("blobs")).unwrap();
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    assert_untouched(&mine);
    assert!(big.exists());
}

#[test]
fn a_linked_cache_folder_never_writes_outside_the_site() {
    for link in [
        ".guidegen-cache".to_string(),
        format!(".guidegen-cache/{LAYOUT}"),
    ] {
        let tmp = copy_fixture("two_lang");
        let outside = tmp.path().join("etc");
        fs::create_dir_all(&outside).unwrap();
        let at = tmp.path().join("site").join(&link);
        fs::create_dir_all(at.parent().unwrap()).unwrap();
        symlink(&outside, &at).unwrap();
        let (code, e) = build(tmp.path());
        assert_eq!(code, Some(0), "{e}");
        let written: Vec<_> = walkdir::WalkDir::new(&outside)
            .min_depth(1)
            .into_iter()
            .flatten()
            .map(|e| e.into_path())
            .collect();
        assert!(written.is_empty(), "{link}: wrote {written:?}");
        assert!(
            tmp.path().join("site/.guidegen-cache").is_dir(),
            "{link}: made again as a folder"
        );
    }
}

/// Build the site, then replace every pack of its cache with `f(path, bytes)`, and
/// remove the output (so the next build must read the cache).
fn tamper_cache(tmp: &Path, f: impl Fn(&Path, &[u8])) {
    let (code, e) = build(tmp);
    assert_eq!(code, Some(0), "{e}");
    let packs = tmp.join("site/.guidegen-cache").join(LAYOUT).join("packs");
    let files: Vec<PathBuf> = fs::read_dir(&packs)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(!files.is_empty());
    for p in files {
        let bytes = fs::read(&p).unwrap();
        fs::remove_file(&p).unwrap();
        f(&p, &bytes);
    }
    fs::remove_dir_all(tmp.join("out")).unwrap();
}

#[test]
fn cache_entries_that_are_links_or_fifos_are_never_used() {
    // Blobs replaced by links to copies outside, with the same bytes.
    let tmp = copy_fixture("two_lang");
    let outside = tmp.path().join("copies");
    fs::create_dir_all(&outside).unwrap();
    tamper_cache(tmp.path(), |p, bytes| {
        let copy = outside.join(p.file_name().unwrap());
        fs::write(&copy, bytes).unwrap();
        symlink(&copy, p).unwrap();
    });
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    assert_plain_output(&tmp.path().join("out"));
    // FIFOs: a build that reads one waits forever.
    let tmp = copy_fixture("two_lang");
    tamper_cache(tmp.path(), |p, _| {
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads the NUL-terminated path it is given.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    });
    let index = tmp
        .path()
        .join("site/.guidegen-cache")
        .join(LAYOUT)
        .join("records/index");
    for e in fs::read_dir(&index).unwrap().flatten() {
        fs::remove_file(e.path()).unwrap();
        let c = std::ffi::CString::new(e.path().to_str().unwrap()).unwrap();
        // SAFETY: as above.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }
    let (code, e) = build(tmp.path());
    assert_eq!(
        code,
        Some(0),
        "a FIFO in the cache must not stop the build: {e}"
    );
    assert_plain_output(&tmp.path().join("out"));
}

#[test]
fn temporary_files_of_builds_that_died_are_removed() {
    let tmp = copy_fixture("two_lang");
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    // What a build killed on a full disk left: a half-written record, blob and store.
    let store = tmp.path().join("site/.guidegen-cache").join(LAYOUT);
    let left = [
        store.join("records/index/0123.tmp-4000000-7"),
        store.join("packs/tmp-19a2b3c4d5e6f-4000000"),
    ];
    for p in &left {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, "half").unwrap();
    }
    let made = tmp.path().join("site/.guidegen-cache.tmp-4000000-9");
    fs::create_dir_all(&made).unwrap();
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    for p in left.iter().chain([&made]) {
        assert!(!p.exists(), "{} was left", p.display());
    }
}

/// Replace page `rel` in the site's build cache with `poison(page)`, the way an attacker
/// would: appended to its pack, with the index pointing at it and every hash right.
fn poison_cache(site: &Path, rel: &str, poison: impl Fn(&str) -> String) {
    let hash = xxhash_rust::xxh3::xxh3_128;
    let store = site.join(".guidegen-cache").join(LAYOUT);
    let record = store.join(format!("records/index/{:032x}", 0));
    let bytes = fs::read(&record).unwrap();
    let mut index: serde_json::Value = serde_json::from_slice(&bytes[16..]).unwrap();
    let at = index["pages"][rel]["html"]["at"]
        .as_str()
        .unwrap()
        .to_string();
    let parts: Vec<&str> = at.split(':').collect();
    let (off, len): (usize, usize) = (parts[1].parse().unwrap(), parts[2].parse().unwrap());
    let pack = store.join("packs").join(parts[0]);
    let mut data = fs::read(&pack).unwrap();
    let page = String::from_utf8(data[off..off + len].to_vec()).unwrap();
    let bad = poison(&page).into_bytes();
    let new = format!(
        "{}:{}:{}:{:032x}",
        parts[0],
        data.len(),
        bad.len(),
        hash(&bad)
    );
    data.extend_from_slice(&bad);
    fs::write(&pack, data).unwrap();
    index["pages"][rel]["html"]["at"] = serde_json::Value::String(new);
    let body = serde_json::to_vec(&index).unwrap();
    let mut out = hash(&body).to_le_bytes().to_vec();
    out.extend_from_slice(&body);
    fs::write(&record, out).unwrap();
}

#[test]
fn a_cache_in_a_fresh_clone_is_not_trusted() {
    // The author builds, poisons the cache (a page with a script), commits it and
    // pushes; a reviewer clones and builds.
    let tmp = copy_fixture("two_lang");
    let site = tmp.path().join("site");
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    let rel = "en/node/010_hello.html";
    poison_cache(&site, rel, |p| {
        p.replace("<main", "<script>steal()</script><main")
    });
    let git = |dir: &Path, args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(dir)
            .args([
                "-c",
                "user.name=a",
                "-c",
                "user.email=a@b",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "{}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    git(&site, &["init", "-q"]);
    git(&site, &["add", "-A", "-f"]);
    git(&site, &["commit", "-q", "-m", "site with its cache"]);
    // The forged cache is consistent: where it was made, a build serves the poison.
    let o = build_dir(&site, &tmp.path().join("elsewhere"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(read(&tmp.path().join("elsewhere").join(rel)).contains("steal()"));
    let clone = tempfile::tempdir().unwrap();
    git(
        clone.path(),
        &["clone", "-q", site.to_str().unwrap(), "site"],
    );
    assert!(clone.path().join("site/.guidegen-cache/OWNER").is_file());
    let (code, e) = build(clone.path());
    assert_eq!(code, Some(0), "{e}");
    let built = read(&clone.path().join("out").join(rel));
    assert!(!built.contains("steal()"), "the poisoned page was served");
    assert!(!e.contains("from the cache"), "{e}");
    assert!(e.contains("not made in this folder"), "{e}");
}

#[test]
fn output_folders_never_share_files_with_the_cache_or_each_other() {
    let tmp = copy_fixture("two_lang");
    let site = tmp.path().join("site");
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    let other = tmp.path().join("other");
    let o = build_dir(&site, &other);
    assert!(o.status.success());
    let rel = "en/node/010_hello.html";
    let good = fs::read(other.join(rel)).unwrap();
    // Edit one page in place in the first output folder.
    {
        use std::io::{Seek, Write};
        let mut f = fs::OpenOptions::new()
            .write(true)
            .open(tmp.path().join("out").join(rel))
            .unwrap();
        f.seek(std::io::SeekFrom::Start(0)).unwrap();
        f.write_all(b"EDITED IN PLACE").unwrap();
    }
    assert!(
        fs::read(other.join(rel)).unwrap() == good,
        "an edit of one output folder changed the other"
    );
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    assert!(
        fs::read(tmp.path().join("out").join(rel)).unwrap() == good,
        "the next build did not repair the page (its cache entry changed too)"
    );
}

// ---------------------------------------------------------------- the server

/// A page of the two_lang fixture with this text, and more files.
fn page_with(text: &str, more: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files = vec![("content/en/node/030_page.md", text)];
    files.extend_from_slice(more);
    fixture_with("two_lang", &files)
}

#[test]
fn server_directives_in_pages_never_reach_the_output() {
    for text in [
        "---\ntitle: T\n---\nHi\n\n<!--#echo var=\"http_cookie\" -->\n",
        "---\ntitle: T\n---\nInline <!--#echo var=\"http_authorization\" --> here.\n",
        "---\ntitle: T\n---\nx\n\n<!--#include virtual=\"/guides/node/030_page.html\" -->\n<!--#include virtual=\"/guides/node/030_page.html\" -->\n",
    ] {
        let tmp = page_with(text, &[]);
        let (code, e) = build(tmp.path());
        assert_eq!(code, Some(1), "{e}");
        assert!(
            e.contains("content/en/node/030_page.md:")
                && e.contains("server directive")
                && e.contains('^'),
            "a located error: {e}"
        );
        assert!(!tmp.path().join("out").exists(), "nothing written");
        let o = guidegen(&[
            "check",
            "--root",
            tmp.path().join("site").to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("\"server-directive\""),
            "check names the finding"
        );
    }
    // Shown as code, it is text.
    let tmp = page_with(
        "---\ntitle: T\n---\nWrite `<!--#include virtual=\"/x\" -->`:\n\n```html\n<!--#echo var=\"x\" -->\n```\n",
        &[],
    );
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    let html = read(&tmp.path().join("out/en/node/030_page.html"));
    assert!(!html.contains("<!--#"), "{html}");
    assert!(html.contains("&lt;!--#include virtual"), "{html}");
}

#[test]
fn server_directives_in_templates_static_pages_and_book_toml_are_refused() {
    let base = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("theme/templates/base.html"));
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (
            vec![(
                "theme/templates/base.html",
                base.replace("<body", "<!--#echo var=\"http_cookie\" --><body"),
            )],
            "theme/templates/base.html:",
        ),
        (
            // Assembled at run time: the last guard before writing.
            vec![(
                "theme/templates/base.html",
                base.replace(
                    "<body",
                    "{{ \"<!-\" ~ \"-#echo var='http_cookie' -->\" | safe }}<body",
                ),
            )],
            "server directive",
        ),
        (
            vec![(
                "static/hello.html",
                "<p><!--#exec cmd=\"id\" --></p>".to_string(),
            )],
            "static/hello.html:1:4",
        ),
    ];
    for (files, expect) in cases {
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let tmp = fixture_with("two_lang", &files);
        let (code, e) = build(tmp.path());
        assert_eq!(code, Some(1), "{e}");
        assert!(e.contains(expect), "{expect}: {e}");
        assert!(!tmp.path().join("out").exists());
    }
    let book = read(&fixture("two_lang").join("book.toml"));
    let tmp = fixture_with(
        "two_lang",
        &[(
            "book.toml",
            &format!("{book}\n[publish]\nssi_head = \"/guides/node/index.html\"\n"),
        )],
    );
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(1), "{e}");
    assert!(e.contains("inside the guides"), "{e}");
}

// ---------------------------------------------------------------- templates

/// The fixture with `theme/templates/<name>` written.
fn theme(name: &str, text: &str) -> tempfile::TempDir {
    fixture_with("two_lang", &[(&format!("theme/templates/{name}"), text)])
}

#[test]
fn templates_that_never_end_are_errors_not_crashes() {
    let base = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("theme/templates/base.html"));
    let cases = [
        (
            "base.html",
            base.replace("<body", "{% include \"base.html\" %}<body"),
            "includes itself",
        ),
        (
            "nav.html",
            "{% macro walk(n) %}{{ self::walk(n=n) }}{% endmacro walk %}".to_string(),
            "macro walk calls itself",
        ),
        (
            // Tera itself recursed without end on this one (found by the `site` fuzz
            // target): page.html extends base.html, which extends itself.
            "base.html",
            "{% extends \"base.html\" %}".to_string(),
            "extends itself",
        ),
        (
            "base.html",
            base.replace(
                "<body",
                "{% for i in range(end=100000000) %}{{ i }}{% endfor %}<body",
            ),
            "range() of 100000000 numbers",
        ),
        (
            "base.html",
            base.replace(
                "<body",
                "{% for i in range(end=5000) %}{% for j in range(end=5000) %}{% endfor %}{% endfor %}<body",
            ),
            "over 100000 numbers",
        ),
        (
            "base.html",
            base.replace(
                "<body",
                "{% for i in range(end=9000) %}{% for j in range(end=9) %}{{ \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" ~ \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" }}{% endfor %}{% endfor %}<body",
            ),
            "over 32 MB",
        ),
    ];
    for (name, text, expect) in cases {
        let tmp = theme(name, &text);
        for cmd in ["build", "check"] {
            let (code, e) = if cmd == "build" {
                build(tmp.path())
            } else {
                let o = command()
                    .args(["check", "--root", tmp.path().join("site").to_str().unwrap()])
                    .timeout(Duration::from_secs(60))
                    .output()
                    .unwrap();
                (
                    o.status.code(),
                    String::from_utf8_lossy(&o.stdout).into_owned()
                        + &String::from_utf8_lossy(&o.stderr),
                )
            };
            assert_eq!(code, Some(1), "{cmd}, {expect}: {e}");
            assert!(e.contains(expect), "{cmd}: {expect}: {e}");
            assert!(e.contains(name), "{cmd}: the template is named: {e}");
        }
    }
}

#[test]
fn templates_read_only_the_environment_book_toml_allows() {
    let base = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("theme/templates/base.html"));
    let page = base.replace(
        "<body",
        "<meta name=\"x\" content=\"{{ get_env(name='SECRET') }}\"><body",
    );
    let tmp = theme("base.html", &page);
    let run = |value: &str| {
        let site = tmp.path().join("site");
        let out = tmp.path().join("out");
        let o = command()
            .env("SECRET", value)
            .args([
                "build",
                "--root",
                site.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, e) = run("hunter2");
    assert_eq!(code, Some(1), "{e}");
    assert!(e.contains("template_env") && !e.contains("hunter2"), "{e}");
    // Allowed by name: read, and part of the cache key.
    let book = tmp.path().join("site/book.toml");
    let text = read(&book);
    fs::write(
        &book,
        text.replace("[build]", "[build]\ntemplate_env = [\"SECRET\"]"),
    )
    .unwrap();
    assert!(
        read(&book).contains("template_env"),
        "the fixture has a [build] table"
    );
    let (code, e) = run("first");
    assert_eq!(code, Some(0), "{e}");
    assert!(read(&tmp.path().join("out/en/node/010_hello.html")).contains("content=\"first\""));
    let (code, e) = run("second");
    assert_eq!(code, Some(0), "{e}");
    assert!(read(&tmp.path().join("out/en/node/010_hello.html")).contains("content=\"second\""));
}

// ---------------------------------------------------------------- escaping and paths

#[test]
fn a_value_in_an_unquoted_attribute_stays_one_value() {
    let tmp = page_with(
        "---\ntitle: T\nv: \"x onmouseover=alert(5)\"\nw: \"y' onfocus='alert(6)\"\n---\n<a href=<<v>>>a</a> <a title=<<w>>>b</a> <img alt=\"q\" src=<<v>>>\n",
        &[],
    );
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    let html = read(&tmp.path().join("out/en/node/030_page.html"));
    let main = &html[html.find("<main").unwrap()..];
    for bad in [" onmouseover=", " onfocus="] {
        assert!(!main.contains(bad), "{bad} became an attribute:\n{main}");
    }
    assert!(
        main.contains("href=x&#32;onmouseover&#61;alert&#40;5&#41;"),
        "{main}"
    );
}

#[test]
fn a_path_is_never_a_url_scheme() {
    // A chapter whose file name has a colon: every link to it still works.
    let tmp = fixture_with(
        "two_lang",
        &[
            (
                "content/en/node/040_step:one.md",
                "---\ntitle: Step one\n---\nText.\n",
            ),
            (
                "content/en/node/050_next.md",
                "---\ntitle: Next\n---\nBack to [step one](040_step:one.md).\n",
            ),
        ],
    );
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    let next = read(&tmp.path().join("out/en/node/050_next.html"));
    assert!(next.contains("href=\"./040_step:one.html\""), "{next}");
    assert!(!next.contains("href=\"040_step:one.html\""), "{next}");
    let o = guidegen(&["check", "--root", tmp.path().join("site").to_str().unwrap()]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(!said.contains("broken-link"), "{said}");
    // A permalink that is a script URL is refused.
    for p in ["javascript:alert(1)", "/javascript:alert(document.cookie)/"] {
        let tmp = page_with(&format!("---\ntitle: T\npermalink: \"{p}\"\n---\nx\n"), &[]);
        let (code, e) = build(tmp.path());
        assert_eq!(code, Some(1), "{p}: {e}");
        assert!(
            e.contains("030_page.md:3:1") && e.contains("permalink"),
            "{e}"
        );
    }
}

#[test]
fn every_output_collision_is_an_error_naming_both() {
    type Files<'a> = &'a [(&'a str, &'a str)];
    let cases: [(Files, &str, &str); 5] = [
        (
            &[(
                "content/en/node/030_page.md",
                "---\ntitle: T\npermalink: \"404\"\n---\nx\n",
            )],
            "content/en/node/030_page.md:3:1",
            "the 404 page",
        ),
        (
            &[("static/sitemap.xml", "<urlset/>")],
            "static/sitemap.xml",
            "the sitemap",
        ),
        (
            &[("static/404.html", "<p>custom</p>")],
            "static/404.html",
            "the 404 page",
        ),
        (
            &[("static/search/index.js", "x")],
            "static/search/index.js",
            "the search index",
        ),
        (
            &[("static/assets/style.css", "body{}")],
            "static/assets/style.css",
            "assets/style.css",
        ),
    ];
    for (files, at, other) in cases {
        let tmp = fixture_with("two_lang", files);
        let (code, e) = build(tmp.path());
        assert_eq!(code, Some(1), "{at}: {e}");
        assert!(
            e.contains(at) && e.contains(other) && e.contains("duplicate-output")
                || e.contains(at) && e.contains(other),
            "{at}: {e}"
        );
        assert!(!tmp.path().join("out").exists());
    }
}

#[test]
fn extends_names_only_a_skeleton() {
    let tmp = fixture_with(
        "two_lang",
        &[(
            "content/en/node/_guide.md",
            "---\ntitle: Node\nextends: _partials\n---\n",
        )],
    );
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(1), "{e}");
    assert!(e.contains("names the partials"), "{e}");
    assert!(!tmp.path().join("out/en/node/shared.html").exists());
}

#[test]
fn init_force_never_writes_through_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("precious.toml");
    fs::write(&outside, "mine").unwrap();
    let dir = tmp.path().join("site");
    fs::create_dir_all(&dir).unwrap();
    symlink(&outside, dir.join("book.toml")).unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    symlink(&elsewhere, dir.join("content")).unwrap();
    let o = guidegen(&["init", dir.to_str().unwrap(), "--force"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("symbolic link"));
    assert_eq!(read(&outside), "mine");
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn the_report_can_never_be_the_cache_or_the_sources() {
    let tmp = copy_fixture("two_lang");
    let site = tmp.path().join("site");
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    for dir in [".guidegen-cache", ".guidegen-cache/v2", "content", "."] {
        let o = guidegen(&[
            "check",
            "--root",
            site.to_str().unwrap(),
            "--report",
            site.join(dir).to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{dir}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert!(
        site.join(".guidegen-cache/OWNER").is_file(),
        "the cache is intact"
    );
}

#[test]
fn yaml_scalars_render_as_written_and_read_as_booleans_in_conditions() {
    let tmp = page_with(
        concat!(
            "---\ntitle: T\na: on\nb: yes\nc: N\nd: No\ne: .inf\nf: off\ng: True\nh: \"no\"\n---\n",
            "Values: <<a>> <<b>> <<c>> <<d>> <<e>> <<f>> <<g>> <<h>>.\n\n",
            "<<if a>>A is on.<<end>> <<if f>>F is on.<<end>> <<if not d>>D is no.<<end>> <<if h>>H is text.<<end>>\n",
        ),
        &[],
    );
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    let html = read(&tmp.path().join("out/en/node/030_page.html"));
    assert!(
        html.contains("Values: on yes N No .inf off True no."),
        "{html}"
    );
    assert!(
        html.contains("A is on.") && html.contains("D is no."),
        "{html}"
    );
    assert!(!html.contains("F is on."), "{html}");
    // draft: yes is a draft.
    let tmp = page_with("---\ntitle: T\ndraft: yes\n---\nx\n", &[]);
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    assert!(!tmp.path().join("out/en/node/030_page.html").exists());
}
