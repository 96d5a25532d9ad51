//! Resolver tests: a page's text with variables in, Markdown and diagnostics out.

use super::*;
use crate::config::Config;
use crate::content::SourceFile;
use std::path::{Path, PathBuf};

const BOOK: &str = "[languages.en]\nbase_url=\"https://x.io/g\"\n[languages.ru]\nbase_url=\"https://ru.x.io/g\"\n[names]\nflask=\"Flask\"\npython=\"Python\"\n[names.ru]\ngitlab=\"ГитЛаб\"\n";

struct T {
    config: Config,
    site: Site,
    store: ExampleStore,
}

fn setup(files: &[(&str, &str)]) -> T {
    let config = Config::parse(Path::new("/nonexistent"), BOOK).unwrap();
    let mut site = Site::default();
    for (name, text) in files {
        let split = crate::content::frontmatter::split(text);
        let fm = crate::content::frontmatter::parse(Path::new(name), text, &split).unwrap();
        let id = crate::source::FileId::new(site.files.len());
        site.files.push(SourceFile {
            rel: PathBuf::from(name),
            abs: PathBuf::from(format!("/site/{name}")),
            text: (*text).into(),
            frontmatter: fm.into(),
            body_start: split.body_start,
            lines: Default::default(),
        });
        if let Some(p) = name.strip_prefix("content/en/_partials/") {
            site.partials
                .entry("en".into())
                .or_default()
                .insert(p.trim_end_matches(".md").into(), id);
        }
    }
    T {
        config,
        site,
        store: ExampleStore::new(Path::new("/nonexistent")),
    }
}

fn run_with(t: &T, lang: &str, vars: &str, notes: NotesMode) -> Expanded {
    let vars: Map<String, Value> = serde_json::from_str(vars).unwrap();
    let env = Env {
        config: &t.config,
        site: &t.site,
        examples: &t.store,
        lang,
        vars: &vars,
        notes,
        parsed: &ParseCache::default(),
        context_note: None,
    };
    let f = &t.site.files[crate::source::FileId::new(0)];
    expand(
        &env,
        crate::source::FileId::new(0),
        f.body_start..f.text.len(),
    )
}

fn run(text: &str, vars: &str) -> Expanded {
    let t = setup(&[("content/en/page.md", text)]);
    run_with(&t, "en", vars, NotesMode::Warn)
}

/// The expanded Markdown, with values inside code filled in as the Markdown stage does.
fn md(text: &str, vars: &str) -> String {
    let e = run(text, vars);
    assert!(e.diags.is_empty(), "unexpected diagnostics: {:#?}", e.diags);
    crate::syntax::markdown::fill_code_values(&e.markdown, &e.code_values).into_owned()
}

const VARS: &str = r#"{"framework":"flask","language":"python","ci":"gitlab","is_compiled":0,"package_managers_chosen":"pip","weird":"<b>*x*</b>","n":3,"lang":"en"}"#;

#[test]
fn value_slots_use_display_names_and_filters() {
    assert_eq!(md("A <<framework>> app", VARS), "A Flask app");
    assert_eq!(md("<<framework|raw>>", VARS), "flask");
    assert_eq!(
        md(
            "<<framework|upper>> <<framework|raw|upper>> <<framework|lower>>",
            VARS
        ),
        "FLASK FLASK flask"
    );
    assert_eq!(md("<<ci|capitalize>>", VARS), "Gitlab");
    assert_eq!(md("<<package_manager>> <<n>>", VARS), "pip 3");
}

#[test]
fn per_language_names_win() {
    let t = setup(&[("content/ru/page.md", "<<ci>>")]);
    assert_eq!(run_with(&t, "ru", VARS, NotesMode::Warn).markdown, "ГитЛаб");
    assert_eq!(run_with(&t, "en", VARS, NotesMode::Warn).markdown, "gitlab");
}

#[test]
fn values_are_escaped_in_prose_and_raw_in_code() {
    assert_eq!(
        md("x <<weird>> y", VARS),
        "x &lt;b&gt;&#42;x&#42;&lt;/b&gt; y"
    );
    assert_eq!(md("`<<weird>>`", VARS), "`<b>*x*</b>`");
    assert_eq!(md("```\n<<weird>>\n```\n", VARS), "```\n<b>*x*</b>\n```\n");
}

#[test]
fn helm_braces_heredocs_and_shifts_are_untouched_in_code() {
    let src = "```yaml\nvalue: {{ .Values.rails.master_key}}\n{{ tuple \"rails\" . | include \"werf_container_env\" | indent 8 }}\n```\n\n```bash\ncat <<EOF > <<framework|raw>>.txt\nhi\nEOF\n```\n\n```cpp\nstd::cout << a << b;\n```\n";
    let out = md(src, VARS);
    assert!(out.contains("value: {{ .Values.rails.master_key}}\n"));
    assert!(out.contains("{{ tuple \"rails\" . | include \"werf_container_env\" | indent 8 }}"));
    assert!(out.contains("cat <<EOF > flask.txt"));
    assert!(out.contains("std::cout << a << b;"));
}

#[test]
fn escaped_slot_is_literal() {
    assert_eq!(md("\\<<framework>>", VARS), "&lt;&lt;framework>>");
    assert_eq!(md("`\\<<framework>>`", VARS), "`<<framework>>`");
}

#[test]
fn unknown_variable_is_located_with_suggestion() {
    let e = run("---\ntitle: x\n---\nBuild a <<frameworkk>> app\n", VARS);
    assert_eq!(e.diags.len(), 1);
    let s = e.diags[0].to_string();
    assert!(
        s.starts_with("error: content/en/page.md:4:9: unknown variable 'frameworkk' (did you mean 'framework'?)\n"),
        "{s}"
    );
    assert!(s.contains("did you mean 'framework'?"), "{s}");
    assert!(s.contains("4 | Build a <<frameworkk>> app"), "{s}");
    assert!(s.contains("^^^^^^^^^^^^^^"), "{s}");
}

#[test]
fn unknown_filter_is_an_error() {
    let e = run("<<framework|uper>>", VARS);
    assert!(e.diags[0].message.contains("unknown filter 'uper'"));
    assert_eq!(e.diags[0].suggestion.as_deref(), Some("upper"));
    assert!(e.diags[0].to_string().contains("(did you mean 'upper'?)"));
}

#[test]
fn cyrillic_columns() {
    let e = run("Ёлка и <<нет>> <<framwork>>", VARS);
    let loc = e.diags[0].location.clone().unwrap();
    assert_eq!((loc.line, loc.column), (1, 16));
}

#[test]
fn conditionals() {
    let src = "<<if is_compiled>>compiled<<else>>interpreted<<end>>";
    assert_eq!(md(src, VARS), "interpreted");
    assert_eq!(md("<<if not is_compiled>>yes<<end>>", VARS), "yes");
    assert_eq!(md("<<if framework == \"flask\">>F<<end>>", VARS), "F");
    assert_eq!(
        md("<<if framework != \"flask\">>F<<else>>not<<end>>", VARS),
        "not"
    );
    // An optional variable (some guide defines it, this one does not) is false.
    let mut t = setup(&[("content/en/page.md", "<<if missing>>a<<else>>b<<end>>")]);
    t.site.names.insert("missing".into());
    let e = run_with(&t, "en", VARS, NotesMode::Warn);
    assert!(e.diags.is_empty(), "{:?}", e.diags);
    assert_eq!(e.markdown, "b");
    // A name nothing defines is a misspelling: an error, with a suggestion.
    let e = run("<<if package_managr == \"pip\">>x<<end>>", VARS);
    assert_eq!(e.diags.len(), 1, "{:?}", e.diags);
    let d = &e.diags[0];
    assert!(
        d.message.contains("unknown variable 'package_managr'"),
        "{}",
        d.message
    );
    assert_eq!(d.suggestion.as_deref(), Some("package_manager"));
    // ... unless the author asks whether it is set.
    assert_eq!(md("<<if defined(missing)>>a<<else>>b<<end>>", VARS), "b");
    assert_eq!(md("<<if not defined(missing)>>a<<end>>", VARS), "a");
    assert_eq!(md("<<if defined(framework)>>a<<end>>", VARS), "a");
    let quoted = r#"{"a":"0","b":"false","c":"","d":"no","e":[],"f":null,"g":false,"h":1}"#;
    assert_eq!(
        md(
            "<<if a>>1<<end>><<if b>>2<<end>><<if c>>3<<end>><<if d>>4<<end>><<if e>>5<<end>><<if f>>6<<end>><<if g>>7<<end>><<if h>>8<<end>>",
            quoted
        ),
        "48"
    );
    assert_eq!(
        md(
            "<<if language>><<if framework == \"django\">>D<<else>>nested<<end>><<end>>",
            VARS
        ),
        "nested"
    );
    let spanning = "<<if framework == \"flask\">>\n\nPara\n\n```bash\npip install\n```\n<<else>>\nnpm\n<<end>>\n";
    let out = md(spanning, VARS);
    assert!(out.contains("pip install") && !out.contains("npm"));
}

#[test]
fn unbalanced_blocks_report_both_ends() {
    let e = run("a\n<<if framework>>\nb\n", VARS);
    let s = e.diags[0].to_string();
    assert!(
        s.contains("page.md:2:1: <<if>> is never closed with <<end>>"),
        "{s}"
    );
    assert!(s.contains("the text ends at line 3"), "{s}");
    let e = run("<<end>>", VARS);
    assert!(e.diags[0].message.contains("<<end>> without an open"));
    let e = run("<<else>>", VARS);
    assert!(e.diags[0].message.contains("<<else>> outside"));
    let e = run("<<tab \"x\">>", VARS);
    assert!(e.diags[0].message.contains("<<tab>> outside"));
    let e = run("<<if framework>>a<<else>>b<<else>>c<<end>>", VARS);
    assert!(e.diags[0].message.contains("second <<else>>"));
}

#[test]
fn invalid_condition_and_unknown_slot() {
    let e = run("<<if a b c>>x<<end>>", VARS);
    assert!(e.diags[0].message.contains("invalid condition"));
    let e = run("<<exampel \"x\">>", VARS);
    assert!(e.diags[0].message.contains("unknown slot 'exampel'"));
    assert_eq!(e.diags[0].suggestion.as_deref(), Some("<<example ...>>"));
}

#[test]
fn notes_inline_block_hidden_denied() {
    let out = md("Для {{Frameworkname}} это", VARS);
    assert_eq!(
        out,
        "Для <span class=\"gg-note\" role=\"note\">Frameworkname</span> это"
    );
    let block = "{{Так например\n\n```yaml\nvalue: {{ .Values.x}}\n```\n}}\n";
    let e = run(block, VARS);
    assert_eq!(e.notes.len(), 1);
    assert!(
        e.markdown.starts_with("<div class=\"gg-note\""),
        "{}",
        e.markdown
    );
    assert!(e.markdown.contains("value: {{ .Values.x}}"));
    let t = setup(&[("content/en/page.md", "a {{note}} b")]);
    assert_eq!(run_with(&t, "en", VARS, NotesMode::Hide).markdown, "a  b");
    let d = run_with(&t, "en", VARS, NotesMode::Deny);
    assert!(d.diags[0].is_error() && d.diags[0].message.contains("author note: note"));
    // In code, braces are Helm's, not notes.
    assert!(run("`{{ .Values.x }}`", VARS).notes.is_empty());
}

#[test]
fn seed_notes_are_all_found() {
    let seed = include_str!("../../tests/fixtures/seeds/000_79d7362004955546.txt");
    let e = run(seed, VARS);
    assert!(e.diags.is_empty(), "{:#?}", e.diags);
    // Every `{{` in prose opens a note; the multi-line one with a code block inside is one.
    assert_eq!(
        e.notes.len(),
        76,
        "{}",
        e.notes
            .iter()
            .map(|n| n.text.clone())
            .collect::<Vec<_>>()
            .join("\n---\n")
    );
    assert!(
        e.notes
            .iter()
            .any(|n| n.text.starts_with("Так например") && n.text.contains("RAILS_MASTER_KEY"))
    );
}

#[test]
fn include_partials_and_cycles() {
    let t = setup(&[
        ("content/en/page.md", "A <<include \"intro\">> B"),
        (
            "content/en/_partials/intro.md",
            "---\ntitle: p\n---\nhi <<framework>><<include \"inner\">>\n",
        ),
        ("content/en/_partials/inner.md", "!"),
    ]);
    assert_eq!(
        run_with(&t, "en", VARS, NotesMode::Warn).markdown,
        "A hi Flask! B"
    );
    let t = setup(&[
        ("content/en/page.md", "<<include \"a\">>"),
        ("content/en/_partials/a.md", "<<include \"b\">>"),
        ("content/en/_partials/b.md", "x\n<<include \"a\">>"),
    ]);
    let e = run_with(&t, "en", VARS, NotesMode::Warn);
    let s = e.diags[0].to_string();
    assert!(s.contains("include cycle: content/en/_partials/a.md -> content/en/_partials/b.md -> content/en/_partials/a.md"), "{s}");
    assert!(s.starts_with("error: content/en/_partials/b.md:2:1"), "{s}");
    let t = setup(&[
        ("content/en/page.md", "<<include \"intr\">>"),
        ("content/en/_partials/intro.md", "x"),
    ]);
    let e = run_with(&t, "en", VARS, NotesMode::Warn);
    assert!(e.diags[0].message.contains("unknown partial 'intr'"));
    assert_eq!(e.diags[0].suggestion.as_deref(), Some("intro"));
}

#[test]
fn details_and_tabs_markup() {
    let out = md(
        "<<details \"About <<framework>>\">>\nBody *md*\n<<end>>",
        VARS,
    );
    assert!(
        out.starts_with("<details class=\"gg-details\">\n<summary>About Flask</summary>\n\n"),
        "{out}"
    );
    assert!(out.contains("\nBody *md*\n"), "{out}");
    assert!(out.trim_end().ends_with("</details>"), "{out}");
    let out = md(
        "<<tabs>>\n<<tab \"Linux / macOS\">>\nA\n<<tab \"Windows\">>\nB\n<<end>>",
        VARS,
    );
    assert!(out.contains("role=\"tablist\""));
    assert!(out.contains("aria-selected=\"true\" tabindex=\"0\">Linux / macOS</button>"));
    assert!(out.contains("aria-selected=\"false\" tabindex=\"-1\">Windows</button>"));
    assert_eq!(out.matches("role=\"tabpanel\"").count(), 2);
    let e = run("<<tabs>>\nstray\n<<tab \"A\">>x<<end>>", VARS);
    assert!(e.diags[0].message.contains("belongs to no tab"));
}

#[test]
fn values_inside_html_tags_cannot_add_attributes() {
    use super::{escape_value_at, in_html_tag};
    for (before, inside) in [
        ("<a href=", true),
        ("<a title=\"x>y\" href=", true),
        ("<img alt='", true),
        ("text <a href=\"#\">link</a> and ", false),
        ("a < b and ", false),
        ("<a href=x>\n\n", false),
    ] {
        assert_eq!(in_html_tag(before), inside, "{before}");
    }
    let mut out = "<a href=".to_string();
    escape_value_at("x onmouseover=alert(5)", &mut out);
    assert_eq!(out, "<a href=x&#32;onmouseover&#61;alert&#40;5&#41;");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn alphabet() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("<".to_string()),
                Just(">".to_string()),
                Just("<<".to_string()),
                Just(">>".to_string()),
                Just("|".to_string()),
                Just("\"".to_string()),
                Just("\\".to_string()),
                Just("{".to_string()),
                Just("}".to_string()),
                Just("`".to_string()),
                Just("```".to_string()),
                Just("\n".to_string()),
                Just(" ".to_string()),
                Just("=".to_string()),
                Just("if".to_string()),
                Just("end".to_string()),
                Just("else".to_string()),
                Just("framework".to_string()),
                Just("tab".to_string()),
                Just("ё".to_string()),
                Just("Ж".to_string()),
                Just("a".to_string()),
                Just("#".to_string()),
                Just("include".to_string()),
                Just("details".to_string()),
                Just("tabs".to_string()),
            ],
            0..60,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn lexer_and_resolver_never_panic(s in alphabet()) {
            let _ = crate::syntax::slot::lex(&s);
            let _ = run(&s, VARS);
        }

        #[test]
        fn any_text_never_panics(s in "\\PC*") {
            let _ = run(&s, VARS);
        }

        #[test]
        fn text_without_slots_is_unchanged(s in "[^<{]*") {
            let e = run(&s, VARS);
            prop_assert!(e.diags.is_empty());
            prop_assert_eq!(e.markdown, s);
        }
    }
}
