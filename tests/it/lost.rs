//! No text lost silently: each way the format can drop or hide an author's text
//! (`tests/fixtures/lost`, one case per chapter of a skeleton two guides render) is
//! found exactly once, at its line, in text, JSON and GitHub formats; `build` says so
//! too; the fix each message names makes the finding go away and the text come back;
//! the seeds and their Helm templates raise none of it.

use std::fs;
use std::path::Path;
use std::process::Output;

use crate::common::*;

/// Every planted case: (code, path, line).
const PLANTED: &[(&str, &str, usize)] = &[
    (
        "unclosed-code-block",
        "content/en/_partials/open-fence.md",
        3,
    ),
    (
        "unclosed-code-block",
        "content/en/_skeleton/010_fence.md",
        9,
    ),
    ("hidden-text", "content/en/_skeleton/020_comment.md", 7),
    ("hidden-text", "content/en/_skeleton/030_heading.md", 8),
    ("hidden-text", "content/en/_skeleton/040_reference.md", 7),
    ("unclosed-note", "content/en/_skeleton/050_note.md", 5),
    ("never-shown", "content/en/_skeleton/060_branches.md", 7),
    ("never-shown", "content/en/_skeleton/060_branches.md", 13),
    (
        "unknown-variable",
        "content/en/_skeleton/070_condition.md",
        7,
    ),
    ("build-error", "content/en/_skeleton/080_details.md", 7),
    ("build-error", "content/en/_skeleton/090_tabs.md", 7),
    ("hidden-text", "content/en/_skeleton/110_pre.md", 7),
    // Line 0: a finding about the whole file.
    ("hidden-text", "content/en/flask/030_notes.markdown", 0),
];

/// How text and GitHub output start a finding at `path:line`.
fn head(code: &str, path: &str, line: usize) -> String {
    match line {
        0 => format!("[{code}]: {path}: "),
        _ => format!("[{code}]: {path}:{line}:"),
    }
}

/// The codes that say text is lost (the other codes of `PLANTED` existed before).
const LOST_CODES: &[&str] = &[
    "unclosed-code-block",
    "hidden-text",
    "unclosed-note",
    "never-shown",
];

fn check(root: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    guidegen(&args)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn planted() -> Vec<(String, String, usize)> {
    let mut v: Vec<_> = PLANTED
        .iter()
        .map(|(c, p, l)| (c.to_string(), p.to_string(), *l))
        .collect();
    v.sort();
    v
}

#[test]
fn each_lost_text_is_found_once_in_json() {
    let o = check(&fixture("lost"), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let doc = json_of(&o);
    validate(&doc);
    assert_eq!(found(&doc), planted());
    let fence = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "content/en/_skeleton/010_fence.md")
        .unwrap();
    assert_eq!(fence["column"], 1);
    assert_eq!(
        fence["message"],
        "this code block is never closed: the rest of the file (8 lines and 2 headings) is shown as code"
    );
    assert_eq!(
        fence["help"][0],
        "write line 7 as ```shell (three backticks)"
    );
    let pages: Vec<&str> = fence["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(pages.is_empty() || pages.len() == 2, "{pages:?}");
}

#[test]
fn each_lost_text_is_found_once_in_text_and_github() {
    let o = check(&fixture("lost"), &[]);
    let out = text(&o.stdout);
    for (code, path, line) in PLANTED {
        let head = head(code, path, *line);
        assert_eq!(out.matches(&head).count(), 1, "{head} in\n{out}");
    }
    for want in [
        "9 | ```",
        "note: line 7 opens with two backticks (``shell)",
        "the rest of the file (5 lines) is hidden from readers",
        "readers see the text '## Before you start', not a heading",
        "[Note] defines a link that no text uses",
        "note: rendered on 2 pages (en/django, en/flask)",
        "note: in a partial, the block also runs on past <<include>>",
        "did you mean 'package_manager'?",
        "<<details>> is never closed with <<end>>",
    ] {
        assert!(out.contains(want), "{want} in\n{out}");
    }
    assert!(!out.contains("[comment]"), "the comment idiom is intended");

    let o = check(&fixture("lost"), &["--format", "github"]);
    let out = text(&o.stdout);
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(lines.len(), PLANTED.len(), "{out}");
    for (code, path, line) in PLANTED {
        let head = match line {
            0 => format!("file={path},title"),
            _ => format!("file={path},line={line},"),
        };
        let n = lines
            .iter()
            .filter(|l| l.contains(&head) && l.contains(&format!("title={code}::")))
            .count();
        assert_eq!(n, 1, "{code} {head} in\n{out}");
    }
}

/// The fixture without the chapters that are errors: it builds.
fn buildable() -> tempfile::TempDir {
    let tmp = copy_fixture("lost");
    for f in ["070_condition.md", "080_details.md", "090_tabs.md"] {
        fs::remove_file(tmp.path().join("site/content/en/_skeleton").join(f)).unwrap();
    }
    tmp
}

#[test]
fn build_reports_what_it_loses_and_the_pages_show_the_loss() {
    let tmp = buildable();
    let out = tmp.path().join("out");
    let o = build_dir(&tmp.path().join("site"), &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    // `never-shown` looks at every guide at once: a `check` finding.
    for (code, path, line) in PLANTED.iter().filter(|p| p.0 != "never-shown") {
        if ["070", "080", "090"].iter().any(|n| path.contains(n)) {
            continue;
        }
        let head = match line {
            0 => format!(": {path}: "),
            _ => format!(": {path}:{line}:"),
        };
        assert_eq!(err.matches(&head).count(), 1, "{code} {head} in\n{err}");
    }
    // What the messages say is what a reader gets.
    let fence = read(&out.join("en/flask/010_fence.html"));
    assert!(!fence.contains("<h2"), "the headings are swallowed");
    let partial = read(&out.join("en/flask/100_partial.html"));
    assert!(!partial.contains("id=\"after-the-partial\""));
    let heading = read(&out.join("en/flask/030_heading.html"));
    assert!(heading.contains("## Before you start"));
}

#[test]
fn the_fix_each_message_names_brings_the_text_back() {
    let tmp = buildable();
    let site = tmp.path().join("site");
    let edit = |rel: &str, from: &str, to: &str| {
        let p = site.join(rel);
        let t = read(&p);
        assert!(t.contains(from), "{rel}: {from}");
        fs::write(&p, t.replacen(from, to, 1)).unwrap();
    };
    let sk = "content/en/_skeleton/";
    edit(&format!("{sk}010_fence.md"), "``shell", "```shell");
    edit(
        &format!("{sk}020_comment.md"),
        "next section\n",
        "next section -->\n",
    );
    edit(&format!("{sk}030_heading.md"), "\">\n", "\">\n\n");
    edit(&format!("{sk}030_heading.md"), "\nInstall", "\n\nInstall");
    edit(&format!("{sk}040_reference.md"), "[Note]:", "\\[Note]:");
    edit(&format!("{sk}050_note.md"), "why werf\n", "why werf }}\n");
    edit(&format!("{sk}060_branches.md"), "\"poetry\"", "\"pip\"");
    edit(
        &format!("{sk}060_branches.md"),
        "<<else>>\nAdd a compile stage.\n",
        "",
    );
    edit(
        "content/en/_partials/open-fence.md",
        "converge\n",
        "converge\n```\n",
    );
    edit(&format!("{sk}110_pre.md"), "8000\n", "8000\n</pre>\n");
    fs::rename(
        site.join("content/en/flask/030_notes.markdown"),
        site.join("content/en/flask/030_notes.md"),
    )
    .unwrap();
    let o = check(&site, &["--format", "json"]);
    let doc = json_of(&o);
    let left: Vec<_> = found(&doc)
        .into_iter()
        .filter(|f| LOST_CODES.contains(&f.0.as_str()))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let out = tmp.path().join("out");
    assert!(build_dir(&site, &out).status.success());
    let fence = read(&out.join("en/flask/010_fence.html"));
    assert!(fence.contains("id=\"running-it\"") && fence.contains("id=\"deploying-it\""));
    assert!(read(&out.join("en/flask/100_partial.html")).contains("id=\"after-the-partial\""));
    assert!(read(&out.join("en/flask/030_heading.html")).contains("id=\"before-you-start\""));
    assert!(read(&out.join("en/flask/060_branches.html")).contains("poetry.lock"));
    assert!(read(&out.join("en/flask/110_pre.html")).contains("id=\"next-steps\""));
    assert!(out.join("en/flask/030_notes.html").is_file());
}

#[test]
fn the_seeds_lose_nothing() {
    for seed in ["000_79d7362004955546.txt", "001_9451b4300d08b6f3.txt"] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(root.join("content/ru")).unwrap();
        fs::write(
            root.join("book.toml"),
            "[book]\ndefault_language = \"ru\"\n[languages.ru]\ntitle = \"Руководства\"\n",
        )
        .unwrap();
        fs::copy(
            fixture(&format!("seeds/{seed}")),
            root.join("content/ru/flask.md"),
        )
        .unwrap();
        let doc = json_of(&check(&root, &["--format", "json"]));
        let lost: Vec<_> = found(&doc)
            .into_iter()
            .filter(|f| LOST_CODES.contains(&f.0.as_str()))
            .collect();
        assert!(lost.is_empty(), "{seed}: {lost:?}");
    }
}
