//! Hostile input and clumsy use (issue: "no file outside the site touched, no user file
//! lost, no injection, no crash"). Each test is one defect found on 4402f3c; run them
//! against an older binary with `GUIDEGEN_BIN=/path/to/guidegen cargo test --test it
//! hostile` to see them fail there (under `ulimit -v`: some made it allocate gigabytes).

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use crate::common::*;

/// Build `<tmp>/site` into `<tmp>/out`: (exit code, stderr).
fn build(tmp: &Path) -> (Option<i32>, String) {
    let o = build_dir(&tmp.join("site"), &tmp.join("out"));
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A page of the two_lang fixture with this text.
fn page(text: &str) -> tempfile::TempDir {
    fixture_with("two_lang", &[("content/en/node/030_page.md", text)])
}

// ---------------------------------------------------------------- confinement

#[test]
fn permalinks_never_leave_the_language_folder() {
    for p in ["../../../victim", "../en/node/010_hello", "../"] {
        let tmp = page(&format!("---\ntitle: P\npermalink: \"{p}\"\n---\nText\n"));
        let (code, e) = build(tmp.path());
        assert_eq!(code, Some(1), "{p}: {e}");
        assert!(
            e.contains("030_page.md:3:1: permalink") && e.contains("leads outside"),
            "{p}: {e}"
        );
        assert!(!tmp.path().join("victim.html").exists());
        assert!(!tmp.path().join("out").exists());
    }
}

#[test]
fn an_output_folder_through_a_missing_folder_is_checked_where_it_lands() {
    let tmp = fixture_with("two_lang", &[]);
    let user = tmp.path().join("userdir");
    fs::create_dir_all(&user).unwrap();
    fs::write(user.join("thesis.txt"), "years of work").unwrap();
    let site = tmp.path().join("site");
    for (cwd, out) in [
        (tmp.path(), "nonexist/../userdir"),
        (site.as_path(), "nonexist/../content"),
        (site.as_path(), "nonexist/../../site"),
    ] {
        let o = guidegen_in(
            cwd,
            &["build", "--root", site.to_str().unwrap(), "--out", out],
        );
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{out}: {e}");
        assert!(e.contains("choose another output folder"), "{out}: {e}");
    }
    assert_eq!(
        fs::read_to_string(user.join("thesis.txt")).unwrap(),
        "years of work"
    );
    assert!(site.join("content/en/node/010_hello.md").is_file());
    assert!(site.join("book.toml").is_file());
    let hidden: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("guidegen"))
        .collect();
    assert!(hidden.is_empty(), "nothing moved aside: {hidden:?}");
}

#[test]
fn extends_cannot_leave_content() {
    let tmp = fixture_with(
        "two_lang",
        &[
            ("../outside/secret.md", "# Secret\n\nOutside the site.\n"),
            ("../outside/leak.txt", "leaked"),
            ("content/en/_skeleton/010_step.md", "# Step\n"),
            (
                "content/en/node/_guide.md",
                "---\ntitle: Node\nextends: \"_skeleton/../../../../outside\"\n---\n",
            ),
        ],
    );
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(1), "{e}");
    assert!(e.contains("_guide.md:3:1: extends"), "{e}");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn an_examples_folder_outside_examples_is_refused() {
    let tmp = page("---\ntitle: T\nexamples: ../../../../etc\n---\n<<example \"passwd\">>\n");
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("`examples:` folder '../../../../etc' leads outside examples/"),
        "{e}"
    );
    assert!(!e.contains("root:"), "{e}");
}

#[test]
fn a_tree_never_follows_a_link_out_of_examples() {
    let tmp = page("---\ntitle: T\n---\n<<tree \".\">>\n");
    symlink("/etc", tmp.path().join("site/examples/node/010_hello/etc")).unwrap();
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("is a symbolic link to /etc, outside examples/"),
        "{e}"
    );
    assert!(!e.contains("passwd"), "{e}");
}

#[test]
fn link_loops_end_with_an_error_not_a_hang() {
    // Two self-links in examples/ (shown by a tree) and in content/.
    let tmp = page("---\ntitle: T\n---\n<<tree \".\">>\n");
    let ex = tmp.path().join("site/examples/node/010_hello");
    symlink(".", ex.join("a")).unwrap();
    symlink(".", ex.join("b")).unwrap();
    let content = tmp.path().join("site/content/en/node");
    symlink(".", content.join("loop1")).unwrap();
    symlink(".", content.join("loop2")).unwrap();
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(1), "{e}");
    assert!(e.contains("loop"), "{e}");
}

#[test]
fn content_links_out_of_the_site_are_refused() {
    let tmp = page("---\ntitle: T\n---\n![pw](pw.png)\n");
    symlink(
        "/etc/passwd",
        tmp.path().join("site/content/en/node/pw.png"),
    )
    .unwrap();
    fs::create_dir_all(tmp.path().join("site/theme/i18n")).unwrap();
    symlink("/etc/hostname", tmp.path().join("site/theme/i18n/en.toml")).unwrap();
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("content/en/node/pw.png: is a symbolic link to /etc/passwd, outside the site"),
        "{e}"
    );
    assert!(e.contains("theme/i18n/en.toml: is a symbolic link"), "{e}");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn links_that_stay_inside_the_site_work() {
    let tmp = page("---\ntitle: T\n---\n![d](d.png)\n\n<<example \"app2.js\">>\n");
    let site = tmp.path().join("site");
    symlink("diagram.png", site.join("content/en/node/d.png")).unwrap();
    symlink("app.js", site.join("examples/node/010_hello/app2.js")).unwrap();
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    let html = read(&tmp.path().join("out/en/node/030_page.html"));
    assert!(html.contains("src=\"d.png\""), "{html}");
    assert!(tmp.path().join("out/en/node/d.png").is_file());
}

// ---------------------------------------------------------------- escaping

#[test]
fn slot_values_never_become_markup_in_any_context() {
    let tmp = page(concat!(
        "---\ntitle: T\n",
        "fence: \"```\\n<script>alert(1)</script>\\n```\"\n",
        "tick: \"`<img src=x onerror=alert(2)>`\"\n",
        "quote: \"x' onmouseover='alert(3)\"\n",
        "dquote: 'x\" onfocus=\"alert(4)'\n",
        "paren: \"x) <b>bold</b> [y](javascript:alert(5)\"\n",
        "---\n",
        "Prose <<fence>> and <<tick>>.\n\n",
        "```bash\necho \"<<fence>>\"\n```\n\n",
        "Inline `<<tick>>` and `` <<fence>> ``.\n\n",
        "<a title='<<quote>>' href=\"#\">q</a> <a title=\"<<dquote>>\" href=\"#\">d</a>\n\n",
        "[link](https://example.com/<<paren>>)\n",
    ));
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    let html = read(&tmp.path().join("out/en/node/030_page.html"));
    let main = &html[html.find("<main").unwrap()..];
    for bad in [
        "<script>alert(1)",
        "<img src=x",
        "onmouseover='alert",
        "onfocus=\"alert",
        "<b>bold</b>",
        "href=\"javascript:",
    ] {
        assert!(!main.contains(bad), "{bad} in\n{main}");
    }
    // The values are there as text, inside the code they were written in.
    let text = strip_tags(main);
    assert!(
        text.contains("echo \"```\n<script>alert(1)</script>\n```\""),
        "{text}"
    );
    assert!(
        main.contains("<code>`&lt;img src=x onerror=alert(2)&gt;`</code>"),
        "{main}"
    );
}

// ---------------------------------------------------------------- bounds

#[test]
fn deep_nesting_is_a_located_error_not_a_crash() {
    let depth = 3000;
    let text = format!(
        "---\ntitle: T\n---\n{}x\n{}",
        "<<if framework>>\n".repeat(depth),
        "<<end>>\n".repeat(depth)
    );
    let (code, e) = build(page(&text).path());
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("030_page.md:68:1: blocks nested more than 64 deep"),
        "{}",
        &e[..e.len().min(2000)]
    );
}

#[test]
fn long_include_chains_and_include_bombs_are_errors() {
    // 700 partials, each including the next.
    let mut files: Vec<(String, String)> = (0..700)
        .map(|i| {
            (
                format!("content/en/_partials/p{i}.md"),
                format!("<<include \"p{}\">>\n", i + 1),
            )
        })
        .collect();
    files.push(("content/en/_partials/p700.md".into(), "end\n".into()));
    files.push((
        "content/en/node/030_page.md".into(),
        "---\ntitle: T\n---\n<<include \"p0\">>\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let tmp = fixture_with("two_lang", &refs);
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(1), "{e}");
    assert!(e.contains("partials included more than 32 deep"), "{e}");

    // 20 partials, each including the next twice: a million includes.
    let mut files: Vec<(String, String)> = (0..20)
        .map(|i| {
            (
                format!("content/en/_partials/b{i}.md"),
                format!("<<include \"b{n}\">> <<include \"b{n}\">>\n", n = i + 1),
            )
        })
        .collect();
    files.push(("content/en/_partials/b20.md".into(), "x".into()));
    files.push((
        "content/en/node/030_page.md".into(),
        "---\ntitle: T\n---\n<<include \"b0\">>\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let tmp = fixture_with("two_lang", &refs);
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(1), "{e}");
    assert!(e.contains("includes partials more than 10000 times"), "{e}");
}

#[test]
fn diagnostics_show_a_window_of_a_long_line() {
    // 2,000 unknown variables on one long line, and one error on a 1 MB line.
    let long = format!("{} <<nope>>\n", "word ".repeat(200_000));
    let many = "<<unknown_var>> padding ".repeat(2_000);
    let tmp = page(&format!("---\ntitle: T\n---\n{long}\n{many}\n"));
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(1));
    assert!(e.contains("unknown variable 'nope'"), "{}", &e[..2000]);
    assert!(e.contains("unknown variable 'unknown_var'"));
    // A terminal shows 50 problems of a file and counts the rest.
    assert!(
        e.contains("content/en/node/030_page.md: 1951 more errors not shown"),
        "{}",
        &e[e.len().saturating_sub(2000)..]
    );
    // Every diagnostic shows at most a window of ~160 characters of its line.
    let longest = e.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(
        longest < 400,
        "a line of {longest} characters in the output"
    );
    assert!(e.len() < 2_000_000, "{} bytes of diagnostics", e.len());
}

#[test]
fn many_notes_on_one_line_are_reported_in_bounded_output() {
    // 100,000 notes on one 600 KB line (4402f3c copied the line into each: 60 GB).
    let notes = "{{n}} ".repeat(100_000);
    let tmp = page(&format!("---\ntitle: T\n---\n{notes}\n"));
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0));
    let warnings = e.lines().filter(|l| l.contains("author note")).count();
    assert_eq!(warnings, 50, "a terminal shows 50 problems of a file");
    assert!(e.contains("99950 more warnings not shown"), "{e}");
    assert!(e.len() < 100_000, "{} bytes", e.len());
}

#[test]
fn a_huge_line_in_code_is_shown_plain() {
    let line = "x = 1; ".repeat(1_500_000);
    let tmp = page(&format!("---\ntitle: T\n---\n```js\n{line}\n```\n"));
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{}", &e[..e.len().min(2000)]);
    assert!(e.contains("code block too large to highlight"), "{e}");
    let html = read(&tmp.path().join("out/en/node/030_page.html"));
    assert!(html.contains("x = 1; x = 1;"));
}

// ---------------------------------------------------------------- degraded input

#[test]
fn unclosed_frontmatter_is_a_warning() {
    let (code, e) = build(page("---\ntitle: never closed\n\nBody text.\n").path());
    assert_eq!(code, Some(0), "{e}");
    assert!(
        e.contains(
            "030_page.md:1:1: the file starts with `---` but no line closes the frontmatter"
        ),
        "{e}"
    );
}

#[test]
fn yaml_scalars_read_as_written() {
    let tmp = page(concat!(
        "---\ntitle: yes\nversion: 010\npython: 3.10\nport: 8080\ndescription: 2024\n---\n",
        "Python <<python>>, version <<version>>, port <<port>>.\n"
    ));
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    let html = read(&tmp.path().join("out/en/node/030_page.html"));
    assert!(html.contains("<title>yes — werf guides</title>"), "{html}");
    assert!(
        html.contains("Python 3.10, version 010, port 8080."),
        "{html}"
    );
    assert!(html.contains("content=\"2024\""), "{html}");
}

#[test]
fn nul_bytes_never_reach_a_page() {
    let tmp = page("---\ntitle: T\n---\nA\0B `c\0d`\n");
    let (code, e) = build(tmp.path());
    assert_eq!(code, Some(0), "{e}");
    assert!(e.contains("contains NUL bytes"), "{e}");
    let html = read(&tmp.path().join("out/en/node/030_page.html"));
    assert!(!html.contains('\0'));
    assert!(html.contains("A\u{FFFD}B"));
}

#[test]
fn yaml_errors_speak_the_authors_language() {
    let (code, e) = build(page("---\ntitle: T\n~: x\n---\nBody\n").path());
    assert_eq!(code, Some(1), "{e}");
    assert!(!e.contains("Option<String>"), "{e}");
    assert!(e.contains("a key is empty or null"), "{e}");
}

// ---------------------------------------------------------------- output folder

#[test]
fn leftovers_of_killed_builds_are_removed() {
    let tmp = fixture_with("two_lang", &[]);
    let out = tmp.path().join("out");
    // A build killed during the swap left these (its process is gone).
    let dead = tmp.path().join(".out.guidegen-tmp-4000000");
    let old = tmp.path().join(".out.guidegen-old-4000001");
    for d in [&dead, &old] {
        fs::create_dir_all(d.join("en")).unwrap();
        fs::write(d.join(".guidegen"), "marker").unwrap();
    }
    // A folder of the same shape that is not ours (no marker) is kept.
    let foreign = tmp.path().join(".out.guidegen-tmp-4000002");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("mine.txt"), "keep").unwrap();
    let o = build_dir(&tmp.path().join("site"), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!dead.exists() && !old.exists());
    assert!(foreign.join("mine.txt").is_file());
    assert!(out.join("en/index.html").is_file());
}

#[test]
fn a_symlinked_output_folder_stays_a_link() {
    let tmp = fixture_with("two_lang", &[]);
    let real = tmp.path().join("real-out");
    let link = tmp.path().join("out");
    let site = tmp.path().join("site");
    fs::create_dir_all(&real).unwrap();
    symlink(&real, &link).unwrap();
    for _ in 0..2 {
        let o = build_dir(&site, &link);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(real.join("en/index.html").is_file());
}
