//! `guidegen import jekyll` on `tests/fixtures/jekyll`, a small repository laid out as
//! werf/werf-guides is (pages_en/ and pages_ru/, `_config_<lang>.yml` with defaults by
//! path, `_includes/`, `_data/` with a sidebar and links, `assets/images/` with a
//! PlantUML cache, `examples/`, `--baseurl /guides` in werf.yaml), every construct of
//! the real guides on its pages: each converted (snapshots of the pages, partials,
//! book.toml and IMPORT.md), an unknown tag kept as a note, every page's URL answering
//! after the import (built, every URL fetched from the output), the same site twice,
//! the source never written, bad input reported at its place, and `check` on the result
//! showing the original's problems, not the import's.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::*;

fn import(src: &Path, dest: &Path) -> std::process::Output {
    command()
        .args([
            "import",
            "jekyll",
            src.to_str().unwrap(),
            dest.to_str().unwrap(),
        ])
        .output()
        .unwrap()
}

/// The fixture imported into a new folder: (what removes it, the site).
fn imported() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let o = import(&fixture("jekyll"), &site);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (tmp, site)
}

fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_construct_is_converted() {
    let (_tmp, site) = imported();
    for (name, path) in [
        ("import__build", "content/en/nodejs/100_basic/10_build.md"),
        (
            "import__cluster",
            "content/en/nodejs/100_basic/20_cluster.md",
        ),
        (
            "import__problems",
            "content/en/nodejs/100_basic/30_problems.md",
        ),
        ("import__moved", "content/en/nodejs/100_basic/40_moved.md"),
        ("import__section", "content/en/nodejs/100_basic/_index.md"),
        (
            "import__ru_build",
            "content/ru/nodejs/100_basic/10_build.md",
        ),
        ("import__guide", "content/en/nodejs/_guide.md"),
        (
            "import__partial_minikube",
            "content/en/_partials/nodejs/100_basic/20_cluster_minikube.md",
        ),
        (
            "import__partial_registry",
            "content/en/_partials/note_about_registry.md",
        ),
        ("import__partial_loop", "content/en/_partials/loop_b.md"),
        ("import__book", "book.toml"),
        ("import__report", "IMPORT.md"),
    ] {
        snapshot(name, &read(&site.join(path)));
    }
    // The image, the cached PlantUML SVG and the examples are there, byte for byte.
    let src = fixture("jekyll");
    assert_eq!(
        fs::read(site.join("content/en/nodejs/100_basic/app_in_browser.png")).unwrap(),
        fs::read(src.join("assets/images/guides/nodejs/app_in_browser.png")).unwrap()
    );
    assert!(
        site.join("content/en/nodejs/100_basic/4f1c0a.svg")
            .is_file()
    );
    assert_eq!(
        read(&site.join("examples/nodejs/010_build/Dockerfile")),
        read(&src.join("examples/nodejs/010_build/Dockerfile"))
    );
}

#[test]
fn an_unknown_tag_keeps_its_text_and_gets_a_note_and_a_line_in_the_report() {
    let (_tmp, site) = imported();
    let page = read(&site.join("content/en/nodejs/100_basic/10_build.md"));
    assert!(
        page.contains("{{Not converted from Jekyll: the tag `{% youtube dQw4w9WgXcQ %}`}}"),
        "{page}"
    );
    let report = read(&site.join("IMPORT.md"));
    assert!(
        report.contains(
            "- `pages_en/nodejs/100_basic/10_build.md:59`: the tag `{% youtube dQw4w9WgXcQ %}`"
        ),
        "{report}"
    );
    // The text after a tag never closed is kept, and the tag with it.
    let problems = read(&site.join("content/en/nodejs/100_basic/30_problems.md"));
    assert!(problems.contains("{% if page.framework_id\nand the text after it is kept."));
}

#[test]
fn every_page_keeps_its_url() {
    let (tmp, site) = imported();
    let out = tmp.path().join("public");
    let b = build_dir(&site, &out);
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    // Every page of the source (a file with frontmatter), at its published URL.
    let src = fixture("jekyll");
    let mut urls = Vec::new();
    for lang in ["en", "ru"] {
        let root = src.join(format!("pages_{lang}"));
        for e in walkdir::WalkDir::new(&root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let text = read(e.path());
            if !text.starts_with("---\n") {
                continue;
            }
            let rel = e
                .path()
                .strip_prefix(&root)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            let url = text
                .lines()
                .find_map(|l| l.strip_prefix("permalink: "))
                .map(|p| p.trim().trim_start_matches('/').to_string())
                .unwrap_or_else(|| rel.replace(".md", ".html"));
            urls.push(format!("{lang}/{url}"));
        }
    }
    assert_eq!(urls.len(), 10, "{urls:?}");
    for u in &urls {
        assert!(
            out.join(u).is_file(),
            "{u} does not answer after the import"
        );
    }
    // Crawled: every link of every page of the new site leads somewhere, but the one
    // the source had broken (`020_basic.html`).
    let check = guidegen(&[
        "check",
        "--root",
        site.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let broken: Vec<(String, String, usize)> = found(&json_of(&check))
        .into_iter()
        .filter(|f| f.0 == "broken-link" || f.0 == "broken-anchor" || f.0 == "missing-image")
        .collect();
    assert_eq!(
        broken,
        [(
            "broken-link".to_string(),
            "content/en/nodejs/100_basic/20_cluster.md".to_string(),
            41
        )]
    );
}

#[test]
fn check_shows_what_was_wrong_in_the_original_not_what_the_import_made() {
    let (_tmp, site) = imported();
    let o = guidegen(&[
        "check",
        "--root",
        site.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let doc = json_of(&o);
    validate(&doc);
    let mut codes: Vec<String> = found(&doc).into_iter().map(|f| f.0).collect();
    codes.dedup();
    // The original's: an untranslated page, a drifted pasted copy, a dead link, a
    // branch no guide takes, a translation out of step; the notes the import left.
    assert_eq!(
        codes,
        [
            "author-note",
            "broken-link",
            "example-drift",
            "never-shown",
            "translation-drift",
            "untranslated"
        ]
    );
    // Nothing the import could have made: no build error, no unknown variable or
    // language, no text hidden by the conversion.
    let text = String::from_utf8_lossy(&o.stdout);
    for code in [
        "build-error",
        "unknown-variable",
        "unknown-language",
        "hidden-text",
        "unclosed-code-block",
        "unclosed-note",
    ] {
        assert!(!text.contains(code), "{code} in\n{text}");
    }
}

#[test]
fn twice_the_same_site_the_source_untouched_and_bad_input_located() {
    let src_copy = copy_fixture("jekyll");
    let src = src_copy.path().join("site");
    let before = tree(&src);
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let first = import(&src, &a);
    assert!(first.status.success());
    assert!(import(&src, &b).status.success());
    assert_eq!(tree(&a), tree(&b), "two imports differ");
    assert_eq!(tree(&src), before, "the source was written");
    // Bad input is a located warning, not an abort.
    let err = String::from_utf8_lossy(&first.stderr);
    for want in [
        "warning: pages_en/nodejs/100_basic/30_problems.md:8:1: the included file _includes/en/missing_fragment.md.liquid does not exist",
        "warning: _includes/en/loop_b.md.liquid:1:1: an include loop: _includes/en/loop_a.md.liquid → _includes/en/loop_b.md.liquid → _includes/en/loop_a.md.liquid",
        "warning: pages_en/nodejs/100_basic/30_problems.md:14:51: this `{%` is never closed with `%}`",
    ] {
        assert!(err.contains(want), "missing {want:?} in\n{err}");
    }
    // DEST must be new or empty, and never inside the source.
    let again = import(&src, &a);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("the folder is not empty"));
    let inside = import(&src, &src.join("out"));
    assert_eq!(inside.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&inside.stderr).contains("is inside the repository being imported")
    );
    assert!(!src.join("out").exists());
    let nothing = import(&tmp.path().join("nope"), &tmp.path().join("c"));
    assert_eq!(nothing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("cannot be read"));
}

#[test]
fn hostile_pages_import_and_build_without_a_panic() {
    let bodies = [
        "{% raw %}never closed {{ .Values }}",
        "{% offtopic title=\"a\" %}{% offtopic %}nested, never closed",
        "{% include %}{% include_relative %}{% include_file %}{% asset %}",
        "{% if %}x{% elsif %}y{% else %}z{% endif %}{% endif %}{% else %}",
        "{{ }}{{ page. }}{{ | }}{% %}{%- -%}{{- -}}",
        "<div class=\"tabs\">\n<a onclick=\"openTab(\">broken</a>\n",
        "{% include_relative ../../../../etc/passwd %}{% include ../../x %}",
        "{% snippetcut name=\"a\" url=\"https://github.com/o/r/blob/m/examples/../../x\" %}\n```\nx\n```\n{% endsnippetcut %}",
        "{% capture x %}{% capture y %}deep{% endcapture %}",
        "<<if x>>slot-like text<<end>> and \\<<raw>> and {{note}} and }}",
        "{% for a in b %}{% for c in d %}{{ c }}",
        "{% plantuml %}\n@startuml\n{% endplantuml",
        "{% assign = %}{% assign x %}{% increment %}{% increment %}",
    ];
    for (i, body) in bodies.iter().enumerate() {
        let src = copy_fixture("jekyll");
        let root = src.path().join("site");
        fs::write(
            root.join("pages_en/nodejs/100_basic/50_hostile.md"),
            format!("---\ntitle: Hostile {i}\n---\n\n{body}\n"),
        )
        .unwrap();
        let dest = src.path().join("out");
        let o = import(&root, &dest);
        assert!(
            o.status.success(),
            "{body}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let c = guidegen(&["check", "--root", dest.to_str().unwrap()]);
        assert!(
            matches!(c.status.code(), Some(0 | 1)),
            "{body}: check {:?}\n{}",
            c.status,
            String::from_utf8_lossy(&c.stdout)
        );
        // Nothing was read from outside the repository.
        let page = read(&dest.join("content/en/nodejs/100_basic/50_hostile.md"));
        assert!(!page.contains("root:x:0"), "{page}");
    }
}
