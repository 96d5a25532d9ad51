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

#[test]
fn drift_is_measured_against_the_pages_own_guide_first() {
    // The werf guides' Spring Boot page pastes its Ingress with another host: the Rails
    // file differs from it by one line too, but the page is the Spring Boot guide's.
    // A Rails page's five-line werf.yaml with its project renamed is a drifted copy
    // (three of its four lines match); an Ingress for another API version that shares
    // most lines with other guides' files is no copy of them.
    let o = check(&fixture("drift"), &["--format", "json"]);
    let doc = json_of(&o);
    validate(&doc);
    let drift: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "example-drift")
        .collect();
    let at: Vec<(String, u64)> = drift
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        at,
        vec![
            ("content/en/rails/010_build.md".to_string(), 7),
            ("content/en/springboot/010_deploy.md".to_string(), 7),
        ],
        "{drift:#?}"
    );
    let spring = drift[1]["message"].as_str().unwrap();
    assert!(
        spring.contains("examples/springboot/015_deploy_app/.helm/templates/ingress.yaml"),
        "{spring}"
    );
    assert!(
        drift[1]["notes"]
            .to_string()
            .contains("the page has:    - host: example.com")
    );
    let rails = drift[0]["message"].as_str().unwrap();
    assert!(
        rails.contains("examples/rails/019_fixup_consistency/werf.yaml")
            && rails.contains("3 of its 4 lines match"),
        "{rails}"
    );
    assert!(
        drift[0]["notes"]
            .to_string()
            .contains("the page has:  project: werf-guided-rails-app")
    );
}

/// The `<main>` of a report page, one element per line (for a readable snapshot).
fn report_main(html: &str) -> String {
    let a = html.find("<main").unwrap_or(0);
    let b = html.find("</main>").map_or(html.len(), |i| i + 7);
    html[a..b]
        .replace("<tr>", "\n<tr>")
        .replace("<li", "\n<li")
        .replace("<h2", "\n<h2")
        .replace("<p>", "\n<p>")
}

#[test]
fn the_report_lists_every_finding_in_the_language_of_its_page() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report");
    let root = fixture("check_bad");
    let doc = json_of(&check(&root, &["--format", "json"]));
    check(&root, &["--report", report.to_str().unwrap()]);
    let pages: Vec<String> = ["index", "en", "ru"]
        .iter()
        .map(|p| read(&report.join(format!("{p}.html"))))
        .collect();
    // Every finding, of every code, is listed once.
    let mut listed: Vec<String> = pages
        .iter()
        .flat_map(|h| {
            h.match_indices("data-code=\"")
                .map(|(i, _)| h[i + 11..].split('"').next().unwrap().to_string())
        })
        .collect();
    listed.sort();
    let mut codes: Vec<String> = found(&doc).into_iter().map(|f| f.0).collect();
    codes.sort();
    assert_eq!(listed, codes);
    let (en, ru) = (&pages[1], &pages[2]);
    assert!(ru.contains("<title>Готовность: Русский"), "{ru}");
    for word in [
        "Руководство",
        "Страниц",
        "Готово",
        "Без перевода",
        "предупреждение [translation-drift]",
    ] {
        assert!(ru.contains(word), "{word}");
    }
    assert!(!ru.contains("Untranslated") && !ru.contains("With notes"));
    assert!(en.contains("<title>Readiness: English"));
    // The English page with no Russian translation is ready in English; the Russian
    // table counts only Russian pages.
    assert!(
        en.contains("data-code=\"untranslated\"") && en.contains("050_only_en"),
        "{en}"
    );
    assert!(
        en.contains("<td>9</td><td>1</td>"),
        "one ready page of nine: {en}"
    );
    snapshot("check__report__en", &report_main(en));
    snapshot("check__report__ru", &report_main(ru));
}

#[test]
fn one_mistake_hides_no_other() {
    // A slot error, an unclosed block and a frontmatter error, each in its own file:
    // the broken link below the block, the anchor in another page and the translation
    // that fell behind are found all the same, and every page is counted.
    let en = read(&fixture("check_clean").join("content/en/app/020_run.md"));
    let run = format!(
        "{en}\n```shell\ndocker logs app\n```\n\nSee [the start](#no-such-anchor).\n\n<<details \"More\">>\nRead [the old page](gone.md).\n"
    );
    let build = read(&fixture("check_clean").join("content/en/app/010_build.md")).replace(
        "## The Dockerfile",
        "<<if frameworkk == \"flask\">>Flask.<<end>>\n\n## The Dockerfile",
    );
    let ru = read(&fixture("check_clean").join("content/ru/app/010_build.md")).replacen(
        "title: Сборка",
        "title: [Сборка",
        1,
    );
    let tmp = fixture_with(
        "check_clean",
        &[
            ("content/en/app/020_run.md", &run),
            ("content/en/app/010_build.md", &build),
            ("content/ru/app/010_build.md", &ru),
        ],
    );
    let o = check(&tmp.path().join("site"), &["--format", "json"]);
    let doc = json_of(&o);
    validate(&doc);
    let got: Vec<(String, String, usize)> = found(&doc);
    let want = [
        ("broken-anchor", "content/en/app/020_run.md", 13),
        ("broken-link", "content/en/app/020_run.md", 16),
        ("build-error", "content/en/app/020_run.md", 15),
        ("build-error", "content/ru/app/010_build.md", 2),
        ("translation-drift", "content/ru/app/020_run.md", 1),
        ("unknown-variable", "content/en/app/010_build.md", 7),
    ];
    let mut want: Vec<(String, String, usize)> = want
        .iter()
        .map(|(c, p, l)| (c.to_string(), p.to_string(), *l))
        .collect();
    want.sort();
    assert_eq!(got, want);
    let clean = json_of(&check(&fixture("check_clean"), &["--format", "json"]));
    assert_eq!(
        doc["summary"]["pages"], clean["summary"]["pages"],
        "every page is counted"
    );
}
