//! Are the languages in step? Pages present in one language and missing in another;
//! pairs of pages whose code shows different example files or a different number of
//! code blocks or headings (a translation that fell behind); and pages whose prose, code
//! aside, is mostly in another language's script (Cyrillic on an English page).

use std::collections::BTreeSet;

use super::Findings;
use crate::content::{PageId, PageKind};
use crate::diag::{Code, Diagnostic};
use crate::pipeline::Build;

/// Prose shorter than this (in letters) is not judged for its script.
const MIN_LETTERS: usize = 100;

pub(super) fn check(found: &mut Findings<'_>) {
    let b = found.build();
    let langs = b.model.config.language_codes();
    for id in b.page_ids() {
        untranslated(found, b, id, &langs);
        drift(found, b, id);
        script(found, b, id);
    }
}

/// A diagnostic at the start of page `id`'s body.
fn at_page(b: &Build, id: PageId, message: String) -> Option<Diagnostic> {
    let p = &b.model.site.pages[id];
    let f = b.model.site.page_file(p)?;
    Some(Diagnostic::error(&f.rel, message).at_file(f, 0, 0))
}

fn untranslated(found: &mut Findings<'_>, b: &Build, id: PageId, langs: &[String]) {
    let p = &b.model.site.pages[id];
    if p.file.is_none() || p.kind == PageKind::LangLanding {
        return;
    }
    for l in langs.iter().filter(|l| **l != p.lang) {
        if p.translations.iter().any(|(tl, _)| tl == l) {
            continue;
        }
        let msg = format!(
            "{}/{} has no {l} translation ({} is missing)",
            p.lang,
            p.out,
            missing_file(b, id, l)
        );
        if let Some(d) = at_page(b, id, msg) {
            found.add(Code::Untranslated, d, Some(id));
        }
    }
}

/// The file an author writes to translate page `id` into `l`: the same path in the other
/// language's tree; for a chapter a guide takes from its skeleton, the skeleton chapter
/// of `l` (or, when the guide has no `l` version at all, its `_guide.md`).
fn missing_file(b: &Build, id: PageId, l: &str) -> String {
    let p = &b.model.site.pages[id];
    let guide = p.guide.map(|g| &b.model.site.guides[g]);
    let guide_in_l = guide.is_some_and(|g| {
        b.model
            .site
            .guides
            .iter()
            .any(|o| o.lang == l && o.name == g.name)
    });
    if let Some(g) = guide
        && !guide_in_l
    {
        return format!("content/{l}/{}/_guide.md", g.name);
    }
    if p.from_skeleton
        && let Some(f) = b.model.site.page_file(p)
    {
        let rel = f.rel.to_string_lossy();
        if let Some(rest) = rel.strip_prefix(&format!("content/{}/", p.lang)) {
            return format!("content/{l}/{rest}");
        }
    }
    format!(
        "content/{l}/{}",
        if p.key.ends_with('/') {
            format!("{}_index.md", p.key)
        } else {
            p.key.clone()
        }
    )
}

/// Compare page `id` with its translations in the languages after its own (each pair
/// once), and report on the translation.
fn drift(found: &mut Findings<'_>, b: &Build, id: PageId) {
    let p = &b.model.site.pages[id];
    let order = |l: &str| b.model.config.languages.iter().position(|x| x.code == l);
    let Some(mine) = b.facts(id) else {
        return;
    };
    for (l, q) in &p.translations {
        if order(l) <= order(&p.lang) {
            continue;
        }
        let Some(theirs) = b.facts(*q) else {
            continue;
        };
        let files = |f: &crate::pipeline::PageFacts| -> BTreeSet<String> {
            f.shown.iter().chain(&f.diffed).cloned().collect()
        };
        let (a, c) = (files(mine), files(theirs));
        let mut diffs = Vec::new();
        if a != c {
            let only_a: Vec<_> = a.difference(&c).map(String::as_str).collect();
            let only_c: Vec<_> = c.difference(&a).map(String::as_str).collect();
            if !only_a.is_empty() {
                diffs.push(format!(
                    "only the {} page shows {}",
                    p.lang,
                    only_a.join(", ")
                ));
            }
            if !only_c.is_empty() {
                diffs.push(format!("only the {l} page shows {}", only_c.join(", ")));
            }
        }
        if mine.blocks != theirs.blocks {
            diffs.push(format!(
                "{} code blocks in {}, {} in {l}",
                mine.blocks, p.lang, theirs.blocks
            ));
        }
        if mine.headings != theirs.headings {
            diffs.push(format!(
                "{} headings in {}, {} in {l}",
                mine.headings, p.lang, theirs.headings
            ));
        }
        if diffs.is_empty() {
            continue;
        }
        let q_page = &b.model.site.pages[*q];
        let msg = format!(
            "{l}/{} is out of step with {}/{}: {}",
            q_page.out,
            p.lang,
            p.out,
            diffs.join("; ")
        );
        if let Some(d) = at_page(b, *q, msg) {
            found.add(
                Code::TranslationDrift,
                d.with_help("bring the translation up to date with the page it translates"),
                Some(*q),
            );
        }
    }
}

/// Which script a language is written in, for the languages guidegen knows.
fn script_of(lang: &str) -> Option<&'static str> {
    match lang.split('-').next().unwrap_or(lang) {
        "ru" | "uk" | "be" | "bg" | "sr" | "kk" | "mk" | "mn" => Some("Cyrillic"),
        "en" | "de" | "fr" | "es" | "it" | "pt" | "nl" | "pl" | "cs" | "sv" | "da" | "fi"
        | "no" | "tr" | "id" => Some("Latin"),
        _ => None,
    }
}

fn script(found: &mut Findings<'_>, b: &Build, id: PageId) {
    let p = &b.model.site.pages[id];
    let Some(f) = b.facts(id) else {
        return;
    };
    let Some(expected) = script_of(&p.lang) else {
        return;
    };
    let letters = f.cyrillic + f.latin;
    if letters < MIN_LETTERS {
        return;
    }
    let (share, other, other_name) = match expected {
        "Cyrillic" => (f.cyrillic, f.latin, "Latin"),
        _ => (f.latin, f.cyrillic, "Cyrillic"),
    };
    if share * 2 >= letters {
        return;
    }
    let msg = format!(
        "{}/{}: {}% of its prose is in {other_name} letters, not {expected}: is this the {} page?",
        p.lang,
        p.out,
        other * 100 / letters,
        p.lang
    );
    if let Some(d) = at_page(b, id, msg) {
        found.add(
            Code::WrongLanguage,
            d.with_help("translate the page (code blocks are not counted)"),
            Some(id),
        );
    }
}
