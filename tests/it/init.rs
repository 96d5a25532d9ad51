//! `guidegen init`: a starter site that builds and passes `check`, and a folder that
//! already holds files is never written into without `--force`.

use std::fs;

use crate::common::*;

#[test]
fn the_starter_site_builds_and_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("guides");
    let o = guidegen(&["init", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stdout);
    let root = format!("--root {}", dir.display());
    assert!(said.contains(&format!("guidegen serve {root}")), "{said}");
    assert!(said.contains(&format!("guidegen check {root}")), "{said}");
    let o = guidegen(&[
        "check",
        "--root",
        dir.to_str().unwrap(),
        "--deny",
        "warnings",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let out = dir.join("public");
    let o = build_dir(&dir, &out);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{e}");
    assert!(e.contains("with 0 warnings"), "{e}");
    let en = read(&out.join("en/flask/020_build.html"));
    assert!(en.contains("<h1>Building the image</h1>"));
    assert!(
        strip_tags(&en).contains("def hello():"),
        "the snippet of app.py"
    );
    assert!(
        !strip_tags(&en).contains("[<snippet"),
        "snippet markers are not shown"
    );
    let ru = read(&out.join("ru/flask/index.html"));
    assert!(ru.contains("Flask: от Hello world до Kubernetes"), "{ru}");
}

#[test]
fn a_folder_with_files_is_refused_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    fs::write(dir.join("book.toml"), "# my own\n").unwrap();
    let o = guidegen_in(dir, &["init"]);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("the folder is not empty") && e.contains("--force"),
        "{e}"
    );
    assert_eq!(read(&dir.join("book.toml")), "# my own\n");
    assert!(!dir.join("content").exists());
    // --force adds the starter (replacing book.toml) and keeps everything else.
    let o = guidegen_in(dir, &["init", "--force"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("  guidegen serve    #"), "{said}");
    assert_eq!(read(&dir.join("notes.txt")), "mine");
    assert!(read(&dir.join("book.toml")).contains("[languages.ru]"));
    // A path that is a file is refused.
    let o = guidegen_in(dir, &["init", "notes.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a file, not a folder"));
}
