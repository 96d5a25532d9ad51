//! Is each page ready to publish? Empty (or heading-only) pages, drafts, pages named
//! after their file, chapters of a guide with examples that show none, and the seeds'
//! frontmatter convention: every `X_chosen` value is among `X_possible`. Author notes
//! come from the build itself (each note is a warning where it is written).

use serde_json::Value;

use super::Findings;
use crate::content::{PageId, PageKind, find_fm_key};
use crate::diag::{Code, Diagnostic};
use crate::pipeline::Build;
use crate::vars;

pub(super) fn check(found: &mut Findings<'_>) {
    let b = found.build();
    for id in b.page_ids() {
        page(found, b, id);
    }
    chosen_among_possible(found, b);
}

/// A diagnostic at the start of page `id`'s file (or naming its output for a page with
/// no file).
fn at_page(b: &Build, id: PageId, message: String) -> Option<Diagnostic> {
    let p = &b.model.site.pages[id];
    let f = b.model.site.page_file(p)?;
    Some(Diagnostic::error(&f.rel, message).at_file(f, 0, 0))
}

fn page(found: &mut Findings<'_>, b: &Build, id: PageId) {
    let p = &b.model.site.pages[id];
    let Some(facts) = b.facts(id) else {
        return;
    };
    let has_file = p.file.is_some();
    if p.draft
        && let Some(d) = at_page(b, id, "the page is marked draft: true".to_string())
    {
        found.add(
            Code::DraftPage,
            d.with_help("finish it and remove `draft: true`; drafts are not published"),
            Some(id),
        );
    }
    let shows_code = !facts.shown.is_empty() || !facts.code.is_empty();
    let chapter = matches!(p.kind, PageKind::Chapter);
    if chapter && has_file && facts.text_chars == 0 && !shows_code {
        let what = if facts.notes.is_empty() {
            "has no text"
        } else {
            "has only author notes"
        };
        if let Some(d) = at_page(b, id, format!("the page {what}: it is still to be written")) {
            found.add(Code::EmptyPage, d, Some(id));
        }
    }
    if p.untitled
        && !frontmatter_in_error(b, id)
        && let Some(d) = at_page(
            b,
            id,
            format!(
                "the page has no title; it is named '{}' after its file",
                p.title
            ),
        )
    {
        found.add(
            Code::MissingTitle,
            d.with_help("add `title:` to the frontmatter, or start the page with `# Title`"),
            Some(id),
        );
    }
    let guide_has_examples = p
        .guide
        .map(|g| b.model.site.guides[g].landing)
        .is_some_and(|l| !vars::examples_dir(&b.model.site.pages[l].vars).is_empty());
    let empty = facts.text_chars == 0 && !shows_code;
    if chapter
        && has_file
        && guide_has_examples
        && !empty
        && facts.shown.is_empty()
        && facts.diffed.is_empty()
        && facts.trees == 0
        && let Some(d) = at_page(b, id, "the chapter shows no example file".to_string())
    {
        found.add(
            Code::NoExample,
            d.with_help("show the step's files with <<example \"...\">> (the guide has examples)"),
            Some(id),
        );
    }
}

/// Is the page's frontmatter in error (an error located in it)? Its title, its draft
/// mark may be what could not be read: reported once, as that error.
fn frontmatter_in_error(b: &Build, id: PageId) -> bool {
    let Some(f) = b.model.site.page_file(&b.model.site.pages[id]) else {
        return false;
    };
    let body_line = f.locate(f.body_start, f.body_start).line;
    b.warnings.iter().any(|d| {
        d.is_error() && d.path == f.rel && d.location.as_ref().is_some_and(|l| l.line < body_line)
    })
}

/// Every source file's `X_chosen` (a value or a list) must be among its `X_possible`.
fn chosen_among_possible(found: &mut Findings<'_>, b: &Build) {
    for f in &b.model.site.files {
        for (key, chosen) in f.frontmatter.iter() {
            let Some(stem) = key.strip_suffix("_chosen") else {
                continue;
            };
            let Some(Value::Array(possible)) = f.frontmatter.get(&format!("{stem}_possible"))
            else {
                continue;
            };
            let possible: Vec<&str> = possible.iter().filter_map(Value::as_str).collect();
            let values: Vec<&str> = match chosen {
                Value::String(s) => vec![crate::vars::text(s)],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            for v in values.into_iter().filter(|v| !possible.contains(v)) {
                let mut d = Diagnostic::error(
                    &f.rel,
                    format!("{key}: '{v}' is not one of {stem}_possible"),
                )
                .with_help(format!("{stem}_possible: {}", possible.join(", ")));
                if let Some(s) = crate::util::text::closest(v, possible.iter().copied()) {
                    d = d.with_suggestion(s);
                }
                if let Some((s, e)) = find_fm_key(&f.text, key) {
                    d = d.at_file(f, s, e);
                }
                found.add(Code::ChosenNotPossible, d, None);
            }
        }
    }
}
