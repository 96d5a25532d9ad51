//! The incremental-rebuild decisions, through the library (no server, no timeouts): copy
//! a fixture, build it as `serve` does, edit one file, rebuild, and check exactly which
//! pages were rendered again.

use std::fs;
use std::path::{Path, PathBuf};

use guidegen::{Build, BuildOptions, Rebuilt};

use crate::common::*;

struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    opts: BuildOptions,
    build: Build,
}

impl Site {
    /// A fixture built the way `serve` builds (drafts shown).
    fn new(fixture: &str) -> Site {
        let tmp = copy_fixture(fixture);
        let root = tmp.path().join("site");
        let opts = BuildOptions {
            drafts: true,
            ..BuildOptions::new(&root)
        };
        let build = match guidegen::build(&opts) {
            Ok(b) => b,
            Err(f) => panic!("{fixture} does not build: {:?}", f.diagnostics),
        };
        Site {
            _tmp: tmp,
            root,
            opts,
            build,
        }
    }

    /// Replace `from` with `to` in the file `rel` (it must contain `from`).
    fn edit(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        let p = self.root.join(rel);
        let text = read(&p);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        fs::write(&p, text.replacen(from, to, 1)).expect("write");
        p
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.root.join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(&p, text).expect("write");
        p
    }

    fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuilt {
        match self.build.rebuild(&self.opts, changed) {
            Ok(r) => r,
            Err(f) => panic!("rebuild failed: {:?}", f.diagnostics),
        }
    }

    /// The output paths of the pages a rebuild rendered, sorted.
    fn rendered(&self, r: &Rebuilt) -> Vec<String> {
        let mut v: Vec<String> = r
            .pages
            .iter()
            .map(|&id| self.build.output_path(id))
            .collect();
        v.sort();
        v
    }

    fn all_pages(&self) -> usize {
        self.build.page_ids().count()
    }
}

fn paths(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_chapter_body_edit_renders_that_page_only() {
    let mut s = Site::new("two_lang");
    let p = s.edit("content/en/node/010_hello.md", "## Steps", "## Stages");
    let r = s.rebuild(&[p]);
    assert!(!r.full);
    assert_eq!(s.rendered(&r), paths(&["en/node/010_hello.html"]));
}

#[test]
fn a_partial_edit_renders_the_pages_that_include_it() {
    let mut s = Site::new("two_lang");
    let text = read(&s.root.join("content/en/_partials/shared.md"));
    let p = s.write(
        "content/en/_partials/shared.md",
        &format!("{text}\nOne more line.\n"),
    );
    let r = s.rebuild(&[p]);
    assert!(!r.full);
    assert_eq!(s.rendered(&r), paths(&["en/node/100_deploy/010_helm.html"]));
}

#[test]
fn a_title_edit_renders_its_guide_and_the_landing_page() {
    let mut s = Site::new("two_lang");
    let before = s.all_pages();
    let p = s.edit(
        "content/en/node/100_deploy/2_second.md",
        "title:",
        "title: Renamed",
    );
    let r = s.rebuild(&[p]);
    assert!(!r.full);
    let got = s.rendered(&r);
    // Every page of the English guide shows the title in its sidebar...
    for page in [
        "en/node/index.html",
        "en/node/010_hello.html",
        "en/node/100_deploy/index.html",
        "en/node/100_deploy/2_second.html",
        "en/node/100_deploy/10_tenth.html",
    ] {
        assert!(got.contains(&page.to_string()), "{page} not in {got:?}");
    }
    // ...the English landing page lists the guides; Russian pages are untouched.
    assert!(got.contains(&"en/index.html".to_string()), "{got:?}");
    assert!(got.iter().all(|p| p.starts_with("en/")), "{got:?}");
    assert!(got.len() < before, "not a full rebuild");
}

#[test]
fn a_skeleton_chapter_edit_renders_it_in_every_guide_of_its_language() {
    let mut s = Site::new("skeleton");
    let p = s.edit(
        "content/en/_skeleton/010_build.md",
        "Files of this step:",
        "The step's files:",
    );
    let r = s.rebuild(&[p]);
    assert!(!r.full);
    assert_eq!(
        s.rendered(&r),
        paths(&["en/flask/010_build.html", "en/nodejs/010_build.html"])
    );
}

#[test]
fn an_example_edit_renders_every_page_that_shows_it() {
    let mut s = Site::new("skeleton");
    let text = read(&s.root.join("examples/shared/Makefile"));
    let p = s.write("examples/shared/Makefile", &format!("{text}\n# changed\n"));
    let r = s.rebuild(&[p]);
    assert!(!r.full);
    assert_eq!(
        s.rendered(&r),
        paths(&[
            "en/flask/010_build.html",
            "en/nodejs/010_build.html",
            "ru/flask/010_build.html"
        ])
    );
}

#[test]
fn an_example_in_a_shown_folder_renders_the_tree_and_diff_pages() {
    let mut s = Site::new("skeleton");
    // A new file in examples/flask/020: shown by <<diff>> in 020_next of flask.
    let p = s.write("examples/flask/020/extra.txt", "new\n");
    let r = s.rebuild(&[p]);
    assert!(!r.full);
    let got = s.rendered(&r);
    assert!(
        got.contains(&"en/flask/020_next.html".to_string()),
        "{got:?}"
    );
    assert!(
        got.contains(&"ru/flask/020_next.html".to_string()),
        "{got:?}"
    );
    assert!(!got.iter().any(|p| p.contains("nodejs")), "{got:?}");
}

#[test]
fn a_new_page_book_toml_or_theme_rebuild_everything() {
    let mut s = Site::new("two_lang");
    let n = s.all_pages();
    let p = s.write("content/en/node/030_new.md", "# New\n\nText.\n");
    let r = s.rebuild(&[p]);
    assert!(r.full);
    assert_eq!(r.pages.len(), n + 1);
    assert!(s.rendered(&r).contains(&"en/node/030_new.html".to_string()));

    let book = s.root.join("book.toml");
    let r = s.rebuild(&[book]);
    assert!(r.full);
    assert_eq!(r.pages.len(), n + 1);

    let p = s.write("theme/static/extra.css", "body{}\n");
    let r = s.rebuild(&[p]);
    assert!(r.full && r.assets_changed);
}

#[test]
fn a_static_file_edit_renders_no_page() {
    let mut s = Site::new("two_lang");
    let p = s.write("static/robots.txt", "User-agent: *\n");
    let r = s.rebuild(&[p]);
    assert!(!r.full);
    assert!(r.assets_changed);
    assert!(r.pages.is_empty(), "{:?}", s.rendered(&r));
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_a_fix_recovers() {
    let mut s = Site::new("two_lang");
    let n = s.all_pages();
    let p = s.edit(
        "content/en/node/010_hello.md",
        "## Steps",
        "## <<nosuchvar>>",
    );
    let f = match s.build.rebuild(&s.opts, std::slice::from_ref(&p)) {
        Ok(_) => panic!("a broken edit must fail"),
        Err(f) => f,
    };
    let shown: Vec<String> = f.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        shown
            .iter()
            .any(|d| d.contains("content/en/node/010_hello.md") && d.contains("nosuchvar")),
        "{shown:?}"
    );
    assert_eq!(s.all_pages(), n, "the last good site is kept");
    s.edit(
        "content/en/node/010_hello.md",
        "## <<nosuchvar>>",
        "## Steps again",
    );
    let r = s.rebuild(&[p]);
    assert_eq!(s.rendered(&r), paths(&["en/node/010_hello.html"]));
}

#[test]
fn output_paths_name_every_page_once() {
    let s = Site::new("two_lang");
    let mut all: Vec<String> = s
        .build
        .page_ids()
        .map(|id| s.build.output_path(id))
        .collect();
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), n);
    assert!(all.contains(&"ru/node/010_hello.html".to_string()));
    assert!(Path::new(&s.root).join("book.toml").is_file());
}
