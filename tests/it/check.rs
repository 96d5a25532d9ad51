//! `guidegen check`: each planted problem of `tests/fixtures/check_bad` is found exactly
//! once with its code and source location, in text, JSON (valid against
//! docs/check-schema.json) and GitHub formats; a finished site is clean; exit codes,
//! `--deny warnings`, `[check] allow`, `--external` and `--report`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::*;

fn check(root: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    guidegen(&args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every planted problem: (code, path, line).
const PLANTED: &[(&str, &str, usize)] = &[
    ("broken-link", "content/en/guide/010_links.md", 5),
    ("broken-anchor", "content/en/guide/010_links.md", 5),
    ("missing-image", "content/en/guide/010_links.md", 7),
    ("cross-language-link", "content/en/guide/010_links.md", 9),
    ("dead-example-link", "content/en/guide/010_links.md", 10),
    ("example-drift", "content/en/guide/020_code.md", 7),
    ("unknown-language", "content/en/guide/020_code.md", 16),
    ("empty-page", "content/en/guide/030_empty.md", 1),
    ("author-note", "content/en/guide/040_note.md", 5),
    ("untranslated", "content/en/guide/050_only_en.md", 1),
    ("draft-page", "content/en/guide/060_draft.md", 1),
    ("draft-page", "content/ru/guide/060_draft.md", 1),
    ("missing-title", "content/en/guide/070_untitled.md", 1),
    ("no-example", "content/en/guide/080_no_example.md", 1),
    ("chosen-not-possible", "content/en/guide/_guide.md", 8),
    ("wrong-language", "content/ru/guide/040_note.md", 1),
    ("translation-drift", "content/ru/guide/020_code.md", 1),
    // The Russian pages of the empty and example-less chapters show more than the
    // English ones: they are out of step too.
    ("translation-drift", "content/ru/guide/030_empty.md", 1),
    ("translation-drift", "content/ru/guide/080_no_example.md", 1),
    ("unused-example", "examples/guide/010/unused.txt", 0),
];

fn planted() -> Vec<(String, String, usize)> {
    let mut v: Vec<(String, String, usize)> = PLANTED
        .iter()
        .map(|(c, p, l)| (c.to_string(), p.to_string(), *l))
        .collect();
    v.sort();
    v
}

#[test]
fn every_planted_problem_is_found_once_in_json() {
    let o = check(&fixture("check_bad"), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc = json_of(&o);
    validate(&doc);
    assert_eq!(found(&doc), planted());
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["summary"]["errors"], 4);
    // Locations are in the source, columns count characters.
    let anchor = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "broken-anchor")
        .unwrap();
    assert_eq!(anchor["column"], 41);
    assert_eq!(anchor["pages"][0], "en/guide/010_links.html");
}

#[test]
fn text_output_shows_each_finding_with_its_source_line() {
    let o = check(&fixture("check_bad"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    for (code, path, line) in PLANTED {
        let head = if *line > 0 {
            format!("[{code}]: {path}:{line}:")
        } else {
            format!("[{code}]: {path}:")
        };
        assert_eq!(text.matches(&head).count(), 1, "{head} in\n{text}");
    }
    assert!(
        text.contains("5 | Read [the missing page](missing.md)"),
        "{text}"
    );
    assert!(
        !text.contains("\x1b["),
        "no colours when stdout is not a terminal"
    );
    // The timing varies; the rest is reviewed as a snapshot.
    let stable: String = text
        .lines()
        .map(|l| match l.find("; checked in ") {
            Some(i) => format!("{}; checked in N s", &l[..i]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    snapshot("check__check_bad__text", &stable);
}

#[test]
fn github_format_annotates_each_finding() {
    let o = check(&fixture("check_bad"), &["--format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(lines.len(), PLANTED.len());
    assert!(
        lines.contains(
            &"::warning file=content/en/guide/010_links.md,line=7,col=1,title=missing-image::image 'nope.png' leads to en/guide/nope.png, which the site does not have"
        ),
        "{text}"
    );
    assert!(lines.iter().any(|l| {
        l.starts_with("::warning file=examples/guide/010/unused.txt,title=unused-example::")
    }));
}

#[test]
fn a_finished_site_is_clean() {
    let root = fixture("check_clean");
    for format in ["text", "json", "github"] {
        let o = check(&root, &["--format", format, "--deny", "warnings"]);
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stdout(&o));
        if format == "json" {
            let doc = json_of(&o);
            validate(&doc);
            assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
            assert_eq!(doc["ok"], true);
        } else {
            assert!(!stdout(&o).contains("error[") && !stdout(&o).contains("warning["));
        }
    }
    assert!(!root.join("public").exists(), "check never writes the site");
}

/// The clean fixture with an author note added.
fn clean_with_note() -> (tempfile::TempDir, PathBuf) {
    let tmp = fixture_with(
        "check_clean",
        &[(
            "content/en/app/020_run.md",
            "---\ntitle: Run\n---\n\nRun the image and open the application in a browser. {{say which port}}\n\n<<example \"run.sh\">>\n",
        )],
    );
    let root = tmp.path().join("site");
    (tmp, root)
}

#[test]
fn warnings_pass_unless_denied_and_allow_accepts_kinds() {
    let (_tmp, root) = clean_with_note();
    let o = check(&root, &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "warnings alone pass: {}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("warning[author-note]"));
    let o = check(&root, &["--deny", "warnings"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error[author-note]"));
    let book = root.join("book.toml");
    let text = read(&book);
    fs::write(
        &book,
        format!("{text}\n[check]\nallow = [\"author-note\"]\n"),
    )
    .unwrap();
    let o = check(&root, &["--deny", "warnings", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let doc = json_of(&o);
    validate(&doc);
    assert_eq!(doc["summary"]["accepted"], 1);
    assert_eq!(doc["accepted"][0]["code"], "author-note");
    // A misspelt kind is an error in book.toml, with a suggestion.
    fs::write(
        &book,
        format!("{text}\n[check]\nallow = [\"author-notes\"]\n"),
    )
    .unwrap();
    let o = check(&root, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("(did you mean 'author-note'?)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_check_that_cannot_run_exits_with_2() {
    let tmp = tempfile::tempdir().unwrap();
    for (root, format) in [
        (tmp.path().to_path_buf(), "text"),
        (tmp.path().join("no-such-folder"), "json"),
    ] {
        let o = check(&root, &["--format", format]);
        assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
        if format == "json" {
            let doc = json_of(&o);
            validate(&doc);
            assert_eq!(doc["ok"], false);
        }
    }
}

#[test]
fn external_links_are_listed_never_fetched() {
    let o = check(&fixture("check_bad"), &["--external", "--format", "json"]);
    let doc = json_of(&o);
    let urls: Vec<&str> = doc["external"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["url"].as_str().unwrap())
        .collect();
    assert!(urls.contains(&"https://example.com/"), "{urls:?}");
    let first = doc["external"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["url"] == "https://example.com/")
        .unwrap();
    assert_eq!(first["path"], "content/en/guide/010_links.md");
    assert_eq!(first["line"], 11);
    let text = stdout(&check(&fixture("check_bad"), &["--external"]));
    assert!(
        text.contains("External links (not fetched):\n  https://example.com/"),
        "{text}"
    );
}

#[test]
fn the_report_lists_every_guide_and_links_findings_to_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report");
    let o = check(
        &fixture("check_bad"),
        &["--report", report.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    let index = read(&report.join("index.html"));
    assert!(index.contains("href=\"en.html\"") && index.contains("href=\"ru.html\""));
    let en = read(&report.join("en.html"));
    assert!(en.contains("broken-link"), "{en}");
    assert!(
        en.contains("href=\"https://example.org/guides/guide/010_links.html\""),
        "{en}"
    );
    assert!(report.join("assets/style.css").is_file());
    // Written again, it replaces its own folder.
    let o = check(
        &fixture("check_bad"),
        &["--report", report.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn every_code_is_documented() {
    let doc = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/check.md"));
    let schema = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/check-schema.json"));
    for code in guidegen::Code::ALL {
        let name = code.as_str();
        assert!(
            doc.contains(&format!("### `{name}`")),
            "docs/check.md lacks {name}"
        );
        assert!(
            schema.contains(&format!("\"{name}\"")),
            "the schema lacks {name}"
        );
    }
}
