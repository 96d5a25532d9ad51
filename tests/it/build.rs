//! Integration tests: build fixture sites with the real binary and check the HTML a
//! reader gets (snapshots reviewed by hand), the output layout, and bad input.

use std::fs;
use std::path::Path;

use crate::common::*;

#[test]
fn two_language_folder_guide_layout() {
    let (_tmp, out) = build_fixture("two_lang", &[]);
    for p in [
        "en/index.html",
        "en/node/index.html",
        "en/node/010_hello.html",
        "en/node/100_deploy/index.html",
        "en/node/100_deploy/010_helm.html",
        "en/node/100_deploy/2_second.html",
        "en/node/100_deploy/10_tenth.html",
        "en/node/diagram.png",
        "en/robots.txt",
        "en/assets/style.css",
        "en/assets/highlight.css",
        "en/assets/guidegen.js",
        "ru/index.html",
        "ru/node/index.html",
        "ru/node/010_hello.html",
        "ru/node/100_deploy/index.html",
        "ru/robots.txt",
        "ru/assets/style.css",
    ] {
        assert!(out.join(p).is_file(), "missing {p}");
    }
    // The live-reload script belongs to `serve` only.
    for p in [
        "en/node/010_hello.html",
        "ru/node/index.html",
        "en/404.html",
    ] {
        assert!(!read(&out.join(p)).contains("__guidegen"), "{p}");
    }
    // Drafts are skipped without --drafts.
    assert!(!out.join("en/node/100_deploy/020_draft.html").exists());
}

#[test]
fn drafts_flag_includes_drafts() {
    let (_tmp, out) = build_fixture("two_lang", &["--drafts"]);
    let html = read(&out.join("en/node/100_deploy/020_draft.html"));
    assert!(html.contains("Not ready"));
}

#[test]
fn value_slots_helm_braces_heredocs() {
    let (_tmp, out) = build_fixture("two_lang", &[]);
    let html = read(&out.join("en/node/010_hello.html"));
    let text = strip_tags(&html);
    assert!(text.contains("Install packages with npm and deploy with GitLab CI."));
    assert!(
        text.contains("image: {{ .Values.werf.image.app }}"),
        "Helm braces kept"
    );
    assert!(text.contains("name: express-app"));
    assert!(
        text.contains("cat <<EOF > /etc/app.conf\nname=express\nEOF"),
        "heredoc kept, slot filled"
    );
    assert!(text.contains("echo $((1 << 3))"));
    assert!(text.contains("Escaped: <<framework>>, code EXPRESS, shift a << b."));
    assert!(text.contains("Raw HTML list with Express"));
    // [names.ru] wins in Russian, [languages.ru.variables] reach pages.
    let ru = strip_tags(&read(&out.join("ru/node/010_hello.html")));
    assert!(ru.contains("выкатываем через ГитЛаб CI"));
    assert!(ru.contains("echo \"Привет\""));
    // Titles take slots too.
    assert!(html.contains("<title>Hello, Express — werf guides</title>"));
}

#[test]
fn links_images_ids_and_order() {
    let (_tmp, out) = build_fixture("two_lang", &[]);
    let html = read(&out.join("en/node/010_hello.html"));
    assert!(html.contains("href=\"100_deploy/010_helm.html#values\""));
    assert!(html.contains("href=\"100_deploy/\""));
    assert!(html.contains("<img src=\"diagram.png\""));
    assert!(html.contains("<h2 id=\"steps\">") && html.contains("<h2 id=\"steps-1\">"));
    let back = read(&out.join("en/node/100_deploy/010_helm.html"));
    assert!(back.contains("href=\"../010_hello.html\""));
    // Numeric-aware order: 2_second before 10_tenth; weight puts the section first.
    let guide = read(&out.join("en/node/index.html"));
    let pos = |s: &str| {
        guide
            .find(s)
            .unwrap_or_else(|| panic!("{s} not in guide page"))
    };
    assert!(pos("Second by number") < pos("Tenth"));
    assert!(pos(">Deploying<") < pos(">Hello, Express<"));
    let ru = read(&out.join("ru/node/010_hello.html"));
    assert!(ru.contains("<h2 id=\"подготовка-и-настройка-среды\">"));
}

#[test]
fn language_switcher_hreflang_edit_link() {
    let (_tmp, out) = build_fixture("two_lang", &[]);
    let html = read(&out.join("en/node/010_hello.html"));
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("<link rel=\"alternate\" hreflang=\"ru\" href=\"https://ru.werf.io/guides/node/010_hello.html\">"));
    assert!(html.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://werf.io/guides/node/010_hello.html\">"));
    assert!(html.contains(
        "href=\"https://github.com/werf/werf-guides/edit/main/content/en/node/010_hello.md\""
    ));
    // Missing translation: the switcher goes to the guide's landing page, marked.
    let helm = read(&out.join("en/node/100_deploy/010_helm.html"));
    assert!(helm.contains("class=\"gg-lang gg-missing\" href=\"https://ru.werf.io/guides/node/\" data-local=\"../../../ru/node/index.html\""));
    assert!(helm.contains("not translated"));
    assert!(!helm.contains("hreflang=\"ru\" href=\"https://ru.werf.io/guides/node/\">"));
}

#[test]
fn sitemap_and_404_per_language() {
    let (_tmp, out) = build_fixture("two_lang", &[]);
    let sm = read(&out.join("en/sitemap.xml"));
    assert!(sm.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(sm.contains("<loc>https://werf.io/guides/node/010_hello.html</loc>"));
    assert!(sm.contains("<xhtml:link rel=\"alternate\" hreflang=\"ru\" href=\"https://ru.werf.io/guides/node/010_hello.html\"/>"));
    assert!(!sm.contains("020_draft"), "drafts are not in the sitemap");
    assert!(
        read(&out.join("ru/sitemap.xml")).contains("<loc>https://ru.werf.io/guides/node/</loc>")
    );
    let nf = read(&out.join("ru/404.html"));
    assert!(nf.contains("Страница не найдена") && nf.contains("href=\"/guides/\""));
}

#[test]
fn output_is_byte_identical_across_runs() {
    let (_t1, a) = build_fixture("skeleton", &[]);
    let (_t2, b) = build_fixture("skeleton", &[]);
    let fa = list_files(&a);
    assert_eq!(fa, list_files(&b));
    for f in fa {
        assert_eq!(
            fs::read(a.join(&f)).unwrap(),
            fs::read(b.join(&f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn snapshots_two_lang() {
    let (_tmp, out) = build_fixture("two_lang", &[]);
    for p in [
        "en/node/010_hello.html",
        "ru/node/010_hello.html",
        "en/node/100_deploy/010_helm.html",
        "en/node/index.html",
        "en/index.html",
    ] {
        snapshot(
            &format!("build__two_lang__{}", p.replace('/', "__")),
            &read(&out.join(p)),
        );
    }
}

#[test]
fn snapshots_skeleton_every_slot() {
    let (_tmp, out) = build_fixture("skeleton", &[]);
    for p in [
        "en/flask/010_build.html",
        "en/flask/020_next.html",
        "en/nodejs/010_build.html",
        "en/nodejs/020_next.html",
        "ru/flask/010_build.html",
        "ru/flask/020_next.html",
    ] {
        snapshot(
            &format!("build__skeleton__{}", p.replace('/', "__")),
            &main_of(&read(&out.join(p))),
        );
    }
}

#[test]
fn skeleton_chapters_are_real_chapters() {
    let (_tmp, out) = build_fixture("skeleton", &[]);
    let flask = read(&out.join("en/flask/010_build.html"));
    let node = read(&out.join("en/nodejs/010_build.html"));
    assert!(flask.contains("<h1>Build a Flask app</h1>"));
    assert!(node.contains("<h1>Build a Express app</h1>"));
    // Same text, each guide's own examples.
    assert!(strip_tags(&flask).contains("return \"Hello\""));
    assert!(strip_tags(&node).contains("app.get(\"/\", (req, res) => res.send(\"Hello\"));"));
    // Replaced chapter, same URL and sidebar place.
    let replaced = read(&out.join("en/nodejs/020_next.html"));
    assert!(
        replaced.contains("This chapter replaces the skeleton&#39;s for Express.")
            || replaced.contains("This chapter replaces the skeleton's for Express.")
    );
    assert!(node.contains("href=\"020_next.html\" rel=\"next\""));
    // Translations pair through the skeleton.
    assert!(
        flask.contains(
            "hreflang=\"ru\" href=\"https://ru.example.org/guides/flask/010_build.html\""
        )
    );
    // Language comments in examples: only this language's line, marker removed.
    let ru = strip_tags(&read(&out.join("ru/flask/010_build.html")));
    assert!(ru.contains("# Приложение") && !ru.contains("# The app") && !ru.contains("[<"));
    let en = strip_tags(&read(&out.join("en/flask/010_build.html")));
    assert!(!en.contains("snippet") && !en.contains("[<"));
}

#[test]
fn examples_link_to_repo_and_have_copy_buttons() {
    let (_tmp, out) = build_fixture("skeleton", &[]);
    let html = read(&out.join("en/flask/010_build.html"));
    assert!(html.contains(
        "<a href=\"https://github.com/acme/guides/blob/main/examples/flask/010/app.py\">app.py</a>"
    ));
    assert!(html.contains("<a href=\"https://github.com/acme/guides/blob/main/examples/shared/Makefile\">shared/Makefile</a>"));
    assert!(html.contains("class=\"gg-copy\""));
    // <<files>>: every example file shown, in order of first use.
    let files = &html[html.find("gg-files").unwrap()..];
    let a = files.find("flask/010/app.py").unwrap();
    let b = files.find("flask/010/Dockerfile").unwrap();
    let c = files.find("shared/Makefile").unwrap();
    assert!(a < b && b < c);
}

#[test]
fn seeds_build_as_is() {
    for seed in ["000_79d7362004955546.txt", "001_9451b4300d08b6f3.txt"] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(root.join("content/ru")).unwrap();
        fs::write(root.join("book.toml"), "[book]\ntitle = \"Guides\"\ndefault_language = \"ru\"\n[languages.ru]\ntitle = \"Руководства\"\nbase_url = \"https://ru.werf.io/guides\"\n").unwrap();
        fs::copy(
            fixture(&format!("seeds/{seed}")),
            root.join("content/ru/flask.md"),
        )
        .unwrap();
        let out = tmp.path().join("out");
        let o = build_dir(&root, &out);
        assert!(
            o.status.success(),
            "{seed}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains("author note"), "notes are reported");
        assert!(
            stderr.contains("Built 1 language, 1 guide, 13 pages"),
            "{stderr}"
        );
        let hello = read(&out.join("ru/flask/hello-world.html"));
        assert!(hello.contains("<h1>Hello world</h1>"));
        if seed.starts_with("000") {
            let text = strip_tags(&hello);
            assert!(
                text.contains(
                    "{{ tuple \"rails\" . | include \"werf_container_env\" | indent 8 }}"
                )
            );
            assert!(text.contains("value: {{ .Values.rails.master_key}}"));
        }
        assert!(hello.contains("class=\"gg-note\""));
        assert!(out.join("ru/flask/введение.html").is_file());
        assert!(out.join("ru/flask/подключаем-redis.html").is_file());
        assert!(out.join("ru/flask/index.html").is_file());
        snapshot(
            &format!("build__seed__{seed}__hello-world"),
            &main_of(&hello),
        );
    }
}

#[test]
fn single_file_chapter_slugs_use_filled_slots_and_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    fs::create_dir_all(root.join("content/en")).unwrap();
    fs::write(root.join("book.toml"), "[names]\nflask = \"Flask\"\n").unwrap();
    fs::write(root.join("content/en/flask.md"), "---\nframework: flask\n---\nIntro.\n\n# Deploying <<framework>>\n\nx\n\n# Second {#second-step}\n\ny\n").unwrap();
    let out = tmp.path().join("out");
    assert!(build_dir(&root, &out).status.success());
    assert!(read(&out.join("en/flask/deploying-flask.html")).contains("<h1>Deploying Flask</h1>"));
    assert!(out.join("en/flask/second-step.html").is_file());
    assert!(read(&out.join("en/flask/index.html")).contains("Intro."));
}

#[test]
fn help_and_version() {
    let o = guidegen(&["--help"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("build"));
    let o = guidegen(&["--version"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("guidegen "));
    let o = guidegen(&["build", "--help"]);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("--root") && s.contains("--out") && s.contains("--drafts"));
}

#[test]
fn a_site_without_theme_folder_uses_the_builtin_theme_and_overrides_work() {
    let tmp = copy_fixture("two_lang");
    let root = tmp.path().join("site");
    fs::create_dir_all(root.join("theme/templates")).unwrap();
    fs::create_dir_all(root.join("theme/i18n")).unwrap();
    let page = "{% extends \"base.html\" %}{% block article %}<h1 class=\"custom\">{{ page.title }}</h1>{{ page.content | safe }}{% endblock article %}";
    fs::write(root.join("theme/templates/page.html"), page).unwrap();
    fs::write(root.join("theme/i18n/en.toml"), "next = \"Onward\"\n").unwrap();
    let out = tmp.path().join("out");
    let o = build_dir(&root, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = read(&out.join("en/node/010_hello.html"));
    assert!(html.contains("<h1 class=\"custom\">Hello, Express</h1>"));
    assert!(read(&out.join("en/node/index.html")).contains("Onward →"));
}

#[test]
fn variable_precedence_and_builtins() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let w = |p: &str, t: &str| {
        let path = root.join(p);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, t).unwrap();
    };
    w(
        "book.toml",
        "[languages.en]\nbase_url = \"https://x.io/g\"\n[languages.en.variables]\nb = \"lang\"\n[languages.ru]\nbase_url = \"https://ru.x.io/g\"\n[variables]\na = \"book\"\nb = \"book\"\nc = \"book\"\nd = \"book\"\ne = \"book\"\n",
    );
    w(
        "content/en/g/_guide.md",
        "---\nc: guide\nd: guide\ne: guide\nunit_tests_chosen: pytest\n---\n",
    );
    w(
        "content/en/g/sec/_index.md",
        "---\ntitle: Sec\nd: section\ne: section\n---\n",
    );
    w(
        "content/en/g/sec/p.md",
        "---\ntitle: Page\ne: page\n---\nVALUES <<a>> <<b>> <<c>> <<d>> <<e>> <<lang>> <<guide>> <<page.title>> <<page.url>> <<unit_tests>>\n",
    );
    w(
        "content/en/_index.md",
        "---\ntitle: Home\n---\nLANDING <<page.title>> <<lang>> <<b>>\n",
    );
    let out = tmp.path().join("out");
    let o = build_dir(&root, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(read(&out.join("en/index.html")).contains("LANDING Home en lang"));
    let html = read(&out.join("en/g/sec/p.html"));
    assert!(
        html.contains("VALUES book lang guide section page en g Page g/sec/p.html pytest"),
        "{}",
        strip_tags(&html)
    );
}

#[test]
fn skeleton_images_and_permalinks() {
    let tmp = copy_fixture("skeleton");
    let root = tmp.path().join("site");
    fs::write(
        root.join("content/en/_skeleton/030_pic.md"),
        "---\ntitle: Picture\n---\n![Diagram](pic.png)\n",
    )
    .unwrap();
    fs::write(root.join("content/en/_skeleton/pic.png"), "png").unwrap();
    fs::write(
        root.join("content/en/flask/040_perm.md"),
        "---\ntitle: Moved\npermalink: /custom/moved.html\n---\nHere.\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = build_dir(&root, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for g in ["flask", "nodejs"] {
        assert!(
            out.join(format!("en/{g}/pic.png")).is_file(),
            "{g} gets the skeleton's image"
        );
        assert!(
            read(&out.join(format!("en/{g}/030_pic.html")))
                .contains("<img src=\"pic.png\" alt=\"Diagram\"")
        );
    }
    assert!(read(&out.join("en/custom/moved.html")).contains("<h1>Moved</h1>"));
    assert!(
        read(&out.join("en/flask/030_pic.html"))
            .contains("href=\"../custom/moved.html\" rel=\"next\"")
    );
}

#[test]
fn a_content_folder_for_an_unknown_language_is_a_warning() {
    let tmp = copy_fixture("two_lang");
    let root = tmp.path().join("site");
    fs::create_dir_all(root.join("content/de/node")).unwrap();
    fs::write(
        root.join("content/de/node/_guide.md"),
        "---\ntitle: DE\n---\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = build_dir(&root, &out);
    assert!(o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains(
            "warning: content/de: content/de/ is not built: 'de' is not a language of book.toml"
        ),
        "{e}"
    );
    assert!(e.contains("add [languages.de]"), "{e}");
}

#[test]
fn unknown_code_language_is_plain_text_with_a_warning() {
    let tmp = copy_fixture("two_lang");
    let root = tmp.path().join("site");
    fs::write(
        root.join("content/en/node/030_k.md"),
        "---\ntitle: K\n---\n\n```klingon\n<b>Qapla'</b>\n```\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = build_dir(&root, &out);
    assert!(o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("warning: content/en/node/030_k.md:5:1: unknown code block language 'klingon', shown as plain text"), "{stderr}");
    let html = read(&out.join("en/node/030_k.html"));
    assert!(
        html.contains("<code class=\"language-klingon\">&lt;b&gt;Qapla&#39;&lt;/b&gt;\n</code>"),
        "{html}"
    );
}

#[test]
fn example_inside_a_list_item_stays_in_the_list() {
    let tmp = copy_fixture("skeleton");
    let root = tmp.path().join("site");
    fs::write(root.join("content/en/flask/050_list.md"), "---\ntitle: List\n---\n1. First step:\n\n   <<example \"Dockerfile\">>\n\n2. Second step.\n").unwrap();
    let out = tmp.path().join("out");
    let o = build_dir(&root, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = read(&out.join("en/flask/050_list.html"));
    let article = &html[html.find("<article").unwrap()..html.find("</article>").unwrap()];
    let ol = &article[article.find("<ol>").unwrap()..article.find("</ol>").unwrap()];
    assert!(
        ol.contains("<figure class=\"gg-example\">") && ol.contains("Second step."),
        "{ol}"
    );
    assert_eq!(article.matches("<ol>").count(), 1, "one list, not two");
}

fn main_of(html: &str) -> String {
    let a = html.find("<main").unwrap_or(0);
    let b = html.find("</main>").map(|i| i + 7).unwrap_or(html.len());
    html[a..b].to_string()
}

fn list_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    v.sort();
    v
}

/// A site with one guide of `n` chapters.
fn big_guide(n: usize) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let g = site.join("content/en/big");
    std::fs::create_dir_all(&g).unwrap();
    std::fs::write(
        site.join("book.toml"),
        "[languages.en]\nbase_url = \"https://x.io/g\"\n",
    )
    .unwrap();
    std::fs::write(
        g.join("_guide.md"),
        "---\ntitle: Big guide\n---\nMany chapters.\n",
    )
    .unwrap();
    for i in 0..n {
        std::fs::write(
            g.join(format!("{i:05}_c.md")),
            format!("---\ntitle: Chapter {i}\n---\nText {i}.\n"),
        )
        .unwrap();
    }
    let o = build_dir(&site, &tmp.path().join("out"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    tmp
}

#[test]
fn a_page_does_not_grow_with_its_guide() {
    let size = |tmp: &tempfile::TempDir, i: usize| {
        std::fs::metadata(tmp.path().join(format!("out/en/big/{i:05}_c.html")))
            .unwrap()
            .len()
    };
    let small = big_guide(300);
    let large = big_guide(1500);
    // The same chapter, in a guide five times as long: about the same size.
    let (a, b) = (size(&small, 150), size(&large, 150));
    assert!(
        b < a + a / 10,
        "{a} bytes in a 300-chapter guide, {b} in a 1,500-chapter one"
    );
    // The page shows the path and its neighbours, and gaps for the rest; the whole
    // contents are in the guide's nav.js.
    let page = read(&large.path().join("out/en/big/00150_c.html"));
    assert!(page.contains("aria-current=\"page\">Chapter 150</a>"));
    assert!(page.contains(">Chapter 142</a>") && page.contains(">Chapter 158</a>"));
    assert!(!page.contains(">Chapter 141</a>") && !page.contains(">Chapter 1000</a>"));
    assert!(
        page.contains("<li class=\"gg-nav-gap\" title=\"142\">…</li>"),
        "gap before"
    );
    assert!(page.contains("data-nav=\"nav.js\""));
    let nav = read(&large.path().join("out/en/big/nav.js"));
    assert!(
        nav.starts_with("ggNavLoad([[\"Chapter 0\",\"00000_c.html\",0,[]]"),
        "{}",
        &nav[..80]
    );
    assert_eq!(nav.matches("\",0,[]]").count(), 1500);
    // The landing page lists 200 chapters and counts the rest.
    let landing = read(&large.path().join("out/en/big/index.html"));
    assert!(
        landing.contains("1300 more chapters are in the guide&#39;s contents."),
        "more"
    );
    // A small guide has its whole sidebar in every page and no script.
    let (_tmp, out) = build_fixture("two_lang", &[]);
    assert!(!read(&out.join("en/node/010_hello.html")).contains("data-nav="));
    assert!(!out.join("en/node/nav.js").exists());
}

/// `{commit}` in `[examples] repo_url`: the commit of the site's checkout, read from
/// `.git` (a branch, then packed refs); outside a checkout, `[examples] branch` with a
/// warning.
#[test]
fn commit_in_repo_url_pins_example_links() {
    let sha = "8d3f0c2b9a1e4d5c6b7a8f9e0d1c2b3a4f5e6d7c";
    let with_commit = |branch: &str| {
        let tmp = copy_fixture("skeleton");
        let site = tmp.path().join("site");
        let book = read(&site.join("book.toml")).replace(
            "repo_url = \"https://github.com/acme/guides/blob/main/examples\"",
            &format!(
                "repo_url = \"https://github.com/acme/guides/blob/{{commit}}/examples\"\n{branch}"
            ),
        );
        std::fs::write(site.join("book.toml"), book).unwrap();
        tmp
    };
    // A checkout: HEAD names a branch whose commit is in packed-refs.
    let tmp = with_commit("");
    let git = tmp.path().join(".git");
    std::fs::create_dir_all(git.join("refs/heads")).unwrap();
    std::fs::write(git.join("HEAD"), "ref: refs/heads/guides\n").unwrap();
    std::fs::write(
        git.join("packed-refs"),
        format!("{sha} refs/heads/guides\n"),
    )
    .unwrap();
    let site = tmp.path().join("site");
    let out = build_dir(&site, &tmp.path().join("out"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("not in a git checkout"), "{err}");
    let page = read(&tmp.path().join("out/en/flask/010_build.html"));
    assert!(
        page.contains(&format!(
            "https://github.com/acme/guides/blob/{sha}/examples/flask/010/app.py"
        )),
        "links name the commit"
    );
    assert!(!page.contains("{commit}"));

    // Not a checkout: the configured branch, and a warning at the key.
    let tmp = with_commit("branch = \"release\"");
    let site = tmp.path().join("site");
    let out = build_dir(&site, &tmp.path().join("out"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: book.toml:")
            && err.contains("not in a git checkout: links to examples use the branch 'release'"),
        "{err}"
    );
    let page = read(&tmp.path().join("out/en/flask/010_build.html"));
    assert!(page.contains("https://github.com/acme/guides/blob/release/examples/flask/010/app.py"));
}
