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
    assert!(said.contains(&format!(" serve {root}")), "{said}");
    assert!(said.contains(&format!(" check {root}")), "{said}");
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
    assert!(said.contains(" serve    #"), "{said}");
    assert_eq!(read(&dir.join("notes.txt")), "mine");
    assert!(read(&dir.join("book.toml")).contains("[languages.ru]"));
    // A path that is a file is refused.
    let o = guidegen_in(dir, &["init", "notes.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a file, not a folder"));
}

#[test]
fn the_commands_init_prints_work_as_written() {
    // Not on the PATH (as after `cargo run`): the commands name the program's path.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my guides");
    let o = command()
        .current_dir(tmp.path())
        .env("PATH", "/usr/bin:/bin")
        .args(["init", "my guides"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.contains("is not on your PATH; `cargo install --path .`"),
        "{said}"
    );
    let line = said
        .lines()
        .find(|l| l.contains(" check "))
        .and_then(|l| l.split(" # ").next())
        .unwrap_or_else(|| panic!("{said}"));
    let run = std::process::Command::new("sh")
        .current_dir(tmp.path())
        .env("PATH", "/usr/bin:/bin")
        .args(["-c", line.trim()])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{line}: {}",
        String::from_utf8_lossy(&run.stdout)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("check: 0 errors"));
    assert!(dir.join("book.toml").is_file());

    // On the PATH (after `cargo install`): plain `guidegen`.
    let bin = binary();
    let path = format!("{}:/usr/bin:/bin", bin.parent().unwrap().display());
    let o = command()
        .current_dir(tmp.path())
        .env("PATH", path)
        .args(["init", "other"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("  guidegen check --root other"), "{said}");
    assert!(!said.contains("not on your PATH"));
}
