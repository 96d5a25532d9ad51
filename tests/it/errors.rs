//! Bad input: each case gives a clear `path:line:column: message`, a non-zero exit,
//! no output folder, and never a panic.

use std::fs;
use std::path::Path;

use crate::common::*;

/// Build `<tmp>/site` into `<tmp>/out`; expect failure; return stderr.
fn fails(tmp: &Path) -> String {
    let root = tmp.join("site");
    let out = tmp.join("out");
    let o = build_dir(&root, &out);
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(
        o.status.code(),
        Some(1),
        "expected exit 1, got {:?}\n{stderr}",
        o.status
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "no output may be written on error");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    stderr
}

fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    fixture_with("two_lang", files)
}

fn skeleton_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    fixture_with("skeleton", files)
}

#[test]
fn malformed_frontmatter() {
    let tmp = site_with(&[(
        "content/en/node/030_bad.md",
        "---\ntitle: ok\nweight: [1, 2\n---\nbody\n",
    )]);
    let e = fails(tmp.path());
    assert!(e.contains("error: content/en/node/030_bad.md:"), "{e}");
    assert!(e.contains("invalid YAML frontmatter"), "{e}");
    let line = e
        .split("030_bad.md:")
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap();
    assert!(
        line.parse::<usize>().unwrap() >= 3,
        "line counts from the top of the file: {e}"
    );
}

#[test]
fn frontmatter_keys_with_wrong_types() {
    let tmp = site_with(&[(
        "content/en/node/030_t.md",
        "---\ntitle: T\nweight: \"3\"\ndraft: yes please\n---\nbody\n",
    )]);
    let e = fails(tmp.path());
    assert!(
        e.contains("content/en/node/030_t.md:3:1: frontmatter key 'weight' must be a whole number"),
        "{e}"
    );
    assert!(
        e.contains("content/en/node/030_t.md:4:1: frontmatter key 'draft' must be true or false"),
        "{e}"
    );
}

#[test]
fn unknown_book_toml_key() {
    let tmp = site_with(&[]);
    let p = tmp.path().join("site/book.toml");
    let t = fs::read_to_string(&p)
        .unwrap()
        .replace("notes = \"warn\"", "notes = \"warn\"\nout_dri = \"x\"");
    fs::write(&p, t).unwrap();
    let e = fails(tmp.path());
    assert!(
        e.contains(
            "error: book.toml:8:1: unknown key 'out_dri' in [build] (did you mean 'out_dir'?)"
        ),
        "{e}"
    );
    assert!(e.contains("8 | out_dri = \"x\""), "{e}");
    assert!(e.contains("^^^^^^^"), "a caret under the key: {e}");
}

#[test]
fn wrong_type_in_book_toml() {
    let tmp = site_with(&[]);
    let p = tmp.path().join("site/book.toml");
    let t = fs::read_to_string(&p)
        .unwrap()
        .replace("notes = \"warn\"", "notes = 3");
    fs::write(&p, t).unwrap();
    let e = fails(tmp.path());
    assert!(e.contains("error: book.toml:7:9:"), "{e}");
}

#[test]
fn unknown_variable_with_suggestion() {
    let tmp = site_with(&[(
        "content/en/node/030_typo.md",
        "---\ntitle: Typo\n---\n\nBuild a <<frameworkk>> app.\n",
    )]);
    let e = fails(tmp.path());
    assert!(
        e.contains("error: content/en/node/030_typo.md:5:9: unknown variable 'frameworkk' (did you mean 'framework'?)\n"),
        "{e}"
    );
    assert!(e.contains("5 | Build a <<frameworkk>> app."), "{e}");
    assert!(e.contains("  |         ^^^^^^^^^^^^^^"), "{e}");
}

#[test]
fn all_errors_are_reported_not_only_the_first() {
    let tmp = site_with(&[
        ("content/en/node/030_a.md", "---\ntitle: A\n---\n<<nope>>\n"),
        (
            "content/ru/node/030_b.md",
            "---\ntitle: B\n---\n<<framework|uper>>\n",
        ),
    ]);
    let e = fails(tmp.path());
    assert!(e.contains("030_a.md:4:1: unknown variable 'nope'"), "{e}");
    assert!(e.contains("030_b.md:4:1"), "{e}");
    assert!(e.contains("unknown filter 'uper'"), "{e}");
    assert!(e.contains("2 errors"), "{e}");
}

#[test]
fn non_utf8_markdown() {
    let tmp = site_with(&[]);
    fs::write(
        tmp.path().join("site/content/en/node/030_latin1.md"),
        b"---\ntitle: x\n---\ncaf\xe9\n",
    )
    .unwrap();
    let e = fails(tmp.path());
    assert!(e.contains("error: content/en/node/030_latin1.md: file is not valid UTF-8 (invalid byte at line 4, column 4)"), "{e}");
}

#[test]
fn unreadable_file() {
    let tmp = site_with(&[]);
    // A dangling symlink inside the site cannot be read (chmod would not stop root).
    std::os::unix::fs::symlink(
        "missing-target.md",
        tmp.path().join("site/content/en/node/030_gone.md"),
    )
    .unwrap();
    let e = fails(tmp.path());
    assert!(
        e.contains("error: content/en/node/030_gone.md: cannot read file:"),
        "{e}"
    );
}

#[test]
fn missing_book_toml() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("site")).unwrap();
    let o = build_dir(&tmp.path().join("site"), &tmp.path().join("out"));
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains("site: no book.toml in this folder: this is not a guidegen site"),
        "{e}"
    );
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn the_site_is_found_in_a_parent_folder_as_cargo_finds_its_package() {
    let tmp = copy_fixture("two_lang");
    let site = tmp.path().join("site");
    let o = command()
        .current_dir(site.join("content/en/node"))
        .args(["build", "--out", tmp.path().join("out").to_str().unwrap()])
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{e}");
    assert!(
        e.contains(&format!("using the site in {}", site.display())),
        "{e}"
    );
    assert!(tmp.path().join("out/en/node/010_hello.html").is_file());
    // Nowhere above: the one wording, for build and check alike.
    let nowhere = tempfile::tempdir().unwrap();
    for cmd in ["build", "check"] {
        let o = command()
            .current_dir(nowhere.path())
            .arg(cmd)
            .output()
            .unwrap();
        let said =
            String::from_utf8_lossy(&o.stderr).to_string() + &String::from_utf8_lossy(&o.stdout);
        assert!(
            said.contains(
                "no book.toml in this folder or in any folder above it: this is not a guidegen site"
            ),
            "{cmd}: {said}"
        );
    }
}

#[test]
fn unknown_slot_filter_partial_snippet_file() {
    let tmp = skeleton_with(&[(
        "content/en/flask/030_bad.md",
        "---\ntitle: Bad\n---\n<<exampel \"app.py\">>\n<<framework|uper>>\n<<include \"nite\">>\n<<example \"app.py\" snippet=\"rout\">>\n<<example \"ap.py\">>\n<<example \"app.py\" lines=\"90-99\">>\n",
    )]);
    let e = fails(tmp.path());
    assert!(e.contains("030_bad.md:4:1: unknown slot 'exampel'"), "{e}");
    assert!(e.contains("did you mean '<<example ...>>'?"), "{e}");
    assert!(e.contains("030_bad.md:5:13: unknown filter 'uper'"), "{e}");
    assert!(e.contains("030_bad.md:6:1: unknown partial 'nite'"), "{e}");
    assert!(e.contains("did you mean 'note'?"), "{e}");
    assert!(
        e.contains("030_bad.md:7:20: no snippet 'rout' in example file 'app.py'"),
        "{e}"
    );
    assert!(e.contains("did you mean 'route'?"), "{e}");
    assert!(
        e.contains("030_bad.md:8:11: no example file 'ap.py'"),
        "{e}"
    );
    assert!(e.contains("did you mean 'app.py'?"), "{e}");
    assert!(e.contains("030_bad.md:9:20: lines=\"90-99\""), "{e}");
}

#[test]
fn traversal_and_absolute_paths_and_symlinks_are_refused() {
    let tmp = skeleton_with(&[(
        "content/en/flask/030_bad.md",
        "---\ntitle: Bad\n---\n<<example \"../../../../etc/passwd\">>\n<<example \"/etc/passwd\">>\n<<example \"link.txt\">>\n<<tree \"../../..\">>\n",
    )]);
    std::os::unix::fs::symlink(
        "/etc/hostname",
        tmp.path().join("site/examples/flask/010/link.txt"),
    )
    .unwrap();
    let e = fails(tmp.path());
    assert!(
        e.contains(
            "030_bad.md:4:11: example path '../../../../etc/passwd' leads outside examples/"
        ),
        "{e}"
    );
    assert!(
        e.contains(
            "030_bad.md:5:11: no example file '/etc/passwd' (looked for examples/etc/passwd)"
        ),
        "{e}"
    );
    assert!(e.contains("030_bad.md:6:11: example path 'link.txt' resolves outside examples/ (through a symlink)"), "{e}");
    assert!(
        e.contains("030_bad.md:7:8: example path '../../..' leads outside examples/"),
        "{e}"
    );
    assert!(!e.contains("root:"), "file content must never leak: {e}");
}

#[test]
fn unbalanced_if_reports_both_locations() {
    let tmp = skeleton_with(&[(
        "content/en/flask/030_bad.md",
        "---\ntitle: Bad\n---\nA\n<<if framework>>\nB\n",
    )]);
    let e = fails(tmp.path());
    assert!(
        e.contains("030_bad.md:5:1: <<if>> is never closed with <<end>>"),
        "{e}"
    );
    assert!(e.contains("the text ends at line 6"), "{e}");
}

#[test]
fn include_cycle_reports_the_chain() {
    let tmp = skeleton_with(&[
        ("content/en/_partials/a.md", "<<include \"b\">>\n"),
        ("content/en/_partials/b.md", "<<include \"a\">>\n"),
        (
            "content/en/flask/030_bad.md",
            "---\ntitle: Bad\n---\n<<include \"a\">>\n",
        ),
    ]);
    let e = fails(tmp.path());
    assert!(e.contains("include cycle: content/en/_partials/a.md -> content/en/_partials/b.md -> content/en/_partials/a.md"), "{e}");
    assert!(e.contains("used by content/en/flask/030_bad.md"), "{e}");
}

#[test]
fn missing_extends_target() {
    let tmp = skeleton_with(&[(
        "content/en/flask/_guide.md",
        "---\ntitle: Flask\nextends: _skeletn\nframework: flask\nexamples: flask/010\napp: app.py\n---\n",
    )]);
    let e = fails(tmp.path());
    assert!(e.contains("error: content/en/flask/_guide.md:3:1: extends: '_skeletn' names no skeleton folder content/en/_skeletn/"), "{e}");
    assert!(e.contains("did you mean '_skeleton'?"), "{e}");
}

#[test]
fn error_in_skeleton_names_the_guide() {
    let tmp = skeleton_with(&[(
        "content/en/_skeleton/030_more.md",
        "---\ntitle: More\n---\n<<only_in_flask>>\n",
    )]);
    let e = fails(tmp.path());
    assert!(
        e.contains("content/en/_skeleton/030_more.md:4:1: unknown variable 'only_in_flask'"),
        "{e}"
    );
    assert!(
        e.contains("skeleton chapter rendered for guide 'flask' (en)"),
        "{e}"
    );
    assert!(
        e.contains("skeleton chapter rendered for guide 'nodejs' (en)"),
        "{e}"
    );
}

#[test]
fn notes_deny_fails_and_hide_drops() {
    let tmp = skeleton_with(&[]);
    let p = tmp.path().join("site/book.toml");
    let t = fs::read_to_string(&p).unwrap().replace(
        "[languages.en]",
        "[build]\nnotes = \"deny\"\n\n[languages.en]",
    );
    fs::write(&p, t).unwrap();
    let e = fails(tmp.path());
    assert!(
        e.contains("content/en/_skeleton/010_build.md:42:17: author note: TODO: explain"),
        "{e}"
    );

    let tmp = skeleton_with(&[]);
    let p = tmp.path().join("site/book.toml");
    let t = fs::read_to_string(&p).unwrap().replace(
        "[languages.en]",
        "[build]\nnotes = \"hide\"\n\n[languages.en]",
    );
    fs::write(&p, t).unwrap();
    let out = tmp.path().join("out");
    let o = build_dir(&tmp.path().join("site"), &out);
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("author note: TODO: explain"),
        "still reported"
    );
    let html = read(&out.join("en/flask/010_build.html"));
    assert!(!html.contains("TODO: explain") && !html.contains("gg-note"));
}

#[test]
fn two_pages_for_one_output_file() {
    let tmp = site_with(&[("content/en/node.md", "# One\n\ntext\n")]);
    let e = fails(tmp.path());
    assert!(
        e.contains("two pages would be written to en/node/index.html"),
        "{e}"
    );
    assert!(
        e.contains("content/en/node/_guide.md") && e.contains("content/en/node.md"),
        "{e}"
    );
    let tmp = site_with(&[(
        "content/en/node/030_p.md",
        "---\ntitle: P\npermalink: /node/010_hello.html\n---\nx\n",
    )]);
    let e = fails(tmp.path());
    assert!(
        e.contains("two pages would be written to en/node/010_hello.html"),
        "{e}"
    );
}

#[test]
fn output_folders_that_would_lose_files_are_refused() {
    let tmp = site_with(&[]);
    let root = tmp.path().join("site");
    // A folder with the user's own files.
    let mine = tmp.path().join("mine");
    fs::create_dir_all(&mine).unwrap();
    fs::write(mine.join("notes.txt"), "keep me").unwrap();
    for out in [
        mine.clone(),
        root.clone(),
        root.join("content/en/out"),
        tmp.path().to_path_buf(),
    ] {
        let o = build_dir(&root, &out);
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{}: {e}", out.display());
        assert!(e.contains("choose another output folder"), "{e}");
    }
    assert_eq!(
        fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert!(root.join("book.toml").is_file());
    // Its own output is replaced as usual, and an empty folder is fine.
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    assert!(build_dir(&root, &out).status.success());
    assert!(build_dir(&root, &out).status.success());
    assert!(out.join(".guidegen").is_file());
    // A folder that merely looks like an output (language folders, no marker) may be
    // the user's own: it is refused and kept.
    let old = tmp.path().join("old");
    fs::create_dir_all(old.join("en")).unwrap();
    fs::write(old.join("en/stale.html"), "mine").unwrap();
    assert_eq!(build_dir(&root, &old).status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(old.join("en/stale.html")).unwrap(),
        "mine"
    );
}

#[test]
fn a_failed_build_keeps_the_previous_site() {
    let tmp = site_with(&[]);
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    let ok = build_dir(&root, &out);
    assert!(ok.status.success());
    let before = read(&out.join("en/node/010_hello.html"));
    fs::write(root.join("content/en/node/010_hello.md"), "<<broken>>\n").unwrap();
    let o = build_dir(&root, &out);
    assert!(!o.status.success());
    assert_eq!(read(&out.join("en/node/010_hello.html")), before);
}
