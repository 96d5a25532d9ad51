//! Checks and links across the loaded pages: no two pages write one output file, and
//! each page knows the same page in the other languages (by key, or by position for
//! single-file chapters).

use std::collections::HashMap;

use super::{Loader, Page, PageId};
use crate::diag::{Code, Diagnostic};

impl Loader<'_> {
    pub(super) fn check_unique_outputs(&mut self) {
        let mut seen: HashMap<(String, String), PageId> = HashMap::new();
        for (i, p) in PageId::all(self.site.pages.len()).zip(&self.site.pages) {
            if let Some(&first) = seen.get(&(p.lang.clone(), p.out.clone())) {
                let src = |q: &Page| {
                    q.file
                        .map(|f| self.site.files[f].rel.display().to_string())
                        .unwrap_or_else(|| format!("a generated page of content/{}/", q.lang))
                };
                let a = &self.site.pages[first];
                self.diags.push(
                    Diagnostic::error(
                        p.file
                            .map(|f| self.site.files[f].rel.clone())
                            .unwrap_or_default(),
                        format!("two pages would be written to {}/{}", p.lang, p.out),
                    )
                    .with_code(Code::DuplicateOutput)
                    .with_note(format!("the other one comes from {}", src(a)))
                    .with_help("rename one of them, or give one a different `permalink:`"),
                );
            } else {
                seen.insert((p.lang.clone(), p.out.clone()), i);
            }
        }
    }

    /// Pair pages across languages: by key, then (single-file chapters) by position.
    pub(super) fn pair_translations(&mut self) {
        let langs: Vec<String> = self
            .config
            .languages
            .iter()
            .map(|l| l.code.clone())
            .collect();
        for i in PageId::all(self.site.pages.len()) {
            let mut tr = Vec::new();
            let p = &self.site.pages[i];
            for l in &langs {
                if *l == p.lang {
                    continue;
                }
                let mut found = self.site.page_by_key(l, &p.key);
                if found.is_none()
                    && let (Some(ord), Some(g)) = (p.ordinal, p.guide)
                {
                    let gname = &self.site.guides[g].name;
                    found = self
                        .site
                        .guides
                        .iter()
                        .find(|og| og.lang == *l && og.name == *gname)
                        .and_then(|og| {
                            og.order
                                .iter()
                                .copied()
                                .find(|&q| self.site.pages[q].ordinal == Some(ord))
                        });
                }
                if let Some(q) = found {
                    tr.push((l.clone(), q));
                }
            }
            self.site.pages[i].translations = tr;
        }
    }
}
