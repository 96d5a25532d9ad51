//! Text no page shows: an `<<if>>` whose condition is false on every page that renders
//! it, for every guide (a condition on a value no guide has, `"pip "` for `"pip"`), or
//! an `<<else>>` that no page reaches. Each page records which way its conditions went;
//! the text is lost only when no page of any guide shows it, so this looks at them all.

use std::collections::BTreeMap;

use super::Findings;
use crate::diag::{Code, Diagnostic};
use crate::source::FileId;
use crate::util::text::plural;

/// How one `<<if>>` went on the pages that render it.
#[derive(Default)]
struct Seen {
    else_at: Option<std::ops::Range<usize>>,
    end: usize,
    then: bool,
    otherwise: bool,
    pages: usize,
    /// The guides (or pages outside guides) that render it, as `ru/flask`.
    by: Vec<String>,
}

pub(super) fn check(found: &mut Findings<'_>) {
    let b = found.build();
    let mut seen: BTreeMap<(FileId, usize), Seen> = BTreeMap::new();
    for id in b.page_ids() {
        let Some(facts) = b.facts(id) else {
            continue;
        };
        let p = &b.model.site.pages[id];
        let by = match p.guide {
            Some(g) => format!("{}/{}", p.lang, b.model.site.guides[g].name),
            None => format!("{}/{}", p.lang, p.out),
        };
        for br in &facts.branches {
            let s = seen.entry((br.file, br.open.start)).or_default();
            s.end = br.open.end;
            s.else_at.clone_from(&br.else_at);
            s.pages += 1;
            if br.taken {
                s.then = true;
            } else {
                s.otherwise = true;
            }
            if !s.by.contains(&by) {
                s.by.push(by.clone());
            }
        }
    }
    for ((file, start), s) in seen {
        let f = &b.model.site.files[file];
        let on = format!(
            "rendered on {} ({})",
            plural(s.pages, "page"),
            s.by.join(", ")
        );
        if !s.then {
            let d = Diagnostic::warning(
                &f.rel,
                "no page shows the text of this <<if>>: its condition is false on every page of every guide",
            )
            .at_file(f, start, s.end)
            .with_note(on.clone())
            .with_help("correct the condition (a value as a guide writes it, `defined(x)` for a variable some guides leave unset); if the text waits for a guide still to be written, [check] allow = [\"never-shown\"] accepts it");
            found.add(Code::NeverShown, d, None);
        }
        if let (Some(e), false) = (&s.else_at, s.otherwise) {
            let d = Diagnostic::warning(
                &f.rel,
                "no page shows the text after this <<else>>: the condition of its <<if>> is true on every page of every guide",
            )
            .at_file(f, e.start, e.end)
            .with_note(on)
            .with_note(format!("the <<if>> is at line {}", f.locate(start, start).line))
            .with_help("correct the condition, or remove the <<else>> text if no guide needs it");
            found.add(Code::NeverShown, d, None);
        }
    }
}
