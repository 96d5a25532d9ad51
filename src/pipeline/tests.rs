//! The pipeline's seams, through the library: a block renderer added in front of the
//! built-in ones draws its blocks and emits files, which reach memory (`check`,
//! `serve`), the output folder, and the build cache (a warm build restores them and
//! renders nothing); its key is part of the cache's.

use std::path::Path;
use std::time::Instant;

use super::model::Model;
use super::pass::{Memory, Run};
use super::{BuildOptions, write};
use crate::markdown::{BlockRenderer, Ctx, Emitted, Input, Output, Renderers};
use crate::search;

/// Draws ```dot blocks as an image of its own: `gen/<hash>.svg`.
struct Dot(u128);

impl BlockRenderer for Dot {
    fn name(&self) -> &'static str {
        "dot"
    }

    fn key(&self) -> u128 {
        self.0
    }

    fn render(&self, input: &Input<'_>, _: &Ctx<'_>) -> Option<Output> {
        let Input::Code { lang: "dot", code } = input else {
            return None;
        };
        let path = format!(
            "gen/{:016x}.svg",
            crate::output::cache::hash(code.as_bytes())
        );
        Some(Output {
            html: format!("<img class=\"dot\" src=\"{path}\" alt=\"\">"),
            problems: Vec::new(),
            files: vec![Emitted {
                path,
                bytes: format!("<svg>{}</svg>", code.trim()).into_bytes(),
            }],
        })
    }
}

fn site(dir: &Path) {
    let w = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("book.toml", "[book]\ntitle = \"T\"\n");
    w(
        "content/en/guide/_guide.md",
        "---\ntitle: Guide\n---\n\nA guide.\n",
    );
    let page = "---\ntitle: One\n---\n\nThe graph:\n\n```dot\ndigraph { a -> b }\n```\n\n```yaml\nkey: value\n```\n";
    w("content/en/guide/010_one.md", page);
    w("content/en/guide/020_two.md", &page.replace("One", "Two"));
}

fn model(root: &Path, key: u128) -> (Model, Vec<crate::diag::Diagnostic>) {
    let (mut m, diags) = Model::load(&BuildOptions::new(root)).unwrap();
    m.renderers = Renderers::with_first(vec![Box::new(Dot(key))]);
    (m, diags)
}

#[test]
fn a_renderer_in_front_draws_its_blocks_and_emits_files_to_memory() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path());
    let (m, _) = model(tmp.path(), 1);
    let stems = search::Stems::default();
    let ids: Vec<_> = m.page_ids().collect();
    let results = m.render(
        &ids,
        Run {
            writer: &Memory,
            stems: &stems,
        },
    );
    let one = results
        .iter()
        .find(|r| {
            r.page
                .as_ref()
                .is_some_and(|p| p.out.ends_with("010_one.html"))
        })
        .unwrap();
    let html = &one.page.as_ref().unwrap().html;
    assert!(html.contains("<img class=\"dot\" src=\"gen/"), "{html}");
    assert!(
        html.contains("gg-code"),
        "the other code block is still highlighted"
    );
    assert_eq!(one.files.len(), 1);
    assert_eq!(one.files[0].bytes, b"<svg>digraph { a -> b }</svg>");
    // The page result goes through serde whole (what the build cache stores).
    let back: super::PageResult =
        serde_json::from_str(&serde_json::to_string(one).unwrap()).unwrap();
    assert_eq!(back.files, one.files);
}

#[test]
fn emitted_files_reach_the_output_and_the_build_cache() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path());
    let out = tmp.path().join("public");
    let opts = BuildOptions::new(tmp.path());
    let write = |key: u128| {
        let (m, diags) = model(tmp.path(), key);
        write::write_model(m, diags, &opts, Instant::now()).unwrap()
    };
    let cold = write(1);
    assert_eq!(cold.rendered.len(), cold.stats.pages);
    let svg = std::fs::read_dir(out.join("en/gen")).unwrap().count();
    assert_eq!(svg, 1, "two pages emit the same file: written once");
    // Warm: nothing rendered, the emitted file restored from the cache.
    let warm = write(1);
    assert!(warm.rendered.is_empty(), "{:?}", warm.rendered);
    let files: Vec<_> = std::fs::read_dir(out.join("en/gen"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(
        std::fs::read(files[0].path()).unwrap(),
        b"<svg>digraph { a -> b }</svg>"
    );
    // Another key (the renderer changed its output): every page rendered again.
    let changed = write(2);
    assert_eq!(changed.rendered.len(), changed.stats.pages);
}

/// A writer that keeps what it is handed (by output path).
#[derive(Default)]
struct Capture(std::sync::Mutex<std::collections::BTreeMap<String, String>>);

impl super::pass::Writer for Capture {
    fn take(
        &self,
        _: &Model,
        _: crate::content::PageId,
        r: &mut super::PageResult,
    ) -> Result<(), crate::diag::Diagnostic> {
        if let Some(p) = &r.page {
            let mut m = self.0.lock().unwrap();
            m.insert(format!("{}/{}", p.lang, p.out), p.html.clone());
        }
        Ok(())
    }

    fn take_extra(
        &self,
        p: crate::render::OutPage,
    ) -> Result<Option<crate::render::OutPage>, crate::diag::Diagnostic> {
        Ok(Some(p))
    }
}

/// Rendering in batches of one page, letting sources go, makes what a build in memory
/// makes; partials and skeleton chapters are kept to the end.
#[test]
fn pages_rendered_while_sources_are_let_go_are_the_same() {
    let opts =
        BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/skeleton"));
    let whole = super::build(&opts).unwrap();
    let (mut m, _) = Model::load(&opts).unwrap();
    let capture = Capture::default();
    let stems = search::Stems::default();
    let run = Run {
        writer: &capture,
        stems: &stems,
    };
    let mut results: Vec<Option<super::PageResult>> =
        (0..m.site.pages.len()).map(|_| None).collect();
    m.render_releasing(run, &mut results, 1);
    assert!(results.iter().all(Option::is_some));
    let written = capture.0.into_inner().unwrap();
    assert_eq!(written.len(), whole.results.len());
    for r in &whole.results {
        let p = r.page.as_ref().unwrap();
        assert_eq!(
            written[&format!("{}/{}", p.lang, p.out)],
            p.html,
            "{}",
            p.out
        );
    }
    // Own files are let go; partials and skeleton chapters are not.
    let kept = |f: crate::source::FileId| !m.site.files[f].text.is_empty();
    let partials: Vec<_> = m
        .site
        .partials
        .values()
        .flat_map(|p| p.values().copied())
        .collect();
    assert!(!partials.is_empty() && partials.iter().all(|&f| kept(f)));
    let skeleton: Vec<_> = m
        .site
        .pages
        .iter()
        .filter(|p| p.from_skeleton)
        .filter_map(|p| p.file)
        .collect();
    assert!(!skeleton.is_empty() && skeleton.iter().all(|&f| kept(f)));
    let own = m
        .site
        .pages
        .iter()
        .filter(|p| !p.from_skeleton)
        .filter_map(|p| p.file);
    assert!(own.clone().count() > 0 && own.clone().all(|f| !kept(f)));
}
