//! The build cache (`.guidegen-cache/`): a warm build writes exactly what a cold build
//! writes, an edit renders again exactly the pages that depend on it, and a damaged
//! cache entry is never used.
//!
//! `guidegen build --verbose` lists the pages a build rendered (the others came from
//! the cache): that is how these tests tell which pages a build rendered, without
//! timing anything.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::*;

struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn new() -> Site {
        let tmp = copy_fixture("skeleton");
        let root = tmp.path().join("site");
        Site { _tmp: tmp, root }
    }

    /// `guidegen build` with `args`; its stderr (the build must succeed).
    fn build(&self, args: &[&str]) -> String {
        let mut all = vec!["build", "--root", self.root.to_str().unwrap()];
        all.extend_from_slice(args);
        let out = guidegen(&all);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "build failed:\n{err}");
        err
    }

    /// Every file of the output: path -> bytes.
    fn output(&self, dir: &str) -> BTreeMap<String, Vec<u8>> {
        let base = self.root.join(dir);
        walkdir::WalkDir::new(&base)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, fs::read(e.path()).unwrap())
            })
            .collect()
    }

    /// Build warm (`--verbose`) into `public/` and cold (`--no-cache`) into `cold/`;
    /// assert both are the same byte for byte; the pages (`.html`) the warm build
    /// rendered again.
    fn rebuild_and_compare(&self) -> BTreeSet<String> {
        let said = self.build(&["--verbose"]);
        let warm = self.output("public");
        self.build(&[
            "--no-cache",
            "--out",
            self.root.join("cold").to_str().unwrap(),
        ]);
        let cold = self.output("cold");
        let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(&warm),
            names(&cold),
            "warm and cold builds write other files"
        );
        for (path, bytes) in &warm {
            assert!(
                cold[path] == *bytes,
                "{path} differs between a warm and a cold build"
            );
        }
        fs::remove_dir_all(self.root.join("cold")).unwrap();
        said.lines()
            .filter_map(|l| l.strip_prefix("rendered "))
            .filter(|p| is_page(p))
            .map(str::to_string)
            .collect()
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let p = self.root.join(rel);
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }

    /// Change the site's title in book.toml (every page shows it), build warm and cold
    /// and compare them (see [`Site::rebuild_and_compare`]): the pages rendered again.
    fn retitle(&self, from: &str, to: &str) -> BTreeSet<String> {
        self.edit(
            "book.toml",
            &format!("title = \"{from}\""),
            &format!("title = \"{to}\""),
        );
        self.rebuild_and_compare()
    }

    fn append(&self, rel: &str, more: &str) {
        let p = self.root.join(rel);
        let text = fs::read_to_string(&p).unwrap();
        fs::write(&p, format!("{text}{more}")).unwrap();
    }

    fn cache(&self) -> PathBuf {
        self.root.join(".guidegen-cache")
    }
}

/// A page of the site (not a 404 page, which belongs to no source).
fn is_page(path: &str) -> bool {
    path.ends_with(".html") && !path.ends_with("404.html")
}

fn set(pages: &[&str]) -> BTreeSet<String> {
    pages.iter().map(|p| p.to_string()).collect()
}

const ALL_PAGES: [&str; 11] = [
    "en/flask/010_build.html",
    "en/flask/020_next.html",
    "en/flask/index.html",
    "en/index.html",
    "en/nodejs/010_build.html",
    "en/nodejs/020_next.html",
    "en/nodejs/index.html",
    "ru/flask/010_build.html",
    "ru/flask/020_next.html",
    "ru/flask/index.html",
    "ru/index.html",
];

#[test]
fn an_unchanged_build_takes_every_page_from_the_cache_and_writes_the_same_site() {
    let s = Site::new();
    s.build(&[]);
    assert!(s.cache().is_dir(), "the first build fills .guidegen-cache/");
    let before = s.output("public");
    let err = s.build(&[]);
    assert!(
        err.contains("(11 unchanged, from the cache)"),
        "the summary says what was reused:\n{err}"
    );
    // Warnings of reused pages are still reported.
    assert!(err.contains("author note: TODO: explain"), "{err}");
    let after = s.output("public");
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (p, bytes) in &after {
        assert!(before[p] == *bytes, "{p} changed without an edit");
    }
    assert!(s.rebuild_and_compare().is_empty());
}

#[test]
fn editing_a_chapter_renders_that_page_again() {
    let s = Site::new();
    s.build(&[]);
    s.append(
        "content/en/nodejs/020_next.md",
        "\nA new closing sentence.\n",
    );
    let again = s.rebuild_and_compare();
    assert_eq!(again, set(&["en/nodejs/020_next.html"]));
    let page = fs::read_to_string(s.root.join("public/en/nodejs/020_next.html")).unwrap();
    assert!(page.contains("A new closing sentence."));
}

#[test]
fn editing_an_example_renders_again_the_pages_that_show_it() {
    let s = Site::new();
    s.build(&[]);
    // Shown by the skeleton's first chapter, in every guide and language that has it.
    s.append("examples/shared/Makefile", "# edited\n");
    let again = s.rebuild_and_compare();
    assert_eq!(
        again,
        set(&[
            "en/flask/010_build.html",
            "en/nodejs/010_build.html",
            "ru/flask/010_build.html",
        ])
    );
    // A file of one guide's examples: that guide's pages that show it.
    s.append("examples/nodejs/010/app.js", "// edited\n");
    assert_eq!(s.rebuild_and_compare(), set(&["en/nodejs/010_build.html"]));
}

#[test]
fn editing_a_partial_or_a_skeleton_chapter_renders_again_its_users() {
    let s = Site::new();
    s.build(&[]);
    s.edit(
        "content/en/_partials/note.md",
        "A partial",
        "An edited partial",
    );
    assert_eq!(
        s.rebuild_and_compare(),
        set(&["en/flask/010_build.html", "en/nodejs/010_build.html"])
    );
    s.append("content/ru/_skeleton/020_next.md", "\nНовая фраза.\n");
    assert_eq!(s.rebuild_and_compare(), set(&["ru/flask/020_next.html"]));
}

#[test]
fn editing_book_toml_or_the_theme_renders_every_page_again() {
    let s = Site::new();
    s.build(&[]);
    assert_eq!(s.retitle("Guides", "All the guides"), set(&ALL_PAGES));

    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("theme");
    copy_dir(&theme, &s.root.join("theme"));
    let page = s.root.join("theme/templates/base.html");
    let t = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{t}\n<!-- theme edited -->\n")).unwrap();
    assert_eq!(s.rebuild_and_compare(), set(&ALL_PAGES));
    let html = fs::read_to_string(s.root.join("public/en/flask/020_next.html")).unwrap();
    assert!(html.contains("theme edited"));
}

#[test]
fn a_damaged_cache_entry_is_never_used_and_is_written_again() {
    let s = Site::new();
    s.build(&[]);
    let before = s.output("public");
    // A page edited in place in the output: taken whole from the cache again, not
    // rendered.
    let rel = "en/flask/020_next.html";
    let whole = before[rel].clone();
    let page = s.root.join("public").join(rel);
    fs::write(&page, "edited").unwrap();
    assert!(s.rebuild_and_compare().is_empty());
    assert!(fs::read(&page).unwrap() == whole, "the page is whole again");
    // Its cache entry damaged (a killed build, a full disk) and no output to take it
    // from: rendered again, and written again.
    let pack = fs::read_dir(s.cache().join("v2/packs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let b = fs::read(p).unwrap();
            b.windows(whole.len()).any(|w| w == &whole[..])
        })
        .expect("the page is in a pack");
    let mut b = fs::read(&pack).unwrap();
    let at = b
        .windows(whole.len())
        .position(|w| w == &whole[..])
        .unwrap();
    b[at + whole.len() / 2] ^= 1;
    fs::write(&pack, b).unwrap();
    fs::remove_dir_all(s.root.join("public")).unwrap();
    assert_eq!(s.rebuild_and_compare(), set(&[rel]));
    assert!(fs::read(&page).unwrap() == whole);
    fs::remove_dir_all(s.root.join("public")).unwrap();
    assert!(
        s.rebuild_and_compare().is_empty(),
        "the entry was written again"
    );

    // A damaged index: nothing is reused, nothing is wrong.
    let records = s.cache().join("v2/records/index");
    for e in fs::read_dir(&records).unwrap().flatten() {
        let len = e.metadata().unwrap().len();
        fs::OpenOptions::new()
            .write(true)
            .open(e.path())
            .unwrap()
            .set_len(len - 7)
            .unwrap();
    }
    assert_eq!(s.rebuild_and_compare(), set(&ALL_PAGES));
}

#[test]
fn no_cache_writes_no_cache_and_clean_removes_cache_and_output() {
    let s = Site::new();
    s.build(&["--no-cache"]);
    assert!(!s.cache().exists(), "--no-cache leaves no cache");
    assert!(s.root.join("public/en/index.html").is_file());
    s.build(&[]);
    assert!(s.cache().is_dir());
    let out = guidegen(&["clean", "--root", s.root.to_str().unwrap()]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Removed public") && said.contains("Removed .guidegen-cache"),
        "{said}"
    );
    assert!(!s.cache().exists() && !s.root.join("public").exists());
    // The sources are untouched.
    assert!(s.root.join("content/en/_skeleton/010_build.md").is_file());
    let out = guidegen(&["clean", "--root", s.root.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Nothing to clean"));
}

#[test]
fn the_cache_folder_is_never_an_output_folder_and_clean_keeps_foreign_folders() {
    let s = Site::new();
    s.build(&[]);
    let out = guidegen(&[
        "build",
        "--root",
        s.root.to_str().unwrap(),
        "--out",
        s.root.join(".guidegen-cache/site").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("inside the site's .guidegen-cache/ folder")
    );
    // A folder guidegen did not write is not removed by clean.
    let mine = s.root.join("mine");
    fs::create_dir_all(&mine).unwrap();
    fs::write(mine.join("notes.txt"), "mine").unwrap();
    let out = guidegen(&[
        "clean",
        "--root",
        s.root.to_str().unwrap(),
        "--out",
        mine.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(mine.join("notes.txt").is_file());
}

#[test]
fn a_cache_that_cannot_be_written_warns_and_the_site_still_builds() {
    let s = Site::new();
    s.build(&[]);
    // Nothing can be written in the cache (`chattr +i`: not even by root).
    let _frozen = Frozen::new(&s.cache());
    s.append(
        "content/en/nodejs/020_next.md",
        "\nA new closing sentence.\n",
    );
    let err = s.build(&[]);
    assert!(
        err.contains("this build did not fill the build cache"),
        "{err}"
    );
    assert!(
        err.contains("--no-cache"),
        "the warning says how to do without: {err}"
    );
    let page = fs::read_to_string(s.root.join("public/en/nodejs/020_next.html")).unwrap();
    assert!(page.contains("A new closing sentence."));
    assert_eq!(s.rebuild_and_compare(), set(&["en/nodejs/020_next.html"]));
}

/// A folder made immutable (`chattr -R +i`) for a test, and mutable again on drop.
struct Frozen(PathBuf);

impl Frozen {
    fn new(dir: &Path) -> Frozen {
        let ok = std::process::Command::new("chattr")
            .args(["-R", "+i"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "chattr +i failed: this test needs chattr (e2fsprogs) and a temporary folder on ext4, xfs or btrfs"
        );
        Frozen(dir.to_path_buf())
    }
}

impl Drop for Frozen {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .args(["-R", "-i"])
            .arg(&self.0)
            .status();
    }
}

/// The cache's index: (generation, highlighted block key -> (pack reference, generation)).
fn blocks(s: &Site) -> (u64, BTreeMap<String, (String, u64)>) {
    let path = s.cache().join(format!("v2/records/index/{:032x}", 0));
    let bytes = fs::read(path).unwrap();
    let index: serde_json::Value = serde_json::from_slice(&bytes[16..]).unwrap();
    let blocks = index["blocks"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let r = v[0].as_str().unwrap().to_string();
            (k.clone(), (r, v[1].as_u64().unwrap()))
        })
        .collect();
    (index["generation"].as_u64().unwrap(), blocks)
}

/// The pack a reference (`pack:offset:len:hash`) points into.
fn pack_of(r: &str) -> &str {
    r.split(':').next().unwrap()
}

#[test]
fn pages_rendered_again_take_their_highlighted_code_from_the_cache() {
    let s = Site::new();
    s.build(&[]);
    let (first, cold) = blocks(&s);
    assert!(cold.len() >= 5, "{} blocks kept", cold.len());
    let packs: BTreeSet<&str> = cold.values().map(|(r, _)| pack_of(r)).collect();
    assert_eq!(packs.len(), 1, "{packs:?}");

    // book.toml changes every page; the code does not: every block comes from the
    // first build's pack, none is highlighted again, and the site is what a cold build
    // writes.
    assert_eq!(s.retitle("Guides", "All the guides"), set(&ALL_PAGES));
    let (second, warm) = blocks(&s);
    assert_eq!(second, first + 1);
    assert_eq!(
        warm.keys().collect::<Vec<_>>(),
        cold.keys().collect::<Vec<_>>()
    );
    for (k, (r, g)) in &warm {
        assert_eq!(r, &cold[k].0, "block {k} was highlighted again");
        assert_eq!(*g, second, "block {k} was used");
    }

    // A damaged pack: its blocks are highlighted again (into this build's pack), and
    // the site is still what a cold build writes.
    let pack = s
        .cache()
        .join("v2/packs")
        .join(pack_of(&cold.values().next().unwrap().0));
    let len = fs::metadata(&pack).unwrap().len();
    fs::OpenOptions::new()
        .write(true)
        .open(&pack)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    assert_eq!(s.retitle("All the guides", "Every guide"), set(&ALL_PAGES));
    let (_, again) = blocks(&s);
    let fresh = again
        .values()
        .filter(|(r, _)| !cold.values().any(|(c, _)| c == r))
        .count();
    assert!(fresh > 0, "no block was highlighted again");
}
